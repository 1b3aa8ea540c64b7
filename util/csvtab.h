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

/* Write s (NULL as empty) to f, quoted when it holds a comma, a quote, a
 * line end or surrounding space, then sep (',' or '\n'). */
void csvtab_put(FILE *f, const char *s, char sep);

#endif
