/*
 * api.c - the JSON API of 'lsr serve' (docs/cmd/lsr-serve.md), called by
 * http.c for an authenticated request (a POST also passed its CSRF check).
 *
 * Blindness: a reviewer's requests reach only screen/serve_query.h, whose
 * functions return no decision, note or conflict of anyone; the arbiter's
 * two endpoints (conflicts, resolve) are refused to every other role.
 */
#include "serve_int.h"
#include "../screen/screen.h"
#include "../screen/serve_query.h"
#include "../report/prisma.h"
#include "../util/err.h"

#include <stdlib.h>

#include <jansson.h>
#include <string.h>

static int answer(int *status, json_t **body, int code, json_t *v)
{
	*status = code;
	*body = v;
	return 0;
}

/* An error answer with lsr's message (which never holds a secret). */
static int fail(int *status, json_t **body, int code, const char *msg)
{
	return answer(status, body, code, json_pack("{s:s}", "error", msg));
}

/* The HTTP status an LSR_E* code of a refused request gets. */
static int status_of(int rc)
{
	switch (rc) {
	case LSR_ENOTFOUND: return 404;
	case LSR_EUSAGE: return 422;
	case LSR_EPARSE: return 400;
	case LSR_ESCHEMA: return 503;
	default: return 500;
	}
}

static int from_error(int *status, json_t **body, int rc)
{
	return fail(status, body, status_of(rc), lsr_error_last());
}

static const char *stage_or_default(const char *s)
{
	return s && *s ? s : SCREEN_STAGE_TA;
}

static int is_stage(const char *s)
{
	return !strcmp(s, SCREEN_STAGE_TA) || !strcmp(s, SCREEN_STAGE_FT);
}

static json_t *reasons_json(const struct protocol *p)
{
	json_t *a = json_array();

	for (size_t i = 0; i < p->nreasons; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s?}", "code", p->reasons[i].code,
						   "label", p->reasons[i].label
						   ? p->reasons[i].label : p->reasons[i].code,
						   "stage", p->reasons[i].stage));
	return a;
}

static int api_me(struct serve_state *s, const struct serve_request *r, int *status,
		  json_t **body)
{
	const char *stage = stage_or_default(r->stage);
	int64_t assigned = 0, done = 0, available = 0, ranking = 0;
	int retraining = 0, prio, rc;
	const char *rank_error = NULL;
	json_t *hl, *o;

	if (!is_stage(stage))
		return fail(status, body, 400, "stage: expected title-abstract or full-text");
	if ((rc = screen_serve_progress(s->db, s->handout, stage, r->acct->name, &assigned,
					&done)) < 0 ||
	    (rc = screen_serve_available(s->db, s->p, s->handout, stage, r->acct->name,
					 &available)) < 0 ||
	    (rc = prio = screen_handout_ranking(s->db, s->p, s->handout, r->acct->name,
						&ranking, &retraining, &rank_error)) < 0 ||
	    (rc = serve_highlights_json(s->db, r->acct->id, &hl)) < 0)
		return from_error(status, body, rc);
	o = json_pack("{s:s,s:s,s:s,s:s,s:{s:I,s:I,s:I},s:o,s:b,s:o}", "name",
		      r->acct->name, "role", r->acct->role, "csrf", r->csrf, "stage", stage,
		      "progress", "done", (json_int_t)done, "assigned",
		      (json_int_t)assigned, "remaining", (json_int_t)assigned - done + available,
		      "reasons", reasons_json(s->p), "reason_required",
		      screen_serve_reason_required(s->p, stage), "highlights", hl);
	/* priority order: the account's own ranking (trained on its own
	 * decisions and resolutions only) and whether a new one is coming */
	if (o && prio) {
		json_t *rk = json_pack("{s:o,s:b}", "id", ranking ? json_integer(ranking) : json_null(),
				       "retraining", retraining);

		/* the last ranking made failed: why (the one in use goes on) */
		if (rk && rank_error)
			json_object_set_new(rk, "error", json_string(rank_error));
		json_object_set_new(o, "ranking", rk);
	}
	return answer(status, body, 200, o);
}

/* The answer of /api/next and /api/history for citation id at stage: the
 * citation, the account's own note and tags, at full text the link to its
 * registered file or null (no key at title-abstract); plus `decision`
 * (the account's own, or NULL: not added) when given. */
