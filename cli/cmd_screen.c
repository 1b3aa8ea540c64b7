/*
 * cmd_screen.c - lsr screen: PICOS rules, batches for independent
 * reviewers, their decisions, conflicts and resolutions, agreement, and
 * the full-text stage.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "progress.h"
#include "../screen/screen.h"
#include "../screen/rank.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/num.h"
#include "../util/outfile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* each subcommand's usage; 'lsr screen -h' prints them all */
static const char *const rules_usage[] = {
	"lsr screen rules [--dry-run] [--threads N] [--json]", NULL
};
static const char *const explain_usage[] = {
	"lsr screen explain ID [--json]", NULL
};
static const char *const batch_usage[] = {
	"lsr screen batch --reviewer NAME --stage title-abstract|full-text --size N [--seed S] [--order random|priority] [-o FILE]",
	"lsr screen batch --reviewer NAME --stage title-abstract --stopping-sample N [--seed S] [-o FILE]",
	"lsr screen batch --reprint BATCH [-o FILE]",
	NULL
};
static const char *const import_usage[] = {
	"lsr screen import FILE --reviewer NAME [--json]", NULL
};
static const char *const status_usage[] = {
	"lsr screen status [--recall R] [--confidence C] [--json]", NULL
};
static const char *const rank_usage[] = {
	"lsr screen rank --reviewer NAME [--seed S] [--top N] [--explain ID] [--json]", NULL
};
static const char *const stop_usage[] = {
	"lsr screen stop --recall R --confidence C [--sample] [--json]", NULL
};
static const char *const conflicts_usage[] = {
	"lsr screen conflicts [--json]", NULL
};
static const char *const resolve_usage[] = {
	"lsr screen resolve ID --verdict include|exclude|maybe [--reason R] [--note TEXT] [--stage S] --by NAME",
	NULL
};
static const char *const fulltext_usage[] = {
	"lsr screen fulltext ID... --retrieved [--file PATH] | --not-retrieved REASON",
	"lsr screen fulltext [--json]",
	NULL
};

static int parse_id(const char *s, int64_t *out)
{
	return num_parse_id(out, s, "citation");
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static long long jint(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static int need_protocol(struct lsr_ctx *ctx, const char *what)
{
	if (ctx->protocol)
		return 0;
	return lsr_error_set(LSR_ENOTFOUND, "%s needs protocol.yaml (its screening section)", what);
}

/* ---- rules ------------------------------------------------------------ */

static int screen_rules(int argc, const char **argv, struct lsr_ctx *ctx)
{
	long long threads = 0;
	int dry_run = 0, json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "dry-run", &dry_run, "evaluate and count, store nothing"),
		OPT_INT(0, "threads", &threads, "N", "threads (default 2)"),
		OPT_BOOL(0, "json", &json, "one JSON object"),
		OPT_END(),
	};
	json_t *r, *rules, *reasons, *x;
	const char **args;
	size_t i;
	int rc = opt_parse(argc, argv, opts, rules_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "rules takes options only");
	if ((rc = need_protocol(ctx, "screen rules")) < 0)
		return rc;
	if ((rc = screen_rules_run(ctx->db, ctx->protocol, dry_run ? SCREEN_RULES_DRY_RUN : 0,
				   (int)threads, &r)) < 0)
		return rc;
	if (json)
		return out_json_doc(r);
	rules = json_object_get(r, "rules");
	reasons = json_object_get(r, "reasons");
	printf("rule set %.12s: %zu rule%s on %lld citation%s not yet decided%s\n",
	       jstr(r, "ruleset"), json_array_size(rules), json_array_size(rules) == 1 ? "" : "s",
	       jint(r, "citations"), jint(r, "citations") == 1 ? "" : "s",
	       dry_run ? " (dry run: nothing stored)" : "");
	if (json_array_size(rules)) {
		printf("  %-24s %-20s %-8s %9s\n", "rule", "reason", "mode", "citations");
		json_array_foreach(rules, i, x)
			printf("  %-24s %-20s %-8s %9lld%s\n", jstr(x, "name"), jstr(x, "reason"),
			       jstr(x, "mode"), jint(x, "citations"),
			       jint(x, "errors") ? "  (match limit reached on some)" : "");
		printf("  %-24s %9s %9s\n", "reason", "suggested", "excluded");
		json_array_foreach(reasons, i, x)
			if (jint(x, "suggested") || jint(x, "excluded"))
				printf("  %-24s %9lld %9lld\n", jstr(x, "code"), jint(x, "suggested"),
				       jint(x, "excluded"));
	}
	printf("excluded automatically (marked ineligible by automation tools): %lld\n",
	       jint(r, "excluded_automatically"));
	json_array_foreach(json_object_get(r, "errors"), i, x)
		ctx_warn(ctx, "rule '%s' not evaluated on citation %lld (%s): %s", jstr(x, "rule"),
			 jint(x, "citation"), jstr(x, "field"), jstr(x, "error"));
	json_decref(r);
	return 0;
}

