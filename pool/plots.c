/*
 * plots.c - the figures of the sensitivity and regression add-ons, as SVG:
 *
 *   cumulative  one row per step of the cumulative meta-analysis ("+ study",
 *               k so far): its estimate and CI, a dashed line at the final
 *               estimate, the line of no effect (metafor's forest(cumul()))
 *   bubble      the effects against the first moderator of the
 *               meta-regression, circles with area proportional to the
 *               weight 1/(v + tau2), and the fitted line (other moderators
 *               at their weighted means) (metafor's regplot())
 *   influence   one row per study, four panels as in metafor's
 *               plot(influence()): the studentized deleted residual, DFFITS,
 *               Cook's distance and the hat value, each with metafor's
 *               cut-off dashed (|rstudent| 1.96; |DFFITS| 3 sqrt(1/(k - 1));
 *               the median of chi2(1) for Cook's distance; 3/k for the hat
 *               value); a study metafor marks influential in red
 */
#include "pool_int.h"
#include "../util/err.h"
#include "../util/svg.h"

#include <gsl/gsl_cdf.h>
#include <stdio.h>
#include <stdlib.h>

#define FS 11.0
#define ROW 18.0
#define PLOT_W 300.0

int pool_cumulative_svg(struct buf *out, const struct pool_result *r,
			const struct pool_plot_opts *po)
{
	double lo = INFINITY, hi = -INFINITY, label_w = svg_text_width("Study added", FS);
	double t[32], x0, width, height, top, mu;
	char buf[160];
	struct svg s;
	int nt;

	if (!r->cum || !r->ncum)
		return lsr_error_set(LSR_ERROR, "no cumulative meta-analysis to plot (--cumulative)");
	mu = r->cum[r->ncum - 1].s.estimate;
	for (size_t j = 0; j < r->ncum; j++) {
		const struct pool_summary *c = &r->cum[j].s;

		snprintf(buf, sizeof(buf), "+ %s (k = %d)", r->in->studies[r->cum[j].omitted].label, c->k);
		label_w = fmax(label_w, svg_text_width(buf, FS));
		if (isfinite(c->ci_lb)) {
			lo = fmin(lo, c->ci_lb);
			hi = fmax(hi, c->ci_ub);
		}
	}
	if (!isfinite(lo)) {
		lo = -1;
		hi = 1;
	}
	lo = fmin(lo, 0);
	hi = fmax(hi, 0);
	lo -= 0.05 * (hi - lo);
	hi += 0.05 * (hi - lo);
	x0 = 20 + label_w + 16;
	width = x0 + PLOT_W + 30;
	top = po && po->title ? 44 : 24;
	height = top + ROW * ((double)r->ncum + 1) + 56;
#define PX(v) (x0 + ((v) - lo) / (hi - lo) * PLOT_W)
	svg_begin(&s, out, width, height);
	if (po && po->title)
		svg_text(&s, 20, 22, SVG_START, SVG_BOLD, FS * 1.2, po->title);
	svg_text(&s, 20, top + FS, SVG_START, SVG_BOLD, FS, "Study added");
	snprintf(buf, sizeof(buf), "Cumulative %s, %g%% CI", pool_measure_title(r->opts.measure),
		 100 * r->opts.level);
	svg_text(&s, x0 + PLOT_W / 2, top + FS, SVG_MIDDLE, SVG_BOLD, FS, buf);
	for (size_t j = 0; j < r->ncum; j++) {
		const struct pool_summary *c = &r->cum[j].s;
		double y = top + ROW * ((double)j + 1) + ROW / 2;

		snprintf(buf, sizeof(buf), "+ %s (k = %d)", r->in->studies[r->cum[j].omitted].label, c->k);
		svg_text(&s, 20, y + FS * 0.35, SVG_START, 0, FS, buf);
		if (!isfinite(c->estimate))
			continue;
		if (isfinite(c->ci_lb))
			svg_line(&s, PX(c->ci_lb), y, PX(c->ci_ub), y, "#000000", 1, NULL);
		svg_rect(&s, PX(c->estimate) - 3, y - 3, 6, 6, "#1f4fb4", "#1f4fb4");
	}
	{
		double yb = top + ROW * ((double)r->ncum + 1) + 6;

		svg_line(&s, PX(0), top + ROW, PX(0), yb, "#000000", 0.8, NULL);
		if (isfinite(mu))
			svg_line(&s, PX(mu), top + ROW, PX(mu), yb, "#444444", 1, "5 4");
		svg_line(&s, x0, yb, x0 + PLOT_W, yb, "#000000", 0.8, NULL);
		nt = pool_axis_ticks(lo, hi, r->log_scale, t, 32);
		for (int i = 0; i < nt; i++) {
			svg_line(&s, PX(t[i]), yb, PX(t[i]), yb + 4, "#000000", 0.8, NULL);
			snprintf(buf, sizeof(buf), "%g", r->log_scale ? exp(t[i]) : t[i]);
			svg_text(&s, PX(t[i]), yb + 6 + FS, SVG_MIDDLE, 0, FS, buf);
		}
	}
#undef PX
	return svg_end(&s);
}

