#!/bin/sh
# lsr check-stats on our own reports (tests/data/check-stats/reports.csv):
# the seed review's "SMD -0.27; 95% CI [-0.59, -0.05]; p = 0.10" (Lu et al.
# 2023, printed with Unicode minus signs) is flagged, reports whose p fits
# their interval within rounding are not, both kinds of inconsistency are
# named, and malformed rows stop with file:row and exit 3, printing nothing.
# Implied p-values are compared with Python's math.erfc (independent of GSL).
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data/check-stats" && pwd)

run 0 lsr check-stats "$DATA/reports.csv"
cp "$OUT" "$TMP/human"
same "$(wc -l < "$TMP/human" | tr -d ' ')" 5
has "$TMP/human" "Lu 2023 MELD 1 month: p 0.10 reported, 0.05 implied (0.042 to 0.0589 with rounding): the p-value is not the one the interval implies"
has "$TMP/human" "OR wrong p: p 0.20 reported"
has "$TMP/human" "MD p too small: p <0.001 reported"
has "$TMP/human" "MD significance: p 0.06 reported, 0.0251 implied (0.00328 to 0.0863 with rounding): the interval and the p-value disagree on significance at 0.05"
has "$TMP/human" "SMD significance: p 0.04 reported"
hasnt "$TMP/human" "consistent MD"
hasnt "$TMP/human" "RD boundary"

run 0 lsr check-stats --json "$DATA/reports.csv"
cp "$OUT" "$TMP/json"
jqcheck -s "$TMP/json" 'length' 10
jqcheck -s "$TMP/json" '[.[] | select(.consistent | not) | .label] | join("|")' \
	"Lu 2023 MELD 1 month|OR wrong p|MD p too small|MD significance|SMD significance"
jqcheck -s "$TMP/json" '.[0] | [.p_reported, .row] | @csv' '"0.10",2'
jqcheck -s "$TMP/json" '.[3].p_reported' '<0.001'
# the seed row: z = 0.27 / (0.54 / 3.92) = 1.96 exactly, p = 2(1 - Phi(1.96))
jqcheck -s "$TMP/json" '.[0].p_implied - 0.0499957902964 | fabs < 1e-10'
# every implied p against erfc, on the log scale for ratio measures
python3 - "$DATA/reports.csv" "$TMP/json" <<'PY' || fail "implied p-values differ from erfc"
import csv, json, math, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
got = [json.loads(l) for l in open(sys.argv[2])]
assert len(rows) == len(got)
for r, g in zip(rows, got):
    f = lambda s: float(s.replace("\u2212", "-"))
    e, l, u = f(r["estimate"]), f(r["ci_lb"]), f(r["ci_ub"])
    if r["measure"] in ("OR", "RR", "HR"):
        e, l, u = math.log(e), math.log(l), math.log(u)
    p = math.erfc(abs(e) / ((u - l) / 3.92) / math.sqrt(2))
    assert g["label"] == r["label"], (g, r)
    assert abs(g["p_implied"] - p) <= 1e-12 + 1e-9 * p, (r["label"], g["p_implied"], p)
    assert g["p_implied_low"] <= g["p_implied"] <= g["p_implied_high"], g
PY

# malformed input: file and row, exit 3, nothing on stdout
bad() {
	printf 'label,measure,estimate,ci_lb,ci_ub,p\nok,MD,1.0,0.5,1.5,<0.001\n%s\n' "$1" > "$TMP/bad.csv"
	run 3 lsr check-stats "$TMP/bad.csv"
	same "$(cat "$OUT")" ""
	has "$ERR" "lsr check-stats: error: $TMP/bad.csv:3: $2"
}
bad 'x,Cohen,1.0,0.5,1.5,0.01' "unknown measure 'Cohen'"
bad 'x,MD,one,0.5,1.5,0.01' "estimate 'one' is not a number"
bad 'x,MD,1.0,1.5,0.5,0.01' "ci_lb '1.5' is greater than ci_ub '0.5'"
bad 'x,OR,1.0,0,1.5,0.01' "ci_lb '0' of a ratio measure (OR) must be greater than 0"
bad 'x,MD,1.0,0.5,1.5,' "p is empty"
bad 'x,MD,1.0,0.5,1.5,1.2' "p '1.2' is not a p-value"
bad 'x,MD,1.0,0.5,1.5,NS' "p 'NS' is not a p-value"
printf 'label,measure,estimate,ci_low,ci_ub,p\n' > "$TMP/hdr.csv"
run 3 lsr check-stats "$TMP/hdr.csv"
has "$ERR" "hdr.csv:1: no column 'ci_lb' in the header"
run 2 lsr check-stats
run 2 lsr check-stats a.csv b.csv
finish
