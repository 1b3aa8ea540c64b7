#!/bin/sh
# An add-on never kills the main result, and no number is null without a
# word (issue 14): Egger and trim-and-fill on equal standard errors, a
# meta-regression with as many parameters as studies, Mantel-Haenszel
# without events in one arm, RevMan's SMD correction at N = 3.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
printf 'study,yi,sei\nA,0.1,0.2\nB,0.5,0.2\nC,0.3,0.2\n' > eq.csv
run 0 lsr pool --csv eq.csv --measure GIV --egger --trimfill --leave-one-out --json
has "$OUT" '"egger": null'
has "$OUT" '"trimfill": null'
has "$OUT" '"omitted": "C"'
has "$OUT" '"estimate": 0.29999999999999999'
has "$OUT" "Egger's test could not be computed (the model matrix is singular"
has "$ERR" "trim-and-fill could not be computed (the model matrix is singular"
run 0 lsr pool --csv eq.csv --measure GIV --egger
has "$OUT" "Total (95% CI)"
has "$ERR" "the main analysis stands"

printf 'study,subgroup,yi,vi\nA,x,0.1,0.1\nB,y,0.3,0.2\n' > mod.csv
run 0 lsr pool --csv mod.csv --measure GIV --moderator --json
has "$OUT" '"QM": null'
has "$OUT" "the meta-regression could not be computed (2 parameters for 2 studies"

# MH under metafor's convention, no events in one arm of any study
printf 'study,events1,n1,events2,n2\nA,0,20,3,20\nB,0,30,5,31\nC,0,25,2,25\n' > zero.csv
run 0 lsr pool --csv zero.csv --measure OR --convention metafor --model fixed --json
has "$OUT" '"estimate": null'
has "$OUT" '"I2": null'
has "$OUT" '"Q": null'
has "$ERR" "the pooled OR is not estimable: one arm has no events in any study"
run 0 lsr pool --csv zero.csv --measure OR --model fixed --json
hasnt "$ERR" "not estimable"

# a study label with several rows is refused unless allowed; excluding it
# says how many rows go
printf 'study,yi,sei\nA,0.1,0.2\nB,0.5,0.2\nA,0.3,0.25\nC,0.2,0.3\n' > rep.csv
run 3 lsr pool --csv rep.csv --measure GIV
has "$ERR" "lsr pool: error: rep.csv: study 'A' has 2 rows: pooling them would count its participants 2 times"
run 0 lsr pool --csv rep.csv --measure GIV --allow-repeated-studies --json
has "$OUT" '"k": 4'
has "$ERR" "study 'A' has 2 rows, all pooled"
run 0 lsr pool --csv rep.csv --measure GIV --allow-repeated-studies --exclude A --json
has "$OUT" '"k": 2'
has "$ERR" "excluding 'A' leaves out its 2 rows"

# Begg's test: too few studies is a null with a warning; the table shows it
printf 'study,yi,sei\nA,0.1,0.2\nB,0.5,0.3\n' > two.csv
run 0 lsr pool --csv two.csv --measure GIV --begg --json
has "$OUT" '"begg": null'
has "$ERR" "Begg's test needs at least 3 studies; skipped"
run 0 lsr pool --csv "$LSR_SRC/tests/data/pool-ref/ci_heterogeneous.csv" --measure GIV --begg
has "$OUT" "Begg's test: Kendall's tau = 0.357 (P = 0.28, exact)"

# trim-and-fill's options go with it and are checked
run 2 lsr pool --csv "$LSR_SRC/tests/data/pool-ref/trimfill_side_r0.csv" --measure GIV --trimfill-side left
has "$ERR" "--trimfill-side and --trimfill-estimator go with --trimfill"
run 2 lsr pool --csv "$LSR_SRC/tests/data/pool-ref/trimfill_side_r0.csv" --measure GIV --trimfill --trimfill-estimator Q0
has "$ERR" "unknown trim-and-fill estimator 'Q0' (expected L0 or R0)"
run 0 lsr pool --csv "$LSR_SRC/tests/data/pool-ref/trimfill_side_r0.csv" --measure GIV --trimfill --trimfill-estimator R0
has "$OUT" "Trim-and-fill (R0): 6 studies filled on the left"

