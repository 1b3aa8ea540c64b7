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

int screen_fulltext_record(struct lsr_db *db, int64_t citation, int retrieved,
			   const char *file, const char *reason)
{
	static const char sql[] =
		"INSERT INTO screen_retrievals(citation_id, retrieved, file, reason, at, actor)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
	char ta[32], now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	int64_t live;
	int rc;

	if (!retrieved && (!reason || !*reason))
		return lsr_error_set(LSR_EUSAGE, "--not-retrieved needs a reason (PRISMA reports it)");
	if (retrieved && reason)
		return lsr_error_set(LSR_EUSAGE, "choose one of --retrieved and --not-retrieved");
	if ((rc = screen_citation_live(db, citation, &live)) < 0)
		return rc;
	if ((rc = scr_status(db, live, SCREEN_STAGE_TA, ta, sizeof(ta))) < 0)
		return rc;
	if (strcmp(ta, "included"))
		return lsr_error_set(LSR_ERROR,
				     "citation %lld is not a report sought for retrieval (title-abstract status: %s)",
				     (long long)citation, ta[0] ? ta : "not counted");
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if (!(st = db_prepare(db, sql))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	clock_now_iso(now);
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
	return db_txn_commit(db);
fail:
	db_txn_rollback(db);
	return rc;
}
