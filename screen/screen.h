/*
 * screen.h - the screen stage: normalisation, deduplication into citations,
 * PICOS rules, screening batches, decisions, conflicts and agreement, the
 * full-text stage, and the linking of reports to studies.  The one public
 * header of screen/.
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
#include <stdio.h>

#include "../util/buf.h"
#include "../util/progress.h"

struct lsr_db;
struct json_t;

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
#define SCREEN_DEDUP_RULES "lsr-dedup-2"

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

/* ---- reading the grouping (dedup_query.c) ------------------------------- */

/* Pairs of the review queue still open: records in different citations,
 * both taking part in grouping, no person's decision on them yet. */
int screen_dedup_queue_open_count(struct lsr_db *db, int64_t *out);

/*
 * The review queue as a JSON array, one object per pair: pair, record_a,
 * record_b, citation_a, citation_b, rule, score, scores, title_a, title_b,
 * year_a, year_b, decided (same|different|null).  all: every pair ever
 * queued, else the open ones.  *out is the caller's.
 */
int screen_dedup_queue_json(struct lsr_db *db, int all, struct json_t **out);

/* The two records of queue pair `pair` (LSR_ENOTFOUND: no such pair). */
int screen_dedup_queue_pair(struct lsr_db *db, int64_t pair, int64_t *a, int64_t *b);

/* The citation record belongs to into *citation (0: not grouped yet);
 * LSR_ENOTFOUND when there is no such record. */
int screen_record_citation(struct lsr_db *db, int64_t record, int64_t *citation);

/*
 * One citation explained, as a JSON object: schema_version, citation,
 * retired_into, representative, and arrays members, links, decisions and
 * events.  LSR_ENOTFOUND when there is no such citation.
 */
int screen_dedup_explain_json(struct lsr_db *db, int64_t citation, struct json_t **out);

/* The grouping as CSV (source,source_id,group,rule,score per record). */
int screen_dedup_export(struct lsr_db *db, FILE *f);

/*
 * Per source: duplicates removed (pending 0) or records not grouped yet
 * (pending 1); fn is called once per source that has any.
 */
int screen_dedup_source_counts(struct lsr_db *db, int pending,
			       int (*fn)(int64_t source_id, int64_t n, void *payload), void *payload);

/* Citations counted (not merged into another). */
int screen_citations_live_count(struct lsr_db *db, int64_t *out);

/* ---- progress (counts.c) ----------------------------------------------- */

/* What keeps deduplication and screening from being complete. */
struct screen_pending {
	int64_t records_not_deduplicated;
	int64_t duplicate_pairs_to_decide;
	int64_t title_abstract_to_screen;
	int64_t title_abstract_conflicts;
	int64_t full_texts_to_retrieve;
	int64_t full_text_to_screen;
	int64_t full_text_conflicts;
	int64_t reports_not_linked_to_a_study;
};
int screen_pending_counts(struct lsr_db *db, struct screen_pending *out);

/* What update `no` brought, and what waits for a person now. */
struct screen_update_counts {
	int64_t new_citations;
	int64_t records_joining_earlier_citations;
	int64_t awaiting_title_abstract;   /* pending or in conflict, any update */
	int64_t excluded_by_automation;    /* of this update's citations */
	int64_t awaiting_full_text;        /* any update */
};
int screen_update_counts(struct lsr_db *db, int no, struct screen_update_counts *out);

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

/* ==== screening (rules.c, rules_db.c, batch.c, verdict.c, agreement.c,
 * ==== fulltext.c, study.c, carry.c, screen_query.c) ====================== */

/*
 * Screening: PICOS rules, batches handed to independent reviewers, their
 * decisions, conflicts and resolutions, the full-text stage and studies.
 * db/migrations/0004_screen.sql documents the tables and how a citation's
 * status is derived; the views screen_ta_status and screen_ft_status are
 * what PRISMA counts.
 */

#include <stdio.h>

struct protocol;
struct json_t;
struct screen_ranking;

#define SCREEN_STAGE_TA "title-abstract"
#define SCREEN_STAGE_FT "full-text"

/* ---- PICOS rules (rules.c) ----------------------------------------------- */

/* The fields a rule tests.  List fields (keywords, mesh, publication_type,
 * language) are matched as their items joined by newlines. */
enum screen_field {
	SCREEN_F_TITLE,
	SCREEN_F_ABSTRACT,
	SCREEN_F_KEYWORDS,
	SCREEN_F_MESH,
	SCREEN_F_PUBTYPE,
	SCREEN_F_LANGUAGE,
	SCREEN_F_JOURNAL,
	SCREEN_F_YEAR,
	SCREEN_F_COUNT
};

