/*
 * rob.c - risk of bias in the review database: sheets, import, the
 * comparison of two assessors, consensus, and the data for the figures.
 *
 * RoB 1 sheets have one row per study x domain (judgement low, high or
 * unclear, and the supporting quote); the domains that
 * extraction.rob1_per_outcome lists come once per study x outcome instead
 * (the outcome column; a study-level row of theirs is the fallback of
 * every outcome without its own).  RoB 2 sheets have one row per
 * study x signalling question (answer and quote), then a "judgement" row
 * per domain where the assessor may override the judgement the algorithm
 * proposes, only with a written justification, and an "overall" row.
 * Both the proposal and the override are stored.  A study's final
 * judgement in a domain is the latest consensus when one was recorded,
 * else the judgement its assessors agree on (as many as the protocol's
 * extractors, or one with allow_single_extractor); otherwise it is open.
 */
#include "extract_int.h"
#include "../util/clock.h"
#include "../util/csvtab.h"
#include "../util/err.h"

#include <assert.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define OVERALL "overall"
#define JUDGEMENT_ROW "judgement"
#define ROB1_PER_STUDY \
	"RoB 1 is judged per study: --outcome needs risk_of_bias: rob2 or extraction.rob1_per_outcome"

static int is_rob2(const struct protocol *p)
{
	return p->risk_of_bias && !strcmp(p->risk_of_bias, "rob2");
}

static enum rob2_effect effect(const struct protocol *p)
{
	return p->rob2_effect && !strcmp(p->rob2_effect, "adherence") ? ROB2_ADHERENCE
								       : ROB2_ASSIGNMENT;
}

static const struct extract_rob_domain *domains(const struct protocol *p, size_t *n)
{
	if (is_rob2(p)) {
		*n = ROB2_NDOMAINS;
		return extract_rob2_domains;
	}
	*n = ROB1_NDOMAINS;
	return extract_rob1_domains;
}

/* RoB 1: whether domain d is judged per outcome (extraction.rob1_per_outcome) */
static int per_outcome(const struct protocol *p, int d)
{
	return !is_rob2(p) && d >= 0 && d < ROB1_NDOMAINS &&
	       strv_contains(&p->rob1_per_outcome, extract_rob1_domains[d].code);
}

/* RoB 1 with domains judged per outcome */
static int rob1_outcomes(const struct protocol *p)
{
	return !is_rob2(p) && p->rob1_per_outcome.n;
}

size_t extract_rob_ndomains(const struct protocol *p)
{
	size_t n;

	domains(p, &n);
	return n;
}

static int domain_index(const struct protocol *p, const char *code)
{
	size_t n;
	const struct extract_rob_domain *d = domains(p, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(d[i].code, code))
			return (int)i;
	return -1;
}

static void domain_list(struct buf *b, const struct protocol *p)
{
	size_t n;
	const struct extract_rob_domain *d = domains(p, &n);

	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? ", " : "", d[i].code);
	if (is_rob2(p))
		buf_adds(b, ", " OVERALL);
}

/* ------------------------------------------------------------------ */
/* sheets */

static const char *const rob1_cols[] = { "study", "outcome", "domain", "name", "judgement", "quote" };
static const char *const rob2_cols[] = { "study", "outcome", "timepoint", "domain", "question", "text",
					 "answer", "quote", "judgement", "justification" };
enum {
	R2_STUDY, R2_OUTCOME, R2_TIMEPOINT, R2_DOMAIN, R2_QUESTION, R2_TEXT, R2_ANSWER, R2_QUOTE,
	R2_JUDGEMENT, R2_JUSTIFY, R2_COLS
};
enum { R1_STUDY, R1_OUTCOME, R1_DOMAIN, R1_NAME, R1_JUDGEMENT, R1_QUOTE, R1_COLS };

/* a RoB 1 row: the outcome column only where the protocol judges some
 * domains per outcome */
static void put_r1(FILE *f, const struct protocol *p, const char *const *cells)
{
	for (size_t i = 0; i < R1_COLS; i++)
		if (i != R1_OUTCOME || rob1_outcomes(p))
			csvtab_put(f, cells[i], i + 1 < R1_COLS ? ',' : '\n');
}

/* the RoB 1 rows of one study: without an outcome, the domains judged per
 * study (all of them when the protocol has no outcomes to judge the
 * others by) and then the per-outcome domains for each outcome; with one,
 * its per-outcome domains only */
static void put_r1_study(FILE *f, const struct protocol *p, const char *label,
			 const struct protocol_outcome *po)
{
	for (int d = 0; !po && d < ROB1_NDOMAINS; d++) {
		const char *cells[R1_COLS] = { label, "", extract_rob1_domains[d].code,
					       extract_rob1_domains[d].name, "", "" };

		if (!per_outcome(p, d) || !p->noutcomes)
			put_r1(f, p, cells);
	}
	for (size_t o = 0; o < p->noutcomes; o++) {
		if (po && po != &p->outcomes[o])
			continue;
		for (int d = 0; d < ROB1_NDOMAINS; d++) {
			const char *cells[R1_COLS] = { label, p->outcomes[o].name, extract_rob1_domains[d].code,
						       extract_rob1_domains[d].name, "", "" };

			if (per_outcome(p, d))
				put_r1(f, p, cells);
		}
	}
}

/* a RoB 2 row: the timepoint column only where the protocol judges per
 * time point */
static void put_r2(FILE *f, const struct protocol *p, const char *const *cells)
{
	for (size_t i = 0; i < R2_COLS; i++)
		if (i != R2_TIMEPOINT || p->rob2_per_timepoint)
			csvtab_put(f, cells[i], i + 1 < R2_COLS ? ',' : '\n');
}

/* the RoB 2 blocks of one result: five domains, then the overall row */
static void put_r2_result(FILE *f, const struct protocol *p, const char *label,
			  const char *outcome, const char *tp)
{
	for (int d = 0; d < ROB2_NDOMAINS; d++) {
		size_t nq;
		const struct extract_rob2_question *qs = extract_rob2_questions(d, effect(p), &nq);
		const char *code = extract_rob2_domains[d].code;

		for (size_t q = 0; q < nq; q++) {
			const char *cells[R2_COLS] = { label, outcome, tp, code, qs[q].id, qs[q].text,
						       "", "", "", "" };

			put_r2(f, p, cells);
		}
		{
			const char *cells[R2_COLS] = {
				label, outcome, tp, code, JUDGEMENT_ROW,
				"proposed by the RoB 2 algorithm; to override, give the judgement and a justification",
				"", "", "", ""
			};

			put_r2(f, p, cells);
		}
	}
	{
		const char *cells[R2_COLS] = {
			label, outcome, tp, OVERALL, JUDGEMENT_ROW,
			"proposed from the domains; to override, give the judgement and a justification",
			"", "", "", ""
		};

		put_r2(f, p, cells);
	}
}

