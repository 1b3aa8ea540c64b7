/*
 * cmd_prisma.c - lsr prisma: the PRISMA 2020 flow numbers and diagram,
 * computed from the review database (report/prisma.h does the work).
 * docs/cmd/lsr-prisma.md is the manual.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../report/prisma.h"
#include "../db/runs.h"
#include "../util/err.h"
#include "../util/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const prisma_usage[] = {
	"lsr prisma [--json] [--svg FILE] [--update N | --cumulative]",
	NULL
};

/* The searches of the scope (one update, or all when update < 0): when each
 * source was searched (PRISMA-S), as JSON objects in arr. */
struct search_scope {
	int update;
	json_t *arr;
};

static int search_item(const struct run_row *u, void *payload)
{
	struct search_scope *sc = payload;

	if (u->withdrawn_reason || (sc->update >= 0 && u->update_no != sc->update))
		return 0;
	return json_array_append_new(sc->arr, json_pack("{s:s, s:I, s:s, s:o, s:o, s:I}",
		"source", u->source, "run", (json_int_t)u->id, "kind", u->kind,
		"searched", out_jstr(u->searched_on), "database_version", out_jstr(u->database_version),
		"records", (json_int_t)u->records_live)) < 0 ? lsr_error_oom() : 0;
}

int cmd_prisma(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *svg = NULL;
	int json = 0, cumulative = 0;
	long long update = -2;
	struct opt opts[] = {
		OPT_BOOL(0, "json", &json, "print one JSON object (the stable contract)"),
		OPT_STRING(0, "svg", &svg, "FILE", "write the PRISMA 2020 flow diagram as SVG"),
		OPT_INT(0, "update", &update, "N", "one update: 0 is the review as first done (updated-review template from 1)"),
		OPT_BOOL(0, "cumulative", &cumulative, "the whole review, all updates (the default)"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, prisma_usage, &args), rc;
	struct prisma x;
	struct buf b = BUF_INIT;
	struct search_scope sc = { 0, NULL };

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "prisma takes no arguments");
	if (cumulative && update != -2)
		return lsr_error_set(LSR_EUSAGE, "--update N and --cumulative exclude each other");
	if (update != -2 && (update < 0 || update > 1000000))
		return lsr_error_set(LSR_EUSAGE, "--update takes an update number (0, 1, ...), not %lld", update);
	if ((rc = prisma_compute(&x, ctx->db, ctx->protocol, update == -2 ? PRISMA_CUMULATIVE : (int)update)) < 0)
		return rc;
	if (x.reports_unlinked)
		ctx_warn(ctx, "%lld included report%s not linked to a study: studies are counted from linked reports ('lsr study link')",
			 (long long)x.reports_unlinked, x.reports_unlinked == 1 ? " is" : "s are");
	if (svg) {
		const char *title = ctx->protocol && ctx->protocol->title ? ctx->protocol->title : NULL;

		if ((rc = prisma_svg(&b, &x, title)) < 0 ||
		    (rc = outfile_write_all(svg, b.s, b.len)) < 0)
			goto out;
		buf_reset(&b);
	}
	sc.update = update == -2 ? -1 : (int)update;
	if (!(sc.arr = json_array())) {
		rc = lsr_error_oom();
		goto out;
	}
	if ((rc = db_runs_foreach(ctx->db, search_item, &sc)) < 0)
		goto out;
	if (json) {
		json_t *j = prisma_json(&x);

		json_object_set(j, "searches", sc.arr);
		rc = out_json_doc(j);
	} else if ((rc = prisma_text(&b, &x)) == 0) {
		size_t i;
		json_t *e;

		fwrite(b.s, 1, b.len, stdout);
		printf("\ndate of search:\n");
		json_array_foreach(sc.arr, i, e)
			printf("  %-24s %-12s run %lld\n", json_string_value(json_object_get(e, "source")),
			       json_is_string(json_object_get(e, "searched"))
				       ? json_string_value(json_object_get(e, "searched")) : "not recorded",
			       (long long)json_integer_value(json_object_get(e, "run")));
		if (svg)
			printf("\ndiagram: %s\n", svg);
	}
out:
	json_decref(sc.arr);
	buf_release(&b);
	prisma_release(&x);
	return rc;
}
