/*
 * stats.c - the distributions the pool stage needs, from GSL.  Tails are
 * computed directly (the _Q functions), never as 1 - CDF, so p-values down
 * to the smallest doubles survive.  GSL's error handler is off (cli/lsr.c):
 * a domain error comes back as NaN, which the callers report as null.
 */
#include "pool_int.h"

#include <gsl/gsl_cdf.h>

double pool_z_crit(void)
{
	return gsl_cdf_ugaussian_Pinv(0.975);
}

double pool_t_crit(double df)
{
	if (!(df > 0))
		return NAN;
	return gsl_cdf_tdist_Pinv(0.975, df);
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

double pool_chisq_lower_quantile(double p, double df)
{
	if (!(df > 0))
		return NAN;
	return gsl_cdf_chisq_Pinv(p, df);
}
