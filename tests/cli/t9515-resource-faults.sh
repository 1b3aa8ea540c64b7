#!/bin/sh
# Resource faults (issue 20): a full disk under the review (a small tmpfs,
# when the test runs as root) for import, pool and report; /dev/full as
# the output of the commands t9503 does not cover; a schema newer than
# this lsr; a truncated database.  Each fails with a message that says
# what happened, exit non-zero, and leaves the review consistent with
# nothing half-stored; once the cause is gone the command works.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rel-lib.sh"

cd "$TMP"
AT_EXIT='umount "$TMP/out" 2>/dev/null || true; umount "$TMP/small" 2>/dev/null || true'
consistent() {
	same "$(sqlite3 "$1/review.db" 'PRAGMA integrity_check')" "ok"
	run 0 lsr -C "$1" status --check
}

# ---- a full disk -----------------------------------------------------------
if [ "$(id -u)" = 0 ] && mkdir small && mount -t tmpfs -o size=24m tmpfs small 2>/dev/null; then
	rel_pool_review small/rev
	rel_nbib 8000 1 > big.nbib
	# fill the disk but for 512 KiB
	avail=$(df -k small | awk 'NR == 2 { print $4 }')
	dd if=/dev/zero of=small/filler bs=1k count=$((avail - 512)) 2>/dev/null || true
	run 1 lsr -C small/rev import big.nbib --source PubMed
	has "$ERR" "cannot write the review database 'small/rev/review.db': the disk is full"
	has "$ERR" "free some space and run the command again"
	consistent small/rev
	same "$(sql small/rev/review.db 'SELECT count(*) FROM runs')" "0"
	same "$(sql small/rev/review.db 'SELECT count(*) FROM records')" "0"
	rm small/filler
	run 0 lsr -C small/rev import big.nbib --source PubMed
	same "$(sql small/rev/review.db 'SELECT count(*) FROM live_records')" "8000"
	run 0 lsr -C small/rev dedup

	# pool: nothing stored, no figure
	run 0 lsr -C small/rev extract import small/rev/chars.csv --extractor ann
	run 0 lsr -C small/rev extract import small/rev/outcomes.csv --extractor ann
	# now every byte: SQLite cannot even make its -shm file
	dd if=/dev/zero of=small/filler bs=64k 2>/dev/null || true
	run 1 lsr -C small/rev pool
	has "$ERR" "the disk is full"
	run 1 lsr -C small/rev status
	has "$ERR" "the disk is full"
	same "$(ls -A small/rev/figures 2>/dev/null)" ""
	rm small/filler
	consistent small/rev
	same "$(sql small/rev/review.db 'SELECT count(*) FROM pool_results')" "0"
	run 0 lsr -C small/rev pool
	same "$(ls small/rev/figures | wc -l | tr -d ' ')" "4"
	# the report to a full disk: no index.html, no temporary file
	mkdir out
	if mount -t tmpfs -o size=24k tmpfs out 2>/dev/null; then
		run 1 lsr -C small/rev report -o out/report
		has "$ERR" "No space left on device"
		same "$(ls -A out/report 2>/dev/null | grep -c 'index.html\|tmp')" "0"
		umount out
	fi
	run 0 lsr -C small/rev report -o small/report
	[ -s small/report/index.html ] || fail "no report once the disk has room"
	umount small
else
	rmdir small 2>/dev/null || true
	echo "$TEST_NAME: full-disk part skipped (needs root to mount a small tmpfs)" >&2
fi

# ---- /dev/full as the output -------------------------------------------------
rel_pool_review rev
rel_nbib 50 1 > few.nbib
run 0 lsr -C rev import few.nbib --source PubMed
run 0 lsr -C rev dedup
run 0 lsr -C rev extract import rev/chars.csv --extractor ann
run 0 lsr -C rev extract import rev/outcomes.csv --extractor ann
if [ -c /dev/full ]; then
	full="cannot write '/dev/full': No space left on device"
	for c in "prisma --svg /dev/full" "extract sheet --outcomes -o /dev/full" "rob sheet -o /dev/full" \
		 "extract export --format csv -o /dev/full"; do
		# shellcheck disable=SC2086
		run 1 lsr -C rev $c
		has "$ERR" "$full"
	done
	# stdout on a full device
	for c in "status" "records --json" "prisma --json" "update --status"; do
		# shellcheck disable=SC2086
		run 1 sh -c "\"\$LSR\" -C rev $c > /dev/full"
		has "$ERR" "writing output failed: No space left on device"
	done
	# a figure that is a link to /dev/full: the results are stored (and
	# say so), the device stays a device
	mkdir -p rev/figures
	ln -s /dev/full rev/figures/forest-alb-4w.svg
	run 1 lsr -C rev pool
	same "$(cat "$ERR")" "lsr pool: error: the results of update 0 are stored but not all figures were written ('lsr pool' again writes them): cannot write 'rev/figures/forest-alb-4w.svg': No space left on device"
	same "$(sql rev/review.db 'SELECT count(*) FROM pool_results')" "5"
	[ -c /dev/full ] || fail "/dev/full is no longer a character device"
	rm rev/figures/forest-alb-4w.svg
	run 0 lsr -C rev pool
	[ -s rev/figures/forest-alb-4w.svg ] || fail "the figure was not written by the rerun"
else
	echo "$TEST_NAME: no /dev/full, its part skipped" >&2
fi

# ---- a newer schema: refused by readers and writers, untouched -----------------
cp -r rev newer
sqlite3 newer/review.db 'PRAGMA user_version = 999'
sum=$(sha256sum newer/review.db)
for c in "status" "import few.nbib --source Other" "dedup" "pool --update 0"; do
	# shellcheck disable=SC2086
	run 5 lsr -C newer $c
	has "$ERR" "was written by a newer lsr (schema 999; this lsr knows up to"
done
same "$(sha256sum newer/review.db)" "$sum"

# ---- a truncated database (a copy cut short) ---------------------------------
cp -r rev cut
size=$(wc -c < cut/review.db)
truncate -s $((size / 2)) cut/review.db
run 5 lsr -C cut status --check
has "$ERR" "is damaged (SQLite found corruption)"
run 5 lsr -C cut import few.nbib --source Other
has "$ERR" "is damaged"
run 5 lsr -C cut update --no-search
has "$ERR" "is damaged"
finish
