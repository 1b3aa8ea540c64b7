/*
 * metareg.c - weighted least squares with an additive between-study
 * variance: the one numerical core behind fixed effect, random effects and
 * meta-regression (struct pool_mr in pool_int.h).
 *
 * With W = diag(1/(v_i + tau2)), b = (X'WX)^-1 X'Wy and the projection
 * P = W - W X (X'WX)^-1 X'W, the estimators of tau2 are those of metafor's
 * rma.uni (Viechtbauer 2005, 2010):
 *
 *   DL    (y'P0y - (k - p)) / tr P0, P0 at tau2 = 0 (DerSimonian & Laird 1986)
 *   HE    (RSS_OLS - tr(P_OLS V)) / (k - p), only as REML's starting value
 *   REML  Fisher scoring tau2 += (y'PPy - tr P) / tr(PP), step-halved to
 *         stay >= 0 and to climb the likelihood, falling back to Brent on
 *         y'PPy = tr P when it does not converge, then metafor's check
 *         that the likelihood at 0 is not higher
 *   PM    the root of y'P(tau2)y = k - p (Paule & Mandel 1982), Brent
 *   ML    as REML with the likelihood: tau2 += (y'PPy - sum w) / sum w^2
 *   HS    (y'P0y - k) / sum w0 (Hunter & Schmidt 2004)
 *   HE    also an estimator of its own (Hedges 1983)
 *   SJ    tau0 y'P(tau0)y / (k - p), tau0 = sum (y - ybar)^2 / k (Sidik &
 *         Jonkman 2005)
 *   EB    Morris (1983): y'Py k / (k - p) = k, the PM root
 *
 * y'Py, y'PPy, tr P and tr PP are formed from p x p matrices without the
 * k x k matrix P: with A = (X'WX)^-1 and r = y - Xb,
 *   y'Py = sum w r^2, y'PPy = sum w^2 r^2, tr P = sum w - tr(A X'W^2X),
 *   tr PP = sum w^2 - 2 tr(A X'W^3X) + tr(A X'W^2X A X'W^2X),
 * so one evaluation costs O(k p^2): 10,000 studies take microseconds.
 */
#include "pool_int.h"
#include "../util/err.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_roots.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#define X_AT(m, i, j) ((m)->X ? (m)->X[(i) * (m)->p + (j)] : 1.0)

int pool_mr_init(struct pool_mr *m, const double *y, const double *v,
		 const double *X, size_t k, size_t p)
{
	double sw = 0;

	memset(m, 0, sizeof(*m));
	if (k == 0 || p == 0)
		BUG("pool_mr_init with k = %zu, p = %zu", k, p);
	m->y = y;
	m->v = v;
	m->X = X;
	m->k = k;
	m->p = X ? p : 1;
	for (size_t i = 0; i < k; i++)
		sw += 1.0 / v[i];
	m->vscale = (double)k / sw;
	m->w = malloc(sizeof(double) * k);
	m->A = gsl_matrix_alloc(m->p, m->p);
	m->B2 = gsl_matrix_alloc(m->p, m->p);
	m->B3 = gsl_matrix_alloc(m->p, m->p);
	m->T = gsl_matrix_alloc(m->p, m->p);
	m->b = gsl_vector_alloc(m->p);
	m->c = gsl_vector_alloc(m->p);
	if (!m->w || !m->A || !m->B2 || !m->B3 || !m->T || !m->b || !m->c) {
		pool_mr_release(m);
		return lsr_error_oom();
	}
	return 0;
}

void pool_mr_release(struct pool_mr *m)
{
	free(m->w);
	if (m->A)
		gsl_matrix_free(m->A);
	if (m->B2)
		gsl_matrix_free(m->B2);
	if (m->B3)
		gsl_matrix_free(m->B3);
	if (m->T)
		gsl_matrix_free(m->T);
	if (m->b)
		gsl_vector_free(m->b);
	if (m->c)
		gsl_vector_free(m->c);
	memset(m, 0, sizeof(*m));
}

/* tr(M N) for p x p matrices */
static double tr_prod(const gsl_matrix *M, const gsl_matrix *N)
{
	double t = 0;

	for (size_t i = 0; i < M->size1; i++)
		for (size_t j = 0; j < M->size2; j++)
			t += gsl_matrix_get(M, i, j) * gsl_matrix_get(N, j, i);
	return t;
}

