#!/bin/sh
# Batch files carry what a reader needs to screen (issue 12): authors,
# year, journal and publication types beside title and abstract, from the
# citation's merged metadata.  A batch file in the layout before these
# columns (written by an older lsr) still imports.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
cat > recs.ris <<'RIS'
TY  - JOUR
TI  - Stem cells in cirrhosis, a trial
AU  - Smith, John
AU  - Doe, Jane
PY  - 2019
JO  - Journal of Hepatology
M3  - Randomized Controlled Trial
AB  - Patients received cells.
ER  - 

TY  - JOUR
TI  - Cord blood for liver failure
AU  - Wang, Li
PY  - 2021
JO  - Liver International
AB  - A cohort.
ER  - 

RIS
run 0 lsr init rev
cat > rev/protocol.yaml <<'YAML'
lsr_protocol: 1
title: columns
sources:
  - name: PubMed
screening:
  reviewers: 1
  reasons:
    - {code: off-topic, stage: title-abstract}
YAML
run 0 lsr -C rev import recs.ris --source PubMed
run 0 lsr -C rev dedup
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 1 --seed 1 -o b1.csv
same "$(head -1 b1.csv)" "id,title,authors,year,journal,publication_types,abstract,keywords,suggestion,verdict,reason,note,stage,reviewer,batch,fulltext"
# read it back as CSV (quoted fields with commas in them)
sqlite3 cols.db ".import --csv b1.csv b" || fail "b1.csv is not CSV"
id1=$(sql cols.db "SELECT id FROM b")
same "$(sql rev/review.db "SELECT title FROM citation_metadata WHERE id = $id1")" "$(sql cols.db "SELECT title FROM b")"
case $(sql cols.db "SELECT title FROM b") in
Stem*) same "$(sql cols.db "SELECT authors, year, journal, abstract FROM b")" \
		"Smith, John; Doe, Jane|2019|Journal of Hepatology|Patients received cells." ;;
*) same "$(sql cols.db "SELECT authors, year, journal, abstract FROM b")" \
		"Wang, Li|2021|Liver International|A cohort." ;;
esac
pt=$(sql rev/review.db "SELECT group_concat(j.value, '; ') FROM citation_metadata m, records r, json_each(r.publication_types) j WHERE m.id = $id1 AND r.id = m.representative_id")
case $id1 in 1) same "$pt" "Randomized Controlled Trial" ;; esac
same "$(sql cols.db "SELECT publication_types FROM b")" "$pt"

# filled in the new layout: imports
sqlite3 cols.db "UPDATE b SET verdict = 'include'"
{ head -1 b1.csv; sqlite3 -csv cols.db "SELECT * FROM b"; } > b1-done.csv
run 0 lsr -C rev screen import b1-done.csv --reviewer ann
same "$(sql rev/review.db "SELECT citation_id, verdict FROM screen_decisions WHERE reviewer = 'ann'")" "$id1|include"

# a batch file of the old layout (12 columns) still imports
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 1 --seed 1 -o b2.csv
id2=$(sed -n 2p b2.csv | cut -d, -f1)
[ "$id2" != "$id1" ] || fail "the second batch handed out $id1 again"
b2=$(sed -n 2p b2.csv | awk -F, '{ print $(NF-1) }')
{
	echo "id,title,abstract,keywords,suggestion,verdict,reason,note,stage,reviewer,batch,fulltext"
	echo "$id2,Some title,Some abstract,,,exclude,off-topic,old layout,title-abstract,ann,$b2,"
} > old-layout.csv
run 0 lsr -C rev screen import old-layout.csv --reviewer ann
same "$(sql rev/review.db "SELECT verdict, reason, note FROM screen_decisions WHERE citation_id = $id2")" \
	"exclude|off-topic|old layout"
finish
