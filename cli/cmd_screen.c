/*
 * cmd_screen.c - lsr screen: PICOS rules, batches for independent
 * reviewers, their decisions, conflicts and resolutions, agreement, and
 * the full-text stage.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../screen/screen.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const screen_usage[] = {
	"lsr screen rules [--dry-run] [--threads N] [--json]",
	"lsr screen explain ID [--json]",
	"lsr screen batch --reviewer NAME --stage title-abstract|full-text --size N [--seed S] [-o FILE]",
	"lsr screen batch --reprint BATCH [-o FILE]",
	"lsr screen import FILE --reviewer NAME [--json]",
	"lsr screen status [--json]",
	"lsr screen conflicts [--json]",
	"lsr screen resolve ID --verdict include|exclude|maybe [--reason R] [--note TEXT] [--stage S] --by NAME",
	"lsr screen fulltext ID... --retrieved [--file PATH] | --not-retrieved REASON",
	"lsr screen fulltext [--json]",
	NULL
};

struct screen_args {
	int json, dry_run, retrieved;
	long long threads, size, seed, reprint;
	const char *reviewer, *stage, *output, *verdict, *reason, *note, *by, *file,
		*not_retrieved;
};

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v <= 0)
		return lsr_error_set(LSR_EUSAGE, "'%s' is not a citation id", s);
	*out = v;
	return 0;
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

static int do_rules(struct lsr_ctx *ctx, const struct screen_args *a)
{
	json_t *r, *rules, *reasons, *x;
	size_t i;
	unsigned flags = a->dry_run ? SCREEN_RULES_DRY_RUN : 0;
	int rc;

	if ((rc = need_protocol(ctx, "screen rules")) < 0)
		return rc;
	if ((rc = screen_rules_run(ctx->db, ctx->protocol, flags, (int)a->threads, &r)) < 0)
		return rc;
	if (a->json)
		return out_json_doc(r);
	rules = json_object_get(r, "rules");
	reasons = json_object_get(r, "reasons");
	printf("rule set %.12s: %zu rule%s on %lld citation%s not yet decided%s\n",
	       jstr(r, "ruleset"), json_array_size(rules), json_array_size(rules) == 1 ? "" : "s",
	       jint(r, "citations"), jint(r, "citations") == 1 ? "" : "s",
	       a->dry_run ? " (dry run: nothing stored)" : "");
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
	printf("%s: %s", stage, jstr(s, "status"));
	if (*jstr(s, "reason"))
		printf(" (%s)", jstr(s, "reason"));
	if (*jstr(s, "decided_by"))
		printf(", by %s", jstr(s, "decided_by"));
	if (*jstr(s, "rule"))
		printf(" (rule %s)", jstr(s, "rule"));
	if (*jstr(s, "conflict"))
		printf(" [%s]", jstr(s, "conflict"));
	if (*jstr(s, "retrieval_reason"))
		printf(" (%s)", jstr(s, "retrieval_reason"));
	if (*jstr(s, "file"))
		printf(", file %s", jstr(s, "file"));
	putchar('\n');
}

static int do_explain(struct lsr_ctx *ctx, int n, const char **args, const struct screen_args *a)
{
	json_t *o, *x;
	int64_t id;
	size_t i;
	int rc;

	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "explain needs one citation id");
	if ((rc = parse_id(args[0], &id)) < 0 || (rc = screen_explain_json(ctx->db, id, &o)) < 0)
		return rc;
	if (a->json)
		return out_json_doc(o);
	printf("citation %lld: %s\n", jint(o, "id"), jstr(o, "title"));
	if (json_object_get(o, "merged_from"))
		printf("(citation %lld was merged into it)\n", jint(o, "merged_from"));
	printf("%s %lld\n", jstr(o, "journal"), jint(o, "year"));
	print_status("title-abstract", json_object_get(o, "title_abstract"));
	print_status("full-text", json_object_get(o, "full_text"));
	if (json_is_object(json_object_get(o, "study")))
		printf("study: %s\n", jstr(json_object_get(o, "study"), "label"));
	printf("rule hits:%s\n", json_array_size(json_object_get(o, "hits")) ? "" : " none");
	json_array_foreach(json_object_get(o, "hits"), i, x) {
		if (*jstr(x, "error"))
			printf("  %s (%s, %s): not evaluated in %s: %s\n", jstr(x, "rule"),
			       jstr(x, "reason"), jstr(x, "mode"), jstr(x, "field"), jstr(x, "error"));
		else
			printf("  %s (%s, %s): '%s' in %s [%lld, %lld)\n", jstr(x, "rule"),
			       jstr(x, "reason"), jstr(x, "mode"), jstr(x, "matched"), jstr(x, "field"),
			       jint(x, "start"), jint(x, "end"));
	}
	printf("decisions:%s\n", json_array_size(json_object_get(o, "decisions")) ? "" : " none");
	json_array_foreach(json_object_get(o, "decisions"), i, x) {
		printf("  %s %-14s %-10s %-12s %s", jstr(x, "at"), jstr(x, "stage"), jstr(x, "kind"),
		       jstr(x, "reviewer"), jstr(x, "verdict"));
		if (*jstr(x, "reason"))
			printf(" (%s)", jstr(x, "reason"));
		if (*jstr(x, "note"))
			printf(" \"%s\"", jstr(x, "note"));
		if (json_integer_value(json_object_get(x, "carried_from")))
			printf(" [carried from decision %lld]", jint(x, "carried_from"));
		if (!jint(x, "current"))
			printf(" [superseded]");
		putchar('\n');
	}
	json_array_foreach(json_object_get(o, "flags"), i, x)
		printf("flag: %s at %s, citation %lld (%s)\n", jstr(x, "kind"), jstr(x, "stage"),
		       jint(x, "other"), jint(x, "open") ? "open" : "answered");
	if (*jstr(o, "abstract"))
		printf("\n%s\n", jstr(o, "abstract"));
	json_decref(o);
	return 0;
}

/* ---- batch ------------------------------------------------------------ */

