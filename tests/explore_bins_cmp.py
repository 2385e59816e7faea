#!/usr/bin/env python3
"""explore_bins_cmp.py BASE NEW: compares two explore_bins.sh runs of the same scenarios
(two builds of the explorer). Where both complete, the outcome sets (ids and texts) and the
exit codes must be equal; `complete` must be equal too. Prints one line per difference and
a summary; exit status 1 when anything differs."""
import json, os, sys

def load(d, key):
    js = open(os.path.join(d, key + ".json")).read().strip().splitlines()
    rc = int(open(os.path.join(d, key + ".rc")).read())
    u, s = open(os.path.join(d, key + ".time")).read().split()[-2:]
    j = json.loads(js[-1]) if js else None
    return j, rc, float(u) + float(s)

base, new = sys.argv[1:3]
keys = sorted(k[:-5] for k in os.listdir(base) if k.endswith(".json"))
n = same = faster = slower = both_done = bad = 0
tb = tn = 0.0
for k in keys:
    if not os.path.exists(os.path.join(new, k + ".json")):
        continue
    a, ra, ta = load(base, k)
    b, rb, tb_ = load(new, k)
    n += 1
    tb += ta
    tn += tb_
    faster += tb_ < ta * 0.8 and ta > 0.05
    slower += tb_ > ta * 1.25 and tb_ > 0.05
    name = open(os.path.join(base, k + ".name")).read().strip()
    if a is None or b is None:
        if (a is None) != (b is None) or ra != rb:
            print("DIFF", name, "no JSON from one", ra, rb); bad += 1
        continue
    if a["complete"] != b["complete"]:
        print("DIFF", name, "complete", a["complete"], b["complete"],
              "%.2fs %.2fs" % (ta, tb_)); bad += 1
        continue
    if not a["complete"]:
        continue
    both_done += 1
    sa = {(o["id"], o["text"]) for o in a["outcome_set"]}
    sb = {(o["id"], o["text"]) for o in b["outcome_set"]}
    if sa != sb or ra != rb:
        print("DIFF", name, "outcomes" if sa != sb else "exit %d %d" % (ra, rb)); bad += 1
        continue
    same += 1
    if a["states"] != b["states"] or a.get("executions") != b.get("executions"):
        print("counts", name, "states %d -> %d, executions %d -> %d, cpu %.3fs -> %.3fs" % (
            a["states"], b["states"], a["executions"], b["executions"], ta, tb_))
print("compared %d, both complete %d, same outcomes and exit %d, differences %d, "
      "faster %d, slower %d, cpu %.1fs -> %.1fs" % (n, both_done, same, bad, faster, slower, tb, tn))
sys.exit(1 if bad else 0)
