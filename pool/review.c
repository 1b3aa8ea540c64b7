/*
 * review.c - the protocol's analyses over the review's agreed data (see
 * review.h).  The spec and the data are made as JSON first and the
 * engine's input is always built from that JSON, so a fresh run and a
 * stored one take the same path.
 */
#include "review.h"
#include "pool_int.h"
#include "../db/db.h"
#include "../db/protocol.h"
#include "../extract/extract.h"
#include "../util/clock.h"
#include "../util/err.h"
#include "../util/outfile.h"
#include "../util/sha256.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int pool_model_parse(enum pool_model *out, const char *s)
{
	if (!strcasecmp(s, "fixed"))
		*out = POOL_MODEL_FIXED;
	else if (!strcasecmp(s, "random") || !strcasecmp(s, "mixed"))
		*out = POOL_MODEL_RANDOM; /* "mixed": random effects with a moderator */
	else if (!strcasecmp(s, "auto"))
		*out = POOL_MODEL_AUTO;
	else
		return lsr_error_set(LSR_EUSAGE, "unknown model '%s' (expected fixed, random or auto)", s);
	return 0;
}

static const char *first(const char *a, const char *b, const char *c)
{
	return a ? a : b ? b : c;
}

/* ---- spec ------------------------------------------------------------------ */

/* The add-ons an analysis may ask for (addons: [...]) and their flags. */
static const struct {
	const char *name;
	unsigned flag;
} addon_names[] = {
	{ "leave-one-out", POOL_LEAVE_ONE_OUT }, { "cumulative", POOL_CUMULATIVE },
	{ "influence", POOL_INFLUENCE }, { "egger", POOL_EGGER }, { "begg", POOL_BEGG },
	{ "trimfill", POOL_TRIMFILL },
};

static int addons_check(const struct protocol_analysis *pa)
{
	for (size_t i = 0; i < pa->addons.n; i++) {
		size_t j = 0;

		while (j < sizeof(addon_names) / sizeof(addon_names[0]) &&
		       strcmp(addon_names[j].name, pa->addons.v[i]))
			j++;
		if (j == sizeof(addon_names) / sizeof(addon_names[0]))
			return lsr_error_set(LSR_EPARSE, "protocol.yaml:%d: analysis '%s': unknown add-on '%s' (expected leave-one-out, cumulative, influence, egger, begg or trimfill)",
					     pa->line, pa->name, pa->addons.v[i]);
	}
	return 0;
}

/* moderators: declared characteristics; cumulative_by: year or one */
static int regression_check(const struct protocol *p, const struct protocol_analysis *pa)
{
	for (size_t i = 0; i < pa->moderators.n; i++) {
		if (!protocol_characteristic_find(p, pa->moderators.v[i]))
			return lsr_error_set(LSR_EPARSE, "protocol.yaml:%d: analysis '%s': moderator '%s' is not a declared characteristic",
					     pa->line, pa->name, pa->moderators.v[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(pa->moderators.v[i], pa->moderators.v[j]))
				return lsr_error_set(LSR_EPARSE, "protocol.yaml:%d: analysis '%s': moderator '%s' is listed twice",
						     pa->line, pa->name, pa->moderators.v[i]);
	}
	if (pa->cumulative_by && strcmp(pa->cumulative_by, "year") &&
	    !protocol_characteristic_find(p, pa->cumulative_by))
		return lsr_error_set(LSR_EPARSE, "protocol.yaml:%d: analysis '%s': cumulative_by: '%s' is neither year nor a declared characteristic",
				     pa->line, pa->name, pa->cumulative_by);
	if ((pa->trimfill_side || pa->trimfill_estimator) && !strv_contains(&pa->addons, "trimfill"))
		return lsr_error_set(LSR_EPARSE, "protocol.yaml:%d: analysis '%s': trimfill_side and trimfill_estimator go with addons: [trimfill]",
				     pa->line, pa->name);
	if (pa->moderators.n && pa->subgroup)
		return lsr_error_set(LSR_EPARSE, "protocol.yaml:%d: analysis '%s': moderators and subgroup: give the meta-regression its own analysis",
				     pa->line, pa->name);
	return 0;
}

/* The CI method a level of options asks for: ci, or the old hk: true|false
 * as ci: hk|z; NULL when neither is given. */
static const char *ci_of(const struct protocol_analysis_opts *o)
{
	return o->ci ? o->ci : o->hk == 1 ? "hk" : o->hk == 0 ? "z" : NULL;
}

static int ci_check(const struct protocol_analysis_opts *o, const char *where)
{
	if (o->level && (o->level < 50 || o->level > 99))
		return lsr_error_set(LSR_EPARSE, "protocol.yaml: %s: level: expected a percentage from 50 to 99, got %d",
				     where, o->level);
	if (o->ci && o->hk >= 0 && strcmp(o->ci, o->hk ? "hk" : "z"))
		return lsr_error_set(LSR_EPARSE, "protocol.yaml: %s: ci: %s contradicts hk: %s (hk: true is ci: hk, hk: false is ci: z)",
				     where, o->ci, o->hk ? "true" : "false");
	return 0;
}

static json_t *spec_json(const struct protocol *p, const struct protocol_analysis *pa,
			 const struct protocol_outcome *o)
{
	const struct protocol_analysis_opts *d = &p->analysis_defaults, *a = &pa->opts;
	const char *type = o->type ? o->type : "continuous";
	const char *measure = first(a->measure, d->measure,
				    !strcmp(type, "dichotomous") ? "RR"
				    : !strcmp(type, "time-to-event") ? "GIV" : "MD");
	const char *method = first(a->method, d->method, !strcmp(type, "dichotomous") ? "MH" : "IV");
	/* the engine's default, written out so that the stored spec says it */
	const char *ci = first(ci_of(a), ci_of(d), pa->subgroup ? "z" : "hk-adhoc");
	int allow = a->allow_repeated >= 0 ? a->allow_repeated : d->allow_repeated > 0;
	int level = a->level ? a->level : d->level ? d->level : 95;
	json_t *excl = json_array(), *addons = json_array(), *spec;

	for (size_t i = 0; i < pa->addons.n; i++)
		json_array_append_new(addons, json_string(pa->addons.v[i]));
	for (size_t i = 0; i < pa->exclude.n; i++)
		json_array_append_new(excl, json_string(pa->exclude.v[i]));
	spec = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:i, s:o}",
			 "analysis", pa->name, "outcome", pa->outcome, "timepoint", pa->timepoint,
			 "subgroup", pa->subgroup, "measure", measure, "method", method,
			 "model", first(a->model, d->model, "random"),
			 "tau2", first(a->tau2, d->tau2, "REML"),
			 "ci", ci,
			 "convention", first(a->convention, d->convention, "revman5"),
			 "exclude", excl, "allow_repeated_studies", allow, "level", level, "addons", addons);
	/* only when given, so that the specs stored before these keys keep
	 * their hashes */
	if (spec && pa->moderators.n) {
		json_t *m = json_array();

		for (size_t i = 0; i < pa->moderators.n; i++)
			json_array_append_new(m, json_string(pa->moderators.v[i]));
		json_object_set_new(spec, "moderators", m);
	}
	if (spec && pa->cumulative_by)
		json_object_set_new(spec, "cumulative_by", json_string(pa->cumulative_by));
	if (spec && pa->trimfill_side)
		json_object_set_new(spec, "trimfill_side", json_string(pa->trimfill_side));
	if (spec && pa->trimfill_estimator)
		json_object_set_new(spec, "trimfill_estimator", json_string(pa->trimfill_estimator));
	return spec;
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* ---- risk of bias: the forest plot's columns and the sensitivity analysis ---- */

