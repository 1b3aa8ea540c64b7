/*
 * array.c - growing arrays (array.h).
 */
#include "array.h"
#include "err.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

int array_grow(void **p, size_t *alloc, size_t elem, size_t minalloc)
{
	size_t na = *alloc ? *alloc * 2 : (minalloc ? minalloc : 1);
	void *np;

	assert(elem > 0); /* the size of an element */
	if (na < *alloc || (elem && na > SIZE_MAX / elem))
		return lsr_error_oom();
	np = realloc(*p, na * elem);
	if (!np)
		return lsr_error_oom();
	*p = np;
	*alloc = na;
	return 0;
}