/* ---- explain ---------------------------------------------------------- */

static void print_status(const char *stage, json_t *s)
{
	if (!json_is_object(s))
		return;
	out_fprint(stdout, "%s: %s", stage, jstr(s, "status"));
	if (*jstr(s, "reason"))
		out_fprint(stdout, " (%s)", jstr(s, "reason"));
	if (*jstr(s, "decided_by"))
		out_fprint(stdout, ", by %s", jstr(s, "decided_by"));
	if (*jstr(s, "rule"))
		out_fprint(stdout, " (rule %s)", jstr(s, "rule"));
	if (*jstr(s, "conflict"))
		out_fprint(stdout, " [%s]", jstr(s, "conflict"));
	if (*jstr(s, "retrieval_reason"))
		out_fprint(stdout, " (%s)", jstr(s, "retrieval_reason"));
	if (*jstr(s, "file"))
		out_fprint(stdout, ", file %s", jstr(s, "file"));
	putchar('\n');
}

static int screen_explain(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "json", &json, "one JSON object"),
		OPT_END(),
	};
	json_t *o, *x;
	const char **args;
	int64_t id;
	size_t i;
	int rc = opt_parse(argc, argv, opts, explain_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc != 1)
		return lsr_error_set(LSR_EUSAGE, "explain needs one citation id");
	if ((rc = parse_id(args[0], &id)) < 0 || (rc = screen_explain_json(ctx->db, id, &o)) < 0)
		return rc;
	if (json)
		return out_json_doc(o);
	out_fprint(stdout, "citation %lld: %s\n", jint(o, "id"), jstr(o, "title"));
	if (json_object_get(o, "merged_from"))
		out_fprint(stdout, "(citation %lld was merged into it)\n", jint(o, "merged_from"));
	out_fprint(stdout, "%s %lld\n", jstr(o, "journal"), jint(o, "year"));
	print_status("title-abstract", json_object_get(o, "title_abstract"));
	print_status("full-text", json_object_get(o, "full_text"));
	if (json_is_object(json_object_get(o, "study")))
		out_fprint(stdout, "study: %s\n", jstr(json_object_get(o, "study"), "label"));
	out_fprint(stdout, "rule hits:%s\n", json_array_size(json_object_get(o, "hits")) ? "" : " none");
	json_array_foreach(json_object_get(o, "hits"), i, x) {
		if (*jstr(x, "error"))
			out_fprint(stdout, "  %s (%s, %s): not evaluated in %s: %s\n", jstr(x, "rule"),
			       jstr(x, "reason"), jstr(x, "mode"), jstr(x, "field"), jstr(x, "error"));
		else
			out_fprint(stdout, "  %s (%s, %s): '%s' in %s [%lld, %lld)\n", jstr(x, "rule"),
			       jstr(x, "reason"), jstr(x, "mode"), jstr(x, "matched"), jstr(x, "field"),
			       jint(x, "start"), jint(x, "end"));
	}
	out_fprint(stdout, "decisions:%s\n", json_array_size(json_object_get(o, "decisions")) ? "" : " none");
	json_array_foreach(json_object_get(o, "decisions"), i, x) {
		out_fprint(stdout, "  %s %-14s %-10s %-12s %s", jstr(x, "at"), jstr(x, "stage"), jstr(x, "kind"),
		       jstr(x, "reviewer"), jstr(x, "verdict"));
		if (*jstr(x, "reason"))
			out_fprint(stdout, " (%s)", jstr(x, "reason"));
		if (*jstr(x, "note"))
			out_fprint(stdout, " \"%s\"", jstr(x, "note"));
		if (json_integer_value(json_object_get(x, "carried_from")))
			out_fprint(stdout, " [carried from decision %lld]", jint(x, "carried_from"));
		if (!jint(x, "current"))
			out_fprint(stdout, " [superseded]");
		putchar('\n');
	}
	json_array_foreach(json_object_get(o, "flags"), i, x)
		out_fprint(stdout, "flag: %s at %s, citation %lld (%s)\n", jstr(x, "kind"), jstr(x, "stage"),
		       jint(x, "other"), jint(x, "open") ? "open" : "answered");
	if (*jstr(o, "abstract"))
		out_fprint(stdout, "\n%s\n", jstr(o, "abstract"));
	json_decref(o);
	return 0;
}

