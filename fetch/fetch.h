/*
 * fetch.h - getting records in: import of database exports, searches of
 * online services (PubMed, Europe PMC, ClinicalTrials.gov), and writing
 * records back out (RIS, CSV, BibTeX).  The one public header of fetch/.
 *
 * Import reads a file of any supported format, plain or gzip-compressed,
 * detects the format from its content, repairs its encoding, and stores
 * every record with its provenance as one run in one transaction.  A
 * malformed file is rejected whole with "FILE:LINE: what was expected"
 * (LSR_EPARSE) and nothing is stored, unless the caller asks to skip
 * malformed records: then the good ones are stored and each skipped one
 * is recorded in the run (table import_skips) with its line and the
 * reason.  A file that yields no record is rejected too (never a silent
 * zero), unless the caller allows it.
 */
#ifndef LSR_FETCH_H
#define LSR_FETCH_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "../db/record.h"
#include "../util/progress.h"
#include "../util/strv.h"

struct lsr_db;
struct protocol;

enum fetch_format {
	FETCH_FMT_AUTO,
	FETCH_FMT_PUBMED_XML,
	FETCH_FMT_MEDLINE,
	FETCH_FMT_RIS,
	FETCH_FMT_WOS,
	FETCH_FMT_ENDNOTE_XML,
	FETCH_FMT_ENDNOTE,
	FETCH_FMT_BIBTEX,
	FETCH_FMT_CSV,
	FETCH_FMT_WOS_TSV,      /* Web of Science tab-delimited */
	FETCH_FMT_COUNT
};

/* "pubmed-xml", "medline", ... as on the command line (static). */
const char *fetch_format_name(enum fetch_format f);
/* Parse a --format value; LSR_EUSAGE with the list of formats if unknown. */
int fetch_format_parse(enum fetch_format *out, const char *name);

/* An input stream: a file (gzip or not) or memory, read line by line or as
 * raw bytes.  Defined in fetch_int.h for the parsers. */
struct fetch_input;

int fetch_input_open(struct fetch_input **out, const char *path);
/* data must outlive the input; name is used in messages. */
int fetch_input_open_mem(struct fetch_input **out, const char *name,
			 const char *data, size_t len);
void fetch_input_free(struct fetch_input *in);

/* Detect the format of in from its first bytes (nothing is consumed). */
int fetch_detect_format(struct fetch_input *in, enum fetch_format *out);

/* A skipped entry: its first line (0 unknown) and the parser's message. */
typedef int (*fetch_skip_fn)(void *payload, uint64_t line, const char *reason);

/* How CSV columns map to record fields; what a parser accepts. */
struct fetch_parse_opts {
	const char *id_column;  /* CSV: column whose values are the source ids */
	const struct strv *map; /* CSV: "field=Column" entries */
	int allow_empty;        /* a file without records is not an error */
	/*
	 * --skip-malformed: each malformed record (text or XML parsers aside)
	 * is reported here, with its first line and the parser's message,
	 * and the parser goes on with the next record.  NULL: the first one
	 * rejects the file.  A negative return stops the parse.
	 */
	fetch_skip_fn skip;
	void *skip_payload;
};



/*
 * Parse in as format fmt, calling sink for each record (already passed
 * through record_finish()).  Stops at the first error.
 */
int fetch_parse(struct fetch_input *in, enum fetch_format fmt,
		const struct fetch_parse_opts *opts, record_sink_fn sink,
		void *payload);

struct fetch_import_opts {
	const char *source;       /* source name (required) */
	const char *kind;         /* database | register | other, or NULL */
	enum fetch_format format; /* FETCH_FMT_AUTO to detect */
	struct fetch_parse_opts parse;
	int force;                /* import even if the file was imported */
	int allow_empty;          /* store a run of 0 records instead of refusing */
	int skip_malformed;       /* store the good records, record the bad ones */
	const char *searched;     /* YYYY-MM-DD the search was run, or NULL */
	const char *database_version; /* the database's version as recorded, or NULL */
	const char *strategy;     /* the search strategy as run, or NULL */
	const struct protocol *protocol; /* may be NULL */
	const struct lsr_progress *progress;
};

struct fetch_import_result {
	int64_t run_id;
	uint64_t nrecords;        /* records stored */
	uint64_t ndeleted;        /* DeleteCitation entries in the file */
	uint64_t nwithdrawn;      /* stored records those entries withdrew */
	uint64_t nskipped;        /* malformed entries skipped (table import_skips) */
	enum fetch_format format; /* the format used */
	char notes[1024];         /* the run's notes: encoding, then parsing, "" when none */
	char encoding[256];       /* the encoding repairs alone */
	char parse_notes[768];    /* what the parser repaired or assumed alone */
};

/* Import one file as one run (one transaction). */
int fetch_import(struct lsr_db *db, const char *path,
		 const struct fetch_import_opts *opts,
		 struct fetch_import_result *out);

/* The entries run_id skipped (lsr import --skip-malformed), in file order;
 * a negative return of fn stops the walk and is returned. */
int fetch_import_skips_foreach(struct lsr_db *db, int64_t run_id, fetch_skip_fn fn,
				void *payload);
/* How many entries run_id skipped. */
int fetch_import_skip_count(struct lsr_db *db, int64_t run_id, int64_t *out);

