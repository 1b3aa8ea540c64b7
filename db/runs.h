/*
 * runs.h - reading and amending what the imports and searches stored: the
 * runs, the records of each, their withdrawal by mistake and removal before
 * screening.  `lsr run`, `lsr records` and `lsr status` print what these
 * functions hand them.
 *
 * Rows go to a callback (payload last); strings in a row are borrowed and
 * valid during the call only.  A callback that returns a negative code stops
 * the walk and that code is returned.
 */
#ifndef LSR_RUNS_H
#define LSR_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct lsr_db;

/* One run as `lsr run` and `lsr status` show it. */
struct run_row {
	int64_t id;
	int64_t source_id;
	const char *source;        /* source name */
	const char *source_kind;   /* database | register | other */
	const char *kind;          /* import | search */
	const char *file_or_query; /* NULL when neither */
	const char *format;        /* NULL for searches */
	const char *started_at;
	const char *status;        /* complete, running, failed, ... */
	const char *status_reason; /* NULL */
	const char *file_hash;     /* SHA-256 of an imported file, NULL */
	const char *actor;
	const char *notes;         /* NULL */
	int64_t count_reported;    /* -1 when the source reported none */
	int64_t records;           /* records stored by the run */
	int64_t records_live;      /* of them, not withdrawn by the source */
	int64_t withdrawn_by_source;
	const char *withdrawn_reason; /* non-NULL: the run was withdrawn */
	const char *searched_on;   /* YYYY-MM-DD the search was run; NULL: not recorded */
	const char *database_version; /* NULL: not recorded */
	const char *strategy;      /* the search strategy as run; NULL: not recorded */
	int update_no;             /* the update the run belongs to (0: the first version) */
};
typedef int (*run_row_fn)(const struct run_row *row, void *payload);

/* Every run, in id order. */
int db_runs_foreach(struct lsr_db *db, run_row_fn fn, void *payload);

/*
 * Every source in id order with its runs: fn is called once per run, and
 * once with row->id == 0 for a source that has no run yet.
 */
int db_sources_runs_foreach(struct lsr_db *db, run_row_fn fn, void *payload);

/*
 * Withdraw run id (imported by mistake): its records stay, flagged, and
 * leave every count.  One transaction with its audit entry.  *nrecords
 * receives the number of records it held.  LSR_ENOTFOUND for no such run,
 * LSR_ERROR when it was withdrawn already.
 */
int db_run_withdraw(struct lsr_db *db, int64_t id, const char *reason, int64_t *nrecords);

/* Records removed before screening for other reasons (live records only). */
int db_records_removed_count(struct lsr_db *db, int64_t *out);

/* The date (YYYY-MM-DD) of the latest search into out[11]: the day a run's
 * search was run when recorded, else the day it was stored; withdrawn runs
 * left out; "" when none. */
int db_runs_last_date(struct lsr_db *db, char out[11]);

/* 1 in *yes when a run not withdrawn imported a file with this SHA-256. */
int db_file_imported(struct lsr_db *db, const char *sha256_hex, int *yes);

/* ---- records ----------------------------------------------------------- */

/* One record as `lsr records` lists it. */
struct record_row {
	int64_t id;
	const char *source;        /* source name */
	int64_t run_id;
	int64_t position;          /* its place in the run */
	const char *status;        /* identified | removed | run-withdrawn | withdrawn-by-source */
	const char *removed_reason; /* NULL unless removed */
	const struct lsr_record *rec;
};
typedef int (*record_row_fn)(const struct record_row *row, void *payload);

struct record_filter {
	const char *source; /* only this source (NULL: all) */
	int64_t run;        /* only this run (0: all) */
	int64_t id;         /* only this record (0: all) */
	int all;            /* also records removed or withdrawn */
};

/* The records the filter selects, in id order.  LSR_ENOTFOUND when
 * filter->id names no record. */
int db_records_foreach(struct lsr_db *db, const struct record_filter *filter,
		       record_row_fn fn, void *payload);

/* ---- citations --------------------------------------------------------- */

/* One deduplicated citation (`lsr records --citations`): its merged
 * metadata (view citation_metadata: the representative's fields, each
 * missing one from the lowest-numbered member holding it, the longest
 * abstract) over the record PRISMA keeps for it. */
struct citation_row {
	int64_t id;            /* citation id */
	const char *sources;   /* the sources of its members, "; "-joined */
	const char *records;   /* its member record ids, "; "-joined */
	const char *study;     /* the study of an included report, else NULL */
	const struct lsr_record *rec;
};
typedef int (*citation_row_fn)(const struct citation_row *row, void *payload);

/*
 * The citations that count (view live_citations), in id order; with
 * included_only, the reports included at full text and linked to a study,
 * ordered by study label, then citation id (`--included`).
 */
int db_citations_foreach(struct lsr_db *db, int included_only, citation_row_fn fn, void *payload);

/* The bytes of record id exactly as received, into *out (malloc'd, owned
 * by the caller) and *len.  LSR_ENOTFOUND for no such record. */
int db_record_raw(struct lsr_db *db, int64_t id, unsigned char **out, size_t *len);

/*
 * Remove records before screening for a stated reason (PRISMA's "removed
 * for other reasons"), all or none, in one transaction with audit entries.
 * Each must exist, not be removed already, and be counted (its run and its
 * source have not withdrawn it).
 */
int db_records_remove(struct lsr_db *db, const int64_t *ids, size_t n, const char *reason);

/*
 * An import commits its records in batches so that the WAL stays bounded
 * (docs/design.md, "Large imports"); until its last transaction the run is
 * marked unfinished (table import_pending) and its records count nowhere.
 *
 * db_import_pending_add  mark run_id unfinished, begun by this process
 *                        (source_created: the import created its source)
 * db_import_pending_done unmark it, in the import's last transaction
 * db_import_discard      delete everything an unfinished import wrote (its
 *                        records, withdrawals, run, and the source it
 *                        created); outside any transaction
 * db_imports_clean       discard every unfinished import whose process is
 *                        gone (killed); db_open calls it
 */
int db_import_pending_add(struct lsr_db *db, int64_t run_id, int source_created);
int db_import_pending_done(struct lsr_db *db, int64_t run_id);
int db_import_discard(struct lsr_db *db, int64_t run_id);
int db_imports_clean(struct lsr_db *db);

#endif
