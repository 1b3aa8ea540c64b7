#!/bin/sh
# lsr import, MEDLINE (.nbib): every fixture imports with exactly its number
# of PMID records; FAU before AU, collective names, MeSH descriptors without
# qualifiers, structured abstracts one section per line, comment and
# correction links, ClinicalTrials.gov numbers; a damaged file is rejected.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
need_shared
new_review

# file|records ("PMID- " lines in the file; PROVENANCE.md agrees)
while IFS='|' read -r f n; do
	expect_import "$FIX/medline/$f" "$n" medline
done <<'EOF'
biopython_pubmed_result1.txt|1
biopython_pubmed_result2.txt|4
biopython_pubmed_result3.txt|1
biopython_pubmed_result4.txt|1
revtools_restoration_pubmed.nbib|104
synthesisr_PubMed_example.txt|3
synthesisr_res_synth_methods.txt|2
EOF
same "$(counts)" "7 116"

expect_import "$FIX/medline/biopython_pubmed_result1.txt" 1 medline --force
same "$(rec 1)" "The Bio* toolkits--a brief overview.|Mangalam, Harry|2002||12230038|12230038"
same "$(rec 1 'pub_date, journal, journal_abbrev, volume, issue, pages, issn, language')" \
	"2002-09|Briefings in bioinformatics|Brief Bioinform|3|3|296-302|1467-5463|eng"
# "MH  - *Computational Biology": the descriptor without the asterisk
same "$(rec 1 mesh)" '["Computational Biology","Computer Systems","Humans","Internet","Programming Languages","Software","User-Computer Interface"]'

expect_import "$FIX/medline/biopython_pubmed_result2.txt" 4 medline --force
same "$(rec 1)" "A high level interface to SCOP and ASTRAL implemented in python.|Casbon, James A|2006|10.1186/1471-2105-7-10|16403221|16403221"
same "$(rec 1 'pmcid, json_extract(mesh, "$[2]")')" "PMC1373603|Information Storage and Retrieval"
same "$(rec 2 abstract)" "$(printf 'SUMMARY: We present GenomeDiagram, a flexible, open-source Python module for the visualization of large-scale genomic, comparative genomic and other data with reference to a single chromosome or other biological sequence. GenomeDiagram may be used to generate publication-quality vector graphics, rastered images and in-line streamed graphics for webpages. The package integrates with datatypes from the BioPython project, and is available for Windows, Linux and Mac OS X systems.\nAVAILABILITY: GenomeDiagram is freely available as source code (under GNU Public License) at http://bioinf.scri.ac.uk/lp/programs.html, and requires Python 2.3 or higher, and recent versions of the ReportLab and BioPython packages.\nSUPPLEMENTARY INFORMATION: A user manual, example code and images are available at http://bioinf.scri.ac.uk/lp/programs.html.')"

# DEP 20230517 with DP "2023 May 17"; the DOI from LID; an e-location as PG
expect_import "$FIX/medline/biopython_pubmed_result4.txt" 1 medline --force
same "$(rec 1 'pub_date, doi, pages, issn')" "2023-05-17|10.1091/mbc.E22-12-0560|mbcE22120560|1939-4586"

expect_import "$FIX/medline/revtools_restoration_pubmed.nbib" 104 medline --force
same "$(rec 2)" "Seasonal Changes and Vertical Distribution of Fine Root Biomass During Vegetation Restoration in a Karst Area, Southwest China.|Du, Hu|2018|10.3389/fpls.2018.02001|30687380|30687380"
same "$(rec 2 'pmcid, keywords')" 'PMC6337902|["ecological restoration","karst ecosystem","production","seasonal pattern","stages of succession"]'
# CN: the collective author where the file lists it, between two FAU
same "$(sql "$REV/review.db" "SELECT authors FROM records WHERE pmid = '30269335' AND run_id = (SELECT max(id) FROM runs)")" '["Olsson, Sara R","Pigg, Maria","Isberg, Per-Erik","EndoReCo","Fransson, Helena"]'
# two LA lines
same "$(sql "$REV/review.db" "SELECT language FROM records WHERE pmid = '30624520' AND run_id = (SELECT max(id) FROM runs)")" "por;eng"

# what the fixtures lack: relations, registry numbers, a record that
# follows without a blank line, a season date, wrapped structured abstract
cat > "$TMP/own.nbib" <<'EOF'
PMID- 11111111
TI  - A randomised trial of something
      in two lines.
AB  - BACKGROUND: Why it matters. METHODS: We randomised 40 patients. RESULTS: It 
      worked (P < 0.05). CONCLUSIONS: Use it.
FAU - Doe, Jane
AU  - Doe J
CN  - The Study Group
DP  - 2020 Spring
DEP - 20200315
PT  - Randomized Controlled Trial
PT  - Journal Article
MH  - Liver Cirrhosis/*therapy
SI  - ClinicalTrials.gov/NCT01234567
CIN - Lancet. 2020 Jun;395(10240):1000. PMID: 22222222
EIN - Lancet. 2020 Jul;396:10. PMID: 33333333
RIN - Lancet. 2021;1:1. PMID: 44444444
UOF - An earlier report without a PMID
PMID- 55555555
TI  - Second record, no blank line before it.
AU  - Roe R
DEP - 20191231
EOF
expect_import "$TMP/own.nbib" 2 medline
same "$(rec 1 'title, authors, year, pub_date, mesh')" 'A randomised trial of something in two lines.|["Doe, Jane","The Study Group"]|2020|2020|["Liver Cirrhosis"]'
same "$(rec 1 'publication_types, relations, other_ids')" '["Randomized Controlled Trial","Journal Article"]|["CommentIn 22222222","ErratumIn 33333333","RetractionIn 44444444","UpdateOf"]|{"nct":["NCT01234567"]}'
same "$(rec 1 abstract)" "$(printf 'BACKGROUND: Why it matters.\nMETHODS: We randomised 40 patients.\nRESULTS: It worked (P < 0.05).\nCONCLUSIONS: Use it.')"
same "$(rec 2 'title, authors, pub_date, line')" 'Second record, no blank line before it.|["Roe R"]|2019-12-31|19'

# garbage rejects the file, with the line, and stores nothing
before=$(counts)
printf 'PMID- 1\nTI  - A title\nThis line is not MEDLINE\n' > "$TMP/bad1.nbib"
run 3 lsr -C "$REV" import --source Test "$TMP/bad1.nbib"
same "$ERR" "lsr import: error: $TMP/bad1.nbib:3: expected a MEDLINE tag ('XXXX- ') or a continuation line indented with spaces"
printf 'PMID- 1\nTI  - A title\n\n<html>not a record</html>\nPMID- 2\n' > "$TMP/bad2.nbib"
run 3 lsr -C "$REV" import --source Test "$TMP/bad2.nbib"
same "$ERR" "lsr import: error: $TMP/bad2.nbib:4: expected 'PMID- ' to start a MEDLINE record"
run 3 lsr -C "$REV" import --source Test --format medline "$FIX/ris/synthesisr_eviatlas.txt"
same "$ERR" "lsr import: error: $FIX/ris/synthesisr_eviatlas.txt:1: expected 'PMID- ' to start a MEDLINE record"
same "$(counts)" "$before"
finish
