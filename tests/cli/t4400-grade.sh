#!/bin/sh
# lsr grade: the summary-of-findings outcomes graded from the stored
# analyses (certainty, the suggested ratings with their reasons, absolute
# effects from the median control risk), --json and --csv, the team's
# ratings with lsr grade set (an override needs --why, audit-logged), the
# report's "Summary of findings" (escaped, byte-identical on rebuild), and
# the protocol's refusals.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: grading test
picos:
  study_design: Randomised controlled trials
sources:
  - name: PubMed
screening:
  reasons:
    - {code: off-topic}
extraction:
  extractors: 1
  allow_single_extractor: true
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month, 3 months]}
    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days]}
analyses:
  defaults: {model: random, tau2: DL, hk: false}
  list:
    - {name: alb-by-time, outcome: ALB, measure: MD, subgroup: timepoint}
    - {name: fever, outcome: fever, timepoint: 30 days, measure: RR}
summary_of_findings:
  - {outcome: fever, label: Fever <30 days & after, mid: 1.25}
  - {outcome: ALB}
EOF
for s in "A 2017" "B 2018" "C 2019"; do
	sqlite3 rev/review.db "INSERT INTO studies(label, created_at, actor) VALUES('$s', '2023-11-14T22:13:20Z', 'tester')"
done
# control risks 20/50 = 0.4, 15/40 = 0.375, 12/30 = 0.4: the median is 0.4;
# 10 + 20 + 8 + 15 + 6 + 12 = 71 events, fewer than 300
cat > outcomes.csv <<'EOF'
study,outcome,timepoint,arm,n,events,mean,sd,source
A 2017,fever,30 days,intervention,50,10,,,T1
A 2017,fever,30 days,control,50,20,,,T1
B 2018,fever,30 days,intervention,40,8,,,T1
B 2018,fever,30 days,control,40,15,,,T1
C 2019,fever,30 days,intervention,30,6,,,T1
C 2019,fever,30 days,control,30,12,,,T1
A 2017,ALB,1 month,intervention,20,,33.1,3.9,T2
A 2017,ALB,1 month,control,20,,30.2,4.2,T2
A 2017,ALB,3 months,intervention,20,,34.0,4.0,T2
A 2017,ALB,3 months,control,20,,30.0,4.1,T2
EOF
run 0 lsr -C rev extract import outcomes.csv --extractor ann
# A and B open label (high risk), C low in every domain
{
	echo "study,domain,judgement,quote"
	for s in "A 2017" "B 2018" "C 2019"; do
		for d in random-sequence allocation-concealment blinding-participants blinding-outcome incomplete-data selective-reporting other-bias; do
			j=low
			[ "$d" = blinding-participants ] && [ "$s" != "C 2019" ] && j=high
			echo "$s,$d,$j,"
		done
	done
} > rob.csv
run 0 lsr -C rev rob import rob.csv --assessor ann

# nothing pooled yet: said, not an error
run 0 lsr -C rev grade
has "$OUT" "not graded: the analysis is not stored for this update (run 'lsr pool')"
run 0 lsr -C rev pool
run 0 lsr -C rev grade --json
cp "$OUT" g.json
jqcheck g.json '.outcomes[1] | {outcome, analysis, status, certainty}' \
  '{"outcome":"ALB","analysis":"alb-by-time","status":"no-total","certainty":null}'
jqcheck g.json '.outcomes[0].label' 'Fever <30 days & after'
jqcheck g.json '.outcomes[0] | {status, measure, k, participants, events, start, certainty, certainty_word}' \
  '{"status":"graded","measure":"RR","k":3,"participants":240,"events":71,"start":4,"certainty":2,"certainty_word":"Low"}'
jqcheck g.json '.outcomes[0].domains | map_values(.rating)' \
  '{"risk-of-bias":-1,"inconsistency":0,"indirectness":0,"imprecision":-1,"publication-bias":0,"large-effect":0,"dose-response":0,"plausible-confounding":0}'
jqcheck g.json '.outcomes[0].domains | map_values(.suggested)' \
  '{"risk-of-bias":-1,"inconsistency":0,"indirectness":null,"imprecision":-1,"publication-bias":null,"large-effect":0,"dose-response":null,"plausible-confounding":null}'
