#!/bin/sh
# lsr pool: the RevMan-like table, the JSON shape and options (defaults,
# preset, automatic model choice with its warning, exclusions, a single
# study, escalc column names), and forest and funnel plots that are valid
# SVG, escape their text and render.
. "$(dirname "$0")/lib.sh"
need_shared
REF=$LSR_SHARED/reference/meta
cd "$TMP"

# RevMan 5.4's own numbers for the aspirin data (Fleiss 1993), as it prints them
run 0 lsr pool --csv "$REF/revman_fleiss1993_aspirin.csv" --measure OR --preset revman5 --model fixed
has "$OUT" "Odds Ratio (M-H, Fixed, 95% CI); RevMan 5 conventions"
has "$OUT" "MRC-1                    49     615        67     624    3.2%   0.72 [0.49, 1.06]"
has "$OUT" "Total (95% CI)                14186             13817  100.0%   0.90 [0.84, 0.96]"
has "$OUT" "Total events           2128              2286"
has "$OUT" "Heterogeneity: Chi² = 9.95, df = 6 (P = 0.13); I² = 40%"
has "$OUT" "Test for overall effect: Z = 3.29 (P = 0.001)"
same "$(cat "$ERR")" ""

# defaults: random effects, REML, Hartung-Knapp with the ad hoc correction, prediction interval
run 0 lsr pool --csv "$REF/cont_normand1999.csv" --measure MD --json
jqcheck "$OUT" '{schema_version, model, tau2_method, ci_method, warnings}' \
  '{"schema_version":1,"model":"random","tau2_method":"REML","ci_method":"adhoc","warnings":[]}'
jqcheck "$OUT" .pooled.df_t 8
jqcheck "$OUT" '.pooled.pi_lb | type' number
jqcheck "$OUT" '.heterogeneity.tau2_ci_qprofile | map(type)' '["number","number"]'
run 0 lsr pool --csv "$REF/cont_normand1999.csv" --measure MD
has "$OUT" "Mean Difference (IV, Random, 95% CI), tau² by REML, Hartung-Knapp (ad hoc); RevMan 5 conventions"
has "$OUT" "Test for overall effect: t = "
has "$OUT" "Prediction interval: ["
# the preset is RevMan 5.4; explicit options still win
run 0 lsr pool --csv "$REF/cont_normand1999.csv" --measure MD --preset revman5 --json
jqcheck "$OUT" '{tau2_method, ci_method}' '{"tau2_method":"DL","ci_method":"z"}'
run 0 lsr pool --csv "$REF/cont_normand1999.csv" --measure MD --preset revman5 --hk --json
jqcheck "$OUT" .ci_method knha
# the reference files' spellings are accepted
run 0 lsr pool --csv "$REF/bin_bcg.csv" --measure OR --method MH --tau2 "DL(Q from MH)" --no-hk --json
jqcheck "$OUT" .tau2_method DL
run 0 lsr pool --csv "$REF/cont_normand1999.csv" --measure MD --convention both --model mixed --json
jqcheck "$OUT" .convention revman5

# the seed's rule: random when P(heterogeneity) < 0.05, with a warning
run 0 lsr pool --csv "$REF/cont_normand1999.csv" --measure MD --model auto --json
jqcheck "$OUT" .model random
jqcheck "$OUT" '.model_chosen_by | type' object
has "$ERR" "lsr pool: warning: the model was chosen by the heterogeneity test (P < 0.05: random effect); the Cochrane Handbook (section 10.10.4.1) advises against choosing the model this way"
run 0 lsr pool --csv "$REF/revman_fleiss1993_mental.csv" --measure MD --model auto
has "$OUT" "Mean Difference (IV, Fixed, 95% CI)"
has "$ERR" "(P >= 0.05: fixed effect)"

# sensitivity: named studies left out, still listed
run 0 lsr pool --csv "$REF/revman_fleiss1993_mental.csv" --measure MD --exclude Florell --exclude Hart --json
jqcheck "$OUT" '.studies | map(select(.excluded == "left out by --exclude") | .study)' '["Florell","Hart"]'
jqcheck "$OUT" .heterogeneity.k 3
run 0 lsr pool --csv "$REF/revman_fleiss1993_mental.csv" --measure MD --exclude Florell
has "$OUT" "(excluded)"

# not estimable studies are shown, never dropped
run 0 lsr pool --csv "$REF/bin_zero_nielweise2007.csv" --measure OR --preset revman5 --model fixed
has "$OUT" "Yucel 2004                 0     118         0     105           Not estimable"
run 0 lsr pool --csv "$REF/bin_zero_nielweise2007.csv" --measure OR --preset revman5 --model fixed --json
jqcheck "$OUT" '.studies | map(select(.not_estimable_reason) | [.study, .not_estimable_reason])' \
  '[["Yucel 2004","no events in either arm"]]'
