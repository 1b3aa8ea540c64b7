/*
 * cmd_pool.c - lsr pool: meta-analysis of a CSV file (a calculator that
 * needs no review), with RevMan 5.4's and metafor's conventions.  Parses
 * the options, calls the pool/ engine, prints its table or JSON and writes
 * the figures.  docs/cmd/lsr-pool.md is the manual.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../db/update.h"
#include "../pool/review.h"
#include "../util/err.h"
#include "../util/outfile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const pool_usage[] = {
	"lsr pool --csv FILE --measure MD|SMD|OR|RR|RD|GIV [--method IV|MH|Peto]\n"
	"                [--model fixed|random|auto] [--tau2 REML|DL|PM|ML|HS|HE|SJ|EB]\n"
	"                [--ci z|t|hk|hk-adhoc] [--hk|--no-hk]\n"
	"                [--convention revman5|metafor] [--preset revman5] [--level L]\n"
	"                [--subgroup | --moderator] [--leave-one-out] [--exclude STUDY]...\n"
	"                [--egger] [--begg] [--trimfill [--trimfill-side left|right]\n"
	"                [--trimfill-estimator L0|R0]] [--cumulative [--cumulative-by COLUMN]]\n"
	"                [--influence] [--moderators COLS] [--allow-repeated-studies]\n"
	"                [--json] [--svg FILE] [--funnel FILE] [--cumulative-svg FILE]\n"
	"                [--influence-svg FILE] [--bubble FILE]",
	"lsr pool [--analysis NAME]... [--figures DIR] [--update N] [--json]",
	NULL
};

static int write_file(const char *path, const struct buf *b)
{
	return outfile_write_all(path, b->s, b->len);
}

/* Turn the option strings into engine options. */
static int resolve_opts(struct pool_opts *o, const char *measure, const char *method,
			const char *model, const char *tau2, const char *conv,
			const char *preset, const char *rdvar, const char *scale,
			const char *ci, int hk)
{
	int rc;

	if (ci && hk >= 0)
		return lsr_error_set(LSR_EUSAGE, "--%s is --ci %s: give one of them", hk ? "hk" : "no-hk",
				     hk ? "hk" : "z");
	if (ci && (rc = pool_ci_parse(&o->ci, ci)) < 0)
		return rc;
	if (hk >= 0)
		o->ci = hk ? POOL_CI_HK : POOL_CI_Z;

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
		if (o->ci == POOL_CI_UNSET)
			o->ci = POOL_CI_Z;
	}
	if (conv && (rc = pool_conv_parse(&o->conv, conv)) < 0)
		return rc;
	if (tau2 && (rc = pool_tau2_parse(&o->tau2, tau2)) < 0)
		return rc;
	if (model && (rc = pool_model_parse(&o->model, model)) < 0)
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

/* --level: a percentage (90, 99.5) or a proportion (0.9) */
static int parse_level(double *out, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno)
		v = NAN;
	if (v > 1 && v < 100)
		v /= 100;
	if (!(v >= 0.5 && v < 1))
		return lsr_error_set(LSR_EUSAGE, "--level: expected a confidence level such as 95 or 0.9 (50 to 99.99...), got '%s'", s);
	*out = v;
	return 0;
}

/* ---- the review's analyses ------------------------------------------------ */

/*
 * The figures of one 'lsr pool' run (each analysis's forest plot and those
 * of its add-ons), drawn while the analyses run and written only once
 * their results are committed: a failure or a kill before the commit
 * leaves the figures folder as it was, and the figures on disk always show
 * stored results (a kill while they are written leaves some of them old,
 * each complete; the next run rewrites them).
 */
struct figure_set {
	const char *dir;
	struct strv paths;   /* DIR/forest-NAME.svg, ... */
	struct buf *svgs;    /* their contents, paths.n of them */
};

