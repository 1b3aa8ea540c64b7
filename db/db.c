/*
 * db.c - opening the review database, migrations, nested transactions, the
 * statement cache and the audit log (see db.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "db.h"
#include "migrate.h"
#include "runs.h"
#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <jansson.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

struct stmt_slot {
	uint64_t hash;     /* hash_str(sql) */
	char *sql;         /* our copy of the SQL: the key */
	sqlite3_stmt *st;  /* the prepared statement */
};

struct lsr_db {
	sqlite3 *h;              /* the connection */
	char *path;              /* file name as opened */
	int depth;               /* transaction nesting */
	int doomed;              /* a nested rollback happened */
	struct stmt_slot *slots; /* statement cache, open addressing */
	size_t nslots;           /* power of two */
	size_t nused;            /* slots in use */
	const char *command;     /* for the audit log */
	int readonly;            /* opened read-only (DB_OPEN_READ) */
	char ro_why[160];        /* why the review cannot be written, "" when it can */
};

/*
 * Corruption anywhere: SQLite reports every SQLITE_CORRUPT (and NOTADB) it
 * meets to its error log, whether or not the statement's caller checks its
 * result, so the log callback is where no corruption can slip by.  cli/
 * asks db_corruption_seen() before it exits 0.
 */
static volatile int corruption_seen;

static void sqlite_log(void *payload, int code, const char *msg)
{
	(void)payload;
	(void)msg;
	if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
		corruption_seen = 1;
}

int db_corruption_seen(void)
{
	return corruption_seen;
}

int db_corruption_error(struct lsr_db *db)
{
	return lsr_error_set(LSR_ESCHEMA,
			     "the review database '%s' is damaged (SQLite found corruption): nothing"
			     " more was stored; restore the last good copy of it (a backup, or"
			     " the review.db.bak-v* an upgrade left) and redo what 'lsr run' lists"
			     " since then; 'lsr status --check' checks the whole file",
			     db ? db->path : LSR_DB_FILE);
}

int db_check(struct lsr_db *db, int full, int *ok)
{
	const char *sql = full ? "PRAGMA integrity_check" : "PRAGMA quick_check";
	sqlite3_stmt *st;
	int step, rc = 0;

	*ok = 0;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db, sql);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);

		*ok = r && !strcmp(r, "ok");
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, sql);
	}
	sqlite3_finalize(st);
	if (rc == 0 && !*ok)
		corruption_seen = 1;
	return rc;
}

/* Is the file system holding path full?  SQLite reports a -shm file it
 * cannot grow there as an I/O error, even to a command that only reads. */
static int disk_full(const char *path)
{
	struct statvfs vfs;

	return statvfs(path, &vfs) == 0 && vfs.f_bavail == 0;
}

/* A write to a review that cannot be written (LSR_ESCHEMA, as a locked
 * review: the database refuses, not the input). */
static int read_only_error(struct lsr_db *db)
{
	return lsr_error_set(LSR_ESCHEMA,
			     "the review database '%s' is read-only (%s): this command writes to it;"
			     " commands that only read it (status, prisma, report, records, ...) work",
			     db->path, db->ro_why[0] ? db->ro_why : "SQLite cannot write it");
}

int db_read_only(struct lsr_db *db)
{
	return db->readonly;
}

int db_error(struct lsr_db *db, const char *sql)
{
	int rc = sqlite3_extended_errcode(db->h);
	int code = LSR_EDB;

	if ((rc & 0xff) == SQLITE_CORRUPT) {
		corruption_seen = 1;
		return db_corruption_error(db);
	}

	if ((rc & 0xff) == SQLITE_READONLY)
		return read_only_error(db);
	if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && disk_full(db->path)))
		return lsr_error_set(LSR_EDB,
				     "cannot write the review database '%s': the disk is full (in: %.80s);"
				     " the transaction under way was rolled back: free some space and run"
				     " the command again", db->path, sql ? sql : "?");
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return lsr_error_set(LSR_ESCHEMA,
				     "database '%s' is locked by another lsr process; try again when it has finished",
				     db->path);
	if ((rc & 0xff) == SQLITE_NOTADB)
		return lsr_error_set(LSR_ESCHEMA,
				     "'%s' is not an lsr review database (not an SQLite file)",
				     db->path);
	if (sql)
		return lsr_error_set(code, "database error: %s (in: %.200s)",
				     sqlite3_errmsg(db->h), sql);
	return lsr_error_set(code, "database error: %s", sqlite3_errmsg(db->h));
}

