#!/bin/sh
# lsr pool without --csv: the protocol's analyses over the agreed extracted
# data - the numbers equal the calculator's on the same data, results are
# stored per update (an unchanged rerun is not stored again), forest plots
# are written, stored results can be shown again, and the refusals.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: pooling test
sources:
  - name: PubMed
screening:
  reasons:
    - {code: off-topic}
extraction:
  extractors: 1
  allow_single_extractor: true
  characteristics:
    - {name: route, type: choice, values: [intravenous, hepatic artery]}
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month, 3 months]}
    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days]}
analyses:
  defaults: {model: random, tau2: DL, hk: false}
  list:
    - {name: alb-1m, outcome: ALB, timepoint: 1 month, measure: MD}
    - {name: alb-by-time, outcome: ALB, measure: SMD, subgroup: timepoint}
    - {name: alb-by-route, outcome: ALB, timepoint: 1 month, measure: MD, subgroup: route}
    - {name: alb-without-c, outcome: ALB, timepoint: 1 month, measure: MD, exclude: [C 2019]}
    - {name: alb-all, outcome: ALB, measure: MD}
    - {name: fever, outcome: fever, timepoint: 30 days, measure: RR}
EOF
for s in "A 2017" "B 2018" "C 2019"; do
	sqlite3 rev/review.db "INSERT INTO studies(label, created_at, actor) VALUES('$s', '2023-11-14T22:13:20Z', 'tester')"
done
cat > chars.csv <<'EOF'
study,route,source
A 2017,intravenous,T1
B 2018,hepatic artery,T1
C 2019,intravenous,T1
EOF
cat > outcomes.csv <<'EOF'
study,outcome,timepoint,arm,n,mean,sd,source
A 2017,ALB,1 month,intervention,20,33.1,3.9,T2
A 2017,ALB,1 month,control,20,30.2,4.2,T2
B 2018,ALB,1 month,intervention,32,33.5,3.6,T2
B 2018,ALB,1 month,control,15,30.3,2.2,T2
C 2019,ALB,1 month,intervention,50,31.0,4.4,T2
C 2019,ALB,1 month,control,53,30.4,4.1,T2
A 2017,ALB,3 months,intervention,20,34.0,4.0,T3
A 2017,ALB,3 months,control,20,30.0,4.1,T3
C 2019,ALB,3 months,intervention,50,32.2,4.0,T3
C 2019,ALB,3 months,control,53,30.1,4.3,T3
EOF
run 0 lsr -C rev extract import chars.csv --extractor ann
run 0 lsr -C rev extract import outcomes.csv --extractor ann

# a study with data at two time points in an analysis that fixes neither
run 3 lsr -C rev pool --analysis alb-all
same "$(cat "$ERR")" "lsr pool: error: protocol.yaml: analysis 'alb-all': study 'A 2017' has ALB data at 1 month and at 3 months: give the analysis a timepoint, or subgroup: timepoint (or allow_repeated_studies: true)"
same "$(sql rev/review.db 'SELECT count(*) FROM pool_results')" "0"
sed -i '/alb-all/d' rev/protocol.yaml

run 0 lsr -C rev pool --json
cp "$OUT" all.json
same "$(sql rev/review.db 'SELECT count(*), min(update_no), max(update_no) FROM pool_results')" "5|0|0"
same "$(sql rev/review.db "SELECT analysis, json_extract(result, '$.heterogeneity.k') FROM pool_results ORDER BY id")" \
"alb-1m|3
alb-by-time|
alb-by-route|3
alb-without-c|2
fever|"
# the same numbers as the calculator on the same data
cat > calc.csv <<'EOF'
study,subgroup,mean1,sd1,n1,mean2,sd2,n2
A 2017,intravenous,33.1,3.9,20,30.2,4.2,20
B 2018,hepatic artery,33.5,3.6,32,30.3,2.2,15
C 2019,intravenous,31.0,4.4,50,30.4,4.1,53
EOF
run 0 lsr pool --csv calc.csv --measure MD --model random --tau2 DL --no-hk --json
est=$(jq '.pooled.estimate' "$OUT")
[ -n "$est" ] || fail "no estimate in the calculator's output"
same "$(sql rev/review.db "SELECT json_extract(result, '$.pooled.estimate') FROM pool_results WHERE analysis = 'alb-1m'")" \
	"$(sqlite3 :memory: "SELECT $est")"
run 0 lsr pool --csv calc.csv --measure MD --model random --tau2 DL --no-hk --subgroup --json
jqcheck "$OUT" '.subgroups | length > 0'
# every file written, well-formed
for a in alb-1m alb-by-time alb-by-route alb-without-c; do
	CHECKS=$((CHECKS + 1))
	xmllint --noout "rev/figures/forest-$a.svg" 2>/dev/null || fail "forest-$a.svg missing or not well-formed"
done
[ ! -e rev/figures/forest-fever.svg ] || fail "an analysis without data has no forest plot"

