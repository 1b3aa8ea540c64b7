#!/bin/sh
# The example review's report in a real headless Chromium:
# tests/browser/report.test.mjs (puppeteer-core; checks in its header) on
# the report examples/msc-cirrhosis/run.sh writes (every section: methods,
# summary of findings, forest plots with risk-of-bias columns, excluded
# reports, PRISMA, published results, eligibility flags), offline.  The
# full-page screenshots go to $LSR_BUILD/browser-screenshots/
# (report-example.png: the latest update; report-example-update-0.png).
# Skips (77), saying why, only where Chromium, Node or
# tests/browser/node_modules is missing (scripts/install-deps.sh installs
# them).
. "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
BROWSER_DIR=${LSR_SRC:-$(dirname "$0")/../..}/tests/browser
[ -x "$CHROMIUM" ] || { echo "skip: no Chromium at $CHROMIUM (apt-get install chromium)" >&2; exit 77; }
command -v node >/dev/null || { echo "skip: node is not installed" >&2; exit 77; }
[ -d "$BROWSER_DIR/node_modules/puppeteer-core" ] ||
	{ echo "skip: no $BROWSER_DIR/node_modules (run npm ci there)" >&2; exit 77; }

cd "$TMP"
run 0 env LSR="$LSR" EXAMPLE_CORPUS="$LSR_BUILD/examples/example_corpus" \
	EXAMPLE_REVIEWER="$LSR_BUILD/examples/example_reviewer" \
	"$LSR_SRC/examples/msc-cirrhosis/run.sh" "$TMP/review"
SHOTS=${LSR_BUILD:-$TMP}/browser-screenshots

browse() { # DIR SHOT_NAME [FIRST]
	CHECKS=$((CHECKS + 1))
	REPORT=$TMP/$1/index.html SVGS=$(ls "$TMP/$1" | grep -c '\.svg$') SHOTS=$SHOTS SHOT_NAME=$2 FIRST=${3:-0} \
	CHROMIUM=$CHROMIUM node "$BROWSER_DIR/report.test.mjs" > "$1.out" 2>&1 ||
		fail "the browser checks of $1 failed"
	cat "$1.out"
	grep -q '^not ok' "$1.out" && fail "a browser check of $1 failed"
	grep -q '^1\.\.' "$1.out" || fail "the browser test of $1 did not finish"
	CHECKS=$((CHECKS + 1))
	[ -s "$SHOTS/$2" ] || fail "no screenshot $SHOTS/$2"
}

run 0 lsr -C review report -o "$TMP/latest" --no-png
browse latest report-example.png
# the review as first done: no "What changed" section, the rest all there
run 0 lsr -C review report -o "$TMP/first" --update 0 --no-png
browse first report-example-update-0.png 1
finish
