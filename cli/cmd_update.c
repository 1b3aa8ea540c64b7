/*
 * cmd_update.c - lsr update: the monthly living update.  Runs the saved
 * searches for the window since the last update, imports the new export
 * files the protocol lists, deduplicates the new records against all
 * earlier ones, applies the rules, re-checks the included studies for
 * retractions and errata, and says what awaits the reviewers.  --status
 * lists what is pending before the update can be closed; --close closes
 * it.  The stages do the work (fetch/, screen/, db/update.c); this file
 * composes them.  docs/cmd/lsr-update.md is the manual.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "progress.h"
#include "../db/runs.h"
#include "../db/update.h"
#include "../extract/extract.h"
#include "../fetch/fetch.h"
#include "../screen/screen.h"
#include "../util/clock.h"
#include "../util/err.h"
#include "../util/sha256.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const update_usage[] = {
	"lsr update [--since DATE] [--until DATE] [--no-search] [--json]",
	"lsr update --status [--json]",
	"lsr update --close",
	NULL
};

/* ---- what is pending ------------------------------------------------------ */

static int count_item(const struct extract_item *it, void *payload)
{
	(void)it;
	(void)payload;
	return 0;
}

static int count_rob(const struct extract_rob_item *it, void *payload)
{
	(void)it;
	(void)payload;
	return 0;
}

static int extracts(const struct protocol *p)
{
	return p && (p->ncharacteristics || p->noutcomes);
}

/* Everything that keeps the review from being up to date, as name -> n
 * (only the non-zero ones), into *out. */
static int pending_items(struct lsr_ctx *ctx, json_t **out)
{
	static const char *const names[] = { "records_not_deduplicated", "duplicate_pairs_to_decide",
		"title_abstract_to_screen", "title_abstract_conflicts", "full_texts_to_retrieve",
		"full_text_to_screen", "full_text_conflicts", "reports_not_linked_to_a_study" };
	struct screen_pending sp;
	int64_t vals[8], without = 0;
	struct fetch_search_info *unf = NULL;
	struct extract_compare_counts ec;
	size_t nunf = 0, rob_open = 0;
	json_t *o = json_object();
	int rc = 0;

	*out = o;
	if ((rc = fetch_search_list_unfinished(ctx->db, &unf, &nunf)) < 0)
		return rc;
	fetch_search_info_free(unf, nunf);
	if (nunf)
		json_object_set_new(o, "searches_not_complete", json_integer((json_int_t)nunf));
	if ((rc = screen_pending_counts(ctx->db, &sp)) < 0)
		return rc;
	vals[0] = sp.records_not_deduplicated;
	vals[1] = sp.duplicate_pairs_to_decide;
	vals[2] = sp.title_abstract_to_screen;
	vals[3] = sp.title_abstract_conflicts;
	vals[4] = sp.full_texts_to_retrieve;
	vals[5] = sp.full_text_to_screen;
	vals[6] = sp.full_text_conflicts;
	vals[7] = sp.reports_not_linked_to_a_study;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (vals[i])
			json_object_set_new(o, names[i], json_integer(vals[i]));
	/* a protocol that extracts nothing has no extraction to wait for */
	if (extracts(ctx->protocol)) {
		if ((rc = extract_studies_without_values(ctx->db, &without)) < 0)
			return rc;
		if (without)
			json_object_set_new(o, "studies_without_extraction", json_integer(without));
	}
	if (extracts(ctx->protocol)) {
		memset(&ec, 0, sizeof(ec));
		if ((rc = extract_compare(&ec, ctx->db, ctx->protocol, 0, count_item, NULL)) < 0 ||
		    (rc = extract_rob_compare(&rob_open, ctx->db, ctx->protocol, 0, count_rob, NULL)) < 0)
			return rc;
		if (ec.differ)
			json_object_set_new(o, "extraction_disagreements", json_integer((json_int_t)ec.differ));
		if (ec.pending)
			json_object_set_new(o, "extraction_values_pending", json_integer((json_int_t)ec.pending));
		if (rob_open)
			json_object_set_new(o, "risk_of_bias_open", json_integer((json_int_t)rob_open));
	}
	return 0;
}

