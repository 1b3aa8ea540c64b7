#!/bin/sh
# When and how each search was run (PRISMA-S): lsr import --searched,
# --database-version and --strategy (a file's text, the text, or the
# protocol's) are stored with the run and shown by status, prisma and the
# report; a bad date is refused; the living update's window starts on the
# last date of search, not on the import day (issue 16); lsr update
# --searched dates the exports an update imports.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr -q init rev
cat > rev/protocol.yaml <<'EOP'
lsr_protocol: 1
title: search dates
sources:
  - name: Embase
    strategy: "exp liver cirrhosis/ AND stem cell*.mp."
  - name: PubMed
EOP
printf '#1 cirrhosis[mh]\n#2 "stem cells"[tiab]\n#3 #1 AND #2\n' > pubmed-strategy.txt
run 2 lsr -C rev import "$LSR_SRC/tests/data/import/records.ris" --source Embase --searched 2026-13-01
has "$ERR" "--searched"
run 0 lsr -C rev import "$LSR_SRC/tests/data/import/records.ris" --source Embase \
	--searched 2026/11/30 --database-version "Embase 1974 to 2026 November 28"
run 0 lsr -C rev import "$LSR_SRC/tests/data/import/pubmed.xml" --source PubMed \
	--searched 2026-11-29 --strategy pubmed-strategy.txt
run 0 lsr -C rev import "$LSR_SRC/tests/data/import/medline.nbib" --source Other --kind other

same "$(sql rev/review.db "SELECT searched_on || '|' || database_version || '|' || strategy FROM runs WHERE id = 1")" \
	"2026-11-30|Embase 1974 to 2026 November 28|exp liver cirrhosis/ AND stem cell*.mp."
same "$(sql rev/review.db "SELECT strategy FROM runs WHERE id = 2")" "$(cat pubmed-strategy.txt)"
same "$(sql rev/review.db "SELECT searched_on IS NULL FROM runs WHERE id = 3")" "1"

run 0 lsr -C rev status --json
jqcheck "$OUT" '.sources[0].runs[0].searched' '2026-11-30'
jqcheck "$OUT" '.sources[0].runs[0].database_version' 'Embase 1974 to 2026 November 28'
jqcheck "$OUT" '.sources[2].runs[0].searched' 'null'
run 0 lsr -C rev status
has "$OUT" "searched 2026-11-30, database version Embase 1974 to 2026 November 28"
has "$OUT" "date not recorded"

run 0 lsr -C rev dedup
run 0 lsr -C rev prisma --json
jqcheck "$OUT" '[.searches[] | .searched]' '["2026-11-30","2026-11-29",null]'
run 0 lsr -C rev prisma
has "$OUT" "date of search:"

run 0 lsr -C rev report -o rep
has rep/index.html "<th>Date of search</th>"
has rep/index.html "2026-11-30"
has rep/index.html "#1 cirrhosis[mh]"

# the update window starts on the last date of search (2026-11-30), not
# on today's import
run 0 lsr -C rev update --no-search --until 2026-12-05 --json
jqcheck "$OUT" '.since' '2026-11-30'

# lsr update --searched (here continuing the open update 1): the day the
# exports it imports were searched,
# stored with each file's run; the protocol's strategy with it; a bad
# date refused before anything is stored; not with --status or --close
mkdir rev/exports
sed -i 's|^  - name: Embase$|  - name: Embase\n    files: [exports/embase-*.ris]|' rev/protocol.yaml
cp "$LSR_SRC/tests/data/import/cp1252-crlf.ris" rev/exports/embase-2026-12.ris
runs=$(sql rev/review.db 'SELECT count(*) FROM runs')
run 2 lsr -C rev update --no-search --searched 2026-12-32
has "$ERR" "--searched"
same "$(sql rev/review.db 'SELECT count(*) FROM runs')" "$runs"
run 2 lsr -C rev update --status --searched 2026-12-06
has "$ERR" "--searched"
run 0 lsr -C rev update --no-search --searched 2026-12-06 --json
same "$(sql rev/review.db "SELECT searched_on || '|' || strategy || '|' || file_name FROM runs WHERE id = (SELECT max(id) FROM runs)")" \
	"2026-12-06|exp liver cirrhosis/ AND stem cell*.mp.|rev/exports/embase-2026-12.ris"
run 0 lsr -C rev report -o rep2
has rep2/index.html "<li><strong>Embase</strong> (database). Date of search: 2026-12-06; export file <code>rev/exports/embase-2026-12.ris</code>"
# a file named by its absolute path inside the review: shown relative to
# the review (no machine's path in a published report)
abs=$(cd rev && pwd -P)
run 0 lsr -C "$abs" import "$abs/exports/embase-2026-12.ris" --source Embase --force
run 0 lsr -C rev dedup
run 0 lsr -C rev report -o rep3
has rep3/index.html "export file <code>exports/embase-2026-12.ris</code>"
hasnt rep3/index.html "$abs/"
finish
