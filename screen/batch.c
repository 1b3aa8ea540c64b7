/*
 * batch.c - handing citations out to reviewers in batches, and the batch
 * file they fill in (see screen.h).
 *
 * The batch file is CSV with a header row, one row per citation:
 *   id, title, authors, year, journal, publication_types, abstract,
 *   keywords, suggestion, verdict, reason, note, stage, reviewer, batch,
 *   fulltext
 * (authors and publication_types "; "-separated: the citation's merged
 * metadata, as lsr serve shows it; files written before these four
 * columns existed still import, since lsr screen import finds columns by
 * their header names).  verdict, reason and note are left empty for the
 * reviewer; suggestion
 * lists the rule hits ("rule (reason): 'text' in field"); stage, reviewer
 * and batch say whose decisions the file carries (lsr screen import checks
 * them); fulltext is the retrieved file at the full-text stage.  Nothing
 * of another reviewer's decisions is shown: screening is blind.
 */
#include "screening_int.h"
#include "rank.h"
#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/csvtab.h"
#include "../util/array.h"
#include "../util/err.h"

#include <assert.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct pick {
	int64_t id;
	int64_t assigned; /* reviewers already assigned */
	uint64_t key;     /* the seed's order */
};

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static int cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->assigned != y->assigned)
		return x->assigned > y->assigned ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Citations still needing reviewers at stage that reviewer may take. */
static int eligible(struct lsr_db *db, const char *stage, const char *reviewer,
		    int required, uint64_t seed, struct pick **out, size_t *out_n)
{
	static const char sql_ta[] =
		"SELECT s.citation_id, (SELECT count(*) FROM screen_assignments a"
		"   WHERE a.citation_id = s.citation_id AND a.stage = ?1)"
		" FROM screen_ta_status s WHERE s.status = 'pending'"
		" AND NOT EXISTS (SELECT 1 FROM screen_assignments a WHERE a.citation_id = s.citation_id"
		"   AND a.stage = ?1 AND a.reviewer = ?2)";
	static const char sql_ft[] =
		"SELECT s.citation_id, (SELECT count(*) FROM screen_assignments a"
		"   WHERE a.citation_id = s.citation_id AND a.stage = ?1)"
		" FROM screen_ft_status s WHERE s.status = 'pending'"
		" AND NOT EXISTS (SELECT 1 FROM screen_assignments a WHERE a.citation_id = s.citation_id"
		"   AND a.stage = ?1 AND a.reviewer = ?2)";
	const char *sql = strcmp(stage, SCREEN_STAGE_TA) ? sql_ft : sql_ta;
	sqlite3_stmt *st = db_prepare(db, sql);
	struct pick *v = NULL;
	size_t n = 0, alloc = 0;
	int step;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, stage);
	db_bind_text(st, 2, reviewer);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), na = sqlite3_column_int64(st, 1);

		if (na >= required)
			continue;
		if (ARRAY_GROW(v, n, alloc, 256) < 0) {
			sqlite3_reset(st);
			free(v);
			return LSR_ENOMEM;
		}
		v[n].id = id;
		v[n].assigned = na;
		v[n].key = scr_order_key(seed, id);
		n++;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		free(v);
		return db_error(db, sql);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_pick);
	*out = v;
	*out_n = n;
	return 0;
}

/* A priority order or a stopping sample (rank.h) replaces the seed's key
 * by the citation's position; citations it does not hold are not handed
 * out, and a sample ignores earlier assignments (it must be uniform). */
static void rank_picks(const struct screen_ranking *r, struct pick *v, size_t *n)
{
	size_t o = 0;

	for (size_t i = 0; i < *n; i++) {
		if (screen_ranking_key(r, v[i].id, &v[i].key) < 0)
			continue;
		if (r->kind == SCREEN_RANKING_SAMPLE)
			v[i].assigned = 0;
		v[o++] = v[i];
	}
	*n = o;
	if (o > 1)
		qsort(v, o, sizeof(*v), cmp_pick);
}

