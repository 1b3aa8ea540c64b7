/*
 * svg.h - writing small SVG documents (forest, funnel, risk-of-bias and
 * PRISMA figures) into a buf: every text escaped for XML, numbers written
 * in a fixed format, one sticky error instead of a status per call.
 *
 *     struct svg s;
 *     svg_begin(&s, &b, 640, 480);
 *     svg_text(&s, 10, 20, SVG_START, SVG_BOLD, 11, "Study & year");
 *     svg_line(&s, 0, 30, 640, 30, "#000", 1, NULL);
 *     if (svg_end(&s) < 0) ...          // LSR_ENOMEM, message set
 *
 * Coordinates are user units (pixels), y downwards.  Text uses one sans
 * serif family; svg_text_width estimates widths for layout (there are no
 * font metrics to be had, so it errs wide).
 */
#ifndef LSR_SVG_H
#define LSR_SVG_H

#include <stddef.h>

#include "buf.h"

enum svg_anchor { SVG_START, SVG_MIDDLE, SVG_END };

enum svg_text_flags {
	SVG_BOLD = 1 << 0,
	SVG_ITALIC = 1 << 1,
	SVG_GREY = 1 << 2,
};

struct svg {
	struct buf *out; /* borrowed */
	int rc;          /* first error, 0 while all is well */
};

/* Append s to b with &, <, >, " and ' escaped and the control characters
 * XML 1.0 forbids dropped.  0 or LSR_ENOMEM. */
int svg_escape(struct buf *b, const char *s);

/* The width of text at font size size, estimated for a sans-serif font. */
double svg_text_width(const char *text, double size);

/* Start a document of the given size. */
void svg_begin(struct svg *s, struct buf *out, double width, double height);
/* Draw into out without a document header (a body to be placed with
 * svg_begin and buf_add once its size is known); svg_end is not called on
 * it, svg_error gives its status. */
void svg_init(struct svg *s, struct buf *out);
int svg_error(const struct svg *s);
/* Close the document; the first error of any call, or 0. */
int svg_end(struct svg *s);

void svg_text(struct svg *s, double x, double y, enum svg_anchor anchor, unsigned flags,
	      double size, const char *text);
/* dash: an SVG stroke-dasharray ("4 3") or NULL */
void svg_line(struct svg *s, double x1, double y1, double x2, double y2, const char *stroke,
	      double width, const char *dash);
void svg_rect(struct svg *s, double x, double y, double w, double h, const char *fill,
	      const char *stroke);
/* xy: n points, x and y alternating */
void svg_polygon(struct svg *s, const double *xy, size_t n, const char *fill, const char *stroke);
void svg_circle(struct svg *s, double cx, double cy, double r, const char *fill, const char *stroke);

#endif