static const char *pending_hint(const char *name)
{
	static const struct {
		const char *name, *hint;
	} hints[] = {
		{ "searches_not_complete", "lsr search --resume" },
		{ "records_not_deduplicated", "lsr dedup" },
		{ "duplicate_pairs_to_decide", "lsr dedup queue; lsr dedup decide" },
		{ "title_abstract_to_screen", "lsr screen batch --stage title-abstract" },
		{ "title_abstract_conflicts", "lsr screen conflicts; lsr screen resolve" },
		{ "full_texts_to_retrieve", "lsr screen fulltext ID --retrieved" },
		{ "full_text_to_screen", "lsr screen batch --stage full-text" },
		{ "full_text_conflicts", "lsr screen conflicts; lsr screen resolve" },
		{ "reports_not_linked_to_a_study", "lsr study link" },
		{ "studies_without_extraction", "lsr extract sheet; lsr extract import" },
		{ "extraction_disagreements", "lsr extract compare; lsr extract resolve" },
		{ "extraction_values_pending", "lsr extract import (second extractor)" },
		{ "risk_of_bias_open", "lsr rob compare; lsr rob resolve" },
	};

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (!strcmp(hints[i].name, name))
			return hints[i].hint;
	return "";
}

/* open: an update is open (the advice ends with closing it) */
static void print_pending(json_t *pending, int open)
{
	const char *k;
	json_t *v;

	if (json_object_size(pending) == 0) {
		printf("nothing pending: screening, extraction and risk of bias are complete;\n");
		if (open)
			printf("run 'lsr pool' and 'lsr report', then 'lsr update --close'\n");
		else
			printf("no update is open: 'lsr update' starts the next one\n");
		return;
	}
	printf("pending:\n");
	json_object_foreach(pending, k, v)
		printf("  %-32s %6lld   (%s)\n", k, (long long)json_integer_value(v), pending_hint(k));
}

/* ---- the update ----------------------------------------------------------- */

static int run_searches(struct lsr_ctx *ctx, const struct update_info *u, json_t *report, int *failed)
{
	const struct protocol *p = ctx->protocol;
	struct fetch_search_opts so;
	json_t *arr = json_array();
	int rc = 0;

	json_object_set_new(report, "searches", arr);
	memset(&so, 0, sizeof(so));
	so.since = u->since[0] ? u->since : NULL;
	so.until = u->until[0] ? u->until : NULL;
	so.protocol = p;
	so.progress = &ctx->progress;
	for (size_t i = 0; i < p->nsources; i++) {
		const struct protocol_source *src = &p->sources[i];
		struct fetch_search_result res;
		int done, src_rc;

		if (!src->api || !src->query)
			continue;
		/* already searched in this update (a rerun continues) */
		if ((rc = update_source_searched(ctx->db, u->no, src->name, &done)) < 0)
			return rc;
		if (done) {
			json_array_append_new(arr, json_pack("{s:s, s:s}", "source", src->name,
							     "status", "already searched in this update"));
			continue;
		}
		memset(&res, 0, sizeof(res));
		src_rc = fetch_search_run(ctx->db, src, &so, &res);
		progress_cli_done();
		if (src_rc < 0) {
			/* keep going with the other sources; the update stays open */
			ctx_warn(ctx, "search of %s failed: %s", src->name, lsr_error_last());
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "source", src->name,
							     "status", "failed", "reason", lsr_error_last()));
			*failed = 1;
			continue;
		}
		json_array_append_new(arr, json_pack("{s:s, s:I, s:s, s:I, s:I}", "source", src->name,
						     "run", (json_int_t)res.run_id, "status", res.status,
						     "reported", (json_int_t)res.reported,
						     "stored", (json_int_t)res.stored));
		if (strcmp(res.status, "complete"))
			*failed = 1;
	}
	return rc;
}

