#!/bin/sh
# lsr serve keeps what it acknowledged: two reviewers deciding at the same
# time while 'lsr screen import' writes a batch file's decisions, every
# acknowledged decision stored once; kill -9 right after an acknowledgement
# loses nothing.  Screening a review through the server gives the same
# PRISMA numbers as the batch-file path with the same decisions.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"

# the verdict a reviewer gives a citation at a stage (default
# title-abstract), from its id alone
verdict_for() {
	case $1-${3:-title-abstract} in
	alice-title-abstract) [ $(($2 % 3)) -eq 0 ] && echo "exclude off-topic" || echo "include" ;;
	bob-title-abstract) [ $(($2 % 4)) -eq 0 ] && echo "exclude off-topic" || echo "include" ;;
	arb-title-abstract) [ $(($2 % 2)) -eq 0 ] && echo "include" || echo "exclude off-topic" ;;
	alice-full-text) [ $(($2 % 2)) -eq 1 ] && echo "exclude abstract-only" || echo "include" ;;
	bob-full-text) [ $(($2 % 3)) -eq 0 ] && echo "exclude abstract-only" || echo "include" ;;
	arb-full-text) [ $(($2 % 2)) -eq 0 ] && echo "include" || echo "exclude abstract-only" ;;
	esac
}

# the body of NAME's decision on citation ID at STAGE
decision_json() {
	set -- $(verdict_for "$1" "$2" "${3:-}") "$2" "${3:-title-abstract}"
	if [ "$1" = exclude ]; then
		printf '{"citation": %s, "stage": "%s", "verdict": "exclude", "reason": "%s"}' "$3" "$4" "$2"
	else
		printf '{"citation": %s, "stage": "%s", "verdict": "include"}' "$2" "$3"
	fi
}

# screen_all NAME [STAGE]: decide every citation the server hands NAME;
# the ids of the acknowledged decisions go to NAME.acked
screen_all() {
	BODY_FILE=$TMP/$1.body
	: > "$TMP/$1.acked"
	while :; do
		id=$(next_id "$1" "${2:-}")
		[ -n "$id" ] || break
		api "$1" POST /api/decision "$(decision_json "$1" "$id" "${2:-}")"
		[ "$CODE" = 200 ] || { echo "$1: $CODE on $id: $(cat "$BODY_FILE")" >&2; break; }
		jq -r .decision "$BODY_FILE" >> "$TMP/$1.acked"
	done
}

# ---- two reviewers at once, and a batch import beside them ---------------
serve_review rev 24
serve_start rev
serve_login rev alice
serve_login rev bob
lsr -C rev screen batch --reviewer carol --stage title-abstract --size 6 -o carol.csv >/dev/null ||
	fail "batch for carol"
sql rev/review.db "SELECT citation_id FROM screen_assignments WHERE reviewer = 'carol'" > carol.ids
{ echo "id,verdict,stage,reviewer"; sed 's/$/,include,title-abstract,carol/' carol.ids; } > carol-done.csv
(screen_all alice) &
pa=$!
(screen_all bob) &
pb=$!
run 0 lsr -C rev screen import carol-done.csv --reviewer carol
wait $pa
wait $pb
for r in alice bob; do
	n=$(wc -l < $r.acked)
	[ "$n" -gt 0 ] || fail "$r had no decision acknowledged"
	same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions WHERE reviewer = '$r'")" "$n"
	same "$(sql rev/review.db "SELECT group_concat(id) FROM (SELECT id FROM screen_decisions WHERE reviewer = '$r' ORDER BY id)")" \
		"$(sort -n $r.acked | paste -sd, -)"
	# everything assigned to them was decided, once
	same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments WHERE reviewer = '$r'")" "$n"
