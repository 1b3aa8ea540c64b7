/*
 * search.c - a search run: its rows, its batches, its end (see fetch.h and
 * search_int.h).
 *
 * Life of a run:
 *
 *   start    one transaction: the source, a runs row (kind 'search', status
 *            running) and its search_runs row (window, base URL, pid).
 *   ids      PubMed only: the full PMID list is written to search_ids
 *            before any record is fetched (one transaction).
 *   batches  each page or id batch is one transaction: its records (with
 *            their positions), their search_ids rows, the cursor of the next
 *            page, a search_batches row, runs.count_records.
 *   end      one transaction: status complete (records == count reported)
 *            or incomplete with the reason, phase done, an audit entry.
 *
 * A failure (network after retries, Ctrl-C) marks the run failed or
 * incomplete with the reason but leaves its phase and cursor, so
 * fetch_search_resume() continues from the last committed batch.  A killed
 * process leaves status running; the pid and host tell a dead run from a
 * live one.
 */
#include "search_int.h"
#include "../db/db.h"
#include "../db/protocol.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <jansson.h>

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct api_info {
	const char *api;
	const char *name;        /* default display name */
	const char *env;         /* base URL override */
	const char *base;        /* the service */
	const char *format;      /* runs.format */
	const char *date_field;  /* what --since/--until filter on */
	unsigned batch_default;
	unsigned batch_max;
	int (*run)(struct search_ctx *sc);
};

static const struct api_info apis[] = {
	{ "pubmed", "PubMed", "LSR_PUBMED_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
	  "pubmed-xml", "crdt", 200, 500, eutils_run },
	{ "europepmc", "Europe PMC", "LSR_EUROPEPMC_URL",
	  "https://www.ebi.ac.uk/europepmc/webservices/rest", "europepmc-json", "FIRST_IDATE",
	  1000, 1000, europepmc_run },
	{ "ctgov", "ClinicalTrials.gov", "LSR_CTGOV_URL", "https://clinicaltrials.gov/api/v2",
	  "ctgov-json", "LastUpdatePostDate", 1000, 1000, ctgov_run },
};
#define NAPIS (sizeof(apis) / sizeof(apis[0]))

static const struct api_info *api_find(const char *api)
{
	for (size_t i = 0; api && i < NAPIS; i++)
		if (!strcmp(apis[i].api, api))
			return &apis[i];
	return NULL;
}

const char *fetch_search_api_name(const char *api)
{
	const struct api_info *a = api_find(api);

	return a ? a->name : NULL;
}

int fetch_search_date_parse(char out[11], const char *s, const char *what)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (!s || strlen(s) != 10 || (s[4] != '-' && s[4] != '/') || s[7] != s[4])
		goto bad;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			goto bad;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		goto bad;
	memcpy(out, s, 10);
	out[4] = out[7] = '-';
	out[10] = '\0';
	return 0;
bad:
	return lsr_error_set(LSR_EUSAGE, "%s: expected a date YYYY-MM-DD (or YYYY/MM/DD), not '%s'",
			     what, s ? s : "");
}

/* ------------------------------------------------------------------ */
/* requests and their log */

static void log_attempt(void *payload, const struct http_attempt *a)
{
	static const char sql[] =
		"INSERT INTO search_requests(run_id, at, method, url, params, attempt, status,"
		" bytes, seconds, error) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	struct search_ctx *sc = payload;
	char now[CLOCK_ISO_LEN];
	sqlite3_stmt *st = db_prepare(sc->db, sql);

	/* the log is documentation: a failure to write it must not hide the
	 * request's own outcome, so errors are dropped here and surface at the
	 * next batch commit */
	if (!st)
		return;
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, sc->run_id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, a->method);
	db_bind_text(st, 4, a->url);
	db_bind_text(st, 5, a->params);
	sqlite3_bind_int(st, 6, a->attempt);
	if (a->status)
		sqlite3_bind_int64(st, 7, a->status);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)a->bytes);
	sqlite3_bind_double(st, 9, a->seconds);
	db_bind_text(st, 10, a->error);
	if (sqlite3_step(st) != SQLITE_DONE)
		(void)0;
	sqlite3_reset(st);
}

int search_request(struct search_ctx *sc, const char *path, const struct http_form *form,
		   int post,
		   enum http_verdict (*check)(long, const struct buf *, void *, struct buf *),
		   void *check_payload, struct http_response *out)
{
	struct buf url = BUF_INIT;
	struct http_request rq;
	int rc;

	if (buf_printf(&url, "%s%s", sc->base_url, path) < 0)
		return LSR_ENOMEM;
	memset(&rq, 0, sizeof(rq));
	rq.service = sc->service;
	rq.min_interval = sc->min_interval;
	rq.url = url.s;
	rq.form = form;
	rq.post = post;
	rq.check = check;
	rq.check_payload = check_payload;
	rq.log = log_attempt;
	rq.log_payload = sc;
	rc = http_request_run(sc->http, &rq, out);
	sc->last_status = out->status;
	buf_release(&url);
	return rc;
}

