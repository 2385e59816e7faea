#!/bin/sh
# golden.sh — runs every scenario under scenarios/ and compares its trace with the golden copy.
#
#   tests/golden.sh MSGSIM [--update]
#
# For scenarios/DIR/NAME.scn the golden text trace is tests/golden/DIR/NAME.trace, or
# NAME.report for a scenario whose full trace would be too long to keep (tens of thousands
# of calls): then only the report (`msgsim run --quiet`) is compared (and,
# when present, a JSON Lines trace tests/golden/DIR/NAME.jsonl (NAME.jsonl2: in schema
# version 2, `--jsonl-schema 2`), and the end state as
# `msgsim ipcs` prints it, tests/golden/DIR/NAME.ipcs; pictures of the run where kept:
# NAME.chrome.json, NAME.mmd, NAME.dot for --format chrome, mermaid, dot; for a scenario with
# parameters, tests/golden/DIR/NAME@A=1,B=x.trace, its trace when run with -D A=1 -D B=x; and
# NAME.quiz and NAME.answers, what `msgsim quiz` and `msgsim quiz -c` print; NAME.out, what
# `msgsim run --program-output` prints; NAME.columns and NAME.color, the trace with --columns
# or --color=always, and --source; NAME.explain and NAME.holders, with --explain or
# --holders). Every
# scenario must:
#   - have a golden trace (a scenario without one fails: nothing goes unchecked),
#   - exit with status 0 (its expectations hold; a deadlock it expects is fine),
#   - print exactly the golden bytes, twice in a row (determinism).
# Every tests/bad/NAME.scn must be rejected with exit status 2 and exactly the message in
# tests/bad/NAME.err on standard error, with nothing on standard output.
# --update rewrites the golden files from the current build instead (review the diff!).
set -u
msgsim=${1:?usage: golden.sh MSGSIM [--update]}
update=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

check_one() { # scenario format golden [run options]
	scn=$1 fmt=$2 golden=$3
	shift 3
	"$msgsim" run "$@" --format "$fmt" "$scn" >"$tmp/out1" 2>"$tmp/err1"
	status=$?
	if [ "$update" = "--update" ]; then
		mkdir -p "$(dirname "$golden")"
		cp "$tmp/out1" "$golden"
	fi
	if [ $status -ne 0 ]; then
		bad "$scn ($fmt): exit status $status, expected 0"
		sed -n '1,5p' "$tmp/err1"
		grep -E '^-- (expect .*FAIL|deadlock|stopped|result)' "$tmp/out1" | head -5
		return
	fi
	if [ ! -f "$golden" ]; then
		bad "$scn: no golden trace $golden (run make golden-update and review it)"
		return
	fi
	if ! cmp -s "$tmp/out1" "$golden"; then
		bad "$scn ($fmt): trace differs from $golden"
		diff -u "$golden" "$tmp/out1" | sed -n '1,20p'
		return
	fi
	"$msgsim" run "$@" --format "$fmt" "$scn" >"$tmp/out2" 2>/dev/null
	if ! cmp -s "$tmp/out1" "$tmp/out2"; then
		bad "$scn ($fmt): two runs printed different traces"
		return
	fi
	ok
}

