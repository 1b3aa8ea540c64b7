/*
 * subgroup.c - subgroup analyses the RevMan way and metafor's alternative,
 * a meta-regression on the subgroup as a categorical moderator.
 *
 * RevMan (Deeks, Higgins & Altman, Cochrane Handbook section 10.11.3.1):
 * every subgroup is analysed on its own (with its own tau2 in a
 * random-effects analysis); the test for subgroup differences is Cochran's
 * Q across the subgroup estimates with weights 1/SE^2, df = J - 1; the
 * total pools all studies ignoring subgroups.  Subgroups that share
 * studies (time points) get subtotals only: no total, no test, and each
 * study's weight is its share of its subgroup.
 *
 * metafor: rma(yi, vi, mods = ~ factor(subgroup)), one residual tau2 for
 * all subgroups, QM the Wald test that the subgroup means are equal, QE the
 * residual heterogeneity, R2 the proportional reduction of tau2 against
 * the model without moderator.  The model is fitted in cell-means coding
 * (one indicator per subgroup), where (X'WX)^-1 is diagonal: the subgroup
 * estimates are the coefficients, and QM = sum (b_j - b)^2 / Var b_j with
 * b their inverse-variance average, which is the intercept-coding Wald test.
 */
#include "pool_int.h"
#include "../util/err.h"

#include <gsl/gsl_cdf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The distinct subgroup labels of the studies with keep[i] (all when keep is
 * NULL), in order of first appearance; *nout of them; group[i] receives
 * the index of study i's label (or SIZE_MAX). */
static int subgroup_labels(const char ***out, size_t *nout, size_t *group,
			   const struct pool_input *in, const unsigned char *keep)
{
	const char **labels = malloc(sizeof(char *) * (in->k ? in->k : 1));
	size_t n = 0;

	*out = NULL;
	*nout = 0;
	if (!labels)
		return lsr_error_oom();
	for (size_t i = 0; i < in->k; i++) {
		const char *s = in->studies[i].subgroup;
		size_t j;

		group[i] = SIZE_MAX;
		if ((keep && !keep[i]) || !s)
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(labels[j], s))
				break;
		if (j == n)
			labels[n++] = s;
		group[i] = j;
	}
	*out = labels;
	*nout = n;
	return 0;
}

/* Without a total, each study's weight is its share of its subgroup. */
static void subgroup_weights(struct pool_result *r, const unsigned char *mask, const double *w)
{
	double sum = 0;

	for (size_t i = 0; i < r->in->k; i++)
		if (mask[i] && isfinite(w[i]))
			sum += w[i];
	for (size_t i = 0; i < r->in->k; i++) {
		if (!mask[i])
			continue;
		r->est[i].weight = w[i];
		r->est[i].weight_pct = isfinite(w[i]) && sum > 0 ? 100.0 * w[i] / sum : NAN;
	}
}

