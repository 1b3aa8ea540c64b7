#!/bin/sh
# lsr update runs the protocol's saved searches (here ClinicalTrials.gov
# through the replay server) as runs of the update, counted as registers;
# continuing the open update does not search again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay.sh"
need_shared

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'YAML'
lsr_protocol: 1
title: MSC for cirrhosis
contact_email: review@example.org
sources:
  - name: ClinicalTrials.gov
    api: ctgov
    query: mesenchymal AND cirrhosis
screening:
  reasons:
    - {code: off-topic}
YAML
replay_start ctgov-pages.case
run 0 lsr -C rev update --since 2023-01-01 --until 2023-12-31 --json
cp "$OUT" u.json
jqcheck u.json '{update, new_citations}' '{"update":1,"new_citations":5}'
jqcheck u.json '.searches | map({source, status, stored})' '[{"source":"ClinicalTrials.gov","status":"complete","stored":5}]'
same "$(sql rev/review.db "SELECT u.kind, ru.update_no, u.status FROM runs u JOIN run_updates ru ON ru.run_id = u.id")" "search|1|complete"
run 0 lsr -C rev prisma --update 1 --json
jqcheck "$OUT" .identified_registers '{"ClinicalTrials.gov":5}'
# the open update continues: the search is not run again
n=$(requests | wc -l)
run 0 lsr -C rev update
has "$OUT" "  search ClinicalTrials.gov     already searched in this update
records added in this update: ClinicalTrials.gov 5;"
same "$(requests | wc -l)" "$n"
run 0 lsr -C rev update --status
has "$OUT" "title_abstract_to_screen              5"

# a service that cannot be reached: the update says so, exits 1, and stays
# open for 'lsr update' to continue
replay_stop
run 0 lsr init rev2
cp rev/protocol.yaml rev2/protocol.yaml
run 1 lsr -C rev2 update
has "$ERR" "search of ClinicalTrials.gov failed"
has "$ERR" "update 1: a search failed or is incomplete; run 'lsr update' again to continue it"
has "$OUT" "  search ClinicalTrials.gov     failed: "
run 0 lsr -C rev2 update --status --json
jqcheck "$OUT" .open true
finish
