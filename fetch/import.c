/*
 * import.c - one export file becomes one run: detect, parse, store (see
 * fetch.h).  Atomic for the user, committed in batches: the run is marked
 * unfinished in its first transaction, its records are committed every
 * IMPORT_BATCH_BYTES of input (so that SQLite checkpoints the WAL as it
 * goes and the WAL stays bounded), and its last transaction clears the
 * mark; a failure deletes what was committed, a killed process's run is
 * deleted at the next db_open (docs/design.md, "Large imports").
 */
#include "fetch_int.h"
#include "../db/db.h"
#include "../db/protocol.h"
#include "../db/runs.h"
#include "../util/clock.h"
#include "../util/err.h"
#include "../util/text.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static fetch_parser_fn parser_for(enum fetch_format f)
{
	switch (f) {
	case FETCH_FMT_PUBMED_XML: return fetch_parse_pubmed_xml;
	case FETCH_FMT_MEDLINE: return fetch_parse_medline;
	case FETCH_FMT_RIS: return fetch_parse_ris;
	case FETCH_FMT_WOS: return fetch_parse_wos;
	case FETCH_FMT_ENDNOTE_XML: return fetch_parse_endnote_xml;
	case FETCH_FMT_ENDNOTE: return fetch_parse_endnote;
	case FETCH_FMT_BIBTEX: return fetch_parse_bibtex;
	case FETCH_FMT_CSV: return fetch_parse_csv;
	case FETCH_FMT_WOS_TSV: return fetch_parse_wos_tsv;
	default: return NULL;
	}
}

struct finish_sink {
	record_sink_fn sink;
	void *payload;
};

static int finish_then_sink(struct lsr_record *r, void *payload)
{
	struct finish_sink *fs = payload;
	int rc = record_finish(r);

	if (rc < 0)
		return rc;
	return fs->sink(r, fs->payload);
}

int fetch_skip(const struct fetch_parse_opts *opts, uint64_t line, int rc)
{
	if (!opts || !opts->skip || rc != LSR_EPARSE)
		return rc;
	/* the message is the reason stored with the run: read here, not only
	 * in cli/, because it is data */
	return opts->skip(opts->skip_payload, line, lsr_error_last());
}

int fetch_parse(struct fetch_input *in, enum fetch_format fmt,
		const struct fetch_parse_opts *opts, record_sink_fn sink,
		void *payload)
{
	static const struct fetch_parse_opts none;
	struct finish_sink fs = { sink, payload };
	fetch_parser_fn fn;
	int rc;

	if (fmt == FETCH_FMT_AUTO && (rc = fetch_detect_format(in, &fmt)) < 0)
		return rc;
	fn = parser_for(fmt);
	if (!fn)
		return lsr_error_set(LSR_EPARSE, "%s: format %s cannot be read by this build",
				     in->name, fetch_format_name(fmt));
	return fn(in, opts ? opts : &none, finish_then_sink, &fs);
}

int fetch_source_ensure(struct lsr_db *db, const struct protocol *protocol,
			const char *name, const char *kind, int64_t *out_id)
{
	const struct protocol_source *ps = protocol ? protocol_source_find(protocol, name) : NULL;
	sqlite3_stmt *st;
	char now[CLOCK_ISO_LEN];
	int rc;

	if (!name || !*name)
		return lsr_error_set(LSR_EUSAGE, "a source name is required (--source NAME)");
	if (kind && strcmp(kind, "database") && strcmp(kind, "register") && strcmp(kind, "other"))
		return lsr_error_set(LSR_EUSAGE, "unknown source kind '%s' (expected database, register or other)",
				     kind);
	if (kind && ps && ps->kind && strcmp(kind, ps->kind))
		return lsr_error_set(LSR_EUSAGE,
				     "source '%s' is a %s in protocol.yaml, not a %s",
				     name, ps->kind, kind);
	if (!kind && ps)
		kind = ps->kind;
	st = db_prepare(db, "SELECT id, kind FROM sources WHERE name = ?1");
	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *have = (const char *)sqlite3_column_text(st, 1);

		*out_id = sqlite3_column_int64(st, 0);
		if (kind && strcmp(kind, have)) {
			rc = lsr_error_set(LSR_EUSAGE,
					   "source '%s' was recorded as a %s; it cannot become a %s",
					   name, have, kind);
			sqlite3_reset(st);
			return rc;
		}
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(db, sqlite3_sql(st));
	st = db_prepare(db, "INSERT INTO sources(name, kind, created_at) VALUES(?1, ?2, ?3)");
	if (!st)
		return lsr_error_last_code();
	clock_now_iso(now);
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, kind ? kind : "database");
	db_bind_text(st, 3, now);
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	*out_id = db_last_id(db);
	return 0;
}

