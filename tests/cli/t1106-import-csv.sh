#!/bin/sh
# lsr import, CSV/TSV/semicolon tables: every CSV fixture and every
# deduplication benchmark table imports with exactly its data rows (the
# benchmark sets with --id-column, as a user names their id column);
# columns map by their usual names; --map and --id-column; quoted cells
# over several lines; errors for a long row, an unclosed quote, a missing
# column and an unknown field, with the review left as it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
need_shared
new_review

# file|data rows (PROVENANCE.md and Python's csv module agree)|options
while IFS='|' read -r f n opt; do
	# shellcheck disable=SC2086 # opt is "--id-column COL" or empty
	expect_import "$FIX/$f" "$n" csv $opt
done <<'EOF'
csv/asreview_embase.csv|6|
csv/asreview_embase_newpage.csv|6|
csv/asysd_zotero_export.csv|1233|
csv/colrev_pubmed-chatbot.csv|6|
csv/synthesisr_eviatlas.csv|1|
csv/synthesisr_eviatlas.tsv|1|
dedup/asysd/labelled_test_set_Diabetes.csv|1845|--id-column record_id
dedup/bib_dedupe/cytology_screening/records_pre_merged.csv|1856|--id-column ID
dedup/bib_dedupe/digital_work/records_pre_merged.csv|7159|--id-column ID
dedup/bib_dedupe/haematology/records_pre_merged.csv|1415|--id-column ID
dedup/bib_dedupe/respiratory/records_pre_merged.csv|1988|--id-column ID
dedup/bib_dedupe/special_cases/records_pre_merged.csv|12|--id-column ID
dedup/bib_dedupe/stroke/records_pre_merged.csv|1292|--id-column ID
dedup/other/asreview_duplicate_records.csv|14|
dedup/mckeown_partial/false_negatives.csv|327|--id-column record_id
EOF
same "$(counts)" "15 17161"
# every benchmark record keeps its id: ids are unique within each set
same "$(sql "$REV/review.db" "SELECT count(*) FROM records WHERE run_id BETWEEN 8 AND 13 AND source_record_id LIKE 'id\_%' ESCAPE '\\'")" "13722"
same "$(sql "$REV/review.db" "SELECT count(DISTINCT run_id || source_record_id) FROM records WHERE run_id BETWEEN 7 AND 13")" "15567"

# Embase: "Source" is a citation; a DOI inside the Open URL link
expect_import "$FIX/csv/asreview_embase.csv" 6 csv --force
same "$(rec 1)" "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound|Liu R.|2014|10.4103/2303-9027.138783||"
same "$(rec 1 'authors, journal, volume, issue, pages')" '["Liu R.","Adler D.G."]|Endoscopic Ultrasound|3|3|152-160'
# a quoted cell over three lines: the next row starts at line 5
expect_import "$FIX/csv/asreview_embase_newpage.csv" 6 csv --force
same "$(rec 1 'line, substr(abstract, 1, 21)')" "2|TEST
Gastrointestinal"
same "$(rec 2 line)" "5"

# Zotero: "Key" is the id, "Extra" holds the PMID and PMCID
expect_import "$FIX/csv/asysd_zotero_export.csv" 1233 csv --force
same "$(rec 1)" "Myoclonus in older Cavalier King Charles Spaniels.|Rotter, Carina|2022|10.1111/jvim.16404|35319117|ACSRAG7N"
same "$(rec 1 'pmcid, pub_date, journal, journal_abbrev, issn, ref_type, json_array_length(authors)')" \
	"PMC9151451|2022-05|Journal of veterinary internal medicine|J Vet Intern Med|1939-1676|journalArticle|3"

# PubMed: "Lim SM, Shiau CWC, ..." is a list; the PMID is the id; the
# citation gives the month
expect_import "$FIX/csv/colrev_pubmed-chatbot.csv" 6 csv --force
same "$(rec 1)" "Chatbot-Delivered Psychotherapy for Adults With Depressive and Anxiety Symptoms: A Systematic Review and Meta-Regression|Lim SM|2022|10.1016/j.beth.2021.09.007|35227408|35227408"
same "$(rec 2 'pub_date, volume, issue, pages, pmcid, json_array_length(authors)')" "2021-11-29|7|4|e27850|PMC8669585|4"

