/*
 * rank_db.c - prioritised screening on a review: the citations and labels
 * a ranking is trained on, the rankings recorded (db/migrations/
 * 0012_priority.sql), the order batches and the screening server hand
 * citations out in, --explain, and the stopping rule on the review's
 * decisions (see rank.h).
 *
 * What a ranking for reviewer R may learn from (no leak of a colleague's
 * verdict): a citation's resolved title-abstract status (included or
 * excluded by the reviewers together or by a resolution), else R's own
 * current decision (include and maybe count as include), else nothing.
 * Every live citation takes part in the features (its text only), so
 * another reviewer's unresolved decision changes neither the features,
 * nor the training labels, nor the presumed negatives (drawn from all
 * citations without a training label), nor the order.  The candidates are
 * the citations pending at title-abstract that R has not decided.
 *
 * The features come through the feature cache (rank_cache.c): only the
 * citations whose text changed since the last ranking are tokenised again.
 */
#include "rank.h"
#include "rank_cache.h"
#include "screening_int.h"
#include "../db/rows.h"
#include "../util/array.h"
#include "../util/clock.h"
#include "../util/err.h"
#include "../util/progress.h"
#include "../util/sha256.h"
#include "../util/strv.h"
#include "../util/text.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Label values of a loaded citation beyond 0/1/-1. */
#define NOT_CANDIDATE 2

struct rset {
	size_t n, alloc;
	int64_t *ids;
	signed char *label;    /* 1, 0: training; -1: candidate; 2: neither */
	int *sugg;             /* suggest-mode rule hits */
	char **title, **abstract, **keywords;
	uint64_t *th;          /* rank_cache_text_hash of the whole text */
	unsigned char *noabs;  /* 1: no abstract (rank_text_has_abstract) */
	unsigned char *dropped; /* 1: abstract read, hashed and let go (texts_load) */
	size_t labelled, includes, candidates;
	/* the member records' keyword and MeSH fields as stored, row after
	 * row (keywords_read): row i's are kwsrc.s[kwoff[i] .. kwoff[i + 1]),
	 * each field a tag ('j' JSON text, 'n' NULL) and its text with its
	 * NUL; kwdone[i]: keywords[i] joined from them (rset_keywords) */
	struct buf kwsrc;
	size_t *kwoff;
	unsigned char *kwdone;
};

/* The keyword sources let go (the keywords joined so far stay). */
static void rset_kwsrc_release(struct rset *s)
{
	buf_release(&s->kwsrc);
	free(s->kwoff);
	free(s->kwdone);
	s->kwoff = NULL;
	s->kwdone = NULL;
}

static void rset_release(struct rset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->title[i]);
		free(s->abstract[i]);
		free(s->keywords[i]);
	}
	free(s->ids);
	free(s->label);
	free(s->sugg);
	free(s->title);
	free(s->abstract);
	free(s->keywords);
	free(s->th);
	free(s->noabs);
	free(s->dropped);
	rset_kwsrc_release(s);
	memset(s, 0, sizeof(*s));
}

static int rset_grow(struct rset *s)
{
	size_t na = s->alloc ? s->alloc * 2 : 256;
	void *p;

#define GROW(f) do { p = realloc(s->f, na * sizeof(*s->f)); if (!p) return LSR_ENOMEM; s->f = p; } while (0)
	GROW(ids);
	GROW(label);
	GROW(sugg);
	GROW(title);
	GROW(abstract);
	GROW(keywords);
	GROW(th);
	GROW(noabs);
	GROW(dropped);
#undef GROW
	s->alloc = na;
	return 0;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A field's tagged copy appended to b (keywords_read). */
static int kwsrc_add(struct buf *b, const unsigned char *text, int bytes)
{
	int rc = buf_add(b, text ? "j" : "n", 1);

	if (rc == 0 && text)
		rc = buf_add(b, text, (size_t)bytes);
	return rc ? rc : buf_add(b, "", 1);
}

/*
 * The member records' keyword and MeSH fields of each citation of s, as
 * stored, into s->kwsrc and s->kwoff: one pass over the members in
 * citation order, the fields copied, not parsed (a million citations
 * hold some 200 MB of them; parsing them all took most of a warm
 * ranking's load).  Their bytes are part of each row's text hash
 * (text_done), and rset_keywords joins the keywords of the rows that are
 * tokenised or read by a model.
 */
static int keywords_read(struct rset *s, struct lsr_db *db, const struct lsr_progress *pr)
{
	static const char sql[] =
		"SELECT cm.citation_id, r.keywords, r.mesh FROM citation_members cm"
		" JOIN dedup_records r ON r.id = cm.record_id ORDER BY cm.citation_id, cm.record_id";
	sqlite3_stmt *st = db_prepare(db, sql);
	size_t i = 0;
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	s->kwoff = malloc((s->n + 1) * sizeof(*s->kwoff));
	s->kwdone = calloc(s->n ? s->n : 1, 1);
	if (!s->kwoff || !s->kwdone) {
		sqlite3_reset(st);
		return LSR_ENOMEM;
	}
	s->kwoff[0] = 0;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);

		/* rows before cid are complete (their members, if any, read) */
		for (; i < s->n && s->ids[i] < cid; i++) {
			s->kwoff[i + 1] = s->kwsrc.len;
			if ((i & 0xffff) == 0)
				progress_report(pr, "ranking: reading the keywords", i, s->n,
						"citations");
		}
		if (i == s->n || s->ids[i] != cid)
			continue; /* not a citation of the status view */
		rc = kwsrc_add(&s->kwsrc, sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1));
		if (rc == 0)
			rc = kwsrc_add(&s->kwsrc, sqlite3_column_text(st, 2),
				       sqlite3_column_bytes(st, 2));
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	for (; rc == 0 && i < s->n; i++)
		s->kwoff[i + 1] = s->kwsrc.len;
	sqlite3_reset(st);
	return rc;
}

/* The strings of JSON array text appended to v. */
static int json_strings(struct strv *v, const char *text)
{
	json_t *a;
	size_t k;
	json_t *x;
	int rc = 0;

	if (!(a = json_loads(text, JSON_DECODE_ANY, NULL)))
		return lsr_error_set(LSR_EPARSE, "keywords or MeSH that are not JSON: %.60s", text);
	json_array_foreach(a, k, x) {
		if (json_is_string(x) && (rc = strv_push(v, json_string_value(x))) < 0)
			break;
	}
	json_decref(a);
	return rc;
}

/*
 * Row i's keywords and MeSH headings, distinct, in byte order, joined by
 * "; " (NULL when it has none), from its members' fields in s->kwsrc (the
 * same strings and order a group_concat over json_each of each citation
 * gives: test_rank_db).  v and b: scratch.
 */
static int keywords_join(struct rset *s, size_t i, struct strv *v, struct buf *b)
{
	const char *p = s->kwsrc.s, *end = p;
	int rc = 0;

	if (p) {
		end = p + s->kwoff[i + 1];
		p += s->kwoff[i];
	}
	strv_clear(v);
	for (; p < end && rc == 0; p += strlen(p) + 1)
		if (*p++ == 'j' && (rc = json_strings(v, p)) < 0)
			lsr_error_wrap("citation %lld", (long long)s->ids[i]);
	if (rc == 0 && v->n) {
		qsort(v->v, v->n, sizeof(*v->v), cmp_cstr);
		buf_reset(b);
		for (size_t k = 0; k < v->n && rc == 0; k++) {
			if (k && !strcmp(v->v[k], v->v[k - 1]))
				continue;
			if (b->len)
				rc = buf_adds(b, "; ");
			if (rc == 0)
				rc = buf_adds(b, v->v[k]);
		}
		if (rc == 0 && !(s->keywords[i] = xstrdup(b->s)))
			rc = LSR_ENOMEM;
	}
	s->kwdone[i] = rc == 0;
	return rc;
}

/*
 * The keywords of the rows not joined yet that a model reads: with train
 * and dropped NULL every row; else the training rows (train[i] 0 or 1)
 * and the rows to be tokenised or scored from their text (dropped[i] 0:
 * texts_load kept the abstract, or there is none).
 */
static int rset_keywords(struct rset *s, const signed char *train, const unsigned char *dropped)
{
	struct strv v = STRV_INIT;
	struct buf b = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < s->n && rc == 0; i++)
		if (!s->kwdone[i] && ((!train && !dropped) || (train && (train[i] == 0 || train[i] == 1))
				      || (dropped && !dropped[i])))
			rc = keywords_join(s, i, &v, &b);
	strv_release(&v);
	buf_release(&b);
	return rc;
}

