#!/bin/sh
# lsr import, Web of Science tagged text (.txt, .ciw): every fixture, by
# content (rispy_example_wos.ris is WoS text despite its name), with
# exactly its PT/ER records; AF before AU, group authors, UT accession
# numbers, PY+PD dates, article numbers; a damaged file is rejected.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
need_shared
new_review

# file|records (PT/ER pairs in the file; PROVENANCE.md agrees)
while IFS='|' read -r f n; do
	expect_import "$FIX/wos/$f" "$n" wos
done <<'EOF'
revtools_restoration_WoS.ciw|247
rispy_example_wos.ris|2
synthesisr_WoS_ciw_example.ciw|5
synthesisr_WoS_txt_example.txt|4
synthesisr_extdata_zoorec.txt|134
EOF
same "$(counts)" "5 392"

expect_import "$FIX/wos/revtools_restoration_WoS.ciw" 247 wos --force
same "$(rec 1)" "Do magnetic phosphorus adsorbents used for lake restoration impact on zooplankton community?|Alvarez-Manzaneda, I.|2019|10.1016/j.scitotenv.2018.11.375|30529964|WOS:000455039600059"
same "$(rec 1 'pub_date, journal, volume, pages, issn, other_ids, ref_type')" \
	'2019-03-15|SCIENCE OF THE TOTAL ENVIRONMENT|656|598-607|0048-9697|{"wos":["000455039600059"]}|J'
# DE and ID keywords, "; "-separated over wrapped lines
same "$(rec 1 'json_array_length(keywords), json_extract(keywords, "$[0]"), json_extract(keywords, "$[4]")')" \
	"14|Magnetic particles|ROTIFER BRACHIONUS-CALYCIFLORUS"
# CA: group authors after the named ones (AF full names preferred)
same "$(sql "$REV/review.db" "SELECT json_extract(authors, '\$[0]'), json_extract(authors, '\$[9]'), json_extract(authors, '\$[10]') FROM records WHERE source_record_id = 'WOS:000453910200009' AND run_id = (SELECT max(id) FROM runs)")" \
	"Kalayjian, Robert C.|ACTG A2554s Team|ACTG A5303 Team"

expect_import "$FIX/wos/rispy_example_wos.ris" 2 wos --force
same "$(rec 1)" "Interactions stabilizing the structure of the core light-harvesting complex (LHl) of photosynthetic bacteria and its subunit (B820)|Parkes-Loach, PS|2004|10.1021/bi049798f|15170338|WOS:000221807500019"
same "$(rec 1 'pub_date, journal, journal_abbrev, volume, issue, pages, language, publication_types')" \
	'2004-06-08|BIOCHEMISTRY|Biochemistry|43|22|7003-7016|English|["Article"]'

# "PD DEC 16 2020", "AR UNSP 1722034"; UT MEDLINE:... is a PMID
expect_import "$FIX/wos/synthesisr_WoS_ciw_example.ciw" 5 wos --force
same "$(rec 1 'pub_date, pages, doi')" "2020-12-16|1722034|10.1080/20964129.2020.1722034"
same "$(rec 5 'title, pmid, source_record_id, other_ids')" \
	"EPO could be regulated by HIF-1 and promote osteogenesis and accelerate bone repair.|31851837|MEDLINE:31851837|{}"

# Zoological Record: an e-mail address inside AU goes; PS is the page span
expect_import "$FIX/wos/synthesisr_extdata_zoorec.txt" 134 wos --force
same "$(rec 1)" "Nest site selection and nest survival of Black-backed Woodpeckers after wildfire.|Stillman, Andrew N.|2019|||ZOOREC:ZOOR15512090342"
same "$(rec 1 'pub_date, journal, pages, other_ids')" '2019-08-01|Condor|duz039|{"zoorec":["ZOOR15512090342"]}'

# damaged files are rejected whole
before=$(counts)
printf 'FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI A title\nER\n\nPT J\nTI Another\n' > "$TMP/open.txt"
run 3 lsr -C "$REV" import --source Test "$TMP/open.txt"
same "$ERR" "lsr import: error: $TMP/open.txt:8: unexpected end of file: the record that starts at line 7 has no 'ER'"
printf 'FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI A title\nPT J\nTI Another\nER\nEF\n' > "$TMP/twice.txt"
run 3 lsr -C "$REV" import --source Test "$TMP/twice.txt"
same "$ERR" "lsr import: error: $TMP/twice.txt:5: expected 'ER' to close the record that starts at line 3 before a new 'PT '"
printf 'FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI A title\nthis line was cut from somewhere\nER\nEF\n' > "$TMP/junk.txt"
run 3 lsr -C "$REV" import --source Test "$TMP/junk.txt"
same "$ERR" "lsr import: error: $TMP/junk.txt:5: expected a Web of Science tag ('XX ') or a continuation line indented with spaces"
same "$(counts)" "$before"
finish
