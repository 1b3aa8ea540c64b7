/*
 * out.h - output helpers for commands: JSON (jansson), TSV escaping.
 *
 * JSON summaries are one object with a schema_version key; record streams
 * are JSON Lines.  TSV has a header row and escapes \t, \n and \\.
 */
#ifndef LSR_OUT_H
#define LSR_OUT_H

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>

/* Print j as one indented JSON document and a newline; steals j. */
int out_json_doc(json_t *j);
/* Print j compactly on one line (JSON Lines); steals j. */
int out_json_line(json_t *j);
/* Print s as a TSV field (escaped), then sep ('\t' or '\n'). */
void out_tsv(FILE *f, const char *s, char sep);
/* json_string that maps NULL to JSON null. */
json_t *out_jstr(const char *s);
/* A JSON value parsed from text stored in the database, or null. */
json_t *out_jparse(const char *text);

/*
 * Text for a terminal: printf-style output whose result has every control
 * character replaced by '?' - C0 controls but tab and line feed, DEL, and
 * the C1 controls U+0080..U+009F (U+009B is a CSI) - so that free text
 * from files (batch notes, extraction values, file names in messages)
 * cannot move the cursor, clear the screen or retitle the window
 * (ESC ] 0 ; ... BEL, ESC [ 2 J).  JSON output needs none of this:
 * jansson escapes control characters.
 */
int out_fprint(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int out_vfprint(FILE *f, const char *fmt, va_list ap);
/* The same replacement in place (s may be NULL). */
void out_clean(char *s);

struct lsr_ctx;

/*
 * A line on stdout saying what a command did ("citation 5: ... resolved",
 * "linked 2 reports"): a confirmation, not the command's data, so -q
 * (ctx->verbosity < 0) leaves it out.  The newline is added.
 */
void out_done(const struct lsr_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
