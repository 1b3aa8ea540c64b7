/*
 * serve_query.c - the screen stage's side of 'lsr serve' (serve_query.h):
 * handing out the next citation, a citation as the page shows it, progress
 * and decisions, through the same assignment and decision code as batch
 * files.
 */
#include "serve_query.h"
#include "rank.h"
#include "serve_retrain.h"
#include "screening_int.h"
#include "../db/rows.h"
#include "../util/err.h"

#include "../util/array.h"
#include "../util/buf.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== the hand-out order ==================================================
 *
 * 'lsr screen batch' finds the citations a reviewer may take by scanning
 * the status of every citation (and first runs the rules over new ones):
 * right for a batch of hundreds, far too slow for one citation per
 * keystroke on a large review.  The server keeps instead, per stage, the
 * citations that were pending when it looked (struct ho_stage), in the
 * seed's order, each with how many reviewers are assigned and which:
 *
 *   - the "open" ones (some reviewers assigned, fewer than required) are
 *     few while reviewers keep pace with each other; they are scanned
 *     whole for the best (most reviewers first, then the seed's order):
 *     pairs complete first;
 *   - the rest (nobody assigned) are taken in the seed's order from a
 *     cursor that only moves forward, since assignments only grow.
 *
 * Each pick is checked against the database (still pending, assignments
 * as remembered) before it is recorded, so the cache can only make a pick
 * slower, never wrong.  Another process writing the database (an import
 * of a batch file, 'lsr screen batch', new records) changes PRAGMA
 * data_version; the cache is then rebuilt from scratch.  So is the
 * full-text one after a title-abstract decision of the server
 * (screen_handout_stale), since that may change who is pending there.
 *
 * Per reviewer and stage, a queue holds their assignments without their
 * decision, oldest first (a batch file they have not returned, or the
 * citation handed to them last): they are handed those first.
 *
 * Each entry keeps the reviewers assigned to it (their queues' indexes),
 * so any number of reviewers is handed distinct citations.
 *
 * With screening.order: priority, at title-abstract, the citations nobody
 * has yet come instead in the reviewer's own ranking (rank.h; trained on
 * the resolved status and this reviewer's decisions only): the first
 * citation of its head that is in the cache, not assigned to anybody and
 * still pending; the hand-out is recorded (screen_rank_handout) in the
 * transaction of the assignment, with the ranking it came from.  A new
 * ranking is due after screening.priority.retrain_every decisions of the
 * reviewer or resolutions (counted in the queue); it is made by a worker
 * thread between requests (serve_retrain.h, ho_pick_ranked) while the
 * ranking in use goes on serving.  Pairs still complete first, in the
 * seed's order; when the head holds no such citation (the others took
 * them), the seed's order goes on until a new ranking comes.
 *
 * Progress (screen_serve_progress) is counted in the database once per
 * reviewer and stage, then kept by the server's own writes; another
 * process writing clears it with the rest.
 *
 * What a reviewer could still be handed (screen_serve_available, asked by
 * every GET /api/me) is kept the same way, so that it costs no scan of
 * the order: per stage the entries still open to somebody (not dead,
 * fewer reviewers than required: s->avail), per reviewer those of them
 * they are assigned to (q->held); the difference is the answer.  Both are
 * counted when the order is built and kept where an entry gains a
 * reviewer (ho_assign) or dies (ho_kill); every other change to the
 * order rebuilds it.
 */

/* Reviewers assigned to an entry kept in the entry itself; more (a
 * protocol asking for more than three reviewers) go to a heap array. */
#define HO_WHO 3

struct ho_entry {
	int64_t id;
	uint64_t key;      /* scr_order_key(seed, id) */
	uint32_t who[HO_WHO]; /* the first reviewers assigned (their queues' indexes) */
	uint32_t *more;    /* the others, n - HO_WHO of them (NULL while n <= HO_WHO) */
	int n;             /* reviewers assigned */
	int dead;          /* no longer pending: never handed out again */
	size_t open_at;    /* its place in open[] while 0 < n < required */
};

struct ho_queue {
	char *reviewer;
	int built;
	int64_t *ids;      /* assigned to reviewer without their decision */
	size_t head, n, alloc;
	/* priority order (title-abstract): see ho_pick_ranked */
	int rank_known;    /* ranking, base and count read from the database */
	int64_t ranking;   /* the ranking handed out from (0: none yet) */
	int64_t base;      /* the decisions it was made after */
	int64_t count;     /* the decisions now (reviewer's and resolutions) */
	int64_t asked;     /* count when a new ranking was last asked (-1: never) */
	int64_t held;      /* open entries (ho_stage.avail) assigned to reviewer */
	char rank_error[256]; /* why the last ranking made for reviewer failed ("": it did not) */
};

/* A reviewer's progress at a stage (screen_serve_progress), kept up to
 * date by the server's own writes. */
struct ho_prog {
	char *reviewer;
	int stage;         /* 0: title-abstract, 1: full text */
	int64_t assigned, done;
};

struct ho_stage {
	int built;
	struct ho_entry *e;   /* sorted by (key, id) */
	size_t n;
	size_t cursor;        /* the entries before it have n > 0 or are dead */
	size_t *open, nopen, aopen;
	struct ho_queue *q;   /* index = the reviewer's bit */
	size_t nq, aq;
	int64_t avail;        /* entries neither dead nor with all their reviewers */
};

struct screen_handout {
	uint64_t seed;
	int64_t version;      /* PRAGMA data_version when the cache was built */
	struct ho_stage st[2];
	struct ho_prog *prog;
	size_t nprog, aprog;
	struct ho_worker *worker;   /* started when a ranking is first due */
	int worker_off;             /* screen_handout_set_worker(h, 0) */
};

struct screen_handout *screen_handout_new(uint64_t seed)
{
	struct screen_handout *h = calloc(1, sizeof(*h));

	if (h)
		h->seed = seed;
	return h;
}

static void ho_stage_clear(struct ho_stage *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].more);
	for (size_t i = 0; i < s->nq; i++) {
		free(s->q[i].reviewer);
		free(s->q[i].ids);
	}
	free(s->q);
	free(s->e);
	free(s->open);
	memset(s, 0, sizeof(*s));
}

