#!/bin/sh
# lsr screen: a whole screening round for two reviewers - rules, blind
# batches, imports, conflicts and their resolution, agreement, the
# full-text stage and studies - and every refusal, with its exact message
# and the database unchanged.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
# eight distinct citations (ids 1..8 in this order)
i=0
for t in "Mesenchymal stem cells for decompensated cirrhosis: a randomised trial|Smith, John|2019|Patients received MSC infusion." \
	 "Bone marrow cells in rats with liver fibrosis|Doe, Jane|2018|Rats were treated." \
	 "Umbilical cord cells in hepatitis B cirrhosis|Wang, Li|2020|A randomised controlled trial in patients." \
	 "Stem cell therapy for liver disease: a narrative overview|Roe, Rita|2021|We summarise the field." \
	 "Autologous stem cells after hepatectomy|Kim, Min|2017|Cohort of patients." \
	 "Zellen bei Leberzirrhose|Muller, Karl|2016|Deutsch." \
	 "Long-term outcome of cell infusion in cirrhosis|Smith, John|2022|Five-year follow-up of the 2019 trial." \
	 "Conference report on liver regeneration|Lee, Ann|2019|Abstract only."; do
	i=$((i + 1))
	lang=eng
	[ $i -eq 6 ] && lang=ger
	echo "$t" | awk -F'|' -v lang=$lang '{printf "TY  - JOUR\nTI  - %s\nAU  - %s\nPY  - %s\nLA  - %s\nAB  - %s\nKW  - cirrhosis\nER  - \n\n", $1, $2, $3, lang, $4}'
done > recs.ris
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: test review
sources:
  - name: PubMed
screening:
  reviewers: 2
  reasons:
    - {code: off-topic, label: Not relevant, stage: title-abstract}
    - {code: animal, label: Animal study, stage: title-abstract}
    - {code: language, label: Not in English, stage: title-abstract}
    - {code: abstract-only, label: Conference abstract, stage: full-text}
    - {code: registry-no-results, stage: full-text}
  rules:
    - name: animal-models
      reason: animal
      match: '\b(rats?|mice|mouse)\b'
      unless: '\bpatients?\b'
    - name: non-english
      reason: language
      mode: exclude
      language_not: [eng]
EOF
run 0 lsr -C rev import recs.ris --source PubMed
run 0 lsr -C rev dedup
same "$(sql rev/review.db 'SELECT count(*) FROM live_citations')" "8"

# ---- rules ---------------------------------------------------------------
run 0 lsr -C rev screen rules --dry-run
has "$OUT" "rules on 8 citations not yet decided (dry run: nothing stored)"
same "$(sql rev/review.db 'SELECT count(*) FROM screen_hits')" "0"
run 0 lsr -C rev screen rules --json
jqcheck "$OUT" '{citations, excluded_automatically}' '{"citations":8,"excluded_automatically":1}'
same "$(sql rev/review.db "SELECT citation_id, rule, field, matched FROM screen_hits ORDER BY citation_id")" \
"2|animal-models|title|rats
6|non-english|language|ger"
run 0 lsr -C rev screen explain 2
has "$OUT" "animal-models (animal, suggest): 'rats' in title [21, 25)"
has "$OUT" "title-abstract: pending"
run 0 lsr -C rev screen explain 6
has "$OUT" "title-abstract: excluded (language), by automation (rule non-english)"