int extract_rob_sheet_write(FILE *f, struct lsr_db *db, const struct protocol *p,
			    const char *study, const char *outcome)
{
	struct xstudies studies;
	const struct protocol_outcome *po = NULL;
	int rc, rob2 = is_rob2(p);

	if (outcome && !rob2 && !rob1_outcomes(p))
		return lsr_error_set(LSR_EUSAGE, ROB1_PER_STUDY);
	if (outcome && !(po = protocol_outcome_find(p, outcome)))
		return lsr_error_set(LSR_ENOTFOUND, "no outcome '%s' in protocol.yaml's extraction.outcomes",
				     outcome);
	if ((rc = xstudies_load(&studies, db)) < 0)
		return rc;
	if (study && !xstudies_find(&studies, study)) {
		rc = lsr_error_set(LSR_ENOTFOUND, "no study '%s' (studies are linked with 'lsr study link')",
				   study);
		goto out;
	}
	if (rob2)
		put_r2(f, p, rob2_cols);
	else
		put_r1(f, p, rob1_cols);
	for (size_t i = 0; i < studies.n; i++) {
		const char *label = studies.v[i].label;

		if (study && strcmp(study, label))
			continue;
		if (!rob2) {
			put_r1_study(f, p, label, po);
			continue;
		}
		if (!po)
			put_r2_result(f, p, label, "", "");
		else if (!p->rob2_per_timepoint || !po->timepoints.n)
			put_r2_result(f, p, label, po->name, "");
		else
			for (size_t t = 0; t < po->timepoints.n; t++)
				put_r2_result(f, p, label, po->name, po->timepoints.v[t]);
	}
	if (ferror(f))
		rc = lsr_error_set(LSR_ERROR, "writing the sheet failed");
out:
	xstudies_release(&studies);
	return rc;
}

/* ------------------------------------------------------------------ */
/* import */

struct rrow {
	size_t line;
	const struct xstudy *study;
	const char *outcome;   /* RoB 2: the result's outcome ("" for the whole study) */
	const char *timepoint; /* and time point ("" for every one) */
	int domain;          /* index, or -1 for overall */
	int question;        /* RoB 2: index in the domain, -1 for the judgement row */
	const char *value;   /* judgement (RoB 1), answer, or override */
	const char *quote;   /* quote, or justification */
	enum rob2_answer answer;
	enum rob_level level;
};

/* one assessed RoB 2 domain (or overall) of one study, to store */
struct rblock {
	const struct xstudy *study;
	const char *outcome;        /* the result ("" "": the whole study) */
	const char *timepoint;
	int domain;                 /* -1: overall */
	size_t first_line;
	struct rrow *q[ROB2_MAXQ];  /* question rows */
	struct rrow *judgement;     /* the judgement row */
	enum rob_level proposed;
};

struct rsheet {
	const char *path;
	const struct protocol *p;
	int rob2;
	struct csvtab tab;
	int col[R2_COLS];
	struct xstudies studies;
	struct rrow *rows;
	size_t nrows;
	struct rblock *blocks;
	size_t nblocks;
};

static int rat(const struct rsheet *s, size_t line)
{
	return lsr_error_wrap("%s:%zu", s->path, line);
}

static int rheader(struct rsheet *s)
{
	const struct strv *h = &s->tab.rows[0];
	const char *const *cols;
	size_t ncols;
	int sheet_rob2 = strv_contains(h, "question");

	if (s->rob2 && strv_contains(h, "timepoint") && !s->p->rob2_per_timepoint)
		return lsr_error_set(LSR_EPARSE,
				     "%s:1: column 'timepoint': RoB 2 is judged per time point only with extraction.rob2_per_timepoint: true in protocol.yaml",
				     s->path);
	if (!s->rob2 && !sheet_rob2 && strv_contains(h, "outcome") && !rob1_outcomes(s->p))
		return lsr_error_set(LSR_EPARSE,
				     "%s:1: column 'outcome': RoB 1 judges a domain per outcome only when extraction.rob1_per_outcome in protocol.yaml lists it",
				     s->path);
	if (!h->n || strcmp(h->v[0], "study") || !strv_contains(h, "domain"))
		return lsr_error_set(LSR_EPARSE,
				     "%s:1: not a risk-of-bias sheet: it needs the columns study and domain (write one with 'lsr rob sheet')",
				     s->path);
	if (sheet_rob2 != s->rob2)
		return lsr_error_set(LSR_EPARSE, "%s:1: this is a %s sheet, but protocol.yaml says risk_of_bias: %s",
				     s->path, sheet_rob2 ? "RoB 2" : "RoB 1", s->p->risk_of_bias);
	cols = s->rob2 ? rob2_cols : rob1_cols;
	ncols = s->rob2 ? R2_COLS : R1_COLS;
	for (size_t k = 0; k < R2_COLS; k++)
		s->col[k] = -1;
	for (size_t j = 0; j < h->n; j++) {
		size_t k;

		for (k = 0; k < ncols && strcmp(cols[k], h->v[j]); k++)
			;
		if (k == ncols) {
			struct buf known = BUF_INIT;
			int rc;

			for (k = 0; k < ncols; k++)
				if (s->rob2 || k != R1_OUTCOME || rob1_outcomes(s->p))
					buf_printf(&known, "%s%s", k ? ", " : "", cols[k]);
			rc = lsr_error_set(LSR_EPARSE, "%s:1: unknown column '%s' (this sheet takes: %s)",
					   s->path, h->v[j], known.s);
			buf_release(&known);
			return rc;
		}
		if (s->col[k] >= 0)
			return lsr_error_set(LSR_EPARSE, "%s:1: column '%s' appears twice", s->path, h->v[j]);
		s->col[k] = (int)j;
	}
	for (size_t k = 0; k < ncols; k++)
		if (s->col[k] < 0 && strcmp(cols[k], "name") && strcmp(cols[k], "text") &&
		    strcmp(cols[k], "outcome") && strcmp(cols[k], "timepoint"))
			return lsr_error_set(LSR_EPARSE, "%s:1: a %s sheet needs a column '%s'", s->path,
					     s->rob2 ? "RoB 2" : "RoB 1", cols[k]);
	return 0;
}

static const char *cell_of(const struct strv *r, int col)
{
	return col >= 0 ? r->v[col] : "";
}

static int check_rob1_row(struct rsheet *s, struct rrow *row, const struct strv *r)
{
	const char *dom = cell_of(r, s->col[R1_DOMAIN]);
	struct buf opts = BUF_INIT;
	int rc;

	row->outcome = cell_of(r, s->col[R1_OUTCOME]);
	row->timepoint = "";
	row->domain = domain_index(s->p, dom);
	row->question = -1;
	if (row->domain < 0) {
		domain_list(&opts, s->p);
		rc = lsr_error_set(LSR_EPARSE, "column 'domain': expected one of %s, got '%s'", opts.s, dom);
		buf_release(&opts);
		return rc;
	}
	if (*row->outcome && !protocol_outcome_find(s->p, row->outcome))
		return lsr_error_set(LSR_EPARSE, "column 'outcome': no outcome '%s' in protocol.yaml's extraction.outcomes",
				     row->outcome);
	if (*row->outcome && !per_outcome(s->p, row->domain))
		return lsr_error_set(LSR_EPARSE,
				     "column 'outcome': domain '%s' is judged per study (extraction.rob1_per_outcome does not list it): leave the outcome empty",
				     dom);
	row->value = cell_of(r, s->col[R1_JUDGEMENT]);
	row->quote = cell_of(r, s->col[R1_QUOTE]);
	if (!*row->value) {
		if (*row->quote)
			return lsr_error_set(LSR_EPARSE, "column 'judgement': a quote needs the judgement it supports");
		return 0;
	}
	row->level = extract_rob_level_parse(row->value, 0);
	if (row->level == ROB_NONE)
		return lsr_error_set(LSR_EPARSE, "column 'judgement': expected low, high or unclear, got '%s'",
				     row->value);
	return 0;
}

