/*
 * rows.h - reading a query's rows the one careful way: the statement from
 * db_prepare()'s cache, ?1 bound, every step checked (a failure is LSR_EDB
 * with the SQL that failed, as db_error() words it), the statement reset
 * whatever happens.  Used by the stages' read functions (report_query.c of
 * db/, screen/ and extract/), so that each of them is its SQL and how a
 * row becomes a struct.
 */
#ifndef LSR_DB_ROWS_H
#define LSR_DB_ROWS_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

struct lsr_db;

/*
 * Run sql, with p1 bound to ?1 when sql has parameters, and call fn for
 * every row (the statement is valid during the call only).  A non-zero
 * return of fn stops the walk and is returned unchanged.
 */
int db_rows_each(struct lsr_db *db, const char *sql, int64_t p1,
		 int (*fn)(sqlite3_stmt *st, void *payload), void *payload);

/* *out: the first column of sql's first row (0 when there is no row), with
 * p1 bound to ?1 when sql has parameters. */
int db_rows_int(int64_t *out, struct lsr_db *db, const char *sql, int64_t p1);

/* Column i of the current row as text, "" when NULL (borrowed until the
 * next step). */
const char *db_rows_text(sqlite3_stmt *st, int i);

/*
 * Rows as JSON, for the read functions that hand cli/ one JSON value to
 * print as JSON or as text.  db_col_json: column i of the current row as
 * type says: 's' string, 'n' number (integer or real), 'j' JSON text
 * stored in the column (parsed; null when it does not parse), 'b' boolean,
 * 0 by the column's SQLite type; SQL NULL is JSON null in every case.
 * db_rows_json: db_rows_each appending one object per row to arr, column i
 * under names[i] (NULL-terminated) converted as types[i] says (types may
 * be NULL: every column by its SQLite type).
 */
json_t *db_col_json(sqlite3_stmt *st, int i, char type);
int db_rows_json(struct lsr_db *db, const char *sql, int64_t p1,
		 const char *const *names, const char *types, json_t *arr);

#endif