/*
 * Row i's text is complete (abs: its abstract, NULL when it has none):
 * its hash (of the title, the abstract and the keyword sources
 * keywords_read copied: rank_cache_text_hash_src), whether it has an
 * abstract, and its abstract, kept unless the
 * feature cache holds the row with this hash (held[i], cth[i]; held NULL:
 * keep every abstract) and it is not the citation keep (--explain's).
 * Only the rows the cache lacks are tokenised, and the title model reads
 * titles, keywords and noabs: at a million citations the abstracts are
 * most of the text, read once and hashed here instead of held.
 */
static int text_done(struct rset *s, size_t i, const char *abs, const unsigned char *held,
		     const uint64_t *cth, int64_t keep)
{
	struct rank_text d = { s->title[i], abs, NULL };

	s->th[i] = rank_cache_text_hash_src(s->title[i], abs,
					    s->kwsrc.s ? s->kwsrc.s + s->kwoff[i] : NULL,
					    s->kwoff[i + 1] - s->kwoff[i]);
	s->noabs[i] = (unsigned char)!rank_text_has_abstract(&d);
	s->dropped[i] = abs && held && held[i] && cth[i] == s->th[i] && s->ids[i] != keep;
	if (abs && !s->dropped[i] && !(s->abstract[i] = xstrdup(abs)))
		return LSR_ENOMEM;
	return 0;
}

/*
 * Each citation's title and abstract as the citation_metadata view gives
 * them (the representative record's title, else the first member's that
 * has one; the longest abstract in characters, the lowest record id on a
 * tie), read in one pass over the members in citation order beside s: the
 * view's per-citation subqueries cost most of a ranking's reading at a
 * million citations.  test_rank_db checks both agree.  The keyword
 * sources are read before (keywords_read); each citation's text is finished by
 * text_done (held, cth, keep: as there).
 */
static int texts_load(struct rset *s, struct lsr_db *db, const unsigned char *held,
		      const uint64_t *cth, int64_t keep, const struct lsr_progress *pr)
{
	static const char sql[] =
		"SELECT cm.citation_id, cm.record_id = c.representative_id, x.title, x.abstract"
		" FROM citation_members cm JOIN citations c ON c.id = cm.citation_id"
		" JOIN records x ON x.id = cm.record_id"
		" WHERE c.retired_at IS NULL ORDER BY cm.citation_id, cm.record_id";
	sqlite3_stmt *st = db_prepare(db, sql);
	struct buf ab = BUF_INIT; /* the current citation's abstract */
	size_t i = 0, best = 0, row = SIZE_MAX;
	int64_t cur = -1;
	/* have_best: 1 an abstract kept, 2 and its length in best (counted
	 * only when a second member has one: most citations have one record) */
	int step = SQLITE_DONE, rc = 0, have_rep = 0, have_best = 0;

	if (!st)
		return lsr_error_last_code();
	/* rows are finished in order: a citation without members (passed
	 * over) with the text of no field */
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		const unsigned char *title = sqlite3_column_text(st, 2);
		const unsigned char *abs = sqlite3_column_text(st, 3);

		if (cid != cur) {
			if ((i & 0xffff) == 0)
				progress_report(pr, "ranking: reading the texts", i, s->n, "citations");
			if (row != SIZE_MAX) {
				rc = text_done(s, row, have_best ? ab.s : NULL, held, cth, keep);
				i = row + 1;
			}
			cur = cid;
			have_rep = have_best = 0;
			best = 0;
			for (; rc == 0 && i < s->n && s->ids[i] < cid; i++)
				rc = text_done(s, i, NULL, held, cth, keep);
			if (rc < 0)
				break;
			row = i < s->n && s->ids[i] == cid ? i : SIZE_MAX;
		}
		if (row == SIZE_MAX)
			continue; /* not a citation of the status view */
		if (title && (sqlite3_column_int(st, 1) ? !have_rep : !s->title[row])) {
			free(s->title[row]);
			if (!(s->title[row] = xstrdup((const char *)title)))
				rc = LSR_ENOMEM;
			have_rep |= sqlite3_column_int(st, 1);
		}
		if (abs && rc == 0) {
			size_t len = 0;

			if (have_best == 1) {
				best = text_chars(ab.s);
				have_best = 2;
			}
			if (have_best)
				len = text_chars((const char *)abs);
			if (!have_best || len > best) {
				buf_reset(&ab);
				rc = buf_add(&ab, abs, (size_t)sqlite3_column_bytes(st, 3));
				best = len;
				have_best = have_best ? 2 : 1;
			}
		}
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	if (rc == 0 && row != SIZE_MAX) {
		rc = text_done(s, row, have_best ? ab.s : NULL, held, cth, keep);
		i = row + 1;
	}
	for (; rc == 0 && i < s->n; i++)
		rc = text_done(s, i, NULL, held, cth, keep);
	sqlite3_reset(st);
	buf_release(&ab);
	return rc;
}

/* Which texts rset_load reads. */
enum texts {
	TEXTS_ALL,  /* every citation's */
	TEXTS_LEAN, /* hash them all, keep the abstracts the feature cache lacks
		     * and the keywords of those and of the training rows */
	TEXTS_NONE  /* none: labels alone */
};

/* A statement read beside another in citation order (its first column
 * the citation id): at is 1 when its current row is the citation asked
 * for last (beside_at). */
struct beside {
	const char *sql;
	sqlite3_stmt *st;
	int64_t id;  /* the current row's citation, while more */
	int more, at;
};

static int beside_step(struct beside *b, struct lsr_db *db)
{
	int step = sqlite3_step(b->st);

	b->more = step == SQLITE_ROW;
	if (b->more)
		b->id = sqlite3_column_int64(b->st, 0);
	else if (step != SQLITE_DONE)
		return db_error(db, b->sql);
	return 0;
}

/* Prepare b (bound to text, when not NULL) and read its first row. */
static int beside_start(struct beside *b, struct lsr_db *db, const char *text)
{
	if (!(b->st = db_prepare(db, b->sql)))
		return lsr_error_last_code();
	if (text)
		db_bind_text(b->st, 1, text);
	return beside_step(b, db);
}

/* Move b to citation cid (ascending from one call to the next). */
static int beside_at(struct beside *b, struct lsr_db *db, int64_t cid)
{
	int rc = 0;

	while (rc == 0 && b->more && b->id < cid)
		rc = beside_step(b, db);
	b->at = rc == 0 && b->more && b->id == cid;
	return rc;
}

static void beside_end(struct beside *b)
{
	if (b->st)
		sqlite3_reset(b->st);
}

/* Every live citation with its text, training label for reviewer and
 * whether it is a candidate (the keyword sources by keywords_read, the
 * texts by texts_load, the keywords by rset_keywords).  TEXTS_LEAN: keep
 * only the abstracts the feature cache under fo lacks, and keep's
 * (texts_load), and only the keywords of those rows, of the rows without
 * an abstract and of the labelled ones; the keyword sources stay in s for
 * the caller to join the presumed negatives' (rset_keywords). */
