/*
 * dedup.c - one deduplication run: records not yet grouped are compared
 * with every record and grouped into citations (see screen.h).
 *
 * The run works in memory, in five steps:
 *   1. load: every record taking part (view dedup_records) is read once and
 *      normalised once (struct drec, strings in one arena), with the
 *      citation it already belongs to;
 *   2. block: each record gets a few keys - identifiers (DOI, PMID, PMCID,
 *      accession numbers, the source's own id), the title fingerprint, its
 *      first and last 25 characters, fingerprint+year+first author, first
 *      author+first page, volume+first page+initial, year+volume+first
 *      page+journal initial (no author needed) - and records sharing a key
 *      become candidate pairs (blocks larger than a cap are left to the
 *      other keys), so the comparisons grow about linearly with the records.
 *      Only pairs with at least one new record are kept: an incremental run
 *      never compares two records it compared before;
 *   3. compare: each candidate pair goes through dedup_compare()
 *      (dedup_cmp.c), split across threads;
 *   4. cluster: pairs judged the same are applied in order - identifier
 *      rules first, then by falling score (Kruskal's order) - with a
 *      union-find over records that starts from the existing citations.
 *      A union is refused when the two groups hold different DOIs or PMIDs,
 *      different kinds (an article and its erratum), or records a person
 *      decided are different (a 'different' decision or a split);
 *   5. write (one transaction): new citations, memberships, links, retired
 *      citations (one id survives a merge: the larger citation's, then the
 *      older), representatives, the queue of uncertain pairs.
 */
#define _POSIX_C_SOURCE 200809L
#include "screen_int.h"
#include "../db/db.h"
#include "../util/clock.h"
#include "../util/array.h"
#include "../util/par.h"
#include "../util/err.h"
#include "../util/text.h"

#include <jansson.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BLOCK_CAP 64     /* largest block whose pairs are all compared */
#define ID_BLOCK_CAP 400 /* the same for identifier keys */
#define AFFIX_LEN 25     /* characters of the fingerprint in prefix/suffix keys */

/* ---- arena of NUL-terminated strings ----------------------------------- */

struct arena {
	char *s;
	size_t len, cap;
};

static int arena_add(struct arena *a, const char *s, size_t n, uint32_t *out)
{
	if (!n) {
		*out = 0;
		return 0;
	}
	if (a->len + n + 1 > a->cap) {
		size_t cap = a->cap ? a->cap : 1 << 20;
		char *ns;

		while (a->len + n + 1 > cap)
			cap *= 2;
		if (cap > UINT32_MAX)
			return lsr_error_set(LSR_ERROR, "too much text for one dedup run");
		ns = realloc(a->s, cap);
		if (!ns)
			return lsr_error_oom();
		a->s = ns;
		a->cap = cap;
	}
	if (!a->len)
		a->s[a->len++] = '\0'; /* offset 0: the empty string */
	*out = (uint32_t)a->len;
	memcpy(a->s + a->len, s, n);
	a->len += n;
	a->s[a->len++] = '\0';
	return 0;
}

/* ---- hashing and sorting ----------------------------------------------- */

static uint64_t hash_bytes(uint64_t seed, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ (seed * 0x9E3779B97F4A7C15ULL);

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return h ? h : 1;
}

struct key {
	uint64_t k;
	uint32_t idx;
	uint32_t type;   /* enum key_seed */
};

/*
 * LSD radix sort on a 64-bit key, a byte per pass; a pass in which every
 * key has the same byte is skipped.  Defined for the two arrays a run
 * sorts: blocking keys (struct key, by k) and candidate pairs (uint64_t).
 * type is a type name, which cannot be parenthesised.
 */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define DEFINE_RADIX_SORT(name, type, KEY) \
static int name(type *a, size_t n) \
{ \
	type *tmp = malloc(n * sizeof(*tmp) + 1), *src = a, *dst = tmp; \
	size_t count[256]; \
 \
	if (!tmp) \
		return lsr_error_oom(); \
	for (int pass = 0; pass < 8; pass++) { \
		int shift = pass * 8; \
		size_t sum = 0; \
 \
		memset(count, 0, sizeof(count)); \
		for (size_t i = 0; i < n; i++) \
			count[(KEY(src[i]) >> shift) & 0xff]++; \
		if (count[(KEY(src[0]) >> shift) & 0xff] == n) \
			continue; \
		for (int b = 0; b < 256; b++) { \
			size_t c = count[b]; \
 \
			count[b] = sum; \
			sum += c; \
		} \
		for (size_t i = 0; i < n; i++) \
			dst[count[(KEY(src[i]) >> shift) & 0xff]++] = src[i]; \
		{ \
			type *t = src; \
 \
			src = dst; \
			dst = t; \
		} \
	} \
	if (src != a) \
		memcpy(a, src, n * sizeof(*a)); \
	free(tmp); \
	return 0; \
}
/* NOLINTEND(bugprone-macro-parentheses) */
#define KEY_OF_KEY(x) ((x).k)
#define KEY_OF_U64(x) (x)
DEFINE_RADIX_SORT(sort_keys, struct key, KEY_OF_KEY)
DEFINE_RADIX_SORT(sort_u64, uint64_t, KEY_OF_U64)

/* ---- the run's state ---------------------------------------------------- */

struct constraint {
	uint32_t partner;  /* record index that may not share the group */
	int32_t next;      /* next entry of the same root, -1 */
	int32_t person;    /* 1: a person's decision; 0: an uncertain pair */
};

struct link {
	uint32_t a, b;     /* record indexes */
	struct dpair_result r;
	char *json;        /* the per-field scores as JSON (owned) */
};

struct cand {
	uint64_t pair;     /* a << 32 | b << 1 | shared_accession */
	struct dpair_result r;
};

struct run {
	struct lsr_db *db;
	const struct lsr_progress *progress;
	struct arena arena;
	struct drec *recs;
	size_t n, alloc;
	struct key *keys;
	size_t nkeys, keys_alloc;
	uint64_t *pairs;
	size_t npairs, pairs_alloc;
	struct cand *cands;     /* pairs judged same or uncertain */
	size_t ncands, cands_alloc;
	/* union-find */
	uint32_t *parent, *size;
	uint64_t *g_doi;
	int64_t *g_pmid;
	uint8_t *g_kinds;       /* bit per kind class */
	int32_t *con_head;
	struct constraint *cons;
	size_t ncons, cons_alloc;
	struct link *links;
	size_t nlinks, links_alloc;
	char now[CLOCK_ISO_LEN];
	int64_t run_id;
};

static int add_key(struct run *r, uint32_t idx, uint32_t seed, const void *p, size_t n)
{
	if (!n)
		return 0;
	if (ARRAY_GROW(r->keys, r->nkeys, r->keys_alloc, 1 << 16) < 0)
		return LSR_ENOMEM;
	r->keys[r->nkeys].k = hash_bytes(seed, p, n);
	r->keys[r->nkeys].idx = idx;
	r->keys[r->nkeys].type = seed;
	r->nkeys++;
	return 0;
}