#define BW 560.0
#define BH 420.0
#define BL 70.0
#define BR 24.0
#define BT 40.0
#define BB 60.0

/* study i has every moderator (one without is not in the regression) */
static int has_x(const struct pool_input *in, size_t i)
{
	for (size_t j = 0; j < in->nmods; j++)
		if (isnan(in->x[i * in->nmods + j]))
			return 0;
	return 1;
}

int pool_bubble_svg(struct buf *out, const struct pool_result *r, const struct pool_plot_opts *po)
{
	const struct pool_metareg *g = r->mreg;
	const struct pool_input *in = r->in;
	size_t nm = in->nmods;
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY, wmax = 0;
	double sw = 0, *mean = NULL, base, t[32];
	char buf[128];
	struct svg s;
	int nt;

	if (!g)
		return lsr_error_set(LSR_ERROR, "no meta-regression to plot (--moderators)");
	if (!(mean = calloc(nm, sizeof(double))))
		return lsr_error_oom();
	for (size_t i = 0; i < in->k; i++) {
		const struct pool_est *e = &r->est[i];
		double w, x;

		if (e->status != POOL_EST_INCLUDED || !has_x(in, i))
			continue;
		w = 1 / (e->vi + g->tau2);
		x = in->x[i * nm];
		xlo = fmin(xlo, x);
		xhi = fmax(xhi, x);
		ylo = fmin(ylo, e->yi);
		yhi = fmax(yhi, e->yi);
		wmax = fmax(wmax, w);
		sw += w;
		for (size_t j = 0; j < nm; j++)
			mean[j] += w * in->x[i * nm + j];
	}
	/* the fitted line: the other moderators at their weighted means */
	base = g->coef[0].estimate;
	for (size_t j = 1; j < nm; j++)
		base += g->coef[j + 1].estimate * mean[j] / sw;
	free(mean);
	if (xhi == xlo) {
		xlo -= 1;
		xhi += 1;
	}
	if (yhi == ylo) {
		ylo -= 1;
		yhi += 1;
	}
	{
		double dx = 0.06 * (xhi - xlo), dy = 0.08 * (yhi - ylo);

		xlo -= dx;
		xhi += dx;
		ylo -= dy;
		yhi += dy;
	}
#define FX(v) (BL + ((v) - xlo) / (xhi - xlo) * (BW - BL - BR))
#define FY(v) (BH - BB - ((v) - ylo) / (yhi - ylo) * (BH - BT - BB))
	svg_begin(&s, out, BW, BH);
	if (po && po->title)
		svg_text(&s, BW / 2, 22, SVG_MIDDLE, SVG_BOLD, FS * 1.2, po->title);
	svg_rect(&s, BL, BT, BW - BL - BR, BH - BT - BB, NULL, "#000000");
	nt = pool_axis_ticks(xlo, xhi, 0, t, 32);
	for (int i = 0; i < nt; i++) {
		svg_line(&s, FX(t[i]), BH - BB, FX(t[i]), BH - BB + 4, "#000000", 0.8, NULL);
		snprintf(buf, sizeof(buf), "%g", t[i]);
		svg_text(&s, FX(t[i]), BH - BB + 6 + FS, SVG_MIDDLE, 0, FS, buf);
	}
	nt = pool_axis_ticks(ylo, yhi, 0, t, 32);
	for (int i = 0; i < nt; i++) {
		svg_line(&s, BL - 4, FY(t[i]), BL, FY(t[i]), "#000000", 0.8, NULL);
		snprintf(buf, sizeof(buf), "%g", t[i]);
		svg_text(&s, BL - 7, FY(t[i]) + FS * 0.35, SVG_END, 0, FS, buf);
	}
	svg_text(&s, BL + (BW - BL - BR) / 2, BH - BB + 2 * FS + 14, SVG_MIDDLE, 0, FS, in->mod_names[0]);
	snprintf(buf, sizeof(buf), "%s%s", r->log_scale ? "log " : "", pool_measure_title(r->opts.measure));
	svg_text(&s, 12, BT - 12, SVG_START, 0, FS, buf);
	for (size_t i = 0; i < in->k; i++) {
		const struct pool_est *e = &r->est[i];

		if (e->status == POOL_EST_INCLUDED && has_x(in, i))
			svg_circle(&s, FX(in->x[i * nm]), FY(e->yi), 3 + 9 * sqrt(1 / (e->vi + g->tau2) / wmax),
				   "#c9d6f2", "#1f4fb4");
	}
	svg_line(&s, FX(xlo), FY(base + g->coef[1].estimate * xlo), FX(xhi),
		 FY(base + g->coef[1].estimate * xhi), "#000000", 1.2, NULL);
#undef FX
#undef FY
	return svg_end(&s);
}

