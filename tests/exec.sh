#!/bin/sh
# exec.sh — `msgsim exec` on the example programs (scenarios/programs, built by `make
# programs`) and on the test programs of tests/exec, which this script builds.
#
#   tests/exec.sh MSGSIM [--update]
#
# Checks: each example's trace equals its golden copy tests/golden/programs/NAME.trace,
# twice in a row (one seed, one run); a raw syscall(2) program and its static build give
# the same trace; the errno paths of the four calls print what the kernel prints (the
# program run natively in a private IPC namespace); a thread, a program that cannot be
# executed and a deadlock are refused or reported with their exit status; SIGTERM to
# msgsim leaves no guest behind. Where the kernel lacks seccomp user notification or the
# namespaces, the whole script says so and skips (exit 0), as the cross-check does.
# A key whose ftok file is not among the arguments would show in hex: it is masked as KEY.
set -u
msgsim=${1:?usage: exec.sh MSGSIM [--update]}
update=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
case $msgsim in /*) ;; *) msgsim=$root/$msgsim ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! probe=$("$msgsim" exec -- /bin/true 2>&1); then
	echo "exec.sh: SKIP: this machine cannot run msgsim exec: $probe"
	exit 0
fi

P=build/programs
for p in msgsnd msgrcv server client pingpong; do
	[ -x $P/$p ] || { echo "exec.sh: $P/$p missing (make programs)"; exit 2; }
done
W="-std=c11 -Wall -Wextra -Werror -O2 -D_GNU_SOURCE"
cc $W -o "$tmp/raw" tests/exec/raw.c &&
	cc $W -o "$tmp/errors" tests/exec/errors.c &&
	cc $W -o "$tmp/serial" tests/exec/serial.c &&
	cc $W -o "$tmp/system" tests/exec/system.c &&
	cc $W -o "$tmp/ipcs" tests/exec/ipcs.c &&
	cc $W -o "$tmp/hog" tests/exec/hog.c &&
	cc $W -pthread -o "$tmp/thread" tests/exec/thread.c || exit 2
static=yes
cc $W -static -o "$tmp/raw-static" tests/exec/raw.c 2>/dev/null || static=no
cc $W -o "$tmp/clock" tests/exec/clock.c || exit 2
[ $static = no ] || cc $W -static -o "$tmp/clock-static" tests/exec/clock.c || exit 2

keys() { sed -E 's/msgget\(0x[0-9a-f]{8}/msgget(KEY/'; }

# The lecture's programs print their key (and ipcs shows it): ftok(FILE, 0x27) comes from
# FILE's inode, which differs between checkouts, so their goldens hold 0x27xxxxxx instead.
L=scenarios/programs
lkey=$(stat -c '%d %i' $L/msgsnd.c | {
	read -r dev ino
	printf '0x%08x' $(((0x27 << 24) | ((dev & 0xff) << 16) | (ino & 0xffff)))
})
lkeys() { case $name in lecture*) sed "s/$lkey/0x27xxxxxx/g" ;; *) cat ;; esac; }

golden() { # name seed [--input=FILE] args... (a test program built in $tmp shows as TMP/)
	name=$1 seed=$2 inp=
	shift 2
	case $1 in --input=*) inp=$1 && shift ;; esac
	"$msgsim" exec --seed "$seed" $inp -- "$@" 2>&1 | keys | lkeys | sed "s|$tmp/|TMP/|g" >"$tmp/out1"
	"$msgsim" exec --seed "$seed" $inp -- "$@" 2>&1 | keys | lkeys | sed "s|$tmp/|TMP/|g" >"$tmp/out2"
	g=tests/golden/programs/$name.trace
	if [ "$update" = "--update" ]; then
		mkdir -p tests/golden/programs
		cp "$tmp/out1" "$g"
	fi
	if ! cmp -s "$tmp/out1" "$tmp/out2"; then
		bad "$name: two runs with seed $seed differ"
	elif ! cmp -s "$tmp/out1" "$g"; then
		bad "$name: trace differs from $g"
		diff "$g" "$tmp/out1" | head -20
	else
		ok
	fi
}

# The lecture's demo as the slides run it, one command after the other at a shell: the
# sender, then the receiver of type 2 (8 messages remain: no question); then, with 'y' on
# the terminal, the receiver of any type too, which empties the queue and removes it.
# And the typed-receive server with two clients.
snd="$P/msgsnd $L/msgsnd.c $L/msgsnd.txt" rcv="$P/msgrcv $L/msgsnd.c"
golden lecture 1 /bin/sh -c "$snd; $rcv 2"
golden lecture-delete 1 --input=$L/msgrcv-yes.txt /bin/sh -c "$snd; $rcv 2; $rcv 0"
golden server 4 $P/server scenarios/programs/server.c 4 --- \
	$P/client scenarios/programs/server.c 2 2 --- $P/client scenarios/programs/server.c 3 2

# fork and wait: the child is a guest of its own; its parent's waitpid waits in the model.
golden pingpong 1 $P/pingpong 2
golden pingpong-seed3 3 $P/pingpong 3

# system(): vfork, the child's execve of sh, its output, and the wait that collects it.
"$msgsim" exec -- "$tmp/system" >"$tmp/sys.out" 2>&1
grep -q '^\[3 sh\] | hello from sh$' "$tmp/sys.out" &&
	grep -Eq '^\[2 system\] wait4\(3\) collects 3 sh( \(woken\))?$' "$tmp/sys.out" &&
	grep -q '^\[2 system\] | system gave 768$' "$tmp/sys.out" && ok ||
	bad "system() under exec: $(cat "$tmp/sys.out")"

# system("ipcs -q"): ipcs reads /proc/sysvipc/msg, which shows the model's queue; and
# getrandom draws from the seed (same seed, same bytes; another seed, others).
if [ -x /usr/bin/ipcs ]; then
	"$msgsim" exec -- "$tmp/ipcs" >"$tmp/ipcs.out" 2>&1
	grep -Eq '^\[4 ipcs\] \| 0x0000002a 0 +[a-z0-9]+ +644 +512 +1 *$' "$tmp/ipcs.out" && ok ||
		bad "ipcs -q inside a program does not show the model: $(cat "$tmp/ipcs.out")"
fi
r1=$("$msgsim" exec --seed 5 --program-output -- "$tmp/ipcs" | grep '^random')
r2=$("$msgsim" exec --seed 5 --program-output -- "$tmp/ipcs" | grep '^random')
r3=$("$msgsim" exec --seed 6 --program-output -- "$tmp/ipcs" | grep '^random')
[ -n "$r1" ] && [ "$r1" = "$r2" ] && [ "$r1" != "$r3" ] && ok ||
	bad "getrandom is not drawn from the seed: '$r1' '$r2' '$r3'"

# --program-output: only what the programs print.
"$msgsim" exec --seed 4 --program-output -- $P/server scenarios/programs/server.c 4 --- \
	$P/client scenarios/programs/server.c 2 2 --- $P/client scenarios/programs/server.c 3 2 \
	>"$tmp/po"
grep -v '^\[' tests/golden/programs/server.trace >/dev/null
sed -n 's/^\[[^]]*\] | //p' tests/golden/programs/server.trace >"$tmp/po.want"
cmp -s "$tmp/po" "$tmp/po.want" && ok || bad "--program-output is not the trace's program lines"

# syscall(2) and a static binary are trapped like the libc wrappers.
"$msgsim" exec -- "$tmp/raw" 2 2>&1 | sed 's/raw-static/raw/g' >"$tmp/raw.out"
grep -q 'msgrcv(0, buf, 64, 7, 0) = 64 {7, "ping"}' "$tmp/raw.out" && ok ||
	bad "raw syscall(2) msgrcv not served"
if [ $static = yes ]; then
	"$msgsim" exec -- "$tmp/raw-static" 2 2>&1 | sed 's/raw-static/raw/g' >"$tmp/static.out"
	cmp -s "$tmp/raw.out" "$tmp/static.out" && ok || bad "a static binary's trace differs"
else
	echo "exec.sh: note: no static libc here, the static binary case is skipped"
fi

# Time: the clocks read the virtual clock, through the vDSO (patched) and the raw call,
# in a dynamic and a static build: the simulated epoch plus a few served calls' worth of
# microseconds (the dynamic loader's opens are served calls too), then two seconds later,
# then the whole second an absolute clock_nanosleep on CLOCK_REALTIME names.
clock_want() { # program before-µs after-µs
	printf 'before: realtime 1756717200.00000%d000 monotonic 0.00000%d000 raw 0.00000%d000\n' $2 $2 $2
	printf 'before: gettimeofday 1756717200.00000%d time 1756717200\n' $2
	printf 'after: realtime 1756717202.00000%d000 monotonic 2.00000%d000 raw 2.00000%d000\n' $3 $3 $3
	printf 'after: gettimeofday 1756717202.00000%d time 1756717202\n' $3
	echo 'until: realtime 1756717203.000001000 monotonic 3.000001000 raw 3.000001000'
	echo 'until: gettimeofday 1756717203.000001 time 1756717203'
}
for c in "clock 3 8" "clock-static 2 6"; do
	set -- $c
	[ -x "$tmp/$1" ] || continue
	clock_want "$@" >"$tmp/$1.want"
	"$msgsim" exec --program-output -- "$tmp/$1" >"$tmp/$1.out" 2>&1
	cmp -s "$tmp/$1.want" "$tmp/$1.out" && ok || {
		bad "$1: the clocks are not virtual"
		diff "$tmp/$1.want" "$tmp/$1.out"
	}
done
"$msgsim" exec -- "$tmp/clock" >"$tmp/clock.trace" 2>&1
[ "$(grep -c "reads the kernel's clock: the model keeps no CPU time" "$tmp/clock.trace")" = 1 ] &&
	grep -q '^\[2 clock\] sleeps until 3.000000 s (virtual)$' "$tmp/clock.trace" && ok ||
	bad "the clock trace: $(cat "$tmp/clock.trace")"

# Every errno path: what the program prints equals a native run's in a fresh namespace.
if unshare --ipc "$tmp/errors" >"$tmp/native" 2>&1; then
	"$msgsim" exec --program-output -- "$tmp/errors" >"$tmp/model" 2>&1
	cmp -s "$tmp/native" "$tmp/model" && ok || {
		bad "errno paths differ from the kernel's"
		diff "$tmp/native" "$tmp/model"
	}
fi

# Serialisation: no two guests ever run at once, even free to use both CPUs (the detector
# itself is shown to work: natively, two copies overlap, which is only reported).
MSGSIM_EXEC_NOPIN=1 "$msgsim" exec --program-output -- "$tmp/serial" "$tmp/lock" 60 --- \
	"$tmp/serial" "$tmp/lock" 60 --- "$tmp/serial" "$tmp/lock" 60 >"$tmp/serial.out" 2>&1
[ "$(cat "$tmp/serial.out")" = "0 overlaps
0 overlaps
0 overlaps" ] && ok || bad "guests ran at the same time: $(cat "$tmp/serial.out")"
"$tmp/serial" "$tmp/lock2" 60 >"$tmp/n1" & "$tmp/serial" "$tmp/lock2" 60 >"$tmp/n2"
wait
grep -q '^0 overlaps' "$tmp/n1" && grep -q '^0 overlaps' "$tmp/n2" &&
	echo "exec.sh: note: the native run of serial did not overlap this time"

# The engine's formats: the calls go to the same sinks as a scenario's. JSON Lines has a
# golden copy; each picture is written to -o FILE and starts as its format does; the text
# trace to -o FILE equals the one on standard output.
"$msgsim" exec --format jsonl -- $P/pingpong 2 >"$tmp/pp.jsonl" 2>&1
"$msgsim" exec --format jsonl -- $P/pingpong 2 >"$tmp/pp2.jsonl" 2>&1
g=tests/golden/programs/pingpong.jsonl
[ "$update" = "--update" ] && cp "$tmp/pp.jsonl" "$g"
cmp -s "$tmp/pp.jsonl" "$tmp/pp2.jsonl" && cmp -s "$tmp/pp.jsonl" "$g" && ok ||
	bad "--format jsonl differs from $g: $(diff "$g" "$tmp/pp.jsonl" | head -5)"
grep -q '"ev":"call","task":"3 pingpong","object":"msq 0","call":"msgrcv"' "$tmp/pp.jsonl" &&
	grep -q '"ev":"end","verdict":"every program ended","status":0' "$tmp/pp.jsonl" && ok ||
	bad "--format jsonl lacks the child's msgrcv or the end"
for f in chrome:'{' mermaid:sequenceDiagram html:'<!DOCTYPE html>' dot:digraph; do
	fmt=${f%%:*} head=${f#*:}
	rm -f "$tmp/pic"
	"$msgsim" exec -f "$fmt" -o "$tmp/pic" -- $P/client scenarios/programs/server.c 2 1 \
		>"$tmp/pic.out" 2>&1
	st=$?
	if [ $st -ne 3 ] || [ -s "$tmp/pic.out" ] || ! head -c 200 "$tmp/pic" | grep -q "$head"; then
		bad "exec -f $fmt -o FILE: status $st, file $(head -c 80 "$tmp/pic" 2>&1)"
	else
		ok
	fi
done
grep -q '"2 client" \[label="2 client stuck in msgrcv' "$tmp/pic" && ok ||
	bad "the dot picture of a deadlock does not show the stuck guest"
"$msgsim" exec -o "$tmp/pp.txt" -- $P/pingpong 2 >"$tmp/pp.stdout" 2>&1
[ ! -s "$tmp/pp.stdout" ] && cmp -s "$tmp/pp.txt" tests/golden/programs/pingpong.trace && ok ||
	bad "exec -o FILE: the text trace is not the golden one"
"$msgsim" exec -f bogus -- /bin/true >"$tmp/o" 2>&1
[ $? -eq 2 ] && grep -q "unknown --format 'bogus' (expected text, jsonl, chrome" "$tmp/o" && ok ||
	bad "exec -f bogus: $(cat "$tmp/o")"

# The kernel.msg* sysctl files show the model's limits (--sysctl sets them), and so does
# ipcs -l, which reads them.
"$msgsim" exec --sysctl msgmax=100 -- /bin/cat /proc/sys/kernel/msgmax \
	/proc/sys/kernel/msgmnb /proc/sys/kernel/msgmni >"$tmp/sysctl.out" 2>&1
grep -q '^\[2 cat\] open("/proc/sys/kernel/msgmax") shows the model.s limit$' "$tmp/sysctl.out" &&
	[ "$(sed -n 's/^\[2 cat\] | //p' "$tmp/sysctl.out" | tr '\n' ' ')" = "100 16384 32000 " ] &&
	ok || bad "the kernel.msg* files do not show the model: $(cat "$tmp/sysctl.out")"
if [ -x /usr/bin/ipcs ]; then
	"$msgsim" exec --program-output --sysctl msgmnb=300 -- /usr/bin/ipcs -l -q >"$tmp/l.out" 2>&1
	grep -q '^default max size of queue (bytes) = 300$' "$tmp/l.out" && ok ||
		bad "ipcs -l under exec: $(cat "$tmp/l.out")"
fi
"$msgsim" exec --sysctl msgmax=x -- /bin/true >"$tmp/o" 2>&1
[ $? -eq 2 ] && grep -q "expected msgmax=N with N from 0 to" "$tmp/o" && ok ||
	bad "exec --sysctl msgmax=x: $(cat "$tmp/o")"

# Expectations: each example's file holds on its run; --record writes every kind of line
# the file can hold (received, calls, how each program ended, the queues, deadlock), the
# same file on the same run, and that file holds when the run is judged by it; another
# schedule of the server fails one line (exit 1, with run's report lines); a deadlock that
# is expected is no failure.
expect_run() { # file seed [--input=FILE] args...
	f=$1 seed=$2 inp=
	shift 2
	case $1 in --input=*) inp=$1 && shift ;; esac
	"$msgsim" exec --seed "$seed" $inp --expect "$f" --record "$tmp/rec" -- "$@" >"$tmp/x.out" 2>&1
	st=$?
	"$msgsim" exec --seed "$seed" $inp --record "$tmp/rec2" -- "$@" >/dev/null 2>&1
	"$msgsim" exec --seed "$seed" $inp --expect "$tmp/rec" -- "$@" >"$tmp/y.out" 2>&1
	st2=$?
	if [ $st -ne 0 ] || ! grep -q '^-- result: every program ended at .*0 failed' "$tmp/x.out"; then
		bad "$f: status $st: $(grep '^--' "$tmp/x.out" | head -5)"
	elif ! cmp -s "$tmp/rec" "$tmp/rec2"; then
		bad "$f: --record of the same run differs: $(diff "$tmp/rec" "$tmp/rec2" | head -5)"
	elif ! grep -q '^expect [a-z0-9_]* received \[' "$tmp/rec" ||
		! grep -q '^expect [a-z0-9_]* calls \[[a-z_]* \(blocked \)\?\(ret\|errno\)=' "$tmp/rec" ||
		! grep -q '^expect [a-z0-9_]* \(exit\|killed\|state\)=' "$tmp/rec" ||
		! grep -q '^expect \(msqid=[0-9]* qnum=\|"/[a-z]*" curmsgs=\)' "$tmp/rec" ||
		! grep -q '^expect \(no \)\?deadlock$' "$tmp/rec"; then
		bad "$f: --record lacks a kind of line: $(cat "$tmp/rec")"
	elif [ $st2 -ne 0 ] || ! grep -q '^-- result: every program ended at .*0 failed' "$tmp/y.out"; then
		bad "$f: the record does not hold on its run: $(grep '^--' "$tmp/y.out" | grep -v PASS | head -5)"
	else
		ok
	fi
}
expect_run $L/lecture.expect 1 --input=$L/msgrcv-yes.txt /bin/sh -c "$snd; $rcv 2; $rcv 0"
expect_run scenarios/programs/pingpong.expect 1 $P/pingpong 2
expect_run scenarios/programs/server.expect 4 $P/server scenarios/programs/server.c 4 --- \
	$P/client scenarios/programs/server.c 2 2 --- $P/client scenarios/programs/server.c 3 2
"$msgsim" exec --seed 5 --expect scenarios/programs/server.expect -- $P/server \
	scenarios/programs/server.c 4 --- $P/client scenarios/programs/server.c 2 2 --- \
	$P/client scenarios/programs/server.c 3 2 >"$tmp/x.out" 2>&1
[ $? -eq 1 ] && grep -q '^-- expect (line 3) FAIL: server received \[1 "3 31" from 4, .*; seen: received \[1 "2 21" from 3' "$tmp/x.out" &&
	grep -q '^-- expect (line 4) PASS: server exit=0$' "$tmp/x.out" && ok ||
	bad "a failing expectation under exec: $(grep '^--' "$tmp/x.out")"
printf 'expect deadlock\nexpect client received []\nexpect 2 exit=0\n' >"$tmp/dl.expect"
"$msgsim" exec --expect "$tmp/dl.expect" -- $P/client scenarios/programs/server.c 2 1 >"$tmp/x.out" 2>&1
[ $? -eq 1 ] && grep -q '^-- expect (line 1) PASS: deadlock$' "$tmp/x.out" &&
	grep -q '^-- expect (line 3) FAIL: 2 exit=0; seen: state=blocked$' "$tmp/x.out" && ok ||
	bad "expect deadlock under exec: $(grep '^--' "$tmp/x.out")"
printf 'expect deadlock\n' >"$tmp/dl.expect"
"$msgsim" exec --expect "$tmp/dl.expect" -- $P/client scenarios/programs/server.c 2 1 >/dev/null 2>&1
[ $? -eq 0 ] && ok || bad "an expected deadlock under exec is not exit status 0"
# state=, the scenario language's form, on the program's engine task (report.c judges it).
printf 'expect deadlock\nexpect client state=blocked\nexpect 2 state=exited\n' >"$tmp/st.expect"
"$msgsim" exec --expect "$tmp/st.expect" -- $P/client scenarios/programs/server.c 2 1 >"$tmp/x.out" 2>&1
[ $? -eq 1 ] && grep -q '^-- expect (line 2) PASS: client state=blocked$' "$tmp/x.out" &&
	grep -q '^-- expect (line 3) FAIL: 2 state=exited; seen: state=blocked$' "$tmp/x.out" && ok ||
	bad "expect state= under exec: $(grep '^--' "$tmp/x.out")"
# A queue by its key, in the JSON Lines trace too; and a bad line, before anything runs.
printf 'expect key=0x2a qnum=1 cbytes=512\nexpect key=42 removed=yes\n' >"$tmp/k.expect"
"$msgsim" exec -f jsonl --expect "$tmp/k.expect" -- "$tmp/ipcs" >"$tmp/x.out" 2>&1
[ $? -eq 1 ] && grep -q '"ev":"expect","expected":"key=0x2a qnum=1 cbytes=512",.*"pass":true' "$tmp/x.out" &&
	grep -q '"expected":"key=42 removed=yes","seen":"removed=no","line":2,"pass":false' "$tmp/x.out" &&
	ok || bad "expect key= under exec: $(grep expect "$tmp/x.out")"
printf '# two lines\n\nexpect msgrcv received [2 "a" frm x]\n' >"$tmp/bad.expect"
"$msgsim" exec --expect "$tmp/bad.expect" -- /bin/true >"$tmp/x.out" 2>&1
[ $? -eq 2 ] && [ "$(cat "$tmp/x.out")" = "msgsim: exec: $tmp/bad.expect:3:31: error: expected ',' or ']' in the list after 'received', found 'frm'" ] &&
	ok || bad "a bad expectations file: $(cat "$tmp/x.out")"
# The file is a scenario file (the scenario parser's programs mode): a word exec adds to
# the language has the language's errors; a program's calls and their results, judged in
# order (a wrong one: exit 1, named with what was seen); a key= of a queue removed since
# says which msqid= names it; a deadlocked run's record holds on it.
printf 'expect msgrcv calls [msgget ret=0,\n    msgrecv ret=1]\n' >"$tmp/bad.expect"
"$msgsim" exec --expect "$tmp/bad.expect" -- /bin/true >"$tmp/x.out" 2>&1
[ $? -eq 2 ] && grep -q "^msgsim: exec: $tmp/bad.expect:2:5: error: unknown call 'msgrecv' (expected msgget, .*: did you mean 'msgrcv'?$" "$tmp/x.out" &&
	ok || bad "a bad calls list: $(cat "$tmp/x.out")"
printf 'process p { }\n' >"$tmp/bad.expect"
"$msgsim" exec --expect "$tmp/bad.expect" -- /bin/true >"$tmp/x.out" 2>&1
[ $? -eq 2 ] && grep -q "^msgsim: exec: $tmp/bad.expect:1:1: error: expected 'expect' (an expectations file of msgsim exec holds expect lines" "$tmp/x.out" &&
	ok || bad "a declaration in an expectations file: $(cat "$tmp/x.out")"
printf 'expect 6 calls [msgget ret=0, msgrcv ret=512, msgrcv ret=512, msgrcv errno=ENOMSG, msgctl ret=0]\nexpect 6 calls [msgget ret=0, msgrcv ret=512, msgrcv errno=ENOMSG, msgctl ret=0]\nexpect msqid=0 removed=no\n' >"$tmp/c.expect"
"$msgsim" exec --expect "$tmp/c.expect" -- /bin/sh -c "$snd; $rcv 2" >"$tmp/x.out" 2>&1
[ $? -eq 1 ] && grep -q '^-- expect (line 1) PASS: 6 calls \[msgget ret=0, msgrcv ret=512' "$tmp/x.out" &&
	grep -q '^-- expect (line 2) FAIL: 6 calls \[msgget ret=0, msgrcv ret=512, msgrcv errno=ENOMSG, .*\]; seen: calls \[msgget ret=0, msgrcv ret=512, msgrcv ret=512, msgrcv errno=ENOMSG, msgctl ret=0\]$' "$tmp/x.out" &&
	grep -q '^-- expect (line 3) PASS: msqid=0 removed=no$' "$tmp/x.out" && ok ||
	bad "expect calls under exec: $(grep '^--' "$tmp/x.out")"
printf 'expect key=%s removed=yes\n' "$lkey" >"$tmp/k.expect"
"$msgsim" exec --input $L/msgrcv-yes.txt --expect "$tmp/k.expect" -- /bin/sh -c "$snd; $rcv 0" >"$tmp/x.out" 2>&1
[ $? -eq 1 ] && grep -q "^-- expect (line 1) FAIL: key=$lkey removed=yes; seen: no live queue has key $lkey (msqid=0 had it, and was removed: name it so)$" "$tmp/x.out" &&
	ok || bad "key= of a removed queue under exec: $(grep '^--' "$tmp/x.out")"
# msgsim record --exec prints what exec --record writes, and nothing else; a guard rail
# leaves nothing to record (exit 3).
"$msgsim" exec --seed 3 --record "$tmp/rec" -- $P/pingpong 3 >/dev/null 2>&1
"$msgsim" record --exec --seed 3 -- $P/pingpong 3 >"$tmp/x.out" 2>"$tmp/x.err"
[ $? -eq 0 ] && cmp -s "$tmp/rec" "$tmp/x.out" && [ ! -s "$tmp/x.err" ] && ok ||
	bad "record --exec: $(diff "$tmp/rec" "$tmp/x.out" | head -5; cat "$tmp/x.err")"
"$msgsim" record --exec --max-steps 5 -- $P/pingpong 3 >"$tmp/x.out" 2>"$tmp/x.err"
[ $? -eq 3 ] && [ ! -s "$tmp/x.out" ] && grep -q "a guard rail stopped the run: nothing to record" "$tmp/x.err" && ok ||
	bad "record --exec under a guard rail: $(cat "$tmp/x.out" "$tmp/x.err")"
"$msgsim" record --exec --expect "$tmp/rec" -- $P/pingpong 3 >"$tmp/x.out" 2>&1
[ $? -eq 2 ] && grep -q "it prints the record and nothing else" "$tmp/x.out" && ok ||
	bad "record --exec --expect: $(cat "$tmp/x.out")"
"$msgsim" exec --record "$tmp/rec" -- $P/client scenarios/programs/server.c 2 1 >/dev/null 2>&1
"$msgsim" exec --expect "$tmp/rec" -- $P/client scenarios/programs/server.c 2 1 >"$tmp/x.out" 2>&1
[ $? -eq 0 ] && grep -qx 'expect client state=blocked' "$tmp/rec" && grep -qx 'expect deadlock' "$tmp/rec" &&
	grep -qx 'expect client calls \[msgget ret=0, msgsnd ret=0\]' "$tmp/rec" &&
	grep -q '^-- result: .*0 failed' "$tmp/x.out" && ok ||
	bad "a deadlocked run's record: $(cat "$tmp/rec"; grep '^--' "$tmp/x.out")"

# Refusals and reports, each with its exit status and a message that names the cause.
expect_status() { # want pattern args...
	want=$1 pattern=$2
	shift 2
	"$msgsim" exec "$@" >"$tmp/o" 2>"$tmp/e"
	st=$?
	if [ $st -ne "$want" ]; then
		bad "exec $*: status $st, expected $want"
	elif ! grep -q -- "$pattern" "$tmp/o" "$tmp/e"; then
		bad "exec $*: no '$pattern' in its output"
	else
		ok
	fi
}
expect_status 2 "threads are not supported" -- "$tmp/thread"
expect_status 2 "cannot be executed: No such file" -- "$tmp/no-such-program"
expect_status 3 "deadlock: blocked forever in msgrcv" -- $P/client scenarios/programs/server.c 2 1
expect_status 2 "no program to run" --
expect_status 2 "empty program" -- /bin/true --- ---
spin='while :; do :; done'
expect_status 3 "stopped after 50 calls (--max-steps)" --max-steps 50 -- "$tmp/raw" 1000
expect_status 3 "without a call msgsim serves" --timeout 200 -- /bin/sh -c "$spin"
# The rails on processes and memory: a fork past --max-procs, messages past --max-memory.
expect_status 3 "2 pingpong forks, but the programs have started 1 process(es), the most --max-procs" \
	--max-procs 1 -- $P/pingpong 2
expect_status 0 "round 2: pong" --max-procs 2 -- $P/pingpong 2
expect_status 3 "more than --max-memory 100000 (13 messages queued); stopped" \
	--max-memory 100000 -- "$tmp/hog" 100
expect_status 0 "filled 100 queues" -- "$tmp/hog" 100
expect_status 2 "take numbers >= 0" --max-procs -1 -- /bin/true
expect_status 2 "it takes no --format" --program-output -f jsonl -- /bin/true

# sleep runs in virtual time: 100 s and 30 s pass at once, in the order of the clock.
golden sleep 1 /bin/sleep 100 --- /bin/sleep 30

# SIGTERM to msgsim: every guest goes with it (two programs that spin without a call).
"$msgsim" exec --timeout 60000 -- /bin/sh -c "$spin" spin987654 --- \
	/bin/sh -c "$spin" spin987653 >/dev/null 2>&1 &
sup=$!
sleep 1
kill -TERM $sup
wait $sup 2>/dev/null
sleep 0.2
if pgrep -f 'spin98765[34]' >/dev/null; then
	bad "guests survived SIGTERM to msgsim"
	pkill -KILL -f 'spin98765[34]'
else
	ok
fi

# POSIX queues (sim/exec/posix.c): the producer and consumer's golden trace (priorities,
# a full queue, a timeout in virtual time, /dev/mqueue/NAME); every errno path of the
# served mq_* calls prints what the kernel prints, descriptor numbers included (dup, fork
# and close on the placeholder descriptor too); its expectations file holds; a SIGEV_SIGNAL
# registration shows in /dev/mqueue/NAME and fires; a consumer alone is a deadlock (exit 3);
# no queue reaches the machine's /dev/mqueue.
for p in mqsend mqrecv; do
	[ -x $P/$p ] || { echo "exec.sh: $P/$p missing (make programs)"; exit 2; }
done
golden mqpc 1 $P/mqsend /jobs --- $P/mqrecv /jobs
expect_run scenarios/programs/mqpc.expect 1 $P/mqsend /jobs --- $P/mqrecv /jobs
cc $W -o "$tmp/mqerrors" tests/exec/mqerrors.c || exit 2
if timeout 20 unshare --ipc "$tmp/mqerrors" >"$tmp/mqnative" 2>&1; then
	"$msgsim" exec --program-output -- "$tmp/mqerrors" >"$tmp/mqmodel" 2>&1
	cmp -s "$tmp/mqnative" "$tmp/mqmodel" && ok || {
		bad "POSIX errno paths differ from the kernel's"
		diff "$tmp/mqnative" "$tmp/mqmodel"
	}
fi
"$msgsim" exec --format jsonl -- $P/mqsend /jobs --- $P/mqrecv /jobs >"$tmp/mq.jsonl" 2>&1
grep -q '"call":"mq_send".*"blocked":true.*"reason":"queue full"' "$tmp/mq.jsonl" &&
	grep -q '"call":"mq_receive".*"ret":12,"text":"storm ahead' "$tmp/mq.jsonl" &&
	grep -q '"call":"mq_unlink","mq":"/jobs"' "$tmp/mq.jsonl" && ok ||
	bad "POSIX calls as JSON Lines events: $(head -5 "$tmp/mq.jsonl")"
cc $W -o "$tmp/mqnotify" tests/exec/mqnotify.c || exit 2
"$msgsim" exec --format jsonl -- "$tmp/mqnotify" 2>&1 | grep -q \
	'"call":"mq_notify","mq":"/n",.*"notify_task":"2 mqnotify"}' && ok ||
	bad "mq_notify as a JSON Lines event"
"$msgsim" exec -- "$tmp/mqnotify" >"$tmp/mqn.out" 2>&1
[ $? -eq 0 ] && grep -q '| QSIZE:0 .* SIGNO:10    NOTIFY_PID:2 ' "$tmp/mqn.out" &&
	grep -q '^\[2 mqnotify\] notifies 2 mqnotify with SIGUSR1$' "$tmp/mqn.out" &&
	grep -q '| notified$' "$tmp/mqn.out" && grep -q '| QSIZE:5 .* NOTIFY_PID:0 ' "$tmp/mqn.out" &&
	[ "$(grep -c 'mq_send(' "$tmp/mqn.out")" -eq 1 ] &&
	ok || bad "mq_notify with SIGEV_SIGNAL: $(cat "$tmp/mqn.out")"
"$msgsim" exec -- $P/mqrecv /alone >"$tmp/mq.out" 2>&1
[ $? -eq 3 ] && grep -q '^\[2 mqrecv\] deadlock: blocked forever in mq_receive$' "$tmp/mq.out" &&
	ok || bad "a lone consumer is no deadlock: $(tail -3 "$tmp/mq.out")"
[ -e /dev/mqueue/jobs ] || [ -e /dev/mqueue/alone ] || [ -e /dev/mqueue/e ] &&
	bad "a program's POSIX queue reached the machine" || ok

# A description's last copy closed where msgsim does not see it (close_range): the unlinked
# queue is released all the same, so its charge no longer blocks a new one, as the kernel
# says (the supervisor learns it from the placeholder's hang-up while the guest runs).
cc $W -o "$tmp/mqlast" tests/exec/mqlast.c || exit 2
"$msgsim" exec --program-output -- "$tmp/mqlast" >"$tmp/mqlast.out" 2>&1
printf '%s\n' "open first: ok" "unlink first: ok" "close one copy: ok" \
	"open second while a copy holds the first: EMFILE" "close_range the last copy: ok" \
	"open second after the last copy: ok" | cmp -s - "$tmp/mqlast.out" && ok ||
	bad "an unseen last close releases the queue: $(cat "$tmp/mqlast.out")"

# explore --exec: every schedule of the racy example (a check-then-act over a queue). The
# default run passes its expectations; the search finds the schedule where both workers
# look before either takes (exit 1, with the witness's trace), and that witness replays
# it under exec --schedule. Without expectations the outcome set is all there is (exit
# 0); the bounds cut the search; the same search twice gives the same set; a witness that
# does not fit is refused (exit 2), and so is a thread, under the search as under exec.
[ -x $P/racy ] || { echo "exec.sh: $P/racy missing (make programs)"; exit 2; }
golden racy 1 $P/racy
R=scenarios/programs/racy.expect
"$msgsim" exec --expect $R -- $P/racy >"$tmp/r.out" 2>&1
[ $? -eq 0 ] && grep -q '^-- expect (line 4) PASS: 2 exit=0$' "$tmp/r.out" && ok ||
	bad "racy: the default run does not pass $R: $(grep '^--' "$tmp/r.out")"
"$msgsim" explore --exec --expect $R -- $P/racy >"$tmp/x.out" 2>"$tmp/x.err"
st=$?
wit=$(sed -n 's/^  line 4: (always) 2 exit=0: FAILS (in [0-9]* of 24 executions); witness: //p' "$tmp/x.out")
[ $st -eq 1 ] && [ -n "$wit" ] &&
	grep -q '^explore --exec build/programs/racy: complete: every schedule is covered$' "$tmp/x.out" &&
	grep -q '^4 outcomes from 24 executions' "$tmp/x.out" &&
	grep -q '^  line 5: (always) msqid=0 qnum=0 removed=yes: holds$' "$tmp/x.out" &&
	grep -q '^\[[34] racy\] msgrcv(0, buf, 16, 0, IPC_NOWAIT) = -1 ENOMSG' "$tmp/x.out" &&
	grep -qxF "replay it: msgsim exec --expect $R --schedule '$wit' -- $P/racy" "$tmp/x.out" &&
	grep -q '^result: exit status 1$' "$tmp/x.out" && ok ||
	bad "explore --exec does not find the racy schedule (status $st): $(cat "$tmp/x.out" "$tmp/x.err" | head -30)"
"$msgsim" exec --expect $R --schedule "$wit" -- $P/racy >"$tmp/w.out" 2>&1
[ $? -eq 1 ] && grep -q 'saw a job, but it is gone: No message of desired type$' "$tmp/w.out" &&
	grep -q '^-- expect (line 4) FAIL: 2 exit=0; seen: exit=1$' "$tmp/w.out" &&
	sed -n '/^\[2 racy\] starts/,/^-- result/p' "$tmp/x.out" | cmp -s - "$tmp/w.out" && ok ||
	bad "exec --schedule '$wit' does not replay the failing schedule: $(cat "$tmp/w.out")"
"$msgsim" explore --exec -- $P/racy >"$tmp/x.out" 2>&1
[ $? -eq 0 ] && [ "$(grep -c '^outcome [1-4] of 4 ' "$tmp/x.out")" -eq 4 ] &&
	[ "$(grep -c '^  2 racy: exit 1$' "$tmp/x.out")" -eq 2 ] &&
	grep -q '^    | worker 1: saw a job, but it is gone: No message of desired type$' "$tmp/x.out" &&
	grep -q '^  msq 0: removed$' "$tmp/x.out" && grep -q '^  3 racy: exit 1$' "$tmp/x.out" &&
	grep -q '^  4 racy: exit 0; received \[1 "job" from 2 racy\]$' "$tmp/x.out" && ok ||
	bad "explore --exec without expectations: $(head -20 "$tmp/x.out")"
# A forked child's status is its own (read while it is a zombie), for --record and --expect.
"$msgsim" exec --record "$tmp/rec" --schedule "$wit" -- $P/racy >/dev/null 2>&1
grep -qx 'expect 4 exit=1' "$tmp/rec" && grep -qx 'expect 3 exit=0' "$tmp/rec" && ok ||
	bad "a forked child's exit status: $(cat "$tmp/rec")"
# Every outcome's witness replays to that outcome's ending.
for w in $(sed -n 's/^  witness: //p' "$tmp/x.out"); do
	want=$(grep -B8 "^  witness: $(printf '%s' "$w" | sed 's/\*/\\*/g')\$" "$tmp/x.out" | grep -c '^  2 racy: exit 1$')
	"$msgsim" exec --schedule "$w" -- $P/racy >"$tmp/w.out" 2>&1
	got=$(grep -c '^\[2 racy\] exits with status 1$' "$tmp/w.out")
	[ "$want" = "$got" ] && ok || bad "witness $w does not replay its outcome"
