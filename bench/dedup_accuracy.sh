#!/bin/sh
# dedup_accuracy.sh - deduplication accuracy on the labelled benchmark sets
# of ../shared/fixtures/dedup (see its README.md): each set is imported
# through the normal import path (CSV, --id-column keeps the file's ids as
# source identifiers), grouped by 'lsr dedup' in automatic mode (the queue
# left undecided), exported, and scored against the labelled groups by
# bench_dedup_score (ASySD's convention: removable duplicates).
#
#   bench/dedup_accuracy.sh [BUILD_DIR]      (default: build; $LSR_SHARED
#                                            overrides ../shared)
#
# Prints, per set and for all sets together: records, true/false
# positives and negatives, sensitivity, specificity, precision, F1, and the
# size of the review queue (open pairs, and as a share of the records).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
LSR=$build/lsr
SCORE=$build/bench/bench_dedup_score
FIX=${LSR_SHARED:-$top/../shared}/fixtures/dedup
OUT=$top/bench/out/dedup_accuracy
[ -x "$LSR" ] && [ -x "$SCORE" ] || { echo "build lsr and the benchmarks first (make build)" >&2; exit 1; }
[ -d "$FIX" ] || { echo "../shared/fixtures/dedup not found" >&2; exit 1; }
mkdir -p "$OUT"
export LSR_USER=bench

# name | records file | id column | truth groups | ids in the export
sets='diabetes|asysd/labelled_test_set_Diabetes.csv|record_id|bib_dedupe/diabetes/merged_record_ids.csv|number
cytology|bib_dedupe/cytology_screening/records_pre_merged.csv|ID|bib_dedupe/cytology_screening/merged_record_ids.csv|as-is
haematology|bib_dedupe/haematology/records_pre_merged.csv|ID|bib_dedupe/haematology/merged_record_ids.csv|as-is
respiratory|bib_dedupe/respiratory/records_pre_merged.csv|ID|bib_dedupe/respiratory/merged_record_ids.csv|as-is
stroke|bib_dedupe/stroke/records_pre_merged.csv|ID|bib_dedupe/stroke/merged_record_ids.csv|as-is
digital_work|bib_dedupe/digital_work/records_pre_merged.csv|ID|bib_dedupe/digital_work/merged_record_ids.csv|as-is'

args=""
rm -f "$OUT/times"
echo "$sets" | while IFS='|' read -r name file idcol truth ids; do
	rev=$OUT/$name
	rm -rf "$rev"
	"$LSR" -q init "$rev" >/dev/null
	"$LSR" -q -C "$rev" import "$FIX/$file" --source "$name" --format csv --id-column "$idcol" >/dev/null
	t0=$(date +%s.%N)
	"$LSR" -q -C "$rev" dedup --json --export "$OUT/$name.csv" >"$OUT/$name.json"
	t1=$(date +%s.%N)
	echo "$name $t0 $t1" >>"$OUT/times"
	queue=$(sed -n 's/.*"queue_open": \([0-9]*\).*/\1/p' "$OUT/$name.json")
	printf '%s\n%s\n%s\n%s\n%s\n' "$name" "$FIX/$truth" "$OUT/$name.csv" "$queue" "$ids"
done >"$OUT/args"
# one argument per line (paths may hold spaces)
set -f
IFS='
'
# shellcheck disable=SC2046
set -- $(cat "$OUT/args")
"$SCORE" "$@"

# wall time of each 'lsr dedup' (a first run over the whole set), and of one
# run over the six sets together in one review (15,555 records)
echo
echo "lsr dedup wall time (first run, export included):"
awk '{ printf "  %-14s %7.2f s\n", $1, $3 - $2 }' "$OUT/times"
rev=$OUT/all_sets
rm -rf "$rev"
"$LSR" -q init "$rev" >/dev/null
echo "$sets" | while IFS='|' read -r name file idcol truth ids; do
	"$LSR" -q -C "$rev" import "$FIX/$file" --source "$name" --format csv --id-column "$idcol" >/dev/null
done
t0=$(date +%s.%N)
"$LSR" -q -C "$rev" dedup --json >"$OUT/all_sets.json"
t1=$(date +%s.%N)
t2=$(date +%s.%N)
"$LSR" -q -C "$rev" dedup --json >/dev/null
t3=$(date +%s.%N)
echo "$t0 $t1 $t2 $t3" | awk '{ printf "  %-14s %7.2f s (15,555 records); a rerun with nothing new %.2f s\n", "all sets", $2 - $1, $4 - $3 }'
