/*
 * table.c - the analysis as a RevMan-like table for people: per study the
 * data, the weight and the effect with its CI; the pooled line, the
 * heterogeneity line and the test for the overall effect; subgroups with
 * their subtotals and the test for subgroup differences; then the
 * sensitivity analyses and small-study tests that were asked for.
 *
 * Numbers are rounded only here (effects, CIs and generic estimates and
 * SEs by pool_fmt_num, the forest plot's rule too: 2 decimals, 3
 * significant digits below 0.1; I2 to a whole percentage, P < 0.00001 for
 * very small p, as RevMan 5 prints them);
 * ratios are shown back-transformed.  The layout may change; --json is the
 * contract.
 */
#include "pool_int.h"
#include "../util/err.h"
#include "../util/text.h"

#include <stdlib.h>
#include <string.h>

static void pad(struct buf *b, const char *s, size_t w)
{
	size_t n = text_chars(s);

	buf_adds(b, s);
	while (n++ < w)
		buf_addc(b, ' ');
}

void pool_fmt_p(char *out, size_t n, double p)
{
	if (isnan(p))
		snprintf(out, n, "n/a");
	else if (p < 0.00001)
		snprintf(out, n, "< 0.00001");
	else if (p < 0.0001)
		snprintf(out, n, "= %.5f", p);
	else if (p < 0.001)
		snprintf(out, n, "= %.4f", p);
	else if (p < 0.01)
		snprintf(out, n, "= %.3f", p);
	else
		snprintf(out, n, "= %.2f", p);
}

/*
 * RevMan's numbers, for the table and the forest plot alike: an effect, a
 * CI bound or a generic inverse-variance estimate or SE to 2 decimals, or
 * to 3 significant digits when it is below 0.1 in magnitude (0.0123) or
 * too large for decimals to matter (1.23e+05).  Only output for people is
 * rounded: --json and --csv keep full precision.
 */
void pool_fmt_num(char *out, size_t n, double x)
{
	if (x == 0 || (fabs(x) >= 0.1 && fabs(x) < 1e5))
		snprintf(out, n, "%.2f", x);
	else
		snprintf(out, n, "%.3g", x);
}

static double add(double sum, double x)
{
	return isnan(x) ? sum : sum + x;
}

void pool_totals(struct pool_totals *t, const struct pool_result *r, const unsigned char *mask)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < r->in->k; i++) {
		const struct pool_study *st = &r->in->studies[i];

		if ((mask && !mask[i]) || r->est[i].status == POOL_EST_EXCLUDED)
			continue;
		if (r->est[i].status == POOL_EST_INCLUDED)
			t->weight_pct = add(t->weight_pct, r->est[i].weight_pct);
		else
			t->not_estimable++;
		t->studies++;
		t->n1 = add(t->n1, st->n1);
		t->n2 = add(t->n2, st->n2);
		t->events1 = add(t->events1, st->events1);
		t->events2 = add(t->events2, st->events2);
	}
}

/* An effect with its CI on the display scale: "0.72 [0.49, 1.06]". */
void pool_fmt_effect(char *out, size_t n, const struct pool_result *r, double est,
		     double lb, double ub)
{
	char e[32], l[32], u[32];

	if (!isfinite(est)) {
		snprintf(out, n, "Not estimable");
		return;
	}
	if (r->log_scale) {
		est = exp(est);
		lb = exp(lb);
		ub = exp(ub);
	}
	pool_fmt_num(e, sizeof(e), est);
	if (!isfinite(lb) || !isfinite(ub)) {
		/* Hartung-Knapp with SE 0, a CI that could not be formed */
		snprintf(out, n, "%s [no CI]", e);
		return;
	}
	pool_fmt_num(l, sizeof(l), lb);
	pool_fmt_num(u, sizeof(u), ub);
	snprintf(out, n, "%s [%s, %s]", e, l, u);
}

/* "M-H, Random, 95% CI" */
void pool_fmt_method(char *out, size_t n, const struct pool_result *r)
{
	static const char *const m[] = { "IV", "M-H", "Peto" };

	snprintf(out, n, "%s, %s, %g%% CI", m[r->opts.method],
		 r->opts.model == POOL_MODEL_RANDOM ? "Random" : "Fixed", 100 * r->opts.level);
}

