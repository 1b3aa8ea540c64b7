/*
 * json.c - a pool_result as JSON: shaped as one element of the analyses[]
 * array of the reference cases the tests compare with (tests/unit/pool/
 * test_reference.c reads them by these names), plus a schema_version key.  Numbers that do not apply
 * are null.  docs/cmd/lsr-pool.md documents every field.
 */
#include "pool_int.h"

#include <string.h>

#define POOL_JSON_SCHEMA 1

static json_t *jnum(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *jint(double x)
{
	return isfinite(x) ? json_integer((json_int_t)x) : json_null();
}

static json_t *jpair(const double x[2])
{
	if (!isfinite(x[0]) || !isfinite(x[1]))
		return json_null();
	return json_pack("[o, o]", json_real(x[0]), json_real(x[1]));
}

static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
}

/* exp_estimate, exp_ci_lb, exp_ci_ub: the back-transformed ratios */
static void set_exp(json_t *o, double est, double lb, double ub)
{
	set(o, "exp_estimate", jnum(exp(est)));
	set(o, "exp_ci_lb", jnum(exp(lb)));
	set(o, "exp_ci_ub", jnum(exp(ub)));
}

/* z or t (with df_t) and the p-value */
static void set_test(json_t *o, const struct pool_summary *s, int with_crit)
{
	if (s->ci != POOL_CI_Z) {
		set(o, "t", jnum(s->stat));
		set(o, "df_t", jint(s->df_t));
	} else {
		set(o, "z", jnum(s->stat));
	}
	if (with_crit)
		set(o, "crit", jnum(s->crit));
	set(o, "p", jnum(s->p));
}

static const char *model_label(const struct pool_result *r)
{
	return r->opts.model == POOL_MODEL_RANDOM ? pool_tau2_name(r->opts.tau2) : "FE";
}

static json_t *pooled_json(const struct pool_summary *s, int lg)
{
	json_t *o = json_object();

	set(o, "estimate", jnum(s->estimate));
	set(o, "se", jnum(s->se));
	set(o, "ci_lb", jnum(s->ci_lb));
	set(o, "ci_ub", jnum(s->ci_ub));
	set_test(o, s, 1);
	if (s->random) {
		set(o, "pi_lb", jnum(s->pi_lb));
		set(o, "pi_ub", jnum(s->pi_ub));
		set(o, "pi_method", json_string(s->ci != POOL_CI_Z ? "estimate +/- t(k-1) * sqrt(se^2 + tau2)"
								  : "estimate +/- z * sqrt(se^2 + tau2)"));
		if (s->ci == POOL_CI_Z) {
			set(o, "pi_t_km2_lb", jnum(s->pi_t_lb));
			set(o, "pi_t_km2_ub", jnum(s->pi_t_ub));
		}
	}
	if (lg) {
		set_exp(o, s->estimate, s->ci_lb, s->ci_ub);
		if (s->random) {
			set(o, "exp_pi_lb", jnum(exp(s->pi_lb)));
			set(o, "exp_pi_ub", jnum(exp(s->pi_ub)));
			if (s->ci == POOL_CI_Z) {
				set(o, "exp_pi_t_km2_lb", jnum(exp(s->pi_t_lb)));
				set(o, "exp_pi_t_km2_ub", jnum(exp(s->pi_t_ub)));
			}
		}
	}
	return o;
}

static json_t *hetero_json(const struct pool_summary *s)
{
	json_t *o = json_object();
	double tau_ci[2] = { sqrt(s->tau2_ci[0]), sqrt(s->tau2_ci[1]) };

	set(o, "k", json_integer(s->k));
	set(o, "Q", jnum(s->Q));
	set(o, "df", jint(s->df));
	set(o, "p_Q", jnum(s->p_Q));
	set(o, "I2", jnum(s->I2));
	set(o, "H2", jnum(s->H2));
	set(o, "tau2", jnum(s->tau2));
	set(o, "tau", jnum(sqrt(s->tau2)));
	set(o, "I2_from_Q", jnum(s->I2_from_Q));
	if (isfinite(s->tau2_ci[0])) {
		set(o, "tau2_ci_qprofile", jpair(s->tau2_ci));
		set(o, "tau_ci_qprofile", jpair(tau_ci));
		set(o, "I2_ci_qprofile", jpair(s->I2_ci));
		set(o, "H2_ci_qprofile", jpair(s->H2_ci));
	}
	if (isfinite(s->tau2_ci_pl[0])) {
		double tau_pl[2] = { sqrt(s->tau2_ci_pl[0]), sqrt(s->tau2_ci_pl[1]) };

		set(o, "tau2_ci_pl", jpair(s->tau2_ci_pl));
		set(o, "tau_ci_pl", jpair(tau_pl));
	}
	return o;
}

