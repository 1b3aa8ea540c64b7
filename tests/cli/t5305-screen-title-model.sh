#!/bin/sh
# Citations without an abstract in priority order (issue 13): a ranking
# scores them with the mean of the full model and the title model (titles
# and keywords of the citations trained on), records that it did, and
# --explain says so and lists both models' terms (adding up to the score);
# a relevant title without an abstract comes before every irrelevant
# citation.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/priority-lib.sh"

cd "$TMP"
run 0 lsr init rev
gen 30 120 1 > rev/pm-1.nbib
# two relevant titles and three irrelevant ones, none with an abstract
awk 'BEGIN {
  split("adipose synovial", s, " ")
  for (i = 1; i <= 2; i++)
    printf "PMID- %d\nTI  - %s mesenchymal stem cells for knee osteoarthritis: a pilot (%d)\nAU  - Lee A\nDP  - 2019\nTA  - J Test 9\nLA  - eng\nPT  - Journal Article\n\n", 900000 + i, s[i], i
  split("statins inhalers vaccines", t, " "); split("cardiology asthma influenza", u, " ")
  for (i = 1; i <= 3; i++)
    printf "PMID- %d\nTI  - %s for %s in adults: an audit (%d)\nAU  - Kim B\nDP  - 2018\nTA  - J Test 8\nLA  - eng\nPT  - Journal Article\n\n", 900010 + i, t[i], u[i], i
}' > rev/pm-2.nbib
priority_protocol rev "title model test"
run 0 lsr -C rev import rev/pm-1.nbib --source PubMed
run 0 lsr -C rev dedup
same "$(sql rev/review.db "SELECT count(*) FROM live_citations")" "150"

# the first batch (the prior order) screened by the oracle, then the
# titles without an abstract arrive (none of them screened)
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 40 --seed 3 -o b1.csv
fillr b1.csv b1f.csv
run 0 lsr -C rev screen import b1f.csv --reviewer ann
run 0 lsr -C rev import rev/pm-2.nbib --source PubMed
run 0 lsr -C rev dedup
same "$(sql rev/review.db "SELECT count(*) FROM live_citations")" "155"

run 0 lsr -C rev screen rank --reviewer ann --seed 3 --top 200 --json
cp "$OUT" rank.json
jqcheck rank.json '.model' 'logistic-regression'
same "$(sql rev/review.db "SELECT json_extract(params, '\$.model.no_abstract') FROM screen_rankings ORDER BY id DESC LIMIT 1")" \
     "mean with the title model"
# ids of the citations without an abstract, relevant and not
rel=$(sql rev/review.db "SELECT id FROM citation_metadata WHERE title LIKE '%: a pilot (%' AND coalesce(abstract, '') = '' ORDER BY 1")
irr=$(sql rev/review.db "SELECT id FROM citation_metadata WHERE title LIKE '%: an audit (%' AND coalesce(abstract, '') = '' ORDER BY 1")
same "$(echo "$rel" | wc -l) $(echo "$irr" | wc -l)" "2 3"
# the relevant ones before every candidate that is not about stem cells
nrel=$(jq '[.order[] | .id] | length' rank.json)
for id in $rel; do
	pos=$(jq ".order[] | select(.id == $id) | .position" rank.json)
	first_irr=$(jq -r '.order[].id' rank.json | while read -r c; do
		t=$(sql rev/review.db "SELECT title FROM citation_metadata WHERE id = $c")
		case "$t" in *mesenchymal*) ;; *) echo "$c"; break ;; esac
	done)
	ipos=$(jq ".order[] | select(.id == $first_irr) | .position" rank.json)
	[ "$pos" -lt "$ipos" ] || fail "citation $id (no abstract, relevant title) at $pos, after an irrelevant one at $ipos of $nrel"
	run 0 lsr -C rev screen rank --reviewer ann --seed 3 --explain "$id" --json
	jqcheck "$OUT" '.explain.model' 'mean'
	jqcheck "$OUT" '.explain.score == ([.order[] | select(.id == '"$id"') | .score][0])'
	jqcheck "$OUT" '[.explain.up[].term] | (index("mesenchymal") != null and index("[title model] mesenchymal") != null)'
	jqcheck "$OUT" '(.explain.score - .explain.bias - ([.explain.up[], .explain.down[] | .contribution] | add)) | fabs < 1e-9'
done
for id in $irr; do
	run 0 lsr -C rev screen rank --reviewer ann --seed 3 --explain "$id" --json
	jqcheck "$OUT" '.explain.model' 'mean'
	jqcheck "$OUT" '[.explain.up[], .explain.down[] | select(.term == "[title model] (no abstract)")] | length' 1
done
one=$(echo "$rel" | head -1)
run 0 lsr -C rev screen rank --reviewer ann --seed 3 --explain "$one"
has "$OUT" "no abstract: the mean of the full model and the title model"
# a citation with an abstract: the full model
top=$(jq -r --argjson no "[$(echo $rel | tr ' ' ,)]" '[.order[] | select(.id as $i | $no | index($i) | not)][0].id' rank.json)
run 0 lsr -C rev screen rank --reviewer ann --seed 3 --explain "$top" --json
jqcheck "$OUT" '.explain.model' 'full'
jqcheck "$OUT" '(.explain.score - .explain.bias - ([.explain.up[], .explain.down[] | .contribution] | add)) | fabs < 1e-9'
run 0 lsr -C rev screen rank --reviewer ann --seed 3 --explain "$top"
hasnt "$OUT" "title model"
finish
