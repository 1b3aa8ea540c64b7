/*
 * prisma.c - the PRISMA 2020 flow from the review database (see prisma.h
 * and docs/cmd/lsr-prisma.md).
 *
 * Scope: a record belongs to the update of its run, a citation to the
 * update of its earliest counted record.  For one update every box counts
 * that update's records and citations; the whole review (cumulative)
 * counts them all.  The counts come from the stages that own the tables,
 * through their public functions (update.h for sources, runs and records;
 * screen.h for deduplication, screening and studies): no SQL here.
 */
#include "prisma.h"
#include "../db/protocol.h"
#include "../db/update.h"
#include "../screen/screen.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- counts ---------------------------------------------------------------- */

static void counts_release(struct prisma_counts *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].label);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* Add n to name's count (created with label when new). */
static int counts_add(struct prisma_counts *c, const char *name, const char *label, int64_t n)
{
	struct prisma_count *v;

	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, name)) {
			c->v[i].n += n;
			return 0;
		}
	if (!(v = realloc(c->v, (c->n + 1) * sizeof(*v))))
		return lsr_error_oom();
	c->v = v;
	v = &c->v[c->n];
	v->name = strdup(name);
	v->label = strdup(label ? label : name);
	v->n = n;
	if (!v->name || !v->label) {
		free(v->name);
		free(v->label);
		return lsr_error_oom();
	}
	c->n++;
	return 0;
}

static int64_t counts_sum(const struct prisma_counts *c)
{
	int64_t s = 0;

	for (size_t i = 0; i < c->n; i++)
		s += c->v[i].n;
	return s;
}

void prisma_release(struct prisma *x)
{
	counts_release(&x->identified_databases);
	counts_release(&x->identified_registers);
	counts_release(&x->identified_other);
	counts_release(&x->screen_excluded_reasons);
	counts_release(&x->not_retrieved_reasons);
	counts_release(&x->fulltext_excluded);
	memset(x, 0, sizeof(*x));
}

static const char *reason_label(const struct protocol *p, const char *code)
{
	const struct protocol_reason *r = p && *code ? protocol_reason_find(p, code) : NULL;

	return r && r->label ? r->label : NULL;
}

/* a full-text reason's status in the protocol: "excluded" unless it says
 * ongoing or awaiting-classification */
static const char *reason_status(const struct protocol *p, const char *code)
{
	const struct protocol_reason *r = p && *code ? protocol_reason_find(p, code) : NULL;

	return r && r->status ? r->status : "excluded";
}

/* ---- the boxes, from the stages' counts ------------------------------------ */

/* where a walk's rows go: the flow of the scope asked for and, for the
 * whole review, one flow per update (per[0..nper-1]) filled in the same
 * pass, which the sums are checked against */
struct walk {
	struct prisma *x;
	struct prisma *per;
	int nper;
	const struct protocol *p;
	int update;
};

/* the flow of update u when the walk keeps one per update, else NULL */
static struct prisma *per_update(const struct walk *w, int u)
{
	return w->per && u >= 0 && u < w->nper ? &w->per[u] : NULL;
}

static int add_source(const struct update_source_count *c, void *payload)
{
	struct prisma *x = payload;
	struct prisma_counts *to = !strcmp(c->kind, "register") ? &x->identified_registers
				   : !strcmp(c->kind, "other") ? &x->identified_other
				   : &x->identified_databases;

	if (to == &x->identified_other)
		x->identified_other_total += c->n;
	else
		x->identified_total += c->n;
	return counts_add(to, c->name, NULL, c->n);
}

static int add_size(const struct screen_update_size *c, void *payload)
{
	struct walk *w = payload;
	struct prisma *u = per_update(w, c->update_no);

	w->x->duplicates_removed += c->records - c->citations;
	if (u)
		u->duplicates_removed += c->records - c->citations;
	return 0;
}

