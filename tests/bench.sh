#!/bin/sh
# bench.sh — runs the benchmark and writes reports/bench.md (machine, date, table).
set -eu
bench=${1:?usage: bench.sh MSGSIM-BENCH [MESSAGES]}
n=${2:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/reports/bench.md"
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.trace"' EXIT INT TERM
"$bench" "$n" "$tmp.trace" >"$tmp"
{
	echo "# msgsim benchmark"
	echo
	echo "One producer and one consumer exchange $n messages through one mailbox or a pipe; a pair is"
	echo "one simulated send (write) plus one simulated receive (read). Best of 3 runs, wall-clock time of"
	echo "the engine loop and the report (parsing excluded). Produced by \`make bench\`."
	echo
	echo "- date: $(date -u +%Y-%m-%d)"
	echo "- machine: $(uname -m), $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
	echo "- compiler: $(${CC:-cc} --version | head -n1)"
	echo
	cat "$tmp"
} >"$out"
cat "$out"
