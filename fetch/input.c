/*
 * input.c - the input stream every parser reads: gzip or plain files
 * (zlib's gzread reads both), or memory; line reading with encoding repair;
 * raw byte reads for the XML parsers.  The SHA-256 of the decompressed
 * bytes is computed on the way, so a file is read once.
 */
#include "fetch_int.h"
#include "../util/err.h"
#include "../util/text.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
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
	buf_init(&in->notes, 0);
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
	buf_release(&in->notes);
	free(in->buf);
	free(in->u16);
	free(in->name);
	free(in);
}

/* Up to want bytes of the source (decompressed, hashed) into dst; 0 at
 * the end, negative on error. */
static long read_source(struct fetch_input *in, unsigned char *dst, size_t want)
{
	long n;

	if (!in->gz) {
		size_t left = in->memlen - in->mempos;

		if (want > left)
			want = left;
		memcpy(dst, in->mem + in->mempos, want);
		in->mempos += want;
		return (long)want;
	}
	if (want > CHUNK)
		want = CHUNK;
	n = gzread(in->gz, dst, (unsigned)want);
	if (n < 0) {
		int err;
		const char *msg = gzerror(in->gz, &err);

		/* a read from a pipe or a slow disk cut short by ^C (the
		 * handler is installed without SA_RESTART) */
		if (err == Z_ERRNO && errno == EINTR && lsr_interrupted)
			return lsr_check_interrupt();
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
			return lsr_error_set(LSR_EPARSE, "%s: corrupt compressed data", in->name);
	}
	if (n > 0 && in->hash && sha256_update(in->hash, dst, (size_t)n) < 0)
		return LSR_ERROR;
	in->out_total += (uint64_t)n;
	/* a decompression bomb: far more bytes out than any text compresses
	 * to (gzoffset counts the compressed bytes consumed, not those
	 * buffered) */
	if (n > 0 && in->out_total > FETCH_GZ_FLOOR && !gzdirect(in->gz)) {
		z_off_t used = gzoffset(in->gz);

		if (used >= 0 && in->out_total - FETCH_GZ_FLOOR > (uint64_t)used * FETCH_GZ_RATIO) {
			in->over_limit = 1;
			return lsr_error_set(LSR_EPARSE,
					     "%s: refused: the compressed data expands more than %d times (%llu MiB from %llu KiB), the limit for .gz input (see 'Input limits' in lsr-import)",
					     in->name, FETCH_GZ_RATIO,
					     (unsigned long long)(in->out_total >> 20),
					     (unsigned long long)((uint64_t)used >> 10));
		}
	}
	return n;
}

/* "16 MiB" */
static void size_name(char *dst, size_t n, uint64_t bytes)
{
	if (bytes >= (1u << 20) && !(bytes & ((1u << 20) - 1)))
		snprintf(dst, n, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		snprintf(dst, n, "%llu bytes", (unsigned long long)bytes);
}

int input_limit(struct fetch_input *in, enum fetch_limit what, uint64_t line, uint64_t len)
{
	static const struct {
		uint64_t max;
		const char *thing, *name;
	} limits[] = {
		[FETCH_LIMIT_LINE] = { FETCH_LINE_MAX, "a line is longer than", "a line" },
		[FETCH_LIMIT_FIELD] = { FETCH_FIELD_MAX, "a field is longer than", "a field" },
		[FETCH_LIMIT_TEXT] = { FETCH_FIELD_MAX, "an XML text node is longer than",
				       "a text node, comment or tag" },
		[FETCH_LIMIT_RECORD] = { FETCH_RECORD_MAX, "the record that starts here is longer than",
					 "a record" },
		[FETCH_LIMIT_CELLS] = { FETCH_CELLS_MAX, "a row has more than", "a row" },
	};
	char max[32];

	assert(what >= FETCH_LIMIT_LINE && what <= FETCH_LIMIT_CELLS);
	if (len <= limits[what].max)
		return 0;
	in->over_limit = 1;
	if (what == FETCH_LIMIT_CELLS)
		snprintf(max, sizeof(max), "%d cells", FETCH_CELLS_MAX);
	else
		size_name(max, sizeof(max), limits[what].max);
	return lsr_error_set(LSR_EPARSE,
			     "%s:%llu: refused: %s %s, the limit for %s (see 'Input limits' in lsr-import)",
			     in->name, (unsigned long long)(line ? line : 1), limits[what].thing, max,
			     limits[what].name);
}

/*
 * Is p[0..n), the start of a file, UTF-16?  A byte-order mark says so;
 * without one, text that is mostly ASCII shows a NUL in every other byte
 * (the high byte: after the letter in little-endian, before it in
 * big-endian).  Returns INPUT_UTF16LE, INPUT_UTF16BE or 0.
 */
static int utf16_kind(const unsigned char *p, size_t n)
{
	size_t pairs, le = 0, be = 0;

	if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE && !(n >= 4 && !p[2] && !p[3]))
		return INPUT_UTF16LE; /* FF FE 00 00 would be UTF-32 */
	if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return INPUT_UTF16BE;
	if (n > 4096)
		n = 4096;
	pairs = n / 2;
	if (pairs < 2)
		return 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		if (p[i] && !p[i + 1])
			le++;
		else if (!p[i] && p[i + 1])
			be++;
	}
	if (le * 10 >= pairs * 7 && be * 10 < pairs)
		return INPUT_UTF16LE;
	if (be * 10 >= pairs * 7 && le * 10 < pairs)
		return INPUT_UTF16BE;
	return 0;
}