# time points are the same participants again: subtotals only, and the
# forest plot says why (issue 14)
same "$(sql rev/review.db "SELECT json_extract(result, '$.no_total') IS NOT NULL, json_extract(result, '$.subgroup_test') IS NULL, json_array_length(json_extract(result, '$.subgroups')), json_extract(spec, '$.ci') FROM pool_results WHERE analysis = 'alb-by-time'")" "1|1|2|z"
has rev/figures/forest-alb-by-time.svg "No overall total: the subgroups share studies (time points)"
hasnt rev/figures/forest-alb-by-time.svg "Total (95% CI)"
hasnt rev/figures/forest-alb-by-time.svg "Test for subgroup differences"
# each subgroup's weights add up to 100%
same "$(sql rev/review.db "SELECT round(sum(json_extract(s.value, '$.weight_pct'))) FROM pool_results, json_each(json_extract(result, '$.studies')) s WHERE analysis = 'alb-by-time' GROUP BY json_extract(s.value, '$.subgroup') ORDER BY 1")" "100.0
100.0"
# the protocol's ci: (hk: false of the defaults is ci: z)
same "$(sql rev/review.db "SELECT json_extract(spec, '$.ci'), json_extract(result, '$.ci_method') FROM pool_results WHERE analysis = 'alb-1m'")" "z|z"

# for people; a rerun on unchanged data stores nothing
run 0 lsr -C rev pool
has "$OUT" "alb-by-time: ALB, SMD (IV, random effects, DL), subgroups by timepoint"
has "$OUT" "  3 studies, 5 rows in 2 subgroups, subtotals only. No overall total"
has "$OUT" "alb-1m: ALB at 1 month, MD (IV, random effects, DL)"
has "$OUT" "alb-by-route: ALB at 1 month, MD (IV, random effects, DL), subgroups by route"
has "$OUT" "    hepatic artery               k = 1:"
has "$OUT" "  - C 2019 left out (sensitivity analysis)"
has "$OUT" "fever: fever at 30 days, RR"
has "$OUT" "  no data"
has "$OUT" "unchanged since its last run: not stored again"
same "$(sql rev/review.db 'SELECT count(*) FROM pool_results')" "5"

# changed data: stored again, under the current update
sed 's/C 2019,ALB,1 month,intervention,50,31.0/C 2019,ALB,1 month,intervention,50,32.0/' outcomes.csv > outcomes2.csv
run 0 lsr -C rev extract import outcomes2.csv --extractor ann
SOURCE_DATE_EPOCH=1702000000 run 0 lsr -C rev update --no-search
run 0 lsr -C rev pool --analysis alb-1m --figures figs
has "$OUT" "stored"
same "$(sql rev/review.db 'SELECT update_no, analysis FROM pool_results WHERE id > 5')" "1|alb-1m"
[ -f figs/forest-alb-1m.svg ] || fail "--figures DIR not used"
# stored results of update 0 shown again, unchanged
run 0 lsr -C rev pool --update 0 --analysis alb-1m --json
jqcheck "$OUT" 'map({analysis, update})' '[{"analysis":"alb-1m","update":0}]'
same "$(sql rev/review.db "SELECT count(*) FROM pool_results")" "6"

# refusals
run 2 lsr -C rev pool --analysis nothing
same "$(head -1 "$ERR")" "lsr pool: error: no analysis 'nothing' in protocol.yaml (analyses: alb-1m, alb-by-time, alb-by-route, alb-without-c, fever)"
run 1 lsr -C rev pool --analysis fever
has "$ERR" "the analysis named has no data to pool"
run 2 lsr -C rev pool --update 5
has "$ERR" "no update 5 (the latest is 1)"
run 2 lsr -C rev pool --measure MD
has "$ERR" "the analysis options go with --csv FILE"

# allow_repeated_studies: true pools a study's several time points, with a
# warning; ci: and hk: that contradict each other are refused
cat >> rev/protocol.yaml <<'EOF'
    - {name: alb-repeated, outcome: ALB, measure: MD, allow_repeated_studies: true, ci: hk-adhoc, level: 90}
    - {name: alb-level, outcome: ALB, timepoint: 1 month, measure: MD, level: 100}
    - {name: alb-addons, outcome: ALB, timepoint: 1 month, measure: MD, addons: [leave-one-out, cumulative, influence, egger, begg, trimfill]}
    - {name: alb-badaddon, outcome: ALB, timepoint: 1 month, measure: MD, addons: [funnel]}
    - {name: alb-both, outcome: ALB, timepoint: 1 month, measure: MD, ci: hk, hk: false}
EOF
run 0 lsr -C rev pool --analysis alb-repeated --json
has "$OUT" "study 'A 2017' has 2 rows, all pooled: its participants count 2 times (repeated studies allowed)"
has "$OUT" '"ci_method": "adhoc"'
has "$OUT" '"level": 0.90000000000000002'
has "$OUT" '"level": 90'
has rev/figures/forest-alb-repeated.svg "Total (90% CI)"
run 3 lsr -C rev pool --analysis alb-level
has "$ERR" "protocol.yaml: alb-level: level: expected a percentage from 50 to 99, got 100"
run 0 lsr -C rev pool --analysis alb-addons
has "$OUT" "    leave-one-out: estimates from "
has "$OUT" "    cumulative: 3 steps, first "
has "$OUT" "    influence: "
has "$OUT" "    Egger's test: bias "
has "$OUT" "    Begg's test: Kendall's tau "
has "$OUT" "    trim-and-fill: "
same "$(sql rev/review.db "SELECT json_type(result, '$.leave_one_out'), json_type(result, '$.cumulative'), json_type(result, '$.influence'), json_type(result, '$.begg') FROM pool_results WHERE analysis = 'alb-addons'")" "object|object|object|object"
run 3 lsr -C rev pool --analysis alb-badaddon
has "$ERR" "analysis 'alb-badaddon': unknown add-on 'funnel' (expected leave-one-out, cumulative, influence, egger, begg or trimfill)"
run 3 lsr -C rev pool --analysis alb-both
has "$ERR" "protocol.yaml: alb-both: ci: hk contradicts hk: false"
finish