static int rset_read(struct rset *s, struct lsr_db *db, const char *reviewer,
		     const struct rank_feat_opts *fo, enum texts texts, int64_t keep,
		     const struct lsr_progress *pr)
{
	unsigned char *held = NULL;
	uint64_t *cth = NULL;
	static const char sql[] =
		"SELECT t.citation_id, t.status, coalesce(t.decided_by, '')"
		" FROM screen_ta_status t ORDER BY t.citation_id";
	/* the reviewer's own verdicts and the suggest-mode hits, read beside
	 * the status in citation order (two indexed scans instead of two
	 * subqueries per citation: 0.7-0.9 s at a million) */
	struct beside own = { "SELECT citation_id, verdict FROM screen_current"
			      " WHERE stage = 'title-abstract' AND reviewer = ?1"
			      " ORDER BY citation_id", NULL, 0, 0, 0 };
	struct beside sugg = { "SELECT citation_id, count(*) FROM screen_hits_current"
			       " WHERE mode = 'suggest' GROUP BY citation_id ORDER BY citation_id",
			       NULL, 0, 0, 0 };
	sqlite3_stmt *st = db_prepare(db, sql);
	int step = SQLITE_DONE, rc = 0;

	memset(s, 0, sizeof(*s));
	if (!st || beside_start(&own, db, reviewer) < 0 || beside_start(&sugg, db, NULL) < 0) {
		rc = lsr_error_last_code();
		goto status_done;
	}
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		const char *status = (const char *)sqlite3_column_text(st, 1);
		const char *by = (const char *)sqlite3_column_text(st, 2);
		const char *mine = NULL;
		int human = !strcmp(by, "reviewers") || !strcmp(by, "resolution");
		size_t i = s->n;
		signed char lab;

		if ((rc = beside_at(&own, db, cid)) < 0 || (rc = beside_at(&sugg, db, cid)) < 0)
			break;
		if (own.at)
			mine = (const char *)sqlite3_column_text(own.st, 1);
		if (human && !strcmp(status, "included"))
			lab = 1;
		else if (human && !strcmp(status, "excluded"))
			lab = 0;
		else if (mine)
			lab = strcmp(mine, "exclude") ? 1 : 0;
		else if (!strcmp(status, "pending"))
			lab = -1;
		else
			lab = NOT_CANDIDATE;
		if (s->n == s->alloc && (rc = rset_grow(s)) < 0)
			break;
		if ((i & 0xffff) == 0)
			progress_report(pr, "ranking: reading the labels", i, 0, "citations");
		s->ids[i] = cid;
		s->label[i] = lab;
		s->sugg[i] = sugg.at ? sqlite3_column_int(sugg.st, 1) : 0;
		s->title[i] = NULL;
		s->abstract[i] = NULL;
		s->keywords[i] = NULL;
		s->th[i] = 0; /* TEXTS_NONE: no text read, no hash */
		s->noabs[i] = 1;
		s->dropped[i] = 0;
		s->n++;
		s->labelled += lab == 0 || lab == 1;
		s->includes += lab == 1;
		s->candidates += lab == -1;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
status_done:
	if (st)
		sqlite3_reset(st);
	beside_end(&own);
	beside_end(&sugg);
	if (rc == 0 && texts != TEXTS_NONE)
		rc = keywords_read(s, db, pr);
	if (rc == 0 && texts == TEXTS_LEAN) {
		held = malloc(s->n ? s->n : 1);
		cth = malloc((s->n ? s->n : 1) * sizeof(*cth));
		rc = held && cth ? rank_cache_held(held, cth, db, s->ids, s->n, fo) : LSR_ENOMEM;
	}
	if (rc == 0 && texts != TEXTS_NONE)
		rc = texts_load(s, db, held, cth, keep, pr);
	/* the keywords of every row, or (lean) of those tokenised or trained
	 * on; the caller joins the presumed negatives' (rset_keywords) */
	if (rc == 0 && texts == TEXTS_ALL)
		rc = rset_keywords(s, NULL, NULL);
	else if (rc == 0 && texts == TEXTS_LEAN)
		rc = rset_keywords(s, s->label, s->dropped);
	if (texts == TEXTS_ALL)
		rset_kwsrc_release(s);
	free(held);
	free(cth);
	if (rc < 0) {
		rset_release(s);
		return rc == LSR_ENOMEM ? lsr_error_oom() : rc;
	}
	return 0;
}

/* rset_read in one read transaction (unless the caller is in one), so
 * that the labels, keywords, the cache's hashes and the texts are of one
 * state of the review whatever another process commits meanwhile. */
static int rset_load_p(struct rset *s, struct lsr_db *db, const char *reviewer,
		       const struct rank_feat_opts *fo, enum texts texts, int64_t keep,
		       const struct lsr_progress *pr)
{
	int own = sqlite3_get_autocommit(db_handle(db)), rc;

	if (own && db_exec(db, "BEGIN") < 0)
		return lsr_error_last_code();
	rc = rset_read(s, db, reviewer, fo, texts, keep, pr);
	if (own && rc < 0) {
		/* keep rset_read's message */
		sqlite3_exec(db_handle(db), "ROLLBACK", NULL, NULL, NULL);
	} else if (own && (rc = db_exec(db, "COMMIT")) < 0) {
		rset_release(s);
	}
	return rc;
}

/* rset_load_p without progress. */
static int rset_load(struct rset *s, struct lsr_db *db, const char *reviewer,
		     const struct rank_feat_opts *fo, enum texts texts, int64_t keep)
{
	return rset_load_p(s, db, reviewer, fo, texts, keep, NULL);
}

/* ---- computing a ranking ------------------------------------------------ */

struct work {
	struct rset set;
	struct rank_feat_opts fo;
	struct rank_model_opts mo;
	struct rank_feats *feats;
	struct rank_model *model;  /* NULL: the prior order */
	struct rank_title_model title; /* rows without an abstract (rank.h) */
	double *scores;            /* per row; NAN for the prior order */
	size_t *order, norder;     /* rows of the candidates, in order */
	char hash[SHA256_HEX_LEN + 1];
	char *params;              /* JSON text */
	int64_t decisions;         /* decisions_count when the labels were read */
};

static void work_release(struct work *w)
{
	rset_release(&w->set);
	rank_feats_free(w->feats);
	rank_model_free(w->model);
	rank_title_model_release(&w->title);
	free(w->scores);
	free(w->order);
	free(w->params);
	memset(w, 0, sizeof(*w));
}

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

struct prior {
	int sugg;
	uint64_t key;
	int64_t id;
	size_t i;
};

static int cmp_prior(const void *a, const void *b)
{
	const struct prior *x = a, *y = b;

	if (x->sugg != y->sugg)
		return x->sugg < y->sugg ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Before the first include: citations fewer rules suggest excluding
 * first, then the seed's order (batch.c's key), then id. */
static int prior_order(struct work *w, uint64_t seed)
{
	struct prior *v = malloc((w->set.n ? w->set.n : 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return lsr_error_oom();
	for (size_t i = 0; i < w->set.n; i++)
		if (w->set.label[i] == -1)
			v[n++] = (struct prior){ w->set.sugg[i], mix(seed ^ mix((uint64_t)w->set.ids[i])),
						 w->set.ids[i], i };
	qsort(v, n, sizeof(*v), cmp_prior);
	for (size_t k = 0; k < n; k++)
		w->order[k] = v[k].i;
	w->norder = n;
	free(v);
	return 0;
}

static int hash_inputs(struct work *w, uint64_t seed)
{
	struct sha256 *h = sha256_new();
	char num[64];
	int rc = 0;

	if (!h)
		return lsr_error_oom();
	rc |= sha256_update(h, w->params, strlen(w->params) + 1);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)seed);
	rc |= sha256_update(h, num, strlen(num) + 1);
	/* per citation its id, label and text hash (the feature cache's, of
	 * title, abstract and keywords): the texts themselves are not all
	 * held (texts_load) */
	for (size_t i = 0; i < w->set.n && rc == 0; i++) {
		snprintf(num, sizeof(num), "%lld:%d:%016llx", (long long)w->set.ids[i],
			 w->set.label[i] == NOT_CANDIDATE ? -1 : w->set.label[i],
			 (unsigned long long)w->set.th[i]);
		rc |= sha256_update(h, num, strlen(num) + 1);
	}
	if (rc) {
		sha256_free(h);
		return lsr_error_set(LSR_ERROR, "cannot hash the ranking's inputs");
	}
	return sha256_final(h, w->hash);
}

static int decisions_count(struct lsr_db *db, const char *reviewer, int64_t *out);

/* Phase k of prof (may be NULL) ends now. */
static void prof_mark(struct screen_rank_profile *prof, int k)
{
	struct timespec ts;
	double wall, cpu;

	if (!prof)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	wall = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	cpu = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (k >= 0) {
		prof->wall[k] += wall - prof->wall_at;
		prof->cpu[k] += cpu - prof->cpu_at;
	}
	prof->wall_at = wall;
	prof->cpu_at = cpu;
}

/* How the ranking's params name a term frequency. */
static const char *tf_name(enum rank_tf tf)
{
	return tf == RANK_TF_BM25 ? "bm25" : tf == RANK_TF_LOG ? "1 + ln tf above 1" : "raw";
}

/* Train on the review's labels for reviewer and order the candidates
 * (prof, may be NULL: the time each phase took; keep: a citation whose
 * text --explain reads).  lean: read the texts as rset_load says; *again
 * set when the feature cache changed between the texts and the features
 * (then w is released and the caller computes again, not lean). */
