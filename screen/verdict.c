/*
 * verdict.c - reviewers' decisions from filled batch files, and the
 * arbiter's resolutions (see screen.h).
 *
 * An import is all or nothing: every row is checked against the protocol
 * and the assignments before anything is stored, and the first problem
 * refuses the file, naming the row (as a spreadsheet numbers it: the
 * header is row 1) and the column.  Decisions are appended, never
 * overwritten; a row repeating the reviewer's current decision is not
 * stored again, so importing a file twice changes nothing.
 */
#include "screening_int.h"
#include "../util/csvtab.h"
#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/array.h"
#include "../util/err.h"
#include "../util/sha256.h"
#include "../util/strv.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- reading CSV ---------------------------------------------------------- */

struct csv_rows {
	struct strv *rows;
	size_t n, alloc;
	struct strv cur;
	int oom;
};

static void on_field(void *s, size_t len, void *data)
{
	struct csv_rows *r = data;

	if (strv_pushn(&r->cur, s ? s : "", s ? len : 0) < 0)
		r->oom = 1;
	else /* the batch file's cells were guarded by csvtab_put */
		csvtab_unguard(r->cur.v[r->cur.n - 1]);
}

static void on_row(int c, void *data)
{
	struct csv_rows *r = data;

	(void)c;
	if (ARRAY_GROW(r->rows, r->n, r->alloc, 64) < 0) {
		r->oom = 1;
		return;
	}
	r->rows[r->n++] = r->cur;
	r->cur = (struct strv)STRV_INIT;
}

static void csv_rows_release(struct csv_rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		strv_release(&r->rows[i]);
	free(r->rows);
	strv_release(&r->cur);
}

static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t k;

	if (!f)
		return lsr_error_set(LSR_ENOTFOUND, "cannot open '%s': %s", path, strerror(errno));
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(out, chunk, k) < 0) {
			fclose(f);
			return LSR_ENOMEM;
		}
	if (ferror(f)) {
		fclose(f);
		return lsr_error_set(LSR_ERROR, "cannot read '%s': %s", path, strerror(errno));
	}
	fclose(f);
	return 0;
}

static int parse_csv(const char *path, const struct buf *text, struct csv_rows *out)
{
	struct csv_parser parser;
	const char *s = text->s;
	size_t n = text->len;

	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) /* a spreadsheet's byte-order mark */
		s += 3, n -= 3;
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return lsr_error_oom();
	if (csv_parse(&parser, s, n, on_field, on_row, out) != n ||
	    csv_fini(&parser, on_field, on_row, out) != 0) {
		int rc = lsr_error_set(LSR_EPARSE, "%s: row %zu: not valid CSV: %s", path,
				       out->n + 1, csv_strerror(csv_error(&parser)));

		csv_free(&parser);
		return rc;
	}
	csv_free(&parser);
	if (out->oom)
		return lsr_error_oom();
	return 0;
}

/* ---- import --------------------------------------------------------------- */

struct row {
	size_t line;          /* spreadsheet row number */
	int64_t citation;
	const char *stage;    /* static */
	const char *verdict;  /* static, NULL: blank row */
	const char *reason;   /* declared code (borrowed from the protocol) or NULL */
	const char *note;     /* borrowed from the CSV rows */
	int unchanged;
};

enum col { C_ID, C_VERDICT, C_REASON, C_NOTE, C_STAGE, C_REVIEWER, C_COUNT };
static const char *const col_names[C_COUNT] = { "id", "verdict", "reason", "note", "stage",
						"reviewer" };

