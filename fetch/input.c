/*
 * input.c - the input stream every parser reads: gzip or plain files
 * (zlib's gzread reads both), or memory; line reading with encoding repair;
 * raw byte reads for the XML parsers.  The SHA-256 of the decompressed
 * bytes is computed on the way, so a file is read once.
 */
#include "fetch_int.h"
#include "../util/err.h"
#include "../util/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)256 * 1024)

static int input_new(struct fetch_input **out, const char *name)
{
	struct fetch_input *in = calloc(1, sizeof(*in));

	*out = NULL;
	if (!in)
		return lsr_error_oom();
	in->name = xstrdup(name);
	in->cap = CHUNK + FETCH_PEEK_MAX;
	in->buf = malloc(in->cap);
	if (!in->name || !in->buf) {
		fetch_input_free(in);
		return lsr_error_oom();
	}
	buf_init(&in->line, 0);
	buf_init(&in->raw, 0);
	*out = in;
	return 0;
}

int fetch_input_open(struct fetch_input **out, const char *path)
{
	struct fetch_input *in;
	int rc = input_new(&in, path);

	if (rc < 0)
		return rc;
	in->gz = gzopen(path, "rb");
	if (!in->gz) {
		rc = lsr_error_set(errno == ENOENT ? LSR_ENOTFOUND : LSR_ERROR,
				   "cannot open '%s': %s", path,
				   errno ? strerror(errno) : "out of memory");
		fetch_input_free(in);
		return rc;
	}
	gzbuffer(in->gz, 256 * 1024);
	in->hash = sha256_new();
	if (!in->hash) {
		fetch_input_free(in);
		return lsr_error_last_code();
	}
	*out = in;
	return 0;
}

int fetch_input_open_mem(struct fetch_input **out, const char *name,
			 const char *data, size_t len)
{
	struct fetch_input *in;
	int rc = input_new(&in, name);

	if (rc < 0)
		return rc;
	in->mem = data;
	in->memlen = len;
	*out = in;
	return 0;
}

void fetch_input_free(struct fetch_input *in)
{
	if (!in)
		return;
	if (in->gz)
		gzclose(in->gz);
	sha256_free(in->hash);
	buf_release(&in->line);
	buf_release(&in->raw);
	free(in->buf);
	free(in->name);
	free(in);
}

/* Read more bytes into buf, keeping the unread ones.  Returns bytes added,
 * 0 at end, negative on error. */
static long refill(struct fetch_input *in)
{
	long n;

	if (in->eof)
		return 0;
	if (in->pos > 0) {
		memmove(in->buf, in->buf + in->pos, in->len - in->pos);
		in->base += in->pos;
		in->len -= in->pos;
		in->pos = 0;
	}
	if (in->len == in->cap) {
		size_t ncap = in->cap * 2;
		unsigned char *p = realloc(in->buf, ncap);

		if (!p)
			return lsr_error_oom();
		in->buf = p;
		in->cap = ncap;
	}
	if (in->gz) {
		size_t want = in->cap - in->len;

		if (want > CHUNK)
			want = CHUNK;
		n = gzread(in->gz, in->buf + in->len, (unsigned)want);
		if (n < 0) {
			int err;
			const char *msg = gzerror(in->gz, &err);

			return lsr_error_set(LSR_EPARSE, "%s: cannot read: %s", in->name,
					     err == Z_ERRNO ? strerror(errno) : msg);
		}
		if (n == 0) {
			int err;

			gzerror(in->gz, &err);
			/* Z_BUF_ERROR: the file ended inside a gzip stream */
			if (err == Z_BUF_ERROR)
				return lsr_error_set(LSR_EPARSE, "%s: the compressed data ends early (a truncated .gz file)",
						     in->name);
			if (err != Z_OK)
				return lsr_error_set(LSR_EPARSE, "%s: corrupt compressed data",
						     in->name);
		}
		if (n > 0 && in->hash &&
		    sha256_update(in->hash, in->buf + in->len, (size_t)n) < 0)
			return LSR_ERROR;
	} else {
		size_t want = in->cap - in->len, left = in->memlen - in->mempos;

		if (want > left)
			want = left;
		memcpy(in->buf + in->len, in->mem + in->mempos, want);
		in->mempos += want;
		n = (long)want;
	}
	if (n == 0)
		in->eof = 1;
	in->len += (size_t)n;
	if (!in->started && in->len >= 3) {
		in->started = 1;
		if (!memcmp(in->buf, "\xEF\xBB\xBF", 3)) {
			in->pos = 3;
			in->fixes |= TEXT_FIX_BOM;
		}
	} else if (!in->started && in->eof) {
		in->started = 1;
	}
	return n;
}

int input_peek(struct fetch_input *in, const char **data, size_t *len)
{
	while (!in->eof && in->len - in->pos < FETCH_PEEK_MAX) {
		long n = refill(in);

		if (n < 0)
			return (int)n;
	}
	*data = (const char *)in->buf + in->pos;
	*len = in->len - in->pos;
	return 0;
}

long input_read(struct fetch_input *in, void *dst, size_t n)
{
	size_t have;

	if (in->pos == in->len || !in->started) {
		long r = refill(in);

		if (r < 0)
			return r;
	}
	have = in->len - in->pos;
	if (have > n)
		have = n;
	memcpy(dst, in->buf + in->pos, have);
	in->pos += have;
	return (long)have;
}

uint64_t input_offset(const struct fetch_input *in)
{
	return in->base + in->pos;
}

void input_unget_line(struct fetch_input *in)
{
	in->pushed_back = 1;
}

int input_getline(struct fetch_input *in)
{
	size_t i, end, next;

	if (in->pushed_back) {
		in->pushed_back = 0;
		return 1;
	}
	if (!in->started && refill(in) < 0)
		return lsr_error_last_code();
	for (;;) {
		unsigned char *p = in->buf + in->pos;
		size_t avail = in->len - in->pos;
		unsigned char *nl = memchr(p, '\n', avail);
		unsigned char *cr = memchr(p, '\r', nl ? (size_t)(nl - p) : avail);

		if (cr && (cr + 1 < p + avail || in->eof)) {
			/* CR: CRLF, CR CR LF (stray CR) or CR alone (old Mac) */
			i = (size_t)(cr - p);
			end = i;
			next = i + 1;
			while (next < avail && p[next] == '\r')
				next++;
			if (next < avail && p[next] == '\n') {
				in->fixes |= next == i + 1 ? TEXT_FIX_CRLF : TEXT_FIX_CR;
				next++;
			} else if (next == avail && !in->eof) {
				goto more; /* the LF may follow in the next chunk */
			} else {
				in->fixes |= TEXT_FIX_CR;
			}
			break;
		}
		if (nl) {
			end = (size_t)(nl - p);
			next = end + 1;
			break;
		}
		if (in->eof) {
			if (avail == 0)
				return 0;
			end = avail;
			next = avail;
			break;
		}
more:
		if (refill(in) < 0)
			return lsr_error_last_code();
	}
	{
		unsigned char *p = in->buf + in->pos;

		in->line_offset = in->base + in->pos;
		in->lineno++;
		buf_reset(&in->raw);
		buf_reset(&in->line);
		if (buf_add(&in->raw, p, next) < 0)
			return LSR_ENOMEM;
		if (text_is_ascii((const char *)p, end)) {
			if (buf_add(&in->line, p, end) < 0)
				return LSR_ENOMEM;
		} else if (text_append_utf8(&in->line, (const char *)p, end, &in->fixes) < 0) {
			return LSR_ENOMEM;
		}
		in->pos += next;
	}
	return 1;
}
