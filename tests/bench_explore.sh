#!/bin/sh
# bench_explore.sh MSGSIM BENCH-TIME — msgsim explore beside SPIN on the bounded buffer of
# issue 15; prints a Markdown section on stdout (tests/bench.sh appends it to its report).
#
# The model: scenarios/explore/bounded-buffer.scn (3 producers, 3 consumers, 4 alike items
# each, a mailbox of capacity 3) and tests/bench/bounded-buffer.pml, the same in Promela.
# What both observe: every reachable end of the run, and whether one is a deadlock (pan:
# invalid end states; msgsim: `expect never deadlock`, over the outcome set). The items are
# alike, so a consumer's received sequence is its length in both. The states each counts
# are its own graph's (msgsim's is finer: see the section's text). pan is built with
# -O2 -DSAFETY, with SPIN's partial-order reduction (its default), and run with -m10000; the
# compile is not timed, only pan's run. msgsim runs `explore --stateful` (with its symmetry
# between replicas, the default) and, for the record, `explore --stateful --no-symmetry`.
# All are timed as whole processes, in turns (msgsim, pan, msgsim without symmetry, msgsim,
# pan ...), each round under one timeout.
# When spin is missing, it is installed (Debian package spin) if this runs as root; else
# the section says so.
#
# Environment: BENCH_RUNS [5], BENCH_EXPLORE_TIMEOUT seconds per run [60].
set -eu
[ $# -eq 2 ] || {
	echo "usage: bench_explore.sh MSGSIM BENCH-TIME" >&2
	exit 2
}
abspath() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
msgsim=$(abspath "$1")
timer=$(abspath "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-5}
timeout=${BENCH_EXPLORE_TIMEOUT:-60}
scn=$root/scenarios/explore/bounded-buffer.scn
pml=$root/tests/bench/bounded-buffer.pml

echo "## Exploration beside SPIN (issue 15)"
echo
# ---- Explored calls per second, on one core (the explorer has one thread) ----
# The search's own count of the calls it executed (replays included) over its own wall
# time, from its JSON line: DPOR alone cut at a fixed time (it would run for hours), and
# the stateful walk without symmetry, which completes.
C=$(mktemp -d "${TMPDIR:-/tmp}/msgsim-bench-rate.XXXXXX")
: >"$C/rates"
round=1
while [ "$round" -le "$runs" ]; do
	for id in dpor walk; do
		case $id in
		dpor) set -- --stateless --max-time 3s ;;
		*) set -- --no-symmetry --max-time 30s ;;
		esac
		"$msgsim" explore "$@" --format json "$scn" 2>/dev/null | tail -n 1 >"$C/json" || true
		calls=$(sed -n 's/.*"calls":\([0-9]*\),.*/\1/p' "$C/json")
		secs=$(sed -n 's/.*"seconds":\([0-9.]*\),.*/\1/p' "$C/json")
		[ -n "$calls" ] && [ -n "$secs" ] && echo "$id $calls $secs" >>"$C/rates"
	done
	round=$((round + 1))
done
rate() { # rate ID: the median of calls/seconds over the runs, as a whole number
	awk -v a="$1" '$1 == a && $3 > 0 { v[++k] = $2 / $3 } END {
		if (!k) exit
		for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
		printf "%.0f", k % 2 ? v[(k+1)/2] : (v[k/2] + v[k/2+1]) / 2 }' "$C/rates"
}
runs_of() { awk -v a="$1" '$1 == a { n++ } END { print n + 0 }' "$C/rates"; }
dr=$(rate dpor)
wr=$(rate walk)
nd=$(runs_of dpor)
nw=$(runs_of walk)
rm -rf "$C"
echo "### Explored calls per second"
echo
echo "The same buffer, \`msgsim explore --format json\`: the calls the search executed (replays"
echo "included) over its own wall time, the median of $runs runs each, on one core (the"
echo "explorer is one thread). DPOR alone (\`--stateless\`) is cut at 3 s; the stateful walk"
echo "(\`--no-symmetry\`, so that it runs long enough to time) completes, and each of its"
echo "calls also digests the state it reaches and may save a snapshot."
echo
echo "| search | runs | calls per second (median) |"
echo "|---|---:|---:|"
echo "| DPOR alone (\`--stateless\`) | $nd | ${dr:-none} |"
echo "| stateful walk (\`--no-symmetry\`) | $nw | ${wr:-none} |"
echo
if [ -n "$dr" ]; then
	verdict=$(awk -v r="$dr" 'BEGIN { print (r >= 1000000) ? "**met**" : "not met" }')
	echo "Goal (at least 1,000,000 explored calls per second on one core): $verdict ($dr with DPOR)."
else
	echo "Goal (at least 1,000,000 explored calls per second on one core): not measured (no run ended)."
