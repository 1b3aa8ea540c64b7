/*
 * prisma_svg.c - the PRISMA 2020 flow diagram as SVG (see prisma.h).
 *
 * The layout of the PRISMA 2020 templates (Page et al., BMJ 2021): phase
 * bars on the left (Identification, Screening, Included), the flow of
 * records from databases and registers in the main column, the removals
 * and exclusions to its right.  For an update (the updated-review
 * template) a column on the left holds the studies of the previous version
 * and the flow ends in the review's total.  Records from other methods,
 * when there are any, get a box of their own at the top right.  Every text
 * is escaped (util/svg.c) and wrapped to its box's width.
 */
#include "prisma.h"
#include "../util/err.h"
#include "../util/svg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FONT 11.0
#define LINE 14.0
#define PAD 8.0
#define GAP 26.0

struct box {
	double x, y, w, h;
	struct buf text; /* lines separated by '\n'; a leading '*' makes a line bold */
	int indent; /* lines added now are indented (a box's list items) */
	int nlines;
};

/* Add a line to a box, wrapped to its width (continuations indented). */
static int box_line(struct box *b, int bold, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int box_line(struct box *b, int bold, const char *fmt, ...)
{
	char line[1024], *p = line;
	double max = b->w - 2 * PAD;
	va_list ap;
	int first = 1;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
	va_end(ap);
	while (*p) {
		/* the longest prefix ending at a space that fits */
		size_t n = strlen(p), cut = n;
		char save;

		for (;;) {
			save = p[cut];
			p[cut] = 0;
			if (svg_text_width(p, FONT) + (first && !b->indent ? 0 : 12) <= max || !strchr(p, ' ')) {
				p[cut] = save;
				break;
			}
			p[cut] = save;
			while (cut > 0 && p[cut - 1] != ' ')
				cut--;
			while (cut > 0 && p[cut - 1] == ' ')
				cut--;
			if (cut == 0) {
				cut = strcspn(p, " ");
				break;
			}
		}
		if (buf_printf(&b->text, "%s%s%.*s\n", bold ? "*" : "", first && !b->indent ? "" : "\t",
			       (int)cut, p) < 0)
			return -1;
		b->nlines++;
		p += cut;
		while (*p == ' ')
			p++;
		first = 0;
	}
	return 0;
}

static void box_fit(struct box *b)
{
	b->h = 2 * PAD + b->nlines * LINE - (LINE - FONT);
}

static void box_draw(struct svg *s, const struct box *b)
{
	const char *p = b->text.s ? b->text.s : "";
	double y = b->y + PAD + FONT - 2;
	char line[1100];

	svg_rect(s, b->x, b->y, b->w, b->h, "#ffffff", "#222222");
	while (*p) {
		size_t n = strcspn(p, "\n");
		int bold = *p == '*', indent;

		snprintf(line, sizeof(line), "%.*s", (int)(n - bold), p + bold);
		indent = line[0] == '\t';
		svg_text(s, b->x + PAD + (indent ? 12 : 0), y, SVG_START, bold ? SVG_BOLD : 0, FONT,
			 line + indent);
		y += LINE;
		p += n + (p[n] == '\n');
	}
}

static void arrow(struct svg *s, double x1, double y1, double x2, double y2)
{
	double head[6];

	svg_line(s, x1, y1, x2, y2, "#222222", 1.2, NULL);
	if (x1 == x2) { /* down */
		head[0] = x2 - 4, head[1] = y2 - 7, head[2] = x2 + 4, head[3] = y2 - 7;
	} else { /* right */
		head[0] = x2 - 7, head[1] = y2 - 4, head[2] = x2 - 7, head[3] = y2 + 4;
	}
	head[4] = x2, head[5] = y2;
	svg_polygon(s, head, 3, "#222222", NULL);
}

static void phase(struct buf *out, double x, double y, double w, double h, const char *label)
{
	buf_printf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" rx=\"4\" fill=\"#a9cce3\"/>\n"
			"<text x=\"%.2f\" y=\"%.2f\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\""
			" transform=\"rotate(-90 %.2f %.2f)\">",
		   x, y, w, h, x + w / 2 + 4, y + h / 2, x + w / 2 + 4, y + h / 2);
	svg_escape(out, label);
	buf_adds(out, "</text>\n");
}

