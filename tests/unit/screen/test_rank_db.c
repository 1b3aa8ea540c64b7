/*
 * test_rank_db.c - screen/rank_db.c: the titles and abstracts a ranking
 * reads for every citation in one pass over the members (texts_load) are
 * the ones the citation_metadata view gives: the representative record's
 * title, else the first member's that has one; the longest abstract in
 * characters (not bytes), the lowest record id on a tie.  A review of
 * merged duplicates with titles and abstracts missing, empty, multi-byte
 * and of equal lengths, read both ways.  The keywords and MeSH a ranking
 * joins per citation (keywords_read, keywords_join: jansson) are the ones SQLite's own
 * json_each reads: distinct across fields and members, in byte order,
 * values that are not strings and empty arrays left out.  The stopping
 * rule's sequence in the order of the first decisions (seq_load).
 *
 * The file under test is compiled in here, so that the test can call its
 * private loader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screen/rank_db.c"
#include "util/progress.h"
#include "db/db.h"
#include "db/record.h"
#include "screen/screen.h"
#include "tests/unit/testdb.h"

#define NGROUP 60

static char dbpath[64];

/* group g's member k: an abstract whose byte and character lengths order
 * differently (e-acute is two bytes), some equal in characters, some
 * missing or empty; titles missing now and then */
static void member(struct lsr_record *r, int g, int k)
{
	static const char *const abs[] = {
		"short", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "abcdefgh", "abcdefg",
		"", NULL, "same len", "SAME LEN",
	};
	const char *a = abs[(g * 3 + k * 5) % 8];

	record_init(r);
	if ((g + k) % 4 != 1)
		buf_printf(&r->title, "Title of group %d, record %d", g, k);
	if (a && *a)
		buf_printf(&r->abstract, "%s %d", a, g % 3);
	else if (a)
		buf_adds(&r->abstract, "");
	/* keywords and MeSH, repeated across fields and members, some
	 * multi-byte (byte order), some groups without any */
	if (g % 5 != 0) {
		char w[32];

		snprintf(w, sizeof(w), "kw %d", g % 7);
		strv_push(&r->keywords, w);
		strv_push(&r->keywords, "Shared");
		strv_push(&r->mesh, "Shared");
		snprintf(w, sizeof(w), "\xc3\x89tude %d", k);
		strv_push(&r->mesh, w);
		if (k == 1)
			strv_push(&r->keywords, "Aardvark");
	}
	buf_printf(&r->doi, "10.1000/rankdb.%d", g);
	r->year = 2000 + g % 20;
}

static struct lsr_db *review_make(void)
{
	struct screen_dedup_result res;
	struct lsr_db *db = testdb_open(dbpath, sizeof(dbpath), "rank-db");
	uint64_t pos = 0;

	assert_int_equal(db_exec(db, "INSERT INTO sources(name, created_at) VALUES('S', 'now');"
				     "INSERT INTO runs(source_id, kind, started_at, actor)"
				     " VALUES(1, 'import', 'now', 't')"), 0);
	for (int g = 0; g < NGROUP; g++)
		for (int k = 0; k < 1 + g % 4; k++) {
			struct lsr_record r;

			member(&r, g, k);
			assert_int_equal(record_finish(&r), 0);
			assert_int_equal(db_record_insert(db, 1, ++pos, &r, NULL), 0);
			record_release(&r);
		}
	assert_int_equal(screen_dedup_run(db, NULL, &res), 0);
	return db;
}

static void review_free(struct lsr_db *db)
{
	testdb_close(db, dbpath);
}

static int same_text(const char *a, const unsigned char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, (const char *)b));
}

/* Citation id's keywords and MeSH as SQLite's own JSON reading gives them:
 * distinct, in byte order, joined by "; " (NULL: none). */
