#!/bin/sh
# lsr extract export --format metafor|revman: the agreed data in metafor's
# escalc argument names (bi and di derived) and in RevMan's data table
# columns, with the study characteristics, written without spreadsheet
# guards; the metafor file read by R (when Rscript and metafor are here)
# gives the effects computed by hand.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/extract_lib.sh"

cd "$TMP"
new_review rev rob1
cat > x.csv <<'EOT'
study,outcome,timepoint,arm,n,mean,sd,se,ci_low,ci_high,median,q1,q3,min,max,events,hr,log_hr,o_e,variance,source
Bai 2014,ALB,1 month,intervention,32,35.2,4.7,,,,,,,,,,,,,,Table 1
Bai 2014,ALB,1 month,control,15,31.9,3.8,,,,,,,,,,,,,,Table 1
Suk 2016,ALB,1 month,intervention,37,38.6,4.0,,,,,,,,,,,,,,Table 2
Suk 2016,ALB,1 month,control,18,36.0,3.0,,,,,,,,,,,,,,Table 2
Amer 2011,fever,30 days,intervention,20,,,,,,,,,,,10,,,,,Table 3
Amer 2011,fever,30 days,control,21,,,,,,,,,,,3,,,,,Table 3
Bai 2014,fever,30 days,intervention,32,,,,,,,,,,,7,,,,,Table 3
Bai 2014,fever,30 days,control,15,,,,,,,,,,,2,,,,,Table 3
Suk 2016,survival,12 months,intervention,,,,,0.29,0.76,,,,,,,0.47,,,,Fig 2
EOT
cat > c.csv <<'EOT'
study,country,cell_type,dose_per_kg,patients,source
Bai 2014,=China,BM-MNC,,47,Table 1
Suk 2016,South Korea,BM-MSC,1e7,55,Table 1
Amer 2011,Egypt,BM-MSC,,40,Table 1
EOT
for who in alice bob; do
	run 0 lsr -C rev extract import x.csv --extractor $who
	run 0 lsr -C rev extract import c.csv --extractor $who
done

run 0 lsr -C rev extract export --format metafor -o mf.csv
same "$(cat mf.csv)" "study,outcome,timepoint,type,ai,bi,ci,di,n1i,n2i,m1i,sd1i,m2i,sd2i,yi,vi,sei,method1,method2,country,cell_type,dose_per_kg,patients
Bai 2014,ALB,1 month,continuous,,,,,32,15,35.2,4.7,31.9,3.8,,,,reported,reported,=China,BM-MNC,,47
Suk 2016,ALB,1 month,continuous,,,,,37,18,38.6,4,36,3,,,,reported,reported,South Korea,BM-MSC,1e7,55
Amer 2011,fever,30 days,dichotomous,10,10,3,18,20,21,,,,,,,,reported,reported,Egypt,BM-MSC,,40
Bai 2014,fever,30 days,dichotomous,7,25,2,13,32,15,,,,,,,,reported,reported,=China,BM-MNC,,47
Suk 2016,survival,12 months,time-to-event,,,,,,,,,,,-0.7550225843,0.0604075092,0.2457793913,hr-ci,,South Korea,BM-MSC,1e7,55"

run 0 lsr -C rev extract export --format revman --outcome fever -o rm.csv
same "$(cat rm.csv)" "Study ID,Outcome,Time point,Data type,Experimental events,Experimental mean,Experimental SD,Experimental total,Control events,Control mean,Control SD,Control total,Estimate,SE,Experimental method,Control method,country,cell_type,dose_per_kg,patients
Amer 2011,fever,30 days,Dichotomous,10,,,20,3,,,21,,,reported,reported,Egypt,BM-MSC,,40
Bai 2014,fever,30 days,Dichotomous,7,,,32,2,,,15,,,reported,reported,=China,BM-MNC,,47"
run 0 lsr -C rev extract export --format revman
has "$OUT" "Bai 2014,ALB,1 month,Continuous,,35.2,4.7,32,,31.9,3.8,15,,,reported,reported"
has "$OUT" "Suk 2016,survival,12 months,Generic inverse variance,,,,,,,,,-0.7550225843,0.2457793913,hr-ci,"
# the csv format is unchanged
run 0 lsr -C rev extract export --format csv
same "$(head -1 "$OUT")" "study,outcome,timepoint,type,m1i,sd1i,n1i,m2i,sd2i,n2i,ai,ci,yi,sei,method1,method2,country,cell_type,dose_per_kg,patients"

run 2 lsr -C rev extract export --format stata
has "$ERR" "lsr extract: error: export needs --format csv, metafor or revman"
run 1 lsr -C rev extract export --format metafor --outcome MELD
has "$ERR" "'MELD' is not an outcome in protocol.yaml"

if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e 'library(metafor)' >/dev/null 2>&1; then
	echo "Rscript with metafor absent: the R checks are skipped" >&2
	finish
fi
cat > check.R <<'EOR'
suppressMessages(library(metafor))
d <- read.csv("mf.csv", stringsAsFactors = FALSE)
f <- d[d$type == "dichotomous", ]
# the four-cell form and the events/totals form are the same table
a <- escalc("OR", ai = ai, bi = bi, ci = ci, di = di, data = f)
b <- escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = f)
stopifnot(isTRUE(all.equal(a$yi, b$yi)), isTRUE(all.equal(a$vi, b$vi)))
m <- escalc("MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i,
            data = d[d$type == "continuous", ])
t <- d[d$type == "time-to-event", ]
stopifnot(isTRUE(all.equal(t$vi, t$sei^2)))
cat(sprintf("%s %s %.4f %.4f\n", f$study, f$outcome, a$yi, a$vi), sep = "")
cat(sprintf("%s %s %.4f %.4f\n", m$study, m$outcome, m$yi, m$vi), sep = "")
cat(d$country[1], "\n")
EOR
run 0 Rscript check.R
# by hand: ln(10*18/(10*3)) = 1.7918, 1/10+1/10+1/3+1/18 = 0.5889;
# ln(7*13/(25*2)) = 0.5988, 1/7+1/25+1/2+1/13 = 0.7598;
# 35.2-31.9 = 3.3, 4.7^2/32+3.8^2/15 = 1.6530; 2.6, 16/37+9/18 = 0.9324
same "$OUT" "Amer 2011 fever 1.7918 0.5889
Bai 2014 fever 0.5988 0.7598
Bai 2014 ALB 3.3000 1.6530
Suk 2016 ALB 2.6000 0.9324
=China "
finish
