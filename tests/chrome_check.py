#!/usr/bin/env python3
"""chrome_check.py FILE... -- checks msgsim's --format chrome output against the trace-event
format: valid JSON, the fields each phase requires, slices that nest on each thread (Perfetto
drops those that do not), and flows whose start and end both exist. Prints one line per
problem and exits 1 when there is any; 0 and "ok N events" otherwise."""
import json
import sys

PHASES = {"X", "M", "s", "f", "C", "i"}


def check(path):
    problems = []
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    evs = doc.get("traceEvents")
    if not isinstance(evs, list) or not evs:
        return ["%s: no traceEvents list" % path], 0
    slices = {}
    flows = {}
    for n, ev in enumerate(evs):
        where = "%s: event %d" % (path, n)
        ph = ev.get("ph")
        if ph not in PHASES:
            problems.append("%s: unknown ph %r" % (where, ph))
            continue
        for key, kind in (("name", str), ("pid", int), ("tid", int)):
            if not isinstance(ev.get(key), kind):
                problems.append("%s: %s missing or not %s" % (where, key, kind.__name__))
        ts = ev.get("ts")
        if not isinstance(ts, (int, float)) or ts < 0:
            problems.append("%s: bad ts %r" % (where, ts))
            continue
        if ph == "X":
            d = ev.get("dur")
            if not isinstance(d, (int, float)) or d < 0:
                problems.append("%s: bad dur %r" % (where, d))
                continue
            slices.setdefault(ev["tid"], []).append((ts, ts + d, ev["name"]))
        elif ph in ("s", "f"):
            if "id" not in ev:
                problems.append("%s: flow without id" % where)
            flows.setdefault(ev.get("id"), set()).add(ph)
        elif ph == "C":
            args = ev.get("args")
            if not isinstance(args, dict) or not all(
                    isinstance(v, (int, float)) for v in args.values()):
                problems.append("%s: counter without numeric args" % where)
        elif ph == "M":
            if not isinstance(ev.get("args"), dict):
                problems.append("%s: metadata without args" % where)
    for tid, ss in slices.items():
        ss.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for start, end, name in ss:
            while stack and stack[-1][1] <= start and not (stack[-1][1] == start == end):
                stack.pop()
            if stack and end > stack[-1][1]:
                problems.append("%s: tid %d: slice %r [%s, %s] overlaps %r [%s, %s]" %
                                (path, tid, name, start, end, stack[-1][2], stack[-1][0],
                                 stack[-1][1]))
            stack.append((start, end, name))
    for fid, phs in flows.items():
        if phs != {"s", "f"}:
            problems.append("%s: flow %r has only %s" % (path, fid, sorted(phs)))
    return problems, len(evs)


def main():
    bad = 0
    for path in sys.argv[1:]:
        try:
            problems, n = check(path)
        except (OSError, ValueError) as e:
            problems, n = ["%s: %s" % (path, e)], 0
        for p in problems[:10]:
            print(p)
        bad += len(problems)
        if not problems:
            print("ok %d events" % n)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
