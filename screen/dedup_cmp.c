/*
 * dedup_cmp.c - is this pair of records one publication?  Field-by-field
 * comparison and the rules that turn it into same, uncertain or different.
 *
 * The rules, in order (each pair stops at the first that applies):
 *   1. Kinds differ (article vs its erratum, comment, reply, retraction
 *      notice, or a conference abstract of the same title): different.  A
 *      conference abstract and an "article" in the same journal, volume and
 *      first page are one record typed differently by two databases.
 *   2. Strong identifiers conflict (two DOIs, two PMIDs): different.
 *   3. Same DOI, PMID, PMCID or accession number: same (identifier pass),
 *      unless the titles disagree outright (a DOI shared by a supplement):
 *      uncertain.
 *   4. Otherwise evidence points are added up (the fields pass), in the
 *      manner of Fellegi and Sunter's agreement weights: title similarity
 *      carries most, then first author, pages, volume, year, journal,
 *      issue; disagreement costs points.  Number tokens of the titles must
 *      agree ("12-month" vs "24-month" results are two papers) unless
 *      journal, volume and pages confirm.  A year gap of two or more is
 *      strong evidence against (a review and its update).
 *      >= SAME_POINTS: same; >= QUEUE_POINTS: uncertain (queue); else different.
 */
#include "screen_int.h"
#include "../util/err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAME_POINTS 4.0f
#define QUEUE_POINTS 3.0f

static const char *const rule_names[RULE_COUNT] = {
	[RULE_NONE] = "unique",
	[RULE_DOI] = "doi",
	[RULE_PMID] = "pmid",
	[RULE_PMCID] = "pmcid",
	[RULE_ACCESSION] = "accession",
	[RULE_FIELDS] = "fields",
	[RULE_BIBLIO] = "bibliographic",
	[RULE_DOI_CONFLICT] = "doi-conflict",
	[RULE_PMID_CONFLICT] = "pmid-conflict",
	[RULE_KIND] = "kind-differs",
	[RULE_NUMBERS] = "title-numbers-differ",
	[RULE_YEAR] = "year-differs",
	[RULE_WEAK] = "weak-evidence",
	[RULE_DOI_TITLE] = "id-title-differs",
	[RULE_GROUP_CONFLICT] = "group-conflict",
};

const char *dedup_rule_name(int rule)
{
	return rule >= 0 && rule < RULE_COUNT ? rule_names[rule] : "unknown";
}

const char *dedup_rule_pass(int rule)
{
	return rule >= RULE_DOI && rule <= RULE_ACCESSION ? "identifier" : "fields";
}

/* Levenshtein distance of a and b, banded (Ukkonen): returns k + 1 when
 * the distance exceeds k. */
static size_t lev_banded(const char *a, size_t la, const char *b, size_t lb, size_t k)
{
	const size_t inf = (size_t)-1 / 4;
	size_t stack[256], *row = stack, i, j, d;

	if ((la > lb ? la - lb : lb - la) > k)
		return k + 1;
	if (!la || !lb)
		return la + lb;
	if (lb + 1 > sizeof(stack) / sizeof(stack[0])) {
		row = malloc((lb + 1) * sizeof(*row));
		if (!row)
			return k + 1; /* treated as "too different"; rare */
	}
	for (j = 0; j <= lb; j++)
		row[j] = j <= k ? j : inf;
	for (i = 1; i <= la; i++) {
		size_t lo = i > k ? i - k : 1, hi = i + k < lb ? i + k : lb;
		size_t diag = row[lo - 1], best;

		row[lo - 1] = lo == 1 ? (i <= k ? i : inf) : inf;
		best = row[lo - 1];
		for (j = lo; j <= hi; j++) {
			size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > k) {
			if (row != stack)
				free(row);
			return k + 1;
		}
	}
	d = row[lb] > k ? k + 1 : row[lb];
	if (row != stack)
		free(row);
	return d;
}

