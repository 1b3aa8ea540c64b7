#!/bin/sh
# lsr dedup: the causes of real misses fixed in issue 19, one file each in
# tests/data/dedup19 (invented records): the two records that are one
# publication end up in one citation, and the near-miss beside them stays
# apart (or waits in the queue, where the rules say a person decides).
#   1 a record without authors meets its twin by year, volume, first page
#   2 surname and given name swapped ("Bertolani, Marco" / "Marco, B.")
#   3 a volume that is only the year ("2016" against 94) is unknown
#   4 a page count ("215 p") is no first page
#   5 an appended original-language title (<ORIGINAL>, [Original title ...])
#   6 shifted fields: no volume, issue = the other's volume, pages = its issue
#   7 a DOI conflict where all else agrees goes to the queue
#   8 a journal disagreement with nothing else to place the records, and a
#     year apart with titles below 0.95, go to the queue
#   9 two errata of one article (other issue and page) stay apart
. "$(dirname "$0")/lib.sh"
D=$LSR_SRC/tests/data/dedup19

cd "$TMP"
# dedup FILE: a review of that one file, grouped; the export in out.csv
dedup() {
	rm -rf rev
	run 0 lsr -q init rev
	run 0 lsr -q -C rev import "$D/$1" --source s --format csv --id-column ID
	run 0 lsr -C rev dedup --export out.csv
}
group() { grep "^s,$1," out.csv | cut -d, -f3; }
together() {
	CHECKS=$((CHECKS + 1))
	[ -n "$(group "$1")" ] && [ "$(group "$1")" = "$(group "$2")" ] ||
		fail "$3: records $1 and $2 should be one citation"
}
apart() {
	CHECKS=$((CHECKS + 1))
	[ -n "$(group "$1")" ] && [ "$(group "$1")" != "$(group "$2")" ] ||
		fail "$3: records $1 and $2 should stay apart"
}
# queued RULE A B: the queue holds records A and B (record ids) under RULE
queued() {
	run 0 lsr -C rev dedup queue --json
	has "$OUT" "\"record_a\":$2,\"record_b\":$3,\"citation_a\":$(group "$4"),\"citation_b\":$(group "$5"),\"rule\":\"$1\""
}

dedup 1-no-author.csv
together a b "no author"
apart a n "no author, unrelated title on the same pages"
# the citation's members and the rule that joined them
run 0 lsr -C rev dedup explain "$(group a)" --json
has "$OUT" '"rule": "bibliographic"'
has "$OUT" '"first_author": null'

dedup 2-name-swap.csv
together a b "name swap"
together c d "name swap (surname-first and given-first)"
apart p q "given name equal to a surname, initials that do not fit"

dedup 3-volume-year.csv
together a b "volume equal to the year"
apart c d "a year-like volume that is not the year"
queued fields 3 4 c d

dedup 4-page-count.csv
together a b "page count"
apart c d "a single page against another page"
queued fields 3 4 c d

dedup 5-original-title.csv
together a b "<ORIGINAL> title"
together c d "[Original title ...]"
apart n m "the same original-language part, English titles that differ"

dedup 6-shifted.csv
together a b "shifted volume, issue and pages"
apart c d "no volume, its pages not the other's issue"
queued fields 3 4 c d

dedup 7-doi-conflict.csv
apart a b "DOI conflict"
queued doi-conflict 1 2 a b
apart c d "DOI conflict on a generic title"
apart e f "a DOI conflict, other volume and pages"
run 0 lsr -C rev dedup queue
same "$(grep -c '^pair' "$OUT")" "1"

dedup 8-precision.csv
together a b "title, authors, year and journal"
apart c d "the same title in two venues"
queued fields 3 4 c d
apart e f "a year apart, titles below 0.95"
queued year-differs 5 6 e f
together g h "a year apart, the same title and journal"

dedup 9-errata.csv
together a b "the article from two databases"
apart e f "two errata of one article"
apart a e "the article and an erratum"
apart a f "the article and an erratum"
finish
