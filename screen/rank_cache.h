/*
 * rank_cache.h - the feature cache of prioritised screening (rank_cache.c,
 * table screen_rank_features of db/migrations/0016_rank_features.sql).
 *
 * A ranking needs the TF-IDF rows of every live citation.  Their first
 * step, tokenising the text into raw term counts (rank.h: struct
 * rank_raw), is almost all of the cost and depends only on the citation's
 * text and the feature parameters; the cache keeps those counts per
 * citation with a hash of the text and rank_raw_fingerprint(), and a
 * ranking tokenises only the citations whose row is missing or does not
 * match.  Document frequencies, IDF and normalisation depend on the whole
 * review and are computed at each ranking, so the features -- and the
 * scores and the order -- are the same, bit for bit, with the cache cold,
 * warm or stale.  The features a ranking gets are lazy (rank.h:
 * rank_feats_lazy): they keep the rows packed as the table holds them and
 * weigh a row each time it is read, which halves a ranking's memory.
 */
#ifndef LSR_SCREEN_RANK_CACHE_H
#define LSR_SCREEN_RANK_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "rank.h"
#include "../util/buf.h"

struct lsr_db;
struct lsr_progress;

/* What one call found and did. */
struct rank_cache_stats {
	size_t rows;       /* citations asked for */
	size_t hits;       /* read from the cache */
	size_t made;       /* tokenised: no row, or its text or parameters changed */
	size_t dropped;    /* rows of citations not asked for, deleted */
	size_t bytes_read; /* packed bytes read */
	size_t bytes_written;
	size_t nnz;        /* raw entries of all rows */
	int stored;        /* 1: what was made was written (0: a read-only review) */
	size_t lacked;     /* rank_cache_feats_hashed: rows to make whose text was dropped */
};

/*
 * The features of citations ids[0..n) (strictly ascending: LSR_ERROR
 * otherwise) whose texts are docs[0..n): rows from the cache where they
 * match, the others tokenised (threads as rank_feats_build) and written
 * to the cache, in one transaction that also deletes the rows of every
 * citation not in ids (so ids must be all the live citations).  A
 * read-only review is read, not written.  Gives lazy features with
 * exactly the values rank_feats_build(docs, n, opts) gives.  *out is the caller's
 * (rank_feats_free); stats may be NULL.  Its rows are keyed by
 * rank_cache_text_hash of the joined text, a ranking's (rank_db.c) by
 * rank_cache_text_hash_src of the keywords' sources: the two do not share
 * rows, so a review ranked by lsr is read through
 * rank_cache_feats_hashed; this one serves callers holding texts alone
 * (the tests).
 */
int rank_cache_feats(struct rank_feats **out, struct rank_cache_stats *stats,
		     struct lsr_db *db, const int64_t *ids, const struct rank_text *docs,
		     size_t n, const struct rank_feat_opts *opts, int threads);

/*
 * Which of citations ids[0..n) (strictly ascending) the cache holds a row
 * for under opts' parameters: held[i] 1 and the row's text hash in th[i]
 * (th[i] untouched otherwise).  A ranking reads this before the texts, so
 * that it need not keep the abstract of a citation whose row is current.
 * 0 or an error code.
 */
int rank_cache_held(unsigned char *held, uint64_t *th, struct lsr_db *db, const int64_t *ids,
		    size_t n, const struct rank_feat_opts *opts);

/*
 * rank_cache_feats with each citation's text hash given (th[i]: the
 * rank_cache_text_hash of citation ids[i]'s whole text) and, when dropped
 * is not NULL, docs[i] without its text where dropped[i] is set (the
 * caller hashed the text and let it go: rank_cache_held said the cache
 * held it).  Should a dropped row have to be tokenised after all (its
 * cache row changed or went in between), nothing is made or written:
 * stats->lacked counts those rows and LSR_ERROR is returned, and the
 * caller reads the texts again.  progress (may be NULL) hears how far
 * reading the cache and tokenising have come.
 */
int rank_cache_feats_hashed(struct rank_feats **out, struct rank_cache_stats *stats,
			    struct lsr_db *db, const int64_t *ids, const uint64_t *th,
			    const struct rank_text *docs, const unsigned char *dropped, size_t n,
			    const struct rank_feat_opts *opts, int threads,
			    const struct lsr_progress *progress);

/* The 64-bit hash of a citation's text the cache checks (NULL fields and
 * empty ones differ; the hash is of the host's byte order). */
uint64_t rank_cache_text_hash(const struct rank_text *doc);

/*
 * The same for a citation whose keywords are given by their source, the
 * kwlen bytes at kw, instead of their text: a ranking of a review keys
 * the cache by its title, abstract and its member records' keyword and
 * MeSH fields as stored (rank_db.c), so that a citation's keywords need
 * be parsed only when its row is made or a model reads them.  The
 * source determines the keywords' text, so a row whose hash matches has
 * the counts of the current text.  Never equal to rank_cache_text_hash
 * of the same title and abstract (the keywords are absorbed after a tag
 * of their own).
 */
uint64_t rank_cache_text_hash_src(const char *title, const char *abstract, const void *kw,
				  size_t kwlen);

/*
 * One citation's raw counts packed (appended to out): varint n, varint
 * the number of distinct counts d, the d counts (IEEE float,
 * little-endian), then per entry the varint gap from the previous bucket
 * (the first from 0) and, when d > 1, the varint index of its count.
 * bucket[] strictly ascending, below RANK_DIM.  0 or LSR_ENOMEM.
 */
int rank_cache_pack(struct buf *out, const uint32_t *bucket, const float *tf, size_t n);

/*
 * Unpack data[0..len) (rank_cache_pack's) into bucket[] and tf[], room for
 * `room` entries; *n: the entries.  LSR_EPARSE (no message) when data is
 * not a well-formed packing of at most room entries with ascending
 * buckets below RANK_DIM.  rank_cache_packed_terms reads n alone.
 */
int rank_cache_unpack(uint32_t *bucket, float *tf, size_t room, size_t *n, const void *data,
		      size_t len);
int rank_cache_packed_terms(size_t *n, const void *data, size_t len);

/*
 * Where a ranking's time goes (rank_db.c; the benchmark's): what
 * screen_ranking_make computes for reviewer, timed by phase, without
 * recording the ranking.  The feature cache is read and written as a
 * ranking would.
 */
enum screen_rank_phase {
	SCREEN_RANK_LOAD,      /* the citations' texts and labels (SQL) */
	SCREEN_RANK_HASH,      /* the ranking's inputs hash (SHA-256) */
	SCREEN_RANK_FEATURES,  /* features, through the cache */
	SCREEN_RANK_TRAIN,     /* the model (liblinear) */
	SCREEN_RANK_ORDER,     /* scores and order */
	SCREEN_RANK_PHASES
};

struct screen_rank_profile {
	double wall[SCREEN_RANK_PHASES], cpu[SCREEN_RANK_PHASES]; /* seconds (process CPU) */
	struct rank_cache_stats cache;
	size_t citations, labelled, candidates, nnz;
	const char *model;     /* static */
	double wall_at, cpu_at; /* private */
};

int screen_rank_profile(struct screen_rank_profile *out, struct lsr_db *db,
			const char *reviewer, uint64_t seed);

#endif