double dedup_similarity(const char *a, size_t la, const char *b, size_t lb, double min_sim)
{
	size_t p = 0, s = 0, max = la > lb ? la : lb, k, d;

	if (!max)
		return 1.0;
	while (p < la && p < lb && a[p] == b[p])
		p++;
	while (s < la - p && s < lb - p && a[la - 1 - s] == b[lb - 1 - s])
		s++;
	if (p + s == la && la == lb)
		return 1.0;
	k = (size_t)ceil((1.0 - min_sim) * (double)max);
	/* a cheap lower bound first: an edit changes the byte counts of the
	 * middles by at most two, so half their difference bounds the distance */
	{
		int count[256] = { 0 };
		size_t diff = 0;

		for (size_t i = p; i < la - s; i++)
			count[(unsigned char)a[i]]++;
		for (size_t i = p; i < lb - s; i++)
			count[(unsigned char)b[i]]--;
		for (int c = 0; c < 256; c++)
			diff += (size_t)(count[c] < 0 ? -count[c] : count[c]);
		if ((diff + 1) / 2 > k)
			return 1.0 - (double)(k + 1) / (double)max;
	}
	d = lev_banded(a + p, la - p - s, b + p, lb - p - s, k);
	return 1.0 - (double)d / (double)max;
}

/* Surnames: equal, or equal up to one edit when long enough (Müller and
 * Mueller), or one a prefix of the other (a truncated double name). */
static int surname_eq(const char *a, size_t la, const char *b, size_t lb)
{
	size_t m = la < lb ? la : lb;

	if (!la || !lb)
		return 0;
	if (la == lb && !memcmp(a, b, la))
		return 1;
	if (m >= 4 && !memcmp(a, b, m))
		return 1;
	/* "ilcheong" and "cheong", "stpeter" and "peter": a particle joined */
	if (m >= 4 && !memcmp(a + la - m, b + lb - m, m))
		return 1;
	if (m >= 5 && lev_banded(a, la, b, lb, 1) <= 1)
		return 1;
	return 0;
}

static void author_scores(const char *a, const char *b, struct dpair_fields *f)
{
	const char *wa[16], *wb[16];
	size_t na = 0, nb = 0, la[16], lb[16], common = 0;
	const char *p;

	for (p = a; *p && na < 16;) {
		wa[na] = p;
		while (*p && *p != ' ')
			p++;
		la[na] = (size_t)(p - wa[na]);
		na++;
		while (*p == ' ')
			p++;
	}
	for (p = b; *p && nb < 16;) {
		wb[nb] = p;
		while (*p && *p != ' ')
			p++;
		lb[nb] = (size_t)(p - wb[nb]);
		nb++;
		while (*p == ' ')
			p++;
	}
	if (!na || !nb) {
		f->first_author = -1;
		f->authors = -1;
		return;
	}
	f->first_author = (int8_t)surname_eq(wa[0], la[0], wb[0], lb[0]);
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (surname_eq(wa[i], la[i], wb[j], lb[j])) {
				common++;
				break;
			}
	f->authors = (float)common / (float)(na < nb ? na : nb);
	if (f->authors > 1)
		f->authors = 1;
}

/* Volumes and issues: "12" and "12 Suppl 1" share their leading number;
 * "suppl" and "suppl 2" agree; a number against none is unknown. */
static int8_t num_field(const char *a, const char *b)
{
	const char *da = a, *db = b;

	if (!*a || !*b)
		return -1;
	if (!strcmp(a, b))
		return 1;
	while (*da && !(*da >= '0' && *da <= '9'))
		da++;
	while (*db && !(*db >= '0' && *db <= '9'))
		db++;
	if (*da && *db)
		return (int8_t)(strtol(da, NULL, 10) == strtol(db, NULL, 10));
	if (!*da && !*db)
		return (int8_t)(strncmp(a, b, 5) == 0);
	return -1;
}

/* the digits of a page ("s33" -> "33", "viii108" -> "108") */
static const char *page_digits(const char *p, size_t *n)
{
	const char *s = p;

	while (*s && !(*s >= '0' && *s <= '9') && *s != '-')
		s++;
	*n = strspn(s, "0123456789");
	return s;
}

