#!/bin/sh
# lsr grade for non-randomised evidence (issue 15): a large effect rates up
# (+1 beyond 2 or 0.5, +2 beyond 5 or 0.2) only without serious risk of
# bias, shown with its reason; dose-response and plausible confounding are
# the team's ratings up, always with --why; inconsistency tests the
# prediction interval against the protocol's MID as well as the null, and
# imprecision the CI against the MID.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/grade-lib.sh"

cd "$TMP"
grade_review rev "grading non-randomised studies" "Prospective cohort studies" "A 2017" "B 2018" "C 2019" "D 2020" <<'EOF2'
    - {name: bleed, type: dichotomous, better: lower, timepoints: [1 year]}
    - {name: death, type: dichotomous, better: lower, timepoints: [1 year]}
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month]}
analyses:
  defaults: {model: random, tau2: DL, hk: false}
  list:
    - {name: bleed, outcome: bleed, timepoint: 1 year, measure: RR}
    - {name: death, outcome: death, timepoint: 1 year, measure: RR}
    - {name: alb, outcome: ALB, timepoint: 1 month, measure: MD}
summary_of_findings:
  - {outcome: bleed}
  - {outcome: death}
  - {outcome: ALB, mid: 4.5}
EOF2
# bleeding: RR 0.3 in each cohort, 390 events (no imprecision); death: RR
# 0.125, 270 events; albumin: MD 5.85 [4.65, 7.05], prediction interval
# [4.23, 7.47], I2 20%
{
	echo "study,outcome,timepoint,arm,n,events,mean,sd,source"
	for s in "A 2017" "B 2018" "C 2019"; do
		echo "$s,bleed,1 year,intervention,500,30,,,T1"
		echo "$s,bleed,1 year,control,500,100,,,T1"
		echo "$s,death,1 year,intervention,500,10,,,T2"
		echo "$s,death,1 year,control,500,80,,,T2"
	done
	echo "A 2017,ALB,1 month,intervention,60,,35,6,T3"
	echo "A 2017,ALB,1 month,control,60,,30,6,T3"
	echo "B 2018,ALB,1 month,intervention,60,,37,6,T3"
	echo "B 2018,ALB,1 month,control,60,,30,6,T3"
	echo "C 2019,ALB,1 month,intervention,60,,34.6,6,T3"
	echo "C 2019,ALB,1 month,control,60,,30,6,T3"
	echo "D 2020,ALB,1 month,intervention,60,,36.8,6,T3"
	echo "D 2020,ALB,1 month,control,60,,30,6,T3"
} > outcomes.csv
run 0 lsr -C rev extract import outcomes.csv --extractor ann
rob() { # rob STUDY... : these at high risk (open label), the rest low
	echo "study,domain,judgement,quote"
	for s in "A 2017" "B 2018" "C 2019" "D 2020"; do
		for d in random-sequence allocation-concealment blinding-participants blinding-outcome incomplete-data selective-reporting other-bias; do
			j=low
			for h in "$@"; do
				[ "$d" = blinding-participants ] && [ "$s" = "$h" ] && j=high
			done
			echo "$s,$d,$j,"
		done
	done
}
rob > rob.csv
run 0 lsr -C rev rob import rob.csv --assessor ann
run 0 lsr -C rev pool

run 0 lsr -C rev grade --json
cp "$OUT" g.json
# low start; bleeding +1, death +2 (and -1 for its 270 events)
jqcheck g.json '[.outcomes[] | {outcome, start, certainty, up: .domains["large-effect"] | {direction, suggested, rating}}]' \
  '[{"outcome":"bleed","start":2,"certainty":3,"up":{"direction":"up","suggested":1,"rating":1}},{"outcome":"death","start":2,"certainty":3,"up":{"direction":"up","suggested":2,"rating":2}},{"outcome":"ALB","start":2,"certainty":1,"up":{"direction":"up","suggested":0,"rating":0}}]'
jqcheck g.json '.outcomes[0].domains["large-effect"].reason' 'large effect: 0.30 is beyond 0.5, without serious risk of bias'
jqcheck g.json '.outcomes[1].domains["large-effect"].reason' 'very large effect: 0.13 is beyond 0.2, without serious risk of bias'
jqcheck g.json '.outcomes[2].domains["large-effect"].reason' 'not a ratio (RR or OR): no large-effect rule'
# albumin: I2 20%, the CI clear of the MID 4.5, the prediction interval not
jqcheck g.json '.outcomes[2] | [.ci_lb > 4.5, .domains.inconsistency.rating, .domains.imprecision.rating]' '[true,-1,0]'
jqcheck g.json '.outcomes[2].domains.inconsistency.reason' \
  'I² = 20%; the prediction interval crosses the minimal important difference (the decision threshold) while the confidence interval does not'
run 0 lsr -C rev grade
has "$OUT" "  Large effect          +1  suggested by lsr: large effect: 0.30 is beyond 0.5"
has "$OUT" "  Large effect          +2  suggested by lsr: very large effect"
run 0 lsr -C rev grade --csv
same "$(sed -n 2p "$OUT" | cut -d, -f1,12-21)" "bleed,3,Moderate,0,0,0,0,0,1,0,0"