static void ho_prog_clear(struct screen_handout *h)
{
	for (size_t i = 0; i < h->nprog; i++)
		free(h->prog[i].reviewer);
	h->nprog = 0;
}

/* The progress kept of reviewer at stage (0 / 1), or NULL. */
static struct ho_prog *ho_prog_find(struct screen_handout *h, int stage, const char *reviewer)
{
	for (size_t i = 0; i < h->nprog; i++)
		if (h->prog[i].stage == stage && !strcmp(h->prog[i].reviewer, reviewer))
			return &h->prog[i];
	return NULL;
}

/* The server assigned (assigned 1) or had decided for the first time
 * (done 1) a citation of reviewer at stage. */
static void ho_prog_note(struct screen_handout *h, const char *stage, const char *reviewer,
			 int assigned, int done)
{
	struct ho_prog *g = ho_prog_find(h, strcmp(stage, SCREEN_STAGE_TA) ? 1 : 0, reviewer);

	if (g) {
		g->assigned += assigned;
		g->done += done;
	}
}

void screen_handout_free(struct screen_handout *h)
{
	if (!h)
		return;
	ho_worker_stop(h->worker);
	ho_stage_clear(&h->st[0]);
	ho_stage_clear(&h->st[1]);
	ho_prog_clear(h);
	free(h->prog);
	free(h);
}

void screen_handout_set_worker(struct screen_handout *h, int on)
{
	h->worker_off = !on;
}

void screen_handout_stale(struct screen_handout *h, const char *stage)
{
	if (!h)
		return;
	/* a title-abstract outcome may add or remove full-text reports; a
	 * full-text one only ends a report's pending, which picks check */
	if (!stage || !strcmp(stage, SCREEN_STAGE_TA))
		ho_stage_clear(&h->st[1]);
	if (!stage) {
		ho_stage_clear(&h->st[0]);
		ho_prog_clear(h);
	}
}

/* The queue (and bit) of reviewer at a stage, made when new. */
static int ho_reviewer(struct ho_stage *s, const char *reviewer, size_t *out)
{
	for (size_t i = 0; i < s->nq; i++)
		if (!strcmp(s->q[i].reviewer, reviewer)) {
			*out = i;
			return 0;
		}
	if (ARRAY_GROW(s->q, s->nq, s->aq, 8) < 0)
		return LSR_ENOMEM;
	memset(&s->q[s->nq], 0, sizeof(s->q[0]));
	s->q[s->nq].asked = -1;
	if (!(s->q[s->nq].reviewer = xstrdup(reviewer)))
		return LSR_ENOMEM;
	*out = s->nq++;
	return 0;
}

/* The queue index of e's j-th reviewer (j < e->n). */
static uint32_t ho_who(const struct ho_entry *e, int j)
{
	return j < HO_WHO ? e->who[j] : e->more[j - HO_WHO];
}

/* Is reviewer k (a queue index) assigned to e? */
static int ho_has(const struct ho_entry *e, size_t k)
{
	for (int j = 0; j < e->n; j++)
		if (ho_who(e, j) == k)
			return 1;
	return 0;
}

/* Entry e leaves what may still be handed out (it died, or has all its
 * reviewers now): counted no more in s->avail nor in the held of the
 * reviewers assigned to it. */
static void ho_avail_drop(struct ho_stage *s, const struct ho_entry *e)
{
	s->avail--;
	for (int j = 0; j < e->n; j++)
		s->q[ho_who(e, j)].held--;
}

/* Note reviewer k as assigned to e. */
static int ho_add(struct ho_entry *e, size_t k)
{
	if (e->n >= HO_WHO) {
		uint32_t *m = realloc(e->more, (size_t)(e->n - HO_WHO + 1) * sizeof(*m));

		if (!m)
			return LSR_ENOMEM;
		e->more = m;
		m[e->n - HO_WHO] = (uint32_t)k;
	} else {
		e->who[e->n] = (uint32_t)k;
	}
	e->n++;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct ho_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int ho_open_add(struct ho_stage *s, size_t i)
{
	if (ARRAY_GROW(s->open, s->nopen, s->aopen, 64) < 0)
		return LSR_ENOMEM;
	s->e[i].open_at = s->nopen;
	s->open[s->nopen++] = i;
	return 0;
}

static void ho_open_drop(struct ho_stage *s, size_t i)
{
	size_t at = s->e[i].open_at, last = s->open[--s->nopen];

	s->open[at] = last;
	s->e[last].open_at = at;
}

/* The citations pending at stage, with the reviewers assigned to each. */
static int ho_build(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		    struct ho_stage *s, const char *stage)
{
	static const char sql_ta[] =
		"SELECT s.citation_id, a.reviewer FROM screen_ta_status s"
		" LEFT JOIN screen_assignments a ON a.citation_id = s.citation_id AND a.stage = ?1"
		" WHERE s.status = 'pending' ORDER BY s.citation_id";
	static const char sql_ft[] =
		"SELECT s.citation_id, a.reviewer FROM screen_ft_status s"
		" LEFT JOIN screen_assignments a ON a.citation_id = s.citation_id AND a.stage = ?1"
		" WHERE s.status = 'pending' ORDER BY s.citation_id";
	const char *sql = strcmp(stage, SCREEN_STAGE_TA) ? sql_ft : sql_ta;
	sqlite3_stmt *st;
	size_t alloc = 0, k, keep;
	int step, rc = 0;

	ho_stage_clear(s);
	/* automatic exclusions first: they are never handed out */
	if (!strcmp(stage, SCREEN_STAGE_TA)) {
		if ((rc = db_txn_begin(db)) < 0)
			return rc;
		if ((rc = screen_rules_run(db, p, SCREEN_RULES_ONLY_NEW, 0, NULL)) < 0) {
			db_txn_rollback(db);
			return rc;
		}
		if ((rc = db_txn_commit(db)) < 0)
			return rc;
	}
	if (!(st = db_prepare(db, sql)))
		return lsr_error_last_code();
	db_bind_text(st, 1, stage);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *who = (const char *)sqlite3_column_text(st, 1);
		struct ho_entry *e;

		if (!s->n || s->e[s->n - 1].id != id) {
			if ((rc = ARRAY_GROW(s->e, s->n, alloc, 1024)) < 0)
				break;
			e = &s->e[s->n++];
			memset(e, 0, sizeof(*e));
			e->id = id;
			e->key = scr_order_key(h->seed, id);
		}
		e = &s->e[s->n - 1];
		if (who && ((rc = ho_reviewer(s, who, &k)) < 0 || (rc = ho_add(e, k)) < 0))
			break;
	}
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	if (rc < 0) {
		ho_stage_clear(s);
		return rc;
	}
	/* those with all their reviewers are no longer handed out; every
	 * entry kept is open to somebody, and held by those assigned */
	keep = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->e[i].n >= p->reviewers) {
			free(s->e[i].more);
			continue;
		}
		for (int j = 0; j < s->e[i].n; j++)
			s->q[ho_who(&s->e[i], j)].held++;
		s->e[keep++] = s->e[i];
	}
	s->n = keep;
	s->avail = (int64_t)keep;
	if (s->n > 1)
		qsort(s->e, s->n, sizeof(*s->e), cmp_entry);
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].n > 0 && (rc = ho_open_add(s, i)) < 0) {
			ho_stage_clear(s);
			return rc;
		}
	s->built = 1;
	return 0;
}

