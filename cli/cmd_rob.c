/*
 * cmd_rob.c - lsr rob: risk-of-bias sheets, import, comparison of the
 * assessors, consensus, and the two standard figures.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../extract/extract.h"
#include "../util/csvtab.h"
#include "../util/err.h"
#include "../util/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* each subcommand's usage; 'lsr rob -h' prints them all */
static const char *const sheet_usage[] = {
	"lsr rob sheet [--study LABEL] [--outcome NAME] [-o FILE.csv]", NULL
};
static const char *const import_usage[] = {
	"lsr rob import FILE.csv --assessor NAME [--json]", NULL
};
static const char *const compare_usage[] = {
	"lsr rob compare [--all] [--json]", NULL
};
static const char *const resolve_usage[] = {
	"lsr rob resolve --study LABEL [--outcome NAME [--timepoint T]] --domain D --judgement J --reason TEXT [--by NAME]", NULL
};
static const char *const plot_usage[] = {
	"lsr rob plot [--traffic-light FILE.svg] [--summary FILE.svg] [--weights FILE.csv] [--outcome NAME [--timepoint T]]", NULL
};

struct print_opts {
	int json;
	int rob2;
};

static int print_rob(const struct extract_rob_item *it, void *payload)
{
	const struct print_opts *po = payload;
	int json = po->json, rob2 = po->rob2;

	if (json) {
		json_t *o = json_object(), *a = json_object();

		json_object_set_new(o, "study", json_string(it->study));
		if (*it->outcome)
			json_object_set_new(o, "outcome", json_string(it->outcome));
		if (*it->timepoint)
			json_object_set_new(o, "timepoint", json_string(it->timepoint));
		json_object_set_new(o, "domain", json_string(it->domain));
		for (size_t i = 0; i < it->nassessors; i++) {
			json_t *v = json_pack("{s:s}", "judgement", extract_rob_level_name(it->levels[i], rob2));

			if (it->detail)
				json_object_set_new(v, "answers", json_string(it->detail[i]));
			json_object_set_new(a, it->assessors[i], v);
		}
		json_object_set_new(o, "assessors", a);
		json_object_set_new(o, "final", it->final == ROB_NONE ? json_null()
								       : json_string(extract_rob_level_name(it->final, rob2)));
		json_object_set_new(o, "consensus", json_boolean(it->consensus));
		return out_json_line(o);
	}
	printf("%s", it->study);
	if (*it->outcome)
		printf(" [%s%s%s]", it->outcome, *it->timepoint ? ", " : "", it->timepoint);
	printf("\t%s:", it->domain);
	if (!it->nassessors)
		printf(" not assessed");
	for (size_t i = 0; i < it->nassessors; i++) {
		printf("%s %s '%s'", i ? "," : "", it->assessors[i], extract_rob_level_name(it->levels[i], rob2));
		if (it->detail && it->detail[i][0])
			printf(" (%s)", it->detail[i]);
	}
	if (it->final != ROB_NONE)
		printf(" -> '%s'%s", extract_rob_level_name(it->final, rob2), it->consensus ? " (consensus)" : "");
	putchar('\n');
	return 0;
}

/* study,weight rows into "label=weight" */
static int read_weights(struct strv *out, const char *path)
{
	struct csvtab t = CSVTAB_INIT;
	int rc = csvtab_read(&t, path);

	if (rc < 0)
		return rc;
	if (!t.nrows || t.rows[0].n != 2 || strcmp(t.rows[0].v[0], "study") ||
	    strcmp(t.rows[0].v[1], "weight")) {
		rc = lsr_error_set(LSR_EPARSE, "%s:1: a weights file has the columns study,weight", path);
		goto out;
	}
	for (size_t i = 1; i < t.nrows && rc == 0; i++) {
		struct buf b = BUF_INIT;

		if (t.rows[i].n != 2) {
			rc = lsr_error_set(LSR_EPARSE, "%s:%zu: expected 2 fields, found %zu", path, i + 1,
					   t.rows[i].n);
			break;
		}
		buf_printf(&b, "%s=%s", t.rows[i].v[0], t.rows[i].v[1]);
		rc = strv_push_owned(out, buf_detach(&b));
	}
out:
	csvtab_release(&t);
	return rc;
}