/* A := B^-1 for the symmetric positive definite B held in A; LSR_ERROR when
 * it is singular. */
static int invert_spd(gsl_matrix *A)
{
	int st;

	if (A->size1 == 1) {
		double d = gsl_matrix_get(A, 0, 0);

		if (!(d > 0) || !isfinite(d))
			return lsr_error_set(LSR_ERROR,
					     "cannot weight the studies: a variance is too close to 0 (or too large) for double precision");
		gsl_matrix_set(A, 0, 0, 1.0 / d);
		return 0;
	}
	st = gsl_linalg_cholesky_decomp1(A);
	if (st == 0)
		st = gsl_linalg_cholesky_invert(A);
	if (st)
		return lsr_error_set(LSR_ERROR, "the model matrix is singular (%s)", gsl_strerror(st));
	return 0;
}

int pool_mr_eval(struct pool_mr *m, double tau2, int traces)
{
	size_t k = m->k, p = m->p;
	double sw = 0, sw2 = 0, rss = 0, ypy2 = 0;
	int rc;

	gsl_matrix_set_zero(m->A);
	gsl_vector_set_zero(m->c);
	if (traces) {
		gsl_matrix_set_zero(m->B2);
		gsl_matrix_set_zero(m->B3);
	}
	for (size_t i = 0; i < k; i++) {
		double w = 1.0 / (m->v[i] + tau2);

		m->w[i] = w;
		sw += w;
		sw2 += w * w;
		for (size_t a = 0; a < p; a++) {
			double xa = X_AT(m, i, a);

			if (xa == 0)
				continue;
			*gsl_vector_ptr(m->c, a) += w * xa * m->y[i];
			for (size_t b = 0; b <= a; b++) {
				double xx = xa * X_AT(m, i, b);

				*gsl_matrix_ptr(m->A, a, b) += w * xx;
				if (traces) {
					*gsl_matrix_ptr(m->B2, a, b) += w * w * xx;
					*gsl_matrix_ptr(m->B3, a, b) += w * w * w * xx;
				}
			}
		}
	}
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < a; b++) {
			gsl_matrix_set(m->A, b, a, gsl_matrix_get(m->A, a, b));
			if (traces) {
				gsl_matrix_set(m->B2, b, a, gsl_matrix_get(m->B2, a, b));
				gsl_matrix_set(m->B3, b, a, gsl_matrix_get(m->B3, a, b));
			}
		}
	if ((rc = invert_spd(m->A)) < 0)
		return rc;
	gsl_blas_dgemv(CblasNoTrans, 1.0, m->A, m->c, 0.0, m->b);
	for (size_t i = 0; i < k; i++) {
		double fit = 0, r;

		for (size_t a = 0; a < p; a++)
			fit += X_AT(m, i, a) * gsl_vector_get(m->b, a);
		r = m->y[i] - fit;
		rss += m->w[i] * r * r;
		ypy2 += m->w[i] * m->w[i] * r * r;
	}
	m->sumw = sw;
	m->sumw2 = sw2;
	m->rss = rss;
	m->ypy2 = ypy2;
	if (traces) {
		double ab2 = tr_prod(m->A, m->B2);

		m->trP = sw - ab2;
		/* T = A B2; tr(T T) */
		gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, m->A, m->B2, 0.0, m->T);
		m->trPP = sw2 - 2.0 * tr_prod(m->A, m->B3) + tr_prod(m->T, m->T);
	}
	return 0;
}

int pool_mr_s2(struct pool_mr *m, double *s2)
{
	int rc;

	*s2 = NAN;
	if (m->k <= m->p)
		return 0;
	if ((rc = pool_mr_eval(m, 0.0, 1)) < 0)
		return rc;
	*s2 = (double)(m->k - m->p) / m->trP;
	return 0;
}

