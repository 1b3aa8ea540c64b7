/*
 * cmd_check_stats.c - lsr check-stats: recompute the p-value each reported
 * estimate and 95% CI imply and flag the reports whose printed p does not
 * fit (pool/checkstats.h does the arithmetic).  Works anywhere, no review
 * needed.  docs/cmd/lsr-check-stats.md is the manual.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../util/checkstats.h"
#include "../util/csvtab.h"
#include "../util/err.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const check_stats_usage[] = {
	"lsr check-stats [--json] FILE.csv",
	NULL
};

/* The input's columns, found by name in the header (any order, others
 * ignored). */
enum { COL_LABEL, COL_MEASURE, COL_ESTIMATE, COL_LB, COL_UB, COL_P, NCOLS };
static const char *const col_names[NCOLS] = {
	"label", "measure", "estimate", "ci_lb", "ci_ub", "p"
};

/* A field of a row, NULL when the row is short. */
static const char *field(const struct strv *row, int col)
{
	return col >= 0 && (size_t)col < row->n ? row->v[col] : NULL;
}

/* A p-value for people: three significant digits, "<0.0001" below. */
static void fmt_p(char *buf, size_t size, double p)
{
	if (isnan(p))
		snprintf(buf, size, "undefined");
	else if (p < 0.0001)
		snprintf(buf, size, "<0.0001");
	else
		snprintf(buf, size, "%.3g", p);
}

static int report_row(const char *label, const char *p_text, const struct check_stats_out *r,
		      unsigned long row, int json)
{
	char imp[32], lo[32], hi[32];

	if (json) {
		json_t *o = json_pack("{s:s, s:b, s:s, s:o, s:f, s:f, s:o, s:I}",
				      "label", label, "consistent", r->flag == CHECK_STATS_OK,
				      "p_reported", p_text,
				      "p_implied", isnan(r->p_implied) ? json_null() : json_real(r->p_implied),
				      "p_implied_low", r->p_low, "p_implied_high", r->p_high,
				      "reason", r->flag == CHECK_STATS_OK ? json_null()
						: json_string(check_stats_flag_text(r->flag)),
				      "row", (json_int_t)row);

		return o ? out_json_line(o) : lsr_error_oom();
	}
	if (r->flag == CHECK_STATS_OK)
		return 0;
	fmt_p(imp, sizeof(imp), r->p_implied);
	fmt_p(lo, sizeof(lo), r->p_low);
	fmt_p(hi, sizeof(hi), r->p_high);
	out_fprint(stdout, "%s: p %s reported, %s implied (%s to %s with rounding): %s\n",
		   label, p_text, imp, lo, hi, check_stats_flag_text(r->flag));
	return 0;
}

int cmd_check_stats(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "json", &json, "JSON Lines: one object per row, consistent or not"),
		OPT_END(),
	};
	struct csvtab t = CSVTAB_INIT;
	const char **args;
	const char *path;
	int col[NCOLS], rc, n = opt_parse(argc, argv, opts, check_stats_usage, &args);
	size_t i;

	(void)ctx; /* no review needed */
	if (n < 0 || n == OPT_HELP)
		return n;
	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "check-stats takes one CSV file");
	path = args[0];
	if ((rc = csvtab_read(&t, path)) < 0)
		return rc;
	if (!t.nrows) {
		rc = lsr_error_set(LSR_EPARSE, "%s: empty file (expected the header %s,%s,%s,%s,%s,%s)", path,
				   col_names[0], col_names[1], col_names[2], col_names[3], col_names[4], col_names[5]);
		goto out;
	}
	for (int c = 0; c < NCOLS; c++) {
		col[c] = -1;
		for (i = 0; i < t.rows[0].n; i++)
			if (!strcasecmp(t.rows[0].v[i], col_names[c]))
				col[c] = (int)i;
		if (col[c] < 0) {
			rc = lsr_error_set(LSR_EPARSE, "%s:1: no column '%s' in the header (expected %s,%s,%s,%s,%s,%s)",
					   path, col_names[c], col_names[0], col_names[1], col_names[2],
					   col_names[3], col_names[4], col_names[5]);
			goto out;
		}
	}
	/* every row is checked before anything is printed: a malformed file
	 * gives its error and no partial output */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 1; i < t.nrows; i++) {
			const struct strv *row = &t.rows[i];
			struct check_stats_in in = {
				field(row, col[COL_MEASURE]), field(row, col[COL_ESTIMATE]),
				field(row, col[COL_LB]), field(row, col[COL_UB]), field(row, col[COL_P]),
			};
			struct check_stats_out r;
			const char *label = field(row, col[COL_LABEL]);

			if ((rc = check_stats_row(&r, &in)) < 0) {
				char msg[LSR_ERRMSG_MAX];

				snprintf(msg, sizeof(msg), "%s", lsr_error_last());
				rc = lsr_error_set(rc, "%s:%zu: %s", path, i + 1, msg);
				goto out;
			}
			if (pass && (rc = report_row(label ? label : "", in.p, &r, (unsigned long)i + 1, json)) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	csvtab_release(&t);
	return rc;
}
