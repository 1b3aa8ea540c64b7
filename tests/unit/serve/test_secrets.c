/*
 * test_secrets.c - the server's secrets and addresses: random tokens are
 * 64 lowercase hex digits and differ, their hash is SHA-256 of the text
 * (FIPS 180-2's "abc" vector), the secret comparison, and --listen parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "serve/serve_int.h"

static void test_serve__random_hex(void **state)
{
	char a[SERVE_TOKEN_HEX + 1], b[SERVE_TOKEN_HEX + 1];

	(void)state;
	assert_int_equal(serve_random_hex(a), 0);
	assert_int_equal(serve_random_hex(b), 0);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_not_equal(a, b);
}

static void test_serve__hash(void **state)
{
	char h[SERVE_TOKEN_HEX + 1];

	(void)state;
	assert_int_equal(serve_hash("abc", h), 0);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_serve__secret_equal(void **state)
{
	(void)state;
	assert_true(serve_secret_equal("abcd", "abcd"));
	assert_false(serve_secret_equal("abcd", "abce"));
	assert_false(serve_secret_equal("abcd", "abc"));
	assert_false(serve_secret_equal("", "a"));
	assert_true(serve_secret_equal("", ""));
}

static void test_serve__parse_listen(void **state)
{
	struct serve_opts o = { 0 };

	(void)state;
	assert_int_equal(serve_parse_listen("127.0.0.1:8357", &o), 0);
	assert_int_equal(o.port, 8357);
	assert_int_equal(o.addr, htonl(0x7f000001));
	assert_true(serve_addr_is_loopback(o.addr));
	assert_int_equal(serve_parse_listen("0.0.0.0:0", &o), 0);
	assert_int_equal(o.port, 0);
	assert_false(serve_addr_is_loopback(o.addr));
	assert_int_equal(serve_parse_listen("127.8.9.10:1", &o), 0);
	assert_true(serve_addr_is_loopback(o.addr));
	assert_int_equal(serve_parse_listen("192.168.1.2:80", &o), 0);
	assert_false(serve_addr_is_loopback(o.addr));
	assert_int_equal(serve_parse_listen("localhost:80", &o), -10);
	assert_int_equal(serve_parse_listen("127.0.0.1", &o), -10);
	assert_int_equal(serve_parse_listen("127.0.0.1:", &o), -10);
	assert_int_equal(serve_parse_listen("127.0.0.1:65536", &o), -10);
	assert_int_equal(serve_parse_listen("127.0.0.1:-1", &o), -10);
	assert_int_equal(serve_parse_listen(":80", &o), -10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serve__random_hex),
		cmocka_unit_test(test_serve__hash),
		cmocka_unit_test(test_serve__secret_equal),
		cmocka_unit_test(test_serve__parse_listen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
