/*
 * trimfill.c - Duval & Tweedie's (2000) trim-and-fill with the L0
 * estimator, as metafor 3.8's trimfill.rma.uni computes it:
 *
 * 1. side: a meta-regression of y on SE with the analysis's model; a
 *    negative slope puts the missing studies on the right (then y is
 *    mirrored so that they are always on the left);
 * 2. studies sorted by y (stably); from k0 = 0, repeat: pool the k - k0
 *    smallest, centre all k at that estimate, rank |centred| (ties: first
 *    occurrence first), S = sum of the ranks of positive ones,
 *    L0 = (4S - k(k + 1)) / (2k - 1), k0 = max(0, round half to even (L0)),
 *    until k0 repeats;
 * 3. the k0 most extreme studies are mirrored about the last trimmed
 *    estimate and the model is refitted to the k + k0 studies.
 * se(k0) = 4 sqrt(Var S) / (2k - 1) from the last L0 before rounding.
 * The side can be given instead of estimated, and the estimator can be
 * R0 = k - (the largest rank of a study below the estimate) - 1, with
 * se(k0) = sqrt(2 max(0, R0) + 2) (Duval & Tweedie 2000; metafor's
 * trimfill(side =, estimator = "R0")).
 */
#include "pool_int.h"
#include "../util/err.h"

#include <stdlib.h>

#define TRIMFILL_MAXITER 100 /* metafor's maxiter */

struct keyed {
	double key;
	size_t i;
};

/* stable: ties keep their original order */
static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;

	if (a->key < b->key)
		return -1;
	if (a->key > b->key)
		return 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* The sign of the SE slope of the meta-regression of y on SE. */
static int missing_on_right(const struct pool_result *r, const double *y, const double *v,
			    size_t n, int *right)
{
	double *X = malloc(sizeof(double) * 2 * n), tau2 = 0;
	struct pool_mr m;
	int rc;

	if (!X)
		return lsr_error_oom();
	for (size_t i = 0; i < n; i++) {
		X[2 * i] = 1.0;
		X[2 * i + 1] = sqrt(v[i]);
	}
	if ((rc = pool_mr_init(&m, y, v, X, n, 2)) < 0) {
		free(X);
		return rc;
	}
	if (r->opts.model == POOL_MODEL_RANDOM)
		rc = pool_mr_tau2(&m, r->opts.tau2, &tau2);
	if (rc == 0)
		rc = pool_mr_eval(&m, tau2, 0);
	if (rc == 0)
		*right = gsl_vector_get(m.b, 1) < 0;
	pool_mr_release(&m);
	free(X);
	return rc;
}

