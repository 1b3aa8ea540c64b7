/*
 * report_query.c - what the report (report/) reads of extract/'s tables:
 * which extracted values are illustrative, and whether any risk of bias
 * was recorded (declared in the block at the end of extract.h).
 * db/rows.h checks every step.
 */
#include "extract.h"
#include "../db/rows.h"

struct illustrative_walk {
	int (*fn)(const struct extract_illustrative *it, void *payload);
	void *payload;
};

static int illustrative_row(sqlite3_stmt *st, void *payload)
{
	struct illustrative_walk *w = payload;
	struct extract_illustrative it = { db_rows_text(st, 0), db_rows_text(st, 1) };

	return w->fn(&it, w->payload);
}

int extract_illustrative_items(struct lsr_db *db,
			       int (*fn)(const struct extract_illustrative *it, void *payload),
			       void *payload)
{
	struct illustrative_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT DISTINCT s.label, coalesce(v.outcome, '') FROM extraction_values v"
		" JOIN studies s ON s.id = v.study_id WHERE v.source LIKE '%illustrative%'"
		" ORDER BY 1, 2", 0, illustrative_row, &w);
}

int extract_rob_count(int64_t *out, struct lsr_db *db)
{
	return db_rows_int(out, db, "SELECT count(*) FROM rob_values", 0);
}