enum key_seed {
	K_DOI = 1, K_PMID, K_PMCID, K_ACC, K_TITLE, K_PREFIX, K_SUFFIX, K_TITLE_YEAR_AUTHOR,
	K_AUTHOR_PAGE, K_VOLUME_PAGE, K_YEAR_VOLUME_PAGE,
};

/* ---- loading ----------------------------------------------------------- */

/* Call fn for each string of a JSON array of strings (as stored). */
static int json_strings(const char *js, struct buf *tmp,
			int (*fn)(void *payload, const char *s, size_t n), void *payload)
{
	const char *p = js;

	if (!p)
		return 0;
	while (*p) {
		if (*p != '"') {
			p++;
			continue;
		}
		p++;
		buf_reset(tmp);
		while (*p && *p != '"') {
			if (*p == '\\' && p[1]) {
				p++;
				switch (*p) {
				case 'n': case 't': case 'r': case 'b': case 'f':
					buf_addc(tmp, ' ');
					p++;
					break;
				case 'u': {
					/* four hex digits; read no further than the text goes */
					unsigned long cp = 0;
					int k;

					for (k = 1; k <= 4 && isxdigit((unsigned char)p[k]); k++)
						cp = cp * 16 + (unsigned long)(isdigit((unsigned char)p[k]) ? p[k] - '0'
							: (tolower((unsigned char)p[k]) - 'a' + 10));
					if (k == 5) {
						text_append_cp(tmp, cp);
						p += 5;
					} else {
						p++;
					}
					break;
				}
				default:
					buf_addc(tmp, *p++);
				}
			} else {
				buf_addc(tmp, *p++);
			}
		}
		if (*p == '"')
			p++;
		if (fn(payload, tmp->s, tmp->len) < 0)
			return lsr_error_last_code();
	}
	return 0;
}

struct author_acc {
	struct buf *surnames;
	struct buf *given;    /* first given names, aligned with surnames */
	struct buf *one;
	int count;
	int first_done;
};

static int add_author(void *payload, const char *s, size_t n)
{
	struct author_acc *acc = payload;

	(void)n;
	if (acc->count >= 16)
		return 0;
	if (screen_norm_surname(acc->one, s) < 0)
		return LSR_ENOMEM;
	if (!acc->one->len)
		return 0;
	if (acc->surnames->len && buf_addc(acc->surnames, ' ') < 0)
		return LSR_ENOMEM;
	if (buf_add(acc->surnames, acc->one->s, acc->one->len) < 0)
		return LSR_ENOMEM;
	if (screen_norm_given(acc->one, s) < 0)
		return LSR_ENOMEM;
	if ((acc->given->len && buf_addc(acc->given, ' ') < 0) ||
	    (acc->one->len ? buf_add(acc->given, acc->one->s, acc->one->len) : buf_addc(acc->given, '-')) < 0)
		return LSR_ENOMEM;
	acc->count++;
	return 0;
}

/* The numbers of a normalised title, in order: each run of digits
 * ("glp 1", "ca2": 1, 2) and each Roman numeral word ("phase iii"). */
static uint64_t numbers_hash(const char *t)
{
	static const char *const romans[] = { "ii", "iii", "iv", "vi", "vii", "viii", "ix" };
	uint64_t h = 0;
	const char *p = t;

	while (*p) {
		const char *w = p;
		size_t n;
		int roman = 0;

		while (*p && *p != ' ')
			p++;
		n = (size_t)(p - w);
		for (size_t i = 0; i < sizeof(romans) / sizeof(romans[0]); i++)
			roman |= strlen(romans[i]) == n && !memcmp(romans[i], w, n);
		if (roman)
			h = hash_bytes(h + 7, w, n);
		for (const char *q = w; q < p;) {
			const char *d = q;

			while (q < p && *q >= '0' && *q <= '9')
				q++;
			if (q > d)
				h = hash_bytes(h + 11, d, (size_t)(q - d));
			else
				q++;
		}
		while (*p == ' ')
			p++;
	}
	return h;
}

static const char load_sql[] =
	"SELECT r.id, m.citation_id, r.title, r.authors, r.year, r.journal, r.journal_abbrev,"
	" r.volume, r.issue, r.pages, r.doi, r.pmid, r.pmcid, r.other_ids, r.ref_type,"
	" r.publication_types, length(r.abstract), u.source_id, r.source_record_id,"
	" c.representative_id, m.pass"
	" FROM dedup_records r JOIN runs u ON u.id = r.run_id"
	" LEFT JOIN citation_members m ON m.record_id = r.id"
	" LEFT JOIN citations c ON c.id = m.citation_id"
	" ORDER BY r.id";

struct scratch {
	struct buf t, fp, s, g, one, tmp;
};

static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

/* A journal name as compared: without a leading "The" and a "(...)"
 * part ("BMJ (Clinical research ed.)"), normalised. */
static int norm_journal(struct buf *out, const char *s)
{
	const char *paren = strchr(s, '(');
	size_t n = paren && paren > s ? (size_t)(paren - s) : strlen(s);

	if (!strncasecmp(s, "the ", 4) && n > 4)
		s += 4, n -= 4;
	return screen_norm_text(out, s, n);
}

