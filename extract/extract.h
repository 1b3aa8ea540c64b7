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

#include <stdio.h>

#include "../util/buf.h"
#include "../util/strv.h"

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

/* "Y", "PY", ... ("" for ROB2_UNSET).  Parsing is case-insensitive; an
 * empty string is ROB2_UNSET; LSR_ERROR (no message) when s is not one. */
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
 * LSR_EPARSE with a message naming the question otherwise, and *badq (may
 * be NULL) gets that question's index.  *rule (may be NULL) receives a
 * static description of the path taken.
 */
int extract_rob2_domain_judge(enum rob_level *out, const char **rule, size_t *badq,
			      int d, enum rob2_effect e, const enum rob2_answer *ans);

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
	const char *result;                      /* the result drawn ("ALB", "ALB at 1 month"),
						  * in the title; NULL: study level */
	unsigned per_outcome_cols;               /* study level, RoB 1: bit k set when domain k
						  * is judged per outcome; its cells without a
						  * study-level judgement read "Judged per
						  * outcome", not "Not final" */
};

/* Whether column k (a domain, or the overall) of study-level figure p is
 * judged per outcome (extraction.rob1_per_outcome): its cells without a
 * study-level judgement are not open judgements. */
int extract_robplot_per_outcome(const struct extract_robplot *p, size_t k);

/* The traffic-light grid: one row per study, one column per domain (and
 * overall), a coloured disc with a symbol in each cell, a legend. */
int extract_robplot_traffic_light(struct buf *out, const struct extract_robplot *p);
/* The summary chart: for each domain, a bar split into the weighted
 * percentage of studies at low, some-concerns/unclear and high risk. */
int extract_robplot_summary(struct buf *out, const struct extract_robplot *p);

/* ------------------------------------------------------------------ */
/* 4. the review database (sheet.c, store.c, rob.c)                   */

/*
 * Arms.  Every study has an "intervention" and a "control" arm.  A trial
 * with more arms is extracted arm by arm under names "intervention-NAME"
 * or "control-NAME" (NAME: letters, digits, '.', '_' or '-'), e.g.
 * "intervention-once" and "intervention-twice"; when a study has no data
 * under plain "intervention" (or "control"), its extra arms of that side
 * are combined into it (Cochrane Handbook Table 6.5.a for means and SDs,
 * sums for counts) and the combination is recorded as a conversion.
 */
#define EXTRACT_ARM_INTERVENTION "intervention"
#define EXTRACT_ARM_CONTROL "control"
/* 1 when name is a valid arm name (see above). */
int extract_arm_valid(const char *name);

enum extract_sheet_kind {
	EXTRACT_SHEET_CHARACTERISTICS,
	EXTRACT_SHEET_OUTCOMES,
};

/*
 * Write an empty extraction sheet as CSV to f: one row per study for the
 * characteristics, or one row per study x outcome x time point x arm for
 * outcome data (one per study x outcome x time point for time-to-event
 * outcomes, whose row compares the intervention arm with control).  Only
 * study (its label) when not NULL.  LSR_ENOTFOUND for an unknown study.
 */
int extract_sheet_write(FILE *f, struct lsr_db *db, const struct protocol *p,
			enum extract_sheet_kind kind, const char *study);

struct extract_import_result {
	enum extract_sheet_kind kind;
	int64_t import_id;
	size_t rows;     /* data rows read */
	size_t values;   /* values stored (empty cells included) */
	size_t studies;  /* distinct studies */
	/* rows whose printed p does not fit their hazard ratio and 95% CI as
	 * lsr check-stats checks them, one message each ("FILE:ROW: HR 0.47
	 * [0.29, 0.76], p 0.40: ..."); stored as printed all the same (the
	 * report flags them).  The caller's to strv_release(). */
	struct strv p_flags;
};

/*
 * Import a filled extraction sheet (its kind recognised from its header)
 * as extracted by extractor.  Every cell is checked first (types, allowed
 * values, n >= 1, sd > 0, events <= n, known study, outcome, time point
 * and arm, each row convertible to what the analyses need); the first
 * problem rejects the whole file with "FILE:ROW: column 'C': ..." and
 * LSR_EPARSE, and nothing is stored.  Otherwise the values are appended
 * (never overwritten) and the derived arm data rebuilt, in one
 * transaction.
 */
