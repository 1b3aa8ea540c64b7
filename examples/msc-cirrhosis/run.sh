#!/bin/sh
# The example review: MSC therapy in liver cirrhosis (Lu et al. 2023,
# Stem Cell Res Ther 14:301), replayed with lsr end to end, offline.
#
#   examples/msc-cirrhosis/run.sh [REVIEW_DIR]
#
# 1. generates the seed's search yield (a deterministic corpus around the
#    11 real trials: 436 PubMed, 747 Embase, 1,354 Web of Science and 62
#    Cochrane records) as four export files and imports them;
# 2. deduplicates them (1,747 citations) and runs the protocol's rules
#    (suggestions only);
# 3. screens titles and abstracts, then full texts, with two SIMULATED
#    reviewers whose decisions are the generator's labels, filled into the
#    batch files lsr hands out and imported as a person's would be; a
#    handful of deliberate disagreements go to a simulated third reviewer;
# 4. links the 11 included trials' reports to studies, extracts their data
#    and risk of bias (extract.sh), pools the protocol's analyses, prints
#    the PRISMA numbers and writes the report;
# 5. runs a simulated monthly update (a few new records, one new trial).
#
# The review is left in REVIEW_DIR (default examples/msc-cirrhosis/review)
# for 'lsr prisma', 'lsr pool' and 'lsr report'.  EXAMPLE_STOP_AFTER=N
# stops after step N: 2 leaves the review deduplicated with nothing
# screened, to screen it in the browser instead ('lsr serve --seed 1', the
# seed the batch files below use: docs/cmd/lsr-serve.md); 4 stops after the
# full-text screening (tests/cli/t3113 compares the two paths).  LSR may
# point at the lsr binary (default: build/lsr, then lsr on PATH); the
# example's helper programs are looked for beside it (examples/ of the
# same build).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
review=${1:-$here/review}
if [ -z "${LSR:-}" ]; then
	if [ -x "$top/build/lsr" ]; then LSR=$top/build/lsr; else LSR=lsr; fi
fi
bindir=$(dirname "$(command -v "$LSR")")
CORPUS=${EXAMPLE_CORPUS:-$bindir/examples/example_corpus}
REVIEWER=${EXAMPLE_REVIEWER:-$bindir/examples/example_reviewer}
for p in "$CORPUS" "$REVIEWER"; do
	[ -x "$p" ] || { echo "run.sh: $p not found: build the project first (make build)" >&2; exit 1; }
done
# reproducible timestamps in the example's database and report
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1688169600}
export LSR_USER=${LSR_USER:-example}

l() { "$LSR" -C "$review" "$@"; }
say() { printf '\n== %s\n' "$*"; }
# stop_after N: end here when EXAMPLE_STOP_AFTER is N
stop_after() {
	[ "${EXAMPLE_STOP_AFTER:-}" = "$1" ] || return 0
	say "Stopped after step $1 (EXAMPLE_STOP_AFTER=$1): the review is in $review"
	exit 0
}

rm -rf "$review"
"$LSR" init "$review" >/dev/null
cp "$here/protocol.yaml" "$review/protocol.yaml"
work=$review/work
mkdir -p "$review/exports" "$review/figures" "$work"

say "1. Identification: the searches of May 2023, as export files"
"$CORPUS" --trials "$here/data/trials.tsv" --out "$work/corpus-0"
cp "$work/corpus-0/pubmed.xml" "$review/exports/pubmed-2023-05.xml"
cp "$work/corpus-0/embase.ris" "$review/exports/embase-2023-05.ris"
cp "$work/corpus-0/wos.txt" "$review/exports/wos-2023-05.txt"
cp "$work/corpus-0/cochrane.ris" "$review/exports/cochrane-2023-05.ris"
# the dates, coverage and strategy the seed reports ("until May 2023", the
# month only; one strategy for all four databases)
seed_import() {
	l import "$@" --searched 2023-05-31 --database-version "from inception to May 2023" \
		--strategy "$here/data/search-strategy.txt"
}
seed_import "$review/exports/pubmed-2023-05.xml" --source PubMed
seed_import "$review/exports/embase-2023-05.ris" --source Embase
seed_import "$review/exports/wos-2023-05.txt" --source "Web of Science"
seed_import "$review/exports/cochrane-2023-05.ris" --source "Cochrane Library"

say "2. Deduplication and the protocol's rules (suggestions only)"
l dedup
l screen rules
cat "$work/corpus-0/truth.tsv" >"$work/truth.tsv"
stop_after 2