/* ---- batch ------------------------------------------------------------ */

static int screen_batch(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *reviewer = NULL, *stage = NULL, *output = NULL, *order = NULL;
	long long size = 0, seed = 0, reprint = 0, sample = 0;
	struct opt opts[] = {
		OPT_STRING(0, "reviewer", &reviewer, "NAME", "the reviewer"),
		OPT_STRING(0, "stage", &stage, "STAGE", "title-abstract or full-text"),
		OPT_INT(0, "size", &size, "N", "citations to assign"),
		OPT_INT(0, "seed", &seed, "S", "seed of the order (default 0)"),
		OPT_STRING(0, "order", &order, "ORDER", "random or priority (default: the protocol's screening.order)"),
		OPT_INT(0, "stopping-sample", &sample, "N", "a random sample of N unscreened citations for the stopping rule"),
		OPT_INT(0, "reprint", &reprint, "BATCH", "write batch BATCH again"),
		OPT_STRING('o', "output", &output, "FILE", "write the batch file to FILE"),
		OPT_END(),
	};
	struct screen_batch_opts o;
	struct screen_ranking ranking;
	int ranked = 0;
	const char **args;
	char *data = NULL;
	size_t len = 0, count;
	int64_t batch;
	FILE *mem;
	int rc = opt_parse(argc, argv, opts, batch_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "batch takes options only");
	if ((rc = need_protocol(ctx, "screen batch")) < 0)
		return rc;
	if (size < 0 || seed < 0 || sample < 0)
		return lsr_error_set(LSR_EUSAGE, "--size, --seed and --stopping-sample must not be negative");
	if (order && strcmp(order, "random") && strcmp(order, "priority"))
		return lsr_error_set(LSR_EUSAGE, "--order takes random or priority, not '%s'", order);
	if (!order)
		order = ctx->protocol->screening_order ? ctx->protocol->screening_order : "random";
	if (sample && size)
		return lsr_error_set(LSR_EUSAGE, "--stopping-sample N is the batch's size: leave out --size");
	if (sample)
		size = sample;
	if ((sample || !strcmp(order, "priority")) && stage && strcmp(stage, SCREEN_STAGE_TA)) {
		if (sample)
			return lsr_error_set(LSR_EUSAGE, "--stopping-sample goes with --stage title-abstract");
		order = "random"; /* priority order is a title-abstract matter */
	}
	if (reprint && (reviewer || stage || size || seed))
		return lsr_error_set(LSR_EUSAGE, "--reprint writes a batch again as it was made; it takes no --reviewer, --stage, --size or --seed");
	if (!reprint && !stage)
		return lsr_error_set(LSR_EUSAGE, "a batch needs --stage title-abstract or full-text");
	mem = open_memstream(&data, &len);
	if (!mem)
		return lsr_error_oom();
	if (reprint) {
		rc = screen_batch_write(ctx->db, reprint, mem);
		fclose(mem);
		if (rc == 0)
			rc = outfile_write_all(output, data, len);
		free(data);
		return rc;
	}
	memset(&o, 0, sizeof(o));
	o.reviewer = reviewer;
	o.stage = stage;
	o.size = (size_t)size;
	o.seed = (uint64_t)seed;
	o.file = output;
	/* the assignment is committed only once its file is complete */
	if ((rc = db_txn_begin(ctx->db)) < 0) {
		fclose(mem);
		free(data);
		return rc;
	}
	if (stage && !strcmp(stage, SCREEN_STAGE_TA) && (sample || !strcmp(order, "priority")) &&
	    reviewer) {
		/* the rules first, so that the prior order sees their suggestions */
		rc = screen_rules_run(ctx->db, ctx->protocol, SCREEN_RULES_ONLY_NEW, 0, NULL);
		if (rc == 0)
			rc = sample ? screen_ranking_sample(&ranking, ctx->db, (uint64_t)seed)
				    : screen_ranking_make(&ranking, ctx->db, ctx->protocol, reviewer,
							  (uint64_t)seed, &ctx->progress);
		progress_cli_done(); /* the progress line goes before the batch */
		if (rc < 0) {
			db_txn_rollback(ctx->db);
			fclose(mem);
			free(data);
			return rc;
		}
		ranked = 1;
		o.ranking = &ranking;
	}
	rc = screen_batch_create(ctx->db, ctx->protocol, &o, mem, &batch, &count);
	if (rc == 0 && ranked && count)
		rc = screen_ranking_record_batch(ctx->db, &ranking, batch);
	if (ranked)
		screen_ranking_release(&ranking);
	fclose(mem);
	if (rc == 0 && count)
		rc = outfile_write_all(output, data, len);
	if (rc == 0)
		rc = db_txn_commit(ctx->db);
	else
		db_txn_rollback(ctx->db);
	if (rc == 0 && count == 0)
		ctx_info(ctx, "no citations left to assign to '%s' at %s", reviewer, stage);
	else if (rc == 0) {
		const char *how = sample ? ", stopping sample" : ranked ? ", priority order" : "";

		if (output)
			out_done(ctx, "batch %lld: %zu citation%s for %s at %s (seed %lld%s) in %s",
				 (long long)batch, count, count == 1 ? "" : "s", reviewer, stage,
				 seed, how, output);
		else
			ctx_info(ctx, "batch %lld: %zu citation%s for %s at %s (seed %lld%s)",
				 (long long)batch, count, count == 1 ? "" : "s", reviewer, stage,
				 seed, how);
	}
	free(data);
	return rc;
}

