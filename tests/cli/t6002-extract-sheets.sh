#!/bin/sh
# lsr extract sheet/import/compare/resolve/export: dual extraction of the
# example's studies into a resolved dataset; every rejection gives its
# exact message, exits 3 and leaves the database as it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/extract_lib.sh"

cd "$TMP"
new_review rev rob1
HEAD="study,outcome,timepoint,arm,n,mean,sd,se,ci_low,ci_high,median,q1,q3,min,max,events,hr,log_hr,o_e,variance,source"

# --- the sheets ------------------------------------------------------
run 0 lsr -C rev extract sheet --outcomes -o out.csv
same "$(head -3 out.csv)" "study,outcome,timepoint,arm,type,unit,n,mean,sd,se,ci_low,ci_high,median,q1,q3,min,max,events,hr,log_hr,o_e,variance,p,source
Amer 2011,ALB,1 month,intervention,continuous,g/L,,,,,,,,,,,,,,,,,,
Amer 2011,ALB,1 month,control,continuous,g/L,,,,,,,,,,,,,,,,,,"
# 3 studies x (2 x 2 ALB + 2 fever + 1 survival) rows, and the header
same "$(wc -l < out.csv)" "22"
has out.csv "Suk 2016,survival,12 months,intervention,time-to-event,,"
run 0 lsr -C rev extract sheet --characteristics --study "Bai 2014"
same "$OUT" "study,country,cell_type,dose_per_kg,patients,source
Bai 2014,,,,,"
run 1 lsr -C rev extract sheet --characteristics --study "Nobody 2020"
same "$ERR" "lsr extract: error: no study 'Nobody 2020' (studies are linked with 'lsr study link')"
run 2 lsr -C rev extract sheet
has "$ERR" "lsr extract: error: sheet needs --characteristics or --outcomes"

# --- two extractors ----------------------------------------------------
cat > alice.csv <<EOT
$HEAD
Bai 2014,ALB,1 month,intervention,32,35.2,4.1,,,,,,,,,,,,,,Abstract
Bai 2014,ALB,1 month,control,15,31.9,3.8,,,,,,,,,,,,,,Abstract
Suk 2016,ALB,1 month,intervention-once,18,,,,,,38.5,35.1,41.2,,,,,,,,Table 2
Suk 2016,ALB,1 month,intervention-twice,19,39.0,2.9,,,,,,,,,,,,,,Table 2
Suk 2016,ALB,1 month,control,18,36.0,,0.7,,,,,,,,,,,,,Table 2
Amer 2011,fever,30 days,intervention,20,,,,,,,,,,,10,,,,,Table 3
Amer 2011,fever,30 days,control,20,,,,,,,,,,,0,,,,,Table 3
Suk 2016,survival,12 months,intervention,,,,,0.29,0.76,,,,,,,0.47,,,,"Fig 2, p. 7"
EOT
sed 's/32,35.2,4.1/32,35.2,4.7/; s/20,,,,,,,,,,,0,/20,,,,,,,,,,,1,/' alice.csv > bob.csv
run 0 lsr -C rev extract import alice.csv --extractor alice
same "$OUT" "imported outcome sheet 'alice.csv' extracted by alice: 8 rows, 66 values, 3 studies"
# one extractor is not enough: nothing reaches the analyses yet
run 0 lsr -C rev extract export --format csv
same "$OUT" "study,outcome,timepoint,type,m1i,sd1i,n1i,m2i,sd2i,n2i,ai,ci,yi,sei,method1,method2,country,cell_type,dose_per_kg,patients"
run 0 lsr -C rev extract import bob.csv --extractor bob --json
jqcheck "$OUT" '{kind, values}' '{"kind":"outcomes","values":66}'
run 0 lsr -C rev extract compare
same "$OUT" "Amer 2011	fever @ 30 days, control: events differ: alice '0', bob '1'
Bai 2014	ALB @ 1 month, intervention: sd differ: alice '4.1', bob '4.7'
64 agreed, 0 resolved, 2 differ, 0 pending"
run 0 lsr -C rev extract compare --json
jqcheck "$OUT" 'select(.study == "Bai 2014" and .field == "sd")' \
  '{"study":"Bai 2014","outcome":"ALB","timepoint":"1 month","arm":"intervention","field":"sd","state":"differ","values":{"alice":"4.1","bob":"4.7"},"agreed":null}'

