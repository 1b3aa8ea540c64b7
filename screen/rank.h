/*
 * rank.h - prioritised screening: the features, the models and the order
 * (rank.c), the rankings of a review (rank_db.c) and the stopping rule
 * (stopping.c).  Issue 13.
 *
 * Features.  Each citation's title, abstract and keywords/MeSH go through
 * screen_norm_text (utf8proc case folding, compatibility decomposition,
 * accents stripped, every character that is not a Unicode letter or digit a
 * space), then split into words; one-character words and English stop
 * words are dropped, and the remaining words of each field give unigrams
 * and bigrams (a bigram never spans two fields).  Terms are hashed
 * (64-bit FNV-1a, then a SplitMix64 finaliser) into RANK_DIM buckets, so no
 * vocabulary is kept in memory; lsr screen rank --explain tokenises the one
 * citation again to name the terms of its buckets.  A bucket found in fewer
 * than min_df citations is dropped.  Weights are TF-IDF: BM25's term
 * frequency (Robertson et al.; a count tf saturating toward k1 + 1, the
 * sooner the shorter the citation: tf (k1 + 1) / (tf + k1 (1 - b + b dl /
 * avgdl)), dl the citation's summed counts, avgdl their mean over the
 * citations weighed together; k1 1.2, b 0.75) times the smooth idf
 * ln((1 + n) / (1 + df)) + 1 (as scikit-learn), each vector L2-normalised.
 * The sublinear tf 1 + ln tf (tf above 1, tf below) and raw counts remain
 * as options (bench/README.md gives what each does on the benchmark).
 * Title and keyword terms count title_weight and
 * keyword_weight times; with title_terms each title word is also a term
 * of its own (off in production: bench/README.md gives what it did on the
 * benchmark, with the per-field normalisation tried and not kept).
 *
 * Models.  RANK_MODEL_LR: L2-regularised logistic regression by liblinear
 * (the primal trust-region Newton solver, which uses no random numbers),
 * trained on the features that occur in labelled citations only, with a
 * bias term and the includes weighed include_weight * (n_exclude /
 * n_include)^include_power against 1 for an exclude (1 and 1: balanced).
 * RANK_MODEL_SVM: the same with liblinear's primal L2-loss SVM (the
 * decision value as score).  RANK_MODEL_NB: multinomial naive Bayes on the
 * same TF-IDF vectors with additive smoothing alpha and sample weights of
 * the same ratio, summing to the rows trained on (class-balanced in the
 * reference learner of the benchmark).  RANK_MODEL_ENSEMBLE: LR and NB,
 * each score standardised, summed.  A score is the model's log-odds for
 * "include" (a decision value for the SVM, a sum for the ensemble).
 *
 * Order.  Unlabelled citations by score, highest first, ties by citation
 * id; everything is deterministic (no clock, no rand()).
 */
#ifndef LSR_SCREEN_RANK_H
#define LSR_SCREEN_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"

struct lsr_db;
struct lsr_progress;
struct protocol;
struct json_t;

/* Buckets of the hashed feature space (a power of two). */
#define RANK_DIM ((uint32_t)1 << 22)

/* ---- features and models (rank.c) --------------------------------------- */

/* One citation's text; any field may be NULL.  keywords: headings joined by
 * any separator (they are tokenised as words). */
struct rank_text {
	const char *title, *abstract, *keywords;
};

/* What a term's field-weighted count tf (which may be below 1) becomes
 * before it is multiplied by the idf. */
enum rank_tf {
	RANK_TF_RAW = 0,    /* tf */
	RANK_TF_LOG = 1,    /* 1 + ln tf for tf above 1, tf below */
	RANK_TF_BM25 = 2,   /* tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)) */
};

struct rank_feat_opts {
	int bigrams;        /* 1: unigrams and bigrams; 0: unigrams only */
	int min_df;         /* buckets in fewer citations are dropped (>= 1) */
	enum rank_tf tf;    /* the term frequency */
	double title_weight;/* counts of title terms are multiplied by this */
	double keyword_weight; /* and those of keyword terms by this */
	int title_terms;    /* 1: each title word is also a term of its own
			     * ("title:word"), besides the word */
	double bm25_k1, bm25_b; /* RANK_TF_BM25's saturation and length weight */
};

