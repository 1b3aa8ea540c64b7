/*
 * runs.c - the runs and records as stored, read back for `lsr run`,
 * `lsr records` and `lsr status`, and the two amendments a person may make
 * to them: withdrawing a run imported by mistake and removing records
 * before screening (runs.h).
 */
#include "runs.h"
#include "db.h"
#include "rows.h"
#include "rawcodec.h"
#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* ---- runs ---------------------------------------------------------------- */

#define RUN_COLUMNS \
	"u.id, s.id, s.name, s.kind, u.kind, coalesce(u.file_name, u.query), u.format," \
	" u.started_at, u.status, u.status_reason, u.file_hash, u.actor, u.notes," \
	" u.count_reported, u.count_records," \
	" (SELECT count(*) FROM records r WHERE r.run_id = u.id" \
	"   AND r.id NOT IN (SELECT record_id FROM record_withdrawals))," \
	" (SELECT count(*) FROM records r WHERE r.run_id = u.id" \
	"   AND r.id IN (SELECT record_id FROM record_withdrawals))," \
	" w.reason, u.searched_on, u.database_version, u.strategy," \
	" coalesce((SELECT max(p.no) FROM updates p WHERE p.first_run_id <= u.id), 0)"

static void run_from_row(sqlite3_stmt *st, struct run_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->source_id = sqlite3_column_int64(st, 1);
	r->source = col(st, 2);
	r->source_kind = col(st, 3);
	if (!r->id)
		return; /* a source without runs */
	r->kind = col(st, 4);
	r->file_or_query = col(st, 5);
	r->format = col(st, 6);
	r->started_at = col(st, 7);
	r->status = col(st, 8);
	r->status_reason = col(st, 9);
	r->file_hash = col(st, 10);
	r->actor = col(st, 11);
	r->notes = col(st, 12);
	r->count_reported = sqlite3_column_type(st, 13) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 13);
	r->records = sqlite3_column_int64(st, 14);
	r->records_live = sqlite3_column_int64(st, 15);
	r->withdrawn_by_source = sqlite3_column_int64(st, 16);
	r->withdrawn_reason = col(st, 17);
	r->searched_on = col(st, 18);
	r->database_version = col(st, 19);
	r->strategy = col(st, 20);
	r->update_no = sqlite3_column_int(st, 21);
}

struct runs_walk {
	run_row_fn fn;
	void *payload;
};

static int run_row_cb(sqlite3_stmt *st, void *payload)
{
	struct runs_walk *w = payload;
	struct run_row row;

	run_from_row(st, &row);
	return w->fn(&row, w->payload);
}

static int runs_walk(struct lsr_db *db, const char *sql, run_row_fn fn, void *payload)
{
	struct runs_walk w = { fn, payload };

	return db_rows_each(db, sql, 0, run_row_cb, &w);
}

int db_runs_foreach(struct lsr_db *db, run_row_fn fn, void *payload)
{
	static const char sql[] =
		"SELECT " RUN_COLUMNS
		" FROM runs u JOIN sources s ON s.id = u.source_id"
		" LEFT JOIN run_withdrawals w ON w.run_id = u.id ORDER BY u.id";

	return runs_walk(db, sql, fn, payload);
}

int db_sources_runs_foreach(struct lsr_db *db, run_row_fn fn, void *payload)
{
	static const char sql[] =
		"SELECT " RUN_COLUMNS
		" FROM sources s LEFT JOIN runs u ON u.source_id = s.id"
		" LEFT JOIN run_withdrawals w ON w.run_id = u.id ORDER BY s.id, u.id";

	return runs_walk(db, sql, fn, payload);
}

