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
	grep -F "\"pmid\":\"$1\"" all.jsonl > rec || true
}

# biopython_pubmed1.xml: Season date, no abstract, KIE keywords
rec 12091962
has rec '"title":"The treatment of AIDS behind the walls of correctional facilities.","authors":["Olivero, J Michael"],"year":1990,"pub_date":"1990","journal":"Social justice (San Francisco, Calif.)","journal_abbrev":"Soc Justice","volume":"17","issue":"1","pages":"113-25","doi":null'
has rec '"type":"PubmedArticle"'
has rec '"source_id":"12091962"'
has rec '"abstract":null'
has rec '"publication_types":["Journal Article","Review"]'
has rec '"mesh":["AIDS Serodiagnosis","Acquired Immunodeficiency Syndrome",'

# the same article twice: spaces around <i>TERT</i> (pubmed4) and none at
# all (title_with_html_tags): one title, words neither glued nor split
rec 27797938
same "$(grep -cF '"title":"Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer."' rec)" 2
has rec '"abstract":"OBJECTIVE: Telomere shortening occurs as an early event in pancreatic tumorigenesis,'
has rec '.\nDESIGN: We measured prediagnostic leucocyte telomere length in 386 pancreatic cancer cases'
has rec '\nCONCLUSIONS: '
has rec '"relations":["CommentIn 27920200"]'
has rec '"doi":"10.1136/gutjnl-2016-312510","pmid":"27797938","pmcid":"PMC5442267","other_ids":{"pii":["gutjnl-2016-312510"],"mid":["NIHMS857349"]},"issn":"1468-3288"'
has rec '"authors":["Bao, Ying","Prescott, Jennifer",'
hasnt rec 'Cites'

# MathML in the abstract, markup with quotes in the title
rec 30108519
has rec '"title":"A \"Blood Relationship\" Between the Overlooked Minimum Lactate Equivalent'
has rec 'the disused \"Minimum Lactate Equivalent\" (LEmin), first described'
has rec '[VMLSS 15.0 ± 1.1 km·h-1; maximal oxygen uptake ( V.O2max ) 67.6 ± 4.1 ml·kg-1·min-1]'
has rec '"pub_date":"2018-07-31"'
hasnt rec 'mml'

# a collective author after the people
rec 29963580
has rec '"Parraga, Grace","Canadian Respiratory Research Network"]'
rec 34843274
has rec '"authors":["Guideline Development Panel for the Treatment of Depressive Disorders"]'

# two languages; non-ASCII names; an English title beside a vernacular one
rec 36987902
has rec '"language":"eng;nor"'
has rec '"authors":["Bruserud, Øyvind","Arnes, Kaja","Kjørsvik, Camilla Rygg",'
has rec '"title":"Patients over 75 years admitted to the National Burn Centre, Haukeland University Hospital, 2000-19."'
has rec '"abstract":"BACKGROUND: The number of burn patients over the age of 75'

# a bracketed translated title stays as PubMed gives it
rec 38048813
has rec '"title":"[A Broader Scope - Bio-Psycho-Social Medicine In Global Focus]."'
has rec '"language":"ger"'
# no English title at all: the vernacular one
rec 41605226
has rec '"title":"Kommentar zu „ABDOMEN BECKEN – Das Avocado-Zeichen als Prädiktor des lokalen Lymphknotenstatus bei Rektumkarzinomen“."'
has rec '"pub_date":"2026-02"'

# <i>&#x3bc;</i> inside a title
rec 37167981
has rec '"title":"Monte Carlo simulation of micro-x-ray fluorescence (μ-XRF) based detection of immunomagnetically labeled tumor cells."'

# errata and their articles stay related, article-number pages
rec 35649368
has rec '"relations":["ErratumIn 35767954"]'
has rec '"pages":"110870"'
has rec '"doi":"10.1016/j.celrep.2022.110870"'
rec 38833988
has rec '"relations":["ErratumFor 33279609"]'
has rec '"publication_types":["Published Erratum"]'

# a trial registration; a re-serialised file with tabs and line breaks
rec 29768149
has rec '"other_ids":{"nct":["NCT02149199"]}'
has rec '"authors":["O'"'"'Byrne, Paul M","FitzGerald, J Mark",'
has rec '"abstract":"BACKGROUND: In patients with mild asthma, as-needed use of an inhaled glucocorticoid plus a fast-acting β 2-agonist may be an alternative to conventional treatment strategies.\nMETHODS: We conducted a 52-week'
has rec '"pub_date":"2018-05-17","journal":"The New England journal of medicine","journal_abbrev":"N Engl J Med","volume":"378","issue":"20","pages":"1865-1876"'

# MedlineDate; ArticleDate refines a date only when it agrees with it
rec 29929724
has rec '"year":2019,"pub_date":"2019-05"'
rec 30716142
has rec '"year":2019,"pub_date":"2019-05"'
rec 39780848
has rec '"year":2025,"pub_date":"2025-01-06"'

# a synthetic record with a PMID and nothing else
rec 2
has rec '"title":null,"authors":[],"year":null'

# retractions in the baseline samples
same "$(grep -c '"RetractionOf ' all.jsonl)" 2
same "$(grep -c '"RetractionIn ' all.jsonl)" 1

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
has "$OUT" '"records":1,"deleted":2,"withdrawn":1'
same "$(sql rev/review.db "SELECT s.name FROM record_withdrawals w JOIN records r ON r.id = w.record_id JOIN runs u ON u.id = r.run_id JOIN sources s ON s.id = u.source_id WHERE r.pmid = '35649368'")" "PubMed"
run_in rev 0 lsr records --all --json
grep -F '"pmid":"35649368"' "$OUT" > rec
has rec '"source":"PubMed","source_id":"35649368"'
has rec '"status":"withdrawn-by-source"'
has rec '"source":"Other","source_id":"35649368"'
same "$(grep -c '"status":"identified"' rec)" 1
run_in rev 0 lsr records --json
hasnt "$OUT" '"source":"PubMed","source_id":"35649368"'
finish
