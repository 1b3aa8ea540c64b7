/*
 * test_normalize.c - normalisation for deduplication: titles (case folding,
 * accents, Greek, HTML, database notes), DOIs, pages, surnames, journal
 * abbreviations, publication kinds, and the edit-distance similarity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "screen/screen.h"
#include "screen/screen_int.h"

static void expect_title(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(screen_norm_title(&b, in), 0);
	assert_string_equal(b.s, want);
	buf_release(&b);
}

static void test_screen_normalize__title(void **state)
{
	(void)state;
	expect_title("Mesenchymal Stem-Cell Therapy: A Randomized Trial.", "mesenchymal stem cell therapy a randomized trial");
	expect_title("  ÉTUDE   des Cellules  ", "etude des cellules");
	expect_title("Müller's α-tocopherol & β-carotene", "muller s alpha tocopherol and beta carotene");
	expect_title("Effects of <i>E. coli</i> on H<sub>2</sub>O", "effects of e coli on h 2 o");
	expect_title("Salt &amp; pepper", "salt and pepper");
	expect_title("Antibiotic prophylaxis in thoracic surgery. [Review]", "antibiotic prophylaxis in thoracic surgery");
	expect_title("Timing of chest tube removal after bypass surgery.[Erratum appears in J Card Surg. 2011 Mar;26(2):244 Note: X [corrected]]",
		     "timing of chest tube removal after bypass surgery");
	expect_title("Indications for living kidney donations. [Spanish]", "indications for living kidney donations");
	expect_title("Update on the diagnosis of papillomavirus infection. [Review] [33 refs]",
		     "update on the diagnosis of papillomavirus infection");
	expect_title("RETRACTED: Stem cells in cirrhosis", "stem cells in cirrhosis");
	/* an original-language title appended: the first part (issue 19) */
	expect_title("Antibiotic prophylaxis in thoracic surgery. A randomized study. <ORIGINAL> PROPHYLAXIE"
		     " ANTIBIOTIQUE EN CHIRURGIE THORACIQUE",
		     "antibiotic prophylaxis in thoracic surgery a randomized study");
	expect_title("Early mobilisation after hip surgery [Original title: Fruehmobilisation nach Hueftchirurgie]",
		     "early mobilisation after hip surgery");
	/* too little before the mark to be a title of its own: kept */
	expect_title("Short <ORIGINAL> KURZ", "short kurz");
	expect_title("Ｆｕｌｌｗｉｄｔｈ ﬁbrosis", "fullwidth fibrosis");
	expect_title("Straße", "strasse");
	expect_title("", "");
	expect_title(NULL, "");
}

static void test_screen_normalize__fingerprint(void **state)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	(void)state;
	assert_int_equal(screen_title_fingerprint(&a, "Non-small cell lung cancer"), 0);
	assert_int_equal(screen_title_fingerprint(&b, "NONSMALL CELL LUNG-CANCER."), 0);
	assert_string_equal(a.s, "nonsmallcelllungcancer");
	assert_string_equal(a.s, b.s);
	buf_release(&a);
	buf_release(&b);
}

static void expect_doi(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(screen_norm_doi(&b, in), 0);
	assert_string_equal(b.s, want);
	buf_release(&b);
}

static void test_screen_normalize__doi(void **state)
{
	(void)state;
	expect_doi("10.1097/MOL.0b013e3282ffaf82", "10.1097/mol.0b013e3282ffaf82");
	expect_doi("http://dx.doi.org/10.1097/MOL.0b013e3282ffaf82", "10.1097/mol.0b013e3282ffaf82");
	expect_doi("https://doi.org/10.1000/XYZ.", "10.1000/xyz");
	expect_doi("doi: 10.1000/abc;", "10.1000/abc");
	expect_doi("10.1016/S0025-7753%2817%2930624-3", "10.1016/s0025-7753(17)30624-3");
	expect_doi("not a doi", "");
	expect_doi(NULL, "");
}

static void expect_pages(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(screen_norm_pages(&b, in), 0);
	assert_string_equal(b.s, want);
	buf_release(&b);
}

static void test_screen_normalize__pages(void **state)
{
	(void)state;
	expect_pages("112-20", "112-120");
	expect_pages("112-120", "112-120");
	expect_pages("1297-306", "1297-1306");
	expect_pages("221-8", "221-228");
	expect_pages("161--176", "161-176");
	expect_pages("233\xe2\x80\x93" "8", "233-238");
	expect_pages("pp. 12-14", "12-14");
	expect_pages("S12-14", "s12-s14");
	expect_pages("e1234", "e1234");
	expect_pages("0045", "45");
	expect_pages("77-77", "77");
	expect_pages("No pagination", "");
	/* page counts of books and theses are no pages (issue 19) */
	expect_pages("215 p", "");
	expect_pages("215 p.", "");
	expect_pages("215 pp", "");
	expect_pages("xii+215 pp", "");
	expect_pages("320 pages", "");
	expect_pages("p. 215", "215");
	expect_pages("35+", "35");
	expect_pages("12 pa", "12");
	assert_int_equal(screen_pages_first("112-120", 7), 3);
	assert_int_equal(screen_pages_first("e12", 3), 3);
}

