/*
 * test_convert.c - conversions to mean and SD, each against a worked
 * example from the source that defines it or, where none could be found,
 * against arithmetic done by hand and shown here.  Quantiles quoted below
 * were read from R (qnorm, qt) independently of GSL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "extract/extract.h"
#include "util/err.h"

#define close_to(got, want, tol) assert_true(fabs((got) - (want)) <= (tol))

/* Cochrane Handbook 6.5.2.2: "SD = SE x sqrt(N)".  By hand: SE 2.385 in a
 * group of 49 gives 2.385 x 7 = 16.695. */
static void test_extract_convert__se(void **state)
{
	double sd;

	(void)state;
	assert_int_equal(extract_convert_se(&sd, 2.385, 49), 0);
	close_to(sd, 16.695, 1e-12);
	assert_int_equal(extract_convert_se(&sd, 0, 49), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "the SE must be > 0, got 0");
	assert_int_equal(extract_convert_se(&sd, 1.5, 0), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "an SE needs a whole group size n >= 1, got 0");
	assert_int_equal(extract_convert_se(&sd, 1.5, 12.5), LSR_EPARSE);
}

/*
 * Cochrane Handbook 6.5.2.2, worked example: for a group of 25 the t value
 * with 24 df is 2.0639, "so 3.92 should be replaced by 2 x 2.0639 = 4.128".
 * Our threshold is 60 (the Handbook's "say less than 60 in each group"):
 * n = 59 uses t(58) = 2.001717 (R: qt(0.975, 58)), n = 60 the normal
 * 1.959964 (3.92).
 */
static void test_extract_convert__ci_t_and_normal(void **state)
{
	double sd, div;
	int t;

	(void)state;
	/* n = 25: t; an interval 4.128 wide gives SD = sqrt(25) x 1 */
	assert_int_equal(extract_convert_ci(&sd, &div, &t, 10.0, 14.128, 25, NAN), 0);
	assert_true(t);
	close_to(div, 4.128, 5e-4);
	close_to(div, 2 * 2.063898562, 1e-8);
	close_to(sd, 5 * 4.128 / (2 * 2.063898562), 1e-8);

	/* both sides of the threshold */
	assert_int_equal(extract_convert_ci(&sd, &div, &t, 1.0, 3.0, 59, 95), 0);
	assert_true(t);
	close_to(div, 2 * 2.001717484, 1e-8);
	close_to(sd, sqrt(59) * 2 / (2 * 2.001717484), 1e-8);
	assert_int_equal(extract_convert_ci(&sd, &div, &t, 1.0, 3.0, 60, 95), 0);
	assert_false(t);
	close_to(div, 3.919927970, 1e-8);
	close_to(sd, sqrt(60) * 2 / 3.919927970, 1e-8);

	/* a 90% interval of a group of 20: t(19) at 0.95 is 1.729132812 */
	assert_int_equal(extract_convert_ci(&sd, &div, &t, -1.0, 2.5, 20, 90), 0);
	close_to(sd, sqrt(20) * 3.5 / (2 * 1.729132812), 1e-8);

	assert_int_equal(extract_convert_ci(&sd, NULL, NULL, 3.0, 3.0, 25, 95), LSR_EPARSE);
	assert_string_equal(lsr_error_last(),
			    "the CI's upper limit (3) must be above its lower limit (3)");
	assert_int_equal(extract_convert_ci(&sd, NULL, NULL, 1.0, 3.0, 1, 95), LSR_EPARSE);
	assert_string_equal(lsr_error_last(),
			    "a confidence interval needs a whole group size n >= 2, got 1");
	assert_int_equal(extract_convert_ci(&sd, NULL, NULL, 1.0, 3.0, 25, 100), LSR_EPARSE);
	assert_string_equal(lsr_error_last(),
			    "the CI level must be between 0 and 100 percent, got 100");
}

/*
 * Wan et al. 2014, scenario C1, as implemented by the R package metaBLUE
 * (Wan.std, documented example): min 1, median 4, max 10, n = 30 gives
 * 2.205578.  By hand: xi(30) = 2 Phi^-1(29.625 / 30.25) = 2 x 2.040281
 * = 4.080563, and 9 / 4.080563 = 2.205578.
 */
static void test_extract_convert__wan_range(void **state)
{
	double sd;

	(void)state;
	assert_int_equal(extract_convert_wan_range(&sd, 1, 10, 30), 0);
	close_to(sd, 2.205578, 5e-7);
	/* by hand: n = 12, range 3.1..15.8: xi(12) = 2 Phi^-1(11.625 / 12.25)
	 * = 2 x 1.635039 = 3.270079; 12.7 / 3.270079 = 3.883699 */
	assert_int_equal(extract_convert_wan_range(&sd, 3.1, 15.8, 12), 0);
	close_to(sd, 3.883699, 5e-7);
	assert_int_equal(extract_convert_wan_range(&sd, 5, 5, 12), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "max (5) must be above min (5)");
	assert_int_equal(extract_convert_wan_range(&sd, 1, 10, 1), LSR_EPARSE);
}

