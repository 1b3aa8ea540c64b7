/*
 * dedup_cmp.c - is this pair of records one publication?  Field-by-field
 * comparison and the rules that turn it into same, uncertain or different.
 *
 * The rules, in order (each pair stops at the first that applies):
 *   1. Kinds differ (article vs its erratum, comment, reply, retraction
 *      notice, or a conference abstract of the same title): different.  A
 *      conference abstract and an "article" in the same journal, volume and
 *      first page are one record typed differently by two databases.
 *   2. Strong identifiers conflict (two DOIs, two PMIDs): different; but
 *      two DOIs on records that agree on all else go to the queue (one is
 *      likely a typo).
 *   3. Same DOI, PMID, PMCID or accession number: same (identifier pass),
 *      unless the titles disagree outright (a DOI shared by a supplement):
 *      uncertain.
 *   4. Otherwise evidence points are added up (the fields pass), in the
 *      manner of Fellegi and Sunter's agreement weights: title similarity
 *      carries most, then first author, pages, volume, year, journal,
 *      issue; disagreement costs points.  Number tokens of the titles must
 *      agree ("12-month" vs "24-month" results are two papers) unless
 *      journal, volume and pages confirm.  A year gap of two or more is
 *      strong evidence against (a review and its update); a year apart
 *      with little else to go on is for a person to decide.
 *      >= SAME_POINTS: same; >= QUEUE_POINTS: uncertain (queue); else different.
 *
 * The fields are compared as databases write them: names surname-first or
 * given-name-first, a volume that is only the year, page counts, fields
 * shifted by one place, a meeting abstract's "Journal.Conference: ..."
 * (field_scores and its helpers say how).
 */
#include "screen_int.h"
#include "../util/err.h"

#include <assert.h>
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
		assert(hi <= lb); /* row[0..lb] were all set above */
		best = row[lo - 1];
		for (j = lo; j <= hi; j++) {
			size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]); /* NOLINT(clang-analyzer-core.uninitialized.Assign): row[0..lb] are set above and j <= hi <= lb */

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

/* A list of up to 16 space-separated words. */
struct words16 {
	const char *w[16];
	size_t l[16], n;
};

static void split16(const char *p, struct words16 *ws)
{
	ws->n = 0;
	while (*p && ws->n < 16) {
		ws->w[ws->n] = p;
		while (*p && *p != ' ')
			p++;
		ws->l[ws->n] = (size_t)(p - ws->w[ws->n]);
		ws->n++;
		while (*p == ' ')
			p++;
	}
}

/* One author written surname-first by one record and given-name-first by
 * the other ("Carignani, Andrea" and "Andrea, C."; "Wang, X." and
 * "Xiaoguang, Wang"): one's full given name is the other's surname, and
 * the other's given name or initial starts the first's surname. */
static int swapped_eq(const char *sa, size_t la, const char *ga, size_t lga,
		      const char *sb, size_t lb, const char *gb, size_t lgb)
{
	if (lga < 2 || *ga == '-' || !lgb || *gb == '-')
		return 0;
	if (!surname_eq(sb, lb, ga, lga))
		return 0;
	return lgb == 1 ? *gb == *sa : surname_eq(sa, la, gb, lgb);
}

static int author_eq(const struct words16 *sa, const struct words16 *ga, size_t i,
		     const struct words16 *sb, const struct words16 *gb, size_t j, int swaps)
{
	if (surname_eq(sa->w[i], sa->l[i], sb->w[j], sb->l[j]))
		return 1;
	if (!swaps || i >= ga->n || j >= gb->n)
		return 0;
	return swapped_eq(sa->w[i], sa->l[i], ga->w[i], ga->l[i], sb->w[j], sb->l[j], gb->w[j], gb->l[j]) ||
	       swapped_eq(sb->w[j], sb->l[j], gb->w[j], gb->l[j], sa->w[i], sa->l[i], ga->w[i], ga->l[i]);
}