/* The spec's sensitivity ({"rule": R, "exclude": [studies]}): the
 * analysis's own exclude list, then the studies at that risk. */
static int sens_from_spec(struct pool_review *r)
{
	json_t *sens = json_object_get(r->spec, "sensitivity"), *ex = json_object_get(r->spec, "exclude");
	json_t *risk = json_object_get(sens, "exclude"), *v;
	size_t i, n = 0;

	if (!json_is_object(sens))
		return 0;
	r->sens_rule = jstr(sens, "rule");
	r->sens_exclude = calloc(json_array_size(ex) + json_array_size(risk) + 1, sizeof(*r->sens_exclude));
	if (!r->sens_exclude)
		return lsr_error_oom();
	json_array_foreach(ex, i, v)
		r->sens_exclude[n++] = json_string_value(v);
	json_array_foreach(risk, i, v)
		r->sens_exclude[n++] = json_string_value(v);
	r->nsens_exclude = n;
	r->nsens_risk = json_array_size(risk);
	r->sens_results = json_array_size(json_object_get(sens, "exclude_results"))
				  ? json_object_get(sens, "exclude_results") : NULL;
	return 0;
}

/*
 * The rows at risk (each {"study", "timepoint"}) as the sensitivity
 * analysis leaves them out: a study whose every row is at risk by its
 * label into risk; the rows of a study at risk at some time points only
 * (subgroup: timepoint) into results, the study's other rows kept.
 */
static int split_risk(const json_t *data, const json_t *rows, json_t *risk, json_t *results)
{
	size_t i, j;
	json_t *e, *row;

	json_array_foreach(rows, i, e) {
		const char *study = jstr(e, "study");
		size_t nall = 0, nrisk = 0, k;
		json_t *v;

		json_array_foreach(data, j, row)
			nall += !strcmp(jstr(row, "study"), study);
		json_array_foreach(rows, j, row)
			nrisk += !strcmp(jstr(row, "study"), study);
		if (nrisk < nall) {
			if (json_array_append(results, e) < 0)
				return lsr_error_oom();
			continue;
		}
		json_array_foreach(risk, k, v)
			if (!strcmp(json_string_value(v), study))
				break;
		if (k == json_array_size(risk) && json_array_append_new(risk, json_string(study)) < 0)
			return lsr_error_oom();
	}
	return 0;
}

/* The judgements of each data row (the result's, else the study's, as
 * extract_rob_result_levels gives them) as "rob": [domains..., overall]
 * in rows with any; the tool as the spec's "rob" when a row has one.  A
 * sensitivity rule adds the studies it leaves out to the spec. */
static int rob_data(struct pool_review *r, struct lsr_db *db, const struct protocol *p,
		    const struct protocol_analysis *pa)
{
	int rob2 = p->risk_of_bias && !strcmp(p->risk_of_bias, "rob2"), any = 0, rc;
	size_t nd = rob2 ? ROB2_NDOMAINS : ROB1_NDOMAINS, i;
	enum rob_level cut = pa->sensitivity && !strcmp(pa->sensitivity, "exclude_some_concerns") ? ROB_SOME
											      : ROB_HIGH;
	json_t *row, *risk = json_array(), *rows = json_array(), *results = json_array();

	if (!risk || !rows || !results) {
		rc = lsr_error_oom();
		goto out;
	}
	json_array_foreach(r->data, i, row) {
		enum rob_level lv[ROB1_NDOMAINS + 1];
		json_t *a;
		int has = 0;

		if ((rc = extract_rob_result_levels(lv, db, p, jstr(row, "study"), r->outcome,
						    jstr(row, "timepoint"))) < 0)
			goto out;
		for (size_t d = 0; d <= nd; d++)
			has |= lv[d] != ROB_NONE;
		if (!has)
			continue;
		any = 1;
		a = json_array();
		for (size_t d = 0; d <= nd; d++)
			json_array_append_new(a, json_string(extract_rob_level_name(lv[d], rob2)));
		json_object_set_new(row, "rob", a);
		if (pa->sensitivity && lv[nd] >= cut &&
		    json_array_append_new(rows, json_pack("{s:s, s:s?}", "study", jstr(row, "study"),
							  "timepoint", jstr(row, "timepoint"))) < 0) {
			rc = lsr_error_oom();
			goto out;
		}
	}
	if (any)
		json_object_set_new(r->spec, "rob", json_string(rob2 ? "rob2" : "rob1"));
	if (pa->sensitivity) {
		json_t *sens = json_pack("{s:s, s:O}", "rule", pa->sensitivity, "exclude", risk);

		if (!sens || (rc = split_risk(r->data, rows, risk, results)) < 0) {
			json_decref(sens);
			rc = rc < 0 ? rc : lsr_error_oom();
			goto out;
		}
		/* only when some are left out per result, so that the spec of
		 * an analysis without repeated studies stays as it was */
		if (json_array_size(results))
			json_object_set(sens, "exclude_results", results);
		json_object_set_new(r->spec, "sensitivity", sens);
	}
	rc = 0;
out:
	json_decref(risk);
	json_decref(rows);
	json_decref(results);
	return rc;
}

