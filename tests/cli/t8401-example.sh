#!/bin/sh
# The example review end to end (examples/msc-cirrhosis/run.sh, the
# README's first command): the seed's PRISMA numbers come out of what the
# simulated reviewers recorded, the update adds its trial and flags the
# erratum, and the report is rebuilt byte for byte.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 env LSR="$LSR" EXAMPLE_CORPUS="$LSR_BUILD/examples/example_corpus" \
	EXAMPLE_REVIEWER="$LSR_BUILD/examples/example_reviewer" \
	"$LSR_SRC/examples/msc-cirrhosis/run.sh" "$TMP/review"
cp "$OUT" run.out
rev=$TMP/review

# identification and deduplication of the original review (update 0)
same "$(sql "$rev/review.db" "SELECT s.name, count(*) FROM live_records r JOIN runs u ON u.id = r.run_id JOIN sources s ON s.id = u.source_id JOIN run_updates ru ON ru.run_id = u.id WHERE ru.update_no = 0 GROUP BY s.id ORDER BY s.id")" \
"PubMed|436
Embase|747
Web of Science|1354
Cochrane Library|62"
same "$(sql "$rev/review.db" "SELECT count(*) FROM citation_updates WHERE update_no = 0")" "1747"

# screening: the seed's reasons, from people's decisions (nothing automatic)
same "$(sql "$rev/review.db" "SELECT t.reason, count(*) FROM screen_ta_status t JOIN citation_updates c USING (citation_id) WHERE c.update_no = 0 AND t.status = 'excluded' GROUP BY t.reason ORDER BY t.reason")" \
"animal|29
language|58
not-rct|32
off-topic|1172
review|204"
same "$(sql "$rev/review.db" "SELECT count(*) FROM screen_ta_status WHERE decided_by = 'automation'")" "0"
same "$(sql "$rev/review.db" "SELECT f.reason, count(*) FROM screen_ft_status f JOIN citation_updates c USING (citation_id) WHERE c.update_no = 0 AND f.status = 'excluded' GROUP BY f.reason ORDER BY f.reason")" \
"abstract-only|216
registry-no-results|25"
# the deliberate disagreements went to the simulated third reviewer
same "$(sql "$rev/review.db" "SELECT count(*) > 0 FROM screen_decisions WHERE reviewer = 'simulated-reviewer-C'")" "1"
same "$(sql "$rev/review.db" "SELECT group_concat(label, ', ') FROM (SELECT DISTINCT label FROM study_reports ORDER BY label)")" \
"Amer 2011, Bai 2014, El-Ansary 2012, Example 2024, Fang 2018, Li 2023, Mohamadnejad 2013, Peng 2011, Salama 2014, Shi 2021, Suk 2016, Zhang 2012"

# the update: its records, the new trial, the erratum flagged
has run.out "imported PubMed"
has run.out "!!   erratum: citation"
has run.out "(Fang 2018)"
same "$(sql "$rev/review.db" "SELECT no, closed_at IS NOT NULL FROM updates")" "1|1"

# lsr prisma on the example gives the seed's numbers
run 0 lsr -C "$rev" prisma --update 0 --json
cp "$OUT" p0.json
jqcheck p0.json '{identified_total, duplicates_removed, automation_excluded, screened, screen_excluded}' \
  '{"identified_total":2599,"duplicates_removed":852,"automation_excluded":0,"screened":1747,"screen_excluded":1495}'
jqcheck p0.json '{sought, assessed, fulltext_excluded_total, studies_included, reports_included}' \
  '{"sought":252,"assessed":252,"fulltext_excluded_total":241,"studies_included":11,"reports_included":11}'