# characteristics, by both
cat > ca.csv <<EOT
study,country,cell_type,dose_per_kg,patients,source
Bai 2014,China,bm-mnc,,47,Table 1
Suk 2016,South Korea,BM-MSC,1e7,55,Table 1
EOT
run 0 lsr -C rev extract import ca.csv --extractor alice
same "$OUT" "imported characteristics sheet 'ca.csv' extracted by alice: 2 rows, 8 values, 2 studies"
run 0 lsr -C rev extract import ca.csv --extractor bob
same "$(sql rev/review.db "SELECT value FROM extraction_values WHERE field = 'cell_type' AND study_id = 1 AND extractor = 'bob'")" "BM-MNC"

# --- every rejection: exit 3, the exact message, nothing stored ---------
before=$(counts rev)
reject() { # reject FILE-CONTENT MESSAGE
	printf '%s\n' "$1" > bad.csv
	run 3 lsr -C rev extract import bad.csv --extractor carol
	same "$ERR" "lsr extract: error: $2"
	same "$(counts rev)" "$before"
}
reject "" "bad.csv:1: the sheet is empty"
reject "id,outcome
x,y" "bad.csv:1: not an extraction sheet: the first column must be 'study' (write one with 'lsr extract sheet')"
reject "study,outcome,timepoint,arm,colour" "bad.csv:1: unknown column 'colour' (this sheet takes: study, outcome, timepoint, arm, type, unit, n, mean, sd, se, ci_low, ci_high, median, q1, q3, min, max, events, hr, log_hr, o_e, variance, p, source)"
reject "study,outcome,timepoint,arm,n,n" "bad.csv:1: column 'n' appears twice"
reject "study,outcome,arm,n" "bad.csv:1: an outcome sheet needs a column 'timepoint'"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,31.9,3.8,,,,,,,,,,,,,,
Bai 2014,ALB,1 month" "bad.csv:3: expected 21 fields as in the header, found 3"
reject "$HEAD
Nobody 2020,ALB,1 month,control,15,31.9,3.8,,,,,,,,,,,,,," "bad.csv:2: column 'study': unknown study 'Nobody 2020' (studies are linked with 'lsr study link')"
reject "$HEAD
Bai 2014,MELD,1 month,control,15,31.9,3.8,,,,,,,,,,,,,," "bad.csv:2: column 'outcome': unknown outcome 'MELD' (protocol.yaml declares: ALB, fever, survival)"
reject "$HEAD
Bai 2014,ALB,2 months,control,15,31.9,3.8,,,,,,,,,,,,,," "bad.csv:2: column 'timepoint': outcome 'ALB' has no time point '2 months' (protocol.yaml declares: 1 month, 3 months)"
reject "$HEAD
Bai 2014,ALB,1 month,placebo,15,31.9,3.8,,,,,,,,,,,,,," "bad.csv:2: column 'arm': expected intervention, control, intervention-NAME or control-NAME, got 'placebo'"
reject "$HEAD
Bai 2014,ALB,1 month,control-,15,31.9,3.8,,,,,,,,,,,,,," "bad.csv:2: column 'arm': expected intervention, control, intervention-NAME or control-NAME, got 'control-'"
reject "$HEAD
Suk 2016,survival,12 months,control,,,,,0.29,0.76,,,,,,,0.47,,,," "bad.csv:2: column 'arm': a time-to-event row compares an intervention arm with control: expected intervention or intervention-NAME, got 'control'"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,31.9,0,,,,,,,,,,,,,," "bad.csv:2: column 'sd': expected a number > 0, got '0'"
reject "$HEAD
Bai 2014,ALB,1 month,control,0,31.9,3.8,,,,,,,,,,,,,," "bad.csv:2: column 'n': expected a whole number >= 1, got '0'"
reject "$HEAD
Bai 2014,ALB,1 month,control,15.5,31.9,3.8,,,,,,,,,,,,,," "bad.csv:2: column 'n': expected a whole number >= 1, got '15.5'"
reject "$HEAD
Bai 2014,ALB,1 month,control,,31.9,3.8,,,,,,,,,,,,,," "bad.csv:2: column 'n': expected a whole number >= 1, got ''"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,about 30,3.8,,,,,,,,,,,,,," "bad.csv:2: column 'mean': expected a number, got 'about 30'"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,31.9,,,,,,,,,,,,,,," "bad.csv:2: nothing to convert: give an SD, an SE, a CI, or a median with q1/q3 and/or min/max"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,,,1.2,,,,,,,,,,,,," "bad.csv:2: column 'mean': expected a number (the mean whose SE is given), got ''"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,,,,,,30,33,31,,,,,,,," "bad.csv:2: median (30) must not be below q1 (33)"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,,,,30,29,,,,,,,,,,," "bad.csv:2: the CI's upper limit (29) must be above its lower limit (30)"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,31.9,3.8,,,,,,,,,2,,,,," "bad.csv:2: column 'events': not used by continuous outcome 'ALB'; leave it empty"
reject "$HEAD
Amer 2011,fever,30 days,intervention,20,,,,,,,,,,,25,,,,," "bad.csv:2: column 'events': expected a whole number <= n (20), got '25'"
reject "$HEAD
Amer 2011,fever,30 days,intervention,20,,,,,,,,,,,,,,,," "bad.csv:2: column 'events': expected a whole number >= 0, got ''"
reject "$HEAD
Amer 2011,fever,30 days,intervention,20,,,,,,,,,,,-1,,,,," "bad.csv:2: column 'events': expected a whole number >= 0, got '-1'"
reject "$HEAD
Suk 2016,survival,12 months,intervention,,,,,,,,,,,,,0.47,,,," "bad.csv:2: column 'ci_low': expected a number > 0 (the lower 95% limit of the hazard ratio), got ''"
reject "$HEAD
Suk 2016,survival,12 months,intervention,,,,,,,,,,,,,,,2.5,," "bad.csv:2: column 'variance': expected a number > 0 (the variance of O - E), got ''"
reject "$HEAD
Suk 2016,survival,12 months,intervention,,,,,,,,,,,,,,-0.75,,,Fig 2" "bad.csv:2: column 'se': expected a number > 0 (the SE of log_hr), got ''"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,31.9,3.8,,,,,,,,,,,,,,
Bai 2014,ALB,1 month,control,15,31.9,3.8,,,,,,,,,,,,,," "bad.csv:3: study 'Bai 2014', outcome 'ALB' at '1 month', arm 'control' is already on row 2"
reject "$HEAD
Bai 2014,ALB,1 month,control,15,31.9,3.8,,,,,,,,,,,,,,\"Table \"2\"" "bad.csv:2: malformed CSV: error parsing data while strict checking enabled"
reject "study,country,cell_type,dose_per_kg,patients,source
Bai 2014,China,iPSC,,47," "bad.csv:2: column 'cell_type': expected one of BM-MSC, BM-MNC, UC-MSC, got 'iPSC'"
reject "study,country,cell_type,dose_per_kg,patients,source
Bai 2014,China,,1e7 cells,47," "bad.csv:2: column 'dose_per_kg': expected a number, got '1e7 cells'"
reject "study,country,cell_type,dose_per_kg,patients,source
Bai 2014,China,,,47.5," "bad.csv:2: column 'patients': expected a whole number, got '47.5'"
reject "study,country,source
Bai 2014,China,
Bai 2014,Egypt," "bad.csv:3: study 'Bai 2014' is already on row 2"
# a file that is not there, and a missing extractor
run 1 lsr -C rev extract import nope.csv --extractor carol
same "$ERR" "lsr extract: error: cannot open 'nope.csv': No such file or directory"
run 2 lsr -C rev extract import alice.csv
has "$ERR" "lsr extract: error: import needs --extractor NAME"
same "$(counts rev)" "$before"

