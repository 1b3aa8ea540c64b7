#!/bin/sh
# lsr dedup is incremental: new records are compared with everything
# grouped before; citations keep their ids and decisions; a new record that
# bridges two citations merges them (one id survives, an event is
# recorded) unless their DOIs conflict; withdrawn and removed records are
# out of grouping and counts.
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")" && pwd)
group() { grep "^$1," "$2" | cut -d, -f3; }

cd "$TMP"
run 0 lsr init rev
run 0 lsr -C rev import "$D/t2001/pubmed.ris" --source PubMed
run 0 lsr -C rev import "$D/t2001/embase.ris" --source Embase
run 0 lsr -C rev import "$D/t2003/base.ris" --source Scopus
run 0 lsr -C rev dedup --export before.csv
has "$OUT" "14 records in 13 citations: 1 duplicates removed"
run 0 lsr -C rev dedup decide 5,10 same --by Ann
run 0 lsr -C rev dedup --export before.csv
g_x=$(group PubMed,111 before.csv)
g_a1=$(group Scopus,A1 before.csv)
g_a2=$(group Scopus,A2 before.csv)
[ "$g_a1" != "$g_a2" ] || fail "A1 and A2 should be apart before the update"

# the update: a later export of PubMed and of Scopus
run 0 lsr -C rev import "$D/t2001/update.ris" --source PubMed
run 0 lsr -C rev import "$D/t2003/later.ris" --source Scopus
run 0 lsr -C rev dedup --export after.csv
has "$OUT" "this run: 4 new records"
has "$OUT" "1 citations merged"

# every record grouped before keeps its group id (or the surviving one)
old_rows=$(tail -n +2 before.csv | wc -l | tr -d ' ')
same "$(head -n $((old_rows + 1)) after.csv | grep -v '^Scopus,A[12],' | cut -d, -f1-3)" \
     "$(grep -v '^Scopus,A[12],' before.csv | cut -d, -f1-3)"
# a new record joins the existing citation by its DOI (URL, upper case)
same "$(group PubMed,900 after.csv)" "$g_x"
has after.csv "PubMed,900,$g_x,doi,"
# a new record bridges A1 and A2: the older citation id survives
survivor=$g_a1
[ "$g_a2" -lt "$g_a1" ] && survivor=$g_a2
other=$g_a1
[ "$survivor" = "$g_a1" ] && other=$g_a2
same "$(group Scopus,N1 after.csv)" "$survivor"
same "$(group Scopus,A1 after.csv)" "$survivor"
same "$(group Scopus,A2 after.csv)" "$survivor"
same "$(sql rev/review.db "SELECT retired_into FROM citations WHERE id = $other")" "$survivor"
same "$(sql rev/review.db "SELECT kind || ' ' || citation_id || ' ' || other_id FROM citation_events WHERE other_id = $other")" \
     "merge $survivor $other"
# conflicting DOIs are never merged, not even through a third record
[ "$(group Scopus,P1 after.csv)" != "$(group Scopus,P2 after.csv)" ] || fail "P1 and P2 merged"
run 0 lsr -C rev dedup queue
has "$OUT" "group-conflict"
# the earlier decision stands
same "$(group PubMed,115 after.csv)" "$(group Embase,E5 after.csv)"
# a re-run changes nothing
run 0 lsr -C rev dedup --export again.csv
has "$OUT" "this run: 0 new records, 0 comparisons"
same "$(cat again.csv)" "$(cat after.csv)"

# removed and withdrawn records leave grouping and counts
run 0 lsr -C rev status --json
jqcheck "$OUT" .duplicates_removed 6
run 0 lsr -C rev records remove 17 --reason "duplicate entry in the export"
run 0 lsr -C rev status --json
jqcheck "$OUT" '{duplicates_removed, removed_other_reasons}' '{"duplicates_removed":5,"removed_other_reasons":1}'
# the representative removed: the next run gives the citation another
same "$(sql rev/review.db "SELECT representative_id FROM citations WHERE id = $g_x")" "1"
run 0 lsr -C rev records remove 1 --reason "retracted before screening"
run 0 lsr -C rev status --json
jqcheck "$OUT" .duplicates_removed 4
run 0 lsr -C rev dedup
has "$OUT" "this run: 0 new records"
same "$(sql rev/review.db "SELECT representative_id FROM citations WHERE id = $g_x")" "15"
run 0 lsr -C rev run withdraw 4 --reason "imported by mistake"
run 0 lsr -C rev dedup --export w.csv
same "$(sql rev/review.db "SELECT representative_id FROM citations WHERE id = $g_x")" "6"
hasnt w.csv "PubMed,900,"
hasnt w.csv "PubMed,901,"
hasnt w.csv "PubMed,111,"
run 0 lsr -C rev status
has "$OUT" "duplicates removed: 3 (11 citations)"
finish
