/*
 * err.c - the per-thread error slot (see err.h).
 */
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char last_msg[LSR_ERRMSG_MAX]; /* the message */
static _Thread_local int last_code;                 /* its code */

int lsr_error_setv(int code, const char *fmt, va_list ap)
{
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	last_code = code;
	return code;
}

/* the name in parentheses: err.h makes lsr_error_set a macro for clang's analyzer */
int (lsr_error_set)(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lsr_error_setv(code, fmt, ap);
	va_end(ap);
	return code;
}

int lsr_error_wrap(const char *fmt, ...)
{
	char prefix[LSR_ERRMSG_MAX];
	char old[LSR_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last_msg, sizeof(old));
	/* truncation is fine: messages are one line */
	size_t n = strlen(prefix);

	if (n > sizeof(last_msg) - 3)
		n = sizeof(last_msg) - 3;
	memcpy(last_msg, prefix, n);
	memcpy(last_msg + n, ": ", 2);
	n += 2;
	{
		size_t m = strlen(old);

		if (m > sizeof(last_msg) - 1 - n)
			m = sizeof(last_msg) - 1 - n;
		memcpy(last_msg + n, old, m);
		last_msg[n + m] = '\0';
	}
	return last_code;
}

const char *lsr_error_last(void)
{
	return last_msg;
}

int lsr_error_last_code(void)
{
	return last_code;
}

void lsr_error_clear(void)
{
	last_msg[0] = '\0';
	last_code = 0;
}

void lsr_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

volatile sig_atomic_t lsr_interrupted;

int lsr_check_interrupt(void)
{
	if (!lsr_interrupted)
		return 0;
	return lsr_error_set(LSR_EINTR, "interrupted; nothing of this command was stored");
}