/* The I2 the convention shows: RevMan 5's from Q, metafor's from tau2. */
double pool_shown_i2(const struct pool_result *r, const struct pool_summary *s)
{
	return r->opts.conv == POOL_CONV_REVMAN5 ? s->I2_from_Q : s->I2;
}

/* "Heterogeneity: Tau² = 0.31; Chi² = 152.57, df = 12 (P < 0.00001); I² = 92%" */
void pool_fmt_hetero(struct buf *b, const struct pool_result *r, const struct pool_summary *s)
{
	char p[32];

	if (!(s->df > 0)) {
		buf_adds(b, "Heterogeneity: Not applicable");
		return;
	}
	pool_fmt_p(p, sizeof(p), s->p_Q);
	buf_adds(b, "Heterogeneity: ");
	if (s->random)
		buf_printf(b, "Tau\u00b2 = %.2f; ", s->tau2);
	buf_printf(b, "Chi\u00b2 = %.2f, df = %.0f (P %s); I\u00b2 = %.0f%%", s->Q, s->df, p,
		   pool_shown_i2(r, s));
}

/* "Test for overall effect: Z = 3.29 (P = 0.001)" */
void pool_fmt_overall(struct buf *b, const struct pool_summary *s)
{
	char p[32];

	if (s->degenerate) {
		buf_adds(b, "Test for overall effect: Not applicable (Hartung-Knapp SE is 0: all estimates identical, interval degenerate)");
		return;
	}
	if (!isfinite(s->stat)) {
		buf_adds(b, "Test for overall effect: Not applicable");
		return;
	}
	pool_fmt_p(p, sizeof(p), s->p);
	if (s->ci != POOL_CI_Z)
		buf_printf(b, "Test for overall effect: t = %.2f (df = %.0f, P %s)", fabs(s->stat),
			   s->df_t, p);
	else
		buf_printf(b, "Test for overall effect: Z = %.2f (P %s)", fabs(s->stat), p);
}

static void data_cells(struct buf *b, const struct pool_result *r, size_t i)
{
	const struct pool_study *s = &r->in->studies[i];
	char t[160], y[32], se[32];

	switch (r->in->type) {
	case POOL_DATA_CONT:
		snprintf(t, sizeof(t), "%9.4g %8.4g %6.4g   %9.4g %8.4g %6.4g", s->mean1, s->sd1, s->n1,
			 s->mean2, s->sd2, s->n2);
		break;
	case POOL_DATA_BIN:
		snprintf(t, sizeof(t), "%7.6g %7.6g   %7.6g %7.6g", s->events1, s->n1, s->events2, s->n2);
		break;
	case POOL_DATA_GENERIC:
		pool_fmt_num(y, sizeof(y), s->yi);
		pool_fmt_num(se, sizeof(se), sqrt(s->vi));
		snprintf(t, sizeof(t), "%10s %10s", y, se);
		break;
	}
	/* nan prints as "nan": show a blank as RevMan does for missing data */
	for (char *p = strstr(t, "nan"); p; p = strstr(p, "nan"))
		memcpy(p, "  -", 3);
	buf_adds(b, t);
}

static size_t data_width(const struct pool_result *r)
{
	switch (r->in->type) {
	case POOL_DATA_CONT:
		return 53;
	case POOL_DATA_BIN:
		return 33;
	case POOL_DATA_GENERIC:
		break;
	}
	return 21;
}

/* text centred in w columns */
static void centre(struct buf *b, const char *s, size_t w)
{
	size_t n = text_chars(s), left = n < w ? (w - n) / 2 : 0;

	for (size_t i = 0; i < left; i++)
		buf_addc(b, ' ');
	pad(b, s, w - left);
}

