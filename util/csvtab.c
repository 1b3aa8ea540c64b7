/*
 * csvtab.c - CSV tables (see csvtab.h).
 */
#include "csvtab.h"
#include "buf.h"
#include "array.h"
#include "err.h"
#include "text.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	struct csvtab *t;
	struct strv row; /* the row being read */
	int rc;          /* first failure in a callback */
};

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	struct buf b = BUF_INIT;
	unsigned fixes = 0;

	if (r->rc)
		return;
	if (text_append_utf8(&b, s, len, &fixes) < 0 || text_nfc(&b, &fixes) < 0) {
		r->rc = LSR_ENOMEM;
		buf_release(&b);
		return;
	}
	buf_trim(&b);
	if (b.s)
		csvtab_unguard(b.s);
	if (strv_push_owned(&r->row, buf_detach(&b)) < 0)
		r->rc = LSR_ENOMEM;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	struct csvtab *t = r->t;

	(void)c;
	if (r->rc)
		return;
	if ((r->rc = ARRAY_GROW(t->rows, t->nrows, t->alloc, 64)) < 0)
		return;
	t->rows[t->nrows++] = r->row;
	r->row = (struct strv)STRV_INIT;
}

int csvtab_read(struct csvtab *t, const char *path)
{
	struct csv_parser p;
	struct reader r = { t, STRV_INIT, 0 };
	char chunk[65536];
	size_t got;
	int first = 1, rc = 0;
	FILE *f = fopen(path, "rb");

	if (!f)
		return lsr_error_set(LSR_ENOTFOUND, "cannot open '%s': %s", path, strerror(errno));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fclose(f);
		return lsr_error_oom();
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		const char *s = chunk;

		if (first && got >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
			s += 3, got -= 3;
		first = 0;
		if (csv_parse(&p, s, got, on_field, on_row, &r) != got) {
			rc = lsr_error_set(LSR_EPARSE, "%s:%zu: malformed CSV: %s", path,
					   t->nrows + 1, csv_strerror(csv_error(&p)));
			goto out;
		}
		if (r.rc) {
			rc = r.rc;
			goto out;
		}
	}
	if (ferror(f)) {
		rc = lsr_error_set(LSR_ERROR, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (csv_fini(&p, on_field, on_row, &r) != 0) {
		rc = lsr_error_set(LSR_EPARSE, "%s:%zu: malformed CSV: %s", path, t->nrows + 1,
				   csv_strerror(csv_error(&p)));
		goto out;
	}
	rc = r.rc;
out:
	csv_free(&p);
	strv_release(&r.row);
	fclose(f);
	if (rc < 0)
		csvtab_release(t);
	return rc;
}

void csvtab_release(struct csvtab *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		strv_release(&t->rows[i]);
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->alloc = 0;
}

static int formula_char(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* [+-]digits[.digits][e[+-]digits], or with the digits after the point */
static int plain_number(const char *s)
{
	int digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; isdigit((unsigned char)*s); s++)
		digits++;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits++;
	if (!digits)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

int csvtab_needs_guard(const char *s)
{
	const char *p = s;

	if (!s)
		return 0;
	while (*p == '\'')
		p++;
	return formula_char(*p) && (p != s || !plain_number(s));
}

void csvtab_unguard(char *s)
{
	const char *p = s;

	if (*s != '\'')
		return;
	while (*p == '\'')
		p++;
	if (formula_char(*p))
		memmove(s, s + 1, strlen(s));
}

static void put(FILE *f, const char *s, char sep, int guard)
{
	size_t n = s ? strlen(s) : 0;

	if (n && (strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[n - 1] == ' ')) {
		fputc('"', f);
		if (guard)
			fputc('\'', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else if (n) {
		if (guard)
			fputc('\'', f);
		fputs(s, f);
	}
	fputc(sep, f);
}

void csvtab_put(FILE *f, const char *s, char sep)
{
	put(f, s, sep, csvtab_needs_guard(s));
}

void csvtab_put_raw(FILE *f, const char *s, char sep)
{
	put(f, s, sep, 0);
}
