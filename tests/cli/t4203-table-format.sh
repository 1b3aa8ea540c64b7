#!/bin/sh
# lsr pool's table rounds as the forest plot does (RevMan: 2 decimals, 3
# significant digits below 0.1), generic inverse-variance estimates and
# SEs too; --json keeps full precision (issue 15).
. "$(dirname "$0")/lib.sh"

cd "$TMP"
cat > small.csv <<'EOF2'
study,mean1,sd1,n1,mean2,sd2,n2
Alpha 2001,0.0623,0.02,40,0.05,0.02,40
Beta 2002,0.071,0.025,30,0.06,0.025,30
Gamma 2003,0.1,5,3,0.05,5,3
EOF2
run 0 lsr pool --csv small.csv --measure MD --model fixed --svg f.svg
# the table's effects as the figure's, bound for bound
has "$OUT" "0.0123 [0.00353, 0.0211]"
has f.svg ">0.0123 [0.00353, 0.0211]<"
has "$OUT" "0.011 [-0.00165, 0.0237]"
has "$OUT" "0.0119 [0.00467, 0.0191]"
has f.svg ">0.0119 [0.00467, 0.0191]<"
hasnt "$OUT" "0.01 [0.00353"
hasnt "$OUT" "[0.00, "
# machines get every digit
run 0 lsr pool --csv small.csv --measure MD --model fixed --json
jqcheck "$OUT" '.studies[0].yi | . > 0.012299999 and . < 0.012300001'
jqcheck "$OUT" '.studies[1].ci_lb | . < -0.00164 and . > -0.00166 and . != -0.00165'

# generic inverse variance: estimate and SE columns by the same rule
cat > giv.csv <<'EOF2'
study,yi,sei
One 2001,0.123456,0.0456789
Two 2002,0.00123456,0.0321
Three 2003,-1.98765,0.5
EOF2
run 0 lsr pool --csv giv.csv --measure GIV --scale identity --model fixed
has "$OUT" "      0.12     0.0457"
has "$OUT" "   0.00123     0.0321"
has "$OUT" "     -1.99       0.50"
hasnt "$OUT" "0.1235"
hasnt "$OUT" "0.0012 "
run 0 lsr pool --csv giv.csv --measure GIV --scale identity --model fixed --json
jqcheck "$OUT" '[.studies[].yi]' '[0.123456,0.00123456,-1.98765]'
finish
