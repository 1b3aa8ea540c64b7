/*
 * sim_reviewer.c - the example review's SIMULATED reviewers.
 *
 * The example replays the seed review's screening without people: this
 * program fills the batch files lsr hands out, the way a reviewer would,
 * with the decisions the corpus generator labelled each citation with
 * (truth.tsv), so the filled files go back through 'lsr screen import'
 * exactly as a person's would.  It is part of the example, not of lsr.
 *
 *   example_reviewer --truth TRUTH.tsv --groups GROUPS.csv fill
 *                    --batch BATCH.csv [--disagree N] [--seed S] -o OUT.csv
 *       fill the verdict and reason columns of a batch file at the row's
 *       stage; with --disagree N, get N citations deliberately wrong (the
 *       N whose hash with the seed is smallest: include for exclude and
 *       exclude as off-topic for include), so that a third person has
 *       something to resolve.
 *   example_reviewer ... decide --stage STAGE [--disagree N] [--seed S] ID...
 *       print "ID<TAB>verdict<TAB>reason" for each citation: what fill
 *       writes for a batch of these citations (the same N deliberately
 *       wrong), for a reviewer who screens them in 'lsr serve' instead.
 *   example_reviewer ... arbiter --stage STAGE ID...
 *       print "ID<TAB>verdict<TAB>reason" for each citation: the arbiter's
 *       decision (the label).
 *   example_reviewer ... studies
 *       print "LABEL<TAB>ID ID ..." for each included study: the citations
 *       that are its reports.
 *
 * GROUPS.csv is 'lsr dedup --export' (source,source_id,group,rule,score):
 * it maps lsr's citation ids to the generator's records.  A citation whose
 * records carry different labels (a deduplication error) is reported on
 * stderr and decided by its first record.
 */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
	char **f;
	size_t n;
};

struct table {
	struct row *rows;
	size_t n, alloc;
	struct row cur;
	char delim;
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fprintf(stderr, "example_reviewer: out of memory\n");
		exit(1);
	}
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static void on_field(void *s, size_t len, void *data)
{
	struct table *t = data;

	t->cur.f = xrealloc(t->cur.f, (t->cur.n + 1) * sizeof(char *));
	t->cur.f[t->cur.n++] = xstrndup(s ? s : "", len);
}

static void on_row(int c, void *data)
{
	struct table *t = data;

	(void)c;
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 256;
		t->rows = xrealloc(t->rows, t->alloc * sizeof(*t->rows));
	}
	t->rows[t->n++] = t->cur;
	t->cur.f = NULL;
	t->cur.n = 0;
}

/* Read a whole CSV (delim ',') or TSV (delim '\t', no quoting) file. */
static void table_read(struct table *t, const char *path, char delim)
{
	FILE *f = fopen(path, "rb");
	struct csv_parser p;
	char buf[65536];
	size_t n;

	memset(t, 0, sizeof(*t));
	if (!f) {
		fprintf(stderr, "example_reviewer: cannot open %s\n", path);
		exit(1);
	}
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		exit(1);
	csv_set_delim(&p, (unsigned char)delim);
	if (delim == '\t')
		csv_set_quote(&p, 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, t) != n) {
			fprintf(stderr, "example_reviewer: %s: %s\n", path,
				csv_strerror(csv_error(&p)));
			exit(1);
		}
	csv_fini(&p, on_field, on_row, t);
	csv_free(&p);
	fclose(f);
	if (t->n == 0) {
		fprintf(stderr, "example_reviewer: %s is empty\n", path);
		exit(1);
	}
}

static int column(const struct table *t, const char *name, const char *path)
{
	for (size_t i = 0; i < t->rows[0].n; i++)
		if (!strcmp(t->rows[0].f[i], name))
			return (int)i;
	fprintf(stderr, "example_reviewer: %s: no column '%s'\n", path, name);
	exit(1);
}

static const char *field(const struct row *r, int i)
{
	return i >= 0 && (size_t)i < r->n ? r->f[i] : "";
}

/* ---- the labels, by lsr citation id ------------------------------------- */

struct label {
	long long group;
	const char *citation; /* the generator's citation key */
	const char *ta, *ta_reason, *ft, *ft_reason, *study;
};

