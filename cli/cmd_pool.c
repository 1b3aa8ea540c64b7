/*
 * cmd_pool.c - lsr pool: meta-analysis of a CSV file (a calculator that
 * needs no review), with RevMan 5.4's and metafor's conventions.  Parses
 * the options, calls the pool/ engine, prints its table or JSON and writes
 * the figures.  docs/cmd/lsr-pool.md is the manual.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../pool/pool.h"
#include "../util/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const pool_usage[] = {
	"lsr pool --csv FILE --measure MD|SMD|OR|RR|RD|GIV [--method IV|MH|Peto]\n"
	"                [--model fixed|random|auto] [--tau2 DL|REML|PM] [--hk|--no-hk]\n"
	"                [--convention revman5|metafor] [--preset revman5]\n"
	"                [--subgroup | --moderator] [--leave-one-out] [--exclude STUDY]...\n"
	"                [--egger] [--trimfill] [--json] [--svg FILE] [--funnel FILE]",
	NULL
};

static int write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f)
		return lsr_error_set(LSR_ERROR, "cannot write '%s': %s", path, strerror(errno));
	if (fwrite(b->s, 1, b->len, f) != b->len)
		rc = lsr_error_set(LSR_ERROR, "cannot write '%s': %s", path, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = lsr_error_set(LSR_ERROR, "cannot write '%s': %s", path, strerror(errno));
	return rc;
}

static int parse_model(enum pool_model *out, const char *s)
{
	if (!strcasecmp(s, "fixed"))
		*out = POOL_MODEL_FIXED;
	else if (!strcasecmp(s, "random") || !strcasecmp(s, "mixed"))
		*out = POOL_MODEL_RANDOM; /* "mixed": random effects with --moderator */
	else if (!strcasecmp(s, "auto"))
		*out = POOL_MODEL_AUTO;
	else
		return lsr_error_set(LSR_EUSAGE, "unknown model '%s' (expected fixed, random or auto)", s);
	return 0;
}

/* Turn the option strings into engine options. */
static int resolve_opts(struct pool_opts *o, const char *measure, const char *method,
			const char *model, const char *tau2, const char *conv,
			const char *preset, const char *rdvar, const char *scale)
{
	int rc;

	if (!measure)
		return lsr_error_set(LSR_EUSAGE, "--measure is required (MD, SMD, OR, RR, RD or GIV)");
	if ((rc = pool_measure_parse(&o->measure, measure)) < 0)
		return rc;
	if (preset) {
		if (strcasecmp(preset, "revman5"))
			return lsr_error_set(LSR_EUSAGE, "unknown preset '%s' (expected revman5)", preset);
		/* RevMan 5.4: its conventions, DerSimonian-Laird, Wald tests */
		o->conv = POOL_CONV_REVMAN5;
		o->tau2 = POOL_TAU2_DL;
		if (o->hk < 0)
			o->hk = 0;
	}
	if (conv && (rc = pool_conv_parse(&o->conv, conv)) < 0)
		return rc;
	if (tau2 && (rc = pool_tau2_parse(&o->tau2, tau2)) < 0)
		return rc;
	if (model && (rc = parse_model(&o->model, model)) < 0)
		return rc;
	if (method) {
		if ((rc = pool_method_parse(&o->method, method)) < 0)
			return rc;
	} else {
		/* RevMan's default for dichotomous data */
		o->method = pool_measure_data_type(o->measure) == POOL_DATA_BIN ? POOL_METHOD_MH
										 : POOL_METHOD_IV;
	}
	if (rdvar) {
		if (!strcasecmp(rdvar, "GR"))
			o->rd_var = POOL_RDVAR_GR;
		else if (!strcasecmp(rdvar, "SGR"))
			o->rd_var = POOL_RDVAR_SGR;
		else
			return lsr_error_set(LSR_EUSAGE, "unknown RD variance '%s' (expected GR or SGR)", rdvar);
	}
	if (scale) {
		if (o->measure != POOL_GIV)
			return lsr_error_set(LSR_EUSAGE, "--scale applies to --measure GIV only");
		if (!strcasecmp(scale, "log"))
			o->log_scale = 1;
		else if (!strcasecmp(scale, "identity"))
			o->log_scale = 0;
		else
			return lsr_error_set(LSR_EUSAGE, "unknown scale '%s' (expected log or identity)", scale);
	}
	return 0;
}