/* Hedges' (HE) estimator from ordinary least squares, truncated at 0. */
static int tau2_he(struct pool_mr *m, double *out)
{
	size_t k = m->k, p = m->p;
	gsl_matrix *B = gsl_matrix_calloc(p, p), *V = gsl_matrix_calloc(p, p);
	gsl_vector *c = gsl_vector_calloc(p), *b = gsl_vector_alloc(p);
	double rss = 0, trv = 0;
	int rc = 0;

	*out = 0;
	if (!B || !V || !c || !b) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < k; i++) {
		trv += m->v[i];
		for (size_t a = 0; a < p; a++) {
			double xa = X_AT(m, i, a);

			*gsl_vector_ptr(c, a) += xa * m->y[i];
			for (size_t j = 0; j < p; j++) {
				double xx = xa * X_AT(m, i, j);

				*gsl_matrix_ptr(B, a, j) += xx;
				*gsl_matrix_ptr(V, a, j) += m->v[i] * xx;
			}
		}
	}
	if ((rc = invert_spd(B)) < 0)
		goto out;
	gsl_blas_dgemv(CblasNoTrans, 1.0, B, c, 0.0, b);
	for (size_t i = 0; i < k; i++) {
		double fit = 0;

		for (size_t a = 0; a < p; a++)
			fit += X_AT(m, i, a) * gsl_vector_get(b, a);
		rss += (m->y[i] - fit) * (m->y[i] - fit);
	}
	/* tr(P_OLS V) = sum v - tr((X'X)^-1 X'VX) */
	*out = (rss - (trv - tr_prod(B, V))) / (double)(k - p);
	if (!(*out > 0))
		*out = 0;
out:
	if (B)
		gsl_matrix_free(B);
	if (V)
		gsl_matrix_free(V);
	if (c)
		gsl_vector_free(c);
	if (b)
		gsl_vector_free(b);
	return rc;
}

/* The restricted log-likelihood at tau2 (without constants), after
 * pool_mr_eval(m, tau2, .): -1/2 (sum log(v + tau2) + log det X'WX + y'Py);
 * with ml, the likelihood: -1/2 (sum log(v + tau2) + y'Py). */
static double loglik(struct pool_mr *m, double tau2, int ml)
{
	double s = 0, logdet_a = 0;
	int st;

	for (size_t i = 0; i < m->k; i++)
		s += log(m->v[i] + tau2);
	if (ml)
		return -0.5 * (s + m->rss);
	/* log det X'WX = -log det A; A is SPD */
	if (m->p == 1) {
		logdet_a = log(gsl_matrix_get(m->A, 0, 0));
	} else {
		gsl_matrix_memcpy(m->T, m->A);
		st = gsl_linalg_cholesky_decomp1(m->T);
		if (st)
			return NAN;
		for (size_t i = 0; i < m->p; i++)
			logdet_a += 2.0 * log(gsl_matrix_get(m->T, i, i));
	}
	return -0.5 * (s - logdet_a + m->rss);
}

/* The REML score y'PPy - tr P at tau2 (zero at an interior maximum). */
/*
 * Brent (GSL) on [lo, hi], where F changes sign, to POOL_TAU2_RTOL
 * relative (with an absolute floor of that times vscale).  *failed is set
 * by F when an evaluation fails (its message is then the error); what
 * names the quantity in other errors.
 */
static int brent_tau2(gsl_function *F, const int *failed, double lo, double hi, double vscale,
		      const char *what, double *out)
{
	gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	int st, iter, rc = 0;

	if (!s)
		return lsr_error_oom();
	st = gsl_root_fsolver_set(s, F, lo, hi);
	for (iter = 0; st == GSL_SUCCESS && iter < POOL_MAXITER; iter++) {
		if ((st = gsl_root_fsolver_iterate(s)) != GSL_SUCCESS || *failed)
			break;
		*out = gsl_root_fsolver_root(s);
		st = gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
					    POOL_TAU2_RTOL * vscale, POOL_TAU2_RTOL);
		if (st == GSL_SUCCESS)
			break;
		if (st == GSL_CONTINUE)
			st = GSL_SUCCESS;
	}
	if (*failed)
		rc = lsr_error_last_code();
	else if (st != GSL_SUCCESS || iter >= POOL_MAXITER)
		rc = lsr_error_set(LSR_ERROR, "%s: %s", what,
				   st != GSL_SUCCESS ? gsl_strerror(st) : "the root finder did not converge");
	gsl_root_fsolver_free(s);
	return rc;
}

/* The (restricted, or with ml full) likelihood score at tau2:
 * y'PPy - tr P, or y'PPy - sum w; zero at an interior maximum.  The
 * expected information (x 2) is left in *info when info is not NULL. */
