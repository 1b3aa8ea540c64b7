/*
 * err.h - one error slot per thread, shared by every stage.
 *
 * A function that can fail returns 0 or a negative LSR_E* code.  It records a
 * one-line message with lsr_error_set(), which returns the code, so callers
 * write
 *
 *     return lsr_error_set(LSR_EPARSE, "%s:%lu: expected 'ER  -'", path, line);
 *
 * Callers pass codes up unchanged; only cli/ reads lsr_error_last() and maps
 * the code to an exit status (see docs/exit-codes.md).  New codes are only
 * ever appended.
 */
#ifndef LSR_ERR_H
#define LSR_ERR_H

#include <stdarg.h>

enum lsr_error_code {
	LSR_OK = 0,
	LSR_ERROR = -1,     /* anything without a code of its own */
	LSR_ENOTFOUND = -2, /* a named thing does not exist */
	LSR_EPARSE = -3,    /* input rejected: file, line, what was expected */
	LSR_EHTTP = -4,     /* remote service failed after retries */
	LSR_ERATELIMIT = -5,/* remote service refused: rate limit */
	LSR_EDB = -6,       /* SQLite failed (message carries the SQL) */
	LSR_ESCHEMA = -7,   /* database foreign, too new, or locked */
	LSR_ENOMEM = -8,    /* allocation failed */
	LSR_EINTR = -9,     /* interrupted by a signal; work rolled back */
	LSR_EUSAGE = -10,   /* wrong use of a command (exit 2) */
};

#define LSR_ERRMSG_MAX 1024

/* Record a message for code and return code.  printf-style. */
int lsr_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int lsr_error_setv(int code, const char *fmt, va_list ap);
#ifdef __clang_analyzer__
/* clang's static analyzer (make tidy) sees one file at a time: show it
 * that lsr_error_set() returns its code, so that a caller's `if (rc < 0)`
 * after it is never taken as false.  The build itself never sees this. */
static inline int lsr_error_code_(int code, int set)
{
	(void)set;
	return code;
}
#define lsr_error_set(code, ...) lsr_error_code_((code), lsr_error_set((code), __VA_ARGS__))
#endif

/* Prefix the current message with "what: " (keeps the code). Returns it. */
int lsr_error_wrap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last message recorded on this thread, "" when none (borrowed). */
const char *lsr_error_last(void);
/* The code of the last message recorded on this thread. */
int lsr_error_last_code(void);
void lsr_error_clear(void);

/* An allocation failure: records "out of memory" and returns LSR_ENOMEM.
 * Inline, so that clang's analyzer sees the code returned (a caller's
 * `if (rc < 0)` after it is then never taken as false). */
static inline int lsr_error_oom(void)
{
	lsr_error_set(LSR_ENOMEM, "out of memory");
	return LSR_ENOMEM;
}

/* Abort with a message: for bugs only, never for bad input. */
#define BUG(...) lsr_bug(__FILE__, __LINE__, __VA_ARGS__)
void lsr_bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

/* Allocation helpers that abort on failure are NOT provided: every
 * allocation is checked and becomes LSR_ENOMEM. */



/* Set by the SIGINT/SIGTERM handler cli/ installs; long loops poll it with
 * lsr_check_interrupt(), which returns LSR_EINTR (message set) once set. */
#include <signal.h>
extern volatile sig_atomic_t lsr_interrupted;
int lsr_check_interrupt(void);
#endif
