#!/bin/sh
# extract-update.sh REVIEW_DIR: extraction and risk of bias of the trial
# the example's simulated monthly update adds ("Example 2024", a SIMULATED
# trial: every value ILLUSTRATIVE), by the same two simulated extractors.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
review=$1
LSR=${LSR:-lsr}
x=$here/data/extraction/update-1
l() { "$LSR" -C "$review" "$@"; }

for who in A B; do
	l extract import "$x/characteristics-$who.csv" --extractor "simulated-extractor-$who"
	l extract import "$x/outcomes-$who.csv" --extractor "simulated-extractor-$who"
	l rob import "$x/rob-$who.csv" --assessor "simulated-extractor-$who"
done
l extract compare
l rob plot --traffic-light "$review/figures/rob-traffic-light.svg" --summary "$review/figures/rob-summary.svg"
