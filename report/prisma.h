/*
 * prisma.h - the PRISMA 2020 flow, computed from the review database.
 *
 * Every box is a query over what was recorded (runs, records, citations,
 * decisions, retrievals, study links; docs/cmd/lsr-prisma.md gives each
 * query), for the whole review (PRISMA_CUMULATIVE, the new-review
 * template) or for one update (the updated-review template: identification
 * and screening of that update only, with the studies of the previous
 * version and the total).  The arithmetic of the diagram is checked every
 * time: a box that is not its parent minus its exclusions is a bug, and
 * prisma_compute() fails (LSR_ERROR, "a bug: ...") naming the box.
 */
#ifndef LSR_PRISMA_H
#define LSR_PRISMA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"

struct lsr_db;
struct protocol;

#define PRISMA_CUMULATIVE (-1)

struct prisma_count {
	char *name;  /* a source name, or a reason code */
	char *label; /* a reason's label from the protocol (else the code) */
	int64_t n;
};

struct prisma_counts {
	struct prisma_count *v;
	size_t n;
};

struct prisma {
	int update;   /* PRISMA_CUMULATIVE, or N >= 0 */
	int nupdates; /* updates recorded (0: none) */
	/* identification */
	struct prisma_counts identified_databases, identified_registers, identified_other;
	int64_t identified_total; /* databases + registers */
	int64_t identified_other_total;
	int64_t duplicates_removed, automation_excluded, other_removed;
	int64_t skipped_at_import; /* malformed entries skipped by imports: noted, never counted */
	/* screening */
	int64_t screened, screen_excluded, screen_pending;
	int64_t screen_excluded_by_tools; /* of screen_excluded: by the stopping rule */
	struct prisma_counts screen_excluded_reasons;
	int64_t sought, not_retrieved, awaiting_retrieval, assessed;
	struct prisma_counts not_retrieved_reasons, fulltext_excluded;
	int64_t fulltext_excluded_total, fulltext_pending;
	/* reports "excluded" for a reason whose protocol status is ongoing or
	 * awaiting-classification: assessed, neither excluded nor included */
	int64_t fulltext_ongoing, fulltext_awaiting;
	/* included */
	int64_t studies_included, reports_included, reports_unlinked;
	/* update >= 1: included reports of studies included in an earlier
	 * update; counted in total_reports, not in reports_included */
	int64_t reports_of_previous_studies;
	/* the updated-review template (update >= 1) */
	int64_t previous_studies, previous_reports, total_studies, total_reports;
};

/* Compute every box (x is overwritten; prisma_release it).  Fails when
 * records are not deduplicated yet (LSR_ERROR), for an unknown update
 * (LSR_EUSAGE), or when the arithmetic does not hold (LSR_ERROR). */
int prisma_compute(struct prisma *x, struct lsr_db *db, const struct protocol *p, int update);
void prisma_release(struct prisma *x);

/* The arithmetic of the diagram: 0, or -1 with the first violation
 * described in msg ("records screened (5) is not ... (6)"). */
int prisma_check(const struct prisma *x, char *msg, size_t msgsz);

/* The stable JSON contract (docs/cmd/lsr-prisma.md). */
json_t *prisma_json(const struct prisma *x);

/* The flow as text for people. */
int prisma_text(struct buf *out, const struct prisma *x);

/* The PRISMA 2020 flow diagram as an SVG document (title may be NULL). */
int prisma_svg(struct buf *out, const struct prisma *x, const char *title);

#endif
