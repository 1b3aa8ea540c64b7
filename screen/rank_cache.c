/*
 * rank_cache.c - the feature cache of prioritised screening (see
 * rank_cache.h and db/migrations/0016_rank_features.sql).
 *
 * One call reads the cache table once, in citation order, beside the
 * citations asked for (also in citation order): a row whose text hash and
 * parameter fingerprint match is unpacked straight into the CSR of raw
 * counts, at its place; the others are left empty and listed.  The listed
 * citations are then tokenised (rank_raw_rows_make, on threads as
 * rank_feats_build), their rows written to the table, and spliced into the CSR from its end
 * backwards (each row only moves towards the end, so memmove in place is
 * safe), which holds at most the raw counts once plus the new ones.
 * rank_feats_from_raw weighs the result.
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

/* The CSR being filled: row i at row_ptr[i] .. row_ptr[i + 1]. */
struct grow {
	struct rank_raw_rows r;
	size_t at, alloc;
};

static int grow_room(struct grow *g, size_t more)
{
	size_t na = g->alloc ? g->alloc : 1 << 16;
	uint32_t *nb;
	float *nt;

	if (g->at + more <= g->alloc)
		return 0;
	while (na < g->at + more)
		na *= 2;
	if (!(nb = realloc(g->r.bucket, na * sizeof(*nb))))
		return LSR_ENOMEM;
	g->r.bucket = nb;
	if (!(nt = realloc(g->r.tf, na * sizeof(*nt))))
		return LSR_ENOMEM;
	g->r.tf = nt;
	g->alloc = na;
	return 0;
}

/* Read the table beside ids: hits into g, the rest into miss[], rows of
 * citations not in ids into stale[]. */
static int scan(struct grow *g, size_t *miss, size_t *nmiss, int64_t **stale, size_t *nstale,
		struct rank_cache_stats *s, struct lsr_db *db, const int64_t *ids,
		const uint64_t *th, size_t n, uint64_t fp, const struct lsr_progress *progress)
{
	static const char sql[] =
		"SELECT citation_id, text_hash, params, data FROM screen_rank_features"
		" ORDER BY citation_id";
	sqlite3_stmt *st = db_prepare(db, sql);
	size_t i = 0, stale_alloc = 0;
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	g->r.row_ptr[0] = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		const void *data;
		size_t len, terms, got;

		while (i < n && ids[i] < cid) {
			miss[(*nmiss)++] = i;
			g->r.row_ptr[++i] = g->at;
		}
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
			if ((rc = grow_room(g, terms)) < 0)
				break;
			if (rank_cache_unpack(g->r.bucket + g->at, g->r.tf + g->at, terms, &got, data,
					      len) == 0) {
				g->at += got;
				s->hits++;
				g->r.row_ptr[++i] = g->at;
				continue;
			}
		}
		miss[(*nmiss)++] = i;
		g->r.row_ptr[++i] = g->at;
	}
	if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = db_error(db, sql);
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	while (i < n) {
		miss[(*nmiss)++] = i;
		g->r.row_ptr[++i] = g->at;
	}
	return 0;
}

/* Write the rows made (mk: row k is citation miss[k]) and delete the
 * stale ones. */
static int store(struct lsr_db *db, struct rank_cache_stats *s, const struct rank_raw_rows *mk,
		 const size_t *miss, const int64_t *ids, const uint64_t *th, uint64_t fp,
		 const int64_t *stale, size_t nstale)
{
	static const char sql_put[] =
		"INSERT OR REPLACE INTO screen_rank_features(citation_id, text_hash, params, terms, data)"
		" VALUES(?1, ?2, ?3, ?4, ?5)";
	static const char sql_del[] = "DELETE FROM screen_rank_features WHERE citation_id = ?1";
	struct buf b = BUF_INIT;
	int rc = db_txn_begin(db);

	if (rc < 0)
		return rc;
	for (size_t k = 0; k < mk->n && rc == 0; k++) {
		size_t i = miss[k], from = mk->row_ptr[k], len = mk->row_ptr[k + 1] - from;
		sqlite3_stmt *st;

		buf_reset(&b);
		if ((rc = rank_cache_pack(&b, mk->bucket + from, mk->tf + from, len)) < 0)
			break;
		if (!(st = db_prepare(db, sql_put))) {
			rc = lsr_error_last_code();
			break;
		}
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)th[i]);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)fp);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
		sqlite3_bind_blob(st, 5, b.s, (int)b.len, SQLITE_STATIC);
		rc = db_step_done(db, st);
		s->bytes_written += b.len;
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
	buf_release(&b);
	if (rc < 0) {
		db_txn_rollback(db);
		return rc == LSR_ENOMEM ? lsr_error_oom() : rc;
	}
	return db_txn_commit(db);
}

/* Splice the rows made (mk: row k is row miss[k] of g, empty there) into
 * g, from the end backwards: a row only moves towards the end. */
