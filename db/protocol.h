/*
 * protocol.h - protocol.yaml, the one schema every stage reads.
 *
 * protocol_load() parses the file with libfyaml, checks it against the
 * schema documented in docs/protocol.md (unknown keys, wrong types, missing
 * required keys, values outside their set, references to undeclared reason
 * codes) and decodes it into the structs below.  Every error names the file,
 * the line and the key path:
 *
 *     protocol.yaml:42: screening.rules[3].mode: expected suggest or exclude
 *
 * Strings are owned by the protocol; a missing optional string is NULL, a
 * missing optional number is its documented default.  Extend the schema by
 * adding a field here and a row to the tables in protocol.c, always with a
 * default, so that older protocols keep working, and describe the key in
 * docs/protocol.md.
 */
#ifndef LSR_PROTOCOL_H
#define LSR_PROTOCOL_H

#include <stddef.h>

#include "../util/strv.h"

struct protocol_picos {
	char *population;
	char *intervention;
	char *comparison;
	char *outcomes;
	char *study_design;
};

struct protocol_source {
	int line;          /* where the entry starts in the file */
	char *name;        /* the name PRISMA shows (required) */
	char *kind;        /* database (default) | register | other */
	char *api;         /* pubmed | europepmc | ctgov | NULL */
	char *query;       /* the saved query for api */
	struct strv files; /* export globs lsr update imports, relative to the review */
	char *format;      /* import format for files (default auto) */
	char *strategy;    /* the search strategy as run (for the report's methods) */
	int allow_outside; /* files may lie outside the review folder */
};

struct protocol_reason {
	int line;
	char *code;   /* used by decisions, rules and PRISMA (required) */
	char *label;  /* as shown */
	char *stage;  /* title-abstract | full-text */
	char *status; /* NULL or excluded; ongoing | awaiting-classification
		       * (full-text only): a report "excluded" for this reason
		       * is an ongoing study / awaits classification instead */
};

struct protocol_rule {
	int line;
	char *name;                   /* unique (required) */
	char *reason;                 /* a reason code (required) */
	char *mode;                   /* suggest (default) | exclude */
	struct strv fields;           /* title abstract keywords mesh journal ... */
	char *match;                  /* PCRE2, caseless unless (?-i) */
	int match_line;
	char *unless;                 /* PCRE2 exceptions */
	int unless_line;
	struct strv publication_type; /* any of */
	struct strv language_not;     /* codes as PubMed writes them */
	int year_before;              /* 0: not set */
	int year_after;               /* 0: not set */
};

struct protocol_characteristic {
	int line;
	char *name;          /* required */
	char *type;          /* text (default) | number | integer | choice */
	struct strv values;  /* for choice */
	char *unit;
	char *label;         /* as the report shows it; NULL: the name */
};

struct protocol_outcome {
	int line;
	char *name;              /* required */
	char *type;              /* continuous (default) | dichotomous | time-to-event */
	char *unit;
	char *better;            /* higher | lower */
	char *kind;              /* efficacy (NULL: the default) | adverse_event */
	struct strv timepoints;
	char *label;             /* as the report shows it; NULL: the name */
};

struct protocol_analysis_opts {
	char *measure;    /* MD SMD OR RR RD GIV */
	char *method;     /* IV MH Peto */
	char *model;      /* fixed | random | auto */
	char *tau2;       /* DL REML PM ML HS HE SJ EB */
	int hk;           /* -1 unset, 0 no, 1 yes: the old spelling of ci: hk | z */
	char *ci;         /* z | t | hk | hk-adhoc (lsr pool --ci) */
	int allow_repeated; /* allow_repeated_studies: -1 unset, 0, 1 */
	int level;        /* confidence level in percent (50..99), 0 unset */
	char *convention; /* revman5 | metafor */
};

/* An analysis's pooled result as published elsewhere (the original
 * version of the review, or the seed review), kept as printed: the report
 * sets it beside this review's and checks it with check_stats_row(). */
struct protocol_published {
	char *measure;    /* as published; NULL: the analysis's measure */
	char *estimate;   /* on the display scale (ratios not logged) */
	char *ci_lb, *ci_ub;
	char *p;          /* "0.10", "<0.001" */
	char *i2;         /* percent */
	char *k;          /* number of studies */
	char *source;     /* where it was published (required with published:) */
};