/* The production features. */
#define RANK_FEAT_OPTS_INIT { 1, 2, RANK_TF_BM25, 2.0, 0.2, 0, 1.2, 0.75 }

enum rank_model_kind {
	RANK_MODEL_LR = 0, RANK_MODEL_NB = 1, RANK_MODEL_ENSEMBLE = 2, RANK_MODEL_SVM = 3
};

struct rank_model_opts {
	enum rank_model_kind kind;
	double C;              /* LR: inverse regularisation strength */
	double eps;            /* LR: liblinear's stopping tolerance */
	double include_weight; /* LR, NB: multiplier of the include weight */
	double include_power;  /* the include weight is include_weight * (n_exclude /
				* n_include)^include_power (1: balanced classes) */
	double alpha;          /* NB, ensemble: additive smoothing */
	size_t presumed;       /* presumed negatives per training (rank_presume_negatives) */
	size_t max_negatives;  /* LR: at most this many excludes trained on (a deterministic
				* sample of them; 0: all), which bounds the time to train */
};

/* The production model, and the reference naive Bayes. */
#define RANK_MODEL_OPTS_INIT { RANK_MODEL_LR, 1.0, 0.01, 1.0, 1.0, 0.0, 100, 5000 }
#define RANK_MODEL_OPTS_NB   { RANK_MODEL_NB, 0.0, 0.0, 1.0, 1.0, 3.822, 0, 0 }

/* Sparse L2-normalised TF-IDF rows of n citations (opaque). */
struct rank_feats;

/*
 * Tokenise and weigh docs[0..n) (threads: 0 or 1 for one; the result does
 * not depend on it).  *out is the caller's (rank_feats_free).
 */
int rank_feats_build(struct rank_feats **out, const struct rank_text *docs, size_t n,
		     const struct rank_feat_opts *opts, int threads);
void rank_feats_free(struct rank_feats *f);
size_t rank_feats_rows(const struct rank_feats *f);
/* Non-zero entries stored (all rows). */
size_t rank_feats_nnz(const struct rank_feats *f);
/* Bytes of memory the rows and the workspaces hold. */
size_t rank_feats_bytes(const struct rank_feats *f);

/*
 * Raw term counts (what the feature cache keeps, rank_cache.c).  A
 * citation's raw counts are its buckets, ascending, each with its summed
 * field-weighted term count: the first pass of rank_feats_build, before
 * document frequencies, min_df, IDF, the tf and normalisation.  They
 * depend on the citation's text and on what rank_raw_fingerprint covers,
 * nothing else, so they may be kept from one ranking to the next.
 * rank_feats_from_raw then gives exactly the features rank_feats_build
 * gives from the texts.
 */
struct rank_raw {
	size_t n, alloc;
	uint32_t *bucket;          /* n, ascending */
	float *tf;                 /* n */
	struct rank_raw_ws *ws;    /* private: tokenising scratch */
};
#define RANK_RAW_INIT { 0, 0, NULL, NULL, NULL }

/* doc's raw counts into out (its arrays reused from one call to the next;
 * rank_raw_release frees them).  0 or LSR_ENOMEM (no message). */
int rank_raw_make(struct rank_raw *out, const struct rank_text *doc,
		  const struct rank_feat_opts *opts);
void rank_raw_release(struct rank_raw *r);

/*
 * A fingerprint of everything raw counts depend on: the feature options
 * that act on them (bigrams, title_weight, keyword_weight; not min_df,
 * tf or the BM25 parameters, which act later), RANK_DIM, the stop words, and the raw
 * counts of a fixed probe text (so a change to tokenising, hashing or
 * normalising shows).  A new option in struct rank_feat_opts that changes
 * raw counts must be added here, or cached counts would outlive it.
 */
uint64_t rank_raw_fingerprint(const struct rank_feat_opts *opts);

/* Raw counts of n citations as CSR: row i is bucket/tf[row_ptr[i] ..
 * row_ptr[i + 1]), buckets ascending within a row (all malloc'd). */
struct rank_raw_rows {
	size_t n;
	size_t *row_ptr;           /* n + 1 */
	uint32_t *bucket;
	float *tf;
};
void rank_raw_rows_release(struct rank_raw_rows *rows);

/*
 * The raw counts of docs[which[0..n)] (which NULL: docs[0..n)) into *out,
 * tokenised on threads as rank_feats_build does.  *out is the caller's
 * (rank_raw_rows_release); left empty on failure.
 */
