/*
 * sheet.c - extraction sheets: writing them for extractors, and importing
 * what they filled in.
 *
 * Two kinds, told apart by their header: the characteristics sheet (one
 * row per study; a column per characteristic the protocol declares, and a
 * source column) and the outcome sheet (one row per study x outcome x time
 * point x arm, columns for what trials report instead of a mean and SD,
 * and a source column).  An import is checked whole before anything is
 * stored: the first problem rejects the file with "FILE:ROW: column 'C':
 * what was expected, got '...'".  Values are then appended, one row per
 * cell (empty cells too: "not reported" is a value another extractor may
 * dispute), and the derived arm data is rebuilt, in one transaction.
 */
#include "extract_int.h"
#include "../util/checkstats.h"
#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/csvtab.h"
#include "../util/err.h"

#include <assert.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* the leading columns of an outcome sheet; type and unit are a help to
 * the extractor and are ignored on import */
enum { OC_STUDY, OC_OUTCOME, OC_TIMEPOINT, OC_ARM, OC_TYPE, OC_UNIT, OC_KEYS };
static const char *const okeys[OC_KEYS] = { "study", "outcome", "timepoint", "arm", "type", "unit" };

static int write_outcome_rows(FILE *f, const struct protocol *p, const char *label)
{
	for (size_t o = 0; o < p->noutcomes; o++) {
		const struct protocol_outcome *oc = &p->outcomes[o];
		unsigned type = xoutcome_type(oc);
		size_t ntp = oc->timepoints.n ? oc->timepoints.n : 1;

		for (size_t t = 0; t < ntp; t++) {
			for (int a = 0; a < (type == XT_TTE ? 1 : 2); a++) {
				csvtab_put(f, label, ',');
				csvtab_put(f, oc->name, ',');
				csvtab_put(f, oc->timepoints.n ? oc->timepoints.v[t] : "", ',');
				csvtab_put(f, a ? EXTRACT_ARM_CONTROL : EXTRACT_ARM_INTERVENTION, ',');
				csvtab_put(f, oc->type, ',');
				csvtab_put(f, oc->unit, ',');
				for (int k = 0; k < XF_COUNT; k++)
					fputc(',', f);
				fputc('\n', f);
			}
		}
	}
	return 0;
}

int extract_sheet_write(FILE *f, struct lsr_db *db, const struct protocol *p,
			enum extract_sheet_kind kind, const char *study)
{
	struct xstudies studies;
	int rc;