int search_page_loop(struct search_ctx *sc, int (*page)(struct search_ctx *sc, void *arg, int *more),
		     void *arg)
{
	int more = 1, restarted = 0, rc = 0;

	/* a run resumed between its last page and its end has nothing to fetch */
	if (sc->resuming && !sc->cursor && sc->pages > 0)
		more = 0;
	while (more) {
		if ((rc = lsr_check_interrupt()) < 0)
			break;
		rc = page(sc, arg, &more);
		if (rc == LSR_EHTTP && sc->resuming && sc->cursor && !restarted &&
		    sc->last_status >= 400 && sc->last_status < 500) {
			rc = search_note(sc, "%s refused the stored page cursor (HTTP %ld) on resuming; paged again from the first page",
					 sc->service, sc->last_status);
			if (rc < 0)
				break;
			free(sc->cursor);
			sc->cursor = NULL;
			restarted = more = 1;
			continue;
		}
		if (rc < 0)
			break;
	}
	return rc;
}

enum http_verdict search_check_json(long status, const struct buf *body, void *payload,
				    struct buf *why)
{
	enum http_verdict v = http_status_verdict(status);
	json_error_t err;
	json_t *j;

	(void)payload;
	if (v != HTTP_OK) {
		buf_printf(why, "HTTP %ld", status);
		if (body->len && body->len < 200 && body->s[0] == '{')
			buf_printf(why, ": %s", body->s);
		return v;
	}
	j = json_loadb(body->s, body->len, 0, &err);
	if (!j || !json_is_object(j)) {
		buf_printf(why, "reply is not a complete JSON object (%s, %zu bytes)",
			   j ? "not an object" : err.text, body->len);
		json_decref(j);
		return HTTP_RETRY;
	}
	json_decref(j);
	return HTTP_OK;
}

/* ------------------------------------------------------------------ */
/* what the run records */

int search_note(struct search_ctx *sc, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(&b, fmt, ap);
	va_end(ap);
	/* the same note once */
	if (rc == 0 && !strstr(sc->notes.s, b.s))
		rc = buf_printf(&sc->notes, "%s%s", sc->notes.len ? "; " : "", b.s);
	buf_release(&b);
	return rc;
}

static int exec_bound(struct lsr_db *db, const char *sql, int64_t run_id, const char *a,
		      const char *b)
{
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, run_id);
	db_bind_text(st, 2, a);
	db_bind_text(st, 3, b);
	return db_step_done(db, st);
}

int search_set_reported(struct search_ctx *sc, int64_t count)
{
	sqlite3_stmt *st;
	int rc;

	if (sc->reported >= 0 && count != sc->reported &&
	    (rc = search_note(sc, "the count reported changed from %lld to %lld during the run",
			      (long long)sc->reported, (long long)count)) < 0)
		return rc;
	if (sc->count_first < 0)
		sc->count_first = count;
	sc->reported = count;
	st = db_prepare(sc->db, "UPDATE runs SET count_reported = ?2 WHERE id = ?1");
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, sc->run_id);
	sqlite3_bind_int64(st, 2, count);
	if ((rc = db_step_done(sc->db, st)) < 0)
		return rc;
	st = db_prepare(sc->db, "UPDATE search_runs SET count_first = coalesce(count_first, ?2)"
				" WHERE run_id = ?1");
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, sc->run_id);
	sqlite3_bind_int64(st, 2, count);
	return db_step_done(sc->db, st);
}

int search_set_service(struct search_ctx *sc, const char *version, const char *date)
{
	int rc;

	sc->have_version = 1;
	rc = exec_bound(sc->db,
			"UPDATE search_runs SET service_version = coalesce(?2, service_version),"
			" service_date = coalesce(?3, service_date) WHERE run_id = ?1",
			sc->run_id, version, date);
	if (rc == 0)
		rc = exec_bound(sc->db,
				"UPDATE runs SET database_version = coalesce(?2, database_version)"
				" WHERE id = ?1 AND ?3 IS NULL",
				sc->run_id, version, NULL);
	return rc;
}

int search_set_query(struct search_ctx *sc, const char *sent, const char *translation)
{
	return exec_bound(sc->db,
			  "UPDATE search_runs SET query_sent = coalesce(?2, query_sent),"
			  " query_translation = coalesce(?3, query_translation) WHERE run_id = ?1",
			  sc->run_id, sent, translation);
}

void search_progress(struct search_ctx *sc)
{
	char what[64];

	snprintf(what, sizeof(what), "searching %s", sc->service);
	progress_report(sc->opts->progress, what, sc->stored,
			sc->reported > 0 ? (uint64_t)sc->reported : 0, "records");
}

/* ------------------------------------------------------------------ */
/* PubMed's id list */

int search_ids_store(struct search_ctx *sc, const struct strv *ids, uint64_t searches)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_txn_begin(sc->db)) < 0)
		return rc;
	for (size_t i = 0; i < ids->n; i++) {
		st = db_prepare(sc->db, "INSERT INTO search_ids(run_id, source_id, ord, state)"
					" VALUES(?1, ?2, ?3, 'pending')");
		if (!st) {
			rc = lsr_error_last_code();
			goto fail;
		}
		sqlite3_bind_int64(st, 1, sc->run_id);
		db_bind_text(st, 2, ids->v[i]);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i + 1);
		if ((rc = db_step_done(sc->db, st)) < 0)
			goto fail;
	}
	st = db_prepare(sc->db, "UPDATE search_runs SET phase = 'records', ids_found = ?2,"
				" searches = ?3 WHERE run_id = ?1");
	if (!st) {
		rc = lsr_error_last_code();
		goto fail;
	}
	sqlite3_bind_int64(st, 1, sc->run_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)ids->n);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)searches);
	if ((rc = db_step_done(sc->db, st)) < 0)
		goto fail;
	if ((rc = db_txn_commit(sc->db)) < 0)
		return rc;
	snprintf(sc->phase, sizeof(sc->phase), "records");
	sc->next_ord = ids->n + 1;
	return 0;
