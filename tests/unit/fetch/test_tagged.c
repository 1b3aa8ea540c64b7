/*
 * test_tagged.c - the helpers the tagged parsers share: dates, author
 * lists, DOIs, ISSNs.
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

static void expect_date(const char *in, int year, const char *iso)
{
	struct lsr_record r;

	record_init(&r);
	assert_int_equal(tagged_set_date(&r, in), 0);
	assert_int_equal(r.year, year);
	assert_string_equal(r.pub_date.s, iso);
	record_release(&r);
}

static void test_fetch_tagged__dates(void **state)
{
	(void)state;
	expect_date("2017/03/01/", 2017, "2017-03-01");
	expect_date("2019 Jan-Feb", 2019, "2019-01");
	expect_date("Spring 2001", 2001, "2001");
	expect_date("20230517", 2023, "2023-05-17");
	expect_date("2020 DEC 16", 2020, "2020-12-16");
	expect_date("DEC 16 2020", 2020, "2020-12-16");
	expect_date("September  1, 2021 2021", 2021, "2021-09-01");
	expect_date("1 Sept. 2021", 2021, "2021-09-01");
	/* a word that starts like a month is no month */
	expect_date("Marine 2019", 2019, "2019");
	expect_date("no year here", 0, "");
}

static void expect_authors(const char *in, enum tagged_authors how, const char *joined)
{
	struct lsr_record r;
	char got[512] = "";

	record_init(&r);
	assert_int_equal(tagged_add_authors(&r, in, how), 0);
	for (size_t i = 0; i < r.authors.n; i++) {
		strncat(got, i ? "|" : "", sizeof(got) - strlen(got) - 1);
		strncat(got, r.authors.v[i], sizeof(got) - strlen(got) - 1);
	}
	assert_string_equal(got, joined);
	record_release(&r);
}

static void test_fetch_tagged__author_lists(void **state)
{
	(void)state;
	expect_authors("Smith, John", TAGGED_AUTHOR_TAG, "Smith, John");
	expect_authors("Li W, Zhang Y", TAGGED_AUTHOR_TAG, "Li W|Zhang Y");
	expect_authors("Lim SM, Shiau CWC, Cheng LJ, Lau Y.", TAGGED_AUTHOR_LIST,
		       "Lim SM|Shiau CWC|Cheng LJ|Lau Y.");
	/* one "Surname A., Given B." in a one-author tag; a list in a column */
	expect_authors("Fonseca C., Efraín R.", TAGGED_AUTHOR_TAG, "Fonseca C., Efraín R.");
	expect_authors("Liu R., Adler D.G.", TAGGED_AUTHOR_LIST, "Liu R.|Adler D.G.");
	expect_authors("Wagner, Lamb B. T. Call L. M.", TAGGED_AUTHOR_TAG,
		       "Wagner, Lamb B. T. Call L. M.");
	expect_authors("Larsen, LJ; Roush, JK", TAGGED_AUTHOR_TAG, "Larsen, LJ|Roush, JK");
	expect_authors("Larsen, LJ and Roush, JK", TAGGED_AUTHOR_LIST, "Larsen, LJ|Roush, JK");
	expect_authors("Smith and Wesson Group", TAGGED_AUTHOR_TAG, "Smith and Wesson Group");
	expect_authors("Grob C, Doe J, et al.", TAGGED_AUTHOR_TAG, "Grob C|Doe J");
}

