/*
 * test_store.c - what the pooling stage reads: extract_outcome_data()
 * returns agreed, converted arm data per study with its characteristics,
 * and nothing that is still open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "db/protocol.h"
#include "extract/extract.h"
#include "util/err.h"

#define close_to(got, want, tol) assert_true(fabs((got) - (want)) <= (tol))

static char dir[64];

static void path_of(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	path_of(path, sizeof(path), name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char protocol_yaml[] =
	"lsr_protocol: 1\n"
	"title: t\n"
	"sources: [{name: PubMed}]\n"
	"screening: {reasons: [{code: animal}]}\n"
	"extraction:\n"
	"  extractors: 2\n"
	"  characteristics:\n"
	"    - {name: route, type: choice, values: [intravenous, hepatic artery]}\n"
	"  outcomes:\n"
	"    - {name: ALB, timepoints: [1 month, 3 months]}\n"
	"    - {name: fever, type: dichotomous, timepoints: [30 days]}\n";

#define HEAD "study,outcome,timepoint,arm,n,mean,sd,se,median,q1,q3,events,source\n"

static const char sheet_a[] = HEAD
	"Zhang 2012,ALB,1 month,intervention,30,33.1,3.2,,,,,,T2\n"
	"Zhang 2012,ALB,1 month,control,15,30.2,3.9,,,,,,T2\n"
	"Zhang 2012,ALB,3 months,intervention,30,,,,34.0,31.5,36.5,,T2\n"
	"Zhang 2012,ALB,3 months,control,15,31.0,,0.9,,,,,T2\n"
	"Amer 2011,ALB,1 month,intervention,20,29.9,2.2,,,,,,T1\n"
	"Amer 2011,ALB,1 month,control,20,28.0,2.0,,,,,,T1\n"
	"Amer 2011,fever,30 days,intervention,20,,,,,,,10,T3\n"
	"Amer 2011,fever,30 days,control,20,,,,,,,0,T3\n";

static void test_extract_store__outcome_data(void **state)
{
	struct lsr_db *db = NULL;
	struct protocol *p = NULL;
	struct extract_import_result res;
	struct extract_study_data *d = NULL;
	char path[128];
	size_t n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lsr-store-%d", (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	path_of(path, sizeof(path), "protocol.yaml");
	write_file("protocol.yaml", protocol_yaml);
	assert_int_equal(protocol_load(&p, path), 0);
	path_of(path, sizeof(path), "review.db");
	assert_int_equal(db_open(&db, path, DB_OPEN_CREATE), 0);
	/* the studies screening links (0004_screen) */
	assert_int_equal(db_exec(db, "INSERT INTO studies(label, created_at, actor) VALUES"
				     "('Zhang 2012', '2023-11-14T22:13:20Z', 't'),"
				     " ('Amer 2011', '2023-11-14T22:13:20Z', 't')"), 0);
	write_file("a.csv", sheet_a);
	write_file("c.csv", "study,route,source\nZhang 2012,Intravenous,T1\nAmer 2011,hepatic artery,T1\n");

	path_of(path, sizeof(path), "a.csv");
	assert_int_equal(extract_sheet_import(&res, db, p, path, "alice"), 0);
	assert_int_equal(res.kind, EXTRACT_SHEET_OUTCOMES);
	assert_int_equal(res.rows, 8);
	/* one extractor of the two the protocol asks for: nothing yet */
	assert_int_equal(extract_outcome_data(&d, &n, db, p, "ALB", NULL), 0);
	assert_int_equal(n, 0);
	extract_study_data_free(d, n);

	assert_int_equal(extract_sheet_import(&res, db, p, path, "bob"), 0);
	path_of(path, sizeof(path), "c.csv");
	assert_int_equal(extract_sheet_import(&res, db, p, path, "alice"), 0);
	assert_int_equal(extract_sheet_import(&res, db, p, path, "bob"), 0);

	/* one time point: both studies, by label */
	assert_int_equal(extract_outcome_data(&d, &n, db, p, "ALB", "1 month"), 0);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].study, "Amer 2011");
	assert_string_equal(d[1].study, "Zhang 2012");
	close_to(d[1].n1, 30, 0);
	close_to(d[1].mean1, 33.1, 1e-12);
	close_to(d[1].sd1, 3.2, 1e-12);
	close_to(d[1].n2, 15, 0);
	close_to(d[1].mean2, 30.2, 1e-12);
	assert_string_equal(d[1].method1, "reported");
	assert_int_equal(d[1].characteristics.n, 1);
	assert_string_equal(d[1].characteristics.v[0], "route=intravenous");
	assert_string_equal(d[0].characteristics.v[0], "route=hepatic artery");
	extract_study_data_free(d, n);

	/* every time point: Zhang's 3 months converted, with the method */
	assert_int_equal(extract_outcome_data(&d, &n, db, p, "ALB", NULL), 0);
	assert_int_equal(n, 3);
	assert_string_equal(d[2].study, "Zhang 2012");
	assert_string_equal(d[2].timepoint, "3 months");
	assert_string_equal(d[2].method1, "luo2018-iqr+wan2014-iqr");
	assert_string_equal(d[2].method2, "se");
	close_to(d[2].sd2, 0.9 * sqrt(15), 1e-12);
	extract_study_data_free(d, n);

	/* dichotomous */
	assert_int_equal(extract_outcome_data(&d, &n, db, p, "fever", "30 days"), 0);
	assert_int_equal(n, 1);
	close_to(d[0].events1, 10, 0);
	close_to(d[0].events2, 0, 0);
	assert_true(isnan(d[0].mean1));
	extract_study_data_free(d, n);

	assert_int_equal(extract_outcome_data(&d, &n, db, p, "MELD", NULL), LSR_ENOTFOUND);
	assert_string_equal(lsr_error_last(), "'MELD' is not an outcome in protocol.yaml");

	/* rebuilding the derived data changes nothing */
	assert_int_equal(extract_derive(db, p), 0);
	assert_int_equal(extract_outcome_data(&d, &n, db, p, "ALB", NULL), 0);
	assert_int_equal(n, 3);
	extract_study_data_free(d, n);

	db_close(db);
	protocol_free(p);
	{
		static const char *const files[] = { "protocol.yaml", "review.db", "review.db-wal",
						     "review.db-shm", "a.csv", "c.csv" };

		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			path_of(path, sizeof(path), files[i]);
			unlink(path);
		}
		rmdir(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_store__outcome_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
