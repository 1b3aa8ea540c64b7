#!/bin/sh
# lsr import, RIS and MEDLINE variants: RIS written with one space before
# the dash ("TY - JOUR"), "NA" as a whole value (R's re-exports) read as
# empty, an ISBN in SN kept as an ISBN; ERIC's MEDLINE-format export,
# records opening at "OWN - ERIC" without a PMID, ERIC ids as source ids.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
. "$(dirname "$0")/import-variants-lib.sh"
new_review

expect_import "$D/ris-one-space-na.ris" 2 ris
same "$(field 1 '.title')" "Zinc supplementation and diarrhoea duration in children"
same "$(field 1 '.authors')" "Rahman, Farid|Chowdhury, Nadia"
same "$(field 1 '[.year, .journal, .volume, .pages, .issn] | map(tostring) | join(" ")')" "2017 Journal of Pediatric Nutrition 14 201-209 1234-5678"
# IS - NA and DO - NA are empty
same "$(field 1 '[.issue, .doi] | map(tostring) | join(" ")')" "null null"
same "$(field 1 '.keywords')" "zinc"
# SN - 978-3-16-148410-0 is an ISBN, not an ISSN; AB - NA is no abstract
same "$(field 2 '.issn')" "null"
same "$(field 2 '.other_ids.isbn')" "9783161484100"
same "$(field 2 '.abstract')" "null"
same "$(field 2 '.doi')" "10.1000/hcn.2018"

expect_import "$D/eric-medline.nbib" 2 medline
same "$(field 1 '.source_id')" "EJ1281234"
same "$(field 1 '.other_ids.eric')" "EJ1281234"
same "$(field 1 '.pmid')" "null"
same "$(field 1 '.authors')" "Mwangi, Grace|Otieno, Paul"
same "$(field 1 '[.year, .journal, .volume, .issue, .pages, .issn, .doi] | map(tostring) | join(" ")')" \
	"2020 Journal of Literacy Research 52 4 455-478 1086-296X 10.1000/jlr.2020.455"
# OT and ERIC's descriptors (MH) are keywords, not MeSH
same "$(field 1 '.keywords')" "Peer Teaching|Reading Fluency|Rural Schools"
same "$(field 1 '.mesh')" ""
same "$(field 1 '.abstract')" "A randomised trial of cross-age peer tutoring in 24 rural schools found gains in oral reading fluency."
same "$(field 2 '.source_id')" "ED601234"
same "$(field 2 '.title')" "Homework Policies in Secondary Schools: A Survey of Principals"
same "$(field 2 '.other_ids.isbn')" "9781234567897"
same "$(field 2 '.publication_types')" "Reports - Evaluative"

# an ERIC record left without its OWN line is an error, as a PubMed one
before=$(counts)
printf 'OWN - ERIC\nTI  - One\nOID - EJ1\n\nTI  - Two\nOID - EJ2\n' > "$TMP/bad.nbib"
run 3 lsr -C "$REV" import --source Test "$TMP/bad.nbib"
same "$ERR" "lsr import: error: $TMP/bad.nbib:5: expected 'OWN - ' to start a MEDLINE (ERIC) record"
same "$(counts)" "$before"
finish
