/*
 * test_rank.c - features, models and order of prioritised screening
 * (screen/rank.c): TF-IDF rows are L2-normalised (BM25's tf checked
 * against values worked by hand), stop words and rare
 * terms are dropped, both models rank a citation sharing the includes'
 * words first, the order is deterministic with ties by id, explain
 * names the terms that pushed a score up and down, and the title model
 * scores the citations without an abstract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/rank.h"

static const struct rank_text docs[] = {
	{ "Proton pump inhibitors for reflux", "Omeprazole heals reflux oesophagitis.", "Omeprazole; Esophagitis" },
	{ "Omeprazole versus ranitidine in reflux", "A trial of omeprazole.", NULL },
	{ "Knee osteoarthritis in athletes", "Cartilage damage of the knee.", "Osteoarthritis, Knee" },
	{ "Cartilage repair of the knee", "Stem cells for cartilage.", NULL },
	{ "Lansoprazole and omeprazole in reflux disease", NULL, NULL },
	{ "Knee cartilage after injury", "Cartilage of athletes.", NULL },
	{ "Ωmega reflux ÉTUDE", "The of and", NULL },
};
#define NDOCS (sizeof(docs) / sizeof(docs[0]))
static const int64_t ids[NDOCS] = { 10, 11, 12, 13, 14, 15, 16 };

static struct rank_feats *build(int bigrams, int min_df)
{
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct rank_feats *f = NULL;

	o.bigrams = bigrams;
	o.min_df = min_df;
	assert_int_equal(rank_feats_build(&f, docs, NDOCS, &o, 2), 0);
	return f;
}

static void test_screen_rank__rows_normalised(void **state)
{
	struct rank_feats *f = build(1, 1), *g;
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;

	(void)state;
	assert_int_equal(rank_feats_rows(f), NDOCS);
	assert_true(rank_feats_nnz(f) > 0);
	/* a model with weight 1 everywhere would need internals: instead the
	 * same build with one thread gives the same rows */
	o.min_df = 1;
	assert_int_equal(rank_feats_build(&g, docs, NDOCS, &o, 1), 0);
	assert_int_equal(rank_feats_nnz(f), rank_feats_nnz(g));
	rank_feats_free(g);
	rank_feats_free(f);
}

/* Features weighed on two threads are those of one, value for value:
 * 2,500 citations (chunks of at least 1,000 rows), scored by one model. */
static void test_screen_rank__threads_same(void **state)
{
	enum { N = 2500 };
	struct rank_text *d = calloc(N, sizeof(*d));
	char (*abs)[96] = calloc(N, sizeof(*abs));
	signed char *lab = calloc(N, 1);
	double *s1 = calloc(N, sizeof(*s1)), *s2 = calloc(N, sizeof(*s2));
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct rank_feats *f1 = NULL, *f2 = NULL;
	struct rank_model *m = NULL;

	(void)state;
	assert_non_null(d);
	assert_non_null(abs);
	assert_non_null(lab);
	assert_non_null(s1);
	assert_non_null(s2);
	for (size_t i = 0; i < N; i++) {
		const struct rank_text *t = &docs[i % NDOCS];

		snprintf(abs[i], sizeof(abs[i]), "%s term%zu term%zu", t->abstract ? t->abstract : "",
			 i % 97, i % 13);
		d[i] = (struct rank_text){ t->title, abs[i], t->keywords };
		lab[i] = i % 10 ? -1 : i % NDOCS < 2;
	}
	assert_int_equal(rank_feats_build(&f1, d, N, &o, 1), 0);
	assert_int_equal(rank_feats_build(&f2, d, N, &o, 2), 0);
	assert_int_equal(rank_feats_nnz(f1), rank_feats_nnz(f2));
	assert_int_equal(rank_model_fit(&m, f1, lab, NULL), 0);
	rank_model_score_all(m, f1, s1);
	rank_model_score_all(m, f2, s2);
	assert_memory_equal(s1, s2, N * sizeof(*s1));
	rank_model_free(m);
	rank_feats_free(f1);
	rank_feats_free(f2);
	free(s1);
	free(s2);
	free(lab);
	free(abs);
	free(d);
}

/* min_df drops the terms of one citation only: row 6's words occur nowhere
 * else but "reflux" (its stop words never count). */