# the report: a rating up suggested by lsr has its footnote like any other
run 0 lsr -C rev report -o out0
tr -d '\n' < out0/index.html | sed 's/.*<h2>Summary of findings<\/h2>//; s/<h2>.*//' > sof0.html
has sof0.html "<td>⊕⊕⊕⊝<br>Moderate<sup>b</sup><sup>c</sup></td><td>Imprecision: &#8722;1<sup>b</sup><br>Large effect: +2<sup>c</sup></td>"
has sof0.html "Large effect: rated up 2 levels as lsr suggests: very large effect: 0.13 is beyond 0.2"

# a MID of 6 puts the CI [4.65, 7.05] across it: imprecision -1, and the
# prediction interval no longer crosses a threshold the CI does not
cp rev/protocol.yaml good.yaml
sed -i 's/mid: 4.5/mid: 6/' rev/protocol.yaml
run 0 lsr -C rev grade --json
jqcheck "$OUT" '.outcomes[2].domains | [.inconsistency.rating, .imprecision.rating, .imprecision.reason]' \
  '[0,-1,"the confidence interval crosses the minimal important difference"]'
cp good.yaml rev/protocol.yaml

# serious risk of bias (A and B, two thirds of the weight): no rating up,
# and the reason says so
rob "A 2017" "B 2018" > rob2.csv
run 0 lsr -C rev rob import rob2.csv --assessor ann
run 0 lsr -C rev grade --json
jqcheck "$OUT" '.outcomes[0] | [.certainty, .domains["risk-of-bias"].rating, .domains["large-effect"].suggested, .domains["large-effect"].reason]' \
  '[1,-1,0,"rated down for risk of bias: GRADE rates up only without serious risk of bias"]'
# the team finds the risk of bias not serious (with a reason): the large
# effect counts again
run 0 lsr -C rev grade set bleed --domain risk-of-bias --rating 0 --why "bleeding is recorded in hospital charts"
run 0 lsr -C rev grade --json
jqcheck "$OUT" '.outcomes[0] | [.certainty, .domains["large-effect"].suggested]' '[3,1]'

# the team's ratings up: within their range, always with a reason
run 0 lsr -C rev grade set bleed --domain large-effect --rating 1
same "$(cat "$OUT")" "recorded large-effect of 'bleed': 1 (lsr suggests 1)"
run 2 lsr -C rev grade set bleed --domain large-effect --rating 2
has "$ERR" "lsr grade: error: lsr suggests 1 for large-effect of 'bleed': overriding it with 2 needs --why TEXT"
run 2 lsr -C rev grade set bleed --domain large-effect --rating -1 --why x
has "$ERR" "lsr grade: error: --rating of large-effect takes 0, 1 or 2 (levels rated up), not -1"
run 2 lsr -C rev grade set bleed --domain dose-response --rating 1
has "$ERR" "lsr grade: error: lsr does not rate dose-response: the team's rating needs --why TEXT"
run 2 lsr -C rev grade set bleed --domain dose-response --rating 2 --why x
has "$ERR" "lsr grade: error: --rating of dose-response takes 0 or 1 (levels rated up), not 2"
run 2 lsr -C rev grade set bleed --domain imprecision --rating 1 --why x
has "$ERR" "lsr grade: error: --rating of imprecision takes 0, -1 or -2 (levels rated down), not 1"
run 0 lsr -C rev grade set bleed --domain dose-response --rating 1 --why "risk falls with the dose in every cohort"
same "$(cat "$OUT")" "recorded dose-response of 'bleed': 1"
run 0 lsr -C rev grade --json
jqcheck "$OUT" '.outcomes[0] | [.certainty, .certainty_word, .domains["dose-response"].rating]' '[4,"High",1]'
same "$(sql rev/review.db "SELECT domain, rating, coalesce(suggested, 'null') FROM grade_ratings WHERE domain IN ('large-effect', 'dose-response') ORDER BY id")" \
"large-effect|1|1
dose-response|1|null"
# ratings up stay rated up in the table (append-only as before)
if sqlite3 rev/review.db "UPDATE grade_ratings SET rating = 2" 2>/dev/null; then fail "grade_ratings let a row be changed"; fi

# the report: each rating up with its footnote
run 0 lsr -C rev report -o out
tr -d '\n' < out/index.html | sed 's/.*<h2>Summary of findings<\/h2>//; s/<h2>.*//' > sof.html
has sof.html "Large effect: +1<sup>"
has sof.html "Dose-response: +1<sup>"
has sof.html "Large effect: rated up 1 level by the review team: as lsr suggests"
has sof.html "Dose-response: rated up 1 level by the review team: risk falls with the dose in every cohort."
hasnt sof.html "+-"
# the legend says certainty is rated down and, for non-randomised evidence, up
has out/index.html "up for a large effect, a dose-response gradient or plausible confounding"
finish
