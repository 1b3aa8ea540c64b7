/*
 * serve_available.c - the cost of GET /api/me's counts in 'lsr serve'
 * (issue 13): what a reviewer could still be handed
 * (screen_serve_available) and their progress (screen_serve_progress), as
 * the server calls them, on a review as large as one likes.
 *
 *     bench_serve_available [--calls N] [--turns T] REVIEW_DIR
 *
 * REVIEW_DIR is a review with a protocol.yaml (bench_serve_bench makes
 * one of 100,000 generated citations in bench/out/serve-100000/rev).  The
 * hand-out order is built first (screen_handout_warm, timed); with
 * --turns T two reviewers then take T citations each and decide them (so
 * the order has open pairs, as during screening: this writes to the
 * review).  Then N calls (default 2,000) of each, for a third reviewer
 * and for one of the two: CPU time of the calling thread per call, mean,
 * p50 and p99, in microseconds.  The machine may be shared: CPU, not wall
 * time, is what to compare.  "PRAGMA data_version" alone is timed too:
 * every call asks it (has another process written the review?).
 */
#include "db/db.h"
#include "db/protocol.h"
#include "screen/serve_query.h"
#include "util/err.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this thread in microseconds. */
static double thread_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Mean, p50 and p99 of v[0..n) (sorted in place) under a label. */
static void print_us(const char *label, double *v, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += v[i];
	qsort(v, n, sizeof(*v), by_value);
	printf("%-44s mean %8.1f  p50 %8.1f  p99 %8.1f us CPU\n", label, sum / (double)n,
	       v[n / 2], v[(n * 99) / 100]);
}

enum what { AVAILABLE, PROGRESS, DATA_VERSION };

/* n calls of one count for reviewer, timed into v; the last answer into
 * *last.  -1 on an error (printed). */
static int time_calls(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		      enum what w, const char *reviewer, double *v, size_t n, int64_t *last)
{
	int64_t a = 0, b = 0;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		double t0 = thread_us();

		if (w == AVAILABLE)
			rc = screen_serve_available(db, p, h, "title-abstract", reviewer, &a);
		else if (w == PROGRESS)
			rc = screen_serve_progress(db, h, "title-abstract", reviewer, &a, &b);
		else
			rc = db_query_int(db, &a, "PRAGMA data_version");
		v[i] = thread_us() - t0;
	}
	if (rc < 0) {
		fprintf(stderr, "bench_serve_available: %s\n", lsr_error_last());
		return -1;
	}
	*last = a;
	return 0;
}

/* Two reviewers take turns: each is handed a citation and decides it. */
static int take_turns(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		      const char *const who[2], long turns)
{
	int64_t id;

	for (long i = 0; i < turns * 2; i++) {
		if (screen_serve_next(db, p, h, "title-abstract", who[i % 2], &id) < 0 ||
		    (id && screen_serve_decide(db, p, id, "title-abstract", who[i % 2],
					       id % 3 ? "include" : "exclude",
					       id % 3 ? NULL : "off-topic", NULL, NULL, NULL) < 0)) {
			fprintf(stderr, "bench_serve_available: %s\n", lsr_error_last());
			return -1;
		}
		if (!id)
			break;
		screen_handout_decided(h, "title-abstract", who[i % 2], 1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const who[2] = { "avail-a", "avail-b" };
	long calls = 2000, turns = 0;
	const char *dir = NULL;
	char path[PATH_MAX];
	struct lsr_db *db = NULL;
	struct protocol *p = NULL;
	struct screen_handout *h = NULL;
	double *v = NULL, t0;
	int64_t last;
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--calls") && i + 1 < argc)
			calls = atol(argv[++i]);
		else if (!strcmp(argv[i], "--turns") && i + 1 < argc)
			turns = atol(argv[++i]);
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else
			dir = NULL, i = argc;
	}
	if (!dir || calls <= 0 || turns < 0) {
		fprintf(stderr, "usage: bench_serve_available [--calls N] [--turns T] REVIEW_DIR\n");
		return 2;
	}
	if (!(v = calloc((size_t)calls, sizeof(*v))))
		return 1;
	snprintf(path, sizeof(path), "%s/review.db", dir);
	if (db_open(&db, path, 0) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/protocol.yaml", dir);
	if (protocol_load(&p, path) < 0 || !(h = screen_handout_new(42)))
		goto out;
	t0 = thread_us();
	if (screen_handout_warm(db, p, h) < 0)
		goto out;
	printf("%-44s %.1f ms CPU\n", "hand-out order built", (thread_us() - t0) / 1e3);
	if (turns) {
		t0 = thread_us();
		if (take_turns(db, p, h, who, turns) < 0)
			goto out;
		printf("%-44s %.1f ms CPU\n", "turns taken", (thread_us() - t0) / 1e3);
	}
	if (time_calls(db, p, h, DATA_VERSION, NULL, v, (size_t)calls, &last) < 0)
		goto out;
	print_us("PRAGMA data_version", v, (size_t)calls);
	if (time_calls(db, p, h, AVAILABLE, "avail-new", v, (size_t)calls, &last) < 0)
		goto out;
	printf("available to a new reviewer: %lld\n", (long long)last);
	print_us("screen_serve_available, new reviewer", v, (size_t)calls);
	if (time_calls(db, p, h, AVAILABLE, who[0], v, (size_t)calls, &last) < 0)
		goto out;
	printf("available to %s: %lld\n", who[0], (long long)last);
	print_us("screen_serve_available, reviewer with turns", v, (size_t)calls);
	if (time_calls(db, p, h, PROGRESS, who[0], v, (size_t)calls, &last) < 0)
		goto out;
	print_us("screen_serve_progress (kept)", v, (size_t)calls);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "bench_serve_available: %s\n", lsr_error_last());
	screen_handout_free(h);
	protocol_free(p);
	db_close(db);
	free(v);
	return rc;
}