static void expect_surname(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(screen_norm_surname(&b, in), 0);
	assert_string_equal(b.s, want);
	buf_release(&b);
}

static void test_screen_normalize__surname(void **state)
{
	(void)state;
	expect_surname("Smith, John", "smith");
	expect_surname("Smith J", "smith");
	expect_surname("Smith JA", "smith");
	expect_surname("John Smith", "smith");
	expect_surname("J. Smith", "smith");
	expect_surname("van der Berg J", "vanderberg");
	expect_surname("Ludwig van Beethoven", "vanbeethoven");
	expect_surname("Núñez-Álvarez, María", "nunezalvarez");
	expect_surname("Cochrane Collaboration", "collaboration");
	expect_surname("", "");
}

static void expect_given(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(screen_norm_given(&b, in), 0);
	assert_string_equal(b.len ? b.s : "", want);
	buf_release(&b);
}

static void test_screen_normalize__given(void **state)
{
	(void)state;
	expect_given("Carignani, Andrea", "andrea");
	expect_given("Andrea, C.", "c");
	expect_given("Wang, X.", "x");
	expect_given("Xiaoguang, Wang", "wang");
	expect_given("Smith, J.R.", "j");
	expect_given("Smith, John Robert", "john");
	expect_given("Lapeyraque, AL", "a");
	expect_given("Smith JA", "j");
	expect_given("John Smith", "john");
	expect_given("Núñez-Álvarez, María", "maria");
	expect_given("Smith", "");
	expect_given("Smith, ", "");
	expect_given(NULL, "");
}

static int journal(const char *a, const char *b)
{
	struct buf x = BUF_INIT, y = BUF_INIT;
	int m;

	screen_norm_text(&x, a, strlen(a));
	screen_norm_text(&y, b, strlen(b));
	m = screen_journal_match(x.s, y.s);
	buf_release(&x);
	buf_release(&y);
	return m;
}

static void test_screen_normalize__journal(void **state)
{
	(void)state;
	assert_int_equal(journal("Hepatology", "hepatology"), 2);
	assert_int_equal(journal("N Engl J Med", "The New England Journal of Medicine"), 1);
	assert_int_equal(journal("Proc Natl Acad Sci U S A",
				 "Proceedings of the National Academy of Sciences of the United States of America"), 1);
	assert_int_equal(journal("J Am Med Assoc", "Journal of the American Medical Association"), 1);
	assert_int_equal(journal("BMJ", "British Medical Journal"), 1);
	assert_int_equal(journal("Curr Opin Lipidol", "Current Opinion in Lipidology"), 1);
	assert_int_equal(journal("Jthoraccardiovascsurg", "Journal of Thoracic and Cardiovascular Surgery"), 1);
	assert_int_equal(journal("Americas Conference on Information Systems",
				 "25th Americas Conference on Information Systems (AMCIS)"), 1);
	assert_int_equal(journal("ICIS: Transforming Society with Digital Innovation",
				 "International Conference on Information Systems"), 1);
	assert_int_equal(journal("Ann Fr Anesth Reanim", "Annales Françaises d'Anesthésie et de Réanimation"), 1);
	assert_int_equal(journal("Lancet", "Journal of Hepatology"), 0);
	assert_int_equal(journal("Gut", "Hepatology"), 0);
	assert_int_equal(journal("J Hepatol", "Hepatology"), 0);
	assert_int_equal(journal("", "Hepatology"), 0);
}

