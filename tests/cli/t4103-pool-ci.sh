#!/bin/sh
# --ci: the ad hoc Hartung-Knapp default, its aliases, the RevMan preset,
# the degenerate interval, and REML with variances 1e-7 and 0.34.
. "$(dirname "$0")/lib.sh"

D=$LSR_SRC/tests/data/pool-ref
cd "$TMP"

# the default for random effects is hk-adhoc; on homogeneous data its SE is the Wald SE
run 0 lsr pool --csv "$D/ci_homogeneous.csv" --measure GIV --scale identity --json
has "$OUT" '"ci_method": "adhoc"'
has "$OUT" '"hk_q": 0.'
cp "$OUT" adhoc.json
run 0 lsr pool --csv "$D/ci_homogeneous.csv" --measure GIV --scale identity --ci t --json
has "$OUT" '"ci_method": "t"'
same "$(grep '"se"' adhoc.json | head -1)" "$(grep '"se"' "$OUT" | head -1)"
run 0 lsr pool --csv "$D/ci_homogeneous.csv" --measure GIV --scale identity --ci adhoc --json
has "$OUT" '"ci_method": "adhoc"'
# the old flags keep their meaning
run 0 lsr pool --csv "$D/ci_homogeneous.csv" --measure GIV --scale identity --hk --json
has "$OUT" '"ci_method": "knha"'
run 0 lsr pool --csv "$D/ci_homogeneous.csv" --measure GIV --scale identity --no-hk --json
has "$OUT" '"ci_method": "z"'
run 2 lsr pool --csv "$D/ci_homogeneous.csv" --measure GIV --hk --ci hk-adhoc
has "$ERR" "--hk is --ci hk: give one of them"
run 2 lsr pool --csv "$D/ci_homogeneous.csv" --measure GIV --ci wald
has "$ERR" "unknown CI method 'wald' (expected z, t, hk or hk-adhoc)"
# RevMan 5: DL and z; subgroups keep their Wald default
run 0 lsr pool --csv "$D/ci_homogeneous.csv" --measure GIV --preset revman5 --json
has "$OUT" '"ci_method": "z"'
has "$OUT" '"tau2_method": "DL"'
run 0 lsr pool --csv "$D/ci_homogeneous.csv" --measure GIV --preset revman5 --ci hk-adhoc --json
has "$OUT" '"ci_method": "adhoc"'
# the table names the method
run 0 lsr pool --csv "$D/ci_heterogeneous.csv" --measure GIV --scale identity
has "$OUT" "tau² by REML, Hartung-Knapp (ad hoc); RevMan 5 conventions"
has "$OUT" "Test for overall effect: t = "

# identical estimates: plain HK has SE 0 and says so; the ad hoc one does not
printf 'study,yi,vi\nA,0.3,0.1\nB,0.3,0.2\nC,0.3,0.05\n' > same.csv
run 0 lsr pool --csv same.csv --measure GIV --ci hk --json
has "$OUT" '"ci_degenerate": true'
has "$OUT" '"t": null'
has "$ERR" "the interval is degenerate"
run 0 lsr pool --csv same.csv --measure GIV --ci hk
has "$OUT" "Test for overall effect: Not applicable (Hartung-Knapp SE is 0"
run 0 lsr pool --csv same.csv --measure GIV --json
hasnt "$OUT" 'ci_degenerate'
hasnt "$ERR" "degenerate"

# REML converges with variances seven orders of magnitude apart (metafor 0.00404995)
run 0 lsr pool --csv "$D/reml_variance_range.csv" --measure GIV --json
has "$OUT" '"tau2": 0.0040499499'
run 0 lsr pool --csv "$D/reml_variance_range.csv" --measure GIV --tau2 PM --json
has "$OUT" '"tau2": 0.0040499499'

# --level: percentages or proportions; the texts follow
run 0 lsr pool --csv "$D/ci_heterogeneous.csv" --measure GIV --scale identity --level 90
has "$OUT" "Total (90% CI)"
has "$OUT" "IV, Random, 90% CI"
run 0 lsr pool --csv "$D/ci_heterogeneous.csv" --measure GIV --level 0.99 --json
has "$OUT" '"level": 0.98999999999999999'
run 2 lsr pool --csv "$D/ci_heterogeneous.csv" --measure GIV --level 100
has "$ERR" "--level: expected a confidence level such as 95 or 0.9"
run 2 lsr pool --csv "$D/ci_heterogeneous.csv" --measure GIV --level x
has "$ERR" "--level: expected a confidence level"
finish
