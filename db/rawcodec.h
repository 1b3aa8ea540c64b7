/*
 * rawcodec.h - how records.raw is stored: the bytes of a record exactly as
 * received, compressed with zstd (level 3, no dictionary) when that makes
 * them smaller.  records.raw_codec says which: NULL for the bytes as they
 * are (every row written before migration 0008, empty records and the
 * ones zstd cannot shrink), 1 for one zstd frame holding them.
 *
 * A PubMed XML record of about 10 kB packs to about a fifth of its size;
 * see bench/README.md for the figures.
 */
#ifndef LSR_DB_RAWCODEC_H
#define LSR_DB_RAWCODEC_H

#include "../util/buf.h"

#include <stddef.h>

enum { RAW_CODEC_PLAIN = 0, RAW_CODEC_ZSTD = 1 };

/*
 * Pack n bytes for storage.  Returns RAW_CODEC_ZSTD with the frame in out
 * (reset first), or RAW_CODEC_PLAIN with out untouched when the caller
 * should store the bytes as they are (empty input, or a frame that would
 * not be smaller); LSR_ENOMEM on failure.  Not thread-safe: one
 * compression context is reused from call to call (import is
 * single-threaded).
 */
int raw_pack(struct buf *out, const void *in, size_t n);

/*
 * The bytes a stored value stands for: *out (malloc'd, at least one byte,
 * the caller frees it) and *len.  codec is RAW_CODEC_PLAIN or
 * RAW_CODEC_ZSTD; a damaged frame or an unknown codec is LSR_EDB.
 */
int raw_unpack(int codec, const void *in, size_t n, unsigned char **out, size_t *len);

#endif
