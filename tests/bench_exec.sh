#!/bin/sh
# bench_exec.sh MSGSIM — intercepted calls per second of `msgsim exec` (`make bench-exec`).
#
# A whole process, start-up included: `msgsim exec -- raw N` (tests/exec/raw.c: N msgsnd and
# N msgrcv through syscall(2)), beside the same program on the real kernel in a private IPC
# namespace. Prints the median of BENCH_RUNS runs [5] for BENCH_CALLS round trips [100000].
# Nothing here is a test.
set -eu
msgsim=${1:?usage: bench_exec.sh MSGSIM}
runs=${BENCH_RUNS:-5}
n=${BENCH_CALLS:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cc -std=c11 -O2 -D_GNU_SOURCE -o "$tmp/raw" "$(dirname "$0")/exec/raw.c"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
wall() { # command...: seconds of wall time
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s.%N)
	echo "$e - $s" | bc -l
}
: >"$tmp/exec"
: >"$tmp/kernel"
i=0
while [ $i -lt "$runs" ]; do
	wall "$msgsim" exec --program-output -- "$tmp/raw" "$n" >>"$tmp/exec"
	wall unshare --ipc "$tmp/raw" "$n" >>"$tmp/kernel"
	i=$((i + 1))
done
calls=$((2 * n))
e=$(median <"$tmp/exec")
k=$(median <"$tmp/kernel")
printf '| case | calls | median wall s | calls/s |\n|---|---|---|---|\n'
printf '| msgsim exec | %d | %.3f | %.0f |\n' $calls "$e" "$(echo "$calls / $e" | bc -l)"
printf '| real kernel | %d | %.3f | %.0f |\n' $calls "$k" "$(echo "$calls / $k" | bc -l)"