static char *keywords_by_sql(struct lsr_db *db, int64_t id)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT j.value FROM citation_members cm JOIN dedup_records r ON r.id = cm.record_id,"
		" json_each(r.keywords) j WHERE cm.citation_id = ?1 AND j.type = 'text'"
		" UNION SELECT j.value FROM citation_members cm JOIN dedup_records r"
		" ON r.id = cm.record_id, json_each(r.mesh) j WHERE cm.citation_id = ?1"
		" AND j.type = 'text' ORDER BY 1");
	struct buf b = BUF_INIT;
	char *out = NULL;

	assert_non_null(st);
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		assert_int_equal(buf_printf(&b, "%s%s", b.len ? "; " : "",
					    (const char *)sqlite3_column_text(st, 0)), 0);
	sqlite3_reset(st);
	if (b.len)
		out = strdup(b.s);
	buf_release(&b);
	return out;
}

/* every citation of the set against the view */
static void compare(struct lsr_db *db, size_t *merged, size_t *kw_seen)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT m.id, m.title, m.abstract, "
					  "(SELECT count(*) FROM citation_members cm WHERE cm.citation_id = m.id)"
					  " FROM citation_metadata m ORDER BY m.id");
	struct rset s;
	size_t i = 0;

	assert_int_equal(rset_load(&s, db, "nobody", NULL, TEXTS_ALL, 0), 0);
	assert_non_null(st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(i < s.n);
		assert_int_equal(s.ids[i], sqlite3_column_int64(st, 0));
		if (!same_text(s.title[i], sqlite3_column_text(st, 1)))
			fail_msg("citation %lld: title '%s', the view's '%s'", (long long)s.ids[i],
				 s.title[i] ? s.title[i] : "(null)",
				 sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "(null)");
		if (!same_text(s.abstract[i], sqlite3_column_text(st, 2)))
			fail_msg("citation %lld: abstract '%s', the view's '%s'", (long long)s.ids[i],
				 s.abstract[i] ? s.abstract[i] : "(null)",
				 sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "(null)");
		{
			char *kw = keywords_by_sql(db, s.ids[i]);

			if (!same_text(kw, (const unsigned char *)s.keywords[i]))
				fail_msg("citation %lld: keywords '%s', SQLite's '%s'", (long long)s.ids[i],
					 s.keywords[i] ? s.keywords[i] : "(null)", kw ? kw : "(null)");
			*kw_seen += kw != NULL;
			free(kw);
		}
		*merged += sqlite3_column_int(st, 3) > 1;
		i++;
	}
	sqlite3_reset(st);
	assert_int_equal(i, s.n);
	rset_release(&s);
}

static void test_rank_db__texts_as_the_view(void **state)
{
	struct lsr_db *db = review_make();
	size_t merged = 0, kw = 0, none;

	(void)state;
	compare(db, &merged, &kw);
	/* the duplicates were merged: groups of 2 to 4 records */
	assert_true(merged >= NGROUP / 2);
	/* keywords on most citations, none on every fifth group */
	assert_true(kw >= NGROUP / 2 && kw < NGROUP);
	/* a record whose keywords are empty or not strings, another's MeSH
	 * with more: the same strings both ways */
	assert_int_equal(db_exec(db, "UPDATE records SET keywords = '[]' WHERE id % 4 = 0;"
				     "UPDATE records SET mesh = '[1, \"Zeta\", null, \"Shared\"]'"
				     " WHERE id % 4 = 1"), 0);
	none = kw;
	kw = 0;
	merged = 0;
	compare(db, &merged, &kw);
	assert_true(kw >= none);
	/* representatives without a title: the first member's that has one */
	assert_int_equal(db_exec(db, "UPDATE records SET title = NULL WHERE id IN"
				     " (SELECT representative_id FROM citations WHERE id % 3 = 0)"), 0);
	/* a member with a longer abstract than any (in characters, not bytes) */
	assert_int_equal(db_exec(db, "UPDATE records SET abstract = 'z\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9'"
				     " WHERE id IN (SELECT max(record_id) FROM citation_members GROUP BY citation_id"
				     " HAVING count(*) > 2)"), 0);
	merged = 0;
	compare(db, &merged, &kw);
	review_free(db);
}

/* Read lean after a ranking's features filled the cache: every text
 * hashed as when read whole, only the abstracts the cache lacks (and
 * keep's) held, and only the keywords of those rows, of the rows without
 * an abstract and of the labelled ones joined; a changed abstract or
 * changed keywords are held again.  The keywords left are joined on
 * demand (rset_keywords) as when read whole. */
