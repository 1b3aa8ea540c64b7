/*
 * out.c - JSON and TSV output (see out.h).
 */
#include "out.h"
#include "lsr.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <stdarg.h>

int out_json_doc(json_t *j)
{
	int rc;

	if (!j)
		return lsr_error_oom();
	rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(j);
	fputc('\n', stdout);
	return rc ? lsr_error_set(LSR_ERROR, "writing output failed") : 0;
}

int out_json_line(json_t *j)
{
	int rc;

	if (!j)
		return lsr_error_oom();
	rc = json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(j);
	fputc('\n', stdout);
	return rc ? lsr_error_set(LSR_ERROR, "writing output failed") : 0;
}

void out_tsv(FILE *f, const char *s, char sep)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\\': fputs("\\\\", f); break;
		default: fputc(*s, f);
		}
	}
	fputc(sep, f);
}

json_t *out_jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *out_jparse(const char *text)
{
	json_t *j;

	if (!text)
		return json_null();
	j = json_loads(text, JSON_DECODE_ANY, NULL);
	return j ? j : json_null();
}

void out_clean(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;

	if (!s)
		return;
	for (; *r; r++) {
		if (r[0] == 0xC2 && r[1] >= 0x80 && r[1] <= 0x9F) {
			*w++ = '?'; /* a C1 control, two bytes in UTF-8 */
			r++;
		} else if ((*r < 0x20 && *r != '\t' && *r != '\n') || *r == 0x7F) {
			*w++ = '?';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

int out_vfprint(FILE *f, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	int rc = buf_vprintf(&b, fmt, ap);

	if (rc == 0 && b.s) {
		out_clean(b.s);
		fputs(b.s, f);
	}
	buf_release(&b);
	return rc;
}

int out_fprint(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = out_vfprint(f, fmt, ap);
	va_end(ap);
	return rc;
}

void out_done(const struct lsr_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->verbosity < 0)
		return;
	va_start(ap, fmt);
	out_vfprint(stdout, fmt, ap);
	va_end(ap);
	putchar('\n');
}