static int citation_answer(struct serve_state *s, const struct serve_request *r,
			   const char *stage, int64_t id, json_t *decision, int *status,
			   json_t **body)
{
	json_t *c = NULL, *mine = NULL, *o;
	char *file = NULL, link[64] = "";
	int rc;

	if ((rc = screen_serve_citation_json(s->db, id, &c)) < 0 ||
	    (rc = serve_note_json(s->db, r->acct->id, id, &mine)) < 0 ||
	    (!strcmp(stage, SCREEN_STAGE_FT) && (rc = screen_serve_fulltext_file(s->db, id, &file)) < 0)) {
		json_decref(c);
		json_decref(mine);
		json_decref(decision);
		return from_error(status, body, rc);
	}
	/* a link, never the path: the server looks the file up again by id */
	if (file)
		snprintf(link, sizeof(link), "/api/fulltext?citation=%lld", (long long)id);
	free(file);
	o = json_pack("{s:o,s:s,s:o}", "citation", c, "stage", stage, "mine", mine);
	/* the full text belongs to its stage: no key at title-abstract */
	if (o && !strcmp(stage, SCREEN_STAGE_FT))
		json_object_set_new(o, "fulltext", *link ? json_string(link) : json_null());
	if (decision)
		json_object_set_new(o, "decision", decision);
	return answer(status, body, 200, o);
}

static int api_next(struct serve_state *s, const struct serve_request *r, int *status,
		    json_t **body)
{
	const char *stage = stage_or_default(r->stage);
	int64_t id = 0;
	int rc;

	if (!is_stage(stage))
		return fail(status, body, 400, "stage: expected title-abstract or full-text");
	if ((rc = serve_reopened_next(s->db, r->acct->id, stage, &id)) < 0)
		return from_error(status, body, rc);
	if (!id && (rc = screen_serve_next(s->db, s->p, s->handout, stage, r->acct->name, &id)) < 0)
		return from_error(status, body, rc);
	if (!id)
		return answer(status, body, 200, json_pack("{s:n,s:s}", "citation", "stage", stage));
	return citation_answer(s, r, stage, id, NULL, status, body);
}

/* A positive id query argument, 0 when absent, -1 when malformed. */
static int64_t id_arg(const char *v)
{
	char *end;
	long long n;

	if (!v || !*v)
		return 0;
	n = strtoll(v, &end, 10);
	return *end || n <= 0 ? -1 : (int64_t)n;
}

/*
 * GET /api/history?stage=S[&before=ID|&after=ID|&citation=ID]: the
 * account's own previously decided citation at S (the newest; the one
 * decided before or after citation ID; citation ID itself), as /api/next answers, plus `decision` (verdict,
 * reason, note, decision id: this reviewer's own current one).  citation
 * null: nothing further that way.
 */
static int api_history(struct serve_state *s, const struct serve_request *r, int *status,
		       json_t **body)
{
	const char *stage = stage_or_default(r->stage);
	int64_t before = id_arg(r->before), after = id_arg(r->after), at = id_arg(r->citation);
	int64_t id;
	json_t *d = NULL;
	int rc;

	if (!is_stage(stage))
		return fail(status, body, 400, "stage: expected title-abstract or full-text");
	if (before < 0 || after < 0 || at < 0 || (!!before + !!after + !!at) > 1)
		return fail(status, body, 400, "history: expected one of ?before=ID, ?after=ID, ?citation=ID");
	rc = screen_serve_history(s->db, stage, r->acct->name, before + after + at,
				  after ? 1 : at ? 0 : -1, &d);
	if (rc < 0)
		return from_error(status, body, rc);
	if (!d)
		return answer(status, body, 200, json_pack("{s:n,s:s}", "citation", "stage", stage));
	id = json_integer_value(json_object_get(d, "citation"));
	json_object_del(d, "citation");
	return citation_answer(s, r, stage, id, d, status, body);
}

/* The request body as a JSON object, or an error answer. */
static json_t *body_object(const struct serve_request *r, int *status, json_t **body)
{
	json_error_t e;
	json_t *o = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e);

	if (!o || !json_is_object(o)) {
		json_decref(o);
		fail(status, body, 400, "the request body must be one JSON object");
		return NULL;
	}
	return o;
}

static const char *str_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int api_decision(struct serve_state *s, const struct serve_request *r, int *status,
			json_t **body)
{
	json_t *o = body_object(r, status, body), *cid;
	const char *stage;
	int64_t id = 0;
	int first = 0, ta, rc;

	if (!o)
		return 0;
	cid = json_object_get(o, "citation");
	stage = stage_or_default(str_field(o, "stage"));
	if (!json_is_integer(cid) || json_integer_value(cid) <= 0) {
		json_decref(o);
		return fail(status, body, 400, "citation: expected a citation id");
	}
	if ((rc = db_txn_begin(s->db)) < 0) {
		json_decref(o);
		return from_error(status, body, rc);
	}
	rc = screen_serve_decide(s->db, s->p, json_integer_value(cid), stage, r->acct->name,
				 str_field(o, "verdict"), str_field(o, "reason"),
				 str_field(o, "note"), &id, &first);
	if (rc == 0 && is_stage(stage))
		rc = serve_reopened_clear(s->db, r->acct->id, stage, json_integer_value(cid));
	ta = !strcmp(stage, SCREEN_STAGE_TA);
	if (rc == 0)
		rc = db_txn_commit(s->db);
	else
		db_txn_rollback(s->db);
	json_decref(o);
	if (rc < 0)
		return from_error(status, body, rc);
	screen_handout_stale(s->handout, ta ? SCREEN_STAGE_TA : SCREEN_STAGE_FT);
	screen_handout_decided(s->handout, ta ? SCREEN_STAGE_TA : SCREEN_STAGE_FT, r->acct->name,
			       first);
	/* committed: only now is the decision acknowledged */
	return answer(status, body, 200, json_pack("{s:b,s:I}", "ok", 1, "decision", (json_int_t)id));
}

