/*
 * csv.c - the pool stage's CSV reader (libcsv): one study per row, in the
 * format of the reference cases the tests check against (the "Input"
 * section of docs/cmd/lsr-pool.md):
 *
 *   continuous  study, [subgroup,] mean1, sd1, n1, mean2, sd2, n2
 *   binary      study, [subgroup,] events1, n1, events2, n2
 *   generic     study, [subgroup,] yi, sei (or vi)
 *
 * metafor's escalc names (m1i, sd1i, n1i, m2i, sd2i, n2i; ai, ci; yi, vi)
 * are accepted for the same columns; header names are matched without
 * regard to case or surrounding spaces; other columns are ignored.  An
 * empty cell is a value not reported: the study is kept and shown as not
 * estimable.  Anything else that is not a number in range is an error
 * naming the file, the row (the header is row 1) and the column.
 */
#include "pool_int.h"
#include "../util/err.h"
#include "../util/text.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum col {
	COL_STUDY, COL_SUBGROUP,
	COL_MEAN1, COL_SD1, COL_N1, COL_MEAN2, COL_SD2, COL_N2,
	COL_EV1, COL_EV2, COL_YI, COL_SEI, COL_VI,
	NCOL
};

/* canonical name first, then accepted aliases */
static const char *const col_names[NCOL][4] = {
	[COL_STUDY] = { "study", "studlab", "slab", NULL },
	[COL_SUBGROUP] = { "subgroup", NULL },
	[COL_MEAN1] = { "mean1", "m1i", NULL },
	[COL_SD1] = { "sd1", "sd1i", NULL },
	[COL_N1] = { "n1", "n1i", NULL },
	[COL_MEAN2] = { "mean2", "m2i", NULL },
	[COL_SD2] = { "sd2", "sd2i", NULL },
	[COL_N2] = { "n2", "n2i", NULL },
	[COL_EV1] = { "events1", "ai", NULL },
	[COL_EV2] = { "events2", "ci", NULL },
	[COL_YI] = { "yi", NULL },
	[COL_SEI] = { "sei", NULL },
	[COL_VI] = { "vi", NULL },
};

struct reader {
	const char *path;
	enum pool_data_type type;
	struct pool_dataset *ds;
	size_t alloc;          /* studies allocated */
	int col_at[NCOL];      /* field index of each column, -1 when absent */
	struct strv fields;    /* the record being read */
	struct strv header;    /* the header's fields, as written */
	const char *order_col; /* the order column asked for, or NULL */
	int order_at;          /* its field index */
	const struct strv *xcols; /* moderator columns asked for, or NULL */
	int *x_at;             /* their field indices */
	struct strv xcells;    /* their cells, row by row (k x m), trimmed */
	unsigned long line;    /* physical line being fed */
	unsigned long start;   /* line the record being parsed started on */
	unsigned long row;     /* line the current record started on */
	int header_done;
	int rc;                /* first error */
};

static void on_field(void *s, size_t len, void *data)
{
	struct reader *rd = data;

	if (rd->rc)
		return;
	if (rd->fields.n == 0)
		rd->row = rd->start;
	if (strv_pushn(&rd->fields, s ? s : "", s ? len : 0) < 0)
		rd->rc = LSR_ENOMEM;
}

static const char *canon(enum col c)
{
	return col_names[c][0];
}

/* The field index of the header column named name (case-insensitive,
 * spaces around ignored), or -1. */
static int header_find(const struct reader *rd, const char *name)
{
	int at = -1;

	for (size_t f = 0; f < rd->header.n && at < 0; f++) {
		struct buf b = BUF_INIT;

		if (buf_adds(&b, rd->header.v[f]) < 0)
			return -1;
		buf_trim(&b);
		if (!strcasecmp(b.s, name))
			at = (int)f;
		buf_release(&b);
	}
	return at;
}

