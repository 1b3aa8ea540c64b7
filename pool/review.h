/*
 * review.h - the protocol's analyses run over the review's own data.
 *
 * An analysis of protocol.yaml (PROTOCOL.md, analyses) becomes a SPEC
 * (the options, defaults resolved, as JSON) and its DATA (one row per
 * study and time point from the agreed extracted values,
 * extract_outcome_data(), as JSON).  Both are stored with the engine's
 * result in pool_results (0006_update.sql) for the current update, and the
 * engine's input is always rebuilt from them, so a stored analysis can be
 * shown, plotted or compared later exactly as it was run.
 */
#ifndef LSR_POOL_REVIEW_H
#define LSR_POOL_REVIEW_H

#include <jansson.h>

#include "pool.h"
#include "../util/buf.h"
#include "../util/strv.h"

struct lsr_db;
struct protocol;
struct protocol_analysis;

struct pool_review {
	char *name;             /* the analysis */
	char *title;            /* its figures' title: the protocol's label, else the
				 * outcome's label with the time point */
	char *outcome, *timepoint, *subgroup, *better, *unit;
	json_t *spec, *data;    /* owned */
	char hash[65];          /* SHA-256 of spec and data */
	struct pool_opts opts;
	const char **exclude;   /* into spec */
	struct pool_study *studies;
	size_t k;
	double *x;              /* moderators, k x in.nmods (spec's moderators) */
	const char **mod_names; /* in.nmods, into strings */
	struct strv strings;
	struct pool_input in;
	struct pool_result *res; /* NULL when no study has data */
	/* sensitivity: exclude_high_risk | exclude_some_concerns (spec's
	 * "sensitivity"): the result without the studies at that risk of bias */
	const char *sens_rule;   /* into spec, NULL: none */
	const char **sens_exclude; /* the analysis's exclude, then those studies */
	size_t nsens_exclude, nsens_risk; /* all of them; those for their risk */
	json_t *sens_results;    /* into spec: {"study", "timepoint"} rows at risk of a study
				  * whose other time points are not (per result), or NULL */
	struct pool_study *sens_studies; /* the rows the sensitivity analysis keeps, when
					  * sens_results leaves some out; sens_in reads them */
	struct pool_input sens_in;
	struct pool_result *sens; /* NULL when none, or no study was left */
	struct strv warnings;   /* for people: what was left out and why */
	int update_no;          /* stored under (or loaded from) this update */
	int stored;             /* 1: a new row; 0: unchanged since the last run */
	char at[32];            /* when it was stored */
};

/* Build an analysis from the review's agreed data (r is overwritten).
 * Fails (LSR_EPARSE) when a study has several time points in an analysis
 * that neither fixes one nor subgroups by time point. */
int pool_review_build(struct pool_review *r, struct lsr_db *db, const struct protocol *p,
		      const struct protocol_analysis *pa);

/* Run the engine on it (a no-op when no study has data). */
int pool_review_run(struct pool_review *r);

/* Store it under update_no unless its latest row there has the same hash. */
int pool_review_store(struct pool_review *r, struct lsr_db *db, int update_no);

/* Load the stored analysis name of update_no and run it again
 * (LSR_ENOTFOUND when there is none). */
int pool_review_load(struct pool_review *r, struct lsr_db *db, const struct protocol *p,
		     const char *name, int update_no);

/* The names of the analyses stored for update_no, in protocol order
 * (stored names no longer in the protocol last, by name). */
int pool_review_stored_names(struct strv *out, struct lsr_db *db, const struct protocol *p,
			     int update_no);

void pool_review_release(struct pool_review *r);

/* The line of its sensitivity analysis (sensitivity: exclude_high_risk or
 * exclude_some_concerns), without a newline: the studies left out and the
 * pooled result without them; nothing when the analysis has none. */
int pool_review_sensitivity_text(struct buf *out, const struct pool_review *r);

/* Its forest plot (titled with the analysis; favours labels from the
 * outcome's better direction; RevMan's risk-of-bias columns and legend
 * when the spec has the studies' judgements). */
int pool_review_forest_svg(struct buf *out, const struct pool_review *r);

/* Each figure of an analysis that has data, in turn: forest-NAME.svg,
 * then cumulative-, influence- and bubble-NAME.svg for the add-ons that
 * ran, and funnel-NAME.svg beside Egger's, Begg's test or trim-and-fill
 * (NAME made safe for a file name).  fn gets the file name, a caption and
 * the SVG; its non-zero return stops the walk and is returned. */
int pool_review_figures(const struct pool_review *r,
			int (*fn)(const char *file, const char *caption, const struct buf *svg,
				  void *payload),
			void *payload);

/* A short summary for people (what lsr pool prints). */
int pool_review_text(struct buf *out, const struct pool_review *r);

/* {analysis, update, stored, at, spec, data, result} (result null when
 * no data). */
json_t *pool_review_json(const struct pool_review *r);

/* "fixed", "random" or "auto". */
int pool_model_parse(enum pool_model *out, const char *s);

#endif
