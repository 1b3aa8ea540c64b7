#!/bin/sh
# lsr screen in priority order and the stopping rule (issue 13): the
# protocol keys, the prior order before the first include, the model's
# order after it, byte-for-byte determinism, --explain, the stopping
# figures, a refused stop, a stop and PRISMA's split of the records
# excluded, a later human decision overriding the stop, an update after
# the stop, and the random stopping sample.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/priority-lib.sh"

cd "$TMP"
run 0 lsr init rev
mkdir rev/exports
gen 40 160 1 > rev/exports/pm-1.nbib
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: priority test
sources:
  - name: PubMed
    files: [exports/pm-*.nbib]
screening:
  reviewers: 1
  order: priority
  priority:
    retrain_every: 10
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, stage: full-text}
  rules:
    - name: veterans
      reason: off-topic
      match: '\bveterans\b'
EOF
run 0 lsr -C rev import rev/exports/pm-1.nbib --source PubMed
run 0 lsr -C rev dedup
same "$(sql rev/review.db 'SELECT count(*) FROM live_citations')" "200"

# ---- the protocol keys ----------------------------------------------------
mkdir bad
cp rev/review.db bad/
sed 's/order: priority/order: ranked/' rev/protocol.yaml > bad/protocol.yaml
run 3 lsr -C bad screen status
has "$ERR" "screening.order: expected random or priority, not 'ranked'"
sed 's/retrain_every: 10/retrain_every: 0/' rev/protocol.yaml > bad/protocol.yaml
run 3 lsr -C bad screen status
has "$ERR" "screening.priority.retrain_every: expected at least 1"
run 2 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 5 --order best
same "$(head -1 "$ERR")" "lsr screen: error: --order takes random or priority, not 'best'"

# ---- before the first include: the rules' suggestions last, then the seed
run 0 lsr -C rev screen rules
run 0 lsr -C rev screen rank --reviewer ann --seed 5 --top 200 --json
jqcheck "$OUT" '{model, labelled, includes, candidates}' '{"model":"prior","labelled":0,"includes":0,"candidates":200}'
nvet=$(sql rev/review.db "SELECT count(*) FROM screen_hits WHERE rule = 'veterans'")
[ "$nvet" -gt 5 ] || fail "expected some citations about veterans, got $nvet"
same "$(jq -r ".order[-$nvet:][].id" "$OUT" | sort -n)" \
     "$(sql rev/review.db "SELECT citation_id FROM screen_hits WHERE rule = 'veterans' ORDER BY 1")"

# ---- determinism: the same decisions and seed give the same batch --------
rm -f rev/review.db-wal rev/review.db-shm
cp -r rev rev2
for r in rev rev2; do
	run 0 lsr -C $r screen batch --reviewer ann --stage title-abstract --size 20 --seed 5 -o $r-b1.csv
done
same "$(cat "$OUT")" "batch 1: 20 citations for ann at title-abstract (seed 5, priority order) in rev2-b1.csv"
cmp -s rev-b1.csv rev2-b1.csv || fail "the first batches differ"
# the prior order: the first batch is the head of the order shown above
same "$(sed 1d rev-b1.csv | cut -d, -f1)" "$(lsr -C rev2 screen rank --reviewer ann --seed 5 --top 20 --json | jq -r '.order[].id')"
for r in rev rev2; do
	fillr $r-b1.csv $r-b1f.csv
	run 0 lsr -C $r screen import $r-b1f.csv --reviewer ann
	run 0 lsr -C $r screen batch --reviewer ann --stage title-abstract --size 20 --seed 5 -o $r-b2.csv
done
cmp -s rev-b2.csv rev2-b2.csv || fail "the second batches (model order) differ"
run 0 lsr -C rev screen rank --reviewer ann --seed 5 --top 200 --json
cp "$OUT" rank1.json
run 0 lsr -C rev2 screen rank --reviewer ann --seed 5 --top 200 --json
same "$(jq -c '[.inputs_hash, .order]' "$OUT")" "$(jq -c '[.inputs_hash, .order]' rank1.json)"
jqcheck "$OUT" '.model' 'logistic-regression'
same "$(sql rev/review.db "SELECT model, library, labelled, includes FROM screen_rankings ORDER BY id DESC LIMIT 1")" \
     "logistic-regression|liblinear 230|20|$(grep -c mesenchymal rev-b1f.csv)"
# each handed-out citation records the ranking it came from
same "$(sql rev/review.db "SELECT count(*), count(DISTINCT ranking_id), min(position) FROM screen_rank_handouts WHERE batch_id = 2")" "20|1|1"

# the model puts the stem-cell citations first
same "$(sed 1d rev-b2.csv | grep -c mesenchymal)" "20"

# ---- explain -------------------------------------------------------------
top=$(sed -n 2p rev-b2.csv | cut -d, -f1)
run 0 lsr -C rev screen rank --reviewer ann --explain "$top"
has "$OUT" "citation $top: "
has "$OUT" "terms pushing it up:"
has "$OUT" "  +"
has "$OUT" "mesenchymal"
run 0 lsr -C rev screen rank --reviewer ann --explain "$top" --json
jqcheck "$OUT" '.explain.score > 0 and (.explain.up | length) > 0 and (.explain.up[0].contribution > 0)'

# ---- a stop refused with the numbers, nothing stored ------------------------
fillr rev-b2.csv rev-b2f.csv
run 0 lsr -C rev screen import rev-b2f.csv --reviewer ann
run 0 lsr -C rev screen status --json
jqcheck "$OUT" '.stopping | {screened, population, screened_in_priority_order, met}' \
  '{"screened":40,"population":200,"screened_in_priority_order":40,"met":false}'
