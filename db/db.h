/*
 * db.h - the review database: opening, migrations, transactions, the
 * statement cache and the audit log.
 *
 * A review is a directory holding review.db (this module) and protocol.yaml
 * (protocol.h).  The schema is created and upgraded by forward-only
 * migrations (db/migrations/NNNN_<slug>.sql, compiled in); PRAGMA
 * user_version holds the last one applied and PRAGMA application_id marks
 * the file as an lsr review.  db_open() refuses a file of another
 * application and a schema newer than this binary knows.
 *
 * Transactions nest (fossil's db_begin_transaction): only the outermost
 * begin/commit reaches SQLite; a rollback at any depth dooms the whole
 * transaction.  Statements come from db_prepare(), which caches them by SQL
 * text, so hot loops prepare once.  Every SQLite failure becomes LSR_EDB with
 * sqlite3_errmsg and the SQL that failed (LSR_ESCHEMA when the database is
 * locked).
 */
#ifndef LSR_DB_H
#define LSR_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define LSR_APPLICATION_ID 0x4C535231 /* "LSR1" */
#define LSR_DB_FILE "review.db"
#define LSR_PROTOCOL_FILE "protocol.yaml"

struct lsr_db; /* opaque */
struct json_t; /* jansson */

enum db_open_flags {
	DB_OPEN_CREATE = 1 << 0, /* create the file if absent */
	DB_OPEN_NO_MIGRATE = 1 << 1, /* refuse an old schema instead of upgrading */
	DB_OPEN_READ = 1 << 2,   /* the caller only reads: a read-only review opens */
};

/*
 * Open (and migrate) the review database at path.
 *
 * A review that cannot be written - review.db or its folder not writable
 * by this user, or a read-only file system - is refused (LSR_ESCHEMA,
 * "... is read-only ...") unless flags has DB_OPEN_READ; then it is opened
 * read-only: with SQLite's mode=ro when that can read it (the folder is
 * writable, or the WAL's -shm file exists), else with immutable=1 (a WAL
 * database in a read-only folder: nothing may change it while it is read).
 * A read-only review is neither migrated nor cleaned of unfinished imports
 * (an older schema is refused), and every write to it - db_txn_begin()
 * first - fails with the same "read-only" message.
 */
int db_open(struct lsr_db **out, const char *path, unsigned flags);
/* 1 when db was opened read-only (DB_OPEN_READ on a read-only review). */
int db_read_only(struct lsr_db *db);
void db_close(struct lsr_db *db);

sqlite3 *db_handle(struct lsr_db *db);
const char *db_path(struct lsr_db *db);
struct buf;
/* The directory of db's file (the review's) appended to out: "." when the
 * path names no directory, "/" for a file at the root.  0 or LSR_ENOMEM. */
int db_dir(struct lsr_db *db, struct buf *out);
/* Schema version of the open database, and the newest this binary knows. */
int db_schema_version(struct lsr_db *db);
int db_schema_latest(void);

/* Transactions (BEGIN IMMEDIATE; nesting counted). */
int db_txn_begin(struct lsr_db *db);
int db_txn_commit(struct lsr_db *db);
void db_txn_rollback(struct lsr_db *db);
int db_txn_depth(struct lsr_db *db);

/*
 * A prepared statement for sql, from the cache: reset and with bindings
 * cleared.  The statement stays owned by db (never finalize it).  The same
 * SQL must not be stepped in two places at once.  Returns NULL with the error
 * set when preparation fails.
 */
sqlite3_stmt *db_prepare(struct lsr_db *db, const char *sql);

/* The page cache db_open() sets (64 MiB), and setting another for a while
 * (a long run sets a bigger one and restores this one after it). */
#define DB_CACHE_KIB 65536L
int db_cache_size(struct lsr_db *db, long kib);

/* Run SQL without parameters (may hold several statements). */
int db_exec(struct lsr_db *db, const char *sql);

/*
 * Corruption: db_corruption_seen() is 1 once SQLite met a damaged page or
 * header anywhere in this process (every statement, checked or not);
 * db_corruption_error() sets the message that says how to recover
 * (LSR_ESCHEMA).  db_check() runs PRAGMA quick_check (full 0) or
 * integrity_check (full 1): *ok 1 when it says "ok".
 */
int db_corruption_seen(void);
int db_corruption_error(struct lsr_db *db);
int db_check(struct lsr_db *db, int full, int *ok);

/* Record an error for the current SQLite failure of db and return its code. */
int db_error(struct lsr_db *db, const char *sql);

/* Step st to SQLITE_DONE (a write), then reset it. */
int db_step_done(struct lsr_db *db, sqlite3_stmt *st);

/* Bind helpers: text NULL (or empty when empty_is_null) binds SQL NULL. */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s);
int db_bind_textn(sqlite3_stmt *st, int idx, const char *s, size_t n);

/* Single-value queries; *out untouched when there is no row (returns
 * LSR_ENOTFOUND then, without setting a message). */
int db_query_int(struct lsr_db *db, int64_t *out, const char *sql);

int64_t db_last_id(struct lsr_db *db);

/*
 * Append one entry to the audit log: who (db_actor()), when, the command,
 * action and object (e.g. "import", "run 3"), and detail (JSON text or
 * NULL).  The audit table refuses UPDATE and DELETE.
 */
int db_audit(struct lsr_db *db, const char *action, const char *object,
	     const char *detail_json);
/* The same with the detail as a JSON value, which it takes over (NULL for
 * none): the one way audit details are built. */
int db_audit_json(struct lsr_db *db, const char *action, const char *object,
		  struct json_t *detail);
/* Set the command name written with audit entries (borrowed). */
void db_set_command(struct lsr_db *db, const char *cmd);
/* The person acting: $LSR_USER, else $USER, else "unknown" (borrowed). */
const char *db_actor(void);

#endif
