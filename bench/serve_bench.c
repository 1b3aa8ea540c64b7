/*
 * serve_bench.c - speed of 'lsr serve' (issue 12) on a large review.
 *
 *     bench_serve_bench [--n N] [--reviewers R] [--decisions D] [--pairs P]
 *                       [--priority P2] [--bulk] [--no-http] [--dir DIR]
 *                       [--lsr PATH]
 *
 * Builds (once; kept in DIR, default bench/out/serve-N) a review of N
 * generated citations (default 100,000): bench_gen_records writes RIS,
 * 'lsr import' and 'lsr dedup' read it; two reviewers are required per
 * citation, with reasons and one exclusion rule.  Then:
 *
 *   1. server time, in process: two reviewers take turns deciding P
 *      citations each (default 1,000) through the functions the server
 *      calls (screen_serve_next + screen_serve_citation_json, then
 *      screen_serve_decide): p50, p99 and worst of "next" (hand out and
 *      show) and "decide", and of one decision and the next citation
 *      together.  The first hand-out, which builds the hand-out order of
 *      the whole review, is reported apart.  Beside each wall-clock time
 *      the CPU time of the request's thread.
 *   1b. --priority P2: the same with screening.order: priority
 *      (retrain_every 10), two new reviewers deciding P2 citations each:
 *      every tenth decision of each makes their ranking due, which the
 *      server's worker thread makes while the requests go on; the
 *      rankings made and their time, then one ranking made alone (the
 *      retraining time itself, CPU of the whole process: the features
 *      use two threads).  Then a few rankings made inside the request
 *      (the worker off), for comparison.
 *   1c. --bulk: on a copy of the review (DIR/bulk, made once) where one
 *      reviewer has every citation assigned and decided (inserted as
 *      'lsr screen batch' and 'lsr screen import' record them): the
 *      reviewer's progress (the first call counts, the others are kept
 *      in memory) and their history (GET /api/history: the newest, and
 *      stepping back and forth).
 *   2. over HTTP: 'lsr serve' started on an ephemeral port, R reviewers
 *      (default 10) each in a thread log in with their link and decide D
 *      citations (default 1,000): GET /api/next then POST /api/decision,
 *      all at once; p50/p99 of each request as the client sees it.
 *      Afterwards the database is counted: every acknowledged decision
 *      stored exactly once, none that was not acknowledged.
 *
 * Wall-clock times (the machine is shared: run it on a quiet one).  The
 * target (issue 12) is p99 under 20 ms for "decide and show the next
 * citation" at 100,000 citations.
 */
#include "db/db.h"
#include "db/protocol.h"
#include "screen/rank.h"
#include "screen/serve_query.h"
#include "util/err.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char protocol_yaml[] =
	"lsr_protocol: 1\n"
	"title: serve benchmark review\n"
	"sources:\n"
	"  - name: PubMed\n"
	"screening:\n"
	"  reviewers: 2\n"
	"  reasons:\n"
	"    - {code: off-topic, label: Not relevant, stage: title-abstract}\n"
	"    - {code: animal, label: Animal study, stage: title-abstract}\n"
	"    - {code: abstract-only, label: Conference abstract, stage: full-text}\n"
	"  rules:\n"
	"    - name: animal-models\n"
	"      reason: animal\n"
	"      match: '\\b(rats|mice)\\b'\n";