int rank_raw_rows_make(struct rank_raw_rows *out, const struct rank_text *docs,
		       const size_t *which, size_t n, const struct rank_feat_opts *opts,
		       int threads);

/*
 * The features of rows (whose arrays it takes over and weighs in place:
 * rows is left empty, on success and on failure), on up to threads
 * threads (the same features whatever their number).  *out is the
 * caller's.
 */
int rank_feats_from_raw(struct rank_feats **out, struct rank_raw_rows *rows,
			const struct rank_feat_opts *opts, int threads);

/*
 * Raw rows read on demand, for rank_feats_lazy: get puts row i's buckets
 * (ascending) and counts into bucket/tf (room for at least max_terms) and
 * their number into *n, returning 0 or a negative error; it is called from
 * several threads at once.  release (may be NULL) frees ctx when the
 * features are freed; bytes is what the rows take, for rank_feats_bytes.
 */
struct rank_row_source {
	int (*get)(void *ctx, size_t i, uint32_t *bucket, float *tf, size_t room, size_t *n);
	void (*release)(void *ctx);
	void *ctx;
	size_t rows;
	size_t max_terms;
	size_t bytes;
};

/*
 * Features over src's rows that are weighed each time a row is read,
 * rather than held weighed: the values are rank_feats_from_raw's, bit for
 * bit, and only src's own form of the rows stays in memory (the feature
 * cache's packed rows: about 3.3 bytes a term against 8).  The rows are
 * read once here (document frequencies, on up to threads threads), and
 * again by every training, scoring and explaining.  The features own src
 * from the call on, on success and on failure (src->release).
 */
int rank_feats_lazy(struct rank_feats **out, const struct rank_row_source *src,
		    const struct rank_feat_opts *opts, int threads);

/* A trained model (opaque). */
struct rank_model;

/*
 * Train on the rows whose label is 0 (exclude) or 1 (include); other labels
 * (-1) are not used.  Needs at least one of each: LSR_ENOTFOUND otherwise
 * (nothing recorded as an error message is needed by callers that fall
 * back to another order).  *out is the caller's (rank_model_free).
 */
int rank_model_fit(struct rank_model **out, const struct rank_feats *f,
		   const signed char *labels, const struct rank_model_opts *opts);
void rank_model_free(struct rank_model *m);
/* The score of row i (log-odds for include). */
double rank_model_score(const struct rank_model *m, const struct rank_feats *f, size_t i);
/* Scores of every row into scores[0..rows). */
void rank_model_score_all(const struct rank_model *m, const struct rank_feats *f,
			  double *scores);
/* The model's intercept. */
double rank_model_bias(const struct rank_model *m);

/*
 * Presumed negatives (Cormack & Grossman's AutoTAR): copy labels into out
 * with k of the unlabelled rows (label -1) labelled 0 for training, those
 * with the smallest SplitMix64 key of (seed, ids[i]) -- a deterministic
 * random sample.  With few includes and a low prevalence, the unscreened
 * citations are almost all excludes, and the model learns what the
 * collection looks like instead of only the few screened excludes.  The
 * order is still taken over the rows unlabelled in labels, not out.
 */
void rank_presume_negatives(signed char *out, const signed char *labels, const int64_t *ids,
			    size_t rows, size_t k, uint64_t seed);

/*
 * The order: the indexes of the rows with label -1 into out (room for rows),
 * by score (highest first), ties by ids[i] (ascending).  *out_n: how many.
 */
void rank_order(size_t *out, size_t *out_n, const double *scores,
		const signed char *labels, const int64_t *ids, size_t rows);

/*
 * Citations without an abstract are judged on what they have.  A model
 * trained on full texts gives a title alone little weight: the terms that
 * tell includes from excludes are mostly in abstracts, so a relevant title
 * without one scores near the intercept and comes late (on the CLEF
 * galactomannan set, 5 of the last 6 includes found had no abstract).  The
 * title model is a second model of the same kind trained on the titles and
 * keywords alone of the rows trained on, with a term of its own for the
 * rows that have no abstract (so that it learns how often those are
 * included); a row without an abstract scores the mean of the two models'
 * log-odds (the title model alone cost the proton pump inhibitor set's
 * title-abstract row 2.5 points of WSS@95, where no-abstract records are
 * rarely included; the mean kept the galactomannan gain: bench/README.md).
 * Its features are built from the rows it needs (the rows trained on and
 * those without an abstract), not cached: titles are short.
 */
