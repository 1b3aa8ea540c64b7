#!/bin/sh
# bench/import.sh - import speed, memory and disk.  For each size, generate
# a PubMed XML, a RIS and a MEDLINE file (bench_gen_records, seed 1),
# import each into a fresh review with the release build, and print
# records/s, MB/s (10^6 bytes of input per second of wall time), its CPU
# time (user + system), the peak resident memory of the lsr process
# (bench_peakrss, wait4), the review's size after the import (review.db
# with its -wal and -shm files) and its ratio to the input, the largest
# the -wal file and the review's three files together grew during the
# import (sampled every 0.1 s), beside `xmllint --stream --noout` on the
# same XML file: the parsing floor, with lsr's throughput as a fraction
# of it (by wall time, and by CPU time: on a shared machine the CPU
# ratio is the steadier one).
#
#   bench/import.sh [SIZE...]          default: 10000 100000 1000000
#
# Environment: BUILD (build directory, default build-bench), LSR (the
# binary, default $BUILD/lsr), FORMATS (default "pubmed-xml ris medline"),
# OUT (data directory, default bench/out), KEEP=1 keeps the generated
# files and reviews (they are large: about 10 kB per PubMed XML record).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC/build-bench}
OUT=${OUT:-$SRC/bench/out}
KEEP=${KEEP:-0}
FORMATS=${FORMATS:-pubmed-xml ris medline}
[ $# -gt 0 ] || set -- 10000 100000 1000000

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLSR_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j 2 >/dev/null
LSR=${LSR:-$BUILD/lsr}
GEN=$BUILD/bench/bench_gen_records
PEAK=$BUILD/bench/bench_peakrss
mkdir -p "$OUT"

# field NAME FILE: the value of NAME=... in a bench_peakrss report
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$2"; }
# size FILE: its size in bytes, 0 when absent
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# watch REV: until REV/.stop exists, the largest -wal and the largest
# review.db + -wal + -shm seen, into REV/.peak ("wal total")
watch() {
	w=0 t=0
	while [ ! -e "$1/.stop" ]; do
		a=$(size "$1/review.db-wal")
		b=$(( $(size "$1/review.db") + a + $(size "$1/review.db-shm") ))
		[ "$a" -le "$w" ] || w=$a
		[ "$b" -le "$t" ] || t=$b
		sleep 0.1
	done
	echo "$w $t" > "$1/.peak"
}

echo "lsr import benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %8s %8s %7s %7s %8s %6s %7s %8s %6s %8s %8s | %7s %6s %5s %7s %5s\n' \
	format records "input MB" "wall s" "cpu s" "rec/s" "MB/s" "RSS MiB" "db MiB" "db/in" \
	"WAL max" "disk max" "xmllint" "MB/s" "lsr/x" "x cpu s" "cpu/x"
for n in "$@"; do
	for fmt in $FORMATS; do
		case $fmt in pubmed-xml) ext=xml ;; medline) ext=nbib ;; *) ext=ris ;; esac
		file=$OUT/bench-$n.$ext
		[ -s "$file" ] || "$GEN" --format "$fmt" --records "$n" --seed 1 -o "$file"
		bytes=$(wc -c < "$file")
		xl="- - -"
		xc=-
		if [ "$fmt" = pubmed-xml ] && command -v xmllint >/dev/null; then
			"$PEAK" -o "$OUT/xmllint.report" -- xmllint --stream --noout "$file"
			xw=$(field wall_s "$OUT/xmllint.report")
			xl=$(awk -v b="$bytes" -v w="$xw" 'BEGIN { printf "%.2f %.1f", w, b / 1e6 / w }')
			xc=$(awk -v u="$(field user_s "$OUT/xmllint.report")" -v s="$(field sys_s "$OUT/xmllint.report")" \
				'BEGIN { printf "%.2f", u + s }')
		fi
		rev=$OUT/review-$fmt-$n
		rm -rf "$rev"
		"$LSR" init "$rev" >/dev/null
		watch "$rev" &
		"$PEAK" -o "$OUT/lsr.report" -- "$LSR" -C "$rev" import --source Bench \
			--format "$fmt" "$file" >/dev/null
		touch "$rev/.stop"
		wait
		got=$(sqlite3 "$rev/review.db" 'SELECT count(*) FROM records')
		if [ "$got" != "$n" ]; then
			echo "bench/import.sh: $file: $got records imported, expected $n" >&2
			exit 1
		fi
		wall=$(field wall_s "$OUT/lsr.report")
		rss=$(field maxrss_kb "$OUT/lsr.report")
		cpu=$(awk -v u="$(field user_s "$OUT/lsr.report")" -v s="$(field sys_s "$OUT/lsr.report")" \
			'BEGIN { printf "%.2f", u + s }')
		db=$(( $(size "$rev/review.db") + $(size "$rev/review.db-wal") + $(size "$rev/review.db-shm") ))
		read -r pw pt < "$rev/.peak"
		awk -v f="$fmt" -v n="$n" -v b="$bytes" -v w="$wall" -v c="$cpu" -v r="$rss" -v d="$db" \
			-v pw="$pw" -v pt="$pt" -v x="$xl" -v xc="$xc" \
			'BEGIN { split(x, xs, " "); m = 1048576;
				ratio = xs[2] == "-" ? "-" : sprintf("%.2f", b / 1e6 / w / xs[2]);
				cratio = xc == "-" ? "-" : sprintf("%.2f", xc / c);
				printf "%-10s %8d %8.1f %7.2f %7.2f %8.0f %6.1f %7.1f %8.1f %6.2f %8.1f %8.1f | %7s %6s %5s %7s %5s\n",
					f, n, b / 1e6, w, c, n / w, b / 1e6 / w, r / 1024, d / m, d / b,
					pw / m, pt / m, xs[1], xs[2], ratio, xc, cratio }'
		if [ "$KEEP" != 1 ]; then
			rm -rf "$rev"
			[ "$n" -lt 1000000 ] || rm -f "$file"
		fi
	done
done