fail:
	db_txn_rollback(sc->db);
	return rc;
}

int search_ids_pending(struct search_ctx *sc, unsigned max, struct strv *out)
{
	static const char sql[] =
		"SELECT source_id FROM search_ids WHERE run_id = ?1 AND state = 'pending'"
		" ORDER BY ord LIMIT ?2";
	sqlite3_stmt *st = db_prepare(sc->db, sql);
	int rc;

	strv_clear(out);
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, sc->run_id);
	sqlite3_bind_int(st, 2, (int)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (strv_push(out, (const char *)sqlite3_column_text(st, 0)) < 0) {
			sqlite3_reset(st);
			return LSR_ENOMEM;
		}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(sc->db, sql);
}

/* ------------------------------------------------------------------ */
/* batches */

int search_batch_begin(struct search_ctx *sc)
{
	int rc;

	if (sc->in_batch)
		BUG("nested search batch");
	if ((rc = db_txn_begin(sc->db)) < 0)
		return rc;
	sc->in_batch = 1;
	sc->b_records = sc->b_dups = sc->b_missing = 0;
	return 0;
}

void search_batch_abort(struct search_ctx *sc)
{
	if (!sc->in_batch)
		return;
	db_txn_rollback(sc->db);
	sc->in_batch = 0;
}

/* The ord and state of id in this run: 1 found, 0 absent. */
static int id_lookup(struct search_ctx *sc, const char *id, int64_t *ord, int *stored)
{
	static const char sql[] =
		"SELECT ord, state FROM search_ids WHERE run_id = ?1 AND source_id = ?2";
	sqlite3_stmt *st = db_prepare(sc->db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, sc->run_id);
	db_bind_text(st, 2, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ord = sqlite3_column_int64(st, 0);
		*stored = strcmp((const char *)sqlite3_column_text(st, 1), "pending") != 0;
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(sc->db, sql);
}

static int id_set(struct search_ctx *sc, const char *id, const char *state, int64_t record_id)
{
	static const char sql[] =
		"UPDATE search_ids SET state = ?3, record_id = ?4 WHERE run_id = ?1 AND source_id = ?2";
	sqlite3_stmt *st = db_prepare(sc->db, sql);

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, sc->run_id);
	db_bind_text(st, 2, id);
	db_bind_text(st, 3, state);
	if (record_id)
		sqlite3_bind_int64(st, 4, record_id);
	return db_step_done(sc->db, st);
}

int search_batch_add(struct search_ctx *sc, struct lsr_record *rec, const char *id)
{
	int64_t ord = 0, record_id = 0;
	int stored = 0, rc;

	if (!sc->in_batch)
		BUG("search_batch_add outside a batch");
	if (!id || !*id)
		return lsr_error_set(LSR_EPARSE, "%s: a record without an identifier (record %llu of the run)",
				     sc->service, (unsigned long long)(sc->stored + 1));
	rc = id_lookup(sc, id, &ord, &stored);
	if (rc < 0)
		return rc;
	if (rc == 1 && stored) {
		sc->b_dups++;
		return 0;
	}
	if (rc == 0) {
		sqlite3_stmt *st;

		if (!strcmp(sc->phase, "records") && !strcmp(sc->api, "pubmed")) {
			/* a record nobody asked for: not part of this search */
			return search_note(sc, "%s returned record %s, which was not requested; not stored",
					   sc->service, id);
		}
		ord = (int64_t)sc->next_ord;
		st = db_prepare(sc->db, "INSERT INTO search_ids(run_id, source_id, ord, state)"
					" VALUES(?1, ?2, ?3, 'pending')");
		if (!st)
			return lsr_error_last_code();
		sqlite3_bind_int64(st, 1, sc->run_id);
		db_bind_text(st, 2, id);
		sqlite3_bind_int64(st, 3, ord);
		if ((rc = db_step_done(sc->db, st)) < 0)
			return rc;
		sc->next_ord++;
	}
	if ((rc = record_finish(rec)) < 0)
		return rc;
	if (!rec->source_id.len && buf_adds(&rec->source_id, id) < 0)
		return LSR_ENOMEM;
	if (db_record_insert(sc->db, sc->run_id, (uint64_t)ord, rec, &record_id) < 0)
		return lsr_error_wrap("%s: record %s", sc->service, id);
	if ((rc = id_set(sc, id, "stored", record_id)) < 0)
		return rc;
	sc->b_records++;
	return 0;
}

int search_batch_missing(struct search_ctx *sc, const char *id)
{
	int rc = id_set(sc, id, "missing", 0);

	if (rc == 0)
		sc->b_missing++;
	return rc;
}

