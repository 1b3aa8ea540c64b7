/*
 * fulltext.c - retrieval of the full texts of reports (see screen.h).
 * A report is a citation included at title-abstract; its latest retrieval
 * record counts (view screen_retrieval_current).
 */
#include "screening_int.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The citations included at title-abstract, sorted.  screen_ta_status is a
 * view over every decision: asking it for one citation costs as much as
 * asking it for all, so a list of ids is checked against one read of it.
 */
static int ta_included(struct lsr_db *db, int64_t **out, size_t *n)
{
	static const char sql[] =
		"SELECT citation_id FROM screen_ta_status WHERE status = 'included' ORDER BY citation_id";
	sqlite3_stmt *st = db_prepare(db, sql);
	int64_t *v = NULL, *nv;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return lsr_error_last_code();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 256;
			if (!(nv = realloc(v, cap * sizeof(*v)))) {
				free(v);
				sqlite3_reset(st);
				return lsr_error_oom();
			}
			v = nv;
		}
		v[len++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		rc = db_error(db, sql);
		free(v);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return 0;
}

int screen_fulltext_record_many(struct lsr_db *db, const int64_t *citations, size_t n,
				int retrieved, const char *file, const char *reason)
{
	static const char sql[] =
		"INSERT INTO screen_retrievals(citation_id, retrieved, file, reason, at, actor)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
	char ta[32], now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	int64_t live, *included = NULL;
	size_t nincluded;
	int rc;

	if (!retrieved && (!reason || !*reason))
		return lsr_error_set(LSR_EUSAGE, "--not-retrieved needs a reason (PRISMA reports it)");
	if (retrieved && reason)
		return lsr_error_set(LSR_EUSAGE, "choose one of --retrieved and --not-retrieved");
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if ((rc = ta_included(db, &included, &nincluded)) < 0)
		goto fail;
	clock_now_iso(now);
	for (size_t i = 0; i < n; i++) {
		if ((rc = screen_citation_live(db, citations[i], &live)) < 0)
			goto fail;
		if (!included || !bsearch(&live, included, nincluded, sizeof(*included), cmp_id)) {
			if ((rc = scr_status(db, live, SCREEN_STAGE_TA, ta, sizeof(ta))) < 0)
				goto fail;
			rc = lsr_error_set(LSR_ERROR,
					   "citation %lld is not a report sought for retrieval (title-abstract status: %s)",
					   (long long)citations[i], ta[0] ? ta : "not counted");
			goto fail;
		}
		if (!(st = db_prepare(db, sql))) {
			rc = lsr_error_last_code();
			goto fail;
		}
		sqlite3_bind_int64(st, 1, live);
		sqlite3_bind_int(st, 2, retrieved != 0);
		db_bind_text(st, 3, retrieved ? file : NULL);
		db_bind_text(st, 4, retrieved ? NULL : reason);
		db_bind_text(st, 5, now);
		db_bind_text(st, 6, db_actor());
		if ((rc = db_step_done(db, st)) < 0)
			goto fail;
		rc = scr_audit(db, "screen-fulltext", "citation", live,
			       json_pack("{s:b,s:s?,s:s?}", "retrieved", retrieved != 0, "file",
					 retrieved ? file : NULL, "reason", retrieved ? NULL : reason));
		if (rc < 0)
			goto fail;
	}
	free(included);
	return db_txn_commit(db);
fail:
	free(included);
	db_txn_rollback(db);
	return rc;
}

int screen_fulltext_record(struct lsr_db *db, int64_t citation, int retrieved,
			   const char *file, const char *reason)
{
	return screen_fulltext_record_many(db, &citation, 1, retrieved, file, reason);
}
