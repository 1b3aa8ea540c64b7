#!/bin/sh
# lsr import, RIS: every RIS fixture (and the three Ovid chunks of the
# McKeown benchmark) imports, detected by content, with exactly the number
# of TY/ER pairs it holds; key fields as the files have them; an open
# record rejects the file and leaves the review as it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
need_shared
new_review

# file|records (TY/ER pairs counted in the file; PROVENANCE.md agrees)
while IFS='|' read -r f n; do
	expect_import "$FIX/$f" "$n" ris
done <<'EOF'
ris/asreview_baseline_tag-notes_zotero.ris|4
ris/asreview_baseline_zotero.ris|100
ris/asreview_embase.ris|6
ris/asreview_ovid_psycinfo.ris|6
ris/asreview_ovid_zotero.ris|6
ris/asreview_proquest.ris|6
ris/asreview_pubmed_endnote.txt|6
ris/asreview_pubmed_zotero.ris|6
ris/asreview_ris_issue_1099.txt|7
ris/asreview_ris_issue_992.txt|19
ris/asreview_scopus.ris|6
ris/asreview_web_of_science.txt|10
ris/asysd_ris_export.txt|69
ris/asysd_scopus.ris|10
ris/asysd_wos_test.ris|50
ris/asysd_zotero_export.ris|1000
ris/citesource_20221207_gambling-harms_crimjust_41.ris|41
ris/citesource_20221207_gambling-harms_lens_49.ris|49
ris/citesource_20221207_gambling-harms_psycinfo_124.ris|124
ris/citesource_20221207_gambling-harms_pubmed_176.ris|176
ris/citesource_20221207_gambling-harms_scopus_255.ris|255
ris/citesource_Dimensions_246.ris|246
ris/citesource_benchmark.ris|13
ris/citesource_econlit_3.ris|3
ris/citesource_envindex_100.ris|100
ris/citesource_lens_343.ris|343
ris/citesource_medline_84.ris|84
ris/citesource_wos_278.ris|278
ris/colrev_jstor_ris.ris|4
ris/colrev_psycinfo_ris.ris|1
ris/revtools_avian_ecology_bibliography.ris|20
ris/revtools_restoration_scopus.ris|286
ris/rispy_example_bom.ris|1
ris/rispy_example_utf_chars.ris|1
ris/synthesisr_ASP_ris_example.ris|4
ris/synthesisr_Ovid_ris_example.ris|4
ris/synthesisr_Scopus_ris_example.ris|3
ris/synthesisr_citesource_issue_24.ris|17
ris/synthesisr_eviatlas.txt|1
ris/synthesisr_extdata_scopus.ris|92
dedup/mckeown_partial/0_Ovid_search_results_1_to_1000.ris|1000
dedup/mckeown_partial/0_Ovid_search_results_1001_to_2000.ris|1000
dedup/mckeown_partial/0_Ovid_search_results_3001_to_3130.ris|130
EOF
same "$(counts)" "43 5587"