/*
 * Wan et al. 2014, scenario C3 (median and IQR), by hand: n = 41,
 * q1 18.2, q3 31.9.  eta(41) = 2 Phi^-1((0.75 x 41 - 0.125) / 41.25)
 * = 2 Phi^-1(0.742424) = 2 x 0.650837 = 1.301675, and
 * 13.7 / 1.301675 = 10.524904.
 * Scenario C2 (both), same group with min 9.6 and max 52.3:
 * xi(41) = 2 Phi^-1(40.625 / 41.25) = 2 x 2.166107 = 4.332214;
 * 42.7 / (2 x 4.332214) + 13.7 / (2 x 1.301675) = 4.928196 + 5.262452
 * = 10.190648.
 */
static void test_extract_convert__wan_iqr_and_both(void **state)
{
	double sd;

	(void)state;
	assert_int_equal(extract_convert_wan_iqr(&sd, 18.2, 31.9, 41), 0);
	close_to(sd, 10.524904, 5e-7);
	assert_int_equal(extract_convert_wan_both(&sd, 9.6, 18.2, 31.9, 52.3, 41), 0);
	close_to(sd, 10.190648, 5e-7);
	assert_int_equal(extract_convert_wan_iqr(&sd, 31.9, 18.2, 41), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "q3 (18.2) must not be below q1 (31.9)");
}

/*
 * Shi et al. 2020, by hand on the same five numbers (n = 41):
 * w = 1 / (1 + 0.07 x 41^0.6) = 1 / (1 + 0.07 x 9.282614) = 0.606140;
 * 0.606140 x 42.7 / 4.332214 + 0.393860 x 13.7 / 1.301675
 * = 5.974357 + 4.145335 = 10.119693.
 */
static void test_extract_convert__shi(void **state)
{
	double sd;

	(void)state;
	assert_int_equal(extract_convert_shi(&sd, 9.6, 18.2, 31.9, 52.3, 41), 0);
	close_to(sd, 10.119693, 5e-7);
	assert_int_equal(extract_convert_shi(&sd, 19.6, 18.2, 31.9, 52.3, 41), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "q1 (18.2) must not be below min (19.6)");
}

/*
 * Luo et al. 2018, as implemented by metaBLUE (Luo.mean, documented
 * example): min 1, median 4, max 10, n = 30 gives 4.356748.  By hand:
 * w = 4 / (4 + 30^0.75) = 4 / (4 + 12.818610) = 0.237832;
 * 0.237832 x 5.5 + 0.762168 x 4 = 4.356748.
 * Median/IQR (S2) by hand, n = 41: w = 0.7 + 0.39/41 = 0.709512;
 * 0.709512 x 25.05 + 0.290488 x 23.5 = 24.599744.
 * Five numbers (S3) by hand, n = 41: w1 = 2.2 / (2.2 + 41^0.75)
 * = 2.2 / 18.402719 = 0.119548; w2 = 0.7 - 0.72 / 41^0.55
 * = 0.7 - 0.72 / 7.709588 = 0.606610; mean = 0.119548 x 30.95
 * + 0.606610 x 25.05 + 0.273843 x 23.5 = 25.330874.
 */
static void test_extract_convert__luo(void **state)
{
	double m;

	(void)state;
	assert_int_equal(extract_convert_luo_range(&m, 1, 4, 10, 30), 0);
	close_to(m, 4.356748, 5e-7);
	assert_int_equal(extract_convert_luo_iqr(&m, 18.2, 23.5, 31.9, 41), 0);
	close_to(m, 24.599744, 5e-7);
	assert_int_equal(extract_convert_luo_both(&m, 9.6, 18.2, 23.5, 31.9, 52.3, 41), 0);
	close_to(m, 25.330874, 5e-7);
	assert_int_equal(extract_convert_luo_iqr(&m, 18.2, 35, 31.9, 41), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "q3 (31.9) must not be below median (35)");
}

/*
 * Cochrane Handbook Table 6.5.a, checked against raw data by hand: group 1
 * {1, 2, 3} (n 3, mean 2, SD 1), group 2 {4, 6} (n 2, mean 5, SD sqrt 2).
 * Together {1, 2, 3, 4, 6}: mean 16/5 = 3.2, and the squared deviations
 * 4.84 + 1.44 + 0.04 + 0.64 + 7.84 = 14.8 over 4 df give SD sqrt(3.7).
 * The formula: (2 x 1 + 1 x 2 + 3 x 2 / 5 x (2 - 5)^2) / 4 = 3.7.
 * And a trial like Suk 2016 with one-time (18) and two-time (19) arms:
 * 18 x 10.1 + 19 x 11.3 over 37 = 10.716216; the SD by hand,
 * (17 x 2.3^2 + 18 x 2.9^2 + 18 x 19 / 37 x 1.2^2) / 36
 * = (89.93 + 151.38 + 13.310270) / 36 = 7.072785, sqrt = 2.659471.
 */
