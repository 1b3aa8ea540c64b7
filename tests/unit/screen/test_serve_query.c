/*
 * test_serve_query.c - screen/serve_query.c: what a reviewer could still be
 * handed (screen_serve_available, the 'remaining' of GET /api/me), a count
 * the hand-out order keeps as the server writes, equals a full recount
 * after every step of a long random sequence: hand-outs, decisions
 * (agreeing and not), the arbiter's resolutions, another process
 * assigning and releasing citations.  Two recounts: the scan of the
 * hand-out order the function made before it kept the count (at every
 * step), and, where the order cannot lag behind the database, a count in
 * the database.  With 1, 2 and 4 reviewers required (4: an entry's
 * reviewers past the three kept in place).
 *
 * The file under test is compiled in here, so that the test can scan the
 * hand-out order it keeps in private.
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

#include "screen/serve_query.c"
#include "db/db.h"
#include "db/protocol.h"
#include "db/record.h"
#include "screen/screen.h"
#include "tests/unit/testdb.h"

#define NCIT 150       /* citations of the review */
#define STEPS 300      /* steps of each sequence */
#define MAXREV 6       /* reviewers taking part (required + 2) */

static char dbpath[64], ypath[64];

static const char *const vocab[] = {
	"asthma", "inhaler", "children", "placebo", "stroke", "aspirin", "reflux", "knee",
	"cartilage", "insulin", "metformin", "cohort", "mortality", "athletes", "smoking",
	"cessation", "vaccine", "influenza", "elderly", "dementia", "exercise", "obesity",
	"surgery", "anaesthesia", "depression", "therapy", "sleep", "apnoea", "hypertension",
	"salt", "vitamin", "fracture",
};
#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))

/* A deterministic generator (the sequence must be the same every run). */
static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

/* A review of NCIT citations, distinct enough never to be merged, and a
 * protocol asking for `required` reviewers. */
static struct lsr_db *review_make(int required, struct protocol **p)
{
	struct screen_dedup_result res;
	struct lsr_db *db = testdb_open(dbpath, sizeof(dbpath), "serve-query");
	unsigned seed = 7;
	FILE *f;

	snprintf(ypath, sizeof(ypath), "/tmp/lsr-serve-query-%d.yaml", (int)getpid());
	assert_int_equal(db_exec(db, "INSERT INTO sources(name, created_at) VALUES('S', 'now');"
				     "INSERT INTO runs(source_id, kind, started_at, actor)"
				     " VALUES(1, 'import', 'now', 't')"), 0);
	for (int i = 0; i < NCIT; i++) {
		struct lsr_record r;
		int64_t id;

		record_init(&r);
		for (int w = 0; w < 9; w++)
			buf_printf(&r.title, "%s%s", w ? " " : "", vocab[rnd(&seed) % NVOCAB]);
		buf_printf(&r.title, " (part %d)", i);
		buf_printf(&r.doi, "10.1000/serve.%d", i);
		r.year = 1990 + i;
		assert_int_equal(record_finish(&r), 0);
		assert_int_equal(db_record_insert(db, 1, (uint64_t)i + 1, &r, &id), 0);
		record_release(&r);
	}
	assert_int_equal(screen_dedup_run(db, NULL, &res), 0);
	assert_non_null(f = fopen(ypath, "w"));
	fprintf(f, "lsr_protocol: 1\ntitle: serve query test\nsources:\n  - name: S\n"
		"screening:\n  reviewers: %d\n  reasons:\n"
		"    - {code: off-topic, label: Not relevant, stage: title-abstract}\n"
		"    - {code: abstract-only, label: Conference abstract, stage: full-text}\n",
		required);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(protocol_load(p, ypath), 0);
	return db;
}

static void review_free(struct lsr_db *db, struct protocol *p)
{
	protocol_free(p);
	testdb_close(db, dbpath);
	unlink(ypath);
}

static int64_t query_int(struct lsr_db *db, const char *sql)
{
	int64_t v = -1;

	assert_int_equal(db_query_int(db, &v, sql), 0);
	return v;
}

/* The review's live citation ids into ids (NCIT of them). */
static void citations_of(struct lsr_db *db, int64_t *ids)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM live_citations ORDER BY id");
	int n = 0;

	assert_non_null(st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(n < NCIT);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	assert_int_equal(n, NCIT);
}

/* The recount of the hand-out order: what screen_serve_available answered
 * before it kept the count, a scan of every entry. */
static int64_t recount_order(const struct screen_handout *h, const struct protocol *p,
			     int stage, const char *reviewer)
{
	const struct ho_stage *s = &h->st[stage];
	int64_t n = 0;
	size_t k = 0;

	assert_true(s->built);
	while (k < s->nq && strcmp(s->q[k].reviewer, reviewer))
		k++;
	assert_true(k < s->nq);   /* screen_serve_available made its queue */
	for (size_t i = 0; i < s->n; i++) {
		const struct ho_entry *e = &s->e[i];

		n += !e->dead && e->n < p->reviewers && !ho_has(e, k);
	}
	return n;
}