static int compute_once(struct work *w, struct lsr_db *db, const char *reviewer, uint64_t seed,
			struct screen_rank_profile *prof, int64_t keep, int lean, int *again,
			const struct lsr_progress *pr)
{
	struct rank_text *docs = NULL;
	struct rank_cache_stats cs;
	signed char *train = NULL;
	json_t *params;
	int rc;

	memset(w, 0, sizeof(*w));
	*again = 0;
	w->fo = (struct rank_feat_opts)RANK_FEAT_OPTS_INIT;
	w->mo = (struct rank_model_opts)RANK_MODEL_OPTS_INIT;
	prof_mark(prof, -1);
	if ((rc = rset_load_p(&w->set, db, reviewer, &w->fo, lean ? TEXTS_LEAN : TEXTS_ALL,
			       keep, pr)) < 0)
		return rc;
	prof_mark(prof, SCREEN_RANK_LOAD);
	/* counted with the labels, not when the ranking is stored (which
	 * may be much later, by the screening server's worker) */
	if ((rc = decisions_count(db, reviewer, &w->decisions)) < 0) {
		rset_release(&w->set);
		return rc;
	}
	params = json_pack("{s:{s:b,s:i,s:s,s:f,s:f,s:f,s:f,s:b,s:s,s:i},"
			   "s:{s:s,s:f,s:f,s:f,s:f,s:i,s:i,s:s}}",
			   "features", "bigrams", w->fo.bigrams, "min_df", w->fo.min_df,
			   "tf", tf_name(w->fo.tf), "bm25_k1", w->fo.bm25_k1,
			   "bm25_b", w->fo.bm25_b,
			   "title_weight", w->fo.title_weight,
			   "keyword_weight", w->fo.keyword_weight, "title_terms", w->fo.title_terms,
			   "hashing", "fnv1a64+splitmix64", "buckets", (int)RANK_DIM,
			   "model", "solver", "L2R_LR", "C", w->mo.C, "eps", w->mo.eps,
			   "include_weight", w->mo.include_weight,
			   "include_power", w->mo.include_power,
			   "presumed_negatives", (int)w->mo.presumed,
			   "max_negatives", (int)w->mo.max_negatives,
			   "no_abstract", "mean with the title model");
	w->params = params ? json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(params);
	w->order = malloc((w->set.n ? w->set.n : 1) * sizeof(*w->order));
	w->scores = malloc((w->set.n ? w->set.n : 1) * sizeof(*w->scores));
	docs = malloc((w->set.n ? w->set.n : 1) * sizeof(*docs));
	train = malloc(w->set.n ? w->set.n : 1);
	if (!w->params || !w->order || !w->scores || !docs || !train) {
		rc = lsr_error_oom();
		goto out;
	}
	if ((rc = hash_inputs(w, seed)) < 0)
		goto out;
	prof_mark(prof, SCREEN_RANK_HASH);
	for (size_t i = 0; i < w->set.n; i++) {
		docs[i] = (struct rank_text){ w->set.title[i], w->set.abstract[i], w->set.keywords[i] };
		w->scores[i] = NAN;
		/* the presumed negatives come from every row without a label,
		 * candidate or not */
		train[i] = (signed char)(w->set.label[i] == NOT_CANDIDATE ? -1 : w->set.label[i]);
	}
	if (w->set.includes) {
		signed char *t2 = malloc(w->set.n ? w->set.n : 1);

		if (!t2) {
			rc = lsr_error_oom();
			goto out;
		}
		rank_presume_negatives(t2, train, w->set.ids, w->set.n, w->mo.presumed,
				       mix(seed ^ mix(w->set.labelled)));
		/* the presumed negatives' keywords, for the title model */
		if (w->set.kwdone && (rc = rset_keywords(&w->set, t2, NULL)) < 0) {
			free(t2);
			goto out;
		}
		rset_kwsrc_release(&w->set);
		for (size_t i = 0; i < w->set.n; i++)
			docs[i].keywords = w->set.keywords[i];
		rc = rank_cache_feats_hashed(&w->feats, &cs, db, w->set.ids, w->set.th, docs,
					     lean ? w->set.dropped : NULL, w->set.n, &w->fo, 2, pr);
		*again = rc < 0 && cs.lacked;
		if (prof)
			prof->cache = cs;
		prof_mark(prof, SCREEN_RANK_FEATURES);
		if (rc == 0) {
			progress_report(pr, "ranking: training the models", 0, 0, "");
			rc = rank_model_fit(&w->model, w->feats, t2, &w->mo);
		}
		/* the rows without an abstract: the title model (rank.h) */
		if (rc == 0)
			rc = rank_title_model_make(&w->title, docs, w->set.noabs, w->set.n, t2, &w->fo,
						   &w->mo, 2);
		prof_mark(prof, SCREEN_RANK_TRAIN);
		free(t2);
		if (rc == LSR_ENOTFOUND) /* no exclude at all: the prior order */
			rc = prior_order(w, seed);
		else if (rc == 0) {
			progress_report(pr, "ranking: scoring the citations", 0, 0, "");
			rank_model_score_all(w->model, w->feats, w->scores);
			rank_title_model_apply(&w->title, w->scores, RANK_TITLE_WEIGHT);
			rank_order(w->order, &w->norder, w->scores, w->set.label, w->set.ids,
				   w->set.n);
		}
		prof_mark(prof, SCREEN_RANK_ORDER);
	} else {
		rc = prior_order(w, seed);
	}
out:
	rset_kwsrc_release(&w->set);
	free(docs);
	free(train);
	if (rc < 0)
		work_release(w);
	return rc;
}

/* compute_once, lean, and once more with every text should the feature
 * cache have changed in between (another process ranking an altered
 * review). */
static int compute(struct work *w, struct lsr_db *db, const char *reviewer, uint64_t seed,
		   struct screen_rank_profile *prof, int64_t keep, const struct lsr_progress *pr)
{
	int again = 0, rc = compute_once(w, db, reviewer, seed, prof, keep, 1, &again, pr);

	if (rc < 0 && again) {
		lsr_error_clear();
		rc = compute_once(w, db, reviewer, seed, prof, keep, 0, &again, pr);
	}
	return rc;
}

/* Decisions that may change reviewer's ranking: theirs and resolutions. */
static int decisions_count(struct lsr_db *db, const char *reviewer, int64_t *out)
{
	static const char sql[] =
		"SELECT count(*) FROM screen_decisions WHERE stage = 'title-abstract'"
		" AND (reviewer = ?1 OR kind = 'resolution')";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	*out = 0;
	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, reviewer);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

/* Record w as a ranking (its head of head positions). */
static int store_rows(struct work *w, struct lsr_db *db, const char *reviewer, uint64_t seed,
		      size_t head, int64_t *out_id)
{
	static const char sql[] =
		"INSERT INTO screen_rankings(stage, reviewer, model, params, library, inputs_hash,"
		" seed, labelled, includes, candidates, decisions, created_at, actor)"
		" VALUES('title-abstract', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	static const char sql_item[] =
		"INSERT INTO screen_ranking_items(ranking_id, position, citation_id, score)"
		" VALUES(?1, ?2, ?3, ?4)";
	char now[CLOCK_ISO_LEN];
	int64_t id;
	sqlite3_stmt *st;
	int rc;

	if (!(st = db_prepare(db, sql)))
		return lsr_error_last_code();
	clock_now_iso(now);
	db_bind_text(st, 1, reviewer);
	db_bind_text(st, 2, w->model ? "logistic-regression" : "prior");
	db_bind_text(st, 3, w->params);
	db_bind_text(st, 4, rank_library_version());
	db_bind_text(st, 5, w->hash);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)seed);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)w->set.labelled);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)w->set.includes);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)w->norder);
	sqlite3_bind_int64(st, 10, w->decisions);
	db_bind_text(st, 11, now);
	db_bind_text(st, 12, db_actor());
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	id = db_last_id(db);
	for (size_t k = 0; k < w->norder && k < head; k++) {
		size_t i = w->order[k];

		if (!(st = db_prepare(db, sql_item)))
			return lsr_error_last_code();
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)k + 1);
		sqlite3_bind_int64(st, 3, w->set.ids[i]);
		if (isnan(w->scores[i]))
			sqlite3_bind_null(st, 4);
		else
			sqlite3_bind_double(st, 4, w->scores[i]);
		if ((rc = db_step_done(db, st)) < 0)
			return rc;
	}
	*out_id = id;
	return 0;
}

/* The ranking and its head in one transaction (nested inside a batch's or
 * a hand-out's): never a ranking without its items, one commit not one per
 * row when 'lsr screen rank' runs on its own. */
static int store(struct work *w, struct lsr_db *db, const char *reviewer, uint64_t seed,
		 size_t head, int64_t *out_id)
{
	int rc = db_txn_begin(db);

	if (rc < 0)
		return rc;
	if ((rc = store_rows(w, db, reviewer, seed, head, out_id)) < 0) {
		db_txn_rollback(db);
		return rc;
	}
	return db_txn_commit(db);
}