static int lik_score(struct pool_mr *m, double tau2, int ml, double *score, double *info)
{
	int rc = pool_mr_eval(m, tau2, 1);

	*score = rc < 0 ? NAN : m->ypy2 - (ml ? m->sumw : m->trP);
	if (info)
		*info = ml ? m->sumw2 : m->trPP;
	return rc;
}

struct score_arg {
	struct pool_mr *m;
	int ml;
	int failed;
};

static double score_f(double tau2, void *vp)
{
	struct score_arg *a = vp;
	double s;

	if (lik_score(a->m, tau2, a->ml, &s, NULL) < 0)
		a->failed = 1;
	return s;
}

/*
 * The fallback: the root of the REML estimating equation y'PPy = tr P (ML:
 * y'PPy = sum w) on [0, hi], bracketed by doubling from the typical within-study variance,
 * then Brent (GSL).  0 when the score at 0 already points to the boundary.
 */
int pool_mr_lik_root(struct pool_mr *m, int ml, double *out)
{
	struct score_arg a = { m, ml, 0 };
	gsl_function F = { score_f, &a };
	double lo = 0, hi = m->vscale, f;

	*out = 0;
	f = score_f(0.0, &a);
	if (a.failed)
		return lsr_error_last_code();
	if (!(f > 0))
		return 0;
	for (int iter = 0;; iter++) {
		f = score_f(hi, &a);
		if (a.failed)
			return lsr_error_last_code();
		if (f <= 0)
			break;
		lo = hi;
		hi *= 2;
		if (iter > 2000 || !isfinite(hi))
			return lsr_error_set(LSR_ERROR, "%s estimation of tau2: cannot bracket the root of its equation",
					     ml ? "ML" : "REML");
	}
	if (f == 0) {
		*out = hi;
		return 0;
	}
	return brent_tau2(&F, &a.failed, lo, hi, m->vscale,
			  ml ? "ML estimation of tau2 failed" : "REML estimation of tau2 failed", out);
}

/*
 * Fisher scoring from the HE estimate, as metafor's rma.uni, made safe:
 * a step that lowers the restricted likelihood is halved, and the
 * iteration stops when tau2 changes by less than POOL_TAU2_RTOL of its
 * scale (tau2 plus the typical within-study variance), or when the
 * likelihood no longer changes in double precision and tau2 changes by
 * less than 1e-10 of its scale (further steps are rounding noise: with
 * variances as different as 1e-7 and 0.34 the score cannot be computed
 * to 1e-14).  Returns 1 when it did not converge (the caller falls back).
 */
static int lik_scoring(struct pool_mr *m, int ml, double *out)
{
	double tau2, ll, score, info;
	int rc, iter;

	if ((rc = tau2_he(m, &tau2)) < 0)
		return rc;
	if ((rc = pool_mr_eval(m, tau2, 0)) < 0)
		return rc;
	ll = loglik(m, tau2, ml);
	for (iter = 0; iter < POOL_MAXITER; iter++) {
		double adj, next, ll_next, scale;
		int halvings = 0;

		if ((rc = lik_score(m, tau2, ml, &score, &info)) < 0)
			return rc;
		adj = score / info;
		if (!isfinite(adj) || !isfinite(ll))
			return 1;
		if (tau2 + adj < 0) {
			/* heading for the boundary: stop at 0 if the score there
			 * points outwards, else halve the step (metafor) */
			if ((rc = lik_score(m, 0.0, ml, &score, NULL)) < 0)
				return rc;
			if (score <= 0) {
				*out = 0;
				return 0;
			}
			while (tau2 + adj < 0)
				adj /= 2;
		}
		for (;;) {
			next = tau2 + adj;
			if ((rc = pool_mr_eval(m, next, 0)) < 0)
				return rc;
			ll_next = loglik(m, next, ml);
			if (ll_next >= ll || halvings >= 60)
				break;
			/* uphill only: a step past the maximum is halved */
			if (fabs(ll_next - ll) <= 4 * DBL_EPSILON * (fabs(ll) + 1))
				break;
			adj /= 2;
			halvings++;
		}
		scale = next + m->vscale;
		if (fabs(adj) <= POOL_TAU2_RTOL * scale ||
		    (fabs(ll_next - ll) <= 4 * DBL_EPSILON * (fabs(ll) + 1) &&
		     fabs(adj) <= 1e-10 * scale)) {
			*out = next;
			return 0;
		}
		tau2 = next;
		ll = ll_next;
	}
	return 1;
}