static int parse_header(struct reader *rd)
{
	static const enum col need[][7] = {
		[POOL_DATA_CONT] = { COL_MEAN1, COL_SD1, COL_N1, COL_MEAN2, COL_SD2, COL_N2, NCOL },
		[POOL_DATA_BIN] = { COL_EV1, COL_N1, COL_EV2, COL_N2, NCOL },
		[POOL_DATA_GENERIC] = { COL_YI, NCOL },
	};

	for (int c = 0; c < NCOL; c++)
		rd->col_at[c] = -1;
	for (size_t f = 0; f < rd->fields.n; f++)
		if (strv_push(&rd->header, rd->fields.v[f]) < 0)
			return LSR_ENOMEM;
	for (size_t f = 0; f < rd->fields.n; f++) {
		struct buf b = BUF_INIT;

		if (buf_adds(&b, rd->fields.v[f]) < 0)
			return LSR_ENOMEM;
		buf_trim(&b);
		for (int c = 0; c < NCOL; c++)
			for (int a = 0; col_names[c][a]; a++) {
				if (strcasecmp(b.s, col_names[c][a]))
					continue;
				if (rd->col_at[c] >= 0) {
					buf_release(&b);
					return lsr_error_set(LSR_EPARSE, "%s:1: column '%s' appears twice",
							     rd->path, canon((enum col)c));
				}
				rd->col_at[c] = (int)f;
			}
		buf_release(&b);
	}
	if (rd->col_at[COL_STUDY] < 0)
		return lsr_error_set(LSR_EPARSE, "%s:1: missing column 'study'", rd->path);
	if (rd->order_col && (rd->order_at = header_find(rd, rd->order_col)) < 0)
		return lsr_error_set(LSR_EPARSE, "%s:1: missing column '%s' (the order of the cumulative analysis)",
				     rd->path, rd->order_col);
	for (size_t j = 0; rd->xcols && j < rd->xcols->n; j++)
		if ((rd->x_at[j] = header_find(rd, rd->xcols->v[j])) < 0)
			return lsr_error_set(LSR_EPARSE, "%s:1: missing column '%s' (a moderator)", rd->path,
					     rd->xcols->v[j]);
	for (int j = 0; need[rd->type][j] != NCOL; j++)
		if (rd->col_at[need[rd->type][j]] < 0)
			return lsr_error_set(LSR_EPARSE, "%s:1: missing column '%s'", rd->path,
					     canon(need[rd->type][j]));
	if (rd->type == POOL_DATA_GENERIC && rd->col_at[COL_SEI] < 0 && rd->col_at[COL_VI] < 0)
		return lsr_error_set(LSR_EPARSE, "%s:1: missing column 'sei' (or 'vi')", rd->path);
	rd->ds->in.has_subgroups = rd->col_at[COL_SUBGROUP] >= 0;
	return 0;
}

enum range { ANY, POSITIVE, AT_LEAST_1, NONNEG, COUNT, COUNT_AT_LEAST_1 };

/* A plain decimal number: [+-]digits[.digits][(e|E)[+-]digits], with at
 * least one digit before the exponent.  strtod alone would also take
 * "0x10", "inf", "nan" and leading spaces. */
