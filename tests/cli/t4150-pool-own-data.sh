#!/bin/sh
# lsr pool --csv on the project's own data (tests/data/pool: invented
# studies, no ../shared needed) against numbers computed independently of
# lsr by tests/data/pool/expected.py (Python standard library, formulas from
# the literature): every pooling path - MD, SMD in both conventions, OR, RR
# and RD by IV and MH (both MH RD variances), Peto, GIV; fixed effect and
# random effects with DL, REML and PM; Hartung-Knapp; prediction intervals
# and Q-profile intervals; subgroups and the moderator model; leave-one-out;
# Egger; trim-and-fill; zero cells and a double-zero study.
#
# expected.txt holds one check a line, "file|options|jq path|value|relative
# tolerance" (1e-6 for closed forms, 1e-4 downstream of an iteration);
# regenerate it with: python3 tests/data/pool/expected.py > expected.txt
. "$(dirname "$0")/lib.sh"
: "${LSR_SRC:?LSR_SRC must point at the source tree}"
D=$LSR_SRC/tests/data/pool
EXP=$D/expected.txt

# every check of one analysis in one jq call, compared in awk
grep -v '^#' "$EXP" | cut -d'|' -f1,2 | sort -u > "$TMP/groups"
total=0
while IFS='|' read -r file opts; do
	grep -F "$file|$opts|" "$EXP" | awk -F'|' -v o="$opts" '$2 == o' > "$TMP/checks"
	# shellcheck disable=SC2086
	run 0 lsr pool --csv "$D/$file" $opts --json
	cp "$OUT" "$TMP/result.json"
	prog=$(cut -d'|' -f3 "$TMP/checks" | paste -sd, -)
	CHECKS=$((CHECKS + 1))
	if ! jq -c "$prog" "$TMP/result.json" > "$TMP/got"; then
		fail "$file $opts: jq could not read the result"
		continue
	fi
	n=$(wc -l < "$TMP/checks")
	total=$((total + n))
	same "$(wc -l < "$TMP/got")" "$n"
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
		END { exit bad ? 1 : 0 }' >&2 || fail "$file $opts: values differ (above)"
done < "$TMP/groups"
# the table is not empty and every line was compared
same "$total" "$(grep -vc '^#' "$EXP")"
finish