printf 'study,mean1,sd1,n1,mean2,sd2,n2\nA,5,4.7,13,6.5,3.8,13\nB,,1.71,30,6.1,2.3,50\nC,4,2,20,5,2,21\n' > missing.csv
run 0 lsr pool --csv missing.csv --measure MD --json
jqcheck "$OUT" '.studies | map(select(.not_estimable_reason) | [.study, .not_estimable_reason])' '[["B","missing data"]]'
jqcheck "$OUT" .heterogeneity.k 2

# a single study is an analysis: its own estimate, no heterogeneity
printf 'study,yi,sei\nOnly 2020,0.3,0.1\n' > one.csv
run 0 lsr pool --csv one.csv --measure GIV
has "$OUT" "Only 2020                 0.30       0.10  100.0%   1.35 [1.11, 1.64]"
has "$OUT" "Heterogeneity: Not applicable"
has "$ERR" "lsr pool: warning: a single study: its own estimate, no heterogeneity"
# extras that need more studies say so
run 0 lsr pool --csv one.csv --measure GIV --egger --trimfill --leave-one-out --json
jqcheck "$OUT" '[has("egger", "trimfill", "leave_one_out"), .egger, .trimfill, .leave_one_out]' \
  '[true,true,true,null,null,null]'
has "$ERR" "lsr pool: warning: Egger's test needs at least 3 studies; skipped"

# metafor's escalc column names; generic data on either scale
printf 'study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,5,4.7,13,6.5,3.8,13\nB,4.9,1.71,30,6.1,2.3,50\n' > escalc.csv
run 0 lsr pool --csv escalc.csv --measure SMD --convention metafor --json
jqcheck "$OUT" '.studies | map(.J | type)' '["number","number"]'
printf 'study,yi,vi\nA,0.5,0.04\nB,0.1,0.09\nC,0.3,0.0625\n' > giv.csv
run 0 lsr pool --csv giv.csv --measure GIV --json
jqcheck "$OUT" '.pooled.exp_estimate | type' number
run 0 lsr pool --csv giv.csv --measure GIV --scale identity --json
jqcheck "$OUT" '[.. | objects | select(has("exp_estimate"))] | length' 0

# figures: valid SVG with escaped text, rendered when rsvg-convert is there
printf 'study,subgroup,events1,n1,events2,n2\nA & B <1>,x "q",4,123,11,139\nC,x "q",6,306,29,303\nD,y,3,231,11,220\nE,y,62,13598,248,12867\n' > amp.csv
run 0 lsr pool --csv amp.csv --measure RR --subgroup --svg forest.svg --funnel funnel.svg --title "BCG & TB"
has forest.svg "A &amp; B &lt;1&gt;"
has forest.svg "x &quot;q&quot;"
has forest.svg "BCG &amp; TB"
has forest.svg "Subtotal (95% CI)"
has forest.svg "Test for subgroup differences: Chi² = "
has forest.svg "Favours [experimental]"
has funnel.svg "SE(log[RR])"
run 0 xmllint --noout forest.svg
run 0 xmllint --noout funnel.svg
run 0 lsr pool --csv "$REF/giv_hackshaw1998.csv" --measure GIV --trimfill --svg f2.svg --funnel fu2.svg \
	--favours-left "Favours smoking" --favours-right "Favours none" --label-e Exposed --label-c Unexposed
has f2.svg "Favours smoking"
has fu2.svg "filled by trim-and-fill"
run 0 xmllint --noout f2.svg
# extreme values (found by fuzzing: a long effect text overflowed a buffer)
# (counts are whole numbers since issue 14; huge ones still make long texts)
printf 'study,events1,n1,events2,n2\nS0,7,7,0,7\nS1,1,3,1,3\nS2,1,5,1,40000000000\nS3,1,7,0,7000000000000\n' > extreme.csv
run 0 lsr pool --csv extreme.csv --measure OR --convention metafor --exclude S1 --svg extreme.svg
has "$OUT" "S2                        1       5         1   4e+10   33.5%   1e+10 [5.29e+08, 1.89e+11]"
has "$OUT" "Prediction interval: [2.1e-18, 1.97e+34]"
run 0 xmllint --noout extreme.svg
if command -v rsvg-convert >/dev/null 2>&1; then
	for f in forest funnel f2 fu2; do
		run 0 rsvg-convert -o "$f.png" "$f.svg"
		[ -s "$f.png" ] || fail "$f.png is empty"
	done
else
	echo "note: rsvg-convert not installed; rendering not checked" >&2
fi
finish
