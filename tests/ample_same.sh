#!/bin/sh
# ample_same.sh MSGSIM [TIME] [FILE...]: the stateful search with and without persistent sets
# (sim/explore/ample.c) must find the same outcome set wherever both complete. One line per
# scenario: the states of each search and SAME, DIFF (a failure: exit 1) or CUT (a bound cut
# one of them, nothing compared). Default files: every shipped scenario; TIME: seconds each.
msgsim=${1:?usage: ample_same.sh MSGSIM [TIME] [FILE...]}
t=${2:-10}
shift 2 2>/dev/null || shift $#
[ $# -gt 0 ] || set -- scenarios/*/*.scn
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in "$@"; do
	"$msgsim" explore --stateful --max-time "${t}s" --format json "$f" 2>/dev/null |
		tail -n 1 >"$tmp/a.json"
	"$msgsim" explore --stateful --no-ample --max-time "${t}s" --format json "$f" 2>/dev/null |
		tail -n 1 >"$tmp/b.json"
	python3 - "$f" "$tmp/a.json" "$tmp/b.json" <<'PY' || fail=1
import json, sys
f, pa, pb = sys.argv[1:]
try:
    a, b = json.load(open(pa)), json.load(open(pb))
except ValueError:
    print(f, "NOT EXPLORED"); sys.exit(0)
sa = {o["text"] for o in a["outcome_set"]}
sb = {o["text"] for o in b["outcome_set"]}
row = "%s ample %d states (%d alone, %d widened), full %d states" % (
    f, a["states"], a.get("alone", 0), a.get("widened", 0), b["states"])
if not (a["complete"] and b["complete"]):
    # A cut search's set is a subset: an outcome the full one found and a complete
    # reduced one did not is still a loss.
    lost = a["complete"] and not sb <= sa
    print(row, "DIFF (lost %d)" % len(sb - sa) if lost else "CUT")
    sys.exit(1 if lost else 0)
if sa != sb:
    print(row, "DIFF (missing %d, extra %d)" % (len(sb - sa), len(sa - sb)))
    sys.exit(1)
print(row, "SAME")
PY
done
exit $fail
