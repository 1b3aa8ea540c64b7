#!/bin/sh
# lsr rob with RoB 2: answers give the domain judgements by the published
# algorithm, an override needs a justification and keeps the proposal,
# two assessors are compared, consensus is recorded, and the figures are
# drawn.  Every rejection: exact message, exit 3, database unchanged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/extract_lib.sh"

cd "$TMP"
new_review rev rob2
run 0 lsr -C rev rob sheet -o sheet.csv
# 3 studies x (22 questions + 5 domain rows + overall), and the header
same "$(wc -l < sheet.csv)" "85"
has sheet.csv 'Amer 2011,,deviations,2.7,Was there potential for a substantial impact (on the result) of the failure to analyse participants in the group to which they were randomized?,,,,'

# erin: D1 low, D2 low, D3 some concerns, D4 some concerns, D5 some
# concerns; she judges the result high overall, and says why
cat > erin.csv <<'EOT'
study,domain,question,answer,quote,judgement,justification
Bai 2014,randomization,1.1,Y,"computer-generated list, ""block of 4""",,
Bai 2014,randomization,1.2,Y,sealed opaque envelopes,,
Bai 2014,randomization,1.3,N,,,
Bai 2014,randomization,judgement,,,,
Bai 2014,deviations,2.1,Y,open label,,
Bai 2014,deviations,2.2,Y,,,
Bai 2014,deviations,2.3,N,,,
Bai 2014,deviations,2.4,,,,
Bai 2014,deviations,2.5,NA,,,
Bai 2014,deviations,2.6,Y,ITT,,
Bai 2014,deviations,2.7,,,,
Bai 2014,deviations,judgement,,,,
Bai 2014,missing-data,3.1,N,3 of 47 lost,,
Bai 2014,missing-data,3.2,N,,,
Bai 2014,missing-data,3.3,Y,,,
Bai 2014,missing-data,3.4,N,,,
Bai 2014,missing-data,judgement,,,,
Bai 2014,measurement,4.1,N,,,
Bai 2014,measurement,4.2,N,,,
Bai 2014,measurement,4.3,Y,,,
Bai 2014,measurement,4.4,Y,,,
Bai 2014,measurement,4.5,N,,,
Bai 2014,measurement,judgement,,,,
Bai 2014,selection,5.1,NI,,,
Bai 2014,selection,5.2,N,,,
Bai 2014,selection,5.3,N,,,
Bai 2014,selection,judgement,,,,
Bai 2014,overall,judgement,,,high,concerns in three domains that together lower confidence substantially
EOT
# frank: allocation concealment not reported (1.2 NI): some concerns
sed 's/^Bai 2014,randomization,1.2,Y,sealed opaque envelopes,,/Bai 2014,randomization,1.2,NI,,,/; s/^Bai 2014,overall,judgement,,,high,.*/Bai 2014,overall,judgement,,,,/' erin.csv > frank.csv
run 0 lsr -C rev rob import erin.csv --assessor erin
same "$OUT" "imported RoB 2 sheet 'erin.csv' assessed by erin: 28 rows, 28 values, 1 studies"
# the proposals and the override are both kept
same "$(sql rev/review.db "SELECT group_concat(domain || ':' || coalesce(value, '-') || '/' || proposed, ' ') FROM rob_values WHERE question = 'judgement' AND assessor = 'erin'")" "randomization:-/low deviations:-/low missing-data:-/some concerns measurement:-/some concerns selection:-/some concerns overall:high/some concerns"
same "$(sql rev/review.db "SELECT quote FROM rob_values WHERE domain = 'overall'")" "concerns in three domains that together lower confidence substantially"
run 0 lsr -C rev rob import frank.csv --assessor frank --json
jqcheck "$OUT" .tool rob2
run 0 lsr -C rev rob compare
has "$OUT" "Bai 2014	randomization: erin 'low' (1.1=Y 1.2=Y 1.3=N), frank 'some concerns' (1.1=Y 1.2=NI 1.3=N)"
has "$OUT" "Bai 2014	overall: erin 'high', frank 'some concerns'"
has "$OUT" "Amer 2011	randomization: not assessed"
hasnt "$OUT" "Bai 2014	deviations"
has "$OUT" "14 judgements open"
run 0 lsr -C rev rob compare --all --json
jqcheck "$OUT" 'select(.study == "Bai 2014" and .domain == "missing-data")' \
  '{"study":"Bai 2014","domain":"missing-data","assessors":{"erin":{"judgement":"some concerns","answers":"3.1=N 3.2=N 3.3=Y 3.4=N"},"frank":{"judgement":"some concerns","answers":"3.1=N 3.2=N 3.3=Y 3.4=N"}},"final":"some concerns","consensus":false}'

