/*
 * test_pubmed_xml.c - the XML parsers on hand-made input: inline markup
 * flattened without gluing or splitting words, record bytes exact wherever
 * libxml2's read chunks fall, comments and CDATA that look like records,
 * and the errors a malformed file gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch.h"
#include "util/buf.h"
#include "util/err.h"

#define MAXREC 400

struct got {
	int n, ndeleted;
	char *title[MAXREC], *abstract[MAXREC], *raw[MAXREC], *authors[MAXREC];
	char *summary[MAXREC]; /* the other fields, "name=value|..." */
	char *deleted[MAXREC];
	size_t raw_len[MAXREC];
	uint64_t offset[MAXREC], line[MAXREC];
};

static void join(struct buf *b, const char *name, const struct strv *sv)
{
	buf_printf(b, "|%s=", name);
	for (size_t i = 0; i < sv->n; i++)
		buf_printf(b, "%s%s", i ? ";" : "", sv->v[i]);
}

static char *summarize(const struct lsr_record *r)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "id=%s|type=%s|year=%d|date=%s|journal=%s|abbrev=%s|vol=%s|issue=%s|pages=%s"
		   "|doi=%s|pmid=%s|pmcid=%s|issn=%s|url=%s",
		   r->source_id.s, r->ref_type.s, r->year, r->pub_date.s, r->journal.s,
		   r->journal_abbrev.s, r->volume.s, r->issue.s, r->pages.s, r->doi.s, r->pmid.s,
		   r->pmcid.s, r->issn.s, r->url.s);
	join(&b, "ids", &r->other_ids);
	join(&b, "lang", &r->languages);
	join(&b, "pt", &r->publication_types);
	join(&b, "mesh", &r->mesh);
	join(&b, "kw", &r->keywords);
	join(&b, "rel", &r->relations);
	return buf_detach(&b);
}

static int collect(struct lsr_record *r, void *payload)
{
	struct got *g = payload;
	struct buf a = BUF_INIT;

	if (r->deleted) {
		assert_true(g->ndeleted < MAXREC);
		g->deleted[g->ndeleted++] = strdup(r->source_id.s);
		return 0;
	}
	assert_true(g->n < MAXREC);
	for (size_t i = 0; i < r->authors.n; i++) {
		if (i)
			buf_adds(&a, "; ");
		buf_adds(&a, r->authors.v[i]);
	}
	g->title[g->n] = strdup(r->title.s);
	g->abstract[g->n] = strdup(r->abstract.s);
	g->authors[g->n] = buf_detach(&a);
	g->summary[g->n] = summarize(r);
	g->raw[g->n] = malloc(r->raw_len + 1);
	memcpy(g->raw[g->n], r->raw, r->raw_len);
	g->raw[g->n][r->raw_len] = '\0';
	g->raw_len[g->n] = r->raw_len;
	g->offset[g->n] = r->offset;
	g->line[g->n] = r->line;
	g->n++;
	return 0;
}

static void got_free(struct got *g)
{
	for (int i = 0; i < g->n; i++) {
		free(g->title[i]);
		free(g->abstract[i]);
		free(g->raw[i]);
		free(g->authors[i]);
		free(g->summary[i]);
	}
	for (int i = 0; i < g->ndeleted; i++)
		free(g->deleted[i]);
	memset(g, 0, sizeof(*g));
}

static int parse(const char *xml, size_t len, enum fetch_format fmt, struct got *g)
{
	struct fetch_input *in = NULL;
	int rc;

	memset(g, 0, sizeof(*g));
	assert_int_equal(fetch_input_open_mem(&in, "t.xml", xml, len), 0);
	rc = fetch_parse(in, fmt, NULL, collect, g);
	fetch_input_free(in);
	return rc;
}

#define HEAD "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n"
#define TAIL "</PubmedArticleSet>\n"
#define ART(pmid, title) \
	"<PubmedArticle><MedlineCitation><PMID>" pmid "</PMID><Article>" \
	"<ArticleTitle>" title "</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"

