/*
 * fixed.c - fixed-effect pooling of binary data: Mantel-Haenszel (OR, RR,
 * RD) and Peto's odds ratio, with the Cochran-Mantel-Haenszel and Tarone
 * tests metafor's rma.mh reports.
 *
 * Mantel & Haenszel (1959); variance of ln OR_MH by Robins, Breslow &
 * Greenland (1986); of ln RR_MH by Greenland & Robins (1985); of RD_MH by
 * Greenland & Robins (1985) in RevMan 5 and by Sato, Greenland & Robins
 * (1989) in metafor.  Yusuf et al. (1985) for Peto.  Tarone (1985).
 *
 * Which cells enter the MH sums depends on the convention: RevMan 5 adds
 * 0.5 to every cell of a study with a zero cell and leaves out the studies
 * it cannot estimate; metafor uses the raw cells of every study.  The
 * heterogeneity Q is always computed from the per-study estimates (with
 * their own 0.5 correction) around the MH estimate.
 */
#include "pool_int.h"
#include "../util/err.h"

#include <stdlib.h>

void pool_summary_clear(struct pool_summary *s)
{
	s->k = 0;
	s->random = 0;
	s->ci = POOL_CI_Z;
	s->degenerate = 0;
	s->hk_q = NAN;
	s->level = 0.95;
	s->estimate = s->se = s->ci_lb = s->ci_ub = s->stat = s->df_t = s->crit = s->p = NAN;
	s->pi_lb = s->pi_ub = s->pi_t_lb = s->pi_t_ub = NAN;
	s->Q = s->df = s->p_Q = s->I2 = s->H2 = s->I2_from_Q = NAN;
	s->tau2 = NAN;
	s->tau2_ci[0] = s->tau2_ci[1] = NAN;
	s->tau2_ci_pl[0] = s->tau2_ci_pl[1] = NAN;
	s->I2_ci[0] = s->I2_ci[1] = NAN;
	s->H2_ci[0] = s->H2_ci[1] = NAN;
}

void pool_summary_test(struct pool_summary *s)
{
	if (!isfinite(s->estimate) || !(s->se > 0)) {
		s->ci_lb = s->ci_ub = s->stat = s->p = s->crit = NAN;
		return;
	}
	if (s->ci != POOL_CI_Z) {
		s->crit = pool_t_crit(s->df_t, s->level);
		s->stat = s->estimate / s->se;
		s->p = pool_p_t(s->stat, s->df_t);
	} else {
		s->crit = pool_z_crit(s->level);
		s->stat = s->estimate / s->se;
		s->p = pool_p_z(s->stat);
	}
	s->ci_lb = s->estimate - s->crit * s->se;
	s->ci_ub = s->estimate + s->crit * s->se;
}

void pool_summary_hetero_q(struct pool_summary *s, double Q, double df)
{
	s->Q = Q;
	s->df = df;
	if (df > 0 && !isnan(Q)) {
		s->p_Q = pool_p_chisq(Q, df);
		s->I2_from_Q = Q > df ? 100.0 * (Q - df) / Q : 0.0;
		s->H2 = Q / df;
	} else {
		s->p_Q = s->I2_from_Q = s->H2 = NAN;
	}
	s->I2 = s->I2_from_Q;
}

/* Q of the per-study estimates with use[i] around theta, into s. */
static void q_around(struct pool_summary *s, const struct pool_est *est,
		     const unsigned char *use, size_t k, double theta)
{
	double Q = 0;
	int n = 0;

	for (size_t i = 0; i < k; i++) {
		if (!use[i] || est[i].status != POOL_EST_INCLUDED)
			continue;
		Q += (est[i].yi - theta) * (est[i].yi - theta) / est[i].vi;
		n++;
	}
	s->k = n;
	pool_summary_hetero_q(s, n > 1 ? Q : 0.0, n - 1);
	s->tau2 = 0;
}

