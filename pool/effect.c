/*
 * effect.c - per-study effect sizes and their variances, under RevMan 5's
 * and metafor's conventions (docs/cmd/lsr-pool.md, "Methods and
 * conventions"), and the names of measures, methods and estimators.
 *
 * Binary data follow one of three zero-cell rules:
 *   revman5   0.5 added to all four cells of a study with a zero cell; OR
 *             studies with a = c = 0 or b = d = 0 and RR studies with
 *             a = c = 0 are not estimable; the RD point estimate uses the
 *             raw proportions (only its variance the corrected cells)
 *   escalc    metafor's escalc(add = 1/2, to = "only0", drop00 = FALSE):
 *             the same 0.5 rule, double-zero studies kept, RD from the
 *             corrected cells
 *   drop00    escalc with drop00 = TRUE, as rma.mh computes the per-study
 *             estimates it shows and takes Q from
 */
#include "pool_int.h"
#include "../util/err.h"

#include <string.h>
#include <strings.h>

static const char *const measure_names[] = { "MD", "SMD", "OR", "RR", "RD", "GIV" };
static const char *const method_names[] = { "IV", "MH", "Peto" };
static const char *const tau2_names[] = { "DL", "REML", "PM", "ML", "HS", "HE", "SJ", "EB" };
static const char *const conv_names[] = { "revman5", "metafor" };
static const char *const ci_names[] = { "z", "t", "hk", "hk-adhoc" };
static const char *const ci_metafor_names[] = { "z", "t", "knha", "adhoc" };

const char *pool_measure_name(enum pool_measure m)
{
	return measure_names[m];
}

const char *pool_method_name(enum pool_method m)
{
	return method_names[m];
}

const char *pool_tau2_name(enum pool_tau2 t)
{
	return tau2_names[t];
}

const char *pool_conv_name(enum pool_conv c)
{
	return conv_names[c];
}

const char *pool_ci_name(enum pool_ci c)
{
	return c == POOL_CI_UNSET ? "default" : ci_names[c];
}

const char *pool_ci_metafor_name(enum pool_ci c)
{
	return c == POOL_CI_UNSET ? "default" : ci_metafor_names[c];
}

const char *pool_ci_title(enum pool_ci c)
{
	switch (c) {
	case POOL_CI_T:
		return ", t-based CI";
	case POOL_CI_HK:
		return ", Hartung-Knapp";
	case POOL_CI_HK_ADHOC:
		return ", Hartung-Knapp (ad hoc)";
	default:
		return "";
	}
}

const char *pool_measure_title(enum pool_measure m)
{
	static const char *const titles[] = { "Mean Difference", "Std. Mean Difference",
					      "Odds Ratio", "Risk Ratio", "Risk Difference",
					      "Effect" };

	return titles[m];
}

/* The index of s in names (case-insensitive) into *out, or LSR_EUSAGE
 * "unknown <what> '<s>' (expected <expected>)". */
static int parse_name(int *out, const char *s, const char *const *names, size_t n,
		      const char *what, const char *expected)
{
	*out = 0;
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(s, names[i])) {
			*out = (int)i;
			return 0;
		}
	return lsr_error_set(LSR_EUSAGE, "unknown %s '%s' (expected %s)", what, s, expected);
}

int pool_measure_parse(enum pool_measure *out, const char *s)
{
	int v, rc = parse_name(&v, s, measure_names, 6, "measure", "MD, SMD, OR, RR, RD or GIV");

	*out = (enum pool_measure)v;
	return rc;
}

int pool_method_parse(enum pool_method *out, const char *s)
{
	int v, rc = parse_name(&v, s, method_names, 3, "method", "IV, MH or Peto");

	*out = (enum pool_method)v;
	return rc;
}

int pool_tau2_parse(enum pool_tau2 *out, const char *s)
{
	char word[16];
	size_t n = 0;
	int v;

	/* "DL(Q from MH)", "DL (separately per subgroup)": the estimator is
	 * the leading word, the rest a description */
	while (s[n] && s[n] != '(' && s[n] != ' ' && n < sizeof(word) - 1) {
		word[n] = s[n];
		n++;
	}
	word[n] = '\0';
	if ((s[n] && s[n] != '(' && s[n] != ' ') ||
	    parse_name(&v, word, tau2_names, 8, "tau2 estimator", "") < 0)
		return lsr_error_set(LSR_EUSAGE, "unknown tau2 estimator '%s' (expected REML, DL, PM, ML, HS, HE, SJ or EB)", s);
	*out = (enum pool_tau2)v;
	return 0;
}

