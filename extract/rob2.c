/*
 * rob2.c - risk-of-bias levels, the RoB 1 domains, and the RoB 2
 * algorithm for individually randomised parallel-group trials.
 *
 * RoB 2 (Sterne JAC et al., BMJ 2019;366:l4898; guidance and crib sheet of
 * 22 August 2019) asks signalling questions in five domains.  Answers are
 * Y (yes), PY (probably yes), PN (probably no), N (no), NI (no
 * information), and NA where a question is not applicable.  Some questions
 * are asked only after certain answers to earlier ones ("2.4 If Y/PY to
 * 2.3"); 3.2 has no NI.  The guidance gives, per domain, an algorithm that
 * maps the answers to a proposed judgement (low risk, some concerns, high
 * risk); this file implements those flow charts one branch per line, in
 * the order of the guidance's figures, and checks the answers first so
 * that a sheet cannot hold an answer to a question the algorithm never
 * asks or leave out one it does ask.
 *
 * Domain 2 comes in two variants: the effect of assignment to
 * intervention (7 questions; two parts, the domain takes the worse) and the
 * effect of adhering to intervention (6 questions).
 */
#include "extract.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* levels and domains */

const char *extract_rob_level_name(enum rob_level l, int rob2)
{
	switch (l) {
	case ROB_LOW: return "low";
	case ROB_SOME: return rob2 ? "some concerns" : "unclear";
	case ROB_HIGH: return "high";
	case ROB_NONE: break;
	}
	return "";
}

enum rob_level extract_rob_level_parse(const char *s, int rob2)
{
	if (!s)
		return ROB_NONE;
	if (!strcasecmp(s, "low"))
		return ROB_LOW;
	if (!strcasecmp(s, "high"))
		return ROB_HIGH;
	if (!strcasecmp(s, rob2 ? "some concerns" : "unclear"))
		return ROB_SOME;
	return ROB_NONE;
}

const struct extract_rob_domain extract_rob1_domains[ROB1_NDOMAINS] = {
	{ "random-sequence", "Random sequence generation (selection bias)", "D1" },
	{ "allocation-concealment", "Allocation concealment (selection bias)", "D2" },
	{ "blinding-participants", "Blinding of participants and personnel (performance bias)", "D3" },
	{ "blinding-outcome", "Blinding of outcome assessment (detection bias)", "D4" },
	{ "incomplete-data", "Incomplete outcome data (attrition bias)", "D5" },
	{ "selective-reporting", "Selective reporting (reporting bias)", "D6" },
	{ "other-bias", "Other bias", "D7" },
};

const struct extract_rob_domain extract_rob2_domains[ROB2_NDOMAINS] = {
	{ "randomization", "Bias arising from the randomization process", "D1" },
	{ "deviations", "Bias due to deviations from intended interventions", "D2" },
	{ "missing-data", "Bias due to missing outcome data", "D3" },
	{ "measurement", "Bias in measurement of the outcome", "D4" },
	{ "selection", "Bias in selection of the reported result", "D5" },
};

static const char *const answer_names[ROB2_NANSWERS] = { "", "Y", "PY", "PN", "N", "NI", "NA" };

const char *extract_rob2_answer_name(enum rob2_answer a)
{
	return (unsigned)a < ROB2_NANSWERS ? answer_names[a] : "";
}

int extract_rob2_answer_parse(enum rob2_answer *out, const char *s)
{
	for (int i = 1; i < ROB2_NANSWERS; i++)
		if (!strcasecmp(s, answer_names[i])) {
			*out = (enum rob2_answer)i;
			return 0;
		}
	if (!*s) {
		*out = ROB2_UNSET;
		return 0;
	}
	return LSR_ERROR;
}

/* ------------------------------------------------------------------ */
/* the signalling questions */

#define B(a) (1u << (a))
#define YN (B(ROB2_Y) | B(ROB2_PY) | B(ROB2_PN) | B(ROB2_N) | B(ROB2_NI))
#define YN_NA (YN | B(ROB2_NA))
#define NO_NI (B(ROB2_Y) | B(ROB2_PY) | B(ROB2_PN) | B(ROB2_N) | B(ROB2_NA))