static int is_decimal(const char *s)
{
	int digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (!digits)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* The number in column c of the current record into *out (NaN when the
 * cell is empty or the column absent). */
static int get_num(struct reader *rd, enum col c, enum range range, double *out)
{
	struct buf b = BUF_INIT;
	char *end;
	int f = rd->col_at[c], rc = 0;

	*out = NAN;
	if (f < 0 || (size_t)f >= rd->fields.n)
		return 0;
	if (buf_adds(&b, rd->fields.v[f]) < 0)
		return LSR_ENOMEM;
	buf_trim(&b);
	if (b.len == 0)
		goto out;
	errno = 0;
	*out = strtod(b.s, &end);
	if (!is_decimal(b.s) || *end || errno == ERANGE || !isfinite(*out)) {
		rc = lsr_error_set(LSR_EPARSE, "%s:%lu: column '%s': expected a number, got '%s'",
				   rd->path, rd->row, canon(c), b.s);
		goto out;
	}
	switch (range) {
	case POSITIVE:
		if (!(*out > 0))
			rc = lsr_error_set(LSR_EPARSE, "%s:%lu: column '%s': expected a positive number, got '%s'",
					   rd->path, rd->row, canon(c), b.s);
		break;
	case AT_LEAST_1:
		if (!(*out >= 1))
			rc = lsr_error_set(LSR_EPARSE, "%s:%lu: column '%s': expected a number of at least 1, got '%s'",
					   rd->path, rd->row, canon(c), b.s);
		break;
	case NONNEG:
		if (!(*out >= 0))
			rc = lsr_error_set(LSR_EPARSE, "%s:%lu: column '%s': expected a number of at least 0, got '%s'",
					   rd->path, rd->row, canon(c), b.s);
		break;
	case COUNT:
	case COUNT_AT_LEAST_1:
		if (!(*out >= (range == COUNT ? 0 : 1)) || *out != floor(*out))
			rc = lsr_error_set(LSR_EPARSE, "%s:%lu: column '%s': expected a whole number of at least %d, got '%s'",
					   rd->path, rd->row, canon(c), range == COUNT ? 0 : 1, b.s);
		break;
	case ANY:
		break;
	}
out:
	buf_release(&b);
	return rc;
}

static int events_le_n(struct reader *rd, enum col ce, enum col cn, double e, double n)
{
	if (isnan(e) || isnan(n) || e <= n)
		return 0;
	return lsr_error_set(LSR_EPARSE, "%s:%lu: column '%s': %.15g events but %s is %.15g",
			     rd->path, rd->row, canon(ce), e, canon(cn), n);
}

/* A label cell: valid UTF-8, cleaned; NULL for an empty cell. */
static int get_label(struct reader *rd, enum col c, const char **out)
{
	struct buf b = BUF_INIT;
	int f = rd->col_at[c];

	*out = NULL;
	if (f < 0 || (size_t)f >= rd->fields.n)
		return 0;
	if (text_append_utf8(&b, rd->fields.v[f], strlen(rd->fields.v[f]), NULL) < 0 ||
	    text_clean(&b) < 0) {
		buf_release(&b);
		return lsr_error_last_code();
	}
	if (b.len == 0) {
		buf_release(&b);
		return 0;
	}
	if (strv_push_owned(&rd->ds->strings, buf_detach(&b)) < 0)
		return LSR_ENOMEM;
	*out = rd->ds->strings.v[rd->ds->strings.n - 1];
	return 0;
}

/* The cell of an extra column (order or moderator, field at): a number
 * (a year, a date as 20240131, a dose) that every row must give. */
static int get_extra(struct reader *rd, int at, const char *name, const char *what, double *out)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	if (buf_adds(&b, rd->fields.v[at]) < 0)
		return LSR_ENOMEM;
	buf_trim(&b);
	*out = strtod(b.s, NULL);
	if (!is_decimal(b.s) || !isfinite(*out))
		rc = lsr_error_set(LSR_EPARSE, "%s:%lu: column '%s': expected a number %s, got '%s'",
				   rd->path, rd->row, name, what, b.s);
	buf_release(&b);
	return rc;
}

