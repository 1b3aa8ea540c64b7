/*
 * forest.c - the forest plot as SVG, laid out as RevMan 5's: one row per
 * study with the arm data, the weight and the effect with its CI in text,
 * and on the right a square (area proportional to the weight) with its CI
 * line; subgroup headings, diamonds for subtotals and the total, the
 * heterogeneity and overall-effect lines under each, the test for subgroup
 * differences, an axis symmetric about the line of no effect (logarithmic
 * for ratios) with "Favours" labels under it.
 *
 * CIs that leave the axis end in an arrow at its edge.  A random-effects
 * analysis adds its prediction interval as a row under the total.
 *
 * With risk-of-bias data (pool_plot_opts.rob), RevMan's risk-of-bias
 * columns follow the plot: one coloured dot per domain and the overall
 * judgement on each study row (green "+" low, yellow "?" unclear or "-"
 * some concerns, red "x" high, each with a tooltip), and the legend
 * naming the domains under the figure.
 */
#include "pool_int.h"
#include "../util/err.h"
#include "../util/svg.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define FS 11.0        /* font size */
#define FS_SMALL 10.0  /* footers and axis */
#define ROW 17.0       /* row height */
#define MARGIN 12.0
#define GAP 12.0       /* between columns */
#define PLOT_W 240.0   /* the plot area */
#define NCOLMAX 6
#define ROB_CELL 16.0  /* a risk-of-bias column */
#define ROB_R 6.0      /* its dot's radius */

struct col {
	double x;     /* right edge (data) */
	double w;
};

struct layout {
	const struct pool_result *r;
	const struct pool_plot_opts *po;
	struct svg svg;
	int ncol;                 /* data columns, both arms */
	const char *colhead[NCOLMAX];
	struct col col[NCOLMAX];
	double label_x, label_w;
	double weight_x;          /* right edge */
	double eff_x, eff_w;      /* effect text, left edge */
	double plot_x;            /* left edge of the axis */
	double rob_x;             /* left edge of the risk-of-bias columns */
	double lo, hi;            /* axis range on the analysis scale */
	double width, height;
	double y;                 /* top of the next row */
	double max_wpct;
	int dec[NCOLMAX];         /* decimals of the mean and SD columns */
	const char *fill;         /* square colour */
};

static double px(const struct layout *L, double x)
{
	return L->plot_x + (x - L->lo) / (L->hi - L->lo) * PLOT_W;
}

static double baseline(const struct layout *L)
{
	return L->y + ROW * 0.72;
}

static double mid(const struct layout *L)
{
	return L->y + ROW / 2;
}

static void fmt_num(char *out, size_t n, double x)
{
	if (isnan(x))
		out[0] = '\0';
	else
		snprintf(out, n, "%.6g", x);
}

/* An effect with its CI on the display scale, "0.72 [0.49, 1.06]", or the
 * interval alone (with_est 0); "Not estimable" without an estimate. */
static void fmt_effect(char *out, size_t n, const struct pool_result *r, int with_est, double est,
		       double lb, double ub)
{
	char l[32], u[32];

	if (with_est) {
		pool_fmt_effect(out, n, r, est, lb, ub); /* RevMan's rounding (table.c) */
		return;
	}
	pool_fmt_num(l, sizeof(l), r->log_scale ? exp(lb) : lb);
	pool_fmt_num(u, sizeof(u), r->log_scale ? exp(ub) : ub);
	snprintf(out, n, "[%s, %s]", l, u);
}

/* The decimals x needs (0 to 3). */
static int decimals(double x)
{
	int d = 0;

	if (!isfinite(x))
		return 0;
	while (d < 3 && fabs(x * pow(10, d) - nearbyint(x * pow(10, d))) > 1e-6 * fmax(1, fabs(x * pow(10, d))))
		d++;
	return d;
}

/* Means and SDs: each column with the decimals its values need (at most
 * 3), the same on every row. */