/* Reviewer's assignments at stage without their decision, oldest first
 * (ho_undecided drops those no longer live as it meets them). */
static int ho_queue_build(struct lsr_db *db, const char *stage, struct ho_queue *q)
{
	static const char sql[] =
		"SELECT a.citation_id FROM screen_assignments a"
		" WHERE a.stage = ?1 AND a.reviewer = ?2"
		" AND NOT EXISTS (SELECT 1 FROM screen_decisions d WHERE d.citation_id = a.citation_id"
		"   AND d.stage = ?1 AND d.kind = 'review' AND d.reviewer = ?2)"
		" ORDER BY a.at, a.batch_id, a.position, a.citation_id";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	q->n = q->head = 0;
	db_bind_text(st, 1, stage);
	db_bind_text(st, 2, q->reviewer);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = ARRAY_GROW(q->ids, q->n, q->alloc, 64)) < 0)
			break;
		q->ids[q->n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	q->built = rc == 0;
	return rc;
}

/* Is citation live and still without reviewer's decision at stage?  (As
 * live_citations says, for one citation: a member that takes part.) */
static int ho_undecided(struct lsr_db *db, int64_t citation, const char *stage,
			const char *reviewer, int *out)
{
	static const char sql[] =
		"SELECT NOT EXISTS (SELECT 1 FROM screen_decisions WHERE citation_id = ?1"
		"   AND stage = ?2 AND kind = 'review' AND reviewer = ?3)"
		" AND EXISTS (SELECT 1 FROM citation_members m JOIN dedup_records r"
		"   ON r.id = m.record_id WHERE m.citation_id = ?1)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	db_bind_text(st, 2, stage);
	db_bind_text(st, 3, reviewer);
	step = sqlite3_step(st);
	*out = step == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

/*
 * What the database says of a pick: how many reviewers are assigned,
 * whether reviewer is one of them, and whether it is still pending at
 * stage.  The status views cost a scan of the review, so they are asked
 * only when the server's own writes could have changed the answer: a
 * citation pending when the cache was built changes (without another
 * process writing, which rebuilds the cache) only through decisions on
 * it: one reviewer's decision alone never ends a pending (it takes two to
 * disagree), but a resolution does, and the arbiter may resolve any
 * citation (POST /api/resolve, as lsr screen resolve), so a resolution
 * recorded at stage (an index probe) asks the views too.
 */
static int ho_check(struct lsr_db *db, const struct ho_entry *e, const char *stage,
		    const char *reviewer, int *pending, int *n, int *mine)
{
	static const char sql[] =
		"SELECT count(*), coalesce(sum(reviewer = ?3), 0),"
		" EXISTS(SELECT 1 FROM screen_decisions WHERE citation_id = ?1 AND stage = ?2"
		"  AND kind = 'resolution')"
		" FROM screen_assignments WHERE citation_id = ?1 AND stage = ?2";
	char status[32];
	sqlite3_stmt *st;
	int rc, step, resolved = 0;

	if (!(st = db_prepare(db, sql)))
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, e->id);
	db_bind_text(st, 2, stage);
	db_bind_text(st, 3, reviewer);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*n = sqlite3_column_int(st, 0);
		*mine = sqlite3_column_int(st, 1);
		resolved = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return db_error(db, sql);
	*pending = 1;
	if (e->n >= 2 || resolved) {
		if ((rc = scr_status(db, e->id, stage, status, sizeof(status))) < 0)
			return rc;
		*pending = !strcmp(status, "pending");
	}
	return 0;
}

/* The open entry reviewer k (a queue index) may take, most reviewers
 * first: SIZE_MAX when none (pairs complete first). */
static size_t ho_pick_open(struct ho_stage *s, size_t k)
{
	size_t best = SIZE_MAX;

	for (size_t j = 0; j < s->nopen; j++) {
		struct ho_entry *e = &s->e[s->open[j]], *b;

		if (e->dead || ho_has(e, k))
			continue;
		if (best == SIZE_MAX) {
			best = s->open[j];
			continue;
		}
		b = &s->e[best];
		if (e->n > b->n || (e->n == b->n && cmp_entry(e, b) < 0))
			best = s->open[j];
	}
	return best;
}

/* The next entry nobody has, in the seed's order: SIZE_MAX when none. */
static size_t ho_pick_cursor(struct ho_stage *s)
{
	while (s->cursor < s->n && (s->e[s->cursor].n > 0 || s->e[s->cursor].dead))
		s->cursor++;
	return s->cursor < s->n ? s->cursor : SIZE_MAX;
}

/* The entry of citation id in the cache: SIZE_MAX when it holds none. */
static size_t ho_find(const struct screen_handout *h, const struct ho_stage *s, int64_t id)
{
	struct ho_entry probe = { .id = id, .key = scr_order_key(h->seed, id) };
	const struct ho_entry *e = s->n ? bsearch(&probe, s->e, s->n, sizeof(*s->e), cmp_entry)
					: NULL;

	return e ? (size_t)(e - s->e) : SIZE_MAX;
}

