/*
 * effects.c - the study-level effects the extractors agreed on with the
 * p-value printed beside them (extract.h: extract_reported_effects), for
 * the report's check of reported statistics (lsr check-stats' rule).
 *
 * A study-level effect is a time-to-event row of the outcome sheet: its
 * hazard ratio (hr) with the 95% CI (ci_low, ci_high) and, since the p
 * column was added, the p printed with them.  Values are taken as agreed
 * (or resolved), as printed: the check needs their digits.
 */
#include "extract_int.h"
#include "../util/array.h"
#include "../util/err.h"

#include <stdlib.h>
#include <string.h>

enum { E_HR, E_LOW, E_HIGH, E_P, E_N };

struct effect_row {
	char *study, *outcome, *timepoint, *arm;
	char *v[E_N];
};

struct effects {
	const struct protocol *p;
	struct effect_row *rows;
	size_t n, alloc;
};

static int field_slot(const char *field)
{
	static const int f[E_N] = { XF_HR, XF_CI_LOW, XF_CI_HIGH, XF_P };

	for (int i = 0; i < E_N; i++)
		if (!strcmp(field, xfield_names[f[i]]))
			return i;
	return -1;
}

static int same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static int collect(const struct extract_item *it, void *payload)
{
	struct effects *e = payload;
	const struct protocol_outcome *o;
	struct effect_row *r = NULL;
	int slot;

	if (!it->outcome || !it->agreed ||
	    !(it->state == EXTRACT_AGREED || it->state == EXTRACT_RESOLVED) ||
	    (slot = field_slot(it->field)) < 0 || !(o = protocol_outcome_find(e->p, it->outcome)) ||
	    xoutcome_type(o) != XT_TTE)
		return 0;
	/* items come study by study: the row is near the end */
	for (size_t i = e->n; i-- > 0 && !r;)
		if (!strcmp(e->rows[i].study, it->study) && !strcmp(e->rows[i].outcome, it->outcome) &&
		    same(e->rows[i].timepoint, it->timepoint) && same(e->rows[i].arm, it->arm))
			r = &e->rows[i];
	if (!r) {
		if (ARRAY_GROW(e->rows, e->n, e->alloc, 8) < 0)
			return lsr_error_oom();
		r = &e->rows[e->n++];
		memset(r, 0, sizeof(*r));
		r->study = strdup(it->study);
		r->outcome = strdup(it->outcome);
		r->timepoint = it->timepoint ? strdup(it->timepoint) : NULL;
		r->arm = it->arm ? strdup(it->arm) : NULL;
		if (!r->study || !r->outcome || (it->timepoint && !r->timepoint) || (it->arm && !r->arm))
			return lsr_error_oom();
	}
	free(r->v[slot]);
	if (!(r->v[slot] = strdup(it->agreed)))
		return lsr_error_oom();
	return 0;
}

int extract_reported_effects(struct lsr_db *db, const struct protocol *p,
			     int (*fn)(const struct extract_reported_effect *e, void *payload),
			     void *payload)
{
	struct extract_compare_counts cc;
	struct effects e = { p, NULL, 0, 0 };
	int rc = extract_compare(&cc, db, p, 1, collect, &e);

	for (size_t i = 0; i < e.n && rc >= 0; i++) {
		const struct effect_row *r = &e.rows[i];
		struct extract_reported_effect x = {
			r->study, r->outcome, r->timepoint, r->arm, "HR",
			r->v[E_HR], r->v[E_LOW], r->v[E_HIGH], r->v[E_P],
		};

		if (r->v[E_HR] && *r->v[E_HR] && r->v[E_P] && *r->v[E_P])
			rc = fn(&x, payload);
	}
	for (size_t i = 0; i < e.n; i++) {
		free(e.rows[i].study);
		free(e.rows[i].outcome);
		free(e.rows[i].timepoint);
		free(e.rows[i].arm);
		for (int k = 0; k < E_N; k++)
			free(e.rows[i].v[k]);
	}
	free(e.rows);
	return rc < 0 ? rc : 0;
}