/* The cells of study i as they enter the MH sums; 0 when it takes no part. */
static int mh_cells(struct pool_cells *c, const struct pool_input *in, const struct pool_est *e,
		    size_t i, enum pool_conv conv)
{
	if (pool_cells_raw(c, &in->studies[i]) < 0)
		return 0;
	if (conv == POOL_CONV_METAFOR)
		return 1;
	if (e->status == POOL_EST_NOT_ESTIMABLE)
		return 0;
	if (pool_cells_have_zero(c))
		pool_cells_correct(c);
	return 1;
}

int pool_mh_fit(struct pool_summary *s, double *weights, const struct pool_input *in,
		const struct pool_est *est, const unsigned char *use,
		const struct pool_opts *o)
{
	double sR = 0, sS = 0, sPR = 0, sPSQR = 0, sQS = 0, sP = 0;
	double sW = 0, sWRD = 0, sGR = 0, sSGR1 = 0, sSGR2 = 0;
	enum pool_rdvar rdvar = o->rd_var;
	size_t k = in->k;
	int any = 0;

	pool_summary_clear(s);
	s->level = pool_level(o->level);
	if (rdvar == POOL_RDVAR_CONV)
		rdvar = o->conv == POOL_CONV_REVMAN5 ? POOL_RDVAR_GR : POOL_RDVAR_SGR;
	for (size_t i = 0; i < k; i++) {
		struct pool_cells c;
		const struct pool_study *st = &in->studies[i];
		double N, R, S, P, Q, W;

		weights[i] = NAN;
		if (!use[i] || !mh_cells(&c, in, &est[i], i, o->conv))
			continue;
		any = 1;
		N = c.N;
		switch (o->measure) {
		case POOL_OR:
			R = c.a * c.d / N;
			S = c.b * c.c / N;
			P = (c.a + c.d) / N;
			Q = (c.b + c.c) / N;
			sR += R;
			sS += S;
			sPR += P * R;
			sPSQR += P * S + Q * R;
			sQS += Q * S;
			weights[i] = S;
			break;
		case POOL_RR:
			R = c.a * c.n2 / N;
			S = c.c * c.n1 / N;
			sR += R;
			sS += S;
			sP += (c.n1 * c.n2 * (c.a + c.c) - c.a * c.c * N) / (N * N);
			weights[i] = S;
			break;
		case POOL_RD:
			W = c.n1 * c.n2 / N;
			sW += W;
			/* RevMan 5 weights the raw risk difference */
			if (o->conv == POOL_CONV_REVMAN5)
				sWRD += W * (st->events1 / st->n1 - st->events2 / st->n2);
			else
				sWRD += W * (c.a / c.n1 - c.c / c.n2);
			sGR += (c.a * c.b * c.n2 * c.n2 * c.n2 + c.c * c.d * c.n1 * c.n1 * c.n1) /
			       (c.n1 * c.n2 * N * N);
			sSGR1 += c.c * (c.n1 / N) * (c.n1 / N) - c.a * (c.n2 / N) * (c.n2 / N) +
				 (c.n1 / N) * (c.n2 / N) * (c.n2 - c.n1) / 2.0;
			sSGR2 += c.a * (c.n2 - c.c) / N + c.c * (c.n1 - c.a) / N;
			weights[i] = W;
			break;
		default:
			BUG("Mantel-Haenszel for measure %d", (int)o->measure);
		}
	}
	if (!any)
		return 0;
	switch (o->measure) {
	case POOL_OR:
		if (sR > 0 && sS > 0) {
			s->estimate = log(sR / sS);
			s->se = sqrt(sPR / (2 * sR * sR) + sPSQR / (2 * sR * sS) + sQS / (2 * sS * sS));
		}
		break;
	case POOL_RR:
		if (sR > 0 && sS > 0) {
			s->estimate = log(sR / sS);
			s->se = sqrt(sP / (sR * sS));
		}
		break;
	default:
		if (sW > 0) {
			s->estimate = sWRD / sW;
			if (rdvar == POOL_RDVAR_GR)
				s->se = sqrt(sGR / (sW * sW));
			else
				s->se = sqrt((s->estimate * sSGR1 + sSGR2 / 2.0) / (sW * sW));
		}
		break;
	}
	pool_summary_test(s);
	q_around(s, est, use, k, s->estimate);
	return 0;
}