/* The first author and the share of authors in common; swaps: allowing
 * the surname/given-name swap. */
static void author_count(const struct words16 *sa, const struct words16 *ga,
			 const struct words16 *sb, const struct words16 *gb, int swaps,
			 struct dpair_fields *f)
{
	size_t common = 0;

	f->first_author = (int8_t)author_eq(sa, ga, 0, sb, gb, 0, swaps);
	for (size_t i = 0; i < sa->n; i++)
		for (size_t j = 0; j < sb->n; j++)
			if (author_eq(sa, ga, i, sb, gb, j, swaps)) {
				common++;
				break;
			}
	f->authors = (float)common / (float)(sa->n < sb->n ? sa->n : sb->n);
	if (f->authors > 1)
		f->authors = 1;
}

static void author_scores(const struct drec *a, const struct drec *b, const char *arena,
			  struct dpair_fields *f)
{
	struct words16 sa, sb, ga, gb;

	split16(arena + a->authors, &sa);
	split16(arena + b->authors, &sb);
	if (!sa.n || !sb.n) {
		f->first_author = -1;
		f->authors = -1;
		return;
	}
	author_count(&sa, NULL, &sb, NULL, 0, f);
	if (f->first_author)
		return;
	/* the first authors differ: one record may write names the other
	 * way round */
	split16(arena + a->given, &ga);
	split16(arena + b->given, &gb);
	if (author_eq(&sa, &ga, 0, &sb, &gb, 0, 1))
		author_count(&sa, &ga, &sb, &gb, 1, f);
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

/* ---- 1. field scores ------------------------------------------------------ */

/* "journal of x conference 23rd congress of ..." (Embase's journal name
 * of a meeting abstract): the journal's length before "conference", 0 when
 * the name is not so written. */
static size_t before_conference(const char *j)
{
	const char *c = strstr(j, " conference ");

	return c ? (size_t)(c - j) : 0;
}

/* Does the journal of a meeting abstract ("Journal.Conference: ...") name
 * the other journal? */
static int conference_journal(const char *ja, const char *jb)
{
	char head[256];
	size_t n = before_conference(ja);

	if (!n || !*jb || n >= sizeof(head) || before_conference(jb))
		return 0;
	memcpy(head, ja, n);
	head[n] = '\0';
	return screen_journal_match(head, jb) >= 1;
}

static int8_t journal_score(const struct drec *a, const struct drec *b, const char *arena)
{
	const char *ja = arena + a->journal, *jb = arena + b->journal;
	const char *ka = arena + a->journal2, *kb = arena + b->journal2;
	int m;

	if (!((*ja || *ka) && (*jb || *kb)))
		return -1;
	m = screen_journal_match(ja, jb);
	if (m < 2 && *ka)
		m = m > screen_journal_match(ka, jb) ? m : screen_journal_match(ka, jb);
	if (m < 2 && *kb)
		m = m > screen_journal_match(ja, kb) ? m : screen_journal_match(ja, kb);
	if (m < 2 && *ka && *kb && !strcmp(ka, kb))
		m = 2;
	if (!m && (conference_journal(ja, jb) || conference_journal(jb, ja) ||
		   conference_journal(ja, kb) || conference_journal(jb, ka)))
		m = 1;
	return (int8_t)m;
}

/* A volume that is only the year ("2016" where the other record has 94):
 * the record's own year, or the other's when it has none. */
static int volume_is_year(const struct drec *a, const struct drec *b, const char *arena)
{
	const char *v = arena + a->volume;
	int year = a->year ? a->year : b->year;

	return year && strlen(v) == 4 && strspn(v, "0123456789") == 4 && atoi(v) == year;
}

/* Fields shifted by one place, as conference abstract records often are:
 * a has no volume, its issue is b's volume and its pages (when it has
 * any) are b's issue.  Sets volume, issue and pages as so compared. */
static int shifted_fields(const struct drec *a, const struct drec *b, const char *arena,
			  struct dpair_fields *f)
{
	const char *pages = arena + a->pages;

