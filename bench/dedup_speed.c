/*
 * dedup_speed.c - how long 'lsr dedup' takes, and how much memory, on
 * generated reviews of 10k, 100k and 1M records with realistic duplicates
 * (bench/dupinject.h).
 *
 *     bench_dedup_speed [N ...] [--threads T] [--dir DIR] [--seed S] [-v]
 *                       [--generate-only]
 *
 * For each N (default 10000 100000 1000000) it writes a review database
 * holding N records (about 1.5 records per publication, as in the seed
 * review: 2,599 records of 1,747 citations), then runs the deduplication
 * in a child process and prints its wall time and peak resident memory
 * (the child's, so the generator does not count), its CPU time and the
 * machine's load (the benchmark machine is shared), and how well the
 * injected duplicates were found.
 */
#define _POSIX_C_SOURCE 200809L
#include "db/db.h"
#include "db/record.h"
#include "screen/screen.h"
#include "util/clock.h"
#include "util/err.h"
#include "dupinject.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const words[] = {
	"acute", "adult", "analysis", "antibody", "assessment", "association", "bone", "brain",
	"cancer", "cardiac", "care", "cell", "children", "chronic", "clinical", "cohort",
	"comparison", "controlled", "cost", "disease", "dose", "early", "effect", "effects",
	"efficacy", "elderly", "evaluation", "evidence", "exercise", "factor", "failure",
	"function", "gene", "growth", "health", "heart", "hospital", "human", "immune",
	"impact", "infection", "inflammation", "injury", "intervention", "kidney", "liver",
	"long-term", "lung", "marrow", "mesenchymal", "metabolic", "model", "mortality",
	"multicentre", "network", "novel", "obesity", "outcome", "outcomes", "patients",
	"pilot", "plasma", "population", "prevention", "primary", "prospective", "protein",
	"quality", "randomized", "rate", "receptor", "recovery", "reduction", "renal",
	"response", "retrospective", "risk", "role", "safety", "screening", "secondary",
	"serum", "severe", "signalling", "stem", "stroke", "study", "surgery", "survival",
	"syndrome", "systematic", "therapy", "tissue", "transplantation", "treatment",
	"trial", "tumour", "type", "vascular", "women", "young", "insulin", "glucose",
	"diabetes", "hepatic", "cirrhosis", "fibrosis", "pulmonary", "asthma", "vaccine",
	"viral", "bacterial", "antibiotic", "resistance", "mutation", "expression", "pathway",
	"imaging", "magnetic", "resonance", "ultrasound", "biomarker", "blood", "pressure",
	"hypertension", "statin", "aspirin", "placebo", "double-blind", "versus", "among",
	"during", "after", "before", "following", "between", "within", "without", "across",
};
static const char *const links[] = { "in", "of", "for", "with", "and", "on", "after", "among" };
static const char *const surnames[] = {
	"Smith", "Jones", "Garcia", "Chen", "Wang", "Li", "Zhang", "Liu", "Müller", "Schmidt",
	"Rossi", "Dubois", "Novak", "Kowalski", "Ito", "Sato", "Kim", "Lee", "Park", "Nguyen",
	"Silva", "Santos", "Costa", "Johansson", "Nielsen", "Hansen", "Brown", "Taylor",
	"Wilson", "Anderson", "Thomas", "Martin", "Moore", "Jackson", "White", "Harris",
	"Clark", "Lewis", "Walker", "Hall", "Young", "Allen", "King", "Wright", "Scott",
	"Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts",
	"Carter", "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards",
	"Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Peterson", "Cooper",
	"Reed", "Bailey", "Bell", "Gomez", "Kelly", "Howard", "Ward", "Cox", "Diaz",
	"Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "James", "Reyes",
	"van der Berg", "O'Brien", "Yamamoto", "Tanaka", "Suzuki", "Nakamura", "Kobayashi",
	"Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch",
};
static const char *const givens[] = {
	"John", "Mary", "Wei", "Maria", "Anna", "Peter", "Ken", "Yui", "Jean-Luc", "Ana",
	"Li", "Olga", "Ahmed", "Fatima", "Carlos", "Sofia", "David", "Sarah", "Michael", "Emma",
};
static const struct { const char *full, *abbrev; } journals[] = {
	{ "Journal of Hepatology", "J Hepatol" }, { "Hepatology", NULL },
	{ "New England Journal of Medicine", "N Engl J Med" }, { "The Lancet", "Lancet" },
	{ "British Medical Journal", "BMJ" }, { "Stem Cell Research & Therapy", "Stem Cell Res Ther" },
	{ "Journal of Clinical Oncology", "J Clin Oncol" }, { "Diabetes Care", "Diabetes Care" },
	{ "American Journal of Transplantation", "Am J Transplant" },
	{ "Proceedings of the National Academy of Sciences of the United States of America", "Proc Natl Acad Sci U S A" },
	{ "PLoS One", NULL }, { "Journal of the American Medical Association", "J Am Med Assoc" },
	{ "Clinical Infectious Diseases", "Clin Infect Dis" }, { "Liver International", "Liver Int" },
	{ "Gastroenterology", NULL }, { "Gut", NULL }, { "Annals of Internal Medicine", "Ann Intern Med" },
	{ "Journal of Clinical Investigation", "J Clin Invest" }, { "Kidney International", "Kidney Int" },
	{ "American Journal of Respiratory and Critical Care Medicine", "Am J Respir Crit Care Med" },
	{ "European Heart Journal", "Eur Heart J" }, { "Circulation", NULL }, { "Stroke", NULL },
	{ "Neurology", NULL }, { "Pediatrics", NULL }, { "Journal of Pediatrics", "J Pediatr" },
	{ "Cochrane Database of Systematic Reviews", "Cochrane Database Syst Rev" },
	{ "World Journal of Gastroenterology", "World J Gastroenterol" },
	{ "Cell Transplantation", "Cell Transplant" }, { "Stem Cells", NULL },
	{ "Cytotherapy", NULL }, { "Transplantation Proceedings", "Transplant Proc" },
};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t pick(struct dupinject_rng *r, size_t n)
{
	return dupinject_next(r) % n;
}

