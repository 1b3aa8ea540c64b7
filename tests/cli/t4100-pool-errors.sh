#!/bin/sh
# lsr pool: every error path gives its exact message and exit code (usage 2,
# bad input 3, other failures 1), and never a crash.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
cat > cont.csv <<'EOF'
study,mean1,sd1,n1,mean2,sd2,n2
Alpha 2001,5,4.7,13,6.5,3.8,13
Beta 2003,4.9,1.71,30,6.1,2.3,50
EOF
cat > bin.csv <<'EOF'
study,events1,n1,events2,n2
A,4,123,11,139
B,6,306,29,303
EOF

# usage errors: exit 2
run 2 lsr pool --measure MD
has "$ERR" "lsr pool: error: the analysis options go with --csv FILE; the review's analyses take theirs from protocol.yaml"
run 2 lsr pool --csv cont.csv --measure MD --analysis meld
has "$ERR" "lsr pool: error: --analysis, --figures and --update go with the review's analyses, not with --csv"
run 2 lsr pool --csv cont.csv
same "$(head -1 "$ERR")" "lsr pool: error: --measure is required (MD, SMD, OR, RR, RD or GIV)"
run 2 lsr pool --csv cont.csv --measure XX
has "$ERR" "lsr pool: error: unknown measure 'XX' (expected MD, SMD, OR, RR, RD or GIV)"
run 2 lsr pool --csv cont.csv --measure MD --method XX
has "$ERR" "lsr pool: error: unknown method 'XX' (expected IV, MH or Peto)"
run 2 lsr pool --csv cont.csv --measure MD --tau2 HSK
has "$ERR" "lsr pool: error: unknown tau2 estimator 'HSK' (expected REML, DL, PM, ML, HS, HE, SJ or EB)"
run 2 lsr pool --csv cont.csv --measure MD --tau2 DLX
has "$ERR" "lsr pool: error: unknown tau2 estimator 'DLX' (expected REML, DL, PM, ML, HS, HE, SJ or EB)"
run 2 lsr pool --csv cont.csv --measure MD --model mixedup
has "$ERR" "lsr pool: error: unknown model 'mixedup' (expected fixed, random or auto)"
run 2 lsr pool --csv cont.csv --measure MD --convention stata
has "$ERR" "lsr pool: error: unknown convention 'stata' (expected revman5 or metafor)"
run 2 lsr pool --csv cont.csv --measure MD --preset revman6
has "$ERR" "lsr pool: error: unknown preset 'revman6' (expected revman5)"
run 2 lsr pool --csv bin.csv --measure RD --rd-variance XY
has "$ERR" "lsr pool: error: unknown RD variance 'XY' (expected GR or SGR)"
run 2 lsr pool --csv cont.csv --measure MD --scale log
has "$ERR" "lsr pool: error: --scale applies to --measure GIV only"
run 2 lsr pool --csv cont.csv --measure MD --bogus
has "$ERR" "lsr pool: error: unknown option '--bogus'"
run 2 lsr pool --csv cont.csv --measure MD extra
has "$ERR" "lsr pool: error: unexpected argument 'extra'"
run 2 lsr pool --csv cont.csv --measure MD --method MH
has "$ERR" "lsr pool: error: Mantel-Haenszel pools binary data only (OR, RR, RD)"
run 2 lsr pool --csv bin.csv --measure RR --method Peto --model fixed
has "$ERR" "lsr pool: error: the Peto method estimates odds ratios only (--measure OR)"
run 2 lsr pool --csv bin.csv --measure OR --method Peto
has "$ERR" "lsr pool: error: the Peto method is fixed-effect only (RevMan offers no random-effects Peto): add --model fixed"
run 2 lsr pool --csv cont.csv --measure MD --exclude "Gamma 2005"
has "$ERR" "lsr pool: error: --exclude: no study is labelled 'Gamma 2005'"
printf 'study,subgroup,mean1,sd1,n1,mean2,sd2,n2\nA,x,5,4,13,6,3,13\nB,y,4,1,30,6,2,50\n' > sub.csv
run 2 lsr pool --csv sub.csv --measure MD --subgroup --moderator
has "$ERR" "lsr pool: error: --subgroup and --moderator both report subgroups[]; run them one at a time"
printf 'study,subgroup,events1,n1,events2,n2\nA,x,4,123,11,139\nB,y,6,306,29,303\n' > subbin.csv
run 2 lsr pool --csv subbin.csv --measure OR --moderator
has "$ERR" "lsr pool: error: meta-regression (--moderator) uses inverse-variance weights: use --method IV"
run 0 lsr pool -h
has "$OUT" "usage: lsr pool --csv FILE --measure MD|SMD|OR|RR|RD|GIV"

