/*
 * screen_query.c - what lsr screen shows: progress and agreement, the
 * conflicts, one citation explained, the reports (see screen.h).  Each
 * returns one JSON value that cli/ prints as JSON or as text.
 */
#include "screening_int.h"
#include "rank.h"
#include "../db/rows.h"
#include "../util/array.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *jnum(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

/* Run sql (binding citation as ?1 when nonzero) and collect each row as an
 * object with the given column names. */
static int rows_json(struct lsr_db *db, const char *sql, int64_t citation,
		     const char *const *names, json_t **out)
{
	json_t *arr = json_array();
	int rc = db_rows_json(db, sql, citation, names, NULL, arr);

	if (rc < 0) {
		json_decref(arr);
		arr = NULL;
	}
	*out = arr;
	return rc;
}

/* A JSON value stored as text, or null. */
static json_t *jparse(const char *text)
{
	json_t *j = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;

	return j ? j : json_null();
}

/* ---- agreement ------------------------------------------------------------ */

struct pair {
	const char *stage;
	char *a, *b;
	double t[9];
};

static int verdict_index(const char *v)
{
	return !strcmp(v, "include") ? 0 : !strcmp(v, "exclude") ? 1 : 2;
}

/* Agreement per stage and reviewer pair, on each reviewer's first own
 * decision (the independent judgement, before any discussion). */
