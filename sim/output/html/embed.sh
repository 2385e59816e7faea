#!/bin/sh
# embed.sh FILE... -- prints each FILE as a C array of its bytes, NUL-terminated, named after
# the file: sim/output/html/report.js becomes `static const unsigned char html_report_js[]`. The HTML
# report's script and styles are kept as plain files in the repository and built into the
# program by this, with od and awk only (no xxd, which Debian ships with vim).
set -eu
for file in "$@"; do
	name=html_$(basename "$file" | tr -c 'A-Za-z0-9\n' '_')
	echo "static const unsigned char ${name}[] = {"
	od -An -v -tx1 "$file" | awk '{ line = "\t"; for (i = 1; i <= NF; i++) line = line "0x" $i ","; print line }'
	echo "	0x00 };"
done