int db_run_withdraw(struct lsr_db *db, int64_t id, const char *reason, int64_t *nrecords)
{
	static const char check_sql[] =
		"SELECT (SELECT count(*) FROM runs WHERE id = ?1),"
		" (SELECT count(*) FROM run_withdrawals WHERE run_id = ?1),"
		" (SELECT count(*) FROM records WHERE run_id = ?1)";
	static const char insert_sql[] =
		"INSERT INTO run_withdrawals(run_id, reason, actor, at) VALUES(?1, ?2, ?3, ?4)";
	char now[CLOCK_ISO_LEN], obj[48];
	sqlite3_stmt *st;
	int exists, withdrawn, rc;

	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if (!(st = db_prepare(db, check_sql))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(db, check_sql);
		sqlite3_reset(st);
		goto fail;
	}
	exists = sqlite3_column_int(st, 0);
	withdrawn = sqlite3_column_int(st, 1);
	*nrecords = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	if (!exists) {
		rc = lsr_error_set(LSR_ENOTFOUND, "no run %lld", (long long)id);
		goto fail;
	}
	if (withdrawn) {
		rc = lsr_error_set(LSR_ERROR, "run %lld was already withdrawn", (long long)id);
		goto fail;
	}
	if (!(st = db_prepare(db, insert_sql))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, reason);
	db_bind_text(st, 3, db_actor());
	db_bind_text(st, 4, now);
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	snprintf(obj, sizeof(obj), "run %lld", (long long)id);
	if ((rc = db_audit_json(db, "withdraw", obj,
				json_pack("{s:s, s:I}", "reason", reason, "records",
					  (json_int_t)*nrecords))) < 0)
		goto fail;
	return db_txn_commit(db);
fail:
	db_txn_rollback(db);
	return rc;
}

int db_records_removed_count(struct lsr_db *db, int64_t *out)
{
	*out = 0;
	return db_query_int(db, out,
			    "SELECT count(*) FROM record_removals m JOIN live_records r ON r.id = m.record_id");
}

int db_runs_last_date(struct lsr_db *db, char out[11])
{
	/* the day of the last search: its date when the person gave it, else
	 * the day the run was stored */
	static const char sql[] =
		"SELECT max(coalesce(searched_on, substr(started_at, 1, 10))) FROM runs"
		" WHERE id NOT IN (SELECT run_id FROM run_withdrawals)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	out[0] = '\0';
	if (!st)
		return lsr_error_last_code();
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && col(st, 0))
		snprintf(out, 11, "%s", col(st, 0));
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}

int db_file_imported(struct lsr_db *db, const char *sha256_hex, int *yes)
{
	static const char sql[] =
		"SELECT count(*) FROM runs WHERE file_hash = ?1"
		" AND id NOT IN (SELECT run_id FROM run_withdrawals)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	*yes = 0;
	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, sha256_hex);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*yes = sqlite3_column_int64(st, 0) > 0;
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

/* ---- records ------------------------------------------------------------- */

/* The columns db_record_from_row() decodes, of the records table as r. */
#define RECORD_COLUMNS \
	"r.source_record_id, r.ref_type, r.title, r.abstract, r.authors, r.year," \
	" r.pub_date, r.journal, r.journal_abbrev, r.volume, r.issue, r.pages," \
	" r.doi, r.pmid, r.pmcid, r.other_ids, r.issn, r.language," \
	" r.publication_types, r.mesh, r.keywords, r.relations, r.url, r.line," \
	" r.byte_offset"

#define LIST_SQL \
	"SELECT r.id, s.name, r.run_id, r.position," \
	" CASE WHEN w.run_id IS NOT NULL THEN 'run-withdrawn'" \
	"      WHEN rw.record_id IS NOT NULL THEN 'withdrawn-by-source'" \
	"      WHEN m.record_id IS NOT NULL THEN 'removed' ELSE 'identified' END," \
	" m.reason, " RECORD_COLUMNS \
	" FROM records r JOIN runs u ON u.id = r.run_id JOIN sources s ON s.id = u.source_id" \
	" LEFT JOIN run_withdrawals w ON w.run_id = r.run_id" \
	" LEFT JOIN record_withdrawals rw ON rw.record_id = r.id" \
	" LEFT JOIN record_removals m ON m.record_id = r.id"
#define LIST_FIXED 6 /* columns before RECORD_COLUMNS */

