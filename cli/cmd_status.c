/*
 * cmd_status.c - lsr status: records identified per source and per run, the
 * numbers PRISMA's identification box uses.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../fetch/fetch.h"
#include "../util/err.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_usage[] = { "lsr status [--json]", NULL };

/* live records of a run: not withdrawn by the source */
static const char runs_sql[] =
	"SELECT s.id, s.name, s.kind, u.id, u.kind, coalesce(u.file_name, u.query),"
	" u.format, u.started_at, u.status, u.status_reason, u.count_reported,"
	" (SELECT count(*) FROM records r WHERE r.run_id = u.id"
	"   AND r.id NOT IN (SELECT record_id FROM record_withdrawals)),"
	" (SELECT count(*) FROM records r WHERE r.run_id = u.id"
	"   AND r.id IN (SELECT record_id FROM record_withdrawals)),"
	" w.reason, u.notes,"
	" (SELECT count(*) FROM import_skips k WHERE k.run_id = u.id)"
	" FROM sources s LEFT JOIN runs u ON u.source_id = s.id"
	" LEFT JOIN run_withdrawals w ON w.run_id = u.id"
	" ORDER BY s.id, u.id";

/*
 * Deduplication per source (PRISMA's "duplicates removed"): a record counts
 * as a removed duplicate when it takes part in grouping (live, not removed
 * before screening) and is not the member its citation keeps (the
 * representative, or the lowest record id taking part when the
 * representative does not).  Summed over sources this is records grouped
 * minus citations.  Records not grouped yet are "not_deduplicated".
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

/* Per-source counts from sql (source id, count) into src objects' key. */
static int add_source_counts(struct lsr_ctx *ctx, json_t *sources, const int64_t *ids,
			     const char *sql, const char *key, json_int_t *total)
{
	sqlite3_stmt *st = db_prepare(ctx->db, sql);
	size_t i;
	json_t *src;
	int step;

	if (!st)
		return lsr_error_last_code();
	json_array_foreach(sources, i, src)
		json_object_set_new(src, key, json_integer(0));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_array_foreach(sources, i, src)
			if (ids[i] == sqlite3_column_int64(st, 0))
				json_object_set_new(src, key, json_integer(sqlite3_column_int64(st, 1)));
		*total += sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(ctx->db, sql);
}

/* What a search run that is not complete needs from its reader. */
static const char *search_state(const struct fetch_search_info *e)
{
	if (e->active)
		return "running now";
	if (!strcmp(e->status, "running"))
		return "interrupted (its process is gone)";
	return e->status;
}

static json_t *search_json(const struct fetch_search_info *e)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:I, s:b, s:b}",
			 "run", (json_int_t)e->run_id, "source", e->source, "api", e->api,
			 "query", out_jstr(e->query), "status", e->status,
			 "reason", out_jstr(e->reason), "since", out_jstr(e->since),
			 "until", out_jstr(e->until),
			 "reported", e->reported >= 0 ? json_integer(e->reported) : json_null(),
			 "records", (json_int_t)e->stored, "resumable", e->resumable,
			 "active", e->active);
}

static const struct fetch_search_info *search_find(const struct fetch_search_info *v, size_t n,
						   int64_t run_id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].run_id == run_id)
			return &v[i];
	return NULL;
}

