/*
 * store.c - extracted values in the database: which value of each item
 * reaches the analyses, the comparison of two extractions, resolutions,
 * the derived arm data, the export for metafor, and the data the pooling
 * stage reads.
 *
 * An item is one cell of an extraction: (study, characteristic) or
 * (study, outcome, time point, arm, field).  Each extractor's current
 * value is their latest row for it.  The value that reaches the analyses
 * is the latest resolution, if the lead recorded one; else the value the
 * extractors agree on, when at least protocol.extractors of them gave it
 * (or one extractor, when protocol.allow_single_extractor); otherwise the
 * item is open (differ or pending) and its arm stays out of the analyses.
 *
 * extraction_arm_data is derived from the agreed values: each arm's
 * values are converted to what the analyses use (mean/SD, events,
 * log HR/SE), extra arms are combined into intervention/control, and each
 * row keeps the method and the reported values it came from.
 */
#include "extract_int.h"
#include "../util/clock.h"
#include "../util/csvtab.h"
#include "../util/array.h"
#include "../util/err.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* walking the items */

typedef int (*item_fn)(const struct extract_item *it, void *payload);

struct group {
	int64_t study_id;
	char *study, *outcome, *timepoint, *arm, *field;
	size_t n, alloc;
	char **extractors;
	char **values;
};

static void group_clear(struct group *g)
{
	free(g->study);
	free(g->outcome);
	free(g->timepoint);
	free(g->arm);
	free(g->field);
	for (size_t i = 0; i < g->n; i++) {
		free(g->extractors[i]);
		free(g->values[i]);
	}
	g->study = g->outcome = g->timepoint = g->arm = g->field = NULL;
	g->n = 0;
}

static void group_release(struct group *g)
{
	group_clear(g);
	free(g->extractors);
	free(g->values);
}

static int same_text(const char *a, const unsigned char *b)
{
	if (!a || !b)
		return !a && !b;
	return !strcmp(a, (const char *)b);
}

static char *dup_col(sqlite3_stmt *st, int col, int *oom)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	char *s;

	if (!t)
		return NULL;
	s = xstrdup((const char *)t);
	if (!s)
		*oom = 1;
	return s;
}

/* the latest resolution of an item: 1 found (*value set, may be NULL),
 * 0 none */
static int resolution(char **value, struct lsr_db *db, const struct group *g)
{
	static const char sql[] =
		"SELECT value FROM extraction_resolutions WHERE study_id = ?1 AND outcome IS ?2"
		" AND timepoint IS ?3 AND arm IS ?4 AND field = ?5 ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc, oom = 0;

	*value = NULL;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, g->study_id);
	db_bind_text(st, 2, g->outcome);
	db_bind_text(st, 3, g->timepoint);
	db_bind_text(st, 4, g->arm);
	db_bind_text(st, 5, g->field);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = dup_col(st, 0, &oom);
		sqlite3_reset(st);
		return oom ? LSR_ENOMEM : 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, sql);
}

static int emit(struct lsr_db *db, const struct protocol *p, struct group *g, item_fn fn,
		void *payload)
{
	struct extract_item it;
	char *resolved = NULL;
	int need = p->allow_single_extractor ? 1 : (p->extractors > 0 ? p->extractors : 1);
	int rc, all_same = 1;

	if (!g->study)
		return 0;
	for (size_t i = 1; i < g->n; i++)
		if (!xvalues_equal(g->values[0], g->values[i]))
			all_same = 0;
	memset(&it, 0, sizeof(it));
	it.study_id = g->study_id;
	it.study = g->study;
	it.outcome = g->outcome;
	it.timepoint = g->timepoint;
	it.arm = g->arm;
	it.field = g->field;
	it.nvalues = g->n;
	it.extractors = (const char *const *)g->extractors;
	it.values = (const char *const *)g->values;
	if ((rc = resolution(&resolved, db, g)) < 0)
		return rc;
	if (rc == 1) {
		it.state = EXTRACT_RESOLVED;
		it.agreed = resolved;
	} else if (!all_same) {
		it.state = EXTRACT_DIFFER;
	} else if ((int)g->n >= need) {
		it.state = EXTRACT_AGREED;
		it.agreed = g->values[0];
	} else {
		it.state = EXTRACT_PENDING;
	}
	rc = fn(&it, payload);
	free(resolved);
	return rc;
}

/*
 * Call fn for every item, ordered by study label, then characteristics
 * (outcome NULL) before outcome data, by outcome, time point, arm, field.
 */
