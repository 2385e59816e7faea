#!/bin/sh
# browser.sh — opens msgsim's HTML report (--format html) in headless Chromium and checks
# what its script drew, for a few scenarios: the lecture's P1/P2/P3, a pipe that deadlocks,
# a mailbox deadlock, and a run of about 10^5 events.
#
#   tests/browser.sh MSGSIM
#
# For each it checks, from the page's DOM after the script ran (the script adds
# <div id="msgsim-status" data-...> when it is done):
#   - no script error, and no error on Chromium's console;
#   - one lane per process (the processes of the text report's summary);
#   - one arrow per delivered message (the receives that took one, from the JSON Lines
#     trace), counting arrows merged when zoomed out;
#   - the deadlock graph names every process the text report says is stuck;
#   - zoomed in on the long run, its arrows are no longer merged;
#   - the page's self-test (#selftest: zoom, pan, hover and click on the first call) passes.
# And the outcome set page of `msgsim explore --format html`: no script error, one row per
# outcome, and a click on the first row opens its witness run.
# Screenshots go to reports/screenshots/NAME.png. Chromium (Debian's `chromium`) is
# installed when missing, as root or through sudo (tests/apt-install.sh); where it cannot be,
# the test says so and is skipped (exit 0). Not part of `make check`: `make check-browser`.
set -u
msgsim=${1:?usage: browser.sh MSGSIM}
case $msgsim in /*) ;; *) msgsim=$(pwd)/$msgsim ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2

browser=""
for b in chromium chromium-browser; do
	command -v "$b" >/dev/null 2>&1 && browser=$b && break
done
if [ -z "$browser" ]; then
	if ./tests/apt-install.sh "packages for the browser test" chromium && command -v chromium \
		>/dev/null 2>&1; then
		browser=chromium
	else
		echo "browser: SKIPPED: Chromium is not installed and could not be (apt-get install chromium)"
		exit 0
	fi
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "browser: SKIPPED: python3 is needed to read the pages' DOM and the JSON Lines trace"
	exit 0
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
shots=reports/screenshots
mkdir -p "$shots"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# A run of about 10^5 events: two producers and a consumer through a bounded mailbox.
cat >"$tmp/big.scn" <<'EOF'
# About 10^5 trace events: the HTML report must stay usable (zoom, pan, merged arrows).
scheduler fifo
mailbox box capacity=4
process producer1 { repeat 9000 as i { send box "a$i" } }
process producer2 { repeat 9000 as i { send box "b$i" } }
process consumer { repeat 18000 { receive box -> m  compute 1us } }
expect no deadlock
EOF

# Chromium as a test runs it: no sandbox (it refuses to run as root with one), no GPU, a
# profile of its own, console messages on standard error.
run_browser() {
	timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
		--window-size=1300,1000 "$@"
}

check() { # NAME SCENARIO
	name=$1 scn=$2
	page=$tmp/$name.html
	"$msgsim" run --format html -o "$page" "$scn" >/dev/null 2>&1
	"$msgsim" run -q "$scn" >"$tmp/$name.report" 2>/dev/null
	"$msgsim" run --format jsonl "$scn" >"$tmp/$name.jsonl" 2>/dev/null
	if ! run_browser --dump-dom "file://$page" >"$tmp/$name.dom" 2>"$tmp/$name.log"; then
		bad "$name: Chromium failed to load the page"
		sed -n '1,5p' "$tmp/$name.log"
		return
	fi
	run_browser --screenshot="$shots/$name.png" "file://$page" >/dev/null 2>&1 ||
		bad "$name: no screenshot"
	python3 - "$tmp/$name" "$name" <<'PY' && ok || bad "$name: see above"
import json, re, sys
base, name = sys.argv[1], sys.argv[2]
dom = open(base + ".dom", encoding="utf-8").read()
log = open(base + ".log", encoding="utf-8", errors="replace").read()
report = open(base + ".report", encoding="utf-8").read()
problems = []
m = re.search(r'<div id="msgsim-status"([^>]*data-lanes[^>]*)>', dom)
if not m:
    print("%s: the script did not finish (no msgsim-status in the DOM)" % name)
    sys.exit(1)
st = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', m.group(1)))
if st.get("errors") != "0":
    problems.append("script errors: %s" % st.get("errors"))
for line in log.splitlines():
    if "CONSOLE" in line and ("Uncaught" in line or "rror" in line):
        problems.append("console: " + line.strip()[:200])
procs = re.findall(r"^-- task (\S+)", report, re.M)
if st.get("lanes") != str(len(procs)):
    problems.append("lanes %s, processes %d" % (st.get("lanes"), len(procs)))
taken = set()
for line in open(base + ".jsonl", encoding="utf-8"):
    ev = json.loads(line)
    # Schema 3 writes no "result" for a call that succeeded (2 wrote "ok").
    if ev.get("ev") in ("call", "return") and "seq" in ev and \
            ev.get("result", "ok") == "ok" and not ev.get("blocked") and \
            ev.get("call") in ("receive", "msgrcv", "mq_receive", "mq_timedreceive"):
        taken.add(ev["seq"])
arrows = int(st.get("arrows", -1)) + int(st.get("merged", 0))
if arrows != len(taken):
    problems.append("arrows %d (%s merged), delivered messages %d" %
                    (arrows, st.get("merged"), len(taken)))
stuck = re.findall(r"^-- deadlock: (\S+) stuck", report, re.M)
nodes = [n for n in st.get("deadlock-nodes", "").split(",") if n]
for s in stuck:
    if s not in nodes:
        problems.append("the deadlock graph lacks %s (has %s)" % (s, nodes))
if not stuck and nodes:
    problems.append("a deadlock graph without a deadlock: %s" % nodes)
for p in problems:
    print("%s: %s" % (name, p))
print("browser: %s: %s lanes, %d arrows (%s merged), %s queued, deadlock graph [%s]" %
      (name, st.get("lanes"), arrows, st.get("merged"), st.get("queued"), ",".join(nodes)))
sys.exit(1 if problems else 0)
PY
}

start=$(date +%s)
check p1p2p3 scenarios/textbook/p1p2p3.scn
check forgot-close scenarios/pipes/forgot-close.scn
check deadlock scenarios/textbook/deadlock.scn
check producer-consumer scenarios/sysv/producer-consumer.scn
check big "$tmp/big.scn"
# The page's own test of zoom, pan, hover and click (report.html#selftest).
run_browser --dump-dom "file://$tmp/p1p2p3.html#selftest" >"$tmp/self.dom" 2>/dev/null
got=$(sed -n 's/.*data-selftest="\([^"]*\)".*/\1/p' "$tmp/self.dom")
if [ "$got" = ok ]; then ok; else bad "p1p2p3#selftest: ${got:-the self-test did not run}"; fi
echo "browser: p1p2p3#selftest: ${got:-nothing}"

