/*
 * accounts.c - the server's own tables (db/migrations/0009_serve.sql):
 * accounts, one-time login tokens, sessions, reopened citations and
 * highlight words; and the secrets they hold, random from getrandom(2)
 * and stored only as their SHA-256.
 */
#include "serve_int.h"
#include "../util/clock.h"
#include "../util/err.h"
#include "../util/sha256.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>
#include <sys/random.h>

int serve_random_hex(char out[SERVE_TOKEN_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[SERVE_TOKEN_HEX / 2];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t k = getrandom(b + got, sizeof(b) - got, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return lsr_error_set(LSR_ERROR, "getrandom failed: %s", strerror(errno));
		}
		got += (size_t)k;
	}
	for (size_t i = 0; i < sizeof(b); i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[SERVE_TOKEN_HEX] = '\0';
	return 0;
}

int serve_hash(const char *s, char out[SERVE_TOKEN_HEX + 1])
{
	struct sha256 *h = sha256_new();
	int rc;

	if (!h)
		return lsr_error_oom();
	if ((rc = sha256_update(h, s, strlen(s))) < 0) {
		sha256_free(h);
		return rc;
	}
	return sha256_final(h, out); /* frees h */
}

int serve_secret_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;

	for (size_t i = 0; i < na && i < nb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* Run one statement with text/int arguments: "t" text, "i" int64. */
static int exec_args(struct lsr_db *db, const char *sql, const char *kinds, ...)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	va_list ap;

	if (!st)
		return lsr_error_last_code();
	va_start(ap, kinds);
	for (int i = 0; kinds[i]; i++) {
		if (kinds[i] == 't')
			db_bind_text(st, i + 1, va_arg(ap, const char *));
		else
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	return db_step_done(db, st);
}

static int account_by(struct lsr_db *db, const char *sql, const char *key,
		      struct serve_account *acct)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, key);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		acct->id = sqlite3_column_int64(st, 0);
		snprintf(acct->name, sizeof(acct->name), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(acct->role, sizeof(acct->role), "%s",
			 (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return LSR_ENOTFOUND; /* no message: the caller says what was not found */
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

static int valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= 256)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}

int serve_account_add(struct lsr_db *db, const char *name, const char *role,
		      char token[SERVE_TOKEN_HEX + 1])
{
	static const char sql_find[] =
		"SELECT id, name, role FROM serve_accounts WHERE name = ?1";
	struct serve_account a = { 0 };
	char hash[SERVE_TOKEN_HEX + 1], now[CLOCK_ISO_LEN];
	int rc;

	if (!name || !valid_name(name))
		return lsr_error_set(LSR_EUSAGE, "a reviewer name must be 1 to 255 printable characters");
	if (role && strcmp(role, "reviewer") && strcmp(role, "arbiter"))
		return lsr_error_set(LSR_EUSAGE, "--role: expected reviewer or arbiter, not '%s'", role);
	if ((rc = serve_random_hex(token)) < 0 || (rc = serve_hash(token, hash)) < 0)
		return rc;
	clock_now_iso(now);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	rc = account_by(db, sql_find, name, &a);
	if (rc == LSR_ENOTFOUND) {
		rc = exec_args(db, "INSERT INTO serve_accounts(name, role, created_at, actor)"
			       " VALUES(?1, ?2, ?3, ?4)", "tttt", name, role ? role : "reviewer",
			       now, db_actor());
		if (rc == 0)
			rc = account_by(db, sql_find, name, &a);
	} else if (rc == 0) {
		rc = exec_args(db, "UPDATE serve_accounts SET role = coalesce(?1, role),"
			       " revoked_at = NULL WHERE id = ?2", "ti", role, a.id);
		if (rc == 0)
			rc = account_by(db, sql_find, name, &a);
	}
	if (rc == 0)
		rc = exec_args(db, "INSERT INTO serve_tokens(account_id, token_hash, created_at)"
			       " VALUES(?1, ?2, ?3)", "itt", a.id, hash, now);
	if (rc == 0)
		rc = db_audit_json(db, "serve-add-reviewer", name,
				   json_pack("{s:s}", "role", a.role));
	if (rc < 0) {
		db_txn_rollback(db);
		memset(token, 0, SERVE_TOKEN_HEX + 1);
		return rc;
	}
	return db_txn_commit(db);
}

int serve_account_revoke(struct lsr_db *db, const char *name)
{
	static const char sql_find[] =
		"SELECT id, name, role FROM serve_accounts WHERE name = ?1 AND revoked_at IS NULL";
	struct serve_account a = { 0 };
	char now[CLOCK_ISO_LEN];
	int rc;

	clock_now_iso(now);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	rc = account_by(db, sql_find, name, &a);
	if (rc == LSR_ENOTFOUND)
		rc = lsr_error_set(LSR_ENOTFOUND, "no account '%s' (or revoked already)", name);
	if (rc == 0)
		rc = exec_args(db, "UPDATE serve_accounts SET revoked_at = ?1 WHERE id = ?2", "ti",
			       now, a.id);
	if (rc == 0)
		rc = exec_args(db, "DELETE FROM serve_sessions WHERE account_id = ?1", "i", a.id);
	if (rc == 0)
		rc = exec_args(db, "UPDATE serve_tokens SET used_at = ?1 WHERE account_id = ?2"
			       " AND used_at IS NULL", "ti", now, a.id);
	if (rc == 0)
		rc = db_audit_json(db, "serve-revoke", name, NULL);
	if (rc < 0) {
		db_txn_rollback(db);
		return rc;
	}
	return db_txn_commit(db);
}

int serve_login(struct lsr_db *db, const char *token, char session[SERVE_TOKEN_HEX + 1],
		struct serve_account *acct)
{
	static const char sql_find[] =
		"SELECT a.id, a.name, a.role FROM serve_tokens t JOIN serve_accounts a"
		" ON a.id = t.account_id WHERE t.token_hash = ?1 AND t.used_at IS NULL"
		" AND a.revoked_at IS NULL";
	char hash[SERVE_TOKEN_HEX + 1], shash[SERVE_TOKEN_HEX + 1], now[CLOCK_ISO_LEN];
	int rc;

	if ((rc = serve_hash(token, hash)) < 0)
		return rc;
	clock_now_iso(now);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	rc = account_by(db, sql_find, hash, acct);
	if (rc == 0)
		rc = exec_args(db, "UPDATE serve_tokens SET used_at = ?1 WHERE token_hash = ?2",
			       "tt", now, hash);
	if (rc == 0 && (rc = serve_random_hex(session)) == 0 &&
	    (rc = serve_hash(session, shash)) == 0)
		rc = exec_args(db, "INSERT INTO serve_sessions(account_id, session_hash, created_at)"
			       " VALUES(?1, ?2, ?3)", "itt", acct->id, shash, now);
	if (rc == 0)
		rc = db_audit_json(db, "serve-login", acct->name, NULL);
	if (rc < 0) {
		db_txn_rollback(db);
		return rc;
	}
	return db_txn_commit(db);
}

int serve_session_account(struct lsr_db *db, const char *session, struct serve_account *acct)
{
	static const char sql[] =
		"SELECT a.id, a.name, a.role FROM serve_sessions s JOIN serve_accounts a"
		" ON a.id = s.account_id WHERE s.session_hash = ?1 AND a.revoked_at IS NULL";
	char hash[SERVE_TOKEN_HEX + 1];
	int rc;

	if ((rc = serve_hash(session, hash)) < 0)
		return rc;
	return account_by(db, sql, hash, acct);
}

int serve_logout(struct lsr_db *db, const char *session)
{
	char hash[SERVE_TOKEN_HEX + 1];
	int rc;

	if ((rc = serve_hash(session, hash)) < 0)
		return rc;
	return exec_args(db, "DELETE FROM serve_sessions WHERE session_hash = ?1", "t", hash);
}

/* The first column of a query's first row (0 when no row); ?1 is a, ?2 b
 * (text, when not NULL), ?3 c: a parameter the query lacks is not bound. */
static int query_id(struct lsr_db *db, const char *sql, int64_t a, const char *b,
		    int64_t c, int64_t *out)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	*out = 0;
	sqlite3_bind_int64(st, 1, a);
	if (b)
		db_bind_text(st, 2, b);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, c);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}

