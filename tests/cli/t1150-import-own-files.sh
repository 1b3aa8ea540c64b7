#!/bin/sh
# lsr import on the project's own files (tests/data/import: invented
# records, no ../shared needed): each format is detected by content and
# gives exactly its records; title, first author, year, DOI, journal and
# pages as the files write them; provenance (line, byte offset, source id,
# raw bytes) agrees with the file itself; the encoding repairs and gzip.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
: "${LSR_SRC:?LSR_SRC must point at the source tree}"
D=$LSR_SRC/tests/data/import
new_review

# recs: the records of the run just imported, one JSON object a line
recs() {
	r=$(jq -r .run "$OUT")
	run 0 lsr -C "$REV" records --run "$r" --json
	cp "$OUT" "$TMP/run.json"
}
# key POS: "title|first author|year|doi|journal|pages" of record POS
key() {
	sed -n "${1}p" "$TMP/run.json" |
		jq -r '[.title, .authors[0], .year, .doi, .journal, .pages] | map(. // "") | join("|")'
}
# val POS JQ: one jq expression over record POS
val() { sed -n "${1}p" "$TMP/run.json" | jq -r "$2"; }
# prov POS FILE FIRST LAST: record POS starts at line FIRST, at the byte
# offset of that line, and its raw text is lines FIRST..LAST of FILE
prov() {
	same "$(val "$1" '.line')" "$3"
	same "$(val "$1" '.byte_offset')" "$(head -n $(($3 - 1)) "$2" | wc -c | tr -d ' ')"
	run 0 lsr -C "$REV" records show "$(val "$1" .id)" --raw
	sed -n "$3,$4p" "$2" > "$TMP/want.raw"
	CHECKS=$((CHECKS + 1))
	cmp -s "$OUT" "$TMP/want.raw" || fail "raw text of record $1 is not lines $3-$4 of $2"
}

# ---- PubMed XML: structured abstract, entities, inline markup, a
# collective author, MedlineDate, two languages, a PMC id
expect_import "$D/pubmed.xml" 3 pubmed-xml
recs
same "$(key 1)" "Albumin & diuretics after partial hepatectomy: a randomised trial.|Østergård, Søren|2021|10.5555/jih.2021.0412|Journal of Imaginary Hepatology|301-309"
same "$(val 1 '[.pmid, .pmcid, .source_id, .issn, .journal_abbrev, .volume, .issue, .pub_date] | join("|")')" "90000001|PMC9000001|90000001|1999-0001|J Imag Hepatol|12|4|2021-04"
same "$(val 1 '.authors | join(";")')" "Østergård, Søren;Nguyễn, Thị Lan;Imaginary Liver Trials Group"
same "$(val 1 .abstract)" "BACKGROUND: Fluid balance after liver surgery is poorly studied.
METHODS: Sixty adults were assigned to albumin or saline."
same "$(val 1 '.publication_types | join(";")')" "Randomized Controlled Trial;Journal Article"
same "$(val 1 '.mesh | join(";")')" "Albumins;Hepatectomy"
same "$(key 2)" "Drain or no drain? Twelve-month outcomes in a cohort of 412 patients.|O'Brien-Müller, Aoife|2019||Annals of Fictional Surgery|e115"
same "$(val 2 '[.pub_date, .language, .abstract] | map(. // "") | join("|")')" "2019-11|eng;ger|"
same "$(key 3)" "Serum albumin below 30 g/L < a marker of risk > in older adults.|Kowalczyk, Zoë|2023|10.5555/ojmum.2023.3.1.45|Open Journal of Made-Up Medicine|45-52"
same "$(val 3 .pub_date)" "2023-01-15"
# a record's provenance is its <PubmedArticle> line
same "$(val 1 .line)" "$(grep -n '<PubmedArticle>' "$D/pubmed.xml" | sed -n 1p | cut -d: -f1)"
same "$(val 3 .line)" "$(grep -n '<PubmedArticle>' "$D/pubmed.xml" | sed -n 3p | cut -d: -f1)"
run 0 lsr -C "$REV" records show "$(val 2 .id)" --raw
has "$OUT" "<PMID Version=\"1\">90000002</PMID>"
hasnt "$OUT" "90000001"
hasnt "$OUT" "90000003"