/* "a; b; c" from the keywords of a citation's counted members. */
static int keywords_of(struct lsr_db *db, int64_t citation, struct buf *out)
{
	static const char sql[] =
		"SELECT DISTINCT j.value FROM citation_members m"
		" JOIN dedup_records r ON r.id = m.record_id, json_each(r.keywords) j"
		" WHERE m.citation_id = ?1 ORDER BY m.record_id, j.key";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	buf_reset(out);
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->len)
			buf_adds(out, "; ");
		buf_adds(out, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

/* The rule suggestions of the current rule set for a citation. */
static int suggestions_of(struct lsr_db *db, int64_t citation, struct buf *out)
{
	static const char sql[] =
		"SELECT rule, reason, mode, field, matched FROM screen_hits_current"
		" WHERE citation_id = ?1 ORDER BY rule_index";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	buf_reset(out);
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *matched = (const char *)sqlite3_column_text(st, 4);

		if (out->len)
			buf_adds(out, "; ");
		buf_printf(out, "%s (%s%s)", (const char *)sqlite3_column_text(st, 0),
			   (const char *)sqlite3_column_text(st, 1),
			   strcmp((const char *)sqlite3_column_text(st, 2), "exclude") ? ""
											  : ", excludes");
		if (matched)
			buf_printf(out, ": '%s' in %s", matched,
				   (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

/* One row of a batch file, read before the per-row queries run (a
 * statement must not stay open while others step). */
enum { BC_STAGE, BC_REVIEWER, BC_TITLE, BC_ABSTRACT, BC_FULLTEXT, BC_AUTHORS, BC_YEAR,
       BC_JOURNAL, BC_PUBTYPES, BC_COUNT };

struct brow {
	int64_t id;
	char *col[BC_COUNT]; /* the query's columns after the id, in BC_ order */
};

static void brows_free(struct brow *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < BC_COUNT; k++)
			free(v[i].col[k]);
	free(v);
}

int screen_batch_write(struct lsr_db *db, int64_t batch, FILE *out)
{
	static const char sql[] =
		"SELECT a.citation_id, a.stage, a.reviewer, m.title, m.abstract,"
		" (SELECT file FROM screen_retrieval_current r WHERE r.citation_id = a.citation_id),"
		" (SELECT group_concat(j.value, '; ') FROM json_each(m.authors) j),"
		" m.year, m.journal,"
		" (SELECT group_concat(j.value, '; ') FROM records x, json_each(x.publication_types) j"
		"   WHERE x.id = m.representative_id)"
		" FROM screen_assignments a LEFT JOIN citation_metadata m ON m.id = a.citation_id"
		" WHERE a.batch_id = ?1 ORDER BY a.position";
	struct buf kw = BUF_INIT, sug = BUF_INIT;
	struct brow *rows = NULL;
	size_t n = 0, alloc = 0;
	sqlite3_stmt *st;
	int step, rc = 0;

	st = db_prepare(db, sql);
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, batch);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct brow *r;

		if ((rc = ARRAY_GROW(rows, n, alloc, 64)) < 0)
			break;
		r = &rows[n++];
		r->id = sqlite3_column_int64(st, 0);
		for (int k = 0; k < BC_COUNT; k++) {
			const char *t = (const char *)sqlite3_column_text(st, k + 1);

			r->col[k] = xstrdup(t ? t : "");
			if (!r->col[k])
				rc = LSR_ENOMEM;
		}
		if (rc < 0)
			break;
	}
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = db_error(db, sql);
	if (rc == 0)
		fputs("id,title,authors,year,journal,publication_types,abstract,keywords,suggestion,"
		      "verdict,reason,note,stage,reviewer,batch,fulltext\n", out);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char num[32];

		if ((rc = keywords_of(db, rows[i].id, &kw)) < 0 ||
		    (rc = suggestions_of(db, rows[i].id, &sug)) < 0)
			break;
		snprintf(num, sizeof(num), "%lld", (long long)rows[i].id);
		csvtab_put(out, num, ',');
		csvtab_put(out, rows[i].col[BC_TITLE], ',');
		csvtab_put(out, rows[i].col[BC_AUTHORS], ',');
		csvtab_put(out, rows[i].col[BC_YEAR], ',');
		csvtab_put(out, rows[i].col[BC_JOURNAL], ',');
		csvtab_put(out, rows[i].col[BC_PUBTYPES], ',');
		csvtab_put(out, rows[i].col[BC_ABSTRACT], ',');
		csvtab_put(out, kw.s, ',');
		csvtab_put(out, sug.s, ',');
		fputs(",,,", out);
		csvtab_put(out, rows[i].col[BC_STAGE], ',');
		csvtab_put(out, rows[i].col[BC_REVIEWER], ',');
		snprintf(num, sizeof(num), "%lld", (long long)batch);
		csvtab_put(out, num, ',');
		csvtab_put(out, rows[i].col[BC_FULLTEXT], '\n');
	}
	if (rc == 0 && n == 0)
		rc = lsr_error_set(LSR_ENOTFOUND, "no batch %lld", (long long)batch);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = lsr_error_set(LSR_ERROR, "writing the batch file failed");
	brows_free(rows, n);
	buf_release(&kw);
	buf_release(&sug);
	return rc;
}

