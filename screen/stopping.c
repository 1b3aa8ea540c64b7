/*
 * stopping.c - the statistical stopping rule of prioritised screening:
 * Callaghan M, Müller-Hansen F (2020). Statistical stopping criteria for
 * automated screening in systematic reviews. Systematic Reviews 9:273,
 * doi:10.1186/s13643-020-01521-4.  rank.h gives the equations.
 *
 * The hypergeometric lower tail is GSL's gsl_cdf_hypergeometric_P(k, n1,
 * n2, t): k successes or fewer in t draws without replacement from n1
 * successes and n2 failures.  Their bias parameter is fixed at 1 (the
 * plain hypergeometric, no Wallenius weighting).
 */
#include "rank.h"
#include "../util/err.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

/* Targets as millionths: exact integer arithmetic for K_tot. */
#define TARGET_SCALE 1000000ULL

uint64_t stop_k_total(size_t found, double target)
{
	uint64_t t = (uint64_t)llround(target * (double)TARGET_SCALE);

	if (t == 0)
		t = 1;
	/* smallest R with found / R < t / SCALE, i.e. R * t > found * SCALE */
	return (uint64_t)found * TARGET_SCALE / t + 1;
}

/* P(X <= k), X ~ Hypergeometric(population, K, n); 0 when H0 cannot hold
 * (more relevant records needed than there are). */
static double tail_p(uint64_t K, size_t k, size_t n, size_t population)
{
	if (K > population)
		return 0.0;
	if (K <= k)
		return 1.0;
	return gsl_cdf_hypergeometric_P((unsigned int)k, (unsigned int)K,
					(unsigned int)(population - K), (unsigned int)n);
}

/*
 * Whether a tail's p-value, P(X <= k) as tail_p has it, may be below best;
 * 0 only when it certainly is not.  P = 1 - Q, and beyond the mode the
 * probabilities fall, so the upper tail Q = f(k + 1) + ... + f(top) is at
 * most (top - k) f(k + 1).  Skipping the tails that cannot win is what
 * keeps the rule fast: GSL sums Q term by term and stops when a term is
 * negligible against the sum, which never happens when f(k + 1)
 * underflows to 0 (a tail holding far more relevant records than H0
 * expects), so such a call costs O(n); at 100,000 citations screened in
 * random order, every long tail was one (18 s in all).
 */
static int may_beat(uint64_t K, size_t k, size_t n, size_t population, double best)
{
	double mode, q;
	uint64_t top;

	if (K > population || K <= k)
		return 1; /* tail_p's cheap cases */
	mode = floor(((double)n + 1) * ((double)K + 1) / ((double)population + 2));
	top = K < n ? K : n;
	if ((double)k + 1 <= mode || k >= top)
		return 1;
	q = (double)(top - k) * gsl_ran_hypergeometric_pdf((unsigned int)k + 1, (unsigned int)K,
							   (unsigned int)(population - K),
							   (unsigned int)n);
	/* a margin far above the rounding of either sum */
	return 1.0 - q - 1e-12 < best;
}

static int check_target(double target)
{
	if (!(target > 0 && target <= 1))
		return lsr_error_set(LSR_EUSAGE, "recall target %g is not in (0, 1]", target);
	return 0;
}

int stop_ranked_p(struct stop_result *out, const unsigned char *seq, size_t n_seen,
		  size_t N, double target)
{
	size_t r_seen = 0, k = 0;
	uint64_t k_tot;
	int rc;

	*out = (struct stop_result){ 1.0, 0, 0, 0, n_seen, 0 };
	if ((rc = check_target(target)) < 0)
		return rc;
	if (n_seen > N)
		return lsr_error_set(LSR_EUSAGE, "%zu records screened of %zu", n_seen, N);
	for (size_t i = 0; i < n_seen; i++)
		r_seen += seq[i] != 0;
	out->found = r_seen;
	k_tot = stop_k_total(r_seen, target);
	/* the tail of the last n records, n = 1 .. n_seen */
	for (size_t n = 1; n <= n_seen; n++) {
		uint64_t K;
		double p;

		k += seq[n_seen - n] != 0;
		K = k_tot - (r_seen - k);
		if (!may_beat(K, k, n, N - n_seen + n, out->p))
			continue;
		p = tail_p(K, k, n, N - n_seen + n);
		if (p < out->p) {
			out->p = p;
			out->tail = n;
			out->tail_found = k;
			out->k_h0 = K;
			if (p == 0)
				break; /* no later tail is below it */
		}
	}
	return 0;
}

int stop_sample_p(struct stop_result *out, size_t found_before, size_t n, size_t k,
		  size_t population, double target)
{
	uint64_t K;
	int rc;

	*out = (struct stop_result){ 1.0, n, k, 0, n, found_before + k };
	if ((rc = check_target(target)) < 0)
		return rc;
	if (k > n || n > population)
		return lsr_error_set(LSR_EUSAGE, "a sample of %zu with %zu relevant from %zu records",
				     n, k, population);
	K = stop_k_total(found_before + k, target) - found_before;
	out->k_h0 = K;
	if (n)
		out->p = tail_p(K, k, n, population);
	return 0;
}
