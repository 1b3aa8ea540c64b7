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

/* A month name as a whole word ("Sep", "Sept.", "September", any case) at
 * s[0..n); 0 when it is not one (a season, "Marine", ...). */
static int month_word(const char *s, size_t n)
{
	static const char *const full[] = { "january", "february", "march", "april", "may",
					    "june", "july", "august", "september", "october",
					    "november", "december" };
	int m;

	if (n && s[n - 1] == '.')
		n--;
	if (n < 3)
		return 0;
	m = month_number(s, n);
	if (!m)
		return 0;
	if (n == 3 || (m == 9 && n == 4 && !strncasecmp(s, "sept", 4)))
		return m;
	return n == strlen(full[m - 1]) && !strncasecmp(s, full[m - 1], n) ? m : 0;
}

/*
 * Month and day written before the year: "DEC 16 2020" (Web of Science),
 * "September  1, 2021" (EndNote), "1 Sep 2021".  s[0..n) is the text before
 * the year.
 */
static void month_day_before(const char *s, size_t n, int *month, int *day)
{
	int m = 0, d = 0;

	for (size_t i = 0; i < n;) {
		size_t j = i;

		if (isalpha((unsigned char)s[i])) {
			while (j < n && (isalpha((unsigned char)s[j]) || s[j] == '.'))
				j++;
			if (!m)
				m = month_word(s + i, j - i);
		} else if (isdigit((unsigned char)s[i])) {
			while (j < n && isdigit((unsigned char)s[j]))
				j++;
			if (j - i <= 2 && !d)
				d = atoi(s + i);
		} else {
			j++;
		}
		i = j;
	}
	if (m) {
		*month = m;
		*day = d >= 1 && d <= 31 ? d : 0;
	}
}