static const struct extract_rob2_question d1[] = {
	{ "1.1", "Was the allocation sequence random?", YN },
	{ "1.2", "Was the allocation sequence concealed until participants were enrolled and assigned?", YN },
	{ "1.3", "Did baseline differences between intervention groups suggest a problem with the randomization process?", YN },
};

static const struct extract_rob2_question d2_assignment[] = {
	{ "2.1", "Were participants aware of their assigned intervention during the trial?", YN },
	{ "2.2", "Were carers and people delivering the interventions aware of participants' assigned intervention during the trial?", YN },
	{ "2.3", "Were there deviations from the intended intervention that arose because of the trial context?", YN_NA },
	{ "2.4", "Were these deviations likely to have affected the outcome?", YN_NA },
	{ "2.5", "Were these deviations from intended intervention balanced between groups?", YN_NA },
	{ "2.6", "Was an appropriate analysis used to estimate the effect of assignment to intervention?", YN },
	{ "2.7", "Was there potential for a substantial impact (on the result) of the failure to analyse participants in the group to which they were randomized?", YN_NA },
};

static const struct extract_rob2_question d2_adherence[] = {
	{ "2.1", "Were participants aware of their assigned intervention during the trial?", YN },
	{ "2.2", "Were carers and people delivering the interventions aware of participants' assigned intervention during the trial?", YN },
	{ "2.3", "Were important non-protocol interventions balanced across intervention groups?", YN_NA },
	{ "2.4", "Were there failures in implementing the intervention that could have affected the outcome?", YN_NA },
	{ "2.5", "Was there non-adherence to the assigned intervention regimen that could have affected participants' outcomes?", YN_NA },
	{ "2.6", "Was an appropriate analysis used to estimate the effect of adhering to the intervention?", YN_NA },
};

static const struct extract_rob2_question d3[] = {
	{ "3.1", "Were data for this outcome available for all, or nearly all, participants randomized?", YN },
	{ "3.2", "Is there evidence that the result was not biased by missing outcome data?", NO_NI },
	{ "3.3", "Could missingness in the outcome depend on its true value?", YN_NA },
	{ "3.4", "Is it likely that missingness in the outcome depended on its true value?", YN_NA },
};

static const struct extract_rob2_question d4[] = {
	{ "4.1", "Was the method of measuring the outcome inappropriate?", YN },
	{ "4.2", "Could measurement or ascertainment of the outcome have differed between intervention groups?", YN },
	{ "4.3", "Were outcome assessors aware of the intervention received by study participants?", YN_NA },
	{ "4.4", "Could assessment of the outcome have been influenced by knowledge of intervention received?", YN_NA },
	{ "4.5", "Is it likely that assessment of the outcome was influenced by knowledge of intervention received?", YN_NA },
};