/* A subgroup, the overall line, or a leave-one-out row: estimate and
 * heterogeneity in one flat object. */
static json_t *row_json(const struct pool_summary *s, int lg, int null_fe_tau2)
{
	json_t *o = json_object();

	set(o, "k", json_integer(s->k));
	set(o, "estimate", jnum(s->estimate));
	set(o, "se", jnum(s->se));
	set(o, "ci_lb", jnum(s->ci_lb));
	set(o, "ci_ub", jnum(s->ci_ub));
	set_test(o, s, 0);
	set(o, "Q", jnum(s->Q));
	set(o, "df", jint(s->df));
	set(o, "p_Q", jnum(s->p_Q));
	set(o, "I2", jnum(s->I2));
	set(o, "H2", jnum(s->H2));
	set(o, "I2_from_Q", jnum(s->I2_from_Q));
	set(o, "tau2", null_fe_tau2 && !s->random ? json_null() : jnum(s->tau2));
	set(o, "tau", null_fe_tau2 && !s->random ? json_null() : jnum(sqrt(s->tau2)));
	if (s->random) {
		set(o, "pi_lb", jnum(s->pi_lb));
		set(o, "pi_ub", jnum(s->pi_ub));
	}
	if (lg)
		set_exp(o, s->estimate, s->ci_lb, s->ci_ub);
	return o;
}

static json_t *study_json(const struct pool_result *r, size_t i)
{
	const struct pool_study *st = &r->in->studies[i];
	const struct pool_est *e = &r->est[i];
	json_t *o = json_object();
	int lg = r->log_scale, est = e->status != POOL_EST_NOT_ESTIMABLE;

	set(o, "study", json_string(st->label ? st->label : ""));
	if (st->subgroup)
		set(o, "subgroup", json_string(st->subgroup));
	set(o, "included", json_boolean(e->status == POOL_EST_INCLUDED));
	set(o, "yi", jnum(est ? e->yi : NAN));
	set(o, "vi", jnum(est ? e->vi : NAN));
	set(o, "sei", jnum(est ? sqrt(e->vi) : NAN));
	set(o, "ci_lb", jnum(est ? e->ci_lb : NAN));
	set(o, "ci_ub", jnum(est ? e->ci_ub : NAN));
	if (lg) {
		set(o, "exp_yi", jnum(est ? exp(e->yi) : NAN));
		set(o, "exp_ci_lb", jnum(est ? exp(e->ci_lb) : NAN));
		set(o, "exp_ci_ub", jnum(est ? exp(e->ci_ub) : NAN));
	}
	if (r->in->type == POOL_DATA_BIN) {
		set(o, "cc_applied", json_boolean(e->cc));
		set(o, "excluded_not_estimable", json_boolean(e->status == POOL_EST_NOT_ESTIMABLE));
	}
	if (r->opts.method == POOL_METHOD_PETO) {
		set(o, "O_minus_E", jnum(e->o_minus_e));
		set(o, "V", jnum(e->v_peto));
	}
	if (r->opts.measure == POOL_SMD) {
		set(o, "J", jnum(e->J));
		set(o, "d_unbiased_before_J", jnum(e->d));
		set(o, "s_pooled", jnum(e->s_pooled));
	}
	set(o, "weight", jnum(e->weight));
	set(o, "weight_pct", jnum(e->weight_pct));
	if (e->status == POOL_EST_EXCLUDED)
		set(o, "excluded", json_string("left out by --exclude"));
	if (e->reason)
		set(o, "not_estimable_reason", json_string(e->reason));
	return o;
}

static void add_subgroups(json_t *root, const struct pool_result *r)
{
	const struct pool_subgroup_test *t = &r->subtest;
	json_t *arr = json_array(), *test = json_object();

	for (size_t j = 0; j < r->nsub; j++) {
		json_t *o = row_json(&r->sub[j].s, r->log_scale, 0);

		json_object_set_new(o, "subgroup", json_string(r->sub[j].label));
		json_array_append_new(arr, o);
	}
	set(root, "subgroups", arr);
	set(test, "Q_between", jnum(t->Q));
	set(test, "df", jint(t->df));
	set(test, "p", jnum(t->p));
	set(test, "I2", jnum(t->I2));
	set(test, "pooled_of_subgroups", jnum(t->pooled));
	set(test, "pooled_of_subgroups_se", jnum(t->pooled_se));
	if (r->opts.model == POOL_MODEL_FIXED)
		set(test, "Q_total_minus_sum_Q_within", jnum(t->Q_total_minus_within));
	if (r->no_total) {
		json_decref(test);
		set(root, "subgroup_test", json_null());
		set(root, "overall", json_null());
		return;
	}
	set(root, "subgroup_test", test);
	set(root, "overall", row_json(&r->main, r->log_scale, 0));
}

