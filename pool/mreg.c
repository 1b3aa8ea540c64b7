/*
 * mreg.c - meta-regression on continuous moderators, as metafor's
 * rma(yi, vi, mods = ~ x1 + ... + xm, method = <tau2>, test = <ci>):
 * weighted least squares with X = [1, x1..xm] and the residual tau2 of the
 * analysis's estimator (pool_mr in metareg.c does the fitting).
 *
 *   coefficients  b, Var b = s (X'WX)^-1, s = 1 for z and t, q or
 *                 max(1, q) for hk and hk-adhoc (q = y'Py / (k - p)),
 *                 z tests, or t(k - p) for the t-based CI methods
 *   QM            b_m' (Var b_m)^-1 b_m over the m moderators: chi2(m), or
 *                 QM/m against F(m, k - p) for the t-based methods
 *   QE            the residual heterogeneity at tau2 = 0, chi2(k - p)
 *   I2            100 tau2 / (tau2 + s2), s2 = (k - p) / tr P at tau2 = 0
 *                 (fixed effect: from QE)
 *   R2            the proportional reduction of tau2 against the model
 *                 without moderators (random effects only; metafor's
 *                 default, truncated at 0)
 * A model with as many parameters as studies is refused, as metafor does.
 * A study without a value of every moderator is left out of the model,
 * with a warning (metafor's default na.action, na.omit).
 */
#include "pool_int.h"
#include "../util/err.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <stdlib.h>

/* b_m' V^-1 b_m for the moderator coefficients (all but the intercept) */
static int wald_qm(const struct pool_mr *m, double scale, double *qm)
{
	size_t p = m->p, d = p - 1;
	gsl_matrix *V = gsl_matrix_alloc(d, d);
	gsl_vector *b = gsl_vector_alloc(d), *x = gsl_vector_alloc(d);
	int rc = 0;

	if (!V || !b || !x) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < d; i++) {
		gsl_vector_set(b, i, gsl_vector_get(m->b, i + 1));
		for (size_t j = 0; j < d; j++)
			gsl_matrix_set(V, i, j, scale * gsl_matrix_get(m->A, i + 1, j + 1));
	}
	if (gsl_linalg_cholesky_decomp1(V) || gsl_linalg_cholesky_solve(V, b, x)) {
		rc = lsr_error_set(LSR_ERROR, "the moderators' covariance matrix is singular");
		goto out;
	}
	gsl_blas_ddot(b, x, qm);
out:
	if (V)
		gsl_matrix_free(V);
	if (b)
		gsl_vector_free(b);
	if (x)
		gsl_vector_free(x);
	return rc;
}

/* Studies with a missing moderator (NaN) are left out of the meta-
 * regression, with a warning that names them (metafor's na.omit). */
static int omit_missing(struct pool_result *r, double *y, double *v, size_t *idx, size_t *n)
{
	const struct pool_input *in = r->in;
	size_t nm = in->nmods, m = 0;
	struct buf who = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < *n; i++) {
		size_t j = 0;

		while (j < nm && !isnan(in->x[idx[i] * nm + j]))
			j++;
		if (j < nm) {
			if (buf_printf(&who, "%s%s", who.len ? ", " : "",
				       in->studies[idx[i]].label ? in->studies[idx[i]].label : "a study") < 0)
				rc = LSR_ENOMEM;
			continue;
		}
		y[m] = y[i];
		v[m] = v[i];
		idx[m++] = idx[i];
	}
	if (rc == 0 && who.len)
		rc = pool_warn(r, "meta-regression: %zu %s without a value of every moderator left out (%s)",
			       *n - m, *n - m == 1 ? "study" : "studies", who.s);
	*n = m;
	buf_release(&who);
	return rc < 0 ? lsr_error_oom() : 0;
}

