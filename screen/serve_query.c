/*
 * serve_query.c - the screen stage's side of 'lsr serve' (serve_query.h):
 * handing out the next citation, a citation as the page shows it, progress
 * and decisions, through the same assignment and decision code as batch
 * files.
 */
#include "serve_query.h"
#include "screening_int.h"
#include "../db/rows.h"
#include "../util/err.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The oldest assignment of reviewer at stage without their decision. */
static int open_assignment(struct lsr_db *db, const char *stage, const char *reviewer,
			   int64_t *out)
{
	static const char sql[] =
		"SELECT a.citation_id FROM screen_assignments a"
		" JOIN live_citations c ON c.id = a.citation_id"
		" WHERE a.stage = ?1 AND a.reviewer = ?2"
		" AND NOT EXISTS (SELECT 1 FROM screen_decisions d WHERE d.citation_id = a.citation_id"
		"   AND d.stage = ?1 AND d.kind = 'review' AND d.reviewer = ?2)"
		" ORDER BY a.at, a.batch_id, a.position, a.citation_id LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	*out = 0;
	db_bind_text(st, 1, stage);
	db_bind_text(st, 2, reviewer);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}

int screen_serve_next(struct lsr_db *db, const struct protocol *p, const char *stage_in,
		      const char *reviewer, uint64_t seed, int64_t *out)
{
	const char *stage = scr_stage(stage_in);
	struct screen_batch_opts o = { 0 };
	int64_t batch;
	size_t n;
	FILE *sink;
	int rc;

	*out = 0;
	if (!stage)
		return lsr_error_set(LSR_EUSAGE, "unknown stage '%s' (expected %s or %s)",
				     stage_in ? stage_in : "", SCREEN_STAGE_TA, SCREEN_STAGE_FT);
	if ((rc = open_assignment(db, stage, reviewer, out)) < 0 || *out)
		return rc;
	o.reviewer = reviewer;
	o.stage = stage;
	o.size = 1;
	o.seed = seed;
	o.file = "lsr serve";
	/* the batch file of one row is not needed: the page shows the citation */
	sink = fopen("/dev/null", "w");
	if (!sink)
		return lsr_error_set(LSR_ERROR, "cannot open /dev/null");
	rc = screen_batch_create(db, p, &o, sink, &batch, &n);
	fclose(sink);
	if (rc < 0 || n == 0)
		return rc;
	return open_assignment(db, stage, reviewer, out);
}

/* A JSON array column as stored ('[]' when absent). */
static json_t *json_col(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	json_t *v = t ? json_loads(t, 0, NULL) : NULL;

	return v ? v : json_array();
}

