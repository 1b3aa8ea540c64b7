/*
 * screen_sim.c - prioritised screening replayed on labelled sets (issue 13).
 *
 *     bench_screen_sim [--sets DIR] [--seeds N] [--json] [--only SET,...]
 *                      [--label L] [--every N] [--nudging-subset] [--no-baseline]
 *                      [--trace] [--synthetic N ...] [--labelled F] [tuning options]
 *
 * Every DIR/<set>/records.csv.gz (default ../shared/fixtures/screening,
 * whose README gives the format) is screened by an oracle in the order the
 * production ranking code (screen/rank.c) gives: 1 random include and 1
 * random exclude first, then the top of the ranking, the model retrained
 * after every N decisions (the production default, 10).  Per set and label
 * level (title-abstract: label_included, final: label_final), means over
 * seeds 1..N (default 20):
 *   wss95, wss100      work saved over sampling at recall 95% / 100% (%)
 *   recall_at_10, _25  recall after 10% / 25% of the records (%)
 *   last_include_at    records screened when the last include was found
 *   baseline_wss95     the same replay with the reference learner (TF-IDF
 *                      unigrams of title and abstract, multinomial naive
 *                      Bayes alpha 3.822, class-balanced weights)
 *   stop_*             the stopping rule (screen/stopping.c, recall 95%,
 *                      confidence 95%) checked after every N decisions:
 *                      recall at the stop, share of runs whose recall at
 *                      the stop fell below 95%, work saved (% of records
 *                      not screened); a run that never stops saves 0.
 * A set whose two levels agree on every record (one that publishes only
 * the final decision) is replayed once and printed under both labels.
 * --nudging-subset adds the 1,847-record nudging subset on which ASReview
 * published WSS@95 71.7 (the README's rule).  --synthetic N times feature
 * building and one retrain + re-rank of N citations made of the real
 * records (varied), --labelled F of them labelled (default 0.1), and
 * prints peak memory.  --only takes nagtegaal2019_nudging_1847 for the
 * subset alone; --trace prints each include found (seed, position, row)
 * to stderr, --trace-all every record screened ("tracex" lines for the
 * excludes).  The tuning options change the production method for every
 * set alike (rank.h's options): --C, --include-weight, --include-power,
 * --presumed, --alpha, --min-df, --title-weight, --keyword-weight,
 * --unigrams, --bigrams, --raw-tf, --log-tf (1 + ln tf, production before
 * BM25's tf), --bm25-k1, --bm25-b, --no-keywords,
 * --title-terms, --nb, --svm, --ensemble; --no-title-model scores the
 * records without an abstract with the full model alone (rank.h: struct
 * rank_title_model), --title-blend W gives the title model's log-odds the
 * weight W in their score (production RANK_TITLE_WEIGHT), --title-C its C;
 * --C-scale S [--C-pow P] trains with C x (S / screened)^P once more than
 * S records are screened (P 1 by default; measured, not production);
 * --eps liblinear's stopping tolerance; --second-tf raw|log|bm25 and
 * --second-unigrams train a second model on the same terms weighed with
 * that tf (or unigrams alone) and score the mean of the two log-odds,
 * --second-weight W giving the second the weight W (0.5; measured, not
 * production); --select-cv adds the second model at a retrain only when
 * 5-fold cross-validation on the labels so far says the mean ranks them
 * better (average precision), and prints how often it did.
 * Figures go to stdout; nothing is written.
 */
#include "cli/opt.h"
#include "screen/rank.h"
#include "util/err.h"
#include "util/strv.h"

#include <csv.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <time.h>
#include <zlib.h>

struct set {
	char *name;
	size_t n;
	char **id, **title, **abstract, **keywords;
	signed char *ta, *fin;
};

/* ---- reading a set -------------------------------------------------------- */

struct reader {
	struct set *s;
	int col;          /* field within the row */
	int row;          /* 0: header */
	int map[8];       /* file column -> ours (-1: unused) */
	char *f[6];       /* id title abstract keywords label_included label_final */
	size_t alloc;
	int bad;
};

static const char *const want[6] = { "id", "title", "abstract", "keywords",
				     "label_included", "label_final" };

static void on_field(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;

	if (r->row == 0) {
		if (r->col < 8) {
			r->map[r->col] = -1;
			for (int k = 0; k < 6; k++)
				if (strlen(want[k]) == len && !memcmp(data, want[k], len))
					r->map[r->col] = k;
		}
	} else if (r->col < 8 && r->map[r->col] >= 0) {
		char *c = malloc(len + 1);

		if (!c) {
			r->bad = 1;
		} else {
			memcpy(c, data, len);
			c[len] = 0;
			free(r->f[r->map[r->col]]);
			r->f[r->map[r->col]] = c;
		}
	}
	r->col++;
}

