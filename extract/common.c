/*
 * common.c - what the extraction files share: the outcome-data fields,
 * cell checks, arm computations, studies, and the import log.
 */
#include "extract_int.h"
#include "../util/clock.h"
#include "../util/array.h"
#include "../util/err.h"
#include "../util/printed.h"
#include "../util/sha256.h"

#include <ctype.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const xfield_names[XF_COUNT] = {
	"n", "mean", "sd", "se", "ci_low", "ci_high", "median", "q1", "q3",
	"min", "max", "events", "hr", "log_hr", "o_e", "variance", "p",
};

const unsigned xfield_types[XF_COUNT] = {
	XT_CONT | XT_DICH, XT_CONT, XT_CONT, XT_CONT | XT_TTE, XT_CONT | XT_TTE,
	XT_CONT | XT_TTE, XT_CONT, XT_CONT, XT_CONT, XT_CONT, XT_CONT, XT_DICH,
	XT_TTE, XT_TTE, XT_TTE, XT_TTE, XT_TTE,
};

unsigned xoutcome_type(const struct protocol_outcome *o)
{
	if (o->type && !strcmp(o->type, "dichotomous"))
		return XT_DICH;
	if (o->type && !strcmp(o->type, "time-to-event"))
		return XT_TTE;
	return XT_CONT;
}

int xfield_find(const char *name)
{
	for (int i = 0; i < XF_COUNT; i++)
		if (!strcmp(xfield_names[i], name))
			return i;
	return -1;
}

int extract_arm_valid(const char *name)
{
	const char *rest;

	if (!strncmp(name, EXTRACT_ARM_INTERVENTION, strlen(EXTRACT_ARM_INTERVENTION)))
		rest = name + strlen(EXTRACT_ARM_INTERVENTION);
	else if (!strncmp(name, EXTRACT_ARM_CONTROL, strlen(EXTRACT_ARM_CONTROL)))
		rest = name + strlen(EXTRACT_ARM_CONTROL);
	else
		return 0;
	if (!*rest)
		return 1;
	if (*rest++ != '-' || !*rest)
		return 0;
	for (; *rest; rest++)
		if (!isalnum((unsigned char)*rest) && !strchr("._-", *rest))
			return 0;
	return 1;
}

int xparse_number(double *out, const char *s)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return 0;
	errno = 0;
	*out = strtod(s, &end);
	return !*end && !errno && isfinite(*out);
}

int xvalues_equal(const char *a, const char *b)
{
	double x, y;

	if (!a || !b)
		return !a && !b;
	if (xparse_number(&x, a) && xparse_number(&y, b))
		return x == y;
	return !strcmp(a, b);
}

int xjoin(struct buf *out, const struct strv *sv)
{
	int rc = 0;

	for (size_t i = 0; i < sv->n && rc == 0; i++)
		rc = buf_printf(out, "%s%s", i ? ", " : "", sv->v[i]);
	return rc;
}

/* ------------------------------------------------------------------ */
/* cells */

enum numkind { NUM_ANY, NUM_POS, NUM_WHOLE1, NUM_WHOLE0 };

static enum numkind field_kind(int f)
{
	switch (f) {
	case XF_N: return NUM_WHOLE1;
	case XF_EVENTS: return NUM_WHOLE0;
	case XF_SD: case XF_SE: case XF_HR: case XF_VARIANCE: return NUM_POS;
	default: return NUM_ANY;
	}
}

/* parse field f's text; NAN when empty */
static int cell(double *out, int f, const char *s)
{
	static const char *const expect[] = {
		"a number", "a number > 0", "a whole number >= 1", "a whole number >= 0",
	};
	enum numkind k = field_kind(f);
	double v;

	*out = NAN;
	if (!s || !*s)
		return 0;
	if (f == XF_P) { /* as printed, "<0.001" too; no number for the arm data */
		double lo, hi;
		int sig;

		if (printed_p(s, &lo, &hi, &sig) < 0)
			return lsr_error_set(LSR_EPARSE,
					     "column 'p': expected a p-value as printed (0.03, =0.03, <0.001), got '%s'",
					     s);
		return 0;
	}
	if (!xparse_number(&v, s) || (k == NUM_POS && v <= 0) ||
	    (k == NUM_WHOLE1 && (v < 1 || v != floor(v))) ||
	    (k == NUM_WHOLE0 && (v < 0 || v != floor(v))))
		return lsr_error_set(LSR_EPARSE, "column '%s': expected %s, got '%s'",
				     xfield_names[f], expect[k], s);
	*out = v;
	return 0;
}

