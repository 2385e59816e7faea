#!/bin/sh
# Replays the regression inputs, then fuzzes for SECONDS on JOBS cores; fails when any
# regression input fails or the fuzzer left a crash, leak, timeout or out-of-memory artifact.
#
#   tests/fuzz/run.sh BINARY SECONDS [JOBS]
#
# The working corpus is build/fuzz/corpus (grown by each run, seeded from tests/fuzz/corpus,
# which stays as committed); artifacts land in build/fuzz/crashes/, named by libFuzzer
# (crash-*, leak-*, timeout-*, oom-*). Earlier artifacts are kept: only the ones this run
# wrote count against it.
set -u
bin=$1
seconds=$2
jobs=${3:-2}
dir=build/fuzz
mkdir -p "$dir/corpus" "$dir/crashes"
stamp="$dir/.run-stamp"
touch "$stamp"

# What libFuzzer needs to see every problem as a crash: leaks (LeakSanitizer), any undefined
# behaviour (halt), and GLib allocating with malloc so that its slices are tracked too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export G_SLICE=always-malloc G_DEBUG=gc-friendly

failed=0
# Each regression input is a bug once found: it must now run clean.
n=0
bad=0
for f in tests/fuzz/regressions/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	if ! "$bin" "$f" >"$dir/regression.log" 2>&1; then
		echo "fuzz: regression input fails: $f" >&2
		grep -m3 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$dir/regression.log" >&2
		bad=$((bad + 1))
	fi
done
echo "fuzz: regression inputs: $((n - bad)) passed, $bad failed"
[ "$bad" -eq 0 ] || failed=1

# -max_len: 64 KiB is twenty times the largest scenario written so far (2.7 KB) and room for
# 10,000 nested blocks, far past the parser's nesting cap; the parser's size cap (1 MiB) is
# a check on a length, which longer inputs would reach only by slowing the fuzzer down.
# -timeout: one input runs at most 20,000 statements, milliseconds under the sanitizers,
# so 10 s is a hang. -rss_limit_mb: two workers of 2 GB each fit the 2-core machines.
"$bin" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
	-max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-dict=tests/fuzz/scenario.dict -artifact_prefix="$dir/crashes/" -print_final_stats=1 \
	"$dir/corpus" tests/fuzz/corpus 2>"$dir/fuzz.log"
rc=$?
grep -E '^#[0-9]+' "$dir/fuzz.log" | tail -1
new=$(find "$dir/crashes" -type f -newer "$stamp" | sort)
if [ -n "$new" ]; then
	echo "fuzz: this run left $(echo "$new" | wc -l) artifact(s) (log: $dir/fuzz.log):" >&2
	for f in $new; do
		echo "  $f" >&2
	done
	echo "fuzz: replay one with: $bin FILE" >&2
	failed=1
elif [ "$rc" -ne 0 ]; then
	echo "fuzz: libFuzzer exited with $rc (log: $dir/fuzz.log)" >&2
	tail -20 "$dir/fuzz.log" >&2
	failed=1
fi
[ "$failed" -eq 0 ] && echo "fuzz: ${seconds}s on $jobs cores: no crash, leak or timeout"
exit "$failed"
