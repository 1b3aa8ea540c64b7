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
 * than min_df citations is dropped.  Weights are TF-IDF (sublinear tf
 * 1 + ln tf, smooth idf ln((1 + n) / (1 + df)) + 1, as scikit-learn), each
 * vector L2-normalised.
 *
 * Models.  RANK_MODEL_LR: L2-regularised logistic regression by liblinear
 * (the primal trust-region Newton solver, which uses no random numbers),
 * trained on the features that occur in labelled citations only, with a
 * bias term and class weights n_exclude / n_include for the includes
 * (scaled by include_weight).  RANK_MODEL_NB: multinomial naive Bayes on
 * the same TF-IDF vectors with additive smoothing alpha and class-balanced
 * sample weights (the reference learner of the benchmark).  A score is
 * the model's log-odds for "include".
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

struct rank_feat_opts {
	int bigrams;        /* 1: unigrams and bigrams; 0: unigrams only */
	int min_df;         /* buckets in fewer citations are dropped (>= 1) */
	int sublinear_tf;   /* 1: 1 + ln tf; 0: raw counts */
	double title_weight;/* counts of title terms are multiplied by this */
};

/* The production features. */
#define RANK_FEAT_OPTS_INIT { 1, 2, 1, 2.0 }

enum rank_model_kind { RANK_MODEL_LR = 0, RANK_MODEL_NB = 1 };

struct rank_model_opts {
	enum rank_model_kind kind;
	double C;              /* LR: inverse regularisation strength */
	double eps;            /* LR: liblinear's stopping tolerance */
	double include_weight; /* LR: multiplier of the balanced include weight */
	double alpha;          /* NB: additive smoothing */
};

/* The production model, and the reference naive Bayes. */
#define RANK_MODEL_OPTS_INIT { RANK_MODEL_LR, 1.0, 0.01, 1.0, 0.0 }
#define RANK_MODEL_OPTS_NB   { RANK_MODEL_NB, 0.0, 0.0, 0.0, 3.822 }

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
 * The order: the indexes of the rows with label -1 into out (room for rows),
 * by score (highest first), ties by ids[i] (ascending).  *out_n: how many.
 */
void rank_order(size_t *out, size_t *out_n, const double *scores,
		const signed char *labels, const int64_t *ids, size_t rows);

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

/* "liblinear 230" (static). */
const char *rank_library_version(void);

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
