#!/bin/sh
# Never lose records: a search killed (kill -9) between batches, stopped
# with Ctrl-C, or failing after its retries keeps every batch it committed,
# is shown loudly by lsr status, blocks a new run of the same source, and
# finishes with lsr search --resume from the page after the last one
# stored: no gaps, no duplicates, the pages already stored not asked again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay.sh"
need_shared
T='	'

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'YAML'
lsr_protocol: 1
title: Resume
sources:
  - name: ClinicalTrials.gov
    api: ctgov
    query: mesenchymal AND cirrhosis
  - name: Europe PMC
    api: europepmc
    query: cancer
screening:
  reasons:
    - {code: off-topic}
YAML
DB=rev/review.db

# kill_at_p3: search ClinicalTrials.gov one study a page, and kill -9 lsr
# while it waits for page 3 (a server that never answers it)
kill_at_p3() {
	replay_start ctgov-stall-p3.case ctgov-single.case
	LSR_HTTP_LOW_SPEED_TIME=600 "$LSR" -C rev search ClinicalTrials.gov --batch-size 1 >lsr.out 2>lsr.err &
	LPID=$!
	wait_requests 4
	sleep 0.3
	kill -9 $LPID
	set +e; wait $LPID; code=$?; set -e
}

# --- kill -9 while page 3 is awaited ---------------------------------------
kill_at_p3
same "$code" "137"
same "$(sql $DB "SELECT status, count_records, count_reported FROM runs WHERE id = 1")" "running|2|5"
same "$(sql $DB "SELECT group_concat(source_record_id, ' ') FROM records")" "NCT00763412 NCT00973089"
same "$(sql $DB "SELECT phase, cursor, pages FROM search_runs")" "records|p3|2"
run 0 lsr -C rev status
has "$OUT" "           !! interrupted (its process is gone); continue with 'lsr search --resume'"
has "$OUT" "!! 1 search run is not complete: the counts above may be partial"
has "$OUT" "!!   run 1 ClinicalTrials.gov: interrupted (its process is gone), 2 of 5 records; continue with 'lsr search --resume'"
run 0 lsr -C rev status --json
jqcheck "$OUT" '.searches_not_complete | map({run, status, resumable, active})' \
  '[{"run":1,"status":"running","resumable":true,"active":false}]'
# no second run of the source while one is unfinished
run 1 lsr -C rev search ClinicalTrials.gov
same "$(cat "$ERR")" "lsr search: error: source 'ClinicalTrials.gov' has an unfinished search (run 1); continue it with 'lsr search --resume' or withdraw it with 'lsr run withdraw 1 --reason TEXT'"
same "$(sql $DB "SELECT count(*) FROM runs")" "1"

# resume against a fresh server: pages 3 to 5 only, then complete
replay_start ctgov-single.case
run 0 lsr -C rev search --resume
same "$OUT" "ClinicalTrials.gov: run 1 complete: 5 of 5 records (3 new in this call), resumed"
same "$(requests /studies | cut -f5- | sed "s/${T}H:.*//" | grep -o 'pageToken=[^	]*' | tr '\n' ' ')" "pageToken=p3 pageToken=p4 pageToken=p5 "
same "$(requests /version | wc -l)" "0"
same "$(sql $DB "SELECT count(*), count(DISTINCT source_record_id), group_concat(position, '') FROM records")" "5|5|12345"
same "$(sql $DB "SELECT status, count_records, status_reason IS NULL FROM runs WHERE id = 1")" "complete|5|1"
same "$(sql $DB "SELECT phase, cursor IS NULL, resumed, pages FROM search_runs")" "done|1|1|5"
run 0 lsr -C rev status
hasnt "$OUT" "!!"
# nothing left to resume
run 0 lsr -C rev search --resume
same "$(cat "$ERR")" "lsr search: no unfinished search to resume"

