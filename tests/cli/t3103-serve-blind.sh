#!/bin/sh
# lsr serve is blind: no answer to a reviewer holds another reviewer's
# decision, note, or whether a citation is in conflict.  Reviewer B's view
# of a citation is byte for byte the same before and after A decided it,
# and after the two disagree; only the arbiter sees the conflict, and
# resolves it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"
serve_review rev 4
serve_start rev
serve_login rev alice
serve_login rev bob
serve_login rev arb arbiter

# every answer bob gets is kept, to search afterwards
: > bob-all
bob() {
	api bob "$@"
	cat "$BODY_FILE" >> bob-all
	echo >> bob-all
}

x=$(next_id alice)
[ -n "$x" ] || fail "alice was handed nothing"
# pairs complete first: bob is handed the citation alice has
bob GET /api/next
same "$(jq -r .citation.citation "$BODY_FILE")" "$x"
cp "$BODY_FILE" view-before
bob GET /api/me
cp "$BODY_FILE" me-before
bob GET "/api/next?stage=full-text"
cp "$BODY_FILE" ft-before

api alice POST /api/decision "{\"citation\": $x, \"verdict\": \"exclude\", \"reason\": \"off-topic\", \"note\": \"ALICE-SECRET-NOTE\"}"
same "$CODE" "200"
# alice's private note, tags and highlight words on the same citation
api alice POST /api/note "{\"citation\": $x, \"note\": \"ALICE-PRIVATE-NOTE\", \"tags\": [\"ALICE-TAG\"]}"
same "$CODE" "200"
same "$(jq -c .mine "$BODY_FILE")" '{"text":"ALICE-PRIVATE-NOTE","tags":["ALICE-TAG"]}'
api alice POST /api/highlight '{"kind": "exclude", "word": "ALICE-WORD"}'
same "$CODE" "200"
api alice GET /api/next
same "$(jq -c .mine "$BODY_FILE")" '{"text":"","tags":[]}'
# a note without tags
api alice POST /api/note "{\"citation\": $x, \"note\": \"ALICE-PRIVATE-NOTE\"}"
same "$(jq -c .mine "$BODY_FILE")" '{"text":"ALICE-PRIVATE-NOTE","tags":[]}'
api alice POST /api/note "{\"citation\": $x, \"note\": \"ALICE-PRIVATE-NOTE\", \"tags\": [\"ALICE-TAG\"]}"
# a note on a citation never handed to alice is refused
api alice POST /api/note '{"citation": 999, "note": "x"}'
same "$CODE" "422"
bob GET /api/next
cmp -s "$BODY_FILE" view-before || fail "bob's view of $x changed when alice decided it"
bob GET /api/me
cmp -s "$BODY_FILE" me-before || fail "bob's /api/me changed when alice decided"
bob GET "/api/next?stage=full-text"
cmp -s "$BODY_FILE" ft-before || fail "bob's full-text view changed when alice decided"

# bob disagrees: a conflict, which bob's answers do not show
bob POST /api/decision "{\"citation\": $x, \"verdict\": \"include\", \"note\": \"bob-note\"}"
same "$CODE" "200"
same "$(jq -c 'keys' "$BODY_FILE")" '["decision","ok"]'
same "$(sql rev/review.db "SELECT status, conflict FROM screen_ta_status WHERE citation_id = $x")" \
	"conflict|disagreement"
bob GET /api/me
same "$(jq -c .progress "$BODY_FILE")" '{"done":1,"assigned":1,"remaining":3}'
bob POST /api/undo
same "$(jq -c 'keys' "$BODY_FILE")" '["citation","ok","stage"]'
bob GET /api/next
cmp -s "$BODY_FILE" view-before || fail "bob's view of $x changed after the conflict"
bob POST /api/decision "{\"citation\": $x, \"verdict\": \"include\"}"
bob GET /api/next
bob GET /api/conflicts
same "$CODE" "403"
bob POST /api/resolve "{\"citation\": $x, \"verdict\": \"include\"}"
same "$CODE" "403"
bob POST /api/highlight '{"kind": "include", "word": "trial"}'
# bob's own note is his alone, and comes back to him only
bob POST /api/note "{\"citation\": $x, \"note\": \"bob-own\", \"tags\": [\"b1\"]}"
same "$CODE" "200"
# the arbiter's views are refused to a reviewer
bob GET "/api/citation?citation=$x"
same "$CODE" "403"
bob GET /api/dashboard
same "$CODE" "403"
# no full text of anybody else's (none is registered, and none assigned)
bob GET "/api/fulltext?citation=$x"
same "$CODE" "404"
bob GET "/api/fulltext?citation=../../etc/passwd"
same "$CODE" "400"
bob GET /api/me
hasnt "$BODY_FILE" "ALICE-WORD"

# nothing of alice's in anything bob got
hasnt bob-all "ALICE-SECRET-NOTE"
hasnt bob-all "ALICE-PRIVATE-NOTE"
hasnt bob-all "ALICE-TAG"
hasnt bob-all "ALICE-WORD"
hasnt bob-all "reviewer_notes"
hasnt bob-all "alice"
hasnt bob-all "conflict"
hasnt bob-all "disagreement"
hasnt bob-all '"verdict":'
hasnt bob-all '"reviewer":'
hasnt bob-all '"status":'
hasnt bob-all '"note":'
hasnt bob-all '"decisions":'

# ---- the arbiter sees the conflict and resolves it -----------------------------
api arb GET /api/conflicts
same "$CODE" "200"
same "$(jq -c "[.conflicts[] | select(.id == $x) | .stage]" "$BODY_FILE")" '["title-abstract"]'
# with both reviewers' verdicts and notes side by side
same "$(jq -r --argjson x "$x" '[.conflicts[] | select(.id == $x) | .decisions[] | [.reviewer, .verdict, .note] | map(select(. != null)) | join(" ")] | join(", ")' "$BODY_FILE")" \
	"alice exclude ALICE-SECRET-NOTE, bob include"
# and the reviewers' private notes and tags, now that there is a conflict
same "$(jq -c --argjson x "$x" '[.conflicts[] | select(.id == $x) | .reviewer_notes[] | [.reviewer, .text, .tags]]' "$BODY_FILE")" \
	'[["alice","ALICE-PRIVATE-NOTE",["ALICE-TAG"]],["bob","bob-own",["b1"]]]'
api arb GET /api/dashboard
same "$CODE" "200"
jqcheck "$BODY_FILE" '.status.title_abstract.conflicts' '1'
jqcheck "$BODY_FILE" '[.status.reviewers[] | select(.stage == "title-abstract") | .reviewer] | sort' '["alice","bob"]'
jqcheck "$BODY_FILE" '.prisma.screened' "$(lsr -C rev prisma --json | jq .screened)"
api arb GET "/api/citation?citation=$x"
same "$CODE" "200"
jqcheck "$BODY_FILE" '.citation.citation' "$x"
hasnt "$BODY_FILE" '"verdict":'
api arb POST /api/resolve "{\"citation\": $x, \"verdict\": \"include\", \"note\": \"agreed\"}"
same "$CODE" "200"
same "$(jq -r .stage "$BODY_FILE")" "title-abstract"
same "$(sql rev/review.db "SELECT status, decided_by FROM screen_ta_status WHERE citation_id = $x")" \
	"included|resolution"
same "$(sql rev/review.db "SELECT reviewer FROM screen_decisions WHERE kind = 'resolution'")" "arb"
api arb GET /api/conflicts
same "$(jq -c "[.conflicts[] | select(.id == $x)]" "$BODY_FILE")" '[]'
serve_stop
finish