/* ---- import ----------------------------------------------------------- */

static int screen_import_cmd(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *reviewer = NULL;
	int json = 0;
	struct opt opts[] = {
		OPT_STRING(0, "reviewer", &reviewer, "NAME", "whose decisions the file holds"),
		OPT_BOOL(0, "json", &json, "one JSON object"),
		OPT_END(),
	};
	struct screen_import_result r;
	const char **args;
	int rc = opt_parse(argc, argv, opts, import_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc != 1)
		return lsr_error_set(LSR_EUSAGE, "import needs one batch file");
	if ((rc = need_protocol(ctx, "screen import")) < 0)
		return rc;
	if (!reviewer)
		return lsr_error_set(LSR_EUSAGE, "import needs --reviewer NAME");
	if ((rc = screen_import(ctx->db, ctx->protocol, args[0], reviewer, &r)) < 0)
		return rc;
	if (json)
		return out_json_doc(json_pack("{s:i,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "schema_version", 1,
			"file", args[0], "reviewer", reviewer, "import", (json_int_t)r.import_id,
			"rows", (json_int_t)r.rows, "decisions", (json_int_t)r.decisions,
			"unchanged", (json_int_t)r.unchanged, "blank", (json_int_t)r.blank));
	printf("%s: %zu row%s from %s: %zu decision%s stored, %zu unchanged, %zu blank (import %lld)\n",
	       args[0], r.rows, r.rows == 1 ? "" : "s", reviewer, r.decisions,
	       r.decisions == 1 ? "" : "s", r.unchanged, r.blank, (long long)r.import_id);
	return 0;
}

/* ---- status ----------------------------------------------------------- */

static void print_exclusions(json_t *arr)
{
	size_t i;
	json_t *x;

	json_array_foreach(arr, i, x)
		printf("    %-24s %6lld  (%s)\n", jstr(x, "reason"), jint(x, "count"),
		       *jstr(x, "decided_by") ? jstr(x, "decided_by") : "-");
}

static void print_num(double x, int prec, const char *suffix)
{
	if (isfinite(x))
		printf("%.*f%s", prec, x, suffix);
	else
		printf("n/a");
}

/* The stopping rule's figures (rank.h). */
static void print_stopping(json_t *s)
{
	json_t *sm = json_object_get(s, "sample");

	printf("stopping rule (recall >= %g%%, confidence %g%%): %lld of %lld citations screened (%lld in priority order), %lld includes found; p = %.4g, %s\n",
	       json_number_value(json_object_get(s, "recall_target")) * 100,
	       json_number_value(json_object_get(s, "confidence")) * 100, jint(s, "screened"),
	       jint(s, "population"), jint(s, "screened_in_priority_order"),
	       jint(s, "includes_found"), json_number_value(json_object_get(s, "p")),
	       !json_is_true(json_object_get(s, "met")) ? "not met"
	       : jint(s, "screened") < jint(s, "population") ? "met (lsr screen stop may exclude the rest)"
							   : "met (nothing left to screen)");
	if (json_is_object(sm)) {
		printf("  stopping sample (batch %lld): %lld of %lld unscreened citations, %lld includes",
		       jint(sm, "batch"), jint(sm, "size"), jint(sm, "population"), jint(sm, "includes"));
		if (jint(sm, "undecided"))
			printf(", %lld not decided yet\n", jint(sm, "undecided"));
		else
			printf("; p = %.4g, %s\n", json_number_value(json_object_get(sm, "p")),
			       json_is_true(json_object_get(sm, "met")) ? "met" : "not met");
	}
}

