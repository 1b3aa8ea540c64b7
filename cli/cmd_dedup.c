/*
 * cmd_dedup.c - lsr dedup: group records into citations; explain a
 * citation; list, decide and split; export the grouping.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../screen/screen.h"
#include "../util/buf.h"
#include "../util/csvtab.h"
#include "../util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const dedup_usage[] = {
	"lsr dedup [--export FILE.csv] [--threads N] [--json]",
	"lsr dedup explain CITATION [--record] [--json]",
	"lsr dedup queue [--all] [--json]",
	"lsr dedup decide PAIR same|different --by NAME [--reason TEXT]",
	"lsr dedup split CITATION RECORD[,RECORD...]... --by NAME [--reason TEXT]",
	NULL
};

static int parse_id(const char *s, const char *what, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v <= 0)
		return lsr_error_set(LSR_EUSAGE, "'%s' is not a %s id", s, what);
	*out = v;
	return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static json_t *jcol_num(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
		return json_integer(sqlite3_column_int64(st, i));
	return json_real(sqlite3_column_double(st, i));
}

/* A summary object, as out_json_doc prints it but with the similarities
 * at the 3 digits they were stored with. */
static int json_doc(json_t *j)
{
	int rc;

	if (!j)
		return lsr_error_oom();
	rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(j);
	fputc('\n', stdout);
	return rc ? lsr_error_set(LSR_ERROR, "writing output failed") : 0;
}

/* ---- export ------------------------------------------------------------- */

static int dedup_export(struct lsr_ctx *ctx, const char *path)
{
	static const char sql[] =
		"SELECT s.name, r.source_record_id, m.citation_id, m.rule, m.score"
		" FROM citation_members m JOIN dedup_records r ON r.id = m.record_id"
		" JOIN runs u ON u.id = r.run_id JOIN sources s ON s.id = u.source_id"
		" ORDER BY r.id";
	sqlite3_stmt *st = db_prepare(ctx->db, sql);
	FILE *f;
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f)
		return lsr_error_set(LSR_ERROR, "cannot write '%s': %s", path, strerror(errno));
	fputs("source,source_id,group,rule,score\n", f);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char group[32], score[32] = "";

		snprintf(group, sizeof(group), "%lld", (long long)sqlite3_column_int64(st, 2));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			snprintf(score, sizeof(score), "%.2f", sqlite3_column_double(st, 4));
		csvtab_put(f, col(st, 0), ',');
		csvtab_put(f, col(st, 1), ',');
		csvtab_put(f, group, ',');
		csvtab_put(f, col(st, 3), ',');
		csvtab_put(f, score, '\n');
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		rc = db_error(ctx->db, sql);
	if (f != stdout && fclose(f) != 0 && rc == 0)
		rc = lsr_error_set(LSR_ERROR, "cannot write '%s': %s", path, strerror(errno));
	return rc;
}

/* ---- explain ------------------------------------------------------------ */

/*
 * Run sql (parameter ?1 = id) and append one object per row to arr:
 * column i under keys[i], as types[i] says: 's' string, 'n' number, 'j'
 * JSON text, 'b' boolean (NULL is null in every case).
 */