static int load_one(struct run *r, sqlite3_stmt *st, struct scratch *x)
{
	struct drec *d;
	uint32_t idx = (uint32_t)r->n;
	struct author_acc acc;
	const char *s;
	int rc;

	if (ARRAY_GROW(r->recs, r->n, r->alloc, 1024) < 0)
		return LSR_ENOMEM;
	d = &r->recs[r->n];
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(st, 0);
	d->citation = sqlite3_column_int64(st, 1);
	d->old_rep = sqlite3_column_int64(st, 19);
	d->was_unique = d->citation && !strcmp(col(st, 20), "new");
	/* title */
	s = col(st, 2);
	if ((rc = screen_norm_title(&x->t, s)) < 0)
		return rc;
	if (x->t.len > 1000)
		buf_setlen(&x->t, 1000);
	if ((rc = arena_add(&r->arena, x->t.s, x->t.len, &d->title)) < 0)
		return rc;
	d->title_len = (uint16_t)x->t.len;
	buf_reset(&x->fp);
	for (size_t i = 0; i < x->t.len; i++)
		if (x->t.s[i] != ' ')
			buf_addc(&x->fp, x->t.s[i]);
	d->h_numbers = numbers_hash(x->t.s);
	d->generic = x->fp.len < 20;
	/* authors */
	buf_reset(&x->s);
	buf_reset(&x->g);
	memset(&acc, 0, sizeof(acc));
	acc.surnames = &x->s;
	acc.given = &x->g;
	acc.one = &x->one;
	if ((rc = json_strings((const char *)sqlite3_column_text(st, 3), &x->tmp, add_author, &acc)) < 0)
		return rc;
	d->nauthors = (uint16_t)acc.count;
	if ((rc = arena_add(&r->arena, x->s.s, x->s.len, &d->authors)) < 0 ||
	    (rc = arena_add(&r->arena, x->g.s, x->g.len, &d->given)) < 0)
		return rc;
	d->year = (int16_t)sqlite3_column_int(st, 4);
	/* journal */
	if ((rc = norm_journal(&x->one, col(st, 5))) < 0 ||
	    (rc = arena_add(&r->arena, x->one.s, x->one.len, &d->journal)) < 0)
		return rc;
	if ((rc = norm_journal(&x->one, col(st, 6))) < 0 ||
	    (rc = arena_add(&r->arena, x->one.s, x->one.len, &d->journal2)) < 0)
		return rc;
	/* volume, issue, pages */
	if ((rc = screen_norm_text(&x->one, col(st, 7), strlen(col(st, 7)))) < 0 ||
	    (rc = arena_add(&r->arena, x->one.s, x->one.len, &d->volume)) < 0)
		return rc;
	if ((rc = screen_norm_text(&x->one, col(st, 8), strlen(col(st, 8)))) < 0)
		return rc;
	/* an "issue" above 60 is a record number some exports put there
	 * (EndNote's); weekly journals' big issue numbers are lost with them */
	if (atol(x->one.s) > 60)
		buf_reset(&x->one);
	if ((rc = arena_add(&r->arena, x->one.s, x->one.len, &d->issue)) < 0)
		return rc;
	if ((rc = screen_norm_pages(&x->one, col(st, 9))) < 0 ||
	    (rc = arena_add(&r->arena, x->one.s, x->one.len, &d->pages)) < 0)
		return rc;
	/* identifiers */
	if ((rc = screen_norm_doi(&x->one, col(st, 10))) < 0)
		return rc;
	if (x->one.len) {
		d->h_doi = hash_bytes(K_DOI, x->one.s, x->one.len);
		if ((rc = add_key(r, idx, K_DOI, x->one.s, x->one.len)) < 0)
			return rc;
	}
	s = col(st, 11);
	if (*s) {
		char *end;
		long long v = strtoll(s, &end, 10);

		if (v > 0 && !*end) {
			d->pmid = v;
			if ((rc = add_key(r, idx, K_PMID, &v, sizeof(v))) < 0)
				return rc;
		}
	}
	s = col(st, 12);
	if (*s) {
		const char *p = s;

		if (!strncasecmp(p, "PMC", 3))
			p += 3;
		d->h_pmcid = hash_bytes(K_PMCID, p, strlen(p));
		if ((rc = add_key(r, idx, K_PMCID, p, strlen(p))) < 0)
			return rc;
	}
	s = col(st, 13);
	if (strcmp(s, "{}") && *s) {
		json_t *j = json_loads(s, 0, NULL), *arr, *v;
		const char *k;
		size_t i;

		json_object_foreach(j, k, arr) {
			json_array_foreach(arr, i, v) {
				if (!json_is_string(v))
					continue;
				buf_reset(&x->tmp);
				buf_printf(&x->tmp, "%s:%s", k, json_string_value(v));
				if ((rc = add_key(r, idx, K_ACC, x->tmp.s, x->tmp.len)) < 0) {
					json_decref(j);
					return rc;
				}
			}
		}
		json_decref(j);
	}
	if (sqlite3_column_type(st, 18) != SQLITE_NULL) {
		buf_reset(&x->tmp);
		buf_printf(&x->tmp, "src%lld:%s", (long long)sqlite3_column_int64(st, 17), col(st, 18));
		if ((rc = add_key(r, idx, K_ACC, x->tmp.s, x->tmp.len)) < 0)
			return rc;
	}
	d->kind = (uint8_t)screen_record_kind((const char *)sqlite3_column_text(st, 2),
					      (const char *)sqlite3_column_text(st, 14),
					      (const char *)sqlite3_column_text(st, 15));
	/* completeness: the representative has the fullest metadata */
	d->completeness = (d->title_len > 0) + (d->nauthors > 0) * 2 + (d->year > 0) +
			  (d->journal > 0) + (d->volume > 0) + (d->issue > 0) + (d->pages > 0) +
			  (d->h_doi != 0) * 2 + (d->pmid != 0) + (sqlite3_column_int(st, 16) > 0) * 2;
	/* blocking keys on the title and on bibliographic details */
	if (x->fp.len) {
		const char *first = x->s.s;
		size_t fl = strcspn(first, " ");
		const char *pages = r->arena.s + d->pages, *vol = r->arena.s + d->volume;
		size_t pl = screen_pages_first(pages, strlen(pages));

		if ((rc = add_key(r, idx, K_TITLE, x->fp.s, x->fp.len)) < 0)
			return rc;
		if (x->fp.len > AFFIX_LEN + 5 &&
		    ((rc = add_key(r, idx, K_PREFIX, x->fp.s, AFFIX_LEN)) < 0 ||
		     (rc = add_key(r, idx, K_SUFFIX, x->fp.s + x->fp.len - AFFIX_LEN, AFFIX_LEN)) < 0))
			return rc;
		buf_reset(&x->tmp);
		buf_printf(&x->tmp, "%s|%d|%.*s", x->fp.s, d->year, (int)fl, first);
		if ((rc = add_key(r, idx, K_TITLE_YEAR_AUTHOR, x->tmp.s, x->tmp.len)) < 0)
			return rc;
		/* first author, first page and year; volume, first page and the
		 * first author's initial: specific enough that blocks stay
		 * small in a million records, loose enough for a rewritten title */
		if (fl && pl) {
			buf_reset(&x->tmp);
			buf_printf(&x->tmp, "%.*s|%.*s|%d", (int)fl, first, (int)pl, pages, d->year);
			if ((rc = add_key(r, idx, K_AUTHOR_PAGE, x->tmp.s, x->tmp.len)) < 0)
				return rc;
		}
		if (*vol && pl) {
			buf_reset(&x->tmp);
			buf_printf(&x->tmp, "%s|%.*s|%c", vol, (int)pl, pages, fl ? first[0] : '-');
			if ((rc = add_key(r, idx, K_VOLUME_PAGE, x->tmp.s, x->tmp.len)) < 0)
				return rc;
		}
		/* year, volume, first page and the journal's initial, without
		 * the author: records without authors (older MEDLINE and
		 * Embase records) meet their twin */
		if (*vol && pl && d->year) {
			const char *jn = r->arena.s + (d->journal ? d->journal : d->journal2);

			buf_reset(&x->tmp);
			buf_printf(&x->tmp, "%d|%s|%.*s|%c", d->year, vol, (int)pl, pages, *jn ? *jn : '-');
			if ((rc = add_key(r, idx, K_YEAR_VOLUME_PAGE, x->tmp.s, x->tmp.len)) < 0)
				return rc;
		}
	} else {
		const char *first = x->s.s;
		size_t fl = strcspn(first, " ");
		const char *pages = r->arena.s + d->pages;
		size_t pl = screen_pages_first(pages, strlen(pages));

		if (fl && pl) {
			buf_reset(&x->tmp);
			buf_printf(&x->tmp, "%.*s|%.*s", (int)fl, first, (int)pl, pages);
			if ((rc = add_key(r, idx, K_AUTHOR_PAGE, x->tmp.s, x->tmp.len)) < 0)
				return rc;
		}
	}
	r->n++;
	return 0;
}

