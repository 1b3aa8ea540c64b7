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

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const extract_usage[] = {
	"lsr extract convert --n N (--se X | --ci-low L --ci-high H [--ci-level P] |\n"
	"                     --median M [--q1 A --q3 B] [--min C --max D] [--sd-method shi|wan])\n"
	"                     [--mean M] [--json]",
	"lsr extract convert --arm N,MEAN,SD --arm N,MEAN,SD... [--json]",
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
			return lsr_error_set(LSR_EUSAGE, "--arm expects N,MEAN,SD, not '%s'", s);
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

		if (arms->n < 2)
			return lsr_error_set(LSR_EUSAGE, "combining arms needs at least two --arm");
		if ((rc = parse_arm(&acc, arms->v[0])) < 0)
			return rc;
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

int cmd_extract(int argc, const char **argv, struct lsr_ctx *ctx)
{
	struct extract_reported r;
	const char *sd_method = NULL;
	struct strv arms = STRV_INIT;
	int json = 0;
	const char **args;
	int n, rc;

	extract_reported_init(&r);
	{
		struct opt opts[] = {
			OPT_DOUBLE(0, "n", &r.n, "N", "convert: the group size"),
			OPT_DOUBLE(0, "mean", &r.mean, "M", "convert: the mean, when reported"),
			OPT_DOUBLE(0, "se", &r.se, "X", "convert: the standard error of the mean"),
			OPT_DOUBLE(0, "ci-low", &r.ci_low, "L", "convert: lower limit of the CI of the mean"),
			OPT_DOUBLE(0, "ci-high", &r.ci_high, "H", "convert: upper limit of the CI of the mean"),
			OPT_DOUBLE(0, "ci-level", &r.ci_level, "P", "convert: the CI's level in percent (95)"),
			OPT_DOUBLE(0, "median", &r.median, "M", "convert: the median"),
			OPT_DOUBLE(0, "q1", &r.q1, "A", "convert: the first quartile"),
			OPT_DOUBLE(0, "q3", &r.q3, "B", "convert: the third quartile"),
			OPT_DOUBLE(0, "min", &r.min, "C", "convert: the minimum"),
			OPT_DOUBLE(0, "max", &r.max, "D", "convert: the maximum"),
			OPT_STRING(0, "sd-method", &sd_method, "shi|wan",
				   "convert: SD from all five numbers by Shi 2020 (default) or Wan 2014"),
			OPT_LIST(0, "arm", &arms, "N,MEAN,SD", "convert: combine these arms into one"),
			OPT_BOOL(0, "json", &json, "one JSON object"),
			OPT_END(),
		};

		n = opt_parse(argc, argv, opts, extract_usage, &args);
	}
	if (n < 0 || n == OPT_HELP) {
		rc = n;
		goto out;
	}
	if (n == 0) {
		rc = lsr_error_set(LSR_EUSAGE, "extract needs a subcommand (convert)");
		goto out;
	}
	if (!strcmp(args[0], "convert")) {
		if (n > 1) {
			rc = lsr_error_set(LSR_EUSAGE, "convert takes no arguments, only options");
			goto out;
		}
		rc = extract_convert_cmd(&r, sd_method, &arms, json);
		goto out;
	}
	(void)ctx;
	rc = lsr_error_set(LSR_EUSAGE, "unknown extract subcommand '%s'", args[0]);
out:
	strv_release(&arms);
	return rc;
}
