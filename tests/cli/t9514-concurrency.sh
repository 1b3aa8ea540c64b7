#!/bin/sh
# Two writers at once, and writers beside 'lsr serve' (issue 20): each
# writer either succeeds or fails cleanly - exit 5, "locked by another lsr
# process" - and the review stays consistent (integrity_check, lsr status
# --check) with everything that was acknowledged stored once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rel-lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"
locked="is locked by another lsr process; try again when it has finished"
# both CMD1 and CMD2 [REFUSAL] (in background, at once): each exits 0, or
# 5 with the busy message, or 1 with REFUSAL in its message; $c1, $c2
both() {
	refusal=${3:-}
	"$LSR" $1 >one.out 2>one.err &
	p1=$!
	"$LSR" $2 >two.out 2>two.err &
	p2=$!
	c1=0; wait $p1 || c1=$?
	c2=0; wait $p2 || c2=$?
	for w in one:$c1 two:$c2; do
		CHECKS=$((CHECKS + 1))
		case ${w#*:} in
		0) ;;
		5) grep -q "$locked" "${w%%:*}.err" || fail "${w%%:*} exited 5 without the busy message: $(cat "${w%%:*}.err")" ;;
		1) [ -n "$refusal" ] && grep -qF "$refusal" "${w%%:*}.err" ||
			fail "${w%%:*} exited 1: $(head -c 300 "${w%%:*}.err")" ;;
		*) fail "${w%%:*} exited ${w#*:}: $(head -c 300 "${w%%:*}.err")" ;;
		esac
	done
	grep -l "Sanitizer\|runtime error:" one.err two.err && fail "a sanitizer error" || true
}
consistent() {
	same "$(sqlite3 "$1/review.db" 'PRAGMA integrity_check')" "ok"
	run 0 lsr -C "$1" status --check
}

rel_pool_review rev
mkdir rev/exports
rel_nbib 2000 100000 > rev/exports/a.nbib
rel_nbib 2000 500000 > rev/exports/b.nbib
run 0 lsr -C rev import rev/exports/a.nbib --source PubMed
run 0 lsr -C rev dedup

# two screen imports: two reviewers' filled batches
for r in ann bob; do
	run 0 lsr -C rev screen batch --reviewer $r --stage title-abstract --size 1000 -o $r.csv
	awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $(NF-6) = "exclude"; $(NF-5) = "off-topic"; print }' \
		$r.csv > $r-filled.csv
done
both "-C rev screen import ann-filled.csv --reviewer ann" "-C rev screen import bob-filled.csv --reviewer bob"
consistent rev
# what failed is redone; then both are stored, once each
[ "$c1" = 0 ] || run 0 lsr -C rev screen import ann-filled.csv --reviewer ann
[ "$c2" = 0 ] || run 0 lsr -C rev screen import bob-filled.csv --reviewer bob
same "$(sql rev/review.db 'SELECT reviewer, count(*) FROM screen_decisions GROUP BY reviewer ORDER BY reviewer')" "ann|1000
bob|1000"

# an import and a deduplication at once
both "-C rev import rev/exports/b.nbib --source Embase" "-C rev dedup"
consistent rev
[ "$c1" = 0 ] || run 0 lsr -C rev import rev/exports/b.nbib --source Embase
run 0 lsr -C rev dedup
same "$(sql rev/review.db 'SELECT count(*) FROM live_records')" "4000"
same "$(sql rev/review.db "SELECT count(*) FROM dedup_records WHERE id NOT IN (SELECT record_id FROM citation_members)")" "0"

# two imports of the same file: stored once, the other refused
rel_nbib 500 700000 > c.nbib
both "-C rev import c.nbib --source Embase" "-C rev import c.nbib --source Embase" "was already imported as run"
CHECKS=$((CHECKS + 1))
[ $((c1 + c2)) -ge 1 ] || fail "the same file imported twice at once was stored twice"
consistent rev
same "$(sql rev/review.db "SELECT count(*) FROM runs WHERE file_name = 'c.nbib' AND status = 'complete'")" "1"

# writers beside 'lsr serve' holding two reviewers' sessions: an update
# with a new export to import and deduplicate
rel_nbib 3000 900000 > rev/exports/d.nbib
serve_start rev
serve_login rev alice
serve_login rev carl
api alice GET /api/me
same "$CODE" "200"
"$LSR" -C rev update --no-search >upd.out 2>upd.err &
pu=$!
# the reviewers keep working while the update imports and deduplicates
acked=0
busy=0
n=0
while kill -0 $pu 2>/dev/null && [ $n -lt 200 ]; do
	n=$((n + 1))
	id=$(next_id alice)
	[ -n "$id" ] || break
	api alice POST /api/decision "{\"citation\": $id, \"stage\": \"title-abstract\", \"verdict\": \"include\"}"
	case $CODE in
	200) acked=$((acked + 1)); jq -r .decision "$BODY_FILE" >> alice.acked ;;
	503) busy=$((busy + 1)) ;;
	*) fail "a decision during the update: $CODE $(cat "$BODY_FILE")"; break ;;
	esac
done
cu=0
wait $pu || cu=$?
case $cu in
0) ;;
5) has upd.err "$locked"; run 0 lsr -C rev update --no-search ;;
*) fail "lsr update beside lsr serve exited $cu: $(cat upd.err)" ;;
esac
api carl GET /api/me
same "$CODE" "200"
# every acknowledged decision is stored, once
if [ -s alice.acked ]; then
	same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions WHERE id IN ($(paste -sd, alice.acked))")" "$(wc -l < alice.acked | tr -d ' ')"
fi
same "$(sql rev/review.db "SELECT count(*) FROM updates WHERE summary IS NOT NULL")" "1"
echo "$TEST_NAME: during the update: $acked decisions acknowledged, $busy answered 503 (busy)"
serve_stop
consistent rev
finish
