/*
 * num.c - parsing numbers people type (num.h).
 */
#include "num.h"
#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int num_parse_id(int64_t *out, const char *s, const char *what)
{
	char *end;
	long long v;

	/* strtoll would accept leading blanks and a sign */
	if (!isdigit((unsigned char)*s))
		return lsr_error_set(LSR_EUSAGE, "'%s' is not a %s id", s, what);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v <= 0)
		return lsr_error_set(LSR_EUSAGE, "'%s' is not a %s id", s, what);
	*out = v;
	return 0;
}
