#!/bin/sh
# lsr serve: the reviewer's API.  Citations are handed out as 'lsr screen
# batch' hands them out; a decision needs the CSRF header, an assigned
# citation and a body within the limit; it is stored as a batch import
# stores one, with an audit entry naming the server; undo hands the
# citation back; hostile titles come back JSON-escaped and the page puts
# text in with textContent only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"
serve_review rev 6
serve_start rev
serve_login rev alice
serve_login rev arb arbiter

# ---- the page -------------------------------------------------------------
for f in index.html app.js app.css; do
	curl -s -D hdr -o got "$URL/$f" || fail "GET /$f"
	cmp -s got "$LSR_SRC/serve/assets/$f" || fail "/$f is not serve/assets/$f"
	has hdr "Content-Security-Policy: default-src 'self'"
done
curl -s -o got "$URL/"
cmp -s got "$LSR_SRC/serve/assets/index.html" || fail "/ is not index.html"
# nothing from another host, and no markup from data
hasnt "$LSR_SRC/serve/assets/app.js" "innerHTML"
hasnt "$LSR_SRC/serve/assets/app.js" "outerHTML"
hasnt "$LSR_SRC/serve/assets/app.js" "insertAdjacentHTML"
hasnt "$LSR_SRC/serve/assets/app.js" "document.write"
has "$LSR_SRC/serve/assets/app.js" "textContent"
if command -v node >/dev/null; then
	node --check "$LSR_SRC/serve/assets/app.js" 2> node.err || fail "app.js: $(cat node.err)"
