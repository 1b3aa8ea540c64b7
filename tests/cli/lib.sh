# lib.sh - helpers for CLI tests (sourced).  Each test states the exact exit
# code it expects; a crash or a sanitizer report changes the code and fails.
#
#   run CODE lsr ARGS...      run, keep stdout in $OUT and stderr in $ERR,
#                             fail unless the exit status is CODE
#   run_in DIR CODE lsr ...   the same, started in DIR
#   same FILE_OR_TEXT EXPECT  exact comparison (text)
#   has FILE TEXT             FILE contains TEXT (fixed string)
#   hasnt FILE TEXT
#   jqcheck [-s] FILE FILTER [EXPECT]
#                             jq FILTER on FILE (JSON, or JSON Lines: one
#                             result per line; -s reads them as one array)
#                             must print EXPECT, or "true" when EXPECT is
#                             omitted.  Strings print bare, anything else as
#                             compact JSON; input that is not JSON fails.
#   need_shared               skip (77) when ../shared is absent
#   AT_EXIT=COMMANDS          run at exit before $TMP is removed (instead of
#                             a trap of one's own, which would replace the
#                             one that reports a test stopped by set -e)
#   finish                    exit 0 if every check passed
# KEEP_TMP=1 in the environment keeps the test's scratch directory.
set -u
: "${LSR:?LSR must point at the lsr binary}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lsr-test.XXXXXX")
FINISHED=
# A command that fails outside run/run_in ends the test (set -e is on from
# the first run onwards); say so instead of exiting silently.
lib_exit() {
	lib_rc=$?
	if [ -z "$FINISHED" ] && [ "$lib_rc" -ne 0 ] && [ "$lib_rc" -ne 77 ]; then
		echo "not ok: $TEST_NAME stopped early (exit $lib_rc) after $CHECKS checks: a command outside run/run_in failed" >&2
	fi
	eval "${AT_EXIT:-:}"
	if [ -n "${KEEP_TMP:-}" ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
	exit "$lib_rc"
}
trap lib_exit EXIT
OUT=$TMP/stdout
ERR=$TMP/stderr
FAILS=0
CHECKS=0
TEST_NAME=$(basename "$0" .sh)

lsr() { "$LSR" "$@"; }

fail() {
	FAILS=$((FAILS + 1))
	echo "not ok: $*" >&2
}

run() {
	run_in . "$@"
}

# run_in DIR CODE CMD...: like run, with CMD started in DIR
run_in() {
	dir=$1
	want=$2
	shift 2
	CHECKS=$((CHECKS + 1))
	set +e
	(cd "$dir" && "$@") >"$OUT" 2>"$ERR"
	run_got=$?
	set -e
	if [ "$run_got" != "$want" ]; then
		fail "'$*' exited $run_got, expected $want"
		echo "--- stdout:" >&2; head -c 3000 "$OUT" >&2
		echo "--- stderr:" >&2; head -c 3000 "$ERR" >&2
		return 0
	fi
	if grep -q "Sanitizer\|runtime error:" "$ERR"; then
		fail "'$*' reported a sanitizer error"
		cat "$ERR" >&2
	fi
}

same() {
	CHECKS=$((CHECKS + 1))
	if [ -f "$1" ]; then same_got=$(cat "$1"); else same_got=$1; fi
	if [ "$same_got" != "$2" ]; then
		fail "expected '$2', got '$same_got'"
	fi
}

has() {
	CHECKS=$((CHECKS + 1))
	if ! grep -qF -- "$2" "$1"; then
		fail "$1 does not contain '$2'"
		echo "--- $1:" >&2; head -c 3000 "$1" >&2
	fi
}

hasnt() {
	CHECKS=$((CHECKS + 1))
	if grep -qF -- "$2" "$1"; then
		fail "$1 contains '$2'"
	fi
}

jqcheck() {
	jq_slurp=
	if [ "$1" = "-s" ]; then
		jq_slurp=-s
		shift
	fi
	CHECKS=$((CHECKS + 1))
	if [ $# -ge 3 ]; then jq_want=$3; else jq_want=true; fi
	if ! jq_got=$(jq $jq_slurp -r -c "$2" "$1" 2>"$TMP/jq.err"); then
		fail "jq '$2' on $1: $(head -c 500 "$TMP/jq.err")"
		echo "--- $1:" >&2; head -c 3000 "$1" >&2; echo >&2
		return 0
	fi
	if [ "$jq_got" != "$jq_want" ]; then
		fail "jq '$2' on $1 gave '$jq_got', expected '$jq_want'"
		echo "--- $1:" >&2; head -c 3000 "$1" >&2; echo >&2
	fi
}

need_shared() {
	if [ ! -d "${LSR_SHARED:-}/fixtures" ]; then
		echo "skip: $TEST_NAME is a real-data test and ../shared is absent (no ${LSR_SHARED:-\$LSR_SHARED}/fixtures)" >&2
		exit 77
	fi
}

# sql DB QUERY: one query through the sqlite3 shell
sql() { sqlite3 "$1" "$2"; }

# status_as_views DIR: lsr screen status --json's stage figures equal the
# ones each status view gives when queried figure by figure (as status was
# computed before it read each view once: screen/screen_query.c)
status_as_views() {
	sv_db=$1/review.db
	sv_got=$(lsr -C "$1" screen status --json | jq -S -c '{ta: .title_abstract, ft: .full_text, split: .second_looks}')
	sv_ta=$(sqlite3 -json "$sv_db" "SELECT count(*) AS citations,
		coalesce(sum(decided_by IS NOT 'automation'), 0) AS screened,
		coalesce(sum(status = 'included'), 0) AS included,
		coalesce(sum(status = 'excluded'), 0) AS excluded,
		coalesce(sum(status = 'excluded' AND decided_by NOT IN ('automation', 'stopping-rule')), 0) AS excluded_by_reviewers,
		coalesce(sum(decided_by = 'automation'), 0) AS excluded_by_automation,
		coalesce(sum(status = 'pending'), 0) AS pending,
		coalesce(sum(status = 'conflict'), 0) AS conflicts,
		coalesce(sum(decided_by = 'stopping-rule'), 0) AS excluded_by_stopping_rule
		FROM screen_ta_status")
	sv_tax=$(sqlite3 -json "$sv_db" "SELECT coalesce(reason, '(none)') AS reason, decided_by, count(*) AS count
		FROM screen_ta_status WHERE status = 'excluded' GROUP BY 1, 2 ORDER BY 1, 2")
	sv_ft=$(sqlite3 -json "$sv_db" "SELECT count(*) AS reports_sought,
		coalesce(sum(status = 'awaiting-retrieval'), 0) AS awaiting_retrieval,
		coalesce(sum(status = 'not-retrieved'), 0) AS not_retrieved,
		coalesce(sum(status NOT IN ('awaiting-retrieval', 'not-retrieved')), 0) AS assessed,
		coalesce(sum(status = 'included'), 0) AS included,
		coalesce(sum(status = 'excluded'), 0) AS excluded,
		coalesce(sum(status = 'pending'), 0) AS pending,
		coalesce(sum(status = 'conflict'), 0) AS conflicts
		FROM screen_ft_status")
	sv_ftx=$(sqlite3 -json "$sv_db" "SELECT coalesce(reason, '(none)') AS reason, decided_by, count(*) AS count
		FROM screen_ft_status WHERE status = 'excluded' GROUP BY 1, 2 ORDER BY 1, 2")
	sv_ftn=$(sqlite3 -json "$sv_db" "SELECT retrieval_reason AS reason, count(*) AS count
		FROM screen_ft_status WHERE status = 'not-retrieved' GROUP BY 1 ORDER BY 1")
	sv_split=$(sql "$sv_db" "SELECT count(*) FROM screen_conflicts WHERE kind = 'split'")
	sv_want=$(jq -S -c -n --argjson ta "$sv_ta" --argjson tax "${sv_tax:-[]}" \
		--argjson ft "$sv_ft" --argjson ftx "${sv_ftx:-[]}" --argjson ftn "${sv_ftn:-[]}" \
		--argjson split "$sv_split" \
		'{ta: ($ta[0] + {exclusions: $tax}),
		  ft: ($ft[0] + {exclusions: $ftx, not_retrieved_reasons: $ftn}), split: $split}')
	CHECKS=$((CHECKS + 1))
	if [ "$sv_got" != "$sv_want" ]; then
		fail "lsr screen status on $1 differs from its views: $sv_got, expected $sv_want"
	fi
}

finish() {
	FINISHED=1
	if [ "$FAILS" -ne 0 ]; then
		echo "$TEST_NAME: $FAILS of $CHECKS checks failed" >&2
		exit 1
	fi
	echo "$TEST_NAME: $CHECKS checks passed"
	exit 0
}

set -e
