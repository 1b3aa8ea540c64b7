#!/bin/sh
# A review created before deduplication existed (schema 1) is upgraded by
# the next command that opens it: backed up first, then given the same
# schema as a new review, records kept, and ready for 'lsr dedup'.
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")" && pwd)/t2001

cd "$TMP"
run 0 lsr init new
mkdir old
cp new/protocol.yaml old/
sqlite3 old/review.db <"$LSR_SRC/db/migrations/0001_core.sql"
sqlite3 old/review.db "PRAGMA user_version = 1; PRAGMA application_id = 1280528945"
sqlite3 old/review.db "INSERT INTO sources(name, created_at) VALUES('Old', 'x');
  INSERT INTO runs(source_id, kind, started_at, actor) VALUES(1, 'import', 'x', 'y');
  INSERT INTO records(run_id, position, title, raw) VALUES(1, 1, 'An old record', x'00')"
run 0 lsr -C old status
[ -f old/review.db.bak-v1 ] || fail "no backup before the upgrade"
same "$(sql old/review.db 'PRAGMA user_version')" "$(sql new/review.db 'PRAGMA user_version')"
same "$(sql old/review.db "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")" \
     "$(sql new/review.db "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")"
run 0 lsr -C old import "$D/pubmed.ris" --source PubMed
run 0 lsr -C old dedup
has "$OUT" "6 records in 6 citations: 0 duplicates removed"
same "$(sql old/review.db 'SELECT count(*) FROM citation_members')" "6"
finish
