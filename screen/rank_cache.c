/*
 * rank_cache.c - the feature cache of prioritised screening (see
 * rank_cache.h and db/migrations/0016_rank_features.sql).
 *
 * One call reads the cache table once, in citation order, beside the
 * citations asked for (also in citation order): a row whose text hash and
 * parameter fingerprint match is checked (unpacked once) and its packed
 * bytes kept in an arena, the others listed.  The listed citations are
 * then tokenised in parts (rank_raw_rows_make, on threads as
 * rank_feats_build), each part packed into the arena and let go, and
 * their rows written to the table from there.  The arena is the source of
 * lazy features (rank_feats_lazy): a row is unpacked and weighed whenever
 * it is read, so a ranking holds the packed rows (about 3.3 bytes a term)
 * rather than weighed ones (8 bytes a term: 2.9 GB at a million
 * citations).
 */
#include "rank_cache.h"
#include "../db/db.h"
#include "../util/err.h"
#include "../util/progress.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* ---- the text hash -------------------------------------------------------- */

static uint64_t fmix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/* Absorb n bytes of s into h, eight at a time (xxHash64's round). */
static uint64_t absorb(uint64_t h, const char *s, size_t n)
{
	const uint64_t p1 = 0x9E3779B185EBCA87ULL, p2 = 0xC2B2AE3D27D4EB4FULL;
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h ^= w * p2;
		h = ((h << 31) | (h >> 33)) * p1;
	}
	w = 0;
	memcpy(&w, s + i, n - i);
	h ^= (w * p2) ^ (uint64_t)n;
	return fmix(h * p1);
}

/* A field absorbed into h (NULL differs from empty; k: its place). */
static uint64_t absorb_field(uint64_t h, const char *f, int k)
{
	return f ? absorb(h, f, strlen(f)) : fmix(h ^ 0x4e554c4cULL) + (uint64_t)k;
}

uint64_t rank_cache_text_hash(const struct rank_text *doc)
{
	uint64_t h = 0x6c73722d72616e6bULL;

	h = absorb_field(h, doc->title, 0);
	h = absorb_field(h, doc->abstract, 1);
	return absorb_field(h, doc->keywords, 2);
}

uint64_t rank_cache_text_hash_src(const char *title, const char *abstract, const void *kw,
				  size_t kwlen)
{
	uint64_t h = 0x6c73722d72616e6bULL;

	h = absorb_field(h, title, 0);
	h = absorb_field(h, abstract, 1);
	return absorb(fmix(h ^ 0x6b77737263ULL), kw ? kw : "", kw ? kwlen : 0); /* "kwsrc" */
}

/* ---- packing ------------------------------------------------------------- */

static int put_varint(struct buf *out, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	return buf_add(out, b, n);
}

/* A varint at *p (below end) into *v: 0, or -1 when it runs past end or
 * is longer than 64 bits. */
static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		unsigned char b;

		if (*p >= end)
			return -1;
		b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

static void float_le(unsigned char out[4], float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	for (int k = 0; k < 4; k++)
		out[k] = (unsigned char)(u >> (8 * k));
}

static float le_float(const unsigned char in[4])
{
	uint32_t u = 0;
	float f;

	for (int k = 0; k < 4; k++)
		u |= (uint32_t)in[k] << (8 * k);
	memcpy(&f, &u, 4);
	return f;
}

/* Distinct counts of a row: few (a term's count is a small sum of the
 * field weights), so a linear search; compared bit for bit. */
#define MAX_DICT 4096