static int ho_priority(const struct protocol *p, const char *stage)
{
	return p && p->screening_order && !strcmp(p->screening_order, "priority") &&
	       !strcmp(stage, SCREEN_STAGE_TA);
}

/* The first entry of ranking's head that nobody has and the cache holds
 * as pending, into *out (SIZE_MAX: none). */
static int ho_head_pick(struct lsr_db *db, const struct screen_handout *h,
			const struct ho_stage *s, int64_t ranking, size_t *out)
{
	static const char sql[] =
		"SELECT citation_id FROM screen_ranking_items WHERE ranking_id = ?1 ORDER BY position";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	*out = SIZE_MAX;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, ranking);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t i = ho_find(h, s, sqlite3_column_int64(st, 0));

		if (i != SIZE_MAX && !s->e[i].dead && s->e[i].n == 0) {
			*out = i;
			break;
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}

/* ---- priority order: the reviewer's ranking ------------------------------ */

/* The latest ranking of q's reviewer (id, the decisions it was made
 * after) and their decisions now (theirs and resolutions, title-abstract:
 * what screen_ranking_job_decisions counts). */
static int ho_rank_load(struct lsr_db *db, struct ho_queue *q)
{
	static const char sql[] =
		"SELECT (SELECT id FROM screen_rankings WHERE reviewer = ?1"
		"   AND stage = 'title-abstract' ORDER BY id DESC LIMIT 1),"
		" (SELECT decisions FROM screen_rankings WHERE reviewer = ?1"
		"   AND stage = 'title-abstract' ORDER BY id DESC LIMIT 1),"
		" (SELECT count(*) FROM screen_decisions WHERE stage = 'title-abstract'"
		"   AND reviewer = ?1)"
		" + (SELECT count(*) FROM screen_decisions WHERE stage = 'title-abstract'"
		"   AND kind = 'resolution' AND reviewer IS NOT ?1)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, q->reviewer);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		q->ranking = sqlite3_column_int64(st, 0);
		q->base = sqlite3_column_int64(st, 1);
		q->count = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return db_error(db, sql);
	q->asked = -1;
	q->rank_known = 1;
	return 0;
}

/* Store job (a ranking made on the worker's connection or here) on the
 * request's connection and hand out from it; the worker frees it. */
static int ho_rank_store(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
			 struct ho_queue *q, struct screen_ranking_job *job)
{
	int64_t id = 0;
	int rc = screen_ranking_job_store(db, p, job, &id);

	if (rc == 0) {
		q->ranking = id;
		q->base = screen_ranking_job_decisions(job);
	}
	if (h->worker)
		ho_worker_dispose(h->worker, job);
	else
		screen_ranking_job_free(job);
	return rc;
}

/* A ranking the worker made for q's reviewer, when there is one: taken
 * unless the one in use was made after more decisions (lsr screen rank,
 * say, ran meanwhile).  *busy: one is still being made. */
static int ho_rank_take(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
			struct ho_queue *q, int *busy)
{
	struct screen_ranking_job *job;
	const char *err;

	*busy = 0;
	if (!h->worker)
		return 0;
	ho_worker_take(h->worker, q->reviewer, &job, busy, &err);
	if (!job) {
		/* a failed ranking: the one in use goes on serving; the
		 * reviewer is told why (GET /api/me) until one succeeds */
		if (err && *err)
			snprintf(q->rank_error, sizeof(q->rank_error), "%s", err);
		return 0;
	}
	q->rank_error[0] = '\0';
	if (q->ranking && screen_ranking_job_decisions(job) < q->base) {
		ho_worker_dispose(h->worker, job);
		return 0;
	}
	return ho_rank_store(db, p, h, q, job);
}

/* A new ranking of q's reviewer made in the request (without a worker:
 * screen_handout_set_worker), stored and handed out from. */
static int ho_rank_now(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		       struct ho_queue *q)
{
	struct screen_ranking_job *job;
	int rc = screen_ranking_compute(&job, db, q->reviewer, h->seed);

	return rc < 0 ? rc : ho_rank_store(db, p, h, q, job);
}

/* Ask for a new ranking of q's reviewer, once per decision count. */
static int ho_rank_ask(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		       struct ho_queue *q)
{
	int rc;

	if (q->asked == q->count)
		return 0;
	if (!h->worker && (rc = ho_worker_start(&h->worker, db_path(db), p, h->seed)) < 0)
		return rc;
	if ((rc = ho_worker_ask(h->worker, q->reviewer)) < 0)
		return rc;
	q->asked = q->count;
	return 0;
}

/*
 * q's ranking brought up to date: read from the database when the queue
 * is new, a ranking the worker finished taken, a due one (or the
 * reviewer's first) asked of the worker (made here without a worker).
 * *busy: the worker is making one for q.
 */
static int ho_rank_due(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		       struct ho_queue *q, int *busy)
{
	int every = p->priority.retrain_every > 0 ? p->priority.retrain_every : 1;
	int rc;

	*busy = 0;
	if (!q->rank_known && (rc = ho_rank_load(db, q)) < 0)
		return rc;
	if ((rc = ho_rank_take(db, p, h, q, busy)) < 0)
		return rc;
	if (q->ranking && q->count - q->base < every)
		return 0;
	if (h->worker_off)
		return ho_rank_now(db, p, h, q);
	if ((rc = ho_rank_ask(db, p, h, q)) < 0)
		return rc;
	*busy = ho_worker_busy(h->worker, q->reviewer);
	return 0;
}

/*
 * The next citation of reviewer's ranking (queue q) that nobody has yet,
 * into *out (SIZE_MAX: none left in the head), the ranking it comes from
 * into *ranking.
 *
 * A ranking is due after screening.priority.retrain_every decisions that
 * may change it (the reviewer's own and the resolutions, at
 * title-abstract), counted in q and checked against the database when
 * another process writes (the cache is then rebuilt).  A due ranking is
 * asked of the worker (serve_retrain.h), which makes it on a connection
 * and thread of its own; meanwhile the reviewer is handed the citations
 * of the ranking in use, and the first request after the worker is done
 * stores the new ranking and hands out from it.  Each hand-out records
 * the ranking it came from.  Until a reviewer's first ranking comes (it
 * is asked at their first request, GET /api/me at login), and when the
 * head of the ranking in use holds nothing left (a new one is asked),
 * the seed's order goes on, recorded as no ranking's.
 */
