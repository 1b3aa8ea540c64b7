#!/bin/sh
# lsr serve: accounts and logins.  --add-reviewer prints a one-time link
# alone on the last line (only the token's hash is stored); a login sets an
# HttpOnly, SameSite=Strict session cookie that survives a restart of the
# server; a used, unknown or revoked link is refused; failed logins are
# rate-limited; every answer carries the Content-Security-Policy; a
# non-loopback --listen warns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"
serve_review rev 4

# ---- accounts ------------------------------------------------------------
run 0 lsr -C rev serve --add-reviewer alice
same "$(wc -l < "$OUT")" "1"
link=$(tail -1 "$OUT")
tok=${link#*/login?token=}
case $link in
http://127.0.0.1:8357/login\?token=*) ;;
*) fail "not a login link: $link" ;;
esac
same "$(printf %s "$tok" | tr -d '0-9a-f' | wc -c)" "0"
same "${#tok}" "64"
hasnt "$ERR" "$tok"
# only the hash is stored, anywhere in the database files
same "$(sql rev/review.db "SELECT token_hash FROM serve_tokens")" \
	"$(printf %s "$tok" | sha256sum | cut -d' ' -f1)"
cat rev/review.db* | grep -c "$tok" > hits || true
same "$(cat hits)" "0"
same "$(sql rev/review.db "SELECT name, role, revoked_at IS NULL FROM serve_accounts")" "alice|reviewer|1"
same "$(sql rev/review.db "SELECT action, object FROM audit WHERE action LIKE 'serve-%'")" \
	"serve-add-reviewer|alice"
run 2 lsr -C rev serve --add-reviewer carol --role boss
same "$(head -1 "$ERR")" "lsr serve: error: --role: expected reviewer or arbiter, not 'boss'"
run 2 lsr -C rev serve --role arbiter
run 2 lsr -C rev serve --add-reviewer carol --listen 127.0.0.1:0
run 1 lsr -C rev serve --revoke nobody
same "$(head -1 "$ERR")" "lsr serve: error: no account 'nobody' (or revoked already)"
run 0 lsr -C rev serve --add-reviewer arb --role arbiter
same "$(sql rev/review.db "SELECT role FROM serve_accounts WHERE name = 'arb'")" "arbiter"

# ---- login ---------------------------------------------------------------
serve_start rev
curl -s -D hdr -o /dev/null "$URL/" || fail "GET /"
has hdr "Content-Security-Policy: default-src 'self'"
curl -s -D hdr -o /dev/null "$URL/login?token=$tok"
has hdr "HTTP/1.1 303"
grep '^Set-Cookie:' hdr > cookie
has cookie "HttpOnly"
has cookie "SameSite=Strict"
hasnt cookie "Secure"
has hdr "Content-Security-Policy: default-src 'self'"
sid=$(sed -n 's/^Set-Cookie: lsr_session=\([0-9a-f]*\);.*/\1/p' hdr)
same "${#sid}" "64"
same "$(sql rev/review.db "SELECT count(*) FROM serve_sessions WHERE session_hash = '$(printf %s "$sid" | sha256sum | cut -d' ' -f1)'")" "1"
same "$(sql rev/review.db "SELECT count(*) FROM serve_sessions WHERE session_hash = '$sid'")" "0"
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tlsr_session\t%s\n' "$sid" > alice.jar
api alice GET /api/me
same "$CODE" "200"
same "$(jq -r '.name + " " + .role' "$BODY_FILE")" "alice reviewer"
# the link works once
CODE=$(curl -s -o body -w '%{http_code}' "$URL/login?token=$tok")
same "$CODE" "403"
# no cookie, a made-up cookie: not logged in
CODE=$(curl -s -o body -w '%{http_code}' "$URL/api/me")
same "$CODE" "401"
CODE=$(curl -s -o body -w '%{http_code}' -b "lsr_session=$(printf %064d 0)" "$URL/api/me")
same "$CODE" "401"

# ---- the session survives a restart of the server --------------------------
serve_stop
serve_start rev
api alice GET /api/me
same "$CODE" "200"

# ---- revoking ends the session and unused links ----------------------------
tok2=$(serve_link rev bob)
run 0 lsr -C rev serve --revoke alice
api alice GET /api/me
same "$CODE" "401"
run 0 lsr -C rev serve --revoke bob
CODE=$(curl -s -o body -w '%{http_code}' "$URL/login?token=$tok2")
same "$CODE" "403"
same "$(sql rev/review.db "SELECT count(*) FROM serve_sessions s JOIN serve_accounts a ON a.id = s.account_id WHERE a.name = 'alice'")" "0"

# ---- failed logins are rate-limited ------------------------------------------
# (counted per client address since the server started: start afresh)
serve_stop
serve_start rev
tok3=$(serve_link rev carol)
k=0
while [ $k -lt 10 ]; do
	CODE=$(curl -s -o body -w '%{http_code}' "$URL/login?token=$(printf %064d $k)")
	same "$CODE" "403"
	k=$((k + 1))
done
# the eleventh try is refused even with a good link, which stays unused
CODE=$(curl -s -o body -w '%{http_code}' "$URL/login?token=$tok3")
same "$CODE" "429"
same "$(sql rev/review.db "SELECT count(*) FROM serve_tokens t JOIN serve_accounts a ON a.id = t.account_id WHERE a.name = 'carol' AND used_at IS NULL")" "1"
serve_stop
# the server printed its URL and nothing of any token
same "$(cat "$TMP/srv.out" | wc -l)" "1"
hasnt "$TMP/srv.err" "$tok3"

# ---- a non-loopback address warns ---------------------------------------------
"$LSR" -C rev serve --listen 0.0.0.0:0 > out2 2> err2 &
pid=$!
k=0
while ! grep -q serving out2 && [ $k -lt 300 ]; do sleep 0.1; k=$((k + 1)); done
kill -TERM $pid
wait $pid
has err2 "lsr serve: warning: listening on 0.0.0.0:0: anyone who can reach this port can try to log in"
run 2 lsr -C rev serve --listen localhost:80
same "$(head -1 "$ERR")" "lsr serve: error: --listen: 'localhost' is not an IPv4 address"
finish