# an update file: a book chapter, a retraction notice (an invalid author
# skipped, a suffix, a trial number, ISSNLinking), and a DeleteCitation that
# withdraws 90000002 imported above (90000077 was never imported)
expect_import "$D/pubmed-update.xml" 2 pubmed-xml
has "$OUT" '"deleted":2,"withdrawn":1,'
recs
same "$(key 1)" "Chapter 3: albumin in the invented clinic|Abiodun, Kemi|2020||Handbook of Imaginary Hepatology|"
same "$(val 1 '[.type, .pmid, .pub_date, .other_ids.bookaccession[0], .other_ids.isbn[0], .publication_types[0], .abstract] | join("|")')" \
	"PubmedBookArticle|90000005|2020-07|NBK900005|9780000000019|Review|A chapter that summarises what nobody measured."
same "$(key 2)" 'Retraction note: "Serum albumin below 30 g/L".|Kowalczyk, Z Jr|2024||Open Journal of Made-Up Medicine|e2024017'
same "$(val 2 '[(.authors | length), .issn, .journal_abbrev, .other_ids.nct[0], (.relations | join(";"))] | map(tostring) | join("|")')" \
	"1|1999-0003|Open J Made Up Med|NCT09000003|RetractionOf 90000003"
same "$(val 2 .line)" "$(grep -n '<PubmedArticle>' "$D/pubmed-update.xml" | cut -d: -f1)"
run 0 lsr -C "$REV" records --all --json
same "$(jq -r 'select(.pmid == "90000002") | .status' "$OUT")" "withdrawn-by-source"
run 0 lsr -C "$REV" records --json
hasnt "$OUT" '"pmid":"90000002"'

# ---- MEDLINE (.nbib): continued title and abstract lines, FAU over AU,
# a group author (CN), LID/AID DOI, PMC, a season date, missing fields
expect_import "$D/medline.nbib" 3 medline
recs
same "$(key 1)" "Early enteral nutrition versus delayed feeding after pancreatic resection: a multicentre randomised trial in five imaginary hospitals.|Çelik, Ayşe|2022|10.5555/ifn.2022.28.2.210|Imaginary food and nutrition|210-219"
same "$(val 1 '[.pmid, .pmcid, .journal_abbrev, .issn, .volume, .issue, .pub_date] | join("|")')" "90000011|PMC9000011|Imag Food Nutr|1999-0011|28|2|2022-02"
same "$(val 1 '.authors | join(";")')" "Çelik, Ayşe;Fernández-López, José María;Fictional Nutrition Collaborative"
same "$(val 1 '.mesh | join(";")')" "Enteral Nutrition;Pancreatectomy"
same "$(val 1 '.keywords | join(";")')" "feeding;pancreas"
has "$TMP/run.json" '"abstract":"BACKGROUND: Timing of feeding after pancreatic surgery is debated.'
same "$(key 2)" "A note on invented registries.|Li, Wei|2020||Fictional registry review|1-4"
same "$(val 2 '[.language, .publication_types[0], .abstract // ""] | join("|")')" "chi|Letter|"
same "$(key 3)" "Weight loss before bariatric surgery: what patients say.|Ng, Mei-Ling|2018|10.5555/fbj.2018.5.77|Fictional bariatric journal|77-85"
same "$(val 3 '.authors[1]')" "Ó Súilleabháin, Pádraig"
prov 1 "$D/medline.nbib" 1 37
prov 2 "$D/medline.nbib" 39 51
prov 3 "$D/medline.nbib" 53 71
same "$(val 3 .source_id)" "90000013"