int tagged_set_date(struct lsr_record *r, const char *s)
{
	int year = 0, month = 0, day = 0;
	const char *p = s, *year_at = NULL;

	while (*p == ' ')
		p++;
	/* YYYYMMDD, as MEDLINE's DEP and many databases write it */
	if (strspn(p, "0123456789") == 8) {
		long v = strtol(p, NULL, 10);
		int y = (int)(v / 10000), m = (int)(v / 100 % 100), d = (int)(v % 100);

		if (y >= 1000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
			r->year = y;
			buf_reset(&r->pub_date);
			return buf_printf(&r->pub_date, "%04d-%02d-%02d", y, m, d);
		}
	}
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
				year_at = p;
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
	if (!month)
		month_day_before(s, (size_t)(year_at - s), &month, &day);
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

int tagged_set_page_range(struct lsr_record *r, const char *s)
{
	struct buf start = BUF_INIT, end = BUF_INIT, hyphens = BUF_INIT;
	const char *dash, *en = strstr(s, "\xE2\x80\x93"), *em = strstr(s, "\xE2\x80\x94");
	int rc = 0;

	/* "77 – 85" (Scopus's BibTeX, an en dash): as "77 - 85" */
	if (en || em) {
		for (const char *p = s; *p; p++) {
			if (!strncmp(p, "\xE2\x80\x93", 3) || !strncmp(p, "\xE2\x80\x94", 3)) {
				rc = buf_addc(&hyphens, '-');
				p += 2;
			} else {
				rc = buf_addc(&hyphens, *p);
			}
			if (rc < 0)
				return LSR_ENOMEM;
		}
		rc = tagged_set_page_range(r, hyphens.s);
		buf_release(&hyphens);
		return rc;
	}
	while (*s == ' ')
		s++;
	dash = strchr(s, '-');
	/* "134 -- 137", "S12-S15"; what has more than one dash (a PII) stays
	 * as written */
	if (!dash || dash == s || !dash[strspn(dash, "- ")] ||
	    strchr(dash + strspn(dash, "- "), '-')) {
		buf_reset(&r->pages);
		return buf_adds(&r->pages, s);
	}
	if (buf_add(&start, s, (size_t)(dash - s)) < 0 ||
	    buf_adds(&end, dash + strspn(dash, "- ")) < 0)
		rc = LSR_ENOMEM;
	buf_trim(&start);
	buf_trim(&end);
	if (!rc)
		rc = tagged_set_pages(r, start.s, end.s);
	buf_release(&start);
	buf_release(&end);
	return rc;
}

int tagged_set_doi(struct lsr_record *r, const char *s)
{
	const char *p = strstr(s, "10.");

	if (r->doi.len || !p)
		return 0;
	/* in a URL's query string ("...?id=doi:10.1/x&atitle=...") the DOI
	 * ends at the next parameter */
	if (memchr(s, '?', (size_t)(p - s)) ? buf_add(&r->doi, p, strcspn(p, "&#")) < 0
					     : buf_adds(&r->doi, p) < 0)
		return LSR_ENOMEM;
	record_doi_clean(&r->doi);
	/* a DOI taken from a URL is percent-encoded: 10.1016/S0893-133X%2898%2900108-0 */
	if (strchr(r->doi.s, '%')) {
		char *d = r->doi.s;
		size_t o = 0;

		for (size_t i = 0; i < r->doi.len; i++) {
			if (d[i] == '%' && isxdigit((unsigned char)d[i + 1]) &&
			    isxdigit((unsigned char)d[i + 2])) {
				char hex[3] = { d[i + 1], d[i + 2], '\0' };

				d[o++] = (char)strtol(hex, NULL, 16);
				i += 2;
			} else {
				d[o++] = d[i];
			}
		}
		buf_setlen(&r->doi, o);
	}
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

/* Is s[0..n) one "Surname Initials" name ("Li W", "Adler D.G.", "Lau Y.")?
 * 2 when its initials have no dots ("Li W"), 1 when they do. */
static int surname_initials(const char *s, size_t n)
{
	size_t last, letters = 0, dots = 0;

	while (n && s[n - 1] == ' ')
		n--;
	if (n && s[n - 1] == '.')
		dots++;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '.'))
		n--;
	while (n && *s == ' ') {
		s++;
		n--;
	}
	last = n;
	while (last && s[last - 1] != ' ')
		last--;
	if (last == 0 || last == n)
		return 0; /* a single word */
	for (size_t i = last; i < n; i++) {
		if (isupper((unsigned char)s[i]))
			letters++;
		else if (s[i] == '.')
			dots++;
		else if (s[i] != '-')
			return 0;
	}
	if (letters < 1 || letters > 4)
		return 0;
	return dots ? 1 : 2;
}

/*
 * Does s look like "Surname AB, Other CD[, et al]"?  In a tag that holds
 * one author (strict), two parts with dotted initials may be one name
 * written "Surname A., Given B." and are not taken as a list.
 */
static int initials_list(const char *s, int strict)
{
	int parts = 0, dotted = 0;

	while (*s) {
		size_t n = strcspn(s, ",");

		while (n && *s == ' ') {
			s++;
			n--;
		}
		if (!(n >= 5 && !strncasecmp(s, "et al", 5))) {
			int k = surname_initials(s, n);

			if (!k)
				return 0;
			dotted |= k == 1;
			parts++;
		}
		s += n;
		if (*s)
			s++;
	}
	return parts >= 2 && !(strict && dotted && parts == 2);
}

/* Is s[0..n) initials, "Y.", "J.-P.", "A.B.", "JM"? */
static int initials(const char *s, size_t n)
{
	size_t letters = 0;

	while (n && s[n - 1] == ' ')
		n--;
	while (n && *s == ' ') {
		s++;
		n--;
	}
	for (size_t i = 0; i < n; i++) {
		if (isupper((unsigned char)s[i]))
			letters++;
		else if (s[i] != '.' && s[i] != '-' && s[i] != ' ')
			return 0;
	}
	return letters >= 1 && letters <= 4;
}

