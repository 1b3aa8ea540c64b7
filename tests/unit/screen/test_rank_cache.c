/*
 * test_rank_cache.c - the feature cache of prioritised screening
 * (screen/rank_cache.c): features through the cache, cold, warm, after a
 * citation's text changed, after the feature parameters changed, with a
 * damaged row and with citations gone, give the scores rank_feats_build
 * gives, bit for bit, and tokenise only what they must; the packing
 * round-trips and refuses damaged data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "db/db.h"
#include "screen/rank.h"
#include "screen/rank_cache.h"
#include "tests/unit/testdb.h"
#include "util/buf.h"
#include "util/err.h"

#define N 60

static const char *const words[] = {
	"reflux", "omeprazole", "knee", "cartilage", "athletes", "trial", "randomised",
	"children", "asthma", "inhaler", "placebo", "stroke", "aspirin", "Étude", "Ωmega",
	"mortality", "cohort", "diabetes", "insulin", "metformin",
};
#define NW (sizeof(words) / sizeof(words[0]))

struct corpus {
	char *title[N], *abstract[N], *keywords[N];
	struct rank_text d[N];
	int64_t ids[N];
	signed char labels[N];
};

static char *text(unsigned seed, int nwords)
{
	struct buf b = BUF_INIT;

	for (int k = 0; k < nwords; k++) {
		seed = seed * 1103515245u + 12345u;
		assert_int_equal(buf_printf(&b, "%s%s", k ? " " : "", words[(seed >> 16) % NW]), 0);
	}
	return buf_detach(&b);
}

static void corpus_make(struct corpus *c)
{
	for (int i = 0; i < N; i++) {
		c->title[i] = text((unsigned)i * 7 + 1, 6);
		c->abstract[i] = i % 9 == 4 ? NULL : text((unsigned)i * 13 + 5, 30);
		c->keywords[i] = i % 3 ? text((unsigned)i * 3 + 2, 3) : NULL;
		c->d[i] = (struct rank_text){ c->title[i], c->abstract[i], c->keywords[i] };
		c->ids[i] = 100 + 3 * i;
		c->labels[i] = i < 6 ? (signed char)(strstr(c->title[i], "knee") != NULL) : -1;
	}
	c->labels[0] = 1;
	c->labels[1] = 0;
}

static void corpus_free(struct corpus *c)
{
	for (int i = 0; i < N; i++) {
		free(c->title[i]);
		free(c->abstract[i]);
		free(c->keywords[i]);
	}
}

/* The scores of a model trained on f (n rows). */
static double *scores_of(struct rank_feats *f, const signed char *labels)
{
	struct rank_model_opts mo = RANK_MODEL_OPTS_INIT;
	struct rank_model *m = NULL;
	double *s = calloc(rank_feats_rows(f), sizeof(*s));

	assert_non_null(s);
	assert_int_equal(rank_model_fit(&m, f, labels, &mo), 0);
	rank_model_score_all(m, f, s);
	rank_model_free(m);
	return s;
}

/* Row n / 2's score and the terms that made it, with a model trained on
 * a and on b, must be the same, bit for bit. */
static void explain_same(struct rank_feats *a, struct rank_feats *b, const signed char *labels,
			 const struct rank_text *docs, size_t n, const struct rank_feat_opts *o)
{
	struct rank_model_opts mo = RANK_MODEL_OPTS_INIT;
	struct rank_model *ma = NULL, *mb = NULL;
	struct rank_term *ta = NULL, *tb = NULL;
	size_t na = 0, nb = 0, i = n / 2;

	assert_int_equal(rank_model_fit(&ma, a, labels, &mo), 0);
	assert_int_equal(rank_model_fit(&mb, b, labels, &mo), 0);
	assert_true(rank_model_score(ma, a, i) == rank_model_score(mb, b, i));
	assert_int_equal(rank_explain(&ta, &na, ma, a, i, &docs[i], o), 0);
	assert_int_equal(rank_explain(&tb, &nb, mb, b, i, &docs[i], o), 0);
	assert_int_equal(na, nb);
	assert_true(na > 0);
	for (size_t k = 0; k < na; k++) {
		assert_string_equal(ta[k].term, tb[k].term);
		assert_true(ta[k].weight == tb[k].weight);
		assert_true(ta[k].contrib == tb[k].contrib);
	}
	rank_terms_free(ta, na);
	rank_terms_free(tb, nb);
	rank_model_free(ma);
	rank_model_free(mb);
}