int pool_conv_parse(enum pool_conv *out, const char *s)
{
	int v;

	/* "both": the reference files' mark for analyses that agree under
	 * either convention */
	if (!strcasecmp(s, "both")) {
		*out = POOL_CONV_REVMAN5;
		return 0;
	}
	if (parse_name(&v, s, conv_names, 2, "convention", "revman5 or metafor") < 0)
		return LSR_EUSAGE;
	*out = (enum pool_conv)v;
	return 0;
}

int pool_ci_parse(enum pool_ci *out, const char *s)
{
	int v;

	if (parse_name(&v, s, ci_names, 4, "CI method", "z, t, hk or hk-adhoc") < 0 &&
	    parse_name(&v, s, ci_metafor_names, 4, "CI method", "z, t, hk or hk-adhoc") < 0)
		return LSR_EUSAGE;
	*out = (enum pool_ci)v;
	return 0;
}

enum pool_data_type pool_measure_data_type(enum pool_measure m)
{
	switch (m) {
	case POOL_MD:
	case POOL_SMD:
		return POOL_DATA_CONT;
	case POOL_OR:
	case POOL_RR:
	case POOL_RD:
		return POOL_DATA_BIN;
	case POOL_GIV:
		break;
	}
	return POOL_DATA_GENERIC;
}

double pool_smd_j_exact(double m)
{
	if (!(m > 1))
		return NAN;
	return exp(lgamma(m / 2.0) - 0.5 * log(m / 2.0) - lgamma((m - 1.0) / 2.0));
}

double pool_smd_j_revman5(double N)
{
	return 1.0 - 3.0 / (4.0 * N - 9.0);
}

int pool_cells_raw(struct pool_cells *out, const struct pool_study *s)
{
	if (isnan(s->events1) || isnan(s->events2) || isnan(s->n1) || isnan(s->n2))
		return -1;
	out->a = s->events1;
	out->b = s->n1 - s->events1;
	out->c = s->events2;
	out->d = s->n2 - s->events2;
	out->n1 = s->n1;
	out->n2 = s->n2;
	out->N = s->n1 + s->n2;
	return 0;
}

void pool_cells_correct(struct pool_cells *c)
{
	c->a += 0.5;
	c->b += 0.5;
	c->c += 0.5;
	c->d += 0.5;
	c->n1 += 1;
	c->n2 += 1;
	c->N += 2;
}

int pool_cells_have_zero(const struct pool_cells *c)
{
	return c->a == 0 || c->b == 0 || c->c == 0 || c->d == 0;
}

static void not_estimable(struct pool_est *e, const char *why)
{
	e->status = POOL_EST_NOT_ESTIMABLE;
	e->reason = why;
	e->yi = e->vi = NAN;
}

static void effect_cont(struct pool_est *e, const struct pool_study *s, const struct pool_opts *o)
{
	double n1 = s->n1, n2 = s->n2, N = n1 + n2, sp, d;

	if (isnan(s->mean1) || isnan(s->mean2) || isnan(s->sd1) || isnan(s->sd2) ||
	    isnan(n1) || isnan(n2)) {
		not_estimable(e, "missing data");
		return;
	}
	if (o->measure == POOL_MD) {
		e->yi = s->mean1 - s->mean2;
		e->vi = s->sd1 * s->sd1 / n1 + s->sd2 * s->sd2 / n2;
		return;
	}
	/* SMD: needs a pooled SD with at least one degree of freedom */
	if (N < 3) {
		not_estimable(e, "too few participants for an SMD");
		return;
	}
	sp = sqrt(((n1 - 1) * s->sd1 * s->sd1 + (n2 - 1) * s->sd2 * s->sd2) / (N - 2));
	d = (s->mean1 - s->mean2) / sp;
	e->s_pooled = sp;
	e->d = d;
	if (o->conv == POOL_CONV_REVMAN5) {
		e->J = pool_smd_j_revman5(N);
		e->yi = d * e->J;
		e->vi = N / (n1 * n2) + e->yi * e->yi / (2.0 * (N - 3.94));
	} else {
		e->J = pool_smd_j_exact(N - 2);
		e->yi = d * e->J;
		e->vi = 1.0 / n1 + 1.0 / n2 + e->yi * e->yi / (2.0 * N);
	}
}

enum zero_rule { RULE_REVMAN5, RULE_ESCALC, RULE_DROP00 };

