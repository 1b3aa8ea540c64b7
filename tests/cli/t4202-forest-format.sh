#!/bin/sh
# The forest plot's numbers and marks as RevMan shows them (issue 15):
# effects and CIs to 2 decimals or 3 significant digits below 0.1, mean
# and SD columns with the same decimals on every row, arrow heads where a
# CI runs past the axis, the participants total as pool's text line says,
# and the title from the protocol's analysis label (escaped), the same
# bytes on a rerun.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
# small differences; Gamma's CI (+-8) runs past the widest axis (+-5)
cat > small.csv <<'EOF'
study,mean1,sd1,n1,mean2,sd2,n2
Alpha 2001,0.0623,0.02,40,0.05,0.02,40
Beta 2002,0.071,0.025,30,0.06,0.025,30
Gamma 2003,0.1,5,3,0.05,5,3
EOF
run 0 lsr pool --csv small.csv --measure MD --model fixed --svg f.svg
run 0 xmllint --noout f.svg
# 3 significant digits below 0.1, 2 decimals otherwise
has f.svg ">0.0123 [0.00353, 0.0211]<"
has f.svg ">0.011 [-0.00165, 0.0237]<"
has f.svg ">0.05 [-7.95, 8.05]<"
has f.svg ">0.0119 [0.00467, 0.0191]<"
# each mean and SD column with the decimals its values need (at most 3)
has f.svg ">0.100<"
has f.svg ">5.000<"
has f.svg ">0.020<"
hasnt f.svg ">0.0623<"
has f.svg ">0.05<"
# Gamma's CI ends in an arrow at both ends of the axis, the others in none
same "$(grep -c 'class="arrow"' f.svg)" "2"
same "$(grep -o '>-5<\|>5<' f.svg | tr -d '<>' | tr '\n' ' ')" "-5 5 "
# on a log scale: with ten studies near 1, the eleventh's wide CI may leave
# the axis (RevMan cuts a tenth at most) and ends in arrows
echo "study,events1,n1,events2,n2" > wide.csv
for i in 0 1 2 3 4 5 6 7 8 9; do
	echo "Trial $i,$((40 + i)),100,$((42 - i)),100" >> wide.csv
done
echo "Tiny 2020,1,3,0,3" >> wide.csv
run 0 lsr pool --csv wide.csv --measure OR --model fixed --svg w.svg
same "$(grep -c 'class="arrow"' w.svg)" "2"
has w.svg ">Tiny 2020<"
# a pooled CI past the widest ratio axis (1000): the diamond ends in an
# arrow beyond its clipped tip, as the study's CI does
printf 'study,events1,n1,events2,n2\nSolo 2021,3,3,0,3\n' > solo.csv
run 0 lsr pool --csv solo.csv --measure OR --model fixed --svg s.svg
has "$OUT" "49.00 [0.74, 3236.99]"
same "$(grep -c 'class="arrow"' s.svg)" "2"
same "$(grep -c '^<polygon points=' s.svg)" "1"
# a study not estimable (no events in either arm) counts in the totals as
# in the table (RevMan); one left out does not
: "${LSR_SRC:?LSR_SRC must point at the source tree}"
run 0 lsr pool --csv "$LSR_SRC/tests/data/pool/zero.csv" --measure RR --model fixed --svg z.svg
has "$OUT" "Total (95% CI)                  230               226"
same "$(grep -A8 '>Total (95% CI)<' z.svg | grep -o '>2[0-9][0-9]<' | tr -d '<>' | tr '\n' ' ')" "230 226 "
run 0 lsr pool --csv "$LSR_SRC/tests/data/pool/zero.csv" --measure RR --model fixed --exclude "Kimani 2013" --svg z2.svg
has "$OUT" "Total (95% CI)                  150               147"
same "$(grep -A8 '>Total (95% CI)<' z2.svg | grep -o '>[12][0-9][0-9]<' | tr -d '<>' | tr '\n' ' ')" "150 147 "
run 0 lsr pool --csv small.csv --measure MD --model fixed --svg f2.svg
run 0 cmp f.svg f2.svg

# a review: the title from the analysis label, escaped; the total row's
# participants equal the text line's
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: forest format test
sources:
  - name: PubMed
screening:
  reasons:
    - {code: off-topic}
extraction:
  extractors: 1
  allow_single_extractor: true
  outcomes:
    - {name: ALB, type: continuous, label: Serum albumin, unit: g/L, better: higher, timepoints: [1 month]}
analyses:
  defaults: {model: fixed}
  list:
    - {name: alb-1m, outcome: ALB, timepoint: 1 month, measure: MD, label: "Albumin <1 month> & after"}
    - {name: alb-plain, outcome: ALB, timepoint: 1 month, measure: MD}
EOF
for s in "A 2017" "B 2018"; do
	sqlite3 rev/review.db "INSERT INTO studies(label, created_at, actor) VALUES('$s', '2023-11-14T22:13:20Z', 'tester')"
done
cat > outcomes.csv <<'EOF'
study,outcome,timepoint,arm,n,mean,sd,source
A 2017,ALB,1 month,intervention,20,33.1,3.9,T2
A 2017,ALB,1 month,control,20,30.25,4,T2
B 2018,ALB,1 month,intervention,32,33.5,3.6,T2
B 2018,ALB,1 month,control,15,30.3,2.2,T2
EOF
run 0 lsr -C rev extract import outcomes.csv --extractor ann
run 0 lsr -C rev pool
has "$OUT" "k = 2 (studies), 87 participants"
F=rev/figures/forest-alb-1m.svg
run 0 xmllint --noout "$F"
has "$F" ">Albumin &lt;1 month&gt; &amp; after<"
hasnt "$F" "alb-1m"
# the analysis without a label: the outcome's label and time point
has rev/figures/forest-alb-plain.svg ">Serum albumin at 1 month<"
hasnt rev/figures/forest-alb-plain.svg "alb-plain"
# totals 52 and 35: 87 as the text line
has "$F" ">52<"
has "$F" ">35<"
# a mean column with 2 decimals where one value needs them
has "$F" ">30.25<"
has "$F" ">30.30<"
has "$F" ">4.0<"
cp "$F" first.svg
run 0 lsr -C rev pool --analysis alb-1m --update 0 --figures again
run 0 cmp first.svg again/forest-alb-1m.svg
finish
