/*
 * strv.h - an owned, growable vector of strings (authors, keywords, ...).
 *
 *     struct strv v = STRV_INIT;
 *     strv_push(&v, "Smith, J");   // copies
 *     strv_release(&v);
 */
#ifndef LSR_STRV_H
#define LSR_STRV_H

#include <stdarg.h>
#include <stddef.h>

struct strv {
	char **v;     /* items, each owned */
	size_t n;     /* items used */
	size_t alloc; /* slots allocated */
};

#define STRV_INIT { NULL, 0, 0 }

int strv_push(struct strv *sv, const char *s);             /* copies s */
int strv_pushn(struct strv *sv, const char *s, size_t len); /* copies */
int strv_push_owned(struct strv *sv, char *s);             /* takes s */
/* Push a formatted string. */
int strv_pushf(struct strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strv_vpushf(struct strv *sv, const char *fmt, va_list ap);
/* Push unless an equal string is already present. */
int strv_push_unique(struct strv *sv, const char *s);
int strv_contains(const struct strv *sv, const char *s);
void strv_clear(struct strv *sv); /* drop items, keep slots */
void strv_release(struct strv *sv);
/* Split s at each byte in seps, trimming ASCII space, dropping empties. */
int strv_split(struct strv *sv, const char *s, const char *seps);

#endif
