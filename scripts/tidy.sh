#!/bin/sh
# Run clang-tidy (the checks .clang-tidy lists) over lsr's own sources:
# the .c files of the stage folders, cli/ and bench/ (the benchmarks), not
# the tests or generated files.  Findings in the project's headers (those
# folders' .h files) are reported too.
#
#   scripts/tidy.sh BUILD_DIR
#
# BUILD_DIR must hold compile_commands.json (configure it with
# -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, and -DLSR_BENCH=ON for bench/;
# `make tidy` does both).  Prints every finding, then one summary line;
# exits 1 when there is a finding or clang-tidy could not run, 2 on a
# usage error.
set -eu

me=scripts/tidy.sh
if [ $# -ne 1 ]; then
  echo "usage: $me BUILD_DIR" >&2
  exit 2
fi
build=$1
if [ ! -f "$build/compile_commands.json" ]; then
  echo "$me: no '$build/compile_commands.json': configure the build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON" >&2
  exit 1
fi
for tool in clang-tidy run-clang-tidy; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$me: '$tool' not found: install the Debian package clang-tidy (apt-get install clang-tidy)" >&2
    exit 1
  fi
done

root=$(cd "$(dirname "$0")/.." && pwd)
dirs='cli|db|fetch|screen|extract|pool|report|serve|util|bench'
# run-clang-tidy takes regular expressions on absolute paths: escape the
# root's own metacharacters
rootre=$(printf '%s' "$root" | sed 's/[][\\.^$*+?(){}|]/\\&/g')
src="^$rootre/($dirs)/[^/]*\\.c\$"
hdr="^$rootre/($dirs)/[^/]*\\.h\$"

nfiles=$(grep -E "\"file\": \"$rootre/($dirs)/[^/]*\\.c\"" "$build/compile_commands.json" |
  sort -u | wc -l)
if [ "$nfiles" -eq 0 ]; then
  echo "$me: '$build/compile_commands.json' lists none of lsr's sources" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# run-clang-tidy always asks for colour (LLVM 14): strip it
{ run-clang-tidy -p "$build" -quiet -j "$(nproc)" -header-filter "$hdr" "$src" 2>&1 ||
  echo "run-clang-tidy-status: $?"; } | sed 's/\x1b\[[0-9;]*m//g' >"$log"
status=$(sed -n 's/^run-clang-tidy-status: //p' "$log")
status=${status:-0}

# Keep the diagnostics with their source excerpts; drop the command lines
# run-clang-tidy echoes and clang-tidy's "N warnings generated" chatter.
grep -v -E '^(run-clang-tidy-status: |clang-tidy(-[0-9]+)? |[0-9]+ (warning|error)s? (generated|and [0-9]+ (warning|error)s? generated)\.$|[0-9]+ warnings? treated as errors?$)' \
  "$log" || true
# a finding in a header is printed once per file that includes it: count
# each place once
findings=$(grep -E '^[^ ].*:[0-9]+:[0-9]+: (warning|error): .*\[[A-Za-z0-9.,_-]+\]$' "$log" |
  sort -u | wc -l)
errors=$(grep -c -E '^[^ ].*:[0-9]+:[0-9]+: error: ' "$log" || true)

plural=s
[ "$findings" -eq 1 ] && plural=
echo "$me: $nfiles files checked, $findings finding$plural"
if [ "$findings" -ne 0 ]; then
  exit 1
fi
if [ "$status" -ne 0 ] || [ "$errors" -ne 0 ]; then
  echo "$me: clang-tidy failed (exit $status) without a finding: see its messages above" >&2
  exit 1
fi
exit 0
