#!/bin/sh
# lsr import of EndNote XML as Mendeley, Zotero and EndNote X write it:
# exact record counts, <style>-wrapped values, <caption> records, fields
# checked against the files, and raw text equal to each <record>'s bytes.
. "$(dirname "$0")/lib.sh"
need_shared
F=$LSR_SHARED/fixtures

cd "$TMP"
run 0 lsr init rev
run_in rev 0 lsr import --json --source Mendeley "$F/endnote_xml/asysd_mendeley_export.xml"
jqcheck "$OUT" '{format, records, deleted}' '{"format":"endnote-xml","records":1233,"deleted":0}'
run_in rev 0 lsr import --json --source Zotero "$F/endnote_xml/asysd_zotero_export.xml"
jqcheck "$OUT" '{format, records, deleted}' '{"format":"endnote-xml","records":1233,"deleted":0}'
run_in rev 0 lsr import --json --source EndNote "$F/dedup/bib_dedupe/respiratory/Respiratory.xml"
jqcheck "$OUT" '{format, records, deleted}' '{"format":"endnote-xml","records":1988,"deleted":0}'
same "$(sql rev/review.db 'SELECT count(*) FROM records')" 4454
# the counts in the files themselves
same "$(grep -o '<record>' "$F/endnote_xml/asysd_mendeley_export.xml" | wc -l)" 1233
same "$(grep -o '<record>' "$F/dedup/bib_dedupe/respiratory/Respiratory.xml" | wc -l)" 1988
# the 799 records marked with a <caption> are records like the others
# (records.raw is packed: every 20th record of the run read back with
# --raw holds its <caption> when the file's record does)
same "$(grep -o '<caption>' "$F/dedup/bib_dedupe/respiratory/Respiratory.xml" | wc -l)" 799
n=0
for id in $(sql rev/review.db "SELECT id FROM records WHERE run_id = 3 AND position % 20 = 0"); do
	"$LSR" -C rev records show "$id" --raw | grep -q '<caption>' && n=$((n + 1))
done
same "$n" "$(grep -o '<record>.*</record>' "$F/dedup/bib_dedupe/respiratory/Respiratory.xml" |
	sed 's|</record>|&\n|g' | awk 'NR % 20 == 0 && /<caption>/' | wc -l)"

run_in rev 0 lsr records --json
cp "$OUT" all.jsonl
# Mendeley: accession number as the source id, no abbreviation
jq -c 'select(.source == "Mendeley")' all.jsonl | head -1 > rec
jqcheck rec '{source_id, language}' '{"source_id":"35319117","language":"eng"}'
jqcheck rec '{type, title, authors, year, pub_date, journal, journal_abbrev, volume, issue, pages, doi}' \
  '{"type":"Journal Article","title":"Myoclonus in older Cavalier King Charles Spaniels.","authors":["Rotter, Carina","Whittaker, Danielle","Rusbridge, Clare"],"year":2022,"pub_date":"2022","journal":"Journal of veterinary internal medicine","journal_abbrev":null,"volume":"36","issue":"3","pages":"1032-1038","doi":"10.1111/jvim.16404"}'
jqcheck rec '.abstract | startswith("BACKGROUND: Myoclonus is observed in older Cavalier King Charles Spaniels (CKCS) but a full description is lacking. OBJECTIVES:")'
# Zotero: pub-dates, abbr-1, ISSNs in isbn, no identifier
jq -c 'select(.source == "Zotero")' all.jsonl | head -1 > rec
jqcheck rec '{source_id, year, pub_date, journal, journal_abbrev, volume, issue, issn}' \
  '{"source_id":null,"year":2022,"pub_date":"2022-05","journal":"Journal of veterinary internal medicine","journal_abbrev":"J Vet Intern Med","volume":"36","issue":"3","issn":"1939-1676"}'
jqcheck rec '[.keywords[:3], (.keywords | length > 3)]' '[["*Dog Diseases/diagnostic imaging","*Myoclonus/veterinary","Animals"],true]'
# EndNote 17: values in <style>, rec-number as the source id, the
# journal from secondary-title, entities decoded
jq -c 'select(.source == "EndNote")' all.jsonl > en.jsonl
same "$(wc -l < en.jsonl)" 1988
head -1 en.jsonl > rec
jqcheck rec .source_id 2
jqcheck rec '{title, authors, year, pub_date, journal, journal_abbrev, volume, issue, pages}' \
  '{"title":"Perioperative nutritional support in patients undergoing hepatectomy for hepatocellular carcinoma","authors":["Ziegler, T. R."],"year":1996,"pub_date":"1996","journal":"Jpen: Journal of Parenteral & Enteral Nutrition","journal_abbrev":null,"volume":"20","issue":"1112","pages":"91-92"}'
jqcheck rec 'tostring | contains("style")' false
jqcheck en.jsonl 'select(.source_id == "39") | .authors' '["Wertzel, H.","Swoboda, L.","Joos-Würtemberger, A.","Frank, U.","Hasse, J."]'
jqcheck en.jsonl 'select(.source_id == "4") | .title' "[A study on the use of mycobacterium vaccine in the treatment of tuberculous pleurisy]"
tail -1 en.jsonl > rec
jqcheck rec '{source_id, title, authors, year}' \
  '{"source_id":"1988","title":"Clinical screening of epipodophyllotoxin VM26 in malignant lymphomas and solid tumours","authors":[],"year":1972}'

# raw text: every 97th record, cut from the file at its offset
# (records.raw is packed: the length is that of the text read back, which
# must end with </record>)
sql rev/review.db "SELECT r.id, r.byte_offset, r.line, u.file_name
	FROM records r JOIN runs u ON u.id = r.run_id WHERE r.id % 97 = 1 OR r.position = 1
	ORDER BY r.id" | tr '|' ' ' > recs
same "$(wc -l < recs)" 48
while read -r id off line file; do
	run_in rev 0 lsr records show "$id" --raw
	len=$(wc -c < "$OUT")
	tail -c +$((off + 1)) "$file" | head -c "$len" > want
	CHECKS=$((CHECKS + 1))
	cmp -s "$OUT" want || fail "record $id: raw text differs from bytes $off..+$len of $file"
	same "$(head -c 8 "$OUT")" "<record>"
	same "$(tail -c 9 "$OUT")" "</record>"
	same "$(head -c "$off" "$file" | wc -l)" "$((line - 1))"
done < recs
# independently: the first <record> element of the single-line file
id=$(sql rev/review.db "SELECT id FROM records WHERE run_id = 3 AND position = 1")
run_in rev 0 lsr records show "$id" --raw
awk '{ s = index($0, "<record>"); e = index($0, "</record>");
	if (s) { printf "%s", substr($0, s, e + 9 - s); exit } }' \
	"$F/dedup/bib_dedupe/respiratory/Respiratory.xml" > want
cmp -s "$OUT" want || fail "Respiratory.xml: raw text is not the first <record> element"
finish