static void test_screen_rank__min_df(void **state)
{
	struct rank_feats *all = build(0, 1), *common = build(0, 2);

	(void)state;
	assert_true(rank_feats_nnz(common) < rank_feats_nnz(all));
	rank_feats_free(all);
	rank_feats_free(common);
}

static void check_model(enum rank_model_kind kind)
{
	struct rank_feats *f = build(1, 1);
	struct rank_model_opts mo = RANK_MODEL_OPTS_INIT, nb = RANK_MODEL_OPTS_NB;
	signed char labels[NDOCS] = { 1, -1, 0, -1, -1, -1, -1 };
	struct rank_model *m = NULL;
	double scores[NDOCS];
	size_t order[NDOCS], n = 0;

	if (kind == RANK_MODEL_NB)
		mo = nb;
	assert_int_equal(rank_model_fit(&m, f, labels, &mo), 0);
	rank_model_score_all(m, f, scores);
	rank_order(order, &n, scores, labels, ids, NDOCS);
	assert_int_equal(n, 5);
	/* the two reflux citations before the knee ones */
	assert_true(order[0] == 1 || order[0] == 4);
	assert_true(order[1] == 1 || order[1] == 4);
	assert_true(scores[1] > scores[3] && scores[4] > scores[5]);
	rank_model_free(m);
	rank_feats_free(f);
}

static void test_screen_rank__lr_ranks(void **state)
{
	(void)state;
	check_model(RANK_MODEL_LR);
}

static void test_screen_rank__nb_ranks(void **state)
{
	(void)state;
	check_model(RANK_MODEL_NB);
}

/* One class only: no model (the caller falls back to the prior order). */
static void test_screen_rank__one_class(void **state)
{
	struct rank_feats *f = build(1, 1);
	signed char labels[NDOCS] = { 1, 1, -1, -1, -1, -1, -1 };
	struct rank_model *m = NULL;

	(void)state;
	assert_int_equal(rank_model_fit(&m, f, labels, NULL), -2);
	assert_null(m);
	rank_feats_free(f);
}

/* Equal scores: by id, whatever the row order. */
static void test_screen_rank__ties_by_id(void **state)
{
	const double scores[4] = { 0.5, 0.5, 0.9, 0.5 };
	const signed char labels[4] = { -1, -1, -1, -1 };
	const int64_t tid[4] = { 30, 10, 40, 20 };
	size_t order[4], n;

	(void)state;
	rank_order(order, &n, scores, labels, tid, 4);
	assert_int_equal(n, 4);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 3);
	assert_int_equal(order[3], 0);
}

/* Features, a model on them and the terms of one row. */
struct explained {
	struct rank_feats *f;
	struct rank_model *m;
	struct rank_term *t;
	size_t n;
};

/* The features of d[0..nd) under o, a model trained on labels, and the
 * terms of row `row` into *x (explained_release). */
static void fit_explain_on(struct explained *x, const struct rank_text *d, size_t nd,
			   const signed char *labels, const struct rank_feat_opts *o, size_t row)
{
	memset(x, 0, sizeof(*x));
	assert_int_equal(rank_feats_build(&x->f, d, nd, o, 1), 0);
	assert_int_equal(rank_model_fit(&x->m, x->f, labels, NULL), 0);
	assert_int_equal(rank_explain(&x->t, &x->n, x->m, x->f, row, &d[row], o), 0);
}

/* The same on docs under o (min_df 1), the model trained on row 0 (an
 * include) and row 2 (an exclude), the rest unlabelled. */
static void fit_explain(struct explained *x, struct rank_feat_opts o, size_t row)
{
	static const signed char labels[NDOCS] = { 1, -1, 0, -1, -1, -1, -1 };

	o.min_df = 1;
	fit_explain_on(x, docs, NDOCS, labels, &o, row);
}

static void explained_release(struct explained *x)
{
	rank_terms_free(x->t, x->n);
	rank_model_free(x->m);
	rank_feats_free(x->f);
	memset(x, 0, sizeof(*x));
}

