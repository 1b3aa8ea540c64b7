#!/bin/sh
# lsr search on the project's own invented replies (tests/data/search, no
# ../shared needed), through the replay server: PubMed (EInfo, ESearch with
# the history server, EFetch of tests/data/import/pubmed.xml), Europe PMC
# (core JSON, two cursorMark pages) and ClinicalTrials.gov (API v2, two
# pageToken pages).  The requests, the records with their key fields, and
# each record's raw bytes as the reply held them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay.sh"
S=$LSR_SRC/tests/data/search
T='	'
DB=rev/review.db
cd "$TMP"
# the three services, one saved query each
{
	echo "lsr_protocol: 1"
	echo "title: Albumin after liver surgery (invented)"
	echo "contact_email: review@example.org"
	echo "sources:"
	for s in "PubMed|pubmed|albumin" "Europe PMC|europepmc|albumin AND hepatectomy" \
		 "ClinicalTrials.gov|ctgov|albumin"; do
		echo "$s" | awk -F'|' '{ printf "  - name: %s\n    api: %s\n    query: %s\n", $1, $2, $3 }'
	done
	printf 'screening:\n  reasons:\n    - {code: off-topic}\n'
} > protocol.yaml
run 0 lsr init rev
cp protocol.yaml rev/protocol.yaml
unset NCBI_API_KEY LSR_EMAIL NCBI_EMAIL

replay_start ../../data/search/pubmed.case ../../data/search/europepmc.case ../../data/search/ctgov.case
run 0 lsr -C rev search --batch-size 2
same "$OUT" "PubMed: run 1 complete: 3 of 3 records (3 new in this call)
Europe PMC: run 2 complete: 4 of 4 records (4 new in this call)
ClinicalTrials.gov: run 3 complete: 3 of 3 records (3 new in this call)"
same "$ERR" ""

# the requests: their paths and parameters, in order (connection and rule
# columns left out)
ID="email=review@example.org"
requests | cut -f3- | sed "s/${T}H:.*//" > got
cat > want <<EOF
200${T}GET${T}/eutils/einfo.fcgi${T}db=pubmed${T}tool=lsr${T}$ID
200${T}GET${T}/eutils/esearch.fcgi${T}db=pubmed${T}term=albumin${T}retmax=9999${T}usehistory=y${T}tool=lsr${T}$ID
200${T}POST${T}/eutils/efetch.fcgi${T}db=pubmed${T}id=90000001,90000002${T}retmode=xml${T}tool=lsr${T}$ID
200${T}POST${T}/eutils/efetch.fcgi${T}db=pubmed${T}id=90000003${T}retmode=xml${T}tool=lsr${T}$ID
200${T}GET${T}/epmc/search${T}query=albumin AND hepatectomy${T}resultType=core${T}format=json${T}pageSize=2${T}cursorMark=*${T}$ID
200${T}GET${T}/epmc/search${T}query=albumin AND hepatectomy${T}resultType=core${T}format=json${T}pageSize=2${T}cursorMark=OwnCursor2==${T}$ID
200${T}GET${T}/ctgov/api/v2/version
200${T}GET${T}/ctgov/api/v2/studies${T}format=json${T}query.term=albumin${T}countTotal=true${T}pageSize=2
200${T}GET${T}/ctgov/api/v2/studies${T}format=json${T}query.term=albumin${T}countTotal=true${T}pageSize=2${T}pageToken=own-2
EOF
same "$(cat got)" "$(cat want)"
same "$(sql $DB "SELECT group_concat(s.name || ':' || u.status || ':' || u.count_reported || ':' || u.count_records, '|')
	FROM runs u JOIN sources s ON s.id = u.source_id ORDER BY u.id")" \
	"PubMed:complete:3:3|Europe PMC:complete:4:4|ClinicalTrials.gov:complete:3:3"

# the records, key fields
run 0 lsr -C rev records --json
cp "$OUT" recs.json
# rec SOURCE_ID JQ: one jq expression over the record with that source id
rec() { jq -r --arg id "$1" "select(.source_id == \$id) | $2" recs.json; }
KEY='[.title, .authors[0], .year, .doi, .journal, .pages, .pmid] | map(. // "") | join("|")'
same "$(jq -r .source_id recs.json | paste -sd' ' -)" \
	"90000001 90000002 90000003 MED:90000001 PPR:PPR900002 PMC:PMC9000003 MED:90000004 NCT09000001 NCT09000002 NCT09000003"
