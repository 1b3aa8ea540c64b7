/*
 * rank_speed.c - the speed of prioritised screening's production path
 * (issue 13: "retrain and re-rank 50,000 citations in under 1 s;
 * 1,000,000 citations under 30 s, peak memory printed").
 *
 *     bench_rank_speed [--labelled F] [--reviewer R] [--steps S,...] REVIEW_DIR...
 *
 * Each REVIEW_DIR is a review (review.db; bench/rank_speed.sh makes them
 * from bench_gen_records RIS with lsr import and lsr dedup).  Unless the
 * review has title-abstract resolutions already, a share F (default 0.1)
 * of its live citations, picked by a hash of their id, is resolved (one
 * include in 20), as a review well into screening.  Then, each in a child
 * process of its own so that its peak memory is its own (wait4):
 *
 *   cold       the feature cache emptied, one ranking (screen_rank_profile:
 *              what screen_ranking_make computes, timed by phase)
 *   warm       the same again: every citation's features from the cache
 *   1% stale   1% of the cache's rows deleted first (as after an update
 *              that brings 1% new citations)
 *   make       screen_ranking_make, warm: computed and recorded
 *   next       screen_rank_next with a ranking due (retrain and hand out),
 *              then with the ranking fresh (its head only)
 *   status     the status figures (screen_status_json, as lsr serve and the
 *              report compute them) and the stopping rule's
 *              (screen_stopping_json), timed apart, then both from one
 *              pass (screen_status_stopping_json: lsr screen status)
 *
 * --steps runs only the steps named (e.g. --steps warm,next).
 *
 * Per step: wall and CPU seconds of each phase (load: the texts and labels
 * from SQL; hash: the inputs' SHA-256; features; train; order), the
 * cache's hits and rows made, and the child's peak RSS.  CPU is process
 * time (two threads tokenise); wall depends on the machine's load.
 */
#include "db/db.h"
#include "db/protocol.h"
#include "screen/rank.h"
#include "screen/rank_cache.h"
#include "screen/screen.h"
#include "util/err.h"

#include <jansson.h>

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *reviewer = "bench";
static double labelled = 0.1;
static const char *only;    /* --steps: a comma-separated list, NULL: all */

/* Whether --steps names step. */
static int wanted(const char *step)
{
	size_t n = strlen(step);

	for (const char *p = only; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, step, n))
			return 1;
		p = e ? e + 1 : p + len;
	}
	return !only;
}

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
	fprintf(stderr, "bench_rank_speed: %s: %s\n", what, lsr_error_last());
	return 1;
}

/* Resolve a share of the live citations unless some are resolved. */
static int seed_labels(struct lsr_db *db)
{
	int64_t have = 0;
	char sql[512];

	if (db_query_int(db, &have, "SELECT count(*) FROM screen_decisions"
			 " WHERE kind = 'resolution' AND stage = 'title-abstract'") < 0)
		return -1;
	if (have)
		return 0;
	/* ((id * 2654435761) % 1000) < F * 1000: a spread of the ids */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO screen_decisions(citation_id, stage, kind, reviewer, verdict, reason,"
		 " at, actor) SELECT citation_id, 'title-abstract', 'resolution', 'bench',"
		 " CASE WHEN (citation_id * 40503) %% 20 = 0 THEN 'include' ELSE 'exclude' END,"
		 " NULL, '2026-12-07T00:00:00Z', 'bench' FROM citation_updates"
		 " WHERE (citation_id * 2654435761) %% 1000 < %d",
		 (int)(labelled * 1000));
	if (db_txn_begin(db) < 0 || db_exec(db, sql) < 0 || db_txn_commit(db) < 0)
		return -1;
	return 0;
}

static void print_profile(const char *step, const struct screen_rank_profile *p)
{
	static const char *const names[] = { "load", "hash", "features", "train", "order" };
	double w = 0, c = 0;

	printf("  %-9s", step);
	for (int k = 0; k < SCREEN_RANK_PHASES; k++) {
		printf(" %s %.2f/%.2f", names[k], p->wall[k], p->cpu[k]);
		w += p->wall[k];
		c += p->cpu[k];
	}
	printf(" | total %.2f s wall, %.2f s CPU; retrain+re-rank (train+order) %.3f s CPU;"
	       " cache %zu hits, %zu made, %.1f MB read, %.1f MB written\n",
	       w, c, p->cpu[SCREEN_RANK_TRAIN] + p->cpu[SCREEN_RANK_ORDER], p->cache.hits,
	       p->cache.made, (double)p->cache.bytes_read / 1e6,
	       (double)p->cache.bytes_written / 1e6);
}