int rank_cache_pack(struct buf *out, const uint32_t *bucket, const float *tf, size_t n)
{
	uint32_t dict[MAX_DICT];
	uint16_t *idx = NULL;
	size_t d = 0;
	uint32_t prev = 0;
	int rc = 0;

	if (n && !(idx = malloc(n * sizeof(*idx))))
		return LSR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint32_t u;
		size_t k = 0;

		memcpy(&u, &tf[i], 4);
		while (k < d && dict[k] != u)
			k++;
		if (k == d) {
			if (d == MAX_DICT) { /* cannot happen with real weights */
				free(idx);
				return lsr_error_set(LSR_ERROR, "a citation has more than %d distinct term counts",
						     MAX_DICT);
			}
			dict[d++] = u;
		}
		idx[i] = (uint16_t)k;
	}
	rc |= put_varint(out, n);
	rc |= put_varint(out, d);
	for (size_t k = 0; k < d && rc == 0; k++) {
		unsigned char b[4];
		float f;

		memcpy(&f, &dict[k], 4);
		float_le(b, f);
		rc |= buf_add(out, b, 4);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (i && bucket[i] <= prev) {
			free(idx);
			return lsr_error_set(LSR_ERROR, "raw counts not in bucket order");
		}
		rc |= put_varint(out, bucket[i] - (i ? prev : 0));
		if (d > 1)
			rc |= put_varint(out, idx[i]);
		prev = bucket[i];
	}
	free(idx);
	return rc ? LSR_ENOMEM : 0;
}

int rank_cache_packed_terms(size_t *n, const void *data, size_t len)
{
	const unsigned char *p = data, *end = p + len;
	uint64_t v;

	if (!data || get_varint(&p, end, &v) < 0 || v > len)
		return LSR_EPARSE;
	*n = (size_t)v;
	return 0;
}

int rank_cache_unpack(uint32_t *bucket, float *tf, size_t room, size_t *n, const void *data,
		      size_t len)
{
	const unsigned char *p = data, *end = p + len;
	float dict[MAX_DICT];
	uint64_t nn, d, at = 0;

	*n = 0;
	if (!data || get_varint(&p, end, &nn) < 0 || nn > room ||
	    get_varint(&p, end, &d) < 0 || d > MAX_DICT || (nn && !d) ||
	    (size_t)(end - p) < d * 4)
		return LSR_EPARSE;
	for (uint64_t k = 0; k < d; k++, p += 4)
		dict[k] = le_float(p);
	for (uint64_t i = 0; i < nn; i++) {
		uint64_t gap, k = 0;

		if (get_varint(&p, end, &gap) < 0 || (i && gap == 0) || gap >= RANK_DIM ||
		    (d > 1 && (get_varint(&p, end, &k) < 0 || k >= d)))
			return LSR_EPARSE;
		at += gap;
		if (at >= RANK_DIM)
			return LSR_EPARSE;
		bucket[i] = (uint32_t)at;
		tf[i] = dict[k];
	}
	if (p != end)
		return LSR_EPARSE;
	*n = (size_t)nn;
	return 0;
}

/* ---- the cache ------------------------------------------------------------ */

/* Packed rows one after another, row i's size[i] bytes at data + at[i]
 * (rows not yet there: size 0); the source of lazy features. */
struct arena {
	unsigned char *data;
	size_t len, alloc;
	size_t *at;       /* n */
	uint32_t *size;   /* n */
	size_t n;
	size_t terms;     /* all rows' */
	size_t max_terms; /* the longest row's */
};

static void arena_release(void *ctx)
{
	struct arena *a = ctx;

	if (!a)
		return;
	free(a->data);
	free(a->at);
	free(a->size);
	free(a);
}

static struct arena *arena_new(size_t n)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->n = n;
	a->at = calloc(n ? n : 1, sizeof(*a->at));
	a->size = calloc(n ? n : 1, sizeof(*a->size));
	if (!a->at || !a->size) {
		arena_release(a);
		return NULL;
	}
	return a;
}

/* Row i's packed bytes (terms entries) into a. */
static int arena_put(struct arena *a, size_t i, const void *data, size_t len, size_t terms)
{
	if (len > UINT32_MAX)
		return lsr_error_set(LSR_ERROR, "feature cache: a row of %zu bytes", len);
	if (a->len + len > a->alloc) {
		size_t na = a->alloc ? a->alloc : (size_t)1 << 20;
		unsigned char *p;

		while (na < a->len + len)
			na *= 2;
		if (!(p = realloc(a->data, na)))
			return LSR_ENOMEM;
		a->data = p;
		a->alloc = na;
	}
	if (len)
		memcpy(a->data + a->len, data, len);
	a->at[i] = a->len;
	a->size[i] = (uint32_t)len;
	a->len += len;
	a->terms += terms;
	if (terms > a->max_terms)
		a->max_terms = terms;
	return 0;
}