static int8_t pages_field(const char *a, const char *b)
{
	const char *ea, *eb, *pa, *pb;
	size_t na, nb;

	if (!*a || !*b)
		return -1;
	if (!strcmp(a, b))
		return 2;
	/* the same first page, letters aside ("e1234", "S33", "viii108") */
	pa = page_digits(a, &na);
	pb = page_digits(b, &nb);
	if (na && na == nb && !memcmp(pa, pb, na))
		return 1;
	/* the same last page of two ranges (a typo in the first), or a single
	 * page that ends the other's range ("488" and "487-488") */
	ea = strchr(a, '-');
	eb = strchr(b, '-');
	if (ea && eb && !strcmp(ea, eb) && strlen(ea) > 2)
		return 1;
	if (!ea && eb && !strcmp(a, eb + 1))
		return 1;
	if (ea && !eb && !strcmp(b, ea + 1))
		return 1;
	return 0;
}

/* Is the shorter title the start or the end of the longer (a subtitle or
 * a translation added, "MEDICAL PROGRESS" prefixed)?  Compared without
 * spaces; the shorter must hold at least 4 words. */
static int title_contained(const char *a, size_t la, const char *b, size_t lb)
{
	char sa[1024], sb[1024];
	size_t na = 0, nb = 0, words = 1;
	const char *s = la <= lb ? a : b, *l = la <= lb ? b : a;
	size_t ls = la <= lb ? la : lb, ll = la <= lb ? lb : la;

	for (size_t i = 0; i < ls && na < sizeof(sa); i++) {
		if (s[i] == ' ')
			words++;
		else
			sa[na++] = s[i];
	}
	for (size_t i = 0; i < ll && nb < sizeof(sb); i++)
		if (l[i] != ' ')
			sb[nb++] = l[i];
	if (words < 4 || na < 20 || na >= nb)
		return 0;
	return !memcmp(sa, sb, na) || !memcmp(sa, sb + nb - na, na);
}