same "$(rec 90000003 "$KEY")" "Serum albumin below 30 g/L < a marker of risk > in older adults.|Kowalczyk, Zoë|2023|10.5555/ojmum.2023.3.1.45|Open Journal of Made-Up Medicine|45-52|90000003"
same "$(rec 90000002 '[.pub_date, .language] | join("|")')" "2019-11|eng;ger"
same "$(rec MED:90000001 "$KEY")" "Albumin & diuretics after partial hepatectomy: a randomised trial.|Østergård, Søren|2021|10.5555/jih.2021.0412|Journal of Imaginary Hepatology|301-309|90000001"
same "$(rec MED:90000001 '[.pmcid, .issn, .journal_abbrev, (.authors | join(";")), .url] | join("|")')" \
	"PMC9000001|1999-0001|J Imag Hepatol|Østergård, Søren;Nguyễn, Thị Lan;Imaginary Liver Trials Group|https://europepmc.org/article/MED/90000001"
same "$(rec PPR:PPR900002 "$KEY")" "Albumin kinetics after invented liver resections: a preprint|Kowalczyk, Z|2024|10.5555/preprint.2024.2|||"
same "$(rec PMC:PMC9000003 '[.pmcid, .volume, .pub_date, .issn] | join("|")')" "PMC9000003|7|2022-12|1999-0091"
same "$(rec MED:90000004 '.relations | join(";")')" "ErratumFor 90000001"
same "$(rec NCT09000001 "$KEY")" "Albumin After Imaginary Liver Surgery|University of Nowhere|2019||||"
same "$(rec NCT09000001 '[.type, .pub_date, .other_ids.nct[0], .other_ids.eudract[0], (.publication_types | join(";")), (.relations | join(";")), .url] | join("|")')" \
	"Trial registration|2019-03-04|NCT09000001|2019-000001-11|Interventional;Phase 2;Phase 3;Randomized|ResultsIn 90000001|https://clinicaltrials.gov/study/NCT09000001"
same "$(rec NCT09000001 '.mesh | join(";")')" "Liver Neoplasms;Albumins"
has recs.json '"abstract":"OFFICIAL TITLE: A Randomised Trial of Albumin Versus Saline After Partial Hepatectomy in an Invented Population\nSUMMARY: Adults undergoing partial hepatectomy receive albumin or saline.'
same "$(rec NCT09000002 '[.pub_date, (.publication_types | join(";"))] | join("|")')" "2023-09|Interventional;Randomized"
same "$(rec NCT09000003 '.publication_types | join(";")')" "Observational"

# raw: each record's bytes as the replies held them - a study file whole, a
# <PubmedArticle> element of pubmed.xml, a result object of the Europe PMC
# reply
raw() { lsr -C rev records show "$(rec "$1" .id)" --raw; }
for nct in NCT09000001 NCT09000002 NCT09000003; do
	raw $nct > got.raw
	printf '%s' "$(cat "$S/$nct.json")" > want.raw
	CHECKS=$((CHECKS + 1))
	cmp -s got.raw want.raw || fail "the raw text of $nct is not $nct.json"
done
raw 90000002 > got.raw
first=$(grep -n '<PubmedArticle>' "$LSR_SRC/tests/data/import/pubmed.xml" | sed -n 2p | cut -d: -f1)
last=$(grep -n '</PubmedArticle>' "$LSR_SRC/tests/data/import/pubmed.xml" | sed -n 2p | cut -d: -f1)
printf '%s' "$(sed -n "${first},${last}p" "$LSR_SRC/tests/data/import/pubmed.xml")" > want.raw
CHECKS=$((CHECKS + 1))
cmp -s got.raw want.raw || fail "the raw text of PMID 90000002 is not its <PubmedArticle>"
raw PPR:PPR900002 > got.raw
grep '^{"id":"PPR900002"' "$S/europepmc-core.json" | sed 's/,$//' | tr -d '\n' > want.raw
CHECKS=$((CHECKS + 1))
cmp -s got.raw want.raw || fail "the raw text of PPR:PPR900002 is not its result object"
replay_stop
finish