static int parse_row(struct reader *rd)
{
	struct pool_dataset *ds = rd->ds;
	struct pool_study *s;
	int rc = 0;

	if (ds->in.k == rd->alloc) {
		size_t n = rd->alloc ? 2 * rd->alloc : 64;
		struct pool_study *p = realloc(ds->studies, n * sizeof(*p));

		if (!p)
			return lsr_error_oom();
		ds->studies = p;
		rd->alloc = n;
	}
	if (rd->fields.n < rd->header.n)
		return lsr_error_set(LSR_EPARSE, "%s:%lu: column '%s': missing (the row has %zu fields, the header %zu)",
				     rd->path, rd->row, rd->header.v[rd->fields.n], rd->fields.n,
				     rd->header.n);
	s = &ds->studies[ds->in.k];
	memset(s, 0, sizeof(*s));
	s->mean1 = s->sd1 = s->n1 = s->mean2 = s->sd2 = s->n2 = NAN;
	s->events1 = s->events2 = s->yi = s->vi = s->order = NAN;
	if ((rc = get_label(rd, COL_STUDY, &s->label)) < 0)
		return rc;
	if (!s->label)
		return lsr_error_set(LSR_EPARSE, "%s:%lu: column 'study': empty study label",
				     rd->path, rd->row);
	if ((rc = get_label(rd, COL_SUBGROUP, &s->subgroup)) < 0)
		return rc;
	if (rd->col_at[COL_SUBGROUP] >= 0 && !s->subgroup && !ds->missing_subgroup_row)
		ds->missing_subgroup_row = rd->row;
	switch (rd->type) {
	case POOL_DATA_CONT:
		if ((rc = get_num(rd, COL_MEAN1, ANY, &s->mean1)) < 0 ||
		    (rc = get_num(rd, COL_SD1, POSITIVE, &s->sd1)) < 0 ||
		    (rc = get_num(rd, COL_N1, AT_LEAST_1, &s->n1)) < 0 ||
		    (rc = get_num(rd, COL_MEAN2, ANY, &s->mean2)) < 0 ||
		    (rc = get_num(rd, COL_SD2, POSITIVE, &s->sd2)) < 0 ||
		    (rc = get_num(rd, COL_N2, AT_LEAST_1, &s->n2)) < 0)
			return rc;
		break;
	case POOL_DATA_BIN:
		if ((rc = get_num(rd, COL_EV1, COUNT, &s->events1)) < 0 ||
		    (rc = get_num(rd, COL_N1, COUNT_AT_LEAST_1, &s->n1)) < 0 ||
		    (rc = get_num(rd, COL_EV2, COUNT, &s->events2)) < 0 ||
		    (rc = get_num(rd, COL_N2, COUNT_AT_LEAST_1, &s->n2)) < 0 ||
		    (rc = events_le_n(rd, COL_EV1, COL_N1, s->events1, s->n1)) < 0 ||
		    (rc = events_le_n(rd, COL_EV2, COL_N2, s->events2, s->n2)) < 0)
			return rc;
		break;
	case POOL_DATA_GENERIC:
		if ((rc = get_num(rd, COL_YI, ANY, &s->yi)) < 0)
			return rc;
		if (rd->col_at[COL_SEI] >= 0) {
			double se;

			if ((rc = get_num(rd, COL_SEI, POSITIVE, &se)) < 0)
				return rc;
			s->vi = se * se;
		} else if ((rc = get_num(rd, COL_VI, POSITIVE, &s->vi)) < 0) {
			return rc;
		}
		break;
	}
	if (rd->order_at >= 0 &&
	    (rc = get_extra(rd, rd->order_at, rd->order_col, "to order by", &s->order)) < 0)
		return rc;
	for (size_t j = 0; rd->xcols && j < rd->xcols->n; j++) {
		struct buf b = BUF_INIT;

		if (buf_adds(&b, rd->fields.v[rd->x_at[j]]) < 0)
			return LSR_ENOMEM;
		buf_trim(&b);
		/* empty or NA: missing, the study is left out of the
		 * meta-regression (metafor's na.omit) */
		if (!strcmp(b.s ? b.s : "", "NA"))
			buf_reset(&b);
		if (strv_push_owned(&rd->xcells, buf_detach(&b)) < 0)
			return LSR_ENOMEM;
	}
	ds->in.k++;
	return 0;
}

