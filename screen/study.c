/*
 * study.c - studies and the reports that describe them (see screen.h).
 * A study (a trial) is what extraction and pooling work on; its reports
 * are citations included at full text (a trial's first results and its
 * long-term follow-up are two reports of one study).  Links are appended
 * (study_links); a report's latest link counts (view study_reports).
 */
#include "screening_int.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int add_link(struct lsr_db *db, int64_t citation, int64_t study)
{
	static const char sql[] =
		"INSERT INTO study_links(citation_id, study_id, at, actor) VALUES(?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = db_prepare(db, sql);
	char now[CLOCK_ISO_LEN];

	if (!st)
		return lsr_error_last_code();
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, citation);
	if (study)
		sqlite3_bind_int64(st, 2, study);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, db_actor());
	return db_step_done(db, st);
}

/* The report a command names: live, included at full text. */
static int report_of(struct lsr_db *db, int64_t id, int64_t *out)
{
	char ft[32];
	int rc;

	if ((rc = screen_citation_live(db, id, out)) < 0)
		return rc;
	if ((rc = scr_status(db, *out, SCREEN_STAGE_FT, ft, sizeof(ft))) < 0)
		return rc;
	if (strcmp(ft, "included"))
		return lsr_error_set(LSR_ERROR,
				     "citation %lld is not included at full text (%s): only included reports are linked to studies",
				     (long long)id, ft[0] ? ft : "it did not pass title-abstract screening");
	return 0;
}

int screen_study_link(struct lsr_db *db, const int64_t *ids, size_t n, const char *label)
{
	int64_t study = 0, live;
	char now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	int rc;

	if (!label || !*label)
		return lsr_error_set(LSR_EUSAGE, "link needs --study LABEL (e.g. 'Fang 2018')");
	if (n == 0)
		return lsr_error_set(LSR_EUSAGE, "link needs at least one report (citation id)");
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if (!(st = db_prepare(db, "SELECT id FROM studies WHERE label = ?1"))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	db_bind_text(st, 1, label);
	if (sqlite3_step(st) == SQLITE_ROW)
		study = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (!study) {
		if (!(st = db_prepare(db, "INSERT INTO studies(label, created_at, actor) VALUES(?1, ?2, ?3)"))) {
			rc = lsr_error_last_code();
			goto fail;
		}
		clock_now_iso(now);
		db_bind_text(st, 1, label);
		db_bind_text(st, 2, now);
		db_bind_text(st, 3, db_actor());
		if ((rc = db_step_done(db, st)) < 0)
			goto fail;
		study = db_last_id(db);
	}
	for (size_t i = 0; i < n; i++)
		if ((rc = report_of(db, ids[i], &live)) < 0 || (rc = add_link(db, live, study)) < 0 ||
		    (rc = scr_audit(db, "study-link", "citation", live,
				    json_pack("{s:s}", "study", label))) < 0)
			goto fail;
	return db_txn_commit(db);
fail:
	db_txn_rollback(db);
	return rc;
}

int screen_study_unlink(struct lsr_db *db, const int64_t *ids, size_t n)
{
	int64_t live;
	int rc;

	if (n == 0)
		return lsr_error_set(LSR_EUSAGE, "unlink needs at least one report (citation id)");
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = screen_citation_live(db, ids[i], &live)) < 0 ||
		    (rc = add_link(db, live, 0)) < 0 ||
		    (rc = scr_audit(db, "study-unlink", "citation", live, NULL)) < 0)
			goto fail;
	}
	return db_txn_commit(db);
fail:
	db_txn_rollback(db);
	return rc;
}

int screen_studies_json(struct lsr_db *db, struct json_t **out)
{
	static const char sql[] =
		"SELECT s.id, s.label, r.citation_id, m.year, m.title FROM studies s"
		" JOIN study_reports r ON r.study_id = s.id"
		" LEFT JOIN citation_metadata m ON m.id = r.citation_id"
		" ORDER BY s.label, r.citation_id";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *arr = json_array(), *cur = NULL;
	int64_t cur_id = 0;
	int step;

	*out = NULL;
	if (!st) {
		json_decref(arr);
		return lsr_error_last_code();
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *title = (const char *)sqlite3_column_text(st, 4);

		if (!cur || sqlite3_column_int64(st, 0) != cur_id) {
			cur_id = sqlite3_column_int64(st, 0);
			cur = json_pack("{s:I,s:s,s:[]}", "id", (json_int_t)cur_id, "label",
					(const char *)sqlite3_column_text(st, 1), "reports");
			json_array_append_new(arr, cur);
		}
		json_array_append_new(json_object_get(cur, "reports"),
			json_pack("{s:I,s:o,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 2),
				  "year", sqlite3_column_type(st, 3) == SQLITE_NULL ? json_null()
					  : json_integer(sqlite3_column_int64(st, 3)),
				  "title", title ? json_string(title) : json_null()));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		json_decref(arr);
		return db_error(db, sql);
	}
	*out = arr;
	return 0;
}
