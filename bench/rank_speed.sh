#!/bin/sh
# rank_speed.sh [SIZE...] - prioritised screening's ranking speed (issue
# 13) on generated reviews of SIZE citations (default 50,000 and
# 1,000,000): each review is made once under OUT/rank-data/rev-SIZE
# (bench_gen_records RIS, 'lsr import', 'lsr dedup'; about 3 kB per
# citation, kept for the next run), then bench_rank_speed times a ranking
# with the feature cache cold, warm and 1% stale, screen_ranking_make and
# screen_rank_next (see bench/rank_speed.c).
#
# Environment: BUILD (build directory, default build-bench), OUT (default
# bench/out).  Figures go to stdout.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC/build-bench}
OUT=${OUT:-$SRC/bench/out}
[ $# -gt 0 ] || set -- 50000 1000000

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DLSR_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j 2 >/dev/null
LSR=$BUILD/lsr
GEN=$BUILD/bench/bench_gen_records
work=$OUT/rank-data
mkdir -p "$work"
for n in "$@"; do
	rev=$work/rev-$n
	if [ ! -f "$rev/review.db" ]; then
		echo "making a review of $n citations in $rev" >&2
		"$GEN" --format ris --records "$n" -o "$work/r$n.ris"
		"$LSR" init "$rev" >/dev/null
		cat > "$rev/protocol.yaml" <<'YAML'
lsr_protocol: 1
title: rank speed
sources:
  - name: PubMed
screening:
  reviewers: 1
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, stage: full-text}
YAML
		"$LSR" -C "$rev" import "$work/r$n.ris" --source PubMed >/dev/null
		"$LSR" -C "$rev" dedup >/dev/null
		rm -f "$work/r$n.ris"
	fi
	"$BUILD/bench/bench_rank_speed" "$rev"
done