/* The features of docs[0..n) through the cache and directly must give
 * the same scores, bit for bit. */
static void check_same(struct lsr_db *db, const struct corpus *c, const int64_t *ids,
		       const struct rank_text *docs, size_t n, const struct rank_feat_opts *o,
		       struct rank_cache_stats *st)
{
	struct rank_feats *a = NULL, *b = NULL;
	double *sa, *sb;

	assert_int_equal(rank_feats_build(&a, docs, n, o, 1), 0);
	assert_int_equal(rank_cache_feats(&b, st, db, ids, docs, n, o, 2), 0);
	assert_int_equal(rank_feats_rows(a), rank_feats_rows(b));
	assert_int_equal(rank_feats_nnz(a), rank_feats_nnz(b));
	assert_true(rank_feats_bytes(b) > 0);
	sa = scores_of(a, c->labels);
	sb = scores_of(b, c->labels);
	assert_memory_equal(sa, sb, n * sizeof(*sa));
	/* one row scored alone, and explained, alike */
	explain_same(a, b, c->labels, docs, n, o);
	free(sa);
	free(sb);
	rank_feats_free(a);
	rank_feats_free(b);
}

static struct lsr_db *open_db(char *path, size_t sz)
{
	return testdb_open(path, sz, "rank-cache");
}

static void close_db(struct lsr_db *db, const char *path)
{
	testdb_close(db, path);
}

/* Enough rows (2,500) that the features are counted and scored on two
 * threads: through the cache they give what rank_feats_build gives with
 * each model, bit for bit. */
static void test_screen_rank_cache__many_rows(void **state)
{
	enum { M = 2500 };
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct rank_model_opts mos[3] = { RANK_MODEL_OPTS_INIT, RANK_MODEL_OPTS_NB,
					  RANK_MODEL_OPTS_INIT };
	struct rank_text *d = calloc(M, sizeof(*d));
	char **t = calloc(2 * M, sizeof(*t)), path[64];
	int64_t *ids = calloc(M, sizeof(*ids));
	signed char *labels = calloc(M, 1);
	struct rank_feats *a = NULL, *b = NULL;
	struct rank_cache_stats st;
	double *sa = calloc(M, sizeof(*sa)), *sb = calloc(M, sizeof(*sb));
	struct lsr_db *db = open_db(path, sizeof(path));

	(void)state;
	assert_non_null(d);
	assert_non_null(t);
	assert_non_null(ids);
	assert_non_null(labels);
	assert_non_null(sa);
	assert_non_null(sb);
	mos[2].kind = RANK_MODEL_ENSEMBLE;
	for (int i = 0; i < M; i++) {
		t[2 * i] = text((unsigned)i * 31 + 7, 5);
		t[2 * i + 1] = i % 11 == 3 ? NULL : text((unsigned)i * 17 + 3, 25);
		d[i] = (struct rank_text){ t[2 * i], t[2 * i + 1], NULL };
		ids[i] = 10 + 2 * i;
		labels[i] = i % 5 ? -1 : (signed char)(strstr(t[2 * i], "knee") != NULL);
	}
	assert_int_equal(rank_feats_build(&a, d, M, &o, 2), 0);
	assert_int_equal(rank_cache_feats(&b, &st, db, ids, d, M, &o, 2), 0);
	assert_int_equal(st.made, M);
	assert_int_equal(rank_feats_nnz(a), rank_feats_nnz(b));
	for (int k = 0; k < 3; k++) {
		struct rank_model *ma = NULL, *mb = NULL;

		assert_int_equal(rank_model_fit(&ma, a, labels, &mos[k]), 0);
		assert_int_equal(rank_model_fit(&mb, b, labels, &mos[k]), 0);
		rank_model_score_all(ma, a, sa);
		rank_model_score_all(mb, b, sb);
		assert_memory_equal(sa, sb, M * sizeof(*sa));
		assert_true(sa[M - 1] == rank_model_score(mb, b, M - 1));
		rank_model_free(ma);
		rank_model_free(mb);
	}
	rank_feats_free(b);
	/* warm: every row read back from the table */
	assert_int_equal(rank_cache_feats(&b, &st, db, ids, d, M, &o, 2), 0);
	assert_int_equal(st.hits, M);
	{
		struct rank_model *ma = NULL, *mb = NULL;

		assert_int_equal(rank_model_fit(&ma, a, labels, &mos[0]), 0);
		assert_int_equal(rank_model_fit(&mb, b, labels, &mos[0]), 0);
		rank_model_score_all(ma, a, sa);
		rank_model_score_all(mb, b, sb);
		assert_memory_equal(sa, sb, M * sizeof(*sa));
		rank_model_free(ma);
		rank_model_free(mb);
	}
	rank_feats_free(a);
	rank_feats_free(b);
	close_db(db, path);
	for (int i = 0; i < 2 * M; i++)
		free(t[i]);
	free(t);
	free(d);
	free(ids);
	free(labels);
	free(sa);
	free(sb);
}

