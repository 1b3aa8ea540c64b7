/*
 * printed.h - numbers and p-values as papers print them, with the rounding
 * their printed digits imply: "0.27" stands for [0.265, 0.275], "p = 0.10"
 * for [0.095, 0.105], "<0.001" for [0, 0.001].  lsr check-stats
 * (pool/checkstats.c) checks reports with them; the extraction sheets
 * (extract/) check a study-level effect's p column is one.
 */
#ifndef LSR_PRINTED_H
#define LSR_PRINTED_H

/* the significance level printed_p() judges p < 0.05 by */
#define PRINTED_ALPHA 0.05

/*
 * Read a printed decimal number ("-0.27", "−0.27" with a Unicode
 * minus, ".05", "1.2e-3") into *v, and half its last printed unit into
 * *half.  The whole string must be the number (surrounding space
 * allowed).  0, or -1 when it is not a number.
 */
int printed_number(const char *s, double *v, double *half);

/*
 * Read a printed p-value ("0.10", "=0.03", "<0.001", "p < .05", ">0.05",
 * "≤ 0.01") as the interval [*lo, *hi] it stands for, and whether it
 * says p < 0.05 (*sig 1), not (0), or cannot tell (-1).  0, or -1 when it
 * is not a p-value (not a number, or outside 0..1).
 */
int printed_p(const char *s, double *lo, double *hi, int *sig);

#endif
