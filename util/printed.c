/*
 * printed.c - numbers and p-values as papers print them (printed.h).
 */
#include "printed.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* s with a leading U+2212 MINUS SIGN read as '-': 1 when it had one. */
static int unicode_minus(const char *s)
{
	return (unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x88 &&
	       (unsigned char)s[2] == 0x92;
}

int printed_number(const char *s, double *v, double *half)
{
	char tmp[64];
	size_t n = 0;
	int frac = 0, digits = 0, in_frac = 0;
	long exp10 = 0;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (unicode_minus(s)) {
		tmp[n++] = '-';
		s += 3;
	} else if (*s == '-' || *s == '+') {
		tmp[n++] = *s++;
	}
	for (; *s && n < sizeof(tmp) - 1; s++) {
		if (isdigit((unsigned char)*s)) {
			digits++;
			frac += in_frac;
		} else if (*s == '.' && !in_frac) {
			in_frac = 1;
		} else {
			break;
		}
		tmp[n++] = *s;
	}
	if (!digits)
		return -1;
	if (*s == 'e' || *s == 'E') {
		exp10 = strtol(s + 1, &end, 10);
		if (end == s + 1 || exp10 < -300 || exp10 > 300)
			return -1;
		s = end;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s)
		return -1;
	tmp[n] = '\0';
	*v = strtod(tmp, NULL) * pow(10, (double)exp10);
	*half = 0.5 * pow(10, (double)(exp10 - frac));
	return 0;
}

int printed_p(const char *s, double *lo, double *hi, int *sig)
{
	double v, h;
	int rel = '=';

	while (isspace((unsigned char)*s))
		s++;
	if (*s == 'p' || *s == 'P')
		for (s++; isspace((unsigned char)*s);)
			s++;
	if (*s == '<' || *s == '>' || *s == '=') {
		rel = (unsigned char)*s++;
		if (*s == '=')
			s++; /* "<=" and ">=" read as "<" and ">" */
	} else if (!strncmp(s, "\xe2\x89\xa4", 3) || !strncmp(s, "\xe2\x89\xa5", 3)) {
		rel = s[2] == '\xa4' ? '<' : '>'; /* ≤ ≥ */
		s += 3;
	}
	if (printed_number(s, &v, &h) < 0 || v < 0 || v > 1)
		return -1;
	switch (rel) {
	case '<':
		*lo = 0, *hi = v;
		*sig = v <= PRINTED_ALPHA ? 1 : -1;
		break;
	case '>':
		*lo = v, *hi = 1;
		*sig = v >= PRINTED_ALPHA ? 0 : -1;
		break;
	default:
		*lo = fmax(0, v - h), *hi = fmin(1, v + h);
		*sig = *hi < PRINTED_ALPHA ? 1 : *lo >= PRINTED_ALPHA ? 0 : -1;
		break;
	}
	return 0;
}
