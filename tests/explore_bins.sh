#!/bin/sh
# explore_bins.sh OUTDIR MSGSIM [TIME] [FILE...]: runs `msgsim explore --format json` with a
# time bound on each scenario and keeps, per scenario, the JSON line, the exit code and the
# CPU seconds, for comparing two builds of the explorer (explore_bins_cmp.py). Default files:
# every shipped scenario; TIME: seconds each (10). Needs GNU time (/usr/bin/time).
out=${1:?usage: explore_bins.sh OUTDIR MSGSIM [TIME] [FILE...]}
msgsim=${2:?usage: explore_bins.sh OUTDIR MSGSIM [TIME] [FILE...]}
t=${3:-10}
shift 3 2>/dev/null || shift $#
[ $# -gt 0 ] || set -- scenarios/*/*.scn
mkdir -p "$out" || exit 2
for f in "$@"; do
	key=$(echo "$f" | tr '/' '_')
	/usr/bin/time -f '%U %S' -o "$out/$key.time" \
		"$msgsim" explore --max-time "${t}s" --format json "$f" >"$out/$key.json" 2>/dev/null
	echo $? >"$out/$key.rc"
	echo "$f" >"$out/$key.name"
done
