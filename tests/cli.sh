#!/bin/sh
# cli.sh — checks the command line itself: exit statuses and messages of sim/main.c.
#
#   tests/cli.sh MSGSIM
#
# Each check runs msgsim once on a tiny scenario and compares its exit status (and, where
# it matters, what it printed or left on disk). Fast: no check runs a long scenario.
set -u
msgsim=${1:?usage: cli.sh MSGSIM}
case $msgsim in /*) ;; *) msgsim=$(pwd)/$msgsim ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS DESCRIPTION -- COMMAND...: runs COMMAND (stdout to $tmp/out, stderr to
# $tmp/err) and checks its exit status.
expect() {
	want=$1 what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$what: exit status $got, expected $want"
		sed -n '1,3p' "$tmp/err"
		return 1
	fi
	ok
}

# err_has TEXT DESCRIPTION: the last command's standard error contains TEXT.
err_has() {
	if grep -qF -- "$1" "$tmp/err"; then ok; else
		bad "$2: standard error lacks '$1'"
		sed -n '1,3p' "$tmp/err"
	fi
}

cat >"$tmp/c.scn" <<'EOF'
process P { print "hello" }
EOF
scn=$tmp/c.scn

# 1. Write errors are errors (exit 2, "writing OUTPUT: strerror"), wherever the output goes.
if [ -w /dev/full ]; then
	expect 2 "run -o /dev/full" -- "$msgsim" run "$scn" -o /dev/full &&
		err_has "msgsim: error: writing /dev/full: No space left on device" "run -o /dev/full"
	expect 2 "run > /dev/full" -- sh -c '"$1" run "$2" >/dev/full' sh "$msgsim" "$scn" &&
		err_has "msgsim: error: writing standard output: No space left on device" "run > /dev/full"
	expect 2 "run --quiet > /dev/full" -- sh -c '"$1" run -q "$2" >/dev/full' sh "$msgsim" "$scn"
	expect 2 "check > /dev/full" -- sh -c '"$1" check "$2" >/dev/full' sh "$msgsim" "$scn"
	expect 2 "ipcs > /dev/full" -- sh -c '"$1" ipcs "$2" >/dev/full' sh "$msgsim" "$scn"
	expect 2 "help > /dev/full" -- sh -c '"$1" help >/dev/full' sh "$msgsim"
fi
if [ -e /proc/version ]; then
	expect 2 "run -o /proc/version" -- "$msgsim" run "$scn" -o /proc/version
fi
expect 2 "run -o into a missing directory" -- "$msgsim" run "$scn" -o "$tmp/no/such/file"

# 2. The trace never replaces the scenario: same path, a symlink, a hard link, stdin.
cp "$scn" "$tmp/self.scn"
cp "$scn" "$tmp/orig.scn"
ln -s self.scn "$tmp/sym.trace"
ln "$tmp/self.scn" "$tmp/hard.trace"
for o in "$tmp/self.scn" "$tmp/sym.trace" "$tmp/hard.trace"; do
	cat "$tmp/orig.scn" >"$tmp/self.scn" # in place: the links keep pointing at it
	expect 2 "run self.scn -o $(basename "$o")" -- "$msgsim" run "$tmp/self.scn" --output "$o" &&
		err_has "is the scenario" "run self.scn -o $(basename "$o")"
	cmp -s "$tmp/self.scn" "$tmp/orig.scn" || bad "run self.scn -o $o changed the scenario"
done
cat "$tmp/orig.scn" >"$tmp/self.scn"
expect 2 "run - -o FILE < FILE" -- sh -c '"$1" run - -o "$2" <"$2"' sh "$msgsim" "$tmp/self.scn"
cmp -s "$tmp/self.scn" "$tmp/orig.scn" || bad "run - -o FILE < FILE changed the scenario"
# ... while an ordinary output file is still replaced, not appended to.
echo "some old longer text that must go away, all of it, every byte" >"$tmp/t.trace"
expect 0 "run -o FILE" -- "$msgsim" run "$scn" -o "$tmp/t.trace"
"$msgsim" run "$scn" >"$tmp/want" 2>/dev/null
cmp -s "$tmp/t.trace" "$tmp/want" || bad "run -o FILE: the file is not exactly the trace"

# 3. Option values: negative numbers, zero guard rails.
for opt in "--seed -1" "--max-lines -1" "--max-steps -1" "--max-steps 0" \
	"--max-memory 0" "--max-memory -1" "--max-time 0" "--seed x" "--max-steps 1x"; do
	# shellcheck disable=SC2086 # the option and its value are two words
	expect 2 "run $opt" -- "$msgsim" run $opt "$scn"
done
expect 2 "ipcs --seed -1" -- "$msgsim" ipcs --seed -1 "$scn"
expect 2 "ipcs --max-steps 0" -- "$msgsim" ipcs --max-steps 0 "$scn"
expect 2 "crosscheck --seed -1" -- "$msgsim" crosscheck --seed -1 "$scn"
expect 2 "crosscheck --step-timeout 0" -- "$msgsim" crosscheck --step-timeout 0 "$scn"
expect 2 "crosscheck --max-steps 0" -- "$msgsim" crosscheck --max-steps 0 "$scn"
expect 0 "run --seed 0 --max-lines 0 --max-steps 10" -- \
	"$msgsim" run --seed 0 --max-lines 0 --max-steps 10 "$scn"
expect 0 "run --seed 18446744073709551615" -- "$msgsim" run --seed 18446744073709551615 "$scn"

# 4. An unknown command lists every command.
expect 2 "msgsim bogus" -- "$msgsim" bogus &&
	err_has "expected run, check, ipcs, crosscheck, quiz, record or help" "msgsim bogus"

# 5. -o - is standard output, and makes no file named "-".
(cd "$tmp" && "$msgsim" run "$scn" -o - >"$tmp/dash" 2>"$tmp/err")
st=$?
if [ $st -ne 0 ] || [ -e "$tmp/-" ] || ! cmp -s "$tmp/dash" "$tmp/want"; then
	bad "run -o -: status $st, or a file named '-', or not the trace on standard output"
else
	ok
fi

# 6. The documentation says what --help says: every run option, and the same defaults.
root=$(cd "$(dirname "$0")/.." && pwd)
"$msgsim" run --help >"$tmp/help" 2>&1
steps=$(sed -n 's/.*--max-steps=N.*default \([0-9]*\).*/\1/p' "$tmp/help")
[ -n "$steps" ] || bad "run --help: no --max-steps default"
for opt in --seed --format --output --quiet --max-lines --max-steps --max-time --max-memory; do
	grep -qF -- "$opt" "$tmp/help" || bad "run --help lacks $opt"
	grep -qF -- "$opt" "$root/scenarios/README.md" || bad "scenarios/README.md lacks $opt"
	grep -qF -- "$opt" "$root/README.md" || bad "README.md lacks $opt"
