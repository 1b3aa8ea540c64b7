#!/bin/sh
# lsr import of malformed PubMed and EndNote XML: a truncated file, a
# mismatched tag, an element out of place, a wrong root and an external
# entity are rejected with "FILE:LINE: what was expected", exit 3, and the
# database is left exactly as it was (no records, no run).
. "$(dirname "$0")/lib.sh"
need_shared
FIX=$LSR_SHARED/fixtures

cd "$TMP"
run 0 lsr init rev
run_in rev 0 lsr import --source PubMed "$FIX/pubmed/efetch/biopython_pubmed1.xml"
state() {
	sql rev/review.db "SELECT (SELECT count(*) FROM records) || ' ' || (SELECT count(*) FROM runs)
		|| ' ' || (SELECT count(*) FROM sources) || ' ' || (SELECT count(*) FROM audit)"
}
before=$(state)
same "$before" "2 1 1 2"

# rejected FILE MESSAGE: exit 3, the exact message, nothing stored
rejected() {
	run_in rev 3 lsr import --source PubMed "$TMP/$1"
	same "$(cat "$ERR")" "lsr import: error: $TMP/$1:$2"
	same "$(state)" "$before"
}

# truncated in the middle of a record (20000 bytes of a pretty-printed file)
head -c 20000 "$FIX/pubmed/efetch/biopython_pubmed4.xml" > trunc.xml
rejected trunc.xml "328: unexpected end of file: expected </Agency> (the <PubmedArticle> of line 4 is not complete)"
# truncated gzip: the XML inside ends early
gzip -dc "$FIX/pubmed/baseline/pmparser_dfbe85a9_pubmed20n1015.xml.gz" | head -n 700 | gzip -c > trunc.xml.gz
rejected trunc.xml.gz "700: unexpected end of file: expected </MedlineJournalInfo> (the <PubmedArticle> of line 605 is not complete)"
# the closing tag of the set missing
head -c -20 "$FIX/pubmed/efetch/pmparser_pubmed_no_rows.xml" > noend.xml
rejected noend.xml "13: unexpected end of file: expected </PubmedArticleSet>"
# a mismatched end tag in the second record
sed '12s|</MedlineCitation>|</MedlineCitatio>|' "$FIX/pubmed/efetch/pmparser_pubmed_no_rows.xml" > badtag.xml
rejected badtag.xml "12: expected </MedlineCitation> to close the <MedlineCitation> of line 10, found </MedlineCitatio>"
# an element that has no place in a PubmedArticleSet
sed '8a\
  <PubmedArticleX/>' "$FIX/pubmed/efetch/pmparser_pubmed_no_rows.xml" > badelem.xml
rejected badelem.xml "9: expected <PubmedArticle>, <PubmedBookArticle> or <DeleteCitation>, found <PubmedArticleX>"
# another root
sed 's/PubmedArticleSet>/eSearchResult>/' "$FIX/pubmed/efetch/pmparser_pubmed_no_rows.xml" > badroot.xml
rejected badroot.xml "3: expected <PubmedArticleSet> as the root element, found <eSearchResult>"
# a record without its PMID
sed '6d' "$FIX/pubmed/efetch/pmparser_pubmed_no_rows.xml" > nopmid.xml
rejected nopmid.xml "4: expected a <PMID> in <MedlineCitation> of this <PubmedArticle>"
# garbage after the end
{ cat "$FIX/pubmed/efetch/pmparser_pubmed_no_rows.xml"; echo "<PubmedArticle/>"; } > extra.xml
rejected extra.xml "15: expected the end of the file after the root element, found more content"

# XXE: an external entity is never read.  lsr rejects a DOCTYPE that
# declares entities, so the file's content cannot reach the database.
cat > xxe.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE PubmedArticleSet [
<!ENTITY x SYSTEM "file:///etc/passwd">
]>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&x;</ArticleTitle></Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>
EOF
rejected xxe.xml "2: expected a DOCTYPE without entity declarations: lsr does not read custom or external entities"
# the same through a parameter entity
cat > xxe2.xml <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>
<PubmedArticleSet>
</PubmedArticleSet>
EOF
rejected xxe2.xml "2: expected a DOCTYPE without entity declarations: lsr does not read custom or external entities"
# an entity nobody declared
sed 's|<PMID Version="1">2</PMID>|<PMID Version="1">2\&nbsp;</PMID>|' "$FIX/pubmed/efetch/pmparser_pubmed_no_rows.xml" > undeclared.xml
rejected undeclared.xml "11: malformed XML: Entity 'nbsp' not defined"
same "$(sql rev/review.db "SELECT count(*) FROM records WHERE title LIKE '%root:%'")" 0
for id in $(sql rev/review.db "SELECT id FROM records"); do
	"$LSR" -C rev records show "$id" --raw
done > all.raw
hasnt all.raw "root:"

# EndNote XML
head -c 5000 "$FIX/endnote_xml/asysd_zotero_export.xml" > en-trunc.xml
rejected en-trunc.xml "2: unexpected end of file: expected </record> (the <record> of line 2 is not complete)"
printf '<?xml version="1.0"?>\n<xml>\n<records>\n<record><titles><title>a</title></titles></record>\n<reference/>\n</records>\n</xml>\n' > en-badelem.xml
rejected en-badelem.xml "5: expected <record> in <records>, found <reference>"
run_in rev 3 lsr import --format endnote-xml --source PubMed "$FIX/pubmed/efetch/pmparser_pubmed_no_rows.xml"
same "$(cat "$ERR")" "lsr import: error: $FIX/pubmed/efetch/pmparser_pubmed_no_rows.xml:3: expected <xml> as the root element, found <PubmedArticleSet>"
same "$(state)" "$before"

# an empty PubmedArticleSet is a valid file with no records: refused as
# a silent zero unless --allow-empty says the search found nothing
run_in rev 3 lsr import --source PubMed "$FIX/pubmed/efetch/metapub_37909814.xml"
same "$(cat "$ERR")" "lsr import: error: $FIX/pubmed/efetch/metapub_37909814.xml: no records found in a file that is not empty (read as pubmed-xml); check the format, or use --allow-empty if the export holds none"
run_in rev 0 lsr import --source PubMed --allow-empty "$FIX/pubmed/efetch/metapub_37909814.xml"
has "$OUT" "0 records from PubMed (pubmed-xml) as run 2"
finish
