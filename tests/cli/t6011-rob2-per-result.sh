#!/bin/sh
# RoB 2 per result (issue 15): a sheet with the outcome column, per-result
# consensus, an old sheet without it still imported as study-level
# judgements (the fallback of every result), the traffic light per outcome,
# the risk-of-bias columns of protocol forest plots, and
# sensitivity: exclude_high_risk equal to lsr pool --csv on the reduced data.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rob_lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: per-result risk of bias
sources:
  - name: PubMed
screening:
  reasons:
    - {code: off-topic}
extraction:
  extractors: 1
  allow_single_extractor: true
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month]}
    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days]}
  risk_of_bias: rob2
analyses:
  defaults: {model: random, tau2: DL, hk: false}
  list:
    - {name: alb-1m, outcome: ALB, timepoint: 1 month, measure: MD, sensitivity: exclude_high_risk}
    - {name: alb-sc, outcome: ALB, timepoint: 1 month, measure: MD, sensitivity: exclude_some_concerns}
EOF
for s in "A 2017" "B 2018" "C 2019"; do
	sqlite3 rev/review.db "INSERT INTO studies(label, created_at, actor) VALUES('$s', '2023-11-14T22:13:20Z', 'tester')"
done
cat > outcomes.csv <<'EOF'
study,outcome,timepoint,arm,n,mean,sd,source
A 2017,ALB,1 month,intervention,20,33.1,3.9,T2
A 2017,ALB,1 month,control,20,30.2,4.2,T2
B 2018,ALB,1 month,intervention,32,35.5,3.6,T2
B 2018,ALB,1 month,control,15,30.3,2.2,T2
C 2019,ALB,1 month,intervention,50,31.0,4.4,T2
C 2019,ALB,1 month,control,53,30.4,4.1,T2
EOF
run 0 lsr -C rev extract import outcomes.csv --extractor ann

# block STUDY OUTCOME D1: the rows of one result, every domain low but
# the randomization domain (low, some or high); OUTCOME "-" writes the old
# sheet without the outcome column
block() {
	pre="$1,$2,"
	[ "$2" = - ] && pre="$1,"
	rob2_block "$pre" "$3"
}

# the sheet has the outcome column; --outcome writes the blocks of its results
run 0 lsr -C rev rob sheet -o sheet.csv
same "$(head -1 sheet.csv)" "study,outcome,domain,question,text,answer,quote,judgement,justification"
has sheet.csv 'A 2017,,overall,judgement,'
run 0 lsr -C rev rob sheet --outcome ALB --study "B 2018" -o sheet.csv
# the header, 22 questions, 5 domain judgements and the overall
same "$(wc -l < sheet.csv)" "29"
has sheet.csv 'B 2018,ALB,selection,5.3,'
run 1 lsr -C rev rob sheet --outcome nothing
same "$ERR" "lsr rob: error: no outcome 'nothing' in protocol.yaml's extraction.outcomes"

# an old sheet (no outcome column): study-level judgements
{ echo "study,domain,question,answer,quote,judgement,justification"
  block "A 2017" - low; block "B 2018" - low; block "C 2019" - high; } > old.csv
run 0 lsr -C rev rob import old.csv --assessor ann
same "$OUT" "imported RoB 2 sheet 'old.csv' assessed by ann: 84 rows, 84 values, 3 studies"
same "$(sql rev/review.db "SELECT DISTINCT outcome || '|' || timepoint FROM rob_values")" "|"

# per result: ann and bob judge ALB of B and C
{ echo "study,outcome,domain,question,answer,quote,judgement,justification"
  block "B 2018" ALB some; block "C 2019" ALB low; } > ann.csv
{ echo "study,outcome,domain,question,answer,quote,judgement,justification"
  block "B 2018" ALB high; block "C 2019" ALB low; } > bob.csv
run 0 lsr -C rev rob import ann.csv --assessor ann
run 0 lsr -C rev rob import bob.csv --assessor bob
same "$(sql rev/review.db "SELECT count(*) FROM rob_values WHERE outcome = 'ALB' AND domain = 'overall' AND question = 'judgement'")" "4"
run 0 lsr -C rev rob compare
has "$OUT" "B 2018 [ALB]	randomization: ann 'some concerns' (1.1=Y 1.2=NI 1.3=N), bob 'high' (1.1=Y 1.2=N 1.3=N)"
has "$OUT" "B 2018 [ALB]	overall: ann 'some concerns', bob 'high'"
hasnt "$OUT" "C 2019 [ALB]"
hasnt "$OUT" "B 2018	"
same "$(tail -1 "$OUT")" "2 judgements open"
run 0 lsr -C rev rob compare --all --json
jqcheck "$OUT" 'select(.study == "C 2019" and .outcome == "ALB" and .domain == "overall") | .final' 'low'
jqcheck "$OUT" 'select(.study == "C 2019" and (has("outcome") | not) and .domain == "overall") | .final' 'high'

