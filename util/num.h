/*
 * num.h - parsing numbers people type on the command line and in sheets.
 */
#ifndef LSR_NUM_H
#define LSR_NUM_H

#include <stdint.h>

/*
 * Parse s as a positive decimal id (a record, citation, run, pair or study
 * number) into *out.  Anything else (empty, signs, trailing text, zero,
 * overflow) is LSR_EUSAGE with the message "'s' is not a WHAT id".
 */
int num_parse_id(int64_t *out, const char *s, const char *what);

#endif
