#!/bin/sh
# lsr serve with screening.order: priority (issues 12 and 13): a ranking
# that is due is made by the server's worker thread between requests.
# The worker is held back by LSR_TEST_RETRAIN_GATE (it waits for the file
# before each ranking and removes it when done), so the test sees, with
# no timing: the request that makes the ranking due answers from the
# ranking in use (it would hang here otherwise), the next hand-outs too
# and each records that ranking (before the first ranking, the seed's
# order, recorded as no ranking's); once the worker is done, the next
# request takes its ranking, which is the one 'lsr screen rank' makes of
# the same decisions, and the hand-outs follow it; an arbiter's
# resolution through the server counts toward the next ranking; a ranking
# that fails leaves the one in use serving and /api/me says why.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"
. "$(dirname "$0")/priority-lib.sh"

cd "$TMP"
serve_priority_review rev

GATE=$TMP/gate
LSR_TEST_RETRAIN_GATE=$GATE
export LSR_TEST_RETRAIN_GATE
serve_start rev
serve_login rev alice
serve_login rev bob
serve_login rev arb arbiter

verdict_of() { # ID: the oracle's verdict (the stem-cell titles are the includes)
	if sql rev/review.db "SELECT title FROM citation_metadata WHERE id = $1" | grep -q mesenchymal; then
		echo include
	else
		echo exclude
	fi
}
decide_as() { # NAME ID VERDICT
	if [ "$3" = include ]; then
		api "$1" POST /api/decision "{\"citation\": $2, \"verdict\": \"include\"}"
	else
		api "$1" POST /api/decision "{\"citation\": $2, \"verdict\": \"exclude\", \"reason\": \"off-topic\"}"
	fi
	same "$CODE" "200"
}
last_handout() { sql rev/review.db "SELECT citation_id || ' ' || ranking_id FROM screen_rank_handouts WHERE reviewer = 'alice' ORDER BY rowid DESC LIMIT 1"; }
alice_rankings() { sql rev/review.db "SELECT count(*) FROM screen_rankings WHERE reviewer = 'alice'"; }
open_gate() { # [fail]: let the worker make one ranking (fail it); wait until it is done
	printf '%s' "${1:-}" > "$GATE"
	k=0
	while [ -e "$GATE" ] && [ $k -lt 1200 ]; do sleep 0.1; k=$((k + 1)); done
	[ ! -e "$GATE" ] || fail "the worker made no ranking"
}

# ---- the first ranking: asked at login, made by the worker ---------------
api alice GET /api/me
jqcheck "$BODY_FILE" '.ranking' '{"id":null,"retraining":true}'
# meanwhile the seed's order, recorded as no ranking's hand-out
id0=$(next_id alice)
[ -n "$id0" ] || fail "alice was handed nothing"
same "$(sql rev/review.db "SELECT count(*) FROM screen_rank_handouts")" "0"
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments WHERE reviewer = 'alice'")" "1"
decide_as alice "$id0" "$(verdict_of "$id0")"
# the worker takes them in the order asked: alice's, bob's, arb's (each
# account's first GET /api/me, at login)
open_gate
open_gate
open_gate
api alice GET /api/me
jqcheck "$BODY_FILE" '.ranking.retraining' 'false'
same "$(jq -r .ranking.id "$BODY_FILE")" "$(sql rev/review.db "SELECT max(id) FROM screen_rankings WHERE reviewer = 'alice'")"
# made after alice's one decision
same "$(sql rev/review.db "SELECT decisions FROM screen_rankings WHERE reviewer = 'alice'")" "1"
for j in 1 2 3 4; do
	id=$(next_id alice)
	[ -n "$id" ] || fail "alice was handed nothing"
	if [ $j = 4 ]; then
		api alice GET /api/me
		jqcheck "$BODY_FILE" '.ranking' "{\"id\":$(sql rev/review.db "SELECT max(id) FROM screen_rankings"),\"retraining\":false}"
	fi
	decide_as alice "$id" "$(verdict_of "$id")"
done
same "$(alice_rankings)" "1"
r1=$(sql rev/review.db "SELECT id FROM screen_rankings WHERE reviewer = 'alice'")
same "$(sql rev/review.db "SELECT count(*) FROM screen_rank_handouts WHERE reviewer = 'alice' AND ranking_id = $r1")" "4"

# ---- four decisions more: due; the request answers without waiting -------
id5=$(next_id alice)
[ -n "$id5" ] || fail "alice was handed nothing"
same "$(last_handout)" "$id5 $r1"
same "$(alice_rankings)" "1"
api alice GET /api/me
jqcheck "$BODY_FILE" '.ranking' "{\"id\":$r1,\"retraining\":true}"
decide_as alice "$id5" "$(verdict_of "$id5")"
id6=$(next_id alice)
[ -n "$id6" ] || fail "alice was handed nothing"
same "$(last_handout)" "$id6 $r1"
same "$(alice_rankings)" "1"