/*
 * Find or create the source name with kind (NULL: keep an existing
 * source's kind, else use the protocol's, else "database").  Refuses a kind
 * that contradicts the existing source or the protocol.  Used by import and
 * search alike.
 */
int fetch_source_ensure(struct lsr_db *db, const struct protocol *protocol,
			const char *name, const char *kind, int64_t *out_id);


/*
 * Online searches (search.c): PubMed (E-utilities), Europe PMC and
 * ClinicalTrials.gov.  A search is a run of kind 'search' whose records go
 * through the same record model and provenance as imports.  Records are
 * committed batch by batch with the run's position, so an interrupted run
 * (network failure, Ctrl-C, kill) keeps what it stored and
 * fetch_search_resume() finishes it without gaps or duplicates.  At the end
 * the records stored are compared with the count the service reported; a
 * difference leaves the run 'incomplete' with the reason.
 */
struct protocol_source;

struct fetch_search_opts {
	const char *since;          /* YYYY-MM-DD or YYYY/MM/DD; NULL: no lower bound */
	const char *until;          /* idem; NULL: no upper bound */
	const char *pubmed_url;     /* base URLs; NULL: $LSR_PUBMED_URL, else the service's */
	const char *europepmc_url;  /* NULL: $LSR_EUROPEPMC_URL */
	const char *ctgov_url;      /* NULL: $LSR_CTGOV_URL */
	const char *email;          /* NULL: $LSR_EMAIL, $NCBI_EMAIL, protocol contact_email */
	unsigned batch_size;        /* records per request; 0: the service's default */
	const struct protocol *protocol;   /* may be NULL */
	const struct lsr_progress *progress;
};

struct fetch_search_result {
	int64_t run_id;             /* 0 when no run was created */
	char source[128];           /* the source's name */
	char status[16];            /* running | complete | incomplete | failed */
	char reason[512];           /* why not complete, "" when complete */
	int64_t reported;           /* the count the service reported, -1 unknown */
	uint64_t stored;            /* records the run holds */
	uint64_t stored_now;        /* of which stored by this call */
	uint64_t duplicates;        /* records served twice, stored once */
	uint64_t missing;           /* ids the service returned no record for */
	int resumed;                /* this call continued an earlier run */
};

/* The default display name of an api (pubmed -> "PubMed"), or NULL. */
const char *fetch_search_api_name(const char *api);

/* Check a --since/--until value; out gets YYYY-MM-DD.  LSR_EUSAGE if bad. */
int fetch_search_date_parse(char out[11], const char *s, const char *what);

/*
 * Run src's saved query (src->api and src->query must be set) as a new run.
 * Returns 0 when the run finished (out->status complete or incomplete), or
 * a negative code: LSR_EHTTP/LSR_ERATELIMIT when the service failed after
 * retries, LSR_EINTR when interrupted; the run is then kept with its
 * records, marked failed or incomplete, for fetch_search_resume().  Refuses
 * (LSR_ERROR) to start while the same source has an unfinished run.
 */
int fetch_search_run(struct lsr_db *db, const struct protocol_source *src,
		     const struct fetch_search_opts *opts, struct fetch_search_result *out);

/* Continue an unfinished search run where it stopped. */
int fetch_search_resume(struct lsr_db *db, int64_t run_id,
			const struct fetch_search_opts *opts, struct fetch_search_result *out);

/* A search run that is not complete (for lsr status and lsr search --resume). */
struct fetch_search_info {
	int64_t run_id;
	char *source;
	char *api;
	char *query;
	char *status;         /* running | incomplete | failed */
	char *reason;         /* NULL when none was recorded */
	char *since, *until;  /* the window, NULL when open */
	int64_t reported;     /* -1 unknown */
	int64_t stored;
	int resumable;        /* unfinished: lsr search --resume continues it */
	int active;           /* a live process on this host is running it */
};

/* Every search run not complete and not withdrawn, oldest first. */
int fetch_search_list_unfinished(struct lsr_db *db, struct fetch_search_info **out,
				 size_t *n);
void fetch_search_info_free(struct fetch_search_info *v, size_t n);
#endif

/*
 * Writing records out for reference managers (lsr records --format).
 * fetch_export_begin writes any header (CSV), fetch_export_record one
 * record; id is lsr's record id, source the source name.
 */
int fetch_export_begin(FILE *f, enum fetch_format fmt);
int fetch_export_record(FILE *f, enum fetch_format fmt, int64_t id,
			const char *source, const struct lsr_record *r);

/*
 * The same for deduplicated citations (lsr records --citations,
 * --included): id is the citation id, sources and records its members'
 * sources and record ids ("; "-joined), study the study an included
 * report belongs to (NULL: none; a "Study: LABEL" note in RIS and
 * BibTeX).  RIS IDs are lsr-citation:N, BibTeX keys lsrcN; the CSV's
 * columns are citation, study, sources, records, then title..abstract as
 * for records.
 */
int fetch_export_citations_begin(FILE *f, enum fetch_format fmt);
int fetch_export_citation(FILE *f, enum fetch_format fmt, int64_t id, const char *sources,
			  const char *records, const char *study, const struct lsr_record *r);