int search_batch_commit(struct search_ctx *sc, const char *next_cursor)
{
	static const char batch_sql[] =
		"INSERT INTO search_batches(run_id, batch, at, records, duplicates, missing, stored, cursor)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	char now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	uint64_t stored = sc->stored + sc->b_records;
	int rc;

	if (!sc->in_batch)
		BUG("search_batch_commit outside a batch");
	clock_now_iso(now);
	st = db_prepare(sc->db, batch_sql);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, sc->run_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)sc->pages + 1);
	db_bind_text(st, 3, now);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)sc->b_records);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)sc->b_dups);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)sc->b_missing);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)stored);
	db_bind_text(st, 8, next_cursor);
	if (db_step_done(sc->db, st) < 0)
		goto fail;
	st = db_prepare(sc->db, "UPDATE search_runs SET cursor = ?2, pages = ?3, duplicates = ?4,"
				" missing = ?5 WHERE run_id = ?1");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, sc->run_id);
	db_bind_text(st, 2, next_cursor);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)sc->pages + 1);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)sc->duplicates + (sqlite3_int64)sc->b_dups);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)sc->missing + (sqlite3_int64)sc->b_missing);
	if (db_step_done(sc->db, st) < 0)
		goto fail;
	st = db_prepare(sc->db, "UPDATE runs SET count_records = ?2 WHERE id = ?1");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, sc->run_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)stored);
	if (db_step_done(sc->db, st) < 0)
		goto fail;
	sc->in_batch = 0;
	if ((rc = db_txn_commit(sc->db)) < 0)
		return rc;
	sc->stored = stored;
	sc->stored_now += sc->b_records;
	sc->duplicates += sc->b_dups;
	sc->missing += sc->b_missing;
	sc->pages++;
	free(sc->cursor);
	sc->cursor = NULL;
	if (next_cursor && !(sc->cursor = xstrdup(next_cursor)))
		return LSR_ENOMEM;
	search_progress(sc);
	return 0;
fail:
	rc = lsr_error_last_code();
	search_batch_abort(sc);
	return rc;
}

int search_batch_json(struct search_ctx *sc, const struct buf *body, const char *const *path,
		      int (*map)(struct lsr_record *r, json_t *item), const char *what,
		      size_t *nitems)
{
	struct jspan *items = NULL;
	struct lsr_record rec;
	size_t n = 0;
	int rc;

	*nitems = 0;
	rc = jspan_array_items(body->s, body->len, path, &items, &n);
	if (rc == LSR_ENOTFOUND)
		rc = 0; /* no results */
	if (rc < 0)
		return lsr_error_wrap("%s: %s", sc->service, what);
	if ((rc = search_batch_begin(sc)) < 0) {
		free(items);
		return rc;
	}
	record_init(&rec);
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_error_t err;
		json_t *it = json_loadb(body->s + items[i].off, items[i].len, 0, &err);

		if (!it) {
			rc = lsr_error_set(LSR_EPARSE, "%s: %s, item %zu: %s", sc->service, what, i + 1,
					   err.text);
			break;
		}
		rc = map(&rec, it);
		rec.raw = body->s + items[i].off;
		rec.raw_len = items[i].len;
		rec.offset = items[i].off; /* in the service's reply */
		if (rc == 0)
			rc = search_batch_add(sc, &rec, rec.source_id.s);
		json_decref(it);
	}
	record_release(&rec);
	free(items);
	if (rc < 0)
		search_batch_abort(sc);
	else
		*nitems = n;
	return rc;
}

int search_page_commit(struct search_ctx *sc, const char *asked, const char *next,
		       size_t nitems, int *more)
{
	int rc;

	*more = next && *next && nitems > 0 && !(asked && !strcmp(next, asked));
	if (next && asked && !strcmp(next, asked) &&
	    (rc = search_note(sc, "%s repeated the page cursor %s", sc->service, next)) < 0) {
		search_batch_abort(sc);
		return rc;
	}
	return search_batch_commit(sc, *more ? next : NULL);
}

/* ------------------------------------------------------------------ */
/* starting, loading, ending */

static void ctx_init(struct search_ctx *sc, struct lsr_db *db,
		     const struct fetch_search_opts *opts, struct fetch_search_result *out)
{
	memset(out, 0, sizeof(*out));
	memset(sc, 0, sizeof(*sc));
	buf_init(&sc->notes, 0);
	sc->db = db;
	sc->opts = opts;
	sc->reported = sc->count_first = -1;
}

static void ctx_release(struct search_ctx *sc)
{
	if (sc->in_batch)
		search_batch_abort(sc);
	http_client_free(sc->http);
	free(sc->source_name);
	free(sc->base_url);
	free(sc->query);
	free(sc->email);
	free(sc->cursor);
	buf_release(&sc->notes);
}

