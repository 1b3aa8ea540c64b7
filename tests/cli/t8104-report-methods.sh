#!/bin/sh
# lsr report: the Methods section written from the record (sources with
# their dates of search, database versions and strategies, deduplication
# counts, reviewers and their agreement, extraction and risk of bias, the
# analyses' options with references), the protocol's labels instead of
# keys, published results beside the review's with their flags (intervals,
# direction, the check-stats consistency of the published numbers), and
# the eligibility flag for an included study whose extracted design
# contradicts the protocol's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/screen_lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: methods from the record
picos:
  study_design: Randomised controlled trials only
sources:
  - name: PubMed
  - name: Embase
screening:
  reviewers: 2
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, stage: full-text}
extraction:
  extractors: 1
  allow_single_extractor: true
  characteristics:
    - {name: design, type: text, label: Study design}
    - {name: n_randomised, type: integer, label: Participants randomised}
  outcomes:
    - {name: MELD, label: MELD score, type: continuous, better: lower, timepoints: [1 month, 3 months]}
  risk_of_bias: rob2
analyses:
  defaults: {model: random, tau2: REML}
  list:
    - {name: meld-1m, label: "MELD score at 1 month <all trials>", outcome: MELD, timepoint: 1 month,
       measure: MD, ci: hk-adhoc,
       published: {estimate: "-1.12", ci_lb: "-1.84", ci_ub: "-0.40", p: "0.002", i2: "45", k: "2",
                   source: "Original review 2020 <Table 2>"}}
    - {name: meld-3m, label: MELD score at 3 months, outcome: MELD, timepoint: 3 months, measure: MD,
       tau2: DL, ci: z,
       published: {estimate: "2.50", ci_lb: "1.10", ci_ub: "3.90", p: "0.40",
                   source: "Seed review 2023, Fig. 4"}}
EOF
printf 'PMID- 1\nTI  - Trial one\nDP  - 2020\nAID - 10.1000/one [doi]\nAB  - x\n\nPMID- 2\nTI  - Trial two\nDP  - 2021\nAB  - y\n\nPMID- 3\nTI  - Off topic\nDP  - 2021\nAB  - z\n\n' > r.nbib
printf 'TY  - JOUR\nTI  - Trial one\nPY  - 2020\nDO  - 10.1000/one\nER  - \n\nTY  - JOUR\nTI  - Another off topic paper\nPY  - 2019\nER  - \n\n' > e.ris
printf '#1 cirrhosis[mh]\n#2 "stem cells"[tiab]\n#3 #1 AND #2\n' > pubmed-strategy.txt
run 0 lsr -C rev import r.nbib --source PubMed --searched 2024-03-01 --strategy pubmed-strategy.txt
run 0 lsr -C rev import e.ris --source Embase --searched 2024-03-02 \
	--database-version "Embase 1974 to 2024 February 29"
run 0 lsr -C rev dedup

# two reviewers deciding alike at each stage
decide() { # STAGE REVIEWER
	run 0 lsr -C rev screen batch --reviewer "$2" --stage "$1" --size 100 -o "$2-$1.csv"
	awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
		{ inc = ($2 ~ /Trial/); $(NF-6) = inc ? "include" : "exclude"; $(NF-5) = inc ? "" : "off-topic"; print }' \
		"$2-$1.csv" > "$2-$1-f.csv"
	run 0 lsr -C rev screen import "$2-$1-f.csv" --reviewer "$2"
}
decide title-abstract ann
decide title-abstract bob
run 0 lsr -C rev screen status --json
cp "$OUT" status.json
run 0 lsr -C rev screen fulltext 1 2 --retrieved
decide full-text ann
decide full-text bob
run 0 lsr -C rev study link 1 --study "One 2020"
run 0 lsr -C rev study link 2 --study "Two 2021"
cat > c.csv <<'EOF'
study,design,n_randomised,source
One 2020,parallel RCT,40,Table 1
Two 2021,Retrospective cohort (not randomised),60,Table 1
EOF
cat > o.csv <<'EOF'
study,outcome,timepoint,arm,n,mean,sd,events,source
One 2020,MELD,1 month,intervention,20,10.1,2.0,,T2
One 2020,MELD,1 month,control,20,11.4,2.2,,T2
Two 2021,MELD,1 month,intervention,30,12.0,2.5,,T2
Two 2021,MELD,1 month,control,30,12.9,2.4,,T2
One 2020,MELD,3 months,intervention,20,9.5,2.0,,T3
One 2020,MELD,3 months,control,20,11.8,2.1,,T3
Two 2021,MELD,3 months,intervention,30,11.0,2.5,,T3
Two 2021,MELD,3 months,control,30,12.6,2.4,,T3
EOF
run 0 lsr -C rev extract import c.csv --extractor ann
run 0 lsr -C rev extract import o.csv --extractor ann
run 0 lsr -C rev pool

