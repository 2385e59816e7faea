#!/bin/sh
# bench.sh MSGSIM BENCH-TIME BENCH-KERNEL — times msgsim as users run it, beside the real
# kernel, and writes reports/bench.md (`make bench`).
#
# Every figure is a whole process: `msgsim run --quiet FILE`, `msgsim run FILE -o trace`,
# `msgsim run --format jsonl FILE -o trace`, and the kernel's producer and consumer
# (tests/bench_kernel.c) exchanging the same 7-byte messages over a SysV queue, a POSIX
# queue and a pipe. The scenarios are generated here, into a private directory removed on
# exit. Cases run in rounds (A B C ... A B C ...), so a noisy neighbour hits every case
# alike; the report quotes medians, the min-max spread, and for each msgsim/kernel pair
# the median of the per-round ratios. Then a scaling table (clients and servers, 3
# send/receive pairs per process) and a queue-length table (bytes per queued message, from
# peak RSS). Then `msgsim exec` on a real program (tests/exec/raw.c), calls per second
# beside the same binary on the kernel. Nothing here is a test: `make check` never runs it.
#
# Environment (defaults in brackets):
#   BENCH_RUNS      runs of each case [5]
#   BENCH_MESSAGES  messages of the producer-consumer cases [1000000]
#   BENCH_TIMEOUT   seconds one run may take before it is stopped and called "timed out" [120]
#   BENCH_SCALE     process counts of the scaling table ["1000 10000 100000"]; drop 100000
#                   to skip the biggest case
#   BENCH_LONG      seconds past which a scaling run is not repeated [20]
#   BENCH_QUEUE     queue lengths of the queue-length table ["10 1000 100000 1000000"]
#   BENCH_REPORT    where the report goes [reports/bench.md]
#   BENCH_EXEC      round trips of the `msgsim exec` case (each a msgsnd and a msgrcv) [100000];
#                   0 skips it
set -eu
usage="usage: bench.sh MSGSIM BENCH-TIME BENCH-KERNEL"
[ $# -eq 3 ] || {
	echo "$usage" >&2
	exit 2
}
abspath() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
msgsim=$(abspath "$1")
timer=$(abspath "$2")
kernel=$(abspath "$3")
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-5}
n=${BENCH_MESSAGES:-1000000}
timeout=${BENCH_TIMEOUT:-120}
scale=${BENCH_SCALE:-1000 10000 100000}
queue=${BENCH_QUEUE:-10 1000 100000 1000000}
long=${BENCH_LONG:-20}
report=${BENCH_REPORT:-$root/reports/bench.md}
xn=${BENCH_EXEC:-100000}
case "$runs$n$timeout$long$xn" in *[!0-9]*)
	echo "bench: BENCH_RUNS, BENCH_MESSAGES, BENCH_TIMEOUT, BENCH_LONG and BENCH_EXEC are whole numbers" >&2
	exit 2
	;;
esac

T=$(mktemp -d "${TMPDIR:-/tmp}/msgsim-bench.XXXXXX")
# The stopwatch runs in the background so that a signal reaches these traps at once; it
# then stops its command (and what that forked) before the directory goes.
tpid=""
stopped() {
	if [ -n "$tpid" ]; then
		kill "$tpid" 2>/dev/null || true
		wait "$tpid" 2>/dev/null || true
	fi
	exit "$1"
}
trap 'rm -rf "$T"' EXIT
trap 'stopped 130' INT
trap 'stopped 143' TERM
trap 'stopped 129' HUP
cd "$T"
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