static int screen_status(int argc, const char **argv, struct lsr_ctx *ctx)
{
	double recall = 0.95, confidence = 0.95;
	int json = 0;
	struct opt opts[] = {
		OPT_DOUBLE(0, "recall", &recall, "R", "stopping rule: the recall target (default 0.95)"),
		OPT_DOUBLE(0, "confidence", &confidence, "C", "stopping rule: the confidence (default 0.95)"),
		OPT_BOOL(0, "json", &json, "one JSON object"),
		OPT_END(),
	};
	json_t *o, *ta, *ft, *x, *stopping;
	const char **args;
	size_t i;
	int rc = opt_parse(argc, argv, opts, status_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "status takes options only");
	if ((rc = screen_status_stopping_json(ctx->db, recall, confidence, &o, &stopping)) < 0)
		return rc;
	json_object_set_new(o, "stopping", stopping);
	if (json)
		return out_json_doc(o);
	ta = json_object_get(o, "title_abstract");
	ft = json_object_get(o, "full_text");
	printf("title-abstract: %lld citations, %lld for people to screen: %lld included, %lld excluded (%lld by reviewers, %lld by automation), %lld pending, %lld in conflict\n",
	       jint(ta, "citations"), jint(ta, "screened"), jint(ta, "included"),
	       jint(ta, "excluded"), jint(ta, "excluded_by_reviewers"),
	       jint(ta, "excluded_by_automation"), jint(ta, "pending"), jint(ta, "conflicts"));
	if (jint(ta, "excluded_by_stopping_rule"))
		printf("  of the excluded, %lld not screened: the stopping rule (lsr screen stop)\n",
		       jint(ta, "excluded_by_stopping_rule"));
	print_exclusions(json_object_get(ta, "exclusions"));
	printf("full-text: %lld reports sought, %lld awaiting retrieval, %lld not retrieved, %lld assessed: %lld included, %lld excluded, %lld pending, %lld in conflict\n",
	       jint(ft, "reports_sought"), jint(ft, "awaiting_retrieval"),
	       jint(ft, "not_retrieved"), jint(ft, "assessed"), jint(ft, "included"),
	       jint(ft, "excluded"), jint(ft, "pending"), jint(ft, "conflicts"));
	print_exclusions(json_object_get(ft, "exclusions"));
	json_array_foreach(json_object_get(ft, "not_retrieved_reasons"), i, x)
		printf("    not retrieved: %-16s %6lld\n", jstr(x, "reason"), jint(x, "count"));
	if (json_array_size(json_object_get(o, "reviewers")))
		printf("reviewers:\n");
	json_array_foreach(json_object_get(o, "reviewers"), i, x)
		printf("  %-14s %-16s assigned %6lld  decided %6lld  remaining %6lld\n",
		       jstr(x, "stage"), jstr(x, "reviewer"), jint(x, "assigned"), jint(x, "decided"),
		       jint(x, "remaining"));
	if (json_array_size(json_object_get(o, "agreement")))
		printf("agreement (first decisions; kappa on include/exclude/maybe):\n");
	json_array_foreach(json_object_get(o, "agreement"), i, x) {
		json_t *rv = json_object_get(x, "reviewers");

		printf("  %-14s %s / %s: n %lld, ", jstr(x, "stage"),
		       json_string_value(json_array_get(rv, 0)), json_string_value(json_array_get(rv, 1)),
		       jint(x, "n"));
		print_num(json_number_value(json_object_get(x, "percent_agreement")), 1, "%");
		printf(", kappa ");
		print_num(json_is_number(json_object_get(x, "kappa"))
				  ? json_number_value(json_object_get(x, "kappa")) : NAN, 3, "");
		if (json_is_number(json_object_get(x, "kappa_ci_lb"))) {
			printf(" (95%% CI ");
			print_num(json_number_value(json_object_get(x, "kappa_ci_lb")), 3, "");
			printf(" to ");
			print_num(json_number_value(json_object_get(x, "kappa_ci_ub")), 3, "");
			printf(")");
		}
		printf(", AC1 ");
		print_num(json_is_number(json_object_get(x, "ac1"))
				  ? json_number_value(json_object_get(x, "ac1")) : NAN, 3, "");
		putchar('\n');
	}
	print_stopping(stopping);
	if (jint(o, "second_looks"))
		printf("split citations flagged for a second look: %lld\n", jint(o, "second_looks"));
	printf("studies: %lld (%lld reports)\n", jint(o, "studies"), jint(o, "reports_of_studies"));
	json_decref(o);
	return 0;
}

