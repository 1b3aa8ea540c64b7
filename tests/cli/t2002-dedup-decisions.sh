#!/bin/sh
# lsr dedup decide / split: a person's decisions are applied at once, kept
# append-only, and never undone by a later run; errors name what is wrong.
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")" && pwd)/t2001
group() { grep "^$1," "$2" | cut -d, -f3; }

cd "$TMP"
run 0 lsr init rev
run 0 lsr -C rev import "$D/pubmed.ris" --source PubMed
run 0 lsr -C rev import "$D/embase.ris" --source Embase
run 0 lsr -C rev dedup

# usage and lookup errors: exact messages and exit codes
run 2 lsr -C rev dedup decide 1 maybe --by Ann
same "$(cat "$ERR")" "lsr dedup: error: unknown verdict 'maybe' (expected same or different)
see 'lsr dedup -h'"
run 2 lsr -C rev dedup decide 1 same
has "$ERR" "lsr dedup: error: decide needs --by NAME (who decided)"
run 2 lsr -C rev dedup decide 1 --by Ann
has "$ERR" "lsr dedup: error: decide needs a pair and a verdict: decide PAIR same|different --by NAME"
run 1 lsr -C rev dedup decide 99 same --by Ann
has "$ERR" "lsr dedup: error: no pair 99 in the dedup queue (see 'lsr dedup queue')"
run 1 lsr -C rev dedup decide 1,999 same --by Ann
has "$ERR" "lsr dedup: error: no record 999"
run 2 lsr -C rev dedup decide 3,3 same --by Ann
has "$ERR" "lsr dedup: error: a pair needs two different records (got 3 twice)"
run 2 lsr -C rev dedup decide x,y same --by Ann
has "$ERR" "lsr dedup: error: 'x,y' is not a pair (expected a queue pair number or RECORD,RECORD)"
run 1 lsr -C rev dedup explain 999
has "$ERR" "lsr dedup: error: no citation 999"
run 2 lsr -C rev dedup explain abc
has "$ERR" "lsr dedup: error: 'abc' is not a citation id"
run 1 lsr -C rev dedup explain 999 --record
has "$ERR" "lsr dedup: error: no record 999"
run 1 lsr -C rev dedup split 999 1 --by Ann
has "$ERR" "lsr dedup: error: no citation 999"
run 1 lsr -C rev dedup split 1 2 --by Ann
has "$ERR" "lsr dedup: error: record 2 is not a member of citation 1"
run 2 lsr -C rev dedup split 2 2 --by Ann
has "$ERR" "lsr dedup: error: nothing to split: the part named is the whole of citation 2"
run 2 lsr -C rev dedup split 1 6
has "$ERR" "lsr dedup: error: split needs --by NAME (who decided)"
run 2 lsr -C rev dedup frobnicate
has "$ERR" "lsr dedup: error: unknown dedup subcommand 'frobnicate' (expected explain, queue, decide or split)"
same "$(sql rev/review.db 'SELECT count(*) FROM dedup_decisions')" "0"

# the queued pair (pair 1 is the DOI conflict): decided the same
run 0 lsr -C rev dedup decide 2 same --by Ann --reason "same trial, pages misprinted"
same "$(cat "$OUT")" "decision 1: records 5 and 10 are the same publication (citation 5)"
run 0 lsr -C rev dedup queue
has "$OUT" "pair 1: records 3 and 7"
hasnt "$OUT" "pair 2:"
run 0 lsr -C rev dedup queue --all
has "$OUT" "decided same"
run 0 lsr -C rev dedup --export a.csv
same "$(group PubMed,115 a.csv)" "5"
same "$(group Embase,E5 a.csv)" "5"
has a.csv "Embase,E5,5,decided-same,"
same "$(sql rev/review.db 'SELECT retired_into FROM citations WHERE id = 9')" "5"
same "$(sql rev/review.db "SELECT kind, citation_id, other_id, actor FROM citation_events")" "merge|5|9|Ann"
run 0 lsr -C rev dedup explain 5
has "$OUT" "record 10     Embase       E5             manual/decided-same"
has "$OUT" "1 records 5 and 10 same by Ann"

# split it again: record 10 to a new citation; a re-run keeps it apart
run 0 lsr -C rev dedup split 5 10 --by Bob --reason "different patients"
same "$(cat "$OUT")" "split citation 5: new citation 10"
run 0 lsr -C rev dedup
run 0 lsr -C rev dedup --export b.csv
same "$(group PubMed,115 b.csv)" "5"
same "$(group Embase,E5 b.csv)" "10"
has b.csv "Embase,E5,10,split,"
same "$(sql rev/review.db "SELECT kind, citation_id, other_id, actor FROM citation_events ORDER BY id")" "merge|5|9|Ann
split|5|10|Bob"
same "$(sql rev/review.db "SELECT parts FROM dedup_decisions WHERE kind = 'split'")" "[[10],[5]]"

# an automatic merge undone by 'different': the weakest link is cut
g=$(group PubMed,111 b.csv)
run 0 lsr -C rev dedup decide 1,6 different --by Carl
same "$(cat "$OUT")" "decision 3: records 1 and 6 are different publications"
run 0 lsr -C rev dedup
has "$OUT" "this run: 0 new records"
run 0 lsr -C rev dedup --export c.csv
same "$(group PubMed,111 c.csv)" "$g"
[ "$(group Embase,E1 c.csv)" != "$g" ] || fail "a 'different' decision did not separate records 1 and 6"
same "$(sql rev/review.db "SELECT cut_by FROM dedup_links WHERE record_a = 1 AND record_b = 6")" "3"

# decisions are append-only
set +e
sqlite3 rev/review.db "DELETE FROM dedup_decisions" 2>"$TMP/e"
sqlite3 rev/review.db "UPDATE citation_events SET actor = 'x'" 2>>"$TMP/e"
set -e
has "$TMP/e" "dedup decisions are append-only"
has "$TMP/e" "citation events are append-only"
same "$(sql rev/review.db 'SELECT count(*) FROM dedup_decisions')" "3"
run 0 lsr -C rev status
has "$OUT" "duplicates removed: 0 (10 citations)"
finish
