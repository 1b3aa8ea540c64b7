/*
 * dedup_score.c - score 'lsr dedup --export' files against labelled
 * duplicate groups, as bench/dedup_accuracy.sh runs it.
 *
 *     bench_dedup_score NAME TRUTH.csv EXPORT.csv QUEUE IDS [NAME ...]
 *
 * TRUTH.csv is a bib-dedupe merged_record_ids.csv: one column merged_ids,
 * one row per duplicate group, ';'-separated ids; ids in no row are
 * singletons.  EXPORT.csv is source,source_id,group,rule,score.  QUEUE is
 * the number of open pairs the run left to decide.  IDS is "as-is", or
 * "number" when the export's ids are the numbers of the truth's
 * (id_0000699 is record 699, as in the ASySD Diabetes set).
 *
 * Counting follows ASySD: the positives are the removable duplicates (all
 * members of a true group but one).  In a predicted group holding members
 * of k true groups, |group| - k records are correctly removed (TP) and
 * k - 1 are distinct publications wrongly removed (FP); FN = positives -
 * TP; TN = distinct publications - FP.  Records missing from the export
 * count as singletons.  One line per set and one for all sets together.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
	char **cell;
	size_t n, alloc;
};

struct table {
	struct row *rows;
	size_t n, alloc;
	struct row cur;
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q) {
		fprintf(stderr, "bench_dedup_score: out of memory\n");
		exit(1);
	}
	return q;
}

static void on_field(void *s, size_t len, void *payload)
{
	struct table *t = payload;
	char *c = xrealloc(NULL, len + 1);

	memcpy(c, s, len);
	c[len] = '\0';
	if (t->cur.n == t->cur.alloc) {
		t->cur.alloc = t->cur.alloc ? t->cur.alloc * 2 : 8;
		t->cur.cell = xrealloc(t->cur.cell, t->cur.alloc * sizeof(char *));
	}
	t->cur.cell[t->cur.n++] = c;
}

static void on_row(int c, void *payload)
{
	struct table *t = payload;

	(void)c;
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 1024;
		t->rows = xrealloc(t->rows, t->alloc * sizeof(*t->rows));
	}
	t->rows[t->n++] = t->cur;
	memset(&t->cur, 0, sizeof(t->cur));
}

static void read_csv(const char *path, struct table *t)
{
	struct csv_parser p;
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	memset(t, 0, sizeof(*t));
	if (!f) {
		fprintf(stderr, "bench_dedup_score: cannot read '%s'\n", path);
		exit(1);
	}
	csv_init(&p, CSV_APPEND_NULL);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, t) != n) {
			fprintf(stderr, "bench_dedup_score: '%s': %s\n", path, csv_strerror(csv_error(&p)));
			exit(1);
		}
	csv_fini(&p, on_field, on_row, t);
	csv_free(&p);
	fclose(f);
}

static void free_table(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (size_t k = 0; k < t->rows[i].n; k++)
			free(t->rows[i].cell[k]);
		free(t->rows[i].cell);
	}
	free(t->rows);
}

/* id -> truth group, predicted group (open addressing on the id text) */
struct rec {
	char *id;
	long truth;
	long pred;
};

struct map {
	struct rec *slot;
	size_t cap, n;
};

static unsigned long hash(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static struct rec *lookup(struct map *m, const char *id, int create)
{
	size_t i;

	if (create && (m->n + 1) * 2 > m->cap) {
		struct map g = { NULL, m->cap ? m->cap * 2 : 4096, 0 };

		g.slot = calloc(g.cap, sizeof(*g.slot));
		if (!g.slot)
			exit(1);
		for (size_t k = 0; k < m->cap; k++)
			if (m->slot[k].id) {
				struct rec *r = lookup(&g, m->slot[k].id, 1);

				free(r->id); /* the slot keeps the old copy */
				*r = m->slot[k];
			}
		free(m->slot);
		*m = g;
	}
	if (!m->cap)
		return NULL;
	for (i = hash(id) & (m->cap - 1); m->slot[i].id; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->slot[i].id, id))
			return &m->slot[i];
	if (!create)
		return NULL;
	m->slot[i].id = strdup(id);
	m->slot[i].truth = 0;
	m->slot[i].pred = 0;
	m->n++;
	return &m->slot[i];
}

struct counts {
	long n, tp, fp, fn, tn, queue;
};