run 1 lsr -C rev screen stop --recall 0.95 --confidence 0.95
has "$ERR" "lsr screen: error: stopping rule not met: p = "
has "$ERR" "(recall >= 95%, 40 of 200 citations screened, "
same "$(sql rev/review.db 'SELECT count(*) FROM screen_stops')" "0"
run 2 lsr -C rev screen stop --recall 0.95
has "$ERR" "stop needs --recall R and --confidence C"
run 2 lsr -C rev screen stop --recall 1.5 --confidence 0.95
same "$(head -1 "$ERR")" "lsr screen: error: --recall 1.5 is not in (0, 1]"

# ---- screen until the rule is met ------------------------------------------
n=2
while ! lsr -C rev screen status --json | jq -e '.stopping.met' >/dev/null; do
	n=$((n + 1))
	[ $n -le 10 ] || { fail "the stopping rule never passed"; break; }
	run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 20 --seed 5 -o b$n.csv
	fillr b$n.csv b${n}f.csv
	run 0 lsr -C rev screen import b${n}f.csv --reviewer ann
done
run 0 lsr -C rev screen status
has "$OUT" "stopping rule (recall >= 95%, confidence 95%): "
has "$OUT" "met (lsr screen stop may exclude the rest)"
screened=$(sql rev/review.db "SELECT count(*) FROM screen_ta_status WHERE decided_by = 'reviewers'")
found=$(sql rev/review.db "SELECT count(*) FROM screen_ta_status WHERE status = 'included'")
same "$found" "40"
run 0 lsr -C rev screen stop --recall 0.95 --confidence 0.95 --json
jqcheck "$OUT" "{excluded, screened, population}" "{\"excluded\":$((200 - screened)),\"screened\":$screened,\"population\":200}"
jqcheck "$OUT" '.reason | test("^not screened: stopping rule \\(recall ≥ 95%, p = 0\\.0[0-9]+\\)$")'
same "$(sql rev/review.db "SELECT count(*) FROM screen_ta_status WHERE decided_by = 'stopping-rule' AND status = 'excluded' AND reason LIKE 'not screened: stopping rule (recall ≥ 95%, p = %'")" \
     "$((200 - screened))"
same "$(sql rev/review.db "SELECT count(*) FROM screen_ta_status WHERE status = 'pending'")" "0"
status_as_views rev

# ---- PRISMA: excluded at screening, by a human and by automation tools --------
run 0 lsr -C rev prisma --json
jqcheck "$OUT" '{screened, screen_excluded, screen_excluded_by_humans, screen_excluded_by_automation, automation_excluded}' \
  "{\"screened\":200,\"screen_excluded\":160,\"screen_excluded_by_humans\":$((screened - 40)),\"screen_excluded_by_automation\":$((200 - screened)),\"automation_excluded\":0}"
run 0 lsr -C rev prisma
has "$OUT" "    excluded by automation tools (stopping rule)   $(printf %7d $((200 - screened)))"

# the report's methods state the rule, its parameters and the p-value
run 0 lsr -C rev report -o rep
has rep/index.html "was stopped on "
has rep/index.html "by the statistical stopping rule of Callaghan &amp; M&uuml;ller-Hansen (2020): recall &ge; 95% with 95% confidence, p = 0.0"
has rep/index.html "($screened of 200 citations screened, 40 includes found); the $((200 - screened)) citations not screened were excluded by automation."

# ---- a later human decision overrides the stop ---------------------------------
late=$(sql rev/review.db "SELECT min(citation_id) FROM screen_stop_citations")
run 0 lsr -C rev screen resolve "$late" --verdict include --stage title-abstract --by carol
same "$(sql rev/review.db "SELECT status, decided_by FROM screen_ta_status WHERE citation_id = $late")" "included|resolution"
run 0 lsr -C rev prisma --json
jqcheck "$OUT" '.screen_excluded_by_automation' "$((199 - screened))"

# ---- an update after the stop: its new citations are screened afresh -----------
gen 5 10 301 > rev/exports/pm-2.nbib
run 0 lsr -C rev update
same "$(sql rev/review.db "SELECT count(*) FROM screen_ta_status WHERE status = 'pending'")" "15"
same "$(sql rev/review.db "SELECT count(*) FROM screen_ta_status WHERE decided_by = 'stopping-rule'")" "$((199 - screened))"

# ---- the random stopping sample ------------------------------------------------
run 2 lsr -C rev screen batch --reviewer ann --stage title-abstract --stopping-sample 5 --size 5
same "$(head -1 "$ERR")" "lsr screen: error: --stopping-sample N is the batch's size: leave out --size"
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --stopping-sample 5 --seed 2 -o s.csv
has "$OUT" "(seed 2, stopping sample) in s.csv"
same "$(sql rev/review.db "SELECT count(*), count(ranking_id) FROM screen_rank_handouts WHERE kind = 'stopping-sample'")" "5|0"
same "$(sql rev/review.db "SELECT population, found_before FROM screen_stopping_samples")" "15|41"
run 0 lsr -C rev screen status --json
jqcheck "$OUT" '.stopping.sample | {size, population, undecided, p}' '{"size":5,"population":15,"undecided":5,"p":null}'
run 1 lsr -C rev screen stop --recall 0.95 --confidence 0.95 --sample
same "$(cat "$ERR")" "lsr screen: error: stopping rule not applied: the stopping sample is not screened to the end yet"
fillr s.csv sf.csv
run 0 lsr -C rev screen import sf.csv --reviewer ann
run 0 lsr -C rev screen status --json
k=$(grep -c mesenchymal sf.csv || true)
jqcheck "$OUT" '.stopping.sample | {undecided, includes}' "{\"undecided\":0,\"includes\":$k}"
jqcheck "$OUT" '.stopping.sample.p | type' 'number'

finish
