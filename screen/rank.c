/*
 * rank.c - features and models of prioritised screening (see rank.h).
 *
 * The rows are kept as CSR: row_ptr[n + 1], col[nnz] (bucket) and
 * val[nnz] (weight, float), each row sorted by bucket.  Building them is
 * two passes: tokenising every citation into (bucket, tf) pairs, chunks of
 * citations in parallel (par_for), and, once document frequencies are
 * known, weighing and normalising in place.
 *
 * The buckets kept become columns 0..active-1 (in bucket order), so models
 * hold arrays as long as the vocabulary, not RANK_DIM.  Training
 * (liblinear) sees only the columns that occur in labelled rows, renumbered
 * 1..m; the weights are then written back by column, which scoring reads.
 */
#include "rank.h"
#include "screen.h"
#include "../util/array.h"
#include "../util/err.h"
#include "../util/par.h"
#include "../util/text.h"

#include <linear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* How a row's raw counts become its weights (rank_feats_from_raw when the
 * features are made, feats_row each time a lazy row is read). */
struct weigh_ctx {
	const uint32_t *colof; /* RANK_DIM: the column of each bucket plus one, 0: dropped */
	const double *idf;     /* per column */
	struct rank_feat_opts o;
	double avgdl;          /* the rows' mean summed count (RANK_TF_BM25) */
};

struct rank_feats {
	size_t n;          /* rows */
	size_t *row_ptr;   /* n + 1 */
	uint32_t *col;     /* nnz, ascending within a row */
	float *val;        /* nnz */
	float *l1;         /* n: sum of each row's values (naive Bayes) */
	size_t active;     /* buckets kept (df >= min_df): the vocabulary size */
	uint32_t *bucket;  /* active: the bucket of each column, ascending */
	/* lazy features (rank_feats_lazy): row_ptr, col, val and l1 NULL;
	 * each row read from src and weighed by w when it is used */
	int lazy;
	struct rank_row_source src;
	struct weigh_ctx w;
	uint32_t *colof;   /* w's, owned */
	double *idf;       /* w's, owned */
	size_t nnz;        /* entries the rows have once weighed */
	int threads;       /* for scoring every row */
};

struct rank_model {
	enum rank_model_kind kind;
	double *w;         /* one coefficient per column of the features */
	double bias;       /* intercept */
	double per_l1;     /* added per unit of a row's l1 (naive Bayes' unseen terms) */
};

/* ---- tokens ------------------------------------------------------------- */

/* English stop words (scikit-learn's list, shortened), sorted for bsearch. */
static const char *const stop_words[] = {
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an",
	"and", "any", "are", "as", "at", "be", "because", "been", "before", "being",
	"below", "between", "both", "but", "by", "can", "could", "did", "do", "does",
	"doing", "down", "during", "each", "either", "else", "etc", "ever", "every",
	"few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
	"here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if",
	"in", "into", "is", "it", "its", "itself", "just", "may", "me", "might", "more",
	"most", "must", "my", "myself", "neither", "nor", "of", "off", "on", "once",
	"only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "per",
	"same", "she", "should", "so", "some", "such", "than", "that", "the", "their",
	"theirs", "them", "themselves", "then", "there", "therefore", "these", "they",
	"this", "those", "through", "thus", "to", "too", "under", "until", "up", "upon",
	"us", "very", "via", "was", "we", "were", "what", "when", "where", "whether",
	"which", "while", "who", "whom", "whose", "why", "will", "with", "within",
	"without", "would", "yet", "you", "your", "yours", "yourself", "yourselves",
};

static int cmp_word(const void *key, const void *elem)
{
	const struct { const char *s; size_t n; } *k = key;
	const char *w = *(const char *const *)elem;
	int c = strncmp(k->s, w, k->n);

	if (c)
		return c;
	return w[k->n] ? -1 : 0;
}

static int is_stop_word(const char *s, size_t n)
{
	struct { const char *s; size_t n; } k = { s, n };

	return bsearch(&k, stop_words, sizeof(stop_words) / sizeof(stop_words[0]),
		       sizeof(stop_words[0]), cmp_word) != NULL;
}

static uint64_t mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint32_t unigram_bucket(uint64_t h)
{
	return (uint32_t)(mix64(h) & (RANK_DIM - 1));
}

static uint32_t bigram_bucket(uint64_t h1, uint64_t h2)
{
	return (uint32_t)(mix64(mix64(h1) * 31 + h2 + 0x5bd1e995ULL) & (RANK_DIM - 1));
}

/* A term seen while tokenising: its bucket, the counts it adds, and where
 * its text is (for explaining). */
struct tok {
	uint32_t bucket;
	float tf;
	const char *s;    /* the (first) word, in the normalised text */
	const char *s2;   /* a bigram's second word, else NULL */
	uint32_t len, len2;
	int field;        /* 0 title, 1 abstract, 2 keywords */
	int ns;           /* 1: a "title:word" term */
};

struct toks {
	struct tok *v;
	size_t n, alloc;
};

/* The words of normalised text t (space-separated) as terms of weight wt. */
static int field_terms(struct toks *out, const char *t, size_t len, float wt, int bigrams,
		       int field, int title_ns)
{
	const char *prev = NULL;
	uint32_t lprev = 0;
	uint64_t hprev = 0;
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		uint64_t h;

		while (j < len && t[j] != ' ')
			j++;
		if (j - i < 2 || is_stop_word(t + i, j - i)) {
			i = j + 1;
			continue;
		}
		h = fnv1a(t + i, j - i);
		if (ARRAY_GROW(out->v, out->n, out->alloc, 64) < 0)
			return LSR_ENOMEM;
		out->v[out->n++] = (struct tok){ unigram_bucket(h), wt, t + i, NULL,
						 (uint32_t)(j - i), 0, field, 0 };
		if (title_ns) {
			if (ARRAY_GROW(out->v, out->n, out->alloc, 64) < 0)
				return LSR_ENOMEM;
			out->v[out->n++] = (struct tok){ unigram_bucket(h ^ 0x7469746c653aULL), 1.0f,
							 t + i, NULL, (uint32_t)(j - i), 0,
							 field, 1 };
		}
		if (bigrams && prev) {
			if (ARRAY_GROW(out->v, out->n, out->alloc, 64) < 0)
				return LSR_ENOMEM;
			out->v[out->n++] = (struct tok){ bigram_bucket(hprev, h), wt, prev, t + i,
							 lprev, (uint32_t)(j - i), field, 0 };
		}
		prev = t + i;
		lprev = (uint32_t)(j - i);
		hprev = h;
		i = j + 1;
	}
	return 0;
}

/* Normalised text of a citation's three fields, each in its own buffer
 * (tokens point into them). */
struct doc_text {
	struct buf f[3];
};

static int doc_terms(struct toks *out, struct doc_text *dt, const struct rank_text *d,
		     const struct rank_feat_opts *o)
{
	const char *src[3] = { d->title, d->abstract, d->keywords };
	int rc;

	out->n = 0;
	for (int k = 0; k < 3; k++) {
		/* a field weighed 0 takes no part (no terms of tf 0) */
		if (!src[k] || (k == 0 && !(o->title_weight > 0)) ||
		    (k == 2 && !(o->keyword_weight > 0))) {
			buf_reset(&dt->f[k]);
			continue;
		}
		if ((rc = screen_norm_text(&dt->f[k], src[k], strlen(src[k]))) < 0)
			return rc;
		if ((rc = field_terms(out, dt->f[k].s, dt->f[k].len,
				      k == 0   ? (float)o->title_weight
				      : k == 2 ? (float)o->keyword_weight
					       : 1.0f,
				      o->bigrams, k, k == 0 && o->title_terms)) < 0)
			return rc;
	}
	return 0;
}

static int cmp_tok(const void *a, const void *b)
{
	const struct tok *x = a, *y = b;

	return x->bucket < y->bucket ? -1 : x->bucket > y->bucket;
}

