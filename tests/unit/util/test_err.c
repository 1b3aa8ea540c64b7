/*
 * test_err.c - util/err: lsr_error_set records a formatted one-line
 * message and returns its code, lsr_error_wrap prefixes it and keeps the
 * code, long messages are truncated safely, the slot is per thread, and
 * the interrupt flag turns into LSR_EINTR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "util/err.h"

static void test_util_err__set_returns_code(void **state)
{
	(void)state;
	lsr_error_clear();
	assert_string_equal(lsr_error_last(), "");
	assert_int_equal(lsr_error_last_code(), 0);
	assert_int_equal(lsr_error_set(LSR_EPARSE, "%s:%lu: expected '%s'", "in.ris", 12ul,
				       "ER  -"),
			 LSR_EPARSE);
	assert_string_equal(lsr_error_last(), "in.ris:12: expected 'ER  -'");
	assert_int_equal(lsr_error_last_code(), LSR_EPARSE);
	/* the next message replaces the first, code and all */
	assert_int_equal(lsr_error_set(LSR_EDB, "database error: %d%%", 5), LSR_EDB);
	assert_string_equal(lsr_error_last(), "database error: 5%");
	assert_int_equal(lsr_error_last_code(), LSR_EDB);
	lsr_error_clear();
	assert_string_equal(lsr_error_last(), "");
	assert_int_equal(lsr_error_last_code(), LSR_OK);
}

static void test_util_err__codes_are_stable(void **state)
{
	(void)state;
	/* docs/exit-codes.md and cli/ depend on these values: appended only */
	assert_int_equal(LSR_OK, 0);
	assert_int_equal(LSR_ERROR, -1);
	assert_int_equal(LSR_ENOTFOUND, -2);
	assert_int_equal(LSR_EPARSE, -3);
	assert_int_equal(LSR_EHTTP, -4);
	assert_int_equal(LSR_ERATELIMIT, -5);
	assert_int_equal(LSR_EDB, -6);
	assert_int_equal(LSR_ESCHEMA, -7);
	assert_int_equal(LSR_ENOMEM, -8);
	assert_int_equal(LSR_EINTR, -9);
	assert_int_equal(LSR_EUSAGE, -10);
}

static void test_util_err__oom(void **state)
{
	(void)state;
	lsr_error_clear();
	assert_int_equal(lsr_error_oom(), LSR_ENOMEM);
	assert_string_equal(lsr_error_last(), "out of memory");
	assert_int_equal(lsr_error_last_code(), LSR_ENOMEM);
}

static void test_util_err__wrap_keeps_code(void **state)
{
	(void)state;
	lsr_error_set(LSR_EDB, "database error: no such table: x");
	assert_int_equal(lsr_error_wrap("migration %04d_%s", 3, "search"), LSR_EDB);
	assert_string_equal(lsr_error_last(),
			    "migration 0003_search: database error: no such table: x");
	assert_int_equal(lsr_error_last_code(), LSR_EDB);
	/* wrapping twice nests the prefixes outermost first */
	assert_int_equal(lsr_error_wrap("open"), LSR_EDB);
	assert_string_equal(lsr_error_last(),
			    "open: migration 0003_search: database error: no such table: x");
}

static void test_util_err__long_messages_truncate(void **state)
{
	char big[3 * LSR_ERRMSG_MAX];
	const char *m;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(lsr_error_set(LSR_EPARSE, "%s", big), LSR_EPARSE);
	m = lsr_error_last();
	assert_int_equal(strlen(m), LSR_ERRMSG_MAX - 1);
	/* a prefix on a full slot: the prefix stays, the tail is cut */
	assert_int_equal(lsr_error_wrap("file.ris"), LSR_EPARSE);
	m = lsr_error_last();
	assert_int_equal(strlen(m), LSR_ERRMSG_MAX - 1);
	assert_memory_equal(m, "file.ris: aaa", 13);
	/* a prefix longer than the slot is cut and still ends in ": " */
	big[sizeof(big) - 1] = '\0';
	memset(big, 'p', sizeof(big) - 1);
	lsr_error_set(LSR_ERROR, "short");
	assert_int_equal(lsr_error_wrap("%s", big), LSR_ERROR);
	m = lsr_error_last();
	assert_int_equal(strlen(m), LSR_ERRMSG_MAX - 1);
	assert_memory_equal(m + LSR_ERRMSG_MAX - 3, ": ", 2);
}

static void *other_thread(void *arg)
{
	(void)arg;
	/* a thread starts with an empty slot and does not see main's */
	if (lsr_error_last()[0] || lsr_error_last_code())
		return (void *)1;
	lsr_error_set(LSR_EHTTP, "from the other thread");
	return NULL;
}

static void test_util_err__per_thread(void **state)
{
	pthread_t t;
	void *ret = (void *)2;

	(void)state;
	lsr_error_set(LSR_ENOTFOUND, "main's message");
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &ret), 0);
	assert_null(ret);
	assert_string_equal(lsr_error_last(), "main's message");
	assert_int_equal(lsr_error_last_code(), LSR_ENOTFOUND);
}

static void test_util_err__interrupt(void **state)
{
	(void)state;
	lsr_interrupted = 0;
	lsr_error_clear();
	assert_int_equal(lsr_check_interrupt(), 0);
	assert_string_equal(lsr_error_last(), "");
	lsr_interrupted = 1;
	assert_int_equal(lsr_check_interrupt(), LSR_EINTR);
	assert_int_equal(lsr_error_last_code(), LSR_EINTR);
	assert_string_equal(lsr_error_last(), "interrupted; nothing of this command was stored");
	lsr_interrupted = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_err__set_returns_code),
		cmocka_unit_test(test_util_err__codes_are_stable),
		cmocka_unit_test(test_util_err__oom),
		cmocka_unit_test(test_util_err__wrap_keeps_code),
		cmocka_unit_test(test_util_err__long_messages_truncate),
		cmocka_unit_test(test_util_err__per_thread),
		cmocka_unit_test(test_util_err__interrupt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
