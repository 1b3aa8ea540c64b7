#!/bin/sh
# CSV cells a spreadsheet would run as formulas (issue 20, defect 3) are
# written with a leading apostrophe into batch files and 'records --format
# csv', numbers are not, the metafor export stays as it is, and a filled
# batch whose note the spreadsheet kept as '=... is read back without the
# apostrophe.  (tests/unit/util/test_csvtab.c does the full round trip of
# csvtab_put and csvtab_read.)
. "$(dirname "$0")/lib.sh"
cd "$TMP"
for t in '=HYPERLINK("http://example.org/x" "click")' '@SUM(1+1) in cirrhosis' '-2+3+cmd|calc!A0'; do
	printf 'TY  - JOUR\nTI  - %s\nAU  - Doe, Jane\nPY  - 2020\nAB  - +1 abstract\nER  - \n\n' "$t"
done > recs.ris
run 0 lsr init rev
run 0 lsr -C rev import recs.ris --source PubMed
run 0 lsr -C rev dedup
run 0 lsr -C rev screen batch --reviewer alice --stage title-abstract --size 3 -o b.csv
has b.csv "\"'=HYPERLINK(\"\"http://example.org/x\"\" \"\"click\"\")\""
has b.csv ",'@SUM(1+1) in cirrhosis,\"Doe, Jane\",2020,,,'+1 abstract,"
has b.csv ",'-2+3+cmd|calc!A0,"
hasnt b.csv ",=HYPERLINK"
# the id and batch columns are numbers, unguarded
same "$(sed 1d b.csv | cut -d, -f1 | sort | tr '\n' ' ')" "1 2 3 "
run 0 lsr -C rev records --format csv
has "$OUT" "\"'@SUM(1+1) in cirrhosis\""
has "$OUT" "\"'-2+3+cmd|calc!A0\""
has "$OUT" "\"2020\""

# a filled batch: the note '=cmd as the spreadsheet saved it comes back as
# =cmd; a verdict cell is read the same way
awk -F, -v OFS=, 'NR == 1 { print; next } /SUM/ { $(NF-6) = "include"; $(NF-4) = "'"'"'=cmd|note" } { print }' b.csv > done.csv
run 0 lsr -C rev screen import done.csv --reviewer alice
id=$(grep SUM b.csv | cut -d, -f1)
run 0 lsr -C rev screen explain "$id" --json
same "$(jq -r '.decisions[0].note' "$OUT")" "=cmd|note"
finish