/* One step in this (child) process; 0 or 1. */
static int step(const char *rev, const char *what)
{
	char path[PATH_MAX];
	struct lsr_db *db = NULL;
	struct protocol *p = NULL;
	struct screen_rank_profile prof;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/review.db", rev);
	if (db_open(&db, path, 0) < 0)
		return fail(path);
	snprintf(path, sizeof(path), "%s/protocol.yaml", rev);
	if (protocol_load(&p, path) < 0) {
		db_close(db);
		return fail(path);
	}
	if (!strcmp(what, "cold") && db_exec(db, "DELETE FROM screen_rank_features") < 0)
		rc = fail("emptying the cache");
	if (!rc && !strcmp(what, "1% stale") &&
	    db_exec(db, "DELETE FROM screen_rank_features WHERE (citation_id * 40503) % 100 = 7") < 0)
		rc = fail("deleting rows");
	if (!rc && (!strcmp(what, "cold") || !strcmp(what, "warm") || !strcmp(what, "1% stale"))) {
		if (screen_rank_profile(&prof, db, reviewer, 1) < 0)
			rc = fail("ranking");
		else {
			if (!strcmp(what, "cold"))
				printf("  %zu citations, %zu labelled, %zu candidates, %zu non-zeros, model %s\n",
				       prof.citations, prof.labelled, prof.candidates, prof.nnz, prof.model);
			print_profile(what, &prof);
		}
	} else if (!rc && !strcmp(what, "make")) {
		struct screen_ranking r;
		double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);

		if (screen_ranking_make(&r, db, p, reviewer, 1, NULL) < 0)
			rc = fail("screen_ranking_make");
		else
			printf("  %-9s screen_ranking_make (computed and recorded): %.2f s wall, %.2f s CPU\n",
			       what, now(CLOCK_MONOTONIC) - w0, now(CLOCK_PROCESS_CPUTIME_ID) - c0);
		screen_ranking_release(&r);
	} else if (!rc && !strcmp(what, "status")) {
		static const char *const names[] = { "the status figures (screen_status_json)",
			"the stopping rule (screen_stopping_json)",
			"both in one pass (screen_status_stopping_json)" };

		for (int k = 0; k < 3 && !rc; k++) {
			double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
			json_t *o = NULL, *o2 = NULL;
			int r = k == 0 ? screen_status_json(db, &o)
				: k == 1 ? screen_stopping_json(db, 0.95, 0.95, &o)
					 : screen_status_stopping_json(db, 0.95, 0.95, &o, &o2);

			if (r < 0) {
				rc = fail(names[k]);
				break;
			}
			printf("  %-9s %s: %.2f s wall, %.2f s CPU\n", what, names[k],
			       now(CLOCK_MONOTONIC) - w0, now(CLOCK_PROCESS_CPUTIME_ID) - c0);
			json_decref(o);
			json_decref(o2);
		}
	} else if (!rc && !strcmp(what, "next")) {
		int64_t cit = 0, rk = 0, then = 0;

		/* a ranking due: the decisions since its last exceed retrain_every */
		for (int k = 0; k < 2 && !rc; k++) {
			double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);

			if (k == 0 && (db_query_int(db, &then, "SELECT coalesce(max(id), 0) FROM screen_rankings") < 0 ||
				       db_exec(db, "UPDATE screen_rankings SET decisions = -1000000") < 0)) {
				rc = fail("making a ranking due");
				break;
			}
			if (screen_rank_next(db, p, reviewer, 1, &cit, &rk) < 0) {
				rc = fail("screen_rank_next");
				break;
			}
			printf("  %-9s screen_rank_next, %s: %.3f s wall, %.3f s CPU (citation %lld, ranking %lld)\n",
			       what, k ? "ranking fresh (its head only)" : "ranking due (retrain)",
			       now(CLOCK_MONOTONIC) - w0, now(CLOCK_PROCESS_CPUTIME_ID) - c0,
			       (long long)cit, (long long)rk);
		}
	}
	protocol_free(p);
	db_close(db);
	return rc;
}

/* Run step in a child; print its peak RSS. */
static int child(const char *rev, const char *what)
{
	struct rusage ru;
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int rc = step(rev, what);

		fflush(stdout);
		_exit(rc);
	}
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	printf("  %-9s peak RSS %.0f MiB\n", what, (double)ru.ru_maxrss / 1024.0);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const steps[] = { "cold", "warm", "1% stale", "make", "next", "status" };
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--labelled") && i + 1 < argc)
			labelled = atof(argv[++i]);
		else if (!strcmp(argv[i], "--reviewer") && i + 1 < argc)
			reviewer = argv[++i];
		else if (!strcmp(argv[i], "--steps") && i + 1 < argc)
			only = argv[++i];
		else {
			fprintf(stderr, "usage: bench_rank_speed [--labelled F] [--reviewer R] [--steps S,...] REVIEW_DIR...\n");
			return 2;
		}
	}
	for (; i < argc; i++) {
		char path[PATH_MAX];
		struct lsr_db *db = NULL;

		snprintf(path, sizeof(path), "%s/review.db", argv[i]);
		if (db_open(&db, path, 0) < 0)
			return fail(path);
		if (seed_labels(db) < 0) {
			db_close(db);
			return fail("resolving citations");
		}
		db_close(db);
		printf("%s (wall/CPU seconds per phase; the machine's load inflates wall)\n", argv[i]);
		for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
			if (wanted(steps[k]) && child(argv[i], steps[k]) < 0) {
				fprintf(stderr, "bench_rank_speed: %s: step %s failed\n", argv[i], steps[k]);
				return 1;
			}
	}
	return 0;
}