static int counts_lines(struct box *b, const struct prisma_counts *c, int labels)
{
	int rc = 0;

	b->indent = 1;
	for (size_t i = 0; i < c->n && rc == 0; i++)
		rc = box_line(b, 0, "%s (n = %lld)", labels ? c->v[i].label : c->v[i].name,
			      (long long)c->v[i].n);
	b->indent = 0;
	return rc;
}

static int64_t sum(const struct prisma_counts *c)
{
	int64_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->v[i].n;
	return n;
}

enum { B_PREV, B_IDENT, B_OTHER, B_REMOVED, B_SCREENED, B_EXCLUDED, B_SOUGHT, B_NOTRET,
       B_ASSESSED, B_FTEXCL, B_INCLUDED, B_TOTAL, NBOX };

/* ---- the text of each box ---------------------------------------------- */

static int box_previous(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	if (!upd)
		return 0;
	rc |= box_line(b, 1, "Previous studies");
	rc |= box_line(b, 0, "Studies included in previous version of review (n = %lld)",
		       (long long)x->previous_studies);
	rc |= box_line(b, 0, "Reports of studies included in previous version of review (n = %lld)",
		       (long long)x->previous_reports);
	return rc;
}

static int box_identification(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	rc |= box_line(b, 1, "%s", upd ? "Identification of new studies via databases and registers"
				       : "Identification of studies via databases and registers");
	rc |= box_line(b, 0, "Records identified from:");
	rc |= box_line(b, 0, "Databases (n = %lld)", (long long)sum(&x->identified_databases));
	rc |= counts_lines(b, &x->identified_databases, 0);
	rc |= box_line(b, 0, "Registers (n = %lld)", (long long)sum(&x->identified_registers));
	rc |= counts_lines(b, &x->identified_registers, 0);
	return rc;
}

static int box_other(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	(void)upd;
	if (x->identified_other_total <= 0)
		return 0;
	rc |= box_line(b, 1, "Identification of studies via other methods");
	rc |= box_line(b, 0, "Records identified from other methods (n = %lld)",
		       (long long)x->identified_other_total);
	rc |= counts_lines(b, &x->identified_other, 0);
	rc |= box_line(b, 0, "(screened with the records above)");
	return rc;
}

static int box_removed(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	(void)upd;
	rc |= box_line(b, 0, "Records removed before screening:");
	rc |= box_line(b, 0, "Duplicate records removed (n = %lld)", (long long)x->duplicates_removed);
	rc |= box_line(b, 0, "Records marked as ineligible by automation tools (n = %lld)",
		       (long long)x->automation_excluded);
	rc |= box_line(b, 0, "Records removed for other reasons (n = %lld)", (long long)x->other_removed);
	if (x->skipped_at_import)
		rc |= box_line(b, 0, "Note: %lld malformed entries skipped at import, not counted",
			       (long long)x->skipped_at_import);
	return rc;
}

static int box_screened(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	(void)upd;
	rc |= box_line(b, 0, "Records screened (n = %lld)", (long long)x->screened);
	if (x->screen_pending)
		rc |= box_line(b, 0, "not yet decided (n = %lld)", (long long)x->screen_pending);
	return rc;
}

static int box_excluded(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	(void)upd;
	rc |= box_line(b, 0, "Records excluded (n = %lld)", (long long)x->screen_excluded);
	if (x->screen_excluded_by_tools) {
		rc |= box_line(b, 0, "  by a human (n = %lld)",
			       (long long)(x->screen_excluded - x->screen_excluded_by_tools));
		rc |= box_line(b, 0, "  by automation tools (n = %lld)",
			       (long long)x->screen_excluded_by_tools);
	}
	rc |= counts_lines(b, &x->screen_excluded_reasons, 1);
	return rc;
}

static int box_sought(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	(void)upd;
	rc |= box_line(b, 0, "Reports sought for retrieval (n = %lld)", (long long)x->sought);
	if (x->awaiting_retrieval)
		rc |= box_line(b, 0, "awaiting retrieval (n = %lld)", (long long)x->awaiting_retrieval);
	return rc;
}

static int box_not_retrieved(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	(void)upd;
	rc |= box_line(b, 0, "Reports not retrieved (n = %lld)", (long long)x->not_retrieved);
	rc |= counts_lines(b, &x->not_retrieved_reasons, 0);
	return rc;
}