/* Base URL, contact, client: what start and resume share. */
static int ctx_setup(struct search_ctx *sc, const struct api_info *ai, const char *stored_url)
{
	const struct fetch_search_opts *o = sc->opts;
	const char *url = NULL, *email = o->email;
	struct http_config cfg;
	struct buf ua = BUF_INIT;
	size_t n;
	int rc;

	snprintf(sc->api, sizeof(sc->api), "%s", ai->api);
	sc->service = ai->name;
	if (!strcmp(ai->api, "pubmed"))
		url = o->pubmed_url;
	else if (!strcmp(ai->api, "europepmc"))
		url = o->europepmc_url;
	else
		url = o->ctgov_url;
	if (!url || !*url)
		url = getenv(ai->env);
	if (!url || !*url)
		url = stored_url;
	if (!url || !*url)
		url = ai->base;
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return lsr_error_set(LSR_EUSAGE, "%s base URL '%s' is not an http:// or https:// URL",
				     ai->name, url);
	if (!(sc->base_url = xstrdup(url)))
		return LSR_ENOMEM;
	n = strlen(sc->base_url);
	while (n > 0 && sc->base_url[n - 1] == '/')
		sc->base_url[--n] = '\0';
	if (!email || !*email)
		email = getenv("LSR_EMAIL");
	if (!email || !*email)
		email = getenv("NCBI_EMAIL");
	if ((!email || !*email) && o->protocol)
		email = o->protocol->contact_email;
	if (email && *email && !(sc->email = xstrdup(email)))
		return LSR_ENOMEM;
	if (!strcmp(ai->api, "pubmed")) {
		const char *k = getenv("NCBI_API_KEY");

		sc->api_key = k && *k ? k : NULL;
		/* 3 requests/s without a key, 10 with one; a margin, as rentrez */
		sc->min_interval = sc->api_key ? 0.11 : 0.35;
	} else if (!strcmp(ai->api, "europepmc")) {
		sc->min_interval = 0.21; /* no published limit: under 5/s */
	} else {
		sc->min_interval = 0.5;  /* no published limit: at most 2/s */
	}
	sc->batch_size = o->batch_size ? o->batch_size : ai->batch_default;
	if (sc->batch_size > ai->batch_max)
		sc->batch_size = ai->batch_max;
	http_config_init(&cfg);
	if (buf_printf(&ua, "lsr/%s", LSR_VERSION) < 0 ||
	    (sc->email && buf_printf(&ua, " (+mailto:%s)", sc->email) < 0)) {
		buf_release(&ua);
		return LSR_ENOMEM;
	}
	cfg.user_agent = ua.s;
	rc = http_client_new(&sc->http, &cfg); /* libcurl copies the agent */
	buf_release(&ua);
	return rc;
}

static int host_name(char *out, size_t n)
{
	if (gethostname(out, n) < 0)
		snprintf(out, n, "unknown");
	out[n - 1] = '\0';
	return 0;
}

/* Is the process recorded for a running run alive on this host? */
static int run_is_active(sqlite3_stmt *st, int col_status, int col_pid, int col_host)
{
	char host[256];
	const char *status = (const char *)sqlite3_column_text(st, col_status);
	const char *h = (const char *)sqlite3_column_text(st, col_host);
	pid_t pid = (pid_t)sqlite3_column_int64(st, col_pid);

	if (!status || strcmp(status, "running") || pid <= 0 || !h)
		return 0;
	host_name(host, sizeof(host));
	if (strcmp(host, h))
		return 1; /* another machine: cannot tell, assume alive */
	if (pid == getpid())
		return 0;
	return kill(pid, 0) == 0 || errno == EPERM;
}

/* The unfinished run of source, if any: its id in *out (0 when none). */
static int unfinished_of(struct lsr_db *db, int64_t source_id, int64_t *out)
{
	static const char sql[] =
		"SELECT u.id FROM runs u JOIN search_runs s ON s.run_id = u.id"
		" WHERE u.source_id = ?1 AND s.phase <> 'done'"
		" AND u.id NOT IN (SELECT run_id FROM run_withdrawals) ORDER BY u.id LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	*out = 0;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, source_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(db, sql);
}

static int run_start(struct search_ctx *sc, const struct protocol_source *src,
		     const struct api_info *ai)
{
	char now[CLOCK_ISO_LEN], host[256];
	sqlite3_stmt *st;
	int64_t busy;
	int rc;

	if ((rc = db_txn_begin(sc->db)) < 0)
		return rc;
	if ((rc = fetch_source_ensure(sc->db, sc->opts->protocol, src->name, src->kind,
				      &sc->source_id)) < 0)
		goto fail;
	if ((rc = unfinished_of(sc->db, sc->source_id, &busy)) < 0)
		goto fail;
	if (busy) {
		rc = lsr_error_set(LSR_ERROR,
				   "source '%s' has an unfinished search (run %lld); continue it with 'lsr search --resume' or withdraw it with 'lsr run withdraw %lld --reason TEXT'",
				   src->name, (long long)busy, (long long)busy);
		goto fail;
	}
	clock_now_iso(now);
	st = db_prepare(sc->db, "INSERT INTO runs(source_id, kind, format, query, started_at, status, actor,"
				" searched_on, strategy) VALUES(?1, 'search', ?2, ?3, ?4, 'running', ?5,"
				" substr(?4, 1, 10), ?3)");
	if (!st)
		goto dbfail;
	sqlite3_bind_int64(st, 1, sc->source_id);
	db_bind_text(st, 2, ai->format);
	db_bind_text(st, 3, sc->query);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, db_actor());
	if ((rc = db_step_done(sc->db, st)) < 0)
		goto fail;
	sc->run_id = db_last_id(sc->db);
	host_name(host, sizeof(host));
	st = db_prepare(sc->db, "INSERT INTO search_runs(run_id, api, base_url, date_field, date_from,"
				" date_to, phase, pid, host) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!st)
		goto dbfail;
	sqlite3_bind_int64(st, 1, sc->run_id);
	db_bind_text(st, 2, ai->api);
	db_bind_text(st, 3, sc->base_url);
	db_bind_text(st, 4, sc->since[0] || sc->until[0] ? ai->date_field : NULL);
	db_bind_text(st, 5, sc->since[0] ? sc->since : NULL);
	db_bind_text(st, 6, sc->until[0] ? sc->until : NULL);
	db_bind_text(st, 7, !strcmp(ai->api, "pubmed") ? "ids" : "records");
	sqlite3_bind_int64(st, 8, (sqlite3_int64)getpid());
	db_bind_text(st, 9, host);
	if ((rc = db_step_done(sc->db, st)) < 0)
		goto fail;
	if ((rc = db_txn_commit(sc->db)) < 0)
		return rc;
	snprintf(sc->phase, sizeof(sc->phase), "%s", !strcmp(ai->api, "pubmed") ? "ids" : "records");
	sc->next_ord = 1;
	return 0;
dbfail:
	rc = lsr_error_last_code();
fail:
	db_txn_rollback(sc->db);
	return rc;
}