	if ((rc = xstudies_load(&studies, db)) < 0)
		return rc;
	if (study && !xstudies_find(&studies, study)) {
		rc = lsr_error_set(LSR_ENOTFOUND, "no study '%s' (studies are linked with 'lsr study link')",
				   study);
		goto out;
	}
	if (kind == EXTRACT_SHEET_OUTCOMES) {
		for (int k = 0; k < OC_KEYS; k++)
			csvtab_put(f, okeys[k], ',');
		for (int k = 0; k < XF_COUNT; k++)
			csvtab_put(f, xfield_names[k], ',');
		csvtab_put(f, "source", '\n');
	} else {
		csvtab_put(f, "study", ',');
		for (size_t c = 0; c < p->ncharacteristics; c++)
			csvtab_put(f, p->characteristics[c].name, ',');
		csvtab_put(f, "source", '\n');
	}
	for (size_t i = 0; i < studies.n; i++) {
		const char *label = studies.v[i].label;

		if (study && strcmp(study, label))
			continue;
		if (kind == EXTRACT_SHEET_OUTCOMES) {
			write_outcome_rows(f, p, label);
		} else {
			csvtab_put(f, label, ',');
			for (size_t c = 0; c < p->ncharacteristics; c++)
				fputc(',', f);
			fputc('\n', f);
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

/* one checked row, ready to store */
struct row {
	size_t line;               /* sheet row */
	const struct xstudy *study;
	const struct protocol_outcome *outcome; /* outcome sheets */
	const char *timepoint, *arm;
	const char *vals[XF_COUNT];             /* outcome values (borrowed) */
	char **chars;                           /* characteristic values (owned) */
	const char *source;
};

struct sheet {
	const char *path;
	const struct protocol *p;
	enum extract_sheet_kind kind;
	struct csvtab tab;
	int col_key[OC_KEYS];       /* column of each key, -1 if absent */
	int col_field[XF_COUNT];    /* column of each outcome field, -1 */
	int *col_char;              /* column of each characteristic, -1 */
	int col_source;
	struct xstudies studies;
	struct row *rows;
	size_t nrows;
};

/* "FILE:ROW: " before the message a check left */
static int at(const struct sheet *s, size_t line)
{
	return lsr_error_wrap("%s:%zu", s->path, line);
}

static int header(struct sheet *s)
{
	const struct strv *h = &s->tab.rows[0];
	struct buf known = BUF_INIT;
	int rc = 0;

	for (int k = 0; k < OC_KEYS; k++)
		s->col_key[k] = -1;
	for (int k = 0; k < XF_COUNT; k++)
		s->col_field[k] = -1;
	s->col_source = -1;
	s->col_char = malloc((s->p->ncharacteristics + 1) * sizeof(int));
	if (!s->col_char)
		return lsr_error_oom();
	for (size_t c = 0; c < s->p->ncharacteristics; c++)
		s->col_char[c] = -1;
	if (!h->n || strcmp(h->v[0], "study"))
		return lsr_error_set(LSR_EPARSE,
				     "%s:1: not an extraction sheet: the first column must be 'study' (write one with 'lsr extract sheet')",
				     s->path);
	s->kind = strv_contains(h, "outcome") ? EXTRACT_SHEET_OUTCOMES : EXTRACT_SHEET_CHARACTERISTICS;
	for (size_t j = 0; j < h->n; j++) {
		const char *name = h->v[j];
		int *slot = NULL;

		if (!strcmp(name, "source")) {
			slot = &s->col_source;
		} else if (s->kind == EXTRACT_SHEET_OUTCOMES) {
			for (int k = 0; k < OC_KEYS; k++)
				if (!strcmp(name, okeys[k]))
					slot = &s->col_key[k];
			if (!slot && xfield_find(name) >= 0)
				slot = &s->col_field[xfield_find(name)];
		} else if (!strcmp(name, "study")) {
			slot = &s->col_key[OC_STUDY];
		} else {
			for (size_t c = 0; c < s->p->ncharacteristics; c++)
				if (!strcmp(name, s->p->characteristics[c].name))
					slot = &s->col_char[c];
		}
		if (!slot) {
			if (s->kind == EXTRACT_SHEET_OUTCOMES) {
				for (int k = 0; k < OC_KEYS; k++)
					buf_printf(&known, "%s, ", okeys[k]);
				for (int k = 0; k < XF_COUNT; k++)
					buf_printf(&known, "%s, ", xfield_names[k]);
			} else {
				buf_adds(&known, "study, ");
				for (size_t c = 0; c < s->p->ncharacteristics; c++)
					buf_printf(&known, "%s, ", s->p->characteristics[c].name);
			}
			buf_adds(&known, "source");
			rc = lsr_error_set(LSR_EPARSE, "%s:1: unknown column '%s' (this sheet takes: %s)",
					   s->path, name, known.s);
			break;
		}
		if (*slot >= 0) {
			rc = lsr_error_set(LSR_EPARSE, "%s:1: column '%s' appears twice", s->path, name);
			break;
		}
		*slot = (int)j;
	}
	buf_release(&known);
	if (rc == 0 && s->kind == EXTRACT_SHEET_OUTCOMES)
		for (int k = OC_OUTCOME; k <= OC_ARM && rc == 0; k++)
			if (s->col_key[k] < 0)
				rc = lsr_error_set(LSR_EPARSE, "%s:1: an outcome sheet needs a column '%s'",
						   s->path, okeys[k]);
	return rc;
}

static const char *field_at(const struct strv *r, int col)
{
	return col >= 0 ? r->v[col] : NULL;
}

static int check_outcome_row(struct sheet *s, struct row *row, const struct strv *r)
{
	const struct protocol *p = s->p;
	const char *oname = field_at(r, s->col_key[OC_OUTCOME]);
	const struct protocol_outcome *o = protocol_outcome_find(p, oname);
	unsigned type;
	struct buf opts = BUF_INIT;
	int rc;

	if (!o) {
		for (size_t i = 0; i < p->noutcomes; i++)
			buf_printf(&opts, "%s%s", i ? ", " : "", p->outcomes[i].name);
		rc = lsr_error_set(LSR_EPARSE, "column 'outcome': unknown outcome '%s' (protocol.yaml declares: %s)",
				   oname, p->noutcomes ? opts.s : "none");
		buf_release(&opts);
		return rc;
	}
	row->outcome = o;
	row->timepoint = field_at(r, s->col_key[OC_TIMEPOINT]);
	if (o->timepoints.n ? !strv_contains(&o->timepoints, row->timepoint) : !*row->timepoint) {
		xjoin(&opts, &o->timepoints);
		rc = lsr_error_set(LSR_EPARSE,
				   "column 'timepoint': outcome '%s' has no time point '%s' (protocol.yaml declares: %s)",
				   o->name, row->timepoint, o->timepoints.n ? opts.s : "none");
		buf_release(&opts);
		return rc;
	}
	row->arm = field_at(r, s->col_key[OC_ARM]);
	type = xoutcome_type(o);
	if (!extract_arm_valid(row->arm))
		return lsr_error_set(LSR_EPARSE,
				     "column 'arm': expected intervention, control, intervention-NAME or control-NAME, got '%s'",
				     row->arm);
	if (type == XT_TTE && strncmp(row->arm, EXTRACT_ARM_INTERVENTION, strlen(EXTRACT_ARM_INTERVENTION)))
		return lsr_error_set(LSR_EPARSE,
				     "column 'arm': a time-to-event row compares an intervention arm with control: expected intervention or intervention-NAME, got '%s'",
				     row->arm);
	for (int f = 0; f < XF_COUNT; f++) {
		const char *v = field_at(r, s->col_field[f]);

		if (v && *v && !(xfield_types[f] & type))
			return lsr_error_set(LSR_EPARSE,
					     "column '%s': not used by %s outcome '%s'; leave it empty",
					     xfield_names[f], o->type, o->name);
		row->vals[f] = v;
	}
	if (!xarm_empty(row->vals)) {
		struct xarm arm;

		if ((rc = xarm_compute(&arm, type, row->vals)) < 0)
			return rc;
	}
	return 0;
}

static int check_rows(struct sheet *s)
{
	size_t ncols = s->tab.rows[0].n;

	s->rows = calloc(s->tab.nrows, sizeof(*s->rows));
	if (!s->rows)
		return lsr_error_oom();
	for (size_t i = 1; i < s->tab.nrows; i++) {
		const struct strv *r = &s->tab.rows[i];
		struct row *row = &s->rows[s->nrows];
		const char *label;

		row->line = i + 1;
		if (r->n != ncols)
			return lsr_error_set(LSR_EPARSE, "%s:%zu: expected %zu fields as in the header, found %zu",
					     s->path, row->line, ncols, r->n);
		label = r->v[0];
		row->study = xstudies_find(&s->studies, label);
		if (!row->study)
			return lsr_error_set(LSR_EPARSE,
					     "%s:%zu: column 'study': unknown study '%s' (studies are linked with 'lsr study link')",
					     s->path, row->line, label);
		row->source = field_at(r, s->col_source);
		s->nrows++;
		if (s->kind == EXTRACT_SHEET_OUTCOMES) {
			if (check_outcome_row(s, row, r) < 0)
				return at(s, row->line);
			for (size_t k = 0; k + 1 < s->nrows; k++) {
				const struct row *o = &s->rows[k];

				if (o->study == row->study && o->outcome == row->outcome &&
				    !strcmp(o->timepoint, row->timepoint) && !strcmp(o->arm, row->arm))
					return lsr_error_set(LSR_EPARSE,
							     "%s:%zu: study '%s', outcome '%s' at '%s', arm '%s' is already on row %zu",
							     s->path, row->line, label, row->outcome->name,
							     row->timepoint, row->arm, o->line);
			}
			continue;
		}
		for (size_t k = 0; k + 1 < s->nrows; k++)
			if (s->rows[k].study == row->study)
				return lsr_error_set(LSR_EPARSE, "%s:%zu: study '%s' is already on row %zu",
						     s->path, row->line, label, s->rows[k].line);
		row->chars = calloc(s->p->ncharacteristics + 1, sizeof(char *));
		if (!row->chars)
			return lsr_error_oom();
		for (size_t c = 0; c < s->p->ncharacteristics; c++) {
			if (s->col_char[c] < 0)
				continue;
			if (xcheck_characteristic(&row->chars[c], &s->p->characteristics[c],
						  r->v[s->col_char[c]]) < 0)
				return at(s, row->line);
		}
	}
	return 0;
}

static int store_value(struct lsr_db *db, int64_t import_id, const struct row *row,
		       const char *outcome, const char *field, const char *value,
		       const char *extractor, const char *now)
{
	static const char sql[] =
		"INSERT INTO extraction_values(import_id, study_id, outcome, timepoint, arm, field,"
		" value, source, extractor, at, row) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, import_id);
	sqlite3_bind_int64(st, 2, row->study->id);
	db_bind_text(st, 3, outcome);
	db_bind_text(st, 4, outcome ? row->timepoint : NULL);
	db_bind_text(st, 5, outcome ? row->arm : NULL);
	db_bind_text(st, 6, field);
	db_bind_text(st, 7, value && *value ? value : NULL);
	db_bind_text(st, 8, row->source && *row->source ? row->source : NULL);
	db_bind_text(st, 9, extractor);
	db_bind_text(st, 10, now);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)row->line);
	return db_step_done(db, st);
}

static int store(struct extract_import_result *res, struct lsr_db *db, struct sheet *s,
		 const char *extractor)
{
	char now[CLOCK_ISO_LEN];
	int rc;

	clock_now_iso(now);
	if ((rc = ximport_log(&res->import_id, db,
			      s->kind == EXTRACT_SHEET_OUTCOMES ? "outcomes" : "characteristics",
			      s->path, extractor, s->nrows)) < 0)
		return rc;
	for (size_t i = 0; i < s->nrows; i++) {
		const struct row *row = &s->rows[i];

		if (s->kind == EXTRACT_SHEET_OUTCOMES) {
			unsigned type;

			assert(row->outcome); /* check_rows set it on every row it kept */
			type = xoutcome_type(row->outcome);

			for (int f = 0; f < XF_COUNT; f++) {
				if (s->col_field[f] < 0 || !(xfield_types[f] & type))
					continue;
				if ((rc = store_value(db, res->import_id, row, row->outcome->name,
						      xfield_names[f], row->vals[f], extractor, now)) < 0)
					return rc;
				res->values++;
			}
			continue;
		}
		assert(row->chars); /* likewise */
		for (size_t c = 0; c < s->p->ncharacteristics; c++) {
			if (s->col_char[c] < 0)
				continue;
			if ((rc = store_value(db, res->import_id, row, NULL, s->p->characteristics[c].name,
					      row->chars[c], extractor, now)) < 0)
				return rc;
			res->values++;
		}
	}
	return 0;
}

static size_t count_studies(const struct sheet *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nrows; i++) {
		size_t k;

		for (k = 0; k < i && s->rows[k].study != s->rows[i].study; k++)
			;
		n += k == i;
	}
	return n;
}

