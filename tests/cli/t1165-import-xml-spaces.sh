#!/bin/sh
# lsr import, XML written by other tools than PubMed and EndNote: white
# space around names and values is layout, trimmed ("<LastName> Fantini
# </LastName>" -> "Fantini", never "Fantini , Marco").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
. "$(dirname "$0")/import-variants-lib.sh"
new_review

expect_import "$D/pubmed-spaces.xml" 1 pubmed-xml
same "$(field 1 '.authors')" "Fantini, Marco|Rossi, Giulia|Vascular Access Study Group"
same "$(field 1 '[.source_id, .pmid, .title] | join(" | ")')" "36100001 | 36100001 | Ultrasound-guided cannulation of difficult veins: a randomised trial"
same "$(field 1 '[.year, .pub_date, .journal, .journal_abbrev, .volume, .issue, .pages, .doi, .issn] | map(tostring) | join(" | ")')" \
	"2022 | 2022-07 | Journal of Vascular Access | J Vasc Access | 33 | 4 | 512-519 | 10.1177/11297298211000001 | 1120-6721"

expect_import "$D/endnote-spaces.xml" 1 endnote-xml
same "$(field 1 '.authors')" "Fantini, Marco|Rossi, Giulia"
same "$(field 1 '[.source_id, .type, .title, .journal, .volume, .issue, .pages, .doi, (.year|tostring)] | join(" | ")')" \
	"36100002 | Journal Article | Catheter dwell time after ultrasound-guided insertion | Journal of Vascular Access | 34 | 1 | 77-84 | 10.1177/11297298211000002 | 2023"
finish