static int agreement_json(struct lsr_db *db, json_t **out)
{
	static const char sql[] =
		"SELECT d.stage, d.citation_id, d.reviewer, d.verdict FROM screen_decisions d"
		" WHERE d.kind = 'review' AND d.carried_from IS NULL"
		" AND d.id = (SELECT min(x.id) FROM screen_decisions x WHERE x.citation_id = d.citation_id"
		"   AND x.stage = d.stage AND x.kind = 'review' AND x.reviewer = d.reviewer"
		"   AND x.carried_from IS NULL)"
		" ORDER BY d.stage DESC, d.citation_id, d.reviewer";
	struct vote { char *reviewer; int v; } votes[32];
	struct pair *pairs = NULL;
	size_t npairs = 0, nvotes = 0;
	char stage[32] = "";
	int64_t cur = -1;
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *arr;
	int step = SQLITE_DONE, rc = 0;

	*out = NULL;
	if (!st)
		return lsr_error_last_code();
	for (;;) {
		int done;

		step = sqlite3_step(st);
		done = step != SQLITE_ROW;
		if (done || sqlite3_column_int64(st, 1) != cur ||
		    strcmp((const char *)sqlite3_column_text(st, 0), stage)) {
			/* close the previous citation: every pair of its reviewers */
			for (size_t i = 0; i < nvotes && rc == 0; i++)
				for (size_t j = i + 1; j < nvotes && rc == 0; j++) {
					struct pair *pp = NULL;

					for (size_t k = 0; k < npairs; k++)
						if (!strcmp(pairs[k].stage, stage) &&
						    !strcmp(pairs[k].a, votes[i].reviewer) &&
						    !strcmp(pairs[k].b, votes[j].reviewer))
							pp = &pairs[k];
					if (!pp) {
						struct pair *np = realloc(pairs, sizeof(*np) * (npairs + 1));

						if (!np) {
							rc = lsr_error_oom();
							break;
						}
						pairs = np;
						pp = &pairs[npairs++];
						memset(pp, 0, sizeof(*pp));
						pp->stage = scr_stage(stage);
						pp->a = strdup(votes[i].reviewer);
						pp->b = strdup(votes[j].reviewer);
						if (!pp->a || !pp->b) {
							rc = lsr_error_oom();
							break;
						}
					}
					pp->t[votes[i].v * 3 + votes[j].v] += 1;
				}
			for (size_t i = 0; i < nvotes; i++)
				free(votes[i].reviewer);
			nvotes = 0;
			if (done || rc < 0)
				break;
			cur = sqlite3_column_int64(st, 1);
			snprintf(stage, sizeof(stage), "%s", (const char *)sqlite3_column_text(st, 0));
		}
		if (nvotes < sizeof(votes) / sizeof(votes[0])) {
			votes[nvotes].reviewer = strdup((const char *)sqlite3_column_text(st, 2));
			votes[nvotes].v = verdict_index((const char *)sqlite3_column_text(st, 3));
			if (!votes[nvotes].reviewer) {
				rc = lsr_error_oom();
				break;
			}
			nvotes++;
		}
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < nvotes; i++)
		free(votes[i].reviewer);
	if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = db_error(db, sql);
	arr = json_array();
	for (size_t k = 0; k < npairs && rc == 0; k++) {
		struct screen_agreement ag;

		if ((rc = screen_agreement_table(&ag, pairs[k].t, 3)) < 0)
			break;
		json_array_append_new(arr, json_pack("{s:s,s:[s,s],s:I,s:o,s:o,s:o,s:o,s:o,s:o}",
			"stage", pairs[k].stage, "reviewers", pairs[k].a, pairs[k].b,
			"n", (json_int_t)ag.n, "percent_agreement", jnum(100 * ag.po),
			"kappa", jnum(ag.kappa), "kappa_se", jnum(ag.kappa_se),
			"kappa_ci_lb", jnum(ag.kappa_lb), "kappa_ci_ub", jnum(ag.kappa_ub),
			"ac1", jnum(ag.ac1)));
	}
	for (size_t k = 0; k < npairs; k++) {
		free(pairs[k].a);
		free(pairs[k].b);
	}
	free(pairs);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

/* ---- status ----------------------------------------------------------------- */

/*
 * The status views cost seconds each at a million citations, so each
 * stage's is read once: grouped by status and decided_by (and, for the
 * excluded, the reason; for full text not retrieved, why), the counts
 * summed here.  Full text lists its exclusions in the order its SQL
 * gives; title-abstract sorts its own (ta_agg below), since it may be
 * summed from the stopping rule's pass, one citation at a time.
 */
enum { TA_CITATIONS, TA_SCREENED, TA_INCLUDED, TA_EXCLUDED, TA_BY_REVIEWERS, TA_BY_AUTOMATION,
       TA_PENDING, TA_CONFLICTS, TA_BY_STOPPING, TA_N };
enum { FT_SOUGHT, FT_AWAITING, FT_NOT_RETRIEVED, FT_ASSESSED, FT_INCLUDED, FT_EXCLUDED,
       FT_PENDING, FT_CONFLICTS, FT_N };

struct ft_pass {
	int64_t c[FT_N];
	json_t *exclusions, *not_retrieved;
};

static int is(const unsigned char *v, const char *s)
{
	return v && !strcmp((const char *)v, s);
}

/*
 * The title-abstract figures, summed from groups of citations or from one
 * citation at a time (the stopping rule's pass over the same view), and
 * the exclusions grouped by reason and decided_by, listed in the order
 * SQL's ORDER BY reason, decided_by gives (NULL first, bytes compared).
 */
struct ta_excl {
	char *reason, *by;
	int64_t n;
};

struct ta_agg {
	int64_t c[TA_N];
	struct ta_excl *ex;
	size_t nex, aex, last;
};

static int same_str(const char *a, const unsigned char *b)
{
	return a ? b && !strcmp(a, (const char *)b) : !b;
}

/* n citations of status, decided_by by and (excluded) reason. */
static int ta_add(struct ta_agg *a, const unsigned char *status, const unsigned char *by,
		  const unsigned char *reason, int64_t n)
{
	int excluded = is(status, "excluded");
	size_t k;

	a->c[TA_CITATIONS] += n;
	a->c[TA_SCREENED] += is(by, "automation") ? 0 : n;
	a->c[TA_INCLUDED] += is(status, "included") ? n : 0;
	a->c[TA_EXCLUDED] += excluded ? n : 0;
	a->c[TA_BY_REVIEWERS] += excluded && by && !is(by, "automation") &&
				 !is(by, "stopping-rule") ? n : 0;
	a->c[TA_BY_AUTOMATION] += is(by, "automation") ? n : 0;
	a->c[TA_PENDING] += is(status, "pending") ? n : 0;
	a->c[TA_CONFLICTS] += is(status, "conflict") ? n : 0;
	a->c[TA_BY_STOPPING] += is(by, "stopping-rule") ? n : 0;
	if (!excluded)
		return 0;
	/* the group of the row before first: citations come in runs */
	if (a->last < a->nex && same_str(a->ex[a->last].reason, reason) &&
	    same_str(a->ex[a->last].by, by)) {
		a->ex[a->last].n += n;
		return 0;
	}
	for (k = 0; k < a->nex; k++)
		if (same_str(a->ex[k].reason, reason) && same_str(a->ex[k].by, by))
			break;
	if (k == a->nex) {
		if (ARRAY_GROW(a->ex, a->nex, a->aex, 16) < 0)
			return LSR_ENOMEM;
		a->ex[k] = (struct ta_excl){ reason ? xstrdup((const char *)reason) : NULL,
					     by ? xstrdup((const char *)by) : NULL, 0 };
		a->nex++;
		if ((reason && !a->ex[k].reason) || (by && !a->ex[k].by))
			return LSR_ENOMEM;
	}
	a->ex[k].n += n;
	a->last = k;
	return 0;
}

static int ta_each(void *payload, const unsigned char *status, const unsigned char *by,
		   const unsigned char *reason)
{
	return ta_add(payload, status, by, reason, 1);
}

static int ta_row(sqlite3_stmt *st, void *payload)
{
	return ta_add(payload, sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		      sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3));
}

