#!/bin/sh
# RoB 1 with per-outcome domains (issue 15): extraction.rob1_per_outcome
# lists the domains judged per outcome (Cochrane Handbook 5.1 Table 8.5.a:
# blinding and incomplete outcome data may differ by outcome).  The sheet
# carries per-outcome rows for those domains only and the study-level
# domains once; compare and resolve work per outcome; the traffic light,
# the forest plot's RoB 1 columns, the sensitivity analysis and lsr
# grade's risk-of-bias rating use the outcome's judgement in those
# domains; an old sheet (no outcome column) still imports, study level.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rob_lib.sh"

cd "$TMP"
abc_review rev "per-outcome RoB 1" <<'EOF'
picos:
  study_design: Randomised controlled trials
extraction:
  extractors: 1
  allow_single_extractor: true
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month], label: Serum albumin}
    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days]}
  risk_of_bias: rob1
  rob1_per_outcome: [blinding-outcome, incomplete-data]
analyses:
  defaults: {model: random, tau2: DL, hk: false}
  list:
    - {name: alb, outcome: ALB, timepoint: 1 month, measure: MD, sensitivity: exclude_high_risk}
    - {name: fever, outcome: fever, timepoint: 30 days, measure: RR, sensitivity: exclude_high_risk}
summary_of_findings:
  - {outcome: fever}
  - {outcome: ALB, analysis: alb}
EOF
abc_data alb1 fever > outcomes.csv
run 0 lsr -C rev extract import outcomes.csv --extractor ann

# the sheet: five study-level domains once, then the two per-outcome
# domains for each outcome
run 0 lsr -C rev rob sheet --study "A 2017"
same "$OUT" "study,outcome,domain,name,judgement,quote
A 2017,,random-sequence,Random sequence generation (selection bias),,
A 2017,,allocation-concealment,Allocation concealment (selection bias),,
A 2017,,blinding-participants,Blinding of participants and personnel (performance bias),,
A 2017,,selective-reporting,Selective reporting (reporting bias),,
A 2017,,other-bias,Other bias,,
A 2017,ALB,blinding-outcome,Blinding of outcome assessment (detection bias),,
A 2017,ALB,incomplete-data,Incomplete outcome data (attrition bias),,
A 2017,fever,blinding-outcome,Blinding of outcome assessment (detection bias),,
A 2017,fever,incomplete-data,Incomplete outcome data (attrition bias),,"
run 0 lsr -C rev rob sheet --outcome fever --study "B 2018"
same "$OUT" "study,outcome,domain,name,judgement,quote
B 2018,fever,blinding-outcome,Blinding of outcome assessment (detection bias),,
B 2018,fever,incomplete-data,Incomplete outcome data (attrition bias),,"

# ann: every study-level domain low; the outcome assessors of fever were
# not blinded in A and C (high), of ALB in B (high)
{ echo "study,outcome,domain,name,judgement,quote"
  for s in "A 2017" "B 2018" "C 2019"; do
	for d in random-sequence allocation-concealment blinding-participants selective-reporting other-bias; do
		echo "$s,,$d,,low,"
	done
	for o in ALB fever; do
		j=low
		[ "$o" = ALB ] && [ "$s" = "B 2018" ] && j=high
		[ "$o" = fever ] && [ "$s" != "B 2018" ] && j=high
		echo "$s,$o,blinding-outcome,,$j,"
		echo "$s,$o,incomplete-data,,low,"
	done
  done; } > ann.csv
run 0 lsr -C rev rob import ann.csv --assessor ann
same "$OUT" "imported RoB 1 sheet 'ann.csv' assessed by ann: 27 rows, 27 values, 3 studies"
same "$(sql rev/review.db "SELECT outcome, count(*) FROM rob_values GROUP BY outcome ORDER BY outcome")" "|15
ALB|6
fever|6"
run 0 lsr -C rev rob compare
same "$OUT" "0 judgements open"
run 0 lsr -C rev rob compare --all
has "$OUT" "B 2018 [ALB]	blinding-outcome: ann 'high' -> 'high'"
has "$OUT" "B 2018 [fever]	blinding-outcome: ann 'low' -> 'low'"
has "$OUT" "B 2018	random-sequence: ann 'low' -> 'low'"
# a per-outcome domain is not listed at study level when judged per outcome,
# a study-level domain never per outcome
hasnt "$OUT" "B 2018	blinding-outcome"
hasnt "$OUT" "[ALB]	random-sequence"
same "$(grep -c . "$OUT")" "28"

# rejections: a study-level domain with an outcome, an unknown outcome,
# the same row twice; nothing stored
before=$(sql rev/review.db "SELECT count(*) FROM rob_values")
reject() {
	printf '%s\n' "$1" > bad.csv
	run 3 lsr -C rev rob import bad.csv --assessor bob
	same "$ERR" "lsr rob: error: $2"
	same "$(sql rev/review.db "SELECT count(*) FROM rob_values")" "$before"
}
reject "study,outcome,domain,judgement,quote
A 2017,ALB,random-sequence,low," \
	"bad.csv:2: column 'outcome': domain 'random-sequence' is judged per study (extraction.rob1_per_outcome does not list it): leave the outcome empty"
