/*
 * protocol_load.c - protocol_load() on a generated protocol.yaml of N
 * sources, reasons, rules and outcomes (issue 20, defect 12: the checks
 * across entries compared every name with every earlier one, 3.3 s for
 * 40,000 sources and over 8 minutes for 200,000).
 *
 *   bench_protocol_load [N...]      default 40000 200000
 *
 * Prints, per N, the file's size and the wall and CPU time of one load.
 */
#include "db/protocol.h"
#include "util/clock.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* a protocol of n sources, n / 10 reasons and rules (each rule naming a
 * reason) and n / 10 outcomes with an analysis each */
static int generate(const char *path, long n)
{
	FILE *f = fopen(path, "w");
	long i;

	if (!f)
		return -1;
	fputs("lsr_protocol: 1\ntitle: bench\nsources:\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, "  - name: source-%07ld\n    files: exports/s%ld.ris\n", i, i);
	fputs("screening:\n  reasons:\n", f);
	for (i = 0; i < n / 10 + 1; i++)
		fprintf(f, "    - code: r%ld\n", i);
	fputs("  rules:\n", f);
	for (i = 0; i < n / 10 + 1; i++)
		fprintf(f, "    - name: rule%ld\n      reason: r%ld\n      match: 'word%ld'\n", i,
			n / 10 - i, i);
	fputs("extraction:\n  outcomes:\n", f);
	for (i = 0; i < n / 10 + 1; i++)
		fprintf(f, "    - name: o%ld\n", i);
	fputs("analyses:\n  list:\n", f);
	for (i = 0; i < n / 10 + 1; i++)
		fprintf(f, "    - name: a%ld\n      outcome: o%ld\n", i, n / 10 - i);
	return fclose(f);
}

int main(int argc, char **argv)
{
	static const long defaults[] = { 40000, 200000 };
	char path[64];
	int nargs = argc > 1 ? argc - 1 : 2;

	snprintf(path, sizeof(path), "/tmp/lsr-bench-protocol-%d.yaml", (int)getpid());
	for (int a = 0; a < nargs; a++) {
		long n = argc > 1 ? strtol(argv[a + 1], NULL, 10) : defaults[a];
		struct protocol *p = NULL;
		double t0;
		clock_t c0;
		long size;
		FILE *f;

		if (n < 1 || generate(path, n) < 0) {
			fprintf(stderr, "bench_protocol_load: cannot write %s for N=%ld\n", path, n);
			return 1;
		}
		f = fopen(path, "r");
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fclose(f);
		t0 = clock_mono();
		c0 = clock();
		if (protocol_load(&p, path) < 0) {
			fprintf(stderr, "bench_protocol_load: %s\n", lsr_error_last());
			unlink(path);
			return 1;
		}
		printf("sources %7ld  file %6.1f MiB  load %8.3f s wall %8.3f s CPU\n", n,
		       size / 1048576.0, clock_mono() - t0, (double)(clock() - c0) / CLOCKS_PER_SEC);
		protocol_free(p);
	}
	unlink(path);
	return 0;
}