/* "title", "abstract", ..., "publication_type", ... (static). */
const char *screen_field_name(int field);

/* One citation as the rules see it.  text[f] may be NULL (absent); the
 * text is valid UTF-8.  year 0: unknown (text[SCREEN_F_YEAR] is then
 * NULL). */
struct screen_doc {
	const char *text[SCREEN_F_COUNT];
	size_t len[SCREEN_F_COUNT];
	int year;
};

/* A compiled rule set (opaque; read-only once compiled, so threads may
 * share it). */
struct screen_rules;

/*
 * Compile the protocol's screening rules: each match/unless pattern once,
 * caseless unless it says (?-i), with PCRE2 JIT; required literals are
 * extracted for the prefilter.  Errors name the file, line, key path and
 * rule, e.g.
 *   protocol.yaml:31: screening.rules[2].match: rule 'animal': missing
 *   closing parenthesis at offset 12
 * (LSR_EPARSE).  p stays borrowed for the life of *out.
 */
int screen_rules_compile(struct screen_rules **out, const struct protocol *p);
void screen_rules_free(struct screen_rules *rs);

/* SHA-256 of the rules as written (64 hex digits), and those rules as
 * canonical JSON (both borrowed). */
const char *screen_rules_hash(const struct screen_rules *rs);
const char *screen_rules_json(const struct screen_rules *rs);
size_t screen_rules_count(const struct screen_rules *rs);
/* Rule i's name, reason code, and whether it excludes automatically. */
const char *screen_rule_name(const struct screen_rules *rs, size_t i);
const char *screen_rule_reason(const struct screen_rules *rs, size_t i);
int screen_rule_excludes(const struct screen_rules *rs, size_t i);
/* 1 when rule i is found through its literals (the prefilter), 0 when its
 * pattern must be run on every text. */
int screen_rule_prefiltered(const struct screen_rules *rs, size_t i);

/* One rule that hit one document (or was stopped by a match limit). */
struct screen_hit {
	size_t doc;         /* index in the docs array */
	uint32_t rule;      /* index in the protocol's rules */
	int field;          /* enum screen_field where it matched */
	size_t start, end;  /* byte span in that field's text */
	int error;          /* 0, or the PCRE2 error that stopped the rule */
};

struct screen_hits {
	struct screen_hit *v;
	size_t n, alloc;
};
void screen_hits_release(struct screen_hits *h);

enum screen_eval_flags {
	SCREEN_EVAL_NAIVE = 1 << 0, /* every pattern on every text: no prefilter */
};

/*
 * Evaluate every rule on docs[0..n), split across threads (0: 2), and
 * append the hits to out ordered by document, then by rule.  A rule hits
 * when all its tests pass: its match (in any of its fields, the first field
 * in the rule's order giving the reported span), no unless in those fields,
 * publication_type (any of), language_not (a language is known and none is
 * listed), year_before / year_after.  A match limit reached on a text is
 * reported as a hit with error set, never as a crash.
 */
int screen_rules_eval(const struct screen_rules *rs, const struct screen_doc *docs,
		      size_t n, int threads, unsigned flags, struct screen_hits *out);

/* ---- rules on the review (rules_db.c) ------------------------------------ */

enum screen_rules_run_flags {
	SCREEN_RULES_DRY_RUN = 1 << 0,  /* evaluate, store nothing */
	SCREEN_RULES_ONLY_NEW = 1 << 1, /* only citations not evaluated under this rule set */
};

/*
 * Evaluate the protocol's rules on the citations without a human
 * title-abstract decision and store the hits under the rule set's hash
 * (one transaction; earlier hits of these citations under the same hash
 * are replaced, human decisions are never touched).  *out (caller
 * json_decref's; may be NULL) describes the run: ruleset, citations, per
 * rule and per reason counts, errors.
 */
int screen_rules_run(struct lsr_db *db, const struct protocol *p, unsigned flags,
		     int threads, struct json_t **out);

/* ---- batches (batch.c) --------------------------------------------------- */

struct screen_batch_opts {
	const char *reviewer;  /* required */
	const char *stage;     /* SCREEN_STAGE_TA or SCREEN_STAGE_FT */
	size_t size;           /* citations wanted */
	uint64_t seed;         /* the order is reproducible for a seed */
	const char *file;      /* recorded with the batch (may be NULL) */
	const struct screen_ranking *ranking; /* priority order or a stopping sample
					       * (rank.h); NULL: the seed's order */
};

/*
 * Assign up to opts->size citations to a reviewer and write the batch file
 * (CSV) to out, in one transaction: citations that still need reviewers at
 * the stage (pending, assigned to fewer than the protocol's reviewers,
 * never to this reviewer), those already assigned to others first, then in
 * the seed's order.  At title-abstract the rules are evaluated first on
 * citations not yet evaluated, so that automatic exclusions are not handed
 * out.  *out_batch gets the batch id, *out_n the citations assigned.
 */
