/*
 * begg.c - Begg and Mazumdar's (1994) rank correlation test for funnel-plot
 * asymmetry, as metafor 3.8's ranktest() computes it:
 *
 *   theta = sum(y/v) / sum(1/v), vb = 1 / sum(1/v) (the fixed-effect fit,
 *   whatever the analysis's model), y* = (y - theta) / sqrt(v - vb), and
 *   Kendall's tau-b between y* and v with R's cor.test(method = "kendall",
 *   exact = TRUE): without ties the exact two-sided p from the distribution
 *   of the number of concordant pairs (the Mahonian numbers, by the
 *   recursion of R's ckendall), with ties the normal approximation with
 *   tie-corrected variance of S = nc - nd (no continuity correction).
 *
 * The exact distribution costs O(k^3) time; beyond POOL_BEGG_EXACT_MAX
 * studies the normal approximation is used (R would go on exactly).
 */
#include "pool_int.h"
#include "../util/err.h"

#include <stdlib.h>
#include <string.h>

#define POOL_BEGG_EXACT_MAX 400

/* P(C <= q) for the number C of concordant pairs of n untied pairs under
 * independence: the share of permutations of n with at most q inversions.
 * NaN when out of memory. */
static double kendall_cdf(long q, size_t n)
{
	size_t max = n * (n - 1) / 2;
	double *p = calloc(max + 1, sizeof(double)), *c = calloc(max + 2, sizeof(double)), sum = 0;

	if (!p || !c) {
		free(p);
		free(c);
		return NAN;
	}
	p[0] = 1;
	/* adding element m spreads every count over m new positions:
	 * p_m(j) = (p_{m-1}(j) + ... + p_{m-1}(j - m + 1)) / m */
	for (size_t m = 2, top = 0; m <= n; m++) {
		size_t ntop = top + m - 1;

		c[0] = 0;
		for (size_t j = 0; j <= ntop; j++)
			c[j + 1] = c[j] + (j <= top ? p[j] : 0);
		for (size_t j = 0; j <= ntop; j++)
			p[j] = (c[j + 1] - (j + 1 >= m ? c[j + 1 - m] : 0)) / (double)m;
		top = ntop;
	}
	for (long j = 0; j <= q && (size_t)j <= max; j++)
		sum += p[j];
	free(p);
	free(c);
	return fmin(1.0, sum);
}

/* sum over the groups of tied values of f(t) with t the group's size */
static double ties_sum(const double *x, size_t n, int what)
{
	double s = 0;

	for (size_t i = 0; i < n; i++) {
		double t = 0;
		int first = 1;

		for (size_t j = 0; j < n; j++) {
			if (x[j] != x[i])
				continue;
			if (j < i)
				first = 0;
			t++;
		}
		if (!first || t < 2)
			continue;
		s += what == 0 ? t * (t - 1) : what == 1 ? t * (t - 1) * (2 * t + 5)
						 : t * (t - 1) * (t - 2);
	}
	return s;
}

int pool_begg_run(struct pool_result *r, const unsigned char *use)
{
	size_t k = r->in->k, n;
	double *y = malloc(sizeof(double) * k), *v = malloc(sizeof(double) * k);
	double *ys = malloc(sizeof(double) * k);
	double sw = 0, swy = 0, nc = 0, nd = 0, T0, T1, T2;
	struct pool_begg *b;
	int rc = 0, ties;

	if (!y || !v || !ys) {
		rc = lsr_error_oom();
		goto out;
	}
	n = pool_collect(r, use, y, v, NULL);
	if (n < 3) {
		rc = pool_warn(r, "Begg's test needs at least 3 studies; skipped");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		sw += 1 / v[i];
		swy += y[i] / v[i];
	}
	for (size_t i = 0; i < n; i++)
		ys[i] = (y[i] - swy / sw) / sqrt(v[i] - 1 / sw);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double s = (ys[i] - ys[j]) * (v[i] - v[j]);

			nc += s > 0;
			nd += s < 0;
		}
	b = r->begg = calloc(1, sizeof(*b));
	if (!b) {
		rc = lsr_error_oom();
		goto out;
	}
	b->k = (int)n;
	T0 = (double)n * (double)(n - 1) / 2;
	T1 = ties_sum(ys, n, 0) / 2;
	T2 = ties_sum(v, n, 0) / 2;
	b->tau = (nc - nd) / sqrt((T0 - T1) * (T0 - T2));
	ties = T1 > 0 || T2 > 0;
	b->exact = !ties && n <= POOL_BEGG_EXACT_MAX;
	b->z = NAN;
	if (b->exact) {
		/* R: q = round((tau + 1) n (n - 1) / 4) concordant pairs */
		long q = (long)nearbyint((b->tau + 1) * (double)n * (double)(n - 1) / 4);
		double p = q > (double)n * (double)(n - 1) / 4 ? 1 - kendall_cdf(q - 1, n)
							       : kendall_cdf(q, n);

		if (isnan(p)) {
			rc = lsr_error_oom();
			goto out;
		}
		b->p = fmin(1.0, 2 * p);
	} else {
		double dn = (double)n, S = nc - nd;
		double v0 = dn * (dn - 1) * (2 * dn + 5);
		double v1 = ties_sum(ys, n, 0) * ties_sum(v, n, 0);
		double v2 = ties_sum(ys, n, 2) * ties_sum(v, n, 2);
		double var = (v0 - ties_sum(ys, n, 1) - ties_sum(v, n, 1)) / 18 +
			     v1 / (2 * dn * (dn - 1)) + v2 / (9 * dn * (dn - 1) * (dn - 2));

		b->z = S / sqrt(var);
		b->p = pool_p_z(b->z);
	}
out:
	free(y);
	free(v);
	free(ys);
	return rc;
}
