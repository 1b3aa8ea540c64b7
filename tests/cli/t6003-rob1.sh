#!/bin/sh
# lsr rob with RoB 1 (as the seed review assessed): seven domains judged
# low, high or unclear with a supporting quote, two assessors, consensus,
# and the two figures.  Every rejection: exact message, exit 3, nothing
# stored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/extract_lib.sh"

cd "$TMP"
new_review rev rob1
run 0 lsr -C rev rob sheet --study "Suk 2016"
same "$OUT" "study,domain,name,judgement,quote
Suk 2016,random-sequence,Random sequence generation (selection bias),,
Suk 2016,allocation-concealment,Allocation concealment (selection bias),,
Suk 2016,blinding-participants,Blinding of participants and personnel (performance bias),,
Suk 2016,blinding-outcome,Blinding of outcome assessment (detection bias),,
Suk 2016,incomplete-data,Incomplete outcome data (attrition bias),,
Suk 2016,selective-reporting,Selective reporting (reporting bias),,
Suk 2016,other-bias,Other bias,,"

cat > holly.csv <<'EOT'
study,domain,judgement,quote
Suk 2016,random-sequence,low,"""randomly assigned by a computer program"""
Suk 2016,allocation-concealment,unclear,not described
Suk 2016,blinding-participants,high,open label
Suk 2016,blinding-outcome,unclear,
Suk 2016,incomplete-data,high,"17 of 72 excluded, per-protocol"
Suk 2016,selective-reporting,low,
Suk 2016,other-bias,low,
Bai 2014,random-sequence,High,alternation
EOT
sed 's/^Suk 2016,blinding-outcome,unclear,/Suk 2016,blinding-outcome,low,/' holly.csv > ivan.csv
run 0 lsr -C rev rob import holly.csv --assessor holly
same "$OUT" "imported RoB 1 sheet 'holly.csv' assessed by holly: 8 rows, 8 values, 2 studies"
same "$(sql rev/review.db "SELECT value || '|' || quote FROM rob_values WHERE domain = 'random-sequence' AND study_id = 2")" 'low|"randomly assigned by a computer program"'
run 0 lsr -C rev rob import ivan.csv --assessor ivan
run 0 lsr -C rev rob compare
same "$OUT" "Amer 2011	random-sequence: not assessed
Amer 2011	allocation-concealment: not assessed
Amer 2011	blinding-participants: not assessed
Amer 2011	blinding-outcome: not assessed
Amer 2011	incomplete-data: not assessed
Amer 2011	selective-reporting: not assessed
Amer 2011	other-bias: not assessed
Bai 2014	allocation-concealment: not assessed
Bai 2014	blinding-participants: not assessed
Bai 2014	blinding-outcome: not assessed
Bai 2014	incomplete-data: not assessed
Bai 2014	selective-reporting: not assessed
Bai 2014	other-bias: not assessed
Suk 2016	blinding-outcome: holly 'unclear', ivan 'low'
14 judgements open"
run 0 lsr -C rev rob resolve --study "Suk 2016" --domain blinding-outcome --judgement unclear --reason "biopsies read by a pathologist not said to be blinded"
run 0 lsr -C rev rob compare --all
has "$OUT" "Suk 2016	blinding-outcome: holly 'unclear', ivan 'low' -> 'unclear' (consensus)"
has "$OUT" "Bai 2014	random-sequence: holly 'high', ivan 'high' -> 'high'"
has "$OUT" "13 judgements open"
run 2 lsr -C rev rob resolve --study "Suk 2016" --domain overall --judgement low --reason x
has "$ERR" "lsr rob: error: unknown domain 'overall' (expected one of random-sequence, allocation-concealment, blinding-participants, blinding-outcome, incomplete-data, selective-reporting, other-bias)"
run 2 lsr -C rev rob resolve --study "Suk 2016" --domain other-bias --judgement "some concerns" --reason x
has "$ERR" "lsr rob: error: expected a judgement of low, unclear or high, not 'some concerns'"

run 0 lsr -C rev rob plot --traffic-light tl.svg --summary sum.svg
run 0 xmllint --noout tl.svg sum.svg
has tl.svg ">D7</text>"
hasnt tl.svg ">Overall</text>"
has tl.svg "<title>Suk 2016, Blinding of outcome assessment (detection bias): Unclear risk of bias</title>"
# summary: incomplete data high in Suk, not assessed elsewhere: 1 of 3
has sum.svg "<title>High risk of bias: 33.3%</title>"
has sum.svg "Not final"

# --- rejections --------------------------------------------------------
before=$(counts rev)
reject() {
	printf '%s\n' "$1" > bad.csv
	run 3 lsr -C rev rob import bad.csv --assessor jan
	same "$ERR" "lsr rob: error: $2"
	same "$(counts rev)" "$before"
}
reject "study,domain,judgement,quote
Suk 2016,random-sequence,probably low," "bad.csv:2: column 'judgement': expected low, high or unclear, got 'probably low'"
reject "study,domain,judgement,quote
Suk 2016,random-sequence,some concerns," "bad.csv:2: column 'judgement': expected low, high or unclear, got 'some concerns'"
reject "study,domain,judgement,quote
Suk 2016,randomisation,low," "bad.csv:2: column 'domain': expected one of random-sequence, allocation-concealment, blinding-participants, blinding-outcome, incomplete-data, selective-reporting, other-bias, got 'randomisation'"
reject "study,domain,judgement,quote
Suk 2016,other-bias,,funding by the manufacturer" "bad.csv:2: column 'judgement': a quote needs the judgement it supports"
reject "study,domain,judgement,quote
Suk 2016,other-bias,low,
Suk 2016,other-bias,high," "bad.csv:3: study 'Suk 2016', domain 'other-bias' is already on row 2"
reject "study,domain,judgement,quote,page
Suk 2016,other-bias,low,,3" "bad.csv:1: unknown column 'page' (this sheet takes: study, domain, name, judgement, quote)"
reject "study,domain,quote
Suk 2016,other-bias," "bad.csv:1: a RoB 1 sheet needs a column 'judgement'"
reject "id,domain
1,other-bias" "bad.csv:1: not a risk-of-bias sheet: it needs the columns study and domain (write one with 'lsr rob sheet')"
reject "study,domain,judgement,quote
Nobody 2020,other-bias,low," "bad.csv:2: column 'study': unknown study 'Nobody 2020' (studies are linked with 'lsr study link')"
reject "study,domain,judgement,quote
Suk 2016,other-bias,low" "bad.csv:2: expected 4 fields as in the header, found 3"
finish
