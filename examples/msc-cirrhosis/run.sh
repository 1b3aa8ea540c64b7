#!/bin/sh
# The example review: MSC therapy in liver cirrhosis (Lu et al. 2023,
# Stem Cell Res Ther 14:301), replayed with lsr.
#
#   examples/msc-cirrhosis/run.sh [REVIEW_DIR]
#
# Creates the review (default examples/msc-cirrhosis/review), imports the
# example's records and shows the records identified per source.
# LSR may point at the lsr binary (default: build/lsr, then lsr on PATH).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
review=${1:-$here/review}
if [ -z "${LSR:-}" ]; then
	if [ -x "$top/build/lsr" ]; then LSR=$top/build/lsr; else LSR=lsr; fi
fi
# reproducible timestamps in the example's database and report
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1688169600}
export LSR_USER=${LSR_USER:-example}

rm -rf "$review"
"$LSR" init "$review"
cp "$here/protocol.yaml" "$review/protocol.yaml"
"$LSR" -C "$review" import "$here/data/included-trials.ris" --source PubMed
"$LSR" -C "$review" status