static int walk_items(struct lsr_db *db, const struct protocol *p, item_fn fn, void *payload)
{
	static const char sql[] =
		"SELECT v.study_id, s.label, v.outcome, v.timepoint, v.arm, v.field, v.extractor, v.value"
		" FROM (SELECT w.*, row_number() OVER (PARTITION BY w.study_id, w.outcome,"
		"        w.timepoint, w.arm, w.field, w.extractor ORDER BY w.id DESC) AS latest"
		"       FROM extraction_values w) v"
		" JOIN studies s ON s.id = v.study_id"
		" WHERE v.latest = 1"
		" ORDER BY s.label, v.outcome, v.timepoint, v.arm, v.field, v.extractor";
	sqlite3_stmt *st = db_prepare(db, sql);
	struct group g;
	int rc = 0, step;

	if (!st)
		return lsr_error_last_code();
	memset(&g, 0, sizeof(g));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int oom = 0;

		if (!g.study || g.study_id != sqlite3_column_int64(st, 0) ||
		    !same_text(g.outcome, sqlite3_column_text(st, 2)) ||
		    !same_text(g.timepoint, sqlite3_column_text(st, 3)) ||
		    !same_text(g.arm, sqlite3_column_text(st, 4)) ||
		    !same_text(g.field, sqlite3_column_text(st, 5))) {
			if ((rc = emit(db, p, &g, fn, payload)) < 0)
				break;
			group_clear(&g);
			g.study_id = sqlite3_column_int64(st, 0);
			g.study = dup_col(st, 1, &oom);
			g.outcome = dup_col(st, 2, &oom);
			g.timepoint = dup_col(st, 3, &oom);
			g.arm = dup_col(st, 4, &oom);
			g.field = dup_col(st, 5, &oom);
		}
		if (g.n == g.alloc) {
			size_t na = g.alloc ? g.alloc * 2 : 4;
			char **e = realloc(g.extractors, na * sizeof(*e));
			char **v = e ? realloc(g.values, na * sizeof(*v)) : NULL;

			if (e)
				g.extractors = e;
			if (!e || !v) {
				rc = lsr_error_oom();
				break;
			}
			g.values = v;
			g.alloc = na;
		}
		g.extractors[g.n] = dup_col(st, 6, &oom);
		g.values[g.n] = dup_col(st, 7, &oom);
		g.n++;
		if (oom) {
			rc = lsr_error_oom();
			break;
		}
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	sqlite3_reset(st);
	if (rc == 0)
		rc = emit(db, p, &g, fn, payload);
	group_release(&g);
	return rc;
}

/* ------------------------------------------------------------------ */
/* compare */

struct compare_state {
	struct extract_compare_counts *counts;
	int all;
	int (*fn)(const struct extract_item *it, void *payload);
	void *payload;
};

static int compare_item(const struct extract_item *it, void *payload)
{
	struct compare_state *c = payload;

	switch (it->state) {
	case EXTRACT_AGREED: c->counts->agreed++; break;
	case EXTRACT_RESOLVED: c->counts->resolved++; break;
	case EXTRACT_DIFFER: c->counts->differ++; break;
	case EXTRACT_PENDING: c->counts->pending++; break;
	}
	if (c->all || it->state == EXTRACT_DIFFER || it->state == EXTRACT_PENDING)
		return c->fn(it, c->payload);
	return 0;
}

int extract_compare(struct extract_compare_counts *counts, struct lsr_db *db,
		    const struct protocol *p, int all,
		    int (*fn)(const struct extract_item *it, void *payload), void *payload)
{
	struct compare_state c = { counts, all, fn, payload };

	memset(counts, 0, sizeof(*counts));
	return walk_items(db, p, compare_item, &c);
}

/* ------------------------------------------------------------------ */
/* derive */

/* one arm's agreed values, being collected */
struct arm_acc {
	int64_t study_id;
	char *study, *outcome, *timepoint, *arm;
	char *vals[XF_COUNT];
	int open; /* some item not agreed */
};

/* one arm, computed */
struct arm_done {
	char *arm;
	struct xarm x;
	json_t *reported; /* {"field": "text", ...} */
};

struct derive_state {
	struct lsr_db *db;
	const struct protocol *p;
	struct arm_acc cur;
	struct arm_done *arms; /* of the current study x outcome x time point */
	size_t narms, alloc;
	size_t problems;
	/* every problem: "study\x1foutcome\x1ftimepoint\x1farm\x1dmessage\x1e" */
	struct buf keys;
};

static void acc_clear(struct arm_acc *a)
{
	free(a->study);
	free(a->outcome);
	free(a->timepoint);
	free(a->arm);
	for (int f = 0; f < XF_COUNT; f++)
		free(a->vals[f]);
	memset(a, 0, sizeof(*a));
}

static void arms_clear(struct derive_state *d)
{
	for (size_t i = 0; i < d->narms; i++) {
		free(d->arms[i].arm);
		json_decref(d->arms[i].reported);
	}
	d->narms = 0;
}