static struct label *labels;
static size_t nlabels;

static int cmp_label(const void *a, const void *b)
{
	const struct label *x = a, *y = b;

	return (x->group > y->group) - (x->group < y->group);
}

static const struct label *label_of(long long group)
{
	struct label key = { .group = group };

	return bsearch(&key, labels, nlabels, sizeof(*labels), cmp_label);
}

struct keyed {
	char *key; /* "source\tsource_id" */
	const struct row *row;
};

static int cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

static char *join_key(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *k = xrealloc(NULL, la + lb + 2);

	memcpy(k, a, la);
	k[la] = '\t';
	memcpy(k + la + 1, b, lb + 1);
	return k;
}

static void load_labels(const char *truth_path, const char *groups_path)
{
	static struct table truth, groups;
	struct keyed *idx;
	int ts, tid, tc, tta, ttr, tft, tfr, tst, gs, gid, gg;
	size_t mixed = 0;

	table_read(&truth, truth_path, '\t');
	table_read(&groups, groups_path, ',');
	ts = column(&truth, "source", truth_path);
	tid = column(&truth, "source_id", truth_path);
	tc = column(&truth, "citation", truth_path);
	tta = column(&truth, "ta", truth_path);
	ttr = column(&truth, "ta_reason", truth_path);
	tft = column(&truth, "ft", truth_path);
	tfr = column(&truth, "ft_reason", truth_path);
	tst = column(&truth, "study", truth_path);
	gs = column(&groups, "source", groups_path);
	gid = column(&groups, "source_id", groups_path);
	gg = column(&groups, "group", groups_path);

	idx = xrealloc(NULL, truth.n * sizeof(*idx));
	for (size_t i = 1; i < truth.n; i++) {
		idx[i - 1].key = join_key(field(&truth.rows[i], ts), field(&truth.rows[i], tid));
		idx[i - 1].row = &truth.rows[i];
	}
	qsort(idx, truth.n - 1, sizeof(*idx), cmp_keyed);

	labels = xrealloc(NULL, groups.n * sizeof(*labels));
	for (size_t i = 1; i < groups.n; i++) {
		struct keyed key, *hit;
		const struct row *t;

		key.key = join_key(field(&groups.rows[i], gs), field(&groups.rows[i], gid));
		hit = bsearch(&key, idx, truth.n - 1, sizeof(*idx), cmp_keyed);
		if (!hit) {
			fprintf(stderr, "example_reviewer: record %s of %s has no label\n",
				field(&groups.rows[i], gid), field(&groups.rows[i], gs));
			exit(1);
		}
		free(key.key);
		t = hit->row;
		labels[nlabels++] = (struct label){
			.group = atoll(field(&groups.rows[i], gg)),
			.citation = field(t, tc), .ta = field(t, tta), .ta_reason = field(t, ttr),
			.ft = field(t, tft), .ft_reason = field(t, tfr), .study = field(t, tst),
		};
	}
	/* one label per citation: the first record's (a stable sort keeps the
	 * export's order, which is lsr's record order) */
	for (size_t i = 1; i < nlabels; i++)
		for (size_t j = i; j > 0 && labels[j - 1].group > labels[j].group; j--) {
			struct label x = labels[j];

			labels[j] = labels[j - 1];
			labels[j - 1] = x;
		}
	{
		size_t w = 0;

		for (size_t i = 0; i < nlabels; i++) {
			if (w && labels[w - 1].group == labels[i].group) {
				if (strcmp(labels[w - 1].citation, labels[i].citation))
					mixed++;
				continue;
			}
			labels[w++] = labels[i];
		}
		nlabels = w;
	}
	if (mixed)
		fprintf(stderr, "example_reviewer: %zu records grouped with a record of another publication\n",
			mixed);
}

/* ---- fill ---------------------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t hash_str(const char *s, uint64_t seed)
{
	uint64_t h = mix(seed + 0x9e3779b97f4a7c15ULL);

	for (; *s; s++)
		h = mix(h ^ (unsigned char)*s);
	return h;
}

static void put(FILE *f, const char *s, char sep)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(sep, f);
}

struct pick {
	uint64_t h;
	long long id;
	size_t row;
};

/* by hash, ties (two citations of one publication) by citation id */
static int cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->h != y->h)
		return (x->h > y->h) - (x->h < y->h);
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * Mark in wrong[row] the disagree citations of ids[0..n) (row i is ids[i])
 * to get wrong: those whose hash with the seed is smallest.
 */
