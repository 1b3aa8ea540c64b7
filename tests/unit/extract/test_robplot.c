/*
 * test_robplot.c - the risk-of-bias figures are well-formed SVG (parsed
 * with libxml2) whatever the study labels hold, draw one disc per study
 * and domain, and weight the summary bars.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "util/err.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void assert_well_formed(const struct buf *b)
{
	xmlDocPtr doc = xmlReadMemory(b->s, (int)b->len, "plot.svg", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

	assert_non_null(doc);
	assert_string_equal((const char *)xmlDocGetRootElement(doc)->name, "svg");
	xmlFreeDoc(doc);
}

/* write the figure for a person to look at when LSR_PLOT_DIR is set */
static void keep(const struct buf *b, const char *name)
{
	const char *dir = getenv("LSR_PLOT_DIR");
	char path[512];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(b->s, 1, b->len, f);
	fclose(f);
}

static const enum rob_level s1[] = { ROB_LOW, ROB_SOME, ROB_HIGH, ROB_LOW, ROB_LOW, ROB_HIGH };
static const enum rob_level s2[] = { ROB_LOW, ROB_LOW, ROB_LOW, ROB_SOME, ROB_LOW, ROB_SOME };
static const enum rob_level s3[] = { ROB_HIGH, ROB_NONE, ROB_LOW, ROB_LOW, ROB_SOME, ROB_HIGH };

static void test_extract_robplot__traffic_light_escapes(void **state)
{
	const struct extract_robplot_study st[] = {
		{ "Bai 2014", s1, 1 },
		{ "<Suk> & \"Kim\" 'twice'\x01 2016", s2, 1 },
		{ "Zhang 2012 \xc3\xa9", s3, 1 },
	};
	struct extract_robplot p = { 1, extract_rob2_domains, ROB2_NDOMAINS, 1, st, 3, NULL, 0 };
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(extract_robplot_traffic_light(&b, &p), 0);
	assert_well_formed(&b);
	keep(&b, "traffic-light.svg");
	assert_non_null(strstr(b.s, "&lt;Suk&gt; &amp; &quot;Kim&quot; &#39;twice&#39; 2016"));
	assert_null(strstr(b.s, "<Suk>"));
	/* 3 studies x 6 columns, and 4 discs in the legend (one judgement
	 * is missing: grey, "not final") */
	assert_int_equal(count(b.s, "<circle"), 3 * 6 + 4);
	assert_non_null(strstr(b.s, ">not final</text>"));
	assert_non_null(strstr(b.s, ">Overall</text>"));
	assert_non_null(strstr(b.s, "Bai 2014, Bias in measurement of the outcome: Low risk of bias"));
	assert_non_null(strstr(b.s, "Zhang 2012 \xc3\xa9, Bias due to deviations from intended interventions: Not final"));
	buf_release(&b);
}

/* RoB 1 at study level with detection and attrition bias judged per
 * outcome: their empty cells say so, in the tooltips, the legend and the
 * summary's bars, and "not final" stays for a truly open judgement */
static void test_extract_robplot__per_outcome_columns(void **state)
{
	const enum rob_level a[] = { ROB_LOW, ROB_LOW, ROB_LOW, ROB_NONE, ROB_NONE, ROB_LOW, ROB_LOW };
	const enum rob_level c[] = { ROB_HIGH, ROB_SOME, ROB_LOW, ROB_LOW, ROB_NONE, ROB_LOW, ROB_LOW };
	const struct extract_robplot_study st[] = { { "A", a, 1 }, { "C", c, 1 } };
	/* blinding-outcome (3) and incomplete-data (4) per outcome */
	struct extract_robplot p = { 0, extract_rob1_domains, ROB1_NDOMAINS, 0, st, 2, NULL,
				     1u << 3 | 1u << 4 };
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(extract_robplot_traffic_light(&b, &p), 0);
	assert_well_formed(&b);
	assert_non_null(strstr(b.s, "A, Blinding of outcome assessment (detection bias): Judged per outcome"));
	assert_non_null(strstr(b.s, "C, Incomplete outcome data (attrition bias): Judged per outcome"));
	assert_null(strstr(b.s, "Not final"));
	assert_non_null(strstr(b.s, ">judged per outcome</text>"));
	assert_null(strstr(b.s, ">not final</text>"));
	buf_release(&b);

	/* a grey cell outside those columns is still open */
	p.per_outcome_cols = 1u << 4;
	assert_int_equal(extract_robplot_traffic_light(&b, &p), 0);
	assert_well_formed(&b);
	assert_non_null(strstr(b.s, "A, Blinding of outcome assessment (detection bias): Not final"));
	assert_non_null(strstr(b.s, ">judged per outcome</text>"));
	assert_non_null(strstr(b.s, ">not final</text>"));
	buf_release(&b);

	assert_int_equal(extract_robplot_summary(&b, &p), 0);
	assert_well_formed(&b);
	assert_non_null(strstr(b.s, "<title>Judged per outcome: 100.0%</title>"));
	assert_non_null(strstr(b.s, "<title>Not final: 50.0%</title>"));
	assert_non_null(strstr(b.s, ">Judged per outcome</text>"));
	assert_non_null(strstr(b.s, ">Not final</text>"));
	buf_release(&b);
}

