#!/bin/sh
# A protocol of 40,000 sources loads (issue 20, defect 12: the checks
# across entries compared each name with every earlier one; 40,000
# sources took 3.3 s, 200,000 over 8 minutes; bench_protocol_load times
# it), and the sorted checks that replaced them report the same errors:
# the first entry, in file order, whose name an earlier entry already has.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
run 0 lsr init rev

# protocol N [EXTRA-SOURCE-NAME...]: N generated sources, then the extras
protocol() {
	n=$1
	shift
	{
		printf 'lsr_protocol: 1\ntitle: many sources\nsources:\n'
		awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++)
			printf "  - name: source-%06d\n    files: exports/s%d.ris\n", i, i }'
		for extra in "$@"; do printf '  - name: %s\n' "$extra"; done
		printf 'screening:\n  reasons:\n    - code: design\n'
	} > rev/protocol.yaml
}

protocol 40000
run 0 lsr -C rev status --json
same "$(jq -r .title "$OUT")" "many sources"

# a name used again at the end, 80,000 lines down
protocol 40000 source-000007
run 3 lsr -C rev status
same "$ERR" "lsr status: error: rev/protocol.yaml:80004: sources[40001]: source 'source-000007' is listed twice"

# two names used twice: the first repeat in file order is the one named
protocol 0 y x y x
run 3 lsr -C rev status
same "$ERR" "lsr status: error: rev/protocol.yaml:6: sources[3]: source 'y' is listed twice"
protocol 2 source-000002 source-000001
run 3 lsr -C rev status
same "$ERR" "lsr status: error: rev/protocol.yaml:8: sources[3]: source 'source-000002' is listed twice"

# references are found among the sorted names: a rule's reason, an
# analysis's outcome (the first declared) and subgroup
cat > rev/protocol.yaml <<'YAML'
lsr_protocol: 1
title: refs
sources: [{name: z}, {name: a}]
screening:
  reasons: [{code: zeta}, {code: alpha}, {code: mid}]
  rules:
    - {name: r2, reason: mid, match: "x"}
    - {name: r1, reason: alpha, match: "y"}
extraction:
  characteristics: [{name: region}, {name: age}]
  outcomes: [{name: mort, timepoints: [d30]}, {name: ascites}]
analyses:
  list:
    - {name: a1, outcome: mort, timepoint: d30, subgroup: region}
    - {name: a2, outcome: ascites, subgroup: age}
YAML
run 0 lsr -C rev status
sed -i 's/reason: alpha/reason: beta/' rev/protocol.yaml
run 3 lsr -C rev status
same "$ERR" "lsr status: error: rev/protocol.yaml:8: screening.rules[2]: reason 'beta' is not declared in screening.reasons"
sed -i 's/reason: beta/reason: alpha/; s/timepoint: d30/timepoint: d90/' rev/protocol.yaml
run 3 lsr -C rev status
same "$ERR" "lsr status: error: rev/protocol.yaml:14: analyses.list[1]: time point 'd90' is not one of outcome 'mort''s timepoints"
sed -i 's/timepoint: d90/timepoint: d30/; s/subgroup: age/subgroup: sex/' rev/protocol.yaml
run 3 lsr -C rev status
same "$ERR" "lsr status: error: rev/protocol.yaml:15: analyses.list[2]: subgroup 'sex' is neither timepoint nor a declared characteristic"
finish