static size_t head_size(const struct protocol *p)
{
	size_t h = (size_t)(p ? p->priority.retrain_every : 10) * 20;

	return h < 200 ? 200 : h;
}

/* ---- the public functions ----------------------------------------------- */

struct rank_pos {
	int64_t id;
	size_t pos;
};

static int cmp_pos(const void *a, const void *b)
{
	const struct rank_pos *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int ranking_from(struct screen_ranking *out, const struct work *w, const char *model)
{
	size_t n = w->norder;

	out->model = model;
	out->n = n;
	out->labelled = w->set.labelled;
	out->includes = w->set.includes;
	memcpy(out->inputs_hash, w->hash, sizeof(out->inputs_hash));
	out->ids = malloc((n ? n : 1) * sizeof(*out->ids));
	out->scores = malloc((n ? n : 1) * sizeof(*out->scores));
	out->byid = malloc((n ? n : 1) * sizeof(*out->byid));
	if (!out->ids || !out->scores || !out->byid)
		return lsr_error_oom();
	for (size_t k = 0; k < n; k++) {
		size_t i = w->order[k];

		out->ids[k] = w->set.ids[i];
		out->scores[k] = w->scores[i];
		out->byid[k] = (struct rank_pos){ w->set.ids[i], k };
	}
	qsort(out->byid, n, sizeof(*out->byid), cmp_pos);
	return 0;
}

void screen_ranking_release(struct screen_ranking *r)
{
	free(r->ids);
	free(r->scores);
	free(r->byid);
	memset(r, 0, sizeof(*r));
}

/* A new ranking, stored, into *out; *w keeps what made it (the caller
 * work_releases it; released here on failure). */
static int ranking_make(struct screen_ranking *out, struct work *w, struct lsr_db *db,
			const struct protocol *p, const char *reviewer, uint64_t seed, int64_t keep,
			const struct lsr_progress *pr)
{
	int rc;

	memset(out, 0, sizeof(*out));
	memset(w, 0, sizeof(*w));
	out->kind = SCREEN_RANKING_PRIORITY;
	if (!reviewer || !*reviewer)
		return lsr_error_set(LSR_EUSAGE, "a priority order is made for one reviewer: --reviewer NAME");
	if ((rc = compute(w, db, reviewer, seed, NULL, keep, pr)) < 0)
		return rc;
	rc = store(w, db, reviewer, seed, head_size(p), &out->id);
	if (rc == 0)
		rc = ranking_from(out, w, w->model ? "logistic-regression" : "prior");
	if (rc < 0) {
		work_release(w);
		screen_ranking_release(out);
	}
	return rc;
}

int screen_ranking_make(struct screen_ranking *out, struct lsr_db *db, const struct protocol *p,
			const char *reviewer, uint64_t seed, const struct lsr_progress *progress)
{
	struct work w;
	int rc = ranking_make(out, &w, db, p, reviewer, seed, 0, progress);

	work_release(&w);
	return rc;
}

/* ---- a ranking made in two steps (the screening server's worker) -------- */

struct screen_ranking_job {
	struct work w;
	char *reviewer;
	uint64_t seed;
};

int screen_ranking_compute(struct screen_ranking_job **out, struct lsr_db *db,
			   const char *reviewer, uint64_t seed)
{
	struct screen_ranking_job *j;
	int rc;

	*out = NULL;
	if (!reviewer || !*reviewer)
		return lsr_error_set(LSR_EUSAGE, "a priority order is made for one reviewer");
	if (!(j = calloc(1, sizeof(*j))) || !(j->reviewer = xstrdup(reviewer))) {
		free(j);
		return lsr_error_oom();
	}
	j->seed = seed;
	if ((rc = compute(&j->w, db, reviewer, seed, NULL, 0, NULL)) < 0) {
		free(j->reviewer);
		free(j);
		return rc;
	}
	*out = j;
	return 0;
}

int64_t screen_ranking_job_decisions(const struct screen_ranking_job *j)
{
	return j->w.decisions;
}

int screen_ranking_job_store(struct lsr_db *db, const struct protocol *p,
			     struct screen_ranking_job *j, int64_t *out_id)
{
	return store(&j->w, db, j->reviewer, j->seed, head_size(p), out_id);
}

void screen_ranking_job_free(struct screen_ranking_job *j)
{
	if (!j)
		return;
	work_release(&j->w);
	free(j->reviewer);
	free(j);
}

int screen_rank_profile(struct screen_rank_profile *out, struct lsr_db *db,
			const char *reviewer, uint64_t seed)
{
	struct work w;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = compute(&w, db, reviewer, seed, out, 0, NULL)) < 0)
		return rc;
	out->citations = w.set.n;
	out->labelled = w.set.labelled;
	out->candidates = w.norder;
	out->model = w.model ? "logistic-regression" : "prior";
	out->nnz = w.feats ? rank_feats_nnz(w.feats) : 0;
	work_release(&w);
	return 0;
}

int screen_ranking_key(const struct screen_ranking *r, int64_t citation, uint64_t *key)
{
	struct rank_pos k = { citation, 0 }, *f;

	f = r->n ? bsearch(&k, r->byid, r->n, sizeof(*r->byid), cmp_pos) : NULL;
	*key = f ? (uint64_t)f->pos : UINT64_MAX;
	return f ? 0 : LSR_ENOTFOUND;
}

static int handout(struct lsr_db *db, const struct screen_ranking *r, int64_t citation,
		   const char *reviewer, int64_t batch, const char *now)
{
	static const char sql[] =
		"INSERT INTO screen_rank_handouts(citation_id, reviewer, kind, ranking_id, position,"
		" score, batch_id, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = db_prepare(db, sql);
	uint64_t pos;
	int sample = r->kind == SCREEN_RANKING_SAMPLE;

	if (!st)
		return lsr_error_last_code();
	if (screen_ranking_key(r, citation, &pos) < 0)
		return lsr_error_set(LSR_ERROR, "citation %lld is not in ranking %lld",
				     (long long)citation, (long long)r->id);
	sqlite3_bind_int64(st, 1, citation);
	db_bind_text(st, 2, reviewer);
	db_bind_text(st, 3, sample ? "stopping-sample" : "priority");
	if (sample) {
		sqlite3_bind_null(st, 4);
		sqlite3_bind_null(st, 6);
	} else {
		sqlite3_bind_int64(st, 4, r->id);
		if (isnan(r->scores[pos]))
			sqlite3_bind_null(st, 6);
		else
			sqlite3_bind_double(st, 6, r->scores[pos]);
	}
	sqlite3_bind_int64(st, 5, (sqlite3_int64)pos + 1);
	if (batch)
		sqlite3_bind_int64(st, 7, batch);
	else
		sqlite3_bind_null(st, 7);
	db_bind_text(st, 8, now);
	return db_step_done(db, st);
}

int screen_ranking_record_batch(struct lsr_db *db, const struct screen_ranking *r, int64_t batch)
{
	static const char sql[] =
		"SELECT citation_id, reviewer FROM screen_assignments WHERE batch_id = ?1"
		" ORDER BY position";
	sqlite3_stmt *st = db_prepare(db, sql);
	int64_t *ids = NULL;
	char *reviewer = NULL, now[CLOCK_ISO_LEN];
	size_t n = 0, alloc = 0;
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, batch);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = ARRAY_GROW(ids, n, alloc, 64)) < 0)
			break;
		ids[n++] = sqlite3_column_int64(st, 0);
		if (!reviewer && !(reviewer = xstrdup((const char *)sqlite3_column_text(st, 1)))) {
			rc = LSR_ENOMEM;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	clock_now_iso(now);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = handout(db, r, ids[i], reviewer, batch, now);
	if (rc == 0 && r->kind == SCREEN_RANKING_SAMPLE) {
		static const char sql_s[] =
			"INSERT INTO screen_stopping_samples(batch_id, population, found_before,"
			" screened_before, at) VALUES(?1, ?2, ?3, ?4, ?5)";

		if (!(st = db_prepare(db, sql_s)))
			rc = lsr_error_last_code();
		if (rc == 0) {
			sqlite3_bind_int64(st, 1, batch);
			sqlite3_bind_int64(st, 2, (sqlite3_int64)r->n);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)r->includes);
			sqlite3_bind_int64(st, 4, (sqlite3_int64)r->labelled);
			db_bind_text(st, 5, now);
			rc = db_step_done(db, st);
		}
	}
	free(ids);
	free(reviewer);
	return rc == LSR_ENOMEM ? lsr_error_oom() : rc;
}