static int ta_into(struct prisma *x, const struct protocol *p, const struct screen_ta_count *c)
{
	if (c->automation) {
		x->automation_excluded += c->n;
		return 0;
	}
	x->screened += c->n;
	if (!strcmp(c->status, "excluded")) {
		x->screen_excluded += c->n;
		if (c->stopping)
			x->screen_excluded_by_tools += c->n;
		return counts_add(&x->screen_excluded_reasons, *c->reason ? c->reason : "(no reason given)",
				  reason_label(p, c->reason), c->n);
	}
	if (strcmp(c->status, "included"))
		x->screen_pending += c->n; /* pending, conflict */
	return 0;
}

static int add_ta(const struct screen_ta_count *c, void *payload)
{
	struct walk *w = payload;
	struct prisma *u = per_update(w, c->update_no);
	int rc = ta_into(w->x, w->p, c);

	return rc == 0 && u ? ta_into(u, w->p, c) : rc;
}

static int ft_into(struct prisma *x, const struct protocol *p, const struct screen_ft_count *c)
{
	x->sought += c->n;
	if (!strcmp(c->status, "awaiting-retrieval")) {
		x->awaiting_retrieval += c->n;
		return 0;
	}
	if (!strcmp(c->status, "not-retrieved")) {
		x->not_retrieved += c->n;
		return counts_add(&x->not_retrieved_reasons,
				  *c->retrieval_reason ? c->retrieval_reason : "(no reason given)", NULL, c->n);
	}
	x->assessed += c->n;
	if (!strcmp(c->status, "excluded") && !strcmp(reason_status(p, c->reason), "ongoing")) {
		x->fulltext_ongoing += c->n;
		return 0;
	}
	if (!strcmp(c->status, "excluded") && !strcmp(reason_status(p, c->reason), "awaiting-classification")) {
		x->fulltext_awaiting += c->n;
		return 0;
	}
	if (!strcmp(c->status, "excluded")) {
		x->fulltext_excluded_total += c->n;
		return counts_add(&x->fulltext_excluded, *c->reason ? c->reason : "(no reason given)",
				  reason_label(p, c->reason), c->n);
	}
	if (strcmp(c->status, "included"))
		x->fulltext_pending += c->n;
	return 0;
}

static int add_ft(const struct screen_ft_count *c, void *payload)
{
	struct walk *w = payload;
	struct prisma *u = per_update(w, c->update_no);
	int rc = ft_into(w->x, w->p, c);

	return rc == 0 && u ? ft_into(u, w->p, c) : rc;
}

/* Included reports of update u's scope (u < 0: the whole review), and the
 * previous versions'. */
static void reports_into(struct prisma *x, int u, const struct screen_report_count *c)
{
	if (u < 0 || c->update_no == u) {
		x->reports_included += c->n;
		if (!c->linked)
			x->reports_unlinked += c->n;
	}
	if (u >= 0 && c->update_no < u)
		x->previous_reports += c->n;
}

static int add_reports(const struct screen_report_count *c, void *payload)
{
	struct walk *w = payload;

	reports_into(w->x, w->update, c);
	for (int u = 0; w->per && u < w->nper; u++)
		reports_into(&w->per[u], u, c);
	return 0;
}

/* Included studies, by the update of their earliest report. */
static void study_into(struct prisma *x, int u, const struct screen_study_first *s)
{
	if (u < 0 || s->update_no == u)
		x->studies_included++;
	else if (s->update_no < u)
		x->previous_studies++;
}

static int add_study(const struct screen_study_first *s, void *payload)
{
	struct walk *w = payload;

	study_into(w->x, w->update, s);
	for (int u = 0; w->per && u < w->nper; u++)
		study_into(&w->per[u], u, s);
	return 0;
}

/* The counts of update update's own tables (sources, runs and records). */
static int scope_records(struct prisma *x, struct lsr_db *db, int update)
{
	int rc;

	x->update = update;
	if ((rc = update_source_counts(db, update, add_source, x)) < 0 ||
	    (rc = update_removed_count(&x->other_removed, db, update)) < 0 ||
	    (rc = update_skipped_count(&x->skipped_at_import, db, update)) < 0)
		return rc;
	return 0;
}

