/*
 * decision.c - people's deduplication decisions: 'same' and 'different' on
 * a pair of records, and splitting a citation (see screen.h).
 *
 * A decision is appended to dedup_decisions and applied at once, in the
 * same transaction: a 'same' merges two citations, a 'different' on two
 * records of one citation cuts the weakest link between them, a split moves
 * records to new citations.  Automatic runs read the decisions back as
 * constraints (dedup.c: load_constraints) and never merge across them.
 */
#include "screen_int.h"
#include "../db/db.h"
#include "../util/clock.h"
#include "../util/array.h"
#include "../util/err.h"

#include <assert.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The citation of record id: 0 and LSR_ENOTFOUND with a message when the
 * record does not exist or is not grouped. */
static int citation_of(struct lsr_db *db, int64_t id, int64_t *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT (SELECT count(*) FROM records WHERE id = ?1),"
					  " (SELECT citation_id FROM citation_members WHERE record_id = ?1)");
	int rc;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(db, sqlite3_sql(st));
		sqlite3_reset(st);
		return rc;
	}
	if (!sqlite3_column_int(st, 0)) {
		sqlite3_reset(st);
		return lsr_error_set(LSR_ENOTFOUND, "no record %lld", (long long)id);
	}
	if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
		sqlite3_reset(st);
		return lsr_error_set(LSR_ENOTFOUND,
				     "record %lld is not grouped (withdrawn, removed, or not yet deduplicated: run 'lsr dedup')",
				     (long long)id);
	}
	*out = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

static int count_members(struct lsr_db *db, int64_t citation, int64_t *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM citation_members WHERE citation_id = ?1");

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	if (sqlite3_step(st) != SQLITE_ROW) {
		int rc = db_error(db, sqlite3_sql(st));

		sqlite3_reset(st);
		return rc;
	}
	*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int insert_decision(struct lsr_db *db, const char *kind, int64_t a, int64_t b,
			   int64_t citation, const char *parts, int64_t queue_id,
			   const char *by, const char *reason, const char *now, int64_t *out)
{
	static const char sql[] =
		"INSERT INTO dedup_decisions(kind, record_a, record_b, citation_id, parts, queue_id,"
		" actor, at, reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, kind);
	if (a)
		sqlite3_bind_int64(st, 2, a);
	if (b)
		sqlite3_bind_int64(st, 3, b);
	if (citation)
		sqlite3_bind_int64(st, 4, citation);
	db_bind_text(st, 5, parts);
	if (queue_id)
		sqlite3_bind_int64(st, 6, queue_id);
	db_bind_text(st, 7, by);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, reason);
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	*out = db_last_id(db);
	return 0;
}

static int audit_decision(struct lsr_db *db, int64_t decision, const char *what)
{
	char obj[48];

	snprintf(obj, sizeof(obj), "dedup decision %lld", (long long)decision);
	return db_audit(db, what, obj, NULL);
}

/* Merge citation absorbed into kept because of a decision. */
static int merge_citations(struct lsr_db *db, int64_t kept, int64_t absorbed,
			   int64_t a, int64_t b, int64_t decision, const char *by,
			   const char *now)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(db, "UPDATE citation_members SET citation_id = ?1 WHERE citation_id = ?2");
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, kept);
	sqlite3_bind_int64(st, 2, absorbed);
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	st = db_prepare(db, "UPDATE citations SET retired_at = ?1, retired_into = ?2 WHERE id = ?3");
	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, now);
	sqlite3_bind_int64(st, 2, kept);
	sqlite3_bind_int64(st, 3, absorbed);
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	st = db_prepare(db, "INSERT INTO dedup_links(record_a, record_b, pass, rule, decision_id, at)"
			    " VALUES(?1, ?2, 'manual', 'decided-same', ?3, ?4)");
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_int64(st, 3, decision);
	db_bind_text(st, 4, now);
	if ((rc = db_step_done(db, st)) < 0)
		return rc;
	if ((rc = dedup_choose_representative(db, kept)) < 0)
		return rc;
	return screen_citations_merged(db, kept, absorbed, by);
}