int extract_sheet_import(struct extract_import_result *out, struct lsr_db *db,
			 const struct protocol *p, const char *path, const char *extractor);

/* Where an item stands. */
enum extract_item_state {
	EXTRACT_AGREED,    /* enough extractors gave the same value */
	EXTRACT_RESOLVED,  /* the lead recorded the agreed value */
	EXTRACT_DIFFER,    /* extractors gave different values */
	EXTRACT_PENDING,   /* fewer extractors than the protocol asks for */
};

/* One extracted item with every extractor's current value (borrowed: valid
 * during the callback only). */
struct extract_item {
	int64_t study_id;
	const char *study;
	const char *outcome;   /* NULL for a characteristic */
	const char *timepoint;
	const char *arm;
	const char *field;     /* characteristic name, or n, mean, sd, ... */
	size_t nvalues;
	const char *const *extractors;
	const char *const *values;   /* NULL: left empty */
	enum extract_item_state state;
	const char *agreed;    /* the value reaching the analyses (AGREED, RESOLVED) */
};

struct extract_compare_counts {
	size_t agreed, resolved, differ, pending;
};

/*
 * Call fn for every item that is not agreed or resolved (all items with
 * all != 0), study by study, and count the items in each state.
 */
int extract_compare(struct extract_compare_counts *counts, struct lsr_db *db,
		    const struct protocol *p, int all,
		    int (*fn)(const struct extract_item *it, void *payload), void *payload);

/* A study-level effect reported with its p-value: a time-to-event row's
 * agreed hr, 95% CI and p, as printed (borrowed: valid during the
 * callback).  ci_lb or ci_ub is NULL when not agreed or not given. */
struct extract_reported_effect {
	const char *study, *outcome, *timepoint, *arm;
	const char *measure; /* "HR" */
	const char *estimate, *ci_lb, *ci_ub, *p;
};

/* Call fn for every study-level effect whose estimate and p are agreed (or
 * resolved), study by study, for lsr check-stats' check of the p against
 * the interval (the report's). */
int extract_reported_effects(struct lsr_db *db, const struct protocol *p,
			     int (*fn)(const struct extract_reported_effect *e, void *payload),
			     void *payload);

/* An item named on the command line. */
struct extract_item_key {
	const char *study;
	const char *outcome;   /* NULL: a characteristic */
	const char *timepoint;
	const char *arm;
	const char *field;
};

/*
 * Record the agreed value of an item: value (NULL: agreed not reported),
 * or, when take is not NULL, the value extractor take gave.  The value is
 * checked like a sheet cell; the item must have been extracted.  Appends
 * a resolution and rebuilds the derived arm data.  by names who resolved
 * it (a third extractor, or "consensus"; NULL: db_actor()), kept in the
 * audit entry's detail.
 */
int extract_resolve(struct lsr_db *db, const struct protocol *p,
		    const struct extract_item_key *key, const char *value,
		    const char *take, const char *note, const char *by);

/* Rebuild extraction_arm_data from the agreed values (inside the caller's
 * transaction, or its own). */
int extract_derive(struct lsr_db *db, const struct protocol *p);

/*
 * Write the agreed, converted data as CSV, one row per study x comparison
 * (intervention vs control) x time point, in the columns metafor's escalc
 * reads: m1i, sd1i, n1i, m2i, sd2i, n2i (continuous), ai, n1i, ci, n2i
 * (dichotomous), yi, sei (time-to-event log HR), with the methods used and
 * the study's agreed characteristics.  Only outcome when not NULL.
 */
int extract_export_csv(FILE *f, struct lsr_db *db, const struct protocol *p,
		       const char *outcome);

