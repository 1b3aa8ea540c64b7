/*
 * pool.h - the meta-analysis engine: effect sizes, fixed- and random-effects
 * pooling, heterogeneity, subgroups, meta-regression on a categorical
 * moderator, sensitivity analyses, small-study tests, forest and funnel
 * plots.
 *
 * The engine works on arrays of per-study data (struct pool_study) and
 * knows nothing of files, the review database or the command line: the CSV
 * reader (pool_csv_read) is one way to fill the arrays, the review database
 * another.  The formulas and where RevMan 5.4 and R's metafor differ are
 * given in docs/cmd/lsr-pool.md ("Methods and conventions"), with how they
 * map onto the options; each file of pool/ states those it implements.
 *
 *     struct pool_opts o = POOL_OPTS_INIT;
 *     struct pool_result *r;
 *     o.measure = POOL_OR;
 *     o.method = POOL_METHOD_MH;
 *     if (pool_run(&r, &input, &o) < 0) ...     // message in lsr_error_last()
 *     json_t *j = pool_result_json(r);           // one element of analyses[]
 *     pool_result_free(r);
 *
 * Numbers that do not apply are NaN in the structures (null in JSON).  All
 * arithmetic is in double precision, counts included.  Every function that
 * can fail returns 0 or a negative LSR_E* code with the message set; none
 * prints or exits.
 */
#ifndef LSR_POOL_H
#define LSR_POOL_H

#include <jansson.h>
#include <stddef.h>

#include "../util/buf.h"
#include "../util/strv.h"

/* --- input -------------------------------------------------------------- */

enum pool_data_type {
	POOL_DATA_CONT,    /* mean, SD and n per arm */
	POOL_DATA_BIN,     /* events and n per arm */
	POOL_DATA_GENERIC, /* effect and its variance (generic inverse variance) */
};

/*
 * One study (one row).  Group 1 is the experimental arm, group 2 the
 * control.  A value that was not reported is NaN: the study is then not
 * estimable and is reported as such (never silently dropped).  Validation of
 * the ranges (n >= 1, SD > 0, 0 <= events <= n, v > 0) is the caller's job
 * (pool_csv_read does it); pool_run only refuses what it cannot compute.
 */
struct pool_study {
	const char *label;    /* study label (borrowed) */
	const char *subgroup; /* subgroup label, NULL when none (borrowed) */
	double mean1, sd1, n1;
	double mean2, sd2, n2;
	double events1, events2; /* binary data use n1 and n2 above */
	double yi, vi;           /* generic: effect and its variance */
	double order;            /* cumulative analysis: sort key (NaN, or 0 for all: input order) */
};

struct pool_input {
	enum pool_data_type type;
	const struct pool_study *studies; /* k of them */
	size_t k;
	int has_subgroups; /* every study has a subgroup label */
	/* continuous moderators: x[i * nmods + j] is moderator j of study i */
	size_t nmods;
	const char *const *mod_names; /* nmods names (borrowed) */
	const double *x;              /* k x nmods (borrowed) */
};

/* --- options ------------------------------------------------------------ */

enum pool_measure { POOL_MD, POOL_SMD, POOL_OR, POOL_RR, POOL_RD, POOL_GIV };
enum pool_method { POOL_METHOD_IV, POOL_METHOD_MH, POOL_METHOD_PETO };
enum pool_model { POOL_MODEL_FIXED, POOL_MODEL_RANDOM, POOL_MODEL_AUTO };
enum pool_tau2 {
	POOL_TAU2_DL, POOL_TAU2_REML, POOL_TAU2_PM,
	POOL_TAU2_ML, POOL_TAU2_HS, POOL_TAU2_HE, POOL_TAU2_SJ, POOL_TAU2_EB,
};
/*
 * How the CI and the test of a random-effects estimate are made (fixed-
 * effect estimates always use z).  With q = sum w*(y - mu)^2 / (k - 1),
 * the variance of the estimate is scaled by 1 (z, t), q (Hartung & Knapp
 * 2001; Sidik & Jonkman 2002) or max(1, q) (the ad hoc correction of
 * Knapp & Hartung 2003, Roever, Knapp & Friede 2015), and all but z use
 * the t(k - 1) quantile: metafor's test = "z", "t", "knha", "adhoc".
 */
enum pool_ci {
	POOL_CI_UNSET = -1, /* the default: hk-adhoc, z with subgroups/moderator */
	POOL_CI_Z,
	POOL_CI_T,
	POOL_CI_HK,
	POOL_CI_HK_ADHOC,
};
/* SMD formula, zero cells, continuity correction inside MH, MH RD variance,
 * which I2 the table and the forest plot show */
