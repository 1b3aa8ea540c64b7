/*
 * screening.c - helpers the screening files share (screening_int.h).
 */
#include "screening_int.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *scr_stage(const char *s)
{
	if (s && !strcmp(s, SCREEN_STAGE_TA))
		return SCREEN_STAGE_TA;
	if (s && !strcmp(s, SCREEN_STAGE_FT))
		return SCREEN_STAGE_FT;
	return NULL;
}

const char *scr_verdict(const char *s)
{
	static const char *const v[] = { "include", "exclude", "maybe" };
	size_t n;

	if (!s)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (int i = 0; i < 3; i++)
		if (n == strlen(v[i]) && !strncasecmp(s, v[i], n))
			return v[i];
	return NULL;
}

int scr_reason_required(const struct protocol *p, const char *stage)
{
	if (!strcmp(stage, SCREEN_STAGE_FT))
		return 1;
	for (size_t i = 0; i < p->reasons_required_at.n; i++)
		if (!strcmp(p->reasons_required_at.v[i], stage))
			return 1;
	return 0;
}

int screen_settings_stale(struct lsr_db *db, const struct protocol *p)
{
	static const char sql_get[] =
		"SELECT value FROM screen_settings WHERE key = 'reason_conflicts'";
	const char *want = p->reason_conflicts ? "true" : "false";
	sqlite3_stmt *st = db_prepare(db, sql_get);
	int step, same;

	if (!st)
		return lsr_error_last_code();
	step = sqlite3_step(st);
	same = step == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), want);
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_error(db, sql_get);
	/* the default is false: a review that never said otherwise needs no row */
	return !(same || (step == SQLITE_DONE && !p->reason_conflicts));
}

int screen_settings_sync(struct lsr_db *db, const struct protocol *p)
{
	static const char sql_set[] =
		"INSERT OR REPLACE INTO screen_settings(key, value) VALUES('reason_conflicts', ?1)";
	const char *want = p->reason_conflicts ? "true" : "false";
	sqlite3_stmt *st;
	int rc = screen_settings_stale(db, p);

	if (rc <= 0)
		return rc;
	if (!(st = db_prepare(db, sql_set)))
		return lsr_error_last_code();
	db_bind_text(st, 1, want);
	return db_step_done(db, st);
}

int scr_reason_check(const struct protocol *p, const char *stage, const char *verdict,
		     const char *reason, const char **code, char *msg, size_t msgsz)
{
	const struct protocol_reason *r = NULL;

	*code = NULL;
	if (!reason || !*reason) {
		if (!strcmp(verdict, "exclude") && scr_reason_required(p, stage)) {
			snprintf(msg, msgsz, "an exclusion at %s needs a reason%s",
				 strcmp(stage, SCREEN_STAGE_FT) ? "title-abstract" : "full text",
				 strcmp(stage, SCREEN_STAGE_FT)
				 ? " (screening.reasons_required_at)" : "");
			return -1;
		}
		return 0;
	}
	if (strcmp(verdict, "exclude")) {
		snprintf(msg, msgsz, "a reason goes with exclude only, not with %s", verdict);
		return -1;
	}
	for (size_t i = 0; i < p->nreasons; i++)
		if (!strcasecmp(p->reasons[i].code, reason))
			r = &p->reasons[i];
	if (!r) {
		size_t k = (size_t)snprintf(msg, msgsz, "unknown reason '%s' (declared:", reason);

		for (size_t i = 0; i < p->nreasons && k < msgsz; i++)
			k += (size_t)snprintf(msg + k, msgsz - k, "%s %s", i ? "," : "",
					      p->reasons[i].code);
		if (k < msgsz)
			snprintf(msg + k, msgsz - k, ")");
		return -1;
	}
	if (strcmp(r->stage ? r->stage : SCREEN_STAGE_TA, stage)) {
		snprintf(msg, msgsz, "'%s' is a %s reason, not a %s one", r->code,
			 r->stage ? r->stage : SCREEN_STAGE_TA, stage);
		return -1;
	}
	*code = r->code;
	return 0;
}

int scr_decision_add(struct lsr_db *db, int64_t citation, const char *stage,
		     const char *kind, const char *reviewer, const char *verdict,
		     const char *reason, const char *note, int64_t import_id,
		     int64_t carried_from, int64_t *out_id)
{
	static const char sql[] =
		"INSERT INTO screen_decisions(citation_id, stage, kind, reviewer, verdict, reason,"
		" note, import_id, carried_from, at, actor)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
	sqlite3_stmt *st = db_prepare(db, sql);
	char now[CLOCK_ISO_LEN];
	int rc;

	if (!st)
		return lsr_error_last_code();
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, citation);
	db_bind_text(st, 2, stage);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, reviewer);
	db_bind_text(st, 5, verdict);
	db_bind_text(st, 6, reason && *reason ? reason : NULL);
	db_bind_text(st, 7, note && *note ? note : NULL);
	if (import_id)
		sqlite3_bind_int64(st, 8, import_id);
	if (carried_from)
		sqlite3_bind_int64(st, 9, carried_from);
	db_bind_text(st, 10, now);
	db_bind_text(st, 11, db_actor());
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	if (out_id)
		*out_id = db_last_id(db);
	return 0;
}

int scr_status(struct lsr_db *db, int64_t citation, const char *stage, char *buf,
	       size_t bufsz)
{
	const char *sql = strcmp(stage, SCREEN_STAGE_FT)
		? "SELECT status FROM screen_ta_status WHERE citation_id = ?1"
		: "SELECT status FROM screen_ft_status WHERE citation_id = ?1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	buf[0] = '\0';
	sqlite3_bind_int64(st, 1, citation);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(buf, bufsz, "%s", (const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_DONE) {
		rc = db_error(db, sql);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return 0;
}

int scr_audit(struct lsr_db *db, const char *action, const char *what, int64_t id,
	      struct json_t *detail)
{
	char obj[64];

	snprintf(obj, sizeof(obj), "%s %lld", what, (long long)id);
	return db_audit_json(db, action, obj, detail);
}

int screen_citation_live(struct lsr_db *db, int64_t id, int64_t *out)
{
	static const char sql[] = "SELECT retired_into FROM citations WHERE id = ?1";
	int64_t cur = id;

	for (int hops = 0; hops < 64; hops++) {
		sqlite3_stmt *st = db_prepare(db, sql);
		int rc;

		if (!st)
			return lsr_error_last_code();
		sqlite3_bind_int64(st, 1, cur);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			if (rc != SQLITE_DONE)
				rc = db_error(db, sql);
			else
				rc = lsr_error_set(LSR_ENOTFOUND, "no citation %lld", (long long)id);
			sqlite3_reset(st);
			return rc;
		}
		if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
			sqlite3_reset(st);
			*out = cur;
			return 0;
		}
		cur = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return lsr_error_set(LSR_ERROR, "citation %lld: merge chain too long", (long long)id);
}
