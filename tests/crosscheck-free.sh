#!/bin/sh
# crosscheck-free.sh — free runs of scenarios on the real kernel (msgsim crosscheck --free)
# and their sum.
#
#   tests/crosscheck-free.sh MSGSIM [--runs N] [--explore-time S] [--report FILE] SCENARIO...
#
# Each scenario runs N times (default 5) without lockstep, and every outcome observed must
# be inside its explored outcome set; a fidelity bug (an outcome outside a complete set), a
# run the model could not follow or a failed run fails the script (exit 1). Scenarios a free
# run cannot take (alarm, what the lockstep cannot replay, an exploration that reached no
# end) are listed with why. --report appends a Markdown section "Free runs" to FILE: per scenario the runs, the
# outcomes observed / explored, whether the exploration was complete, and whether all
# were inside. Afterwards no SysV object or POSIX queue may be left and no sandbox
# directory of a process that is gone.
set -u
msgsim=${1:?usage: crosscheck-free.sh MSGSIM [--runs N] [--report FILE] SCENARIO...}
shift
runs=5 secs=10 report=
while :; do
	case ${1:-} in
	--runs) runs=${2:?--runs needs a number}; shift 2 ;;
	--explore-time) secs=${2:?--explore-time needs seconds}; shift 2 ;;
	--report) report=${2:?--report needs a file}; shift 2 ;;
	*) break ;;
	esac
done
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
ipc_before=$(ipcs -a 2>/dev/null | grep -c '^0x')
mq_before=$(ls /dev/mqueue 2>/dev/null | wc -l)
fail=0 n=0 ran=0 inside=0 notx=0
: >"$tmp/rows"
: >"$tmp/notx"
for f in "$@"; do
	n=$((n + 1))
	"$msgsim" crosscheck --free "$runs" --explore-time "$secs" "$f" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ $st -eq 4 ]; then
		notx=$((notx + 1))
		why=$(sed -n 's/^not cross-checkable: //p' "$tmp/out" | head -1 | sed 's/|/\\|/g')
		echo "- \`$f\`: $why" >>"$tmp/notx"
		continue
	fi
	ran=$((ran + 1))
	expl=$(sed -n 's/^exploration: \([A-Za-z ]*\), [0-9]* executions, \([0-9]*\) outcomes.*/\1 \2/p' "$tmp/out")
	complete=${expl% *} explored=${expl##* }
	obs=$(sed -n 's/^observed: \([0-9]*\) distinct outcomes in \([0-9]*\) runs/\1 \2/p' "$tmp/out")
	seen=${obs% *}
	verdict=$(sed -n 's/^verdict: //p' "$tmp/out" | sed 's/|/\\|/g')
	case $verdict in
	"all "*)
		inside=$((inside + 1)) all=yes
		searched=$(grep -c "inside the model's set: found by a search for it" "$tmp/out")
		[ "$searched" -eq 0 ] || all="yes ($searched by a search for each alone)"
		;;
	unknown*) all="unknown (searches cut)" ;;
	*) all="**NO**: $verdict" ;;
	esac
	if [ $st -ne 0 ]; then
		fail=1
		echo "FAIL: $f: exit status $st: $verdict"
		grep -v '^ *|' "$tmp/out" | sed -n '1,40p'
		sed -n '1,3p' "$tmp/err"
	fi
	echo "| \`$f\` | $runs | ${seen:-0} / ${explored:-?} | $complete | $all |" >>"$tmp/rows"
done
ipc_after=$(ipcs -a 2>/dev/null | grep -c '^0x')
mq_after=$(ls /dev/mqueue 2>/dev/null | wc -l)
if [ "$ipc_after" -gt "$ipc_before" ] || [ "$mq_after" -gt "$mq_before" ]; then
	fail=1
	echo "FAIL: objects were left: ipcs -a had $ipc_before, has $ipc_after; /dev/mqueue had $mq_before, has $mq_after"
fi
for d in "${TMPDIR:-/tmp}"/msgsim-real-*; do
	[ -e "$d" ] || continue
	pid=${d##*/msgsim-real-}
	pid=${pid%%-*}
	if ! kill -0 "$pid" 2>/dev/null; then
		fail=1
		echo "FAIL: a sandbox directory was left behind: $d"
	fi
done
echo "crosscheck --free $runs: $n scenarios, $ran run free, $inside all inside the explored set, $notx not run free"
if [ -n "$report" ]; then
	{
		echo
		echo "## Free runs"
		echo
		echo "Each scenario run $runs times on the real kernel without lockstep (\`msgsim crosscheck"
		echo "--free $runs --explore-time $secs FILE\`, on $(uname -sr)): every process makes its calls"
		echo "in program order after a random delay, on a random CPU (forks, threads, signals"
		echo "and timed calls included; a sleep, a start time and a timeout take their model time"
		echo "for real, at most 20 ms); each run's outcome is"
		echo "looked up in the outcome set \`msgsim explore\` finds. \"Observed / explored\" counts"
		echo "distinct outcomes; an outcome outside a complete set is a fidelity bug. Where the"
		echo "exploration's bound cut it, each outcome observed that it did not meet is searched"
		echo "for alone (\`msgsim explore --find\`, guided by the run's own order): found, it is"
		echo "inside; not found by a complete search, a fidelity bug; else unknown."
		echo
		echo "| scenario | runs | outcomes observed / explored | exploration | all inside? |"
		echo "|---|---|---|---|---|"
		cat "$tmp/rows"
		echo
		echo "### Not run free"
		echo
		cat "$tmp/notx"
	} >>"$report"
	echo "appended to $report"
fi
exit $fail