/* The term the title model gives a row without an abstract (as its
 * abstract), so that it learns how often those are included. */
#define RANK_NO_ABSTRACT_TERM "lsrnoabstract"

struct rank_title_model {
	size_t n;                /* rows it has features of */
	size_t *rows;            /* their indexes in the caller's rows, ascending */
	unsigned char *scored;   /* n: 1 for a row without an abstract (it scores) */
	struct rank_feats *f;    /* title and keyword features of those rows */
	struct rank_model *m;    /* NULL: no row without an abstract, or nothing to learn */
};

/* Whether doc has an abstract (a field with anything but white space). */
int rank_text_has_abstract(const struct rank_text *doc);

/*
 * The title model of docs[0..n) trained on labels (as rank_model_fit; the
 * presumed negatives included), made only when some row has no abstract
 * and labels hold an include and an exclude (t->m NULL otherwise, 0).
 * Which rows have no abstract: without[i] nonzero when without is given
 * (the caller may then leave other rows' abstracts out of docs: only
 * titles and keywords are read), else rank_text_has_abstract.  *t is the
 * caller's (rank_title_model_release).  0 or an error code.
 */
int rank_title_model_make(struct rank_title_model *t, const struct rank_text *docs,
			  const unsigned char *without, size_t n,
			  const signed char *labels, const struct rank_feat_opts *fopts,
			  const struct rank_model_opts *mopts, int threads);
/* scores[i] of every row i without an abstract (the full model's) replaced
 * by weight times the title model's plus (1 - weight) times its own, an
 * average of the two log-odds (nothing when t->m is NULL); how many were
 * replaced.  Production: RANK_TITLE_WEIGHT. */
size_t rank_title_model_apply(const struct rank_title_model *t, double *scores, double weight);
#define RANK_TITLE_WEIGHT 0.5
/* Whether the title model scores row (a row without an abstract, when
 * t->m is set): 1 and its own row in *local, else 0. */
int rank_title_model_row(const struct rank_title_model *t, size_t row, size_t *local);
void rank_title_model_release(struct rank_title_model *t);

/* One term of a citation and what it adds to the score. */
struct rank_term {
	char *term;        /* "word" or "word word" (caller frees via rank_terms_free) */
	double weight;     /* its TF-IDF value in the row */
	double contrib;    /* weight times the model's coefficient */
};

/*
 * The terms of row i of f, whose text is doc (the same text f was built
 * from), with their contributions, sorted by contribution (largest first,
 * ties by term).  Buckets several terms share are listed once per term
 * with the bucket's contribution.  *out (caller rank_terms_free), *out_n.
 */
int rank_explain(struct rank_term **out, size_t *out_n, const struct rank_model *m,
		 const struct rank_feats *f, size_t i, const struct rank_text *doc,
		 const struct rank_feat_opts *opts);
void rank_terms_free(struct rank_term *v, size_t n);

/*
 * The same for a row without an abstract (row i of f for the full model m,
 * row local of the title model t): the terms of both, each contribution
 * times its model's weight in the score (rank_title_model_apply), the
 * title model's named "[title model] term" (its no-abstract term
 * "[title model] (no abstract)"), sorted as rank_explain's; *bias: the
 * weighed intercepts, so that the contributions add up to the score minus
 * *bias.
 */
int rank_explain_mean(struct rank_term **out, size_t *out_n, double *bias,
		      const struct rank_model *m, const struct rank_feats *f, size_t i,
		      const struct rank_title_model *t, size_t local, const struct rank_text *doc,
		      const struct rank_feat_opts *opts, double weight);

/* "liblinear 230" (static). */
const char *rank_library_version(void);

/* ---- rankings of a review (rank_db.c) ------------------------------------ */

enum screen_ranking_kind {
	SCREEN_RANKING_PRIORITY = 0, /* a model's order (or the prior order) */
	SCREEN_RANKING_SAMPLE,       /* a random sample for the stopping rule */
};