/* Mark a record as put in its citation by a person (only_unique: only if
 * it was a singleton until then). */
static int set_manual_if(struct lsr_db *db, int64_t record, int64_t citation, const char *rule,
			 int64_t matched, const char *now, int only_unique)
{
	sqlite3_stmt *st = db_prepare(db, only_unique
		? "UPDATE citation_members SET citation_id = ?2, pass = 'manual',"
		  " rule = ?3, score = NULL, scores = NULL, matched_id = ?4, at = ?5"
		  " WHERE record_id = ?1 AND pass = 'new'"
		: "UPDATE citation_members SET citation_id = ?2, pass = 'manual',"
		  " rule = ?3, score = NULL, scores = NULL, matched_id = ?4, at = ?5"
		  " WHERE record_id = ?1");

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, record);
	sqlite3_bind_int64(st, 2, citation);
	db_bind_text(st, 3, rule);
	if (matched)
		sqlite3_bind_int64(st, 4, matched);
	db_bind_text(st, 5, now);
	return db_step_done(db, st);
}

static int set_manual(struct lsr_db *db, int64_t record, int64_t citation, const char *rule,
		      int64_t matched, const char *now)
{
	return set_manual_if(db, record, citation, rule, matched, now, 0);
}

/*
 * Split citation into the given parts (arrays of record ids, every member
 * in exactly one part), inside the caller's transaction.  The largest part
 * keeps the id (ties: the part holding the representative, then the first).
 */
static int apply_split(struct lsr_db *db, int64_t citation, int64_t **parts,
		       const size_t *npart, size_t nparts, int64_t decision,
		       const char *by, const char *now, int64_t **out_ids, size_t *out_n)
{
	int64_t rep = 0, *newids = NULL;
	size_t keep = 0, nnew = 0;
	sqlite3_stmt *st;
	int rc = 0;

	st = db_prepare(db, "SELECT representative_id FROM citations WHERE id = ?1");
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	if (sqlite3_step(st) == SQLITE_ROW)
		rep = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	for (size_t i = 1; i < nparts; i++) {
		int has_rep = 0, keep_rep = 0;

		for (size_t k = 0; k < npart[i]; k++)
			has_rep |= parts[i][k] == rep;
		for (size_t k = 0; k < npart[keep]; k++)
			keep_rep |= parts[keep][k] == rep;
		if (npart[i] > npart[keep] || (npart[i] == npart[keep] && has_rep && !keep_rep))
			keep = i;
	}
	newids = calloc(nparts, sizeof(*newids));
	if (!newids)
		return lsr_error_oom();
	for (size_t i = 0; i < nparts; i++) {
		int64_t cid;

		if (i == keep) {
			/* a record left alone is alone by this decision */
			if (npart[i] == 1 && (rc = set_manual(db, parts[i][0], citation, "split", 0, now)) < 0)
				goto out;
			continue;
		}
		st = db_prepare(db, "INSERT INTO citations(created_at) VALUES(?1)");
		if (!st) {
			rc = lsr_error_last_code();
			goto out;
		}
		db_bind_text(st, 1, now);
		if ((rc = db_step_done(db, st)) < 0)
			goto out;
		cid = db_last_id(db);
		newids[nnew++] = cid;
		for (size_t k = 0; k < npart[i]; k++)
			if ((rc = set_manual(db, parts[i][k], cid, "split", 0, now)) < 0)
				goto out;
		if ((rc = dedup_choose_representative(db, cid)) < 0)
			goto out;
	}
	if ((rc = dedup_choose_representative(db, citation)) < 0)
		goto out;
	/* links that now join two parts are cut */
	st = db_prepare(db, "UPDATE dedup_links SET cut_by = ?1 WHERE cut_by IS NULL"
			    " AND (SELECT citation_id FROM citation_members WHERE record_id = record_a)"
			    "  <> (SELECT citation_id FROM citation_members WHERE record_id = record_b)"
			    " AND (record_a IN (SELECT record_id FROM citation_members WHERE citation_id IN"
			    "   (SELECT value FROM json_each(?2)))"
			    "  OR record_b IN (SELECT record_id FROM citation_members WHERE citation_id IN"
			    "   (SELECT value FROM json_each(?2))))");
	if (!st) {
		rc = lsr_error_last_code();
		goto out;
	}
	{
		char ids[4096];
		size_t o = 0;

		o += (size_t)snprintf(ids + o, sizeof(ids) - o, "[%lld", (long long)citation);
		for (size_t i = 0; i < nnew && o < sizeof(ids) - 32; i++)
			o += (size_t)snprintf(ids + o, sizeof(ids) - o, ",%lld", (long long)newids[i]);
		snprintf(ids + o, sizeof(ids) - o, "]");
		sqlite3_bind_int64(st, 1, decision);
		db_bind_text(st, 2, ids);
		if ((rc = db_step_done(db, st)) < 0)
			goto out;
	}
	if ((rc = screen_citation_split(db, citation, newids, nnew, by)) < 0)
		goto out;
	if (out_ids) {
		*out_ids = newids;
		newids = NULL;
	}
	if (out_n)
		*out_n = nnew;
out:
	free(newids);
	return rc;
}

