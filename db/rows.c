/*
 * rows.c - walking a query's rows with every step checked (see rows.h).
 */
#include "rows.h"
#include "db.h"
#include "../util/err.h"

static sqlite3_stmt *prepare(struct lsr_db *db, const char *sql, int64_t p1)
{
	sqlite3_stmt *st = db_prepare(db, sql);

	if (st && sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, p1);
	return st;
}

int db_rows_each(struct lsr_db *db, const char *sql, int64_t p1,
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

int db_rows_int(int64_t *out, struct lsr_db *db, const char *sql, int64_t p1)
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

json_t *db_col_json(sqlite3_stmt *st, int i, char type)
{
	int t = sqlite3_column_type(st, i);
	const char *s;
	json_t *j;

	if (t == SQLITE_NULL)
		return json_null();
	switch (type) {
	case 's':
		return json_string((const char *)sqlite3_column_text(st, i));
	case 'b':
		return json_boolean(sqlite3_column_int(st, i));
	case 'j':
		s = (const char *)sqlite3_column_text(st, i);
		j = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
		return j ? j : json_null();
	case 'n':
		break;
	default:
		if (t != SQLITE_INTEGER && t != SQLITE_FLOAT)
			return json_string((const char *)sqlite3_column_text(st, i));
		break;
	}
	if (t == SQLITE_INTEGER)
		return json_integer(sqlite3_column_int64(st, i));
	return json_real(sqlite3_column_double(st, i));
}

struct json_rows {
	const char *const *names;
	const char *types;
	json_t *arr;
};

static int json_row(sqlite3_stmt *st, void *payload)
{
	const struct json_rows *w = payload;
	json_t *o = json_object();

	for (int i = 0; w->names[i]; i++)
		json_object_set_new(o, w->names[i], db_col_json(st, i, (char)(w->types ? w->types[i] : 0)));
	return json_array_append_new(w->arr, o) < 0 ? lsr_error_oom() : 0;
}

int db_rows_json(struct lsr_db *db, const char *sql, int64_t p1,
		 const char *const *names, const char *types, json_t *arr)
{
	struct json_rows w = { names, types, arr };

	return db_rows_each(db, sql, p1, json_row, &w);
}
