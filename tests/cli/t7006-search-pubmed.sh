#!/bin/sh
# lsr search, PubMed through E-utilities on the replay server, with real
# records: EInfo, ESearch with the history server and a crdt window, the
# PMID list stored before EFetch POSTs id batches; tool/email/api_key sent,
# the key never stored; at most 3 requests a second without a key; errors
# inside replies (<ERROR> in a 200, the 400 envelope of a backend 502, XML
# cut short, 429 JSON) retried; a query that finds nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay.sh"
need_shared
. "$(dirname "$0")/pubmed.sh"
FX=$LSR_SHARED/fixtures/pubmed/efetch
T='	'

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'YAML'
lsr_protocol: 1
title: Stem cells
contact_email: review@example.org
sources:
  - name: PubMed
    api: pubmed
    query: stem cells
screening:
  reasons:
    - {code: off-topic}
YAML
DB=rev/review.db
unset NCBI_API_KEY LSR_EMAIL NCBI_EMAIL

replay_start pubmed-fixtures.case
run 0 lsr -C rev search --since 2025-01-01 --until 2025/01/31 --batch-size 2
same "$OUT" "PubMed: run 1 complete: 6 of 6 records (6 new in this call)"
requests | sed "s/${T}H:.*//" > got
ID="tool=lsr${T}email=review@example.org"
printf '%s\n' \
  "1${T}5${T}200${T}GET${T}/eutils/einfo.fcgi${T}db=pubmed${T}$ID" \
  "1${T}9${T}200${T}GET${T}/eutils/esearch.fcgi${T}db=pubmed${T}term=stem cells${T}retmax=9999${T}usehistory=y${T}datetype=crdt${T}mindate=2025/01/01${T}maxdate=2025/01/31${T}$ID" \
  "1${T}25${T}200${T}POST${T}/eutils/efetch.fcgi${T}db=pubmed${T}id=9997,11700088${T}retmode=xml${T}$ID" \
  "1${T}25${T}200${T}POST${T}/eutils/efetch.fcgi${T}db=pubmed${T}id=11748933,12091962${T}retmode=xml${T}$ID" \
  "1${T}25${T}200${T}POST${T}/eutils/efetch.fcgi${T}db=pubmed${T}id=34843274,38048813${T}retmode=xml${T}$ID" > want
same "$(cat got)" "$(cat want)"
# 3 requests a second at most without a key: starts 0.35 s apart
gap=$(min_gap_ms /eutils/)
[ "$gap" -ge 250 ] || fail "PubMed requests $gap ms apart without an API key"
rate=$(rate_per_s /eutils/)
[ "$rate" -le 300 ] || fail "PubMed requests at $rate/100 a second without an API key"

same "$(sql $DB "SELECT group_concat(position || ':' || pmid, ' ') FROM (SELECT * FROM records ORDER BY position)")" \
  "1:9997 2:11700088 3:11748933 4:12091962 5:34843274 6:38048813"
same "$(sql $DB "SELECT title FROM records WHERE pmid = '12091962'")" \
  "The treatment of AIDS behind the walls of correctional facilities."
same "$(sql $DB "SELECT source_record_id FROM records WHERE pmid = '9997'")" "9997"
# raw: the PubmedArticle's own bytes as received, found as they are in the
# real efetch files
# (records.raw is packed: each record's text as `records show --raw` gives it)
for id in $(sql $DB "SELECT id FROM records"); do
	"$LSR" -C rev records show "$id" --raw > "raw.$id"
done
in_fixture="0"
for f in biopython_pubmed1 biopython_pubmed2 metapub_34843274 metapub_38048813; do
	in_fixture="$in_fixture OR instr(CAST(readfile('$FX/$f.xml') AS TEXT), CAST(readfile('raw.' || id) AS TEXT)) > 0"
done
same "$(sql $DB "SELECT count(*) FROM records WHERE run_id = 1 AND ($in_fixture)")" "6"
same "$(sql $DB "SELECT count(*) FROM records WHERE CAST(readfile('raw.' || id) AS TEXT) LIKE '<PubmedArticle>%</PubmedArticle>'")" "6"
same "$(sql $DB "SELECT status, count_reported, count_records, format FROM runs WHERE id = 1")" "complete|6|6|pubmed-xml"
same "$(sql $DB "SELECT date_field, date_from, date_to, query_sent, service_version, service_date, ids_found, searches FROM search_runs")" \
  "crdt|2025-01-01|2025-01-31|stem cells AND 2025/01/01:2025/01/31[crdt]|Build-2025.11.27.06.33|2025/11/27 06:33|6|1"