static void header(struct buf *b, const struct pool_result *r, size_t lw)
{
	char m[64];
	size_t arm = r->in->type == POOL_DATA_CONT ? 25 : 15;

	pool_fmt_method(m, sizeof(m), r);
	pad(b, "Study or Subgroup", lw);
	buf_adds(b, "  ");
	if (r->in->type == POOL_DATA_GENERIC) {
		centre(b, r->log_scale ? "log[Effect]" : "Effect", data_width(r));
	} else {
		centre(b, "Experimental", arm);
		buf_adds(b, "   ");
		centre(b, "Control", arm);
	}
	buf_printf(b, " %7s   %s\n", "Weight", pool_measure_title(r->opts.measure));
	pad(b, "", lw);
	switch (r->in->type) {
	case POOL_DATA_CONT:
		buf_printf(b, "  %9s %8s %6s   %9s %8s %6s", "Mean", "SD", "Total", "Mean", "SD", "Total");
		break;
	case POOL_DATA_BIN:
		buf_printf(b, "  %7s %7s   %7s %7s", "Events", "Total", "Events", "Total");
		break;
	case POOL_DATA_GENERIC:
		buf_printf(b, "  %10s %10s", "Estimate", "SE");
		break;
	}
	buf_printf(b, " %7s   %s\n", "", m);
}

static void study_line(struct buf *b, const struct pool_result *r, size_t i, size_t lw)
{
	const struct pool_est *e = &r->est[i];
	char w[16] = "", eff[64];

	pad(b, r->in->studies[i].label, lw);
	buf_adds(b, "  ");
	data_cells(b, r, i);
	if (isfinite(e->weight_pct))
		snprintf(w, sizeof(w), "%.1f%%", e->weight_pct);
	if (e->status == POOL_EST_NOT_ESTIMABLE)
		snprintf(eff, sizeof(eff), "Not estimable");
	else
		pool_fmt_effect(eff, sizeof(eff), r, e->yi, e->ci_lb, e->ci_ub);
	buf_printf(b, " %7s   %s%s\n", w, eff, e->status == POOL_EST_EXCLUDED ? "  (excluded)" : "");
}

/* Total line, events line, heterogeneity and overall test of a set of
 * studies (mask) summarised by s. */
static void total_block(struct buf *b, const struct pool_result *r, const unsigned char *mask,
			const struct pool_summary *s, const char *what, size_t lw)
{
	struct pool_totals tot;
	char eff[64], t[160];

	pool_totals(&tot, r, mask);
	pool_fmt_effect(eff, sizeof(eff), r, s->estimate, s->ci_lb, s->ci_ub);
	pad(b, what, lw);
	switch (r->in->type) {
	case POOL_DATA_CONT:
		snprintf(t, sizeof(t), "  %9s %8s %6.6g   %9s %8s %6.6g", "", "", tot.n1, "", "", tot.n2);
		break;
	case POOL_DATA_BIN:
		snprintf(t, sizeof(t), "  %7s %7.6g   %7s %7.6g", "", tot.n1, "", tot.n2);
		break;
	case POOL_DATA_GENERIC:
		snprintf(t, sizeof(t), "  %*s", (int)data_width(r), "");
		break;
	}
	buf_adds(b, t);
	buf_printf(b, " %6.1f%%   %s\n", tot.weight_pct, eff);
	if (r->in->type == POOL_DATA_BIN) {
		pad(b, "Total events", lw);
		buf_printf(b, "  %7.6g %7s   %7.6g\n", tot.events1, "", tot.events2);
	}
	pool_fmt_hetero(b, r, s);
	buf_addc(b, '\n');
	pool_fmt_overall(b, s);
	buf_addc(b, '\n');
	if (s->random && isfinite(s->pi_lb)) {
		char lb[32], ub[32];

		pool_fmt_num(lb, sizeof(lb), r->log_scale ? exp(s->pi_lb) : s->pi_lb);
		pool_fmt_num(ub, sizeof(ub), r->log_scale ? exp(s->pi_ub) : s->pi_ub);
		buf_printf(b, "Prediction interval: [%s, %s]\n", lb, ub);
	}
}

