/*
 * report.h - the review's self-contained HTML report.
 *
 * One HTML file (DIR/index.html) with everything inline - styles and SVG
 * figures, no script, nothing fetched - and each figure also as its own
 * SVG file in DIR.  Everything comes from the review database and
 * protocol.yaml (dates included: never the clock), so rebuilding from the
 * same database writes the same bytes.  Every text from the data is
 * escaped.
 */
#ifndef LSR_REPORT_H
#define LSR_REPORT_H

struct lsr_db;
struct protocol;

/* Write the report of update (-1: the latest) into dir (created). */
int report_write(struct lsr_db *db, const struct protocol *p, int update, const char *dir);

#endif
