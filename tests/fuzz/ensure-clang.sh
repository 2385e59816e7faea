#!/bin/sh
# Make sure clang can build a libFuzzer harness with AddressSanitizer and UBSan, and that
# llvm-cov is there for the coverage report; install what is missing when we may.
# Debian's clang does not pull the sanitizer and fuzzer runtimes (libclang-rt-*-dev) in by
# itself, so the test is a real link, not the presence of the compiler.
# Prints one line and fails when they are missing and we cannot install them.
set -u
CC=${FUZZCC:-clang}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
links() {
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\n%s\n' \
		'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n > 1000; }' \
		>"$tmp/t.c"
	command -v "$CC" >/dev/null 2>&1 &&
		"$CC" -fsanitize=fuzzer,address,undefined "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1
}
missing=""
links || missing=" clang libclang-rt-dev"
command -v llvm-profdata >/dev/null 2>&1 && command -v llvm-cov >/dev/null 2>&1 ||
	missing="$missing llvm"
[ -z "$missing" ] && exit 0

# shellcheck disable=SC2086 # one word per package
"$(dirname "$0")/../apt-install.sh" "packages for fuzzing" $missing || exit 1
links || {
	echo "msgsim: $CC still cannot link -fsanitize=fuzzer,address,undefined; is its libclang-rt the one of this clang version?" >&2
	exit 1
}
