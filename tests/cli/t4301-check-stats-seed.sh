#!/bin/sh
# lsr check-stats on every "SMD/WMD x; 95% CI [a, b]; p = y" the seed
# review prints (Lu et al. 2023, ../shared/seeds; read in place, never
# copied): the statements are taken from the text by a regular expression
# here, and exactly two are inconsistent - the MELD 2-week subgroup "SMD
# -0.27; 95% CI [-0.59, -0.05]; p = 0.10" (the interval excludes 0, p says
# it does not; issue 15) and the TBIL 1-week "SMD = -0.02; 95% CI [-0.30,
# -0.26]; p = 0.89" (an interval that does not hold its estimate, most
# likely [-0.30, 0.26]).  Every other statement fits within rounding.
. "$(dirname "$0")/lib.sh"
need_shared
# the seed review itself (the other seeds cite its title)
seed=$(grep -l "^Wenming Lu" "$LSR_SHARED"/seeds/*.txt | head -1)
[ -n "$seed" ] || { echo "skip: the seed review's text is not in $LSR_SHARED/seeds" >&2; exit 77; }

python3 - "$seed" > "$TMP/seed.csv" <<'PY'
import csv, re, sys
text = re.sub(r"\s+", " ", open(sys.argv[1], encoding="utf-8").read())
pat = re.compile(r"(SMD|WMD|MD)\s*[:=]?\s*(-?[0-9.]+)\s*\$?\s*[;,]\s*95%\s*CI\s*\$?\[\s*(-?[0-9.]+),"
                 r"\s*(-?[0-9.]+)\s*\]\$?\s*[;,]\s*\$p\s*([=<])\s*([0-9.]+)\s*\$")
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["label", "measure", "estimate", "ci_lb", "ci_ub", "p"])
for m in pat.finditer(text):
    meas, e, l, u, rel, p = m.groups()
    w.writerow([f"{meas} {e} [{l}, {u}] p {rel} {p}", meas, e, l, u, ("<" if rel == "<" else "") + p])
PY
# the statements found: the abstract's, results' and discussion's
same "$(($(wc -l < "$TMP/seed.csv") - 1))" 49
run 0 lsr check-stats --json "$TMP/seed.csv"
cp "$OUT" "$TMP/all.json"
jqcheck -s "$TMP/all.json" 'length' 49
jqcheck -s "$TMP/all.json" '[.[] | select(.consistent | not) | .label] | join("|")' \
	"SMD -0.27 [-0.59, -0.05] p = 0.10|SMD -0.02 [-0.30, -0.26] p = 0.89"
run 0 lsr check-stats "$TMP/seed.csv"
same "$(cat "$OUT")" "SMD -0.27 [-0.59, -0.05] p = 0.10: p 0.10 reported, 0.05 implied (0.042 to 0.0589 with rounding): the p-value is not the one the interval implies
SMD -0.02 [-0.30, -0.26] p = 0.89: p 0.89 reported, 0.05 implied (0.00109 to 0.24 with rounding): the p-value is not the one the interval implies"
finish
