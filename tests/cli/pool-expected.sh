# pool-expected.sh - compare pooled results with the numbers computed
# independently of lsr by tests/data/pool/expected.py (sourced after lib.sh).
#
#   POOL_DATA                      tests/data/pool
#   expect_pool JSON FILE OPTIONS  compare the result in the file JSON with
#                                  every line of expected.txt for FILE and
#                                  OPTIONS ("file|options|jq path|value|
#                                  relative tolerance"); the number of
#                                  values compared is left in $EXPECT_N
: "${LSR_SRC:?LSR_SRC must point at the source tree}"
POOL_DATA=$LSR_SRC/tests/data/pool

expect_pool() {
	grep -F "$2|$3|" "$POOL_DATA/expected.txt" | awk -F'|' -v o="$3" '$2 == o' > "$TMP/checks"
	EXPECT_N=$(wc -l < "$TMP/checks")
	CHECKS=$((CHECKS + 1))
	if [ "$EXPECT_N" -eq 0 ]; then
		fail "no expected values for $2 $3"
		return 0
	fi
	# every path of the analysis in one jq call
	if ! jq -c "$(cut -d'|' -f3 "$TMP/checks" | paste -sd, -)" "$1" > "$TMP/got"; then
		fail "$2 $3: jq could not read $1"
		return 0
	fi
	same "$(wc -l < "$TMP/got")" "$EXPECT_N"
	paste -d'|' "$TMP/checks" "$TMP/got" | awk -F'|' '
		function abs(x) { return x < 0 ? -x : x }
		{
			want = $4; tol = $5; got = $6
			if (want == "null" || want ~ /^"/) {
				ok = got == want
			} else if (got == "null" || got !~ /^-?[0-9]/) {
				ok = 0
			} else {
				ok = abs(got - want) <= tol * abs(want) + 1e-12
			}
			if (!ok) {
				printf "not ok: %s %s: %s is %s, expected %s (relative tolerance %s)\n", \
					$1, $2, $3, got, want, tol
				bad++
			}
		}
		END { exit bad ? 1 : 0 }' >&2 || fail "$2 $3: values differ (above)"
}
