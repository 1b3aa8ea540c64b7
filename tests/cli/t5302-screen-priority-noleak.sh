#!/bin/sh
# lsr screen in priority order with two reviewers (issue 13): the order
# served to one reviewer learns from the resolved decisions and their own,
# never from a colleague's unresolved decision.  bob decides the opposite
# of what ann would; ann's order must not move, while bob's own order does
# follow his decisions (so the check can fail), and a resolution does
# reach ann's training labels.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/priority-lib.sh"

cd "$TMP"
run 0 lsr init rev
gen 30 120 1 > recs.nbib
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: no leak
sources:
  - name: PubMed
screening:
  reviewers: 2
  order: priority
  reasons:
    - {code: off-topic, stage: title-abstract}
EOF
run 0 lsr -C rev import recs.nbib --source PubMed
run 0 lsr -C rev dedup

# ann screens a first batch; her order is now a model's
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 20 --seed 1 -o a1.csv
fillr a1.csv a1f.csv
run 0 lsr -C rev screen import a1f.csv --reviewer ann
run 0 lsr -C rev screen rank --reviewer ann --seed 1 --top 200 --json
jqcheck "$OUT" '.model' 'logistic-regression'
jq -c '[.inputs_hash, .labelled, .order]' "$OUT" > ann-before.json

# bob screens 40 citations, deciding the opposite way: his decisions stay
# unresolved (one reviewer of two)
run 0 lsr -C rev screen batch --reviewer bob --stage title-abstract --size 40 --seed 9 -o b1.csv
fillr b1.csv b1f.csv contrary
run 0 lsr -C rev screen import b1f.csv --reviewer bob
run 0 lsr -C rev screen rank --reviewer ann --seed 1 --top 200 --json
jq -c '[.inputs_hash, .labelled, .order]' "$OUT" > ann-after.json
same "$(cat ann-after.json)" "$(cat ann-before.json)"

# bob's own order learns from his decisions: it differs from ann's, with
# the stem-cell citations he excluded last
run 0 lsr -C rev screen rank --reviewer bob --seed 1 --top 200 --json
jqcheck "$OUT" '.labelled' '40'
[ "$(jq -c '.order' "$OUT")" != "$(jq -c '.[2]' ann-after.json)" ] || fail "bob's order is ann's"
first=$(jq -r '.order[0].id' "$OUT")
hasnt "$(sql rev/review.db "SELECT title FROM citation_metadata WHERE id = $first")" "mesenchymal"

# the batch ann gets next: the citations bob already has first (batches
# finish what others started), each group in her order, unmoved by bob
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 10 --seed 1 -o a2.csv
same "$(sed 1d a2.csv | cut -d, -f1)" \
     "$(jq -r '.[2][].id' ann-before.json | while read -r id; do grep -q "^$id," b1.csv && echo "$id"; done | head -10)"

# a resolution is the team's decision: it does train ann's model
c=$(sed -n 2p b1.csv | cut -d, -f1)
run 0 lsr -C rev screen resolve "$c" --verdict exclude --reason off-topic --by carol
run 0 lsr -C rev screen rank --reviewer ann --seed 1 --top 200 --json
labelled=$(jq -r '.[1]' ann-before.json)
if grep -q "^$c," a1.csv; then
	jqcheck "$OUT" '.labelled' "$labelled"
else
	jqcheck "$OUT" '.labelled' "$((labelled + 1))"
fi

finish
