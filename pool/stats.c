/*
 * stats.c - the distributions the pool stage needs, from GSL.  Tails are
 * computed directly (the _Q functions), never as 1 - CDF, so p-values down
 * to the smallest doubles survive.  GSL's error handler is off (cli/lsr.c):
 * a domain error comes back as NaN, which the callers report as null.
 */
#include "pool_int.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

double pool_z_crit(double level)
{
	return gsl_cdf_ugaussian_Pinv((1 + pool_level(level)) / 2);
}

double pool_t_crit(double df, double level)
{
	if (!(df > 0))
		return NAN;
	return gsl_cdf_tdist_Pinv((1 + pool_level(level)) / 2, df);
}

double pool_ci_scale(enum pool_ci ci, double q)
{
	switch (ci) {
	case POOL_CI_HK:
		return q;
	case POOL_CI_HK_ADHOC:
		return q > 1 ? q : 1.0;
	default:
		return 1.0;
	}
}

double pool_p_z(double z)
{
	if (isnan(z))
		return NAN;
	return 2.0 * gsl_cdf_ugaussian_Q(fabs(z));
}

double pool_p_t(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	return 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
}

double pool_p_chisq(double x, double df)
{
	if (isnan(x) || !(df > 0))
		return NAN;
	if (x <= 0)
		return 1.0;
	return gsl_cdf_chisq_Q(x, df);
}

struct chisq_arg {
	double df, tail; /* solve P(X <= x) = tail, or P(X > x) = tail when upper */
	int upper;
};

static double chisq_f(double x, void *vp)
{
	const struct chisq_arg *a = vp;

	return (a->upper ? gsl_cdf_chisq_Q(x, a->df) : gsl_cdf_chisq_P(x, a->df)) - a->tail;
}

/* The quantile by solving CDF(x) = p with Brent, from a bracket around the
 * Wilson-Hilferty approximation; NaN when that fails. */
static double chisq_solve(double p, double df)
{
	struct chisq_arg a = { df, p > 0.5 ? 1 - p : p, p > 0.5 };
	gsl_function F = { chisq_f, &a };
	gsl_root_fsolver *s;
	double h = 2.0 / (9.0 * df), z = gsl_cdf_ugaussian_Pinv(p);
	double w = df * pow(fmax(1 - h + z * sqrt(h), 1e-3), 3), lo = w, hi = w, root = NAN;
	int iter, st;

	/* P rises and Q falls with x: f changes sign from lo to hi */
	for (iter = 0; iter < 200 && (a.upper ? chisq_f(lo, &a) < 0 : chisq_f(lo, &a) > 0); iter++)
		lo /= 2;
	for (iter = 0; iter < 200 && (a.upper ? chisq_f(hi, &a) > 0 : chisq_f(hi, &a) < 0); iter++)
		hi *= 2;
	s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!s || gsl_root_fsolver_set(s, &F, lo, hi) != GSL_SUCCESS) {
		if (s)
			gsl_root_fsolver_free(s);
		return NAN;
	}
	for (iter = 0; iter < 500; iter++) {
		if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
			break;
		root = gsl_root_fsolver_root(s);
		st = gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
					    0.0, 1e-15);
		if (st == GSL_SUCCESS)
			break;
	}
	gsl_root_fsolver_free(s);
	return root;
}

double pool_chisq_lower_quantile(double p, double df)
{
	double q, tail, got;

	if (!(df > 0) || !(p > 0 && p < 1))
		return NAN;
	/* GSL's inverse returns NaN or wrong values beyond about 50,000 df
	 * (qchisq(0.975, 99999) is 100877.41, GSL gives NaN; its Qinv(0.025)
	 * gives 132864.87): keep it only when its own CDF confirms it */
	q = gsl_cdf_chisq_Pinv(p, df);
	tail = p > 0.5 ? 1 - p : p;
	got = p > 0.5 ? gsl_cdf_chisq_Q(q, df) : gsl_cdf_chisq_P(q, df);
	if (isfinite(q) && q > 0 && fabs(got - tail) <= 1e-9 * tail)
		return q;
	return chisq_solve(p, df);
}