enum pool_conv { POOL_CONV_REVMAN5, POOL_CONV_METAFOR };
enum pool_rdvar {
	POOL_RDVAR_CONV, /* as the convention says */
	POOL_RDVAR_GR,   /* Greenland & Robins 1985 (RevMan 5) */
	POOL_RDVAR_SGR,  /* Sato, Greenland & Robins 1989 (metafor rma.mh) */
};

enum pool_extra_flags {
	POOL_SUBGROUPS = 1 << 0,     /* RevMan subgroup analysis */
	POOL_MODERATOR = 1 << 1,     /* metafor meta-regression on the subgroup */
	POOL_LEAVE_ONE_OUT = 1 << 2, /* leave-one-out sensitivity analysis */
	POOL_EGGER = 1 << 3,         /* Egger's test, classic and model-based */
	POOL_TRIMFILL = 1 << 4,      /* trim-and-fill, estimator L0 */
	/* with POOL_SUBGROUPS: subtotals only, no overall total and no test
	 * for subgroup differences, for subgroups that share studies (time
	 * points); a study may then appear once in each subgroup */
	POOL_NO_TOTAL = 1 << 5,
	/* pool a study that has several rows (same label) anyway, with a
	 * warning; without it such an analysis is refused */
	POOL_ALLOW_REPEATED = 1 << 6,
	POOL_BEGG = 1 << 7,          /* Begg and Mazumdar's rank correlation test */
	POOL_CUMULATIVE = 1 << 8,    /* cumulative meta-analysis (by order, else input order) */
	POOL_INFLUENCE = 1 << 9,     /* influence diagnostics (metafor's influence()) */
	POOL_METAREG = 1 << 10,      /* meta-regression on in->x (continuous moderators) */
};

struct pool_opts {
	enum pool_measure measure;
	enum pool_method method;
	enum pool_model model;   /* AUTO: random when the heterogeneity p < 0.05 */
	enum pool_tau2 tau2;
	enum pool_ci ci;         /* CI and test of random-effects estimates */
	enum pool_conv conv;
	enum pool_rdvar rd_var;
	int log_scale;           /* GIV: effects are logs of ratios (-1: default, yes) */
	unsigned extras;         /* enum pool_extra_flags */
	const char *const *exclude; /* study labels left out (sensitivity) */
	size_t nexclude;
	double level;            /* confidence level of every CI, 0 < level < 1 (0: 0.95) */
	int tf_side;             /* trim-and-fill: -1 by Egger's slope, 0 left, 1 right */
	int tf_r0;               /* trim-and-fill estimator R0 instead of L0 */
};

#define POOL_OPTS_INIT { POOL_MD, POOL_METHOD_IV, POOL_MODEL_RANDOM, POOL_TAU2_REML, \
			 POOL_CI_UNSET, POOL_CONV_REVMAN5, POOL_RDVAR_CONV, -1, 0, NULL, 0, 0.95, -1, 0 }

/* Why an analysis with POOL_NO_TOTAL has no total (for people). */
#define POOL_NO_TOTAL_WHY "No overall total: the subgroups share studies (time points), so a total would count their participants more than once"

/* Names as the options and the JSON spell them ("MD", "MH", "REML", ...). */
const char *pool_measure_name(enum pool_measure m);
const char *pool_method_name(enum pool_method m);
const char *pool_tau2_name(enum pool_tau2 t);
const char *pool_conv_name(enum pool_conv c);
/* "z", "t", "hk", "hk-adhoc" (the option's spelling) */
const char *pool_ci_name(enum pool_ci c);
/* metafor's test = name: "z", "t", "knha", "adhoc" (the JSON's ci_method) */
const char *pool_ci_metafor_name(enum pool_ci c);
/* ", Hartung-Knapp" and the like for people, "" for z */
const char *pool_ci_title(enum pool_ci c);
/* Parse the names above, case-insensitively; 0 or LSR_EUSAGE with a message.
 * pool_tau2_parse also takes the reference files' descriptive spellings
 * such as "DL(Q from MH)" and "DL (separately per subgroup)". */
int pool_measure_parse(enum pool_measure *out, const char *s);
int pool_method_parse(enum pool_method *out, const char *s);
int pool_tau2_parse(enum pool_tau2 *out, const char *s);
int pool_conv_parse(enum pool_conv *out, const char *s);
/* Either spelling above. */
int pool_ci_parse(enum pool_ci *out, const char *s);
/* Whether a study label has rows in two different subgroups (time points
 * of the same participants): lsr pool --subgroup then gives subtotals only
 * (POOL_NO_TOTAL) unless repeated studies are allowed. */