static void add_moderator(json_t *root, const struct pool_result *r)
{
	const struct pool_moderator *m = r->mod;
	json_t *arr = json_array();

	set(root, "QM", jnum(m->QM));
	set(root, "QM_df", jint(m->QM_df));
	if (m->tdist)
		set(root, "QM_df2", jint(m->QM_df2));
	set(root, "QM_p", jnum(m->QM_p));
	set(root, "QE_residual", jnum(m->QE));
	set(root, "QE_df", jint(m->QE_df));
	set(root, "QE_p", jnum(m->QE_p));
	set(root, "tau2_residual", jnum(m->tau2));
	set(root, "I2_residual", jnum(m->I2));
	set(root, "R2", jnum(m->R2));
	for (size_t j = 0; j < m->nlevels; j++) {
		const struct pool_mod_level *l = &m->levels[j];
		json_t *o = json_object();

		set(o, "subgroup", json_string(l->label));
		set(o, "estimate", jnum(l->estimate));
		set(o, "se", jnum(l->se));
		set(o, "ci_lb", jnum(l->ci_lb));
		set(o, "ci_ub", jnum(l->ci_ub));
		if (m->tdist) {
			set(o, "t", jnum(l->stat));
			set(o, "df_t", jint(m->df_t));
		} else {
			set(o, "z", jnum(l->stat));
		}
		set(o, "p", jnum(l->p));
		if (r->log_scale)
			set_exp(o, l->estimate, l->ci_lb, l->ci_ub);
		json_array_append_new(arr, o);
	}
	set(root, "subgroups", arr);
}

/* leave-one-out rows ("omitted") or cumulative ones ("added") */
static json_t *loo_json(const struct pool_result *r, const struct pool_loo_row *rows_in, size_t n,
			const char *key)
{
	json_t *rows = json_array(), *o = json_object(), *wrap = json_object();

	for (size_t j = 0; j < n; j++) {
		json_t *row = row_json(&rows_in[j].s, r->log_scale, 1);
		const char *lbl = r->in->studies[rows_in[j].omitted].label;

		json_object_set_new(row, key, json_string(lbl ? lbl : ""));
		json_array_append_new(rows, row);
	}
	set(o, "rows", rows);
	set(wrap, model_label(r), o);
	return wrap;
}

static json_t *metareg_json(const struct pool_result *r)
{
	const struct pool_metareg *g = r->mreg;
	json_t *o = json_object(), *coefs = json_array(), *mods = json_array();

	for (size_t j = 0; j < r->in->nmods; j++)
		json_array_append_new(mods, json_string(r->in->mod_names[j]));
	set(o, "moderators", mods);
	set(o, "k", json_integer(g->k));
	set(o, "QM", jnum(g->QM));
	set(o, "QM_df", jint(g->QM_df));
	if (g->tdist)
		set(o, "QM_df2", jint(g->QM_df2));
	set(o, "QM_p", jnum(g->QM_p));
	set(o, "QE_residual", jnum(g->QE));
	set(o, "QE_df", jint(g->QE_df));
	set(o, "QE_p", jnum(g->QE_p));
	set(o, "tau2_residual", jnum(g->tau2));
	set(o, "I2_residual", jnum(g->I2));
	set(o, "R2", jnum(g->R2));
	for (size_t j = 0; j < g->ncoef; j++) {
		const struct pool_coef *c = &g->coef[j];
		json_t *row = json_object();

		set(row, "name", json_string(c->name));
		set(row, "estimate", jnum(c->estimate));
		set(row, "se", jnum(c->se));
		if (g->tdist) {
			set(row, "t", jnum(c->stat));
			set(row, "df_t", jint(g->df_t));
		} else {
			set(row, "z", jnum(c->stat));
		}
		set(row, "p", jnum(c->p));
		set(row, "ci_lb", jnum(c->ci_lb));
		set(row, "ci_ub", jnum(c->ci_ub));
		json_array_append_new(coefs, row);
	}
	set(o, "coefficients", coefs);
	return o;
}

