/*
 * testdb.h - a scratch review database for the unit tests that need one:
 * /tmp/lsr-NAME-PID.db, created new (a leftover of an earlier run removed
 * first) and removed with its -wal and -shm files.  Header only, since
 * every unit test is built from its own file; include it after cmocka.h.
 */
#ifndef LSR_TESTS_UNIT_TESTDB_H
#define LSR_TESTS_UNIT_TESTDB_H

#include <stdio.h>
#include <unistd.h>

#include "db/db.h"

/* Remove the database at path and its -wal and -shm files, if any. */
static inline void testdb_remove(const char *path)
{
	char x[512];

	unlink(path);
	snprintf(x, sizeof(x), "%s-wal", path);
	unlink(x);
	snprintf(x, sizeof(x), "%s-shm", path);
	unlink(x);
}

/* A new, empty review database NAME; its path into path[0..sz). */
static inline struct lsr_db *testdb_open(char *path, size_t sz, const char *name)
{
	struct lsr_db *db = NULL;

	snprintf(path, sz, "/tmp/lsr-%s-%d.db", name, (int)getpid());
	testdb_remove(path);
	assert_int_equal(db_open(&db, path, DB_OPEN_CREATE), 0);
	return db;
}

/* Close db (NULL: nothing to close) and remove its files. */
static inline void testdb_close(struct lsr_db *db, const char *path)
{
	db_close(db);
	testdb_remove(path);
}

#endif
