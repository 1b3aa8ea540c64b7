/*
 * robplot.c - the two standard risk-of-bias figures, as SVG.
 *
 * The traffic-light plot ("risk of bias summary" in RevMan) is a grid with
 * one row per study and one column per domain (and the overall judgement
 * for RoB 2): a coloured disc marks each judgement, with a symbol so that
 * the figure still reads in grey (+ low, - some concerns, ? unclear,
 * x high).  The summary plot ("risk of bias graph") has one horizontal bar
 * per domain split into the percentage of studies at each level; each
 * study counts with its weight (1 each for an unweighted chart), as robvis
 * draws it.
 *
 * Sizes are fixed in pixels; the width of the label column is estimated
 * from the longest label (7 px per character at 12 px sans-serif).  Every
 * label is XML-escaped, so any study label gives a well-formed document.
 */
#include "extract.h"
#include "../util/err.h"
#include "../util/svg.h"
#include "../util/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define CELL 30        /* traffic light: one cell */
#define DISC 11        /* its disc's radius */
#define CHAR_W 7       /* estimated width of a character at 12 px */
#define BAR_W 400      /* summary: a bar at 100% */
#define BAR_H 20
#define BAR_GAP 10
#define LINE 16        /* legend line height */

static const char *const fill[4] = { "#D9D9D9", "#02C100", "#E2DF07", "#BF0000" };

static const char *symbol(enum rob_level l, int rob2)
{
	switch (l) {
	case ROB_LOW: return "+";
	case ROB_SOME: return rob2 ? "-" : "?";
	case ROB_HIGH: return "x";
	case ROB_NONE: break;
	}
	return "";
}

static const char *level_label(enum rob_level l, int rob2)
{
	switch (l) {
	case ROB_LOW: return "Low risk of bias";
	case ROB_SOME: return rob2 ? "Some concerns" : "Unclear risk of bias";
	case ROB_HIGH: return "High risk of bias";
	case ROB_NONE: break;
	}
	return "Not final";
}

#define PER_OUTCOME "Judged per outcome"

int extract_robplot_per_outcome(const struct extract_robplot *p, size_t k)
{
	return k < p->ndomains && k < 32 && (p->per_outcome_cols >> k & 1u);
}

/* the label of level l in column k */
static const char *cell_label(const struct extract_robplot *p, size_t k, enum rob_level l)
{
	return l == ROB_NONE && extract_robplot_per_outcome(p, k) ? PER_OUTCOME : level_label(l, p->rob2);
}

/* the document's title, with the result (RoB 2 per result) when drawn for one */
static int open_svg(struct buf *out, int width, int height, const char *title, const char *result)
{
	int rc = buf_printf(out,
			    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
			    " viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\""
			    " font-size=\"12\">\n<title>",
			    width, height, width, height);

	if (rc == 0)
		rc = svg_escape(out, title);
	if (rc == 0 && result && *result) {
		rc = buf_adds(out, ": ");
		if (rc == 0)
			rc = svg_escape(out, result);
	}
	if (rc == 0)
		rc = buf_printf(out, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>\n",
				width, height);
	return rc;
}

/* a text element with escaped content */
static int text(struct buf *out, double x, double y, const char *anchor,
		const char *extra, const char *s)
{
	int rc = buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y,
			    anchor, extra ? " " : "", extra ? extra : "");

	if (rc == 0)
		rc = svg_escape(out, s);
	return rc ? rc : buf_adds(out, "</text>\n");
}

static int disc(struct buf *out, double cx, double cy, enum rob_level l, int rob2,
		const char *label, const char *tip_study, const char *tip_domain)
{
	int rc = buf_adds(out, "<g><title>");

	if (rc == 0 && tip_study) {
		rc = svg_escape(out, tip_study);
		if (rc == 0)
			rc = buf_adds(out, ", ");
	}
	if (rc == 0 && tip_domain) {
		rc = svg_escape(out, tip_domain);
		if (rc == 0)
			rc = buf_adds(out, ": ");
	}
	if (rc == 0)
		rc = buf_printf(out,
				"%s</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\""
				" stroke=\"#404040\" stroke-width=\"0.8\"/>",
				label, cx, cy, DISC, fill[l]);
	if (rc == 0 && l != ROB_NONE)
		rc = buf_printf(out,
				"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"15\""
				" font-weight=\"bold\" fill=\"%s\">%s</text>",
				cx, cy + 5, l == ROB_SOME ? "#000000" : "#FFFFFF", symbol(l, rob2));
	return rc ? rc : buf_adds(out, "</g>\n");
}

/*
 * Traffic light: the width of column k, a cell or more - wide enough for
 * its bold head ("Overall" is wider than a cell, and centred in one it ran
 * into "D5" beside it) - and the x of its centre from the grid's left.
 */