/* Engine options from a spec. */
static int opts_from_spec(struct pool_review *r)
{
	static const struct pool_opts init = POOL_OPTS_INIT;
	json_t *hk = json_object_get(r->spec, "hk"), *ex = json_object_get(r->spec, "exclude"), *v;
	size_t i;
	int rc;

	r->opts = init;
	if (pool_measure_parse(&r->opts.measure, jstr(r->spec, "measure")) < 0 ||
	    pool_method_parse(&r->opts.method, jstr(r->spec, "method")) < 0 ||
	    pool_model_parse(&r->opts.model, jstr(r->spec, "model")) < 0 ||
	    pool_tau2_parse(&r->opts.tau2, jstr(r->spec, "tau2")) < 0 ||
	    pool_conv_parse(&r->opts.conv, jstr(r->spec, "convention")) < 0)
		return lsr_error_wrap("analysis '%s'", r->name);
	json_array_foreach(json_object_get(r->spec, "addons"), i, v)
		for (size_t j = 0; j < sizeof(addon_names) / sizeof(addon_names[0]); j++)
			if (json_is_string(v) && !strcmp(addon_names[j].name, json_string_value(v)))
				r->opts.extras |= addon_names[j].flag;
	if (json_array_size(json_object_get(r->spec, "moderators")))
		r->opts.extras |= POOL_METAREG;
	if (jstr(r->spec, "cumulative_by"))
		r->opts.extras |= POOL_CUMULATIVE;
	if (jstr(r->spec, "trimfill_side"))
		r->opts.tf_side = !strcmp(jstr(r->spec, "trimfill_side"), "right");
	r->opts.tf_r0 = jstr(r->spec, "trimfill_estimator") && !strcmp(jstr(r->spec, "trimfill_estimator"), "R0");
	if (json_is_integer(json_object_get(r->spec, "level")))
		r->opts.level = (double)json_integer_value(json_object_get(r->spec, "level")) / 100;
	if (jstr(r->spec, "ci")) {
		if (pool_ci_parse(&r->opts.ci, jstr(r->spec, "ci")) < 0)
			return lsr_error_wrap("analysis '%s'", r->name);
	} else if (json_is_boolean(hk)) {
		/* stored before ci: existed */
		r->opts.ci = json_is_true(hk) ? POOL_CI_HK : POOL_CI_Z;
	} else {
		/* stored before ci: existed, run with that engine's default */
		r->opts.ci = json_is_string(json_object_get(r->spec, "subgroup")) ? POOL_CI_Z : POOL_CI_HK;
	}
	if (json_array_size(ex)) {
		if (!(r->exclude = calloc(json_array_size(ex), sizeof(*r->exclude))))
			return lsr_error_oom();
		json_array_foreach(ex, i, v)
			r->exclude[i] = json_string_value(v);
		r->opts.exclude = r->exclude;
		r->opts.nexclude = json_array_size(ex);
	}
	if ((rc = sens_from_spec(r)) < 0)
		return rc;
	if (json_is_string(json_object_get(r->spec, "subgroup")))
		r->opts.extras |= POOL_SUBGROUPS;
	/* time points are the same participants again: subtotals only,
	 * unless allow_repeated_studies: true asks for the total (with a
	 * warning per study); a spec stored before this rule had its total */
	if (jstr(r->spec, "subgroup") && !strcmp(jstr(r->spec, "subgroup"), "timepoint") &&
	    json_is_false(json_object_get(r->spec, "allow_repeated_studies")))
		r->opts.extras |= POOL_NO_TOTAL;
	/* stored before the rule: it pooled repeated studies */
	if (!json_object_get(r->spec, "allow_repeated_studies") ||
	    json_is_true(json_object_get(r->spec, "allow_repeated_studies")))
		r->opts.extras |= POOL_ALLOW_REPEATED;
	return 0;
}

/* ---- data ------------------------------------------------------------------ */

static double num(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *characteristic(const struct strv *c, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < c->n; i++)
		if (!strncmp(c->v[i], name, n) && c->v[i][n] == '=')
			return c->v[i] + n + 1;
	return NULL;
}

/* Where a row's subgroup comes in the protocol's order: its time point
 * among the outcome's, or its value among a choice characteristic's
 * values (others after them). */
static size_t subgroup_rank(const struct extract_study_data *d, const struct protocol *p,
			    const struct protocol_outcome *o, const char *subgroup)
{
	const struct strv *order = NULL;
	const char *v;

	if (!strcmp(subgroup, "timepoint")) {
		order = &o->timepoints;
		v = d->timepoint;
	} else {
		const struct protocol_characteristic *c = protocol_characteristic_find(p, subgroup);

		order = c ? &c->values : NULL;
		v = characteristic(&d->characteristics, subgroup);
	}
	for (size_t i = 0; order && v && i < order->n; i++)
		if (!strcmp(order->v[i], v))
			return i;
	return (size_t)-1;
}

/* Rows in subgroup order, then as they came (study, time point): the
 * engine lists subgroups in the order it meets them. */
static void order_by_subgroup(struct extract_study_data *d, size_t n, const struct protocol *p,
			      const struct protocol_outcome *o, const char *subgroup)
{
	for (size_t i = 1; i < n; i++) {
		struct extract_study_data x = d[i];
		size_t rx = subgroup_rank(&x, p, o, subgroup), j = i;

		while (j > 0 && subgroup_rank(&d[j - 1], p, o, subgroup) > rx) {
			d[j] = d[j - 1];
			j--;
		}
		d[j] = x;
	}
}

static json_t *data_json(struct pool_review *r, const struct extract_study_data *d, size_t n,
			 enum pool_data_type type, int *rc)
{
	json_t *arr = json_array();

	*rc = 0;
	for (size_t i = 0; i < n; i++) {
		const char *sg = NULL;
		json_t *row;

		if (r->subgroup && !strcmp(r->subgroup, "timepoint")) {
			sg = d[i].timepoint;
		} else if (r->subgroup) {
			sg = characteristic(&d[i].characteristics, r->subgroup);
			if (!sg) {
				sg = "not reported";
				strv_pushf(&r->warnings, "%s: no agreed %s: in subgroup 'not reported'",
					   d[i].study, r->subgroup);
			}
		}
		/* one row per study unless the time point is the subgroup */
		if (!r->timepoint && !(r->subgroup && !strcmp(r->subgroup, "timepoint")) &&
		    !(r->opts.extras & POOL_ALLOW_REPEATED))
			for (size_t j = 0; j < i; j++)
				if (!strcmp(d[j].study, d[i].study)) {
					*rc = lsr_error_set(LSR_EPARSE,
							    "protocol.yaml: analysis '%s': study '%s' has %s data at %s and at %s:"
							    " give the analysis a timepoint, or subgroup: timepoint (or allow_repeated_studies: true)",
							    r->name, d[i].study, r->outcome, d[j].timepoint,
							    d[i].timepoint);
					json_decref(arr);
					return NULL;
				}
		row = json_pack("{s:s, s:s?, s:s?}", "study", d[i].study, "timepoint", d[i].timepoint,
				"subgroup", sg);
		switch (type) {
		case POOL_DATA_CONT:
			json_object_set_new(row, "n1", json_real(d[i].n1));
			json_object_set_new(row, "mean1", json_real(d[i].mean1));
			json_object_set_new(row, "sd1", json_real(d[i].sd1));
			json_object_set_new(row, "n2", json_real(d[i].n2));
			json_object_set_new(row, "mean2", json_real(d[i].mean2));
			json_object_set_new(row, "sd2", json_real(d[i].sd2));
			break;
		case POOL_DATA_BIN:
			json_object_set_new(row, "events1", json_real(d[i].events1));
			json_object_set_new(row, "n1", json_real(d[i].n1));
			json_object_set_new(row, "events2", json_real(d[i].events2));
			json_object_set_new(row, "n2", json_real(d[i].n2));
			break;
		case POOL_DATA_GENERIC:
			json_object_set_new(row, "yi", json_real(d[i].log_hr));
			json_object_set_new(row, "vi", json_real(d[i].se_log_hr * d[i].se_log_hr));
			break;
		}
		if (d[i].method1)
			json_object_set_new(row, "method1", json_string(d[i].method1));
		if (d[i].method2)
			json_object_set_new(row, "method2", json_string(d[i].method2));
		json_array_append_new(arr, row);
	}
	return arr;
}

/* The year of a study (cumulative_by: year without a characteristic
 * called year): the earliest publication year of its included reports
 * (NaN when none has one). */