# the weight of A and B (open label) is above half; the CI is clear of the
# null and of the MID (RR 0.8), so imprecision is the information size only
jqcheck g.json '.outcomes[0] | (.high_risk_weight_pct > 50 and .ci_ub < 0.8)' 'true'
has "$OUT" "71 events, fewer than the 300 of the optimal information size rule of thumb"
# the absolute effects: 400 per 1,000 with control, 400 x RR with the intervention
jqcheck g.json '.outcomes[0].absolute | {assumed_per_1000, source}' \
  '{"assumed_per_1000":400,"source":"median control risk"}'
jqcheck g.json '.outcomes[0] | [(.absolute.corresponding_per_1000 - 400 * .estimate), (.absolute.ci_lb - 400 * .ci_lb), (.absolute.ci_ub - 400 * .ci_ub)] | map(fabs < 1e-9) | all' 'true'

run 0 lsr -C rev grade
has "$OUT" "  certainty: ⊕⊕⊝⊝ Low (starts High: randomised trials)"
has "$OUT" "  Risk of bias          -1  suggested by lsr: "
# randomised trials are not rated up, and the table says why
has "$OUT" "  Large effect           0  suggested by lsr: randomised trials: GRADE rates up non-randomised evidence only"
has "$OUT" "  absolute: 400 per 1,000 (median control risk) -> "
run 0 lsr -C rev grade --csv
same "$(head -1 "$OUT")" "outcome,label,analysis,status,measure,k,participants,events,estimate,ci_lb,ci_ub,certainty,certainty_word,risk_of_bias,inconsistency,indirectness,imprecision,publication_bias,large_effect,dose_response,plausible_confounding,assumed_per_1000,corresponding_per_1000,corresponding_ci_lb,corresponding_ci_ub"
same "$(sed -n 2p "$OUT" | cut -d, -f1-8,12-22)" "fever,Fever <30 days & after,fever,graded,RR,3,240,71,2,Low,-1,0,0,-1,0,0,0,0,400"
same "$(sed -n 3p "$OUT")" "ALB,ALB,alb-by-time,no-total,MD,,,,,,,,,,,,,,,,,,,,"

# the team's ratings: confirming a suggestion needs no reason, overriding
# one does, and so does every rating of a domain lsr does not rate
run 0 lsr -C rev grade set fever --domain imprecision --rating -1
same "$(cat "$OUT")" "recorded imprecision of 'fever': -1 (lsr suggests -1)"
run 2 lsr -C rev grade set fever --domain risk-of-bias --rating 0
has "$ERR" "lsr grade: error: lsr suggests -1 for risk-of-bias of 'fever': overriding it with 0 needs --why TEXT"
run 2 lsr -C rev grade set fever --domain indirectness --rating -1
has "$ERR" "lsr grade: error: lsr does not rate indirectness: the team's rating needs --why TEXT"
run 0 lsr -C rev grade set fever --domain indirectness --rating -1 --why "adults with <b>decompensated</b> cirrhosis only"
run 0 lsr -C rev grade set fever --domain risk-of-bias --rating 0 --why "fever is measured objectively & open label matters little"
run 2 lsr -C rev grade set fever --domain imprecision --rating -3 --why x
has "$ERR" "lsr grade: error: --rating of imprecision takes 0, -1 or -2 (levels rated down), not -3"
run 2 lsr -C rev grade set fever --domain blinding --rating 0 --why x
has "$ERR" "unknown domain 'blinding'"
run 1 lsr -C rev grade set MELD --domain imprecision --rating 0 --why x
same "$(cat "$ERR")" "lsr grade: error: no outcome 'MELD' in the protocol's summary_of_findings"
same "$(sql rev/review.db "SELECT domain, rating, coalesce(suggested, 'null'), why IS NOT NULL FROM grade_ratings ORDER BY id")" \
"imprecision|-1|-1|0
indirectness|-1|null|1
risk-of-bias|0|-1|1"
same "$(sql rev/review.db "SELECT count(*) FROM audit WHERE action = 'grade-set' AND object = 'fever'")" "3"
# a row not graded yet has no suggestion: every rating needs a reason
run 2 lsr -C rev grade set ALB --domain imprecision --rating -1
has "$ERR" "lsr grade: error: 'ALB' is not graded yet (see 'lsr grade'): with no suggestion, a rating needs --why TEXT"
run 0 lsr -C rev grade set ALB --domain imprecision --rating -1 --why "one small trial"
same "$(cat "$OUT")" "recorded imprecision of 'ALB': -1"
same "$(sql rev/review.db "SELECT coalesce(suggested, 'null') FROM grade_ratings WHERE outcome = 'ALB'")" "null"
# append-only: the latest rating of a domain is the one in force
if sqlite3 rev/review.db "DELETE FROM grade_ratings" 2>/dev/null; then fail "grade_ratings let a row be deleted"; fi
run 0 lsr -C rev grade --json
jqcheck "$OUT" '.outcomes[0] | {certainty, rob: .domains["risk-of-bias"] | {suggested, rating, rated, why}}' \
  '{"certainty":2,"rob":{"suggested":-1,"rating":0,"rated":true,"why":"fever is measured objectively & open label matters little"}}'

