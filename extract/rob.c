/*
 * rob.c - risk of bias in the review database: sheets, import, the
 * comparison of two assessors, consensus, and the data for the figures.
 *
 * RoB 1 sheets have one row per study x domain (judgement low, high or
 * unclear, and the supporting quote).  RoB 2 sheets have one row per
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

static const char *const rob1_cols[] = { "study", "domain", "name", "judgement", "quote" };
static const char *const rob2_cols[] = { "study", "domain", "question", "text", "answer", "quote",
					 "judgement", "justification" };
enum { R2_STUDY, R2_DOMAIN, R2_QUESTION, R2_TEXT, R2_ANSWER, R2_QUOTE, R2_JUDGEMENT, R2_JUSTIFY, R2_COLS };
enum { R1_STUDY, R1_DOMAIN, R1_NAME, R1_JUDGEMENT, R1_QUOTE, R1_COLS };

static void put_row(FILE *f, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csvtab_put(f, cells[i], i + 1 < n ? ',' : '\n');
}

int extract_rob_sheet_write(FILE *f, struct lsr_db *db, const struct protocol *p,
			    const char *study)
{
	struct xstudies studies;
	int rc, rob2 = is_rob2(p);

	if ((rc = xstudies_load(&studies, db)) < 0)
		return rc;
	if (study && !xstudies_find(&studies, study)) {
		rc = lsr_error_set(LSR_ENOTFOUND, "no study '%s' (studies are linked with 'lsr study link')",
				   study);
		goto out;
	}
	if (rob2)
		put_row(f, rob2_cols, R2_COLS);
	else
		put_row(f, rob1_cols, R1_COLS);
	for (size_t i = 0; i < studies.n; i++) {
		const char *label = studies.v[i].label;

		if (study && strcmp(study, label))
			continue;
		if (!rob2) {
			for (size_t d = 0; d < ROB1_NDOMAINS; d++) {
				const char *cells[R1_COLS] = { label, extract_rob1_domains[d].code,
							      extract_rob1_domains[d].name, "", "" };

				put_row(f, cells, R1_COLS);
			}
			continue;
		}
		for (int d = 0; d < ROB2_NDOMAINS; d++) {
			size_t nq;
			const struct extract_rob2_question *qs = extract_rob2_questions(d, effect(p), &nq);
			const char *code = extract_rob2_domains[d].code;

			for (size_t q = 0; q < nq; q++) {
				const char *cells[R2_COLS] = { label, code, qs[q].id, qs[q].text, "", "", "", "" };

				put_row(f, cells, R2_COLS);
			}
			{
				const char *cells[R2_COLS] = {
					label, code, JUDGEMENT_ROW,
					"proposed by the RoB 2 algorithm; to override, give the judgement and a justification",
					"", "", "", ""
				};

				put_row(f, cells, R2_COLS);
			}
		}
		{
			const char *cells[R2_COLS] = {
				label, OVERALL, JUDGEMENT_ROW,
				"proposed from the domains; to override, give the judgement and a justification",
				"", "", "", ""
			};

			put_row(f, cells, R2_COLS);
		}
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
		if (s->col[k] < 0 && strcmp(cols[k], "name") && strcmp(cols[k], "text"))
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

	row->domain = domain_index(s->p, dom);
	row->question = -1;
	if (row->domain < 0) {
		domain_list(&opts, s->p);
		rc = lsr_error_set(LSR_EPARSE, "column 'domain': expected one of %s, got '%s'", opts.s, dom);
		buf_release(&opts);
		return rc;
	}
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

static struct rblock *block_for(struct rsheet *s, const struct rrow *row)
{
	struct rblock *b;

	for (size_t i = 0; i < s->nblocks; i++)
		if (s->blocks[i].study == row->study && s->blocks[i].domain == row->domain)
			return &s->blocks[i];
	b = &s->blocks[s->nblocks++];
	memset(b, 0, sizeof(*b));
	b->study = row->study;
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
				if (s->rows[k].study == row->study && s->rows[k].domain == row->domain)
					return lsr_error_set(LSR_EPARSE, "%s:%zu: study '%s', domain '%s' is already on row %zu",
							     s->path, row->line, row->study->label,
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
		" assessor, at, row) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
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

/* RoB 2 answers of one assessor: "1.1=Y 1.2=PY ..." */
static int answers_text(struct buf *out, struct lsr_db *db, int64_t study_id, const char *domain,
			const char *assessor)
{
	static const char sql[] =
		"SELECT v.question, v.value FROM rob_values v WHERE v.study_id = ?1 AND v.tool = 'rob2'"
		" AND v.domain = ?2 AND v.assessor = ?3 AND v.question <> 'judgement'"
		" AND v.id = (SELECT max(w.id) FROM rob_values w WHERE w.study_id = v.study_id"
		"  AND w.tool = v.tool AND w.domain = v.domain AND w.question = v.question"
		"  AND w.assessor = v.assessor) ORDER BY v.question";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, study_id);
	db_bind_text(st, 2, domain);
	db_bind_text(st, 3, assessor);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 1);

		buf_printf(out, "%s%s=%s", out->len ? " " : "", sqlite3_column_text(st, 0),
			   v ? (const char *)v : "-");
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, sql);
}