# ---- RIS: several AU, A1/T1/Y1 spellings, a chapter, a record without
# year or DOI, a DOI given as an upper-case URL, AN as the source id
expect_import "$D/records.ris" 4 ris
recs
same "$(key 1)" "Restrictive versus liberal transfusion in invented cardiac surgery: a pilot trial|Håkansson, Ingrid|2017|10.5555/jpa.2017.41.6.1123|Journal of Pretend Anaesthesia|1123-1131"
same "$(val 1 '[.type, .journal_abbrev, .volume, .issue, .issn, .pub_date, .source_id, .language] | join("|")')" "JOUR|J Pretend Anaesth|41|6|1999-0021|2017-06-01|RIS-0001|English"
same "$(val 1 '.keywords | join(";")')" "transfusion;cardiac surgery"
same "$(key 2)" "Fluid therapy in the elderly|Rossi, Giulia|2015|||55-70"
same "$(val 2 '[.type, .authors[1]] | join("|")')" "CHAP|Weiß, Friedrich"
same "$(key 3)" "Résumé of a conference that never happened|Smith, J. R.|||Imaginary Proceedings|"
same "$(key 4)" "Hypothermia prevention with forced-air warming: a cluster trial|van der Berg, Pieter|2020|10.5555/FPC.2020.E2041|Fict Perioper Care|e2041"
same "$(val 4 .source_id)" "90000024"
prov 1 "$D/records.ris" 1 22
prov 2 "$D/records.ris" 24 34
prov 3 "$D/records.ris" 36 42
prov 4 "$D/records.ris" 44 57

# ---- Web of Science plain text: continued AU/AF/TI/AB lines, AF over
# AU, PD + PY, an article number for pages, UT and PM
expect_import "$D/wos.txt" 3 wos
recs
same "$(key 1)" "Wetland restoration and soil invertebrates: a ten-year follow-up in an invented river delta|Müller, Katharina|2019|10.5555/jie.2019.33.145|JOURNAL OF IMAGINARY ECOLOGY|145-158"
same "$(val 1 '[.source_id, .pmid, .other_ids.wos[0], .pub_date, .journal_abbrev, .volume, .issue, .issn] | join("|")')" "WOS:000900000000031|90000031|000900000000031|2019-03-15|J. Imag. Ecol.|33|2|1999-0031"
same "$(val 1 '.authors | join(";")')" "Müller, Katharina;Söderberg, Anders;Zhang, Xiao-Yu"
same "$(val 1 .abstract)" "Restored wetlands were sampled yearly. Invertebrate richness recovered within a decade."
same "$(key 2)" "Grazing pressure in make-believe grasslands|Okafor, Chinedu N.|2021|10.5555/frs.2021.104512|FICTIONAL RANGELAND SCIENCE|104512"
same "$(key 3)" "Notes on nothing in particular|Lindqvist, Elin|2016||INVENTED BOOK SERIES|1-20"
same "$(val 3 '[.type, .language] | join("|")')" "B|Swedish"
prov 1 "$D/wos.txt" 3 33
prov 2 "$D/wos.txt" 35 47
prov 3 "$D/wos.txt" 49 62

# ---- EndNote XML: values split over <style> runs, entities, an ISSN in
# <isbn> beside a second one, a PubMed accession number, a book section,
# a DOI only in a URL
expect_import "$D/endnote.xml" 3 endnote-xml
recs
same "$(key 1)" "Tranexamic acid in imaginary hip replacement: a randomised trial|Jørgensen, Mette|2016|10.5555/jpo.2016.19.88|Journal of Pretend Orthopaedics|88-97"
same "$(val 1 '[.type, .pmid, .source_id, .issn, .journal_abbrev, .volume, .issue, .pub_date, .language] | join("|")')" "Journal Article|90000041|90000041|1999-0041|J Pretend Orthop|19|2|2016-02|eng"
same "$(val 1 '.keywords | join(";")')" "tranexamic acid;arthroplasty"
has "$TMP/run.json" '"abstract":"Blood loss was measured in 120 invented patients.'
same "$(key 2)" "Chapter seven: counting what never existed|Kim, Soo-ah|2012||Collected Essays on Invention|133-150"
same "$(val 2 '[.type, .source_id] | join("|")')" "Book Section|2"
same "$(key 3)" "Physiotherapy & early mobilisation after knee surgery|Brown, A.|2022|10.5555/frq.2022.4.e7|Fictional Rehabilitation Quarterly|e7"
same "$(val 3 '.authors[1]')" "García Márquez, Lucía"
# the raw text of a record is its <record> element, as received
run 0 lsr -C "$REV" records show "$(val 2 .id)" --raw
same "$(cat "$OUT")" "$(sed 's/.*<\/record>\(<record><rec-number>2<.*<\/record>\)<record><rec-number>3.*/\1/' "$D/endnote.xml")"
same "$(val 2 .byte_offset)" "$(grep -bo '<record><rec-number>2<' "$D/endnote.xml" | cut -d: -f1)"

