#!/bin/sh
# The outcome sheet's p column (issue 15): a study-level effect (a
# time-to-event row's hazard ratio and 95% CI) may carry the p printed
# beside it; the sheet checks it is a p-value, old sheets without the
# column still import, and the report flags in its red box every agreed
# effect whose p does not fit its interval, as lsr check-stats does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/extract_lib.sh"

cd "$TMP"
new_review rev rob1
run 0 lsr -C rev extract sheet --outcomes -o sheet.csv
same "$(head -1 sheet.csv)" "study,outcome,timepoint,arm,type,unit,n,mean,sd,se,ci_low,ci_high,median,q1,q3,min,max,events,hr,log_hr,o_e,variance,p,source"
# Suk: HR 0.47 [0.29, 0.76] implies p = 0.002, not 0.40; Bai: HR 0.80
# [0.50, 1.28] implies p = 0.35 as printed; Amer: < 0.001 fits 0.30
# [0.20, 0.45] (p = 6e-9)
cat > x.csv <<'EOT'
study,outcome,timepoint,arm,ci_low,ci_high,hr,p,source
Suk 2016,survival,12 months,intervention,0.29,0.76,0.47,0.40,Fig 2
Bai 2014,survival,12 months,intervention,0.50,1.28,0.80,0.35,Table 4
Amer 2011,survival,12 months,intervention,0.20,0.45,0.30,<0.001,Table 4
EOT
run 0 lsr -C rev extract import x.csv --extractor alice
# the import says which rows' p does not fit, and stores them as printed
same "$(cat "$ERR")" "lsr extract: warning: x.csv:2: HR 0.47 [0.29, 0.76], p 0.40: the p-value is not the one the interval implies (the interval implies p = 0.0021); stored as printed (the report flags it)"
run 0 lsr -C rev extract import x.csv --extractor bob --json
jqcheck "$OUT" .p_inconsistent '["x.csv:2: HR 0.47 [0.29, 0.76], p 0.40: the p-value is not the one the interval implies (the interval implies p = 0.0021)"]'
same "$(sql rev/review.db "SELECT count(*) FROM extraction_values WHERE field = 'p' AND value IS NOT NULL")" "6"
run 0 lsr -C rev report -o rep
tr -d '\n' < rep/index.html | grep -o '<div class="alert"><strong>Study-level effects[^$]*</ul></div>' | sed 's/<\/ul><\/div>.*/<\/ul><\/div>/' > flags.html
has flags.html "<li><strong>Suk 2016</strong>, survival at 12 months: HR 0.47 [0.29, 0.76], p 0.40: the p-value is not the one the interval implies (the interval implies p = 0.0021)</li>"
hasnt flags.html "Bai 2014"
hasnt flags.html "Amer 2011"
# the same numbers through lsr check-stats
printf 'label,measure,estimate,ci_lb,ci_ub,p\nSuk,HR,0.47,0.29,0.76,0.40\nBai,HR,0.80,0.50,1.28,0.35\n' > cs.csv
run 0 lsr check-stats cs.csv --json
jqcheck -s "$OUT" '[.[] | .consistent]' '[false,true]'

# extractors who differ on p: not agreed, not checked until resolved
sed 's/0.47,0.40/0.47,0.002/' x.csv > y.csv
run 0 lsr -C rev extract import y.csv --extractor bob
run 0 lsr -C rev report -o rep2
hasnt rep2/index.html "Study-level effects whose p-value"
run 0 lsr -C rev extract resolve --study "Suk 2016" --outcome survival --timepoint "12 months" --arm intervention --field p --value 0.04
run 0 lsr -C rev report -o rep3
has rep3/index.html "HR 0.47 [0.29, 0.76], p 0.04: the p-value is not the one the interval implies"
run 0 lsr -C rev extract resolve --study "Suk 2016" --outcome survival --timepoint "12 months" --arm intervention --field p --take bob
run 0 lsr -C rev report -o rep4
hasnt rep4/index.html "Study-level effects whose p-value"
run 3 lsr -C rev extract resolve --study "Suk 2016" --outcome survival --timepoint "12 months" --arm intervention --field p --value "p is small"
has "$ERR" "column 'p': expected a p-value as printed (0.03, =0.03, <0.001), got 'p is small'"

# the sheet's checks: a p-value, and only on a study-level effect
printf 'study,outcome,timepoint,arm,hr,ci_low,ci_high,p,source\nSuk 2016,survival,12 months,intervention,0.47,0.29,0.76,1.5,x\n' > bad.csv
run 3 lsr -C rev extract import bad.csv --extractor carol
has "$ERR" "bad.csv:2: column 'p': expected a p-value as printed (0.03, =0.03, <0.001), got '1.5'"
printf 'study,outcome,timepoint,arm,n,mean,sd,p,source\nBai 2014,ALB,1 month,control,15,31.9,3.8,0.2,x\n' > bad2.csv
run 3 lsr -C rev extract import bad2.csv --extractor carol
has "$ERR" "column 'p': not used by continuous outcome 'ALB'; leave it empty"
finish
