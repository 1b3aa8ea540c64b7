/*
 * cmd_grade.c - lsr grade: GRADE certainty and the summary-of-findings
 * table of the protocol's summary_of_findings outcomes, and the team's
 * ratings (pool/grade.c does the work).  docs/cmd/lsr-grade.md is the
 * manual.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../db/protocol.h"
#include "../db/update.h"
#include "../pool/grade.h"
#include "../util/csvtab.h"
#include "../util/err.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const show_usage[] = { "lsr grade [--update N] [--json | --csv]", NULL };
static const char *const set_usage[] = {
	"lsr grade set OUTCOME --domain D --rating N [--why TEXT]", NULL
};

enum { FMT_TEXT, FMT_JSON, FMT_CSV };

static const char *status_text(enum grade_status s)
{
	switch (s) {
	case GRADE_NOT_RUN:
		return "not graded: the analysis is not stored for this update (run 'lsr pool')";
	case GRADE_NO_DATA:
		return "not graded: no study has data";
	case GRADE_NO_TOTAL:
		return "not graded: the analysis has subtotals only (choose an analysis with a total)";
	default:
		return "";
	}
}

static void print_text(const struct grade_outcome *g)
{
	out_fprint(stdout, "%s\t[analysis %s]\n", g->label, g->sof->analysis);
	if (g->status != GRADE_OK) {
		printf("  %s\n", status_text(g->status));
		return;
	}
	printf("  %s %.2f [%.2f, %.2f], k = %d", g->measure, g->est, g->ci_lb, g->ci_ub, g->k);
	if (g->studies > g->k)
		printf(" (%d more not estimable)", g->studies - g->k);
	printf(", %.0f participants", g->participants);
	if (isfinite(g->events))
		printf(", %.0f events", g->events);
	printf("\n  certainty: %s %s (starts %s: %s)\n", grade_certainty_symbols(g->certainty),
	       grade_certainty_word(g->certainty), grade_certainty_word(g->start), g->start_why);
	for (int d = 0; d < GRADE_NDOMAINS; d++) {
		const struct grade_rating *x = &g->d[d];

		printf(x->rating > 0 ? "  %-21s %+2d  " : "  %-21s %2d  ",
		       grade_domain_title((enum grade_domain)d), x->rating);
		if (!grade_domain_suggested((enum grade_domain)d))
			printf("%s", x->rated ? "team" : "not rated by the team (lsr does not rate it)");
		else if (x->rated)
			printf("team (lsr suggests %d)", x->suggested);
		else
			printf("suggested by lsr");
		if (x->reason && x->reason[0])
			out_fprint(stdout, ": %s", x->reason);
		if (x->why)
			out_fprint(stdout, "; why: %s (%s, %s)", x->why, x->by, x->at);
		putchar('\n');
	}
	if (g->dichotomous && isfinite(g->acr))
		printf("  absolute: %.0f per 1,000 (%s) -> %.0f per 1,000 (%.0f to %.0f)\n",
		       1000 * g->acr, g->acr_from_protocol ? "assumed risk from the protocol"
							   : "median control risk", 1000 * g->cr,
		       1000 * g->cr_lb, 1000 * g->cr_ub);
}

/* a number cell, empty when NaN */
static void csv_num(double x, double scale, char sep)
{
	char b[64] = "";

	if (isfinite(x))
		snprintf(b, sizeof(b), "%.6g", x * scale);
	csvtab_put(stdout, b, sep);
}

static void print_csv_header(void)
{
	printf("outcome,label,analysis,status,measure,k,participants,events,estimate,ci_lb,ci_ub,"
	       "certainty,certainty_word,risk_of_bias,inconsistency,indirectness,imprecision,"
	       "publication_bias,large_effect,dose_response,plausible_confounding,assumed_per_1000,corresponding_per_1000,corresponding_ci_lb,"
	       "corresponding_ci_ub\n");
}

static void print_csv(const struct grade_outcome *g)
{
	static const char *const st[] = { "graded", "not-run", "no-data", "no-total" };
	int ok = g->status == GRADE_OK;

	csvtab_put(stdout, g->sof->outcome, ',');
	csvtab_put(stdout, g->label, ',');
	csvtab_put(stdout, g->sof->analysis, ',');
	csvtab_put(stdout, st[g->status], ',');
	csvtab_put(stdout, g->measure, ',');
	csv_num(ok ? g->k : NAN, 1, ',');
	csv_num(g->participants, 1, ',');
	csv_num(g->events, 1, ',');
	csv_num(g->est, 1, ',');
	csv_num(g->ci_lb, 1, ',');
	csv_num(g->ci_ub, 1, ',');
	csv_num(ok ? g->certainty : NAN, 1, ',');
	csvtab_put(stdout, ok ? grade_certainty_word(g->certainty) : "", ',');
	for (int d = 0; d < GRADE_NDOMAINS; d++)
		csv_num(ok ? g->d[d].rating : NAN, 1, ',');
	csv_num(g->acr, 1000, ',');
	csv_num(g->cr, 1000, ',');
	csv_num(g->cr_lb, 1000, ',');
	csv_num(g->cr_ub, 1000, '\n');
}