static int col_width(const struct extract_robplot *p, size_t k)
{
	const char *head = k < p->ndomains ? p->domains[k].label : "Overall";
	int w = (int)(text_chars(head) * CHAR_W) + 10; /* 5 px either side */

	return w > CELL ? w : CELL;
}

static double col_centre(const struct extract_robplot *p, int left, size_t k)
{
	int x = left;

	for (size_t j = 0; j < k; j++)
		x += col_width(p, j);
	return x + col_width(p, k) / 2.0;
}

static void check_plot(const struct extract_robplot *p)
{
	if (!p->domains || !p->ndomains)
		BUG("a risk-of-bias plot needs domains");
	for (size_t i = 0; i < p->nstudies; i++)
		for (size_t k = 0; k < p->ndomains + (p->has_overall != 0); k++)
			if ((unsigned)p->studies[i].levels[k] > ROB_HIGH)
				BUG("risk-of-bias level %d out of range", (int)p->studies[i].levels[k]);
}

/* some judgement is not given (drawn grey): in the columns judged per
 * outcome when per_outcome, else in the others */
static int any_open(const struct extract_robplot *p, int per_outcome)
{
	for (size_t i = 0; i < p->nstudies; i++)
		for (size_t k = 0; k < p->ndomains + (p->has_overall != 0); k++)
			if (p->studies[i].levels[k] == ROB_NONE && extract_robplot_per_outcome(p, k) == per_outcome)
				return 1;
	return 0;
}

int extract_robplot_traffic_light(struct buf *out, const struct extract_robplot *p)
{
	size_t ncols = p->ndomains + (p->has_overall != 0), labw = 0, legw = 0;
	int left, top = 46, width, height, legend_y, gridw = 0, rc;

	check_plot(p);
	for (size_t i = 0; i < p->nstudies; i++)
		if (text_chars(p->studies[i].label) > labw)
			labw = text_chars(p->studies[i].label);
	for (size_t k = 0; k < p->ndomains; k++) {
		size_t w = text_chars(p->domains[k].label) + 2 + text_chars(p->domains[k].name);

		if (w > legw)
			legw = w;
	}
	left = (int)(labw * CHAR_W) + 24;
	if (left < 90)
		left = 90;
	for (size_t k = 0; k < ncols; k++)
		gridw += col_width(p, k);
	width = left + gridw + 20;
	if (width < (int)(legw * CHAR_W) + 40)
		width = (int)(legw * CHAR_W) + 40;
	if (width < 520)
		width = 520;
	legend_y = top + (int)p->nstudies * CELL + 30;
	height = legend_y + (int)(p->ndomains + 4) * LINE + 10;

	rc = open_svg(out, width, height,
		      p->rob2 ? "Risk of bias (RoB 2): traffic-light plot"
			      : "Risk of bias (RoB 1): summary of judgements per study", p->result);
	/* the grid's background and column heads */
	if (rc == 0)
		rc = buf_printf(out,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#F2F2F2\""
				" stroke=\"#A6A6A6\"/>\n",
				left, top, gridw, (int)p->nstudies * CELL);
	for (size_t k = 0; k < ncols && rc == 0; k++)
		rc = text(out, col_centre(p, left, k), top - 10, "middle", "font-weight=\"bold\"",
			  k < p->ndomains ? p->domains[k].label : "Overall");
	if (rc == 0)
		rc = text(out, left - 12, top - 10, "end", "font-weight=\"bold\"", "Study");
	for (size_t i = 0; i < p->nstudies && rc == 0; i++) {
		const struct extract_robplot_study *s = &p->studies[i];
		double cy = top + (i + 0.5) * CELL;

		rc = text(out, left - 12, cy + 4, "end", NULL, s->label);
		for (size_t k = 0; k < ncols && rc == 0; k++)
			rc = disc(out, col_centre(p, left, k), cy, s->levels[k], p->rob2,
				  cell_label(p, k, s->levels[k]), s->label,
				  k < p->ndomains ? p->domains[k].name : "Overall");
	}
	/* legend: the domains, then the judgements */
	if (rc == 0)
		rc = text(out, 20, legend_y, "start", "font-weight=\"bold\"", "Domains:");
	for (size_t k = 0; k < p->ndomains && rc == 0; k++) {
		struct buf line = BUF_INIT;

		rc = buf_printf(&line, "%s: %s", p->domains[k].label, p->domains[k].name);
		if (rc == 0)
			rc = text(out, 20, legend_y + (k + 1) * LINE, "start", NULL, line.s);
		buf_release(&line);
	}
	{
		int y = legend_y + (int)(p->ndomains + 2) * LINE, x = 20;

		if (rc == 0)
			rc = text(out, x, y + 4, "start", "font-weight=\"bold\"", "Judgement:");
		x += 90;
		/* high, some, low, then grey: not final, judged per outcome */
		for (int l = ROB_HIGH; l >= ROB_NONE - 1 && rc == 0; l--) {
			enum rob_level lv = l < ROB_NONE ? ROB_NONE : (enum rob_level)l;
			const char *name = l == ROB_NONE ? "not final"
					   : l < ROB_NONE ? "judged per outcome"
					   : extract_rob_level_name(lv, p->rob2);

			if (lv == ROB_NONE && !any_open(p, l < ROB_NONE))
				continue;
			rc = disc(out, x, y, lv, p->rob2, l < ROB_NONE ? PER_OUTCOME : level_label(lv, p->rob2),
				  NULL, NULL);
			if (rc == 0)
				rc = text(out, x + DISC + 6, y + 4, "start", NULL, name);
			x += 40 + (int)strlen(name) * CHAR_W;
		}
	}
	if (rc == 0)
		rc = buf_adds(out, "</svg>\n");
	return rc;
}