static int box_assessed(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	(void)upd;
	rc |= box_line(b, 0, "Reports assessed for eligibility (n = %lld)", (long long)x->assessed);
	if (x->fulltext_pending)
		rc |= box_line(b, 0, "not yet decided (n = %lld)", (long long)x->fulltext_pending);
	if (x->fulltext_ongoing)
		rc |= box_line(b, 0, "ongoing studies (n = %lld)", (long long)x->fulltext_ongoing);
	if (x->fulltext_awaiting)
		rc |= box_line(b, 0, "awaiting classification (n = %lld)", (long long)x->fulltext_awaiting);
	return rc;
}

static int box_fulltext_excluded(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	(void)upd;
	rc |= box_line(b, 0, "Reports excluded:");
	rc |= counts_lines(b, &x->fulltext_excluded, 1);
	if (!x->fulltext_excluded.n)
		rc |= box_line(b, 0, "none (n = 0)");
	return rc;
}

static int box_included(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	rc |= box_line(b, 0, "%s (n = %lld)", upd ? "New studies included in review"
						  : "Studies included in review",
		       (long long)x->studies_included);
	rc |= box_line(b, 0, "%s (n = %lld)", upd ? "Reports of new included studies"
						  : "Reports of included studies",
		       (long long)x->reports_included);
	/* not a box of the template: where the assessed reports that are new
	 * reports of earlier studies went (they count in the totals) */
	if (upd && x->reports_of_previous_studies)
		rc |= box_line(b, 0, "New reports of studies included before (n = %lld)",
			       (long long)x->reports_of_previous_studies);
	return rc;
}

static int box_total(struct box *b, const struct prisma *x, int upd)
{
	int rc = 0;

	if (!upd)
		return 0;
	rc |= box_line(b, 0, "Total studies included in review (n = %lld)", (long long)x->total_studies);
	rc |= box_line(b, 0, "Reports of total included studies (n = %lld)", (long long)x->total_reports);
	return rc;
}

/* Each box's text, in enum order. */
static int (*const box_text[NBOX])(struct box *b, const struct prisma *x, int upd) = {
	[B_PREV] = box_previous, [B_IDENT] = box_identification, [B_OTHER] = box_other,
	[B_REMOVED] = box_removed, [B_SCREENED] = box_screened, [B_EXCLUDED] = box_excluded,
	[B_SOUGHT] = box_sought, [B_NOTRET] = box_not_retrieved, [B_ASSESSED] = box_assessed,
	[B_FTEXCL] = box_fulltext_excluded, [B_INCLUDED] = box_included, [B_TOTAL] = box_total,
};

/* ---- layout and drawing -------------------------------------------------- */

/* Where the boxes go, top to bottom; the phase boundaries and the height. */
struct layout {
	double top, ident_end, screen_end, height;
};

static double max2(double a, double b)
{
	return a > b ? a : b;
}

static void place(struct box *b, int upd, int other, double rightx, int titled, struct layout *l)
{
	double y;

	l->top = titled ? 44 : 14;
	y = l->top;
	if (other) {
		b[B_OTHER].y = y;
		b[B_OTHER].x = rightx;
	}
	b[B_IDENT].y = y;
	b[B_PREV].y = y;
	y += b[B_IDENT].h;
	if (other && b[B_OTHER].y + b[B_OTHER].h + GAP > y + GAP) {
		/* the removals box goes below the other-methods box */
		b[B_REMOVED].y = b[B_OTHER].y + b[B_OTHER].h + GAP / 2;
	} else {
		b[B_REMOVED].y = b[B_IDENT].y + (b[B_IDENT].h - b[B_REMOVED].h) / 2;
		if (b[B_REMOVED].y < l->top)
			b[B_REMOVED].y = l->top;
		if (other)
			b[B_REMOVED].y = b[B_OTHER].y + b[B_OTHER].h + GAP / 2;
	}
	if (b[B_REMOVED].y + b[B_REMOVED].h > y)
		y = b[B_REMOVED].y + b[B_REMOVED].h;
	l->ident_end = y + GAP / 2;
	y += GAP;
	b[B_SCREENED].y = b[B_EXCLUDED].y = y;
	y += max2(b[B_SCREENED].h, b[B_EXCLUDED].h) + GAP;
	b[B_SOUGHT].y = b[B_NOTRET].y = y;
	y += max2(b[B_SOUGHT].h, b[B_NOTRET].h) + GAP;
	b[B_ASSESSED].y = b[B_FTEXCL].y = y;
	y += max2(b[B_ASSESSED].h, b[B_FTEXCL].h);
	l->screen_end = y + GAP / 2;
	y += GAP;
	b[B_INCLUDED].y = y;
	y += b[B_INCLUDED].h;
	if (upd) {
		y += GAP;
		b[B_TOTAL].y = y;
		y += b[B_TOTAL].h;
	}
	l->height = y + 16;
}