int screen_batch_create(struct lsr_db *db, const struct protocol *p,
			const struct screen_batch_opts *opts, FILE *out,
			int64_t *out_batch, size_t *out_n);

/* Write batch id again (the same rows, blank verdicts) to out. */
int screen_batch_write(struct lsr_db *db, int64_t batch, FILE *out);

/* ---- decisions (verdict.c) ----------------------------------------------- */

struct screen_import_result {
	int64_t import_id;
	size_t rows, decisions, unchanged, blank;
};

/*
 * Import a filled batch file for reviewer.  Every row is checked first; the
 * first problem refuses the whole file (LSR_EPARSE, naming the file, row
 * and column) and nothing is stored.  Decisions are appended; a row equal
 * to the reviewer's current decision is not stored again.
 */
int screen_import(struct lsr_db *db, const struct protocol *p, const char *path,
		  const char *reviewer, struct screen_import_result *out);

/*
 * Record the arbiter's final decision on citation at stage (NULL: the
 * citation's current stage: full-text once it passed title-abstract and its
 * full text was retrieved).  verdict include|exclude|maybe (not maybe at
 * full text); reason required for exclusions at full text.  *out_stage
 * (may be NULL) gets the stage used (static string).
 */
int screen_resolve(struct lsr_db *db, const struct protocol *p, int64_t citation,
		   const char *stage, const char *verdict, const char *reason,
		   const char *note, const char *by, const char **out_stage);

/* The live citation an id names now (following merges), or LSR_ENOTFOUND. */
int screen_citation_live(struct lsr_db *db, int64_t id, int64_t *out);

/* ---- agreement (agreement.c) --------------------------------------------- */

/* Agreement of two raters on q categories from a q x q table of counts
 * (row: rater A, column: rater B). */
struct screen_agreement {
	double n;                /* units rated by both */
	double po;               /* observed agreement (proportion) */
	double kappa;            /* Cohen's kappa; NAN when undefined */
	double kappa_se;         /* large-sample SE (Fleiss, Cohen & Everitt 1969) */
	double kappa_lb, kappa_ub; /* 95% CI: kappa -/+ z(0.975) SE, within [-1, 1] */
	double ac1;              /* Gwet's AC1; NAN when undefined */
};

int screen_agreement_table(struct screen_agreement *out, const double *table, int q);

/* ---- queries (screen_query.c) -------------------------------------------- */

/* lsr screen status as one JSON object (schema in docs/cmd/lsr-screen.md). */
int screen_status_json(struct lsr_db *db, struct json_t **out);
/* The same, and the stopping rule (rank.h: screen_stopping_json) into
 * *stopping, from one pass over the title-abstract status for both (the
 * view costs seconds at a million citations). */
int screen_status_stopping_json(struct lsr_db *db, double recall, double confidence,
				struct json_t **status, struct json_t **stopping);
/* The citations needing an arbiter, as an array of objects. */
int screen_conflicts_json(struct lsr_db *db, struct json_t **out);
/* One citation: metadata, rule hits, decisions, flags, status per stage. */
int screen_explain_json(struct lsr_db *db, int64_t citation, struct json_t **out);
/* The reports (citations included at title-abstract) with their status. */
int screen_reports_json(struct lsr_db *db, struct json_t **out);

/* ---- full text (fulltext.c) ---------------------------------------------- */

/* Record that the full text of report citation was retrieved (file may be
 * NULL) or not (reason). */
int screen_fulltext_record(struct lsr_db *db, int64_t citation, int retrieved,
			   const char *file, const char *reason);
/* The same for n citations, all recorded or none (one transaction; the
 * title-abstract statuses read once, not once per citation). */
int screen_fulltext_record_many(struct lsr_db *db, const int64_t *citations, size_t n,
				int retrieved, const char *file, const char *reason);

/* ---- studies (study.c) --------------------------------------------------- */

/* Link reports (citations included at full text) to the study label,
 * creating it when new (one transaction). */
int screen_study_link(struct lsr_db *db, const int64_t *ids, size_t n, const char *label);
/* Unlink reports from their study. */
int screen_study_unlink(struct lsr_db *db, const int64_t *ids, size_t n);
/* Studies with their reports, as an array of objects. */
int screen_studies_json(struct lsr_db *db, struct json_t **out);

/* ---- decisions across merges and splits (carry.c) ------------------------ */

/* Called by screen_citations_merged after the event is recorded. */
int screen_carry_merge(struct lsr_db *db, int64_t event, int64_t kept, int64_t absorbed);
/* Called by screen_citation_split for each new part. */
int screen_carry_split(struct lsr_db *db, int64_t event, int64_t from, int64_t part);

