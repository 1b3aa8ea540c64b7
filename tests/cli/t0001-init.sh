#!/bin/sh
# lsr init: creates review.db and a valid protocol template; refuses foreign
# and too-new databases; commands find the review like git does.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr init rev
has "$OUT" "wrote rev/protocol.yaml"
has "$OUT" "initialised an empty review in rev/review.db"
[ -f rev/review.db ] || fail "no review.db"
same "$(sql rev/review.db 'PRAGMA application_id')" "1280528945"
same "$(sql rev/review.db 'PRAGMA journal_mode')" "wal"

# init again: nothing changes, protocol kept
echo "# my edit" >> rev/protocol.yaml
run 0 lsr init rev
has "$OUT" "already holds a review"
has rev/protocol.yaml "# my edit"

# commands find the review from a subdirectory, or with -C
mkdir -p rev/sub/deeper
run_in rev/sub/deeper 0 lsr status
has "$OUT" "records identified: 0"
run 0 lsr -C rev status --json
jqcheck "$OUT" .schema_version 1
run 1 lsr status
has "$ERR" "lsr status: error: not in an lsr review (no review.db here or in any parent directory); run 'lsr init' or give -C DIR"

# a database from a newer lsr is refused (exit 5)
cp rev/review.db new.db
sqlite3 new.db 'PRAGMA user_version = 999'
mkdir newer && mv new.db newer/review.db && cp rev/protocol.yaml newer/
run 5 lsr -C newer status
has "$ERR" "was written by a newer lsr (schema 999; this lsr knows up to"

# a file that is not an lsr review is refused, untouched
mkdir foreign
sqlite3 foreign/review.db 'CREATE TABLE t(x); INSERT INTO t VALUES(1)'
run 5 lsr -C foreign status
has "$ERR" "is not an lsr review database"
same "$(sql foreign/review.db 'SELECT count(*) FROM t')" "1"
mkdir garbage && echo "hello" > garbage/review.db
run 5 lsr -C garbage status
has "$ERR" "is not an lsr review database"

# usage errors exit 2
run 2 lsr nosuchcommand
has "$ERR" "'nosuchcommand' is not an lsr command"
run 2 lsr -C rev status --bogus
has "$ERR" "unknown option '--bogus'"
run 0 lsr import -h
has "$OUT" "usage: lsr import FILE..."

# the audit log is append-only
run 0 sqlite3 rev/review.db "SELECT action FROM audit"
has "$OUT" "init"
set +e
sqlite3 rev/review.db "DELETE FROM audit" 2>"$TMP/e"
set -e
has "$TMP/e" "append-only"
finish
