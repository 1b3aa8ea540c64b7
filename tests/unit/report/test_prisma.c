/*
 * test_prisma.c - the PRISMA arithmetic checker catches every kind of
 * violation; the diagram is well-formed XML with its texts escaped, in both
 * templates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <string.h>

#include "report/prisma.h"
#include "util/buf.h"

static struct prisma_count dbs[] = { { "PubMed", "PubMed", 6 }, { "Embase <&>", "Embase <&>", 4 } };
static struct prisma_count regs[] = { { "CT.gov", "CT.gov", 2 } };
static struct prisma_count reasons[] = { { "off-topic", "Not \"relevant\"", 3 } };
static struct prisma_count ftr[] = { { "abstract-only", "Conference abstract", 1 } };
static struct prisma_count nr[] = { { "no access", "no access", 1 } };

/* A consistent flow: 12 identified, 2 duplicates, 1 automation, 1 removed
 * -> 8 screened -> 3 excluded, 1 pending -> 4 sought -> 1 not retrieved
 * -> 3 assessed -> 1 excluded -> 2 reports of 2 studies. */
static void well_formed(const struct buf *b);

static struct prisma good(void)
{
	struct prisma x;

	memset(&x, 0, sizeof(x));
	x.update = PRISMA_CUMULATIVE;
	x.identified_databases = (struct prisma_counts){ dbs, 2 };
	x.identified_registers = (struct prisma_counts){ regs, 1 };
	x.identified_total = 12;
	x.duplicates_removed = 2;
	x.automation_excluded = 1;
	x.other_removed = 1;
	x.screened = 8;
	x.screen_excluded = 3;
	x.screen_excluded_reasons = (struct prisma_counts){ reasons, 1 };
	x.screen_pending = 1;
	x.sought = 4;
	x.not_retrieved = 1;
	x.not_retrieved_reasons = (struct prisma_counts){ nr, 1 };
	x.assessed = 3;
	x.fulltext_excluded = (struct prisma_counts){ ftr, 1 };
	x.fulltext_excluded_total = 1;
	x.reports_included = 2;
	x.studies_included = 2;
	x.total_studies = 2;
	x.total_reports = 2;
	return x;
}

