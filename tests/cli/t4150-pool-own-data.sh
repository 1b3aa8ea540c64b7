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
. "$(dirname "$0")/pool-expected.sh"
EXP=$POOL_DATA/expected.txt

# one lsr run per analysis, every value of it compared
grep -v '^#' "$EXP" | cut -d'|' -f1,2 | sort -u > "$TMP/groups"
total=0
while IFS='|' read -r file opts; do
	# shellcheck disable=SC2086
	run 0 lsr pool --csv "$POOL_DATA/$file" $opts --json
	cp "$OUT" "$TMP/result.json"
	expect_pool "$TMP/result.json" "$file" "$opts"
	total=$((total + EXPECT_N))
done < "$TMP/groups"
# the table is not empty and every line was compared
same "$total" "$(grep -vc '^#' "$EXP")"
finish
