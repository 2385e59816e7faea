#!/bin/sh
# Re-minimizes the committed corpus: libFuzzer's -set_cover_merge=1 keeps, from every seed, a
# near-minimal set of inputs (greedy set cover) that reaches every coverage edge the seeds
# reach together (-use_counters=0: hit-count buckets alone would double the set), and the
# result replaces tests/fuzz/corpus. Seeds: the committed corpus itself, every scenario and bad
# scenario of the tree, what `make fuzz` runs found (build/fuzz/corpus), and the shared
# corpus archive when it is readable (it is not in every checkout).
#
#   tests/fuzz/merge.sh BINARY [SHARED_CORPUS.tgz]
set -eu
bin=$1
shared=${2:-}
dir=build/fuzz
rm -rf "$dir/seeds" "$dir/merged"
mkdir -p "$dir/seeds/tree" "$dir/seeds/shared" "$dir/merged" "$dir/corpus" tests/fuzz/corpus
# Scenario files share names across folders: keep the folder in the name.
find scenarios tests/bad -name '*.scn' | while read -r f; do
	cp "$f" "$dir/seeds/tree/$(echo "$f" | tr / _)"
done
if [ -n "$shared" ] && [ -r "$shared" ]; then
	tar xzf "$shared" -C "$dir/seeds/shared"
	echo "fuzz-merge: with the shared corpus $shared"
fi
# A seed that crashes is skipped by the merge; its artifact (and the empty one written when a
# leak shows only at exit) goes to build/fuzz/merge-*, not among the fuzzing runs' findings.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export G_SLICE=always-malloc G_DEBUG=gc-friendly
"$bin" -set_cover_merge=1 -use_counters=0 -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$dir/merge-" "$dir/merged" \
	tests/fuzz/corpus "$dir/seeds/tree" "$dir/seeds/shared" "$dir/corpus" 2>"$dir/merge.log"
tail -1 "$dir/merge.log"
rm -f tests/fuzz/corpus/*
cp "$dir/merged"/* tests/fuzz/corpus/
echo "fuzz-merge: tests/fuzz/corpus: $(ls tests/fuzz/corpus | wc -l) inputs," \
	"$(du -sb tests/fuzz/corpus | cut -f1) bytes"
