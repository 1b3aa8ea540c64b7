/*
 * test_stopping.c - the stopping rule of Callaghan & Müller-Hansen (2020)
 * (screen/stopping.c): K under H0 computed exactly, the p-value of one
 * sample against the paper's worked example computed by hand and against
 * GSL directly, the smallest p over every tail against a brute-force
 * count of the hypergeometric probabilities, the tails skipped as unable
 * to win against every tail computed by GSL, and the refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

#include "screen/rank.h"

/* K_tot = floor(r / target) + 1, exact where r / target is an integer */
static void test_screen_stopping__k_total(void **state)
{
	(void)state;
	assert_int_equal(stop_k_total(95, 0.95), 101);  /* 95 / 0.95 = 100: recall 95% is not below */
	assert_int_equal(stop_k_total(19, 0.95), 21);
	assert_int_equal(stop_k_total(0, 0.95), 1);
	assert_int_equal(stop_k_total(10, 0.9), 12);    /* 11.11 */
	assert_int_equal(stop_k_total(40, 0.95), 43);   /* 42.1 */
	assert_int_equal(stop_k_total(7, 1.0), 8);
}

/*
 * The worked example of the paper's interactive explainer (and of
 * buscar's minimal example): 2,000 records, 1,000 screened with 95
 * relevant found, none in the last 100; target 95%.  K = floor(95 / 0.95
 * - 95 + 1) = 6 relevant records would remain among the 1,100 unseen when
 * the last 100 were drawn, and p = P(X = 0) = C(1094, 100) / C(1100, 100)
 * = prod_{i=0..5} (1000 - i) / (1100 - i) = 0.5637020164985524 (by hand,
 * Python's exact integers agree).
 */
static void test_screen_stopping__worked_example(void **state)
{
	struct stop_result r;

	(void)state;
	assert_int_equal(stop_sample_p(&r, 95, 100, 0, 1100, 0.95), 0);
	assert_int_equal(r.k_h0, 6);
	assert_true(fabs(r.p - 0.5637020164985524) < 1e-12);
	assert_true(fabs(r.p - gsl_cdf_hypergeometric_P(0, 6, 1094, 100)) < 1e-15);
	/* 600 more without a relevant one: p falls below 0.05 */
	assert_int_equal(stop_sample_p(&r, 95, 700, 0, 1100, 0.95), 0);
	assert_true(fabs(r.p - gsl_cdf_hypergeometric_P(0, 6, 1094, 700)) < 1e-15);
	assert_true(r.p < 0.05);
}

/*
 * A case small enough to do by hand: N = 10, seq 1 0 0, target 0.5.
 * K_tot = floor(1 / 0.5) + 1 = 3.
 *   tail 1: k 0, K 2, N 8:  C(6,1) / C(8,1) = 6/8
 *   tail 2: k 0, K 2, N 9:  C(7,2) / C(9,2) = 21/36
 *   tail 3: k 1, K 3, N 10: (C(7,3) + C(3,1) C(7,2)) / C(10,3) = 98/120
 * the smallest is 21/36, tail 2.
 */
static void test_screen_stopping__by_hand(void **state)
{
	const unsigned char seq[3] = { 1, 0, 0 };
	struct stop_result r;

	(void)state;
	assert_int_equal(stop_ranked_p(&r, seq, 3, 10, 0.5), 0);
	assert_true(fabs(r.p - 21.0 / 36.0) < 1e-12);
	assert_int_equal(r.tail, 2);
	assert_int_equal(r.tail_found, 0);
	assert_int_equal(r.k_h0, 2);
	assert_int_equal(r.screened, 3);
	assert_int_equal(r.found, 1);
}

/* P(X <= k) by summing C(K, i) C(N - K, n - i) / C(N, n). */
static double brute_cdf(unsigned k, unsigned K, unsigned N, unsigned n)
{
	double s = 0;

	for (unsigned i = 0; i <= k && i <= K && i <= n; i++) {
		if (n - i > N - K)
			continue;
		s += exp(gsl_sf_lnchoose(K, i) + gsl_sf_lnchoose(N - K, n - i) -
			 gsl_sf_lnchoose(N, n));
	}
	return s > 1 ? 1 : s;
}

/* Every tail of a longer sequence against the brute-force sums. */
static void test_screen_stopping__tails_brute_force(void **state)
{
	unsigned char seq[120];
	const size_t N = 400, n_seen = 120;
	const double target = 0.9;
	size_t r_seen = 0, k = 0;
	double best = 1;
	struct stop_result r;

	(void)state;
	/* includes early and thinning out, as priority screening finds them */
	for (size_t i = 0; i < n_seen; i++) {
		seq[i] = (i < 30 && i % 2 == 0) || (i >= 30 && i < 70 && i % 9 == 0);
		r_seen += seq[i];
	}
	for (size_t n = 1; n <= n_seen; n++) {
		uint64_t K;

		k += seq[n_seen - n];
		K = (uint64_t)floor(r_seen / target + 1e-9) + 1 - (r_seen - k);
		if (K <= N - n_seen + n && K > k) {
			double p = brute_cdf((unsigned)k, (unsigned)K, (unsigned)(N - n_seen + n),
					     (unsigned)n);

			if (p < best)
				best = p;
		}
	}
	assert_int_equal(stop_ranked_p(&r, seq, n_seen, N, target), 0);
	assert_int_equal(r.found, r_seen);
	assert_true(fabs(r.p - best) <= 1e-9 * best);
	assert_true(r.p < 1);
}

