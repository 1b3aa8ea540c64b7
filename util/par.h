/*
 * par.h - the one small thread pool: a range of independent items split
 * into contiguous chunks, one thread per chunk, the first chunk run by the
 * caller.  Deduplication's comparisons and the rules' evaluation use it.
 */
#ifndef LSR_PAR_H
#define LSR_PAR_H

#include <stddef.h>

/*
 * Call fn(payload, t, from, to) for chunks t = 0 .. nchunks-1 that cover
 * [0, n) in order, concurrently: chunk 0 in the calling thread, the others
 * in threads of their own (a chunk whose thread cannot be started runs in
 * the caller after chunk 0).  Returns when every chunk is done.  fn keeps
 * per-chunk state in payload, indexed by t; it must not touch another
 * chunk's.  nchunks 0 counts as 1.
 */
void par_for(size_t n, size_t nchunks, void (*fn)(void *payload, size_t t, size_t from, size_t to),
	     void *payload);

#endif