/* The title a one-record file with this ArticleTitle content gets. */
static void expect_title(const char *inner, const char *want)
{
	struct buf xml = BUF_INIT;
	struct got g;

	buf_printf(&xml, HEAD ART("1", "%s") TAIL, inner);
	assert_int_equal(parse(xml.s, xml.len, FETCH_FMT_PUBMED_XML, &g), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.title[0], want);
	got_free(&g);
	buf_release(&xml);
}

static void test_fetch_pubmed_xml__markup_flattened(void **state)
{
	(void)state;
	/* NCBI's old serialisation dropped the spaces beside tags */
	expect_title("variants at the<i>TERT</i>gene region", "variants at the TERT gene region");
	expect_title("variants at the <i>TERT</i> gene region", "variants at the TERT gene region");
	/* sub- and superscripts attach; italics inside a word do not split it
	 * when a digit or a Greek letter is its neighbour */
	expect_title("CO<sub>2</sub> and Ca<sup>2+</sup> levels", "CO2 and Ca2+ levels");
	expect_title("17<i>\xce\xb2</i>-estradiol and IFN<i>\xce\xb3</i>", "17\xce\xb2-estradiol and IFN\xce\xb3");
	expect_title("A &quot;<i>Blood Relationship&quot;</i> Between", "A \"Blood Relationship\" Between");
	expect_title("<b>Bold</b> start and <u>end</u>", "Bold start and end");
	/* MathML: token text, layout white space dropped */
	expect_title("uptake (<mml:math xmlns:mml=\"http://www.w3.org/1998/Math/MathML\">\n"
		     "  <mml:msub>\n    <mml:mi>V</mml:mi>\n    <mml:mn>2</mml:mn>\n  </mml:msub>\n"
		     "</mml:math>) rose", "uptake (V2) rose");
	/* character references and CDATA are text */
	expect_title("&#x3bc;-XRF &amp; <![CDATA[<b>raw</b>]]>", "\xce\xbc-XRF & <b>raw</b>");
	expect_title("[Not Available].", "");
}

/* Records of many sizes, so that libxml2's 4 KiB read chunks end at every
 * kind of place in a record's tags: each record's bytes must be exact. */
#define NCHUNKREC 3000

struct expect_raw {
	const char *xml;
	uint64_t starts[NCHUNKREC], lines[NCHUNKREC];
	int n;
};

static int check_raw(struct lsr_record *r, void *payload)
{
	struct expect_raw *e = payload;
	char want[64];
	int i = e->n++;

	assert_true(i < NCHUNKREC);
	snprintf(want, sizeof(want), "Title %d </PubmedArticle>", i);
	assert_string_equal(r->title.s, want);
	assert_int_equal(r->offset, e->starts[i]);
	assert_int_equal(r->line, e->lines[i]);
	assert_true(r->raw_len > 32);
	assert_memory_equal(r->raw, e->xml + e->starts[i], r->raw_len);
	assert_memory_equal(r->raw + r->raw_len - 16, "</PubmedArticle>", 16);
	return 0;
}

static void test_fetch_pubmed_xml__raw_exact_across_chunks(void **state)
{
	struct buf xml = BUF_INIT;
	struct expect_raw *e = calloc(1, sizeof(*e));
	struct fetch_input *in = NULL;
	uint64_t line = 1;
	size_t counted = 0;

	(void)state;
	buf_adds(&xml, HEAD "<!-- a comment with <PubmedArticle> in it -->\n");
	for (int i = 0; i < NCHUNKREC; i++) {
		for (; counted < xml.len; counted++)
			line += xml.s[counted] == '\n';
		e->starts[i] = xml.len;
		e->lines[i] = line;
		buf_printf(&xml, "<PubmedArticle>\n<MedlineCitation><PMID>%d</PMID><Article>"
			   "<ArticleTitle>Title %d <![CDATA[</PubmedArticle>]]> %*s</ArticleTitle>"
			   "</Article></MedlineCitation>\n</PubmedArticle>", i + 1, i, i % 53, "");
		buf_adds(&xml, i % 2 ? "\n" : "  ");
	}
	buf_adds(&xml, TAIL);
	e->xml = xml.s;
	assert_int_equal(fetch_input_open_mem(&in, "t.xml", xml.s, xml.len), 0);
	assert_int_equal(fetch_parse(in, FETCH_FMT_PUBMED_XML, NULL, check_raw, e), 0);
	assert_int_equal(e->n, NCHUNKREC);
	fetch_input_free(in);
	free(e);
	buf_release(&xml);
}