/* ---- conflicts, resolve ------------------------------------------------ */

static int screen_conflicts(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "json", &json, "JSON Lines, one object per citation and stage"),
		OPT_END(),
	};
	json_t *arr, *x, *d;
	const char **args;
	size_t i, k;
	int rc = opt_parse(argc, argv, opts, conflicts_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "conflicts takes options only");
	if ((rc = screen_conflicts_json(ctx->db, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, x) {
		if (json) {
			if ((rc = out_json_line(json_incref(x))) < 0)
				break;
			continue;
		}
		printf("%6lld  %-14s %-12s %s\n", jint(x, "id"), jstr(x, "stage"), jstr(x, "kind"),
		       jstr(x, "title"));
		printf("        ");
		json_array_foreach(json_object_get(x, "decisions"), k, d) {
			printf("%s%s: %s", k ? "; " : "", jstr(d, "reviewer"), jstr(d, "verdict"));
			if (*jstr(d, "reason"))
				printf(" (%s)", jstr(d, "reason"));
		}
		if (!strcmp(jstr(x, "kind"), "merge"))
			printf("%s(merged citations carried differing decisions)",
			       json_array_size(json_object_get(x, "decisions")) ? "; " : "");
		if (!strcmp(jstr(x, "kind"), "split"))
			printf("%s(split from another citation: decisions carried over)",
			       json_array_size(json_object_get(x, "decisions")) ? "; " : "");
		putchar('\n');
	}
	if (!json && rc == 0)
		ctx_info(ctx, "%zu citation%s need%s an arbiter", json_array_size(arr),
			 json_array_size(arr) == 1 ? "" : "s", json_array_size(arr) == 1 ? "s" : "");
	json_decref(arr);
	return rc;
}

static int screen_resolve_cmd(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *verdict = NULL, *reason = NULL, *note = NULL, *stage = NULL, *by = NULL;
	struct opt opts[] = {
		OPT_STRING(0, "verdict", &verdict, "V", "include, exclude or maybe"),
		OPT_STRING(0, "reason", &reason, "R", "exclusion reason code"),
		OPT_STRING(0, "note", &note, "TEXT", "a note kept with the decision"),
		OPT_STRING(0, "stage", &stage, "STAGE", "title-abstract or full-text (default: the citation's)"),
		OPT_STRING(0, "by", &by, "NAME", "the arbiter (third reviewer or consensus)"),
		OPT_END(),
	};
	const char **args, *resolved_at;
	int64_t id;
	int rc = opt_parse(argc, argv, opts, resolve_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc != 1)
		return lsr_error_set(LSR_EUSAGE, "resolve needs one citation id");
	if ((rc = need_protocol(ctx, "screen resolve")) < 0)
		return rc;
	if (!verdict)
		return lsr_error_set(LSR_EUSAGE, "resolve needs --verdict include, exclude or maybe");
	if ((rc = parse_id(args[0], &id)) < 0)
		return rc;
	if ((rc = screen_resolve(ctx->db, ctx->protocol, id, stage, verdict, reason, note, by,
				 &resolved_at)) < 0)
		return rc;
	out_done(ctx, "citation %lld: %s resolved: %s%s%s%s by %s", (long long)id, resolved_at, verdict,
		 reason ? " (" : "", reason ? reason : "", reason ? ")" : "", by);
	return 0;
}

/* ---- full text -------------------------------------------------------- */

static int screen_fulltext(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *file = NULL, *not_retrieved = NULL;
	int retrieved = 0, json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "retrieved", &retrieved, "the full text was retrieved"),
		OPT_STRING(0, "file", &file, "PATH", "where the full text is kept"),
		OPT_STRING(0, "not-retrieved", &not_retrieved, "REASON", "it could not be retrieved, and why"),
		OPT_BOOL(0, "json", &json, "the list: JSON Lines, one object per report"),
		OPT_END(),
	};
	const char **args;
	int64_t *ids;
	int n = opt_parse(argc, argv, opts, fulltext_usage, &args), rc;

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n == 0) {
		json_t *arr, *x;
		size_t i;

		if (retrieved || not_retrieved || file)
			return lsr_error_set(LSR_EUSAGE, "fulltext --retrieved/--not-retrieved needs a citation id");
		if ((rc = screen_reports_json(ctx->db, &arr)) < 0)
			return rc;
		json_array_foreach(arr, i, x) {
			if (json) {
				if ((rc = out_json_line(json_incref(x))) < 0)
					break;
				continue;
			}
			printf("%6lld  %-18s %-20s %s\n", jint(x, "id"), jstr(x, "status"),
			       *jstr(x, "reason") ? jstr(x, "reason")
				   : *jstr(x, "retrieval_reason") ? jstr(x, "retrieval_reason")
				   : *jstr(x, "study") ? jstr(x, "study") : "-", jstr(x, "title"));
		}
		json_decref(arr);
		return rc;
	}
	if (json)
		return lsr_error_set(LSR_EUSAGE, "--json goes with the list (fulltext without an ID)");
	if (!retrieved == !not_retrieved)
		return lsr_error_set(LSR_EUSAGE, "fulltext needs --retrieved [--file PATH] or --not-retrieved REASON");
	if (file && !retrieved)
		return lsr_error_set(LSR_EUSAGE, "--file goes with --retrieved");
	if (file && n != 1)
		return lsr_error_set(LSR_EUSAGE, "--file names the full text of one citation, not %d", n);
	/* several ids: all recorded or none */
	if (!(ids = calloc((size_t)n, sizeof(*ids))))
		return lsr_error_oom();
	for (int i = 0; i < n; i++)
		if ((rc = parse_id(args[i], &ids[i])) < 0) {
			free(ids);
			return rc;
		}
	rc = screen_fulltext_record_many(ctx->db, ids, (size_t)n, retrieved, file, not_retrieved);
	free(ids);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		if (retrieved)
			out_done(ctx, "citation %s: full text retrieved%s%s", args[i],
				 file ? ": " : "", file ? file : "");
		else
			out_done(ctx, "citation %s: full text not retrieved: %s", args[i], not_retrieved);
	}
	return 0;
}

