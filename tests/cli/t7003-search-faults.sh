#!/bin/sh
# lsr search survives a misbehaving service: 503, 502, 500, 504, 429 with
# and without Retry-After, a body cut short, a JSON reply that stops
# half-way, a stalled transfer, a connection closed without an answer, a
# gzip-compressed reply.  Every fault is retried (the log shows each
# attempt), the waits are honoured, and every record arrives exactly once.
# A permanent error (404) is not retried and fails the run (exit 4).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay.sh"
need_shared
T='	'

cd "$TMP"
run 0 lsr init rev
DB=rev/review.db

# --- ClinicalTrials.gov: a fault of each kind on each page ---------------
replay_start ctgov-faults.case ctgov-pages.case
run 0 lsr -C rev search ctgov --query cirrhosis --batch-size 2
same "$OUT" "ClinicalTrials.gov: run 1 complete: 5 of 5 records (5 new in this call)"
# status of each request in order (0: closed without an answer)
same "$(requests /studies | cut -f3 | tr '\n' ' ')" "503 429 200 200 502 200 200 200 500 200 "
# Retry-After: 1 was honoured
t429=$(req_times /studies | sed -n 2p)
tnext=$(req_times /studies | sed -n 3p)
[ $((tnext - t429)) -ge 1000 ] || fail "Retry-After: 1 not honoured ($((tnext - t429)) ms)"
# the stalled transfer was abandoned (low-speed limit, 2 s here) and the
# retry came on a new connection
tstall=$(req_times /studies | sed -n 7p)
tafter=$(req_times /studies | sed -n 8p)
[ $((tafter - tstall)) -ge 1900 ] || fail "stalled transfer abandoned after $((tafter - tstall)) ms"
[ "$(requests /studies | sed -n 7p | cut -f1)" != "$(requests /studies | sed -n 8p | cut -f1)" ] ||
	fail "the retry after a stall reused the stalled connection"
# every attempt is in the run's request log, with why it was retried
same "$(sql $DB "SELECT count(*) FROM search_requests WHERE run_id = 1")" "11"
sql $DB "SELECT attempt || ' ' || coalesce(status, '-') || ' ' || coalesce(error, 'ok') FROM search_requests WHERE run_id = 1 AND url LIKE '%/studies%' ORDER BY id" > log.txt
same "$(sed -n 1p log.txt)" "1 503 HTTP 503"
same "$(sed -n 2p log.txt)" "2 429 HTTP 429: {\"error\":\"Too Many Requests\"}"
has log.txt "3 200 transfer closed with "
has log.txt "(curl error 18), HTTP 200"
same "$(sed -n 4p log.txt)" "4 200 ok"
same "$(sed -n 5p log.txt)" "1 502 HTTP 502"
has log.txt "2 200 reply is not a complete JSON object ("
has log.txt "3 200 Operation too slow. Less than 100 bytes/sec transferred the last 2 seconds (curl error 28), HTTP 200"
same "$(sed -n 9p log.txt)" "1 500 HTTP 500"
same "$(sed -n 10p log.txt)" "2 200 ok"
# the records: once each, the gzip page decoded
same "$(sql $DB "SELECT count(*), count(DISTINCT source_record_id) FROM records WHERE run_id = 1")" "5|5"
same "$(sql $DB "SELECT title FROM records WHERE source_record_id = 'NCT04207047'")" \
  "Histologic Evaluation of Tissue Following Lutronic System Exposure"
same "$(sql $DB "SELECT status, count_reported, count_records FROM runs WHERE id = 1")" "complete|5|5"

# --- Europe PMC: 429 without Retry-After, closed connections, 504 --------
replay_start epmc-faults.case epmc-pages.case
LSR_HTTP_BACKOFF_MS=1500 run 0 lsr -C rev search europepmc --query cancer --batch-size 10
same "$OUT" "Europe PMC: run 2 complete: 25 of 25 records (25 new in this call)"
same "$(requests /epmc/ | cut -f3 | tr '\n' ' ')" "429 200 0 0 200 504 200 "
# no Retry-After: the client's backoff, 0.75..1.5 s with LSR_HTTP_BACKOFF_MS=1500
t1=$(req_times /epmc/ | sed -n 1p)
t2=$(req_times /epmc/ | sed -n 2p)
[ $((t2 - t1)) -ge 740 ] || fail "backoff after 429 was $((t2 - t1)) ms"
same "$(sql $DB "SELECT count(*), count(DISTINCT source_record_id) FROM records WHERE run_id = 2")" "25|25"

# --- a permanent error is not retried: exit 4, the run kept resumable ------
replay_start ctgov-version.case
run 4 lsr -C rev search ctgov --query fibrosis --source "CT.gov (fibrosis)"
same "$OUT" "CT.gov (fibrosis): run 3 failed: 0 records (0 new in this call)"
same "$(cat "$ERR")" "lsr search: error: run 3 (CT.gov (fibrosis)): ClinicalTrials.gov: GET http://127.0.0.1:$PORT/ctgov/api/v2/studies?format=json&query.term=fibrosis&countTotal=true&pageSize=1000: HTTP 404 (not retried after 1 attempt)"
same "$(requests /studies | wc -l)" "1"
same "$(sql $DB "SELECT status FROM runs WHERE id = 3")" "failed"

# --- the API key is sent, but never shown or stored, even in errors --------
replay_start pubmed-faults.case
NCBI_API_KEY=sekrit-key-456 LSR_HTTP_ATTEMPTS=1 run 4 lsr -C rev search pubmed --query x --email me@example.org
same "$(cat "$ERR")" "lsr search: error: run 4 (PubMed): PubMed: GET http://127.0.0.1:$PORT/eutils/einfo.fcgi?db=pubmed&tool=lsr&email=me%40example.org&api_key=***: HTTP 502 (gave up after 1 attempt)"
has "$RLOG" "${T}api_key=sekrit-key-456${T}"
same "$(cat rev/review.db* | grep -ac sekrit || true)" "0"
same "$(sql $DB "SELECT url FROM search_requests WHERE run_id = 4")" \
  "http://127.0.0.1:$PORT/eutils/einfo.fcgi?db=pubmed&tool=lsr&email=me%40example.org&api_key=***"
finish