fi
grep -n 'https\?://' "$LSR_SRC"/serve/assets/* > ext || true
same "$(cat ext)" ""
CODE=$(curl -s -o body -w '%{http_code}' "$URL/../review.db")
same "$CODE" "404"

# ---- me and next ------------------------------------------------------------
api alice GET /api/me
same "$CODE" "200"
same "$(jq -c '[.name, .role, .stage, .progress]' "$BODY_FILE")" \
	'["alice","reviewer","title-abstract",{"done":0,"assigned":0,"remaining":6}]'
same "$(jq -r '[.reasons[].code] | join(" ")' "$BODY_FILE")" "off-topic animal abstract-only"
# the order is the batch order of seed 0: compare with a batch on a copy
cp -r rev copy
rm -f copy/review.db-wal copy/review.db-shm
sqlite3 rev/review.db ".backup copy/review.db"
lsr -C copy screen batch --reviewer alice --stage title-abstract --size 6 -o batch.csv >/dev/null
sql copy/review.db "SELECT citation_id FROM screen_assignments WHERE reviewer = 'alice' ORDER BY position" > want-order
id=$(next_id alice)
same "$id" "$(head -1 want-order)"
# asking again hands out the same citation (assigned, not yet decided)
same "$(next_id alice)" "$id"
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments WHERE reviewer = 'alice'")" "1"
same "$(sql rev/review.db "SELECT file, size FROM screen_batches")" "lsr serve|1"

# ---- hostile titles come back escaped ----------------------------------------
for c in 1 2; do
	sql rev/review.db "INSERT INTO screen_assignments(citation_id, stage, reviewer, required, at)
	  VALUES($c, 'title-abstract', 'zed', 2, 'x')" 2>/dev/null
done
# zed has the two hostile citations assigned
serve_login rev zed
api zed GET /api/next
hasnt "$BODY_FILE" "<script>"
hasnt "$BODY_FILE" "<img"
has "$BODY_FILE" '\u003cscript\u003e'
same "$(jq -r .citation.title "$BODY_FILE")" "<script>alert(1)</script> cells in cirrhosis"
api zed POST /api/decision '{"citation": 1, "verdict": "include"}'
same "$CODE" "200"
api zed GET /api/next
hasnt "$BODY_FILE" "<img"
hasnt "$BODY_FILE" '">'
same "$(jq -r .citation.title "$BODY_FILE")" '"><img src=x onerror=alert(2)> in rats'
# the rule hit comes as a suggestion, with its span
same "$(jq -c '.citation.suggestions[] | [.rule, .reason, .mode, .field, .matched]' "$BODY_FILE")" \
	'["animal-models","animal","suggest","title","rats"]'

# ---- CSRF ---------------------------------------------------------------------
before=$(sql rev/review.db "SELECT count(*) FROM screen_decisions")
CODE=$(curl -s -o body -w '%{http_code}' -b alice.jar -X POST \
	--data-binary "{\"citation\": $id, \"verdict\": \"include\"}" "$URL/api/decision")
same "$CODE" "403"
same "$(jq -r .error body)" "missing or wrong X-CSRF-Token"
CODE=$(curl -s -o body -w '%{http_code}' -b alice.jar -X POST -H "X-CSRF-Token: $(cat arb.csrf)" \
	--data-binary "{\"citation\": $id, \"verdict\": \"include\"}" "$URL/api/decision")
same "$CODE" "403"
CODE=$(curl -s -o body -w '%{http_code}' -b alice.jar -X POST -H "X-CSRF-Token: " \
	--data-binary '{}' "$URL/api/undo")
same "$CODE" "403"
same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions")" "$before"

# ---- refusals ---------------------------------------------------------------------
api alice POST /api/decision '{"citation": 999, "verdict": "include"}'
same "$CODE" "404"
same "$(jq -r .error "$BODY_FILE")" "no citation 999"
other=$(sed -n 2p want-order)
api alice POST /api/decision "{\"citation\": $other, \"verdict\": \"include\"}"
same "$CODE" "422"
same "$(jq -r .error "$BODY_FILE")" "citation $other is not assigned to 'alice' at title-abstract"
api alice POST /api/decision "{\"citation\": $id, \"verdict\": \"perhaps\"}"
same "$CODE" "422"
same "$(jq -r .error "$BODY_FILE")" "verdict: expected include, exclude or maybe, not 'perhaps'"
api alice POST /api/decision "{\"citation\": $id, \"verdict\": \"exclude\", \"reason\": \"abstract-only\"}"
same "$CODE" "422"
api alice POST /api/decision 'not json'
same "$CODE" "400"
api alice POST /api/decision '{"citation": "1"}'
same "$CODE" "400"
head -c 70000 /dev/zero | tr '\0' ' ' > big
printf '{"citation": %s, "verdict": "include"}' "$id" >> big
CODE=$(curl -s -o body -w '%{http_code}' -b alice.jar -X POST -H "X-CSRF-Token: $(cat alice.csrf)" \
	--data-binary @big "$URL/api/decision")
same "$CODE" "413"
# the same body sent in chunks (no Content-Length) is refused too
CODE=$(curl -s -o body -w '%{http_code}' -b alice.jar -X POST -H "X-CSRF-Token: $(cat alice.csrf)" \
	-H 'Transfer-Encoding: chunked' --data-binary @big "$URL/api/decision")
same "$CODE" "413"
api alice GET /api/conflicts
same "$CODE" "403"
api alice POST /api/resolve "{\"citation\": $id, \"verdict\": \"include\"}"
same "$CODE" "403"
api alice GET /api/nothing
same "$CODE" "404"
api alice GET /api/decision
same "$CODE" "405"
same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions")" "$before"

# ---- a decision, as an import stores it ---------------------------------------
api alice POST /api/decision "{\"citation\": $id, \"verdict\": \"exclude\", \"reason\": \"off-topic\", \"note\": \"n1\"}"
same "$CODE" "200"
dec=$(jq -r .decision "$BODY_FILE")
same "$(sql rev/review.db "SELECT citation_id, stage, kind, reviewer, verdict, reason, note, import_id IS NULL FROM screen_decisions WHERE id = $dec")" \
	"$id|title-abstract|review|alice|exclude|off-topic|n1|1"
same "$(sql rev/review.db "SELECT action, object, json_extract(detail, '$.reviewer'), json_extract(detail, '$.via') FROM audit WHERE action = 'screen-serve' AND object = 'decision $dec'")" \
	"screen-serve|decision $dec|alice|lsr serve"
api alice GET /api/me
same "$(jq -c .progress "$BODY_FILE")" '{"done":1,"assigned":1,"remaining":5}'
id2=$(next_id alice)
same "$id2" "$(sed -n 2p want-order)"

# ---- undo hands the last decision back; the next one supersedes it -------------
api alice POST /api/undo
same "$CODE" "200"
same "$(jq -r .citation "$BODY_FILE")" "$id"
same "$(next_id alice)" "$id"
api alice POST /api/undo
same "$CODE" "409"
api alice POST /api/decision "{\"citation\": $id, \"verdict\": \"include\"}"
same "$CODE" "200"
same "$(sql rev/review.db "SELECT verdict FROM screen_current WHERE citation_id = $id AND reviewer = 'alice'")" "include"
same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions WHERE citation_id = $id AND reviewer = 'alice'")" "2"
same "$(next_id alice)" "$id2"

# ---- highlight words are the reviewer's own ----------------------------------------
api alice POST /api/highlight '{"kind": "exclude", "word": "rats"}'
same "$CODE" "200"
same "$(jq -c . "$BODY_FILE")" '{"include":[],"exclude":["rats"]}'
api arb GET /api/me
same "$(jq -c .highlights "$BODY_FILE")" '{"include":[],"exclude":[]}'
api alice POST /api/highlight '{"kind": "bad", "word": "x"}'
same "$CODE" "422"

# ---- a citation the arbiter resolved is never handed out --------------------------
# (resolved through the server while nobody held it: the server's own
# write, so no rebuild of its hand-out order; the pick asks the database)
last=$(tail -1 want-order)
api arb POST /api/resolve "{\"citation\": $last, \"stage\": \"title-abstract\", \"verdict\": \"exclude\", \"reason\": \"off-topic\"}"
same "$CODE" "200"
handed=""
k=0
while c=$(next_id alice) && [ -n "$c" ] && [ $k -lt 10 ]; do
	handed="$handed $c"
	api alice POST /api/decision "{\"citation\": $c, \"verdict\": \"include\"}"
	k=$((k + 1))
done
same "$handed" " $(sed -n 2,5p want-order | tr '\n' ' ' | sed 's/ $//')"
api alice GET /api/me
same "$(jq -c .progress "$BODY_FILE")" '{"done":5,"assigned":5,"remaining":0}'

# ---- logout ------------------------------------------------------------------------
api alice POST /logout
same "$CODE" "200"
api alice GET /api/me
same "$CODE" "401"
serve_stop
finish
