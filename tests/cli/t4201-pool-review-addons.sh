#!/bin/sh
# The protocol's analyses with the add-ons of lsr pool --csv (issue 14):
# cumulative_by (a characteristic, or year), moderators (characteristics,
# numbers and factors; a study without a value left out), influence,
# Egger, Begg and trim-and-fill with side and estimator; the same numbers
# as the calculator on the same data; every figure written by lsr pool and
# by lsr report; the report's tables, escaped, rebuilt byte for byte; the
# refusals.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: add-ons test
sources:
  - name: PubMed
screening:
  reasons:
    - {code: off-topic}
extraction:
  extractors: 1
  allow_single_extractor: true
  characteristics:
    - {name: start_year, type: integer}
    - {name: dose, type: number, unit: mg}
    - {name: route, type: choice, values: [oral, iv]}
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month, 3 months]}
    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days]}
    - {name: score, type: continuous, timepoints: [6 weeks]}
analyses:
  list:
    - {name: alb-cum, outcome: ALB, timepoint: 1 month, measure: MD, cumulative_by: start_year, addons: [leave-one-out]}
    - {name: alb-reg, outcome: ALB, timepoint: 1 month, measure: MD, tau2: DL, moderators: [dose, route], addons: [influence]}
    - {name: alb-bias, outcome: ALB, timepoint: 1 month, measure: MD, ci: z, addons: [egger, begg, trimfill], trimfill_side: left, trimfill_estimator: R0}
    - {name: alb-t, outcome: ALB, timepoint: 1 month, measure: MD, ci: t}
    - {name: alb-by-time-total, outcome: ALB, measure: MD, subgroup: timepoint, allow_repeated_studies: true}
    - {name: score-same, outcome: score, timepoint: 6 weeks, measure: MD, hk: true}
EOF
for s in "A 2009" "B & C 2011" "D <2013>" "E 2015" "F 2016" "G 2019" "H 2020"; do
	sql rev/review.db "INSERT INTO studies(label, created_at, actor) VALUES('$s', '2023-11-14T22:13:20Z', 'tester')"
done
cat > chars.csv <<'EOF'
study,start_year,dose,route,source
A 2009,2009,10,oral,T1
B & C 2011,2011,20,iv,T1
D <2013>,2013,15,oral,T1
E 2015,2015,40,iv,T1
F 2016,2016,,oral,T1
G 2019,2019,30,oral,T1
H 2020,2008,50,iv,T1
EOF
cat > outcomes.csv <<'EOF'
study,outcome,timepoint,arm,n,mean,sd,source
A 2009,ALB,1 month,intervention,20,33.1,3.9,T2
A 2009,ALB,1 month,control,20,30.2,4.2,T2
B & C 2011,ALB,1 month,intervention,32,33.5,3.6,T2
B & C 2011,ALB,1 month,control,15,30.3,2.2,T2
D <2013>,ALB,1 month,intervention,50,31.0,4.4,T2
D <2013>,ALB,1 month,control,53,30.4,4.1,T2
E 2015,ALB,1 month,intervention,25,34.8,5.1,T2
E 2015,ALB,1 month,control,24,30.1,4.8,T2
F 2016,ALB,1 month,intervention,40,32.0,3.0,T2
F 2016,ALB,1 month,control,41,31.2,3.3,T2
G 2019,ALB,1 month,intervention,60,31.9,4.0,T2
G 2019,ALB,1 month,control,62,30.5,4.2,T2
H 2020,ALB,1 month,intervention,18,36.0,6.0,T2
H 2020,ALB,1 month,control,17,30.0,6.5,T2
A 2009,score,6 weeks,intervention,20,33,4,T4
A 2009,score,6 weeks,control,20,30,4,T4
E 2015,score,6 weeks,intervention,30,33,4,T4
E 2015,score,6 weeks,control,30,30,4,T4
G 2019,score,6 weeks,intervention,40,33,4,T4
G 2019,score,6 weeks,control,40,30,4,T4
A 2009,ALB,3 months,intervention,20,34.0,4.0,T3
A 2009,ALB,3 months,control,20,30.0,4.1,T3
G 2019,ALB,3 months,intervention,60,32.2,4.0,T3
G 2019,ALB,3 months,control,62,30.1,4.3,T3
EOF
run 0 lsr -C rev extract import chars.csv --extractor ann
run 0 lsr -C rev extract import outcomes.csv --extractor ann
# the calculator's file of the same data (F 2016 has no dose)
cat > calc.csv <<'EOF'
study,start_year,dose,route,mean1,sd1,n1,mean2,sd2,n2
A 2009,2009,10,oral,33.1,3.9,20,30.2,4.2,20
B & C 2011,2011,20,iv,33.5,3.6,32,30.3,2.2,15
D <2013>,2013,15,oral,31.0,4.4,50,30.4,4.1,53
E 2015,2015,40,iv,34.8,5.1,25,30.1,4.8,24
F 2016,2016,,oral,32.0,3.0,40,31.2,3.3,41
G 2019,2019,30,oral,31.9,4.0,60,30.5,4.2,62
H 2020,2008,50,iv,36.0,6.0,18,30.0,6.5,17
EOF