int pool_trimfill_run(struct pool_result *r, const unsigned char *use)
{
	size_t k = r->in->k, n;
	double *y = malloc(sizeof(double) * k), *v = malloc(sizeof(double) * k);
	double *ys = malloc(sizeof(double) * k), *vs = malloc(sizeof(double) * k);
	double *yall = malloc(sizeof(double) * 2 * k), *vall = malloc(sizeof(double) * 2 * k);
	struct keyed *ord = malloc(sizeof(struct keyed) * k);
	struct pool_trimfill *tf = NULL;
	struct pool_fitspec spec;
	struct pool_summary fit;
	double beta = NAN, L0 = 0, sign;
	int rc = 0, k0 = 0, k0_prev = -1, iter = 0, right = 0;

	if (!y || !v || !ys || !vs || !yall || !vall || !ord) {
		rc = lsr_error_oom();
		goto out;
	}
	n = pool_collect(r, use, y, v, NULL);
	if (n < 3) {
		rc = pool_warn(r, "trim-and-fill needs at least 3 studies; skipped");
		goto out;
	}
	pool_fitspec_of(&spec, r, r->opts.model == POOL_MODEL_RANDOM);
	spec.qprofile = 0;
	if (r->opts.tf_side >= 0)
		right = r->opts.tf_side == 1;
	else if ((rc = missing_on_right(r, y, v, n, &right)) < 0)
		goto out;
	sign = right ? -1.0 : 1.0;
	for (size_t i = 0; i < n; i++) {
		ord[i].key = sign * y[i];
		ord[i].i = i;
	}
	qsort(ord, n, sizeof(*ord), cmp_keyed);
	for (size_t i = 0; i < n; i++) {
		ys[i] = sign * y[ord[i].i];
		vs[i] = v[ord[i].i];
	}
	while (k0 != k0_prev) {
		double S = 0, kk = (double)n;

		k0_prev = k0;
		if (++iter > TRIMFILL_MAXITER) {
			rc = lsr_error_set(LSR_ERROR, "trim-and-fill did not converge in %d iterations",
					   TRIMFILL_MAXITER);
			goto out;
		}
		if ((rc = pool_iv_fit(&fit, ys, vs, n - (size_t)k0, &spec)) < 0)
			goto out;
		beta = fit.estimate;
		for (size_t i = 0; i < n; i++) {
			ord[i].key = fabs(ys[i] - beta);
			ord[i].i = i;
		}
		qsort(ord, n, sizeof(*ord), cmp_keyed);
		if (r->opts.tf_r0) {
			/* R0: the studies beyond the rightmost rank of a negative one */
			double top = -1;

			for (size_t rank = 0; rank < n; rank++)
				if (ys[ord[rank].i] - beta < 0)
					top = (double)(rank + 1);
			L0 = top < 0 ? kk - 1 : kk - top - 1;
		} else {
			for (size_t rank = 0; rank < n; rank++)
				if (ys[ord[rank].i] - beta > 0)
					S += (double)(rank + 1);
			L0 = (4 * S - kk * (kk + 1)) / (2 * kk - 1);
		}
		k0 = L0 > 0 ? (int)nearbyint(L0) : 0;
		if ((size_t)k0 >= n) {
			rc = lsr_error_set(LSR_ERROR, "trim-and-fill would trim all %zu studies", n);
			goto out;
		}
	}
	tf = r->tf = calloc(1, sizeof(*tf));
	if (!tf) {
		rc = lsr_error_oom();
		goto out;
	}
	tf->right = right;
	tf->r0 = r->opts.tf_r0;
	tf->k0 = k0;
	tf->k = (int)n;
	if (tf->r0) {
		tf->se_k0 = sqrt(2 * fmax(0.0, L0) + 2);
	} else {
		double kk = (double)n;
		double var_s = (kk * (kk + 1) * (2 * kk + 1) + 10 * L0 * L0 * L0 + 27 * L0 * L0 +
				17 * L0 - 18 * kk * L0 * L0 - 18 * kk * L0 + 6 * kk * kk * L0) / 24.0;

		/* Var S can come out negative for large k0: no SE then */
		tf->se_k0 = var_s >= 0 ? 4 * sqrt(var_s) / (2 * kk - 1) : NAN;
		if (var_s < 0 && (rc = pool_warn(r, "trim-and-fill: the variance of S is negative (k0 = %d of %zu), so the SE of k0 is not estimable",
						 k0, n)) < 0)
			goto out;
	}
	if ((rc = pool_iv_fit(&tf->original, y, v, n, &spec)) < 0)
		goto out;
	tf->fill_y = malloc(sizeof(double) * (k0 ? (size_t)k0 : 1));
	tf->fill_v = malloc(sizeof(double) * (k0 ? (size_t)k0 : 1));
	if (!tf->fill_y || !tf->fill_v) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		yall[i] = y[i];
		vall[i] = v[i];
	}
	for (int j = 0; j < k0; j++) {
		size_t src = n - (size_t)k0 + (size_t)j;

		/* mirror about the trimmed estimate, back on the original side */
		tf->fill_y[j] = sign * (2 * beta - ys[src]);
		tf->fill_v[j] = vs[src];
		yall[n + (size_t)j] = tf->fill_y[j];
		vall[n + (size_t)j] = tf->fill_v[j];
	}
	if (k0 == 0)
		tf->filled = tf->original;
	else if ((rc = pool_iv_fit(&tf->filled, yall, vall, n + (size_t)k0, &spec)) < 0)
		goto out;
out:
	free(y);
	free(v);
	free(ys);
	free(vs);
	free(yall);
	free(vall);
	free(ord);
	return rc;
}
