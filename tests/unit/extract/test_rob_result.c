/*
 * test_rob_result.c - the risk-of-bias judgement that stands for a result
 * (extract_rob_result_judgement, read by the GRADE stage): the result's
 * own, else the outcome's for every time point, else the study's; "" when
 * nothing is final.  RoB 1 with extraction.rob1_per_outcome: per domain,
 * the outcome's judgement in the listed domains, else the study's.
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

static const char rob1_yaml[] =
	"lsr_protocol: 1\n"
	"title: t\n"
	"sources: [{name: PubMed}]\n"
	"screening: {reasons: [{code: animal}]}\n"
	"extraction:\n"
	"  extractors: 1\n"
	"  risk_of_bias: rob1\n"
	"  rob1_per_outcome: [blinding-outcome, incomplete-data]\n"
	"  outcomes:\n"
	"    - {name: ALB, timepoints: [1 month, 3 months]}\n"
	"    - {name: fever, type: dichotomous, timepoints: [30 days]}\n";

/* a review in a new directory with yaml as its protocol and two studies */
static void open_review(struct lsr_db **db, struct protocol **p, const char *yaml)
{
	char path[128];
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/lsr-rob-result-%d", (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	path_of(path, sizeof(path), "protocol.yaml");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(yaml, f);
	fclose(f);
	assert_int_equal(protocol_load(p, path), 0);
	path_of(path, sizeof(path), "review.db");
	assert_int_equal(db_open(db, path, DB_OPEN_CREATE), 0);
	assert_int_equal(db_exec(*db, "INSERT INTO studies(label, created_at, actor) VALUES"
				      "('Zhang 2012', '2023-11-14T22:13:20Z', 't'),"
				      " ('Amer 2011', '2023-11-14T22:13:20Z', 't')"), 0);
}

static void close_review(struct lsr_db *db, struct protocol *p)
{
	static const char *const files[] = { "protocol.yaml", "review.db", "review.db-wal",
					     "review.db-shm" };
	char path[128];

	db_close(db);
	protocol_free(p);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path_of(path, sizeof(path), files[i]);
		unlink(path);
	}
	rmdir(dir);
}

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
	char got[32];

	(void)state;
	open_review(&db, &p, protocol_yaml);

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

	close_review(db, p);
}

/* every RoB 1 domain of study judged at study level as j */
static void rob1_study(struct lsr_db *db, const struct protocol *p, const char *study, const char *j)
{
	for (size_t d = 0; d < ROB1_NDOMAINS; d++)
		assert_int_equal(extract_rob_resolve(db, p, study, NULL, NULL, extract_rob1_domains[d].code,
						     j, "r", NULL), 0);
}

static void test_extract_rob__rob1_per_outcome(void **state)
{
	struct lsr_db *db = NULL;
	struct protocol *p = NULL;
	enum rob_level lv[ROB1_NDOMAINS + 1];
	const int bo = 3, id = 4; /* blinding-outcome, incomplete-data */

	(void)state;
	assert_string_equal(extract_rob1_domains[bo].code, "blinding-outcome");
	assert_string_equal(extract_rob1_domains[id].code, "incomplete-data");
	open_review(&db, &p, rob1_yaml);

	/* every domain low for the study: low for every outcome */
	rob1_study(db, p, "Zhang 2012", "low");
	judged(db, "Zhang 2012", "ALB", "1 month", "low");
	/* detection bias high for fever only: fever high (the summary rule),
	 * ALB and the study level still low */
	assert_int_equal(extract_rob_resolve(db, p, "Zhang 2012", "fever", NULL, "blinding-outcome", "high",
					     "r", NULL), 0);
	judged(db, "Zhang 2012", "fever", "30 days", "high");
	judged(db, "Zhang 2012", "ALB", NULL, "low");
	judged(db, "Zhang 2012", NULL, NULL, "low");
	assert_int_equal(extract_rob_result_levels(lv, db, p, "Zhang 2012", "fever", "30 days"), 0);
	assert_int_equal(lv[bo], ROB_HIGH);
	assert_int_equal(lv[id], ROB_LOW); /* the study's: fever has none of its own */
	assert_int_equal(lv[0], ROB_LOW);
	assert_int_equal(lv[ROB1_NDOMAINS], ROB_HIGH);
	/* an outcome's judgement in a domain judged per study is refused, and
	 * RoB 1 has no time points */
	assert_int_equal(extract_rob_resolve(db, p, "Zhang 2012", "ALB", NULL, "random-sequence", "high",
					     "r", NULL), LSR_EUSAGE);
	assert_int_equal(extract_rob_resolve(db, p, "Zhang 2012", "ALB", "1 month", "blinding-outcome",
					     "high", "r", NULL), LSR_EUSAGE);
	/* unclear attrition bias for ALB: ALB unclear, fever the study's low */
	rob1_study(db, p, "Amer 2011", "low");
	assert_int_equal(extract_rob_resolve(db, p, "Amer 2011", "ALB", NULL, "incomplete-data", "unclear",
					     "r", NULL), 0);
	judged(db, "Amer 2011", "ALB", "3 months", "unclear");
	judged(db, "Amer 2011", "fever", NULL, "low");

	close_review(db, p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_rob__result_judgement),
		cmocka_unit_test(test_extract_rob__rob1_per_outcome),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
