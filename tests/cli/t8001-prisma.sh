#!/bin/sh
# lsr prisma: every box of the PRISMA 2020 flow from a small review built
# through the CLI (databases, a register, other methods, duplicates, an
# automatic exclusion, a record removed, screening with reasons, a report
# not retrieved, full-text exclusions, a study with two reports), the JSON
# contract, an update's template, the SVG, and the refusals.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
# nbib RECORDS...: MEDLINE records "PMID|title|language" on stdout
nbib() {
	for r in "$@"; do
		echo "$r" | awk -F'|' '{ lang = ($3 == "" ? "eng" : $3)
			printf "PMID- %s\nTI  - %s\nAU  - Smith J\nDP  - 2020\nLA  - %s\nPT  - Journal Article\nAB  - Patients with cirrhosis.\n\n", $1, $2, lang }'
	done
}
nbib "1|Stem cells for cirrhosis: trial A" "2|Hip fractures in the elderly" \
     "3|Cord cells for cirrhosis: trial B" "4|Zellen bei Zirrhose|ger" \
     "5|Long-term follow-up of trial A in cirrhosis" "6|Conference abstract on cirrhosis cells" > pubmed.nbib
# the same two articles again in another database, and one new
nbib "1|Stem cells for cirrhosis: trial A" "3|Cord cells for cirrhosis: trial B" \
     "7|Liver transplant outcomes" > embase.nbib
nbib "8|NCT0001 registration of a cirrhosis cell trial" > ctgov.nbib
nbib "9|A hand-searched cirrhosis cell report" > hand.nbib

run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: PRISMA <test> & "review"
sources:
  - name: PubMed
  - name: Embase <db>
  - {name: ClinicalTrials.gov, kind: register}
  - {name: Hand searching, kind: other}
screening:
  reviewers: 1
  reasons:
    - {code: off-topic, label: Not relevant, stage: title-abstract}
    - {code: language, label: Not in English, stage: title-abstract}
    - {code: abstract-only, label: Conference abstract, stage: full-text}
    - {code: registry-no-results, label: Registration without results, stage: full-text}
  rules:
    - name: non-english
      reason: language
      mode: exclude
      language_not: [eng]
EOF
run 0 lsr -C rev import pubmed.nbib --source PubMed
run 0 lsr -C rev import embase.nbib --source "Embase <db>"
run 0 lsr -C rev import ctgov.nbib --source ClinicalTrials.gov
run 0 lsr -C rev import hand.nbib --source "Hand searching"

# before deduplication: refused
run 1 lsr -C rev prisma
same "$(cat "$ERR")" "lsr prisma: error: 11 records are not deduplicated yet: run 'lsr dedup' first"

run 0 lsr -C rev dedup
same "$(sql rev/review.db 'SELECT count(*) FROM live_citations')" "9"
# record 7 (Liver transplant outcomes) removed before screening
run 0 lsr -C rev records remove 9 --reason "not a journal record"
run 0 lsr -C rev screen rules

# title-abstract: include the trials, the follow-up, the registration, the
# conference abstract and the hand-searched report; exclude the rest
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 50 -o ta.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
	{ inc = ($2 ~ /trial|follow-up|NCT|Conference|hand-searched/)
	  $(NF-6) = inc ? "include" : "exclude"; $(NF-5) = inc ? "" : "off-topic"; print }' ta.csv > ta-filled.csv
run 0 lsr -C rev screen import ta-filled.csv --reviewer ann
ids=$(sql rev/review.db "SELECT citation_id FROM screen_ft_status ORDER BY citation_id" | tr '\n' ' ')
# the hand-searched report could not be obtained
hand=$(sql rev/review.db "SELECT c.citation_id FROM citation_members c JOIN records r ON r.id = c.record_id WHERE r.pmid = '9'")
run 0 lsr -C rev screen fulltext $hand --not-retrieved "no library access"
for i in $ids; do
	[ "$i" = "$hand" ] || run 0 lsr -C rev screen fulltext "$i" --retrieved
done
run 0 lsr -C rev screen batch --reviewer ann --stage full-text --size 50 -o ft.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
	{ if ($2 ~ /NCT/) { $(NF-6) = "exclude"; $(NF-5) = "registry-no-results" }
	  else if ($2 ~ /Conference/) { $(NF-6) = "exclude"; $(NF-5) = "abstract-only" }
	  else { $(NF-6) = "include"; $(NF-5) = "" } print }' ft.csv > ft-filled.csv
run 0 lsr -C rev screen import ft-filled.csv --reviewer ann
cid() { sql rev/review.db "SELECT c.citation_id FROM citation_members c JOIN records r ON r.id = c.record_id WHERE r.pmid = '$1' LIMIT 1"; }
run 0 lsr -C rev study link "$(cid 1)" "$(cid 5)" --study "A 2020"
run 0 lsr -C rev study link "$(cid 3)" --study "B 2020"

run 0 lsr -C rev prisma --json
cp "$OUT" p.json
jqcheck p.json .update cumulative
jqcheck p.json '{identified_databases, identified_registers, identified_other}' \
  '{"identified_databases":{"PubMed":6,"Embase <db>":3},"identified_registers":{"ClinicalTrials.gov":1},"identified_other":{"Hand searching":1}}'
jqcheck p.json '{identified_total, identified_other_total, duplicates_removed, automation_excluded, other_removed}' \
  '{"identified_total":10,"identified_other_total":1,"duplicates_removed":2,"automation_excluded":1,"other_removed":1}'
