/*
 * rows.c - walking a query's rows with every step checked (see rows.h).
 */
#include "rows.h"
#include "db.h"
#include "../util/err.h"

static sqlite3_stmt *prepare(struct lsr_db *db, const char *sql, int p1)
{
	sqlite3_stmt *st = db_prepare(db, sql);

	if (st && sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int(st, 1, p1);
	return st;
}

int db_rows_each(struct lsr_db *db, const char *sql, int p1,
		 int (*fn)(sqlite3_stmt *st, void *payload), void *payload)
{
	sqlite3_stmt *st = prepare(db, sql, p1);
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(st, payload)) != 0)
			break;
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	sqlite3_reset(st);
	return rc;
}

int db_rows_int(int64_t *out, struct lsr_db *db, const char *sql, int p1)
{
	sqlite3_stmt *st = prepare(db, sql, p1);
	int step, rc = 0;

	*out = 0;
	if (!st)
		return lsr_error_last_code();
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = db_error(db, sql);
	sqlite3_reset(st);
	return rc;
}

const char *db_rows_text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}