sqlite3 *db_handle(struct lsr_db *db)
{
	return db->h;
}

const char *db_path(struct lsr_db *db)
{
	return db->path;
}

int db_dir(struct lsr_db *db, struct buf *out)
{
	const char *slash = strrchr(db->path, '/');

	if (!slash)
		return buf_addc(out, '.');
	return buf_add(out, db->path, slash == db->path ? 1 : (size_t)(slash - db->path));
}

int db_schema_latest(void)
{
	return db_migrations_count ? db_migrations[db_migrations_count - 1].version : 0;
}

int db_exec(struct lsr_db *db, const char *sql)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(db, sql);
	return 0;
}

int db_query_int(struct lsr_db *db, int64_t *out, const char *sql)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return LSR_ENOTFOUND;
	}
	rc = db_error(db, sql);
	sqlite3_reset(st);
	return rc;
}

int db_schema_version(struct lsr_db *db)
{
	int64_t v = 0;

	if (db_query_int(db, &v, "PRAGMA user_version") < 0)
		return -1;
	return (int)v;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int cache_grow(struct lsr_db *db)
{
	size_t n = db->nslots ? db->nslots * 2 : 64;
	struct stmt_slot *ns = calloc(n, sizeof(*ns));

	if (!ns)
		return lsr_error_oom();
	for (size_t i = 0; i < db->nslots; i++) {
		struct stmt_slot *o = &db->slots[i];
		size_t j;

		if (!o->sql)
			continue;
		j = o->hash & (n - 1);
		while (ns[j].sql)
			j = (j + 1) & (n - 1);
		ns[j] = *o;
	}
	free(db->slots);
	db->slots = ns;
	db->nslots = n;
	return 0;
}

sqlite3_stmt *db_prepare(struct lsr_db *db, const char *sql)
{
	uint64_t h = hash_str(sql);
	struct stmt_slot *slot;
	size_t j;

	/* keyed on the text: a caller may free its SQL and reuse the address
	 * for other text, so the pointer is never trusted */
	if (db->nslots) {
		j = h & (db->nslots - 1);
		while (db->slots[j].sql) {
			slot = &db->slots[j];
			if (slot->hash == h && !strcmp(slot->sql, sql)) {
				sqlite3_reset(slot->st);
				sqlite3_clear_bindings(slot->st);
				return slot->st;
			}
			j = (j + 1) & (db->nslots - 1);
		}
	}
	if ((db->nused + 1) * 2 > db->nslots && cache_grow(db) < 0)
		return NULL;
	j = h & (db->nslots - 1);
	while (db->slots[j].sql)
		j = (j + 1) & (db->nslots - 1);
	slot = &db->slots[j];
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->st,
			       NULL) != SQLITE_OK) {
		db_error(db, sql);
		slot->st = NULL;
		return NULL;
	}
	slot->sql = strdup(sql);
	if (!slot->sql) {
		sqlite3_finalize(slot->st);
		slot->st = NULL;
		lsr_error_oom();
		return NULL;
	}
	slot->hash = h;
	db->nused++;
	return slot->st;
}

int db_cache_size(struct lsr_db *db, long kib)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%ld", kib);
	return db_exec(db, sql);
}

int db_step_done(struct lsr_db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = db_error(db, sqlite3_sql(st));
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return 0;
}

int db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, idx) == SQLITE_OK ? 0 : LSR_EDB;
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : LSR_EDB;
}

