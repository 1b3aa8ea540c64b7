#!/bin/sh
# lsr import, BibTeX: every fixture with exactly its entries; the entry key
# is the source id and the raw text the entry as received; LaTeX becomes
# Unicode, protection braces go, names turn to "Surname, Given", @string
# macros and '#' concatenation work, @comment and @preamble are skipped;
# unbalanced braces reject the file with the line where the entry started.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
need_shared
new_review

# file|records ("@type{" entries in the file; PROVENANCE.md agrees)
while IFS='|' read -r f n; do
	expect_import "$FIX/bibtex/$f" "$n" bibtex
done <<'EOF'
asysd_zotero_export.bib|1000
synthesisr_Scopus_bib_example.bib|3
synthesisr_litsearchr.txt|1
EOF
same "$(counts)" "3 1004"

expect_import "$FIX/bibtex/asysd_zotero_export.bib" 1000 bibtex --force
# "{Cocker} {Spaniel}": protection braces removed; month = aug
same "$(rec 1)" "Microangiography of the humeral condyle in Cocker Spaniel and non-Cocker Spaniel dogs|Larsen, LJ|1999|||larsen_microangiography_1999"
same "$(rec 1 'ref_type, pub_date, journal, volume, issue, pages, issn, language, json_array_length(keywords), line')" \
	"article|1999-08|VETERINARY AND COMPARATIVE ORTHOPAEDICS AND TRAUMATOLOGY|12|3|134-137|0932-0814|English|5|2"
same "$("$LSR" -C "$REV" records show "$(rec 1 id)" --raw | head -c 42)" "@article{larsen_microangiography_1999,
	ti"
# {\textless} and \& inside abstracts
same "$(sql "$REV/review.db" "SELECT count(*) FROM records WHERE run_id = (SELECT max(id) FROM runs) AND source_record_id = 'kaimio_survey_2017' AND abstract LIKE '%early onset (< 1 year) of OE%'")" "1"
same "$(sql "$REV/review.db" "SELECT count(*) FROM records WHERE run_id = (SELECT max(id) FROM runs) AND abstract LIKE '%Texas A&M University%'")" "1"
same "$(sql "$REV/review.db" "SELECT count(*) FROM records WHERE run_id = (SELECT max(id) FROM runs) AND (title LIKE '%{%' OR abstract LIKE '%\\text%' OR authors LIKE '%{%')")" "0"

expect_import "$FIX/bibtex/synthesisr_Scopus_bib_example.bib" 3 bibtex --force
same "$(rec 1)" "Soil fauna diversity at different stages of reed restoration in a lakeshore wetland at Lake Taihu, China|Li, W.|2020|10.1080/20964129.2020.1722034||Li2020"
same "$(rec 1 'journal_abbrev, pages, publication_types, json_array_length(authors), json_array_length(keywords)')" \
	'Ecosyst. Health Sustain.|1722034|["Article"]|10|6'

expect_import "$FIX/bibtex/synthesisr_litsearchr.txt" 1 bibtex --force
same "$(rec 1)" "An automated approach to identifying search terms for systematic reviews using keyword co-occurrence networks|Grames, Eliza M|2019|||grames2019automated"
same "$(rec 1 'journal, volume, issue, pages')" "Methods in Ecology and Evolution|10|10|1645-1654"

cat > "$TMP/own.bib" <<'EOF'
This text before the first entry is a comment; so is john@example.org.
@comment{jabref-meta: {nested} text}
@preamble{"\newcommand{\noopsort}[1]{}"}
@string{jlc = "Journal of Liver {C}irrhosis"}

@Article{own2019,
  title = {The {\"O}stersund study of {\ss}tra{\ss}e and \'{e}t\'e --- a {\it pilot}~trial of $\alpha$-blockers},
  author = {M{\"u}ller, Hans and Ludwig van Beethoven and {World Health Organization} and
            Fran\c{c}ois Truffaut and others},
  journal = jlc # " Letters",
  year = 2019, month = mar,
  pages = "100--110",
  doi = {https://doi.org/10.1000/ABC.1},
  keywords = {cirrhosis, stem cells},
}

@inproceedings(own2020, title = "Quoted {T}itle with {\"a}", booktitle = {Proc. of Things},
  year = {2020})
EOF
expect_import "$TMP/own.bib" 2 bibtex
same "$(rec 1)" "The Östersund study of ßtraße and été — a pilot trial of α-blockers|Müller, Hans|2019|10.1000/ABC.1||own2019"
same "$(rec 1 'authors, journal, pub_date, pages, keywords, line')" \
	'["Müller, Hans","van Beethoven, Ludwig","World Health Organization","Truffaut, François"]|Journal of Liver Cirrhosis Letters|2019-03|100-110|["cirrhosis","stem cells"]|6'
same "$(rec 2 'ref_type, title, journal, year, line')" "inproceedings|Quoted Title with ä|Proc. of Things|2020|17"

# unbalanced braces: the line where the entry started
before=$(counts)
printf '@article{a,\n  title = {Fine},\n}\n\n@article{b,\n  title = {Broken {brace},\n  year = 2020,\n}\n\n@article{c, title = {x}}\n' > "$TMP/unbalanced.bib"
run 3 lsr -C "$REV" import --source Test "$TMP/unbalanced.bib"
same "$ERR" "lsr import: error: $TMP/unbalanced.bib:5: unbalanced braces: the entry '@article{b' that starts here has no closing brace before the next entry at line 10"
printf '@article{a,\n  title = {Fine},\n}\n@article{b,\n  title = {Open\n' > "$TMP/open.bib"
run 3 lsr -C "$REV" import --source Test "$TMP/open.bib"
same "$ERR" "lsr import: error: $TMP/open.bib:4: unbalanced braces: the entry '@article{b' that starts here has no closing brace before the end of the file"
printf '@article{k,\n  title {x}\n}\n' > "$TMP/noeq.bib"
run 3 lsr -C "$REV" import --source Test "$TMP/noeq.bib"
same "$ERR" "lsr import: error: $TMP/noeq.bib:2: expected 'field = value' in the entry 'k' that starts at line 1"
same "$(counts)" "$before"
finish
