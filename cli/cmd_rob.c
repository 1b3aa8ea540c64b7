/*
 * cmd_rob.c - lsr rob: risk-of-bias sheets, import, dual assessment,
 * consensus and figures.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../extract/extract.h"
#include "../util/err.h"

#include <string.h>

static const char *const rob_usage[] = {
	"lsr rob sheet -o FILE.csv",
	NULL
};

int cmd_rob(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char **args;
	struct opt opts[] = {
		OPT_END(),
	};
	int n = opt_parse(argc, argv, opts, rob_usage, &args);

	(void)ctx;
	if (n < 0 || n == OPT_HELP)
		return n;
	return lsr_error_set(LSR_EUSAGE, "rob needs a subcommand");
}