# ---- batches: two reviewers, blind, reproducible ---------------------------
run 2 lsr -C rev screen batch --reviewer alice --size 5
same "$(head -1 "$ERR")" "lsr screen: error: a batch needs --stage title-abstract or full-text"
run 2 lsr -C rev screen batch --reviewer alice --stage abstract --size 5
same "$(head -1 "$ERR")" "lsr screen: error: unknown stage 'abstract' (expected title-abstract or full-text)"
cp -r rev rev-copy
rm -f rev-copy/review.db-wal rev-copy/review.db-shm
run 0 lsr -C rev screen batch --reviewer alice --stage title-abstract --size 4 --seed 7 -o a1.csv
same "$(cat "$OUT")" "batch 1: 4 citations for alice at title-abstract (seed 7) in a1.csv"
same "$(head -1 a1.csv)" "id,title,authors,year,journal,publication_types,abstract,keywords,suggestion,verdict,reason,note,stage,reviewer,batch,fulltext"
same "$(sed 1d a1.csv | wc -l)" "4"
# the same seed on a copy of the review gives the same batch, another seed
# another one
run 0 lsr -C rev-copy screen batch --reviewer alice --stage title-abstract --size 4 --seed 7 -o c1.csv
same "$(cat c1.csv)" "$(cat a1.csv)"
run 0 lsr -C rev-copy screen batch --reviewer zoe --stage title-abstract --size 7 --seed 8 -o c2.csv
[ "$(sed 1d c2.csv | cut -d, -f1)" != "$(sed 1d c1.csv | cut -d, -f1)" ] || fail "seed 8 gave seed 7's order"
# the excluded citation 6 is never handed out
run 0 lsr -C rev screen batch --reviewer alice --stage title-abstract --size 7 --seed 7 -o a2.csv
same "$( (sed 1d a1.csv; sed 1d a2.csv) | cut -d, -f1 | sort -n | tr '\n' ' ')" "1 2 3 4 5 7 8 "
run 0 lsr -C rev screen batch --reviewer alice --stage title-abstract --size 5
same "$(cat "$OUT")" ""
has "$ERR" "lsr screen: no citations left to assign to 'alice' at title-abstract"
# bob gets the same citations, never alice's decisions
run 0 lsr -C rev screen batch --reviewer bob --stage title-abstract --size 10 --seed 3 -o b1.csv
same "$(sed 1d b1.csv | cut -d, -f1 | sort -n | tr '\n' ' ')" "1 2 3 4 5 7 8 "
# a third reviewer finds nothing: every citation has its two reviewers
run 0 lsr -C rev screen batch --reviewer carol --stage title-abstract --size 10 -o c.csv
has "$ERR" "no citations left to assign to 'carol' at title-abstract"
[ ! -e c.csv ] || fail "an empty batch wrote a file"
has a1.csv "animal-models (animal): 'rats' in title"
# a lost batch file is written again, the same
run 0 lsr -C rev screen batch --reprint 1 -o again1.csv
same "$(cat again1.csv)" "$(cat a1.csv)"

# fill a batch file: fill FILE OUT ID=VERDICT[:REASON[:NOTE]]...
fill() {
	in=$1 out=$2
	shift 2
	awk -F, -v OFS=, -v spec="$*" '
		BEGIN { n = split(spec, s, " "); for (i = 1; i <= n; i++) { split(s[i], kv, "="); v[kv[1]] = kv[2] } }
		NR == 1 { print; next }
		{ if ($1 in v) { split(v[$1], p, ":"); $(NF-6) = p[1]; $(NF-5) = p[2]; $(NF-4) = p[3] } print }' "$in" > "$out"
}
# the generated rows have no commas inside fields, so awk can fill them
fill a1.csv a1-done.csv 1=include 2=exclude:animal 3=include 4=exclude:off-topic 5=include 7=include 8=exclude
fill a2.csv a2-done.csv 1=include 2=exclude:animal 3=include 4=exclude:off-topic 5=include 7=include 8=exclude
fill b1.csv b1-done.csv 1=include 2=exclude:animal 3=maybe 4=include 5=exclude:off-topic 7=include 8=exclude