/* Input bytes between two commits of an import: about 6 MiB of pages for
 * PubMed XML (a review takes 0.4 of its input), far below the WAL's
 * autocheckpoint (1,000 pages, 64 MiB with 64 KiB pages). */
#define IMPORT_BATCH_BYTES (16u << 20)

struct import_state {
	struct lsr_db *db;
	int batched;            /* commits every IMPORT_BATCH_BYTES */
	int piped;              /* stored by the writer thread (see pipe_writer) */
	uint64_t batch_bytes;   /* input stored since the last commit */
	struct fetch_input *in;
	int64_t run_id;
	int64_t source_id;
	uint64_t position;
	uint64_t ndeleted;
	uint64_t nwithdrawn;
	uint64_t nskipped;
	const struct lsr_progress *progress;
	uint64_t total_bytes;
	char now[CLOCK_ISO_LEN];
};

/* A DeleteCitation: withdraw this source's stored records with that PMID. */
static int withdraw_pmid(struct import_state *s, const char *pmid)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO record_withdrawals(record_id, run_id, at)"
		" SELECT r.id, ?1, ?2 FROM records r JOIN runs u ON u.id = r.run_id"
		" WHERE r.pmid = ?3 AND u.source_id = ?4";
	sqlite3_stmt *st = db_prepare(s->db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, s->run_id);
	db_bind_text(st, 2, s->now);
	db_bind_text(st, 3, pmid);
	sqlite3_bind_int64(st, 4, s->source_id);
	rc = db_step_done(s->db, st);
	if (rc == 0)
		s->nwithdrawn += (uint64_t)sqlite3_changes(db_handle(s->db));
	return rc;
}

static int store_record(struct lsr_record *r, void *payload)
{
	struct import_state *s = payload;
	int rc;

	if (r->deleted) {
		s->ndeleted++;
		return r->source_id.len ? withdraw_pmid(s, r->source_id.s) : 0;
	}
	rc = db_record_insert(s->db, s->run_id, ++s->position, r, NULL);
	if (rc < 0)
		return lsr_error_wrap("%s: record %llu (line %llu)", s->in->name,
				      (unsigned long long)s->position,
				      (unsigned long long)r->line);
	s->batch_bytes += r->raw_len;
	if (s->batched && s->batch_bytes >= IMPORT_BATCH_BYTES) {
		s->batch_bytes = 0;
		if ((rc = db_txn_commit(s->db)) < 0 || (rc = db_txn_begin(s->db)) < 0)
			return rc;
	}
	if ((s->position & 1023) == 0 && !s->piped) {
		if ((rc = lsr_check_interrupt()) < 0)
			return rc;
		progress_report(s->progress, "importing", input_offset(s->in),
				s->total_bytes, "bytes");
	}
	return 0;
}

/*
 * The writer: a batched import reads and parses in the calling thread and
 * finishes, packs and stores the records in a second one, so that parsing
 * and storing overlap (libxml2 or the tagged parser on one side, record
 * cleaning, zstd and SQLite on the other; the reader cleans a record
 * itself when the writer lags half a ring behind).  The parser's records are
 * copied into a ring of PIPE_SLOTS slots; the writer takes them in order
 * and runs exactly what the parse would have run (record_finish, then
 * store_record): the same positions, ids and bytes as without it.  While
 * the writer runs, only it touches the database.  Its first error stops
 * the import: the reader sees it at its next record (or at the end) and
 * reports it, message and all.
 */
#define PIPE_SLOTS 32
/* The writer, once it has caught up, waits for this many records, and the
 * reader, once the ring is full, for this many free slots: one wake-up per
 * PIPE_BATCH records, not one per record. */
#define PIPE_BATCH 8

struct pipe_slot {
	struct lsr_record rec;
	struct buf raw; /* rec.raw's bytes */
	int finished;   /* record_finish has run (in the reader) */
};

