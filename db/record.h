/*
 * record.h - the record model: one bibliographic record as a parser hands it
 * to the database, and its storage.
 *
 * Parsers fill a struct lsr_record (reusing it from record to record: the
 * bufs keep their memory), then call the sink they were given.  Field text is
 * valid UTF-8 NFC with white space collapsed (record_finish() does that), so
 * parsers only decode their format.  raw/raw_len point at the bytes exactly
 * as received (borrowed, valid during the sink call).
 */
#ifndef LSR_RECORD_H
#define LSR_RECORD_H

#include <stdint.h>

#include "../util/buf.h"
#include "../util/strv.h"

struct lsr_db;

struct lsr_record {
	struct buf source_id;      /* identifier the source gave (PMID, AN, ID, ...) */
	struct buf ref_type;       /* record type as the source wrote it */
	struct buf title;
	struct buf abstract;       /* "LABEL: text" lines for structured abstracts */
	struct strv authors;       /* "Surname, Given" or a collective name */
	int year;                  /* 0 when unknown */
	struct buf pub_date;       /* ISO 8601 prefix: YYYY[-MM[-DD]] */
	struct buf journal;
	struct buf journal_abbrev;
	struct buf volume;
	struct buf issue;
	struct buf pages;
	struct buf doi;            /* bare, e.g. 10.1000/xyz (no URL prefix) */
	struct buf pmid;
	struct buf pmcid;          /* PMC1234567 */
	struct strv other_ids;     /* "kind:value", e.g. "embase:123", "nct:NCT01" */
	struct buf issn;
	struct strv languages;     /* as given (eng, English, ...) */
	struct strv publication_types;
	struct strv mesh;
	struct strv keywords;
	struct strv relations;     /* "ErratumIn 12345", "RetractionIn 678" */
	struct buf url;

	/* provenance, set by the parser */
	uint64_t line;             /* first line of the record (1-based), 0 unknown */
	uint64_t offset;           /* byte offset of its first byte */
	const char *raw;           /* the record's bytes as received (borrowed) */
	size_t raw_len;

	int deleted;               /* a DeleteCitation: source_id lists withdrawn ids */
};

void record_init(struct lsr_record *r);
void record_reset(struct lsr_record *r); /* empty every field, keep memory */
void record_release(struct lsr_record *r);
/* dst (initialised) becomes a copy of src's fields and provenance; raw
 * stays borrowed (the caller copies the bytes if it needs them). */
int record_copy(struct lsr_record *dst, const struct lsr_record *src);

/*
 * Tidy the fields before storage: clean white space and NFC in every text
 * field, strip a DOI of its URL prefixes and trailing punctuation, derive
 * the year from pub_date (or the reverse) when one is missing, drop empty
 * list entries.
 */
int record_finish(struct lsr_record *r);

/* A DOI as stored: case kept; white space, URL and "doi:" prefixes and
 * trailing punctuation removed.  In place on b. */
void record_doi_clean(struct buf *b);

/* Called by a parser for each record; a negative return stops the parse and
 * is passed up unchanged. */
typedef int (*record_sink_fn)(struct lsr_record *rec, void *payload);

/*
 * Insert r (already finished) as record number position of run_id.
 * *out_id gets the new record id (may be NULL).
 */
int db_record_insert(struct lsr_db *db, int64_t run_id, uint64_t position,
		     const struct lsr_record *r, int64_t *out_id);
/* Free the calling thread's scratch of db_record_insert (a thread that
 * inserted records calls it before it ends). */
void db_record_insert_release(void);

/* Append a JSON array of the strings in sv to out. */
int record_json_strv(struct buf *out, const struct strv *sv);
/* Append s as a JSON string (quoted, escaped). */
int record_json_str(struct buf *out, const char *s, size_t n);

/*
 * Reading records back: decode the 25 record columns of st, starting at
 * column first, into r (the column list is RECORD_COLUMNS in runs.c).
 */
struct sqlite3_stmt;
int db_record_from_row(struct sqlite3_stmt *st, int first, struct lsr_record *r);

#endif