# ---- refusals: exact messages, nothing stored ------------------------------
before=$(sql rev/review.db 'SELECT count(*) FROM screen_decisions')
refuse() { # refuse FILE REVIEWER MESSAGE
	run 3 lsr -C rev screen import "$1" --reviewer "$2"
	same "$(cat "$ERR")" "lsr screen: error: $3"
	same "$(sql rev/review.db 'SELECT count(*) FROM screen_decisions')" "$before"
	same "$(sql rev/review.db 'SELECT count(*) FROM screen_imports')" "0"
}
sed '3s/^[0-9]*,/999,/' a1-done.csv > bad-id.csv
refuse bad-id.csv alice "bad-id.csv: row 3: column 'id': no citation 999"
sed '3s/^[0-9]*,/x3,/' a1-done.csv > bad-id2.csv
refuse bad-id2.csv alice "bad-id2.csv: row 3: column 'id': 'x3' is not a citation id"
refuse a1-done.csv bob "a1-done.csv: row 2: column 'reviewer': the row is for 'alice', not 'bob'"
sed 's/,alice,/,carol,/' a1-done.csv > carol.csv
refuse carol.csv carol "$(printf 'carol.csv: row 2: column '"'"'id'"'"': citation %s is not assigned to '"'"'carol'"'"' at title-abstract' "$(sed -n 2p carol.csv | cut -d, -f1)")"
sed '2s/,include,,,title-abstract/,perhaps,,,title-abstract/;2s/,exclude,[a-z-]*,,title-abstract/,perhaps,,,title-abstract/' a1-done.csv > verdict.csv
refuse verdict.csv alice "verdict.csv: row 2: column 'verdict': expected include, exclude or maybe, not 'perhaps'"
sed '2s/,include,,,title-abstract/,exclude,fishy,,title-abstract/;2s/,exclude,[a-z-]*,,title-abstract/,exclude,fishy,,title-abstract/' a1-done.csv > reason.csv
refuse reason.csv alice "reason.csv: row 2: column 'reason': unknown reason 'fishy' (declared: off-topic, animal, language, abstract-only, registry-no-results)"
sed '2s/,include,,,title-abstract/,exclude,abstract-only,,title-abstract/;2s/,exclude,[a-z-]*,,title-abstract/,exclude,abstract-only,,title-abstract/' a1-done.csv > ftreason.csv
refuse ftreason.csv alice "ftreason.csv: row 2: column 'reason': 'abstract-only' is a full-text reason, not a title-abstract one"
sed '2s/,include,,,title-abstract/,include,animal,,title-abstract/;2s/,exclude,[a-z-]*,,title-abstract/,include,animal,,title-abstract/' a1-done.csv > inclreason.csv
refuse inclreason.csv alice "inclreason.csv: row 2: column 'reason': a reason goes with exclude only, not with include"
sed '2s/,title-abstract,alice,/,screening,alice,/' a1-done.csv > stage.csv
refuse stage.csv alice "stage.csv: row 2: column 'stage': expected title-abstract or full-text, not 'screening'"
(head -2 a1-done.csv; sed -n 2p a1-done.csv) > twice.csv
refuse twice.csv alice "twice.csv: row 3: column 'id': citation $(sed -n 2p a1-done.csv | cut -d, -f1) is also on row 2"
sed '1s/,verdict,/,verdikt,/' a1-done.csv > noverdict.csv
refuse noverdict.csv alice "noverdict.csv: row 1: no column 'verdict' in the header row"
printf 'id,verdict\n"1,include\n' > broken.csv
refuse broken.csv alice "broken.csv: row 2: not valid CSV: error parsing data while strict checking enabled"
: > empty.csv
refuse empty.csv alice "empty.csv: no header row (expected a batch file from 'lsr screen batch')"
run 1 lsr -C rev screen import missing.csv --reviewer alice
same "$(cat "$ERR")" "lsr screen: error: cannot open 'missing.csv': No such file or directory"
run 2 lsr -C rev screen import a1-done.csv
same "$(head -1 "$ERR")" "lsr screen: error: import needs --reviewer NAME"

# ---- decisions -------------------------------------------------------------
run 0 lsr -C rev screen import a1-done.csv --reviewer alice
same "$(cat "$OUT")" "a1-done.csv: 4 rows from alice: 4 decisions stored, 0 unchanged, 0 blank (import 1)"
run 0 lsr -C rev screen import a2-done.csv --reviewer alice
run 0 lsr -C rev screen import a2-done.csv --reviewer alice
same "$(cat "$OUT")" "a2-done.csv: 3 rows from alice: 0 decisions stored, 3 unchanged, 0 blank (import 3)"
# one reviewer alone decides nothing: all pending until the second
same "$(sql rev/review.db "SELECT status, count(*) FROM screen_ta_status GROUP BY 1 ORDER BY 1")" \
"excluded|1
pending|7"
run 0 lsr -C rev screen import b1-done.csv --reviewer bob --json
jqcheck "$OUT" .decisions 7
# a reviewer changes their mind: a new decision supersedes, both are kept
f4=$(grep -l '^4,' a1.csv a2.csv)
fill "$f4" again.csv 1=include 2=exclude:animal 3=include 4=include 5=include 7=include 8=exclude
rows=$(($(wc -l < again.csv) - 1))
run 0 lsr -C rev screen import again.csv --reviewer alice
same "$(cat "$OUT")" "again.csv: $rows rows from alice: 1 decision stored, $((rows - 1)) unchanged, 0 blank (import 5)"
same "$(sql rev/review.db "SELECT verdict FROM screen_decisions WHERE citation_id = 4 AND reviewer = 'alice' ORDER BY id")" "exclude
include"
run 0 lsr -C rev screen explain 4
has "$OUT" "review     alice        exclude (off-topic) [superseded]"