static int ho_pick_ranked(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
			  struct ho_stage *s, struct ho_queue *q, size_t *out, int64_t *ranking)
{
	int busy, rc;

	*out = SIZE_MAX;
	*ranking = 0;
	if ((rc = ho_rank_due(db, p, h, q, &busy)) < 0)
		return rc;
	if (q->ranking && (rc = ho_head_pick(db, h, s, q->ranking, out)) < 0)
		return rc;
	if (*out == SIZE_MAX && h->worker_off) {
		/* the head is used up (or there was none): without a worker, a
		 * new ranking now */
		if ((rc = ho_rank_now(db, p, h, q)) < 0 ||
		    (rc = ho_head_pick(db, h, s, q->ranking, out)) < 0)
			return rc;
	}
	if (*out != SIZE_MAX) {
		*ranking = q->ranking;
		return 0;
	}
	/* the head is used up, or the reviewer has no ranking yet: a new
	 * one, the seed's order until it comes */
	return busy ? 0 : ho_rank_ask(db, p, h, q);
}

/* Record the assignment of entry i to reviewer (queue k): a batch of one;
 * with the ranking it came from (0: none), the hand-out too. */
static int ho_assign(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		     struct ho_stage *s, const char *stage, size_t k, size_t i, int64_t ranking)
{
	struct ho_queue *q = &s->q[k];
	struct ho_entry *e = &s->e[i];
	int64_t batch;
	int rc;

	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if ((rc = scr_batch_record(db, p, stage, q->reviewer, h->seed, "lsr serve", &e->id, 1,
				   &batch)) < 0 ||
	    (ranking && (rc = screen_rank_handout(db, ranking, e->id, q->reviewer)) < 0)) {
		db_txn_rollback(db);
		return rc;
	}
	if ((rc = db_txn_commit(db)) < 0)
		return rc;
	if (ARRAY_GROW(q->ids, q->n, q->alloc, 64) < 0)
		return LSR_ENOMEM;
	q->ids[q->n++] = e->id;
	ho_prog_note(h, stage, q->reviewer, 1, 0);
	if ((rc = ho_add(e, k)) < 0)
		return rc;
	q->held++;
	if (e->n >= p->reviewers)
		ho_avail_drop(s, e);
	if (e->n == 1 && e->n < p->reviewers)
		return ho_open_add(s, i);
	if (e->n >= p->reviewers && e->n > 1)
		ho_open_drop(s, i);
	return 0;
}

/* Entry i is no longer pending (ho_check): never handed out again. */
static void ho_kill(const struct protocol *p, struct ho_stage *s, size_t i)
{
	struct ho_entry *e = &s->e[i];

	if (e->dead)
		return;
	e->dead = 1;
	if (e->n < p->reviewers) {
		ho_avail_drop(s, e);
		if (e->n > 0)
			ho_open_drop(s, i);
	}
}

/* Has another connection written the database since the cache was built? */
static int ho_fresh(struct lsr_db *db, struct screen_handout *h)
{
	int64_t v;
	int rc;

	if ((rc = db_query_int(db, &v, "PRAGMA data_version")) < 0)
		return rc;
	if (v != h->version) {
		screen_handout_stale(h, NULL);
		h->version = v;
	}
	return 0;
}

int screen_handout_warm(struct lsr_db *db, const struct protocol *p, struct screen_handout *h)
{
	int rc;

	/* the server reads through a memory map: the scans of the review
	 * (this order, the worker's rankings) copy no pages from the kernel */
	if ((rc = db_exec(db, "PRAGMA mmap_size = " HO_MMAP_SIZE)) < 0 ||
	    (rc = ho_fresh(db, h)) < 0)
		return rc;
	return h->st[0].built ? 0 : ho_build(db, p, h, &h->st[0], SCREEN_STAGE_TA);
}

int screen_serve_next(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		      const char *stage_in, const char *reviewer, int64_t *out)
{
	const char *stage = scr_stage(stage_in);
	struct ho_stage *s;
	struct ho_queue *q;
	int rebuilt = 0, still = 0, pending = 0, n = 0, mine = 0, rc;
	int64_t ranking;
	size_t k, i;

	*out = 0;
	if (!stage)
		return lsr_error_set(LSR_EUSAGE, "unknown stage '%s' (expected %s or %s)",
				     stage_in ? stage_in : "", SCREEN_STAGE_TA, SCREEN_STAGE_FT);
	if ((rc = ho_fresh(db, h)) < 0)
		return rc;
	s = &h->st[strcmp(stage, SCREEN_STAGE_TA) ? 1 : 0];
again:
	if (!s->built && (rc = ho_build(db, p, h, s, stage)) < 0)
		return rc;
	if ((rc = ho_reviewer(s, reviewer, &k)) < 0)
		return rc;
	q = &s->q[k];
	if (!q->built && (rc = ho_queue_build(db, stage, q)) < 0)
		return rc;
	/* first what is assigned to them and not yet decided */
	for (; q->head < q->n; q->head++) {
		if ((rc = ho_undecided(db, q->ids[q->head], stage, reviewer, &still)) < 0)
			return rc;
		if (still) {
			*out = q->ids[q->head];
			return 0;
		}
	}
	for (;;) {
		ranking = 0;
		i = ho_pick_open(s, k);
		if (i == SIZE_MAX && ho_priority(p, stage) &&
		    (rc = ho_pick_ranked(db, p, h, s, q, &i, &ranking)) < 0)
			return rc;
		if (i == SIZE_MAX)
			i = ho_pick_cursor(s);
		if (i == SIZE_MAX)
			return 0;
		if ((rc = ho_check(db, &s->e[i], stage, reviewer, &pending, &n, &mine)) < 0)
			return rc;
		if (!pending) {
			ho_kill(p, s, i);
			continue;
		}
		if (n == s->e[i].n && !mine)
			break;
		/* the database moved under the cache: look again */
		if (rebuilt++)
			return lsr_error_set(LSR_ERROR, "the assignments of citation %lld changed while handing it out",
					     (long long)s->e[i].id);
		ho_stage_clear(s);
		goto again;
	}
	if ((rc = ho_assign(db, p, h, s, stage, k, i, ranking)) < 0)
		return rc;
	*out = s->e[i].id;
	return 0;
}

