# rob_lib.sh - a small review and RoB 2 sheet rows for the risk-of-bias
# CLI tests (sourced after lib.sh).
#
#   abc_review DIR TITLE   a review DIR with studies A 2017, B 2018 and
#                          C 2019, whose protocol.yaml is a preamble (TITLE,
#                          PubMed, one reason) and then the text on stdin
#   abc_data PART...       an outcome sheet (header first) with these rows
#                          of A, B and C: alb1 (ALB at 1 month), alb3 (at
#                          3 months), fever (at 30 days)
#   rob2_block PREFIX D1   the rows of one result: PREFIX is "study,",
#                          "study,outcome," or "study,outcome,timepoint,"
#                          (the sheet's leading columns); every domain is
#                          answered low but randomization, answered
#                          low, some (concerns) or high as D1 says; the
#                          overall follows.

rob2_block() {
	case $2 in
	low) d1="Y Y N" ;;
	some) d1="Y NI N" ;;
	high) d1="Y N N" ;;
	esac
	set -- "$1" $d1
	printf '%srandomization,1.1,%s,,,\n%srandomization,1.2,%s,,,\n%srandomization,1.3,%s,,,\n%srandomization,judgement,,,,\n' \
		"$1" "$2" "$1" "$3" "$1" "$4" "$1"
	for r in "deviations,2.1,Y" "deviations,2.2,Y" "deviations,2.3,N" "deviations,2.4," "deviations,2.5,NA" \
		"deviations,2.6,Y" "deviations,2.7," "deviations,judgement," \
		"missing-data,3.1,Y" "missing-data,3.2," "missing-data,3.3," "missing-data,3.4," "missing-data,judgement," \
		"measurement,4.1,N" "measurement,4.2,N" "measurement,4.3,N" "measurement,4.4," "measurement,4.5," "measurement,judgement," \
		"selection,5.1,Y" "selection,5.2,N" "selection,5.3,N" "selection,judgement," "overall,judgement,"; do
		printf '%s%s,,,\n' "$1" "$r"
	done
}

abc_review() {
	lsr init "$1" >/dev/null || fail "lsr init $1 failed"
	{ printf 'lsr_protocol: 1\ntitle: %s\nsources:\n  - name: PubMed\n' "$2"
	  printf 'screening:\n  reasons:\n    - {code: off-topic}\n'
	  cat; } > "$1/protocol.yaml"
	for s in "A 2017" "B 2018" "C 2019"; do
		sqlite3 "$1/review.db" "INSERT INTO studies(label, created_at, actor) VALUES('$s', '2023-11-14T22:13:20Z', 'tester')"
	done
}

abc_data() {
	echo "study,outcome,timepoint,arm,n,events,mean,sd,source"
	for part in "$@"; do
		case $part in
		alb1) printf '%s\n' "A 2017,ALB,1 month,intervention,20,,33.1,3.9,T2" "A 2017,ALB,1 month,control,20,,30.2,4.2,T2" \
			"B 2018,ALB,1 month,intervention,32,,35.5,3.6,T2" "B 2018,ALB,1 month,control,15,,30.3,2.2,T2" \
			"C 2019,ALB,1 month,intervention,50,,31.0,4.4,T2" "C 2019,ALB,1 month,control,53,,30.4,4.1,T2" ;;
		alb3) printf '%s\n' "A 2017,ALB,3 months,intervention,20,,34.0,4.0,T2" "A 2017,ALB,3 months,control,20,,30.0,4.1,T2" \
			"B 2018,ALB,3 months,intervention,30,,36.0,3.5,T2" "B 2018,ALB,3 months,control,14,,30.1,2.5,T2" \
			"C 2019,ALB,3 months,intervention,48,,31.5,4.2,T2" "C 2019,ALB,3 months,control,50,,30.2,4.0,T2" ;;
		fever) printf '%s\n' "A 2017,fever,30 days,intervention,50,10,,,T1" "A 2017,fever,30 days,control,50,20,,,T1" \
			"B 2018,fever,30 days,intervention,40,8,,,T1" "B 2018,fever,30 days,control,40,15,,,T1" \
			"C 2019,fever,30 days,intervention,30,6,,,T1" "C 2019,fever,30 days,control,30,12,,,T1" ;;
		*) fail "abc_data: no part '$part'" ;;
		esac
	done
}