/* ---- read by the report and the PRISMA flow (report_query.c) ------------
 *
 * update: one update (0, 1, ...) or, when negative, the whole review.  A
 * citation belongs to the update of its earliest counted record.
 * Callbacks get rows borrowed for the call only; a non-zero return stops
 * the walk and is returned.
 */

/* *out: records taking part in deduplication not in any citation yet. */
int screen_dedup_ungrouped_count(int64_t *out, struct lsr_db *db);
/* The size of one update: its records taking part in deduplication (live,
 * not removed before screening) and its citations that count
 * (live_citations); the duplicates removed are the difference. */
struct screen_update_size {
	int update_no;
	int64_t records;
	int64_t citations;
};

/* Call fn for each update of the scope with records or citations, in
 * update order: one pass over the review for every update at once. */
int screen_update_sizes(struct lsr_db *db, int update,
			int (*fn)(const struct screen_update_size *c, void *payload), void *payload);

/* Citations of one title-abstract status. */
struct screen_ta_count {
	const char *status;    /* pending, conflict, included, excluded */
	int automation;        /* 1: excluded by the protocol's rules */
	int stopping;          /* 1: excluded by the stopping rule (lsr screen stop) */
	const char *reason;    /* exclusion reason code; "" when none */
	int update_no;         /* the citations' update */
	int64_t n;
};

/* Call fn for each (status, automation, reason, update) of the scope, in
 * that order: the whole review's rows carry each update's share. */
int screen_ta_status_counts(struct lsr_db *db, int update,
			    int (*fn)(const struct screen_ta_count *c, void *payload), void *payload);

/* Reports (citations included at title-abstract) of one full-text status. */
struct screen_ft_count {
	const char *status;    /* awaiting-retrieval, not-retrieved, pending,
				* conflict, included, excluded */
	const char *reason;    /* exclusion reason code; "" when none */
	const char *retrieval_reason; /* why not retrieved; "" when none */
	int update_no;         /* the reports' update */
	int64_t n;
};

/* Call fn for each (status, reason, retrieval_reason, update) of the scope,
 * in that order. */
int screen_ft_status_counts(struct lsr_db *db, int update,
			    int (*fn)(const struct screen_ft_count *c, void *payload), void *payload);

/* Reports included at full text in one update, linked to a study or not. */
struct screen_report_count {
	int update_no;
	int linked;            /* 1: linked to a study */
	int64_t n;
};

/* Call fn for each (update, linked) with included reports, every update. */
int screen_report_included_counts(struct lsr_db *db,
				  int (*fn)(const struct screen_report_count *c, void *payload),
				  void *payload);

/* An included study and the update of its earliest included report. */
struct screen_study_first {
	int64_t study_id;
	const char *label;
	int update_no;
};

/* Call fn for every study with an included report, by label. */
int screen_study_first_updates(struct lsr_db *db,
			       int (*fn)(const struct screen_study_first *s, void *payload),
			       void *payload);

/* An included study with its reports cited for people. */
struct screen_study_reports {
	const char *study;     /* label */
	const char *reports;   /* each report as "title journal year[ doi:DOI][ PMID N]",
				* joined by " | " */
};

/* Call fn for every study with an included report from updates 0 to upto,
 * by label (its reports of those updates only). */
int screen_study_reports_list(struct lsr_db *db, int upto,
			      int (*fn)(const struct screen_study_reports *s, void *payload),
			      void *payload);

/* A report (citation included at title-abstract) decided at full text. */
struct screen_ft_report {
	int64_t citation;
	const char *status;    /* included, excluded (only these two) */
	const char *reason;    /* exclusion reason code; "" when none */
	const char *title;     /* "" when none */
	int year;              /* 0 when unknown */
	int update_no;         /* the report's update */
};

/* Call fn for every report decided at full text (included or excluded)
 * from updates 0 to upto, by citation id. */
int screen_ft_reports_list(struct lsr_db *db, int upto,
			   int (*fn)(const struct screen_ft_report *r, void *payload),
			   void *payload);

/*
 * Write the protocol's screening settings that the status views read
 * (screening.reason_conflicts) into the review's screen_settings table,
 * when they differ from what it holds.  lsr calls it whenever a command
 * has both the database and protocol.yaml (cli/lsr.c).
 */
int screen_settings_sync(struct lsr_db *db, const struct protocol *p);
/* 1 when the review's stored settings differ from protocol.yaml's (a
 * read-only review cannot take them: its counts follow what it holds),
 * 0 when they agree, negative on error. */
int screen_settings_stale(struct lsr_db *db, const struct protocol *p);

#endif
