#!/bin/sh
# lsr report: the table of reports excluded at full text with their
# reasons (the protocol's labels), and an "Adverse events" section made of
# the outcomes the protocol marks kind: adverse_event only - a dichotomous
# outcome where fewer is better is not a harm by that alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/screen_lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: excluded and adverse
sources:
  - name: PubMed
screening:
  reviewers: 1
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: wrong-design, label: "Not randomised <cohort>", stage: full-text}
    - {code: abstract-only, stage: full-text}
extraction:
  extractors: 1
  allow_single_extractor: true
  outcomes:
    - {name: relapse, type: dichotomous, better: lower, timepoints: [12 months]}
    - {name: bleeding, type: dichotomous, better: lower, kind: adverse_event, timepoints: [30 days]}
    - {name: ALT, type: continuous, better: lower, kind: adverse_event, timepoints: [1 month]}
EOF
printf 'PMID- 1\nTI  - Trial one\nDP  - 2020\nAB  - x\n\nPMID- 2\nTI  - Cohort & <two>\nDP  - 2018\nAB  - y\n\nPMID- 3\nTI  - Trial three abstract\nDP  - 2021\nAB  - z\n\n' > r.nbib
run 0 lsr -C rev import r.nbib --source PubMed
run 0 lsr -C rev dedup
screen_round rev title-abstract ta
run 0 lsr -C rev screen fulltext 1 2 3 --retrieved
screen_round rev full-text ft Cohort wrong-design abstract abstract-only
run 0 lsr -C rev study link 1 --study "One 2020"
cat > o.csv <<'EOF'
study,outcome,timepoint,arm,n,mean,sd,events,source
One 2020,relapse,12 months,intervention,20,,,2,T2
One 2020,relapse,12 months,control,20,,,5,T2
One 2020,bleeding,30 days,intervention,20,,,1,T3
One 2020,bleeding,30 days,control,21,,,0,T3
One 2020,ALT,1 month,intervention,20,41.5,9.25,,T4
One 2020,ALT,1 month,control,21,44,10,,T4
EOF
run 0 lsr -C rev extract import o.csv --extractor ann

run 0 lsr -C rev report -o out
h=out/index.html
has $h "<h2>Excluded full-text reports</h2>"
has $h "<tr><th>Report</th><th>Year</th><th>Update</th><th>Reason for exclusion</th></tr>"
has $h "<tr><td>Cohort &amp; &lt;two&gt; <span class=\"note\">(citation 2)</span></td><td>2018</td><td class=\"n\">0</td><td>Not randomised &lt;cohort&gt;</td></tr>"
has $h "<tr><td>Trial three abstract <span class=\"note\">(citation 3)</span></td><td>2021</td><td class=\"n\">0</td><td>abstract-only</td></tr>"
same "$(grep -c '(citation ' $h)" 2
has $h "<h2>Adverse events</h2>"
has $h "<tr><td>bleeding</td><td>One 2020</td><td>30 days</td><td class=\"n\">1 / 20</td><td class=\"n\">0 / 21</td></tr>"
has $h "<tr><td>ALT</td><td>One 2020</td><td>1 month</td><td class=\"n\">41.5 (9.25), n = 20</td><td class=\"n\">44 (10), n = 21</td></tr>"
hasnt $h "<tr><td>relapse</td>"

# no harm marked, no section
sed -i 's/, kind: adverse_event//' rev/protocol.yaml
run 0 lsr -C rev report -o out2
hasnt out2/index.html "Adverse events"
# an unknown kind is refused with its line
sed -i 's/name: ALT, type: continuous,/name: ALT, type: continuous, kind: harm,/' rev/protocol.yaml
run 3 lsr -C rev report -o out3
has "$ERR" "rev/protocol.yaml:17: extraction.outcomes[3].kind: expected efficacy or adverse_event, not 'harm'"
finish
