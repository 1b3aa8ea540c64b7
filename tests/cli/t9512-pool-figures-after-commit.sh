#!/bin/sh
# lsr pool writes its forest plots only after their results are committed
# (issue 20, defect 9): when storing the results fails, no figure is
# written or changed; figures on disk always show stored results, and a
# rerun writes them all.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rel-lib.sh"

cd "$TMP"
rel_pool_review rev
run 0 lsr -C rev extract import rev/chars.csv --extractor ann
run 0 lsr -C rev extract import rev/outcomes.csv --extractor ann

# the third analysis cannot be stored: the transaction is rolled back
# after the first two were run (and, before the fix, drawn to figures/)
sql rev/review.db "CREATE TRIGGER t_fail BEFORE INSERT ON pool_results WHEN NEW.analysis = 'alb-by-route'
	BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
run 1 lsr -C rev pool
has "$ERR" "disk on fire"
same "$(sql rev/review.db 'SELECT count(*) FROM pool_results')" "0"
same "$(ls -A rev/figures)" ""
# nothing claims to be stored
hasnt "$OUT" "stored"
hasnt "$OUT" "alb-4w"

# the JSON form the same
run 1 lsr -C rev pool --json
same "$(ls -A rev/figures)" ""
same "$(cat "$OUT")" ""

# once it can be stored: every figure, and they match the stored results
sql rev/review.db "DROP TRIGGER t_fail"
run 0 lsr -C rev pool
has "$OUT" "results of update 0 stored; figures in rev/figures"
same "$(sql rev/review.db 'SELECT count(*) FROM pool_results')" "5"
same "$(ls rev/figures | tr '\n' ' ')" "forest-alb-4w.svg forest-alb-by-route.svg forest-alb-by-time.svg forest-alb-no-c.svg "
for f in rev/figures/*.svg; do
	cp "$f" "$f.first"
done

# a failed rerun on changed data leaves the figures of the stored results
sed 's/C 2019,albumin,4 weeks,intervention,48,31.2/C 2019,albumin,4 weeks,intervention,48,36.0/' rev/outcomes.csv > o2.csv
run 0 lsr -C rev extract import o2.csv --extractor ann
sql rev/review.db "CREATE TRIGGER t_fail BEFORE INSERT ON pool_results WHEN NEW.analysis = 'alb-no-c'
	BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
run 1 lsr -C rev pool
for f in rev/figures/*.svg; do
	CHECKS=$((CHECKS + 1))
	cmp -s "$f" "$f.first" || fail "$f changed although its results were not stored"
done
same "$(sql rev/review.db 'SELECT count(*) FROM pool_results')" "5"
sql rev/review.db "DROP TRIGGER t_fail"
run 0 lsr -C rev pool
CHECKS=$((CHECKS + 1))
cmp -s rev/figures/forest-alb-4w.svg rev/figures/forest-alb-4w.svg.first && fail "forest-alb-4w.svg not redrawn"
# the figures drawn from the stored results are those written
run 0 lsr -C rev pool --update 0 --figures again
for f in again/*.svg; do
	CHECKS=$((CHECKS + 1))
	cmp -s "$f" "rev/figures/$(basename "$f")" || fail "$(basename "$f") differs from the stored results' figure"
done
finish