int xcheck_number(const char *field, const char *value)
{
	double v;
	int f = xfield_find(field);

	if (f < 0)
		BUG("no outcome field '%s'", field);
	return cell(&v, f, value);
}

int xarm_empty(const char *const vals[XF_COUNT])
{
	for (int f = 0; f < XF_COUNT; f++)
		if (vals[f] && *vals[f])
			return 0;
	return 1;
}

static int need(int f, const char *const vals[XF_COUNT], const char *expect)
{
	return lsr_error_set(LSR_EPARSE, "column '%s': expected %s, got '%s'", xfield_names[f],
			     expect, vals[f] ? vals[f] : "");
}

int xarm_compute(struct xarm *out, unsigned type, const char *const vals[XF_COUNT])
{
	double v[XF_COUNT];
	int rc;

	memset(out, 0, sizeof(*out));
	out->mean = out->sd = out->events = out->log_hr = out->se_log_hr = NAN;
	for (int f = 0; f < XF_COUNT; f++)
		if ((rc = cell(&v[f], f, vals[f])) < 0)
			return rc;
	out->n = v[XF_N];
	if (type == XT_DICH) {
		if (isnan(v[XF_N]))
			return need(XF_N, vals, "a whole number >= 1");
		if (isnan(v[XF_EVENTS]))
			return need(XF_EVENTS, vals, "a whole number >= 0");
		if (v[XF_EVENTS] > v[XF_N])
			return lsr_error_set(LSR_EPARSE,
					     "column 'events': expected a whole number <= n (%s), got '%s'",
					     vals[XF_N], vals[XF_EVENTS]);
		out->events = v[XF_EVENTS];
		out->method = "reported";
		return 0;
	}
	if (type == XT_TTE) {
		if (!isnan(v[XF_LOG_HR]) || !isnan(v[XF_SE])) {
			if (isnan(v[XF_LOG_HR]))
				return need(XF_LOG_HR, vals, "a number (the log hazard ratio whose SE is given)");
			if (isnan(v[XF_SE]))
				return need(XF_SE, vals, "a number > 0 (the SE of log_hr)");
			out->log_hr = v[XF_LOG_HR];
			out->se_log_hr = v[XF_SE];
			out->method = "reported";
			return 0;
		}
		if (!isnan(v[XF_HR]) || !isnan(v[XF_CI_LOW]) || !isnan(v[XF_CI_HIGH])) {
			double z = gsl_cdf_ugaussian_Pinv(0.975);

			if (isnan(v[XF_HR]))
				return need(XF_HR, vals, "a number > 0 (the hazard ratio of this CI)");
			if (!(v[XF_CI_LOW] > 0))
				return need(XF_CI_LOW, vals, "a number > 0 (the lower 95% limit of the hazard ratio)");
			if (!(v[XF_CI_HIGH] > v[XF_CI_LOW]))
				return lsr_error_set(LSR_EPARSE,
						     "column 'ci_high': expected a number above ci_low (%s), got '%s'",
						     vals[XF_CI_LOW], vals[XF_CI_HIGH] ? vals[XF_CI_HIGH] : "");
			/* Cochrane Handbook 6.3.2: SE from a 95% CI on the log scale */
			out->log_hr = log(v[XF_HR]);
			out->se_log_hr = (log(v[XF_CI_HIGH]) - log(v[XF_CI_LOW])) / (2 * z);
			out->method = "hr-ci";
			return 0;
		}
		if (!isnan(v[XF_O_E]) || !isnan(v[XF_VARIANCE])) {
			if (isnan(v[XF_O_E]))
				return need(XF_O_E, vals, "a number (O - E, with its variance)");
			if (isnan(v[XF_VARIANCE]))
				return need(XF_VARIANCE, vals, "a number > 0 (the variance of O - E)");
			/* Peto: log HR = (O - E) / V, SE = 1 / sqrt(V) */
			out->log_hr = v[XF_O_E] / v[XF_VARIANCE];
			out->se_log_hr = 1 / sqrt(v[XF_VARIANCE]);
			out->method = "o-e";
			return 0;
		}
		return lsr_error_set(LSR_EPARSE,
				     "column 'hr': a time-to-event row needs hr with ci_low and ci_high, log_hr with se, or o_e with variance");
	}
	/* continuous */
	{
		struct extract_reported r;
		struct extract_meansd m;

		if (isnan(v[XF_N]))
			return need(XF_N, vals, "a whole number >= 1");
		extract_reported_init(&r);
		r.n = v[XF_N];
		r.mean = v[XF_MEAN];
		r.sd = v[XF_SD];
		r.se = v[XF_SE];
		r.ci_low = v[XF_CI_LOW];
		r.ci_high = v[XF_CI_HIGH];
		r.median = v[XF_MEDIAN];
		r.q1 = v[XF_Q1];
		r.q3 = v[XF_Q3];
		r.min = v[XF_MIN];
		r.max = v[XF_MAX];
		if (!isnan(r.se) && isnan(r.mean))
			return need(XF_MEAN, vals, "a number (the mean whose SE is given)");
		if ((rc = extract_convert(&m, &r)) < 0)
			return rc;
		out->mean = m.mean;
		out->sd = m.sd;
		out->method = m.method;
		return 0;
	}
}

