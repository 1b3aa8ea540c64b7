/*
 * tagged.c - helpers the parsers of tagged formats share: dates, pages,
 * DOIs, authors.
 */
#include "fetch_int.h"
#include "../util/err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int tagged_append(struct buf *b, const char *s)
{
	while (*s == ' ')
		s++;
	if (!*s)
		return 0;
	if (b->len && buf_addc(b, ' ') < 0)
		return LSR_ENOMEM;
	return buf_adds(b, s);
}

int tagged_add_author(struct lsr_record *r, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	return strv_push(&r->authors, s);
}

static int month_number(const char *s, size_t n)
{
	static const char *const names[] = { "jan", "feb", "mar", "apr", "may", "jun",
					     "jul", "aug", "sep", "oct", "nov", "dec" };

	if (n < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (!strncasecmp(s, names[i], 3))
			return i + 1;
	return 0;
}

int tagged_set_date(struct lsr_record *r, const char *s)
{
	int year = 0, month = 0, day = 0;
	const char *p = s;

	/* the first 4-digit number that looks like a year */
	while (*p) {
		if (isdigit((unsigned char)*p)) {
			const char *q = p;
			long v;

			while (isdigit((unsigned char)*q))
				q++;
			v = strtol(p, NULL, 10);
			if (q - p == 4 && v >= 1000 && v <= 2999) {
				year = (int)v;
				p = q;
				break;
			}
			p = q;
			continue;
		}
		p++;
	}
	if (!year)
		return 0;
	/* then a month (number or name) and a day */
	while (*p && !month) {
		if (isalpha((unsigned char)*p)) {
			const char *q = p;

			while (isalpha((unsigned char)*q))
				q++;
			month = month_number(p, (size_t)(q - p));
			p = q;
			if (!month)
				break; /* a season or free text */
		} else if (isdigit((unsigned char)*p)) {
			long v = strtol(p, (char **)&p, 10);

			if (v >= 1 && v <= 12)
				month = (int)v;
			else
				break;
		} else {
			p++;
		}
	}
	while (month && *p && !day) {
		if (isdigit((unsigned char)*p)) {
			long v = strtol(p, (char **)&p, 10);

			if (v >= 1 && v <= 31)
				day = (int)v;
			break;
		} else if (*p == ' ' || *p == '/' || *p == '-' || *p == '.') {
			p++;
		} else {
			break;
		}
	}
	r->year = year;
	buf_reset(&r->pub_date);
	if (day)
		return buf_printf(&r->pub_date, "%04d-%02d-%02d", year, month, day);
	if (month)
		return buf_printf(&r->pub_date, "%04d-%02d", year, month);
	return buf_printf(&r->pub_date, "%04d", year);
}

int tagged_set_pages(struct lsr_record *r, const char *start, const char *end)
{
	buf_reset(&r->pages);
	while (start && *start == ' ')
		start++;
	while (end && *end == ' ')
		end++;
	if (start && *start && buf_adds(&r->pages, start) < 0)
		return LSR_ENOMEM;
	if (end && *end && (!start || strcmp(start, end))) {
		if (r->pages.len && buf_addc(&r->pages, '-') < 0)
			return LSR_ENOMEM;
		if (buf_adds(&r->pages, end) < 0)
			return LSR_ENOMEM;
	}
	return 0;
}

int tagged_set_doi(struct lsr_record *r, const char *s)
{
	const char *p = strstr(s, "10.");

	if (r->doi.len || !p)
		return 0;
	if (buf_adds(&r->doi, p) < 0)
		return LSR_ENOMEM;
	record_doi_clean(&r->doi);
	return 0;
}

int tagged_add_other_id(struct lsr_record *r, const char *kind, const char *value)
{
	struct buf b = BUF_INIT;

	while (*value == ' ')
		value++;
	if (!*value)
		return 0;
	if (buf_printf(&b, "%s:%s", kind, value) < 0)
		return LSR_ENOMEM;
	return strv_push_owned(&r->other_ids, buf_detach(&b));
}
