/*
 * rawcodec.c - zstd for records.raw (see rawcodec.h).
 */
#include "rawcodec.h"
#include "../util/err.h"

#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_c_forceAttachDict: a parameter number */
#define ZDICT_STATIC_LINKING_ONLY /* ZDICT_trainFromBuffer_fastCover (exported) */
#include <zdict.h>
#include <zstd.h>

#include <stdlib.h>
#include <string.h>

/*
 * Level 3 (zstd's default).  With a dictionary, on 10 kB PubMed XML
 * records: 400 MB/s of input packed on this machine, records to 11% of
 * their size (level 1: as fast, 12%); without one 185 MB/s and 27%.
 */
#define RAW_LEVEL 3

struct raw_dict {
	unsigned id;
	void *bytes;
	size_t n;
	ZSTD_CDict *cdict; /* made on first use by raw_pack */
};

static int dict_make(struct raw_dict **out, void *bytes, size_t n)
{
	struct raw_dict *d = calloc(1, sizeof(*d));

	if (!d) {
		free(bytes);
		return lsr_error_oom();
	}
	d->bytes = bytes;
	d->n = n;
	d->id = ZSTD_getDictID_fromDict(bytes, n);
	*out = d;
	return 0;
}

int raw_dict_train(struct raw_dict **out, unsigned id, const void *samples,
		   const size_t *sizes, unsigned nsamples)
{
	unsigned char *bytes = malloc(RAW_DICT_MAX);
	ZDICT_fastCover_params_t p;
	size_t n;

	*out = NULL;
	if (!bytes)
		return lsr_error_oom();
	/*
	 * fastCover with fixed parameters (k 1024, d 8): on 1 MiB of PubMed
	 * XML records it trains in 22 ms against ZDICT_trainFromBuffer's
	 * 96 ms (which tries several k), for frames 0.7% larger.
	 */
	memset(&p, 0, sizeof(p));
	p.k = 1024;
	p.d = 8;
	p.f = 20;
	p.accel = 1;
	p.zParams.compressionLevel = RAW_LEVEL;
	n = ZDICT_trainFromBuffer_fastCover(bytes, RAW_DICT_MAX, samples, sizes, nsamples, p);
	if (ZDICT_isError(n) || n < 8) {
		free(bytes);
		return lsr_error_set(LSR_ERROR, "no zstd dictionary from %u samples: %s",
				     nsamples, ZDICT_isError(n) ? ZDICT_getErrorName(n) : "too short");
	}
	/* the format's Dictionary_ID field (bytes 4-7, little-endian): ours,
	 * not the trainer's random one, so that a review's IDs are unique */
	for (int i = 0; i < 4; i++)
		bytes[4 + i] = (unsigned char)(id >> (8 * i));
	return dict_make(out, bytes, n);
}

int raw_dict_load(struct raw_dict **out, const void *p, size_t n)
{
	void *bytes;

	*out = NULL;
	if (!p || !n || !ZSTD_getDictID_fromDict(p, n))
		return lsr_error_set(LSR_EDB, "a stored zstd dictionary is damaged");
	bytes = malloc(n);
	if (!bytes)
		return lsr_error_oom();
	memcpy(bytes, p, n);
	return dict_make(out, bytes, n);
}

unsigned raw_dict_id(const struct raw_dict *d)
{
	return d->id;
}

const void *raw_dict_bytes(const struct raw_dict *d, size_t *n)
{
	*n = d->n;
	return d->bytes;
}

void raw_dict_free(struct raw_dict *d)
{
	if (!d)
		return;
	ZSTD_freeCDict(d->cdict);
	free(d->bytes);
	free(d);
}

int raw_pack(struct buf *out, const void *in, size_t n, struct raw_dict *d)
{
	static ZSTD_CCtx *cctx;
	size_t bound, got;
	int rc;

	if (!n)
		return RAW_CODEC_PLAIN;
	if (!cctx && !(cctx = ZSTD_createCCtx()))
		return lsr_error_oom();
	if (d && !d->cdict) {
		/* made once, on first use */
		d->cdict = ZSTD_createCDict(d->bytes, d->n, RAW_LEVEL);
		if (!d->cdict)
			return lsr_error_oom();
	}
	ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, RAW_LEVEL);
	/* the frame says its size (unpacking allocates once) and carries a
	 * checksum of the bytes: a damaged row is an error, never wrong text */
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
	/* use the dictionary's tables in place: copying them into the context
	 * (zstd's choice above 8 kB of input at this level) costs more than
	 * packing a 10 kB record */
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_forceAttachDict, ZSTD_dictForceAttach);
	if (d && ZSTD_isError(ZSTD_CCtx_refCDict(cctx, d->cdict)))
		return lsr_error_set(LSR_ERROR, "zstd refused the dictionary");
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

unsigned raw_frame_dict(const void *in, size_t n)
{
	return n ? ZSTD_getDictID_fromFrame(in, n) : 0;
}

int raw_unpack(int codec, const void *in, size_t n, const struct raw_dict *d,
	       unsigned char **out, size_t *len)
{
	static ZSTD_DCtx *dctx;
	unsigned long long size;
	unsigned want;
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
	size = n ? ZSTD_getFrameContentSize(in, n) : ZSTD_CONTENTSIZE_ERROR;
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > (unsigned long long)1 << 32)
		return lsr_error_set(LSR_EDB, "stored record text is not a zstd frame");
	want = raw_frame_dict(in, n);
	if (want && (!d || d->id != want))
		return lsr_error_set(LSR_EDB, "stored record text needs zstd dictionary %u, which is missing",
				     want);
	if (!dctx && !(dctx = ZSTD_createDCtx()))
		return lsr_error_oom();
	*out = malloc(size ? (size_t)size : 1);
	if (!*out)
		return lsr_error_oom();
	got = ZSTD_decompress_usingDict(dctx, *out, (size_t)size, in, n,
					want ? d->bytes : NULL, want ? d->n : 0);
	if (ZSTD_isError(got) || got != size) {
		free(*out);
		*out = NULL;
		return lsr_error_set(LSR_EDB, "stored record text cannot be unpacked: %s",
				     ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame");
	}
	*len = got;
	return 0;
}