static json_t *influence_json(const struct pool_result *r)
{
	json_t *rows = json_array(), *o = json_object(), *wrap = json_object();

	for (size_t j = 0; j < r->ninfl; j++) {
		const struct pool_influence *f = &r->infl[j];
		const char *lbl = r->in->studies[f->study].label;
		json_t *row = json_object();

		set(row, "study", json_string(lbl ? lbl : ""));
		set(row, "rstudent", jnum(f->rstudent));
		set(row, "dffits", jnum(f->dffits));
		set(row, "cook_d", jnum(f->cook_d));
		set(row, "cov_r", jnum(f->cov_r));
		set(row, "tau2_del", jnum(f->tau2_del));
		set(row, "QE_del", jnum(f->QE_del));
		set(row, "hat", jnum(f->hat));
		set(row, "weight", jnum(f->weight));
		set(row, "dfbs", jnum(f->dfbs));
		set(row, "influential", json_boolean(f->influential));
		json_array_append_new(rows, row);
	}
	set(o, "rows", rows);
	set(wrap, model_label(r), o);
	return wrap;
}

static json_t *egger_json(const struct pool_result *r)
{
	const struct pool_egger *e = r->egger;
	json_t *c = json_object(), *m = json_object(), *wrap = json_object();
	char key[32];

	set(c, "k", json_integer(e->k));
	set(c, "bias", jnum(e->bias));
	set(c, "bias_se", jnum(e->bias_se));
	set(c, "t", jnum(e->t));
	set(c, "df", jint(e->df));
	set(c, "p", jnum(e->p));
	set(c, "limit_estimate", jnum(e->limit));
	set(c, "limit_ci_lb", jnum(e->limit_lb));
	set(c, "limit_ci_ub", jnum(e->limit_ub));
	set(c, "snd_regression", json_pack("{s:o, s:o, s:o, s:o}",
					   "intercept", jnum(e->snd_intercept),
					   "intercept_se", jnum(e->snd_intercept_se),
					   "slope", jnum(e->snd_slope),
					   "slope_se", jnum(e->snd_slope_se)));
	set(m, "k", json_integer(e->k));
	set(m, "bias", jnum(e->m_bias));
	set(m, "bias_se", jnum(e->m_bias_se));
	if (e->m_tdist) {
		set(m, "t", jnum(e->m_stat));
		set(m, "df", jint(e->m_df));
	} else {
		set(m, "z", jnum(e->m_stat));
	}
	set(m, "p", jnum(e->m_p));
	set(m, "limit_estimate", jnum(e->m_limit));
	set(m, "limit_ci_lb", jnum(e->m_limit_lb));
	set(m, "limit_ci_ub", jnum(e->m_limit_ub));
	set(m, "tau2_residual", jnum(e->m_tau2));
	set(wrap, "classic_lm", c);
	snprintf(key, sizeof(key), "rma_%s", model_label(r));
	set(wrap, key, m);
	return wrap;
}

static json_t *trimfill_json(const struct pool_result *r)
{
	const struct pool_trimfill *t = r->tf;
	json_t *o = json_object(), *orig = json_object(), *pooled = json_object();
	json_t *fill = json_array(), *het = json_object(), *wrap = json_object();
	int lg = r->log_scale;

	set(o, "side", json_string(t->right ? "right" : "left"));
	set(o, "estimator", json_string(t->r0 ? "R0" : "L0"));
	set(o, "k0", json_integer(t->k0));
	set(o, "se_k0", jnum(t->se_k0));
	set(o, "k_original", json_integer(t->k));
	set(o, "k_filled_total", json_integer(t->k + t->k0));
	set(orig, "estimate", jnum(t->original.estimate));
	set(orig, "se", jnum(t->original.se));
	set(orig, "ci_lb", jnum(t->original.ci_lb));
	set(orig, "ci_ub", jnum(t->original.ci_ub));
	set(pooled, "estimate", jnum(t->filled.estimate));
	set(pooled, "se", jnum(t->filled.se));
	set(pooled, "ci_lb", jnum(t->filled.ci_lb));
	set(pooled, "ci_ub", jnum(t->filled.ci_ub));
	set_test(pooled, &t->filled, 0);
	if (lg) {
		set_exp(orig, t->original.estimate, t->original.ci_lb, t->original.ci_ub);
		set_exp(pooled, t->filled.estimate, t->filled.ci_lb, t->filled.ci_ub);
	}
	for (int j = 0; j < t->k0; j++)
		json_array_append_new(fill, json_pack("{s:o, s:o}", "yi", jnum(t->fill_y[j]),
						      "vi", jnum(t->fill_v[j])));
	set(het, "Q", jnum(t->filled.Q));
	set(het, "df", jint(t->filled.df));
	set(het, "p_Q", jnum(t->filled.p_Q));
	set(het, "tau2", jnum(t->filled.tau2));
	set(het, "I2", jnum(t->filled.I2));
	set(o, "original", orig);
	set(o, "filled_studies", fill);
	set(o, "pooled", pooled);
	set(o, "heterogeneity", het);
	set(wrap, model_label(r), o);
	return wrap;
}

