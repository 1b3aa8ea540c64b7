#!/bin/sh
# lsr grade counts participants and events as the forest plot, the table
# and the review's text line do (RevMan): a study not estimable counts,
# one left out does not (issue 15); the median control risk is of the
# same studies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/grade-lib.sh"

cd "$TMP"
grade_review rev "grading totals" "Randomised controlled trials" "A 2017" "B 2018" "Z 2020" <<'EOF2'
    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days]}
analyses:
  defaults: {model: fixed}
  list:
    - {name: fever, outcome: fever, timepoint: 30 days, measure: RR}
summary_of_findings:
  - {outcome: fever}
EOF2
# Z 2020 has no events in either arm: not estimable for RR, but its 45
# participants count
cat > outcomes.csv <<'EOF2'
study,outcome,timepoint,arm,n,events,source
A 2017,fever,30 days,intervention,50,10,T1
A 2017,fever,30 days,control,50,20,T1
B 2018,fever,30 days,intervention,40,8,T1
B 2018,fever,30 days,control,40,15,T1
Z 2020,fever,30 days,intervention,25,0,T1
Z 2020,fever,30 days,control,20,0,T1
EOF2
run 0 lsr -C rev extract import outcomes.csv --extractor ann
run 0 lsr -C rev pool
has "$OUT" "k = 2 (studies; 1 more not estimable), 225 participants"
has "$OUT" "Z 2020: not estimable"
# the forest plot's totals: 50 + 40 + 25 and 50 + 40 + 20
has rev/figures/forest-fever.svg ">115<"
has rev/figures/forest-fever.svg ">110<"
run 0 lsr -C rev grade --json
jqcheck "$OUT" '.outcomes[0] | {k, studies, participants, events}' '{"k":2,"studies":3,"participants":225,"events":53}'
run 0 lsr -C rev grade
has "$OUT" "k = 2 (1 more not estimable), 225 participants, 53 events"
# the control risks of the studies counted: 0.4, 0.375 and 0 (Z): 0.375
run 0 lsr -C rev grade --json
jqcheck "$OUT" '.outcomes[0].absolute.assumed_per_1000' '375'
# the report's summary of findings says the same as its text line
run 0 lsr -C rev report -o out
has out/index.html "225 (3 studies)"
finish