/*
 * The files a protocol pattern matches, resolved against the review folder
 * (an absolute pattern as it is), each checked to lie inside that folder
 * once symlinks are resolved unless the source says allow_outside: true
 * (a pattern like ../secret/\*.csv or a link in exports/ must not import
 * files from elsewhere by accident).  *gl is the caller's to globfree()
 * when the return is 0; gl->gl_pathc 0 when nothing matches.
 */
static int match_files(struct lsr_ctx *ctx, const struct protocol_source *src, const char *pat,
		       glob_t *gl)
{
	char *pattern = pat[0] == '/' ? strdup(pat) : ctx_review_path(ctx, pat);
	char *top = NULL;
	int grc, rc = 0;

	memset(gl, 0, sizeof(*gl));
	if (!pattern)
		return lsr_error_oom();
	grc = glob(pattern, 0, NULL, gl);
	free(pattern);
	if (grc == GLOB_NOMATCH)
		return 0;
	if (grc != 0)
		return lsr_error_set(LSR_ERROR, "protocol.yaml: sources '%s': files '%s': cannot list the files",
				     src->name, pat);
	if (src->allow_outside)
		return 0;
	if (!(top = realpath(ctx->review_dir ? ctx->review_dir : ".", NULL))) {
		rc = lsr_error_set(LSR_ERROR, "cannot resolve the review folder: %s", strerror(errno));
		goto out;
	}
	for (size_t k = 0; k < gl->gl_pathc && rc == 0; k++) {
		char *real = realpath(gl->gl_pathv[k], NULL);
		size_t n = strlen(top);

		if (!real)
			rc = lsr_error_set(LSR_ERROR, "cannot resolve '%s': %s", gl->gl_pathv[k], strerror(errno));
		else if (strncmp(real, top, n) || (real[n] != '/' && strcmp(top, "/")))
			rc = lsr_error_set(LSR_ERROR,
					   "protocol.yaml: sources '%s': files '%s': '%s' is outside the review folder"
					   " (it resolves to '%s'); move it inside, or say allow_outside: true for the source",
					   src->name, pat, gl->gl_pathv[k], real);
		free(real);
	}
out:
	free(top);
	if (rc < 0)
		globfree(gl);
	return rc;
}

static int import_files(struct lsr_ctx *ctx, json_t *report)
{
	const struct protocol *p = ctx->protocol;
	json_t *arr = json_array();
	int rc = 0;

	json_object_set_new(report, "files", arr);
	/* every pattern is checked before the first file is imported: a
	 * refused one leaves the update as it was */
	for (size_t i = 0; i < p->nsources; i++)
		for (size_t g = 0; g < p->sources[i].files.n; g++) {
			glob_t gl;

			if ((rc = match_files(ctx, &p->sources[i], p->sources[i].files.v[g], &gl)) < 0)
				return rc;
			globfree(&gl);
		}
	for (size_t i = 0; i < p->nsources && rc == 0; i++) {
		const struct protocol_source *src = &p->sources[i];

		for (size_t g = 0; g < src->files.n && rc == 0; g++) {
			glob_t gl;

			if ((rc = match_files(ctx, src, src->files.v[g], &gl)) < 0)
				return rc;
			for (size_t k = 0; k < gl.gl_pathc && rc == 0; k++) {
				const char *path = gl.gl_pathv[k];
				char hash[SHA256_HEX_LEN + 1];
				struct fetch_import_opts io;
				struct fetch_import_result res;
				int seen = 0;

				if ((rc = sha256_file(path, hash)) < 0 ||
				    (rc = db_file_imported(ctx->db, hash, &seen)) < 0 || seen)
					continue;
				memset(&io, 0, sizeof(io));
				io.source = src->name;
				io.format = FETCH_FMT_AUTO;
				if (src->format && (rc = fetch_format_parse(&io.format, src->format)) < 0)
					break;
				io.strategy = src->strategy;
				io.protocol = p;
				io.progress = &ctx->progress;
				rc = fetch_import(ctx->db, path, &io, &res);
				progress_cli_done();
				if (rc < 0)
					break;
				json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:I}", "source", src->name,
								     "file", path, "run", (json_int_t)res.run_id,
								     "records", (json_int_t)res.nrecords));
			}
			globfree(&gl);
		}
	}
	return rc;
}

