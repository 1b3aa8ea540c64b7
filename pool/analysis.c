/*
 * analysis.c - pool_run: checks the options against the data, computes the
 * per-study effects, runs the analysis by the chosen method and model
 * (choosing the model by the heterogeneity test when asked to), and the
 * extras: leave-one-out, subgroups, meta-regression, Egger, trim-and-fill.
 *
 * Every analysis of a subset of the studies (a subgroup, a leave-one-out
 * refit, the overall analysis) goes through pool_analyse with a mask, so
 * they all follow the same method, model and conventions.
 */
#include "pool_int.h"
#include "../util/err.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int pool_warn(struct pool_result *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = strv_vpushf(&r->warnings, fmt, ap);
	va_end(ap);
	return rc;
}

void pool_fitspec_of(struct pool_fitspec *spec, const struct pool_result *r, int random)
{
	spec->random = random;
	spec->tau2 = r->opts.tau2;
	spec->tau2_fixed = NAN;
	spec->ci = r->opts.ci;
	spec->level = r->opts.level;
	spec->qprofile = 1;
}

size_t pool_collect(const struct pool_result *r, const unsigned char *use,
		    double *y, double *v, size_t *idx)
{
	size_t n = 0;

	for (size_t i = 0; i < r->in->k; i++) {
		if (!use[i] || r->est[i].status != POOL_EST_INCLUDED)
			continue;
		y[n] = r->est[i].yi;
		v[n] = r->est[i].vi;
		if (idx)
			idx[n] = i;
		n++;
	}
	return n;
}

/* Inverse-variance random-effects pooling after Mantel-Haenszel: RevMan 5's
 * "M-H, Random" (DL with Q from the MH fit), or REML/PM on the per-study
 * estimates; Q, I2 and H2 stay the MH ones. */
static int mh_random(struct pool_summary *s, double *weights, const struct pool_result *r,
		     const double *y, const double *v, const size_t *idx, size_t n)
{
	struct pool_summary mh = *s;
	struct pool_fitspec spec;
	int rc;

	pool_fitspec_of(&spec, r, 1);
	spec.qprofile = 0;
	if (r->opts.tau2 == POOL_TAU2_DL && n > 1) {
		double sw = 0, sw2 = 0, c;

		for (size_t j = 0; j < n; j++) {
			sw += 1.0 / v[j];
			sw2 += 1.0 / (v[j] * v[j]);
		}
		c = sw - sw2 / sw;
		spec.tau2_fixed = fmax(0.0, (mh.Q - mh.df) / c);
	}
	if ((rc = pool_iv_fit(s, y, v, n, &spec)) < 0)
		return rc;
	s->Q = mh.Q;
	s->df = mh.df;
	s->p_Q = mh.p_Q;
	s->I2_from_Q = mh.I2_from_Q;
	/* as rma.mh reports them: from the MH Q (equal to the tau2-based
	 * values for DL when Q > df) */
	s->I2 = mh.I2;
	s->H2 = mh.H2;
	for (size_t i = 0; i < r->in->k; i++)
		weights[i] = NAN;
	for (size_t j = 0; j < n; j++)
		weights[idx[j]] = 1.0 / (v[j] + s->tau2);
	return 0;
}

int pool_analyse(struct pool_summary *s, double *weights, const struct pool_result *r,
		 const unsigned char *use, int random, int qprofile)
{
	size_t k = r->in->k, n;
	double *y = malloc(sizeof(double) * (k ? k : 1));
	double *v = malloc(sizeof(double) * (k ? k : 1));
	size_t *idx = malloc(sizeof(size_t) * (k ? k : 1));
	struct pool_fitspec spec;
	int rc = 0;

	if (!y || !v || !idx) {
		rc = lsr_error_oom();
		goto out;
	}
	n = pool_collect(r, use, y, v, idx);
	switch (r->opts.method) {
	case POOL_METHOD_IV:
		pool_fitspec_of(&spec, r, random);
		spec.qprofile = qprofile;
		if ((rc = pool_iv_fit(s, y, v, n, &spec)) < 0)
			goto out;
		for (size_t i = 0; i < k; i++)
			weights[i] = NAN;
		for (size_t j = 0; j < n; j++)
			weights[idx[j]] = 1.0 / (v[j] + (s->random ? s->tau2 : 0.0));
		break;
	case POOL_METHOD_MH:
		if ((rc = pool_mh_fit(s, weights, r->in, r->est, use, &r->opts)) < 0)
			goto out;
		if (random && n > 1)
			rc = mh_random(s, weights, r, y, v, idx, n);
		break;
	case POOL_METHOD_PETO:
		rc = pool_peto_fit(s, weights, r->est, use, k, r->opts.level);
		break;
	}
out:
	free(y);
	free(v);
	free(idx);
	return rc;
}

