/*
 * test_dedup.c - the deduplication engine on records stored directly:
 * identifiers, conflicting DOIs through a third record, stable citation
 * ids across incremental runs, decisions and splits that later runs keep,
 * and the citation events later stages read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/record.h"
#include "screen/screen.h"
#include "util/err.h"
#include "tests/unit/testdb.h"

static char path[64];

static struct lsr_db *open_db(void)
{
	struct lsr_db *db = testdb_open(path, sizeof(path), "dedup");

	assert_int_equal(db_exec(db, "INSERT INTO sources(name, created_at) VALUES('S', 'now');"
				     "INSERT INTO runs(source_id, kind, started_at, actor) VALUES(1, 'import', 'now', 't');"
				     "INSERT INTO runs(source_id, kind, started_at, actor) VALUES(1, 'import', 'now', 't')"), 0);
	return db;
}

static void close_db(struct lsr_db *db)
{
	testdb_close(db, path);
}

/* Store a record: title, first author, year, journal, volume, pages, DOI. */
static int64_t add(struct lsr_db *db, int run, const char *title, const char *author, int year,
		   const char *journal, const char *volume, const char *pages, const char *doi)
{
	static uint64_t pos;
	struct lsr_record r;
	int64_t id = 0;

	record_init(&r);
	buf_adds(&r.title, title);
	if (author)
		strv_push(&r.authors, author);
	r.year = year;
	if (journal)
		buf_adds(&r.journal, journal);
	if (volume)
		buf_adds(&r.volume, volume);
	if (pages)
		buf_adds(&r.pages, pages);
	if (doi)
		buf_adds(&r.doi, doi);
	assert_int_equal(record_finish(&r), 0);
	assert_int_equal(db_record_insert(db, run, ++pos, &r, &id), 0);
	record_release(&r);
	return id;
}

static int64_t citation_of(struct lsr_db *db, int64_t record)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT citation_id FROM citation_members WHERE record_id = ?1");
	int64_t c = 0;

	assert_non_null(st);
	sqlite3_bind_int64(st, 1, record);
	if (sqlite3_step(st) == SQLITE_ROW)
		c = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return c;
}

static int64_t count(struct lsr_db *db, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(db_query_int(db, &n, sql), 0);
	return n;
}

static const char T1[] = "Mesenchymal stem cell therapy for decompensated liver cirrhosis";
static const char T2[] = "Growth factors after partial hepatectomy in adult patients";

static void test_screen_dedup__identifiers_and_conflicts(void **state)
{
	struct lsr_db *db = open_db();
	struct screen_dedup_result res;
	int64_t a, b, c, d, e;

	(void)state;
	a = add(db, 1, T2, "Ito, Ken", 2019, "Surgery", "165", "10-19", "10.1000/P1");
	b = add(db, 1, T2, "Ito, Ken", 2019, "Surgery", "165", "10-19", "10.1000/p2");
	c = add(db, 1, T2, "Ito K", 2019, "Surgery", "165", "10-9", NULL);
	/* a DOI in another form; the title in capitals */
	d = add(db, 1, "MESENCHYMAL STEM CELL THERAPY FOR DECOMPENSATED LIVER CIRRHOSIS", "Smith, J", 2018,
		"Hepatology", "12", "112-20", "https://doi.org/10.1000/X1");
	e = add(db, 1, T1, "Smith J", 2019, "Hepatology", "12", "112-120", "10.1000/x1");
	assert_int_equal(screen_dedup_run(db, NULL, &res), 0);
	assert_int_equal(res.records_total, 5);
	assert_int_equal(res.records_new, 5);
	assert_int_equal(res.citations_live, 3);
	/* a and b never share a citation; c goes with one of them */
	assert_true(citation_of(db, a) != citation_of(db, b));
	assert_true(citation_of(db, c) == citation_of(db, a) || citation_of(db, c) == citation_of(db, b));
	assert_int_equal(count(db, "SELECT count(*) FROM dedup_queue WHERE rule = 'group-conflict'"), 1);
	/* the DOI pass joined d and e */
	assert_int_equal(citation_of(db, d), citation_of(db, e));
	assert_int_equal(count(db, "SELECT count(*) FROM citation_members WHERE rule = 'doi'"), 2);
	close_db(db);
}

