#!/bin/sh
# lsr serve at full text: the report's record and a link to its registered
# full-text file.  Only the file registered for that citation id is ever
# opened (the request carries an id, never a path); only a reviewer the
# report is assigned to at full text, or the arbiter, gets it; a full-text
# exclusion needs a reason.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"
serve_review rev 3
sed -i 's/^  reviewers: 2$/  reviewers: 1/' rev/protocol.yaml
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 3 -o ta.csv
{ echo "id,verdict,stage,reviewer"; for id in 1 2 3; do echo "$id,include,title-abstract,ann"; done; } > ta-done.csv
run 0 lsr -C rev screen import ta-done.csv --reviewer ann
mkdir rev/pdfs
printf 'FULL TEXT OF REPORT ONE\n' > rev/pdfs/one.txt
printf '<script>alert(1)</script>' > rev/pdfs/two.html
(cd rev && lsr screen fulltext 1 --retrieved --file pdfs/one.txt >/dev/null) || fail "register 1"
(cd rev && lsr screen fulltext 2 --retrieved --file pdfs/two.html >/dev/null) || fail "register 2"
run 0 lsr -C rev screen fulltext 3 --retrieved

serve_start rev
serve_login rev ann
serve_login rev bea
serve_login rev arb arbiter
# the full text belongs to its stage: no key at title-abstract
api ann GET "/api/history?stage=title-abstract"
same "$(jq -c '[.stage, has("fulltext")]' "$BODY_FILE")" '["title-abstract",false]'
seen=
for k in 1 2 3; do
	api ann GET "/api/next?stage=full-text"
	id=$(jq -r .citation.citation "$BODY_FILE")
	link=$(jq -r '.fulltext // empty' "$BODY_FILE")
	case $id in
	1|2) same "$link" "/api/fulltext?citation=$id" ;;
	3) same "$link" ""
	   same "$(jq -c '[has("fulltext"), .fulltext]' "$BODY_FILE")" '[true,null]' ;;
	*) fail "ann was handed '$id' at full text" ;;
	esac
	if [ "$id" = 1 ]; then
		CODE=$(curl -s -D hdr -o got -w '%{http_code}' -b "$TMP/ann.jar" "$URL$link")
		same "$CODE" "200"
		same "$(cat got)" "FULL TEXT OF REPORT ONE"
		has hdr "Content-Security-Policy: sandbox; default-src 'none'"
		has hdr "text/plain"
		# not assigned to bea: refused; the arbiter may read it
		api bea GET "$link"
		same "$CODE" "404"
		api arb GET "$link"
		same "$CODE" "200"
	fi
	if [ "$id" = 2 ]; then
		CODE=$(curl -s -D hdr2 -o /dev/null -w '%{http_code}' -b "$TMP/ann.jar" "$URL$link")
		same "$CODE" "200"
		has hdr2 "application/octet-stream"
		has hdr2 "X-Content-Type-Options: nosniff"
	fi
	# full text needs a reason to exclude
	api ann POST /api/decision "{\"citation\": $id, \"stage\": \"full-text\", \"verdict\": \"exclude\"}"
	same "$CODE" "422"
	api ann POST /api/decision "{\"citation\": $id, \"stage\": \"full-text\", \"verdict\": \"maybe\"}"
	same "$CODE" "422"
	api ann POST /api/decision "{\"citation\": $id, \"stage\": \"full-text\", \"verdict\": \"exclude\", \"reason\": \"abstract-only\"}"
	same "$CODE" "200"
	seen="$seen $id"
done
same "$(echo $seen | tr ' ' '\n' | sort | tr '\n' ' ')" "1 2 3 "
# paths never come from the request
api ann GET "/api/fulltext?citation=pdfs/one.txt"
same "$CODE" "400"
api ann GET "/api/fulltext?citation=1&file=/etc/passwd"
same "$(cat "$BODY_FILE")" "FULL TEXT OF REPORT ONE"
# a registered file that is gone
rm rev/pdfs/one.txt
api ann GET "/api/fulltext?citation=1"
same "$CODE" "404"
serve_stop
finish