int db_records_foreach(struct lsr_db *db, const struct record_filter *f,
		       record_row_fn fn, void *payload)
{
	/* one statement per combination of filters, so each is prepared once
	 * and cached under its own text */
	struct buf sql = BUF_INIT;
	struct lsr_record rec;
	struct record_row row;
	sqlite3_stmt *st;
	int step, rc = 0, seen = 0;

	buf_adds(&sql, LIST_SQL " WHERE 1");
	if (!f->all && !f->id)
		buf_adds(&sql, " AND w.run_id IS NULL AND rw.record_id IS NULL AND m.record_id IS NULL");
	if (f->source)
		buf_adds(&sql, " AND s.name = ?1");
	if (f->run)
		buf_adds(&sql, " AND r.run_id = ?2");
	if (f->id)
		buf_adds(&sql, " AND r.id = ?3");
	if (buf_adds(&sql, " ORDER BY r.id") < 0) {
		buf_release(&sql);
		return lsr_error_oom();
	}
	st = db_prepare(db, sql.s);
	if (!st) {
		buf_release(&sql);
		return lsr_error_last_code();
	}
	if (f->source)
		db_bind_text(st, 1, f->source);
	if (f->run)
		sqlite3_bind_int64(st, 2, f->run);
	if (f->id)
		sqlite3_bind_int64(st, 3, f->id);
	record_init(&rec);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		seen = 1;
		if ((rc = db_record_from_row(st, LIST_FIXED, &rec)) < 0)
			break;
		row.id = sqlite3_column_int64(st, 0);
		row.source = col(st, 1);
		row.run_id = sqlite3_column_int64(st, 2);
		row.position = sqlite3_column_int64(st, 3);
		row.status = col(st, 4);
		row.removed_reason = col(st, 5);
		row.rec = &rec;
		if ((rc = fn(&row, payload)) < 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql.s);
	sqlite3_reset(st);
	record_release(&rec);
	buf_release(&sql);
	if (rc == 0 && f->id && !seen)
		rc = lsr_error_set(LSR_ENOTFOUND, "no record %lld", (long long)f->id);
	return rc;
}

/* The merged metadata of each live citation, in RECORD_COLUMNS' order
 * (db_record_from_row decodes it): merged fields from citation_metadata,
 * the others from the record PRISMA keeps. */
#define CITATION_SQL \
	"SELECT l.id," \
	" (SELECT group_concat(name, '; ') FROM (SELECT DISTINCT s.name FROM citation_members m" \
	"   JOIN dedup_records d ON d.id = m.record_id JOIN runs u ON u.id = d.run_id" \
	"   JOIN sources s ON s.id = u.source_id WHERE m.citation_id = l.id ORDER BY s.name))," \
	" (SELECT group_concat(record_id, '; ') FROM (SELECT m.record_id FROM citation_members m" \
	"   JOIN dedup_records d ON d.id = m.record_id WHERE m.citation_id = l.id ORDER BY m.record_id))," \
	" sr.label," \
	" r.source_record_id, r.ref_type, coalesce(cm.title, r.title), coalesce(cm.abstract, r.abstract)," \
	" coalesce(cm.authors, r.authors), coalesce(cm.year, r.year), r.pub_date," \
	" coalesce(cm.journal, r.journal), r.journal_abbrev, coalesce(cm.volume, r.volume)," \
	" coalesce(cm.issue, r.issue), coalesce(cm.pages, r.pages), coalesce(cm.doi, r.doi)," \
	" coalesce(cm.pmid, r.pmid), coalesce(cm.pmcid, r.pmcid), r.other_ids, r.issn, r.language," \
	" r.publication_types, r.mesh, r.keywords, r.relations, r.url, r.line, r.byte_offset" \
	" FROM live_citations l JOIN records r ON r.id = l.kept_id" \
	" LEFT JOIN citation_metadata cm ON cm.id = l.id" \
	" LEFT JOIN study_reports sr ON sr.citation_id = l.id"
#define CITATION_FIXED 4 /* columns before the record's */

struct citation_walk {
	struct lsr_record rec;
	citation_row_fn fn;
	void *payload;
};

static int citation_each(sqlite3_stmt *st, void *payload)
{
	struct citation_walk *w = payload;
	struct citation_row row;
	int rc = db_record_from_row(st, CITATION_FIXED, &w->rec);

	if (rc < 0)
		return rc;
	row.id = sqlite3_column_int64(st, 0);
	row.sources = col(st, 1);
	row.records = col(st, 2);
	row.study = col(st, 3);
	row.rec = &w->rec;
	return w->fn(&row, w->payload);
}

int db_citations_foreach(struct lsr_db *db, int included_only, citation_row_fn fn, void *payload)
{
	static const char *const sql[2] = {
		CITATION_SQL " ORDER BY l.id",
		CITATION_SQL " WHERE sr.study_id IS NOT NULL ORDER BY sr.label, l.id",
	};
	struct citation_walk w = { .fn = fn, .payload = payload };
	int rc;

	record_init(&w.rec);
	rc = db_rows_each(db, sql[included_only ? 1 : 0], 0, citation_each, &w);
	record_release(&w.rec);
	return rc;
}