static json_t *jnum(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static int insert_arm(struct derive_state *d, const char *arm, const struct xarm *x,
		      const char *method, json_t *inputs)
{
	static const char sql[] =
		"INSERT INTO extraction_arm_data(study_id, outcome, timepoint, arm, n, mean, sd, events,"
		" log_hr, se_log_hr, method, inputs) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	sqlite3_stmt *st = db_prepare(d->db, sql);
	char *txt = json_dumps(inputs, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	double v[6] = { x->n, x->mean, x->sd, x->events, x->log_hr, x->se_log_hr };
	int rc;

	if (!st || !txt) {
		free(txt);
		return st ? lsr_error_oom() : lsr_error_last_code();
	}
	sqlite3_bind_int64(st, 1, d->cur.study_id);
	db_bind_text(st, 2, d->cur.outcome);
	db_bind_text(st, 3, d->cur.timepoint);
	db_bind_text(st, 4, arm);
	for (int i = 0; i < 6; i++) {
		if (isnan(v[i]))
			sqlite3_bind_null(st, 5 + i);
		else
			sqlite3_bind_double(st, 5 + i, v[i]);
	}
	db_bind_text(st, 11, method);
	db_bind_text(st, 12, txt);
	rc = db_step_done(d->db, st);
	free(txt);
	return rc;
}

static json_t *arm_json(const struct arm_done *a)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:O}", "arm", a->arm, "method", a->x.method,
			 "n", jnum(a->x.n), "mean", jnum(a->x.mean), "sd", jnum(a->x.sd),
			 "events", jnum(a->x.events), "reported", a->reported);
}

/* intervention or control of the current group: the plain arm, or its
 * extra arms combined */
static int derive_side(struct derive_state *d, const char *side, unsigned type)
{
	size_t plen = strlen(side), nextra = 0;
	const struct arm_done *plain = NULL, *extra = NULL;
	struct xarm acc;
	json_t *parts;
	int rc;

	for (size_t i = 0; i < d->narms; i++) {
		const char *a = d->arms[i].arm;

		if (!strcmp(a, side))
			plain = &d->arms[i];
		else if (!strncmp(a, side, plen) && a[plen] == '-')
			extra = &d->arms[i], nextra++;
	}
	if (plain || nextra == 1) {
		const struct arm_done *use = plain ? plain : extra;
		json_t *in = json_pack("{s:s, s:O}", "arm", use->arm, "reported", use->reported);

		rc = in ? insert_arm(d, side, &use->x, use->x.method, in) : lsr_error_oom();
		json_decref(in);
		return rc;
	}
	if (nextra == 0 || type == XT_TTE)
		return 0; /* nothing, or hazard ratios of several arms: not combined */
	parts = json_array();
	memset(&acc, 0, sizeof(acc));
	acc.mean = acc.sd = acc.events = acc.log_hr = acc.se_log_hr = NAN;
	for (size_t i = 0; i < d->narms; i++) {
		const struct arm_done *a = &d->arms[i];

		if (strncmp(a->arm, side, plen) || a->arm[plen] != '-')
			continue;
		json_array_append_new(parts, arm_json(a));
		if (acc.n == 0) {
			acc = a->x;
		} else if (type == XT_DICH) {
			acc.n += a->x.n;
			acc.events += a->x.events;
		} else {
			struct extract_arm x = { acc.n, acc.mean, acc.sd };
			struct extract_arm y = { a->x.n, a->x.mean, a->x.sd };

			if ((rc = extract_convert_combine(&x, &x, &y)) < 0) {
				json_decref(parts);
				return rc;
			}
			acc.n = x.n;
			acc.mean = x.mean;
			acc.sd = x.sd;
		}
	}
	{
		const char *method = type == XT_DICH ? "sum-arms" : "cochrane-combine";
		json_t *in = json_pack("{s:o}", "combined", parts);

		rc = in ? insert_arm(d, side, &acc, method, in) : lsr_error_oom();
		json_decref(in);
	}
	return rc;
}

static int finish_group(struct derive_state *d)
{
	const struct protocol_outcome *o;
	unsigned type;
	int rc = 0;

	if (!d->narms)
		return 0;
	o = protocol_outcome_find(d->p, d->cur.outcome);
	if (o) {
		type = xoutcome_type(o);
		rc = derive_side(d, EXTRACT_ARM_INTERVENTION, type);
		if (rc == 0 && type != XT_TTE)
			rc = derive_side(d, EXTRACT_ARM_CONTROL, type);
	}
	arms_clear(d);
	return rc;
}

/* the arm collected so far is complete */
static int finish_arm(struct derive_state *d)
{
	const struct protocol_outcome *o;
	struct arm_done *a;
	struct xarm x;
	int rc;

	if (!d->cur.arm || d->cur.open || xarm_empty((const char *const *)d->cur.vals))
		return 0;
	o = protocol_outcome_find(d->p, d->cur.outcome);
	if (!o)
		return 0; /* an outcome since removed from the protocol */
	if ((rc = xarm_compute(&x, xoutcome_type(o), (const char *const *)d->cur.vals)) < 0) {
		if (rc != LSR_EPARSE)
			return rc;
		d->problems++;
		return buf_printf(&d->keys, "%s\x1f%s\x1f%s\x1f%s\x1d%s\x1e", d->cur.study,
				  d->cur.outcome, d->cur.timepoint, d->cur.arm, lsr_error_last());
	}
	if (ARRAY_GROW(d->arms, d->narms, d->alloc, 4) < 0)
		return LSR_ENOMEM;
	a = &d->arms[d->narms];
	a->arm = xstrdup(d->cur.arm);
	a->x = x;
	a->reported = json_object();
	if (!a->arm || !a->reported) {
		free(a->arm);
		json_decref(a->reported);
		return lsr_error_oom();
	}
	d->narms++;
	for (int f = 0; f < XF_COUNT; f++)
		if (d->cur.vals[f] && *d->cur.vals[f])
			json_object_set_new(a->reported, xfield_names[f], json_string(d->cur.vals[f]));
	return 0;
}

