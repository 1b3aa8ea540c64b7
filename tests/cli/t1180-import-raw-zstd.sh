#!/bin/sh
# records.raw is stored packed (zstd, migration 0008) and read back exact:
# for every record of a RIS file with CRLF line ends, a MEDLINE file and a
# PubMed XML file (our own, with non-ASCII text, long records that zstd
# shrinks and tiny ones it cannot), `lsr records show ID --raw` gives the
# file's bytes from the record's stored offset on, followed by nothing but
# white space (or the closing tag of the file) up to the next record.
# Both ways of storing occur, and a row written before 0008 (as is, no
# codec) still reads.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
run 0 lsr init rev

# words N SEED: N words of a fixed vocabulary, a different walk per seed
words() {
	awk -v n="$1" -v s="$2" 'BEGIN {
		split("cirrhosis stem cell trial hepatic bilirubin über Ångström naïve placebo survival cohort mesenchymal réponse", w, " ");
		srand(s); for (i = 0; i < n; i++) printf "%s%s", i ? " " : "", w[1 + int(rand() * 14)] }'
}

i=1
: > crlf.ris
while [ $i -le 12 ]; do
	printf 'TY  - JOUR\r\nTI  - %s\r\nAU  - Müller, Jürgen\r\nPY  - 20%02d\r\nAB  - %s\r\nER  - \r\n\r\n' \
		"$(words 12 $i)" "$i" "$(words $((i * 60)) $((i + 100)))" >> crlf.ris
	i=$((i + 1))
done
printf 'TY  - JOUR\r\nTI  - A\r\nER  - \r\n' >> crlf.ris

i=1
: > file.nbib
while [ $i -le 10 ]; do
	printf 'PMID- %d\nOWN - NLM\nTI  - %s\n      %s\nAB  - %s\nFAU - Ødegård, Åse\nAU  - Ødegård Å\nDP  - 2021 Mar\n\n' \
		$((30000000 + i)) "$(words 8 $i)" "$(words 6 $((i + 7)))" "$(words $((i * 80)) $((i + 50)))" >> file.nbib
	i=$((i + 1))
done
printf 'PMID- 1\nTI  - B\n' >> file.nbib

{
	printf '<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n'
	i=1
	while [ $i -le 10 ]; do
		printf '  <PubmedArticle>\n    <MedlineCitation Status="MEDLINE" Owner="NLM">\n      <PMID Version="1">%d</PMID>\n      <Article>\n        <ArticleTitle>%s &amp; &#233;</ArticleTitle>\n        <Abstract><AbstractText>%s</AbstractText></Abstract>\n      </Article>\n    </MedlineCitation>\n  </PubmedArticle>\n' \
			$((20000000 + i)) "$(words 10 $i)" "$(words $((i * 70)) $((i + 9)))"
		i=$((i + 1))
	done
	printf '<PubmedArticle><MedlineCitation><PMID>2</PMID></MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n'
} > file.xml

# check_run RUN FILE N [WHERE]: the N records of RUN (those WHERE selects
# among them) against FILE
check_run() {
	size=$(wc -c < "$2")
	sql rev/review.db "SELECT id, byte_offset, next FROM (SELECT id, position, byte_offset,
		coalesce(lead(byte_offset) OVER (ORDER BY position), $size) AS next
		FROM records WHERE run_id = $1) WHERE ${4:-1} ORDER BY position" > offsets
	n=0
	while IFS='|' read -r id off next; do
		n=$((n + 1))
		CHECKS=$((CHECKS + 1))
		"$LSR" -C rev records show "$id" --raw > got || { fail "records show $id --raw"; continue; }
		len=$(wc -c < got)
		tail -c +$((off + 1)) "$2" | head -c $((next - off)) > slice
		head -c "$len" slice > want
		if [ "$len" -eq 0 ] || ! cmp -s got want; then
			fail "$2: record $id ($len bytes) is not the file's bytes at offset $off"
			continue
		fi
		rest=$(tail -c +$((len + 1)) slice | tr -d ' \t\r\n')
		case $rest in
		'' | '</PubmedArticleSet>') ;;
		*) fail "$2: record $id stops $(printf %s "$rest" | wc -c) bytes short: $(printf %s "$rest" | head -c 60)" ;;
		esac
	done < offsets
	same "$n" "$3"
}

