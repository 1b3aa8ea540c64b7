/*
 * convert.c - turning what a trial reported into a mean and SD.
 *
 * Meta-analysis of a continuous outcome needs each arm's n, mean and SD.
 * Trials often report something else; this file implements the
 * conversions reviewers use, each after the paper that defines it:
 *
 *   SE of a mean        SD = SE sqrt(n)            Cochrane Handbook 6.5.2.2
 *   CI of a mean        SD = sqrt(n) (H - L) / (2 q), q from t(n - 1) below
 *                       EXTRACT_CI_T_BELOW per group, else normal   (6.5.2.2)
 *   median + range      mean: Luo 2018 (scenario S1); SD: Wan 2014 (C1)
 *   median + IQR        mean: Luo 2018 (S2); SD: Wan 2014 (C3)
 *   median + IQR + range  mean: Luo 2018 (S3); SD: Shi 2020, or
 *                       Wan 2014 (C2) on request
 *   two arms into one   Cochrane Handbook Table 6.5.a
 *
 * Wan, Shi and Luo all use Blom's approximation to the expected normal
 * order statistics: the expected range of n standard normals is
 * xi(n) = 2 Phi^-1((n - 0.375) / (n + 0.25)) and the expected IQR is
 * eta(n) = 2 Phi^-1((0.75 n - 0.125) / (n + 0.25)).  (Wan's Table 1 also
 * lists exact values of xi(n) for n <= 50; like Shi 2020 and the R
 * packages by the same group we use the closed form throughout, so one
 * input always gives one answer; the two differ by 4.4% at n = 2, 1.5% at
 * n = 5 and less than 0.6% from n = 10 on.)  Quantiles come from GSL.
 */
#include "extract.h"
#include "../util/err.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stddef.h>

void extract_reported_init(struct extract_reported *r)
{
	r->n = NAN;
	r->mean = NAN;
	r->sd = NAN;
	r->se = NAN;
	r->ci_low = NAN;
	r->ci_high = NAN;
	r->ci_level = NAN;
	r->median = NAN;
	r->q1 = NAN;
	r->q3 = NAN;
	r->min = NAN;
	r->max = NAN;
	r->five_sd = EXTRACT_FIVE_SHI;
}

static int have(double x)
{
	return !isnan(x);
}

/* n must be a count of at least least participants */
static int check_n(double n, double least, const char *what)
{
	if (!isfinite(n) || n < least || n != floor(n))
		return lsr_error_set(LSR_EPARSE, "%s needs a whole group size n >= %g, got %g",
				     what, least, n);
	return 0;
}

static int check_finite(double x, const char *name)
{
	if (!isfinite(x))
		return lsr_error_set(LSR_EPARSE, "%s must be a finite number", name);
	return 0;
}

/* Phi^-1(p), checked */
static int normal_quantile(double *z, double p)
{
	*z = gsl_cdf_ugaussian_Pinv(p);
	if (!isfinite(*z))
		return lsr_error_set(LSR_ERROR, "normal quantile of %g is not finite", p);
	return 0;
}

/* Blom: the expected range of n standard normal values */
static int xi(double *out, double n)
{
	double z;
	int rc = normal_quantile(&z, (n - 0.375) / (n + 0.25));

	*out = 2 * z;
	return rc;
}

/* Blom: the expected interquartile range of n standard normal values */
static int eta(double *out, double n)
{
	double z;
	int rc = normal_quantile(&z, (0.75 * n - 0.125) / (n + 0.25));

	*out = 2 * z;
	return rc;
}

int extract_convert_se(double *sd, double se, double n)
{
	int rc;

	if ((rc = check_n(n, 1, "an SE")) < 0 || (rc = check_finite(se, "the SE")) < 0)
		return rc;
	if (se <= 0)
		return lsr_error_set(LSR_EPARSE, "the SE must be > 0, got %g", se);
	*sd = se * sqrt(n);
	return 0;
}

int extract_convert_ci(double *sd, double *divisor, int *used_t, double low,
		       double high, double n, double level)
{
	double p, q;
	int t, rc;

	if (isnan(level))
		level = 95;
	if ((rc = check_n(n, 2, "a confidence interval")) < 0 ||
	    (rc = check_finite(low, "the CI's lower limit")) < 0 ||
	    (rc = check_finite(high, "the CI's upper limit")) < 0)
		return rc;
	if (!(level > 0 && level < 100))
		return lsr_error_set(LSR_EPARSE, "the CI level must be between 0 and 100 percent, got %g",
				     level);
	if (!(high > low))
		return lsr_error_set(LSR_EPARSE, "the CI's upper limit (%g) must be above its lower limit (%g)",
				     high, low);
	p = 1 - (1 - level / 100) / 2;
	t = n < EXTRACT_CI_T_BELOW;
	if (t)
		q = gsl_cdf_tdist_Pinv(p, n - 1);
	else
		q = gsl_cdf_ugaussian_Pinv(p);
	if (!isfinite(q) || q <= 0)
		return lsr_error_set(LSR_ERROR, "%s quantile for %g%% is not finite",
				     t ? "t" : "normal", level);
	*sd = sqrt(n) * (high - low) / (2 * q);
	if (divisor)
		*divisor = 2 * q;
	if (used_t)
		*used_t = t;
	return 0;
}

