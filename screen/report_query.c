/*
 * report_query.c - what the report and the PRISMA flow (report/) read of
 * screen/'s tables and views: records taking part in deduplication,
 * citations, the title-abstract and full-text status, studies and their
 * reports (declared in the block at the end of screen.h).
 *
 * Scope follows the PRISMA flow: a citation belongs to the update of its
 * earliest counted record (view citation_updates).  In the queries ?1 is
 * the update, negative for the whole review.  db/rows.h checks every step.
 */
#include "screen.h"
#include "screen_int.h"
#include "../db/rows.h"

#define IN_SCOPE(col) " (?1 < 0 OR " col " = ?1)"


/* ---- deduplication and citations ------------------------------------------ */

int screen_dedup_ungrouped_count(int64_t *out, struct lsr_db *db)
{
	return db_rows_int(out, db,
		"SELECT count(*) FROM dedup_records WHERE id NOT IN (SELECT record_id FROM citation_members)",
		0);
}

struct size_walk {
	int (*fn)(const struct screen_update_size *c, void *payload);
	void *payload;
};

static int size_row(sqlite3_stmt *st, void *payload)
{
	struct size_walk *w = payload;
	struct screen_update_size c = {
		.update_no = sqlite3_column_int(st, 0),
		.records = sqlite3_column_int64(st, 1),
		.citations = sqlite3_column_int64(st, 2),
	};

	return w->fn(&c, w->payload);
}

int screen_update_sizes(struct lsr_db *db, int update,
			int (*fn)(const struct screen_update_size *c, void *payload), void *payload)
{
	struct size_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT u, sum(records), sum(citations) FROM ("
		"  SELECT ru.update_no AS u, count(*) AS records, 0 AS citations"
		"  FROM dedup_records r JOIN run_updates ru ON ru.run_id = r.run_id"
		"  WHERE" IN_SCOPE("ru.update_no") " GROUP BY 1"
		"  UNION ALL"
		"  SELECT update_no, 0, count(*) FROM citation_updates" /* = live_citations */
		"  WHERE" IN_SCOPE("update_no") " GROUP BY 1)"
		" GROUP BY u ORDER BY u",
		update, size_row, &w);
}

/* ---- screening status ------------------------------------------------------- */

struct ta_walk {
	int (*fn)(const struct screen_ta_count *c, void *payload);
	void *payload;
};

static int ta_row(sqlite3_stmt *st, void *payload)
{
	struct ta_walk *w = payload;
	struct screen_ta_count c = {
		.status = db_rows_text(st, 0), .automation = sqlite3_column_int(st, 1),
		.reason = db_rows_text(st, 2), .update_no = sqlite3_column_int(st, 3),
		.n = sqlite3_column_int64(st, 4), .stopping = sqlite3_column_int(st, 5),
	};

	return w->fn(&c, w->payload);
}

int screen_ta_status_counts(struct lsr_db *db, int update,
			    int (*fn)(const struct screen_ta_count *c, void *payload), void *payload)
{
	struct ta_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT t.status, t.decided_by = 'automation', coalesce(t.reason, ''), t.update_no,"
		" count(*), t.decided_by = 'stopping-rule' FROM screen_ta_status t"
		" WHERE" IN_SCOPE("t.update_no") " GROUP BY 1, 2, 6, 3, 4 ORDER BY 1, 2, 6, 3, 4",
		update, ta_row, &w);
}

struct ft_walk {
	int (*fn)(const struct screen_ft_count *c, void *payload);
	void *payload;
};

static int ft_row(sqlite3_stmt *st, void *payload)
{
	struct ft_walk *w = payload;
	struct screen_ft_count c = {
		.status = db_rows_text(st, 0), .reason = db_rows_text(st, 1),
		.retrieval_reason = db_rows_text(st, 2), .update_no = sqlite3_column_int(st, 3),
		.n = sqlite3_column_int64(st, 4),
	};

	return w->fn(&c, w->payload);
}

int screen_ft_status_counts(struct lsr_db *db, int update,
			    int (*fn)(const struct screen_ft_count *c, void *payload), void *payload)
{
	struct ft_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT status, reason, retrieval_reason, u, count(*) FROM ("
		"  SELECT f.status, coalesce(f.reason, '') AS reason,"
		"   coalesce(f.retrieval_reason, '') AS retrieval_reason,"
		"   " SQL_CITATION_UPDATE("f.citation_id") " AS u FROM screen_ft_status f)"
		" WHERE" IN_SCOPE("u") " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
		update, ft_row, &w);
}

struct report_walk {
	int (*fn)(const struct screen_report_count *c, void *payload);
	void *payload;
};