static void lean_against_all(struct lsr_db *db, int64_t keep, int64_t changed)
{
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct rset all, lean;
	size_t kept = 0, kw_left = 0;
	signed char *train;

	assert_int_equal(rset_load(&all, db, "nobody", &o, TEXTS_ALL, 0), 0);
	assert_int_equal(rset_load(&lean, db, "nobody", &o, TEXTS_LEAN, keep), 0);
	assert_int_equal(all.n, lean.n);
	assert_null(all.kwoff); /* read whole: the sources let go */
	for (size_t i = 0; i < all.n; i++) {
		int want = all.abstract[i] && (all.ids[i] == keep || all.ids[i] == changed);
		int kw_want = !lean.dropped[i] || lean.label[i] == 0 || lean.label[i] == 1;

		assert_int_equal(all.ids[i], lean.ids[i]);
		assert_true(all.th[i] == lean.th[i]);
		assert_int_equal(all.noabs[i], lean.noabs[i]);
		assert_int_equal(all.noabs[i],
				 !rank_text_has_abstract(&(struct rank_text){ NULL, all.abstract[i], NULL }));
		assert_true(same_text(all.title[i], (const unsigned char *)lean.title[i]));
		assert_int_equal(lean.kwdone[i], kw_want);
		if (kw_want)
			assert_true(same_text(all.keywords[i], (const unsigned char *)lean.keywords[i]));
		else
			assert_null(lean.keywords[i]);
		kw_left += !kw_want && all.keywords[i];
		assert_int_equal(all.dropped[i], 0);
		assert_int_equal(lean.dropped[i], all.abstract[i] && !want);
		if (want)
			assert_string_equal(all.abstract[i], lean.abstract[i]);
		else
			assert_null(lean.abstract[i]);
		kept += lean.abstract[i] != NULL;
	}
	assert_true(kept >= 1 && kept <= 2);
	/* most rows' keywords were not parsed */
	assert_true(kw_left >= all.n / 3);
	/* a model's training rows: joined from the sources, as read whole */
	train = malloc(lean.n);
	assert_non_null(train);
	for (size_t i = 0; i < lean.n; i++)
		train[i] = (signed char)(i % 2 ? 0 : -1);
	assert_int_equal(rset_keywords(&lean, train, NULL), 0);
	for (size_t i = 0; i < lean.n; i++) {
		assert_int_equal(lean.kwdone[i], i % 2 || !lean.dropped[i]);
		if (lean.kwdone[i])
			assert_true(same_text(all.keywords[i], (const unsigned char *)lean.keywords[i]));
	}
	free(train);
	rset_release(&all);
	rset_release(&lean);
}

static void test_rank_db__lean_texts(void **state)
{
	struct lsr_db *db = review_make();
	struct rank_feats *f = NULL;
	struct rank_text *docs;
	struct rset all;
	int64_t keep, changed;

	(void)state;
	assert_int_equal(rset_load(&all, db, "nobody", NULL, TEXTS_ALL, 0), 0);
	docs = calloc(all.n, sizeof(*docs));
	assert_non_null(docs);
	for (size_t i = 0; i < all.n; i++) {
		docs[i] = (struct rank_text){ all.title[i], all.abstract[i], all.keywords[i] };
		/* keyed by the keywords' sources, not their joined text */
		assert_true(all.th[i] != rank_cache_text_hash(&docs[i]));
	}
	assert_int_equal(rank_cache_feats_hashed(&f, NULL, db, all.ids, all.th, docs, NULL, all.n,
						 NULL, 1, NULL), 0);
	rank_feats_free(f);
	keep = all.ids[all.n / 2];
	changed = all.ids[all.n / 3];
	free(docs);
	rset_release(&all);

	lean_against_all(db, keep, 0);
	/* its members' abstracts change: that citation's row is stale */
	{
		char sql[256];

		snprintf(sql, sizeof(sql), "UPDATE records SET abstract = 'a new and longer abstract'"
			 " WHERE id IN (SELECT record_id FROM citation_members WHERE citation_id = %lld)",
			 (long long)changed);
		assert_int_equal(db_exec(db, sql), 0);
	}
	lean_against_all(db, keep, changed);
	/* refill the cache (a ranking), then change only its members' MeSH:
	 * that citation's row is stale again */
	{
		char sql[256];
		struct rset all2;

		assert_int_equal(rset_load(&all2, db, "nobody", NULL, TEXTS_ALL, 0), 0);
		docs = calloc(all2.n, sizeof(*docs));
		assert_non_null(docs);
		for (size_t i = 0; i < all2.n; i++)
			docs[i] = (struct rank_text){ all2.title[i], all2.abstract[i], all2.keywords[i] };
		assert_int_equal(rank_cache_feats_hashed(&f, NULL, db, all2.ids, all2.th, docs, NULL,
							 all2.n, NULL, 1, NULL), 0);
		rank_feats_free(f);
		free(docs);
		rset_release(&all2);
		snprintf(sql, sizeof(sql), "UPDATE records SET mesh = '[\"A new heading\"]'"
			 " WHERE id IN (SELECT record_id FROM citation_members WHERE citation_id = %lld)",
			 (long long)changed);
		assert_int_equal(db_exec(db, sql), 0);
	}
	lean_against_all(db, keep, changed);
	review_free(db);
}