/* One publication, as its first database exports it. */
static void make_record(struct dupinject_rng *r, uint64_t n, struct lsr_record *rec, size_t *journal)
{
	int nw = 6 + (int)pick(r, 9), na = 1 + (int)pick(r, 6);
	int first, len;

	/* a draw whose value is not used: kept so that a seed still gives the
	 * same records (and the same figures) */
	(void)pick(r, 30);
	len = (int)pick(r, 12);
	record_reset(rec);
	for (int i = 0; i < nw; i++) {
		const char *w = (i && pick(r, 4) == 0) ? links[pick(r, N_OF(links))] : words[pick(r, N_OF(words))];

		if (i)
			buf_addc(&rec->title, ' ');
		if (i == 0)
			buf_addc(&rec->title, (char)toupper((unsigned char)w[0])), buf_adds(&rec->title, w + 1);
		else
			buf_adds(&rec->title, w);
		if (i == nw / 2 && pick(r, 3) == 0)
			buf_addc(&rec->title, ':');
	}
	for (int i = 0; i < na; i++) {
		char a[96];

		snprintf(a, sizeof(a), "%s, %s", surnames[pick(r, N_OF(surnames))], givens[pick(r, N_OF(givens))]);
		strv_push(&rec->authors, a);
	}
	rec->year = 1990 + (int)pick(r, 35);
	*journal = (size_t)pick(r, N_OF(journals));
	buf_adds(&rec->journal, journals[*journal].full);
	buf_printf(&rec->volume, "%d", 1 + (int)pick(r, 120));
	buf_printf(&rec->issue, "%d", 1 + (int)pick(r, 12));
	first = 1 + (int)pick(r, 2000);
	buf_printf(&rec->pages, "%d-%d", first, first + len);
	if (pick(r, 10) < 7)
		buf_printf(&rec->doi, "10.%d/bench.%llu", 1000 + (int)pick(r, 8000), (unsigned long long)n);
	buf_printf(&rec->source_id, "P%llu", (unsigned long long)n);
}

static void die_lsr(const char *what)
{
	fprintf(stderr, "bench_dedup_speed: %s: %s\n", what, lsr_error_last());
	exit(1);
}

/* Write a review of about n records; *publications gets the number of
 * distinct publications. */
static void generate(const char *path, uint64_t n, uint64_t seed, uint64_t *publications)
{
	struct dupinject_rng rng = { seed };
	struct lsr_db *db = NULL;
	struct lsr_record rec, dup;
	uint64_t stored = 0, pubs = 0;

	unlink(path);
	if (db_open(&db, path, DB_OPEN_CREATE) < 0)
		die_lsr("open");
	if (db_exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF") < 0 ||
	    db_exec(db, "INSERT INTO sources(name, created_at) VALUES('A', 'x'), ('B', 'x'), ('C', 'x');"
			"INSERT INTO runs(source_id, kind, started_at, actor) VALUES(1, 'import', 'x', 'bench'),"
			" (2, 'import', 'x', 'bench'), (3, 'import', 'x', 'bench')") < 0)
		die_lsr("schema");
	record_init(&rec);
	record_init(&dup);
	if (db_txn_begin(db) < 0)
		die_lsr("begin");
	while (stored < n) {
		size_t j;
		/* copies: 1 (60%), 2 (25%), 3 (10%), 4 (5%): 1.6 records each */
		uint64_t c = pick(&rng, 100), copies = c < 60 ? 1 : c < 85 ? 2 : c < 95 ? 3 : 4;

		make_record(&rng, pubs, &rec, &j);
		pubs++;
		for (uint64_t k = 0; k < copies && stored < n; k++) {
			struct lsr_record *out = &rec;

			if (k) {
				record_reset(&dup);
				buf_adds(&dup.title, rec.title.s);
				for (size_t i = 0; i < rec.authors.n; i++)
					strv_push(&dup.authors, rec.authors.v[i]);
				dup.year = rec.year;
				buf_adds(&dup.journal, rec.journal.s);
				buf_adds(&dup.volume, rec.volume.s);
				buf_adds(&dup.issue, rec.issue.s);
				buf_adds(&dup.pages, rec.pages.s);
				buf_adds(&dup.doi, rec.doi.s);
				buf_printf(&dup.source_id, "%s-%llu", rec.source_id.s, (unsigned long long)k);
				dupinject_record(&rng, &dup, journals[j].abbrev);
				out = &dup;
			}
			if (record_finish(out) < 0 ||
			    db_record_insert(db, (int64_t)(k % 3) + 1, ++stored, out, NULL) < 0)
				die_lsr("insert");
		}
	}
	if (db_txn_commit(db) < 0)
		die_lsr("commit");
	record_release(&rec);
	record_release(&dup);
	db_close(db);
	*publications = pubs;
}