/* Load an unfinished run for resumption and mark it running again. */
static int run_load(struct search_ctx *sc, int64_t run_id, const struct api_info **ai_out)
{
	static const char sql[] =
		"SELECT u.status, s.phase, s.api, u.query, s.base_url, s.date_from, s.date_to,"
		" s.cursor, u.count_reported, s.count_first, s.duplicates, s.missing, s.pages,"
		" s.pid, s.host, src.name, u.source_id, s.service_version,"
		" (SELECT count(*) FROM run_withdrawals w WHERE w.run_id = u.id),"
		" (SELECT count(*) FROM search_ids i WHERE i.run_id = u.id AND i.state = 'stored'),"
		" (SELECT coalesce(max(ord), 0) FROM search_ids i WHERE i.run_id = u.id), u.notes"
		" FROM runs u JOIN search_runs s ON s.run_id = u.id JOIN sources src ON src.id = u.source_id"
		" WHERE u.id = ?1";
	const struct api_info *ai;
	char host[256];
	sqlite3_stmt *st;
	const char *t;
	int rc;

	if ((rc = db_txn_begin(sc->db)) < 0)
		return rc;
	st = db_prepare(sc->db, sql);
	if (!st)
		goto dbfail;
	sqlite3_bind_int64(st, 1, run_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = rc == SQLITE_DONE ? lsr_error_set(LSR_ENOTFOUND, "no search run %lld", (long long)run_id)
				       : db_error(sc->db, sql);
		goto fail;
	}
	if (sqlite3_column_int(st, 18)) {
		sqlite3_reset(st);
		rc = lsr_error_set(LSR_ERROR, "run %lld was withdrawn; it cannot be resumed", (long long)run_id);
		goto fail;
	}
	if (!strcmp((const char *)sqlite3_column_text(st, 1), "done")) {
		sqlite3_reset(st);
		rc = lsr_error_set(LSR_ERROR, "run %lld has finished; run the search again instead",
				   (long long)run_id);
		goto fail;
	}
	if (run_is_active(st, 0, 13, 14)) {
		rc = lsr_error_set(LSR_ERROR, "run %lld is being run by process %lld on %s",
				   (long long)run_id, (long long)sqlite3_column_int64(st, 13),
				   (const char *)sqlite3_column_text(st, 14));
		sqlite3_reset(st);
		goto fail;
	}
	ai = api_find((const char *)sqlite3_column_text(st, 2));
	if (!ai) {
		sqlite3_reset(st);
		rc = lsr_error_set(LSR_ERROR, "run %lld: unknown api", (long long)run_id);
		goto fail;
	}
	*ai_out = ai;
	sc->run_id = run_id;
	snprintf(sc->phase, sizeof(sc->phase), "%s", (const char *)sqlite3_column_text(st, 1));
	if (!(sc->query = xstrdup((const char *)sqlite3_column_text(st, 3))) ||
	    !(sc->source_name = xstrdup((const char *)sqlite3_column_text(st, 15))))
		goto oom;
	if ((t = (const char *)sqlite3_column_text(st, 5)))
		snprintf(sc->since, sizeof(sc->since), "%s", t);
	if ((t = (const char *)sqlite3_column_text(st, 6)))
		snprintf(sc->until, sizeof(sc->until), "%s", t);
	if ((t = (const char *)sqlite3_column_text(st, 7)) && !(sc->cursor = xstrdup(t)))
		goto oom;
	sc->reported = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 8);
	sc->count_first = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 9);
	sc->duplicates = (uint64_t)sqlite3_column_int64(st, 10);
	sc->missing = (uint64_t)sqlite3_column_int64(st, 11);
	sc->pages = (uint64_t)sqlite3_column_int64(st, 12);
	sc->source_id = sqlite3_column_int64(st, 16);
	sc->have_version = sqlite3_column_type(st, 17) != SQLITE_NULL;
	sc->stored = (uint64_t)sqlite3_column_int64(st, 19);
	sc->next_ord = (uint64_t)sqlite3_column_int64(st, 20) + 1;
	if ((t = (const char *)sqlite3_column_text(st, 21)) && buf_adds(&sc->notes, t) < 0)
		goto oom;
	if (!(t = (const char *)sqlite3_column_text(st, 4)) || !(sc->base_url = xstrdup(t)))
		goto oom;
	sqlite3_reset(st);
	host_name(host, sizeof(host));
	st = db_prepare(sc->db, "UPDATE runs SET status = 'running', status_reason = NULL WHERE id = ?1");
	if (!st)
		goto dbfail;
	sqlite3_bind_int64(st, 1, run_id);
	if ((rc = db_step_done(sc->db, st)) < 0)
		goto fail;
	st = db_prepare(sc->db, "UPDATE search_runs SET resumed = resumed + 1, pid = ?2, host = ?3"
				" WHERE run_id = ?1");
	if (!st)
		goto dbfail;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)getpid());
	db_bind_text(st, 3, host);
	if ((rc = db_step_done(sc->db, st)) < 0)
		goto fail;
	rc = db_txn_commit(sc->db);
	sc->resuming = 1;
	return rc;