/* ---- raw term counts ---------------------------------------------------- */

/* rank_raw_make's scratch: the tokens and the normalised fields they point
 * into, kept from one citation to the next. */
struct rank_raw_ws {
	struct doc_text dt;
	struct toks tk;
};

void rank_raw_release(struct rank_raw *r)
{
	if (!r)
		return;
	free(r->bucket);
	free(r->tf);
	if (r->ws) {
		free(r->ws->tk.v);
		for (int k = 0; k < 3; k++)
			buf_release(&r->ws->dt.f[k]);
		free(r->ws);
	}
	memset(r, 0, sizeof(*r));
}

int rank_raw_make(struct rank_raw *out, const struct rank_text *doc,
		  const struct rank_feat_opts *opts)
{
	struct rank_feat_opts o = opts ? *opts : (struct rank_feat_opts)RANK_FEAT_OPTS_INIT;
	struct toks *tk;
	int rc;

	out->n = 0;
	if (!out->ws) {
		if (!(out->ws = calloc(1, sizeof(*out->ws))))
			return LSR_ENOMEM;
		for (int k = 0; k < 3; k++)
			buf_init(&out->ws->dt.f[k], 0);
	}
	tk = &out->ws->tk;
	if ((rc = doc_terms(tk, &out->ws->dt, doc, &o)) < 0)
		return rc;
	if (tk->n > 1)
		qsort(tk->v, tk->n, sizeof(*tk->v), cmp_tok);
	for (size_t j = 0; j < tk->n;) {
		uint32_t b = tk->v[j].bucket;
		float tf = 0;

		while (j < tk->n && tk->v[j].bucket == b)
			tf += tk->v[j++].tf;
		if (out->n == out->alloc) {
			size_t na = out->alloc ? out->alloc * 2 : 256;
			uint32_t *nb = realloc(out->bucket, na * sizeof(*nb));
			float *nt;

			if (!nb)
				return LSR_ENOMEM;
			out->bucket = nb;
			if (!(nt = realloc(out->tf, na * sizeof(*nt))))
				return LSR_ENOMEM;
			out->tf = nt;
			out->alloc = na;
		}
		out->bucket[out->n] = b;
		out->tf[out->n++] = tf;
	}
	return 0;
}