/* Each SELECT a ranking's load runs, and how many ran outside a
 * transaction (sqlite3_trace_v2's statement hook). */
struct txn_watch {
	sqlite3 *h;
	int selects, outside;
};

static int on_stmt(unsigned type, void *ctx, void *p, void *x)
{
	struct txn_watch *w = ctx;
	const char *sql = sqlite3_sql(p);

	(void)type;
	(void)x;
	if (sql && !strncmp(sql, "SELECT", 6)) {
		w->selects++;
		w->outside += sqlite3_get_autocommit(w->h) != 0;
	}
	return 0;
}

/* The labels, keywords, the cache's hashes and the texts are read in one
 * read transaction (one state of the review), which is over after; inside
 * a caller's transaction none is begun. */
static void test_rank_db__one_snapshot(void **state)
{
	struct lsr_db *db = review_make();
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct txn_watch w = { db_handle(db), 0, 0 };
	struct rset s;

	(void)state;
	sqlite3_trace_v2(w.h, SQLITE_TRACE_STMT, on_stmt, &w);
	assert_int_equal(rset_load(&s, db, "nobody", &o, TEXTS_LEAN, 0), 0);
	assert_true(w.selects >= 4);
	assert_int_equal(w.outside, 0);
	assert_int_not_equal(sqlite3_get_autocommit(w.h), 0);
	rset_release(&s);
	/* inside the caller's transaction: read there, left open */
	assert_int_equal(db_txn_begin(db), 0);
	assert_int_equal(rset_load(&s, db, "nobody", &o, TEXTS_ALL, 0), 0);
	assert_int_equal(sqlite3_get_autocommit(w.h), 0);
	assert_int_equal(db_txn_commit(db), 0);
	rset_release(&s);
	sqlite3_trace_v2(w.h, 0, NULL, NULL);
	review_free(db);
}

/* What a ranking's load reported (progress). */
struct heard {
	int labels, keywords, texts, cache, weighing;
	int bad;   /* a report past its total, or of another unit */
};

static void hear(void *payload, const char *what, uint64_t done, uint64_t total, const char *unit)
{
	struct heard *h = payload;

	/* a phase is named without counts */
	h->bad |= *unit ? (total && done > total) || strcmp(unit, "citations") : done || total;
	h->weighing += !strcmp(what, "ranking: weighing the features") && !*unit;
	h->labels += !strcmp(what, "ranking: reading the labels");
	h->keywords += !strcmp(what, "ranking: reading the keywords");
	h->texts += !strcmp(what, "ranking: reading the texts");
	h->cache += !strcmp(what, "ranking: reading the feature cache");
}

/* A ranking's reads report their progress (lsr screen rank draws it on a
 * terminal): the labels, keywords, texts and the feature cache; the
 * weighing is named as a phase, once per ranking. */