static int check_opts(const struct pool_input *in, const struct pool_opts *o)
{
	enum pool_data_type want = pool_measure_data_type(o->measure);
	static const char *const type_names[] = {
		"continuous data (mean1, sd1, n1, mean2, sd2, n2)",
		"binary data (events1, n1, events2, n2)",
		"generic data (yi and sei or vi)",
	};

	if (want != in->type)
		return lsr_error_set(LSR_EUSAGE, "--measure %s needs %s", pool_measure_name(o->measure),
				     type_names[want]);
	if (o->method == POOL_METHOD_MH && want != POOL_DATA_BIN)
		return lsr_error_set(LSR_EUSAGE, "Mantel-Haenszel pools binary data only (OR, RR, RD)");
	if (o->method == POOL_METHOD_PETO && o->measure != POOL_OR)
		return lsr_error_set(LSR_EUSAGE, "the Peto method estimates odds ratios only (--measure OR)");
	if (o->method == POOL_METHOD_PETO && o->model != POOL_MODEL_FIXED)
		return lsr_error_set(LSR_EUSAGE,
				     "the Peto method is fixed-effect only (RevMan offers no random-effects Peto): add --model fixed");
	if ((o->extras & POOL_SUBGROUPS) && (o->extras & POOL_MODERATOR))
		return lsr_error_set(LSR_EUSAGE,
				     "--subgroup and --moderator both report subgroups[]; run them one at a time");
	if ((o->extras & (POOL_SUBGROUPS | POOL_MODERATOR)) && !in->has_subgroups)
		return lsr_error_set(LSR_EUSAGE, "--%s needs a subgroup for every study (a 'subgroup' column)",
				     (o->extras & POOL_SUBGROUPS) ? "subgroup" : "moderator");
	if ((o->extras & POOL_METAREG) && (o->method != POOL_METHOD_IV || !in->nmods))
		return lsr_error_set(LSR_EUSAGE, in->nmods ? "meta-regression (--moderators) uses inverse-variance weights: use --method IV"
							   : "meta-regression needs moderators (--moderators COLUMN,...)");
	if ((o->extras & POOL_MODERATOR) && o->method != POOL_METHOD_IV)
		return lsr_error_set(LSR_EUSAGE,
				     "meta-regression (--moderator) uses inverse-variance weights: use --method IV");
	return 0;
}

/* One refit of a leave-one-out or cumulative analysis (row->omitted set):
 * one that cannot be made is a row of nulls with a warning. */
static int refit(struct pool_result *r, struct pool_loo_row *row, double *w,
		 const unsigned char *mask, const char *what)
{
	const char *lbl = r->in->studies[row->omitted].label;
	int rc = pool_analyse(&row->s, w, r, mask, r->opts.model == POOL_MODEL_RANDOM, 0);

	if (rc >= 0 || rc == LSR_ENOMEM)
		return rc;
	pool_summary_clear(&row->s);
	return pool_warn(r, "%s %s could not be computed (%s)", what, lbl ? lbl : "a study",
			 lsr_error_last());
}

