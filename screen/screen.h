/*
 * screen.h - the screen stage: normalisation, deduplication into citations
 * and (later) screening.  The one public header of screen/.
 *
 * Deduplication groups the records of a review into citations, one per
 * distinct publication (db/migrations/0002_dedup.sql documents the tables).
 * A run is incremental: records already grouped keep their citation and its
 * id; records not yet grouped are compared with every record (blocking keeps
 * this near-linear) and join a citation, found a new one, or bridge two
 * citations (one id survives, the other is retired).  Person's decisions
 * (dedup_decisions) are applied at once and never undone by a run.
 *
 * Decisions of later stages attach to citations, so every merge and split
 * goes through screen_citations_merged() / screen_citation_split(), which
 * record a citation_events row the screening stage uses to carry decisions
 * across.
 */
#ifndef LSR_SCREEN_H
#define LSR_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/progress.h"

struct lsr_db;

/* ---- normalisation (normalize.c) ---------------------------------------- */

/*
 * Text as compared: Unicode case folding, compatibility decomposition with
 * accents stripped, Greek letters spelt out (alpha, beta, ...), HTML tags and
 * entities removed, '&' read as "and", every other character that is not a
 * letter or digit turned into a space, white space collapsed and trimmed.
 * Appends to out (which is reset first).
 */
int screen_norm_text(struct buf *out, const char *s, size_t n);

/*
 * A title as compared: screen_norm_text, minus a leading "[" translation
 * marker and a trailing "(author's transl)" style note.
 */
int screen_norm_title(struct buf *out, const char *s);

/* The title fingerprint used for blocking: the normalised title with its
 * spaces removed ("Non-small cell" and "nonsmall cell" agree). */
int screen_title_fingerprint(struct buf *out, const char *s);

/*
 * A DOI as compared: lower case, "https://doi.org/", "dx.doi.org/", "doi:"
 * prefixes and trailing punctuation removed.  out is empty when s holds no
 * DOI.
 */
int screen_norm_doi(struct buf *out, const char *s);

/*
 * Pages as compared: "112-20" and "112-120" both give "112-120"; "e1234"
 * stays "e1234"; "S12-S14" gives "s12-s14"; a single page gives "112".
 * Leading zeros and spaces are dropped.
 */
int screen_norm_pages(struct buf *out, const char *s);

/* The first page of normalised pages ("112-120" -> "112"), borrowed length. */
size_t screen_pages_first(const char *norm, size_t len);

/*
 * The surname of an author as lsr stores it ("Surname, Given"), or as
 * sources write it ("Surname GI", "Given Surname", "GI Surname"):
 * normalised text, spaces removed ("van der Berg" -> "vanderberg").
 * A collective name gives its normalised words.
 */
int screen_norm_surname(struct buf *out, const char *author);

/*
 * Do two normalised journal names (screen_norm_text) name the same journal?
 * 2: identical; 1: one is an abbreviation of the other, ISO 4 style (each
 * word of the shorter a prefix of the corresponding word of the longer,
 * articles and prepositions of the longer skipped), or one is the other's
 * initials; 0: no.
 */
int screen_journal_match(const char *a, const char *b);

/* What kind of publication a record is, as far as telling it apart from the
 * article it refers to matters. */
enum screen_kind {
	SCREEN_KIND_ARTICLE = 0,
	SCREEN_KIND_ERRATUM,     /* erratum, correction, corrigendum */
	SCREEN_KIND_RETRACTION,  /* the retraction notice (not the retracted article) */
	SCREEN_KIND_COMMENT,     /* comment on, reply, response, letter about */
	SCREEN_KIND_ABSTRACT,    /* conference abstract or proceedings paper */
};

/* "article", "erratum", ... (static). */
const char *screen_kind_name(enum screen_kind k);

/*
 * The kind of a record from its title (raw), its type as the source wrote it
 * (RIS TY, EndNote or BibTeX type; may be NULL) and its publication types
 * (JSON array text as stored, may be NULL).
 */
enum screen_kind screen_record_kind(const char *title, const char *ref_type,
				    const char *pubtypes_json);

/* ---- deduplication (dedup.c) -------------------------------------------- */

/* Version of the matching rules, stored with each run. */
#define SCREEN_DEDUP_RULES "lsr-dedup-1"

struct screen_dedup_opts {
	int threads;                         /* comparison threads; 0: 2 */
	const struct lsr_progress *progress; /* may be NULL */
};

struct screen_dedup_result {
	int64_t run_id;
	uint64_t records_total;   /* records taking part (all grouped after the run) */
	uint64_t records_new;     /* grouped for the first time by this run */
	uint64_t comparisons;     /* candidate pairs compared */
	uint64_t merges;          /* links made */
	uint64_t queued;          /* uncertain pairs added to the queue */
	uint64_t citations_new;
	uint64_t citations_retired;
	uint64_t citations_live;  /* citations counted after the run */
};

/*
 * Group every record not yet grouped (one transaction).  Records already
 * grouped keep their citation; citation ids never change.  Returns 0 or a
 * negative LSR_E* code (the database is then unchanged).
 */
int screen_dedup_run(struct lsr_db *db, const struct screen_dedup_opts *opts,
		     struct screen_dedup_result *out);

/* A person's verdict on a pair of records. */
enum screen_verdict { SCREEN_SAME, SCREEN_DIFFERENT };

/*
 * Record a person's decision that records a and b are (not) the same
 * publication, and apply it at once (one transaction):
 *   same: their citations are merged (the one with more members keeps its
 *         id); refused when a decision already keeps them apart.
 *   different: if they share a citation, the weakest automatic link on the
 *         path between them is cut and the citation split in two.
 * queue_id is the queue pair decided (0 if none); by is the person; reason
 * may be NULL.  *out_decision gets the decision id (may be NULL).
 */
int screen_dedup_decide(struct lsr_db *db, int64_t a, int64_t b,
			enum screen_verdict v, int64_t queue_id, const char *by,
			const char *reason, int64_t *out_decision);

/*
 * Split citation into parts: parts[i] lists npart[i] record ids (members of
 * the citation); the members not listed form one more part.  The largest
 * part keeps the citation id; every other part gets a new id.  The split is
 * a decision: no later run merges the parts again.  *out_ids (may be NULL)
 * gets the new citation ids, one per new part, caller frees; *out_n their
 * number.
 */
int screen_dedup_split(struct lsr_db *db, int64_t citation,
		       const int64_t *const *parts, const size_t *npart, size_t nparts,
		       const char *by, const char *reason, int64_t **out_ids,
		       size_t *out_n);

/* ---- citations and later stages (citation.c) --------------------------- */

/*
 * Called whenever two citations become one: kept survives, absorbed is
 * retired.  Records a 'merge' citation event (durable); the screening stage
 * turns differing decisions of the two into a conflict.  actor NULL means
 * db_actor().
 */
int screen_citations_merged(struct lsr_db *db, int64_t kept, int64_t absorbed,
			    const char *actor);

/*
 * Called when citation from is split: parts are the new citations (from
 * keeps the largest part).  Records one 'split' event per part; each part
 * keeps the decisions made on the whole, flagged for a second look.
 */
int screen_citation_split(struct lsr_db *db, int64_t from, const int64_t *parts,
			  size_t nparts, const char *actor);

#endif
