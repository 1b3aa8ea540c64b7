#!/bin/sh
# A review that cannot be written (issue 20, defect 10): its files belong
# to someone else, or it sits on a read-only mount.  Commands that read
# work (a WAL database in a read-only folder is opened with SQLite's
# immutable=1); commands that write say the review is read-only, exit 5
# and change nothing.  Run as user nobody (tests run as root, for whom
# permissions do not apply), and on a read-only bind mount when root.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rel-lib.sh"

if ! as_nobody true 2>/dev/null; then
	echo "skip: $TEST_NAME: cannot run as user nobody (neither setpriv nor su works here)" >&2
	exit 77
fi
cd "$TMP"
chmod 755 "$TMP"
# never leave the mount behind
AT_EXIT='umount "$TMP/mnt" 2>/dev/null || true'
rel_pool_review rev
mkdir rev/exports
rel_nbib 120 5000 > rev/exports/a.nbib
run 0 lsr -C rev import rev/exports/a.nbib --source PubMed
run 0 lsr -C rev dedup
run 0 lsr -C rev extract import rev/chars.csv --extractor ann
run 0 lsr -C rev extract import rev/outcomes.csv --extractor ann
run 0 lsr -C rev pool
run 0 lsr -C rev prisma --json
cp "$OUT" prisma.json
run 0 lsr -C rev records --json
cp "$OUT" records.json
chmod -R a+rX,go-w rev
mkdir out && chmod 777 out
db_sum() { sha256sum rev/review.db | cut -d' ' -f1; }
before=$(db_sum)

# reading: the same answers as the owner gets
nb() { as_nobody "$LSR" "$@"; }
run 0 nb -C rev status
has "$OUT" "120 records"
run 0 nb -C rev prisma --json
same "$(cat "$OUT")" "$(cat prisma.json)"
run 0 nb -C rev records --json
same "$(cat "$OUT")" "$(cat records.json)"
run 0 nb -C rev status --check
run 0 nb -C rev dedup queue
run 0 nb -C rev screen status
run 0 nb -C rev update --status
run 0 nb -C rev study list
run 0 nb -C rev extract compare
run 0 nb -C rev pool --update 0 --figures out/figs
[ -f out/figs/forest-alb-4w.svg ] || fail "pool --update 0 wrote no figure"
run 0 nb -C rev prisma --svg out/prisma.svg
run 0 nb -C rev report -o out/report
has out/report/index.html "reliability test"

# protocol.yaml asks for a screening setting the review does not hold
# (reason_conflicts, which the status views read from the database): a
# read-only review cannot take it, so readers warn and count with the
# stored one
cp rev/protocol.yaml protocol.yaml.orig
sed 's/^screening:/screening:\n  reason_conflicts: true/' protocol.yaml.orig > rev/protocol.yaml
grep -q 'reason_conflicts: true' rev/protocol.yaml || fail "could not set reason_conflicts"
run 0 nb -C rev prisma --json
same "$(cat "$OUT")" "$(cat prisma.json)"
has "$ERR" "warning: the review is read-only: its counts follow the screening.reason_conflicts stored in it"
cp protocol.yaml.orig rev/protocol.yaml
run 0 nb -C rev prisma --json
same "$(cat "$ERR")" ""

# writing: refused up front, exit 5, nothing changed
ro_msg="lsr import: error: the review database 'rev/review.db' is read-only (this user may not write it): this command writes to it; commands that only read it (status, prisma, report, records, ...) work"
run 5 nb -C rev import rev/exports/a.nbib --source Other
same "$(cat "$ERR")" "$ro_msg"
for c in "dedup" "update --no-search" "pool" "screen rules" "run withdraw 1 --reason x" \
	 "records remove 1 --reason x" "extract import rev/chars.csv --extractor bob" \
	 "screen batch --reviewer bob --stage title-abstract --size 5 -o out/b.csv"; do
	# shellcheck disable=SC2086
	run 5 nb -C rev $c
	has "$ERR" "is read-only (this user may not write it): this command writes to it"
done
[ ! -e out/b.csv ] || fail "a batch file was written for a read-only review"
same "$(db_sum)" "$before"
same "$(ls rev | grep -c 'review.db-')" "0"

# its folder writable, review.db not: read with mode=ro, writes refused
chmod 777 rev
run 0 nb -C rev status
run 5 nb -C rev dedup
chmod 755 rev
rm -f rev/review.db-wal rev/review.db-shm

# a write-ahead log that still holds changes (a writer was killed): read
# through its -shm file; without one it cannot be read without merging,
# which the message says
python3 - <<'PY'
import os, sqlite3
c = sqlite3.connect("rev/review.db")
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("INSERT INTO record_removals(record_id, reason, actor, at) VALUES (1, 'x', 'tester', '2023-11-14T22:13:20Z')")
c.commit()
os._exit(0)  # no checkpoint: the change stays in review.db-wal
PY
chmod a+r rev/review.db-wal rev/review.db-shm
run 0 nb -C rev records --json
same "$(jq -s 'map(.id) | first' "$OUT")" "2"
rm rev/review.db-shm
run 5 nb -C rev status
has "$ERR" "its write-ahead log 'rev/review.db-wal' holds changes that only a writer can merge"
run 0 lsr -C rev status
rm -f rev/review.db-wal rev/review.db-shm

# a read-only mount (root only)
if [ "$(id -u)" = 0 ] && mkdir mnt && mount --bind rev mnt 2>/dev/null &&
   mount -o remount,ro,bind mnt 2>/dev/null; then
	before=$(sha256sum mnt/review.db)
	run 0 lsr -C mnt status
	has "$OUT" "120 records"
	run 0 lsr -C mnt prisma --json
	jqcheck "$OUT" .identified_total 120
	run 5 lsr -C mnt dedup
	has "$ERR" "is read-only (it is on a read-only file system): this command writes to it"
	run 5 lsr -C mnt import rev/exports/a.nbib --source Other
	same "$(sha256sum mnt/review.db)" "$before"
	umount mnt
else
	umount mnt 2>/dev/null || true
	echo "$TEST_NAME: read-only mount part skipped (needs root and mount --bind)" >&2
fi
finish