static int load(struct run *r)
{
	sqlite3_stmt *st = db_prepare(r->db, load_sql);
	struct scratch x;
	int rc = 0, step;

	if (!st)
		return lsr_error_last_code();
	memset(&x, 0, sizeof(x));
	buf_init(&x.t, 0);
	buf_init(&x.fp, 0);
	buf_init(&x.s, 0);
	buf_init(&x.g, 0);
	buf_init(&x.one, 0);
	buf_init(&x.tmp, 0);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = load_one(r, st, &x)) < 0)
			break;
		if ((r->n & 8191) == 0) {
			if ((rc = lsr_check_interrupt()) < 0)
				break;
			progress_report(r->progress, "reading records", r->n, 0, "records");
		}
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(r->db, load_sql);
	sqlite3_reset(st);
	buf_release(&x.t);
	buf_release(&x.fp);
	buf_release(&x.s);
	buf_release(&x.g);
	buf_release(&x.one);
	buf_release(&x.tmp);
	if (rc < 0)
		return rc;
	return 0;
}

/* ---- candidate pairs --------------------------------------------------- */

static int emit_pair(struct run *r, uint32_t a, uint32_t b, int acc)
{
	if (a == b || (r->recs[a].citation && r->recs[b].citation))
		return 0;
	if (a > b) {
		uint32_t t = a;

		a = b;
		b = t;
	}
	if (ARRAY_GROW(r->pairs, r->npairs, r->pairs_alloc, 1 << 16) < 0)
		return LSR_ENOMEM;
	r->pairs[r->npairs++] = ((uint64_t)a << 32) | ((uint64_t)b << 1) | (uint64_t)(acc != 0);
	return 0;
}

static int block(struct run *r)
{
	size_t i = 0;
	int rc;

	if (r->nkeys && (rc = sort_keys(r->keys, r->nkeys)) < 0)
		return rc;
	while (i < r->nkeys) {
		size_t j = i + 1, m, cap = r->keys[i].type <= K_ACC ? ID_BLOCK_CAP : BLOCK_CAP;
		int anynew = !r->recs[r->keys[i].idx].citation;

		while (j < r->nkeys && r->keys[j].k == r->keys[i].k) {
			anynew |= !r->recs[r->keys[j].idx].citation;
			j++;
		}
		m = j - i;
		if (m >= 2 && anynew && m <= cap) {
			for (size_t a = i; a < j; a++)
				for (size_t b = a + 1; b < j; b++)
					if ((rc = emit_pair(r, r->keys[a].idx, r->keys[b].idx,
							    r->keys[i].type == K_ACC)) < 0)
						return rc;
		}
		i = j;
	}
	free(r->keys);
	r->keys = NULL;
	r->nkeys = r->keys_alloc = 0;
	if (r->npairs && (rc = sort_u64(r->pairs, r->npairs)) < 0)
		return rc;
	/* unique, OR-ing the shared-accession bit */
	{
		size_t o = 0;

		for (size_t k = 0; k < r->npairs; k++) {
			if (o && (r->pairs[o - 1] >> 1) == (r->pairs[k] >> 1))
				r->pairs[o - 1] |= r->pairs[k] & 1;
			else
				r->pairs[o++] = r->pairs[k];
		}
		r->npairs = o;
	}
	return 0;
}

/* ---- comparing (threads) ------------------------------------------------ */

struct worker {
	struct run *r;
	struct cand *out;
	size_t nout, alloc;
	int rc;
};

static void compare_range(void *payload, size_t t, size_t from, size_t to)
{
	struct worker *w = (struct worker *)payload + t;
	struct run *r = w->r;

	for (size_t k = from; k < to; k++) {
		uint64_t p = r->pairs[k];
		uint32_t a = (uint32_t)(p >> 32), b = (uint32_t)((p >> 1) & 0x7fffffff);
		struct dpair_result res;

		dedup_compare(&r->recs[a], &r->recs[b], r->arena.s, (int)(p & 1), &res);
		if (res.cls == DPAIR_DIFFERENT)
			continue;
		if (ARRAY_GROW(w->out, w->nout, w->alloc, 4096) < 0) {
			w->rc = LSR_ENOMEM;
			return;
		}
		w->out[w->nout].pair = p;
		w->out[w->nout].r = res;
		w->nout++;
	}
}

static int compare_all(struct run *r, int nthreads)
{
	struct worker w[8];
	int rc = 0;

	if (nthreads < 1)
		nthreads = 2;
	if (nthreads > 8)
		nthreads = 8;
	if (r->npairs < 20000)
		nthreads = 1;
	memset(w, 0, sizeof(w));
	for (int t = 0; t < nthreads; t++)
		w[t].r = r;
	par_for(r->npairs, (size_t)nthreads, compare_range, w);
	for (int t = 0; t < nthreads; t++) {
		if (w[t].rc < 0)
			rc = lsr_error_oom();
		for (size_t k = 0; rc == 0 && k < w[t].nout; k++) {
			if (ARRAY_GROW(r->cands, r->ncands, r->cands_alloc, 4096) < 0) {
				rc = LSR_ENOMEM;
				break;
			}
			r->cands[r->ncands++] = w[t].out[k];
		}
		free(w[t].out);
	}
	return rc;
}

/* ---- clustering -------------------------------------------------------- */

static uint32_t find(struct run *r, uint32_t x)
{
	uint32_t root = x;

	while (r->parent[root] != root)
		root = r->parent[root];
	while (r->parent[x] != root) {
		uint32_t next = r->parent[x];

		r->parent[x] = root;
		x = next;
	}
	return root;
}

static uint8_t kind_class(uint8_t kind)
{
	switch (kind) {
	case SCREEN_KIND_ERRATUM: return 1 << 1;
	case SCREEN_KIND_RETRACTION: return 1 << 2;
	case SCREEN_KIND_COMMENT: return 1 << 3;
	default: return 1 << 0; /* articles and abstracts */
	}
}

/* Why groups ra and rb may not be merged: 0 they may, 1 identifiers or
 * kinds conflict or an uncertain pair lies between them (a person should
 * look), 2 a person decided so.  Constraints are kept on both sides, so
 * one side's list suffices. */
