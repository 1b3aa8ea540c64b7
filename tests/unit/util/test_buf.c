/*
 * test_buf.c - util/buf: growth keeps the content and the NUL, the size cap
 * refuses an append with LSR_ERROR and leaves the content unchanged, an
 * allocation failure is LSR_ENOMEM, and detach/trim/setlen/reset do what
 * buf.h says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

/* A request larger than memory must come back as NULL (then LSR_ENOMEM),
 * not abort the test under AddressSanitizer. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void test_util_buf__init_is_empty(void **state)
{
	struct buf b = BUF_INIT;
	struct buf c;

	(void)state;
	assert_ptr_equal(b.s, buf_empty);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_init(&c, 16);
	assert_ptr_equal(c.s, buf_empty);
	assert_int_equal(c.max, 16);
	/* releasing or resetting an unallocated buf touches nothing */
	buf_reset(&b);
	buf_release(&b);
	assert_ptr_equal(b.s, buf_empty);
	assert_int_equal(buf_empty[0], '\0');
}

static void test_util_buf__growth_keeps_content(void **state)
{
	struct buf b = BUF_INIT;
	char want[5000];
	size_t last_cap = 0, grows = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(want) - 1; i++) {
		char c = (char)('a' + (i * 7) % 26);

		want[i] = c;
		if (i % 3 == 0)
			assert_int_equal(buf_addc(&b, c), 0);
		else
			assert_int_equal(buf_add(&b, &c, 1), 0);
		assert_int_equal(b.len, i + 1);
		assert_true(b.cap > b.len);
		assert_int_equal(b.s[b.len], '\0');
		if (b.cap != last_cap) {
			grows++;
			last_cap = b.cap;
		}
	}
	want[sizeof(want) - 1] = '\0';
	assert_string_equal(b.s, want);
	/* geometric growth: a handful of reallocations, not one per byte */
	assert_true(grows < 20);
	/* a large append in one go */
	assert_int_equal(buf_add(&b, want, sizeof(want) - 1), 0);
	assert_int_equal(b.len, 2 * (sizeof(want) - 1));
	assert_memory_equal(b.s + sizeof(want) - 1, want, sizeof(want) - 1);
	/* an empty append is fine and changes nothing */
	assert_int_equal(buf_add(&b, NULL, 0), 0);
	assert_int_equal(b.len, 2 * (sizeof(want) - 1));
	buf_release(&b);
	assert_ptr_equal(b.s, buf_empty);
	assert_int_equal(b.len, 0);
}

static void test_util_buf__printf(void **state)
{
	struct buf b = BUF_INIT;
	char big[3001];

	(void)state;
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(b.s, "42-x");
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* longer than the room left: formatted a second time after growing */
	assert_int_equal(buf_printf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 4 + 2 + 3000);
	assert_int_equal(b.s[4], '[');
	assert_int_equal(b.s[b.len - 1], ']');
	assert_int_equal(b.s[b.len], '\0');
	/* fits in the room left: formatted once, in place */
	assert_int_equal(buf_printf(&b, "%c", '!'), 0);
	assert_int_equal(b.s[b.len - 1], '!');
	buf_release(&b);
}

static void test_util_buf__cap_refuses(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_adds(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10);
	lsr_error_clear();
	/* buf.h: past the cap an append fails with LSR_ERROR, not ENOMEM */
	assert_int_equal(buf_add(&b, "x", 1), LSR_ERROR);
	assert_int_equal(lsr_error_last_code(), LSR_ERROR);
	assert_string_equal(lsr_error_last(), "text longer than 10 bytes");
	assert_int_equal(buf_adds(&b, "yz"), LSR_ERROR);
	assert_int_equal(buf_addc(&b, 'c'), LSR_ERROR);
	assert_int_equal(buf_printf(&b, "%d", 7), LSR_ERROR);
	assert_int_equal(buf_grow(&b, 1), LSR_ERROR);
	/* the content is unchanged by every refusal */
	assert_int_equal(b.len, 10);
	assert_string_equal(b.s, "0123456789");
	/* after a reset the room is there again */
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.s, "");
	assert_int_equal(buf_adds(&b, "abcdefghij"), 0);
	buf_release(&b);

	/* one append larger than the whole cap */
	buf_init(&b, 4);
	assert_int_equal(buf_add(&b, "abcde", 5), LSR_ERROR);
	assert_ptr_equal(b.s, buf_empty);
	buf_release(&b);
}

static void test_util_buf__cap_near_size_max(void **state)
{
	struct buf b;

	(void)state;
	/* len + extra + 1 must not wrap around to "fits already" */
	buf_init(&b, SIZE_MAX);
	assert_true(buf_grow(&b, SIZE_MAX) < 0);
	assert_true(buf_grow(&b, SIZE_MAX - 1) < 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(buf_adds(&b, "ok"), 0);
	assert_true(buf_grow(&b, SIZE_MAX - 2) < 0);
	assert_string_equal(b.s, "ok");
	buf_release(&b);
}

static void test_util_buf__enomem(void **state)
{
	struct buf b;

	(void)state;
	/* under the cap but more than any machine has: malloc fails */
	buf_init(&b, SIZE_MAX / 2);
	assert_int_equal(buf_adds(&b, "kept"), 0);
	lsr_error_clear();
	assert_int_equal(buf_grow(&b, SIZE_MAX / 4), LSR_ENOMEM);
	assert_int_equal(lsr_error_last_code(), LSR_ENOMEM);
	assert_string_equal(lsr_error_last(), "out of memory");
	assert_string_equal(b.s, "kept");
	assert_int_equal(b.len, 4);
	buf_release(&b);
}

static void test_util_buf__detach(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	(void)state;
	/* an empty buf detaches as a fresh "" the caller frees */
	s = buf_detach(&b);
	assert_non_null(s);
	assert_ptr_not_equal(s, buf_empty);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(buf_adds(&b, "hello"), 0);
	s = buf_detach(&b);
	assert_string_equal(s, "hello");
	assert_ptr_equal(b.s, buf_empty);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);
	/* the buf is usable again */
	assert_int_equal(buf_adds(&b, "again"), 0);
	assert_string_equal(b.s, "again");
	buf_release(&b);
}

static void test_util_buf__trim_setlen(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_trim(&b);
	assert_string_equal(b.s, "");
	assert_int_equal(buf_adds(&b, " \t\r\n  mid dle \n\r\t "), 0);
	buf_trim(&b);
	assert_string_equal(b.s, "mid dle");
	assert_int_equal(b.len, 7);
	buf_setlen(&b, 3);
	assert_string_equal(b.s, "mid");
	buf_reset(&b);
	assert_int_equal(buf_adds(&b, " \t \n"), 0);
	buf_trim(&b);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_util_buf__xstrndup(void **state)
{
	char *p;

	(void)state;
	p = xstrndup("abcdef", 3);
	assert_string_equal(p, "abc");
	free(p);
	p = xstrdup("");
	assert_string_equal(p, "");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_buf__init_is_empty),
		cmocka_unit_test(test_util_buf__growth_keeps_content),
		cmocka_unit_test(test_util_buf__printf),
		cmocka_unit_test(test_util_buf__cap_refuses),
		cmocka_unit_test(test_util_buf__cap_near_size_max),
		cmocka_unit_test(test_util_buf__enomem),
		cmocka_unit_test(test_util_buf__detach),
		cmocka_unit_test(test_util_buf__trim_setlen),
		cmocka_unit_test(test_util_buf__xstrndup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