/* One panel of the influence plot: column col of four, values v[0..n). */
static void infl_panel(struct svg *s, const struct pool_result *r, double x0, double top,
		       const char *title, const double *v, double cut, int two_sided, int from0)
{
	double lo = INFINITY, hi = -INFINITY, t[32];
	const double pw = 150;
	size_t n = r->ninfl;
	char buf[64];
	int nt;

	for (size_t j = 0; j < n; j++)
		if (isfinite(v[j])) {
			lo = fmin(lo, v[j]);
			hi = fmax(hi, v[j]);
		}
	if (isfinite(cut)) {
		hi = fmax(hi, cut);
		lo = fmin(lo, two_sided ? -cut : cut);
	}
	if (!isfinite(lo)) {
		lo = 0;
		hi = 1;
	}
	if (from0)
		lo = fmin(lo, 0);
	if (hi == lo)
		hi = lo + 1;
	lo -= 0.06 * (hi - lo);
	hi += 0.06 * (hi - lo);
#define PX(x) (x0 + ((x) - lo) / (hi - lo) * pw)
	svg_text(s, x0 + pw / 2, top + FS, SVG_MIDDLE, SVG_BOLD, FS, title);
	{
		double y0 = top + ROW, yb = top + ROW * ((double)n + 1) + 6;

		svg_rect(s, x0, y0, pw, yb - y0, NULL, "#999999");
		if (isfinite(cut)) {
			svg_line(s, PX(cut), y0, PX(cut), yb, "#c0392b", 0.8, "4 3");
			if (two_sided)
				svg_line(s, PX(-cut), y0, PX(-cut), yb, "#c0392b", 0.8, "4 3");
		}
		if (lo < 0 && hi > 0)
			svg_line(s, PX(0), y0, PX(0), yb, "#000000", 0.6, NULL);
		nt = pool_axis_ticks(lo, hi, 0, t, 32);
		for (int i = 0; i < nt; i++) {
			svg_line(s, PX(t[i]), yb, PX(t[i]), yb + 4, "#000000", 0.8, NULL);
			snprintf(buf, sizeof(buf), "%g", t[i]);
			svg_text(s, PX(t[i]), yb + 6 + FS, SVG_MIDDLE, 0, FS * 0.9, buf);
		}
	}
	for (size_t j = 0; j < n; j++) {
		double y = top + ROW * ((double)j + 1) + ROW / 2;
		const char *c = r->infl[j].influential ? "#c0392b" : "#1f4fb4";

		if (isfinite(v[j]))
			svg_circle(s, PX(v[j]), y, 3.5, c, c);
	}
#undef PX
}

int pool_influence_svg(struct buf *out, const struct pool_result *r, const struct pool_plot_opts *po)
{
	static const char *const titles[] = { "rstudent", "DFFITS", "Cook's distance", "hat" };
	double label_w = svg_text_width("Study", FS), x0, top, width, height, cut[4];
	double *v;
	size_t n = r->ninfl;
	struct svg s;
	char buf[160];

	if (!r->infl || !n)
		return lsr_error_set(LSR_ERROR, "no influence diagnostics to plot (--influence)");
	if (!(v = calloc(4 * n, sizeof(double))))
		return lsr_error_oom();
	for (size_t j = 0; j < n; j++) {
		const struct pool_influence *f = &r->infl[j];

		snprintf(buf, sizeof(buf), "%s%s", r->in->studies[f->study].label, f->influential ? " *" : "");
		label_w = fmax(label_w, svg_text_width(buf, FS));
		v[j] = f->rstudent;
		v[n + j] = f->dffits;
		v[2 * n + j] = f->cook_d;
		v[3 * n + j] = f->hat;
	}
	cut[0] = 1.959963984540054;
	cut[1] = 3 * sqrt(1.0 / ((double)n - 1));
	cut[2] = gsl_cdf_chisq_Pinv(0.5, 1);
	cut[3] = 3.0 / (double)n;
	x0 = 20 + label_w + 16;
	top = po && po->title ? 44 : 24;
	width = x0 + 4 * 170 + 10;
	height = top + ROW * ((double)n + 1) + 60;
	svg_begin(&s, out, width, height);
	if (po && po->title)
		svg_text(&s, 20, 22, SVG_START, SVG_BOLD, FS * 1.2, po->title);
	svg_text(&s, 20, top + FS, SVG_START, SVG_BOLD, FS, "Study");
	for (size_t j = 0; j < n; j++) {
		const struct pool_influence *f = &r->infl[j];

		snprintf(buf, sizeof(buf), "%s%s", r->in->studies[f->study].label, f->influential ? " *" : "");
		svg_text(&s, 20, top + ROW * ((double)j + 1) + ROW / 2 + FS * 0.35, SVG_START, 0, FS, buf);
	}
	for (int c = 0; c < 4; c++)
		infl_panel(&s, r, x0 + 170 * c, top, titles[c], v + (size_t)c * n, cut[c], c < 2, c >= 2);
	svg_text(&s, 20, height - 12, SVG_START, 0, FS * 0.9,
		 "* influential by metafor's rule; dashed: its cut-offs");
	free(v);
	return svg_end(&s);
}