static int figure_add(const char *file, const char *caption, const struct buf *svg, void *payload)
{
	struct figure_set *fs = payload;
	struct buf *grown;
	int rc;

	(void)caption;
	grown = realloc(fs->svgs, (fs->paths.n + 1) * sizeof(*grown));
	if (!grown)
		return lsr_error_oom();
	fs->svgs = grown;
	if ((rc = strv_pushf(&fs->paths, "%s/%s", fs->dir, file)) < 0)
		return rc;
	buf_init(&fs->svgs[fs->paths.n - 1], 0);
	return buf_add(&fs->svgs[fs->paths.n - 1], svg->s, svg->len);
}

static int figure_write_all(const struct figure_set *fs)
{
	int rc = 0;

	for (size_t i = 0; i < fs->paths.n && rc == 0; i++)
		rc = write_file(fs->paths.v[i], &fs->svgs[i]);
	return rc;
}

static void figure_release(struct figure_set *fs)
{
	for (size_t i = 0; i < fs->paths.n; i++)
		buf_release(&fs->svgs[i]);
	free(fs->svgs);
	fs->svgs = NULL;
	strv_release(&fs->paths);
}

static const struct protocol_analysis *find_analysis(const struct protocol *p, const char *name)
{
	for (size_t i = 0; i < p->nanalyses; i++)
		if (!strcmp(p->analyses[i].name, name))
			return &p->analyses[i];
	return NULL;
}

static int unknown_analysis(const struct protocol *p, const char *name)
{
	struct buf b = BUF_INIT;
	int rc;

	for (size_t i = 0; i < p->nanalyses; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", p->analyses[i].name);
	rc = lsr_error_set(LSR_EUSAGE, "no analysis '%s' in protocol.yaml (analyses: %s)", name,
			   b.len ? b.s : "none");
	buf_release(&b);
	return rc;
}

/* Run (or, with update >= 0, show the stored) analyses of the protocol. */
static int pool_review_cmd(struct lsr_ctx *ctx, const struct strv *only, const char *figures,
			   long long update, int json)
{
	struct strv names = STRV_INIT;
	struct update_info u;
	json_t *arr = json ? json_array() : NULL;
	struct figure_set figset = { NULL, STRV_INIT, NULL };
	struct buf text = BUF_INIT;
	char *figdir = NULL;
	int rc, nodata_named = 0, ran = 0;

	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0)
		return rc;
	for (size_t i = 0; i < only->n; i++)
		if (!find_analysis(ctx->protocol, only->v[i]) && update < 0)
			return unknown_analysis(ctx->protocol, only->v[i]);
	if ((rc = update_latest(ctx->db, &u)) < 0)
		return rc;
	if (update > u.no)
		return lsr_error_set(LSR_EUSAGE, "no update %lld (the latest is %d)", update, u.no);
	if (update >= 0) {
		if ((rc = pool_review_stored_names(&names, ctx->db, ctx->protocol, (int)update)) < 0)
			goto out;
	} else {
		for (size_t i = 0; i < ctx->protocol->nanalyses; i++)
			strv_push(&names, ctx->protocol->analyses[i].name);
		if (!names.n) {
			rc = lsr_error_set(LSR_ERROR, "protocol.yaml declares no analyses (section analyses.list)");
			goto out;
		}
	}
	if (!(figdir = figures ? strdup(figures) : ctx_review_path(ctx, "figures"))) {
		rc = lsr_error_oom();
		goto out;
	}
	figset.dir = figdir;
	if (mkdir(figdir, 0777) < 0 && errno != EEXIST) {
		rc = lsr_error_set(LSR_ERROR, "cannot create '%s': %s", figdir, strerror(errno));
		goto out;
	}
	/* running stores every analysis in one transaction */
	if (update < 0 && (rc = db_txn_begin(ctx->db)) < 0)
		goto out;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		struct pool_review r;

		if (only->n && !strv_contains(only, names.v[i]))
			continue;
		ran++;
		if (update >= 0) {
			rc = pool_review_load(&r, ctx->db, ctx->protocol, names.v[i], (int)update);
		} else if ((rc = pool_review_build(&r, ctx->db, ctx->protocol,
						   find_analysis(ctx->protocol, names.v[i]))) == 0 &&
			   (rc = pool_review_run(&r)) == 0) {
			rc = pool_review_store(&r, ctx->db, u.no);
		}
		/* drawn now, written after the commit (struct figure_set) */
		if (rc == 0 && r.res)
			rc = pool_review_figures(&r, figure_add, &figset);
		if (rc == 0 && !r.res && only->n)
			nodata_named = 1;
		if (rc == 0 && arr) {
			json_array_append_new(arr, pool_review_json(&r));
		} else if (rc == 0 && (rc = pool_review_text(&text, &r)) == 0) {
			rc = buf_printf(&text, "  %s\n\n", update >= 0 ? "(stored results)"
					: r.stored ? "stored" : "unchanged since its last run: not stored again");
		}
		pool_review_release(&r);
	}
	if (update < 0) {
		if (rc == 0)
			rc = db_txn_commit(ctx->db);
		else
			db_txn_rollback(ctx->db);
	}
	/* the results are stored (or were, for --update N): now the figures
	 * and what is printed, which never show what was not stored */
	if (rc == 0 && (rc = figure_write_all(&figset)) < 0 && update < 0)
		lsr_error_wrap("the results of update %d are stored but not all figures were"
			       " written ('lsr pool' again writes them)", u.no);
	if (rc == 0 && !json) {
		fwrite(text.s, 1, text.len, stdout);
		if (update < 0)
			printf("results of update %d stored; figures in %s\n", u.no, figdir);
	}
	if (rc == 0 && only->n && !ran)
		rc = lsr_error_set(LSR_ENOTFOUND, "no stored results of %s for update %lld", only->v[0], update);
	if (rc == 0 && arr) {
		rc = out_json_doc(arr);
		arr = NULL;
	}
	if (rc == 0 && nodata_named)
		rc = lsr_error_set(LSR_ERROR, "the analysis named has no data to pool");