static const char *trimmed(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int scr_assigned(struct lsr_db *db, int64_t citation, const char *stage,
		 const char *reviewer, int *out)
{
	static const char sql[] =
		"SELECT count(*) FROM screen_assignments WHERE citation_id = ?1 AND stage = ?2"
		" AND reviewer = ?3";
	sqlite3_stmt *st = db_prepare(db, sql);

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	db_bind_text(st, 2, stage);
	db_bind_text(st, 3, reviewer);
	if (sqlite3_step(st) != SQLITE_ROW) {
		int rc = db_error(db, sql);

		sqlite3_reset(st);
		return rc;
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* Is the row the reviewer's current decision already? */
static int same_as_current(struct lsr_db *db, const char *reviewer, const struct row *r,
			   int *out)
{
	static const char sql[] =
		"SELECT verdict, reason, note FROM screen_decisions WHERE citation_id = ?1"
		" AND stage = ?2 AND kind = 'review' AND reviewer = ?3 ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	*out = 0;
	sqlite3_bind_int64(st, 1, r->citation);
	db_bind_text(st, 2, r->stage);
	db_bind_text(st, 3, reviewer);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		const char *rs = (const char *)sqlite3_column_text(st, 1);
		const char *nt = (const char *)sqlite3_column_text(st, 2);
		const char *note = r->note && *r->note ? r->note : NULL;

		*out = !strcmp(v, r->verdict) && !strcmp(rs ? rs : "", r->reason ? r->reason : "") &&
		       !strcmp(nt ? nt : "", note ? note : "");
	} else if (step != SQLITE_DONE) {
		step = db_error(db, sql);
		sqlite3_reset(st);
		return step;
	}
	sqlite3_reset(st);
	return 0;
}

#define ROW_FAIL(...) do { \
	rc = lsr_error_set(LSR_EPARSE, __VA_ARGS__); \
	goto out; \
} while (0)

int screen_import(struct lsr_db *db, const struct protocol *p, const char *path,
		  const char *reviewer, struct screen_import_result *res)
{
	static const char sql_import[] =
		"INSERT INTO screen_imports(file_name, file_hash, reviewer, rows, decisions,"
		" unchanged, blank, at, actor) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	struct buf text = BUF_INIT;
	struct csv_rows csv = { 0 };
	struct row *rows = NULL;
	int cols[C_COUNT];
	char hash[SHA256_HEX_LEN + 1], now[CLOCK_ISO_LEN], msg[512];
	size_t nrows = 0;
	int rc, in_txn = 0;
	sqlite3_stmt *st;

	memset(res, 0, sizeof(*res));
	if (!reviewer || !*reviewer)
		return lsr_error_set(LSR_EUSAGE, "import needs --reviewer NAME");
	if ((rc = read_file(path, &text)) < 0 || (rc = sha256_file(path, hash)) < 0)
		goto out;
	if ((rc = parse_csv(path, &text, &csv)) < 0)
		goto out;
	/* checks and writes see one state of the review */
	if ((rc = db_txn_begin(db)) < 0)
		goto out;
	in_txn = 1;
	if (csv.n == 0)
		ROW_FAIL("%s: no header row (expected a batch file from 'lsr screen batch')", path);
	for (int c = 0; c < C_COUNT; c++) {
		cols[c] = -1;
		for (size_t k = 0; k < csv.rows[0].n; k++)
			if (!strcasecmp(trimmed(csv.rows[0].v[k]), col_names[c]))
				cols[c] = (int)k;
		if (cols[c] < 0 && c != C_NOTE && c != C_REASON)
			ROW_FAIL("%s: row 1: no column '%s' in the header row", path, col_names[c]);
	}
	rows = calloc(csv.n, sizeof(*rows));
	if (!rows) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 1; i < csv.n; i++) {
		struct strv *f = &csv.rows[i];
		struct row *r = &rows[nrows];
		const char *id, *stage, *who, *verdict, *reason;
		char *end;
		long long v;
		int64_t live;
		int is_assigned = 0;

#define COL(c) (cols[c] >= 0 && (size_t)cols[c] < f->n ? trimmed(f->v[cols[c]]) : "")
		id = COL(C_ID);
		stage = COL(C_STAGE);
		who = COL(C_REVIEWER);
		verdict = COL(C_VERDICT);
		reason = COL(C_REASON);
		r->note = COL(C_NOTE);
#undef COL
		r->line = i + 1;
		if (!*id && !*verdict && !*reason && !*r->note)
			continue; /* an empty line */
		errno = 0;
		v = strtoll(id, &end, 10);
		if (!*id || *end || errno || v <= 0)
			ROW_FAIL("%s: row %zu: column 'id': '%s' is not a citation id", path, r->line, id);
		rc = screen_citation_live(db, v, &live);
		if (rc == LSR_ENOTFOUND)
			ROW_FAIL("%s: row %zu: column 'id': no citation %lld", path, r->line, v);
		if (rc < 0)
			goto out;
		r->citation = live;
		r->stage = scr_stage(stage);
		if (!r->stage)
			ROW_FAIL("%s: row %zu: column 'stage': expected %s or %s, not '%s'", path,
				 r->line, SCREEN_STAGE_TA, SCREEN_STAGE_FT, stage);
		if (strcmp(who, reviewer))
			ROW_FAIL("%s: row %zu: column 'reviewer': the row is for '%s', not '%s'", path,
				 r->line, who, reviewer);
		if ((rc = scr_assigned(db, live, r->stage, reviewer, &is_assigned)) < 0)
			goto out;
		if (!is_assigned)
			ROW_FAIL("%s: row %zu: column 'id': citation %lld is not assigned to '%s' at %s",
				 path, r->line, v, reviewer, r->stage);
		for (size_t k = 0; k < nrows; k++)
			if (rows[k].citation == live && rows[k].stage == r->stage)
				ROW_FAIL("%s: row %zu: column 'id': citation %lld is also on row %zu",
					 path, r->line, v, rows[k].line);
		if (!*verdict) {
			if (*reason)
				ROW_FAIL("%s: row %zu: column 'reason': a reason without a verdict",
					 path, r->line);
			r->verdict = NULL;
			nrows++;
			continue;
		}
		r->verdict = scr_verdict(verdict);
		if (!r->verdict)
			ROW_FAIL("%s: row %zu: column 'verdict': expected include, exclude or maybe, not '%s'",
				 path, r->line, verdict);
		if (!strcmp(r->stage, SCREEN_STAGE_FT) && !strcmp(r->verdict, "maybe"))
			ROW_FAIL("%s: row %zu: column 'verdict': maybe is not a full-text verdict (include or exclude)",
				 path, r->line);
		if (scr_reason_check(p, r->stage, r->verdict, reason, &r->reason, msg,
				     sizeof(msg)) < 0)
			ROW_FAIL("%s: row %zu: column 'reason': %s", path, r->line, msg);
		nrows++;
	}
	/* all rows are fine: store */
	for (size_t i = 0; i < nrows; i++) {
		struct row *r = &rows[i];

		if (!r->verdict) {
			res->blank++;
			continue;
		}
		if ((rc = same_as_current(db, reviewer, r, &r->unchanged)) < 0)
			goto out;
		if (r->unchanged)
			res->unchanged++;
		else
			res->decisions++;
	}
	res->rows = nrows;
	if (!(st = db_prepare(db, sql_import))) {
		rc = lsr_error_last_code();
		goto out;
	}
	clock_now_iso(now);
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, hash);
	db_bind_text(st, 3, reviewer);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)res->rows);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)res->decisions);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)res->unchanged);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)res->blank);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, db_actor());
	if ((rc = db_step_done(db, st)) < 0)
		goto out;
	res->import_id = db_last_id(db);
	for (size_t i = 0; i < nrows; i++) {
		struct row *r = &rows[i];

		if (!r->verdict || r->unchanged)
			continue;
		rc = scr_decision_add(db, r->citation, r->stage, "review", reviewer, r->verdict,
				      r->reason, r->note, res->import_id, 0, NULL);
		if (rc < 0)
			goto out;
	}
	rc = scr_audit(db, "screen-import", "import", res->import_id,
		       json_pack("{s:s,s:s,s:I,s:I,s:I}", "file", path, "reviewer", reviewer,
				 "decisions", (json_int_t)res->decisions, "unchanged",
				 (json_int_t)res->unchanged, "blank", (json_int_t)res->blank));
	if (rc < 0)
		goto out;
	in_txn = 0;
	rc = db_txn_commit(db);
