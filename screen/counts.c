/*
 * counts.c - how far deduplication and screening have come, as `lsr
 * update` reports it: what is still pending, and what one update added
 * (screen.h).
 */
#include "screen.h"
#include "screen_int.h"
#include "../db/db.h"
#include "../db/rows.h"
#include "../util/err.h"

#include <string.h>

int screen_pending_counts(struct lsr_db *db, struct screen_pending *out)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM dedup_records WHERE id NOT IN (SELECT record_id FROM citation_members)",
		NULL, /* the open queue: screen_dedup_queue_open_count */
		"SELECT count(*) FROM screen_ta_status WHERE status = 'pending'",
		"SELECT count(*) FROM screen_ta_status WHERE status = 'conflict'",
		"SELECT count(*) FROM screen_ft_status WHERE status = 'awaiting-retrieval'",
		"SELECT count(*) FROM screen_ft_status WHERE status = 'pending'",
		"SELECT count(*) FROM screen_ft_status WHERE status = 'conflict'",
		"SELECT count(*) FROM screen_ft_status WHERE status = 'included'" /* NOLINT(bugprone-suspicious-missing-comma): one query on two lines */
		" AND citation_id NOT IN (SELECT citation_id FROM study_reports)",
	};
	int64_t *v[] = { &out->records_not_deduplicated, &out->duplicate_pairs_to_decide,
		&out->title_abstract_to_screen, &out->title_abstract_conflicts,
		&out->full_texts_to_retrieve, &out->full_text_to_screen, &out->full_text_conflicts,
		&out->reports_not_linked_to_a_study };
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]) && rc == 0; i++)
		rc = sql[i] ? db_rows_int(v[i], db, sql[i], 0) : screen_dedup_queue_open_count(db, v[i]);
	return rc;
}

int screen_update_counts(struct lsr_db *db, int no, struct screen_update_counts *out)
{
	static const char *const sql[] = {
		/* each driven by the update's own records: what an update costs
		 * grows with what it brought, not with the review */
		"SELECT count(*) FROM (" SQL_UPDATE_CITATIONS ")",
		"SELECT count(*) FROM " SQL_UPDATE_RECORDS
		" AND " SQL_CITATION_UPDATE("um.citation_id") " < ?1",
		"SELECT count(*) FROM screen_ta_status WHERE status IN ('pending', 'conflict')",
		/* decided_by = 'automation' in screen_ta_status: an exclude rule
		 * hit and no human outcome */
		"WITH c AS (" SQL_UPDATE_CITATIONS ")"
		" SELECT count(*) FROM c JOIN screen_auto_exclusions a ON a.citation_id = c.id"
		" WHERE NOT EXISTS (SELECT 1 FROM screen_decided d"
		"  WHERE d.citation_id = c.id AND d.stage = 'title-abstract' AND d.human)",
		"SELECT count(*) FROM screen_ft_status"
		" WHERE status IN ('awaiting-retrieval', 'pending', 'conflict')",
	};
	int64_t *v[] = { &out->new_citations, &out->records_joining_earlier_citations,
		&out->awaiting_title_abstract, &out->excluded_by_automation, &out->awaiting_full_text };
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]) && rc == 0; i++)
		rc = db_rows_int(v[i], db, sql[i], no);
	return rc;
}
