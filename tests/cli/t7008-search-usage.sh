#!/bin/sh
# lsr search refuses what it cannot do, before any request, with exit 2
# and a message naming what is wrong; -h matches the manual's synopsis.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'YAML'
lsr_protocol: 1
title: Usage
sources:
  - name: PubMed
    api: pubmed
    query: stem cells
  - name: Embase
    files: [exports/embase-*.ris]
screening:
  reasons:
    - {code: off-topic}
YAML
# nothing may reach a network in this test
export LSR_PUBMED_URL=http://127.0.0.1:9/none LSR_EUROPEPMC_URL=http://127.0.0.1:9/none \
	LSR_CTGOV_URL=http://127.0.0.1:9/none

run 0 lsr search -h
lsr search -h | sed -n 's/^usage: //p; s/^   or: //p' > help.txt
sed -n '/^## Synopsis/,/^## /p' "$LSR_SRC/docs/cmd/lsr-search.md" | grep '^lsr search' > doc.txt
same "$(cat help.txt)" "$(cat doc.txt)"

run 2 lsr -C rev search --since 2025-13-01
same "$(cat "$ERR")" "lsr search: error: --since: expected a date YYYY-MM-DD (or YYYY/MM/DD), not '2025-13-01'
see 'lsr search -h'"
run 2 lsr -C rev search --until yesterday
has "$ERR" "lsr search: error: --until: expected a date YYYY-MM-DD (or YYYY/MM/DD), not 'yesterday'"
run 2 lsr -C rev search --since 2025-02-01 --until 2025-01-01
has "$ERR" "lsr search: error: --since 2025-02-01 is after --until 2025-01-01"
run 2 lsr -C rev search --resume --query x
has "$ERR" "lsr search: error: --resume continues runs as they were started; it takes no --query, --source, --since or --until"
run 2 lsr -C rev search --source X
has "$ERR" "lsr search: error: --source names the source of an ad-hoc --query"
run 2 lsr -C rev search --query x
has "$ERR" "lsr search: error: --query needs exactly one API: pubmed, europepmc or ctgov"
run 2 lsr -C rev search scopus --query x
has "$ERR" "lsr search: error: 'scopus' is not an API lsr can search (pubmed, europepmc or ctgov)"
run 2 lsr -C rev search Nope
has "$ERR" "lsr search: error: 'Nope' is not a source in protocol.yaml"
run 2 lsr -C rev search Embase
has "$ERR" "lsr search: error: source 'Embase' has no api in protocol.yaml; import its exports with 'lsr import'"
run 2 lsr -C rev search --batch-size -3
has "$ERR" "lsr search: error: --batch-size must be between 1 and 10000"
run 2 lsr -C rev search pubmed --query x --pubmed-url ftp://example.org/
has "$ERR" "lsr search: error: PubMed base URL 'ftp://example.org/' is not an http:// or https:// URL"
# none of this created a run
same "$(sql rev/review.db 'SELECT count(*) FROM runs')" "0"

# a protocol without searchable sources
cat > rev/protocol.yaml <<'YAML'
lsr_protocol: 1
title: Usage
sources:
  - name: Embase
screening:
  reasons:
    - {code: off-topic}
YAML
run 2 lsr -C rev search
has "$ERR" "lsr search: error: protocol.yaml has no source with an api and a query to search"
rm rev/protocol.yaml
run 2 lsr -C rev search
has "$ERR" "lsr search: error: no protocol.yaml: name an API and give --query, or write the sources' queries in protocol.yaml"
finish
