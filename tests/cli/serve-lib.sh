# serve-lib.sh - helpers for the 'lsr serve' tests (t31xx), sourced after
# lib.sh.  The server runs on an ephemeral port of 127.0.0.1; the tests
# drive it with curl.
#
#   serve_review DIR N          a review of N citations (ids 1..N), two
#                               reviewers required, reasons and one rule
#   serve_start DIR [OPTION...] start 'lsr serve' in DIR (with the options
#                               given, e.g. --seed 1), set $URL, $SRV_PID
#   serve_stop                  stop it (SIGTERM) and wait
#   serve_login DIR NAME [ROLE] add the account, log in: NAME.jar, NAME.csrf
#   api NAME METHOD PATH [BODY] request as NAME (POST with its CSRF token):
#                               the answer's body in $BODY_FILE, status in $CODE
#   browser_ready               for the browser tests: skip (77), saying
#                               why, unless Chromium ($CHROMIUM, default
#                               /usr/bin/chromium), node and
#                               tests/browser/node_modules are there; sets
#                               $CHROMIUM and $BROWSER_DIR
#   batch_stage DIR STAGE       the batch-file path of a stage: alice and bob
#                               fill their batch files, the arbiter arb
#                               resolves the conflicts, each as the test's
#                               verdict_for NAME ID STAGE says ("include",
#                               "exclude REASON", "maybe")
command -v curl >/dev/null || { echo "skip: curl is not installed" >&2; exit 77; }
command -v jq >/dev/null || { echo "skip: jq is not installed" >&2; exit 77; }

SRV_PID=
BODY_FILE=$TMP/body
CODE=
AT_EXIT=serve_stop

serve_review() {
	dir=$1
	n=$2
	i=0
	while [ "$i" -lt "$n" ]; do
		i=$((i + 1))
		case $i in
		1) t='<script>alert(1)</script> cells in cirrhosis' ;;
		2) t='"><img src=x onerror=alert(2)> in rats' ;;
		*) t="Stem cell trial number $i in cirrhosis" ;;
		esac
		printf 'TY  - JOUR\nTI  - %s\nAU  - Author%s, Ann\nPY  - %s\nJO  - Journal of Tests\nAB  - Abstract %s about patients.\nKW  - cirrhosis\nER  - \n\n' \
			"$t" "$i" $((2000 + i)) "$i"
	done > "$TMP/serve-recs.ris"
	lsr init "$dir" >/dev/null || fail "lsr init $dir"
	cat > "$dir/protocol.yaml" <<'YAML'
lsr_protocol: 1
title: serve test review
sources:
  - name: PubMed
screening:
  reviewers: 2
  reasons:
    - {code: off-topic, label: Not relevant, stage: title-abstract}
    - {code: animal, label: Animal study, stage: title-abstract}
    - {code: abstract-only, label: Conference abstract, stage: full-text}
  rules:
    - name: animal-models
      reason: animal
      match: '\b(rats?|mice)\b'
YAML
	lsr -C "$dir" import "$TMP/serve-recs.ris" --source PubMed >/dev/null || fail "import into $dir"
	lsr -C "$dir" dedup >/dev/null || fail "dedup of $dir"
	same "$(sql "$dir/review.db" 'SELECT count(*) FROM live_citations')" "$n"
}

serve_start() {
	[ -z "$SRV_PID" ] || { fail "serve_start: a server is running already"; serve_stop; }
	: > "$TMP/srv.out"
	dir=$1
	shift
	"$LSR" -C "$dir" serve --listen 127.0.0.1:0 "$@" >"$TMP/srv.out" 2>"$TMP/srv.err" &
	SRV_PID=$!
	k=0
	URL=
	while [ -z "$URL" ] && [ $k -lt 300 ]; do
		URL=$(sed -n 's|^serving .* on \(http://127\.0\.0\.1:[0-9]*\)/ .*|\1|p' "$TMP/srv.out")
		[ -n "$URL" ] || sleep 0.1
		k=$((k + 1))
	done
	[ -n "$URL" ] || { fail "the server printed no URL"; cat "$TMP/srv.err" >&2; }
}

serve_stop() {
	if [ -n "$SRV_PID" ]; then
		kill -TERM "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null || true
		SRV_PID=
		if grep -q "Sanitizer\|runtime error:" "$TMP/srv.err" 2>/dev/null; then
			fail "the server reported a sanitizer error"
			cat "$TMP/srv.err" >&2
		fi
	fi
}

# the link's token from 'lsr serve --add-reviewer' (last line of stdout)
serve_link() {
	lsr -C "$1" serve --add-reviewer "$2" ${3:+--role "$3"} > "$TMP/link.out" 2>/dev/null ||
		fail "add-reviewer $2"
	tail -1 "$TMP/link.out" | sed 's/.*token=//'
}

serve_login() {
	tok=$(serve_link "$1" "$2" "${3:-}")
	CODE=$(curl -s -o /dev/null -w '%{http_code}' -c "$TMP/$2.jar" "$URL/login?token=$tok")
	same "$CODE" "303"
	api "$2" GET /api/me
	jq -r .csrf "$BODY_FILE" > "$TMP/$2.csrf"
}

api() {
	who=$1
	method=$2
	path=$3
	body=${4-}
	[ -n "$body" ] || body='{}'
	if [ "$method" = GET ]; then
		CODE=$(curl -s -o "$BODY_FILE" -w '%{http_code}' -b "$TMP/$who.jar" "$URL$path")
	else
		CODE=$(curl -s -o "$BODY_FILE" -w '%{http_code}' -b "$TMP/$who.jar" -X "$method" \
			-H "X-CSRF-Token: $(cat "$TMP/$who.csrf")" -H 'Content-Type: application/json' \
			--data-binary "$body" "$URL$path")
	fi
}

# the citation id NAME is handed next (empty when none)
next_id() {
	api "$1" GET "/api/next${2:+?stage=$2}"
	jq -r '.citation.citation // empty' "$BODY_FILE"
}

batch_stage() {
	for r in alice bob; do
		run 0 lsr -C "$1" screen batch --reviewer $r --stage "$2" --size 1000 -o $r.csv
		echo "id,verdict,reason,stage,reviewer" > $r-done.csv
		for id in $(sql "$1/review.db" "SELECT citation_id FROM screen_assignments WHERE reviewer = '$r' AND stage = '$2' ORDER BY position"); do
			set -- "$1" "$2" $(verdict_for $r $id "$2")
			echo "$id,$3,${4:-},$2,$r" >> $r-done.csv
		done
		run 0 lsr -C "$1" screen import $r-done.csv --reviewer $r
	done
	for id in $(sql "$1/review.db" "SELECT citation_id FROM screen_conflicts WHERE stage = '$2'"); do
		set -- "$1" "$2" $(verdict_for arb $id "$2")
		run 0 lsr -C "$1" screen resolve $id --stage "$2" --verdict $3 ${4:+--reason $4} --by arb
	done
}

browser_ready() {
	CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
	BROWSER_DIR=${LSR_SRC:-$(dirname "$0")/../..}/tests/browser
	[ -x "$CHROMIUM" ] || { echo "skip: no Chromium at $CHROMIUM (apt-get install chromium)" >&2; exit 77; }
	command -v node >/dev/null || { echo "skip: node is not installed" >&2; exit 77; }
	[ -d "$BROWSER_DIR/node_modules/puppeteer-core" ] ||
		{ echo "skip: no $BROWSER_DIR/node_modules (run npm ci there)" >&2; exit 77; }
}
