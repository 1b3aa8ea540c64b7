#!/bin/sh
# PubMed serves at most 9,999 identifiers per search: a result set of
# 12,000 (a synthetic PubMed on the replay server) is retrieved completely
# by splitting the query into PMID ranges on the run's history, each part
# under the cap, merged, sorted, deduplicated and reconciled with the count.
# Also: a crdt window, records EFetch no longer returns, a count that
# drifts, and a run killed between EFetch batches then resumed without
# gaps or duplicates and without searching again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay.sh"
need_shared
. "$(dirname "$0")/pubmed.sh"
T='	'

cd "$TMP"
run 0 lsr init rev
DB=rev/review.db
export NCBI_API_KEY=test-key

# --- 12,000 records: over the cap -------------------------------------------
replay_start pubmed-synthetic.case
run 0 lsr -C rev search pubmed --query "synthetic" --batch-size 500
same "$OUT" "PubMed: run 1 complete: 12000 of 12000 records (12000 new in this call)"
# the searches: the query on the history server (9,999 PMIDs of 12,000,
# the largest 12000), then its parts: 1..12000 (still over), bisected into
# 1..6000 and 6001..12000, and the rest above 12000 (empty)
requests /esearch | cut -f5- | sed "s/${T}tool=.*//" > got
printf '%s\n' \
  "/eutils/esearch.fcgi${T}db=pubmed${T}term=synthetic${T}retmax=9999${T}usehistory=y" \
  "/eutils/esearch.fcgi${T}db=pubmed${T}term=#1 AND 1:12000[UID]${T}retmax=9999${T}WebEnv=MCID_synthetic" \
  "/eutils/esearch.fcgi${T}db=pubmed${T}term=#1 AND 1:6000[UID]${T}retmax=9999${T}WebEnv=MCID_synthetic" \
  "/eutils/esearch.fcgi${T}db=pubmed${T}term=#1 AND 6001:12000[UID]${T}retmax=9999${T}WebEnv=MCID_synthetic" \
  "/eutils/esearch.fcgi${T}db=pubmed${T}term=#1 AND 12001:999999999[UID]${T}retmax=9999${T}WebEnv=MCID_synthetic" > want
same "$(cat got)" "$(cat want)"
same "$(requests /efetch | wc -l)" "24"
# every record exactly once, in PMID order
same "$(sql $DB "SELECT count(*), count(DISTINCT pmid), min(position), max(position), sum(position = CAST(pmid AS INTEGER)) FROM records")" \
  "12000|12000|1|12000|12000"
same "$(sql $DB "SELECT status, count_reported, count_records FROM runs WHERE id = 1")" "complete|12000|12000"
same "$(sql $DB "SELECT ids_found, searches, pages, missing FROM search_runs WHERE run_id = 1")" "12000|5|24|0"
# the efetch batches asked for every PMID once
requests /efetch | tr '\t' '\n' | sed -n 's/^id=//p' | tr ',' '\n' | sort -n | uniq -d > dup
same "$(wc -l < dup)" "0"
same "$(requests /efetch | tr '\t' '\n' | sed -n 's/^id=//p' | tr ',' '\n' | wc -l)" "12000"

# --- a crdt window: ten records a day from 2020-01-01 ---------------------
replay_start pubmed-synthetic.case
run 0 lsr -C rev search pubmed --query "synthetic" --source "PubMed (window)" --since 2020-01-02 --until 2020-01-03
same "$OUT" "PubMed (window): run 2 complete: 20 of 20 records (20 new in this call)"
same "$(sql $DB "SELECT min(pmid + 0), max(pmid + 0) FROM records WHERE run_id = 2")" "11|30"
has "$RLOG" "${T}datetype=crdt${T}mindate=2020/01/02${T}maxdate=2020/01/03${T}"

# --- records ESearch lists but EFetch does not return: incomplete --------
replay_start pubmed-omit.case
run 1 lsr -C rev search pubmed --query "synthetic" --source "PubMed (omit)"
same "$OUT" "PubMed (omit): run 3 incomplete: 28 of 30 records (28 new in this call)"
has "$ERR" "lsr search: warning: run 3 (PubMed (omit)) is incomplete: retrieved 28 of the 30 records PubMed reported; 2 identifiers returned no record"
same "$(sql $DB "SELECT group_concat(source_id, ' ') FROM search_ids WHERE run_id = 3 AND state = 'missing'")" "19 7"
same "$(sql $DB "SELECT missing FROM search_runs WHERE run_id = 3")" "2"

# --- the count drifts between the search and the retrieval ----------------
replay_start pubmed-drift.case
run 1 lsr -C rev search pubmed --query "synthetic" --source "PubMed (drift)"
same "$OUT" "PubMed (drift): run 4 incomplete: 30 of 32 records (30 new in this call)"
has "$ERR" "retrieved 30 of the 32 records PubMed reported; the searches returned 30 distinct PMIDs for the 32 PubMed counted"

# --- killed between EFetch batches, resumed --------------------------------
replay_start pubmed-stall-efetch4.case pubmed-small.case
LSR_HTTP_LOW_SPEED_TIME=600 "$LSR" -C rev search pubmed --query "small" --source "PubMed (killed)" \
	--batch-size 100 >lsr.out 2>lsr.err &
LPID=$!
wait_requests 6
sleep 0.3
kill -9 $LPID
set +e; wait $LPID; set -e
same "$(sql $DB "SELECT status, count_records, count_reported FROM runs WHERE id = 5")" "running|300|1000"
same "$(sql $DB "SELECT phase, ids_found FROM search_runs WHERE run_id = 5")" "records|1000"
same "$(sql $DB "SELECT count(*) FROM search_ids WHERE run_id = 5 AND state = 'pending'")" "700"
replay_start pubmed-small.case
run 0 lsr -C rev search --resume
same "$OUT" "PubMed (killed): run 5 complete: 1000 of 1000 records (700 new in this call), resumed"
# no new search: the stored PMID list was fetched from where it stopped
same "$(requests /esearch | wc -l)" "0"
same "$(requests /efetch | head -1 | tr '\t' '\n' | sed -n 's/^id=//p' | cut -d, -f1)" "301"
same "$(sql $DB "SELECT count(*), count(DISTINCT pmid), sum(position = CAST(pmid AS INTEGER)) FROM records WHERE run_id = 5")" "1000|1000|1000"
finish