static char *parts_json(int64_t **parts, const size_t *npart, size_t nparts)
{
	json_t *a = json_array();
	char *s;

	for (size_t i = 0; i < nparts; i++) {
		json_t *p = json_array();

		for (size_t k = 0; k < npart[i]; k++)
			json_array_append_new(p, json_integer(parts[i][k]));
		json_array_append_new(a, p);
	}
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (!s)
		lsr_error_oom();
	return s;
}

/* The members of citation, in record order (caller frees *out). */
static int members_of(struct lsr_db *db, int64_t citation, int64_t **out, size_t *n)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT record_id FROM citation_members WHERE citation_id = ?1"
					  " ORDER BY record_id");
	size_t alloc = 0;
	int step;

	*out = NULL;
	*n = 0;
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW(*out, *n, alloc, 16) < 0) {
			sqlite3_reset(st);
			return LSR_ENOMEM;
		}
		(*out)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return db_error(db, sqlite3_sql(st));
	return 0;
}

/*
 * Breadth-first over the links (la[k]-lb[k], k < nl) from member start,
 * leaving out link skip (-1: none): seen[i] is set for every member
 * reached; prev and prev_link (may be NULL) give each one's predecessor
 * and the link used.
 */
static int reach(const int64_t *mem, size_t nmem, const int64_t *la, const int64_t *lb,
		 size_t nl, size_t start, int64_t skip, int *seen, int64_t *prev, int64_t *prev_link)
{
	size_t *queue = calloc(nmem + 1, sizeof(*queue)), qh = 0, qt = 0;

	if (!queue)
		return lsr_error_oom();
	memset(seen, 0, (nmem + 1) * sizeof(*seen));
	seen[start] = 1;
	queue[qt++] = start;
	while (qh < qt) {
		size_t x = queue[qh++];

		for (size_t k = 0; k < nl; k++) {
			int64_t other;

			if ((int64_t)k == skip)
				continue;
			if (la[k] == mem[x])
				other = lb[k];
			else if (lb[k] == mem[x])
				other = la[k];
			else
				continue;
			for (size_t y = 0; y < nmem; y++)
				if (mem[y] == other && !seen[y]) {
					seen[y] = 1;
					if (prev) {
						prev[y] = (int64_t)x;
						prev_link[y] = (int64_t)k;
					}
					queue[qt++] = y;
				}
		}
	}
	free(queue);
	return 0;
}

/*
 * 'different' on two records of one citation: cut the weakest automatic
 * link on the path from a to b (the links of a citation form a tree), and
 * split off the part holding b.
 */