done
"$msgsim" explore --exec -f json -- $P/racy 2>/dev/null | sed 's/"seconds":[0-9.]*//' >"$tmp/j1"
"$msgsim" explore --exec -f json -- $P/racy 2>/dev/null | sed 's/"seconds":[0-9.]*//' >"$tmp/j2"
cmp -s "$tmp/j1" "$tmp/j2" && grep -q '^{"exec":"build/programs/racy","complete":true,"executions":24,.*"outcomes":4,.*"exit":0}$' "$tmp/j1" &&
	ok || bad "explore --exec -f json twice: $(cat "$tmp/j1" "$tmp/j2")"
# The reduction (sim/exec/search.c, explore/race.h): orders of calls that commute are run
# once. Two copies of a program whose calls touch only its own queue need far fewer
# executions than with --no-reduction, for the same outcome set; the racy example keeps its
# four outcomes (the failing one found, above) with 24 executions of --no-reduction's 66.
cc $W -o "$tmp/indep" tests/exec/indep.c || exit 2
ids() { grep -o '"id":"[0-9a-f]*"' "$1" | sort | tr '\n' ' '; }
runs() { sed -n 's/^{.*"complete":true,"executions":\([0-9]*\),.*/\1/p' "$1"; }
for set in "$tmp/indep a 2 --- $tmp/indep b 2" "$P/racy"; do
	"$msgsim" explore --exec -f json -- $set >"$tmp/red.json" 2>/dev/null
	"$msgsim" explore --exec --no-reduction -f json -- $set >"$tmp/all.json" 2>/dev/null
	r=$(runs "$tmp/red.json") a=$(runs "$tmp/all.json")
	[ -n "$r" ] && [ -n "$a" ] && [ "$r" -lt "$a" ] && [ -n "$(ids "$tmp/red.json")" ] &&
		[ "$(ids "$tmp/red.json")" = "$(ids "$tmp/all.json")" ] && ok ||
		bad "explore --exec with and without the reduction on $set: $r and $a executions, outcomes $(ids "$tmp/red.json") and $(ids "$tmp/all.json")"
