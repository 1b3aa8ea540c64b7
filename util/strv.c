/*
 * strv.c - vectors of owned strings (see strv.h).
 */
#include "strv.h"
#include "buf.h"
#include "array.h"
#include "err.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int strv_push_owned(struct strv *sv, char *s)
{
	if (!s)
		return LSR_ENOMEM;
	if (ARRAY_GROW(sv->v, sv->n, sv->alloc, 8) < 0) {
		free(s);
		return LSR_ENOMEM;
	}
	sv->v[sv->n++] = s;
	return 0;
}

int strv_push(struct strv *sv, const char *s)
{
	return strv_push_owned(sv, xstrdup(s));
}

int strv_pushn(struct strv *sv, const char *s, size_t len)
{
	return strv_push_owned(sv, xstrndup(s, len));
}

int strv_contains(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return 1;
	return 0;
}

int strv_push_unique(struct strv *sv, const char *s)
{
	if (strv_contains(sv, s))
		return 0;
	return strv_push(sv, s);
}

void strv_clear(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	sv->n = 0;
}

void strv_release(struct strv *sv)
{
	strv_clear(sv);
	free(sv->v);
	sv->v = NULL;
	sv->alloc = 0;
}

int strv_split(struct strv *sv, const char *s, const char *seps)
{
	while (*s) {
		size_t n = strcspn(s, seps);
		const char *a = s, *e = s + n;

		while (a < e && (*a == ' ' || *a == '\t'))
			a++;
		while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > a && strv_pushn(sv, a, (size_t)(e - a)) < 0)
			return LSR_ENOMEM;
		s += n;
		if (*s)
			s++;
	}
	return 0;
}

int strv_vpushf(struct strv *sv, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	int rc = buf_vprintf(&b, fmt, ap);

	if (rc == 0)
		rc = strv_push(sv, b.s);
	buf_release(&b);
	return rc;
}

int strv_pushf(struct strv *sv, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = strv_vpushf(sv, fmt, ap);
	va_end(ap);
	return rc;
}