/* Leave each pooled study out in turn. */
static int leave_one_out(struct pool_result *r, const unsigned char *use)
{
	size_t k = r->in->k, n = 0;
	unsigned char *mask = malloc(k);
	double *w = malloc(sizeof(double) * k);
	int rc = 0;

	if (!mask || !w) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < k; i++)
		n += use[i] && r->est[i].status == POOL_EST_INCLUDED;
	if (n < 2) {
		rc = pool_warn(r, "leave-one-out needs at least 2 studies; skipped");
		goto out;
	}
	r->loo = calloc(n, sizeof(*r->loo));
	if (!r->loo) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < k; i++) {
		if (!use[i] || r->est[i].status != POOL_EST_INCLUDED)
			continue;
		memcpy(mask, use, k);
		mask[i] = 0;
		r->loo[r->nloo].omitted = i;
		if ((rc = refit(r, &r->loo[r->nloo], w, mask, "leave-one-out without")) < 0)
			goto out;
		r->nloo++;
	}
out:
	free(mask);
	free(w);
	return rc;
}

/* No silent nulls: say why the pooled estimate or its interval is missing. */
static int warn_not_estimable(struct pool_result *r)
{
	const struct pool_summary *m = &r->main;

	if (!isfinite(m->estimate)) {
		if (r->opts.method == POOL_METHOD_MH && r->opts.conv == POOL_CONV_METAFOR &&
		    r->opts.measure != POOL_RD)
			return pool_warn(r, "the pooled %s is not estimable: one arm has no events in any study, and Mantel-Haenszel under the metafor convention adds no continuity correction to its sums (--convention revman5 adds 0.5 to zero cells)",
					 pool_measure_name(r->opts.measure));
		return pool_warn(r, "the pooled %s is not estimable from the %d %s with an estimate",
				 pool_measure_name(r->opts.measure), m->k, m->k == 1 ? "study" : "studies");
	}
	if (!isfinite(m->ci_lb) && !m->degenerate)
		return pool_warn(r, "the pooled %s has no confidence interval or test: its standard error is %s",
				 pool_measure_name(r->opts.measure),
				 m->se == 0 ? "0 (no variation within the studies, e.g. only studies without events)" : "not estimable");
	if (isnan(m->Q) && m->k > 1)
		pool_warn(r, "heterogeneity (Q, I2) is not estimable: no study has an estimate of its own");
	return 0;
}

enum addon { ADDON_MODERATOR, ADDON_EGGER, ADDON_TRIMFILL, ADDON_BEGG, ADDON_INFLUENCE,
	     ADDON_METAREG };

/*
 * An add-on (meta-regression, Egger, trim-and-fill) that cannot be
 * computed never takes the main result with it: its part of r is dropped
 * (null in the JSON) and a warning says why.  Only running out of memory
 * fails.
 */
static int addon(struct pool_result *r, int rc, enum addon which)
{
	static const char *const names[] = { "the meta-regression", "Egger's test", "trim-and-fill",
					     "Begg's test", "the influence diagnostics", "the meta-regression" };

	if (rc >= 0 || rc == LSR_ENOMEM)
		return rc;
	switch (which) {
	case ADDON_MODERATOR:
		if (r->mod)
			free(r->mod->levels);
		free(r->mod);
		r->mod = NULL;
		break;
	case ADDON_EGGER:
		free(r->egger);
		r->egger = NULL;
		break;
	case ADDON_TRIMFILL:
		if (r->tf) {
			free(r->tf->fill_y);
			free(r->tf->fill_v);
		}
		free(r->tf);
		r->tf = NULL;
		break;
	case ADDON_BEGG:
		free(r->begg);
		r->begg = NULL;
		break;
	case ADDON_INFLUENCE:
		free(r->infl);
	if (r->mreg)
		free(r->mreg->coef);
	free(r->mreg);
		r->infl = NULL;
		r->ninfl = 0;
		break;
	case ADDON_METAREG:
		if (r->mreg)
			free(r->mreg->coef);
		free(r->mreg);
		r->mreg = NULL;
		break;
	}
	return pool_warn(r, "%s could not be computed (%s); the main analysis stands", names[which],
			 lsr_error_last());
}