reject "study,outcome,domain,judgement,quote
A 2017,MELD,blinding-outcome,low," \
	"bad.csv:2: column 'outcome': no outcome 'MELD' in protocol.yaml's extraction.outcomes"
reject "study,outcome,domain,judgement,quote
A 2017,ALB,blinding-outcome,low,
A 2017,ALB,blinding-outcome,high," \
	"bad.csv:3: study 'A 2017', outcome 'ALB', domain 'blinding-outcome' is already on row 2"
reject "study,outcome,timepoint,domain,judgement,quote
A 2017,ALB,1 month,blinding-outcome,low," \
	"bad.csv:1: unknown column 'timepoint' (this sheet takes: study, outcome, domain, name, judgement, quote)"

# resolve per outcome: only a per-outcome domain, never a time point
run 0 lsr -C rev rob resolve --study "B 2018" --outcome fever --domain incomplete-data --judgement unclear --reason "dropouts by arm not given"
same "$(sql rev/review.db "SELECT outcome, timepoint, domain, judgement FROM rob_consensus")" "fever||incomplete-data|unclear"
run 2 lsr -C rev rob resolve --study "B 2018" --outcome fever --domain random-sequence --judgement low --reason x
has "$ERR" "lsr rob: error: domain 'random-sequence' is judged per study (extraction.rob1_per_outcome does not list it): leave out --outcome"
run 2 lsr -C rev rob resolve --study "B 2018" --outcome fever --timepoint "30 days" --domain incomplete-data --judgement low --reason x
has "$ERR" "lsr rob: error: RoB 1 is judged per outcome, not per time point"

# the traffic light per outcome: the outcome's judgement in its domains,
# the study's in the others; titled with the outcome's label
run 0 lsr -C rev rob plot --outcome ALB --traffic-light alb.svg --summary alb-sum.svg
run 0 lsr -C rev rob plot --outcome fever --traffic-light fever.svg
run 0 xmllint --noout alb.svg alb-sum.svg fever.svg
has alb.svg "<title>Risk of bias (RoB 1): summary of judgements per study: Serum albumin</title>"
has alb.svg "<title>B 2018, Blinding of outcome assessment (detection bias): High risk of bias</title>"
has alb.svg "<title>A 2017, Blinding of outcome assessment (detection bias): Low risk of bias</title>"
has alb.svg "<title>B 2018, Random sequence generation (selection bias): Low risk of bias</title>"
has fever.svg "<title>B 2018, Blinding of outcome assessment (detection bias): Low risk of bias</title>"
has fever.svg "<title>A 2017, Blinding of outcome assessment (detection bias): High risk of bias</title>"
has fever.svg "<title>B 2018, Incomplete outcome data (attrition bias): Unclear risk of bias</title>"
run 2 lsr -C rev rob plot --outcome ALB --timepoint "1 month" --traffic-light x.svg
has "$ERR" "lsr rob: error: RoB 1 is judged per outcome, not per time point"

# the forest plots' RoB 1 columns and the sensitivity analyses per outcome
run 0 lsr -C rev pool
has "$OUT" "  sensitivity analysis (exclude_high_risk): without B 2018 (high risk of bias): k = 2, MD "
has "$OUT" "  sensitivity analysis (exclude_high_risk): without A 2017, C 2019 (high risk of bias): k = 1, RR "
f=rev/figures/forest-alb.svg
run 0 xmllint --noout "$f" rev/figures/forest-fever.svg
grep 'B 2018, Blinding of outcome assessment (detection bias): High risk of bias' "$f" | grep -q 'fill="#BF0000"' || fail "B 2018's D dot is not red for ALB"
grep 'A 2017, Blinding of outcome assessment (detection bias): Low risk of bias' "$f" | grep -q 'fill="#02C100"' || fail "A 2017's D dot is not green for ALB"
f=rev/figures/forest-fever.svg
grep 'B 2018, Blinding of outcome assessment (detection bias): Low risk of bias' "$f" | grep -q 'fill="#02C100"' || fail "B 2018's D dot is not green for fever"
grep 'B 2018, Incomplete outcome data (attrition bias): Unclear risk of bias' "$f" | grep -q 'fill="#E2DF07"' || fail "B 2018's E dot is not yellow for fever"
grep 'C 2019, Blinding of outcome assessment (detection bias): High risk of bias' "$f" | grep -q 'fill="#BF0000"' || fail "C 2019's D dot is not red for fever"
CHECKS=$((CHECKS + 5))

# lsr grade: the share of weight at high risk per outcome (fever: A and C
# high, rated down; ALB: only B, under half of the weight)
run 0 lsr -C rev grade --json
jqcheck "$OUT" '.outcomes[0] | [.outcome, .domains["risk-of-bias"].suggested, .high_risk_weight_pct > 50]' '["fever",-1,true]'
jqcheck "$OUT" '.outcomes[1] | [.outcome, .domains["risk-of-bias"].suggested, .high_risk_weight_pct < 50 and .high_risk_weight_pct > 0]' '["ALB",0,true]'

