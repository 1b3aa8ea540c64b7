/*
 * text.h - Unicode text handling shared by every stage (utf8proc).
 *
 * All text lsr stores is valid UTF-8 in NFC.  Input in another encoding is
 * converted here, and the caller is told what was done (enum text_fix) so
 * that the run can note it.
 */
#ifndef LSR_TEXT_H
#define LSR_TEXT_H

#include <stddef.h>

#include "buf.h"

enum text_fix {
	TEXT_FIX_BOM = 1 << 0,      /* a UTF-8 byte-order mark was removed */
	TEXT_FIX_CP1252 = 1 << 1,   /* bytes that were not UTF-8 were read as cp1252 */
	TEXT_FIX_CRLF = 1 << 2,     /* CRLF line ends became LF */
	TEXT_FIX_CR = 1 << 3,       /* stray CR became LF */
	TEXT_FIX_UTF16 = 1 << 4,    /* UTF-16 input was converted */
	TEXT_FIX_NFC = 1 << 5,      /* text was not in NFC */
	TEXT_FIX_CONTROL = 1 << 6,  /* control characters were dropped */
};

/* Names of the fixes in flags, comma-separated, into out. */
int text_fix_describe(struct buf *out, unsigned flags);

/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates), else 0. */
int text_is_utf8(const char *s, size_t n);
/* 1 if s[0..n) is plain ASCII. */
int text_is_ascii(const char *s, size_t n);
/* 1 if s[0..n) holds nothing but ASCII white space (space, tab, line
 * feed, carriage return, form feed, vertical tab), or nothing. */
int text_is_blank(const char *s, size_t n);
/* The same for the NUL-terminated s, read only up to its first character
 * that is not white space. */
int text_is_blank_str(const char *s);
/* The characters (code points) of UTF-8 text s, as SQLite's length()
 * counts them and as wide as a column of monospaced text shows them: the
 * bytes that do not continue a sequence.  0 for NULL. */
size_t text_chars(const char *s);

/*
 * Append s[0..n) to out as valid UTF-8: valid sequences are copied, every
 * other byte is read as Windows-1252 (a superset of Latin-1 in practice).
 * Sets TEXT_FIX_CP1252 in *fixes when a byte was converted.
 */
int text_append_utf8(struct buf *out, const char *s, size_t n, unsigned *fixes);

/* Replace b's content by its NFC form (fast path for ASCII). */
int text_nfc(struct buf *b, unsigned *fixes);

/*
 * Make a field value: collapse every run of white space (including
 * newlines, tabs and no-break spaces) to one space, trim both ends, drop
 * other control characters, and normalise to NFC.  In place.
 */
int text_clean(struct buf *b);

/* Like text_clean, but keeps single newlines (for abstracts with sections). */
int text_clean_lines(struct buf *b);

/* A new cleaned copy of s[0..n) (caller frees), NULL when out of memory. */
char *text_clean_dup(const char *s, size_t n);

/* Append the UTF-8 encoding of code point cp. */
int text_append_cp(struct buf *out, unsigned long cp);

#endif
