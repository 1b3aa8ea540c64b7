/*
 * test_grade.c - the GRADE rules and the absolute-effect arithmetic of
 * pool/grade.h, with every expected value worked out by hand in the
 * comments: the starting level from the study design, the risk-of-bias,
 * inconsistency (the null and the MID as decision thresholds) and
 * imprecision ratings at and beside their thresholds, rating up for a
 * large effect (non-randomised evidence without serious risk of bias),
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
	assert_int_equal(grade_rate_inconsistency(50.0, 0.1, 0.5, NAN, NAN, NAN, &why), 0);
	assert_string_equal(why.s, "I\u00b2 = 50%");
	buf_reset(&why);
	assert_int_equal(grade_rate_inconsistency(50.5, 0.1, 0.5, NAN, NAN, NAN, &why), -1);
	buf_reset(&why);
	/* I2 30%: CI [0.1, 0.5] excludes 0, PI [-0.2, 0.8] crosses it */
	assert_int_equal(grade_rate_inconsistency(30, 0.1, 0.5, -0.2, 0.8, NAN, &why), -1);
	assert_non_null(strstr(why.s, "prediction interval crosses"));
	buf_reset(&why);
	/* both cross the null: the PI adds nothing */
	assert_int_equal(grade_rate_inconsistency(30, -0.1, 0.5, -0.3, 0.9, NAN, &why), 0);
	buf_reset(&why);
	/* both I2 > 50% and the PI: still one level */
	assert_int_equal(grade_rate_inconsistency(80, 0.1, 0.5, -0.2, 0.8, NAN, &why), -1);
	buf_reset(&why);
	/* the decision threshold: SMD CI [0.6, 0.9] and PI [0.3, 1.2], both
	 * clear of 0; with no MID nothing to say, with MID 0.5 the PI crosses
	 * it (some settings below an important effect) and the CI does not */
	assert_int_equal(grade_rate_inconsistency(40, 0.6, 0.9, 0.3, 1.2, NAN, &why), 0);
	buf_reset(&why);
	assert_int_equal(grade_rate_inconsistency(40, 0.6, 0.9, 0.3, 1.2, 0.5, &why), -1);
	assert_string_equal(why.s, "I\u00b2 = 40%; the prediction interval crosses the minimal important "
				   "difference (the decision threshold) while the confidence interval does not");
	buf_reset(&why);
	/* the CI crossing the MID too: imprecision's business, not this one */
	assert_int_equal(grade_rate_inconsistency(40, 0.45, 0.9, 0.3, 1.2, 0.5, &why), 0);
	buf_reset(&why);
	/* -MID: RR CI [0.6, 0.7], PI [0.5, 0.98], MID 1.25 (log 0.223144): the
	 * PI's log -0.693147 to -0.020203 crosses -0.223144, the CI's
	 * -0.510826 to -0.356675 does not */
	assert_int_equal(grade_rate_inconsistency(20, log(0.6), log(0.7), log(0.5), log(0.98),
						  log(1.25), &why), -1);
	assert_non_null(strstr(why.s, "minimal important difference"));
	buf_reset(&why);
	/* a PI [0.55, 0.79]: log -0.597837 to -0.235722, below -0.223144
	 * throughout: no threshold crossed */
	assert_int_equal(grade_rate_inconsistency(20, log(0.6), log(0.7), log(0.55), log(0.79),
						  log(1.25), &why), 0);
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

