/*
 * search_int.h - what search.c shares with the three services it runs
 * (eutils.c, europepmc.c, ctgov.c).  Private to fetch/.
 *
 * search.c owns the run: its rows (runs, search_runs, search_ids,
 * search_batches, search_requests), its transactions and its final status.
 * A service only talks to its API through search_request() and hands
 * records over in batches:
 *
 *     search_batch_begin(sc);
 *     for each record: search_batch_add(sc, rec, id);   (or _missing)
 *     search_batch_commit(sc, next_cursor);            one transaction
 *
 * so an interrupted run keeps every committed batch and its cursor, and
 * search_ids makes a record that arrives twice count once.
 */
#ifndef LSR_FETCH_SEARCH_INT_H
#define LSR_FETCH_SEARCH_INT_H

#include <jansson.h>
#include <stdint.h>

#include "fetch.h"
#include "http.h"
#include "../util/buf.h"

struct search_ctx {
	struct lsr_db *db;
	struct http_client *http;
	const struct fetch_search_opts *opts;
	int64_t run_id;
	int64_t source_id;
	char api[16];             /* pubmed | europepmc | ctgov */
	const char *service;      /* "PubMed", "Europe PMC", "ClinicalTrials.gov" */
	double min_interval;      /* pacing, seconds */
	char *source_name;
	char *base_url;           /* without trailing slash */
	char *query;              /* the saved query, as given */
	char *email;              /* contact address or NULL */
	const char *api_key;      /* NCBI_API_KEY (never stored), or NULL */
	char since[11];           /* YYYY-MM-DD or "" */
	char until[11];
	unsigned batch_size;
	char phase[8];            /* ids | records | done */
	int resuming;

	/* the run's counters, as committed */
	int64_t reported;         /* the count the service reported last, -1 unknown */
	int64_t count_first;      /* the count it reported first, -1 unknown */
	uint64_t stored;          /* records the run holds */
	uint64_t stored_now;      /* stored by this process */
	uint64_t duplicates;
	uint64_t missing;
	uint64_t pages;
	uint64_t next_ord;        /* position of the next new id */
	char *cursor;             /* next page, NULL: first page or none */
	int have_version;         /* service version recorded */
	long last_status;         /* HTTP status of the last reply (0: none) */
	struct buf notes;         /* notes for runs.notes, "; "-separated */

	/* the open batch */
	int in_batch;
	uint64_t b_records, b_dups, b_missing;
};

/* ---- requests --------------------------------------------------------- */

/*
 * Run a request to the service of sc (paced, retried, logged in
 * search_requests).  path is appended to the base URL ("/esearch.fcgi").
 */
int search_request(struct search_ctx *sc, const char *path, const struct http_form *form,
		   int post,
		   enum http_verdict (*check)(long, const struct buf *, void *, struct buf *),
		   void *check_payload, struct http_response *out);

/*
 * Run one paging loop (page() fetches and commits one page, setting *more).
 * A resumed run whose stored cursor the service refuses (HTTP 4xx: page
 * tokens may expire) pages again from the first page once: the records
 * already stored are skipped as duplicates.
 */
int search_page_loop(struct search_ctx *sc, int (*page)(struct search_ctx *sc, void *arg, int *more),
		     void *arg);

/* A check for JSON services: status first, then the body must parse as a
 * JSON object (a truncated reply is retried). */
enum http_verdict search_check_json(long status, const struct buf *body, void *payload,
				    struct buf *why);

/* ---- what the run records ------------------------------------------- */

/* The count the service reports (first and latest kept). */
int search_set_reported(struct search_ctx *sc, int64_t count);
/* Service version and data date (NULL to leave as is). */
int search_set_service(struct search_ctx *sc, const char *version, const char *date);
/* The query as sent, with the window, and the service's translation. */
int search_set_query(struct search_ctx *sc, const char *sent, const char *translation);
/* Add a note (kept in runs.notes). */
int search_note(struct search_ctx *sc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Progress on the caller's progress callback. */
void search_progress(struct search_ctx *sc);

/* ---- PubMed: the id list --------------------------------------------- */

/* Store the full id list (sorted, distinct) and move to phase records;
 * searches is the number of ESearch calls it took.  One transaction. */
int search_ids_store(struct search_ctx *sc, const struct strv *ids, uint64_t searches);
/* Up to max ids still pending, in order, into out (cleared first). */
int search_ids_pending(struct search_ctx *sc, unsigned max, struct strv *out);

/* ---- batches ---------------------------------------------------------- */

int search_batch_begin(struct search_ctx *sc);
/*
 * Store rec (finished or not: record_finish() is applied) under id.  For a
 * run whose ids were stored beforehand, id must be one of them and the
 * record takes its position; otherwise id is added.  An id already stored
 * counts as a duplicate and the record is dropped.  rec->raw must be set.
 */
int search_batch_add(struct search_ctx *sc, struct lsr_record *rec, const char *id);
/* A pending id the service returned nothing for. */
int search_batch_missing(struct search_ctx *sc, const char *id);
/* Commit the batch with the cursor of the next page (NULL: none). */
int search_batch_commit(struct search_ctx *sc, const char *next_cursor);
void search_batch_abort(struct search_ctx *sc);

/*
 * A JSON page: begin a batch and add each element of the array at path in
 * body (parsed on its own; its bytes are the record's raw), mapped by map
 * and keyed by the record's source id.  *nitems gets the number of
 * elements.  The batch stays open for search_batch_commit(); on error it is
 * aborted.  what names the page in messages.
 */
int search_batch_json(struct search_ctx *sc, const struct buf *body, const char *const *path,
		      int (*map)(struct lsr_record *r, json_t *item), const char *what,
		      size_t *nitems);

/*
 * End a page's batch.  The paging goes on (*more = 1) when the reply gave a
 * next cursor that differs from the one asked for (asked: NULL for the
 * first page) and brought records; a repeated cursor is noted.  Commits the
 * batch with the next cursor, or none when the paging is over.
 */
int search_page_commit(struct search_ctx *sc, const char *asked, const char *next,
		       size_t nitems, int *more);

/* ---- the services ------------------------------------------------------ */

int eutils_run(struct search_ctx *sc);
int europepmc_run(struct search_ctx *sc);
int ctgov_run(struct search_ctx *sc);

/* Record mapping (tested on the fixtures). */
struct json_t;
int europepmc_record(struct lsr_record *r, json_t *item);
int ctgov_record(struct lsr_record *r, struct json_t *study);

/* ---- JSON spans --------------------------------------------------------- */

/*
 * The byte spans of the elements of the array found at key path (keys of
 * nested objects, NULL-terminated) in the JSON text s[0..n).  *out is
 * malloc'd (caller frees).  LSR_ENOTFOUND when the path holds no array,
 * LSR_EPARSE when the text is malformed on the way.
 */
struct jspan {
	size_t off, len;
};
int jspan_array_items(const char *s, size_t n, const char *const *path,
		      struct jspan **out, size_t *count);

#endif
