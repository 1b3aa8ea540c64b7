#!/bin/sh
# sensitivity: exclude_high_risk per result (issue 15): with subgroup:
# timepoint a study at high risk at one time point leaves that time
# point's row only, its other time points stay (RoB 2 per time point); a
# study at risk at every time point leaves as a whole, as before.  Checked
# against lsr pool --csv on the reduced data.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rob_lib.sh"

cd "$TMP"
abc_review rev "per-result sensitivity" <<'EOF'
extraction:
  extractors: 1
  allow_single_extractor: true
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month, 3 months]}
  risk_of_bias: rob2
  rob2_per_timepoint: true
analyses:
  defaults: {model: random, tau2: DL, hk: false}
  list:
    - {name: alb, outcome: ALB, measure: MD, subgroup: timepoint, sensitivity: exclude_high_risk}
EOF
abc_data alb1 alb3 > outcomes.csv
run 0 lsr -C rev extract import outcomes.csv --extractor ann
# every study low at study level; B high at 3 months only
{ echo "study,outcome,timepoint,domain,question,answer,quote,judgement,justification"
  rob2_block "A 2017,,," low; rob2_block "B 2018,,," low; rob2_block "C 2019,,," low
  rob2_block "B 2018,ALB,3 months," high; } > rob.csv
run 0 lsr -C rev rob import rob.csv --assessor ann

run 0 lsr -C rev pool --analysis alb --json
cp "$OUT" res.json
jqcheck res.json '.[0].sensitivity.excluded' '[]'
jqcheck res.json '.[0].sensitivity.excluded_results' '[{"study":"B 2018","timepoint":"3 months"}]'
# the subgroups of the sensitivity analysis: 1 month all three, 3 months A and C
jqcheck res.json '[.[0].sensitivity.result.subgroups[] | .k]' '[3,2]'
printf 'study,subgroup,mean1,sd1,n1,mean2,sd2,n2\nA 2017,1 month,33.1,3.9,20,30.2,4.2,20\nB 2018,1 month,35.5,3.6,32,30.3,2.2,15\nC 2019,1 month,31.0,4.4,50,30.4,4.1,53\nA 2017,3 months,34.0,4.0,20,30.0,4.1,20\nC 2019,3 months,31.5,4.2,48,30.2,4.0,50\n' > reduced.csv
run 0 lsr pool --csv reduced.csv --measure MD --model random --tau2 DL --no-hk --subgroup --json
calc=$(jq -c '[.subgroups[] | [.label, .estimate, .ci_lb, .ci_ub, .k]]' "$OUT")
[ -n "$calc" ] && [ "$calc" != "[]" ] || fail "no subgroups from the calculator"
same "$(jq -c '[.[0].sensitivity.result.subgroups[] | [.label, .estimate, .ci_lb, .ci_ub, .k]]' res.json)" "$calc"
run 0 lsr -C rev pool --analysis alb
has "$OUT" "  sensitivity analysis (exclude_high_risk): without B 2018 at 3 months (high risk of bias): subtotals only: 1 month k = 3, MD "
# at 1 month nothing is left out: the sensitivity subtotal is the main one
main1=$(sed -n 's/^    1 month  *k = 3: \(.*\)$/\1/p' "$OUT")
[ -n "$main1" ] || fail "no 1 month subtotal"
has "$OUT" "subtotals only: 1 month k = 3, MD $main1; 3 months k = 2, MD "

# B high at 1 month too: the whole study leaves, as before
{ echo "study,outcome,timepoint,domain,question,answer,quote,judgement,justification"
  rob2_block "B 2018,ALB,1 month," high; } > rob2.csv
run 0 lsr -C rev rob import rob2.csv --assessor ann
run 0 lsr -C rev pool --analysis alb --json
jqcheck "$OUT" '.[0].sensitivity.excluded' '["B 2018"]'
jqcheck "$OUT" '.[0].sensitivity | has("excluded_results")' 'false'
jqcheck "$OUT" '.[0].spec.sensitivity | has("exclude_results")' 'false'
jqcheck "$OUT" '[.[0].sensitivity.result.subgroups[] | .k]' '[2,2]'
run 0 lsr -C rev pool --analysis alb
has "$OUT" "  sensitivity analysis (exclude_high_risk): without B 2018 (high risk of bias): "
finish