# consensus
run 0 lsr -C rev rob resolve --study "Bai 2014" --domain randomization --judgement low --reason "envelopes described in the protocol paper"
same "$OUT" "recorded the consensus for study 'Bai 2014', domain 'randomization': low"
run 0 lsr -C rev rob resolve --study "Bai 2014" --domain overall --judgement high --reason "agreed with erin's justification"
run 0 lsr -C rev rob compare
hasnt "$OUT" "Bai 2014"
has "$OUT" "12 judgements open"
run 2 lsr -C rev rob resolve --study "Bai 2014" --domain blinding --judgement low --reason x
has "$ERR" "lsr rob: error: unknown domain 'blinding' (expected one of randomization, deviations, missing-data, measurement, selection, overall)"
run 2 lsr -C rev rob resolve --study "Bai 2014" --domain overall --judgement unclear --reason x
has "$ERR" "lsr rob: error: expected a judgement of low, some concerns or high, not 'unclear'"
run 2 lsr -C rev rob resolve --study "Bai 2014" --domain overall --judgement low
has "$ERR" "lsr rob: error: a consensus needs --reason TEXT"
run 1 lsr -C rev rob resolve --study "Nobody 2020" --domain overall --judgement low --reason x
same "$ERR" "lsr rob: error: no study 'Nobody 2020'"

# the figures: well-formed SVG, the consensus drawn
run 0 lsr -C rev rob plot --traffic-light tl.svg --summary sum.svg
same "$OUT" "plotted 3 studies"
has "$ERR" "lsr rob: warning: 12 judgements are not final yet and are drawn as not assessed (see 'lsr rob compare')"
run 0 xmllint --noout tl.svg sum.svg
has tl.svg "<title>Bai 2014, Bias arising from the randomization process: Low risk of bias</title>"
has tl.svg "<title>Bai 2014, Overall: High risk of bias</title>"
has sum.svg "<title>Some concerns: 33.3%</title>"
printf 'study,weight\nBai 2014,3\nSuk 2016,1\nAmer 2011,0\n' > w.csv
run 0 lsr -C rev rob plot --summary sum.svg --weights w.csv
has sum.svg "<title>Some concerns: 75.0%</title>"
printf 'study,weight\nBai 2014,heavy\n' > w.csv
run 2 lsr -C rev rob plot --summary sum.svg --weights w.csv
has "$ERR" "lsr rob: error: the weight of study 'Bai 2014' must be a number, not 'heavy'"
run 2 lsr -C rev rob plot
has "$ERR" "lsr rob: error: plot needs --traffic-light FILE.svg and/or --summary FILE.svg"

# --- rejections --------------------------------------------------------
before=$(counts rev)
reject() { # reject SED-EXPRESSION MESSAGE
	sed "$1" frank.csv > bad.csv
	run 3 lsr -C rev rob import bad.csv --assessor gina
	same "$ERR" "lsr rob: error: $2"
	same "$(counts rev)" "$before"
}
reject 's/^Bai 2014,deviations,2.4,,,,/Bai 2014,deviations,2.4,Y,,,/' \
	"bad.csv:9: column 'answer': question 2.4 is asked only when 2.3 is Y or PY: leave it empty or answer NA, not Y"
reject 's/^Bai 2014,randomization,1.3,N,,,/Bai 2014,randomization,1.3,,,,/' \
	"bad.csv:4: column 'answer': question 1.3 needs an answer (Y, PY, PN, N or NI)"