static void test_report_prisma__check_good(void **state)
{
	struct prisma x = good();
	char msg[512] = "";

	(void)state;
	assert_int_equal(prisma_check(&x, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
}

/* Reports of ongoing studies and of studies awaiting classification are
 * assessed, neither excluded nor included: the flow holds with them. */
static void test_report_prisma__check_ongoing(void **state)
{
	struct prisma x = good();
	struct buf b = BUF_INIT;
	char msg[512] = "";

	(void)state;
	x.reports_included = 0;
	x.studies_included = 0;
	x.total_studies = 0;
	x.total_reports = 0;
	x.fulltext_ongoing = 1;
	x.fulltext_awaiting = 1;
	assert_int_equal(prisma_check(&x, msg, sizeof(msg)), 0);
	assert_int_equal(prisma_svg(&b, &x, NULL), 0);
	well_formed(&b);
	assert_non_null(strstr(b.s, "ongoing studies (n = 1)"));
	assert_non_null(strstr(b.s, "awaiting classification (n = 1)"));
	buf_reset(&b);
	assert_int_equal(prisma_text(&b, &x), 0);
	assert_non_null(strstr(b.s, "  reports of ongoing studies                             1\n"));
	assert_non_null(strstr(b.s, "  reports of studies awaiting classification             1\n"));
	buf_release(&b);
}

/* The text's counts stay in one column: a label with a multi-byte
 * character is padded by characters, one longer than the column gets its
 * own line with the count under the others. */
static void test_report_prisma__text_columns(void **state)
{
	static struct prisma_count why[] = {
		{ "stop", "not screened: stopping rule (recall \xe2\x89\xa5 95%, p = 0.0242)", 2 },
		{ "short", "r\xc3\xa9sum\xc3\xa9 only", 1 },
	};
	struct prisma x = good();
	struct buf b = BUF_INIT;

	(void)state;
	x.screen_excluded_reasons = (struct prisma_counts){ why, 2 };
	assert_int_equal(prisma_text(&b, &x), 0);
	assert_non_null(strstr(b.s, "  records screened                                       8\n"));
	assert_non_null(strstr(b.s, "    not screened: stopping rule (recall \xe2\x89\xa5 95%, p = 0.0242)\n"
				    "                                                         2\n"));
	assert_non_null(strstr(b.s, "    r\xc3\xa9sum\xc3\xa9 only                                          1\n"));
	buf_release(&b);
}

/* Each way of breaking the flow is caught, with a message naming the box. */
static void test_report_prisma__check_violations(void **state)
{
	static const struct {
		int field;
		const char *box;
	} cases[] = {
		{ 0, "records identified (13) is not the sum of its databases and registers (12)" },
		{ 1, "records screened (9) is not records identified (12) minus duplicates (2)" },
		{ 2, "records excluded (4) is not the sum of its reasons (3)" },
		{ 3, "reports sought (5) is not records screened (8) minus excluded (3) and undecided (1)" },
		{ 4, "reports assessed (2) is not reports sought (4) minus not retrieved (1)" },
		{ 5, "reports excluded (2) is not the sum of its reasons (1)" },
		{ 6, "reports of included studies (3) is not reports assessed (3) minus excluded (1)" },
		{ 7, "total studies (3) or reports (2) is not previous plus new" },
		{ 8, "studies included (3) outnumber their linked reports (2)" },
		{ 9, "a count of records removed before screening is negative" },
		{ 10, "reports of included studies (2) is not reports assessed (3) minus excluded (1), ongoing (1), awaiting classification (0)" },
		{ 11, "reports of included studies (1) is not reports assessed (3) minus excluded (1), ongoing (0), awaiting classification (0)" },
		{ 12, "a count of ongoing (-1) or awaiting-classification (1) reports is negative" },
	};
	char msg[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct prisma x = good();

		switch (cases[i].field) {
		case 0: x.identified_total = 13; break;
		case 1: x.screened = 9; break;
		case 2: x.screen_excluded = 4; x.screen_pending = 0; break;
		case 3: x.sought = 5; break;
		case 4: x.assessed = 2; break;
		case 5: x.fulltext_excluded_total = 2; x.reports_included = 0; break;
		case 6: x.reports_included = 3; x.total_reports = 3; break;
		case 7: x.total_studies = 3; break;
		case 8: x.studies_included = 3; x.total_studies = 3; break;
		case 9: x.duplicates_removed = -1; x.other_removed = 4; break;
		case 10: x.fulltext_ongoing = 1; break;
		case 11: x.reports_included = 1; x.studies_included = 1; x.total_studies = 1; x.total_reports = 1; break;
		case 12: x.fulltext_ongoing = -1; x.fulltext_awaiting = 1; break;
		}
		msg[0] = 0;
		assert_int_equal(prisma_check(&x, msg, sizeof(msg)), -1);
		if (!strstr(msg, cases[i].box))
			fail_msg("case %zu: '%s' does not say '%s'", i, msg, cases[i].box);
	}
}

static void well_formed(const struct buf *b)
{
	xmlDocPtr doc = xmlReadMemory(b->s, (int)b->len, "prisma.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);

	assert_non_null(doc);
	xmlFreeDoc(doc);
}

static void test_report_prisma__svg(void **state)
{
	struct prisma x = good();
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(prisma_svg(&b, &x, "A <title> & more"), 0);
	well_formed(&b);
	assert_non_null(strstr(b.s, "A &lt;title&gt; &amp; more"));
	assert_non_null(strstr(b.s, "Embase &lt;&amp;&gt; (n = 4)"));
	assert_non_null(strstr(b.s, "Not &quot;relevant&quot; (n = 3)"));
	assert_non_null(strstr(b.s, "Records screened (n = 8)"));
	assert_null(strstr(b.s, "previous version"));
	buf_release(&b);

	/* the updated-review template */
	x.update = 1;
	x.previous_studies = 5;
	x.previous_reports = 6;
	x.total_studies = 7;
	x.total_reports = 8;
	assert_int_equal(prisma_svg(&b, &x, NULL), 0);
	well_formed(&b);
	assert_non_null(strstr(b.s, "Studies included in previous version of review (n = 5)"));
	assert_non_null(strstr(b.s, "Total studies included in review (n = 7)"));
	assert_non_null(strstr(b.s, "New studies included in review (n = 2)"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_prisma__check_good),
		cmocka_unit_test(test_report_prisma__check_violations),
		cmocka_unit_test(test_report_prisma__check_ongoing),
		cmocka_unit_test(test_report_prisma__text_columns),
		cmocka_unit_test(test_report_prisma__svg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