static int arena_get(void *ctx, size_t i, uint32_t *bucket, float *tf, size_t room, size_t *n)
{
	const struct arena *a = ctx;

	return rank_cache_unpack(bucket, tf, room, n, a->data + a->at[i], a->size[i]);
}

/* Room to unpack rows of up to terms entries into (a check of a row). */
struct scratch {
	uint32_t *bucket;
	float *tf;
	size_t room;
};

static int scratch_room(struct scratch *s, size_t terms)
{
	uint32_t *b;
	float *t;
	size_t na = s->room ? s->room : 1024;

	if (terms <= s->room)
		return 0;
	while (na < terms)
		na *= 2;
	if (!(b = realloc(s->bucket, na * sizeof(*b))))
		return LSR_ENOMEM;
	s->bucket = b;
	if (!(t = realloc(s->tf, na * sizeof(*t))))
		return LSR_ENOMEM;
	s->tf = t;
	s->room = na;
	return 0;
}

/* Read the table beside ids: hits into a, the rest into miss[], rows of
 * citations not in ids into stale[]. */
static int scan(struct arena *a, size_t *miss, size_t *nmiss, int64_t **stale, size_t *nstale,
		struct rank_cache_stats *s, struct lsr_db *db, const int64_t *ids,
		const uint64_t *th, size_t n, uint64_t fp, const struct lsr_progress *progress)
{
	static const char sql[] =
		"SELECT citation_id, text_hash, params, data FROM screen_rank_features"
		" ORDER BY citation_id";
	sqlite3_stmt *st = db_prepare(db, sql);
	struct scratch sc = { NULL, NULL, 0 };
	size_t i = 0, stale_alloc = 0;
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		const void *data;
		size_t len, terms, got;

		while (i < n && ids[i] < cid)
			miss[(*nmiss)++] = i++;
		if (i == n || ids[i] != cid) {
			if (*nstale == stale_alloc) {
				size_t na = stale_alloc ? stale_alloc * 2 : 256;
				int64_t *p = realloc(*stale, na * sizeof(*p));

				if (!p) {
					rc = LSR_ENOMEM;
					break;
				}
				*stale = p;
				stale_alloc = na;
			}
			(*stale)[(*nstale)++] = cid;
			continue;
		}
		if ((i & 0xffff) == 0)
			progress_report(progress, "ranking: reading the feature cache", i, n,
					"citations");
		data = sqlite3_column_blob(st, 3);
		len = (size_t)sqlite3_column_bytes(st, 3);
		s->bytes_read += len;
		if ((uint64_t)sqlite3_column_int64(st, 1) == th[i] &&
		    (uint64_t)sqlite3_column_int64(st, 2) == fp &&
		    rank_cache_packed_terms(&terms, data, len) == 0) {
			if ((rc = scratch_room(&sc, terms)) < 0)
				break;
			/* a damaged row is made again */
			if (rank_cache_unpack(sc.bucket, sc.tf, terms, &got, data, len) == 0) {
				if ((rc = arena_put(a, i, data, len, got)) < 0)
					break;
				s->hits++;
				i++;
				continue;
			}
		}
		miss[(*nmiss)++] = i++;
	}
	if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = db_error(db, sql);
	sqlite3_reset(st);
	free(sc.bucket);
	free(sc.tf);
	if (rc < 0)
		return rc;
	while (i < n)
		miss[(*nmiss)++] = i++;
	return 0;
}

/* Write the rows made (those of citations miss[0..nmiss), packed in a)
 * and delete the stale ones. */