static int derive_item(const struct extract_item *it, void *payload)
{
	struct derive_state *d = payload;
	int f, rc;

	if (!it->outcome)
		return 0;
	if (!d->cur.arm || d->cur.study_id != it->study_id || strcmp(d->cur.outcome, it->outcome) ||
	    strcmp(d->cur.timepoint, it->timepoint) || strcmp(d->cur.arm, it->arm)) {
		int same_group = d->cur.arm && d->cur.study_id == it->study_id &&
				 !strcmp(d->cur.outcome, it->outcome) &&
				 !strcmp(d->cur.timepoint, it->timepoint);

		if ((rc = finish_arm(d)) < 0)
			return rc;
		if (!same_group && (rc = finish_group(d)) < 0)
			return rc;
		acc_clear(&d->cur);
		d->cur.study_id = it->study_id;
		d->cur.study = xstrdup(it->study);
		d->cur.outcome = xstrdup(it->outcome);
		d->cur.timepoint = xstrdup(it->timepoint);
		d->cur.arm = xstrdup(it->arm);
		if (!d->cur.study || !d->cur.outcome || !d->cur.timepoint || !d->cur.arm)
			return LSR_ENOMEM;
	}
	if (it->state != EXTRACT_AGREED && it->state != EXTRACT_RESOLVED) {
		d->cur.open = 1;
		return 0;
	}
	f = xfield_find(it->field);
	if (f >= 0 && it->agreed && !(d->cur.vals[f] = xstrdup(it->agreed)))
		return LSR_ENOMEM;
	return 0;
}

/* rebuild; problems (arms whose agreed values do not compute) are counted
 * and the first described */
static int derive(struct derive_state *d)
{
	int rc;

	if ((rc = db_exec(d->db, "DELETE FROM extraction_arm_data")) < 0)
		return rc;
	rc = walk_items(d->db, d->p, derive_item, d);
	if (rc == 0)
		rc = finish_arm(d);
	if (rc == 0)
		rc = finish_group(d);
	return rc;
}

static void derive_release(struct derive_state *d)
{
	acc_clear(&d->cur);
	arms_clear(d);
	free(d->arms);
	buf_release(&d->keys);
}

int extract_derive(struct lsr_db *db, const struct protocol *p)
{
	struct derive_state d;
	int rc;

	memset(&d, 0, sizeof(d));
	d.db = db;
	d.p = p;
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	rc = derive(&d);
	derive_release(&d);
	if (rc < 0) {
		db_txn_rollback(db);
		return rc;
	}
	return db_txn_commit(db);
}

/* ------------------------------------------------------------------ */
/* resolve */

/* the item names a characteristic, or a field of an outcome at a time
 * point and arm the protocol knows */
static int check_key(const struct protocol *p, const struct extract_item_key *k)
{
	const struct protocol_outcome *o;
	int f;

	if (!k->outcome) {
		if (!protocol_characteristic_find(p, k->field))
			return lsr_error_set(LSR_EUSAGE, "'%s' is not a characteristic in protocol.yaml",
					     k->field);
		return 0;
	}
	o = protocol_outcome_find(p, k->outcome);
	f = xfield_find(k->field);
	if (!o)
		return lsr_error_set(LSR_EUSAGE, "'%s' is not an outcome in protocol.yaml", k->outcome);
	if (!k->timepoint || !k->arm)
		return lsr_error_set(LSR_EUSAGE, "outcome data is resolved with --timepoint and --arm");
	if (f < 0 || !(xfield_types[f] & xoutcome_type(o)))
		return lsr_error_set(LSR_EUSAGE, "'%s' is not a field of %s outcome '%s'", k->field,
				     o->type, o->name);
	return 0;
}

/* the value is one the item's cell could hold; *norm as stored */
static int check_value(const struct protocol *p, const struct extract_item_key *k,
		       const char *value, char **norm)
{
	int rc;

	*norm = NULL;
	if (!k->outcome)
		return xcheck_characteristic(norm, protocol_characteristic_find(p, k->field), value);
	if ((rc = xcheck_number(k->field, value)) < 0)
		return rc;
	if (value && *value && !(*norm = xstrdup(value)))
		return LSR_ENOMEM;
	return 0;
}

/* the latest value extractor (or anyone, when NULL) gave for the item:
 * 1 found, 0 not */
static int extracted(char **value, struct lsr_db *db, int64_t study_id,
		     const struct extract_item_key *k, const char *extractor)
{
	static const char sql[] =
		"SELECT value FROM extraction_values WHERE study_id = ?1 AND outcome IS ?2"
		" AND timepoint IS ?3 AND arm IS ?4 AND field = ?5 AND (?6 IS NULL OR extractor = ?6)"
		" ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc, oom = 0;

	*value = NULL;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, study_id);
	db_bind_text(st, 2, k->outcome);
	db_bind_text(st, 3, k->outcome ? k->timepoint : NULL);
	db_bind_text(st, 4, k->outcome ? k->arm : NULL);
	db_bind_text(st, 5, k->field);
	db_bind_text(st, 6, extractor);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = dup_col(st, 0, &oom);
		sqlite3_reset(st);
		return oom ? LSR_ENOMEM : 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, sql);
}

