#!/bin/sh
# lsr search, ClinicalTrials.gov API v2 through the replay server: the
# protocol's saved query, pageToken paging over three pages built from the
# real single-study records, the exact requests sent on one kept-alive
# connection, every record stored once with its bytes as received, the run
# documented (count, version, query, batches, request log), the source
# counted as a register.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay.sh"
need_shared
CT=$LSR_SHARED/fixtures/apis/clinicaltrials
T='	'

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'YAML'
lsr_protocol: 1
title: MSC for cirrhosis
contact_email: review@example.org
sources:
  - name: PubMed
  - name: ClinicalTrials.gov
    api: ctgov
    query: mesenchymal AND cirrhosis
screening:
  reasons:
    - {code: off-topic}
YAML
replay_start ctgov-pages.case
run 0 lsr -C rev search --batch-size 2
same "$OUT" "ClinicalTrials.gov: run 1 complete: 5 of 5 records (5 new in this call)"
same "$ERR" ""

# the requests, exactly: version, then three pages with the same parameters
# and the previous page's token, all on connection 1
requests | sed "s/${T}H:.*//" > got
printf '%s\n' \
  "1${T}5${T}200${T}GET${T}/ctgov/api/v2/version" \
  "1${T}10${T}200${T}GET${T}/ctgov/api/v2/studies${T}format=json${T}query.term=mesenchymal AND cirrhosis${T}countTotal=true${T}pageSize=2" \
  "1${T}14${T}200${T}GET${T}/ctgov/api/v2/studies${T}format=json${T}query.term=mesenchymal AND cirrhosis${T}countTotal=true${T}pageSize=2${T}pageToken=page-2" \
  "1${T}18${T}200${T}GET${T}/ctgov/api/v2/studies${T}format=json${T}query.term=mesenchymal AND cirrhosis${T}countTotal=true${T}pageSize=2${T}pageToken=page-3" > want
same "$(cat got)" "$(cat want)"
# identified, gzip accepted
same "$(requests | grep -vc "H:user-agent=lsr/[0-9.]* (+mailto:review@example.org)")" "0"
same "$(requests | grep -vc 'H:accept-encoding=[^	]*gzip')" "0"
# polite: at most 2 requests a second to a service without a published limit
gap=$(min_gap_ms /ctgov/)
[ "$gap" -ge 350 ] || fail "requests to ClinicalTrials.gov $gap ms apart"
rate=$(rate_per_s /ctgov/)
[ "$rate" -le 220 ] || fail "requests to ClinicalTrials.gov at $rate/100 a second"

# every record once, in order, with the registry's id
DB=rev/review.db
same "$(sql $DB "SELECT group_concat(position || ':' || source_record_id, ' ') FROM (SELECT * FROM records ORDER BY id)")" \
  "1:NCT00763412 2:NCT00973089 3:NCT02210780 4:NCT03630471 5:NCT04207047"
same "$(sql $DB "SELECT count(DISTINCT source_record_id), count(*) FROM records")" "5|5"
same "$(sql $DB "SELECT other_ids, year, pub_date, publication_types FROM records WHERE source_record_id = 'NCT02210780'")" \
  '{"nct":["NCT02210780"]}|2014|2014-08-05|["Interventional","Phase 2","Randomized"]'
# raw: each study's own bytes, exactly as the fixture holds them
for id in NCT00763412 NCT00973089 NCT02210780 NCT03630471 NCT04207047; do
	lsr -C rev records show "$(sql $DB "SELECT id FROM records WHERE source_record_id = '$id'")" --raw > raw.json
	n=$(wc -c < raw.json)
	m=$(wc -c < "$CT/aact_$id.json")
	cmp -s -n "$n" raw.json "$CT/aact_$id.json" || fail "$id: raw bytes differ from the record received"
	[ $((m - n)) -le 1 ] || fail "$id: raw holds $n of $m bytes"
done

# the run, documented
same "$(sql $DB "SELECT kind, format, query, status, count_reported, count_records, status_reason IS NULL FROM runs")" \
  "search|ctgov-json|mesenchymal AND cirrhosis|complete|5|5|1"
same "$(sql $DB "SELECT api, base_url = 'http://127.0.0.1:$PORT/ctgov/api/v2', query_sent, service_version, service_date, phase, pages, count_first, duplicates, pid IS NULL FROM search_runs")" \
  "ctgov|1|query.term=mesenchymal AND cirrhosis|2.0.5|2025-06-02T09:00:05|done|3|5|0|1"
same "$(sql $DB "SELECT group_concat(batch || ':' || records || ':' || stored || ':' || coalesce(cursor, '-'), ' ') FROM search_batches")" \
  "1:2:2:page-2 2:2:4:page-3 3:1:5:-"
same "$(sql $DB "SELECT count(*), sum(status = 200), sum(attempt = 1) FROM search_requests")" "4|4|4"
same "$(sql $DB "SELECT params FROM search_requests WHERE id = 4")" \
  '{"format":"json","query.term":"mesenchymal AND cirrhosis","countTotal":"true","pageSize":"2","pageToken":"page-3"}'
same "$(sql $DB "SELECT action, object FROM audit WHERE action = 'search'")" "search|run 1"

# PRISMA: registry records are "registers", not databases
run 0 lsr -C rev status --json
jqcheck "$OUT" '{registers: .identified.registers, databases: .identified.databases, searches_not_complete}' \
  '{"registers":5,"databases":0,"searches_not_complete":[]}'
run 0 lsr -C rev status
hasnt "$OUT" "!!"
has "$OUT" "ClinicalTrials.gov                 register         5 records"

# the next month: a new run; --json summary; the option's base URL wins
# over the environment's
replay_start ctgov-pages.case
LSR_CTGOV_URL=http://127.0.0.1:9/nothing-here run 0 lsr -C rev search ClinicalTrials.gov \
  --batch-size 2 --json --ctgov-url "http://127.0.0.1:$PORT/ctgov/api/v2/"
jqcheck "$OUT" .schema_version 1
jqcheck "$OUT" '.runs | map({run, status, reported, records, stored_now})' \
  '[{"run":2,"status":"complete","reported":5,"records":5,"stored_now":5}]'
same "$(sql $DB "SELECT count(*) FROM records WHERE run_id = 2")" "5"
finish
