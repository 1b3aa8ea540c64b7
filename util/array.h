/*
 * array.h - growing arrays: the one way lsr makes room for one more
 * element in a malloc'd array with a count and a capacity.
 *
 *     struct item *v = NULL; size_t n = 0, alloc = 0;
 *     if (ARRAY_GROW(v, n, alloc, 64) < 0)
 *             return LSR_ENOMEM;    (v, n and alloc are as they were)
 *     v[n++] = x;
 *
 * The capacity doubles, starting at minalloc; alloc must be a size_t.
 */
#ifndef LSR_ARRAY_H
#define LSR_ARRAY_H

#include <stddef.h>

#define ARRAY_GROW(arr, n, alloc, minalloc) \
	((size_t)(n) < (alloc) ? 0 : array_grow((void **)&(arr), &(alloc), sizeof(*(arr)), (minalloc)))

/* Double *alloc (or set it to minalloc) and realloc *p to hold that many
 * elements of elem bytes.  0, or LSR_ENOMEM with *p and *alloc unchanged
 * (also when the size would overflow). */
int array_grow(void **p, size_t *alloc, size_t elem, size_t minalloc);

#endif