/* The arrows between the boxes of the main column and to the right. */
static void arrows(struct svg *s, const struct box *b, int upd, double prevx, double mainx,
		   double rightx, double colw)
{
	static const int down[][2] = { { B_IDENT, B_SCREENED }, { B_SCREENED, B_SOUGHT },
				       { B_SOUGHT, B_ASSESSED }, { B_ASSESSED, B_INCLUDED } };
	static const int right[][2] = { { B_SCREENED, B_EXCLUDED }, { B_SOUGHT, B_NOTRET },
					{ B_ASSESSED, B_FTEXCL } };
	double cx = mainx + colw / 2, ay;

	for (size_t i = 0; i < sizeof(down) / sizeof(down[0]); i++)
		arrow(s, cx, b[down[i][0]].y + b[down[i][0]].h, cx, b[down[i][1]].y);
	for (size_t i = 0; i < sizeof(right) / sizeof(right[0]); i++) {
		ay = b[right[i][0]].y + b[right[i][0]].h / 2;
		arrow(s, mainx + colw, ay, rightx, ay);
	}
	/* identification to the removals box */
	ay = b[B_REMOVED].y + b[B_REMOVED].h / 2;
	if (ay > b[B_IDENT].y + b[B_IDENT].h)
		ay = b[B_IDENT].y + b[B_IDENT].h - 10;
	arrow(s, mainx + colw, ay, rightx, ay);
	if (upd) {
		double px = prevx + colw / 2;

		arrow(s, cx, b[B_INCLUDED].y + b[B_INCLUDED].h, cx, b[B_TOTAL].y);
		svg_line(s, px, b[B_PREV].y + b[B_PREV].h, px, b[B_TOTAL].y + b[B_TOTAL].h / 2,
			 "#222222", 1.2, NULL);
		arrow(s, px, b[B_TOTAL].y + b[B_TOTAL].h / 2, mainx, b[B_TOTAL].y + b[B_TOTAL].h / 2);
	}
}

int prisma_svg(struct buf *out, const struct prisma *x, const char *title)
{
	const int upd = x->update >= 1, other = x->identified_other_total > 0;
	const double left = 40, colw = 330, gap = 56;
	const double prevx = left + 10, mainx = left + 10 + (upd ? colw + gap / 2 : 0);
	const double rightx = mainx + colw + gap;
	const double width = rightx + colw + 20;
	struct box b[NBOX];
	struct layout l;
	struct svg s;
	int rc = 0;

	memset(b, 0, sizeof(b));
	for (int i = 0; i < NBOX; i++) {
		b[i].w = colw;
		b[i].x = mainx;
		b[i].text = (struct buf)BUF_INIT;
	}
	b[B_PREV].x = prevx;
	b[B_REMOVED].x = b[B_EXCLUDED].x = b[B_NOTRET].x = b[B_FTEXCL].x = b[B_OTHER].x = rightx;
	for (int i = 0; i < NBOX; i++)
		rc |= box_text[i](&b[i], x, upd);
	if (rc) {
		rc = lsr_error_oom();
		goto out;
	}
	for (int i = 0; i < NBOX; i++)
		box_fit(&b[i]);
	place(b, upd, other, rightx, title != NULL, &l);

	svg_begin(&s, out, width, l.height);
	if (title)
		svg_text(&s, width / 2, 26, SVG_MIDDLE, SVG_BOLD, 14, title);
	phase(out, 8, l.top, 24, l.ident_end - l.top - 4, "Identification");
	phase(out, 8, l.ident_end, 24, l.screen_end - l.ident_end - 4, "Screening");
	phase(out, 8, l.screen_end, 24, l.height - 16 - l.screen_end, "Included");
	for (int i = 0; i < NBOX; i++) {
		if ((i == B_PREV || i == B_TOTAL) && !upd)
			continue;
		if (i == B_OTHER && !other)
			continue;
		box_draw(&s, &b[i]);
	}
	arrows(&s, b, upd, prevx, mainx, rightx, colw);
	rc = svg_end(&s);
out:
	for (int i = 0; i < NBOX; i++)
		buf_release(&b[i].text);
	return rc;
}