static double study_year(struct lsr_db *db, int64_t study_id, int *rc)
{
	static const char sql[] =
		"SELECT min(m.year) FROM study_reports sr JOIN citation_metadata m ON m.id = sr.citation_id"
		" WHERE sr.study_id = ?1 AND m.year > 0";
	sqlite3_stmt *st = db_prepare(db, sql);
	double y = NAN;
	int step;

	if (!st) {
		*rc = lsr_error_last_code();
		return NAN;
	}
	sqlite3_bind_int64(st, 1, study_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		y = sqlite3_column_double(st, 0);
	else if (step != SQLITE_ROW)
		*rc = db_error(db, sql);
	sqlite3_reset(st);
	return y;
}

/* A characteristic's agreed value as JSON: a number for a number or
 * integer characteristic, else text; null when not agreed (or not a
 * number where one is due, with a warning). */
static json_t *char_json(struct pool_review *r, const struct protocol *p,
			 const struct extract_study_data *d, const char *name)
{
	const struct protocol_characteristic *c = protocol_characteristic_find(p, name);
	const char *v = characteristic(&d->characteristics, name);
	char *end;
	double x;

	if (!v)
		return json_null();
	if (c && c->type && (!strcmp(c->type, "number") || !strcmp(c->type, "integer"))) {
		x = strtod(v, &end);
		if (end != v && !*end && isfinite(x))
			return json_real(x);
		strv_pushf(&r->warnings, "%s: %s '%s' is not a number: taken as not reported", d->study,
			   name, v);
		return json_null();
	}
	return json_string(v);
}

/* The rows' cumulative order (cumulative_by) and moderators, into the
 * data JSON (one row per d[i], in order): stored with the rest. */
static int regression_data(struct pool_review *r, struct lsr_db *db, const struct protocol *p,
			   const struct protocol_analysis *pa, const struct extract_study_data *d,
			   size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *row = json_array_get(r->data, i), *m;
		double y;

		if (pa->cumulative_by && !strcmp(pa->cumulative_by, "year") &&
		    !protocol_characteristic_find(p, "year")) {
			y = study_year(db, d[i].study_id, &rc);
			json_object_set_new(row, "order", isnan(y) ? json_null() : json_real(y));
		} else if (pa->cumulative_by) {
			json_t *v = char_json(r, p, &d[i], pa->cumulative_by);

			if (json_is_string(v)) {
				strv_pushf(&r->warnings, "%s: %s '%s' is not a number: no order", d[i].study,
					   pa->cumulative_by, json_string_value(v));
				json_decref(v);
				v = json_null();
			}
			json_object_set_new(row, "order", v);
		}
		if (!pa->moderators.n)
			continue;
		m = json_object();
		for (size_t j = 0; j < pa->moderators.n; j++)
			json_object_set_new(m, pa->moderators.v[j], char_json(r, p, &d[i], pa->moderators.v[j]));
		json_object_set_new(row, "moderators", m);
	}
	return rc;
}

/* The cumulative order of the rows: every row needs one, or the add-on is
 * left out with a warning naming the first row without. */
static void order_from_data(struct pool_review *r)
{
	const char *by = jstr(r->spec, "cumulative_by");

	for (size_t i = 0; by && i < r->k; i++)
		if (isnan(r->studies[i].order = num(json_array_get(r->data, i), "order"))) {
			strv_pushf(&r->warnings, "cumulative analysis left out: %s has no %s", r->studies[i].label, by);
			r->opts.extras &= ~(unsigned)POOL_CUMULATIVE;
			for (size_t j = 0; j < r->k; j++)
				r->studies[j].order = NAN;
			return;
		}
}

/* The moderators of the spec from each row's values (numbers stay numbers,
 * text is a factor, null is missing), as the model matrix. */
static int mods_from_data(struct pool_review *r)
{
	json_t *names = json_object_get(r->spec, "moderators"), *row;
	struct strv mods = STRV_INIT, cells = STRV_INIT;
	size_t m = json_array_size(names), i;
	int *kind = calloc(m ? m : 1, sizeof(int)), rc = 0;

	free(r->x);
	free(r->mod_names);
	r->x = NULL;
	r->mod_names = NULL;
	r->in.nmods = 0;
	if (!kind)
		return lsr_error_oom();
	for (size_t j = 0; j < m && rc == 0; j++) {
		kind[j] = 1;
		rc = strv_push(&mods, json_string_value(json_array_get(names, j)));
	}
	json_array_foreach(r->data, i, row) {
		for (size_t j = 0; j < m && rc == 0; j++) {
			json_t *v = json_object_get(json_object_get(row, "moderators"), mods.v[j]);

			if (json_is_number(v))
				rc = strv_pushf(&cells, "%.17g", json_number_value(v));
			else
				rc = strv_push(&cells, json_is_string(v) ? json_string_value(v) : "");
			if (json_is_string(v))
				kind[j] = 0;
		}
	}
	if (rc == 0 && m)
		rc = pool_mods_expand(&r->x, &r->mod_names, &r->in.nmods, &r->strings, &mods, &cells,
				      r->k, kind);
	if (rc == 0 && m) {
		r->in.x = r->x;
		r->in.mod_names = (const char *const *)r->mod_names;
	}
	strv_release(&mods);
	strv_release(&cells);
	free(kind);
	return rc < 0 ? lsr_error_wrap("analysis '%s'", r->name) : 0;
}

/* The engine's input from the data JSON. */
static int input_from_data(struct pool_review *r)
{
	size_t i, k = json_array_size(r->data);
	json_t *row;

	free(r->studies);
	r->studies = k ? calloc(k, sizeof(*r->studies)) : NULL;
	if (k && !r->studies)
		return lsr_error_oom();
	json_array_foreach(r->data, i, row) {
		struct pool_study *s = &r->studies[i];

		assert(i < k); /* r->data has not changed since k was read */
		s->label = jstr(row, "study");
		s->subgroup = jstr(row, "subgroup");
		s->n1 = num(row, "n1");
		s->mean1 = num(row, "mean1");
		s->sd1 = num(row, "sd1");
		s->n2 = num(row, "n2");
		s->mean2 = num(row, "mean2");
		s->sd2 = num(row, "sd2");
		s->events1 = num(row, "events1");
		s->events2 = num(row, "events2");
		s->yi = num(row, "yi");
		s->vi = num(row, "vi");
		s->order = NAN;
	}
	r->k = k;
	r->in.type = pool_measure_data_type(r->opts.measure);
	r->in.studies = r->studies;
	r->in.k = k;
	r->in.has_subgroups = (r->opts.extras & POOL_SUBGROUPS) != 0;
	order_from_data(r);
	return mods_from_data(r);
}