/* NULL first, then the bytes */
static int cmp_nstr(const char *a, const char *b)
{
	if (!a || !b)
		return !b - !a;
	return strcmp(a, b);
}

static int cmp_excl(const void *x, const void *y)
{
	const struct ta_excl *a = x, *b = y;
	int c = cmp_nstr(a->reason, b->reason);

	return c ? c : cmp_nstr(a->by, b->by);
}

static void ta_agg_release(struct ta_agg *a)
{
	for (size_t k = 0; k < a->nex; k++) {
		free(a->ex[k].reason);
		free(a->ex[k].by);
	}
	free(a->ex);
	memset(a, 0, sizeof(*a));
}

static json_t *nstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* a's counts under keys (in that order) and its exclusions into o. */
static int ta_json(struct ta_agg *a, const char *const *keys, json_t *o)
{
	json_t *arr = json_array();

	if (!arr)
		return lsr_error_oom();
	if (a->nex)
		qsort(a->ex, a->nex, sizeof(*a->ex), cmp_excl);
	for (size_t k = 0; k < a->nex; k++)
		if (json_array_append_new(arr, json_pack("{s:o,s:o,s:I}", "reason",
							 nstr(a->ex[k].reason), "decided_by",
							 nstr(a->ex[k].by), "count",
							 (json_int_t)a->ex[k].n))) {
			json_decref(arr);
			return lsr_error_oom();
		}
	for (int i = 0; keys[i]; i++)
		json_object_set_new(o, keys[i], json_integer(a->c[i]));
	json_object_set_new(o, "exclusions", arr);
	return 0;
}

