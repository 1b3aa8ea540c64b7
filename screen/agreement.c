/*
 * agreement.c - agreement between two reviewers: percent agreement,
 * Cohen's kappa with its large-sample standard error and 95% confidence
 * interval, and Gwet's AC1 (see screen.h).
 *
 * With p_ij the proportion of units rater A put in category i and rater B
 * in j, p_i. and p_.j the margins:
 *   po = sum p_ii,  pe = sum p_i. p_.i,  kappa = (po - pe) / (1 - pe)
 *   var(kappa) = [ sum_i p_ii ((1 - pe) - (p_.i + p_i.)(1 - po))^2
 *                + (1 - po)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
 *                - (po pe - 2 pe + po)^2 ] / (n (1 - pe)^4)
 * (Fleiss, Cohen & Everitt 1969, Psychol Bull 72:323-327, the variance
 * SAS PROC FREQ reports as ASE), CI = kappa -/+ z(0.975) SE, clipped to
 * [-1, 1].
 *   AC1 = (po - pe1) / (1 - pe1),  pe1 = sum_k pi_k (1 - pi_k) / (q - 1),
 *   pi_k = (p_k. + p_.k) / 2
 * (Gwet 2008, Br J Math Stat Psychol 61:29-48), q the number of categories
 * of the scale (3 for include / exclude / maybe, used or not).
 */
#include "screening_int.h"
#include "../util/err.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

int screen_agreement_table(struct screen_agreement *out, const double *t, int q)
{
	double n = 0, po = 0, pe = 0, pe1 = 0, a = 0, b = 0, c, var, z;
	double row[16], col[16];

	if (q < 2 || q > 16)
		return lsr_error_set(LSR_ERROR, "agreement: %d categories (2 to 16 expected)", q);
	memset(out, 0, sizeof(*out));
	memset(row, 0, sizeof(row));
	memset(col, 0, sizeof(col));
	for (int i = 0; i < q * q; i++)
		n += t[i];
	out->n = n;
	out->kappa = out->kappa_se = out->kappa_lb = out->kappa_ub = out->ac1 = NAN;
	out->po = NAN;
	if (n <= 0)
		return 0;
	for (int i = 0; i < q; i++)
		for (int j = 0; j < q; j++) {
			row[i] += t[i * q + j] / n;
			col[j] += t[i * q + j] / n;
		}
	for (int i = 0; i < q; i++) {
		po += t[i * q + i] / n;
		pe += row[i] * col[i];
		pe1 += (row[i] + col[i]) / 2 * (1 - (row[i] + col[i]) / 2);
	}
	pe1 /= q - 1;
	out->po = po;
	if (1 - pe1 > 0)
		out->ac1 = (po - pe1) / (1 - pe1);
	if (!(1 - pe > 0))
		return 0; /* both raters used one category only: kappa undefined */
	out->kappa = (po - pe) / (1 - pe);
	for (int i = 0; i < q; i++) {
		double d = (1 - pe) - (col[i] + row[i]) * (1 - po);

		a += t[i * q + i] / n * d * d;
		for (int j = 0; j < q; j++)
			if (i != j)
				b += t[i * q + j] / n * (col[i] + row[j]) * (col[i] + row[j]);
	}
	b *= (1 - po) * (1 - po);
	c = po * pe - 2 * pe + po;
	var = (a + b - c * c) / (n * pow(1 - pe, 4));
	/* po = 1 makes the variance exactly 0 (a = c^2, b = 0): do not let
	 * rounding leave a residue */
	out->kappa_se = po < 1 && var > 0 ? sqrt(var) : 0;
	z = gsl_cdf_ugaussian_Pinv(0.975);
	/* kappa lies in [-1, 1]: the Wald interval is clipped to it */
	out->kappa_lb = fmax(-1.0, out->kappa - z * out->kappa_se);
	out->kappa_ub = fmin(1.0, out->kappa + z * out->kappa_se);
	return 0;
}