run 0 lsr -C rev import --source A --format ris crlf.ris
check_run 1 crlf.ris 13
run 0 lsr -C rev import --source B --format medline file.nbib
check_run 2 file.nbib 11
run 0 lsr -C rev import --source C --format pubmed-xml file.xml
check_run 3 file.xml 11

# the long records are packed, the tiniest (too short for zstd) are not,
# and the store takes under half the files' bytes
same "$(sql rev/review.db 'SELECT count(*) FROM records WHERE raw_codec IS NULL')" 2
same "$(sql rev/review.db 'SELECT count(*) FROM records WHERE raw_codec = 1')" 33
same "$(sql rev/review.db "SELECT sum(length(raw)) * 2 < $(cat crlf.ris file.nbib file.xml | wc -c) FROM records")" 1

# a run larger than the dictionary's sample (1 MiB): its first records are
# packed without a dictionary, the rest with the one trained on them
# (records with lines drawn from a set of long affiliations, as real ones
# share journals, affiliations and markup: what a dictionary captures)
awk 'BEGIN { srand(7); split("liver fibrosis stem cell trial hepatic bilirubin über placebo survival cohort réponse", w, " ");
	for (k = 1; k <= 24; k++) {
		s = ""; for (j = 0; j < 14; j++) s = s w[1 + int(rand() * 12)] " ";
		p[k] = "Department " k " of " s "University Hospital, Medical Faculty"
	}
	for (i = 1; i <= 2000; i++) {
		printf "TY  - JOUR\nID  - %d\nTI  - Record %d\n", i, i;
		for (a = 0; a < 8; a++) printf "AD  - %s\n", p[1 + int(rand() * 24)];
		printf "AB  - ";
		for (j = 0; j < 40; j++) printf "%s ", w[1 + int(rand() * 12)];
		printf "\nER  - \n\n" } }' > big.ris
run 0 lsr -C rev import --source D --format ris big.ris
same "$(sql rev/review.db 'SELECT count(*), min(run_id) FROM raw_dicts')" "1|4"
check_run 4 big.ris 41 "position % 50 = 1 OR position = 2000"
# the dictionary makes the records after the sample smaller
same "$(sql rev/review.db "SELECT avg(CASE WHEN position > 1800 THEN length(raw) END) * 1.5
	< avg(CASE WHEN position <= 200 THEN length(raw) END) FROM records WHERE run_id = 4")" 1
# without its dictionary a frame is an error, not wrong text
sql rev/review.db "PRAGMA foreign_keys = OFF; UPDATE raw_dicts SET id = id + 1"
run 1 lsr -C rev records show "$(sql rev/review.db 'SELECT max(id) FROM records')" --raw
has "$ERR" "dictionary"
sql rev/review.db "UPDATE raw_dicts SET id = id - 1"

# a row as a review before 0008 holds it (raw as is, no codec) reads back
sql rev/review.db "UPDATE records SET raw = CAST('TY  - JOUR' || char(10) || 'ER  - ' || char(10) AS BLOB), raw_codec = NULL WHERE id = 1"
run 0 lsr -C rev records show 1 --raw
same "$OUT" "$(printf 'TY  - JOUR\nER  - ')"
# a damaged frame is an error that names the record, not wrong bytes
sql rev/review.db "UPDATE records SET raw = substr(raw, 1, 20) WHERE id = 2"
run 1 lsr -C rev records show 2 --raw
has "$ERR" "record 2"
finish
