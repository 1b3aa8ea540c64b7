/*
 * cmd_prisma.c - lsr prisma: the PRISMA 2020 flow numbers and diagram,
 * computed from the review database (report/prisma.h does the work).
 * docs/cmd/lsr-prisma.md is the manual.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../report/prisma.h"
#include "../util/err.h"
#include "../util/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const prisma_usage[] = {
	"lsr prisma [--json] [--svg FILE] [--update N | --cumulative]",
	NULL
};

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
	if (json) {
		rc = out_json_doc(prisma_json(&x));
	} else if ((rc = prisma_text(&b, &x)) == 0) {
		fwrite(b.s, 1, b.len, stdout);
		if (svg)
			printf("\ndiagram: %s\n", svg);
	}
out:
	buf_release(&b);
	prisma_release(&x);
	return rc;
}
