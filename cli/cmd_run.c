/*
 * cmd_run.c - lsr run: list runs, show one, withdraw one imported by
 * mistake (its records stay, flagged, and leave every count).
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../db/runs.h"
#include "../util/err.h"
#include "../util/num.h"

#include <string.h>

static const char *const default_usage[] = { "lsr run [--json]", NULL };
static const char *const list_usage[] = { "lsr run list [--json]", NULL };
static const char *const withdraw_usage[] = { "lsr run withdraw RUN --reason TEXT", NULL };

static int run_withdraw(int n, const char **args, const char *reason, struct lsr_ctx *ctx)
{
	int64_t id, nrecords;
	int rc;

	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "run withdraw needs one run id");
	if (!reason || !*reason)
		return lsr_error_set(LSR_EUSAGE, "run withdraw needs --reason TEXT");
	if ((rc = num_parse_id(&id, args[0], "run")) < 0 ||
	    (rc = db_run_withdraw(ctx->db, id, reason, &nrecords)) < 0)
		return rc;
	printf("withdrew run %lld: its %lld records stay in the database but leave every count\n",
	       (long long)id, (long long)nrecords);
	return 0;
}

static int print_run(const struct run_row *r, void *payload)
{
	const int *json = payload;

	if (*json)
		return out_json_line(json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:I, s:o, s:b, s:o, s:s}",
					       "id", (json_int_t)r->id, "source", r->source, "kind", r->kind,
					       "file_or_query", out_jstr(r->file_or_query),
					       "format", out_jstr(r->format), "started_at", r->started_at,
					       "status", r->status, "records", (json_int_t)r->records,
					       "sha256", out_jstr(r->file_hash),
					       "withdrawn", r->withdrawn_reason != NULL,
					       "withdrawn_reason", out_jstr(r->withdrawn_reason),
					       "actor", r->actor));
	printf("run %-4lld %-20s %-6s %-9s %6lld records  %s  %s", (long long)r->id, r->source,
	       r->kind, r->status, (long long)r->records, r->started_at,
	       r->file_or_query ? r->file_or_query : "");
	if (r->withdrawn_reason)
		printf("  [withdrawn: %s]", r->withdrawn_reason);
	printf("\n");
	return 0;
}

/* list (usage: the listing's), or 'lsr run' alone (usage: the default's) */
static int list_runs(int argc, const char **argv, struct lsr_ctx *ctx, const char *const *usage)
{
	int json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "json", &json, "JSON Lines, one object per run"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "run list takes no arguments");
	return db_runs_foreach(ctx->db, print_run, &json);
}

static int sub_default(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return list_runs(argc, argv, ctx, default_usage);
}

static int sub_list(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return list_runs(argc, argv, ctx, list_usage);
}

static int sub_withdraw(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *reason = NULL;
	struct opt opts[] = {
		OPT_STRING(0, "reason", &reason, "TEXT", "why the run is taken out"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, withdraw_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	return run_withdraw(n, args, reason, ctx);
}

static const struct opt_subcommand run_subcommands[] = {
	OPT_SUBCOMMAND_DEFAULT(sub_default, default_usage),
	OPT_SUBCOMMAND("list", sub_list, list_usage),
	OPT_SUBCOMMAND("withdraw", sub_withdraw, withdraw_usage),
	OPT_SUBCOMMAND_END(),
};

int cmd_run(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return opt_subcommand(argc, argv, run_subcommands, ctx);
}