static int check_rob2_row(struct rsheet *s, struct rrow *row, const struct strv *r)
{
	const char *dom = cell_of(r, s->col[R2_DOMAIN]);
	const char *q = cell_of(r, s->col[R2_QUESTION]);
	const char *ans = cell_of(r, s->col[R2_ANSWER]);
	const char *jud = cell_of(r, s->col[R2_JUDGEMENT]);
	const char *why = cell_of(r, s->col[R2_JUSTIFY]);
	struct buf opts = BUF_INIT;
	int rc;

	row->outcome = cell_of(r, s->col[R2_OUTCOME]);
	row->timepoint = cell_of(r, s->col[R2_TIMEPOINT]);
	if (*row->outcome) {
		const struct protocol_outcome *po = protocol_outcome_find(s->p, row->outcome);

		if (!po)
			return lsr_error_set(LSR_EPARSE, "column 'outcome': no outcome '%s' in protocol.yaml's extraction.outcomes",
					     row->outcome);
		if (*row->timepoint && po->timepoints.n && !strv_contains(&po->timepoints, row->timepoint))
			return lsr_error_set(LSR_EPARSE, "column 'timepoint': outcome '%s' has no time point '%s'",
					     row->outcome, row->timepoint);
	} else if (*row->timepoint) {
		return lsr_error_set(LSR_EPARSE, "column 'timepoint': a time point needs its outcome");
	}
	row->domain = !strcmp(dom, OVERALL) ? -1 : domain_index(s->p, dom);
	if (row->domain < 0 && strcmp(dom, OVERALL)) {
		domain_list(&opts, s->p);
		rc = lsr_error_set(LSR_EPARSE, "column 'domain': expected one of %s, got '%s'", opts.s, dom);
		buf_release(&opts);
		return rc;
	}
	row->question = -1;
	if (strcmp(q, JUDGEMENT_ROW)) {
		size_t nq;
		const struct extract_rob2_question *qs =
			row->domain >= 0 ? extract_rob2_questions(row->domain, effect(s->p), &nq) : NULL;

		for (size_t i = 0; qs && i < nq; i++)
			if (!strcmp(qs[i].id, q))
				row->question = (int)i;
		if (row->question < 0) {
			for (size_t i = 0; qs && i < nq; i++)
				buf_printf(&opts, "%s, ", qs[i].id);
			rc = lsr_error_set(LSR_EPARSE, "column 'question': domain '%s' has no question '%s' (it takes %s%s)",
					   dom, q, opts.s, JUDGEMENT_ROW);
			buf_release(&opts);
			return rc;
		}
		if (extract_rob2_answer_parse(&row->answer, ans) < 0)
			return lsr_error_set(LSR_EPARSE, "column 'answer': expected Y, PY, PN, N, NI or NA, got '%s'",
					     ans);
		if (*jud || *why)
			return lsr_error_set(LSR_EPARSE, "column '%s': only a domain's judgement row takes a judgement and justification",
					     *jud ? "judgement" : "justification");
		row->value = ans;
		row->quote = cell_of(r, s->col[R2_QUOTE]);
		return 0;
	}
	if (*ans)
		return lsr_error_set(LSR_EPARSE, "column 'answer': a judgement row takes no answer, got '%s'", ans);
	row->value = jud;
	row->quote = why;
	if (!*jud) {
		if (*why)
			return lsr_error_set(LSR_EPARSE, "column 'judgement': a justification needs the judgement it justifies");
		return 0;
	}
	row->level = extract_rob_level_parse(jud, 1);
	if (row->level == ROB_NONE)
		return lsr_error_set(LSR_EPARSE,
				     "column 'judgement': expected low, some concerns or high, got '%s'", jud);
	if (!*why)
		return lsr_error_set(LSR_EPARSE,
				     "column 'justification': overriding the proposed judgement needs a written justification");
	return 0;
}

/* the same result: outcome and time point ("" and NULL alike) */
static int same_result(const char *o1, const char *t1, const char *o2, const char *t2)
{
	return !strcmp(o1 ? o1 : "", o2 ? o2 : "") && !strcmp(t1 ? t1 : "", t2 ? t2 : "");
}

static struct rblock *block_for(struct rsheet *s, const struct rrow *row)
{
	struct rblock *b;

	for (size_t i = 0; i < s->nblocks; i++)
		if (s->blocks[i].study == row->study && s->blocks[i].domain == row->domain &&
		    same_result(s->blocks[i].outcome, s->blocks[i].timepoint, row->outcome, row->timepoint))
			return &s->blocks[i];
	b = &s->blocks[s->nblocks++];
	memset(b, 0, sizeof(*b));
	b->study = row->study;
	b->outcome = row->outcome;
	b->timepoint = row->timepoint;
	b->domain = row->domain;
	b->first_line = row->line;
	return b;
}

/* RoB 2: group the rows into blocks and run the algorithm on each */
static int check_blocks(struct rsheet *s)
{
	enum rob2_effect e = effect(s->p);

	s->blocks = calloc(s->nrows + 1, sizeof(*s->blocks));
	if (!s->blocks)
		return lsr_error_oom();
	for (size_t i = 0; i < s->nrows; i++) {
		struct rrow *row = &s->rows[i];
		struct rblock *b = block_for(s, row);
		struct rrow **slot = row->question >= 0 ? &b->q[row->question] : &b->judgement;

		assert(row->study); /* check_rrows kept only rows of a known study */
		if (*slot)
			return lsr_error_set(LSR_EPARSE, "%s:%zu: study '%s', domain '%s', %s %s is already on row %zu",
					     s->path, row->line, row->study->label,
					     row->domain >= 0 ? extract_rob2_domains[row->domain].code : OVERALL,
					     row->question >= 0 ? "question" : "the",
					     row->question >= 0 ? extract_rob2_questions(row->domain, e, &(size_t){ 0 })[row->question].id
								: JUDGEMENT_ROW,
					     (*slot)->line);
		*slot = row;
	}
	for (size_t i = 0; i < s->nblocks; i++) {
		struct rblock *b = &s->blocks[i];
		enum rob2_answer ans[ROB2_MAXQ] = { ROB2_UNSET };
		size_t nq, badq = 0;
		const struct extract_rob2_question *qs;
		int any = 0;

		if (b->domain < 0)
			continue;
		assert(b->study); /* block_for copied it from a row */
		qs = extract_rob2_questions(b->domain, e, &nq);
		for (size_t q = 0; q < nq; q++) {
			if (!b->q[q])
				return lsr_error_set(LSR_EPARSE, "%s:%zu: study '%s', domain '%s' has no row for question %s",
						     s->path, b->first_line, b->study->label,
						     extract_rob2_domains[b->domain].code, qs[q].id);
			ans[q] = b->q[q]->answer;
			any |= ans[q] != ROB2_UNSET;
		}
		if (!b->judgement)
			return lsr_error_set(LSR_EPARSE, "%s:%zu: study '%s', domain '%s' has no %s row",
					     s->path, b->first_line, b->study->label,
					     extract_rob2_domains[b->domain].code, JUDGEMENT_ROW);
		if (!any) {
			if (*b->judgement->value)
				return lsr_error_set(LSR_EPARSE,
						     "%s:%zu: column 'judgement': domain '%s' has no answers to override",
						     s->path, b->judgement->line, extract_rob2_domains[b->domain].code);
			b->proposed = ROB_NONE; /* not assessed */
			continue;
		}
		if (extract_rob2_domain_judge(&b->proposed, NULL, &badq, b->domain, e, ans) < 0) {
			lsr_error_wrap("column 'answer'");
			return rat(s, b->q[badq]->line);
		}
	}
	/* overall: proposed from this sheet's domains */
	for (size_t i = 0; i < s->nblocks; i++) {
		struct rblock *b = &s->blocks[i];
		enum rob_level dom[ROB2_NDOMAINS];
		int n = 0;

		if (b->domain >= 0)
			continue;
		for (size_t k = 0; k < s->nblocks; k++)
			if (s->blocks[k].study == b->study && s->blocks[k].domain >= 0 &&
			    same_result(s->blocks[k].outcome, s->blocks[k].timepoint, b->outcome, b->timepoint) &&
			    s->blocks[k].proposed != ROB_NONE) {
				struct rblock *d = &s->blocks[k];

				dom[d->domain] = d->judgement->level != ROB_NONE ? d->judgement->level : d->proposed;
				n++;
			}
		if (n < ROB2_NDOMAINS) {
			if (b->judgement && *b->judgement->value)
				return lsr_error_set(LSR_EPARSE,
						     "%s:%zu: column 'judgement': the overall judgement of study '%s' needs all five domains assessed",
						     s->path, b->judgement->line, b->study->label);
			b->proposed = ROB_NONE;
			continue;
		}
		b->proposed = extract_rob2_overall(dom, NULL);
	}
	return 0;
}