static void column_decimals(struct layout *L)
{
	const struct pool_input *in = L->r->in;

	memset(L->dec, 0, sizeof(L->dec));
	if (in->type != POOL_DATA_CONT)
		return;
	for (size_t i = 0; i < in->k; i++) {
		const struct pool_study *s = &in->studies[i];

		const double v[NCOLMAX] = { s->mean1, s->sd1, 0, s->mean2, s->sd2, 0 };

		for (int c = 0; c < NCOLMAX; c++)
			if (decimals(v[c]) > L->dec[c])
				L->dec[c] = decimals(v[c]);
	}
}

static void fmt_fixed(char *out, size_t n, double x, int d)
{
	if (isnan(x))
		out[0] = '\0';
	else
		snprintf(out, n, "%.*f", d, x);
}

/* the data cells of study i, in column order */
static int data_cells(const struct layout *L, size_t i, char cells[NCOLMAX][32])
{
	const struct pool_study *s = &L->r->in->studies[i];

	switch (L->r->in->type) {
	case POOL_DATA_CONT:
		fmt_fixed(cells[0], 32, s->mean1, L->dec[0]);
		fmt_fixed(cells[1], 32, s->sd1, L->dec[1]);
		fmt_num(cells[2], 32, s->n1);
		fmt_fixed(cells[3], 32, s->mean2, L->dec[3]);
		fmt_fixed(cells[4], 32, s->sd2, L->dec[4]);
		fmt_num(cells[5], 32, s->n2);
		return 6;
	case POOL_DATA_BIN:
		fmt_num(cells[0], 32, s->events1);
		fmt_num(cells[1], 32, s->n1);
		fmt_num(cells[2], 32, s->events2);
		fmt_num(cells[3], 32, s->n2);
		return 4;
	case POOL_DATA_GENERIC:
		if (isnan(s->yi))
			cells[0][0] = '\0';
		else
			snprintf(cells[0], 32, "%.4f", s->yi);
		if (isnan(s->vi))
			cells[1][0] = '\0';
		else
			snprintf(cells[1], 32, "%.4f", sqrt(s->vi));
		return 2;
	}
	return 0;
}

/* How many study CIs would leave the axis [-lim, lim]. */
static int clipped(const struct pool_result *r, double lim)
{
	int n = 0;

	for (size_t i = 0; i < r->in->k; i++) {
		const struct pool_est *e = &r->est[i];

		if (e->status != POOL_EST_NOT_ESTIMABLE && (e->ci_lb < -lim || e->ci_ub > lim))
			n++;
	}
	return n;
}

/*
 * An axis symmetric about the null, as RevMan draws it: for ratios R in
 * {2, 5, 10, 100, 1000} (0.5 to 2, ..., 0.001 to 1000), else a 1-2-4-5
 * step.  The smallest that holds every point estimate and the pooled CI
 * and cuts at most a tenth of the study CIs (those end in arrows).
 */
static void choose_axis(struct layout *L, double *ticks, int *nticks)
{
	static const double R[] = { 2, 5, 10, 100, 1000 };
	static const double T[][7] = {
		{ 0.5, 0.7, 1, 1.5, 2 }, { 0.2, 0.5, 1, 2, 5 }, { 0.1, 0.2, 0.5, 1, 2, 5, 10 },
		{ 0.01, 0.1, 1, 10, 100 }, { 0.001, 0.1, 1, 10, 1000 },
	};
	static const int N[] = { 5, 5, 7, 5, 5 };
	static const double step[] = { 1, 2, 4, 5 };
	const struct pool_result *r = L->r;
	int est = 0, tries;
	double m = 0, lim = 0;

	for (size_t i = 0; i < r->in->k; i++) {
		if (r->est[i].status == POOL_EST_NOT_ESTIMABLE)
			continue;
		m = fmax(m, fabs(r->est[i].yi));
		est++;
	}
	if (isfinite(r->main.ci_lb))
		m = fmax(m, fmax(fabs(r->main.ci_lb), fabs(r->main.ci_ub)));
	if (r->log_scale) {
		int j = 0;

		while (j < 4 && (log(R[j]) < m * 0.999 || 10 * clipped(r, log(R[j])) > est))
			j++;
		L->lo = -log(R[j]);
		L->hi = log(R[j]);
		for (int t = 0; t < N[j]; t++)
			ticks[t] = log(T[j][t]);
		*nticks = N[j];
		return;
	}
	if (!(m > 0))
		m = 1;
	/* 1-2-4-5 steps from the decade below m, at most two decades up */
	for (tries = 0; tries < 12; tries++) {
		lim = step[tries % 4] * pow(10, floor(log10(m)) + floor(tries / 4.0));
		if (lim >= m * 0.999 && 10 * clipped(r, lim) <= est)
			break;
	}
	L->lo = -lim;
	L->hi = lim;
	for (int t = 0; t < 5; t++)
		ticks[t] = -lim + t * lim / 2;
	*nticks = 5;
}

