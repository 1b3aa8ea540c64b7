/*
 * par.c - the one small thread pool (par.h), over POSIX threads.
 */
#include "par.h"

#include <pthread.h>
#include <stdlib.h>

struct chunk {
	void (*fn)(void *payload, size_t t, size_t from, size_t to);
	void *payload;
	size_t t, from, to;
	pthread_t th;
	int started;
};

static void *chunk_run(void *arg)
{
	struct chunk *c = arg;

	c->fn(c->payload, c->t, c->from, c->to);
	return NULL;
}

void par_for(size_t n, size_t nchunks, void (*fn)(void *payload, size_t t, size_t from, size_t to),
	     void *payload)
{
	struct chunk one, *cs;

	if (nchunks == 0)
		nchunks = 1;
	cs = nchunks > 1 ? calloc(nchunks, sizeof(*cs)) : &one;
	if (!cs) {
		/* no memory for the bookkeeping: the same chunks, one after another */
		for (size_t t = 0; t < nchunks; t++)
			fn(payload, t, n * t / nchunks, n * (t + 1) / nchunks);
		return;
	}
	for (size_t t = 0; t < nchunks; t++) {
		cs[t].fn = fn;
		cs[t].payload = payload;
		cs[t].t = t;
		cs[t].from = n * t / nchunks;
		cs[t].to = n * (t + 1) / nchunks;
		cs[t].started = t > 0 && pthread_create(&cs[t].th, NULL, chunk_run, &cs[t]) == 0;
	}
	chunk_run(&cs[0]);
	for (size_t t = 1; t < nchunks; t++) {
		if (cs[t].started)
			pthread_join(cs[t].th, NULL);
		else
			chunk_run(&cs[t]);
	}
	if (cs != &one)
		free(cs);
}