# ---- conflicts and resolution ----------------------------------------------
# 1, 2, 7, 8 agreed; 3 include/maybe: included; 4 agreed on include after
# the change; 5 include/exclude: a conflict
same "$(sql rev/review.db "SELECT citation_id, status, coalesce(reason, '-'), coalesce(decided_by, '-') FROM screen_ta_status ORDER BY 1")" \
"1|included|-|reviewers
2|excluded|animal|reviewers
3|included|-|reviewers
4|included|-|reviewers
5|conflict|-|-
6|excluded|language|automation
7|included|-|reviewers
8|excluded|-|reviewers"
# the status figures as the views give them, a conflict among them
status_as_views rev
run 0 lsr -C rev screen conflicts
has "$OUT" "     5  title-abstract disagreement Autologous stem cells after hepatectomy"
has "$OUT" "        alice: include; bob: exclude (off-topic)"
run 0 lsr -C rev screen conflicts --json
same "$(cat "$OUT")" '{"id":5,"stage":"title-abstract","kind":"disagreement","title":"Autologous stem cells after hepatectomy","year":2017,"flag":null,"decisions":[{"reviewer":"alice","verdict":"include","reason":null,"note":null},{"reviewer":"bob","verdict":"exclude","reason":"off-topic","note":null}]}'
run 2 lsr -C rev screen resolve 5 --verdict exclude --by carol --reason abstract-only
same "$(head -1 "$ERR")" "lsr screen: error: --reason: 'abstract-only' is a full-text reason, not a title-abstract one"
run 2 lsr -C rev screen resolve 5 --verdict exclude --reason off-topic
same "$(head -1 "$ERR")" "lsr screen: error: resolve needs --by NAME (a third reviewer, or consensus)"
run 1 lsr -C rev screen resolve 99 --verdict exclude --by carol
same "$(cat "$ERR")" "lsr screen: error: no citation 99"
run 0 lsr -C rev screen resolve 5 --verdict exclude --reason off-topic --by carol
same "$(cat "$OUT")" "citation 5: title-abstract resolved: exclude (off-topic) by carol"
run 0 lsr -C rev screen conflicts
same "$(cat "$OUT")" ""
# a person overrides automation
run 0 lsr -C rev screen resolve 6 --verdict include --by consensus
run 0 lsr -C rev screen status --json
jqcheck "$OUT" '.title_abstract | {citations, screened, included, excluded_by_automation}' \
  '{"citations":8,"screened":8,"included":5,"excluded_by_automation":0}'
# agreement on the first decisions: 7 citations both decided
# alice: I E I E I I E, bob: I E M I E I E -> 4 agree of 7; rows alice,
# columns bob (I E M): 2 1 1 / 1 2 0 / 0 0 0: po 4/7, pe 3/7, kappa 1/4
jqcheck "$OUT" '.agreement[0] | {stage, reviewers, n}' '{"stage":"title-abstract","reviewers":["alice","bob"],"n":7}'
near() { # near KEY VALUE: the first agreement's KEY is VALUE to 1e-12
	jqcheck "$OUT" "(.agreement[0].$1 - ($2)) | fabs < 1e-12"
}
near percent_agreement '400 / 7'
near kappa 0.25
near kappa_se 0.298273090865894
near ac1 0.404255319148936

