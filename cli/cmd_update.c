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
#include "../util/strv.h"
#include "../util/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const update_usage[] = {
	"lsr update [--since DATE] [--until DATE] [--searched DATE] [--no-search] [--json]",
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

/*
 * An update is several transactions, each committed when its step ends:
 * the update's row, each search (in batches: an unfinished search keeps
 * what it fetched and is resumed), each import, the deduplication, the
 * rules, the check of the included studies, the summary.  Ctrl-C or a
 * failure stops the step under way, which is rolled back; the steps before
 * it stay stored and 'lsr update' continues from there.  The log says
 * which, for the message of an interruption (docs/guarantees.md).
 */
struct update_log {
	struct strv stored;   /* the steps this command committed */
	struct buf doing;     /* the step under way, "" between steps */
	int no;               /* the update */
	int64_t first_new_run; /* runs from this id on are this command's */
};

static void log_doing(struct update_log *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void log_doing(struct update_log *l, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&l->doing);
	va_start(ap, fmt);
	buf_vprintf(&l->doing, fmt, ap); /* out of memory: a shorter message */
	va_end(ap);
}

static void log_stored(struct update_log *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void log_stored(struct update_log *l, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	if (buf_vprintf(&b, fmt, ap) == 0)
		strv_push_owned(&l->stored, buf_detach(&b));
	va_end(ap);
	buf_release(&b);
	buf_reset(&l->doing);
}

static void log_release(struct update_log *l)
{
	strv_release(&l->stored);
	buf_release(&l->doing);
}

/*
 * rc from a step: when an interruption stopped it (its code, or any
 * failure once ^C was pressed), the message says what this command
 * stored before it and that 'lsr update' continues; other failures keep
 * their message.
 */
static int step_failed(struct update_log *l, int rc)
{
	struct buf b = BUF_INIT;
	size_t shown = 0;

	if (rc >= 0 || (rc != LSR_EINTR && !lsr_interrupted))
		return rc;
	if (l->doing.len)
		buf_printf(&b, "interrupted during %s; ", l->doing.s);
	else if (l->stored.n)
		buf_adds(&b, "interrupted between two steps; ");
	else
		buf_adds(&b, "interrupted; ");
	if (!l->stored.n) {
		buf_adds(&b, "nothing of this command was stored");
	} else {
		buf_adds(&b, "stored before that: ");
		/* one line: what does not fit is counted */
		for (; shown < l->stored.n && b.len + strlen(l->stored.v[shown]) < LSR_ERRMSG_MAX - 160; shown++)
			buf_printf(&b, "%s%s", shown ? "; " : "", l->stored.v[shown]);
		if (shown < l->stored.n)
			buf_printf(&b, "%sand %zu more steps ('lsr run' lists the runs)", shown ? "; " : "",
				   l->stored.n - shown);
	}
	if (l->no > 0)
		buf_printf(&b, "; run 'lsr update' again to continue update %d", l->no);
	rc = lsr_error_set(LSR_EINTR, "%s", b.len ? b.s : "interrupted");
	buf_release(&b);
	return rc;
}

/* The unfinished search run of source in update u that this process may
 * resume (0 in *run_id when none), with the records it holds. */
static int unfinished_search(struct lsr_ctx *ctx, const struct update_info *u, const char *source,
			     int64_t *run_id, int64_t *stored)
{
	struct fetch_search_info *unf = NULL;
	size_t nunf = 0;
	int rc;

	*run_id = 0;
	*stored = 0;
	if ((rc = fetch_search_list_unfinished(ctx->db, &unf, &nunf)) < 0)
		return rc;
	for (size_t i = 0; i < nunf; i++)
		if (unf[i].run_id >= u->first_run_id && unf[i].resumable && !unf[i].active &&
		    !strcmp(unf[i].source, source)) {
			*run_id = unf[i].run_id;
			*stored = unf[i].stored;
		}
	fetch_search_info_free(unf, nunf);
	return 0;
}

/*
 * Run the saved searches the update has not completed: an unfinished run
 * of this update (interrupted, killed) is resumed, a source searched
 * completely is not searched again.  Searches that failed without a run
 * go to failures (the runs themselves are read back for the summary).
 */
static int run_searches(struct lsr_ctx *ctx, const struct update_info *u, json_t *failures,
			int *failed, struct update_log *l)
{
	const struct protocol *p = ctx->protocol;
	struct fetch_search_opts so;
	int rc = 0;

	memset(&so, 0, sizeof(so));
	so.since = u->since[0] ? u->since : NULL;
	so.until = u->until[0] ? u->until : NULL;
	so.protocol = p;
	so.progress = &ctx->progress;
	for (size_t i = 0; i < p->nsources; i++) {
		const struct protocol_source *src = &p->sources[i];
		struct fetch_search_result res;
		int64_t resume, kept;
		int done, src_rc;

		if (!src->api || !src->query)
			continue;
		if ((rc = lsr_check_interrupt()) < 0)
			return rc;
		/* already searched in this update (a rerun continues) */
		if ((rc = update_source_searched(ctx->db, u->no, src->name, &done)) < 0)
			return rc;
		if (done)
			continue;
		if ((rc = unfinished_search(ctx, u, src->name, &resume, &kept)) < 0)
			return rc;
		log_doing(l, "the search of %s", src->name);
		memset(&res, 0, sizeof(res));
		src_rc = resume ? fetch_search_resume(ctx->db, resume, &so, &res)
				: fetch_search_run(ctx->db, src, &so, &res);
		progress_cli_done();
		if (src_rc == LSR_EINTR || (src_rc < 0 && lsr_interrupted)) {
			/* what the search fetched stays in its unfinished run */
			if (unfinished_search(ctx, u, src->name, &resume, &kept) == 0 && resume)
				log_doing(l, "the search of %s (its unfinished run %lld keeps the %lld records"
					  " fetched; 'lsr update' resumes it)", src->name, (long long)resume,
					  (long long)kept);
			else
				log_doing(l, "the search of %s (nothing of it was stored)", src->name);
			return LSR_EINTR;
		}
		if (src_rc < 0) {
			/* keep going with the other sources; the update stays open */
			ctx_warn(ctx, "search of %s failed: %s", src->name, lsr_error_last());
			if (!res.run_id)
				json_array_append_new(failures, json_pack("{s:s, s:s, s:s}", "source", src->name,
									  "status", "failed", "reason",
									  lsr_error_last()));
			buf_reset(&l->doing);
			*failed = 1;
			continue;
		}
		log_stored(l, "the search of %s (run %lld, %s, %llu records)", src->name,
			   (long long)res.run_id, res.status, (unsigned long long)res.stored);
		if (strcmp(res.status, "complete"))
			*failed = 1;
	}
	return lsr_check_interrupt();
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

/* Import the files the protocol's patterns match that were never
 * imported (by their SHA-256): one run each, committed as it ends. */
/* the files of the protocol's sources not imported yet; searched: the day
 * their searches were run (YYYY-MM-DD) or NULL */
static int import_files(struct lsr_ctx *ctx, struct update_log *l, const char *searched)
{
	const struct protocol *p = ctx->protocol;
	int rc = 0;

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
				io.searched = searched;
				io.protocol = p;
				io.progress = &ctx->progress;
				if ((rc = lsr_check_interrupt()) < 0)
					break;
				log_doing(l, "the import of '%s' (rolled back)", path);
				rc = fetch_import(ctx->db, path, &io, &res);
				progress_cli_done();
				if (rc < 0)
					break;
				log_stored(l, "the import of '%s' (run %lld, %llu records)", path,
					   (long long)res.run_id, (unsigned long long)res.nrecords);
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

/*
 * The update's summary, read back from what it stored (its runs, its
 * deduplications, its citations and flags), never from what this command
 * alone did: an update continued after a failure, Ctrl-C or kill -9
 * stores the summary an uninterrupted one would.  failures: this
 * command's searches that failed without a run.
 */
static int summarise(struct lsr_ctx *ctx, const struct update_info *u, json_t *failures,
		     json_t *report)
{
	struct screen_update_counts c;
	json_t *searches, *files, *dedup, *added, *flags;
	int rc, no = u->no;

	json_object_set_new(report, "since", out_jstr(u->since[0] ? u->since : NULL));
	json_object_set_new(report, "until", out_jstr(u->until[0] ? u->until : NULL));
	if ((rc = update_runs_json(ctx->db, no, "search", &searches)) < 0)
		return rc;
	json_array_extend(searches, failures);
	json_object_set_new(report, "searches", searches);
	if ((rc = update_runs_json(ctx->db, no, "import", &files)) < 0)
		return rc;
	json_object_set_new(report, "files", files);
	if ((rc = update_dedup_json(ctx->db, no, &dedup)) < 0)
		return rc;
	json_object_set_new(report, "dedup", dedup);
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

/* first_new_run: runs from this id on were made by this command; the
 * others by an earlier 'lsr update' of the same update */
static void print_report(const json_t *r, int64_t first_new_run)
{
	const char *k;
	json_t *v, *x;
	size_t i;

	printf("update %lld (searches %s to %s)%s\n", (long long)json_integer_value(json_object_get(r, "update")),
	       json_string_value(json_object_get(r, "since")) ? json_string_value(json_object_get(r, "since")) : "-",
	       json_string_value(json_object_get(r, "until")) ? json_string_value(json_object_get(r, "until")) : "-",
	       json_is_true(json_object_get(r, "continued")) ? ", continued" : "");
	json_array_foreach(json_object_get(r, "searches"), i, x) {
		json_int_t run = json_integer_value(json_object_get(x, "run"));

		printf("  search %-22s %s", json_string_value(json_object_get(x, "source")),
		       run && run < first_new_run && !strcmp(json_string_value(json_object_get(x, "status")), "complete")
			       ? "already searched in this update: complete"
			       : json_string_value(json_object_get(x, "status")));
		if (json_object_get(x, "stored"))
			printf(": %lld records", (long long)json_integer_value(json_object_get(x, "stored")));
		if (json_string_value(json_object_get(x, "reason")))
			printf(": %s", json_string_value(json_object_get(x, "reason")));
		putchar('\n');
	}
	json_array_foreach(json_object_get(r, "files"), i, x)
		printf("  imported %-20s %s: %lld records%s\n", json_string_value(json_object_get(x, "source")),
		       json_string_value(json_object_get(x, "file")),
		       (long long)json_integer_value(json_object_get(x, "records")),
		       json_integer_value(json_object_get(x, "run")) < first_new_run ? " (earlier in this update)" : "");
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

/* Store the summary (without "continued", which says how this command
 * ran, not what the update holds). */
static int store_summary(struct lsr_ctx *ctx, int no, const json_t *report)
{
	json_t *copy = json_copy((json_t *)report);
	char *text;
	int rc;

	if (!copy)
		return lsr_error_oom();
	json_object_del(copy, "continued");
	text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	rc = text ? update_set_summary(ctx->db, no, text) : lsr_error_oom();
	free(text);
	return rc;
}

/* The window of a new update: --since, else the end of the last update's
 * window, else the date of the last run; --until, else today. */
static int new_window(struct lsr_ctx *ctx, const struct update_info *last, const char *since,
		      const char *until, char d_since[11], char d_until[11])
{
	int rc;

	if (since && (rc = fetch_search_date_parse(d_since, since, "--since")) < 0)
		return rc;
	if (until && (rc = fetch_search_date_parse(d_until, until, "--until")) < 0)
		return rc;
	if (!since) {
		if (last->no > 0 && last->until[0])
			snprintf(d_since, 11, "%s", last->until);
		else if ((rc = db_runs_last_date(ctx->db, d_since)) < 0)
			return rc;
	}
	if (!until) {
		char now[CLOCK_ISO_LEN];

		clock_now_iso(now);
		snprintf(d_until, 11, "%.10s", now);
	}
	return 0;
}

static int update_steps(struct lsr_ctx *ctx, struct update_info *u, int no_search,
			const char *searched, int *failed, json_t *failures, struct update_log *l)
{
	struct screen_dedup_opts dopts;
	struct screen_dedup_result dres;
	int64_t nflags = 0;
	int rc, needed;

	if (!no_search && (rc = run_searches(ctx, u, failures, failed, l)) < 0)
		return rc;
	if ((rc = import_files(ctx, l, searched)) < 0 || (rc = lsr_check_interrupt()) < 0)
		return rc;
	/* a rerun after the deduplication was stored logs no empty second one */
	if ((rc = update_dedup_needed(ctx->db, u->no, &needed)) < 0)
		return rc;
	if (needed) {
		memset(&dopts, 0, sizeof(dopts));
		dopts.progress = &ctx->progress;
		log_doing(l, "the deduplication (rolled back)");
		if ((rc = screen_dedup_run(ctx->db, &dopts, &dres)) < 0)
			return rc;
		progress_cli_done();
		log_stored(l, "the deduplication (dedup run %lld: %llu records grouped, %llu merges)",
			   (long long)dres.run_id, (unsigned long long)dres.records_new,
			   (unsigned long long)dres.merges);
		if ((rc = lsr_check_interrupt()) < 0)
			return rc;
	}
	log_doing(l, "the screening rules (rolled back)");
	if ((rc = screen_rules_run(ctx->db, ctx->protocol, SCREEN_RULES_ONLY_NEW, 0, NULL)) < 0)
		return rc;
	log_stored(l, "the screening rules' results");
	if ((rc = lsr_check_interrupt()) < 0)
		return rc;
	log_doing(l, "the check of the included studies for retractions and errata (rolled back)");
	if ((rc = update_check_flags(ctx->db, u->no, &nflags)) < 0)
		return rc;
	log_stored(l, "the check of the included studies (%lld new findings)", (long long)nflags);
	return lsr_check_interrupt();
}

static int do_update(struct lsr_ctx *ctx, const char *since, const char *until, const char *searched,
		     int no_search, int json)
{
	struct update_info u;
	struct update_log l = { STRV_INIT, BUF_INIT, 0, 0 };
	json_t *report = NULL, *failures = json_array();
	char d_since[11] = "", d_until[11] = "";
	int rc, failed = 0, continued = 0, ok;

	/* a damaged file is found before anything is added to it (quick_check
	 * reads every page but skips the index cross-checks) */
	if ((rc = db_check(ctx->db, 0, &ok)) < 0)
		goto out;
	if (!ok) {
		rc = db_corruption_error(ctx->db);
		goto out;
	}
	if ((rc = update_latest(ctx->db, &u)) < 0 ||
	    (rc = db_query_int(ctx->db, &l.first_new_run, "SELECT coalesce(max(id), 0) + 1 FROM runs")) < 0)
		goto out;
	if (u.no > 0 && !u.closed) {
		if (since || until) {
			rc = lsr_error_set(LSR_EUSAGE, "update %d is open: it continues with its window %s to %s"
					   " (close it with 'lsr update --close' to start another)",
					   u.no, u.since[0] ? u.since : "-", u.until[0] ? u.until : "-");
			goto out;
		}
		continued = 1;
	} else {
		if ((rc = new_window(ctx, &u, since, until, d_since, d_until)) < 0 ||
		    (rc = lsr_check_interrupt()) < 0 ||
		    (rc = update_begin(ctx->db, d_since[0] ? d_since : NULL, d_until, &u)) < 0)
			goto out;
		log_stored(&l, "update %d started (searches %s to %s)", u.no, u.since[0] ? u.since : "-",
			   u.until[0] ? u.until : "-");
	}
	l.no = u.no;
	if ((rc = update_steps(ctx, &u, no_search, searched, &failed, failures, &l)) < 0)
		goto out;
	report = json_object();
	json_object_set_new(report, "schema_version", json_integer(1));
	json_object_set_new(report, "update", json_integer(u.no));
	json_object_set_new(report, "continued", json_boolean(continued));
	log_doing(&l, "the update's summary (rolled back)");
	if ((rc = summarise(ctx, &u, failures, report)) < 0 || (rc = store_summary(ctx, u.no, report)) < 0)
		goto out;
	log_stored(&l, "the update's summary");
	if (json) {
		rc = out_json_doc(json_incref(report));
	} else {
		json_t *pending;

		print_report(report, l.first_new_run);
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
	rc = step_failed(&l, rc);
	json_decref(report);
	json_decref(failures);
	log_release(&l);
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
	const char *since = NULL, *until = NULL, *searched = NULL;
	char searched_day[11];
	int status = 0, close_it = 0, json = 0, no_search = 0;
	struct opt opts[] = {
		OPT_STRING(0, "since", &since, "DATE", "start of the search window (default: the end of the last update's)"),
		OPT_STRING(0, "until", &until, "DATE", "end of the search window (default: today)"),
		OPT_STRING(0, "searched", &searched, "DATE", "the day the exports the update imports were searched (PRISMA-S)"),
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
	if ((status || close_it) && (since || until || searched || no_search))
		return lsr_error_set(LSR_EUSAGE, "--since, --until, --searched and --no-search go with an update, not with --%s",
				     status ? "status" : "close");
	if (searched) {
		int rc = fetch_search_date_parse(searched_day, searched, "--searched");

		if (rc < 0)
			return rc;
		searched = searched_day;
	}
	if (status)
		return do_status(ctx, json);
	if (close_it)
		return do_close(ctx);
	return do_update(ctx, since, until, searched, no_search, json);
}