/* min <= [q1 <=] median [<= q3] <= max, each NAN when absent */
static int check_order(double min, double q1, double median, double q3, double max)
{
	const double v[5] = { min, q1, median, q3, max };
	static const char *const names[5] = { "min", "q1", "median", "q3", "max" };
	int last = -1;

	for (int i = 0; i < 5; i++) {
		if (!have(v[i]))
			continue;
		if (!isfinite(v[i]))
			return lsr_error_set(LSR_EPARSE, "%s must be a finite number", names[i]);
		if (last >= 0 && v[i] < v[last])
			return lsr_error_set(LSR_EPARSE, "%s (%g) must not be below %s (%g)",
					     names[i], v[i], names[last], v[last]);
		last = i;
	}
	if (have(min) && have(max) && !(max > min))
		return lsr_error_set(LSR_EPARSE, "max (%g) must be above min (%g)", max, min);
	if (have(q1) && have(q3) && !(q3 > q1))
		return lsr_error_set(LSR_EPARSE, "q3 (%g) must be above q1 (%g)", q3, q1);
	return 0;
}

int extract_convert_wan_range(double *sd, double min, double max, double n)
{
	double x;
	int rc;

	if ((rc = check_n(n, 2, "a range")) < 0 ||
	    (rc = check_order(min, NAN, NAN, NAN, max)) < 0 || (rc = xi(&x, n)) < 0)
		return rc;
	*sd = (max - min) / x;
	return 0;
}

int extract_convert_wan_iqr(double *sd, double q1, double q3, double n)
{
	double e;
	int rc;

	if ((rc = check_n(n, 2, "an interquartile range")) < 0 ||
	    (rc = check_order(NAN, q1, NAN, q3, NAN)) < 0 || (rc = eta(&e, n)) < 0)
		return rc;
	*sd = (q3 - q1) / e;
	return 0;
}

int extract_convert_wan_both(double *sd, double min, double q1, double q3,
			     double max, double n)
{
	double x, e;
	int rc;

	if ((rc = check_n(n, 2, "a range and interquartile range")) < 0 ||
	    (rc = check_order(min, q1, NAN, q3, max)) < 0 || (rc = xi(&x, n)) < 0 ||
	    (rc = eta(&e, n)) < 0)
		return rc;
	*sd = (max - min) / (2 * x) + (q3 - q1) / (2 * e);
	return 0;
}

int extract_convert_shi(double *sd, double min, double q1, double q3, double max,
			double n)
{
	double x, e, w;
	int rc;

	if ((rc = check_n(n, 2, "a range and interquartile range")) < 0 ||
	    (rc = check_order(min, q1, NAN, q3, max)) < 0 || (rc = xi(&x, n)) < 0 ||
	    (rc = eta(&e, n)) < 0)
		return rc;
	w = 1 / (1 + 0.07 * pow(n, 0.6));
	*sd = w * (max - min) / x + (1 - w) * (q3 - q1) / e;
	return 0;
}

int extract_convert_luo_range(double *mean, double min, double median, double max,
			      double n)
{
	double w;
	int rc;

	if ((rc = check_n(n, 1, "a median")) < 0 ||
	    (rc = check_order(min, NAN, median, NAN, max)) < 0)
		return rc;
	w = 4 / (4 + pow(n, 0.75));
	*mean = w * (min + max) / 2 + (1 - w) * median;
	return 0;
}

int extract_convert_luo_iqr(double *mean, double q1, double median, double q3,
			    double n)
{
	double w;
	int rc;

	if ((rc = check_n(n, 1, "a median")) < 0 ||
	    (rc = check_order(NAN, q1, median, q3, NAN)) < 0)
		return rc;
	w = 0.7 + 0.39 / n;
	*mean = w * (q1 + q3) / 2 + (1 - w) * median;
	return 0;
}

int extract_convert_luo_both(double *mean, double min, double q1, double median,
			     double q3, double max, double n)
{
	double w1, w2;
	int rc;

	if ((rc = check_n(n, 1, "a median")) < 0 ||
	    (rc = check_order(min, q1, median, q3, max)) < 0)
		return rc;
	w1 = 2.2 / (2.2 + pow(n, 0.75));
	w2 = 0.7 - 0.72 / pow(n, 0.55);
	*mean = w1 * (min + max) / 2 + w2 * (q1 + q3) / 2 + (1 - w1 - w2) * median;
	return 0;
}

static int check_arm(const struct extract_arm *a, const char *which)
{
	if (!isfinite(a->n) || a->n < 1 || a->n != floor(a->n))
		return lsr_error_set(LSR_EPARSE, "%s arm: n must be a whole number >= 1, got %g",
				     which, a->n);
	if (!isfinite(a->mean))
		return lsr_error_set(LSR_EPARSE, "%s arm: the mean must be a finite number", which);
	if (!isfinite(a->sd) || a->sd < 0)
		return lsr_error_set(LSR_EPARSE, "%s arm: the SD must be a number >= 0, got %g",
				     which, a->sd);
	return 0;
}

