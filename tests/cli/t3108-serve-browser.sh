#!/bin/sh
# lsr serve in a real headless Chromium: tests/browser/serve.test.mjs
# (puppeteer-core; scenarios in its header) against a review of 24
# citations, two with hostile titles.  Screenshots go to
# $LSR_BUILD/browser-screenshots/.  Skips (77), saying why, only where
# Chromium, Node or tests/browser/node_modules is missing
# (scripts/install-deps.sh installs them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

browser_ready

cd "$TMP"
serve_review rev 24
# alice's first 20 citations: none held back by an automatic exclusion
same "$(sql rev/review.db 'SELECT count(*) FROM live_citations')" "24"
links() { serve_link rev "$1" "${2:-}" | sed 's|^|/login?token=|'; }
LINK_ALICE=$(links alice)
LINK_BOB=$(links bob)
LINK_ARB=$(links arb arbiter)
serve_start rev
SHOTS=${LSR_BUILD:-$TMP}/browser-screenshots
CHECKS=$((CHECKS + 1))
URL=$URL DB=$TMP/rev/review.db SHOTS=$SHOTS CHROMIUM=$CHROMIUM \
LINK_ALICE=$LINK_ALICE LINK_BOB=$LINK_BOB LINK_ARB=$LINK_ARB \
	node "$BROWSER_DIR/serve.test.mjs" > browser.out 2>&1 || fail "the browser scenarios failed"
cat browser.out
grep -q '^not ok' browser.out && fail "a browser check failed"
grep -q '^1\.\.' browser.out || fail "the browser test did not finish"
serve_stop
finish
