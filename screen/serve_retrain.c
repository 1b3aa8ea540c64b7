/*
 * serve_retrain.c - the screening server's retraining worker (see
 * serve_retrain.h): a thread that makes the rankings the hand-out order
 * asks for, on a database connection of its own, between requests.
 */
#include "serve_retrain.h"
#include "rank.h"
#include "../db/db.h"
#include "../util/array.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Rankings waiting to be freed by the worker (more are freed by the
 * request that is done with them). */
#define TRASH_MAX 8

enum slot_state { SLOT_IDLE = 0, SLOT_QUEUED, SLOT_RUNNING, SLOT_DONE };

/* One reviewer's ranking: asked, being made, or made and not yet taken. */
struct slot {
	char *reviewer;
	enum slot_state state;
	uint64_t asked;                  /* order of asking (FIFO) */
	struct screen_ranking_job *job;  /* SLOT_DONE: the ranking (NULL: failed) */
	char err[LSR_ERRMSG_MAX];        /* SLOT_DONE, job NULL: why */
};

struct ho_worker {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int stop;
	char *path;                      /* the database file */
	const struct protocol *p;
	uint64_t seed;
	const char *gate;                /* LSR_TEST_RETRAIN_GATE, or NULL */
	struct slot *slots;              /* never shrinks: indexes stay */
	size_t nslots, aslots;
	uint64_t asks;
	struct lsr_db *db;               /* the worker's own connection */
	struct screen_ranking_job *trash[TRASH_MAX];  /* stored rankings to free */
	size_t ntrash;
	char taken_err[LSR_ERRMSG_MAX];  /* ho_worker_take's *err */
	long made;
	double last_ms, total_ms;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The slot of reviewer (w->mu held): its index, or SIZE_MAX. */
static size_t slot_find(const struct ho_worker *w, const char *reviewer)
{
	for (size_t i = 0; i < w->nslots; i++)
		if (!strcmp(w->slots[i].reviewer, reviewer))
			return i;
	return SIZE_MAX;
}

/* The queued slot asked first (w->mu held), or SIZE_MAX. */
static size_t slot_next(const struct ho_worker *w)
{
	size_t best = SIZE_MAX;

	for (size_t i = 0; i < w->nslots; i++)
		if (w->slots[i].state == SLOT_QUEUED &&
		    (best == SIZE_MAX || w->slots[i].asked < w->slots[best].asked))
			best = i;
	return best;
}

/* The test gate: wait until the file exists (or the worker stops). */
static int gate_wait(struct ho_worker *w)
{
	const struct timespec tick = { 0, 20L * 1000 * 1000 };
	int stop;

	for (;;) {
		pthread_mutex_lock(&w->mu);
		stop = w->stop;
		pthread_mutex_unlock(&w->mu);
		if (stop)
			return -1;
		if (access(w->gate, F_OK) == 0)
			return 0;
		nanosleep(&tick, NULL);
	}
}

/* Tests only: a gate file that says "fail" makes this ranking fail (the
 * way a failed ranking reaches the reviewer is tested without breaking
 * the review). */
static int gate_fails(const struct ho_worker *w)
{
	char head[4] = "";
	FILE *f = fopen(w->gate, "rb");

	if (!f)
		return 0;
	if (fread(head, 1, sizeof(head), f) != sizeof(head))
		head[0] = '\0';
	fclose(f);
	return !memcmp(head, "fail", sizeof(head));
}

/* Make reviewer's ranking on the worker's connection.  (Not in one read
 * transaction: the feature cache, rank_cache.c, writes its rows in a
 * transaction of its own.) */
static int make(struct ho_worker *w, const char *reviewer, struct screen_ranking_job **out)
{
	int rc;

	*out = NULL;
	if (!w->db && ((rc = db_open(&w->db, w->path, 0)) < 0 ||
		       (rc = db_exec(w->db, "PRAGMA mmap_size = " HO_MMAP_SIZE)) < 0))
		return rc;
	return screen_ranking_compute(out, w->db, reviewer, w->seed);
}

static void *worker_main(void *arg)
{
	struct ho_worker *w = arg;
	struct screen_ranking_job *job;
	char *name;
	size_t i;
	double t0, ms;
	int rc;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && !w->ntrash && (i = slot_next(w)) == SIZE_MAX)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->stop)
			break;
		if (w->ntrash) {
			job = w->trash[--w->ntrash];
			pthread_mutex_unlock(&w->mu);
			screen_ranking_job_free(job);
			pthread_mutex_lock(&w->mu);
			continue;
		}
		w->slots[i].state = SLOT_RUNNING;
		name = xstrdup(w->slots[i].reviewer);
		pthread_mutex_unlock(&w->mu);
		if (w->gate && gate_wait(w) < 0) {
			free(name);
			pthread_mutex_lock(&w->mu);
			break;
		}
		t0 = now_ms();
		lsr_error_clear();
		if (w->gate && gate_fails(w))
			rc = lsr_error_set(LSR_ERROR, "LSR_TEST_RETRAIN_GATE asked this ranking to fail");
		else
			rc = name ? make(w, name, &job) : lsr_error_oom();
		ms = now_ms() - t0;
		free(name);
		if (w->gate)
			unlink(w->gate);
		pthread_mutex_lock(&w->mu);
		w->slots[i].state = SLOT_DONE;
		w->slots[i].job = rc < 0 ? NULL : job;
		snprintf(w->slots[i].err, sizeof(w->slots[i].err), "%s", rc < 0 ? lsr_error_last() : "");
		if (rc == 0) {
			w->made++;
			w->last_ms = ms;
			w->total_ms += ms;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int ho_worker_start(struct ho_worker **out, const char *path, const struct protocol *p,
		    uint64_t seed)
{
	struct ho_worker *w = calloc(1, sizeof(*w));
	const char *gate = getenv("LSR_TEST_RETRAIN_GATE");

	*out = NULL;
	if (!w || !(w->path = xstrdup(path))) {
		free(w);
		return lsr_error_oom();
	}
	w->p = p;
	w->seed = seed;
	w->gate = gate && *gate ? gate : NULL;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w->path);
		free(w);
		return lsr_error_set(LSR_ERROR, "cannot start the retraining thread");
	}
	*out = w;
	return 0;
}

