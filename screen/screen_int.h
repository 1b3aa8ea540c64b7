/*
 * screen_int.h - what the deduplication files share: the in-memory record
 * a run compares, and the pair comparison.  Private to screen/.
 */
#ifndef LSR_SCREEN_INT_H
#define LSR_SCREEN_INT_H

#include "screen.h"

#include <stdint.h>

/*
 * One record as a dedup run holds it: normalised once, compared many times.
 * Strings live in the run's arena (offsets; 0 is the empty string).
 */
struct drec {
	int64_t id;           /* records.id */
	int64_t citation;     /* citation it belongs to, 0 when not yet grouped */
	int64_t old_rep;      /* that citation's stored representative */
	uint64_t h_doi;       /* hash of the normalised DOI, 0 none */
	uint64_t h_pmcid;     /* 0 none */
	uint64_t h_numbers;   /* hash of the title's number tokens, 0 none */
	int64_t pmid;         /* 0 none */
	uint32_t title;       /* normalised title (words) */
	uint32_t authors;     /* surnames, space-separated, first 16 */
	uint32_t given;       /* their first given names or initials, "-" none */
	uint32_t journal;     /* normalised journal */
	uint32_t journal2;    /* normalised journal abbreviation */
	uint32_t volume;
	uint32_t issue;
	uint32_t pages;       /* normalised pages ("112-120") */
	uint16_t title_len;
	uint16_t nauthors;
	int16_t year;         /* 0 unknown */
	uint8_t kind;         /* enum screen_kind */
	uint8_t generic;      /* title too generic to match on alone */
	uint8_t was_unique;   /* grouped before as a singleton (pass 'new') */
	int32_t completeness; /* for choosing the representative */
};

/* How a pair compares, field by field (for explain and the export). */
struct dpair_fields {
	float title;          /* 0..1 similarity, -1 unknown */
	float authors;        /* share of surnames in common, -1 unknown */
	int8_t first_author;  /* 1 same, 0 different, -1 unknown */
	int8_t year;          /* |difference| (0..9), -1 unknown */
	int8_t journal;       /* 2 same, 1 abbreviation, 0 different, -1 unknown */
	int8_t volume;        /* 1 same, 0 different, -1 unknown */
	int8_t issue;
	int8_t pages;         /* 2 same range, 1 same first page, 0 different, -1 unknown */
	int8_t doi;           /* 1 same, 0 conflict, -1 unknown */
	int8_t pmid;
	int8_t numbers;       /* title numbers: 1 agree, 0 differ, -1 none */
	int8_t kind;          /* 1 same kind, 0 differ */
};

enum dpair_class { DPAIR_DIFFERENT = 0, DPAIR_UNCERTAIN = 1, DPAIR_SAME = 2 };

enum dpair_rule {
	RULE_NONE,
	RULE_DOI, RULE_PMID, RULE_PMCID, RULE_ACCESSION,   /* identifier pass */
	RULE_FIELDS,                                       /* fields pass */
	RULE_BIBLIO,                                       /* no title: journal/volume/pages/author */
	RULE_DOI_CONFLICT, RULE_PMID_CONFLICT, RULE_KIND, RULE_NUMBERS,
	RULE_YEAR, RULE_WEAK, RULE_DOI_TITLE, RULE_GROUP_CONFLICT,
	RULE_COUNT
};

struct dpair_result {
	uint8_t cls;          /* enum dpair_class */
	uint8_t rule;         /* enum dpair_rule */
	float score;          /* evidence points */
	struct dpair_fields f;
};

/*
 * The first given name of an author (normalize.c), as the surname/given
 * name swap is looked for: "Carignani, Andrea" -> "andrea", "Wang XG" ->
 * "x", "Andrea, C." -> "c" (an initial is one letter), "Smith" -> "".
 */
int screen_norm_given(struct buf *out, const char *author);

/* Choose the representative of citation again from its members: the most
 * complete member taking part in grouping (dedup.c). */
int dedup_choose_representative(struct lsr_db *db, int64_t citation);

/* The name of a rule as stored ("doi", "fields", "kind-differs", ...). */
const char *dedup_rule_name(int rule);
/* The pass a rule belongs to: "identifier" or "fields". */
const char *dedup_rule_pass(int rule);

/* Compare two records; arena holds their strings; shared_accession is 1
 * when they share an accession number or source identifier. */
void dedup_compare(const struct drec *a, const struct drec *b, const char *arena,
		   int shared_accession, struct dpair_result *out);

/* The per-field scores as a JSON object (appended to out). */
int dedup_fields_json(struct buf *out, const struct dpair_fields *f);

/* Levenshtein similarity of a and b: 1 - distance / max length, computed
 * exactly when it is at least min_sim, else any value below min_sim. */
double dedup_similarity(const char *a, size_t la, const char *b, size_t lb, double min_sim);

/*
 * SQL fragments for queries about one update's citations, shared by the
 * stage's own query files (report_query.c, counts.c); nothing outside
 * screen/ sees them.
 *
 * SQL_CITATION_UPDATE(col): the update of one citation (col names its
 * id), i.e. citation_updates for a handful of rows.  Joining that view
 * makes SQLite group every citation of the review first; a lookup costs
 * what is asked about, not what was found.
 *
 * SQL_UPDATE_CITATIONS: the citations first counted in update ?1 (column
 * id), found from that update's own records.
 */
#define SQL_CITATION_UPDATE(col) \
	"(SELECT min(ru.update_no) FROM citation_members m" \
	" JOIN dedup_records r ON r.id = m.record_id" \
	" JOIN run_updates ru ON ru.run_id = r.run_id WHERE m.citation_id = " col ")"
#define SQL_UPDATE_RECORDS \
	"dedup_records ur JOIN citation_members um ON um.record_id = ur.id" \
	" WHERE ur.run_id IN (SELECT run_id FROM run_updates WHERE update_no = ?1)"
#define SQL_UPDATE_CITATIONS \
	"SELECT DISTINCT um.citation_id AS id FROM " SQL_UPDATE_RECORDS \
	" AND " SQL_CITATION_UPDATE("um.citation_id") " = ?1"

#endif
