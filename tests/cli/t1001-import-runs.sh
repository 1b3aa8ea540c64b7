#!/bin/sh
# The import pipeline with small files of our own: one run per file, the
# duplicate-content check, rejection leaving the database unchanged, run
# withdrawal, record removal, listing and writing records out.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > a.ris <<'RIS'
TY  - JOUR
TI  - Mesenchymal stem cells in cirrhosis: a trial
AU  - Smith, John
AU  - Doe, Jane
PY  - 2019
JO  - Journal of Hepatology
VL  - 12
IS  - 3
SP  - 112
EP  - 120
DO  - https://doi.org/10.1000/ABC.123.
AN  - 31234567
DB  - NLM
KW  - stem cells
KW  - cirrhosis
AB  - BACKGROUND: something.
ER  - 

TY  - JOUR
TI  - Second record
AU  - Roe, R
PY  - 2020
ER  - 
RIS
run 0 lsr -C rev import a.ris --source PubMed
same "$OUT" "a.ris: 2 records from PubMed (ris) as run 1"

# fields as stored
run 0 lsr -C rev records --json
jqcheck "$OUT" 'select(.id == 1) | {source, source_id, run, position, line}' \
  '{"source":"PubMed","source_id":"31234567","run":1,"position":1,"line":1}'
jqcheck "$OUT" 'select(.id == 1) | {title, authors, year, doi, pmid, pages, keywords}' \
  '{"title":"Mesenchymal stem cells in cirrhosis: a trial","authors":["Smith, John","Doe, Jane"],"year":2019,"doi":"10.1000/ABC.123","pmid":"31234567","pages":"112-120","keywords":["stem cells","cirrhosis"]}'
jqcheck "$OUT" 'select(.id == 2) | {source, source_id, run, position, line}' \
  '{"source":"PubMed","source_id":null,"run":1,"position":2,"line":19}'
run 0 lsr -C rev records show 2 --raw
same "$OUT" "$(printf 'TY  - JOUR\nTI  - Second record\nAU  - Roe, R\nPY  - 2020\nER  - ')"
run 0 lsr -C rev records --tsv
same "$(head -1 "$OUT")" "$(printf 'id\tsource\tsource_id\trun\tposition\tline\tstatus\tyear\tdoi\tpmid\tfirst_author\tjournal\ttitle')"

# the same content again is refused, with --force accepted
cp a.ris copy.ris
run 1 lsr -C rev import copy.ris --source PubMed
has "$ERR" "lsr import: error: 'copy.ris' was already imported as run 1 (source 'PubMed', 2023-11-14T22:13:20Z): same content (SHA-256"
same "$(sql rev/review.db 'SELECT count(*) FROM runs')" "1"
run 0 lsr -C rev import copy.ris --source PubMed --force
same "$(sql rev/review.db 'SELECT count(*) FROM records')" "4"

# gzip input, detected by content
gzip -c a.ris > zipped.ris.gz
printf '\n' >> zipped.ris.gz.tmp; rm -f zipped.ris.gz.tmp
run 0 lsr -C rev import zipped.ris.gz --source Embase --force
same "$OUT" "zipped.ris.gz: 2 records from Embase (ris) as run 3"