# ---- the scenarios ----
cat >pc16.scn <<EOF
scheduler fifo
mailbox q capacity=16
process producer { repeat $n { send q "message" } }
process consumer { repeat $n { receive q } }
expect q sent=$n received=$n
EOF
sed 's/capacity=16/capacity=unbounded/' pc16.scn >pcunb.scn
cat >sysv16.scn <<EOF
scheduler fifo
sysctl msgmnb=112
sysv queue q key=private
process producer { repeat $n { msgsnd q "message" } }
process consumer { repeat $n { msgrcv q size=7 } }
expect q qnum=0
EOF
cat >pipe.scn <<EOF
scheduler fifo
process producer {
  pipe -> p
  fork consumer { close p.w  repeat $n { read p.r size=7 } }
  close p.r
  repeat $n { write p.w "message" }
}
EOF
# N processes in groups of 1000: 500 clients send a request and wait for a reply, 500
# servers take a request and reply, through two mailboxes of capacity 16 per group; every
# process makes 3 sends and 3 receives. Groups of at most 1000 replicas keep the file
# within the language's replica limit whatever it is.
scale_scn() {
	g=0
	while [ $((g * 1000)) -lt "$1" ]; do
		echo "mailbox req$g capacity=16  mailbox rep$g capacity=16"
		echo "process c${g}_[500] { repeat 3 { send req$g \"request\"  receive rep$g } }"
		echo "process s${g}_[500] { repeat 3 { receive req$g  send rep$g \"reply\" } }"
		g=$((g + 1))
	done
}
for p in $scale; do scale_scn "$p" >"scale$p.scn"; done
echo 'process p { exit }' >start.scn # what every run pays before its first step
for k in 1 $queue; do
	printf 'mailbox q\nprocess producer { repeat %s { send q "message" } }\n' "$k" >"qmb$k.scn"
	printf 'sysctl msgmnb=2147483647\nsysv queue q key=private\n%s\n' \
		"process producer { repeat $k { msgsnd q \"message\" } }" >"qsv$k.scn"
done

# ---- one run ----
# measure ID COMMAND...: runs COMMAND once under the stopwatch and appends
# "ID ROUND STATUS SECONDS PEAK_KB STEPS" to results; the first failure's message is kept.
measure() {
	id=$1
	shift
	"$timer" -t "$timeout" -o out -e err -- "$@" >line &
	tpid=$!
	if ! wait "$tpid"; then
		echo "bench: $timer failed on: $*" >&2
		exit 2
	fi
	tpid=""
	read -r status secs peak <line
	steps=$(sed -n 's/.* \([0-9][0-9]*\) steps.*/\1/p' out | tail -n 1)
	echo "$id $round $status $secs $peak ${steps:-0}" >>results
	if [ "$status" != 0 ] && [ ! -f "why.$id" ]; then
		case $status in
		timeout) echo "timed out (stopped after $timeout s)" ;;
		*) echo "failed (status $status): $(head -n 1 err)" ;;
		esac >"why.$id"
	fi
}
failed() { [ -f "why.$1" ]; }
# long ID: its last run took more than BENCH_LONG seconds (a scaling case is then not repeated)
long() { [ -n "$(awk -v a="$1" -v l="$long" '$1 == a && $3 == "0" && $4 > l' results)" ]; }

# ---- statistics (awk over results) ----
cat >stats.awk <<'EOF'
function median(v, k,   i, j, t) {
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}
$3 == "0" { t[$1, $2] = $4; r[$1, $2] = $5; s[$1] = $6; rounds[$2] = 1 }
END {
	k = 0
	for (x in rounds) {
		if (mode == "ratio") {
			if ((a, x) in t && (b, x) in t && t[a, x] > 0)
				v[++k] = t[b, x] / t[a, x]
		} else if ((a, x) in t)
			v[++k] = mode == "rss" ? r[a, x] : t[a, x]
	}
	if (mode == "steps") { print (a in s) ? s[a] : ""; exit }
	if (mode == "n") { print k; exit }
	if (k == 0) { print ""; exit }
	if (mode == "min" || mode == "max") {
		m = v[1]
		for (i = 2; i <= k; i++)
			if ((mode == "min" && v[i] < m) || (mode == "max" && v[i] > m))
				m = v[i]
		print m
		exit
	}
	print median(v, k)
}
EOF
# q MODE ID [ID2]: median seconds (med), min, max, median peak KiB (rss), steps, number of
# good runs (n), or the median over rounds of ID2's time / ID's time (ratio).
q() { awk -v mode="$1" -v a="$2" -v b="${3:-}" -f stats.awk results; }
# calc EXPR FORMAT [X [Y [Z [W]]]]: prints EXPR, an awk expression over the variables x, y,
# z and w, in FORMAT; prints nothing when EXPR is "" (the expressions below give "" when an
# input is missing: x == "" ? "" : ...).
calc() {
	awk -v x="${3:-}" -v y="${4:-}" -v z="${5:-}" -v w="${6:-}" -v f="$2" "BEGIN {
		if (($1) == \"\") exit
		printf f, ($1)
	}" </dev/null
}