/*
 * The same rows in another layout (docs/cmd/lsr-extract.md, "Exports"):
 *
 *   EXTRACT_EXPORT_CSV      extract_export_csv's columns
 *   EXTRACT_EXPORT_METAFOR  every escalc argument the data give: ai, bi,
 *                           ci, di, n1i, n2i (dichotomous; bi = n1i - ai),
 *                           m1i, sd1i, m2i, sd2i (continuous), yi, vi, sei
 *                           (time-to-event log HR)
 *   EXTRACT_EXPORT_REVMAN   RevMan's data table: Study ID, the outcome, data
 *                           type, experimental and control events, mean,
 *                           SD, total, and estimate with SE (the generic
 *                           inverse variance of time-to-event data)
 *
 * Each ends with the methods of the two arms and the study's agreed
 * characteristics.  Machine exports: no spreadsheet guard (csvtab_put_raw).
 */
enum extract_export_format {
	EXTRACT_EXPORT_CSV,
	EXTRACT_EXPORT_METAFOR,
	EXTRACT_EXPORT_REVMAN,
};
int extract_export(FILE *f, struct lsr_db *db, const struct protocol *p, const char *outcome,
		   enum extract_export_format fmt);

/* One study's agreed data for one outcome and time point, for pooling. */
struct extract_study_data {
	int64_t study_id;
	char *study;           /* label */
	char *timepoint;
	/* arm 1 is intervention, arm 2 control; NAN when not applicable */
	double n1, mean1, sd1, events1;
	double n2, mean2, sd2, events2;
	double log_hr, se_log_hr;    /* time-to-event */
	char *method1, *method2;     /* how each arm's numbers were obtained */
	struct strv characteristics; /* "name=value", agreed values only */
};

/*
 * The studies with agreed data for outcome at timepoint (every time point
 * when timepoint is NULL), ordered by study label then time point.  A
 * study is included only when both arms (or the comparison) are complete.
 * *out is an array of *n entries; free it with extract_study_data_free.
 * LSR_ENOTFOUND when the outcome is not in the protocol.
 */
int extract_outcome_data(struct extract_study_data **out, size_t *n, struct lsr_db *db,
			 const struct protocol *p, const char *outcome,
			 const char *timepoint);
void extract_study_data_free(struct extract_study_data *d, size_t n);

/* ---- risk of bias in the database (rob.c) ---- */

/*
 * Risk of bias per result.  RoB 2 judges a result: a study's outcome and,
 * with extraction.rob2_per_timepoint, its time point.  Sheets, values,
 * consensus and figures carry the outcome and time point; "" (an empty
 * outcome column, or a sheet written before the column existed) is a
 * study-level judgement.  The judgement that stands for a result is its
 * own when anything is recorded for it, else the outcome's for every time
 * point, else the study's.  RoB 1 stays per study, but for the domains
 * that extraction.rob1_per_outcome lists: those carry an outcome (never a
 * time point), and a result takes its outcome's judgement in each such
 * domain where one is recorded, else the study's.
 */

/* Write an empty risk-of-bias sheet for the protocol's tool: for RoB 2
 * one block per study and result of outcome (NULL: one study-level block
 * per study, the outcome column left empty). */
int extract_rob_sheet_write(FILE *f, struct lsr_db *db, const struct protocol *p,
			    const char *study, const char *outcome);

/* Import a filled risk-of-bias sheet as assessed by assessor: validated
 * whole like extraction sheets (RoB 2 answers by the algorithm's rules,
 * an override only with a justification), then appended. */
int extract_rob_import(struct extract_import_result *out, struct lsr_db *db,
		       const struct protocol *p, const char *path, const char *assessor);

/* A study's risk of bias in one domain (or overall), per assessor and
 * final (borrowed during the callback). */
struct extract_rob_item {
	const char *study;
	const char *outcome;       /* the result ("" for the whole study) */
	const char *timepoint;     /* "" unless judged per time point */
	const char *domain;        /* domain code, or "overall" */
	size_t nassessors;
	const char *const *assessors;
	const enum rob_level *levels;  /* each assessor's judgement (RoB 2:
					* override, else the proposal) */
	const char *const *detail;     /* RoB 2: answers "1.1=Y 1.2=PY ..." */
	enum rob_level final;          /* consensus or agreement; ROB_NONE if open */
	int consensus;                 /* final comes from a recorded consensus */
};

/* Call fn for every study x result x domain whose assessors disagree or
 * that lacks assessors (every one with all != 0); *open counts the
 * unresolved.  A study with nothing recorded is listed at study level. */
