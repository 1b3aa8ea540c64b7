# extract_lib.sh - helpers for the extraction and risk-of-bias CLI tests
# (sourced after lib.sh).
#
#   new_review DIR TOOL   a review with the example's extraction protocol
#                         (risk_of_bias TOOL) and three studies
#   counts DIR            row counts of every extraction table and the audit

# Studies come from screening ('lsr study link', which needs records,
# citations and full-text inclusions); these tests are about extraction, so
# the studies are written straight into screening's table (0004_screen).
# The example review (t8xxx) takes the whole path.
add_studies() {
	db=$1
	shift
	for s in "$@"; do
		sqlite3 "$db" "INSERT INTO studies(label, created_at, actor) VALUES('$s', '2023-11-14T22:13:20Z', 'tester')"
	done
}

new_review() {
	lsr init "$1" >/dev/null
	cat > "$1/protocol.yaml" <<EOP
lsr_protocol: 1
title: MSC in cirrhosis
sources:
  - name: PubMed
screening:
  reasons:
    - {code: animal}
extraction:
  extractors: 2
  characteristics:
    - {name: country, type: text}
    - {name: cell_type, type: choice, values: [BM-MSC, BM-MNC, UC-MSC]}
    - {name: dose_per_kg, type: number, unit: cells/kg}
    - {name: patients, type: integer}
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month, 3 months]}
    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days]}
    - {name: survival, type: time-to-event, better: higher, timepoints: [12 months]}
  risk_of_bias: $2
EOP
	add_studies "$1/review.db" "Bai 2014" "Suk 2016" "Amer 2011"
}

counts() {
	sqlite3 "$1/review.db" "SELECT (SELECT count(*) FROM extraction_imports) || ' ' ||
		(SELECT count(*) FROM extraction_values) || ' ' ||
		(SELECT count(*) FROM extraction_resolutions) || ' ' ||
		(SELECT count(*) FROM extraction_arm_data) || ' ' ||
		(SELECT count(*) FROM rob_values) || ' ' ||
		(SELECT count(*) FROM rob_consensus) || ' ' ||
		(SELECT count(*) FROM audit)"
}