static void test_rank_db__progress(void **state)
{
	struct lsr_db *db = review_make();
	struct heard h = { 0, 0, 0, 0, 0, 0 };
	struct lsr_progress pr = { hear, &h };
	struct rank_feat_opts o = RANK_FEAT_OPTS_INIT;
	struct rank_feats *f = NULL;
	struct rank_text *docs;
	struct rset s;

	(void)state;
	assert_int_equal(rset_load_p(&s, db, "nobody", &o, TEXTS_ALL, 0, &pr), 0);
	assert_true(h.labels >= 1 && h.keywords >= 1 && h.texts >= 1);
	docs = calloc(s.n, sizeof(*docs));
	assert_non_null(docs);
	for (size_t i = 0; i < s.n; i++)
		docs[i] = (struct rank_text){ s.title[i], s.abstract[i], s.keywords[i] };
	/* the first fills the cache, the second reads it */
	for (int k = 0; k < 2; k++) {
		assert_int_equal(rank_cache_feats_hashed(&f, NULL, db, s.ids, s.th, docs, NULL, s.n,
							 &o, 1, &pr), 0);
		rank_feats_free(f);
		f = NULL;
	}
	assert_true(h.cache >= 1);
	assert_int_equal(h.weighing, 2);
	assert_false(h.bad);
	rank_feats_free(f);
	free(docs);
	rset_release(&s);
	review_free(db);
}

/* Keywords that are not JSON: the load fails naming the citation, and
 * leaves nothing loaded (and no transaction open). */
static void test_rank_db__bad_keywords(void **state)
{
	struct lsr_db *db = review_make();
	struct rset s;
	int64_t cid = 0;
	char want[64];

	(void)state;
	assert_int_equal(db_query_int(db, &cid, "SELECT min(citation_id) FROM citation_members"), 0);
	{
		char sql[160];

		snprintf(sql, sizeof(sql), "UPDATE records SET keywords = '[\"unclosed'"
			 " WHERE id IN (SELECT record_id FROM citation_members WHERE citation_id = %lld)",
			 (long long)cid);
		assert_int_equal(db_exec(db, sql), 0);
	}
	assert_int_equal(rset_load(&s, db, "nobody", NULL, TEXTS_ALL, 0), LSR_EPARSE);
	snprintf(want, sizeof(want), "citation %lld: ", (long long)cid);
	assert_non_null(strstr(lsr_error_last(), want));
	assert_non_null(strstr(lsr_error_last(), "not JSON"));
	assert_int_equal(s.n, 0);
	assert_int_not_equal(sqlite3_get_autocommit(db_handle(db)), 0);
	review_free(db);
}

/*
 * The stopping rule's sequence (seq_load): the citations with a human
 * status in the order of their first decision, not of their ids.  Twenty
 * citations resolved from the highest id down, the includes all among the
 * first eight decided, one of them decided again last: the p-value and the
 * tail are stop_ranked_p's on that order (in id order the includes would
 * come last and p would be 1).
 */
static void test_rank_db__stopping_sequence(void **state)
{
	struct lsr_db *db = review_make();
	unsigned char want[20];
	struct stop_result r;
	int64_t ids[20], population = 0;
	json_t *o;
	sqlite3_stmt *st;
	int n = 0;

	(void)state;
	st = db_prepare(db, "SELECT citation_id FROM citation_updates ORDER BY citation_id DESC"
			    " LIMIT 20");
	assert_non_null(st);
	while (sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	assert_int_equal(n, 20);
	assert_int_equal(db_query_int(db, &population, "SELECT count(*) FROM citation_updates"), 0);
	for (int i = 0; i <= n; i++) {
		/* the last round decides the first citation again */
		int j = i < n ? i : 0, inc = j < 8 && j % 2 == 0;
		char sql[256];

		want[j] = (unsigned char)inc;
		snprintf(sql, sizeof(sql),
			 "INSERT INTO screen_decisions(citation_id, stage, kind, reviewer, verdict,"
			 " at, actor) VALUES(%lld, 'title-abstract', 'resolution', 'lead', '%s',"
			 " 'now', 't')", (long long)ids[j], inc ? "include" : "exclude");
		assert_int_equal(db_exec(db, sql), 0);
	}
	assert_int_equal(stop_ranked_p(&r, want, 20, (size_t)population, 0.8), 0);
	assert_true(r.p < 1);
	assert_int_equal(screen_stopping_json(db, 0.8, 0.95, &o), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "screened")), 20);
	assert_int_equal(json_integer_value(json_object_get(o, "population")), population);
	assert_int_equal(json_integer_value(json_object_get(o, "includes_found")), 4);
	assert_true(json_real_value(json_object_get(o, "p")) == r.p);
	assert_int_equal(json_integer_value(json_object_get(o, "tail")), r.tail);
	assert_int_equal(json_integer_value(json_object_get(o, "tail_includes")), r.tail_found);
	json_decref(o);
	review_free(db);
}

