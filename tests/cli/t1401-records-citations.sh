#!/bin/sh
# lsr records --citations and --included: one row per deduplicated
# citation with its merged metadata, and the included studies with their
# reports, as RIS, BibTeX and CSV; the RIS and BibTeX files imported into a
# fresh review give back the same titles.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/screen_lib.sh"

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: citations export test
sources:
  - name: PubMed
  - name: Embase
screening:
  reviewers: 1
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, stage: full-text}
EOF
cat > pm.nbib <<'EOF'
PMID- 111
TI  - Stem cells for cirrhosis: trial A
AU  - Smith J
DP  - 2020
TA  - Hepatology
LID - 10.1000/trial-a [doi]
AB  - Patients with cirrhosis.

PMID- 222
TI  - Hip fractures in the elderly
AU  - Jones K
DP  - 2019
AB  - Older people.

PMID- 333
TI  - Cord cells for cirrhosis: trial B
AU  - Wu L
DP  - 2021
AB  - Patients with cirrhosis.

EOF
# trial A again (same DOI) with the volume and pages PubMed's record
# lacks, and a second report of trial A
cat > em.ris <<'EOF'
TY  - JOUR
TI  - Stem cells for cirrhosis: trial A
AU  - Smith, J.
PY  - 2020
T2  - Hepatology
VL  - 12
SP  - 100
EP  - 110
DO  - 10.1000/trial-a
ER  - 

TY  - JOUR
TI  - Stem cells for cirrhosis: trial A two-year follow-up
AU  - Smith, J.
PY  - 2022
T2  - Liver Int
ER  - 

EOF
run 0 lsr -C rev import pm.nbib --source PubMed
run 0 lsr -C rev import em.ris --source Embase
run 0 lsr -C rev dedup
cid() { sql rev/review.db "SELECT id FROM citation_metadata WHERE title = '$1'"; }
A=$(cid "Stem cells for cirrhosis: trial A")
B=$(cid "Cord cells for cirrhosis: trial B")
A2=$(cid "Stem cells for cirrhosis: trial A two-year follow-up")

# every citation once, trial A's two records merged
run 0 lsr -C rev records --citations --format csv
cp "$OUT" cit.csv
same "$(wc -l < cit.csv | tr -d ' ')" 5
same "$(head -1 cit.csv)" "citation,study,sources,records,title,authors,year,journal,volume,issue,pages,doi,pmid,pmcid,language,publication_types,keywords,abstract"
python3 - cit.csv "$A" <<'PY' || fail "merged citation row"
import csv, sys
rows = {r["citation"]: r for r in csv.DictReader(open(sys.argv[1]))}
a = rows[sys.argv[2]]
assert a["sources"] == "Embase; PubMed", a
assert len(a["records"].split("; ")) == 2, a
assert a["volume"] == "12" and a["pmid"] == "111" and a["doi"] == "10.1000/trial-a", a
assert a["study"] == "", a
PY
run 0 lsr -C rev records --citations
same "$(wc -l < "$OUT" | tr -d ' ')" 4

# screen: the trials in, then each report linked to its study
screen_round rev title-abstract ta 'Hip fractures' off-topic
run 0 lsr -C rev screen fulltext "$A" "$B" "$A2" --retrieved
screen_round rev full-text ft
run 0 lsr -C rev study link "$A" "$A2" --study "A 2020"
run 0 lsr -C rev study link "$B" --study "B 2021"

run 0 lsr -C rev records --included
same "$(awk '{print $1, $2, $3}' "$OUT")" "$A A 2020
$A2 A 2020
$B B 2021"
run 0 lsr -C rev records --included --format csv -o inc.csv
same "$(python3 -c 'import csv,sys; [print(r[0] + "," + r[1]) for r in csv.reader(open(sys.argv[1]))]' inc.csv)" "citation,study
$A,A 2020
$A2,A 2020
$B,B 2021"
run 0 lsr -C rev records --included --format ris -o inc.ris
same "$(grep -c '^ER  - ' inc.ris)" 3
has inc.ris "ID  - lsr-citation:$A"
has inc.ris "N1  - Study: A 2020"
has inc.ris "DB  - Embase; PubMed"
has inc.ris "VL  - 12"
run 0 lsr -C rev records --included --format bibtex -o inc.bib
has inc.bib "@article{lsrc$B,"
has inc.bib "note = {Study: B 2021}"
run 0 lsr -C rev records --citations --format ris -o cit.ris
run 0 lsr -C rev records --citations --format bibtex -o cit.bib

# round trip: a fresh review imports each file, with the same titles
titles_csv() { python3 -c 'import csv,sys; print("\n".join(sorted(r["title"] for r in csv.DictReader(open(sys.argv[1])))))' "$1"; }
for f in inc.ris inc.bib cit.ris cit.bib; do
	rm -rf fresh
	run 0 lsr init fresh
	run 0 lsr -C fresh import "$f" --source Export
	run 0 lsr -C fresh records --json
	case $f in inc.*) want=$(titles_csv inc.csv) ;; *) want=$(titles_csv cit.csv) ;; esac
	same "$(jq -r .title "$OUT" | sort)" "$want"
done
# the merged metadata survives the trip
run 0 lsr -C fresh records --json
jqcheck -s "$OUT" '[.[] | select(.title == "Stem cells for cirrhosis: trial A") | .volume, .doi, .year] | @csv' '"12","10.1000/trial-a",2020'

# usage
run 2 lsr -C rev records --citations --included
has "$ERR" "choose one of --citations and --included"
run 2 lsr -C rev records --citations --source PubMed
has "$ERR" "--citations lists citations: --source, --run, --all, --json and --tsv are for records"
run 2 lsr -C rev records --included --json
finish
