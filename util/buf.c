/*
 * buf.c - growable, capped byte strings (see buf.h).
 */
#include "buf.h"
#include "err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->s = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->s);
	b->s = buf_empty;
	b->len = 0;
	b->cap = 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->s[0] = '\0';
}

int buf_grow(struct buf *b, size_t extra)
{
	size_t max = b->max ? b->max : BUF_DEFAULT_MAX;
	size_t need, ncap;
	char *p;

	/* len + extra + 1 and the growth below must not wrap around */
	if (max > SIZE_MAX / 2)
		max = SIZE_MAX / 2;
	if (extra > max || b->len > max - extra)
		return lsr_error_set(LSR_ERROR, "text longer than %zu bytes", max);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap / 2 * 3 + 16;
	/* never room past the cap: buf_addc and buf_vprintf append without
	 * calling buf_grow while the room lasts */
	if (ncap > max + 1)
		ncap = max + 1;
	p = b->cap ? realloc(b->s, ncap) : malloc(ncap);
	if (!p)
		return lsr_error_oom();
	if (!b->cap)
		p[0] = '\0';
	b->s = p;
	b->cap = ncap;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
	int rc = buf_grow(b, len);

	if (rc < 0)
		return rc; /* LSR_ENOMEM, or LSR_ERROR past the cap */
	if (len)
		memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addc(struct buf *b, char c)
{
	if (b->len + 1 < b->cap) {
		b->s[b->len++] = c;
		b->s[b->len] = '\0';
		return 0;
	}
	return buf_add(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(b->len + 1 < b->cap ? b->s + b->len : NULL,
		      b->len + 1 < b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return lsr_error_set(LSR_ERROR, "bad format string");
	if (b->len + (size_t)n + 1 <= b->cap) {
		b->len += (size_t)n;
		return 0;
	}
	if (buf_grow(b, (size_t)n) < 0)
		return lsr_error_last_code();
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

void buf_setlen(struct buf *b, size_t len)
{
	if (len > b->len)
		BUG("buf_setlen beyond length");
	b->len = len;
	if (b->cap)
		b->s[len] = '\0';
}

void buf_trim(struct buf *b)
{
	size_t i = 0, n = b->len;

	while (n > 0 && (b->s[n - 1] == ' ' || b->s[n - 1] == '\t' ||
			 b->s[n - 1] == '\n' || b->s[n - 1] == '\r'))
		n--;
	while (i < n && (b->s[i] == ' ' || b->s[i] == '\t' || b->s[i] == '\n' ||
			 b->s[i] == '\r'))
		i++;
	if (i)
		memmove(b->s, b->s + i, n - i);
	if (b->cap) {
		b->len = n - i;
		b->s[b->len] = '\0';
	}
}

char *buf_detach(struct buf *b)
{
	char *s;

	if (!b->cap) {
		s = malloc(1);
		if (!s) {
			lsr_error_oom();
			return NULL;
		}
		s[0] = '\0';
		return s;
	}
	s = b->s;
	b->s = buf_empty;
	b->len = 0;
	b->cap = 0;
	return s;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p) {
		lsr_error_oom();
		return NULL;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