# --- resolution ------------------------------------------------------
run 0 lsr -C rev extract resolve --study "Bai 2014" --outcome ALB --timepoint "1 month" --arm intervention --field sd --take bob --note "Table 2 says 4.7"
run 0 lsr -C rev extract resolve --study "Amer 2011" --outcome fever --timepoint "30 days" --arm control --field events --value 1
same "$OUT" "recorded the agreed value of Amer 2011, fever at 30 days, control, events"
run 0 lsr -C rev extract compare
same "$OUT" "72 agreed, 2 resolved, 0 differ, 0 pending"
run 0 lsr -C rev extract resolve --study "Bai 2014" --characteristic dose_per_kg --not-reported --note "not in the paper"
same "$OUT" "recorded the agreed value of Bai 2014, dose_per_kg"
run 0 lsr -C rev extract compare --all
has "$OUT" "Bai 2014	ALB @ 1 month, intervention: sd resolved: alice '4.1', bob '4.7' -> '4.7'"
has "$OUT" "Bai 2014	cell_type: agreed: alice 'BM-MNC', bob 'BM-MNC' -> 'BM-MNC'"
has "$OUT" "Bai 2014	dose_per_kg: resolved: alice '', bob '' -> ''"
# the history stays: both extractions and the resolutions
same "$(sql rev/review.db "SELECT count(*) FROM extraction_values WHERE field = 'sd' AND study_id = 1 AND arm = 'intervention'")" "2"
same "$(sql rev/review.db "SELECT value || ' ' || note || ' ' || actor FROM extraction_resolutions WHERE field = 'sd'")" "4.7 Table 2 says 4.7 tester"
set +e
sqlite3 rev/review.db "UPDATE extraction_values SET value = '1'" 2>"$TMP/e"
set -e
has "$TMP/e" "extraction values are append-only"