/*
 * A study with several rows would count its participants more than once in
 * a pooled estimate: refuse, naming it, unless POOL_ALLOW_REPEATED (then
 * warn).  With POOL_NO_TOTAL only rows in the same subgroup count, since
 * each subgroup is pooled on its own.
 */
static int check_repeated(struct pool_result *r)
{
	const struct pool_input *in = r->in;
	int by_subgroup = (r->opts.extras & POOL_NO_TOTAL) != 0;

	for (size_t i = 0; i < in->k; i++) {
		const struct pool_study *a = &in->studies[i];
		size_t times = 1;
		int seen = 0;

		if (!a->label)
			continue;
		for (size_t j = 0; j < in->k && !seen; j++) {
			const struct pool_study *b = &in->studies[j];

			if (j == i || !b->label || strcmp(a->label, b->label))
				continue;
			if (by_subgroup && (!a->subgroup || !b->subgroup || strcmp(a->subgroup, b->subgroup)))
				continue;
			if (j < i)
				seen = 1; /* reported at its first row */
			else
				times++;
		}
		if (seen || times == 1)
			continue;
		if (!(r->opts.extras & POOL_ALLOW_REPEATED))
			return lsr_error_set(LSR_EPARSE,
					     "study '%s' has %zu rows%s%s%s: pooling them would count its participants %zu times (one row per study, or allow repeated studies explicitly)",
					     a->label, times, by_subgroup ? " in subgroup '" : "",
					     by_subgroup ? a->subgroup : "", by_subgroup ? "'" : "", times);
		if (pool_warn(r, "study '%s' has %zu rows%s%s%s, all pooled: its participants count %zu times (repeated studies allowed)",
			      a->label, times, by_subgroup ? " in subgroup '" : "",
			      by_subgroup ? a->subgroup : "", by_subgroup ? "'" : "", times) < 0)
			return LSR_ENOMEM;
	}
	return 0;
}

struct order_key {
	double key;
	size_t i;
};

static int cmp_order(const void *pa, const void *pb)
{
	const struct order_key *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Cumulative meta-analysis (Lau et al. 1992; metafor's cumul()): the
 * pooled studies added one at a time, by their order key (stably), else
 * in input order, each step refitted with the analysis's method and model. */
static int cumulative(struct pool_result *r, const unsigned char *use)
{
	size_t k = r->in->k, n = 0;
	unsigned char *mask = calloc(k ? k : 1, 1);
	double *w = malloc(sizeof(double) * (k ? k : 1));
	struct order_key *ord = malloc(sizeof(*ord) * (k ? k : 1));
	int rc = 0;

	if (!mask || !w || !ord) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < k; i++) {
		if (!use[i] || r->est[i].status != POOL_EST_INCLUDED)
			continue;
		ord[n].key = isnan(r->in->studies[i].order) ? (double)i : r->in->studies[i].order;
		ord[n++].i = i;
	}
	qsort(ord, n, sizeof(*ord), cmp_order);
	if (!(r->cum = calloc(n ? n : 1, sizeof(*r->cum)))) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t j = 0; j < n; j++) {
		struct pool_loo_row *row = &r->cum[r->ncum];

		mask[ord[j].i] = 1;
		row->omitted = ord[j].i;
		if ((rc = refit(r, row, w, mask, "cumulative analysis up to")) < 0)
			goto out;
		r->ncum++;
	}
out:
	free(mask);
	free(w);
	free(ord);
	return rc;
}

/* Apply --exclude: the studies named are left out (and must exist). */
static int apply_exclude(struct pool_result *r, unsigned char *use)
{
	const struct pool_input *in = r->in;

	for (size_t j = 0; j < r->opts.nexclude; j++) {
		const char *name = r->opts.exclude[j];
		int found = 0;

		for (size_t i = 0; i < in->k; i++) {
			if (!in->studies[i].label || strcmp(in->studies[i].label, name))
				continue;
			found++;
			use[i] = 0;
			if (r->est[i].status == POOL_EST_INCLUDED)
				r->est[i].status = POOL_EST_EXCLUDED;
		}
		if (!found)
			return lsr_error_set(LSR_EUSAGE, "--exclude: no study is labelled '%s'", name);
		if (found > 1 && pool_warn(r, "excluding '%s' leaves out its %d rows", name, found) < 0)
			return LSR_ENOMEM;
	}
	return 0;
}