run 0 lsr -C rev pool --json
cp "$OUT" all.json
# every figure, well-formed
for f in forest-alb-cum cumulative-alb-cum forest-alb-reg influence-alb-reg bubble-alb-reg \
	forest-alb-bias funnel-alb-bias forest-alb-t forest-alb-by-time-total; do
	CHECKS=$((CHECKS + 1))
	xmllint --noout "rev/figures/$f.svg" 2>/dev/null || fail "$f.svg missing or not well-formed"
done
for f in cumulative-alb-reg influence-alb-cum bubble-alb-cum funnel-alb-cum; do
	[ ! -e "rev/figures/$f.svg" ] || fail "$f.svg written for an add-on that did not run"
done
has rev/figures/cumulative-alb-cum.svg "+ H 2020 (k = 1)"
has rev/figures/influence-alb-reg.svg "B &amp; C 2011"
has rev/figures/influence-alb-reg.svg "D &lt;2013&gt;"
has rev/figures/bubble-alb-reg.svg ">dose</text>"

# the same numbers as the calculator: cumulative by a characteristic (H
# 2020 began in 2008, so it comes first)
run 0 lsr pool --csv calc.csv --measure MD --cumulative-by start_year --leave-one-out --json
same "$(jq -c '.[] | select(.analysis == "alb-cum") | .result.cumulative.REML.rows | map([.added, .estimate, .ci_lb, .tau2])' all.json)" \
	"$(jq -c '.cumulative.REML.rows | map([.added, .estimate, .ci_lb, .tau2])' "$OUT")"
same "$(jq -c '.[] | select(.analysis == "alb-cum") | .result.leave_one_out' all.json)" "$(jq -c '.leave_one_out' "$OUT")"
jqcheck all.json '.[] | select(.analysis == "alb-cum") | .result.cumulative.REML.rows[0].added' 'H 2020'
jqcheck all.json '.[] | select(.analysis == "alb-cum") | .data | map(.order)' '[2009,2011,2013,2015,2016,2019,2008]'
jqcheck all.json '.[] | select(.analysis == "alb-cum") | .spec.cumulative_by' 'start_year'
# meta-regression on a number and a factor; F 2016 (no dose) left out
run 0 lsr pool --csv calc.csv --measure MD --tau2 DL --moderators dose,route --influence --json
has "$ERR" "meta-regression: 1 study without a value of every moderator left out (F 2016)"
same "$(jq -c '.[] | select(.analysis == "alb-reg") | .result.metareg' all.json)" "$(jq -c '.metareg' "$OUT")"
same "$(jq -c '.[] | select(.analysis == "alb-reg") | .result.influence' all.json)" "$(jq -c '.influence' "$OUT")"
jqcheck all.json '.[] | select(.analysis == "alb-reg") | [.result.metareg.k, (.result.metareg.coefficients | map(.name))]' '[6,["intrcpt","dose","routeoral"]]'
jqcheck all.json '.[] | select(.analysis == "alb-reg") | .result.warnings' '["meta-regression: 1 study without a value of every moderator left out (F 2016)"]'
jqcheck all.json '.[] | select(.analysis == "alb-reg") | .data | map(.moderators.dose)' '[10,20,15,40,null,30,50]'
# metafor 3.8.1: rma(yi, vi, mods = ~ dose + route, method = "DL",
# test = "adhoc") on escalc("MD", ...) of these data, F 2016 omitted
jqcheck all.json '.[] | select(.analysis == "alb-reg") | .result.metareg | [(.QM * 1e6 | round), (.R2 * 1e4 | round), (.coefficients[2].ci_lb * 1e6 | round)]' \
	'[3795253,870255,-5581257]'
