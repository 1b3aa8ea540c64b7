/*
 * test_allocfail.c - every import parser under allocation failure (curl's
 * torture mode, SQLite's *fault.test): a small input of each format is
 * parsed again and again, the Nth allocation failing in run N, for
 * N = 1, 2, ... until a run meets no failure.  Every run must end either
 * in success with exactly the records of an undisturbed run, or in
 * LSR_ENOMEM with "out of memory" recorded; no crash, no leak (LeakSanitizer
 * checks at exit), no undefined behaviour.
 *
 * How allocations fail: this executable alone is linked with
 * --wrap=malloc,calloc,realloc,strdup,strndup (tests/CMakeLists.txt), so
 * every call to them in lsr's code and in this file goes to the __wrap_
 * functions below, which count and fail the chosen one; __real_malloc is
 * the allocator of the build, AddressSanitizer's included, so ASan still
 * sees every block.  An LD_PRELOAD hook would fight ASan's own malloc
 * interposition, and --wrap needs no change to lsr's code.  The XML
 * parsers run a second time with libxml2's allocations counted as well
 * (xmlMemSetup), so a libxml2 failure must come out as LSR_ENOMEM too, not
 * as "malformed XML".  What zlib, utf8proc and libcsv allocate for
 * themselves is not failed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlmemory.h>

#include "db/db.h"
#include "fetch/fetch.h"
#include "util/buf.h"
#include "util/err.h"

/* ------------------------------------------------------------------ */
/* the failing allocator                                               */

static int armed;        /* count (and fail) allocations */
static long nalloc;      /* allocations counted since armed */
static long fail_at;     /* the one to fail, 1-based */
static int failed;       /* it was reached */
static int count_xml;    /* libxml2's own allocations count too */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static int fail_now(void)
{
	if (!armed)
		return 0;
	if (++nalloc != fail_at)
		return 0;
	failed = 1;
	errno = ENOMEM;
	return 1;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fail_now() ? NULL : __real_strndup(s, n);
}

/* libxml2's allocator (xmlMemSetup): counted only when count_xml is set */
static void *xml_malloc(size_t n)
{
	return count_xml && fail_now() ? NULL : __real_malloc(n);
}

static void *xml_realloc(void *p, size_t n)
{
	return count_xml && fail_now() ? NULL : __real_realloc(p, n);
}

static char *xml_strdup(const char *s)
{
	return count_xml && fail_now() ? NULL : __real_strdup(s);
}

static void xml_free(void *p)
{
	free(p);
}

/*
 * libxml2 2.9.14 (Debian 12) leaks its input stream when an allocation
 * fails inside xmlCreatePushParserCtxt (the canonical path of the file
 * name), which xmlReaderForIO calls: a leak in the library, not in lsr, so
 * it alone is suppressed.  The full unwinder makes the suppression see
 * that frame inside libxml2, which has no frame pointers.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:xmlCreatePushParserCtxt\n";
}

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

/* ------------------------------------------------------------------ */
/* what a parse produced                                               */

static const struct {
	const char *name;
	size_t off;
} buf_fields[] = {
#define F(x) { #x, offsetof(struct lsr_record, x) }
	F(source_id), F(ref_type), F(title), F(abstract), F(pub_date), F(journal),
	F(journal_abbrev), F(volume), F(issue), F(pages), F(doi), F(pmid), F(pmcid),
	F(issn), F(url),
}, strv_fields[] = {
	F(authors), F(other_ids), F(languages), F(publication_types), F(mesh),
	F(keywords), F(relations),
#undef F
};

/* Append r's fields to the dump in payload (not counted: disarmed). */
static int dump_record(struct lsr_record *r, void *payload)
{
	struct buf *out = payload;
	int was = armed;
	int rc = 0;

	armed = 0;
	rc |= buf_printf(out, "record line=%llu offset=%llu year=%d deleted=%d raw=%zu\n",
			 (unsigned long long)r->line, (unsigned long long)r->offset, r->year,
			 r->deleted, r->raw_len);
	for (size_t i = 0; i < sizeof(buf_fields) / sizeof(buf_fields[0]); i++) {
		const struct buf *b = (const struct buf *)((const char *)r + buf_fields[i].off);

		rc |= buf_printf(out, " %s=%s\n", buf_fields[i].name, b->s);
	}
	for (size_t i = 0; i < sizeof(strv_fields) / sizeof(strv_fields[0]); i++) {
		const struct strv *sv = (const struct strv *)((const char *)r + strv_fields[i].off);

		rc |= buf_printf(out, " %s=", strv_fields[i].name);
		for (size_t j = 0; j < sv->n; j++)
			rc |= buf_printf(out, "%s%s", j ? "|" : "", sv->v[j]);
		rc |= buf_addc(out, '\n');
	}
	armed = was;
	return rc ? LSR_ERROR : 0;
}