static int check_rrows(struct rsheet *s)
{
	size_t ncols = s->tab.rows[0].n;
	int rc;

	s->rows = calloc(s->tab.nrows, sizeof(*s->rows));
	if (!s->rows)
		return lsr_error_oom();
	for (size_t i = 1; i < s->tab.nrows; i++) {
		const struct strv *r = &s->tab.rows[i];
		struct rrow *row = &s->rows[s->nrows];

		row->line = i + 1;
		if (r->n != ncols)
			return lsr_error_set(LSR_EPARSE, "%s:%zu: expected %zu fields as in the header, found %zu",
					     s->path, row->line, ncols, r->n);
		row->study = xstudies_find(&s->studies, r->v[0]);
		if (!row->study)
			return lsr_error_set(LSR_EPARSE,
					     "%s:%zu: column 'study': unknown study '%s' (studies are linked with 'lsr study link')",
					     s->path, row->line, r->v[0]);
		rc = s->rob2 ? check_rob2_row(s, row, r) : check_rob1_row(s, row, r);
		if (rc < 0)
			return rat(s, row->line);
		if (!s->rob2)
			for (size_t k = 0; k < s->nrows; k++)
				if (s->rows[k].study == row->study && s->rows[k].domain == row->domain &&
				    same_result(s->rows[k].outcome, "", row->outcome, ""))
					return lsr_error_set(LSR_EPARSE, "%s:%zu: study '%s'%s%s%s, domain '%s' is already on row %zu",
							     s->path, row->line, row->study->label,
							     *row->outcome ? ", outcome '" : "", row->outcome,
							     *row->outcome ? "'" : "",
							     extract_rob1_domains[row->domain].code, s->rows[k].line);
		s->nrows++;
	}
	return s->rob2 ? check_blocks(s) : 0;
}

static int store_rob(struct lsr_db *db, int64_t import_id, const struct rrow *row,
		     const char *tool, const char *domain, const char *question, const char *value,
		     const char *proposed, const char *assessor, const char *now)
{
	static const char sql[] =
		"INSERT INTO rob_values(import_id, study_id, tool, domain, question, value, proposed, quote,"
		" assessor, at, row, outcome, timepoint)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, import_id);
	sqlite3_bind_int64(st, 2, row->study->id);
	db_bind_text(st, 3, tool);
	db_bind_text(st, 4, domain);
	db_bind_text(st, 5, question);
	db_bind_text(st, 6, value && *value ? value : NULL);
	db_bind_text(st, 7, proposed);
	db_bind_text(st, 8, row->quote && *row->quote ? row->quote : NULL);
	db_bind_text(st, 9, assessor);
	db_bind_text(st, 10, now);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)row->line);
	db_bind_text(st, 12, row->outcome ? row->outcome : "");
	db_bind_text(st, 13, row->timepoint ? row->timepoint : "");
	return db_step_done(db, st);
}

static int rstore(struct extract_import_result *res, struct lsr_db *db, struct rsheet *s,
		  const char *assessor)
{
	char now[CLOCK_ISO_LEN];
	int rc;

	clock_now_iso(now);
	if ((rc = ximport_log(&res->import_id, db, s->rob2 ? "rob2" : "rob1", s->path, assessor,
			      s->nrows)) < 0)
		return rc;
	if (!s->rob2) {
		for (size_t i = 0; i < s->nrows; i++) {
			const struct rrow *row = &s->rows[i];

			if (row->level == ROB_NONE)
				continue;
			if ((rc = store_rob(db, res->import_id, row, "rob1",
					    extract_rob1_domains[row->domain].code, NULL,
					    extract_rob_level_name(row->level, 0), NULL, assessor, now)) < 0)
				return rc;
			res->values++;
		}
		return 0;
	}
	for (size_t i = 0; i < s->nblocks; i++) {
		const struct rblock *b = &s->blocks[i];
		const char *code = b->domain >= 0 ? extract_rob2_domains[b->domain].code : OVERALL;
		const char *proposed = extract_rob_level_name(b->proposed, 1);
		size_t nq = 0;
		const struct extract_rob2_question *qs =
			b->domain >= 0 ? extract_rob2_questions(b->domain, effect(s->p), &nq) : NULL;

		if (b->proposed == ROB_NONE)
			continue; /* not assessed */
		for (size_t q = 0; q < nq; q++) {
			if ((rc = store_rob(db, res->import_id, b->q[q], "rob2", code, qs[q].id,
					    extract_rob2_answer_name(b->q[q]->answer), NULL, assessor, now)) < 0)
				return rc;
			res->values++;
		}
		if ((rc = store_rob(db, res->import_id, b->judgement, "rob2", code, JUDGEMENT_ROW,
				    b->judgement->level != ROB_NONE ? extract_rob_level_name(b->judgement->level, 1) : NULL,
				    proposed, assessor, now)) < 0)
			return rc;
		res->values++;
	}
	return 0;
}

