#!/bin/sh
# lsr search, Europe PMC REST (resultType=core, JSON) through the replay
# server: an ad-hoc query with a date window (FIRST_IDATE), cursorMark
# paging over the real core records, the contact address sent, every record
# once with its fields and its bytes, searchPOST for a long query.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay.sh"
need_shared
FX=$LSR_SHARED/fixtures/apis/europepmc/pyeuropepmc_search_cancer_core.json
T='	'

cd "$TMP"
run 0 lsr init rev
replay_start epmc-pages.case
run 0 lsr -C rev search europepmc --query 'cancer AND "quality of life"' --since 2024-01-01 \
  --until 2024/12/31 --email me@example.org --batch-size 10
same "$OUT" "Europe PMC: run 1 complete: 25 of 25 records (25 new in this call)"

requests | sed "s/${T}H:.*//" > got
Q="query=(cancer AND \"quality of life\") AND FIRST_IDATE:[2024-01-01 TO 2024-12-31]"
P="resultType=core${T}format=json${T}pageSize=10"
printf '%s\n' \
  "1${T}3${T}200${T}GET${T}/epmc/search${T}$Q${T}$P${T}cursorMark=*${T}email=me@example.org" \
  "1${T}7${T}200${T}GET${T}/epmc/search${T}$Q${T}$P${T}cursorMark=AoIIP4ZawSg1MzEyODI1MA==${T}email=me@example.org" \
  "1${T}12${T}200${T}GET${T}/epmc/search${T}$Q${T}$P${T}cursorMark=AoIIP4lkIig1MzE0NTMwOA==${T}email=me@example.org" > want
same "$(cat got)" "$(cat want)"
same "$(requests | grep -c 'H:user-agent=lsr/[0-9.]* (+mailto:me@example.org)')" "3"
gap=$(min_gap_ms /epmc/)
[ "$gap" -ge 140 ] || fail "requests to Europe PMC $gap ms apart (at most 5 a second)"
rate=$(rate_per_s /epmc/)
[ "$rate" -le 525 ] || fail "requests to Europe PMC at $rate/100 a second"

DB=rev/review.db
same "$(sql $DB "SELECT count(*), count(DISTINCT source_record_id), min(position), max(position) FROM records")" "25|25|1|25"
same "$(sql $DB "SELECT source_record_id, pmid, pmcid, doi, year, journal_abbrev FROM records WHERE position = 2")" \
  "MED:39709208|39709208|PMC12124214|10.1016/s0140-6736(24)02716-8|2025|Lancet"
same "$(sql $DB "SELECT substr(abstract, 1, 40) FROM records WHERE source_record_id = 'MED:40468710'")" \
  "OBJECTIVE: This study investigated wheth"
# raw: the record's JSON as received, equal to the fixture's record
for i in 0 9 10 24; do
	lsr -C rev records show "$(sql $DB "SELECT id FROM records WHERE position = $i + 1")" --raw > raw.json
	same "$(sql $DB "SELECT json(readfile('raw.json')) = json_extract(readfile('$FX'), '\$.resultList.result[$i]')")" "1"
done
same "$(sql $DB "SELECT s.kind, format, query, status, count_reported, count_records FROM runs JOIN sources s ON s.id = runs.source_id")" \
  "database|europepmc-json|cancer AND \"quality of life\"|complete|25|25"
same "$(sql $DB "SELECT date_field, date_from, date_to, query_sent, service_version FROM search_runs")" \
  "FIRST_IDATE|2024-01-01|2024-12-31|(cancer AND \"quality of life\") AND FIRST_IDATE:[2024-01-01 TO 2024-12-31]|6.9"
same "$(sql $DB "SELECT name, kind FROM sources")" "Europe PMC|database"

# a query too long for a URL goes to searchPOST as a form
replay_start epmc-post.case
long=$(awk 'BEGIN { s = "cancer"; for (i = 0; i < 120; i++) s = s " OR term" i; print s }')
run 0 lsr -C rev search europepmc --query "$long" --source "Europe PMC (long query)"
same "$OUT" "Europe PMC (long query): run 2 complete: 5 of 5 records (5 new in this call)"
same "$(requests | cut -f3-5)" "200${T}POST${T}/epmc/searchPOST"
has "$RLOG" "${T}query=cancer OR term0 OR term1 OR term2"
hasnt "$RLOG" "email="

# a query that finds nothing: complete with zero records
replay_start epmc-empty.case
run 0 lsr -C rev search europepmc --query asdkfjhasdkfjhasdfasdasdasdfgsagsd --source "Europe PMC (nothing)"
same "$OUT" "Europe PMC (nothing): run 3 complete: 0 of 0 records (0 new in this call)"
finish