static int store(struct lsr_db *db, struct rank_cache_stats *s, const struct arena *a,
		 const size_t *miss, size_t nmiss, const int64_t *ids, const uint64_t *th,
		 uint64_t fp, const int64_t *stale, size_t nstale)
{
	static const char sql_put[] =
		"INSERT OR REPLACE INTO screen_rank_features(citation_id, text_hash, params, terms, data)"
		" VALUES(?1, ?2, ?3, ?4, ?5)";
	static const char sql_del[] = "DELETE FROM screen_rank_features WHERE citation_id = ?1";
	int rc = db_txn_begin(db);

	if (rc < 0)
		return rc;
	for (size_t k = 0; k < nmiss && rc == 0; k++) {
		size_t i = miss[k], terms = 0;
		const unsigned char *data = a->data + a->at[i];
		sqlite3_stmt *st;

		if ((rc = rank_cache_packed_terms(&terms, data, a->size[i])) < 0)
			break;
		if (!(st = db_prepare(db, sql_put))) {
			rc = lsr_error_last_code();
			break;
		}
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)th[i]);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)fp);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)terms);
		sqlite3_bind_blob(st, 5, data, (int)a->size[i], SQLITE_STATIC);
		rc = db_step_done(db, st);
		s->bytes_written += a->size[i];
	}
	for (size_t k = 0; k < nstale && rc == 0; k++) {
		sqlite3_stmt *st = db_prepare(db, sql_del);

		if (!st) {
			rc = lsr_error_last_code();
			break;
		}
		sqlite3_bind_int64(st, 1, stale[k]);
		if ((rc = db_step_done(db, st)) == 0)
			s->dropped++;
	}
	if (rc < 0) {
		db_txn_rollback(db);
		return rc == LSR_ENOMEM ? lsr_error_oom() : rc;
	}
	return db_txn_commit(db);
}

int rank_cache_held(unsigned char *held, uint64_t *th, struct lsr_db *db, const int64_t *ids,
		    size_t n, const struct rank_feat_opts *opts)
{
	static const char sql[] =
		"SELECT citation_id, text_hash FROM screen_rank_features WHERE params = ?1"
		" ORDER BY citation_id";
	struct rank_feat_opts o = opts ? *opts : (struct rank_feat_opts)RANK_FEAT_OPTS_INIT;
	sqlite3_stmt *st = db_prepare(db, sql);
	size_t i = 0;
	int step;

	if (!st)
		return lsr_error_last_code();
	memset(held, 0, n);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)rank_raw_fingerprint(&o));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);

		while (i < n && ids[i] < cid)
			i++;
		if (i < n && ids[i] == cid) {
			held[i] = 1;
			th[i] = (uint64_t)sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

/* Citations tokenised at a time when many are (make_rows). */
#define MAKE_PART 65536

/* The rows of rows[0..n) packed into a, as rows miss[0..n) of it. */
static int pack_rows(struct arena *a, const struct rank_raw_rows *rows, const size_t *miss)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	for (size_t k = 0; k < rows->n && rc == 0; k++) {
		size_t from = rows->row_ptr[k], len = rows->row_ptr[k + 1] - from;

		buf_reset(&b);
		if ((rc = rank_cache_pack(&b, rows->bucket + from, rows->tf + from, len)) == 0)
			rc = arena_put(a, miss[k], b.s, b.len, len);
	}
	buf_release(&b);
	return rc;
}

/* docs[miss[0..nmiss)] tokenised (rank_raw_rows_make) in parts of part
 * rows, each part packed into a and let go, so that progress hears how
 * far tokenising has come and no more than a part is held unpacked (the
 * rows are the same: each is made from its own text). */