# a malformed file is rejected whole: exit 3, FILE:LINE, nothing stored
before=$(sql rev/review.db 'SELECT count(*) FROM records; SELECT count(*) FROM runs; SELECT count(*) FROM sources')
printf 'TY  - JOUR\nTI  - one\nER  - \nTY  - JOUR\nTI  - unterminated\n' > bad.ris
run 3 lsr -C rev import bad.ris --source NewSource
same "$ERR" "lsr import: error: bad.ris:5: unexpected end of file: the record that starts at line 4 has no 'ER  - '"
same "$(sql rev/review.db 'SELECT count(*) FROM records; SELECT count(*) FROM runs; SELECT count(*) FROM sources')" "$before"
printf 'TY  - JOUR\nTI  - one\nTY  - JOUR\nER  - \n' > bad2.ris
run 3 lsr -C rev import bad2.ris --source PubMed
same "$ERR" "lsr import: error: bad2.ris:3: expected 'ER  - ' to close the record that starts at line 1 before a new 'TY  - '"
printf 'just some words\n' > words.txt
run 3 lsr -C rev import words.txt --source PubMed
has "$ERR" "words.txt:1: cannot tell the format from the content"
: > empty.ris
run 3 lsr -C rev import empty.ris --source PubMed
same "$ERR" "lsr import: error: empty.ris: the file is empty"
run 1 lsr -C rev import nosuchfile.ris --source PubMed
same "$ERR" "lsr import: error: cannot open 'nosuchfile.ris': No such file or directory"
run 2 lsr -C rev import a.ris
same "$(head -1 "$ERR")" "lsr import: error: --source NAME is required (e.g. --source Embase)"
run 2 lsr -C rev import a.ris --source X --format marc
has "$ERR" "unknown format 'marc'"
run 2 lsr -C rev import a.ris --source X --kind journal --force
has "$ERR" "unknown source kind 'journal' (expected database, register or other)"
run 2 lsr -C rev import a.ris --source PubMed --kind register --force
same "$(head -1 "$ERR")" "lsr import: error: source 'PubMed' is a database in protocol.yaml, not a register"
run 2 lsr -C rev import a.ris --source Embase --kind register --force
same "$(head -1 "$ERR")" "lsr import: error: source 'Embase' was recorded as a database; it cannot become a register"
same "$(sql rev/review.db 'SELECT count(*) FROM records; SELECT count(*) FROM runs; SELECT count(*) FROM sources')" "$before"

# a register
run 0 lsr -C rev import a.ris --source ClinicalTrials.gov --kind register --force
run 0 lsr -C rev status --json
jqcheck "$OUT" .identified '{"databases":6,"registers":2,"other":0,"total":8}'

# withdraw a run: out of every count, records kept, audit written
run 0 lsr -C rev run withdraw 2 --reason "imported twice by mistake"
same "$OUT" "withdrew run 2: its 2 records stay in the database but leave every count"
run 1 lsr -C rev run withdraw 2 --reason again
same "$ERR" "lsr run: error: run 2 was already withdrawn"
run 1 lsr -C rev run withdraw 99 --reason x
same "$ERR" "lsr run: error: no run 99"
run 2 lsr -C rev run withdraw 3
has "$ERR" "run withdraw needs --reason TEXT"
run 0 lsr -C rev status
has "$OUT" "records identified: 4 from databases, 2 from registers, 0 from other methods (6 in all)"
has "$OUT" "[WITHDRAWN: not counted]"
same "$(sql rev/review.db 'SELECT count(*) FROM records')" "8"
run 0 lsr -C rev records
same "$(wc -l < "$OUT" | tr -d ' ')" "6"
run 0 lsr -C rev records --all --json
jqcheck -s "$OUT" 'map(select(.status == "run-withdrawn")) | length' 2

# remove records before screening, for a stated reason
run 0 lsr -C rev records remove 1 5 --reason "retracted before screening"
same "$OUT" "removed 2 records before screening: retracted before screening"
run 1 lsr -C rev records remove 1 --reason again
same "$ERR" "lsr records: error: record 1 was already removed"
run 1 lsr -C rev records remove 4 --reason x
same "$ERR" "lsr records: error: record 4 is not counted (its run or the source withdrew it)"
run 1 lsr -C rev records remove 999 --reason x
same "$ERR" "lsr records: error: no record 999"
run 2 lsr -C rev records remove 5
has "$ERR" "records remove needs --reason TEXT"
run 0 lsr -C rev status --json
jqcheck "$OUT" .removed_other_reasons 2
same "$(sql rev/review.db "SELECT count(*) FROM audit WHERE action IN ('import','withdraw','remove')")" "7"

# writing records out for a reference manager
run 0 lsr -C rev records --source PubMed --format ris -o out.ris
run 0 lsr init rev2
run 0 lsr -C rev2 import out.ris --source Export
same "$OUT" "out.ris: 1 record from Export (ris) as run 1"
run 0 lsr -C rev records --format csv
has "$OUT" "id,source,source_id,title,authors,year,journal,volume,issue,pages,doi,pmid,pmcid,language,publication_types,keywords,abstract"
run 0 lsr -C rev records --format bibtex
has "$OUT" "@article{lsr"
run 2 lsr -C rev records --format endnote
has "$ERR" "records can be written as ris, csv or bibtex, not endnote"
finish