void dedup_compare(const struct drec *a, const struct drec *b, const char *arena,
		   int shared_accession, struct dpair_result *out)
{
	struct dpair_fields *f = &out->f;
	const char *ta = arena + a->title, *tb = arena + b->title;
	float pts = 0;
	int kinds_ok;

	memset(out, 0, sizeof(*out));
	/* fields */
	f->title = (a->title_len && b->title_len)
			   ? (float)dedup_similarity(ta, a->title_len, tb, b->title_len, 0.7)
			   : -1;
	/* a title contained in the other counts as close (0.9) */
	if (f->title >= 0 && f->title < 0.9f && title_contained(ta, a->title_len, tb, b->title_len))
		f->title = 0.9f;
	author_scores(arena + a->authors, arena + b->authors, f);
	f->year = (int8_t)((a->year && b->year) ? (abs(a->year - b->year) > 9 ? 9 : abs(a->year - b->year)) : -1);
	{
		const char *ja = arena + a->journal, *jb = arena + b->journal;
		const char *ka = arena + a->journal2, *kb = arena + b->journal2;
		int m = 0;

		if ((*ja || *ka) && (*jb || *kb)) {
			m = screen_journal_match(ja, jb);
			if (m < 2 && *ka)
				m = m > screen_journal_match(ka, jb) ? m : screen_journal_match(ka, jb);
			if (m < 2 && *kb)
				m = m > screen_journal_match(ja, kb) ? m : screen_journal_match(ja, kb);
			if (m < 2 && *ka && *kb && !strcmp(ka, kb))
				m = 2;
			f->journal = (int8_t)m;
		} else {
			f->journal = -1;
		}
	}
	f->volume = num_field(arena + a->volume, arena + b->volume);
	f->issue = num_field(arena + a->issue, arena + b->issue);
	f->pages = pages_field(arena + a->pages, arena + b->pages);
	f->doi = (int8_t)((a->h_doi && b->h_doi) ? (a->h_doi == b->h_doi) : -1);
	f->pmid = (int8_t)((a->pmid && b->pmid) ? (a->pmid == b->pmid) : -1);
	f->numbers = (int8_t)((a->h_numbers || b->h_numbers) ? (a->h_numbers == b->h_numbers) : -1);
	f->kind = (int8_t)(a->kind == b->kind);

	/* 1. kinds */
	kinds_ok = f->kind;
	/* a conference record and an article in the same volume and pages
	 * are one record typed differently (a proceedings paper in a journal
	 * supplement or a book series): the same venue and first page, or the
	 * same full page range, year and first author */
	if (!kinds_ok &&
	    ((a->kind == SCREEN_KIND_ABSTRACT && b->kind == SCREEN_KIND_ARTICLE) ||
	     (b->kind == SCREEN_KIND_ABSTRACT && a->kind == SCREEN_KIND_ARTICLE)) &&
	    f->volume == 1 &&
	    ((f->journal >= 1 && f->pages >= 1) ||
	     (f->pages == 2 && f->year == 0 && f->first_author == 1)))
		kinds_ok = 1;
	if (!kinds_ok) {
		out->cls = DPAIR_DIFFERENT;
		out->rule = RULE_KIND;
		return;
	}
	/* 2. conflicting identifiers */
	if (f->doi == 0) {
		out->cls = DPAIR_DIFFERENT;
		out->rule = RULE_DOI_CONFLICT;
		return;
	}
	if (f->pmid == 0) {
		out->cls = DPAIR_DIFFERENT;
		out->rule = RULE_PMID_CONFLICT;
		return;
	}

	/* evidence points */
	if (f->title >= 0) {
		float t = f->title;
		float tp = t >= 0.999f ? 3.0f : t >= 0.95f ? 2.5f : t >= 0.9f ? 2.0f
			 : t >= 0.85f ? 1.5f : t >= 0.8f ? 1.0f : t >= 0.7f ? 0.0f : -3.0f;

		if ((a->generic || b->generic) && tp > 1.0f)
			tp = 1.0f;
		pts += tp;
	}
	if (f->first_author == 1)
		pts += 1.0f;
	else if (f->first_author == 0)
		pts -= f->authors >= 0.5f ? 0.5f : 1.5f;
	if (f->authors >= 0.5f && a->nauthors >= 2 && b->nauthors >= 2)
		pts += 0.5f;
	if (f->year == 0)
		pts += 0.5f;
	else if (f->year >= 2)
		pts -= 2.5f;
	if (f->journal >= 1)
		pts += 0.5f;
	else if (f->journal == 0)
		pts -= 0.25f;
	if (f->volume == 1)
		pts += 0.75f;
	else if (f->volume == 0)
		pts -= 1.0f;
	/* issues: no penalty when pages decide (databases fill the issue with
	 * record numbers), but the issue is all that tells apart a column
	 * that recurs in each issue of a volume */
	if (f->issue == 1)
		pts += 0.25f;
	else if (f->issue == 0 && f->pages < 0 && f->volume == 1)
		pts -= 2.5f; /* two issues of one volume: two items */
	else if (f->issue == 0)
		pts -= 0.5f;
	/* one page in another issue of the volume, not within the article's
	 * range: a correction printed under the article's title */
	if (f->issue == 0 && f->pages == 0 && f->volume == 1 &&
	    !strchr(arena + a->pages, '-') != !strchr(arena + b->pages, '-'))
		pts -= 1.0f;
	/* two conference papers of different venues are two papers */
	if (a->kind == SCREEN_KIND_ABSTRACT && b->kind == SCREEN_KIND_ABSTRACT && f->journal == 0)
		pts -= 1.5f;
	if (f->pages >= 1)
		pts += 1.0f;
	else if (f->pages == 0)
		pts -= 1.5f;
	out->score = pts;

	/* 3. identifiers */
	if (f->doi == 1 || f->pmid == 1 || (a->h_pmcid && a->h_pmcid == b->h_pmcid) ||
	    shared_accession) {
		out->rule = f->doi == 1 ? RULE_DOI : f->pmid == 1 ? RULE_PMID
			  : (a->h_pmcid && a->h_pmcid == b->h_pmcid) ? RULE_PMCID : RULE_ACCESSION;
		if (f->title >= 0 && f->title < 0.7f) {
			/* a DOI shared by a whole supplement, or a wrong DOI */
			out->rule = RULE_DOI_TITLE;
			out->cls = (f->pages == 0 || f->first_author == 0) ? DPAIR_DIFFERENT
									  : DPAIR_UNCERTAIN;
		} else {
			out->cls = DPAIR_SAME;
		}
		return;
	}

	/* 4. fields */
	/* the same journal, volume (and issue, when both give one), full page
	 * range, first author and year: one article even when its titles are
	 * two languages.  (Journals that start every issue at page 1 make the
	 * issue necessary.) */
	if (f->pages == 2 && f->volume == 1 && f->journal >= 1 && f->first_author == 1 &&
	    f->year == 0 && f->issue != 0 && strchr(arena + a->pages, '-') &&
	    a->kind == b->kind && f->numbers != 0 && (f->title < 0.9f || pts < SAME_POINTS)) {
		out->cls = DPAIR_SAME;
		out->rule = RULE_BIBLIO;
		if (out->score < SAME_POINTS)
			out->score = SAME_POINTS;
		return;
	}
	if (f->title < 0) {
		/* no title to compare: only a full bibliographic agreement */
		if (f->first_author == 1 && f->year == 0 && f->journal >= 1 && f->volume == 1 &&
		    f->pages >= 1) {
			out->cls = DPAIR_UNCERTAIN;
			out->rule = RULE_BIBLIO;
		} else {
			out->cls = DPAIR_DIFFERENT;
			out->rule = RULE_WEAK;
		}
		return;
	}
	if (f->numbers == 0 && !(f->pages >= 1 && f->volume == 1 && f->journal >= 1)) {
		out->cls = DPAIR_DIFFERENT;
		out->rule = RULE_NUMBERS;
		return;
	}
	if (f->year >= 2 && !(f->pages >= 1 && f->volume == 1)) {
		out->cls = DPAIR_DIFFERENT;
		out->rule = RULE_YEAR;
		return;
	}
	out->rule = RULE_FIELDS;
	/* the same first author, journal, volume and first page, a year apart
	 * at most: one article whatever its title looks like (translated,
	 * bilingual), once the titles are close at all */
	if (f->title >= 0.7f && f->first_author == 1 && f->journal >= 1 && f->volume == 1 &&
	    f->pages >= 1 && f->year >= 0 && f->year <= 1 && !a->generic && !b->generic &&
	    pts < SAME_POINTS)
		pts = SAME_POINTS;
	if (pts >= SAME_POINTS)
		out->cls = DPAIR_SAME;
	else if (pts >= QUEUE_POINTS)
		out->cls = DPAIR_UNCERTAIN;
	else {
		out->cls = DPAIR_DIFFERENT;
		out->rule = RULE_WEAK;
	}
}