static int cmp_pair(const void *x, const void *y)
{
	const long *a = x, *b = y;

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

static void score(const char *truth_path, const char *export_path, int numbered, struct counts *c)
{
	struct table tt, et;
	struct map m = { NULL, 0, 0 };
	long next_group = 0, positives = 0, *pairs;
	size_t np = 0;

	read_csv(truth_path, &tt);
	read_csv(export_path, &et);
	if (!et.n || et.rows[0].n < 5 || strcmp(et.rows[0].cell[0], "source") ||
	    strcmp(et.rows[0].cell[2], "group")) {
		fprintf(stderr, "bench_dedup_score: '%s' is not an lsr dedup export\n", export_path);
		exit(1);
	}
	/* the records: every id of the export */
	for (size_t i = 1; i < et.n; i++) {
		struct rec *r = lookup(&m, et.rows[i].cell[1], 1);

		r->pred = atol(et.rows[i].cell[2]);
	}
	/* the truth: groups of ids; the others are singletons */
	for (size_t i = 1; i < tt.n; i++) {
		char *ids = tt.rows[i].cell[0], *save = NULL, *tok;

		next_group++;
		for (tok = strtok_r(ids, ";\n\r ", &save); tok; tok = strtok_r(NULL, ";\n\r ", &save)) {
			char num[32];
			const char *id = tok;
			struct rec *r;

			if (numbered && !strncmp(tok, "id_", 3)) {
				snprintf(num, sizeof(num), "%ld", atol(tok + 3));
				id = num;
			}
			r = lookup(&m, id, 0);
			if (r)
				r->truth = next_group;
		}
	}
	for (size_t k = 0; k < m.cap; k++)
		if (m.slot[k].id && !m.slot[k].truth)
			m.slot[k].truth = ++next_group;
	for (size_t k = 0; k < m.cap; k++)
		if (m.slot[k].id && !m.slot[k].pred)
			m.slot[k].pred = -(long)k - 1; /* not in the export: alone */
	/* positives: members of each true group but one */
	pairs = calloc(m.n * 2 + 2, sizeof(long));
	for (size_t k = 0; k < m.cap; k++)
		if (m.slot[k].id) {
			pairs[2 * np] = m.slot[k].truth;
			pairs[2 * np + 1] = 0;
			np++;
		}
	qsort(pairs, np, 2 * sizeof(long), cmp_pair);
	for (size_t i = 1; i < np; i++)
		if (pairs[2 * i] == pairs[2 * (i - 1)])
			positives++;
	/* per predicted group: size and number of true groups */
	np = 0;
	for (size_t k = 0; k < m.cap; k++)
		if (m.slot[k].id) {
			pairs[2 * np] = m.slot[k].pred;
			pairs[2 * np + 1] = m.slot[k].truth;
			np++;
		}
	qsort(pairs, np, 2 * sizeof(long), cmp_pair);
	c->tp = c->fp = 0;
	for (size_t i = 0; i < np;) {
		size_t j = i, k = 0;

		while (j < np && pairs[2 * j] == pairs[2 * i]) {
			if (j == i || pairs[2 * j + 1] != pairs[2 * (j - 1) + 1])
				k++;
			j++;
		}
		c->tp += (long)(j - i - k);
		c->fp += (long)k - 1;
		i = j;
	}
	c->n = (long)m.n;
	c->fn = positives - c->tp;
	c->tn = (c->n - positives) - c->fp;
	free(pairs);
	for (size_t k = 0; k < m.cap; k++)
		free(m.slot[k].id);
	free(m.slot);
	free_table(&tt);
	free_table(&et);
}

static void print(const char *name, const struct counts *c)
{
	double sens = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 1;
	double spec = c->tn + c->fp ? (double)c->tn / (double)(c->tn + c->fp) : 1;
	double prec = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 1;
	double f1 = prec + sens > 0 ? 2 * prec * sens / (prec + sens) : 0;

	printf("%-20s %7ld %6ld %5ld %5ld %7ld  %6.4f %6.4f %6.4f %6.4f %6ld %6.2f%%\n", name, c->n,
	       c->tp, c->fp, c->fn, c->tn, sens, spec, prec, f1, c->queue,
	       c->n ? 100.0 * (double)c->queue / (double)c->n : 0.0);
}

int main(int argc, char **argv)
{
	struct counts all = { 0, 0, 0, 0, 0, 0 };

	if (argc < 6 || (argc - 1) % 5) {
		fprintf(stderr, "usage: bench_dedup_score NAME TRUTH.csv EXPORT.csv QUEUE as-is|number [NAME ...]\n");
		return 2;
	}
	printf("%-20s %7s %6s %5s %5s %7s  %6s %6s %6s %6s %6s %7s\n", "set", "records", "TP", "FP",
	       "FN", "TN", "sens", "spec", "prec", "F1", "queue", "queue%");
	for (int i = 1; i + 4 < argc; i += 5) {
		struct counts c;

		score(argv[i + 1], argv[i + 2], !strcmp(argv[i + 4], "number"), &c);
		c.queue = atol(argv[i + 3]);
		print(argv[i], &c);
		all.n += c.n;
		all.tp += c.tp;
		all.fp += c.fp;
		all.fn += c.fn;
		all.tn += c.tn;
		all.queue += c.queue;
	}
	print("all sets", &all);
	return 0;
}