static void describe_key(struct buf *b, const struct extract_item_key *k)
{
	if (k->outcome)
		buf_printf(b, "study '%s', outcome '%s' at '%s', arm '%s', field '%s'", k->study,
			   k->outcome, k->timepoint, k->arm, k->field);
	else
		buf_printf(b, "study '%s', characteristic '%s'", k->study, k->field);
}

int extract_resolve(struct lsr_db *db, const struct protocol *p,
		    const struct extract_item_key *key, const char *value,
		    const char *take, const char *note, const char *by)
{
	static const char sql[] =
		"INSERT INTO extraction_resolutions(study_id, outcome, timepoint, arm, field, value,"
		" note, actor, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	struct xstudies studies;
	const struct xstudy *s;
	struct buf what = BUF_INIT;
	struct derive_state d;
	char *taken = NULL, *norm = NULL, *any = NULL, now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	int rc;

	memset(&d, 0, sizeof(d));
	if ((rc = check_key(p, key)) < 0)
		return rc;
	if ((rc = xstudies_load(&studies, db)) < 0)
		return rc;
	describe_key(&what, key);
	s = xstudies_find(&studies, key->study);
	if (!s) {
		rc = lsr_error_set(LSR_ENOTFOUND, "no study '%s'", key->study);
		goto out;
	}
	if ((rc = extracted(&any, db, s->id, key, NULL)) < 0)
		goto out;
	if (rc == 0) {
		rc = lsr_error_set(LSR_ENOTFOUND, "nothing was extracted for %s", what.s);
		goto out;
	}
	if (take) {
		if ((rc = extracted(&taken, db, s->id, key, take)) < 0)
			goto out;
		if (rc == 0) {
			rc = lsr_error_set(LSR_ENOTFOUND, "extractor '%s' gave no value for %s", take, what.s);
			goto out;
		}
		value = taken;
	}
	if ((rc = check_value(p, key, value, &norm)) < 0)
		goto out;
	if ((rc = db_txn_begin(db)) < 0)
		goto out;
	st = db_prepare(db, sql);
	if (!st) {
		rc = lsr_error_last_code();
		goto fail;
	}
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, s->id);
	db_bind_text(st, 2, key->outcome);
	db_bind_text(st, 3, key->outcome ? key->timepoint : NULL);
	db_bind_text(st, 4, key->outcome ? key->arm : NULL);
	db_bind_text(st, 5, key->field);
	db_bind_text(st, 6, norm);
	db_bind_text(st, 7, note);
	db_bind_text(st, 8, db_actor());
	db_bind_text(st, 9, now);
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	d.db = db;
	d.p = p;
	if ((rc = derive(&d)) < 0)
		goto fail;
	if (key->outcome) {
		struct buf mine = BUF_INIT;

		const char *hit;

		buf_printf(&mine, "%s\x1f%s\x1f%s\x1f%s\x1d", key->study, key->outcome, key->timepoint,
			   key->arm);
		hit = d.keys.len ? strstr(d.keys.s, mine.s) : NULL;
		if (hit) {
			/* the agreed values of this arm no longer compute */
			const char *msg = hit + mine.len;

			rc = lsr_error_set(LSR_EPARSE, "refused: with this value, the agreed values of %s give: %.*s",
					   what.s, (int)strcspn(msg, "\x1e"), msg);
			buf_release(&mine);
			goto fail;
		}
		buf_release(&mine);
	}
	{
		json_t *j = json_pack("{s:s, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:s?, s:s}", "study",
				      key->study, "outcome", key->outcome, "timepoint", key->timepoint,
				      "arm", key->arm, "field", key->field, "value", norm, "taken_from",
				      take, "note", note, "by", by ? by : db_actor());
		rc = db_audit_json(db, "extract-resolve", what.s, j);
		if (rc < 0)
			goto fail;
	}
	rc = db_txn_commit(db);
	goto out;
fail:
	db_txn_rollback(db);
out:
	derive_release(&d);
	free(taken);
	free(norm);
	free(any);
	buf_release(&what);
	xstudies_release(&studies);
	return rc;
}

/* ------------------------------------------------------------------ */
/* agreed characteristics, per study */

struct chars {
	int64_t *study_ids;
	struct strv *values; /* "name=value" */
	size_t n, alloc;
};