static void test_screen_rank_cache__same_features(void **state)
{
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct rank_cache_stats st;
	struct corpus c;
	struct lsr_db *db;
	char path[256], *old;
	int64_t rows = 0;

	(void)state;
	corpus_make(&c);
	db = open_db(path, sizeof(path));

	/* cold: every citation tokenised and stored */
	check_same(db, &c, c.ids, c.d, N, &o, &st);
	assert_int_equal(st.rows, N);
	assert_int_equal(st.hits, 0);
	assert_int_equal(st.made, N);
	assert_int_equal(st.stored, 1);
	assert_true(st.bytes_written > 0);
	assert_int_equal(db_query_int(db, &rows, "SELECT count(*) FROM screen_rank_features"), 0);
	assert_int_equal(rows, N);

	/* warm: nothing tokenised */
	check_same(db, &c, c.ids, c.d, N, &o, &st);
	assert_int_equal(st.hits, N);
	assert_int_equal(st.made, 0);
	assert_true(st.bytes_read > 0);
	assert_int_equal(st.bytes_written, 0);

	/* a citation's text changes (a merge brings a longer abstract) */
	old = c.abstract[7];
	c.abstract[7] = text(991, 40);
	c.d[7].abstract = c.abstract[7];
	check_same(db, &c, c.ids, c.d, N, &o, &st);
	assert_int_equal(st.hits, N - 1);
	assert_int_equal(st.made, 1);
	free(old);
	/* a field going from empty to missing is a change too */
	c.d[4].keywords = "";
	check_same(db, &c, c.ids, c.d, N, &o, &st);
	assert_int_equal(st.made, 1);
	c.d[4].keywords = c.keywords[4];
	check_same(db, &c, c.ids, c.d, N, &o, &st);
	assert_int_equal(st.made, 1);

	/* a damaged row is made again */
	assert_int_equal(db_exec(db, "UPDATE screen_rank_features SET data = x'05ff'"
				 " WHERE citation_id = 130"), 0);
	check_same(db, &c, c.ids, c.d, N, &o, &st);
	assert_int_equal(st.made, 1);
	assert_int_equal(st.hits, N - 1);

	/* the feature parameters change: every row is stale, then warm again */
	o.title_weight = 3.0;
	check_same(db, &c, c.ids, c.d, N, &o, &st);
	assert_int_equal(st.made, N);
	check_same(db, &c, c.ids, c.d, N, &o, &st);
	assert_int_equal(st.hits, N);
	/* min_df acts after the raw counts: the rows still hold */
	o.min_df = 1;
	check_same(db, &c, c.ids, c.d, N, &o, &st);
	assert_int_equal(st.hits, N);

	/* citations gone (merged away): their rows are deleted; the others hit */
	check_same(db, &c, c.ids + 10, c.d + 10, N - 10, &o, &st);
	assert_int_equal(st.hits, N - 10);
	assert_int_equal(st.dropped, 10);
	assert_int_equal(db_query_int(db, &rows, "SELECT count(*) FROM screen_rank_features"), 0);
	assert_int_equal(rows, N - 10);
	/* and one comes back */
	check_same(db, &c, c.ids + 9, c.d + 9, N - 9, &o, &st);
	assert_int_equal(st.hits, N - 10);
	assert_int_equal(st.made, 1);

	close_db(db, path);
	corpus_free(&c);
}