static void on_record(int c, void *data)
{
	struct reader *rd = data;
	int rc;

	(void)c;
	if (rd->rc)
		return;
	if (!rd->header_done) {
		rd->header_done = 1;
		rc = parse_header(rd);
	} else if (rd->fields.n == 1 && rd->fields.v[0][0] == '\0') {
		rc = 0; /* a line holding only a comma-less empty field */
	} else {
		rc = parse_row(rd);
	}
	if (rc < 0)
		rd->rc = rc;
	strv_clear(&rd->fields);
}

void pool_dataset_free(struct pool_dataset *d)
{
	if (!d)
		return;
	free(d->studies);
	free(d->x);
	free(d->mod_names);
	strv_release(&d->strings);
	free(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pool_mods_expand(double **xout, const char ***names, size_t *nout, struct strv *strings,
		     const struct strv *mods, const struct strv *cells, size_t k, const int *kind)
{
	size_t m = mods->n, width = 0, at = 0;
	struct strv *levels = calloc(m ? m : 1, sizeof(*levels));
	int *numeric = calloc(m ? m : 1, sizeof(int)), rc = 0;
	double *x = NULL;
	const char **nm = NULL;

	if (!levels || !numeric) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t j = 0; j < m; j++) {
		numeric[j] = kind ? kind[j] : -1;
		for (size_t i = 0; i < k && numeric[j] < 0; i++)
			if (*cells->v[i * m + j] && !is_decimal(cells->v[i * m + j]))
				numeric[j] = 0;
		if (numeric[j]) {
			numeric[j] = 1;
			width++;
			continue;
		}
		for (size_t i = 0; i < k; i++)
			if (*cells->v[i * m + j] && !strv_contains(&levels[j], cells->v[i * m + j]) &&
			    (rc = strv_push(&levels[j], cells->v[i * m + j])) < 0)
				goto out;
		if (levels[j].n > 1)
			qsort(levels[j].v, levels[j].n, sizeof(char *), cmp_str);
		width += levels[j].n ? levels[j].n - 1 : 0;
	}
	x = calloc((k ? k : 1) * (width ? width : 1), sizeof(double));
	nm = calloc(width ? width : 1, sizeof(char *));
	if (!x || !nm) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t j = 0; j < m; j++) {
		size_t n = numeric[j] ? 1 : levels[j].n ? levels[j].n - 1 : 0;

		for (size_t l = 0; l < n; l++) {
			if (numeric[j])
				rc = strv_push(strings, mods->v[j]);
			else
				rc = strv_pushf(strings, "%s%s", mods->v[j], levels[j].v[l + 1]);
			if (rc < 0)
				goto out;
			nm[at + l] = strings->v[strings->n - 1];
			for (size_t i = 0; i < k; i++) {
				const char *c = cells->v[i * m + j];
				double *xi = &x[i * width + at + l];

				if (!*c)
					*xi = NAN;
				else if (!numeric[j])
					*xi = !strcmp(c, levels[j].v[l + 1]);
				else if (!is_decimal(c) || !isfinite(*xi = strtod(c, NULL)))
					rc = lsr_error_set(LSR_EPARSE, "moderator '%s': '%s' is not a number",
							   mods->v[j], c);
			}
			if (rc < 0)
				goto out;
		}
		at += n;
	}
	*xout = x;
	*names = nm;
	*nout = width;
	x = NULL;
	nm = NULL;
out:
	for (size_t j = 0; levels && j < m; j++)
		strv_release(&levels[j]);
	free(levels);
	free(numeric);
	free(x);
	free(nm);
	return rc;
}

int pool_csv_read(struct pool_dataset **out, const char *path, enum pool_data_type type)
{
	return pool_csv_read_by(out, path, type, NULL, NULL);
}

