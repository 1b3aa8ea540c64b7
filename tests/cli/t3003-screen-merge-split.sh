#!/bin/sh
# Screening decisions across deduplication's merges and splits: two merged
# citations that carry differing decisions become a conflict to resolve
# (never a silent choice); agreeing or one-sided decisions are carried;
# the parts of a split keep the decisions made on the whole, flagged for a
# second look.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
rec() { # rec TITLE AUTHOR YEAR [DOI]
	printf 'TY  - JOUR\nTI  - %s\nAU  - %s\nPY  - %s\nJO  - Journal %s\n' "$1" "$2" "$3" "$2"
	[ -n "${4:-}" ] && printf 'DO  - %s\n' "$4"
	printf 'AB  - About %s.\nER  - \n\n' "$1"
}
{
	rec "Cell therapy in cirrhosis: first trial" "Able, A" 2011
	rec "Hepatocyte transplantation outcomes in children" "Baker, B" 2012
	rec "Umbilical cord cells for liver failure" "Cole, C" 2013
	rec "Bone marrow infusion and albumin levels" "Dunn, D" 2014
	rec "Portal vein delivery of stromal cells" "Earl, E" 2015 10.1000/five
	rec "Portal vein delivery of stromal cells" "Earl, E" 2015 10.1000/five
	rec "Long-term survival after cell infusion" "Fox, F" 2016
	rec "Growth factors in fibrosis regression" "Gray, G" 2017
} > recs.ris
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: merges and splits
sources:
  - name: PubMed
screening:
  reviewers: 2
  reasons:
    - {code: off-topic, stage: title-abstract}
EOF
run 0 lsr -C rev import recs.ris --source PubMed
run 0 lsr -C rev dedup
cit() { sql rev/review.db "SELECT citation_id FROM citation_members WHERE record_id = $1"; }
same "$(sql rev/review.db 'SELECT count(*) FROM live_citations')" "7"
[ "$(cit 5)" = "$(cit 6)" ] || fail "records 5 and 6 are not one citation"

# both reviewers screen everything except record 8's citation
for w in ann ben; do
	run 0 lsr -C rev screen batch --reviewer $w --stage title-abstract --size 100 --seed 1 -o $w.csv
done
c1=$(cit 1) c2=$(cit 2) c3=$(cit 3) c4=$(cit 4) c5=$(cit 5) c7=$(cit 7) c8=$(cit 8)
decide() { # decide FILE OUT: 2 is off-topic for both, 8 left blank
	awk -F, -v OFS=, -v c2="$c2" -v c8="$c8" 'NR == 1 { print; next }
		$1 == c2 { $(NF-6) = "exclude"; $(NF-5) = "off-topic" } $1 != c2 && $1 != c8 { $(NF-6) = "include" } { print }' "$1" > "$2"
}
decide ann.csv ann-done.csv
decide ben.csv ben-done.csv
run 0 lsr -C rev screen import ann-done.csv --reviewer ann
run 0 lsr -C rev screen import ben-done.csv --reviewer ben
same "$(sql rev/review.db "SELECT status FROM screen_ta_status WHERE citation_id IN ($c1, $c2, $c8) ORDER BY citation_id")" "included
excluded
pending"

# merge of an included and an excluded citation: a conflict, not a choice
run 0 lsr -C rev dedup decide 1,2 same --by Cy
kept=$(cit 1)
[ "$(cit 2)" = "$kept" ] || fail "records 1 and 2 were not merged"
other=$c1
[ "$kept" = "$c1" ] && other=$c2
same "$(sql rev/review.db "SELECT status, conflict FROM screen_ta_status WHERE citation_id = $kept")" "conflict|merge"
same "$(sql rev/review.db "SELECT kind, other_id FROM screen_flags WHERE citation_id = $kept")" "merge-conflict|$other"
run 0 lsr -C rev screen conflicts
has "$OUT" "title-abstract merge"
has "$OUT" "(merged citations carried differing decisions)"
run 0 lsr -C rev screen conflicts --json
jqcheck "$OUT" 'select(.kind == "merge") | .flag.kept.citation' "$kept"
# a decision on the retired citation's id reaches the merged one
run 0 lsr -C rev screen resolve "$other" --verdict include --by Cy
same "$(cat "$OUT")" "citation $other: title-abstract resolved: include by Cy"
same "$(sql rev/review.db "SELECT status, decided_by FROM screen_ta_status WHERE citation_id = $kept")" "included|resolution"
# the decisions of both stay in the history
same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions WHERE citation_id IN ($c1, $c2) AND kind = 'review'")" "4"

# merge of two citations both included: no conflict, still included
run 0 lsr -C rev dedup decide 3,4 same --by Cy
k34=$(cit 3)
same "$(sql rev/review.db "SELECT status, coalesce(conflict, '-') FROM screen_ta_status WHERE citation_id = $k34")" "included|-"
same "$(sql rev/review.db "SELECT count(*) FROM screen_flags WHERE citation_id = $k34")" "0"

# merge of a decided citation with an undecided one: the decisions carry
run 0 lsr -C rev dedup decide 7,8 same --by Cy
k78=$(cit 7)
same "$(sql rev/review.db "SELECT status FROM screen_ta_status WHERE citation_id = $k78")" "included"
same "$(sql rev/review.db "SELECT count(*) FROM screen_current WHERE citation_id = $k78 AND stage = 'title-abstract'")" "2"

# split: each part keeps the decisions, flagged for a second look
run 0 lsr -C rev dedup split "$c5" 6 --by Cy
p6=$(cit 6)
[ "$p6" != "$c5" ] || fail "the split made no new citation"
same "$(sql rev/review.db "SELECT citation_id, status FROM screen_ta_status WHERE citation_id IN ($c5, $p6) ORDER BY 1")" "$c5|included
$p6|included"
same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions WHERE citation_id = $p6 AND carried_from IS NOT NULL")" "2"
run 0 lsr -C rev screen conflicts
has "$OUT" "title-abstract split"
has "$OUT" "(split from another citation: decisions carried over)"
run 0 lsr -C rev screen status --json
jqcheck "$OUT" .second_looks 2
run 0 lsr -C rev screen explain "$p6"
has "$OUT" "flag: split at title-abstract, citation $c5 (open)"
has "$OUT" "[carried from decision"
# the second look: a decision after the flag answers it
run 0 lsr -C rev screen resolve "$p6" --verdict exclude --reason off-topic --by Cy
run 0 lsr -C rev screen resolve "$c5" --verdict include --by Cy
run 0 lsr -C rev screen conflicts
same "$(cat "$OUT")" ""
same "$(sql rev/review.db "SELECT status FROM screen_ta_status WHERE citation_id = $p6")" "excluded"
# kappa is computed on the reviewers' own decisions, not on the copies
run 0 lsr -C rev screen status --json
jqcheck "$OUT" '.agreement[0] | {reviewers, n, percent_agreement}' '{"reviewers":["ann","ben"],"n":6,"percent_agreement":100}'
# a split's second look among the status figures
status_as_views rev
finish