done
if grep -q -- "--max-steps N\` (stop after N statements, default" "$root/scenarios/README.md" ||
	! grep -q -- "--max-steps N\`: stop after N statements, at least 1 (default $steps)" \
		"$root/scenarios/README.md"; then
	bad "scenarios/README.md: --max-steps default is not --help's $steps"
fi
grep -q "under a second with \`--quiet\`) |" "$root/README.md" &&
	bad "README.md: the runaway-loop claim holds only for cheap statements"
for what in max-memory "time overflow\|time overflowing"; do
	sed -n '/^## Exit status/,/^## /p' "$root/scenarios/README.md" | grep -q -- "$what" ||
		bad "scenarios/README.md: exit status table lacks $what"
done
"$msgsim" help >"$tmp/help" 2>&1
grep -q "could not be written" "$tmp/help" || bad "msgsim help: no word on write errors"
ok

# 7. Parameters: -D NAME=VALUE sets a scenario's `param`, on every command that reads one;
# a -D the scenario does not declare, or a value of the wrong shape, is a bad scenario (2).
cat >"$tmp/param.scn" <<'EOF'
param N = 2
param WHO = "world"
process P { repeat N as i { print "hello $WHO ${i * 10}" } }
EOF
expect 0 "run with params" -- "$msgsim" run "$tmp/param.scn" &&
	{ grep -qF 'print "hello world 10"' "$tmp/out" && ok || bad "run: param not used"; }
expect 0 "run -D" -- "$msgsim" run -D N=3 -D WHO=class "$tmp/param.scn" &&
	{ grep -qF 'print "hello class 20"' "$tmp/out" && ok || bad "run -D: not overridden"; }
expect 0 "run --define" -- "$msgsim" run --define=N=1 "$tmp/param.scn" &&
	{ grep -qF 'hello world 10' "$tmp/out" && bad "run --define: not overridden" || ok; }