static int write_svg(const char *path, const struct extract_robplot *p,
		     int (*draw)(struct buf *, const struct extract_robplot *))
{
	struct buf b = BUF_INIT;
	int rc = draw(&b, p);

	if (rc == 0)
		rc = outfile_write_all(path, b.s, b.len);
	buf_release(&b);
	return rc;
}

static int rob_sheet(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *study = NULL, *output = NULL, *outcome = NULL;
	struct opt opts[] = {
		OPT_STRING(0, "study", &study, "LABEL", "this study only"),
		OPT_STRING(0, "outcome", &outcome, "NAME", "this outcome's rows (RoB 2, RoB 1 per-outcome domains)"),
		OPT_STRING('o', "output", &output, "FILE", "write FILE (default stdout)"),
		OPT_END(),
	};
	const char **args;
	struct outfile *o;
	int rc = opt_parse(argc, argv, opts, sheet_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "sheet takes options only");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0)
		return rc;
	if ((rc = outfile_open(&o, output)) < 0)
		return rc;
	rc = extract_rob_sheet_write(outfile_fp(o), ctx->db, ctx->protocol, study, outcome);
	return outfile_finish(o, rc);
}

static int rob_import(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *assessor = NULL;
	int json = 0;
	struct opt opts[] = {
		OPT_STRING(0, "assessor", &assessor, "NAME", "who assessed the sheet"),
		OPT_BOOL(0, "json", &json, "one JSON object"),
		OPT_END(),
	};
	struct extract_import_result res;
	const char **args;
	int rc = opt_parse(argc, argv, opts, import_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc != 1)
		return lsr_error_set(LSR_EUSAGE, "import needs one sheet (FILE.csv)");
	if (!assessor)
		return lsr_error_set(LSR_EUSAGE, "import needs --assessor NAME");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0 ||
	    (rc = extract_rob_import(&res, ctx->db, ctx->protocol, args[0], assessor)) < 0)
		return rc;
	if (json)
		return out_json_doc(json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I}", "schema_version", 1,
					      "tool", ctx->protocol->risk_of_bias, "assessor", assessor,
					      "import", (json_int_t)res.import_id, "rows", (json_int_t)res.rows,
					      "values", (json_int_t)res.values, "studies",
					      (json_int_t)res.studies));
	printf("imported %s sheet '%s' assessed by %s: %zu rows, %zu values, %zu studies\n",
	       !strcmp(ctx->protocol->risk_of_bias, "rob2") ? "RoB 2" : "RoB 1", args[0], assessor,
	       res.rows, res.values, res.studies);
	return 0;
}

static int rob_compare(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int all = 0, json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "all", &all, "every study and domain, agreed ones too"),
		OPT_BOOL(0, "json", &json, "JSON Lines, one object per study and domain"),
		OPT_END(),
	};
	struct print_opts po;
	const char **args;
	size_t open;
	int rc = opt_parse(argc, argv, opts, compare_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "compare takes options only");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0)
		return rc;
	po = (struct print_opts){ json, !strcmp(ctx->protocol->risk_of_bias, "rob2") };
	rc = extract_rob_compare(&open, ctx->db, ctx->protocol, all, print_rob, &po);
	if (rc == 0 && !json)
		printf("%zu judgements open\n", open);
	return rc;
}

static int rob_resolve(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *study = NULL, *domain = NULL, *judgement = NULL, *reason = NULL, *by = NULL;
	const char *outcome = NULL, *timepoint = NULL;
	struct opt opts[] = {
		OPT_STRING(0, "study", &study, "LABEL", "the study"),
		OPT_STRING(0, "outcome", &outcome, "NAME", "the result's outcome (default the whole study)"),
		OPT_STRING(0, "timepoint", &timepoint, "T", "and its time point (rob2_per_timepoint)"),
		OPT_STRING(0, "domain", &domain, "D", "the domain (or overall)"),
		OPT_STRING(0, "judgement", &judgement, "J", "the consensus judgement"),
		OPT_STRING(0, "reason", &reason, "TEXT", "how the consensus was reached"),
		OPT_STRING(0, "by", &by, "NAME", "who reached it (default $LSR_USER or $USER)"),
		OPT_END(),
	};
	const char **args;
	int rc = opt_parse(argc, argv, opts, resolve_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "resolve takes options only");
	if (!study || !domain || !judgement)
		return lsr_error_set(LSR_EUSAGE, "resolve needs --study, --domain, --judgement and --reason");
	if (by && !*by)
		return lsr_error_set(LSR_EUSAGE, "--by needs a name");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0 ||
	    (rc = extract_rob_resolve(ctx->db, ctx->protocol, study, outcome, timepoint, domain,
				      judgement, reason, by)) < 0)
		return rc;
	out_done(ctx, "recorded the consensus for study '%s', domain '%s': %s", study, domain,
		 judgement);
	return 0;
}

