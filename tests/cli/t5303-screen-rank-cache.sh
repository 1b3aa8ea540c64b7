#!/bin/sh
# lsr screen rank through the feature cache (issue 13, speed;
# screen/rank_cache.c, table screen_rank_features): the order, scores and
# inputs hash are the same, byte for byte, with the cache cold, warm, and
# after a merge changed a citation's text (only that citation is
# tokenised again); the rows of citations merged away are deleted; a
# damaged row whose text was let go is made again from the text read anew.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/priority-lib.sh"

cd "$TMP"
run 0 lsr init rev
mkdir rev/exports
gen 20 80 1 > rev/exports/pm-1.nbib
priority_protocol rev "rank cache test" "[exports/pm-*.nbib]"
run 0 lsr -C rev import rev/exports/pm-1.nbib --source PubMed
run 0 lsr -C rev dedup
same "$(sql rev/review.db 'SELECT count(*) FROM live_citations')" "100"
# a few resolutions to learn from: stem-cell citations in, others out
for id in $(sql rev/review.db "SELECT id FROM citation_metadata WHERE title LIKE '%mesenchymal%' ORDER BY id LIMIT 3"); do
	run 0 lsr -C rev screen resolve "$id" --verdict include --stage title-abstract --by carol
done
for id in $(sql rev/review.db "SELECT id FROM citation_metadata WHERE title NOT LIKE '%mesenchymal%' ORDER BY id LIMIT 6"); do
	run 0 lsr -C rev screen resolve "$id" --verdict exclude --reason off-topic --stage title-abstract --by carol
done

# the ranking as stored: positions, ids and scores to the last bit
items() {
	sql "$1" "SELECT position, citation_id, printf('%!.17g', score) FROM screen_ranking_items
	          WHERE ranking_id = $2 ORDER BY position"
}
rank() {
	run 0 lsr -C "$1" screen rank --reviewer ann --seed 3 --top 100 --json
	jq -c 'del(.ranking)' "$OUT" > "$2"
}

# ---- cold: every live citation tokenised and kept --------------------------
same "$(sql rev/review.db 'SELECT count(*) FROM screen_rank_features')" "0"
rank rev cold.json
jqcheck "$OUT" '{model, candidates}' '{"model":"logistic-regression","candidates":91}'
same "$(sql rev/review.db 'SELECT count(*), sum(terms > 0) FROM screen_rank_features')" "100|100"
sql rev/review.db 'SELECT citation_id, text_hash, params FROM screen_rank_features ORDER BY 1' > keys1

# ---- warm: the same ranking, nothing made again ----------------------------
rank rev warm.json
cmp -s cold.json warm.json || fail "the warm ranking differs from the cold one"
same "$(items rev/review.db 2)" "$(items rev/review.db 1)"
same "$(sql rev/review.db 'SELECT citation_id, text_hash, params FROM screen_rank_features ORDER BY 1')" "$(cat keys1)"

# ---- the same review without the cache's rows: the same ranking ------------
rm -f rev/review.db-wal rev/review.db-shm
cp -r rev nocache
sql nocache/review.db 'DELETE FROM screen_rank_features' >/dev/null
rank nocache nocache.json
cmp -s cold.json nocache.json || fail "the ranking without the cache differs"
same "$(items nocache/review.db 3)" "$(items rev/review.db 1)"

# ---- a damaged row whose text hash is current: every text read again ------
# a warm ranking holds only the abstracts the cache lacks; a row it then
# cannot unpack sends it back to read every text: the same ranking, the
# row made again
rm -f rev/review.db-wal rev/review.db-shm
cp -r rev damaged
victim=$(sql damaged/review.db 'SELECT citation_id FROM screen_rank_features ORDER BY 1 LIMIT 1 OFFSET 40')
sql damaged/review.db "UPDATE screen_rank_features SET data = x'05ff' WHERE citation_id = $victim" >/dev/null
rank damaged damaged.json
cmp -s cold.json damaged.json || fail "with a damaged cache row the ranking differs"
same "$(sql damaged/review.db 'SELECT citation_id, text_hash, params FROM screen_rank_features ORDER BY 1')" "$(cat keys1)"
same "$(sql damaged/review.db "SELECT hex(data) <> '05FF' FROM screen_rank_features WHERE citation_id = $victim")" "1"

# ---- a merge changes a citation's text: it alone is tokenised again --------
# a second record of PMID 100005 with a longer abstract, merged by dedup
target=$(sql rev/review.db "SELECT c.id FROM citation_metadata c WHERE c.title LIKE '%(5)'")
[ -n "$target" ] || fail "no citation of PMID 100005"
gen 20 80 1 | awk 'BEGIN { RS = ""; ORS = "\n\n" } /PMID- 100005\n/' |
	sed 's/^AB  - \(.*\)$/AB  - \1 Longer abstract: cartilage volume on magnetic resonance imaging improved with mesenchymal cells./' > rev/exports/pm-2.nbib
has rev/exports/pm-2.nbib "Longer abstract"
run 0 lsr -C rev import rev/exports/pm-2.nbib --source PubMed
run 0 lsr -C rev dedup
same "$(sql rev/review.db 'SELECT count(*) FROM live_citations')" "100"
now=$(sql rev/review.db "SELECT c.id FROM citation_metadata c WHERE c.abstract LIKE '%Longer abstract%'")
[ -n "$now" ] || fail "the merge did not bring the longer abstract"
rm -f rev/review.db-wal rev/review.db-shm
cp -r rev cold2
sql cold2/review.db 'DELETE FROM screen_rank_features' >/dev/null
rank rev stale.json
rank cold2 cold2.json
cmp -s stale.json cold2.json || fail "after the merge, cached and uncached rankings differ"
same "$(items rev/review.db 4)" "$(items cold2/review.db 4)"
jqcheck stale.json '.inputs_hash != '"$(jq .inputs_hash cold.json)"
# exactly the merged citation's row changed (or moved to its new id)
sql rev/review.db 'SELECT citation_id, text_hash, params FROM screen_rank_features ORDER BY 1' > keys2
same "$(sql rev/review.db 'SELECT count(*) FROM screen_rank_features')" "100"
same "$(sort keys1 keys2 | uniq -u | cut -d'|' -f1 | sort -u | tr '\n' ' ')" \
     "$(printf '%s\n%s\n' "$target" "$now" | sort -u | tr '\n' ' ')"

finish