done
[ "$(runs "$tmp/all.json")" = 66 ] && [ "$(runs "$tmp/red.json")" = 24 ] && ok ||
	bad "racy: $(runs "$tmp/red.json") executions reduced, $(runs "$tmp/all.json") not (want 24, 66)"
# POSIX queues: a call's footprint is the queue its descriptor names (or the name it
# opens). Two senders on two queues commute (2 executions of --no-reduction's 20), on one
# queue they do not (20 and 20); the outcomes are the same with and without the reduction.
cc $W -o "$tmp/mqpair" tests/exec/mqpair.c || exit 2
for set in "b 20 2" "a 20 20"; do
	set -- $set
	"$msgsim" explore --exec -f json -- "$tmp/mqpair" a send 2 --- "$tmp/mqpair" "$1" send 2 \
		>"$tmp/red.json" 2>/dev/null
	"$msgsim" explore --exec --no-reduction -f json -- "$tmp/mqpair" a send 2 --- \
		"$tmp/mqpair" "$1" send 2 >"$tmp/all.json" 2>/dev/null
	[ "$(runs "$tmp/all.json")" = "$2" ] && [ "$(runs "$tmp/red.json")" = "$3" ] &&
		[ -n "$(ids "$tmp/red.json")" ] && [ "$(ids "$tmp/red.json")" = "$(ids "$tmp/all.json")" ] &&
		ok || bad "explore --exec, mq senders on /a and /$1: $(runs "$tmp/red.json") executions reduced, $(runs "$tmp/all.json") not (want $3, $2); outcomes $(ids "$tmp/red.json") and $(ids "$tmp/all.json")"