/* FNV-1a over more bytes, from h. */
static uint64_t fnv1a_more(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t rank_raw_fingerprint(const struct rank_feat_opts *opts)
{
	/* text that goes through every step: case folding, accents, digits,
	 * punctuation, stop words, one-letter words, bigrams, all three fields */
	static const struct rank_text probe = {
		"The Effect of Caf\xc3\xa9-Based \xc3\x9c" "BERSICHT on HbA1c: a RCT (n = 42) of the Effect",
		"Background: stop words and the a of an; Na\xc3\xafve \xce\xb2-blockers, COVID-19 "
		"patients; x y z. Results: effect effect effect.",
		"Humans; Beta-Blockers/therapeutic use; Randomized Controlled Trials as Topic",
	};
	struct rank_feat_opts o = opts ? *opts : (struct rank_feat_opts)RANK_FEAT_OPTS_INIT;
	struct rank_raw r = RANK_RAW_INIT;
	uint64_t h = fnv1a("lsr rank raw 1", 14);
	uint32_t dim = RANK_DIM;
	size_t nstop = sizeof(stop_words) / sizeof(stop_words[0]);

	/* what the raw counts depend on (min_df and the tf apply later) */
	h = fnv1a_more(h, &dim, sizeof(dim));
	h = fnv1a_more(h, &o.bigrams, sizeof(o.bigrams));
	h = fnv1a_more(h, &o.title_weight, sizeof(o.title_weight));
	h = fnv1a_more(h, &o.keyword_weight, sizeof(o.keyword_weight));
	h = fnv1a_more(h, &o.title_terms, sizeof(o.title_terms));
	for (size_t i = 0; i < nstop; i++)
		h = fnv1a_more(h, stop_words[i], strlen(stop_words[i]) + 1);
	/* utf8proc's case folding and normalisation, which the probe samples
	 * only: a new library or Unicode version remakes every cached row */
	h = fnv1a_more(h, utf8proc_version(), strlen(utf8proc_version()) + 1);
	h = fnv1a_more(h, utf8proc_unicode_version(), strlen(utf8proc_unicode_version()) + 1);
	/* and what the code makes of the probe */
	if (rank_raw_make(&r, &probe, &o) == 0) {
		h = fnv1a_more(h, &r.n, sizeof(r.n));
		h = fnv1a_more(h, r.bucket, r.n * sizeof(*r.bucket));
		h = fnv1a_more(h, r.tf, r.n * sizeof(*r.tf));
	} else {
		h = 0; /* out of memory: a fingerprint nothing matches */
	}
	rank_raw_release(&r);
	return h ? h : 1;
}

/* ---- building the rows -------------------------------------------------- */

/* One chunk's (bucket, tf) pairs, rows appended in order. */
struct chunk {
	size_t *rlen;      /* entries per row of the chunk */
	uint32_t *col;
	float *val;
	size_t n, alloc;
	size_t rows;       /* rows of the chunk (par_for's split) */
	int rc;
};

struct build_job {
	const struct rank_text *docs;
	const size_t *which;   /* rows of docs to tokenise (NULL: all, in order) */
	const struct rank_feat_opts *opts;
	struct chunk *chunks;
};

static void build_chunk(void *payload, size_t t, size_t from, size_t to)
{
	struct build_job *job = payload;
	struct chunk *c = &job->chunks[t];
	struct rank_raw r = RANK_RAW_INIT;

	c->rows = to - from;
	c->rlen = calloc(to - from ? to - from : 1, sizeof(*c->rlen));
	if (!c->rlen) {
		c->rc = LSR_ENOMEM;
		return;
	}
	for (size_t i = from; i < to && c->rc == 0; i++) {
		const struct rank_text *d = &job->docs[job->which ? job->which[i] : i];

		if ((c->rc = rank_raw_make(&r, d, job->opts)) < 0)
			break;
		if (c->n + r.n > c->alloc) {
			size_t na = c->alloc ? c->alloc * 2 : 4096;
			uint32_t *nc;
			float *nv;

			while (na < c->n + r.n)
				na *= 2;
			nc = realloc(c->col, na * sizeof(*nc));
			if (nc)
				c->col = nc;
			nv = nc ? realloc(c->val, na * sizeof(*nv)) : NULL;
			if (!nv) {
				c->rc = LSR_ENOMEM;
				break;
			}
			c->val = nv;
			c->alloc = na;
		}
		if (r.n) { /* an empty citation's arrays may be NULL */
			memcpy(c->col + c->n, r.bucket, r.n * sizeof(*r.bucket));
			memcpy(c->val + c->n, r.tf, r.n * sizeof(*r.tf));
		}
		c->n += r.n;
		c->rlen[i - from] = r.n;
	}
	rank_raw_release(&r);
}

void rank_feats_free(struct rank_feats *f)
{
	if (!f)
		return;
	free(f->row_ptr);
	free(f->col);
	free(f->val);
	free(f->l1);
	free(f->bucket);
	free(f->colof);
	free(f->idf);
	if (f->lazy && f->src.release)
		f->src.release(f->src.ctx);
	free(f);
}

void rank_raw_rows_release(struct rank_raw_rows *rows)
{
	free(rows->row_ptr);
	free(rows->bucket);
	free(rows->tf);
	memset(rows, 0, sizeof(*rows));
}

int rank_raw_rows_make(struct rank_raw_rows *out, const struct rank_text *docs,
		       const size_t *which, size_t n, const struct rank_feat_opts *opts,
		       int threads)
{
	struct rank_feat_opts o = opts ? *opts : (struct rank_feat_opts)RANK_FEAT_OPTS_INIT;
	size_t nchunks = threads > 1 ? (size_t)threads : 1, nnz = 0, at = 0, row = 0;
	struct build_job job = { docs, which, &o, NULL };
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (nchunks > n)
		nchunks = n ? n : 1;
	job.chunks = calloc(nchunks, sizeof(*job.chunks));
	if (!job.chunks) {
		rc = LSR_ENOMEM;
		goto out;
	}
	par_for(n, nchunks, build_chunk, &job);
	for (size_t t = 0; t < nchunks; t++) {
		if (job.chunks[t].rc < 0 && rc == 0)
			rc = job.chunks[t].rc;
		nnz += job.chunks[t].n;
	}
	if (rc < 0)
		goto out;
	out->row_ptr = calloc(n + 1, sizeof(*out->row_ptr));
	out->bucket = calloc(nnz ? nnz : 1, sizeof(*out->bucket));
	out->tf = calloc(nnz ? nnz : 1, sizeof(*out->tf));
	if (!out->row_ptr || !out->bucket || !out->tf) {
		rc = LSR_ENOMEM;
		goto out;
	}
	/* concatenate the chunks */
	out->row_ptr[0] = 0;
	for (size_t t = 0; t < nchunks; t++) {
		struct chunk *c = &job.chunks[t];
		size_t k = 0;

		for (size_t r = 0; r < c->rows; r++, row++) {
			memcpy(out->bucket + at, c->col + k, c->rlen[r] * sizeof(*out->bucket));
			memcpy(out->tf + at, c->val + k, c->rlen[r] * sizeof(*out->tf));
			at += c->rlen[r];
			k += c->rlen[r];
			out->row_ptr[row + 1] = at;
		}
		free(c->rlen);
		free(c->col);
		free(c->val);
		c->rlen = NULL;
		c->col = NULL;
		c->val = NULL;
	}
out:
	if (job.chunks) {
		for (size_t t = 0; t < nchunks; t++) {
			free(job.chunks[t].rlen);
			free(job.chunks[t].col);
			free(job.chunks[t].val);
		}
		free(job.chunks);
	}
	if (rc < 0) {
		rank_raw_rows_release(out);
		return rc == LSR_ENOMEM ? lsr_error_set(LSR_ENOMEM, "out of memory building features")
					: rc;
	}
	return 0;
}

int rank_feats_build(struct rank_feats **out, const struct rank_text *docs, size_t n,
		     const struct rank_feat_opts *opts, int threads)
{
	struct rank_raw_rows rows;
	int rc;

	*out = NULL;
	if ((rc = rank_raw_rows_make(&rows, docs, NULL, n, opts, threads)) < 0)
		return rc;
	return rank_feats_from_raw(out, &rows, opts, threads);
}

/*
 * Weighing raw rows in k chunks of rows, each in a thread (par_for over
 * the chunks; chunk t holds rows n t / k to n (t + 1) / k): the document
 * frequencies counted per chunk and summed, then each chunk's rows weighed
 * and compacted in place from its first entry, then the chunks moved
 * together.  Every row's arithmetic is the same whatever k.
 */
struct weigh_job {
	struct rank_feats *f;
	size_t k;
	uint32_t **df;        /* per chunk; df[0] becomes the sum */
	size_t *end;          /* per chunk: its entries' end before weighing */
	size_t *kept;         /* per chunk: its entries' end after */
	struct weigh_ctx w;
	double *dl;           /* per row: its summed counts (RANK_TF_BM25) */
};

static size_t chunk_row(const struct weigh_job *j, size_t t)
{
	return j->f->n * t / j->k;
}

/* The mean of the rows' summed counts dl[0..n), summed in row order. */
static double mean_length(const double *dl, size_t n)
{
	double sum = 0;

	for (size_t r = 0; r < n; r++)
		sum += dl[r];
	return n && sum > 0 ? sum / (double)n : 1.0;
}

static void df_chunk(void *payload, size_t t, size_t from, size_t to)
{
	struct weigh_job *j = payload;
	const struct rank_feats *f = j->f;
	uint32_t *df = j->df[t];

	(void)from, (void)to;
	for (size_t r = chunk_row(j, t); r < chunk_row(j, t + 1); r++) {
		double dl = 0;

		for (size_t e = f->row_ptr[r]; e < f->row_ptr[r + 1]; e++) {
			df[f->col[e]]++;
			dl += f->val[e];
		}
		if (j->dl)
			j->dl[r] = dl;
	}
}

/* A field-weighted count tf as it enters the TF-IDF weight; K: BM25's
 * k1 (1 - b + b dl / avgdl) of its row. */
static inline double tf_weight(enum rank_tf kind, double tf, double k1, double K)
{
	switch (kind) {
	case RANK_TF_BM25:
		return tf * (k1 + 1.0) / (tf + K);
	case RANK_TF_LOG:
		/* a count below 1 (a term only in the keywords, weighed 0.2)
		 * stays as it is: 1 + ln tf would make it negative, the
		 * opposite sign of the same term in the abstract */
		return tf > 1.0 ? 1.0 + log(tf) : tf;
	case RANK_TF_RAW:
	default:
		return tf;
	}
}

/*
 * A row's n raw counts (bucket, tf; dl their sum) weighed into col/val:
 * TF-IDF, rare buckets dropped, L2-normalised.  col/val may be bucket/tf
 * themselves, or lie before them: each entry is written at or before the
 * place it was read from, after it was read.  Returns the entries kept;
 * *l1 their sum.
 */
static size_t weigh_row(const struct weigh_ctx *w, const uint32_t *bucket, const float *tf,
			size_t n, double dl, uint32_t *col, float *val, float *l1)
{
	size_t at = 0;
	double ss = 0, sum = 0, k1 = w->o.bm25_k1, b = w->o.bm25_b;
	double K = w->o.tf == RANK_TF_BM25 ? k1 * (1.0 - b + b * dl / w->avgdl) : 0;

	for (size_t e = 0; e < n; e++) {
		double t = tf[e], v;
		uint32_t c = w->colof[bucket[e]];

		if (!c)
			continue;
		v = tf_weight(w->o.tf, t, k1, K) * w->idf[c - 1];
		col[at] = c - 1;
		val[at++] = (float)v;
		ss += v * v;
	}
	if (ss > 0) {
		double inv = 1.0 / sqrt(ss);

		for (size_t e = 0; e < at; e++) {
			val[e] = (float)(val[e] * inv);
			sum += val[e];
		}
	}
	*l1 = (float)sum;
	return at;
}

static void weigh_chunk(void *payload, size_t t, size_t from, size_t to)
{
	struct weigh_job *j = payload;
	struct rank_feats *f = j->f;
	size_t r0 = chunk_row(j, t), r1 = chunk_row(j, t + 1), at = f->row_ptr[r0];

	(void)from, (void)to;
	for (size_t r = r0; r < r1; r++) {
		/* the next chunk rewrites row_ptr[r1]: its old value is end[t] */
		size_t e0 = f->row_ptr[r], e1 = r + 1 < r1 ? f->row_ptr[r + 1] : j->end[t];

		f->row_ptr[r] = at;
		at += weigh_row(&j->w, f->col + e0, f->val + e0, e1 - e0, j->dl ? j->dl[r] : 0,
				f->col + at, f->val + at, &f->l1[r]);
	}
	j->kept[t] = at;
}

/*
 * The vocabulary from the document frequencies df (RANK_DIM; n rows): the
 * buckets in at least min_df rows become f's columns (f->active,
 * f->bucket), *idf their smooth idf, and df becomes the map from bucket
 * to column plus one (0: dropped).  *dropped: the entries of the dropped
 * buckets (the sum of their df).
 */
static int vocabulary(struct rank_feats *f, uint32_t *df, size_t n, int min_df, double **idf,
		      size_t *dropped)
{
	*dropped = 0;
	f->active = 0;
	for (uint32_t b = 0; b < RANK_DIM; b++)
		f->active += df[b] >= (uint32_t)min_df;
	*idf = malloc((f->active ? f->active : 1) * sizeof(**idf));
	f->bucket = malloc((f->active ? f->active : 1) * sizeof(*f->bucket));
	if (!*idf || !f->bucket)
		return LSR_ENOMEM;
	for (uint32_t b = 0, c = 0; b < RANK_DIM; b++) {
		if (df[b] >= (uint32_t)min_df) {
			(*idf)[c] = log((1.0 + (double)n) / (1.0 + df[b])) + 1.0;
			f->bucket[c++] = b;
			df[b] = c;
		} else {
			*dropped += df[b];
			df[b] = 0;
		}
	}
	return 0;
}

/* Chunks of rows to count or weigh n rows in: one per thread, each of at
 * least 1,000 rows. */
static size_t chunks_for(size_t n, int threads)
{
	size_t k = threads > 1 ? (size_t)threads : 1;

	while (k > 1 && n / k < 1000)
		k--;
	return k;
}

/* k document frequency tables (*df, each RANK_DIM zeros). */
static int df_tables(uint32_t ***df, size_t k)
{
	if (!(*df = calloc(k, sizeof(**df))))
		return LSR_ENOMEM;
	for (size_t t = 0; t < k; t++)
		if (!((*df)[t] = calloc(RANK_DIM, sizeof(***df))))
			return LSR_ENOMEM;
	return 0;
}

/* The k tables summed into df[0]; the others let go. */
static void df_sum(uint32_t **df, size_t k)
{
	for (size_t t = 1; t < k; t++) {
		for (uint32_t b = 0; b < RANK_DIM; b++)
			df[0][b] += df[t][b];
		free(df[t]);
		df[t] = NULL;
	}
}

static void df_free(uint32_t **df, size_t k)
{
	for (size_t t = 0; df && t < k; t++)
		free(df[t]);
	free(df);
}

/* The end of making features f: *out = f, or f freed and rc's message. */
static int feats_done(struct rank_feats **out, struct rank_feats *f, int rc)
{
	if (rc < 0) {
		rank_feats_free(f);
		return rc == LSR_ENOMEM ? lsr_error_set(LSR_ENOMEM, "out of memory building features")
					: rc;
	}
	*out = f;
	return 0;
}

int rank_feats_from_raw(struct rank_feats **out, struct rank_raw_rows *rows,
			const struct rank_feat_opts *opts, int threads)
{
	struct rank_feat_opts o = opts ? *opts : (struct rank_feat_opts)RANK_FEAT_OPTS_INIT;
	size_t n = rows->n, at = 0;
	struct rank_feats *f;
	struct weigh_job job = { 0 };
	double *idf = NULL;
	uint32_t *df = NULL;
	size_t dropped;
	int rc = 0;

	*out = NULL;
	if (o.min_df < 1)
		o.min_df = 1;
	f = calloc(1, sizeof(*f));
	if (!f) {
		rank_raw_rows_release(rows);
		return lsr_error_set(LSR_ENOMEM, "out of memory building features");
	}
	/* the rows become the features' arrays, weighed in place */
	f->n = n;
	f->row_ptr = rows->row_ptr;
	f->col = rows->bucket;
	f->val = rows->tf;
	memset(rows, 0, sizeof(*rows));
	job.f = f;
	job.k = chunks_for(n, threads);
	f->l1 = calloc(n ? n : 1, sizeof(*f->l1));
	job.end = calloc(job.k, sizeof(*job.end));
	job.kept = calloc(job.k, sizeof(*job.kept));
	job.w.o = o;
	if (o.tf == RANK_TF_BM25 && !(job.dl = malloc((n ? n : 1) * sizeof(*job.dl)))) {
		rc = LSR_ENOMEM;
		goto out;
	}
	if (!f->row_ptr || !f->col || !f->val || !f->l1 || !job.end || !job.kept ||
	    df_tables(&job.df, job.k) < 0) {
		rc = LSR_ENOMEM;
		goto out;
	}
	/* document frequencies */
	par_for(job.k, job.k, df_chunk, &job);
	df_sum(job.df, job.k);
	df = job.df[0];
	/* the mean length, summed in row order (the same whatever the chunks) */
	if (job.dl)
		job.w.avgdl = mean_length(job.dl, n);
	/* colof[b]: the column of bucket b, plus one (0: dropped); df's room */
	if ((rc = vocabulary(f, df, n, o.min_df, &idf, &dropped)) < 0)
		goto out;
	/* weigh, drop rare buckets, normalise; then close the gaps */
	job.w.colof = df;
	job.w.idf = idf;
	for (size_t t = 0; t < job.k; t++)
		job.end[t] = f->row_ptr[chunk_row(&job, t + 1)];
	par_for(job.k, job.k, weigh_chunk, &job);
	at = job.kept[0];
	for (size_t t = 1; t < job.k; t++) {
		size_t r0 = chunk_row(&job, t), r1 = chunk_row(&job, t + 1), base = f->row_ptr[r0];
		size_t len = job.kept[t] - base;

		memmove(f->col + at, f->col + base, len * sizeof(*f->col));
		memmove(f->val + at, f->val + base, len * sizeof(*f->val));
		for (size_t r = r0; r < r1; r++)
			f->row_ptr[r] = f->row_ptr[r] - base + at;
		at += len;
	}
	f->row_ptr[n] = at;
out:
	free(idf);
	df_free(job.df, job.k);
	free(job.end);
	free(job.kept);
	free(job.dl);
	return feats_done(out, f, rc);
}

/* ---- lazy features ------------------------------------------------------ */

/* The document frequencies of lazy rows, in k chunks of rows (as
 * weigh_job's), each read on a thread of its own. */
struct lazy_job {
	const struct rank_row_source *src;
	size_t n, k;
	uint32_t **df;  /* per chunk; df[0] becomes the sum */
	double *dl;     /* per row: its summed counts */
	size_t *terms;  /* per chunk: the raw entries read */
	int *rc;        /* per chunk */
};

static void lazy_df_chunk(void *payload, size_t t, size_t from, size_t to)
{
	struct lazy_job *j = payload;
	size_t room = j->src->max_terms ? j->src->max_terms : 1, len;
	uint32_t *bucket = malloc(room * sizeof(*bucket));
	float *tf = malloc(room * sizeof(*tf));

	(void)from, (void)to;
	if (!bucket || !tf)
		j->rc[t] = LSR_ENOMEM;
	for (size_t r = j->n * t / j->k; r < j->n * (t + 1) / j->k && j->rc[t] == 0; r++) {
		double dl = 0;

		if ((j->rc[t] = j->src->get(j->src->ctx, r, bucket, tf, room, &len)) < 0)
			break;
		for (size_t e = 0; e < len; e++) {
			j->df[t][bucket[e]]++;
			dl += tf[e];
		}
		j->dl[r] = dl;
		j->terms[t] += len;
	}
	free(bucket);
	free(tf);
}

int rank_feats_lazy(struct rank_feats **out, const struct rank_row_source *src,
		    const struct rank_feat_opts *opts, int threads)
{
	struct rank_feat_opts o = opts ? *opts : (struct rank_feat_opts)RANK_FEAT_OPTS_INIT;
	struct lazy_job job = { src, src->rows, 1, NULL, NULL, NULL, NULL };
	struct rank_feats *f = calloc(1, sizeof(*f));
	size_t terms = 0, dropped = 0;
	int rc = 0;

	*out = NULL;
	if (!f) {
		if (src->release)
			src->release(src->ctx);
		return lsr_error_set(LSR_ENOMEM, "out of memory building features");
	}
	if (o.min_df < 1)
		o.min_df = 1;
	f->lazy = 1;
	f->src = *src;
	f->n = src->rows;
	f->threads = threads > 1 ? threads : 1;
	job.k = chunks_for(job.n, threads);
	job.terms = calloc(job.k, sizeof(*job.terms));
	job.rc = calloc(job.k, sizeof(*job.rc));
	job.dl = malloc((job.n ? job.n : 1) * sizeof(*job.dl));
	if (!job.terms || !job.rc || !job.dl || df_tables(&job.df, job.k) < 0) {
		rc = LSR_ENOMEM;
		goto out;
	}
	par_for(job.k, job.k, lazy_df_chunk, &job);
	for (size_t t = 0; t < job.k; t++) {
		if (job.rc[t] < 0 && rc == 0)
			rc = job.rc[t];
		terms += job.terms[t];
	}
	if (rc < 0)
		goto out;
	df_sum(job.df, job.k);
	f->colof = job.df[0];
	job.df[0] = NULL;
	if ((rc = vocabulary(f, f->colof, f->n, o.min_df, &f->idf, &dropped)) < 0)
		goto out;
	f->nnz = terms - dropped;
	f->w.colof = f->colof;
	f->w.idf = f->idf;
	f->w.o = o;
	f->w.avgdl = mean_length(job.dl, f->n);
out:
	df_free(job.df, job.k);
	free(job.terms);
	free(job.rc);
	free(job.dl);
	return feats_done(out, f, rc);
}

/* One row of features: its columns (ascending), values and their sum. */
struct row {
	const uint32_t *col;
	const float *val;
	size_t n;
	float l1;
};

/* Room to read a lazy row into (nothing for built features). */
struct rowbuf {
	uint32_t *col;
	float *val;
};

static int rowbuf_init(struct rowbuf *rb, const struct rank_feats *f)
{
	size_t room = f->lazy && f->src.max_terms ? f->src.max_terms : 1;

	rb->col = NULL;
	rb->val = NULL;
	if (!f->lazy)
		return 0;
	rb->col = malloc(room * sizeof(*rb->col));
	rb->val = malloc(room * sizeof(*rb->val));
	return rb->col && rb->val ? 0 : LSR_ENOMEM;
}

static void rowbuf_release(struct rowbuf *rb)
{
	free(rb->col);
	free(rb->val);
}

/* Row i of f into *r: built features' own arrays, or a lazy row read into
 * rb and weighed there. */
static int feats_row(const struct rank_feats *f, size_t i, struct rowbuf *rb, struct row *r)
{
	double dl = 0;
	size_t len;
	int rc;

	if (!f->lazy) {
		r->col = f->col + f->row_ptr[i];
		r->val = f->val + f->row_ptr[i];
		r->n = f->row_ptr[i + 1] - f->row_ptr[i];
		r->l1 = f->l1[i];
		return 0;
	}
	if ((rc = f->src.get(f->src.ctx, i, rb->col, rb->val, f->src.max_terms, &len)) < 0)
		return rc;
	/* summed as the document frequencies' pass summed it */
	for (size_t e = 0; e < len; e++)
		dl += rb->val[e];
	r->n = weigh_row(&f->w, rb->col, rb->val, len, dl, rb->col, rb->val, &r->l1);
	r->col = rb->col;
	r->val = rb->val;
	return 0;
}

/*
 * The rows of lazy features f labelled 0 or 1 in labels, as built
 * features (*out, with f's columns) and their labels (*out_labels), in
 * f's order: what training reads, without weighing every row.
 */
static int feats_labelled(struct rank_feats **out, signed char **out_labels,
			  const struct rank_feats *f, const signed char *labels)
{
	struct rank_feats *g = calloc(1, sizeof(*g));
	struct rowbuf rb;
	size_t n = 0, nnz = 0, alloc = 0;
	int rc = rowbuf_init(&rb, f);

	*out = NULL;
	*out_labels = NULL;
	for (size_t i = 0; i < f->n; i++)
		n += labels[i] == 0 || labels[i] == 1;
	if (g) {
		g->row_ptr = calloc(n + 1, sizeof(*g->row_ptr));
		g->l1 = calloc(n ? n : 1, sizeof(*g->l1));
		*out_labels = malloc(n ? n : 1);
	}
	if (rc < 0 || !g || !g->row_ptr || !g->l1 || !*out_labels) {
		rc = LSR_ENOMEM;
		goto out;
	}
	g->active = f->active;
	for (size_t i = 0; i < f->n; i++) {
		struct row r;

		if (labels[i] != 0 && labels[i] != 1)
			continue;
		if ((rc = feats_row(f, i, &rb, &r)) < 0)
			goto out;
		if (nnz + r.n > alloc) {
			size_t na = alloc ? alloc * 2 : 4096;
			uint32_t *nc;
			float *nv;

			while (na < nnz + r.n)
				na *= 2;
			if (!(nc = realloc(g->col, na * sizeof(*nc)))) {
				rc = LSR_ENOMEM;
				goto out;
			}
			g->col = nc;
			if (!(nv = realloc(g->val, na * sizeof(*nv)))) {
				rc = LSR_ENOMEM;
				goto out;
			}
			g->val = nv;
			alloc = na;
		}
		if (r.n) {
			memcpy(g->col + nnz, r.col, r.n * sizeof(*r.col));
			memcpy(g->val + nnz, r.val, r.n * sizeof(*r.val));
		}
		nnz += r.n;
		(*out_labels)[g->n] = labels[i];
		g->l1[g->n++] = r.l1;
		g->row_ptr[g->n] = nnz;
	}
out:
	rowbuf_release(&rb);
	if (rc < 0) {
		rank_feats_free(g);
		free(*out_labels);
		*out_labels = NULL;
		return rc == LSR_ENOMEM ? lsr_error_set(LSR_ENOMEM, "out of memory training the model")
					: rc;
	}
	*out = g;
	return 0;
}

size_t rank_feats_rows(const struct rank_feats *f)
{
	return f->n;
}

size_t rank_feats_nnz(const struct rank_feats *f)
{
	return f->lazy ? f->nnz : f->row_ptr[f->n];
}

size_t rank_feats_bytes(const struct rank_feats *f)
{
	size_t nnz = rank_feats_nnz(f);

	if (f->lazy)
		return f->src.bytes + (size_t)RANK_DIM * sizeof(uint32_t) +
		       f->active * (sizeof(double) + sizeof(uint32_t));
	return (f->n + 1) * sizeof(size_t) + f->n * sizeof(float) +
	       nnz * (sizeof(uint32_t) + sizeof(float)) + f->active * sizeof(uint32_t);
}

/* ---- models ------------------------------------------------------------- */

static void quiet(const char *s)
{
	(void)s;
}

void rank_model_free(struct rank_model *m)
{
	if (!m)
		return;
	free(m->w);
	free(m);
}

/* The weight of an include relative to an exclude's (1). */
static double include_ratio(const struct rank_model_opts *o, size_t npos, size_t nneg)
{
	double r = (double)nneg / (double)npos;

	if (o->include_power != 1.0)
		r = pow(r, o->include_power);
	return r * (o->include_weight > 0 ? o->include_weight : 1.0);
}

/* Logistic regression by liblinear on the labelled rows. */
static int fit_lr(struct rank_model *m, const struct rank_feats *f, const signed char *labels,
		  const struct rank_model_opts *o, size_t npos, size_t nneg)
{
	int32_t *map = NULL;        /* column -> liblinear's index (1-based), 0: none */
	uint32_t *back = NULL;      /* liblinear's index - 1 -> column */
	struct feature_node *nodes = NULL, **x = NULL;
	double *y = NULL;
	size_t l = npos + nneg, nn = 0, li = 0, m_feat = 0;
	struct problem prob;
	struct parameter param;
	struct model *lm = NULL;
	int wl[2] = { 1, -1 };
	double wv[2];
	const char *err;
	int rc = 0;

	for (size_t i = 0; i < f->n; i++)
		if (labels[i] == 0 || labels[i] == 1)
			nn += f->row_ptr[i + 1] - f->row_ptr[i] + 2;
	map = calloc(f->active ? f->active : 1, sizeof(*map));
	back = malloc((nn ? nn : 1) * sizeof(*back));
	nodes = malloc((nn ? nn : 1) * sizeof(*nodes));
	x = calloc(l, sizeof(struct feature_node *));
	y = calloc(l, sizeof(double));
	if (!map || !back || !nodes || !x || !y) {
		rc = lsr_error_set(LSR_ENOMEM, "out of memory training the model");
		goto out;
	}
	/* number the buckets in order of first appearance (rows in order) */
	for (size_t i = 0; i < f->n; i++) {
		if (labels[i] != 0 && labels[i] != 1)
			continue;
		for (size_t e = f->row_ptr[i]; e < f->row_ptr[i + 1]; e++)
			if (!map[f->col[e]]) {
				back[m_feat] = f->col[e];
				map[f->col[e]] = (int32_t)++m_feat;
			}
	}
	nn = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (labels[i] != 0 && labels[i] != 1)
			continue;
		x[li] = &nodes[nn];
		y[li++] = labels[i] ? 1 : -1;
		/* liblinear wants ascending indexes; compact ones are not */
		for (size_t e = f->row_ptr[i]; e < f->row_ptr[i + 1]; e++) {
			nodes[nn].index = map[f->col[e]];
			nodes[nn++].value = f->val[e];
		}
		{
			struct feature_node *r = x[li - 1];
			size_t len = (size_t)(&nodes[nn] - r);

			/* insertion sort: rows are short and mostly ordered */
			for (size_t a = 1; a < len; a++) {
				struct feature_node t = r[a];
				size_t b = a;

				while (b > 0 && r[b - 1].index > t.index) {
					r[b] = r[b - 1];
					b--;
				}
				r[b] = t;
			}
		}
		nodes[nn].index = (int)m_feat + 1;
		nodes[nn++].value = 1.0;
		nodes[nn].index = -1;
		nodes[nn++].value = 0;
	}
	prob.l = (int)l;
	prob.n = (int)m_feat + 1;
	prob.y = y;
	prob.x = x;
	prob.bias = 1.0;
	memset(&param, 0, sizeof(param));
	param.solver_type = o->kind == RANK_MODEL_SVM ? L2R_L2LOSS_SVC : L2R_LR;
	param.eps = o->eps > 0 ? o->eps : 0.01;
	param.C = o->C > 0 ? o->C : 1.0;
	param.nr_weight = 2;
	param.weight_label = wl;
	wv[0] = include_ratio(o, npos, nneg);
	wv[1] = 1.0;
	param.weight = wv;
	if ((err = check_parameter(&prob, &param))) {
		rc = lsr_error_set(LSR_ERROR, "liblinear: %s", err);
		goto out;
	}
	set_print_string_function(quiet);
	lm = train(&prob, &param);
	if (!lm) {
		rc = lsr_error_set(LSR_ENOMEM, "liblinear could not train the model");
		goto out;
	}
	{
		double sign = lm->label[0] == 1 ? 1.0 : -1.0;

		for (size_t k = 0; k < m_feat; k++)
			m->w[back[k]] = sign * lm->w[k];
		m->bias = sign * lm->w[m_feat];
	}
out:
	if (lm)
		free_and_destroy_model(&lm);
	free(map);
	free(back);
	free(nodes);
	free(x);
	free(y);
	return rc;
}

