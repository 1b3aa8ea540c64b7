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
#include "../db/rows.h"

#define IN_SCOPE(col) " (?1 < 0 OR " col " = ?1)"

/* ---- deduplication and citations ------------------------------------------ */

int screen_dedup_ungrouped_count(int64_t *out, struct lsr_db *db)
{
	return db_rows_int(out, db,
		"SELECT count(*) FROM dedup_records WHERE id NOT IN (SELECT record_id FROM citation_members)",
		0);
}

int screen_dedup_record_count(int64_t *out, struct lsr_db *db, int update)
{
	return db_rows_int(out, db,
		"SELECT count(*) FROM dedup_records r JOIN run_updates ru ON ru.run_id = r.run_id"
		" WHERE" IN_SCOPE("ru.update_no"), update);
}

int screen_citation_count(int64_t *out, struct lsr_db *db, int update)
{
	return db_rows_int(out, db,
		"SELECT count(*) FROM live_citations c JOIN citation_updates cu ON cu.citation_id = c.id"
		" WHERE" IN_SCOPE("cu.update_no"), update);
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
		db_rows_text(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int(st, 4),
		db_rows_text(st, 2), sqlite3_column_int64(st, 3),
	};

	return w->fn(&c, w->payload);
}

int screen_ta_status_counts(struct lsr_db *db, int update,
			    int (*fn)(const struct screen_ta_count *c, void *payload), void *payload)
{
	struct ta_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT t.status, t.decided_by = 'automation', coalesce(t.reason, ''), count(*),"
		" t.decided_by = 'stopping-rule'"
		" FROM screen_ta_status t JOIN citation_updates cu ON cu.citation_id = t.citation_id"
		" WHERE" IN_SCOPE("cu.update_no") " GROUP BY 1, 2, 5, 3 ORDER BY 1, 2, 5, 3",
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
		db_rows_text(st, 0), db_rows_text(st, 1), db_rows_text(st, 2),
		sqlite3_column_int64(st, 3),
	};

	return w->fn(&c, w->payload);
}

int screen_ft_status_counts(struct lsr_db *db, int update,
			    int (*fn)(const struct screen_ft_count *c, void *payload), void *payload)
{
	struct ft_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT f.status, coalesce(f.reason, ''), coalesce(f.retrieval_reason, ''), count(*)"
		" FROM screen_ft_status f JOIN citation_updates cu ON cu.citation_id = f.citation_id"
		" WHERE" IN_SCOPE("cu.update_no") " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
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
		"SELECT cu.update_no, f.citation_id IN (SELECT citation_id FROM study_reports), count(*)"
		" FROM screen_ft_status f JOIN citation_updates cu ON cu.citation_id = f.citation_id"
		" WHERE f.status = 'included' GROUP BY 1, 2", 0, report_row, &w);
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
		"SELECT sr.study_id, sr.label, min(cu.update_no) FROM study_reports sr"
		" JOIN citation_updates cu ON cu.citation_id = sr.citation_id"
		" GROUP BY sr.study_id ORDER BY sr.label", 0, first_row, &w);
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
		"SELECT s.label, group_concat(coalesce(m.title, '') || ' ' || coalesce(m.journal, '')"
		"  || ' ' || coalesce(m.year, '') || coalesce(' doi:' || m.doi, '')"
		"  || coalesce(' PMID ' || m.pmid, ''), ' | ')"
		" FROM study_reports sr JOIN studies s ON s.id = sr.study_id"
		" JOIN citation_updates cu ON cu.citation_id = sr.citation_id"
		" LEFT JOIN citation_metadata m ON m.id = sr.citation_id"
		" WHERE cu.update_no <= ?1 GROUP BY s.id ORDER BY s.label",
		upto, reports_row, &w);
}
