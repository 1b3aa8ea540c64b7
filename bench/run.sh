#!/bin/sh
# bench/run.sh - run every benchmark script in bench/ (make bench).
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
for script in "$dir"/*.sh; do
	[ "$script" = "$dir/run.sh" ] && continue
	echo "== $(basename "$script")"
	"$script"
done