# the report: the figures per outcome (RoB 1 has no overall column)
run 0 lsr -C rev report -o rep
has rep/index.html "<h2>Risk of bias (RoB 1)</h2>"
has rep/index.html "<h3>Serum albumin</h3>"
has rep/index.html "<h3>fever</h3>"
# the methods name the domains judged per outcome
has rep/index.html "the Cochrane risk-of-bias tool (RoB 1); judged separately for each outcome: Blinding of outcome assessment (detection bias) and Incomplete outcome data (attrition bias) [1]."
run 0 xmllint --noout rep/rob-traffic-light-ALB.svg rep/rob-summary-ALB.svg rep/rob-traffic-light-fever.svg
has rep/rob-traffic-light-ALB.svg "<title>B 2018, Blinding of outcome assessment (detection bias): High risk of bias</title>"
has rep/rob-traffic-light-fever.svg "<title>B 2018, Blinding of outcome assessment (detection bias): Low risk of bias</title>"
has rep/rob-traffic-light-fever.svg "<title>B 2018, Incomplete outcome data (attrition bias): Unclear risk of bias</title>"
# ALB: B (1 of 3) high in detection bias
has rep/rob-summary-ALB.svg "<title>High risk of bias: 33.3%</title>"
[ -e rep/rob-traffic-light.svg ] && fail "the study-level figure beside the per-outcome ones"
CHECKS=$((CHECKS + 1))

# an old sheet without the outcome column: study-level judgements, the
# fallback of every outcome without its own (D 2020 has nothing else)
sqlite3 rev/review.db "INSERT INTO studies(label, created_at, actor) VALUES('D 2020', '2023-11-14T22:13:20Z', 'tester')"
{ echo "study,domain,judgement,quote"
  for s in "C 2019" "D 2020"; do
	for d in random-sequence allocation-concealment blinding-participants blinding-outcome incomplete-data selective-reporting other-bias; do
		echo "$s,$d,low,"
	done
  done; } > old.csv
run 0 lsr -C rev rob import old.csv --assessor ann
same "$OUT" "imported RoB 1 sheet 'old.csv' assessed by ann: 14 rows, 14 values, 2 studies"
run 0 lsr -C rev rob plot --outcome fever --traffic-light fever2.svg
# C's own fever judgement stands, D's study-level one
has fever2.svg "<title>C 2019, Blinding of outcome assessment (detection bias): High risk of bias</title>"
has fever2.svg "<title>D 2020, Blinding of outcome assessment (detection bias): Low risk of bias</title>"
run 0 lsr -C rev rob plot --traffic-light study.svg
has study.svg "<title>C 2019, Blinding of outcome assessment (detection bias): Low risk of bias</title>"
# B was judged per outcome only: at study level that domain says so (not "not final")
has study.svg "<title>B 2018, Blinding of outcome assessment (detection bias): Judged per outcome</title>"
has "$ERR" "cells of domains judged per outcome (extraction.rob1_per_outcome) have no study-level judgement"
hasnt "$ERR" "not final yet"
has study.svg ">judged per outcome</text>"

# without rob1_per_outcome: RoB 1 is per study; an outcome column refused
sed -i '/rob1_per_outcome/d' rev/protocol.yaml
run 2 lsr -C rev rob sheet --outcome ALB
has "$ERR" "lsr rob: error: RoB 1 is judged per study: --outcome needs risk_of_bias: rob2 or extraction.rob1_per_outcome"
run 3 lsr -C rev rob import ann.csv --assessor bob
same "$ERR" "lsr rob: error: ann.csv:1: column 'outcome': RoB 1 judges a domain per outcome only when extraction.rob1_per_outcome in protocol.yaml lists it"
run 0 lsr -C rev rob sheet --study "A 2017"
same "$(head -1 "$OUT")" "study,domain,name,judgement,quote"

# the protocol's refusals
cp rev/protocol.yaml good.yaml
sed 's/^  risk_of_bias: rob1$/  risk_of_bias: rob1\n  rob1_per_outcome: [random-sequence]/' good.yaml > rev/protocol.yaml
run 3 lsr -C rev rob sheet
has "$ERR" "extraction.rob1_per_outcome[1]: expected blinding-participants, blinding-outcome or incomplete-data, not 'random-sequence'"
sed 's/^  risk_of_bias: rob1$/  risk_of_bias: rob1\n  rob1_per_outcome: [incomplete-data, incomplete-data]/' good.yaml > rev/protocol.yaml
run 3 lsr -C rev rob sheet
has "$ERR" "extraction.rob1_per_outcome[2]: domain 'incomplete-data' is listed twice"
sed 's/^  risk_of_bias: rob1$/  risk_of_bias: rob2\n  rob1_per_outcome: [incomplete-data]/' good.yaml > rev/protocol.yaml
run 3 lsr -C rev rob sheet
has "$ERR" "extraction.rob1_per_outcome[1]: only RoB 1 has per-outcome domains (RoB 2 is judged per result)"
finish