/* Warnings for --status: file patterns that match nothing (a typo, or the
 * export not saved yet) and patterns whose files are refused. */
static json_t *file_warnings(struct lsr_ctx *ctx)
{
	const struct protocol *p = ctx->protocol;
	json_t *arr = json_array();

	for (size_t i = 0; p && i < p->nsources; i++) {
		const struct protocol_source *src = &p->sources[i];

		for (size_t g = 0; g < src->files.n; g++) {
			glob_t gl;
			char msg[1024];

			if (match_files(ctx, src, src->files.v[g], &gl) < 0) {
				snprintf(msg, sizeof(msg), "%s", lsr_error_last());
			} else {
				size_t n = gl.gl_pathc;

				globfree(&gl);
				if (n)
					continue;
				snprintf(msg, sizeof(msg),
					 "protocol.yaml: sources '%s': files '%s' matches no file", src->name,
					 src->files.v[g]);
			}
			json_array_append_new(arr, json_string(msg));
		}
	}
	return arr;
}

static int summarise(struct lsr_ctx *ctx, int no, json_t *report)
{
	struct screen_update_counts c;
	json_t *added, *flags;
	int rc;

	if ((rc = update_records_added_json(ctx->db, no, &added)) < 0)
		return rc;
	json_object_set_new(report, "records_added", added);
	if ((rc = screen_update_counts(ctx->db, no, &c)) < 0)
		return rc;
	json_object_set_new(report, "new_citations", json_integer(c.new_citations));
	json_object_set_new(report, "records_joining_earlier_citations",
			    json_integer(c.records_joining_earlier_citations));
	json_object_set_new(report, "awaiting_title_abstract", json_integer(c.awaiting_title_abstract));
	json_object_set_new(report, "excluded_by_automation", json_integer(c.excluded_by_automation));
	json_object_set_new(report, "awaiting_full_text", json_integer(c.awaiting_full_text));
	if ((rc = update_flags_json(ctx->db, no, &flags)) < 0)
		return rc;
	json_object_set_new(report, "flags", flags);
	return 0;
}

static void print_report(const json_t *r)
{
	const char *k;
	json_t *v, *x;
	size_t i;

	printf("update %lld (searches %s to %s)%s\n", (long long)json_integer_value(json_object_get(r, "update")),
	       json_string_value(json_object_get(r, "since")) ? json_string_value(json_object_get(r, "since")) : "-",
	       json_string_value(json_object_get(r, "until")) ? json_string_value(json_object_get(r, "until")) : "-",
	       json_is_true(json_object_get(r, "continued")) ? ", continued" : "");
	json_array_foreach(json_object_get(r, "searches"), i, x) {
		printf("  search %-22s %s", json_string_value(json_object_get(x, "source")),
		       json_string_value(json_object_get(x, "status")));
		if (json_object_get(x, "stored"))
			printf(": %lld records", (long long)json_integer_value(json_object_get(x, "stored")));
		if (json_object_get(x, "reason"))
			printf(": %s", json_string_value(json_object_get(x, "reason")));
		putchar('\n');
	}
	json_array_foreach(json_object_get(r, "files"), i, x)
		printf("  imported %-20s %s: %lld records\n", json_string_value(json_object_get(x, "source")),
		       json_string_value(json_object_get(x, "file")),
		       (long long)json_integer_value(json_object_get(x, "records")));
	printf("records added in this update:");
	if (json_object_size(json_object_get(r, "records_added")) == 0)
		printf(" none");
	json_object_foreach(json_object_get(r, "records_added"), k, v)
		printf(" %s %lld;", k, (long long)json_integer_value(v));
	printf("\nnew citations: %lld (records joining earlier citations: %lld; excluded by automation: %lld)\n",
	       (long long)json_integer_value(json_object_get(r, "new_citations")),
	       (long long)json_integer_value(json_object_get(r, "records_joining_earlier_citations")),
	       (long long)json_integer_value(json_object_get(r, "excluded_by_automation")));
	printf("awaiting screening: %lld at title-abstract, %lld at full text\n",
	       (long long)json_integer_value(json_object_get(r, "awaiting_title_abstract")),
	       (long long)json_integer_value(json_object_get(r, "awaiting_full_text")));
	x = json_object_get(r, "flags");
	if (json_array_size(x)) {
		printf("\n!! %zu finding%s about reports of included studies in this update:\n",
		       json_array_size(x), json_array_size(x) == 1 ? "" : "s");
		json_array_foreach(x, i, v)
			printf("!!   %s: citation %lld (%s) %s: %s\n", json_string_value(json_object_get(v, "kind")),
			       (long long)json_integer_value(json_object_get(v, "citation")),
			       json_string_value(json_object_get(v, "study")),
			       json_string_value(json_object_get(v, "title")),
			       json_string_value(json_object_get(v, "detail")));
	}
}