static int verbose, generate_only;

/* With -v: the time each phase of the run started (on stderr). */
static void phase(void *payload, const char *what, uint64_t done, uint64_t total, const char *unit)
{
	static char last[64];
	static double t0;

	(void)payload;
	(void)done;
	(void)total;
	(void)unit;
	if (!verbose || !strcmp(last, what))
		return;
	if (!t0)
		t0 = clock_mono();
	snprintf(last, sizeof(last), "%s", what);
	fprintf(stderr, "  %8.2f s (cpu %6.2f s)  %s\n", clock_mono() - t0,
		(double)clock() / CLOCKS_PER_SEC, what);
}

/* Run the deduplication in a child; print time, memory and what it found. */
static void measure(const char *path, uint64_t n, uint64_t pubs, int threads)
{
	struct rusage ru;
	int status, pfd[2];
	double t0 = clock_mono(), secs;
	pid_t pid;
	struct screen_dedup_result res;

	if (pipe(pfd) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		struct lsr_db *db = NULL;
		struct lsr_progress prog = { phase, NULL };
		struct screen_dedup_opts o = { threads, &prog };

		close(pfd[0]);
		if (db_open(&db, path, 0) < 0 || screen_dedup_run(db, &o, &res) < 0)
			die_lsr("dedup");
		db_close(db);
		if (write(pfd[1], &res, sizeof(res)) != (ssize_t)sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	memset(&res, 0, sizeof(res));
	if (read(pfd[0], &res, sizeof(res)) != (ssize_t)sizeof(res))
		fprintf(stderr, "bench_dedup_speed: the deduplication failed\n");
	close(pfd[0]);
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		exit(1);
	secs = clock_mono() - t0;
	{
		double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
		double load = 0;
		FILE *f = fopen("/proc/loadavg", "r");

		if (f) {
			if (fscanf(f, "%lf", &load) != 1)
				load = 0;
			fclose(f);
		}
		printf("%9llu %9llu %10llu %9llu %8.2f %8.2f %8.1f %7llu %8.4f %6.2f\n",
		       (unsigned long long)n, (unsigned long long)pubs,
		       (unsigned long long)res.comparisons, (unsigned long long)res.citations_live,
		       secs, cpu, (double)ru.ru_maxrss / 1024.0, (unsigned long long)res.queued,
		       n > pubs ? (double)(n - res.citations_live) / (double)(n - pubs) : 1.0, load);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	uint64_t sizes[8], nsizes = 0, seed = 2385;
	const char *dir = "bench/out";
	int threads = 2;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "--generate-only"))
			generate_only = 1;
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (nsizes < 8)
			sizes[nsizes++] = strtoull(argv[i], NULL, 10);
	}
	if (!nsizes) {
		sizes[0] = 10000;
		sizes[1] = 100000;
		sizes[2] = 1000000;
		nsizes = 3;
	}
	mkdir(dir, 0777);
	printf("deduplication speed (%d comparison threads)\n", threads);
	printf("%9s %9s %10s %9s %8s %8s %8s %7s %8s %6s\n", "records", "pubs", "compared",
	       "citations", "wall s", "cpu s", "peak MB", "queued", "found", "load");
	for (uint64_t i = 0; i < nsizes; i++) {
		char path[512];
		uint64_t pubs = 0;

		snprintf(path, sizeof(path), "%s/dedup_speed_%llu.db", dir, (unsigned long long)sizes[i]);
		generate(path, sizes[i], seed, &pubs);
		if (!generate_only)
			measure(path, sizes[i], pubs, threads);
	}
	printf("found: duplicates removed / duplicates injected (above 1: merges too many);\n"
	       "cpu s: user + system time of the run (both threads); load: 1-minute load average after it\n");
	return 0;
}
