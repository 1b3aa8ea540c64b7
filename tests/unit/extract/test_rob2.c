/*
 * test_rob2.c - the RoB 2 algorithm, exhaustively.
 *
 * For each domain (and both variants of domain 2) the test enumerates every
 * combination of answers the algorithm can meet: each question it asks
 * takes each answer the question allows, each question it does not ask is
 * left empty or NA.  Every combination must be accepted and judged as an
 * oracle says.  The oracle below is written independently of rob2.c, from
 * the criteria the RoB 2 guidance (22 August 2019) states in words for
 * each judgement ("Low risk of bias if ...; High risk of bias if ...;
 * otherwise Some concerns"), not from its flow charts.  Each combination
 * is then also checked to be refused when a question the algorithm does
 * not ask is answered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "extract/extract.h"
#include "util/err.h"

#define Y ROB2_Y
#define PY ROB2_PY
#define PN ROB2_PN
#define N ROB2_N
#define NI ROB2_NI
#define NA ROB2_NA
#define U ROB2_UNSET

static int isy(enum rob2_answer a) { return a == Y || a == PY; }
static int isn(enum rob2_answer a) { return a == N || a == PN; }
static int yni(enum rob2_answer a) { return isy(a) || a == NI; }
static int nni(enum rob2_answer a) { return isn(a) || a == NI; }

/* --- the oracle: the guidance's criteria in words ------------------- */

static enum rob_level oracle(int d, enum rob2_effect e, const enum rob2_answer *a)
{
	switch (d) {
	case 0:
		/* low: concealed, random or NI, baseline N/PN/NI.
		 * high: not concealed, or NI about concealment with baseline
		 * differences suggesting a problem */
		if (isy(a[1]) && (isy(a[0]) || a[0] == NI) && nni(a[2]))
			return ROB_LOW;
		if (isn(a[1]) || (a[1] == NI && isy(a[2])))
			return ROB_HIGH;
		return ROB_SOME;
	case 1:
		if (e == ROB2_ASSIGNMENT) {
			enum rob_level p1, p2;

			if ((isn(a[0]) && isn(a[1])) || isn(a[2]))
				p1 = ROB_LOW;
			else if (isy(a[2]) && yni(a[3]) && nni(a[4]))
				p1 = ROB_HIGH;
			else
				p1 = ROB_SOME;
			if (isy(a[5]))
				p2 = ROB_LOW;
			else if (yni(a[6]))
				p2 = ROB_HIGH;
			else
				p2 = ROB_SOME;
			return p1 > p2 ? p1 : p2;
		}
		/* adherence: low when non-protocol interventions were balanced
		 * (or nobody was aware) and there were no failures of
		 * implementation nor non-adherence; otherwise an appropriate
		 * analysis gives some concerns, none gives high */
		if (((isn(a[0]) && isn(a[1])) || isy(a[2]) || a[2] == NA) &&
		    (isn(a[3]) || a[3] == NA) && (isn(a[4]) || a[4] == NA))
			return ROB_LOW;
		return isy(a[5]) ? ROB_SOME : ROB_HIGH;
	case 2:
		if (isy(a[0]) || isy(a[1]) || isn(a[2]))
			return ROB_LOW;
		if (yni(a[2]) && yni(a[3]))
			return ROB_HIGH;
		return ROB_SOME;
	case 3:
		if (isy(a[0]) || isy(a[1]) || (yni(a[2]) && yni(a[3]) && yni(a[4])))
			return ROB_HIGH;
		if (isn(a[1]) && (isn(a[2]) || isn(a[3])))
			return ROB_LOW;
		return ROB_SOME;
	default:
		if (isy(a[1]) || isy(a[2]))
			return ROB_HIGH;
		if (isy(a[0]) && isn(a[1]) && isn(a[2]))
			return ROB_LOW;
		return ROB_SOME;
	}
}

/* --- which questions are asked, from the "If ... to ..." notes ------ */

