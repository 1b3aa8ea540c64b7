#!/bin/sh
# bench/update_scale.sh - the living update's cost against the review's
# size (issue 17): does a month's update cost what is new, or what is old?
#
#   bench/update_scale.sh [SIZE...]          default: 10000 100000
#
# For each SIZE: the example review (examples/msc-cirrhosis, run once with
# the release build and kept under OUT) is copied, SIZE generated RIS
# records (bench_gen_records, seed 101) are imported into it as an extra
# Embase export, deduplicated and run through the rules (setup, timed but
# not the criterion), and then 1,000 new generated records (seed 202,
# the same file for every SIZE) arrive as a new Embase export.  Timed,
# each with its wall and CPU time and peak memory (bench_peakrss):
#
#   lsr update        (the new file, incremental dedup, rules, the checks)
#   lsr prisma
#   lsr pool          (the protocol's twelve analyses)
#   lsr report
#
# and, when more than one SIZE is given, each command's time at the
# largest SIZE over its time at the smallest, by wall and by CPU time (on
# a shared machine the CPU ratio is the steadier one).  Targets: that ratio at most
# 5 for 100,000 against 10,000 citations; `lsr prisma` and `lsr report`
# under 2 s at 100,000.
#
# Environment: BUILD (build directory, default build-bench), LSR, OUT
# (default bench/out), KEEP=1 keeps the reviews (about 3 kB per record).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC/build-bench}
OUT=${OUT:-$SRC/bench/out}
KEEP=${KEEP:-0}
[ $# -gt 0 ] || set -- 10000 100000

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLSR_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j 2 >/dev/null
LSR=${LSR:-$BUILD/lsr}
GEN=$BUILD/bench/bench_gen_records
PEAK=$BUILD/bench/bench_peakrss
work=$OUT/update-scale
mkdir -p "$work"

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$2"; }

# the example review, once (its own data, simulated reviewers)
base=$work/example
if [ ! -f "$base/review.db" ]; then
	echo "update_scale: running the example review into $base" >&2
	LSR=$LSR "$SRC/examples/msc-cirrhosis/run.sh" "$base" >"$work/example.log" 2>&1 ||
		{ echo "update_scale: the example review failed (see $work/example.log)" >&2; exit 1; }
fi
new=$work/new-1000.ris
[ -f "$new" ] || "$GEN" --format ris --records 1000 --seed 202 -o "$new"

# timed LABEL SIZE CMD...: run CMD under bench_peakrss, print one row and
# keep the wall time in $work/t-SIZE-LABEL
timed() {
	label=$1 n=$2
	shift 2
	if ! "$PEAK" -o "$work/peak" -- "$@" >"$work/cmd.out" 2>"$work/cmd.err"; then
		echo "update_scale: '$label' failed at $n citations:" >&2
		cat "$work/cmd.err" >&2
		exit 1
	fi
	w=$(field wall_s "$work/peak")
	u=$(field user_s "$work/peak")
	s=$(field sys_s "$work/peak")
	m=$(field maxrss_kb "$work/peak")
	echo "$w" >"$work/t-$n-$label"
	awk -v u="$u" -v s="$s" 'BEGIN { print u + s }' </dev/null >"$work/c-$n-$label"
	awk -v n="$n" -v l="$label" -v w="$w" -v u="$u" -v s="$s" -v m="$m" \
		'BEGIN { printf "| %s | %s | %s | %.2f | %.1f |\n", n, l, w, u + s, m / 1024 }' </dev/null
}

echo "| generated records | command | wall s | CPU s | peak RSS MiB |"
echo "| ---: | --- | ---: | ---: | ---: |"
for n in "$@"; do
	rev=$work/review-$n
	rm -rf "$rev"
	cp -a "$base" "$rev"
	bulk=$work/bulk-$n.ris
	[ -f "$bulk" ] || "$GEN" --format ris --records "$n" --seed 101 -o "$bulk"
	cp "$bulk" "$rev/exports/embase-bulk.ris"
	timed "setup: import" "$n" "$LSR" -C "$rev" import "$rev/exports/embase-bulk.ris" --source Embase
	timed "setup: dedup" "$n" "$LSR" -C "$rev" dedup
	timed "setup: screen rules" "$n" "$LSR" -C "$rev" screen rules
	cp "$new" "$rev/exports/embase-new.ris"
	timed update "$n" "$LSR" -C "$rev" update
	timed prisma "$n" "$LSR" -C "$rev" prisma
	timed pool "$n" "$LSR" -C "$rev" pool
	timed report "$n" "$LSR" -C "$rev" report -o "$rev/report"
	du -sh "$rev/review.db" | sed 's/^/  review.db: /' >&2
	[ "$KEEP" = 1 ] || rm -rf "$rev"
done

if [ $# -gt 1 ]; then
	small=$1
	eval "large=\${$#}"
	echo
	echo "| command | wall s at ${small} | at ${large} | ratio | CPU s at ${small} | at ${large} | ratio (target <= 5) |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for c in update prisma pool report; do
		awk -v c="$c" -v a="$(cat "$work/t-$small-$c")" -v b="$(cat "$work/t-$large-$c")" \
			-v ca="$(cat "$work/c-$small-$c")" -v cb="$(cat "$work/c-$large-$c")" \
			'BEGIN { printf "| %s | %s | %s | %.2f | %.2f | %.2f | %.2f |\n", c, a, b, b / a, ca, cb, cb / ca }' </dev/null
	done
fi