static int grow(struct set *s, size_t *alloc)
{
	size_t na = *alloc ? *alloc * 2 : 1024;
	void *p[6];

	p[0] = realloc(s->id, na * sizeof(char *));
	if (p[0])
		s->id = p[0];
	p[1] = realloc(s->title, na * sizeof(char *));
	if (p[1])
		s->title = p[1];
	p[2] = realloc(s->abstract, na * sizeof(char *));
	if (p[2])
		s->abstract = p[2];
	p[3] = realloc(s->keywords, na * sizeof(char *));
	if (p[3])
		s->keywords = p[3];
	p[4] = realloc(s->ta, na);
	if (p[4])
		s->ta = p[4];
	p[5] = realloc(s->fin, na);
	if (p[5])
		s->fin = p[5];
	for (int k = 0; k < 6; k++)
		if (!p[k])
			return -1;
	*alloc = na;
	return 0;
}

static void on_row(int c, void *ctx)
{
	struct reader *r = ctx;
	struct set *s = r->s;

	(void)c;
	if (r->row++ == 0) {
		r->col = 0;
		return;
	}
	r->col = 0;
	if (s->n == r->alloc && grow(s, &r->alloc) < 0) {
		r->bad = 1;
		return;
	}
	s->id[s->n] = r->f[0] ? r->f[0] : strdup("");
	s->title[s->n] = r->f[1];
	s->abstract[s->n] = r->f[2];
	s->keywords[s->n] = r->f[3];
	s->ta[s->n] = (signed char)(r->f[4] && r->f[4][0] == '1');
	s->fin[s->n] = (signed char)(r->f[5] && r->f[5][0] == '1');
	free(r->f[4]);
	free(r->f[5]);
	memset(r->f, 0, sizeof(r->f));
	s->n++;
}

static int set_load(struct set *s, const char *dir, const char *name)
{
	char path[4096], chunk[65536];
	struct csv_parser p;
	struct reader r;
	gzFile gz;
	int len;

	memset(s, 0, sizeof(*s));
	memset(&r, 0, sizeof(r));
	r.s = s;
	s->name = strdup(name);
	snprintf(path, sizeof(path), "%s/%s/records.csv.gz", dir, name);
	if (!(gz = gzopen(path, "rb"))) {
		fprintf(stderr, "bench_screen_sim: cannot open %s\n", path);
		return -1;
	}
	csv_init(&p, CSV_APPEND_NULL);
	while ((len = gzread(gz, chunk, sizeof(chunk))) > 0)
		if (csv_parse(&p, chunk, (size_t)len, on_field, on_row, &r) != (size_t)len) {
			r.bad = 1;
			break;
		}
	csv_fini(&p, on_field, on_row, &r);
	csv_free(&p);
	gzclose(gz);
	for (int k = 0; k < 6; k++)
		free(r.f[k]);
	if (r.bad)
		fprintf(stderr, "bench_screen_sim: %s: malformed CSV\n", path);
	return r.bad ? -1 : 0;
}

static void set_free(struct set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->id[i]);
		free(s->title[i]);
		free(s->abstract[i]);
		free(s->keywords[i]);
	}
	free(s->id);
	free(s->title);
	free(s->abstract);
	free(s->keywords);
	free(s->ta);
	free(s->fin);
	free(s->name);
}

static int cmp_idnum(const void *a, const void *b, void *ctx)
{
	const struct set *s = ctx;
	long x = atol(s->id[*(const size_t *)a]), y = atol(s->id[*(const size_t *)b]);

	return x < y ? -1 : x > y;
}

/* The README's 1,847-record nudging subset: by numeric id, no empty
 * abstract, no abstract equal to an earlier one. */
static int nudging_subset(struct set *out, const struct set *s)
{
	size_t *ix = malloc(s->n * sizeof(*ix)), alloc = 0;

	memset(out, 0, sizeof(*out));
	if (!ix)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		ix[i] = i;
	qsort_r(ix, s->n, sizeof(*ix), cmp_idnum, (void *)s);
	out->name = strdup("nagtegaal2019_nudging_1847");
	for (size_t a = 0; a < s->n; a++) {
		size_t i = ix[a];
		int dup = 0;

		if (!s->abstract[i] || !s->abstract[i][0])
			continue;
		for (size_t b = 0; b < out->n && !dup; b++)
			dup = !strcmp(out->abstract[b], s->abstract[i]);
		if (dup)
			continue;
		if (out->n == alloc && grow(out, &alloc) < 0) {
			free(ix);
			return -1;
		}
		out->id[out->n] = strdup(s->id[i]);
		out->title[out->n] = s->title[i] ? strdup(s->title[i]) : NULL;
		out->abstract[out->n] = strdup(s->abstract[i]);
		out->keywords[out->n] = s->keywords[i] ? strdup(s->keywords[i]) : NULL;
		out->ta[out->n] = s->ta[i];
		out->fin[out->n] = s->fin[i];
		out->n++;
	}
	free(ix);
	return 0;
}