static void test_screen_rank__explain(void **state)
{
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct explained x;
	const struct rank_term *t;
	double sum = 0;
	int saw_bigram = 0, saw_folded = 0;

	(void)state;
	fit_explain(&x, o, 4);
	o.min_df = 1;
	t = x.t;
	assert_true(x.n > 3);
	for (size_t k = 0; k < x.n; k++) {
		sum += t[k].contrib;
		saw_bigram |= !strcmp(t[k].term, "omeprazole reflux");
		if (k)
			assert_true(t[k - 1].contrib >= t[k].contrib);
		assert_null(strstr(t[k].term, "and"));
	}
	assert_true(saw_bigram);
	/* every term once: contributions add up to the score minus the bias */
	assert_true(fabs(sum + rank_model_bias(x.m) - rank_model_score(x.m, x.f, 4)) < 1e-4);
	/* the words the include shares push it up most */
	assert_true(!strcmp(t[0].term, "omeprazole") || !strcmp(t[0].term, "reflux"));
	rank_terms_free(x.t, x.n);
	/* case folding and accents: "ÉTUDE" is "etude", "Ω" spelt out */
	assert_int_equal(rank_explain(&x.t, &x.n, x.m, x.f, 6, &docs[6], &o), 0);
	for (size_t k = 0; k < x.n; k++)
		saw_folded |= !strcmp(x.t[k].term, "etude");
	assert_true(saw_folded);
	explained_release(&x);
}

/* A term only in the keywords (weighed 0.2, below 1) keeps a positive
 * weight: 1 + ln 0.2 would be negative, the opposite sign of the same
 * word in an abstract.  Row 0's "esophagitis" is only in its keywords
 * (the abstract says "oesophagitis"). */
static void test_screen_rank__keyword_only_term(void **state)
{
	(void)state;
	/* with BM25's tf (production) and with the sublinear one */
	for (int log_tf = 0; log_tf < 2; log_tf++) {
		struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
		struct explained x;
		const struct rank_term *t;
		size_t n;
		int saw = 0;

		o.tf = log_tf ? RANK_TF_LOG : RANK_TF_BM25;
		fit_explain(&x, o, 0);
		t = x.t;
		n = x.n;
		for (size_t k = 0; k < n; k++) {
			assert_true(t[k].weight > 0);
			if (!strcmp(t[k].term, "esophagitis")) {
				saw = 1;
				/* below a word the abstract has once ("heals") */
				for (size_t j = 0; j < n; j++)
					if (!strcmp(t[j].term, "heals"))
						assert_true(t[k].weight < t[j].weight);
			}
		}
		assert_true(saw);
		explained_release(&x);
	}
}

/* Title words as terms of their own: explain names them "title:word",
 * and the contributions still add up to the score. */
static void test_screen_rank__title_terms(void **state)
{
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct explained x;
	double sum = 0;
	int saw = 0;

	(void)state;
	o.title_terms = 1;
	fit_explain(&x, o, 4);
	for (size_t k = 0; k < x.n; k++) {
		sum += x.t[k].contrib;
		saw |= !strcmp(x.t[k].term, "title:omeprazole");
	}
	assert_true(saw);
	assert_true(fabs(sum + rank_model_bias(x.m) - rank_model_score(x.m, x.f, 4)) < 1e-4);
	explained_release(&x);
}

/*
 * The fingerprint of raw counts (rank_raw_fingerprint, the feature cache's
 * key): NULL means the production options; each option that acts on raw
 * counts changes it, and those that act later (min_df, the tf and BM25's
 * parameters) do not, so changing them keeps the cache.
 */
static void test_screen_rank__fingerprint(void **state)
{
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT, p;
	uint64_t base = rank_raw_fingerprint(&o);

	(void)state;
	assert_true(base != 0);
	assert_true(rank_raw_fingerprint(NULL) == base);
	assert_true(rank_raw_fingerprint(&o) == base);
	p = o, p.bigrams = !o.bigrams;
	assert_true(rank_raw_fingerprint(&p) != base);
	p = o, p.title_weight = o.title_weight + 0.5;
	assert_true(rank_raw_fingerprint(&p) != base);
	p = o, p.keyword_weight = o.keyword_weight + 0.5;
	assert_true(rank_raw_fingerprint(&p) != base);
	p = o, p.title_terms = !o.title_terms;
	assert_true(rank_raw_fingerprint(&p) != base);
	/* what acts after the raw counts does not change it */
	p = o, p.min_df = o.min_df + 3;
	assert_true(rank_raw_fingerprint(&p) == base);
	p = o, p.tf = RANK_TF_LOG;
	assert_true(rank_raw_fingerprint(&p) == base);
	p = o, p.bm25_k1 = 2.0, p.bm25_b = 0.5;
	assert_true(rank_raw_fingerprint(&p) == base);
}