static const struct extract_rob2_question d5[] = {
	{ "5.1", "Were the data that produced this result analysed in accordance with a pre-specified analysis plan that was finalized before unblinded outcome data were available for analysis?", YN },
	{ "5.2", "Is the numerical result being assessed likely to have been selected, on the basis of the results, from multiple eligible outcome measurements (scales, definitions, time points) within the outcome domain?", YN },
	{ "5.3", "Is the numerical result being assessed likely to have been selected, on the basis of the results, from multiple eligible analyses of the data?", YN },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct extract_rob2_question *extract_rob2_questions(int d, enum rob2_effect e,
							  size_t *n)
{
	switch (d) {
	case 0: *n = COUNT(d1); return d1;
	case 1:
		if (e == ROB2_ADHERENCE) {
			*n = COUNT(d2_adherence);
			return d2_adherence;
		}
		*n = COUNT(d2_assignment);
		return d2_assignment;
	case 2: *n = COUNT(d3); return d3;
	case 3: *n = COUNT(d4); return d4;
	case 4: *n = COUNT(d5); return d5;
	}
	BUG("RoB 2 has no domain %d", d + 1);
}

/* ------------------------------------------------------------------ */
/* which questions the algorithm asks */

static int yes(enum rob2_answer a) { return a == ROB2_Y || a == ROB2_PY; }
static int no(enum rob2_answer a) { return a == ROB2_N || a == ROB2_PN; }
static int ni(enum rob2_answer a) { return a == ROB2_NI; }

/*
 * Is question q of domain d asked, given the answers before it?  *when
 * gets the condition, for messages; *optional is set for the adherence
 * variant's "[If applicable:]" questions, which may be answered NA.
 */
static int asked(int d, enum rob2_effect e, size_t q, const enum rob2_answer *a,
		 const char **when, int *optional)
{
	*when = NULL;
	*optional = 0;
	switch (d * 10 + (int)q) {
	case 12: /* 2.3 */
		*when = "2.1 or 2.2 is Y, PY or NI";
		*optional = e == ROB2_ADHERENCE;
		return !no(a[0]) || !no(a[1]);
	case 13: /* 2.4 */
		if (e == ROB2_ADHERENCE) {
			*optional = 1;
			return 1;
		}
		*when = "2.3 is Y or PY";
		return yes(a[2]);
	case 14: /* 2.5 */
		if (e == ROB2_ADHERENCE) {
			*optional = 1;
			return 1;
		}
		*when = "2.4 is Y, PY or NI";
		return yes(a[3]) || ni(a[3]);
	case 15: /* 2.6 */
		if (e == ROB2_ADHERENCE) {
			int aware = !no(a[0]) || !no(a[1]);

			*when = "2.3 is N, PN or NI, or 2.4 or 2.5 is Y, PY or NI";
			return (aware && (no(a[2]) || ni(a[2]))) || yes(a[3]) || ni(a[3]) ||
			       yes(a[4]) || ni(a[4]);
		}
		return 1;
	case 16: /* 2.7 */
		*when = "2.6 is N, PN or NI";
		return !yes(a[5]);
	case 21: /* 3.2 */
		*when = "3.1 is N, PN or NI";
		return !yes(a[0]);
	case 22: /* 3.3 */
		*when = "3.2 is N or PN";
		return no(a[1]);
	case 23: /* 3.4 */
		*when = "3.3 is Y, PY or NI";
		return yes(a[2]) || ni(a[2]);
	case 32: /* 4.3 */
		*when = "4.1 and 4.2 are N, PN or NI";
		return !yes(a[0]) && !yes(a[1]);
	case 33: /* 4.4 */
		*when = "4.3 is Y, PY or NI";
		return yes(a[2]) || ni(a[2]);
	case 34: /* 4.5 */
		*when = "4.4 is Y, PY or NI";
		return yes(a[3]) || ni(a[3]);
	}
	return 1; /* every other question is always asked */
}

/* "Y, PY, PN or N" */
static void options_text(char *out, size_t size, unsigned opts)
{
	size_t len = 0, k = 0, total = 0;

	for (int i = 1; i < ROB2_NANSWERS; i++)
		total += (opts & B(i)) != 0;
	out[0] = '\0';
	for (int i = 1; i < ROB2_NANSWERS; i++) {
		if (!(opts & B(i)))
			continue;
		k++;
		len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%s",
					k == 1 ? "" : k == total ? " or " : ", ", answer_names[i]);
	}
}