/* ---- the replay -------------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

struct run {
	double wss95, wss100, r10, r25, last;
	double stop_recall, stop_saved;
	int stopped;
};

struct method {
	struct rank_feat_opts fo;
	struct rank_model_opts mo;
	int keywords;     /* the keywords field takes part */
};

static double c_scale, c_pow = 1.0; /* experiment: C shrinks past c_scale screened */
static int trace; /* --trace: each include found to stderr (seed, position, row) */

/* --no-title-model: rows without an abstract scored by the full model
 * (rank.h: struct rank_title_model); the features' options */
static int no_title_model;
static struct rank_feat_opts feat_opts;
static double title_C; /* --title-C: the title model's C (0: the model's) */
static double title_weight = RANK_TITLE_WEIGHT; /* --title-blend W */
/* experiment --second-tf / --second-unigrams: a second LR on the same
 * terms weighed otherwise, the two log-odds averaged */
static int second_view, second_tf = -1, second_unigrams;
static double second_weight = 0.5;
/* experiment --select-cv: at each retrain, the second model joins only
 * when 5-fold cross-validation on the labels so far gives the average of
 * the two a higher average precision than the first alone */
static int select_cv;
static size_t cv_chose[2];

/* The average precision of the rows held[i] == -1 ranked by score as the
 * production order ranks (rank_order: ties by ids); lab their labels,
 * order room for n. */
static double avg_prec(const double *score, const signed char *held, const signed char *lab,
		       const int64_t *ids, size_t *order, size_t n)
{
	size_t k = 0, pos = 0;
	double sum = 0;

	rank_order(order, &k, score, held, ids, n);
	for (size_t r = 0; r < k; r++)
		if (lab[order[r]] == 1) {
			pos++;
			sum += (double)pos / (double)(r + 1);
		}
	return pos ? sum / (double)pos : NAN;
}

/* 1 when the mean of the two models beats the first alone under 5-fold
 * cross-validation of lab (train: lab with the presumed negatives; ids
 * the rows' ids). */
static int cv_pick(const struct rank_feats *f, const struct rank_feats *f2,
		   const signed char *lab, const signed char *train, const int64_t *ids, size_t n,
		   const struct rank_model_opts *mo, uint64_t seed)
{
	size_t room = n ? n : 1, *order = malloc(room * sizeof(*order));
	signed char *t = malloc(room), *held = malloc(room);
	double *a = malloc(room * sizeof(*a)), *b = malloc(room * sizeof(*b));
	double ap_a = 0, ap_b = 0;
	int pick = 0;

	if (!order || !t || !held || !a || !b)
		goto out;
	for (int fold = 0; fold < 5; fold++) {
		struct rank_model *m = NULL;
		double x, y;

		for (size_t i = 0; i < n; i++) {
			int ho = (lab[i] == 0 || lab[i] == 1) && mix(seed ^ mix(i)) % 5 == (uint64_t)fold;

			held[i] = (signed char)(ho ? -1 : 0);
			t[i] = (signed char)(ho ? -1 : train[i]);
		}
		if (rank_model_fit(&m, f, t, mo) < 0)
			goto out;
		rank_model_score_all(m, f, a);
		rank_model_free(m);
		if (rank_model_fit(&m, f2, t, mo) < 0)
			goto out;
		rank_model_score_all(m, f2, b);
		rank_model_free(m);
		for (size_t i = 0; i < n; i++)
			b[i] = (1 - second_weight) * a[i] + second_weight * b[i];
		x = avg_prec(a, held, lab, ids, order, n);
		y = avg_prec(b, held, lab, ids, order, n);
		if (!isnan(x) && !isnan(y)) {
			ap_a += x;
			ap_b += y;
		}
	}
	pick = ap_b > ap_a;
out:
	free(order);
	free(t);
	free(held);
	free(a);
	free(b);
	return pick;
}
static const struct rank_feats *view2;

