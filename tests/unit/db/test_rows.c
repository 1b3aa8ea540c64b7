/*
 * test_rows.c - db/rows.h: a walk sees every row in order with ?1 bound,
 * stops when its callback says so and returns what the callback returned;
 * a step that fails mid-walk (not only at prepare) is LSR_EDB naming the
 * SQL; single counts and NULL text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "tests/unit/testdb.h"
#include "db/rows.h"
#include "util/err.h"

static char path[64];

static struct lsr_db *open_db(void)
{
	return testdb_open(path, sizeof(path), "rows");
}

static void close_db(struct lsr_db *db)
{
	testdb_close(db, path);
}

struct seen {
	int64_t v[8];
	size_t n;
	size_t stop_after; /* return -7 after this many rows (0: never) */
};

static int collect(sqlite3_stmt *st, void *payload)
{
	struct seen *s = payload;

	assert_true(s->n < 8);
	s->v[s->n++] = sqlite3_column_int64(st, 0);
	return s->stop_after && s->n == s->stop_after ? -7 : 0;
}

static const char values_sql[] =
	"SELECT x * ?1 FROM (SELECT 3 AS x UNION ALL SELECT 1 UNION ALL SELECT 2) ORDER BY x";

static void test_db_rows__walk_in_order_with_p1(void **state)
{
	struct lsr_db *db = open_db();
	struct seen s = { { 0 }, 0, 0 };

	(void)state;
	assert_int_equal(db_rows_each(db, values_sql, 5, collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.v[0], 5);
	assert_int_equal(s.v[1], 10);
	assert_int_equal(s.v[2], 15);
	/* the cached statement was reset: a second walk sees every row again */
	s.n = 0;
	assert_int_equal(db_rows_each(db, values_sql, -2, collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.v[2], -6);
	/* no parameter: p1 is not bound (and no error for it) */
	s.n = 0;
	assert_int_equal(db_rows_each(db, "SELECT 41 UNION ALL SELECT 42", 9, collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.v[1], 42);
	close_db(db);
}

static void test_db_rows__callback_stops_walk(void **state)
{
	struct lsr_db *db = open_db();
	struct seen s = { { 0 }, 0, 2 };

	(void)state;
	assert_int_equal(db_rows_each(db, values_sql, 1, collect, &s), -7);
	assert_int_equal(s.n, 2);
	/* the statement is usable again right away */
	s.n = 0;
	s.stop_after = 0;
	assert_int_equal(db_rows_each(db, values_sql, 1, collect, &s), 0);
	assert_int_equal(s.n, 3);
	close_db(db);
}

static void test_db_rows__failed_step_names_sql(void **state)
{
	/* abs() of the smallest integer fails when its row is stepped */
	static const char sql[] =
		"SELECT abs(x) FROM (SELECT 7 AS x UNION ALL SELECT -9223372036854775807 - ?1)";
	struct lsr_db *db = open_db();
	struct seen s = { { 0 }, 0, 0 };
	int64_t n = 99;

	(void)state;
	assert_int_equal(db_rows_each(db, sql, 1, collect, &s), LSR_EDB);
	assert_int_equal(s.n, 1); /* the row before the failure was seen */
	assert_int_equal(s.v[0], 7);
	assert_non_null(strstr(lsr_error_last(), "integer overflow"));
	assert_non_null(strstr(lsr_error_last(), "(in: SELECT abs(x) FROM"));
	assert_int_equal(db_rows_int(&n, db, "SELECT abs(-9223372036854775807 - ?1)", 1), LSR_EDB);
	assert_int_equal(n, 0);
	assert_non_null(strstr(lsr_error_last(), "(in: SELECT abs(-9223372036854775807 - ?1))"));
	/* a statement that does not prepare */
	assert_int_equal(db_rows_each(db, "SELECT * FROM no_such_table", 0, collect, &s), LSR_EDB);
	assert_non_null(strstr(lsr_error_last(), "no_such_table"));
	close_db(db);
}

static int texts(sqlite3_stmt *st, void *payload)
{
	assert_string_equal(db_rows_text(st, 0), "a");
	assert_string_equal(db_rows_text(st, 1), "");
	++*(int *)payload;
	return 0;
}

static void test_db_rows__int_and_text(void **state)
{
	struct lsr_db *db = open_db();
	int64_t n = 99;
	int rows = 0;

	(void)state;
	assert_int_equal(db_rows_int(&n, db, "SELECT count(*) + ?1 FROM sources", 4), 0);
	assert_int_equal(n, 4);
	n = 99;
	assert_int_equal(db_rows_int(&n, db, "SELECT 1 WHERE ?1 = 2", 3), 0);
	assert_int_equal(n, 0); /* no row */
	assert_int_equal(db_rows_each(db, "SELECT 'a', NULL", 0, texts, &rows), 0);
	assert_int_equal(rows, 1);
	close_db(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_rows__walk_in_order_with_p1),
		cmocka_unit_test(test_db_rows__callback_stops_walk),
		cmocka_unit_test(test_db_rows__failed_step_names_sql),
		cmocka_unit_test(test_db_rows__int_and_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