/* The recount in the database, at title-abstract: pending, assigned to
 * fewer reviewers than required, not to reviewer. */
static int64_t recount_db(struct lsr_db *db, int required, const char *reviewer)
{
	static const char sql[] =
		"SELECT count(*) FROM screen_ta_status s WHERE s.status = 'pending'"
		" AND (SELECT count(*) FROM screen_assignments a WHERE a.citation_id = s.citation_id"
		"   AND a.stage = 'title-abstract') < ?1"
		" AND NOT EXISTS (SELECT 1 FROM screen_assignments a WHERE a.citation_id = s.citation_id"
		"   AND a.stage = 'title-abstract' AND a.reviewer = ?2)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int64_t n = -1;

	assert_non_null(st);
	sqlite3_bind_int(st, 1, required);
	db_bind_text(st, 2, reviewer);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	assert_true(n >= 0);
	return n;
}

/* What the sequence went through, so that it is known not to be vacuous. */
struct seen {
	int handouts, filled, killed, rebuilt, resolved, db_checks, more;
	int left;          /* checks at which a newcomer had citations left */
};

/* Every reviewer's count, and one of a reviewer never seen before, at
 * both stages against the recount of the order; at title-abstract against
 * the database too when db_exact. */
static void check(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		  char who[][16], int nwho, int db_exact, struct seen *seen)
{
	static const char *const stages[2] = { SCREEN_STAGE_TA, SCREEN_STAGE_FT };

	for (int st = 0; st < 2; st++)
		for (int r = 0; r <= nwho; r++) {
			const char *name = r < nwho ? who[r] : "newcomer";
			int64_t got = -1;

			assert_int_equal(screen_serve_available(db, p, h, stages[st], name, &got),
					 0);
			assert_int_equal(got, recount_order(h, p, st, name));
			seen->left += st == 0 && r == nwho && got > 0;
			if (st == 0 && db_exact) {
				assert_int_equal(got, recount_db(db, p->reviewers, name));
				seen->db_checks++;
			}
		}
	for (size_t i = 0; i < h->st[0].n; i++) {
		seen->filled += h->st[0].e[i].n >= p->reviewers;
		seen->more += h->st[0].e[i].n > HO_WHO;
	}
}

/* Dead entries of the title-abstract order. */
static int dead_of(const struct screen_handout *h)
{
	int n = 0;

	for (size_t i = 0; i < h->st[0].n; i++)
		n += h->st[0].e[i].dead;
	return n;
}

/* A citation a pick will meet next: an open entry with two reviewers or
 * more (a pick asks the database whether those are still pending), else
 * the cursor's (c when there is neither). */
static int64_t next_met(const struct ho_stage *s, int64_t c)
{
	for (size_t j = 0; j < s->nopen; j++)
		if (!s->e[s->open[j]].dead && s->e[s->open[j]].n >= 2)
			return s->e[s->open[j]].id;
	for (size_t i = s->cursor; i < s->n; i++)
		if (!s->e[i].dead && s->e[i].n == 0)
			return s->e[i].id;
	return c;
}

/*
 * STEPS random steps on a review asking for `required` reviewers, with
 * required + 2 reviewers taking part, each followed by check().  With
 * `resolve`, the arbiter resolves citations too: a resolution ends a
 * citation's pending without the order knowing until a pick meets it
 * (and asks the database, for entries of two reviewers or more), as can
 * a disagreement among fewer reviewers than required (4); so the
 * database recount is compared only without resolutions and with at most
 * two required, where the order cannot lag behind the database.
 */
