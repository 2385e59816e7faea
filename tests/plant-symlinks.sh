#!/bin/sh
# plant-symlinks.sh — another user against the cross-check's FIFOs, by hand (not make check).
#
#   sudo tests/plant-symlinks.sh MSGSIM [--system-tmp] [RUNS]
#
# As root: starts a loop as `nobody` that plants, in every msgsim* directory of the
# temporary directory it can reach, a symlink under the name of every FIFO of the FIFO
# scenarios (scenarios/pipes/*.scn that use mkfifo or open) pointing at decoy files outside
# the run; meanwhile cross-checks every such scenario RUNS times (default 5) in each of the
# three layouts: a private IPC and mount namespace, the fallback directory without a mount
# namespace (MSGSIM_NO_MOUNT_NS=1), and the machine's own IPC namespace (--no-namespace).
# Then checks that every run matched, that every decoy kept its content and mtime, that no
# msgsim directory of the temporary directory is writable by others, and says how many
# symlinks the loop managed to plant and where. Exit status 0 only when all of that holds.
#
# By default the runs and the loop use a temporary directory of their own (sticky and
# world-writable, as /tmp), so that runs of other people on a shared machine are left
# alone; --system-tmp uses /tmp itself, planting in every msgsim* directory there.
set -u
msgsim=${1:?usage: plant-symlinks.sh MSGSIM [--system-tmp] [RUNS]}
shift
system_tmp=
if [ "${1:-}" = --system-tmp ]; then
	system_tmp=1
	shift
fi
runs=${1:-5}
case $runs in
'' | *[!0-9]* | 0) echo "plant-symlinks.sh: RUNS must be a positive number, not '$runs'" >&2; exit 2 ;;
esac
[ -x "$msgsim" ] || { echo "plant-symlinks.sh: $msgsim is not an executable" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "plant-symlinks.sh: run it as root" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)

