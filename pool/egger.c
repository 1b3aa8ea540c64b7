/*
 * egger.c - Egger's regression test for funnel-plot asymmetry (Egger, Davey
 * Smith, Schneider & Minder 1997), in two forms:
 *
 *   classic  weighted least squares of y_i on SE_i with weights 1/v_i and a
 *            free dispersion (the same as OLS of y_i/SE_i on 1/SE_i); the
 *            SE_i coefficient is the bias (the intercept of the standard
 *            normal deviate regression), tested with t(k - 2); the intercept
 *            is the effect at SE = 0 ("limit estimate"), metafor's
 *            regtest(model = "lm")
 *   model    metafor's default regtest(rma): a meta-regression of y_i on SE_i
 *            with the analysis's own model (FE: no residual variance, else
 *            the residual tau2 by the analysis's estimator), z test (t(k - 2)
 *            with the analysis's t-based CI method, its variance scaled as
 *            that method scales it)
 */
#include "pool_int.h"
#include "../util/err.h"

#include <stdlib.h>

int pool_egger_run(struct pool_result *r, const unsigned char *use)
{
	size_t k = r->in->k, n;
	double *y = malloc(sizeof(double) * k), *v = malloc(sizeof(double) * k);
	double *X = malloc(sizeof(double) * 2 * k);
	struct pool_egger *e = NULL;
	struct pool_mr m;
	double s2, crit;
	int rc = 0, have_m = 0;

	if (!y || !v || !X) {
		rc = lsr_error_oom();
		goto out;
	}
	n = pool_collect(r, use, y, v, NULL);
	if (n < 3) {
		rc = pool_warn(r, "Egger's test needs at least 3 studies; skipped");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		X[2 * i] = 1.0;
		X[2 * i + 1] = sqrt(v[i]);
	}
	if ((rc = pool_mr_init(&m, y, v, X, n, 2)) < 0)
		goto out;
	have_m = 1;
	e = r->egger = calloc(1, sizeof(*e));
	if (!e) {
		rc = lsr_error_oom();
		goto out;
	}
	e->k = (int)n;
	/* classic: residual variance estimated */
	if ((rc = pool_mr_eval(&m, 0.0, 0)) < 0)
		goto out;
	e->df = (double)n - 2;
	s2 = m.rss / e->df;
	e->bias = gsl_vector_get(m.b, 1);
	e->bias_se = sqrt(s2 * gsl_matrix_get(m.A, 1, 1));
	e->t = e->bias / e->bias_se;
	e->p = pool_p_t(e->t, e->df);
	e->limit = gsl_vector_get(m.b, 0);
	crit = pool_t_crit(e->df, r->opts.level);
	e->snd_slope_se = sqrt(s2 * gsl_matrix_get(m.A, 0, 0));
	e->limit_lb = e->limit - crit * e->snd_slope_se;
	e->limit_ub = e->limit + crit * e->snd_slope_se;
	e->snd_intercept = e->bias;
	e->snd_intercept_se = e->bias_se;
	e->snd_slope = e->limit;
	/* model-based */
	e->m_tau2 = 0;
	if (r->opts.model == POOL_MODEL_RANDOM && (rc = pool_mr_tau2(&m, r->opts.tau2, &e->m_tau2)) < 0)
		goto out;
	if ((rc = pool_mr_eval(&m, e->m_tau2, 0)) < 0)
		goto out;
	e->m_tdist = r->opts.model == POOL_MODEL_RANDOM && r->opts.ci != POOL_CI_Z;
	s2 = e->m_tdist ? pool_ci_scale(r->opts.ci, m.rss / e->df) : 1.0;
	e->m_df = e->m_tdist ? e->df : NAN;
	crit = e->m_tdist ? pool_t_crit(e->df, r->opts.level) : pool_z_crit(r->opts.level);
	e->m_bias = gsl_vector_get(m.b, 1);
	e->m_bias_se = sqrt(s2 * gsl_matrix_get(m.A, 1, 1));
	e->m_stat = e->m_bias / e->m_bias_se;
	e->m_p = e->m_tdist ? pool_p_t(e->m_stat, e->df) : pool_p_z(e->m_stat);
	e->m_limit = gsl_vector_get(m.b, 0);
	e->m_limit_lb = e->m_limit - crit * sqrt(s2 * gsl_matrix_get(m.A, 0, 0));
	e->m_limit_ub = e->m_limit + crit * sqrt(s2 * gsl_matrix_get(m.A, 0, 0));
out:
	if (have_m)
		pool_mr_release(&m);
	free(y);
	free(v);
	free(X);
	return rc;
}
