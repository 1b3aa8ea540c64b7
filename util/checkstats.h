/*
 * checkstats.h - checks of reported statistics (lsr check-stats): is the
 * p-value printed beside an estimate and its 95% confidence interval the
 * one they imply?  statcheck (Nuijten et al., Behav Res Methods
 * 2016;48:1205) does this for test statistics; here the test statistic is
 * recovered from the interval, z = estimate / SE with
 * SE = (upper - lower) / (2 x 1.96), on the log scale for ratio measures
 * (Altman & Bland, BMJ 2011;343:d2090).
 *
 * Numbers are taken as printed: each one stands for the interval of values
 * that round to it (0.27 is [0.265, 0.275]), and so does the p-value
 * ("0.10" is [0.095, 0.105], "<0.001" is [0, 0.001]).  A report is
 * inconsistent only when no estimate and interval in their rounding box
 * imply a p-value the printed p could stand for, or when the interval and
 * the p-value disagree on significance at 0.05.  docs/cmd/lsr-check-stats.md
 * states the rule for users.
 *
 * A separate header from pool.h (the meta-analysis engine): this file is a
 * calculator over printed text and needs none of the engine's types.
 */
#ifndef LSR_CHECKSTATS_H
#define LSR_CHECKSTATS_H

/* The printed fields of one report (borrowed; NULL or "" is missing). */
struct check_stats_in {
	const char *measure;  /* MD, SMD, RD, OR, RR, HR, ... (case-insensitive) */
	const char *estimate; /* "-0.27"; a Unicode minus (U+2212) is read as '-' */
	const char *ci_lb, *ci_ub;
	const char *p;        /* "0.10", "=0.03", "<0.001", "p < .05", ">0.05" */
};

/* Why a report is inconsistent. */
enum check_stats_flag {
	CHECK_STATS_OK = 0,
	CHECK_STATS_P_MISMATCH,      /* the printed p is outside the implied range */
	CHECK_STATS_SIGNIFICANCE,    /* interval and p disagree on p < 0.05 */
};

struct check_stats_out {
	int ratio;            /* 1 when the measure is on the log scale */
	double p_implied;     /* from the numbers as printed */
	double p_low, p_high; /* implied p over the rounding box */
	double p_rep_low, p_rep_high; /* the printed p as an interval */
	int ci_significant;   /* 1: the interval excludes the null, 0: it
			       * contains it, -1: an end touches the null */
	int p_significant;    /* 1: p < 0.05, 0: not, -1: cannot tell */
	enum check_stats_flag flag; /* CHECK_STATS_OK when consistent */
};

/*
 * Check one report.  0 on success (out->flag says whether it is
 * consistent); LSR_EPARSE with a message naming the field and what was
 * expected when a field is missing or is not a number, the measure is
 * unknown, the interval's ends are reversed, or a ratio measure has a
 * value <= 0.  The message has no file or line: the caller adds them.
 */
int check_stats_row(struct check_stats_out *out, const struct check_stats_in *in);

/* A phrase for a flag ("p does not match the interval"), static. */
const char *check_stats_flag_text(enum check_stats_flag f);

/* 1 when name is a ratio measure (OR, RR, HR, ...), 0 when a difference
 * (MD, SMD, RD, ...), -1 when unknown. */
int check_stats_measure_ratio(const char *name);

#endif
