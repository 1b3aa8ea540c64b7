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
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch_int.h"
#include "util/err.h"
#include "util/text.h"

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
	/* \'\i, unknown commands with an argument (and an optional one), a
	 * line break, a blank line; an unknown command alone stays */
	parse("@article{k, title = {Garc\\'\\i a {\\'\\i} \\mkbibquote{Intention}\n  \\foo[x]{y} \\LaTeX},"
	      " abstract = {one\ntwo\n\n  three}}", FETCH_FMT_BIBTEX, &g);
	assert_string_equal(g.title, "García í Intention y \\LaTeX");
	assert_string_equal(g.abstract, "one two\nthree");
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

/* s (UTF-8 with code points up to U+10FFFF) as UTF-16 into out; returns
 * the bytes written. */
static size_t to_utf16(unsigned char *out, const char *s, int le, int bom)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (bom) {
		out[o++] = le ? 0xFF : 0xFE;
		out[o++] = le ? 0xFE : 0xFF;
	}
	while (*p) {
		unsigned long cp;
		unsigned units[2];
		int nu = 1;

		if (*p < 0x80) {
			cp = *p++;
		} else if (*p < 0xE0) {
			cp = (unsigned long)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else if (*p < 0xF0) {
			cp = (unsigned long)(p[0] & 0x0F) << 12 | (unsigned long)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			p += 3;
		} else {
			cp = (unsigned long)(p[0] & 0x07) << 18 | (unsigned long)(p[1] & 0x3F) << 12 |
			     (unsigned long)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
			p += 4;
		}
		units[0] = (unsigned)cp;
		if (cp >= 0x10000) {
			units[0] = (unsigned)(0xD800 + ((cp - 0x10000) >> 10));
			units[1] = (unsigned)(0xDC00 + ((cp - 0x10000) & 0x3FF));
			nu = 2;
		}
		for (int i = 0; i < nu; i++) {
			out[o++] = (unsigned char)(le ? units[i] & 0xFF : units[i] >> 8);
			out[o++] = (unsigned char)(le ? units[i] >> 8 : units[i] & 0xFF);
		}
	}
	return o;
}

/*
 * UTF-16 (LE and BE, with and without a BOM) read line by line gives the
 * UTF-8 text back exactly, over several read chunks: surrogate pairs and
 * line ends fall across chunk boundaries somewhere in 1.2 MB.
 */
static void test_fetch_input__utf16(void **state)
{
	static const char line[] = "TI  - caf\xC3\xA9 \xF0\x9D\x9B\xBC-diversity \xE2\x80\x93 \xC3\x98ster";
	size_t nlines = 12000, len = nlines * (sizeof(line) + 4) + 1, o;
	char *text = malloc(len), *back = malloc(len);
	unsigned char *u16 = malloc(2 * len + 2);

	(void)state;
	assert_non_null(text);
	assert_non_null(back);
	assert_non_null(u16);
	/* lines of 0-3 more characters, so that every alignment occurs */
	o = 0;
	for (size_t i = 0; i < nlines; i++) {
		if (i)
			text[o++] = '\n';
		memcpy(text + o, line, sizeof(line) - 1);
		o += sizeof(line) - 1;
		memcpy(text + o, "...", i % 4);
		o += i % 4;
	}
	text[o] = '\0';
	for (int v = 0; v < 4; v++) {
		int le = v & 1, bom = v >> 1;
		size_t n = to_utf16(u16, text, le, bom), count = 0;
		struct fetch_input *in = NULL;
		int rc;

		assert_int_equal(fetch_input_open_mem(&in, "mem", (const char *)u16, n), 0);
		o = 0;
		while ((rc = input_getline(in)) > 0) {
			if (count++)
				back[o++] = '\n';
			memcpy(back + o, in->line.s, in->line.len);
			o += in->line.len;
		}
		assert_int_equal(rc, 0);
		back[o] = '\0';
		assert_int_equal(count, nlines);
		assert_string_equal(back, text);
		assert_true(in->fixes & TEXT_FIX_UTF16);
		assert_false(in->fixes & TEXT_FIX_BOM);
		fetch_input_free(in);
	}
	free(text);
	free(back);
	free(u16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_bibtex__latex),
		cmocka_unit_test(test_fetch_medline__abstract_sections),
		cmocka_unit_test(test_fetch_input__utf16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
