#!/bin/sh
# The report's risk-of-bias figures per result (issue 15): the study-level
# traffic light and summary while every judgement is study level; one pair
# per outcome, under the outcome's protocol label, once a result has
# judgements of its own (RoB 2), per time point where RoB 2 is judged per
# time point; each with the studies that have data or judgements for it;
# every label escaped; byte-identical on rebuild.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rob_lib.sh"

cd "$TMP"
abc_review rev "per-result figures" <<'EOF'
extraction:
  extractors: 1
  allow_single_extractor: true
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month, 3 months],
       label: "Albumin <g/L> & \"serum\""}
    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days], label: Fever & chills}
    - {name: death, type: dichotomous, better: lower}
  risk_of_bias: rob2
EOF
# ALB for all three at 1 month, fever for A and B only, death for none
{ abc_data alb1; abc_data fever | sed -n 2,5p; } > outcomes.csv
run 0 lsr -C rev extract import outcomes.csv --extractor ann

# study level only: the one pair of figures, as before
{ echo "study,domain,question,answer,quote,judgement,justification"
  rob2_block "A 2017," low; rob2_block "B 2018," low; rob2_block "C 2019," high; } > study.csv
run 0 lsr -C rev rob import study.csv --assessor ann
run 0 lsr -C rev report -o rep0
has rep0/index.html "<h2>Risk of bias (RoB 2)</h2>"
[ -f rep0/rob-traffic-light.svg ] && [ -f rep0/rob-summary.svg ] || fail "no study-level figures"
CHECKS=$((CHECKS + 1))
has rep0/rob-traffic-light.svg "<title>C 2019, Overall: High risk of bias</title>"
hasnt rep0/index.html "rob-traffic-light-"
hasnt rep0/index.html "Risk of bias per outcome"

# ALB judged per result: B high, C low; then one pair per outcome
{ echo "study,outcome,domain,question,answer,quote,judgement,justification"
  rob2_block "B 2018,ALB," high; rob2_block "C 2019,ALB," low; } > alb.csv
run 0 lsr -C rev rob import alb.csv --assessor ann
run 0 lsr -C rev report -o rep
f=rep/rob-traffic-light-ALB.svg
for x in "$f" rep/rob-summary-ALB.svg rep/rob-traffic-light-fever.svg rep/rob-summary-fever.svg; do
	[ -f "$x" ] || fail "no $x"
done
CHECKS=$((CHECKS + 1))
[ -e rep/rob-traffic-light.svg ] && fail "the study-level figure is drawn beside the per-outcome ones"
# death has neither data nor judgements of its own: no figure
[ -e rep/rob-traffic-light-death.svg ] && fail "a figure for an outcome without studies"
CHECKS=$((CHECKS + 2))
run 0 xmllint --noout "$f" rep/rob-summary-ALB.svg rep/rob-traffic-light-fever.svg rep/rob-summary-fever.svg
# titled with the label, escaped in the SVG and in the HTML
has "$f" "<title>Risk of bias (RoB 2): traffic-light plot: Albumin &lt;g/L&gt; &amp; &quot;serum&quot;</title>"
has rep/rob-summary-ALB.svg "<title>Risk of bias (RoB 2): summary plot: Albumin &lt;g/L&gt; &amp; &quot;serum&quot;</title>"
has rep/index.html "<h3>Albumin &lt;g/L&gt; &amp; &quot;serum&quot;</h3>"
has rep/index.html "<figcaption>Risk of bias of each study for Albumin &lt;g/L&gt; &amp; &quot;serum&quot;, by domain (<a href=\"rob-traffic-light-ALB.svg\">"
has rep/index.html "<h3>Fever &amp; chills</h3>"
hasnt rep/index.html "<h3>death</h3>"
# ALB: the results' own judgements, A's study-level one
has "$f" "<title>B 2018, Overall: High risk of bias</title>"
has "$f" "<title>C 2019, Overall: Low risk of bias</title>"
has "$f" "<title>A 2017, Overall: Low risk of bias</title>"
# fever: the study-level judgements of the studies with fever data
has rep/rob-traffic-light-fever.svg "<title>B 2018, Overall: Low risk of bias</title>"
hasnt rep/rob-traffic-light-fever.svg "C 2019"
# in protocol order, inside the section
same "$(awk '/<h2>Risk of bias/ { on = 1; next } /<h2>/ { on = 0 } on' rep/index.html | grep -o '<h3>[^<]*</h3>' | tr '\n' '|')" "<h3>Albumin &lt;g/L&gt; &amp; &quot;serum&quot;</h3>|<h3>Fever &amp; chills</h3>|"
# byte-identical on rebuild
run 0 lsr -C rev report -o rep2
cmp -s rep/index.html rep2/index.html || fail "the report differs on rebuild"
cmp -s "$f" rep2/rob-traffic-light-ALB.svg || fail "the figure differs on rebuild"
CHECKS=$((CHECKS + 2))

# per time point: C high at 1 month; one pair per time point of ALB
sed -i 's/^  risk_of_bias: rob2$/  risk_of_bias: rob2\n  rob2_per_timepoint: true/' rev/protocol.yaml
{ echo "study,outcome,timepoint,domain,question,answer,quote,judgement,justification"
  rob2_block "C 2019,ALB,1 month," high; } > tp.csv
run 0 lsr -C rev rob import tp.csv --assessor ann
run 0 lsr -C rev report -o rep3
f=rep3/rob-traffic-light-ALB-1_month.svg
run 0 xmllint --noout "$f"
has "$f" "<title>Risk of bias (RoB 2): traffic-light plot: Albumin &lt;g/L&gt; &amp; &quot;serum&quot; at 1 month</title>"
has "$f" "<title>C 2019, Overall: High risk of bias</title>"
has "$f" "<title>B 2018, Overall: High risk of bias</title>"
has rep3/index.html "<h3>Albumin &lt;g/L&gt; &amp; &quot;serum&quot; at 1 month</h3>"
[ -e rep3/rob-traffic-light-ALB.svg ] && fail "the outcome-wide figure beside the per-time-point ones"
CHECKS=$((CHECKS + 1))
# 3 months: no data, B's and C's judgements for ALB's every time point
has rep3/rob-traffic-light-ALB-3_months.svg "<title>C 2019, Overall: Low risk of bias</title>"
hasnt rep3/rob-traffic-light-ALB-3_months.svg "A 2017"
finish