int pool_metareg_run(struct pool_result *r, const unsigned char *use)
{
	const struct pool_input *in = r->in;
	size_t k = in->k, nm = in->nmods, p = nm + 1, n;
	double *y = malloc(sizeof(double) * k), *v = malloc(sizeof(double) * k);
	size_t *idx = malloc(sizeof(size_t) * k);
	double *X = malloc(sizeof(double) * k * p);
	int random = r->opts.model == POOL_MODEL_RANDOM, rc, have_m = 0, have_0 = 0;
	struct pool_metareg *g;
	struct pool_mr m, m0;
	double s2, scale = 1, crit, tau2_0 = 0;

	if (!y || !v || !idx || !X) {
		rc = lsr_error_oom();
		goto out;
	}
	n = pool_collect(r, use, y, v, idx);
	if ((rc = omit_missing(r, y, v, idx, &n)) < 0)
		goto out;
	if (n <= p) {
		rc = lsr_error_set(LSR_ERROR, "%zu parameters for %zu studies leave nothing to estimate the fit with",
				   p, n);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		X[i * p] = 1;
		for (size_t j = 0; j < nm; j++)
			X[i * p + 1 + j] = in->x[idx[i] * nm + j];
	}
	if ((rc = pool_mr_init(&m, y, v, X, n, p)) < 0)
		goto out;
	have_m = 1;
	g = r->mreg = calloc(1, sizeof(*g));
	if (!g || !(g->coef = calloc(p, sizeof(*g->coef)))) {
		rc = lsr_error_oom();
		goto out;
	}
	g->k = (int)n;
	g->ncoef = p;
	if ((rc = pool_mr_eval(&m, 0.0, 1)) < 0)
		goto out;
	g->QE = m.rss;
	g->QE_df = (double)(n - p);
	g->QE_p = pool_p_chisq(g->QE, g->QE_df);
	s2 = g->QE_df / m.trP;
	g->tau2 = 0;
	if (random && (rc = pool_mr_tau2(&m, r->opts.tau2, &g->tau2)) < 0)
		goto out;
	g->I2 = random ? 100 * g->tau2 / (g->tau2 + s2)
		       : (g->QE > g->QE_df ? 100 * (g->QE - g->QE_df) / g->QE : 0);
	g->R2 = NAN;
	if (random) {
		if ((rc = pool_mr_init(&m0, y, v, NULL, n, 1)) < 0)
			goto out;
		have_0 = 1;
		if ((rc = pool_mr_tau2(&m0, r->opts.tau2, &tau2_0)) < 0)
			goto out;
		g->R2 = tau2_0 > 0 ? fmax(0.0, 100 * (tau2_0 - g->tau2) / tau2_0) : 0;
	}
	if ((rc = pool_mr_eval(&m, g->tau2, 0)) < 0)
		goto out;
	g->tdist = random && r->opts.ci != POOL_CI_Z;
	g->df_t = g->tdist ? g->QE_df : NAN;
	if (g->tdist)
		scale = pool_ci_scale(r->opts.ci, m.rss / g->QE_df);
	crit = g->tdist ? pool_t_crit(g->df_t, r->opts.level) : pool_z_crit(r->opts.level);
	for (size_t j = 0; j < p; j++) {
		struct pool_coef *c = &g->coef[j];

		c->name = j ? in->mod_names[j - 1] : "intrcpt";
		c->estimate = gsl_vector_get(m.b, j);
		c->se = sqrt(scale * gsl_matrix_get(m.A, j, j));
		c->stat = c->estimate / c->se;
		c->p = g->tdist ? pool_p_t(c->stat, g->df_t) : pool_p_z(c->stat);
		c->ci_lb = c->estimate - crit * c->se;
		c->ci_ub = c->estimate + crit * c->se;
	}
	if ((rc = wald_qm(&m, scale, &g->QM)) < 0)
		goto out;
	g->QM_df = (double)nm;
	g->QM_df2 = NAN;
	if (g->tdist) {
		g->QM /= g->QM_df;
		g->QM_df2 = g->QE_df;
		g->QM_p = gsl_cdf_fdist_Q(g->QM, g->QM_df, g->QM_df2);
	} else {
		g->QM_p = pool_p_chisq(g->QM, g->QM_df);
	}
out:
	if (have_m)
		pool_mr_release(&m);
	if (have_0)
		pool_mr_release(&m0);
	free(y);
	free(v);
	free(idx);
	free(X);
	return rc;
}