	if (a->volume || !a->issue || !b->volume ||
	    num_field(arena + a->issue, arena + b->volume) != 1)
		return 0;
	if (*pages && (strchr(pages, '-') || num_field(pages, arena + b->issue) != 1))
		return 0;
	f->volume = 1;
	f->issue = *pages ? 1 : -1;
	f->pages = -1;
	return 1;
}

/* Each field of the pair compared on its own (dpair_fields says how). */
static void field_scores(const struct drec *a, const struct drec *b, const char *arena,
			 struct dpair_fields *f)
{
	const char *ta = arena + a->title, *tb = arena + b->title;

	f->title = (a->title_len && b->title_len)
			   ? (float)dedup_similarity(ta, a->title_len, tb, b->title_len, 0.7)
			   : -1;
	/* a title contained in the other counts as close (0.9) */
	if (f->title >= 0 && f->title < 0.9f && title_contained(ta, a->title_len, tb, b->title_len))
		f->title = 0.9f;
	author_scores(a, b, arena, f);
	f->year = (int8_t)((a->year && b->year) ? (abs(a->year - b->year) > 9 ? 9 : abs(a->year - b->year)) : -1);
	f->journal = journal_score(a, b, arena);
	f->volume = num_field(arena + a->volume, arena + b->volume);
	f->issue = num_field(arena + a->issue, arena + b->issue);
	f->pages = pages_field(arena + a->pages, arena + b->pages);
	if (f->volume == 0 && (volume_is_year(a, b, arena) || volume_is_year(b, a, arena)))
		f->volume = -1;
	if (f->volume < 0 && !shifted_fields(a, b, arena, f))
		shifted_fields(b, a, arena, f);
	f->doi = (int8_t)((a->h_doi && b->h_doi) ? (a->h_doi == b->h_doi) : -1);
	f->pmid = (int8_t)((a->pmid && b->pmid) ? (a->pmid == b->pmid) : -1);
	f->numbers = (int8_t)((a->h_numbers || b->h_numbers) ? (a->h_numbers == b->h_numbers) : -1);
	f->kind = (int8_t)(a->kind == b->kind);
}

/* ---- 2. evidence points ----------------------------------------------------- */

/*
 * The weights of the evidence, by name: what each agreement adds and each
 * disagreement takes away.  A pair reaches SAME_POINTS (4) with, say, a
 * close title (2.5), the same first author (1) and year (0.5); the
 * penalties are set so that one conflicting number outweighs a close
 * title.  Tuned on the labelled sets of bench/dedup_accuracy.sh.
 */
static const struct {
	/* title similarity thresholds and their points, best first */
	float title_at[6], title_pts[6], title_below;
	float generic_title_max;       /* cap for titles like "Editorial" */
	float first_author_same, first_author_differs_coauthors, first_author_differs;
	float coauthors_overlap;       /* half the authors shared, both have 2+ */
	float year_same, year_apart;   /* year_apart: 2 years or more */
	float journal_same, journal_differs;
	float volume_same, volume_differs;
	float issue_same, issue_differs_same_volume_no_pages, issue_differs;
	float correction_page;         /* one page elsewhere in the volume */
	float abstracts_other_venue;   /* two conference abstracts, two venues */
	float pages_same, pages_differ;
	float journal_differs_unconfirmed; /* ... and no volume, pages or DOI */
	float issue_and_pages_differ;  /* same volume: another item (an erratum) */
	float title_year_apart;        /* least title similarity to merge a year
					* apart without volume, pages or DOI */
	float title_unconfirmed;       /* least title similarity when only the
					* journal, volume and pages confirm */
} W = {
	.title_at = { 0.999f, 0.95f, 0.9f, 0.85f, 0.8f, 0.7f },
	.title_pts = { 3.0f, 2.5f, 2.0f, 1.5f, 1.0f, 0.0f },
	.title_below = -3.0f,
	.generic_title_max = 1.0f,
	.first_author_same = 1.0f,
	.first_author_differs_coauthors = -0.5f,
	.first_author_differs = -1.5f,
	.coauthors_overlap = 0.5f,
	.year_same = 0.5f,
	.year_apart = -2.5f,
	.journal_same = 0.5f,
	.journal_differs = -0.25f,
	.volume_same = 0.75f,
	.volume_differs = -1.0f,
	.issue_same = 0.25f,
	.issue_differs_same_volume_no_pages = -2.5f,
	.issue_differs = -0.5f,
	.correction_page = -1.0f,
	.abstracts_other_venue = -1.5f,
	.pages_same = 1.0f,
	.pages_differ = -1.5f,
	.journal_differs_unconfirmed = -1.5f,
	.issue_and_pages_differ = -1.5f,
	.title_year_apart = 0.95f,
	.title_unconfirmed = 0.6f,
};

static float evidence_points(const struct drec *a, const struct drec *b, const char *arena,
			     const struct dpair_fields *f)
{
	float pts = 0;

	if (f->title >= 0) {
		float tp = W.title_below;

		for (size_t i = 0; i < sizeof(W.title_at) / sizeof(W.title_at[0]); i++)
			if (f->title >= W.title_at[i]) {
				tp = W.title_pts[i];
				break;
			}
		if ((a->generic || b->generic) && tp > W.generic_title_max)
			tp = W.generic_title_max;
		pts += tp;
	}
	if (f->first_author == 1)
		pts += W.first_author_same;
	else if (f->first_author == 0)
		pts += f->authors >= 0.5f ? W.first_author_differs_coauthors : W.first_author_differs;
	if (f->authors >= 0.5f && a->nauthors >= 2 && b->nauthors >= 2)
		pts += W.coauthors_overlap;
	if (f->year == 0)
		pts += W.year_same;
	else if (f->year >= 2)
		pts += W.year_apart;
	/* two venues weigh more when nothing else places the records (the
	 * same title in two venues; a conference paper and its journal
	 * version) */
	if (f->journal >= 1)
		pts += W.journal_same;
	else if (f->journal == 0 && f->volume < 0 && f->pages < 0 && f->doi < 0)
		pts += W.journal_differs_unconfirmed;
	else if (f->journal == 0)
		pts += W.journal_differs;
	if (f->volume == 1)
		pts += W.volume_same;
	else if (f->volume == 0)
		pts += W.volume_differs;
	/* issues: no penalty when pages decide (databases fill the issue with
	 * record numbers), but the issue is all that tells apart a column
	 * that recurs in each issue of a volume */
	if (f->issue == 1)
		pts += W.issue_same;
	else if (f->issue == 0 && f->pages < 0 && f->volume == 1)
		pts += W.issue_differs_same_volume_no_pages; /* two issues of one volume: two items */
	else if (f->issue == 0)
		pts += W.issue_differs;
	/* another issue and other pages of the same volume: another item
	 * (two errata of one article, each under its title) */
	if (f->volume == 1 && f->issue == 0 && f->pages == 0)
		pts += W.issue_and_pages_differ;
	/* one page in another issue of the volume, not within the article's
	 * range: a correction printed under the article's title */
	if (f->issue == 0 && f->pages == 0 && f->volume == 1 &&
	    !strchr(arena + a->pages, '-') != !strchr(arena + b->pages, '-'))
		pts += W.correction_page;
	/* two conference papers of different venues are two papers */
	if (a->kind == SCREEN_KIND_ABSTRACT && b->kind == SCREEN_KIND_ABSTRACT && f->journal == 0)
		pts += W.abstracts_other_venue;
	if (f->pages >= 1)
		pts += W.pages_same;
	else if (f->pages == 0)
		pts += W.pages_differ;
	return pts;
}

/* ---- 3. the rule cascade ---------------------------------------------------- */

static void decide(struct dpair_result *out, enum dpair_class cls, enum dpair_rule rule)
{
	out->cls = cls;
	out->rule = rule;
}

/* Kinds that may be one record: the same kind, or a conference record and
 * an article in the same volume and pages (a proceedings paper in a journal
 * supplement or a book series): the same venue and first page, or the
 * same full page range, year and first author. */
static int kinds_compatible(const struct drec *a, const struct drec *b, const struct dpair_fields *f)
{
	if (f->kind)
		return 1;
	return ((a->kind == SCREEN_KIND_ABSTRACT && b->kind == SCREEN_KIND_ARTICLE) ||
		(b->kind == SCREEN_KIND_ABSTRACT && a->kind == SCREEN_KIND_ARTICLE)) &&
	       f->volume == 1 &&
	       ((f->journal >= 1 && f->pages >= 1) ||
		(f->pages == 2 && f->year == 0 && f->first_author == 1));
}

/* Two DOIs on records that agree on all else - title (not a generic one
 * like "Editorial"), first author, journal, volume, issue, first page and
 * year: one DOI is likely a typo, so a person should look. */
static int doi_typo(const struct drec *a, const struct drec *b, const struct dpair_fields *f)
{
	return f->title >= W.title_at[1] && !a->generic && !b->generic && f->first_author == 1 &&
	       f->journal >= 1 && f->volume == 1 && f->issue != 0 && f->pages >= 1 &&
	       f->year >= 0 && f->year <= 1 && f->numbers != 0;
}

/* A shared identifier decides, unless the titles disagree (a DOI shared by
 * a whole supplement, or a wrong DOI).  0 when no identifier is shared. */
static int by_identifier(const struct drec *a, const struct drec *b, int shared_accession,
			 struct dpair_result *out)
{
	const struct dpair_fields *f = &out->f;
	int pmcid = a->h_pmcid && a->h_pmcid == b->h_pmcid;