static void test_fetch_pubmed_xml__fields(void **state)
{
	static const char xml[] = HEAD
		"<PubmedArticle><MedlineCitation><PMID Version=\"1\">111</PMID><Article>"
		"<ArticleTitle/><VernacularTitle>Tittel p\xc3\xa5 norsk</VernacularTitle>"
		"<Abstract><AbstractText Label=\"BACKGROUND\" NlmCategory=\"BACKGROUND\">One\ntwo.</AbstractText>"
		"<AbstractText NlmCategory=\"METHODS\">Three.</AbstractText>"
		"<AbstractText NlmCategory=\"UNASSIGNED\">Four.</AbstractText></Abstract>"
		"<AuthorList><Author ValidYN=\"Y\" EqualContrib=\"Y\"><LastName>Smith</LastName><ForeName>Ann</ForeName></Author>"
		"<Author ValidYN=\"N\"><LastName>Wrong</LastName></Author>"
		"<Author><LastName>Lee</LastName><Initials>K</Initials><Suffix>Jr</Suffix></Author>"
		"<Author><CollectiveName>The <i>Trial</i> Group</CollectiveName></Author></AuthorList>"
		"</Article><CommentsCorrectionsList>"
		"<CommentsCorrections RefType=\"Cites\"><RefSource>x</RefSource><PMID>5</PMID></CommentsCorrections>"
		"<CommentsCorrections RefType=\"RetractionIn\"><RefSource>y</RefSource><PMID>6</PMID></CommentsCorrections>"
		"</CommentsCorrectionsList></MedlineCitation></PubmedArticle>\n"
		"<PubmedBookArticle><BookDocument><PMID>222</PMID><Book><BookTitle>A Book</BookTitle>"
		"<PubDate><Year>2001</Year></PubDate></Book></BookDocument></PubmedBookArticle>\n"
		"<DeleteCitation><PMID>7</PMID><PMID Version=\"1\">8</PMID></DeleteCitation>\n" TAIL;
	struct got g;

	(void)state;
	assert_int_equal(parse(xml, sizeof(xml) - 1, FETCH_FMT_PUBMED_XML, &g), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.title[0], "Tittel p\xc3\xa5 norsk");
	assert_string_equal(g.abstract[0], "BACKGROUND: One two.\nMETHODS: Three.\nFour.");
	assert_string_equal(g.authors[0], "Smith, Ann; Lee, K Jr; The Trial Group");
	assert_string_equal(g.title[1], "A Book");
	assert_int_equal(g.ndeleted, 2);
	assert_string_equal(g.deleted[0], "7");
	assert_string_equal(g.deleted[1], "8");
	got_free(&g);
}

static void expect_error(enum fetch_format fmt, const char *xml, const char *msg)
{
	struct got g;

	assert_int_equal(parse(xml, strlen(xml), fmt, &g), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), msg);
	got_free(&g);
}

