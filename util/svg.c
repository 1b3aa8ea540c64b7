/*
 * svg.c - SVG writing with XML escaping (see svg.h).
 */
#include "svg.h"
#include "err.h"

#include <stdarg.h>

#define SVG_FONT "Arial, Helvetica, 'Liberation Sans', sans-serif"

int svg_escape(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		int rc;

		switch (c) {
		case '&': rc = buf_adds(b, "&amp;"); break;
		case '<': rc = buf_adds(b, "&lt;"); break;
		case '>': rc = buf_adds(b, "&gt;"); break;
		case '"': rc = buf_adds(b, "&quot;"); break;
		case '\'': rc = buf_adds(b, "&#39;"); break;
		default:
			/* XML 1.0 allows only tab, LF and CR below 0x20 */
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				continue;
			rc = buf_addc(b, (char)c);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

double svg_text_width(const char *text, double size)
{
	double w = 0;

	for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue; /* UTF-8 continuation byte */
		if (*p == ' ' || *p == '.' || *p == ',' || *p == ':' || *p == ';' || *p == 'i' ||
		    *p == 'l' || *p == 'j' || *p == '\'' || *p == '|' || *p == '!' || *p == '(' ||
		    *p == ')' || *p == '[' || *p == ']' || *p == 'f' || *p == 't' || *p == 'I')
			w += 0.30;
		else if (*p == 'm' || *p == 'w' || *p == 'M' || *p == 'W')
			w += 0.85;
		else if (*p >= 'A' && *p <= 'Z')
			w += 0.68;
		else
			w += 0.56;
	}
	return w * size;
}

static void emit(struct svg *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(struct svg *s, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (s->rc)
		return;
	va_start(ap, fmt);
	rc = buf_vprintf(s->out, fmt, ap);
	va_end(ap);
	if (rc < 0)
		s->rc = rc;
}

static void emit_escaped(struct svg *s, const char *text)
{
	int rc;

	if (s->rc)
		return;
	if ((rc = svg_escape(s->out, text)) < 0)
		s->rc = rc;
}

void svg_init(struct svg *s, struct buf *out)
{
	s->out = out;
	s->rc = 0;
}

int svg_error(const struct svg *s)
{
	return s->rc ? lsr_error_oom() : 0;
}

void svg_begin(struct svg *s, struct buf *out, double width, double height)
{
	svg_init(s, out);
	emit(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" height=\"%.0f\""
		" viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\">\n"
		"<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
	     width, height, width, height, SVG_FONT, width, height);
}

int svg_end(struct svg *s)
{
	emit(s, "</svg>\n");
	if (s->rc)
		return lsr_error_oom();
	return 0;
}

void svg_text(struct svg *s, double x, double y, enum svg_anchor anchor, unsigned flags,
	      double size, const char *text)
{
	static const char *const anchors[] = { "start", "middle", "end" };

	emit(s, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y,
	     size, anchors[anchor], (flags & SVG_BOLD) ? " font-weight=\"bold\"" : "",
	     (flags & SVG_ITALIC) ? " font-style=\"italic\"" : "",
	     (flags & SVG_GREY) ? " fill=\"#777777\"" : "");
	emit_escaped(s, text);
	emit(s, "</text>\n");
}

void svg_line(struct svg *s, double x1, double y1, double x2, double y2, const char *stroke,
	      double width, const char *dash)
{
	emit(s, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"%.2f\"",
	     x1, y1, x2, y2, stroke, width);
	if (dash)
		emit(s, " stroke-dasharray=\"%s\"", dash);
	emit(s, "/>\n");
}

void svg_rect(struct svg *s, double x, double y, double w, double h, const char *fill,
	      const char *stroke)
{
	emit(s, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"", x, y, w, h,
	     fill ? fill : "none");
	if (stroke)
		emit(s, " stroke=\"%s\"", stroke);
	emit(s, "/>\n");
}

void svg_polygon(struct svg *s, const double *xy, size_t n, const char *fill, const char *stroke)
{
	emit(s, "<polygon points=\"");
	for (size_t i = 0; i < n; i++)
		emit(s, "%s%.2f,%.2f", i ? " " : "", xy[2 * i], xy[2 * i + 1]);
	emit(s, "\" fill=\"%s\"", fill ? fill : "none");
	if (stroke)
		emit(s, " stroke=\"%s\"", stroke);
	emit(s, "/>\n");
}

void svg_circle(struct svg *s, double cx, double cy, double r, const char *fill, const char *stroke)
{
	emit(s, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"%s\"", cx, cy, r, fill ? fill : "none");
	if (stroke)
		emit(s, " stroke=\"%s\"", stroke);
	emit(s, "/>\n");
}
