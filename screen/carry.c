/*
 * carry.c - screening decisions across merges and splits of citations
 * (see screen.h; called from citation.c, where deduplication reports every
 * merge and split).
 *
 * Merge (kept absorbs absorbed), per stage:
 *   - the absorbed citation's current decisions are copied to kept for the
 *     reviewers who have none there (carried_from names the original), its
 *     assignments too, and its resolution when kept has none;
 *   - when both carried decisions and they differ (one reviewer decided
 *     differently on the two, or both reached different outcomes), the
 *     merged citation gets a 'merge-conflict' flag: it is in conflict until
 *     a resolution (lsr screen resolve) - never a silent choice.  Differing
 *     decisions of the same reviewer are not copied (the flag's detail
 *     keeps both sides).
 * Split (part leaves from), per stage: the part receives copies of the
 * current decisions, resolution and assignments made on the whole, and
 * both get a 'split' flag (a second look) that the next decision clears.
 * The retrieval record and the study link are carried the same way.  Rule
 * evaluations of both citations are dropped (derived data: their metadata
 * changed), so the next rules run evaluates them again.
 */
#include "screening_int.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const stages[] = { SCREEN_STAGE_TA, SCREEN_STAGE_FT };

static int exec2(struct lsr_db *db, const char *sql, int64_t a, int64_t b, const char *stage)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	char now[CLOCK_ISO_LEN];

	if (!st)
		return lsr_error_last_code();
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (stage)
		db_bind_text(st, 3, stage);
	if (sqlite3_bind_parameter_count(st) >= 4)
		db_bind_text(st, 4, now);
	if (sqlite3_bind_parameter_count(st) >= 5)
		db_bind_text(st, 5, db_actor());
	return db_step_done(db, st);
}

static int int_query(struct lsr_db *db, const char *sql, int64_t a, int64_t b,
		     const char *stage, int64_t *out)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	if (stage && sqlite3_bind_parameter_count(st) >= 3)
		db_bind_text(st, 3, stage);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = db_error(db, sql);
		sqlite3_reset(st);
		return rc;
	}
	*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* ?1 from, ?2 to, ?3 stage, ?4 now, ?5 actor */
static const char sql_copy_reviews[] =
	"INSERT INTO screen_decisions(citation_id, stage, kind, reviewer, verdict, reason, note,"
	" carried_from, at, actor)"
	" SELECT ?2, a.stage, 'review', a.reviewer, a.verdict, a.reason, a.note, a.id, ?4, ?5"
	" FROM screen_current a WHERE a.citation_id = ?1 AND a.stage = ?3"
	" AND NOT EXISTS (SELECT 1 FROM screen_decisions k WHERE k.citation_id = ?2"
	"   AND k.stage = a.stage AND k.kind = 'review' AND k.reviewer = a.reviewer)"
	" ORDER BY a.id";
static const char sql_copy_resolution[] =
	"INSERT INTO screen_decisions(citation_id, stage, kind, reviewer, verdict, reason, note,"
	" carried_from, at, actor)"
	" SELECT ?2, a.stage, 'resolution', a.reviewer, a.verdict, a.reason, a.note, a.id, ?4, ?5"
	" FROM screen_current_resolutions a WHERE a.citation_id = ?1 AND a.stage = ?3"
	" AND NOT EXISTS (SELECT 1 FROM screen_decisions k WHERE k.citation_id = ?2"
	"   AND k.stage = a.stage AND k.kind = 'resolution')";
static const char sql_copy_assignments[] =
	"INSERT OR IGNORE INTO screen_assignments(citation_id, stage, reviewer, batch_id, position,"
	" required, carried_from, at)"
	" SELECT ?2, a.stage, a.reviewer, a.batch_id, a.position, a.required, ?1, ?4"
	" FROM screen_assignments a WHERE a.citation_id = ?1 AND a.stage = ?3";
