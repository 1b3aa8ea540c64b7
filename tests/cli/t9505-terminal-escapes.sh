#!/bin/sh
# Free text from files and file names reach the terminal with their control
# characters replaced by '?' (issue 20, defect 4): a batch note holding
# ESC ] 0 ; ... BEL (retitle the window) and ESC [ 2 J (clear the screen)
# and a C1 CSI, in 'screen explain'; a file name in an error message.
# --json keeps the text, escaped by JSON.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
ESC=$(printf '\033')
BEL=$(printf '\007')
CSI=$(printf '\302\233')
printf 'TY  - JOUR\nTI  - Albumin in cirrhosis\nAU  - Doe, Jane\nPY  - 2020\nER  - \n\n' > recs.ris
run 0 lsr init rev
run 0 lsr -C rev import recs.ris --source PubMed
run 0 lsr -C rev dedup
run 0 lsr -C rev screen batch --reviewer alice --stage title-abstract --size 1 -o b.csv
note="${ESC}]0;pwned${BEL}seen ${ESC}[2Jcleared ${CSI}2J"
awk -F, -v OFS=, -v note="$note" 'NR == 1 { print; next } { $(NF-6) = "include"; $(NF-4) = note } { print }' b.csv > done.csv
run 0 lsr -C rev screen import done.csv --reviewer alice
run 0 lsr -C rev screen explain 1
hasnt "$OUT" "$ESC"
hasnt "$OUT" "$BEL"
hasnt "$OUT" "$CSI"
has "$OUT" '"?]0;pwned?seen ?[2Jcleared ?2J"'
run 0 lsr -C rev screen explain 1 --json
same "$(jq -r '.decisions[0].note' "$OUT")" "$note"
has "$OUT" '\u001B]0;pwned\u0007seen'

# a file name in an error message
run 1 lsr -C rev screen import "b${ESC}[2J${BEL}.csv" --reviewer alice
hasnt "$ERR" "$ESC"
hasnt "$ERR" "$BEL"
has "$ERR" "b?[2J?.csv"
finish