int pool_subgroups_share_studies(const struct pool_input *in);
/* The data type a measure needs. */
enum pool_data_type pool_measure_data_type(enum pool_measure m);

/* --- results ------------------------------------------------------------ */

enum pool_est_status {
	POOL_EST_INCLUDED,      /* has an estimate and is pooled */
	POOL_EST_NOT_ESTIMABLE, /* no estimate: see reason */
	POOL_EST_EXCLUDED,      /* estimable, left out by --exclude */
};

/* One study's effect in one analysis. */
struct pool_est {
	enum pool_est_status status;
	const char *reason;  /* why not estimable (static text), or NULL */
	int cc;              /* 0.5 added to every cell */
	double yi, vi;       /* effect on the analysis scale and its variance */
	double ci_lb, ci_ub; /* yi -/+ z sqrt(vi) */
	double weight;       /* raw weight used (1/v, 1/(v+tau2), MH weight, V) */
	double weight_pct;   /* 100 weight / sum of weights */
	double J, d, s_pooled; /* SMD: correction factor, d before it, pooled SD */
	double o_minus_e, v_peto; /* Peto */
};

/* A pooled estimate with its heterogeneity statistics. */
struct pool_summary {
	int k;          /* studies pooled */
	int random;     /* random-effects weights were used */
	enum pool_ci ci; /* how CI and test were made; not Z: stat is t(df_t) */
	int degenerate; /* Hartung-Knapp SE exactly 0 (all estimates equal): no CI */
	double hk_q;    /* q = sum w*(y - mu)^2 / (k - 1) of the HK methods, or NaN */
	double estimate, se, ci_lb, ci_ub;
	double stat;    /* z, or t with Hartung-Knapp */
	double df_t;
	double crit;    /* the quantile used for the CI */
	double level;   /* its confidence level (0: 0.95) */
	double p;
	double pi_lb, pi_ub;         /* prediction interval (metafor) */
	double pi_t_lb, pi_t_ub;     /* t(k-2) version (Higgins 2009), z models */
	double Q, df, p_Q;
	double I2;                   /* fixed: from Q; random: from tau2 */
	double H2;
	double I2_from_Q;            /* max(0, (Q - df)/Q) * 100, what RevMan 5 shows */
	double tau2;
	double tau2_ci[2], I2_ci[2], H2_ci[2]; /* Q-profile; NaN when not computed */
	double tau2_ci_pl[2];        /* profile likelihood (REML, ML); NaN otherwise */
};

struct pool_subgroup {
	const char *label; /* borrowed from the input */
	struct pool_summary s;
};

struct pool_subgroup_test {
	double Q, df, p, I2;
	double pooled, pooled_se;   /* inverse-variance average of the subgroups */
	double Q_total_minus_within; /* fixed effect only, else NaN */
};

struct pool_mod_level {
	const char *label;
	double estimate, se, ci_lb, ci_ub, stat, p;
};

/* Mixed-effects meta-regression on the subgroup as a categorical moderator
 * (metafor rma(yi, vi, mods = ~ factor(subgroup))). */
struct pool_moderator {
	int tdist;       /* QM is an F statistic on (QM_df, QM_df2) df, levels use t */
	double QM, QM_df, QM_df2, QM_p;
	double QE, QE_df, QE_p;
	double tau2, I2, R2;
	double df_t;
	struct pool_mod_level *levels;
	size_t nlevels;
};

/* A leave-one-out refit (omitted) or a step of the cumulative analysis
 * (the studies up to and including the one added). */
/* One coefficient of a meta-regression. */
struct pool_coef {
	const char *name;  /* "intrcpt" or the moderator's name (borrowed) */
	double estimate, se, stat, p, ci_lb, ci_ub;
};

/* Meta-regression on continuous moderators, metafor's rma(yi, vi, mods =
 * ~ x1 + x2 + ..., method, test): the analysis's tau2 estimator (residual
 * tau2) and CI method. */
struct pool_metareg {
	int k, tdist;       /* tdist: t tests on df_t, QM an F on (QM_df, QM_df2) */
	double df_t;
	double QM, QM_df, QM_df2, QM_p;
	double QE, QE_df, QE_p;
	double tau2, I2, R2;
	struct pool_coef *coef; /* ncoef = 1 + in->nmods */
	size_t ncoef;
};

struct pool_loo_row {
	size_t omitted; /* index into the input: left out, or added */
	struct pool_summary s;
};

/* Case-deletion diagnostics of one study (Viechtbauer & Cheung 2010),
 * from the fit without it: metafor's influence() for an inverse-variance
 * model with Wald tests. */