# ---- the rounds ----
# id|what the report calls it|command (run from the scenario directory)
cat >cases <<EOF
quiet16|msgsim, mailbox capacity 16, \`--quiet\`|$msgsim run --quiet pc16.scn
ksysv16|kernel SysV queue of 16 messages (msg_qbytes 112)|$kernel sysv $n 16
text16|msgsim, mailbox capacity 16, text trace to a file|$msgsim run pc16.scn -o trace.txt
jsonl16|msgsim, mailbox capacity 16, JSONL trace to a file|$msgsim run --format jsonl pc16.scn -o trace.jsonl
sysv16|msgsim, SysV queue of 16 messages (msgmnb=112), \`--quiet\`|$msgsim run --quiet sysv16.scn
kposix16|kernel POSIX queue of 16 messages (mq_maxmsg 16)|$kernel posix $n 16
quietunb|msgsim, unbounded mailbox, \`--quiet\`|$msgsim run --quiet pcunb.scn
ksysv|kernel SysV queue of the machine's size (msgmnb)|$kernel sysv $n
quietpipe|msgsim, pipe, \`--quiet\`|$msgsim run --quiet pipe.scn
kpipe|kernel pipe|$kernel pipe $n
EOF
: >results
echo "bench: $runs rounds of $(wc -l <cases) cases, $n messages each" >&2
round=1
while [ "$round" -le "$runs" ]; do
	while IFS='|' read -r id what cmd; do
		if failed "$id"; then continue; fi
		# shellcheck disable=SC2086 # the command is words
		measure "$id" $cmd
		f=""
		case $id in
		text16) f=trace.txt ;;
		jsonl16) f=trace.jsonl ;;
		k*) if [ "$status" = 0 ]; then cp out "peer.$id"; fi ;;
		esac
		if [ -n "$f" ] && [ -f "$f" ]; then
			if [ "$status" = 0 ]; then wc -c <"$f" >"size.$id"; fi
			rm -f "$f"
		fi
	done <cases
	echo "bench: round $round of $runs done" >&2
	round=$((round + 1))
done

round=1
while [ "$round" -le "$runs" ]; do
	measure start "$msgsim" run --quiet start.scn
	for p in $scale; do
		if ! failed "scale$p" && ! long "scale$p"; then
			measure "scale$p" "$msgsim" run --quiet "scale$p.scn"
		fi
	done
	for k in 1 $queue; do
		failed "qmb$k" || measure "qmb$k" "$msgsim" run --quiet "qmb$k.scn"
		failed "qsv$k" || measure "qsv$k" "$msgsim" run --quiet "qsv$k.scn"
	done
	echo "bench: scaling and queue round $round of $runs done" >&2
	round=$((round + 1))
done
# ---- msgsim exec (issue 22): a real program's calls, trapped and served, beside the kernel ----
# tests/exec/raw.c makes BENCH_EXEC msgsnd/msgrcv round trips through syscall(2). The kernel
# runs the same binary in a private IPC namespace when unshare(1) may make one, else in the
# machine's (the program only touches the private queue it makes, and removes it).
if [ "$xn" -gt 0 ]; then
	if ! ${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -o raw "$root/tests/exec/raw.c" 2>raw.err; then
		echo "cannot build tests/exec/raw.c: $(head -n 1 raw.err)" >why.exec
		cp why.exec why.kexec
	fi
	kexec_ns=private
	if unshare --ipc true 2>/dev/null; then kexec="unshare --ipc ./raw"; else
		kexec=./raw
		kexec_ns="the machine's own"
	fi
	round=1
	while [ "$round" -le "$runs" ]; do
		failed exec || measure exec "$msgsim" exec --program-output -- ./raw "$xn"
		# shellcheck disable=SC2086 # the command is words
		failed kexec || measure kexec $kexec "$xn"
		echo "bench: exec round $round of $runs done" >&2
		round=$((round + 1))
	done
fi
finished=$(date +%s)
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

# ---- the report ----
mps() { calc "x == \"\" ? \"\" : $n / x / 1e6" "%.2f M" "$1"; } # median seconds -> pairs/s
sec() { calc "x == \"\" ? \"\" : x" "%.3f" "$1"; }
mib() { calc "x == \"\" ? \"\" : x / 1024" "%.1f" "$1"; }
ns_of() { [ -f "peer.$1" ] && cut -d' ' -f4 "peer.$1" || echo "?"; }
cap_of() { [ -f "peer.$1" ] && cut -d' ' -f3 "peer.$1" || echo "?"; }
cell() { # cell ID TEXT: TEXT, or why the case has no figure
	if [ "$(q n "$1")" = 0 ]; then
		if [ -f "why.$1" ]; then cat "why.$1"; else echo "not run"; fi
	else echo "$2"; fi
}
version() { # the commit, and whether files other than the reports differ from it
	if ! c=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
		echo "unknown (not a git checkout)"
	elif git -C "$root" diff --quiet HEAD -- . ':!reports'; then
		echo "commit $c"
	else
		echo "commit $c with uncommitted changes"
	fi
}
join() { # join TEXT...: the non-empty ones, separated by commas
	j=""
	for x in "$@"; do
		if [ -n "$x" ]; then j="${j:+$j, }$x"; fi
	done
	echo "$j"
}
spread() { # spread ID: min-max of the good runs' times
	if [ "$(q n "$1")" != 0 ]; then echo "$(sec "$(q min "$1")")–$(sec "$(q max "$1")")"; fi
}
verdict() { # verdict COND-EXPR X [Y [Z [W]]]: met / not met / not measured
	v=$(calc "$1" "%s" "$2" "${3:-}" "${4:-}" "${5:-}")
	case $v in 1) echo "**met**" ;; 0) echo "not met" ;; *) echo "not measured" ;; esac
}

{
	echo "# msgsim benchmark"
	echo
	echo "Produced by \`make bench\` (tests/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); it took"
	echo "$((finished - started)) s. Every figure is a whole process, timed from fork to exit as a"
	echo "user's shell would see it (parsing, the run, the report and the trace included), with its"
	echo "peak resident set from wait4. Each case ran $runs times, in rounds (every case once, then"
	echo "again), so that a busy neighbour slows every case of a round alike. Medians are quoted"
	echo "with the min-max spread; a msgsim/kernel ratio is the median of the per-round ratios."
	echo
	echo "- machine: $(uname -srm), $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null) RAM"
	echo "- load average (1, 5, 15 min): $load_before before, $load_after after"
	echo "- compiler: $(${CC:-cc} --version | head -n 1)"
	echo "- msgsim: $(version), built with \`make\` (-O2)"
	if awk -v l="${load_before%% *}" -v c="$(nproc)" 'BEGIN { exit !(l + 0 >= c + 0) }'; then
		echo "- **the machine was busy**: its load average was at or above its CPU count when the"
		echo "  run began, so other jobs shared the CPUs; expect slower, noisier figures than on an"
		echo "  idle machine"
	fi
	echo "- kernel peer: IPC namespace $(ns_of ksysv16) (private when unshare(CLONE_NEWIPC) works, else the machine's own)"
	echo
	echo "## Producer and consumer, $n messages"
	echo
	echo "One producer and one consumer exchange $n 7-byte messages (\"message\"); a pair is one send"
	echo "and one receive. The kernel peer, build/bench-kernel (tests/bench_kernel.c), forks the two and"
	echo "makes the same calls for real: msgsnd/msgrcv, mq_send/mq_receive, write/read of 7 bytes."
	echo
	echo "| case | median time (s) | spread (s) | pairs/s (median) | peak RSS (MiB) |"
	echo "|---|---:|---:|---:|---:|"
	while IFS='|' read -r id what cmd; do
		m=$(q med "$id")
		extra=""
		if [ -f "size.$id" ]; then extra=" ($(calc 'x / 1e6' '%.0f' "$(cat "size.$id")") MB)"; fi
		# what the kernel gave, where it is not what was asked
		case $id:$(cap_of "$id") in
		*:\?) ;;
		ksysv:*) extra=": $(cap_of "$id") messages" ;;
		kpipe:*) extra=": $(cap_of "$id") bytes" ;;
		*16:16) ;;
		k*) extra=", but the machine gave $(cap_of "$id")" ;;
		esac
		echo "| $what$extra | $(cell "$id" "$(sec "$m")") | $(spread "$id") | $(mps "$m") | $(mib "$(q rss "$id")") |"
	done <cases
	echo
	echo "Ratios, each the median over the rounds (msgsim's pairs/s over its peer's, or a trace's"
	echo "time over the quiet run's):"
	echo
	echo "| msgsim case | compared with | ratio (median of rounds) | ratio of the medians |"
	echo "|---|---|---:|---:|"
	for pair in "quiet16 ksysv16" "text16 ksysv16" "jsonl16 ksysv16" "sysv16 ksysv16" \
		"quiet16 kposix16" "quietunb ksysv" "quietpipe kpipe" "quiet16 text16:trace" \
		"quiet16 jsonl16:trace"; do
		a=${pair% *}
		b=${pair#* }
		b=${b%:trace}
		wa=$(grep "^$a|" cases | cut -d'|' -f2)
		wb=$(grep "^$b|" cases | cut -d'|' -f2)
		if [ "${pair%:trace}" != "$pair" ]; then
			# the trace costs: its time over the quiet run's, per round
			echo "| $wb | $wa | $(calc 'x == "" ? "" : x' '%.1f× time' "$(q ratio "$a" "$b")") | $(calc 'x == "" || y == "" ? "" : y / x' '%.1f× time' "$(q med "$a")" "$(q med "$b")") |"
		else
			echo "| $wa | $wb | $(calc 'x == "" ? "" : x' '%.2f×' "$(q ratio "$a" "$b")") | $(calc 'x == "" || y == "" ? "" : y / x' '%.2f×' "$(q med "$a")" "$(q med "$b")") |"
		fi
	done
	echo
	echo "## Scaling: processes"
	echo
	echo "N processes in groups of 1,000: 500 clients each send a request and wait for a reply, 3"
	echo "times, and 500 servers each take a request and reply, 3 times, through a request and a"
	echo "reply mailbox of capacity 16 per group; every process makes 3 sends and 3 receives, so"
	echo "3N messages in all. \`--quiet\`; a run longer than $timeout s is stopped, and one longer"
	echo "than $long s is not repeated. A step is a statement run, as the report's summary counts"
	echo "them. Every run also pays msgsim's start and exit: $(sec "$(q med start)") s (median, spread"
	echo "$(spread start) s) for a scenario of one process that exits at once."
	echo
	echo "| processes | steps | runs | median time (s) | spread (s) | time per step (µs) | per step, × the first row | peak RSS (MiB) | KiB per process |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	first=none
	for p in $scale; do
		m=$(q med "scale$p")
		st=$(q steps "scale$p")
		per=$(calc 'x == "" || y == "" || y == 0 ? "" : x / y * 1e6' '%.3f' "$m" "$st")
		if [ "$first" = none ]; then first=$per; fi
		echo "| $p | ${st:-} | $(q n "scale$p") | $(cell "scale$p" "$(sec "$m")") | $(spread "scale$p") | $per | $(calc 'x == "" || y == "" ? "" : x / y' '%.1f×' "$per" "$first") | $(mib "$(q rss "scale$p")") | $(calc 'x == "" ? "" : x / y' '%.2f' "$(q rss "scale$p")" "$p") |"
	done
	echo
	echo "## Queue length"
	echo
	echo "One producer sends K messages of 7 bytes into an unbounded mailbox, or into a SysV queue"
	echo "(msgsnd, msgmnb raised to 2^31-1), and exits with all of them queued. Bytes per message ="
	echo "(peak RSS with K queued - peak RSS with 1 queued) / (K - 1), payload included; RSS moves in"
	echo "pages and the allocator's arenas, so it is given from 10^4 messages on."
	echo
	echo "| messages queued | mailbox: peak RSS (MiB) | bytes per message | SysV queue: peak RSS (MiB) | bytes per message | mailbox time (s) |"
	echo "|---:|---:|---:|---:|---:|---:|"
	for k in $queue; do
		row="| $k"
		for kind in qmb qsv; do
			r=$(q rss "$kind$k")
			b=$(calc 'x == "" || y == "" || z < 10000 ? "" : (x - y) * 1024 / (z - 1)' '%.0f' "$r" "$(q rss "${kind}1")" "$k")
			row="$row | $(cell "$kind$k" "$(mib "$r")") | $b"
		done
		echo "$row | $(sec "$(q med "qmb$k")") |"
	done
	echo
	echo "## Goals (issue 16)"
	echo
	q16=$(q med quiet16)
	big=$(echo "$scale" | awk '{print $NF}')
	small=$(echo "$scale" | awk '{print $1}')
	bigm=$(q med "scale$big")
	bigper=$(calc 'x == "" || y == "" ? "" : x / y' '%.9f' "$bigm" "$(q steps "scale$big")")
	smallper=$(calc 'x == "" || y == "" ? "" : x / y' '%.9f' "$(q med "scale$small")" "$(q steps "scale$small")")
	lastq=$(echo "$queue" | awk '{print $NF}')
	qb=$(calc 'x == "" || y == "" || z < 10000 ? "" : (x - y) * 1024 / (z - 1)' '%.1f' "$(q rss "qmb$lastq")" "$(q rss qmb1)" "$lastq")
	qs=$(calc 'x == "" || y == "" || z < 10000 ? "" : (x - y) * 1024 / (z - 1)' '%.1f' "$(q rss "qsv$lastq")" "$(q rss qsv1)" "$lastq")
	echo "| case | goal | measured | |"
	echo "|---|---|---|---|"
	echo "| \`--quiet\`, capacity 16, $n messages | ≥ 16 M pairs/s and ≥ 10× the SysV peer | $(cell quiet16 "$(join "$(mps "$q16") pairs/s" "$(calc 'x == "" ? "" : x' '%.2f× the SysV peer' "$(q ratio quiet16 ksysv16)")")") | $(verdict 'x == "" ? "" : '"$n"' / x < 16e6 ? 0 : y == "" ? "" : y >= 10' "$q16" "$(q ratio quiet16 ksysv16)") |"
	echo "| text trace to a file | ≥ 3 M pairs/s, ≤ 3× the quiet run | $(cell text16 "$(join "$(mps "$(q med text16)") pairs/s" "$(calc 'x == "" ? "" : x' '%.1f× the quiet time' "$(q ratio quiet16 text16)")")") | $(verdict 'x == "" ? "" : '"$n"' / x < 3e6 ? 0 : y == "" ? "" : y <= 3' "$(q med text16)" "$(q ratio quiet16 text16)") |"
	echo "| JSONL to a file | ≥ 2 M pairs/s | $(cell jsonl16 "$(mps "$(q med jsonl16)") pairs/s") | $(verdict 'x == "" ? "" : ('"$n"' / x >= 2e6)' "$(q med jsonl16)") |"
	echo "| $big processes, 3 pairs each, \`--quiet\` | ≤ 2 s; per step within 2× of $small processes; ≤ 150 MB | $(cell "scale$big" "$(join "$(sec "$bigm") s" "$(calc 'x == "" || y == "" ? "" : x / y' '%.1f× per step' "$bigper" "$smallper")" "$(mib "$(q rss "scale$big")") MiB")") | $(verdict 'x == "" || y == "" || z == "" ? "" : (x <= 2 && y <= 2 * z && w <= 150e6 / 1024)' "$bigm" "$bigper" "$smallper" "$(q rss "scale$big")") |"
	echo "| queued messages | ≤ 64 bytes each plus the payload (7) | $(cell "qmb$lastq" "$(join "$(calc 'x == "" ? "" : x' 'mailbox %.1f' "$qb")" "$(calc 'x == "" ? "" : x' 'SysV queue %.1f bytes per message' "$qs")") with $lastq queued") | $(verdict 'x == "" || y == "" ? "" : (x <= 71 && y <= 71)' "$qb" "$qs") |"
	if [ "$xn" -gt 0 ]; then
		xcalls=$((2 * xn))
		cps() { calc "x == \"\" ? \"\" : $xcalls / x" "%.0f" "$1"; } # seconds -> calls/s
		us() { calc "x == \"\" ? \"\" : x / $xcalls * 1e6" "%.2f" "$1"; }
		em=$(q med exec)
		km=$(q med kexec)
		echo
		echo "## msgsim exec: a real program's calls (issue 22)"
		echo
		echo "tests/exec/raw.c (built here, \`cc -O2\`) makes $xn msgsnd/msgrcv round trips of 64 bytes"
		echo "through syscall(2) on a private queue: $xcalls calls. Under \`msgsim exec --program-output\`"
		echo "each is trapped by seccomp user notification and served by the model, one guest"
		echo "running at a time; the real kernel runs the same binary (IPC namespace: $kexec_ns)."
		echo "Whole processes, start-up included, in rounds of their own."
		echo
		echo "| case | calls | median time (s) | spread (s) | calls/s (median) | µs per call | peak RSS (MiB) |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
		echo "| msgsim exec | $xcalls | $(cell exec "$(sec "$em")") | $(spread exec) | $(cps "$em") | $(us "$em") | $(mib "$(q rss exec)") |"
		echo "| real kernel | $xcalls | $(cell kexec "$(sec "$km")") | $(spread kexec) | $(cps "$km") | $(us "$km") | $(mib "$(q rss kexec)") |"
		echo
		echo "msgsim exec's time over the kernel's: $(calc 'x == "" ? "" : x' '%.1f×' "$(q ratio kexec exec)") (median of the rounds' ratios)."
		echo
		echo "| goal (issue 22) | measured | |"
		echo "|---|---|---|"
		echo "| ≥ 100,000 intercepted calls per second | $(cell exec "$(cps "$em") calls/s") | $(verdict 'x == "" ? "" : ('"$xcalls"' / x >= 100000)' "$em") |"
	fi
	echo
	echo "## Commands"
	echo
	echo "The scenarios are written into a private directory (mktemp -d), which is removed on exit."
	echo "Each line runs under build/bench-time (tests/bench_time.c), which forks it in a process"
	echo "group of its own, stops it after $timeout s, and reads its peak RSS from wait4."
	echo
	echo '```'
	sed "s|$msgsim|./msgsim|; s|$kernel|build/bench-kernel|" cases | cut -d'|' -f3
	echo "./msgsim run --quiet scaleN.scn        # N in: $scale"
	echo "./msgsim run --quiet qmbK.scn          # K in: 1 $queue"
	echo "./msgsim run --quiet qsvK.scn"
	if [ "$xn" -gt 0 ]; then
		echo "./msgsim exec --program-output -- ./raw $xn   # raw: tests/exec/raw.c"
		echo "$kexec $xn"
	fi
	echo '```'
	echo
	echo "pc16.scn (pcunb.scn is the same with \`capacity=unbounded\`):"
	echo
	echo '```'
	cat pc16.scn
	echo '```'
	echo
	echo "sysv16.scn and pipe.scn:"
	echo
	echo '```'
	cat sysv16.scn
	echo
	cat pipe.scn
	echo '```'
	echo
	echo "scale1000.scn (one group; scaleN.scn has N/1000 of them, numbered), qmbK.scn and qsvK.scn:"
	echo
	echo '```'
	scale_scn 1000
	echo
	echo 'mailbox q'
	echo 'process producer { repeat K { send q "message" } }'
	echo
	echo 'sysctl msgmnb=2147483647'
	echo 'sysv queue q key=private'
	echo 'process producer { repeat K { msgsnd q "message" } }'
	echo '```'
} >report.md
# ---- msgsim explore beside SPIN (issue 15): its own script; its section is appended ----
"$root/tests/bench_explore.sh" "$msgsim" "$timer" >>report.md ||
	echo "bench: the exploration comparison failed (see above)" >&2
mkdir -p "$(dirname "$report")"
cp report.md "$report"
cat report.md
