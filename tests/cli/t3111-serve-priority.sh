#!/bin/sh
# lsr serve with screening.order: priority (issues 12 and 13): at
# title-abstract, once pairs are complete, a reviewer is handed the
# citations of their own ranking in its order (the order 'lsr screen rank
# --reviewer NAME' shows), each hand-out recorded in screen_rank_handouts
# with the ranking it came from; the server retrains after
# screening.priority.retrain_every decisions, not on every request; the
# likely includes come first; another reviewer's ranking does not move
# when one reviewer decides (no leak of an unresolved decision).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"
. "$(dirname "$0")/priority-lib.sh"

cd "$TMP"
serve_priority_review rev
same "$(sql rev/review.db 'SELECT count(*) FROM live_citations')" "60"

serve_start rev
serve_login rev alice
serve_login rev bob
# their first rankings, asked at login (GET /api/me), made by the worker
wait_ranking alice
wait_ranking bob

# the oracle: the stem-cell titles are the includes
decide() { # NAME: take the next citation, decide it as the oracle; echo "ID VERDICT"
	api "$1" GET /api/next
	id=$(jq -r '.citation.citation // empty' "$BODY_FILE")
	[ -n "$id" ] || return 1
	if jq -r .citation.title "$BODY_FILE" | grep -q mesenchymal; then
		v=include; body="{\"citation\": $id, \"verdict\": \"include\"}"
	else
		v=exclude; body="{\"citation\": $id, \"verdict\": \"exclude\", \"reason\": \"off-topic\"}"
	fi
	api "$1" POST /api/decision "$body"
	[ "$CODE" = 200 ] || echo "$1's decision on $id: $CODE $(cat "$BODY_FILE")" >> "$TMP/decide.err"
	echo "$id $v"
}
handouts() { sql rev/review.db "SELECT count(*) FROM screen_rank_handouts WHERE reviewer = '$1' AND kind = 'priority'"; }

# bob's ranking before alice decides anything (bob has decided nothing)
run 0 lsr -C rev screen rank --reviewer bob --seed 0 --top 60 --json
jq -c '[.inputs_hash, [.order[].id]]' "$OUT" > bob-before.json

# ---- alice screens until her ranking has an include and an exclude -------
: > alice.log
inc=0; exc=0; k=0
while [ $k -lt 30 ] && { [ $inc = 0 ] || [ $exc = 0 ] || [ $k -lt 4 ]; }; do
	set -- $(decide alice)
	[ -n "${1:-}" ] || { fail "alice was handed nothing"; break; }
	echo "$1 $2" >> alice.log
	case $2 in include) inc=$((inc + 1)) ;; *) exc=$((exc + 1)) ;; esac
	k=$((k + 1))
done
[ $inc -gt 0 ] && [ $exc -gt 0 ] || fail "alice met no include and exclude in $k citations"
# every hand-out was recorded with a ranking of alice's, and is assigned to her
same "$(handouts alice)" "$k"
same "$(sql rev/review.db "SELECT count(*) FROM screen_rank_handouts h JOIN screen_rankings r ON r.id = h.ranking_id JOIN screen_assignments a ON a.citation_id = h.citation_id AND a.reviewer = h.reviewer AND a.stage = 'title-abstract' WHERE h.reviewer = 'alice' AND r.reviewer = 'alice'")" "$k"
same "$(cut -d' ' -f1 alice.log | sort -n | tr '\n' ' ')" \
     "$(sql rev/review.db "SELECT citation_id FROM screen_rank_handouts WHERE reviewer = 'alice' ORDER BY citation_id" | tr '\n' ' ')"
# not retrained on every request: at most one ranking per retrain_every decisions (and the first)
nrank=$(sql rev/review.db "SELECT count(*) FROM screen_rankings WHERE reviewer = 'alice'")
[ "$nrank" -le $((k / 4 + 1)) ] || fail "$nrank rankings for $k decisions (retrain_every 4)"

