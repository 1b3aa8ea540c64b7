# extract_lib.sh - helpers for the extraction and risk-of-bias CLI tests
# (sourced after lib.sh).
#
#   new_review DIR TOOL   a review with the example's extraction protocol
#                         (risk_of_bias TOOL) and three studies
#   counts DIR            row counts of every extraction table and the audit

# Studies come from screening ('lsr study link').  Until that command is
# on main, the studies are written straight into the table it creates
# (0004_screen: studies(id, label)).
add_studies() {
	db=$1
	shift
	sqlite3 "$db" "CREATE TABLE IF NOT EXISTS studies(id INTEGER PRIMARY KEY, label TEXT UNIQUE NOT NULL)"
	for s in "$@"; do
		sqlite3 "$db" "INSERT INTO studies(label) VALUES('$s')"
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