static void text(struct layout *L, double x, enum svg_anchor a, unsigned flags, double size,
		 const char *s)
{
	svg_text(&L->svg, x, baseline(L), a, flags, size, s);
}

static void emit_escaped(struct layout *L, const char *s)
{
	if (L->svg.rc == 0 && svg_escape(L->svg.out, s) < 0)
		L->svg.rc = LSR_ENOMEM;
}

static void emit_raw(struct layout *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit_raw(struct layout *L, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (L->svg.rc == 0 && buf_vprintf(L->svg.out, fmt, ap) < 0)
		L->svg.rc = LSR_ENOMEM;
	va_end(ap);
}

/* An arrow head at the axis end x pointing outwards (dir -1 left, +1
 * right), centred on yc. */
static void arrow(struct layout *L, double x, double dir, double yc)
{
	double a = 4;
	double t[] = { x, yc, x - dir * a * 1.5, yc - a, x - dir * a * 1.5, yc + a };

	emit_raw(L, "<polygon class=\"arrow\" points=\"%.2f,%.2f %.2f,%.2f %.2f,%.2f\""
		 " fill=\"#000000\"/>\n", t[0], t[1], t[2], t[3], t[4], t[5]);
}

/* a CI line with arrows where it leaves the axis; an interval wholly past
 * one end is an arrow at that end */
static void ci_line(struct layout *L, double lb, double ub, double yc)
{
	double x1 = px(L, fmax(lb, L->lo)), x2 = px(L, fmin(ub, L->hi));

	if (!isfinite(lb) || !isfinite(ub))
		return;
	if (lb > L->hi) {
		arrow(L, px(L, L->hi), 1, yc);
		return;
	}
	if (ub < L->lo) {
		arrow(L, px(L, L->lo), -1, yc);
		return;
	}
	svg_line(&L->svg, x1, yc, x2, yc, "#000000", 1, NULL);
	if (lb < L->lo)
		arrow(L, x1, -1, yc);
	if (ub > L->hi)
		arrow(L, x2, 1, yc);
}

static const char *const rob_fill[4] = { "#D9D9D9", "#02C100", "#E2DF07", "#BF0000" };

static const char *rob_symbol(int l, int rob2)
{
	return l == 1 ? "+" : l == 2 ? (rob2 ? "-" : "?") : l == 3 ? "x" : "";
}

static const char *rob_label(int l, int rob2)
{
	return l == 1 ? "Low risk of bias" : l == 2 ? (rob2 ? "Some concerns" : "Unclear risk of bias")
	       : l == 3 ? "High risk of bias" : "Not assessed";
}

/* a risk-of-bias column's width: a cell, or its head ("Overall") */
static double rob_w(const struct layout *L, size_t c)
{
	return fmax(ROB_CELL, svg_text_width(L->po->rob->heads[c], FS_SMALL) + 4);
}

/* the centre of column c */
static double rob_cx(const struct layout *L, size_t c)
{
	double x = L->rob_x;

	for (size_t j = 0; j < c; j++)
		x += rob_w(L, j);
	return x + rob_w(L, c) / 2;
}

/* the risk-of-bias dots of study i */
static void rob_dots(struct layout *L, size_t i)
{
	const struct pool_plot_rob *rb = L->po->rob;

	for (size_t c = 0; c < rb->ncols; c++) {
		int l = rb->levels[i * rb->ncols + c];
		double cx = rob_cx(L, c), cy = mid(L);

		if (l < 0 || l > 3)
			l = 0;
		emit_raw(L, "<g><title>");
		emit_escaped(L, L->r->in->studies[i].label);
		emit_raw(L, ", ");
		emit_escaped(L, rb->names[c]);
		emit_raw(L, ": %s</title>", rob_label(l, rb->rob2));
		emit_raw(L, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"%s\" stroke=\"#404040\""
			 " stroke-width=\"0.6\"/>", cx, cy, ROB_R, rob_fill[l]);
		if (l)
			emit_raw(L, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"9\""
				 " font-weight=\"bold\" fill=\"%s\">%s</text>", cx, cy + 3,
				 l == 2 ? "#000000" : "#FFFFFF", rob_symbol(l, rb->rob2));
		emit_raw(L, "</g>\n");
	}
}

/* the legend under the figure; returns its height */
static double rob_legend(struct layout *L, double y)
{
	const struct pool_plot_rob *rb = L->po->rob;
	char line[512];

	svg_text(&L->svg, L->label_x, y + ROW * 0.72, SVG_START, SVG_BOLD, FS_SMALL, "Risk of bias legend");
	for (size_t c = 0; c < rb->ncols; c++) {
		snprintf(line, sizeof(line), "(%s) %s", rb->heads[c], rb->names[c]);
		svg_text(&L->svg, L->label_x, y + (double)(c + 1) * ROW + ROW * 0.72, SVG_START, 0,
			 FS_SMALL, line);
	}
	return (double)(rb->ncols + 1) * ROW;
}

static void study_row(struct layout *L, size_t i)
{
	const struct pool_result *r = L->r;
	const struct pool_est *e = &r->est[i];
	char cells[NCOLMAX][32], buf[96];
	unsigned grey = e->status == POOL_EST_EXCLUDED ? SVG_GREY : 0;
	int n = data_cells(L, i, cells);

	text(L, L->label_x, SVG_START, grey, FS, r->in->studies[i].label);
	for (int c = 0; c < n; c++)
		text(L, L->col[c].x, SVG_END, grey, FS, cells[c]);
	if (isfinite(e->weight_pct)) {
		snprintf(buf, sizeof(buf), "%.1f%%", e->weight_pct);
		text(L, L->weight_x, SVG_END, 0, FS, buf);
	}
	if (e->status == POOL_EST_NOT_ESTIMABLE) {
		text(L, L->eff_x, SVG_START, 0, FS, "Not estimable");
	} else {
		char line[128];

		fmt_effect(buf, sizeof(buf), r, 1, e->yi, e->ci_lb, e->ci_ub);
		snprintf(line, sizeof(line), "%s%s", buf, grey ? " (excluded)" : "");
		text(L, L->eff_x, SVG_START, grey, FS, line);
	}
	if (e->status == POOL_EST_INCLUDED) {
		double yc = mid(L), side = 3;

		ci_line(L, e->ci_lb, e->ci_ub, yc);
		if (L->max_wpct > 0 && isfinite(e->weight_pct))
			side = 3 + (ROW * 0.85 - 3) * sqrt(e->weight_pct / L->max_wpct);
		if (e->yi >= L->lo && e->yi <= L->hi)
			svg_rect(&L->svg, px(L, e->yi) - side / 2, yc - side / 2, side, side, L->fill, NULL);
	} else if (e->status == POOL_EST_EXCLUDED) {
		ci_line(L, e->ci_lb, e->ci_ub, mid(L));
	}
	if (L->po->rob)
		rob_dots(L, i);
	L->y += ROW;
}

/* the diamond; where its CI runs past the axis, clipped there with an
 * arrow; wholly past it, an arrow at that end */
static void diamond(struct layout *L, const struct pool_summary *s)
{
	double yc = mid(L), h = ROW * 0.35;
	double lb = fmax(s->ci_lb, L->lo), ub = fmin(s->ci_ub, L->hi);
	double est = fmin(fmax(s->estimate, L->lo), L->hi);
	double d[] = { px(L, lb), yc, px(L, est), yc - h, px(L, ub), yc, px(L, est), yc + h };

	if (!isfinite(s->estimate) || !isfinite(s->ci_lb) || !isfinite(s->ci_ub))
		return;
	if (s->ci_lb > L->hi || s->ci_ub < L->lo) {
		arrow(L, px(L, s->ci_lb > L->hi ? L->hi : L->lo), s->ci_lb > L->hi ? 1 : -1, yc);
		return;
	}
	svg_polygon(&L->svg, d, 4, "#000000", NULL);
	if (s->ci_lb < L->lo)
		arrow(L, px(L, L->lo) - 6, -1, yc);
	if (s->ci_ub > L->hi)
		arrow(L, px(L, L->hi) + 6, 1, yc);
}

static void pi_row(struct layout *L, const struct pool_summary *s)
{
	char buf[96];
	double yc = mid(L), x1, x2;

	if (!s->random || !isfinite(s->pi_lb))
		return;
	text(L, L->label_x, SVG_START, 0, FS, "Prediction interval");
	fmt_effect(buf, sizeof(buf), L->r, 0, s->estimate, s->pi_lb, s->pi_ub);
	text(L, L->eff_x, SVG_START, 0, FS, buf);
	x1 = px(L, fmax(s->pi_lb, L->lo));
	x2 = px(L, fmin(s->pi_ub, L->hi));
	if (s->pi_lb < L->hi && s->pi_ub > L->lo)
		svg_rect(&L->svg, x1, yc - 2.5, x2 - x1, 5, "#9e9e9e", "#000000");
	if (s->pi_lb < L->lo)
		arrow(L, px(L, L->lo) - 6, -1, yc);
	if (s->pi_ub > L->hi)
		arrow(L, px(L, L->hi) + 6, 1, yc);
	L->y += ROW;
}

/* Subtotal or total: totals, weight, effect and diamond (and for the total
 * the prediction interval, after which the axis goes: *axis_y), then
 * events, the heterogeneity and the overall-effect lines. */
static void total_rows(struct layout *L, const unsigned char *mask, const struct pool_summary *s,
		       const char *what, double *axis_y)
{
	const struct pool_result *r = L->r;
	struct pool_totals t;
	char buf[160];
	struct buf b = BUF_INIT;

	pool_totals(&t, r, mask); /* RevMan's rule, as the table and the text (table.c) */
	text(L, L->label_x, SVG_START, SVG_BOLD, FS, what);
	if (r->in->type == POOL_DATA_CONT) {
		fmt_num(buf, sizeof(buf), t.n1);
		text(L, L->col[2].x, SVG_END, SVG_BOLD, FS, buf);
		fmt_num(buf, sizeof(buf), t.n2);
		text(L, L->col[5].x, SVG_END, SVG_BOLD, FS, buf);
	} else if (r->in->type == POOL_DATA_BIN) {
		fmt_num(buf, sizeof(buf), t.n1);
		text(L, L->col[1].x, SVG_END, SVG_BOLD, FS, buf);
		fmt_num(buf, sizeof(buf), t.n2);
		text(L, L->col[3].x, SVG_END, SVG_BOLD, FS, buf);
	}
	snprintf(buf, sizeof(buf), "%.1f%%", t.weight_pct);
	text(L, L->weight_x, SVG_END, SVG_BOLD, FS, buf);
	fmt_effect(buf, sizeof(buf), r, 1, s->estimate, s->ci_lb, s->ci_ub);
	text(L, L->eff_x, SVG_START, SVG_BOLD, FS, buf);
	diamond(L, s);
	L->y += ROW;
	if (axis_y) {
		pi_row(L, s);
		*axis_y = L->y + ROW * 0.2;
	}
	if (r->in->type == POOL_DATA_BIN) {
		text(L, L->label_x, SVG_START, 0, FS, "Total events");
		fmt_num(buf, sizeof(buf), t.events1);
		text(L, L->col[0].x, SVG_END, 0, FS, buf);
		fmt_num(buf, sizeof(buf), t.events2);
		text(L, L->col[2].x, SVG_END, 0, FS, buf);
		L->y += ROW;
	}
	pool_fmt_hetero(&b, r, s);
	text(L, L->label_x, SVG_START, 0, FS_SMALL, b.s);
	L->y += ROW;
	buf_reset(&b);
	pool_fmt_overall(&b, s);
	text(L, L->label_x, SVG_START, 0, FS_SMALL, b.s);
	L->y += ROW;
	buf_release(&b);
}

/* widths of everything, then the x positions */
static void measure(struct layout *L)
{
	const struct pool_result *r = L->r;
	char cells[NCOLMAX][32], buf[96], m[64];
	double foot = 0;
	struct buf b = BUF_INIT;
	static const char *const cont_h[] = { "Mean", "SD", "Total", "Mean", "SD", "Total" };
	static const char *const bin_h[] = { "Events", "Total", "Events", "Total" };
	static const char *const giv_h[] = { "Estimate", "SE" };

	L->ncol = r->in->type == POOL_DATA_CONT ? 6 : r->in->type == POOL_DATA_BIN ? 4 : 2;
	for (int c = 0; c < L->ncol; c++) {
		L->colhead[c] = r->in->type == POOL_DATA_CONT ? cont_h[c]
				: r->in->type == POOL_DATA_BIN ? bin_h[c] : giv_h[c];
		L->col[c].w = svg_text_width(L->colhead[c], FS);
	}
	L->label_w = fmax(svg_text_width("Study or Subgroup", FS),
			  svg_text_width("Subtotal (95% CI)", FS * 1.08));
	L->eff_w = svg_text_width("IV, Random, 95% CI", FS);
	column_decimals(L);
	for (size_t i = 0; i < r->in->k; i++) {
		int n = data_cells(L, i, cells);

		L->label_w = fmax(L->label_w, svg_text_width(r->in->studies[i].label, FS));
		for (int c = 0; c < n; c++)
			L->col[c].w = fmax(L->col[c].w, svg_text_width(cells[c], FS));
		fmt_effect(buf, sizeof(buf), r, 1, r->est[i].yi, r->est[i].ci_lb, r->est[i].ci_ub);
		L->eff_w = fmax(L->eff_w, svg_text_width(buf, FS) +
					  (r->est[i].status == POOL_EST_EXCLUDED ? svg_text_width(" (excluded)", FS) : 0));
	}
	for (size_t j = 0; j < r->nsub; j++) {
		L->label_w = fmax(L->label_w, svg_text_width(r->sub[j].label, FS * 1.08));
		pool_fmt_hetero(&b, r, &r->sub[j].s);
		foot = fmax(foot, svg_text_width(b.s, FS_SMALL));
		buf_reset(&b);
	}
	if (!r->no_total) {
		pool_fmt_hetero(&b, r, &r->main);
		foot = fmax(foot, svg_text_width(b.s, FS_SMALL));
		buf_reset(&b);
		pool_fmt_overall(&b, &r->main);
		foot = fmax(foot, svg_text_width(b.s, FS_SMALL));
	}
	buf_release(&b);
	pool_fmt_method(m, sizeof(m), r);
	L->eff_w = fmax(L->eff_w, svg_text_width(m, FS));
	L->label_x = MARGIN;
	{
		double x = L->label_x + L->label_w + GAP;

		for (int c = 0; c < L->ncol; c++) {
			x += L->col[c].w + (c == L->ncol / 2 ? 2 * GAP : GAP);
			L->col[c].x = x;
		}
		L->weight_x = x + GAP + svg_text_width("100.0%", FS);
		L->eff_x = L->weight_x + GAP;
		L->plot_x = L->eff_x + L->eff_w + 2 * GAP;
		/* footers stay clear of the plot */
		L->plot_x = fmax(L->plot_x, L->label_x + foot + 2 * GAP);
	}
	L->width = L->plot_x + PLOT_W + 2 * MARGIN;
	if (L->po->rob) {
		const struct pool_plot_rob *rb = L->po->rob;

		L->rob_x = L->plot_x + PLOT_W + 2 * GAP;
		L->width = L->rob_x + 2 * MARGIN;
		for (size_t c = 0; c < rb->ncols; c++)
			L->width += rob_w(L, c);
		for (size_t c = 0; c < rb->ncols; c++) {
			char line[512];

			snprintf(line, sizeof(line), "(%s) %s", rb->heads[c], rb->names[c]);
			L->width = fmax(L->width, L->label_x + svg_text_width(line, FS_SMALL) + MARGIN);
		}
	}
}

static void headers(struct layout *L)
{
	const struct pool_result *r = L->r;
	const struct pool_plot_opts *po = L->po;
	const char *ge = po->label_e ? po->label_e : "Experimental";
	const char *gc = po->label_c ? po->label_c : "Control";
	const char *title = pool_measure_title(r->opts.measure);
	char m[64];
	int h = L->ncol / 2;

	if (po->title) {
		text(L, L->label_x, SVG_START, SVG_BOLD, FS * 1.2, po->title);
		L->y += ROW * 1.4;
	}
	pool_fmt_method(m, sizeof(m), r);
	if (r->in->type != POOL_DATA_GENERIC) {
		text(L, (L->col[0].x - L->col[0].w + L->col[h - 1].x) / 2, SVG_MIDDLE, SVG_BOLD, FS, ge);
		text(L, (L->col[h].x - L->col[h].w + L->col[L->ncol - 1].x) / 2, SVG_MIDDLE, SVG_BOLD, FS, gc);
	} else {
		text(L, L->col[0].x, SVG_END, SVG_BOLD, FS, r->log_scale ? "log[Effect]" : "Effect");
	}
	text(L, L->eff_x, SVG_START, SVG_BOLD, FS, title);
	text(L, L->plot_x + PLOT_W / 2, SVG_MIDDLE, SVG_BOLD, FS, title);
	if (po->rob)
		text(L, (rob_cx(L, 0) + rob_cx(L, po->rob->ncols - 1)) / 2, SVG_MIDDLE, SVG_BOLD, FS,
		     "Risk of Bias");
	L->y += ROW;
	text(L, L->label_x, SVG_START, SVG_BOLD, FS, "Study or Subgroup");
	for (int c = 0; c < L->ncol; c++)
		text(L, L->col[c].x, SVG_END, SVG_BOLD, FS, L->colhead[c]);
	text(L, L->weight_x, SVG_END, SVG_BOLD, FS, "Weight");
	text(L, L->eff_x, SVG_START, SVG_BOLD, FS, m);
	text(L, L->plot_x + PLOT_W / 2, SVG_MIDDLE, SVG_BOLD, FS, m);
	for (size_t c = 0; po->rob && c < po->rob->ncols; c++)
		text(L, rob_cx(L, c), SVG_MIDDLE, SVG_BOLD, FS_SMALL, po->rob->heads[c]);
	L->y += ROW + 2;
	svg_line(&L->svg, L->label_x, L->y - 2, L->width - MARGIN, L->y - 2, "#000000", 0.8, NULL);
	L->y += 2;
}

static void axis(struct layout *L, const double *ticks, int nt, double top, double bottom)
{
	const struct pool_result *r = L->r;
	const struct pool_plot_opts *po = L->po;
	double null_x = px(L, 0), ya = bottom;
	char buf[32];

	svg_line(&L->svg, null_x, top, null_x, ya, "#000000", 0.8, NULL);
	svg_line(&L->svg, L->plot_x, ya, L->plot_x + PLOT_W, ya, "#000000", 0.8, NULL);
	for (int t = 0; t < nt; t++) {
		double x = px(L, ticks[t]), v = r->log_scale ? exp(ticks[t]) : ticks[t];

		svg_line(&L->svg, x, ya, x, ya + 4, "#000000", 0.8, NULL);
		snprintf(buf, sizeof(buf), "%g", fabs(v) < 1e-12 ? 0.0 : v);
		svg_text(&L->svg, x, ya + 4 + FS_SMALL, SVG_MIDDLE, 0, FS_SMALL, buf);
	}
	svg_text(&L->svg, null_x - 6, ya + 6 + 2 * FS_SMALL, SVG_END, 0, FS_SMALL,
		 po->favours_left ? po->favours_left : "Favours [experimental]");
	svg_text(&L->svg, null_x + 6, ya + 6 + 2 * FS_SMALL, SVG_START, 0, FS_SMALL,
		 po->favours_right ? po->favours_right : "Favours [control]");
}

int pool_forest_svg(struct buf *out, const struct pool_result *r, const struct pool_plot_opts *po)
{
	struct pool_plot_opts none = POOL_PLOT_OPTS_INIT;
	struct layout L;
	struct buf body = BUF_INIT;
	struct svg doc;
	unsigned char *mask = calloc(r->in->k ? r->in->k : 1, 1);
	double ticks[8], top, axis_y = 0;
	int nt = 0, rc;
	char sub_label[64];

	if (!mask)
		return lsr_error_oom();
	memset(&L, 0, sizeof(L));
	L.r = r;
	L.po = po ? po : &none;
	L.fill = r->in->type == POOL_DATA_CONT ? "#2e8b35" : r->in->type == POOL_DATA_BIN ? "#1f4fb4"
											   : "#555e8a";
	for (size_t i = 0; i < r->in->k; i++)
		if (isfinite(r->est[i].weight_pct))
			L.max_wpct = fmax(L.max_wpct, r->est[i].weight_pct);
	measure(&L);
	choose_axis(&L, ticks, &nt);
	/* the body first: its height is known once it is drawn */
	svg_init(&L.svg, &body);
	L.y = MARGIN;
	headers(&L);
	top = L.y;
	snprintf(sub_label, sizeof(sub_label), "Subtotal (%g%% CI)", 100 * r->opts.level);
	if (r->sub) {
		for (size_t j = 0; j < r->nsub; j++) {
			text(&L, L.label_x, SVG_START, SVG_BOLD, FS * 1.08, r->sub[j].label);
			L.y += ROW;
			for (size_t i = 0; i < r->in->k; i++) {
				mask[i] = r->in->studies[i].subgroup &&
					  !strcmp(r->in->studies[i].subgroup, r->sub[j].label);
				if (mask[i])
					study_row(&L, i);
			}
			total_rows(&L, mask, &r->sub[j].s, sub_label, NULL);
			L.y += ROW / 2;
		}
	} else {
		for (size_t i = 0; i < r->in->k; i++)
			study_row(&L, i);
		L.y += ROW / 2;
	}
	memset(mask, 1, r->in->k);
	if (r->no_total) {
		axis_y = L.y;
		L.y += 2.5 * ROW; /* below the axis and its labels */
		text(&L, L.label_x, SVG_START, 0, FS_SMALL, POOL_NO_TOTAL_WHY ".");
		L.y += ROW;
	} else {
		snprintf(sub_label, sizeof(sub_label), "Total (%g%% CI)", 100 * r->opts.level);
		total_rows(&L, mask, &r->main, sub_label, &axis_y);
	}
	if (r->sub && isfinite(r->subtest.Q)) {
		char p[32], buf[160];

		pool_fmt_p(p, sizeof(p), r->subtest.p);
		snprintf(buf, sizeof(buf),
			 "Test for subgroup differences: Chi\u00b2 = %.2f, df = %.0f (P %s), I\u00b2 = %.0f%%",
			 r->subtest.Q, r->subtest.df, p, r->subtest.I2);
		text(&L, L.label_x, SVG_START, 0, FS_SMALL, buf);
		L.y += ROW;
	}
	axis(&L, ticks, nt, top, axis_y);
	L.height = fmax(L.y, axis_y + 2 * ROW + FS_SMALL) + MARGIN;
	if (L.po->rob)
		L.height += rob_legend(&L, L.height - MARGIN + ROW / 2) + ROW / 2;
	free(mask);
	if ((rc = svg_error(&L.svg)) < 0) {
		buf_release(&body);
		return rc;
	}
	svg_begin(&doc, out, L.width, L.height);
	if (buf_add(out, body.s, body.len) < 0)
		doc.rc = LSR_ENOMEM;
	buf_release(&body);
	return svg_end(&doc);
}
