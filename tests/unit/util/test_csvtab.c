/*
 * test_csvtab.c - CSV cells a spreadsheet would run as formulas are
 * written with a leading apostrophe (OWASP "CSV injection") and read back
 * without it: every cell survives csvtab_put then csvtab_read unchanged
 * (a title beginning with a tab keeps its tab, one beginning with an
 * apostrophe keeps it), numbers are written as they are, and
 * csvtab_put_raw (machine exports) never adds the apostrophe.
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

#include "util/csvtab.h"
#include "util/err.h"

static const char *const cells[] = {
	"=HYPERLINK(\"http://example.org/x\",\"click\")",
	"@SUM(1+1)",
	"-2+3+cmd|' /C calc'!A0",
	"+44 20 7946 0000",
	"\t=1+1 after a tab",
	"'=already quoted",
	"''@twice",
	"'plain apostrophe",
	"-2.5",
	"+1e-3",
	"12",
	"- a dash and a space",
	"Albumin in cirrhosis, a trial",
	"",
};
#define NCELLS (sizeof(cells) / sizeof(cells[0]))

/* what csvtab_put writes for cell i (before quoting) */
static const char *const written[NCELLS] = {
	"'=HYPERLINK(", "'@SUM(1+1)", "'-2+3+cmd|", "'+44 20 7946 0000", "'\t=1+1",
	"''=already", "'''@twice", "'plain apostrophe", "-2.5", "+1e-3", "12",
	"'- a dash", "Albumin in cirrhosis", "",
};

static void test_util_csvtab__round_trip(void **state)
{
	char path[64], line[4096];
	struct csvtab t = CSVTAB_INIT;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/lsr-csvtab-%d.csv", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	for (size_t i = 0; i < NCELLS; i++) {
		csvtab_put(f, "cell", ',');
		csvtab_put(f, cells[i], '\n');
	}
	assert_int_equal(fclose(f), 0);

	/* the file as a spreadsheet sees it */
	f = fopen(path, "r");
	assert_non_null(f);
	for (size_t i = 0; i < NCELLS; i++) {
		const char *v;

		assert_non_null(fgets(line, sizeof(line), f));
		v = line + 5; /* after "cell," */
		if (*v == '"')
			v++;
		assert_memory_equal(v, written[i], strlen(written[i]));
	}
	fclose(f);

	assert_int_equal(csvtab_read(&t, path), 0);
	assert_int_equal(t.nrows, NCELLS);
	for (size_t i = 0; i < NCELLS; i++)
		assert_string_equal(t.rows[i].v[1], cells[i]);
	csvtab_release(&t);
	unlink(path);
}

static void test_util_csvtab__raw_and_unguard(void **state)
{
	char *buf = NULL, s[32];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	csvtab_put_raw(f, "=1+1", ',');
	csvtab_put_raw(f, "-2.5", '\n');
	fclose(f);
	assert_string_equal(buf, "=1+1,-2.5\n");
	free(buf);

	assert_false(csvtab_needs_guard(NULL));
	assert_false(csvtab_needs_guard("-0.75"));
	assert_false(csvtab_needs_guard(".5"));
	assert_true(csvtab_needs_guard("-"));
	assert_true(csvtab_needs_guard("1e5") == 0);
	assert_true(csvtab_needs_guard("-1e"));
	assert_true(csvtab_needs_guard("\rx"));
	/* a person's own apostrophe before ordinary text stays */
	strcpy(s, "'tis");
	csvtab_unguard(s);
	assert_string_equal(s, "'tis");
	strcpy(s, "'=x");
	csvtab_unguard(s);
	assert_string_equal(s, "=x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_csvtab__round_trip),
		cmocka_unit_test(test_util_csvtab__raw_and_unguard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
