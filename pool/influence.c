/*
 * influence.c - case-deletion diagnostics of an inverse-variance analysis
 * (Viechtbauer & Cheung 2010), as metafor 3.8's influence.rma.uni computes
 * them.  With mu, Var mu, tau2 and w = 1/(v + tau2) of the full fit, and
 * mu(-i), Var mu(-i), tau2(-i), QE(-i) of the fit without study i (same
 * estimator and CI method; the variances scaled as the CI method scales
 * them), and s the scale factor of the fit without i (1 for z and t, q(-i)
 * for hk, max(1, q(-i)) for hk-adhoc: metafor's s2w):
 *
 *   hat       h = w / sum w, weight = 100 h
 *   rstudent  (y - mu(-i)) / sqrt(s (v + tau2(-i)) + Var mu(-i))
 *   dffits    (mu - mu(-i)) / sqrt(s h (tau2(-i) + v))
 *   cook.d    (mu - mu(-i))^2 / Var mu
 *   cov.r     Var mu(-i) / Var mu
 *   dfbetas   (mu - mu(-i)) / sqrt(s / sum_j 1/(v_j + tau2(-i))) (all k)
 *   influential when |dffits| > 3 sqrt(1/(k - 1)), P(chi2(1) <= cook.d) >
 *             0.5, h > 3/k or |dfbetas| > 1 (metafor's marks)
 */
#include "pool_int.h"
#include "../util/err.h"

#include <gsl/gsl_cdf.h>
#include <stdlib.h>

int pool_influence_run(struct pool_result *r, const unsigned char *use)
{
	size_t k = r->in->k, n;
	double *y = malloc(sizeof(double) * k), *v = malloc(sizeof(double) * k);
	double *yd = malloc(sizeof(double) * k), *vd = malloc(sizeof(double) * k);
	size_t *idx = malloc(sizeof(size_t) * k);
	struct pool_fitspec spec;
	struct pool_summary full, del;
	double sw = 0, vb;
	int rc = 0, random = r->opts.model == POOL_MODEL_RANDOM;

	if (!y || !v || !yd || !vd || !idx) {
		rc = lsr_error_oom();
		goto out;
	}
	if (r->opts.method != POOL_METHOD_IV) {
		rc = pool_warn(r, "influence diagnostics need inverse-variance weights (--method IV); skipped");
		goto out;
	}
	n = pool_collect(r, use, y, v, idx);
	if (n < 3) {
		rc = pool_warn(r, "influence diagnostics need at least 3 studies; skipped");
		goto out;
	}
	pool_fitspec_of(&spec, r, random);
	spec.qprofile = 0;
	if ((rc = pool_iv_fit(&full, y, v, n, &spec)) < 0)
		goto out;
	vb = full.se * full.se;
	for (size_t j = 0; j < n; j++)
		sw += 1 / (v[j] + (full.random ? full.tau2 : 0));
	if (!(r->infl = calloc(n, sizeof(*r->infl)))) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct pool_influence *f = &r->infl[r->ninfl];
		double t2, d, sall = 0, h, s2w;

		for (size_t j = 0, m = 0; j < n; j++)
			if (j != i) {
				yd[m] = y[j];
				vd[m++] = v[j];
			}
		if ((rc = pool_iv_fit(&del, yd, vd, n - 1, &spec)) < 0)
			goto out;
		s2w = del.random && (del.ci == POOL_CI_HK || del.ci == POOL_CI_HK_ADHOC)
			      ? pool_ci_scale(del.ci, del.hk_q) : 1.0;
		t2 = del.random ? del.tau2 : 0;
		d = full.estimate - del.estimate;
		h = 1 / (v[i] + (full.random ? full.tau2 : 0)) / sw;
		for (size_t j = 0; j < n; j++)
			sall += 1 / (v[j] + t2);
		f->study = idx[i];
		f->hat = h;
		f->weight = 100 * h;
		f->tau2_del = random ? t2 : NAN;
		f->QE_del = del.Q;
		f->rstudent = (y[i] - del.estimate) / sqrt(s2w * (v[i] + t2) + del.se * del.se);
		f->dffits = d / sqrt(s2w * h * (t2 + v[i]));
		f->cook_d = d * d / vb;
		f->cov_r = del.se * del.se / vb;
		f->dfbs = d * sqrt(sall / s2w);
		f->influential = fabs(f->dffits) > 3 * sqrt(1.0 / ((double)n - 1)) ||
				 gsl_cdf_chisq_P(f->cook_d, 1) > 0.5 || h > 3.0 / (double)n ||
				 fabs(f->dfbs) > 1;
		r->ninfl++;
	}
out:
	free(y);
	free(v);
	free(yd);
	free(vd);
	free(idx);
	return rc;
}