int extract_rob_import(struct extract_import_result *out, struct lsr_db *db,
		       const struct protocol *p, const char *path, const char *assessor)
{
	struct rsheet s;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	s.path = path;
	s.p = p;
	s.rob2 = is_rob2(p);
	if (!assessor || !*assessor)
		return lsr_error_set(LSR_EUSAGE, "an import needs --assessor NAME");
	if ((rc = csvtab_read(&s.tab, path)) < 0)
		return rc;
	if (s.tab.nrows == 0) {
		rc = lsr_error_set(LSR_EPARSE, "%s:1: the sheet is empty", path);
		goto out;
	}
	if ((rc = rheader(&s)) < 0 || (rc = xstudies_load(&s.studies, db)) < 0 ||
	    (rc = check_rrows(&s)) < 0)
		goto out;
	out->rows = s.nrows;
	for (size_t i = 0; i < s.nrows; i++) {
		size_t k;

		for (k = 0; k < i && s.rows[k].study != s.rows[i].study; k++)
			;
		out->studies += k == i;
	}
	if ((rc = db_txn_begin(db)) < 0)
		goto out;
	if ((rc = rstore(out, db, &s, assessor)) < 0)
		goto fail;
	{
		char obj[48];

		snprintf(obj, sizeof(obj), "rob import %lld", (long long)out->import_id);
		rc = db_audit_json(db, "rob-import", obj,
				   json_pack("{s:s, s:s, s:I}", "file", path, "assessor", assessor,
					     "values", (json_int_t)out->values));
		if (rc < 0)
			goto fail;
	}
	rc = db_txn_commit(db);
	goto out;
fail:
	db_txn_rollback(db);
out:
	free(s.rows);
	free(s.blocks);
	xstudies_release(&s.studies);
	csvtab_release(&s.tab);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the judgements of a study's domain */

struct rstate {
	struct strv assessors;
	enum rob_level levels[64];
	struct strv detail;
	enum rob_level final;
	int consensus;
};

static void rstate_release(struct rstate *r)
{
	strv_release(&r->assessors);
	strv_release(&r->detail);
}

/* a result: a study's outcome and time point ("" for the whole study, or
 * for every time point) */
struct rkey {
	int64_t study_id;
	const char *outcome;
	const char *timepoint;
};

/* RoB 2 answers of one assessor: "1.1=Y 1.2=PY ..." */
static int answers_text(struct buf *out, struct lsr_db *db, const struct rkey *k, const char *domain,
			const char *assessor)
{
	static const char sql[] =
		"SELECT v.question, v.value FROM rob_values v WHERE v.study_id = ?1 AND v.tool = 'rob2'"
		" AND v.domain = ?2 AND v.assessor = ?3 AND v.question <> 'judgement'"
		" AND v.outcome = ?4 AND v.timepoint = ?5"
		" AND v.id = (SELECT max(w.id) FROM rob_values w WHERE w.study_id = v.study_id"
		"  AND w.tool = v.tool AND w.domain = v.domain AND w.question = v.question"
		"  AND w.outcome = v.outcome AND w.timepoint = v.timepoint"
		"  AND w.assessor = v.assessor) ORDER BY v.question";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, k->study_id);
	db_bind_text(st, 2, domain);
	db_bind_text(st, 3, assessor);
	db_bind_text(st, 4, k->outcome);
	db_bind_text(st, 5, k->timepoint);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 1);

		buf_printf(out, "%s%s=%s", out->len ? " " : "", sqlite3_column_text(st, 0),
			   v ? (const char *)v : "-");
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, sql);
}

static int collect(struct rstate *r, struct lsr_db *db, const struct protocol *p,
		   const struct rkey *k, const char *domain)
{
	static const char sql[] =
		"SELECT v.assessor, coalesce(v.value, v.proposed) FROM rob_values v"
		" WHERE v.study_id = ?1 AND v.tool = ?2 AND v.domain = ?3 AND v.question IS ?4"
		" AND v.outcome = ?5 AND v.timepoint = ?6"
		" AND v.id = (SELECT max(w.id) FROM rob_values w WHERE w.study_id = v.study_id"
		"  AND w.tool = v.tool AND w.domain = v.domain AND w.question IS v.question"
		"  AND w.outcome = v.outcome AND w.timepoint = v.timepoint"
		"  AND w.assessor = v.assessor) ORDER BY v.assessor";
	static const char csql[] =
		"SELECT judgement FROM rob_consensus WHERE study_id = ?1 AND tool = ?2 AND domain = ?3"
		" AND outcome = ?4 AND timepoint = ?5 ORDER BY id DESC LIMIT 1";
	int rob2 = is_rob2(p), need, rc;
	sqlite3_stmt *st = db_prepare(db, sql);

	memset(r, 0, sizeof(*r));
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, k->study_id);
	db_bind_text(st, 2, p->risk_of_bias);
	db_bind_text(st, 3, domain);
	db_bind_text(st, 4, rob2 ? JUDGEMENT_ROW : NULL);
	db_bind_text(st, 5, k->outcome);
	db_bind_text(st, 6, k->timepoint);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && r->assessors.n < 64) {
		const char *v = (const char *)sqlite3_column_text(st, 1);

		if ((rc = strv_push(&r->assessors, (const char *)sqlite3_column_text(st, 0))) < 0)
			break;
		r->levels[r->assessors.n - 1] = extract_rob_level_parse(v, rob2);
	}
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(db, sql);
	if (rob2 && strcmp(domain, OVERALL)) {
		for (size_t i = 0; i < r->assessors.n; i++) {
			struct buf b = BUF_INIT;

			if ((rc = answers_text(&b, db, k, domain, r->assessors.v[i])) < 0 ||
			    (rc = strv_push_owned(&r->detail, buf_detach(&b))) < 0)
				return rc;
		}
	}
	st = db_prepare(db, csql);
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, k->study_id);
	db_bind_text(st, 2, p->risk_of_bias);
	db_bind_text(st, 3, domain);
	db_bind_text(st, 4, k->outcome);
	db_bind_text(st, 5, k->timepoint);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->final = extract_rob_level_parse((const char *)sqlite3_column_text(st, 0), rob2);
		r->consensus = 1;
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(db, csql);
	need = p->allow_single_extractor ? 1 : (p->extractors > 0 ? p->extractors : 1);
	if ((int)r->assessors.n >= need) {
		r->final = r->levels[0];
		for (size_t i = 1; i < r->assessors.n; i++)
			if (r->levels[i] != r->final)
				r->final = ROB_NONE;
	}
	return 0;
}

/* The results of a study that have judgements (or a consensus) of the
 * protocol's tool, in order; the whole study ("" "") when none has, and
 * always for RoB 1 (most of its domains are judged per study). */
static int study_results(struct strv *outcomes, struct strv *timepoints, struct lsr_db *db,
			 const struct protocol *p, int64_t study_id)
{
	static const char sql[] =
		"SELECT outcome, timepoint FROM rob_values WHERE study_id = ?1 AND tool = ?2"
		" UNION SELECT outcome, timepoint FROM rob_consensus WHERE study_id = ?1 AND tool = ?2"
		" ORDER BY 1, 2";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, study_id);
	db_bind_text(st, 2, p->risk_of_bias);
	if (!is_rob2(p) && ((rc = strv_push(outcomes, "")) < 0 || (rc = strv_push(timepoints, "")) < 0)) {
		sqlite3_reset(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!is_rob2(p) && !*(const char *)sqlite3_column_text(st, 0))
			continue; /* listed first */
		if ((rc = strv_push(outcomes, (const char *)sqlite3_column_text(st, 0))) < 0 ||
		    (rc = strv_push(timepoints, (const char *)sqlite3_column_text(st, 1))) < 0)
			break;
	}
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	if (rc != SQLITE_DONE)
		return db_error(db, sql);
	if (!outcomes->n && ((rc = strv_push(outcomes, "")) < 0 || (rc = strv_push(timepoints, "")) < 0))
		return rc;
	return 0;
}

/* *yes: the one-column answer of st, a prepared and bound query of sql
 * ("SELECT EXISTS(...)") */
static int step_exists(int *yes, struct lsr_db *db, sqlite3_stmt *st, const char *sql)
{
	int rc = sqlite3_step(st);

	*yes = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, sql);
}

/* whether anything of the protocol's tool is recorded for a domain of a
 * study with outcome (NULL: with any outcome, not the study level) */
static int domain_recorded(int *yes, struct lsr_db *db, const struct protocol *p, int64_t study_id,
			   const char *domain, const char *outcome)
{
	static const char sql[] =
		"SELECT EXISTS(SELECT 1 FROM rob_values WHERE study_id = ?1 AND tool = ?2 AND domain = ?3"
		"  AND (outcome = ?4 OR (?4 IS NULL AND outcome <> '')))"
		" OR EXISTS(SELECT 1 FROM rob_consensus WHERE study_id = ?1 AND tool = ?2 AND domain = ?3"
		"  AND (outcome = ?4 OR (?4 IS NULL AND outcome <> '')))";
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, study_id);
	db_bind_text(st, 2, p->risk_of_bias);
	db_bind_text(st, 3, domain);
	db_bind_text(st, 4, outcome);
	return step_exists(yes, db, st, sql);
}

