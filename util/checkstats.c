/*
 * checkstats.c - the p-value an estimate and its 95% confidence interval
 * imply, compared with the one printed beside them (checkstats.h).
 *
 * For a difference measure (MD, SMD, RD) the estimate θ and the interval
 * [L, U] are used as they are; for a ratio (OR, RR, HR) their logarithms.
 * SE = (U - L) / (2 x 1.96), z = |θ| / SE, p = 2 Q(z) with Q the upper tail
 * of the standard normal (GSL's gsl_cdf_ugaussian_Q, never 1 - CDF).  This
 * is the method of Altman & Bland, "How to obtain the P value from a
 * confidence interval", BMJ 2011;343:d2090.
 *
 * Rounding.  A number printed with d decimals stands for [x - h, x + h],
 * h = 0.5 x 10^-d.  Over the box formed by the three numbers, z is largest
 * with the largest |θ| and the narrowest interval, smallest with the
 * smallest |θ| (0 when the box of θ holds the null) and the widest
 * interval; the implied p runs from 2 Q(z max) to 2 Q(z min).  The box is
 * taken on the printed (natural) scale and transformed, so a ratio's box
 * is [ln(x - h), ln(x + h)].
 */
#include "checkstats.h"
#include "err.h"
#include "printed.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define Z_95 1.96 /* the z of a 95% interval as reviews compute it */

static const char *const ratio_measures[] = { "OR", "RR", "HR", "IRR", "ROM", "POR", "PETO OR", NULL };
static const char *const diff_measures[] = { "MD", "SMD", "WMD", "RD", "IRD", "G", "D", NULL };

int check_stats_measure_ratio(const char *name)
{
	for (size_t i = 0; ratio_measures[i]; i++)
		if (!strcasecmp(name, ratio_measures[i]))
			return 1;
	for (size_t i = 0; diff_measures[i]; i++)
		if (!strcasecmp(name, diff_measures[i]))
			return 0;
	return -1;
}

const char *check_stats_flag_text(enum check_stats_flag f)
{
	switch (f) {
	case CHECK_STATS_P_MISMATCH:
		return "the p-value is not the one the interval implies";
	case CHECK_STATS_SIGNIFICANCE:
		return "the interval and the p-value disagree on significance at 0.05";
	default:
		return "consistent";
	}
}

/* Two-sided normal p of z >= 0 (z may be infinite). */
static double p_two(double z)
{
	if (isinf(z))
		return 0;
	return 2.0 * gsl_cdf_ugaussian_Q(z);
}

/* x on the analysis scale: ln x for a ratio (-inf for x <= 0). */
static double scale(double x, int ratio)
{
	if (!ratio)
		return x;
	return x > 0 ? log(x) : -INFINITY;
}

int check_stats_row(struct check_stats_out *out, const struct check_stats_in *in)
{
	static const char *const names[] = { "estimate", "ci_lb", "ci_ub" };
	const char *vals[3] = { in->estimate, in->ci_lb, in->ci_ub };
	double x[3], h[3], t_lo, t_hi, abs_max, abs_min, w_min, w_max, w, t, lb, ub;
	int ratio;

	memset(out, 0, sizeof(*out));
	if (!in->measure || !*in->measure)
		return lsr_error_set(LSR_EPARSE, "measure is empty (expected MD, SMD, RD, OR, RR, HR, ...)");
	if ((ratio = check_stats_measure_ratio(in->measure)) < 0)
		return lsr_error_set(LSR_EPARSE, "unknown measure '%s' (expected MD, SMD, WMD, RD, IRD, G, D, OR, RR, HR, IRR, ROM or POR)",
				     in->measure);
	out->ratio = ratio;
	for (int i = 0; i < 3; i++) {
		if (!vals[i] || !*vals[i])
			return lsr_error_set(LSR_EPARSE, "%s is empty", names[i]);
		if (printed_number(vals[i], &x[i], &h[i]) < 0 || !isfinite(x[i]))
			return lsr_error_set(LSR_EPARSE, "%s '%s' is not a number", names[i], vals[i]);
		if (ratio && !(x[i] > 0))
			return lsr_error_set(LSR_EPARSE, "%s '%s' of a ratio measure (%s) must be greater than 0",
					     names[i], vals[i], in->measure);
	}
	if (x[1] > x[2])
		return lsr_error_set(LSR_EPARSE, "ci_lb '%s' is greater than ci_ub '%s'", vals[1], vals[2]);
	if (!in->p || !*in->p)
		return lsr_error_set(LSR_EPARSE, "p is empty");
	if (printed_p(in->p, &out->p_rep_low, &out->p_rep_high, &out->p_significant) < 0)
		return lsr_error_set(LSR_EPARSE, "p '%s' is not a p-value (expected e.g. 0.03, =0.03, <0.001)", in->p);

	/* the numbers as printed */
	t = scale(x[0], ratio);
	w = scale(x[2], ratio) - scale(x[1], ratio);
	out->p_implied = w > 0 ? p_two(fabs(t) / (w / (2 * Z_95))) : t != 0 ? 0 : NAN;
	lb = scale(x[1], ratio);
	ub = scale(x[2], ratio);
	/* the null is 0 on the analysis scale; an end printed at it cannot tell */
	out->ci_significant = lb > 0 || ub < 0 ? 1 : lb == 0 || ub == 0 ? -1 : 0;

	/* over the rounding box */
	t_lo = scale(x[0] - h[0], ratio);
	t_hi = scale(x[0] + h[0], ratio);
	abs_max = fmax(fabs(t_lo), fabs(t_hi));
	abs_min = t_lo <= 0 && t_hi >= 0 ? 0 : fmin(fabs(t_lo), fabs(t_hi));
	w_min = scale(x[2] - h[2], ratio) - scale(x[1] + h[1], ratio);
	w_max = scale(x[2] + h[2], ratio) - scale(x[1] - h[1], ratio);
	out->p_low = w_min > 0 ? p_two(abs_max / (w_min / (2 * Z_95))) : 0;
	out->p_high = isfinite(w_max) ? p_two(abs_min / (w_max / (2 * Z_95))) : 1;

	if (out->p_rep_high < out->p_low || out->p_rep_low > out->p_high)
		out->flag = CHECK_STATS_P_MISMATCH;
	else if (out->ci_significant >= 0 && out->p_significant >= 0 &&
		 out->ci_significant != out->p_significant)
		out->flag = CHECK_STATS_SIGNIFICANCE;
	return 0;
}
