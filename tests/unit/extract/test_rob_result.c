/*
 * test_rob_result.c - the risk-of-bias judgement that stands for a result
 * (extract_rob_result_judgement, read by the GRADE stage): the result's
 * own, else the outcome's for every time point, else the study's; "" when
 * nothing is final.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "db/protocol.h"
#include "extract/extract.h"
#include "util/err.h"

static char dir[64];

static void path_of(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static const char protocol_yaml[] =
	"lsr_protocol: 1\n"
	"title: t\n"
	"sources: [{name: PubMed}]\n"
	"screening: {reasons: [{code: animal}]}\n"
	"extraction:\n"
	"  extractors: 2\n"
	"  risk_of_bias: rob2\n"
	"  rob2_per_timepoint: true\n"
	"  outcomes:\n"
	"    - {name: ALB, timepoints: [1 month, 3 months]}\n"
	"    - {name: fever, type: dichotomous, timepoints: [30 days]}\n";

static void judged(struct lsr_db *db, const char *study, const char *outcome, const char *tp,
		   const char *want)
{
	char got[32] = "unset";

	assert_int_equal(extract_rob_result_judgement(db, study, outcome, tp, got, sizeof(got)), 0);
	assert_string_equal(got, want);
}

static void test_extract_rob__result_judgement(void **state)
{
	struct lsr_db *db = NULL;
	struct protocol *p = NULL;
	enum rob_level lv[ROB1_NDOMAINS + 1];
	char path[128], got[32];
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lsr-rob-result-%d", (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	path_of(path, sizeof(path), "protocol.yaml");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(protocol_yaml, f);
	fclose(f);
	assert_int_equal(protocol_load(&p, path), 0);
	path_of(path, sizeof(path), "review.db");
	assert_int_equal(db_open(&db, path, DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(db, "INSERT INTO studies(label, created_at, actor) VALUES"
				     "('Zhang 2012', '2023-11-14T22:13:20Z', 't'),"
				     " ('Amer 2011', '2023-11-14T22:13:20Z', 't')"), 0);

	/* nothing assessed: no judgement */
	judged(db, "Zhang 2012", "ALB", NULL, "");
	/* the study's judgement stands for every result */
	assert_int_equal(extract_rob_resolve(db, p, "Zhang 2012", NULL, NULL, "overall", "low", "r", NULL), 0);
	judged(db, "Zhang 2012", "ALB", "1 month", "low");
	judged(db, "Zhang 2012", NULL, NULL, "low");
	/* the outcome's, for each of its time points */
	assert_int_equal(extract_rob_resolve(db, p, "Zhang 2012", "ALB", NULL, "overall", "some concerns", "r", NULL), 0);
	judged(db, "Zhang 2012", "ALB", "3 months", "some concerns");
	judged(db, "Zhang 2012", "fever", "30 days", "low");
	/* the result's own, before the outcome's */
	assert_int_equal(extract_rob_resolve(db, p, "Zhang 2012", "ALB", "3 months", "overall", "high", "r", NULL), 0);
	judged(db, "Zhang 2012", "ALB", "3 months", "high");
	judged(db, "Zhang 2012", "ALB", "1 month", "some concerns");
	/* a result that has a record but nothing final does not fall back */
	assert_int_equal(extract_rob_resolve(db, p, "Amer 2011", NULL, NULL, "overall", "low", "r", NULL), 0);
	assert_int_equal(extract_rob_resolve(db, p, "Amer 2011", "fever", NULL, "randomization", "high", "r", NULL), 0);
	judged(db, "Amer 2011", "fever", "30 days", "");
	judged(db, "Amer 2011", "ALB", NULL, "low");
	assert_int_equal(extract_rob_result_levels(lv, db, p, "Amer 2011", "fever", NULL), 0);
	assert_int_equal(lv[0], ROB_HIGH);
	assert_int_equal(lv[ROB2_NDOMAINS], ROB_NONE);

	assert_int_equal(extract_rob_result_judgement(db, "Nobody 2020", "ALB", NULL, got, sizeof(got)),
			 LSR_ENOTFOUND);
	assert_int_equal(extract_rob_resolve(db, p, "Zhang 2012", "MELD", NULL, "overall", "low", "r", NULL),
			 LSR_ENOTFOUND);

	db_close(db);
	protocol_free(p);
	{
		static const char *const files[] = { "protocol.yaml", "review.db", "review.db-wal",
						     "review.db-shm" };

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
		cmocka_unit_test(test_extract_rob__result_judgement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
