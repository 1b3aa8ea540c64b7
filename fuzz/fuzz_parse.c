/*
 * fuzz_parse.c - one import parser (FUZZ_FORMAT, a FETCH_FMT_* value set
 * by fuzz/CMakeLists.txt; FETCH_FMT_AUTO detects the format first) over
 * the input held in memory, as lsr import reads a file: once rejecting
 * the first malformed record, once skipping malformed records
 * (--skip-malformed) with empty files allowed.
 */
#include "fuzz.h"

#include "fetch/fetch.h"
#include "util/err.h"

#ifndef FUZZ_FORMAT
#error "FUZZ_FORMAT names the format to parse"
#endif

/* Look at what a parser hands over, as the import does. */
static int sink(struct lsr_record *r, void *payload)
{
	size_t *n = payload;

	*n += r->title.len + r->abstract.len + r->authors.n + r->other_ids.n;
	if (r->raw_len)
		*n += (unsigned char)r->raw[0] + (unsigned char)r->raw[r->raw_len - 1];
	return 0;
}

static int skip(void *payload, uint64_t line, const char *reason)
{
	size_t *n = payload;

	*n += line + (reason[0] != '\0');
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++) {
		struct fetch_parse_opts o = { 0 };
		struct fetch_input *in;

		if (pass) {
			o.skip = skip;
			o.skip_payload = &n;
			o.allow_empty = 1;
		}
		if (fetch_input_open_mem(&in, "fuzz", (const char *)data, size) < 0)
			return 0;
		fetch_parse(in, FUZZ_FORMAT, &o, sink, &n);
		fetch_input_free(in);
		lsr_error_clear();
	}
	return 0;
}
