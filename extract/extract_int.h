/*
 * extract_int.h - what the files of extract/ share and nobody else needs:
 * the studies, the outcome-data fields, cell checks, and the import log.
 */
#ifndef LSR_EXTRACT_INT_H
#define LSR_EXTRACT_INT_H

#include "extract.h"
#include "../db/db.h"
#include "../db/protocol.h"

/* outcome types, as bits */
enum {
	XT_CONT = 1 << 0,
	XT_DICH = 1 << 1,
	XT_TTE = 1 << 2,
};

/* the numeric columns of an outcome sheet, in sheet order; p is the
 * p-value printed beside a study-level effect (a time-to-event row's hr
 * and its CI), kept as printed ("<0.001") for lsr check-stats' check */
enum xfield {
	XF_N, XF_MEAN, XF_SD, XF_SE, XF_CI_LOW, XF_CI_HIGH, XF_MEDIAN, XF_Q1, XF_Q3,
	XF_MIN, XF_MAX, XF_EVENTS, XF_HR, XF_LOG_HR, XF_O_E, XF_VARIANCE, XF_P,
	XF_COUNT
};
extern const char *const xfield_names[XF_COUNT];
extern const unsigned xfield_types[XF_COUNT]; /* XT_* it applies to */

/* XT_* of an outcome's type ("continuous" ...). */
unsigned xoutcome_type(const struct protocol_outcome *o);
/* The field's index, or -1. */
int xfield_find(const char *name);

/* The studies (the table screening creates), ordered by label. */
struct xstudy {
	int64_t id;
	char *label;
};
struct xstudies {
	struct xstudy *v;
	size_t n;
};
int xstudies_load(struct xstudies *out, struct lsr_db *db);
const struct xstudy *xstudies_find(const struct xstudies *s, const char *label);
void xstudies_release(struct xstudies *s);

/*
 * What an arm's agreed (or one row's) values give: for continuous data n,
 * mean and SD with the conversion's method; for dichotomous n and events;
 * for time-to-event log HR and its SE.  vals[f] is the text of field f
 * (NULL or "" when empty).  LSR_EPARSE with "column 'C': ..." or a
 * conversion's message when the values are invalid or not enough.
 */
struct xarm {
	double n, mean, sd, events, log_hr, se_log_hr;
	const char *method;
};
int xarm_compute(struct xarm *out, unsigned type, const char *const vals[XF_COUNT]);
/* Whether every field of the row is empty. */
int xarm_empty(const char *const vals[XF_COUNT]);

/*
 * Check one characteristic's cell; on success *norm holds the value as
 * stored (a choice in the protocol's spelling, trimmed text), NULL when
 * empty.  LSR_EPARSE "column 'NAME': expected ..., got '...'" otherwise.
 */
int xcheck_characteristic(char **norm, const struct protocol_characteristic *c,
			  const char *value);
/* Check one outcome-data cell alone (a number, whole where needed, > 0
 * where needed). */
int xcheck_number(const char *field, const char *value);

/* Numbers as typed: 1 when s is a whole finite number (leading/trailing
 * space not allowed), with *out set. */
int xparse_number(double *out, const char *s);

/* Two values are the same: numerically when both are numbers, else as
 * text; NULL equals NULL. */
int xvalues_equal(const char *a, const char *b);

/* Append an import to the log (inside a transaction); *id gets its id. */
int ximport_log(int64_t *id, struct lsr_db *db, const char *kind, const char *path,
		const char *person, size_t rows);

/* "a, b, c" of a strv, into out */
int xjoin(struct buf *out, const struct strv *sv);

#endif