static int rows_json(struct lsr_ctx *ctx, int64_t id, const char *sql, const char *const *keys,
		     const char *types, json_t *arr)
{
	sqlite3_stmt *st = db_prepare(ctx->db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();

		for (int i = 0; types[i]; i++) {
			json_t *v;

			switch (types[i]) {
			case 'n': v = jcol_num(st, i); break;
			case 'j': v = out_jparse(col(st, i)); break;
			case 'b': v = json_boolean(sqlite3_column_int(st, i)); break;
			default: v = out_jstr(col(st, i)); break;
			}
			json_object_set_new(o, keys[i], v);
		}
		json_array_append_new(arr, o);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(ctx->db, sql);
}

static int dedup_explain(struct lsr_ctx *ctx, const char *arg, int by_record, int json)
{
	int64_t id, cid = 0, into = 0, rep = 0;
	sqlite3_stmt *st;
	json_t *root, *members, *links, *decisions, *events;
	int rc;
	size_t i;
	json_t *m;

	if ((rc = parse_id(arg, by_record ? "record" : "citation", &id)) < 0)
		return rc;
	if (by_record) {
		st = db_prepare(ctx->db, "SELECT (SELECT count(*) FROM records WHERE id = ?1),"
					 " (SELECT citation_id FROM citation_members WHERE record_id = ?1)");
		if (!st)
			return lsr_error_last_code();
		sqlite3_bind_int64(st, 1, id);
		sqlite3_step(st);
		if (!sqlite3_column_int(st, 0)) {
			sqlite3_reset(st);
			return lsr_error_set(LSR_ENOTFOUND, "no record %lld", (long long)id);
		}
		cid = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		if (!cid)
			return lsr_error_set(LSR_ENOTFOUND, "record %lld is not grouped (run 'lsr dedup')",
					     (long long)id);
	} else {
		cid = id;
	}
	st = db_prepare(ctx->db, "SELECT representative_id, retired_into FROM citations WHERE id = ?1");
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return lsr_error_set(LSR_ENOTFOUND, "no citation %lld", (long long)cid);
	}
	rep = sqlite3_column_int64(st, 0);
	into = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	root = json_object();
	json_object_set_new(root, "schema_version", json_integer(1));
	json_object_set_new(root, "citation", json_integer(cid));
	json_object_set_new(root, "retired_into", into ? json_integer(into) : json_null());
	json_object_set_new(root, "representative", rep ? json_integer(rep) : json_null());
	members = json_array();
	links = json_array();
	decisions = json_array();
	events = json_array();
	json_object_set_new(root, "members", members);
	json_object_set_new(root, "links", links);
	json_object_set_new(root, "decisions", decisions);
	json_object_set_new(root, "events", events);

	{
		static const char *const mkeys[] = { "record", "source", "source_id", "pass", "rule",
			"score", "scores", "matched", "at", "title", "year", "doi", "pmid", "counted" };
		static const char *const lkeys[] = { "link", "record_a", "record_b", "pass", "rule",
			"score", "scores", "run", "decision", "cut_by", "at" };
		static const char *const dkeys[] = { "decision", "kind", "record_a", "record_b",
			"citation", "parts", "by", "at", "reason" };
		static const char *const ekeys[] = { "kind", "citation", "other", "at", "by" };

		if ((rc = rows_json(ctx, cid,
				    "SELECT m.record_id, s.name, r.source_record_id, m.pass, m.rule, m.score,"
				    " m.scores, m.matched_id, m.at, r.title, r.year, r.doi, r.pmid,"
				    " m.record_id IN (SELECT id FROM dedup_records)"
				    " FROM citation_members m JOIN records r ON r.id = m.record_id"
				    " JOIN runs u ON u.id = r.run_id JOIN sources s ON s.id = u.source_id"
				    " WHERE m.citation_id = ?1 ORDER BY m.record_id",
				    mkeys, "nssssnjnssnssb", members)) < 0 ||
		    (rc = rows_json(ctx, cid,
				    "SELECT l.id, l.record_a, l.record_b, l.pass, l.rule, l.score, l.scores,"
				    " l.run_id, l.decision_id, l.cut_by, l.at FROM dedup_links l"
				    " WHERE l.record_a IN (SELECT record_id FROM citation_members WHERE citation_id = ?1)"
				    "    OR l.record_b IN (SELECT record_id FROM citation_members WHERE citation_id = ?1)"
				    " ORDER BY l.id",
				    lkeys, "nnnssnjnnns", links)) < 0 ||
		    (rc = rows_json(ctx, cid,
				    "SELECT d.id, d.kind, d.record_a, d.record_b, d.citation_id, d.parts, d.actor,"
				    " d.at, d.reason FROM dedup_decisions d"
				    " WHERE d.citation_id = ?1"
				    "  OR d.record_a IN (SELECT record_id FROM citation_members WHERE citation_id = ?1)"
				    "  OR d.record_b IN (SELECT record_id FROM citation_members WHERE citation_id = ?1)"
				    " ORDER BY d.id",
				    dkeys, "nsnnnjsss", decisions)) < 0 ||
		    (rc = rows_json(ctx, cid,
				    "SELECT kind, citation_id, other_id, at, actor FROM citation_events"
				    " WHERE citation_id = ?1 OR other_id = ?1 ORDER BY id",
				    ekeys, "snnss", events)) < 0) {
			json_decref(root);
			return rc;
		}
	}
	if (json)
		return json_doc(root);

	printf("citation %lld: %zu record%s", (long long)cid, json_array_size(members),
	       json_array_size(members) == 1 ? "" : "s");
	if (into)
		printf(" (merged into citation %lld)", (long long)into);
	else if (rep)
		printf(", representative record %lld", (long long)rep);
	printf("\n\nmembers:\n");
	json_array_foreach(members, i, m) {
		json_t *sc = json_object_get(m, "score");
		char num[32] = "";

		if (json_is_number(sc))
			snprintf(num, sizeof(num), " %.2f", json_number_value(sc));
		printf("  record %-6lld %-12s %-14s %s/%s%s%s\n",
		       (long long)json_integer_value(json_object_get(m, "record")),
		       json_string_value(json_object_get(m, "source")),
		       json_is_string(json_object_get(m, "source_id"))
			       ? json_string_value(json_object_get(m, "source_id")) : "-",
		       json_string_value(json_object_get(m, "pass")),
		       json_string_value(json_object_get(m, "rule")), num,
		       json_is_true(json_object_get(m, "counted")) ? "" : "  [not counted: withdrawn or removed]");
		if (json_is_string(json_object_get(m, "title")))
			printf("         %.100s\n", json_string_value(json_object_get(m, "title")));
	}
	if (json_array_size(links)) {
		printf("\nlinks:\n");
		json_array_foreach(links, i, m) {
			json_t *sc = json_object_get(m, "score");
			char *scores = json_is_object(json_object_get(m, "scores"))
					       ? json_dumps(json_object_get(m, "scores"),
							    JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))
					       : NULL;

			printf("  %lld = %lld  %s/%s", (long long)json_integer_value(json_object_get(m, "record_a")),
			       (long long)json_integer_value(json_object_get(m, "record_b")),
			       json_string_value(json_object_get(m, "pass")),
			       json_string_value(json_object_get(m, "rule")));
			if (json_is_number(sc))
				printf(" score %.2f", json_number_value(sc));
			if (json_is_integer(json_object_get(m, "decision")))
				printf(" (decision %lld)", (long long)json_integer_value(json_object_get(m, "decision")));
			if (json_is_integer(json_object_get(m, "cut_by")))
				printf(" [cut by decision %lld]", (long long)json_integer_value(json_object_get(m, "cut_by")));
			printf("\n");
			if (scores)
				printf("      %s\n", scores);
			free(scores);
		}
	}
	if (json_array_size(decisions)) {
		printf("\ndecisions:\n");
		json_array_foreach(decisions, i, m) {
			const char *kind = json_string_value(json_object_get(m, "kind"));

			if (!strcmp(kind, "split"))
				printf("  %lld split of citation %lld by %s at %s\n",
				       (long long)json_integer_value(json_object_get(m, "decision")),
				       (long long)json_integer_value(json_object_get(m, "citation")),
				       json_string_value(json_object_get(m, "by")),
				       json_string_value(json_object_get(m, "at")));
			else
				printf("  %lld records %lld and %lld %s by %s at %s\n",
				       (long long)json_integer_value(json_object_get(m, "decision")),
				       (long long)json_integer_value(json_object_get(m, "record_a")),
				       (long long)json_integer_value(json_object_get(m, "record_b")),
				       !strcmp(kind, "same") ? "same" : "different",
				       json_string_value(json_object_get(m, "by")),
				       json_string_value(json_object_get(m, "at")));
		}
	}
	json_decref(root);
	return 0;
}