/* the rows of an outcome sheet whose p does not fit their hazard ratio and
 * interval (check_stats_row, as lsr check-stats and the report) */
static int check_p(struct extract_import_result *out, const struct sheet *s)
{
	int rc = 0;

	for (size_t i = 0; i < s->nrows && rc == 0; i++) {
		const char *const *v = s->rows[i].vals;
		struct check_stats_in in = { "HR", v[XF_HR], v[XF_CI_LOW], v[XF_CI_HIGH], v[XF_P] };
		struct check_stats_out cs;
		struct buf m = BUF_INIT;

		if (!in.estimate || !*in.estimate || !in.ci_lb || !*in.ci_lb || !in.ci_ub ||
		    !*in.ci_ub || !in.p || !*in.p)
			continue;
		if (check_stats_row(&cs, &in) < 0) {
			rc = buf_printf(&m, "%s:%zu: HR %s [%s, %s], p %s: not checkable: %s", s->path,
					s->rows[i].line, in.estimate, in.ci_lb, in.ci_ub, in.p,
					lsr_error_last());
			lsr_error_clear();
		} else if (cs.flag != CHECK_STATS_OK) {
			rc = buf_printf(&m, "%s:%zu: HR %s [%s, %s], p %s: %s (the interval implies p = %.2g)",
					s->path, s->rows[i].line, in.estimate, in.ci_lb, in.ci_ub, in.p,
					check_stats_flag_text(cs.flag), cs.p_implied);
		}
		if (rc == 0 && m.len && strv_push(&out->p_flags, m.s) < 0)
			rc = lsr_error_oom();
		buf_release(&m);
	}
	return rc;
}

