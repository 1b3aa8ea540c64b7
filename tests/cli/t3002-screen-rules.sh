#!/bin/sh
# lsr screen rules on real records (a PubMed export in RIS from the
# fixtures): counts agree with what grep finds in the file; a changed rule
# set is evaluated again without touching human decisions; bad patterns
# and unknown fields are reported with the rule and the position, and the
# database is left as it was.
. "$(dirname "$0")/lib.sh"
need_shared
F=$LSR_SHARED/fixtures/ris/citesource_20221207_gambling-harms_pubmed_176.ris

cd "$TMP"
run 0 lsr init rev
protocol() { # protocol RULES-YAML
	cat > rev/protocol.yaml <<EOF
lsr_protocol: 1
title: gambling harms
sources:
  - name: PubMed
screening:
  reviewers: 2
  reasons:
    - {code: review, stage: title-abstract}
    - {code: population, stage: title-abstract}
    - {code: old, stage: title-abstract}
    - {code: language, stage: title-abstract}
  rules:
$1
EOF
}
protocol "    - name: reviews
      reason: review
      fields: [title]
      match: '\\breview\\b'
    - name: young-people
      reason: population
      match: '(adolescen|youth|students)'
    - name: humans-keyword
      reason: population
      fields: [keywords]
      match: '(?m)^Humans\$'
    - name: before-2015
      reason: old
      mode: exclude
      year_before: 2015
    - name: non-english
      reason: language
      mode: exclude
      language_not: [eng]"
run 0 lsr -C rev import "$F" --source PubMed
run 0 lsr -C rev dedup
same "$(sql rev/review.db 'SELECT count(*) FROM live_citations')" "176"

# what grep finds in the export, record by record
n_review=$(grep '^TI  - ' "$F" | grep -ciE '(^|[^a-z])review([^a-z]|$)')
n_young=$(awk '/^TY  - /{t=""} /^(TI|AB)  - /{t=t tolower($0)} /^ER/{if (t ~ /(adolescen|youth|students)/) n++} END{print n}' "$F")
n_humans=$(grep -c '^KW  - Humans' "$F")
n_old=$(awk '/^PY  - /{if ($3 + 0 < 2015) n++} END{print n}' "$F")
same "$n_review $n_young $n_humans $n_old" "8 10 138 9"

run 0 lsr -C rev screen rules
has "$OUT" "rules on 176 citations not yet decided"
line() { printf '  %-24s %-20s %-8s %9s' "$@"; }
has "$OUT" "$(line reviews review suggest $n_review)"
has "$OUT" "$(line young-people population suggest $n_young)"
has "$OUT" "$(line humans-keyword population suggest $n_humans)"
has "$OUT" "$(line before-2015 old exclude $n_old)"
has "$OUT" "$(line non-english language exclude 0)"
has "$OUT" "excluded automatically (marked ineligible by automation tools): $n_old"
same "$(sql rev/review.db "SELECT count(*) FROM screen_ta_status WHERE decided_by = 'automation'")" "$n_old"
# every hit's span is the text it names
same "$(sql rev/review.db "SELECT count(*) FROM screen_hits h JOIN citation_metadata m ON m.id = h.citation_id
	WHERE h.field = 'title' AND substr(CAST(m.title AS BLOB), h.span_start + 1, h.span_end - h.span_start) <> CAST(h.matched AS BLOB)")" "0"
same "$(sql rev/review.db "SELECT count(*) FROM screen_hits WHERE rule = 'reviews' AND lower(matched) <> 'review'")" "0"

# exclusions by automation are not handed out
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 1000 -o ann.csv
same "$(sed 1d ann.csv | grep -c '^[0-9]')" "$((176 - n_old))"
has ann.csv "reviews (review): 'review' in title"
run 0 lsr -C rev screen batch --reviewer ben --stage title-abstract --size 1000 -o ben.csv
# both decide the first 20 rows: include
for w in ann ben; do
	awk -F, -v OFS=, 'NR == 1 { print; next } /^[0-9]+,/ && ++n <= 20 { sub(/,,,,title-abstract,/, ",include,,,title-abstract,") } { print }' $w.csv > $w-done.csv
done
run 0 lsr -C rev screen import ann-done.csv --reviewer ann
has "$OUT" "20 decisions stored"
run 0 lsr -C rev screen import ben-done.csv --reviewer ben
decisions=$(sql rev/review.db 'SELECT count(*) FROM screen_decisions')

# a changed rule set: evaluated again on the citations not yet decided;
# decisions untouched, the old hits kept under their own hash
protocol "    - name: reviews
      reason: review
      fields: [title, abstract]
      match: '\\b(review|overview)\\b'"
run 0 lsr -C rev screen rules --json
jqcheck "$OUT" .citations 156
same "$(sql rev/review.db 'SELECT count(DISTINCT ruleset) FROM screen_rule_runs')" "2"
same "$(sql rev/review.db 'SELECT count(*) FROM screen_decisions')" "$decisions"
same "$(sql rev/review.db "SELECT count(*) FROM screen_hits_current WHERE rule <> 'reviews'")" "0"
same "$(sql rev/review.db "SELECT count(*) FROM screen_hits WHERE rule = 'humans-keyword'")" "$n_humans"
# without the exclude rules nothing is excluded by automation any more
same "$(sql rev/review.db "SELECT count(*) FROM screen_ta_status WHERE decided_by = 'automation'")" "0"
same "$(sql rev/review.db "SELECT count(*) FROM screen_ta_status WHERE status = 'included'")" "20"
# the same rule set again: the same hits
run 0 lsr -C rev screen rules --json
jqcheck "$OUT" .citations 156
same "$(sql rev/review.db 'SELECT count(*) FROM screen_rule_runs')" "3"

# errors: rule name, file, line, key and offset; nothing stored
runs=$(sql rev/review.db 'SELECT count(*) FROM screen_rule_runs')
protocol "    - name: reviews
      reason: review
      match: '\\b(review|overview\\b'"
run 3 lsr -C rev screen rules
same "$(cat "$ERR")" "lsr screen: error: rev/protocol.yaml:15: screening.rules[1].match: rule 'reviews': missing closing parenthesis at offset 20"
protocol "    - name: reviews
      reason: review
      fields: [title, summary]
      match: review"
run 3 lsr -C rev screen rules
same "$(cat "$ERR")" "lsr screen: error: rev/protocol.yaml:13: screening.rules[1].fields[2]: rule 'reviews': unknown field 'summary' (expected title, abstract, keywords, mesh, publication_type, language, journal or year)"
run 3 lsr -C rev screen batch --reviewer cid --stage title-abstract --size 5
same "$(sql rev/review.db 'SELECT count(*) FROM screen_rule_runs')" "$runs"
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments WHERE reviewer = 'cid'")" "0"
# exclusions by automation among the status figures
status_as_views rev
finish
