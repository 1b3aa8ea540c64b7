/*
 * dbjson.h - query results as JSON values (jansson), for the stages whose
 * read functions hand cli/ one JSON value to print as JSON or as text.
 */
#ifndef LSR_DBJSON_H
#define LSR_DBJSON_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

struct lsr_db;

/*
 * Column i of st's current row as JSON, as type says: 's' string, 'n'
 * number (integer or real), 'j' JSON text stored in the column (parsed;
 * null when it does not parse), 'b' boolean, 0 by the column's SQLite type.
 * SQL NULL is JSON null in every case.
 */
json_t *db_col_json(sqlite3_stmt *st, int i, char type);

/*
 * Run sql, binding param as ?1 when it is nonzero, and append one object
 * per row to arr: column i under names[i] (NULL-terminated), converted as
 * types[i] says (types may be NULL: every column by its SQLite type).
 */
int db_rows_json(struct lsr_db *db, const char *sql, int64_t param,
		 const char *const *names, const char *types, json_t *arr);

#endif