int pool_subgroups_run(struct pool_result *r, const unsigned char *use)
{
	const struct pool_input *in = r->in;
	size_t k = in->k, *group = malloc(sizeof(size_t) * k);
	unsigned char *mask = malloc(k);
	double *w = malloc(sizeof(double) * k);
	const char **labels = NULL;
	struct pool_subgroup_test *t = &r->subtest;
	double sW = 0, sWT = 0, sQ = 0;
	size_t nsub;
	int rc, J = 0;

	if (!group || !mask || !w) {
		rc = lsr_error_oom();
		goto out;
	}
	if ((rc = subgroup_labels(&labels, &nsub, group, in, NULL)) < 0)
		goto out;
	r->sub = calloc(nsub ? nsub : 1, sizeof(*r->sub));
	if (!r->sub) {
		rc = lsr_error_oom();
		goto out;
	}
	r->nsub = nsub;
	for (size_t j = 0; j < nsub; j++) {
		struct pool_summary *s = &r->sub[j].s;

		r->sub[j].label = labels[j];
		for (size_t i = 0; i < k; i++)
			mask[i] = use[i] && group[i] == j;
		if ((rc = pool_analyse(s, w, r, mask, r->opts.model == POOL_MODEL_RANDOM, 1)) < 0)
			goto out;
		if (r->no_total)
			subgroup_weights(r, mask, w);
		if (!isfinite(s->estimate) || !(s->se > 0))
			continue;
		sW += 1.0 / (s->se * s->se);
		sWT += s->estimate / (s->se * s->se);
		sQ += isfinite(s->Q) ? s->Q : 0.0;
		J++;
	}
	t->Q = t->df = t->p = t->I2 = t->pooled = t->pooled_se = NAN;
	t->Q_total_minus_within = NAN;
	if (r->no_total)
		goto out; /* the subgroups share studies: no test between them */
	if (J < 2) {
		rc = pool_warn(r, "fewer than two subgroups with an estimate: no test for subgroup differences");
		goto out;
	}
	t->pooled = sWT / sW;
	t->pooled_se = 1.0 / sqrt(sW);
	t->Q = 0;
	for (size_t j = 0; j < nsub; j++) {
		const struct pool_summary *s = &r->sub[j].s;

		if (isfinite(s->estimate) && s->se > 0)
			t->Q += (s->estimate - t->pooled) * (s->estimate - t->pooled) / (s->se * s->se);
	}
	t->df = J - 1;
	t->p = pool_p_chisq(t->Q, t->df);
	t->I2 = t->Q > t->df ? 100.0 * (t->Q - t->df) / t->Q : 0.0;
	if (r->opts.model == POOL_MODEL_FIXED)
		t->Q_total_minus_within = r->main.Q - sQ;
out:
	free(labels);
	free(group);
	free(mask);
	free(w);
	return rc;
}

/* R2 of metafor's default (r2def "1"): the proportional reduction of tau2,
 * or for a fixed-effect model the adjusted R^2 of the weighted regression. */
static int moderator_r2(struct pool_result *r, const double *y, const double *v, size_t n,
			size_t p, double rss_fe)
{
	struct pool_moderator *md = r->mod;
	struct pool_mr m0;
	double tau2_re = 0;
	int rc;

	md->R2 = NAN;
	if ((rc = pool_mr_init(&m0, y, v, NULL, n, 1)) < 0)
		return rc;
	if (r->opts.model == POOL_MODEL_FIXED) {
		/* weighted least squares: total SS around the weighted mean */
		if ((rc = pool_mr_eval(&m0, 0.0, 0)) == 0 && m0.rss > 0 && n > p)
			md->R2 = fmax(0.0, 100.0 * (1.0 - (rss_fe / m0.rss) * (double)(n - 1) / (double)(n - p)));
		else if (rc == 0)
			md->R2 = 0;
	} else if ((rc = pool_mr_tau2(&m0, r->opts.tau2, &tau2_re)) == 0) {
		md->R2 = tau2_re > 0 ? fmax(0.0, 100.0 * (tau2_re - md->tau2) / tau2_re) : 0.0;
	}
	pool_mr_release(&m0);
	return rc;
}

