#!/bin/sh
# lsr import --skip-malformed: a malformed entry in an otherwise good file
# still rejects the whole file by default (exit 3, nothing stored); with
# the option the good entries are stored, each skipped entry is recorded
# in the run with its line and the reason (table import_skips), the run's
# notes and lsr status show the number, and lsr exits 6.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
. "$(dirname "$0")/import-variants-lib.sh"
new_review

skips() {
	sql "$REV/review.db" "SELECT line || ' ' || reason FROM import_skips WHERE run_id = $(last_run) ORDER BY id"
}

# the default: the whole file is refused
before=$(counts)
run 3 lsr -C "$REV" import --source Test "$D/malformed.ris"
same "$ERR" "lsr import: error: $D/malformed.ris:12: expected 'ER  - ' to close the record that starts at line 7 before a new 'TY  - '"
same "$(counts)" "$before"
same "$(sql "$REV/review.db" "SELECT count(*) FROM import_skips")" 0

# RIS: a record without ER (dropped when the next TY opens), one cut off
run 6 lsr -C "$REV" import --source Test --skip-malformed "$D/malformed.ris"
same "$OUT" "$D/malformed.ris: 2 records from Test (ris) as run $(last_run)
  note: 2 malformed entries skipped (lsr import --skip-malformed)
  skipped: $D/malformed.ris:12: expected 'ER  - ' to close the record that starts at line 7 before a new 'TY  - '
  skipped: $D/malformed.ris:20: unexpected end of file: the record that starts at line 18 has no 'ER  - '"
same "$ERR" ""
same "$(nrecords)" 2
same "$(field 1 '.title')" "First good record"
same "$(field 2 '.title + " " + (.line|tostring)')" "Third record, good again 12"
same "$(skips)" "7 $D/malformed.ris:12: expected 'ER  - ' to close the record that starts at line 7 before a new 'TY  - '
18 $D/malformed.ris:20: unexpected end of file: the record that starts at line 18 has no 'ER  - '"
same "$(sql "$REV/review.db" "SELECT count_records || ' ' || status || ' ' || notes FROM runs WHERE id = $(last_run)")" \
	"2 complete 2 malformed entries skipped (lsr import --skip-malformed)"
run 0 lsr -C "$REV" status
has "$OUT" "!! 2 malformed entries skipped at import (lsr import --skip-malformed)"
run 0 lsr -C "$REV" status --json
same "$(jq -r ".sources[] | select(.name == \"Test\") | .runs[] | select(.id == $(last_run)) | .skipped" "$OUT")" 2

# BibTeX: an entry without its closing brace, a stray word after a value
run 6 lsr -C "$REV" import --source Test --skip-malformed --json "$D/malformed.bib"
has "$OUT" '"format":"bibtex","records":3,'
has "$OUT" '"skipped":2,'
same "$(field 1 '.source_id')" "good1"
same "$(field 2 '.source_id')" "good2"
same "$(field 3 '.source_id + " " + (.year|tostring)')" "good3 2022"
same "$(skips)" "6 $D/malformed.bib:6: unbalanced braces: the entry '@article{unbalanced' that starts here has no closing brace before the next entry at line 10
15 $D/malformed.bib:16: expected ',' or the closing brace after a value in the entry 'badfield' that starts at line 15"

# CSV: a row longer than the header
run 6 lsr -C "$REV" import --source Test --skip-malformed "$D/malformed.csv"
has "$OUT" "2 records from Test (csv)"
same "$(field 2 '.title + " " + .doi')" "Good row two 10.1000/a3"
same "$(skips)" "3 $D/malformed.csv:3: expected at most 3 cells, as in the header, but the row has 4"

# MEDLINE: a line that is neither tag nor continuation; a record without PMID
run 6 lsr -C "$REV" import --source Test --skip-malformed "$D/malformed.nbib"
has "$OUT" "2 records from Test (medline)"
same "$(field 1 '.pmid')" "30000001"
same "$(field 2 '.pmid')" "30000004"
same "$(skips)" "5 $D/malformed.nbib:7: expected a MEDLINE tag ('XXXX- ') or a continuation line indented with spaces
10 $D/malformed.nbib:10: expected 'PMID- ' to start a MEDLINE record"

# PRISMA notes the skipped entries beside "removed for other reasons"
# (they are not records and count nowhere)
nskip=$(sql "$REV/review.db" "SELECT count(*) FROM import_skips")
run 0 lsr -C "$REV" dedup
run 0 lsr -C "$REV" prisma --json
jqcheck "$OUT" .skipped_at_import "$nskip"
run 0 lsr -C "$REV" prisma --svg "$TMP/prisma.svg"
has "$OUT" "malformed entries were skipped at import"
has "$TMP/prisma.svg" "malformed entries skipped at import, not counted"

# a good file with the option: nothing skipped, exit 0
run 0 lsr -C "$REV" import --source Test --skip-malformed --json "$D/ris-one-space-na.ris"
has "$OUT" '"skipped":0,'
# every entry malformed: nothing to store, an error
printf 'TY  - JOUR\nTI  - never closed\n' > "$TMP/allbad.ris"
before=$(counts)
run 3 lsr -C "$REV" import --source Test --skip-malformed "$TMP/allbad.ris"
same "$ERR" "lsr import: error: $TMP/allbad.ris: every entry was malformed (1 skipped); nothing was stored"
same "$(counts)" "$before"
finish