/* Replay one set with oracle y under method m (features f), seed. */
static int replay(struct run *out, const struct rank_feats *f, const signed char *y, size_t n,
		  const struct rank_model_opts *mo, uint64_t seed, int every, int stopping,
		  const struct rank_text *docs)
{
	size_t room = n ? n : 1;
	signed char *lab = malloc(room), *train = malloc(room);
	unsigned char *seq = malloc(room);
	size_t *order = malloc(room * sizeof(*order));
	double *scores = malloc(room * sizeof(*scores));
	int64_t *ids = malloc(room * sizeof(*ids));
	size_t R = 0, npos = 0, nneg = 0, seen = 0, found = 0, n95, at95 = 0, at10, at25;
	size_t f10 = 0, f25 = 0, last = 0;
	uint64_t st = seed;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!lab || !train || !seq || !order || !scores || !ids) {
		rc = -1;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		lab[i] = -1;
		ids[i] = (int64_t)i;
		R += y[i] == 1;
	}
	n95 = (size_t)ceil(0.95 * (double)R - 1e-9);
	at10 = (size_t)ceil(0.10 * (double)n);
	at25 = (size_t)ceil(0.25 * (double)n);
	if (!R || R == n) {
		rc = -1;
		goto done;
	}
	/* the priors: a random include, a random exclude */
	{
		size_t pi = (size_t)(mix(st++) % R), ni = (size_t)(mix(st++) % (n - R));

		for (size_t i = 0; i < n; i++) {
			if (y[i] == 1 && npos++ == pi)
				lab[i] = 1, seq[seen++] = 1;
			else if (y[i] != 1 && nneg++ == ni)
				lab[i] = 0, seq[seen++] = 0;
		}
		/* the include was drawn first: keep that order in seq */
		seq[0] = 1;
		seq[1] = 0;
	}
	found = 1;
	if (found >= n95 && !at95)
		at95 = seen;
	while (seen < n) {
		struct rank_model *m = NULL;
		size_t no = 0;
		int use2;

		struct rank_model_opts mos = *mo;

		if (c_scale > 0 && (double)seen > c_scale)
			mos.C = mo->C * pow(c_scale / (double)seen, c_pow);
		rank_presume_negatives(train, lab, ids, n, mo->presumed, mix(seed ^ mix(seen)));
		if (rank_model_fit(&m, f, train, &mos) < 0) {
			rc = -1;
			goto done;
		}
		rank_model_score_all(m, f, scores);
		rank_model_free(m);
		use2 = view2 != NULL;
		if (use2 && select_cv) {
			use2 = found >= 3 && cv_pick(f, view2, lab, train, ids, n, &mos, seed ^ mix(seen));
			cv_chose[use2]++;
		}
		if (use2) {
			double *s2 = malloc(room * sizeof(*s2));

			if (!s2 || rank_model_fit(&m, view2, train, &mos) < 0) {
				free(s2);
				rc = -1;
				goto done;
			}
			rank_model_score_all(m, view2, s2);
			rank_model_free(m);
			for (size_t i = 0; i < n; i++)
				scores[i] = (1 - second_weight) * scores[i] + second_weight * s2[i];
			free(s2);
		}
		if (docs) {
			struct rank_title_model t;
			struct rank_model_opts tmo = *mo;

			if (title_C > 0)
				tmo.C = title_C;
			if (rank_title_model_make(&t, docs, NULL, n, train, &feat_opts, &tmo, 1) < 0) {
				rc = -1;
				goto done;
			}
			rank_title_model_apply(&t, scores, title_weight);
			rank_title_model_release(&t);
		}
		rank_order(order, &no, scores, lab, ids, n);
		for (size_t k = 0; k < (size_t)every && k < no; k++) {
			size_t i = order[k];

			lab[i] = (signed char)(y[i] == 1);
			seq[seen++] = (unsigned char)lab[i];
			if (lab[i]) {
				found++;
				if (trace)
					fprintf(stderr, "trace %llu %zu %zu\n",
						(unsigned long long)seed, seen, i);
				last = seen;
			} else if (trace > 1) {
				fprintf(stderr, "tracex %llu %zu %zu\n", (unsigned long long)seed, seen, i);
			}
			if (!at95 && found >= n95)
				at95 = seen;
			if (seen == at10)
				f10 = found;
			if (seen == at25)
				f25 = found;
		}
		if (stopping && !out->stopped) {
			struct stop_result sr;

			stop_ranked_p(&sr, seq, seen, n, 0.95);
			if (sr.p < 0.05) {
				out->stopped = 1;
				out->stop_recall = 100.0 * (double)found / (double)R;
				out->stop_saved = 100.0 * (1.0 - (double)seen / (double)n);
			}
		}
		/* nothing after this can change a figure */
		if (found == R && seen >= at25 && (!stopping || out->stopped))
			break;
	}
	if (stopping && !out->stopped) {
		out->stop_recall = 100.0;
		out->stop_saved = 0;
	}
	out->wss95 = 100.0 * ((1.0 - (double)at95 / (double)n) - 0.05);
	out->wss100 = 100.0 * (1.0 - (double)last / (double)n);
	out->r10 = 100.0 * (double)f10 / (double)R;
	out->r25 = 100.0 * (double)f25 / (double)R;
	out->last = (double)last;
done:
	free(lab);
	free(train);
	free(seq);
	free(order);
	free(scores);
	free(ids);
	return rc;
}

static int build_feats(struct rank_feats **out, const struct set *s, const struct method *m)
{
	struct rank_text *d = malloc((s->n ? s->n : 1) * sizeof(*d));
	int rc;

	if (!d)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		d[i] = (struct rank_text){ s->title[i], s->abstract[i],
					   m->keywords ? s->keywords[i] : NULL };
	rc = rank_feats_build(out, d, s->n, &m->fo, 1);
	free(d);
	return rc;
}

struct row {
	double wss95, wss100, r10, r25, last, base95, stop_recall, stop_below, stop_saved;
};

static const char *only_label; /* --label: one level only */