static const char *num3(char *buf, size_t n, double v)
{
	if (v < 0)
		return "null";
	snprintf(buf, n, "%.3g", v);
	return buf;
}

static const char *same_diff(int v)
{
	return v < 0 ? "null" : v ? "\"same\"" : "\"different\"";
}

int dedup_fields_json(struct buf *out, const struct dpair_fields *f)
{
	char t[32], a[32], y[16], tmp[512];
	const char *journal = f->journal < 0 ? "null" : f->journal == 2 ? "\"same\""
			    : f->journal == 1 ? "\"abbreviation\"" : "\"different\"";
	const char *pages = f->pages < 0 ? "null" : f->pages == 2 ? "\"same\""
			  : f->pages == 1 ? "\"same-first-page\"" : "\"different\"";
	int n;

	if (f->year < 0)
		snprintf(y, sizeof(y), "null");
	else
		snprintf(y, sizeof(y), "%d", f->year);
	/* one formatting call: this runs once per link of a million-record run */
	n = snprintf(tmp, sizeof(tmp),
		     "{\"title\":%s,\"authors\":%s,\"first_author\":%s,\"year_diff\":%s,"
		     "\"journal\":%s,\"volume\":%s,\"issue\":%s,\"pages\":%s,\"doi\":%s,"
		     "\"pmid\":%s,\"title_numbers\":%s,\"kind\":%s}",
		     num3(t, sizeof(t), f->title), num3(a, sizeof(a), f->authors),
		     same_diff(f->first_author), y, journal, same_diff(f->volume),
		     same_diff(f->issue), pages, same_diff(f->doi), same_diff(f->pmid),
		     same_diff(f->numbers), same_diff(f->kind));
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return lsr_error_set(LSR_ERROR, "per-field scores too long");
	return buf_add(out, tmp, (size_t)n) < 0 ? LSR_ENOMEM : 0;
}