# RIS tags as column names, comma- and tab-separated
expect_import "$FIX/csv/synthesisr_eviatlas.tsv" 1 csv --force
same "$(rec 1)" "EviAtlas: a tool for visualising evidence synthesis databases|Haddaway, Neal R.|2019|10.1186/s13750-019-0167-1||Haddaway2019"
same "$(rec 1 'ref_type, pub_date, journal, volume, issue, pages, issn, json_array_length(authors)')" \
	"JOUR|2019-06-04|Environmental Evidence|8|1|22|2047-2382|7"

# Diabetes (ASySD): Windows-1252 bytes, CRLF, "NA" for missing values,
# DOIs written as URLs
expect_import "$FIX/dedup/asysd/labelled_test_set_Diabetes.csv" 1845 csv --force --id-column record_id
jqcheck "$OUT" .notes "non-UTF-8 bytes read as Windows-1252, CRLF line ends"
same "$(rec 2)" "Intestinal lipoprotein overproduction in insulin-resistant states|Adeli K.Lewis G. F.|2008|10.1097/MOL.0b013e3282ffaf82||699"
same "$(rec 5 'doi, source_record_id')" "|1630"
same "$(sql "$REV/review.db" "SELECT count(*) FROM records WHERE run_id = (SELECT max(id) FROM runs) AND (doi = 'NA' OR doi LIKE 'http%' OR title = 'NA')")" "0"

# bib-dedupe: BibTeX-style authors, "6 -- 15" pages, Cyrillic text
expect_import "$FIX/dedup/bib_dedupe/digital_work/records_pre_merged.csv" 7159 csv --force --id-column ID
same "$(rec 2 'authors, pages, source_record_id, ref_type')" '["Бобков, В. Н.","Черных, Е. А."]|6-15|id_0000001|article'
# special cases: "booktitle" where "journal" is empty
expect_import "$FIX/dedup/bib_dedupe/special_cases/records_pre_merged.csv" 12 csv --force --id-column ID
same "$(rec 2 'journal, source_record_id')" "Amcis 2017 Proceedings|id_0000002"

# --map and --id-column: a column mapped to a field fills only that field
expect_import "$FIX/dedup/other/asreview_duplicate_records.csv" 14 csv --force --id-column some_column --map abstract=title,doi=abstract
same "$(rec 1 'title, abstract, doi, source_record_id')" "|a||lorem"
# column names match in any case
expect_import "$FIX/dedup/other/asreview_duplicate_records.csv" 14 csv --force --map title=DOI
same "$(rec 1 'title, doi')" "10.1|"

before=$(counts)
# a row longer than the header (after a row with a quoted line break)
printf 'title,year\n"A\ntitle",2001\n"B, b",2002,extra\n' > "$TMP/long.csv"
run 3 lsr -C "$REV" import --source Test "$TMP/long.csv"
same "$ERR" "lsr import: error: $TMP/long.csv:4: expected at most 2 cells, as in the header, but the row has 3"
printf 'title,year\nA,2001\n"B, never closed,2002\n' > "$TMP/quote.csv"
run 3 lsr -C "$REV" import --source Test "$TMP/quote.csv"
same "$ERR" "lsr import: error: $TMP/quote.csv:3: expected '\"' to close the quoted cell of the row that starts here"
# option errors are usage errors (exit 2): the file is fine, the options not
run 2 lsr -C "$REV" import --source Test --id-column record_id "$FIX/dedup/other/asreview_duplicate_records.csv"
same "$(head -1 "$ERR")" "lsr import: error: $FIX/dedup/other/asreview_duplicate_records.csv:1: no column 'record_id' in the header (columns: title, abstract, doi, some_column)"
run 2 lsr -C "$REV" import --source Test --map titel=title "$FIX/dedup/other/asreview_duplicate_records.csv"
same "$(head -1 "$ERR")" "lsr import: error: --map titel=title: unknown field 'titel' (fields: title, abstract, authors, year, date, journal, journal_abbrev, volume, issue, pages, start_page, end_page, article_number, doi, pmid, pmcid, issn, language, keywords, publication_types, ref_type, url, source_id, citation, extra, isbn)"
run 2 lsr -C "$REV" import --source Test --map title=Heading "$FIX/dedup/other/asreview_duplicate_records.csv"
same "$(head -1 "$ERR")" "lsr import: error: $FIX/dedup/other/asreview_duplicate_records.csv:1: --map title=Heading: no column 'Heading' in the header (columns: title, abstract, doi, some_column)"
same "$(counts)" "$before"
finish