/* Whether the --only list holds name (NULL list: everything). */
static int listed(const char *list, const char *name)
{
	size_t l = strlen(name);

	for (const char *p = list; p && (p = strstr(p, name)); p += l)
		if ((p == list || p[-1] == ',') && (!p[l] || p[l] == ','))
			return 1;
	return !list;
}

static void run_set(const struct set *s, const struct method *prod, const struct method *base,
		    int seeds, int every, int do_base, int json, int both_levels)
{
	struct rank_feats *fp = NULL, *fb = NULL;
	struct rank_text *docs = NULL;
	struct row ta_row = { 0 };
	int same = 1, have_ta = 0, ta_ok = 0;

	for (size_t i = 0; i < s->n; i++)
		same &= s->ta[i] == s->fin[i];
	if (build_feats(&fp, s, prod) < 0 || (do_base && build_feats(&fb, s, base) < 0)) {
		fprintf(stderr, "bench_screen_sim: %s: cannot build features\n", s->name);
		goto out;
	}
	if (second_view) {
		struct method m2 = *prod;
		struct rank_feats *f2 = NULL;

		if (second_tf >= 0)
			m2.fo.tf = (enum rank_tf)second_tf;
		if (second_unigrams)
			m2.fo.bigrams = 0;
		if (build_feats(&f2, s, &m2) < 0)
			goto out;
		view2 = f2;
	}
	docs = malloc((s->n ? s->n : 1) * sizeof(*docs));
	if (!docs)
		goto out;
	for (size_t i = 0; i < s->n; i++)
		docs[i] = (struct rank_text){ s->title[i], s->abstract[i],
					      prod->keywords ? s->keywords[i] : NULL };
	feat_opts = prod->fo;
	for (int lv = 0; lv < 2; lv++) {
		const signed char *y = lv ? s->fin : s->ta;
		const char *label = lv ? "final" : "title-abstract";
		struct row r = { 0 };
		size_t R = 0;
		int ok = 0;

		if ((!both_levels && lv == 0 && !same) || (only_label && strcmp(only_label, label)))
			continue;
		for (size_t i = 0; i < s->n; i++)
			R += y[i] == 1;
		/* a set whose two label levels are the same replays once: the
		 * final row prints the title-abstract replay again */
		if (lv == 1 && same && have_ta) {
			r = ta_row;
			ok = ta_ok;
			goto print;
		}
		for (int sd = 1; sd <= seeds; sd++) {
			struct run a, b;
			/* the seeds of the title-abstract replay where the levels agree */
			uint64_t seed = mix((uint64_t)sd * 1000003u + (uint64_t)(same ? 0 : lv));

			if (replay(&a, fp, y, s->n, &prod->mo, seed, every, 1,
				   no_title_model ? NULL : docs) < 0)
				continue;
			if (do_base && replay(&b, fb, y, s->n, &base->mo, seed, every, 0, NULL) < 0)
				continue;
			ok++;
			r.wss95 += a.wss95;
			r.wss100 += a.wss100;
			r.r10 += a.r10;
			r.r25 += a.r25;
			r.last += a.last;
			r.base95 += do_base ? b.wss95 : NAN;
			r.stop_recall += a.stop_recall;
			r.stop_below += a.stop_recall < 95.0 ? 100.0 : 0.0;
			r.stop_saved += a.stop_saved;
		}
		if (!ok)
			continue;
		if (lv == 0) {
			ta_row = r;
			ta_ok = ok;
			have_ta = 1;
		}
print:
		r.wss95 /= ok;
		r.wss100 /= ok;
		r.r10 /= ok;
		r.r25 /= ok;
		r.last /= ok;
		r.base95 /= ok;
		r.stop_recall /= ok;
		r.stop_below /= ok;
		r.stop_saved /= ok;
		if (json)
			printf("{\"set\":\"%s\",\"label\":\"%s\",\"records\":%zu,\"includes\":%zu,"
			       "\"wss95\":%.2f,\"wss100\":%.2f,\"recall_at_10\":%.2f,"
			       "\"recall_at_25\":%.2f,\"last_include_at\":%.1f,"
			       "\"baseline_wss95\":%s%.2f%s,\"stop_recall_mean\":%.2f,"
			       "\"stop_recall_below_target_share\":%.2f,"
			       "\"stop_work_saved_mean\":%.2f,\"seeds\":%d}\n",
			       s->name, label, s->n, R, r.wss95, r.wss100, r.r10, r.r25, r.last,
			       do_base ? "" : "\"", do_base ? r.base95 : 0.0, do_base ? "" : "\"",
			       r.stop_recall, r.stop_below, r.stop_saved, ok);
		else
			printf("%-28s %-14s %6zu %5zu %6.1f %6.1f %6.1f %6.1f %7.1f %6.1f %6.1f %6.1f %6.1f %6.1f\n",
			       s->name, label, s->n, R, r.wss95, r.wss100, r.r10, r.r25, r.last,
			       do_base ? r.base95 : NAN, do_base ? r.wss95 - r.base95 : NAN,
			       r.stop_recall, r.stop_below, r.stop_saved);
		fflush(stdout);
		if (select_cv)
			fprintf(stderr, "%s %s: --select-cv kept the first model alone %zu times, "
				"took both %zu times\n", s->name, label, cv_chose[0], cv_chose[1]);
		cv_chose[0] = cv_chose[1] = 0;
	}
out:
	free(docs);
	rank_feats_free(fp);
	rank_feats_free(fb);
	rank_feats_free((struct rank_feats *)view2);
	view2 = NULL;
}