/*
 * RoB 1: whether compare lists domain d of a result.  A study-level
 * domain only at study level; a per-outcome domain for each outcome it is
 * recorded for, and at study level when recorded there or for no outcome
 * (so a study not assessed yet still shows it open).
 */
static int rob1_listed(int *yes, struct lsr_db *db, const struct protocol *p, const struct rkey *k,
		       int d)
{
	const char *code = extract_rob1_domains[d].code;
	int rc;

	if (!per_outcome(p, d)) {
		*yes = !*k->outcome;
		return 0;
	}
	if ((rc = domain_recorded(yes, db, p, k->study_id, code, k->outcome)) < 0 || *yes || *k->outcome)
		return rc;
	if ((rc = domain_recorded(yes, db, p, k->study_id, code, NULL)) < 0)
		return rc;
	*yes = !*yes;
	return 0;
}

typedef int (*domain_fn)(const struct xstudy *s, const struct rkey *k, const char *domain,
			 struct rstate *r, void *payload);

static int walk_domains(struct lsr_db *db, const struct protocol *p, domain_fn fn, void *payload)
{
	struct xstudies studies;
	size_t nd;
	const struct extract_rob_domain *d = domains(p, &nd);
	int rc;

	if ((rc = xstudies_load(&studies, db)) < 0)
		return rc;
	for (size_t i = 0; i < studies.n && rc == 0; i++) {
		struct strv outcomes = STRV_INIT, tps = STRV_INIT;

		rc = study_results(&outcomes, &tps, db, p, studies.v[i].id);
		for (size_t j = 0; j < outcomes.n && rc == 0; j++) {
			struct rkey key = { studies.v[i].id, outcomes.v[j], tps.v[j] };

			for (size_t k = 0; k <= nd && rc == 0; k++) {
				struct rstate r;
				const char *code = k < nd ? d[k].code : OVERALL;
				int listed = 1;

				if (k == nd && !is_rob2(p))
					break;
				if (!is_rob2(p) && ((rc = rob1_listed(&listed, db, p, &key, (int)k)) < 0 || !listed))
					continue;
				rc = collect(&r, db, p, &key, code);
				if (rc == 0)
					rc = fn(&studies.v[i], &key, code, &r, payload);
				rstate_release(&r);
			}
		}
		strv_release(&outcomes);
		strv_release(&tps);
	}
	xstudies_release(&studies);
	return rc;
}

struct rcompare {
	size_t *open;
	int all;
	int (*fn)(const struct extract_rob_item *it, void *payload);
	void *payload;
};

static int compare_domain(const struct xstudy *s, const struct rkey *k, const char *domain,
			  struct rstate *r, void *payload)
{
	struct rcompare *c = payload;
	struct extract_rob_item it;

	if (r->final == ROB_NONE)
		(*c->open)++;
	if (!c->all && r->final != ROB_NONE)
		return 0;
	it.study = s->label;
	it.outcome = k->outcome;
	it.timepoint = k->timepoint;
	it.domain = domain;
	it.nassessors = r->assessors.n;
	it.assessors = (const char *const *)r->assessors.v;
	it.levels = r->levels;
	it.detail = r->detail.n ? (const char *const *)r->detail.v : NULL;
	it.final = r->final;
	it.consensus = r->consensus;
	return c->fn(&it, c->payload);
}

int extract_rob_compare(size_t *open, struct lsr_db *db, const struct protocol *p, int all,
			int (*fn)(const struct extract_rob_item *it, void *payload), void *payload)
{
	struct rcompare c = { open, all, fn, payload };

	*open = 0;
	return walk_domains(db, p, compare_domain, &c);
}

/* an outcome (and time point) named for RoB 2; "" "" for the whole study */
static int check_result(const struct protocol *p, const char *outcome, const char *timepoint)
{
	const struct protocol_outcome *po;

	if (!*outcome && !*timepoint)
		return 0;
	if (!is_rob2(p) && !rob1_outcomes(p))
		return lsr_error_set(LSR_EUSAGE, ROB1_PER_STUDY);
	if (!*outcome)
		return lsr_error_set(LSR_EUSAGE, "--timepoint needs --outcome");
	if (!is_rob2(p) && *timepoint)
		return lsr_error_set(LSR_EUSAGE, "RoB 1 is judged per outcome, not per time point");
	if (!(po = protocol_outcome_find(p, outcome)))
		return lsr_error_set(LSR_ENOTFOUND, "no outcome '%s' in protocol.yaml's extraction.outcomes",
				     outcome);
	if (*timepoint && !p->rob2_per_timepoint)
		return lsr_error_set(LSR_EUSAGE,
				     "RoB 2 is judged per time point only with extraction.rob2_per_timepoint: true");
	if (*timepoint && po->timepoints.n && !strv_contains(&po->timepoints, timepoint))
		return lsr_error_set(LSR_ENOTFOUND, "outcome '%s' has no time point '%s'", outcome, timepoint);
	return 0;
}

int extract_rob_resolve(struct lsr_db *db, const struct protocol *p, const char *study,
			const char *outcome, const char *timepoint, const char *domain,
			const char *judgement, const char *reason, const char *by)
{
	static const char sql[] =
		"INSERT INTO rob_consensus(study_id, tool, domain, judgement, reason, actor, at, outcome,"
		" timepoint) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	struct xstudies studies;
	const struct xstudy *s;
	int rob2 = is_rob2(p), rc;
	enum rob_level l;
	char now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;

	outcome = outcome ? outcome : "";
	timepoint = timepoint ? timepoint : "";
	if (!reason || !*reason)
		return lsr_error_set(LSR_EUSAGE, "a consensus needs --reason TEXT");
	if ((rc = check_result(p, outcome, timepoint)) < 0)
		return rc;
	if (domain_index(p, domain) < 0 && !(rob2 && !strcmp(domain, OVERALL))) {
		struct buf opts = BUF_INIT;

		domain_list(&opts, p);
		rc = lsr_error_set(LSR_EUSAGE, "unknown domain '%s' (expected one of %s)", domain, opts.s);
		buf_release(&opts);
		return rc;
	}
	if (*outcome && !rob2 && !per_outcome(p, domain_index(p, domain)))
		return lsr_error_set(LSR_EUSAGE,
				     "domain '%s' is judged per study (extraction.rob1_per_outcome does not list it): leave out --outcome",
				     domain);
	l = extract_rob_level_parse(judgement, rob2);
	if (l == ROB_NONE)
		return lsr_error_set(LSR_EUSAGE, "expected a judgement of low, %s or high, not '%s'",
				     rob2 ? "some concerns" : "unclear", judgement);
	if ((rc = xstudies_load(&studies, db)) < 0)
		return rc;
	s = xstudies_find(&studies, study);
	if (!s) {
		rc = lsr_error_set(LSR_ENOTFOUND, "no study '%s'", study);
		goto out;
	}
	if ((rc = db_txn_begin(db)) < 0)
		goto out;
	st = db_prepare(db, sql);
	if (!st) {
		rc = lsr_error_last_code();
		goto fail;
	}
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, s->id);
	db_bind_text(st, 2, p->risk_of_bias);
	db_bind_text(st, 3, domain);
	db_bind_text(st, 4, extract_rob_level_name(l, rob2));
	db_bind_text(st, 5, reason);
	db_bind_text(st, 6, db_actor());
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, outcome);
	db_bind_text(st, 9, timepoint);
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	{
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "study", study, "domain", domain,
				      "judgement", extract_rob_level_name(l, rob2), "reason", reason,
				      "by", by ? by : db_actor());
		char obj[64];

		if (*outcome)
			json_object_set_new(j, "outcome", json_string(outcome));
		if (*timepoint)
			json_object_set_new(j, "timepoint", json_string(timepoint));
		snprintf(obj, sizeof(obj), "study %lld", (long long)s->id);
		rc = db_audit_json(db, "rob-consensus", obj, j);
		if (rc < 0)
			goto fail;
	}
	rc = db_txn_commit(db);
	goto out;