out:
	if (in_txn)
		db_txn_rollback(db);
	if (rc < 0)
		memset(res, 0, sizeof(*res));
	free(rows);
	csv_rows_release(&csv);
	buf_release(&text);
	return rc;
}

/* ---- resolution ----------------------------------------------------------- */

int screen_resolve(struct lsr_db *db, const struct protocol *p, int64_t citation,
		   const char *stage_in, const char *verdict_in, const char *reason_in,
		   const char *note, const char *by, const char **out_stage)
{
	char ta[32], ft[32], msg[512];
	const char *stage, *verdict, *reason;
	int64_t live, id;
	int rc;

	if (!by || !*by)
		return lsr_error_set(LSR_EUSAGE, "resolve needs --by NAME (a third reviewer, or consensus)");
	verdict = scr_verdict(verdict_in);
	if (!verdict)
		return lsr_error_set(LSR_EUSAGE, "--verdict: expected include, exclude or maybe, not '%s'",
				     verdict_in ? verdict_in : "");
	if (stage_in && !scr_stage(stage_in))
		return lsr_error_set(LSR_EUSAGE, "--stage: expected %s or %s, not '%s'",
				     SCREEN_STAGE_TA, SCREEN_STAGE_FT, stage_in);
	if ((rc = screen_citation_live(db, citation, &live)) < 0)
		return rc;
	if ((rc = scr_status(db, live, SCREEN_STAGE_TA, ta, sizeof(ta))) < 0 ||
	    (rc = scr_status(db, live, SCREEN_STAGE_FT, ft, sizeof(ft))) < 0)
		return rc;
	if (!ta[0])
		return lsr_error_set(LSR_ERROR, "citation %lld is not counted (its records were withdrawn or removed)",
				     (long long)citation);
	if (stage_in)
		stage = scr_stage(stage_in);
	else
		stage = ft[0] && strcmp(ft, "awaiting-retrieval") && strcmp(ft, "not-retrieved")
			? SCREEN_STAGE_FT : SCREEN_STAGE_TA;
	if (!strcmp(stage, SCREEN_STAGE_FT)) {
		if (!ft[0])
			return lsr_error_set(LSR_ERROR, "citation %lld did not pass title-abstract screening (%s): no full-text decision",
					     (long long)citation, ta);
		if (!strcmp(ft, "awaiting-retrieval") || !strcmp(ft, "not-retrieved"))
			return lsr_error_set(LSR_ERROR, "citation %lld: its full text was not retrieved (%s); record it with 'lsr screen fulltext'",
					     (long long)citation, ft);
		if (!strcmp(verdict, "maybe"))
			return lsr_error_set(LSR_EUSAGE, "--verdict: maybe is not a full-text verdict (include or exclude)");
	}
	if (scr_reason_check(p, stage, verdict, reason_in, &reason, msg, sizeof(msg)) < 0)
		return lsr_error_set(LSR_EUSAGE, "--reason: %s", msg);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	rc = scr_decision_add(db, live, stage, "resolution", by, verdict, reason, note, 0, 0, &id);
	if (rc == 0)
		rc = scr_audit(db, "screen-resolve", "decision", id,
			       json_pack("{s:I,s:s,s:s,s:s?,s:s}", "citation", (json_int_t)live,
					 "stage", stage, "verdict", verdict, "reason", reason, "by", by));
	if (rc < 0) {
		db_txn_rollback(db);
		return rc;
	}
	if ((rc = db_txn_commit(db)) < 0)
		return rc;
	if (out_stage)
		*out_stage = stage;
	return 0;
}
