# import-variants-lib.sh - helpers for the tests of vendor variants (t116x),
# sourced after lib.sh and import-lib.sh.  The files are small invented
# exports in tests/data/import16/ (see its README.md).
#
#   D                          the directory of those files
#   field POS JQ               one value of record POS of the last run, as
#                              `lsr records --json` gives it, through jq -r
#                              (lists joined by '|')
#   nrecords                   the record count of the last run
D=${LSR_SRC:?LSR_SRC must point at the source tree}/tests/data/import16

last_run() {
	sql "$REV/review.db" "SELECT max(id) FROM runs"
}

field() {
	"$LSR" -C "$REV" records --all --run "$(last_run)" --json |
		jq -r "select(.position == $1) | $2 | if type == \"array\" then join(\"|\") else . end"
}

nrecords() {
	sql "$REV/review.db" "SELECT count(*) FROM records WHERE run_id = (SELECT max(id) FROM runs)"
}