static void scope_totals(struct prisma *x)
{
	/* a new report of a study included before is no report of a new
	 * study: it counts in the totals (PRISMA 2020, updated reviews) */
	x->reports_included -= x->reports_of_previous_studies;
	x->total_studies = x->previous_studies + x->studies_included;
	x->total_reports = x->previous_reports + x->reports_included + x->reports_of_previous_studies;
}

/* Fill x for update (negative: the whole review) and, with per, each
 * update's flow too: every query on the review's citations runs once. */
static int compute_scope(struct prisma *x, struct prisma *per, int nper, struct lsr_db *db,
			 const struct protocol *p, int update)
{
	struct walk w = { x, per, nper, p, update };
	int rc;

	if ((rc = scope_records(x, db, update)) < 0)
		return rc;
	for (int u = 0; per && u < nper; u++)
		if ((rc = scope_records(&per[u], db, u)) < 0)
			return rc;
	if ((rc = screen_update_sizes(db, update, add_size, &w)) < 0 ||
	    (rc = screen_ta_status_counts(db, update, add_ta, &w)) < 0 ||
	    (rc = screen_ft_status_counts(db, update, add_ft, &w)) < 0 ||
	    (rc = screen_report_included_counts(db, add_reports, &w)) < 0 ||
	    (rc = screen_study_first_updates(db, add_study, &w)) < 0 ||
	    (rc = update_reports_of_previous_studies(&x->reports_of_previous_studies, db, update)) < 0)
		return rc;
	for (int u = 0; per && u < nper; u++)
		if ((rc = update_reports_of_previous_studies(&per[u].reports_of_previous_studies, db, u)) < 0)
			return rc;
	scope_totals(x);
	for (int u = 0; per && u < nper; u++)
		scope_totals(&per[u]);
	return 0;
}

/* ---- the arithmetic -------------------------------------------------------------- */

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			snprintf(msg, msgsz, __VA_ARGS__); \
			return -1; \
		} \
	} while (0)