for scn in $(find scenarios -name '*.scn' | sort); do
	rel=${scn#scenarios/}
	base=tests/golden/${rel%.scn}
	if [ -f "$base.report" ]; then
		check_one "$scn" text "$base.report" --quiet
	else
		check_one "$scn" text "$base.trace"
	fi
	if [ -f "$base.jsonl" ]; then
		check_one "$scn" jsonl "$base.jsonl"
	fi
	# NAME.jsonl2: the JSON Lines trace in schema version 2, which --jsonl-schema 2 keeps.
	if [ -f "$base.jsonl2" ]; then
		check_one "$scn" jsonl "$base.jsonl2" --jsonl-schema 2
	fi
	# Pictures of the run (--format chrome, mermaid, dot), where a golden copy is kept:
	# NAME.chrome.json, NAME.mmd, NAME.dot.
	for pic in chrome:chrome.json mermaid:mmd dot:dot; do
		if [ -f "$base.${pic#*:}" ]; then
			check_one "$scn" "${pic%%:*}" "$base.${pic#*:}"
		fi
	done
	# The text trace for a person, where a golden copy is kept: NAME.columns is
	# `run --columns --source --color=never`, NAME.color is `run --color=always --source`,
	# NAME.explain is `run --explain --color=never`, NAME.holders `run --holders --color=never`.
	if [ -f "$base.columns" ]; then
		check_one "$scn" text "$base.columns" --columns --source --color=never
	fi
	if [ -f "$base.color" ]; then
		check_one "$scn" text "$base.color" --color=always --source
	fi
	if [ -f "$base.explain" ]; then
		check_one "$scn" text "$base.explain" --explain --color=never
	fi
	if [ -f "$base.holders" ]; then
		check_one "$scn" text "$base.holders" --holders --color=never
	fi
	# NAME@A=1,B=x.trace: the same scenario with its parameters set, run -D A=1 -D B=x.
	for golden in "$base"@*.trace; do
		[ -f "$golden" ] || continue
		defs=${golden#"$base"@}
		defs=${defs%.trace}
		set --
		old_ifs=$IFS
		IFS=,
		for d in $defs; do set -- "$@" -D "$d"; done
		IFS=$old_ifs
		check_one "$scn" text "$golden" "$@"
	done
	# NAME.quiz and NAME.answers: what `msgsim quiz` and `msgsim quiz -c` print.
	for kind in quiz answers; do
		[ -f "$base.$kind" ] || continue
		if [ $kind = quiz ]; then
			"$msgsim" quiz "$scn" >"$tmp/quiz" 2>&1
		else
			"$msgsim" quiz -c "$scn" >"$tmp/quiz" 2>&1
		fi
		[ "$update" = "--update" ] && cp "$tmp/quiz" "$base.$kind"
		if cmp -s "$tmp/quiz" "$base.$kind"; then
			ok
		else
			bad "$scn: msgsim quiz differs from $base.$kind"
			diff -u "$base.$kind" "$tmp/quiz" | sed -n '1,12p'
		fi
	done
	# NAME.out: what the processes print, `msgsim run --program-output`, exit status 0.
	if [ -f "$base.out" ]; then
		"$msgsim" run --program-output "$scn" >"$tmp/progout" 2>&1
		status=$?
		[ "$update" = "--update" ] && cp "$tmp/progout" "$base.out"
		if [ $status -ne 0 ]; then
			bad "$scn: msgsim run --program-output exit status $status, expected 0"
		elif cmp -s "$tmp/progout" "$base.out"; then
			ok
		else
			bad "$scn: msgsim run --program-output differs from $base.out"
			diff -u "$base.out" "$tmp/progout" | sed -n '1,12p'
		fi
	fi
	if [ -f "$base.ipcs" ]; then
		"$msgsim" ipcs "$scn" >"$tmp/ipcs" 2>&1
		[ "$update" = "--update" ] && cp "$tmp/ipcs" "$base.ipcs"
		if cmp -s "$tmp/ipcs" "$base.ipcs"; then
			ok
		else
			bad "$scn: msgsim ipcs differs from $base.ipcs"
			diff -u "$base.ipcs" "$tmp/ipcs" | sed -n '1,12p'
		fi
	fi
done

for scn in $(find tests/bad -name '*.scn' 2>/dev/null | sort); do
	want=${scn%.scn}.err
	"$msgsim" run "$scn" >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ "$update" = "--update" ] && cp "$tmp/err" "$want"
	if [ $status -ne 2 ]; then
		bad "$scn: exit status $status, expected 2"
	elif [ -s "$tmp/out" ]; then
		bad "$scn: printed a trace although the scenario is bad"
	elif ! cmp -s "$tmp/err" "$want"; then
		bad "$scn: error message differs from $want"
		diff -u "$want" "$tmp/err" | sed -n '1,10p'
	else
		ok
	fi
done

# Exploration: for tests/golden/DIR/NAME.explore, `msgsim explore scenarios/DIR/NAME.scn`
# prints exactly that (its wall time, the one line that varies, left out), followed by a
# line with its exit status: the outcome set, counts, witnesses and verdicts are golden.
explore_out() { # scenario
	"$msgsim" explore "$1" >"$tmp/explore.raw" 2>/dev/null
	status=$?
	sed '2s/, [0-9.]* s$//' "$tmp/explore.raw"
	echo "exit status $status"
}
for golden in $(find tests/golden -name '*.explore' | sort); do
	rel=${golden#tests/golden/}
	scn=scenarios/${rel%.explore}.scn
	explore_out "$scn" >"$tmp/explore"
	[ "$update" = "--update" ] && cp "$tmp/explore" "$golden"
	if cmp -s "$tmp/explore" "$golden"; then
		ok
	else
		bad "$scn: msgsim explore differs from $golden"
		diff -u "$golden" "$tmp/explore" | sed -n '1,12p'
	fi
done

echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
