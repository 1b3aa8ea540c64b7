#!/bin/sh
# extract.sh REVIEW_DIR: the example review's data extraction and risk of
# bias, as two SIMULATED extractors (A and B) and a simulated third person
# (C) would do them through lsr.  Run by run.sh once the 11 trials are
# linked to their studies.  The sheets are in data/extraction/: values from
# the trials' abstracts and from Lu 2023's tables are marked REAL in their
# source column, every other value ILLUSTRATIVE.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
review=$1
LSR=${LSR:-lsr}
x=$here/data/extraction
l() { "$LSR" -C "$review" "$@"; }

for who in A B; do
	l extract import "$x/characteristics-$who.csv" --extractor "simulated-extractor-$who"
	l extract import "$x/outcomes-$who.csv" --extractor "simulated-extractor-$who"
	l rob import "$x/rob-$who.csv" --assessor "simulated-extractor-$who"
done

echo "-- where the two extractors disagree:"
l extract compare
l rob compare
# simulated-extractor-C settles them, as the seed's third author did
LSR_USER=simulated-extractor-C l extract resolve --study "Amer 2011" --characteristic route \
	--take simulated-extractor-A --note "Abstract: cells injected into the spleen or the liver"
LSR_USER=simulated-extractor-C l extract resolve --study "Shi 2021" --outcome ALB --timepoint "1 month" \
	--arm intervention --field mean --take simulated-extractor-A --note "B's value lost its decimal point"
LSR_USER=simulated-extractor-C l rob resolve --study "Bai 2014" --domain allocation-concealment \
	--judgement unclear --reason "Not described in the report (seed: not mentioned in six studies)"
LSR_USER=simulated-extractor-C l rob resolve --study "Fang 2018" --domain random-sequence \
	--judgement unclear --reason "Seed: not mentioned in ref 22; matched controls, sequence not described"
LSR_USER=simulated-extractor-C l rob resolve --study "Shi 2021" --outcome fever --domain blinding-outcome \
	--judgement unclear --reason "Seed: blinding of outcome assessment not reported in ten studies; nothing in the report on who recorded fever"
echo "-- after resolution:"
l extract compare
l rob plot --traffic-light "$review/figures/rob-traffic-light.svg" --summary "$review/figures/rob-summary.svg"