int prisma_check(const struct prisma *x, char *msg, size_t msgsz)
{
	int64_t in = x->identified_total + x->identified_other_total;
	int64_t after = in - x->duplicates_removed - x->automation_excluded - x->other_removed;

	CHECK(counts_sum(&x->identified_databases) + counts_sum(&x->identified_registers) ==
	      x->identified_total,
	      "records identified (%lld) is not the sum of its databases and registers (%lld)",
	      (long long)x->identified_total,
	      (long long)(counts_sum(&x->identified_databases) + counts_sum(&x->identified_registers)));
	CHECK(counts_sum(&x->identified_other) == x->identified_other_total,
	      "records identified by other methods (%lld) is not the sum of its sources (%lld)",
	      (long long)x->identified_other_total, (long long)counts_sum(&x->identified_other));
	CHECK(x->duplicates_removed >= 0 && x->automation_excluded >= 0 && x->other_removed >= 0,
	      "a count of records removed before screening is negative (%lld, %lld, %lld)",
	      (long long)x->duplicates_removed, (long long)x->automation_excluded,
	      (long long)x->other_removed);
	CHECK(after == x->screened,
	      "records screened (%lld) is not records identified (%lld) minus duplicates (%lld),"
	      " automation exclusions (%lld) and other removals (%lld) = %lld",
	      (long long)x->screened, (long long)in, (long long)x->duplicates_removed,
	      (long long)x->automation_excluded, (long long)x->other_removed, (long long)after);
	CHECK(counts_sum(&x->screen_excluded_reasons) == x->screen_excluded,
	      "records excluded (%lld) is not the sum of its reasons (%lld)",
	      (long long)x->screen_excluded, (long long)counts_sum(&x->screen_excluded_reasons));
	CHECK(x->screened - x->screen_excluded - x->screen_pending == x->sought,
	      "reports sought (%lld) is not records screened (%lld) minus excluded (%lld) and"
	      " undecided (%lld)", (long long)x->sought, (long long)x->screened,
	      (long long)x->screen_excluded, (long long)x->screen_pending);
	CHECK(counts_sum(&x->not_retrieved_reasons) == x->not_retrieved,
	      "reports not retrieved (%lld) is not the sum of its reasons (%lld)",
	      (long long)x->not_retrieved, (long long)counts_sum(&x->not_retrieved_reasons));
	CHECK(x->sought - x->not_retrieved - x->awaiting_retrieval == x->assessed,
	      "reports assessed (%lld) is not reports sought (%lld) minus not retrieved (%lld)"
	      " and awaiting retrieval (%lld)", (long long)x->assessed, (long long)x->sought,
	      (long long)x->not_retrieved, (long long)x->awaiting_retrieval);
	CHECK(counts_sum(&x->fulltext_excluded) == x->fulltext_excluded_total,
	      "reports excluded (%lld) is not the sum of its reasons (%lld)",
	      (long long)x->fulltext_excluded_total, (long long)counts_sum(&x->fulltext_excluded));
	CHECK(x->fulltext_ongoing >= 0 && x->fulltext_awaiting >= 0,
	      "a count of ongoing (%lld) or awaiting-classification (%lld) reports is negative",
	      (long long)x->fulltext_ongoing, (long long)x->fulltext_awaiting);
	CHECK(x->assessed - x->fulltext_excluded_total - x->fulltext_ongoing - x->fulltext_awaiting -
	      x->fulltext_pending == x->reports_included + x->reports_of_previous_studies,
	      "reports of included studies (%lld) is not reports assessed (%lld) minus excluded"
	      " (%lld), ongoing (%lld), awaiting classification (%lld) and undecided (%lld)",
	      (long long)(x->reports_included + x->reports_of_previous_studies),
	      (long long)x->assessed, (long long)x->fulltext_excluded_total,
	      (long long)x->fulltext_ongoing, (long long)x->fulltext_awaiting,
	      (long long)x->fulltext_pending);
	CHECK(x->reports_unlinked >= 0 && x->reports_unlinked <= x->reports_included,
	      "reports not linked to a study (%lld) exceeds the reports included (%lld)",
	      (long long)x->reports_unlinked, (long long)x->reports_included);
	CHECK(x->total_studies == x->previous_studies + x->studies_included &&
	      x->total_reports == x->previous_reports + x->reports_included +
				  x->reports_of_previous_studies,
	      "total studies (%lld) or reports (%lld) is not previous plus new (%lld + %lld,"
	      " %lld + %lld + %lld)", (long long)x->total_studies, (long long)x->total_reports,
	      (long long)x->previous_studies, (long long)x->studies_included,
	      (long long)x->previous_reports, (long long)x->reports_included,
	      (long long)x->reports_of_previous_studies);
	CHECK(x->total_studies <= x->total_reports - (x->reports_unlinked),
	      "studies included (%lld) outnumber their linked reports (%lld)",
	      (long long)x->total_studies, (long long)(x->total_reports - x->reports_unlinked));
	return 0;
}

static int bug(const char *what, const char *msg)
{
	return lsr_error_set(LSR_ERROR, "PRISMA arithmetic does not hold (a bug in lsr, please report it): %s%s",
			     what, msg);
}

/* The additive boxes of the whole review must be the sums over updates
 * (per: the flow of each update 0..all->nupdates, from the same pass). */
static int check_sums(const struct prisma *all, const struct prisma *per)
{
	struct prisma sum;
	char msg[512];

	memset(&sum, 0, sizeof(sum));
	for (int n = 0; n <= all->nupdates; n++) {
		const struct prisma *u = &per[n];

		if (prisma_check(u, msg, sizeof(msg)) < 0) {
			char what[64];

			snprintf(what, sizeof(what), "update %d: ", n);
			return bug(what, msg);
		}
		sum.identified_total += u->identified_total;
		sum.identified_other_total += u->identified_other_total;
		sum.duplicates_removed += u->duplicates_removed;
		sum.automation_excluded += u->automation_excluded;
		sum.other_removed += u->other_removed;
		sum.screened += u->screened;
		sum.screen_excluded += u->screen_excluded;
		sum.screen_excluded_by_tools += u->screen_excluded_by_tools;
		sum.sought += u->sought;
		sum.assessed += u->assessed;
		sum.fulltext_excluded_total += u->fulltext_excluded_total;
		sum.fulltext_ongoing += u->fulltext_ongoing;
		sum.fulltext_awaiting += u->fulltext_awaiting;
		sum.reports_included += u->reports_included + u->reports_of_previous_studies;
		sum.studies_included += u->studies_included;
	}
#define SAME(f) \
	if (sum.f != all->f) { \
		snprintf(msg, sizeof(msg), #f " of the whole review (%lld) is not the sum over its updates (%lld)", \
			 (long long)all->f, (long long)sum.f); \
		return bug("", msg); \
	}
	SAME(identified_total) SAME(identified_other_total) SAME(duplicates_removed)
	SAME(automation_excluded) SAME(other_removed) SAME(screened) SAME(screen_excluded)
	SAME(screen_excluded_by_tools)
	SAME(sought) SAME(assessed) SAME(fulltext_excluded_total) SAME(fulltext_ongoing)
	SAME(fulltext_awaiting) SAME(reports_included)
	SAME(studies_included)
#undef SAME
	return 0;
}