reject 's/^Bai 2014,missing-data,3.2,N,,,/Bai 2014,missing-data,3.2,NI,,,/' \
	"bad.csv:15: column 'answer': question 3.2 takes Y, PY, PN or N, not NI"
reject 's/^Bai 2014,deviations,2.6,Y,ITT,,/Bai 2014,deviations,2.6,NA,ITT,,/' \
	"bad.csv:11: column 'answer': question 2.6 takes Y, PY, PN, N or NI, not NA"
reject 's/^Bai 2014,randomization,1.1,Y,/Bai 2014,randomization,1.1,yes,/' \
	"bad.csv:2: column 'answer': expected Y, PY, PN, N, NI or NA, got 'yes'"
reject 's/^Bai 2014,missing-data,judgement,,,,/Bai 2014,missing-data,judgement,,,high,/' \
	"bad.csv:18: column 'justification': overriding the proposed judgement needs a written justification"
reject 's/^Bai 2014,missing-data,judgement,,,,/Bai 2014,missing-data,judgement,,,medium,because/' \
	"bad.csv:18: column 'judgement': expected low, some concerns or high, got 'medium'"
reject 's/^Bai 2014,missing-data,judgement,,,,/Bai 2014,missing-data,judgement,,,,because/' \
	"bad.csv:18: column 'judgement': a justification needs the judgement it justifies"
reject 's/^Bai 2014,selection,5.1,NI,,,/Bai 2014,selection,5.1,NI,,low,sure/' \
	"bad.csv:25: column 'judgement': only a domain's judgement row takes a judgement and justification"
reject 's/^Bai 2014,selection,judgement,,,,/Bai 2014,selection,judgement,Y,,,/' \
	"bad.csv:28: column 'answer': a judgement row takes no answer, got 'Y'"
reject '/^Bai 2014,randomization,1.3/d' \
	"bad.csv:2: study 'Bai 2014', domain 'randomization' has no row for question 1.3"
reject 's/^Bai 2014,randomization,1.3,/Bai 2014,randomization,1.4,/' \
	"bad.csv:4: column 'question': domain 'randomization' has no question '1.4' (it takes 1.1, 1.2, 1.3, judgement)"
reject 's/^Bai 2014,randomization,1.3,/Bai 2014,randomization,1.2,/' \
	"bad.csv:4: study 'Bai 2014', domain 'randomization', question 1.2 is already on row 3"
reject 's/^Bai 2014,randomization,1.1,/Bai 2014,blinding,1.1,/' \
	"bad.csv:2: column 'domain': expected one of randomization, deviations, missing-data, measurement, selection, overall, got 'blinding'"
reject 's/^Bai 2014,randomization,1.1,/Nobody 2020,randomization,1.1,/' \
	"bad.csv:2: column 'study': unknown study 'Nobody 2020' (studies are linked with 'lsr study link')"
reject '/^Bai 2014,selection/d; s/^Bai 2014,overall,judgement,,,,/Bai 2014,overall,judgement,,,low,all fine/' \
	"bad.csv:25: column 'judgement': the overall judgement of study 'Bai 2014' needs all five domains assessed"
reject 's/^Bai 2014,selection,5.1,NI,,,/Bai 2014,selection,5.1,,,,/; s/^Bai 2014,selection,5.2,N,,,/Bai 2014,selection,5.2,,,,/; s/^Bai 2014,selection,5.3,N,,,/Bai 2014,selection,5.3,,,,/; s/^Bai 2014,selection,judgement,,,,/Bai 2014,selection,judgement,,,low,why not/' \
	"bad.csv:28: column 'judgement': domain 'selection' has no answers to override"
printf 'study,domain,name,judgement,quote\nBai 2014,random-sequence,,low,\n' > bad.csv
run 3 lsr -C rev rob import bad.csv --assessor gina
same "$ERR" "lsr rob: error: bad.csv:1: this is a RoB 1 sheet, but protocol.yaml says risk_of_bias: rob2"
run 2 lsr -C rev rob import frank.csv
has "$ERR" "lsr rob: error: import needs --assessor NAME"
same "$(counts rev)" "$before"
finish