static int merge_blocked(struct run *r, uint32_t ra, uint32_t rb)
{
	uint8_t k = r->g_kinds[ra] | r->g_kinds[rb];

	int soft = 0;

	for (int32_t c = r->con_head[ra]; c >= 0; c = r->cons[c].next)
		if (find(r, r->cons[c].partner) == rb) {
			if (r->cons[c].person)
				return 2;
			soft = 1;
		}
	if (soft)
		return 1;
	if (r->g_doi[ra] && r->g_doi[rb] && r->g_doi[ra] != r->g_doi[rb])
		return 1;
	if (r->g_pmid[ra] && r->g_pmid[rb] && r->g_pmid[ra] != r->g_pmid[rb])
		return 1;
	if (k & (k - 1))
		return 1;
	return 0;
}

static uint32_t unite(struct run *r, uint32_t ra, uint32_t rb)
{
	int32_t c;

	if (r->size[ra] < r->size[rb]) {
		uint32_t t = ra;

		ra = rb;
		rb = t;
	}
	r->parent[rb] = ra;
	r->size[ra] += r->size[rb];
	if (!r->g_doi[ra])
		r->g_doi[ra] = r->g_doi[rb];
	if (!r->g_pmid[ra])
		r->g_pmid[ra] = r->g_pmid[rb];
	r->g_kinds[ra] |= r->g_kinds[rb];
	/* append rb's constraints to ra's */
	if (r->con_head[rb] >= 0) {
		if (r->con_head[ra] < 0) {
			r->con_head[ra] = r->con_head[rb];
		} else {
			for (c = r->con_head[ra]; r->cons[c].next >= 0; c = r->cons[c].next)
				;
			r->cons[c].next = r->con_head[rb];
		}
		r->con_head[rb] = -1;
	}
	return ra;
}

static int index_of(const struct run *r, int64_t id, uint32_t *out)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->recs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->n && r->recs[lo].id == id) {
		*out = (uint32_t)lo;
		return 1;
	}
	return 0;
}

static int add_constraint_idx(struct run *r, uint32_t ia, uint32_t ib, int person)
{
	if (ia == ib)
		return 0;
	for (int k = 0; k < 2; k++) {
		uint32_t from = k ? ib : ia, to = k ? ia : ib;

		if (ARRAY_GROW(r->cons, r->ncons, r->cons_alloc, 64) < 0)
			return LSR_ENOMEM;
		r->cons[r->ncons].partner = to;
		r->cons[r->ncons].person = person;
		r->cons[r->ncons].next = r->con_head[from];
		r->con_head[from] = (int32_t)r->ncons;
		r->ncons++;
	}
	return 0;
}

static int add_constraint(struct run *r, int64_t a, int64_t b, int person)
{
	uint32_t ia, ib;

	if (!index_of(r, a, &ia) || !index_of(r, b, &ib))
		return 0;
	return add_constraint_idx(r, ia, ib, person);
}

/* What keeps records apart: people's decisions - the latest 'different'
 * on a pair (unless a later 'same' overrode it), and every split (each
 * record of a part against each record of every other part) - and, softly
 * (a merge across them goes to the queue instead), the uncertain pairs
 * waiting in the queue: a new record does not bridge two citations a
 * person was asked about.  Within one run, uncertain pairs do not block:
 * strong links are applied first and carry the decision. */
static int load_constraints(struct run *r)
{
	static const char sql[] =
		"SELECT d.kind, d.record_a, d.record_b, d.parts FROM dedup_decisions d"
		" WHERE d.kind = 'split' OR (d.kind = 'different' AND d.id = (SELECT max(e.id)"
		"  FROM dedup_decisions e WHERE e.record_a = d.record_a AND e.record_b = d.record_b"
		"  AND e.kind IN ('same', 'different')))";
	static const char qsql[] =
		"SELECT q.record_a, q.record_b FROM dedup_queue q WHERE NOT EXISTS"
		" (SELECT 1 FROM dedup_decisions d WHERE d.record_a = q.record_a"
		"  AND d.record_b = q.record_b AND d.kind IN ('same', 'different'))";
	sqlite3_stmt *st = db_prepare(r->db, sql);
	int rc = 0, step;

	if (!st)
		return lsr_error_last_code();
	while ((step = sqlite3_step(st)) == SQLITE_ROW && rc == 0) {
		if (!strcmp(col(st, 0), "different")) {
			rc = add_constraint(r, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), 1);
		} else {
			json_t *parts = json_loads(col(st, 3), 0, NULL);
			size_t np = json_array_size(parts);

			for (size_t i = 0; rc == 0 && i < np; i++)
				for (size_t j = i + 1; rc == 0 && j < np; j++) {
					json_t *pi = json_array_get(parts, i), *pj = json_array_get(parts, j);

					/* every member: any of them may have left the review */
					for (size_t x = 0; rc == 0 && x < json_array_size(pi); x++)
						for (size_t y = 0; rc == 0 && y < json_array_size(pj); y++)
							rc = add_constraint(r, json_integer_value(json_array_get(pi, x)),
									    json_integer_value(json_array_get(pj, y)), 1);
				}
			json_decref(parts);
		}
	}
	if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = db_error(r->db, sql);
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	/* pairs waiting in the queue: no new record may bridge them */
	st = db_prepare(r->db, qsql);
	if (!st)
		return lsr_error_last_code();
	while ((step = sqlite3_step(st)) == SQLITE_ROW && rc == 0)
		rc = add_constraint(r, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), 0);
	if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = db_error(r->db, qsql);
	sqlite3_reset(st);
	return rc;
}

static int cand_order(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	int pa = a->r.rule >= RULE_DOI && a->r.rule <= RULE_ACCESSION ? a->r.rule : 100;
	int pb = b->r.rule >= RULE_DOI && b->r.rule <= RULE_ACCESSION ? b->r.rule : 100;

	if (a->r.cls != b->r.cls)
		return a->r.cls > b->r.cls ? -1 : 1;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	if (a->r.score != b->r.score)
		return a->r.score > b->r.score ? -1 : 1;
	return a->pair < b->pair ? -1 : a->pair > b->pair;
}

