/*
 * test_text.c - text_clean and text_clean_lines: white space collapsed,
 * controls dropped, NFC applied, checked against a plain reference
 * implementation (one byte at a time, utf8proc on every string) over
 * many generated strings, so the fast paths cannot change a result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util/buf.h"
#include "util/text.h"

/* The reference: the rules of text.h, written the slow and obvious way. */
static size_t ref_space(const unsigned char *s, size_t n)
{
	if (strchr(" \t\n\r\f\v", s[0]) && s[0])
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8B) || s[2] == 0xAF))
		return 3;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3;
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

static char *ref_clean(const char *in, int keep_lines)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in), i = 0, o = 0;
	char *out = malloc(n + 1), *nfc;
	int pending = 0;

	while (i < n) {
		size_t sl = ref_space(s + i, n - i);

		if (sl) {
			if (keep_lines && s[i] == '\n')
				pending = 2;
			else if (!pending)
				pending = 1;
			i += sl;
		} else if (s[i] < 0x20 || s[i] == 0x7F) {
			i++;
		} else {
			if (pending && o > 0)
				out[o++] = pending == 2 ? '\n' : ' ';
			pending = 0;
			out[o++] = (char)s[i++];
		}
	}
	out[o] = '\0';
	nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)out);
	free(out);
	return nfc;
}

static const char *const pieces[] = {
	"a", "Zz", "word", " ", "  ", "\n", "\t", "\r\n", "\xc2\xa0", "\xe2\x80\x83",
	"\xe2\x80\xaf", "\xe3\x80\x80", "\xe2\x81\x9f", "\x01", "\x7f", "\xc3\xa9",
	"e\xcc\x81", "\xe2\x80\x93", "\xe2\x80\x80", "\xe2\x80\x81", "\xc2\xa9",
	"\xe2\x84\xab", "\xce\xbc", "\xce\x87", "\xea\xb0\x80", "\xe1\x84\x80\xe1\x85\xa1",
	"\xe2\x80\x9c", "\xcd\xb4", "\xe2\x88\x84", "\xe6\xbc\xa2", "\xc3\x85", "A\xcc\x8a",
};

static void test_util_text__clean_matches_reference(void **state)
{
	uint64_t seed = 2385;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		struct buf b = BUF_INIT;
		int len = round % 13, keep = round & 1;
		char *want;

		for (int k = 0; k < len; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			buf_adds(&b, pieces[(seed >> 33) % (sizeof(pieces) / sizeof(pieces[0]))]);
		}
		want = ref_clean(b.s, keep);
		assert_int_equal(keep ? text_clean_lines(&b) : text_clean(&b), 0);
		assert_string_equal(b.s, want);
		assert_int_equal(b.len, strlen(want));
		free(want);
		buf_release(&b);
	}
}

/* characters as SQLite's length() counts them (the ranking picks the
 * longest abstract by it) and as wide as a text column shows them */
static void test_util_text__chars(void **state)
{
	(void)state;
	assert_int_equal(text_chars(NULL), 0);
	assert_int_equal(text_chars(""), 0);
	assert_int_equal(text_chars("abc"), 3);
	assert_int_equal(text_chars("r\xc3\xa9sum\xc3\xa9"), 6);
	assert_int_equal(text_chars("recall \xe2\x89\xa5 95%"), 12);
	assert_int_equal(text_chars("\xf0\x9f\x98\x80!"), 2);
}

/* blank: only ASCII white space, or nothing; anything else is text */
static void test_util_text__blank(void **state)
{
	(void)state;
	assert_true(text_is_blank("", 0));
	assert_true(text_is_blank(" \t\n\r\f\v", 6));
	assert_true(text_is_blank("  x", 2));
	assert_false(text_is_blank("  x", 3));
	assert_false(text_is_blank("\xc2\xa0", 2)); /* a no-break space is text */
	assert_false(text_is_blank("a", 1));
	assert_true(text_is_blank_str(""));
	assert_true(text_is_blank_str(" \t\n\r\f\v"));
	assert_false(text_is_blank_str("  x"));
	assert_false(text_is_blank_str("\xc2\xa0"));
}

static void test_util_text__examples(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "  Caf\x65\xcc\x81\xc2\xa0 au\tlait\n\nBACKGROUND: x \x01y ");
	assert_int_equal(text_clean(&b), 0);
	assert_string_equal(b.s, "Caf\xc3\xa9 au lait BACKGROUND: x y");
	buf_reset(&b);
	buf_adds(&b, " A:\r\n one \n\n B: two\n");
	assert_int_equal(text_clean_lines(&b), 0);
	assert_string_equal(b.s, "A:\none\nB: two");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_text__clean_matches_reference),
		cmocka_unit_test(test_util_text__chars),
		cmocka_unit_test(test_util_text__blank),
		cmocka_unit_test(test_util_text__examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
