/*
 * test_grade.c - the GRADE rules and the absolute-effect arithmetic of
 * pool/grade.h, with every expected value worked out by hand in the
 * comments: the starting level from the study design, the risk-of-bias,
 * inconsistency and imprecision ratings at and beside their thresholds,
 * corresponding risks from RR, OR and RD, the median control risk, the
 * certainty words and symbols, and the domain names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "pool/grade.h"
#include "util/buf.h"
#include "util/err.h"

#define NEAR(x, y) assert_true(fabs((x) - (y)) < 1e-9)

static void test_pool_grade__start(void **state)
{
	static const struct {
		const char *design;
		int start;
	} cases[] = {
		{ "Randomised controlled trials only", 4 },
		{ "randomized trials", 4 },
		{ "RCTs", 4 },
		{ "Non-randomised studies of interventions", 2 },
		{ "Non-randomised studies assessed with ROBINS-I", 4 },
		{ "Quasi-randomised trials", 2 },
		{ "Prospective cohort studies", 2 },
		{ "Case series", 2 },
	};
	struct buf why = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&why);
		assert_int_equal(grade_start(cases[i].design, &why), cases[i].start);
		assert_true(why.len > 0);
	}
	buf_reset(&why);
	/* not stated: low, and said so */
	assert_int_equal(grade_start(NULL, &why), 2);
	assert_non_null(strstr(why.s, "picos.study_design"));
	buf_release(&why);
}

static void test_pool_grade__risk_of_bias(void **state)
{
	struct buf why = BUF_INIT;

	(void)state;
	/* exactly half the weight from high-risk studies: not more than 50% */
	assert_int_equal(grade_rate_risk_of_bias(50.0, 0, &why), 0);
	assert_string_equal(why.s, "50.0% of the weight comes from studies at high risk of bias (not more than 50%)");
	buf_reset(&why);
	/* 3 studies of 20.5%, 18.25% and 11.5% weight at high risk: 50.25% */
	assert_int_equal(grade_rate_risk_of_bias(20.5 + 18.25 + 11.5, 1, &why), -1);
	assert_string_equal(why.s, "50.2% of the weight comes from studies at high risk of bias (more than 50%); "
				   "1 pooled study not assessed for risk of bias");
	buf_reset(&why);
	/* nothing assessed: no share, no rating, the gap said */
	assert_int_equal(grade_rate_risk_of_bias(NAN, 3, &why), 0);
	assert_string_equal(why.s, "3 pooled studies not assessed for risk of bias");
	buf_release(&why);
}

static void test_pool_grade__inconsistency(void **state)
{
	struct buf why = BUF_INIT;

	(void)state;
	/* I2 at the threshold is not substantial, just above is */
	assert_int_equal(grade_rate_inconsistency(50.0, 0.1, 0.5, NAN, NAN, &why), 0);
	assert_string_equal(why.s, "I\u00b2 = 50%");
	buf_reset(&why);
	assert_int_equal(grade_rate_inconsistency(50.5, 0.1, 0.5, NAN, NAN, &why), -1);
	buf_reset(&why);
	/* I2 30%: CI [0.1, 0.5] excludes 0, PI [-0.2, 0.8] crosses it */
	assert_int_equal(grade_rate_inconsistency(30, 0.1, 0.5, -0.2, 0.8, &why), -1);
	assert_non_null(strstr(why.s, "prediction interval crosses"));
	buf_reset(&why);
	/* both cross the null: the PI adds nothing */
	assert_int_equal(grade_rate_inconsistency(30, -0.1, 0.5, -0.3, 0.9, &why), 0);
	buf_reset(&why);
	/* both I2 > 50% and the PI: still one level */
	assert_int_equal(grade_rate_inconsistency(80, 0.1, 0.5, -0.2, 0.8, &why), -1);
	buf_release(&why);
}

static void test_pool_grade__imprecision(void **state)
{
	/* RR's MID 1.25 on the log scale: log 1.25 = 0.223144 */
	double m = log(1.25);
	struct buf why = BUF_INIT;

	(void)state;
	/* RR [0.75, 11.55]: log -0.287682 < -0.223144 and 2.446685 > 0.223144,
	 * appreciable benefit and harm: -2, not more with 28 events */
	assert_int_equal(grade_rate_imprecision(log(0.75), log(11.55), m, 28, &why), -2);
	assert_non_null(strstr(why.s, "appreciable benefit and an appreciable harm"));
	assert_non_null(strstr(why.s, "28 events"));
	buf_reset(&why);
	/* RR [1.1, 1.5]: log 0.095310 to 0.405465 excludes 0 but holds 0.223144 */
	assert_int_equal(grade_rate_imprecision(log(1.1), log(1.5), m, 500, &why), -1);
	assert_string_equal(why.s, "the confidence interval crosses the minimal important difference");
	buf_reset(&why);
	/* ... and with 200 events, fewer than 300: one more level */
	assert_int_equal(grade_rate_imprecision(log(1.1), log(1.5), m, 200, &why), -2);
	buf_reset(&why);
	/* RR [1.3, 1.9]: log 0.262364 > 0.223144, clear of both; 300 events is enough */
	assert_int_equal(grade_rate_imprecision(log(1.3), log(1.9), m, 300, &why), 0);
	buf_reset(&why);
	assert_int_equal(grade_rate_imprecision(log(1.3), log(1.9), m, 299, &why), -1);
	buf_reset(&why);
	/* MD [-0.2, 0.4], no MID, continuous: crosses 0 */
	assert_int_equal(grade_rate_imprecision(-0.2, 0.4, NAN, NAN, &why), -1);
	assert_string_equal(why.s, "the confidence interval crosses the line of no effect");
	buf_reset(&why);
	/* SMD [-0.6, 0.7] with MID 0.5: beyond -0.5 and 0.5 */
	assert_int_equal(grade_rate_imprecision(-0.6, 0.7, 0.5, NAN, &why), -2);
	buf_reset(&why);
	/* SMD [0.17, 0.52] with MID 0.5: holds 0.5 */
	assert_int_equal(grade_rate_imprecision(0.17, 0.52, 0.5, NAN, &why), -1);
	buf_reset(&why);
	/* a dichotomous outcome crossing 0 with 100 events: -2 */
	assert_int_equal(grade_rate_imprecision(-0.2, 0.4, NAN, 100, &why), -2);
	buf_reset(&why);
	/* no CI at all */
	assert_int_equal(grade_rate_imprecision(NAN, NAN, NAN, NAN, &why), -1);
	buf_release(&why);
}