static int test_asked(int d, enum rob2_effect e, int q, const enum rob2_answer *a,
		      int *na_ok)
{
	*na_ok = 0;
	if (d == 1 && e == ROB2_ASSIGNMENT) {
		switch (q) {
		case 2: return yni(a[0]) || yni(a[1]);  /* If Y/PY/NI to 2.1 or 2.2 */
		case 3: return isy(a[2]);                /* If Y/PY to 2.3 */
		case 4: return yni(a[3]);                /* If Y/PY/NI to 2.4 */
		case 6: return nni(a[5]);                /* If N/PN/NI to 2.6 */
		}
	}
	if (d == 1 && e == ROB2_ADHERENCE) {
		switch (q) {
		case 2: /* [If applicable:] If Y/PY/NI to 2.1 or 2.2 */
			*na_ok = 1;
			return yni(a[0]) || yni(a[1]);
		case 3: case 4: /* [If applicable:] */
			*na_ok = 1;
			return 1;
		case 5: /* If N/PN/NI to 2.3, or Y/PY/NI to 2.4 or 2.5 */
			return nni(a[2]) || yni(a[3]) || yni(a[4]);
		}
	}
	if (d == 2) {
		switch (q) {
		case 1: return nni(a[0]);   /* If N/PN/NI to 3.1 */
		case 2: return isn(a[1]);   /* If N/PN to 3.2 */
		case 3: return yni(a[2]);   /* If Y/PY/NI to 3.3 */
		}
	}
	if (d == 3) {
		switch (q) {
		case 2: return nni(a[0]) && nni(a[1]); /* If N/PN/NI to 4.1 and 4.2 */
		case 3: return yni(a[2]);              /* If Y/PY/NI to 4.3 */
		case 4: return yni(a[3]);              /* If Y/PY/NI to 4.4 */
		}
	}
	return 1;
}

struct walk {
	int d;
	enum rob2_effect e;
	size_t nq;
	enum rob2_answer a[ROB2_MAXQ];
	unsigned long leaves;
	unsigned long by_level[4];
};

static void leaf(struct walk *w)
{
	enum rob_level got = ROB_NONE, want = oracle(w->d, w->e, w->a);
	const char *rule = NULL;
	int na_ok;

	w->leaves++;
	if (extract_rob2_domain_judge(&got, &rule, NULL, w->d, w->e, w->a) != 0)
		fail_msg("domain %d: refused a valid combination: %s", w->d + 1, lsr_error_last());
	if (got != want) {
		char txt[64] = "";

		for (size_t i = 0; i < w->nq; i++) {
			strcat(txt, extract_rob2_answer_name(w->a[i])[0] ? extract_rob2_answer_name(w->a[i]) : "-");
			strcat(txt, " ");
		}
		fail_msg("domain %d (%s): answers %sgave %d (%s), oracle %d", w->d + 1,
			 w->e == ROB2_ADHERENCE ? "adherence" : "assignment", txt, (int)got, rule,
			 (int)want);
	}
	assert_non_null(rule);
	w->by_level[got]++;
	/* answering a question the algorithm does not ask is refused */
	for (size_t q = 0; q < w->nq; q++) {
		enum rob2_answer keep = w->a[q];

		if (test_asked(w->d, w->e, (int)q, w->a, &na_ok))
			continue;
		w->a[q] = Y;
		assert_int_equal(extract_rob2_domain_judge(&got, NULL, NULL, w->d, w->e, w->a), LSR_EPARSE);
		w->a[q] = keep;
	}
}

static void walk(struct walk *w, size_t q)
{
	size_t nq;
	const struct extract_rob2_question *qs = extract_rob2_questions(w->d, w->e, &nq);
	int na_ok;

	if (q == w->nq) {
		leaf(w);
		return;
	}
	if (!test_asked(w->d, w->e, (int)q, w->a, &na_ok)) {
		w->a[q] = U;
		walk(w, q + 1);
		w->a[q] = NA;
		walk(w, q + 1);
		w->a[q] = U;
		return;
	}
	for (int v = Y; v <= NA; v++) {
		if (!(qs[q].options & (1u << v)) || (v == NA && !na_ok))
			continue;
		w->a[q] = (enum rob2_answer)v;
		walk(w, q + 1);
	}
	w->a[q] = U;
}

static struct walk run(int d, enum rob2_effect e)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.d = d;
	w.e = e;
	extract_rob2_questions(d, e, &w.nq);
	walk(&w, 0);
	return w;
}

/* Domain 1: three questions always asked, five answers each: 125
 * combinations, every one judged as the criteria say. */
