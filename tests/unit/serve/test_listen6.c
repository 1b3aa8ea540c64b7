/*
 * test_listen6.c - --listen with IPv6: "[ADDR]:PORT" sets the IPv6
 * address and port, an IPv6 address without brackets or a port is a
 * usage error, and which addresses count as loopback (no warning): ::1
 * and IPv4-mapped 127.0.0.0/8, not :: or another address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "serve/serve_int.h"

static void test_listen6__parse(void **state)
{
	static const unsigned char one[16] = { [15] = 1 };
	struct serve_opts o = { 0 };

	(void)state;
	assert_int_equal(serve_parse_listen("[::1]:8357", &o), 0);
	assert_int_equal(o.ipv6, 1);
	assert_int_equal(o.port, 8357);
	assert_memory_equal(o.addr6, one, 16);
	assert_true(serve_listen_is_loopback(&o));
	assert_int_equal(serve_parse_listen("[::]:0", &o), 0);
	assert_int_equal(o.port, 0);
	assert_false(serve_listen_is_loopback(&o));
	assert_int_equal(serve_parse_listen("[fd00::2]:80", &o), 0);
	assert_false(serve_listen_is_loopback(&o));
	assert_int_equal(serve_parse_listen("[::ffff:127.0.0.1]:80", &o), 0);
	assert_true(serve_listen_is_loopback(&o));
	assert_int_equal(serve_parse_listen("[::ffff:10.0.0.1]:80", &o), 0);
	assert_false(serve_listen_is_loopback(&o));
	/* back to IPv4: the flag goes */
	assert_int_equal(serve_parse_listen("127.0.0.1:80", &o), 0);
	assert_int_equal(o.ipv6, 0);
	assert_true(serve_listen_is_loopback(&o));
	assert_int_equal(serve_parse_listen("10.1.2.3:80", &o), 0);
	assert_false(serve_listen_is_loopback(&o));
}

static void test_listen6__refused(void **state)
{
	struct serve_opts o = { 0 };

	(void)state;
	assert_int_equal(serve_parse_listen("::1:8357", &o), -10);   /* no brackets */
	assert_int_equal(serve_parse_listen("[::1]", &o), -10);      /* no port */
	assert_int_equal(serve_parse_listen("[::1]:", &o), -10);
	assert_int_equal(serve_parse_listen("[::1]8357", &o), -10);
	assert_int_equal(serve_parse_listen("[::1:8357", &o), -10);
	assert_int_equal(serve_parse_listen("[]:8357", &o), -10);
	assert_int_equal(serve_parse_listen("[127.0.0.1]:80", &o), -10);
	assert_int_equal(serve_parse_listen("[::1]:65536", &o), -10);
	assert_int_equal(serve_parse_listen("[localhost]:80", &o), -10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen6__parse),
		cmocka_unit_test(test_listen6__refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