int extract_sheet_import(struct extract_import_result *out, struct lsr_db *db,
			 const struct protocol *p, const char *path, const char *extractor)
{
	struct sheet s;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	s.path = path;
	s.p = p;
	if (!extractor || !*extractor)
		return lsr_error_set(LSR_EUSAGE, "an import needs --extractor NAME");
	if ((rc = csvtab_read(&s.tab, path)) < 0)
		return rc;
	if (s.tab.nrows == 0) {
		rc = lsr_error_set(LSR_EPARSE, "%s:1: the sheet is empty", path);
		goto out;
	}
	if ((rc = header(&s)) < 0 || (rc = xstudies_load(&s.studies, db)) < 0 ||
	    (rc = check_rows(&s)) < 0)
		goto out;
	out->kind = s.kind;
	out->rows = s.nrows;
	out->studies = count_studies(&s);
	if ((rc = db_txn_begin(db)) < 0)
		goto out;
	if ((rc = store(out, db, &s, extractor)) < 0 || (rc = extract_derive(db, p)) < 0)
		goto fail;
	{
		char obj[48];

		snprintf(obj, sizeof(obj), "extraction import %lld", (long long)out->import_id);
		rc = db_audit_json(db, "extract-import", obj,
				   json_pack("{s:s, s:s, s:I, s:I}", "file", path, "extractor", extractor,
					     "rows", (json_int_t)out->rows, "values", (json_int_t)out->values));
		if (rc < 0)
			goto fail;
	}
	/* before the commit: a failure here (out of memory) stores nothing */
	if (s.kind == EXTRACT_SHEET_OUTCOMES && (rc = check_p(out, &s)) < 0)
		goto fail;
	rc = db_txn_commit(db);
	goto out;
fail:
	db_txn_rollback(db);
out:
	if (rc < 0)
		strv_release(&out->p_flags);
	if (s.rows)
		for (size_t i = 0; i < s.nrows; i++) {
			if (s.rows[i].chars)
				for (size_t c = 0; c < p->ncharacteristics; c++)
					free(s.rows[i].chars[c]);
			free(s.rows[i].chars);
		}
	free(s.rows);
	free(s.col_char);
	xstudies_release(&s.studies);
	csvtab_release(&s.tab);
	return rc;
}