/* The dictionary a stored frame names, from raw_dicts (NULL: it names none). */
static int frame_dict(struct lsr_db *db, const void *frame, size_t n, struct raw_dict **out)
{
	unsigned id = raw_frame_dict(frame, n);
	sqlite3_stmt *st;
	int rc = 0;

	*out = NULL;
	if (!id)
		return 0;
	if (!(st = db_prepare(db, "SELECT dict FROM raw_dicts WHERE id = ?1")))
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = raw_dict_load(out, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
	sqlite3_reset(st);
	return rc; /* missing: raw_unpack says so */
}

int db_record_raw(struct lsr_db *db, int64_t id, unsigned char **out, size_t *len)
{
	static const char sql[] = "SELECT raw, raw_codec FROM records WHERE id = ?1";
	sqlite3_stmt *st = db_prepare(db, sql);
	struct raw_dict *dict = NULL;
	int step, rc = 0;

	*out = NULL;
	*len = 0;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const void *p = sqlite3_column_blob(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		int codec = sqlite3_column_int(st, 1);

		if (codec == RAW_CODEC_ZSTD)
			rc = frame_dict(db, p, n, &dict);
		if (rc == 0)
			rc = raw_unpack(codec, p, n, dict, out, len);
		if (rc < 0)
			rc = lsr_error_wrap("record %lld", (long long)id);
	} else if (step == SQLITE_DONE) {
		rc = lsr_error_set(LSR_ENOTFOUND, "no record %lld", (long long)id);
	} else {
		rc = db_error(db, sql);
	}
	sqlite3_reset(st);
	raw_dict_free(dict);
	return rc;
}

int db_records_remove(struct lsr_db *db, const int64_t *ids, size_t n, const char *reason)
{
	static const char check_sql[] =
		"SELECT (SELECT count(*) FROM records WHERE id = ?1),"
		" (SELECT count(*) FROM record_removals WHERE record_id = ?1),"
		" (SELECT count(*) FROM live_records WHERE id = ?1)";
	static const char insert_sql[] =
		"INSERT INTO record_removals(record_id, reason, actor, at) VALUES(?1, ?2, ?3, ?4)";
	char now[CLOCK_ISO_LEN];
	int rc;

	clock_now_iso(now);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = db_prepare(db, check_sql);
		int exists, removed, live;
		char obj[48];

		if (!st) {
			rc = lsr_error_last_code();
			goto fail;
		}
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			rc = db_error(db, check_sql);
			sqlite3_reset(st);
			goto fail;
		}
		exists = sqlite3_column_int(st, 0);
		removed = sqlite3_column_int(st, 1);
		live = sqlite3_column_int(st, 2);
		sqlite3_reset(st);
		if (!exists) {
			rc = lsr_error_set(LSR_ENOTFOUND, "no record %lld", (long long)ids[i]);
			goto fail;
		}
		if (removed) {
			rc = lsr_error_set(LSR_ERROR, "record %lld was already removed", (long long)ids[i]);
			goto fail;
		}
		if (!live) {
			rc = lsr_error_set(LSR_ERROR, "record %lld is not counted (its run or the source withdrew it)",
					   (long long)ids[i]);
			goto fail;
		}
		if (!(st = db_prepare(db, insert_sql))) {
			rc = lsr_error_last_code();
			goto fail;
		}
		sqlite3_bind_int64(st, 1, ids[i]);
		db_bind_text(st, 2, reason);
		db_bind_text(st, 3, db_actor());
		db_bind_text(st, 4, now);
		if ((rc = db_step_done(db, st)) < 0)
			goto fail;
		snprintf(obj, sizeof(obj), "record %lld", (long long)ids[i]);
		if ((rc = db_audit_json(db, "remove", obj, json_pack("{s:s}", "reason", reason))) < 0)
			goto fail;
	}
	return db_txn_commit(db);
fail:
	db_txn_rollback(db);
	return rc;
}

/* --- imports committed in batches (docs/design.md, "Large imports") ---- */

static void this_host(char *out, size_t n)
{
	if (gethostname(out, n) < 0)
		snprintf(out, n, "unknown");
	out[n - 1] = '\0';
}