done
same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions WHERE reviewer = 'carol'")" "6"
# no citation has more than two reviewers, and every citation has two
same "$(sql rev/review.db "SELECT count(*) FROM (SELECT citation_id FROM screen_assignments GROUP BY citation_id HAVING count(*) <> 2)")" "0"
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments")" "48"
serve_stop

# ---- kill -9 after an acknowledged decision --------------------------------
serve_review rev9 3
serve_start rev9
serve_login rev9 alice
id=$(next_id alice)
api alice POST /api/decision "{\"citation\": $id, \"verdict\": \"include\", \"note\": \"kept\"}"
same "$CODE" "200"
dec=$(jq -r .decision "$BODY_FILE")
kill -9 "$SRV_PID"
wait "$SRV_PID" 2>/dev/null || true
SRV_PID=
same "$(sql rev9/review.db "SELECT citation_id, verdict, note FROM screen_decisions WHERE id = $dec")" "$id|include|kept"
same "$(sql rev9/review.db "PRAGMA integrity_check")" "ok"
# and the session still works after the restart
serve_start rev9
api alice GET /api/me
same "$(jq -c .progress "$BODY_FILE")" '{"done":1,"assigned":1,"remaining":2}'
serve_stop

# ---- PRISMA: the server and batch files, same decisions --------------------
# serve_stage STAGE: both reviewers and the arbiter through the server
serve_stage() {
	screen_all alice "$1"
	screen_all bob "$1"
	BODY_FILE=$TMP/body
	api arb GET /api/conflicts
	for id in $(jq -r --arg s "$1" '.conflicts[] | select(.stage == $s) | .id' "$BODY_FILE"); do
		api arb POST /api/resolve "$(decision_json arb $id "$1")"
		same "$CODE" "200"
	done
}

# retrieved: every report but 7, which is not
fulltexts() {
	ids=$(sql "$1/review.db" "SELECT group_concat(citation_id, ' ') FROM screen_ft_status WHERE citation_id <> 7")
	run 0 lsr -C "$1" screen fulltext $ids --retrieved
	run 0 lsr -C "$1" screen fulltext 7 --not-retrieved paywalled
}

prisma_same() {
	run 0 lsr -C viabatch prisma --json
	jq -S . "$OUT" > prisma-batch
	run 0 lsr -C viaserve prisma --json
	jq -S . "$OUT" > prisma-serve
	cmp -s prisma-batch prisma-serve || { fail "PRISMA differs"; diff prisma-batch prisma-serve >&2; }
}

serve_review viabatch 8
serve_review viaserve 8
batch_stage viabatch title-abstract
serve_start viaserve
serve_login viaserve alice
serve_login viaserve bob
serve_login viaserve arb arbiter
serve_stage title-abstract
# there were conflicts to resolve, and both paths resolved the same ones
for d in viabatch viaserve; do
	same "$(sql $d/review.db "SELECT group_concat(citation_id) FROM (SELECT DISTINCT citation_id FROM screen_decisions WHERE kind = 'resolution' ORDER BY 1)")" "3,4,6,8"
done
prisma_same
# 8 screened; conflicts 3, 4, 6, 8 resolved: only 3 excluded
same "$(jq -c '[.screened, .screen_excluded, .sought]' prisma-serve)" "[8,1,7]"

# the full-text stage the same way (7 not retrieved; conflicts 1, 5, 6;
# 1 and 5 excluded, 2, 4, 6, 8 included)
fulltexts viabatch
fulltexts viaserve
batch_stage viabatch full-text
serve_stage full-text
serve_stop
for d in viabatch viaserve; do
	same "$(sql $d/review.db "SELECT group_concat(citation_id) FROM (SELECT DISTINCT citation_id FROM screen_decisions WHERE kind = 'resolution' AND stage = 'full-text' ORDER BY 1)")" "1,5,6"
done
prisma_same
same "$(jq -c '[.sought, .not_retrieved, .assessed, .fulltext_excluded_total, .reports_included]' prisma-serve)" "[7,1,6,2,4]"
finish