struct pipe {
	struct import_state *s;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;        /* a slot was filled or emptied, or the end */
	struct pipe_slot slot[PIPE_SLOTS];
	uint64_t head, tail;      /* slots taken by the writer / filled by the reader */
	int end;                  /* the reader has no more records */
	int abort;                /* the reader failed: store nothing more */
	int rc;                   /* the writer's first error */
	int writer_waits, reader_waits;
	char msg[LSR_ERRMSG_MAX];
	uint64_t nread;           /* records handed over (progress) */
};

static void *pipe_writer(void *arg)
{
	struct pipe *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct pipe_slot *sl;
		int rc = 0, skip;

		if (p->head == p->tail) {
			while (p->tail - p->head < PIPE_BATCH && !p->end) {
				p->writer_waits = 1;
				pthread_cond_wait(&p->cv, &p->mu);
			}
			p->writer_waits = 0;
			if (p->head == p->tail)
				break;
		}
		sl = &p->slot[p->head % PIPE_SLOTS];
		skip = p->rc || p->abort;
		pthread_mutex_unlock(&p->mu);
		if (!skip && (sl->finished || (rc = record_finish(&sl->rec)) >= 0))
			rc = store_record(&sl->rec, p->s);
		pthread_mutex_lock(&p->mu);
		if (rc < 0 && !p->rc) {
			p->rc = rc;
			snprintf(p->msg, sizeof(p->msg), "%s", lsr_error_last());
		}
		p->head++;
		if (p->reader_waits && (p->rc || PIPE_SLOTS - (p->tail - p->head) >= PIPE_BATCH))
			pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	db_record_insert_release();
	return NULL;
}

/* The writer's error, as the reader's. */
static int pipe_error(struct pipe *p)
{
	return lsr_error_set(p->rc, "%s", p->msg);
}

/* The parser's sink: copy the record into the next free slot. */
static int pipe_record(struct lsr_record *r, void *payload)
{
	struct pipe *p = payload;
	struct pipe_slot *sl;
	uint64_t queued;
	int rc;

	pthread_mutex_lock(&p->mu);
	while (p->tail - p->head == PIPE_SLOTS && !p->rc) {
		p->reader_waits = 1;
		pthread_cond_wait(&p->cv, &p->mu);
	}
	p->reader_waits = 0;
	rc = p->rc;
	queued = p->tail - p->head;
	pthread_mutex_unlock(&p->mu);
	if (rc)
		return pipe_error(p);
	/* the slot is the reader's until tail moves on */
	sl = &p->slot[p->tail % PIPE_SLOTS];
	if (record_copy(&sl->rec, r) < 0)
		return lsr_error_oom();
	buf_reset(&sl->raw);
	if (r->raw_len && buf_add(&sl->raw, r->raw, r->raw_len) < 0)
		return lsr_error_oom();
	sl->rec.raw = r->raw_len ? sl->raw.s : r->raw;
	/* the writer is behind (records of small RIS or MEDLINE entries are
	 * mostly field text to clean): the reader cleans this one; the same
	 * function on the same fields, so the same result either side */
	sl->finished = queued >= PIPE_SLOTS / 2;
	if (sl->finished && (rc = record_finish(&sl->rec)) < 0)
		return rc;
	pthread_mutex_lock(&p->mu);
	p->tail++;
	if (p->writer_waits && p->tail - p->head >= PIPE_BATCH)
		pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if ((++p->nread & 1023) == 0) {
		if ((rc = lsr_check_interrupt()) < 0)
			return rc;
		progress_report(p->s->progress, "importing", input_offset(p->s->in),
				p->s->total_bytes, "bytes");
	}
	return 0;
}

/* Start the writer; 0 when it could not be started (the caller stores
 * the records itself). */
static int pipe_start(struct pipe *p, struct import_state *s)
{
	memset(p, 0, sizeof(*p));
	p->s = s;
	for (int i = 0; i < PIPE_SLOTS; i++)
		record_init(&p->slot[i].rec);
	if (pthread_mutex_init(&p->mu, NULL))
		return 0;
	if (pthread_cond_init(&p->cv, NULL)) {
		pthread_mutex_destroy(&p->mu);
		return 0;
	}
	if (pthread_create(&p->th, NULL, pipe_writer, p)) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		return 0;
	}
	return 1;
}