static void model_note(struct buf *b, const struct pool_result *r)
{
	char m[64];

	pool_fmt_method(m, sizeof(m), r);
	buf_printf(b, "%s (%s)", pool_measure_title(r->opts.measure), m);
	if (r->opts.model == POOL_MODEL_RANDOM)
		buf_printf(b, ", tau\u00b2 by %s%s", pool_tau2_name(r->opts.tau2),
			   pool_ci_title(r->main.ci));
	buf_printf(b, "; %s conventions\n\n", r->opts.conv == POOL_CONV_REVMAN5 ? "RevMan 5" : "metafor");
}

/* Leave-one-out or cumulative rows: the study left out or added, then the
 * estimate, p, I2 (and k). */
static void refit_rows(struct buf *b, const struct pool_result *r, const char *title,
		       const char *verb, const struct pool_loo_row *rows, size_t n)
{
	char eff[64], p[32];

	if (!rows)
		return;
	buf_printf(b, "\n%s:\n", title);
	for (size_t j = 0; j < n; j++) {
		const struct pool_summary *s = &rows[j].s;
		double i2 = pool_shown_i2(r, s);

		pool_fmt_effect(eff, sizeof(eff), r, s->estimate, s->ci_lb, s->ci_ub);
		pool_fmt_p(p, sizeof(p), s->p);
		buf_printf(b, "  %s %-24s k = %-4d %-24s P %-11s I\u00b2 = %s%.0f%%\n", verb,
			   r->in->studies[rows[j].omitted].label, s->k, eff, p,
			   isfinite(i2) ? "" : "n/a ", isfinite(i2) ? i2 : 0.0);
	}
}

static void extras(struct buf *b, const struct pool_result *r)
{
	char eff[64], p[32];

	refit_rows(b, r, "Leave-one-out", "without", r->loo, r->nloo);
	refit_rows(b, r, "Cumulative meta-analysis", "+", r->cum, r->ncum);
	if (r->mreg) {
		const struct pool_metareg *g = r->mreg;

		pool_fmt_p(p, sizeof(p), g->QM_p);
		buf_printf(b, "\nMeta-regression: QM = %.2f, df = %.0f%s%.0f (P %s)", g->QM, g->QM_df,
			   g->tdist ? ", " : "", g->tdist ? g->QM_df2 : 0, p);
		pool_fmt_p(p, sizeof(p), g->QE_p);
		buf_printf(b, "; residual QE = %.2f, df = %.0f (P %s); tau\u00b2 = %.4g; I\u00b2 = %.0f%%",
			   g->QE, g->QE_df, p, g->tau2, g->I2);
		if (isfinite(g->R2))
			buf_printf(b, "; R\u00b2 = %.0f%%", g->R2);
		buf_printf(b, "\n  %-20s %10s %10s %8s %-11s %s\n", "", "estimate", "SE", g->tdist ? "t" : "z",
			   "P", "CI");
		for (size_t j = 0; j < g->ncoef; j++) {
			const struct pool_coef *c = &g->coef[j];

			pool_fmt_p(p, sizeof(p), c->p);
			buf_printf(b, "  %-20s %10.4f %10.4f %8.2f %-11s [%.4f, %.4f]\n", c->name, c->estimate,
				   c->se, c->stat, p, c->ci_lb, c->ci_ub);
		}
	}
	if (r->infl) {
		buf_printf(b, "\nInfluence diagnostics:\n  %-24s %9s %9s %9s %9s %9s %9s\n", "Study",
			   "rstudent", "dffits", "cook.d", "cov.r", "hat", "dfbetas");
		for (size_t j = 0; j < r->ninfl; j++) {
			const struct pool_influence *f = &r->infl[j];

			buf_printf(b, "  %-24s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f%s\n",
				   r->in->studies[f->study].label, f->rstudent, f->dffits, f->cook_d,
				   f->cov_r, f->hat, f->dfbs, f->influential ? "  *" : "");
		}
	}
	if (r->mod) {
		const struct pool_moderator *m = r->mod;

		pool_fmt_p(p, sizeof(p), m->QM_p);
		buf_printf(b, "\nMeta-regression on the subgroup (one common tau\u00b2): QM = %.2f, df = %.0f (P %s)",
			   m->QM, m->QM_df, p);
		pool_fmt_p(p, sizeof(p), m->QE_p);
		buf_printf(b, "; residual QE = %.2f, df = %.0f (P %s); tau\u00b2 = %.4g; I\u00b2 = %.0f%%; R\u00b2 = %.0f%%\n",
			   m->QE, m->QE_df, p, m->tau2, m->I2, m->R2);
		for (size_t j = 0; j < m->nlevels; j++) {
			pool_fmt_effect(eff, sizeof(eff), r, m->levels[j].estimate, m->levels[j].ci_lb,
					m->levels[j].ci_ub);
			buf_printf(b, "  %-30s %s\n", m->levels[j].label, eff);
		}
	}
	if (r->egger) {
		const struct pool_egger *e = r->egger;

		pool_fmt_p(p, sizeof(p), e->p);
		buf_printf(b, "\nEgger's test: bias = %.2f (SE %.2f), t = %.2f, df = %.0f (P %s)\n",
			   e->bias, e->bias_se, e->t, e->df, p);
		pool_fmt_p(p, sizeof(p), e->m_p);
		buf_printf(b, "Egger's test, model-based: bias = %.2f (SE %.2f), %s = %.2f (P %s)\n",
			   e->m_bias, e->m_bias_se, e->m_tdist ? "t" : "z", e->m_stat, p);
	}
	if (r->begg) {
		pool_fmt_p(p, sizeof(p), r->begg->p);
		buf_printf(b, "\nBegg's test: Kendall's tau = %.3f (P %s, %s)\n", r->begg->tau, p,
			   r->begg->exact ? "exact" : "normal approximation");
	}
	if (r->tf) {
		const struct pool_trimfill *t = r->tf;

		pool_fmt_effect(eff, sizeof(eff), r, t->filled.estimate, t->filled.ci_lb, t->filled.ci_ub);
		buf_printf(b, "\nTrim-and-fill (%s): %d %s filled on the %s; adjusted estimate %s\n",
			   t->r0 ? "R0" : "L0", t->k0, t->k0 == 1 ? "study" : "studies", t->right ? "right" : "left", eff);
	}
}