static int write_out(const char *path, const char *data, size_t len)
{
	FILE *f = path ? fopen(path, "w") : stdout;

	if (!f)
		return lsr_error_set(LSR_ERROR, "cannot write '%s': %s", path, strerror(errno));
	fwrite(data, 1, len, f);
	if (f != stdout) {
		if (fclose(f) != 0)
			return lsr_error_set(LSR_ERROR, "cannot write '%s': %s", path, strerror(errno));
	}
	return 0;
}

static int do_batch(struct lsr_ctx *ctx, int n, const struct screen_args *a)
{
	struct screen_batch_opts o;
	char *data = NULL;
	size_t len = 0, count;
	int64_t batch;
	FILE *mem;
	int rc;

	if (n != 0)
		return lsr_error_set(LSR_EUSAGE, "batch takes options only");
	if ((rc = need_protocol(ctx, "screen batch")) < 0)
		return rc;
	if (a->size < 0 || a->seed < 0)
		return lsr_error_set(LSR_EUSAGE, "--size and --seed must not be negative");
	mem = open_memstream(&data, &len);
	if (!mem)
		return lsr_error_oom();
	if (a->reprint) {
		rc = screen_batch_write(ctx->db, a->reprint, mem);
		fclose(mem);
		if (rc == 0)
			rc = write_out(a->output, data, len);
		free(data);
		return rc;
	}
	memset(&o, 0, sizeof(o));
	o.reviewer = a->reviewer;
	o.stage = a->stage;
	o.size = (size_t)a->size;
	o.seed = (uint64_t)a->seed;
	o.file = a->output;
	if (!a->stage) {
		fclose(mem);
		free(data);
		return lsr_error_set(LSR_EUSAGE, "a batch needs --stage title-abstract or full-text");
	}
	rc = screen_batch_create(ctx->db, ctx->protocol, &o, mem, &batch, &count);
	fclose(mem);
	if (rc == 0 && count == 0)
		ctx_info(ctx, "no citations left to assign to '%s' at %s", a->reviewer, a->stage);
	else if (rc == 0) {
		rc = write_out(a->output, data, len);
		if (rc == 0 && a->output)
			printf("batch %lld: %zu citation%s for %s at %s (seed %lld) in %s\n",
			       (long long)batch, count, count == 1 ? "" : "s", a->reviewer, a->stage,
			       a->seed, a->output);
		else if (rc == 0)
			ctx_info(ctx, "batch %lld: %zu citation%s for %s at %s (seed %lld)",
				 (long long)batch, count, count == 1 ? "" : "s", a->reviewer, a->stage,
				 a->seed);
	}
	free(data);
	return rc;
}

/* ---- import ----------------------------------------------------------- */