static const char sql_copy_retrieval[] =
	"INSERT INTO screen_retrievals(citation_id, retrieved, file, reason, carried_from, at, actor)"
	" SELECT ?2, r.retrieved, r.file, r.reason, r.id, ?4, ?5 FROM screen_retrieval_current r"
	" WHERE r.citation_id = ?1"
	" AND NOT EXISTS (SELECT 1 FROM screen_retrievals k WHERE k.citation_id = ?2)";
static const char sql_copy_link[] =
	"INSERT INTO study_links(citation_id, study_id, carried_from, at, actor)"
	" SELECT ?2, l.study_id, l.id, ?4, ?5 FROM study_links l"
	" WHERE l.citation_id = ?1 AND l.study_id IS NOT NULL"
	" AND l.id = (SELECT max(x.id) FROM study_links x WHERE x.citation_id = ?1)"
	" AND NOT EXISTS (SELECT 1 FROM study_links k WHERE k.citation_id = ?2)";
static const char sql_drop_evals[] =
	"DELETE FROM screen_rule_evals WHERE citation_id IN (?1, ?2)";
static const char sql_ndecisions[] =
	"SELECT count(*) FROM screen_decisions WHERE citation_id = ?1 AND ?2 = ?2 AND stage = ?3";

/* Copy what carries over from one citation to another (retrieval, link). */
static int copy_common(struct lsr_db *db, int64_t from, int64_t to)
{
	int rc;

	if ((rc = exec2(db, sql_copy_retrieval, from, to, NULL)) < 0)
		return rc;
	return exec2(db, sql_copy_link, from, to, NULL);
}

/* The side of a merge as the flag's detail shows it. */
static json_t *side_json(struct lsr_db *db, int64_t citation, const char *stage)
{
	static const char sql[] =
		"SELECT (SELECT status FROM screen_decided WHERE citation_id = ?1 AND stage = ?3),"
		" (SELECT json_group_array(json_object('reviewer', reviewer, 'kind', kind,"
		"   'verdict', verdict, 'reason', reason)) FROM (SELECT * FROM screen_current"
		"   WHERE citation_id = ?1 AND stage = ?3 UNION ALL SELECT * FROM screen_current_resolutions"
		"   WHERE citation_id = ?1 AND stage = ?3 ORDER BY id)) WHERE ?2 = ?2";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *o = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, citation);
	sqlite3_bind_int64(st, 2, 0);
	db_bind_text(st, 3, stage);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		const char *dec = (const char *)sqlite3_column_text(st, 1);
		json_t *d = dec ? json_loads(dec, 0, NULL) : NULL;

		o = json_pack("{s:I,s:s?,s:o}", "citation", (json_int_t)citation, "status", status,
			      "decisions", d ? d : json_array());
	}
	sqlite3_reset(st);
	return o;
}

static int add_flag(struct lsr_db *db, int64_t citation, const char *stage, const char *kind,
		    int64_t event, int64_t other, const char *detail)
{
	static const char sql[] =
		"INSERT INTO screen_flags(citation_id, stage, kind, event_id, other_id, seq, detail, at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(id), 0) FROM screen_decisions), ?6, ?7)";
	sqlite3_stmt *st = db_prepare(db, sql);
	char now[CLOCK_ISO_LEN];

	if (!st)
		return lsr_error_last_code();
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, citation);
	db_bind_text(st, 2, stage);
	db_bind_text(st, 3, kind);
	if (event)
		sqlite3_bind_int64(st, 4, event);
	sqlite3_bind_int64(st, 5, other);
	db_bind_text(st, 6, detail);
	db_bind_text(st, 7, now);
	return db_step_done(db, st);
}