static int cluster(struct run *r)
{
	size_t n = r->n ? r->n : 1;
	int rc;

	r->parent = malloc(n * sizeof(*r->parent));
	r->size = malloc(n * sizeof(*r->size));
	r->g_doi = malloc(n * sizeof(*r->g_doi));
	r->g_pmid = malloc(n * sizeof(*r->g_pmid));
	r->g_kinds = malloc(n);
	r->con_head = malloc(n * sizeof(*r->con_head));
	if (!r->parent || !r->size || !r->g_doi || !r->g_pmid || !r->g_kinds || !r->con_head)
		return lsr_error_oom();
	for (size_t i = 0; i < r->n; i++) {
		r->parent[i] = (uint32_t)i;
		r->size[i] = 1;
		r->g_doi[i] = r->recs[i].h_doi;
		r->g_pmid[i] = r->recs[i].pmid;
		r->g_kinds[i] = kind_class(r->recs[i].kind);
		r->con_head[i] = -1;
	}
	if ((rc = load_constraints(r)) < 0)
		return rc;
	/* existing citations are groups already (records sorted by id, so the
	 * first member seen of a citation is its lowest record) */
	{
		uint64_t *cit = malloc(n * sizeof(*cit));
		size_t nc = 0;

		if (!cit)
			return lsr_error_oom();
		for (size_t i = 0; i < r->n; i++)
			if (r->recs[i].citation)
				cit[nc++] = ((uint64_t)r->recs[i].citation << 24) | i;
		if (r->n >= (1u << 24) || (nc && sort_u64(cit, nc) < 0)) {
			free(cit);
			return r->n >= (1u << 24) ? lsr_error_set(LSR_ERROR, "too many records for one dedup run")
						  : LSR_ENOMEM;
		}
		for (size_t k = 1; k < nc; k++)
			if ((cit[k] >> 24) == (cit[k - 1] >> 24)) {
				uint32_t a = find(r, (uint32_t)(cit[k - 1] & 0xffffff));
				uint32_t b = find(r, (uint32_t)(cit[k] & 0xffffff));

				if (a != b)
					unite(r, a, b);
			}
		free(cit);
	}
	if (r->ncands)
		qsort(r->cands, r->ncands, sizeof(*r->cands), cand_order);
	for (size_t k = 0; k < r->ncands; k++) {
		struct cand *c = &r->cands[k];
		uint32_t a = (uint32_t)(c->pair >> 32), b = (uint32_t)((c->pair >> 1) & 0x7fffffff);
		uint32_t ra = find(r, a), rb = find(r, b);
		int why;

		if (c->r.cls != DPAIR_SAME)
			break;
		if (ra == rb)
			continue;
		why = merge_blocked(r, ra, rb);
		if (why == 1) {
			/* a person should look at it */
			c->r.cls = DPAIR_UNCERTAIN;
			c->r.rule = RULE_GROUP_CONFLICT;
			continue;
		}
		if (why == 2) {
			c->r.cls = DPAIR_DIFFERENT;
			continue;
		}
		unite(r, ra, rb);
		if (ARRAY_GROW(r->links, r->nlinks, r->links_alloc, 1024) < 0)
			return LSR_ENOMEM;
		r->links[r->nlinks].a = a;
		r->links[r->nlinks].b = b;
		r->links[r->nlinks].r = c->r;
		r->links[r->nlinks].json = NULL;
		r->nlinks++;
	}
	return 0;
}

/* ---- writing ----------------------------------------------------------- */

struct cit_count {
	uint32_t root;
	uint32_t count;
	int64_t citation;
};

static int cc_order(const void *x, const void *y)
{
	const struct cit_count *a = x, *b = y;

	if (a->root != b->root)
		return a->root < b->root ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->citation < b->citation ? -1 : a->citation > b->citation;
}

static int write_link(struct run *r, struct link *l, struct buf *js)
{
	static const char sql[] =
		"INSERT INTO dedup_links(record_a, record_b, pass, rule, score, scores, run_id, at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = db_prepare(r->db, sql);

	if (!st)
		return lsr_error_last_code();
	buf_reset(js);
	if (dedup_fields_json(js, &l->r.f) < 0)
		return lsr_error_last_code();
	l->json = xstrndup(js->s, js->len);
	if (!l->json)
		return LSR_ENOMEM;
	sqlite3_bind_int64(st, 1, r->recs[l->a].id);
	sqlite3_bind_int64(st, 2, r->recs[l->b].id);
	db_bind_text(st, 3, dedup_rule_pass(l->r.rule));
	db_bind_text(st, 4, dedup_rule_name(l->r.rule));
	sqlite3_bind_double(st, 5, l->r.score);
	db_bind_text(st, 6, js->s);
	sqlite3_bind_int64(st, 7, r->run_id);
	db_bind_text(st, 8, r->now);
	return db_step_done(r->db, st);
}

/* What write_results() works out per group root (record index). */
struct results {
	int64_t *root_cit;     /* the group's citation id (0: none yet) */
	uint32_t *best;        /* the group's representative */
	int32_t *first_link;   /* per record: its first link, -1 none */
	struct buf js;         /* scratch for JSON text */
};

/* Groups that joined several existing citations: the largest keeps its
 * id, the others are merged into it.  Sets root_cit of every group that
 * has an existing citation. */
static int merge_existing(struct run *r, struct results *w, struct screen_dedup_result *out)
{
	struct cit_count *cc = malloc((r->n + 1) * sizeof(*cc));
	size_t ncc = 0, o = 0;
	sqlite3_stmt *st;
	int rc = 0;

	if (!cc)
		return lsr_error_oom();
	for (size_t i = 0; i < r->n; i++) {
		if (!r->recs[i].citation)
			continue;
		cc[ncc].root = find(r, (uint32_t)i);
		cc[ncc].citation = r->recs[i].citation;
		cc[ncc].count = 1;
		ncc++;
	}
	/* count members per (root, citation), then largest first per root */
	qsort(cc, ncc, sizeof(*cc), cc_order);
	for (size_t k = 0; k < ncc; k++) {
		if (o && cc[o - 1].root == cc[k].root && cc[o - 1].citation == cc[k].citation)
			cc[o - 1].count++;
		else
			cc[o++] = cc[k];
	}
	ncc = o;
	qsort(cc, ncc, sizeof(*cc), cc_order);
	for (size_t k = 0; k < ncc && rc == 0; k++) {
		int64_t into;

		if (k == 0 || cc[k].root != cc[k - 1].root) {
			w->root_cit[cc[k].root] = cc[k].citation;
			continue;
		}
		/* a second existing citation in the group: merged into the first */
		into = w->root_cit[cc[k].root];
		if (!(st = db_prepare(r->db, "UPDATE citations SET retired_at = ?1, retired_into = ?2 WHERE id = ?3"))) {
			rc = lsr_error_last_code();
			break;
		}
		db_bind_text(st, 1, r->now);
		sqlite3_bind_int64(st, 2, into);
		sqlite3_bind_int64(st, 3, cc[k].citation);
		if ((rc = db_step_done(r->db, st)) < 0)
			break;
		if (!(st = db_prepare(r->db, "UPDATE citation_members SET citation_id = ?1 WHERE citation_id = ?2"))) {
			rc = lsr_error_last_code();
			break;
		}
		sqlite3_bind_int64(st, 1, into);
		sqlite3_bind_int64(st, 2, cc[k].citation);
		if ((rc = db_step_done(r->db, st)) < 0 ||
		    (rc = screen_citations_merged(r->db, into, cc[k].citation, NULL)) < 0)
			break;
		out->citations_retired++;
	}
	free(cc);
	return rc;
}

/* A citation for every group without one, represented by its most
 * complete member (then the lowest id); existing citations whose best
 * member changed get it as their representative. */