static void test_fetch_pubmed_xml__errors(void **state)
{
	(void)state;
	expect_error(FETCH_FMT_PUBMED_XML, HEAD "<PubmedArticle><MedlineCitation><PMID>1</PMID>",
		     "t.xml:3: unexpected end of file: expected </MedlineCitation> (the <PubmedArticle> of line 3 is not complete)");
	expect_error(FETCH_FMT_PUBMED_XML, HEAD ART("1", "a</b>") TAIL,
		     "t.xml:3: expected </ArticleTitle> to close the <ArticleTitle> of line 3, found </b>");
	expect_error(FETCH_FMT_PUBMED_XML, HEAD "<Other/>\n" TAIL,
		     "t.xml:3: expected <PubmedArticle>, <PubmedBookArticle> or <DeleteCitation>, found <Other>");
	expect_error(FETCH_FMT_PUBMED_XML, "<?xml version=\"1.0\"?>\n<Other/>\n",
		     "t.xml:2: expected <PubmedArticleSet> as the root element, found <Other>");
	expect_error(FETCH_FMT_PUBMED_XML, HEAD "<PubmedArticle><MedlineCitation/></PubmedArticle>\n" TAIL,
		     "t.xml:3: expected a <PMID> in <MedlineCitation> of this <PubmedArticle>");
	expect_error(FETCH_FMT_PUBMED_XML,
		     "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet [\n"
		     "<!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n<PubmedArticleSet>\n"
		     ART("1", "&x;") TAIL,
		     "t.xml:2: expected a DOCTYPE without entity declarations: lsr does not read custom or external entities");
	expect_error(FETCH_FMT_PUBMED_XML, HEAD ART("1", "&nbsp;") TAIL,
		     "t.xml:3: malformed XML: Entity 'nbsp' not defined");
	expect_error(FETCH_FMT_ENDNOTE_XML, "<xml><records><record><titles><title>x</title></titles></record>\n",
		     "t.xml:1: unexpected end of file: expected </records>");
	expect_error(FETCH_FMT_ENDNOTE_XML, "<xml><records><entry/></records></xml>",
		     "t.xml:1: expected <record> in <records>, found <entry>");
}

static void test_fetch_pubmed_xml__endnote_styles(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" ?><xml><records>"
		"<record><rec-number>7</rec-number><ref-type name=\"Journal Article\">17</ref-type>"
		"<contributors><authors><author><style face=\"normal\">Ziegler, T. R.</style></author>"
		"<author>Lan, Jian</author></authors></contributors>"
		"<titles><title><style face=\"normal\">Effect of </style><style face=\"italic\">E. coli</style>"
		"<style face=\"normal\"> on mice</style></title></titles>"
		"<caption><style>Duplicate</style></caption>"
		"<abstract>Line one\rline two</abstract></record>"
		"<record/></records></xml>";
	struct got g;

	(void)state;
	assert_int_equal(parse(xml, sizeof(xml) - 1, FETCH_FMT_ENDNOTE_XML, &g), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.title[0], "Effect of E. coli on mice");
	assert_string_equal(g.authors[0], "Ziegler, T. R.; Lan, Jian");
	/* XML reads a CR as a line end: EndNote paragraphs stay lines */
	assert_string_equal(g.abstract[0], "Line one\nline two");
	assert_string_equal(g.raw[1], "<record/>");
	got_free(&g);
}