uint64_t scr_order_key(uint64_t seed, int64_t citation)
{
	return mix(seed ^ mix((uint64_t)citation));
}

int scr_batch_record(struct lsr_db *db, const struct protocol *p, const char *stage,
		     const char *reviewer, uint64_t seed, const char *file,
		     const int64_t *ids, size_t n, int64_t *out_batch)
{
	static const char sql_batch[] =
		"INSERT INTO screen_batches(stage, reviewer, size, seed, reviewers_required, file,"
		" created_at, actor) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	static const char sql_assign[] =
		"INSERT INTO screen_assignments(citation_id, stage, reviewer, batch_id, position,"
		" required, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	char now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	int64_t batch;
	int rc;

	assert(n > 0);
	clock_now_iso(now);
	if (!(st = db_prepare(db, sql_batch)))
		return lsr_error_last_code();
	db_bind_text(st, 1, stage);
	db_bind_text(st, 2, reviewer);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)n);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)seed);
	sqlite3_bind_int(st, 5, p->reviewers);
	db_bind_text(st, 6, file);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, db_actor());
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	batch = db_last_id(db);
	for (size_t i = 0; i < n; i++) {
		if (!(st = db_prepare(db, sql_assign)))
			return lsr_error_last_code();
		sqlite3_bind_int64(st, 1, ids[i]);
		db_bind_text(st, 2, stage);
		db_bind_text(st, 3, reviewer);
		sqlite3_bind_int64(st, 4, batch);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)i + 1);
		sqlite3_bind_int(st, 6, p->reviewers);
		db_bind_text(st, 7, now);
		if ((rc = db_step_done(db, st)) < 0)
			return rc;
	}
	rc = scr_audit(db, "screen-batch", "batch", batch,
		       json_pack("{s:s,s:s,s:I,s:I,s:I}", "stage", stage, "reviewer", reviewer,
				 "size", (json_int_t)n, "seed", (json_int_t)seed, "required",
				 (json_int_t)p->reviewers));
	if (rc < 0)
		return rc;
	*out_batch = batch;
	return 0;
}

int screen_batch_create(struct lsr_db *db, const struct protocol *p,
			const struct screen_batch_opts *opts, FILE *out,
			int64_t *out_batch, size_t *out_n)
{
	const char *stage = scr_stage(opts->stage);
	struct pick *picks = NULL;
	int64_t *ids = NULL;
	size_t n = 0, take;
	int64_t batch = 0;
	int rc;

	*out_batch = 0;
	*out_n = 0;
	if (!stage)
		return lsr_error_set(LSR_EUSAGE, "unknown stage '%s' (expected %s or %s)",
				     opts->stage ? opts->stage : "", SCREEN_STAGE_TA, SCREEN_STAGE_FT);
	if (!opts->reviewer || !*opts->reviewer)
		return lsr_error_set(LSR_EUSAGE, "a batch needs --reviewer NAME");
	if (opts->size == 0)
		return lsr_error_set(LSR_EUSAGE, "a batch needs --size N (at least 1)");
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	/* automatic exclusions first: they are never handed out */
	if (!strcmp(stage, SCREEN_STAGE_TA) &&
	    (rc = screen_rules_run(db, p, SCREEN_RULES_ONLY_NEW, 0, NULL)) < 0)
		goto fail;
	if ((rc = eligible(db, stage, opts->reviewer, p->reviewers, opts->seed, &picks, &n)) < 0)
		goto fail;
	if (opts->ranking)
		rank_picks(opts->ranking, picks, &n);
	take = n < opts->size ? n : opts->size;
	if (take) {
		if (!(ids = malloc(take * sizeof(*ids)))) {
			rc = LSR_ENOMEM;
			goto fail;
		}
		for (size_t i = 0; i < take; i++)
			ids[i] = picks[i].id;
		if ((rc = scr_batch_record(db, p, stage, opts->reviewer, opts->seed, opts->file,
					   ids, take, &batch)) < 0 ||
		    (rc = screen_batch_write(db, batch, out)) < 0)
			goto fail;
	}
	if ((rc = db_txn_commit(db)) < 0)
		goto out;
	*out_batch = batch;
	*out_n = take;
	goto out;
fail:
	db_txn_rollback(db);
out:
	free(ids);
	free(picks);
	return rc;
}
