#!/bin/sh
# The example review screened entirely in the browser (issue 12's "done
# when"): examples/msc-cirrhosis/run.sh makes two copies of the review,
# one screened by the batch-file path (EXAMPLE_STOP_AFTER=4: both stages,
# simulated reviewers A and B, arbiter C) and one left unscreened
# (EXAMPLE_STOP_AFTER=2), which 'lsr serve --seed 1' (run.sh's batch seed)
# serves to tests/browser/example.test.mjs: in headless Chromium, A and B
# screen all 1,747 citations at title-abstract by keyboard with the
# simulated reviewers' decisions (B's deliberate disagreements included),
# the arbiter resolves the conflicts, the full texts are registered as
# run.sh registers them, then the full-text stage likewise.  Afterwards the
# two copies must agree on 'lsr prisma --json', 'lsr screen status --json'
# (agreement figures included) and every current decision and status.
# Screenshots go to $LSR_BUILD/browser-screenshots/example-*.png.  Skips
# (77), saying why, only where Chromium, Node or tests/browser/node_modules
# is missing.  Takes about 6 minutes in the ASan build (ctest label
# "slow", timeout 1500 s).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

browser_ready
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 is not installed" >&2; exit 77; }

cd "$TMP"
SIM=$LSR_BUILD/examples/example_reviewer
# (run in the background too: false when a check failed)
example() { # STOP DIR: run.sh to step STOP into DIR, its output in DIR.out
	fails_before=$FAILS
	CHECKS=$((CHECKS + 1))
	env LSR="$LSR" EXAMPLE_CORPUS="$LSR_BUILD/examples/example_corpus" \
		EXAMPLE_REVIEWER="$SIM" EXAMPLE_STOP_AFTER="$1" \
		"$LSR_SRC/examples/msc-cirrhosis/run.sh" "$TMP/$2" >"$2.out" 2>&1 ||
		{ fail "run.sh to step $1 failed"; tail -20 "$2.out" >&2; }
	has "$2.out" "Stopped after step $1"
	hasnt "$2.out" "Sanitizer"
	hasnt "$2.out" "runtime error:"
	[ "$FAILS" = "$fails_before" ]
}
# the two copies side by side (the browser needs the batch path's order)
example 4 batch &
batch_pid=$!
example 2 web
wait $batch_pid || fail "the batch-file copy"
same "$(sql web/review.db 'SELECT count(*) FROM screen_decisions')" "0"
same "$(sql web/review.db 'SELECT count(*) FROM live_citations')" "1747"
run 0 lsr -C web dedup --export "$TMP/web-groups.csv"

links() { serve_link web "$1" "${2:-}" | sed 's|^|/login?token=|'; }
LINK_A=$(links simulated-reviewer-A)
LINK_B=$(links simulated-reviewer-B)
LINK_C=$(links simulated-reviewer-C arbiter)
serve_start web --seed 1
SHOTS=${LSR_BUILD:-$TMP}/browser-screenshots
CHECKS=$((CHECKS + 1))
URL=$URL LINK_A=$LINK_A LINK_B=$LINK_B LINK_C=$LINK_C LSR=$LSR REVIEW=$TMP/web \
DB=$TMP/web/review.db BATCH_DB=$TMP/batch/review.db SIM=$SIM TRUTH=$TMP/web/work/truth.tsv \
GROUPS=$TMP/web-groups.csv SHOTS=$SHOTS CHROMIUM=$CHROMIUM \
	node "$BROWSER_DIR/example.test.mjs" > browser.out 2>&1 || fail "the browser scenario failed"
cat browser.out
grep -q '^not ok' browser.out && fail "a browser check failed"
grep -q '^1\.\.' browser.out || fail "the browser test did not finish"
serve_stop

# the two paths agree: PRISMA, status with agreement, every decision
for d in batch web; do
	run 0 lsr -C $d prisma --json
	jq -S . "$OUT" > prisma-$d
	run 0 lsr -C $d screen status --json
	jq -S . "$OUT" > status-$d
	sql $d/review.db "SELECT stage, reviewer, citation_id, verdict, coalesce(reason, '') FROM screen_current ORDER BY 1, 2, 3" > current-$d
	sql $d/review.db "SELECT stage, reviewer, citation_id, verdict, coalesce(reason, '') FROM screen_decisions WHERE kind = 'resolution' ORDER BY 1, 3" > resolved-$d
	sql $d/review.db "SELECT 'ta', citation_id, status, coalesce(reason, ''), coalesce(decided_by, '') FROM screen_ta_status UNION ALL SELECT 'ft', citation_id, status, coalesce(reason, ''), coalesce(decided_by, '') FROM screen_ft_status ORDER BY 1, 2" > statuses-$d
done
for f in prisma status current resolved statuses; do
	CHECKS=$((CHECKS + 1))
	cmp -s $f-batch $f-web || { fail "$f differs between the batch-file path and the browser"; diff $f-batch $f-web | head -20 >&2; }
done
# the example's numbers (t8401 checks them on the batch path)
jqcheck prisma-web '{screened, screen_excluded, sought, assessed, fulltext_excluded_total, reports_included}' \
	'{"screened":1747,"screen_excluded":1495,"sought":252,"assessed":252,"fulltext_excluded_total":241,"reports_included":11}'
same "$(jq '[.agreement[] | select(.n > 0)] | length' status-web)" "2"
same "$(sql web/review.db "SELECT count(*) FROM screen_decisions WHERE kind = 'resolution'")" \
	"$(sql batch/review.db "SELECT count(*) FROM screen_decisions WHERE kind = 'resolution'")"
finish