/* A write by another connection, once, in the middle of a status pass
 * (a progress handler of the reading connection). */
static sqlite3 *other;
static int wrote;
static char write_sql[256];

static int write_once(void *payload)
{
	(void)payload;
	if (!wrote++)
		assert_int_equal(sqlite3_exec(other, write_sql, NULL, NULL, NULL), SQLITE_OK);
	return 0;
}

/*
 * lsr screen status reads the title-abstract status once for its figures
 * and the stopping rule (screen_status_stopping_json): both come out as
 * screen_status_json and screen_stopping_json give them apart, the
 * exclusions in the order of their reasons, then who decided (NULL
 * first), as SQL orders them.  Twelve citations resolved, four reviewed
 * (a second reviewer's vote leaves two in conflict), under four reasons
 * and none.
 */
static void test_rank_db__status_one_pass(void **state)
{
	static const char *const reasons[] = { "'wrong population'", "NULL", "'Wrong design'",
					       "'wrong design'", "'zz'" };
	struct lsr_db *db = review_make();
	json_t *a = NULL, *b = NULL, *sa = NULL, *sb = NULL, *ex;
	sqlite3_stmt *st;
	int64_t ids[16];
	int n = 0;

	(void)state;
	st = db_prepare(db, "SELECT citation_id FROM citation_updates ORDER BY citation_id LIMIT 16");
	assert_non_null(st);
	while (sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	assert_int_equal(n, 16);
	for (int i = 0; i < n; i++) {
		int inc = i % 4 == 0, review = i >= 12;
		char sql[320];

		snprintf(sql, sizeof(sql),
			 "INSERT INTO screen_decisions(citation_id, stage, kind, reviewer, verdict,"
			 " reason, at, actor) VALUES(%lld, 'title-abstract', '%s', '%s', '%s', %s,"
			 " 'now', 't')", (long long)ids[i], review ? "review" : "resolution",
			 review ? "ann" : "lead", inc ? "include" : "exclude",
			 inc ? "NULL" : reasons[i % 5]);
		assert_int_equal(db_exec(db, sql), 0);
		if (review && i % 2) {
			snprintf(sql, sizeof(sql),
				 "INSERT INTO screen_decisions(citation_id, stage, kind, reviewer, verdict,"
				 " at, actor) VALUES(%lld, 'title-abstract', 'review', 'bob', 'include',"
				 " 'now', 't')", (long long)ids[i]);
			assert_int_equal(db_exec(db, sql), 0);
		}
	}
	assert_int_equal(screen_status_json(db, &a), 0);
	assert_int_equal(screen_stopping_json(db, 0.9, 0.95, &sa), 0);
	assert_int_equal(screen_status_stopping_json(db, 0.9, 0.95, &b, &sb), 0);
	assert_true(json_equal(a, b));
	assert_true(json_equal(sa, sb));
	ex = json_object_get(json_object_get(b, "title_abstract"), "exclusions");
	assert_true(json_array_size(ex) >= 4);
	{
		size_t k = 0;

		st = db_prepare(db, "SELECT coalesce(reason, '(none)'), decided_by, count(*)"
				    " FROM screen_ta_status WHERE status = 'excluded' GROUP BY 1, 2"
				    " ORDER BY 1, 2");
		assert_non_null(st);
		while (sqlite3_step(st) == SQLITE_ROW) {
			json_t *x = json_array_get(ex, k++);
			const char *by = (const char *)sqlite3_column_text(st, 1);

			assert_non_null(x);
			assert_string_equal(json_string_value(json_object_get(x, "reason")),
					    (const char *)sqlite3_column_text(st, 0));
			if (by)
				assert_string_equal(json_string_value(json_object_get(x, "decided_by")), by);
			else
				assert_true(json_is_null(json_object_get(x, "decided_by")));
			assert_int_equal(json_integer_value(json_object_get(x, "count")),
					 sqlite3_column_int64(st, 2));
		}
		sqlite3_reset(st);
		assert_int_equal(k, json_array_size(ex));
	}
	assert_int_equal(json_integer_value(json_object_get(json_object_get(b, "title_abstract"),
							    "conflicts")), 2);
	/* bad parameters: nothing given back */
	json_decref(b);
	json_decref(sb);
	b = sb = NULL;
	assert_true(screen_status_stopping_json(db, 1.5, 0.95, &b, &sb) < 0);
	assert_null(b);
	assert_null(sb);
	/* one snapshot, closed after it, on success and on failure; a
	 * caller's transaction left open */
	assert_int_not_equal(sqlite3_get_autocommit(db_handle(db)), 0);
	assert_int_equal(db_exec(db, "BEGIN"), 0);
	assert_int_equal(screen_status_stopping_json(db, 0.9, 0.95, &b, &sb), 0);
	assert_int_equal(sqlite3_get_autocommit(db_handle(db)), 0);
	assert_int_equal(db_exec(db, "ROLLBACK"), 0);
	assert_true(json_equal(a, b));
	json_decref(b);
	json_decref(sb);
	assert_int_equal(screen_status_json(db, &b), 0);
	assert_int_not_equal(sqlite3_get_autocommit(db_handle(db)), 0);
	json_decref(b);
	/* another process includes a citation while the status is read: every
	 * figure is of the review before it (one snapshot), so each citation
	 * included at title-abstract is sought at full text (without the
	 * snapshot the full-text pass, after the write, counts one more) */
	{
		json_int_t inc, sought;

		snprintf(write_sql, sizeof(write_sql),
			 "INSERT INTO screen_decisions(citation_id, stage, kind, reviewer, verdict,"
			 " at, actor) SELECT max(citation_id), 'title-abstract', 'resolution', 'lead',"
			 " 'include', 'now', 't' FROM citation_updates");
		assert_int_equal(sqlite3_open(dbpath, &other), SQLITE_OK);
		sqlite3_busy_timeout(other, 5000);
		wrote = 0;
		sqlite3_progress_handler(db_handle(db), 200, write_once, NULL);
		assert_int_equal(screen_status_stopping_json(db, 0.9, 0.95, &b, &sb), 0);
		sqlite3_progress_handler(db_handle(db), 0, NULL, NULL);
		assert_true(wrote > 0);
		inc = json_integer_value(json_object_get(json_object_get(b, "title_abstract"),
							 "included"));
		sought = json_integer_value(json_object_get(json_object_get(b, "full_text"),
							    "reports_sought"));
		assert_int_equal(inc, sought);
		assert_true(json_equal(json_object_get(a, "title_abstract"),
				       json_object_get(b, "title_abstract")));
		json_decref(b);
		json_decref(sb);
		/* the write is there for the next reader */
		assert_int_equal(screen_status_json(db, &b), 0);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(b, "full_text"),
								    "reports_sought")), sought + 1);
		json_decref(b);
		sqlite3_close(other);
	}
	json_decref(a);
	json_decref(sa);
	review_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_db__texts_as_the_view),
		cmocka_unit_test(test_rank_db__lean_texts),
		cmocka_unit_test(test_rank_db__one_snapshot),
		cmocka_unit_test(test_rank_db__progress),
		cmocka_unit_test(test_rank_db__bad_keywords),
		cmocka_unit_test(test_rank_db__stopping_sequence),
		cmocka_unit_test(test_rank_db__status_one_pass),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