static int splice(struct grow *g, const struct rank_raw_rows *mk, const size_t *miss)
{
	size_t k = mk->n, made = mk->n ? mk->row_ptr[mk->n] : 0, end;
	int rc;

	if (!k)
		return 0;
	if ((rc = grow_room(g, made)) < 0)
		return rc;
	end = g->at + made;
	for (size_t i = g->r.n; i-- > 0;) {
		size_t from = g->r.row_ptr[i], to = g->r.row_ptr[i + 1], row_end = end;

		if (k > 0 && miss[k - 1] == i) {
			size_t mf = mk->row_ptr[k - 1], len = mk->row_ptr[k] - mf;

			end -= len;
			memcpy(g->r.bucket + end, mk->bucket + mf, len * sizeof(*g->r.bucket));
			memcpy(g->r.tf + end, mk->tf + mf, len * sizeof(*g->r.tf));
			k--;
		} else {
			end -= to - from;
			memmove(g->r.bucket + end, g->r.bucket + from, (to - from) * sizeof(*g->r.bucket));
			memmove(g->r.tf + end, g->r.tf + from, (to - from) * sizeof(*g->r.tf));
		}
		g->r.row_ptr[i + 1] = row_end;
	}
	g->at += made;
	return 0;
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

/* The rows of src appended to dst (dst's arrays grown, src's let go). */
static int rows_append(struct rank_raw_rows *dst, struct rank_raw_rows *src)
{
	size_t base = dst->n ? dst->row_ptr[dst->n] : 0, add = src->row_ptr[src->n];
	size_t *rp = realloc(dst->row_ptr, (dst->n + src->n + 1) * sizeof(*rp));
	uint32_t *b;
	float *t;

	if (!rp)
		return LSR_ENOMEM;
	dst->row_ptr = rp;
	if (!dst->n)
		rp[0] = 0;
	if (!(b = realloc(dst->bucket, (base + add ? base + add : 1) * sizeof(*b))))
		return LSR_ENOMEM;
	dst->bucket = b;
	if (!(t = realloc(dst->tf, (base + add ? base + add : 1) * sizeof(*t))))
		return LSR_ENOMEM;
	dst->tf = t;
	memcpy(b + base, src->bucket, add * sizeof(*b));
	memcpy(t + base, src->tf, add * sizeof(*t));
	for (size_t r = 1; r <= src->n; r++)
		rp[dst->n + r] = base + src->row_ptr[r];
	dst->n += src->n;
	rank_raw_rows_release(src);
	return 0;
}

/* Citations tokenised at a time when many are (make_rows). */
#define MAKE_PART 65536

/* rank_raw_rows_make of docs[miss[0..nmiss)] in parts of part rows, so
 * that progress hears how far tokenising has come (the rows are the same:
 * each is made from its own text). */
static int make_rows(struct rank_raw_rows *out, const struct rank_text *docs, const size_t *miss,
		     size_t nmiss, const struct rank_feat_opts *o, int threads,
		     const struct lsr_progress *progress, size_t part)
{
	struct rank_raw_rows r = { 0, NULL, NULL, NULL };
	int rc = 0;

	if (nmiss <= part)
		return rank_raw_rows_make(out, docs, miss, nmiss, o, threads);
	memset(out, 0, sizeof(*out));
	for (size_t at = 0; at < nmiss && rc == 0; at += part) {
		progress_report(progress, "ranking: tokenising", at, nmiss, "citations");
		if ((rc = rank_raw_rows_make(&r, docs, miss + at,
					     nmiss - at < part ? nmiss - at : part, o, threads)) == 0)
			rc = rows_append(out, &r);
	}
	rank_raw_rows_release(&r);
	if (rc < 0)
		rank_raw_rows_release(out);
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
	struct grow g = { { n, NULL, NULL, NULL }, 0, 0 };
	struct rank_raw_rows mk = { 0, NULL, NULL, NULL };
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
	g.r.row_ptr = malloc((n + 1) * sizeof(*g.r.row_ptr));
	if (!miss || !g.r.row_ptr || grow_room(&g, 1) < 0) {
		rc = LSR_ENOMEM;
		goto out;
	}
	if ((rc = scan(&g, miss, &nmiss, &stale, &nstale, s, db, ids, th, n, fp, progress)) < 0)
		goto out;
	for (size_t k = 0; dropped && k < nmiss; k++)
		s->lacked += dropped[miss[k]];
	if (s->lacked) {
		rc = lsr_error_set(LSR_ERROR, "feature cache: %zu citations changed during the ranking",
				   s->lacked);
		goto out;
	}
	/* tokenise what the cache did not hold, keep it, put it in place */
	if (nmiss && (rc = make_rows(&mk, docs, miss, nmiss, &o, threads, progress, MAKE_PART)) < 0)
		goto out;
	s->made = nmiss;
	if ((nmiss || nstale) && !db_read_only(db)) {
		if ((rc = store(db, s, &mk, miss, ids, th, fp, stale, nstale)) < 0)
			goto out;
		s->stored = 1;
	}
	if (n && nmiss == n) {
		/* nothing from the cache: the rows made are the rows */
		rank_raw_rows_release(&g.r);
		g.r = mk;
		g.at = n ? mk.row_ptr[n] : 0;
		memset(&mk, 0, sizeof(mk));
	} else if ((rc = splice(&g, &mk, miss)) < 0) {
		goto out;
	}
	rank_raw_rows_release(&mk);
	s->nnz = g.at;
	free(miss);
	free(stale);
	progress_report(progress, "ranking: weighing the features", 0, 0, "");
	return rank_feats_from_raw(out, &g.r, &o, threads);
out:
	rank_raw_rows_release(&mk);
	rank_raw_rows_release(&g.r);
	free(miss);
	free(stale);
	return rc == LSR_ENOMEM ? lsr_error_set(LSR_ENOMEM, "out of memory building features") : rc;
}