int extract_robplot_summary(struct buf *out, const struct extract_robplot *p)
{
	size_t nrows = p->ndomains + (p->has_overall != 0), namew = 0;
	int left, top = 20, width, height, axis_y, any_none = 0, any_per_outcome = 0, rc;

	check_plot(p);
	for (size_t k = 0; k < p->ndomains; k++)
		if (text_chars(p->domains[k].name) > namew)
			namew = text_chars(p->domains[k].name);
	left = (int)(namew * CHAR_W) + 30;
	if (left < 120)
		left = 120;
	width = left + BAR_W + 30;
	axis_y = top + (int)nrows * (BAR_H + BAR_GAP);
	height = axis_y + 40 + 2 * LINE + 10;

	rc = open_svg(out, width, height,
		      p->rob2 ? "Risk of bias (RoB 2): summary plot"
			      : "Risk of bias (RoB 1): judgements per domain, as percentages across studies",
		      p->result);
	for (size_t k = 0; k < nrows && rc == 0; k++) {
		double w[4] = { 0, 0, 0, 0 }, total = 0, x = left;
		int y = top + (int)k * (BAR_H + BAR_GAP);

		for (size_t i = 0; i < p->nstudies; i++) {
			double wt = p->studies[i].weight;

			if (!(wt >= 0) || !isfinite(wt))
				return lsr_error_set(LSR_ERROR, "study '%s' has weight %g; weights must be >= 0",
						     p->studies[i].label, wt);
			w[p->studies[i].levels[k]] += wt;
			total += wt;
		}
		if (extract_robplot_per_outcome(p, k))
			any_per_outcome |= w[ROB_NONE] > 0;
		else
			any_none |= w[ROB_NONE] > 0;
		rc = text(out, left - 10, y + BAR_H / 2.0 + 4, "end", NULL,
			  k < p->ndomains ? p->domains[k].name : "Overall risk of bias");
		/* low, some, high, then not final (open), left to right */
		for (int l = ROB_LOW; l <= ROB_HIGH + 1 && rc == 0; l++) {
			int lv = l == ROB_HIGH + 1 ? ROB_NONE : l;
			double seg = total > 0 ? w[lv] / total * BAR_W : 0;

			if (seg <= 0)
				continue;
			rc = buf_printf(out,
					"<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\""
					" stroke=\"#404040\" stroke-width=\"0.5\"><title>%s: %.1f%%</title></rect>\n",
					x, y, seg, BAR_H, fill[lv],
					cell_label(p, k, (enum rob_level)lv), w[lv] / total * 100);
			x += seg;
		}
	}
	/* the percentage axis */
	if (rc == 0)
		rc = buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#404040\"/>\n",
				left, axis_y, left + BAR_W, axis_y);
	for (int t = 0; t <= 100 && rc == 0; t += 25) {
		char lab[8];

		snprintf(lab, sizeof(lab), "%d%%", t);
		rc = buf_printf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#404040\"/>\n",
				left + t * BAR_W / 100.0, axis_y, left + t * BAR_W / 100.0, axis_y + 5);
		if (rc == 0)
			rc = text(out, left + t * BAR_W / 100.0, axis_y + 18, "middle", NULL, lab);
	}
	/* legend */
	{
		int x = 20, y = axis_y + 40;

		for (int l = ROB_LOW; l <= ROB_HIGH + 2 && rc == 0; l++) {
			int lv = l > ROB_HIGH ? ROB_NONE : l;
			const char *name = l > ROB_HIGH + 1 ? PER_OUTCOME : level_label((enum rob_level)lv, p->rob2);

			if (lv == ROB_NONE && !(l > ROB_HIGH + 1 ? any_per_outcome : any_none))
				continue;
			rc = buf_printf(out,
					"<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\""
					" stroke=\"#404040\" stroke-width=\"0.5\"/>\n",
					x, y - 10, fill[lv]);
			if (rc == 0)
				rc = text(out, x + 16, y, "start", NULL, name);
			x += 30 + (int)strlen(name) * CHAR_W;
		}
	}
	if (rc == 0)
		rc = buf_adds(out, "</svg>\n");
	return rc;
}
