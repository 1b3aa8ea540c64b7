/*
 * test_checkstats.c - check_stats_row (pool/checkstats.h) through its API:
 * the seed review's inconsistent report, the rounding box, the forms a
 * p-value is printed in, ratio measures on the log scale, the significance
 * check, and every refusal with its message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "util/checkstats.h"
#include "util/err.h"

static struct check_stats_out check(const char *m, const char *e, const char *l, const char *u,
				    const char *p)
{
	struct check_stats_in in = { m, e, l, u, p };
	struct check_stats_out r;

	assert_int_equal(check_stats_row(&r, &in), 0);
	return r;
}

static void test_pool_checkstats__seed_review(void **state)
{
	/* Lu et al. 2023: "SMD −0.27; 95% CI [−0.59, −0.05]; p = 0.10" */
	struct check_stats_out r = check("SMD", "\xe2\x88\x92" "0.27", "\xe2\x88\x92" "0.59",
					 "\xe2\x88\x92" "0.05", "0.10");

	(void)state;
	assert_int_equal(r.flag, CHECK_STATS_P_MISMATCH);
	/* z = 0.27 x 3.92 / 0.54 = 1.96 */
	assert_true(fabs(r.p_implied - 0.0499957902964) < 1e-10);
	/* box: |θ| 0.265..0.275, width 0.53..0.55 */
	assert_true(fabs(r.p_low - erfc(0.275 * 3.92 / 0.53 / M_SQRT2)) < 1e-12);
	assert_true(fabs(r.p_high - erfc(0.265 * 3.92 / 0.55 / M_SQRT2)) < 1e-12);
	assert_true(fabs(r.p_rep_low - 0.095) < 1e-12 && fabs(r.p_rep_high - 0.105) < 1e-12);
	assert_int_equal(r.ci_significant, 1);
	assert_int_equal(r.p_significant, 0);
	/* printed as the interval implies, it passes */
	assert_int_equal(check("SMD", "-0.27", "-0.59", "-0.05", "0.05").flag, CHECK_STATS_OK);
	assert_int_equal(check("SMD", "-0.27", "-0.59", "-0.05", "p = .05").flag, CHECK_STATS_OK);
}

static void test_pool_checkstats__p_forms(void **state)
{
	struct check_stats_out r;

	(void)state;
	r = check("MD", "1.0", "0.5", "1.5", "<0.001");
	assert_true(r.p_rep_low == 0 && r.p_rep_high == 0.001);
	assert_int_equal(r.p_significant, 1);
	assert_int_equal(r.flag, CHECK_STATS_OK);
	r = check("MD", "1.0", "0.5", "1.5", "P\xe2\x89\xa4" "0.001"); /* ≤ */
	assert_true(r.p_rep_high == 0.001);
	r = check("MD", "0.1", "-0.5", "0.7", "> 0.05");
	assert_true(r.p_rep_low == 0.05 && r.p_rep_high == 1);
	assert_int_equal(r.p_significant, 0);
	assert_int_equal(r.flag, CHECK_STATS_OK);
	r = check("MD", "0.1", "-0.5", "0.7", "=0.750");
	assert_true(fabs(r.p_rep_low - 0.7495) < 1e-12 && fabs(r.p_rep_high - 0.7505) < 1e-12);
	r = check("MD", "0.1", "-0.5", "0.7", "7.5e-1");
	assert_true(fabs(r.p_rep_low - 0.745) < 1e-12 && fabs(r.p_rep_high - 0.755) < 1e-12);
	/* 0.05 printed can be either side of 0.05: no significance verdict */
	assert_int_equal(check("MD", "0.1", "-0.5", "0.7", "0.05").p_significant, -1);
}

static void test_pool_checkstats__ratio_log_scale(void **state)
{
	struct check_stats_out r = check("or", "0.50", "0.30", "0.83", "0.007");
	double se = (log(0.83) - log(0.30)) / 3.92;

	(void)state;
	assert_int_equal(r.ratio, 1);
	assert_true(fabs(r.p_implied - erfc(fabs(log(0.5)) / se / M_SQRT2)) < 1e-14);
	assert_true(fabs(r.p_low - erfc(-log(0.495) / ((log(0.825) - log(0.305)) / 3.92) / M_SQRT2)) < 1e-14);
	assert_int_equal(r.flag, CHECK_STATS_OK);
	/* the same numbers read as a difference are another p */
	assert_int_equal(check("MD", "0.50", "0.30", "0.83", "0.007").flag, CHECK_STATS_P_MISMATCH);
	/* an interval end at the null: significance cannot be told from it */
	assert_int_equal(check("RR", "1.30", "1.00", "1.69", "0.05").ci_significant, -1);
	assert_int_equal(check_stats_measure_ratio("HR"), 1);
	assert_int_equal(check_stats_measure_ratio("RD"), 0);
	assert_int_equal(check_stats_measure_ratio("Cohen"), -1);
}

static void test_pool_checkstats__significance(void **state)
{
	struct check_stats_out r = check("MD", "-0.4", "-0.8", "-0.1", "0.06");

	(void)state;
	/* p = 0.06 fits the box (0.0033 to 0.086) but the CI excludes 0 */
	assert_true(r.p_low < 0.055 && r.p_high > 0.065);
	assert_int_equal(r.flag, CHECK_STATS_SIGNIFICANCE);
	assert_int_equal(check("SMD", "0.6", "-0.1", "1.2", "0.04").flag, CHECK_STATS_SIGNIFICANCE);
	/* a zero-width interval: z infinite, p 0 */
	r = check("MD", "1", "1", "1", "<0.001");
	assert_true(r.p_implied == 0);
}

static void test_pool_checkstats__refusals(void **state)
{
	static const struct {
		struct check_stats_in in;
		const char *msg;
	} cases[] = {
		{ { "", "1", "0", "2", "0.1" }, "measure is empty (expected MD, SMD, RD, OR, RR, HR, ...)" },
		{ { "Cohen", "1", "0", "2", "0.1" }, "unknown measure 'Cohen' (expected MD, SMD, WMD, RD, IRD, G, D, OR, RR, HR, IRR, ROM or POR)" },
		{ { "MD", NULL, "0", "2", "0.1" }, "estimate is empty" },
		{ { "MD", "1", "0..1", "2", "0.1" }, "ci_lb '0..1' is not a number" },
		{ { "MD", "1", "0", "2x", "0.1" }, "ci_ub '2x' is not a number" },
		{ { "MD", "1", "3", "2", "0.1" }, "ci_lb '3' is greater than ci_ub '2'" },
		{ { "HR", "-1", "0.5", "2", "0.1" }, "estimate '-1' of a ratio measure (HR) must be greater than 0" },
		{ { "MD", "1", "0", "2", "" }, "p is empty" },
		{ { "MD", "1", "0", "2", "<-0.1" }, "p '<-0.1' is not a p-value (expected e.g. 0.03, =0.03, <0.001)" },
		{ { "MD", "1", "0", "2", "0.1 0.2" }, "p '0.1 0.2' is not a p-value (expected e.g. 0.03, =0.03, <0.001)" },
	};
	struct check_stats_out r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(check_stats_row(&r, &cases[i].in), LSR_EPARSE);
		assert_string_equal(lsr_error_last(), cases[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_checkstats__seed_review),
		cmocka_unit_test(test_pool_checkstats__p_forms),
		cmocka_unit_test(test_pool_checkstats__ratio_log_scale),
		cmocka_unit_test(test_pool_checkstats__significance),
		cmocka_unit_test(test_pool_checkstats__refusals),
	};

	gsl_set_error_handler_off(); /* as cli/lsr.c: every status is checked */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