static int check_answers(size_t *badq, int d, enum rob2_effect e, const enum rob2_answer *a)
{
	size_t n;
	const struct extract_rob2_question *qs = extract_rob2_questions(d, e, &n);

	for (size_t q = 0; q < n; q++) {
		const char *when;
		int optional;
		unsigned opts = qs[q].options;
		char txt[64];

		if (badq)
			*badq = q;
		if (!asked(d, e, q, a, &when, &optional)) {
			if (a[q] != ROB2_UNSET && a[q] != ROB2_NA)
				return lsr_error_set(LSR_EPARSE,
						     "question %s is asked only when %s: leave it empty or answer NA, not %s",
						     qs[q].id, when, answer_names[a[q]]);
			continue;
		}
		if (!optional)
			opts &= ~B(ROB2_NA);
		options_text(txt, sizeof(txt), opts);
		if (a[q] == ROB2_UNSET)
			return lsr_error_set(LSR_EPARSE, "question %s needs an answer (%s)",
					     qs[q].id, txt);
		if (!(opts & B(a[q])))
			return lsr_error_set(LSR_EPARSE, "question %s takes %s, not %s", qs[q].id,
					     txt, answer_names[a[q]]);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the algorithms, one per domain */

#define JUDGE(level, why) do { *rule = why; return level; } while (0)

static enum rob_level judge_d1(const enum rob2_answer *a, const char **rule)
{
	if (no(a[1]))
		JUDGE(ROB_HIGH, "1.2 N/PN: allocation not concealed");
	if (yes(a[1])) {
		if (no(a[0]))
			JUDGE(ROB_SOME, "1.2 Y/PY, 1.1 N/PN: sequence not random");
		if (yes(a[2]))
			JUDGE(ROB_SOME, "1.2 Y/PY, 1.1 Y/PY/NI, 1.3 Y/PY: baseline imbalance");
		JUDGE(ROB_LOW, "1.2 Y/PY, 1.1 Y/PY/NI, 1.3 N/PN/NI");
	}
	if (yes(a[2]))
		JUDGE(ROB_HIGH, "1.2 NI, 1.3 Y/PY");
	JUDGE(ROB_SOME, "1.2 NI, 1.3 N/PN/NI");
}

static enum rob_level judge_d2_assignment(const enum rob2_answer *a, const char **rule)
{
	enum rob_level p1, p2;
	const char *r1, *r2;

	/* part 1: deviations that arose because of the trial context */
	if (no(a[0]) && no(a[1]))
		p1 = ROB_LOW, r1 = "2.1 and 2.2 N/PN";
	else if (no(a[2]))
		p1 = ROB_LOW, r1 = "2.3 N/PN";
	else if (ni(a[2]))
		p1 = ROB_SOME, r1 = "2.3 NI";
	else if (no(a[3]))
		p1 = ROB_SOME, r1 = "2.3 Y/PY, 2.4 N/PN";
	else if (yes(a[4]))
		p1 = ROB_SOME, r1 = "2.3 Y/PY, 2.4 Y/PY/NI, 2.5 Y/PY";
	else
		p1 = ROB_HIGH, r1 = "2.3 Y/PY, 2.4 Y/PY/NI, 2.5 N/PN/NI";
	/* part 2: the analysis */
	if (yes(a[5]))
		p2 = ROB_LOW, r2 = "2.6 Y/PY";
	else if (no(a[6]))
		p2 = ROB_SOME, r2 = "2.6 N/PN/NI, 2.7 N/PN";
	else
		p2 = ROB_HIGH, r2 = "2.6 N/PN/NI, 2.7 Y/PY/NI";
	/* the domain takes the worse part */
	*rule = p1 >= p2 ? r1 : r2;
	return p1 >= p2 ? p1 : p2;
}

static enum rob_level judge_d2_adherence(const enum rob2_answer *a, const char **rule)
{
	int aware = !no(a[0]) || !no(a[1]);
	int unbalanced = aware && !(yes(a[2]) || a[2] == ROB2_NA);
	int problems = yes(a[3]) || ni(a[3]) || yes(a[4]) || ni(a[4]);

	if (!unbalanced && !problems)
		JUDGE(ROB_LOW, "no unbalanced non-protocol interventions, 2.4 and 2.5 N/PN/NA");
	if (yes(a[5]))
		JUDGE(ROB_SOME, unbalanced ? "2.3 N/PN/NI, 2.6 Y/PY" : "2.4 or 2.5 Y/PY/NI, 2.6 Y/PY");
	JUDGE(ROB_HIGH, unbalanced ? "2.3 N/PN/NI, 2.6 N/PN/NI" : "2.4 or 2.5 Y/PY/NI, 2.6 N/PN/NI");
}

static enum rob_level judge_d3(const enum rob2_answer *a, const char **rule)
{
	if (yes(a[0]))
		JUDGE(ROB_LOW, "3.1 Y/PY: (nearly) all data available");
	if (yes(a[1]))
		JUDGE(ROB_LOW, "3.2 Y/PY: evidence of no bias");
	if (no(a[2]))
		JUDGE(ROB_LOW, "3.3 N/PN: missingness cannot depend on the true value");
	if (no(a[3]))
		JUDGE(ROB_SOME, "3.3 Y/PY/NI, 3.4 N/PN");
	JUDGE(ROB_HIGH, "3.3 Y/PY/NI, 3.4 Y/PY/NI");
}

static enum rob_level judge_d4(const enum rob2_answer *a, const char **rule)
{
	int unknown = ni(a[1]);

	if (yes(a[0]))
		JUDGE(ROB_HIGH, "4.1 Y/PY: inappropriate measurement");
	if (yes(a[1]))
		JUDGE(ROB_HIGH, "4.2 Y/PY: measurement differed between groups");
	if (no(a[2]))
		JUDGE(unknown ? ROB_SOME : ROB_LOW, unknown ? "4.2 NI, 4.3 N/PN" : "4.2 N/PN, 4.3 N/PN");
	if (no(a[3]))
		JUDGE(unknown ? ROB_SOME : ROB_LOW, unknown ? "4.2 NI, 4.3 Y/PY/NI, 4.4 N/PN"
							   : "4.2 N/PN, 4.3 Y/PY/NI, 4.4 N/PN");
	if (no(a[4]))
		JUDGE(ROB_SOME, "4.4 Y/PY/NI, 4.5 N/PN");
	JUDGE(ROB_HIGH, "4.4 Y/PY/NI, 4.5 Y/PY/NI");
}

static enum rob_level judge_d5(const enum rob2_answer *a, const char **rule)
{
	if (yes(a[1]) || yes(a[2]))
		JUDGE(ROB_HIGH, "5.2 or 5.3 Y/PY: result selected");
	if (no(a[1]) && no(a[2])) {
		if (yes(a[0]))
			JUDGE(ROB_LOW, "5.1 Y/PY, 5.2 and 5.3 N/PN");
		JUDGE(ROB_SOME, "5.1 N/PN/NI, 5.2 and 5.3 N/PN");
	}
	JUDGE(ROB_SOME, "5.2 or 5.3 NI, neither Y/PY");
}

int extract_rob2_domain_judge(enum rob_level *out, const char **rule, size_t *badq,
			      int d, enum rob2_effect e, const enum rob2_answer *ans)
{
	const char *why = NULL;
	int rc;

	if (d < 0 || d >= ROB2_NDOMAINS)
		BUG("RoB 2 has no domain %d", d + 1);
	if ((rc = check_answers(badq, d, e, ans)) < 0)
		return rc;
	switch (d) {
	case 0: *out = judge_d1(ans, &why); break;
	case 1:
		*out = e == ROB2_ADHERENCE ? judge_d2_adherence(ans, &why)
					   : judge_d2_assignment(ans, &why);
		break;
	case 2: *out = judge_d3(ans, &why); break;
	case 3: *out = judge_d4(ans, &why); break;
	default: *out = judge_d5(ans, &why); break;
	}
	if (rule)
		*rule = why;
	return 0;
}

enum rob_level extract_rob2_overall(const enum rob_level dom[ROB2_NDOMAINS], int *concerns)
{
	enum rob_level worst = ROB_LOW;
	int some = 0;

	for (int i = 0; i < ROB2_NDOMAINS; i++) {
		if (dom[i] == ROB_NONE)
			BUG("overall RoB 2 judgement without domain %d", i + 1);
		if (dom[i] == ROB_SOME)
			some++;
		if (dom[i] > worst)
			worst = dom[i];
	}
	if (concerns)
		*concerns = some;
	return worst;
}