static void test_pool_grade__corresponding_risk(void **state)
{
	(void)state;
	/* RR: 0.12 x 0.75 = 0.09, i.e. 120 -> 90 per 1,000 */
	NEAR(grade_corresponding_risk(POOL_RR, 0.12, 0.75), 0.09);
	/* RR 1.385 at 0.2: 0.277 */
	NEAR(grade_corresponding_risk(POOL_RR, 0.2, 1.385), 0.277);
	/* RR 2 at 0.6 would be 1.2: capped at 1 */
	NEAR(grade_corresponding_risk(POOL_RR, 0.6, 2), 1);
	/* OR 0.5 at 0.2: 0.1 / (1 - 0.2 + 0.1) = 0.1 / 0.9 = 0.111111... */
	NEAR(grade_corresponding_risk(POOL_OR, 0.2, 0.5), 0.1 / 0.9);
	/* OR 2.385 at 0.12: 0.2862 / (0.88 + 0.2862) = 0.2862 / 1.1662 = 0.245412... */
	assert_true(fabs(grade_corresponding_risk(POOL_OR, 0.12, 2.385) - 0.245412450694) < 1e-11);
	/* OR 1 leaves the risk as it is */
	NEAR(grade_corresponding_risk(POOL_OR, 0.37, 1), 0.37);
	/* RD: 0.3 - 0.05 = 0.25; 0.1 - 0.2 kept at 0 */
	NEAR(grade_corresponding_risk(POOL_RD, 0.3, -0.05), 0.25);
	NEAR(grade_corresponding_risk(POOL_RD, 0.1, -0.2), 0);
	/* not for continuous measures or missing inputs */
	assert_true(isnan(grade_corresponding_risk(POOL_MD, 0.3, 1)));
	assert_true(isnan(grade_corresponding_risk(POOL_RR, NAN, 1)));
}

static void test_pool_grade__median(void **state)
{
	double odd[] = { 0.3, 0.1, 0.2 };
	/* control risks 2/40, 0/45, 4/30, 3/68 sorted: 0, 0.044118, 0.05,
	 * 0.133333; the median is (0.044118 + 0.05) / 2 = 0.047059 */
	double even[] = { 2.0 / 40, 0.0 / 45, 4.0 / 30, 3.0 / 68 };

	(void)state;
	NEAR(grade_median(odd, 3), 0.2);
	NEAR(grade_median(even, 4), (3.0 / 68 + 2.0 / 40) / 2);
	assert_true(isnan(grade_median(NULL, 0)));
}

static void test_pool_grade__names(void **state)
{
	enum grade_domain d;

	(void)state;
	assert_string_equal(grade_certainty_word(4), "High");
	assert_string_equal(grade_certainty_word(3), "Moderate");
	assert_string_equal(grade_certainty_word(2), "Low");
	assert_string_equal(grade_certainty_word(1), "Very low");
	/* high rated down by 4 levels stays very low */
	assert_string_equal(grade_certainty_word(4 - 4), "Very low");
	assert_string_equal(grade_certainty_symbols(3), "\u2295\u2295\u2295\u229d");
	assert_string_equal(grade_certainty_symbols(1), "\u2295\u229d\u229d\u229d");
	assert_int_equal(grade_domain_parse(&d, "publication-bias"), 0);
	assert_int_equal(d, GRADE_PUBLICATION_BIAS);
	assert_string_equal(grade_domain_title(d), "Publication bias");
	assert_false(grade_domain_suggested(d));
	assert_true(grade_domain_suggested(GRADE_IMPRECISION));
	assert_int_equal(grade_domain_parse(&d, "bias"), LSR_EUSAGE);
	assert_string_equal(lsr_error_last(),
			    "unknown domain 'bias' (expected risk-of-bias, inconsistency, indirectness, imprecision or publication-bias)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_grade__start),
		cmocka_unit_test(test_pool_grade__risk_of_bias),
		cmocka_unit_test(test_pool_grade__inconsistency),
		cmocka_unit_test(test_pool_grade__imprecision),
		cmocka_unit_test(test_pool_grade__corresponding_risk),
		cmocka_unit_test(test_pool_grade__median),
		cmocka_unit_test(test_pool_grade__names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
