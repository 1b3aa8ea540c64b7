# replay.sh - the loopback replay server for the lsr search tests (sourced
# after lib.sh).  No test touches the internet: lsr is pointed at the
# server through LSR_PUBMED_URL, LSR_EUROPEPMC_URL and LSR_CTGOV_URL.
#
#   replay_start CASE...   serve tests/replay/cases/CASE... on a fresh
#                          ephemeral port (stopping a server already running)
#   replay_stop
#   requests [TEXT]        the requests received, without the time column:
#                          CONN RULE STATUS METHOD PATH NAME=VALUE... H:...
#                          (only lines containing TEXT when given)
#   req_times [TEXT]         the milliseconds of those requests, one a line
#   wait_requests N        wait (10 s at most) until N requests came
#   min_gap_ms TEXT        the smallest gap between two requests with TEXT
#   rate_per_s TEXT        their average rate, requests a second (x100, an integer)
# The server's clock sees arrivals, which jitter around the client's paced
# starts when the machine is loaded: tests check the smallest gap with a
# margin (no burst) and the average rate against the limit.
: "${LSR_REPLAY:?LSR_REPLAY must point at the replay server}"
: "${LSR_SRC:?LSR_SRC must point at the source tree}"
CASES=$LSR_SRC/tests/replay/cases
REPLAY_PID=
REPLAY_N=0
RLOG=
# retries and stall detection fast enough for tests
export LSR_HTTP_BACKOFF_MS=50 LSR_HTTP_LOW_SPEED_TIME=2
AT_EXIT=replay_stop

replay_start() {
	replay_stop
	REPLAY_N=$((REPLAY_N + 1))
	RLOG=$TMP/replay.$REPLAY_N.log
	rm -f "$TMP/replay.port"
	set -- $(for c in "$@"; do printf -- '--case %s ' "$CASES/$c"; done)
	"$LSR_REPLAY" "$@" --port-file "$TMP/replay.port" --log "$RLOG" \
		2>"$TMP/replay.$REPLAY_N.err" &
	REPLAY_PID=$!
	i=0
	while [ ! -s "$TMP/replay.port" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$REPLAY_PID" 2>/dev/null; then
			cat "$TMP/replay.$REPLAY_N.err" >&2
			echo "replay server did not start" >&2
			exit 1
		fi
		sleep 0.1
	done
	PORT=$(cat "$TMP/replay.port")
	export LSR_PUBMED_URL=http://127.0.0.1:$PORT/eutils
	export LSR_EUROPEPMC_URL=http://127.0.0.1:$PORT/epmc
	export LSR_CTGOV_URL=http://127.0.0.1:$PORT/ctgov/api/v2
}

replay_stop() {
	if [ -n "$REPLAY_PID" ]; then
		kill "$REPLAY_PID" 2>/dev/null || true
		wait "$REPLAY_PID" 2>/dev/null || true
		REPLAY_PID=
	fi
}

requests() {
	if [ $# -gt 0 ]; then
		grep -F -- "$1" "$RLOG" | cut -f2-
	else
		cut -f2- "$RLOG"
	fi
}

req_times() {
	grep -F -- "${1:-}" "$RLOG" | cut -f1
}

wait_requests() {
	i=0
	while [ "$(wc -l < "$RLOG")" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && break
		sleep 0.05
	done
}

min_gap_ms() {
	req_times "$1" | awk 'NR > 1 { g = $1 - p; if (min == "" || g < min) min = g } { p = $1 } END { print min + 0 }'
}

rate_per_s() {
	req_times "$1" | awk 'NR == 1 { f = $1 } { l = $1; n++ } END { if (n < 2 || l == f) print 0; else printf "%d\n", (n - 1) * 100000 / (l - f) }'
}
