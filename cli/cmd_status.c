/*
 * cmd_status.c - lsr status: records identified per source and per run, the
 * numbers PRISMA's identification box uses.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../db/runs.h"
#include "../fetch/fetch.h"
#include "../screen/screen.h"
#include "../util/err.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_usage[] = { "lsr status [--check] [--json]", NULL };

/* Per-source counts from screen/ into the source objects' key. */
struct source_counts {
	json_t *sources;
	const int64_t *ids;
	const char *key;
	json_int_t total;
};

static int add_source_count(int64_t source_id, int64_t n, void *payload)
{
	struct source_counts *sc = payload;
	size_t i;
	json_t *src;

	json_array_foreach(sc->sources, i, src)
		if (sc->ids[i] == source_id)
			json_object_set_new(src, sc->key, json_integer(n));
	sc->total += n;
	return 0;
}

static int add_source_counts(struct lsr_ctx *ctx, json_t *sources, const int64_t *ids, int pending,
			     const char *key, json_int_t *total)
{
	struct source_counts sc = { sources, ids, key, 0 };
	size_t i;
	json_t *src;
	int rc;

	json_array_foreach(sources, i, src)
		json_object_set_new(src, key, json_integer(0));
	rc = screen_dedup_source_counts(ctx->db, pending, add_source_count, &sc);
	*total = sc.total;
	return rc;
}

/* The sources and their runs, as JSON, with the totals by kind. */
struct status_walk {
	struct lsr_db *db;
	json_t *sources, *src, *runs;
	int64_t cur_source, *ids;
	size_t nids;
	json_int_t tot[3], src_count;
};

static int status_run(const struct run_row *r, void *payload)
{
	static const char *const kinds[3] = { "database", "register", "other" };
	struct status_walk *w = payload;
	json_t *run;

	if (r->source_id != w->cur_source) {
		int64_t *ns = realloc(w->ids, (w->nids + 1) * sizeof(*ns));

		if (!ns)
			return lsr_error_oom();
		w->ids = ns;
		w->ids[w->nids++] = r->source_id;
		if (w->src)
			json_object_set_new(w->src, "records", json_integer(w->src_count));
		w->cur_source = r->source_id;
		w->src_count = 0;
		w->src = json_pack("{s:s, s:s}", "name", r->source, "kind", r->source_kind);
		w->runs = json_array();
		json_object_set_new(w->src, "runs", w->runs);
		json_array_append_new(w->sources, w->src);
	}
	if (!r->id)
		return 0; /* a source without runs */
	run = json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:I, s:I, s:b, s:o, s:o, s:o, s:o, s:o}",
			"id", (json_int_t)r->id, "kind", r->kind,
			"file_or_query", out_jstr(r->file_or_query), "format", out_jstr(r->format),
			"started_at", out_jstr(r->started_at), "status", r->status,
			"status_reason", out_jstr(r->status_reason), "records", (json_int_t)r->records_live,
			"withdrawn_by_source", (json_int_t)r->withdrawn_by_source,
			"withdrawn", r->withdrawn_reason != NULL,
			"withdrawn_reason", out_jstr(r->withdrawn_reason), "notes", out_jstr(r->notes),
			"searched", out_jstr(r->searched_on), "database_version", out_jstr(r->database_version),
			"strategy", out_jstr(r->strategy));
	if (r->count_reported >= 0)
		json_object_set_new(run, "count_reported", json_integer(r->count_reported));
	json_array_append_new(w->runs, run);
	if (!strcmp(r->kind, "import")) { /* entries lsr import --skip-malformed skipped */
		int64_t skipped;
		int rc = fetch_import_skip_count(w->db, r->id, &skipped);

		if (rc < 0)
			return rc;
		if (skipped)
			json_object_set_new(run, "skipped", json_integer(skipped));
	}
	if (!r->withdrawn_reason) {
		w->src_count += r->records_live;
		for (int k = 0; k < 3; k++)
			if (!strcmp(r->source_kind, kinds[k]))
				w->tot[k] += r->records_live;
	}
	return 0;
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

