/*
 * dedup_query.c - what `lsr dedup`, `lsr status` and `lsr update` read of
 * the grouping: one citation explained, the review queue, the export, and
 * the counts per source (screen.h).  Each hands cli/ plain numbers or one
 * JSON value to print as JSON or as text.
 */
#include "screen.h"
#include "../db/db.h"
#include "../db/rows.h"
#include "../util/csvtab.h"
#include "../util/err.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/*
 * Open pairs of the review queue: records in different citations, both
 * taking part in grouping, no person's decision on them yet.  The queue
 * drives the join (CROSS JOIN keeps SQLite from starting at the records
 * and probing the queue once per pair of them: n^2 probes, 7 s at 7,000
 * records); every other table is one index lookup per queued pair.
 */
#define QUEUE_OPEN_JOINS \
	" CROSS JOIN citation_members ma ON ma.record_id = q.record_a" \
	" CROSS JOIN citation_members mb ON mb.record_id = q.record_b"
#define QUEUE_OPEN_WHERE \
	" WHERE ma.citation_id <> mb.citation_id" \
	" AND EXISTS (SELECT 1 FROM dedup_records r WHERE r.id = q.record_a)" \
	" AND EXISTS (SELECT 1 FROM dedup_records r WHERE r.id = q.record_b)" \
	" AND NOT EXISTS (SELECT 1 FROM dedup_decisions d WHERE d.record_a = q.record_a" \
	"  AND d.record_b = q.record_b AND d.kind IN ('same', 'different'))"

int screen_dedup_queue_open_count(struct lsr_db *db, int64_t *out)
{
	*out = 0;
	return db_query_int(db, out, "SELECT count(*) FROM dedup_queue q" QUEUE_OPEN_JOINS QUEUE_OPEN_WHERE);
}

int screen_dedup_queue_json(struct lsr_db *db, int all, struct json_t **out)
{
	static const char open_sql[] =
		"SELECT q.id, q.record_a, q.record_b, ma.citation_id, mb.citation_id, q.rule, q.score,"
		" q.scores, ra.title, rb.title, ra.year, rb.year, NULL"
		" FROM dedup_queue q" QUEUE_OPEN_JOINS
		" CROSS JOIN records ra ON ra.id = q.record_a"
		" CROSS JOIN records rb ON rb.id = q.record_b" QUEUE_OPEN_WHERE
		" ORDER BY q.id";
	static const char all_sql[] =
		"SELECT q.id, q.record_a, q.record_b, ma.citation_id, mb.citation_id, q.rule, q.score,"
		" q.scores, ra.title, rb.title, ra.year, rb.year,"
		" (SELECT d.kind FROM dedup_decisions d WHERE d.record_a = q.record_a"
		"  AND d.record_b = q.record_b AND d.kind IN ('same', 'different') ORDER BY d.id DESC LIMIT 1)"
		" FROM dedup_queue q"
		" LEFT JOIN citation_members ma ON ma.record_id = q.record_a"
		" LEFT JOIN citation_members mb ON mb.record_id = q.record_b"
		" JOIN records ra ON ra.id = q.record_a JOIN records rb ON rb.id = q.record_b"
		" ORDER BY q.id";
	static const char *const names[] = { "pair", "record_a", "record_b", "citation_a",
		"citation_b", "rule", "score", "scores", "title_a", "title_b", "year_a", "year_b",
		"decided", NULL };
	json_t *arr = json_array();
	int rc = db_rows_json(db, all ? all_sql : open_sql, 0, names, "nnnnnsnjsssss", arr);

	if (rc < 0) {
		json_decref(arr);
		arr = NULL;
	}
	*out = arr;
	return rc;
}

int screen_dedup_queue_pair(struct lsr_db *db, int64_t pair, int64_t *a, int64_t *b)
{
	static const char sql[] = "SELECT record_a, record_b FROM dedup_queue WHERE id = ?1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, pair);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*a = sqlite3_column_int64(st, 0);
		*b = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return lsr_error_set(LSR_ENOTFOUND, "no pair %lld in the dedup queue (see 'lsr dedup queue')",
				     (long long)pair);
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

int screen_record_citation(struct lsr_db *db, int64_t record, int64_t *citation)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM records WHERE id = ?1),"
		" (SELECT citation_id FROM citation_members WHERE record_id = ?1)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step, exists = 0;

	*citation = 0;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, record);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		exists = sqlite3_column_int(st, 0);
		*citation = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return db_error(db, sql);
	return exists ? 0 : lsr_error_set(LSR_ENOTFOUND, "no record %lld", (long long)record);
}

