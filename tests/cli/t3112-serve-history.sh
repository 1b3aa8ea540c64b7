#!/bin/sh
# lsr serve's history (GET /api/history): a reviewer steps back through
# the citations they decided at a stage, newest first, sees their own
# decision, note and tags (never another reviewer's), and re-decides one
# through /api/decision, which replaces their verdict in 'lsr screen status'.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"
serve_review rev 6
serve_start rev
serve_login rev alice
serve_login rev bob

decide() { # NAME ID VERDICT [REASON [NOTE]]
	api "$1" POST /api/decision "{\"citation\": $2, \"verdict\": \"$3\"${4:+, \"reason\": \"$4\"}${5:+, \"note\": \"$5\"}}"
	same "$CODE" "200"
}

# nothing decided yet: no history
api alice GET /api/history
same "$CODE" "200"
same "$(jq -c .citation "$BODY_FILE")" "null"

a1=$(next_id alice); decide alice "$a1" include
a2=$(next_id alice); cp "$BODY_FILE" next-a2; decide alice "$a2" exclude off-topic "alice-note-2"
api alice POST /api/note "{\"citation\": $a2, \"note\": \"alice-private\", \"tags\": [\"t-a\"]}"
a3=$(next_id alice); decide alice "$a3" maybe
[ -n "$a1" ] && [ -n "$a2" ] && [ -n "$a3" ] || fail "alice was handed too few citations"
# bob disagrees on a1, with a note alice must never see
b1=$(next_id bob)
same "$b1" "$a1"
decide bob "$b1" exclude animal "BOB-SECRET"
api bob POST /api/note "{\"citation\": $b1, \"note\": \"BOB-PRIVATE\", \"tags\": [\"BOB-TAG\"]}"
same "$(sql rev/review.db "SELECT status FROM screen_ta_status WHERE citation_id = $a1")" "conflict"

: > alice-all
hist() { # NAME QUERY: the answer's citation id ('null' when none)
	api "$1" GET "/api/history$2"
	[ "$1" = alice ] && { cat "$BODY_FILE"; echo; } >> alice-all
	jq -r '.citation.citation // "null"' "$BODY_FILE"
}

# newest first, each with alice's own decision
same "$(hist alice '')" "$a3"
same "$CODE" "200"
same "$(jq -c '.decision | [.verdict, .reason, .note]' "$BODY_FILE")" '["maybe",null,null]'
same "$(jq -r .stage "$BODY_FILE")" "title-abstract"
same "$(hist alice "?before=$a3")" "$a2"
same "$(jq -c '.decision | [.verdict, .reason, .note]' "$BODY_FILE")" '["exclude","off-topic","alice-note-2"]'
same "$(jq -c .mine "$BODY_FILE")" '{"text":"alice-private","tags":["t-a"]}'
# the same shape as /api/next, plus decision
same "$(jq -c 'keys' "$BODY_FILE")" '["citation","decision","mine","stage"]'
same "$(jq -c .citation "$BODY_FILE")" "$(jq -c .citation next-a2)"
same "$(hist alice "?before=$a2")" "$a1"
same "$(jq -r .decision.verdict "$BODY_FILE")" "include"
same "$(hist alice "?before=$a1")" "null"
# and forward again, towards the newest
same "$(hist alice "?after=$a1")" "$a2"
same "$(hist alice "?after=$a2")" "$a3"
same "$(hist alice "?after=$a3")" "null"
# or one by its id
same "$(hist alice "?citation=$a2")" "$a2"
same "$(jq -r .decision.reason "$BODY_FILE")" "off-topic"
# nothing at full text
same "$(hist alice "?stage=full-text")" "null"
grep -q 'BOB' alice-all && fail "alice's history shows bob's decision, note or tags"

# bob's history holds his decision only
same "$(hist bob '')" "$a1"
same "$(jq -c '.decision | [.verdict, .reason, .note]' "$BODY_FILE")" '["exclude","animal","BOB-SECRET"]'
same "$(jq -c .mine "$BODY_FILE")" '{"text":"BOB-PRIVATE","tags":["BOB-TAG"]}'
same "$(hist bob "?before=$a1")" "null"
# a citation bob never decided, an unknown one, malformed ids: refused
hist bob "?before=$a2" >/dev/null
same "$CODE" "404"
grep -q 'alice' "$BODY_FILE" && fail "a refusal names alice"
hist bob "?after=$a3" >/dev/null
same "$CODE" "404"
hist bob "?citation=$a2" >/dev/null
same "$CODE" "404"
hist bob "?before=999" >/dev/null
same "$CODE" "404"
hist bob "?before=abc" >/dev/null
same "$CODE" "400"
hist bob "?before=$a1&after=$a1" >/dev/null
same "$CODE" "400"
hist bob "?stage=nope" >/dev/null
same "$CODE" "400"

# alice changes her mind on a1: a new decision, her verdict replaced
run 0 lsr -C rev screen status --json
jqcheck "$OUT" '.title_abstract.conflicts' '1'
decide alice "$a1" exclude off-topic
same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions WHERE citation_id = $a1 AND reviewer = 'alice'")" "2"
same "$(sql rev/review.db "SELECT status FROM screen_ta_status WHERE citation_id = $a1")" "excluded"
run 0 lsr -C rev screen status --json
jqcheck "$OUT" '.title_abstract.conflicts' '0'
# the history keeps its order, and shows the new verdict
same "$(hist alice "?before=$a2")" "$a1"
same "$(jq -c '.decision | [.verdict, .reason]' "$BODY_FILE")" '["exclude","off-topic"]'
same "$(hist alice '')" "$a3"
# re-deciding is for one's own assigned citations only
c=$(sql rev/review.db "SELECT min(id) FROM live_citations WHERE id NOT IN (SELECT citation_id FROM screen_assignments WHERE reviewer = 'bob')")
api bob POST /api/decision "{\"citation\": $c, \"verdict\": \"include\"}"
same "$CODE" "422"
# the page's current citation is still the undecided one
same "$(next_id alice)" "$(next_id alice)"
api alice GET /api/next
n=$(jq -r .citation.citation "$BODY_FILE")
case " $a1 $a2 $a3 " in *" $n "*) fail "/api/next hands alice a decided citation" ;; esac
serve_stop
finish
