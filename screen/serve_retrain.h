/*
 * serve_retrain.h - the screening server's retraining worker (private to
 * screen/: serve_query.c's hand-out order uses it).
 *
 * One thread with its own database connection makes the rankings that
 * are due (rank.h: screen_ranking_compute), so that the request that
 * makes a reviewer's ranking due does not wait for it: it goes on handing
 * out from the ranking in use, and the next request takes the new one
 * (ho_worker_take) and stores it on the request's connection.  The worker
 * writes only the feature cache (rank_cache.c, when citations are new or
 * changed): any write of its own changes the request connection's PRAGMA
 * data_version, which the hand-out order reads as "another process
 * wrote" and rebuilds from scratch.
 *
 * One slot per reviewer: asking again while a ranking is queued, being
 * made, or made and not yet taken does nothing.  Reviewers are served in
 * the order they asked.
 *
 * LSR_TEST_RETRAIN_GATE (tests only): when set to a path, the worker
 * waits before each ranking until that file exists, and removes it when
 * the ranking is made, so a test can hold a retraining back and see when
 * it is done without timing anything.
 */
#ifndef LSR_SCREEN_SERVE_RETRAIN_H
#define LSR_SCREEN_SERVE_RETRAIN_H

#include <stdint.h>

/* The memory map of the server's connections (PRAGMA mmap_size, 1 GiB):
 * its scans of the review (the hand-out order, the rankings' texts) copy
 * no pages from the kernel. */
#define HO_MMAP_SIZE "1073741824"

struct protocol;
struct screen_ranking_job;
struct ho_worker;

/* Start the worker on the database file path (opened by the thread).
 * p is borrowed and must outlive the worker. */
int ho_worker_start(struct ho_worker **out, const char *path, const struct protocol *p,
		    uint64_t seed);
/* Stop it: waits for the ranking being made, frees what is left. */
void ho_worker_stop(struct ho_worker *w);

/* Ask for a new ranking of reviewer (never blocks on a ranking). */
int ho_worker_ask(struct ho_worker *w, const char *reviewer);

/*
 * The ranking made for reviewer, into *out (the caller's; NULL: none
 * ready), and into *busy whether one is still queued or being made.  A
 * ranking that failed gives *out NULL once, its message in *err (static
 * buffer of the worker, valid until the next call; "" when none).
 */
void ho_worker_take(struct ho_worker *w, const char *reviewer, struct screen_ranking_job **out,
		    int *busy, const char **err);

/* Free job (taken and stored) on the worker's thread: the features and
 * texts of 100,000 citations take a request tens of milliseconds to free.
 * (Freed here when the worker cannot queue it.) */
void ho_worker_dispose(struct ho_worker *w, struct screen_ranking_job *job);

/* Is a ranking of reviewer queued or being made? */
int ho_worker_busy(struct ho_worker *w, const char *reviewer);

/* Rankings made so far, and the wall-clock milliseconds of the last one
 * and of all (the benchmark prints them). */
void ho_worker_stats(struct ho_worker *w, long *made, double *last_ms, double *total_ms);

#endif
