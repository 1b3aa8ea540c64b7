/*
 * cmd_report.c - lsr report: the review's self-contained HTML report
 * (report/report.c does the work).  docs/cmd/lsr-report.md is the manual.
 */
#include "lsr.h"
#include "opt.h"
#include "../report/report.h"
#include "../util/err.h"

#include <stdio.h>

static const char *const report_usage[] = { "lsr report -o DIR [--update N] [--[no-]png]", NULL };

int cmd_report(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *dir = NULL;
	long long update = -1;
	int png = REPORT_PNG_AUTO;
	struct opt opts[] = {
		OPT_STRING('o', "output", &dir, "DIR", "the directory to write index.html and the figures into"),
		OPT_INT(0, "update", &update, "N", "the report of update N (default: the latest)"),
		OPT_NEGBOOL(0, "png", &png, "each figure also as PNG by rsvg-convert (default: when it is on PATH)"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, report_usage, &args), rc;

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "report takes no arguments");
	if (!dir)
		return lsr_error_set(LSR_EUSAGE, "report needs -o DIR");
	if (update < -1 || update > 1000000)
		return lsr_error_set(LSR_EUSAGE, "--update takes an update number (0, 1, ...)");
	if ((rc = report_write(ctx->db, ctx->protocol, (int)update, dir, png)) < 0)
		return rc;
	printf("report written: %s/index.html\n", dir);
	return 0;
}