/* An order of the title-abstract candidates, as batches use it. */
struct screen_ranking {
	enum screen_ranking_kind kind;
	int64_t id;            /* screen_rankings.id (0 for a sample) */
	const char *model;     /* "logistic-regression", "prior", "random-sample" (static) */
	size_t n;              /* citations in order */
	int64_t *ids;          /* in order */
	double *scores;        /* the model's log-odds; NAN in a prior or random order */
	size_t labelled;       /* training citations (a sample: citations screened before it) */
	size_t includes;       /* of which includes (a sample: includes found before it) */
	char inputs_hash[65];
	struct rank_pos *byid; /* private: positions by id */
};

/*
 * Train on the review's title-abstract decisions as reviewer may see them
 * (rank_db.c's header), order the pending citations reviewer has not
 * decided, and record the ranking (screen_rankings, its head in
 * screen_ranking_items).  Before the first include (or the first exclude)
 * the order is the prior one: fewer suggest-mode rule hits first, then
 * the seed's order, then id.  Same decisions, texts and seed: same order.
 * *out is the caller's (screen_ranking_release).  progress (may be NULL)
 * hears how far reading the review and the feature cache and tokenising
 * have come.
 */
int screen_ranking_make(struct screen_ranking *out, struct lsr_db *db, const struct protocol *p,
			const char *reviewer, uint64_t seed, const struct lsr_progress *progress);

/*
 * screen_ranking_make in two steps, for the screening server's worker:
 * compute on one connection (it writes only the feature cache), store on
 * another (the ranking row and its head, one transaction).
 * screen_ranking_job_decisions: the decisions (reviewer's and
 * resolutions, title-abstract) when the labels were read, as the stored
 * ranking records them.  *out is the caller's (screen_ranking_job_free).
 */
struct screen_ranking_job;
int screen_ranking_compute(struct screen_ranking_job **out, struct lsr_db *db,
			   const char *reviewer, uint64_t seed);
int64_t screen_ranking_job_decisions(const struct screen_ranking_job *j);
int screen_ranking_job_store(struct lsr_db *db, const struct protocol *p,
			     struct screen_ranking_job *j, int64_t *out_id);
void screen_ranking_job_free(struct screen_ranking_job *j);

/* A random order of every pending citation (the seed's), for a stopping
 * sample batch: includes and labelled say what was found and screened
 * before it. */
int screen_ranking_sample(struct screen_ranking *out, struct lsr_db *db, uint64_t seed);
void screen_ranking_release(struct screen_ranking *r);

/* The position of citation in r into *key (0 first); UINT64_MAX and
 * LSR_ENOTFOUND (no message) when r does not hold it.  batch.c's hook. */
int screen_ranking_key(const struct screen_ranking *r, int64_t citation, uint64_t *key);

/* Record, for every citation of batch, the ranking it came from (its
 * position and score) or that it is part of a stopping sample. */
int screen_ranking_record_batch(struct lsr_db *db, const struct screen_ranking *r, int64_t batch);

/*
 * For the screening server (lsr serve, a later step): the next citation to
 * show reviewer in priority order.  The latest ranking of reviewer is used
 * while fewer than screening.priority.retrain_every decisions (theirs and
 * resolutions) came after it and its head still holds a pending citation
 * reviewer has not decided; otherwise a new one is made and recorded.
 * *out_ranking: the ranking it came from.  LSR_ENOTFOUND: nothing left.
 * The server records the hand-out with screen_rank_handout.
 */
int screen_rank_next(struct lsr_db *db, const struct protocol *p, const char *reviewer,
		     uint64_t seed, int64_t *out_citation, int64_t *out_ranking);
int screen_rank_handout(struct lsr_db *db, int64_t ranking, int64_t citation,
			const char *reviewer);

/*
 * lsr screen rank as one JSON object: a new ranking for reviewer (recorded)
 * with its first `top` citations; explain (a citation id, 0: none) adds its
 * score, position, and the terms pushing it up and down.
 */
int screen_rank_json(struct lsr_db *db, const struct protocol *p, const char *reviewer,
		     uint64_t seed, int64_t explain, size_t top, struct json_t **out,
		     const struct lsr_progress *progress);

/*
 * The stopping rule on the review's title-abstract decisions (rank_db.c):
 * the sequence is the citations with a human status (reviewers' or a
 * resolution's) in the order of their first decision; the population every
 * counted citation not excluded by a rule or a stop.  JSON: recall_target,
 * confidence, population, screened, screened_in_priority_order,
 * includes_found, p, met, tail, tail_includes, k_h0, sample (null, or the
 * latest stopping sample: batch, size, population, includes, undecided, p,
 * met).
 */
