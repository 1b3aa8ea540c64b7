/*
 * parse.c - parse a file without storing it: the parser's share of an
 * import (record_finish() included, the database left out).
 *
 *     bench_parse FORMAT FILE
 *
 * Prints "records=N bytes=B wall_s=S MB_s=M".
 */
#include "fetch/fetch.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct count {
	unsigned long long records, deleted, raw_bytes;
	uint64_t end;
};

static int count_record(struct lsr_record *r, void *payload)
{
	struct count *c = payload;

	if (r->deleted) {
		c->deleted++;
		return 0;
	}
	c->records++;
	c->raw_bytes += r->raw_len;
	c->end = r->offset + r->raw_len;
	return 0;
}

int main(int argc, char **argv)
{
	struct fetch_input *in = NULL;
	enum fetch_format fmt;
	struct count c = { 0, 0, 0, 0 };
	struct timespec t0, t1;
	FILE *f;
	long size;
	double s;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_parse FORMAT FILE\n");
		return 2;
	}
	if (fetch_format_parse(&fmt, argv[1]) < 0 || fetch_input_open(&in, argv[2]) < 0) {
		fprintf(stderr, "bench_parse: %s\n", lsr_error_last());
		return 1;
	}
	f = fopen(argv[2], "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		fprintf(stderr, "bench_parse: cannot size '%s'\n", argv[2]);
		return 1;
	}
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (fetch_parse(in, fmt, NULL, count_record, &c) < 0) {
		fprintf(stderr, "bench_parse: %s\n", lsr_error_last());
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fetch_input_free(in);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("records=%llu deleted=%llu bytes=%ld raw_bytes=%llu wall_s=%.3f MB_s=%.1f\n",
	       c.records, c.deleted, size, c.raw_bytes, s, (double)size / 1e6 / s);
	return 0;
}
