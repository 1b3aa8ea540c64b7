# import-lib.sh - helpers for the import tests (t11xx), sourced after lib.sh.
#
#   new_review                 an empty review in $REV ($TMP/rev)
#   expect_import FILE N FMT [OPTION...]
#                              import FILE without --format: it must be
#                              detected as FMT and give exactly N records
#   rec POS [COLUMNS]          the record at position POS of the last run:
#                              "title|first author|year|doi|pmid|source id"
#                              by default, else the SQL COLUMNS given
#   counts                     "runs records" in the review, to show a
#                              rejected file changed nothing
FIX=${LSR_SHARED:-}/fixtures

new_review() {
	REV=$TMP/rev
	rm -rf "$REV"
	lsr init "$REV" >/dev/null
}

expect_import() {
	f=$1
	n=$2
	fmt=$3
	shift 3
	run 0 lsr -C "$REV" import --source Test --json "$@" "$f"
	jqcheck "$OUT" '{format, records}' "{\"format\":\"$fmt\",\"records\":$n}"
	same "$(sql "$REV/review.db" "SELECT count(*) FROM records WHERE run_id = (SELECT max(id) FROM runs)")" "$n"
}

rec() {
	cols=${2:-"title, json_extract(authors, '\$[0]'), year, doi, pmid, source_record_id"}
	sql "$REV/review.db" "SELECT $cols FROM records WHERE run_id = (SELECT max(id) FROM runs) AND position = $1"
}

counts() {
	sql "$REV/review.db" "SELECT (SELECT count(*) FROM runs) || ' ' || (SELECT count(*) FROM records)"
}