int cmd_status(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "json", &json, "print one JSON object"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, status_usage, &args), rc;
	sqlite3_stmt *st;
	json_t *root, *sources, *src = NULL, *runs = NULL;
	int64_t cur_source = -1, removed = 0, ncitations = 0, *source_ids = NULL;
	size_t nsources = 0;
	json_int_t dups = 0, pending = 0;
	json_int_t tot[3] = { 0, 0, 0 }, src_count = 0;
	const char *kinds[3] = { "database", "register", "other" };
	struct fetch_search_info *unfinished = NULL;
	size_t nunfinished = 0;

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "status takes no arguments");
	/* searches not complete are shown loudly: their counts are not final */
	if ((rc = fetch_search_list_unfinished(ctx->db, &unfinished, &nunfinished)) < 0)
		return rc;
	root = json_object();
	sources = json_array();
	json_object_set_new(root, "schema_version", json_integer(1));
	json_object_set_new(root, "title", out_jstr(ctx->protocol ? ctx->protocol->title : NULL));
	json_object_set_new(root, "sources", sources);
	st = db_prepare(ctx->db, runs_sql);
	if (!st) {
		fetch_search_info_free(unfinished, nunfinished);
		json_decref(root);
		return lsr_error_last_code();
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 2);
		json_t *run;
		json_int_t nrec;
		int withdrawn;

		if (sid != cur_source) {
			if (src)
				json_object_set_new(src, "records", json_integer(src_count));
			cur_source = sid;
			src_count = 0;
			src = json_pack("{s:s, s:s}", "name", sqlite3_column_text(st, 1), "kind", kind);
			{
				int64_t *ns = realloc(source_ids, (nsources + 1) * sizeof(*ns));

				if (!ns) {
					fetch_search_info_free(unfinished, nunfinished);
					json_decref(root);
					free(source_ids);
					sqlite3_reset(st);
					return lsr_error_oom();
				}
				source_ids = ns;
				source_ids[nsources++] = sid;
			}
			runs = json_array();
			json_object_set_new(src, "runs", runs);
			json_array_append_new(sources, src);
		}
		if (sqlite3_column_type(st, 3) == SQLITE_NULL)
			continue;
		nrec = sqlite3_column_int64(st, 11);
		withdrawn = sqlite3_column_type(st, 13) != SQLITE_NULL;
		run = json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:I, s:I, s:b, s:o, s:o}",
				"id", (json_int_t)sqlite3_column_int64(st, 3),
				"kind", sqlite3_column_text(st, 4),
				"file_or_query", out_jstr((const char *)sqlite3_column_text(st, 5)),
				"format", out_jstr((const char *)sqlite3_column_text(st, 6)),
				"started_at", out_jstr((const char *)sqlite3_column_text(st, 7)),
				"status", sqlite3_column_text(st, 8),
				"status_reason", out_jstr((const char *)sqlite3_column_text(st, 9)),
				"records", nrec,
				"withdrawn_by_source", (json_int_t)sqlite3_column_int64(st, 12),
				"withdrawn", withdrawn,
				"withdrawn_reason", out_jstr((const char *)sqlite3_column_text(st, 13)),
				"notes", out_jstr((const char *)sqlite3_column_text(st, 14)));
		if (sqlite3_column_type(st, 10) != SQLITE_NULL)
			json_object_set_new(run, "count_reported",
					    json_integer(sqlite3_column_int64(st, 10)));
		if (sqlite3_column_int64(st, 15)) /* lsr import --skip-malformed */
			json_object_set_new(run, "skipped", json_integer(sqlite3_column_int64(st, 15)));
		json_array_append_new(runs, run);
		if (!withdrawn) {
			src_count += nrec;
			for (int k = 0; k < 3; k++)
				if (!strcmp(kind, kinds[k]))
					tot[k] += nrec;
		}
	}
	if (src)
		json_object_set_new(src, "records", json_integer(src_count));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fetch_search_info_free(unfinished, nunfinished);
		json_decref(root);
		free(source_ids);
		return db_error(ctx->db, runs_sql);
	}
	if ((rc = db_query_int(ctx->db, &removed,
			       "SELECT count(*) FROM record_removals m JOIN live_records r ON r.id = m.record_id")) < 0 ||
	    (rc = add_source_counts(ctx, sources, source_ids, dups_sql, "duplicates_removed", &dups)) < 0 ||
	    (rc = add_source_counts(ctx, sources, source_ids, pending_sql, "not_deduplicated", &pending)) < 0 ||
	    (rc = db_query_int(ctx->db, &ncitations, "SELECT count(*) FROM live_citations")) < 0) {
		fetch_search_info_free(unfinished, nunfinished);
		json_decref(root);
		free(source_ids);
		return rc;
	}
	free(source_ids);
	json_object_set_new(root, "identified",
			    json_pack("{s:I, s:I, s:I, s:I}", "databases", tot[0], "registers",
				      tot[1], "other", tot[2], "total", tot[0] + tot[1] + tot[2]));
	json_object_set_new(root, "removed_other_reasons", json_integer(removed));
	json_object_set_new(root, "duplicates_removed", json_integer(dups));
	json_object_set_new(root, "not_deduplicated", json_integer(pending));
	json_object_set_new(root, "citations", json_integer(ncitations));
	{
		json_t *arr = json_array();

		for (size_t i = 0; i < nunfinished; i++)
			json_array_append_new(arr, search_json(&unfinished[i]));
		json_object_set_new(root, "searches_not_complete", arr);
	}
	if (json) {
		fetch_search_info_free(unfinished, nunfinished);
		return out_json_doc(root);
	}

	/* for people */
	printf("%s\n", ctx->protocol && ctx->protocol->title ? ctx->protocol->title : "(no protocol title)");
	if (json_array_size(sources) == 0)
		printf("\nno records yet: 'lsr import FILE --source NAME' or 'lsr search'\n");
	{
		size_t i, j;
		json_t *s, *r;

		json_array_foreach(sources, i, s) {
			printf("\n%-34s %-9s %8lld records", json_string_value(json_object_get(s, "name")),
			       json_string_value(json_object_get(s, "kind")),
			       (long long)json_integer_value(json_object_get(s, "records")));
			if (json_integer_value(json_object_get(s, "duplicates_removed")))
				printf(", %lld duplicates removed",
				       (long long)json_integer_value(json_object_get(s, "duplicates_removed")));
			if (json_integer_value(json_object_get(s, "not_deduplicated")))
				printf(", %lld not yet deduplicated",
				       (long long)json_integer_value(json_object_get(s, "not_deduplicated")));
			printf("\n");
			json_array_foreach(json_object_get(s, "runs"), j, r) {
				const char *status = json_string_value(json_object_get(r, "status"));

				printf("  run %-4lld %-6s %-10s %8lld  %s%s\n",
				       (long long)json_integer_value(json_object_get(r, "id")),
				       json_string_value(json_object_get(r, "kind")),
				       json_is_string(json_object_get(r, "format"))
					       ? json_string_value(json_object_get(r, "format")) : "",
				       (long long)json_integer_value(json_object_get(r, "records")),
				       json_string_value(json_object_get(r, "file_or_query")),
				       json_is_true(json_object_get(r, "withdrawn")) ? "  [WITHDRAWN: not counted]" : "");
				const struct fetch_search_info *si =
					search_find(unfinished, nunfinished,
						    json_integer_value(json_object_get(r, "id")));

				if (json_integer_value(json_object_get(r, "skipped")))
					printf("           !! %lld malformed entries skipped at import (lsr import --skip-malformed)\n",
					       (long long)json_integer_value(json_object_get(r, "skipped")));
				if (json_is_true(json_object_get(r, "withdrawn")))
					; /* out of every count: its state no longer matters */
				else if (si && si->active)
					printf("           !! running now in another lsr process\n");
				else if (si && !si->reason)
					printf("           !! %s; continue with 'lsr search --resume'\n",
					       search_state(si));
				else if (strcmp(status, "complete"))
					printf("           !! %s: %s\n", si ? search_state(si) : status,
					       json_is_string(json_object_get(r, "status_reason"))
						       ? json_string_value(json_object_get(r, "status_reason"))
						       : "not finished");
				if (json_integer_value(json_object_get(r, "withdrawn_by_source")))
					printf("           %lld records withdrawn by the source (not counted)\n",
					       (long long)json_integer_value(json_object_get(r, "withdrawn_by_source")));
			}
		}
	}
	printf("\nrecords identified: %lld from databases, %lld from registers, %lld from other methods (%lld in all)\n",
	       (long long)tot[0], (long long)tot[1], (long long)tot[2],
	       (long long)(tot[0] + tot[1] + tot[2]));
	if (dups || ncitations)
		printf("duplicates removed: %lld (%lld citations)\n", (long long)dups, (long long)ncitations);
	if (pending)
		printf("records not yet deduplicated: %lld (run 'lsr dedup')\n", (long long)pending);
	if (removed)
		printf("records removed before screening for other reasons: %lld\n", (long long)removed);
	if (nunfinished) {
		printf("\n!! %zu search run%s not complete: the counts above may be partial\n",
		       nunfinished, nunfinished == 1 ? " is" : "s are");
		for (size_t i = 0; i < nunfinished; i++) {
			const struct fetch_search_info *e = &unfinished[i];

			printf("!!   run %lld %s: %s, %lld of ", (long long)e->run_id, e->source,
			       search_state(e), (long long)e->stored);
			if (e->reported >= 0)
				printf("%lld records", (long long)e->reported);
			else
				printf("? records");
			printf("%s\n", e->resumable && !e->active ? "; continue with 'lsr search --resume'"
								  : e->resumable ? "" : "; run the search again");
		}
	}
	fetch_search_info_free(unfinished, nunfinished);
	json_decref(root);
	return 0;
}