static int do_update(struct lsr_ctx *ctx, const char *since, const char *until, int no_search, int json)
{
	struct update_info u;
	json_t *report;
	char d_since[11] = "", d_until[11] = "", *summary;
	int rc, failed = 0, continued = 0;
	struct screen_dedup_opts dopts;
	struct screen_dedup_result dres;
	int64_t nflags = 0;

	int ok;

	/* a damaged file is found before anything is added to it (quick_check
	 * reads every page but skips the index cross-checks) */
	if ((rc = db_check(ctx->db, 0, &ok)) < 0)
		return rc;
	if (!ok)
		return db_corruption_error(ctx->db);
	if (since && (rc = fetch_search_date_parse(d_since, since, "--since")) < 0)
		return rc;
	if (until && (rc = fetch_search_date_parse(d_until, until, "--until")) < 0)
		return rc;
	if ((rc = update_latest(ctx->db, &u)) < 0)
		return rc;
	if (u.no > 0 && !u.closed) {
		if (since || until)
			return lsr_error_set(LSR_EUSAGE, "update %d is open: it continues with its window %s to %s"
					     " (close it with 'lsr update --close' to start another)",
					     u.no, u.since[0] ? u.since : "-", u.until[0] ? u.until : "-");
		continued = 1;
	} else {
		if (!since) {
			/* since the last update's window, else since the last run */
			if (u.no > 0 && u.until[0])
				snprintf(d_since, sizeof(d_since), "%s", u.until);
			else {
				if ((rc = db_runs_last_date(ctx->db, d_since)) < 0)
					return rc;
			}
		}
		if (!until) {
			char now[CLOCK_ISO_LEN];

			clock_now_iso(now);
			snprintf(d_until, sizeof(d_until), "%.10s", now);
		}
		if ((rc = update_begin(ctx->db, d_since[0] ? d_since : NULL, d_until, &u)) < 0)
			return rc;
	}
	report = json_object();
	json_object_set_new(report, "schema_version", json_integer(1));
	json_object_set_new(report, "update", json_integer(u.no));
	json_object_set_new(report, "continued", json_boolean(continued));
	json_object_set_new(report, "since", out_jstr(u.since[0] ? u.since : NULL));
	json_object_set_new(report, "until", out_jstr(u.until[0] ? u.until : NULL));
	if (!no_search && (rc = run_searches(ctx, &u, report, &failed)) < 0)
		goto out;
	if ((rc = import_files(ctx, report)) < 0)
		goto out;
	memset(&dopts, 0, sizeof(dopts));
	dopts.progress = &ctx->progress;
	if ((rc = screen_dedup_run(ctx->db, &dopts, &dres)) < 0)
		goto out;
	progress_cli_done();
	json_object_set_new(report, "dedup", json_pack("{s:I, s:I, s:I}",
		"records_new", (json_int_t)dres.records_new, "merges", (json_int_t)dres.merges,
		"queued", (json_int_t)dres.queued));
	if ((rc = screen_rules_run(ctx->db, ctx->protocol, SCREEN_RULES_ONLY_NEW, 0, NULL)) < 0 ||
	    (rc = update_check_flags(ctx->db, u.no, &nflags)) < 0 ||
	    (rc = summarise(ctx, u.no, report)) < 0)
		goto out;
	summary = json_dumps(report, JSON_COMPACT | JSON_SORT_KEYS);
	rc = summary ? update_set_summary(ctx->db, u.no, summary) : lsr_error_oom();
	free(summary);
	if (rc < 0)
		goto out;
	if (json) {
		rc = out_json_doc(json_incref(report));
	} else {
		json_t *pending;

		print_report(report);
		if ((rc = pending_items(ctx, &pending)) == 0) {
			putchar('\n');
			print_pending(pending, 1);
		}
		json_decref(pending);
	}
	if (rc == 0 && failed)
		rc = lsr_error_set(LSR_ERROR, "update %d: a search failed or is incomplete; run 'lsr update' again to continue it",
				   u.no);
out:
	json_decref(report);
	return rc;
}

