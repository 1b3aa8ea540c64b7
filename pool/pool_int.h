/*
 * pool_int.h - what the files of pool/ share and nobody else needs:
 * distribution helpers, the weighted (meta-)regression core, per-study
 * effect sizes, Mantel-Haenszel and Peto pooling.
 */
#ifndef LSR_POOL_INT_H
#define LSR_POOL_INT_H

#include "pool.h"

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>

/*
 * Convergence of the iterative tau2 estimators (REML, PM) and of the
 * Q-profile bounds, relative to tau2 plus the typical within-study variance:
 * the README's tolerance for iterative quantities is 1e-5 relative and the
 * oracle solved to about 1e-13, so we go to the limit of double precision.
 */
#define POOL_TAU2_RTOL 1e-14
#define POOL_MAXITER 1000

/* --- distributions (stats.c): tails computed directly ------------------- */

/* A confidence level as given (0 stands for 0.95). */
static inline double pool_level(double level)
{
	return level > 0 && level < 1 ? level : 0.95;
}
double pool_z_crit(double level);             /* z((1 + level) / 2) */
double pool_t_crit(double df, double level);  /* t(df, (1 + level) / 2) */
double pool_p_z(double z);                    /* two-sided normal p */
double pool_p_t(double t, double df);         /* two-sided t p */
double pool_p_chisq(double x, double df);     /* upper tail of chi-square */
double pool_chisq_lower_quantile(double p, double df); /* P(X <= q) = p */

/* The factor a CI method puts on the variance of an estimate, given
 * q = weighted residual sum of squares / residual df: 1 for z and t, q for
 * hk, max(1, q) for hk-adhoc.  Whether the reference is t: ci != Z. */
double pool_ci_scale(enum pool_ci ci, double q);

/* --- weighted regression with an additive variance tau2 (metareg.c) ----- */

/*
 * The model y = X b + u + e, e_i ~ N(0, v_i), u_i ~ N(0, tau2): the fixed-
 * effect (tau2 = 0), random-effects (X = 1) and mixed-effects
 * (meta-regression) models of metafor's rma.uni, with P = W - W X (X'WX)^-1
 * X'W, W = diag(1/(v_i + tau2)).
 */
struct pool_mr {
	const double *y, *v; /* k values (borrowed) */
	const double *X;     /* k x p, row-major; NULL: intercept only (p = 1) */
	size_t k, p;
	double vscale;       /* k / sum(1/v): the typical within-study variance */
	/* workspace, results of the last pool_mr_eval */
	double *w;           /* k weights */
	gsl_matrix *A;       /* (X'WX)^-1 */
	gsl_matrix *B2, *B3, *T; /* X'W^2X, X'W^3X, scratch */
	gsl_vector *b;       /* coefficients */
	gsl_vector *c;       /* X'Wy */
	double sumw;         /* sum of weights */
	double sumw2;        /* sum of squared weights */
	double rss;          /* y'Py = sum w (y - Xb)^2 */
	double ypy2;         /* y'PPy */
	double trP, trPP;
};

/* k > p >= 1 is not required: k >= p is. Returns 0 or LSR_ENOMEM. */
int pool_mr_init(struct pool_mr *m, const double *y, const double *v,
		 const double *X, size_t k, size_t p);
void pool_mr_release(struct pool_mr *m);
/* Fit at tau2; with traces, also y'PPy, tr P and tr PP.  LSR_ERROR when
 * X'WX is singular. */
int pool_mr_eval(struct pool_mr *m, double tau2, int traces);
/* Estimate tau2 (truncated at 0). */
int pool_mr_tau2(struct pool_mr *m, enum pool_tau2 method, double *tau2);
/* REML's (ml = 0) or ML's (ml = 1) fallback when Fisher scoring does not
 * converge: Brent on the estimating equation y'PPy = tr P (ML: = sum w),
 * tau2 >= 0, before metafor's check of the likelihood at 0. */
int pool_mr_lik_root(struct pool_mr *m, int ml, double *tau2);
/* The Q-profile interval for tau2 at level 95% (df = k - p). */
int pool_mr_qprofile(struct pool_mr *m, double level, double ci[2]);
/* The profile-likelihood interval for tau2 around the (REML, or with ml
 * the ML) estimate tau2: where 2 (ll(tau2) - ll) reaches the chi2(1)
 * quantile at level (metafor's confint(type = "PL")); 0 as the lower bound
 * when the likelihood at 0 is within reach. */
int pool_mr_plci(struct pool_mr *m, int ml, double tau2, double level, double ci[2]);
/* The "typical" sampling variance s2 = (k - p) / tr(P) at tau2 = 0, for
 * metafor's I2 = tau2 / (tau2 + s2); NaN when k <= p. */
int pool_mr_s2(struct pool_mr *m, double *s2);

/* --- per-study effects (effect.c) --------------------------------------- */

/* The 2x2 cells of a binary study. */
struct pool_cells {
	double a, b, c, d, n1, n2, N;
};

/* Raw cells of study s; 0, or -1 when a count is missing. */
int pool_cells_raw(struct pool_cells *out, const struct pool_study *s);
/* Add 0.5 to every cell. */
void pool_cells_correct(struct pool_cells *c);
/* Any cell zero? */
int pool_cells_have_zero(const struct pool_cells *c);

/*
 * The effect of study i for the analysis o asks for (measure, method,
 * convention), into e (status INCLUDED or NOT_ESTIMABLE; weights NaN).
 * The per-study estimates of an MH analysis under the metafor convention
 * drop double-zero studies, as rma.mh does.
 */
void pool_effect_compute(struct pool_est *e, const struct pool_input *in, size_t i,
			 const struct pool_opts *o);

/* --- Mantel-Haenszel and Peto (fixed.c) ---------------------------------- */