/* Append code point cp as UTF-8 at dst; returns the bytes written. */
static size_t put_utf8(unsigned char *dst, unsigned long cp)
{
	if (cp < 0x80) {
		dst[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		dst[0] = (unsigned char)(0xC0 | cp >> 6);
		dst[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		dst[0] = (unsigned char)(0xE0 | cp >> 12);
		dst[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		dst[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	dst[0] = (unsigned char)(0xF0 | cp >> 18);
	dst[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	dst[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	dst[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Convert the UTF-16 bytes held in in->u16 to UTF-8 at the end of buf
 * (which has room for 3 bytes per 2).  A unit cut at the end of the bytes
 * read so far waits for the next read, unless the source has ended; an
 * unpaired surrogate or a lone last byte becomes U+FFFD and U+0000 is
 * dropped.  Returns the bytes added to buf.
 */
static size_t decode_utf16(struct fetch_input *in, int at_end)
{
	const unsigned char *p = in->u16;
	size_t i = 0, n = in->u16len, out = 0;
	unsigned char *dst = in->buf + in->len;
	int le = in->utf16 == INPUT_UTF16LE;

	while (i + 1 < n) {
		unsigned long u = le ? (unsigned long)(p[i] | p[i + 1] << 8)
				     : (unsigned long)(p[i] << 8 | p[i + 1]);
		unsigned long cp = u;
		size_t used = 2;

		if (u >= 0xD800 && u <= 0xDBFF) {
			if (i + 3 >= n && !at_end)
				break; /* the low surrogate comes with the next read */
			cp = 0xFFFD;
			if (i + 3 < n) {
				unsigned long w = le ? (unsigned long)(p[i + 2] | p[i + 3] << 8)
						     : (unsigned long)(p[i + 2] << 8 | p[i + 3]);

				if (w >= 0xDC00 && w <= 0xDFFF) {
					cp = 0x10000 + ((u - 0xD800) << 10) + (w - 0xDC00);
					used = 4;
				}
			}
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			cp = 0xFFFD;
		}
		i += used;
		if (cp)
			out += put_utf8(dst + out, cp);
	}
	if (at_end && i < n) {
		out += put_utf8(dst + out, 0xFFFD); /* an odd byte at the end */
		i = n;
	}
	memmove(in->u16, p + i, n - i);
	in->u16len = n - i;
	in->len += out;
	return out;
}

/* Read and convert UTF-16 until some UTF-8 text is added or the source
 * ends.  Returns bytes added, 0 at end, negative on error. */
static long refill_utf16(struct fetch_input *in)
{
	for (;;) {
		size_t room = in->cap - in->len, want = room / 3 * 2;
		size_t added;

		if (want > CHUNK)
			want = CHUNK;
		assert(want > in->u16len); /* refill made room; at most 3 bytes wait */
		if (!in->src_eof) {
			long n = read_source(in, in->u16 + in->u16len, want - in->u16len);

			if (n < 0)
				return n;
			in->src_eof = n == 0;
			in->u16len += (size_t)n;
		}
		added = decode_utf16(in, in->src_eof);
		if (added)
			return (long)added;
		if (in->src_eof)
			return 0;
	}
}

/* The first bytes are read: take UTF-16 apart for decoding, remove a
 * UTF-8 byte-order mark. */
static int input_start(struct fetch_input *in)
{
	size_t n = in->len - in->pos;

	in->started = 1;
	in->utf16 = utf16_kind(in->buf + in->pos, n);
	if (in->utf16) {
		const unsigned char *p = in->buf + in->pos;
		size_t bom = n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
					(p[0] == 0xFE && p[1] == 0xFF)) ? 2 : 0;

		in->u16 = malloc(CHUNK);
		if (!in->u16)
			return lsr_error_oom();
		memcpy(in->u16, p + bom, n - bom);
		in->u16len = n - bom;
		in->len = in->pos;
		in->src_eof = in->eof;
		in->eof = 0;
		in->fixes |= TEXT_FIX_UTF16;
		decode_utf16(in, in->src_eof);
		if (in->len == in->pos && in->src_eof)
			in->eof = 1;
		return 0;
	}
	if (n >= 3 && !memcmp(in->buf + in->pos, "\xEF\xBB\xBF", 3)) {
		in->pos += 3;
		in->fixes |= TEXT_FIX_BOM;
	}
	return 0;
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
	/* UTF-16 becomes up to half as long again as UTF-8 */
	while (in->len == in->cap || (in->utf16 && in->cap - in->len < CHUNK / 2 * 3 + 8)) {
		size_t ncap = in->cap * 2;
		unsigned char *p = realloc(in->buf, ncap);

		if (!p)
			return lsr_error_oom();
		in->buf = p;
		in->cap = ncap;
	}
	if (in->utf16) {
		n = refill_utf16(in);
		if (n == 0)
			in->eof = 1;
		return n;
	}
	/* the first read takes the bytes encoding detection looks at */
	n = read_source(in, in->buf + in->len,
			in->started ? in->cap - in->len : FETCH_PEEK_MAX);
	if (n < 0)
		return n;
	if (n == 0)
		in->eof = 1;
	in->len += (size_t)n;
	if (!in->started) {
		int rc;

		/* a short first read of a pipe or a small gzip member: fill up */
		while (!in->eof && in->len < FETCH_PEEK_MAX) {
			long more = read_source(in, in->buf + in->len, FETCH_PEEK_MAX - in->len);

			if (more < 0)
				return more;
			if (more == 0)
				in->eof = 1;
			in->len += (size_t)more;
		}
		if ((rc = input_start(in)) < 0)
			return rc;
		n = (long)(in->len - in->pos);
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

int input_note(struct fetch_input *in, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (in->notes.len && buf_adds(&in->notes, "; ") < 0)
		return LSR_ENOMEM;
	va_start(ap, fmt);
	rc = buf_vprintf(&in->notes, fmt, ap);
	va_end(ap);
	return rc < 0 ? LSR_ENOMEM : 0;
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
	size_t i, end, next, seen = 0;

	if (in->pushed_back) {
		in->pushed_back = 0;
		return 1;
	}
	if (!in->started && refill(in) < 0)
		return lsr_error_last_code();
	/* seen: bytes from pos already known to hold no line end, so a long
	 * line is scanned once however many reads it takes */
	for (;;) {
		unsigned char *p = in->buf + in->pos;
		size_t avail = in->len - in->pos;
		unsigned char *nl = memchr(p + seen, '\n', avail - seen);
		unsigned char *cr = memchr(p + seen, '\r', nl ? (size_t)(nl - p) - seen : avail - seen);

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
				seen = i;
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
		seen = cr ? (size_t)(cr - p) : avail;
more:
		/* refuse a line past the limit before reading the rest of it */
		if (avail > FETCH_LINE_MAX)
			return input_limit(in, FETCH_LIMIT_LINE, in->lineno + 1, avail);
		if (refill(in) < 0)
			return lsr_error_last_code();
	}
	if (end > FETCH_LINE_MAX)
		return input_limit(in, FETCH_LIMIT_LINE, in->lineno + 1, end);
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
