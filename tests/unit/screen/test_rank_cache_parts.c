/*
 * test_rank_cache_parts.c - screen/rank_cache.c: the citations a ranking
 * tokenises are made in parts (make_rows) and packed into the arena part
 * by part, so that a long tokenising reports its progress and never holds
 * more than a part unpacked; the rows packed part by part, unpacked, are
 * the rows made at once, entry for entry, and each part is reported.
 * Parts of 7 rows here (65,536 in a ranking).
 *
 * The file under test is compiled in here, so that the test can call its
 * private function.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/rank_cache.c"

#define N 40

struct heard {
	int calls;
	uint64_t last_done, total;
	int in_order;
};

static void hear(void *payload, const char *what, uint64_t done, uint64_t total, const char *unit)
{
	struct heard *h = payload;

	assert_string_equal(what, "ranking: tokenising");
	assert_string_equal(unit, "citations");
	h->in_order &= h->calls == 0 || done > h->last_done;
	h->last_done = done;
	h->total = total;
	h->calls++;
}

/* Rows which[0..a->n) of the arena, unpacked, are rows 0..a->n of a,
 * entry for entry; the arena's counts are theirs. */
static void same_rows(const struct arena *ar, const struct rank_raw_rows *a, const size_t *which)
{
	size_t terms = 0, longest = 0;

	for (size_t k = 0; k < a->n; k++) {
		size_t from = a->row_ptr[k], len = a->row_ptr[k + 1] - from, got = 0;
		uint32_t bucket[256];
		float tf[256];

		assert_true(len <= 256);
		assert_int_equal(arena_get((void *)ar, which[k], bucket, tf, 256, &got), 0);
		assert_int_equal(got, len);
		assert_memory_equal(bucket, a->bucket + from, len * sizeof(*bucket));
		assert_memory_equal(tf, a->tf + from, len * sizeof(*tf));
		terms += len;
		longest = len > longest ? len : longest;
	}
	assert_int_equal(ar->terms, terms);
	assert_int_equal(ar->max_terms, longest);
}

static void test_rank_cache_parts__same_rows(void **state)
{
	static char text[N][3][96];
	struct rank_text docs[N];
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct rank_raw_rows a = { 0, NULL, NULL, NULL };
	struct arena *ar;
	struct heard h = { 0, 0, 0, 1 };
	struct lsr_progress pr = { hear, &h };
	size_t which[N], n = 0;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		snprintf(text[i][0], sizeof(text[i][0]), "Trial %zu of drug %zu in liver cirrhosis", i,
			 i % 5);
		snprintf(text[i][1], sizeof(text[i][1]), "Patients %zu randomised; outcome %zu at week %zu",
			 i * 3, i % 7, i % 4);
		snprintf(text[i][2], sizeof(text[i][2]), "Keyword %zu; Shared", i % 3);
		/* some rows without an abstract or keywords */
		docs[i] = (struct rank_text){ text[i][0], i % 6 ? text[i][1] : NULL,
					      i % 4 ? text[i][2] : NULL };
		if (i % 3) /* the rows a ranking would tokenise: not all of them */
			which[n++] = i;
	}
	assert_int_equal(rank_raw_rows_make(&a, docs, which, n, &o, 2), 0);
	assert_non_null(ar = arena_new(N));
	assert_int_equal(make_rows(ar, docs, which, n, &o, 2, &pr, 7), 0);
	assert_int_equal(a.n, n);
	assert_true(a.row_ptr[n] > n);
	same_rows(ar, &a, which);
	/* one report per part, in order, out of all the rows */
	assert_int_equal(h.calls, (int)((n + 6) / 7));
	assert_true(h.in_order);
	assert_int_equal(h.total, n);
	arena_release(ar);
	/* no more rows than a part: made at once, nothing reported */
	h.calls = 0;
	assert_non_null(ar = arena_new(N));
	assert_int_equal(make_rows(ar, docs, which, 5, &o, 2, &pr, 7), 0);
	assert_int_equal(h.calls, 0);
	a.n = 5;
	same_rows(ar, &a, which);
	assert_int_equal(ar->size[which[5]], 0);
	arena_release(ar);
	a.n = n;
	rank_raw_rows_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_cache_parts__same_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