static int report_row(sqlite3_stmt *st, void *payload)
{
	struct report_walk *w = payload;
	struct screen_report_count c = {
		sqlite3_column_int(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int64(st, 2),
	};

	return w->fn(&c, w->payload);
}

int screen_report_included_counts(struct lsr_db *db,
				  int (*fn)(const struct screen_report_count *c, void *payload),
				  void *payload)
{
	struct report_walk w = { fn, payload };

	return db_rows_each(db,
		"WITH linked AS MATERIALIZED (SELECT citation_id FROM study_reports)"
		" SELECT " SQL_CITATION_UPDATE("f.citation_id") ", f.citation_id IN linked, count(*)"
		" FROM screen_ft_status f WHERE f.status = 'included' GROUP BY 1, 2", 0, report_row, &w);
}

/* ---- studies ------------------------------------------------------------------ */

struct first_walk {
	int (*fn)(const struct screen_study_first *s, void *payload);
	void *payload;
};

static int first_row(sqlite3_stmt *st, void *payload)
{
	struct first_walk *w = payload;
	struct screen_study_first s = {
		sqlite3_column_int64(st, 0), db_rows_text(st, 1), sqlite3_column_int(st, 2),
	};

	return w->fn(&s, w->payload);
}

int screen_study_first_updates(struct lsr_db *db,
			       int (*fn)(const struct screen_study_first *s, void *payload),
			       void *payload)
{
	struct first_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT sr.study_id, sr.label, min(" SQL_CITATION_UPDATE("sr.citation_id") ")"
		" FROM study_reports sr GROUP BY sr.study_id ORDER BY sr.label", 0, first_row, &w);
}

struct reports_walk {
	int (*fn)(const struct screen_study_reports *s, void *payload);
	void *payload;
};

static int reports_row(sqlite3_stmt *st, void *payload)
{
	struct reports_walk *w = payload;
	struct screen_study_reports s = { db_rows_text(st, 0), db_rows_text(st, 1) };

	return w->fn(&s, w->payload);
}

int screen_study_reports_list(struct lsr_db *db, int upto,
			      int (*fn)(const struct screen_study_reports *s, void *payload),
			      void *payload)
{
	struct reports_walk w = { fn, payload };

	return db_rows_each(db,
		/* citation_metadata looked up per report: as the right side of a
		 * LEFT JOIN SQLite would build it for every citation first */
		"SELECT s.label, group_concat(coalesce((SELECT coalesce(m.title, '') || ' '"
		"  || coalesce(m.journal, '') || ' ' || coalesce(m.year, '')"
		"  || coalesce(' doi:' || m.doi, '') || coalesce(' PMID ' || m.pmid, '')"
		"  FROM citation_metadata m WHERE m.id = sr.citation_id), '  '), ' | ')"
		" FROM study_reports sr JOIN studies s ON s.id = sr.study_id"
		" WHERE " SQL_CITATION_UPDATE("sr.citation_id") " <= ?1 GROUP BY s.id ORDER BY s.label",
		upto, reports_row, &w);
}

/* ---- reports decided at full text ------------------------------------------ */

struct ft_reports_walk {
	int (*fn)(const struct screen_ft_report *r, void *payload);
	void *payload;
};

static int ft_report_row(sqlite3_stmt *st, void *payload)
{
	struct ft_reports_walk *w = payload;
	struct screen_ft_report r = {
		.citation = sqlite3_column_int64(st, 0), .status = db_rows_text(st, 1),
		.reason = db_rows_text(st, 2), .title = db_rows_text(st, 3),
		.year = sqlite3_column_int(st, 4), .update_no = sqlite3_column_int(st, 5),
	};

	return w->fn(&r, w->payload);
}

int screen_ft_reports_list(struct lsr_db *db, int upto,
			   int (*fn)(const struct screen_ft_report *r, void *payload),
			   void *payload)
{
	struct ft_reports_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT citation_id, status, reason, title, year, u FROM ("
		"  SELECT f.citation_id, f.status, coalesce(f.reason, '') AS reason,"
		"   coalesce((SELECT m.title FROM citation_metadata m WHERE m.id = f.citation_id), '') AS title,"
		"   coalesce((SELECT m.year FROM citation_metadata m WHERE m.id = f.citation_id), 0) AS year,"
		"   " SQL_CITATION_UPDATE("f.citation_id") " AS u"
		"  FROM screen_ft_status f WHERE f.status IN ('included', 'excluded'))"
		" WHERE u <= ?1 ORDER BY citation_id",
		upto, ft_report_row, &w);
}