static void pick_wrong(const long long *ids, size_t n, size_t disagree, uint64_t seed,
		       char *wrong)
{
	struct pick *p;

	if (!disagree || !n)
		return;
	p = xrealloc(NULL, n * sizeof(*p));
	for (size_t i = 0; i < n; i++) {
		const struct label *l = label_of(ids[i]);

		p[i].h = hash_str(l ? l->citation : "", seed);
		p[i].id = ids[i];
		p[i].row = i;
	}
	qsort(p, n, sizeof(*p), cmp_pick);
	for (size_t i = 0; i < disagree && i < n; i++)
		wrong[p[i].row] = 1;
	free(p);
}

/*
 * The verdict and reason of citation id at a stage (ft: full text), got
 * wrong on purpose when wrong is set; -1 (with a message) when the
 * citation has no label for the stage.
 */
static int verdict_of(long long id, int ft, int wrong, const char **verdict, const char **reason)
{
	const struct label *l = label_of(id);

	if (!l || !*(ft ? l->ft : l->ta)) {
		fprintf(stderr, "example_reviewer: citation %lld has no %s label\n", id,
			ft ? "full-text" : "title-abstract");
		return -1;
	}
	*verdict = ft ? l->ft : l->ta;
	*reason = ft ? l->ft_reason : l->ta_reason;
	if (wrong) {
		int inc = !strcmp(*verdict, "include");

		*verdict = inc ? "exclude" : "include";
		*reason = inc ? (ft ? "abstract-only" : "off-topic") : "";
	}
	return 0;
}

static int do_fill(const char *batch_path, const char *out_path, size_t disagree, uint64_t seed)
{
	struct table b;
	int cid, cv, cr, cs;
	long long *ids;
	char *wrong;
	FILE *out;

	table_read(&b, batch_path, ',');
	cid = column(&b, "id", batch_path);
	cv = column(&b, "verdict", batch_path);
	cr = column(&b, "reason", batch_path);
	cs = column(&b, "stage", batch_path);
	wrong = calloc(b.n, 1);
	ids = xrealloc(NULL, b.n * sizeof(*ids));
	for (size_t i = 1; i < b.n; i++)
		ids[i] = atoll(field(&b.rows[i], cid));
	pick_wrong(ids + 1, b.n - 1, disagree, seed, wrong + 1);
	if (!(out = fopen(out_path, "wb"))) {
		fprintf(stderr, "example_reviewer: cannot write %s\n", out_path);
		return 1;
	}
	for (size_t i = 0; i < b.n; i++) {
		const struct row *r = &b.rows[i];
		const char *verdict = NULL, *reason = "";

		if (i > 0 && verdict_of(ids[i], !strcmp(field(r, cs), "full-text"), wrong[i],
					&verdict, &reason) < 0) {
			fprintf(stderr, "example_reviewer: %s: row %zu\n", batch_path, i + 1);
			fclose(out);
			return 1;
		}
		for (size_t j = 0; j < r->n; j++) {
			const char *v = r->f[j];

			if (verdict && (int)j == cv)
				v = verdict;
			else if (verdict && (int)j == cr)
				v = reason;
			put(out, v, j + 1 == r->n ? '\n' : ',');
		}
	}
	free(ids);
	free(wrong);
	return fclose(out) == 0 ? 0 : 1;
}

static int do_decide(const char *stage, size_t disagree, uint64_t seed, int argc, char **argv)
{
	int ft = !strcmp(stage, "full-text");
	long long *ids;
	char *wrong;
	int rc = 0;

	if (argc <= 0) /* no citations: nothing to print */
		return 0;
	ids = xrealloc(NULL, (size_t)argc * sizeof(*ids));
	wrong = calloc((size_t)argc + 1, 1);

	for (int i = 0; i < argc; i++)
		ids[i] = atoll(argv[i]);
	pick_wrong(ids, (size_t)argc, disagree, seed, wrong);
	for (int i = 0; i < argc && !rc; i++) {
		const char *verdict, *reason;

		if (verdict_of(ids[i], ft, wrong[i], &verdict, &reason) < 0)
			rc = 1;
		else
			printf("%lld\t%s\t%s\n", ids[i], verdict, reason);
	}
	free(ids);
	free(wrong);
	return rc;
}

