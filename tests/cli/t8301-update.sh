#!/bin/sh
# lsr update: new export files found by the protocol's globs and imported
# once, incremental deduplication against the earlier records, the check
# of the included studies for errata and retractions, what is pending,
# closing, and the next update's window.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
# nbib RECORDS...: MEDLINE records "PMID|title|extra tag line" on stdout
nbib() {
	for r in "$@"; do
		echo "$r" | awk -F'|' '{
			printf "PMID- %s\nTI  - %s\nAU  - Smith J\nDP  - 2020\nLA  - eng\nPT  - Journal Article\nAB  - Patients with cirrhosis.\n", $1, $2
			if ($3 != "") printf "%s\n", $3
			printf "\n" }'
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
nbib "111|Stem cells for cirrhosis: trial A" "222|Hip fractures in the elderly" \
     "333|Cord cells for cirrhosis: trial B" > rev/exports/pm-1.nbib

# before any update: nothing to close
run 0 lsr -C rev update --status
has "$OUT" "no update yet"
run 1 lsr -C rev update --close
same "$(cat "$ERR")" "lsr update: error: no open update to close (start one with 'lsr update')"

# the review as first done (update 0): import, dedup, screen, one study each
run 0 lsr -C rev import rev/exports/pm-1.nbib --source PubMed
run 0 lsr -C rev dedup
# screen ROUND: decide every citation handed out, include the trials
screen() {
	run 0 lsr -C rev screen batch --reviewer ann --stage "$1" --size 50 -o "$2.csv"
	awk -F, -v ft="$1" 'NR == 1 { print; next }
		{ inc = ($2 ~ /trial/ && $2 !~ /Erratum/); OFS = ","
		  $(NF-6) = inc ? "include" : "exclude"; $(NF-5) = inc ? "" : (ft == "full-text" ? "abstract-only" : "off-topic"); print }' \
		"$2.csv" > "$2-filled.csv"
	run 0 lsr -C rev screen import "$2-filled.csv" --reviewer ann
}
screen title-abstract ta0
run 0 lsr -C rev screen fulltext 1 3 --retrieved
screen full-text ft0
run 0 lsr -C rev study link 1 --study "A 2020"
run 0 lsr -C rev study link 3 --study "B 2020"

# update 1: a second export with an erratum for trial A, trial B again
# (now with a retraction notice) and one new record
nbib "444|Erratum: Stem cells for cirrhosis: trial A|EFR - Erratum for: Stem cells for cirrhosis. PMID: 111" \
     "333|Cord cells for cirrhosis: trial B|RIN - Retraction in: J Foo. 2021. PMID: 777" \
     "555|Cord cells for cirrhosis: trial C" > rev/exports/pm-2.nbib
SOURCE_DATE_EPOCH=1702000000 run 0 lsr -C rev update --json
jqcheck "$OUT" '{update, continued, since, until}' '{"update":1,"continued":false,"since":"2023-11-14","until":"2023-12-08"}'
jqcheck "$OUT" '{new_citations, records_joining_earlier_citations, awaiting_title_abstract, records_added}' \
  '{"new_citations":2,"records_joining_earlier_citations":1,"awaiting_title_abstract":2,"records_added":{"PubMed":3}}'
# only the new file was imported
same "$(sql rev/review.db "SELECT u.file_name, ru.update_no FROM runs u JOIN run_updates ru ON ru.run_id = u.id ORDER BY u.id")" \
"rev/exports/pm-1.nbib|0
rev/exports/pm-2.nbib|1"
same "$(sql rev/review.db "SELECT DISTINCT f.update_no, f.kind, s.label, f.detail FROM update_flags f JOIN study_reports s USING (citation_id) ORDER BY s.label")" \
"1|erratum|A 2020|ErratumFor 111 (record 4)
1|retracted|B 2020|RetractionIn 777"
same "$(sql rev/review.db "SELECT citation_id, update_no FROM citation_updates ORDER BY citation_id")" \
"1|0
2|0
3|0
4|1
5|1"

# people's output says it loudly
SOURCE_DATE_EPOCH=1702000000 run 0 lsr -C rev update
has "$OUT" "update 1 (searches 2023-11-14 to 2023-12-08), continued"
has "$OUT" "!! 2 findings about reports of included studies in this update:"
has "$OUT" "!!   erratum: citation 1 (A 2020) Stem cells for cirrhosis: trial A: ErratumFor 111 (record 4)"
has "$OUT" "!!   retracted: citation 3 (B 2020) Cord cells for cirrhosis: trial B: RetractionIn 777"
has "$OUT" "title_abstract_to_screen              2"
same "$(sql rev/review.db "SELECT count(*) FROM runs")" "2"
same "$(sql rev/review.db "SELECT count(*) FROM update_flags")" "2"

# an open update keeps its window
run 2 lsr -C rev update --since 2024-01-01
has "$ERR" "update 1 is open: it continues with its window 2023-11-14 to 2023-12-08"

# cannot close with work pending; the database stays as it was
run 1 lsr -C rev update --close
has "$OUT" "title_abstract_to_screen"
has "$ERR" "update 1 cannot be closed while work is pending (above)"
same "$(sql rev/review.db "SELECT closed_at IS NULL FROM updates")" "1"
run 0 lsr -C rev update --status --json
jqcheck "$OUT" .ready_to_close false

# screen the new citations (trial C included, the erratum excluded), then close
screen title-abstract ta1
run 0 lsr -C rev screen fulltext 5 --retrieved
screen full-text ft1
run 0 lsr -C rev update --status
has "$OUT" "reports_not_linked_to_a_study"
run 0 lsr -C rev study link 5 --study "C 2020"
run 0 lsr -C rev update --status --json
jqcheck "$OUT" .ready_to_close true
SOURCE_DATE_EPOCH=1702100000 run 0 lsr -C rev update --close
same "$(cat "$OUT")" "update 1 closed"
run 1 lsr -C rev update --close
has "$ERR" "no open update to close"

# update 2 starts where update 1's window ended; nothing new
SOURCE_DATE_EPOCH=1704000000 run 0 lsr -C rev update --json
jqcheck "$OUT" '{update, since, new_citations}' '{"update":2,"since":"2023-12-08","new_citations":0}'

# usage
run 2 lsr -C rev update now
has "$ERR" "update takes no arguments"
run 2 lsr -C rev update --status --close
has "$ERR" "--status and --close go alone"
run 2 lsr -C rev update --status --since 2020-01-01
# update 2 found nothing: nothing pending, it closes
run 0 lsr -C rev update --close
same "$(cat "$OUT")" "update 2 closed"
finish