fi
echo
echo "### Against SPIN"
echo
if ! command -v spin >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "bench: installing spin (Debian package spin)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y spin >/dev/null 2>&1 || true
fi
if ! command -v spin >/dev/null 2>&1; then
	echo "SPIN is not installed (Debian package \`spin\`; this run was not root, or apt-get"
	echo "failed), so the comparison was not made."
	exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/msgsim-bench-explore.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"
cp "$pml" model.pml
spin -a model.pml >/dev/null
${CC:-cc} -O2 -DSAFETY -o pan pan.c
: >results
round=1
while [ "$round" -le "$runs" ]; do
	for id in msgsim pan nosym; do
		case $id in
		msgsim) set -- "$msgsim" explore --stateful --format json "$scn" ;;
		nosym) set -- "$msgsim" explore --stateful --no-symmetry --format json "$scn" ;;
		*) set -- ./pan -m10000 ;;
		esac
		"$timer" -t "$timeout" -o out.$id -e err.$id -- "$@" >line
		read -r status secs peak <line
		echo "$id $round $status $secs $peak" >>results
	done
	echo "bench: explore round $round of $runs done" >&2
	round=$((round + 1))
done
med() { # med ID: median seconds of the good runs, or ""
	awk -v a="$1" '$1 == a && $3 == "0" { v[++k] = $4 } END {
		if (!k) exit
		for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
		printf "%.3f", k % 2 ? v[(k+1)/2] : (v[k/2] + v[k/2+1]) / 2 }' results
}
bad() { awk -v a="$1" '$1 == a && $3 != "0" { n++ } END { print n + 0 }' results; }
ms=$(med msgsim)
ps=$(med pan)
ns=$(med nosym)
states=$(sed -n 's/^ *\([0-9][0-9]*\) states, stored.*/\1/p' out.pan | head -n 1)
pan_err=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' out.pan | head -n 1)
json=$(tail -n 1 out.msgsim 2>/dev/null || true)
field() { echo "$json" | sed -n "s/.*\"$1\":\([^,]*\),.*/\1/p"; }
json_ns=$(tail -n 1 out.nosym 2>/dev/null || true)
field_ns() { echo "$json_ns" | sed -n "s/.*\"$1\":\([^,]*\),.*/\1/p"; }
echo "Model: scenarios/explore/bounded-buffer.scn and tests/bench/bounded-buffer.pml (3 producers,"
echo "3 consumers, 4 alike items each, capacity 3). Both observe every reachable end state and"
echo "whether it is a deadlock; a consumer's received sequence is only its length in both. pan:"
echo "\`spin -a\`, \`cc -O2 -DSAFETY\`, partial-order reduction on, \`./pan -m10000\` (the compile is not"
echo "timed). msgsim: \`explore --stateful\`, and the same with \`--no-symmetry\` for the record."
echo "$runs rounds, in turns, each run stopped after $timeout s."
echo "msgsim's state graph is finer than pan's: a producer that finds the buffer full blocks"
echo "holding its item, in the order it came (the model of the kernel's wait queue), where pan's"
echo "producer only waits at its send, and a woken call finishes in a step of its own. The"
echo "stateful search walks the graph depth first from snapshots of the world (no replay of a"
echo "prefix), takes a woken call's finish and a quiet exit at once (steps that touch nothing"
echo "but their own process), and prunes states by a 64-bit digest. The digest is taken up to"
echo "permutations of interchangeable replicas (the three producers, the three consumers), and"
echo "the outcome set is closed under them at the end (sim/explore/symmetry.c); pan has no"
echo "symmetry reduction. pan's time is mostly its hash table's allocation (system time);"
echo "msgsim's is user time."
echo
echo "| tool | median time (s) | runs stopped or failed | states | complete / errors |"
echo "|---|---:|---:|---:|---|"
st=$(field states)
cm=$(field complete)
echo "| msgsim explore --stateful | ${ms:-none finished} | $(bad msgsim) of $runs | ${st:-(stopped)} | complete=${cm:-no} |"
echo "| SPIN pan -DSAFETY | ${ps:-none finished} | $(bad pan) of $runs | ${states:-?} | errors: ${pan_err:-?} |"
echo "| msgsim explore --stateful --no-symmetry | ${ns:-none finished} | $(bad nosym) of $runs | $(field_ns states) | complete=$(field_ns complete) |"
echo
if [ -n "$ms" ] && [ -n "$ps" ]; then
	verdict=$(awk -v m="$ms" -v p="$ps" 'BEGIN { print (m < p) ? "**met**" : "not met" }')
	echo "Goal (msgsim's complete exploration faster than pan's): $verdict ($ms s against $ps s)."
else
	echo "Goal (msgsim's complete exploration faster than pan's): **not met**: msgsim did not finish"
	echo "within $timeout s."
fi
echo
