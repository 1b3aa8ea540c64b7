/*
 * test_rawcodec.c - db/rawcodec.h: every input packs and unpacks to its
 * exact bytes (empty, incompressible, text, with and without a trained
 * dictionary); input zstd cannot shrink is stored as it is; a frame needs
 * its dictionary, and a damaged frame or dictionary is an error, never
 * wrong bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/rawcodec.h"
#include "util/buf.h"
#include "util/err.h"

/* n bytes of record-like text, varied by seed */
static char *record_text(unsigned seed, size_t *n)
{
	static const char *const words[] = {
		"<AbstractText>", "cirrhosis", "mesenchymal", "stem", "cell", "trial",
		"Department of Hepatology, University Hospital Essen, Germany.",
		"</AbstractText>\n", "placebo", "réponse", "bilirubin", "über",
	};
	struct buf b = BUF_INIT;

	srand(seed);
	assert_int_equal(buf_printf(&b, "<PubmedArticle><PMID>%u</PMID>\n", seed), 0);
	while (b.len < 3000)
		assert_int_equal(buf_printf(&b, "%s ", words[rand() % 12]), 0);
	assert_int_equal(buf_adds(&b, "</PubmedArticle>"), 0);
	*n = b.len;
	return buf_detach(&b);
}

/* pack in, unpack it again (with d), and compare */
static int round_trip(const void *in, size_t n, struct raw_dict *d, size_t *packed)
{
	struct buf out = BUF_INIT;
	unsigned char *back;
	size_t len;
	int codec = raw_pack(&out, in, n, d);

	assert_true(codec >= 0);
	if (codec == RAW_CODEC_PLAIN)
		assert_int_equal(raw_unpack(codec, in, n, NULL, &back, &len), 0);
	else
		assert_int_equal(raw_unpack(codec, out.s, out.len, d, &back, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(back, in, n);
	*packed = codec == RAW_CODEC_PLAIN ? n : out.len;
	free(back);
	buf_release(&out);
	return codec;
}

static void test_db_rawcodec__empty_and_incompressible(void **state)
{
	unsigned char noise[4096];
	unsigned char *back;
	size_t len, packed;

	(void)state;
	assert_int_equal(round_trip("", 0, NULL, &packed), RAW_CODEC_PLAIN);
	assert_int_equal(raw_unpack(RAW_CODEC_PLAIN, NULL, 0, NULL, &back, &len), 0);
	assert_int_equal(len, 0);
	free(back);
	/* one byte, and bytes with no redundancy: a frame would be larger */
	assert_int_equal(round_trip("x", 1, NULL, &packed), RAW_CODEC_PLAIN);
	srand(1);
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (unsigned char)(rand() >> 7);
	assert_int_equal(round_trip(noise, sizeof(noise), NULL, &packed), RAW_CODEC_PLAIN);
	assert_int_equal(packed, sizeof(noise));
}

static void test_db_rawcodec__text_packs_exactly(void **state)
{
	size_t n, packed;
	char *t = record_text(7, &n);

	(void)state;
	assert_int_equal(round_trip(t, n, NULL, &packed), RAW_CODEC_ZSTD);
	assert_true(packed < n / 2);
	/* bytes that are not text: NULs, CR LF, invalid UTF-8 */
	memcpy(t + 100, "\0\r\n\xff\xfe\0", 6);
	assert_int_equal(round_trip(t, n, NULL, &packed), RAW_CODEC_ZSTD);
	free(t);
}

static void test_db_rawcodec__dictionary(void **state)
{
	struct buf samples = BUF_INIT, out = BUF_INIT;
	size_t sizes[200], n, plain, with, dn;
	struct raw_dict *d, *again;
	unsigned char *back;
	const void *bytes;
	char *t;

	(void)state;
	for (unsigned i = 0; i < 200; i++) {
		t = record_text(100 + i, &sizes[i]);
		assert_int_equal(buf_add(&samples, t, sizes[i]), 0);
		free(t);
	}
	assert_int_equal(raw_dict_train(&d, 40000, samples.s, sizes, 200), 0);
	assert_int_equal(raw_dict_id(d), 40000);
	t = record_text(5, &n);
	assert_int_equal(round_trip(t, n, NULL, &plain), RAW_CODEC_ZSTD);
	assert_int_equal(round_trip(t, n, d, &with), RAW_CODEC_ZSTD);
	assert_true(with < plain);

	assert_int_equal(raw_pack(&out, t, n, d), RAW_CODEC_ZSTD);
	assert_int_equal(raw_frame_dict(out.s, out.len), 40000);
	/* without its dictionary, or with another, a frame does not unpack */
	assert_int_equal(raw_unpack(RAW_CODEC_ZSTD, out.s, out.len, NULL, &back, &n), LSR_EDB);
	assert_null(back);
	/* the stored bytes give the same dictionary back */
	bytes = raw_dict_bytes(d, &dn);
	assert_true(dn <= RAW_DICT_MAX);
	assert_int_equal(raw_dict_load(&again, bytes, dn), 0);
	assert_int_equal(raw_dict_id(again), 40000);
	assert_int_equal(raw_unpack(RAW_CODEC_ZSTD, out.s, out.len, again, &back, &n), 0);
	assert_memory_equal(back, t, n);
	free(back);
	/* a damaged frame: the checksum catches it */
	out.s[out.len / 2] ^= 0x20;
	assert_int_equal(raw_unpack(RAW_CODEC_ZSTD, out.s, out.len, d, &back, &n), LSR_EDB);
	assert_int_equal(raw_unpack(RAW_CODEC_ZSTD, out.s, 3, d, &back, &n), LSR_EDB);
	assert_int_equal(raw_unpack(7, out.s, out.len, d, &back, &n), LSR_EDB);
	{
		struct raw_dict *junk;

		assert_int_equal(raw_dict_load(&junk, "junk", 4), LSR_EDB);
	}

	raw_dict_free(again);
	raw_dict_free(d);
	free(t);
	buf_release(&out);
	buf_release(&samples);
}

static void test_db_rawcodec__too_few_samples(void **state)
{
	size_t sizes[2] = { 5, 5 };
	struct raw_dict *d;

	(void)state;
	assert_int_equal(raw_dict_train(&d, 40001, "abcdeabcde", sizes, 2), LSR_ERROR);
	assert_null(d);
	lsr_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_rawcodec__empty_and_incompressible),
		cmocka_unit_test(test_db_rawcodec__text_packs_exactly),
		cmocka_unit_test(test_db_rawcodec__dictionary),
		cmocka_unit_test(test_db_rawcodec__too_few_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
