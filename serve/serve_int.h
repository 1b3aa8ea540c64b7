/*
 * serve_int.h - what the files of serve/ share (private): embedded assets,
 * secrets, accounts and sessions, the request handlers.
 */
#ifndef LSR_SERVE_INT_H
#define LSR_SERVE_INT_H

#include "serve.h"
#include "../db/db.h"
#include "../db/protocol.h"

#include <stddef.h>

/* A file of serve/assets/, embedded at build time (cmake/embed.cmake). */
struct serve_asset {
	const char *path;  /* "/index.html" */
	const char *type;  /* Content-Type */
	const char *data;
	size_t len;
};
extern const struct serve_asset serve_assets[];
extern const int serve_assets_count;

/* ---- secrets (accounts.c) ---------------------------------------------- */

/* A fresh random token from the OS CSPRNG, as hex. */
int serve_random_hex(char out[SERVE_TOKEN_HEX + 1]);
/* SHA-256 of the NUL-terminated s, as hex (what the tables store). */
int serve_hash(const char *s, char out[SERVE_TOKEN_HEX + 1]);
/* Compare two NUL-terminated strings in time independent of where they differ. */
int serve_secret_equal(const char *a, const char *b);

/* ---- accounts and sessions (accounts.c) -------------------------------- */

struct serve_account {
	int64_t id;
	char name[256];
	char role[16];
};

/* Spend a login token: a new session for its account into session (hex).
 * LSR_ENOTFOUND: the token is unknown, used, or its account revoked. */
int serve_login(struct lsr_db *db, const char *token, char session[SERVE_TOKEN_HEX + 1],
		struct serve_account *acct);
/* The account of a session id (LSR_ENOTFOUND: none, or revoked). */
int serve_session_account(struct lsr_db *db, const char *session, struct serve_account *acct);
/* End a session. */
int serve_logout(struct lsr_db *db, const char *session);

/* Reopened citations ("undo"): the oldest one of account at stage into
 * *citation (0: none). */
int serve_reopened_next(struct lsr_db *db, int64_t account, const char *stage,
			int64_t *citation);
/* Is decision already reopened by account? */
int serve_reopened_has(struct lsr_db *db, int64_t account, int64_t decision, int *out);
int serve_reopened_add(struct lsr_db *db, int64_t account, const char *stage,
		       int64_t citation, int64_t decision);
int serve_reopened_clear(struct lsr_db *db, int64_t account, const char *stage,
			 int64_t citation);

/* The account's highlight words: {"include": [...], "exclude": [...]}. */
int serve_highlights_json(struct lsr_db *db, int64_t account, struct json_t **out);
/* Add (or with remove, drop) a highlight word of kind include|exclude. */
int serve_highlight_set(struct lsr_db *db, int64_t account, const char *kind,
			const char *word, int remove);

/* A reviewer's own note and tags on a citation (serve_notes): private to
 * them; the arbiter sees them beside a conflict. */
#define SERVE_NOTE_MAX 4000   /* bytes of a note */
#define SERVE_TAGS_MAX 20     /* tags on one citation */
#define SERVE_TAG_LEN 40      /* bytes of one tag */

/* The account's note on citation: {"text": "...", "tags": [...]} (empty
 * when none). */
int serve_note_json(struct lsr_db *db, int64_t account, int64_t citation, struct json_t **out);
/* Store (an empty note and no tags: drop) the account's note and tags
 * (a JSON array of strings, borrowed) on citation. */
int serve_note_set(struct lsr_db *db, int64_t account, int64_t citation, const char *note,
		   struct json_t *tags);
/* Everyone else's notes on citation: [{reviewer, text, tags}] (the
 * arbiter's view of a conflict). */
int serve_notes_of_others_json(struct lsr_db *db, int64_t account, int64_t citation,
			       struct json_t **out);

/* ---- requests (api.c) -------------------------------------------------- */

struct screen_handout;

struct serve_state {
	struct lsr_db *db;
	const struct protocol *p;
	struct screen_handout *handout;  /* the hand-out order (serve_query.h) */
};

/* One API request after authentication.  *status gets the HTTP status and
 * *body the JSON answer (caller json_decref's). */
struct serve_request {
	const char *method;
	const char *path;
	const char *stage;          /* ?stage=, or NULL */
	const char *citation;       /* ?citation=, or NULL */
	const char *before;         /* ?before= (GET /api/history), or NULL */
	const char *after;          /* ?after= (GET /api/history), or NULL */
	const char *body;           /* NUL-terminated request body ("" when none) */
	size_t body_len;
	const struct serve_account *acct;
	const char *csrf;           /* the session's CSRF token */
};

int serve_api(struct serve_state *s, const struct serve_request *r, int *status,
	      struct json_t **body);

/*
 * GET /api/fulltext?citation=ID: the registered full-text file of a
 * citation assigned to the account at full text (any, for an arbiter),
 * into *path (caller frees; relative paths are taken from the review's
 * directory by the caller).  On refusal *path is NULL and *status, *body
 * hold the JSON answer.
 */
int serve_fulltext(struct serve_state *s, const struct serve_request *r, char **path,
		   int *status, struct json_t **body);

#endif
