/*
 * cmd_extract.c - lsr extract: extraction sheets, import, dual-extraction
 * comparison and resolution, export for metafor, and the mean/SD
 * calculator (which works outside a review).
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../extract/extract.h"
#include "../util/err.h"
#include "../util/outfile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* each subcommand's usage; 'lsr extract -h' prints them all */
static const char *const sheet_usage[] = {
	"lsr extract sheet (--characteristics | --outcomes) [--study LABEL] [-o FILE.csv]", NULL
};
static const char *const import_usage[] = {
	"lsr extract import FILE.csv --extractor NAME [--json]", NULL
};
static const char *const compare_usage[] = {
	"lsr extract compare [--all] [--json]", NULL
};
static const char *const resolve_usage[] = {
	"lsr extract resolve --study LABEL (--characteristic NAME | --outcome O --timepoint T --arm A --field F)\n"
	"                    (--value V | --not-reported | --take EXTRACTOR) [--note TEXT] [--by NAME]",
	NULL
};
static const char *const export_usage[] = {
	"lsr extract export --format csv|metafor|revman [--outcome O] [-o FILE.csv]", NULL
};
static const char *const convert_usage[] = {
	"lsr extract convert --n N (--se X | --ci-low L --ci-high H [--ci-level P] |\n"
	"                    --median M [--q1 A --q3 B] [--min C --max D] [--sd-method shi|wan])\n"
	"                    [--mean M] [--json]",
	"lsr extract convert --group N,MEAN,SD --group N,MEAN,SD... [--json]",
	NULL
};

/* "--arm N,MEAN,SD" */
static int parse_arm(struct extract_arm *a, const char *s)
{
	char *end;
	const char *p = s;
	double v[3];

	for (int i = 0; i < 3; i++) {
		v[i] = strtod(p, &end);
		if (end == p || (i < 2 ? *end != ',' : *end != '\0'))
			return lsr_error_set(LSR_EUSAGE, "--group expects N,MEAN,SD, not '%s'", s);
		p = end + 1;
	}
	a->n = v[0];
	a->mean = v[1];
	a->sd = v[2];
	return 0;
}

static void print_number(const char *name, double v)
{
	if (isnan(v))
		printf("%s not reported\n", name);
	else
		printf("%s %.7g\n", name, v);
}

static int print_result(double n, double mean, double sd, const char *method, int json)
{
	if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "schema_version", json_integer(1));
		json_object_set_new(o, "n", json_integer((json_int_t)n));
		json_object_set_new(o, "mean", isnan(mean) ? json_null() : json_real(mean));
		json_object_set_new(o, "sd", json_real(sd));
		json_object_set_new(o, "method", json_string(method));
		return out_json_doc(o);
	}
	print_number("n", n);
	print_number("mean", mean);
	print_number("sd", sd);
	printf("method %s\n", method);
	return 0;
}

static int extract_convert_cmd(struct extract_reported *r, const char *sd_method,
			       const struct strv *arms, int json)
{
	struct extract_meansd m;
	int rc;

	if (arms->n) {
		struct extract_arm acc, next;

		if ((rc = parse_arm(&acc, arms->v[0])) < 0)
			return rc;
		if (arms->n < 2)
			return lsr_error_set(LSR_EUSAGE, "combining groups needs at least two --group");
		for (size_t i = 1; i < arms->n; i++) {
			if ((rc = parse_arm(&next, arms->v[i])) < 0 ||
			    (rc = extract_convert_combine(&acc, &acc, &next)) < 0)
				return rc;
		}
		return print_result(acc.n, acc.mean, acc.sd, "cochrane-combine", json);
	}
	if (isnan(r->n))
		return lsr_error_set(LSR_EUSAGE, "convert needs --n N (the group size)");
	if (sd_method) {
		if (!strcmp(sd_method, "wan"))
			r->five_sd = EXTRACT_FIVE_WAN;
		else if (strcmp(sd_method, "shi"))
			return lsr_error_set(LSR_EUSAGE, "--sd-method expects shi or wan, not '%s'",
					     sd_method);
	}
	if (isnan(r->se) && isnan(r->ci_low) && isnan(r->ci_high) && isnan(r->median) &&
	    isnan(r->q1) && isnan(r->q3) && isnan(r->min) && isnan(r->max))
		return lsr_error_set(LSR_EUSAGE,
				     "convert needs --se, --ci-low/--ci-high, or --median with --q1/--q3 and/or --min/--max");
	if (!isnan(r->se) + (!isnan(r->ci_low) || !isnan(r->ci_high)) + !isnan(r->median) > 1)
		return lsr_error_set(LSR_EUSAGE, "give one of --se, a CI, or a median, not several");
	if ((rc = extract_convert(&m, r)) < 0)
		return rc;
	return print_result(r->n, m.mean, m.sd, m.method, json);
}