# key fields, one file of each database family, as the files write them
expect_import "$FIX/ris/asreview_embase.ris" 6 ris --force
same "$(rec 1)" "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound|Liu R.|2014|10.4103/2303-9027.138783||L373791783"
same "$(rec 1 other_ids)" '{"embase":["L373791783"]}'
expect_import "$FIX/ris/asreview_pubmed_endnote.txt" 6 ris --force
same "$(rec 1)" "Boswellia serrata: an overall assessment of in vitro, preclinical, pharmacokinetic and clinical data|Abdel-Tawab, M.|2011|10.2165/11586800-000000000-00000|21553931|21553931"
expect_import "$FIX/ris/asreview_web_of_science.txt" 10 ris --force
same "$(rec 1)" "Holding Yourself Captive: Perceptions of Custody During Interviews and Interrogations|Alceste, F|2018|10.1016/j.jarmac.2018.03.001||WOS:000444108200009"
same "$(rec 1 other_ids)" '{"wos":["000444108200009"]}'
expect_import "$FIX/ris/citesource_Dimensions_246.ris" 246 ris --force
same "$(rec 1)" "The long-term impact of bushfires on the mental health of Australians: a systematic review and meta-analysis|Zhang, Yanqin|2022|10.1080/20008198.2022.2087980||pub.1149029839"
# "Fonseca C., Efraín R." is one author (surname, given), not two
same "$(sql "$REV/review.db" "SELECT count(*) FROM records WHERE run_id = (SELECT max(id) FROM runs) AND authors LIKE '[\"Fonseca C., Efraín R.\",%'")" "1"
expect_import "$FIX/ris/citesource_lens_343.ris" 343 ris --force
same "$(rec 3)" "Evaluating Environmental Crimes Through the Prism of Criminological Theories|Mohanta, Abhinash|2023|10.4018/978-1-6684-7020-6.ch006||001-187-796-205-967"
# Ovid MEDLINE: "ID  - 30439442" and a D=medp link carry the PMID
expect_import "$FIX/dedup/mckeown_partial/0_Ovid_search_results_1_to_1000.ris" 1000 ris --force
same "$(rec 1)" "Mushroom poisoning: A proposed new clinical classification.|White, Julian|2018|10.1016/j.toxicon.2018.11.007|30439442|30439442"
same "$(rec 1 'issn, volume, pages')" "1879-3150|157|53-65"
# Ovid CENTRAL lists every author in one A1; a DOI from a URL is decoded
expect_import "$FIX/dedup/mckeown_partial/0_Ovid_search_results_1001_to_2000.ris" 1000 ris --force
same "$(rec 1 'authors, source_record_id')" '["Breckenridge A","Grobbee DE"]|CN-01291099'
expect_import "$FIX/dedup/mckeown_partial/0_Ovid_search_results_3001_to_3130.ris" 130 ris --force
same "$(rec 2 doi)" "10.1016/0376-8716(76)90010-7"
expect_import "$FIX/ris/citesource_medline_84.ris" 84 ris --force
same "$(rec 1 'pmid, journal, journal_abbrev')" "39012781|Diabetes care|Diabetes Care"
# PsycINFO's non-standard "PMID  -" tag; M3 holding a DOI is no type
expect_import "$FIX/ris/colrev_psycinfo_ris.ris" 1 ris --force
same "$(rec 1 'ref_type, pmid, publication_types, issn')" 'JOUR|33355555|[]|1999-7777'
# Rayyan: a keyword per untagged line
expect_import "$FIX/ris/asreview_ris_issue_992.txt" 19 ris --force
same "$(rec 1 'json_array_length(keywords), json_extract(keywords, "$[1]"), source_record_id')" "13|Joint Commission|rayyan-264552525"
# EBSCOhost: the DOI in L3, the accession number in the link
expect_import "$FIX/ris/synthesisr_ASP_ris_example.ris" 4 ris --force
same "$(rec 1 'doi, source_record_id, year')" "10.1016/j.agee.2016.06.041|117372971|2016"
# no TI: the short title stands in; VO is the volume
expect_import "$FIX/ris/rispy_example_utf_chars.ris" 1 ris --force
same "$(rec 1 'substr(title, 1, 9), volume, issue, pages')" "Состояние|8|3|52-57"
# provenance: first line, byte offset (after the 3-byte BOM), raw bytes
# (the whole file but its BOM)
same "$(rec 1 'line, byte_offset')" "1|3"
same "$("$LSR" -C "$REV" records show "$(rec 1 id)" --raw | wc -c)" 907

# an open record rejects the whole file; nothing is stored
before=$(counts)
printf 'TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nAU  - Smith, J\n' > "$TMP/open.ris"
run 3 lsr -C "$REV" import --source Test "$TMP/open.ris"
same "$ERR" "lsr import: error: $TMP/open.ris:7: unexpected end of file: the record that starts at line 5 has no 'ER  - '"
printf 'TY  - JOUR\nTI  - One\n\nTY  - JOUR\nTI  - Two\nER  - \n' > "$TMP/open2.ris"
run 3 lsr -C "$REV" import --source Test "$TMP/open2.ris"
same "$ERR" "lsr import: error: $TMP/open2.ris:4: expected 'ER  - ' to close the record that starts at line 1 before a new 'TY  - '"
same "$(counts)" "$before"
finish
