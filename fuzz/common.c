/*
 * common.c - the temporary folder and the review the fuzz targets share
 * (fuzz.h).
 */
#include "fuzz.h"

#include "db/db.h"
#include "db/protocol.h"
#include "fetch/fetch.h"
#include "screen/screen.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static struct fuzz_review review;
static int review_made;

/* The protocol of the review (the extraction tests' protocol). */
static const char protocol_text[] =
	"lsr_protocol: 1\n"
	"title: Fuzzing\n"
	"sources:\n"
	"  - name: PubMed\n"
	"screening:\n"
	"  reviewers: 2\n"
	"  reasons:\n"
	"    - {code: animal}\n"
	"extraction:\n"
	"  extractors: 2\n"
	"  characteristics:\n"
	"    - {name: country, type: text}\n"
	"    - {name: cell_type, type: choice, values: [BM-MSC, BM-MNC, UC-MSC]}\n"
	"    - {name: dose_per_kg, type: number, unit: cells/kg}\n"
	"    - {name: patients, type: integer}\n"
	"  outcomes:\n"
	"    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month, 3 months]}\n"
	"    - {name: fever, type: dichotomous, better: lower, timepoints: [30 days]}\n"
	"    - {name: survival, type: time-to-event, better: higher, timepoints: [12 months]}\n"
	"  risk_of_bias: rob2\n";

static const char records_text[] =
	"TY  - JOUR\nTI  - Stem cells in cirrhosis: a randomised trial\nAU  - Bai, L\nPY  - 2014\nDO  - 10.1000/a1\nER  - \n\n"
	"TY  - JOUR\nTI  - Autologous cells for liver failure\nAU  - Suk, KT\nPY  - 2016\nDO  - 10.1000/a2\nER  - \n\n"
	"TY  - JOUR\nTI  - Bone marrow cells and albumin\nAU  - Amer, ME\nPY  - 2011\nDO  - 10.1000/a3\nER  - \n\n"
	"TY  - JOUR\nTI  - Stem cells in cirrhosis: a randomised trial\nAU  - Bai, L\nPY  - 2014\nDO  - 10.1000/a1\nER  - \n\n"
	"TY  - JOUR\nTI  - Mice given stem cells\nAU  - Mouse, A\nPY  - 2019\nER  - \n";

static void cleanup(void)
{
	static const char *const names[] = { "review.db", "review.db-wal", "review.db-shm",
		"protocol.yaml", "records.ris", "input", "input.csv", "input.yaml", NULL };
	char path[128];

	if (review_made) {
		db_close(review.db);
		protocol_free(review.p);
	}
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static const char *tmpdir(void)
{
	if (!dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/lsr-fuzz.XXXXXX", t && *t && strlen(t) < 40 ? t : "/tmp");
		if (!mkdtemp(dir)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(cleanup);
	}
	return dir;
}

const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir(), name);
	f = fopen(path, "wb");
	if (!f)
		return NULL;
	if ((size && fwrite(data, 1, size, f) != size) | (fclose(f) != 0))
		return NULL;
	return path;
}

static void must(int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "fuzz: cannot make the review (%s): %s\n", what, lsr_error_last());
		abort();
	}
}

struct fuzz_review *fuzz_review(void)
{
	struct fetch_import_opts io;
	struct fetch_import_result ir;
	struct screen_dedup_opts dopts = { 1, NULL };
	struct screen_dedup_result dres;
	struct screen_batch_opts bopts;
	char path[128];
	const char *f;
	FILE *out;
	int64_t batch;
	size_t n;

	if (review_made)
		return &review;
	snprintf(path, sizeof(path), "%s/review.db", tmpdir());
	must(db_open(&review.db, path, DB_OPEN_CREATE), "db_open");
	f = fuzz_file("protocol.yaml", (const uint8_t *)protocol_text, sizeof(protocol_text) - 1);
	must(f ? protocol_load(&review.p, f) : LSR_ERROR, "protocol");
	must(db_exec(review.db,
		     "INSERT INTO studies(label, created_at, actor) VALUES"
		     " ('Bai 2014', '2023-11-14T22:13:20Z', 'fuzz'),"
		     " ('Suk 2016', '2023-11-14T22:13:20Z', 'fuzz'),"
		     " ('Amer 2011', '2023-11-14T22:13:20Z', 'fuzz')"), "studies");
	memset(&io, 0, sizeof(io));
	io.source = "PubMed";
	io.format = FETCH_FMT_RIS;
	io.protocol = review.p;
	f = fuzz_file("records.ris", (const uint8_t *)records_text, sizeof(records_text) - 1);
	must(f ? fetch_import(review.db, f, &io, &ir) : LSR_ERROR, "import");
	must(screen_dedup_run(review.db, &dopts, &dres), "dedup");
	memset(&bopts, 0, sizeof(bopts));
	bopts.reviewer = "fuzz";
	bopts.stage = SCREEN_STAGE_TA;
	bopts.size = 10;
	bopts.seed = 1;
	out = fopen("/dev/null", "w");
	must(out ? screen_batch_create(review.db, review.p, &bopts, out, &batch, &n) : LSR_ERROR,
	     "batch");
	fclose(out);
	review_made = 1;
	lsr_error_clear();
	return &review;
}

void fuzz_in_rollback(int (*fn)(struct fuzz_review *r, const char *path, void *arg),
		      const char *path, void *arg)
{
	struct fuzz_review *r = fuzz_review();

	if (db_txn_begin(r->db) < 0) {
		fprintf(stderr, "fuzz: BEGIN failed: %s\n", lsr_error_last());
		abort();
	}
	/* LSR_FUZZ_VERBOSE=1: say why an input was refused (to check that
	 * the seeds get through) */
	if (fn(r, path, arg) < 0 && getenv("LSR_FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz: refused: %s\n", lsr_error_last());
	db_txn_rollback(r->db);
	if (db_txn_depth(r->db) != 0) {
		fprintf(stderr, "fuzz: a transaction was left open\n");
		abort();
	}
	lsr_error_clear();
}
