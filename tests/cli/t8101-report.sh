#!/bin/sh
# lsr report: a self-contained HTML report of a small review - every
# section, every text escaped, nothing loaded from elsewhere, illustrative
# data marked, the figures as files, byte-identical when rebuilt - and the
# refusals.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: Report <script>alert(1)</script> & "test"
registration: PROSPERO CRD0000
question: Does it work?
picos:
  population: adults <18 excluded>
sources:
  - name: PubMed
screening:
  reviewers: 1
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, stage: full-text}
extraction:
  extractors: 1
  allow_single_extractor: true
  characteristics:
    - {name: country, type: text}
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month]}
    - {name: fever, type: dichotomous, better: lower, kind: adverse_event, timepoints: [30 days]}
analyses:
  list:
    - {name: alb-1m, outcome: ALB, timepoint: 1 month, measure: MD}
EOF
printf 'PMID- 1\nTI  - Trial <b>one</b> & cells\nDP  - 2020\nLA  - eng\nAB  - x\n\nPMID- 2\nTI  - Trial two\nDP  - 2021\nLA  - eng\nAB  - y\n\nPMID- 3\nTI  - Off topic\nDP  - 2021\nLA  - eng\nAB  - z\n\n' > r.nbib
run 0 lsr -C rev import r.nbib --source PubMed
run 0 lsr -C rev dedup
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 9 -o ta.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { inc = ($2 ~ /Trial/); $(NF-6) = inc ? "include" : "exclude"; $(NF-5) = inc ? "" : "off-topic"; print }' ta.csv > ta-f.csv
run 0 lsr -C rev screen import ta-f.csv --reviewer ann
run 0 lsr -C rev screen fulltext 1 2 --retrieved
run 0 lsr -C rev screen batch --reviewer ann --stage full-text --size 9 -o ft.csv
sed 's/,,,,full-text/,include,,,full-text/' ft.csv > ft-f.csv
run 0 lsr -C rev screen import ft-f.csv --reviewer ann
run 0 lsr -C rev study link 1 --study "One <2020>"
run 0 lsr -C rev study link 2 --study "Two 2021"
cat > c.csv <<'EOF'
study,country,source
One <2020>,Côte d'Ivoire & <Mali>,Table 1
Two 2021,Peru,ILLUSTRATIVE: made up
EOF
cat > o.csv <<'EOF'
study,outcome,timepoint,arm,n,mean,sd,events,source
One <2020>,ALB,1 month,intervention,20,33.1,3.9,,T2
One <2020>,ALB,1 month,control,20,30.2,4.2,,T2
Two 2021,ALB,1 month,intervention,30,32.0,4.0,,ILLUSTRATIVE
Two 2021,ALB,1 month,control,30,30.0,4.1,,ILLUSTRATIVE
One <2020>,fever,30 days,intervention,20,,,3,T4
One <2020>,fever,30 days,control,20,,,1,T4
EOF
run 0 lsr -C rev extract import c.csv --extractor ann
run 0 lsr -C rev extract import o.csv --extractor ann
run 0 lsr -C rev pool

run 0 lsr -C rev report -o out
same "$(cat "$OUT")" "report written: out/index.html"
h=out/index.html
has $h "<title>Report &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;test&quot;</title>"
hasnt $h "<script"
hasnt $h "<link"
hasnt $h " src="
hasnt $h "href=\"http"
hasnt $h "url("
has $h "adults &lt;18 excluded&gt;"
has $h "<h2>PRISMA 2020 flow</h2>"
has $h "<h2>Characteristics of included studies</h2>"
has $h "<td>One &lt;2020&gt;</td><td>Côte d&#39;Ivoire &amp; &lt;Mali&gt;</td>"
has $h "<td>Two 2021 &#8224;</td>"
has $h "Trial &lt;b&gt;one&lt;/b&gt; &amp; cells"
has $h "<h2>Risk of bias</h2>"
has $h "No risk-of-bias judgements recorded yet."
has $h "<h3 id=\"analysis-alb-1m\">alb-1m</h3>"
has $h "&#8224; Illustrative data: Two 2021."
has $h "<h2>Adverse events</h2>"
has $h "<td class=\"n\">3 / 20</td><td class=\"n\">1 / 20</td>"
hasnt $h "What changed"
for f in prisma.svg forest-alb-1m.svg; do
	CHECKS=$((CHECKS + 1))
	xmllint --noout "out/$f" 2>/dev/null || fail "out/$f missing or not well-formed"
done

# rebuilt from the same database: the same bytes
run 0 lsr -C rev report -o again
for f in out/*; do
	CHECKS=$((CHECKS + 1))
	cmp -s "$f" "again/$(basename "$f")" || fail "$f differs when rebuilt"
done

# an update: what changed, the flags, the updated-review template
SOURCE_DATE_EPOCH=1702000000 run 0 lsr -C rev update --no-search
run 0 lsr -C rev pool
run 0 lsr -C rev report -o u1
has u1/index.html "Living update 1"
has u1/index.html "<h2>What changed since update 0</h2>"
has u1/index.html "New studies: none."
has u1/index.html "unchanged</td></tr>"
[ -f u1/prisma-update-1.svg ] || fail "no prisma-update-1.svg"
run 0 lsr -C rev report -o u0 --update 0
hasnt u0/index.html "What changed"

# refusals
run 2 lsr -C rev report
has "$ERR" "report needs -o DIR"
run 2 lsr -C rev report -o x --update 4
has "$ERR" "no update 4 (the latest is 1)"
run 1 lsr -C rev report -o /nonexistent/dir/r
has "$ERR" "cannot create '/nonexistent/dir/r'"
finish