static void test_extract_rob2__domain1_exhaustive(void **state)
{
	struct walk w = run(0, ROB2_ASSIGNMENT);

	(void)state;
	assert_int_equal(w.leaves, 125);
	/* low: 1.2 Y/PY (2) x 1.1 Y/PY/NI (3) x 1.3 N/PN/NI (3) = 18 */
	assert_int_equal(w.by_level[ROB_LOW], 18);
	/* high: 1.2 N/PN (2 x 25 = 50) + 1.2 NI with 1.3 Y/PY (5 x 2 = 10) */
	assert_int_equal(w.by_level[ROB_HIGH], 60);
	assert_int_equal(w.by_level[ROB_SOME], 125 - 18 - 60);
}

static void test_extract_rob2__domain2_assignment_exhaustive(void **state)
{
	struct walk w = run(1, ROB2_ASSIGNMENT);

	(void)state;
	assert_true(w.leaves > 0);
	assert_true(w.by_level[ROB_LOW] > 0 && w.by_level[ROB_SOME] > 0 && w.by_level[ROB_HIGH] > 0);
}

static void test_extract_rob2__domain2_adherence_exhaustive(void **state)
{
	struct walk w = run(1, ROB2_ADHERENCE);

	(void)state;
	assert_true(w.by_level[ROB_LOW] > 0 && w.by_level[ROB_SOME] > 0 && w.by_level[ROB_HIGH] > 0);
}

/* Domain 3 by hand: 3.1 Y/PY: 2 x (2^3 empty/NA) = 16; 3.1 N/PN/NI with
 * 3.2 Y/PY: 3 x 2 x 4 = 24; 3.2 N/PN, 3.3 N/PN: 3 x 2 x 2 x 2 = 24;
 * 3.3 Y/PY/NI, 3.4 any: 3 x 2 x 3 x 5 = 90.  154 in all. */
static void test_extract_rob2__domain3_exhaustive(void **state)
{
	struct walk w = run(2, ROB2_ASSIGNMENT);

	(void)state;
	assert_int_equal(w.leaves, 154);
	assert_int_equal(w.by_level[ROB_LOW], 16 + 24 + 24);
	/* 3.4 N/PN: 3 x 2 x 3 x 2 = 36 some concerns; Y/PY/NI: 54 high */
	assert_int_equal(w.by_level[ROB_SOME], 36);
	assert_int_equal(w.by_level[ROB_HIGH], 54);
}

static void test_extract_rob2__domain4_exhaustive(void **state)
{
	struct walk w = run(3, ROB2_ASSIGNMENT);

	(void)state;
	assert_true(w.by_level[ROB_LOW] > 0 && w.by_level[ROB_SOME] > 0 && w.by_level[ROB_HIGH] > 0);
}

/* Domain 5: 125 combinations; high when 5.2 or 5.3 Y/PY: 125 - 3 x 3 x 5
 * = 80; low: 5.1 Y/PY with both N/PN: 2 x 2 x 2 = 8. */
static void test_extract_rob2__domain5_exhaustive(void **state)
{
	struct walk w = run(4, ROB2_ASSIGNMENT);

	(void)state;
	assert_int_equal(w.leaves, 125);
	assert_int_equal(w.by_level[ROB_HIGH], 80);
	assert_int_equal(w.by_level[ROB_LOW], 8);
	assert_int_equal(w.by_level[ROB_SOME], 37);
}