static void test_fetch_pubmed_xml__fallbacks(void **state)
{
	static const char xml[] = HEAD
		/* the DOI of the ELocationID, not a reference's; pages from the
		 * pii ELocationID; MedlineTA and ISSNLinking; MedlineDate */
		"<PubmedArticle><MedlineCitation><PMID>10</PMID><Article><Journal>"
		"<JournalIssue><Volume>3</Volume><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>"
		"</JournalIssue><Title>J</Title></Journal><ArticleTitle>A</ArticleTitle>"
		"<ELocationID EIdType=\"pii\" ValidYN=\"Y\">e1234</ELocationID>"
		"<ELocationID EIdType=\"doi\" ValidYN=\"N\">10.1/wrong</ELocationID>"
		"<ELocationID EIdType=\"doi\" ValidYN=\"Y\">10.1/right</ELocationID>"
		"<Language>eng</Language><Language>nor</Language>"
		"<DataBankList><DataBank><DataBankName>GENBANK</DataBankName><AccessionNumberList>"
		"<AccessionNumber>AB1</AccessionNumber></AccessionNumberList></DataBank>"
		"<DataBank><DataBankName>ISRCTN</DataBankName><AccessionNumberList>"
		"<AccessionNumber>ISRCTN123</AccessionNumber></AccessionNumberList></DataBank></DataBankList>"
		"</Article><MedlineJournalInfo><MedlineTA>J Abbr</MedlineTA><ISSNLinking>1234-5678</ISSNLinking>"
		"</MedlineJournalInfo><MeshHeadingList><MeshHeading><DescriptorName>Humans</DescriptorName>"
		"<QualifierName>therapy</QualifierName></MeshHeading></MeshHeadingList>"
		"<KeywordList><Keyword>k <i>one</i></Keyword></KeywordList></MedlineCitation>"
		"<PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">10</ArticleId><ArticleId IdType=\"pmc\">PMC9</ArticleId>"
		"</ArticleIdList><ReferenceList><Reference><Citation>x</Citation><ArticleIdList>"
		"<ArticleId IdType=\"doi\">10.9/ref</ArticleId><ArticleId IdType=\"pubmed\">77</ArticleId>"
		"</ArticleIdList></Reference></ReferenceList></PubmedData></PubmedArticle>\n"
		/* ArticleDate refines the issue date only when it agrees */
		"<PubmedArticle><MedlineCitation><PMID>11</PMID><Article><Journal><JournalIssue><PubDate>"
		"<Year>2020</Year><Season>Spring</Season></PubDate></JournalIssue></Journal>"
		"<Pagination><StartPage>112</StartPage><EndPage>120</EndPage></Pagination>"
		"<ArticleDate DateType=\"Electronic\"><Year>2020</Year><Month>03</Month><Day>05</Day></ArticleDate>"
		"</Article></MedlineCitation></PubmedArticle>\n"
		"<PubmedArticle><MedlineCitation><PMID>12</PMID><Article><Journal><JournalIssue><PubDate>"
		"<Year>2021</Year><Month>Sep</Month></PubDate></JournalIssue></Journal>"
		"<ArticleDate DateType=\"Electronic\"><Year>2021</Year><Month>07</Month><Day>15</Day></ArticleDate>"
		"</Article></MedlineCitation></PubmedArticle>\n"
		/* a book chapter: the book is the container; editors are not authors */
		"<PubmedBookArticle><BookDocument><PMID>13</PMID><ArticleIdList><ArticleId IdType=\"bookaccession\">NBK1</ArticleId>"
		"</ArticleIdList><Book><BookTitle>GeneReviews</BookTitle><PubDate><Year>1993</Year></PubDate>"
		"<AuthorList Type=\"editors\"><Author><LastName>Ed</LastName><ForeName>A</ForeName></Author></AuthorList>"
		"<Isbn>978-0-00</Isbn></Book><ArticleTitle>Chapter</ArticleTitle>"
		"<AuthorList Type=\"authors\"><Author><LastName>Au</LastName><ForeName>B</ForeName></Author></AuthorList>"
		"</BookDocument><PubmedBookData><ArticleIdList><ArticleId IdType=\"bookaccession\">NBK1</ArticleId>"
		"</ArticleIdList></PubmedBookData></PubmedBookArticle>\n" TAIL;
	struct got g;

	(void)state;
	assert_int_equal(parse(xml, sizeof(xml) - 1, FETCH_FMT_PUBMED_XML, &g), 0);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.summary[0],
			    "id=10|type=PubmedArticle|year=1998|date=1998-12|journal=J|abbrev=J Abbr|vol=3|issue="
			    "|pages=e1234|doi=10.1/right|pmid=10|pmcid=PMC9|issn=1234-5678|url="
			    "|ids=isrctn:ISRCTN123|lang=eng;nor|pt=|mesh=Humans|kw=k one|rel=");
	assert_string_equal(g.summary[1],
			    "id=11|type=PubmedArticle|year=2020|date=2020-03-05|journal=|abbrev=|vol=|issue="
			    "|pages=112-120|doi=|pmid=11|pmcid=|issn=|url=|ids=|lang=|pt=|mesh=|kw=|rel=");
	assert_string_equal(g.summary[2],
			    "id=12|type=PubmedArticle|year=2021|date=2021-09|journal=|abbrev=|vol=|issue="
			    "|pages=|doi=|pmid=12|pmcid=|issn=|url=|ids=|lang=|pt=|mesh=|kw=|rel=");
	assert_string_equal(g.title[3], "Chapter");
	assert_string_equal(g.authors[3], "Au, B");
	assert_string_equal(g.summary[3],
			    "id=13|type=PubmedBookArticle|year=1993|date=1993|journal=GeneReviews|abbrev=|vol="
			    "|issue=|pages=|doi=|pmid=13|pmcid=|issn=|url=|ids=bookaccession:NBK1;isbn:978-0-00"
			    "|lang=|pt=|mesh=|kw=|rel=");
	got_free(&g);
}

