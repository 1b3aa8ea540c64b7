/*
 * clock.h - the current time, as lsr records it.
 *
 * Times are UTC in ISO 8601 ("2026-11-23T19:17:00Z").  When the environment
 * variable SOURCE_DATE_EPOCH is set (reproducible builds convention), it is
 * used instead of the clock, so that tests and the example review produce
 * byte-identical output.
 */
#ifndef LSR_CLOCK_H
#define LSR_CLOCK_H

#include <time.h>

#define CLOCK_ISO_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

time_t clock_now(void);
void clock_iso(char out[CLOCK_ISO_LEN], time_t t);
void clock_now_iso(char out[CLOCK_ISO_LEN]);
/* Monotonic seconds, for rates and progress. */
double clock_mono(void);

#endif