/* Words that mark a collective name, kept as written. */
static int collective(const char *s)
{
	static const char *const words[] = { "group", "consortium", "network", "collaborat",
		"team", "committee", "society", "association", "investigators", "organi",
		"study", "council", "working", "trial", "institute", "foundation", NULL };

	for (int i = 0; words[i]; i++)
		if (strcasestr(s, words[i]))
			return 1;
	return 0;
}

/* One given-first name, "Thi Hoa Nguyen", "W. Li", "Ludwig van Beethoven",
 * as "Nguyen, Thi Hoa", "Li, W.", "van Beethoven, Ludwig". */
static int add_given_first(struct lsr_record *r, const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t last, sur;
	int rc;

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return 0;
	if (buf_add(&b, s, n) < 0)
		return LSR_ENOMEM;
	last = n;
	while (last && s[last - 1] != ' ')
		last--;
	if (memchr(s, ',', n) || !last || collective(b.s)) {
		rc = tagged_add_author(r, b.s);
		buf_release(&b);
		return rc;
	}
	/* lower-case particles before the surname go with it */
	sur = last;
	while (sur > 1) {
		size_t w = sur - 1;

		while (w && s[w - 1] != ' ')
			w--;
		if (!islower((unsigned char)s[w]) || w == 0)
			break;
		sur = w;
	}
	buf_reset(&b);
	if (buf_add(&b, s + sur, n - sur) < 0 || buf_adds(&b, ", ") < 0 ||
	    buf_add(&b, s, sur - 1) < 0) {
		buf_release(&b);
		return LSR_ENOMEM;
	}
	rc = tagged_add_author(r, b.s);
	buf_release(&b);
	return rc;
}

/* "Pan, Y., Yu, C." -> "Pan, Y.", "Yu, C."; a part not followed by
 * initials is a name of its own (a collective name). */
static int add_pairs(struct lsr_record *r, const char *s)
{
	struct strv parts = STRV_INIT;
	int rc = strv_split(&parts, s, ",");

	for (size_t i = 0; !rc && i < parts.n; i++) {
		const char *a = parts.v[i];

		while (*a == ' ')
			a++;
		if (i + 1 < parts.n && initials(parts.v[i + 1], strlen(parts.v[i + 1])) &&
		    !initials(a, strlen(a))) {
			struct buf b = BUF_INIT;
			const char *g = parts.v[i + 1];

			while (*g == ' ')
				g++;
			rc = buf_printf(&b, "%s, %s", a, g) < 0 ? LSR_ENOMEM : tagged_add_author(r, b.s);
			buf_release(&b);
			i++;
		} else {
			rc = tagged_add_author(r, a);
		}
	}
	strv_release(&parts);
	return rc;
}

/* A name without the author id Scopus appends: "Pan, Yan (57190000000)". */
static int add_without_id(struct lsr_record *r, const char *a)
{
	const char *open = strrchr(a, '(');
	size_t n;
	char *name;
	int rc;

	if (!open || open == a || strspn(open + 1, "0123456789") < 5 ||
	    open[1 + strspn(open + 1, "0123456789")] != ')')
		return tagged_add_author(r, a);
	n = (size_t)(open - a);
	while (n && a[n - 1] == ' ')
		n--;
	name = xstrndup(a, n);
	if (!name)
		return LSR_ENOMEM;
	rc = tagged_add_author(r, name);
	free(name);
	return rc;
}

/* "Wei LiZhiguo Dou": a new name begins where a capital follows a
 * lower-case letter, except inside Mc, Mac, De, Di, La, Le, Du, O'. */
static int add_run_together(struct lsr_record *r, const char *s)
{
	static const char *const prefixes[] = { "Mc", "Mac", "De", "Di", "Da", "La", "Le", "Du",
						"Van", "Von", NULL };
	size_t start = 0, n = strlen(s);
	int rc = 0;

	for (size_t i = 1; !rc && i <= n; i++) {
		int split = i == n;

		if (!split && isupper((unsigned char)s[i]) && islower((unsigned char)s[i - 1])) {
			size_t w = i;

			while (w > start && s[w - 1] != ' ')
				w--;
			split = 1;
			for (int k = 0; prefixes[k]; k++)
				if (strlen(prefixes[k]) == i - w && !strncmp(s + w, prefixes[k], i - w))
					split = 0;
		}
		if (split) {
			rc = add_given_first(r, s + start, i - start);
			start = i;
		}
	}
	return rc;
}