/* ---- the stopping rule on the review ------------------------------------ */

/*
 * The title-abstract sequence the test reads: citations with a human
 * status (included or excluded by the reviewers or a resolution), in the
 * order of their first human decision; the population: every citation
 * that counts and is not excluded by a rule (those are never screened) or
 * by an earlier stop.
 */
struct seq {
	unsigned char *v;
	size_t n;
	size_t population, priority;
};

/* A citation of the sequence as read: its first human decision's id
 * orders it (then its id). */
struct seq_item {
	int64_t first, citation;
	unsigned char included, priority;
};

struct seq_read {
	struct seq_item *v;
	size_t n, alloc, population;
	screen_ta_row_fn each; /* also hears every row's status (may be NULL) */
	void *each_payload;
};

static int seq_row(sqlite3_stmt *st, void *payload)
{
	struct seq_read *s = payload;
	int rc;

	if (s->each && (rc = s->each(s->each_payload, sqlite3_column_text(st, 6),
				     sqlite3_column_text(st, 7), sqlite3_column_text(st, 8))) < 0)
		return rc;
	s->population += sqlite3_column_int(st, 2) != 0;
	if (!sqlite3_column_int(st, 1))
		return 0;
	if (ARRAY_GROW(s->v, s->n, s->alloc, 256) < 0)
		return LSR_ENOMEM;
	s->v[s->n++] = (struct seq_item){ sqlite3_column_int64(st, 4),
		sqlite3_column_int64(st, 0), (unsigned char)(sqlite3_column_int(st, 3) != 0),
		(unsigned char)(sqlite3_column_int(st, 5) != 0) };
	return 0;
}

static int cmp_seq_item(const void *a, const void *b)
{
	const struct seq_item *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return (x->citation > y->citation) - (x->citation < y->citation);
}

/* One pass over the status: the population counted, the sequence's
 * citations kept with their first decision and sorted here (the status
 * view costs seconds at a million citations: reading it once for both
 * halves the time); each (may be NULL) hears every citation's status,
 * decided_by and, for the excluded, reason ('(none)' when it has none). */
static int seq_load(struct seq *s, struct lsr_db *db, screen_ta_row_fn each, void *payload)
{
	struct seq_read r = { NULL, 0, 0, 0, each, payload };
	int rc;

	memset(s, 0, sizeof(*s));
	rc = db_rows_each(db,
		"SELECT citation_id, inseq, counts, status = 'included',"
		" CASE WHEN inseq THEN (SELECT min(d.id) FROM screen_decisions d"
		"   WHERE d.citation_id = q.citation_id AND d.stage = 'title-abstract') END,"
		" CASE WHEN inseq THEN EXISTS (SELECT 1 FROM screen_rank_handouts h"
		"   WHERE h.citation_id = q.citation_id AND h.kind = 'priority') END,"
		" status, decided_by,"
		" CASE WHEN status = 'excluded' THEN coalesce(reason, '(none)') END"
		" FROM (SELECT t.citation_id, t.status, t.decided_by, t.reason,"
		"   t.decided_by IN ('reviewers', 'resolution')"
		"     AND t.status IN ('included', 'excluded') AS inseq,"
		"   t.decided_by IS NOT 'automation' AND t.decided_by IS NOT 'stopping-rule' AS counts"
		"   FROM screen_ta_status t) q",
		0, seq_row, &r);
	if (rc < 0) {
		free(r.v);
		return rc == LSR_ENOMEM ? lsr_error_oom() : rc;
	}
	if (r.n)
		qsort(r.v, r.n, sizeof(*r.v), cmp_seq_item);
	if (!(s->v = malloc(r.n ? r.n : 1))) {
		free(r.v);
		return lsr_error_oom();
	}
	for (size_t i = 0; i < r.n; i++) {
		s->v[i] = r.v[i].included;
		s->priority += r.v[i].priority;
	}
	s->n = r.n;
	s->population = r.population;
	free(r.v);
	return 0;
}

/* The latest stopping sample whose citations all have a human status. */
struct sample_row {
	int64_t batch;
	size_t population, found_before, n, k, undecided;
	int seen;
};

static int sample_row(sqlite3_stmt *st, void *payload)
{
	struct sample_row *r = payload;

	r->batch = sqlite3_column_int64(st, 0);
	r->population = (size_t)sqlite3_column_int64(st, 1);
	r->found_before = (size_t)sqlite3_column_int64(st, 2);
	r->n = (size_t)sqlite3_column_int64(st, 3);
	r->k = (size_t)sqlite3_column_int64(st, 4);
	r->undecided = (size_t)sqlite3_column_int64(st, 5);
	r->seen = 1;
	return 1;
}

static int sample_load(struct sample_row *r, struct lsr_db *db)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = db_rows_each(db,
		"SELECT s.batch_id, s.population, s.found_before, count(h.citation_id),"
		" coalesce(sum(t.status = 'included' AND t.decided_by IN ('reviewers', 'resolution')), 0),"
		" coalesce(sum(t.decided_by IS NULL OR t.decided_by NOT IN ('reviewers', 'resolution')), 0)"
		" FROM screen_stopping_samples s"
		" JOIN screen_rank_handouts h ON h.batch_id = s.batch_id"
		" LEFT JOIN screen_ta_status t ON t.citation_id = h.citation_id"
		" GROUP BY s.batch_id ORDER BY s.batch_id DESC LIMIT 1",
		0, sample_row, r);
	return rc == 1 ? 0 : rc;
}

static int check_params(double recall, double confidence)
{
	if (!(recall > 0 && recall <= 1))
		return lsr_error_set(LSR_EUSAGE, "--recall %g is not in (0, 1]", recall);
	if (!(confidence > 0 && confidence < 1))
		return lsr_error_set(LSR_EUSAGE, "--confidence %g is not in (0, 1)", confidence);
	return 0;
}

int screen_stopping_json(struct lsr_db *db, double recall, double confidence, json_t **out)
{
	return screen_stopping_json_each(db, recall, confidence, out, NULL, NULL);
}

int screen_stopping_json_each(struct lsr_db *db, double recall, double confidence,
			      json_t **out, screen_ta_row_fn each, void *payload)
{
	struct stop_result r;
	struct sample_row sr;
	struct seq s;
	json_t *o, *sample = json_null();
	int rc;

	*out = NULL;
	if ((rc = check_params(recall, confidence)) < 0)
		return rc;
	if ((rc = seq_load(&s, db, each, payload)) < 0)
		return rc;
	if ((rc = sample_load(&sr, db)) < 0) {
		free(s.v);
		return rc;
	}
	rc = stop_ranked_p(&r, s.v, s.n, s.population < s.n ? s.n : s.population, recall);
	free(s.v);
	if (rc < 0)
		return rc;
	if (sr.seen) {
		struct stop_result q;

		if (!sr.undecided &&
		    (rc = stop_sample_p(&q, sr.found_before, sr.n, sr.k, sr.population, recall)) < 0)
			return rc;
		sample = json_pack("{s:I,s:I,s:I,s:I,s:I,s:o,s:b}", "batch", (json_int_t)sr.batch,
				   "size", (json_int_t)sr.n, "population", (json_int_t)sr.population,
				   "includes", (json_int_t)sr.k, "undecided", (json_int_t)sr.undecided,
				   "p", sr.undecided ? json_null() : json_real(q.p),
				   "met", !sr.undecided && q.p < 1 - confidence);
	}
	o = json_pack("{s:f,s:f,s:I,s:I,s:I,s:I,s:f,s:b,s:I,s:I,s:I,s:o}", "recall_target", recall,
		      "confidence", confidence, "population", (json_int_t)s.population,
		      "screened", (json_int_t)s.n, "screened_in_priority_order", (json_int_t)s.priority,
		      "includes_found", (json_int_t)r.found, "p", r.p, "met", r.p < 1 - confidence,
		      "tail", (json_int_t)r.tail, "tail_includes", (json_int_t)r.tail_found,
		      "k_h0", (json_int_t)r.k_h0, "sample", sample);
	if (!o)
		return lsr_error_oom();
	*out = o;
	return 0;
}

