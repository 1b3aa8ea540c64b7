/*
 * test_db.c - db/db.c: opening (new, missing, not a file, foreign, not
 * SQLite, too new), migration from every earlier schema version through
 * the API, nested transactions committed and rolled back, the statement
 * cache, db_error's messages, db_query_int and the audit log.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "util/err.h"
#include "util/buf.h"

static char dir[64];   /* this test's scratch directory */
static char path[128]; /* dir/review.db */
/* messages quoting path */
#define MSG_MAX 400

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lsr-test-db.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/review.db", dir);
	return 0;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	(void)state;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (rmdir(p) < 0)
			unlink(p);
	}
	closedir(d);
	return rmdir(dir);
}

/* Run sql on the file at p with a plain SQLite connection. */
static void raw_exec(const char *p, const char *sql)
{
	sqlite3 *h = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(p, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
}

/* One integer from the file at p, read with a plain SQLite connection. */
static int64_t raw_int(const char *p, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v;

	assert_int_equal(sqlite3_open(p, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static int64_t q(struct lsr_db *db, const char *sql)
{
	int64_t v = -12345;

	assert_int_equal(db_query_int(db, &v, sql), 0);
	return v;
}

static struct lsr_db *open_new(void)
{
	struct lsr_db *db = NULL;

	assert_int_equal(db_open(&db, path, DB_OPEN_CREATE), 0);
	assert_non_null(db);
	return db;
}

static void test_db_db__open_new(void **state)
{
	struct lsr_db *db;

	(void)state;
	db = open_new();
	assert_string_equal(db_path(db), path);
	{
		struct buf d = BUF_INIT;

		assert_int_equal(db_dir(db, &d), 0);
		assert_string_equal(d.s, dir);
		buf_release(&d);
	}
	assert_int_equal(db_schema_version(db), db_schema_latest());
	assert_int_equal(db_schema_latest(), db_migrations[db_migrations_count - 1].version);
	assert_int_equal(q(db, "PRAGMA application_id"), LSR_APPLICATION_ID);
	assert_int_equal(q(db, "PRAGMA page_size"), 65536);
	assert_int_equal(q(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(q(db, "SELECT count(*) FROM sources"), 0);
	assert_int_equal(db_txn_depth(db), 0);
	db_close(db);
	/* opened again: nothing to migrate, no backup written */
	assert_int_equal(db_open(&db, path, 0), 0);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	db_close(db);
	db_close(NULL);
}

/* A review opened by a name without a directory: its directory is ".". */
static void test_db_db__dir_relative(void **state)
{
	struct lsr_db *db = NULL;
	struct buf d = BUF_INIT;
	char cwd[512];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(db_open(&db, "review.db", DB_OPEN_CREATE), 0);
	assert_int_equal(db_dir(db, &d), 0);
	assert_string_equal(d.s, ".");
	buf_release(&d);
	db_close(db);
	assert_int_equal(chdir(cwd), 0);
}

static void test_db_db__open_refusals(void **state)
{
	struct lsr_db *db = (struct lsr_db *)1;
	char p[MSG_MAX];
	FILE *f;
	int rc;

	(void)state;
	/* absent without DB_OPEN_CREATE */
	rc = db_open(&db, path, 0);
	assert_int_equal(rc, LSR_ENOTFOUND);
	assert_null(db);
	assert_non_null(strstr(lsr_error_last(), "no review database at '"));
	assert_non_null(strstr(lsr_error_last(), "No such file or directory"));
	/* a directory */
	rc = db_open(&db, dir, DB_OPEN_CREATE);
	assert_int_equal(rc, LSR_ESCHEMA);
	snprintf(p, sizeof(p), "'%s' is not a file", dir);
	assert_string_equal(lsr_error_last(), p);
	/* an SQLite file of another program (no application id, one table) */
	raw_exec(path, "CREATE TABLE t(x); INSERT INTO t VALUES(7)");
	rc = db_open(&db, path, DB_OPEN_CREATE);
	assert_int_equal(rc, LSR_ESCHEMA);
	snprintf(p, sizeof(p), "'%s' is not an lsr review database (application id 0); refusing to touch it",
		 path);
	assert_string_equal(lsr_error_last(), p);
	/* ... or with an application id of its own */
	raw_exec(path, "PRAGMA application_id = 42");
	rc = db_open(&db, path, 0);
	assert_int_equal(rc, LSR_ESCHEMA);
	assert_non_null(strstr(lsr_error_last(), "(application id 0x2a)"));
	unlink(path);
	/* not SQLite at all */
	f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 100; i++)
		fputs("PMID- 1\nTI  - not a database\n\n", f);
	fclose(f);
	rc = db_open(&db, path, 0);
	assert_int_equal(rc, LSR_ESCHEMA);
	snprintf(p, sizeof(p), "'%s' is not an lsr review database (not an SQLite file)", path);
	assert_string_equal(lsr_error_last(), p);
	assert_null(db);
	unlink(path);
}

static void test_db_db__open_newer(void **state)
{
	struct lsr_db *db;
	char sql[64], want[MSG_MAX];

	(void)state;
	db = open_new();
	db_close(db);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", db_schema_latest() + 1);
	raw_exec(path, sql);
	assert_int_equal(db_open(&db, path, 0), LSR_ESCHEMA);
	assert_null(db);
	snprintf(want, sizeof(want),
		 "'%s' was written by a newer lsr (schema %d; this lsr knows up to %d): upgrade lsr to use it",
		 path, db_schema_latest() + 1, db_schema_latest());
	assert_string_equal(lsr_error_last(), want);
}

/* A review at schema k, written the way db.c would have written it. */
static void make_old(int k)
{
	sqlite3 *h = NULL;
	char pragma[96];

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	for (int i = 0; i < db_migrations_count && db_migrations[i].version <= k; i++)
		assert_int_equal(sqlite3_exec(h, db_migrations[i].sql, NULL, NULL, NULL), SQLITE_OK);
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d; PRAGMA application_id = %d",
		 k, LSR_APPLICATION_ID);
	assert_int_equal(sqlite3_exec(h, pragma, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
		"INSERT INTO sources(name, created_at) VALUES('Old', '2020');"
		"INSERT INTO runs(source_id, kind, started_at, status, actor)"
		"  VALUES(1, 'import', '2020', 'complete', 'ann');"
		"INSERT INTO records(run_id, position, title, raw) VALUES(1, 1, 'kept one', x'01');"
		"INSERT INTO records(run_id, position, title, raw) VALUES(1, 2, 'kept two', x'02');"
		"INSERT INTO audit(at, actor, command, action) VALUES('t', 'ann', 'import', 'import')",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

/* The schema as text, for comparing two databases. */
static char *schema_of(struct lsr_db *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), '\n')"
					  " FROM (SELECT * FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
					  " ORDER BY type, name)");
	char *s;

	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return s;
}

static void test_db_db__migrate_each_version(void **state)
{
	struct lsr_db *db;
	char *fresh, *got, bak[200], want[MSG_MAX];
	struct stat sb;

	(void)state;
	db = open_new();
	fresh = schema_of(db);
	db_close(db);
	unlink(path);
	for (int k = 1; k < db_schema_latest(); k++) {
		make_old(k);
		/* a read-only command refuses to upgrade, and says how */
		assert_int_equal(db_open(&db, path, DB_OPEN_NO_MIGRATE), LSR_ESCHEMA);
		snprintf(want, sizeof(want),
			 "'%s' has schema %d; this lsr needs %d (run any lsr command that writes to upgrade it)",
			 path, k, db_schema_latest());
		assert_string_equal(lsr_error_last(), want);
		snprintf(bak, sizeof(bak), "%s.bak-v%d", path, k);
		assert_int_not_equal(stat(bak, &sb), 0);

		assert_int_equal(db_open(&db, path, 0), 0);
		assert_int_equal(db_schema_version(db), db_schema_latest());
		got = schema_of(db);
		assert_string_equal(got, fresh);
		free(got);
		assert_int_equal(q(db, "SELECT count(*) FROM records WHERE title IN ('kept one', 'kept two')"), 2);
		assert_int_equal(q(db, "SELECT sum(hex(raw)) FROM records"), 1 + 2);
		assert_int_equal(q(db, "SELECT count(*) FROM audit WHERE actor = 'ann'"), 1);
		assert_int_equal(q(db, "PRAGMA application_id"), LSR_APPLICATION_ID);
		db_close(db);
		/* the backup holds the old version with its rows */
		assert_int_equal(stat(bak, &sb), 0);
		assert_int_equal(db_open(&db, bak, DB_OPEN_NO_MIGRATE), LSR_ESCHEMA);
		unlink(bak);
		unlink(path);
	}
	free(fresh);
}

/* INSERT x through the cached statement ins. */
static void insert(struct lsr_db *db, sqlite3_stmt *ins, int x)
{
	sqlite3_bind_int(ins, 1, x);
	assert_int_equal(db_step_done(db, ins), 0);
}

static void test_db_db__migration_fails(void **state)
{
	struct lsr_db *db = NULL;
	const char *m;

	(void)state;
	/* schema 2, with a table in the way of migration 3's second table */
	make_old(2);
	raw_exec(path, "CREATE TABLE search_ids(x); INSERT INTO search_ids VALUES(5)");
	assert_int_equal(db_open(&db, path, 0), LSR_EDB);
	assert_null(db);
	m = lsr_error_last();
	assert_non_null(strstr(m, "migration 0003_search: database error: table search_ids already exists (in: "));
	/* the failed migration left nothing: its first table is gone again,
	 * the version and the rows are those of schema 2 */
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 2);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'search_runs'"), 0);
	assert_int_equal(raw_int(path, "SELECT x FROM search_ids"), 5);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM records"), 2);
	/* out of the way, the next open upgrades it */
	raw_exec(path, "DROP TABLE search_ids");
	assert_int_equal(db_open(&db, path, 0), 0);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	assert_int_equal(q(db, "SELECT count(*) FROM records"), 2);
	db_close(db);
}

static void test_db_db__transactions(void **state)
{
	struct lsr_db *db;
	sqlite3_stmt *ins;

	(void)state;
	db = open_new();
	assert_int_equal(db_exec(db, "CREATE TABLE t(x INTEGER)"), 0);
	ins = db_prepare(db, "INSERT INTO t VALUES(?1)");
	assert_non_null(ins);

	/* commit */
	assert_int_equal(db_txn_begin(db), 0);
	assert_int_equal(db_txn_depth(db), 1);
	insert(db, ins, 1);
	assert_int_equal(db_txn_commit(db), 0);
	assert_int_equal(db_txn_depth(db), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM t"), 1);

	/* rollback at depth 1 */
	assert_int_equal(db_txn_begin(db), 0);
	insert(db, ins, 2);
	assert_int_equal(q(db, "SELECT count(*) FROM t"), 2);
	db_txn_rollback(db);
	assert_int_equal(db_txn_depth(db), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM t"), 1);
	/* a rollback outside a transaction does nothing */
	db_txn_rollback(db);
	assert_int_equal(db_txn_depth(db), 0);

	/* nested: inner commits only count down; the outer one writes */
	assert_int_equal(db_txn_begin(db), 0);
	assert_int_equal(db_txn_begin(db), 0);
	assert_int_equal(db_txn_depth(db), 2);
	insert(db, ins, 3);
	assert_int_equal(db_txn_commit(db), 0);
	assert_int_equal(db_txn_depth(db), 1);
	assert_false(sqlite3_get_autocommit(db_handle(db)));
	assert_int_equal(db_txn_commit(db), 0);
	assert_true(sqlite3_get_autocommit(db_handle(db)));
	assert_int_equal(q(db, "SELECT count(*) FROM t"), 2);

	/* nested rollback dooms the whole transaction */
	assert_int_equal(db_txn_begin(db), 0);
	insert(db, ins, 4);
	assert_int_equal(db_txn_begin(db), 0);
	db_txn_rollback(db);
	assert_int_equal(db_txn_depth(db), 1);
	assert_int_equal(db_txn_commit(db), LSR_ERROR);
	assert_string_equal(lsr_error_last(), "transaction rolled back");
	assert_int_equal(db_txn_depth(db), 0);
	assert_true(sqlite3_get_autocommit(db_handle(db)));
	assert_int_equal(q(db, "SELECT count(*) FROM t WHERE x = 4"), 0);
	/* and the next transaction is not doomed */
	assert_int_equal(db_txn_begin(db), 0);
	insert(db, ins, 5);
	assert_int_equal(db_txn_commit(db), 0);
	assert_int_equal(q(db, "SELECT group_concat(x, '') FROM t"), 135);

	/* closing with an open transaction rolls it back */
	assert_int_equal(db_txn_begin(db), 0);
	insert(db, ins, 6);
	db_close(db);
	assert_int_equal(db_open(&db, path, 0), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM t"), 3);
	db_close(db);
}

static void test_db_db__locked(void **state)
{
	struct lsr_db *a, *b;
	char want[MSG_MAX];

	(void)state;
	a = open_new();
	assert_int_equal(db_open(&b, path, 0), 0);
	sqlite3_busy_timeout(db_handle(b), 0); /* fail at once */
	assert_int_equal(db_txn_begin(a), 0);
	assert_int_equal(db_txn_begin(b), LSR_ESCHEMA);
	snprintf(want, sizeof(want),
		 "database '%s' is locked by another lsr process; try again when it has finished", path);
	assert_string_equal(lsr_error_last(), want);
	assert_int_equal(db_txn_depth(b), 0);
	assert_int_equal(db_txn_commit(a), 0);
	assert_int_equal(db_txn_begin(b), 0);
	assert_int_equal(db_txn_commit(b), 0);
	db_close(b);
	db_close(a);
}

static void test_db_db__prepare_cache(void **state)
{
	struct lsr_db *db;
	sqlite3_stmt *st, *again;
	char sql[100], copy[100];
	sqlite3_stmt *all[200];

	(void)state;
	db = open_new();
	st = db_prepare(db, "SELECT ?1");
	assert_non_null(st);
	sqlite3_bind_int(st, 1, 9);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 9);
	/* the same SQL at another address: the same statement, reset, with
	 * its bindings cleared */
	snprintf(copy, sizeof(copy), "SELECT ?1");
	again = db_prepare(db, copy);
	assert_ptr_equal(again, st);
	assert_int_equal(sqlite3_step(again), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(again, 0), SQLITE_NULL);
	sqlite3_reset(again);
	/* many statements from one reused buffer: the cache grows and finds
	 * each one by its text, not by the buffer's address */
	for (int i = 0; i < 200; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d", i);
		all[i] = db_prepare(db, sql);
		assert_non_null(all[i]);
	}
	for (int i = 199; i >= 0; i--) {
		snprintf(sql, sizeof(sql), "SELECT %d", i);
		assert_ptr_equal(db_prepare(db, sql), all[i]);
		assert_int_equal(sqlite3_step(all[i]), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(all[i], 0), i);
		sqlite3_reset(all[i]);
	}
	assert_ptr_equal(db_prepare(db, "SELECT ?1"), st);
	/* a statement that does not prepare is not cached */
	assert_null(db_prepare(db, "SELECT nope FROM nowhere"));
	assert_int_equal(lsr_error_last_code(), LSR_EDB);
	assert_string_equal(lsr_error_last(),
			    "database error: no such table: nowhere (in: SELECT nope FROM nowhere)");
	assert_null(db_prepare(db, "SELECT nope FROM nowhere"));
	db_close(db);
}

static void test_db_db__errors(void **state)
{
	struct lsr_db *db;
	char longsql[600];
	int64_t v = 77;

	(void)state;
	db = open_new();
	assert_int_equal(db_exec(db, "CREATE TABLE t(x NOT NULL)"), 0);
	assert_int_equal(db_exec(db, "INSERT INTO t VALUES(NULL)"), LSR_EDB);
	assert_string_equal(lsr_error_last(),
			    "database error: NOT NULL constraint failed: t.x (in: INSERT INTO t VALUES(NULL))");
	/* the SQL quoted in the message is cut at 200 bytes */
	memset(longsql, ' ', sizeof(longsql));
	memcpy(longsql, "SELECT bad(", 11);
	longsql[sizeof(longsql) - 2] = ')';
	longsql[sizeof(longsql) - 1] = '\0';
	assert_int_equal(db_exec(db, longsql), LSR_EDB);
	assert_non_null(strstr(lsr_error_last(), "no such function: bad (in: SELECT bad("));
	assert_int_equal(strlen(strstr(lsr_error_last(), "(in: ") + 5), 200 + 1);
	assert_int_equal(lsr_error_last()[strlen(lsr_error_last()) - 1], ')');
	/* without SQL: the message alone */
	assert_int_equal(db_error(db, NULL), LSR_EDB);
	assert_string_equal(lsr_error_last(), "database error: no such function: bad");

	/* db_query_int: a row, no row (no message), an error */
	assert_int_equal(db_exec(db, "INSERT INTO t VALUES(41), (1)"), 0);
	assert_int_equal(db_query_int(db, &v, "SELECT sum(x) FROM t"), 0);
	assert_int_equal(v, 42);
	lsr_error_set(LSR_ERROR, "before");
	v = 77;
	assert_int_equal(db_query_int(db, &v, "SELECT x FROM t WHERE x > 100"), LSR_ENOTFOUND);
	assert_int_equal(v, 77);
	assert_string_equal(lsr_error_last(), "before");
	assert_int_equal(db_query_int(db, &v, "SELECT x FROM missing"), LSR_EDB);
	assert_int_equal(v, 77);
	assert_string_equal(lsr_error_last(),
			    "database error: no such table: missing (in: SELECT x FROM missing)");
	/* an error while stepping (not while preparing) */
	assert_int_equal(db_query_int(db, &v, "SELECT abs(-9223372036854775807 - 1)"), LSR_EDB);
	assert_string_equal(lsr_error_last(),
			    "database error: integer overflow (in: SELECT abs(-9223372036854775807 - 1))");
	/* the statement still works afterwards */
	assert_int_equal(db_query_int(db, &v, "SELECT sum(x) FROM t"), 0);
	assert_int_equal(v, 42);
	db_close(db);
}

static void test_db_db__audit(void **state)
{
	struct lsr_db *db;

	(void)state;
	setenv("LSR_USER", "auditor", 1);
	assert_string_equal(db_actor(), "auditor");
	db = open_new();
	db_set_command(db, "import");
	assert_int_equal(db_audit(db, "import", "run 3", "{\"n\":2}"), 0);
	assert_int_equal(db_audit(db, "withdraw", NULL, NULL), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM audit WHERE actor = 'auditor' AND command = 'import'"), 2);
	assert_int_equal(q(db, "SELECT count(*) FROM audit WHERE object = 'run 3' AND detail = '{\"n\":2}'"), 1);
	assert_int_equal(q(db, "SELECT count(*) FROM audit WHERE object IS NULL AND detail IS NULL"), 1);
	/* append-only */
	assert_int_equal(db_exec(db, "UPDATE audit SET actor = 'x'"), LSR_EDB);
	assert_non_null(strstr(lsr_error_last(), "the audit log is append-only"));
	assert_int_equal(db_exec(db, "DELETE FROM audit"), LSR_EDB);
	assert_int_equal(q(db, "SELECT count(*) FROM audit"), 2);
	db_close(db);
	setenv("LSR_USER", "", 1);
	setenv("USER", "fallback", 1);
	assert_string_equal(db_actor(), "fallback");
	unsetenv("USER");
	assert_string_equal(db_actor(), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_db_db__open_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__dir_relative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__open_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__open_newer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__migrate_each_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__migration_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__locked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__prepare_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_db__audit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