oom:
	sqlite3_reset(st);
	rc = lsr_error_oom();
	goto fail;
dbfail:
	rc = lsr_error_last_code();
fail:
	db_txn_rollback(sc->db);
	return rc;
}

static void result_fill(struct fetch_search_result *out, const struct search_ctx *sc,
			const char *status, const char *reason)
{
	out->run_id = sc->run_id;
	snprintf(out->source, sizeof(out->source), "%s", sc->source_name ? sc->source_name : "");
	snprintf(out->status, sizeof(out->status), "%s", status);
	snprintf(out->reason, sizeof(out->reason), "%s", reason ? reason : "");
	out->reported = sc->reported;
	out->stored = sc->stored;
	out->stored_now = sc->stored_now;
	out->duplicates = sc->duplicates;
	out->missing = sc->missing;
	out->resumed = sc->resuming;
}

static int audit_run(struct search_ctx *sc, const char *status)
{
	json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:b}",
			      "source", sc->source_name, "api", sc->api, "query", sc->query,
			      "status", status,
			      "since", sc->since[0] ? json_string(sc->since) : json_null(),
			      "until", sc->until[0] ? json_string(sc->until) : json_null(),
			      "reported", sc->reported >= 0 ? json_integer(sc->reported) : json_null(),
			      "records", (json_int_t)sc->stored, "resumed", sc->resuming);
	char obj[48];

	if (!d)
		return lsr_error_oom();
	snprintf(obj, sizeof(obj), "run %lld", (long long)sc->run_id);
	return db_audit_json(sc->db, "search", obj, d);
}

/* The end of a run that went through: compare, set the status. */
static int run_finish(struct search_ctx *sc, struct fetch_search_result *out)
{
	struct buf reason = BUF_INIT;
	char now[CLOCK_ISO_LEN];
	const char *status;
	sqlite3_stmt *st;
	int rc;

	if (sc->reported < 0)
		buf_printf(&reason, "%s reported no count; %llu records retrieved", sc->service,
			   (unsigned long long)sc->stored);
	else if ((uint64_t)sc->reported != sc->stored)
		buf_printf(&reason, "retrieved %llu of the %lld records %s reported",
			   (unsigned long long)sc->stored, (long long)sc->reported, sc->service);
	if (reason.len && sc->missing)
		buf_printf(&reason, "; %llu identifiers returned no record", (unsigned long long)sc->missing);
	if (reason.len && sc->notes.len)
		buf_printf(&reason, "; %s", sc->notes.s);
	status = reason.len ? "incomplete" : "complete";
	if ((rc = db_txn_begin(sc->db)) < 0)
		goto out;
	clock_now_iso(now);
	st = db_prepare(sc->db, "UPDATE runs SET status = ?2, status_reason = ?3, finished_at = ?4,"
				" count_records = ?5, notes = ?6 WHERE id = ?1");
	if (!st)
		goto dbfail;
	sqlite3_bind_int64(st, 1, sc->run_id);
	db_bind_text(st, 2, status);
	db_bind_textn(st, 3, reason.s, reason.len);
	db_bind_text(st, 4, now);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)sc->stored);
	db_bind_textn(st, 6, sc->notes.s, sc->notes.len);
	if ((rc = db_step_done(sc->db, st)) < 0)
		goto fail;
	st = db_prepare(sc->db, "UPDATE search_runs SET phase = 'done', cursor = NULL, pid = NULL"
				" WHERE run_id = ?1");
	if (!st)
		goto dbfail;
	sqlite3_bind_int64(st, 1, sc->run_id);
	if ((rc = db_step_done(sc->db, st)) < 0 || (rc = audit_run(sc, status)) < 0)
		goto fail;
	if ((rc = db_txn_commit(sc->db)) < 0)
		goto out;
	result_fill(out, sc, status, reason.s);
	goto out;
dbfail:
	rc = lsr_error_last_code();
fail:
	db_txn_rollback(sc->db);
out:
	buf_release(&reason);
	return rc;
}

/* The end of a run that stopped: keep it resumable, say why. */
static int run_stop(struct search_ctx *sc, int code, struct fetch_search_result *out)
{
	char msg[LSR_ERRMSG_MAX];
	struct buf reason = BUF_INIT;
	const char *status = code == LSR_EINTR ? "incomplete" : "failed";
	sqlite3_stmt *st;

	if (sc->in_batch)
		search_batch_abort(sc);
	if (code == LSR_EINTR)
		snprintf(msg, sizeof(msg), "interrupted; %llu records kept; continue with 'lsr search --resume'",
			 (unsigned long long)sc->stored);
	else
		snprintf(msg, sizeof(msg), "%s", lsr_error_last());
	buf_printf(&reason, "%s", msg);
	if (code != LSR_EINTR)
		buf_printf(&reason, "; %llu records kept; continue with 'lsr search --resume'",
			   (unsigned long long)sc->stored);
	/* Ctrl-C set the flag: these last writes must still happen */
	st = db_prepare(sc->db, "UPDATE runs SET status = ?2, status_reason = ?3, count_records = ?4,"
				" notes = ?5 WHERE id = ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, sc->run_id);
		db_bind_text(st, 2, status);
		db_bind_text(st, 3, reason.s);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)sc->stored);
		db_bind_textn(st, 5, sc->notes.s, sc->notes.len);
		db_step_done(sc->db, st);
	}
	st = db_prepare(sc->db, "UPDATE search_runs SET pid = NULL WHERE run_id = ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, sc->run_id);
		db_step_done(sc->db, st);
	}
	audit_run(sc, status);
	result_fill(out, sc, status, reason.s);
	buf_release(&reason);
	return lsr_error_set(code, "run %lld (%s): %s", (long long)sc->run_id, sc->source_name, msg);
}