int prisma_compute(struct prisma *x, struct lsr_db *db, const struct protocol *p, int update)
{
	struct update_info latest;
	struct prisma *per = NULL;
	int64_t nupdates, ungrouped = 0;
	char msg[512];
	int rc;

	memset(x, 0, sizeof(*x));
	if ((rc = update_latest(db, &latest)) < 0)
		return rc;
	nupdates = latest.no;
	if (update != PRISMA_CUMULATIVE && (update < 0 || update > nupdates))
		return lsr_error_set(LSR_EUSAGE, "no update %d (the latest is %lld; 0 is the review as first done)",
				     update, (long long)nupdates);
	if ((rc = screen_dedup_ungrouped_count(&ungrouped, db)) < 0)
		return rc;
	if (ungrouped)
		return lsr_error_set(LSR_ERROR, "%lld record%s not deduplicated yet: run 'lsr dedup' first",
				     (long long)ungrouped, ungrouped == 1 ? " is" : "s are");
	if (update == PRISMA_CUMULATIVE && !(per = calloc((size_t)nupdates + 1, sizeof(*per))))
		return lsr_error_oom();
	rc = compute_scope(x, per, per ? (int)nupdates + 1 : 0, db, p, update);
	x->nupdates = (int)nupdates;
	if (rc == 0 && prisma_check(x, msg, sizeof(msg)) < 0)
		rc = bug("", msg);
	else if (rc == 0 && per)
		rc = check_sums(x, per);
	for (int64_t u = 0; per && u <= nupdates; u++)
		prisma_release(&per[u]);
	free(per);
	if (rc < 0)
		prisma_release(x);
	return rc;
}

/* ---- output ------------------------------------------------------------------- */

static json_t *counts_json(const struct prisma_counts *c)
{
	json_t *o = json_object();

	for (size_t i = 0; i < c->n; i++)
		json_object_set_new(o, c->v[i].name, json_integer(c->v[i].n));
	return o;
}