# ---- full text -------------------------------------------------------------
run 1 lsr -C rev screen fulltext 2 --retrieved
same "$(cat "$ERR")" "lsr screen: error: citation 2 is not a report sought for retrieval (title-abstract status: excluded)"
run 2 lsr -C rev screen fulltext 1
same "$(head -1 "$ERR")" "lsr screen: error: fulltext needs --retrieved [--file PATH] or --not-retrieved REASON"
run 0 lsr -C rev screen fulltext 1 --retrieved --file ft/smith2019.pdf
same "$(cat "$OUT")" "citation 1: full text retrieved: ft/smith2019.pdf"
# several ids: all recorded or none (3 and 4 are reports, 8 is not)
run 1 lsr -C rev screen fulltext 3 4 8 --retrieved
same "$(cat "$ERR")" "lsr screen: error: citation 8 is not a report sought for retrieval (title-abstract status: excluded)"
same "$(sql rev/review.db 'SELECT count(*) FROM screen_retrievals')" "1"
run 0 lsr -C rev screen fulltext 3 4 --retrieved
same "$(cat "$OUT")" "citation 3: full text retrieved
citation 4: full text retrieved"
for c in 6 7; do run 0 lsr -C rev screen fulltext $c --retrieved; done
run 1 lsr -C rev screen fulltext 8 --not-retrieved "no full text available"
same "$(cat "$ERR")" "lsr screen: error: citation 8 is not a report sought for retrieval (title-abstract status: excluded)"
same "$(sql rev/review.db 'SELECT count(*) FROM screen_retrievals')" "5"
run 0 lsr -C rev screen batch --reviewer alice --stage full-text --size 10 --seed 1 -o fa.csv
same "$(sed 1d fa.csv | cut -d, -f1 | sort -n | tr '\n' ' ')" "1 3 4 6 7 "
has fa.csv ",full-text,alice,4,ft/smith2019.pdf"
run 0 lsr -C rev screen batch --reviewer bob --stage full-text --size 10 -o fb.csv
fill fa.csv fa-bad.csv 1=include 3=exclude 4=include 6=exclude:abstract-only 7=include
run 3 lsr -C rev screen import fa-bad.csv --reviewer alice
same "$(cat "$ERR")" "lsr screen: error: fa-bad.csv: row $(grep -n '^3,' fa-bad.csv | cut -d: -f1): column 'reason': an exclusion at full text needs a reason"
fill fa.csv fa-maybe.csv 1=maybe
run 3 lsr -C rev screen import fa-maybe.csv --reviewer alice
has "$ERR" "column 'verdict': maybe is not a full-text verdict (include or exclude)"
fill fa.csv fa-done.csv 1=include 3=exclude:registry-no-results 4=include 6=exclude:abstract-only 7=include
fill fb.csv fb-done.csv 1=include 3=exclude:registry-no-results 4=include 6=exclude:registry-no-results 7=include
run 0 lsr -C rev screen import fa-done.csv --reviewer alice
run 0 lsr -C rev screen import fb-done.csv --reviewer bob
# 6: both exclude, with different reasons: the arbiter picks one
same "$(sql rev/review.db "SELECT citation_id, status, coalesce(reason, '-'), coalesce(conflict, '-') FROM screen_ft_status ORDER BY 1")" \
"1|included|-|-
3|excluded|registry-no-results|-
4|included|-|-
6|conflict|-|reason
7|included|-|-"
status_as_views rev
run 2 lsr -C rev screen resolve 6 --verdict exclude --by carol
same "$(head -1 "$ERR")" "lsr screen: error: --reason: an exclusion at full text needs a reason"
run 0 lsr -C rev screen resolve 6 --verdict exclude --reason abstract-only --by carol
same "$(cat "$OUT")" "citation 6: full-text resolved: exclude (abstract-only) by carol"

# ---- studies ---------------------------------------------------------------
run 1 lsr -C rev study link 3 --study "Wang 2020"
same "$(cat "$ERR")" "lsr study: error: citation 3 is not included at full text (excluded): only included reports are linked to studies"
same "$(sql rev/review.db 'SELECT count(*) FROM studies')" "0"
run 2 lsr -C rev study link 1 7
same "$(head -1 "$ERR")" "lsr study: error: link needs --study LABEL (e.g. 'Fang 2018')"
run 0 lsr -C rev study link 1 7 --study "Smith 2019"
same "$(cat "$OUT")" "linked 2 reports to study 'Smith 2019'"
run 0 lsr -C rev study link 4 --study "Roe 2021"
run 0 lsr -C rev study list
same "$(cat "$OUT")" "Roe 2021
       4  Stem cell therapy for liver disease: a narrative overview
Smith 2019
       1  Mesenchymal stem cells for decompensated cirrhosis: a randomised trial
       7  Long-term outcome of cell infusion in cirrhosis"
run 0 lsr -C rev study list --json
jqcheck "$OUT" 'select(.id == 2)' '{"id":2,"label":"Roe 2021","reports":[{"id":4,"year":2021,"title":"Stem cell therapy for liver disease: a narrative overview"}]}'

# every count of the screening paragraph comes from the views
run 0 lsr -C rev screen status
has "$OUT" "title-abstract: 8 citations, 8 for people to screen: 5 included, 3 excluded (3 by reviewers, 0 by automation), 0 pending, 0 in conflict"
has "$OUT" "full-text: 5 reports sought, 0 awaiting retrieval, 0 not retrieved, 5 assessed: 3 included, 2 excluded, 0 pending, 0 in conflict"
has "$OUT" "studies: 2 (3 reports)"
# everything screened: the stopping rule has nothing left to exclude
has "$OUT" "8 of 8 citations screened (0 in priority order), 5 includes found; p = 0, met (nothing left to screen)"
hasnt "$OUT" "may exclude the rest"
status_as_views rev
finish