/* ---- queue -------------------------------------------------------------- */


static int dedup_queue_list(struct lsr_ctx *ctx, int all, int json)
{
	static const char open_sql[] =
		"SELECT q.id, q.record_a, q.record_b, q.rule, q.score, q.scores, ma.citation_id,"
		" mb.citation_id, ra.title, rb.title, ra.year, rb.year, NULL"
		" FROM dedup_queue q JOIN records ra ON ra.id = q.record_a"
		" JOIN records rb ON rb.id = q.record_b" QUEUE_OPEN_JOINS QUEUE_OPEN_WHERE
		" ORDER BY q.id";
	static const char all_sql[] =
		"SELECT q.id, q.record_a, q.record_b, q.rule, q.score, q.scores, ma.citation_id,"
		" mb.citation_id, ra.title, rb.title, ra.year, rb.year,"
		" (SELECT d.kind FROM dedup_decisions d WHERE d.record_a = q.record_a"
		"  AND d.record_b = q.record_b AND d.kind IN ('same', 'different') ORDER BY d.id DESC LIMIT 1)"
		" FROM dedup_queue q"
		" LEFT JOIN citation_members ma ON ma.record_id = q.record_a"
		" LEFT JOIN citation_members mb ON mb.record_id = q.record_b"
		" JOIN records ra ON ra.id = q.record_a JOIN records rb ON rb.id = q.record_b"
		" ORDER BY q.id";
	sqlite3_stmt *st = db_prepare(ctx->db, all ? all_sql : open_sql);
	int step, rc = 0;
	size_t n = 0;

	if (!st)
		return lsr_error_last_code();
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (json) {
			json_t *o = json_object();

			json_object_set_new(o, "pair", json_integer(sqlite3_column_int64(st, 0)));
			json_object_set_new(o, "record_a", json_integer(sqlite3_column_int64(st, 1)));
			json_object_set_new(o, "record_b", json_integer(sqlite3_column_int64(st, 2)));
			json_object_set_new(o, "citation_a", jcol_num(st, 6));
			json_object_set_new(o, "citation_b", jcol_num(st, 7));
			json_object_set_new(o, "rule", out_jstr(col(st, 3)));
			json_object_set_new(o, "score", jcol_num(st, 4));
			json_object_set_new(o, "scores", out_jparse(col(st, 5)));
			json_object_set_new(o, "title_a", out_jstr(col(st, 8)));
			json_object_set_new(o, "title_b", out_jstr(col(st, 9)));
			if (all)
				json_object_set_new(o, "decided", out_jstr(col(st, 12)));
			{
				int e = json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));

				json_decref(o);
				fputc('\n', stdout);
				if (e) {
					rc = lsr_error_set(LSR_ERROR, "writing output failed");
					break;
				}
			}
			continue;
		}
		printf("pair %lld: records %lld and %lld (citations %lld and %lld), %s, score %.2f%s%s\n",
		       (long long)sqlite3_column_int64(st, 0), (long long)sqlite3_column_int64(st, 1),
		       (long long)sqlite3_column_int64(st, 2), (long long)sqlite3_column_int64(st, 6),
		       (long long)sqlite3_column_int64(st, 7), col(st, 3), sqlite3_column_double(st, 4),
		       col(st, 12) ? ", decided " : "", col(st, 12) ? col(st, 12) : "");
		printf("  %lld: %.110s (%s)\n", (long long)sqlite3_column_int64(st, 1),
		       col(st, 8) ? col(st, 8) : "(no title)", col(st, 10) ? col(st, 10) : "-");
		printf("  %lld: %.110s (%s)\n", (long long)sqlite3_column_int64(st, 2),
		       col(st, 9) ? col(st, 9) : "(no title)", col(st, 11) ? col(st, 11) : "-");
		printf("  %s\n", col(st, 5) ? col(st, 5) : "{}");
	}
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(ctx->db, "SELECT FROM dedup_queue");
	if (rc == 0 && !json && !n)
		printf("no pairs to decide\n");
	return rc;
}