static int collect(struct rstate *r, struct lsr_db *db, const struct protocol *p,
		   int64_t study_id, const char *domain)
{
	static const char sql[] =
		"SELECT v.assessor, coalesce(v.value, v.proposed) FROM rob_values v"
		" WHERE v.study_id = ?1 AND v.tool = ?2 AND v.domain = ?3 AND v.question IS ?4"
		" AND v.id = (SELECT max(w.id) FROM rob_values w WHERE w.study_id = v.study_id"
		"  AND w.tool = v.tool AND w.domain = v.domain AND w.question IS v.question"
		"  AND w.assessor = v.assessor) ORDER BY v.assessor";
	static const char csql[] =
		"SELECT judgement FROM rob_consensus WHERE study_id = ?1 AND tool = ?2 AND domain = ?3"
		" ORDER BY id DESC LIMIT 1";
	int rob2 = is_rob2(p), need, rc;
	sqlite3_stmt *st = db_prepare(db, sql);

	memset(r, 0, sizeof(*r));
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, study_id);
	db_bind_text(st, 2, p->risk_of_bias);
	db_bind_text(st, 3, domain);
	db_bind_text(st, 4, rob2 ? JUDGEMENT_ROW : NULL);
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

			if ((rc = answers_text(&b, db, study_id, domain, r->assessors.v[i])) < 0 ||
			    (rc = strv_push_owned(&r->detail, buf_detach(&b))) < 0)
				return rc;
		}
	}
	st = db_prepare(db, csql);
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, study_id);
	db_bind_text(st, 2, p->risk_of_bias);
	db_bind_text(st, 3, domain);
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

typedef int (*domain_fn)(const struct xstudy *s, const char *domain, struct rstate *r, void *payload);