jqcheck p.json '{screened, screen_excluded, screen_excluded_reasons, screen_pending}' \
  '{"screened":7,"screen_excluded":1,"screen_excluded_reasons":{"off-topic":1},"screen_pending":0}'
jqcheck p.json '{sought, not_retrieved, not_retrieved_reasons, awaiting_retrieval, assessed}' \
  '{"sought":6,"not_retrieved":1,"not_retrieved_reasons":{"no library access":1},"awaiting_retrieval":0,"assessed":5}'
jqcheck p.json '{fulltext_excluded, fulltext_excluded_total}' \
  '{"fulltext_excluded":{"abstract-only":1,"registry-no-results":1},"fulltext_excluded_total":2}'
jqcheck p.json '{studies_included, reports_included, reports_unlinked}' \
  '{"studies_included":2,"reports_included":3,"reports_unlinked":0}'
jqcheck p.json 'has("previous_studies")' false

# for people, and the diagram: escaped, well-formed
run 0 lsr -C rev prisma --svg flow.svg
has "$OUT" "  records screened                                       7"
has "$OUT" "    Registration without results                         1"
has "$OUT" "diagram: flow.svg"
has flow.svg "Embase &lt;db&gt; (n = 3)"
has flow.svg "PRISMA &lt;test&gt; &amp; &quot;review&quot;"
has flow.svg "Records marked as ineligible by automation tools (n = 1)"
has flow.svg "Identification of studies via other methods"
hasnt flow.svg "Previous studies"
CHECKS=$((CHECKS + 1))
xmllint --noout flow.svg 2>/dev/null || fail "flow.svg is not well-formed XML"

# update 1: one new record, a duplicate of an old one, a new included study
SOURCE_DATE_EPOCH=1702000000 run 0 lsr -C rev update --no-search
nbib "3|Cord cells for cirrhosis: trial B" "10|Marrow cells for cirrhosis: trial C" > pubmed2.nbib
run 0 lsr -C rev import pubmed2.nbib --source PubMed
run 0 lsr -C rev dedup
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 50 -o ta2.csv
sed 's/,,,,title-abstract/,include,,,title-abstract/' ta2.csv > ta2-filled.csv
run 0 lsr -C rev screen import ta2-filled.csv --reviewer ann
run 0 lsr -C rev screen fulltext "$(cid 10)" --retrieved
run 0 lsr -C rev screen batch --reviewer ann --stage full-text --size 50 -o ft2.csv
sed 's/,,,,full-text/,include,,,full-text/' ft2.csv > ft2-filled.csv
run 0 lsr -C rev screen import ft2-filled.csv --reviewer ann
run 0 lsr -C rev study link "$(cid 10)" --study "C 2023"
run 0 lsr -C rev prisma --update 1 --json --svg flow1.svg
cp "$OUT" p1.json
jqcheck p1.json '{update, PubMed: .identified_databases.PubMed, identified_total, duplicates_removed, screened}' \
  '{"update":1,"PubMed":2,"identified_total":2,"duplicates_removed":1,"screened":1}'
jqcheck p1.json '{studies_included, reports_included, previous_studies, previous_reports, total_studies, total_reports}' \
  '{"studies_included":1,"reports_included":1,"previous_studies":2,"previous_reports":3,"total_studies":3,"total_reports":4}'
has flow1.svg "Studies included in previous version of review (n = 2)"
has flow1.svg "Total studies included in review (n = 3)"
# update 0 is the review as first done; cumulative is the sum
run 0 lsr -C rev prisma --update 0 --json
jqcheck "$OUT" '{identified_total, studies_included}' '{"identified_total":10,"studies_included":2}'
run 0 lsr -C rev prisma --cumulative --json
jqcheck "$OUT" '{identified_total, duplicates_removed, studies_included, reports_included}' \
  '{"identified_total":12,"duplicates_removed":3,"studies_included":3,"reports_included":4}'

# an included report not linked to a study is said, and not a study
run 0 lsr -C rev study unlink "$(cid 10)"
run 0 lsr -C rev prisma --update 1 --json
has "$ERR" "1 included report is not linked to a study"
jqcheck "$OUT" '{reports_unlinked, studies_included}' '{"reports_unlinked":1,"studies_included":0}'

# refusals
run 2 lsr -C rev prisma --update 2
has "$ERR" "lsr prisma: error: no update 2 (the latest is 1; 0 is the review as first done)"
run 2 lsr -C rev prisma --update 1 --cumulative
run 2 lsr -C rev prisma --update -3
run 2 lsr -C rev prisma extra
run 1 lsr -C rev prisma --svg /nonexistent/dir/f.svg
has "$ERR" "cannot write '/nonexistent/dir/f.svg'"
# a report not retrieved among the status figures; in a copy, a second
# one for another reason (the reasons listed in their order)
status_as_views rev
cp -r rev rev-nr
other=$(sql rev-nr/review.db "SELECT citation_id FROM screen_ft_status WHERE status <> 'not-retrieved' ORDER BY citation_id LIMIT 1")
run 0 lsr -C rev-nr screen fulltext "$other" --not-retrieved "an archive copy lost"
run 0 lsr -C rev-nr screen status --json
jqcheck "$OUT" '[.full_text.not_retrieved_reasons[].reason]' '["an archive copy lost","no library access"]'
status_as_views rev-nr
finish
