/*
 * buf.h - a growable byte string with a size cap (after curl's dynbuf and
 * git's strbuf).
 *
 * A buf always holds a NUL-terminated string (buf->s is never NULL after
 * buf_init; it points at a static "" until the first append).  Appends fail
 * with LSR_ENOMEM when memory runs out and with LSR_ERROR when the cap would
 * be exceeded, leaving the content unchanged.
 *
 *     struct buf b = BUF_INIT;
 *     if (buf_printf(&b, "%d", 42) < 0) ...
 *     char *s = buf_detach(&b);   // caller frees s; b is empty again
 */
#ifndef LSR_BUF_H
#define LSR_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *s;     /* content, NUL-terminated */
	size_t len;  /* bytes used, excluding the NUL */
	size_t cap;  /* bytes allocated (0: s points at a static "") */
	size_t max;  /* largest len allowed; 0 means BUF_DEFAULT_MAX */
};

extern char buf_empty[];
#define BUF_DEFAULT_MAX ((size_t)1 << 30) /* 1 GiB: no field is larger */
#define BUF_INIT { buf_empty, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);      /* free memory, back to BUF_INIT state */
void buf_reset(struct buf *b);        /* len = 0, keep the memory */
int buf_grow(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_setlen(struct buf *b, size_t len); /* len <= b->len */
void buf_trim(struct buf *b);               /* strip ASCII space both ends */
/* Take the content (caller frees); b is left empty.  Never returns NULL
 * unless memory runs out. */
char *buf_detach(struct buf *b);

/* A NUL-terminated strdup that records LSR_ENOMEM on failure. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