int cmd_pool(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *csv = NULL, *measure = NULL, *method = NULL, *model = NULL, *tau2 = NULL;
	const char *conv = NULL, *preset = NULL, *rdvar = NULL, *scale = NULL;
	const char *svg = NULL, *funnel = NULL;
	int hk = -1, json = 0, subgroup = 0, moderator = 0, loo = 0, egger = 0, trimfill = 0;
	struct strv exclude = STRV_INIT;
	struct pool_plot_opts po = POOL_PLOT_OPTS_INIT;
	struct opt opts[] = {
		OPT_STRING(0, "csv", &csv, "FILE", "the studies, one per row (see lsr-pool.md for the columns)"),
		OPT_STRING(0, "measure", &measure, "M", "MD, SMD, OR, RR, RD or GIV (generic inverse variance)"),
		OPT_STRING(0, "method", &method, "M", "IV, MH or Peto (default: MH for binary data, else IV)"),
		OPT_STRING(0, "model", &model, "M", "random (default), fixed, or auto (random when heterogeneity P < 0.05)"),
		OPT_STRING(0, "tau2", &tau2, "T", "tau2 estimator: REML (default), DL or PM"),
		OPT_NEGBOOL(0, "hk", &hk, "Hartung-Knapp CI and test (default on, off with --subgroup/--moderator)"),
		OPT_STRING(0, "convention", &conv, "C", "revman5 (default) or metafor: SMD, zero cells, MH, I2 shown"),
		OPT_STRING(0, "preset", &preset, "P", "revman5: RevMan 5.4 (its conventions, DL, no Hartung-Knapp)"),
		OPT_STRING(0, "rd-variance", &rdvar, "V", "MH risk difference variance: GR (RevMan 5) or SGR (metafor)"),
		OPT_STRING(0, "scale", &scale, "S", "GIV effects: log (ratios, default) or identity"),
		OPT_BOOL(0, "subgroup", &subgroup, "subgroup analysis the RevMan way, with the test for differences"),
		OPT_BOOL(0, "moderator", &moderator, "meta-regression on the subgroup (metafor's QM test)"),
		OPT_BOOL(0, "leave-one-out", &loo, "refit leaving out each study in turn"),
		OPT_LIST(0, "exclude", &exclude, "STUDY", "leave this study out (sensitivity analysis; repeatable)"),
		OPT_BOOL(0, "egger", &egger, "Egger's regression test (classic and model-based)"),
		OPT_BOOL(0, "trimfill", &trimfill, "trim-and-fill (L0)"),
		OPT_BOOL(0, "json", &json, "print one JSON object (docs/cmd/lsr-pool.md)"),
		OPT_STRING(0, "svg", &svg, "FILE", "write a forest plot"),
		OPT_STRING(0, "funnel", &funnel, "FILE", "write a funnel plot"),
		OPT_STRING(0, "title", &po.title, "TEXT", "title of the figures"),
		OPT_STRING(0, "label-e", &po.label_e, "TEXT", "name of the experimental group (\"Experimental\")"),
		OPT_STRING(0, "label-c", &po.label_c, "TEXT", "name of the control group (\"Control\")"),
		OPT_STRING(0, "favours-left", &po.favours_left, "TEXT", "left axis label (\"Favours [experimental]\")"),
		OPT_STRING(0, "favours-right", &po.favours_right, "TEXT", "right axis label (\"Favours [control]\")"),
		OPT_END(),
	};
	struct pool_opts o = POOL_OPTS_INIT;
	struct pool_dataset *ds = NULL;
	struct pool_result *r = NULL;
	struct buf b = BUF_INIT;
	const char **args;
	int n = opt_parse(argc, argv, opts, pool_usage, &args), rc;

	if (n < 0 || n == OPT_HELP) {
		strv_release(&exclude);
		return n;
	}
	if (n > 0) {
		rc = lsr_error_set(LSR_EUSAGE, "unexpected argument '%s'", args[0]);
		goto out;
	}
	if (!csv) {
		rc = lsr_error_set(LSR_EUSAGE,
				   "--csv FILE is required (pooling the review's own extracted data is not available yet)");
		goto out;
	}
	o.hk = hk;
	if ((rc = resolve_opts(&o, measure, method, model, tau2, conv, preset, rdvar, scale)) < 0)
		goto out;
	o.extras = (subgroup ? POOL_SUBGROUPS : 0) | (moderator ? POOL_MODERATOR : 0) |
		   (loo ? POOL_LEAVE_ONE_OUT : 0) | (egger ? POOL_EGGER : 0) |
		   (trimfill ? POOL_TRIMFILL : 0);
	o.exclude = (const char *const *)exclude.v;
	o.nexclude = exclude.n;
	if ((rc = pool_csv_read(&ds, csv, pool_measure_data_type(o.measure))) < 0)
		goto out;
	if ((subgroup || moderator) && ds->missing_subgroup_row) {
		rc = lsr_error_set(LSR_EPARSE, "%s:%lu: column 'subgroup': empty (--%s needs a subgroup for every study)",
				   csv, ds->missing_subgroup_row, subgroup ? "subgroup" : "moderator");
		goto out;
	}
	if ((subgroup || moderator) && !ds->in.has_subgroups) {
		rc = lsr_error_set(LSR_EPARSE, "%s:1: missing column 'subgroup' (needed by --%s)", csv,
				   subgroup ? "subgroup" : "moderator");
		goto out;
	}
	if ((rc = pool_run(&r, &ds->in, &o)) < 0) {
		if (rc == LSR_EPARSE)
			lsr_error_wrap("%s", csv);
		goto out;
	}
	for (size_t i = 0; i < r->warnings.n; i++)
		ctx_warn(ctx, "%s", r->warnings.v[i]);
	if (svg) {
		buf_reset(&b);
		if ((rc = pool_forest_svg(&b, r, &po)) < 0 || (rc = write_file(svg, &b)) < 0)
			goto out;
	}
	if (funnel) {
		buf_reset(&b);
		if ((rc = pool_funnel_svg(&b, r, &po)) < 0 || (rc = write_file(funnel, &b)) < 0)
			goto out;
	}
	if (json) {
		rc = out_json_doc(pool_result_json(r));
		goto out;
	}
	buf_reset(&b);
	if ((rc = pool_table_render(&b, r)) < 0)
		goto out;
	fwrite(b.s, 1, b.len, stdout);
out:
	buf_release(&b);
	pool_result_free(r);
	pool_dataset_free(ds);
	strv_release(&exclude);
	return rc;
}
