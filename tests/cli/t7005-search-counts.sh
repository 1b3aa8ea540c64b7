#!/bin/sh
# The count a service reports is never ignored: a count that changes
# between pages, a last page that comes early, a cursor that repeats all
# leave the run incomplete with the reason (exit 1, a warning, lsr status
# loud); records served twice are stored once and the run is complete.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay.sh"
need_shared

cd "$TMP"
run 0 lsr init rev
DB=rev/review.db

# --- the count changes between pages -------------------------------------
replay_start epmc-count-change.case
run 1 lsr -C rev search europepmc --query cancer --batch-size 10
same "$OUT" "Europe PMC: run 1 incomplete: 25 of 26 records (25 new in this call)"
same "$(cat "$ERR")" "lsr search: warning: run 1 (Europe PMC) is incomplete: retrieved 25 of the 26 records Europe PMC reported; the count reported changed from 25 to 26 during the run
lsr search: error: a search run is incomplete: see above and 'lsr status'"
same "$(sql $DB "SELECT status, count_reported, count_records FROM runs WHERE id = 1")" "incomplete|26|25"
same "$(sql $DB "SELECT count_first, phase FROM search_runs WHERE run_id = 1")" "25|done"
same "$(sql $DB "SELECT notes FROM runs WHERE id = 1")" "the count reported changed from 25 to 26 during the run"
run 0 lsr -C rev status
has "$OUT" "           !! incomplete: retrieved 25 of the 26 records Europe PMC reported; the count reported changed from 25 to 26 during the run"
has "$OUT" "!!   run 1 Europe PMC: incomplete, 25 of 26 records; run the search again"
run 0 lsr -C rev status --json
jqcheck "$OUT" '.searches_not_complete | map({run, status, reported, resumable})' \
  '[{"run":1,"status":"incomplete","reported":26,"resumable":false}]'
# a finished run is not resumed; a new run of the source may start
run 0 lsr -C rev search --resume
same "$(cat "$ERR")" "lsr search: no unfinished search to resume"

# --- records served twice: stored once, the run complete ------------------
replay_start epmc-overlap.case
run 0 lsr -C rev search europepmc --query cancer --batch-size 10
same "$OUT" "Europe PMC: run 2 complete: 25 of 25 records (25 new in this call, 5 served twice and stored once)"
same "$(sql $DB "SELECT count(*), count(DISTINCT source_record_id), max(position) FROM records WHERE run_id = 2")" "25|25|25"
same "$(sql $DB "SELECT duplicates FROM search_runs WHERE run_id = 2")" "5"
same "$(sql $DB "SELECT group_concat(records || '+' || duplicates, ' ') FROM search_batches WHERE run_id = 2")" "10+0 5+5 10+0"

# --- a cursor that repeats: stop, incomplete --------------------------------
replay_start epmc-repeat.case
run 1 lsr -C rev search europepmc --query cancer --batch-size 10
same "$OUT" "Europe PMC: run 3 incomplete: 20 of 25 records (20 new in this call)"
has "$ERR" "retrieved 20 of the 25 records Europe PMC reported; Europe PMC repeated the page cursor c2"
same "$(requests /epmc/ | wc -l)" "2"

# --- the last page comes early -------------------------------------------
replay_start ctgov-short.case
run 1 lsr -C rev search ctgov --query cirrhosis --batch-size 2
same "$OUT" "ClinicalTrials.gov: run 4 incomplete: 4 of 5 records (4 new in this call)"
has "$ERR" "lsr search: warning: run 4 (ClinicalTrials.gov) is incomplete: retrieved 4 of the 5 records ClinicalTrials.gov reported"
run 0 lsr -C rev status
has "$OUT" "!! 3 search runs are not complete: the counts above may be partial"
finish