static int make_rows(struct arena *a, const struct rank_text *docs, const size_t *miss,
		     size_t nmiss, const struct rank_feat_opts *o, int threads,
		     const struct lsr_progress *progress, size_t part)
{
	struct rank_raw_rows r = { 0, NULL, NULL, NULL };
	int rc = 0;

	for (size_t at = 0; at < nmiss && rc == 0; at += part) {
		size_t k = nmiss - at < part ? nmiss - at : part;

		if (nmiss > part)
			progress_report(progress, "ranking: tokenising", at, nmiss, "citations");
		if ((rc = rank_raw_rows_make(&r, docs, miss + at, k, o, threads)) == 0)
			rc = pack_rows(a, &r, miss + at);
		rank_raw_rows_release(&r);
	}
	return rc == LSR_ENOMEM ? lsr_error_set(LSR_ENOMEM, "out of memory tokenising") : rc;
}

int rank_cache_feats(struct rank_feats **out, struct rank_cache_stats *stats,
		     struct lsr_db *db, const int64_t *ids, const struct rank_text *docs,
		     size_t n, const struct rank_feat_opts *opts, int threads)
{
	uint64_t *th = malloc((n ? n : 1) * sizeof(*th));
	int rc;

	*out = NULL;
	if (!th)
		return lsr_error_set(LSR_ENOMEM, "out of memory building features");
	for (size_t i = 0; i < n; i++)
		th[i] = rank_cache_text_hash(&docs[i]);
	rc = rank_cache_feats_hashed(out, stats, db, ids, th, docs, NULL, n, opts, threads, NULL);
	free(th);
	return rc;
}

int rank_cache_feats_hashed(struct rank_feats **out, struct rank_cache_stats *stats,
			    struct lsr_db *db, const int64_t *ids, const uint64_t *th,
			    const struct rank_text *docs, const unsigned char *dropped, size_t n,
			    const struct rank_feat_opts *opts, int threads,
			    const struct lsr_progress *progress)
{
	struct rank_feat_opts o = opts ? *opts : (struct rank_feat_opts)RANK_FEAT_OPTS_INIT;
	struct rank_cache_stats s0, *s = stats ? stats : &s0;
	struct rank_row_source src;
	struct arena *a = NULL;
	size_t *miss = NULL, nmiss = 0, nstale = 0;
	uint64_t fp = rank_raw_fingerprint(&o);
	int64_t *stale = NULL;
	int rc = 0;

	*out = NULL;
	memset(s, 0, sizeof(*s));
	s->rows = n;
	for (size_t i = 1; i < n; i++)
		if (ids[i] <= ids[i - 1])
			return lsr_error_set(LSR_ERROR, "feature cache: citations not in id order");
	miss = malloc((n ? n : 1) * sizeof(*miss));
	a = arena_new(n);
	if (!miss || !a) {
		rc = LSR_ENOMEM;
		goto out;
	}
	if ((rc = scan(a, miss, &nmiss, &stale, &nstale, s, db, ids, th, n, fp, progress)) < 0)
		goto out;
	for (size_t k = 0; dropped && k < nmiss; k++)
		s->lacked += dropped[miss[k]];
	if (s->lacked) {
		rc = lsr_error_set(LSR_ERROR, "feature cache: %zu citations changed during the ranking",
				   s->lacked);
		goto out;
	}
	/* tokenise what the cache did not hold, keep it */
	if (nmiss && (rc = make_rows(a, docs, miss, nmiss, &o, threads, progress, MAKE_PART)) < 0)
		goto out;
	s->made = nmiss;
	if ((nmiss || nstale) && !db_read_only(db)) {
		if ((rc = store(db, s, a, miss, nmiss, ids, th, fp, stale, nstale)) < 0)
			goto out;
		s->stored = 1;
	}
	s->nnz = a->terms;
	free(miss);
	free(stale);
	progress_report(progress, "ranking: weighing the features", 0, 0, "");
	src = (struct rank_row_source){ arena_get, arena_release, a, n, a->max_terms,
					a->alloc + n * (sizeof(*a->at) + sizeof(*a->size)) };
	/* the features own the arena from here, whatever becomes of them */
	return rank_feats_lazy(out, &src, &o, threads);
out:
	arena_release(a);
	free(miss);
	free(stale);
	return rc == LSR_ENOMEM ? lsr_error_set(LSR_ENOMEM, "out of memory building features") : rc;
}
