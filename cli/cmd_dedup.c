/*
 * cmd_dedup.c - lsr dedup: group records into citations; explain a
 * citation; list, decide and split; export the grouping.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../screen/screen.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/outfile.h"
#include "../util/num.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const run_usage[] = {
	"lsr dedup [--export FILE.csv] [--threads N] [--json]", NULL };
static const char *const explain_usage[] = {
	"lsr dedup explain CITATION [--record] [--json]", NULL };
static const char *const queue_usage[] = {
	"lsr dedup queue [--all] [--json]", NULL };
static const char *const decide_usage[] = {
	"lsr dedup decide PAIR same|different --by NAME [--reason TEXT] [--json]", NULL };
static const char *const split_usage[] = {
	"lsr dedup split CITATION RECORD[,RECORD...]... --by NAME [--reason TEXT] [--json]", NULL };

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
	struct outfile *o;
	int rc = outfile_open(&o, path);

	if (rc < 0)
		return rc;
	return outfile_finish(o, screen_dedup_export(ctx->db, outfile_fp(o)));
}

/* ---- explain ------------------------------------------------------------ */

static int dedup_explain(struct lsr_ctx *ctx, const char *arg, int by_record, int json)
{
	int64_t id, cid, into, rep;
	json_t *root, *members, *links, *decisions, *m;
	int rc;
	size_t i;

	if ((rc = num_parse_id(&id, arg, by_record ? "record" : "citation")) < 0)
		return rc;
	cid = id;
	if (by_record) {
		if ((rc = screen_record_citation(ctx->db, id, &cid)) < 0)
			return rc;
		if (!cid)
			return lsr_error_set(LSR_ENOTFOUND, "record %lld is not grouped (run 'lsr dedup')",
					     (long long)id);
	}
	if ((rc = screen_dedup_explain_json(ctx->db, cid, &root)) < 0)
		return rc;
	into = json_integer_value(json_object_get(root, "retired_into"));
	rep = json_integer_value(json_object_get(root, "representative"));
	members = json_object_get(root, "members");
	links = json_object_get(root, "links");
	decisions = json_object_get(root, "decisions");
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


static const char *jtext(json_t *o, const char *key, const char *none)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : none;
}