/* Multinomial naive Bayes with class-balanced sample weights. */
static int fit_nb(struct rank_model *m, const struct rank_feats *f, const signed char *labels,
		  const struct rank_model_opts *o, size_t npos, size_t nneg)
{
	double *fc[2] = { NULL, NULL }, tot[2] = { 0, 0 }, sw[2];
	double alpha = o->alpha > 0 ? o->alpha : 1.0, v = (double)(f->active ? f->active : 1);
	uint32_t *touched = NULL;
	size_t nt = 0, cap = 0;
	int rc = 0;

	fc[0] = calloc(f->active ? f->active : 1, sizeof(double));
	fc[1] = calloc(f->active ? f->active : 1, sizeof(double));
	if (!fc[0] || !fc[1]) {
		rc = lsr_error_set(LSR_ENOMEM, "out of memory training the model");
		goto out;
	}
	/* sample weights summing to the rows trained on, the includes' share
	 * r n1 / (r n1 + n0) (a half when balanced, as scikit-learn's) */
	{
		double r = include_ratio(o, npos, nneg), n = (double)(npos + nneg);
		double share = r == (double)nneg / (double)npos
				       ? 0.5
				       : r * (double)npos / (r * (double)npos + (double)nneg);

		sw[1] = n * share / (double)npos;
		sw[0] = n * (1.0 - share) / (double)nneg;
	}
	for (size_t i = 0; i < f->n; i++) {
		int c;

		if (labels[i] != 0 && labels[i] != 1)
			continue;
		c = labels[i] == 1;
		for (size_t e = f->row_ptr[i]; e < f->row_ptr[i + 1]; e++) {
			uint32_t b = f->col[e];

			if (fc[0][b] == 0 && fc[1][b] == 0) {
				if (ARRAY_GROW(touched, nt, cap, 1024) < 0) {
					rc = lsr_error_set(LSR_ENOMEM, "out of memory training the model");
					goto out;
				}
				touched[nt++] = b;
			}
			fc[c][b] += sw[c] * f->val[e];
			tot[c] += sw[c] * f->val[e];
		}
	}
	/* unseen buckets: log((alpha) / (tot1 + alpha v)) - log(alpha / (tot0 + alpha v)) */
	m->per_l1 = log(tot[0] + alpha * v) - log(tot[1] + alpha * v);
	for (size_t k = 0; k < nt; k++) {
		uint32_t b = touched[k];

		m->w[b] = log(fc[1][b] + alpha) - log(fc[0][b] + alpha);
	}
	m->bias = 0; /* balanced weights: equal class priors */
out:
	free(fc[0]);
	free(fc[1]);
	free(touched);
	return rc;
}

