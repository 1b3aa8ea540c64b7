#!/bin/sh
# lsr import, BibTeX as reference managers and databases write it: BibDesk's
# '%%' header (not EndNote tagged), EndNote's entries without a key,
# Scopus's keys with spaces, entries commented out with '%', LaTeX commands
# lsr does not know, hard line breaks in abstracts, and Mendeley's missing
# comma between fields, recovered with a note in the run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
. "$(dirname "$0")/import-variants-lib.sh"
new_review

expect_import "$D/bibdesk-comments.bib" 2 bibtex
same "$(field 1 '.source_id')" "Ferreira:2023aa"
same "$(field 1 '.authors')" "Ferreira, Ana|Ramírez, José"
same "$(field 1 '.pages + " " + .volume + " " + (.year|tostring)')" "411-423 27 2023"
same "$(field 2 '.title')" "Counting Beetles"

# EndNote: "@article{," and an entry whose first line is a field
expect_import "$D/endnote-nokey.bib" 2 bibtex
same "$(field 1 '.source_id')" "null"
same "$(field 1 '.title')" "Sleep hygiene education for shift workers: a cluster trial"
same "$(field 1 '.authors')" "Dubois, Céline|Okafor, Chidi"
same "$(field 2 '.source_id')" "null"
same "$(field 2 '.title + " | " + .journal + " | " + (.year|tostring)')" "Blue-light glasses and sleep onset latency | Sleep Health | 2020"
# lsr records --tsv: a record without a source id keeps its empty column,
# every row has as many fields as the header
run 0 lsr -C "$REV" records --tsv --run "$(last_run)"
same "$(awk -F'\t' '{ print NF }' "$OUT" | sort -u)" 13
same "$(sed -n 2p "$OUT" | cut -f 2-5)" "Test		$(last_run)	1"

# Scopus: "@ARTICLE{Conference paper2022775," and pages with an en dash
expect_import "$D/scopus-key-spaces.bib" 2 bibtex
same "$(field 1 '.source_id')" "Conference paper2022775"
same "$(field 1 '.pages')" "77-85"
same "$(field 1 '.authors')" "Pan, Y.|Yu, C."
same "$(field 1 '.abstract')" "Hand hygiene matters. Compliance was measured in twelve clinics over six months."
same "$(field 2 '.source_id')" "Pan2021 Hand"
same "$(field 2 '.doi')" "10.1000/ic.2021.12"

# '%' entries are comments; unknown commands keep their argument; \'\i is í;
# a blank line in an abstract is a paragraph break
expect_import "$D/commented-latex.bib" 1 bibtex
same "$(field 1 '.source_id')" "kept2021"
same "$(field 1 '.title')" "Intention to treat and per protocol analyses in índice trials"
same "$(field 1 '.authors')" "García, Lucía|Nuñez, Pablo"
same "$(field 1 '.abstract')" "First line of the abstract wraps onto a second line.
A new paragraph follows."

# Mendeley: the comma after 'title = {...}' is missing; read on and say so
run 0 lsr -C "$REV" import --source Test "$D/mendeley-missing-comma.bib"
has "$OUT" "2 records from Test (bibtex)"
has "$OUT" "  note: 2 missing ',' between BibTeX fields assumed (the first at line 6)"
same "$(nrecords)" 2
same "$(field 1 '.title + " | " + (.year|tostring)')" "Bed nets and malaria in northern Nigeria | 2018"
same "$(field 2 '.volume + " | " + (.year|tostring)')" "18 | 2019"
same "$(sql "$REV/review.db" "SELECT notes FROM runs WHERE id = $(last_run)")" "2 missing ',' between BibTeX fields assumed (the first at line 6)"
run 0 lsr -C "$REV" import --source Test --force --json "$D/mendeley-missing-comma.bib"
has "$OUT" '"notes":"2 missing '"','"' between BibTeX fields assumed (the first at line 6)"'

# what is not a field after a value on the next line is still an error
before=$(counts)
printf '@article{k1,\n  title = {T}\n  and more text\n}\n' > "$TMP/bad.bib"
run 3 lsr -C "$REV" import --source Test "$TMP/bad.bib"
same "$ERR" "lsr import: error: $TMP/bad.bib:3: expected ',' or the closing brace after a value in the entry 'k1' that starts at line 1"
# and two fields on one line need their comma
printf '@article{k1,\n  title = {T} year = {2020}\n}\n' > "$TMP/bad2.bib"
run 3 lsr -C "$REV" import --source Test "$TMP/bad2.bib"
same "$ERR" "lsr import: error: $TMP/bad2.bib:2: expected ',' or the closing brace after a value in the entry 'k1' that starts at line 1"
same "$(counts)" "$before"
finish
