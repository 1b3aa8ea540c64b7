/*
 * update.h - the updates of a living review (0006_update.sql): which
 * update is open, starting and closing one, and the check of the included
 * studies' reports for retractions and errata.
 *
 * Update 0 is the review as first done (no row); 'lsr update' starts
 * update 1, 2, ...  An update is open until it is closed; while it is open,
 * every run (search or import) belongs to it.
 */
#ifndef LSR_UPDATE_H
#define LSR_UPDATE_H

#include <stddef.h>
#include <stdint.h>

struct lsr_db;
struct json_t;

struct update_info {
	int no;                /* 0: no update recorded yet */
	char started_at[32];
	int64_t first_run_id;
	char since[11], until[11]; /* search window, "" when none */
	int closed;
};

/* The latest update (no 0 and the rest empty when there is none). */
int update_latest(struct lsr_db *db, struct update_info *out);

/*
 * Start update latest + 1 with the search window [since, until] (either may
 * be NULL).  Its runs are those created from now on.
 */
int update_begin(struct lsr_db *db, const char *since, const char *until,
		 struct update_info *out);

/* Store what update no added (a JSON object, as text). */
int update_set_summary(struct lsr_db *db, int no, const char *json);

/* Close update no (once). */
int update_close(struct lsr_db *db, int no);

/*
 * Look at the records of every report of an included study for signs that
 * it was retracted, corrected or questioned: publication type Retracted
 * Publication; relations RetractionIn, ErratumIn, ExpressionOfConcernIn;
 * and any counted record (a notice) whose relations point at one of their
 * PMIDs (RetractionOf, ErratumFor, ExpressionOfConcernFor).  New findings
 * are stored in update_flags under update no; *nnew counts them.
 */
int update_check_flags(struct lsr_db *db, int no, int64_t *nnew);

/*
 * The flags of update no as a JSON array of objects kind, detail,
 * citation, study (label or ""), title ("" when unknown), sorted by
 * citation, kind and detail.  *out is the caller's.
 */
int update_flags_json(struct lsr_db *db, int no, struct json_t **out);

/* Records update no added, per source: a JSON object name -> count
 * (withdrawn runs and records left out).  *out is the caller's. */
int update_records_added_json(struct lsr_db *db, int no, struct json_t **out);

/*
 * What update no has stored so far, read back from the runs and the audit
 * log, so that the summary of an update continued after a failure, Ctrl-C
 * or kill -9 is the one an uninterrupted update stores:
 *   update_runs_json: its runs of kind "import" ([{source, file, run,
 *     records}]) or "search" ([{source, run, status, reported, stored,
 *     reason}]), by run id; withdrawn runs and unfinished imports left out;
 *   update_dedup_json: its deduplication runs summed, {records_new,
 *     merges, queued} (every 'lsr dedup' logged between its start and the
 *     next update's).
 * *out is the caller's.
 */
int update_runs_json(struct lsr_db *db, int no, const char *kind, struct json_t **out);
int update_dedup_json(struct lsr_db *db, int no, struct json_t **out);

/*
 * *needed 1 when update no must deduplicate: records wait to be grouped,
 * or no deduplication was logged in the update since it began, since the
 * last import and since the last run or record withdrawn or removed.  0
 * when a deduplication of this update already did all there is to do (a
 * rerun after it logs no empty second one).
 */
int update_dedup_needed(struct lsr_db *db, int no, int *needed);

/* 1 in *yes when source was searched completely in update no (a rerun of
 * the update continues instead of searching again). */
int update_source_searched(struct lsr_db *db, int no, const char *source, int *yes);

/* ---- read by the report and the PRISMA flow (report_query.c) ------------
 *
 * update: one update (0, 1, ...) or, when negative, the whole review.  A
 * record belongs to the update of its run.  Callbacks get rows borrowed
 * for the call only; a non-zero return stops the walk and is returned.
 */

/* The records identified by one source. */
struct update_source_count {
	const char *name;      /* sources.name, as PRISMA shows it */
	const char *kind;      /* "database", "register" or "other" */
	int64_t n;             /* its live records in the scope (may be 0) */
};

/* Call fn for every source, in the order they were added. */
int update_source_counts(struct lsr_db *db, int update,
			 int (*fn)(const struct update_source_count *c, void *payload),
			 void *payload);

/* *out: entries of the scope's files skipped as malformed at import
 * (lsr import --skip-malformed): never records, noted beside PRISMA's
 * "removed for other reasons". */
int update_skipped_count(int64_t *out, struct lsr_db *db, int update);

/*
 * *out: reports included at full text in update (>= 1) that are linked to
 * a study whose earliest included report came in an earlier update - new
 * reports of studies included before, which PRISMA 2020's updated-review
 * template counts in the totals only, not as reports of new studies.  0
 * for the whole review (update < 0) and for update 0.
 */
int update_reports_of_previous_studies(int64_t *out, struct lsr_db *db, int update);

/* *out: live records of the scope removed before screening (record_removals). */
int update_removed_count(int64_t *out, struct lsr_db *db, int update);

/*
 * The date of update no, "YYYY-MM-DD": the end of its search window, else
 * the day of its latest run; "" when it has neither.  out has outsz bytes
 * (11 hold a date); it is "" on failure.
 */
int update_date(char *out, size_t outsz, struct lsr_db *db, int no);

/* One finding of update_check_flags, with the report it is about. */
struct update_flag {
	int update_no;         /* the update that found it */
	const char *kind;      /* retracted, retraction-notice, erratum, ... */
	const char *detail;    /* the relation as the source gave it; NULL: none */
	const char *study;     /* label of the report's study; "" when unlinked */
	const char *title;     /* the report's title; "" when unknown */
};

/* Call fn for each distinct flag found by updates 0 to upto, by update,
 * study, kind and detail. */
int update_flags_list(struct lsr_db *db, int upto,
		      int (*fn)(const struct update_flag *f, void *payload), void *payload);

#endif