int screen_stop(struct lsr_db *db, double recall, double confidence, int use_sample,
		json_t **out)
{
	static const char sql_stop[] =
		"INSERT INTO screen_stops(method, recall, confidence, p, population, screened, found,"
		" excluded, reason, at, actor) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10)";
	json_t *st_json = NULL, *sample;
	struct buf reason = BUF_INIT;
	char now[CLOCK_ISO_LEN];
	int64_t stop_id, excluded = 0;
	double p;
	int met, rc;
	sqlite3_stmt *st;

	*out = NULL;
	if ((rc = screen_stopping_json(db, recall, confidence, &st_json)) < 0)
		return rc;
	sample = json_object_get(st_json, "sample");
	if (use_sample) {
		if (!json_is_object(sample) || json_is_null(json_object_get(sample, "p"))) {
			rc = lsr_error_set(LSR_ERROR, "stopping rule not applied: %s",
					   json_is_object(sample)
						   ? "the stopping sample is not screened to the end yet"
						   : "no stopping sample was drawn (lsr screen batch --stopping-sample N)");
			goto out;
		}
		p = json_real_value(json_object_get(sample, "p"));
	} else {
		p = json_real_value(json_object_get(st_json, "p"));
	}
	met = p < 1 - confidence;
	if (!met) {
		rc = lsr_error_set(LSR_ERROR,
				   "stopping rule not met: p = %.4g is not below %.4g (recall >= %g%%, %lld of %lld citations screened, %lld includes found)",
				   p, 1 - confidence, recall * 100,
				   (long long)json_integer_value(json_object_get(st_json, "screened")),
				   (long long)json_integer_value(json_object_get(st_json, "population")),
				   (long long)json_integer_value(json_object_get(st_json, "includes_found")));
		goto out;
	}
	if (buf_printf(&reason, "not screened: stopping rule (recall \u2265 %g%%, p = %.3g)",
		       recall * 100, p) < 0) {
		rc = lsr_error_oom();
		goto out;
	}
	if ((rc = db_txn_begin(db)) < 0)
		goto out;
	if (!(st = db_prepare(db, sql_stop))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	clock_now_iso(now);
	db_bind_text(st, 1, use_sample ? "sample" : "ranked");
	sqlite3_bind_double(st, 2, recall);
	sqlite3_bind_double(st, 3, confidence);
	sqlite3_bind_double(st, 4, p);
	sqlite3_bind_int64(st, 5, json_integer_value(json_object_get(st_json, "population")));
	sqlite3_bind_int64(st, 6, json_integer_value(json_object_get(st_json, "screened")));
	sqlite3_bind_int64(st, 7, json_integer_value(json_object_get(st_json, "includes_found")));
	db_bind_text(st, 8, reason.s);
	db_bind_text(st, 9, now);
	db_bind_text(st, 10, db_actor());
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	stop_id = db_last_id(db);
	/* the citations nobody has decided at title-abstract */
	if (!(st = db_prepare(db,
		"INSERT INTO screen_stop_citations(stop_id, citation_id)"
		" SELECT ?1, t.citation_id FROM screen_ta_status t WHERE t.status = 'pending'"
		" AND NOT EXISTS (SELECT 1 FROM screen_decisions d WHERE d.citation_id = t.citation_id"
		"   AND d.stage = 'title-abstract')"))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	sqlite3_bind_int64(st, 1, stop_id);
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	excluded = sqlite3_changes(db_handle(db));
	if (!(st = db_prepare(db, "UPDATE screen_stops SET excluded = ?2 WHERE id = ?1"))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	sqlite3_bind_int64(st, 1, stop_id);
	sqlite3_bind_int64(st, 2, excluded);
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	rc = scr_audit(db, "screen-stop", "stop", stop_id,
		       json_pack("{s:s,s:f,s:f,s:f,s:I}", "method", use_sample ? "sample" : "ranked",
				 "recall", recall, "confidence", confidence, "p", p,
				 "excluded", (json_int_t)excluded));
	if (rc < 0)
		goto fail;
	if ((rc = db_txn_commit(db)) < 0)
		goto out;
	json_object_set_new(st_json, "stop", json_integer(stop_id));
	json_object_set_new(st_json, "method", json_string(use_sample ? "sample" : "ranked"));
	json_object_set_new(st_json, "excluded", json_integer(excluded));
	json_object_set_new(st_json, "reason", json_string(reason.s));
	*out = st_json;
	st_json = NULL;
	goto out;
fail:
	db_txn_rollback(db);
out:
	json_decref(st_json);
	buf_release(&reason);
	return rc;
}

struct stops_walk {
	int (*fn)(const struct screen_stop_row *s, void *payload);
	void *payload;
};

static int stop_row(sqlite3_stmt *st, void *payload)
{
	struct stops_walk *w = payload;
	struct screen_stop_row s = {
		sqlite3_column_int64(st, 0), db_rows_text(st, 1), sqlite3_column_double(st, 2),
		sqlite3_column_double(st, 3), sqlite3_column_double(st, 4),
		sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
		sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8), db_rows_text(st, 9),
	};

	return w->fn(&s, w->payload);
}

int screen_stops_each(struct lsr_db *db,
		      int (*fn)(const struct screen_stop_row *s, void *payload), void *payload)
{
	struct stops_walk w = { fn, payload };

	return db_rows_each(db,
		"SELECT id, method, recall, confidence, p, population, screened, found, excluded, at"
		" FROM screen_stops ORDER BY id", 0, stop_row, &w);
}

/* ---- the random stopping sample ----------------------------------------- */

int screen_ranking_sample(struct screen_ranking *out, struct lsr_db *db, uint64_t seed)
{
	struct work w;
	struct seq s;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	out->kind = SCREEN_RANKING_SAMPLE;
	/* every pending citation, in the seed's random order (no rule
	 * suggestions: a sample must be uniform) */
	if ((rc = rset_load(&w.set, db, "", NULL, TEXTS_NONE, 0)) < 0)
		return rc;
	if ((rc = seq_load(&s, db, NULL, NULL)) < 0) {
		work_release(&w);
		return rc;
	}
	w.order = malloc((w.set.n ? w.set.n : 1) * sizeof(*w.order));
	w.scores = malloc((w.set.n ? w.set.n : 1) * sizeof(*w.scores));
	if (!w.order || !w.scores) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < w.set.n; i++) {
		w.set.sugg[i] = 0;
		w.scores[i] = NAN;
	}
	if ((rc = prior_order(&w, seed)) < 0)
		goto out;
	if ((rc = ranking_from(out, &w, "random-sample")) < 0)
		goto out;
	/* found and screened before the sample, for the test */
	out->includes = 0;
	for (size_t i = 0; i < s.n; i++)
		out->includes += s.v[i];
	out->labelled = s.n;
out:
	free(s.v);
	work_release(&w);
	if (rc < 0)
		screen_ranking_release(out);
	return rc;
}

/* ---- explain and the server's next citation ------------------------------ */

int screen_rank_json(struct lsr_db *db, const struct protocol *p, const char *reviewer,
		     uint64_t seed, int64_t explain, size_t top, json_t **out,
		     const struct lsr_progress *progress)
{
	struct screen_ranking r;
	struct work w;
	json_t *o = NULL, *items;
	int rc;

	*out = NULL;
	/* the work stays for --explain: the model that made the order */
	if ((rc = ranking_make(&r, &w, db, p, reviewer, seed, explain, progress)) < 0)
		return rc;
	o = json_pack("{s:i,s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:I}", "schema_version", 1,
		      "ranking", (json_int_t)r.id, "reviewer", reviewer, "model", r.model,
		      "library", rank_library_version(), "seed", (json_int_t)seed,
		      "labelled", (json_int_t)r.labelled, "includes", (json_int_t)r.includes,
		      "candidates", (json_int_t)r.n);
	items = json_array();
	if (!o || !items || json_object_set_new(o, "inputs_hash", json_string(r.inputs_hash)) < 0 ||
	    json_object_set_new(o, "order", items) < 0) {
		json_decref(items);
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t k = 0; k < r.n && k < top; k++)
		json_array_append_new(items, json_pack("{s:I,s:I,s:o}", "position", (json_int_t)k + 1,
						       "id", (json_int_t)r.ids[k], "score",
						       isnan(r.scores[k]) ? json_null() : json_real(r.scores[k])));
	if (explain) {
		struct rank_term *t = NULL;
		json_t *up = json_array(), *down = json_array(), *e;
		size_t nt = 0, row = 0;
		uint64_t pos;
		int found = 0, by_title = 0;
		double bias = 0;

		for (size_t i = 0; i < w.set.n && !found; i++)
			if (w.set.ids[i] == explain)
				row = i, found = 1;
		if (!found) {
			rc = lsr_error_set(LSR_ENOTFOUND, "citation %lld is not a live citation",
					   (long long)explain);
		} else if (w.model) {
			struct rank_text d = { w.set.title[row], w.set.abstract[row],
					       w.set.keywords[row] };
			size_t local;

			/* a row without an abstract: the mean with the title model */
			if (rank_title_model_row(&w.title, row, &local)) {
				by_title = 1;
				rc = rank_explain_mean(&t, &nt, &bias, w.model, w.feats, row, &w.title,
						       local, &d, &w.fo, RANK_TITLE_WEIGHT);
			} else {
				rc = rank_explain(&t, &nt, w.model, w.feats, row, &d, &w.fo);
			}
		}
		for (size_t k = 0; k < nt; k++) {
			json_t *x = json_pack("{s:s,s:f,s:f}", "term", t[k].term, "tf_idf", t[k].weight,
					      "contribution", t[k].contrib);

			if (t[k].contrib > 0)
				json_array_append_new(up, x);
			else if (t[k].contrib < 0)
				json_array_insert_new(down, 0, x);
			else
				json_decref(x);
		}
		rank_terms_free(t, nt);
		e = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o}", "id", (json_int_t)explain,
			      "score", found && w.model ? json_real(w.scores[row]) : json_null(),
			      "model", !w.model ? json_null()
					 : json_string(by_title ? "mean" : "full"),
			      "bias", !w.model ? json_null()
					       : json_real(by_title ? bias : rank_model_bias(w.model)),
			      "position", screen_ranking_key(&r, explain, &pos) == 0
						  ? json_integer((json_int_t)pos + 1) : json_null(),
			      "label", found && (w.set.label[row] == 0 || w.set.label[row] == 1)
					       ? json_integer(w.set.label[row]) : json_null(),
			      "title", found && w.set.title[row] ? w.set.title[row] : "",
			      "up", up, "down", down);
		if (rc < 0) {
			json_decref(e);
			goto out;
		}
		json_object_set_new(o, "explain", e);
	}
	*out = o;
	o = NULL;
