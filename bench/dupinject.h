/*
 * dupinject.h - turn a generated record into the duplicate another
 * database would have exported: the realistic differences deduplication
 * must see through (re-cased titles, punctuation, a typo, a missing or
 * URL-written DOI, an abbreviated journal, another page format, another
 * author form, online-first year, missing fields).
 *
 * Header-only (static functions) so that any bench program - the
 * deduplication speed benchmark now, the import benchmark's record
 * generator (bench/gen_records.c) when it lands - can include it and call
 * dupinject_record() on a struct lsr_record before writing or storing it.
 *
 *     struct dupinject_rng rng = { 42 };
 *     dupinject_record(&rng, &copy_of_rec, abbrev_of_journal);
 */
#ifndef LSR_BENCH_DUPINJECT_H
#define LSR_BENCH_DUPINJECT_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/record.h"

struct dupinject_rng {
	uint64_t state;
};

/* splitmix64 */
static inline uint64_t dupinject_next(struct dupinject_rng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static inline int dupinject_pct(struct dupinject_rng *r, int percent)
{
	return (int)(dupinject_next(r) % 100) < percent;
}

/* What a duplicate of the record received (for a benchmark's summary). */
enum dupinject_what {
	DUPINJECT_RECASE = 1 << 0,
	DUPINJECT_PUNCT = 1 << 1,
	DUPINJECT_TYPO = 1 << 2,
	DUPINJECT_NO_DOI = 1 << 3,
	DUPINJECT_DOI_URL = 1 << 4,
	DUPINJECT_ABBREV = 1 << 5,
	DUPINJECT_PAGES = 1 << 6,
	DUPINJECT_AUTHORS = 1 << 7,
	DUPINJECT_YEAR = 1 << 8,
	DUPINJECT_MISSING = 1 << 9,
};

/* "Smith, John" -> "Smith J" */
static inline void dupinject_author_short(char *dst, size_t n, const char *a)
{
	const char *comma = strchr(a, ',');
	size_t o;

	if (!comma) {
		snprintf(dst, n, "%s", a);
		return;
	}
	o = (size_t)snprintf(dst, n, "%.*s ", (int)(comma - a), a);
	for (const char *p = comma + 1; *p && o + 1 < n; p++)
		if (isupper((unsigned char)*p) && (p[-1] == ' ' || p[-1] == ',' || p[-1] == '-'))
			dst[o++] = *p;
	dst[o] = '\0';
}

/*
 * Mutate r (a copy of the original) into a duplicate as another database
 * would export it.  abbrev is the journal's abbreviation (NULL if none).
 * Returns the enum dupinject_what flags applied.
 */
static inline unsigned dupinject_record(struct dupinject_rng *rng, struct lsr_record *r,
					const char *abbrev)
{
	unsigned what = 0;

	if (r->title.len && dupinject_pct(rng, 30)) {
		int mode = (int)(dupinject_next(rng) % 2);

		for (size_t i = 0; i < r->title.len; i++)
			r->title.s[i] = (char)(mode ? toupper((unsigned char)r->title.s[i])
						    : tolower((unsigned char)r->title.s[i]));
		what |= DUPINJECT_RECASE;
	}
	if (r->title.len && dupinject_pct(rng, 30)) {
		buf_addc(&r->title, '.');
		for (size_t i = 0; i < r->title.len; i++)
			if (r->title.s[i] == ':') {
				r->title.s[i] = '-';
				break;
			}
		what |= DUPINJECT_PUNCT;
	}
	if (r->title.len > 20 && dupinject_pct(rng, 8)) {
		size_t p = 5 + dupinject_next(rng) % (r->title.len - 10);

		if (isalpha((unsigned char)r->title.s[p]))
			r->title.s[p] = r->title.s[p] == 'e' ? 'a' : 'e';
		what |= DUPINJECT_TYPO;
	}
	if (r->doi.len && dupinject_pct(rng, 30)) {
		buf_reset(&r->doi);
		what |= DUPINJECT_NO_DOI;
	} else if (r->doi.len && dupinject_pct(rng, 20)) {
		struct buf d = BUF_INIT;

		buf_printf(&d, "https://doi.org/%s", r->doi.s);
		for (size_t i = 16; i < d.len; i++)
			d.s[i] = (char)toupper((unsigned char)d.s[i]);
		buf_reset(&r->doi);
		buf_add(&r->doi, d.s, d.len);
		buf_release(&d);
		what |= DUPINJECT_DOI_URL;
	}
	if (abbrev && dupinject_pct(rng, 50)) {
		buf_reset(&r->journal);
		buf_adds(&r->journal, abbrev);
		what |= DUPINJECT_ABBREV;
	}
	if (r->pages.len && dupinject_pct(rng, 30)) {
		/* "1234-1241" -> "1234-41" */
		char *dash = strchr(r->pages.s, '-');

		if (dash) {
			size_t ls = (size_t)(dash - r->pages.s), le = strlen(dash + 1);

			if (le == ls && le > 2 && !strncmp(r->pages.s, dash + 1, le - 2)) {
				memmove(dash + 1, dash + 1 + le - 2, 3);
				buf_setlen(&r->pages, (size_t)(dash - r->pages.s) + 3);
				what |= DUPINJECT_PAGES;
			}
		}
	}
	if (r->authors.n && dupinject_pct(rng, 50)) {
		for (size_t i = 0; i < r->authors.n; i++) {
			char s[128];

			dupinject_author_short(s, sizeof(s), r->authors.v[i]);
			free(r->authors.v[i]);
			r->authors.v[i] = strdup(s);
		}
		what |= DUPINJECT_AUTHORS;
	}
	if (r->year && dupinject_pct(rng, 8)) {
		r->year += 1; /* print after online first */
		buf_reset(&r->pub_date);
		what |= DUPINJECT_YEAR;
	}
	if (dupinject_pct(rng, 10)) {
		buf_reset(dupinject_pct(rng, 50) ? &r->pages : &r->volume);
		buf_reset(&r->issue);
		what |= DUPINJECT_MISSING;
	}
	return what;
}

#endif