json_t *prisma_json(const struct prisma *x)
{
	json_t *o = json_object();

	json_object_set_new(o, "schema_version", json_integer(1));
	json_object_set_new(o, "update", x->update < 0 ? json_string("cumulative") : json_integer(x->update));
	json_object_set_new(o, "updates", json_integer(x->nupdates));
	json_object_set_new(o, "identified_databases", counts_json(&x->identified_databases));
	json_object_set_new(o, "identified_registers", counts_json(&x->identified_registers));
	json_object_set_new(o, "identified_other", counts_json(&x->identified_other));
	json_object_set_new(o, "identified_total", json_integer(x->identified_total));
	json_object_set_new(o, "identified_other_total", json_integer(x->identified_other_total));
	json_object_set_new(o, "duplicates_removed", json_integer(x->duplicates_removed));
	json_object_set_new(o, "automation_excluded", json_integer(x->automation_excluded));
	json_object_set_new(o, "other_removed", json_integer(x->other_removed));
	json_object_set_new(o, "skipped_at_import", json_integer(x->skipped_at_import));
	json_object_set_new(o, "screened", json_integer(x->screened));
	json_object_set_new(o, "screen_excluded", json_integer(x->screen_excluded));
	json_object_set_new(o, "screen_excluded_by_humans",
			    json_integer(x->screen_excluded - x->screen_excluded_by_tools));
	json_object_set_new(o, "screen_excluded_by_automation", json_integer(x->screen_excluded_by_tools));
	json_object_set_new(o, "screen_excluded_reasons", counts_json(&x->screen_excluded_reasons));
	json_object_set_new(o, "screen_pending", json_integer(x->screen_pending));
	json_object_set_new(o, "sought", json_integer(x->sought));
	json_object_set_new(o, "not_retrieved", json_integer(x->not_retrieved));
	json_object_set_new(o, "not_retrieved_reasons", counts_json(&x->not_retrieved_reasons));
	json_object_set_new(o, "awaiting_retrieval", json_integer(x->awaiting_retrieval));
	json_object_set_new(o, "assessed", json_integer(x->assessed));
	json_object_set_new(o, "fulltext_excluded", counts_json(&x->fulltext_excluded));
	json_object_set_new(o, "fulltext_excluded_total", json_integer(x->fulltext_excluded_total));
	json_object_set_new(o, "fulltext_pending", json_integer(x->fulltext_pending));
	json_object_set_new(o, "fulltext_ongoing", json_integer(x->fulltext_ongoing));
	json_object_set_new(o, "fulltext_awaiting_classification", json_integer(x->fulltext_awaiting));
	json_object_set_new(o, "studies_included", json_integer(x->studies_included));
	json_object_set_new(o, "reports_included", json_integer(x->reports_included));
	json_object_set_new(o, "reports_unlinked", json_integer(x->reports_unlinked));
	json_object_set_new(o, "reports_of_previous_studies", json_integer(x->reports_of_previous_studies));
	if (x->update >= 1) {
		json_object_set_new(o, "previous_studies", json_integer(x->previous_studies));
		json_object_set_new(o, "previous_reports", json_integer(x->previous_reports));
		json_object_set_new(o, "total_studies", json_integer(x->total_studies));
		json_object_set_new(o, "total_reports", json_integer(x->total_reports));
	}
	return o;
}

/* One "label   count" line per item, the counts in one column: labels are
 * padded by characters (not bytes: "recall ≥ 95%"), and a label longer
 * than the column gets a line of its own with its count under the others. */
static int text_counts(struct buf *out, const char *indent, const struct prisma_counts *c)
{
	const size_t width = 50 - strlen(indent);
	int rc = 0;

	for (size_t i = 0; i < c->n && rc == 0; i++) {
		const char *label = c->v[i].label;
		size_t chars = text_chars(label);

		if (chars <= width)
			rc = buf_printf(out, "%s%s%*s %7lld\n", indent, label, (int)(width - chars), "",
					(long long)c->v[i].n);
		else
			rc = buf_printf(out, "%s%s\n%s%*s %7lld\n", indent, label, indent, (int)width, "",
					(long long)c->v[i].n);
	}
	return rc;
}