struct pool_influence {
	size_t study;       /* index into the input */
	double rstudent;    /* (y - mu(-i)) / sqrt(v + tau2(-i) + Var mu(-i)) */
	double dffits;      /* (mu - mu(-i)) / sqrt(h (tau2(-i) + v)) */
	double cook_d;      /* (mu - mu(-i))^2 / Var mu */
	double cov_r;       /* Var mu(-i) / Var mu */
	double tau2_del, QE_del;
	double hat, weight; /* w / sum w, and in percent */
	double dfbs;        /* (mu - mu(-i)) / sqrt(1 / sum 1/(v + tau2(-i))) */
	int influential;    /* metafor's rule of thumb */
};

struct pool_egger {
	int k;
	/* classic: OLS of y/se on 1/se (weighted regression of y on se) */
	double bias, bias_se, t, df, p;
	double limit, limit_lb, limit_ub;
	double snd_intercept, snd_intercept_se, snd_slope, snd_slope_se;
	/* model-based: meta-regression of y on se with the analysis's model */
	int m_tdist;     /* t test with m_df degrees of freedom */
	double m_bias, m_bias_se, m_stat, m_df, m_p;
	double m_limit, m_limit_lb, m_limit_ub, m_tau2;
};

/* Begg & Mazumdar (1994), metafor's ranktest(): Kendall's tau-b between
 * the standardised effects and the variances. */
struct pool_begg {
	int k;
	double tau, p;
	int exact;      /* exact p (no ties); else the normal approximation */
	double z;       /* S / sd(S) of the normal approximation, or NaN */
};

struct pool_trimfill {
	int right;        /* missing studies on the right */
	int r0;           /* estimator R0 (else L0) */
	int k0;
	double se_k0;
	int k;            /* studies before filling */
	double *fill_y, *fill_v; /* k0 filled studies */
	struct pool_summary original, filled;
};

struct pool_result {
	const struct pool_input *in; /* borrowed */
	struct pool_opts opts;   /* resolved: model never AUTO, ci never UNSET */
	int auto_model;          /* the model was chosen by the heterogeneity test */
	double auto_p;           /* the p it was chosen by */
	int log_scale;
	struct pool_est *est;    /* in->k of them */
	struct pool_summary main;
	/* OR by Mantel-Haenszel under the metafor convention */
	int has_mh_tests;
	double cmh, cmh_p, tarone, tarone_p;
	int tarone_kpos;
	int no_total;                 /* POOL_NO_TOTAL: main is not estimated */
	struct pool_subgroup *sub;    /* with POOL_SUBGROUPS */
	size_t nsub;
	struct pool_subgroup_test subtest;
	struct pool_moderator *mod;   /* with POOL_MODERATOR */
	struct pool_loo_row *loo;     /* with POOL_LEAVE_ONE_OUT */
	size_t nloo;
	struct pool_loo_row *cum;     /* with POOL_CUMULATIVE, in the order added */
	size_t ncum;
	struct pool_influence *infl;  /* with POOL_INFLUENCE, IV, k >= 3 */
	struct pool_metareg *mreg;    /* with POOL_METAREG */
	size_t ninfl;
	struct pool_egger *egger;     /* with POOL_EGGER and k >= 3 */
	struct pool_trimfill *tf;     /* with POOL_TRIMFILL and k >= 3 */
	struct pool_begg *begg;       /* with POOL_BEGG and k >= 3 */
	struct strv warnings;         /* for people: what was skipped and why */
};

/*
 * Run the analysis opts asks for on in.  On success *out is the caller's
 * (pool_result_free).  Fails with LSR_EUSAGE for combinations that do not
 * exist (Peto random effects, MH for continuous data, an unknown --exclude
 * label), LSR_EPARSE when no study is estimable or when a study label has
 * several rows in one pooled estimate (unless POOL_ALLOW_REPEATED),
 * LSR_ERROR when an iteration fails to converge, LSR_ENOMEM.  Add-ons
 * (leave-one-out, meta-regression, Egger, trim-and-fill) that cannot be
 * computed are left out with a warning.
 */
int pool_run(struct pool_result **out, const struct pool_input *in,
	     const struct pool_opts *opts);
void pool_result_free(struct pool_result *r);

/* The result as one element of the reference JSON's analyses[], with a
 * schema_version key (see docs/cmd/lsr-pool.md).  NULL when out of memory. */
json_t *pool_result_json(const struct pool_result *r);

/* A RevMan-like table for people. */
int pool_table_render(struct buf *out, const struct pool_result *r);

/* --- figures ------------------------------------------------------------ */

/* Risk-of-bias columns beside a forest plot (RevMan's): one dot per
 * domain and the overall judgement for each study row, and a legend. */