/* REML or ML: Fisher scoring, or the bracketing root finder when scoring
 * does not converge; then metafor's check that the likelihood at 0 is not
 * higher. */
static int tau2_lik(struct pool_mr *m, int ml, double *out)
{
	double tau2 = 0, ll_hat, ll_0;
	int rc;

	if ((rc = lik_scoring(m, ml, &tau2)) < 0)
		return rc;
	if (rc == 1 && (rc = pool_mr_lik_root(m, ml, &tau2)) < 0)
		return rc;
	if (tau2 > 0) {
		/* metafor's ll0check: a stationary point below the likelihood
		 * at 0 is not the maximum */
		if ((rc = pool_mr_eval(m, tau2, 0)) < 0)
			return rc;
		ll_hat = loglik(m, tau2, ml);
		if ((rc = pool_mr_eval(m, 0.0, 0)) < 0)
			return rc;
		ll_0 = loglik(m, 0.0, ml);
		if (ll_0 > ll_hat)
			tau2 = 0;
	}
	*out = tau2;
	return 0;
}

enum target_of { T_QGEN, T_REML, T_ML };

struct qgen_arg {
	struct pool_mr *m;
	double target;
	int failed;
	enum target_of of;
};

/* y'P(tau2)y - target (decreasing in tau2), or the REML or ML
 * log-likelihood - target (decreasing away from the maximum) */
static double qgen_f(double tau2, void *vp)
{
	struct qgen_arg *q = vp;

	if (pool_mr_eval(q->m, tau2, 0) < 0) {
		q->failed = 1;
		return NAN;
	}
	return (q->of == T_QGEN ? q->m->rss : loglik(q->m, tau2, q->of == T_ML)) - q->target;
}

/*
 * The tau2 >= 0 at which y'P(tau2)y equals target: 0 when it is already
 * below at 0.  Brackets by doubling, then Brent to the limit of double
 * precision.
 */
static int qgen_root(struct pool_mr *m, double target, double *out)
{
	struct qgen_arg q = { m, target, 0, T_QGEN };
	gsl_function F = { qgen_f, &q };
	gsl_root_fsolver *s = NULL;
	double lo = 0, hi, f0, fhi, root = 0;
	int rc = 0, st, iter;

	*out = 0;
	f0 = qgen_f(0.0, &q);
	if (q.failed)
		return lsr_error_last_code();
	if (!(f0 > 0))
		return 0;
	hi = m->vscale;
	for (iter = 0;; iter++) {
		fhi = qgen_f(hi, &q);
		if (q.failed)
			return lsr_error_last_code();
		if (fhi < 0)
			break;
		if (fhi == 0) {
			*out = hi;
			return 0;
		}
		lo = hi;
		hi *= 2;
		if (iter > 2000 || !isfinite(hi))
			return lsr_error_set(LSR_ERROR, "cannot bracket tau2 (generalised Q stays above %g)",
					     target);
	}
	s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!s)
		return lsr_error_oom();
	st = gsl_root_fsolver_set(s, &F, lo, hi);
	for (iter = 0; st == GSL_SUCCESS; iter++) {
		double a, b;

		if (iter >= POOL_MAXITER) {
			st = GSL_EMAXITER;
			break;
		}
		st = gsl_root_fsolver_iterate(s);
		if (q.failed) {
			rc = lsr_error_last_code();
			goto out;
		}
		if (st)
			break;
		root = gsl_root_fsolver_root(s);
		a = gsl_root_fsolver_x_lower(s);
		b = gsl_root_fsolver_x_upper(s);
		st = gsl_root_test_interval(a, b, POOL_TAU2_RTOL * m->vscale, POOL_TAU2_RTOL);
		if (st == GSL_SUCCESS)
			break;
		if (st == GSL_CONTINUE)
			st = GSL_SUCCESS;
	}
	if (st != GSL_SUCCESS) {
		rc = lsr_error_set(LSR_ERROR, "root finding for tau2 failed: %s", gsl_strerror(st));
		goto out;
	}
	*out = root;
out:
	gsl_root_fsolver_free(s);
	return rc;
}

/* Sidik & Jonkman (2005), as metafor: from tau0 = sum (y - ybar)^2 / k,
 * tau0 y'P(tau0)y / (k - p); positive whenever the y differ. */