/* PAIR: a queue pair number, or two record ids "A,B" */
static int parse_pair(struct lsr_ctx *ctx, const char *s, int64_t *a, int64_t *b, int64_t *queue_id)
{
	const char *comma = strchr(s, ',');
	sqlite3_stmt *st;
	int rc;

	*queue_id = 0;
	if (comma) {
		char first[32];

		if ((size_t)(comma - s) >= sizeof(first))
			return lsr_error_set(LSR_EUSAGE, "'%s' is not a pair (expected a queue pair number or RECORD,RECORD)", s);
		memcpy(first, s, (size_t)(comma - s));
		first[comma - s] = '\0';
		if (parse_id(first, "record", a) < 0 || parse_id(comma + 1, "record", b) < 0)
			return lsr_error_set(LSR_EUSAGE, "'%s' is not a pair (expected a queue pair number or RECORD,RECORD)", s);
		return 0;
	}
	if ((rc = parse_id(s, "pair", queue_id)) < 0)
		return lsr_error_set(LSR_EUSAGE, "'%s' is not a pair (expected a queue pair number or RECORD,RECORD)", s);
	st = db_prepare(ctx->db, "SELECT record_a, record_b FROM dedup_queue WHERE id = ?1");
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, *queue_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return lsr_error_set(LSR_ENOTFOUND, "no pair %lld in the dedup queue (see 'lsr dedup queue')",
				     (long long)*queue_id);
	}
	*a = sqlite3_column_int64(st, 0);
	*b = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