/* xorshift64*, for the sequences below */
static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545F4914F6CDD1DULL;
}

/*
 * stop_ranked_p skips the tails whose p-value cannot be below the
 * smallest so far and stops at p = 0; the result must be the one of
 * computing every tail with GSL (the same calls, so equal to the bit):
 * sequences in random order (every long tail far above H0's expectation,
 * where GSL's sum underflows), in priority order, with and without p = 0.
 */
static void test_screen_stopping__skipped_tails(void **state)
{
	static const double targets[] = { 0.8, 0.95, 0.99 };
	/* screened, population, includes per 1,000 screened, front-loaded */
	static const struct { size_t n, N; unsigned rate; int prioritised; } cases[] = {
		{ 3000, 30000, 50, 0 }, { 3000, 3100, 50, 1 }, { 2000, 40000, 20, 1 },
		{ 500, 600, 300, 1 }, { 1500, 1500, 100, 0 }, { 800, 50000, 0, 0 },
		/* f(k + 1) below the smallest double in the long tails */
		{ 3000, 300000, 100, 0 },
	};
	unsigned char *seq = malloc(3000);
	uint64_t x = 0x9E3779B97F4A7C15ULL;

	(void)state;
	assert_non_null(seq);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t n_seen = cases[c].n, N = cases[c].N;

		for (size_t i = 0; i < n_seen; i++) {
			/* prioritised: includes dense at the start, thinning out */
			unsigned rate = cases[c].prioritised
				? (unsigned)(cases[c].rate * 4 * (n_seen - i) / n_seen) : cases[c].rate;

			seq[i] = next_rand(&x) % 1000 < rate;
		}
		for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
			struct stop_result r, want = { 1.0, 0, 0, 0, n_seen, 0 };
			size_t r_seen = 0, k = 0;
			uint64_t k_tot;

			for (size_t i = 0; i < n_seen; i++)
				r_seen += seq[i];
			k_tot = stop_k_total(r_seen, targets[t]);
			for (size_t n = 1; n <= n_seen; n++) {
				uint64_t K;
				double p;

				k += seq[n_seen - n];
				K = k_tot - (r_seen - k);
				if (K > N - n_seen + n)
					p = 0.0;
				else if (K <= k)
					p = 1.0;
				else
					p = gsl_cdf_hypergeometric_P((unsigned)k, (unsigned)K,
								     (unsigned)(N - n_seen + n - K),
								     (unsigned)n);
				if (p < want.p) {
					want.p = p;
					want.tail = n;
					want.tail_found = k;
					want.k_h0 = K;
				}
			}
			assert_int_equal(stop_ranked_p(&r, seq, n_seen, N, targets[t]), 0);
			assert_true(r.p == want.p);
			assert_int_equal(r.tail, want.tail);
			assert_int_equal(r.tail_found, want.tail_found);
			assert_int_equal(r.k_h0, want.k_h0);
			assert_int_equal(r.found, r_seen);
		}
	}
	free(seq);
}

/* H0 needing more relevant records than remain: p = 0. */
static void test_screen_stopping__h0_impossible(void **state)
{
	struct stop_result r;
	unsigned char seq[10] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };

	(void)state;
	/* 10 found, all screened but 0 of 10: no record left to hide an 11th */
	assert_int_equal(stop_ranked_p(&r, seq, 10, 10, 0.95), 0);
	assert_true(r.p == 0);
}

static void test_screen_stopping__refusals(void **state)
{
	unsigned char seq[2] = { 1, 0 };
	struct stop_result r;

	(void)state;
	assert_int_equal(stop_ranked_p(&r, seq, 2, 1, 0.95), -10);
	assert_int_equal(stop_ranked_p(&r, seq, 2, 10, 0), -10);
	assert_int_equal(stop_ranked_p(&r, seq, 2, 10, 1.5), -10);
	assert_int_equal(stop_sample_p(&r, 0, 5, 6, 10, 0.95), -10);
	assert_int_equal(stop_sample_p(&r, 0, 11, 0, 10, 0.95), -10);
	/* nothing screened: nothing shown, p 1 */
	assert_int_equal(stop_ranked_p(&r, seq, 0, 10, 0.95), 0);
	assert_true(r.p == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen_stopping__k_total),
		cmocka_unit_test(test_screen_stopping__worked_example),
		cmocka_unit_test(test_screen_stopping__by_hand),
		cmocka_unit_test(test_screen_stopping__tails_brute_force),
		cmocka_unit_test(test_screen_stopping__skipped_tails),
		cmocka_unit_test(test_screen_stopping__h0_impossible),
		cmocka_unit_test(test_screen_stopping__refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