static int dedup_queue_list(struct lsr_ctx *ctx, int all, int json)
{
	json_t *arr, *o;
	size_t i;
	int rc;

	if ((rc = screen_dedup_queue_json(ctx->db, all, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, o) {
		if (json) {
			int e;

			json_object_del(o, "year_a");
			json_object_del(o, "year_b");
			if (!all)
				json_object_del(o, "decided");
			e = json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
			fputc('\n', stdout);
			if (e) {
				rc = lsr_error_set(LSR_ERROR, "writing output failed");
				break;
			}
			continue;
		}
		{
			char *scores = json_is_null(json_object_get(o, "scores")) ? NULL
				: json_dumps(json_object_get(o, "scores"),
					     JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
			const char *decided = jtext(o, "decided", NULL);

			printf("pair %lld: records %lld and %lld (citations %lld and %lld), %s, score %.2f%s%s\n",
			       (long long)json_integer_value(json_object_get(o, "pair")),
			       (long long)json_integer_value(json_object_get(o, "record_a")),
			       (long long)json_integer_value(json_object_get(o, "record_b")),
			       (long long)json_integer_value(json_object_get(o, "citation_a")),
			       (long long)json_integer_value(json_object_get(o, "citation_b")),
			       jtext(o, "rule", ""), json_number_value(json_object_get(o, "score")),
			       decided ? ", decided " : "", decided ? decided : "");
			printf("  %lld: %.110s (%s)\n", (long long)json_integer_value(json_object_get(o, "record_a")),
			       jtext(o, "title_a", "(no title)"), jtext(o, "year_a", "-"));
			printf("  %lld: %.110s (%s)\n", (long long)json_integer_value(json_object_get(o, "record_b")),
			       jtext(o, "title_b", "(no title)"), jtext(o, "year_b", "-"));
			printf("  %s\n", scores ? scores : "{}");
			free(scores);
		}
	}
	if (rc == 0 && !json && !json_array_size(arr))
		printf("no pairs to decide\n");
	json_decref(arr);
	return rc;
}

/* PAIR: a queue pair number, or two record ids "A,B" */
static int parse_pair(struct lsr_ctx *ctx, const char *s, int64_t *a, int64_t *b, int64_t *queue_id)
{
	const char *comma = strchr(s, ',');

	*queue_id = 0;
	if (comma) {
		char first[32];

		if ((size_t)(comma - s) >= sizeof(first))
			return lsr_error_set(LSR_EUSAGE, "'%s' is not a pair (expected a queue pair number or RECORD,RECORD)", s);
		memcpy(first, s, (size_t)(comma - s));
		first[comma - s] = '\0';
		if (num_parse_id(a, first, "record") < 0 || num_parse_id(b, comma + 1, "record") < 0)
			return lsr_error_set(LSR_EUSAGE, "'%s' is not a pair (expected a queue pair number or RECORD,RECORD)", s);
		return 0;
	}
	if (num_parse_id(queue_id, s, "pair") < 0)
		return lsr_error_set(LSR_EUSAGE, "'%s' is not a pair (expected a queue pair number or RECORD,RECORD)", s);
	return screen_dedup_queue_pair(ctx->db, *queue_id, a, b);
}

static int dedup_decide(struct lsr_ctx *ctx, int n, const char **args, const char *by,
			const char *reason, int json)
{
	int64_t a, b, q, decision = 0, cit = 0;
	enum screen_verdict v;
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
	if ((rc = screen_record_citation(ctx->db, a, &cit)) < 0)
		return rc;
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
	if ((rc = num_parse_id(&cit, args[0], "citation")) < 0)
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
			rc = num_parse_id(&parts[nparts][k], ids.v[k], "record");
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
	if ((rc = screen_dedup_queue_open_count(ctx->db, &open)) < 0)
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
	fprintf(sum, "%lld record%s in %llu citation%s: %lld duplicates removed\n", (long long)grouped,
		grouped == 1 ? "" : "s", (unsigned long long)res.citations_live,
		res.citations_live == 1 ? "" : "s",
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

/* ---- the subcommands: each its own options ------------------------------ */

static int sub_run(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *export_path = NULL;
	long long threads = 2;
	int json = 0;
	struct opt opts[] = {
		OPT_STRING(0, "export", &export_path, "FILE.csv", "write source,source_id,group,rule,score per record"),
		OPT_INT(0, "threads", &threads, "N", "comparison threads (default 2)"),
		OPT_BOOL(0, "json", &json, "print one JSON object"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, run_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "unknown dedup subcommand '%s' (expected explain, queue, decide or split)",
				     args[0]);
	return dedup_run(ctx, threads, export_path, json);
}

static int sub_explain(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int json = 0, by_record = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "record", &by_record, "the id is a record's, not a citation's"),
		OPT_BOOL(0, "json", &json, "print one JSON object"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, explain_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "explain needs one citation id (or a record id with --record)");
	return dedup_explain(ctx, args[0], by_record, json);
}

static int sub_queue(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int json = 0, all = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "all", &all, "include pairs already decided or merged"),
		OPT_BOOL(0, "json", &json, "JSON Lines, one object per pair"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, queue_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n != 0)
		return lsr_error_set(LSR_EUSAGE, "queue takes no arguments");
	return dedup_queue_list(ctx, all, json);
}

/* decide and split take the same options */
static int sub_decision(int argc, const char **argv, struct lsr_ctx *ctx, int split)
{
	const char *by = NULL, *reason = NULL;
	int json = 0;
	struct opt opts[] = {
		OPT_STRING(0, "by", &by, "NAME", "the person deciding"),
		OPT_STRING(0, "reason", &reason, "TEXT", "why (kept with the decision)"),
		OPT_BOOL(0, "json", &json, "print one JSON object"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, split ? split_usage : decide_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	return split ? dedup_split(ctx, n, args, by, reason, json)
		     : dedup_decide(ctx, n, args, by, reason, json);
}

static int sub_decide(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return sub_decision(argc, argv, ctx, 0);
}

static int sub_split(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return sub_decision(argc, argv, ctx, 1);
}

static const struct opt_subcommand dedup_subcommands[] = {
	OPT_SUBCOMMAND_DEFAULT(sub_run, run_usage),
	OPT_SUBCOMMAND("explain", sub_explain, explain_usage),
	OPT_SUBCOMMAND("queue", sub_queue, queue_usage),
	OPT_SUBCOMMAND("decide", sub_decide, decide_usage),
	OPT_SUBCOMMAND("split", sub_split, split_usage),
	OPT_SUBCOMMAND_END(),
};

int cmd_dedup(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return opt_subcommand(argc, argv, dedup_subcommands, ctx);
}
