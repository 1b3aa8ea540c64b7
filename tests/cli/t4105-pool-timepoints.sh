#!/bin/sh
# lsr pool --csv --subgroup where the subgroups share studies (a study's
# time points): subtotals only, no total and no test for subgroup
# differences, as the protocol's subgroup: timepoint (issue 14); with
# --allow-repeated-studies the total is there, with a warning per study.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
printf 'study,subgroup,yi,vi\nA,1 month,0.1,0.04\nB,1 month,0.3,0.05\nA,3 months,0.2,0.03\nB,3 months,0.5,0.02\nC,3 months,0.4,0.03\n' > tp.csv
run 0 lsr pool --csv tp.csv --measure GIV --subgroup --json --svg forest.svg
jqcheck "$OUT" '[.no_total != null, .pooled, .subgroup_test, (.subgroups | length)]' '[true,null,null,2]'
jqcheck "$OUT" '[.subgroups[] | .k]' '[2,3]'
hasnt "$ERR" "repeated"
has forest.svg "No overall total: the subgroups share studies (time points)"
hasnt forest.svg "Test for subgroup differences"
run 0 lsr pool --csv tp.csv --measure GIV --subgroup
has "$OUT" "No overall total: the subgroups share studies"
hasnt "$OUT" "Total (95% CI)"
# the subtotals are the subgroups pooled on their own
printf 'study,yi,vi\nA,0.2,0.03\nB,0.5,0.02\nC,0.4,0.03\n' > m3.csv
run 0 lsr pool --csv m3.csv --measure GIV --ci z --json
e3=$(jq '.pooled.estimate' "$OUT")
run 0 lsr pool --csv tp.csv --measure GIV --subgroup --json
same "$(jq '.subgroups[1].estimate' "$OUT")" "$e3"

# asked for: the total, with a warning naming each repeated study
run 0 lsr pool --csv tp.csv --measure GIV --subgroup --allow-repeated-studies --json
jqcheck "$OUT" '[.no_total, .heterogeneity.k, (.subgroup_test != null)]' '[null,5,true]'
has "$ERR" "study 'A' has 2 rows, all pooled: its participants count 2 times (repeated studies allowed)"
has "$ERR" "study 'B' has 2 rows, all pooled"

# a study twice in one subgroup is still refused, and without --subgroup
printf 'study,subgroup,yi,vi\nA,1 month,0.1,0.04\nA,1 month,0.3,0.05\nA,3 months,0.2,0.03\nB,3 months,0.2,0.03\n' > twice.csv
run 3 lsr pool --csv twice.csv --measure GIV --subgroup
has "$ERR" "study 'A' has 2 rows in subgroup '1 month'"
run 3 lsr pool --csv tp.csv --measure GIV
has "$ERR" "study 'A' has 2 rows: pooling them would count its participants 2 times"
# --exclude takes every row of a repeated label, and says so
run 0 lsr pool --csv tp.csv --measure GIV --subgroup --exclude A --json
has "$ERR" "excluding 'A' leaves out its 2 rows"
jqcheck "$OUT" '[.subgroups[] | .k]' '[1,2]'
finish
