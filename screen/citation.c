/*
 * citation.c - citations as later stages see them: the events that carry
 * decisions across merges and splits (see screen.h).
 */
#include "screen.h"
#include "../db/db.h"
#include "../util/clock.h"
#include "../util/err.h"

static int add_event(struct lsr_db *db, const char *kind, int64_t citation,
		     int64_t other, const char *actor)
{
	static const char sql[] =
		"INSERT INTO citation_events(kind, citation_id, other_id, at, actor)"
		" VALUES(?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st = db_prepare(db, sql);
	char now[CLOCK_ISO_LEN];

	if (!st)
		return lsr_error_last_code();
	clock_now_iso(now);
	db_bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, citation);
	sqlite3_bind_int64(st, 3, other);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, actor ? actor : db_actor());
	return db_step_done(db, st);
}

int screen_citations_merged(struct lsr_db *db, int64_t kept, int64_t absorbed,
			    const char *actor)
{
	int rc = add_event(db, "merge", kept, absorbed, actor);

	if (rc < 0)
		return rc;
	/* screening decisions of both: carried, differing ones a conflict */
	return screen_carry_merge(db, db_last_id(db), kept, absorbed);
}

int screen_citation_split(struct lsr_db *db, int64_t from, const int64_t *parts,
			  size_t nparts, const char *actor)
{
	for (size_t i = 0; i < nparts; i++) {
		int rc = add_event(db, "split", from, parts[i], actor);

		/* each part keeps the screening decisions, flagged for a second look */
		if (rc < 0 || (rc = screen_carry_split(db, db_last_id(db), from, parts[i])) < 0)
			return rc;
	}
	return 0;
}