static int hash_inputs(struct pool_review *r)
{
	char *a = json_dumps(r->spec, JSON_COMPACT | JSON_SORT_KEYS);
	char *b = json_dumps(r->data, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	struct sha256 *h = a && b ? sha256_new() : NULL;
	int rc = 0;

	if (!h) {
		rc = lsr_error_oom();
	} else if (sha256_update(h, a, strlen(a)) < 0 || sha256_update(h, "\n", 1) < 0 ||
		   sha256_update(h, b, strlen(b)) < 0) {
		sha256_free(h);
		rc = lsr_error_set(LSR_ERROR, "SHA-256 failed");
	} else if (sha256_final(h, r->hash) < 0) { /* frees h */
		rc = lsr_error_set(LSR_ERROR, "SHA-256 failed");
	}
	free(a);
	free(b);
	return rc;
}

static int outcome_info(struct pool_review *r, const struct protocol *p)
{
	const struct protocol_outcome *o = protocol_outcome_find(p, r->outcome);

	if (o) {
		r->better = dup_or_null(o->better);
		r->unit = dup_or_null(o->unit);
	}
	return 0;
}

/* The figures' title (r->title): the analysis's label from the protocol,
 * else the outcome's label "at" the time point; never the analysis id. */
static int figure_title(struct pool_review *r, const struct protocol *p)
{
	const struct protocol_analysis *pa = p ? protocol_analysis_find(p, r->name) : NULL;
	const struct protocol_outcome *o = p ? protocol_outcome_find(p, r->outcome) : NULL;
	struct buf b = BUF_INIT;
	int rc;

	if (pa && pa->label)
		rc = buf_adds(&b, pa->label);
	else
		rc = buf_printf(&b, "%s%s%s", o ? protocol_outcome_label(o) : r->outcome,
				r->timepoint ? " at " : "", r->timepoint ? r->timepoint : "");
	r->title = rc < 0 ? NULL : strdup(b.s);
	buf_release(&b);
	return r->title ? 0 : lsr_error_oom();
}

int pool_review_build(struct pool_review *r, struct lsr_db *db, const struct protocol *p,
		      const struct protocol_analysis *pa)
{
	const struct protocol_outcome *o = protocol_outcome_find(p, pa->outcome);
	struct extract_study_data *d = NULL;
	size_t n = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!o)
		return lsr_error_set(LSR_EPARSE, "protocol.yaml: analysis '%s': no outcome '%s'", pa->name,
				     pa->outcome);
	if ((rc = ci_check(&p->analysis_defaults, "analyses.defaults")) < 0 ||
	    (rc = ci_check(&pa->opts, pa->name)) < 0 || (rc = addons_check(pa)) < 0 ||
	    (rc = regression_check(p, pa)) < 0)
		return rc;
	r->name = strdup(pa->name);
	r->outcome = strdup(pa->outcome);
	r->timepoint = dup_or_null(pa->timepoint);
	r->subgroup = dup_or_null(pa->subgroup);
	if (!r->name || !r->outcome || (pa->timepoint && !r->timepoint) || (pa->subgroup && !r->subgroup) ||
	    !(r->spec = spec_json(p, pa, o)))
		return lsr_error_oom();
	if ((rc = opts_from_spec(r)) < 0 || (rc = outcome_info(r, p)) < 0 ||
	    (rc = figure_title(r, p)) < 0)
		return rc;
	if ((r->opts.extras & POOL_METAREG) && r->opts.method != POOL_METHOD_IV)
		return lsr_error_set(LSR_EPARSE, "protocol.yaml:%d: analysis '%s': a meta-regression (moderators) uses inverse-variance weights: give it method: IV",
				     pa->line, pa->name);
	if (pool_measure_data_type(r->opts.measure) ==
	    (!strcmp(o->type ? o->type : "continuous", "continuous") ? POOL_DATA_CONT
	     : !strcmp(o->type, "dichotomous") ? POOL_DATA_BIN : POOL_DATA_GENERIC)) {
		/* the measure fits the outcome */
	} else {
		return lsr_error_set(LSR_EPARSE, "protocol.yaml:%d: analysis '%s': measure %s does not fit %s outcome '%s'",
				     pa->line, pa->name, jstr(r->spec, "measure"),
				     o->type ? o->type : "continuous", o->name);
	}
	if ((rc = extract_outcome_data(&d, &n, db, p, pa->outcome, pa->timepoint)) < 0)
		return rc;
	if (r->subgroup)
		order_by_subgroup(d, n, p, o, r->subgroup);
	r->data = data_json(r, d, n, pool_measure_data_type(r->opts.measure), &rc);
	if (rc == 0 && r->data)
		rc = regression_data(r, db, p, pa, d, n);
	extract_study_data_free(d, n);
	if (rc == 0 && r->data)
		rc = rob_data(r, db, p, pa);
	if (rc == 0 && pa->sensitivity)
		rc = sens_from_spec(r);
	if (rc < 0)
		return rc;
	if ((rc = input_from_data(r)) < 0 || (rc = hash_inputs(r)) < 0)
		return rc;
	if (r->k == 0)
		strv_pushf(&r->warnings, "no study has agreed %s data%s%s", r->outcome,
			   r->timepoint ? " at " : "", r->timepoint ? r->timepoint : "");
	return 0;
}

/* whether data row i is one the sensitivity analysis leaves out per result */
static int sens_result_out(const struct pool_review *r, size_t i)
{
	const json_t *row = json_array_get(r->data, i), *e;
	const char *tp = jstr(row, "timepoint");
	size_t j;

	json_array_foreach(r->sens_results, j, e)
		if (!strcmp(jstr(e, "study"), jstr(row, "study")) && tp && jstr(e, "timepoint") &&
		    !strcmp(jstr(e, "timepoint"), tp))
			return 1;
	return 0;
}

/* The sensitivity analysis: the same model without the studies at risk,
 * and without the rows at risk of studies at risk at some time points
 * only (no add-ons); none when it would leave no study. */
static int run_sensitivity(struct pool_review *r)
{
	struct pool_opts o = r->opts;
	size_t left = 0;

	if (!r->sens_rule)
		return 0;
	r->sens_in = r->in;
	if (r->sens_results) {
		free(r->sens_studies);
		r->sens_studies = calloc(r->k ? r->k : 1, sizeof(*r->sens_studies));
		if (!r->sens_studies)
			return lsr_error_oom();
		r->sens_in.k = 0;
		for (size_t i = 0; i < r->k; i++)
			if (!sens_result_out(r, i))
				r->sens_studies[r->sens_in.k++] = r->studies[i];
		r->sens_in.studies = r->sens_studies;
		/* no meta-regression in a sensitivity analysis: the rows of
		 * the moderators no longer match */
		r->sens_in.nmods = 0;
		r->sens_in.x = NULL;
		r->sens_in.mod_names = NULL;
	}
	for (size_t i = 0; i < r->sens_in.k; i++) {
		size_t j = 0;

		while (j < r->nsens_exclude && strcmp(r->sens_exclude[j], r->sens_in.studies[i].label))
			j++;
		left += j == r->nsens_exclude;
	}
	if (!left)
		return strv_pushf(&r->warnings, "sensitivity analysis (%s): no study is left", r->sens_rule);
	o.exclude = r->sens_exclude;
	o.nexclude = r->nsens_exclude;
	o.extras &= ~(unsigned)(POOL_LEAVE_ONE_OUT | POOL_CUMULATIVE | POOL_INFLUENCE | POOL_EGGER |
				POOL_BEGG | POOL_TRIMFILL | POOL_METAREG);
	if (pool_run(&r->sens, &r->sens_in, &o) < 0)
		return lsr_error_wrap("analysis '%s': sensitivity analysis (%s)", r->name, r->sens_rule);
	return 0;
}

int pool_review_run(struct pool_review *r)
{
	if (r->k == 0)
		return 0;
	if (pool_run(&r->res, &r->in, &r->opts) < 0)
		return lsr_error_wrap("analysis '%s'", r->name);
	return run_sensitivity(r);
}