/* ---- rank, stop --------------------------------------------------------- */

static int screen_rank(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *reviewer = NULL, *explain = NULL;
	long long seed = 0, top = 20;
	int json = 0;
	struct opt opts[] = {
		OPT_STRING(0, "reviewer", &reviewer, "NAME", "whose order (their decisions and the resolved ones train it)"),
		OPT_INT(0, "seed", &seed, "S", "seed (default 0)"),
		OPT_INT(0, "top", &top, "N", "citations listed (default 20)"),
		OPT_STRING(0, "explain", &explain, "ID", "the score of citation ID and the terms behind it"),
		OPT_BOOL(0, "json", &json, "one JSON object"),
		OPT_END(),
	};
	const char **args;
	int64_t id = 0;
	json_t *o, *x, *e;
	size_t i;
	int rc = opt_parse(argc, argv, opts, rank_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "rank takes options only");
	if ((rc = need_protocol(ctx, "screen rank")) < 0)
		return rc;
	if (!reviewer)
		return lsr_error_set(LSR_EUSAGE, "rank needs --reviewer NAME");
	if (seed < 0 || top < 0)
		return lsr_error_set(LSR_EUSAGE, "--seed and --top must not be negative");
	if (explain && (rc = parse_id(explain, &id)) < 0)
		return rc;
	rc = screen_rank_json(ctx->db, ctx->protocol, reviewer, (uint64_t)seed, id, (size_t)top, &o,
			      &ctx->progress);
	progress_cli_done(); /* the progress line goes before the ranking */
	if (rc < 0)
		return rc;
	if (json)
		return out_json_doc(o);
	out_fprint(stdout, "ranking %lld for %s: %s (%s), trained on %lld citations (%lld includes); %lld to screen; inputs %.12s\n",
		   jint(o, "ranking"), reviewer, jstr(o, "model"), jstr(o, "library"),
		   jint(o, "labelled"), jint(o, "includes"), jint(o, "candidates"),
		   jstr(o, "inputs_hash"));
	e = json_object_get(o, "explain");
	if (!e) {
		json_array_foreach(json_object_get(o, "order"), i, x) {
			json_t *sc = json_object_get(x, "score");

			if (json_is_number(sc))
				out_fprint(stdout, "%6lld  %8lld  %+.4f\n", jint(x, "position"), jint(x, "id"),
					   json_number_value(sc));
			else
				out_fprint(stdout, "%6lld  %8lld\n", jint(x, "position"), jint(x, "id"));
		}
	} else {
		out_fprint(stdout, "citation %lld: %s\n", jint(e, "id"), jstr(e, "title"));
		if (json_is_number(json_object_get(e, "position")))
			out_fprint(stdout, "position %lld of %lld", jint(e, "position"), jint(o, "candidates"));
		else
			out_fprint(stdout, "not ranked (already decided or not pending)");
		if (json_is_number(json_object_get(e, "score")))
			out_fprint(stdout, "; score %+.4f (intercept %+.4f)%s\n",
				   json_number_value(json_object_get(e, "score")),
				   json_number_value(json_object_get(e, "bias")),
				   !strcmp(jstr(e, "model"), "mean")
					   ? "; no abstract: the mean of the full model and the title model"
					   : "");
		else
			out_fprint(stdout, "; no model yet (the prior order)\n");
		out_fprint(stdout, "terms pushing it up:%s\n",
			   json_array_size(json_object_get(e, "up")) ? "" : " none");
		json_array_foreach(json_object_get(e, "up"), i, x)
			if (i < (size_t)top)
				out_fprint(stdout, "  %+.4f  %s\n",
					   json_number_value(json_object_get(x, "contribution")), jstr(x, "term"));
		out_fprint(stdout, "terms pushing it down:%s\n",
			   json_array_size(json_object_get(e, "down")) ? "" : " none");
		json_array_foreach(json_object_get(e, "down"), i, x)
			if (i < (size_t)top)
				out_fprint(stdout, "  %+.4f  %s\n",
					   json_number_value(json_object_get(x, "contribution")), jstr(x, "term"));
	}
	json_decref(o);
	return 0;
}