# ---- EndNote tagged (.enw): %8 date with %D year, a multi-line %X, %M
# accession number, a book, a DOI only in %U, a record without a year
expect_import "$D/endnote.enw" 3 endnote
recs
same "$(key 1)" "Cold-water immersion after exercise in an invented rowing club|Virtanen, Aino|2014|10.5555/jfsm.2014.22.501|Journal of Fictional Sports Medicine|501-510"
same "$(val 1 '[.type, .source_id, .issn, .volume, .issue, .pub_date, .language] | join("|")')" "Journal Article|90000051|1999-0051|22|5|2014-09-01|English"
same "$(val 1 .abstract)" "Soreness was rated daily for a week.
Ratings were lower after immersion."
same "$(val 1 '.authors[1]')" "Ødegaard, Bjørn"
same "$(key 2)" "A history of imaginary hospitals|Dlamini, Thandiwe|2009|||"
same "$(val 2 .type)" "Book"
same "$(key 3)" "Sleep after surgery: a survey of 300 invented patients|Park, Ji-hoon||10.5555/fnr.3.12|Fict Nurs Res|12-19"
prov 1 "$D/endnote.enw" 1 18
prov 2 "$D/endnote.enw" 20 25
prov 3 "$D/endnote.enw" 27 33

# ---- BibTeX: @string macro, @comment, LaTeX accents, braced words, a
# month macro, "#" concatenation, a group author, "and others", no author,
# an upper-case entry, a DOI URL
expect_import "$D/records.bib" 4 bibtex
recs
same "$(key 1)" "Vitamin D supplementation in invented care homes: a cluster-randomised trial|Schröder, Jürgen|2018|10.5555/jfm.2018.45.210|Journal of Fictional Medicine|210-218"
same "$(val 1 '.authors | join(";")')" "Schröder, Jürgen;Nuñez, María;Imaginary Trials Consortium"
same "$(val 1 '[.source_id, .type, .pmid, .issn, .volume, .issue, .pub_date] | join("|")')" "schroeder2018|article|90000061|1999-0061|45|3|2018-09"
# a hard line break in a BibTeX value is a space (issue 16)
same "$(val 1 .abstract)" "Falls were counted for one year. Fewer falls occurred with vitamin D."
same "$(key 2)" "Telemonitoring of blood pressure in a pretend district|Adeyemi, Folasade|2020||Proceedings of the Make-Believe Conference on Health|33-41"
same "$(val 2 '.authors[1]')" "Lefèvre, Amélie"
same "$(key 3)" "Guidelines Nobody Wrote||2011|||"
same "$(val 3 '.authors | length')" "0"
same "$(key 4)" "Hand hygiene compliance measured by an imaginary sensor|Kaur, Simran|2023|10.5555/fic.2023.e1002|Fictional Infection Control|e1002"
prov 1 "$D/records.bib" 6 22
prov 4 "$D/records.bib" 38 46

# ---- CSV: quoted cells with commas, semicolons, doubled quotes and a line
# break; "; "-separated authors; empty cells
expect_import "$D/records.csv" 4 csv
recs
same "$(key 1)" 'Exercise training in pretend heart failure: the "WALK-ON" trial|Andersson, Lars|2019|10.5555/jic.2019.14.612|Journal of Invented Cardiology|612-620'
same "$(val 1 '.authors | join(";")')" "Andersson, Lars;Mbeki, Sipho;Łukasiewicz, Anna"
same "$(val 1 '[.pmid, .volume, .issue, .language] | join("|")')" "90000071|14|7|English"
same "$(val 1 .abstract)" "Six-minute walk distance improved.
Quality of life improved as well, by 8 points."
same "$(key 2)" "Salt, water, and kidneys: an invented cohort|Ferreira, João|2021||Fictional Nephrology|101-109"
same "$(key 3)" "Remote monitoring of made-up pacemakers|Yamamoto, Keiko||10.5555/id.2015.7|Imaginary Devices|"
same "$(key 4)" "A title with a comma, and a semicolon; both inside quotes|Ivanova, Ольга|2008|10.5555/jfm2.2008.1|Journal of Fictional Methods|1-9"
# a row with a line break inside a cell: its line is its first line
prov 1 "$D/records.csv" 2 3
prov 2 "$D/records.csv" 4 4
prov 4 "$D/records.csv" 6 6