/* One parse of text as fmt; the dump goes to out. */
static int parse_once(const char *text, enum fetch_format fmt,
		      const struct fetch_parse_opts *opts, struct buf *out)
{
	struct fetch_input *in = NULL;
	int rc;

	rc = fetch_input_open_mem(&in, "mem", text, strlen(text));
	if (rc == 0)
		rc = fetch_parse(in, fmt, opts, dump_record, out);
	fetch_input_free(in);
	return rc;
}

/*
 * Parse text once undisturbed (it must give nrec records), then once per
 * allocation with that allocation failing, as fmt and as FETCH_FMT_AUTO.
 */
static void torture(const char *text, enum fetch_format fmt,
		    const struct fetch_parse_opts *opts, int nrec)
{
	struct buf want = BUF_INIT, got = BUF_INIT;
	struct fetch_input *in = NULL;
	enum fetch_format detected = FETCH_FMT_AUTO;
	const char *p;
	int n = 0, bad = 0;

	/* the reference: no failure */
	assert_int_equal(fetch_input_open_mem(&in, "mem", text, strlen(text)), 0);
	assert_int_equal(fetch_detect_format(in, &detected), 0);
	assert_int_equal(detected, fmt);
	fetch_input_free(in);
	lsr_error_clear();
	assert_int_equal(parse_once(text, fmt, opts, &want), 0);
	for (p = want.s; (p = strstr(p, "record line=")); p++)
		n++;
	assert_int_equal(n, nrec);

	for (int h = 0; h < 2; h++) {
		enum fetch_format f = h ? FETCH_FMT_AUTO : fmt;
		long runs = 0, clean = 0;

		for (long at = 1;; at++) {
			int rc;

			buf_reset(&got);
			lsr_error_clear();
			nalloc = 0;
			fail_at = at;
			failed = 0;
			armed = 1;
			rc = parse_once(text, f, opts, &got);
			armed = 0;
			runs++;
			if (!failed) {
				/* every allocation succeeded: the run is the reference */
				if (rc != 0)
					fail_msg("%s: no allocation failed, yet rc %d: %s",
						 fetch_format_name(fmt), rc, lsr_error_last());
				assert_string_equal(got.s, want.s);
				break;
			}
			if (rc == 0) {
				/* the failure was absorbed: nothing may be lost */
				if (strcmp(got.s, want.s) && ++bad)
					print_error("%s (%s): allocation %ld failed, the parse succeeded with other records:\n%s\nwanted:\n%s\n",
						 fetch_format_name(fmt), f == FETCH_FMT_AUTO ? "auto" : "named",
						 at, got.s, want.s);
				clean++;
				continue;
			}
			if (rc != LSR_ENOMEM || lsr_error_last_code() != LSR_ENOMEM ||
			    !strstr(lsr_error_last(), "out of memory")) {
				bad++;
				print_error("%s (%s): allocation %ld failed: rc %d, code %d, message '%s' (wanted LSR_ENOMEM, 'out of memory')\n",
					 fetch_format_name(fmt), f == FETCH_FMT_AUTO ? "auto" : "named",
					 at, rc, lsr_error_last_code(), lsr_error_last());
			}
		}
		/* the input must be large enough to make the test mean something */
		assert_true(runs > 10);
		print_message("%-12s %-5s %ld runs, %ld absorbed failures%s\n", fetch_format_name(fmt),
			      f == FETCH_FMT_AUTO ? "auto" : "named", runs, clean,
			      count_xml ? " (libxml2's allocations too)" : "");
	}
	buf_release(&want);
	buf_release(&got);
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* the inputs: two records each, with lists, continuation lines and the  */
/* formats' oddities                                                     */

static const char ris_text[] =
	"TY  - JOUR\r\n"
	"AU  - Smith, John\r\n"
	"AU  - Doe, J.\r\n"
	"TI  - A trial of\r\n"
	"      something\r\n"
	"AB  - Background: an abstract long enough to make its buffer grow more than once,\r\n"
	"      over several continuation lines, so that the reallocations of a growing\r\n"
	"      field fail too. Results: y. Conclusions: the parser keeps nothing half made.\r\n"
	"JO  - Journal of Tests\r\n"
	"PY  - 2020/03/01/\r\n"
	"VL  - 5\r\nIS  - 2\r\nSP  - 112\r\nEP  - 20\r\n"
	"DO  - https://doi.org/10.1000/ABC.1\r\n"
	"SN  - 1234-5678 (Print)\r\n"
	"KW  - alpha\r\nKW  - beta\r\n"
	"UR  - http://example.org/1\r\n"
	"ER  - \r\n\r\n"
	"TY  - CONF\r\n"
	"A1  - Caf\xe9, Ana\r\n"
	"T1  - Second\r\n"
	"Y1  - 2019\r\n"
	"ER  - \r\n";

static void test_fetch_allocfail__ris(void **state)
{
	(void)state;
	torture(ris_text, FETCH_FMT_RIS, NULL, 2);
}

static void test_fetch_allocfail__medline(void **state)
{
	(void)state;
	torture("PMID- 111\n"
		"OWN - NLM\n"
		"DP  - 2020 Mar 5\n"
		"TI  - A trial of something in\n"
		"      two lines.\n"
		"AB  - OBJECTIVE: To test. METHODS: Rats. RESULTS: Fine.\n"
		"FAU - Smith, John\n"
		"AU  - Smith J\n"
		"FAU - Doe, Jane\n"
		"LA  - eng\n"
		"PT  - Journal Article\n"
		"MH  - Humans\n"
		"MH  - *Rats/physiology\n"
		"OT  - alpha\n"
		"TA  - J Tests\n"
		"JT  - Journal of Tests\n"
		"VI  - 5\nIP  - 2\nPG  - 10-20\n"
		"LID - 10.1000/xyz [doi]\n"
		"AID - 10.1000/xyz [doi]\n"
		"PMC - PMC123\n"
		"CIN - Lancet. 2020;1:2. PMID: 999\n"
		"\n"
		"PMID- 222\n"
		"TI  - Second.\n"
		"DP  - 2019\n",
		FETCH_FMT_MEDLINE, NULL, 2);
}

static void test_fetch_allocfail__wos(void **state)
{
	(void)state;
	torture("FN Clarivate Analytics Web of Science\n"
		"VR 1.0\n"
		"PT J\n"
		"AU Li, Wei\n"
		"   Dou, Zhiguo\n"
		"TI Soil fauna at different stages of reed restoration in a\n"
		"   lakeshore wetland\n"
		"SO ECOSYSTEM HEALTH AND SUSTAINABILITY\n"
		"VL 6\nIS 1\nBP 12\nEP 19\n"
		"DI 10.1080/20964129.2020.1722034\n"
		"PD DEC 16 2020\nPY 2020\n"
		"AB Introduction: wetlands.\n"
		"DE soil fauna; restoration\n"
		"SN 2096-4129\n"
		"UT WOS:000453910200009\n"
		"PM 12345\n"
		"ER\n"
		"\n"
		"PT J\n"
		"AU Zhang, Y\n"
		"TI Second\n"
		"PY 2019\n"
		"UT WOS:000000000000001\n"
		"ER\n"
		"\n"
		"EF\n",
		FETCH_FMT_WOS, NULL, 2);
}

static void test_fetch_allocfail__endnote(void **state)
{
	(void)state;
	torture("%0 Journal Article\n"
		"%T How Trust Leads to Commitment\n"
		"%A Guo, Wenbo\n"
		"%A Straub, Detmar W.\n"
		"%B Management Information Systems Quarterly\n"
		"%D 2021\n"
		"%8 September  1, 2021\n"
		"%V 45\n%N 3\n%P 1309-1348\n"
		"%U https://example.org/13\n"
		"%X IS research has examined trust.\n"
		"%K trust\n%K governance\n"
		"%R 10.25300/MISQ/2021/15\n"
		"\n"
		"%0 Conference Proceedings\n"
		"%T Second\n"
		"%A Cai, Zhao\n"
		"%D 2019\n",
		FETCH_FMT_ENDNOTE, NULL, 2);
}

static void test_fetch_allocfail__bibtex(void **state)
{
	(void)state;
	torture("% a comment\n"
		"@string{jt = \"Journal of Tests\"}\n"
		"@article{smith2020,\n"
		"  title = {Caf{\\'e} {\\\"O}l and \\emph{more}},\n"
		"  author = {J{\\\"o}rg M{\\o}ller and de la Cruz, {\\AA}sa and {R Core Team}},\n"
		"  journal = jt,\n"
		"  year = 2020, month = mar,\n"
		"  volume = {5}, number = {2}, pages = {134--137},\n"
		"  doi = {10.1000/ABC},\n"
		"  keywords = {alpha, beta},\n"
		"  abstract = \"An \" # \"abstract.\"\n"
		"}\n"
		"@inproceedings{doe2019, title={Second}, author={Doe, Jane}, year={2019}}\n",
		FETCH_FMT_BIBTEX, NULL, 2);
}

static void test_fetch_allocfail__csv(void **state)
{
	static const char text[] =
		"\"PMID\",\"Title\",\"Authors\",\"Journal/Book\",\"Publication Year\",\"PMCID\",\"DOI\"\n"
		"\"35227408\",\"Chatbot-Delivered Psychotherapy, a review\",\"Lim SM, Shiau CWC, Cheng LJ.\","
		"\"Behav Ther\",\"2022\",,\"10.1016/j.beth.2021.09.007\"\n"
		"\"34847056\",\"Chatbot \"\"quoted\"\"\nover two lines\",\"Xu L\",\"JMIR Cancer\",\"2021\","
		"\"PMC8669585\",\n";
	struct strv map = STRV_INIT;
	struct fetch_parse_opts opts = { .id_column = "PMID", .map = &map };

	(void)state;
	torture(text, FETCH_FMT_CSV, NULL, 2);
	/* with an id column and a mapping given */
	assert_int_equal(strv_push(&map, "journal=Journal/Book"), 0);
	torture(text, FETCH_FMT_CSV, &opts, 2);
	strv_release(&map);
}

/* The vendor variants of issue 16: Web of Science tab-delimited, ERIC's
 * MEDLINE, BibTeX as reference managers bend it (a note in the run),
 * CSV exports read through a vendor's table. */
static void test_fetch_allocfail__variants(void **state)
{
	(void)state;
	torture("PT\tAU\tAF\tTI\tSO\tPY\tBP\tEP\tDI\tUT\tDA\t\n"
		"J\tLi, W; Dou, Z\tLi, Wei; Dou, Zhiguo\tSoil fauna\tECOSYSTEM HEALTH\t2020\t1\t9"
		"\t10.1/x\tWOS:000514379300001\t2024-03-12\t\n"
		"J\tBerg, E\t\tSea ice\tPOLAR BIOLOGY\t2022\t\t\t\tWOS:000790000300001\t2024-03-12\t\n",
		FETCH_FMT_WOS_TSV, NULL, 2);
	torture("OWN - ERIC\nTI  - Peer Tutoring\nAU  - Mwangi, Grace\nOID - EJ1281234\n"
		"IS  - ISSN-1086-296X\nMH  - Rural Schools\nDP  - 2020\n\n"
		"OWN - ERIC\nTI  - Homework\nOID - ED601234\nIS  - ISBN-978-1-23-456789-7\n",
		FETCH_FMT_MEDLINE, NULL, 2);
	torture("%% BibDesk\n%@article{gone, title={x}}\n"
		"@article{,\n  title = {\\mkbibquote{Intention} in Garc{\\'\\i}a}\n  year = {2021}\n}\n"
		"@ARTICLE{Conference paper2022775, title = {Two}, pages = {77 \xE2\x80\x93 85}}\n",
		FETCH_FMT_BIBTEX, NULL, 2);
	torture("Authors,Title,Year,Source title,Page start,Page end,ISBN,Abstract,EID\n"
		"\"Pan, Y., Yu, C.\",Hand hygiene,2022,Infection Control,880,886,,[No abstract available],2-s2.0-1\n"
		"WHO Centre,Hand rub,2020,J Hosp Infect,,,978-92-4-159790-6,An abstract.,2-s2.0-2\n",
		FETCH_FMT_CSV, NULL, 2);
	torture("\"About the data: Exported on 12 March 2024\"\n"
		"\"Publication ID\",\"Title\",\"PubYear\",\"Authors\"\n"
		"\"pub.1\",\"School milk\",\"2020\",\"Quispe, Rosa; Mamani, Luis\"\n",
		FETCH_FMT_CSV, NULL, 1);
	torture("Item Title,Item DOI,Authors,Publication Year\n"
		"Microplastics,10.1007/x,Eva HorvathRonald McDonald,2021\n",
		FETCH_FMT_CSV, NULL, 1);
}

static const char pubmed_xml_text[] =
	"<?xml version=\"1.0\" ?>\n"
	"<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2024//EN\""
	" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd\">\n"
	"<PubmedArticleSet>\n"
	"<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">"
	"<PMID Version=\"1\">111</PMID>"
	"<Article PubModel=\"Print\"><Journal><ISSN IssnType=\"Print\">1234-5678</ISSN>"
	"<JournalIssue CitedMedium=\"Print\"><Volume>5</Volume><Issue>2</Issue>"
	"<PubDate><Year>2020</Year><Month>Mar</Month></PubDate></JournalIssue>"
	"<Title>Journal of Tests</Title><ISOAbbreviation>J Tests</ISOAbbreviation></Journal>\n"
	"<ArticleTitle>A <i>small</i> trial &amp; more.</ArticleTitle>"
	"<Pagination><MedlinePgn>10-20</MedlinePgn></Pagination>"
	"<Abstract><AbstractText Label=\"BACKGROUND\">Some.</AbstractText>"
	"<AbstractText Label=\"RESULTS\">More <sup>2</sup>.</AbstractText></Abstract>\n"
	"<AuthorList><Author><LastName>Smith</LastName><ForeName>John</ForeName>"
	"<Initials>J</Initials></Author><Author><CollectiveName>Test Group</CollectiveName>"
	"</Author></AuthorList><Language>eng</Language>"
	"<PublicationTypeList><PublicationType UI=\"D016449\">Randomized Controlled Trial"
	"</PublicationType></PublicationTypeList></Article>\n"
	"<MeshHeadingList><MeshHeading><DescriptorName UI=\"D006801\">Humans</DescriptorName>"
	"</MeshHeading></MeshHeadingList>"
	"<CommentsCorrectionsList><CommentsCorrections RefType=\"ErratumIn\">"
	"<RefSource>J Tests. 2021</RefSource><PMID Version=\"1\">333</PMID>"
	"</CommentsCorrections></CommentsCorrectionsList>"
	"<KeywordList><Keyword>alpha</Keyword></KeywordList></MedlineCitation>\n"
	"<PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">111</ArticleId>"
	"<ArticleId IdType=\"doi\">10.1000/xyz.1</ArticleId>"
	"<ArticleId IdType=\"pmc\">PMC123</ArticleId></ArticleIdList></PubmedData>"
	"</PubmedArticle>\n"
	"<PubmedArticle><MedlineCitation><PMID Version=\"1\">222</PMID>"
	"<Article><Journal><JournalIssue><PubDate><MedlineDate>2019 Spring</MedlineDate>"
	"</PubDate></JournalIssue><Title>Other</Title></Journal>"
	"<ArticleTitle>Second.</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
	"<DeleteCitation><PMID Version=\"1\">999</PMID><PMID Version=\"1\">998</PMID>"
	"</DeleteCitation>\n"
	"</PubmedArticleSet>\n";

static void test_fetch_allocfail__pubmed_xml(void **state)
{
	(void)state;
	torture(pubmed_xml_text, FETCH_FMT_PUBMED_XML, NULL, 4);
}


static const char endnote_xml_text[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<xml><records><record><database name=\"MyLibrary\">MyLibrary</database>"
	"<source-app name=\"Zotero\">Zotero</source-app>"
	"<ref-type name=\"Journal Article\">17</ref-type>"
	"<contributors><authors><author>Rotter, Carina</author>"
	"<author><style face=\"normal\">Whittaker, Danielle</style></author></authors>"
	"</contributors><titles><title>Myoclonus in older spaniels.</title>"
	"<secondary-title>Journal of veterinary internal medicine</secondary-title></titles>"
	"<periodical><full-title>Journal of veterinary internal medicine</full-title>"
	"<abbr-1>J Vet Intern Med</abbr-1></periodical><pages>1032-1038</pages>"
	"<volume>36</volume><number>3</number>"
	"<keywords><keyword>Animals</keyword><keyword>Dogs</keyword></keywords>"
	"<dates><year>2022</year><pub-dates><date>2022 May</date></pub-dates></dates>"
	"<isbn>1939-1676 0891-6640</isbn>"
	"<electronic-resource-num>10.1111/jvim.16404</electronic-resource-num>"
	"<abstract>BACKGROUND: Myoclonus. OBJECTIVES: Describe it.</abstract>"
	"<urls><related-urls><url>https://example.org/a</url></related-urls></urls>"
	"<accession-num>35000001</accession-num></record>\n"
	"<record><rec-number>2</rec-number><ref-type name=\"Book\">6</ref-type>"
	"<titles><title><style face=\"normal\">Second</style></title></titles>"
	"<dates><year>2019</year></dates></record></records></xml>\n";

static void test_fetch_allocfail__endnote_xml(void **state)
{
	(void)state;
	torture(endnote_xml_text, FETCH_FMT_ENDNOTE_XML, NULL, 2);
}


/* ------------------------------------------------------------------ */
/* a whole import under allocation failure                             */

/* The rows an import left, without ids and times: records of the last
 * run, the last run's counts and notes, the last audit entry's detail.
 * Also the number of rows in each durable table. */
static char *db_state(struct lsr_db *db, int last_run_only)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM sources",
		"SELECT count(*) FROM runs",
		"SELECT count(*) FROM records",
		"SELECT count(*) FROM record_withdrawals",
		"SELECT count(*) FROM audit",
		"SELECT group_concat(coalesce(format, '') || ' ' || status || ' ' ||"
		" coalesce(count_records, -1) || ' ' || count_deleted || ' ' ||"
		" coalesce(notes, '') || ' ' || coalesce(file_hash, ''), '; ')"
		" FROM (SELECT * FROM runs ORDER BY id DESC LIMIT 1)",
		"SELECT group_concat(position || ' ' || coalesce(line, '') || ' ' ||"
		" coalesce(source_record_id, '') || ' ' || coalesce(title, '') || ' ' ||"
		" authors || ' ' || coalesce(abstract, '') || ' ' || coalesce(doi, '') || ' ' ||"
		" keywords || ' ' || mesh || ' ' || other_ids || ' ' || length(raw), '\n')"
		" FROM records WHERE run_id = (SELECT max(id) FROM runs)",
		"SELECT action || ' ' || coalesce(detail, '') FROM audit ORDER BY id DESC LIMIT 1",
	};
	struct buf out = BUF_INIT;
	int was = armed;

	armed = 0;
	for (size_t i = last_run_only ? 5 : 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st = NULL;

		assert_int_equal(sqlite3_prepare_v2(db_handle(db), sql[i], -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(buf_printf(&out, "%s\n", sqlite3_column_type(st, 0) == SQLITE_NULL ?
					    "NULL" : (const char *)sqlite3_column_text(st, 0)), 0);
		sqlite3_finalize(st);
	}
	armed = was;
	return buf_detach(&out);
}

/*
 * Import text (written to a file; nrec records stored, deletions apart)
 * into a new review once undisturbed,
 * then once per allocation with that one failing, --force each time.  A
 * failed import must return LSR_ENOMEM and leave the database as it was;
 * one that succeeds must store what the undisturbed import stored.
 */
static void torture_import(const char *text, int nrec)
{
	static const char *const scratch[] = { "in.txt", "review.db", "review.db-wal", "review.db-shm" };
	char dir[] = "/tmp/lsr-allocfail.XXXXXX";
	char dbpath[64], path[96];
	struct fetch_import_opts opts = { .source = "Test", .format = FETCH_FMT_AUTO, .force = 1 };
	struct fetch_import_result res;
	struct lsr_db *db = NULL;
	char *want, *before, *after;
	long runs = 0, clean = 0, bad = 0;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(dbpath, sizeof(dbpath), "%s/review.db", dir);
	snprintf(path, sizeof(path), "%s/in.txt", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(db_open(&db, dbpath, DB_OPEN_CREATE), 0);
	db_set_command(db, "import");

	assert_int_equal(fetch_import(db, path, &opts, &res), 0);
	assert_int_equal(res.nrecords, (uint64_t)nrec);
	want = db_state(db, 1);

	for (long at = 1;; at++) {
		int rc;

		before = db_state(db, 0);
		lsr_error_clear();
		nalloc = 0;
		fail_at = at;
		failed = 0;
		armed = 1;
		rc = fetch_import(db, path, &opts, &res);
		armed = 0;
		runs++;
		assert_int_equal(db_txn_depth(db), 0);
		if (!failed) {
			assert_int_equal(rc, 0);
			after = db_state(db, 1);
			assert_string_equal(after, want);
			free(after);
			free(before);
			break;
		}
		if (rc == 0) {
			after = db_state(db, 1);
			if (strcmp(after, want) && ++bad)
				print_error("import: allocation %ld failed, the import succeeded and stored:\n%s\nwanted:\n%s\n",
					    at, after, want);
			clean++;
		} else {
			after = db_state(db, 0);
			if (rc != LSR_ENOMEM || !strstr(lsr_error_last(), "out of memory")) {
				bad++;
				print_error("import: allocation %ld failed: rc %d, message '%s'\n",
					    at, rc, lsr_error_last());
			}
			if (strcmp(after, before) && ++bad)
				print_error("import: allocation %ld failed and the database changed:\n%s\nwas:\n%s\n",
					    at, after, before);
		}
		free(after);
		free(before);
	}
	print_message("import       %ld runs, %ld absorbed failures\n", runs, clean);
	free(want);
	db_close(db);
	/* the scratch directory: the input, the database, its WAL and
	 * shared memory */
	for (size_t i = 0; i < sizeof(scratch) / sizeof(scratch[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, scratch[i]);
		unlink(path);
	}
	rmdir(dir);
	assert_true(runs > 10);
	assert_int_equal(bad, 0);
}

static void test_fetch_allocfail__import_ris(void **state)
{
	(void)state;
	torture_import(ris_text, 2);
}

static void test_fetch_allocfail__import_pubmed_xml(void **state)
{
	(void)state;
	torture_import(pubmed_xml_text, 2);
}

/* Each test starts with libxml2's allocations not counted ... */
static int setup(void **state)
{
	(void)state;
	count_xml = 0;
	armed = 0;
	return 0;
}

/* ... or counted (and failed) with lsr's. */
static int setup_libxml2(void **state)
{
	setup(state);
	count_xml = 1;
	return 0;
}

int main(void)
{
	xmlMemSetup(xml_free, xml_malloc, xml_realloc, xml_strdup);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fetch_allocfail__ris, setup),
		cmocka_unit_test_setup(test_fetch_allocfail__medline, setup),
		cmocka_unit_test_setup(test_fetch_allocfail__wos, setup),
		cmocka_unit_test_setup(test_fetch_allocfail__endnote, setup),
		cmocka_unit_test_setup(test_fetch_allocfail__bibtex, setup),
		cmocka_unit_test_setup(test_fetch_allocfail__csv, setup),
		cmocka_unit_test_setup(test_fetch_allocfail__variants, setup),
		cmocka_unit_test_setup(test_fetch_allocfail__pubmed_xml, setup),
		/* the same with libxml2's allocations failing too */
		{ "test_fetch_allocfail__pubmed_xml_libxml2", test_fetch_allocfail__pubmed_xml,
		  setup_libxml2, NULL, NULL },
		cmocka_unit_test_setup(test_fetch_allocfail__endnote_xml, setup),
		/* the same with libxml2's allocations failing too */
		{ "test_fetch_allocfail__endnote_xml_libxml2", test_fetch_allocfail__endnote_xml,
		  setup_libxml2, NULL, NULL },
		cmocka_unit_test_setup(test_fetch_allocfail__import_ris, setup),
		cmocka_unit_test_setup(test_fetch_allocfail__import_pubmed_xml, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
