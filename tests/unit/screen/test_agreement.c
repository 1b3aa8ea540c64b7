/*
 * test_agreement.c - Cohen's kappa, its large-sample standard error and
 * 95% CI, and Gwet's AC1 against published worked examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "screen/screen.h"

/*
 * EVIDENCE: SAS/STAT PROC FREQ, AGREE option, simple kappa printout for the
 * 3 x 3 table below (reproduced in statsmodels'
 * stats/tests/test_inter_rater.py as "comparison to printout of a SAS
 * example"): Kappa 0.4842, ASE 0.1380, 95% confidence limits 0.2137 and
 * 0.7547.  SAS's ASE is the Fleiss, Cohen & Everitt (1969) large-sample
 * standard error.
 */
static void test_screen_agreement__sas_kappa_ase(void **state)
{
	static const double t[9] = { 0, 4, 1, 0, 8, 0, 0, 1, 5 };
	struct screen_agreement a;

	(void)state;
	assert_int_equal(screen_agreement_table(&a, t, 3), 0);
	assert_true(fabs(a.n - 19) < 1e-12);
	assert_true(fabs(a.kappa - 0.4842) < 5e-5);
	assert_true(fabs(a.kappa_se - 0.1380) < 5e-5);
	assert_true(fabs(a.kappa_lb - 0.2137) < 5e-5);
	assert_true(fabs(a.kappa_ub - 0.7547) < 5e-5);
	assert_true(fabs(a.po - 13.0 / 19.0) < 1e-12);
}

/* Few units: kappa + z SE passes 1 (screening status showed 1.222); the
 * interval is clipped to [-1, 1], the SE is not. */
static void test_screen_agreement__ci_clipped(void **state)
{
	static const double t[4] = { 4, 0, 1, 1 };
	struct screen_agreement a;

	(void)state;
	assert_int_equal(screen_agreement_table(&a, t, 2), 0);
	assert_true(a.kappa + 1.959963984540054 * a.kappa_se > 1);
	assert_true(a.kappa_ub == 1.0);
	assert_true(fabs(a.kappa_lb - (a.kappa - 1.959963984540054 * a.kappa_se)) < 1e-12);
}

/*
 * EVIDENCE: Gwet, K.L. (2014) Handbook of Inter-Rater Reliability, 4th ed.:
 * 100 pregnant women classified by two abstractors into ectopic, abnormal
 * intrauterine and normal intrauterine pregnancy (rows: abstractor 1):
 *   13  0  0 /  0 20  7 /  0  4 56
 * Gwet's AC1 = 0.849 and Cohen's kappa = 0.796 (as the irrCAC package's
 * tests also give for its dataset cont3x3abstractors).
 */
static void test_screen_agreement__gwet_handbook_ac1(void **state)
{
	static const double t[9] = { 13, 0, 0, 0, 20, 7, 0, 4, 56 };
	struct screen_agreement a;

	(void)state;
	assert_int_equal(screen_agreement_table(&a, t, 3), 0);
	assert_true(fabs(a.ac1 - 0.849) < 5e-4);
	assert_true(fabs(a.kappa - 0.796) < 5e-4);
	assert_true(fabs(a.po - 0.89) < 1e-12);
}

/* Both reviewers always say the same single category: percent agreement is
 * 100, kappa is undefined (NaN), AC1 is 1. */
static void test_screen_agreement__one_category(void **state)
{
	static const double t[9] = { 0, 0, 0, 0, 25, 0, 0, 0, 0 };
	struct screen_agreement a;

	(void)state;
	assert_int_equal(screen_agreement_table(&a, t, 3), 0);
	assert_true(fabs(a.po - 1) < 1e-12);
	assert_true(isnan(a.kappa));
	assert_true(fabs(a.ac1 - 1) < 1e-12);
}

/* Perfect agreement on two categories: kappa 1 with standard error 0. */
static void test_screen_agreement__perfect(void **state)
{
	static const double t[9] = { 10, 0, 0, 0, 30, 0, 0, 0, 0 };
	struct screen_agreement a;

	(void)state;
	assert_int_equal(screen_agreement_table(&a, t, 3), 0);
	assert_true(fabs(a.kappa - 1) < 1e-12);
	assert_true(fabs(a.kappa_se) < 1e-12);
}

static void test_screen_agreement__empty(void **state)
{
	static const double t[9] = { 0 };
	struct screen_agreement a;

	(void)state;
	assert_int_equal(screen_agreement_table(&a, t, 3), 0);
	assert_true(a.n == 0);
	assert_true(isnan(a.kappa) && isnan(a.ac1) && isnan(a.po));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen_agreement__sas_kappa_ase),
		cmocka_unit_test(test_screen_agreement__ci_clipped),
		cmocka_unit_test(test_screen_agreement__gwet_handbook_ac1),
		cmocka_unit_test(test_screen_agreement__one_category),
		cmocka_unit_test(test_screen_agreement__perfect),
		cmocka_unit_test(test_screen_agreement__empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