# cumulative meta-analysis: by a column of the CSV, which must be there
C=$LSR_SRC/tests/data/pool-ref/cumulative_year.csv
run 0 lsr pool --csv "$C" --measure GIV --scale identity --cumulative-by year
has "$OUT" "Cumulative meta-analysis:"
has "$OUT" "  + P06                      k = 1 "
has "$OUT" "  + P09                      k = 10 "
run 3 lsr pool --csv "$C" --measure GIV --cumulative-by date
has "$ERR" "cumulative_year.csv:1: missing column 'date' (the order of the cumulative analysis)"
printf 'study,yi,sei,year\nA,0.1,0.2,2001\nB,0.5,0.3,\n' > noyear.csv
run 3 lsr pool --csv noyear.csv --measure GIV --cumulative-by year
has "$ERR" "noyear.csv:3: column 'year': expected a number to order by, got ''"
run 0 lsr pool --csv noyear.csv --measure GIV --cumulative --json
has "$OUT" '"added": "B"'

# influence diagnostics: inverse variance only; the table marks influential studies
run 0 lsr pool --csv "$C" --measure GIV --scale identity --influence --ci z
has "$OUT" "Influence diagnostics:"
run 0 lsr pool --csv zero.csv --measure OR --influence --json
has "$OUT" '"influence": null'
has "$ERR" "influence diagnostics need inverse-variance weights (--method IV); skipped"

# meta-regression on columns of the CSV
M=$LSR_SRC/tests/data/pool-ref/metareg_year_dose.csv
run 0 lsr pool --csv "$M" --measure GIV --scale identity --moderators year,dose
has "$OUT" "Meta-regression: QM = "
has "$OUT" "  dose "
run 0 lsr pool --csv "$M" --measure GIV --moderators year,dose --bubble bubble.svg --cumulative-by year --cumulative-svg cum.svg
run 0 xmllint --noout bubble.svg cum.svg
has cum.svg "+ M12 (k = 12)"
has bubble.svg ">year</text>"
run 1 lsr pool --csv "$M" --measure GIV --bubble nothing.svg
has "$ERR" "no meta-regression to plot (--moderators)"
run 0 lsr pool --csv "$LSR_SRC/tests/data/pool-ref/metareg_route.csv" --measure GIV --moderators route --json
has "$OUT" '"name": "routeoral"'
printf 'study,yi,vi,route\nA,0.1,0.04,iv\nB,0.3,0.05,\nC,0.2,0.03,oral\n' > noroute.csv
# an empty (or NA) moderator is missing: the study is left out of the
# meta-regression with a warning (metafor's na.omit), the main analysis
# keeps it
run 0 lsr pool --csv noroute.csv --measure GIV --moderators route --json
has "$ERR" "meta-regression: 1 study without a value of every moderator left out (B)"
has "$ERR" "the meta-regression could not be computed (2 parameters for 2 studies"
jqcheck "$OUT" '.heterogeneity.k' '3'
printf 'study,yi,vi,dose\nA,0.1,0.04,1\nB,0.3,0.05,NA\nC,0.2,0.03,2\nD,0.5,0.02,4\n' > nodose.csv
run 0 lsr pool --csv nodose.csv --measure GIV --moderators dose --json
has "$ERR" "1 study without a value of every moderator left out (B)"
jqcheck "$OUT" '.metareg.k' '3'
run 3 lsr pool --csv "$M" --measure GIV --moderators year,weight
has "$ERR" "metareg_year_dose.csv:1: missing column 'weight' (a moderator)"
run 0 lsr pool --csv two.csv --measure GIV --moderators yi --json
has "$OUT" '"metareg": null'
has "$ERR" "2 parameters for 2 studies leave nothing to estimate the fit with"
run 2 lsr pool --csv zero.csv --measure OR --moderators n1
has "$ERR" "meta-regression (--moderators) uses inverse-variance weights: use --method IV"

# RevMan's J at N = 3 is 0
printf 'study,mean1,sd1,n1,mean2,sd2,n2\nA,5,2,2,3,2,1\nB,4,2,10,3,2,10\n' > smd.csv
run 0 lsr pool --csv smd.csv --measure SMD
has "$ERR" "A: RevMan 5's small-sample correction 1 - 3/(4N - 9) is 0 at N = 3"
run 0 lsr pool --csv smd.csv --measure SMD --convention metafor
hasnt "$ERR" "small-sample correction"
finish
