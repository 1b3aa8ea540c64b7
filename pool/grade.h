/*
 * grade.h - GRADE certainty of evidence and the summary-of-findings table.
 *
 * For each row of the protocol's summary_of_findings (struct protocol_sof)
 * the stored pooled result of its analysis (review.h) is rated as GRADE
 * does (Guyatt et al., J Clin Epidemiol 2011;64:383; Schünemann et al.,
 * J Clin Epidemiol 2019;111:105 for the starting level):
 *
 *   start        high (4) for randomised trials and for non-randomised
 *                studies assessed with ROBINS-I, low (2) otherwise; the
 *                protocol's picos.study_design says which (grade_start).
 *   risk of bias -1 when more than 50% of the weight comes from studies
 *                judged at high risk of bias.
 *   inconsistency -1 when I2 > 50%, or when the prediction interval
 *                crosses a decision threshold that the confidence
 *                interval does not: the null, or the MID either way when
 *                the protocol gives one.
 *   imprecision  -1 when the CI crosses the null or a minimal important
 *                difference (MID), -1 more when a dichotomous outcome has
 *                fewer than 300 events (the optimal information size rule
 *                of thumb of the Cochrane Handbook, 14.2.2), at most -2;
 *                -2 at once when the CI includes both an appreciable
 *                benefit and an appreciable harm (beyond -MID and +MID).
 *   indirectness, publication bias: the team's judgement only.
 *
 * and rated up (Guyatt et al., J Clin Epidemiol 2011;64:1311) for
 * evidence from non-randomised studies:
 *
 *   large effect +1 when a ratio's estimate is above 2 or below 0.5, +2
 *                above 5 or below 0.2, only without serious risk of bias
 *                (the risk-of-bias rating in force is 0 and every pooled
 *                study is assessed, unless the team rated it); 0 for
 *                randomised trials and for differences.
 *   dose-response, plausible confounding: the team's judgement only
 *                (+1 at most, always with a justification).
 *
 * lsr's ratings are suggestions: the team records its own with
 * grade_rating_set() (table grade_ratings, 0015_grade.sql), and a rating
 * that differs from the suggestion needs a justification.  The certainty
 * is the start plus the ratings in force (down and up), from very low (1)
 * to high (4).
 *
 * Absolute effects for dichotomous outcomes (GRADE handbook 5.2.6): the
 * assumed control risk (ACR) is the protocol's assumed_risk per 1,000, or
 * else the median control-arm risk events/n of the studies pooled; the
 * corresponding intervention risk (CR), for the estimate and each CI limit:
 *
 *   RR: CR = ACR x RR                          (capped at 1)
 *   OR: CR = OR x ACR / (1 - ACR + OR x ACR)
 *   RD: CR = ACR + RD                          (kept within 0..1)
 *
 * all shown per 1,000 (x 1000).
 */
#ifndef LSR_POOL_GRADE_H
#define LSR_POOL_GRADE_H

#include <jansson.h>
#include <stddef.h>

#include "pool.h"
#include "../util/buf.h"

struct lsr_db;
struct protocol;
struct protocol_sof;

enum grade_domain {
	GRADE_RISK_OF_BIAS,
	GRADE_INCONSISTENCY,
	GRADE_INDIRECTNESS,
	GRADE_IMPRECISION,
	GRADE_PUBLICATION_BIAS,
	/* rating up (non-randomised evidence) */
	GRADE_LARGE_EFFECT,
	GRADE_DOSE_RESPONSE,
	GRADE_PLAUSIBLE_CONFOUNDING,
	GRADE_NDOMAINS
};

/* "risk-of-bias", ... (the option's spelling) and "Risk of bias", ... */
const char *grade_domain_name(enum grade_domain d);
const char *grade_domain_title(enum grade_domain d);
/* 0, or LSR_EUSAGE with a message naming the domains. */
int grade_domain_parse(enum grade_domain *out, const char *s);
/* Whether lsr suggests a rating for d (risk of bias, inconsistency,
 * imprecision, large effect) or leaves it to the team. */
int grade_domain_suggested(enum grade_domain d);
/* Whether d rates up (large effect, dose-response, plausible confounding). */
int grade_domain_up(enum grade_domain d);
/* The ratings d takes: -2..0 for the domains that rate down, 0..2 for a
 * large effect, 0..1 for dose-response and plausible confounding. */
void grade_rating_range(enum grade_domain d, int *lo, int *hi);
/* The same for people: "0, -1 or -2 (levels rated down)", ... */
const char *grade_rating_choices(enum grade_domain d);

/* "High", "Moderate", "Low", "Very low" and their symbols (U+2295 and
 * U+229D: "⊕⊕⊕⊝"), for a certainty of 4..1 (clamped). */
const char *grade_certainty_word(int c);
const char *grade_certainty_symbols(int c);

/* --- the rules (no database; each appends its reason to why) ------------- */

/* Whether the protocol's study design text says randomised trials (and
 * nothing non-randomised): GRADE rates up only non-randomised evidence. */
int grade_randomised(const char *study_design);

/* 4 (high) for randomised trials and for non-randomised studies assessed
 * with ROBINS-I, else 2 (low), from the protocol's study design text
 * (NULL: not stated, taken as randomised with that said in why). */
int grade_start(const char *study_design, struct buf *why);

/* high_pct: percent of the weight from studies at high risk; unassessed:
 * the number of pooled studies without a judgement. */
int grade_rate_risk_of_bias(double high_pct, size_t unassessed, struct buf *why);

