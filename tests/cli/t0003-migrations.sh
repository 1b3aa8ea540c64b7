#!/bin/sh
# A review left at every earlier schema version (migrations 1..k applied
# with the sqlite3 shell, stamped as db.c stamps them, rows written) is
# upgraded by the next command that opens it: backed up first, given the
# schema of a new review, its rows kept.  A database newer than lsr, a
# foreign SQLite file and a file that is not SQLite are refused (exit 5)
# and left untouched.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr init new
latest=$(sql new/review.db 'PRAGMA user_version')
last_file=$(ls "$LSR_SRC"/db/migrations/*.sql | tail -1)
same "$latest" "$(basename "$last_file" | sed 's/_.*//; s/^0*//')"
schema() {
	sql "$1" "SELECT type, name, tbl_name, sql FROM sqlite_schema
		  WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
}
schema new/review.db > new.schema

rows() {
	sql "$1" "SELECT s.name, s.kind, r.kind, r.file_name, r.status, r.actor,
		  group_concat(c.position || ':' || c.title || ':' || c.doi || ':' || hex(c.raw), ';')
		  FROM sources s JOIN runs r ON r.source_id = s.id
		  JOIN records c ON c.run_id = r.id GROUP BY r.id ORDER BY r.id;
		  SELECT actor, command, action, object, detail FROM audit ORDER BY id;
		  SELECT record_id, reason FROM record_removals"
}

k=1
while [ "$k" -lt "$latest" ]; do
	d=v$k
	mkdir "$d"
	cp new/protocol.yaml "$d/"
	for f in "$LSR_SRC"/db/migrations/*.sql; do
		n=$(basename "$f" | sed 's/_.*//; s/^0*//')
		[ "$n" -le "$k" ] || break
		sqlite3 "$d/review.db" < "$f" || fail "$f does not apply with the sqlite3 shell"
	done
	sqlite3 "$d/review.db" "PRAGMA user_version = $k; PRAGMA application_id = 1280528945;
	  INSERT INTO sources(name, kind, created_at) VALUES('Old db $k', 'database', '2020-01-0$k');
	  INSERT INTO sources(name, kind, created_at) VALUES('Register', 'register', '2020-02-01');
	  INSERT INTO runs(source_id, kind, file_name, started_at, finished_at, status, count_records, actor)
	    VALUES(1, 'import', 'a.ris', 'x', 'y', 'complete', 2, 'ann');
	  INSERT INTO runs(source_id, kind, file_name, started_at, finished_at, status, count_records, actor)
	    VALUES(2, 'import', 'b.csv', 'x', 'y', 'complete', 1, 'bob');
	  INSERT INTO records(run_id, position, title, doi, raw) VALUES(1, 1, 'First at v$k', '10.1/a$k', x'00ff');
	  INSERT INTO records(run_id, position, title, doi, raw) VALUES(1, 2, 'Second: caf' || char(233), '10.1/b', x'41');
	  INSERT INTO records(run_id, position, title, doi, raw) VALUES(2, 1, 'Trial', NULL, x'');
	  INSERT INTO record_removals(record_id, reason, actor, at) VALUES(2, 'retracted', 'ann', 'z');
	  INSERT INTO audit(at, actor, command, action, object, detail)
	    VALUES('t', 'ann', 'import', 'import', 'run 1', '{\"records\":2}')"
	rows "$d/review.db" > "$d.rows"
	[ -s "$d.rows" ] || fail "no rows written at version $k"
	# the next command to open it upgrades it, even a reading one
	run 0 lsr -C "$d" status
	has "$OUT" "records identified: 2 from databases, 1 from registers, 0 from other methods (3 in all)"
	same "$(sql "$d/review.db" 'PRAGMA user_version')" "$latest"
	same "$(sql "$d/review.db" 'PRAGMA application_id')" "1280528945"
	schema "$d/review.db" > "$d.schema"
	cmp -s new.schema "$d.schema" || fail "schema migrated from $k differs from a new review's"
	# every row written before the upgrade is still there, unchanged
	rows "$d/review.db" > "$d.after"
	cmp -s "$d.rows" "$d.after" || fail "rows changed by the upgrade from $k"
	same "$(sql "$d/review.db" 'PRAGMA integrity_check; PRAGMA foreign_key_check')" "ok"
	# the backup is the database as it was
	[ -f "$d/review.db.bak-v$k" ] || fail "no backup before the upgrade from $k"
	same "$(sql "$d/review.db.bak-v$k" 'PRAGMA user_version')" "$k"
	rows "$d/review.db.bak-v$k" > "$d.bak"
	cmp -s "$d.rows" "$d.bak" || fail "the backup of version $k lost rows"
	# and a second command finds nothing left to do
	run 0 lsr -C "$d" status --json
	same "$(jq -c '.identified' "$OUT")" '{"databases":2,"registers":1,"other":0,"total":3}'
	same "$(jq -r '.removed_other_reasons' "$OUT")" "1"
	k=$((k + 1))
done

# a database written by a newer lsr: refused, not touched
mkdir newer
cp new/protocol.yaml newer/
cp new/review.db newer/review.db
sqlite3 newer/review.db "PRAGMA user_version = $((latest + 1))"
cksum < newer/review.db > newer.sum
run 5 lsr -C newer status
same "$(cat "$ERR")" "lsr status: error: 'newer/review.db' was written by a newer lsr (schema $((latest + 1)); this lsr knows up to $latest): upgrade lsr to use it"
same "$(cksum < newer/review.db)" "$(cat newer.sum)"
[ ! -e "newer/review.db.bak-v$((latest + 1))" ] || fail "a backup of a newer database was written"

# an SQLite file of another application (its own application_id)
mkdir other
cp new/protocol.yaml other/
sqlite3 other/review.db 'PRAGMA application_id = 1179407176; CREATE TABLE t(x); INSERT INTO t VALUES(1)'
cksum < other/review.db > other.sum
run 5 lsr -C other status
same "$(cat "$ERR")" "lsr status: error: 'other/review.db' is not an lsr review database (application id 0x464c5348); refusing to touch it"
same "$(cksum < other/review.db)" "$(cat other.sum)"
same "$(sql other/review.db 'SELECT x FROM t')" "1"

# a file that is not SQLite at all
mkdir text
cp new/protocol.yaml text/
printf 'TY  - JOUR\nTI  - not a database\nER  - \n%.0s' 1 2 3 4 5 6 7 8 9 10 > text/review.db
cksum < text/review.db > text.sum
run 5 lsr -C text status
same "$(cat "$ERR")" "lsr status: error: 'text/review.db' is not an lsr review database (not an SQLite file)"
same "$(cksum < text/review.db)" "$(cat text.sum)"
finish