/* ---- speed ------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the process (the machine may be shared: wall time is not
 * the code's). */
static double cpu_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int synthetic(const struct set *sets, size_t nsets, size_t N, double labelled,
		     const struct method *m)
{
	int rc = 1;
	struct rank_text *d = malloc(N * sizeof(*d));
	char **extra = calloc(N ? N : 1, sizeof(*extra));
	signed char *lab = malloc(N), *train = malloc(N);
	double *scores = malloc(N * sizeof(*scores));
	size_t *order = malloc(N * sizeof(*order)), total = 0, no = 0, nl = 0;
	int64_t *ids = malloc(N * sizeof(*ids));
	struct rank_feats *f = NULL;
	struct rank_model *mod = NULL;
	struct rusage ru;
	double t0, t1, t2, t3, t4, c0, c1, c2;

	if (!d || !extra || !lab || !train || !scores || !order || !ids)
		goto out;
	for (size_t k = 0; k < nsets; k++)
		total += sets[k].n;
	if (!total) {
		fprintf(stderr, "bench_screen_sim: --synthetic needs the records of a set\n");
		goto out;
	}
	/* citation i: real record i mod total, its title varied by a word of
	 * its own so that no two citations are the same text */
	for (size_t i = 0; i < N; i++) {
		size_t r = i % total, k = 0;
		uint64_t h = mix(i);
		char buf[64];

		while (r >= sets[k].n)
			r -= sets[k++].n;
		snprintf(buf, sizeof(buf), "var%llu", (unsigned long long)(h % 100000));
		extra[i] = malloc(strlen(buf) + strlen(sets[k].title[r] ? sets[k].title[r] : "") + 2);
		if (!extra[i])
			goto out;
		sprintf(extra[i], "%s %s", sets[k].title[r] ? sets[k].title[r] : "", buf);
		d[i] = (struct rank_text){ extra[i], sets[k].abstract[r], sets[k].keywords[r] };
		ids[i] = (int64_t)i;
		lab[i] = (signed char)((double)(mix(h) % 1000000) / 1e6 < labelled ? sets[k].ta[r] : -1);
		nl += lab[i] >= 0;
	}
	t0 = now_s();
	c0 = cpu_s();
	if (rank_feats_build(&f, d, N, &m->fo, 2) < 0)
		goto out;
	t1 = now_s();
	c1 = cpu_s();
	rank_presume_negatives(train, lab, ids, N, m->mo.presumed, 1);
	if (rank_model_fit(&mod, f, train, &m->mo) < 0)
		goto out;
	t2 = now_s();
	rank_model_score_all(mod, f, scores);
	if (!no_title_model) {
		struct rank_title_model tm;

		if (rank_title_model_make(&tm, d, NULL, N, train, &m->fo, &m->mo, 1) < 0)
			goto out;
		rank_title_model_apply(&tm, scores, RANK_TITLE_WEIGHT);
		rank_title_model_release(&tm);
	}
	t3 = now_s();
	rank_order(order, &no, scores, lab, ids, N);
	t4 = now_s();
	c2 = cpu_s();
	getrusage(RUSAGE_SELF, &ru);
	printf("synthetic %zu citations (%zu labelled): features %.2f s wall, %.2f s CPU (2 threads; "
	       "%zu non-zeros, %.0f MiB); retrain %.3f s + score (and the title model) %.3f s + "
	       "order %.3f s = "
	       "retrain and re-rank %.3f s wall, %.3f s CPU; peak RSS %.0f MiB\n",
	       N, nl, t1 - t0, c1 - c0, rank_feats_nnz(f), (double)rank_feats_bytes(f) / 1048576.0,
	       t2 - t1, t3 - t2, t4 - t3, t4 - t1, c2 - c1, (double)ru.ru_maxrss / 1024.0);
	rc = 0;
out:
	rank_model_free(mod);
	rank_feats_free(f);
	for (size_t i = 0; i < N && extra; i++)
		free(extra[i]);
	free(extra);
	free(d);
	free(lab);
	free(train);
	free(scores);
	free(order);
	free(ids);
	return rc;
}

