#!/bin/sh
# lsr import, EndNote tagged (.enw, refer): the AIS eLibrary fixture holds
# six blank-line-separated records, only two of them with a %0 line
# (PROVENANCE.md counts the %0 lines and says 2); all six are records.
# Continuation lines, several keywords per %K, a second %0 without a
# blank line, dates from %D and %8; text before the first tag is rejected.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
need_shared
new_review

expect_import "$FIX/endnote_tagged/colrev_ais_enl.txt" 6 endnote
same "$(rec 1)" "How Trust Leads to Commitment on Microsourcing Platforms: Unraveling the Effects of Governance and Third-Party Mechanisms on Triadic Microsourcing Relationships|Guo, Wenbo|2021|||"
same "$(rec 1 'ref_type, pub_date, journal, volume, issue, pages, url, json_array_length(authors)')" \
	"Journal Article|2021-09-01|Management Information Systems Quarterly|45|3|1309-1348|https://aisel.aisnet.org/misq/vol45/iss3/13|4"
# a record without %0 and without authors
same "$(rec 2 'title, ref_type, authors, pages, pub_date')" "MISQ Volume 45, Issue 3 Table of Contents||[]|i-ii|2021-09-01"
same "$(rec 4 'json_extract(authors, "$[2]"), json_extract(authors, "$[3]"), journal, line')" \
	"Osório, Gerardo|Carvalho, João P. P.|Hawaii International Conference on System Sciences 2019 (HICSS-52)|37"
same "$(rec 6 'substr(abstract, 1, 40), pub_date')" "Using the concept of affordances as an a|2017-06-10"

cat > "$TMP/own.enw" <<'EOF'
%0 Journal Article
%T Mesenchymal stem cells
for liver cirrhosis
%A Fang, X.
%A Liu, L.
%J Stem Cell Research & Therapy
%D 2018
%V 9
%N 1
%P 22
%R 10.1186/s13287-018-0767-3
%M 29386042
%@ 1757-6512 978-3-16-148410-0
%G English
%9 Randomized Controlled Trial
%K cirrhosis; stem cells
MELD
%X First paragraph.
Second paragraph.
%0 Book
%T A second record right after the first
%A Doe, Jane
%D 2001
%U https://doi.org/10.1000/xyz123
EOF
expect_import "$TMP/own.enw" 2 endnote
same "$(rec 1)" "Mesenchymal stem cells for liver cirrhosis|Fang, X.|2018|10.1186/s13287-018-0767-3||29386042"
same "$(rec 1 'journal, volume, issue, pages, issn, language, publication_types, keywords')" \
	'Stem Cell Research & Therapy|9|1|22|1757-6512|English|["Randomized Controlled Trial"]|["cirrhosis","stem cells","MELD"]'
same "$(rec 1 abstract)" "$(printf 'First paragraph.\nSecond paragraph.')"
same "$(rec 2 'ref_type, title, doi, line')" "Book|A second record right after the first|10.1000/xyz123|20"

before=$(counts)
printf 'Exported from EndNote\n%%0 Journal Article\n%%T A title\n' > "$TMP/bad.enw"
run 3 lsr -C "$REV" import --source Test --format endnote "$TMP/bad.enw"
same "$ERR" "lsr import: error: $TMP/bad.enw:1: expected an EndNote tag ('%0 ', '%T ', '%A ', ...) to start an EndNote record"
same "$(counts)" "$before"
finish
