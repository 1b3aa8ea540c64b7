#!/bin/sh
# lsr import, never a silent zero: UTF-16 exports (LE or BE, with or
# without a byte-order mark) are decoded; a file that decodes to nothing
# recognisable names the formats considered and its first line; a file
# that yields no record is refused unless --allow-empty says the search
# found nothing, and then it is a run of 0 records.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
. "$(dirname "$0")/import-variants-lib.sh"
new_review

# Web of Science tagged, UTF-16 LE with a BOM (as Windows exports it)
expect_import "$D/wos-utf16le-bom.txt" 2 wos
has "$OUT" '"notes":"UTF-16 converted to UTF-8"'
same "$(field 1 '.authors')" "Ferreira, Ana|Müller, Klaus"
same "$(field 1 '.pages')" "411-423"
same "$(field 2 '.title')" "Nitrogen deposition and 𝛼-diversity of heathland lichens"
same "$(field 2 '.source_id')" "WOS:000912345600042"
# EndNote tagged, UTF-16 BE without a BOM
expect_import "$D/endnote-utf16be-nobom.enw" 2 endnote
same "$(field 1 '.authors[0]')" "Dubois, Céline"
same "$(field 1 '.doi')" "10.1093/occmed/kqab051"
same "$(field 2 '.authors')" "Lindqvist, Åsa"
# RIS, UTF-16 LE without a BOM
expect_import "$D/ris-utf16le-nobom.ris" 1 ris
same "$(field 1 '.title + " " + (.year|tostring)')" "Coffee and cognition in older adults 2019"
# the human summary says what was converted
run 0 lsr -C "$REV" import --source Test --force "$D/ris-utf16le-nobom.ris"
has "$OUT" "1 record from Test (ris)"
has "$OUT" "  encoding: UTF-16 converted to UTF-8"

before=$(counts)
# UTF-16 that decodes to no format: the formats considered, the first line
run 3 lsr -C "$REV" import --source Test "$D/notes-utf16le.txt"
same "$ERR" "lsr import: error: $D/notes-utf16le.txt:1: cannot tell the format from the content (formats considered: pubmed-xml, medline, ris, wos, endnote-xml, endnote, bibtex, csv, wos-tsv); the first line is 'Search notes of 3 March 2024'; give --format"
# a CSV with a header and no row: no silent zero
run 3 lsr -C "$REV" import --source Test "$D/header-only.csv"
same "$ERR" "lsr import: error: $D/header-only.csv: no records found in a file that is not empty (read as csv); check the format, or use --allow-empty if the export holds none"
# nor from a parser that reads to the end without finding a record
printf '%% just a comment\n@comment{nothing here}\n' > "$TMP/none.bib"
run 3 lsr -C "$REV" import --source Test --format bibtex "$TMP/none.bib"
same "$ERR" "lsr import: error: $TMP/none.bib:2: no BibTeX entry found (expected '@article{key, ...}')"
# an empty file
printf '\n \n' > "$TMP/empty.ris"
run 3 lsr -C "$REV" import --source Test "$TMP/empty.ris"
same "$ERR" "lsr import: error: $TMP/empty.ris: the file is empty"
same "$(counts)" "$before"

# --allow-empty: the search found nothing, and that is recorded as a run
run 0 lsr -C "$REV" import --source Test --allow-empty --json "$D/header-only.csv"
has "$OUT" '"format":"csv","records":0,'
run 0 lsr -C "$REV" import --source Empty --allow-empty "$TMP/empty.ris"
same "$OUT" "$TMP/empty.ris: 0 records from Empty (an empty file) as run $(last_run)"
same "$(sql "$REV/review.db" "SELECT count_records || ' ' || status || ' ' || coalesce(format, '-') FROM runs WHERE id = $(last_run)")" "0 complete -"
run 0 lsr -C "$REV" import --source Test --allow-empty --format bibtex "$TMP/none.bib"
has "$OUT" "0 records from Test (bibtex)"
# but not a file that is not what --allow-empty excuses: one without a format
run 3 lsr -C "$REV" import --source Test --allow-empty "$D/notes-utf16le.txt"
has "$ERR" "cannot tell the format from the content"
finish