static int dedup_decide(struct lsr_ctx *ctx, int n, const char **args, const char *by,
			const char *reason, int json)
{
	int64_t a, b, q, decision = 0, cit = 0;
	enum screen_verdict v;
	sqlite3_stmt *st;
	int rc;

	if (n != 2)
		return lsr_error_set(LSR_EUSAGE, "decide needs a pair and a verdict: decide PAIR same|different --by NAME");
	if (!strcmp(args[1], "same"))
		v = SCREEN_SAME;
	else if (!strcmp(args[1], "different"))
		v = SCREEN_DIFFERENT;
	else
		return lsr_error_set(LSR_EUSAGE, "unknown verdict '%s' (expected same or different)", args[1]);
	if (!by || !*by)
		return lsr_error_set(LSR_EUSAGE, "decide needs --by NAME (who decided)");
	if ((rc = parse_pair(ctx, args[0], &a, &b, &q)) < 0)
		return rc;
	if ((rc = screen_dedup_decide(ctx->db, a, b, v, q, by, reason, &decision)) < 0)
		return rc;
	st = db_prepare(ctx->db, "SELECT citation_id FROM citation_members WHERE record_id = ?1");
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		cit = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (json)
		return out_json_doc(json_pack("{s:i, s:I, s:I, s:I, s:s, s:I, s:s}", "schema_version", 1,
					      "decision", (json_int_t)decision, "record_a", (json_int_t)a,
					      "record_b", (json_int_t)b, "verdict", args[1],
					      "citation_a", (json_int_t)cit, "by", by));
	if (v == SCREEN_SAME)
		printf("decision %lld: records %lld and %lld are the same publication (citation %lld)\n",
		       (long long)decision, (long long)a, (long long)b, (long long)cit);
	else
		printf("decision %lld: records %lld and %lld are different publications\n",
		       (long long)decision, (long long)a, (long long)b);
	return 0;
}

static int dedup_split(struct lsr_ctx *ctx, int n, const char **args, const char *by,
		       const char *reason, int json)
{
	int64_t cit, **parts = NULL, *newids = NULL;
	size_t *npart = NULL, nnew = 0, nparts = 0;
	int rc = 0;

	if (n < 2)
		return lsr_error_set(LSR_EUSAGE, "split needs a citation and at least one part: split CITATION RECORD[,RECORD...]...");
	if (!by || !*by)
		return lsr_error_set(LSR_EUSAGE, "split needs --by NAME (who decided)");
	if ((rc = parse_id(args[0], "citation", &cit)) < 0)
		return rc;
	parts = calloc((size_t)n, sizeof(*parts));
	npart = calloc((size_t)n, sizeof(*npart));
	if (!parts || !npart) {
		rc = lsr_error_oom();
		goto out;
	}
	for (int i = 1; i < n; i++) {
		struct strv ids = STRV_INIT;

		if ((rc = strv_split(&ids, args[i], ",")) < 0)
			goto out;
		parts[nparts] = calloc(ids.n + 1, sizeof(int64_t));
		if (!parts[nparts]) {
			strv_release(&ids);
			rc = lsr_error_oom();
			goto out;
		}
		for (size_t k = 0; k < ids.n && rc == 0; k++)
			rc = parse_id(ids.v[k], "record", &parts[nparts][k]);
		npart[nparts++] = ids.n;
		strv_release(&ids);
		if (rc < 0)
			goto out;
	}
	if ((rc = screen_dedup_split(ctx->db, cit, (const int64_t *const *)parts, npart, nparts, by,
				     reason, &newids, &nnew)) < 0)
		goto out;
	if (json) {
		json_t *ids = json_array();

		for (size_t i = 0; i < nnew; i++)
			json_array_append_new(ids, json_integer(newids[i]));
		rc = out_json_doc(json_pack("{s:i, s:I, s:o, s:s}", "schema_version", 1, "citation",
					    (json_int_t)cit, "new_citations", ids, "by", by));
		goto out;
	}
	printf("split citation %lld: new citation%s", (long long)cit, nnew == 1 ? "" : "s");
	for (size_t i = 0; i < nnew; i++)
		printf(" %lld", (long long)newids[i]);
	printf("\n");
out:
	for (size_t i = 0; parts && i < nparts; i++)
		free(parts[i]);
	free(parts);
	free(npart);
	free(newids);
	return rc;
}

/* ---- the run ------------------------------------------------------------ */

