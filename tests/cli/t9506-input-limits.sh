#!/bin/sh
# Input limits (issue 20, defect 5; docs/cmd/lsr-import.md "Input limits"):
# a line over 16 MiB, a field over 1 MiB, a row of over 4096 cells, an XML
# text node over 1 MiB, a record over 32 MiB and a .gz that expands more
# than 200 times (after 16 MiB) are refused quickly (the rest of a long
# line is never read), with an error naming the file, the line and the
# limit, exit 3, and the review left as it was, --skip-malformed or not.  The oversize inputs are made
# here, in the test's temporary folder.
. "$(dirname "$0")/lib.sh"

REV=$TMP/rev
run 0 lsr init "$REV"
D=$TMP
dump() { sqlite3 "$REV/review.db" .dump | sha256sum; }
# one good import first: the review is not empty
printf 'TY  - JOUR\nTI  - A good record\nPY  - 2020\nER  - \n' > "$D/good.ris"
run 0 lsr -C "$REV" import --source Good "$D/good.ris"
before=$(dump)

# refused FILE MESSAGE [IMPORT OPTIONS]: exit 3, exactly MESSAGE, nothing stored
refused() {
	f=$1
	msg=$2
	shift 2
	run 3 lsr -C "$REV" import --source Big "$@" "$f"
	same "$ERR" "lsr import: error: $msg"
	same "$(dump)" "$before"
}

LINE="the limit for a line (see 'Input limits' in lsr-import)"
FIELD="the limit for a field (see 'Input limits' in lsr-import)"

# gen FILE HEAD CH N TAIL [TIMES PRE POST]: HEAD, then TIMES times (default
# once) PRE, N times the character CH and POST, then TAIL (\n escapes)
gen() {
	python3 - "$@" <<'EOF'
import sys
a = sys.argv[1:] + ['1', '', ''][len(sys.argv) - 6:]
path, head, ch, n, tail, times, pre, post = a[0], a[1], a[2], int(a[3]), a[4], int(a[5]), a[6], a[7]
def unesc(s):
    return s.encode().decode('unicode_escape').encode('utf-8')
with open(path, 'wb') as f:
    f.write(unesc(head))
    block = ch.encode() * (1 << 20)
    for _ in range(times):
        f.write(unesc(pre))
        for _ in range(n >> 20):
            f.write(block)
        f.write(ch.encode() * (n & ((1 << 20) - 1)))
        f.write(unesc(post))
    f.write(unesc(tail))
EOF
}
MB=1048576

# --- every line format: a line of 20 MiB, refused at its 16 MiB; a field
# of 2 MiB (on a line within its limit).  Each row: the file's extension,
# the text before the oversize field, the text after it, the field's line
# and the import options.
while IFS='|' read -r ext head tail line opts <&3; do
	gen "$D/line.$ext" "$head" a $((20 * MB)) "$tail"
	# shellcheck disable=SC2086 # opts: none, or an option and its value
	refused "$D/line.$ext" "$D/line.$ext:$line: refused: a line is longer than 16 MiB, $LINE" $opts
	[ "$ext" = ris ] || rm -f "$D/line.$ext"
	gen "$D/field.$ext" "$head" a $((2 * MB)) "$tail"
	# shellcheck disable=SC2086
	refused "$D/field.$ext" "$D/field.$ext:$line: refused: a field is longer than 1 MiB, $FIELD" $opts
done 3<<'EOF'
ris|TY  - JOUR\nTI  - |\nER  - \n|2|
nbib|PMID- 1\nTI  - |\n\n|2|
wos|FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI |\nER\nEF\n|4|--format wos
enw|%0 Journal Article\n%T |\n\n|2|
bib|@article{k1,\n  title = {|}\n}\n|2|
csv|Title,Year\n"|",2020\n|2|
tsv|PT\tAU\tTI\tPY\nJ\tLi, W\t|\t2020\n|2|--format wos-tsv
EOF
# --skip-malformed does not skip past a limit
refused "$D/line.ris" "$D/line.ris:2: refused: a line is longer than 16 MiB, $LINE" --skip-malformed
refused "$D/field.bib" "$D/field.bib:2: refused: a field is longer than 1 MiB, $FIELD" --skip-malformed
# a line without any line end, format given: the same
gen "$D/noeol.txt" '' a $((20 * MB)) ''
refused "$D/noeol.txt" "$D/noeol.txt:1: refused: a line is longer than 16 MiB, $LINE" --format ris
# continuation lines of 100 kB each add up to one field
gen "$D/cont.nbib" 'PMID- 1\nAB  - start\n' b 100000 '\n' 12 '      ' '\n'
refused "$D/cont.nbib" "$D/cont.nbib:13: refused: a field is longer than 1 MiB, $FIELD"
# BibTeX macros joined by '#' double at each step: 17 steps of 16 bytes
{
	printf '@string{m0 = "0123456789abcdef"}\n'
	i=1
	while [ $i -le 17 ]; do
		printf '@string{m%d = m%d # m%d}\n' $i $((i - 1)) $((i - 1))
		i=$((i + 1))
	done
	printf '@article{k1, title = m17}\n'
} > "$D/macros.bib"
refused "$D/macros.bib" "$D/macros.bib:18: refused: a field is longer than 1 MiB, $FIELD"

# a row of more than 4096 cells (a header of 15 MiB of commas took 8
# minutes and 3 GB before the limit)
gen "$D/cells.csv" 'Title' , $((5 * MB)) '\nx\n'
refused "$D/cells.csv" "$D/cells.csv:1: refused: a row has more than 4096 cells, the limit for a row (see 'Input limits' in lsr-import)"
gen "$D/cells.tsv" 'PT' , 0 '\nJ\tx\n' 5000 '\tAU' ''
refused "$D/cells.tsv" "$D/cells.tsv:1: refused: a row has more than 4096 cells, the limit for a row (see 'Input limits' in lsr-import)" --format wos-tsv