static void test_pool_grade__large_effect(void **state)
{
	static const struct {
		int ratio;
		double est;
		int randomised, rob;
		size_t unassessed;
		int up;
	} cases[] = {
		{ 1, 2.5, 0, 0, 0, 1 },  /* RR 2.5 from cohorts, no serious risk of bias */
		{ 1, 2.0, 0, 0, 0, 0 },  /* the thresholds are not beyond themselves */
		{ 1, 0.5, 0, 0, 0, 0 },
		{ 1, 5.0, 0, 0, 0, 1 },
		{ 1, 0.2, 0, 0, 0, 1 },
		{ 1, 0.45, 0, 0, 0, 1 }, /* below 0.5 */
		{ 1, 0.15, 0, 0, 0, 2 }, /* below 0.2 */
		{ 1, 5.5, 0, 0, 0, 2 },
		{ 1, 6, 1, 0, 0, 0 },    /* randomised trials */
		{ 0, 6, 0, 0, 0, 0 },    /* a difference */
		{ 1, 6, 0, -1, 0, 0 },   /* serious risk of bias */
		{ 1, 6, 0, -2, 0, 0 },
		{ 1, 6, 0, 0, 2, 0 },    /* studies not assessed */
		{ 1, NAN, 0, 0, 0, 0 },
	};
	struct buf why = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&why);
		assert_int_equal(grade_rate_large_effect(cases[i].ratio, cases[i].est, cases[i].randomised,
							 cases[i].rob, cases[i].unassessed, &why),
				 cases[i].up);
		assert_true(why.len > 0);
	}
	/* the reasons name the estimate and the threshold, or what stops it */
	buf_reset(&why);
	grade_rate_large_effect(1, 2.5, 0, 0, 0, &why);
	assert_string_equal(why.s, "large effect: 2.50 is beyond 2, without serious risk of bias");
	buf_reset(&why);
	grade_rate_large_effect(1, 0.15, 0, 0, 0, &why);
	assert_string_equal(why.s, "very large effect: 0.15 is beyond 0.2, without serious risk of bias");
	buf_reset(&why);
	grade_rate_large_effect(1, 6, 1, 0, 0, &why);
	assert_string_equal(why.s, "randomised trials: GRADE rates up non-randomised evidence only");
	buf_reset(&why);
	grade_rate_large_effect(1, 6, 0, -1, 0, &why);
	assert_string_equal(why.s, "rated down for risk of bias: GRADE rates up only without serious risk of bias");
	buf_reset(&why);
	grade_rate_large_effect(1, 6, 0, 0, 2, &why);
	assert_string_equal(why.s, "2 pooled studies not assessed for risk of bias: no rating up until they are");
	buf_release(&why);
}

static void test_pool_grade__randomised(void **state)
{
	(void)state;
	assert_true(grade_randomised("Randomised controlled trials"));
	assert_true(grade_randomised("RCTs"));
	assert_false(grade_randomised("Non-randomised studies assessed with ROBINS-I"));
	assert_false(grade_randomised("Quasi-randomised trials"));
	assert_false(grade_randomised("Prospective cohort studies"));
	assert_false(grade_randomised(NULL));
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

static void test_pool_grade__rating_range(void **state)
{
	int lo, hi;

	(void)state;
	grade_rating_range(GRADE_IMPRECISION, &lo, &hi);
	assert_true(lo == -2 && hi == 0);
	grade_rating_range(GRADE_LARGE_EFFECT, &lo, &hi);
	assert_true(lo == 0 && hi == 2);
	grade_rating_range(GRADE_DOSE_RESPONSE, &lo, &hi);
	assert_true(lo == 0 && hi == 1);
	assert_string_equal(grade_rating_choices(GRADE_PLAUSIBLE_CONFOUNDING), "0 or 1 (levels rated up)");
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
	/* low rated up by 3 levels stays high */
	assert_string_equal(grade_certainty_word(2 + 3), "High");
	assert_int_equal(grade_domain_parse(&d, "publication-bias"), 0);
	assert_int_equal(d, GRADE_PUBLICATION_BIAS);
	assert_string_equal(grade_domain_title(d), "Publication bias");
	assert_false(grade_domain_suggested(d));
	assert_true(grade_domain_suggested(GRADE_IMPRECISION));
	assert_false(grade_domain_up(d));
	assert_int_equal(grade_domain_parse(&d, "large-effect"), 0);
	assert_int_equal(d, GRADE_LARGE_EFFECT);
	assert_true(grade_domain_suggested(d));
	assert_true(grade_domain_up(d));
	assert_int_equal(grade_domain_parse(&d, "plausible-confounding"), 0);
	assert_string_equal(grade_domain_title(d), "Plausible confounding");
	assert_false(grade_domain_suggested(d));
	assert_true(grade_domain_up(d));
	assert_int_equal(grade_domain_parse(&d, "bias"), LSR_EUSAGE);
	assert_string_equal(lsr_error_last(),
			    "unknown domain 'bias' (expected risk-of-bias, inconsistency, indirectness, imprecision, publication-bias, large-effect, dose-response or plausible-confounding)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_grade__start),
		cmocka_unit_test(test_pool_grade__risk_of_bias),
		cmocka_unit_test(test_pool_grade__inconsistency),
		cmocka_unit_test(test_pool_grade__imprecision),
		cmocka_unit_test(test_pool_grade__large_effect),
		cmocka_unit_test(test_pool_grade__randomised),
		cmocka_unit_test(test_pool_grade__rating_range),
		cmocka_unit_test(test_pool_grade__corresponding_risk),
		cmocka_unit_test(test_pool_grade__median),
		cmocka_unit_test(test_pool_grade__names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