done
"$msgsim" explore --exec --no-reduction -- $P/racy 2>/dev/null | head -1 |
	grep -qx 'explore --exec build/programs/racy (no reduction): complete: every schedule is covered' &&
	ok || bad "explore --exec --no-reduction does not say so"
"$msgsim" explore --exec -f json --expect $R -- $P/racy >"$tmp/x.out" 2>&1
[ $? -eq 1 ] && grep -q '"expectations":\[{"line":4,"expect":"2 exit=0","holds":false,"witness":"2\*2,3,4,3,2,4,2\*3"},{"line":5,.*"holds":true},{"line":6,"expect":"no deadlock","holds":true}\],"refused":null,"exit":1}$' "$tmp/x.out" &&
	ok || bad "explore --exec -f json --expect: $(cat "$tmp/x.out")"
"$msgsim" explore --exec --max-executions 0 -- $P/racy >"$tmp/x.out" 2>&1
[ $? -eq 2 ] && grep -q '^msgsim explore --exec: bad --max-executions (expected a whole number of at least 1)$' "$tmp/x.out" &&
	ok || bad "explore --exec --max-executions 0: $(cat "$tmp/x.out")"
"$msgsim" explore --exec --max-executions 5 -- $P/racy >"$tmp/x.out" 2>&1
[ $? -eq 0 ] && grep -q 'INCOMPLETE$' "$tmp/x.out" && grep -q 'from 5 executions' "$tmp/x.out" &&
	grep -q '^bound: --max-executions stopped the search' "$tmp/x.out" && ok ||
	bad "explore --exec --max-executions: $(head -5 "$tmp/x.out")"
