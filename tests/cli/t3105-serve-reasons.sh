#!/bin/sh
# screening.reasons_required_at and screening.reason_conflicts (issue 12):
# by default two title-abstract excludes with different reasons exclude
# the citation with the first reviewer's reason, both through batch files
# and through lsr serve; reason_conflicts: true makes them a conflict
# again; at full text they always are.  reasons_required_at makes a reason
# mandatory at title-abstract, on both paths.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"
serve_review rev 6

# ---- batch files: alice and bob exclude 3 for different reasons -----------
for r in alice bob; do
	run 0 lsr -C rev screen batch --reviewer $r --stage title-abstract --size 6 -o $r.csv
done
cat > alice-done.csv <<'CSV'
id,verdict,reason,stage,reviewer
3,exclude,off-topic,title-abstract,alice
4,exclude,off-topic,title-abstract,alice
5,include,,title-abstract,alice
CSV
cat > bob-done.csv <<'CSV'
id,verdict,reason,stage,reviewer
3,exclude,animal,title-abstract,bob
4,exclude,off-topic,title-abstract,bob
5,include,,title-abstract,bob
CSV
run 0 lsr -C rev screen import alice-done.csv --reviewer alice
run 0 lsr -C rev screen import bob-done.csv --reviewer bob
same "$(sql rev/review.db "SELECT citation_id, status, reason, decided_by, coalesce(conflict, '-') FROM screen_ta_status WHERE citation_id IN (3, 4, 5) ORDER BY 1")" \
"3|excluded|off-topic|reviewers|-
4|excluded|off-topic|reviewers|-
5|included||reviewers|-"
run 0 lsr -C rev screen status --json
jqcheck "$OUT" '.title_abstract.conflicts' '0'
run 0 lsr -C rev prisma --json
jqcheck "$OUT" '.screen_excluded' '2'
cp "$OUT" prisma-default

# the protocol says otherwise: the next command that reads it stores it
sed -i 's/^  reviewers: 2$/  reviewers: 2\n  reason_conflicts: true/' rev/protocol.yaml
run 0 lsr -C rev screen status --json
jqcheck "$OUT" '.title_abstract.conflicts' '1'
same "$(sql rev/review.db "SELECT value FROM screen_settings WHERE key = 'reason_conflicts'")" "true"
same "$(sql rev/review.db "SELECT citation_id, status, coalesce(reason, '-'), conflict FROM screen_ta_status WHERE citation_id = 3")" \
	"3|conflict|-|reason"
sed -i '/reason_conflicts: true/d' rev/protocol.yaml
run 0 lsr -C rev prisma --json
jq -S . "$OUT" > p1
jq -S . prisma-default > p2
cmp -s p1 p2 || fail "PRISMA changed after reason_conflicts went back to false"
same "$(sql rev/review.db "SELECT value FROM screen_settings WHERE key = 'reason_conflicts'")" "false"

# ---- the same through lsr serve -------------------------------------------
serve_review srv 6
serve_start srv
serve_login srv alice
serve_login srv bob
a=$(next_id alice)
b=$(next_id bob)
same "$b" "$a"
api alice POST /api/decision "{\"citation\": $a, \"verdict\": \"exclude\", \"reason\": \"animal\"}"
same "$CODE" "200"
api bob POST /api/decision "{\"citation\": $a, \"verdict\": \"exclude\", \"reason\": \"off-topic\"}"
same "$CODE" "200"
same "$(sql srv/review.db "SELECT status, reason FROM screen_ta_status WHERE citation_id = $a")" "excluded|animal"
serve_stop

# ---- full text: different reasons are a conflict ---------------------------
run 0 lsr -C rev screen fulltext 5 --retrieved
cat > ft.csv <<'CSV'
id,verdict,reason,stage,reviewer
5,exclude,abstract-only,full-text,alice
CSV
sed -i 's/^    - {code: abstract-only.*/&\n    - {code: no-outcome, label: No outcome, stage: full-text}/' rev/protocol.yaml
for r in alice bob; do
	run 0 lsr -C rev screen batch --reviewer $r --stage full-text --size 5 -o ft-$r.csv
done
run 0 lsr -C rev screen import ft.csv --reviewer alice
sed 's/abstract-only,full-text,alice/no-outcome,full-text,bob/' ft.csv > ft-bob.csv
run 0 lsr -C rev screen import ft-bob.csv --reviewer bob
same "$(sql rev/review.db "SELECT status, conflict FROM screen_ft_status WHERE citation_id = 5")" "conflict|reason"

# ---- reasons_required_at ---------------------------------------------------
sed -i 's/^  reviewers: 2$/  reviewers: 2\n  reasons_required_at: [title-abstract, full-text]/' rev/protocol.yaml
printf 'id,verdict,reason,stage,reviewer\n6,exclude,,title-abstract,alice\n' > noreason.csv
run 3 lsr -C rev screen import noreason.csv --reviewer alice
has "$ERR" "an exclusion at title-abstract needs a reason (screening.reasons_required_at)"
same "$(sql rev/review.db "SELECT count(*) FROM screen_decisions WHERE citation_id = 6")" "0"
printf 'id,verdict,reason,stage,reviewer\n6,exclude,off-topic,title-abstract,alice\n' > reason.csv
run 0 lsr -C rev screen import reason.csv --reviewer alice

sed -i 's/^  reviewers: 2$/  reviewers: 2\n  reasons_required_at: [title-abstract]/' srv/protocol.yaml
serve_start srv
api alice GET /api/me
jqcheck "$BODY_FILE" '.reason_required' 'true'
c=$(next_id alice)
api alice POST /api/decision "{\"citation\": $c, \"verdict\": \"exclude\"}"
same "$CODE" "422"
has "$BODY_FILE" "needs a reason"
api alice POST /api/decision "{\"citation\": $c, \"verdict\": \"include\"}"
same "$CODE" "200"
serve_stop

sed -i 's/reasons_required_at: \[title-abstract\]/reasons_required_at: [abstract]/' srv/protocol.yaml
run 3 lsr -C srv screen status
has "$ERR" "screening.reasons_required_at[1]"
has "$ERR" "expected title-abstract or full-text, not 'abstract'"
finish