int pool_csv_read_by(struct pool_dataset **out, const char *path, enum pool_data_type type,
		     const char *order_col, const struct strv *mods)
{
	struct reader rd;
	struct csv_parser p;
	FILE *f;
	char *lp = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	*out = NULL;
	memset(&rd, 0, sizeof(rd));
	rd.path = path;
	rd.type = type;
	rd.order_col = order_col;
	rd.order_at = -1;
	rd.xcols = mods;
	rd.ds = calloc(1, sizeof(*rd.ds));
	if (!rd.ds || (mods && mods->n && !(rd.x_at = calloc(mods->n, sizeof(int))))) {
		free(rd.ds);
		return lsr_error_oom();
	}
	rd.ds->in.type = type;
	f = fopen(path, "rb");
	if (!f) {
		rc = lsr_error_set(errno == ENOENT ? LSR_ENOTFOUND : LSR_ERROR, "cannot open '%s': %s",
				   path, strerror(errno));
		pool_dataset_free(rd.ds);
		return rc;
	}
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		fclose(f);
		pool_dataset_free(rd.ds);
		return lsr_error_oom();
	}
	/* fed a line at a time, so that each record knows its line */
	while (!rd.rc && (n = getline(&lp, &cap, f)) > 0) {
		const char *s = lp;

		rd.line++;
		/* between records: the next one starts on this line (a quoted
		 * field may carry it over several) */
		if (p.pstate == 0)
			rd.start = rd.line;
		if (rd.line == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
			s += 3;
			n -= 3;
		}
		if (csv_parse(&p, s, (size_t)n, on_field, on_record, &rd) != (size_t)n && !rd.rc)
			rd.rc = lsr_error_set(LSR_EPARSE, "%s:%lu: %s", path, rd.line,
					      csv_strerror(csv_error(&p)));
	}
	if (!rd.rc && ferror(f))
		rd.rc = lsr_error_set(LSR_ERROR, "cannot read '%s': %s", path, strerror(errno));
	/* a quoted field still open at the end (libcsv's state 2, FIELD_BEGUN,
	 * with quoted set) would otherwise swallow the rest of the file */
	if (!rd.rc && p.pstate == 2 && p.quoted)
		rd.rc = lsr_error_set(LSR_EPARSE, "%s:%lu: unterminated quote: the quoted field opened in the row starting on this line is never closed",
				      path, rd.start);
	if (!rd.rc && csv_fini(&p, on_field, on_record, &rd) != 0)
		rd.rc = lsr_error_set(LSR_EPARSE, "%s:%lu: %s", path, rd.line,
				      csv_strerror(csv_error(&p)));
	if (!rd.rc && !rd.header_done)
		rd.rc = lsr_error_set(LSR_EPARSE, "%s: empty file (expected a header row)", path);
	if (!rd.rc && rd.ds->in.k == 0)
		rd.rc = lsr_error_set(LSR_EPARSE, "%s: no study rows after the header", path);
	rc = rd.rc;
	if (rc == LSR_ENOMEM)
		lsr_error_oom();
	csv_free(&p);
	fclose(f);
	free(lp);
	strv_release(&rd.fields);
	strv_release(&rd.header);
	free(rd.x_at);
	if (rc == 0 && mods && mods->n)
		rc = pool_mods_expand(&rd.ds->x, &rd.ds->mod_names, &rd.ds->in.nmods, &rd.ds->strings,
				      mods, &rd.xcells, rd.ds->in.k, NULL);
	strv_release(&rd.xcells);
	if (rc < 0) {
		pool_dataset_free(rd.ds);
		return rc;
	}
	rd.ds->in.studies = rd.ds->studies;
	if (mods && mods->n) {
		rd.ds->in.mod_names = (const char *const *)rd.ds->mod_names;
		rd.ds->in.x = rd.ds->x;
	}
	if (rd.ds->missing_subgroup_row)
		rd.ds->in.has_subgroups = 0;
	*out = rd.ds;
	return 0;
}