int pool_peto_fit(struct pool_summary *s, double *weights, const struct pool_est *est,
		  const unsigned char *use, size_t k, double level)
{
	double sOE = 0, sV = 0, sQ = 0;
	int n = 0;

	pool_summary_clear(s);
	s->level = pool_level(level);
	for (size_t i = 0; i < k; i++) {
		weights[i] = NAN;
		if (!use[i] || est[i].status != POOL_EST_INCLUDED)
			continue;
		sOE += est[i].o_minus_e;
		sV += est[i].v_peto;
		sQ += est[i].o_minus_e * est[i].o_minus_e / est[i].v_peto;
		weights[i] = est[i].v_peto;
		n++;
	}
	s->k = n;
	if (n == 0)
		return 0;
	s->estimate = sOE / sV;
	s->se = 1.0 / sqrt(sV);
	pool_summary_test(s);
	pool_summary_hetero_q(s, n > 1 ? fmax(0.0, sQ - sOE * sOE / sV) : 0.0, n - 1);
	s->tau2 = 0;
	return 0;
}

void pool_mh_tests(struct pool_result *r, const unsigned char *use, double psi)
{
	const struct pool_input *in = r->in;
	double sdev = 0, svar = 0, bd = 0, sdiff = 0, sv = 0;
	double sxt = 0, syt = 0;
	int kpos = 0;

	r->has_mh_tests = 1;
	r->cmh = r->cmh_p = r->tarone = r->tarone_p = NAN;
	r->tarone_kpos = 0;
	/* Cochran-Mantel-Haenszel with continuity correction, raw cells */
	for (size_t i = 0; i < in->k; i++) {
		struct pool_cells c;
		double xt, yt;

		if (!use[i] || pool_cells_raw(&c, &in->studies[i]) < 0)
			continue;
		xt = c.a + c.c;
		yt = c.b + c.d;
		sxt += xt;
		syt += yt;
		sdev += c.a - (c.n1 / c.N) * xt;
		svar += (c.n1 / c.N) * (c.n2 / c.N) * (xt * (yt / (c.N - 1)));
	}
	if (sxt > 0 && syt > 0 && svar > 0) {
		double x = fabs(sdev) - 0.5;

		r->cmh = x * x / svar;
		r->cmh_p = pool_p_chisq(r->cmh, 1);
	}
	if (!isfinite(psi))
		return;
	/* Tarone's correction of the Breslow-Day test: the expected a of each
	 * table under the common odds ratio psi solves a quadratic */
	for (size_t i = 0; i < in->k; i++) {
		struct pool_cells c;
		double xt, yt, n11, n12, n21, n22, v;

		if (!use[i] || pool_cells_raw(&c, &in->studies[i]) < 0)
			continue;
		xt = c.a + c.c;
		yt = c.b + c.d;
		if (psi == 1) {
			n11 = c.n1 / c.N * xt;
		} else {
			double A = psi * (c.n1 + xt) + (c.n2 - xt);
			double B = sqrt(A * A - 4 * c.n1 * xt * psi * (psi - 1));

			n11 = (A - B) / (2 * (psi - 1));
		}
		if (!(n11 > 0 && xt > 0 && yt > 0))
			continue;
		n12 = c.n1 - n11;
		n21 = xt - n11;
		n22 = n11 - c.n1 - xt + c.N;
		v = 1.0 / (1.0 / n11 + 1.0 / n12 + 1.0 / n21 + 1.0 / n22);
		bd += (c.a - n11) * (c.a - n11) / v;
		sdiff += c.a - n11;
		sv += v;
		kpos++;
	}
	r->tarone_kpos = kpos;
	if (kpos > 0) {
		r->tarone = fmax(0.0, fmax(0.0, bd) - sdiff * sdiff / sv);
		if (kpos > 1)
			r->tarone_p = pool_p_chisq(r->tarone, kpos - 1);
	}
}
