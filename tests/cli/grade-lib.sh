# grade-lib.sh - reviews for the lsr grade tests (t44xx, sourced after
# lib.sh).
#
#   grade_review DIR TITLE DESIGN LABEL...
#                           lsr init DIR with a protocol whose
#                           picos.study_design is DESIGN, read from stdin
#                           from its extraction outcomes on (the lines
#                           after "  outcomes:"), and the studies LABEL...

grade_review() {
	dir=$1
	title=$2
	design=$3
	shift 3
	lsr init "$dir" >/dev/null
	{
		cat <<YAML
lsr_protocol: 1
title: $title
picos:
  study_design: $design
sources:
  - name: PubMed
screening:
  reasons:
    - {code: off-topic}
extraction:
  extractors: 1
  allow_single_extractor: true
  outcomes:
YAML
		cat
	} > "$dir/protocol.yaml"
	for s in "$@"; do
		sqlite3 "$dir/review.db" "INSERT INTO studies(label, created_at, actor) VALUES('$s', '2023-11-14T22:13:20Z', 'tester')"
	done
}