static int run_body(struct search_ctx *sc, const struct api_info *ai,
		    struct fetch_search_result *out)
{
	int rc;

	search_progress(sc); /* the clock of the progress line starts now */
	rc = ai->run(sc);

	if (rc < 0)
		return run_stop(sc, rc, out);
	return run_finish(sc, out);
}

int fetch_search_run(struct lsr_db *db, const struct protocol_source *src,
		     const struct fetch_search_opts *opts, struct fetch_search_result *out)
{
	const struct api_info *ai = api_find(src->api);
	struct search_ctx sc;
	int rc;

	ctx_init(&sc, db, opts, out);
	if (!ai)
		return lsr_error_set(LSR_EUSAGE, "source '%s' has no api lsr can search (pubmed, europepmc or ctgov)",
				     src->name);
	if (!src->query || !*src->query)
		return lsr_error_set(LSR_EUSAGE, "source '%s' has no query", src->name);
	if ((opts->since && (rc = fetch_search_date_parse(sc.since, opts->since, "--since")) < 0) ||
	    (opts->until && (rc = fetch_search_date_parse(sc.until, opts->until, "--until")) < 0))
		return rc;
	if (sc.since[0] && sc.until[0] && strcmp(sc.since, sc.until) > 0)
		return lsr_error_set(LSR_EUSAGE, "--since %s is after --until %s", sc.since, sc.until);
	if (!(sc.source_name = xstrdup(src->name)) || !(sc.query = xstrdup(src->query))) {
		rc = LSR_ENOMEM;
		goto out;
	}
	if ((rc = ctx_setup(&sc, ai, NULL)) < 0)
		goto out;
	snprintf(out->source, sizeof(out->source), "%s", src->name);
	if ((rc = run_start(&sc, src, ai)) < 0)
		goto out;
	rc = run_body(&sc, ai, out);
out:
	ctx_release(&sc);
	return rc;
}

int fetch_search_resume(struct lsr_db *db, int64_t run_id,
			const struct fetch_search_opts *opts, struct fetch_search_result *out)
{
	const struct api_info *ai = NULL;
	struct search_ctx sc;
	int rc;

	ctx_init(&sc, db, opts, out);
	if ((rc = run_load(&sc, run_id, &ai)) < 0)
		goto out;
	assert(ai); /* run_load found the run's service */
	{
		/* the stored base URL unless overridden now */
		char *stored = sc.base_url;

		sc.base_url = NULL;
		rc = ctx_setup(&sc, ai, stored);
		free(stored);
		if (rc < 0) {
			run_stop(&sc, rc, out);
			goto out;
		}
	}
	rc = run_body(&sc, ai, out);
out:
	ctx_release(&sc);
	return rc;
}

/* ------------------------------------------------------------------ */
/* listing */

int fetch_search_list_unfinished(struct lsr_db *db, struct fetch_search_info **out, size_t *n)
{
	static const char sql[] =
		"SELECT u.id, src.name, s.api, u.query, u.status, u.status_reason, s.date_from,"
		" s.date_to, u.count_reported, u.count_records, s.phase, s.pid, s.host"
		" FROM runs u JOIN search_runs s ON s.run_id = u.id JOIN sources src ON src.id = u.source_id"
		" WHERE u.status <> 'complete' AND u.id NOT IN (SELECT run_id FROM run_withdrawals)"
		" ORDER BY u.id";
	struct fetch_search_info *v = NULL;
	size_t nv = 0;
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return lsr_error_last_code();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fetch_search_info *nvp = realloc(v, (nv + 1) * sizeof(*v)), *e;
		const char *t;

		if (!nvp)
			goto oom;
		v = nvp;
		e = &v[nv++];
		memset(e, 0, sizeof(*e));
		e->run_id = sqlite3_column_int64(st, 0);
#define DUP(field, col) \
		if ((t = (const char *)sqlite3_column_text(st, col)) && !(e->field = xstrdup(t))) \
			goto oom;
		DUP(source, 1)
		DUP(api, 2)
		DUP(query, 3)
		DUP(status, 4)
		DUP(reason, 5)
		DUP(since, 6)
		DUP(until, 7)
#undef DUP
		e->reported = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 8);
		e->stored = sqlite3_column_int64(st, 9);
		e->resumable = strcmp((const char *)sqlite3_column_text(st, 10), "done") != 0;
		e->active = run_is_active(st, 4, 11, 12);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fetch_search_info_free(v, nv);
		return db_error(db, sql);
	}
	*out = v;
	*n = nv;
	return 0;
oom:
	sqlite3_reset(st);
	fetch_search_info_free(v, nv);
	return lsr_error_oom();
}

void fetch_search_info_free(struct fetch_search_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].source);
		free(v[i].api);
		free(v[i].query);
		free(v[i].status);
		free(v[i].reason);
		free(v[i].since);
		free(v[i].until);
	}
	free(v);
}