int db_import_pending_add(struct lsr_db *db, int64_t run_id, int source_created)
{
	static const char sql[] =
		"INSERT INTO import_pending(run_id, source_created, pid, host) VALUES(?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = db_prepare(db, sql);
	char host[256];

	if (!st)
		return lsr_error_last_code();
	this_host(host, sizeof(host));
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int(st, 2, !!source_created);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)getpid());
	db_bind_text(st, 4, host);
	return db_step_done(db, st);
}

int db_import_pending_done(struct lsr_db *db, int64_t run_id)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM import_pending WHERE run_id = ?1");

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, run_id);
	return db_step_done(db, st);
}

/* The run's rows, children first; ?2 is its source, deleted only when the
 * import created it and no other run uses it. */
static const char *const discard_sql[] = {
	"DELETE FROM record_withdrawals WHERE run_id = ?1",
	"DELETE FROM records WHERE run_id = ?1",
	"DELETE FROM raw_dicts WHERE run_id = ?1",
	"DELETE FROM import_pending WHERE run_id = ?1",
	"DELETE FROM runs WHERE id = ?1",
	/* NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one statement, two lines */
	"DELETE FROM sources WHERE id = ?2 AND ?3"
	" AND NOT EXISTS (SELECT 1 FROM runs WHERE source_id = ?2)",
};

static int discard_rows(struct lsr_db *db, int64_t run_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT p.source_created, u.source_id FROM import_pending p"
					  " JOIN runs u ON u.id = p.run_id WHERE p.run_id = ?1");
	int64_t source_id;
	int created, step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, run_id);
	step = sqlite3_step(st);
	created = sqlite3_column_int(st, 0);
	source_id = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return 0; /* finished, or discarded already */
	if (step != SQLITE_ROW)
		return db_error(db, "SELECT FROM import_pending");
	for (size_t i = 0; i < sizeof(discard_sql) / sizeof(discard_sql[0]) && !rc; i++) {
		if (!(st = db_prepare(db, discard_sql[i])))
			return lsr_error_last_code();
		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_bind_int64(st, 2, source_id);
		sqlite3_bind_int(st, 3, created);
		rc = db_step_done(db, st);
	}
	return rc;
}

int db_import_discard(struct lsr_db *db, int64_t run_id)
{
	int rc;

	if (db_txn_depth(db))
		return lsr_error_set(LSR_EDB, "an unfinished import is discarded outside any transaction");
	/*
	 * Nothing refers to the records of an unfinished import (every view
	 * and stage reads live_records, which leaves them out), so the
	 * foreign keys need no checking; checked, each deleted record would
	 * scan every table that refers to records without an index.
	 */
	if ((rc = db_exec(db, "PRAGMA foreign_keys = OFF")) < 0)
		return rc;
	if ((rc = db_txn_begin(db)) == 0) {
		rc = discard_rows(db, run_id);
		if (rc == 0)
			rc = db_txn_commit(db);
		else
			db_txn_rollback(db);
	}
	if (db_exec(db, "PRAGMA foreign_keys = ON") < 0 && rc == 0)
		rc = lsr_error_last_code();
	return rc;
}

/* Is the process that began an unfinished import gone? */
static int import_is_dead(sqlite3_stmt *st)
{
	char host[256];
	const char *h = (const char *)sqlite3_column_text(st, 2);
	pid_t pid = (pid_t)sqlite3_column_int64(st, 1);

	this_host(host, sizeof(host));
	if (!h || strcmp(h, host))
		return 0; /* another machine: cannot tell */
	if (pid == getpid())
		return 0; /* this process is importing it */
	return kill(pid, 0) < 0 && errno == ESRCH;
}

int db_imports_clean(struct lsr_db *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT run_id, pid, host FROM import_pending ORDER BY run_id");
	int64_t dead[16];
	size_t n = 0;
	int step = SQLITE_DONE, rc = 0;

	if (!st)
		return lsr_error_last_code();
	while (n < sizeof(dead) / sizeof(dead[0]) && (step = sqlite3_step(st)) == SQLITE_ROW)
		if (import_is_dead(st))
			dead[n++] = sqlite3_column_int64(st, 0);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, sqlite3_sql(st));
	sqlite3_reset(st);
	for (size_t i = 0; i < n && !rc; i++)
		rc = db_import_discard(db, dead[i]);
	return rc;
}