# The FIFO scenarios and the names their FIFOs get in the run's files/ directory ('%' ->
# "%25", '/' -> "%2F", a leading '.' -> "%2E"; see sim_real_sandbox_encode_path).
# Socket files are planted for too: the socket scenarios that bind to a path (not "@name").
scns=$(grep -lE '^[[:space:]]*(@[A-Za-z0-9_]+[[:space:]]+)?(mkfifo|open)[[:space:]]' \
	"$here"/scenarios/pipes/*.scn)
scns="$scns $(grep -lE '^[[:space:]]*(@[A-Za-z0-9_]+[[:space:]]+)?bind[[:space:]]+[^[:space:]]+[[:space:]]+"[^@]' \
	"$here"/scenarios/sockets/*.scn)"
[ -n "$scns" ] || { echo "plant-symlinks.sh: no FIFO scenario found" >&2; exit 2; }
names=$(sed -nE -e 's/^[[:space:]]*(@[A-Za-z0-9_]+[[:space:]]+)?mkfifo[[:space:]]+"([^"]*)".*/\2/p' \
	-e 's/^[[:space:]]*(@[A-Za-z0-9_]+[[:space:]]+)?bind[[:space:]]+[^[:space:]]+[[:space:]]+"([^@"][^"]*)".*/\2/p' \
	$scns | sed -e 's/%/%25/g' -e 's|/|%2F|g' -e 's/^\./%2E/' | sort -u)

work=$(mktemp -d /var/tmp/plant-symlinks.XXXXXX) || exit 2
chmod 0755 "$work"
if [ -n "$system_tmp" ]; then
	tmpdir=/tmp
else
	tmpdir=$work/tmp
	mkdir -m 1777 "$work/tmp"
fi
planter=
cleanup() {
	[ -n "$planter" ] && kill "$planter" 2>/dev/null && wait "$planter" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP PIPE

# Decoys: files a symlink could redirect a root worker to. Their state before.
mkdir -m 0755 "$work/decoys"
for i in 1 2 3; do
	printf 'decoy %s\n' "$i" >"$work/decoys/d$i"
	chmod 0644 "$work/decoys/d$i"
done
stat -c '%n %s %Y.%y' "$work"/decoys/* >"$work/before"
sha256sum "$work"/decoys/* >>"$work/before"

# The loop, as nobody: every name, every reachable msgsim* directory, every decoy in turn.
cat >"$work/plant.sh" <<'EOF'
tmpdir=$1 decoys=$2 log=$3
shift 3
n=0
while :; do
	for d in "$tmpdir"/msgsim*; do
		[ -d "$d" ] || continue
		echo "$d" >>"$log.seen"
		for name in "$@"; do
			n=$((n % 3 + 1))
			for at in "$d/files" "$d"; do
				if ln -s "$decoys/d$n" "$at/$name" 2>/dev/null; then
					echo "$at/$name" >>"$log"
				fi
			done
		done
	done
done
EOF
: >"$work/planted"
: >"$work/planted.seen"
chmod 0666 "$work/planted" "$work/planted.seen"
# shellcheck disable=SC2086
setpriv --reuid=nobody --regid=nogroup --clear-groups \
	sh "$work/plant.sh" "$tmpdir" "$work/decoys" "$work/planted" $names &
planter=$!
sleep 0.2

echo "# plant-symlinks: nobody plants symlinks named $(echo $names) in $tmpdir/msgsim*"
echo "# scenarios: $(for f in $scns; do printf '%s ' "${f#"$here"/}"; done)"
fail=0
total=0
for layout in namespace fallback-dir no-namespace; do
	matched=0
	n=0
	for f in $scns; do
		i=0
		while [ "$i" -lt "$runs" ]; do
			i=$((i + 1))
			n=$((n + 1))
			case $layout in
			namespace) out=$(TMPDIR=$tmpdir "$msgsim" crosscheck "$f" 2>&1) ;;
			fallback-dir) out=$(TMPDIR=$tmpdir MSGSIM_NO_MOUNT_NS=1 "$msgsim" crosscheck "$f" 2>&1) ;;
			no-namespace) out=$(TMPDIR=$tmpdir "$msgsim" crosscheck --no-namespace "$f" 2>&1) ;;
			esac
			last=$(printf '%s\n' "$out" | tail -n 1)
			case $last in
			*": match") matched=$((matched + 1)) ;;
			*)
				fail=1
				echo "FAIL ($layout): $last"
				printf '%s\n' "$out" |
					grep -E 'First mismatch|^  model: |^  kernel: |the run failed'
				;;
			esac
		done
	done
	total=$((total + n))
	echo "$layout: $n cross-checks, $matched match"
done
kill "$planter" 2>/dev/null
wait "$planter" 2>/dev/null
planter=

stat -c '%n %s %Y.%y' "$work"/decoys/* >"$work/after"
sha256sum "$work"/decoys/* >>"$work/after"
if cmp -s "$work/before" "$work/after"; then
	echo "decoys: $(ls "$work/decoys" | wc -l) files untouched (content and mtime)"
else
	fail=1
	echo "FAIL: a decoy changed:"
	diff "$work/before" "$work/after"
fi
inside=$(grep -c '/msgsim-real-' "$work/planted")
echo "run directories the loop saw: $(sort -u "$work/planted.seen" | wc -l)"
echo "symlinks planted: $(wc -l <"$work/planted") in all, $inside inside a run's directory"
[ "$inside" = 0 ] || { fail=1; sort -u "$work/planted" | head -n 5; }
open=$(find "$tmpdir" -maxdepth 1 -name 'msgsim*' -perm -0002 2>/dev/null)
if [ -n "$open" ]; then
	fail=1
	echo "FAIL: world-writable msgsim directories:"
	echo "$open"
else
	echo "world-writable msgsim directories in $tmpdir: none"
fi
left=$(find "$tmpdir" -maxdepth 1 -name 'msgsim-real-*' 2>/dev/null | wc -l)
[ -z "$system_tmp" ] && [ "$left" != 0 ] && { fail=1; echo "FAIL: $left run directories left"; }
[ "$total" -gt 0 ] || { fail=1; echo "FAIL: no cross-check ran"; }
echo "$total cross-checks under attack: $([ $fail = 0 ] && echo ok || echo FAILED)"
exit $fail
