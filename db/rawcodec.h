/*
 * rawcodec.h - how records.raw is stored: the bytes of a record exactly as
 * received, as one zstd frame when that makes them smaller.
 * records.raw_codec says which: NULL for the bytes as they are (every row
 * written before migration 0008, empty records and the ones zstd cannot
 * shrink), 1 for a zstd frame.  A frame may need a dictionary: its header
 * names it (ZSTD dictionary ID), and table raw_dicts holds it.
 *
 * An import trains one dictionary on its first records (a few hundred
 * PubMed XML records, 1 MiB) and packs the rest with it: a 10 kB PubMed
 * XML record packs to about a tenth of its size with the dictionary,
 * under a third without (bench/README.md has the figures).
 */
#ifndef LSR_DB_RAWCODEC_H
#define LSR_DB_RAWCODEC_H

#include "../util/buf.h"

#include <stddef.h>

enum { RAW_CODEC_PLAIN = 0, RAW_CODEC_ZSTD = 1 };

struct raw_dict; /* a dictionary, ready to pack and unpack with */

/*
 * Train a dictionary of at most RAW_DICT_MAX bytes on nsamples samples
 * (concatenated in samples, sizes[i] bytes each) and give it the
 * dictionary ID id (nonzero).  LSR_ERROR when zstd cannot train one from
 * these samples (too few, too small), LSR_ENOMEM.
 */
#define RAW_DICT_MAX ((size_t)64 * 1024)
int raw_dict_train(struct raw_dict **out, unsigned id, const void *samples,
		   const size_t *sizes, unsigned nsamples);
/* A dictionary from its stored bytes (raw_dict_bytes); LSR_EDB if they are
 * not one. */
int raw_dict_load(struct raw_dict **out, const void *p, size_t n);
unsigned raw_dict_id(const struct raw_dict *d);
const void *raw_dict_bytes(const struct raw_dict *d, size_t *n);
void raw_dict_free(struct raw_dict *d);

/*
 * Pack n bytes for storage, with dictionary d (NULL: none; d keeps the
 * tables zstd derives from it, made on first use).  Returns
 * RAW_CODEC_ZSTD with the frame in out (reset first), or RAW_CODEC_PLAIN
 * with out untouched when the caller should store the bytes as they are
 * (empty input, or a frame that would not be smaller); LSR_ENOMEM on
 * failure.  Not thread-safe: one compression context is reused from call
 * to call (import is single-threaded).
 */
int raw_pack(struct buf *out, const void *in, size_t n, struct raw_dict *d);

/* The dictionary ID a stored frame needs (0: none). */
unsigned raw_frame_dict(const void *in, size_t n);

/*
 * The bytes a stored value stands for: *out (malloc'd, at least one byte,
 * the caller frees it) and *len.  codec is RAW_CODEC_PLAIN or
 * RAW_CODEC_ZSTD; d the dictionary raw_frame_dict named (else NULL).  A
 * damaged frame (its checksum tells), a missing dictionary or an unknown
 * codec is LSR_EDB.
 */
int raw_unpack(int codec, const void *in, size_t n, const struct raw_dict *d,
	       unsigned char **out, size_t *len);

#endif
