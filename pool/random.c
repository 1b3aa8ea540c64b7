/*
 * random.c - inverse-variance pooling, fixed or random effects: tau2 by
 * DerSimonian-Laird, REML or Paule-Mandel (metareg.c), the Hartung-Knapp
 * adjustment, prediction intervals and Q-profile confidence intervals for
 * tau2, tau, I2 and H2.
 *
 * Hartung & Knapp (2001), Sidik & Jonkman (2002): SE_HK^2 = sum w*(y - mu)^2
 * / ((k - 1) sum w*), a t(k - 1) reference, not truncated at 1 (metafor's
 * test = "knha").  Prediction intervals: metafor's mu +/- z sqrt(SE^2 +
 * tau2) (t(k - 1) and SE_HK with Hartung-Knapp), and Higgins, Thompson &
 * Spiegelhalter (2009) with t(k - 2).  Q-profile: Viechtbauer (2007).
 * I2 and H2 of a random-effects model are metafor's, from tau2 and the
 * typical within-study variance s2 = (k - 1) sum w / ((sum w)^2 - sum w^2)
 * (Higgins & Thompson 2002); for DL they equal the Q-based values.
 */
#include "pool_int.h"
#include "../util/err.h"

static double i2_of(double tau2, double s2)
{
	return 100.0 * tau2 / (tau2 + s2);
}

static double h2_of(double tau2, double s2)
{
	return (tau2 + s2) / s2;
}

int pool_iv_fit(struct pool_summary *out, const double *y, const double *v,
		size_t k, const struct pool_fitspec *spec)
{
	struct pool_mr m;
	double tau2 = 0, s2 = NAN, Q, df;
	int rc;

	pool_summary_clear(out);
	out->k = (int)k;
	if (k == 0)
		return 0;
	if ((rc = pool_mr_init(&m, y, v, NULL, k, 1)) < 0)
		return rc;
	/* fixed effect first: Q and the typical variance */
	if ((rc = pool_mr_eval(&m, 0.0, 1)) < 0)
		goto out;
	Q = m.rss;
	df = (double)k - 1;
	pool_summary_hetero_q(out, k > 1 ? Q : 0.0, df);
	if (k > 1)
		s2 = df / m.trP;
	out->random = spec->random && k > 1;
	if (out->random) {
		if (!isnan(spec->tau2_fixed))
			tau2 = spec->tau2_fixed;
		else if ((rc = pool_mr_tau2(&m, spec->tau2, &tau2)) < 0)
			goto out;
		if ((rc = pool_mr_eval(&m, tau2, 0)) < 0)
			goto out;
		out->I2 = i2_of(tau2, s2);
		out->H2 = h2_of(tau2, s2);
	}
	out->tau2 = tau2;
	out->estimate = gsl_vector_get(m.b, 0);
	out->se = sqrt(gsl_matrix_get(m.A, 0, 0));
	if (out->random && spec->hk) {
		out->hk = 1;
		out->df_t = df;
		out->se = sqrt(m.rss / df * gsl_matrix_get(m.A, 0, 0));
	}
	pool_summary_test(out);
	if (out->random && isfinite(out->estimate)) {
		double sp = sqrt(out->se * out->se + tau2), zt;

		if (out->hk) {
			out->pi_lb = out->estimate - out->crit * sp;
			out->pi_ub = out->estimate + out->crit * sp;
		} else {
			zt = pool_z_crit();
			out->pi_lb = out->estimate - zt * sp;
			out->pi_ub = out->estimate + zt * sp;
			if (k >= 3) {
				zt = pool_t_crit(df - 1);
				out->pi_t_lb = out->estimate - zt * sp;
				out->pi_t_ub = out->estimate + zt * sp;
			}
		}
	}
	if (out->random && spec->qprofile && k >= 3) {
		if ((rc = pool_mr_qprofile(&m, out->tau2_ci)) < 0)
			goto out;
		for (int j = 0; j < 2; j++) {
			out->I2_ci[j] = i2_of(out->tau2_ci[j], s2);
			out->H2_ci[j] = h2_of(out->tau2_ci[j], s2);
		}
	}
out:
	pool_mr_release(&m);
	return rc;
}
