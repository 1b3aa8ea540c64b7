/*
 * screening_int.h - what the screening files of screen/ share (private):
 * stage and verdict names, reason checks, appending decisions, CSV fields.
 */
#ifndef LSR_SCREENING_INT_H
#define LSR_SCREENING_INT_H

#include "screen.h"
#include "../db/db.h"
#include "../db/protocol.h"

#include <stdio.h>

/* The static spelling of a stage name, or NULL when s is not one. */
const char *scr_stage(const char *s);
/* The static spelling of a verdict (caseless, trimmed), or NULL. */
const char *scr_verdict(const char *s);

/* Does an exclusion at stage need a reason?  Always at full text; at
 * title-abstract when screening.reasons_required_at lists it. */
int scr_reason_required(const struct protocol *p, const char *stage);

/*
 * Check a reason against the protocol for a decision at stage: NULL or ""
 * reason is fine except for exclusions where scr_reason_required; a reason needs the
 * verdict exclude, a declared code, of the stage.  On a problem writes what
 * is wrong into msg and returns -1; else 0, with *code the declared code
 * (borrowed from p) or NULL.
 */
int scr_reason_check(const struct protocol *p, const char *stage, const char *verdict,
		     const char *reason, const char **code, char *msg, size_t msgsz);

/* Append a decision row (kind "review" or "resolution"); *out_id may be NULL. */
int scr_decision_add(struct lsr_db *db, int64_t citation, const char *stage,
		     const char *kind, const char *reviewer, const char *verdict,
		     const char *reason, const char *note, int64_t import_id,
		     int64_t carried_from, int64_t *out_id);

/* Is citation assigned to reviewer at stage?  *out gets the number of
 * such assignments (0 or 1). */
int scr_assigned(struct lsr_db *db, int64_t citation, const char *stage,
		 const char *reviewer, int *out);

/* The status of a citation at a stage from screen_ta_status /
 * screen_ft_status into buf ("" when it has none there). */
int scr_status(struct lsr_db *db, int64_t citation, const char *stage, char *buf,
	       size_t bufsz);

/* The place of citation in the random hand-out order of seed (smaller
 * first): 'lsr screen batch --seed' and 'lsr serve' share it. */
uint64_t scr_order_key(uint64_t seed, int64_t citation);

/*
 * Record a batch of reviewer at stage: a screen_batches row (file names
 * where it went), the assignments of ids in that order, and its audit
 * entry, inside the caller's transaction.  n > 0.
 */
int scr_batch_record(struct lsr_db *db, const struct protocol *p, const char *stage,
		     const char *reviewer, uint64_t seed, const char *file,
		     const int64_t *ids, size_t n, int64_t *out_batch);

/* Audit helper: action, a "what N" object and detail (a JSON value,
 * stolen; may be NULL). */
int scr_audit(struct lsr_db *db, const char *action, const char *what, int64_t id,
	      struct json_t *detail);

#endif