static int dedup_run(struct lsr_ctx *ctx, long long threads, const char *export_path, int json)
{
	struct screen_dedup_opts o = { (int)threads, &ctx->progress };
	struct screen_dedup_result res;
	int64_t grouped = 0, open = 0;
	FILE *sum;
	int rc;

	if (json && export_path && !strcmp(export_path, "-"))
		return lsr_error_set(LSR_EUSAGE, "--json and --export - would both write to stdout");
	if ((rc = screen_dedup_run(ctx->db, &o, &res)) < 0)
		return rc;
	grouped = (int64_t)res.records_total; /* after a run, every record taking part is grouped */
	if ((rc = db_query_int(ctx->db, &open, "SELECT count(*)" QUEUE_OPEN_SQL)) < 0)
		return rc;
	if (export_path && (rc = dedup_export(ctx, export_path)) < 0)
		return rc;
	if (json) {
		json_t *j = json_object();

		json_object_set_new(j, "schema_version", json_integer(1));
		json_object_set_new(j, "run", json_integer(res.run_id));
		json_object_set_new(j, "records", json_integer((json_int_t)grouped));
		json_object_set_new(j, "records_new", json_integer((json_int_t)res.records_new));
		json_object_set_new(j, "comparisons", json_integer((json_int_t)res.comparisons));
		json_object_set_new(j, "links", json_integer((json_int_t)res.merges));
		json_object_set_new(j, "citations", json_integer((json_int_t)res.citations_live));
		json_object_set_new(j, "citations_new", json_integer((json_int_t)res.citations_new));
		json_object_set_new(j, "citations_merged", json_integer((json_int_t)res.citations_retired));
		json_object_set_new(j, "duplicates_removed",
				    json_integer((json_int_t)grouped - (json_int_t)res.citations_live));
		json_object_set_new(j, "queued", json_integer((json_int_t)res.queued));
		json_object_set_new(j, "queue_open", json_integer((json_int_t)open));
		return out_json_doc(j);
	}
	/* with the export on stdout, the summary goes to stderr */
	sum = export_path && !strcmp(export_path, "-") ? stderr : stdout;
	fprintf(sum, "%lld records in %llu citations: %lld duplicates removed\n", (long long)grouped,
		(unsigned long long)res.citations_live,
		(long long)grouped - (long long)res.citations_live);
	fprintf(sum, "this run: %llu new records, %llu comparisons, %llu links, %llu new citations, %llu citations merged\n",
		(unsigned long long)res.records_new, (unsigned long long)res.comparisons,
		(unsigned long long)res.merges, (unsigned long long)res.citations_new,
		(unsigned long long)res.citations_retired);
	if (open)
		fprintf(sum, "%lld uncertain pairs wait for a decision: 'lsr dedup queue'\n", (long long)open);
	if (export_path && strcmp(export_path, "-"))
		fprintf(sum, "wrote %s\n", export_path);
	return 0;
}

int cmd_dedup(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *export_path = NULL, *by = NULL, *reason = NULL;
	long long threads = 2;
	int json = 0, all = 0, by_record = 0;
	struct opt opts[] = {
		OPT_STRING(0, "export", &export_path, "FILE.csv", "write source,source_id,group,rule,score per record"),
		OPT_INT(0, "threads", &threads, "N", "comparison threads (default 2)"),
		OPT_STRING(0, "by", &by, "NAME", "decide, split: the person deciding"),
		OPT_STRING(0, "reason", &reason, "TEXT", "decide, split: why (kept with the decision)"),
		OPT_BOOL(0, "record", &by_record, "explain: the id is a record's, not a citation's"),
		OPT_BOOL(0, "all", &all, "queue: include pairs already decided or merged"),
		OPT_BOOL(0, "json", &json, "print JSON (one object; JSON Lines for queue)"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, dedup_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n == 0)
		return dedup_run(ctx, threads, export_path, json);
	if (!strcmp(args[0], "explain")) {
		if (n != 2)
			return lsr_error_set(LSR_EUSAGE, "explain needs one citation id (or a record id with --record)");
		return dedup_explain(ctx, args[1], by_record, json);
	}
	if (!strcmp(args[0], "queue")) {
		if (n != 1)
			return lsr_error_set(LSR_EUSAGE, "queue takes no arguments");
		return dedup_queue_list(ctx, all, json);
	}
	if (!strcmp(args[0], "decide"))
		return dedup_decide(ctx, n - 1, args + 1, by, reason, json);
	if (!strcmp(args[0], "split"))
		return dedup_split(ctx, n - 1, args + 1, by, reason, json);
	return lsr_error_set(LSR_EUSAGE, "unknown dedup subcommand '%s' (expected explain, queue, decide or split)",
			     args[0]);
}