# ---- encodings: a BOM and CRLF (tab-separated), Windows-1252 bytes and
# CRLF, lone CRs
expect_import "$D/bom-crlf.tsv" 2 csv
has "$OUT" '"notes":"byte-order mark removed, CRLF line ends"'
recs
same "$(key 1)" "Breathing exercises for invented asthma|Nakamura, Yui|2012|10.5555/fra.2012.3||"
same "$(key 2)" "A second row; with a semicolon|Keller, Ute|2013|||"
# offsets count the BOM; the raw text keeps the CRLF
same "$(val 1 .byte_offset)" "$(head -n 1 "$D/bom-crlf.tsv" | wc -c | tr -d ' ')"
prov 2 "$D/bom-crlf.tsv" 3 3
expect_import "$D/cp1252-crlf.ris" 2 ris
has "$OUT" '"notes":"non-UTF-8 bytes read as Windows-1252, CRLF line ends"'
recs
same "$(key 1)" "Café consumption and “invented” arrhythmias|Lefèvre, Renée|2004||Journal of Fictional Cardiology|12-18"
same "$(val 1 '.authors[1]')" "Müller, Jörg"
same "$(key 2)" "Second record – with an en dash|Nuñez, José|2005|||"
# the raw text is kept as received, in Windows-1252 with its CRLFs
prov 1 "$D/cp1252-crlf.ris" 1 9
prov 2 "$D/cp1252-crlf.ris" 11 15
# lone CRs (an old Mac export): detected as Web of Science, as the readers
# take a lone CR for a line end (detection once split lines at LF only and
# took this file for CSV)
run 0 lsr -C "$REV" import --source Test --json "$D/cr-only.wos"
has "$OUT" '"format":"wos","records":2,'
has "$OUT" '"notes":"stray CR characters"'
recs
same "$(key 1)" "Bare carriage returns from an invented old export tool|Dahl, R|1998||FICTIONAL ARCHIVES|9-14"
same "$(val 2 '[.line, .source_id] | join("|")')" "12|WOS:000900000000092"
# the same for BibTeX and EndNote tagged with their LFs turned into CRs
# (they were imported as CSV junk with exit 0)
tr '\n' '\r' < "$D/records.bib" > "$TMP/cr.bib"
run 0 lsr -C "$REV" import --source Test --json "$TMP/cr.bib"
jqcheck "$OUT" .format bibtex
tr '\n' '\r' < "$D/endnote.enw" > "$TMP/cr.enw"
run 0 lsr -C "$REV" import --source Test --json "$TMP/cr.enw"
jqcheck "$OUT" .format endnote

# ---- gzip: read like the file inside; the duplicate check sees the content
new_review
expect_import "$D/medline.nbib.gz" 3 medline
recs
same "$(key 2)" "A note on invented registries.|Li, Wei|2020||Fictional registry review|1-4"
gunzip -c "$D/medline.nbib.gz" > "$TMP/inside.nbib"
prov 2 "$TMP/inside.nbib" 39 51
run 1 lsr -C "$REV" import --source Test "$D/medline.nbib"
has "$ERR" "was already imported as run 1"

# ---- detection by content under misleading names; --format agrees
new_review
while IFS='|' read -r f name n fmt; do
	cp "$D/$f" "$TMP/$name"
	# (--force: the .gz holds medline.nbib)
	expect_import "$TMP/$name" "$n" "$fmt" --force
	expect_import "$TMP/$name" "$n" "$fmt" --format "$fmt" --force
done <<'EOF'
pubmed.xml|endnote.xml|3|pubmed-xml
pubmed-update.xml|update.ris|2|pubmed-xml
endnote.xml|pubmed.xml|3|endnote-xml
medline.nbib|refs.ris|3|medline
records.ris|refs.nbib|4|ris
wos.txt|refs.bib|3|wos
endnote.enw|refs.csv|3|endnote
records.bib|refs.enw|4|bibtex
records.csv|refs.txt|4|csv
bom-crlf.tsv|refs.ciw|2|csv
cp1252-crlf.ris|refs.tsv|2|ris
medline.nbib.gz|refs.xml.gz|3|medline
EOF
same "$(counts)" "24 72"
finish