void pool_review_release(struct pool_review *r)
{
	free(r->name);
	free(r->title);
	free(r->outcome);
	free(r->timepoint);
	free(r->subgroup);
	free(r->better);
	free(r->unit);
	json_decref(r->spec);
	json_decref(r->data);
	free(r->exclude);
	free(r->studies);
	free(r->x);
	free(r->mod_names);
	strv_release(&r->strings);
	if (r->res)
		pool_result_free(r->res);
	if (r->sens)
		pool_result_free(r->sens);
	free(r->sens_exclude);
	free(r->sens_studies);
	strv_release(&r->warnings);
	memset(r, 0, sizeof(*r));
}

/* ---- storage ------------------------------------------------------------------ */

int pool_review_store(struct pool_review *r, struct lsr_db *db, int update_no)
{
	static const char last_sql[] =
		"SELECT input_hash, at FROM pool_results_current WHERE analysis = ?1 AND update_no = ?2";
	static const char ins_sql[] =
		"INSERT INTO pool_results(update_no, analysis, at, actor, input_hash, spec, data, result)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = db_prepare(db, last_sql);
	char *spec = NULL, *data = NULL, *result = NULL;
	json_t *res;
	int rc, step;

	if (!st)
		return lsr_error_last_code();
	r->update_no = update_no;
	db_bind_text(st, 1, r->name);
	sqlite3_bind_int(st, 2, update_no);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), r->hash)) {
		snprintf(r->at, sizeof(r->at), "%s", (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		r->stored = 0;
		return 0;
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_error(db, last_sql);
	res = r->res ? pool_result_json(r->res) : json_null();
	if (r->sens && json_is_object(res))
		json_object_set_new(res, "sensitivity", pool_result_json(r->sens));
	spec = json_dumps(r->spec, JSON_COMPACT | JSON_SORT_KEYS);
	data = json_dumps(r->data, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	result = json_dumps(res, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
	json_decref(res);
	if (!spec || !data || !result) {
		rc = lsr_error_oom();
		goto out;
	}
	if (!(st = db_prepare(db, ins_sql))) {
		rc = lsr_error_last_code();
		goto out;
	}
	clock_now_iso(r->at);
	sqlite3_bind_int(st, 1, update_no);
	db_bind_text(st, 2, r->name);
	db_bind_text(st, 3, r->at);
	db_bind_text(st, 4, db_actor());
	db_bind_text(st, 5, r->hash);
	db_bind_text(st, 6, spec);
	db_bind_text(st, 7, data);
	db_bind_text(st, 8, result);
	if ((rc = db_step_done(db, st)) == 0)
		r->stored = 1;
out:
	free(spec);
	free(data);
	free(result);
	return rc;
}

int pool_review_load(struct pool_review *r, struct lsr_db *db, const struct protocol *p,
		     const char *name, int update_no)
{
	static const char sql[] =
		"SELECT spec, data, input_hash, at FROM pool_results_current WHERE analysis = ?1 AND update_no = ?2";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_error_t je;
	int rc, step;

	memset(r, 0, sizeof(*r));
	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, name);
	sqlite3_bind_int(st, 2, update_no);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		sqlite3_reset(st);
		return step == SQLITE_DONE
			       ? lsr_error_set(LSR_ENOTFOUND, "no stored results of analysis '%s' for update %d",
					       name, update_no)
			       : db_error(db, sql);
	}
	r->spec = json_loads((const char *)sqlite3_column_text(st, 0), 0, &je);
	r->data = json_loads((const char *)sqlite3_column_text(st, 1), 0, &je);
	snprintf(r->hash, sizeof(r->hash), "%s", (const char *)sqlite3_column_text(st, 2));
	snprintf(r->at, sizeof(r->at), "%s", (const char *)sqlite3_column_text(st, 3));
	sqlite3_reset(st);
	if (!json_is_object(r->spec) || !json_is_array(r->data))
		return lsr_error_set(LSR_EDB, "pool_results: analysis '%s' of update %d is not valid JSON",
				     name, update_no);
	r->update_no = update_no;
	r->name = strdup(name);
	r->outcome = dup_or_null(jstr(r->spec, "outcome"));
	r->timepoint = dup_or_null(jstr(r->spec, "timepoint"));
	r->subgroup = dup_or_null(jstr(r->spec, "subgroup"));
	if (!r->name || !r->outcome)
		return lsr_error_oom();
	if ((rc = opts_from_spec(r)) < 0 || (rc = outcome_info(r, p)) < 0 ||
	    (rc = figure_title(r, p)) < 0 || (rc = input_from_data(r)) < 0)
		return rc;
	return pool_review_run(r);
}

int pool_review_stored_names(struct strv *out, struct lsr_db *db, const struct protocol *p,
			     int update_no)
{
	static const char sql[] =
		"SELECT DISTINCT analysis FROM pool_results_current WHERE update_no = ?1 ORDER BY analysis";
	sqlite3_stmt *st = db_prepare(db, sql);
	struct strv rest = STRV_INIT;
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int(st, 1, update_no);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = strv_push(&rest, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	for (size_t i = 0; p && rc == 0 && i < p->nanalyses; i++)
		if (strv_contains(&rest, p->analyses[i].name))
			rc = strv_push(out, p->analyses[i].name);
	for (size_t i = 0; rc == 0 && i < rest.n; i++)
		if (!strv_contains(out, rest.v[i]))
			rc = strv_push(out, rest.v[i]);
	strv_release(&rest);
	return rc;
}

/* ---- output ------------------------------------------------------------------- */

/* The risk-of-bias columns from the data rows' "rob" (RoB 1: RevMan's
 * domains A to G; RoB 2: D1 to D5 and the overall judgement); rb->levels
 * is allocated (NULL without risk-of-bias data). */
static int forest_rob(struct pool_plot_rob *rb, const struct pool_review *r, const char **heads,
		      const char **names)
{
	static const char *const abc[ROB1_NDOMAINS] = { "A", "B", "C", "D", "E", "F", "G" };
	const char *tool = jstr(r->spec, "rob");
	int *levels;
	json_t *row;
	size_t i;

	memset(rb, 0, sizeof(*rb));
	if (!tool)
		return 0;
	rb->rob2 = !strcmp(tool, "rob2");
	rb->ncols = rb->rob2 ? ROB2_NDOMAINS + 1 : ROB1_NDOMAINS;
	for (size_t c = 0; c < rb->ncols; c++) {
		const struct extract_rob_domain *d = rb->rob2 ? extract_rob2_domains : extract_rob1_domains;

		heads[c] = c == ROB2_NDOMAINS && rb->rob2 ? "Overall" : rb->rob2 ? d[c].label : abc[c];
		names[c] = c == ROB2_NDOMAINS && rb->rob2 ? "Overall risk of bias" : d[c].name;
	}
	rb->heads = heads;
	rb->names = names;
	levels = calloc(r->k * rb->ncols + 1, sizeof(*levels));
	if (!levels)
		return lsr_error_oom();
	json_array_foreach(r->data, i, row) {
		json_t *a = json_object_get(row, "rob");

		for (size_t c = 0; i < r->k && c < rb->ncols && c < json_array_size(a); c++)
			levels[i * rb->ncols + c] =
				(int)extract_rob_level_parse(json_string_value(json_array_get(a, c)), rb->rob2);
	}
	rb->levels = levels;
	return 0;
}

int pool_review_forest_svg(struct buf *out, const struct pool_review *r)
{
	struct pool_plot_opts po = POOL_PLOT_OPTS_INIT;
	struct pool_plot_rob rb;
	const char *heads[ROB1_NDOMAINS + 1], *names[ROB1_NDOMAINS + 1];
	int lower = r->better && !strcmp(r->better, "lower"), rc;

	if (!r->res)
		return lsr_error_set(LSR_ENOTFOUND, "analysis '%s' has no data to plot", r->name);
	if ((rc = forest_rob(&rb, r, heads, names)) < 0)
		return rc;
	if (rb.levels)
		po.rob = &rb;
	po.title = r->title;
	po.label_e = "Intervention";
	po.label_c = "Control";
	po.favours_left = lower ? "Favours intervention" : "Favours control";
	po.favours_right = lower ? "Favours control" : "Favours intervention";
	if (!r->better) {
		po.favours_left = NULL;
		po.favours_right = NULL;
	}
	rc = pool_forest_svg(out, r->res, &po);
	free((int *)rb.levels);
	return rc;
}

int pool_review_figures(const struct pool_review *r,
			int (*fn)(const char *file, const char *caption, const struct buf *svg,
				  void *payload),
			void *payload)
{
	static const struct {
		const char *kind, *caption;
	} figs[] = {
		{ "forest", "Forest plot" },
		{ "cumulative", "Cumulative meta-analysis" },
		{ "influence", "Influence diagnostics" },
		{ "bubble", "Meta-regression (bubble plot)" },
		{ "funnel", "Funnel plot" },
	};
	const struct pool_result *x = r->res;
	struct pool_plot_opts po = POOL_PLOT_OPTS_INIT;
	char name[200], file[256], caption[512];
	struct buf b = BUF_INIT;
	int rc = 0;

	if (!x)
		return 0;
	outfile_safe_name(name, sizeof(name), r->name);
	po.title = r->title;
	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]) && rc == 0; i++) {
		buf_reset(&b);
		switch (i) {
		case 0:
			rc = pool_review_forest_svg(&b, r);
			break;
		case 1:
			if (!x->cum || !x->ncum)
				continue;
			rc = pool_cumulative_svg(&b, x, &po);
			break;
		case 2:
			if (!x->infl || !x->ninfl)
				continue;
			rc = pool_influence_svg(&b, x, &po);
			break;
		case 3:
			if (!x->mreg)
				continue;
			rc = pool_bubble_svg(&b, x, &po);
			break;
		default:
			/* beside the small-study tests */
			if (!(x->egger || x->begg || x->tf) || x->no_total || !isfinite(x->main.estimate))
				continue;
			rc = pool_funnel_svg(&b, x, &po);
			break;
		}
		snprintf(file, sizeof(file), "%s-%s.svg", figs[i].kind, name);
		snprintf(caption, sizeof(caption), "%s: %s", figs[i].caption, r->title ? r->title : r->name);
		if (rc == 0)
			rc = fn(file, caption, &b, payload);
	}
	buf_release(&b);
	return rc;
}