static void test_extract_convert__combine(void **state)
{
	struct extract_arm a = { 3, 2, 1 }, b = { 2, 5, sqrt(2) }, out;
	struct extract_arm one = { 18, 10.1, 2.3 }, two = { 19, 11.3, 2.9 };

	(void)state;
	assert_int_equal(extract_convert_combine(&out, &a, &b), 0);
	close_to(out.n, 5, 0);
	close_to(out.mean, 3.2, 1e-12);
	close_to(out.sd, sqrt(3.7), 1e-12);
	assert_int_equal(extract_convert_combine(&out, &one, &two), 0);
	close_to(out.n, 37, 0);
	close_to(out.mean, 10.716216, 5e-7);
	close_to(out.sd, 2.659471, 5e-7);
	/* in place, as the calculator combines more than two arms */
	assert_int_equal(extract_convert_combine(&one, &one, &two), 0);
	close_to(one.mean, 10.716216, 5e-7);
	close_to(one.sd, 2.659471, 5e-7);
	b.n = 0;
	assert_int_equal(extract_convert_combine(&out, &a, &b), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "second arm: n must be a whole number >= 1, got 0");
}

/* The dispatcher picks the conversion from the fields present and names
 * it; inconsistent or insufficient input is refused. */
static void test_extract_convert__dispatch(void **state)
{
	struct extract_reported r;
	struct extract_meansd m;

	(void)state;
	extract_reported_init(&r);
	r.n = 30;
	r.median = 4;
	r.min = 1;
	r.max = 10;
	assert_int_equal(extract_convert(&m, &r), 0);
	assert_string_equal(m.method, "luo2018-range+wan2014-range");
	close_to(m.mean, 4.356748, 5e-7);
	close_to(m.sd, 2.205578, 5e-7);

	extract_reported_init(&r);
	r.n = 41;
	r.median = 23.5;
	r.q1 = 18.2;
	r.q3 = 31.9;
	r.min = 9.6;
	r.max = 52.3;
	assert_int_equal(extract_convert(&m, &r), 0);
	assert_string_equal(m.method, "luo2018-five+shi2020");
	close_to(m.sd, 10.119693, 5e-7);
	r.five_sd = EXTRACT_FIVE_WAN;
	assert_int_equal(extract_convert(&m, &r), 0);
	assert_string_equal(m.method, "luo2018-five+wan2014-five");
	close_to(m.sd, 10.190648, 5e-7);
	r.min = r.max = NAN;
	assert_int_equal(extract_convert(&m, &r), 0);
	assert_string_equal(m.method, "luo2018-iqr+wan2014-iqr");

	extract_reported_init(&r);
	r.n = 25;
	r.ci_low = 10;
	r.ci_high = 14.128;
	assert_int_equal(extract_convert(&m, &r), 0);
	assert_string_equal(m.method, "ci-t");
	close_to(m.mean, 12.064, 1e-12);

	extract_reported_init(&r);
	r.n = 49;
	r.se = 2.385;
	assert_int_equal(extract_convert(&m, &r), 0);
	assert_string_equal(m.method, "se");
	assert_true(isnan(m.mean));

	extract_reported_init(&r);
	r.n = 10;
	r.mean = 3;
	r.sd = 0;
	assert_int_equal(extract_convert(&m, &r), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "the SD must be > 0, got 0");

	extract_reported_init(&r);
	r.n = 10;
	r.median = 3;
	r.q1 = 2;
	assert_int_equal(extract_convert(&m, &r), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "a median needs both q1 and q3, not only q1");

	extract_reported_init(&r);
	r.n = 10;
	r.median = 3;
	assert_int_equal(extract_convert(&m, &r), LSR_EPARSE);
	assert_string_equal(lsr_error_last(),
			    "a median alone cannot be converted: give q1 and q3 and/or min and max");

	extract_reported_init(&r);
	r.median = 3;
	assert_int_equal(extract_convert(&m, &r), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "every conversion needs the group size n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_convert__se),
		cmocka_unit_test(test_extract_convert__ci_t_and_normal),
		cmocka_unit_test(test_extract_convert__wan_range),
		cmocka_unit_test(test_extract_convert__wan_iqr_and_both),
		cmocka_unit_test(test_extract_convert__shi),
		cmocka_unit_test(test_extract_convert__luo),
		cmocka_unit_test(test_extract_convert__combine),
		cmocka_unit_test(test_extract_convert__dispatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
