#!/bin/sh
# An update interrupted part-way (issue 20, defects 6 and 8).  Its steps
# are committed one by one: Ctrl-C says exactly which were stored and that
# 'lsr update' continues; a rerun after a failure, Ctrl-C or kill -9
# stores the summary (files, deduplication counts, ...) an uninterrupted
# update stores, and logs no empty second deduplication.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rel-lib.sh"

cd "$TMP"
rel_nbib 300 100000 > base.nbib
rel_nbib 200 200000 > a.nbib
rel_nbib 6000 300000 1500 > b.nbib

# review NAME: the review as first done (update 0) with base.nbib
review() {
	rel_pool_review "$1"
	mkdir "$1/exports"
	cp base.nbib "$1/exports/base.nbib"
	run 0 lsr -C "$1" import "$1/exports/base.nbib" --source PubMed
	run 0 lsr -C "$1" dedup
}
# summary NAME: the stored summary, the review's name taken out
summary() { sql "$1/review.db" "SELECT summary FROM updates WHERE no = 1" | sed "s|$1/|REV/|g"; }
# until SQL DB: wait (at most 60 s) until the query prints 1
until_sql() {
	i=0
	while [ "$(sqlite3 "$2" "$1" 2>/dev/null)" != 1 ]; do
		i=$((i + 1))
		[ $i -lt 1200 ] || { fail "timed out waiting for: $1"; return 0; }
		sleep 0.05
	done
}

# the uninterrupted update
review ref
cp a.nbib b.nbib ref/exports/
run 0 lsr -C ref update --no-search --json
cp "$OUT" ref.json
jqcheck ref.json '{files: (.files | map(.records)), dedup, records_added}' \
	'{"files":[200,6000],"dedup":{"records_new":6200,"merges":620,"queued":0},"records_added":{"PubMed":6200}}'
jqcheck ref.json .continued false
summary ref > ref.summary
jqcheck ref.summary 'has("continued")' false
same "$(sql ref/review.db 'SELECT count(*) FROM dedup_runs')" "2"

# 1. it fails after the deduplication was stored (here: its summary
# cannot be written); the rerun stores the uninterrupted summary and
# deduplicates nothing a second time
review fail
cp a.nbib b.nbib fail/exports/
sql fail/review.db "CREATE TRIGGER t_full BEFORE UPDATE OF summary ON updates BEGIN SELECT RAISE(ABORT, 'disk full'); END"
run 1 lsr -C fail update --no-search
has "$ERR" "disk full"
same "$(sql fail/review.db 'SELECT count(*) FROM dedup_runs')" "2"
sql fail/review.db "DROP TRIGGER t_full"
run 0 lsr -C fail update --no-search --json
jqcheck "$OUT" .continued true
same "$(summary fail)" "$(cat ref.summary)"
same "$(sql fail/review.db 'SELECT count(*) FROM dedup_runs')" "2"
# and a third run changes nothing
run 0 lsr -C fail update --no-search
has "$OUT" "imported PubMed               fail/exports/a.nbib: 200 records (earlier in this update)"
same "$(summary fail)" "$(cat ref.summary)"
same "$(sql fail/review.db 'SELECT count(*) FROM dedup_runs')" "2"

# 2. kill -9 between two imports: the update waits on b.nbib, a FIFO,
# once a.nbib is stored
review kill
cp a.nbib kill/exports/
mkfifo kill/exports/b.nbib
"$LSR" -C kill update --no-search >kill.out 2>kill.err &
pid=$!
until_sql "SELECT count(*) = 2 FROM runs WHERE id NOT IN (SELECT run_id FROM import_pending)" kill/review.db
kill -9 $pid
wait $pid || true
rm kill/exports/b.nbib
cp b.nbib kill/exports/
same "$(sqlite3 kill/review.db 'PRAGMA integrity_check')" "ok"
run 0 lsr -C kill update --no-search
same "$(summary kill)" "$(cat ref.summary)"
same "$(sql kill/review.db 'SELECT count(*) FROM dedup_runs')" "2"

# 3. Ctrl-C during the import of b.nbib: the message says what was
# stored (the update, a.nbib) and what was rolled back (b.nbib)
review intr
cp a.nbib b.nbib intr/exports/
"$LSR" -C intr update --no-search >intr.out 2>intr.err &
pid=$!
until_sql "SELECT count(*) = 1 FROM import_pending WHERE run_id = 3" intr/review.db
kill -INT $pid
code=0
wait $pid || code=$?
same "$code" "130"
same "$(cat intr.err)" "lsr update: error: interrupted during the import of 'intr/exports/b.nbib' (rolled back); stored before that: update 1 started (searches 2023-11-14 to 2023-11-14); the import of 'intr/exports/a.nbib' (run 2, 200 records); run 'lsr update' again to continue update 1"
# that is what the review holds
same "$(sql intr/review.db "SELECT u.file_name, ru.update_no FROM runs u JOIN run_updates ru ON ru.run_id = u.id ORDER BY u.id")" \
"intr/exports/base.nbib|0
intr/exports/a.nbib|1"
same "$(sql intr/review.db 'SELECT count(*) FROM import_pending')" "0"
run 0 lsr -C intr update --no-search
same "$(summary intr)" "$(cat ref.summary)"
same "$(sql intr/review.db 'SELECT count(*) FROM dedup_runs')" "2"

# Ctrl-C before anything was stored: the single-step message stays true
review intr0
cp a.nbib intr0/exports/
run 0 lsr -C intr0 update --no-search
cp b.nbib intr0/exports/
"$LSR" -C intr0 update --no-search >intr0.out 2>intr0.err &
pid=$!
until_sql "SELECT count(*) = 1 FROM import_pending" intr0/review.db
kill -INT $pid
wait $pid || true
same "$(cat intr0.err)" "lsr update: error: interrupted during the import of 'intr0/exports/b.nbib' (rolled back); nothing of this command was stored; run 'lsr update' again to continue update 1"
finish