/* The mean and standard deviation of m's scores over every row. */
static void score_moments(const struct rank_model *m, const struct rank_feats *f, double *mu,
			  double *sd)
{
	double s = 0, ss = 0;

	for (size_t i = 0; i < f->n; i++) {
		double x = rank_model_score(m, f, i);

		s += x;
		ss += x * x;
	}
	*mu = f->n ? s / (double)f->n : 0;
	*sd = f->n ? sqrt(fmax(ss / (double)f->n - *mu * *mu, 0)) : 0;
	if (!(*sd > 0))
		*sd = 1;
}

/* Both models, each score standardised over the rows of all, summed:
 * still one linear model, so scoring and explaining need nothing else
 * (f: the rows trained on, all of them or those labelled). */
static int fit_ensemble(struct rank_model *m, const struct rank_feats *f,
			const struct rank_feats *all, const signed char *labels,
			const struct rank_model_opts *o, size_t npos, size_t nneg)
{
	struct rank_model nb = { RANK_MODEL_NB, NULL, 0, 0 };
	double mu1, sd1, mu2, sd2;
	int rc;

	if (!(nb.w = calloc(f->active ? f->active : 1, sizeof(*nb.w))))
		return lsr_error_set(LSR_ENOMEM, "out of memory training the model");
	if ((rc = fit_lr(m, f, labels, o, npos, nneg)) < 0 ||
	    (rc = fit_nb(&nb, f, labels, o, npos, nneg)) < 0) {
		free(nb.w);
		return rc;
	}
	score_moments(m, all, &mu1, &sd1);
	score_moments(&nb, all, &mu2, &sd2);
	for (size_t c = 0; c < f->active; c++)
		m->w[c] = m->w[c] / sd1 + nb.w[c] / sd2;
	m->per_l1 = nb.per_l1 / sd2;
	m->bias = (m->bias - mu1) / sd1 + (nb.bias - mu2) / sd2;
	free(nb.w);
	return 0;
}