static int separate(struct lsr_db *db, int64_t citation, int64_t a, int64_t b,
		    int64_t decision, const char *by, const char *now)
{
	int64_t *mem = NULL, *prev_link = NULL, *parts[2] = { NULL, NULL }, *newids = NULL;
	size_t nmem = 0, npart[2] = { 0, 0 }, nnew = 0;
	int64_t *la = NULL, *lb = NULL, *lid = NULL, *prev = NULL;
	double *lscore = NULL;
	int *lmanual = NULL, *seen = NULL;
	size_t nl = 0, alloc = 0;
	sqlite3_stmt *st;
	int rc, step;

	if ((rc = members_of(db, citation, &mem, &nmem)) < 0)
		goto out;
	st = db_prepare(db, "SELECT l.id, l.record_a, l.record_b, coalesce(l.score, 1e9), l.pass = 'manual'"
			    " FROM dedup_links l JOIN citation_members m ON m.record_id = l.record_a"
			    " JOIN citation_members n ON n.record_id = l.record_b"
			    " WHERE l.cut_by IS NULL AND m.citation_id = ?1 AND n.citation_id = ?1");
	if (!st) {
		rc = lsr_error_last_code();
		goto out;
	}
	sqlite3_bind_int64(st, 1, citation);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (nl == alloc) {
			size_t na = alloc ? alloc * 2 : 16;
			int64_t *na_ = realloc(la, na * sizeof(*la)), *nb_, *nid;
			double *nsc;
			int *nman;

			if (na_)
				la = na_;
			nb_ = realloc(lb, na * sizeof(*lb));
			if (nb_)
				lb = nb_;
			nid = realloc(lid, na * sizeof(*lid));
			if (nid)
				lid = nid;
			nsc = realloc(lscore, na * sizeof(*lscore));
			if (nsc)
				lscore = nsc;
			nman = realloc(lmanual, na * sizeof(*lmanual));
			if (nman)
				lmanual = nman;
			if (!na_ || !nb_ || !nid || !nsc || !nman) {
				sqlite3_reset(st);
				rc = lsr_error_oom();
				goto out;
			}
			alloc = na;
		}
		lid[nl] = sqlite3_column_int64(st, 0);
		la[nl] = sqlite3_column_int64(st, 1);
		lb[nl] = sqlite3_column_int64(st, 2);
		lscore[nl] = sqlite3_column_double(st, 3);
		lmanual[nl] = sqlite3_column_int(st, 4);
		nl++;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		rc = db_error(db, sqlite3_sql(st));
		goto out;
	}
	/* breadth-first from a over the links: prev record and link of each */
	prev = calloc(nmem + 1, sizeof(*prev));
	prev_link = calloc(nmem + 1, sizeof(*prev_link));
	seen = calloc(nmem + 1, sizeof(*seen));
	if (!prev || !prev_link || !seen) {
		rc = lsr_error_oom();
		goto out;
	}
	{
		size_t ia = nmem, ib = nmem;
		int64_t cut = -1;
		double cut_score = 0;
		int cut_manual = 1;

		for (size_t i = 0; i < nmem; i++) {
			if (mem[i] == a)
				ia = i;
			if (mem[i] == b)
				ib = i;
		}
		/* the caller found a and b (a != b) in this citation */
		assert(ia < nmem && ib < nmem && ia != ib);
		if ((rc = reach(mem, nmem, la, lb, nl, ia, -1, seen, prev, prev_link)) < 0)
			goto out;
		if (!seen[ib]) {
			rc = lsr_error_set(LSR_ERROR,
					   "records %lld and %lld share citation %lld but no link joins them; choose the parts with 'lsr dedup split %lld %lld'",
					   (long long)a, (long long)b, (long long)citation,
					   (long long)citation, (long long)b);
			goto out;
		}
		/* the weakest link on the path, automatic links before a person's */
		for (size_t y = ib; y != ia; y = (size_t)prev[y]) {
			size_t k = (size_t)prev_link[y];

			assert(k < nl); /* reach() walked link k to get to y */
			if (cut < 0 || (cut_manual && !lmanual[k]) ||
			    (cut_manual == lmanual[k] && lscore[k] < cut_score)) {
				cut = (int64_t)k;
				cut_score = lscore[k];
				cut_manual = lmanual[k];
			}
		}
		/* the two sides once that link is gone */
		if ((rc = reach(mem, nmem, la, lb, nl, ib, cut, seen, NULL, NULL)) < 0)
			goto out;
		parts[0] = calloc(nmem, sizeof(int64_t));
		parts[1] = calloc(nmem, sizeof(int64_t));
		if (!parts[0] || !parts[1]) {
			rc = lsr_error_oom();
			goto out;
		}
		for (size_t i = 0; i < nmem; i++) {
			int side = seen[i] ? 1 : 0;

			parts[side][npart[side]++] = mem[i];
		}
		st = db_prepare(db, "UPDATE dedup_links SET cut_by = ?1 WHERE id = ?2");
		if (!st) {
			rc = lsr_error_last_code();
			goto out;
		}
		sqlite3_bind_int64(st, 1, decision);
		sqlite3_bind_int64(st, 2, lid[cut]);
		if ((rc = db_step_done(db, st)) < 0)
			goto out;
	}
	rc = apply_split(db, citation, parts, npart, 2, decision, by, now, &newids, &nnew);