/* Each branch that changes a judgement, named as in the flow charts. */
static void test_extract_rob2__branches(void **state)
{
	static const struct {
		int d;
		enum rob2_effect e;
		enum rob2_answer a[ROB2_MAXQ];
		enum rob_level want;
	} cases[] = {
		/* D1 */
		{ 0, ROB2_ASSIGNMENT, { Y, Y, N }, ROB_LOW },
		{ 0, ROB2_ASSIGNMENT, { NI, PY, NI }, ROB_LOW },
		{ 0, ROB2_ASSIGNMENT, { Y, Y, Y }, ROB_SOME },
		{ 0, ROB2_ASSIGNMENT, { N, Y, N }, ROB_SOME },
		{ 0, ROB2_ASSIGNMENT, { Y, NI, N }, ROB_SOME },
		{ 0, ROB2_ASSIGNMENT, { Y, NI, PY }, ROB_HIGH },
		{ 0, ROB2_ASSIGNMENT, { Y, PN, N }, ROB_HIGH },
		/* D2, assignment */
		{ 1, ROB2_ASSIGNMENT, { N, N, U, U, U, Y, U }, ROB_LOW },
		{ 1, ROB2_ASSIGNMENT, { Y, Y, N, U, U, Y, U }, ROB_LOW },
		{ 1, ROB2_ASSIGNMENT, { Y, Y, NI, U, U, Y, U }, ROB_SOME },
		{ 1, ROB2_ASSIGNMENT, { Y, N, Y, N, U, Y, U }, ROB_SOME },
		{ 1, ROB2_ASSIGNMENT, { NI, N, Y, NI, Y, Y, U }, ROB_SOME },
		{ 1, ROB2_ASSIGNMENT, { NI, N, Y, Y, NI, Y, U }, ROB_HIGH },
		{ 1, ROB2_ASSIGNMENT, { N, N, U, U, U, N, N }, ROB_SOME },
		{ 1, ROB2_ASSIGNMENT, { N, N, U, U, U, NI, NI }, ROB_HIGH },
		/* D2, adherence */
		{ 1, ROB2_ADHERENCE, { N, N, U, N, NA, U }, ROB_LOW },
		{ 1, ROB2_ADHERENCE, { Y, N, Y, N, N, U }, ROB_LOW },
		{ 1, ROB2_ADHERENCE, { Y, N, NA, NA, NA, U }, ROB_LOW },
		{ 1, ROB2_ADHERENCE, { Y, N, N, N, N, Y }, ROB_SOME },
		{ 1, ROB2_ADHERENCE, { N, N, U, Y, N, PY }, ROB_SOME },
		{ 1, ROB2_ADHERENCE, { N, N, U, N, NI, NI }, ROB_HIGH },
		{ 1, ROB2_ADHERENCE, { Y, Y, NI, N, N, N }, ROB_HIGH },
		/* D3 */
		{ 2, ROB2_ASSIGNMENT, { PY, U, U, U }, ROB_LOW },
		{ 2, ROB2_ASSIGNMENT, { N, Y, U, U }, ROB_LOW },
		{ 2, ROB2_ASSIGNMENT, { NI, N, PN, U }, ROB_LOW },
		{ 2, ROB2_ASSIGNMENT, { N, N, Y, N }, ROB_SOME },
		{ 2, ROB2_ASSIGNMENT, { N, N, NI, NI }, ROB_HIGH },
		/* D4 */
		{ 3, ROB2_ASSIGNMENT, { Y, N, U, U, U }, ROB_HIGH },
		{ 3, ROB2_ASSIGNMENT, { N, PY, U, U, U }, ROB_HIGH },
		{ 3, ROB2_ASSIGNMENT, { N, N, N, U, U }, ROB_LOW },
		{ 3, ROB2_ASSIGNMENT, { N, N, Y, N, U }, ROB_LOW },
		{ 3, ROB2_ASSIGNMENT, { NI, NI, N, U, U }, ROB_SOME },
		{ 3, ROB2_ASSIGNMENT, { N, NI, NI, PN, U }, ROB_SOME },
		{ 3, ROB2_ASSIGNMENT, { N, N, Y, Y, N }, ROB_SOME },
		{ 3, ROB2_ASSIGNMENT, { N, N, Y, NI, PY }, ROB_HIGH },
		{ 3, ROB2_ASSIGNMENT, { N, NI, Y, Y, Y }, ROB_HIGH },
		/* D5 */
		{ 4, ROB2_ASSIGNMENT, { Y, N, PN }, ROB_LOW },
		{ 4, ROB2_ASSIGNMENT, { NI, N, N }, ROB_SOME },
		{ 4, ROB2_ASSIGNMENT, { Y, NI, N }, ROB_SOME },
		{ 4, ROB2_ASSIGNMENT, { Y, N, PY }, ROB_HIGH },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum rob_level got;

		if (extract_rob2_domain_judge(&got, NULL, NULL, cases[i].d, cases[i].e, cases[i].a) != 0)
			fail_msg("case %zu refused: %s", i, lsr_error_last());
		if (got != cases[i].want)
			fail_msg("case %zu: got %d, want %d", i, (int)got, (int)cases[i].want);
	}
}

static void expect_refused(int d, enum rob2_effect e, const enum rob2_answer *a,
			   size_t want_q, const char *msg)
{
	enum rob_level got;
	size_t badq = 99;

	assert_int_equal(extract_rob2_domain_judge(&got, NULL, &badq, d, e, a), LSR_EPARSE);
	assert_string_equal(lsr_error_last(), msg);
	assert_int_equal(badq, want_q);
}