static int api_undo(struct serve_state *s, const struct serve_request *r, int *status,
		    json_t **body)
{
	int64_t before = 0, id, citation = 0;
	const char *stage = NULL;
	int reopened = 1, rc;

	/* the newest of my server decisions not yet taken back */
	while (reopened) {
		if ((rc = screen_serve_last_decision(s->db, r->acct->name, before, &id, &citation,
						     &stage)) < 0)
			return from_error(status, body, rc);
		if (!id)
			return fail(status, body, 409, "nothing to undo");
		if ((rc = serve_reopened_has(s->db, r->acct->id, id, &reopened)) < 0)
			return from_error(status, body, rc);
		before = id;
	}
	if ((rc = serve_reopened_add(s->db, r->acct->id, stage, citation, id)) < 0)
		return from_error(status, body, rc);
	return answer(status, body, 200, json_pack("{s:b,s:I,s:s}", "ok", 1, "citation",
						   (json_int_t)citation, "stage", stage));
}

static int api_conflicts(struct serve_state *s, const struct serve_request *r, int *status,
			 json_t **body)
{
	json_t *a;
	int rc;

	json_t *o, *notes;
	size_t i;

	if ((rc = screen_conflicts_json(s->db, &a)) < 0)
		return from_error(status, body, rc);
	/* the reviewers' private notes and tags, now that there is a conflict */
	json_array_foreach(a, i, o) {
		if ((rc = serve_notes_of_others_json(s->db, r->acct->id,
						     json_integer_value(json_object_get(o, "id")),
						     &notes)) < 0) {
			json_decref(a);
			return from_error(status, body, rc);
		}
		json_object_set_new(o, "reviewer_notes", notes);
	}
	return answer(status, body, 200, json_pack("{s:o}", "conflicts", a));
}

static int api_resolve(struct serve_state *s, const struct serve_request *r, int *status,
		       json_t **body)
{
	json_t *o = body_object(r, status, body), *cid;
	const char *used = NULL;
	int rc;

	if (!o)
		return 0;
	cid = json_object_get(o, "citation");
	if (!json_is_integer(cid) || json_integer_value(cid) <= 0) {
		json_decref(o);
		return fail(status, body, 400, "citation: expected a citation id");
	}
	rc = screen_resolve(s->db, s->p, json_integer_value(cid), str_field(o, "stage"),
			    str_field(o, "verdict"), str_field(o, "reason"), str_field(o, "note"),
			    r->acct->name, &used);
	json_decref(o);
	if (rc < 0)
		return from_error(status, body, rc);
	screen_handout_stale(s->handout, used);
	/* a resolution is a training label of every reviewer's ranking */
	screen_handout_decided(s->handout, used, NULL, 0);
	return answer(status, body, 200, json_pack("{s:b,s:s}", "ok", 1, "stage", used));
}

/* ?citation=ID as a positive id, or 0. */
static int64_t citation_arg(const struct serve_request *r)
{
	int64_t v = id_arg(r->citation);

	return v < 0 ? 0 : v;
}

static int api_note(struct serve_state *s, const struct serve_request *r, int *status,
		    json_t **body)
{
	json_t *o = body_object(r, status, body), *cid, *mine;
	const char *note;
	int ok = 0, rc;

	if (!o)
		return 0;
	cid = json_object_get(o, "citation");
	note = str_field(o, "note");
	if (!json_is_integer(cid) || json_integer_value(cid) <= 0) {
		json_decref(o);
		return fail(status, body, 400, "citation: expected a citation id");
	}
	/* a reviewer writes on what they were handed; the arbiter on anything */
	rc = screen_serve_assigned(s->db, json_integer_value(cid), NULL, r->acct->name, &ok);
	if (rc == 0 && !ok && strcmp(r->acct->role, "arbiter")) {
		json_decref(o);
		return fail(status, body, 422, "this citation was not handed to you");
	}
	if (rc == 0 && !json_object_get(o, "tags"))
		json_object_set_new(o, "tags", json_array());   /* no tags given: none */
	if (rc == 0)
		rc = serve_note_set(s->db, r->acct->id, json_integer_value(cid), note ? note : "",
				    json_object_get(o, "tags"));
	if (rc == 0)
		rc = serve_note_json(s->db, r->acct->id, json_integer_value(cid), &mine);
	json_decref(o);
	if (rc < 0)
		return from_error(status, body, rc);
	return answer(status, body, 200, json_pack("{s:b,s:o}", "ok", 1, "mine", mine));
}

