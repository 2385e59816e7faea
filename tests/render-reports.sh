#!/bin/sh
# render-reports.sh — writes the HTML report of every lecture scenario (scenarios/seeds/) to
# reports/html/NAME.html, with a screenshot beside it (reports/html/NAME.png) when Chromium
# is here, for the README to link. Run by `make reports-html`; the results are committed.
#
#   tests/render-reports.sh MSGSIM
set -u
msgsim=${1:?usage: render-reports.sh MSGSIM}
case $msgsim in /*) ;; *) msgsim=$(pwd)/$msgsim ;; esac
cd "$(dirname "$0")/.." || exit 2
mkdir -p reports/html
browser=""
for b in chromium chromium-browser; do
	command -v "$b" >/dev/null 2>&1 && browser=$b && break
done
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0
for scn in scenarios/seeds/*.scn; do
	name=$(basename "$scn" .scn)
	if ! "$msgsim" run --format html -o "reports/html/$name.html" "$scn" >/dev/null; then
		echo "render-reports: $scn: the run failed" >&2
		status=1
		continue
	fi
	if [ -n "$browser" ]; then
		timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
			--user-data-dir="$tmp/profile" --hide-scrollbars --window-size=1300,900 \
			--screenshot="reports/html/$name.png" "file://$(pwd)/reports/html/$name.html" \
			>/dev/null 2>&1 || { echo "render-reports: $name: no screenshot" >&2; status=1; }
	fi
	echo "reports/html/$name.html"
done
[ -n "$browser" ] || echo "render-reports: Chromium not found: no screenshots" >&2
exit $status