/* A JSON array column as stored ('[]' when absent). */
static json_t *json_col(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	json_t *v = t ? json_loads(t, 0, NULL) : NULL;

	return v ? v : json_array();
}

/* Distinct items of a list column over the citation's counted members. */
static int member_list(struct lsr_db *db, int64_t citation, const char *column, json_t *out)
{
	char sql[512];
	sqlite3_stmt *st;
	int step;

	snprintf(sql, sizeof(sql),
		 "SELECT DISTINCT j.value FROM citation_members m"
		 " JOIN records r ON r.id = m.record_id, json_each(r.%s) j"
		 " WHERE m.citation_id = ?1 ORDER BY m.record_id, j.key", column);
	if (!(st = db_prepare(db, sql)))
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(out, db_col_json(st, 0, 's'));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

static int sources_of(struct lsr_db *db, int64_t citation, json_t *out)
{
	static const char sql[] =
		"SELECT r.id, s.name, r.source_record_id, r.title FROM citation_members m"
		" JOIN records r ON r.id = m.record_id JOIN runs u ON u.id = r.run_id"
		" JOIN sources s ON s.id = u.source_id WHERE m.citation_id = ?1 ORDER BY r.id";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(out, json_pack("{s:I,s:o,s:o,s:o}", "record",
						     (json_int_t)sqlite3_column_int64(st, 0),
						     "source", db_col_json(st, 1, 's'),
						     "source_record_id", db_col_json(st, 2, 's'),
						     "title", db_col_json(st, 3, 's')));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

static int suggestions_of(struct lsr_db *db, int64_t citation, json_t *out)
{
	static const char sql[] =
		"SELECT rule, reason, mode, field, span_start, span_end, matched"
		" FROM screen_hits_current WHERE citation_id = ?1 ORDER BY rule_index";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *h = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "rule", db_col_json(st, 0, 's'),
				      "reason", db_col_json(st, 1, 's'), "mode", db_col_json(st, 2, 's'),
				      "field", db_col_json(st, 3, 's'),
				      "start", sqlite3_column_type(st, 4) == SQLITE_NULL ? json_null()
					      : json_integer(sqlite3_column_int64(st, 4)),
				      "end", sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null()
					      : json_integer(sqlite3_column_int64(st, 5)),
				      "matched", db_col_json(st, 6, 's'));

		json_array_append_new(out, h);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_error(db, sql);
}

int screen_serve_citation_json(struct lsr_db *db, int64_t citation, json_t **out)
{
	static const char sql[] =
		"SELECT m.title, m.authors, m.year, m.journal, m.abstract, m.doi, m.pmid,"
		" r.publication_types FROM citation_metadata m"
		" JOIN live_citations c ON c.id = m.id"
		" LEFT JOIN records r ON r.id = m.representative_id WHERE m.id = ?1";
	sqlite3_stmt *st = db_prepare(db, sql);
	json_t *o = NULL, *kw, *mesh, *src, *sug;
	int step, rc;

	*out = NULL;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		o = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "citation",
			      (json_int_t)citation, "title", db_col_json(st, 0, 's'),
			      "authors", json_col(st, 1),
			      "year", sqlite3_column_type(st, 2) == SQLITE_NULL ? json_null()
				      : json_integer(sqlite3_column_int64(st, 2)),
			      "journal", db_col_json(st, 3, 's'), "abstract", db_col_json(st, 4, 's'),
			      "doi", db_col_json(st, 5, 's'), "pmid", db_col_json(st, 6, 's'),
			      "publication_types", json_col(st, 7));
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return lsr_error_set(LSR_ENOTFOUND, "no citation %lld", (long long)citation);
	if (step != SQLITE_ROW)
		return db_error(db, sql);
	if (!o)
		return lsr_error_oom();
	json_object_set_new(o, "keywords", kw = json_array());
	json_object_set_new(o, "mesh", mesh = json_array());
	json_object_set_new(o, "sources", src = json_array());
	json_object_set_new(o, "suggestions", sug = json_array());
	if ((rc = member_list(db, citation, "keywords", kw)) < 0 ||
	    (rc = member_list(db, citation, "mesh", mesh)) < 0 ||
	    (rc = sources_of(db, citation, src)) < 0 ||
	    (rc = suggestions_of(db, citation, sug)) < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* Reviewer's progress at stage as the database has it (a count over
 * their assignments: tens of milliseconds at 100,000). */
static int progress_count(struct lsr_db *db, const char *stage, const char *reviewer,
			  int64_t *assigned, int64_t *done)
{
	static const char sql[] =
		"SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM screen_decisions d"
		"   WHERE d.citation_id = a.citation_id AND d.stage = a.stage"
		"   AND d.kind = 'review' AND d.reviewer = a.reviewer)), 0)"
		" FROM screen_assignments a WHERE a.stage = ?1 AND a.reviewer = ?2"
		/* live, as live_citations says, asked per citation: joining the
		 * view would group the whole review on every call */
		" AND EXISTS (SELECT 1 FROM citation_members m JOIN dedup_records r"
		"   ON r.id = m.record_id WHERE m.citation_id = a.citation_id)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, stage);
	db_bind_text(st, 2, reviewer);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*assigned = sqlite3_column_int64(st, 0);
		*done = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

int screen_serve_progress(struct lsr_db *db, struct screen_handout *h, const char *stage_in,
			  const char *reviewer, int64_t *assigned, int64_t *done)
{
	const char *stage = scr_stage(stage_in);
	struct ho_prog *g;
	int k, rc;

	if (!stage)
		return lsr_error_set(LSR_EUSAGE, "unknown stage '%s'", stage_in ? stage_in : "");
	if (!h)
		return progress_count(db, stage, reviewer, assigned, done);
	/* counted once, then kept by the server's own writes; another
	 * process writing clears it (ho_fresh) */
	if ((rc = ho_fresh(db, h)) < 0)
		return rc;
	k = strcmp(stage, SCREEN_STAGE_TA) ? 1 : 0;
	if (!(g = ho_prog_find(h, k, reviewer))) {
		if (ARRAY_GROW(h->prog, h->nprog, h->aprog, 8) < 0)
			return lsr_error_oom();
		g = &h->prog[h->nprog];
		memset(g, 0, sizeof(*g));
		g->stage = k;
		if (!(g->reviewer = xstrdup(reviewer)))
			return lsr_error_oom();
		if ((rc = progress_count(db, stage, reviewer, &g->assigned, &g->done)) < 0) {
			free(g->reviewer);
			return rc;
		}
		h->nprog++;
	}
	*assigned = g->assigned;
	*done = g->done;
	return 0;
}

int screen_serve_available(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
			   const char *stage_in, const char *reviewer, int64_t *out)
{
	const char *stage = scr_stage(stage_in);
	struct ho_stage *s;
	size_t k;
	int rc;

	*out = 0;
	if (!stage)
		return lsr_error_set(LSR_EUSAGE, "unknown stage '%s'", stage_in ? stage_in : "");
	if ((rc = ho_fresh(db, h)) < 0)
		return rc;
	s = &h->st[strcmp(stage, SCREEN_STAGE_TA) ? 1 : 0];
	if (!s->built && (rc = ho_build(db, p, h, s, stage)) < 0)
		return rc;
	if ((rc = ho_reviewer(s, reviewer, &k)) < 0)
		return rc == LSR_ENOMEM ? lsr_error_oom() : rc;
	/* kept by ho_build, ho_assign and ho_kill: no scan of the order */
	*out = s->avail - s->q[k].held;
	return 0;
}

void screen_handout_decided(struct screen_handout *h, const char *stage_in, const char *reviewer,
			    int first)
{
	const char *stage = scr_stage(stage_in);
	struct ho_stage *s;

	if (!h || !stage)
		return;
	s = &h->st[0];
	if (reviewer && first)
		ho_prog_note(h, stage, reviewer, 0, 1);
	if (strcmp(stage, SCREEN_STAGE_TA))
		return;
	/* what may change a ranking: the reviewer's decisions, and every
	 * resolution for everyone (rank_db.c's decisions_count) */
	for (size_t i = 0; i < s->nq; i++)
		if (s->q[i].rank_known && (!reviewer || !strcmp(s->q[i].reviewer, reviewer)))
			s->q[i].count++;
}

int screen_handout_ranking(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
			   const char *reviewer, int64_t *ranking, int *retraining, const char **error)
{
	struct ho_stage *s = &h->st[0];
	struct ho_queue *q;
	size_t k;
	int busy = 0, rc;

	*ranking = 0;
	*retraining = 0;
	*error = NULL;
	if (!ho_priority(p, SCREEN_STAGE_TA))
		return 0;
	if ((rc = ho_fresh(db, h)) < 0 || (rc = ho_reviewer(s, reviewer, &k)) < 0)
		return rc;
	q = &s->q[k];
	if ((rc = ho_rank_due(db, p, h, q, &busy)) < 0)
		return rc;
	*ranking = q->ranking;
	*retraining = busy;
	*error = q->rank_error[0] ? q->rank_error : NULL;
	return 1;
}

void screen_handout_worker_stats(struct screen_handout *h, long *made, double *last_ms,
				 double *total_ms)
{
	*made = 0;
	*last_ms = *total_ms = 0;
	if (h && h->worker)
		ho_worker_stats(h->worker, made, last_ms, total_ms);
}

int screen_serve_decide(struct lsr_db *db, const struct protocol *p, int64_t citation,
			const char *stage_in, const char *reviewer, const char *verdict_in,
			const char *reason_in, const char *note, int64_t *out_id, int *out_first)
{
	const char *stage = scr_stage(stage_in), *verdict = scr_verdict(verdict_in), *reason;
	char msg[512];
	int64_t live, id = 0;
	int ok = 0, undecided = 0, rc;

	if (!stage)
		return lsr_error_set(LSR_EUSAGE, "stage: expected %s or %s, not '%s'",
				     SCREEN_STAGE_TA, SCREEN_STAGE_FT, stage_in ? stage_in : "");
	if (!verdict)
		return lsr_error_set(LSR_EUSAGE, "verdict: expected include, exclude or maybe, not '%s'",
				     verdict_in ? verdict_in : "");
	if (!strcmp(stage, SCREEN_STAGE_FT) && !strcmp(verdict, "maybe"))
		return lsr_error_set(LSR_EUSAGE, "verdict: maybe is not a full-text verdict (include or exclude)");
	if (scr_reason_check(p, stage, verdict, reason_in, &reason, msg, sizeof(msg)) < 0)
		return lsr_error_set(LSR_EUSAGE, "reason: %s", msg);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if ((rc = screen_citation_live(db, citation, &live)) < 0 ||
	    (rc = scr_assigned(db, live, stage, reviewer, &ok)) < 0)
		goto fail;
	if (!ok) {
		rc = lsr_error_set(LSR_EUSAGE, "citation %lld is not assigned to '%s' at %s",
				   (long long)citation, reviewer, stage);
		goto fail;
	}
	/* (live: ho_undecided's other condition holds) */
	if ((rc = ho_undecided(db, live, stage, reviewer, &undecided)) < 0 ||
	    (rc = scr_decision_add(db, live, stage, "review", reviewer, verdict, reason, note, 0,
				   0, &id)) < 0)
		goto fail;
	rc = scr_audit(db, "screen-serve", "decision", id,
		       json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s}", "citation", (json_int_t)live,
				 "stage", stage, "reviewer", reviewer, "verdict", verdict,
				 "reason", reason, "via", "lsr serve"));
	if (rc < 0)
		goto fail;
	if ((rc = db_txn_commit(db)) < 0)
		return rc;
	if (out_id)
		*out_id = id;
	if (out_first)
		*out_first = undecided;
	return 0;
fail:
	db_txn_rollback(db);
	return rc;
}