run 0 lsr -C "$rev" prisma --update 1 --json
jqcheck "$OUT" '{previous_studies, studies_included, total_studies}' '{"previous_studies":11,"studies_included":1,"total_studies":12}'
# the run ends by printing the seed's flow
has run.out "PRISMA (update 0): 2599 records identified -> 1747 screened -> 252 full texts assessed -> 11 studies"
# the pooled results of both versions are stored; the report is rebuilt byte for byte
same "$(sql "$rev/review.db" "SELECT update_no, count(DISTINCT analysis) FROM pool_results GROUP BY update_no")" "0|14
1|14"
# the living-review view: ALB at 1 month cumulated by the year of each
# study's reports, the update's trial last
same "$(sql "$rev/review.db" "SELECT group_concat(json_extract(r.value, '\$.added'), ', ') FROM pool_results, json_each(json_extract(result, '\$.cumulative.REML.rows')) r WHERE analysis = 'alb-1m-by-year' AND update_no = 1")" \
"Amer 2011, Peng 2011, El-Ansary 2012, Zhang 2012, Bai 2014, Salama 2014, Fang 2018, Shi 2021, Example 2024"
has "$rev/report/index.html" "<a href=\"cumulative-alb-1m-by-year.svg\">"
# what changed: time-point analyses have no total to compare
has "$rev/report/index.html" "<tr><td>MELD score at 2 weeks, 1, 2, 3, 6 and 12 months</td><td>MD, subtotals only, 17 rows</td><td>MD, subtotals only, 19 rows</td><td>changed</td></tr>"
# the methods written from the record: the four databases with their
# dates of search, the seed's deduplication, two reviewers, the models
h=$rev/report/index.html
has $h "<h2>Methods</h2>"
has $h "<li><strong>PubMed</strong> (database). Date of search: "
has $h "<li><strong>Cochrane Library</strong> (database). Date of search: "
# update 1's exports: their date of search (lsr update --searched) and the
# strategy the protocol's sources give; file names relative to the review
# (run.sh's clock: SOURCE_DATE_EPOCH, the update a month on)
has $h "<li><strong>PubMed</strong> (database). Date of search: $(date -u -d @$((SOURCE_DATE_EPOCH + 31 * 86400)) +%Y-%m-%d); export file <code>exports/pubmed-2023-06.xml</code> imported as run 5 (update 1, "
has $h "Strategy as run:<pre>&quot;mesenchymal stem cells&quot; AND &quot;liver cirrhosis&quot;; English; records added since the last search</pre>"
hasnt $h "Date of search: not recorded"
hasnt $h "$(cd "$rev" && pwd -P)/"
has $h "Of 11 records identified in update 1, 4 were removed as duplicates and 7 citations were screened."
has $h "Each record was screened by 2 reviewers independently"
has $h "Cohen's kappa "
has $h "the Cochrane risk-of-bias tool (RoB 1)"
# risk of bias per result: detection and attrition bias judged per outcome
# (extraction.rob1_per_outcome); the simulated update trial's attrition
# differs between its outcomes, and so do its forest plots' columns; the
# extractors' per-outcome disagreement is settled for that outcome only
has $h "judged separately for each outcome: Blinding of outcome assessment (detection bias) and Incomplete outcome data (attrition bias)"
has $h "Risk of bias per outcome: "
for o in MELD ALB ALT AST TBIL INR fever; do
	has $h "<a href=\"rob-traffic-light-$o.svg\">"
	has $h "<a href=\"rob-summary-$o.svg\">"
done
r=$rev/report
has $r/rob-traffic-light-MELD.svg "Example 2024, Incomplete outcome data (attrition bias): High risk of bias"
has $r/rob-traffic-light-ALB.svg "Example 2024, Incomplete outcome data (attrition bias): Low risk of bias"
has $r/forest-meld-by-time.svg "<title>Example 2024, Incomplete outcome data (attrition bias): High risk of bias</title>"
hasnt $r/forest-meld-by-time.svg "<title>Example 2024, Incomplete outcome data (attrition bias): Low risk of bias</title>"
has $r/forest-alb-by-time.svg "<title>Example 2024, Incomplete outcome data (attrition bias): Low risk of bias</title>"
has $r/rob-traffic-light-fever.svg "Shi 2021, Blinding of outcome assessment (detection bias): Unclear risk of bias"
same "$(sql "$rev/review.db" "SELECT count(*) FROM rob_consensus WHERE outcome = 'fever'")" 1
has $h "(<code>alb-by-route</code>): SMD (Hedges' g) [4], random-effects model, inverse-variance weights, tau&#178; by REML [3], Wald-type (normal) confidence intervals at the 95% level"
# labels, not keys
has $h "<th>Patients (MSC)</th><th>Patients (control)</th>"
hasnt $h "<th>n_msc</th>"
has $h "<h3 id=\"analysis-alb-by-route\">Serum albumin at 1 month by route of administration</h3>"
# Lu et al. 2023's pooled results beside the replay's, the seed's
# inconsistent MELD at 2 weeks flagged (and not reproduced: no data here)
has $h "<h2>Published results and this review</h2>"
has $h "<td>Lu et al. 2023 (seed review), Fig. 10</td><td class=\"n\"></td><td class=\"n\">0.50 [0.02, 0.97]</td><td class=\"n\">0.04</td><td class=\"n\">79</td>"
grep '<tr><td>MELD score at 2 weeks <span' $h > meld2w
has meld2w "no data in this review"
has meld2w "<strong class=\"flag\">published p inconsistent</strong> (the p-value is not the one the interval implies; the interval implies p = 0.05)"
# the replay's own numbers beside the seed's
has $h "<td>Lu et al. 2023 (seed review), Fig. 6</td><td class=\"n\"></td><td class=\"n\">0.51 [-0.08, 1.11]</td><td class=\"n\">0.09</td><td class=\"n\">81</td><td class=\"n\">8</td>"
# the seed's non-randomised trials, flagged against its own protocol
has $h "<li><strong>eligibility</strong>: Li 2023 &mdash; Study design: &ldquo;retrospective cohort"
has $h "<li><strong>eligibility</strong>: Peng 2011 &mdash; Study design: &ldquo;matched controls from inpatients (not randomised)&rdquo;</li>"
hasnt "$rev/report/index.html" "nan"
run 0 lsr -C "$rev" report -o "$TMP/again"
for f in "$TMP"/again/*; do
	CHECKS=$((CHECKS + 1))
	cmp -s "$f" "$rev/report/$(basename "$f")" || fail "$(basename "$f") differs when rebuilt"
done
has "$rev/report/index.html" "Illustrative data: "
finish