int tagged_add_authors(struct lsr_record *r, const char *s, enum tagged_authors how)
{
	struct strv parts = STRV_INIT;
	int rc = 0;

	if (how == TAGGED_AUTHOR_RUN_TOGETHER && !strchr(s, ';'))
		return add_run_together(r, s);
	if (how == TAGGED_AUTHOR_PAIRS && !strchr(s, ';'))
		return add_pairs(r, s);
	if (how == TAGGED_AUTHOR_GIVEN_FIRST || how == TAGGED_AUTHOR_RUN_TOGETHER) {
		rc = strv_split(&parts, s, strchr(s, '|') ? "|" : ";");
		for (size_t i = 0; !rc && i < parts.n; i++)
			rc = add_given_first(r, parts.v[i], strlen(parts.v[i]));
		strv_release(&parts);
		return rc;
	}
	if (how == TAGGED_AUTHOR_PAIRS) {
		rc = strv_split(&parts, s, ";");
		for (size_t i = 0; !rc && i < parts.n; i++)
			rc = add_without_id(r, parts.v[i]);
		strv_release(&parts);
		return rc;
	}
	if (strchr(s, ';')) {
		rc = strv_split(&parts, s, ";");
	} else if (how == TAGGED_AUTHOR_LIST && strstr(s, " and ")) {
		const char *p = s, *a;

		while (!rc && (a = strstr(p, " and ")) != NULL) {
			rc = strv_pushn(&parts, p, (size_t)(a - p));
			p = a + 5;
		}
		if (!rc)
			rc = strv_push(&parts, p);
	} else if (initials_list(s, how == TAGGED_AUTHOR_TAG)) {
		rc = strv_split(&parts, s, ",");
	} else {
		return tagged_add_author(r, s);
	}
	for (size_t i = 0; !rc && i < parts.n; i++) {
		const char *a = parts.v[i];

		while (*a == ' ')
			a++;
		if (!strncasecmp(a, "et al", 5) && strlen(a) <= 6)
			continue;
		rc = tagged_add_author(r, a);
	}
	strv_release(&parts);
	return rc;
}

int tagged_set_issn(struct lsr_record *r, const char *s)
{
	size_t n;

	if (r->issn.len)
		return 0;
	for (const char *p = s; *p; p++) {
		if ((p > s && isalnum((unsigned char)p[-1])) || strspn(p, "0123456789") != 4 ||
		    p[4] != '-' || strspn(p + 5, "0123456789") < 3)
			continue;
		if (isdigit((unsigned char)p[8]) || p[8] == 'X' || p[8] == 'x')
			if (!isalnum((unsigned char)p[9]))
				return buf_add(&r->issn, p, 9);
	}
	/* Scopus and Lens write "20964129", "1466822X" */
	while (*s == ' ')
		s++;
	n = strcspn(s, " ,;(");
	if (n == 8 && strspn(s, "0123456789") >= 7 && strspn(s, "0123456789Xx") == 8)
		return buf_printf(&r->issn, "%.4s-%.4s", s, s + 4);
	return 0;
}