static int grade_show(int argc, const char **argv, struct lsr_ctx *ctx)
{
	long long update = -1;
	int fmt = FMT_TEXT, rc;
	struct opt opts[] = {
		OPT_INT(0, "update", &update, "N", "grade the analyses stored for update N (default: the latest)"),
		OPT_SET(0, "json", &fmt, FMT_JSON, "print one JSON object (docs/cmd/lsr-grade.md)"),
		OPT_SET(0, "csv", &fmt, FMT_CSV, "print CSV, one row per outcome"),
		OPT_END(),
	};
	const char **args;
	struct update_info u;
	json_t *doc = NULL, *arr = NULL;

	rc = opt_parse(argc, argv, opts, show_usage, &args);
	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "grade takes no arguments (did you mean 'lsr grade set'?)");
	if (update < -1 || update > 1000000)
		return lsr_error_set(LSR_EUSAGE, "--update takes an update number (0, 1, ...)");
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0 ||
	    (rc = update_latest(ctx->db, &u)) < 0)
		return rc;
	if (update > u.no)
		return lsr_error_set(LSR_EUSAGE, "no update %lld (the latest is %d)", update, u.no);
	if (update < 0)
		update = u.no;
	if (!ctx->protocol->nsof)
		ctx_warn(ctx, "the protocol lists no summary_of_findings outcomes");
	if (fmt == FMT_JSON) {
		doc = json_pack("{s:i, s:I, s:[]}", "schema_version", 1, "update", (json_int_t)update,
				"outcomes");
		if (!doc)
			return lsr_error_oom();
		arr = json_object_get(doc, "outcomes");
	} else if (fmt == FMT_CSV) {
		print_csv_header();
	}
	for (size_t i = 0; i < ctx->protocol->nsof && rc == 0; i++) {
		struct grade_outcome g;

		rc = grade_outcome_compute(&g, ctx->db, ctx->protocol, &ctx->protocol->sof[i], (int)update);
		if (rc == 0 && fmt == FMT_JSON) {
			json_t *j = grade_outcome_json(&g);

			rc = j ? json_array_append_new(arr, j) : lsr_error_oom();
		} else if (rc == 0 && fmt == FMT_CSV) {
			print_csv(&g);
		} else if (rc == 0) {
			print_text(&g);
		}
		grade_outcome_release(&g);
	}
	if (rc == 0 && doc)
		return out_json_doc(doc);
	json_decref(doc);
	return rc;
}

static int grade_set(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *domain = NULL, *why = NULL;
	long long rating = LLONG_MIN;
	struct opt opts[] = {
		OPT_STRING(0, "domain", &domain, "D", "risk-of-bias, inconsistency, indirectness, imprecision, publication-bias (rating down); large-effect, dose-response, plausible-confounding (rating up)"),
		OPT_INT(0, "rating", &rating, "N", "0, -1 or -2 levels down; 0, 1 or 2 up (large-effect), 0 or 1 (dose-response, plausible-confounding)"),
		OPT_STRING(0, "why", &why, "TEXT", "the justification (needed to override lsr's suggestion)"),
		OPT_END(),
	};
	const char **args;
	enum grade_domain d;
	int n = opt_parse(argc, argv, opts, set_usage, &args), rc, sug = 0, lo, hi;

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "set takes one OUTCOME");
	if (!domain || rating == LLONG_MIN)
		return lsr_error_set(LSR_EUSAGE, "set needs --domain D and --rating N");
	if ((rc = grade_domain_parse(&d, domain)) < 0)
		return rc;
	grade_rating_range(d, &lo, &hi);
	if (rating < lo || rating > hi)
		return lsr_error_set(LSR_EUSAGE, "--rating of %s takes %s, not %lld", domain,
				     grade_rating_choices(d), rating);
	if ((rc = ctx_open_review(ctx, NEED_DB | NEED_PROTOCOL)) < 0 ||
	    (rc = grade_rating_set(&sug, ctx->db, ctx->protocol, args[0], d, (int)rating, why, -1)) < 0)
		return rc;
	if (sug != GRADE_NO_SUGGESTION)
		out_done(ctx, "recorded %s of '%s': %lld (lsr suggests %d)", domain, args[0], rating, sug);
	else
		out_done(ctx, "recorded %s of '%s': %lld", domain, args[0], rating);
	return 0;
}

static const struct opt_subcommand grade_subcommands[] = {
	OPT_SUBCOMMAND_DEFAULT(grade_show, show_usage),
	OPT_SUBCOMMAND("set", grade_set, set_usage),
	OPT_SUBCOMMAND_END(),
};

/* each subcommand opens the review once its options are read */
int cmd_grade(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return opt_subcommand(argc, argv, grade_subcommands, ctx);
}