# input rejected: exit 3, naming file, row and column
run 3 lsr pool --csv bin.csv --measure MD
has "$ERR" "lsr pool: error: bin.csv:1: missing column 'mean1'"
printf 'name,mean1,sd1,n1,mean2,sd2,n2\nA,1,1,1,1,1,1\n' > nostudy.csv
run 3 lsr pool --csv nostudy.csv --measure MD
has "$ERR" "lsr pool: error: nostudy.csv:1: missing column 'study'"
printf 'study,yi\nA,1\n' > nose.csv
run 3 lsr pool --csv nose.csv --measure GIV
has "$ERR" "lsr pool: error: nose.csv:1: missing column 'sei' (or 'vi')"
printf 'study,n1,N1,events1,events2,n2\nA,1,1,1,1,1\n' > twice.csv
run 3 lsr pool --csv twice.csv --measure OR
has "$ERR" "lsr pool: error: twice.csv:1: column 'n1' appears twice"
printf 'study,mean1,sd1,n1,mean2,sd2,n2\nA,5,4.7,13,6.5,3.8,13\nB,abc,1.71,30,6.1,2.3,50\n' > nan.csv
run 3 lsr pool --csv nan.csv --measure MD
has "$ERR" "lsr pool: error: nan.csv:3: column 'mean1': expected a number, got 'abc'"
printf 'study,mean1,sd1,n1,mean2,sd2,n2\nA,5,inf,13,6.5,3.8,13\n' > inf.csv
run 3 lsr pool --csv inf.csv --measure MD
has "$ERR" "lsr pool: error: inf.csv:2: column 'sd1': expected a number, got 'inf'"
printf 'study,mean1,sd1,n1,mean2,sd2,n2\nA,5,-1,13,6.5,3.8,13\n' > sd.csv
run 3 lsr pool --csv sd.csv --measure MD
has "$ERR" "lsr pool: error: sd.csv:2: column 'sd1': expected a positive number, got '-1'"
printf 'study,mean1,sd1,n1,mean2,sd2,n2\nA,5,1,13,6.5,0,13\n' > sd0.csv
run 3 lsr pool --csv sd0.csv --measure SMD
has "$ERR" "lsr pool: error: sd0.csv:2: column 'sd2': expected a positive number, got '0'"
printf 'study,events1,n1,events2,n2\nA,4,0,11,139\n' > n0.csv
run 3 lsr pool --csv n0.csv --measure OR
has "$ERR" "lsr pool: error: n0.csv:2: column 'n1': expected a whole number of at least 1, got '0'"
printf 'study,events1,n1,events2,n2\nA,4,10,12,10\n' > ev.csv
run 3 lsr pool --csv ev.csv --measure RR
has "$ERR" "lsr pool: error: ev.csv:2: column 'events2': 12 events but n2 is 10"
printf 'study,events1,n1,events2,n2\nA,-1,10,2,10\n' > evneg.csv
run 3 lsr pool --csv evneg.csv --measure RR
has "$ERR" "lsr pool: error: evneg.csv:2: column 'events1': expected a whole number of at least 0, got '-1'"
printf 'study,yi,sei\nA,0.1,0\n' > se0.csv
run 3 lsr pool --csv se0.csv --measure GIV
has "$ERR" "lsr pool: error: se0.csv:2: column 'sei': expected a positive number, got '0'"
printf 'study,yi,vi\nA,0.1,x\n' > vix.csv
run 3 lsr pool --csv vix.csv --measure GIV
has "$ERR" "lsr pool: error: vix.csv:2: column 'vi': expected a number, got 'x'"
printf 'study,yi,sei\n,0.1,0.2\n' > nolabel.csv
run 3 lsr pool --csv nolabel.csv --measure GIV
has "$ERR" "lsr pool: error: nolabel.csv:2: column 'study': empty study label"
printf 'study,events1,n1,events2,n2\nA,0,10,0,12\nB,0,5,0,7\n' > dz.csv
run 3 lsr pool --csv dz.csv --measure OR
has "$ERR" "lsr pool: error: dz.csv: no estimable study among the 2 studies (no events in either arm)"
: > empty.csv
run 3 lsr pool --csv empty.csv --measure GIV
has "$ERR" "lsr pool: error: empty.csv: empty file (expected a header row)"
printf 'study,yi,sei\n' > header.csv
run 3 lsr pool --csv header.csv --measure GIV
has "$ERR" "lsr pool: error: header.csv: no study rows after the header"
run 3 lsr pool --csv cont.csv --measure MD --subgroup
has "$ERR" "lsr pool: error: cont.csv:1: missing column 'subgroup' (needed by --subgroup)"
printf 'study,subgroup,yi,sei\nA,x,0.1,0.2\nB,,0.2,0.3\n' > subempty.csv
run 3 lsr pool --csv subempty.csv --measure GIV --subgroup
has "$ERR" "lsr pool: error: subempty.csv:3: column 'subgroup': empty (--subgroup needs a subgroup for every study)"

# other failures: exit 1
printf 'study,yi,sei\nA,0.1,0.2\nB,0.3,1e-160\n' > tiny.csv
run 1 lsr pool --csv tiny.csv --measure GIV
has "$ERR" "lsr pool: error: cannot weight the studies: a variance is too close to 0 (or too large) for double precision"
run 1 lsr pool --csv nosuch.csv --measure MD
has "$ERR" "lsr pool: error: cannot open 'nosuch.csv': No such file or directory"
run 1 lsr pool --csv cont.csv --measure MD --svg nodir/forest.svg
has "$ERR" "lsr pool: error: cannot write 'nodir/forest.svg': No such file or directory"
# strict CSV (issue 14): the unterminated quote used to swallow the file
printf 'study,yi,sei\nA,0.1,0.2\n"B,0.3,0.2\nC,0.2,0.1\n' > quote.csv
run 3 lsr pool --csv quote.csv --measure GIV
has "$ERR" "lsr pool: error: quote.csv:3: unterminated quote"
printf 'study,yi,sei\nA,0x10,0.2\n' > hex.csv
run 3 lsr pool --csv hex.csv --measure GIV
has "$ERR" "lsr pool: error: hex.csv:2: column 'yi': expected a number, got '0x10'"
printf 'study,events1,n1,events2,n2\nA,2,10,3,10\nB,1,9.5,3,10\n' > frac.csv
run 3 lsr pool --csv frac.csv --measure OR
has "$ERR" "lsr pool: error: frac.csv:3: column 'n1': expected a whole number of at least 1, got '9.5'"
printf 'study,yi,sei\nA,0.1,0.2\nB,0.3\n' > short.csv
run 3 lsr pool --csv short.csv --measure GIV
has "$ERR" "lsr pool: error: short.csv:3: column 'sei': missing (the row has 2 fields, the header 3)"
finish