# small-study tests and trim-and-fill R0 on the left
run 0 lsr pool --csv calc.csv --measure MD --ci z --egger --begg --trimfill --trimfill-side left --trimfill-estimator R0 --json
for k in egger begg trimfill; do
	same "$(jq -c ".[] | select(.analysis == \"alb-bias\") | .result.$k" all.json)" "$(jq -c ".$k" "$OUT")"
done
jqcheck all.json '.[] | select(.analysis == "alb-bias") | .result.trimfill.REML | [.side, .estimator]' '["left","R0"]'
# ci: t
jqcheck all.json '.[] | select(.analysis == "alb-t") | [.spec.ci, .result.ci_method]' '["t","t"]'
# subgroup: timepoint with allow_repeated_studies: true has its total, with
# a warning per study
jqcheck all.json '.[] | select(.analysis == "alb-by-time-total") | [.result.no_total, .result.heterogeneity.k, (.result.subgroup_test != null)]' '[null,9,true]'
has all.json "study 'A 2009' has 2 rows, all pooled: its participants count 2 times (repeated studies allowed)"

# hk: true is ci: hk; identical estimates make its interval degenerate,
# said in words (no "nan") in the summary, the forest plot and the report
jqcheck all.json '.[] | select(.analysis == "score-same") | [.spec.ci, .result.ci_method, .result.ci_degenerate, .result.pooled.ci_lb]' '["hk","knha",true,null]'
run 0 lsr -C rev pool --analysis score-same
has "$OUT" "MD 3.00 (no CI or test: degenerate Hartung-Knapp interval); I2 = 0%"
has "$OUT" "Hartung-Knapp: all 3 estimates are identical"
has rev/figures/forest-score-same.svg "3.00 [no CI]"
hasnt rev/figures/forest-score-same.svg "nan"

# for people
run 0 lsr -C rev pool --analysis alb-reg
has "$OUT" "    meta-regression (k = 6): F = 3.80, p = 0.1508; R2 = 87%, residual tau2 = 0.2194"
has "$OUT" "  ! meta-regression: 1 study without a value of every moderator left out (F 2016)"

# cumulative_by: year is the year of the study's included reports; none
# here, so the add-on is left out with a warning and the analysis stands
cat >> rev/protocol.yaml <<'EOF'
    - {name: alb-cum-year, outcome: ALB, timepoint: 1 month, measure: MD, cumulative_by: year}
EOF
run 0 lsr -C rev pool --analysis alb-cum-year --json
jqcheck "$OUT" '.[0] | [.result.cumulative, .result.heterogeneity.k]' '[null,7]'
has "$OUT" "cumulative analysis left out: A 2009 has no year"