# --- a service failing after its retries: exit 4, failed, resumable ---------
replay_start ctgov-503-p2.case ctgov-single.case
LSR_HTTP_ATTEMPTS=2 run 4 lsr -C rev search ctgov --batch-size 1
same "$OUT" "ClinicalTrials.gov: run 2 failed: 1 of 5 records (1 new in this call)"
same "$(cat "$ERR")" "lsr search: error: run 2 (ClinicalTrials.gov): ClinicalTrials.gov: GET http://127.0.0.1:$PORT/ctgov/api/v2/studies?format=json&query.term=mesenchymal%20AND%20cirrhosis&countTotal=true&pageSize=1&pageToken=p2: HTTP 503 (gave up after 2 attempts)"
same "$(sql $DB "SELECT status, count_records FROM runs WHERE id = 2")" "failed|1"
run 0 lsr -C rev status
has "$OUT" "           !! failed: ClinicalTrials.gov: GET http://127.0.0.1:$PORT/ctgov/api/v2/studies?"
has "$OUT" "HTTP 503 (gave up after 2 attempts); 1 records kept; continue with 'lsr search --resume'"
has "$OUT" "!!   run 2 ClinicalTrials.gov: failed, 1 of 5 records; continue with 'lsr search --resume'"
run 0 lsr -C rev search --resume ctgov
same "$OUT" "ClinicalTrials.gov: run 2 complete: 5 of 5 records (4 new in this call), resumed"
same "$(sql $DB "SELECT count(*), count(DISTINCT source_record_id) FROM records WHERE run_id = 2")" "5|5"

# --- Ctrl-C during a stalled page: exit 130, incomplete, resumable ---------
replay_start epmc-stall-p2.case epmc-pages.case
LSR_HTTP_LOW_SPEED_TIME=600 "$LSR" -C rev search "Europe PMC" --batch-size 10 >lsr.out 2>lsr.err &
LPID=$!
wait_requests 2
sleep 0.3
# another process does not take over a run that is alive
run 0 lsr -C rev status
has "$OUT" "!!   run 3 Europe PMC: running now, 10 of 25 records"
has "$OUT" "           !! running now in another lsr process"
hasnt "$OUT" "running now, 10 of 25 records; continue"
run 0 lsr -C rev search --resume
same "$(cat "$ERR")" "lsr search: warning: run 3 (Europe PMC) is running in another process; not resumed
lsr search: no unfinished search to resume"
kill -INT $LPID
set +e; wait $LPID; code=$?; set -e
same "$code" "130"
same "$(cat lsr.err)" "lsr search: error: run 3 (Europe PMC): interrupted; 10 records kept; continue with 'lsr search --resume'"
same "$(sql $DB "SELECT status, status_reason, count_records FROM runs WHERE id = 3")" \
  "incomplete|interrupted; 10 records kept; continue with 'lsr search --resume'|10"
replay_start epmc-pages.case
run 0 lsr -C rev search --resume
same "$OUT" "Europe PMC: run 3 complete: 25 of 25 records (15 new in this call), resumed"
same "$(requests | cut -f5- | grep -o 'cursorMark=[^	]*' | tr '\n' ' ')" \
  "cursorMark=AoIIP4ZawSg1MzEyODI1MA== cursorMark=AoIIP4lkIig1MzE0NTMwOA== "
same "$(sql $DB "SELECT count(*), count(DISTINCT source_record_id), min(position), max(position) FROM records WHERE run_id = 3")" "25|25|1|25"

# --- a withdrawn unfinished run is not resumed and frees the source --------
kill_at_p3
run 0 lsr -C rev run withdraw 4 --reason "killed during a test"
run 0 lsr -C rev search --resume
same "$(cat "$ERR")" "lsr search: no unfinished search to resume"
run 0 lsr -C rev status
hasnt "$OUT" "!!"

# --- a stored page token refused on resuming: paged again from page 1 -------
kill_at_p3
same "$(sql $DB "SELECT count_records FROM runs WHERE id = 5")" "2"
replay_start ctgov-expired-p3.case ctgov-single.case
run 0 lsr -C rev search --resume
same "$OUT" "ClinicalTrials.gov: run 5 complete: 5 of 5 records (3 new in this call, 2 served twice and stored once), resumed"
same "$(requests /studies | cut -f3 | tr '\n' ' ')" "400 200 200 200 200 200 "
same "$(sql $DB "SELECT count(*), count(DISTINCT source_record_id) FROM records WHERE run_id = 5")" "5|5"
same "$(sql $DB "SELECT notes FROM runs WHERE id = 5")" \
  "ClinicalTrials.gov refused the stored page cursor (HTTP 400) on resuming; paged again from the first page"
finish