"$msgsim" explore --exec --max-depth 4 -- $P/racy >"$tmp/x.out" 2>&1
[ $? -eq 0 ] && grep -q '^0 outcomes from 0 executions' "$tmp/x.out" &&
	grep -q '^bound: --max-depth cut [0-9]* executions* at 4 steps' "$tmp/x.out" && ok ||
	bad "explore --exec --max-depth: $(head -5 "$tmp/x.out")"
"$msgsim" explore --exec --max-time 1ms -- $P/racy >"$tmp/x.out" 2>&1
[ $? -eq 0 ] && grep -q '^bound: --max-time stopped the search' "$tmp/x.out" && ok ||
	bad "explore --exec --max-time: $(head -5 "$tmp/x.out")"
"$msgsim" explore --exec -- $P/client scenarios/programs/server.c 2 1 >"$tmp/x.out" 2>&1
[ $? -eq 3 ] && grep -q '^unexpected deadlock: reachable in 1 executions; witness: 2\*3$' "$tmp/x.out" &&
	grep -q '^  2 client: blocked in msgrcv$' "$tmp/x.out" && ok ||
	bad "explore --exec of a deadlock: $(cat "$tmp/x.out")"
expect_status 2 "the witness ends after 2 choice(s), but the run goes on (pids that can go: 2, 3, 4)" \
	--schedule 2,2 -- $P/racy
