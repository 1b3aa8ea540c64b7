/*
 * funnel.c - the funnel plot as SVG: each study's effect (x, logarithmic
 * axis for ratios) against its standard error (y, 0 at the top, as RevMan
 * and metafor draw it), a vertical line at the pooled estimate and dashed
 * pseudo-95% confidence limits, estimate +/- 1.96 SE.  Studies added by
 * trim-and-fill, when it was run, are drawn filled.
 */
#include "pool_int.h"
#include "../util/err.h"
#include "../util/svg.h"

#include <stdlib.h>

#define W 560.0
#define H 440.0
#define LEFT 78.0
#define RIGHT 24.0
#define TOP 40.0
#define BOTTOM 72.0
#define FS 11.0

struct frame {
	double xlo, xhi, ylo, yhi; /* data ranges: effect, SE */
};

static double fx(const struct frame *f, double x)
{
	return LEFT + (x - f->xlo) / (f->xhi - f->xlo) * (W - LEFT - RIGHT);
}

static double fy(const struct frame *f, double se)
{
	return TOP + (se - f->ylo) / (f->yhi - f->ylo) * (H - TOP - BOTTOM);
}

/* 1-2-5 step giving about n intervals over range */
double pool_nice_step(double range, int n)
{
	double raw = range / n, p = pow(10, floor(log10(raw))), m = raw / p;

	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* ticks on the analysis scale; labels on the display scale */
int pool_axis_ticks(double lo, double hi, int log_scale, double *t, int max)
{
	int n = 0;

	if (log_scale) {
		static const double mant[] = { 1, 2, 5 };
		int only_decades = (hi - lo) / log(10) > 3;

		for (int e = -6; e <= 6; e++)
			for (int m = 0; m < 3; m++) {
				double v = mant[m] * pow(10, e);

				if (only_decades && m > 0)
					continue;
				if (log(v) >= lo && log(v) <= hi && n < max)
					t[n++] = log(v);
			}
		if (n >= 2)
			return n;
		n = 0; /* a narrow range: plain steps of the ratio */
		{
			double a = exp(lo), b = exp(hi), st = pool_nice_step(b - a, 4);

			for (double v = ceil(a / st) * st; v <= b && n < max; v += st)
				if (v > 0)
					t[n++] = log(v);
		}
		return n;
	}
	{
		double st = pool_nice_step(hi - lo, 5);

		for (double v = ceil(lo / st) * st; v <= hi + st * 1e-9 && n < max; v += st)
			t[n++] = fabs(v) < st * 1e-9 ? 0 : v;
	}
	return n;
}

int pool_funnel_svg(struct buf *out, const struct pool_result *r, const struct pool_plot_opts *po)
{
	const struct pool_trimfill *tf = r->tf;
	struct frame f;
	struct svg s;
	double mu = r->main.estimate, semax = 0, z = pool_z_crit(0.95), t[32], lo = INFINITY, hi = -INFINITY;
	char buf[128], ylab[64];
	int nt, n = 0;

	for (size_t i = 0; i < r->in->k; i++) {
		const struct pool_est *e = &r->est[i];

		if (e->status != POOL_EST_INCLUDED)
			continue;
		semax = fmax(semax, sqrt(e->vi));
		lo = fmin(lo, e->yi);
		hi = fmax(hi, e->yi);
		n++;
	}
	for (int j = 0; tf && j < tf->k0; j++) {
		semax = fmax(semax, sqrt(tf->fill_v[j]));
		lo = fmin(lo, tf->fill_y[j]);
		hi = fmax(hi, tf->fill_y[j]);
	}
	if (n == 0 || !isfinite(mu))
		return lsr_error_set(LSR_ERROR, "a funnel plot needs a pooled estimate");
	f.ylo = 0;
	f.yhi = semax * 1.08;
	lo = fmin(lo, mu - z * f.yhi);
	hi = fmax(hi, mu + z * f.yhi);
	f.xlo = lo - 0.04 * (hi - lo);
	f.xhi = hi + 0.04 * (hi - lo);
	svg_begin(&s, out, W, H);
	if (po && po->title)
		svg_text(&s, W / 2, 22, SVG_MIDDLE, SVG_BOLD, FS * 1.2, po->title);
	/* frame and axes */
	svg_rect(&s, LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM, NULL, "#000000");
	nt = pool_axis_ticks(f.xlo, f.xhi, r->log_scale, t, 32);
	for (int i = 0; i < nt; i++) {
		double x = fx(&f, t[i]);

		svg_line(&s, x, H - BOTTOM, x, H - BOTTOM + 4, "#000000", 0.8, NULL);
		snprintf(buf, sizeof(buf), "%g", r->log_scale ? exp(t[i]) : t[i]);
		svg_text(&s, x, H - BOTTOM + 6 + FS, SVG_MIDDLE, 0, FS, buf);
	}
	nt = pool_axis_ticks(f.ylo, f.yhi, 0, t, 32);
	for (int i = 0; i < nt; i++) {
		double y = fy(&f, t[i]);

		svg_line(&s, LEFT - 4, y, LEFT, y, "#000000", 0.8, NULL);
		snprintf(buf, sizeof(buf), "%g", t[i]);
		svg_text(&s, LEFT - 7, y + FS * 0.35, SVG_END, 0, FS, buf);
	}
	snprintf(buf, sizeof(buf), "%s%s", pool_measure_title(r->opts.measure),
		 r->log_scale ? " (log scale)" : "");
	svg_text(&s, LEFT + (W - LEFT - RIGHT) / 2, H - BOTTOM + 2 * FS + 16, SVG_MIDDLE, 0, FS, buf);
	snprintf(ylab, sizeof(ylab), r->log_scale ? "SE(log[%s])" : "SE(%s)",
		 r->opts.measure == POOL_GIV ? "Effect" : pool_measure_name(r->opts.measure));
	svg_text(&s, 16, TOP - 12, SVG_START, 0, FS, ylab);
	/* pseudo-95% limits and the pooled estimate */
	svg_line(&s, fx(&f, mu), fy(&f, 0), fx(&f, mu - z * f.yhi), fy(&f, f.yhi), "#444444", 1, "5 4");
	svg_line(&s, fx(&f, mu), fy(&f, 0), fx(&f, mu + z * f.yhi), fy(&f, f.yhi), "#444444", 1, "5 4");
	svg_line(&s, fx(&f, mu), fy(&f, 0), fx(&f, mu), fy(&f, f.yhi), "#000000", 1, NULL);
	for (size_t i = 0; i < r->in->k; i++) {
		const struct pool_est *e = &r->est[i];

		if (e->status == POOL_EST_INCLUDED)
			svg_circle(&s, fx(&f, e->yi), fy(&f, sqrt(e->vi)), 3.6, "#ffffff", "#1f4fb4");
	}
	for (int j = 0; tf && j < tf->k0; j++)
		svg_circle(&s, fx(&f, tf->fill_y[j]), fy(&f, sqrt(tf->fill_v[j])), 3.6, "#9e9e9e", "#444444");
	/* legend */
	svg_circle(&s, LEFT + 8, H - 16, 3.6, "#ffffff", "#1f4fb4");
	svg_text(&s, LEFT + 16, H - 12, SVG_START, 0, FS - 1, "study");
	svg_line(&s, LEFT + 70, H - 16, LEFT + 92, H - 16, "#444444", 1, "5 4");
	svg_text(&s, LEFT + 96, H - 12, SVG_START, 0, FS - 1, "pseudo-95% limits");
	if (tf && tf->k0 > 0) {
		svg_circle(&s, LEFT + 222, H - 16, 3.6, "#9e9e9e", "#444444");
		svg_text(&s, LEFT + 230, H - 12, SVG_START, 0, FS - 1, "filled by trim-and-fill");
	}
	return svg_end(&s);
}