int xcheck_characteristic(char **norm, const struct protocol_characteristic *c,
			  const char *value)
{
	double v;

	*norm = NULL;
	if (!value || !*value)
		return 0;
	if (!strcmp(c->type, "number") && !xparse_number(&v, value))
		return lsr_error_set(LSR_EPARSE, "column '%s': expected a number, got '%s'", c->name,
				     value);
	if (!strcmp(c->type, "integer") && (!xparse_number(&v, value) || v != floor(v)))
		return lsr_error_set(LSR_EPARSE, "column '%s': expected a whole number, got '%s'",
				     c->name, value);
	if (!strcmp(c->type, "choice")) {
		struct buf opts = BUF_INIT;
		int rc;

		for (size_t i = 0; i < c->values.n; i++)
			if (!strcasecmp(c->values.v[i], value)) {
				*norm = xstrdup(c->values.v[i]);
				return *norm ? 0 : LSR_ENOMEM;
			}
		xjoin(&opts, &c->values);
		rc = lsr_error_set(LSR_EPARSE, "column '%s': expected one of %s, got '%s'", c->name,
				   opts.s, value);
		buf_release(&opts);
		return rc;
	}
	*norm = xstrdup(value);
	return *norm ? 0 : LSR_ENOMEM;
}

/* ------------------------------------------------------------------ */
/* studies */

int xstudies_load(struct xstudies *out, struct lsr_db *db)
{
	static const char sql[] = "SELECT id, label FROM studies ORDER BY label";
	sqlite3_stmt *st;
	size_t alloc = 0;
	int64_t have = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	/* studies come from screening (lsr study link, migration 0004) */
	if ((rc = db_query_int(db, &have, "SELECT count(*) FROM sqlite_schema"
					   " WHERE type = 'table' AND name = 'studies'")) < 0)
		return rc;
	if (!have)
		return lsr_error_set(LSR_ENOTFOUND,
				     "this review has no studies yet: link the included reports to studies with 'lsr study link' first");
	st = db_prepare(db, sql);
	if (!st)
		return lsr_error_last_code();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = ARRAY_GROW(out->v, out->n, alloc, 32)) < 0)
			goto fail;
		out->v[out->n].id = sqlite3_column_int64(st, 0);
		out->v[out->n].label = xstrdup((const char *)sqlite3_column_text(st, 1));
		if (!out->v[out->n++].label) {
			rc = LSR_ENOMEM;
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = db_error(db, sql);
		goto fail;
	}
	sqlite3_reset(st);
	return 0;
fail:
	sqlite3_reset(st);
	xstudies_release(out);
	return rc;
}

const struct xstudy *xstudies_find(const struct xstudies *s, const char *label)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].label, label))
			return &s->v[i];
	return NULL;
}

void xstudies_release(struct xstudies *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].label);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int ximport_log(int64_t *id, struct lsr_db *db, const char *kind, const char *path,
		const char *person, size_t rows)
{
	static const char sql[] =
		"INSERT INTO extraction_imports(kind, file_name, file_hash, person, actor, at, rows)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	char hash[SHA256_HEX_LEN + 1], now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	int rc;

	if ((rc = sha256_file(path, hash)) < 0)
		return rc;
	st = db_prepare(db, sql);
	if (!st)
		return lsr_error_last_code();
	clock_now_iso(now);
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, path);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, person);
	db_bind_text(st, 5, db_actor());
	db_bind_text(st, 6, now);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)rows);
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	*id = db_last_id(db);
	return 0;
}