int db_bind_textn(sqlite3_stmt *st, int idx, const char *s, size_t n)
{
	if (!s || !n)
		return sqlite3_bind_null(st, idx) == SQLITE_OK ? 0 : LSR_EDB;
	return sqlite3_bind_text(st, idx, s, (int)n, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : LSR_EDB;
}

int64_t db_last_id(struct lsr_db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int db_txn_begin(struct lsr_db *db)
{
	/* refused before the caller does any work: BEGIN IMMEDIATE itself
	 * succeeds on an immutable database */
	if (db->readonly)
		return read_only_error(db);
	if (db->depth++ == 0) {
		db->doomed = 0;
		if (db_exec(db, "BEGIN IMMEDIATE") < 0) {
			db->depth = 0;
			return lsr_error_last_code();
		}
	}
	return 0;
}

int db_txn_commit(struct lsr_db *db)
{
	if (db->depth <= 0)
		BUG("db_txn_commit without a transaction");
	if (--db->depth > 0)
		return 0;
	if (db->doomed) {
		db_exec(db, "ROLLBACK");
		return lsr_error_set(LSR_ERROR, "transaction rolled back");
	}
	if (db_exec(db, "COMMIT") < 0) {
		int code = lsr_error_last_code();

		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return code;
	}
	return 0;
}

void db_txn_rollback(struct lsr_db *db)
{
	if (db->depth <= 0)
		return;
	if (--db->depth > 0) {
		db->doomed = 1;
		return;
	}
	/* keep the caller's error message: do not go through db_error */
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int db_txn_depth(struct lsr_db *db)
{
	return db->depth;
}

const char *db_actor(void)
{
	const char *u = getenv("LSR_USER");

	if (!u || !*u)
		u = getenv("USER");
	return u && *u ? u : "unknown";
}

void db_set_command(struct lsr_db *db, const char *cmd)
{
	db->command = cmd;
}

int db_audit(struct lsr_db *db, const char *action, const char *object,
	     const char *detail_json)
{
	static const char sql[] =
		"INSERT INTO audit(at, actor, command, action, object, detail)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
	char now[CLOCK_ISO_LEN];
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	clock_now_iso(now);
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, db_actor());
	db_bind_text(st, 3, db->command ? db->command : "");
	db_bind_text(st, 4, action);
	db_bind_text(st, 5, object);
	db_bind_text(st, 6, detail_json);
	return db_step_done(db, st);
}

int db_audit_json(struct lsr_db *db, const char *action, const char *object, json_t *detail)
{
	char *txt = NULL;
	int rc;

	if (detail && !(txt = json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		json_decref(detail);
		return lsr_error_oom();
	}
	json_decref(detail);
	rc = db_audit(db, action, object, txt);
	free(txt);
	return rc;
}

/* Is the file an lsr review, an empty new file, or something else? */
static int check_identity(struct lsr_db *db)
{
	int64_t appid = 0, ntables = 0;

	if (db_query_int(db, &appid, "PRAGMA application_id") < 0)
		return lsr_error_last_code();
	if (appid == LSR_APPLICATION_ID)
		return 0;
	if (db_query_int(db, &ntables, "SELECT count(*) FROM sqlite_schema") < 0)
		return lsr_error_last_code();
	if (appid != 0 || ntables != 0)
		return lsr_error_set(LSR_ESCHEMA,
				     "'%s' is not an lsr review database (application id %#llx); refusing to touch it",
				     db->path, (unsigned long long)appid);
	return 1; /* empty: a new review */
}

static int backup(struct lsr_db *db, int version)
{
	struct buf name = BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (buf_printf(&name, "%s.bak-v%d", db->path, version) < 0)
		return LSR_ENOMEM;
	unlink(name.s);
	if (sqlite3_prepare_v2(db->h, "VACUUM INTO ?1", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name.s, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, "VACUUM INTO ?1");
	sqlite3_finalize(st);
	buf_release(&name);
	return rc;
}

static int migrate(struct lsr_db *db, int from, unsigned flags)
{
	if (from > 0 && from < db_schema_latest()) {
		if (flags & DB_OPEN_NO_MIGRATE)
			return lsr_error_set(LSR_ESCHEMA,
					     "'%s' has schema %d; this lsr needs %d (run any lsr command that writes to upgrade it)",
					     db->path, from, db_schema_latest());
		if (backup(db, from) < 0)
			return lsr_error_last_code();
	}
	for (int i = 0; i < db_migrations_count; i++) {
		const struct db_migration *m = &db_migrations[i];
		char pragma[64];

		if (m->version <= from)
			continue;
		if (db_txn_begin(db) < 0)
			return lsr_error_last_code();
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", m->version);
		if (db_exec(db, m->sql) < 0 || db_exec(db, pragma) < 0) {
			int code = lsr_error_wrap("migration %04d_%s", m->version, m->slug);

			db_txn_rollback(db);
			return code;
		}
		if (db_txn_commit(db) < 0)
			return lsr_error_last_code();
	}
	return 0;
}

/* Can this user write path (a file that exists)?  0, or errno. */
static int not_writable(const char *path)
{
	return access(path, W_OK) == 0 ? 0 : errno;
}

/*
 * Why the review at path cannot be written, into db->ro_why ("" when it
 * can): review.db, its -wal or -shm file, or its folder (where SQLite
 * creates them) not writable by this user, or a read-only file system.
 */
static void check_writable(struct lsr_db *db, const char *path)
{
	struct buf b = BUF_INIT;
	const char *slash = strrchr(path, '/');
	int e;

	db->ro_why[0] = '\0';
	if ((e = not_writable(path)) != 0 && e != ENOENT) {
		snprintf(db->ro_why, sizeof(db->ro_why), "%s",
			 e == EROFS ? "it is on a read-only file system"
				    : "this user may not write it");
		return;
	}
	for (int k = 0; k < 2; k++) {
		buf_reset(&b);
		if (buf_printf(&b, "%s%s", path, k ? "-shm" : "-wal") == 0 &&
		    (e = not_writable(b.s)) != 0 && e != ENOENT) {
			snprintf(db->ro_why, sizeof(db->ro_why), "this user may not write its %s file",
				 k ? "-shm" : "-wal");
			buf_release(&b);
			return;
		}
	}
	buf_reset(&b);
	if (!slash)
		buf_adds(&b, ".");
	else if (slash == path)
		buf_adds(&b, "/");
	else
		buf_add(&b, path, (size_t)(slash - path));
	if (b.len && (e = not_writable(b.s)) != 0)
		snprintf(db->ro_why, sizeof(db->ro_why), "%s",
			 e == EROFS ? "it is on a read-only file system"
				    : "this user may not write its folder, where SQLite keeps its -wal and -shm files");
	buf_release(&b);
}

/* An SQLite URI for path with a query (file names may hold '?', '#', '%'). */
static char *file_uri(const char *path, const char *query)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/._-~", *p))
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	buf_printf(&b, "?%s", query);
	return buf_detach(&b);
}

/* Open with the URI query and read the schema: 0, or SQLite's code. */
static int try_open_ro(struct lsr_db *db, const char *path, const char *query)
{
	char *uri = file_uri(path, query);
	int rc;

	if (!uri)
		return SQLITE_NOMEM;
	rc = sqlite3_open_v2(uri, &db->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db->h, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(db->h);
		db->h = NULL;
	}
	return rc;
}

/*
 * Open a review that cannot be written, read-only.  mode=ro reads a WAL
 * database when SQLite can use its -shm file (the folder is writable, or
 * the file exists); in a read-only folder without one only immutable=1
 * reads it, and that ignores a -wal file, so a review whose -wal still
 * holds changes is refused rather than read without them.
 */
static int open_read_only(struct lsr_db *db, const char *path)
{
	struct buf wal = BUF_INIT;
	struct stat sb;
	int has_wal;

	if (try_open_ro(db, path, "mode=ro") == SQLITE_OK)
		return 0;
	if (buf_printf(&wal, "%s-wal", path) < 0)
		return LSR_ENOMEM;
	has_wal = stat(wal.s, &sb) == 0 && sb.st_size > 0;
	buf_release(&wal);
	if (has_wal)
		return lsr_error_set(LSR_ESCHEMA,
				     "cannot read the review database '%s': it is read-only (%s) and its"
				     " write-ahead log '%s-wal' holds changes that only a writer can merge;"
				     " run any lsr command with write access once, or read a copy of the folder",
				     path, db->ro_why, path);
	if (try_open_ro(db, path, "mode=ro&immutable=1") == SQLITE_OK)
		return 0;
	return lsr_error_set(LSR_EDB, "cannot open '%s' read-only (%s): %s", path, db->ro_why,
			     db->h ? sqlite3_errmsg(db->h) : "SQLite cannot read it");
}

int db_open(struct lsr_db **out, const char *path, unsigned flags)
{
	struct lsr_db *db;
	struct stat sb;
	int rc, version, fresh;

	*out = NULL;
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT || !(flags & DB_OPEN_CREATE))
			return lsr_error_set(LSR_ENOTFOUND, "no review database at '%s': %s",
					     path, strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		return lsr_error_set(LSR_ESCHEMA, "'%s' is not a file", path);
	}
	db = calloc(1, sizeof(*db));
	if (!db)
		return lsr_error_oom();
	db->path = strdup(path);
	if (!db->path) {
		free(db);
		return lsr_error_oom();
	}
	{
		static int logging;

		/* before SQLite initialises: the first open of the process */
		if (!logging && sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, NULL) == SQLITE_OK)
			logging = 1;
	}
	check_writable(db, path);
	if (db->ro_why[0] && !(flags & DB_OPEN_READ)) {
		rc = read_only_error(db);
		goto fail;
	}
	if (db->ro_why[0]) {
		db->readonly = 1;
		if ((rc = open_read_only(db, path)) < 0)
			goto fail;
		rc = SQLITE_OK;
	} else {
		rc = sqlite3_open_v2(path, &db->h,
				     SQLITE_OPEN_READWRITE |
					     ((flags & DB_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0),
				     NULL);
	}
	if (rc != SQLITE_OK) {
		rc = lsr_error_set(LSR_EDB, "cannot open '%s': %s", path,
				   db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, 5000);
	fresh = check_identity(db);
	if (fresh < 0) {
		rc = fresh;
		goto fail;
	}
	version = db_schema_version(db);
	if (version < 0) {
		rc = lsr_error_last_code();
		goto fail;
	}
	if (version > db_schema_latest()) {
		rc = lsr_error_set(LSR_ESCHEMA,
				   "'%s' was written by a newer lsr (schema %d; this lsr knows up to %d): upgrade lsr to use it",
				   path, version, db_schema_latest());
		goto fail;
	}
	if (db->readonly) {
		/* nothing may be written: no upgrade, no cleaning, no pragma
		 * that changes the file */
		if (fresh)
			rc = lsr_error_set(LSR_ESCHEMA, "'%s' is empty, not an lsr review, and read-only", path);
		else if (version < db_schema_latest())
			rc = lsr_error_set(LSR_ESCHEMA,
					   "'%s' has schema %d and this lsr needs %d, but the review is read-only"
					   " (%s): it can be read once upgraded by any lsr command with write access",
					   path, version, db_schema_latest(), db->ro_why);
		else if ((rc = db_cache_size(db, DB_CACHE_KIB)) == 0 &&
			 (rc = db_exec(db, "PRAGMA foreign_keys = ON")) == 0) {
			*out = db;
			return 0;
		}
		goto fail;
	}
	if (fresh) {
		char pragma[64];

		/*
		 * 64 KiB pages: a record with its raw text (a PubMed XML record
		 * is about 10 kB) fits in its page, with no overflow chain, and
		 * a large import writes 16 times fewer WAL frames.  Each frame
		 * a transaction writes looks the page up in the WAL index, a
		 * search as long as the WAL, so with 4 KiB pages a
		 * million-record import slowed down quadratically.  Set before
		 * anything is written; databases created earlier keep theirs.
		 */
		if ((rc = db_exec(db, "PRAGMA page_size = 65536")) < 0)
			goto fail;
		snprintf(pragma, sizeof(pragma), "PRAGMA application_id = %d",
			 LSR_APPLICATION_ID);
		if ((rc = db_exec(db, pragma)) < 0)
			goto fail;
	}
	/* 64 MiB of page cache (an upper bound, used as needed): an import
	 * keeps the index pages it touches at random (DOIs) in memory */
	if ((rc = db_cache_size(db, DB_CACHE_KIB)) < 0 ||
	    (rc = db_exec(db, "PRAGMA journal_mode = WAL")) < 0 ||
	    (rc = db_exec(db, "PRAGMA foreign_keys = ON")) < 0 ||
	    (rc = db_exec(db, "PRAGMA synchronous = NORMAL")) < 0)
		goto fail;
	if ((rc = migrate(db, version, flags)) < 0)
		goto fail;
	/*
	 * An import killed mid-way leaves no trace (schema 8 on: its marker).
	 * Not fatal: a review busy with another writer opens all the same,
	 * the unfinished run counts nowhere and goes at a later open.
	 */
	if (db_schema_version(db) >= 8)
		(void)db_imports_clean(db);
	*out = db;
	return 0;
fail:
	db_close(db);
	return rc;
}

void db_close(struct lsr_db *db)
{
	if (!db)
		return;
	if (db->depth)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	for (size_t i = 0; i < db->nslots; i++) {
		if (db->slots[i].sql) {
			sqlite3_finalize(db->slots[i].st);
			free(db->slots[i].sql);
		}
	}
	free(db->slots);
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}