static int extract_convert_sub(int argc, const char **argv, struct lsr_ctx *ctx)
{
	struct extract_reported r;
	const char *sd_method = NULL;
	struct strv arms = STRV_INIT;
	int json = 0, n, rc;
	const char **args;

	(void)ctx;
	extract_reported_init(&r);
	{
		struct opt opts[] = {
			OPT_DOUBLE(0, "n", &r.n, "N", "the group size"),
			OPT_DOUBLE(0, "mean", &r.mean, "M", "the mean, when reported"),
			OPT_DOUBLE(0, "se", &r.se, "X", "the standard error of the mean"),
			OPT_DOUBLE(0, "ci-low", &r.ci_low, "L", "lower limit of the CI of the mean"),
			OPT_DOUBLE(0, "ci-high", &r.ci_high, "H", "upper limit of the CI of the mean"),
			OPT_DOUBLE(0, "ci-level", &r.ci_level, "P", "the CI's level in percent (95)"),
			OPT_DOUBLE(0, "median", &r.median, "M", "the median"),
			OPT_DOUBLE(0, "q1", &r.q1, "A", "the first quartile"),
			OPT_DOUBLE(0, "q3", &r.q3, "B", "the third quartile"),
			OPT_DOUBLE(0, "min", &r.min, "C", "the minimum"),
			OPT_DOUBLE(0, "max", &r.max, "D", "the maximum"),
			OPT_STRING(0, "sd-method", &sd_method, "shi|wan",
				   "SD from all five numbers by Shi 2020 (default) or Wan 2014"),
			OPT_LIST(0, "group", &arms, "N,MEAN,SD", "combine these groups (arms) into one"),
			OPT_BOOL(0, "json", &json, "one JSON object"),
			OPT_END(),
		};

		n = opt_parse(argc, argv, opts, convert_usage, &args);
	}
	if (n < 0 || n == OPT_HELP)
		rc = n;
	else if (n > 0)
		rc = lsr_error_set(LSR_EUSAGE, "convert takes no arguments, only options");
	else
		rc = extract_convert_cmd(&r, sd_method, &arms, json);
	strv_release(&arms);
	return rc;
}

static const char *const state_names[] = { "agreed", "resolved", "differ", "pending" };

static int print_item(const struct extract_item *it, void *payload)
{
	int json = *(int *)payload;

	if (json) {
		json_t *o = json_object(), *vals = json_object();

		json_object_set_new(o, "study", json_string(it->study));
		json_object_set_new(o, "outcome", out_jstr(it->outcome));
		json_object_set_new(o, "timepoint", out_jstr(it->timepoint));
		json_object_set_new(o, "arm", out_jstr(it->arm));
		json_object_set_new(o, "field", json_string(it->field));
		json_object_set_new(o, "state", json_string(state_names[it->state]));
		for (size_t i = 0; i < it->nvalues; i++)
			json_object_set_new(vals, it->extractors[i], out_jstr(it->values[i]));
		json_object_set_new(o, "values", vals);
		json_object_set_new(o, "agreed", out_jstr(it->agreed));
		return out_json_line(o);
	}
	if (it->outcome)
		out_fprint(stdout, "%s\t%s @ %s, %s: %s %s:", it->study, it->outcome, it->timepoint, it->arm,
		       it->field, state_names[it->state]);
	else
		out_fprint(stdout, "%s\t%s: %s:", it->study, it->field, state_names[it->state]);
	for (size_t i = 0; i < it->nvalues; i++)
		out_fprint(stdout, "%s %s '%s'", i ? "," : "", it->extractors[i],
		       it->values[i] ? it->values[i] : "");
	if (it->state == EXTRACT_AGREED || it->state == EXTRACT_RESOLVED)
		out_fprint(stdout, " -> '%s'", it->agreed ? it->agreed : "");
	putchar('\n');
	return 0;
}