/* A ranking reads which rows the cache holds, hashes every text and keeps
 * only the abstracts the cache lacks: the features are the same, bit for
 * bit; a dropped text the cache turns out to lack after all is refused,
 * and nothing is written. */
static void test_screen_rank_cache__dropped_texts(void **state)
{
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT, other = RANK_FEAT_OPTS_INIT;
	struct rank_feats *a = NULL, *b = NULL;
	struct rank_cache_stats st;
	struct rank_text lean[N];
	unsigned char held[N], dropped[N];
	uint64_t cth[N], th[N];
	struct corpus c;
	struct lsr_db *db;
	char path[256], *old;
	int64_t rows = 0;
	double *sa, *sb;
	size_t ndropped = 0;

	(void)state;
	corpus_make(&c);
	db = open_db(path, sizeof(path));
	check_same(db, &c, c.ids, c.d, N, &o, &st); /* cold: every row stored */

	assert_int_equal(rank_cache_held(held, cth, db, c.ids, N, &o), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(held[i], 1);
		assert_true(cth[i] == rank_cache_text_hash(&c.d[i]));
	}
	/* other parameters: nothing held */
	other.title_weight = 3.0;
	assert_int_equal(rank_cache_held(held, cth, db, c.ids, N, &other), 0);
	assert_memory_equal(held, (unsigned char[N]){ 0 }, N);
	assert_int_equal(rank_cache_held(held, cth, db, c.ids, N, &o), 0);

	/* row 7's abstract changes: its hash no longer matches, it is kept */
	old = c.abstract[7];
	c.abstract[7] = text(4242, 25);
	c.d[7].abstract = c.abstract[7];
	for (int i = 0; i < N; i++) {
		th[i] = rank_cache_text_hash(&c.d[i]);
		dropped[i] = c.d[i].abstract && held[i] && cth[i] == th[i];
		ndropped += dropped[i];
		lean[i] = c.d[i];
		if (dropped[i])
			lean[i].abstract = NULL;
	}
	assert_int_equal(dropped[7], 0);
	assert_true(ndropped > N / 2);
	assert_int_equal(rank_feats_build(&a, c.d, N, &o, 1), 0);
	assert_int_equal(rank_cache_feats_hashed(&b, &st, db, c.ids, th, lean, dropped, N, &o, 2,
						 NULL), 0);
	assert_int_equal(st.made, 1);
	assert_int_equal(st.hits, N - 1);
	assert_int_equal(st.lacked, 0);
	assert_int_equal(rank_feats_nnz(a), rank_feats_nnz(b));
	sa = scores_of(a, c.labels);
	sb = scores_of(b, c.labels);
	assert_memory_equal(sa, sb, N * sizeof(*sa));
	free(sa);
	free(sb);
	rank_feats_free(a);
	rank_feats_free(b);
	b = NULL;

	/* the cache loses a dropped row between reading and features (another
	 * process): refused, counted, nothing written */
	assert_true(dropped[10]);
	assert_int_equal(db_exec(db, "DELETE FROM screen_rank_features WHERE citation_id = 130"), 0);
	assert_int_equal(rank_cache_feats_hashed(&b, &st, db, c.ids, th, lean, dropped, N, &o, 2,
						 NULL), LSR_ERROR);
	assert_null(b);
	assert_int_equal(st.lacked, 1);
	assert_int_equal(db_query_int(db, &rows, "SELECT count(*) FROM screen_rank_features"), 0);
	assert_int_equal(rows, N - 1);
	/* with every text it is made again */
	assert_int_equal(rank_cache_feats_hashed(&b, &st, db, c.ids, th, c.d, NULL, N, &o, 2, NULL),
			 0);
	assert_int_equal(st.made, 1);
	rank_feats_free(b);

	free(old);
	close_db(db, path);
	corpus_free(&c);
}

