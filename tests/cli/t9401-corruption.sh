#!/bin/sh
# A damaged review database never ends a command in success: a statement
# that meets a damaged page fails the command with a message that says how
# to recover (exit 5); 'lsr status --check' checks the whole file and
# 'lsr update' checks it before adding anything (issue 20, defect 11).
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr -q init rev
cat > rev/protocol.yaml <<'EOP'
lsr_protocol: 1
title: corruption
sources:
  - name: PubMed
EOP
run 0 lsr -C rev import "$LSR_SRC/tests/data/import/records.ris" --source PubMed
run 0 lsr -C rev dedup
run 0 lsr -C rev status --check
has "$OUT" "integrity check: ok"

# clobber the b-tree header of the first page of table $2 in copy $1
damage() {
	mkdir -p "$1"
	cp rev/review.db rev/protocol.yaml "$1"/
	pg=$(sql "$1/review.db" "SELECT min(pageno) FROM dbstat WHERE name = '$2'")
	ps=$(sql "$1/review.db" "PRAGMA page_size")
	[ -n "$pg" ] || fail "no page for $2"
	printf '\015\000\000\377\377\377\377\000' |
		dd of="$1/review.db" bs=1 seek=$(( (pg - 1) * ps )) conv=notrunc 2>/dev/null
}

# a table every listing reads
damage rec records
for c in status records dedup; do
	run 5 lsr -C rec $c
	has "$ERR" "is damaged (SQLite found corruption)"
	has "$ERR" "lsr status --check"
done

# a table nothing here reads: only the checks find it
damage aud audit
run 0 lsr -C aud status
run 5 lsr -C aud status --check
has "$ERR" "is damaged"
before=$(sql aud/review.db "SELECT count(*) FROM updates")
run 5 lsr -C aud update --no-search
has "$ERR" "is damaged"
same "$(sql aud/review.db "SELECT count(*) FROM updates")" "$before"
finish