static int screen_stop_cmd(int argc, const char **argv, struct lsr_ctx *ctx)
{
	double recall = -1, confidence = -1;
	int json = 0, sample = 0;
	struct opt opts[] = {
		OPT_DOUBLE(0, "recall", &recall, "R", "the recall target, e.g. 0.95"),
		OPT_DOUBLE(0, "confidence", &confidence, "C", "the confidence, e.g. 0.95"),
		OPT_BOOL(0, "sample", &sample, "test the latest stopping sample (lsr screen batch --stopping-sample)"),
		OPT_BOOL(0, "json", &json, "one JSON object"),
		OPT_END(),
	};
	const char **args;
	json_t *o;
	int rc = opt_parse(argc, argv, opts, stop_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "stop takes options only");
	if (recall < 0 || confidence < 0)
		return lsr_error_set(LSR_EUSAGE, "stop needs --recall R and --confidence C (e.g. 0.95 and 0.95)");
	if ((rc = screen_stop(ctx->db, recall, confidence, sample, &o)) < 0)
		return rc;
	if (json) {
		json_object_set_new(o, "schema_version", json_integer(1));
		return out_json_doc(o);
	}
	out_done(ctx, "stop %lld: %lld citation%s excluded by automation: %s",
		 jint(o, "stop"), jint(o, "excluded"), jint(o, "excluded") == 1 ? "" : "s",
		 jstr(o, "reason"));
	json_decref(o);
	return 0;
}

static const struct opt_subcommand screen_subcommands[] = {
	OPT_SUBCOMMAND("rules", screen_rules, rules_usage),
	OPT_SUBCOMMAND("explain", screen_explain, explain_usage),
	OPT_SUBCOMMAND("batch", screen_batch, batch_usage),
	OPT_SUBCOMMAND("import", screen_import_cmd, import_usage),
	OPT_SUBCOMMAND("status", screen_status, status_usage),
	OPT_SUBCOMMAND("conflicts", screen_conflicts, conflicts_usage),
	OPT_SUBCOMMAND("resolve", screen_resolve_cmd, resolve_usage),
	OPT_SUBCOMMAND("fulltext", screen_fulltext, fulltext_usage),
	OPT_SUBCOMMAND("rank", screen_rank, rank_usage),
	OPT_SUBCOMMAND("stop", screen_stop_cmd, stop_usage),
	OPT_SUBCOMMAND_END(),
};

int cmd_screen(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return opt_subcommand(argc, argv, screen_subcommands, ctx);
}
