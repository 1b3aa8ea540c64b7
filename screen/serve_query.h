/*
 * serve_query.h - what the screening web app (serve/, 'lsr serve') asks of
 * the screen stage: the next citation a reviewer is handed, a citation as
 * the page shows it, a reviewer's progress, and recording a decision.
 *
 * Nothing here returns another reviewer's decision, note or the conflict
 * status of a citation: the functions a reviewer's requests reach are
 * blind by construction.  The arbiter's views are screen_conflicts_json and
 * screen_resolve in screen.h.
 */
#ifndef LSR_SCREEN_SERVE_QUERY_H
#define LSR_SCREEN_SERVE_QUERY_H

#include <stdint.h>

struct lsr_db;
struct protocol;
struct json_t;

/*
 * The hand-out order of one server (serve_query.c explains it): what
 * screen_serve_next remembers between calls, so that handing out a
 * citation costs a few indexed lookups, not a scan of the review; and
 * each reviewer's progress.  seed: the order's seed, as 'lsr screen batch
 * --seed'.  One per database connection; its functions are called from
 * one thread.  With screening.order: priority it starts, when a ranking
 * is first due, a worker thread with a connection of its own that makes
 * the rankings between requests (screen_handout_free stops it, after the
 * ranking it is making).
 */
struct screen_handout;
struct screen_handout *screen_handout_new(uint64_t seed);
void screen_handout_free(struct screen_handout *h);
/* on 0: no worker, a due ranking is made inside the request that finds
 * it due (the benchmark's comparison); 1 (the default): the worker. */
void screen_handout_set_worker(struct screen_handout *h, int on);
/* Build the title-abstract order now (the first hand-out would), so that
 * no reviewer waits for it: a scan of the review, seconds at 100,000. */
int screen_handout_warm(struct lsr_db *db, const struct protocol *p, struct screen_handout *h);
/* Forget what a write of the caller's at stage may have changed (NULL:
 * everything): a title-abstract decision or resolution changes which
 * reports are pending at full text. */
void screen_handout_stale(struct screen_handout *h, const char *stage);
/* After a decision of the caller's is committed at stage: reviewer's
 * (first: their first on that citation there, screen_serve_decide's
 * *out_first), or a resolution (reviewer NULL).  Keeps the progress and
 * the decisions toward each reviewer's next ranking (a resolution at
 * title-abstract counts for everyone: it is a training label). */
void screen_handout_decided(struct screen_handout *h, const char *stage, const char *reviewer,
			    int first);
/*
 * With screening.order: priority, reviewer's ranking in use at
 * title-abstract into *ranking (0: none yet) and whether a new one is
 * being made (*retraining); a new one the worker finished is taken (and
 * stored) first, one that is due (or the first) asked.  *error: why the
 * last ranking made for reviewer failed (the one in use goes on serving;
 * valid until the next call), NULL when it did not.  Returns 1; 0 in
 * random order (outputs 0 and NULL).
 */
int screen_handout_ranking(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
			   const char *reviewer, int64_t *ranking, int *retraining, const char **error);
/* The worker's rankings so far and their wall-clock milliseconds (the
 * last one's, all together); zeros when no worker started. */
void screen_handout_worker_stats(struct screen_handout *h, long *made, double *last_ms,
				 double *total_ms);

/*
 * The citation reviewer is to screen next at stage into *out (0: none
 * left).  First a citation assigned to them there without their decision
 * (oldest assignment first); else one more is assigned to them, in the
 * order 'lsr screen batch --size 1 --seed SEED' would (a batch of one,
 * recorded with file "lsr serve"): pairs complete first, never twice to a
 * reviewer, automatic exclusions never handed out.  With screening.order:
 * priority, at title-abstract, the citations nobody has yet come in the
 * reviewer's own ranking, each hand-out recorded (screen_rank_handout)
 * with its assignment and the ranking it came from; a ranking that is due
 * is made by the worker while the one in use goes on serving (before a
 * reviewer's first ranking comes, the seed's order).
 */