/* ---- arbiter, studies ---------------------------------------------------- */

static int do_arbiter(const char *stage, int argc, char **argv)
{
	int ft = !strcmp(stage, "full-text");

	for (int i = 0; i < argc; i++) {
		const struct label *l = label_of(atoll(argv[i]));

		if (!l) {
			fprintf(stderr, "example_reviewer: citation %s has no label\n", argv[i]);
			return 1;
		}
		printf("%s\t%s\t%s\n", argv[i], ft ? l->ft : l->ta, ft ? l->ft_reason : l->ta_reason);
	}
	return 0;
}

static int cmp_study(const void *a, const void *b)
{
	const struct label *x = *(const struct label *const *)a, *y = *(const struct label *const *)b;
	int c = strcmp(x->study, y->study);

	return c ? c : (x->group > y->group) - (x->group < y->group);
}

static int do_studies(void)
{
	const struct label **v = xrealloc(NULL, nlabels * sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < nlabels; i++)
		if (!strcmp(labels[i].ft, "include") && *labels[i].study)
			v[n++] = &labels[i];
	qsort(v, n, sizeof(*v), cmp_study);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(v[i - 1]->study, v[i]->study))
			printf("%s%s\t", i ? "\n" : "", v[i]->study);
		else
			putchar(' ');
		printf("%lld", v[i]->group);
	}
	if (n)
		putchar('\n');
	free(v);
	return 0;
}

static void usage(void)
{
	fputs("usage: example_reviewer --truth TRUTH.tsv --groups GROUPS.csv\n"
	      "         fill --batch BATCH.csv [--disagree N] [--seed S] -o OUT.csv\n"
	      "       | decide --stage STAGE [--disagree N] [--seed S] ID...\n"
	      "       | arbiter --stage title-abstract|full-text ID...\n"
	      "       | studies\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *truth = NULL, *groups = NULL, *batch = NULL, *out = NULL, *stage = NULL;
	size_t disagree = 0;
	uint64_t seed = 0;
	int i = 1;

	for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (!strcmp(argv[i], "--truth"))
			truth = argv[i + 1];
		else if (!strcmp(argv[i], "--groups"))
			groups = argv[i + 1];
		else
			usage();
	}
	if (!truth || !groups || i >= argc)
		usage();
	load_labels(truth, groups);
	if (!strcmp(argv[i], "fill")) {
		for (i++; i + 1 < argc; i += 2) {
			if (!strcmp(argv[i], "--batch"))
				batch = argv[i + 1];
			else if (!strcmp(argv[i], "--disagree"))
				disagree = strtoul(argv[i + 1], NULL, 10);
			else if (!strcmp(argv[i], "--seed"))
				seed = strtoull(argv[i + 1], NULL, 10);
			else if (!strcmp(argv[i], "-o"))
				out = argv[i + 1];
			else
				usage();
		}
		if (!batch || !out || i != argc)
			usage();
		return do_fill(batch, out, disagree, seed);
	}
	if (!strcmp(argv[i], "decide")) {
		for (i++; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
			if (!strcmp(argv[i], "--stage"))
				stage = argv[i + 1];
			else if (!strcmp(argv[i], "--disagree"))
				disagree = strtoul(argv[i + 1], NULL, 10);
			else if (!strcmp(argv[i], "--seed"))
				seed = strtoull(argv[i + 1], NULL, 10);
			else
				usage();
		}
		if (!stage)
			usage();
		return do_decide(stage, disagree, seed, argc - i, argv + i);
	}
	if (!strcmp(argv[i], "arbiter")) {
		if (i + 2 >= argc + 0 || strcmp(argv[i + 1], "--stage"))
			usage();
		stage = argv[i + 2];
		return do_arbiter(stage, argc - i - 3, argv + i + 3);
	}
	if (!strcmp(argv[i], "studies") && i + 1 == argc)
		return do_studies();
	usage();
	return 2;
}
