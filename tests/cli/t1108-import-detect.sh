#!/bin/sh
# lsr import, format detection: by content, never by file name.  Every
# fixture family under a misleading name is still recognised; --format
# overrides detection; an empty or unknown file is rejected.  (Each
# t110x test also imports every fixture of its family without --format.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
need_shared
new_review

# source|misleading name|records|format
while IFS='|' read -r f name n fmt; do
	cp "$FIX/$f" "$TMP/$name"
	expect_import "$TMP/$name" "$n" "$fmt"
done <<'EOF'
medline/synthesisr_PubMed_example.txt|pubmed.ris|3|medline
ris/synthesisr_Scopus_ris_example.ris|scopus.csv|3|ris
wos/synthesisr_WoS_txt_example.txt|wos.nbib|4|wos
endnote_tagged/colrev_ais_enl.txt|ais.xml|6|endnote
bibtex/synthesisr_litsearchr.txt|scholar.csv|1|bibtex
csv/synthesisr_eviatlas.tsv|eviatlas.bib|1|csv
dedup/other/asreview_duplicate_records.csv|toy.ris|14|csv
EOF

# the vendor variants of issue 16 (tests/data/import16): each under a
# misleading name is still read as its own format (UTF-16 included), so no
# file of one format is detected as another
D16=$LSR_SRC/tests/data/import16
while IFS='|' read -r f name n fmt; do
	cp "$D16/$f" "$TMP/$name"
	expect_import "$TMP/$name" "$n" "$fmt"
done <<'EOF2'
wos-utf16le-bom.txt|w16.ris|2|wos
endnote-utf16be-nobom.enw|e16.bib|2|endnote
ris-utf16le-nobom.ris|r16.txt|1|ris
bibdesk-comments.bib|bibdesk.enw|2|bibtex
endnote-nokey.bib|nokey.ris|2|bibtex
scopus-key-spaces.bib|scopus.txt|2|bibtex
commented-latex.bib|latex.enw|1|bibtex
mendeley-missing-comma.bib|mendeley.ris|2|bibtex
ris-one-space-na.ris|onespace.nbib|2|ris
eric-medline.nbib|eric.ris|2|medline
wos-tsv-old-trailing-tab.txt|wostsv.csv|2|wos-tsv
wos-tsv-utf16.txt|wostsv16.csv|2|wos-tsv
scopus-old.csv|scopus.ris|2|csv
scopus-new.csv|scopus2.txt|1|csv
lens.csv|lens.bib|1|csv
openalex.csv|openalex.txt|1|csv
springerlink.csv|springer.txt|2|csv
ieee.csv|ieee.ris|2|csv
dimensions.csv|dimensions.txt|1|csv
europepmc.csv|epmc.xml.txt|2|csv
covidence.csv|covidence.ris|1|csv
rayyan.csv|rayyan.bib|1|csv
pubmed-spaces.xml|pm.txt|1|pubmed-xml
endnote-spaces.xml|en.txt|1|endnote-xml
EOF2

# text before the first entry (a comment in BibTeX) does not hide it
printf 'Exported by a tool; see john@example.org, 2024.\n\n@article{k1,\n  title = {T},\n}\n' > "$TMP/preamble.bib"
expect_import "$TMP/preamble.bib" 1 bibtex
# an EndNote export that starts with %T and has no %0 line at all
printf '%%T A title\n%%A Doe, Jane\n%%D 2020\n\n%%T Another\n%%D 2021\n' > "$TMP/no-type.enw"
expect_import "$TMP/no-type.enw" 2 endnote

before=$(counts)
# --format wins over detection, and the parser says what it expected
run 3 lsr -C "$REV" import --source Test --format bibtex "$FIX/ris/synthesisr_eviatlas.txt"
same "$ERR" "lsr import: error: $FIX/ris/synthesisr_eviatlas.txt:20: no BibTeX entry found (expected '@article{key, ...}')"
run 3 lsr -C "$REV" import --source Test --format wos "$FIX/ris/synthesisr_eviatlas.txt"
same "$ERR" "lsr import: error: $FIX/ris/synthesisr_eviatlas.txt:1: expected 'PT ' to start a Web of Science record"
run 3 lsr -C "$REV" import --source Test --format endnote "$FIX/medline/biopython_pubmed_result1.txt"
same "$ERR" "lsr import: error: $FIX/medline/biopython_pubmed_result1.txt:2: expected an EndNote tag ('%0 ', '%T ', '%A ', ...) to start an EndNote record"
: > "$TMP/empty.ris"
run 3 lsr -C "$REV" import --source Test "$TMP/empty.ris"
same "$ERR" "lsr import: error: $TMP/empty.ris: the file is empty"
printf 'Dear colleague\nplease find the references attached\n' > "$TMP/letter.txt"
run 3 lsr -C "$REV" import --source Test "$TMP/letter.txt"
same "$ERR" "lsr import: error: $TMP/letter.txt:1: cannot tell the format from the content (formats considered: pubmed-xml, medline, ris, wos, endnote-xml, endnote, bibtex, csv, wos-tsv); the first line is 'Dear colleague'; give --format"
run 2 lsr -C "$REV" import --source Test --format refworks "$TMP/letter.txt"
has "$ERR" "lsr import: error: unknown format 'refworks'"
same "$(counts)" "$before"
finish