/* The weight rank_explain gives term of row i (-1 when absent). */
static double term_weight(const struct rank_term *t, size_t n, const char *term)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(t[k].term, term))
			return t[k].weight;
	return -1;
}

/*
 * BM25's term frequency, against values worked by hand.  Three citations,
 * unigrams, min_df 1: "alpha alpha beta" (dl 3), "beta beta gamma delta
 * epsilon zeta" (dl 6), "alpha" (dl 1); avgdl 10/3; idf of alpha and beta
 * (in 2 of 3) ln(4/3) + 1, of the others ln 2 + 1.  k1 1.2, b 0.75: row 0
 * has K = 1.2 (0.25 + 0.75 x 3 / (10/3)) = 1.11, alpha 2 x 2.2 / 3.11 x
 * 1.28768 = 1.82180 and beta 2.2 / 2.11 x 1.28768 = 1.34261, L2-normalised
 * 0.80501 and 0.59326; row 1 has K = 1.92, beta 4.4 / 3.92 x 1.28768 and
 * each of the four others 2.2 / 2.92 x 1.69315: 0.49291 and 0.43504.  The
 * sublinear tf gives row 0 0.86104 and 0.50854 instead.
 */
static void test_screen_rank__bm25(void **state)
{
	static const struct rank_text three[] = {
		{ NULL, "alpha alpha beta", NULL },
		{ NULL, "beta beta gamma delta epsilon zeta", NULL },
		{ NULL, "alpha", NULL },
	};
	static const signed char labels[] = { 1, 0, -1 };
	static const double want[2][2] = { { 0.80501, 0.59326 }, { 0.86104, 0.50854 } };
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;

	(void)state;
	assert_int_equal(o.tf, RANK_TF_BM25);
	o.bigrams = 0;
	o.min_df = 1;
	for (int log_tf = 0; log_tf < 2; log_tf++) {
		struct explained x;

		o.tf = log_tf ? RANK_TF_LOG : RANK_TF_BM25;
		fit_explain_on(&x, three, 3, labels, &o, 0);
		assert_int_equal(x.n, 2);
		assert_true(fabs(term_weight(x.t, x.n, "alpha") - want[log_tf][0]) < 1e-4);
		assert_true(fabs(term_weight(x.t, x.n, "beta") - want[log_tf][1]) < 1e-4);
		if (!log_tf) {
			rank_terms_free(x.t, x.n);
			assert_int_equal(rank_explain(&x.t, &x.n, x.m, x.f, 1, &three[1], &o), 0);
			assert_int_equal(x.n, 5);
			assert_true(fabs(term_weight(x.t, x.n, "beta") - 0.49291) < 1e-4);
			assert_true(fabs(term_weight(x.t, x.n, "zeta") - 0.43504) < 1e-4);
		}
		explained_release(&x);
	}
}

/* The title model: rows without an abstract (row 4; row 6's abstract is
 * all stop words but it has one) scored by a model trained on the titles
 * and keywords alone of the rows trained on (and a term for "no
 * abstract"), the other scores untouched. */
