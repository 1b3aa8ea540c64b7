#!/bin/sh
# Output files are complete or absent (issue 20, defect 2): a batch, a
# records export, a dedup export, sheets and figures go to a temporary file
# renamed into place, and a device is written in place with every write
# checked.  'lsr screen batch -o /dev/full' fails, leaves /dev/full a
# character device and assigns nothing; a write refused half-way (a file
# size limit standing in for a full disk) leaves neither the temporary file
# nor a partial target, keeps an existing file's contents and, for a batch,
# assigns nothing.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
i=0
while [ $i -lt 40 ]; do
	i=$((i + 1))
	printf 'TY  - JOUR\nTI  - Trial %d of albumin in cirrhosis %s\nAU  - Author%d, A\nPY  - 20%02d\nAB  - %s\nER  - \n\n' \
		$i "$(printf '%0200d' $i)" $i $((i % 20)) "$(printf 'x%.0s' $(seq 1 5000))"
done > recs.ris
run 0 lsr init rev
run 0 lsr -C rev import recs.ris --source PubMed
run 0 lsr -C rev dedup
assigned() { sql rev/review.db 'SELECT count(*) FROM screen_assignments'; }
leftovers() { ls -A "$1" | grep -c '\.tmp-' || true; }

# ---- /dev/full: an error, the device intact, nothing assigned
if [ -c /dev/full ]; then
	run 1 lsr -C rev screen batch --reviewer alice --stage title-abstract --size 40 -o /dev/full
	same "$ERR" "lsr screen: error: cannot write '/dev/full': No space left on device"
	[ -c /dev/full ] || fail "/dev/full is no longer a character device"
	same "$(assigned)" "0"
	same "$(sql rev/review.db 'SELECT count(*) FROM screen_batches')" "0"
	run 1 lsr -C rev records -o /dev/full
	same "$ERR" "lsr records: error: cannot write '/dev/full': No space left on device"
	run 1 lsr -C rev records --format csv -o /dev/full
	same "$ERR" "lsr records: error: cannot write '/dev/full': No space left on device"
	run 1 lsr -C rev dedup --export /dev/full
	has "$ERR" "cannot write '/dev/full': No space left on device"
	[ -c /dev/full ] || fail "/dev/full is no longer a character device"
else
	echo "note: no /dev/full, its checks skipped" >&2
fi
# /dev/null is written in place and stays a device
run 0 lsr -C rev records --format ris -o /dev/null
[ -c /dev/null ] || fail "/dev/null is no longer a character device"

# ---- a write refused half-way (RLIMIT_FSIZE of 100 KiB; a batch file is about 200 KB, SIGXFSZ ignored)
limited() { (trap '' XFSZ; ulimit -f 200; "$@"); }
mkdir out
run 1 limited "$LSR" -C rev screen batch --reviewer alice --stage title-abstract --size 40 -o out/b1.csv
same "$ERR" "lsr screen: error: cannot write 'out/b1.csv': File too large"
same "$(ls -A out)" ""
same "$(assigned)" "0"
echo "old export" > out/recs.csv
run 1 limited "$LSR" -C rev records --format csv -o out/recs.csv
same "$ERR" "lsr records: error: cannot write 'out/recs.csv': File too large"
same "$(head -c 20 out/recs.csv)" "old export"
same "$(leftovers out)" "0"

# ---- success: the file whole, nothing left beside it
run 0 lsr -C rev screen batch --reviewer alice --stage title-abstract --size 40 -o out/b1.csv
same "$(assigned)" "40"
same "$(($(wc -l < out/b1.csv)))" "41"
run 0 lsr -C rev screen batch --reprint 1 -o out/b1-again.csv
cmp -s out/b1.csv out/b1-again.csv || fail "--reprint differs"
run 0 lsr -C rev records --format csv -o out/recs.csv
same "$(($(wc -l < out/recs.csv)))" "41"
run 0 lsr -C rev dedup --export out/groups.csv
same "$(leftovers out)" "0"
# --reprint to /dev/full fails too
if [ -c /dev/full ]; then
	run 1 lsr -C rev screen batch --reprint 1 -o /dev/full
	same "$ERR" "lsr screen: error: cannot write '/dev/full': No space left on device"
fi
finish