run 0 lsr -C rev report -o out
h=out/index.html
# methods: sources with their dates, versions and strategies
has $h "<h2>Methods</h2>"
has $h "<li><strong>PubMed</strong> (database). Date of search: 2024-03-01; export file <code>r.nbib</code>"
has $h "<li><strong>Embase</strong> (database). Date of search: 2024-03-02; database version Embase 1974 to 2024 February 29; export file"
has $h "Strategy as run:<pre>#1 cirrhosis[mh]"
has $h "#2 &quot;stem cells&quot;[tiab]"
# deduplication: 5 records, Trial one twice
has $h "Of 5 records identified, 1 was removed as a duplicate and 4 citations were screened."
# reviewers and their agreement (both agree: kappa 1)
has $h "Each record was screened by 2 reviewers independently"
jqcheck status.json '.agreement[0] | {stage, kappa}' '{"stage":"title-abstract","kappa":1}'
has $h "Agreement at title-abstract: 100.0% of 4 citations, Cohen's kappa 1.00 (95% CI 1.00 to 1.00)"
has $h "Risk of bias was assessed with the Cochrane RoB 2 tool (effect of assignment to the intervention)"
# the analyses with their options and references
has $h "<li><strong>MELD score at 1 month &lt;all trials&gt;</strong> (<code>meld-1m</code>): MD, random-effects model, inverse-variance weights, tau&#178; by REML [3], Hartung-Knapp confidence intervals with the ad hoc correction"
has $h "tau&#178; by DL [6], Wald-type (normal) confidence intervals at the 95% level"
has $h "<li>Viechtbauer W. Bias and efficiency"
has $h "<li>DerSimonian R, Laird N."
has $h "<li>Hartung J, Knapp G."
# labels, never keys
has $h "<th>Study design</th><th>Participants randomised</th>"
hasnt $h "n_randomised</th>"
has $h "<h3 id=\"analysis-meld-1m\">MELD score at 1 month &lt;all trials&gt;</h3>"
# published beside this review
has $h "<h2>Published results and this review</h2>"
has $h "<td>Original review 2020 &lt;Table 2&gt;</td><td class=\"n\">2</td><td class=\"n\">-1.12 [-1.84, -0.40]</td><td class=\"n\">0.002</td><td class=\"n\">45</td><td class=\"n\">2</td>"
# 1 month: the same direction, overlapping intervals, consistent published p
grep '<tr><td>MELD score at 1 month &lt;all' $h > row1m
has row1m "<td>no flag</td></tr>"
# 3 months: the other direction, disjoint intervals, p inconsistent with the CI
grep '<tr><td>MELD score at 3 months' $h > row3m
has row3m "intervals do not overlap"
has row3m "direction differs"
has row3m "published p inconsistent</strong> (the p-value is not the one the interval implies; the interval implies p = 0.00047)"
# eligibility: the retrospective cohort flagged in the red box, the RCT not
has $h "<div class=\"alert\"><strong>Included studies whose extracted design contradicts the protocol</strong> (study design: Randomised controlled trials only):<ul>"
has $h "<li><strong>eligibility</strong>: Two 2021 &mdash; Study design: &ldquo;Retrospective cohort (not randomised)&rdquo;</li>"
hasnt $h "eligibility</strong>: One 2020"
hasnt $h "nan"

# a protocol open to non-randomised studies flags nothing
sed -i 's/study_design: Randomised controlled trials only/study_design: Randomised and non-randomised studies/' rev/protocol.yaml
run 0 lsr -C rev report -o out2
hasnt out2/index.html "eligibility</strong>"
# published needs its source; an unknown key is refused with its line
sed -i 's/source: "Seed review 2023, Fig. 4"/where: x/' rev/protocol.yaml
run 3 lsr -C rev report -o out3
has "$ERR" "analyses.list[2].published.where: unknown key"
finish