static void test_screen_rank__title_model(void **state)
{
	static const struct rank_text blank[] = {
		{ "a", NULL, NULL }, { "b", "", NULL }, { "c", " \n\t", "kw" }, { "d", "x", NULL },
	};
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	signed char labels[NDOCS] = { 1, -1, 0, 0, -1, -1, -1 };
	const signed char none[NDOCS] = { -1, -1, -1, -1, -1, -1, -1 };
	struct rank_title_model t;
	struct rank_text td[4];
	const size_t rows[4] = { 0, 2, 3, 4 };
	signed char tl[4] = { 1, 0, 0, -1 };
	struct rank_feats *f = NULL;
	struct rank_model *m = NULL;
	double scores[NDOCS];
	size_t local = 99;

	(void)state;
	assert_int_equal(rank_text_has_abstract(&blank[0]), 0);
	assert_int_equal(rank_text_has_abstract(&blank[1]), 0);
	assert_int_equal(rank_text_has_abstract(&blank[2]), 0);
	assert_int_equal(rank_text_has_abstract(&blank[3]), 1);
	assert_int_equal(rank_text_has_abstract(&docs[6]), 1);

	o.min_df = 1;
	/* nothing to learn from: no model, nothing replaced */
	assert_int_equal(rank_title_model_make(&t, docs, NULL, NDOCS, none, &o, NULL, 1), 0);
	assert_null(t.m);
	assert_int_equal(rank_title_model_apply(&t, scores, 1.0), 0);
	rank_title_model_release(&t);
	/* no row without an abstract: no model either */
	assert_int_equal(rank_title_model_make(&t, docs, NULL, 4, labels, &o, NULL, 1), 0);
	assert_null(t.m);
	rank_title_model_release(&t);

	assert_int_equal(rank_title_model_make(&t, docs, NULL, NDOCS, labels, &o, NULL, 1), 0);
	assert_non_null(t.m);
	assert_int_equal(t.n, 4);
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(t.rows[k], rows[k]);
	assert_int_equal(rank_title_model_row(&t, 4, &local), 1);
	assert_int_equal(local, 3);
	assert_int_equal(rank_title_model_row(&t, 1, &local), 0);
	assert_int_equal(rank_title_model_row(&t, 0, &local), 0); /* trained on, not scored */
	assert_int_equal(rank_title_model_row(&t, 6, &local), 0);
	for (size_t i = 0; i < NDOCS; i++)
		scores[i] = 100.0 + (double)i;
	assert_int_equal(rank_title_model_apply(&t, scores, 1.0), 1);
	for (size_t i = 0; i < NDOCS; i++)
		if (i != 4)
			assert_true(scores[i] == 100.0 + (double)i);
	/* the same as a model trained on those rows' titles and keywords */
	for (size_t k = 0; k < 4; k++)
		td[k] = (struct rank_text){ docs[rows[k]].title,
					    rows[k] == 4 ? RANK_NO_ABSTRACT_TERM : NULL,
					    docs[rows[k]].keywords };
	assert_int_equal(rank_feats_build(&f, td, 4, &o, 1), 0);
	assert_int_equal(rank_model_fit(&m, f, tl, NULL), 0);
	assert_true(scores[4] == rank_model_score(m, f, 3));
	/* with a weight: the mean of the two log-odds */
	scores[4] = 2.0;
	assert_int_equal(rank_title_model_apply(&t, scores, 0.25), 1);
	assert_true(fabs(scores[4] - (0.25 * rank_model_score(m, f, 3) + 0.75 * 2.0)) < 1e-12);
	/* explained: both models' terms, weighed, adding up to the mean */
	{
		struct rank_feats *full = build(1, 1);
		struct rank_model *fm = NULL;
		struct rank_term *terms = NULL;
		size_t nt = 0, titled = 0;
		double bias = 0, sum = 0, want;

		assert_int_equal(rank_model_fit(&fm, full, labels, NULL), 0);
		want = 0.25 * rank_model_score(m, f, 3) + 0.75 * rank_model_score(fm, full, 4);
		assert_int_equal(rank_explain_mean(&terms, &nt, &bias, fm, full, 4, &t, 3, &docs[4],
						   &o, 0.25), 0);
		for (size_t k = 0; k < nt; k++) {
			sum += terms[k].contrib;
			titled += !strncmp(terms[k].term, "[title model] ", 14);
			if (k)
				assert_true(terms[k - 1].contrib >= terms[k].contrib);
		}
		assert_true(fabs(bias + sum - want) < 1e-9);
		assert_true(titled > 0 && titled < nt);
		rank_terms_free(terms, nt);
		rank_model_free(fm);
		rank_feats_free(full);
	}
	/* omeprazole and reflux: the include's title and keywords */
	assert_true(scores[4] > rank_model_bias(m));
	rank_model_free(m);
	rank_feats_free(f);
	rank_title_model_release(&t);
	assert_null(t.rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen_rank__rows_normalised),
		cmocka_unit_test(test_screen_rank__min_df),
		cmocka_unit_test(test_screen_rank__threads_same),
		cmocka_unit_test(test_screen_rank__lr_ranks),
		cmocka_unit_test(test_screen_rank__nb_ranks),
		cmocka_unit_test(test_screen_rank__one_class),
		cmocka_unit_test(test_screen_rank__ties_by_id),
		cmocka_unit_test(test_screen_rank__explain),
		cmocka_unit_test(test_screen_rank__fingerprint),
		cmocka_unit_test(test_screen_rank__bm25),
		cmocka_unit_test(test_screen_rank__keyword_only_term),
		cmocka_unit_test(test_screen_rank__title_terms),
		cmocka_unit_test(test_screen_rank__title_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