static int chars_item(const struct extract_item *it, void *payload)
{
	struct chars *c = payload;
	struct buf b = BUF_INIT;

	if (it->outcome || (it->state != EXTRACT_AGREED && it->state != EXTRACT_RESOLVED) ||
	    !it->agreed)
		return 0;
	if (!c->n || c->study_ids[c->n - 1] != it->study_id) {
		if (c->n == c->alloc) {
			size_t na = c->alloc ? c->alloc * 2 : 16;
			int64_t *ids = realloc(c->study_ids, na * sizeof(*ids));
			struct strv *v = ids ? realloc(c->values, na * sizeof(*v)) : NULL;

			if (ids)
				c->study_ids = ids;
			if (!ids || !v)
				return lsr_error_oom();
			c->values = v;
			c->alloc = na;
		}
		c->study_ids[c->n] = it->study_id;
		c->values[c->n] = (struct strv)STRV_INIT;
		c->n++;
	}
	if (buf_printf(&b, "%s=%s", it->field, it->agreed) < 0)
		return LSR_ENOMEM;
	return strv_push_owned(&c->values[c->n - 1], buf_detach(&b));
}

static void chars_release(struct chars *c)
{
	for (size_t i = 0; i < c->n; i++)
		strv_release(&c->values[i]);
	free(c->study_ids);
	free(c->values);
}

static const struct strv *chars_of(const struct chars *c, int64_t study_id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->study_ids[i] == study_id)
			return &c->values[i];
	return NULL;
}

static const char *char_value(const struct strv *sv, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; sv && i < sv->n; i++)
		if (!strncmp(sv->v[i], name, len) && sv->v[i][len] == '=')
			return sv->v[i] + len + 1;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* reading the derived data: one comparison per study x outcome x time */

#define DATA_SQL \
	"SELECT d.study_id, s.label, d.outcome, d.timepoint, d.arm, d.n, d.mean, d.sd, d.events," \
	" d.log_hr, d.se_log_hr, d.method FROM extraction_arm_data d JOIN studies s ON s.id = d.study_id"

static double col_num(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

typedef int (*cmp_fn)(const struct extract_study_data *d, const char *outcome, void *payload);

/* call fn for each complete comparison, ordered by outcome, study, time */
static int walk_comparisons(struct lsr_db *db, const struct protocol *p, const char *outcome,
			    const char *timepoint, const struct chars *chars, cmp_fn fn,
			    void *payload)
{
	static const char sql[] = DATA_SQL
		" WHERE (?1 IS NULL OR d.outcome = ?1) AND (?2 IS NULL OR d.timepoint = ?2)"
		" ORDER BY d.outcome, s.label, d.timepoint, d.arm DESC";
	sqlite3_stmt *st = db_prepare(db, sql);
	struct extract_study_data cur;
	char *cur_outcome = NULL;
	int have = 0, rc = 0, step;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, outcome);
	db_bind_text(st, 2, timepoint);
	memset(&cur, 0, sizeof(cur));
	for (;;) {
		step = sqlite3_step(st);
		if (step == SQLITE_ROW && have && cur.study_id == sqlite3_column_int64(st, 0) &&
		    !strcmp(cur_outcome, (const char *)sqlite3_column_text(st, 2)) &&
		    !strcmp(cur.timepoint, (const char *)sqlite3_column_text(st, 3))) {
			/* the same comparison: its control arm (sorted after intervention) */
		} else {
			if (have) {
				const struct protocol_outcome *o = protocol_outcome_find(p, cur_outcome);
				unsigned type = o ? xoutcome_type(o) : 0;
				int complete = type == XT_TTE ? !isnan(cur.log_hr)
							      : cur.method1 && cur.method2;

				if (o && complete) {
					const struct strv *cv = chars_of(chars, cur.study_id);

					for (size_t i = 0; cv && i < cv->n && rc == 0; i++)
						rc = strv_push(&cur.characteristics, cv->v[i]);
					if (rc == 0)
						rc = fn(&cur, cur_outcome, payload);
				}
				free(cur.study);
				free(cur.timepoint);
				free(cur.method1);
				free(cur.method2);
				strv_release(&cur.characteristics);
				free(cur_outcome);
				cur_outcome = NULL;
				memset(&cur, 0, sizeof(cur));
				if (rc < 0)
					break;
			}
			if (step != SQLITE_ROW)
				break;
			have = 1;
			cur.study_id = sqlite3_column_int64(st, 0);
			cur.study = xstrdup((const char *)sqlite3_column_text(st, 1));
			cur_outcome = xstrdup((const char *)sqlite3_column_text(st, 2));
			cur.timepoint = xstrdup((const char *)sqlite3_column_text(st, 3));
			cur.n1 = cur.mean1 = cur.sd1 = cur.events1 = NAN;
			cur.n2 = cur.mean2 = cur.sd2 = cur.events2 = NAN;
			cur.log_hr = cur.se_log_hr = NAN;
			if (!cur.study || !cur_outcome || !cur.timepoint) {
				rc = lsr_error_oom();
				break;
			}
		}
		{
			const char *arm = (const char *)sqlite3_column_text(st, 4);
			char *method = xstrdup((const char *)sqlite3_column_text(st, 11));

			if (!method) {
				rc = LSR_ENOMEM;
				break;
			}
			if (!strcmp(arm, EXTRACT_ARM_INTERVENTION)) {
				cur.n1 = col_num(st, 5);
				cur.mean1 = col_num(st, 6);
				cur.sd1 = col_num(st, 7);
				cur.events1 = col_num(st, 8);
				cur.log_hr = col_num(st, 9);
				cur.se_log_hr = col_num(st, 10);
				free(cur.method1);
				cur.method1 = method;
			} else {
				cur.n2 = col_num(st, 5);
				cur.mean2 = col_num(st, 6);
				cur.sd2 = col_num(st, 7);
				cur.events2 = col_num(st, 8);
				free(cur.method2);
				cur.method2 = method;
			}
		}
	}
	if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = db_error(db, sql);
	sqlite3_reset(st);
	free(cur.study);
	free(cur.timepoint);
	free(cur.method1);
	free(cur.method2);
	strv_release(&cur.characteristics);
	free(cur_outcome);
	return rc;
}

