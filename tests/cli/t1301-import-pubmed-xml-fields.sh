#!/bin/sh
# lsr import of PubMed XML: the fields of real records, checked against the
# fixture files (titles with inline markup and MathML, structured
# abstracts, CollectiveName, languages, relations, trial numbers, dates),
# and DeleteCitation withdrawing a record imported earlier.
. "$(dirname "$0")/lib.sh"
need_shared
FIX=$LSR_SHARED/fixtures/pubmed

cd "$TMP"
run 0 lsr init rev
for f in "$FIX"/efetch/* "$FIX"/baseline/*; do
	# (metapub_37909814.xml is an empty PubmedArticleSet)
	run_in rev 0 lsr import --source PubMed --allow-empty "$f"
done
run_in rev 0 lsr records --json
cp "$OUT" all.jsonl
same "$(wc -l < all.jsonl)" 282

# rec PMID: the JSON line(s) of that PMID into rec
rec() {
	jq -c --arg p "$1" 'select(.pmid == $p)' all.jsonl > rec
}
# anyrec FILTER: FILTER is true for one of the lines in rec
anyrec() {
	jqcheck -s rec "any(.[]; $1)"
}

# biopython_pubmed1.xml: Season date, no abstract, KIE keywords
rec 12091962
jqcheck rec '{title, authors, year, pub_date, journal, journal_abbrev, volume, issue, pages, doi}' \
  '{"title":"The treatment of AIDS behind the walls of correctional facilities.","authors":["Olivero, J Michael"],"year":1990,"pub_date":"1990","journal":"Social justice (San Francisco, Calif.)","journal_abbrev":"Soc Justice","volume":"17","issue":"1","pages":"113-25","doi":null}'
jqcheck rec '{type, source_id, abstract, publication_types}' \
  '{"type":"PubmedArticle","source_id":"12091962","abstract":null,"publication_types":["Journal Article","Review"]}'
jqcheck rec '[.mesh[:2], (.mesh | length > 2)]' '[["AIDS Serodiagnosis","Acquired Immunodeficiency Syndrome"],true]'

# the same article twice: spaces around <i>TERT</i> (pubmed4) and none at
# all (title_with_html_tags): one title, words neither glued nor split
rec 27797938
jqcheck -s rec 'map(.title)' \
  '["Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer.","Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer."]'
anyrec '.abstract | startswith("OBJECTIVE: Telomere shortening occurs as an early event in pancreatic tumorigenesis,")'
anyrec '.abstract | contains(".\nDESIGN: We measured prediagnostic leucocyte telomere length in 386 pancreatic cancer cases")'
anyrec '.abstract | contains("\nCONCLUSIONS: ")'
anyrec '.relations == ["CommentIn 27920200"]'
anyrec '{doi, pmid, pmcid, other_ids, issn} == {"doi":"10.1136/gutjnl-2016-312510","pmid":"27797938","pmcid":"PMC5442267","other_ids":{"pii":["gutjnl-2016-312510"],"mid":["NIHMS857349"]},"issn":"1468-3288"}'
anyrec '.authors[:2] == ["Bao, Ying","Prescott, Jennifer"] and (.authors | length > 2)'
jqcheck -s rec 'map(tostring | contains("Cites")) | any' false

# MathML in the abstract, markup with quotes in the title
rec 30108519
jqcheck rec '.title | startswith("A \"Blood Relationship\" Between the Overlooked Minimum Lactate Equivalent")'
jqcheck rec '.abstract | contains("the disused \"Minimum Lactate Equivalent\" (LEmin), first described")'
jqcheck rec '.abstract | contains("[VMLSS 15.0 ± 1.1 km·h-1; maximal oxygen uptake ( V.O2max ) 67.6 ± 4.1 ml·kg-1·min-1]")'
jqcheck rec .pub_date 2018-07-31
jqcheck rec 'tostring | contains("mml")' false

# a collective author after the people
rec 29963580
jqcheck rec '.authors[-2:]' '["Parraga, Grace","Canadian Respiratory Research Network"]'
rec 34843274
jqcheck rec .authors '["Guideline Development Panel for the Treatment of Depressive Disorders"]'

# two languages; non-ASCII names; an English title beside a vernacular one
rec 36987902
jqcheck rec .language 'eng;nor'
jqcheck rec '[.authors[:3], (.authors | length > 3)]' '[["Bruserud, Øyvind","Arnes, Kaja","Kjørsvik, Camilla Rygg"],true]'
jqcheck rec .title "Patients over 75 years admitted to the National Burn Centre, Haukeland University Hospital, 2000-19."
jqcheck rec '.abstract | startswith("BACKGROUND: The number of burn patients over the age of 75")'

# a bracketed translated title stays as PubMed gives it
rec 38048813
jqcheck rec '{title, language}' '{"title":"[A Broader Scope - Bio-Psycho-Social Medicine In Global Focus].","language":"ger"}'
# no English title at all: the vernacular one
rec 41605226
jqcheck rec '{title, pub_date}' '{"title":"Kommentar zu „ABDOMEN BECKEN – Das Avocado-Zeichen als Prädiktor des lokalen Lymphknotenstatus bei Rektumkarzinomen“.","pub_date":"2026-02"}'

# <i>&#x3bc;</i> inside a title
rec 37167981
jqcheck rec .title "Monte Carlo simulation of micro-x-ray fluorescence (μ-XRF) based detection of immunomagnetically labeled tumor cells."

# errata and their articles stay related, article-number pages
rec 35649368
jqcheck rec '{relations, pages, doi}' '{"relations":["ErratumIn 35767954"],"pages":"110870","doi":"10.1016/j.celrep.2022.110870"}'
rec 38833988
jqcheck rec '{relations, publication_types}' '{"relations":["ErratumFor 33279609"],"publication_types":["Published Erratum"]}'

# a trial registration; a re-serialised file with tabs and line breaks
rec 29768149
jqcheck rec .other_ids '{"nct":["NCT02149199"]}'
jqcheck rec '[.authors[:2], (.authors | length > 2)]' '[["O'"'"'Byrne, Paul M","FitzGerald, J Mark"],true]'
jqcheck rec '.abstract | startswith("BACKGROUND: In patients with mild asthma, as-needed use of an inhaled glucocorticoid plus a fast-acting β 2-agonist may be an alternative to conventional treatment strategies.\nMETHODS: We conducted a 52-week")'
jqcheck rec '{pub_date, journal, journal_abbrev, volume, issue, pages}' \
  '{"pub_date":"2018-05-17","journal":"The New England journal of medicine","journal_abbrev":"N Engl J Med","volume":"378","issue":"20","pages":"1865-1876"}'

# MedlineDate; ArticleDate refines a date only when it agrees with it
rec 29929724
jqcheck rec '{year, pub_date}' '{"year":2019,"pub_date":"2019-05"}'
rec 30716142
jqcheck rec '{year, pub_date}' '{"year":2019,"pub_date":"2019-05"}'
rec 39780848
jqcheck rec '{year, pub_date}' '{"year":2025,"pub_date":"2025-01-06"}'

# a synthetic record with a PMID and nothing else
rec 2
jqcheck rec '{title, authors, year}' '{"title":null,"authors":[],"year":null}'

# retractions in the baseline samples
jqcheck -s all.jsonl 'map(select(.relations | any(startswith("RetractionOf ")))) | length' 2
jqcheck -s all.jsonl 'map(select(.relations | any(startswith("RetractionIn ")))) | length' 1

# DeleteCitation: an update file of the same source withdraws the record
# imported earlier; the same PMID from another source stays
run_in rev 0 lsr import --source Other --force "$FIX/efetch/metapub_35649368.xml"
cat > update.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">99999901</PMID><Article><ArticleTitle>New.</ArticleTitle></Article></MedlineCitation></PubmedArticle>
<DeleteCitation>
<PMID Version="1">11111111</PMID>
<PMID Version="1">35649368</PMID>
</DeleteCitation>
</PubmedArticleSet>
EOF
run_in rev 0 lsr import --json --source PubMed "$TMP/update.xml"
jqcheck "$OUT" '{records, deleted, withdrawn}' '{"records":1,"deleted":2,"withdrawn":1}'
same "$(sql rev/review.db "SELECT s.name FROM record_withdrawals w JOIN records r ON r.id = w.record_id JOIN runs u ON u.id = r.run_id JOIN sources s ON s.id = u.source_id WHERE r.pmid = '35649368'")" "PubMed"
run_in rev 0 lsr records --all --json
jq -c 'select(.pmid == "35649368")' "$OUT" > rec
jqcheck -s rec 'map(select(.source == "PubMed") | [.source_id, .status])' '[["35649368","withdrawn-by-source"]]'
jqcheck -s rec 'map(select(.source == "Other") | [.source_id, .status])' '[["35649368","identified"]]'
jqcheck -s rec 'map(select(.status == "identified")) | length' 1
run_in rev 0 lsr records --json
jqcheck -s "$OUT" 'map(select(.source == "PubMed" and .source_id == "35649368")) | length' 0
finish