expect_status 2 "choice 3 of the witness is pid 5, which cannot go there (pids that can: 2, 3, 4)" \
	--schedule 2,2,5 -- $P/racy
expect_status 2 "the run ended after 10 of the witness's 11 choices" --schedule "$wit,2" -- $P/racy
expect_status 2 "item 2: expected a pid or PID\*N" --schedule "2,x" -- $P/racy
"$msgsim" explore --exec -- "$tmp/thread" >"$tmp/x.out" 2>&1
[ $? -eq 2 ] && grep -q "threads are not supported" "$tmp/x.out" && ok ||
	bad "explore --exec of a thread is not refused: $(cat "$tmp/x.out")"
"$msgsim" explore --exec --schedule 2 -- $P/racy >"$tmp/x.out" 2>&1
[ $? -eq 2 ] && grep -q "^msgsim explore --exec: -o, --program-output, --record and --schedule are exec's" "$tmp/x.out" &&
	ok || bad "explore --exec --schedule: $(cat "$tmp/x.out")"
"$msgsim" explore --exec -o x -- $P/racy >"$tmp/x.out" 2>&1
[ $? -eq 2 ] && grep -q "^msgsim explore --exec: -o, --program-output, --record and --schedule are exec's" "$tmp/x.out" &&
	ok || bad "explore --exec -o: $(cat "$tmp/x.out")"

# A parent that exits before its child: the orphan's calls still come through the listener
# it inherited (no timeout), under exec and in every schedule.
cc $W -o "$tmp/orphan" tests/exec/orphan.c || exit 2
"$msgsim" exec --timeout 3000 -- "$tmp/orphan" >"$tmp/o.out" 2>&1
[ $? -eq 0 ] && grep -q '^\[3 orphan\] | orphan got hello$' "$tmp/o.out" &&
	grep -q '^\[3 orphan\] exits$' "$tmp/o.out" && ok ||
	bad "an orphan after its parent exits: $(cat "$tmp/o.out")"
"$msgsim" explore --exec --timeout 3000 -- "$tmp/orphan" >"$tmp/o.out" 2>&1
[ $? -eq 0 ] && grep -q 'complete: every schedule is covered$' "$tmp/o.out" &&
	! grep -q 'stopped' "$tmp/o.out" && ok ||
	bad "explore --exec of an orphan: $(cat "$tmp/o.out")"
# Signals in virtual time (sim/exec/signals.c): tests/exec/signals.c prints what its calls
# return when alarm, kill, a child's SIGCHLD, sigsuspend, sigwait, a periodic timer and
# mq_notify's signal reach them, with SA_RESTART and without; natively (about 17 s, run
# meanwhile) and under exec in three schedules the output is the same. The trace shows the
# kernel's rules: msgrcv ends with EINTR under SA_RESTART too, mq_receive restarts.
cc $W -o "$tmp/signals" tests/exec/signals.c && cc $W -o "$tmp/tty" tests/exec/tty.c &&
	cc $W -pthread -o "$tmp/mqthread" tests/exec/mqthread.c || exit 2
timeout 60 unshare --ipc "$tmp/signals" >"$tmp/sig.native" 2>&1 &
signative=$!
for seed in 1 2 3; do
	"$msgsim" exec --seed $seed -- "$tmp/signals" >"$tmp/sig.$seed" 2>&1 ||
		bad "signals under exec, seed $seed: status $?"
	sed -n 's/^\[[^]]*\] | //p' "$tmp/sig.$seed" >"$tmp/sig.out$seed"