same "$(sql $DB "SELECT query_translation FROM search_runs")" \
  '("stem cells"[MeSH Terms] OR ("stem"[All Fields] AND "cells"[All Fields]) OR "stem cells"[All Fields])'
same "$(sql $DB "SELECT group_concat(ord || ':' || source_id || ':' || state, ' ') FROM (SELECT * FROM search_ids ORDER BY ord)")" \
  "1:9997:stored 2:11700088:stored 3:11748933:stored 4:12091962:stored 5:34843274:stored 6:38048813:stored"

# --- with an API key, through faults ----------------------------------------
replay_start pubmed-faults.case pubmed-fixtures.case
NCBI_API_KEY=sekrit-key-123 run 0 lsr -C rev search PubMed --batch-size 6
same "$OUT" "PubMed: run 2 complete: 6 of 6 records (6 new in this call)"
same "$(requests | cut -f3-5 | tr '\t\n' '  ')" \
  "502 GET /eutils/einfo.fcgi 200 GET /eutils/einfo.fcgi 200 GET /eutils/esearch.fcgi 429 GET /eutils/esearch.fcgi 200 GET /eutils/esearch.fcgi 400 POST /eutils/efetch.fcgi 200 POST /eutils/efetch.fcgi 200 POST /eutils/efetch.fcgi "
# the key is sent with every request...
same "$(requests | grep -c "${T}api_key=sekrit-key-123${T}")" "8"
# ...and written nowhere
hasnt "$OUT" "sekrit"
hasnt "$ERR" "sekrit"
same "$(cat rev/review.db* | grep -ac sekrit || true)" "0"
same "$(sql $DB "SELECT count(*) FROM search_requests WHERE run_id = 2 AND params LIKE '%\"api_key\":\"***\"%'")" "8"
sql $DB "SELECT status || ' ' || coalesce(error, 'ok') FROM search_requests WHERE run_id = 2 ORDER BY id" > log.txt
same "$(sed -n 3p log.txt)" "200 HTTP 200: PubMed reported an error: Search Backend failed: Database is not supported: pubmed"
same "$(sed -n 4p log.txt)" '429 HTTP 429: {"error":"API rate limit exceeded","api-key":"127.0.0.1","count":"4","limit":"3"}'
same "$(sed -n 6p log.txt)" '400 HTTP 400: PubMed reported an error: {"error":"Failed to connect to PubOne service","api-key":"127.0.0.1","type":"ip","status":"ok","proxy_stream()":"502"}'
has log.txt "200 reply is truncated (no </PubmedArticleSet> in "
# with a key: 10 a second at most
gap=$(min_gap_ms /eutils/)
[ "$gap" -ge 75 ] || fail "PubMed requests $gap ms apart with an API key"
rate=$(rate_per_s /eutils/)
[ "$rate" -le 1000 ] || fail "PubMed requests at $rate/100 a second with an API key"
same "$(sql $DB "SELECT count(*), count(DISTINCT pmid) FROM records WHERE run_id = 2")" "6|6"

# --- a long query is POSTed ----------------------------------------------------
replay_start pubmed-fixtures.case
long=$(awk 'BEGIN { s = "stem cells"; for (i = 0; i < 40; i++) s = s " OR stem" i "[tiab]"; print s }')
run 0 lsr -C rev search pubmed --query "$long" --source "PubMed (long)"
same "$(requests /esearch | cut -f4)" "POST"

# --- nothing found: complete, with PubMed's note --------------------------------
replay_start pubmed-nothing.case
run 0 lsr -C rev search pubmed --query abcXYZ --source "PubMed (nothing)"
same "$OUT" "PubMed (nothing): run 4 complete: 0 of 0 records (0 new in this call)"
same "$(sql $DB "SELECT status, count_reported, notes FROM runs WHERE id = 4")" "complete|0|PubMed PhraseNotFound: abcXYZ"
same "$(requests /efetch | wc -l)" "0"
finish