# ---- no leak: bob's ranking did not move ---------------------------------
run 0 lsr -C rev screen rank --reviewer bob --seed 0 --top 60 --json
same "$(jq -c '[.inputs_hash, [.order[].id]]' "$OUT")" "$(cat bob-before.json)"

# ---- the next hand-outs follow alice's ranking ---------------------------
# (lsr screen rank records a ranking: the server goes on from it until
# retrain_every more decisions)
run 0 lsr -C rev screen rank --reviewer alice --seed 0 --top 60 --json
jqcheck "$OUT" '.model' 'logistic-regression'
want=$(jq -r '.order[].id' "$OUT" | head -4 | tr '\n' ' ')
nrank=$(sql rev/review.db "SELECT count(*) FROM screen_rankings WHERE reviewer = 'alice'")
: > alice2.log
for j in 1 2 3 4; do
	decide alice >> alice2.log || fail "alice was handed nothing"
done
same "$(cut -d' ' -f1 alice2.log | tr '\n' ' ')" "$want"
# the likely includes first: the model puts the stem-cell titles ahead
same "$(grep -c include alice2.log)" "4"
# those four came from the ranking just made, without retraining
same "$(sql rev/review.db "SELECT count(*) FROM screen_rankings WHERE reviewer = 'alice'")" "$nrank"
# four decisions later it is due: the next hand-out asks the worker for a
# new ranking and comes, without waiting for it, from the one in use
# (t3115 holds the worker back to show it); the worker's ranking is taken
# by a later request, once
nd=$(($(wc -l < alice.log) + 4))
decide alice >> alice2.log || fail "alice was handed nothing"
same "$(sql rev/review.db "SELECT ranking_id FROM screen_rank_handouts WHERE reviewer = 'alice' ORDER BY rowid DESC LIMIT 1")" \
     "$(sql rev/review.db "SELECT max(id) FROM screen_rankings WHERE reviewer = 'alice' AND id <= (SELECT max(ranking_id) FROM screen_rank_handouts WHERE reviewer = 'alice')")"
wait_ranking alice
same "$(sql rev/review.db "SELECT count(*) FROM screen_rankings WHERE reviewer = 'alice'")" "$((nrank + 1))"
same "$(jq -r .ranking.id "$BODY_FILE")" "$(sql rev/review.db "SELECT max(id) FROM screen_rankings WHERE reviewer = 'alice'")"
# made after (at least) the decisions it was due after
same "$(sql rev/review.db "SELECT decisions >= $nd FROM screen_rankings WHERE reviewer = 'alice' ORDER BY id DESC LIMIT 1")" "1"

# ---- bob completes alice's pairs first, then goes by his own ranking -----
nalice=$(sql rev/review.db "SELECT count(*) FROM screen_assignments WHERE reviewer = 'alice'")
: > bob.log
j=0
while [ $j -lt $((nalice + 2)) ]; do
	decide bob >> bob.log || fail "bob was handed nothing"
	j=$((j + 1))
done
same "$(head -$nalice bob.log | cut -d' ' -f1 | sort -n | tr '\n' ' ')" \
     "$(sql rev/review.db "SELECT citation_id FROM screen_assignments WHERE reviewer = 'alice' ORDER BY 1" | tr '\n' ' ')"
# pair completions are not priority hand-outs; the two after them are
same "$(handouts bob)" "2"
same "$(sql rev/review.db "SELECT group_concat(h.citation_id, ' ') FROM screen_rank_handouts h JOIN screen_rankings r ON r.id = h.ranking_id AND r.reviewer = 'bob' WHERE h.reviewer = 'bob' ORDER BY h.rowid")" \
     "$(tail -2 bob.log | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments GROUP BY citation_id HAVING count(*) > 2")" ""
[ ! -s "$TMP/decide.err" ] || { fail "decisions refused"; cat "$TMP/decide.err" >&2; }
serve_stop
finish