static void test_screen_normalize__kind(void **state)
{
	(void)state;
	assert_int_equal(screen_record_kind("Stem cells in cirrhosis", "JOUR", "[]"), SCREEN_KIND_ARTICLE);
	assert_int_equal(screen_record_kind("Erratum: Stem cells in cirrhosis", NULL, NULL), SCREEN_KIND_ERRATUM);
	assert_int_equal(screen_record_kind("Correction to: Stem cells", NULL, NULL), SCREEN_KIND_ERRATUM);
	assert_int_equal(screen_record_kind("Stem cells in cirrhosis (vol 142, pg 310, 2003)", NULL, NULL),
			 SCREEN_KIND_ERRATUM);
	assert_int_equal(screen_record_kind("Eculizumab for aHUS (New England Journal of Medicine (2009) 360 (542-544))",
					    NULL, NULL), SCREEN_KIND_ERRATUM);
	assert_int_equal(screen_record_kind("Stem cells", NULL, "[\"Journal Article\",\"Published Erratum\"]"),
			 SCREEN_KIND_ERRATUM);
	assert_int_equal(screen_record_kind("Retraction notice: Stem cells", NULL, NULL), SCREEN_KIND_RETRACTION);
	assert_int_equal(screen_record_kind("Stem cells", NULL, "[\"Retraction of Publication\"]"),
			 SCREEN_KIND_RETRACTION);
	assert_int_equal(screen_record_kind("Retracted: Stem cells", NULL, NULL), SCREEN_KIND_ARTICLE);
	/* Ovid's note on the article, truncated, does not make it an erratum */
	assert_int_equal(screen_record_kind("Anti-factor H autoantibodies in a renal transplant recipient.[Erratum appears in Am J Transplant. 2009 Sep;9(9):2205 Note: X [added]].[Erratum",
					    NULL, NULL), SCREEN_KIND_ARTICLE);
	assert_int_equal(screen_record_kind("Comment on: Stem cells", NULL, NULL), SCREEN_KIND_COMMENT);
	assert_int_equal(screen_record_kind("Re: Stem cells in cirrhosis", NULL, NULL), SCREEN_KIND_COMMENT);
	assert_int_equal(screen_record_kind("Reply", NULL, NULL), SCREEN_KIND_COMMENT);
	assert_int_equal(screen_record_kind("Response to treatment in cirrhosis", NULL, NULL), SCREEN_KIND_ARTICLE);
	assert_int_equal(screen_record_kind("Stem cells", "CONF", NULL), SCREEN_KIND_ABSTRACT);
	assert_int_equal(screen_record_kind("Stem cells", "JOUR", "[\"Conference Abstract\"]"), SCREEN_KIND_ABSTRACT);
	assert_string_equal(screen_kind_name(SCREEN_KIND_ABSTRACT), "conference-abstract");
}

/* plain dynamic-programming Levenshtein, to check the banded one */
static size_t lev_naive(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), *row = malloc((lb + 1) * sizeof(*row)), d;

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

static void test_screen_normalize__similarity(void **state)
{
	char a[200], b[200];
	unsigned seed = 2385;

	(void)state;
	assert_true(dedup_similarity("abc", 3, "abc", 3, 0.7) == 1.0);
	assert_true(dedup_similarity("", 0, "", 0, 0.7) == 1.0);
	/* one substitution in 20 characters */
	assert_true(fabs(dedup_similarity("abcdefghijklmnopqrst", 20, "abcdefghijXlmnopqrst", 20, 0.7) - 0.95) < 1e-12);
	/* random strings over a small alphabet: exact above the threshold,
	 * below it whenever the true similarity is below it */
	for (int t = 0; t < 2000; t++) {
		size_t la = 1 + (seed = seed * 1103515245 + 12345) % 120, lb;
		double want, got, max;

		for (size_t i = 0; i < la; i++)
			a[i] = (char)('a' + (seed = seed * 1103515245 + 12345) % 4);
		a[la] = '\0';
		memcpy(b, a, la + 1);
		lb = la;
		for (int e = (int)((seed = seed * 1103515245 + 12345) % 30); e > 0; e--) {
			size_t p = (seed = seed * 1103515245 + 12345) % (lb + 1);
			int op = (int)((seed = seed * 1103515245 + 12345) % 3);

			if (op == 0 && lb < 190) { /* insert */
				memmove(b + p + 1, b + p, lb - p + 1);
				b[p] = 'z';
				lb++;
			} else if (op == 1 && p < lb) { /* delete */
				memmove(b + p, b + p + 1, lb - p);
				lb--;
			} else if (p < lb) {
				b[p] = 'y';
			}
		}
		max = (double)(la > lb ? la : lb);
		want = 1.0 - (double)lev_naive(a, b) / max;
		got = dedup_similarity(a, la, b, lb, 0.7);
		if (want >= 0.7)
			assert_true(fabs(got - want) < 1e-12);
		else
			assert_true(got < 0.7);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen_normalize__title),
		cmocka_unit_test(test_screen_normalize__fingerprint),
		cmocka_unit_test(test_screen_normalize__doi),
		cmocka_unit_test(test_screen_normalize__pages),
		cmocka_unit_test(test_screen_normalize__surname),
		cmocka_unit_test(test_screen_normalize__given),
		cmocka_unit_test(test_screen_normalize__journal),
		cmocka_unit_test(test_screen_normalize__kind),
		cmocka_unit_test(test_screen_normalize__similarity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
