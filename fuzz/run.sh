#!/bin/sh
# fuzz/run.sh BUILD [SECONDS [TARGET...]] - run each libFuzzer target of a
# -DLSR_FUZZ=ON build for SECONDS (default 60) one after the other, and
# print the runs each made.  'make fuzz' calls it (FUZZ_SECONDS, FUZZ_TARGETS).
#
# Each target starts from fuzz/corpus/TARGET and fuzz/regress/TARGET; what
# it learns goes to BUILD/fuzz-work/TARGET (kept between runs, never into
# the source tree).  A crash, leak, timeout (10 s) or out-of-memory (2 GB)
# leaves its input in BUILD/fuzz-artifacts/ and fails the run: fix the
# bug, then copy the input to fuzz/regress/TARGET/ so that ctest's
# fuzz-regress/TARGET replays it from then on.
set -u
build=${1:?usage: fuzz/run.sh BUILD [SECONDS [TARGET...]]}
seconds=${2:-60}
shift
[ $# -gt 0 ] && shift
src=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
	set -- $(cat "$build/fuzz-targets.txt")
fi
mkdir -p "$build/fuzz-artifacts"
failed=0
summary=""
for t in "$@"; do
	bin=$build/fuzz/fuzz-$t
	if [ ! -x "$bin" ]; then
		echo "fuzz/run.sh: no $bin (build the target fuzz-all first)" >&2
		exit 2
	fi
	work=$build/fuzz-work/$t
	mkdir -p "$work"
	log=$build/fuzz-artifacts/$t.log
	echo "== fuzz-$t for ${seconds}s"
	seeds=$src/corpus/$t
	[ -d "$src/regress/$t" ] && seeds="$seeds $src/regress/$t"
	# shellcheck disable=SC2086 # seeds: one or two folders
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$build/fuzz-artifacts/$t-" \
		"$work" $seeds >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -ne 0 ]; then
		failed=1
		echo "fuzz-$t: FAILED (exit $rc) after ${runs:-?} runs; see $log" >&2
		grep -m 5 -E "ERROR|SUMMARY|Test unit written" "$log" >&2
	fi
	summary="$summary$t ${runs:-?}
"
done
echo "== runs per target"
printf '%s' "$summary"
exit $failed