struct protocol_analysis {
	int line;
	char *name;       /* unique (required) */
	char *outcome;    /* an outcome name (required) */
	char *timepoint;
	char *subgroup;   /* timepoint, or a characteristic name */
	struct strv exclude; /* study labels (sensitivity analysis) */
	char *sensitivity; /* exclude_high_risk | exclude_some_concerns: a second pooled
			    * result without the studies at that risk of bias (or higher) */
	struct strv addons;  /* lsr pool's add-ons: leave-one-out, cumulative, ... */
	struct strv moderators; /* characteristics: meta-regression (lsr pool --moderators) */
	char *cumulative_by; /* year, or a characteristic: cumulative order (--cumulative-by) */
	char *trimfill_side; /* left | right (--trimfill-side) */
	char *trimfill_estimator; /* L0 | R0 (--trimfill-estimator) */
	struct protocol_analysis_opts opts;
	char *label;      /* the report's title; NULL: the name */
	struct protocol_published published; /* all NULL when not given */
};

/* One row of the summary-of-findings table (lsr grade, the report). */
struct protocol_sof {
	int line;
	char *outcome;      /* an outcome name, unique in the list (required) */
	char *analysis;     /* the analysis graded (default: the outcome's first) */
	char *label;        /* as shown (default: the outcome, with the analysis's time point) */
	char *mid_text;     /* mid: as written */
	double mid;         /* minimal important difference on the measure's scale
			     * (a ratio for OR/RR); NaN when not given */
	char *assumed_risk_text; /* assumed_risk: as written (default median) */
	double assumed_risk; /* per 1,000 (0 < x < 1000); NaN: the median control risk */
};

struct protocol {
	char *path;           /* the file as opened */
	int version;          /* lsr_protocol */
	char *title;
	char *registration;
	char *question;
	char *contact_email;  /* sent to online services (NCBI asks for one); NULL: none */
	struct protocol_picos picos;

	struct protocol_source *sources;
	size_t nsources;

	/* screening */
	int reviewers;                    /* default 2 */
	struct protocol_reason *reasons;
	size_t nreasons;
	struct protocol_rule *rules;
	size_t nrules;
	char *screening_order;            /* random (default) | priority (issue 13) */
	struct protocol_priority {
		int retrain_every;        /* screening.priority.retrain_every, default 10 */
	} priority;
	struct strv reasons_required_at;  /* stages where an exclusion needs a reason
					     (full-text always does) */
	int reason_conflicts;             /* default 0: at title-abstract, excludes
					     with different reasons agree */

	/* extraction */
	int extractors;                   /* default 2 */
	int allow_single_extractor;       /* default 0 */
	struct protocol_characteristic *characteristics;
	size_t ncharacteristics;
	struct protocol_outcome *outcomes;
	size_t noutcomes;
	char *risk_of_bias;               /* rob1 (default) | rob2 */
	char *rob2_effect;                /* assignment (default) | adherence: RoB 2 domain 2 */
	int rob2_per_timepoint;           /* RoB 2 judged per outcome and time point (default 0:
					   * per outcome) */
	struct strv rob1_per_outcome;     /* RoB 1 domains judged per outcome (codes, from
					   * blinding-participants, blinding-outcome,
					   * incomplete-data); none: all per study */

	/* analyses */
	struct protocol_analysis_opts analysis_defaults;
	struct protocol_analysis *analyses;
	size_t nanalyses;

	/* GRADE (summary_of_findings) */
	struct protocol_sof *sof;
	size_t nsof;
};

#define PROTOCOL_VERSION 1

/* Load and validate path.  On error *out is NULL and the message is set
 * (LSR_EPARSE for invalid content, LSR_ENOTFOUND for a missing file). */
int protocol_load(struct protocol **out, const char *path);
void protocol_free(struct protocol *p);

const struct protocol_source *protocol_source_find(const struct protocol *p,
						   const char *name);
const struct protocol_reason *protocol_reason_find(const struct protocol *p,
						   const char *code);
const struct protocol_outcome *protocol_outcome_find(const struct protocol *p,
						     const char *name);
const struct protocol_characteristic *
protocol_characteristic_find(const struct protocol *p, const char *name);

/* What the report shows for a characteristic, outcome or analysis: its
 * label, else its name. */
const char *protocol_characteristic_label(const struct protocol_characteristic *c);
const char *protocol_outcome_label(const struct protocol_outcome *o);
const char *protocol_analysis_label(const struct protocol_analysis *a);
const struct protocol_analysis *protocol_analysis_find(const struct protocol *p,
						       const char *name);

/* The commented template lsr init writes (a static string). */
const char *protocol_template(void);

#endif