int screen_serve_last_decision(struct lsr_db *db, const char *reviewer, int64_t before,
			       int64_t *out_id, int64_t *out_citation, const char **out_stage)
{
	static const char sql[] =
		"SELECT d.id, d.citation_id, d.stage FROM screen_decisions d"
		" WHERE d.kind = 'review' AND d.reviewer = ?1 AND d.import_id IS NULL"
		" AND d.carried_from IS NULL AND (?2 = 0 OR d.id < ?2)"
		" AND d.id = (SELECT max(x.id) FROM screen_decisions x WHERE x.citation_id = d.citation_id"
		"   AND x.stage = d.stage AND x.kind = 'review' AND x.reviewer = d.reviewer)"
		" ORDER BY d.id DESC LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	*out_id = 0;
	db_bind_text(st, 1, reviewer);
	sqlite3_bind_int64(st, 2, before);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*out_id = sqlite3_column_int64(st, 0);
		*out_citation = sqlite3_column_int64(st, 1);
		*out_stage = scr_stage((const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}

/*
 * What screen_serve_history walks: the reviewer's review decisions at a
 * stage that are the first of theirs on their citation, by id (the index
 * of migration 0017 walks them in that order; re-deciding a citation adds
 * a decision that is not a first, so it does not move), each answered
 * with the reviewer's current decision on that citation.
 */
#define HISTORY_FIRSTS(bound, order) \
	"SELECT d.citation_id FROM screen_decisions d" \
	" WHERE d.reviewer = ?1 AND d.stage = ?2 AND d.kind = 'review' AND " bound \
	" AND NOT EXISTS (SELECT 1 FROM screen_decisions x WHERE x.citation_id = d.citation_id" \
	"   AND x.stage = d.stage AND x.kind = 'review' AND x.reviewer = d.reviewer AND x.id < d.id)" \
	" ORDER BY d.id " order " LIMIT 1"
#define HISTORY_ANSWER(first) \
	"SELECT c.citation_id, c.verdict, c.reason, c.note, c.id FROM (" first ") f" \
	" JOIN screen_decisions c ON c.id = (SELECT max(y.id) FROM screen_decisions y" \
	"   WHERE y.citation_id = f.citation_id AND y.stage = ?2 AND y.kind = 'review'" \
	"   AND y.reviewer = ?1)"

/* A text column as a JSON string, or null. */
static json_t *text_col(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	return t ? json_string(t) : json_null();
}

/* The id of reviewer's first decision on citation at stage. */
static int history_first(struct lsr_db *db, const char *stage, const char *reviewer,
			 int64_t citation, int64_t *out)
{
	static const char sql[] =
		"SELECT min(id) FROM screen_decisions WHERE citation_id = ?3 AND stage = ?2"
		" AND kind = 'review' AND reviewer = ?1";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, reviewer);
	db_bind_text(st, 2, stage);
	sqlite3_bind_int64(st, 3, citation);
	step = sqlite3_step(st);
	*out = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_error(db, sql);
	if (!*out)
		return lsr_error_set(LSR_ENOTFOUND, "citation %lld is not one you decided at %s",
				     (long long)citation, stage);
	return 0;
}

int screen_serve_history(struct lsr_db *db, const char *stage_in, const char *reviewer,
			 int64_t before, int dir, json_t **out)
{
	/* (the bound on d.id is a range of the index; "?3 = 0 OR" would
	 * walk from the newest every time) */
	static const char sql_newest[] = HISTORY_ANSWER(HISTORY_FIRSTS("?3 = 0", "DESC"));
	static const char sql_prev[] = HISTORY_ANSWER(HISTORY_FIRSTS("d.id < ?3", "DESC"));
	static const char sql_next[] = HISTORY_ANSWER(HISTORY_FIRSTS("d.id > ?3", "ASC"));
	static const char sql_this[] = HISTORY_ANSWER("SELECT citation_id FROM screen_decisions"
						      " WHERE id = ?3");
	const char *stage = scr_stage(stage_in);
	const char *sql = dir > 0 ? sql_next : dir == 0 ? sql_this : before ? sql_prev : sql_newest;
	sqlite3_stmt *st;
	int64_t first = 0;
	int step, rc;

	*out = NULL;
	if (!stage)
		return lsr_error_set(LSR_EUSAGE, "stage: expected %s or %s", SCREEN_STAGE_TA,
				     SCREEN_STAGE_FT);
	if (before && (rc = history_first(db, stage, reviewer, before, &first)) < 0)
		return rc;
	if (dir >= 0 && !before)
		return lsr_error_set(LSR_EUSAGE, "history: a citation id is needed");
	if (!(st = db_prepare(db, sql)))
		return lsr_error_last_code();
	db_bind_text(st, 1, reviewer);
	db_bind_text(st, 2, stage);
	sqlite3_bind_int64(st, 3, first);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = json_pack("{s:I,s:o,s:o,s:o,s:I}", "citation",
				 (json_int_t)sqlite3_column_int64(st, 0), "verdict", text_col(st, 1),
				 "reason", text_col(st, 2), "note", text_col(st, 3), "decision",
				 (json_int_t)sqlite3_column_int64(st, 4));
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}

int screen_serve_reason_required(const struct protocol *p, const char *stage)
{
	return scr_reason_required(p, stage);
}

int screen_serve_assigned(struct lsr_db *db, int64_t citation, const char *stage,
			  const char *reviewer, int *out)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM screen_assignments WHERE citation_id = ?1"
		" AND (?2 IS NULL OR stage = ?2) AND reviewer = ?3)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	db_bind_text(st, 2, stage ? scr_stage(stage) : NULL);
	db_bind_text(st, 3, reviewer);
	step = sqlite3_step(st);
	*out = step == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 0 : db_error(db, sql);
}

int screen_serve_fulltext_file(struct lsr_db *db, int64_t citation, char **out)
{
	static const char sql[] =
		"SELECT file FROM screen_retrieval_current WHERE citation_id = ?1 AND retrieved = 1"
		" AND file IS NOT NULL";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step;

	*out = NULL;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && !(*out = xstrdup((const char *)sqlite3_column_text(st, 0)))) {
		sqlite3_reset(st);
		return LSR_ENOMEM;
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_error(db, sql);
}