int screen_serve_next(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		      const char *stage, const char *reviewer, int64_t *out);

/*
 * A citation as the screening page shows it: citation, title, authors,
 * year, journal, publication_types, keywords, mesh, abstract, sources (the
 * records it merges: record, source, source_record_id, title) and
 * suggestions (the current rule hits: rule, reason, mode, field, start, end,
 * matched).  No decisions.  LSR_ENOTFOUND: no live citation id.
 */
int screen_serve_citation_json(struct lsr_db *db, int64_t citation, struct json_t **out);

/* Reviewer's live citations at stage: assigned, and of those decided by
 * them.  With h (may be NULL: counted in the database), counted once and
 * then kept by the server's writes (screen_handout_decided), counted again
 * when another process writes the database. */
int screen_serve_progress(struct lsr_db *db, struct screen_handout *h, const char *stage,
			  const char *reviewer, int64_t *assigned, int64_t *done);
/* The citations at stage that reviewer could still be handed: pending,
 * not assigned to them, assigned to fewer reviewers than the protocol
 * asks (from the hand-out order, built when not yet; counted when it is
 * built and then kept by its hand-outs, so a call costs no scan of the
 * review).  With the assigned ones not yet decided, what is left for
 * them to screen. */
int screen_serve_available(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
			   const char *stage, const char *reviewer, int64_t *out);

/*
 * Record reviewer's decision on citation (followed to its live id) at
 * stage, as 'lsr screen import' records a row of a batch file: the
 * citation must be assigned to the reviewer there, the verdict and reason
 * pass the protocol's checks.  One transaction (nested in the caller's when
 * one is open), with an audit entry "screen-serve" naming the reviewer and
 * "via": "lsr serve".  *out_id gets the decision id, *out_first whether it
 * is the reviewer's first decision on the citation at stage (either may
 * be NULL).
 * LSR_ENOTFOUND: no such citation; LSR_EUSAGE: not assigned, or a verdict
 * or reason refused (the message says which).
 */
int screen_serve_decide(struct lsr_db *db, const struct protocol *p, int64_t citation,
			const char *stage, const char *reviewer, const char *verdict,
			const char *reason, const char *note, int64_t *out_id, int *out_first);

/* Reviewer's newest decision that is still their current one on its
 * citation and stage and was not imported from a batch file, among those
 * with an id below `before` (0: no bound): its id, citation and stage
 * (static) into the out parameters; *out_id 0 when there is none. */
int screen_serve_last_decision(struct lsr_db *db, const char *reviewer, int64_t before,
			       int64_t *out_id, int64_t *out_citation, const char **out_stage);

/*
 * Reviewer's own screening history at stage, for stepping back: the
 * citations they decided there, in the order of their first decision on
 * each (re-deciding one does not move it).  The one just before citation
 * `before` in that order (dir < 0; before 0: the newest), or just after it
 * (dir > 0), or that one itself (dir 0), into *out: {citation, verdict, reason, note, decision} of the
 * reviewer's current decision on it, never anyone else's; *out NULL when
 * there is none.  LSR_ENOTFOUND: `before` is not a citation the reviewer
 * decided at stage.
 */
int screen_serve_history(struct lsr_db *db, const char *stage, const char *reviewer,
			 int64_t before, int dir, struct json_t **out);

/* Does an exclusion at stage need a reason (full text; title-abstract when
 * screening.reasons_required_at says so)? */
int screen_serve_reason_required(const struct protocol *p, const char *stage);

/* Is citation assigned to reviewer at stage (NULL: at either stage)? */
int screen_serve_assigned(struct lsr_db *db, int64_t citation, const char *stage,
			  const char *reviewer, int *out);

/* The full-text file registered for citation ('lsr screen fulltext ID
 * --retrieved --file PATH'), as registered, into *out (caller frees; NULL
 * when none).  The only way a file reaches the server's answers: no path
 * from a request is ever opened. */
int screen_serve_fulltext_file(struct lsr_db *db, int64_t citation, char **out);

#endif