# Zoomed in (a view in the page's address), the long run's arrows are drawn one by one.
run_browser --dump-dom "file://$tmp/big.html#view=0,300000" >"$tmp/zoom.dom" 2>/dev/null
python3 - "$tmp/zoom.dom" <<'PY' && ok || bad "big, zoomed in: see above"
import re, sys
m = re.search(r'<div id="msgsim-status"([^>]*data-lanes[^>]*)>', open(sys.argv[1]).read())
st = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', m.group(1) if m else ""))
arrows, merged = int(st.get("arrows", -1)), int(st.get("merged", -1))
print("browser: big, zoomed in to 0-300us: %d arrows, %d merged" % (arrows, merged))
sys.exit(0 if merged == 0 and 0 < arrows < 1000 else 1)
PY
# The outcome set page (explore --format html): no script error, one row per outcome of the
# JSON summary, and (#selftest) a click on the first row opens its witness's run in a frame.
outcomes() { # NAME SCENARIO
	name=$1 scn=$2
	"$msgsim" explore --format html -o "$tmp/$name.html" "$scn" >/dev/null 2>&1
	"$msgsim" explore --format json "$scn" 2>/dev/null | tail -1 >"$tmp/$name.json"
	run_browser --dump-dom "file://$tmp/$name.html#selftest" >"$tmp/$name.dom" 2>"$tmp/$name.log" ||
		{ bad "$name: Chromium failed to load the outcome page"; return; }
	run_browser --screenshot="$shots/$name.png" "file://$tmp/$name.html" >/dev/null 2>&1 ||
		bad "$name: no screenshot"
	python3 - "$tmp/$name" "$name" <<'PY' && ok || bad "$name: see above"
import json, re, sys
base, name = sys.argv[1], sys.argv[2]
dom = open(base + ".dom", encoding="utf-8").read()
log = open(base + ".log", encoding="utf-8", errors="replace").read()
want = json.load(open(base + ".json"))["outcomes"]
m = re.search(r'<div id="msgsim-status"([^>]*data-rows[^>]*)>', dom)
if not m:
    print("%s: the outcome page's script did not finish" % name)
    sys.exit(1)
st = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', m.group(1)))
problems = []
if st.get("errors") != "0":
    problems.append("script errors: %s" % st.get("errors"))
for line in log.splitlines():
    if "CONSOLE" in line and ("Uncaught" in line or "rror" in line):
        problems.append("console: " + line.strip()[:200])
if st.get("rows") != str(want):
    problems.append("rows %s, outcomes %d" % (st.get("rows"), want))
if st.get("selftest") != "ok":
    problems.append("selftest: %s" % st.get("selftest"))
for p in problems:
    print("%s: %s" % (name, p))
print("browser: %s: %s outcome rows, %s witness runs, selftest %s" %
      (name, st.get("rows"), st.get("pages"), st.get("selftest")))
sys.exit(1 if problems else 0)
PY
}
outcomes outcomes-p1p2p3 scenarios/textbook/p1p2p3-all.scn
outcomes outcomes-deadlock scenarios/textbook/deadlock.scn

echo "browser: $pass passed, $fail failed in $(($(date +%s) - start))s; screenshots in $shots/"
[ $fail -eq 0 ]