expect 2 "run -D unknown" -- "$msgsim" run -D M=1 "$tmp/param.scn" &&
	err_has "error: -D M: the scenario declares no parameter 'M' (its parameters: N, WHO)" \
		"run -D unknown"
expect 2 "run -D bad value" -- "$msgsim" run -D N=many "$tmp/param.scn" &&
	err_has "error: -D N=many: expected a whole number" "run -D bad value"
expect 2 "check -D unknown" -- "$msgsim" check -D M=1 "$tmp/param.scn"
expect 0 "check -D" -- "$msgsim" check -D N=5 "$tmp/param.scn" &&
	{ grep -qxF 'parameters: N = 5 (-D), WHO = "world"' "$tmp/out" && ok ||
		bad "check: parameters line: $(tail -1 "$tmp/out")"; }
expect 0 "ipcs -D" -- "$msgsim" ipcs -D N=5 "$tmp/param.scn"
for cmd in run check ipcs crosscheck; do
	"$msgsim" $cmd --help >"$tmp/help" 2>&1
	grep -qF -- "--define=NAME=VALUE" "$tmp/help" && ok || bad "$cmd --help lacks -D"
done

# 8b. quiz: the same seed gives the same quiz; -c adds the answers; help lists quiz.
cat >"$tmp/quiz.scn" <<'EOF'
param N = random 1..1000
process P { repeat N { compute 1us } }
expect time <= 1s
EOF
expect 0 "quiz -s 3" -- "$msgsim" quiz -s 3 "$tmp/quiz.scn" && cp "$tmp/out" "$tmp/quiz1"
expect 0 "quiz --seed 3" -- "$msgsim" quiz --seed 3 "$tmp/quiz.scn" &&
	{ cmp -s "$tmp/out" "$tmp/quiz1" && ok || bad "quiz: the same seed gave another quiz"; }
grep -q "^# 1. time == ?$" "$tmp/quiz1" && ok || bad "quiz: no blanked question"
expect 0 "quiz -c" -- "$msgsim" quiz -c -s 3 "$tmp/quiz.scn" &&
	{ grep -q "^#    answer: time " "$tmp/out" && ok || bad "quiz -c: no answer"; }
"$msgsim" help >"$tmp/help" 2>&1
grep -q "^  quiz " "$tmp/help" && ok || bad "msgsim help lacks quiz"

# 8c. record: the scenario with expectations of what happened, which pass on it.
expect 0 "record" -- "$msgsim" record "$tmp/quiz.scn" && cp "$tmp/out" "$tmp/rec.scn"
grep -q "^expect P exit=0$" "$tmp/rec.scn" && ok || bad "record: no exit expectation"
expect 0 "run a record" -- "$msgsim" run -q "$tmp/rec.scn"

# 8. --version: one line, the program's name and version, exit 0.
expect 0 "--version" -- "$msgsim" --version &&
	{ grep -qxE 'msgsim [0-9]+\.[0-9]+\.[0-9]+.*' "$tmp/out" && ok || bad "--version: $(cat "$tmp/out")"; }

# 9. The man pages render without a warning; make install puts the program, its man
# pages, the scenarios and the completion under DESTDIR/PREFIX, and uninstall takes them.
if command -v man >/dev/null 2>&1; then
	for page in "$root/dist/msgsim.1" "$root/dist/msgsim-scenario.5"; do
		w=$(MANWIDTH=80 man --warnings=all -l "$page" 2>&1 >/dev/null)
		[ -z "$w" ] && ok || bad "man -l $page: $w"
	done
fi
if make -s -C "$root" install PREFIX=/usr DESTDIR="$tmp/stage" >/dev/null 2>&1; then
	for f in bin/msgsim share/man/man1/msgsim.1 share/man/man5/msgsim-scenario.5 \
		share/bash-completion/completions/msgsim share/msgsim/scenarios/textbook/p1p2p3.scn \
		share/vim/vimfiles/syntax/scn.vim; do
		[ -f "$tmp/stage/usr/$f" ] && ok || bad "make install: no $f"
	done
	make -s -C "$root" uninstall PREFIX=/usr DESTDIR="$tmp/stage" >/dev/null 2>&1
	left=$(find "$tmp/stage" -type f | wc -l)
	[ "$left" -eq 0 ] && ok || bad "make uninstall left $left files"
else
	bad "make install failed"
fi

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
