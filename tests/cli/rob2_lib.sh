# rob2_lib.sh - RoB 2 sheet rows for the CLI tests (sourced after lib.sh).
#
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