int serve_reopened_next(struct lsr_db *db, int64_t account, const char *stage,
			int64_t *citation)
{
	return query_id(db, "SELECT citation_id FROM serve_reopened WHERE account_id = ?1"
			" AND stage = ?2 ORDER BY at DESC, decision_id DESC LIMIT 1",
			account, stage, 0, citation);
}

int serve_reopened_has(struct lsr_db *db, int64_t account, int64_t decision, int *out)
{
	int64_t n = 0;
	int rc = query_id(db, "SELECT count(*) FROM serve_reopened WHERE account_id = ?1"
			  " AND decision_id = ?3", account, NULL, decision, &n);

	*out = n > 0;
	return rc;
}

int serve_reopened_add(struct lsr_db *db, int64_t account, const char *stage,
		       int64_t citation, int64_t decision)
{
	char now[CLOCK_ISO_LEN];

	clock_now_iso(now);
	return exec_args(db, "INSERT OR REPLACE INTO serve_reopened(account_id, stage,"
			 " citation_id, decision_id, at) VALUES(?1, ?2, ?3, ?4, ?5)", "itiit",
			 account, stage, citation, decision, now);
}

int serve_reopened_clear(struct lsr_db *db, int64_t account, const char *stage,
			 int64_t citation)
{
	return exec_args(db, "DELETE FROM serve_reopened WHERE account_id = ?1 AND stage = ?2"
			 " AND citation_id = ?3", "iti", account, stage, citation);
}