out:
	free(mem);
	free(prev);
	free(prev_link);
	free(seen);
	free(la);
	free(lb);
	free(lid);
	free(lscore);
	free(lmanual);
	free(parts[0]);
	free(parts[1]);
	free(newids);
	return rc;
}

int screen_dedup_decide(struct lsr_db *db, int64_t a, int64_t b, enum screen_verdict v,
			int64_t queue_id, const char *by, const char *reason,
			int64_t *out_decision)
{
	char now[CLOCK_ISO_LEN];
	int64_t ca = 0, cb = 0, decision = 0;
	int rc;

	if (a == b)
		return lsr_error_set(LSR_EUSAGE, "a pair needs two different records (got %lld twice)",
				     (long long)a);
	if (a > b) {
		int64_t t = a;

		a = b;
		b = t;
	}
	if (!by || !*by)
		return lsr_error_set(LSR_EUSAGE, "a decision needs the name of the person making it (--by NAME)");
	clock_now_iso(now);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if ((rc = citation_of(db, a, &ca)) < 0 || (rc = citation_of(db, b, &cb)) < 0)
		goto fail;
	if ((rc = insert_decision(db, v == SCREEN_SAME ? "same" : "different", a, b, 0, NULL,
				  queue_id, by, reason, now, &decision)) < 0)
		goto fail;
	if (v == SCREEN_SAME && ca != cb) {
		int64_t na = 0, nb = 0;

		if ((rc = count_members(db, ca, &na)) < 0 || (rc = count_members(db, cb, &nb)) < 0)
			goto fail;
		if (nb > na || (nb == na && cb < ca)) {
			if ((rc = merge_citations(db, cb, ca, b, a, decision, by, now)) < 0 ||
			    (rc = set_manual(db, a, cb, "decided-same", b, now)) < 0 ||
			    (rc = set_manual_if(db, b, cb, "decided-same", a, now, 1)) < 0)
				goto fail;
		} else {
			if ((rc = merge_citations(db, ca, cb, a, b, decision, by, now)) < 0 ||
			    (rc = set_manual(db, b, ca, "decided-same", a, now)) < 0 ||
			    (rc = set_manual_if(db, a, ca, "decided-same", b, now, 1)) < 0)
				goto fail;
		}
	} else if (v == SCREEN_DIFFERENT && ca == cb) {
		if ((rc = separate(db, ca, a, b, decision, by, now)) < 0)
			goto fail;
	}
	if ((rc = audit_decision(db, decision, v == SCREEN_SAME ? "dedup-same" : "dedup-different")) < 0)
		goto fail;
	if ((rc = db_txn_commit(db)) < 0)
		return rc;
	if (out_decision)
		*out_decision = decision;
	return 0;
fail:
	db_txn_rollback(db);
	return rc;
}