static void test_extract_rob2__refusals(void **state)
{
	const enum rob2_answer d1_missing[] = { Y, Y, U };
	const enum rob2_answer d2_unasked[] = { N, N, Y, U, U, Y, U };
	const enum rob2_answer d2_na[] = { N, N, U, U, U, NA, U };
	const enum rob2_answer d3_ni[] = { N, NI, U, U };
	const enum rob2_answer d2b_na[] = { N, N, U, N, N, U };
	const enum rob2_answer d2b_missing[] = { Y, N, U, N, N, U };

	(void)state;
	expect_refused(0, ROB2_ASSIGNMENT, d1_missing, 2,
		       "question 1.3 needs an answer (Y, PY, PN, N or NI)");
	expect_refused(1, ROB2_ASSIGNMENT, d2_unasked, 2,
		       "question 2.3 is asked only when 2.1 or 2.2 is Y, PY or NI: leave it empty or answer NA, not Y");
	expect_refused(1, ROB2_ASSIGNMENT, d2_na, 5, "question 2.6 takes Y, PY, PN, N or NI, not NA");
	expect_refused(2, ROB2_ASSIGNMENT, d3_ni, 1, "question 3.2 takes Y, PY, PN or N, not NI");
	expect_refused(1, ROB2_ADHERENCE, d2b_missing, 2,
		       "question 2.3 needs an answer (Y, PY, PN, N, NI or NA)");
	{
		enum rob_level got;

		assert_int_equal(extract_rob2_domain_judge(&got, NULL, NULL, 1, ROB2_ADHERENCE, d2b_na), 0);
		assert_int_equal(got, ROB_LOW);
	}
}

/* The overall proposal over all 3^5 combinations of domain judgements. */
static void test_extract_rob2__overall(void **state)
{
	(void)state;
	for (int code = 0; code < 243; code++) {
		enum rob_level dom[ROB2_NDOMAINS];
		int c = code, nlow = 0, nsome = 0, nhigh = 0, concerns = -1;
		enum rob_level got;

		for (int i = 0; i < ROB2_NDOMAINS; i++, c /= 3) {
			dom[i] = (enum rob_level)(ROB_LOW + c % 3);
			nlow += dom[i] == ROB_LOW;
			nsome += dom[i] == ROB_SOME;
			nhigh += dom[i] == ROB_HIGH;
		}
		got = extract_rob2_overall(dom, &concerns);
		assert_int_equal(concerns, nsome);
		if (nlow == ROB2_NDOMAINS)
			assert_int_equal(got, ROB_LOW);
		else if (nhigh > 0)
			assert_int_equal(got, ROB_HIGH);
		else
			assert_int_equal(got, ROB_SOME);
	}
}

static void test_extract_rob2__names(void **state)
{
	enum rob2_answer a;

	(void)state;
	assert_int_equal(extract_rob2_answer_parse(&a, "py"), 0);
	assert_int_equal(a, ROB2_PY);
	assert_int_equal(extract_rob2_answer_parse(&a, ""), 0);
	assert_int_equal(a, ROB2_UNSET);
	assert_int_equal(extract_rob2_answer_parse(&a, "maybe"), LSR_ERROR);
	assert_string_equal(extract_rob_level_name(ROB_SOME, 1), "some concerns");
	assert_string_equal(extract_rob_level_name(ROB_SOME, 0), "unclear");
	assert_int_equal(extract_rob_level_parse("Some concerns", 1), ROB_SOME);
	assert_int_equal(extract_rob_level_parse("unclear", 1), ROB_NONE);
	assert_int_equal(extract_rob_level_parse("Unclear", 0), ROB_SOME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_rob2__domain1_exhaustive),
		cmocka_unit_test(test_extract_rob2__domain2_assignment_exhaustive),
		cmocka_unit_test(test_extract_rob2__domain2_adherence_exhaustive),
		cmocka_unit_test(test_extract_rob2__domain3_exhaustive),
		cmocka_unit_test(test_extract_rob2__domain4_exhaustive),
		cmocka_unit_test(test_extract_rob2__domain5_exhaustive),
		cmocka_unit_test(test_extract_rob2__branches),
		cmocka_unit_test(test_extract_rob2__refusals),
		cmocka_unit_test(test_extract_rob2__overall),
		cmocka_unit_test(test_extract_rob2__names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
