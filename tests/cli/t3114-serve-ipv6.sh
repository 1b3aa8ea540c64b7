#!/bin/sh
# lsr serve --listen [::1]:PORT: the server listens on IPv6 loopback,
# prints its URL with the address in brackets, serves the page, a login
# link and the API there (curl -g), without the warning of a non-loopback
# address; [::]:PORT warns; an IPv6 address without brackets or port is a
# usage error.  Skips, saying so, where the machine has no IPv6 loopback.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null ||
	{ echo "skip: no IPv6 loopback (::1) on this machine" >&2; exit 77; }

cd "$TMP"
serve_review rev 3
run 2 lsr -C rev serve --listen ::1:8357
has "$ERR" "in brackets"
run 2 lsr -C rev serve --listen '[::1]'
run 2 lsr -C rev serve --listen '[::1]:99999'

# start_v6 ADDR: lsr serve --listen [ADDR]:0, its URL in $URL6
start_v6() {
	: > "$TMP/srv.out"   # not the last server's URL
	: > "$TMP/srv.err"
	"$LSR" -C rev serve --listen "[$1]:0" >"$TMP/srv.out" 2>"$TMP/srv.err" &
	SRV_PID=$!
	URL6=
	k=0
	while [ -z "$URL6" ] && [ $k -lt 300 ]; do
		URL6=$(sed -n 's|^serving .* on \(http://\[[0-9a-f:]*\]:[0-9]*\)/ .*|\1|p' "$TMP/srv.out")
		[ -n "$URL6" ] || sleep 0.1
		k=$((k + 1))
	done
	[ -n "$URL6" ] || { fail "the server on [$1] printed no URL"; cat "$TMP/srv.out" "$TMP/srv.err" >&2; }
}

start_v6 ::1
case $URL6 in http://\[::1\]:[1-9]*) ;; *) fail "URL '$URL6' is not http://[::1]:PORT" ;; esac
hasnt "$TMP/srv.err" "warning"
CODE=$(curl -sg -o page.html -w '%{http_code}' "$URL6/")
same "$CODE" "200"
has page.html "lsr screening"
# a login link works on the IPv6 address, and so does the API
tok=$(serve_link rev alice)
CODE=$(curl -sg -o /dev/null -w '%{http_code}' -c alice.jar "$URL6/login?token=$tok")
same "$CODE" "303"
curl -sg -b alice.jar "$URL6/api/me" > me.json
same "$(jq -r .name me.json)" "alice"
curl -sg -b alice.jar "$URL6/api/next" > next.json
same "$(jq -r '.citation.citation | type' next.json)" "number"
# a spent link is refused there too
CODE=$(curl -sg -o /dev/null -w '%{http_code}' "$URL6/login?token=$tok")
same "$CODE" "403"
# not on IPv4: the server listens on ::1 only
port=${URL6##*:}
CODE=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
same "$CODE" "000"
serve_stop

# the unspecified address is not loopback: the warning
start_v6 ::
has "$TMP/srv.err" "warning: listening on [::]:0: anyone who can reach this port"
CODE=$(curl -sg -o /dev/null -w '%{http_code}' "http://[::1]:${URL6##*:}/")
same "$CODE" "200"
serve_stop
finish
