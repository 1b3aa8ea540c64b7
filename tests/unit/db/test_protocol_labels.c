/*
 * test_protocol_labels.c - protocol.yaml's label: of characteristics,
 * outcomes and analyses (the name when absent) and an analysis's
 * published: result (kept as printed; source required).
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

#include "db/protocol.h"
#include "util/err.h"

static char path[64];

static void write_file(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/lsr-proto-labels-%d.yaml", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char head[] =
	"lsr_protocol: 1\ntitle: t\nsources: [{name: A}]\n"
	"extraction:\n"
	"  characteristics:\n"
	"    - {name: n_randomised, type: integer, label: Participants randomised}\n"
	"    - {name: country}\n"
	"  outcomes:\n"
	"    - {name: MELD, label: MELD score, timepoints: [1 month]}\n"
	"    - {name: ALB}\n"
	"analyses:\n"
	"  list:\n"
	"    - {name: meld-1m, label: MELD score at 1 month, outcome: MELD, timepoint: 1 month,\n"
	"       published: {measure: SMD, estimate: \"-0.27\", ci_lb: \"\xe2\x88\x92" "0.59\", ci_ub: \"-0.05\",\n"
	"                   p: \"<0.001\", i2: \"45\", k: \"6\", source: Lu 2023}}\n";

static void test_db_protocol_labels__decode(void **state)
{
	struct protocol *p = NULL;
	const struct protocol_analysis *a;
	char yaml[2048];

	(void)state;
	snprintf(yaml, sizeof(yaml), "%s    - {name: alb, outcome: ALB}\n", head);
	write_file(yaml);
	assert_int_equal(protocol_load(&p, path), 0);
	assert_string_equal(protocol_characteristic_label(&p->characteristics[0]), "Participants randomised");
	assert_string_equal(protocol_characteristic_label(&p->characteristics[1]), "country");
	assert_string_equal(protocol_outcome_label(&p->outcomes[0]), "MELD score");
	assert_string_equal(protocol_outcome_label(&p->outcomes[1]), "ALB");
	a = protocol_analysis_find(p, "meld-1m");
	assert_non_null(a);
	assert_string_equal(protocol_analysis_label(a), "MELD score at 1 month");
	assert_string_equal(a->published.measure, "SMD");
	assert_string_equal(a->published.estimate, "-0.27");
	assert_string_equal(a->published.ci_lb, "\xe2\x88\x92" "0.59");
	assert_string_equal(a->published.p, "<0.001");
	assert_string_equal(a->published.i2, "45");
	assert_string_equal(a->published.k, "6");
	assert_string_equal(a->published.source, "Lu 2023");
	a = protocol_analysis_find(p, "alb");
	assert_non_null(a);
	assert_string_equal(protocol_analysis_label(a), "alb");
	assert_null(a->published.source);
	assert_null(a->published.estimate);
	assert_null(protocol_analysis_find(p, "nope"));
	protocol_free(p);
	unlink(path);
}

static void test_db_protocol_labels__errors(void **state)
{
	struct protocol *p = NULL;
	char yaml[2048], want[256];

	(void)state;
	snprintf(yaml, sizeof(yaml), "%s    - {name: alb, outcome: ALB, published: {estimate: \"1\"}}\n", head);
	write_file(yaml);
	assert_int_equal(protocol_load(&p, path), LSR_EPARSE);
	snprintf(want, sizeof(want), "%s:16: analyses.list[2].published.source: required key is missing", path);
	assert_string_equal(lsr_error_last(), want);
	snprintf(yaml, sizeof(yaml), "%s    - {name: alb, outcome: ALB, published: {source: x, measure: WMD}}\n", head);
	write_file(yaml);
	assert_int_equal(protocol_load(&p, path), LSR_EPARSE);
	snprintf(want, sizeof(want), "%s:16: analyses.list[2].published.measure: expected MD, SMD, OR, RR, RD or GIV, not 'WMD'", path);
	assert_string_equal(lsr_error_last(), want);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_protocol_labels__decode),
		cmocka_unit_test(test_db_protocol_labels__errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