/* The vendors' ways of writing author lists (CSV exports, issue 16). */
static void test_fetch_tagged__author_styles(void **state)
{
	(void)state;
	/* Scopus: "Surname, I." pairs; with ';' a list, author ids dropped */
	expect_authors("Pan, Y., Yu, C., Tanaka, H.-J.", TAGGED_AUTHOR_PAIRS,
		       "Pan, Y.|Yu, C.|Tanaka, H.-J.");
	expect_authors("Pan, Y., WHO Collaborating Centre", TAGGED_AUTHOR_PAIRS,
		       "Pan, Y.|WHO Collaborating Centre");
	expect_authors("Pan, Yan (57190000000); Yu, Chen (57190000001)", TAGGED_AUTHOR_PAIRS,
		       "Pan, Yan|Yu, Chen");
	expect_authors("Pan Y.; Yu C.", TAGGED_AUTHOR_PAIRS, "Pan Y.|Yu C.");
	/* given names first, turned round; particles stay with the surname */
	expect_authors("Maria Santos; Jan van der Berg; K. Sato", TAGGED_AUTHOR_GIVEN_FIRST,
		       "Santos, Maria|van der Berg, Jan|Sato, K.");
	expect_authors("Ana Ferreira|Thi Hoa Nguyen|Plato", TAGGED_AUTHOR_GIVEN_FIRST,
		       "Ferreira, Ana|Nguyen, Thi Hoa|Plato");
	expect_authors("Doe, Jane; Global Burden of Disease Network", TAGGED_AUTHOR_GIVEN_FIRST,
		       "Doe, Jane|Global Burden of Disease Network");
	/* SpringerLink's names run together */
	expect_authors("Eva HorvathRonald McDonaldPeter Kovacs", TAGGED_AUTHOR_RUN_TOGETHER,
		       "Horvath, Eva|McDonald, Ronald|Kovacs, Peter");
	expect_authors("Sean MacArthurLuc DeVries", TAGGED_AUTHOR_RUN_TOGETHER,
		       "MacArthur, Sean|DeVries, Luc");
}

static void expect_pages(const char *in, const char *want)
{
	struct lsr_record r;

	record_init(&r);
	assert_int_equal(tagged_set_page_range(&r, in), 0);
	assert_string_equal(r.pages.s, want);
	record_release(&r);
}

static void test_fetch_tagged__page_ranges(void **state)
{
	(void)state;
	expect_pages("134--137", "134-137");
	expect_pages("6 -- 15", "6-15");
	expect_pages("405-405", "405");
	expect_pages("106S--106S", "106S");
	expect_pages("221-8", "221-8");
	expect_pages("e1998", "e1998");
	expect_pages("S0883-5403(19)30006-3", "S0883-5403(19)30006-3");
	expect_pages("12-", "12-");
	expect_pages("77 \xE2\x80\x93 85", "77-85"); /* an en dash (Scopus) */
	expect_pages("9\xE2\x80\x94" "12", "9-12");      /* an em dash */
}

static void test_fetch_tagged__identifiers(void **state)
{
	struct lsr_record r;

	(void)state;
	record_init(&r);
	assert_int_equal(tagged_set_doi(&r, "http://dx.doi.org/10.1016/S0893-133X%2898%2900108-0 and more"), 0);
	assert_string_equal(r.doi.s, "10.1016/S0893-133X(98)00108-0");
	record_reset(&r);
	assert_int_equal(tagged_set_doi(&r, "http://sfx.example/x?sid=EMBASE&id=doi:10.4103%2F2303-9027.138783&atitle=Dup"), 0);
	assert_string_equal(r.doi.s, "10.4103/2303-9027.138783");
	record_reset(&r);
	assert_int_equal(tagged_set_issn(&r, "978-3-16-148410-0 0957-9672 (Print)"), 0);
	assert_string_equal(r.issn.s, "0957-9672");
	record_reset(&r);
	assert_int_equal(tagged_set_issn(&r, "1466822X (ISSN)"), 0);
	assert_string_equal(r.issn.s, "1466-822X");
	record_reset(&r);
	assert_int_equal(tagged_set_issn(&r, "0-398-05484-3 (Hardcover)"), 0);
	assert_string_equal(r.issn.s, "");
	/* ISBN-10 and -13 become other ids; an ISSN or a short number does not */
	record_reset(&r);
	assert_int_equal(tagged_add_isbns(&r, "0-398-05484-3 (Hardcover); 978-3-16-148410-0, 1234-5678 12345"), 0);
	assert_int_equal(r.other_ids.n, 2);
	assert_string_equal(r.other_ids.v[0], "isbn:0398054843");
	assert_string_equal(r.other_ids.v[1], "isbn:9783161484100");
	record_reset(&r);
	assert_int_equal(tagged_add_isbns(&r, "080442957X 1234567890123"), 0);
	assert_int_equal(r.other_ids.n, 1); /* 13 digits without 978/979 are no ISBN */
	assert_string_equal(r.other_ids.v[0], "isbn:080442957X");
	record_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_tagged__dates),
		cmocka_unit_test(test_fetch_tagged__author_lists),
		cmocka_unit_test(test_fetch_tagged__author_styles),
		cmocka_unit_test(test_fetch_tagged__page_ranges),
		cmocka_unit_test(test_fetch_tagged__identifiers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
