/*
 * random.c - inverse-variance pooling, fixed or random effects: tau2 by
 * DerSimonian-Laird, REML or Paule-Mandel (metareg.c), the Hartung-Knapp
 * adjustment, prediction intervals and Q-profile confidence intervals for
 * tau2, tau, I2 and H2.
 *
 * Hartung & Knapp (2001), Sidik & Jonkman (2002): SE_HK^2 = q / sum w*,
 * q = sum w*(y - mu)^2 / (k - 1), a t(k - 1) reference, not truncated
 * (metafor's test = "knha"); the ad hoc variant (Knapp & Hartung 2003;
 * Roever, Knapp & Friede 2015) scales by max(1, q), so its interval is
 * never narrower than the Wald (z) one with the same tau2 (test = "adhoc");
 * "t" is the Wald SE with t(k - 1) (test = "t").  Prediction intervals:
 * metafor's mu +/- z sqrt(SE^2 + tau2) (t(k - 1) and the model's SE
 * otherwise), and Higgins, Thompson &
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

static int all_equal(const double *y, size_t k)
{
	for (size_t i = 1; i < k; i++)
		if (y[i] != y[0])
			return 0;
	return 1;
}

int pool_iv_fit(struct pool_summary *out, const double *y, const double *v,
		size_t k, const struct pool_fitspec *spec)
{
	struct pool_mr m;
	double tau2 = 0, s2 = NAN, Q, df;
	int rc;

	pool_summary_clear(out);
	out->level = pool_level(spec->level);
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
	if (out->random && spec->ci != POOL_CI_Z) {
		out->ci = spec->ci;
		out->df_t = df;
		if (spec->ci == POOL_CI_HK || spec->ci == POOL_CI_HK_ADHOC)
			out->hk_q = m.rss / df;
		out->se *= sqrt(pool_ci_scale(spec->ci, out->hk_q));
		/* all estimates equal: q is 0 in exact arithmetic (rounding
		 * would leave some 1e-30 and t = 1e15) */
		if (spec->ci == POOL_CI_HK && all_equal(y, k)) {
			out->hk_q = 0;
			out->se = 0;
			out->degenerate = 1;
		}
	}
	pool_summary_test(out);
	if (out->random && isfinite(out->estimate) && !out->degenerate) {
		double sp = sqrt(out->se * out->se + tau2), zt;

		if (out->ci != POOL_CI_Z) {
			out->pi_lb = out->estimate - out->crit * sp;
			out->pi_ub = out->estimate + out->crit * sp;
		} else {
			zt = pool_z_crit(out->level);
			out->pi_lb = out->estimate - zt * sp;
			out->pi_ub = out->estimate + zt * sp;
			if (k >= 3) {
				zt = pool_t_crit(df - 1, out->level);
				out->pi_t_lb = out->estimate - zt * sp;
				out->pi_t_ub = out->estimate + zt * sp;
			}
		}
	}
	if (out->random && spec->qprofile && k >= 3) {
		if ((rc = pool_mr_qprofile(&m, out->level, out->tau2_ci)) < 0)
			goto out;
		for (int j = 0; j < 2; j++) {
			out->I2_ci[j] = i2_of(out->tau2_ci[j], s2);
			out->H2_ci[j] = h2_of(out->tau2_ci[j], s2);
		}
		if (isnan(spec->tau2_fixed) && (spec->tau2 == POOL_TAU2_REML || spec->tau2 == POOL_TAU2_ML) &&
		    (rc = pool_mr_plci(&m, spec->tau2 == POOL_TAU2_ML, tau2, out->level, out->tau2_ci_pl)) < 0)
			goto out;
	}
out:
	pool_mr_release(&m);
	return rc;
}
