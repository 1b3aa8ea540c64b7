/*
 * pool_bench.c - time a random-effects meta-analysis of 10,000 studies:
 * REML tau2 by Fisher scoring, Hartung-Knapp, prediction interval and the
 * Q-profile confidence intervals for tau2, I2 and H2 (target: under 100 ms).
 *
 *     bench_pool_bench [K [REPEATS]]
 *
 * The studies are generated deterministically (a fixed-seed LCG and
 * Box-Muller): sampling variances uniform on [0.01, 0.5], true effects
 * N(0.3, 0.04).  Prints the median and the fastest of the repeats.
 */
#include "pool/pool.h"
#include "util/clock.h"
#include "util/err.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long lcg = 20251123ULL;

static double unif(void)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((lcg >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t k = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	int reps = argc > 2 ? atoi(argv[2]) : 21;
	double *y = malloc(sizeof(double) * k), *v = malloc(sizeof(double) * k);
	double *t = malloc(sizeof(double) * (size_t)reps);
	struct pool_fitspec spec = { 1, POOL_TAU2_REML, NAN, POOL_CI_HK, 1, 0.95 };
	struct pool_summary s;
	int ret = 0;

	gsl_set_error_handler_off();
	if (!y || !v || !t || k < 3 || reps < 1) {
		fprintf(stderr, "usage: bench_pool_bench [K >= 3 [REPEATS >= 1]]\n");
		ret = 2;
		goto out;
	}
	for (size_t i = 0; i < k; i++) {
		v[i] = 0.01 + 0.49 * unif();
		y[i] = 0.3 + 0.2 * gauss() + sqrt(v[i]) * gauss();
	}
	for (int r = 0; r < reps; r++) {
		double t0 = clock_mono();

		if (pool_iv_fit(&s, y, v, k, &spec) < 0) {
			fprintf(stderr, "bench_pool_bench: %s\n", lsr_error_last());
			ret = 1;
			goto out;
		}
		t[r] = clock_mono() - t0;
	}
	qsort(t, (size_t)reps, sizeof(double), cmp_double);
	printf("k = %zu studies, REML + Hartung-Knapp + Q-profile CIs, %d runs\n", k, reps);
	printf("estimate %.6f (SE %.6f), tau2 %.6f [%.6f, %.6f], I2 %.2f%% [%.2f, %.2f]\n",
	       s.estimate, s.se, s.tau2, s.tau2_ci[0], s.tau2_ci[1], s.I2, s.I2_ci[0], s.I2_ci[1]);
	printf("time per analysis: median %.2f ms, fastest %.2f ms (target < 100 ms)\n",
	       1e3 * t[reps / 2], 1e3 * t[0]);
out:
	free(y);
	free(v);
	free(t);
	return ret;
}
