/*
 * update.c - updates of a living review (see update.h).
 */
#include "update.h"
#include "db.h"
#include "rows.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

static void copy_col(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	snprintf(dst, n, "%s", s ? s : "");
}

int update_latest(struct lsr_db *db, struct update_info *out)
{
	static const char sql[] =
		"SELECT no, started_at, first_run_id, since, until, closed_at IS NOT NULL"
		" FROM updates ORDER BY no DESC LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return lsr_error_last_code();
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->no = sqlite3_column_int(st, 0);
		copy_col(out->started_at, sizeof(out->started_at), st, 1);
		out->first_run_id = sqlite3_column_int64(st, 2);
		copy_col(out->since, sizeof(out->since), st, 3);
		copy_col(out->until, sizeof(out->until), st, 4);
		out->closed = sqlite3_column_int(st, 5);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(db, sql);
}

int update_begin(struct lsr_db *db, const char *since, const char *until,
		 struct update_info *out)
{
	static const char sql[] =
		"INSERT INTO updates(no, started_at, first_run_id, since, until, actor)"
		" VALUES (coalesce((SELECT max(no) FROM updates), 0) + 1, ?1,"
		" coalesce((SELECT max(id) FROM runs), 0) + 1, ?2, ?3, ?4)";
	char now[CLOCK_ISO_LEN], obj[32];
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if (!(st = db_prepare(db, sql))) {
		db_txn_rollback(db);
		return lsr_error_last_code();
	}
	clock_now_iso(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	db_bind_text(st, 2, since);
	db_bind_text(st, 3, until);
	db_bind_text(st, 4, db_actor());
	if ((rc = db_step_done(db, st)) < 0 || (rc = update_latest(db, out)) < 0) {
		db_txn_rollback(db);
		return rc;
	}
	snprintf(obj, sizeof(obj), "update %d", out->no);
	if ((rc = db_audit(db, "update-begin", obj, NULL)) < 0 || (rc = db_txn_commit(db)) < 0) {
		db_txn_rollback(db);
		return rc;
	}
	return 0;
}

static int set_column(struct lsr_db *db, const char *sql, int no, const char *value)
{
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int(st, 1, no);
	db_bind_text(st, 2, value);
	return db_step_done(db, st);
}

int update_set_summary(struct lsr_db *db, int no, const char *json)
{
	return set_column(db, "UPDATE updates SET summary = ?2 WHERE no = ?1", no, json);
}

int update_close(struct lsr_db *db, int no)
{
	char now[CLOCK_ISO_LEN], obj[32];
	int rc;

	clock_now_iso(now);
	snprintf(obj, sizeof(obj), "update %d", no);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if ((rc = set_column(db, "UPDATE updates SET closed_at = ?2 WHERE no = ?1", no, now)) < 0 ||
	    (rc = db_audit(db, "update-close", obj, NULL)) < 0 || (rc = db_txn_commit(db)) < 0) {
		db_txn_rollback(db);
		return rc;
	}
	return 0;
}

/* The records of included studies' reports, and what they say about
 * themselves or what other records say about them. */
static const char flags_sql[] =
	"WITH inc AS ("
	"  SELECT sr.citation_id, r.id AS record_id, r.pmid, r.relations, r.publication_types"
	"  FROM study_reports sr JOIN citation_members m ON m.citation_id = sr.citation_id"
	"  JOIN live_records r ON r.id = m.record_id),"
	" found(citation_id, record_id, kind, detail) AS ("
	"  SELECT i.citation_id, i.record_id,"
	"   CASE WHEN j.value LIKE 'RetractionIn %' THEN 'retracted'"
	"        WHEN j.value LIKE 'ErratumIn %' THEN 'erratum'"
	"        ELSE 'expression-of-concern' END, j.value"
	"  FROM inc i, json_each(i.relations) j"
	"  WHERE j.value LIKE 'RetractionIn %' OR j.value LIKE 'ErratumIn %'"
	"     OR j.value LIKE 'ExpressionOfConcernIn %'"
	"  UNION"
	"  SELECT i.citation_id, i.record_id, 'retracted', j.value"
	"  FROM inc i, json_each(i.publication_types) j"
	"  WHERE j.value IN ('Retracted Publication', 'Retracted publication')"
	"  UNION"
	"  SELECT i.citation_id, i.record_id,"
	"   CASE WHEN j.value LIKE 'RetractionOf %' THEN 'retracted'"
	"        WHEN j.value LIKE 'ErratumFor %' THEN 'erratum'"
	"        ELSE 'expression-of-concern' END,"
	"   j.value || ' (record ' || n.id || ')'"
	"  FROM inc i JOIN live_records n ON n.relations <> '[]' AND n.id <> i.record_id,"
	"   json_each(n.relations) j"
	"  WHERE i.pmid IS NOT NULL AND j.value IN ('RetractionOf ' || i.pmid,"
	"   'ErratumFor ' || i.pmid, 'ExpressionOfConcernFor ' || i.pmid))"
	" INSERT OR IGNORE INTO update_flags(update_no, citation_id, record_id, kind, detail, at)"
	" SELECT ?1, citation_id, record_id, kind, detail, ?2 FROM found"
	" ORDER BY citation_id, record_id, kind, detail";

int update_check_flags(struct lsr_db *db, int no, int64_t *nnew)
{
	char now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	int rc;

	*nnew = 0;
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if (!(st = db_prepare(db, flags_sql))) {
		db_txn_rollback(db);
		return lsr_error_last_code();
	}
	clock_now_iso(now);
	sqlite3_bind_int(st, 1, no);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	if ((rc = db_step_done(db, st)) < 0) {
		db_txn_rollback(db);
		return rc;
	}
	*nnew = sqlite3_changes(db_handle(db));
	if ((rc = db_txn_commit(db)) < 0) {
		db_txn_rollback(db);
		return rc;
	}
	return 0;
}

int update_flags_json(struct lsr_db *db, int no, json_t **out)
{
	static const char sql[] =
		/* the title looked up per flag: as the right side of a LEFT JOIN
		 * SQLite would build citation_metadata for every citation first */
		"SELECT DISTINCT f.kind, coalesce(f.detail, ''), f.citation_id, coalesce(s.label, ''),"
		" coalesce((SELECT m.title FROM citation_metadata m WHERE m.id = f.citation_id), '')"
		" FROM update_flags f LEFT JOIN study_reports s ON s.citation_id = f.citation_id"
		" WHERE f.update_no = ?1 ORDER BY f.citation_id, f.kind, f.detail";
	static const char *const names[] = { "kind", "detail", "citation", "study", "title", NULL };
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if (no <= 0) {
		*out = arr; /* update 0 has no flags */
		return 0;
	}
	if ((rc = db_rows_json(db, sql, no, names, "ssnss", arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int update_records_added_json(struct lsr_db *db, int no, json_t **out)
{
	static const char sql[] =
		"SELECT s.name, count(r.id) FROM runs u JOIN sources s ON s.id = u.source_id"
		" JOIN run_updates ru ON ru.run_id = u.id"
		" LEFT JOIN live_records r ON r.run_id = u.id"
		" WHERE ru.update_no = ?1 AND u.id NOT IN (SELECT run_id FROM run_withdrawals)"
		" GROUP BY s.id ORDER BY s.id";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *o;
	int step;

	*out = NULL;
	if (!st)
		return lsr_error_last_code();
	o = json_object();
	sqlite3_bind_int(st, 1, no);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_object_set_new(o, (const char *)sqlite3_column_text(st, 0),
				    json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		json_decref(o);
		return db_error(db, sql);
	}
	*out = o;
	return 0;
}

int update_source_searched(struct lsr_db *db, int no, const char *source, int *yes)
{
	static const char sql[] =
		"SELECT count(*) FROM runs u JOIN sources s ON s.id = u.source_id"
		" JOIN run_updates ru ON ru.run_id = u.id"
		" WHERE ru.update_no = ?1 AND u.kind = 'search' AND u.status = 'complete'"
		" AND s.name = ?2";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	*yes = 0;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int(st, 1, no);
	db_bind_text(st, 2, source);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*yes = sqlite3_column_int64(st, 0) > 0;
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

/* *out: a new array of sql's rows (db_rows_json), ?1 bound to no. */
static int rows_array(json_t **out, struct lsr_db *db, const char *sql, int no,
		      const char *const *names, const char *types)
{
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if (!arr)
		return lsr_error_oom();
	if ((rc = db_rows_json(db, sql, no, names, types, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int update_runs_json(struct lsr_db *db, int no, const char *kind, json_t **out)
{
	static const char imports_sql[] =
		"SELECT s.name, u.file_name, u.id, u.count_records FROM runs u"
		" JOIN sources s ON s.id = u.source_id JOIN run_updates ru ON ru.run_id = u.id"
		" WHERE ru.update_no = ?1 AND u.kind = 'import'"
		" AND u.id NOT IN (SELECT run_id FROM run_withdrawals)"
		" AND u.id NOT IN (SELECT run_id FROM import_pending) ORDER BY u.id";
	static const char searches_sql[] =
		"SELECT s.name, u.id, u.status, u.count_reported, coalesce(u.count_records, 0),"
		" CASE WHEN u.status = 'complete' THEN NULL ELSE u.status_reason END FROM runs u"
		" JOIN sources s ON s.id = u.source_id JOIN run_updates ru ON ru.run_id = u.id"
		" WHERE ru.update_no = ?1 AND u.kind = 'search'"
		" AND u.id NOT IN (SELECT run_id FROM run_withdrawals) ORDER BY u.id";
	static const char *const import_names[] = { "source", "file", "run", "records", NULL };
	static const char *const search_names[] = { "source", "run", "status", "reported", "stored",
						    "reason", NULL };
	int search = !strcmp(kind, "search");

	return search ? rows_array(out, db, searches_sql, no, search_names, "snsnns")
		      : rows_array(out, db, imports_sql, no, import_names, "ssnn");
}

/* The audit entries of update no: after its update-begin, before the next
 * update's (?1 is no). */
#define UPDATE_AUDIT_RANGE \
	" a.id > coalesce((SELECT id FROM audit WHERE action = 'update-begin'" \
	"  AND object = 'update ' || ?1), (SELECT max(id) + 1 FROM audit))" \
	" AND a.id < coalesce((SELECT id FROM audit WHERE action = 'update-begin'" \
	"  AND object = 'update ' || (?1 + 1)), (SELECT max(id) + 1 FROM audit))"

int update_dedup_json(struct lsr_db *db, int no, json_t **out)
{
	static const char sql[] =
		"SELECT coalesce(sum(json_extract(a.detail, '$.records_new')), 0),"
		" coalesce(sum(json_extract(a.detail, '$.merges')), 0),"
		" coalesce(sum(json_extract(a.detail, '$.queued')), 0)"
		" FROM audit a WHERE a.action = 'dedup' AND a.object LIKE 'dedup run %' AND"
		UPDATE_AUDIT_RANGE;
	static const char *const names[] = { "records_new", "merges", "queued", NULL };
	json_t *arr;
	int rc;

	if ((rc = rows_array(&arr, db, sql, no, names, "nnn")) < 0)
		return rc;
	*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return *out ? 0 : lsr_error_oom();
}

int update_dedup_needed(struct lsr_db *db, int no, int *needed)
{
	static const char pending_sql[] =
		"SELECT EXISTS (SELECT 1 FROM dedup_records"
		" WHERE id NOT IN (SELECT record_id FROM citation_members))";
	static const char done_sql[] =
		"SELECT EXISTS (SELECT 1 FROM audit a WHERE a.action = 'dedup'"
		" AND a.object LIKE 'dedup run %' AND" UPDATE_AUDIT_RANGE
		" AND a.id > coalesce((SELECT max(id) FROM audit"
		"  WHERE action IN ('import', 'withdraw', 'remove')), 0))";
	int64_t pending = 0, done = 0;
	int rc;

	*needed = 1;
	if ((rc = db_rows_int(&pending, db, pending_sql, 0)) < 0 ||
	    (rc = db_rows_int(&done, db, done_sql, no)) < 0)
		return rc;
	*needed = pending || !done;
	return 0;
}
