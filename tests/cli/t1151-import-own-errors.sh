#!/bin/sh
# lsr import of damaged copies of the project's own files (tests/data/import;
# no ../shared needed): each parser rejects a damaged file with
# "FILE:LINE: what was expected", exit 3, and the review is left exactly as
# it was.  The line numbers are found in the damaged files themselves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
: "${LSR_SRC:?LSR_SRC must point at the source tree}"
D=$LSR_SRC/tests/data/import
cd "$TMP"
new_review
run 0 lsr -C "$REV" import --source Test "$D/records.ris"
same "$(counts)" "1 4"
# rejected FILE MESSAGE [OPTION...]: exit 3, the exact message, nothing stored
rejected() {
	f=$1
	msg=$2
	shift 2
	run 3 lsr -C "$REV" import --source Test "$@" "$TMP/$f"
	same "$(cat "$ERR")" "lsr import: error: $TMP/$f:$msg"
	same "$(counts)" "1 4"
	same "$(sql "$REV/review.db" 'SELECT count(*) FROM audit')" "2"
}
# line N of FILE that holds TEXT (the first one)
line_of() { grep -n -F -- "$2" "$1" | head -n 1 | cut -d: -f1; }

# ---- PubMed XML
head -c 3000 "$D/pubmed.xml" > trunc.xml
open=$(line_of trunc.xml '<ArticleIdList>')
rejected trunc.xml "$(($(wc -l < trunc.xml) + 1)): unexpected end of file: expected </ArticleIdList> (the <PubmedArticle> of line $(line_of trunc.xml '<PubmedArticle>') is not complete)"
[ "$open" -gt 4 ] || fail "trunc.xml does not cut inside <ArticleIdList>"
n=$(line_of "$D/pubmed.xml" '<ISSN IssnType="Electronic">1999-0001</ISSN>')
sed "${n}s|</ISSN>|</ISSNX>|" "$D/pubmed.xml" > badtag.xml
rejected badtag.xml "$n: expected </ISSN> to close the <ISSN> of line $n, found </ISSNX>"
sed 's/PubmedArticleSet>/eSearchResult>/' "$D/pubmed.xml" > badroot.xml
rejected badroot.xml "$(line_of badroot.xml '<eSearchResult>'): expected <PubmedArticleSet> as the root element, found <eSearchResult>"
# the second record without its PMID: the record's first line is named
grep -v '<PMID Version="1">90000002</PMID>' "$D/pubmed.xml" > nopmid.xml
rejected nopmid.xml "$(grep -n '<PubmedArticle>' nopmid.xml | sed -n 2p | cut -d: -f1): expected a <PMID> in <MedlineCitation> of this <PubmedArticle>"
{ cat "$D/pubmed.xml"; echo "<PubmedArticle/>"; } > extra.xml
rejected extra.xml "$(wc -l < extra.xml | tr -d ' '): expected the end of the file after the root element, found more content"
grep -v '</PubmedArticleSet>' "$D/pubmed.xml" > noend.xml
rejected noend.xml "$(wc -l < noend.xml | tr -d ' '): unexpected end of file: expected </PubmedArticleSet>"
# a truncated archive is rejected, not read up to the damage
gzip -c "$D/pubmed.xml" | head -c 1500 > cut.xml.gz
run 3 lsr -C "$REV" import --source Test "$TMP/cut.xml.gz"
same "$(cat "$ERR")" "lsr import: error: $TMP/cut.xml.gz: the compressed data ends early (a truncated .gz file)"
same "$(counts)" "1 4"

# ---- EndNote XML (one line): truncated inside a <style>, a wrong end tag
head -c 1500 "$D/endnote.xml" > en-trunc.xml
rejected en-trunc.xml "1: unexpected end of file: expected </style> (the <record> of line 1 is not complete)"
sed 's|</titles><periodical><full-title>Fictional Rehab|</title><periodical><full-title>Fictional Rehab|' \
	"$D/endnote.xml" > en-badtag.xml
rejected en-badtag.xml "1: expected </titles> to close the <titles> of line 1, found </title>"

# ---- the tagged and text formats
# RIS: the second record never closed
last=$(line_of "$D/records.ris" 'PB  - Nowhere Press')
head -n "$last" "$D/records.ris" > open.ris
rejected open.ris "$last: unexpected end of file: the record that starts at line $(line_of open.ris 'TY  - CHAP') has no 'ER  - '"
# Web of Science: a record's ER lost (--format: without ER lines the file
# is no longer recognisable as Web of Science)
grep -v '^ER$' "$D/wos.txt" > wos-noer.txt
rejected wos-noer.txt "$(grep -n '^PT ' wos-noer.txt | sed -n 2p | cut -d: -f1): expected 'ER' to close the record that starts at line 3 before a new 'PT '" --format wos
# MEDLINE: a line that is neither a tag nor a continuation
sed '5s/^/stray text\n/' "$D/medline.nbib" > garbage.nbib
rejected garbage.nbib "$(line_of garbage.nbib 'stray text'): expected a MEDLINE tag ('XXXX- ') or a continuation line indented with spaces"
# BibTeX: an entry cut off before its closing brace
head -n 20 "$D/records.bib" > open.bib
rejected open.bib "$(line_of open.bib '@article{schroeder2018'): unbalanced braces: the entry '@article{schroeder2018' that starts here has no closing brace before the end of the file"
# CSV: a row wider than the header
sed '4s/$/,extra cell/' "$D/records.csv" > wide.csv
rejected wide.csv "4: expected at most 11 cells, as in the header, but the row has 12"
# --format that does not fit the content
cp "$D/records.csv" table.csv
rejected table.csv "1: expected 'PT ' to start a Web of Science record" --format wos
finish