before=$(counts rev)
run 3 lsr -C rev extract resolve --study "Amer 2011" --outcome fever --timepoint "30 days" --arm control --field events --value 25
same "$ERR" "lsr extract: error: refused: with this value, the agreed values of study 'Amer 2011', outcome 'fever' at '30 days', arm 'control', field 'events' give: column 'events': expected a whole number <= n (20), got '25'"
run 3 lsr -C rev extract resolve --study "Bai 2014" --outcome ALB --timepoint "1 month" --arm intervention --field sd --value -1
same "$ERR" "lsr extract: error: column 'sd': expected a number > 0, got '-1'"
run 3 lsr -C rev extract resolve --study "Bai 2014" --characteristic cell_type --value iPSC
same "$ERR" "lsr extract: error: column 'cell_type': expected one of BM-MSC, BM-MNC, UC-MSC, got 'iPSC'"
run 1 lsr -C rev extract resolve --study "Bai 2014" --outcome ALB --timepoint "3 months" --arm control --field sd --value 2
same "$ERR" "lsr extract: error: nothing was extracted for study 'Bai 2014', outcome 'ALB' at '3 months', arm 'control', field 'sd'"
run 1 lsr -C rev extract resolve --study "Bai 2014" --characteristic country --take carol
same "$ERR" "lsr extract: error: extractor 'carol' gave no value for study 'Bai 2014', characteristic 'country'"
run 1 lsr -C rev extract resolve --study "Nobody 2020" --characteristic country --value Peru
same "$ERR" "lsr extract: error: no study 'Nobody 2020'"
run 2 lsr -C rev extract resolve --study "Bai 2014" --outcome ALB --timepoint "1 month" --arm control --field events --value 1
same "$ERR" "lsr extract: error: 'events' is not a field of continuous outcome 'ALB'
see 'lsr extract -h'"
run 2 lsr -C rev extract resolve --study "Bai 2014" --characteristic country
has "$ERR" "lsr extract: error: resolve needs one of --value V, --not-reported or --take EXTRACTOR"
run 2 lsr -C rev extract resolve --study "Bai 2014" --field sd --value 1
has "$ERR" "lsr extract: error: resolve needs --study and either --characteristic NAME or --outcome, --timepoint, --arm and --field"
same "$(counts rev)" "$before"

# --- export: metafor's columns, extra arms combined, conversions named ----
run 0 lsr -C rev extract export --format csv -o all.csv
same "$(cat all.csv)" "study,outcome,timepoint,type,m1i,sd1i,n1i,m2i,sd2i,n2i,ai,ci,yi,sei,method1,method2,country,cell_type,dose_per_kg,patients
Bai 2014,ALB,1 month,continuous,35.2,4.7,32,31.9,3.8,15,,,,,reported,reported,China,BM-MNC,,47
Suk 2016,ALB,1 month,continuous,38.63387838,3.965070868,37,36,2.969848481,18,,,,,cochrane-combine,se,South Korea,BM-MSC,1e7,55
Amer 2011,fever,30 days,dichotomous,,,20,,,20,10,1,,,reported,reported,,,,
Suk 2016,survival,12 months,time-to-event,,,,,,,,,-0.7550225843,0.2457793913,hr-ci,,South Korea,BM-MSC,1e7,55"
# every conversion is traceable to the reported values
same "$(sql rev/review.db "SELECT inputs FROM extraction_arm_data WHERE study_id = 2 AND outcome = 'ALB' AND arm = 'control'")" '{"arm":"control","reported":{"n":"18","mean":"36.0","se":"0.7"}}'
same "$(sql rev/review.db "SELECT json_extract(inputs, '\$.combined[0].method') FROM extraction_arm_data WHERE study_id = 2 AND outcome = 'ALB' AND arm = 'intervention'")" "luo2018-iqr+wan2014-iqr"
run 1 lsr -C rev extract export --format csv --outcome MELD
same "$ERR" "lsr extract: error: 'MELD' is not an outcome in protocol.yaml"
run 2 lsr -C rev extract export
has "$ERR" "lsr extract: error: export needs --format csv"

# the same data in R, when R and metafor are here
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(metafor)' >/dev/null 2>&1; then
	run 0 lsr -C rev extract export --format csv --outcome ALB -o alb.csv
	run 0 Rscript -e 'suppressMessages(library(metafor)); d <- read.csv("alb.csv"); e <- escalc("MD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, data=d); cat(sprintf("%s %.4f %.4f\n", e$study, e$yi, e$vi), sep="")'
	# Bai: 35.2 - 31.9 = 3.3; 4.7^2/32 + 3.8^2/15 = 1.6530
	same "$OUT" "Bai 2014 3.3000 1.6530
Suk 2016 2.6339 0.9149"
fi
finish