# per-result consensus
run 0 lsr -C rev rob resolve --study "B 2018" --outcome ALB --domain randomization --judgement high --reason "no concealment"
same "$OUT" "recorded the consensus for study 'B 2018', domain 'randomization': high"
run 0 lsr -C rev rob resolve --study "B 2018" --outcome ALB --domain overall --judgement high --reason "follows D1"
same "$(sql rev/review.db "SELECT outcome, domain, judgement FROM rob_consensus ORDER BY id")" "ALB|randomization|high
ALB|overall|high"
run 0 lsr -C rev rob compare
same "$OUT" "0 judgements open"
run 2 lsr -C rev rob resolve --study "B 2018" --outcome ALB --timepoint "1 month" --domain overall --judgement high --reason x
has "$ERR" "lsr rob: error: RoB 2 is judged per time point only with extraction.rob2_per_timepoint: true"

# a timepoint column needs rob2_per_timepoint
sed '1s/^study,outcome,/study,outcome,timepoint,/; 2,$s/^\([^,]*\),ALB,/\1,ALB,1 month,/' ann.csv > tp.csv
before=$(sql rev/review.db "SELECT count(*) FROM rob_values")
run 3 lsr -C rev rob import tp.csv --assessor cy
same "$ERR" "lsr rob: error: tp.csv:1: column 'timepoint': RoB 2 is judged per time point only with extraction.rob2_per_timepoint: true in protocol.yaml"
sed 's/^\(B 2018\),ALB,/\1,nothing,/' ann.csv > bad.csv
run 3 lsr -C rev rob import bad.csv --assessor cy
same "$ERR" "lsr rob: error: bad.csv:2: column 'outcome': no outcome 'nothing' in protocol.yaml's extraction.outcomes"
same "$(sql rev/review.db "SELECT count(*) FROM rob_values")" "$before"

# the figures per outcome: ALB's results, else the study's judgements
run 0 lsr -C rev rob plot --traffic-light alb.svg --outcome ALB
run 0 lsr -C rev rob plot --traffic-light study.svg
run 0 xmllint --noout alb.svg study.svg
has alb.svg "<title>Risk of bias (RoB 2): traffic-light plot: ALB</title>"
hasnt study.svg "traffic-light plot: "
has alb.svg "<title>C 2019, Overall: Low risk of bias</title>"
has alb.svg "<title>B 2018, Overall: High risk of bias</title>"
has alb.svg "<title>A 2017, Overall: Low risk of bias</title>"
has study.svg "<title>C 2019, Overall: High risk of bias</title>"
has study.svg "<title>B 2018, Overall: Low risk of bias</title>"
run 0 lsr -C rev rob plot --traffic-light f.svg --outcome fever
has f.svg "<title>C 2019, Overall: High risk of bias</title>"

# the pooled analyses: B 2018 (high risk for ALB) left out in the sensitivity analysis
run 0 lsr -C rev pool
has "$OUT" "  sensitivity analysis (exclude_high_risk): without B 2018 (high risk of bias): k = 2, MD "
has "$OUT" "  sensitivity analysis (exclude_some_concerns): without B 2018 (some concerns or high risk of bias): k = 2, MD "
printf 'study,mean1,sd1,n1,mean2,sd2,n2\nA 2017,33.1,3.9,20,30.2,4.2,20\nC 2019,31.0,4.4,50,30.4,4.1,53\n' > reduced.csv
run 0 lsr pool --csv reduced.csv --measure MD --model random --tau2 DL --no-hk --json
calc=$(jq -c '[.pooled.estimate, .pooled.ci_lb, .pooled.ci_ub, .heterogeneity.k]' "$OUT")
[ -n "$calc" ] || fail "no estimate from the calculator"
run 0 lsr -C rev pool --analysis alb-1m --json
same "$(jq -c '.[0].sensitivity.result | [.pooled.estimate, .pooled.ci_lb, .pooled.ci_ub, .heterogeneity.k]' "$OUT")" "$calc"
jqcheck "$OUT" '.[0].sensitivity.excluded' '["B 2018"]'
# stored beside the main result
same "$(sql rev/review.db "SELECT json_extract(result, '$.sensitivity.heterogeneity.k'), json_extract(result, '$.heterogeneity.k') FROM pool_results WHERE analysis = 'alb-1m'")" "2|3"