static int do_import(struct lsr_ctx *ctx, int n, const char **args, const struct screen_args *a)
{
	struct screen_import_result r;
	int rc;

	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "import needs one batch file");
	if ((rc = need_protocol(ctx, "screen import")) < 0)
		return rc;
	if (!a->reviewer)
		return lsr_error_set(LSR_EUSAGE, "import needs --reviewer NAME");
	if ((rc = screen_import(ctx->db, ctx->protocol, args[0], a->reviewer, &r)) < 0)
		return rc;
	if (a->json)
		return out_json_doc(json_pack("{s:i,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "schema_version", 1,
			"file", args[0], "reviewer", a->reviewer, "import", (json_int_t)r.import_id,
			"rows", (json_int_t)r.rows, "decisions", (json_int_t)r.decisions,
			"unchanged", (json_int_t)r.unchanged, "blank", (json_int_t)r.blank));
	printf("%s: %zu row%s from %s: %zu decision%s stored, %zu unchanged, %zu blank (import %lld)\n",
	       args[0], r.rows, r.rows == 1 ? "" : "s", a->reviewer, r.decisions,
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

static int do_status(struct lsr_ctx *ctx, const struct screen_args *a)
{
	json_t *o, *ta, *ft, *x;
	size_t i;
	int rc;

	if ((rc = screen_status_json(ctx->db, &o)) < 0)
		return rc;
	if (a->json)
		return out_json_doc(o);
	ta = json_object_get(o, "title_abstract");
	ft = json_object_get(o, "full_text");
	printf("title-abstract: %lld citations, %lld screened by people: %lld included, %lld excluded (%lld by reviewers, %lld by automation), %lld pending, %lld in conflict\n",
	       jint(ta, "citations"), jint(ta, "screened"), jint(ta, "included"),
	       jint(ta, "excluded"), jint(ta, "excluded_by_reviewers"),
	       jint(ta, "excluded_by_automation"), jint(ta, "pending"), jint(ta, "conflicts"));
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
	if (jint(o, "second_looks"))
		printf("split citations flagged for a second look: %lld\n", jint(o, "second_looks"));
	printf("studies: %lld (%lld reports)\n", jint(o, "studies"), jint(o, "reports_of_studies"));
	json_decref(o);
	return 0;
}

/* ---- conflicts, resolve ------------------------------------------------ */

static int do_conflicts(struct lsr_ctx *ctx, const struct screen_args *a)
{
	json_t *arr, *x, *d;
	size_t i, k;
	int rc = 0;

	if ((rc = screen_conflicts_json(ctx->db, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, x) {
		if (a->json) {
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
	if (!a->json && rc == 0)
		ctx_info(ctx, "%zu citation%s need%s an arbiter", json_array_size(arr),
			 json_array_size(arr) == 1 ? "" : "s", json_array_size(arr) == 1 ? "s" : "");
	json_decref(arr);
	return rc;
}

static int do_resolve(struct lsr_ctx *ctx, int n, const char **args, const struct screen_args *a)
{
	const char *stage;
	int64_t id;
	int rc;

	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "resolve needs one citation id");
	if ((rc = need_protocol(ctx, "screen resolve")) < 0)
		return rc;
	if (!a->verdict)
		return lsr_error_set(LSR_EUSAGE, "resolve needs --verdict include, exclude or maybe");
	if ((rc = parse_id(args[0], &id)) < 0)
		return rc;
	if ((rc = screen_resolve(ctx->db, ctx->protocol, id, a->stage, a->verdict, a->reason,
				 a->note, a->by, &stage)) < 0)
		return rc;
	printf("citation %lld: %s resolved: %s%s%s%s by %s\n", (long long)id, stage, a->verdict,
	       a->reason ? " (" : "", a->reason ? a->reason : "", a->reason ? ")" : "", a->by);
	return 0;
}

/* ---- full text -------------------------------------------------------- */

static int do_fulltext(struct lsr_ctx *ctx, int n, const char **args, const struct screen_args *a)
{
	int64_t id;
	int rc;

	if (n == 0) {
		json_t *arr, *x;
		size_t i;

		if (a->retrieved || a->not_retrieved)
			return lsr_error_set(LSR_EUSAGE, "fulltext --retrieved/--not-retrieved needs a citation id");
		if ((rc = screen_reports_json(ctx->db, &arr)) < 0)
			return rc;
		json_array_foreach(arr, i, x) {
			if (a->json) {
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
	if (!a->retrieved == !a->not_retrieved)
		return lsr_error_set(LSR_EUSAGE, "fulltext needs --retrieved [--file PATH] or --not-retrieved REASON");
	if (a->file && !a->retrieved)
		return lsr_error_set(LSR_EUSAGE, "--file goes with --retrieved");
	if (a->file && n != 1)
		return lsr_error_set(LSR_EUSAGE, "--file names the full text of one citation, not %d", n);
	/* several ids: all recorded or none */
	if ((rc = db_txn_begin(ctx->db)) < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		if ((rc = parse_id(args[i], &id)) < 0 ||
		    (rc = screen_fulltext_record(ctx->db, id, a->retrieved, a->file, a->not_retrieved)) < 0) {
			db_txn_rollback(ctx->db);
			return rc;
		}
	}
	if ((rc = db_txn_commit(ctx->db)) < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		if (a->retrieved)
			printf("citation %s: full text retrieved%s%s\n", args[i],
			       a->file ? ": " : "", a->file ? a->file : "");
		else
			printf("citation %s: full text not retrieved: %s\n", args[i], a->not_retrieved);
	}
	return 0;
}

int cmd_screen(int argc, const char **argv, struct lsr_ctx *ctx)
{
	struct screen_args a;
	struct opt opts[] = {
		OPT_BOOL(0, "json", &a.json, "JSON output (status, rules, explain: one object; conflicts, fulltext: JSON Lines)"),
		OPT_BOOL(0, "dry-run", &a.dry_run, "rules: evaluate and count, store nothing"),
		OPT_INT(0, "threads", &a.threads, "N", "rules: threads (default 2)"),
		OPT_STRING(0, "reviewer", &a.reviewer, "NAME", "batch, import: the reviewer"),
		OPT_STRING(0, "stage", &a.stage, "STAGE", "batch, resolve: title-abstract or full-text"),
		OPT_INT(0, "size", &a.size, "N", "batch: citations to assign"),
		OPT_INT(0, "seed", &a.seed, "S", "batch: seed of the order (default 0)"),
		OPT_INT(0, "reprint", &a.reprint, "BATCH", "batch: write batch BATCH again"),
		OPT_STRING('o', "output", &a.output, "FILE", "batch: write the batch file to FILE"),
		OPT_STRING(0, "verdict", &a.verdict, "V", "resolve: include, exclude or maybe"),
		OPT_STRING(0, "reason", &a.reason, "R", "resolve: exclusion reason code"),
		OPT_STRING(0, "note", &a.note, "TEXT", "resolve: a note kept with the decision"),
		OPT_STRING(0, "by", &a.by, "NAME", "resolve: the arbiter (third reviewer or consensus)"),
		OPT_BOOL(0, "retrieved", &a.retrieved, "fulltext: the full text was retrieved"),
		OPT_STRING(0, "file", &a.file, "PATH", "fulltext: where the full text is kept"),
		OPT_STRING(0, "not-retrieved", &a.not_retrieved, "REASON", "fulltext: it could not be retrieved, and why"),
		OPT_END(),
	};
	const char **args;
	int n;

	memset(&a, 0, sizeof(a));
	n = opt_parse(argc, argv, opts, screen_usage, &args);
	if (n < 0 || n == OPT_HELP)
		return n;
	if (n == 0)
		return lsr_error_set(LSR_EUSAGE, "screen needs a subcommand (rules, explain, batch, import, status, conflicts, resolve or fulltext)");
	if (!strcmp(args[0], "rules"))
		return n == 1 ? do_rules(ctx, &a) : lsr_error_set(LSR_EUSAGE, "rules takes options only");
	if (!strcmp(args[0], "explain"))
		return do_explain(ctx, n - 1, args + 1, &a);
	if (!strcmp(args[0], "batch"))
		return do_batch(ctx, n - 1, &a);
	if (!strcmp(args[0], "import"))
		return do_import(ctx, n - 1, args + 1, &a);
	if (!strcmp(args[0], "status"))
		return n == 1 ? do_status(ctx, &a) : lsr_error_set(LSR_EUSAGE, "status takes options only");
	if (!strcmp(args[0], "conflicts"))
		return n == 1 ? do_conflicts(ctx, &a) : lsr_error_set(LSR_EUSAGE, "conflicts takes options only");
	if (!strcmp(args[0], "resolve"))
		return do_resolve(ctx, n - 1, args + 1, &a);
	if (!strcmp(args[0], "fulltext"))
		return do_fulltext(ctx, n - 1, args + 1, &a);
	return lsr_error_set(LSR_EUSAGE, "unknown screen subcommand '%s' (expected rules, explain, batch, import, status, conflicts, resolve or fulltext)",
			     args[0]);
}
