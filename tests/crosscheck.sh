#!/bin/sh
# crosscheck.sh — cross-checks scenarios on the real kernel (msgsim crosscheck) and sums up.
#
#   tests/crosscheck.sh MSGSIM [--report FILE] [--no-namespace] SCENARIO...
#
# Every scenario must match or be reported not cross-checkable (with its reason); a
# mismatch, a failed expectation or a failed run fails the script (exit 1). Calls a
# scenario leaves out (no kernel counterpart) are listed under "Checked in part". --report writes a Markdown summary:
# per scenario the calls replayed, comparisons, mismatches and verdict, then the totals,
# then the reasons of the scenarios that cannot be cross-checked. Afterwards no SysV queue
# may be left on the machine (ipcs -q) and no sandbox directory in the temporary directory.
# --no-namespace replays in the machine's own IPC namespace (msgsim crosscheck
# --no-namespace), as where no private one can be had.
set -u
msgsim=${1:?usage: crosscheck.sh MSGSIM [--report FILE] SCENARIO...}
shift
report=
mode=
where="in a private IPC namespace each"
while :; do
	case ${1:-} in
	--report)
		report=${2:?--report needs a file}
		shift 2
		;;
	--no-namespace)
		mode=--no-namespace
		where="in the machine's own IPC namespace, with keys and queue names unique to each run"
		shift
		;;
	*) break ;;
	esac
done
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
before=$(ipcs -q 2>/dev/null | grep -c '^0x')
sems_before=$(ipcs -s 2>/dev/null | grep -c '^0x')
fail=0
n=0 matched=0 calls=0 checks=0 mism=0 notx=0
: >"$tmp/rows"
: >"$tmp/notx"
: >"$tmp/part"
for f in "$@"; do
	n=$((n + 1))
	"$msgsim" crosscheck $mode "$f" >"$tmp/out" 2>&1
	st=$?
	last=$(tail -n 1 "$tmp/out")
	case $last in
	*": not cross-checkable: "*)
		notx=$((notx + 1))
		echo "| $f | - | - | - | - | not cross-checkable |" >>"$tmp/rows"
		echo "- \`$f\`: ${last#*: not cross-checkable: }" >>"$tmp/notx"
		continue
		;;
	esac
	# The schedule followed: run's, or run's up to a point and then woken first.
	sched=$(sed -n 's/^-- schedule: //p' "$tmp/out")
	case $sched in
	*"then woken first"*) sched="run's, then woken first" ;;
	"run's"*) sched="run's" ;;
	*) sched=- ;;
	esac
	held=$(sed -n 's/^-- schedule: .*; \([0-9]*\) woken call.*/\1/p' "$tmp/out")
	[ -n "$held" ] && sched="$sched, $held held"
	# Checked in part: the calls left out, and why.
	left=$(sed -n 's/^-- left out: //p' "$tmp/out")
	[ -n "$left" ] && echo "- \`$f\`: $left" >>"$tmp/part"
	# "-- FILE: C calls replayed, K comparisons, M mismatches: VERDICT"
	c=$(echo "$last" | sed -n 's/.*: \([0-9]*\) calls replayed, \([0-9]*\) comparisons, \([0-9]*\) mismatch.*/\1 \2 \3/p')
	verdict=${last##*: }
	if [ "$st" -ne 0 ] || [ "$verdict" != match ] || [ -z "$c" ]; then
		fail=1
		echo "FAIL: crosscheck $f (exit $st)"
		cat "$tmp/out"
	fi
	if [ -n "$c" ]; then
		# shellcheck disable=SC2086
		set -- $c
		calls=$((calls + $1)) checks=$((checks + $2)) mism=$((mism + $3))
		echo "| $f | $1 | $2 | $3 | $sched | $verdict |" >>"$tmp/rows"
		[ "$verdict" = match ] && matched=$((matched + 1))
	else
		echo "| $f | - | - | - | - | $verdict |" >>"$tmp/rows"
	fi
done
after=$(ipcs -q 2>/dev/null | grep -c '^0x')
if [ "$after" -gt "$before" ]; then
	fail=1
	echo "FAIL: SysV queues were left on the machine:"
	ipcs -q
fi
if [ "$(ipcs -s 2>/dev/null | grep -c '^0x')" -gt "$sems_before" ]; then
	fail=1
	echo "FAIL: semaphore sets were left on the machine:"
	ipcs -s
fi
if ls -d "${TMPDIR:-/tmp}"/msgsim-real-* >/dev/null 2>&1; then
	for d in "${TMPDIR:-/tmp}"/msgsim-real-*; do
		pid=${d#*msgsim-real-}
		pid=${pid%%-*}
		if ! kill -0 "$pid" 2>/dev/null; then
			fail=1
			echo "FAIL: a sandbox directory was left behind: $d"
		fi
	done
fi
echo "crosscheck${mode:+ $mode}: $n scenarios, $matched match, $notx not cross-checkable; $calls calls, $checks comparisons, $mism mismatches"
if [ -n "$report" ]; then
	{
		echo "# Cross-check report"
		echo
		echo "Every scenario replayed on the real kernel, call by call (\`make crosscheck\`,"
		echo "\`msgsim crosscheck${mode:+ $mode} FILE\`), on $(uname -sr), $where."
		echo
		echo "| scenarios | match | not cross-checkable | calls replayed | comparisons | mismatches |"
		echo "|---|---|---|---|---|---|"
		echo "| $n | $matched | $notx | $calls | $checks | $mism |"
		echo
		echo "The schedule is the one \`msgsim run\` shows (run's), with the woken calls (SysV"
		echo "calls, and calls a caught signal interrupted) held back until the model runs them,"
		echo "or run's up to where the kernel cannot follow it and woken first from there (the"
		echo "scenario's report says why)."
		echo
		echo "| scenario | calls | comparisons | mismatches | schedule | verdict |"
		echo "|---|---|---|---|---|---|"
		cat "$tmp/rows"
		echo
		echo "## Not cross-checkable"
		echo
		cat "$tmp/notx"
		if [ -s "$tmp/part" ]; then
			echo
			echo "## Checked in part"
			echo
			cat "$tmp/part"
		fi
	} >"$report"
	echo "wrote $report"
fi
exit $fail
