#!/bin/sh
# lsr dedup: the rules - case, spelling and page formats merge; conflicting
# DOIs, an erratum, a comment, a retraction notice and a conference
# abstract of the same title stay apart; an uncertain pair is queued;
# the export has the header and rows specified.
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")" && pwd)/t2001

cd "$TMP"
run 0 lsr init rev
run 0 lsr -C rev import "$D/pubmed.ris" --source PubMed
run 0 lsr -C rev import "$D/embase.ris" --source Embase
run 0 lsr -C rev dedup --export out.csv
same "$OUT" "10 records in 9 citations: 1 duplicates removed
this run: 10 new records, 12 comparisons, 1 links, 9 new citations, 0 citations merged
2 uncertain pairs wait for a decision: 'lsr dedup queue'
wrote out.csv"

# export: exactly the specified header, one row per record
same "$(head -1 out.csv)" "source,source_id,group,rule,score"
same "$(wc -l < out.csv | tr -d ' ')" "11"
g111=$(grep '^PubMed,111,' out.csv | cut -d, -f3)
same "$(grep '^Embase,E1,' out.csv | cut -d, -f3)" "$g111"
has out.csv "Embase,E1,$g111,fields,"
# nothing else shares a group
same "$(cut -d, -f3 out.csv | sort | uniq -d)" "$g111"

# conflicting DOIs (same title, authors, journal, pages) never merge; as
# all else agrees, one DOI may be a typo: the pair waits in the queue
same "$(grep '^PubMed,113,' out.csv | cut -d, -f3,4)" "$(grep '^PubMed,113,' out.csv | cut -d, -f3),unique"
[ "$(grep '^PubMed,113,' out.csv | cut -d, -f3)" != "$(grep '^Embase,E2,' out.csv | cut -d, -f3)" ] ||
	fail "records with different DOIs were merged"
# erratum, comment, conference abstract, retraction notice apart
for id in PubMed,112 PubMed,114 Embase,E3 Embase,E4; do
	[ "$(grep "^$id," out.csv | cut -d, -f3)" != "$g111" ] || fail "$id merged with the article"
	has out.csv "$id,"
done

# the citation's merged metadata: the representative's, gaps filled
same "$(sql rev/review.db "SELECT representative_id, doi, pages, year FROM citation_metadata WHERE id = $g111")" \
     "1|10.1000/x1|112-120|2018"

# the uncertain pairs: the DOI conflict, and the same title and author
# with other pages and nothing else
run 0 lsr -C rev dedup queue
has "$OUT" "pair 1: records 3 and 7 (citations 3 and 6), doi-conflict"
has "$OUT" "pair 2: records 5 and 10"
has "$OUT" "fields, score 3.00"
run 0 lsr -C rev dedup queue --json
jqcheck "$OUT" 'select(.pair == 1) | {record_a, record_b, citation_a, citation_b, rule}' '{"record_a":3,"record_b":7,"citation_a":3,"citation_b":6,"rule":"doi-conflict"}'
jqcheck "$OUT" 'select(.pair == 2) | {record_a, record_b}' '{"record_a":5,"record_b":10}'
jqcheck "$OUT" 'select(.pair == 2) | .scores.pages' different

# explain shows pass, rule and per-field scores
run 0 lsr -C rev dedup explain "$g111"
has "$OUT" "citation $g111: 2 records, representative record 1"
has "$OUT" "record 6      Embase       E1             fields/fields 6.25"
has "$OUT" '"title":0.988,"authors":1,"first_author":"same","year_diff":1,"journal":"abbreviation","volume":"same","issue":null,"pages":"same"'
run 0 lsr -C rev dedup explain 6 --record --json
jqcheck "$OUT" .citation "$g111"
jqcheck "$OUT" '.members[] | select(.record == 6) | .rule' fields

# a second run with nothing new changes nothing
run 0 lsr -C rev dedup --export out2.csv
has "$OUT" "this run: 0 new records, 0 comparisons, 0 links, 0 new citations, 0 citations merged"
same "$(cat out2.csv)" "$(cat out.csv)"

# the export on stdout: the summary goes to stderr
run 0 lsr -C rev dedup --export -
same "$(cat "$OUT")" "$(cat out.csv)"
has "$ERR" "10 records in 9 citations: 1 duplicates removed"
run 2 lsr -C rev dedup --export - --json
has "$ERR" "lsr dedup: error: --json and --export - would both write to stdout"

# status: records identified and duplicates removed per source
run 0 lsr -C rev status
has "$OUT" "PubMed                             database         5 records"
has "$OUT" "Embase                             database         5 records, 1 duplicates removed"
has "$OUT" "duplicates removed: 1 (9 citations)"
run 0 lsr -C rev status --json
jqcheck "$OUT" '{duplicates_removed, citations}' '{"duplicates_removed":1,"citations":9}'
finish