/*
 * Pool the studies with use[i] set by Mantel-Haenszel (fixed effect) into s,
 * with heterogeneity from the per-study estimates est[].  weights[i]
 * receives each study's MH weight (NaN when the study takes no part).
 */
int pool_mh_fit(struct pool_summary *s, double *weights, const struct pool_input *in,
		const struct pool_est *est, const unsigned char *use,
		const struct pool_opts *o);
/* Peto's one-step odds ratio over the studies with use[i] and V > 0. */
int pool_peto_fit(struct pool_summary *s, double *weights, const struct pool_est *est,
		  const unsigned char *use, size_t k, double level);
/* Cochran-Mantel-Haenszel and Tarone's tests (metafor's rma.mh) for the
 * studies with use[i], with the MH odds ratio psi. */
void pool_mh_tests(struct pool_result *r, const unsigned char *use, double psi);

/* --- summaries ---------------------------------------------------------- */

/* Every number NaN, counts 0. */
void pool_summary_clear(struct pool_summary *s);
/* Fill the test, CI and p of s from estimate and se (z, or t with df_t when
 * s->ci is not Z) at s->level. */
void pool_summary_test(struct pool_summary *s);
/* Q-based heterogeneity: df, p_Q, I2_from_Q (and I2, H2 for fixed effect). */
void pool_summary_hetero_q(struct pool_summary *s, double Q, double df);

/* --- the analysis driver (analysis.c) ------------------------------------ */

/* One analysis (the chosen method and model) of the studies with use[i]. */
int pool_analyse(struct pool_summary *s, double *weights, const struct pool_result *r,
		 const unsigned char *use, int random, int qprofile);
/* The per-study effects and variances of the studies with use[i] that have
 * an estimate, into y and v (k of them); idx (optional) receives their
 * input indices. */
size_t pool_collect(const struct pool_result *r, const unsigned char *use,
		    double *y, double *v, size_t *idx);
/* The fitspec of the analysis's model (random or not) for IV fits. */
void pool_fitspec_of(struct pool_fitspec *spec, const struct pool_result *r, int random);

int pool_subgroups_run(struct pool_result *r, const unsigned char *use);
int pool_moderator_run(struct pool_result *r, const unsigned char *use);
int pool_egger_run(struct pool_result *r, const unsigned char *use);
int pool_trimfill_run(struct pool_result *r, const unsigned char *use);
int pool_begg_run(struct pool_result *r, const unsigned char *use);
/*
 * The model matrix's columns for the moderators mods from their cells
 * (k rows of mods->n, row by row; "" is missing): kind[j] 1 a number, 0 a
 * factor, -1 (or kind NULL) a number when every given cell is one.  A
 * factor is R's: levels sorted, the first the reference, one 0/1 column
 * per other level, named moderator+level as metafor's coefficients are.
 * A missing cell is NaN in each of its moderator's columns.  *x (k x
 * *width) and *names (pointing into strings) are the caller's to free.
 */
int pool_mods_expand(double **x, const char ***names, size_t *width, struct strv *strings,
		     const struct strv *mods, const struct strv *cells, size_t k, const int *kind);
int pool_influence_run(struct pool_result *r, const unsigned char *use);
int pool_metareg_run(struct pool_result *r, const unsigned char *use);

/* Add a note for people to r->warnings (printf-style). */
int pool_warn(struct pool_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* --- text for people (table.c), shared with the figures ----------------- */

/* "= 0.13", "< 0.00001" (RevMan 5's rounding) */
void pool_fmt_p(char *out, size_t n, double p);
/* RevMan's rounding of an effect, a CI bound, a generic estimate or SE:
 * "0.72", "0.0123" (2 decimals, 3 significant digits below 0.1) */
void pool_fmt_num(char *out, size_t n, double x);
/*
 * The participants (and events) totals of the studies in mask (NULL: all)
 * as RevMan counts them: every study listed except those left out
 * (POOL_EST_EXCLUDED); a study not estimable counts.  The one rule of the
 * table, the forest plot, the review's text line and lsr grade.  A value
 * not reported adds nothing; weight_pct sums the pooled studies' weights.
 */
struct pool_totals {
	double n1, n2, events1, events2, weight_pct;
	int studies;            /* rows counted: pooled and not estimable */
	int not_estimable;      /* of them, not estimable (in no fit) */
};
void pool_totals(struct pool_totals *t, const struct pool_result *r, const unsigned char *mask);
/* "0.72 [0.49, 1.06]" on the display scale (ratios back-transformed) */
void pool_fmt_effect(char *out, size_t n, const struct pool_result *r, double est,
		     double lb, double ub);
/* "M-H, Random, 95% CI" */
void pool_fmt_method(char *out, size_t n, const struct pool_result *r);
/* The I2 the convention shows: RevMan 5's from Q, metafor's from tau2. */
double pool_shown_i2(const struct pool_result *r, const struct pool_summary *s);
/* "Heterogeneity: Tau² = ...; Chi² = ..., df = ... (P ...); I² = ...%" */
void pool_fmt_hetero(struct buf *b, const struct pool_result *r, const struct pool_summary *s);
/* "Test for overall effect: Z = ... (P ...)" */
void pool_fmt_overall(struct buf *b, const struct pool_summary *s);

/* Axes of the figures (funnel.c): a 1-2-5 step for about n intervals of
 * range, and up to max ticks between lo and hi on the analysis scale
 * (decades and 1-2-5 values of the ratio on a log scale). */
double pool_nice_step(double range, int n);
int pool_axis_ticks(double lo, double hi, int log_scale, double *t, int max);

/* The effect label of the measure for people ("Odds Ratio", ...). */
const char *pool_measure_title(enum pool_measure m);

#endif
