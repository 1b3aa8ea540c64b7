/*
 * progress.h - how stages report progress without touching the terminal.
 *
 * A stage calls progress_report() as work advances; cli/progress.c decides
 * whether and how to draw it (only on a tty stderr, after one second,
 * throttled).  A NULL progress or NULL fn means nobody listens.
 */
#ifndef LSR_PROGRESS_H
#define LSR_PROGRESS_H

#include <stdint.h>

struct lsr_progress {
	/* what: a short label ("importing records"); total 0 when unknown;
	 * unit: what is counted ("records", "bytes"), or "" for a phase of
	 * the work that is named, not counted (done and total 0) */
	void (*fn)(void *payload, const char *what, uint64_t done, uint64_t total,
		   const char *unit);
	void *payload;
};

static inline void progress_report(const struct lsr_progress *p, const char *what,
				   uint64_t done, uint64_t total, const char *unit)
{
	if (p && p->fn)
		p->fn(p->payload, what, done, total, unit);
}

#endif
