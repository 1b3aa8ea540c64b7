#!/bin/sh
# lsr import stores a batched import's records from a writer thread
# (fetch/import.c): the records, their positions, their packed raw bytes
# and the run's zstd dictionary must be exactly what the same import
# stores in one thread.  --skip-malformed keeps an import in one
# transaction and one thread, so the same file imported with and without
# it into two fresh reviews must give the same rows.  The files are large
# enough (over 1 MiB) for a dictionary to be trained and used, and a
# malformed record in the middle fails the threaded import with its file,
# line and message, leaving nothing behind.
. "$(dirname "$0")/lib.sh"
cd "$TMP"

# one awk each (a fixed vocabulary, a fixed seed): 450 PubMed XML records
# of about 2.6 kB, 700 RIS records of about 1.9 kB
awk 'function words(n,   s, i) { s = ""; for (i = 0; i < n; i++) s = s (i ? " " : "") w[1 + int(rand() * 14)]; return s }
BEGIN {
	split("cirrhosis stem cell trial hepatic bilirubin über Ångström naïve placebo survival cohort mesenchymal réponse", w, " ");
	srand(7);
	printf "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PubmedArticleSet>\n";
	for (i = 1; i <= 450; i++)
		printf "<PubmedArticle><MedlineCitation Status=\"MEDLINE\"><PMID Version=\"1\">%d</PMID><Article><Journal><Title>Journal %d</Title></Journal><ArticleTitle>%s <i>x</i> &amp; &#233;</ArticleTitle><Abstract><AbstractText Label=\"BACKGROUND\">%s</AbstractText><AbstractText Label=\"RESULTS\">%s</AbstractText></Abstract><AuthorList><Author><LastName>Ødegård</LastName><ForeName>Åse</ForeName></Author><Author><LastName>Smith</LastName><Initials>J</Initials></Author></AuthorList></Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType=\"doi\">10.1000/t.%d</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n",
			20000000 + i, i % 7, words(12), words(150), words(150), i;
	printf "</PubmedArticleSet>\n";
	for (i = 1; i <= 700; i++)
		printf "TY  - JOUR\nTI  - %s\nAU  - Müller, Jürgen\nPY  - 20%02d\nDO  - 10.1000/r.%d\nAB  - %s\nER  - \n\n",
			words(12), i % 30, i, words(220) > "big.ris";
}' > big.xml

# rows REVIEW: every stored column of every record, raw in hex, and the
# run's dictionary
rows() {
	sql "$1/review.db" "SELECT position, line, byte_offset, source_record_id, ref_type, title,
		abstract, authors, year, pub_date, journal, doi, pmid, other_ids, hex(raw), raw_codec
		FROM records ORDER BY id"
	sql "$1/review.db" "SELECT id, run_id, hex(dict) FROM raw_dicts ORDER BY id"
}

for f in big.xml big.ris; do
	rm -rf one two
	run 0 lsr init one
	run 0 lsr init two
	run 0 lsr -C one import --source S "$f"
	run 0 lsr -C two import --source S --skip-malformed "$f"
	rows one > one.rows
	rows two > two.rows
	CHECKS=$((CHECKS + 1))
	cmp -s one.rows two.rows || fail "$f: the threaded import stored other rows than the single-threaded one"
	# a dictionary was trained, and records were packed with it
	same "$(sql one/review.db "SELECT count(*) FROM raw_dicts")" 1
	has one.rows "|1"
done
same "$(sql one/review.db "SELECT count(*) FROM records")" 700

# a malformed record after the dictionary: the import fails and leaves no
# trace (no run, no records, no dictionary)
sed '400s|</ArticleTitle>|</ArticleTitl>|' big.xml > bad.xml
rm -rf three
run 0 lsr init three
run_in three 3 lsr import --source S "$TMP/bad.xml"
same "$(cat "$ERR")" "lsr import: error: $TMP/bad.xml:400: expected </ArticleTitle> to close the <ArticleTitle> of line 400, found </ArticleTitl>"
same "$(sql three/review.db "SELECT (SELECT count(*) FROM records) || ' ' || (SELECT count(*) FROM runs) || ' ' || (SELECT count(*) FROM raw_dicts)")" "0 0 0"
finish
