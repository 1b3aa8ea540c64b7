/*
 * test_helpers.c - the small shared helpers: the thread pool (par_for),
 * growing arrays (ARRAY_GROW) and id parsing (num_parse_id).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/err.h"
#include "util/num.h"
#include "util/par.h"

struct cover {
	unsigned char *hit;   /* how often each item was visited */
	size_t first[16], last[16];
	int called[16];
};

static void visit(void *payload, size_t t, size_t from, size_t to)
{
	struct cover *c = payload;

	c->called[t]++;
	c->first[t] = from;
	c->last[t] = to;
	for (size_t i = from; i < to; i++)
		c->hit[i]++;
}

/* every item exactly once, chunks contiguous and in order, each chunk once */
static void test_par_for_covers(void **state)
{
	static const size_t ns[] = { 0, 1, 7, 64, 1000, 12345 };
	static const size_t chunks[] = { 0, 1, 2, 3, 8, 16 };

	(void)state;
	for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
		for (size_t b = 0; b < sizeof(chunks) / sizeof(chunks[0]); b++) {
			size_t n = ns[a], nc = chunks[b] ? chunks[b] : 1;
			struct cover c;

			memset(&c, 0, sizeof(c));
			c.hit = calloc(n + 1, 1);
			assert_non_null(c.hit);
			par_for(n, chunks[b], visit, &c);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(c.hit[i], 1);
			for (size_t t = 0; t < nc; t++) {
				assert_int_equal(c.called[t], 1);
				if (t)
					assert_int_equal(c.first[t], c.last[t - 1]);
			}
			assert_int_equal(c.first[0], 0);
			assert_int_equal(c.last[nc - 1], n);
			free(c.hit);
		}
	}
}

static void test_array_grow(void **state)
{
	int *v = NULL;
	size_t n = 0, alloc = 0;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(ARRAY_GROW(v, n, alloc, 4), 0);
		v[n++] = i;
	}
	assert_true(alloc >= n);
	assert_int_equal(alloc, 1024); /* 4 doubled eight times */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	free(v);

	/* a size that would overflow is refused, the array untouched */
	{
		void *p = NULL;
		size_t big = SIZE_MAX / 2 + 1;

		assert_int_equal(array_grow(&p, &big, 2, 1), LSR_ENOMEM);
		assert_null(p);
		assert_int_equal(big, SIZE_MAX / 2 + 1);
	}
}

static void test_num_parse_id(void **state)
{
	static const char *const bad[] = { "", "0", "-1", "+1", " 1", "1 ", "1x", "x",
		"99999999999999999999", "0x10", NULL };
	int64_t v = 0;

	(void)state;
	assert_int_equal(num_parse_id(&v, "1", "record"), 0);
	assert_int_equal(v, 1);
	assert_int_equal(num_parse_id(&v, "9223372036854775807", "record"), 0);
	assert_int_equal(v, INT64_MAX);
	for (int i = 0; bad[i]; i++) {
		v = 42;
		assert_int_equal(num_parse_id(&v, bad[i], "citation"), LSR_EUSAGE);
		assert_int_equal(v, 42);
		assert_non_null(strstr(lsr_error_last(), "is not a citation id"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_par_for_covers),
		cmocka_unit_test(test_array_grow),
		cmocka_unit_test(test_num_parse_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