static int api_citation(struct serve_state *s, const struct serve_request *r, int *status,
			json_t **body)
{
	int64_t id = citation_arg(r);
	json_t *c;
	int rc;

	if (!id)
		return fail(status, body, 400, "citation: expected ?citation=ID");
	if ((rc = screen_serve_citation_json(s->db, id, &c)) < 0)
		return from_error(status, body, rc);
	return answer(status, body, 200, json_pack("{s:o}", "citation", c));
}

/* The arbiter's dashboard: everyone's progress and agreement per stage
 * (lsr screen status --json), the PRISMA boxes so far (lsr prisma --json). */
static int api_dashboard(struct serve_state *s, const struct serve_request *r, int *status,
			 json_t **body)
{
	json_t *st = NULL, *pj;
	struct prisma x;
	int rc;

	(void)r;
	if ((rc = screen_status_json(s->db, &st)) < 0)
		return from_error(status, body, rc);
	rc = prisma_compute(&x, s->db, s->p, PRISMA_CUMULATIVE);
	/* before deduplication there are no boxes yet: the rest still shows */
	pj = rc < 0 ? json_pack("{s:s}", "error", lsr_error_last()) : prisma_json(&x);
	if (rc == 0)
		prisma_release(&x);
	return answer(status, body, 200, json_pack("{s:o,s:o}", "status", st, "prisma",
						   pj ? pj : json_null()));
}

int serve_fulltext(struct serve_state *s, const struct serve_request *r, char **path,
		   int *status, json_t **body)
{
	int64_t id = citation_arg(r);
	int ok = 0, rc;

	*path = NULL;
	*body = NULL;
	if (!id)
		return fail(status, body, 400, "citation: expected ?citation=ID");
	if (strcmp(r->acct->role, "arbiter") &&
	    (rc = screen_serve_assigned(s->db, id, SCREEN_STAGE_FT, r->acct->name, &ok)) < 0)
		return from_error(status, body, rc);
	if (strcmp(r->acct->role, "arbiter") && !ok)
		return fail(status, body, 404, "no full text of yours for this citation");
	if ((rc = screen_serve_fulltext_file(s->db, id, path)) < 0)
		return from_error(status, body, rc);
	if (!*path)
		return fail(status, body, 404, "no full-text file registered for this citation");
	return 0;
}

static int api_highlight(struct serve_state *s, const struct serve_request *r, int *status,
			 json_t **body)
{
	json_t *o = body_object(r, status, body), *hl;
	int rc;

	if (!o)
		return 0;
	rc = serve_highlight_set(s->db, r->acct->id, str_field(o, "kind"), str_field(o, "word"),
				 json_is_true(json_object_get(o, "remove")));
	json_decref(o);
	if (rc < 0 || (rc = serve_highlights_json(s->db, r->acct->id, &hl)) < 0)
		return from_error(status, body, rc);
	return answer(status, body, 200, hl);
}

struct route {
	const char *method;
	const char *path;
	int arbiter;   /* 1: the arbiter's only */
	int (*fn)(struct serve_state *s, const struct serve_request *r, int *status,
		  json_t **body);
};

static const struct route routes[] = {
	{ "GET", "/api/me", 0, api_me },
	{ "GET", "/api/next", 0, api_next },
	{ "GET", "/api/history", 0, api_history },
	{ "POST", "/api/decision", 0, api_decision },
	{ "POST", "/api/undo", 0, api_undo },
	{ "POST", "/api/highlight", 0, api_highlight },
	{ "POST", "/api/note", 0, api_note },
	{ "GET", "/api/citation", 1, api_citation },
	{ "GET", "/api/dashboard", 1, api_dashboard },
	{ "GET", "/api/conflicts", 1, api_conflicts },
	{ "POST", "/api/resolve", 1, api_resolve },
};

int serve_api(struct serve_state *s, const struct serve_request *r, int *status, json_t **body)
{
	int path_known = 0;

	*body = NULL;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(r->path, routes[i].path))
			continue;
		path_known = 1;
		if (strcmp(r->method, routes[i].method))
			continue;
		if (routes[i].arbiter && strcmp(r->acct->role, "arbiter"))
			return fail(status, body, 403, "only an arbiter may do this");
		lsr_error_clear();
		return routes[i].fn(s, r, status, body);
	}
	return path_known ? fail(status, body, 405, "method not allowed")
			  : fail(status, body, 404, "no such endpoint");
}