int extract_rob_compare(size_t *open, struct lsr_db *db, const struct protocol *p, int all,
			int (*fn)(const struct extract_rob_item *it, void *payload),
			void *payload);

/* Record the consensus judgement of a study's domain (code, or "overall")
 * for one result (outcome and timepoint NULL or "": the whole study); by
 * names who reached it (NULL: db_actor()), kept in the audit entry's
 * detail. */
int extract_rob_resolve(struct lsr_db *db, const struct protocol *p, const char *study,
			const char *outcome, const char *timepoint, const char *domain,
			const char *judgement, const char *reason, const char *by);

/*
 * The final judgements that stand for one result of study (outcome and
 * timepoint may be NULL), with the fallback above: levels[d] for each of
 * the tool's domains, then levels[ndomains] the overall (RoB 1 has none of
 * its own: high if any domain is high, low if all are low, else unclear;
 * ROB_NONE while a domain is open).  levels holds ROB1_NDOMAINS + 1.
 */
int extract_rob_result_levels(enum rob_level *levels, struct lsr_db *db, const struct protocol *p,
			      const char *study, const char *outcome, const char *timepoint);
/* The number of domains of the protocol's tool (levels[that] is the overall). */
size_t extract_rob_ndomains(const struct protocol *p);

/*
 * The overall judgement that stands for a result, as text ("low", "some
 * concerns", "high"; RoB 1: "low", "unclear", "high"), into out; "" when
 * not assessed or not final.  Reads protocol.yaml beside the database for
 * the tool and the number of assessors.  LSR_ENOTFOUND for an unknown
 * study.
 */
int extract_rob_result_judgement(struct lsr_db *db, const char *study, const char *outcome,
				 const char *timepoint, char *out, size_t outsz);

/*
 * The final judgements of every study for the figures: fills a robplot
 * (its studies and levels are allocated; free with extract_rob_plot_free).
 * weights (may be NULL) maps study labels to weights as "label=weight".
 */
int extract_rob_plot_data(struct extract_robplot *out, struct lsr_db *db,
			  const struct protocol *p, const struct strv *weights);
/* The same for one result: each study's judgements that stand for it
 * (outcome NULL: the study-level ones). */
int extract_rob_plot_data_result(struct extract_robplot *out, struct lsr_db *db,
				 const struct protocol *p, const struct strv *weights,
				 const char *outcome, const char *timepoint);
void extract_rob_plot_free(struct extract_robplot *p);

/*
 * The figures per result, for the report.  When some result has
 * judgements of its own (RoB 2 per result, RoB 1 per-outcome domains),
 * fn gets one plot per protocol outcome in the protocol's order (RoB 2
 * with rob2_per_timepoint and judgements per time point: one per time
 * point of the outcome), titled with the outcome's label, of the studies
 * with agreed data or judgements of their own for that result (results
 * with none are skipped); the plot is borrowed for the call.  *n counts
 * the plots: 0 when every judgement is study-level (draw those instead).
 * A non-zero return of fn stops the walk and is returned.
 */
typedef int (*extract_rob_result_fn)(const struct extract_robplot *plot, const char *outcome,
				     const char *timepoint, void *payload);
int extract_rob_plot_results(size_t *n, struct lsr_db *db, const struct protocol *p,
			     extract_rob_result_fn fn, void *payload);

/* Studies with a linked report and no extracted value yet (pending.c). */
int extract_studies_without_values(struct lsr_db *db, int64_t *out);

/* ---- read by the report (report_query.c) ---------------------------------
 * Callbacks get rows borrowed for the call only; a non-zero return stops
 * the walk and is returned.
 */

/* A study and outcome with values whose extraction source says
 * "illustrative" (not from the trial reports: the example review's). */
struct extract_illustrative {
	const char *study;     /* label */
	const char *outcome;   /* "" for a characteristic */
};

/* Call fn for each distinct study and outcome with illustrative values,
 * by study then outcome. */
int extract_illustrative_items(struct lsr_db *db,
			       int (*fn)(const struct extract_illustrative *it, void *payload),
			       void *payload);

/* *out: risk-of-bias judgements recorded (rows of every assessor). */
int extract_rob_count(int64_t *out, struct lsr_db *db);

#endif
