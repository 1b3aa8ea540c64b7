#!/bin/sh
# The example review in priority order with the stopping rule (issue 13's
# "done when"): the example is set up as run.sh does it (EXAMPLE_STOP_AFTER=2:
# deduplicated, nothing screened), its protocol switched to
# 'screening.order: priority', and the two simulated reviewers screen batches
# of 100 in the order lsr hands out until 'lsr screen status' says the rule is
# met; 'lsr screen stop' excludes the rest by automation, the full texts are
# screened as run.sh screens them, and the stop shows in PRISMA (records
# excluded split into by a human / by automation tools), in 'lsr screen
# status' and in the report's methods.  The includes found and the full-text
# numbers are the batch path's (t8401: 1,747 citations, 1,495 excluded at
# title-abstract, so 252 included; 216 + 25 reports excluded at full text).
. "$(dirname "$0")/lib.sh"

cd "$TMP"
rev=$TMP/review
run 0 env LSR="$LSR" EXAMPLE_STOP_AFTER=2 EXAMPLE_CORPUS="$LSR_BUILD/examples/example_corpus" \
	EXAMPLE_REVIEWER="$LSR_BUILD/examples/example_reviewer" \
	"$LSR_SRC/examples/msc-cirrhosis/run.sh" "$rev"
has "$OUT" "Stopped after step 2"
same "$(sql "$rev/review.db" "SELECT count(*) FROM screen_decisions")" "0"

# the switch a reviewer makes: one line in protocol.yaml
sed 's/^screening:$/screening:\n  order: priority/' "$rev/protocol.yaml" >p.yaml
mv p.yaml "$rev/protocol.yaml"
grep -q '^  order: priority$' "$rev/protocol.yaml" || fail "protocol.yaml not switched"

l() { lsr -C "$rev" "$@"; }
l dedup --export groups.csv >/dev/null 2>&1
sim() { "$LSR_BUILD/examples/example_reviewer" --truth "$rev/work/truth.tsv" --groups groups.csv "$@"; }

# rounds of 100 for each reviewer (B is handed A's citations: pairs first)
round=0
met=false
while [ "$round" -lt 17 ]; do
	round=$((round + 1))
	for who in A B; do
		run 0 l screen batch --reviewer "simulated-reviewer-$who" --stage title-abstract \
			--size 100 -o "r$round-$who.csv"
		has "$OUT" "priority order"
		run 0 sim fill --batch "r$round-$who.csv" -o "r$round-$who-filled.csv"
		run 0 l screen import "r$round-$who-filled.csv" --reviewer "simulated-reviewer-$who"
	done
	[ "$(cut -d, -f1 "r$round-A.csv")" = "$(cut -d, -f1 "r$round-B.csv")" ] ||
		fail "round $round: A and B were handed different citations"
	run 0 l screen status --json
	cp "$OUT" status.json
	if [ "$round" = 1 ]; then
		# not met yet: a stop is refused and nothing is excluded
		jqcheck status.json '.stopping.met' false
		run 1 l screen stop --recall 0.95 --confidence 0.95
		has "$ERR" "stopping rule not met"
	fi
	met=$(jq -r '.stopping.met' status.json)
	[ "$met" = true ] && break
done
same "$met" "true"
screened=$((round * 100))
jqcheck status.json '[.stopping.screened, .stopping.screened_in_priority_order, .title_abstract.pending]' \
	"[$screened,$screened,$((1747 - screened))]"
# every include of the batch path was found before the stop
jqcheck status.json '.title_abstract.included' 252
jqcheck status.json '.stopping.p < 0.05'
[ "$screened" -lt 1747 ] || fail "the rule saved no screening"

run 0 l screen stop --recall 0.95 --confidence 0.95
has "$OUT" "$((1747 - screened)) citations excluded by automation: not screened: stopping rule (recall ≥ 95%, p = "
run 0 l screen status
has "$OUT" "of the excluded, $((1747 - screened)) not screened: the stopping rule (lsr screen stop)"
has "$OUT" "0 pending, 0 in conflict"

# full texts as run.sh screens them: retrieval, both reviewers, no conflicts
ids=$(l screen fulltext | awk '$2 == "awaiting-retrieval" { print $1 }')
# shellcheck disable=SC2086
run 0 l screen fulltext $ids --retrieved
for who in A B; do
	run 0 l screen batch --reviewer "simulated-reviewer-$who" --stage full-text --size 100000 \
		--seed 1 -o "ft-$who.csv"
	run 0 sim fill --batch "ft-$who.csv" -o "ft-$who-filled.csv"
	run 0 l screen import "ft-$who-filled.csv" --reviewer "simulated-reviewer-$who"
done

run 0 l prisma --json
jqcheck "$OUT" '[.screened, .screen_excluded, .screen_excluded_by_automation, .screen_excluded_by_humans, .screen_pending]' \
	"[1747,1495,$((1747 - screened)),$((1495 - 1747 + screened)),0]"
jqcheck "$OUT" '[.sought, .assessed, .fulltext_excluded_total, .reports_included]' '[252,252,241,11]'
run 0 l prisma
has "$OUT" "excluded by a human"
has "$OUT" "excluded by automation tools (stopping rule)"
run 0 l report -o report
sed 's/<[^>]*>//g' report/index.html >report.txt
has report.txt "was stopped on "
has report.txt "by the statistical stopping rule of Callaghan &amp; M&uuml;ller-Hansen (2020): recall &ge; 95% with 95% confidence, p = "
has report.txt "($screened of 1747 citations screened, 252 includes found)"
has report.txt "by automation tools (n = $((1747 - screened)))"
finish