/* ---- main -------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *dir = "../shared/fixtures/screening", *only = NULL, *second_tf_name = NULL;
	struct method prod = { RANK_FEAT_OPTS_INIT, RANK_MODEL_OPTS_INIT, 1 };
	struct method base = { { 0, 1, RANK_TF_RAW, 1.0, 1.0, 0, 0.0, 0.0 }, RANK_MODEL_OPTS_NB, 0 };
	int json = 0, subset = 0, do_base = 1, status = 0, tf = (int)prod.fo.tf, model = 0;
	long long seeds = 20, every = 10, min_df = prod.fo.min_df, presumed = -1;
	/* the model's options, NAN (-1) when not given: they apply over the
	 * chosen model's defaults, whatever the order of the options */
	double C = NAN, eps = NAN, include_weight = NAN, include_power = NAN, alpha = NAN;
	struct strv synth_s = STRV_INIT;
	size_t synth[8], nsynth = 0, nsets = 0;
	double labelled = 0.1;
	char *names[64];
	struct set sets[64];
	DIR *dd;
	struct dirent *de;
	static const char *const usage[] = {
		"bench_screen_sim [--sets DIR] [--seeds N] [--json] [--only SET,...] [options]", NULL };
	const struct opt opts[] = {
		OPT_STRING(0, "sets", &dir, "DIR", "the labelled sets (../shared/fixtures/screening)"),
		OPT_INT(0, "seeds", &seeds, "N", "replays per set and label level (20)"),
		OPT_BOOL(0, "json", &json, "one JSON object per set and label level"),
		OPT_STRING(0, "only", &only, "SET,...", "these sets only"),
		OPT_STRING(0, "label", &only_label, "L", "this label level only"),
		OPT_INT(0, "every", &every, "N", "decisions between retrains (10)"),
		OPT_BOOL(0, "nudging-subset", &subset, "also the 1,847-record nudging subset"),
		OPT_SET(0, "no-baseline", &do_base, 0, "no naive Bayes baseline"),
		OPT_SET(0, "trace", &trace, 1, "each include found, to stderr"),
		OPT_SET(0, "trace-all", &trace, 2, "each record screened, to stderr"),
		OPT_LIST(0, "synthetic", &synth_s, "N", "time a ranking of N generated citations"),
		OPT_DOUBLE(0, "labelled", &labelled, "F", "--synthetic: share labelled (0.1)"),
		OPT_DOUBLE(0, "C", &C, "X", "LR: inverse regularisation"),
		OPT_DOUBLE(0, "eps", &eps, "X", "liblinear's stopping tolerance"),
		OPT_DOUBLE(0, "include-weight", &include_weight, "X", "weight of the includes"),
		OPT_DOUBLE(0, "include-power", &include_power, "X", "power of the class ratio"),
		OPT_INT(0, "presumed", &presumed, "N", "presumed negatives per retrain"),
		OPT_DOUBLE(0, "alpha", &alpha, "X", "naive Bayes smoothing"),
		OPT_INT(0, "min-df", &min_df, "N", "buckets in fewer citations dropped"),
		OPT_DOUBLE(0, "title-weight", &prod.fo.title_weight, "X", "title term weight"),
		OPT_DOUBLE(0, "keyword-weight", &prod.fo.keyword_weight, "X", "keyword term weight"),
		OPT_SET(0, "unigrams", &prod.fo.bigrams, 0, "unigrams only"),
		OPT_SET(0, "bigrams", &prod.fo.bigrams, 1, "unigrams and bigrams"),
		OPT_SET(0, "raw-tf", &tf, RANK_TF_RAW, "raw term counts"),
		OPT_SET(0, "log-tf", &tf, RANK_TF_LOG, "1 + ln tf"),
		OPT_DOUBLE(0, "bm25-k1", &prod.fo.bm25_k1, "X", "BM25's k1"),
		OPT_DOUBLE(0, "bm25-b", &prod.fo.bm25_b, "X", "BM25's b"),
		OPT_SET(0, "no-keywords", &prod.keywords, 0, "leave the keywords out"),
		OPT_SET(0, "title-terms", &prod.fo.title_terms, 1, "title words as terms of their own"),
		OPT_SET(0, "nb", &model, 1, "naive Bayes"),
		OPT_SET(0, "svm", &model, 2, "linear SVM"),
		OPT_SET(0, "ensemble", &model, 3, "LR + naive Bayes"),
		OPT_BOOL(0, "no-title-model", &no_title_model, "no title model"),
		OPT_DOUBLE(0, "title-blend", &title_weight, "W", "the title model's weight"),
		OPT_DOUBLE(0, "title-C", &title_C, "X", "the title model's C"),
		OPT_STRING(0, "second-tf", &second_tf_name, "raw|log|bm25", "a second model's tf"),
		OPT_BOOL(0, "second-unigrams", &second_unigrams, "a second model on unigrams"),
		OPT_DOUBLE(0, "second-weight", &second_weight, "W", "the second model's weight"),
		OPT_BOOL(0, "select-cv", &select_cv, "the second model where 5-fold CV says"),
		OPT_DOUBLE(0, "C-scale", &c_scale, "S", "C shrinks past S screened"),
		OPT_DOUBLE(0, "C-pow", &c_pow, "P", "... as (S / screened)^P"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, (const char **)argv, opts, usage, &args);

	if (n == OPT_HELP)
		return 0;
	if (n != 0) {
		fprintf(stderr, "bench_screen_sim: %s\n",
			n < 0 ? lsr_error_last() : "no arguments are taken, only options");
		return 2;
	}
	prod.fo.tf = (enum rank_tf)tf;
	prod.fo.min_df = (int)min_df;
	if (model == 1)
		prod.mo = (struct rank_model_opts)RANK_MODEL_OPTS_NB;
	else if (model == 2)
		prod.mo.kind = RANK_MODEL_SVM;
	else if (model == 3)
		prod.mo.kind = RANK_MODEL_ENSEMBLE;
#define GIVEN(x, field) do { if (!isnan(x)) prod.mo.field = (x); } while (0)
	GIVEN(C, C);
	GIVEN(eps, eps);
	GIVEN(include_weight, include_weight);
	GIVEN(include_power, include_power);
	GIVEN(alpha, alpha);
#undef GIVEN
	if (model == 3 && !(prod.mo.alpha > 0))
		prod.mo.alpha = 3.822;
	if (presumed >= 0)
		prod.mo.presumed = (size_t)presumed;
	if (second_unigrams)
		second_view = 1;
	if (second_tf_name) {
		second_view = 1;
		second_tf = !strcmp(second_tf_name, "raw") ? RANK_TF_RAW
			  : !strcmp(second_tf_name, "log") ? RANK_TF_LOG
			  : !strcmp(second_tf_name, "bm25") ? RANK_TF_BM25 : -1;
		if (second_tf < 0) {
			fprintf(stderr, "bench_screen_sim: --second-tf: '%s' is not raw, log or bm25\n",
				second_tf_name);
			return 2;
		}
	}
	for (size_t k = 0; k < synth_s.n; k++) {
		char *end;
		long long v = strtoll(synth_s.v[k], &end, 10);

		if (nsynth == 8 || *end || v < 1) {
			fprintf(stderr, "bench_screen_sim: --synthetic: '%s' is not a whole number"
				" above 0 (8 at most)\n", synth_s.v[k]);
			return 2;
		}
		synth[nsynth++] = (size_t)v;
	}
	strv_release(&synth_s);
	if (seeds < 1 || every < 1 || seeds > INT_MAX || every > INT_MAX || min_df < 1 ||
	    min_df > INT_MAX) {
		fprintf(stderr, "bench_screen_sim: --seeds, --every and --min-df take a whole number"
			" from 1\n");
		return 2;
	}
	if (!(dd = opendir(dir))) {
		fprintf(stderr, "bench_screen_sim: cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(dd)) && nsets < 64) {
		char path[4096];
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		/* the subset needs the whole set loaded */
		if (!listed(only, de->d_name) &&
		    !(only && !strcmp(de->d_name, "nagtegaal2019_nudging") &&
		      listed(only, "nagtegaal2019_nudging_1847")))
			continue;
		snprintf(path, sizeof(path), "%s/%s/records.csv.gz", dir, de->d_name);
		if (!(f = fopen(path, "rb")))
			continue;
		fclose(f);
		names[nsets++] = strdup(de->d_name);
	}
	closedir(dd);
	qsort(names, nsets, sizeof(names[0]), cmp_str);
	for (size_t k = 0; k < nsets; k++)
		if (set_load(&sets[k], dir, names[k]) < 0) {
			for (size_t j = 0; j <= k; j++)
				set_free(&sets[j]);
			for (size_t j = 0; j < nsets; j++)
				free(names[j]);
			return 1;
		}
	if (!json && !nsynth)
		printf("%-28s %-14s %6s %5s %6s %6s %6s %6s %7s %6s %6s %6s %6s %6s\n", "set", "label",
		       "N", "R", "WSS95", "WSS100", "RRF10", "RRF25", "last", "NB95", "gain",
		       "stopR", "below%", "saved");
	for (size_t k = 0; k < nsets && !nsynth; k++) {
		if (listed(only, sets[k].name))
			run_set(&sets[k], &prod, &base, (int)seeds, (int)every, do_base, json, 1);
		if ((subset || (only && listed(only, "nagtegaal2019_nudging_1847"))) &&
		    !strcmp(sets[k].name, "nagtegaal2019_nudging")) {
			struct set sub;

			if (nudging_subset(&sub, &sets[k]) == 0)
				run_set(&sub, &prod, &base, (int)seeds, (int)every, do_base, json, 1);
			set_free(&sub);
		}
	}
	for (size_t k = 0; k < nsynth; k++)
		status |= synthetic(sets, nsets, synth[k], labelled, &prod);
	for (size_t k = 0; k < nsets; k++) {
		set_free(&sets[k]);
		free(names[k]);
	}
	return status;
}