static void run_sequence(int required, int resolve, struct seen *seen)
{
	struct protocol *p = NULL;
	struct lsr_db *db = review_make(required, &p), *other = NULL;
	struct screen_handout *h = screen_handout_new(42);
	int64_t ids[NCIT], id, n;
	char who[MAXREV][16], sql[512];
	int nwho = required + 2, db_exact = !resolve && required <= 2;
	unsigned seed = 1000u + (unsigned)required * 10u + (unsigned)resolve;

	assert_true(nwho <= MAXREV);
	assert_non_null(h);
	memset(seen, 0, sizeof(*seen));
	citations_of(db, ids);
	for (int r = 0; r < nwho; r++)
		snprintf(who[r], sizeof(who[r]), "rev%d", r);
	assert_int_equal(db_open(&other, dbpath, 0), 0);
	check(db, p, h, who, nwho, db_exact, seen);
	assert_int_equal(query_int(db, "SELECT count(*) FROM screen_ta_status"
				       " WHERE status = 'pending'"), NCIT);
	for (int step = 0; step < STEPS; step++) {
		unsigned act = rnd(&seed) % 20;
		const char *r = who[rnd(&seed) % (unsigned)nwho];
		int64_t c = ids[rnd(&seed) % NCIT];
		const char *used = NULL;
		int first = 0, dead = dead_of(h);

		if (act < 12 || (act < 16 && !resolve)) {
			/* GET /api/next then, mostly, POST /api/decision as
			 * api.c makes them */
			assert_int_equal(screen_serve_next(db, p, h, SCREEN_STAGE_TA, r, &id), 0);
			seen->killed += dead_of(h) > dead;
			seen->handouts += id != 0;
			if (id && act < 10) {
				unsigned v = rnd(&seed) % 3;

				assert_int_equal(screen_serve_decide(db, p, id, SCREEN_STAGE_TA, r,
								     v == 0 ? "exclude" : v == 1 ? "include" : "maybe",
								     v == 0 ? "off-topic" : NULL, NULL,
								     NULL, &first), 0);
				screen_handout_stale(h, SCREEN_STAGE_TA);
				screen_handout_decided(h, SCREEN_STAGE_TA, r, first);
			}
		} else if (act < 16) {
			/* POST /api/resolve, on any live citation; half the
			 * time on one a pick will meet next */
			int ex = rnd(&seed) % 2;

			if (act % 2 && h->st[0].built)
				c = next_met(&h->st[0], c);

			assert_int_equal(screen_resolve(db, p, c, SCREEN_STAGE_TA,
							ex ? "exclude" : "include",
							ex ? "off-topic" : NULL, NULL, "arbiter",
							&used), 0);
			screen_handout_stale(h, used);
			screen_handout_decided(h, used, NULL, 0);
			seen->resolved++;
		} else if (act < 18) {
			/* another process hands c to r ('lsr screen batch') */
			snprintf(sql, sizeof(sql),
				 "INSERT OR IGNORE INTO screen_assignments(citation_id, stage, reviewer,"
				 " required, at) VALUES(%lld, 'title-abstract', '%s', %d, 'now')",
				 (long long)c, r, required);
			assert_int_equal(db_exec(other, sql), 0);
			seen->rebuilt++;
		} else {
			/* another process releases r's assignment of c, when r
			 * has not decided it */
			snprintf(sql, sizeof(sql),
				 "DELETE FROM screen_assignments WHERE citation_id = %lld"
				 " AND stage = 'title-abstract' AND reviewer = '%s'"
				 " AND NOT EXISTS (SELECT 1 FROM screen_decisions d"
				 "   WHERE d.citation_id = %lld AND d.stage = 'title-abstract'"
				 "   AND d.reviewer = '%s')", (long long)c, r, (long long)c, r);
			assert_int_equal(db_exec(other, sql), 0);
			seen->rebuilt++;
		}
		check(db, p, h, who, nwho, db_exact, seen);
	}
	/* the sequence decided citations */
	n = query_int(db, "SELECT count(DISTINCT citation_id) FROM screen_decisions");
	assert_true(n > 5);
	db_close(other);
	screen_handout_free(h);
	review_free(db, p);
}

/* Without resolutions, one and two reviewers required: the kept count is
 * the order's recount and the database's at every step. */
static void test_screen_serve_query__available_matches_database(void **state)
{
	struct seen seen;

	(void)state;
	for (int required = 1; required <= 2; required++) {
		run_sequence(required, 0, &seen);
		assert_true(seen.handouts > 20);
		assert_true(seen.filled > 0);
		assert_true(seen.rebuilt > 0);
		assert_true(seen.left > STEPS / 2);
		assert_true(seen.db_checks > STEPS);
	}
}

/* With the arbiter resolving, 1, 2 and 4 reviewers required: the kept
 * count is the order's recount at every step, through entries that fill
 * up and, with 4, entries a pick finds no longer pending (resolved, or
 * disagreed on) and entries with reviewers past the three held in
 * place. */
static void test_screen_serve_query__available_matches_recount(void **state)
{
	static const int required[] = { 1, 2, 4 };
	struct seen seen;

	(void)state;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		run_sequence(required[i], 1, &seen);
		assert_true(seen.handouts > 20);
		assert_true(seen.filled > 0);
		assert_true(seen.resolved > 0);
		assert_true(seen.rebuilt > 0);
		assert_true(seen.left > STEPS / 2);
		if (required[i] > HO_WHO) {
			assert_true(seen.killed > 0);
			assert_true(seen.more > 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen_serve_query__available_matches_database),
		cmocka_unit_test(test_screen_serve_query__available_matches_recount),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