static signed char *cap_negatives(const signed char *labels, size_t n, size_t max);

int rank_model_fit(struct rank_model **out, const struct rank_feats *f,
		   const signed char *labels, const struct rank_model_opts *opts)
{
	struct rank_model_opts o = opts ? *opts : (struct rank_model_opts)RANK_MODEL_OPTS_INIT;
	struct rank_model *m;
	size_t npos = 0, nneg = 0;
	signed char *capped = NULL, *sub_labels = NULL;
	struct rank_feats *sub = NULL;
	const struct rank_feats *fit;
	int rc;

	*out = NULL;
	for (size_t i = 0; i < f->n; i++) {
		npos += labels[i] == 1;
		nneg += labels[i] == 0;
	}
	if (!npos || !nneg)
		return LSR_ENOTFOUND;
	m = calloc(1, sizeof(*m));
	if (!m || !(m->w = calloc(f->active ? f->active : 1, sizeof(*m->w)))) {
		free(m);
		return lsr_error_set(LSR_ENOMEM, "out of memory training the model");
	}
	m->kind = o.kind;
	if (o.kind != RANK_MODEL_NB && o.max_negatives && nneg > o.max_negatives) {
		if (!(capped = cap_negatives(labels, f->n, o.max_negatives))) {
			rank_model_free(m);
			return lsr_error_set(LSR_ENOMEM, "out of memory training the model");
		}
		labels = capped;
		nneg = o.max_negatives;
	}
	/* lazy rows: only those trained on are weighed, into built rows */
	if (f->lazy && (rc = feats_labelled(&sub, &sub_labels, f, labels)) < 0) {
		free(capped);
		rank_model_free(m);
		return rc;
	}
	fit = sub ? sub : f;
	if (sub)
		labels = sub_labels;
	rc = o.kind == RANK_MODEL_NB	     ? fit_nb(m, fit, labels, &o, npos, nneg)
	     : o.kind == RANK_MODEL_ENSEMBLE ? fit_ensemble(m, fit, f, labels, &o, npos, nneg)
					     : fit_lr(m, fit, labels, &o, npos, nneg);
	rank_feats_free(sub);
	free(sub_labels);
	free(capped);
	if (rc < 0) {
		rank_model_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

static double row_score(const struct rank_model *m, const struct row *r)
{
	double s = m->bias + m->per_l1 * r->l1;

	for (size_t e = 0; e < r->n; e++)
		s += m->w[r->col[e]] * r->val[e];
	return s;
}

/* The score of row i, read into rb; NAN when a lazy row cannot be read
 * (every row was read once when the features were made: it can only be
 * the memory). */
static double score_row(const struct rank_model *m, const struct rank_feats *f, size_t i,
			struct rowbuf *rb)
{
	struct row r;

	return feats_row(f, i, rb, &r) < 0 ? NAN : row_score(m, &r);
}

double rank_model_score(const struct rank_model *m, const struct rank_feats *f, size_t i)
{
	struct rowbuf rb;
	double s = rowbuf_init(&rb, f) < 0 ? NAN : score_row(m, f, i, &rb);

	rowbuf_release(&rb);
	return s;
}

struct score_job {
	const struct rank_model *m;
	const struct rank_feats *f;
	double *scores;
};

static void score_chunk(void *payload, size_t t, size_t from, size_t to)
{
	struct score_job *j = payload;
	struct rowbuf rb;
	int ok = rowbuf_init(&rb, j->f) == 0;

	(void)t;
	for (size_t i = from; i < to; i++)
		j->scores[i] = ok ? score_row(j->m, j->f, i, &rb) : NAN;
	rowbuf_release(&rb);
}

void rank_model_score_all(const struct rank_model *m, const struct rank_feats *f,
			  double *scores)
{
	struct score_job job = { m, f, scores };
	size_t k = f->lazy ? (size_t)f->threads : 1;

	/* each row's score is its own: the same whatever the chunks */
	while (k > 1 && f->n / k < 1000)
		k--;
	par_for(f->n, k, score_chunk, &job);
}

/* The coefficient of column c. */
static double col_weight(const struct rank_model *m, uint32_t c)
{
	return m->w[c] + m->per_l1;
}

double rank_model_bias(const struct rank_model *m)
{
	return m->bias;
}

/* ---- order -------------------------------------------------------------- */

struct ord {
	double score;
	int64_t id;
	size_t i;
};

static int cmp_ord(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void rank_order(size_t *out, size_t *out_n, const double *scores,
		const signed char *labels, const int64_t *ids, size_t rows)
{
	struct ord *v = malloc((rows ? rows : 1) * sizeof(*v));
	size_t n = 0;

	if (!v) {
		/* no room to sort: the unlabelled rows in id order */
		for (size_t i = 0; i < rows; i++)
			if (labels[i] != 0 && labels[i] != 1)
				out[n++] = i;
		*out_n = n;
		return;
	}
	for (size_t i = 0; i < rows; i++)
		if (labels[i] != 0 && labels[i] != 1)
			v[n++] = (struct ord){ isnan(scores[i]) ? -HUGE_VAL : scores[i],
					       ids ? ids[i] : (int64_t)i, i };
	qsort(v, n, sizeof(*v), cmp_ord);
	for (size_t k = 0; k < n; k++)
		out[k] = v[k].i;
	*out_n = n;
	free(v);
}

struct keyed {
	uint64_t key;
	int64_t id;
	size_t i;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* A copy of labels keeping max of its excludes (those of the smallest
 * SplitMix64 key of the row index), the others unlabelled; NULL when out
 * of memory. */
static signed char *cap_negatives(const signed char *labels, size_t n, size_t max)
{
	signed char *out = malloc(n ? n : 1);
	struct keyed *v = malloc((n ? n : 1) * sizeof(*v));
	size_t k = 0;

	if (!out || !v) {
		free(out);
		free(v);
		return NULL;
	}
	memcpy(out, labels, n);
	for (size_t i = 0; i < n; i++)
		if (labels[i] == 0) {
			v[k] = (struct keyed){ mix64(0x6e6567ULL ^ mix64(i)), (int64_t)i, i };
			k++;
		}
	qsort(v, k, sizeof(*v), cmp_keyed);
	for (size_t j = max; j < k; j++)
		out[v[j].i] = -1;
	free(v);
	return out;
}

void rank_presume_negatives(signed char *out, const signed char *labels, const int64_t *ids,
			    size_t rows, size_t k, uint64_t seed)
{
	struct keyed *v;
	size_t n = 0;

	memcpy(out, labels, rows);
	if (!k || !(v = malloc(rows * sizeof(*v) + 1)))
		return;
	for (size_t i = 0; i < rows; i++)
		if (labels[i] == -1)
			v[n++] = (struct keyed){ mix64(seed ^ mix64((uint64_t)ids[i])), ids[i], i };
	if (n > k)
		qsort(v, n, sizeof(*v), cmp_keyed);
	for (size_t j = 0; j < n && j < k; j++)
		out[v[j].i] = 0;
	free(v);
}

/* ---- explain ------------------------------------------------------------ */

static int cmp_term(const void *a, const void *b)
{
	const struct rank_term *x = a, *y = b;

	if (x->contrib != y->contrib)
		return x->contrib > y->contrib ? -1 : 1;
	return strcmp(x->term, y->term);
}

/* The terms *v (*n of them), sorted, become the caller's *out, *out_n. */
static void terms_hand_out(struct rank_term **v, size_t *n, struct rank_term **out,
			   size_t *out_n)
{
	if (*n > 1)
		qsort(*v, *n, sizeof(**v), cmp_term);
	*out = *v;
	*out_n = *n;
	*v = NULL;
	*n = 0;
}

void rank_terms_free(struct rank_term *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].term);
	free(v);
}

/* The value of bucket b in row r of f (0: absent), *col its column. */
static double row_value(const struct rank_feats *f, const struct row *r, uint32_t b,
			uint32_t *col)
{
	size_t lo = 0, hi = f->active;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->bucket[mid] == b)
			break;
		if (f->bucket[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= hi)
		return 0;
	b = (uint32_t)(lo + (hi - lo) / 2);
	*col = b;
	lo = 0;
	hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->col[mid] == b)
			return r->val[mid];
		if (r->col[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int rank_explain(struct rank_term **out, size_t *out_n, const struct rank_model *m,
		 const struct rank_feats *f, size_t i, const struct rank_text *doc,
		 const struct rank_feat_opts *opts)
{
	struct rank_feat_opts o = opts ? *opts : (struct rank_feat_opts)RANK_FEAT_OPTS_INIT;
	struct doc_text dt = { { BUF_INIT, BUF_INIT, BUF_INIT } };
	struct toks tk = { NULL, 0, 0 };
	struct rank_term *v = NULL;
	struct buf term = BUF_INIT;
	struct rowbuf rb;
	struct row row;
	size_t n = 0, alloc = 0;
	int rc;

	*out = NULL;
	*out_n = 0;
	if ((rc = rowbuf_init(&rb, f)) < 0 || (rc = feats_row(f, i, &rb, &row)) < 0 ||
	    (rc = doc_terms(&tk, &dt, doc, &o)) < 0)
		goto out;
	for (size_t k = 0; k < tk.n; k++) {
		const struct tok *t = &tk.v[k];
		uint32_t col = 0;
		double val = row_value(f, &row, t->bucket, &col);
		int seen = 0;

		if (val == 0)
			continue;
		buf_reset(&term);
		if ((t->ns && buf_adds(&term, "title:") < 0) || buf_add(&term, t->s, t->len) < 0 ||
		    (t->s2 && (buf_addc(&term, ' ') < 0 || buf_add(&term, t->s2, t->len2) < 0))) {
			rc = LSR_ENOMEM;
			goto out;
		}
		for (size_t j = 0; j < n && !seen; j++)
			seen = !strcmp(v[j].term, term.s);
		if (seen)
			continue;
		if ((rc = ARRAY_GROW(v, n, alloc, 32)) < 0)
			goto out;
		v[n].term = xstrdup(term.s);
		if (!v[n].term) {
			rc = LSR_ENOMEM;
			goto out;
		}
		v[n].weight = val;
		v[n].contrib = val * col_weight(m, col);
		n++;
	}
	terms_hand_out(&v, &n, out, out_n);
out:
	rowbuf_release(&rb);
	rank_terms_free(v, n);
	buf_release(&term);
	free(tk.v);
	for (int k = 0; k < 3; k++)
		buf_release(&dt.f[k]);
	return rc;
}

/* ---- the title model (rows without an abstract) ------------------------ */

int rank_text_has_abstract(const struct rank_text *doc)
{
	return doc->abstract && !text_is_blank_str(doc->abstract);
}

void rank_title_model_release(struct rank_title_model *t)
{
	free(t->rows);
	free(t->scored);
	rank_feats_free(t->f);
	rank_model_free(t->m);
	memset(t, 0, sizeof(*t));
}

int rank_title_model_make(struct rank_title_model *t, const struct rank_text *docs,
			  const unsigned char *without, size_t n,
			  const signed char *labels, const struct rank_feat_opts *fopts,
			  const struct rank_model_opts *mopts, int threads)
{
	struct rank_text *td = NULL;
	signed char *tl = NULL;
	unsigned char *noabs = malloc(n ? n : 1);
	size_t k = 0, nnoabs = 0, pos = 0, neg = 0;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (!noabs)
		return lsr_error_set(LSR_ENOMEM, "out of memory training the title model");
	for (size_t i = 0; i < n; i++) {
		noabs[i] = (unsigned char)(without ? without[i] != 0
						   : !rank_text_has_abstract(&docs[i]));
		nnoabs += noabs[i];
		pos += labels[i] == 1;
		neg += labels[i] == 0;
		k += noabs[i] || labels[i] == 0 || labels[i] == 1;
	}
	if (!nnoabs || !pos || !neg)
		goto out;
	t->rows = malloc(k * sizeof(*t->rows));
	t->scored = malloc(k);
	td = malloc(k * sizeof(*td));
	tl = malloc(k);
	if (!t->rows || !t->scored || !td || !tl) {
		rc = lsr_error_set(LSR_ENOMEM, "out of memory training the title model");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (noabs[i] || labels[i] == 0 || labels[i] == 1) {
			t->rows[t->n] = i;
			t->scored[t->n] = noabs[i];
			td[t->n] = (struct rank_text){ docs[i].title,
						       noabs[i] ? RANK_NO_ABSTRACT_TERM : NULL,
						       docs[i].keywords };
			tl[t->n++] = (signed char)(labels[i] == 0 || labels[i] == 1 ? labels[i] : -1);
		}
	if ((rc = rank_feats_build(&t->f, td, t->n, fopts, threads)) < 0)
		goto out;
	rc = rank_model_fit(&t->m, t->f, tl, mopts);
out:
	free(noabs);
	free(td);
	free(tl);
	if (rc < 0)
		rank_title_model_release(t);
	return rc < 0 ? rc : 0;
}

size_t rank_title_model_apply(const struct rank_title_model *t, double *scores, double weight)
{
	size_t done = 0;

	if (!t->m)
		return 0;
	for (size_t k = 0; k < t->n; k++)
		if (t->scored[k]) {
			size_t i = t->rows[k];

			scores[i] = weight * rank_model_score(t->m, t->f, k) + (1 - weight) * scores[i];
			done++;
		}
	return done;
}

int rank_title_model_row(const struct rank_title_model *t, size_t row, size_t *local)
{
	size_t lo = 0, hi = t->n;

	if (!t->m)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->rows[mid] < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->n && t->rows[lo] == row && t->scored[lo]) {
		*local = lo;
		return 1;
	}
	return 0;
}

int rank_explain_mean(struct rank_term **out, size_t *out_n, double *bias,
		      const struct rank_model *m, const struct rank_feats *f, size_t i,
		      const struct rank_title_model *t, size_t local, const struct rank_text *doc,
		      const struct rank_feat_opts *opts, double weight)
{
	struct rank_text td = { doc->title, RANK_NO_ABSTRACT_TERM, doc->keywords };
	struct rank_term *a = NULL, *b = NULL, *v;
	size_t na = 0, nb = 0;
	int rc;

	*out = NULL;
	*out_n = 0;
	if ((rc = rank_explain(&a, &na, m, f, i, doc, opts)) < 0 ||
	    (rc = rank_explain(&b, &nb, t->m, t->f, local, &td, opts)) < 0)
		goto out;
	/* the title model's terms renamed, then both lists in one */
	for (size_t k = 0; k < nb; k++) {
		struct buf name = BUF_INIT;
		int no = !strcmp(b[k].term, RANK_NO_ABSTRACT_TERM);

		if (buf_adds(&name, "[title model] ") < 0 ||
		    buf_adds(&name, no ? "(no abstract)" : b[k].term) < 0) {
			buf_release(&name);
			rc = LSR_ENOMEM;
			goto out;
		}
		free(b[k].term);
		b[k].term = name.s;
		b[k].contrib *= weight;
	}
	if (!(v = realloc(a, (na + nb ? na + nb : 1) * sizeof(*v)))) {
		rc = LSR_ENOMEM;
		goto out;
	}
	a = v;
	for (size_t k = 0; k < na; k++)
		a[k].contrib *= 1 - weight;
	if (nb)
		memcpy(a + na, b, nb * sizeof(*b));
	na += nb;
	free(b);
	b = NULL;
	nb = 0;
	*bias = weight * rank_model_bias(t->m) + (1 - weight) * rank_model_bias(m);
	terms_hand_out(&a, &na, out, out_n);
out:
	rank_terms_free(a, na);
	rank_terms_free(b, nb);
	return rc == LSR_ENOMEM ? lsr_error_set(LSR_ENOMEM, "out of memory explaining a score")
				: rc;
}

const char *rank_library_version(void)
{
	static char s[32];

	if (!s[0])
		snprintf(s, sizeof(s), "liblinear %d", liblinear_version);
	return s;
}
