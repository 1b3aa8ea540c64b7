# rel-lib.sh - reviews for the reliability tests (t951x, sourced after
# lib.sh): small, built from nothing but lsr, so they run on a clone
# without ../shared.
#
#   rel_pool_review DIR     a review with three studies' extracted data
#                           (rev/chars.csv, rev/outcomes.csv, to import)
#                           and four analyses with data (alb-4w,
#                           alb-by-time, alb-by-route, alb-no-c) and one
#                           without (fever)
#   rel_nbib N FIRST [PAD]  N MEDLINE records from PMID FIRST on stdout,
#                           every tenth one a duplicate of the one before
#                           (the same PMID and title, another journal);
#                           PAD more characters in each abstract (a file
#                           that takes longer to import, not to dedup)
#   as_nobody CMD...        CMD as user nobody (setpriv, else su); exit
#                           status 125 when neither can switch user

rel_pool_review() {
	lsr init "$1" >/dev/null
	cat > "$1/protocol.yaml" <<'YAML'
lsr_protocol: 1
title: reliability test
sources:
  - name: PubMed
    files: [exports/*.nbib]
screening:
  reasons:
    - {code: off-topic}
extraction:
  extractors: 1
  allow_single_extractor: true
  risk_of_bias: rob1
  outcomes:
    - {name: albumin, type: continuous, unit: g/L, better: higher, timepoints: [4 weeks, 12 weeks]}
    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days]}
  characteristics:
    - {name: route, type: choice, values: [intravenous, hepatic artery]}
analyses:
  defaults: {model: random, tau2: DL, hk: false}
  list:
    - name: alb-4w
      measure: MD
      outcome: albumin
      timepoint: 4 weeks
    - {name: alb-by-time, measure: SMD, outcome: albumin, subgroup: timepoint}
    - {name: alb-by-route, measure: MD, outcome: albumin, timepoint: 4 weeks, subgroup: route}
    - {name: alb-no-c, measure: MD, outcome: albumin, timepoint: 4 weeks, exclude: [C 2019]}
    - {name: fever, measure: RR, outcome: fever, timepoint: 30 days}
YAML
	sqlite3 "$1/review.db" "INSERT INTO studies(label, created_at, actor)
		SELECT column1, '2023-11-14T22:13:20Z', 'tester' FROM (VALUES ('A 2017'), ('B 2018'), ('C 2019'))"
	cat > "$1/chars.csv" <<'CSV'
study,route,source
A 2017,intravenous,T1
B 2018,hepatic artery,T1
C 2019,intravenous,T1
CSV
	# study, time point, then n, mean and sd of the intervention and the control arm
	{
		echo "study,outcome,timepoint,arm,n,mean,sd,source"
		while read -r st tp n1 m1 s1 n2 m2 s2; do
			st=$(echo "$st" | tr _ ' ')
			tp=$(echo "$tp" | tr _ ' ')
			echo "$st,albumin,$tp,intervention,$n1,$m1,$s1,rel"
			echo "$st,albumin,$tp,control,$n2,$m2,$s2,rel"
		done <<'ROWS'
A_2017 4_weeks 21 33.4 3.8 22 30.1 4.0
B_2018 4_weeks 30 33.9 3.5 16 30.6 2.4
C_2019 4_weeks 48 31.2 4.3 51 30.2 4.2
A_2017 12_weeks 21 34.2 3.9 22 30.3 4.0
C_2019 12_weeks 48 32.5 4.1 51 30.0 4.4
ROWS
	} > "$1/outcomes.csv"
}

rel_nbib() {
	awk -v n="$1" -v first="$2" -v pad="${3:-0}" 'BEGIN {
		more = ""
		for (k = 0; k < pad; k++)
			more = more substr("stem cells liver ", k % 17 + 1, 1)
		for (i = 0; i < n; i++) {
			t = i; if (i % 10 == 9) t = i - 1
			printf "PMID- %d\nTI  - Trial %d of stem cells in cirrhosis cohort %d\n", first + t, t, t % 7
			printf "AU  - Author%d A\nAU  - Second%d B\nDP  - %d\nTA  - %s\n", t, t % 13, 2000 + t % 20,
				t == i ? "J Hepatol" : "Hepatology"
			printf "LA  - eng\nPT  - Journal Article\nAB  - Patients with cirrhosis number %d.%s\n\n", t, more
		}
	}'
}

as_nobody() {
	if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	elif command -v su >/dev/null && su nobody -s /bin/sh -c true 2>/dev/null; then
		# su takes one command line: quote every word
		cmdline=
		for w in "$@"; do
			cmdline="$cmdline '$(printf '%s' "$w" | sed "s/'/'\\\\''/g")'"
		done
		su nobody -s /bin/sh -c "$cmdline"
	else
		return 125
	fi
}
