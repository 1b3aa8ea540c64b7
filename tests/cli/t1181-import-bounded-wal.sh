#!/bin/sh
# An import commits its records in batches (the WAL stays bounded) yet
# leaves no trace when it does not finish: killed with SIGKILL after a
# batch was committed, the next command that opens the review removes the
# run, its records and the source it created (`lsr status` shows nothing
# of it, integrity_check and foreign_key_check are clean); interrupted
# with SIGINT it removes them itself; a rerun imports the file fully.
# Records of an import under way count nowhere (live_records).
. "$(dirname "$0")/lib.sh"
cd "$TMP"
run 0 lsr init rev
printf 'TY  - JOUR\nTI  - Kept from before\nER  - \n' > small.ris
run 0 lsr -C rev import --source Earlier small.ris

# 7,000 records of about 3.4 kB: 24 MB, more than one batch (16 MiB)
awk 'BEGIN { srand(3); split("liver fibrosis stem cell trial hepatic bilirubin placebo survival cohort", w, " ");
	for (i = 1; i <= 7000; i++) {
		printf "TY  - JOUR\nID  - %d\nTI  - Big record %d\nAB  - ", i, i;
		for (j = 0; j < 450; j++) printf "%s ", w[1 + int(rand() * 10)];
		printf "\nER  - \n\n" } }' > big.ris

# start_import: lsr import of big.ris in the background, $pid, returning
# once its first batch is committed (records of run 2 visible to a
# reader).  The file comes through a named pipe whose writer stops after
# 20 MB until release_input: the import is certainly under way, however
# fast the machine, when the test kills or interrupts it.
start_import() {
	rm -f in.ris
	mkfifo in.ris
	: > gate
	# (each step may die of SIGPIPE once the import is gone: not an error)
	{ head -c 20000000 big.ris || :
	  while [ -e gate ]; do sleep 0.05; done
	  tail -c +20000001 big.ris || :; } > in.ris 2>/dev/null &
	wpid=$!
	"$LSR" -C rev import --source Big in.ris > import.out 2>&1 &
	pid=$!
	i=0
	while [ "$(sql rev/review.db 'SELECT count(*) FROM records WHERE run_id = 2')" = 0 ] &&
	      [ $i -lt 1200 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
}

# release_input: let the writer of the pipe go on (it ends at once if the
# import is gone: nothing reads the pipe) and wait for it
release_input() {
	rm -f gate
	wait $wpid || true
}

# no_trace: the review as it was before the import
no_trace() {
	run 0 lsr -C rev status
	has "$OUT" "Earlier"
	hasnt "$OUT" "Big"
	same "$(sql rev/review.db 'SELECT count(*) FROM runs')" 1
	same "$(sql rev/review.db 'SELECT group_concat(name) FROM sources')" Earlier
	same "$(sql rev/review.db 'SELECT count(*) FROM records')" 1
	same "$(sql rev/review.db 'SELECT count(*) FROM import_pending')" 0
	same "$(sql rev/review.db 'PRAGMA integrity_check')" ok
	same "$(sql rev/review.db 'PRAGMA foreign_key_check')" ""
}

start_import
# a batch is committed but counts nowhere while the import runs
same "$(sql rev/review.db 'SELECT count(*) > 0 FROM records WHERE run_id = 2')" 1
same "$(sql rev/review.db 'SELECT count(*) FROM live_records')" 1
same "$(sql rev/review.db 'SELECT count(*) FROM import_pending')" 1
kill -9 $pid
wait $pid || true
release_input
# the killed process's rows are still there until a command opens the review
same "$(sql rev/review.db 'SELECT count(*) FROM import_pending')" 1
no_trace

start_import
# ^C: the import notices it in its reading loop once the pipe flows again
# (the signal may reach the thread that stores, not the one reading)
kill -INT $pid
release_input
set +e
wait $pid
code=$?
set -e
same "$code" 130
has import.out "interrupt"
same "$(sql rev/review.db 'SELECT count(*) FROM records')" 1
no_trace

run 0 lsr -C rev import --source Big big.ris
has "$OUT" "7000 records from Big"
same "$(sql rev/review.db 'SELECT count(*) FROM live_records')" 7001
same "$(sql rev/review.db "SELECT status, count_records FROM runs WHERE id = 2")" "complete|7000"
same "$(sql rev/review.db 'SELECT count(*) FROM import_pending')" 0
run 0 lsr -C rev records show 7001 --raw
same "$OUT" "$(tail -n 6 big.ris | head -n 5)"
same "$(sql rev/review.db 'PRAGMA integrity_check')" ok
finish
