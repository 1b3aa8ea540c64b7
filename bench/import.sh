#!/bin/sh
# bench/import.sh - import speed and memory.  For each size, generate a
# PubMed XML and a RIS file (bench_gen_records, seed 1), import each into a
# fresh review with the release build, and print records/s, MB/s (10^6
# bytes of input per second of wall time), its CPU time (user + system)
# and the peak resident memory of the lsr process (bench_peakrss, wait4),
# beside `xmllint --stream --noout` on the same XML file: the parsing
# floor.
#
#   bench/import.sh [SIZE...]          default: 10000 100000 1000000
#
# Environment: BUILD (build directory, default build-bench), OUT (data
# directory, default bench/out), KEEP=1 keeps the generated files and
# reviews (they are large: about 10 kB per PubMed XML record, and the
# review holds every record's raw text).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC/build-bench}
OUT=${OUT:-$SRC/bench/out}
KEEP=${KEEP:-0}
[ $# -gt 0 ] || set -- 10000 100000 1000000

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLSR_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j 2 >/dev/null
LSR=$BUILD/lsr
GEN=$BUILD/bench/bench_gen_records
PEAK=$BUILD/bench/bench_peakrss
mkdir -p "$OUT"

# field NAME FILE: the value of NAME=... in a bench_peakrss report
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$2"; }

echo "lsr import benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -m)"
printf '%-10s %9s %9s %8s %7s %10s %7s %8s %9s | %10s %7s %8s\n' \
	format records "input MB" "wall s" "cpu s" "records/s" "MB/s" "peak MiB" "db MiB" \
	"xmllint s" "MB/s" "peak MiB"
for n in "$@"; do
	for fmt in pubmed-xml ris; do
		case $fmt in pubmed-xml) ext=xml ;; *) ext=ris ;; esac
		file=$OUT/bench-$n.$ext
		[ -s "$file" ] || "$GEN" --format "$fmt" --records "$n" --seed 1 -o "$file"
		bytes=$(wc -c < "$file")
		rev=$OUT/review-$fmt-$n
		rm -rf "$rev"
		"$LSR" init "$rev" >/dev/null
		"$PEAK" -o "$OUT/lsr.report" -- "$LSR" -C "$rev" import --source Bench \
			--format "$fmt" "$file" >/dev/null
		got=$(sqlite3 "$rev/review.db" 'SELECT count(*) FROM records')
		if [ "$got" != "$n" ]; then
			echo "bench/import.sh: $file: $got records imported, expected $n" >&2
			exit 1
		fi
		wall=$(field wall_s "$OUT/lsr.report")
		rss=$(field maxrss_kb "$OUT/lsr.report")
		cpu=$(awk -v u="$(field user_s "$OUT/lsr.report")" -v s="$(field sys_s "$OUT/lsr.report")" \
			'BEGIN { printf "%.2f", u + s }')
		db=$(du -k "$rev" | tail -1 | cut -f1)
		xl="- - -"
		if [ "$fmt" = pubmed-xml ] && command -v xmllint >/dev/null; then
			"$PEAK" -o "$OUT/xmllint.report" -- xmllint --stream --noout "$file"
			xw=$(field wall_s "$OUT/xmllint.report")
			xr=$(field maxrss_kb "$OUT/xmllint.report")
			xl=$(awk -v b="$bytes" -v w="$xw" -v r="$xr" \
				'BEGIN { printf "%.2f %.1f %.1f", w, b / 1e6 / w, r / 1024 }')
		fi
		awk -v f="$fmt" -v n="$n" -v b="$bytes" -v w="$wall" -v c="$cpu" -v r="$rss" -v d="$db" -v x="$xl" \
			'BEGIN { split(x, xs, " ");
				printf "%-10s %9d %9.1f %8.2f %7.2f %10.0f %7.1f %8.1f %9.1f | %10s %7s %8s\n",
					f, n, b / 1e6, w, c, n / w, b / 1e6 / w, r / 1024, d / 1024,
					xs[1], xs[2], xs[3] }'
		if [ "$KEEP" != 1 ]; then
			rm -rf "$rev"
			[ "$n" -lt 1000000 ] || rm -f "$file"
		fi
	done
done