static int do_status(struct lsr_ctx *ctx, int json)
{
	struct update_info u;
	json_t *pending = NULL, *warnings, *w;
	size_t i;
	int rc;

	if ((rc = update_latest(ctx->db, &u)) < 0 || (rc = pending_items(ctx, &pending)) < 0) {
		json_decref(pending);
		return rc;
	}
	warnings = file_warnings(ctx);
	if (json) {
		return out_json_doc(json_pack("{s:i, s:i, s:b, s:o, s:b, s:o}", "schema_version", 1,
					      "update", u.no, "open", u.no > 0 && !u.closed,
					      "pending", pending, "ready_to_close",
					      json_object_size(pending) == 0, "warnings", warnings));
	}
	if (u.no == 0)
		printf("no update yet: this is the review as first done (update 0)\n");
	else
		printf("update %d, started %s, searches %s to %s: %s\n", u.no, u.started_at,
		       u.since[0] ? u.since : "-", u.until[0] ? u.until : "-", u.closed ? "closed" : "open");
	print_pending(pending, u.no > 0 && !u.closed);
	json_array_foreach(warnings, i, w)
		printf("warning: %s\n", json_string_value(w));
	json_decref(warnings);
	json_decref(pending);
	return 0;
}

static int do_close(struct lsr_ctx *ctx)
{
	struct update_info u;
	json_t *pending = NULL;
	int rc;

	if ((rc = update_latest(ctx->db, &u)) < 0)
		return rc;
	if (u.no == 0 || u.closed)
		return lsr_error_set(LSR_ERROR, "no open update to close (start one with 'lsr update')");
	if ((rc = pending_items(ctx, &pending)) < 0) {
		json_decref(pending);
		return rc;
	}
	if (json_object_size(pending)) {
		print_pending(pending, 1);
		json_decref(pending);
		return lsr_error_set(LSR_ERROR, "update %d cannot be closed while work is pending (above)", u.no);
	}
	json_decref(pending);
	if ((rc = update_close(ctx->db, u.no)) < 0)
		return rc;
	printf("update %d closed\n", u.no);
	return 0;
}

int cmd_update(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *since = NULL, *until = NULL;
	int status = 0, close_it = 0, json = 0, no_search = 0;
	struct opt opts[] = {
		OPT_STRING(0, "since", &since, "DATE", "start of the search window (default: the end of the last update's)"),
		OPT_STRING(0, "until", &until, "DATE", "end of the search window (default: today)"),
		OPT_BOOL(0, "no-search", &no_search, "import new files only; run no search"),
		OPT_BOOL(0, "status", &status, "what is pending before the update can be closed"),
		OPT_BOOL(0, "close", &close_it, "close the open update"),
		OPT_BOOL(0, "json", &json, "print one JSON object"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, update_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "update takes no arguments");
	if (status + close_it > 1)
		return lsr_error_set(LSR_EUSAGE, "--status and --close go alone");
	if ((status || close_it) && (since || until || no_search))
		return lsr_error_set(LSR_EUSAGE, "--since, --until and --no-search go with an update, not with --%s",
				     status ? "status" : "close");
	if (status)
		return do_status(ctx, json);
	if (close_it)
		return do_close(ctx);
	return do_update(ctx, since, until, no_search, json);
}