/* the x of the text element whose content is text (the first one) */
static double text_x(const char *svg, const char *content)
{
	char needle[64];
	const char *end, *x;

	snprintf(needle, sizeof(needle), ">%s</text>", content);
	end = strstr(svg, needle);
	assert_non_null(end);
	for (x = end; x > svg && strncmp(x, "<text x=\"", 9); x--)
		;
	assert_true(x > svg);
	return strtod(x + 9, NULL);
}

static void test_extract_robplot__traffic_light_heads_apart(void **state)
{
	const struct extract_robplot_study st[] = { { "Bai 2014", s1, 1 } };
	struct extract_robplot p = { 1, extract_rob2_domains, ROB2_NDOMAINS, 1, st, 1, NULL, 0 };
	struct buf b = BUF_INIT;
	double d5, overall, d4;

	(void)state;
	assert_int_equal(extract_robplot_traffic_light(&b, &p), 0);
	assert_well_formed(&b);
	d4 = text_x(b.s, "D4");
	d5 = text_x(b.s, "D5");
	overall = text_x(b.s, "Overall");
	/* centred heads at 12 px bold, about 7 px a character: "D5" and
	 * "Overall" need (2 + 7) x 7 / 2 = 31.5 px between their centres, and
	 * a little air; the domain cells keep their pitch */
	assert_true(overall - d5 >= 31.5 + 4);
	assert_true(d5 - d4 >= 30 && d5 - d4 < 31.5 + 30);
	/* the overall discs sit under their head */
	assert_non_null(strstr(b.s, "Overall: High risk of bias</title><circle cx=\""));
	{
		const char *c = strstr(b.s, "Overall: High risk of bias</title><circle cx=\"");

		assert_true(strtod(c + strlen("Overall: High risk of bias</title><circle cx=\""), NULL) == overall);
	}
	buf_release(&b);
}

static void test_extract_robplot__summary_weighted(void **state)
{
	/* domain 1: low weight 1, high weight 3 -> 25% and 75% */
	const enum rob_level a[] = { ROB_LOW, ROB_LOW, ROB_LOW, ROB_LOW, ROB_LOW, ROB_LOW, ROB_LOW };
	const enum rob_level c[] = { ROB_HIGH, ROB_SOME, ROB_LOW, ROB_LOW, ROB_LOW, ROB_LOW, ROB_LOW };
	const struct extract_robplot_study st[] = { { "A", a, 1 }, { "C", c, 3 } };
	struct extract_robplot p = { 0, extract_rob1_domains, ROB1_NDOMAINS, 0, st, 2, NULL, 0 };
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(extract_robplot_summary(&b, &p), 0);
	assert_well_formed(&b);
	keep(&b, "summary.svg");
	assert_non_null(strstr(b.s, "<title>Low risk of bias: 25.0%</title>"));
	assert_non_null(strstr(b.s, "<title>High risk of bias: 75.0%</title>"));
	assert_non_null(strstr(b.s, "<title>Unclear risk of bias: 75.0%</title>"));
	assert_non_null(strstr(b.s, "<title>Low risk of bias: 100.0%</title>"));
	assert_non_null(strstr(b.s, "Random sequence generation (selection bias)"));
	assert_null(strstr(b.s, "Not final"));
	buf_release(&b);

	p.has_overall = 0;
	p.ndomains = 2;
	p.studies = (const struct extract_robplot_study[]){ { "A", a, -1 } };
	p.nstudies = 1;
	assert_int_equal(extract_robplot_summary(&b, &p), LSR_ERROR);
	assert_string_equal(lsr_error_last(), "study 'A' has weight -1; weights must be >= 0");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_robplot__traffic_light_escapes),
		cmocka_unit_test(test_extract_robplot__per_outcome_columns),
		cmocka_unit_test(test_extract_robplot__traffic_light_heads_apart),
		cmocka_unit_test(test_extract_robplot__summary_weighted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