/* Wait for the writer to store what it was given (nothing more when the
 * reader failed: ok < 0) and end; its error, else ok. */
static int pipe_finish(struct pipe *p, int ok)
{
	int rc;

	pthread_mutex_lock(&p->mu);
	p->end = 1;
	p->abort = ok < 0;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	for (int i = 0; i < PIPE_SLOTS; i++) {
		record_release(&p->slot[i].rec);
		buf_release(&p->slot[i].raw);
	}
	/* the reader's error first: the writer's may only follow from it */
	if (ok < 0)
		return ok;
	rc = p->rc ? pipe_error(p) : 0;
	return rc;
}

/* Parse in into the database: through the writer when the import is
 * batched and it starts, else record by record in this thread. */
static int parse_store(struct import_state *s, enum fetch_format fmt,
		       const struct fetch_parse_opts *parse)
{
	fetch_parser_fn fn = parser_for(fmt);
	struct pipe p;
	int rc;

	/* set before the writer starts: store_record reads it there */
	s->piped = 1;
	if (!s->batched || !fn || !pipe_start(&p, s)) {
		s->piped = 0;
		return fetch_parse(s->in, fmt, parse, store_record, s);
	}
	rc = fn(s->in, parse, pipe_record, &p);
	rc = pipe_finish(&p, rc < 0 ? rc : 0);
	s->piped = 0;
	return rc;
}

int fetch_import_skips_foreach(struct lsr_db *db, int64_t run_id, fetch_skip_fn fn,
				void *payload)
{
	static const char sql[] = "SELECT line, reason FROM import_skips WHERE run_id = ?1 ORDER BY id";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, run_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(payload, (uint64_t)sqlite3_column_int64(st, 0),
			     (const char *)sqlite3_column_text(st, 1))) < 0)
			break;
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	sqlite3_reset(st);
	return rc;
}

int fetch_import_skip_count(struct lsr_db *db, int64_t run_id, int64_t *out)
{
	static const char sql[] = "SELECT count(*) FROM import_skips WHERE run_id = ?1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	*out = 0;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, run_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

/* --skip-malformed: record the entry the parser could not read. */
static int skip_record(void *payload, uint64_t line, const char *reason)
{
	struct import_state *s = payload;
	sqlite3_stmt *st = db_prepare(s->db, "INSERT INTO import_skips(run_id, line, reason)"
					     " VALUES(?1, ?2, ?3)");

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, s->run_id);
	if (line)
		sqlite3_bind_int64(st, 2, (sqlite3_int64)line);
	else
		sqlite3_bind_null(st, 2);
	db_bind_text(st, 3, reason);
	s->nskipped++;
	return db_step_done(s->db, st);
}

/* Is there a source of this name already? (An import that creates it and
 * fails deletes it again.) */
static int source_exists(struct lsr_db *db, const char *name, int *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM sources WHERE name = ?1");

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, name ? name : "");
	*out = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_reset(st);
	return 0;
}

/* Has a file with this content been imported (in a run not withdrawn)? */
static int check_duplicate(struct lsr_db *db, const char *path, const char *hash,
			   int64_t this_run)
{
	static const char sql[] =
		"SELECT u.id, u.started_at, s.name FROM runs u JOIN sources s ON s.id = u.source_id"
		" WHERE u.file_hash = ?1 AND u.id <> ?2"
		" AND u.id NOT IN (SELECT run_id FROM run_withdrawals) ORDER BY u.id LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, hash);
	sqlite3_bind_int64(st, 2, this_run);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = lsr_error_set(LSR_ERROR,
				   "'%s' was already imported as run %lld (source '%s', %s): same content (SHA-256 %.12s...); use --force to import it again",
				   path, (long long)sqlite3_column_int64(st, 0),
				   (const char *)sqlite3_column_text(st, 2),
				   (const char *)sqlite3_column_text(st, 1), hash);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, sql);
}

static int64_t file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return 0;
	if (fseek(f, 0, SEEK_END) != 0) {
		fclose(f);
		return 0;
	}
	n = ftell(f);
	fclose(f);
	return n < 0 ? 0 : n;
}

