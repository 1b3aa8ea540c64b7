/*
 * dbjson.c - query results as JSON values (dbjson.h).
 */
#include "dbjson.h"
#include "db.h"
#include "../util/err.h"

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

int db_rows_json(struct lsr_db *db, const char *sql, int64_t param,
		 const char *const *names, const char *types, json_t *arr)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	if (param)
		sqlite3_bind_int64(st, 1, param);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();

		for (int i = 0; names[i]; i++)
			json_object_set_new(o, names[i], db_col_json(st, i, (char)(types ? types[i] : 0)));
		if (json_array_append_new(arr, o) < 0) {
			sqlite3_reset(st);
			return lsr_error_oom();
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}
