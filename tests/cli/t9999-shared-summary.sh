#!/bin/sh
# The real-data tests and ../shared.  Counts the tests that need ../shared
# (CLI tests that call need_shared, unit tests that read $LSR_SHARED and
# skip with 77) and says whether they ran or were skipped, and why.  It
# passes either way, but fails when a test would fail instead of skipping on
# a bare clone: a CLI test that reads the fixtures ($FIX, $LSR_SHARED)
# without need_shared, or a unit test that reads $LSR_SHARED and never
# returns 77.
. "$(dirname "$0")/lib.sh"
: "${LSR_SRC:?LSR_SRC must point at the source tree}"
cd "$LSR_SRC/tests"

cli=$(grep -l '^need_shared' cli/t[0-9]*.sh | sed 's|^cli/||; s|\.sh$||')
unit=$(grep -l 'getenv("LSR_SHARED")' unit/*/test_*.c | sed 's|^unit/\(.*\)\.c$|\1|')
ncli=$(printf '%s\n' "$cli" | grep -c .)
nunit=$(printf '%s\n' "$unit" | grep -c .)
nall=$(ls cli/t[0-9]*.sh unit/*/test_*.c | wc -l | tr -d ' ')

for f in cli/t[0-9]*.sh; do
	[ "$f" = "cli/$TEST_NAME.sh" ] && continue
	CHECKS=$((CHECKS + 1))
	if grep -qE '\$\{?(FIX|LSR_SHARED)\b' "$f" && ! grep -q '^need_shared' "$f"; then
		fail "$f reads ../shared but does not call need_shared (it would fail on a bare clone)"
	fi
done
for f in $(grep -l 'getenv("LSR_SHARED")' unit/*/test_*.c); do
	CHECKS=$((CHECKS + 1))
	grep -q 'return 77;' "$f" || fail "$f reads \$LSR_SHARED but never skips (77)"
done
# the own-data tests that stand in for them exist and need nothing shared
for t in t1150-import-own-files t4150-pool-own-data; do
	CHECKS=$((CHECKS + 1))
	if [ ! -f "cli/$t.sh" ] || grep -q '^need_shared' "cli/$t.sh"; then
		fail "cli/$t.sh is missing or needs ../shared"
	fi
done

if [ -d "${LSR_SHARED:-}/fixtures" ]; then
	echo "real data: ../shared found at $LSR_SHARED; its $((ncli + nunit)) real-data tests" \
	     "($ncli CLI, $nunit unit) of $nall run on it"
else
	echo "real data: ../shared is absent (no ${LSR_SHARED:-\$LSR_SHARED}/fixtures):" \
	     "$((ncli + nunit)) of $nall tests are real-data tests and skipped ($ncli CLI, $nunit unit):"
	printf '%s\n' $unit $cli | sed 's/^/  skipped: /'
	echo "every import format and pooling path is still tested on tests/data" \
	     "(t1150-import-own-files, t4150-pool-own-data)"
fi
finish