static int rob_plot(const char *traffic, const char *summary, const char *weights_file,
		    const char *outcome, const char *timepoint, struct lsr_ctx *ctx)
{
	struct extract_robplot p;
	struct strv weights = STRV_INIT;
	size_t open = 0, per_outcome = 0;
	int rc;

	if (weights_file && (rc = read_weights(&weights, weights_file)) < 0)
		goto out;
	if ((rc = extract_rob_plot_data_result(&p, ctx->db, ctx->protocol, weights_file ? &weights : NULL,
						 outcome, timepoint)) < 0)
		goto out;
	for (size_t i = 0; i < p.nstudies; i++)
		for (size_t k = 0; k < p.ndomains + (p.has_overall != 0); k++) {
			if (p.studies[i].levels[k] != ROB_NONE)
				continue;
			/* the study-level figure of a domain judged per outcome:
			 * nothing is open, the judgements are per outcome */
			if (extract_robplot_per_outcome(&p, k))
				per_outcome++;
			else
				open++;
		}
	if (traffic)
		rc = write_svg(traffic, &p, extract_robplot_traffic_light);
	if (rc == 0 && summary)
		rc = write_svg(summary, &p, extract_robplot_summary);
	if (rc == 0) {
		out_done(ctx, "plotted %zu studies", p.nstudies);
		if (open)
			ctx_warn(ctx, "%zu judgements are not final yet and are drawn as not assessed (see 'lsr rob compare')",
				 open);
		if (per_outcome)
			ctx_info(ctx, "%zu cells of domains judged per outcome (extraction.rob1_per_outcome) have no study-level judgement and are drawn as not assessed; --outcome NAME draws an outcome's",
				 per_outcome);
	}
	extract_rob_plot_free(&p);
out:
	strv_release(&weights);
	return rc;
}

static int rob_plot_sub(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *traffic = NULL, *summary = NULL, *weights = NULL, *outcome = NULL, *timepoint = NULL;
	struct opt opts[] = {
		OPT_STRING(0, "traffic-light", &traffic, "FILE.svg", "the traffic-light grid"),
		OPT_STRING(0, "summary", &summary, "FILE.svg", "the weighted summary bars"),
		OPT_STRING(0, "weights", &weights, "FILE.csv", "study,weight rows (default 1 each)"),
		OPT_STRING(0, "outcome", &outcome, "NAME", "the judgements that stand for this outcome"),
		OPT_STRING(0, "timepoint", &timepoint, "T", "and of this time point (rob2_per_timepoint)"),
		OPT_END(),
	};
	const char **args;
	int rc = opt_parse(argc, argv, opts, plot_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "plot takes options only");
	if (!traffic && !summary)
		return lsr_error_set(LSR_EUSAGE, "plot needs --traffic-light FILE.svg and/or --summary FILE.svg");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0)
		return rc;
	return rob_plot(traffic, summary, weights, outcome, timepoint, ctx);
}

static const struct opt_subcommand rob_subcommands[] = {
	OPT_SUBCOMMAND("sheet", rob_sheet, sheet_usage),
	OPT_SUBCOMMAND("import", rob_import, import_usage),
	OPT_SUBCOMMAND("compare", rob_compare, compare_usage),
	OPT_SUBCOMMAND("resolve", rob_resolve, resolve_usage),
	OPT_SUBCOMMAND("plot", rob_plot_sub, plot_usage),
	OPT_SUBCOMMAND_END(),
};

/* each subcommand opens the review once its options are read */
int cmd_rob(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return opt_subcommand(argc, argv, rob_subcommands, ctx);
}
