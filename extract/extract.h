/*
 * extract.h - study data, arm-level outcome data, conversions to mean/SD,
 * and risk of bias (RoB 1, RoB 2).
 *
 * This header is the one public face of extract/.  It has four parts:
 *
 *   1. conversions (convert.c): what a trial reported instead of a mean and
 *      SD (SE, a 95% CI, a median with IQR and/or range, two arms to
 *      combine) turned into a mean and SD, with the name of the method used
 *      so that every converted value stays traceable;
 *   2. RoB 2 (rob2.c): the signalling questions of the five domains and the
 *      published algorithm that turns their answers into domain judgements
 *      and an overall judgement;
 *   3. risk-of-bias figures (robplot.c): the traffic-light grid and the
 *      weighted summary bar chart, as SVG;
 *   4. the review database (sheet.c, store.c, rob.c): extraction and
 *      risk-of-bias sheets, append-only values, dual-extraction comparison,
 *      resolution, and the data the pooling stage reads.
 *
 * Functions return 0 or a negative LSR_E* code with the message set
 * (util/err.h).  Invalid numbers (an SD of 0, a median outside its
 * quartiles) are LSR_EPARSE: input rejected.
 */
#ifndef LSR_EXTRACT_H
#define LSR_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"

struct lsr_db;
struct protocol;

/* ------------------------------------------------------------------ */
/* 1. conversions to mean and SD (convert.c)                          */

/*
 * 95% CIs of a mean are read with the t distribution (n - 1 degrees of
 * freedom) for groups smaller than this, and with the normal distribution
 * from this size on: the Cochrane Handbook (6.5.2.2) says "if the sample
 * size is small (say less than 60 in each group)" the interval was
 * computed from t.
 */
#define EXTRACT_CI_T_BELOW 60

/* Which SD estimator to use when min, Q1, Q3 and max are all reported. */
enum extract_five_sd {
	EXTRACT_FIVE_SHI = 0, /* Shi et al. 2020 (default) */
	EXTRACT_FIVE_WAN,     /* Wan et al. 2014, scenario C2 */
};

/*
 * What one arm reported.  Every double is NAN when not reported; n is the
 * arm's size (required by every conversion).
 */
struct extract_reported {
	double n;
	double mean;
	double sd;
	double se;
	double ci_low, ci_high;
	double ci_level;      /* percent; NAN means 95 */
	double median;
	double q1, q3;
	double min, max;
	enum extract_five_sd five_sd;
};

/* Initialise every field to "not reported". */
void extract_reported_init(struct extract_reported *r);

/*
 * A converted mean and SD.  mean is NAN when what was reported gives none
 * (an SE without a mean).  method names the conversion (a static string,
 * see docs/cmd/lsr-extract.md), e.g. "ci-t" or "luo2018-iqr+wan2014-iqr";
 * "reported" when mean and SD were given as such.
 */
struct extract_meansd {
	double mean;
	double sd;
	const char *method;
};

/*
 * Turn what an arm reported into a mean and SD, choosing the conversion
 * from the fields present: mean/SD as reported; SE; CI; median with Q1/Q3
 * and/or min/max.  LSR_EPARSE (message set) when the numbers are
 * inconsistent or not enough to convert, LSR_ERROR on a numerical failure.
 */
int extract_convert(struct extract_meansd *out, const struct extract_reported *r);

/* The individual conversions (also used by the tests). */

/* SD = SE * sqrt(n) (Cochrane Handbook 6.5.2.2). */
int extract_convert_se(double *sd, double se, double n);

/*
 * SD from a level% CI of a mean: sqrt(n) (high - low) / (2 q), where q is
 * the t quantile with n - 1 df for n < EXTRACT_CI_T_BELOW and the normal
 * quantile otherwise (Cochrane Handbook 6.5.2.2).  *divisor (may be NULL)
 * receives 2 q, *used_t whether t was used.
 */
int extract_convert_ci(double *sd, double *divisor, int *used_t, double low,
		       double high, double n, double level);

/* Wan et al. 2014 (BMC Med Res Methodol 14:135): the SD from the range
 * (scenario C1), the IQR (C3), or both (C2). */
int extract_convert_wan_range(double *sd, double min, double max, double n);
int extract_convert_wan_iqr(double *sd, double q1, double q3, double n);
int extract_convert_wan_both(double *sd, double min, double q1, double q3,
			     double max, double n);
/* Shi et al. 2020 (Res Synth Methods 11:641): the SD from the five-number
 * summary, weighting range and IQR by w = 1 / (1 + 0.07 n^0.6). */
int extract_convert_shi(double *sd, double min, double q1, double q3,
			double max, double n);
/* Luo et al. 2018 (Stat Methods Med Res 27:1785): the mean from the median
 * with the range, the IQR, or both. */
int extract_convert_luo_range(double *mean, double min, double median,
			      double max, double n);
int extract_convert_luo_iqr(double *mean, double q1, double median, double q3,
			    double n);
int extract_convert_luo_both(double *mean, double min, double q1, double median,
			     double q3, double max, double n);

/* One arm's summary: size, mean, SD. */
struct extract_arm {
	double n;
	double mean;
	double sd;
};