static void effect_peto(struct pool_est *e, const struct pool_study *s)
{
	struct pool_cells c;
	double xt;

	if (pool_cells_raw(&c, s) < 0) {
		not_estimable(e, "missing data");
		e->o_minus_e = e->v_peto = NAN;
		return;
	}
	xt = c.a + c.c;
	e->o_minus_e = c.a - xt * c.n1 / c.N;
	e->v_peto = xt * (c.b + c.d) * c.n1 * c.n2 / (c.N * c.N * (c.N - 1));
	if (!(e->v_peto > 0)) {
		not_estimable(e, "no information (V = 0): no events, or only events, in both arms");
		return;
	}
	e->yi = e->o_minus_e / e->v_peto;
	e->vi = 1.0 / e->v_peto;
}

static void effect_bin(struct pool_est *e, const struct pool_study *s, enum pool_measure m,
		       enum zero_rule rule)
{
	struct pool_cells raw, c;
	int zero, both00, both_all;

	if (pool_cells_raw(&raw, s) < 0) {
		not_estimable(e, "missing data");
		return;
	}
	c = raw;
	zero = pool_cells_have_zero(&raw);
	both00 = raw.a == 0 && raw.c == 0;
	both_all = raw.b == 0 && raw.d == 0;
	if (rule == RULE_REVMAN5) {
		if (m == POOL_OR && (both00 || both_all)) {
			not_estimable(e, both00 ? "no events in either arm" : "only events in both arms");
			return;
		}
		if (m == POOL_RR && both00) {
			not_estimable(e, "no events in either arm");
			return;
		}
	} else if (rule == RULE_DROP00 && (both00 || both_all)) {
		not_estimable(e, both00 ? "no events in either arm" : "only events in both arms");
		return;
	}
	if (zero) {
		pool_cells_correct(&c);
		e->cc = 1;
	}
	switch (m) {
	case POOL_OR:
		e->yi = log((c.a * c.d) / (c.b * c.c));
		e->vi = 1.0 / c.a + 1.0 / c.b + 1.0 / c.c + 1.0 / c.d;
		break;
	case POOL_RR:
		e->yi = log((c.a / c.n1) / (c.c / c.n2));
		e->vi = 1.0 / c.a - 1.0 / c.n1 + 1.0 / c.c - 1.0 / c.n2;
		break;
	case POOL_RD:
		if (rule == RULE_REVMAN5)
			e->yi = raw.a / raw.n1 - raw.c / raw.n2;
		else
			e->yi = c.a / c.n1 - c.c / c.n2;
		e->vi = c.a * c.b / (c.n1 * c.n1 * c.n1) + c.c * c.d / (c.n2 * c.n2 * c.n2);
		break;
	default:
		BUG("binary effect for measure %d", (int)m);
	}
}

void pool_effect_compute(struct pool_est *e, const struct pool_input *in, size_t i,
			 const struct pool_opts *o)
{
	const struct pool_study *s = &in->studies[i];

	memset(e, 0, sizeof(*e));
	e->status = POOL_EST_INCLUDED;
	e->J = e->d = e->s_pooled = NAN;
	e->o_minus_e = e->v_peto = NAN;
	e->weight = e->weight_pct = NAN;
	switch (in->type) {
	case POOL_DATA_CONT:
		effect_cont(e, s, o);
		break;
	case POOL_DATA_GENERIC:
		if (isnan(s->yi) || isnan(s->vi)) {
			not_estimable(e, "missing data");
			break;
		}
		e->yi = s->yi;
		e->vi = s->vi;
		break;
	case POOL_DATA_BIN:
		if (o->method == POOL_METHOD_PETO)
			effect_peto(e, s);
		else if (o->conv == POOL_CONV_REVMAN5)
			effect_bin(e, s, o->measure, RULE_REVMAN5);
		else
			effect_bin(e, s, o->measure,
				   o->method == POOL_METHOD_MH ? RULE_DROP00 : RULE_ESCALC);
		break;
	}
	if (e->status == POOL_EST_INCLUDED && (!isfinite(e->yi) || !(e->vi > 0) || !isfinite(e->vi)))
		not_estimable(e, "the effect or its variance cannot be computed from these data");
	if (e->status == POOL_EST_INCLUDED) {
		double h = pool_z_crit(o->level) * sqrt(e->vi);

		e->ci_lb = e->yi - h;
		e->ci_ub = e->yi + h;
	} else {
		e->ci_lb = e->ci_ub = NAN;
	}
}