/* Copy the main analysis's weights into the studies, with percentages. */
static void set_weights(struct pool_result *r, const double *w)
{
	double sum = 0;

	for (size_t i = 0; i < r->in->k; i++)
		if (isfinite(w[i]))
			sum += w[i];
	for (size_t i = 0; i < r->in->k; i++) {
		r->est[i].weight = w[i];
		r->est[i].weight_pct = isfinite(w[i]) && sum > 0 ? 100.0 * w[i] / sum : NAN;
	}
}

int pool_run(struct pool_result **out, const struct pool_input *in,
	     const struct pool_opts *opts)
{
	struct pool_result *r;
	unsigned char *use = NULL;
	double *w = NULL;
	size_t k = in->k, n = 0;
	int rc;

	*out = NULL;
	if ((rc = check_opts(in, opts)) < 0)
		return rc;
	if (k == 0)
		return lsr_error_set(LSR_EPARSE, "no studies to pool");
	r = calloc(1, sizeof(*r));
	if (!r)
		return lsr_error_oom();
	r->in = in;
	r->opts = *opts;
	r->no_total = (opts->extras & POOL_NO_TOTAL) && (opts->extras & POOL_SUBGROUPS);
	r->opts.level = pool_level(opts->level);
	if (r->opts.ci == POOL_CI_UNSET)
		r->opts.ci = (opts->extras & (POOL_SUBGROUPS | POOL_MODERATOR)) ? POOL_CI_Z
									       : POOL_CI_HK_ADHOC;
	r->log_scale = opts->measure == POOL_OR || opts->measure == POOL_RR ||
		       (opts->measure == POOL_GIV && opts->log_scale != 0);
	r->opts.log_scale = r->log_scale;
	pool_summary_clear(&r->main);
	r->est = calloc(k, sizeof(*r->est));
	use = calloc(k, 1);
	w = calloc(k, sizeof(double));
	if (!r->est || !use || !w) {
		rc = lsr_error_oom();
		goto fail;
	}
	for (size_t i = 0; i < k; i++) {
		pool_effect_compute(&r->est[i], in, i, &r->opts);
		use[i] = 1;
	}
	if ((rc = check_repeated(r)) < 0 || (rc = apply_exclude(r, use)) < 0)
		goto fail;
	for (size_t i = 0; i < k; i++)
		if (r->est[i].status != POOL_EST_NOT_ESTIMABLE && r->est[i].J == 0 &&
		    (rc = pool_warn(r, "%s: RevMan 5's small-sample correction 1 - 3/(4N - 9) is 0 at N = 3, so its SMD is 0 whatever the means (--convention metafor uses the exact factor)",
				    in->studies[i].label ? in->studies[i].label : "a study")) < 0)
			goto fail;
	for (size_t i = 0; i < k; i++)
		n += use[i] && r->est[i].status == POOL_EST_INCLUDED;
	if (n == 0) {
		rc = lsr_error_set(LSR_EPARSE, "no estimable study among the %zu %s (%s)", k,
				   k == 1 ? "study" : "studies",
				   r->est[0].reason ? r->est[0].reason : "all excluded");
		goto fail;
	}
	if (opts->model == POOL_MODEL_AUTO) {
		struct pool_summary fe;

		pool_summary_clear(&fe);
		if ((rc = pool_analyse(&fe, w, r, use, 0, 0)) < 0)
			goto fail;
		r->auto_model = 1;
		r->auto_p = fe.p_Q;
		r->opts.model = fe.p_Q < 0.05 ? POOL_MODEL_RANDOM : POOL_MODEL_FIXED;
		pool_warn(r, "the model was chosen by the heterogeneity test (P %s 0.05: %s effect); the Cochrane Handbook (section 10.10.4.1) advises against choosing the model this way",
			  fe.p_Q < 0.05 ? "<" : ">=", fe.p_Q < 0.05 ? "random" : "fixed");
	}
	if (r->no_total) {
		/* subtotals only: the weights are the subgroups' own */
		pool_summary_clear(&r->main);
		r->main.k = (int)n;
		if ((rc = pool_subgroups_run(r, use)) < 0)
			goto fail;
		if (opts->extras & (POOL_LEAVE_ONE_OUT | POOL_MODERATOR | POOL_EGGER | POOL_TRIMFILL | POOL_BEGG |
				    POOL_CUMULATIVE | POOL_INFLUENCE | POOL_METAREG))
			pool_warn(r, "leave-one-out, cumulative analysis, influence diagnostics, meta-regression, Egger's, Begg's test and trim-and-fill need one row per study: skipped (the subgroups share studies)");
		goto done;
	}
	if ((rc = pool_analyse(&r->main, w, r, use, r->opts.model == POOL_MODEL_RANDOM, 1)) < 0)
		goto fail;
	set_weights(r, w);
	if (r->opts.method == POOL_METHOD_MH && r->opts.measure == POOL_OR &&
	    r->opts.conv == POOL_CONV_METAFOR) {
		struct pool_summary fe = r->main;

		if (r->main.random && (rc = pool_mh_fit(&fe, w, in, r->est, use, &r->opts)) < 0)
			goto fail;
		pool_mh_tests(r, use, exp(fe.estimate));
	}
	if (r->main.k == 1)
		pool_warn(r, "a single study: its own estimate, no heterogeneity");
	if ((rc = warn_not_estimable(r)) < 0)
		goto fail;
	if (r->main.degenerate)
		pool_warn(r, "Hartung-Knapp: all %d estimates are identical, so the standard error is 0 and the interval is degenerate (no CI or test); --ci hk-adhoc or --ci z gives one",
			  r->main.k);
	if ((opts->extras & POOL_LEAVE_ONE_OUT) && (rc = leave_one_out(r, use)) < 0)
		goto fail;
	if ((opts->extras & POOL_CUMULATIVE) && (rc = cumulative(r, use)) < 0)
		goto fail;
	if ((opts->extras & POOL_SUBGROUPS) && (rc = pool_subgroups_run(r, use)) < 0)
		goto fail;
	if ((opts->extras & POOL_MODERATOR) &&
	    (rc = addon(r, pool_moderator_run(r, use), ADDON_MODERATOR)) < 0)
		goto fail;
	if ((opts->extras & POOL_EGGER) && (rc = addon(r, pool_egger_run(r, use), ADDON_EGGER)) < 0)
		goto fail;
	if ((opts->extras & POOL_TRIMFILL) &&
	    (rc = addon(r, pool_trimfill_run(r, use), ADDON_TRIMFILL)) < 0)
		goto fail;
	if ((opts->extras & POOL_BEGG) && (rc = addon(r, pool_begg_run(r, use), ADDON_BEGG)) < 0)
		goto fail;
	if ((opts->extras & POOL_METAREG) &&
	    (rc = addon(r, pool_metareg_run(r, use), ADDON_METAREG)) < 0)
		goto fail;
	if ((opts->extras & POOL_INFLUENCE) &&
	    (rc = addon(r, pool_influence_run(r, use), ADDON_INFLUENCE)) < 0)
		goto fail;
done:
	free(use);
	free(w);
	*out = r;
	return 0;
fail:
	free(use);
	free(w);
	pool_result_free(r);
	return rc;
}

void pool_result_free(struct pool_result *r)
{
	if (!r)
		return;
	free(r->est);
	free(r->sub);
	if (r->mod)
		free(r->mod->levels);
	free(r->mod);
	free(r->loo);
	free(r->cum);
	free(r->infl);
	if (r->mreg)
		free(r->mreg->coef);
	free(r->mreg);
	free(r->egger);
	if (r->tf) {
		free(r->tf->fill_y);
		free(r->tf->fill_v);
	}
	free(r->tf);
	free(r->begg);
	strv_release(&r->warnings);
	free(r);
}