struct pool_plot_rob {
	int rob2;                    /* "Some concerns" (RoB 2) or "Unclear" (RoB 1) */
	size_t ncols;                /* columns: the domains, then the overall */
	const char *const *heads;    /* ncols column heads ("A", "D1", "Overall") */
	const char *const *names;    /* ncols names for the legend */
	const int *levels;           /* k x ncols: 0 not assessed, 1 low, 2 some
				      * concerns/unclear, 3 high (enum rob_level) */
};

struct pool_plot_opts {
	const char *title;          /* NULL: none */
	const char *label_e;        /* "Experimental" */
	const char *label_c;        /* "Control" */
	const char *favours_left;   /* "Favours [experimental]" */
	const char *favours_right;  /* "Favours [control]" */
	const struct pool_plot_rob *rob; /* forest plot: risk-of-bias columns, or NULL */
};

#define POOL_PLOT_OPTS_INIT { NULL, NULL, NULL, NULL, NULL, NULL }

/* A forest plot laid out as RevMan 5's, as an SVG document. */
int pool_forest_svg(struct buf *out, const struct pool_result *r,
		    const struct pool_plot_opts *po);
/* A funnel plot (effect against SE) with pseudo-95% limits. */
int pool_funnel_svg(struct buf *out, const struct pool_result *r,
		    const struct pool_plot_opts *po);

/* The steps of a cumulative meta-analysis (POOL_CUMULATIVE), one row each. */
int pool_cumulative_svg(struct buf *out, const struct pool_result *r,
			const struct pool_plot_opts *po);
/* The effects against the first moderator of the meta-regression
 * (POOL_METAREG), bubbles by weight, with the fitted line. */
int pool_bubble_svg(struct buf *out, const struct pool_result *r, const struct pool_plot_opts *po);
/* The influence diagnostics (POOL_INFLUENCE): rstudent, DFFITS, Cook's
 * distance and hat value per study, as metafor's plot(influence()). */
int pool_influence_svg(struct buf *out, const struct pool_result *r, const struct pool_plot_opts *po);

/* --- numerical core (also for benchmarks and other stages) -------------- */

struct pool_fitspec {
	int random;          /* random effects */
	enum pool_tau2 tau2; /* estimator, when random and tau2_fixed is NaN */
	double tau2_fixed;   /* use this tau2 (NaN: estimate it) */
	enum pool_ci ci;     /* CI method (not UNSET) */
	int qprofile;
	double level;        /* confidence level (0: 0.95) */        /* Q-profile CIs for tau2, I2, H2 (k >= 3) */
};

/*
 * Inverse-variance pooling of y[0..k) with variances v[0..k) (all > 0),
 * fixed or random effects, with heterogeneity.  Fails with LSR_ERROR when
 * REML does not converge, LSR_ENOMEM.
 */
int pool_iv_fit(struct pool_summary *out, const double *y, const double *v,
		size_t k, const struct pool_fitspec *spec);

/* Hedges' correction factor: the exact J(m) = Gamma(m/2) / (sqrt(m/2)
 * Gamma((m-1)/2)) (computed with lgamma) and RevMan 5's 1 - 3/(4N - 9). */
double pool_smd_j_exact(double m);
double pool_smd_j_revman5(double N);

/* --- CSV input ---------------------------------------------------------- */

/* A data set read from a file: owns its studies and their strings. */
struct pool_dataset {
	struct pool_input in;
	struct pool_study *studies;
	struct strv strings; /* labels and subgroups */
	double *x;           /* moderators, k x in.nmods */
	const char **mod_names; /* in.nmods, into strings */
	unsigned long missing_subgroup_row; /* first row with an empty subgroup, or 0 */
};

/*
 * Read a CSV file in the reference format (study, [subgroup,] then the
 * columns of type; metafor's escalc names are accepted too).  Errors name
 * the file, the row (the header is row 1) and the column: LSR_EPARSE (exit
 * 3), LSR_ENOTFOUND when the file cannot be opened.  *out is the caller's
 * (pool_dataset_free).
 */
int pool_csv_read(struct pool_dataset **out, const char *path, enum pool_data_type type);
/* The same, also reading the numeric column order_col (case-insensitive,
 * every cell a number) into each study's order, and the columns mods into
 * in.x (numbers as they are, other columns as factors: dummies for all but
 * the first level in sorted order, named column+level); NULL: none. */
int pool_csv_read_by(struct pool_dataset **out, const char *path, enum pool_data_type type,
		     const char *order_col, const struct strv *mods);
void pool_dataset_free(struct pool_dataset *d);

#endif