fail:
	db_txn_rollback(db);
out:
	xstudies_release(&studies);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the judgements of one result, with the study-level fallback */

/* whether anything of the protocol's tool is recorded for the result */
static int result_recorded(int *yes, struct lsr_db *db, const struct protocol *p, const struct rkey *k)
{
	static const char sql[] =
		"SELECT EXISTS(SELECT 1 FROM rob_values WHERE study_id = ?1 AND tool = ?2"
		"  AND outcome = ?3 AND timepoint = ?4)"
		" OR EXISTS(SELECT 1 FROM rob_consensus WHERE study_id = ?1 AND tool = ?2"
		"  AND outcome = ?3 AND timepoint = ?4)";
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, k->study_id);
	db_bind_text(st, 2, p->risk_of_bias);
	db_bind_text(st, 3, k->outcome);
	db_bind_text(st, 4, k->timepoint);
	return step_exists(yes, db, st, sql);
}

/*
 * The key whose judgements stand for a result: the result's own (outcome
 * and time point) when any is recorded, else the outcome's for every time
 * point, else the study's.  RoB 1 keeps the outcome without the time
 * point: key_levels chooses per domain.
 */
static int result_key(struct rkey *k, struct lsr_db *db, const struct protocol *p)
{
	int yes = 0, rc;

	if (!is_rob2(p)) {
		k->timepoint = "";
		if (!rob1_outcomes(p))
			k->outcome = "";
		return 0;
	}
	if (*k->outcome && *k->timepoint) {
		if ((rc = result_recorded(&yes, db, p, k)) < 0 || yes)
			return rc;
		k->timepoint = "";
	}
	if (*k->outcome) {
		if ((rc = result_recorded(&yes, db, p, k)) < 0 || yes)
			return rc;
	}
	k->outcome = k->timepoint = "";
	return 0;
}

/* RoB 1 has no overall judgement of its own: the Handbook's summary rule
 * (Higgins & Altman 2008, Table 8.7.a): high if any domain is high, low if
 * all are low, otherwise unclear; not yet when a domain is open. */
static enum rob_level rob1_overall(const enum rob_level *dom)
{
	enum rob_level o = ROB_LOW;

	for (size_t i = 0; i < ROB1_NDOMAINS; i++) {
		if (dom[i] == ROB_HIGH)
			return ROB_HIGH;
		if (dom[i] == ROB_NONE)
			o = ROB_NONE;
		else if (dom[i] == ROB_SOME && o == ROB_LOW)
			o = ROB_SOME;
	}
	return o;
}

/* levels[d] for each domain, then the overall (RoB 1: the summary rule);
 * RoB 1 takes a per-outcome domain's judgement for k's outcome when one is
 * recorded, else the study's */
static int key_levels(enum rob_level *levels, struct lsr_db *db, const struct protocol *p,
		      const struct rkey *k)
{
	size_t nd;
	const struct extract_rob_domain *d = domains(p, &nd);
	int rc = 0;

	for (size_t i = 0; i <= nd && rc == 0; i++) {
		struct rstate r;
		struct rkey dk = *k;

		if (i == nd && !is_rob2(p)) {
			levels[nd] = rob1_overall(levels);
			break;
		}
		if (!is_rob2(p) && *dk.outcome) {
			int own = 0;

			if (per_outcome(p, (int)i) &&
			    (rc = domain_recorded(&own, db, p, k->study_id, d[i].code, dk.outcome)) < 0)
				break;
			if (!own)
				dk.outcome = "";
		}
		rc = collect(&r, db, p, &dk, i < nd ? d[i].code : OVERALL);
		levels[i] = r.final;
		rstate_release(&r);
	}
	return rc;
}

int extract_rob_result_levels(enum rob_level *levels, struct lsr_db *db, const struct protocol *p,
			      const char *study, const char *outcome, const char *timepoint)
{
	struct xstudies studies;
	const struct xstudy *s;
	struct rkey k;
	int rc;

	if ((rc = xstudies_load(&studies, db)) < 0)
		return rc;
	s = xstudies_find(&studies, study);
	if (!s) {
		rc = lsr_error_set(LSR_ENOTFOUND, "no study '%s'", study);
		goto out;
	}
	k = (struct rkey){ s->id, outcome ? outcome : "", timepoint ? timepoint : "" };
	if ((rc = result_key(&k, db, p)) == 0)
		rc = key_levels(levels, db, p, &k);
out:
	xstudies_release(&studies);
	return rc;
}

int extract_rob_result_judgement(struct lsr_db *db, const char *study, const char *outcome,
				 const char *timepoint, char *out, size_t outsz)
{
	enum rob_level levels[ROB1_NDOMAINS + 1];
	struct protocol *p = NULL;
	struct buf path = BUF_INIT;
	size_t nd;
	int rc;

	if (outsz)
		out[0] = '\0';
	if (db_dir(db, &path) < 0 || buf_printf(&path, "/%s", LSR_PROTOCOL_FILE) < 0) {
		buf_release(&path);
		return lsr_error_oom();
	}
	rc = protocol_load(&p, path.s);
	buf_release(&path);
	if (rc < 0)
		return rc;
	domains(p, &nd);
	if ((rc = extract_rob_result_levels(levels, db, p, study, outcome, timepoint)) == 0 &&
	    levels[nd] != ROB_NONE)
		snprintf(out, outsz, "%s", extract_rob_level_name(levels[nd], is_rob2(p)));
	protocol_free(p);
	return rc;
}

/* ------------------------------------------------------------------ */
/* figures */

/* the plot of one result (outcome "": the study level) for the studies in
 * only (NULL: every study) */
