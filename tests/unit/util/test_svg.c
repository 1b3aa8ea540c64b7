/*
 * test_svg.c - the SVG writer: XML escaping, the sticky error, and a small
 * document with every shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/buf.h"
#include "util/svg.h"

static void test_util_svg__escape(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(svg_escape(&b, "A & B <1> \"q\" 'x'\x01\tM\xc3\xbcller"), 0);
	assert_string_equal(b.s, "A &amp; B &lt;1&gt; &quot;q&quot; &#39;x&#39;\tM\xc3\xbcller");
	buf_release(&b);
}

static void test_util_svg__document(void **state)
{
	struct buf b = BUF_INIT;
	struct svg s;
	double tri[] = { 0, 0, 10, 0, 5, 5 };

	(void)state;
	svg_begin(&s, &b, 100, 50);
	svg_text(&s, 1, 2, SVG_END, SVG_BOLD | SVG_ITALIC, 11, "x<y");
	svg_line(&s, 0, 1, 2, 3, "#000", 1, "4 2");
	svg_rect(&s, 1, 1, 5, 5, NULL, "#111");
	svg_polygon(&s, tri, 3, "#000", NULL);
	svg_circle(&s, 5, 5, 2, "#fff", "#000");
	assert_int_equal(svg_end(&s), 0);
	assert_non_null(strstr(b.s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(b.s, "text-anchor=\"end\" font-weight=\"bold\" font-style=\"italic\">x&lt;y</text>"));
	assert_non_null(strstr(b.s, "stroke-dasharray=\"4 2\""));
	assert_non_null(strstr(b.s, "<rect x=\"1.00\" y=\"1.00\" width=\"5.00\" height=\"5.00\" fill=\"none\" stroke=\"#111\"/>"));
	assert_non_null(strstr(b.s, "points=\"0.00,0.00 10.00,0.00 5.00,5.00\""));
	assert_non_null(strstr(b.s, "</svg>\n"));
	assert_true(svg_text_width("WWW", 10) > svg_text_width("iii", 10));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_svg__escape),
		cmocka_unit_test(test_util_svg__document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
