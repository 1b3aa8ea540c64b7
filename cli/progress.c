/*
 * progress.c - drawing the progress stages report (util/progress.h):
 * only when stderr is a terminal and not -q, only after one second, at most
 * ten redraws a second, on one line that is cleared at the end.  Once a
 * line is on screen, a new label replaces it at once (the next phase of the
 * same work); a report with the unit "" names a phase without counting.
 */
#include "progress.h"
#include "../util/clock.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct progress_state {
	double start;     /* when the first report came */
	double last;      /* last redraw */
	int drawn;        /* a line is on screen */
	int at_once;      /* this label follows one on screen: no second's wait */
	int enabled;
	char what[64];
};

static struct progress_state state;

static void human(char *out, size_t n, double v, const char *unit)
{
	if (!strcmp(unit, "bytes")) {
		if (v >= 1e9)
			snprintf(out, n, "%.2f GB", v / 1e9);
		else if (v >= 1e6)
			snprintf(out, n, "%.1f MB", v / 1e6);
		else
			snprintf(out, n, "%.0f kB", v / 1e3);
	} else {
		snprintf(out, n, "%.0f %s", v, unit);
	}
}

static void draw(void *payload, const char *what, uint64_t done, uint64_t total,
		 const char *unit)
{
	double now = clock_mono();
	char d[32], t[32], r[32];

	(void)payload;
	if (!state.enabled)
		return;
	if (strncmp(state.what, what, sizeof(state.what) - 1)) {
		snprintf(state.what, sizeof(state.what), "%s", what);
		state.start = now;
		state.last = 0;
		/* the next phase of work already shown: shown at once */
		state.at_once = state.drawn;
	}
	if ((!state.at_once && now - state.start < 1.0) || now - state.last < 0.1)
		return;
	state.last = now;
	state.drawn = 1;
	if (!*unit) {
		fprintf(stderr, "\r%s ...\033[K", what);
		return;
	}
	human(d, sizeof(d), (double)done, unit);
	human(r, sizeof(r), now > state.start ? (double)done / (now - state.start) : 0, unit);
	if (total && done <= total) {
		human(t, sizeof(t), (double)total, unit);
		fprintf(stderr, "\r%s: %s of %s (%.0f%%), %s/s\033[K", what, d, t,
			100.0 * (double)done / (double)total, r);
	} else {
		fprintf(stderr, "\r%s: %s, %s/s\033[K", what, d, r);
	}
}

void progress_cli_init(struct lsr_progress *p, int verbosity)
{
	memset(&state, 0, sizeof(state));
	state.enabled = verbosity >= 0 && isatty(2);
	p->fn = draw;
	p->payload = &state;
}

void progress_cli_done(void)
{
	if (state.drawn)
		fputs("\r\033[K", stderr);
	state.drawn = 0;
	state.what[0] = '\0';
}