static int plot_data(struct extract_robplot *out, struct lsr_db *db, const struct protocol *p,
		     const struct strv *weights, const char *outcome, const char *timepoint,
		     const struct strv *only)
{
	struct xstudies studies;
	struct extract_robplot_study *ps;
	enum rob_level *levels;
	size_t nd, ncols;
	int rc;

	memset(out, 0, sizeof(*out));
	out->domains = domains(p, &nd);
	out->ndomains = nd;
	out->rob2 = is_rob2(p);
	out->has_overall = out->rob2;
	for (size_t k = 0; !*outcome && k < nd && k < 32; k++)
		if (per_outcome(p, (int)k))
			out->per_outcome_cols |= 1u << k;
	if (*outcome) {
		const struct protocol_outcome *po = protocol_outcome_find(p, outcome);
		struct buf b = BUF_INIT;

		/* the title: the outcome's label from the protocol */
		if (buf_printf(&b, "%s%s%s", po ? protocol_outcome_label(po) : outcome,
			       *timepoint ? " at " : "", timepoint) < 0 ||
		    !(out->result = buf_detach(&b))) {
			buf_release(&b);
			return lsr_error_oom();
		}
	}
	if ((rc = xstudies_load(&studies, db)) < 0) {
		free((char *)out->result);
		out->result = NULL;
		return rc;
	}
	/* every row keeps room for nd + 1 levels (RoB 1's summary rule
	 * fills the last); the figure reads ncols of them */
	ncols = nd + 1;
	/* one block: the studies, then their levels */
	ps = calloc(1, (studies.n + 1) * sizeof(*ps) + (studies.n * ncols + 1) * sizeof(*levels));
	if (!ps) {
		xstudies_release(&studies);
		free((char *)out->result);
		out->result = NULL;
		return lsr_error_oom();
	}
	levels = (enum rob_level *)(ps + studies.n + 1);
	out->studies = ps;
	for (size_t i = 0; i < studies.n && rc == 0; i++) {
		const char *label = studies.v[i].label, *w = NULL;
		size_t len = strlen(label);
		struct rkey k = { studies.v[i].id, outcome, timepoint };
		struct extract_robplot_study *row = ps + out->nstudies;
		enum rob_level *lv = levels + out->nstudies * ncols;

		if (only && !strv_contains(only, label))
			continue;
		row->levels = lv;
		row->weight = 1;
		if (!(row->label = xstrdup(label))) {
			rc = LSR_ENOMEM;
			break;
		}
		out->nstudies++;
		for (size_t j = 0; weights && j < weights->n; j++)
			if (!strncmp(weights->v[j], label, len) && weights->v[j][len] == '=')
				w = weights->v[j] + len + 1;
		if (w && !xparse_number(&row->weight, w)) {
			rc = lsr_error_set(LSR_EUSAGE, "the weight of study '%s' must be a number, not '%s'",
					   label, w);
			break;
		}
		if ((rc = result_key(&k, db, p)) == 0)
			rc = key_levels(lv, db, p, &k);
	}
	xstudies_release(&studies);
	if (rc < 0) {
		extract_rob_plot_free(out);
		return rc;
	}
	return 0;
}

int extract_rob_plot_data_result(struct extract_robplot *out, struct lsr_db *db,
				 const struct protocol *p, const struct strv *weights,
				 const char *outcome, const char *timepoint)
{
	int rc;

	memset(out, 0, sizeof(*out));
	outcome = outcome ? outcome : "";
	timepoint = timepoint ? timepoint : "";
	if ((rc = check_result(p, outcome, timepoint)) < 0)
		return rc;
	return plot_data(out, db, p, weights, outcome, timepoint, NULL);
}

int extract_rob_plot_data(struct extract_robplot *out, struct lsr_db *db,
			  const struct protocol *p, const struct strv *weights)
{
	return extract_rob_plot_data_result(out, db, p, weights, NULL, NULL);
}

/* whether the protocol's tool has judgements with outcome (NULL: any
 * outcome) and a time point other than "" */
static int any_recorded(int *yes, struct lsr_db *db, const struct protocol *p, const char *outcome,
			int with_timepoint)
{
	static const char sql[] =
		"SELECT EXISTS(SELECT 1 FROM rob_values WHERE tool = ?1 AND outcome <> ''"
		"  AND (?2 IS NULL OR outcome = ?2) AND (?3 = 0 OR timepoint <> ''))"
		" OR EXISTS(SELECT 1 FROM rob_consensus WHERE tool = ?1 AND outcome <> ''"
		"  AND (?2 IS NULL OR outcome = ?2) AND (?3 = 0 OR timepoint <> ''))";
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, p->risk_of_bias);
	db_bind_text(st, 2, outcome);
	sqlite3_bind_int(st, 3, with_timepoint);
	return step_exists(yes, db, st, sql);
}

/* the studies of a result: those with agreed data for it and those with
 * judgements of their own for it (RoB 2: for the time point or for the
 * outcome's every time point) */
static int result_studies(struct strv *only, struct lsr_db *db, const struct protocol *p,
			  const char *outcome, const char *timepoint)
{
	static const char sql[] =
		"SELECT s.label FROM studies s WHERE EXISTS(SELECT 1 FROM rob_values v WHERE"
		"  v.study_id = s.id AND v.tool = ?1 AND v.outcome = ?2 AND v.timepoint IN ('', ?3))"
		" OR EXISTS(SELECT 1 FROM rob_consensus c WHERE"
		"  c.study_id = s.id AND c.tool = ?1 AND c.outcome = ?2 AND c.timepoint IN ('', ?3))";
	struct extract_study_data *data = NULL;
	size_t ndata = 0;
	sqlite3_stmt *st;
	int rc;

	if ((rc = extract_outcome_data(&data, &ndata, db, p, outcome, *timepoint ? timepoint : NULL)) < 0)
		return rc;
	for (size_t i = 0; i < ndata && rc == 0; i++)
		rc = strv_push_unique(only, data[i].study);
	extract_study_data_free(data, ndata);
	if (rc < 0)
		return rc;
	if (!(st = db_prepare(db, sql)))
		return lsr_error_last_code();
	db_bind_text(st, 1, p->risk_of_bias);
	db_bind_text(st, 2, outcome);
	db_bind_text(st, 3, timepoint);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = strv_push_unique(only, (const char *)sqlite3_column_text(st, 0))) < 0)
			break;
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	return rc == SQLITE_DONE ? 0 : db_error(db, sql);
}

/* the plot of one result for its studies, to fn; *n counts the plots */
static int result_plot(size_t *n, struct lsr_db *db, const struct protocol *p, const char *outcome,
		       const char *timepoint, extract_rob_result_fn fn, void *payload)
{
	struct strv only = STRV_INIT;
	struct extract_robplot plot;
	int rc;

	memset(&plot, 0, sizeof(plot));
	if ((rc = result_studies(&only, db, p, outcome, timepoint)) == 0 && only.n &&
	    (rc = plot_data(&plot, db, p, NULL, outcome, timepoint, &only)) == 0) {
		(*n)++;
		rc = fn(&plot, outcome, timepoint, payload);
		extract_rob_plot_free(&plot);
	}
	strv_release(&only);
	return rc;
}

int extract_rob_plot_results(size_t *n, struct lsr_db *db, const struct protocol *p,
			     extract_rob_result_fn fn, void *payload)
{
	int own = 0, rc;

	*n = 0;
	if ((rc = any_recorded(&own, db, p, NULL, 0)) < 0 || !own)
		return rc;
	for (size_t o = 0; o < p->noutcomes && rc == 0; o++) {
		const struct protocol_outcome *po = &p->outcomes[o];
		int per_tp = 0;

		if (is_rob2(p) && p->rob2_per_timepoint && po->timepoints.n &&
		    (rc = any_recorded(&per_tp, db, p, po->name, 1)) < 0)
			break;
		if (!per_tp)
			rc = result_plot(n, db, p, po->name, "", fn, payload);
		for (size_t t = 0; per_tp && t < po->timepoints.n && rc == 0; t++)
			rc = result_plot(n, db, p, po->name, po->timepoints.v[t], fn, payload);
	}
	return rc;
}

void extract_rob_plot_free(struct extract_robplot *p)
{
	free((char *)p->result);
	p->result = NULL;
	if (!p->studies)
		return;
	for (size_t i = 0; i < p->nstudies; i++)
		free((char *)p->studies[i].label);
	free((struct extract_robplot_study *)p->studies); /* and the levels after them */
	p->studies = NULL;
	p->nstudies = 0;
}
