#!/bin/sh
# lsr prisma, updated-review template: an update whose only new included
# report belongs to a study included before adds no new study and no
# report of a new study; the report counts in the totals (PRISMA 2020's
# template for updated reviews), shown on a line of its own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/screen_lib.sh"

cd "$TMP"
nbib() {
	for r in "$@"; do
		printf 'PMID- %s\nTI  - %s\nAU  - Smith J\nDP  - 2020\nAB  - Patients with cirrhosis.\n\n' \
			"${r%%|*}" "${r#*|}"
	done
}
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: update test
sources:
  - name: PubMed
    files: [exports/pm-*.nbib]
screening:
  reviewers: 1
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, stage: full-text}
EOF
mkdir rev/exports
# update 0: trial A
nbib "111|Stem cells for cirrhosis: trial A" > rev/exports/pm-1.nbib
run 0 lsr -C rev import rev/exports/pm-1.nbib --source PubMed
run 0 lsr -C rev dedup
screen_round rev title-abstract ta0
run 0 lsr -C rev screen fulltext 1 --retrieved
screen_round rev full-text ft0
run 0 lsr -C rev study link 1 --study "A 2020"
# update 1: only a follow-up report of trial A
nbib "222|Stem cells for cirrhosis: trial A five-year follow-up" > rev/exports/pm-2.nbib
SOURCE_DATE_EPOCH=1702000000 run 0 lsr -C rev update
screen_round rev title-abstract ta1
run 0 lsr -C rev screen fulltext 2 --retrieved
screen_round rev full-text ft1
run 0 lsr -C rev study link 2 --study "A 2020"

run 0 lsr -C rev prisma --update 1 --json
jqcheck "$OUT" '{previous_studies, previous_reports, studies_included, reports_included, reports_of_previous_studies, total_studies, total_reports}' \
	'{"previous_studies":1,"previous_reports":1,"studies_included":0,"reports_included":0,"reports_of_previous_studies":1,"total_studies":1,"total_reports":2}'
jqcheck "$OUT" .assessed 1
run 0 lsr -C rev prisma --update 1 --svg flow.svg
line() { printf '  %-48s %7d' "$1" "$2"; }
has "$OUT" "$(line 'new studies included' 0)"
has "$OUT" "$(line 'reports of new included studies' 0)"
has "$OUT" "$(line 'new reports of studies included before' 1)"
has "$OUT" "$(line 'total studies included in review' 1)"
has "$OUT" "$(line 'reports of total included studies' 2)"
has flow.svg "Reports of new included studies (n = 0)"
has flow.svg "New reports of studies included before (n = 1)"
has flow.svg "Reports of total included studies (n = 2)"
# the whole review and update 0 are as before
run 0 lsr -C rev prisma --json
jqcheck "$OUT" '{studies_included, reports_included, reports_of_previous_studies}' \
	'{"studies_included":1,"reports_included":2,"reports_of_previous_studies":0}'
run 0 lsr -C rev prisma --update 0 --json
jqcheck "$OUT" '{studies_included, reports_included}' '{"studies_included":1,"reports_included":1}'
finish