static double shown(const struct pool_review *r, double v)
{
	return r->res && r->res->log_scale ? exp(v) : v;
}

/* One line per add-on that ran (the details are in the JSON). */
static int addons_text(struct buf *out, const struct pool_review *r)
{
	const struct pool_result *x = r->res;
	int rc = 0;

	if (x->loo && x->nloo) {
		double lo = INFINITY, hi = -INFINITY;

		for (size_t j = 0; j < x->nloo; j++)
			if (isfinite(x->loo[j].s.estimate)) {
				lo = fmin(lo, x->loo[j].s.estimate);
				hi = fmax(hi, x->loo[j].s.estimate);
			}
		rc = buf_printf(out, "    leave-one-out: estimates from %.2f to %.2f\n", shown(r, lo), shown(r, hi));
	}
	if (rc == 0 && x->cum && x->ncum)
		rc = buf_printf(out, "    cumulative: %zu steps, first %.2f, last %.2f\n", x->ncum,
				shown(r, x->cum[0].s.estimate), shown(r, x->cum[x->ncum - 1].s.estimate));
	if (rc == 0 && x->infl) {
		size_t n = 0;

		for (size_t j = 0; j < x->ninfl; j++)
			n += x->infl[j].influential;
		rc = buf_printf(out, "    influence: %zu of %zu studies marked influential\n", n, x->ninfl);
	}
	if (rc == 0 && x->mreg) {
		const struct pool_metareg *g = x->mreg;

		rc = buf_printf(out, "    meta-regression (k = %d): %s = %.2f, p = %.4g; R2 = %.0f%%, residual tau2 = %.4g\n",
				g->k, g->tdist ? "F" : "QM", g->QM, g->QM_p, isfinite(g->R2) ? g->R2 : 0.0, g->tau2);
	}
	if (rc == 0 && x->egger)
		rc = buf_printf(out, "    Egger's test: bias %.2f, p = %.4g\n", x->egger->bias, x->egger->p);
	if (rc == 0 && x->begg)
		rc = buf_printf(out, "    Begg's test: Kendall's tau %.3f, p = %.4g\n", x->begg->tau, x->begg->p);
	if (rc == 0 && x->tf)
		rc = buf_printf(out, "    trim-and-fill: %d filled on the %s, adjusted %.2f\n", x->tf->k0,
				x->tf->right ? "right" : "left", shown(r, x->tf->filled.estimate));
	return rc;
}

int pool_review_sensitivity_text(struct buf *out, const struct pool_review *r)
{
	const struct pool_summary *m;
	const char *risk;
	int rc, rob1;

	if (!r->sens_rule)
		return 0;
	rob1 = jstr(r->spec, "rob") && !strcmp(jstr(r->spec, "rob"), "rob1");
	risk = strcmp(r->sens_rule, "exclude_some_concerns") ? "high risk of bias"
	       : rob1 ? "unclear or high risk of bias" : "some concerns or high risk of bias";
	rc = buf_printf(out, "  sensitivity analysis (%s): ", r->sens_rule);
	if (rc == 0 && !r->nsens_risk && !r->sens_results)
		return buf_printf(out, "no study at %s, as above", risk);
	for (size_t j = r->nsens_exclude - r->nsens_risk; rc == 0 && j < r->nsens_exclude; j++)
		rc = buf_printf(out, "%s%s", j > r->nsens_exclude - r->nsens_risk ? ", " : "without ",
				r->sens_exclude[j]);
	/* the time points of studies at risk at some of them only */
	for (size_t j = 0; rc == 0 && j < json_array_size(r->sens_results); j++) {
		const json_t *e = json_array_get(r->sens_results, j);

		rc = buf_printf(out, "%s%s at %s", j || r->nsens_risk ? ", " : "without ", jstr(e, "study"),
				jstr(e, "timepoint") ? jstr(e, "timepoint") : "?");
	}
	if (rc < 0 || !r->sens)
		return rc < 0 ? rc : buf_printf(out, " (%s): no study left", risk);
	if (r->sens->no_total) {
		/* subtotals only (subgroup: timepoint): each time point's */
		rc = buf_printf(out, " (%s): subtotals only:", risk);
		for (size_t i = 0; rc == 0 && i < r->sens->nsub; i++) {
			m = &r->sens->sub[i].s;
			rc = buf_printf(out, "%s %s k = %d, %s %.2f [%.2f, %.2f]", i ? ";" : "",
					r->sens->sub[i].label, m->k, jstr(r->spec, "measure"), shown(r, m->estimate),
					shown(r, m->ci_lb), shown(r, m->ci_ub));
		}
		return rc;
	}
	m = &r->sens->main;
	rc = buf_printf(out, " (%s): k = %d, %s %.2f ", risk, m->k, jstr(r->spec, "measure"),
			shown(r, m->estimate));
	if (rc == 0 && isfinite(m->ci_lb) && isfinite(m->ci_ub))
		rc = buf_printf(out, "[%g%% CI %.2f, %.2f], p = %.4g", 100 * r->sens->opts.level,
				shown(r, m->ci_lb), shown(r, m->ci_ub), m->p);
	else if (rc == 0)
		rc = buf_adds(out, "(no CI or test)");
	if (rc == 0)
		rc = buf_printf(out, "; I2 = %.0f%%", m->I2);
	return rc;
}