# ---- the worker is let go: the next request takes its ranking ------------
open_gate
same "$(alice_rankings)" "1"
api alice GET /api/me
r2=$(jq -r .ranking.id "$BODY_FILE")
jqcheck "$BODY_FILE" '.ranking.retraining' 'false'
same "$(sql rev/review.db "SELECT id FROM screen_rankings WHERE reviewer = 'alice' ORDER BY id DESC LIMIT 1")" "$r2"
[ "$r2" != "$r1" ] || fail "the worker's ranking was not taken"
# made of alice's six decisions (the seventh citation is handed, undecided)
same "$(sql rev/review.db "SELECT decisions || ' ' || labelled FROM screen_rankings WHERE id = $r2")" "6 6"
# the order 'lsr screen rank' makes of the same decisions, byte for byte
run 0 lsr -C rev screen rank --reviewer alice --seed 0 --top 200 --json
same "$(jq -r .inputs_hash "$OUT")" "$(sql rev/review.db "SELECT inputs_hash FROM screen_rankings WHERE id = $r2")"
same "$(jq -r '.order[].id' "$OUT" | tr '\n' ' ')" \
     "$(sql rev/review.db "SELECT citation_id FROM screen_ranking_items WHERE ranking_id = $r2 ORDER BY position" | tr '\n' ' ')"
r3=$(jq -r .ranking "$OUT")
# the hand-outs follow it: the first of its head nobody has, in order
decide_as alice "$id6" "$(verdict_of "$id6")"
expect=$(sql rev/review.db "SELECT citation_id FROM screen_ranking_items WHERE ranking_id = $r2 AND citation_id NOT IN (SELECT citation_id FROM screen_assignments) ORDER BY position LIMIT 2" | tr '\n' ' ')
seen=
for j in 1 2; do
	id=$(next_id alice)
	[ -n "$id" ] || fail "alice was handed nothing"
	same "$(last_handout)" "$id $r3"
	decide_as alice "$id" "$(verdict_of "$id")"
	seen="$seen$id "
done
same "$seen" "$expect"

# ---- an arbiter's resolution counts toward the next ranking --------------
# alice: 9 decisions, her ranking made after 6: not due yet
api alice GET /api/me
jqcheck "$BODY_FILE" '.ranking' "{\"id\":$r3,\"retraining\":false}"
# bob completes a pair of alice's and disagrees: a conflict
x=$(next_id bob)
[ -n "$x" ] || fail "bob was handed nothing"
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments WHERE citation_id = $x AND reviewer = 'alice'")" "1"
if [ "$(verdict_of "$x")" = include ]; then decide_as bob "$x" exclude; else decide_as bob "$x" include; fi
api alice GET /api/me
jqcheck "$BODY_FILE" '.ranking.retraining' 'false'
if [ "$(verdict_of "$x")" = include ]; then
	api arb POST /api/resolve "{\"citation\": $x, \"verdict\": \"include\"}"
else
	api arb POST /api/resolve "{\"citation\": $x, \"verdict\": \"exclude\", \"reason\": \"off-topic\"}"
fi
same "$CODE" "200"
# the tenth decision toward alice's ranking: due, asked of the worker
api alice GET /api/me
jqcheck "$BODY_FILE" '.ranking' "{\"id\":$r3,\"retraining\":true}"
open_gate
api alice GET /api/me
jqcheck "$BODY_FILE" '.ranking.retraining' 'false'
r4=$(jq -r .ranking.id "$BODY_FILE")
[ "$r4" != "$r3" ] || fail "no new ranking after the resolution"
same "$(sql rev/review.db "SELECT decisions FROM screen_rankings WHERE id = $r4")" "10"
same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions WHERE stage = 'title-abstract' AND (reviewer = 'alice' OR kind = 'resolution')")" "10"

# ---- a ranking that fails: the one in use goes on, the reviewer is told -----
# (a gate file saying "fail" makes the worker's next ranking fail)
n=0
while [ $n -lt 10 ]; do
	y=$(next_id alice)
	[ -n "$y" ] || break
	decide_as alice "$y" "$(verdict_of "$y")"
	n=$((n + 1))
done
same "$n" "10"
api alice GET /api/me
jqcheck "$BODY_FILE" '.ranking' "{\"id\":$r4,\"retraining\":true}"
open_gate fail
api alice GET /api/me
jqcheck "$BODY_FILE" '.ranking' "{\"id\":$r4,\"retraining\":false,\"error\":\"LSR_TEST_RETRAIN_GATE asked this ranking to fail\"}"
# hand-outs go on from the ranking in use
y=$(next_id alice)
[ -n "$y" ] || fail "alice was handed nothing after the failed ranking"
same "$(last_handout)" "$y $r4"

# nothing handed out twice, and pairs only
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments GROUP BY citation_id, reviewer HAVING count(*) > 1")" ""
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments GROUP BY citation_id HAVING count(*) > 2")" ""
serve_stop
finish