# 50,000 @string macros and a value joining 50,000 pieces: macro names
# are hashed (a linear search took 200 s under ASan; now about 1 s: the
# timeout is fifty times that)
python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(50000):
        f.write('@string{m%d = \"v\"}\n' % i)
    f.write('@article{k, title = ' + ' # '.join(['m49999', 'x'] * 25000) + '}\n')
" "$D/many-macros.bib"
run 0 timeout 60 "$LSR" -C "$REV" import --source Macros "$D/many-macros.bib"
has "$OUT" "1 record from Macros (bibtex)"
before=$(dump)

# a refusal after the import has committed a batch of records (every
# 16 MiB): those go too
python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(20):
        f.write('TY  - JOUR\\nTI  - Early\\nAB  - ' + 'e' * 900000 + '\\nER  - \\n\\n')
    f.write('TY  - JOUR\\nTI  - Late\\nAB  - ' + 'f' * 1100000 + '\\nER  - \\n')
" "$D/late.ris"
refused "$D/late.ris" "$D/late.ris:103: refused: a field is longer than 1 MiB, $FIELD"

# --- a record of more than 32 MiB, no field or line too long ------------
gen "$D/record.ris" 'TY  - JOUR\n' c 1000000 'ER  - \n' 34 'N1  - ' '\n'
refused "$D/record.ris" "$D/record.ris:1: refused: the record that starts here is longer than 32 MiB, the limit for a record (see 'Input limits' in lsr-import)"

# --- XML: one text node of 2 MiB, on one line ----------------------------
gen "$D/text.xml" '<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>' a $((2 * MB)) '</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n'
refused "$D/text.xml" "$D/text.xml:2: refused: an XML text node is longer than 1 MiB, the limit for a text node, comment or tag (see 'Input limits' in lsr-import)"
# EndNote XML, everything on one line as EndNote writes it
gen "$D/text-en.xml" '<?xml version="1.0" encoding="UTF-8" ?><xml><records><record><ref-type name="Journal Article">17</ref-type><titles><title><style face="normal">' a $((2 * MB)) '</style></title></titles></record></records></xml>'
refused "$D/text-en.xml" "$D/text-en.xml:1: refused: an XML text node is longer than 1 MiB, the limit for a text node, comment or tag (see 'Input limits' in lsr-import)"
# a comment or CDATA section is bounded the same way
gen "$D/comment.xml" '<?xml version="1.0"?>\n<PubmedArticleSet><!--' x $((2 * MB)) '--></PubmedArticleSet>\n'
refused "$D/comment.xml" "$D/comment.xml:2: refused: an XML text node is longer than 1 MiB, the limit for a text node, comment or tag (see 'Input limits' in lsr-import)" --format pubmed-xml
# a PubMed record of 34 abstracts of 1,000,000 bytes: the record limit
gen "$D/record.xml" '<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Abstract>\n' \
	d 1000000 '</Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n' 34 '<AbstractText>' '</AbstractText>\n'
refused "$D/record.xml" "$D/record.xml:3: refused: the record that starts here is longer than 32 MiB, the limit for a record (see 'Input limits' in lsr-import)"

# --- .gz bombs -------------------------------------------------------------
# a 200 MiB title in a .gz of about 200 kB: refused at the line limit
python3 -c "
import gzip, sys
with gzip.open(sys.argv[1], 'wb', 9) as f:
    f.write(b'TY  - JOUR\nTI  - ')
    block = b'a' * (1 << 20)
    for i in range(200):
        f.write(block)
    f.write(b'\nER  - \n')
" "$D/bomb.ris.gz"
refused "$D/bomb.ris.gz" "$D/bomb.ris.gz:2: refused: a line is longer than 16 MiB, $LINE"
# well-formed records, each within every limit, that expand 1000 times
python3 -c "
import gzip, sys
with gzip.open(sys.argv[1], 'wb', 9) as f:
    for i in range(60):
        f.write(b'TY  - JOUR\nTI  - Record %d\nAB  - ' % i + b'e' * 1000000 + b'\nER  - \n\n')
" "$D/ratio.ris.gz"
run 3 lsr -C "$REV" import --source Big "$D/ratio.ris.gz"
has "$ERR" "lsr import: error: $D/ratio.ris.gz: refused: the compressed data expands more than 200 times ("
has "$ERR" "the limit for .gz input (see 'Input limits' in lsr-import)"
same "$(dump)" "$before"
# a .gz of ordinary text is read as before
gzip -c "$D/good.ris" > "$D/good2.ris.gz"
run 0 lsr -C "$REV" import --source Good2 --force "$D/good2.ris.gz"
has "$OUT" "1 record from Good2"

# --- just under every limit: read --------------------------------------------
gen "$D/under.ris" 'TY  - JOUR\nTI  - ' a $((MB - 10)) '\nER  - \n'
run 0 lsr -C "$REV" import --source Under "$D/under.ris"
has "$OUT" "1 record from Under"

# --- a 2 GiB line through a pipe, --format ris: refused after 16 MiB -------
if mkfifo "$D/fifo" 2>/dev/null; then
	(head -c 2147483648 /dev/zero | tr '\0' a > "$D/fifo") 2>/dev/null &
	writer=$!
	run 3 lsr -C "$REV" import --source Pipe --format ris "$D/fifo"
	same "$ERR" "lsr import: error: $D/fifo:1: refused: a line is longer than 16 MiB, $LINE"
	kill "$writer" 2>/dev/null || true
	wait "$writer" 2>/dev/null || true
fi

finish