int serve_highlights_json(struct lsr_db *db, int64_t account, json_t **out)
{
	static const char sql[] =
		"SELECT kind, word FROM serve_highlights WHERE account_id = ?1 ORDER BY kind, word";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *o;
	int step;

	if (!st)
		return lsr_error_last_code();
	o = json_pack("{s:[],s:[]}", "include", "exclude");
	if (!o)
		return lsr_error_oom();
	sqlite3_bind_int64(st, 1, account);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(json_object_get(o, (const char *)sqlite3_column_text(st, 0)),
				      json_string((const char *)sqlite3_column_text(st, 1)));
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		json_decref(o);
		return db_error(db, sql);
	}
	*out = o;
	return 0;
}

int serve_highlight_set(struct lsr_db *db, int64_t account, const char *kind,
			const char *word, int remove)
{
	char now[CLOCK_ISO_LEN];

	if (!kind || (strcmp(kind, "include") && strcmp(kind, "exclude")))
		return lsr_error_set(LSR_EUSAGE, "kind: expected include or exclude");
	if (!word || !*word || strlen(word) > 200)
		return lsr_error_set(LSR_EUSAGE, "word: 1 to 200 bytes");
	if (remove)
		return exec_args(db, "DELETE FROM serve_highlights WHERE account_id = ?1"
				 " AND kind = ?2 AND word = ?3", "itt", account, kind, word);
	clock_now_iso(now);
	return exec_args(db, "INSERT OR IGNORE INTO serve_highlights(account_id, kind, word, at)"
			 " VALUES(?1, ?2, ?3, ?4)", "ittt", account, kind, word, now);
}

int serve_note_json(struct lsr_db *db, int64_t account, int64_t citation, json_t **out)
{
	static const char sql[] =
		"SELECT note, tags FROM serve_notes WHERE account_id = ?1 AND citation_id = ?2";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *tags = NULL;
	const char *note = "";
	int step;

	*out = NULL;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, citation);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		note = (const char *)sqlite3_column_text(st, 0);
		tags = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
	}
	*out = json_pack("{s:s,s:o}", "text", note ? note : "", "tags", tags ? tags : json_array());
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		json_decref(*out);
		*out = NULL;
		return db_error(db, sql);
	}
	return *out ? 0 : lsr_error_oom();
}

int serve_note_set(struct lsr_db *db, int64_t account, int64_t citation, const char *note,
		   json_t *tags)
{
	char now[CLOCK_ISO_LEN], *text;
	json_t *t;
	size_t i;
	int rc;

	if (strlen(note) > SERVE_NOTE_MAX)
		return lsr_error_set(LSR_EUSAGE, "note: at most %d bytes", SERVE_NOTE_MAX);
	if (!json_is_array(tags) || json_array_size(tags) > SERVE_TAGS_MAX)
		return lsr_error_set(LSR_EUSAGE, "tags: a list of at most %d words", SERVE_TAGS_MAX);
	json_array_foreach(tags, i, t)
		if (!json_is_string(t) || !json_string_length(t) ||
		    json_string_length(t) > SERVE_TAG_LEN)
			return lsr_error_set(LSR_EUSAGE, "tags: each 1 to %d bytes of text",
					     SERVE_TAG_LEN);
	if (!(text = json_dumps(tags, JSON_COMPACT)))
		return lsr_error_oom();
	clock_now_iso(now);
	if (!*note && !json_array_size(tags))
		rc = exec_args(db, "DELETE FROM serve_notes WHERE account_id = ?1 AND citation_id = ?2",
			       "ii", account, citation);
	else
		rc = exec_args(db, "INSERT OR REPLACE INTO serve_notes(account_id, citation_id, note,"
			       " tags, at) VALUES(?1, ?2, ?3, ?4, ?5)", "iittt", account, citation,
			       note, text, now);
	free(text);
	return rc;
}

int serve_notes_of_others_json(struct lsr_db *db, int64_t account, int64_t citation,
			       json_t **out)
{
	static const char sql[] =
		"SELECT a.name, n.note, n.tags FROM serve_notes n"
		" JOIN serve_accounts a ON a.id = n.account_id"
		" WHERE n.citation_id = ?2 AND n.account_id <> ?1 ORDER BY a.name";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *arr = json_array();
	int step;

	*out = NULL;
	if (!st || !arr) {
		json_decref(arr);
		return st ? lsr_error_oom() : lsr_error_last_code();
	}
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *tags = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);

		json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "reviewer",
						     (const char *)sqlite3_column_text(st, 0), "text",
						     (const char *)sqlite3_column_text(st, 1), "tags",
						     tags ? tags : json_array()));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		json_decref(arr);
		return db_error(db, sql);
	}
	*out = arr;
	return 0;
}
