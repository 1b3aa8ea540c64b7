/*
 * clock.c - wall and monotonic time (see clock.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>

time_t clock_now(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");

	if (e && *e) {
		char *end;
		long long v = strtoll(e, &end, 10);

		if (!*end && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

void clock_iso(char out[CLOCK_ISO_LEN], time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CLOCK_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_now_iso(char out[CLOCK_ISO_LEN])
{
	clock_iso(out, clock_now());
}

double clock_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
