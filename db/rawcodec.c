/*
 * rawcodec.c - zstd for records.raw (see rawcodec.h).
 */
#include "rawcodec.h"
#include "../util/err.h"

#include <zstd.h>

#include <stdlib.h>
#include <string.h>

/* level 3 (zstd's default): at 10 kB a record it packs at several hundred
 * MB/s, far ahead of the parser; higher levels gain little on XML */
#define RAW_LEVEL 3

int raw_pack(struct buf *out, const void *in, size_t n)
{
	static ZSTD_CCtx *cctx;
	size_t bound, got;
	int rc;

	if (!n)
		return RAW_CODEC_PLAIN;
	if (!cctx) {
		cctx = ZSTD_createCCtx();
		if (!cctx)
			return lsr_error_oom();
		ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, RAW_LEVEL);
		/* the frame header says its size: unpacking allocates once */
		ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
		ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0);
	}
	bound = ZSTD_compressBound(n);
	buf_reset(out);
	if ((rc = buf_grow(out, bound)) < 0)
		return rc;
	got = ZSTD_compress2(cctx, out->s, bound, in, n);
	if (ZSTD_isError(got) || got >= n)
		return RAW_CODEC_PLAIN;
	out->len = got;
	out->s[got] = '\0';
	return RAW_CODEC_ZSTD;
}

int raw_unpack(int codec, const void *in, size_t n, unsigned char **out, size_t *len)
{
	unsigned long long size;
	size_t got;

	*out = NULL;
	*len = 0;
	if (codec == RAW_CODEC_PLAIN) {
		*out = malloc(n ? n : 1);
		if (!*out)
			return lsr_error_oom();
		if (n)
			memcpy(*out, in, n);
		*len = n;
		return 0;
	}
	if (codec != RAW_CODEC_ZSTD)
		return lsr_error_set(LSR_EDB, "stored record text has an unknown codec %d", codec);
	size = ZSTD_getFrameContentSize(in, n);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > (unsigned long long)1 << 32)
		return lsr_error_set(LSR_EDB, "stored record text is not a zstd frame");
	*out = malloc(size ? (size_t)size : 1);
	if (!*out)
		return lsr_error_oom();
	got = ZSTD_decompress(*out, (size_t)size, in, n);
	if (ZSTD_isError(got) || got != size) {
		free(*out);
		*out = NULL;
		return lsr_error_set(LSR_EDB, "stored record text cannot be unpacked: %s",
				     ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame");
	}
	*len = got;
	return 0;
}