/* Read white space to the end, for the file's hash. */
static int drain(struct fetch_input *in)
{
	char tmp[4096];
	long n;

	while ((n = input_read(in, tmp, sizeof(tmp))) > 0)
		for (long i = 0; i < n; i++)
			if (!strchr(" \t\r\n", tmp[i]))
				return lsr_error_set(LSR_EPARSE, "%s: expected text near the start of the file, not only white space",
						     in->name);
	return (int)n;
}

int fetch_import(struct lsr_db *db, const char *path,
		 const struct fetch_import_opts *o, struct fetch_import_result *out)
{
	struct import_state s;
	struct fetch_input *in = NULL;
	enum fetch_format fmt = o->format;
	char hash[SHA256_HEX_LEN + 1];
	struct buf notes = BUF_INIT, obj = BUF_INIT;
	struct fetch_parse_opts parse;
	const char *peek;
	size_t peek_len;
	sqlite3_stmt *st;
	int rc, source_existed = 0, pending = 0;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	s.db = db;
	s.progress = o->progress;
	clock_now_iso(s.now);
	if ((rc = fetch_input_open(&in, path)) < 0)
		return rc;
	s.in = in;
	s.total_bytes = (uint64_t)file_size(path); /* compressed size: progress is approximate for .gz */
	if ((rc = input_peek(in, &peek, &peek_len)) < 0)
		goto out;
	while (peek_len && strchr(" \t\r\n", *peek)) {
		peek++;
		peek_len--;
	}
	/* an empty file is refused unless it may be empty (a search that
	 * found nothing); it then needs no format */
	if (!peek_len && (rc = drain(in)) < 0)
		goto out;
	if (!peek_len && !o->allow_empty) {
		rc = lsr_error_set(LSR_EPARSE, "%s: the file is empty",
				   path);
		goto out;
	}
	if (fmt == FETCH_FMT_AUTO && peek_len && (rc = fetch_detect_format(in, &fmt)) < 0)
		goto out;
	/* inside a caller's transaction, that transaction keeps it atomic */
	/* an import that records skipped entries stays one transaction: its
	 * import_skips rows are append-only and could not be discarded */
	s.batched = db_txn_depth(db) == 0 && !o->skip_malformed;
	if ((rc = db_txn_begin(db)) < 0)
		goto out;
	if ((rc = source_exists(db, o->source, &source_existed)) < 0 ||
	    (rc = fetch_source_ensure(db, o->protocol, o->source, o->kind, &s.source_id)) < 0)
		goto rollback;
	st = db_prepare(db, "INSERT INTO runs(source_id, kind, file_name, file_size, format,"
			    " started_at, status, actor, searched_on, database_version, strategy)"
			    " VALUES(?1, 'import', ?2, ?3, ?4, ?5, 'running', ?6, ?7, ?8, ?9)");
	if (!st) {
		rc = lsr_error_last_code();
		goto rollback;
	}
	sqlite3_bind_int64(st, 1, s.source_id);
	db_bind_text(st, 2, path);
	sqlite3_bind_int64(st, 3, file_size(path));
	if (fmt == FETCH_FMT_AUTO)
		sqlite3_bind_null(st, 4); /* an empty file: no format to tell */
	else
		db_bind_text(st, 4, fetch_format_name(fmt));
	db_bind_text(st, 5, s.now);
	db_bind_text(st, 6, db_actor());
	db_bind_text(st, 7, o->searched);
	db_bind_text(st, 8, o->database_version);
	db_bind_text(st, 9, o->strategy);
	if ((rc = db_step_done(db, st)) < 0)
		goto rollback;
	s.run_id = db_last_id(db);
	if (s.batched) {
		if ((rc = db_import_pending_add(db, s.run_id, !source_existed)) < 0)
			goto rollback;
		if ((rc = db_txn_commit(db)) < 0)
			goto out;
		pending = 1;
		if ((rc = db_txn_begin(db)) < 0)
			goto discard;
	}
	parse = o->parse;
	parse.allow_empty = o->allow_empty;
	if (o->skip_malformed) {
		parse.skip = skip_record;
		parse.skip_payload = &s;
	}
	if (peek_len && (rc = parse_store(&s, fmt, &parse)) < 0)
		goto rollback;
	if (!s.position && !s.ndeleted && s.nskipped && !o->allow_empty) {
		rc = lsr_error_set(LSR_EPARSE,
				   "%s: every entry was malformed (%llu skipped); nothing was stored",
				   path, (unsigned long long)s.nskipped);
		goto rollback;
	}
	if (!s.position && !s.ndeleted && !o->allow_empty) {
		rc = lsr_error_set(LSR_EPARSE,
				   "%s: no records found in a file that is not empty (read as %s); check the format, or use --allow-empty if the export holds none",
				   path, fetch_format_name(fmt));
		goto rollback;
	}
	if ((rc = sha256_final(in->hash, hash)) < 0) {
		in->hash = NULL;
		goto rollback;
	}
	in->hash = NULL;
	if (!o->force && (rc = check_duplicate(db, path, hash, s.run_id)) < 0)
		goto rollback;
	if (text_fix_describe(&notes, in->fixes) < 0) {
		rc = LSR_ENOMEM;
		goto rollback;
	}
	if (s.nskipped && input_note(in, "%llu malformed %s skipped (lsr import --skip-malformed)",
				     (unsigned long long)s.nskipped,
				     s.nskipped == 1 ? "entry" : "entries") < 0) {
		rc = LSR_ENOMEM;
		goto rollback;
	}
	snprintf(out->encoding, sizeof(out->encoding), "%s", notes.s);
	snprintf(out->parse_notes, sizeof(out->parse_notes), "%s", in->notes.s);
	if (in->notes.len && buf_printf(&notes, "%s%s", notes.len ? "; " : "", in->notes.s) < 0) {
		rc = LSR_ENOMEM;
		goto rollback;
	}
	st = db_prepare(db, "UPDATE runs SET file_hash = ?1, finished_at = ?2, status = 'complete',"
			    " count_records = ?3, count_deleted = ?4, notes = ?5 WHERE id = ?6");
	if (!st) {
		rc = lsr_error_last_code();
		goto rollback;
	}
	db_bind_text(st, 1, hash);
	clock_now_iso(s.now);
	db_bind_text(st, 2, s.now);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)s.position);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s.ndeleted);
	db_bind_textn(st, 5, notes.s, notes.len);
	sqlite3_bind_int64(st, 6, s.run_id);
	if ((rc = db_step_done(db, st)) < 0)
		goto rollback;
	if (buf_printf(&obj, "run %lld", (long long)s.run_id) < 0) {
		rc = lsr_error_last_code();
		goto rollback;
	}
	{
		/* a detail cut short by a failed allocation never reaches the
		 * append-only audit log: no detail, no import */
		json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "file", path, "source", o->source,
				      "format", fetch_format_name(fmt), "sha256", hash,
				      "records", (json_int_t)s.position, "deleted", (json_int_t)s.ndeleted);

		if (d && s.nskipped && json_object_set_new(d, "skipped", json_integer((json_int_t)s.nskipped)) < 0) {
			json_decref(d);
			d = NULL;
		}
		if (d && o->force && json_object_set_new(d, "force", json_true()) < 0) {
			json_decref(d);
			d = NULL;
		}
		if (!d) {
			rc = lsr_error_oom();
			goto rollback;
		}
		if ((rc = db_audit_json(db, "import", obj.s, d)) < 0)
			goto rollback;
	}
	if (pending && (rc = db_import_pending_done(db, s.run_id)) < 0)
		goto rollback;
	if ((rc = db_txn_commit(db)) < 0)
		goto discard;
	out->run_id = s.run_id;
	out->nrecords = s.position;
	out->ndeleted = s.ndeleted;
	out->nwithdrawn = s.nwithdrawn;
	out->nskipped = s.nskipped;
	out->format = fmt;
	snprintf(out->notes, sizeof(out->notes), "%s", notes.s);
	goto out;
rollback:
	db_txn_rollback(db);
discard:
	/* the batches committed so far go too; the first error is the one told */
	if (pending && db_txn_depth(db) == 0) {
		struct buf why = BUF_INIT;

		buf_adds(&why, lsr_error_last());
		db_import_discard(db, s.run_id); /* else db_open does it later */
		lsr_error_set(rc, "%s", why.s);
		buf_release(&why);
	}
out:
	buf_release(&notes);
	buf_release(&obj);
	fetch_input_free(in);
	return rc;
}