/* Do the two sides of a merge disagree at stage? */
static int merge_differs(struct lsr_db *db, int64_t kept, int64_t absorbed, const char *stage,
			 int *out)
{
	static const char sql_same_reviewer[] =
		"SELECT count(*) FROM screen_current a JOIN screen_current k"
		" ON k.reviewer = a.reviewer AND k.stage = a.stage"
		" WHERE a.citation_id = ?2 AND k.citation_id = ?1 AND a.stage = ?3"
		" AND (a.verdict <> k.verdict OR coalesce(a.reason, '') <> coalesce(k.reason, ''))";
	static const char sql_outcomes[] =
		"SELECT count(*) FROM screen_decided a JOIN screen_decided k ON k.stage = a.stage"
		" WHERE a.citation_id = ?2 AND k.citation_id = ?1 AND a.stage = ?3"
		" AND a.status IN ('included', 'excluded') AND k.status IN ('included', 'excluded')"
		" AND (a.status <> k.status OR coalesce(a.reason, '') <> coalesce(k.reason, ''))";
	int64_t n = 0;
	int rc;

	*out = 0;
	if ((rc = int_query(db, sql_same_reviewer, kept, absorbed, stage, &n)) < 0)
		return rc;
	if (n) {
		*out = 1;
		return 0;
	}
	if ((rc = int_query(db, sql_outcomes, kept, absorbed, stage, &n)) < 0)
		return rc;
	*out = n > 0;
	return 0;
}

int screen_carry_merge(struct lsr_db *db, int64_t event, int64_t kept, int64_t absorbed)
{
	int rc;

	if ((rc = exec2(db, sql_drop_evals, kept, absorbed, NULL)) < 0)
		return rc;
	for (int s = 0; s < 2; s++) {
		const char *stage = stages[s];
		int64_t nk = 0, na = 0;
		int differs = 0;
		char *detail = NULL;

		if ((rc = int_query(db, sql_ndecisions, kept, 0, stage, &nk)) < 0 ||
		    (rc = int_query(db, sql_ndecisions, absorbed, 0, stage, &na)) < 0)
			return rc;
		if (na && nk && (rc = merge_differs(db, kept, absorbed, stage, &differs)) < 0)
			return rc;
		if (differs) {
			json_t *d = json_pack("{s:o*,s:o*}", "kept", side_json(db, kept, stage),
					      "absorbed", side_json(db, absorbed, stage));

			detail = d ? json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
			json_decref(d);
			if (!detail)
				return lsr_error_oom();
		}
		rc = exec2(db, sql_copy_reviews, absorbed, kept, stage);
		if (rc == 0 && !differs)
			rc = exec2(db, sql_copy_resolution, absorbed, kept, stage);
		if (rc == 0)
			rc = exec2(db, sql_copy_assignments, absorbed, kept, stage);
		if (rc == 0 && differs)
			rc = add_flag(db, kept, stage, "merge-conflict", event, absorbed, detail);
		free(detail);
		if (rc < 0)
			return rc;
	}
	return copy_common(db, absorbed, kept);
}

int screen_carry_split(struct lsr_db *db, int64_t event, int64_t from, int64_t part)
{
	static const char sql_open_split[] =
		"SELECT count(*) FROM screen_open_flags WHERE citation_id = ?1 AND ?2 = ?2"
		" AND stage = ?3 AND kind = 'split'";
	int rc;

	if ((rc = exec2(db, sql_drop_evals, from, part, NULL)) < 0)
		return rc;
	for (int s = 0; s < 2; s++) {
		const char *stage = stages[s];
		int64_t n = 0, open = 0;

		if ((rc = int_query(db, sql_ndecisions, from, 0, stage, &n)) < 0)
			return rc;
		if ((rc = exec2(db, sql_copy_assignments, from, part, stage)) < 0)
			return rc;
		if (!n)
			continue;
		if ((rc = exec2(db, sql_copy_reviews, from, part, stage)) < 0 ||
		    (rc = exec2(db, sql_copy_resolution, from, part, stage)) < 0 ||
		    (rc = add_flag(db, part, stage, "split", event, from, NULL)) < 0 ||
		    (rc = int_query(db, sql_open_split, from, 0, stage, &open)) < 0)
			return rc;
		if (!open && (rc = add_flag(db, from, stage, "split", event, part, NULL)) < 0)
			return rc;
	}
	return copy_common(db, from, part);
}