/* ------------------------------------------------------------------ */
/* export */

struct export_state {
	FILE *f;
	const struct protocol *p;
	enum extract_export_format fmt;
};

static void put_num(FILE *f, double v, char sep)
{
	char tmp[40];

	if (isnan(v)) {
		csvtab_put_raw(f, NULL, sep);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.10g", v);
	csvtab_put_raw(f, tmp, sep);
}

/* RevMan's name of an outcome's data type: the generic inverse variance
 * carries the log hazard ratio and its SE of time-to-event data. */
static const char *revman_type(unsigned type)
{
	return type == XT_DICH ? "Dichotomous" : type == XT_TTE ? "Generic inverse variance" : "Continuous";
}

/* The numbers of one row in RevMan's data table order: events, mean, SD,
 * total per group (experimental, then control), then estimate and SE. */
static void revman_numbers(FILE *f, const struct extract_study_data *d, unsigned type)
{
	put_num(f, type == XT_DICH ? d->events1 : NAN, ',');
	put_num(f, type == XT_CONT ? d->mean1 : NAN, ',');
	put_num(f, type == XT_CONT ? d->sd1 : NAN, ',');
	put_num(f, type == XT_TTE ? NAN : d->n1, ',');
	put_num(f, type == XT_DICH ? d->events2 : NAN, ',');
	put_num(f, type == XT_CONT ? d->mean2 : NAN, ',');
	put_num(f, type == XT_CONT ? d->sd2 : NAN, ',');
	put_num(f, type == XT_TTE ? NAN : d->n2, ',');
	put_num(f, type == XT_TTE ? d->log_hr : NAN, ',');
	put_num(f, type == XT_TTE ? d->se_log_hr : NAN, ',');
}

/* Every argument of metafor's escalc that the data give: ai, bi, ci, di,
 * n1i, n2i; m1i, sd1i, m2i, sd2i; yi, vi, sei (time-to-event log HR). */
static void metafor_numbers(FILE *f, const struct extract_study_data *d, unsigned type)
{
	int dich = type == XT_DICH, cont = type == XT_CONT, tte = type == XT_TTE;

	put_num(f, dich ? d->events1 : NAN, ',');
	put_num(f, dich ? d->n1 - d->events1 : NAN, ',');
	put_num(f, dich ? d->events2 : NAN, ',');
	put_num(f, dich ? d->n2 - d->events2 : NAN, ',');
	put_num(f, tte ? NAN : d->n1, ',');
	put_num(f, tte ? NAN : d->n2, ',');
	put_num(f, cont ? d->mean1 : NAN, ',');
	put_num(f, cont ? d->sd1 : NAN, ',');
	put_num(f, cont ? d->mean2 : NAN, ',');
	put_num(f, cont ? d->sd2 : NAN, ',');
	put_num(f, tte ? d->log_hr : NAN, ',');
	put_num(f, tte ? d->se_log_hr * d->se_log_hr : NAN, ',');
	put_num(f, tte ? d->se_log_hr : NAN, ',');
}

static int export_row(const struct extract_study_data *d, const char *outcome, void *payload)
{
	struct export_state *e = payload;
	const struct protocol_outcome *o = protocol_outcome_find(e->p, outcome);
	unsigned type = xoutcome_type(o);
	FILE *f = e->f;

	csvtab_put_raw(f, d->study, ',');
	csvtab_put_raw(f, outcome, ',');
	csvtab_put_raw(f, d->timepoint, ',');
	if (e->fmt == EXTRACT_EXPORT_REVMAN) {
		csvtab_put_raw(f, revman_type(type), ',');
		revman_numbers(f, d, type);
		goto tail;
	}
	csvtab_put_raw(f, o->type, ',');
	if (e->fmt == EXTRACT_EXPORT_METAFOR) {
		metafor_numbers(f, d, type);
		goto tail;
	}
	put_num(f, type == XT_CONT ? d->mean1 : NAN, ',');
	put_num(f, type == XT_CONT ? d->sd1 : NAN, ',');
	put_num(f, d->n1, ',');
	put_num(f, type == XT_CONT ? d->mean2 : NAN, ',');
	put_num(f, type == XT_CONT ? d->sd2 : NAN, ',');
	put_num(f, d->n2, ',');
	put_num(f, type == XT_DICH ? d->events1 : NAN, ',');
	put_num(f, type == XT_DICH ? d->events2 : NAN, ',');
	put_num(f, type == XT_TTE ? d->log_hr : NAN, ',');
	put_num(f, type == XT_TTE ? d->se_log_hr : NAN, ',');
tail:
	csvtab_put_raw(f, d->method1, ',');
	csvtab_put_raw(f, d->method2, e->p->ncharacteristics ? ',' : '\n');
	for (size_t c = 0; c < e->p->ncharacteristics; c++)
		csvtab_put_raw(f, char_value(&d->characteristics, e->p->characteristics[c].name),
			   c + 1 < e->p->ncharacteristics ? ',' : '\n');
	return ferror(f) ? lsr_error_set(LSR_ERROR, "writing the export failed") : 0;
}

int extract_export_csv(FILE *f, struct lsr_db *db, const struct protocol *p, const char *outcome)
{
	return extract_export(f, db, p, outcome, EXTRACT_EXPORT_CSV);
}

int extract_export(FILE *f, struct lsr_db *db, const struct protocol *p, const char *outcome,
		   enum extract_export_format fmt)
{
	static const char *const csv_cols[] = {
		"study", "outcome", "timepoint", "type", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i",
		"ai", "ci", "yi", "sei", "method1", "method2", NULL,
	};
	static const char *const metafor_cols[] = {
		"study", "outcome", "timepoint", "type", "ai", "bi", "ci", "di", "n1i", "n2i",
		"m1i", "sd1i", "m2i", "sd2i", "yi", "vi", "sei", "method1", "method2", NULL,
	};
	static const char *const revman_cols[] = {
		"Study ID", "Outcome", "Time point", "Data type",
		"Experimental events", "Experimental mean", "Experimental SD", "Experimental total",
		"Control events", "Control mean", "Control SD", "Control total",
		"Estimate", "SE", "Experimental method", "Control method", NULL,
	};
	const char *const *cols = fmt == EXTRACT_EXPORT_METAFOR ? metafor_cols
				  : fmt == EXTRACT_EXPORT_REVMAN ? revman_cols : csv_cols;
	struct chars chars;
	struct export_state e = { f, p, fmt };
	int rc;

	if (outcome && !protocol_outcome_find(p, outcome))
		return lsr_error_set(LSR_ENOTFOUND, "'%s' is not an outcome in protocol.yaml", outcome);
	memset(&chars, 0, sizeof(chars));
	if ((rc = walk_items(db, p, chars_item, &chars)) < 0)
		goto out;
	for (size_t i = 0; cols[i]; i++)
		csvtab_put_raw(f, cols[i], cols[i + 1] || p->ncharacteristics ? ',' : '\n');
	for (size_t c = 0; c < p->ncharacteristics; c++)
		csvtab_put_raw(f, p->characteristics[c].name, c + 1 < p->ncharacteristics ? ',' : '\n');
	rc = walk_comparisons(db, p, outcome, NULL, &chars, export_row, &e);
out:
	chars_release(&chars);
	return rc;
}

/* ------------------------------------------------------------------ */
/* for pooling */

struct data_state {
	struct extract_study_data *v;
	size_t n, alloc;
};

static int data_row(const struct extract_study_data *d, const char *outcome, void *payload)
{
	struct data_state *s = payload;
	struct extract_study_data *o;

	(void)outcome;
	if (ARRAY_GROW(s->v, s->n, s->alloc, 16) < 0)
		return LSR_ENOMEM;
	o = &s->v[s->n];
	*o = *d;
	o->study = xstrdup(d->study);
	o->timepoint = xstrdup(d->timepoint);
	o->method1 = d->method1 ? xstrdup(d->method1) : NULL;
	o->method2 = d->method2 ? xstrdup(d->method2) : NULL;
	o->characteristics = (struct strv)STRV_INIT;
	s->n++;
	if (!o->study || !o->timepoint || (d->method1 && !o->method1) || (d->method2 && !o->method2))
		return LSR_ENOMEM;
	for (size_t i = 0; i < d->characteristics.n; i++)
		if (strv_push(&o->characteristics, d->characteristics.v[i]) < 0)
			return LSR_ENOMEM;
	return 0;
}

int extract_outcome_data(struct extract_study_data **out, size_t *n, struct lsr_db *db,
			 const struct protocol *p, const char *outcome, const char *timepoint)
{
	struct data_state s = { NULL, 0, 0 };
	struct chars chars;
	int rc;

	*out = NULL;
	*n = 0;
	if (!protocol_outcome_find(p, outcome))
		return lsr_error_set(LSR_ENOTFOUND, "'%s' is not an outcome in protocol.yaml", outcome);
	memset(&chars, 0, sizeof(chars));
	rc = walk_items(db, p, chars_item, &chars);
	if (rc == 0)
		rc = walk_comparisons(db, p, outcome, timepoint, &chars, data_row, &s);
	chars_release(&chars);
	if (rc < 0) {
		extract_study_data_free(s.v, s.n);
		return rc;
	}
	*out = s.v;
	*n = s.n;
	return 0;
}

void extract_study_data_free(struct extract_study_data *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].study);
		free(d[i].timepoint);
		free(d[i].method1);
		free(d[i].method2);
		strv_release(&d[i].characteristics);
	}
	free(d);
}