int pool_review_text(struct buf *out, const struct pool_review *r)
{
	const struct pool_result *x = r->res;
	const struct pool_summary *m;
	struct pool_totals tot;
	double participants;
	int rc;

	/* without a total, the subgroups say what was fitted */
	const struct pool_summary *fit = x && x->no_total && x->nsub ? &x->sub[0].s : x ? &x->main : NULL;

	rc = buf_printf(out, "%s: %s%s%s, %s (%s, %s effects%s%s%s)", r->name, r->outcome,
			r->timepoint ? " at " : "", r->timepoint ? r->timepoint : "",
			jstr(r->spec, "measure"), jstr(r->spec, "method"),
			x ? (fit->random ? "random" : "fixed") : jstr(r->spec, "model"),
			x && fit->random ? ", " : "", x && fit->random ? jstr(r->spec, "tau2") : "",
			x ? pool_ci_title(fit->ci) : "");
	if (rc == 0 && r->subgroup)
		rc = buf_printf(out, ", subgroups by %s", r->subgroup);
	if (rc < 0)
		return rc;
	if (!x)
		return buf_printf(out, "\n  no data\n");
	m = &x->main;
	/* as the table, the forest plot and lsr grade count them (RevMan) */
	pool_totals(&tot, x, NULL);
	participants = tot.n1 + tot.n2;
	if (x->no_total) {
		size_t studies = 0;

		for (size_t i = 0; i < r->k; i++) {
			size_t j = 0;

			while (j < i && strcmp(r->studies[j].label, r->studies[i].label))
				j++;
			studies += j == i;
		}
		rc = buf_printf(out, "\n  %zu studies, %d rows in %zu subgroups, subtotals only. %s.\n",
				studies, m->k, x->nsub, POOL_NO_TOTAL_WHY);
	} else {
		char more[48] = "";

		if (tot.not_estimable)
			snprintf(more, sizeof(more), "; %d more not estimable", tot.not_estimable);
		rc = buf_printf(out, "\n  k = %d (%s%s), %.0f participants: %s %.2f ",
			m->k, r->subgroup && !strcmp(r->subgroup, "timepoint") ? "study time points" : "studies",
			more, participants, jstr(r->spec, "measure"), shown(r, m->estimate));
		if (rc == 0 && isfinite(m->ci_lb) && isfinite(m->ci_ub))
			rc = buf_printf(out, "[%g%% CI %.2f, %.2f], p = %.4g", 100 * x->opts.level,
					shown(r, m->ci_lb), shown(r, m->ci_ub), m->p);
		else if (rc == 0)
			rc = buf_printf(out, "(no CI or test%s)", m->degenerate ? ": degenerate Hartung-Knapp interval" : "");
		if (rc == 0)
			rc = buf_printf(out, "; I2 = %.0f%%, tau2 = %.4g\n", m->I2, m->tau2);
	}
	for (size_t i = 0; rc == 0 && i < x->nsub; i++)
		rc = buf_printf(out, "    %-28s k = %d: %.2f [%.2f, %.2f]\n", x->sub[i].label, x->sub[i].s.k, shown(r, x->sub[i].s.estimate),
				shown(r, x->sub[i].s.ci_lb), shown(r, x->sub[i].s.ci_ub));
	if (rc == 0 && x->nsub > 1 && !x->no_total)
		rc = buf_printf(out, "    test for subgroup differences: Chi2 = %.2f, df = %.0f, p = %.4g\n",
				x->subtest.Q, x->subtest.df, x->subtest.p);
	for (size_t i = 0; rc == 0 && i < r->k; i++)
		if (x->est[i].status == POOL_EST_NOT_ESTIMABLE)
			rc = buf_printf(out, "  ! %s: not estimable (%s)\n", r->studies[i].label,
					x->est[i].reason ? x->est[i].reason : "no estimate");
		else if (x->est[i].status == POOL_EST_EXCLUDED)
			rc = buf_printf(out, "  - %s left out (sensitivity analysis)\n", r->studies[i].label);
	if (rc == 0)
		rc = addons_text(out, r);
	if (rc == 0)
		rc = pool_review_sensitivity_text(out, r);
	if (rc == 0 && r->sens_rule)
		rc = buf_adds(out, "\n");
	for (size_t i = 0; rc == 0 && i < r->warnings.n; i++)
		rc = buf_printf(out, "  ! %s\n", r->warnings.v[i]);
	for (size_t i = 0; rc == 0 && i < x->warnings.n; i++)
		rc = buf_printf(out, "  ! %s\n", x->warnings.v[i]);
	return rc;
}

json_t *pool_review_json(const struct pool_review *r)
{
	json_t *warn = json_array();

	for (size_t i = 0; i < r->warnings.n; i++)
		json_array_append_new(warn, json_string(r->warnings.v[i]));
	json_t *o = json_pack("{s:s, s:i, s:o, s:s, s:O, s:O, s:o, s:o}", "analysis", r->name,
			      "update", r->update_no, "stored", r->stored ? json_true() : json_string("unchanged"),
			      "at", r->at, "spec", r->spec, "data", r->data,
			      "result", r->res ? pool_result_json(r->res) : json_null(), "warnings", warn);

	if (o && r->sens_rule) {
		json_t *ex = json_array();

		for (size_t j = r->nsens_exclude - r->nsens_risk; j < r->nsens_exclude; j++)
			json_array_append_new(ex, json_string(r->sens_exclude[j]));
		json_object_set_new(o, "sensitivity",
				    json_pack("{s:s, s:o, s:o}", "rule", r->sens_rule, "excluded", ex,
					      "result", r->sens ? pool_result_json(r->sens) : json_null()));
		/* per result: the time points left out of studies kept at others */
		if (r->sens_results)
			json_object_set(json_object_get(o, "sensitivity"), "excluded_results", r->sens_results);
	}
	return o;
}