static int walk_domains(struct lsr_db *db, const struct protocol *p, domain_fn fn, void *payload)
{
	struct xstudies studies;
	size_t nd;
	const struct extract_rob_domain *d = domains(p, &nd);
	int rc;

	if ((rc = xstudies_load(&studies, db)) < 0)
		return rc;
	for (size_t i = 0; i < studies.n && rc == 0; i++) {
		for (size_t k = 0; k <= nd && rc == 0; k++) {
			struct rstate r;
			const char *code = k < nd ? d[k].code : OVERALL;

			if (k == nd && !is_rob2(p))
				break;
			rc = collect(&r, db, p, studies.v[i].id, code);
			if (rc == 0)
				rc = fn(&studies.v[i], code, &r, payload);
			rstate_release(&r);
		}
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

static int compare_domain(const struct xstudy *s, const char *domain, struct rstate *r,
			  void *payload)
{
	struct rcompare *c = payload;
	struct extract_rob_item it;

	if (r->final == ROB_NONE)
		(*c->open)++;
	if (!c->all && r->final != ROB_NONE)
		return 0;
	it.study = s->label;
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

int extract_rob_resolve(struct lsr_db *db, const struct protocol *p, const char *study,
			const char *domain, const char *judgement, const char *reason,
			const char *by)
{
	static const char sql[] =
		"INSERT INTO rob_consensus(study_id, tool, domain, judgement, reason, actor, at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	struct xstudies studies;
	const struct xstudy *s;
	int rob2 = is_rob2(p), rc;
	enum rob_level l;
	char now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;

	if (!reason || !*reason)
		return lsr_error_set(LSR_EUSAGE, "a consensus needs --reason TEXT");
	if (domain_index(p, domain) < 0 && !(rob2 && !strcmp(domain, OVERALL))) {
		struct buf opts = BUF_INIT;

		domain_list(&opts, p);
		rc = lsr_error_set(LSR_EUSAGE, "unknown domain '%s' (expected one of %s)", domain, opts.s);
		buf_release(&opts);
		return rc;
	}
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
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	{
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "study", study, "domain", domain,
				      "judgement", extract_rob_level_name(l, rob2), "reason", reason,
				      "by", by ? by : db_actor());
		char obj[64];

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
/* figures */

struct rplot {
	struct extract_robplot *p;
	const struct protocol *proto;
	const struct strv *weights;
	size_t ncols;
	enum rob_level *levels;  /* nstudies x ncols */
	struct extract_robplot_study *studies;
	size_t n;
	int rc_weight;
};

static int plot_domain(const struct xstudy *s, const char *domain, struct rstate *r, void *payload)
{
	struct rplot *pl = payload;
	size_t col;

	if (!pl->n || strcmp(pl->studies[pl->n - 1].label, s->label)) {
		struct extract_robplot_study *st = &pl->studies[pl->n];
		const char *w = NULL;
		size_t len = strlen(s->label);

		st->label = xstrdup(s->label);
		if (!st->label)
			return LSR_ENOMEM;
		st->levels = pl->levels + pl->n * pl->ncols;
		st->weight = 1;
		pl->n++;
		for (size_t i = 0; pl->weights && i < pl->weights->n; i++)
			if (!strncmp(pl->weights->v[i], s->label, len) && pl->weights->v[i][len] == '=')
				w = pl->weights->v[i] + len + 1;
		if (w && !xparse_number(&st->weight, w))
			return lsr_error_set(LSR_EUSAGE, "the weight of study '%s' must be a number, not '%s'",
					     s->label, w);
	}
	col = !strcmp(domain, OVERALL) ? pl->ncols - 1 : (size_t)domain_index(pl->proto, domain);
	pl->levels[(pl->n - 1) * pl->ncols + col] = r->final;
	return 0;
}

int extract_rob_plot_data(struct extract_robplot *out, struct lsr_db *db,
			  const struct protocol *p, const struct strv *weights)
{
	struct xstudies studies;
	struct rplot pl;
	size_t nd;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&pl, 0, sizeof(pl));
	out->domains = domains(p, &nd);
	out->ndomains = nd;
	out->rob2 = is_rob2(p);
	out->has_overall = out->rob2;
	if ((rc = xstudies_load(&studies, db)) < 0)
		return rc;
	pl.p = out;
	pl.proto = p;
	pl.weights = weights;
	pl.ncols = nd + (out->has_overall != 0);
	/* one block: the studies, then their levels */
	pl.studies = calloc(1, (studies.n + 1) * sizeof(*pl.studies) +
			       (studies.n * pl.ncols + 1) * sizeof(*pl.levels));
	if (pl.studies)
		pl.levels = (enum rob_level *)(pl.studies + studies.n + 1);
	xstudies_release(&studies);
	if (!pl.studies)
		return lsr_error_oom();
	out->studies = pl.studies;
	rc = walk_domains(db, p, plot_domain, &pl);
	out->nstudies = pl.n;
	if (rc < 0) {
		extract_rob_plot_free(out);
		return rc;
	}
	return 0;
}

void extract_rob_plot_free(struct extract_robplot *p)
{
	if (!p->studies)
		return;
	for (size_t i = 0; i < p->nstudies; i++)
		free((char *)p->studies[i].label);
	free((struct extract_robplot_study *)p->studies); /* and the levels after them */
	p->studies = NULL;
	p->nstudies = 0;
}