/* On the analysis scale (logs for ratios; the null is 0): the pooled CI,
 * the prediction interval (NaN when there is none), I2 in percent and the
 * MID's magnitude (NaN: none; the thresholds are then the null only). */
int grade_rate_inconsistency(double i2, double ci_lb, double ci_ub, double pi_lb, double pi_ub,
			     double mid, struct buf *why);

/* On the analysis scale: the CI; mid the MID's magnitude on that scale
 * (NaN: none); events the total events of a dichotomous outcome (NaN for
 * other outcomes). */
int grade_rate_imprecision(double ci_lb, double ci_ub, double mid, double events, struct buf *why);

/* Rating up for a large effect: ratio says whether est is a ratio on its
 * own scale (RR 2.5, not its log); randomised from grade_randomised();
 * rob_rating the risk-of-bias rating in force; unassessed the pooled
 * studies without a judgement (0 when the team rated risk of bias).
 * Returns 0, 1 or 2. */
int grade_rate_large_effect(int ratio, double est, int randomised, int rob_rating,
			    size_t unassessed, struct buf *why);

/* The corresponding intervention risk (0..1) for the assumed control risk
 * acr (0..1) and an effect on the measure's scale (a ratio for RR and OR,
 * a difference for RD); NaN for other measures or a NaN input. */
double grade_corresponding_risk(enum pool_measure m, double acr, double effect);

/* The median of v[0..n) (v is sorted in place); NaN when n is 0. */
double grade_median(double *v, size_t n);

/* --- one outcome from the review ----------------------------------------- */

enum grade_status {
	GRADE_OK,       /* graded */
	GRADE_NOT_RUN,  /* the analysis is not stored for the update: run lsr pool */
	GRADE_NO_DATA,  /* stored, but no study has data */
	GRADE_NO_TOTAL, /* only subtotals (subgroups that share studies) */
};

struct grade_rating {
	int suggested;  /* lsr's suggestion (0 for the domains it leaves to the team) */
	int rated;      /* the team recorded a rating */
	int rating;     /* in force: the team's, else the suggestion (< 0 down, > 0 up) */
	char *reason;   /* lsr's reason for its suggestion ("" when none) */
	char *why;      /* the team's justification, or NULL */
	char *by, *at;  /* who recorded it, when (NULL when not rated) */
};

struct grade_outcome {
	const struct protocol_sof *sof; /* borrowed */
	char *label;                    /* as shown */
	enum grade_status status;
	const char *measure;            /* "RR", "SMD", ... (static) */
	enum pool_measure m;
	int dichotomous, log_scale;
	int k;                          /* studies pooled */
	int studies;                    /* studies counted in the participants:
					 * pooled and not estimable (RevMan) */
	double participants, events;    /* events NaN unless dichotomous */
	double est, ci_lb, ci_ub;       /* on the measure's scale (ratios back-transformed) */
	double i2, pi_lb, pi_ub;        /* I2 (%), prediction interval (measure's scale) */
	double high_pct;                /* % weight at high risk of bias */
	size_t unassessed;              /* pooled studies without a RoB judgement */
	int start;                      /* 4 or 2 */
	char *start_why;
	int certainty;                  /* 1..4 */
	int acr_from_protocol;          /* ACR given by assumed_risk (else the median) */
	double acr, cr, cr_lb, cr_ub;   /* risks (0..1); NaN when not dichotomous */
	struct grade_rating d[GRADE_NDOMAINS];
};

/*
 * Grade one summary-of-findings row from the analysis stored for update
 * (negative: the latest).  *out is overwritten (release it with
 * grade_outcome_release() whatever is returned).  An analysis that is not
 * stored, has no data or no total is not an error: status says so and no
 * rating is suggested.
 */
int grade_outcome_compute(struct grade_outcome *out, struct lsr_db *db, const struct protocol *p,
			  const struct protocol_sof *sof, int update);
void grade_outcome_release(struct grade_outcome *g);

/* {outcome, label, analysis, status, measure, k, participants, events,
 * estimate, ci_lb, ci_ub, i2, start, certainty, certainty_word, domains:
 * {NAME: {direction ("down" | "up"), suggested, rating, rated, reason, why,
 * by, at}}, absolute:
 * {assumed_per_1000, source, corresponding_per_1000, ci_lb, ci_ub} | null}
 * (numbers null when not applicable); NULL when out of memory. */
json_t *grade_outcome_json(const struct grade_outcome *g);

/* The protocol's row for outcome (NULL when it has none). */
const struct protocol_sof *grade_sof_find(const struct protocol *p, const char *outcome);

/*
 * Record the team's rating of domain for the row of outcome, checked
 * against lsr's current suggestion (update: negative for the latest): a
 * rating outside grade_rating_range() is LSR_EUSAGE; a rating that differs
 * from the suggestion, or any rating of a domain lsr does not rate, needs
 * why (LSR_EUSAGE otherwise).  Appended to grade_ratings and to the
 * audit log in one transaction.  *suggested (may be NULL) receives the
 * suggestion, or GRADE_NO_SUGGESTION when lsr has none (a domain it does
 * not rate, or an outcome not graded yet, which then needs why for any
 * rating).
 */
#define GRADE_NO_SUGGESTION 99
int grade_rating_set(int *suggested, struct lsr_db *db, const struct protocol *p,
		     const char *outcome, enum grade_domain domain, int rating, const char *why,
		     int update);

#endif