static int extract_sheet_sub(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *study = NULL, *output = NULL;
	int chars = 0, outcomes = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "characteristics", &chars, "the study characteristics"),
		OPT_BOOL(0, "outcomes", &outcomes, "the outcome data"),
		OPT_STRING(0, "study", &study, "LABEL", "this study only"),
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
	if (chars == outcomes)
		return lsr_error_set(LSR_EUSAGE, "sheet needs --characteristics or --outcomes");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0 ||
	    (rc = outfile_open(&o, output)) < 0)
		return rc;
	rc = extract_sheet_write(outfile_fp(o), ctx->db, ctx->protocol,
				 chars ? EXTRACT_SHEET_CHARACTERISTICS : EXTRACT_SHEET_OUTCOMES, study);
	return outfile_finish(o, rc);
}

static int extract_import_sub(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *extractor = NULL;
	int json = 0;
	struct opt opts[] = {
		OPT_STRING(0, "extractor", &extractor, "NAME", "who extracted the sheet"),
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
	if (!extractor)
		return lsr_error_set(LSR_EUSAGE, "import needs --extractor NAME");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0 ||
	    (rc = extract_sheet_import(&res, ctx->db, ctx->protocol, args[0], extractor)) < 0)
		return rc;
	if (json) {
		json_t *flags = json_array();

		for (size_t i = 0; i < res.p_flags.n; i++)
			json_array_append_new(flags, json_string(res.p_flags.v[i]));
		strv_release(&res.p_flags);
		return out_json_doc(json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I, s:o}", "schema_version", 1,
					      "kind", res.kind == EXTRACT_SHEET_OUTCOMES ? "outcomes" : "characteristics",
					      "extractor", extractor, "import", (json_int_t)res.import_id,
					      "rows", (json_int_t)res.rows, "values", (json_int_t)res.values,
					      "studies", (json_int_t)res.studies, "p_inconsistent", flags));
	}
	printf("imported %s sheet '%s' extracted by %s: %zu rows, %zu values, %zu studies\n",
	       res.kind == EXTRACT_SHEET_OUTCOMES ? "outcome" : "characteristics", args[0], extractor,
	       res.rows, res.values, res.studies);
	for (size_t i = 0; i < res.p_flags.n; i++)
		ctx_warn(ctx, "%s; stored as printed (the report flags it)", res.p_flags.v[i]);
	strv_release(&res.p_flags);
	return 0;
}

static int extract_compare_sub(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int all = 0, json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "all", &all, "list every item, agreed ones too"),
		OPT_BOOL(0, "json", &json, "JSON Lines, one object per item"),
		OPT_END(),
	};
	struct extract_compare_counts c;
	const char **args;
	int rc = opt_parse(argc, argv, opts, compare_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "compare takes options only");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0 ||
	    (rc = extract_compare(&c, ctx->db, ctx->protocol, all, print_item, &json)) < 0)
		return rc;
	if (!json)
		printf("%zu agreed, %zu resolved, %zu differ, %zu pending\n", c.agreed, c.resolved,
		       c.differ, c.pending);
	return 0;
}