# screen STAGE TAG: one round of dual screening at STAGE by the two
# simulated reviewers (B gets a few citations deliberately wrong), then the
# simulated third reviewer resolves the conflicts.
screen_round() {
	stage=$1
	tag=$2
	l dedup --export "$work/groups.csv" >/dev/null 2>&1
	sim="$REVIEWER --truth $work/truth.tsv --groups $work/groups.csv"
	for who in A B; do
		name=simulated-reviewer-$who
		l screen batch --reviewer "$name" --stage "$stage" --size 100000 --seed 1 \
			-o "$work/$tag-$who.csv" 2>/dev/null
		dis=0
		[ "$who" = B ] && dis=$3
		$sim fill --batch "$work/$tag-$who.csv" --disagree "$dis" --seed 7 \
			-o "$work/$tag-$who-filled.csv"
		l screen import "$work/$tag-$who-filled.csv" --reviewer "$name"
	done
	ids=$(l screen conflicts --json | sed -n 's/^{"id": *\([0-9]*\),.*/\1/p' | sort -nu)
	if [ -n "$ids" ]; then
		echo "conflicts at $stage: $(echo $ids | wc -w); resolved by simulated-reviewer-C"
		# shellcheck disable=SC2086
		$sim arbiter --stage "$stage" $ids | while IFS="$(printf '\t')" read -r id verdict reason; do
			if [ -n "$reason" ]; then
				l screen resolve "$id" --stage "$stage" --verdict "$verdict" --reason "$reason" \
					--by simulated-reviewer-C >/dev/null
			else
				l screen resolve "$id" --stage "$stage" --verdict "$verdict" \
					--by simulated-reviewer-C >/dev/null
			fi
		done
	fi
}

say "3. Title and abstract screening (simulated reviewers A and B, arbiter C)"
screen_round title-abstract ta0 6

say "4. Full texts: retrieval and full-text screening"
# every report was retrieved in the seed (252 sought, 252 assessed)
ids=$(l screen fulltext | awk '$2 == "awaiting-retrieval" { print $1 }')
# shellcheck disable=SC2086
[ -z "$ids" ] || l screen fulltext $ids --retrieved >/dev/null
screen_round full-text ft0 2
stop_after 4

say "5. Studies: the reports of each included trial"
link_studies() {
	"$REVIEWER" --truth "$work/truth.tsv" --groups "$work/groups.csv" studies |
	while IFS="$(printf '\t')" read -r label cids; do
		# shellcheck disable=SC2086
		l study link $cids --study "$label" >/dev/null
	done
	l study list
}
link_studies

l screen status

if [ -x "$here/extract.sh" ]; then
	say "6. Data extraction and risk of bias (simulated extractors)"
	LSR=$LSR "$here/extract.sh" "$review"
fi

say "7. Meta-analyses of the protocol (forest plots in $review/figures)"
l pool --figures "$review/figures"

say "8. PRISMA 2020 flow (update 0: the review as first published)"
l prisma --svg "$review/figures/prisma.svg"
l report -o "$review/report"

# ---------------------------------------------------------------------------
say "9. One month later: the living update"
"$CORPUS" --trials "$here/data/trials.tsv" --out "$work/corpus-1" --update 1
for f in pubmed.xml:pubmed-2023-06.xml embase.ris:embase-2023-06.ris \
	 wos.txt:wos-2023-06.txt cochrane.ris:cochrane-2023-06.ris; do
	# a database with nothing new gives no export
	[ -s "$work/corpus-1/${f%%:*}" ] && cp "$work/corpus-1/${f%%:*}" "$review/exports/${f#*:}"
done
sed 1d "$work/corpus-1/truth.tsv" >>"$work/truth.tsv"
# the exports were made the day the update runs: their date of search
SOURCE_DATE_EPOCH=$((SOURCE_DATE_EPOCH + 31 * 86400)) l update \
	--searched "$(date -u -d @$((SOURCE_DATE_EPOCH + 31 * 86400)) +%Y-%m-%d)"
export SOURCE_DATE_EPOCH=$((SOURCE_DATE_EPOCH + 32 * 86400))

screen_round title-abstract ta1 0
ids=$(l screen fulltext | awk '$2 == "awaiting-retrieval" { print $1 }')
# shellcheck disable=SC2086
[ -z "$ids" ] || l screen fulltext $ids --retrieved >/dev/null
screen_round full-text ft1 0
link_studies >/dev/null
if [ -x "$here/extract-update.sh" ]; then
	LSR=$LSR "$here/extract-update.sh" "$review"
fi
l update --status

say "10. Update 1: pooled again, PRISMA for the updated review, report"
l pool --figures "$review/figures"
l prisma --update 1 --svg "$review/figures/prisma-update-1.svg"
l report -o "$review/report"
l update --close

say "Main pooled results (update 1; illustrative data are marked in the report)"
l pool --update 1 --analysis meld-by-time --analysis alb-by-time | grep -v '(stored results)'

say "The example review is in $review"
echo "PRISMA (update 0): $(l prisma --update 0 --json | tr -d '\n' | sed 's/  */ /g' |
	sed -n 's/.*"identified_total": \([0-9]*\).*"screened": \([0-9]*\).*"assessed": \([0-9]*\).*"studies_included": \([0-9]*\).*/\1 records identified -> \2 screened -> \3 full texts assessed -> \4 studies/p')"
echo "report: $review/report/index.html"