# the report: the table, footnotes for each rating down and the override
run 0 lsr -C rev report -o out1
tr -d '\n' < out1/index.html | sed 's/.*<h2>Summary of findings<\/h2>//; s/<h2>.*//' > sof.html
has sof.html "<td>Fever &lt;30 days &amp; after</td><td class=\"n\">400 per 1,000</td>"
has sof.html "<td class=\"n\">240 (3 studies)</td><td>⊕⊕⊝⊝<br>Low<sup>a</sup><sup>b</sup><sup>c</sup></td>"
has sof.html "<td>Risk of bias: 0<sup>a</sup><br>Indirectness: &#8722;1<sup>b</sup><br>Imprecision: &#8722;1<sup>c</sup></td>"
has sof.html "<sup>a</sup> Fever &lt;30 days &amp; after, Risk of bias: not rated down by the review team: fever is measured objectively &amp; open label matters little (lsr suggests -1: "
has sof.html "<sup>b</sup> Fever &lt;30 days &amp; after, Indirectness: rated down 1 level by the review team: adults with &lt;b&gt;decompensated&lt;/b&gt; cirrhosis only."
has sof.html "<td>ALB</td><td colspan=\"6\">not graded: the analysis has subtotals only</td>"
run 0 lsr -C rev report -o out2
cmp -s out1/index.html out2/index.html || fail "the report differs on rebuild"

# the protocol's refusals
cp rev/protocol.yaml good.yaml
sed -i 's/- {outcome: ALB}/- {outcome: MELD}/' rev/protocol.yaml
run 3 lsr -C rev grade
has "$ERR" "summary_of_findings[2]: outcome 'MELD' is not declared in extraction.outcomes"
cp good.yaml rev/protocol.yaml
sed -i 's/- {outcome: ALB}/- {outcome: ALB, analysis: fever}/' rev/protocol.yaml
run 3 lsr -C rev grade
has "$ERR" "summary_of_findings[2]: analysis 'fever' is of outcome 'fever', not 'ALB'"
cp good.yaml rev/protocol.yaml
sed -i 's/mid: 1.25/mid: -1/' rev/protocol.yaml
run 3 lsr -C rev grade
has "$ERR" "summary_of_findings[1]: mid: expected a number above 0, not '-1'"
cp good.yaml rev/protocol.yaml
sed -i 's/mid: 1.25/mid: 1.25, assumed_risk: 1000/' rev/protocol.yaml
run 3 lsr -C rev grade
has "$ERR" "assumed_risk: expected median or a risk per 1,000 between 0 and 1000, not '1000'"
# a risk from the protocol replaces the median
cp good.yaml rev/protocol.yaml
sed -i 's/mid: 1.25/mid: 1.25, assumed_risk: 250/' rev/protocol.yaml
run 0 lsr -C rev grade --json
jqcheck "$OUT" '.outcomes[0] | [.absolute.assumed_per_1000, .absolute.source, ((.absolute.corresponding_per_1000 - 250 * .estimate) | fabs < 1e-9)]' \
  '[250,"protocol",true]'
finish