int screen_dedup_explain_json(struct lsr_db *db, int64_t citation, struct json_t **out)
{
	static const char cit_sql[] = "SELECT representative_id, retired_into FROM citations WHERE id = ?1";
	static const char members_sql[] =
		"SELECT m.record_id, s.name, r.source_record_id, m.pass, m.rule, m.score,"
		" m.scores, m.matched_id, m.at, r.title, r.year, r.doi, r.pmid,"
		" m.record_id IN (SELECT id FROM dedup_records)"
		" FROM citation_members m JOIN records r ON r.id = m.record_id"
		" JOIN runs u ON u.id = r.run_id JOIN sources s ON s.id = u.source_id"
		" WHERE m.citation_id = ?1 ORDER BY m.record_id";
	static const char links_sql[] =
		"SELECT l.id, l.record_a, l.record_b, l.pass, l.rule, l.score, l.scores,"
		" l.run_id, l.decision_id, l.cut_by, l.at FROM dedup_links l"
		" WHERE l.record_a IN (SELECT record_id FROM citation_members WHERE citation_id = ?1)"
		"    OR l.record_b IN (SELECT record_id FROM citation_members WHERE citation_id = ?1)"
		" ORDER BY l.id";
	static const char decisions_sql[] =
		"SELECT d.id, d.kind, d.record_a, d.record_b, d.citation_id, d.parts, d.actor,"
		" d.at, d.reason FROM dedup_decisions d"
		" WHERE d.citation_id = ?1"
		"  OR d.record_a IN (SELECT record_id FROM citation_members WHERE citation_id = ?1)"
		"  OR d.record_b IN (SELECT record_id FROM citation_members WHERE citation_id = ?1)"
		" ORDER BY d.id";
	static const char events_sql[] =
		"SELECT kind, citation_id, other_id, at, actor FROM citation_events"
		" WHERE citation_id = ?1 OR other_id = ?1 ORDER BY id";
	static const char *const mkeys[] = { "record", "source", "source_id", "pass", "rule",
		"score", "scores", "matched", "at", "title", "year", "doi", "pmid", "counted", NULL };
	static const char *const lkeys[] = { "link", "record_a", "record_b", "pass", "rule",
		"score", "scores", "run", "decision", "cut_by", "at", NULL };
	static const char *const dkeys[] = { "decision", "kind", "record_a", "record_b",
		"citation", "parts", "by", "at", "reason", NULL };
	static const char *const ekeys[] = { "kind", "citation", "other", "at", "by", NULL };
	sqlite3_stmt *st = db_prepare(db, cit_sql);
	int64_t rep, into;
	json_t *root, *members, *links, *decisions, *events;
	int step, rc;

	*out = NULL;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	step = sqlite3_step(st);
	rep = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	into = step == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return lsr_error_set(LSR_ENOTFOUND, "no citation %lld", (long long)citation);
	if (step != SQLITE_ROW)
		return db_error(db, cit_sql);
	root = json_object();
	json_object_set_new(root, "schema_version", json_integer(1));
	json_object_set_new(root, "citation", json_integer(citation));
	json_object_set_new(root, "retired_into", into ? json_integer(into) : json_null());
	json_object_set_new(root, "representative", rep ? json_integer(rep) : json_null());
	json_object_set_new(root, "members", members = json_array());
	json_object_set_new(root, "links", links = json_array());
	json_object_set_new(root, "decisions", decisions = json_array());
	json_object_set_new(root, "events", events = json_array());
	if ((rc = db_rows_json(db, members_sql, citation, mkeys, "nssssnjnssnssb", members)) < 0 ||
	    (rc = db_rows_json(db, links_sql, citation, lkeys, "nnnssnjnnns", links)) < 0 ||
	    (rc = db_rows_json(db, decisions_sql, citation, dkeys, "nsnnnjsss", decisions)) < 0 ||
	    (rc = db_rows_json(db, events_sql, citation, ekeys, "snnss", events)) < 0) {
		json_decref(root);
		return rc;
	}
	*out = root;
	return 0;
}

int screen_dedup_export(struct lsr_db *db, FILE *f)
{
	static const char sql[] =
		"SELECT s.name, r.source_record_id, m.citation_id, m.rule, m.score"
		" FROM citation_members m JOIN dedup_records r ON r.id = m.record_id"
		" JOIN runs u ON u.id = r.run_id JOIN sources s ON s.id = u.source_id"
		" ORDER BY r.id";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	fputs("source,source_id,group,rule,score\n", f);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char group[32], score[32] = "";

		snprintf(group, sizeof(group), "%lld", (long long)sqlite3_column_int64(st, 2));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			snprintf(score, sizeof(score), "%.2f", sqlite3_column_double(st, 4));
		csvtab_put(f, (const char *)sqlite3_column_text(st, 0), ',');
		csvtab_put(f, (const char *)sqlite3_column_text(st, 1), ',');
		csvtab_put(f, group, ',');
		csvtab_put(f, (const char *)sqlite3_column_text(st, 3), ',');
		csvtab_put(f, score, '\n');
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

int screen_dedup_source_counts(struct lsr_db *db, int pending,
			       int (*fn)(int64_t source_id, int64_t n, void *payload), void *payload)
{
	/*
	 * Duplicates removed per source (PRISMA's "duplicates removed"): a
	 * record counts when it takes part in grouping and is not the member
	 * its citation keeps.  Summed over sources this is records grouped
	 * minus citations.  pending: records not grouped yet instead.
	 */
	static const char dups_sql[] =
		"SELECT u.source_id, count(*) FROM citation_members m"
		" JOIN dedup_records r ON r.id = m.record_id JOIN runs u ON u.id = r.run_id"
		" WHERE m.record_id NOT IN (SELECT kept_id FROM live_citations)"
		" GROUP BY u.source_id";
	static const char pending_sql[] =
		"SELECT u.source_id, count(*) FROM dedup_records r JOIN runs u ON u.id = r.run_id"
		" WHERE r.id NOT IN (SELECT record_id FROM citation_members)"
		" GROUP BY u.source_id";
	const char *sql = pending ? pending_sql : dups_sql;
	sqlite3_stmt *st = db_prepare(db, sql);
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), payload)) < 0)
			break;
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	return rc;
}

int screen_citations_live_count(struct lsr_db *db, int64_t *out)
{
	*out = 0;
	return db_query_int(db, out, "SELECT count(*) FROM live_citations");
}