void ho_worker_stop(struct ho_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	for (size_t i = 0; i < w->nslots; i++) {
		screen_ranking_job_free(w->slots[i].job);
		free(w->slots[i].reviewer);
	}
	free(w->slots);
	for (size_t i = 0; i < w->ntrash; i++)
		screen_ranking_job_free(w->trash[i]);
	db_close(w->db);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w->path);
	free(w);
}

int ho_worker_ask(struct ho_worker *w, const char *reviewer)
{
	size_t i;
	int rc = 0;

	pthread_mutex_lock(&w->mu);
	i = slot_find(w, reviewer);
	if (i == SIZE_MAX) {
		if (ARRAY_GROW(w->slots, w->nslots, w->aslots, 8) < 0) {
			rc = LSR_ENOMEM;
			goto out;
		}
		memset(&w->slots[w->nslots], 0, sizeof(w->slots[0]));
		if (!(w->slots[w->nslots].reviewer = xstrdup(reviewer))) {
			rc = LSR_ENOMEM;
			goto out;
		}
		i = w->nslots++;
	}
	if (w->slots[i].state == SLOT_IDLE) {
		w->slots[i].state = SLOT_QUEUED;
		w->slots[i].asked = ++w->asks;
		pthread_cond_signal(&w->cv);
	}
out:
	pthread_mutex_unlock(&w->mu);
	return rc == LSR_ENOMEM ? lsr_error_oom() : rc;
}

void ho_worker_take(struct ho_worker *w, const char *reviewer, struct screen_ranking_job **out,
		    int *busy, const char **err)
{
	size_t i;

	*out = NULL;
	*busy = 0;
	w->taken_err[0] = '\0';
	*err = w->taken_err;
	pthread_mutex_lock(&w->mu);
	i = slot_find(w, reviewer);
	if (i != SIZE_MAX && w->slots[i].state == SLOT_DONE) {
		*out = w->slots[i].job;
		snprintf(w->taken_err, sizeof(w->taken_err), "%s", w->slots[i].err);
		w->slots[i].job = NULL;
		w->slots[i].state = SLOT_IDLE;
	} else if (i != SIZE_MAX) {
		*busy = w->slots[i].state != SLOT_IDLE;
	}
	pthread_mutex_unlock(&w->mu);
}

void ho_worker_dispose(struct ho_worker *w, struct screen_ranking_job *job)
{
	int queued = 0;

	if (!job)
		return;
	pthread_mutex_lock(&w->mu);
	if (w->ntrash < TRASH_MAX) {
		w->trash[w->ntrash++] = job;
		queued = 1;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	if (!queued)
		screen_ranking_job_free(job);
}

int ho_worker_busy(struct ho_worker *w, const char *reviewer)
{
	size_t i;
	int busy;

	pthread_mutex_lock(&w->mu);
	i = slot_find(w, reviewer);
	busy = i != SIZE_MAX && (w->slots[i].state == SLOT_QUEUED ||
				 w->slots[i].state == SLOT_RUNNING);
	pthread_mutex_unlock(&w->mu);
	return busy;
}

void ho_worker_stats(struct ho_worker *w, long *made, double *last_ms, double *total_ms)
{
	pthread_mutex_lock(&w->mu);
	*made = w->made;
	*last_ms = w->last_ms;
	*total_ms = w->total_ms;
	pthread_mutex_unlock(&w->mu);
}
