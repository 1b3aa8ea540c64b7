/*
 * test_read.c - the stage functions report/ reads the review through
 * (update.h, screen.h and extract.h, the report_query.c files): on a
 * review with sources and runs but nothing screened every count is zero
 * and no row is handed out; sources come in the order they were added;
 * the date of an update is its window's end, else the day of its latest
 * run; a callback's non-zero return stops the walk; a broken schema is
 * LSR_EDB naming the SQL.  The counts on real data are checked through
 * lsr prisma and lsr report (tests/cli/t8001, t8101).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/update.h"
#include "extract/extract.h"
#include "report/prisma.h"
#include "screen/screen.h"
#include "util/err.h"
#include "tests/unit/testdb.h"

static char path[64];

static struct lsr_db *open_db(void)
{
	struct lsr_db *db = testdb_open(path, sizeof(path), "read");

	assert_int_equal(db_exec(db,
		"INSERT INTO sources(name, kind, created_at) VALUES('Trials <reg>', 'register', 'now');"
		"INSERT INTO sources(name, kind, created_at) VALUES('PubMed', 'database', 'now');"
		"INSERT INTO runs(source_id, kind, started_at, actor) VALUES(2, 'import', '2023-05-02T09:00:00Z', 't');"
		"INSERT INTO runs(source_id, kind, started_at, actor) VALUES(1, 'import', '2023-05-03T17:30:00Z', 't');"
		"INSERT INTO runs(source_id, kind, started_at, actor) VALUES(2, 'import', '2023-06-09T08:00:00Z', 't');"
		"INSERT INTO updates(no, started_at, first_run_id, actor) VALUES(1, '2023-06-09', 3, 't');"
		"INSERT INTO updates(no, started_at, first_run_id, until, actor) VALUES(2, '2023-07-01', 4, '2023-06-30', 't')"),
		0);
	return db;
}

static void close_db(struct lsr_db *db)
{
	testdb_close(db, path);
}

struct sources_seen {
	char names[4][32];
	char kinds[4][16];
	int64_t n[4];
	int count, stop;
};

static int source_seen(const struct update_source_count *c, void *payload)
{
	struct sources_seen *s = payload;

	assert_true(s->count < 4);
	snprintf(s->names[s->count], sizeof(s->names[0]), "%s", c->name);
	snprintf(s->kinds[s->count], sizeof(s->kinds[0]), "%s", c->kind);
	s->n[s->count++] = c->n;
	return s->count == s->stop ? -5 : 0;
}

static int never_ta(const struct screen_ta_count *c, void *payload) { fail(); return 0; }
static int never_ft(const struct screen_ft_count *c, void *payload) { fail(); return 0; }
static int never_size(const struct screen_update_size *c, void *payload) { fail(); return 0; }
static int never_report(const struct screen_report_count *c, void *payload) { fail(); return 0; }
static int never_first(const struct screen_study_first *s, void *payload) { fail(); return 0; }
static int never_reports(const struct screen_study_reports *s, void *payload) { fail(); return 0; }
static int never_flag(const struct update_flag *f, void *payload) { fail(); return 0; }
static int never_ill(const struct extract_illustrative *it, void *payload) { fail(); return 0; }

static void test_report_read__nothing_screened(void **state)
{
	struct lsr_db *db = open_db();
	struct sources_seen s;
	int64_t n;
	struct prisma x;

	(void)state;
	for (int update = -1; update <= 2; update++) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(update_source_counts(db, update, source_seen, &s), 0);
		assert_int_equal(s.count, 2);
		assert_string_equal(s.names[0], "Trials <reg>");
		assert_string_equal(s.kinds[0], "register");
		assert_string_equal(s.names[1], "PubMed");
		assert_string_equal(s.kinds[1], "database");
		assert_int_equal(s.n[0] + s.n[1], 0);
		n = 9;
		assert_int_equal(update_removed_count(&n, db, update), 0);
		assert_int_equal(n, 0);
		assert_int_equal(screen_update_sizes(db, update, never_size, NULL), 0);
		assert_int_equal(screen_ta_status_counts(db, update, never_ta, NULL), 0);
		assert_int_equal(screen_ft_status_counts(db, update, never_ft, NULL), 0);
		assert_int_equal(screen_study_reports_list(db, update, never_reports, NULL), 0);
		assert_int_equal(update_flags_list(db, update, never_flag, NULL), 0);
	}
	n = 9;
	assert_int_equal(screen_dedup_ungrouped_count(&n, db), 0);
	assert_int_equal(n, 0);
	assert_int_equal(screen_report_included_counts(db, never_report, NULL), 0);
	assert_int_equal(screen_study_first_updates(db, never_first, NULL), 0);
	assert_int_equal(extract_illustrative_items(db, never_ill, NULL), 0);
	n = 9;
	assert_int_equal(extract_rob_count(&n, db), 0);
	assert_int_equal(n, 0);
	/* and the flow built from them: all zero, the arithmetic holds */
	assert_int_equal(prisma_compute(&x, db, NULL, 1), 0);
	assert_int_equal(x.nupdates, 2);
	assert_int_equal(x.identified_databases.n, 1);
	assert_int_equal(x.identified_registers.n, 1);
	assert_int_equal(x.identified_total + x.screened + x.total_studies, 0);
	prisma_release(&x);
	close_db(db);
}

static void test_report_read__update_date(void **state)
{
	struct lsr_db *db = open_db();
	char date[11];

	(void)state;
	assert_int_equal(update_date(date, sizeof(date), db, 0), 0);
	assert_string_equal(date, "2023-05-03"); /* no window: its latest run */
	assert_int_equal(update_date(date, sizeof(date), db, 1), 0);
	assert_string_equal(date, "2023-06-09");
	assert_int_equal(update_date(date, sizeof(date), db, 2), 0);
	assert_string_equal(date, "2023-06-30"); /* the window's end (no run) */
	assert_int_equal(update_date(date, sizeof(date), db, 3), 0);
	assert_string_equal(date, "");
	close_db(db);
}

static void test_report_read__stop_and_errors(void **state)
{
	struct lsr_db *db = open_db();
	struct sources_seen s;
	char date[11] = "x";

	(void)state;
	memset(&s, 0, sizeof(s));
	s.stop = 1;
	assert_int_equal(update_source_counts(db, -1, source_seen, &s), -5);
	assert_int_equal(s.count, 1);
	assert_int_equal(db_exec(db, "DROP VIEW study_reports"), 0);
	assert_int_equal(screen_study_first_updates(db, never_first, NULL), LSR_EDB);
	assert_non_null(strstr(lsr_error_last(), "study_reports"));
	assert_non_null(strstr(lsr_error_last(), "(in: SELECT sr.study_id, sr.label"));
	assert_int_equal(update_flags_list(db, 0, never_flag, NULL), LSR_EDB);
	assert_non_null(strstr(lsr_error_last(), "(in: SELECT DISTINCT f.update_no"));
	assert_int_equal(db_exec(db, "DROP VIEW run_updates"), 0);
	assert_int_equal(update_date(date, sizeof(date), db, 0), LSR_EDB);
	assert_string_equal(date, "");
	assert_non_null(strstr(lsr_error_last(), "run_updates"));
	close_db(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_read__nothing_screened),
		cmocka_unit_test(test_report_read__update_date),
		cmocka_unit_test(test_report_read__stop_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