/*
 * Combine two groups into one (Cochrane Handbook Table 6.5.a): the sizes
 * add, the mean is the size-weighted mean, and the SD pools the within-
 * and between-group variation.  Apply repeatedly for more than two; out
 * may be a or b.
 */
int extract_convert_combine(struct extract_arm *out, const struct extract_arm *a,
			    const struct extract_arm *b);

/* ------------------------------------------------------------------ */
/* 2. risk of bias: levels, RoB 1 domains, RoB 2 algorithm (rob2.c)   */

/* A risk-of-bias level.  RoB 1 calls the middle level "unclear", RoB 2
 * "some concerns". */
enum rob_level {
	ROB_NONE = 0, /* not assessed */
	ROB_LOW,
	ROB_SOME,
	ROB_HIGH,
};

/* "low", "some concerns"/"unclear", "high" (static; "" for ROB_NONE). */
const char *extract_rob_level_name(enum rob_level l, int rob2);
/* Parse a judgement as written in a sheet (case-insensitive; accepts
 * "low", "high", and "unclear" for RoB 1 or "some concerns" for RoB 2).
 * Returns ROB_NONE when s is not one of them. */
enum rob_level extract_rob_level_parse(const char *s, int rob2);

/* The seven RoB 1 domains, as the seed review assessed them. */
#define ROB1_NDOMAINS 7
struct extract_rob_domain {
	const char *code;  /* as written in sheets, e.g. "random-sequence" */
	const char *name;  /* as shown in figures */
	const char *label; /* short column label, e.g. "D1" */
};
extern const struct extract_rob_domain extract_rob1_domains[ROB1_NDOMAINS];
extern const struct extract_rob_domain extract_rob2_domains[5];

/* An answer to a RoB 2 signalling question. */
enum rob2_answer {
	ROB2_UNSET = 0, /* left empty */
	ROB2_Y,
	ROB2_PY,
	ROB2_PN,
	ROB2_N,
	ROB2_NI,
	ROB2_NA,
};
#define ROB2_NANSWERS 7

/* "Y", "PY", ... ("" for ROB2_UNSET); parse returns -1 when unknown. */
const char *extract_rob2_answer_name(enum rob2_answer a);
int extract_rob2_answer_parse(enum rob2_answer *out, const char *s);

/* Which effect domain 2 assesses. */
enum rob2_effect {
	ROB2_ASSIGNMENT = 0, /* the effect of assignment to intervention (ITT) */
	ROB2_ADHERENCE,      /* the effect of adhering to intervention */
};

#define ROB2_NDOMAINS 5
#define ROB2_MAXQ 7 /* signalling questions in the largest domain */

struct extract_rob2_question {
	const char *id;    /* "2.3" */
	const char *text;  /* the question, shortened */
	unsigned options;  /* bit (1 << answer) for each answer it takes */
};

/* The signalling questions of domain d (0-based) for effect e; *n gets
 * their number. */
const struct extract_rob2_question *extract_rob2_questions(int d, enum rob2_effect e, size_t *n);

/*
 * The judgement the RoB 2 algorithm (guidance of 22 August 2019, Sterne et
 * al. BMJ 2019;366:l4898) proposes for domain d from its answers (ans[i]
 * answers question i of extract_rob2_questions(d, e)).  Checks first that every
 * question the algorithm asks is answered, that a question it does not ask
 * is left empty or NA, and that each answer is one the question takes;
 * LSR_EPARSE with a message naming the question otherwise.  *rule (may be
 * NULL) receives a static description of the path taken.
 */
int extract_rob2_domain_judge(enum rob_level *out, const char **rule, int d,
		      enum rob2_effect e, const enum rob2_answer *ans);

/*
 * The overall judgement the guidance proposes: low if every domain is low,
 * high if any domain is high, otherwise some concerns.  *concerns receives
 * the number of domains with some concerns: the guidance lets assessors
 * judge the result high when concerns in several domains substantially
 * lower confidence in it, a judgement they record as an override.
 */
enum rob_level extract_rob2_overall(const enum rob_level dom[ROB2_NDOMAINS], int *concerns);

/* ------------------------------------------------------------------ */
/* 3. risk-of-bias figures (robplot.c)                                */

struct extract_robplot_study {
	const char *label;            /* the study label */
	const enum rob_level *levels; /* ndomains judgements, then overall if any */
	double weight;                /* for the summary chart (1 if unweighted) */
};

struct extract_robplot {
	int rob2;                                /* names "some concerns" vs "unclear" */
	const struct extract_rob_domain *domains;   /* ndomains */
	size_t ndomains;
	int has_overall;                         /* levels[ndomains] is the overall */
	const struct extract_robplot_study *studies;
	size_t nstudies;
};

/* The traffic-light grid: one row per study, one column per domain (and
 * overall), a coloured disc with a symbol in each cell, a legend. */
int extract_robplot_traffic_light(struct buf *out, const struct extract_robplot *p);
/* The summary chart: for each domain, a bar split into the weighted
 * percentage of studies at low, some-concerns/unclear and high risk. */
int extract_robplot_summary(struct buf *out, const struct extract_robplot *p);

#endif