static int write_citations(struct run *r, struct results *w, struct screen_dedup_result *out)
{
	sqlite3_stmt *st;
	int rc;

	for (size_t i = 0; i < r->n; i++) {
		uint32_t root = find(r, (uint32_t)i);

		if (w->best[root] == UINT32_MAX ||
		    r->recs[i].completeness > r->recs[w->best[root]].completeness)
			w->best[root] = (uint32_t)i;
	}
	progress_report(r->progress, "writing citations", 0, 0, "citations");
	for (size_t i = 0; i < r->n; i++) {
		uint32_t root = find(r, (uint32_t)i);

		if (w->root_cit[root])
			continue;
		st = db_prepare(r->db, "INSERT INTO citations(representative_id, created_at, created_run)"
				       " VALUES(?1, ?2, ?3)");
		if (!st)
			return lsr_error_last_code();
		sqlite3_bind_int64(st, 1, r->recs[w->best[root]].id);
		db_bind_text(st, 2, r->now);
		sqlite3_bind_int64(st, 3, r->run_id);
		if ((rc = db_step_done(r->db, st)) < 0)
			return rc;
		w->root_cit[root] = db_last_id(r->db);
		out->citations_new++;
	}
	/* representatives of existing citations that changed (first_link
	 * marks the roots done) */
	for (size_t i = 0; i < r->n; i++) {
		uint32_t root = find(r, (uint32_t)i);

		if (!r->recs[i].citation || r->recs[i].citation != w->root_cit[root] ||
		    w->first_link[root] == -2)
			continue;
		w->first_link[root] = -2;
		if (r->recs[i].old_rep == r->recs[w->best[root]].id)
			continue;
		st = db_prepare(r->db, "UPDATE citations SET representative_id = ?1 WHERE id = ?2");
		if (!st)
			return lsr_error_last_code();
		sqlite3_bind_int64(st, 1, r->recs[w->best[root]].id);
		sqlite3_bind_int64(st, 2, w->root_cit[root]);
		if ((rc = db_step_done(r->db, st)) < 0)
			return rc;
	}
	for (size_t i = 0; i < r->n; i++)
		w->first_link[i] = -1;
	return 0;
}

/* Every link, and each record's first link. */
static int write_links(struct run *r, struct results *w, struct screen_dedup_result *out)
{
	int rc;

	progress_report(r->progress, "writing links", 0, r->nlinks, "links");
	for (size_t k = 0; k < r->nlinks; k++) {
		if ((rc = write_link(r, &r->links[k], &w->js)) < 0)
			return rc;
		if (w->first_link[r->links[k].a] < 0)
			w->first_link[r->links[k].a] = (int32_t)k;
		if (w->first_link[r->links[k].b] < 0)
			w->first_link[r->links[k].b] = (int32_t)k;
	}
	out->merges = r->nlinks;
	return 0;
}

/* The membership of every record new to grouping, and of every record
 * that was alone and is linked now. */
