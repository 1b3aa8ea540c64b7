#!/bin/sh
# Ongoing studies and studies awaiting classification (issue 15): a
# full-text reason with status ongoing / awaiting-classification takes its
# reports out of the excluded ones - PRISMA counts them apart (JSON, text,
# diagram) with its arithmetic whole, the report tables them - and the
# report's tables list only the updates up to the one shown.  A
# title-abstract reason cannot carry such a status.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/screen_lib.sh"

cd "$TMP"
nbib() {
	for r in "$@"; do
		printf 'PMID- %s\nTI  - %s\nDP  - 2021\nAB  - Patients with cirrhosis.\n\n' "${r%%|*}" "${r#*|}"
	done
}
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: ongoing and awaiting
sources:
  - name: PubMed
    files: [exports/pm-*.nbib]
screening:
  reviewers: 1
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, label: Conference abstract only, stage: full-text}
    - {code: registry, label: "Registration <no results>", stage: full-text, status: ongoing}
    - {code: no-reply, label: Data asked of the authors, stage: full-text, status: awaiting-classification}
    - {code: wrong-design, stage: full-text, status: excluded}
EOF
mkdir rev/exports
# update 0: one included trial, one abstract, two registrations, one awaiting, one wrong design
nbib "1|Trial A" "2|Abstract B" "3|Registry C" "4|Registry D" "5|Unclear E" "6|Cohort F" > rev/exports/pm-1.nbib
run 0 lsr -C rev import rev/exports/pm-1.nbib --source PubMed
run 0 lsr -C rev dedup
screen_round rev title-abstract ta0
run 0 lsr -C rev screen fulltext 1 2 3 4 5 6 --retrieved
screen_round rev full-text ft0 Abstract abstract-only Registry registry Unclear no-reply Cohort wrong-design
run 0 lsr -C rev study link 1 --study "A 2021"

run 0 lsr -C rev prisma --json
jqcheck "$OUT" '{assessed, fulltext_excluded_total, fulltext_excluded, fulltext_ongoing, fulltext_awaiting_classification, reports_included}' \
	'{"assessed":6,"fulltext_excluded_total":2,"fulltext_excluded":{"abstract-only":1,"wrong-design":1},"fulltext_ongoing":2,"fulltext_awaiting_classification":1,"reports_included":1}'
run 0 lsr -C rev prisma --svg flow.svg
line() { printf '  %-48s %7d' "$1" "$2"; }
has "$OUT" "$(line 'reports excluded' 2)"
has "$OUT" "$(line 'reports of ongoing studies' 2)"
has "$OUT" "$(line 'reports of studies awaiting classification' 1)"
has flow.svg "ongoing studies (n = 2)"
has flow.svg "awaiting classification (n = 1)"
hasnt flow.svg "Registration"

# update 1: one more registration and one more exclusion
nbib "7|Registry G" "8|Abstract H" > rev/exports/pm-2.nbib
SOURCE_DATE_EPOCH=1702000000 run 0 lsr -C rev update
screen_round rev title-abstract ta1
run 0 lsr -C rev screen fulltext 7 8 --retrieved
screen_round rev full-text ft1 Abstract abstract-only Registry registry
run 0 lsr -C rev prisma --update 1 --json
jqcheck "$OUT" '{assessed, fulltext_excluded_total, fulltext_ongoing, fulltext_awaiting_classification, reports_included}' \
	'{"assessed":2,"fulltext_excluded_total":1,"fulltext_ongoing":1,"fulltext_awaiting_classification":0,"reports_included":0}'
run 0 lsr -C rev prisma --json
jqcheck "$OUT" '{assessed, fulltext_excluded_total, fulltext_ongoing, fulltext_awaiting_classification}' \
	'{"assessed":8,"fulltext_excluded_total":3,"fulltext_ongoing":3,"fulltext_awaiting_classification":1}'

# the report of update 1: every update's reports, each table its own
run 0 lsr -C rev report -o r1 --no-png
h=r1/index.html
has $h "<h2>Excluded full-text reports</h2>"
has $h "<h2>Ongoing studies</h2>"
has $h "<h2>Studies awaiting classification</h2>"
row() { # TITLE CITATION UPDATE WHY
	printf '<tr><td>%s <span class="note">(citation %s)</span></td><td>2021</td><td class="n">%s</td><td>%s</td></tr>' "$@"
}
has $h "$(row 'Abstract B' 2 0 'Conference abstract only')"
has $h "$(row 'Cohort F' 6 0 'wrong-design')"
has $h "$(row 'Abstract H' 8 1 'Conference abstract only')"
has $h "$(row 'Registry C' 3 0 'Registration &lt;no results&gt;')"
has $h "$(row 'Registry D' 4 0 'Registration &lt;no results&gt;')"
has $h "$(row 'Registry G' 7 1 'Registration &lt;no results&gt;')"
has $h "$(row 'Unclear E' 5 0 'Data asked of the authors')"
# each report in one table only, in the table of its reason's status
same "$(grep -c '(citation ' $h)" 7
sed -n '/<h2>Excluded full-text reports<\/h2>/,/<h2>Ongoing studies<\/h2>/p' $h > excl.html
hasnt excl.html "Registry"
hasnt excl.html "Unclear"
sed -n '/<h2>Ongoing studies<\/h2>/,/<h2>Studies awaiting classification<\/h2>/p' $h > ongoing.html
same "$(grep -c '(citation ' ongoing.html)" 3
has $h "ongoing studies (n = 1)"

# the report of update 0: its reports only
run 0 lsr -C rev report -o r0 --update 0 --no-png
h=r0/index.html
has $h "$(row 'Abstract B' 2 0 'Conference abstract only')"
has $h "$(row 'Registry C' 3 0 'Registration &lt;no results&gt;')"
hasnt $h "Abstract H"
hasnt $h "Registry G"
same "$(grep -c '(citation ' $h)" 5

# without such reasons: no such tables, the excluded table as before
sed -i '/status: ongoing/d; /awaiting-classification/d' rev/protocol.yaml
printf '    - {code: registry, stage: full-text}\n    - {code: no-reply, stage: full-text}\n' >> rev/protocol.yaml
run 0 lsr -C rev report -o r2 --no-png
hasnt r2/index.html "<h2>Ongoing studies</h2>"
hasnt r2/index.html "<h2>Studies awaiting classification</h2>"
has r2/index.html "$(row 'Registry C' 3 0 'registry')"
run 0 lsr -C rev prisma --json
jqcheck "$OUT" '{fulltext_excluded_total, fulltext_ongoing, fulltext_awaiting_classification}' \
	'{"fulltext_excluded_total":7,"fulltext_ongoing":0,"fulltext_awaiting_classification":0}'

# a title-abstract reason cannot be ongoing
printf '    - {code: trial-reg, stage: title-abstract, status: ongoing}\n' >> rev/protocol.yaml
run 3 lsr -C rev prisma
has "$ERR" "status 'ongoing' goes with a full-text reason (stage: full-text), not a title-abstract one"
finish