int extract_convert_combine(struct extract_arm *out, const struct extract_arm *a,
			    const struct extract_arm *b)
{
	double n, ss, mean;
	int rc;

	if ((rc = check_arm(a, "first")) < 0 || (rc = check_arm(b, "second")) < 0)
		return rc;
	n = a->n + b->n;
	if (n < 2)
		return lsr_error_set(LSR_EPARSE, "combining two arms needs n >= 2 in all");
	ss = (a->n - 1) * a->sd * a->sd + (b->n - 1) * b->sd * b->sd +
	     a->n * b->n / n * (a->mean - b->mean) * (a->mean - b->mean);
	/* out may be a or b: compute everything before writing */
	mean = (a->n * a->mean + b->n * b->mean) / n;
	out->n = n;
	out->mean = mean;
	out->sd = sqrt(ss / (n - 1));
	return 0;
}

/* the mean and SD from a median with its IQR and/or range */
static int from_median(struct extract_meansd *out, const struct extract_reported *r)
{
	int iqr = have(r->q1) || have(r->q3), range = have(r->min) || have(r->max);
	int rc;

	if (have(r->q1) != have(r->q3))
		return lsr_error_set(LSR_EPARSE, "a median needs both q1 and q3, not only %s",
				     have(r->q1) ? "q1" : "q3");
	if (have(r->min) != have(r->max))
		return lsr_error_set(LSR_EPARSE, "a median needs both min and max, not only %s",
				     have(r->min) ? "min" : "max");
	if (!iqr && !range)
		return lsr_error_set(LSR_EPARSE,
				     "a median alone cannot be converted: give q1 and q3 and/or min and max");
	if (iqr && range) {
		rc = extract_convert_luo_both(&out->mean, r->min, r->q1, r->median, r->q3,
					      r->max, r->n);
		if (rc == 0 && r->five_sd == EXTRACT_FIVE_WAN) {
			out->method = "luo2018-five+wan2014-five";
			rc = extract_convert_wan_both(&out->sd, r->min, r->q1, r->q3, r->max, r->n);
		} else if (rc == 0) {
			out->method = "luo2018-five+shi2020";
			rc = extract_convert_shi(&out->sd, r->min, r->q1, r->q3, r->max, r->n);
		}
		return rc;
	}
	if (iqr) {
		out->method = "luo2018-iqr+wan2014-iqr";
		rc = extract_convert_luo_iqr(&out->mean, r->q1, r->median, r->q3, r->n);
		return rc < 0 ? rc : extract_convert_wan_iqr(&out->sd, r->q1, r->q3, r->n);
	}
	out->method = "luo2018-range+wan2014-range";
	rc = extract_convert_luo_range(&out->mean, r->min, r->median, r->max, r->n);
	return rc < 0 ? rc : extract_convert_wan_range(&out->sd, r->min, r->max, r->n);
}

int extract_convert(struct extract_meansd *out, const struct extract_reported *r)
{
	int rc;

	out->mean = NAN;
	out->sd = NAN;
	out->method = NULL;
	if (!have(r->n))
		return lsr_error_set(LSR_EPARSE, "every conversion needs the group size n");
	if (have(r->mean) && (rc = check_finite(r->mean, "the mean")) < 0)
		return rc;
	if (have(r->sd)) {
		if ((rc = check_n(r->n, 1, "a mean and SD")) < 0 ||
		    (rc = check_finite(r->sd, "the SD")) < 0)
			return rc;
		if (r->sd <= 0)
			return lsr_error_set(LSR_EPARSE, "the SD must be > 0, got %g", r->sd);
		if (!have(r->mean))
			return lsr_error_set(LSR_EPARSE, "an SD needs its mean");
		out->mean = r->mean;
		out->sd = r->sd;
		out->method = "reported";
		return 0;
	}
	if (have(r->se)) {
		out->mean = r->mean;
		out->method = "se";
		return extract_convert_se(&out->sd, r->se, r->n);
	}
	if (have(r->ci_low) || have(r->ci_high)) {
		int t = 0;

		if (!have(r->ci_low) || !have(r->ci_high))
			return lsr_error_set(LSR_EPARSE, "a confidence interval needs both limits");
		if ((rc = extract_convert_ci(&out->sd, NULL, &t, r->ci_low, r->ci_high, r->n,
					     r->ci_level)) < 0)
			return rc;
		/* the CI of a mean is symmetric about it */
		out->mean = have(r->mean) ? r->mean : (r->ci_low + r->ci_high) / 2;
		out->method = t ? "ci-t" : "ci-normal";
		return 0;
	}
	if (have(r->median))
		return from_median(out, r);
	if (have(r->q1) || have(r->q3) || have(r->min) || have(r->max))
		return lsr_error_set(LSR_EPARSE, "quartiles or a range need the median");
	return lsr_error_set(LSR_EPARSE,
			     "nothing to convert: give an SD, an SE, a CI, or a median with q1/q3 and/or min/max");
}
