/*
 * test_parse.c - text conversions inside the parsers, through fetch_parse
 * on memory input: BibTeX's LaTeX and names, MEDLINE's structured
 * abstracts.  (The fixtures are tested by tests/cli/t11xx-import-*.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fetch/fetch_int.h"
#include "util/err.h"

struct got {
	char title[256];
	char authors[512];
	char abstract[512];
	int n;
};

static int keep(struct lsr_record *r, void *payload)
{
	struct got *g = payload;

	g->n++;
	snprintf(g->title, sizeof(g->title), "%s", r->title.s);
	snprintf(g->abstract, sizeof(g->abstract), "%s", r->abstract.s);
	g->authors[0] = '\0';
	for (size_t i = 0; i < r->authors.n; i++) {
		strncat(g->authors, i ? "|" : "", sizeof(g->authors) - strlen(g->authors) - 1);
		strncat(g->authors, r->authors.v[i], sizeof(g->authors) - strlen(g->authors) - 1);
	}
	return 0;
}

static void parse(const char *text, enum fetch_format fmt, struct got *g)
{
	struct fetch_input *in = NULL;

	memset(g, 0, sizeof(*g));
	assert_int_equal(fetch_input_open_mem(&in, "mem", text, strlen(text)), 0);
	assert_int_equal(fetch_parse(in, fmt, NULL, keep, g), 0);
	fetch_input_free(in);
}

static void test_fetch_bibtex__latex(void **state)
{
	struct got g;

	(void)state;
	parse("@article{k, title = {Caf{\\'e} {\\\"O}l and {\\ss}tra{\\ss}e: {\\textless}5\\% of \\emph{a}~b---c},"
	      " author = {J{\\\"o}rg M{\\o}ller and {\\AA}sa de la Cruz and {R Core Team}}}",
	      FETCH_FMT_BIBTEX, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.title, "Café Öl and ßtraße: <5% of a b—c");
	assert_string_equal(g.authors, "Møller, Jörg|de la Cruz, Åsa|R Core Team");
	parse("@article{k, title = {\\c{C}a\\u{g}r{\\i} \\v{S}koda \\\"{\\i}}}", FETCH_FMT_BIBTEX, &g);
	assert_string_equal(g.title, "Çağrı Škoda ï");
}

static void test_fetch_medline__abstract_sections(void **state)
{
	struct got g;

	(void)state;
	parse("PMID- 1\n"
	      "AB  - OBJECTIVE: To test. MATERIALS AND METHODS: Forty rats (HIV: no). The\n"
	      "      study design was \"open.\" SETTING: One unit. Results were 1.5 x 10(9)/L.\n",
	      FETCH_FMT_MEDLINE, &g);
	assert_string_equal(g.abstract,
			    "OBJECTIVE: To test.\n"
			    "MATERIALS AND METHODS: Forty rats (HIV: no). The study design was \"open.\"\n"
			    "SETTING: One unit. Results were 1.5 x 10(9)/L.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_bibtex__latex),
		cmocka_unit_test(test_fetch_medline__abstract_sections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