static void test_fetch_pubmed_xml__endnote_fields(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" ?><xml><records>"
		"<record><rec-number>5</rec-number><ref-type name=\"Journal Article\">17</ref-type>"
		"<titles><title>T</title><secondary-title>Journal Full</secondary-title>"
		"<alt-title>J Full</alt-title></titles>"
		"<dates><year>2019</year><pub-dates><date>Mar 12</date></pub-dates></dates>"
		"<number>4</number><issue>9</issue><pages>1-9</pages>"
		"<isbn>0028-4793 (Print)\r0028-4793 (Linking)</isbn>"
		"<accession-num>31234567</accession-num>"
		"<remote-database-name>PubMed</remote-database-name>"
		"<electronic-resource-num>doi: 10.1056/NEJMoa1 [doi]</electronic-resource-num>"
		"<keywords><keyword>one\rtwo</keyword><keyword>three</keyword></keywords>"
		"<language>eng</language><work-type>Randomized Controlled Trial</work-type>"
		"<custom2>PMC6543210</custom2>"
		"<urls><related-urls><url>internal-pdf://x.pdf</url><url>https://example.org/a</url></related-urls></urls>"
		"<notes>kept in the raw text</notes></record>"
		"<record><accession-num>WOS:000123</accession-num><isbn>978-3-16-148410-0</isbn>"
		"<urls><web-urls><url>https://doi.org/10.5/xyz</url>"
		"<url>https://pubmed.ncbi.nlm.nih.gov/7654321/</url></web-urls></urls></record>"
		"</records></xml>";
	struct got g;

	(void)state;
	assert_int_equal(parse(xml, sizeof(xml) - 1, FETCH_FMT_ENDNOTE_XML, &g), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.summary[0],
			    "id=31234567|type=Journal Article|year=2019|date=2019-03-12|journal=Journal Full"
			    "|abbrev=J Full|vol=|issue=4|pages=1-9|doi=10.1056/NEJMoa1|pmid=31234567"
			    "|pmcid=PMC6543210|issn=0028-4793|url=https://example.org/a|ids=|lang=eng"
			    "|pt=Randomized Controlled Trial|mesh=|kw=one;two;three|rel=");
	assert_string_equal(g.summary[1],
			    "id=WOS:000123|type=|year=0|date=|journal=|abbrev=|vol=|issue=|pages=|doi=10.5/xyz"
			    "|pmid=7654321|pmcid=|issn=|url=https://doi.org/10.5/xyz"
			    "|ids=isbn:978-3-16-148410-0;wos:000123|lang=|pt=|mesh=|kw=|rel=");
	got_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_pubmed_xml__markup_flattened),
		cmocka_unit_test(test_fetch_pubmed_xml__raw_exact_across_chunks),
		cmocka_unit_test(test_fetch_pubmed_xml__fields),
		cmocka_unit_test(test_fetch_pubmed_xml__errors),
		cmocka_unit_test(test_fetch_pubmed_xml__endnote_styles),
		cmocka_unit_test(test_fetch_pubmed_xml__fallbacks),
		cmocka_unit_test(test_fetch_pubmed_xml__endnote_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
