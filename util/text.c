/*
 * text.c - encoding repair, white space and NFC (see text.h).
 *
 * Decoding and normalisation are utf8proc's; this file only decides what to
 * do with bytes that are not UTF-8 and how white space is collapsed.
 */
#include "text.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes (read as
 * their C1 code points, as Latin-1 would). */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

int text_fix_describe(struct buf *out, unsigned flags)
{
	static const struct { unsigned flag; const char *name; } names[] = {
		{ TEXT_FIX_BOM, "byte-order mark removed" },
		{ TEXT_FIX_UTF16, "UTF-16 converted to UTF-8" },
		{ TEXT_FIX_CP1252, "non-UTF-8 bytes read as Windows-1252" },
		{ TEXT_FIX_CRLF, "CRLF line ends" },
		{ TEXT_FIX_CR, "stray CR characters" },
		{ TEXT_FIX_NFC, "text normalised to NFC" },
		{ TEXT_FIX_CONTROL, "control characters dropped" },
	};
	int first = 1;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].flag))
			continue;
		if ((!first && buf_adds(out, ", ") < 0) || buf_adds(out, names[i].name) < 0)
			return LSR_ENOMEM;
		first = 0;
	}
	return 0;
}

int text_is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] & 0x80)
			return 0;
	return 1;
}

/* What text_is_blank takes for white space. */
static const char blank_set[] = " \t\n\r\f\v";

int text_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(blank_set, s[i]))
			return 0;
	return 1;
}

int text_is_blank_str(const char *s)
{
	return s[strspn(s, blank_set)] == '\0';
}

size_t text_chars(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int text_is_utf8(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t l;

		if (!((unsigned char)s[i] & 0x80)) {
			i++;
			continue;
		}
		l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
				     (utf8proc_ssize_t)(n - i), &cp);
		if (l <= 0)
			return 0;
		i += (size_t)l;
	}
	return 1;
}

int text_append_cp(struct buf *out, unsigned long cp)
{
	utf8proc_uint8_t tmp[4];
	utf8proc_ssize_t l;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	l = utf8proc_encode_char((utf8proc_int32_t)cp, tmp);
	return buf_add(out, tmp, (size_t)l);
}

int text_append_utf8(struct buf *out, const char *s, size_t n, unsigned *fixes)
{
	size_t i = 0, run = 0;

	if (buf_grow(out, n) < 0)
		return lsr_error_last_code();
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		utf8proc_int32_t cp;
		utf8proc_ssize_t l;

		if (!(c & 0x80)) {
			i++;
			continue;
		}
		l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
				     (utf8proc_ssize_t)(n - i), &cp);
		if (l > 0) {
			i += (size_t)l;
			continue;
		}
		/* copy the valid run before this byte, then convert it */
		if (buf_add(out, s + run, i - run) < 0)
			return LSR_ENOMEM;
		cp = c;
		if (c < 0xA0 && cp1252_high[c - 0x80])
			cp = cp1252_high[c - 0x80];
		if (text_append_cp(out, (unsigned long)cp) < 0)
			return LSR_ENOMEM;
		if (fixes)
			*fixes |= TEXT_FIX_CP1252;
		i++;
		run = i;
	}
	return buf_add(out, s + run, n - run);
}

/*
 * Is s[0..n) (valid UTF-8) NFC for certain without asking utf8proc?  True
 * when every code point is below U+0300 (no combining marks and no
 * precomposed letter that NFC changes) or in U+2002..U+207F (dashes,
 * quotes, bullets: General Punctuation without its two singletons).
 */
static int surely_nfc(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0xCC)
			continue; /* ASCII, a continuation byte, or a lead below U+0300 */
		if (s[i] == 0xE2 && i + 2 < n &&
		    ((s[i + 1] == 0x80 && s[i + 2] >= 0x82) || s[i + 1] == 0x81)) {
			i += 2;
			continue;
		}
		return 0;
	}
	return 1;
}

int text_nfc(struct buf *b, unsigned *fixes)
{
	utf8proc_uint8_t *res = NULL;
	utf8proc_ssize_t l;

	if (surely_nfc((const unsigned char *)b->s, b->len))
		return 0;
	l = utf8proc_map((const utf8proc_uint8_t *)b->s, (utf8proc_ssize_t)b->len,
			 &res, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (l < 0)
		return lsr_error_set(LSR_ERROR, "invalid UTF-8: %s",
				     utf8proc_errmsg(l));
	if ((size_t)l != b->len || memcmp(res, b->s, (size_t)l)) {
		buf_reset(b);
		if (buf_add(b, res, (size_t)l) < 0) {
			free(res);
			return LSR_ENOMEM;
		}
		if (fixes)
			*fixes |= TEXT_FIX_NFC;
	}
	free(res);
	return 0;
}

/* Length of a white-space character at s (0 if none): ASCII space and
 * controls, U+00A0 NO-BREAK SPACE, U+2000..U+200B, U+202F, U+205F, U+3000. */
static size_t space_len(const unsigned char *s, size_t n)
{
	if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ||
	    s[0] == '\f' || s[0] == '\v')
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8B) || s[2] == 0xAF))
		return 3;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3;
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

/* A byte that clean() keeps as it is: not white space, not a control,
 * not the lead byte of a Unicode space (U+00A0, U+2000..., U+3000). */
static int plain_byte(unsigned char c)
{
	return c > 0x20 && c != 0x7F && c != 0xC2 && c != 0xE2 && c != 0xE3;
}

static int clean(struct buf *b, int keep_lines)
{
	unsigned char *s = (unsigned char *)b->s;
	size_t i = 0, o = 0, n = b->len;
	int pending = 0; /* 0 none, 1 space, 2 newline */

	while (i < n) {
		size_t j = i, sl;

		/* a run of plain bytes moves as one (most often not at all) */
		while (j < n && plain_byte(s[j]))
			j++;
		if (j == i && !space_len(s + i, n - i) && s[i] >= 0x20 && s[i] != 0x7F)
			j = i + 1; /* a lead byte of something else than a space */
		if (j > i) {
			if (pending && o > 0)
				s[o++] = pending == 2 ? '\n' : ' ';
			pending = 0;
			if (o != i)
				memmove(s + o, s + i, j - i);
			o += j - i;
			i = j;
			continue;
		}
		sl = space_len(s + i, n - i);
		if (sl) {
			if (keep_lines && s[i] == '\n')
				pending = 2;
			else if (!pending)
				pending = 1;
			i += sl;
			continue;
		}
		i++; /* another control character */
	}
	if (b->cap) {
		b->len = o;
		b->s[o] = '\0';
	}
	return text_nfc(b, NULL);
}

int text_clean(struct buf *b)
{
	return clean(b, 0);
}

int text_clean_lines(struct buf *b)
{
	return clean(b, 1);
}

char *text_clean_dup(const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	if (buf_add(&b, s, n) < 0 || text_clean(&b) < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}