/* snprintf into out, or -1 when it does not fit. */
static int fmt(char *out, size_t sz, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(out, sz, f, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of the calling thread, in ms. */
static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of the whole process (every thread), in ms. */
static double proc_cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* p50, p99 and the worst of n samples (sorted in place). */
static void report(const char *what, double *v, size_t n)
{
	if (!n) {
		printf("%-34s no samples\n", what);
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	/* nearest rank: the smallest sample at or above the share asked */
	printf("%-38s n=%-6zu p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n", what, n,
	       v[(n + 1) / 2 - 1], v[(n * 99 + 99) / 100 - 1], v[n - 1]);
}

/* Samples of a request: wall-clock and the thread's CPU time. */
struct samples {
	double *wall, *cpu;
	size_t n, cap;
};

static int samples_init(struct samples *t, size_t cap)
{
	t->wall = calloc(cap ? cap : 1, sizeof(double));
	t->cpu = calloc(cap ? cap : 1, sizeof(double));
	t->n = 0;
	t->cap = cap;
	return t->wall && t->cpu ? 0 : -1;
}

static void samples_add(struct samples *t, double wall, double cpu)
{
	if (t->n < t->cap) {
		t->wall[t->n] = wall;
		t->cpu[t->n++] = cpu;
	}
}

static void samples_report(const char *what, struct samples *t)
{
	char cpu[96];

	report(what, t->wall, t->n);
	snprintf(cpu, sizeof(cpu), "  (CPU of the request's thread)");
	report(cpu, t->cpu, t->n);
}

static void samples_release(struct samples *t)
{
	free(t->wall);
	free(t->cpu);
}

/* Run argv (NULL-terminated) in dir; its stdout into out (may be NULL). */
static int run(const char *dir, char *const argv[], const char *out)
{
	pid_t pid;
	int status;

	fflush(NULL);   /* or the child's freopen writes our buffer again */
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (dir && chdir(dir) != 0)
			_exit(127);
		if (out && !freopen(out, "w", stdout))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "bench_serve_bench: %s failed\n", argv[0]);
		return -1;
	}
	return 0;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* The review of n citations in dir/rev, made unless it is there. */
static int make_review(const char *dir, const char *lsr, const char *gen, long n)
{
	char rev[PATH_MAX], ris[PATH_MAX], path[PATH_MAX], num[32];
	struct stat sb;

	if (fmt(rev, sizeof(rev), "%s/rev", dir) < 0 ||
	    fmt(path, sizeof(path), "%s/review.db", rev) < 0 ||
	    fmt(ris, sizeof(ris), "%s/records.ris", dir) < 0)
		return -1;
	if (stat(path, &sb) == 0)
		return 0;
	snprintf(num, sizeof(num), "%ld", n);
	fprintf(stderr, "making a review of %ld citations in %s\n", n, rev);
	{
		char *gargv[] = { (char *)gen, "--format", "ris", "--records", num, "-o", ris, NULL };
		char *iargv[] = { (char *)lsr, "init", rev, NULL };
		char *margv[] = { (char *)lsr, "-C", rev, "import", ris, "--source", "PubMed", NULL };
		char *dargv[] = { (char *)lsr, "-C", rev, "dedup", NULL };

		if (run(NULL, gargv, NULL) < 0 || run(NULL, iargv, "/dev/null") < 0)
			return -1;
		if (fmt(path, sizeof(path), "%s/protocol.yaml", rev) < 0 ||
		    write_file(path, protocol_yaml) < 0)
			return -1;
		if (run(NULL, margv, "/dev/null") < 0 || run(NULL, dargv, "/dev/null") < 0)
			return -1;
	}
	unlink(ris);
	return 0;
}

/* ---- 1. server time, in process ------------------------------------------- */

/* As lsr serve does: WAL checkpoints once a second on a connection of
 * their own, not inside a request. */
struct checkpointer {
	const char *path;
	volatile int stop;
};

static void *checkpoint_run(void *arg)
{
	struct checkpointer *c = arg;
	sqlite3 *ck = NULL;

	if (sqlite3_open_v2(c->path, &ck, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
		while (!c->stop) {
			sleep(1);
			sqlite3_exec(ck, "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL, NULL);
		}
	sqlite3_close(ck);
	return NULL;
}

/* Between two requests of the priority run (a reviewer reads). */
#define PAUSE_MS 20

/* Two reviewers take turns: next citation (hand out + show), decide;
 * samples of next, decide, and decide + the next citation. */
static int take_turns(struct lsr_db *db, const struct protocol *p, struct screen_handout *h,
		      const char *who[2], long pairs, long pause_ms, double *first,
		      struct samples *tnext, struct samples *tdec, struct samples *tboth)
{
	const struct timespec pause = { pause_ms / 1000, (pause_ms % 1000) * 1000000L };
	double t0, t1, t2, c0, c1, c2, pend_wall = -1, pend_cpu = 0;
	int64_t id;
	json_t *c;

	*first = -1;
	for (long i = 0; i < pairs * 2; i++) {
		const char *r = who[i % 2];

		t0 = now_ms();
		c0 = cpu_ms();
		if (screen_serve_next(db, p, h, "title-abstract", r, &id) < 0 ||
		    (id && screen_serve_citation_json(db, id, &c) < 0))
			return -1;
		t1 = now_ms();
		c1 = cpu_ms();
		if (!id)
			break;
		json_decref(c);
		if (*first < 0 && i < 2)
			*first = t1 - t0;   /* the first of each: builds the order */
		else if (i >= 2)
			samples_add(tnext, t1 - t0, c1 - c0);
		if (pend_wall >= 0)
			samples_add(tboth, pend_wall + (t1 - t0), pend_cpu + (c1 - c0));
		if (screen_serve_decide(db, p, id, "title-abstract", r,
					id % 3 ? "include" : "exclude", id % 3 ? NULL : "off-topic",
					NULL, NULL, NULL) < 0)
			return -1;
		/* as api.c does after the commit */
		screen_handout_decided(h, "title-abstract", r, 1);
		t2 = now_ms();
		c2 = cpu_ms();
		samples_add(tdec, t2 - t1, c2 - c1);
		pend_wall = t2 - t1;
		pend_cpu = c2 - c1;
		if (pause_ms)
			nanosleep(&pause, NULL);   /* a reviewer reads between requests */
	}
	return 0;
}

static int in_process(const char *rev, long pairs, long ppairs)
{
	char path[PATH_MAX], ckpath[PATH_MAX];
	struct checkpointer ck = { 0 };
	pthread_t ckt;
	int ck_started = 0;
	struct lsr_db *db = NULL;
	struct protocol *p = NULL;
	struct screen_handout *h = NULL;
	const char *who[2] = { "inproc-a", "inproc-b" };
	char pa[64], pb[64];
	const char *pwho[2] = { pa, pb };
	struct samples tnext = { 0 }, tdec = { 0 }, tboth = { 0 };
	struct screen_ranking_job *job = NULL;
	double first = -1, t0, c0;
	long made;
	double last_ms, total_ms;
	int rc = -1;

	if (fmt(path, sizeof(path), "%s/review.db", rev) < 0 ||
	    samples_init(&tnext, (size_t)(pairs > ppairs ? pairs : ppairs) * 2 + 100000) < 0 ||
	    samples_init(&tdec, (size_t)(pairs > ppairs ? pairs : ppairs) * 2 + 100000) < 0 ||
	    samples_init(&tboth, (size_t)(pairs > ppairs ? pairs : ppairs) * 2 + 100000) < 0 ||
	    db_open(&db, path, 0) < 0 ||
	    fmt(path, sizeof(path), "%s/protocol.yaml", rev) < 0)
		goto out;
	if (protocol_load(&p, path) < 0 || !(h = screen_handout_new(42)) ||
	    db_exec(db, "PRAGMA wal_autocheckpoint = 0") < 0 ||
	    fmt(ckpath, sizeof(ckpath), "%s/review.db", rev) < 0)
		goto out;
	ck.path = ckpath;
	if (pthread_create(&ckt, NULL, checkpoint_run, &ck) != 0)
		goto out;
	ck_started = 1;
	t0 = now_ms();
	c0 = cpu_ms();
	if (screen_handout_warm(db, p, h) < 0)
		goto out;
	printf("in process (%s, 2 reviewers taking turns)\n", rev);
	printf("%-38s %.1f ms (CPU %.1f ms)\n", "build the hand-out order (server start)",
	       now_ms() - t0, cpu_ms() - c0);
	if (take_turns(db, p, h, who, pairs, 0, &first, &tnext, &tdec, &tboth) < 0)
		goto out;
	printf("%-38s %.1f ms\n", "first hand-out", first);
	samples_report("next citation (hand out + show)", &tnext);
	samples_report("decide", &tdec);
	samples_report("decide + next citation", &tboth);
	if (ppairs <= 0) {
		rc = 0;
		goto out;
	}

	/* ---- 1b. priority order: retraining beside the requests ---- */
	free(p->screening_order);
	p->screening_order = strdup("priority");
	p->priority.retrain_every = 10;
	screen_handout_free(h);
	if (!p->screening_order || !(h = screen_handout_new(42)) || screen_handout_warm(db, p, h) < 0)
		goto out;
	snprintf(pa, sizeof(pa), "prio-a-%ld", (long)getpid());
	snprintf(pb, sizeof(pb), "prio-b-%ld", (long)getpid());
	tnext.n = tdec.n = tboth.n = 0;
	t0 = now_ms();
	/* a reviewer every 20 ms each, until the worker has made (and the
	 * server taken) two rankings after the first ones, or 20 minutes */
	if (take_turns(db, p, h, pwho, ppairs, PAUSE_MS, &first, &tnext, &tdec, &tboth) < 0)
		goto out;
	for (;;) {
		double f2;

		screen_handout_worker_stats(h, &made, &last_ms, &total_ms);
		if (made >= 4 || now_ms() - t0 > 20 * 60e3)
			break;
		if (take_turns(db, p, h, pwho, 10, PAUSE_MS, &f2, &tnext, &tdec, &tboth) < 0)
			goto out;
	}
	screen_handout_worker_stats(h, &made, &last_ms, &total_ms);
	printf("\npriority order (retrain_every 10, the worker retraining beside the requests;"
	       " %.1f s, %ld ms between requests)\n", (now_ms() - t0) / 1e3, (long)PAUSE_MS);
	printf("%-38s %.1f ms\n", "first hand-out (no ranking yet)", first);
	samples_report("next citation (hand out + show)", &tnext);
	samples_report("decide", &tdec);
	samples_report("decide + next citation", &tboth);
	printf("%-38s %ld made, %.0f ms each on average (wall, worker thread)\n",
	       "rankings made by the worker", made, made ? total_ms / (double)made : 0.0);
	/* the retraining time itself: one ranking alone */
	t0 = now_ms();
	c0 = proc_cpu_ms();
	if (screen_ranking_compute(&job, db, pa, 42) < 0)
		goto out;
	printf("%-38s %.0f ms wall, %.0f ms CPU (%s: %lld decisions)\n",
	       "one ranking alone (load, features, fit)", now_ms() - t0, proc_cpu_ms() - c0, pa,
	       (long long)screen_ranking_job_decisions(job));
	screen_ranking_job_free(job);
	job = NULL;
	/* for comparison: retraining inside the request that finds it due */
	screen_handout_set_worker(h, 0);
	tnext.n = tdec.n = tboth.n = 0;
	if (take_turns(db, p, h, pwho, 15, 0, &first, &tnext, &tdec, &tboth) < 0)
		goto out;
	samples_report("without the worker: decide + next", &tboth);
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "bench_serve_bench: %s\n", lsr_error_last());
	if (ck_started) {
		ck.stop = 1;
		pthread_join(ckt, NULL);
	}
	screen_ranking_job_free(job);
	screen_handout_free(h);
	protocol_free(p);
	db_close(db);
	samples_release(&tnext);
	samples_release(&tdec);
	samples_release(&tboth);
	return rc;
}

/* ---- 1c. progress and history of a reviewer with every citation ----------- */

/* DIR/bulk: a copy of the review where reviewer "bulk" has every
 * citation assigned and decided, as lsr screen batch and lsr screen
 * import record them (one batch, one import), made unless it is there. */
static int make_bulk(const char *rev, const char *bulk)
{
	static const char sql[] =
		"BEGIN IMMEDIATE;"
		"INSERT INTO screen_batches(stage, reviewer, size, seed, reviewers_required, file,"
		" created_at, actor) SELECT 'title-abstract', 'bulk', count(*), 1, 2, 'bulk.csv',"
		" '2026-12-07T00:00:00Z', 'bench' FROM live_citations;"
		"INSERT INTO screen_assignments(citation_id, stage, reviewer, batch_id, position,"
		" required, at) SELECT id, 'title-abstract', 'bulk', last_insert_rowid(),"
		" row_number() OVER (ORDER BY id), 2, '2026-12-07T00:00:00Z' FROM live_citations"
		" WHERE true ON CONFLICT DO NOTHING;"
		"INSERT INTO screen_decisions(citation_id, stage, kind, reviewer, verdict, reason, at,"
		" actor) SELECT citation_id, 'title-abstract', 'review', 'bulk',"
		" CASE WHEN citation_id % 3 THEN 'include' ELSE 'exclude' END,"
		" CASE WHEN citation_id % 3 THEN NULL ELSE 'off-topic' END,"
		" '2026-12-07T00:00:00Z', 'bench' FROM screen_assignments WHERE reviewer = 'bulk'"
		" ORDER BY position;"
		"COMMIT;";
	char from[PATH_MAX], to[PATH_MAX];
	struct stat sb;
	sqlite3 *db = NULL;
	int ok;

	if (fmt(to, sizeof(to), "%s/review.db", bulk) < 0 ||
	    fmt(from, sizeof(from), "%s/review.db", rev) < 0)
		return -1;
	if (stat(to, &sb) == 0)
		return 0;
	fprintf(stderr, "making %s (every citation assigned to and decided by one reviewer)\n",
		bulk);
	mkdir(bulk, 0777);
	if (sqlite3_open_v2(from, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto fail;
	{
		sqlite3_stmt *st = NULL;

		ok = sqlite3_prepare_v2(db, "VACUUM INTO ?1", -1, &st, NULL) == SQLITE_OK &&
		     sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC) == SQLITE_OK &&
		     sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	db = NULL;
	if (!ok || sqlite3_open_v2(to, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_close(db);
	return fmt(from, sizeof(from), "%s/protocol.yaml", bulk) < 0 ? -1
	       : write_file(from, protocol_yaml);
fail:
	fprintf(stderr, "bench_serve_bench: making %s: %s\n", bulk, db ? sqlite3_errmsg(db) : "?");
	sqlite3_close(db);
	unlink(to);
	return -1;
}

static int bulk_run(const char *bulk)
{
	char path[PATH_MAX];
	struct lsr_db *db = NULL;
	struct protocol *p = NULL;
	struct screen_handout *h = NULL;
	struct samples tp = { 0 }, th = { 0 };
	int64_t assigned = 0, done = 0, at = 0;
	double t0, c0;
	json_t *o = NULL;
	int rc = -1;

	if (fmt(path, sizeof(path), "%s/review.db", bulk) < 0 || db_open(&db, path, 0) < 0 ||
	    fmt(path, sizeof(path), "%s/protocol.yaml", bulk) < 0 || protocol_load(&p, path) < 0 ||
	    !(h = screen_handout_new(42)) || samples_init(&tp, 200) < 0 ||
	    samples_init(&th, 400) < 0)
		goto out;
	printf("\none reviewer with every citation assigned and decided (%s)\n", bulk);
	t0 = now_ms();
	c0 = cpu_ms();
	if (screen_serve_progress(db, NULL, "title-abstract", "bulk", &assigned, &done) < 0)
		goto out;
	printf("%-38s %.1f ms (CPU %.1f ms): %lld assigned, %lld done\n",
	       "progress counted in the database", now_ms() - t0, cpu_ms() - c0,
	       (long long)assigned, (long long)done);
	t0 = now_ms();
	c0 = cpu_ms();
	if (screen_serve_progress(db, h, "title-abstract", "bulk", &assigned, &done) < 0)
		goto out;
	printf("%-38s %.1f ms (CPU %.1f ms)\n", "progress, the server's first call", now_ms() - t0,
	       cpu_ms() - c0);
	for (int i = 0; i < 200; i++) {
		t0 = now_ms();
		c0 = cpu_ms();
		if (screen_serve_progress(db, h, "title-abstract", "bulk", &assigned, &done) < 0)
			goto out;
		samples_add(&tp, now_ms() - t0, cpu_ms() - c0);
	}
	samples_report("progress, the server's later calls", &tp);
	/* GET /api/history: the newest, then back 200 and forth 200 */
	for (int i = 0; i < 400; i++) {
		int dir = i < 200 ? -1 : 1;

		t0 = now_ms();
		c0 = cpu_ms();
		if (screen_serve_history(db, "title-abstract", "bulk", at, i == 200 ? 0 : dir, &o) < 0 || !o)
			goto out;
		samples_add(&th, now_ms() - t0, cpu_ms() - c0);
		at = json_integer_value(json_object_get(o, "citation"));
		json_decref(o);
		o = NULL;
	}
	samples_report("history (newest, back, forth)", &th);
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "bench_serve_bench: %s\n", lsr_error_last());
	json_decref(o);
	screen_handout_free(h);
	protocol_free(p);
	db_close(db);
	samples_release(&tp);
	samples_release(&th);
	return rc;
}

/* ---- 2. over HTTP ------------------------------------------------------------ */

struct client {
	char name[32];
	char token[80];
	const char *url;
	long decisions;
	double *tnext, *tdec;
	size_t nnext, ndec;
	double first;          /* the reviewer's first GET /api/next */
	int64_t *acked;      /* decision ids acknowledged */
	size_t nacked;
	int errors;
};

struct sink {
	char *s;
	size_t len;
};

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	struct sink *b = payload;
	char *t = realloc(b->s, b->len + size * n + 1);

	if (!t)
		return 0;
	memcpy(t + b->len, data, size * n);
	b->s = t;
	b->len += size * n;
	b->s[b->len] = '\0';
	return size * n;
}

/* One request; the answer's JSON into *out (may be NULL); HTTP status. */
static long request(CURL *cu, const char *url, const char *post, struct curl_slist *hdr,
		    json_t **out)
{
	struct sink b = { 0 };
	long code = 0;

	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hdr);
	if (post)
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, post);
	else
		curl_easy_setopt(cu, CURLOPT_HTTPGET, 1L);
	if (curl_easy_perform(cu) == CURLE_OK)
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &code);
	if (out)
		*out = b.s ? json_loads(b.s, 0, NULL) : NULL;
	free(b.s);
	return code;
}

static void *client_run(void *arg)
{
	struct client *c = arg;
	CURL *cu = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char url[512], hcsrf[128], body[256];
	json_t *v = NULL;
	double t0, t1, t2;

	if (!cu) {
		c->errors++;
		return NULL;
	}
	curl_easy_setopt(cu, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
	if (fmt(url, sizeof(url), "%s/login?token=%s", c->url, c->token) < 0 ||
	    request(cu, url, NULL, NULL, NULL) != 303)
		goto fail;
	snprintf(url, sizeof(url), "%s/api/me", c->url);
	if (request(cu, url, NULL, NULL, &v) != 200 ||
	    !json_is_string(json_object_get(v, "csrf")))
		goto fail;
	snprintf(hcsrf, sizeof(hcsrf), "X-CSRF-Token: %s",
		 json_string_value(json_object_get(v, "csrf")));
	json_decref(v);
	v = NULL;
	hdr = curl_slist_append(hdr, hcsrf);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	for (long i = 0; i < c->decisions; i++) {
		json_int_t id;

		snprintf(url, sizeof(url), "%s/api/next", c->url);
		t0 = now_ms();
		if (request(cu, url, NULL, NULL, &v) != 200)
			goto fail;
		t1 = now_ms();
		if (i == 0)
			c->first = t1 - t0;
		else
			c->tnext[c->nnext++] = t1 - t0;
		id = json_integer_value(json_object_get(json_object_get(v, "citation"), "citation"));
		json_decref(v);
		v = NULL;
		if (id <= 0)
			break;
		snprintf(body, sizeof(body),
			 "{\"citation\": %lld, \"verdict\": \"%s\"%s}", (long long)id,
			 id % 3 ? "include" : "exclude", id % 3 ? "" : ", \"reason\": \"off-topic\"");
		snprintf(url, sizeof(url), "%s/api/decision", c->url);
		if (request(cu, url, body, hdr, &v) != 200)
			goto fail;
		t2 = now_ms();
		c->tdec[c->ndec++] = t2 - t1;
		c->acked[c->nacked++] = json_integer_value(json_object_get(v, "decision"));
		json_decref(v);
		v = NULL;
	}
	goto out;
fail:
	c->errors++;
out:
	json_decref(v);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(cu);
	return NULL;
}

/* The login token of a new account name (the last line of stdout). */
static int add_reviewer(const char *lsr, const char *rev, const char *dir, const char *name,
			char *token, size_t tsz)
{
	char out[PATH_MAX], line[512] = "", *t;
	char *argv[] = { (char *)lsr, "-C", (char *)rev, "serve", "--add-reviewer",
			 (char *)name, NULL };
	FILE *f;

	if (fmt(out, sizeof(out), "%s/link.out", dir) < 0 || run(NULL, argv, out) < 0 || !(f = fopen(out, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		;
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (!(t = strstr(line, "token=")))
		return -1;
	snprintf(token, tsz, "%s", t + 6);
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The server's decisions of the bench's HTTP reviewers, as the DB has them:
 * how many, how many (citation, reviewer) pairs, and whether their ids are
 * exactly the acknowledged ones. */
static int count_db(const char *rev, const char *like, int64_t *acked, size_t nacked)
{
	char path[PATH_MAX];
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t *ids = malloc((nacked + 1) * sizeof(*ids));
	size_t n = 0, over = 0;
	long pairs = 0;
	int same;

	if (fmt(path, sizeof(path), "%s/review.db", rev) < 0 || !ids || sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		free(ids);
		return -1;
	}
	sqlite3_prepare_v2(db, "SELECT id FROM screen_decisions WHERE reviewer LIKE ?1"
			   " ORDER BY id", -1, &st, NULL);
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n < nacked)
			ids[n++] = sqlite3_column_int64(st, 0);
		else
			over++;
	}
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "SELECT count(*) FROM (SELECT DISTINCT citation_id, reviewer"
			   " FROM screen_decisions WHERE reviewer LIKE ?1)", -1, &st, NULL);
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		pairs = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	qsort(acked, nacked, sizeof(*acked), cmp_i64);
	same = n == nacked && !over && (!n || !memcmp(ids, acked, n * sizeof(*ids)));
	printf("database afterwards: %zu decisions of the HTTP reviewers, %ld (citation, reviewer)"
	       " pairs, %zu acknowledged: %s\n", n + over, pairs, nacked,
	       same && (size_t)pairs == nacked ? "0 lost, 0 doubled" : "MISMATCH");
	free(ids);
	return same && (size_t)pairs == nacked ? 0 : -1;
}

static int over_http(const char *lsr, const char *rev, const char *dir, int nrev, long per)
{
	struct client *cl = calloc((size_t)nrev, sizeof(*cl));
	pthread_t *th = calloc((size_t)nrev, sizeof(*th));
	char url[128] = "", line[512];
	double *all_next = NULL, *all_dec = NULL, *all_first = NULL, t0, wall;
	int64_t *all_acked = NULL;
	size_t nn = 0, nd = 0, na = 0;
	int fd[2], rc = -1, errors = 0, status;
	pid_t pid = -1;
	FILE *f = NULL;

	if (!cl || !th)
		goto out;
	for (int i = 0; i < nrev; i++) {
		snprintf(cl[i].name, sizeof(cl[i].name), "http-%d-%ld", i, (long)getpid());
		if (add_reviewer(lsr, rev, dir, cl[i].name, cl[i].token, sizeof(cl[i].token)) < 0)
			goto out;
		cl[i].decisions = per;
		cl[i].tnext = calloc((size_t)per, sizeof(double));
		cl[i].tdec = calloc((size_t)per, sizeof(double));
		cl[i].acked = calloc((size_t)per, sizeof(int64_t));
		if (!cl[i].tnext || !cl[i].tdec || !cl[i].acked)
			goto out;
	}
	fflush(NULL);
	if (pipe(fd) < 0 || (pid = fork()) < 0)
		goto out;
	if (pid == 0) {
		char *argv[] = { (char *)lsr, "-C", (char *)rev, "serve", "--listen",
				 "127.0.0.1:0", "--seed", "7", NULL };

		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execv(lsr, argv);
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *s = strstr(line, "http://");

		if (s) {
			s[7 + strcspn(s + 7, "/ \n")] = '\0';
			snprintf(url, sizeof(url), "%s", s);
			break;
		}
	}
	if (!*url) {
		fprintf(stderr, "bench_serve_bench: the server printed no URL\n");
		goto out;
	}
	t0 = now_ms();
	for (int i = 0; i < nrev; i++) {
		cl[i].url = url;
		pthread_create(&th[i], NULL, client_run, &cl[i]);
	}
	for (int i = 0; i < nrev; i++)
		pthread_join(th[i], NULL);
	wall = now_ms() - t0;
	all_next = calloc((size_t)nrev * (size_t)per, sizeof(double));
	all_dec = calloc((size_t)nrev * (size_t)per, sizeof(double));
	all_acked = calloc((size_t)nrev * (size_t)per + 1, sizeof(int64_t));
	all_first = calloc((size_t)nrev, sizeof(double));
	if (!all_next || !all_dec || !all_acked || !all_first)
		goto out;
	for (int i = 0; i < nrev; i++) {
		memcpy(all_next + nn, cl[i].tnext, cl[i].nnext * sizeof(double));
		nn += cl[i].nnext;
		memcpy(all_dec + nd, cl[i].tdec, cl[i].ndec * sizeof(double));
		nd += cl[i].ndec;
		memcpy(all_acked + na, cl[i].acked, cl[i].nacked * sizeof(int64_t));
		na += cl[i].nacked;
		errors += cl[i].errors;
	}
	printf("over HTTP (%d reviewers at once, %ld decisions each): %.1f s, %.0f decisions/s,"
	       " %d client errors\n", nrev, per, wall / 1e3, (double)nd / (wall / 1e3), errors);
	for (int i = 0; i < nrev; i++)
		all_first[i] = cl[i].first;
	report("first GET /api/next of each", all_first, (size_t)nrev);
	report("GET /api/next (the others)", all_next, nn);
	report("POST /api/decision", all_dec, nd);
	rc = errors ? -1 : 0;
out:
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, &status, 0);
	}
	if (f)
		fclose(f);
	snprintf(line, sizeof(line), "http-%%-%ld", (long)getpid());
	if (pid > 0 && all_acked && count_db(rev, line, all_acked, na) < 0)
		rc = -1;
	for (int i = 0; cl && i < nrev; i++) {
		free(cl[i].tnext);
		free(cl[i].tdec);
		free(cl[i].acked);
	}
	free(cl);
	free(th);
	free(all_next);
	free(all_first);
	free(all_dec);
	free(all_acked);
	return rc;
}

/* A sibling of this program's directory (the build's lsr is one up). */
static void beside(char *out, size_t sz, const char *argv0, const char *rel)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		snprintf(self, sizeof(self), "%s", argv0);
	else
		self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	if (fmt(out, sz, "%s/%s", slash ? self : ".", rel) < 0)
		*out = '\0';
}

int main(int argc, char **argv)
{
	long n = 100000, pairs = 1000, per = 1000, ppairs = 0;
	int nrev = 10, bulk = 0, http = 1;
	char lsr[PATH_MAX], gen[PATH_MAX], dir[PATH_MAX] = "", rev[PATH_MAX], bdir[PATH_MAX];

	beside(lsr, sizeof(lsr), argv[0], "../lsr");
	beside(gen, sizeof(gen), argv[0], "bench_gen_records");
	for (int i = 1; i < argc; i++) {
		int more = i + 1 < argc; /* an option's value follows */

		if (!strcmp(argv[i], "--n") && more)
			n = atol(argv[++i]);
		else if (!strcmp(argv[i], "--reviewers") && more)
			nrev = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--decisions") && more)
			per = atol(argv[++i]);
		else if (!strcmp(argv[i], "--pairs") && more)
			pairs = atol(argv[++i]);
		else if (!strcmp(argv[i], "--priority") && more)
			ppairs = atol(argv[++i]);
		else if (!strcmp(argv[i], "--bulk"))
			bulk = 1;
		else if (!strcmp(argv[i], "--no-http"))
			http = 0;
		else if (!strcmp(argv[i], "--dir") && more)
			snprintf(dir, sizeof(dir), "%s", argv[++i]);
		else if (!strcmp(argv[i], "--lsr") && more)
			snprintf(lsr, sizeof(lsr), "%s", argv[++i]);
		else {
			fprintf(stderr, "usage: bench_serve_bench [--n N] [--reviewers R] [--decisions D]"
				" [--pairs P] [--priority P2] [--bulk] [--no-http] [--dir DIR] [--lsr PATH]\n");
			return 2;
		}
	}
	if (n <= 0 || nrev <= 0 || per <= 0 || pairs <= 0) {
		fprintf(stderr, "bench_serve_bench: the numbers must be positive\n");
		return 2;
	}
	if (!*dir) {
		mkdir("bench", 0777);
		mkdir("bench/out", 0777);
		snprintf(dir, sizeof(dir), "bench/out/serve-%ld", n);
	}
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "bench_serve_bench: cannot make %s\n", dir);
		return 1;
	}
	fmt(rev, sizeof(rev), "%s/rev", dir);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	fmt(bdir, sizeof(bdir), "%s/bulk", dir);
	if (make_review(dir, lsr, gen, n) < 0 || in_process(rev, pairs, ppairs) < 0 ||
	    (bulk && (make_bulk(rev, bdir) < 0 || bulk_run(bdir) < 0)) ||
	    (http && over_http(lsr, rev, dir, nrev, per) < 0)) {
		curl_global_cleanup();
		return 1;
	}
	curl_global_cleanup();
	return 0;
}