int pool_table_render(struct buf *b, const struct pool_result *r)
{
	const struct pool_input *in = r->in;
	unsigned char *mask = malloc(in->k);
	size_t lw = 18;

	if (!mask)
		return lsr_error_oom();
	for (size_t i = 0; i < in->k; i++)
		if (text_chars(in->studies[i].label) > lw)
			lw = text_chars(in->studies[i].label);
	if (r->sub)
		for (size_t j = 0; j < r->nsub; j++)
			if (text_chars(r->sub[j].label) + 19 > lw)
				lw = text_chars(r->sub[j].label) + 19;
	model_note(b, r);
	header(b, r, lw);
	if (r->sub) {
		for (size_t j = 0; j < r->nsub; j++) {
			char what[256];

			buf_printf(b, "\n%s\n", r->sub[j].label);
			for (size_t i = 0; i < in->k; i++) {
				mask[i] = in->studies[i].subgroup && !strcmp(in->studies[i].subgroup, r->sub[j].label);
				if (mask[i])
					study_line(b, r, i, lw);
			}
			snprintf(what, sizeof(what), "Subtotal (%g%% CI)", 100 * r->opts.level);
			total_block(b, r, mask, &r->sub[j].s, what, lw);
		}
		buf_addc(b, '\n');
	} else {
		for (size_t i = 0; i < in->k; i++)
			study_line(b, r, i, lw);
	}
	memset(mask, 1, in->k);
	if (r->no_total)
		buf_printf(b, "%s.\n", POOL_NO_TOTAL_WHY);
	else
	{
		char what[64];

		snprintf(what, sizeof(what), "Total (%g%% CI)", 100 * r->opts.level);
		total_block(b, r, mask, &r->main, what, lw);
	}
	if (r->sub && isfinite(r->subtest.Q)) {
		char p[32];

		pool_fmt_p(p, sizeof(p), r->subtest.p);
		buf_printf(b, "Test for subgroup differences: Chi\u00b2 = %.2f, df = %.0f (P %s), I\u00b2 = %.0f%%\n",
			   r->subtest.Q, r->subtest.df, p, r->subtest.I2);
	}
	extras(b, r);
	free(mask);
	return 0;
}