/* Distinct items of a list column over the citation's counted members. */
static int member_list(struct lsr_db *db, int64_t citation, const char *column, json_t *out)
{
	char sql[512];
	sqlite3_stmt *st;
	int step;

	snprintf(sql, sizeof(sql),
		 "SELECT DISTINCT j.value FROM citation_members m"
		 " JOIN records r ON r.id = m.record_id, json_each(r.%s) j"
		 " WHERE m.citation_id = ?1 ORDER BY m.record_id, j.key", column);
	if (!(st = db_prepare(db, sql)))
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(out, db_col_json(st, 0, 's'));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

static int sources_of(struct lsr_db *db, int64_t citation, json_t *out)
{
	static const char sql[] =
		"SELECT r.id, s.name, r.source_record_id, r.title FROM citation_members m"
		" JOIN records r ON r.id = m.record_id JOIN runs u ON u.id = r.run_id"
		" JOIN sources s ON s.id = u.source_id WHERE m.citation_id = ?1 ORDER BY r.id";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(out, json_pack("{s:I,s:o,s:o,s:o}", "record",
						     (json_int_t)sqlite3_column_int64(st, 0),
						     "source", db_col_json(st, 1, 's'),
						     "source_record_id", db_col_json(st, 2, 's'),
						     "title", db_col_json(st, 3, 's')));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

static int suggestions_of(struct lsr_db *db, int64_t citation, json_t *out)
{
	static const char sql[] =
		"SELECT rule, reason, mode, field, span_start, span_end, matched"
		" FROM screen_hits_current WHERE citation_id = ?1 ORDER BY rule_index";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *h = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "rule", db_col_json(st, 0, 's'),
				      "reason", db_col_json(st, 1, 's'), "mode", db_col_json(st, 2, 's'),
				      "field", db_col_json(st, 3, 's'),
				      "start", sqlite3_column_type(st, 4) == SQLITE_NULL ? json_null()
					      : json_integer(sqlite3_column_int64(st, 4)),
				      "end", sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null()
					      : json_integer(sqlite3_column_int64(st, 5)),
				      "matched", db_col_json(st, 6, 's'));

		json_array_append_new(out, h);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

int screen_serve_citation_json(struct lsr_db *db, int64_t citation, json_t **out)
{
	static const char sql[] =
		"SELECT m.title, m.authors, m.year, m.journal, m.abstract, m.doi, m.pmid,"
		" r.publication_types FROM citation_metadata m"
		" JOIN live_citations c ON c.id = m.id"
		" LEFT JOIN records r ON r.id = m.representative_id WHERE m.id = ?1";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *o = NULL, *kw, *mesh, *src, *sug;
	int step, rc;

	*out = NULL;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		o = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "citation",
			      (json_int_t)citation, "title", db_col_json(st, 0, 's'),
			      "authors", json_col(st, 1),
			      "year", sqlite3_column_type(st, 2) == SQLITE_NULL ? json_null()
				      : json_integer(sqlite3_column_int64(st, 2)),
			      "journal", db_col_json(st, 3, 's'), "abstract", db_col_json(st, 4, 's'),
			      "doi", db_col_json(st, 5, 's'), "pmid", db_col_json(st, 6, 's'),
			      "publication_types", json_col(st, 7));
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return lsr_error_set(LSR_ENOTFOUND, "no citation %lld", (long long)citation);
	if (step != SQLITE_ROW)
		return db_error(db, sql);
	if (!o)
		return lsr_error_oom();
	json_object_set_new(o, "keywords", kw = json_array());
	json_object_set_new(o, "mesh", mesh = json_array());
	json_object_set_new(o, "sources", src = json_array());
	json_object_set_new(o, "suggestions", sug = json_array());
	if ((rc = member_list(db, citation, "keywords", kw)) < 0 ||
	    (rc = member_list(db, citation, "mesh", mesh)) < 0 ||
	    (rc = sources_of(db, citation, src)) < 0 ||
	    (rc = suggestions_of(db, citation, sug)) < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int screen_serve_progress(struct lsr_db *db, const char *stage, const char *reviewer,
			  int64_t *assigned, int64_t *done)
{
	static const char sql[] =
		"SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM screen_decisions d"
		"   WHERE d.citation_id = a.citation_id AND d.stage = a.stage"
		"   AND d.kind = 'review' AND d.reviewer = a.reviewer)), 0)"
		" FROM screen_assignments a JOIN live_citations c ON c.id = a.citation_id"
		" WHERE a.stage = ?1 AND a.reviewer = ?2";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, stage);
	db_bind_text(st, 2, reviewer);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*assigned = sqlite3_column_int64(st, 0);
		*done = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

int screen_serve_decide(struct lsr_db *db, const struct protocol *p, int64_t citation,
			const char *stage_in, const char *reviewer, const char *verdict_in,
			const char *reason_in, const char *note, int64_t *out_id)
{
	const char *stage = scr_stage(stage_in), *verdict = scr_verdict(verdict_in), *reason;
	char msg[512];
	int64_t live, id = 0;
	int ok = 0, rc;

	if (!stage)
		return lsr_error_set(LSR_EUSAGE, "stage: expected %s or %s, not '%s'",
				     SCREEN_STAGE_TA, SCREEN_STAGE_FT, stage_in ? stage_in : "");
	if (!verdict)
		return lsr_error_set(LSR_EUSAGE, "verdict: expected include, exclude or maybe, not '%s'",
				     verdict_in ? verdict_in : "");
	if (!strcmp(stage, SCREEN_STAGE_FT) && !strcmp(verdict, "maybe"))
		return lsr_error_set(LSR_EUSAGE, "verdict: maybe is not a full-text verdict (include or exclude)");
	if (scr_reason_check(p, stage, verdict, reason_in, &reason, msg, sizeof(msg)) < 0)
		return lsr_error_set(LSR_EUSAGE, "reason: %s", msg);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if ((rc = screen_citation_live(db, citation, &live)) < 0 ||
	    (rc = scr_assigned(db, live, stage, reviewer, &ok)) < 0)
		goto fail;
	if (!ok) {
		rc = lsr_error_set(LSR_EUSAGE, "citation %lld is not assigned to '%s' at %s",
				   (long long)citation, reviewer, stage);
		goto fail;
	}
	if ((rc = scr_decision_add(db, live, stage, "review", reviewer, verdict, reason, note, 0,
				   0, &id)) < 0)
		goto fail;
	rc = scr_audit(db, "screen-serve", "decision", id,
		       json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s}", "citation", (json_int_t)live,
				 "stage", stage, "reviewer", reviewer, "verdict", verdict,
				 "reason", reason, "via", "lsr serve"));
	if (rc < 0)
		goto fail;
	if ((rc = db_txn_commit(db)) < 0)
		return rc;
	if (out_id)
		*out_id = id;
	return 0;
fail:
	db_txn_rollback(db);
	return rc;
}

int screen_serve_last_decision(struct lsr_db *db, const char *reviewer, int64_t before,
			       int64_t *out_id, int64_t *out_citation, const char **out_stage)
{
	static const char sql[] =
		"SELECT d.id, d.citation_id, d.stage FROM screen_decisions d"
		" WHERE d.kind = 'review' AND d.reviewer = ?1 AND d.import_id IS NULL"
		" AND d.carried_from IS NULL AND (?2 = 0 OR d.id < ?2)"
		" AND d.id = (SELECT max(x.id) FROM screen_decisions x WHERE x.citation_id = d.citation_id"
		"   AND x.stage = d.stage AND x.kind = 'review' AND x.reviewer = d.reviewer)"
		" ORDER BY d.id DESC LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	*out_id = 0;
	db_bind_text(st, 1, reviewer);
	sqlite3_bind_int64(st, 2, before);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*out_id = sqlite3_column_int64(st, 0);
		*out_citation = sqlite3_column_int64(st, 1);
		*out_stage = scr_stage((const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}