int prisma_text(struct buf *out, const struct prisma *x)
{
	int rc = 0;

	if (x->update < 0)
		rc = buf_printf(out, "PRISMA 2020 flow, whole review%s\n\n",
				x->nupdates ? " (all updates)" : "");
	else if (x->update == 0)
		rc = buf_printf(out, "PRISMA 2020 flow, update 0 (the review as first done)\n\n");
	else
		rc = buf_printf(out, "PRISMA 2020 flow, update %d (updated-review template)\n\n", x->update);
	if (rc == 0 && x->update >= 1)
		rc = buf_printf(out, "Previous version of the review\n"
				"  studies included                                 %7lld\n"
				"  reports of those studies                         %7lld\n\n",
				(long long)x->previous_studies, (long long)x->previous_reports);
	if (rc == 0)
		rc = buf_printf(out, "Identification\n  %-48s %7lld\n", "records identified from databases and registers",
				(long long)x->identified_total);
	if (rc == 0)
		rc = text_counts(out, "    ", &x->identified_databases);
	if (rc == 0)
		rc = text_counts(out, "    ", &x->identified_registers);
	if (rc == 0 && x->identified_other_total)
		rc = buf_printf(out, "  records identified by other methods              %7lld\n",
				(long long)x->identified_other_total);
	if (rc == 0 && x->identified_other_total)
		rc = text_counts(out, "    ", &x->identified_other);
	if (rc == 0)
		rc = buf_printf(out,
				"  removed before screening:\n"
				"    duplicate records                              %7lld\n"
				"    marked ineligible by automation tools          %7lld\n"
				"    removed for other reasons                      %7lld\n"
				"Screening\n"
				"  records screened                                 %7lld\n"
				"  records excluded                                 %7lld\n",
				(long long)x->duplicates_removed, (long long)x->automation_excluded,
				(long long)x->other_removed, (long long)x->screened,
				(long long)x->screen_excluded);
	if (rc == 0 && x->skipped_at_import)
		rc = buf_printf(out, "  note: %lld malformed entries were skipped at import (lsr import\n"
				"  --skip-malformed; not records, not counted above: see lsr status)\n",
				(long long)x->skipped_at_import);
	if (rc == 0 && x->screen_excluded_by_tools)
		rc = buf_printf(out,
				"    excluded by a human                            %7lld\n"
				"    excluded by automation tools (stopping rule)   %7lld\n",
				(long long)(x->screen_excluded - x->screen_excluded_by_tools),
				(long long)x->screen_excluded_by_tools);
	if (rc == 0)
		rc = text_counts(out, "    ", &x->screen_excluded_reasons);
	if (rc == 0 && x->screen_pending)
		rc = buf_printf(out, "  records not yet decided                          %7lld\n",
				(long long)x->screen_pending);
	if (rc == 0)
		rc = buf_printf(out,
				"  reports sought for retrieval                     %7lld\n"
				"  reports not retrieved                            %7lld\n",
				(long long)x->sought, (long long)x->not_retrieved);
	if (rc == 0)
		rc = text_counts(out, "    ", &x->not_retrieved_reasons);
	if (rc == 0 && x->awaiting_retrieval)
		rc = buf_printf(out, "  reports awaiting retrieval                       %7lld\n",
				(long long)x->awaiting_retrieval);
	if (rc == 0)
		rc = buf_printf(out,
				"  reports assessed for eligibility                 %7lld\n"
				"  reports excluded                                 %7lld\n",
				(long long)x->assessed, (long long)x->fulltext_excluded_total);
	if (rc == 0)
		rc = text_counts(out, "    ", &x->fulltext_excluded);
	if (rc == 0 && x->fulltext_pending)
		rc = buf_printf(out, "  reports not yet decided                          %7lld\n",
				(long long)x->fulltext_pending);
	if (rc == 0 && x->fulltext_ongoing)
		rc = buf_printf(out, "  reports of ongoing studies                       %7lld\n",
				(long long)x->fulltext_ongoing);
	if (rc == 0 && x->fulltext_awaiting)
		rc = buf_printf(out, "  reports of studies awaiting classification       %7lld\n",
				(long long)x->fulltext_awaiting);
	if (rc == 0)
		rc = buf_printf(out, "Included\n"
				"  %-48s %7lld\n"
				"  %-48s %7lld\n",
				x->update >= 1 ? "new studies included" : "studies included",
				(long long)x->studies_included,
				x->update >= 1 ? "reports of new included studies" : "reports of included studies",
				(long long)x->reports_included);
	if (rc == 0 && x->update >= 1 && x->reports_of_previous_studies)
		rc = buf_printf(out, "  %-48s %7lld\n", "new reports of studies included before",
				(long long)x->reports_of_previous_studies);
	if (rc == 0 && x->reports_unlinked)
		rc = buf_printf(out, "  (%lld included report%s not linked to a study yet: lsr study link)\n",
				(long long)x->reports_unlinked, x->reports_unlinked == 1 ? "" : "s");
	if (rc == 0 && x->update >= 1)
		rc = buf_printf(out,
				"  total studies included in review                 %7lld\n"
				"  reports of total included studies                %7lld\n",
				(long long)x->total_studies, (long long)x->total_reports);
	return rc;
}