static int ft_row(sqlite3_stmt *st, void *payload)
{
	struct ft_pass *p = payload;
	const unsigned char *status = sqlite3_column_text(st, 0);
	int64_t n = sqlite3_column_int64(st, 4);
	int awaiting = is(status, "awaiting-retrieval"), not_retrieved = is(status, "not-retrieved");

	p->c[FT_SOUGHT] += n;
	p->c[FT_AWAITING] += awaiting ? n : 0;
	p->c[FT_NOT_RETRIEVED] += not_retrieved ? n : 0;
	p->c[FT_ASSESSED] += !awaiting && !not_retrieved ? n : 0;
	p->c[FT_INCLUDED] += is(status, "included") ? n : 0;
	p->c[FT_EXCLUDED] += is(status, "excluded") ? n : 0;
	p->c[FT_PENDING] += is(status, "pending") ? n : 0;
	p->c[FT_CONFLICTS] += is(status, "conflict") ? n : 0;
	/* a group of exclusions: {reason, decided_by, count} */
	if (is(status, "excluded") &&
	    json_array_append_new(p->exclusions,
				  json_pack("{s:o,s:o,s:I}", "reason", db_col_json(st, 1, 0),
					    "decided_by", db_col_json(st, 2, 0), "count",
					    (json_int_t)n)))
		return LSR_ENOMEM;
	if (not_retrieved &&
	    json_array_append_new(p->not_retrieved,
				  json_pack("{s:o,s:I}", "reason", db_col_json(st, 3, 0), "count",
					    (json_int_t)n)))
		return LSR_ENOMEM;
	return 0;
}

/* The full-text pass (sql, rows for ft_row), then its counts under keys
 * (in that order), its exclusions and not_retrieved_reasons into o. */
static int ft_json(struct lsr_db *db, const char *sql, const char *const *keys, json_t *o)
{
	struct ft_pass p = { { 0 }, json_array(), json_array() };
	int rc = p.exclusions && p.not_retrieved ? 0 : LSR_ENOMEM;

	if (rc == 0)
		rc = db_rows_each(db, sql, 0, ft_row, &p);
	if (rc < 0) {
		json_decref(p.exclusions);
		json_decref(p.not_retrieved);
		return rc == LSR_ENOMEM ? lsr_error_oom() : rc;
	}
	for (int i = 0; keys[i]; i++)
		json_object_set_new(o, keys[i], json_integer(p.c[i]));
	json_object_set_new(o, "not_retrieved_reasons", p.not_retrieved);
	json_object_set_new(o, "exclusions", p.exclusions);
	return 0;
}

/* The status; its title-abstract figures from ta when not NULL (summed
 * by the stopping rule's pass), else from a pass of their own. */