json_t *pool_result_json(const struct pool_result *r)
{
	json_t *root = json_object(), *studies = json_array(), *warn = json_array();
	const struct pool_opts *o = &r->opts;
	int random = o->model == POOL_MODEL_RANDOM;

	if (!root || !studies || !warn) {
		json_decref(root);
		json_decref(studies);
		json_decref(warn);
		return NULL;
	}
	set(root, "schema_version", json_integer(POOL_JSON_SCHEMA));
	set(root, "measure", json_string(pool_measure_name(o->measure)));
	set(root, "scale", json_string(r->log_scale ? "log" : "identity"));
	set(root, "method", json_string(pool_method_name(o->method)));
	set(root, "model", json_string(random ? "random" : "fixed"));
	set(root, "tau2_method", random ? json_string(pool_tau2_name(o->tau2)) : json_null());
	set(root, "ci_method", json_string(pool_ci_metafor_name(r->main.ci)));
	if (r->main.ci == POOL_CI_HK || r->main.ci == POOL_CI_HK_ADHOC)
		set(root, "hk_q", jnum(r->main.hk_q));
	if (r->main.degenerate)
		set(root, "ci_degenerate", json_true());
	set(root, "convention", json_string(pool_conv_name(o->conv)));
	set(root, "level", json_real(o->level));
	if (r->auto_model)
		set(root, "model_chosen_by", json_pack("{s:s, s:o}", "rule",
						       "random effects when the heterogeneity p < 0.05",
						       "p_Q", jnum(r->auto_p)));
	for (size_t i = 0; i < r->in->k; i++)
		json_array_append_new(studies, study_json(r, i));
	set(root, "studies", studies);
	if (r->no_total) {
		set(root, "pooled", json_null());
		set(root, "heterogeneity", json_null());
		set(root, "no_total", json_string(POOL_NO_TOTAL_WHY));
	} else {
		set(root, "pooled", pooled_json(&r->main, r->log_scale));
		set(root, "heterogeneity", hetero_json(&r->main));
	}
	if (r->has_mh_tests) {
		set(root, "cmh_test", json_pack("{s:o, s:o}", "CMH", jnum(r->cmh), "p", jnum(r->cmh_p)));
		set(root, "tarone_test", json_pack("{s:o, s:o, s:i}", "TA", jnum(r->tarone),
						   "p", jnum(r->tarone_p), "k_pos", r->tarone_kpos));
	}
	if (r->sub)
		add_subgroups(root, r);
	if (r->mod)
		add_moderator(root, r);
	else if (o->extras & POOL_MODERATOR)
		set(root, "QM", json_null());
	/* asked for but not possible (too few studies): null, and a warning */
	if (o->extras & POOL_LEAVE_ONE_OUT)
		set(root, "leave_one_out", r->loo ? loo_json(r, r->loo, r->nloo, "omitted") : json_null());
	if (o->extras & POOL_METAREG)
		set(root, "metareg", r->mreg ? metareg_json(r) : json_null());
	if (o->extras & POOL_INFLUENCE)
		set(root, "influence", r->infl ? influence_json(r) : json_null());
	if (o->extras & POOL_CUMULATIVE)
		set(root, "cumulative", r->cum ? loo_json(r, r->cum, r->ncum, "added") : json_null());
	if (o->extras & POOL_EGGER)
		set(root, "egger", r->egger ? egger_json(r) : json_null());
	if (o->extras & POOL_TRIMFILL)
		set(root, "trimfill", r->tf ? trimfill_json(r) : json_null());
	if (o->extras & POOL_BEGG)
		set(root, "begg", r->begg ? json_pack("{s:i, s:o, s:o, s:o, s:s}", "k", r->begg->k,
						      "tau", jnum(r->begg->tau), "z", jnum(r->begg->z),
						      "p", jnum(r->begg->p),
						      "p_method", r->begg->exact ? "exact" : "normal")
					  : json_null());
	for (size_t i = 0; i < r->warnings.n; i++)
		json_array_append_new(warn, json_string(r->warnings.v[i]));
	set(root, "warnings", warn);
	return root;
}