	if (!(f->doi == 1 || f->pmid == 1 || pmcid || shared_accession))
		return 0;
	if (f->title >= 0 && f->title < 0.7f)
		decide(out, (f->pages == 0 || f->first_author == 0) ? DPAIR_DIFFERENT : DPAIR_UNCERTAIN,
		       RULE_DOI_TITLE);
	else
		decide(out, DPAIR_SAME, f->doi == 1 ? RULE_DOI : f->pmid == 1 ? RULE_PMID
					: pmcid ? RULE_PMCID : RULE_ACCESSION);
	return 1;
}

/* Without a shared identifier: the bibliographic fields and the points. */
static void by_fields(const struct drec *a, const struct drec *b, const char *arena, float pts,
		      struct dpair_result *out)
{
	const struct dpair_fields *f = &out->f;

	/* the same journal, volume (and issue, when both give one), full page
	 * range, first author and year: one article even when its titles are
	 * two languages.  (Journals that start every issue at page 1 make the
	 * issue necessary.) */
	if (f->pages == 2 && f->volume == 1 && f->journal >= 1 && f->first_author == 1 &&
	    f->year == 0 && f->issue != 0 && strchr(arena + a->pages, '-') &&
	    a->kind == b->kind && f->numbers != 0 && (f->title < 0.9f || pts < SAME_POINTS)) {
		decide(out, DPAIR_SAME, RULE_BIBLIO);
		if (out->score < SAME_POINTS)
			out->score = SAME_POINTS;
		return;
	}
	/* the same without an author to confirm (one record has none, as
	 * older MEDLINE and Embase records): the titles must still be alike
	 * (a translated title) */
	if (f->first_author < 0 && f->title >= 0 && f->pages == 2 && f->volume == 1 &&
	    f->journal >= 1 && f->year == 0 && f->issue != 0 && strchr(arena + a->pages, '-') &&
	    a->kind == b->kind && f->numbers != 0 && !a->generic && !b->generic &&
	    pts < SAME_POINTS &&
	    dedup_similarity(arena + a->title, a->title_len, arena + b->title, b->title_len,
			     W.title_unconfirmed) >= W.title_unconfirmed) {
		decide(out, DPAIR_SAME, RULE_BIBLIO);
		out->score = SAME_POINTS;
		return;
	}
	if (f->title < 0) {
		/* no title to compare: only a full bibliographic agreement */
		if (f->first_author == 1 && f->year == 0 && f->journal >= 1 && f->volume == 1 &&
		    f->pages >= 1)
			decide(out, DPAIR_UNCERTAIN, RULE_BIBLIO);
		else
			decide(out, DPAIR_DIFFERENT, RULE_WEAK);
		return;
	}
	if (f->numbers == 0 && !(f->pages >= 1 && f->volume == 1 && f->journal >= 1)) {
		decide(out, DPAIR_DIFFERENT, RULE_NUMBERS);
		return;
	}
	if (f->year >= 2 && !(f->pages >= 1 && f->volume == 1)) {
		decide(out, DPAIR_DIFFERENT, RULE_YEAR);
		return;
	}
	/* the same first author, journal, volume and first page, a year apart
	 * at most: one article whatever its title looks like (translated,
	 * bilingual), once the titles are close at all */
	if (f->title >= 0.7f && f->first_author == 1 && f->journal >= 1 && f->volume == 1 &&
	    f->pages >= 1 && f->year >= 0 && f->year <= 1 && !a->generic && !b->generic &&
	    pts < SAME_POINTS)
		pts = SAME_POINTS;
	/* a year apart, titles not quite alike or no journal in common, and
	 * neither volume, pages nor an identifier to place them: a conference
	 * paper and its journal version, a thesis and its listing, or two
	 * papers of one project; a person decides */
	if (pts >= SAME_POINTS && f->year == 1 && (f->title < W.title_year_apart || f->journal < 1) &&
	    f->volume != 1 && f->pages < 1 && f->doi != 1) {
		decide(out, DPAIR_UNCERTAIN, RULE_YEAR);
		return;
	}
	if (pts >= SAME_POINTS)
		decide(out, DPAIR_SAME, RULE_FIELDS);
	else if (pts >= QUEUE_POINTS)
		decide(out, DPAIR_UNCERTAIN, RULE_FIELDS);
	else
		decide(out, DPAIR_DIFFERENT, RULE_WEAK);
}

void dedup_compare(const struct drec *a, const struct drec *b, const char *arena,
		   int shared_accession, struct dpair_result *out)
{
	struct dpair_fields *f = &out->f;
	float pts;

	memset(out, 0, sizeof(*out));
	field_scores(a, b, arena, f);
	/* kinds that cannot be one record, and conflicting identifiers, decide
	 * before any points are counted */
	if (!kinds_compatible(a, b, f)) {
		decide(out, DPAIR_DIFFERENT, RULE_KIND);
		return;
	}
	if (f->doi == 0) {
		/* one of two DOIs is likely a typo when all else agrees */
		if (doi_typo(a, b, f)) {
			out->score = evidence_points(a, b, arena, f);
			decide(out, DPAIR_UNCERTAIN, RULE_DOI_CONFLICT);
		} else {
			decide(out, DPAIR_DIFFERENT, RULE_DOI_CONFLICT);
		}
		return;
	}
	if (f->pmid == 0) {
		decide(out, DPAIR_DIFFERENT, RULE_PMID_CONFLICT);
		return;
	}
	pts = evidence_points(a, b, arena, f);
	out->score = pts;
	if (!by_identifier(a, b, shared_accession, out))
		by_fields(a, b, arena, pts, out);
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