int pool_moderator_run(struct pool_result *r, const unsigned char *use)
{
	const struct pool_input *in = r->in;
	size_t k = in->k, n, p, *group = malloc(sizeof(size_t) * k), *idx = malloc(sizeof(size_t) * k);
	double *y = malloc(sizeof(double) * k), *v = malloc(sizeof(double) * k), *X = NULL;
	unsigned char *keep = malloc(k);
	const char **labels = NULL;
	struct pool_moderator *md;
	struct pool_mr m;
	double s2typ, sW = 0, sWB = 0, scale = 1, crit, rss_fe;
	int rc, have_m = 0;

	if (!group || !idx || !y || !v || !keep) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < k; i++)
		keep[i] = use[i] && r->est[i].status == POOL_EST_INCLUDED;
	n = pool_collect(r, use, y, v, idx);
	if ((rc = subgroup_labels(&labels, &p, group, in, keep)) < 0)
		goto out;
	if (p < 2) {
		rc = pool_warn(r, "the moderator has fewer than two levels with an estimate: no meta-regression");
		goto out;
	}
	if (n <= p) {
		/* metafor refuses too: nothing is left to estimate the fit */
		rc = lsr_error_set(LSR_ERROR, "%zu parameters for %zu studies leave nothing to estimate the fit with",
				   p, n);
		goto out;
	}
	X = calloc(n * p, sizeof(double));
	md = r->mod = calloc(1, sizeof(*md));
	if (!X || !md || !(md->levels = calloc(p, sizeof(*md->levels)))) {
		rc = lsr_error_oom();
		goto out;
	}
	md->nlevels = p;
	for (size_t j = 0; j < n; j++)
		X[j * p + group[idx[j]]] = 1.0;
	if ((rc = pool_mr_init(&m, y, v, X, n, p)) < 0)
		goto out;
	have_m = 1;
	/* residual heterogeneity, fixed-effect weights */
	if ((rc = pool_mr_eval(&m, 0.0, 1)) < 0)
		goto out;
	rss_fe = m.rss;
	md->QE = m.rss;
	md->QE_df = (double)n - (double)p;
	md->QE_p = pool_p_chisq(md->QE, md->QE_df);
	s2typ = md->QE_df > 0 ? md->QE_df / m.trP : NAN;
	md->tau2 = 0;
	if (r->opts.model != POOL_MODEL_FIXED && (rc = pool_mr_tau2(&m, r->opts.tau2, &md->tau2)) < 0)
		goto out;
	if (r->opts.model == POOL_MODEL_FIXED)
		md->I2 = md->QE_df > 0 ? fmax(0.0, 100.0 * (md->QE - md->QE_df) / md->QE) : NAN;
	else
		md->I2 = 100.0 * md->tau2 / (md->tau2 + s2typ);
	if ((rc = pool_mr_eval(&m, md->tau2, 0)) < 0)
		goto out;
	md->tdist = r->opts.model != POOL_MODEL_FIXED && r->opts.ci != POOL_CI_Z && md->QE_df > 0;
	if (md->tdist) {
		scale = pool_ci_scale(r->opts.ci, m.rss / md->QE_df);
		md->df_t = md->QE_df;
		crit = pool_t_crit(md->df_t, r->opts.level);
	} else {
		md->df_t = NAN;
		crit = pool_z_crit(r->opts.level);
	}
	for (size_t j = 0; j < p; j++) {
		struct pool_mod_level *l = &md->levels[j];
		double var = scale * gsl_matrix_get(m.A, j, j);

		l->label = labels[j];
		l->estimate = gsl_vector_get(m.b, j);
		l->se = sqrt(var);
		l->stat = l->estimate / l->se;
		l->p = md->tdist ? pool_p_t(l->stat, md->df_t) : pool_p_z(l->stat);
		l->ci_lb = l->estimate - crit * l->se;
		l->ci_ub = l->estimate + crit * l->se;
		sW += 1.0 / var;
		sWB += l->estimate / var;
	}
	md->QM = 0;
	for (size_t j = 0; j < p; j++) {
		double d = md->levels[j].estimate - sWB / sW;

		md->QM += d * d / (md->levels[j].se * md->levels[j].se);
	}
	md->QM_df = (double)p - 1;
	md->QM_df2 = NAN;
	if (md->tdist) {
		md->QM /= md->QM_df;
		md->QM_df2 = md->QE_df;
		md->QM_p = gsl_cdf_fdist_Q(md->QM, md->QM_df, md->QM_df2);
	} else {
		md->QM_p = pool_p_chisq(md->QM, md->QM_df);
	}
	rc = moderator_r2(r, y, v, n, p, rss_fe);
out:
	if (have_m)
		pool_mr_release(&m);
	free(X);
	free(labels);
	free(group);
	free(idx);
	free(y);
	free(v);
	free(keep);
	return rc;
}

int pool_subgroups_share_studies(const struct pool_input *in)
{
	for (size_t i = 0; in->has_subgroups && i < in->k; i++)
		for (size_t j = i + 1; j < in->k; j++) {
			const struct pool_study *a = &in->studies[i], *b = &in->studies[j];

			if (a->label && b->label && !strcmp(a->label, b->label) && a->subgroup &&
			    b->subgroup && strcmp(a->subgroup, b->subgroup))
				return 1;
		}
	return 0;
}
