#!/bin/sh
# lsr pool without --csv on the project's own data (no ../shared needed):
# the studies of tests/data/pool/cont.csv and bin.csv entered through
# lsr extract, the protocol's analyses run, and each stored result compared
# with the numbers expected.py computed independently for the same
# analysis on the calculator's side (MD with DL, SMD with REML and
# Hartung-Knapp, subgroups by a characteristic, RR by Mantel-Haenszel).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pool-expected.sh"
cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: invented trials
extraction:
  outcomes:
    - {name: score, type: continuous, unit: points, better: higher, timepoints: [6 weeks]}
    - {name: relapse, type: dichotomous, better: lower, timepoints: [1 year]}
  characteristics:
    - {name: population, type: choice, values: [adults, children]}
    - {name: setting, type: choice, values: [hospital, community]}
  extractors: 1
  allow_single_extractor: true
sources: [{name: PubMed}]
screening: {reasons: [{code: off-topic}]}
analyses:
  list:
    - {name: md-dl, outcome: score, timepoint: 6 weeks, measure: MD, model: random, tau2: DL, hk: false}
    - {name: smd-reml-hk, outcome: score, timepoint: 6 weeks, measure: SMD, model: random, tau2: REML, hk: true}
    - {name: md-by-population, outcome: score, timepoint: 6 weeks, measure: MD, model: random, tau2: DL, hk: false, subgroup: population}
    - {name: rr-mh, outcome: relapse, timepoint: 1 year, measure: RR, method: MH, model: fixed}
EOF

# the studies, their characteristics and arms, from the calculator's files
{
	tail -n +2 "$POOL_DATA/cont.csv" | cut -d, -f1
	tail -n +2 "$POOL_DATA/bin.csv" | cut -d, -f1
} > labels
while IFS= read -r s; do
	sql rev/review.db "INSERT INTO studies(label, created_at, actor) VALUES('$s', '2023-11-14T22:13:20Z', 'tester')"
done < labels
{
	echo "study,population,setting,source"
	tail -n +2 "$POOL_DATA/cont.csv" | awk -F, '{ print $1 "," $2 ",,T1" }'
	tail -n +2 "$POOL_DATA/bin.csv" | awk -F, '{ print $1 ",," $2 ",T1" }'
} > chars.csv
{
	echo "study,outcome,timepoint,arm,n,mean,sd,events,source"
	tail -n +2 "$POOL_DATA/cont.csv" | awk -F, '{
		print $1 ",score,6 weeks,intervention," $5 "," $3 "," $4 ",,T2"
		print $1 ",score,6 weeks,control," $8 "," $6 "," $7 ",,T2" }'
	tail -n +2 "$POOL_DATA/bin.csv" | awk -F, '{
		print $1 ",relapse,1 year,intervention," $4 ",,," $3 ",T3"
		print $1 ",relapse,1 year,control," $6 ",,," $5 ",T3" }'
} > outcomes.csv
run 0 lsr -C rev extract import chars.csv --extractor ann
run 0 lsr -C rev extract import outcomes.csv --extractor ann

run 0 lsr -C rev pool --json
cp "$OUT" all.json
same "$(jq -r '[.[] | .analysis + ":" + (.stored | tostring)] | join(" ")' all.json)" \
	"md-dl:true smd-reml-hk:true md-by-population:true rr-mh:true"
# result NAME: the stored result of one analysis
result() {
	sql rev/review.db "SELECT result FROM pool_results WHERE analysis = '$1'" > "$1.json"
}
while IFS='|' read -r name file opts; do
	result "$name"
	expect_pool "$name.json" "$file" "$opts"
done <<'EOF'
md-dl|cont.csv|--measure MD --tau2 DL --no-hk
smd-reml-hk|cont.csv|--measure SMD --convention revman5 --tau2 REML --hk
md-by-population|cont.csv|--measure MD --subgroup --model random --tau2 DL --no-hk
rr-mh|bin.csv|--measure RR --method MH --convention revman5 --model fixed
EOF
# the JSON printed is the result stored
same "$(jq -c '.[] | select(.analysis == "rr-mh") | .result.pooled' all.json)" "$(jq -c .pooled rr-mh.json)"
finish