static int tau2_sj(struct pool_mr *m, double *out)
{
	double mean = 0, t0 = 0;
	int rc;

	for (size_t i = 0; i < m->k; i++)
		mean += m->y[i] / (double)m->k;
	for (size_t i = 0; i < m->k; i++)
		t0 += (m->y[i] - mean) * (m->y[i] - mean) / (double)m->k;
	if ((rc = pool_mr_eval(m, t0, 0)) < 0)
		return rc;
	*out = t0 * m->rss / ((double)m->k - (double)m->p);
	return 0;
}

int pool_mr_tau2(struct pool_mr *m, enum pool_tau2 method, double *tau2)
{
	double df = (double)m->k - (double)m->p;
	int rc;

	*tau2 = 0;
	if (df < 1)
		return 0;
	switch (method) {
	case POOL_TAU2_DL:
	case POOL_TAU2_HS:
		/* moments of Q at tau2 = 0: DerSimonian & Laird (Q - df) / tr P,
		 * Hunter & Schmidt (2004) (Q - k) / sum w */
		if ((rc = pool_mr_eval(m, 0.0, 1)) < 0)
			return rc;
		if (method == POOL_TAU2_DL)
			*tau2 = (m->rss - df) / m->trP;
		else
			*tau2 = (m->rss - (double)m->k) / m->sumw;
		if (!(*tau2 > 0))
			*tau2 = 0;
		return 0;
	case POOL_TAU2_REML:
	case POOL_TAU2_ML:
		return tau2_lik(m, method == POOL_TAU2_ML, tau2);
	case POOL_TAU2_PM:
	case POOL_TAU2_EB:
		/* Morris's empirical Bayes equation y'Py k/(k - p) = k is
		 * Paule-Mandel's y'Py = k - p: metafor iterates to the same root */
		return qgen_root(m, df, tau2);
	case POOL_TAU2_HE:
		return tau2_he(m, tau2);
	case POOL_TAU2_SJ:
		return tau2_sj(m, tau2);
	}
	BUG("unknown tau2 method %d", (int)method);
}

#define PL_WHAT "profile-likelihood interval for tau2"

int pool_mr_plci(struct pool_mr *m, int ml, double tau2, double level, double ci[2])
{
	struct qgen_arg a = { m, 0, 0, ml ? T_ML : T_REML };
	gsl_function F = { qgen_f, &a };
	double hi, f;
	int rc, iter;

	ci[0] = ci[1] = NAN;
	if ((rc = pool_mr_eval(m, tau2, 0)) < 0)
		return rc;
	/* 2 (ll_max - ll) = chi2(1) quantile at the level */
	a.target = loglik(m, tau2, ml) - pool_chisq_lower_quantile(pool_level(level), 1) / 2;
	f = qgen_f(0.0, &a);
	if (a.failed)
		return lsr_error_last_code();
	if (f >= 0 || tau2 <= 0)
		ci[0] = 0;
	else if ((rc = brent_tau2(&F, &a.failed, 0.0, tau2, m->vscale, PL_WHAT, &ci[0])) < 0)
		return rc;
	hi = fmax(tau2, m->vscale);
	for (iter = 0;; iter++) {
		hi *= 2;
		f = qgen_f(hi, &a);
		if (a.failed)
			return lsr_error_last_code();
		if (f < 0)
			break;
		if (iter > 2000 || !isfinite(hi))
			return lsr_error_set(LSR_ERROR, PL_WHAT ": cannot bracket the upper bound");
	}
	return brent_tau2(&F, &a.failed, tau2, hi, m->vscale, PL_WHAT, &ci[1]);
}

int pool_mr_qprofile(struct pool_mr *m, double level, double ci[2])
{
	double df = (double)m->k - (double)m->p;
	int rc;

	ci[0] = ci[1] = NAN;
	if (df < 1)
		return 0;
	/* lower bound: Q_gen = chi2 upper 2.5% point; upper: lower 2.5% point */
	level = pool_level(level);
	if ((rc = qgen_root(m, pool_chisq_lower_quantile((1 + level) / 2, df), &ci[0])) < 0)
		return rc;
	if ((rc = qgen_root(m, pool_chisq_lower_quantile((1 - level) / 2, df), &ci[1])) < 0)
		return rc;
	return 0;
}