# the forest plot: one dot per domain and the overall, the legend
f=rev/figures/forest-alb-1m.svg
run 0 xmllint --noout "$f"
has "$f" ">Risk of Bias</text>"
has "$f" ">Overall</text>"
has "$f" "<g><title>B 2018, Overall risk of bias: High risk of bias</title><circle"
grep 'B 2018, Overall risk of bias' "$f" | grep -q 'fill="#BF0000"' || fail "B 2018's overall dot is not red"
grep 'C 2019, Overall risk of bias' "$f" | grep -q 'fill="#02C100"' || fail "C 2019's overall dot is not green"
grep 'B 2018, Bias arising from the randomization process' "$f" | grep -q 'fill="#BF0000"' || fail "B 2018's D1 dot is not red"
grep 'A 2017, Bias due to missing outcome data' "$f" | grep -q 'fill="#02C100"' || fail "A 2017's D3 dot is not green"
same "$(grep -c '<g><title>[ABC] 20[0-9][0-9], ' "$f")" "18"
has "$f" ">Risk of bias legend</text>"
has "$f" ">(D1) Bias arising from the randomization process</text>"
has "$f" ">(Overall) Overall risk of bias</text>"
# byte-identical on rebuild
run 0 lsr -C rev pool --analysis alb-1m --figures again
cmp -s "$f" again/forest-alb-1m.svg || fail "the forest plot differs on rebuild"
CHECKS=$((CHECKS + 1))
# the report shows the sensitivity line and the forest plot's columns
run 0 lsr -C rev report -o rep
has rep/index.html "sensitivity analysis (exclude_high_risk): without B 2018 (high risk of bias): k = 2"
has rep/index.html ">Risk of bias legend</text>"
# the calculator's forest plot has no risk of bias
run 0 lsr pool --csv reduced.csv --measure MD --svg calc.svg
hasnt calc.svg "Risk of Bias"

# per time point (rob2_per_timepoint: true): the sheet's timepoint column;
# the result's own judgement comes before the outcome's
sed -i 's/^  risk_of_bias: rob2$/  risk_of_bias: rob2\n  rob2_per_timepoint: true/' rev/protocol.yaml
run 0 lsr -C rev rob sheet --outcome ALB --study "A 2017" -o sheet.csv
same "$(head -2 sheet.csv)" "study,outcome,timepoint,domain,question,text,answer,quote,judgement,justification
A 2017,ALB,1 month,randomization,1.1,Was the allocation sequence random?,,,,"
sed 's/^C 2019,ALB,1 month,randomization,1.2,Y/C 2019,ALB,1 month,randomization,1.2,N/' tp.csv > tp2.csv
run 0 lsr -C rev rob import tp2.csv --assessor ann
same "$OUT" "imported RoB 2 sheet 'tp2.csv' assessed by ann: 56 rows, 56 values, 2 studies"
run 0 lsr -C rev rob plot --outcome ALB --timepoint "1 month" --traffic-light tp.svg
has tp.svg "<title>Risk of bias (RoB 2): traffic-light plot: ALB at 1 month</title>"
has tp.svg "<title>C 2019, Overall: High risk of bias</title>"
has tp.svg "<title>B 2018, Overall: Some concerns</title>"
run 0 lsr -C rev pool --analysis alb-1m
has "$OUT" "  sensitivity analysis (exclude_high_risk): without C 2019 (high risk of bias): k = 2"

# RoB 1 stays per study: columns A to G, no overall column; its overall
# for the sensitivity analysis is high when a domain is high
sed -i 's/risk_of_bias: rob2/risk_of_bias: rob1/' rev/protocol.yaml
run 2 lsr -C rev rob sheet --outcome ALB
has "$ERR" "lsr rob: error: RoB 1 is judged per study: --outcome needs risk_of_bias: rob2 or extraction.rob1_per_outcome"
{ echo "study,domain,name,judgement,quote"
  for s in "A 2017" "B 2018" "C 2019"; do
	for d in random-sequence allocation-concealment blinding-participants blinding-outcome incomplete-data selective-reporting other-bias; do
		j=low
		[ "$s" = "A 2017" ] && [ $d = other-bias ] && j=high
		[ "$s" = "C 2019" ] && [ $d = blinding-outcome ] && j=unclear
		echo "$s,$d,,$j,"
	done
  done; } > rob1.csv
run 0 lsr -C rev rob import rob1.csv --assessor ann
run 0 lsr -C rev pool --analysis alb-1m --analysis alb-sc
has "$OUT" "  sensitivity analysis (exclude_high_risk): without A 2017 (high risk of bias): k = 2"
has "$OUT" "  sensitivity analysis (exclude_some_concerns): without A 2017, C 2019 (unclear or high risk of bias): k = 1"
f=rev/figures/forest-alb-1m.svg
run 0 xmllint --noout "$f"
has "$f" ">(A) Random sequence generation (selection bias)</text>"
has "$f" ">(G) Other bias</text>"
hasnt "$f" ">Overall</text>"
grep 'A 2017, Other bias: High risk of bias' "$f" | grep -q 'fill="#BF0000"' || fail "A 2017's G dot is not red"
grep 'C 2019, Blinding of outcome assessment (detection bias): Unclear risk of bias' "$f" | grep -q 'fill="#E2DF07"' || fail "C 2019's D dot is not yellow"
CHECKS=$((CHECKS + 2))
same "$(grep -c '<g><title>[ABC] 20[0-9][0-9], ' "$f")" "21"
finish
