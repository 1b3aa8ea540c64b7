/*
 * report.h - the review's self-contained HTML report.
 *
 * One HTML file (DIR/index.html) with everything inline - styles and SVG
 * figures, no script, nothing fetched - and each figure also as its own
 * SVG file in DIR (and as PNG, rsvg-convert's rendering, when asked or
 * when rsvg-convert is on PATH).  Everything comes from the review database and
 * protocol.yaml (dates included: never the clock), so rebuilding from the
 * same database writes the same bytes.  Every text from the data is
 * escaped.
 */
#ifndef LSR_REPORT_H
#define LSR_REPORT_H

struct lsr_db;
struct protocol;

/* PNG copies of the figures, by rsvg-convert (librsvg2-bin) */
enum {
	REPORT_PNG_AUTO = -1,  /* when rsvg-convert is on PATH */
	REPORT_PNG_NEVER = 0,
	REPORT_PNG_ALWAYS = 1, /* an error (LSR_ERROR) when it cannot be run */
};

/* Write the report of update (-1: the latest) into dir (created); with
 * png (REPORT_PNG_*) each figure NAME.svg also as NAME.png. */
int report_write(struct lsr_db *db, const struct protocol *p, int update, const char *dir, int png);

#endif