static void test_screen_rank_cache__ids_in_order(void **state)
{
	struct rank_feats *f = NULL;
	struct corpus c;
	struct lsr_db *db;
	char path[256];
	int64_t ids[3] = { 5, 4, 6 };

	(void)state;
	corpus_make(&c);
	db = open_db(path, sizeof(path));
	assert_int_equal(rank_cache_feats(&f, NULL, db, ids, c.d, 3, NULL, 1), LSR_ERROR);
	assert_null(f);
	/* no citations at all */
	assert_int_equal(rank_cache_feats(&f, NULL, db, ids, c.d, 0, NULL, 1), 0);
	assert_int_equal(rank_feats_rows(f), 0);
	rank_feats_free(f);
	close_db(db, path);
	corpus_free(&c);
}

static void test_screen_rank_cache__pack(void **state)
{
	uint32_t b[300], b2[300];
	float t[300], t2[300];
	struct buf p = BUF_INIT;
	size_t n = 0, terms = 0;
	uint32_t at = 0;

	(void)state;
	for (size_t i = 0; i < 300; i++) {
		at += 1 + (uint32_t)((i * 2654435761u) % 10000);
		b[i] = at;
		t[i] = i % 3 == 0 ? 2.0f : i % 3 == 1 ? 1.0f : 0.2f * (float)(i % 5);
	}
	b[299] = RANK_DIM - 1;
	assert_int_equal(rank_cache_pack(&p, b, t, 300), 0);
	assert_true(p.len < 300 * 8);
	assert_int_equal(rank_cache_packed_terms(&terms, p.s, p.len), 0);
	assert_int_equal(terms, 300);
	assert_int_equal(rank_cache_unpack(b2, t2, 300, &n, p.s, p.len), 0);
	assert_int_equal(n, 300);
	assert_memory_equal(b, b2, sizeof(b));
	assert_memory_equal(t, t2, sizeof(t));
	/* no room, truncated, trailing bytes */
	assert_int_equal(rank_cache_unpack(b2, t2, 299, &n, p.s, p.len), LSR_EPARSE);
	for (size_t cut = 0; cut < p.len; cut += 7)
		assert_int_equal(rank_cache_unpack(b2, t2, 300, &n, p.s, cut), LSR_EPARSE);
	assert_int_equal(buf_addc(&p, 0), 0);
	assert_int_equal(rank_cache_unpack(b2, t2, 300, &n, p.s, p.len), LSR_EPARSE);
	/* an empty row */
	buf_reset(&p);
	assert_int_equal(rank_cache_pack(&p, b, t, 0), 0);
	assert_int_equal(rank_cache_unpack(b2, t2, 0, &n, p.s, p.len), 0);
	assert_int_equal(n, 0);
	/* buckets out of order are refused when packing, a bucket past
	 * RANK_DIM when unpacking */
	buf_reset(&p);
	b[5] = b[4];
	assert_int_equal(rank_cache_pack(&p, b, t, 10), LSR_ERROR);
	buf_reset(&p);
	b[0] = RANK_DIM;
	assert_int_equal(rank_cache_pack(&p, b, t, 1), 0);
	assert_int_equal(rank_cache_unpack(b2, t2, 1, &n, p.s, p.len), LSR_EPARSE);
	buf_release(&p);
}

static void test_screen_rank_cache__text_hash(void **state)
{
	struct rank_text a = { "Knee cartilage", "An abstract of some length, past eight bytes.", NULL };
	struct rank_text b = a, c = a, d = a;
	uint64_t h = rank_cache_text_hash(&a);

	(void)state;
	b.keywords = "";
	c.abstract = "An abstract of some length, past eight bytes!";
	d.title = "Knee cartilag";
	assert_true(h == rank_cache_text_hash(&a));
	assert_true(h != rank_cache_text_hash(&b));
	assert_true(h != rank_cache_text_hash(&c));
	assert_true(h != rank_cache_text_hash(&d));
	/* the fields are told apart: the same bytes split otherwise */
	d.title = "Knee";
	d.abstract = "cartilageAn abstract of some length, past eight bytes.";
	assert_true(h != rank_cache_text_hash(&d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen_rank_cache__same_features),
		cmocka_unit_test(test_screen_rank_cache__many_rows),
		cmocka_unit_test(test_screen_rank_cache__dropped_texts),
		cmocka_unit_test(test_screen_rank_cache__ids_in_order),
		cmocka_unit_test(test_screen_rank_cache__pack),
		cmocka_unit_test(test_screen_rank_cache__text_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
