#!/bin/sh
# Crash consistency (issue 20): kill -9 at random moments of every command
# that writes - import, dedup, screen import, extract import, rob import,
# pool, update - then check the database (PRAGMA integrity_check, lsr
# status --check) and run the command again: the review must reach the
# state an uninterrupted run leaves (records, runs, citations, decisions,
# extracted values, pooled results and figures, the update's summary,
# lsr prisma --json).
#
# Each kill point is a random fraction of the command's uninterrupted
# duration, from a fixed seed: LSR_CRASH_SEED (default 20), and
# LSR_CRASH_TRIALS kills per command (default 3; more on demand, e.g.
# LSR_CRASH_TRIALS=30 as the issue's campaign); LSR_CRASH_ONLY="pool
# update" kills only those commands (names as in the campaign lines below).  The last line counts the
# trials, the kills that landed while the command ran and the outcomes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rel-lib.sh"

TRIALS=${LSR_CRASH_TRIALS:-3}
SEED=${LSR_CRASH_SEED:-20}
cd "$TMP"

# ---- the states each command starts from (bases), built once ------------
rel_pool_review w
mkdir w/exports
rel_nbib 4000 100000 > w/exports/first.nbib
cp -a w base-import
run 0 lsr -C w import w/exports/first.nbib --source PubMed
cp -a w base-dedup
run 0 lsr -C w dedup
run 0 lsr -C w screen batch --reviewer ann --stage title-abstract --size 400 -o w/batch.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
	{ inc = $1 % 5 == 0; $(NF-6) = inc ? "include" : "exclude"; $(NF-5) = inc ? "" : "off-topic"; print }' \
	w/batch.csv > w/filled.csv
cp -a w base-screen
run 0 lsr -C w extract import w/chars.csv --extractor ann
cp -a w base-extract
run 0 lsr -C w extract import w/outcomes.csv --extractor ann
run 0 lsr -C w rob sheet -o w/rob.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $4 = NR % 3 ? "low" : "unclear"; $5 = "per protocol"; print }' \
	w/rob.csv > w/rob-filled.csv
cp -a w base-rob
cp -a w base-pool
rel_nbib 1500 900000 > w/exports/second.nbib
cp -a w base-update
rm -rf w

# what the review holds, for comparing a rerun with the uninterrupted run
# (extracted values and risk-of-bias answers are append-only, the latest
# row current: a sheet imported again adds rows with the same values)
fingerprint() {
	sqlite3 w/review.db "
		SELECT 'records', count(*) FROM live_records;
		SELECT 'runs', group_concat(id || ':' || status || ':' || count_records, ' ') FROM
			(SELECT * FROM runs WHERE id NOT IN (SELECT run_id FROM import_pending) ORDER BY id);
		SELECT 'pending', count(*) FROM import_pending;
		SELECT 'members', count(*), sum(record_id * citation_id) FROM citation_members;
		SELECT 'citations', count(*) FROM live_citations;
		SELECT 'decisions', count(*), group_concat(citation_id || verdict, ' ') FROM
			(SELECT * FROM screen_decisions ORDER BY citation_id);
		SELECT 'values', count(*) FROM (SELECT DISTINCT study_id, outcome, timepoint, arm, field,
			value, extractor FROM extraction_values);
		SELECT 'rob', count(*) FROM (SELECT DISTINCT study_id, tool, domain, question, value, quote,
			assessor FROM rob_values);
		SELECT 'pooled', count(*) FROM pool_results;
		SELECT 'updates', group_concat(no || ':' || coalesce(summary, '-'), ' ') FROM updates;"
	"$LSR" -C w prisma --json 2>&1 || true
	for f in w/figures/*; do
		[ -e "$f" ] && sha256sum "$f"
	done
	return 0
}

ms() { date +%s%N | cut -c1-13; }
# rnd N: the Nth random fraction of the seed, in [0, 1)
rnd() { awk -v s="$SEED" -v n="$1" 'BEGIN { srand(s * 100003 + n); print rand() }'; }

trials=0
killed=0
finished=0
leftovers=0
k=0
# campaign NAME ARGS...: the command of base-NAME, run once to measure it
# and take the reference state, then killed TRIALS times
campaign() {
	name=$1
	shift
	case " ${LSR_CRASH_ONLY:-$name} " in
	*" $name "*) ;;
	*) return 0 ;;
	esac
	rm -rf w
	cp -a "base-$name" w
	t0=$(ms)
	run 0 lsr -C w "$@"
	t1=$(ms)
	dur=$((t1 - t0))
	fingerprint > "ref-$name"
	rm -rf w
	i=0
	while [ $i -lt "$TRIALS" ]; do
		i=$((i + 1))
		k=$((k + 1))
		trials=$((trials + 1))
		cp -a "base-$name" w
		at=$(awk -v f="$(rnd $k)" -v d="$dur" 'BEGIN { printf "%.3f", f * d / 1000 }')
		"$LSR" -C w "$@" >/dev/null 2>"err-$name-$i" &
		pid=$!
		sleep "$at"
		if kill -9 $pid 2>/dev/null; then
			killed=$((killed + 1))
		else
			finished=$((finished + 1))
		fi
		wait $pid 2>/dev/null || true
		CHECKS=$((CHECKS + 1))
		ic=$(sqlite3 w/review.db 'PRAGMA integrity_check' 2>&1)
		[ "$ic" = ok ] || fail "$name trial $i (killed at ${at}s of ${dur}ms): integrity_check: $ic"
		run 0 lsr -C w status --check
		# figures only ever show stored results (defect 9)
		CHECKS=$((CHECKS + 1))
		if [ -n "$(ls w/figures 2>/dev/null)" ] &&
		   [ "$(sqlite3 w/review.db 'SELECT count(*) FROM pool_results')" = 0 ]; then
			fail "$name trial $i (killed at ${at}s of ${dur}ms): figures written, no results stored: $(ls w/figures)"
		fi
		# the rerun: a command already done may refuse (a file imported
		# twice), never crash; the state is what counts
		CHECKS=$((CHECKS + 1))
		set +e
		"$LSR" -C w "$@" >/dev/null 2>"rerun-$name-$i"
		code=$?
		set -e
		case $code in
		0|1) ;;
		*) fail "$name trial $i: the rerun exited $code: $(head -c 300 "rerun-$name-$i")" ;;
		esac
		for f in w/.* w/figures/.*; do
			case $f in */.|*/..|*/.\*) ;; *) leftovers=$((leftovers + 1)) ;; esac
		done
		fingerprint > "got-$name-$i"
		CHECKS=$((CHECKS + 1))
		if ! cmp -s "ref-$name" "got-$name-$i"; then
			fail "$name trial $i (killed at ${at}s of ${dur}ms): the rerun did not reach the uninterrupted state"
			diff "ref-$name" "got-$name-$i" | head -20 >&2
		fi
		rm -rf w
	done
}

campaign import import w/exports/first.nbib --source PubMed
campaign dedup dedup
campaign screen screen import w/filled.csv --reviewer ann
campaign extract extract import w/outcomes.csv --extractor ann
campaign rob rob import w/rob-filled.csv --assessor ann
campaign pool pool
campaign update update --no-search
echo "$TEST_NAME: $trials trials (seed $SEED): $killed killed while running, $finished finished first;" \
	"$FAILS inconsistent; $leftovers temporary files left by kills"
finish