static int write_members(struct run *r, struct results *w, struct screen_dedup_result *out)
{
	sqlite3_stmt *st;
	int rc;

	progress_report(r->progress, "writing members", 0, r->n, "records");
	for (size_t i = 0; i < r->n; i++) {
		const struct link *l = w->first_link[i] >= 0 ? &r->links[w->first_link[i]] : NULL;
		uint32_t root = find(r, (uint32_t)i);
		int isnew = !r->recs[i].citation;

		if (!isnew && !(r->recs[i].was_unique && l))
			continue;
		if (isnew)
			st = db_prepare(r->db, "INSERT INTO citation_members(record_id, citation_id, pass, rule,"
					       " score, scores, matched_id, at, run_id)"
					       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
		else
			st = db_prepare(r->db, "UPDATE citation_members SET citation_id = ?2, pass = ?3, rule = ?4,"
					       " score = ?5, scores = ?6, matched_id = ?7, at = ?8, run_id = ?9"
					       " WHERE record_id = ?1");
		if (!st)
			return lsr_error_last_code();
		sqlite3_bind_int64(st, 1, r->recs[i].id);
		sqlite3_bind_int64(st, 2, w->root_cit[root]);
		if (l) {
			db_bind_text(st, 3, dedup_rule_pass(l->r.rule));
			db_bind_text(st, 4, dedup_rule_name(l->r.rule));
			sqlite3_bind_double(st, 5, l->r.score);
			sqlite3_bind_text(st, 6, l->json, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 7, r->recs[l->a == i ? l->b : l->a].id);
		} else {
			db_bind_text(st, 3, "new");
			db_bind_text(st, 4, "unique");
		}
		db_bind_text(st, 8, r->now);
		sqlite3_bind_int64(st, 9, r->run_id);
		if ((rc = db_step_done(r->db, st)) < 0)
			return rc;
		if (isnew)
			out->records_new++;
		if ((i & 8191) == 0 && (rc = lsr_check_interrupt()) < 0)
			return rc;
	}
	return 0;
}

/* The review queue: uncertain pairs still apart and not kept apart. */
static int write_queue(struct run *r, struct results *w, struct screen_dedup_result *out)
{
	sqlite3_stmt *st;
	int rc;

	progress_report(r->progress, "writing queue", 0, 0, "pairs");
	for (size_t k = 0; k < r->ncands; k++) {
		struct cand *c = &r->cands[k];
		uint32_t a = (uint32_t)(c->pair >> 32), b = (uint32_t)((c->pair >> 1) & 0x7fffffff);
		uint32_t ra, rb;

		if (c->r.cls != DPAIR_UNCERTAIN)
			continue;
		ra = find(r, a);
		rb = find(r, b);
		if (ra == rb || merge_blocked(r, ra, rb) == 2)
			continue;
		st = db_prepare(r->db, "INSERT OR IGNORE INTO dedup_queue(record_a, record_b, rule, score,"
				       " scores, run_id, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		if (!st)
			return lsr_error_last_code();
		buf_reset(&w->js);
		if (dedup_fields_json(&w->js, &c->r.f) < 0)
			return lsr_error_oom();
		sqlite3_bind_int64(st, 1, r->recs[a].id);
		sqlite3_bind_int64(st, 2, r->recs[b].id);
		db_bind_text(st, 3, dedup_rule_name(c->r.rule));
		sqlite3_bind_double(st, 4, c->r.score);
		db_bind_text(st, 5, w->js.s);
		sqlite3_bind_int64(st, 6, r->run_id);
		db_bind_text(st, 7, r->now);
		if ((rc = db_step_done(r->db, st)) < 0)
			return rc;
		out->queued += (uint64_t)sqlite3_changes(db_handle(r->db));
	}
	return 0;
}

/* Store the grouping: citations (merged, new, representatives), links,
 * memberships and the review queue. */
static int write_results(struct run *r, struct screen_dedup_result *out)
{
	struct results w = { NULL, NULL, NULL, BUF_INIT };
	int rc;

	w.root_cit = calloc(r->n + 1, sizeof(*w.root_cit));
	w.best = malloc((r->n + 1) * sizeof(*w.best));
	w.first_link = malloc((r->n + 1) * sizeof(*w.first_link));
	if (!w.root_cit || !w.best || !w.first_link) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < r->n; i++) {
		w.first_link[i] = -1;
		w.best[i] = UINT32_MAX;
	}
	if ((rc = merge_existing(r, &w, out)) < 0 ||
	    (rc = write_citations(r, &w, out)) < 0 ||
	    (rc = write_links(r, &w, out)) < 0 ||
	    (rc = write_members(r, &w, out)) < 0)
		goto out;
	rc = write_queue(r, &w, out);
out:
	free(w.root_cit);
	free(w.best);
	free(w.first_link);
	buf_release(&w.js);
	return rc;
}

static void run_release(struct run *r)
{
	free(r->arena.s);
	free(r->recs);
	free(r->keys);
	free(r->pairs);
	free(r->cands);
	free(r->parent);
	free(r->size);
	free(r->g_doi);
	free(r->g_pmid);
	free(r->g_kinds);
	free(r->con_head);
	free(r->cons);
	for (size_t k = 0; k < r->nlinks; k++)
		free(r->links[k].json);
	free(r->links);
}

/* Members' completeness (of records alias r), as the comparison weighs it
 * in C, for choosing representatives in SQL. */
#define COMPLETENESS_SQL \
	"(r.title IS NOT NULL) + 2 * (r.authors <> '[]') + (r.year IS NOT NULL)" \
	" + (r.journal IS NOT NULL) + (r.volume IS NOT NULL) + (r.issue IS NOT NULL)" \
	" + (r.pages IS NOT NULL) + 2 * (r.doi IS NOT NULL) + (r.pmid IS NOT NULL)" \
	" + 2 * (r.abstract IS NOT NULL)"

int dedup_choose_representative(struct lsr_db *db, int64_t citation)
{
	static const char sql[] =
		"UPDATE citations SET representative_id = (SELECT r.id FROM citation_members m"
		" JOIN records r ON r.id = m.record_id WHERE m.citation_id = ?1"
		" ORDER BY (r.id IN (SELECT id FROM dedup_records)) DESC, " COMPLETENESS_SQL " DESC, r.id"
		" LIMIT 1) WHERE id = ?1";
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	return db_step_done(db, st);
}

/* Citations whose representative was withdrawn or removed get the most
 * complete member that still takes part. */
static const char fix_representatives_sql[] =
	"UPDATE citations SET representative_id = (SELECT r.id FROM citation_members m"
	"  JOIN dedup_records r ON r.id = m.record_id WHERE m.citation_id = citations.id"
	"  ORDER BY " COMPLETENESS_SQL " DESC, r.id LIMIT 1)"
	" WHERE retired_at IS NULL"
	" AND representative_id NOT IN (SELECT id FROM dedup_records)"
	" AND EXISTS (SELECT 1 FROM citation_members m JOIN dedup_records d ON d.id = m.record_id"
	"  WHERE m.citation_id = citations.id)";

int screen_dedup_run(struct lsr_db *db, const struct screen_dedup_opts *opts,
		     struct screen_dedup_result *out)
{
	struct run r;
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.progress = opts ? opts->progress : NULL;
	clock_now_iso(r.now);
	/* a run reads every record and writes a row per record: a page cache
	 * of 256 MB (SQLite's default is 2 MB) keeps the B-trees in memory */
	if ((rc = db_cache_size(db, 262144)) < 0)
		return rc;
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	st = db_prepare(db, "INSERT INTO dedup_runs(started_at, actor, rules) VALUES(?1, ?2, ?3)");
	if (!st) {
		rc = lsr_error_last_code();
		goto fail;
	}
	db_bind_text(st, 1, r.now);
	db_bind_text(st, 2, db_actor());
	db_bind_text(st, 3, SCREEN_DEDUP_RULES);
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	r.run_id = db_last_id(db);
	{
		int64_t pending = 0;

		if ((rc = db_query_int(db, &pending,
				       "SELECT count(*) FROM dedup_records"
				       " WHERE id NOT IN (SELECT record_id FROM citation_members)")) < 0)
			goto fail;
		if (!pending) {
			/* nothing new: only representatives that left the review
			 * need a successor */
			if ((rc = db_exec(db, fix_representatives_sql)) < 0 ||
			    (rc = db_query_int(db, (int64_t *)&out->records_total,
					       "SELECT count(*) FROM citation_members m"
					       " JOIN dedup_records r ON r.id = m.record_id")) < 0)
				goto fail;
			goto counted;
		}
	}
	if ((rc = load(&r)) < 0)
		goto fail;
	progress_report(r.progress, "blocking", r.n, r.n, "records");
	if ((rc = block(&r)) < 0)
		goto fail;
	progress_report(r.progress, "comparing", 0, r.npairs, "pairs");
	if ((rc = compare_all(&r, opts ? opts->threads : 0)) < 0)
		goto fail;
	if ((rc = lsr_check_interrupt()) < 0)
		goto fail;
	progress_report(r.progress, "clustering", 0, r.ncands, "pairs");
	if ((rc = cluster(&r)) < 0)
		goto fail;
	progress_report(r.progress, "writing", 0, 0, "records");
	if ((rc = write_results(&r, out)) < 0)
		goto fail;
	out->records_total = r.n;
	out->comparisons = r.npairs;
counted:
	progress_report(r.progress, "counting", 0, 0, "citations");
	out->run_id = r.run_id;
	if ((rc = db_query_int(db, (int64_t *)&out->citations_live,
			       "SELECT count(*) FROM live_citations")) < 0)
		goto fail;
	st = db_prepare(db, "UPDATE dedup_runs SET finished_at = ?1, records_new = ?2, records_total = ?3,"
			    " comparisons = ?4, merges = ?5, queued = ?6, citations_new = ?7,"
			    " citations_retired = ?8 WHERE id = ?9");
	if (!st) {
		rc = lsr_error_last_code();
		goto fail;
	}
	clock_now_iso(r.now);
	db_bind_text(st, 1, r.now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)out->records_new);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)out->records_total);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)out->comparisons);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)out->merges);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)out->queued);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)out->citations_new);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)out->citations_retired);
	sqlite3_bind_int64(st, 9, r.run_id);
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	{
		char obj[48];

		snprintf(obj, sizeof(obj), "dedup run %lld", (long long)r.run_id);
		if ((rc = db_audit_json(db, "dedup", obj,
					json_pack("{s:I, s:I, s:I, s:I, s:I}",
						  "records_new", (json_int_t)out->records_new,
						  "merges", (json_int_t)out->merges,
						  "queued", (json_int_t)out->queued,
						  "citations_new", (json_int_t)out->citations_new,
						  "citations_retired", (json_int_t)out->citations_retired))) < 0)
			goto fail;
	}
	progress_report(r.progress, "committing", 0, 0, "records");
	if ((rc = db_txn_commit(db)) < 0)
		goto out;
	progress_report(r.progress, "done", 0, 0, "records");
	goto out;
fail:
	db_txn_rollback(db);
out:
	run_release(&r);
	db_cache_size(db, DB_CACHE_KIB); /* back to db_open's */
	return rc;
}