out:
	json_decref(arr);
	figure_release(&figset);
	buf_release(&text);
	free(figdir);
	strv_release(&names);
	return rc;
}

int cmd_pool(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *csv = NULL, *measure = NULL, *method = NULL, *model = NULL, *tau2 = NULL;
	const char *conv = NULL, *preset = NULL, *rdvar = NULL, *scale = NULL, *ci = NULL;
	const char *level = NULL, *tf_side = NULL, *tf_est = NULL, *cum_by = NULL, *modlist = NULL;
	struct strv mods = STRV_INIT;
	const char *svg = NULL, *funnel = NULL, *figures = NULL, *cum_svg = NULL, *bubble = NULL;
	const char *infl_svg = NULL;
	long long update = -1;
	struct strv analyses = STRV_INIT;
	int hk = -1, json = 0, subgroup = 0, moderator = 0, loo = 0, egger = 0, trimfill = 0;
	int repeated = 0, begg = 0, cum = 0, infl = 0;
	struct strv exclude = STRV_INIT;
	struct pool_plot_opts po = POOL_PLOT_OPTS_INIT;
	struct opt opts[] = {
		OPT_STRING(0, "csv", &csv, "FILE", "the studies, one per row (see lsr-pool.md for the columns)"),
		OPT_LIST(0, "analysis", &analyses, "NAME", "review: run only this analysis of protocol.yaml (repeatable)"),
		OPT_STRING(0, "figures", &figures, "DIR", "review: where the figures go (default: the review's figures/)"),
		OPT_INT(0, "update", &update, "N", "review: show the results stored for update N instead of running"),
		OPT_STRING(0, "measure", &measure, "M", "MD, SMD, OR, RR, RD or GIV (generic inverse variance)"),
		OPT_STRING(0, "method", &method, "M", "IV, MH or Peto (default: MH for binary data, else IV)"),
		OPT_STRING(0, "model", &model, "M", "random (default), fixed, or auto (random when heterogeneity P < 0.05)"),
		OPT_STRING(0, "tau2", &tau2, "T", "tau2 estimator: REML (default), DL, PM, ML, HS, HE, SJ or EB"),
		OPT_STRING(0, "ci", &ci, "M", "random effects CI and test: hk-adhoc (default; z with --subgroup/--moderator), hk, t or z"),
		OPT_NEGBOOL(0, "hk", &hk, "--hk is --ci hk (plain Hartung-Knapp), --no-hk is --ci z"),
		OPT_STRING(0, "level", &level, "L", "confidence level of every interval: 95 (default), or e.g. 90, 0.99"),
		OPT_STRING(0, "convention", &conv, "C", "revman5 (default) or metafor: SMD, zero cells, MH, I2 shown"),
		OPT_STRING(0, "preset", &preset, "P", "revman5: RevMan 5.4 (its conventions, DL, --ci z)"),
		OPT_STRING(0, "rd-variance", &rdvar, "V", "MH risk difference variance: GR (RevMan 5) or SGR (metafor)"),
		OPT_STRING(0, "scale", &scale, "S", "GIV effects: log (ratios, default) or identity"),
		OPT_BOOL(0, "subgroup", &subgroup, "subgroup analysis the RevMan way, with the test for differences"),
		OPT_BOOL(0, "moderator", &moderator, "meta-regression on the subgroup (metafor's QM test)"),
		OPT_STRING(0, "moderators", &modlist, "COLS", "meta-regression on these numeric columns of the CSV (comma-separated)"),
		OPT_BOOL(0, "leave-one-out", &loo, "refit leaving out each study in turn"),
		OPT_BOOL(0, "influence", &infl, "influence diagnostics: rstudent, DFFITS, Cook's distance, hat values (metafor's influence())"),
		OPT_BOOL(0, "cumulative", &cum, "cumulative meta-analysis: the studies added one at a time"),
		OPT_STRING(0, "cumulative-by", &cum_by, "COLUMN", "cumulative: in the order of this numeric column (e.g. year; default: the rows' order)"),
		OPT_LIST(0, "exclude", &exclude, "STUDY", "leave this study out (sensitivity analysis; repeatable)"),
		OPT_BOOL(0, "egger", &egger, "Egger's regression test (classic and model-based)"),
		OPT_BOOL(0, "begg", &begg, "Begg's rank correlation test (metafor's ranktest)"),
		OPT_BOOL(0, "trimfill", &trimfill, "trim-and-fill (L0)"),
		OPT_STRING(0, "trimfill-side", &tf_side, "S", "trim-and-fill: left or right (default: by the sign of Egger's slope)"),
		OPT_STRING(0, "trimfill-estimator", &tf_est, "E", "trim-and-fill: L0 (default) or R0"),
		OPT_BOOL(0, "allow-repeated-studies", &repeated, "pool a study label with several rows (counted once per row)"),
		OPT_BOOL(0, "json", &json, "print one JSON object (docs/cmd/lsr-pool.md)"),
		OPT_STRING(0, "svg", &svg, "FILE", "write a forest plot"),
		OPT_STRING(0, "funnel", &funnel, "FILE", "write a funnel plot"),
		OPT_STRING(0, "cumulative-svg", &cum_svg, "FILE", "write the cumulative meta-analysis as a figure (with --cumulative)"),
		OPT_STRING(0, "influence-svg", &infl_svg, "FILE", "write the influence diagnostics as a figure (with --influence)"),
		OPT_STRING(0, "bubble", &bubble, "FILE", "write a bubble plot of the meta-regression (with --moderators)"),
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
		strv_release(&analyses);
		return n;
	}
	if (n > 0) {
		rc = lsr_error_set(LSR_EUSAGE, "unexpected argument '%s'", args[0]);
		goto out;
	}
	if (!csv) {
		if (measure || method || model || tau2 || conv || preset || rdvar || scale || svg || funnel ||
		    ci || level || hk >= 0 || subgroup || moderator || loo || egger || trimfill || exclude.n ||
		    repeated || begg || tf_side || tf_est || cum || cum_by || infl || modlist || cum_svg ||
		    bubble || infl_svg) {
			rc = lsr_error_set(LSR_EUSAGE, "the analysis options go with --csv FILE; the review's analyses take theirs from protocol.yaml");
			goto out;
		}
		rc = pool_review_cmd(ctx, &analyses, figures, update, json);
		goto out;
	}
	if (analyses.n || figures || update >= 0) {
		rc = lsr_error_set(LSR_EUSAGE, "--analysis, --figures and --update go with the review's analyses, not with --csv");
		goto out;
	}
	if ((rc = resolve_opts(&o, measure, method, model, tau2, conv, preset, rdvar, scale, ci, hk)) < 0 ||
	    (level && (rc = parse_level(&o.level, level)) < 0))
		goto out;
	if ((tf_side || tf_est) && !trimfill) {
		rc = lsr_error_set(LSR_EUSAGE, "--trimfill-side and --trimfill-estimator go with --trimfill");
		goto out;
	}
	if (tf_side && strcasecmp(tf_side, "left") && strcasecmp(tf_side, "right")) {
		rc = lsr_error_set(LSR_EUSAGE, "unknown trim-and-fill side '%s' (expected left or right)", tf_side);
		goto out;
	}
	if (tf_est && strcasecmp(tf_est, "L0") && strcasecmp(tf_est, "R0")) {
		rc = lsr_error_set(LSR_EUSAGE, "unknown trim-and-fill estimator '%s' (expected L0 or R0)", tf_est);
		goto out;
	}
	if (tf_side)
		o.tf_side = !strcasecmp(tf_side, "right");
	o.tf_r0 = tf_est && !strcasecmp(tf_est, "R0");
	o.extras = (subgroup ? POOL_SUBGROUPS : 0) | (moderator ? POOL_MODERATOR : 0) |
		   (loo ? POOL_LEAVE_ONE_OUT : 0) | (egger ? POOL_EGGER : 0) |
		   (trimfill ? POOL_TRIMFILL : 0) | (repeated ? POOL_ALLOW_REPEATED : 0) |
		   (begg ? POOL_BEGG : 0) | (cum || cum_by ? POOL_CUMULATIVE : 0) |
		   (infl ? POOL_INFLUENCE : 0) | (modlist ? POOL_METAREG : 0);
	if (modlist) {
		const char *s = modlist;

		while (*s) {
			size_t len = strcspn(s, ",");

			if (len && (rc = strv_pushn(&mods, s, len)) < 0)
				goto out;
			s += len + (s[len] == ',');
		}
		if (!mods.n) {
			rc = lsr_error_set(LSR_EUSAGE, "--moderators: expected column names, got '%s'", modlist);
			goto out;
		}
	}
	o.exclude = (const char *const *)exclude.v;
	o.nexclude = exclude.n;
	if ((rc = pool_csv_read_by(&ds, csv, pool_measure_data_type(o.measure), cum_by, &mods)) < 0)
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
	/* subgroups that share studies (time points): subtotals only, as
	 * the protocol's subgroup: timepoint, unless repeated studies are
	 * allowed (then the total counts them once per row, with a warning) */
	if (subgroup && !repeated && pool_subgroups_share_studies(&ds->in))
		o.extras |= POOL_NO_TOTAL;
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
	if (cum_svg) {
		buf_reset(&b);
		if ((rc = pool_cumulative_svg(&b, r, &po)) < 0 || (rc = write_file(cum_svg, &b)) < 0)
			goto out;
	}
	if (infl_svg) {
		buf_reset(&b);
		if ((rc = pool_influence_svg(&b, r, &po)) < 0 || (rc = write_file(infl_svg, &b)) < 0)
			goto out;
	}
	if (bubble) {
		buf_reset(&b);
		if ((rc = pool_bubble_svg(&b, r, &po)) < 0 || (rc = write_file(bubble, &b)) < 0)
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
	strv_release(&analyses);
	strv_release(&mods);
	return rc;
}