int screen_dedup_split(struct lsr_db *db, int64_t citation,
		       const int64_t *const *parts_in, const size_t *npart_in, size_t nparts_in,
		       const char *by, const char *reason, int64_t **out_ids, size_t *out_n)
{
	char now[CLOCK_ISO_LEN];
	int64_t *mem = NULL, **parts = NULL, *rest = NULL, decision = 0, retired_into = 0;
	size_t nmem = 0, *npart = NULL, nparts = nparts_in, nrest = 0;
	char *pj = NULL;
	int8_t *used = NULL;
	sqlite3_stmt *st;
	int rc;

	if (out_ids)
		*out_ids = NULL;
	if (out_n)
		*out_n = 0;
	if (!by || !*by)
		return lsr_error_set(LSR_EUSAGE, "a decision needs the name of the person making it (--by NAME)");
	if (!nparts_in)
		return lsr_error_set(LSR_EUSAGE, "split needs at least one part (record ids)");
	clock_now_iso(now);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	st = db_prepare(db, "SELECT retired_into FROM citations WHERE id = ?1");
	if (!st) {
		rc = lsr_error_last_code();
		goto fail;
	}
	sqlite3_bind_int64(st, 1, citation);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = lsr_error_set(LSR_ENOTFOUND, "no citation %lld", (long long)citation);
		goto fail;
	}
	retired_into = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (retired_into) {
		rc = lsr_error_set(LSR_ENOTFOUND, "citation %lld was merged into citation %lld",
				   (long long)citation, (long long)retired_into);
		goto fail;
	}
	if ((rc = members_of(db, citation, &mem, &nmem)) < 0)
		goto fail;
	used = calloc(nmem + 1, 1);
	parts = calloc(nparts_in + 1, sizeof(*parts));
	npart = calloc(nparts_in + 1, sizeof(*npart));
	if (!used || !parts || !npart) {
		rc = lsr_error_oom();
		goto fail;
	}
	for (size_t i = 0; i < nparts_in; i++) {
		if (!npart_in[i]) {
			rc = lsr_error_set(LSR_EUSAGE, "part %zu of the split is empty", i + 1);
			goto fail;
		}
		for (size_t k = 0; k < npart_in[i]; k++) {
			size_t j;

			for (j = 0; j < nmem && mem[j] != parts_in[i][k]; j++)
				;
			if (j == nmem) {
				rc = lsr_error_set(LSR_ENOTFOUND, "record %lld is not a member of citation %lld",
						   (long long)parts_in[i][k], (long long)citation);
				goto fail;
			}
			if (used[j]) {
				rc = lsr_error_set(LSR_EUSAGE, "record %lld is named twice in the split",
						   (long long)parts_in[i][k]);
				goto fail;
			}
			used[j] = 1;
		}
		parts[i] = (int64_t *)parts_in[i];
		npart[i] = npart_in[i];
	}
	for (size_t j = 0; j < nmem; j++)
		nrest += !used[j];
	if (nrest) {
		size_t o = 0;

		rest = calloc(nrest, sizeof(int64_t));
		if (!rest) {
			rc = lsr_error_oom();
			goto fail;
		}
		for (size_t j = 0; j < nmem; j++)
			if (!used[j])
				rest[o++] = mem[j];
		parts[nparts] = rest;
		npart[nparts++] = nrest;
	}
	if (nparts < 2) {
		rc = lsr_error_set(LSR_EUSAGE, "nothing to split: the part named is the whole of citation %lld",
				   (long long)citation);
		goto fail;
	}
	if (!(pj = parts_json(parts, npart, nparts))) {
		rc = LSR_ENOMEM;
		goto fail;
	}
	if ((rc = insert_decision(db, "split", 0, 0, citation, pj, 0, by, reason, now, &decision)) < 0)
		goto fail;
	if ((rc = apply_split(db, citation, parts, npart, nparts, decision, by, now, out_ids, out_n)) < 0)
		goto fail;
	if ((rc = audit_decision(db, decision, "dedup-split")) < 0)
		goto fail;
	if ((rc = db_txn_commit(db)) < 0)
		goto out;
	goto out;
fail:
	db_txn_rollback(db);
	if (out_ids) {
		free(*out_ids);
		*out_ids = NULL;
	}
out:
	free(rest);
	free(parts);
	free(npart);
	free(used);
	free(mem);
	free(pj);
	return rc;
}