# the report: the figures, and a table per add-on, escaped; the heterogeneity
# line is metafor 3.8.1's confint() and confint(type = "PL") and predict() of
# rma(yi, vi, test = "adhoc") on these data
run 0 lsr -C rev report -o out
h=out/index.html
for f in forest-alb-cum cumulative-alb-cum influence-alb-reg bubble-alb-reg funnel-alb-bias; do
	has "$h" "<a href=\"$f.svg\">$f.svg</a>"
	CHECKS=$((CHECKS + 1))
	xmllint --noout "out/$f.svg" 2>/dev/null || fail "report: $f.svg missing or not well-formed"
done
has "$h" "<p class=\"note\">Heterogeneity: Q = 15.91, df = 6, P = 0.01426; I&#178; = 64.7% [Q-profile 10.4%, 95.0%] (62.3% from Q, as RevMan 5 shows it); tau&#178; = 1.699 [Q-profile 0.1080, 17.7459] [profile likelihood 0.0000, 11.8596]; 95% prediction interval -1.29 to 5.90.</p>"
has "$h" "<h4>Cumulative meta-analysis</h4>"
has "$h" "<tr><th>Study added</th><th>start_year</th><th>k</th><th>MD [95% CI]</th>"
has "$h" "<tr><td>H 2020</td><td class=\"n\">2008</td><td class=\"n\">1</td>"
has "$h" "<h4>Leave-one-out</h4>"
has "$h" "<h4>Influence diagnostics</h4>"
has "$h" "<tr><td>B &amp; C 2011</td>"
has "$h" "<tr><td>D &lt;2013&gt;</td>"
hasnt "$h" "<td>D <2013></td>"
has "$h" "<p>k = 6. Test of moderators: F(2, 3) = 3.80, P = 0.1508."
has "$h" "<tr><td>routeoral</td><td class=\"n\">-2.2579</td>"
has "$h" "<h4>Small-study effects</h4>"
has "$h" "<td>Begg's rank correlation</td>"
has "$h" "<h4>Trim-and-fill</h4>"
has "$h" "<tr><td>R0</td><td>left</td>"
hasnt "$h" "nan"
run 0 lsr -C rev report -o again
for f in out/*; do
	CHECKS=$((CHECKS + 1))
	cmp -s "$f" "again/$(basename "$f")" || fail "$(basename "$f") differs when rebuilt"
done

# refusals, naming the analysis
cp rev/protocol.yaml good.yaml
bad() {
	cp good.yaml rev/protocol.yaml
	echo "    - $1" >> rev/protocol.yaml
	run "$2" lsr -C rev pool --analysis bad
	has "$ERR" "$3"
}
bad '{name: bad, outcome: ALB, timepoint: 1 month, measure: MD, moderators: [weight]}' 3 \
	"analysis 'bad': moderator 'weight' is not a declared characteristic"
bad '{name: bad, outcome: ALB, timepoint: 1 month, measure: MD, moderators: [dose, dose]}' 3 \
	"analysis 'bad': moderator 'dose' is listed twice"
bad '{name: bad, outcome: ALB, timepoint: 1 month, measure: MD, cumulative_by: month}' 3 \
	"analysis 'bad': cumulative_by: 'month' is neither year nor a declared characteristic"
bad '{name: bad, outcome: ALB, timepoint: 1 month, measure: MD, trimfill_side: left}' 3 \
	"analysis 'bad': trimfill_side and trimfill_estimator go with addons: [trimfill]"
bad '{name: bad, outcome: ALB, timepoint: 1 month, measure: MD, moderators: [dose], subgroup: route}' 3 \
	"analysis 'bad': moderators and subgroup: give the meta-regression its own analysis"
bad '{name: bad, outcome: fever, timepoint: 30 days, measure: RR, moderators: [dose]}' 3 \
	"analysis 'bad': a meta-regression (moderators) uses inverse-variance weights: give it method: IV"
bad '{name: bad, outcome: ALB, timepoint: 1 month, measure: MD, addons: [trimfill], trimfill_side: up}' 3 \
	"trimfill_side"
finish