static void test_screen_dedup__incremental_and_decisions(void **state)
{
	struct lsr_db *db = open_db();
	struct screen_dedup_result res;
	int64_t a, b, c, d, n, ca, cc, dec = 0, *newids = NULL;
	size_t nnew = 0;
	int64_t part[1];
	const int64_t *parts[1] = { part };
	size_t npart[1] = { 1 };

	(void)state;
	a = add(db, 1, T1, "Smith, John", 2018, "Hepatology", "12", "112-120", NULL);
	b = add(db, 1, T1, "Smith J", 2018, "Hepatol", "12", "112-20", NULL);
	c = add(db, 1, T2, "Ito, Ken", 2019, "Surgery", "165", "10-19", NULL);
	d = add(db, 1, "Erratum: Mesenchymal stem cell therapy for decompensated liver cirrhosis",
		"Smith, John", 2018, "Hepatology", "12", "450", NULL);
	assert_int_equal(screen_dedup_run(db, NULL, &res), 0);
	ca = citation_of(db, a);
	cc = citation_of(db, c);
	assert_int_equal(citation_of(db, b), ca);
	assert_true(citation_of(db, d) != ca); /* the erratum stays apart */
	assert_int_equal(res.citations_live, 3);

	/* a person splits b off; a run does not merge it again */
	part[0] = b;
	assert_int_equal(screen_dedup_split(db, ca, parts, npart, 1, "Ann", "test", &newids, &nnew), 0);
	assert_int_equal(nnew, 1);
	assert_int_equal(citation_of(db, b), newids[0]);
	assert_int_equal(citation_of(db, a), ca); /* the larger part (tie: the representative) keeps the id */
	assert_int_equal(count(db, "SELECT count(*) FROM citation_events WHERE kind = 'split'"), 1);

	/* later: a new record like a and b; it joins one, never bridges them */
	n = add(db, 2, T1, "Smith, J.", 2018, "Hepatology", "12", "112-120", NULL);
	assert_int_equal(screen_dedup_run(db, NULL, &res), 0);
	assert_int_equal(res.records_new, 1);
	assert_int_equal(citation_of(db, a), ca);
	assert_int_equal(citation_of(db, c), cc);
	assert_true(citation_of(db, a) != citation_of(db, b));
	assert_true(citation_of(db, n) == ca || citation_of(db, n) == newids[0]);

	/* the person changes their mind: same */
	assert_int_equal(screen_dedup_decide(db, a, b, SCREEN_SAME, 0, "Bob", NULL, &dec), 0);
	assert_true(dec > 0);
	assert_int_equal(citation_of(db, a), citation_of(db, b));
	assert_int_equal(count(db, "SELECT count(*) FROM citation_events WHERE kind = 'merge'"), 1);
	assert_int_equal(screen_dedup_run(db, NULL, &res), 0);
	assert_int_equal(citation_of(db, a), citation_of(db, b));
	/* and 'different' on a pair in one citation separates them */
	assert_int_equal(screen_dedup_decide(db, a, b, SCREEN_DIFFERENT, 0, "Carl", NULL, &dec), 0);
	assert_true(citation_of(db, a) != citation_of(db, b));
	assert_int_equal(screen_dedup_run(db, NULL, &res), 0);
	assert_true(citation_of(db, a) != citation_of(db, b));

	/* errors leave the database as it was */
	assert_int_equal(screen_dedup_decide(db, a, 9999, SCREEN_SAME, 0, "Bob", NULL, NULL), LSR_ENOTFOUND);
	assert_string_equal(lsr_error_last(), "no record 9999");
	assert_int_equal(screen_dedup_decide(db, a, b, SCREEN_SAME, 0, "", NULL, NULL), LSR_EUSAGE);
	part[0] = c;
	assert_int_equal(screen_dedup_split(db, ca, parts, npart, 1, "Ann", NULL, NULL, NULL), LSR_ENOTFOUND);
	assert_int_equal(count(db, "SELECT count(*) FROM dedup_decisions"), 3);
	free(newids);
	close_db(db);
}

static void test_screen_dedup__events(void **state)
{
	struct lsr_db *db = open_db();
	int64_t parts[2] = { 0, 0 };

	(void)state;
	assert_int_equal(db_exec(db, "INSERT INTO citations(created_at) VALUES('x'), ('x'), ('x')"), 0);
	assert_int_equal(screen_citations_merged(db, 1, 2, "Ann"), 0);
	parts[0] = 2;
	parts[1] = 3;
	assert_int_equal(screen_citation_split(db, 1, parts, 2, NULL), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM citation_events WHERE kind = 'merge'"
				   " AND citation_id = 1 AND other_id = 2 AND actor = 'Ann'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM citation_events WHERE kind = 'split'"
				   " AND citation_id = 1"), 2);
	close_db(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen_dedup__identifiers_and_conflicts),
		cmocka_unit_test(test_screen_dedup__incremental_and_decisions),
		cmocka_unit_test(test_screen_dedup__events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