int screen_stopping_json(struct lsr_db *db, double recall, double confidence,
			 struct json_t **out);

/* A citation's title-abstract status as screen_stopping_json_each reads
 * it: status, decided_by (NULL when pending) and, for the excluded, the
 * reason ('(none)' when there is none; NULL otherwise).  0 or an error. */
typedef int (*screen_ta_row_fn)(void *payload, const unsigned char *status,
				const unsigned char *decided_by, const unsigned char *reason);

/* screen_stopping_json, with each (may be NULL) hearing every counted
 * citation's title-abstract status from the same pass over the status
 * view (screen_status_stopping_json counts the status figures from it). */
int screen_stopping_json_each(struct lsr_db *db, double recall, double confidence,
			      struct json_t **out, screen_ta_row_fn each, void *payload);

/*
 * lsr screen stop: when the test passes (use_sample: the sample variant),
 * exclude every citation without a title-abstract decision by automation
 * ("not screened: stopping rule (recall >= R%, p = P)"), in one
 * transaction; else LSR_ERROR with the numbers.  *out: the figures, the
 * stop id and the citations excluded.
 */
int screen_stop(struct lsr_db *db, double recall, double confidence, int use_sample,
		struct json_t **out);

/* A stop as the report's methods state it. */
struct screen_stop_row {
	int64_t id;
	const char *method;    /* "ranked" | "sample" */
	double recall, confidence, p;
	int64_t population, screened, found, excluded;
	const char *at;
};

/* Call fn for every stop, oldest first (rows borrowed for the call). */
int screen_stops_each(struct lsr_db *db,
		      int (*fn)(const struct screen_stop_row *s, void *payload), void *payload);

/* ---- the stopping rule (stopping.c) --------------------------------------
 *
 * Callaghan & Müller-Hansen (2020), "Statistical stopping criteria for
 * automated screening in systematic reviews", Systematic Reviews 9:273.
 * H0: recall < target.  Of N records, n_seen were screened (in priority
 * order), r_seen of them relevant.  Under H0 the review holds at least
 * K_tot = floor(r_seen / target) + 1 relevant records.  Each tail of the
 * screened sequence -- its last n records, k of them relevant -- is taken
 * as a sample drawn without replacement from the N_n = N - n_seen + n
 * records not yet screened when the tail began, which under H0 held at
 * least K = K_tot - (r_seen - k) relevant ones (the paper's
 * K_tar = floor(r_seen / tau_tar - r_AL + 1), r_AL = r_seen - k).  The
 * p-value of the tail is P(X <= k), X ~ Hypergeometric(N_n, K, n)
 * (gsl_cdf_hypergeometric_P); the rule's p is the smallest over every
 * tail (their bias parameter at 1), and it is met when p < 1 - confidence.
 * Priority screening only makes the includes come earlier than random
 * drawing would, so the test is conservative.
 *
 * The random-sample variant (stop_sample_p): after the ranked screening,
 * n records drawn at random from the N_n still unscreened; only that
 * sample is tested.
 */

struct stop_result {
	double p;          /* smallest p-value; 1 when nothing was screened */
	size_t tail;       /* n of the tail that gave it */
	size_t tail_found; /* k: relevant records in that tail */
	uint64_t k_h0;     /* K: relevant records at the tail's start under H0 */
	size_t screened;   /* n_seen */
	size_t found;      /* r_seen */
};

/*
 * The ranked test on seq[0..n_seen) (1: relevant, 0: not, in screening
 * order) out of N records (N >= n_seen).  target in (0, 1].  0, or
 * LSR_EUSAGE for a target outside (0, 1] or n_seen > N.
 */
int stop_ranked_p(struct stop_result *out, const unsigned char *seq, size_t n_seen,
		  size_t N, double target);

/*
 * The random-sample test: found_before relevant records were found before
 * the sample; the sample of n records, drawn from population unscreened
 * records, held k relevant ones.
 */
int stop_sample_p(struct stop_result *out, size_t found_before, size_t n, size_t k,
		  size_t population, double target);

/* K_tot = floor(found / target) + 1, computed exactly for targets of up to
 * six decimals (0.95 * 20 is not below 19 because of rounding). */
uint64_t stop_k_total(size_t found, double target);

#endif
