/*
 * test_http.c - the pure parts of the HTTP client: the backoff schedule
 * with jitter and Retry-After, the per-service pacer, which statuses are
 * retried, and that secrets never reach the logged parameters.  The
 * network behaviour itself is tested against the replay server
 * (tests/cli/t7*-search-*.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fetch/http.h"
#include "util/buf.h"

static void test_fetch_http__backoff_doubles_with_jitter(void **state)
{
	struct http_config cfg;

	(void)state;
	unsetenv("LSR_HTTP_BACKOFF_MS");
	http_config_init(&cfg);
	assert_int_equal(cfg.backoff_ms, 1000);
	assert_int_equal(cfg.max_attempts, 5);
	/* equal jitter: half fixed, half drawn: attempt 1 waits 0.5..1 s */
	assert_true(http_backoff_wait(&cfg, 1, 0, 0.0) == 0.5);
	assert_true(http_backoff_wait(&cfg, 1, 0, 0.999) > 0.99);
	assert_true(http_backoff_wait(&cfg, 2, 0, 0.0) == 1.0);
	assert_true(http_backoff_wait(&cfg, 3, 0, 0.0) == 2.0);
	assert_true(http_backoff_wait(&cfg, 4, 0, 0.5) == 6.0);
	/* capped at 60 s */
	assert_true(http_backoff_wait(&cfg, 20, 0, 0.0) == 30.0);
	assert_true(http_backoff_wait(&cfg, 20, 0, 1.0) == 60.0);
	/* Retry-After wins, as given */
	assert_true(http_backoff_wait(&cfg, 1, 7, 0.3) == 7.0);
}

static void test_fetch_http__env_tunes(void **state)
{
	struct http_config cfg;

	(void)state;
	setenv("LSR_HTTP_BACKOFF_MS", "40", 1);
	setenv("LSR_HTTP_ATTEMPTS", "3", 1);
	setenv("LSR_HTTP_LOW_SPEED_TIME", "2", 1);
	http_config_init(&cfg);
	assert_int_equal(cfg.backoff_ms, 40);
	assert_int_equal(cfg.max_attempts, 3);
	assert_int_equal(cfg.low_speed_time, 2);
	assert_true(http_backoff_wait(&cfg, 2, 0, 0.0) == 0.04);
	/* nonsense falls back to the defaults */
	setenv("LSR_HTTP_ATTEMPTS", "many", 1);
	setenv("LSR_HTTP_BACKOFF_MS", "-5", 1);
	http_config_init(&cfg);
	assert_int_equal(cfg.max_attempts, 5);
	assert_int_equal(cfg.backoff_ms, 1000);
	unsetenv("LSR_HTTP_BACKOFF_MS");
	unsetenv("LSR_HTTP_ATTEMPTS");
	unsetenv("LSR_HTTP_LOW_SPEED_TIME");
}

static void test_fetch_http__pacer_spaces_starts(void **state)
{
	(void)state;
	http_pacer_reset();
	/* PubMed without a key: 0.35 s between starts; the first is free */
	assert_true(http_pacer_reserve("PubMed", 0.35, 10.0) == 0.0);
	{
		double w = http_pacer_reserve("PubMed", 0.35, 10.0);

		assert_true(w > 0.3499 && w < 0.3501);
	}
	/* three back-to-back requests start 0.35 s apart: at most 3 a second */
	{
		double w = http_pacer_reserve("PubMed", 0.35, 10.0);

		assert_true(w > 0.6999 && w < 0.7001);
	}
	/* another service has its own slot */
	assert_true(http_pacer_reserve("Europe PMC", 0.2, 10.0) == 0.0);
	/* after a pause nothing is owed */
	assert_true(http_pacer_reserve("PubMed", 0.35, 20.0) == 0.0);
}

static void test_fetch_http__status_verdicts(void **state)
{
	static const long retry[] = { 408, 429, 500, 502, 503, 504 };
	static const long fail[] = { 301, 400, 401, 403, 404, 414, 501 };

	(void)state;
	assert_int_equal(http_status_verdict(200), HTTP_OK);
	assert_int_equal(http_status_verdict(204), HTTP_OK);
	for (size_t i = 0; i < sizeof(retry) / sizeof(retry[0]); i++)
		assert_int_equal(http_status_verdict(retry[i]), HTTP_RETRY);
	for (size_t i = 0; i < sizeof(fail) / sizeof(fail[0]); i++)
		assert_int_equal(http_status_verdict(fail[i]), HTTP_FAIL);
}

static void test_fetch_http__secrets_redacted(void **state)
{
	struct http_form f = HTTP_FORM_INIT;
	struct buf j = BUF_INIT;

	(void)state;
	assert_int_equal(http_form_add(&f, "db", "pubmed"), 0);
	assert_int_equal(http_form_add(&f, "term", "\"stem cells\"[tiab] AND 1:5[UID]"), 0);
	assert_int_equal(http_form_add(&f, "api_key", "0123456789abcdef"), 0);
	assert_int_equal(http_form_addf(&f, "retmax", "%d", 9999), 0);
	assert_string_equal(http_form_get(&f, "retmax"), "9999");
	assert_string_equal(http_form_get(&f, "api_key"), "0123456789abcdef");
	assert_null(http_form_get(&f, "email"));
	assert_true(http_param_is_secret("api_key"));
	assert_false(http_param_is_secret("email"));
	assert_int_equal(http_form_json(&j, &f), 0);
	assert_string_equal(j.s, "{\"db\":\"pubmed\",\"term\":\"\\\"stem cells\\\"[tiab] AND 1:5[UID]\","
				 "\"api_key\":\"***\",\"retmax\":\"9999\"}");
	assert_null(strstr(j.s, "0123456789abcdef"));
	buf_release(&j);
	http_form_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_http__backoff_doubles_with_jitter),
		cmocka_unit_test(test_fetch_http__env_tunes),
		cmocka_unit_test(test_fetch_http__pacer_spaces_starts),
		cmocka_unit_test(test_fetch_http__status_verdicts),
		cmocka_unit_test(test_fetch_http__secrets_redacted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