int tagged_add_isbns(struct lsr_record *r, const char *s)
{
	const char *p = s;

	while (*p) {
		char digits[14];
		size_t nd = 0, n = strcspn(p, " ,;()[]");

		/* "978-3-16-148410-0", "0-306-40615-2", "ISBN 9780306406157" */
		for (size_t i = 0; i < n && nd < sizeof(digits) - 1; i++) {
			if (isdigit((unsigned char)p[i]) ||
			    ((p[i] == 'X' || p[i] == 'x') && i == n - 1))
				digits[nd++] = (char)toupper((unsigned char)p[i]);
			else if (p[i] != '-')
				break;
		}
		digits[nd] = '\0';
		if (n && strspn(p, "0123456789-Xx") == n &&
		    ((nd == 13 && (!strncmp(digits, "978", 3) || !strncmp(digits, "979", 3)) &&
		      !strchr(digits, 'X')) || nd == 10)) {
			int rc;
			struct buf b = BUF_INIT;

			if (buf_printf(&b, "isbn:%s", digits) < 0)
				return LSR_ENOMEM;
			rc = strv_push_unique(&r->other_ids, b.s);
			buf_release(&b);
			if (rc < 0)
				return rc;
		}
		p += n;
		p += strspn(p, " ,;()[]");
	}
	return 0;
}