done
sigf="$tmp/sig.1"
[ "$(grep -c '^\[2 signals\] msgrcv(0, buf, 16, 1, 0) = -1 EINTR (Interrupted system call) (woken)$' "$sigf")" -eq 2 ] &&
	grep -q '^\[2 signals\] mq_receive(3, buf, 16, NULL) = 5 {0, "late"} from 2 signals$' "$sigf" &&
	grep -q '^\[3 signals\] SIGUSR1 arrives in msgsnd (its handler runs)$' "$sigf" &&
	grep -q '^\[2 signals\] SIGCHLD arrives in msgrcv (its handler runs)$' "$sigf" &&
	grep -q '^\[2 signals\] clock_nanosleep = -1 EINTR (SIGALRM, 4.000000000 s left)$' "$sigf" &&
	grep -q '^\[2 signals\] alarm(3) = 2: SIGALRM at 10.000052 s (virtual)$' "$sigf" &&
	grep -q '^\[2 signals\] sigsuspend() returns at once: SIGUSR1 is pending$' "$sigf" &&
	grep -q '^\[2 signals\] SIGUSR2 arrives in sigtimedwait (the call takes it)$' "$sigf" &&
	grep -q '^\[2 signals\] wait4 interrupted by SIGUSR1: EINTR, or restarted under SA_RESTART$' "$sigf" &&
	grep -q '^\[9 signals\] SIGUSR2 arrives in pause (its handler runs)$' "$sigf" && ok ||
	bad "the signals trace: $(grep -v ' | ' "$sigf" | head -40)"
if wait $signative; then
	for seed in 1 2 3; do
		cmp -s "$tmp/sig.native" "$tmp/sig.out$seed" && ok || {
			bad "signals under exec (seed $seed) differ from the native run"
			diff "$tmp/sig.native" "$tmp/sig.out$seed"
		}
	done
fi
# The example: a reply awaited at most 3 s with alarm, once in vain (EINTR under SA_RESTART)
# and once in time; its golden trace and expectations, and natively the same lines.
[ -x $P/timeout ] || { echo "exec.sh: $P/timeout missing (make programs)"; exit 2; }
golden timeout 1 $P/timeout 3
"$msgsim" exec -f jsonl -- $P/timeout 3 >"$tmp/to.jsonl" 2>&1
grep -q '"task":"2 timeout","call":"alarm","seconds":0,"ret":2}' "$tmp/to.jsonl" &&
	grep -q '"ev":"wake","task":"2 timeout"' "$tmp/to.jsonl" && ok ||
	bad "alarm as a JSON Lines event: $(grep alarm "$tmp/to.jsonl" | head -3)"
expect_run scenarios/programs/timeout.expect 1 $P/timeout 3
"$msgsim" exec --program-output -- $P/timeout 3 >"$tmp/to.model" 2>&1
if timeout 20 unshare --ipc $P/timeout 3 >"$tmp/to.native" 2>&1; then
	cmp -s "$tmp/to.native" "$tmp/to.model" && ok ||
		bad "timeout under exec differs from its native run: $(diff "$tmp/to.native" "$tmp/to.model")"
fi
# A default action that ends a program, kill(0, sig) kept to the guest's own process group
# (msgsim is not hit), mq_notify's SIGEV_THREAD refused with the cause.
grep -q '^\[4 signals\] its alarm goes off: SIGALRM at 11.000057 s (virtual)$' "$sigf" &&
	grep -A1 '^\[4 signals\] its alarm goes off' "$sigf" | grep -q '^\[4 signals\] killed by ALRM$' &&
	grep -q '^\[2 signals\] | child: killed by signal 14$' "$sigf" && ok ||
	bad "SIGALRM's default action under exec"
expect_status 0 "killed by USR1" -- /bin/sh -c 'kill -USR1 0'
"$msgsim" exec -- $P/client scenarios/programs/server.c 2 1 --- /bin/sh -c 'sleep 1; kill -TERM 2' \
	>"$tmp/term.out" 2>&1
[ $? -eq 0 ] && grep -A1 '^\[3 sh\] kill(2, SIGTERM)$' "$tmp/term.out" |
	grep -q '^\[2 client\] killed by TERM$' && ok ||
	bad "SIGTERM to a program blocked in msgrcv: $(cat "$tmp/term.out")"

# Stop signals (signals.c): tests/exec/stopcont.c stops a child blocked in msgrcv and one
# blocked in mq_receive, sends meanwhile (the message stays queued), continues them and
# waits with WUNTRACED, WCONTINUED and waitid's WSTOPPED; its golden trace, twice, and
# natively and under exec in three schedules the same lines. A program that stops itself
# and that nobody continues is a deadlock, named as a scenario's report names it.
cc $W -o "$tmp/stopcont" tests/exec/stopcont.c || exit 2
golden stopcont 1 "$tmp/stopcont"
if timeout 20 unshare --ipc "$tmp/stopcont" >"$tmp/sc.native" 2>&1; then
	for seed in 1 2 3; do
		"$msgsim" exec --seed $seed --program-output -- "$tmp/stopcont" >"$tmp/sc.$seed" 2>&1
		cmp -s "$tmp/sc.native" "$tmp/sc.$seed" && ok || {
			bad "stopcont under exec (seed $seed) differs from the native run"
			diff "$tmp/sc.native" "$tmp/sc.$seed"
		}
	done
fi
expect_status 3 "deadlock: stopped (SIGSTOP), nobody sends SIGCONT" -- /bin/sh -c 'kill -STOP $$'
stopself='kill -STOP $$'
"$msgsim" explore --exec -- /bin/sh -c "$stopself" >"$tmp/o" 2>&1
[ $? -eq 3 ] && grep -q '^  2 sh: stopped by SIGSTOP$' "$tmp/o" && ok ||
	bad "explore --exec of a program that stops itself: $(cat "$tmp/o")"
"$msgsim" record --exec -- /bin/sh -c "$stopself" >"$tmp/rec" 2>&1
grep -q '^expect sh state=stopped$' "$tmp/rec" &&
	"$msgsim" exec --expect "$tmp/rec" -- /bin/sh -c "$stopself" >"$tmp/o" 2>&1 && ok ||
	bad "record --exec of a stopped program: $(cat "$tmp/rec" "$tmp/o")"
expect_status 2 "looks like mq_notify with SIGEV_THREAD" -- "$tmp/mqthread"
cc $W -o "$tmp/tick" tests/exec/tick.c || exit 2
expect_status 3 "stopped after 100 calls (--max-steps)" --max-steps 100 -- "$tmp/tick"
# Timers on the world's event queue (sim/exec/timers.c): one parent forks 63 children that
# wait on the virtual clock (sleeps until times several share, and alarms) and collects
# them all. Its trace is the golden one, twice; the children due at one time wake in the
# order they were forked (guest order: their names rise); natively they print the same
# lines, in another order; and explore --exec of six of them finds the golden executions.
cc $W -o "$tmp/sleepers" tests/exec/sleepers.c || exit 2
for i in 1 2; do
	"$msgsim" exec --seed 7 -- "$tmp/sleepers" 2>&1 | sed "s|$tmp/|TMP/|" >"$tmp/sl$i"
done
"$msgsim" explore --exec -f json -- "$tmp/sleepers" 6 2>&1 |
	sed -e "s|$tmp/|TMP/|" -e 's/"seconds":[0-9.]*//' >"$tmp/sl.json"
g=tests/golden/programs/sleepers
if [ "$update" = "--update" ]; then
	cp "$tmp/sl1" $g.trace
	cp "$tmp/sl.json" $g.json
fi
cmp -s "$tmp/sl1" "$tmp/sl2" && cmp -s "$tmp/sl1" $g.trace && ok ||
	bad "sleepers: the trace differs from $g.trace: $(diff $g.trace "$tmp/sl1" | head -10)"
awk '/ wakes at / { t = $(NF - 2); id = substr($1, 2) + 0
	if (t == last && id < prev) bad = 1; last = t; prev = id } END { exit bad }' "$tmp/sl1" &&
	[ "$(grep -c ' wakes at ' "$tmp/sl1")" -gt 40 ] && ok ||
	bad "sleepers due at one time do not wake in guest order: $(grep ' wakes at ' "$tmp/sl1" | head)"
timeout 60 unshare --ipc "$tmp/sleepers" | sort >"$tmp/sl.native"
sed -n 's/^\[[^]]*\] | //p' "$tmp/sl1" | sort | cmp -s - "$tmp/sl.native" && ok ||
	bad "sleepers print other lines under exec than natively"
cmp -s "$tmp/sl.json" $g.json && ok ||
	bad "explore --exec of six sleepers differs from $g.json: $(cat "$tmp/sl.json")"