out:
	json_decref(o);
	screen_ranking_release(&r);
	work_release(&w);
	return rc;
}

/* The latest ranking of reviewer: *id (0: none) and the decisions then. */
static int last_ranking(struct lsr_db *db, const char *reviewer, int64_t *id, int64_t *then)
{
	static const char sql[] =
		"SELECT id, decisions FROM screen_rankings WHERE reviewer = ?1"
		" AND stage = 'title-abstract' ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	*id = 0;
	*then = 0;
	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, reviewer);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*then = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}

/* The first citation of ranking's head still pending and not decided by
 * reviewer (0: none), through the status view: one evaluation of the
 * view over the whole review. */
static int next_from_view(struct lsr_db *db, int64_t ranking, const char *reviewer, int64_t *out)
{
	static const char sql[] =
		"SELECT i.citation_id FROM screen_ranking_items i"
		" JOIN screen_ta_status t ON t.citation_id = i.citation_id AND t.status = 'pending'"
		" WHERE i.ranking_id = ?1"
		" AND NOT EXISTS (SELECT 1 FROM screen_decisions d WHERE d.citation_id = i.citation_id"
		"   AND d.stage = 'title-abstract' AND d.reviewer = ?2)"
		" ORDER BY i.position LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	*out = 0;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, ranking);
	db_bind_text(st, 2, reviewer);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}

/*
 * The same answer as next_from_view, by keyed look-ups of each head
 * citation in position order.  A citation without any title-abstract
 * decision or flag has no row in screen_decided at that stage, so its
 * status is settled by what the keys show: pending unless a rule or a
 * stop excludes it, and in the view at all only while live (0006's
 * citation_updates: a member record kept by deduplication, of a run with
 * its update).  reviewer's own decision rules a citation out.  The first
 * citation some other decision or flag touches needs the view's vote
 * counting: from there on, next_from_view answers for the whole head
 * (every citation before it is settled as not pending, as the view would
 * have found).  A ranking is usually asked for before colleagues reach
 * its head, so the view is seldom evaluated.
 */
static int next_from(struct lsr_db *db, int64_t ranking, const char *reviewer, int64_t *out)
{
	static const char sql[] =
		"SELECT i.citation_id,"
		" EXISTS (SELECT 1 FROM screen_decisions d WHERE d.citation_id = i.citation_id"
		"   AND d.stage = 'title-abstract' AND d.reviewer = ?2),"
		" EXISTS (SELECT 1 FROM screen_decisions d WHERE d.citation_id = i.citation_id"
		"   AND d.stage = 'title-abstract')"
		" OR EXISTS (SELECT 1 FROM screen_flags f WHERE f.citation_id = i.citation_id"
		"   AND f.stage = 'title-abstract'),"
		" EXISTS (SELECT 1 FROM screen_auto_exclusions a WHERE a.citation_id = i.citation_id)"
		" OR EXISTS (SELECT 1 FROM screen_stop_citations s WHERE s.citation_id = i.citation_id),"
		" EXISTS (SELECT 1 FROM citation_members m JOIN dedup_records r ON r.id = m.record_id"
		"   JOIN run_updates ru ON ru.run_id = r.run_id WHERE m.citation_id = i.citation_id)"
		" FROM screen_ranking_items i WHERE i.ranking_id = ?1 ORDER BY i.position";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step, touched = 0;

	*out = 0;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, ranking);
	db_bind_text(st, 2, reviewer);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 1))
			continue;              /* reviewer decided it */
		if (sqlite3_column_int(st, 2)) {
			touched = 1;           /* others' votes: the view decides */
			break;
		}
		if (sqlite3_column_int(st, 3) || !sqlite3_column_int(st, 4))
			continue;              /* excluded by a rule or a stop, or gone */
		*out = sqlite3_column_int64(st, 0);
		break;
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_error(db, sql);
	return touched ? next_from_view(db, ranking, reviewer, out) : 0;
}

/* A new ranking: *id, and *first its first citation (0: none) -- the
 * order holds only citations pending that reviewer has not decided, so
 * its head needs no look-up. */
static int rank_again(struct lsr_db *db, const struct protocol *p, const char *reviewer,
		      uint64_t seed, int64_t *id, int64_t *first)
{
	struct screen_ranking r;
	int rc = screen_ranking_make(&r, db, p, reviewer, seed, NULL);

	*id = r.id;
	*first = rc == 0 && r.n ? r.ids[0] : 0;
	screen_ranking_release(&r);
	return rc;
}

int screen_rank_next(struct lsr_db *db, const struct protocol *p, const char *reviewer,
		     uint64_t seed, int64_t *out_citation, int64_t *out_ranking)
{
	int64_t ranking, then, now;
	int every = p ? p->priority.retrain_every : 10, fresh = 0, rc;

	*out_citation = 0;
	*out_ranking = 0;
	if ((rc = decisions_count(db, reviewer, &now)) < 0 ||
	    (rc = last_ranking(db, reviewer, &ranking, &then)) < 0)
		return rc;
	if (!ranking || now - then >= every) {
		if ((rc = rank_again(db, p, reviewer, seed, &ranking, out_citation)) < 0)
			return rc;
		fresh = 1;
	} else if ((rc = next_from(db, ranking, reviewer, out_citation)) < 0) {
		return rc;
	}
	if (!*out_citation && !fresh) {
		/* the head is used up: rank again */
		if ((rc = rank_again(db, p, reviewer, seed, &ranking, out_citation)) < 0)
			return rc;
	}
	if (!*out_citation)
		return LSR_ENOTFOUND;
	*out_ranking = ranking;
	return 0;
}

int screen_rank_handout(struct lsr_db *db, int64_t ranking, int64_t citation,
			const char *reviewer)
{
	static const char sql[] =
		"INSERT INTO screen_rank_handouts(citation_id, reviewer, kind, ranking_id, position,"
		" score, batch_id, at) SELECT ?2, ?3, 'priority', ?1, i.position, i.score, NULL, ?4"
		" FROM screen_ranking_items i WHERE i.ranking_id = ?1 AND i.citation_id = ?2";
	sqlite3_stmt *st = db_prepare(db, sql);
	char now[CLOCK_ISO_LEN];
	int rc;

	if (!st)
		return lsr_error_last_code();
	clock_now_iso(now);
	sqlite3_bind_int64(st, 1, ranking);
	sqlite3_bind_int64(st, 2, citation);
	db_bind_text(st, 3, reviewer);
	db_bind_text(st, 4, now);
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	if (sqlite3_changes(db_handle(db)) == 0)
		return lsr_error_set(LSR_ENOTFOUND, "citation %lld is not in the head of ranking %lld",
				     (long long)citation, (long long)ranking);
	return 0;
}