/* Is tag one of the space-separated tags in list? */
static int tag_in(const char *list, const char *tag)
{
	size_t n = strlen(tag);

	for (const char *p = list; p && *p;) {
		size_t k = strcspn(p, " ");

		if (k == n && !strncmp(p, tag, n))
			return 1;
		p += k;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* Does tag open a record of syn? */
static int opens(const struct tagged_syntax *syn, const char *tag)
{
	return !syn->open || !strcmp(tag, syn->open);
}

/*
 * With --skip-malformed a malformed record is reported through
 * fetch_skip() and dropped: "junk" then discards the rest of it, up to
 * its close tag, the blank line that ends it (formats without a close
 * tag) or the open tag of the next record, and reading goes on.
 */
int tagged_read(struct fetch_input *in, const struct tagged_syntax *syn,
		const struct tagged_parser *p, record_sink_fn sink, void *payload)
{
	struct buf raw = BUF_INIT, value = BUF_INIT;
	char tag[TAGGED_TAG_MAX] = "";
	uint64_t start = 0, nrec = 0;
	int in_rec = 0, restarted = 0, junk = 0, more, rc = 0;

	record_init(p->r);
	do {
		char ntag[TAGGED_TAG_MAX];
		const char *line = "", *v = NULL;
		int blank = 1, is_tag = 0, done = 0;

		more = input_getline(in);
		if (more < 0) {
			rc = more;
			goto out;
		}
		if (more) {
			line = in->line.s;
			blank = line[strspn(line, " \t")] == '\0';
			is_tag = !blank && syn->tag_line(line, in->line.len, ntag, &v);
		}
		if (junk && more) {
			/* the skipped record ends at its close tag, at a blank line
			 * (formats without one), or where the next record opens
			 * (then read it) */
			if ((is_tag && syn->close && !strcmp(ntag, syn->close)) ||
			    (blank && !syn->close) ||
			    (is_tag && syn->open && opens(syn, ntag)))
				junk = 0;
			if (junk || !is_tag || !syn->open || !opens(syn, ntag))
				continue;
		}
		if (in_rec && !syn->close)
			done = !more || blank ||
			       (is_tag && syn->restart && restarted && !strcmp(ntag, syn->restart));
		if (in_rec && is_tag && syn->close && !strcmp(ntag, syn->close)) {
			if ((rc = buf_add(&raw, in->raw.s, in->raw.len)) < 0)
				goto out;
			done = 1;
		}
		if (done) {
			/* the last field, then the record */
			if ((tag[0] && (rc = p->field(p->x, tag, value.s)) < 0) ||
			    (rc = p->finish(p->x)) < 0)
				goto out;
			in_rec = 0;
			nrec++;
			p->r->raw = raw.s;
			p->r->raw_len = raw.len;
			if ((rc = sink(p->r, payload)) < 0)
				goto out;
			if (syn->close && is_tag && !strcmp(ntag, syn->close))
				continue;
		}
		if (!more)
			break;
		if (blank) {
			if (in_rec && (rc = buf_add(&raw, in->raw.s, in->raw.len)) < 0)
				goto out;
			continue;
		}
		if (in_rec && is_tag && syn->close && syn->open && !strcmp(ntag, syn->open)) {
			rc = lsr_error_set(LSR_EPARSE,
					   "%s:%llu: expected %s to close the record that starts at line %llu before a new %s",
					   in->name, (unsigned long long)in->lineno, syn->close_hint,
					   (unsigned long long)start, syn->open_hint);
			if ((rc = fetch_skip(p->opts, start, rc)) < 0)
				goto out;
			in_rec = 0; /* the unclosed record is dropped; this one opens */
		}
		if (!in_rec) {
			if (is_tag && syn->frame && tag_in(syn->frame, ntag))
				continue;
			if (!is_tag || !opens(syn, ntag)) {
				if (syn->lax_between)
					continue;
				rc = lsr_error_set(LSR_EPARSE, "%s:%llu: expected %s to start %s %s record",
						   in->name, (unsigned long long)in->lineno, syn->open_hint,
						   strchr("AEIOU", syn->format[0]) ? "an" : "a", syn->format);
				if ((rc = fetch_skip(p->opts, in->lineno, rc)) < 0)
					goto out;
				junk = 1;
				continue;
			}
			in_rec = 1;
			restarted = 0;
			tag[0] = '\0';
			start = in->lineno;
			record_reset(p->r);
			p->begin(p->x);
			p->r->line = in->lineno;
			p->r->offset = in->line_offset;
			buf_reset(&raw);
		}
		if ((rc = buf_add(&raw, in->raw.s, in->raw.len)) < 0)
			goto out;
		if (is_tag) {
			if (tag[0] && (rc = p->field(p->x, tag, value.s)) < 0)
				goto out;
			memcpy(tag, ntag, strlen(ntag) + 1);
			restarted |= syn->restart && !strcmp(tag, syn->restart);
			buf_reset(&value);
			rc = buf_adds(&value, v);
		} else if (tag[0] && (!syn->indented || line[0] == ' ' || line[0] == '\t')) {
			line += strspn(line, " \t");
			rc = buf_addc(&value, '\n') < 0 ? LSR_ENOMEM : buf_adds(&value, line);
		} else {
			rc = lsr_error_set(LSR_EPARSE,
					   "%s:%llu: expected %s or a continuation line indented with spaces",
					   in->name, (unsigned long long)in->lineno, syn->tag_hint);
			if ((rc = fetch_skip(p->opts, start, rc)) == 0) {
				in_rec = 0;
				junk = 1;
			}
		}
		if (rc < 0)
			goto out;
		if (in_rec && ((rc = input_limit(in, FETCH_LIMIT_FIELD, in->lineno, value.len)) < 0 ||
			       (rc = input_limit(in, FETCH_LIMIT_RECORD, start, raw.len)) < 0))
			goto out;
	} while (more);
	if (in_rec) {
		rc = lsr_error_set(LSR_EPARSE,
				   "%s:%llu: unexpected end of file: the record that starts at line %llu has no %s",
				   in->name, (unsigned long long)in->lineno, (unsigned long long)start,
				   syn->close_hint);
		if ((rc = fetch_skip(p->opts, start, rc)) < 0)
			goto out;
	}
	if (nrec == 0 && !p->opts->allow_empty && !p->opts->skip) {
		rc = lsr_error_set(LSR_EPARSE, "%s:%llu: no %s record found (expected %s lines)",
				   in->name, (unsigned long long)(in->lineno ? in->lineno : 1),
				   syn->format, syn->open_hint);
		goto out;
	}
	rc = 0;
out:
	record_release(p->r);
	buf_release(&raw);
	buf_release(&value);
	return rc;
}

int tagged_value(struct buf *out, const char *text, int join)
{
	buf_reset(out);
	if (buf_adds(out, text) < 0)
		return LSR_ENOMEM;
	for (size_t i = 0; join && i < out->len; i++)
		if (out->s[i] == '\n')
			out->s[i] = ' ';
	buf_trim(out);
	return 0;
}
