#!/bin/sh
# lsr import, encoding repair and compressed input: a UTF-8 BOM, CRLF and
# bare CR line ends, Windows-1252 bytes are repaired and noted in the run;
# non-ASCII UTF-8 arrives unchanged; a .gz file reads like the file inside.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
need_shared
new_review
db=$REV/review.db

# BOM and CRLF
expect_import "$FIX/ris/asreview_baseline_tag-notes_zotero.ris" 4 ris
jqcheck "$OUT" .notes "byte-order mark removed, CRLF line ends"
same "$(sql "$db" "SELECT notes FROM runs WHERE id = 1")" "byte-order mark removed, CRLF line ends"
same "$(rec 1 title)" "Zotero: notes in records come with XHTML tags around them."
"$LSR" -C "$REV" records show "$(rec 1 id)" --raw > "$TMP/raw"
same "$(sql "$db" "SELECT instr(readfile('$TMP/raw'), char(13)) > 0")" 1
# bare CRs end lines inside records (AD, C3 lines of asysd_wos_test.ris)
expect_import "$FIX/ris/asysd_wos_test.ris" 50 ris
jqcheck "$OUT" .notes "byte-order mark removed, stray CR characters"
same "$(sql "$db" "SELECT count(*) FROM records WHERE run_id = 2 AND (instr(title, char(13)) OR instr(abstract, char(13)) OR instr(journal, char(13)))")" "0"
same "$(rec 1 'title, issn, pages')" "Microangiography of the humeral condyle in Cocker Spaniel and non-Cocker Spaniel dogs|0932-0814|134-137"
# non-ASCII UTF-8 is kept as it is: no note
expect_import "$FIX/medline/synthesisr_PubMed_example.txt" 3 medline
jqcheck "$OUT" .notes ""
expect_import "$FIX/ris/citesource_envindex_100.ris" 100 ris
same "$(rec 1 "json_extract(authors, '\$[0]')")" "Grau‐Andrés, Roger"

# Windows-1252 (Latin-1) bytes: é is 0xE9, “ ” are 0x93 0x94, ü is 0xFC
printf 'TY  - JOUR\r\nTI  - Caf\351 au lait: a \223trial\224\r\nAU  - M\374ller, J\r\nPY  - 2001\r\nER  - \r\n' > "$TMP/latin1.ris"
expect_import "$TMP/latin1.ris" 1 ris
jqcheck "$OUT" .notes "non-UTF-8 bytes read as Windows-1252, CRLF line ends"
same "$(rec 1 'title, hex(substr(title, 4, 1)), authors')" 'Café au lait: a “trial”|C3A9|["Müller, J"]'
# the raw text is kept as received, in Windows-1252
"$LSR" -C "$REV" records show "$(rec 1 id)" --raw > "$TMP/raw"
same "$(sql "$db" "SELECT instr(readfile('$TMP/raw'), X'E9')")" "22"
run 0 lsr -C "$REV" import --source Test "$TMP/latin1.ris" --force
has "$OUT" "encoding: non-UTF-8 bytes read as Windows-1252, CRLF line ends"

# gzip: detected and read through; the duplicate check sees the content
gzip -c "$FIX/wos/synthesisr_WoS_ciw_example.ciw" > "$TMP/wos.ciw.gz"
expect_import "$TMP/wos.ciw.gz" 5 wos
same "$(rec 1 'title, line, byte_offset')" "Soil fauna diversity at different stages of reed restoration in a lakeshore wetland at Lake Taihu, China|3|45"
run 1 lsr -C "$REV" import --source Test "$FIX/wos/synthesisr_WoS_ciw_example.ciw"
has "$ERR" "was already imported as run"
gzip -c "$FIX/csv/asysd_zotero_export.csv" > "$TMP/zotero.gz"
expect_import "$TMP/zotero.gz" 1233 csv
jqcheck "$OUT" .notes "byte-order mark removed"
gzip -c "$FIX/bibtex/synthesisr_Scopus_bib_example.bib" > "$TMP/scopus.bib.gz"
expect_import "$TMP/scopus.bib.gz" 3 bibtex
# a truncated or damaged archive is rejected, not read up to the damage
before=$(counts)
gzip -c "$FIX/ris/asreview_embase.ris" > "$TMP/embase.gz"
head -c 2000 "$TMP/embase.gz" > "$TMP/cut.gz"
run 3 lsr -C "$REV" import --source Test --format ris "$TMP/cut.gz"
same "$ERR" "lsr import: error: $TMP/cut.gz: the compressed data ends early (a truncated .gz file)"
run 3 lsr -C "$REV" import --source Test "$TMP/cut.gz"
same "$ERR" "lsr import: error: $TMP/cut.gz: the compressed data ends early (a truncated .gz file)"
same "$(counts)" "$before"
finish
