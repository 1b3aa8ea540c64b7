/*
 * cmd_run.c - lsr run: list runs, show one, withdraw one imported by
 * mistake (its records stay, flagged, and leave every count).
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <stdlib.h>
#include <string.h>

static const char *const run_usage[] = {
	"lsr run [list] [--json]",
	"lsr run withdraw RUN --reason TEXT",
	NULL
};

static int run_withdraw(int n, const char **args, const char *reason, struct lsr_ctx *ctx)
{
	sqlite3_stmt *st;
	char now[CLOCK_ISO_LEN], obj[48], *end, *detail;
	long long id;
	json_t *d;
	int rc;

	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "run withdraw needs one run id");
	if (!reason || !*reason)
		return lsr_error_set(LSR_EUSAGE, "run withdraw needs --reason TEXT");
	id = strtoll(args[0], &end, 10);
	if (!*args[0] || *end || id <= 0)
		return lsr_error_set(LSR_EUSAGE, "'%s' is not a run id", args[0]);
	if ((rc = db_txn_begin(ctx->db)) < 0)
		return rc;
	st = db_prepare(ctx->db, "SELECT (SELECT count(*) FROM runs WHERE id = ?1),"
				 " (SELECT count(*) FROM run_withdrawals WHERE run_id = ?1),"
				 " (SELECT count(*) FROM records WHERE run_id = ?1)");
	if (!st) {
		rc = lsr_error_last_code();
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(ctx->db, "SELECT run");
		goto fail;
	}
	if (!sqlite3_column_int(st, 0)) {
		sqlite3_reset(st);
		rc = lsr_error_set(LSR_ENOTFOUND, "no run %lld", id);
		goto fail;
	}
	if (sqlite3_column_int(st, 1)) {
		sqlite3_reset(st);
		rc = lsr_error_set(LSR_ERROR, "run %lld was already withdrawn", id);
		goto fail;
	}
	n = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	st = db_prepare(ctx->db, "INSERT INTO run_withdrawals(run_id, reason, actor, at) VALUES(?1, ?2, ?3, ?4)");
	if (!st) {
		rc = lsr_error_last_code();
		goto fail;
	}
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, reason);
	db_bind_text(st, 3, db_actor());
	db_bind_text(st, 4, now);
	if ((rc = db_step_done(ctx->db, st)) < 0)
		goto fail;
	snprintf(obj, sizeof(obj), "run %lld", id);
	d = json_pack("{s:s, s:i}", "reason", reason, "records", n);
	detail = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	rc = db_audit(ctx->db, "withdraw", obj, detail);
	free(detail);
	if (rc < 0)
		goto fail;
	if ((rc = db_txn_commit(ctx->db)) < 0)
		return rc;
	printf("withdrew run %lld: its %d records stay in the database but leave every count\n", id, n);
	return 0;
fail:
	db_txn_rollback(ctx->db);
	return rc;
}

static int run_list(int json, struct lsr_ctx *ctx)
{
	static const char sql[] =
		"SELECT u.id, s.name, u.kind, coalesce(u.file_name, u.query), u.format, u.started_at,"
		" u.status, u.count_records, u.file_hash, w.reason, u.actor"
		" FROM runs u JOIN sources s ON s.id = u.source_id"
		" LEFT JOIN run_withdrawals w ON w.run_id = u.id ORDER BY u.id";
	sqlite3_stmt *st = db_prepare(ctx->db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (json) {
			json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:I, s:o, s:b, s:o, s:s}",
					      "id", (json_int_t)sqlite3_column_int64(st, 0),
					      "source", sqlite3_column_text(st, 1),
					      "kind", sqlite3_column_text(st, 2),
					      "file_or_query", out_jstr((const char *)sqlite3_column_text(st, 3)),
					      "format", out_jstr((const char *)sqlite3_column_text(st, 4)),
					      "started_at", sqlite3_column_text(st, 5),
					      "status", sqlite3_column_text(st, 6),
					      "records", (json_int_t)sqlite3_column_int64(st, 7),
					      "sha256", out_jstr((const char *)sqlite3_column_text(st, 8)),
					      "withdrawn", sqlite3_column_type(st, 9) != SQLITE_NULL,
					      "withdrawn_reason", out_jstr((const char *)sqlite3_column_text(st, 9)),
					      "actor", sqlite3_column_text(st, 10));

			if ((rc = out_json_line(o)) < 0)
				break;
		} else {
			printf("run %-4lld %-20s %-6s %-9s %6lld records  %s  %s%s%s\n",
			       (long long)sqlite3_column_int64(st, 0),
			       (const char *)sqlite3_column_text(st, 1),
			       (const char *)sqlite3_column_text(st, 2),
			       (const char *)sqlite3_column_text(st, 6),
			       (long long)sqlite3_column_int64(st, 7),
			       (const char *)sqlite3_column_text(st, 5),
			       sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "",
			       sqlite3_column_type(st, 9) != SQLITE_NULL ? "  [withdrawn: " : "",
			       sqlite3_column_type(st, 9) != SQLITE_NULL ? (const char *)sqlite3_column_text(st, 9) : "");
			if (sqlite3_column_type(st, 9) != SQLITE_NULL)
				printf("]\n");
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW && rc >= 0)
		return db_error(ctx->db, sql);
	return rc < 0 ? rc : 0;
}

int cmd_run(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *reason = NULL;
	int json = 0;
	struct opt opts[] = {
		OPT_STRING(0, "reason", &reason, "TEXT", "withdraw: why the run is taken out"),
		OPT_BOOL(0, "json", &json, "list: JSON Lines"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, run_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n == 0 || !strcmp(args[0], "list"))
		return run_list(json, ctx);
	if (!strcmp(args[0], "withdraw"))
		return run_withdraw(n - 1, args + 1, reason, ctx);
	return lsr_error_set(LSR_EUSAGE, "unknown run subcommand '%s' (expected list or withdraw)", args[0]);
}
