/*
 * csvtab.h - small CSV tables: a whole file read into rows of fields
 * (libcsv), and fields written back quoted as RFC 4180 wants.
 *
 * Sheets people fill in a spreadsheet come back through here.  Fields are
 * trimmed of surrounding ASCII space and repaired to UTF-8 (bytes that are
 * not UTF-8 are read as Windows-1252, as Excel writes them); a leading
 * byte-order mark is dropped.  Rows are numbered as a spreadsheet numbers
 * them: the first record (the header) is row 1; blank lines are skipped
 * and do not count.
 */
#ifndef LSR_CSVTAB_H
#define LSR_CSVTAB_H

#include <stdio.h>

#include "strv.h"

struct csvtab {
	struct strv *rows; /* rows[i].v[j]: field j of row i + 1 */
	size_t nrows;
	size_t alloc;
};

#define CSVTAB_INIT { NULL, 0, 0 }

/* Read path (LSR_ENOTFOUND when it cannot be opened, LSR_EPARSE
 * "path: malformed CSV ..." on bad quoting). */
int csvtab_read(struct csvtab *t, const char *path);
void csvtab_release(struct csvtab *t);

/*
 * Write s (NULL as empty) to f, quoted when it holds a comma, a quote, a
 * line end or surrounding space, then sep (',' or '\n').
 *
 * csvtab_put is for files people open in a spreadsheet: a text cell that a
 * spreadsheet would run as a formula (csvtab_needs_guard) gets a leading
 * apostrophe, as OWASP's "CSV injection" page recommends.  csvtab_put_raw
 * writes s as it is, for documented machine exports (the metafor CSV).
 */
void csvtab_put(FILE *f, const char *s, char sep);
void csvtab_put_raw(FILE *f, const char *s, char sep);

/*
 * 1 if s, after any leading apostrophes, begins with =, +, -, @, tab or
 * carriage return and is not a plain decimal number ("-2.5", "+1e-3" stay
 * numbers).  A cell that already begins with an apostrophe before such a
 * character is guarded too, so that reading it back strips exactly the
 * apostrophe lsr added.
 */
int csvtab_needs_guard(const char *s);

/* Undo the guard in place: drop one leading apostrophe when the cell,
 * after its leading apostrophes, begins with one of those characters.
 * csvtab_read does this to every field; other readers of lsr's own files
 * call it on theirs. */
void csvtab_unguard(char *s);

#endif
