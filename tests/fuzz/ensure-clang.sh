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

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo -n"
else
	echo "msgsim: missing packages for fuzzing:$missing -- install them (apt-get install$missing) and run make fuzz again" >&2
	exit 1
fi
echo "msgsim: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq $missing >/dev/null || {
	echo "msgsim: could not install$missing -- install them by hand (apt-get install$missing)" >&2
	exit 1
}
links || {
	echo "msgsim: $CC still cannot link -fsanitize=fuzzer,address,undefined; is its libclang-rt the one of this clang version?" >&2
	exit 1
}