static int status_json(struct lsr_db *db, struct ta_agg *pre, struct json_t **out)
{
	static const char sql_ta[] =
		"SELECT status, decided_by,"
		" CASE WHEN status = 'excluded' THEN coalesce(reason, '(none)') END, count(*)"
		" FROM screen_ta_status GROUP BY 1, 2, 3";
	static const char *const keys_ta[] = { "citations", "screened", "included", "excluded",
		"excluded_by_reviewers", "excluded_by_automation", "pending", "conflicts",
		"excluded_by_stopping_rule", NULL };
	static const char sql_ft[] =
		"SELECT status,"
		" CASE WHEN status = 'excluded' THEN coalesce(reason, '(none)') END,"
		" CASE WHEN status = 'excluded' THEN decided_by END,"
		" CASE WHEN status = 'not-retrieved' THEN retrieval_reason END, count(*)"
		" FROM screen_ft_status GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 4, 1";
	static const char *const keys_ft[] = { "reports_sought", "awaiting_retrieval",
		"not_retrieved", "assessed", "included", "excluded", "pending", "conflicts", NULL };
	/* a live citation as live_citations has it (a member taking part),
	 * asked per row: joining the view groups every member of the review
	 * first (1.3 s at a million citations, with nothing assigned) */
#define LIVE(col) "EXISTS (SELECT 1 FROM citation_members m JOIN dedup_records r" \
		  " ON r.id = m.record_id WHERE m.citation_id = " col ")"
	static const char sql_reviewers[] =
		"SELECT a.stage, a.reviewer, count(*),"
		" sum(EXISTS (SELECT 1 FROM screen_decisions d WHERE d.citation_id = a.citation_id"
		"   AND d.stage = a.stage AND d.kind = 'review' AND d.reviewer = a.reviewer))"
		" FROM screen_assignments a WHERE " LIVE("a.citation_id")
		" GROUP BY a.stage, a.reviewer ORDER BY a.stage DESC, a.reviewer";
	/* screen_conflicts' split arm alone (the view's other arms read both
	 * status views, seconds at a million citations, for no split) */
	static const char sql_split[] =
		"SELECT count(*) FROM (SELECT DISTINCT f.citation_id, f.stage"
		" FROM screen_open_flags f WHERE f.kind = 'split' AND " LIVE("f.citation_id") ")";
#undef LIVE
	/* study_reports evaluates the full-text status: once for both */
	static const char sql_studies[] =
		"SELECT count(DISTINCT study_id), count(*) FROM study_reports";
	json_t *o = json_object(), *ta = json_object(), *ft = json_object(), *x, *rev;
	struct ta_agg own = { { 0 }, NULL, 0, 0, 0 };
	sqlite3_stmt *st;
	int64_t v;
	int rc, step;

	*out = NULL;
	json_object_set_new(o, "schema_version", json_integer(1));
	json_object_set_new(o, "title_abstract", ta);
	json_object_set_new(o, "full_text", ft);
	if (!pre && (rc = db_rows_each(db, sql_ta, 0, ta_row, &own)) < 0) {
		ta_agg_release(&own);
		rc = rc == LSR_ENOMEM ? lsr_error_oom() : rc;
		goto fail;
	}
	rc = ta_json(pre ? pre : &own, keys_ta, ta);
	ta_agg_release(&own);
	if (rc < 0 || (rc = ft_json(db, sql_ft, keys_ft, ft)) < 0)
		goto fail;
	rev = json_array();
	json_object_set_new(o, "reviewers", rev);
	if (!(st = db_prepare(db, sql_reviewers))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t assigned = sqlite3_column_int64(st, 2), decided = sqlite3_column_int64(st, 3);

		json_array_append_new(rev, json_pack("{s:o,s:o,s:I,s:I,s:I}", "stage", db_col_json(st, 0, 's'),
			"reviewer", db_col_json(st, 1, 's'), "assigned", (json_int_t)assigned, "decided",
			(json_int_t)decided, "remaining", (json_int_t)(assigned - decided)));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		rc = db_error(db, sql_reviewers);
		goto fail;
	}
	if ((rc = agreement_json(db, &x)) < 0)
		goto fail;
	json_object_set_new(o, "agreement", x);
	v = 0;
	if ((rc = db_query_int(db, &v, sql_split)) < 0)
		goto fail;
	json_object_set_new(o, "second_looks", json_integer(v));
	if (!(st = db_prepare(db, sql_studies))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = db_error(db, sql_studies);
		goto fail;
	}
	json_object_set_new(o, "studies", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(o, "reports_of_studies", json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	*out = o;
	return 0;
fail:
	json_decref(o);
	return rc;
}

/* A read transaction around the status's queries, so that every figure
 * comes from one snapshot of the review (none when the caller holds a
 * transaction: *own 0). */
static int snapshot_begin(struct lsr_db *db, int *own)
{
	*own = sqlite3_get_autocommit(db_handle(db));
	return *own && db_exec(db, "BEGIN") < 0 ? lsr_error_last_code() : 0;
}

/* The end of it: rc as it was, or COMMIT's error. */
static int snapshot_end(struct lsr_db *db, int own, int rc)
{
	if (!own)
		return rc;
	if (rc < 0) {
		/* keep the first message */
		sqlite3_exec(db_handle(db), "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return db_exec(db, "COMMIT");
}

int screen_status_json(struct lsr_db *db, struct json_t **out)
{
	int own, rc = snapshot_begin(db, &own);

	*out = NULL;
	if (rc < 0)
		return rc;
	rc = snapshot_end(db, own, status_json(db, NULL, out));
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int screen_status_stopping_json(struct lsr_db *db, double recall, double confidence,
				struct json_t **status, struct json_t **stopping)
{
	struct ta_agg a = { { 0 }, NULL, 0, 0, 0 };
	int own, rc = snapshot_begin(db, &own);

	*status = NULL;
	*stopping = NULL;
	if (rc < 0)
		return rc;
	rc = screen_stopping_json_each(db, recall, confidence, stopping, ta_each, &a);
	if (rc == 0)
		rc = status_json(db, &a, status);
	ta_agg_release(&a);
	/* each step has its message (seq_load and status_json say out of memory) */
	rc = snapshot_end(db, own, rc);
	if (rc < 0) {
		json_decref(*status);
		json_decref(*stopping);
		*status = NULL;
		*stopping = NULL;
	}
	return rc;
}

/* ---- conflicts ---------------------------------------------------------------- */

static int decisions_of(struct lsr_db *db, int64_t citation, const char *stage, json_t **out)
{
	static const char sql[] =
		"SELECT reviewer, verdict, reason, note FROM screen_current"
		" WHERE citation_id = ?1 AND stage = ?2 ORDER BY reviewer";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *arr = json_array();
	int step;

	*out = NULL;
	if (!st) {
		json_decref(arr);
		return lsr_error_last_code();
	}
	sqlite3_bind_int64(st, 1, citation);
	db_bind_text(st, 2, stage);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:o,s:o,s:o,s:o}", "reviewer", db_col_json(st, 0, 's'),
			"verdict", db_col_json(st, 1, 's'), "reason", db_col_json(st, 2, 's'), "note", db_col_json(st, 3, 's')));
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		json_decref(arr);
		return db_error(db, sql);
	}
	*out = arr;
	return 0;
}

int screen_conflicts_json(struct lsr_db *db, struct json_t **out)
{
	static const char sql[] =
		"SELECT c.citation_id, c.stage, c.kind, m.title, m.year,"
		" (SELECT detail FROM screen_open_flags f WHERE f.citation_id = c.citation_id"
		"   AND f.stage = c.stage ORDER BY f.id DESC LIMIT 1)"
		" FROM screen_conflicts c LEFT JOIN citation_metadata m ON m.id = c.citation_id"
		" ORDER BY c.citation_id, c.stage DESC, c.kind";
	static const char *const names[] = { "id", "stage", "kind", "title", "year", "flag", NULL };
	json_t *arr;
	size_t i;
	json_t *o;
	int rc;

	*out = NULL;
	if ((rc = rows_json(db, sql, 0, names, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, o) {
		json_t *d, *flag = json_object_get(o, "flag");

		if (json_is_string(flag))
			json_object_set_new(o, "flag", jparse(json_string_value(flag)));
		rc = decisions_of(db, json_integer_value(json_object_get(o, "id")),
				  json_string_value(json_object_get(o, "stage")), &d);
		if (rc < 0) {
			json_decref(arr);
			return rc;
		}
		json_object_set_new(o, "decisions", d);
	}
	*out = arr;
	return 0;
}

/* ---- explain -------------------------------------------------------------------- */

int screen_explain_json(struct lsr_db *db, int64_t citation, struct json_t **out)
{
	static const char sql_meta[] =
		"SELECT m.title, m.year, m.journal, m.doi, m.pmid, m.abstract, m.authors"
		" FROM citation_metadata m WHERE m.id = ?1";
	static const char sql_hits[] =
		"SELECT rule, reason, mode, field, span_start, span_end, matched, error, ruleset"
		" FROM screen_hits WHERE citation_id = ?1"
		" AND ruleset = (SELECT ruleset FROM screen_ruleset_current) ORDER BY rule_index";
	static const char *const hit_names[] = { "rule", "reason", "mode", "field", "start", "end",
		"matched", "error", "ruleset", NULL };
	static const char sql_dec[] =
		"SELECT d.id, d.stage, d.kind, d.reviewer, d.verdict, d.reason, d.note, d.at,"
		" d.carried_from, (d.id IN (SELECT id FROM screen_current UNION ALL"
		"   SELECT id FROM screen_current_resolutions)) AS current"
		" FROM screen_decisions d WHERE d.citation_id = ?1 ORDER BY d.id";
	static const char *const dec_names[] = { "id", "stage", "kind", "reviewer", "verdict",
		"reason", "note", "at", "carried_from", "current", NULL };
	static const char sql_flags[] =
		"SELECT f.id, f.stage, f.kind, f.other_id, f.at,"
		" (f.id IN (SELECT id FROM screen_open_flags)) AS open"
		" FROM screen_flags f WHERE f.citation_id = ?1 ORDER BY f.id";
	static const char *const flag_names[] = { "id", "stage", "kind", "other", "at", "open", NULL };
	static const char sql_ta[] =
		"SELECT status, reason, decided_by, rule, conflict FROM screen_ta_status WHERE citation_id = ?1";
	static const char *const ta_names[] = { "status", "reason", "decided_by", "rule", "conflict", NULL };
	static const char sql_ft[] =
		"SELECT status, reason, decided_by, conflict, file, retrieval_reason"
		" FROM screen_ft_status WHERE citation_id = ?1";
	static const char *const ft_names[] = { "status", "reason", "decided_by", "conflict", "file",
		"retrieval_reason", NULL };
	static const char sql_study[] =
		"SELECT label FROM study_reports WHERE citation_id = ?1";
	static const char *const study_names[] = { "label", NULL };
	json_t *o, *x;
	sqlite3_stmt *st;
	int64_t live;
	int rc;

	*out = NULL;
	if ((rc = screen_citation_live(db, citation, &live)) < 0)
		return rc;
	if (!(st = db_prepare(db, sql_meta)))
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, live);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return lsr_error_set(LSR_ENOTFOUND, "no citation %lld", (long long)citation);
	}
	o = json_object();
	json_object_set_new(o, "id", json_integer(live));
	if (live != citation)
		json_object_set_new(o, "merged_from", json_integer(citation));
	json_object_set_new(o, "title", db_col_json(st, 0, 's'));
	json_object_set_new(o, "year", db_col_json(st, 1, 'n'));
	json_object_set_new(o, "journal", db_col_json(st, 2, 's'));
	json_object_set_new(o, "doi", db_col_json(st, 3, 's'));
	json_object_set_new(o, "pmid", db_col_json(st, 4, 's'));
	json_object_set_new(o, "authors", jparse((const char *)sqlite3_column_text(st, 6)));
	json_object_set_new(o, "abstract", db_col_json(st, 5, 's'));
	sqlite3_reset(st);
#define ADD(key, sql, names, single) do { \
		if ((rc = rows_json(db, sql, live, names, &x)) < 0) \
			goto fail; \
		if (single) { \
			json_t *first = json_array_get(x, 0); \
			json_object_set(o, key, first ? first : json_null()); \
			json_decref(x); \
		} else { \
			json_object_set_new(o, key, x); \
		} \
	} while (0)
	ADD("title_abstract", sql_ta, ta_names, 1);
	ADD("full_text", sql_ft, ft_names, 1);
	ADD("study", sql_study, study_names, 1);
	ADD("hits", sql_hits, hit_names, 0);
	ADD("decisions", sql_dec, dec_names, 0);
	ADD("flags", sql_flags, flag_names, 0);
#undef ADD
	*out = o;
	return 0;
fail:
	json_decref(o);
	return rc;
}

/* ---- reports -------------------------------------------------------------------- */

int screen_reports_json(struct lsr_db *db, struct json_t **out)
{
	static const char sql[] =
		"SELECT f.citation_id, f.status, f.reason, f.file, f.retrieval_reason,"
		" (SELECT label FROM study_reports s WHERE s.citation_id = f.citation_id), m.year, m.title"
		" FROM screen_ft_status f LEFT JOIN citation_metadata m ON m.id = f.citation_id"
		" ORDER BY f.citation_id";
	static const char *const names[] = { "id", "status", "reason", "file", "retrieval_reason",
		"study", "year", "title", NULL };

	return rows_json(db, sql, 0, names, (json_t **)out);
}