/* Everything `lsr status` shows, as the JSON object --json prints. */
static int status_collect(struct lsr_ctx *ctx, const struct fetch_search_info *unfinished,
			  size_t nunfinished, json_t **out)
{
	json_t *root = json_object(), *sources = json_array(), *arr;
	struct status_walk w;
	int64_t removed = 0, ncitations = 0;
	json_int_t dups = 0, pending = 0, *tot = w.tot;
	int rc;

	*out = NULL;
	json_object_set_new(root, "schema_version", json_integer(1));
	json_object_set_new(root, "title", out_jstr(ctx->protocol ? ctx->protocol->title : NULL));
	json_object_set_new(root, "sources", sources);
	memset(&w, 0, sizeof(w));
	w.db = ctx->db;
	w.sources = sources;
	w.cur_source = -1;
	rc = db_sources_runs_foreach(ctx->db, status_run, &w);
	if (w.src)
		json_object_set_new(w.src, "records", json_integer(w.src_count));
	if (rc < 0 ||
	    (rc = db_records_removed_count(ctx->db, &removed)) < 0 ||
	    (rc = add_source_counts(ctx, sources, w.ids, 0, "duplicates_removed", &dups)) < 0 ||
	    (rc = add_source_counts(ctx, sources, w.ids, 1, "not_deduplicated", &pending)) < 0 ||
	    (rc = screen_citations_live_count(ctx->db, &ncitations)) < 0) {
		json_decref(root);
		free(w.ids);
		return rc;
	}
	free(w.ids);
	json_object_set_new(root, "identified",
			    json_pack("{s:I, s:I, s:I, s:I}", "databases", tot[0], "registers",
				      tot[1], "other", tot[2], "total", tot[0] + tot[1] + tot[2]));
	json_object_set_new(root, "removed_other_reasons", json_integer(removed));
	json_object_set_new(root, "duplicates_removed", json_integer(dups));
	json_object_set_new(root, "not_deduplicated", json_integer(pending));
	json_object_set_new(root, "citations", json_integer(ncitations));
	arr = json_array();
	for (size_t i = 0; i < nunfinished; i++)
		json_array_append_new(arr, search_json(&unfinished[i]));
	json_object_set_new(root, "searches_not_complete", arr);
	*out = root;
	return 0;
}

static long long jint(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* The status for people. */
static void status_print(struct lsr_ctx *ctx, json_t *root, const struct fetch_search_info *unfinished,
			 size_t nunfinished)
{
	json_t *sources = json_object_get(root, "sources"), *ident = json_object_get(root, "identified");
	long long dups = jint(root, "duplicates_removed"), ncitations = jint(root, "citations");
	long long pending = jint(root, "not_deduplicated"), removed = jint(root, "removed_other_reasons");
	long long tot[3] = { jint(ident, "databases"), jint(ident, "registers"), jint(ident, "other") };

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
				printf("           searched %s",
				       json_is_string(json_object_get(r, "searched"))
					       ? json_string_value(json_object_get(r, "searched"))
					       : "(date not recorded: lsr import --searched)");
				if (json_is_string(json_object_get(r, "database_version")))
					printf(", database version %s",
					       json_string_value(json_object_get(r, "database_version")));
				printf("\n");
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
}

int cmd_status(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int json = 0, check = 0, ok;
	struct opt opts[] = {
		OPT_BOOL(0, "check", &check, "first check the whole database file (PRAGMA integrity_check)"),
		OPT_BOOL(0, "json", &json, "print one JSON object"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, status_usage, &args), rc;
	struct fetch_search_info *unfinished = NULL;
	size_t nunfinished = 0;
	json_t *root;

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "status takes no arguments");
	if (check) {
		if ((rc = db_check(ctx->db, 1, &ok)) < 0)
			return rc;
		if (!ok)
			return db_corruption_error(ctx->db);
		if (!json)
			printf("integrity check: ok\n");
	}
	/* searches not complete are shown loudly: their counts are not final */
	if ((rc = fetch_search_list_unfinished(ctx->db, &unfinished, &nunfinished)) < 0)
		return rc;
	if ((rc = status_collect(ctx, unfinished, nunfinished, &root)) < 0) {
		fetch_search_info_free(unfinished, nunfinished);
		return rc;
	}
	if (json)
		rc = out_json_doc(root);
	else {
		status_print(ctx, root, unfinished, nunfinished);
		json_decref(root);
	}
	fetch_search_info_free(unfinished, nunfinished);
	return rc;
}
