/*
 * pending.c - what extraction still waits for, as `lsr update` reports it
 * (extract.h).
 */
#include "extract.h"
#include "../db/db.h"

int extract_studies_without_values(struct lsr_db *db, int64_t *out)
{
	/* studies with a report linked and no extracted value yet */
	*out = 0;
	return db_query_int(db, out,
			    "SELECT count(*) FROM studies s"
			    " WHERE s.id IN (SELECT study_id FROM study_reports)"
			    " AND s.id NOT IN (SELECT study_id FROM extraction_values)");
}