# The guests' terminal: stdout and stderr are a terminal whatever msgsim writes to (here a
# file), so stdio buffers by line and "one" comes before "two" as at a shell.
"$msgsim" exec --program-output -- "$tmp/tty" >"$tmp/tty.out" 2>&1
[ "$(cat "$tmp/tty.out")" = "stdout is a terminal, stderr too
one
two
three" ] && ok || bad "a guest's output is not a terminal's: $(cat "$tmp/tty.out")"

# Standard input (sim/exec/tty.c): the guests' terminal, fed by --input FILE ('-': msgsim's
# own). tests/exec/stdin.c reads it every way (fgets, getchar, read, a dup of 0, /dev/stdin
# reopened, a number that was a file before, readv after close_range): a line per read at
# most, echoed as a terminal echoes, then end of file; pread fails as on a terminal. With
# no --input every read is end of file at once, as /dev/null was. Guests share the input
# in schedule order, and explore --exec tries both orders. A splice from the terminal is
# refused, and a bad --input is exit 2.
cc $W -o "$tmp/stdin" tests/exec/stdin.c || exit 2
printf 'Ann\ny\nabcdef\nfour\nfive\nsix\nseven\neight\n' >"$tmp/in"
printf '%s\n' "name? Ann" "fgets: [Ann]" "(y/n)y" "getchar: 121" "abcread 3 bytes: 3 [abc]" \
	"def" "the rest of that line: 4 [def]" "four" "dup(0): 5 [four]" "five" \
	"/dev/stdin: 5 [five]" "file at 5: 1" "six" "dup(0) where a file was: 4 [six]" \
	"file at 6: 1" "F_DUPFD gave 6" "seven" "readv after close_range: 6 [se|ven]" \
	"pread: Illegal seek" "eight" "/dev/tty: 6 [eight]" "at the end: 0 []" >"$tmp/stdin.want"
"$msgsim" exec --timeout 3000 --program-output --input "$tmp/in" -- "$tmp/stdin" README.md \
	>"$tmp/stdin.out" 2>&1
cmp -s "$tmp/stdin.want" "$tmp/stdin.out" && ok || {
	bad "reads of the terminal under exec --input"
	diff "$tmp/stdin.want" "$tmp/stdin.out"
}
"$msgsim" exec --timeout 3000 --program-output --input - -- "$tmp/stdin" README.md \
	<"$tmp/in" >"$tmp/stdin.out" 2>&1
cmp -s "$tmp/stdin.want" "$tmp/stdin.out" && ok || bad "--input -: $(cat "$tmp/stdin.out")"
"$msgsim" exec --timeout 3000 --input "$tmp/in" -- "$tmp/stdin" README.md >"$tmp/stdin.tr" 2>&1
grep -qx '\[2 stdin\] read(0, buf, 1024) = 2 "y\\n"' "$tmp/stdin.tr" &&
	grep -qx '\[2 stdin\] | (y/n)y' "$tmp/stdin.tr" &&
	grep -qx '\[2 stdin\] readv(6, iov, 2) = 6 "seven\\n"' "$tmp/stdin.tr" &&
	grep -qx '\[2 stdin\] read(0, buf, 64) = 0 (end of input)' "$tmp/stdin.tr" && ok ||
	bad "the trace of reads of the terminal: $(grep 'read' "$tmp/stdin.tr")"
"$msgsim" exec --timeout 3000 -- "$tmp/stdin" README.md >"$tmp/stdin.tr" 2>&1
[ $? -eq 0 ] && grep -q '^\[2 stdin\] | dup(0) where a file was: 0 \[\]$' "$tmp/stdin.tr" &&
	[ "$(grep -c '= 0 (end of file: no --input)$' "$tmp/stdin.tr")" -eq 9 ] && ok ||
	bad "reads without --input: $(cat "$tmp/stdin.tr")"
printf 'one\ntwo\n' >"$tmp/in2"
for seed in 1 2 3 4; do
	"$msgsim" exec --seed $seed --input "$tmp/in2" -- /usr/bin/head -n 1 --- /usr/bin/head -n 1 \
		>"$tmp/h.out" 2>&1
	first=$(sed -n 's/^\[\([23]\) head\] read(0, buf, [0-9]*) = 4 "one\\n"$/\1/p' "$tmp/h.out")
	second=$(sed -n 's/^\[\([23]\) head\] read(0, buf, [0-9]*) = 4 "two\\n"$/\1/p' "$tmp/h.out")
	[ -n "$first" ] && [ -n "$second" ] && [ "$first" != "$second" ] &&
		grep -q "^\[$first head\] | one$" "$tmp/h.out" &&
		grep -q "^\[$second head\] | two$" "$tmp/h.out" &&
		[ "$(grep -n ' = 4 "' "$tmp/h.out" | head -1 | grep -c one)" = 1 ] && ok ||
		bad "two readers of one input, seed $seed: $(cat "$tmp/h.out")"
done
"$msgsim" explore --exec --input "$tmp/in2" -- /usr/bin/head -n 1 --- /usr/bin/head -n 1 \
	>"$tmp/h.out" 2>&1
[ $? -eq 0 ] && grep -q '^2 outcomes from 2 executions' "$tmp/h.out" && ok ||
	bad "explore --exec of two readers: $(head -20 "$tmp/h.out")"
# poll and select on the terminal (tty.c): readable while a line is left and at the end of
# the input (a read then returns 0), with a pipe beside it as the kernel has it; without
# the model's answer the guest would wait in the kernel for a line nobody types.
cc $W -o "$tmp/poll" tests/exec/poll.c || exit 2
printf 'one\ntwo\nthree\n' >"$tmp/in3"
"$msgsim" exec --timeout 3000 --input "$tmp/in3" -- "$tmp/poll" >"$tmp/poll.tr" 2>&1
sed -n 's/^\[2 poll\] | //p' "$tmp/poll.tr" >"$tmp/poll.out"
printf '%s\n' "poll: 1, revents POLLIN" one "after poll: read 4 [one]" \
	"select: 1, stdin 1, empty pipe 0" two "after select: read 4 [two]" \
	"poll with a pipe: 2, stdin POLLIN, pipe POLLIN, fd -1 0" three "end: read 6 [three]" \
	"poll at the end: 1, revents POLLIN" "at the end: read 0 []" \
	"select at the end: 1, stdin 1" >"$tmp/poll.want"
cmp -s "$tmp/poll.want" "$tmp/poll.out" &&
	grep -qx '\[2 poll\] poll(1) = 1: the terminal is ready (a line is left)' "$tmp/poll.tr" &&
	grep -qx '\[2 poll\] pselect6(1) = 1: the terminal is ready (end of input: a read returns 0)' \
		"$tmp/poll.tr" && ok ||
	bad "poll and select of the terminal: $(diff "$tmp/poll.want" "$tmp/poll.out"; cat "$tmp/poll.tr")"
"$msgsim" exec --timeout 3000 -- "$tmp/poll" >"$tmp/poll.tr" 2>&1
[ $? -eq 0 ] && [ "$(grep -c 'the terminal is ready (end of file: no --input)$' "$tmp/poll.tr")" -eq 5 ] &&
	ok || bad "poll and select of the terminal without --input: $(cat "$tmp/poll.tr")"
cc $W -o "$tmp/splice" tests/exec/splice.c || exit 2
expect_status 2 "2 splice: splice from the terminal is not served" -- "$tmp/splice"
for cmd in exec "explore --exec" "record --exec"; do
	"$msgsim" $cmd --input "$tmp/no-such-input" -- /bin/true >"$tmp/x.out" 2>&1
	[ $? -eq 2 ] && grep -q "^msgsim: exec: cannot read --input $tmp/no-such-input: .*No such file or directory$" "$tmp/x.out" &&
		ok || bad "$cmd --input of a missing file: $(cat "$tmp/x.out")"
done

# Clean-up on every exit path above (ends, refusals, a deadlock, the timeout, SIGTERM): no
# guest started from this directory is left, and no program's queue is on the machine.
if pgrep -f "$tmp/" >/dev/null; then
	bad "guests left behind: $(pgrep -af "$tmp/")"
	pkill -KILL -f "$tmp/"
else
	ok
fi
# (By the keys the programs use, 0x2a and 0x1234: other runs may make queues meanwhile.)
awk 'NR > 1 && ($1 == 42 || $1 == 4660)' /proc/sysvipc/msg | grep -q . &&
	bad "a program's queue reached the machine" || ok

echo "exec.sh: $pass passed, $fail failed"
[ $fail -eq 0 ]
