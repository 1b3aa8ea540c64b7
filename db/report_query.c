/*
 * report_query.c - what the report and the PRISMA flow (report/) read of
 * db/'s own tables: sources, runs, records, updates and update_flags
 * (declared in the block at the end of update.h).
 *
 * Scope follows the PRISMA flow: a record belongs to the update of its
 * run (view run_updates).  In the queries ?1 is the update, negative for
 * the whole review.  rows.h checks every step.
 */
#include "rows.h"
#include "update.h"

#include <assert.h>
#include <stdio.h>

#define IN_SCOPE(col) " (?1 < 0 OR " col " = ?1)"

/* ---- records by update ------------------------------------------------------ */

struct source_walk {
	int (*fn)(const struct update_source_count *c, void *payload);
	void *payload;
};

static int source_row(sqlite3_stmt *st, void *payload)
{
	struct source_walk *w = payload;
	struct update_source_count c = {
		db_rows_text(st, 0), db_rows_text(st, 1), sqlite3_column_int64(st, 2),
	};

	return w->fn(&c, w->payload);
}

int update_source_counts(struct lsr_db *db, int update,
			 int (*fn)(const struct update_source_count *c, void *payload),
			 void *payload)
{
	struct source_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT s.name, s.kind, (SELECT count(*) FROM live_records r"
		"  JOIN runs u ON u.id = r.run_id JOIN run_updates ru ON ru.run_id = u.id"
		"  WHERE u.source_id = s.id AND" IN_SCOPE("ru.update_no") ")"
		" FROM sources s ORDER BY s.id", update, source_row, &w);
}

int update_removed_count(int64_t *out, struct lsr_db *db, int update)
{
	return db_rows_int(out, db,
		"SELECT count(DISTINCT m.record_id) FROM record_removals m"
		" JOIN live_records r ON r.id = m.record_id JOIN run_updates ru ON ru.run_id = r.run_id"
		" WHERE" IN_SCOPE("ru.update_no"), update);
}

int update_skipped_count(int64_t *out, struct lsr_db *db, int update)
{
	return db_rows_int(out, db,
		"SELECT count(*) FROM import_skips k JOIN run_updates ru ON ru.run_id = k.run_id"
		" WHERE k.run_id NOT IN (SELECT run_id FROM run_withdrawals) AND" IN_SCOPE("ru.update_no"),
		update);
}

int update_reports_of_previous_studies(int64_t *out, struct lsr_db *db, int update)
{
	*out = 0;
	if (update < 1)
		return 0;
	return db_rows_int(out, db,
		/* each report's update looked up (citation_updates for a few
		 * rows: joining the view would group the whole review) */
		"WITH r AS MATERIALIZED (SELECT sr.study_id,"
		"  (SELECT min(ru.update_no) FROM citation_members m"
		"   JOIN dedup_records d ON d.id = m.record_id JOIN run_updates ru ON ru.run_id = d.run_id"
		"   WHERE m.citation_id = sr.citation_id) AS u FROM study_reports sr)"
		" SELECT count(*) FROM r WHERE r.u = ?1"
		" AND (SELECT min(r2.u) FROM r r2 WHERE r2.study_id = r.study_id) < ?1",
		update);
}

/* ---- updates -------------------------------------------------------------- */

struct date_out {
	char *s;
	size_t size;
};

static int date_row(sqlite3_stmt *st, void *payload)
{
	struct date_out *d = payload;

	snprintf(d->s, d->size, "%s", db_rows_text(st, 0));
	return 0;
}

int update_date(char *out, size_t outsz, struct lsr_db *db, int no)
{
	struct date_out d = { out, outsz };
	int rc;

	assert(outsz > 0);
	out[0] = '\0';
	rc = db_rows_each(db,
		"SELECT coalesce((SELECT until FROM updates WHERE no = ?1),"
		" (SELECT max(coalesce(u.searched_on, substr(u.started_at, 1, 10))) FROM runs u"
		"  JOIN run_updates ru ON ru.run_id = u.id WHERE ru.update_no = ?1))",
		no, date_row, &d);
	if (rc < 0)
		out[0] = '\0';
	return rc;
}

struct flag_walk {
	int (*fn)(const struct update_flag *f, void *payload);
	void *payload;
};

static int flag_row(sqlite3_stmt *st, void *payload)
{
	struct flag_walk *w = payload;
	struct update_flag f = {
		sqlite3_column_int(st, 0), db_rows_text(st, 1),
		(const char *)sqlite3_column_text(st, 2), db_rows_text(st, 3), db_rows_text(st, 4),
	};

	return w->fn(&f, w->payload);
}

int update_flags_list(struct lsr_db *db, int upto,
		      int (*fn)(const struct update_flag *f, void *payload), void *payload)
{
	struct flag_walk w = { fn, payload };

	return db_rows_each(db,
		/* the title looked up per flag: as the right side of a LEFT JOIN
		 * SQLite would build citation_metadata for every citation first */
		"SELECT DISTINCT f.update_no, f.kind, f.detail, coalesce(s.label, ''),"
		" coalesce((SELECT m.title FROM citation_metadata m WHERE m.id = f.citation_id), '')"
		" FROM update_flags f LEFT JOIN study_reports s ON s.citation_id = f.citation_id"
		" WHERE f.update_no <= ?1 ORDER BY f.update_no, s.label, f.kind, f.detail",
		upto, flag_row, &w);
}