static int extract_resolve_sub(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *study = NULL, *characteristic = NULL, *outcome = NULL, *timepoint = NULL;
	const char *arm = NULL, *field = NULL, *value = NULL, *take = NULL, *note = NULL;
	const char *by = NULL;
	int not_reported = 0;
	struct opt opts[] = {
		OPT_STRING(0, "study", &study, "LABEL", "the study"),
		OPT_STRING(0, "characteristic", &characteristic, "NAME", "a characteristic"),
		OPT_STRING(0, "outcome", &outcome, "O", "an outcome"),
		OPT_STRING(0, "timepoint", &timepoint, "T", "the time point"),
		OPT_STRING(0, "arm", &arm, "A", "the arm (intervention, control, ...)"),
		OPT_STRING(0, "field", &field, "F", "n, mean, sd, se, ci_low, ..."),
		OPT_STRING(0, "value", &value, "V", "the agreed value"),
		OPT_BOOL(0, "not-reported", &not_reported, "agreed that it is not reported"),
		OPT_STRING(0, "take", &take, "EXTRACTOR", "take this extractor's value"),
		OPT_STRING(0, "note", &note, "TEXT", "why"),
		OPT_STRING(0, "by", &by, "NAME", "who resolved it (third extractor or consensus; default $LSR_USER or $USER)"),
		OPT_END(),
	};
	struct extract_item_key key;
	const char **args;
	int rc = opt_parse(argc, argv, opts, resolve_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "resolve takes options only");
	if (!study || (!characteristic == !outcome) || (outcome && !field) ||
	    (characteristic && (field || timepoint || arm)))
		return lsr_error_set(LSR_EUSAGE,
				     "resolve needs --study and either --characteristic NAME or --outcome, --timepoint, --arm and --field");
	if ((value != NULL) + not_reported + (take != NULL) != 1)
		return lsr_error_set(LSR_EUSAGE, "resolve needs one of --value V, --not-reported or --take EXTRACTOR");
	if (by && !*by)
		return lsr_error_set(LSR_EUSAGE, "--by needs a name");
	key = (struct extract_item_key){ study, outcome, timepoint, arm,
					 characteristic ? characteristic : field };
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0 ||
	    (rc = extract_resolve(ctx->db, ctx->protocol, &key, value, take, note, by)) < 0)
		return rc;
	out_done(ctx, "recorded the agreed value of %s%s%s%s%s%s%s, %s", study,
		 outcome ? ", " : "", outcome ? outcome : "", outcome ? " at " : "",
		 outcome ? timepoint : "", outcome ? ", " : "", outcome ? arm : "", key.field);
	return 0;
}

static int extract_export_sub(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *format = NULL, *outcome = NULL, *output = NULL;
	struct opt opts[] = {
		OPT_STRING(0, "format", &format, "F", "csv (lsr's columns), metafor (escalc's names) or revman (RevMan's data table)"),
		OPT_STRING(0, "outcome", &outcome, "O", "this outcome only"),
		OPT_STRING('o', "output", &output, "FILE", "write FILE (default stdout)"),
		OPT_END(),
	};
	static const char *const formats[] = { "csv", "metafor", "revman" };
	const char **args;
	struct outfile *o;
	int rc = opt_parse(argc, argv, opts, export_usage, &args), fmt = -1;

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "export takes options only");
	for (int i = 0; format && i < 3; i++)
		if (!strcmp(format, formats[i]))
			fmt = i;
	if (fmt < 0)
		return lsr_error_set(LSR_EUSAGE, "export needs --format csv, metafor or revman");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0 ||
	    (rc = outfile_open(&o, output)) < 0)
		return rc;
	rc = extract_export(outfile_fp(o), ctx->db, ctx->protocol, outcome, (enum extract_export_format)fmt);
	return outfile_finish(o, rc);
}

static const struct opt_subcommand extract_subcommands[] = {
	OPT_SUBCOMMAND("sheet", extract_sheet_sub, sheet_usage),
	OPT_SUBCOMMAND("import", extract_import_sub, import_usage),
	OPT_SUBCOMMAND("compare", extract_compare_sub, compare_usage),
	OPT_SUBCOMMAND("resolve", extract_resolve_sub, resolve_usage),
	OPT_SUBCOMMAND("export", extract_export_sub, export_usage),
	OPT_SUBCOMMAND("convert", extract_convert_sub, convert_usage),
	OPT_SUBCOMMAND_END(),
};

/* convert is a calculator and works anywhere; the others open the review
 * once their options are read (lsr.c's table gives extract no flags) */
int cmd_extract(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return opt_subcommand(argc, argv, extract_subcommands, ctx);
}
