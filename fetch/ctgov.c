/*
 * ctgov.c - ClinicalTrials.gov API v2: /studies with pageToken paging.
 *
 * The first page is asked for with countTotal=true (its totalCount is the
 * count reported); each later page repeats every parameter and adds the
 * previous reply's nextPageToken; the last page has none.  Each page is one
 * batch, committed with the token of the next.  /version gives the API
 * version and the data timestamp for the search documentation.  Studies are
 * registry records: PRISMA counts them under "registers" (the source's kind
 * defaults to register for api ctgov).  --since/--until filter on
 * LastUpdatePostDate, so updated registrations (results posted, status
 * changed) come back too; deduplication links them to what was seen.
 */
#include "search_int.h"
#include "fetch_int.h"
#include "../util/err.h"

#include <jansson.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *jget(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	return b ? json_object_get(v, b) : v;
}

/* PHASE2 -> "Phase 2", EARLY_PHASE1 -> "Early Phase 1", INTERVENTIONAL ->
 * "Interventional", NON_RANDOMIZED -> "Non-Randomized" */
static int enum_words(struct buf *out, const char *s)
{
	int start = 1;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '_') {
			if (buf_addc(out, ' ') < 0)
				return LSR_ENOMEM;
			start = 1;
			continue;
		}
		if (isdigit(c) && out->len && isalpha((unsigned char)out->s[out->len - 1]) &&
		    buf_addc(out, ' ') < 0)
			return LSR_ENOMEM;
		if (buf_addc(out, (char)(start ? toupper(c) : tolower(c))) < 0)
			return LSR_ENOMEM;
		start = 0;
	}
	return 0;
}

static int push_enum(struct strv *sv, const char *s)
{
	struct buf b = BUF_INIT;
	int rc = enum_words(&b, s);

	if (rc == 0) {
		if (!strcmp(b.s, "Non Randomized"))
			buf_reset(&b), buf_adds(&b, "Non-Randomized");
		rc = strv_push_unique(sv, b.s);
	}
	buf_release(&b);
	return rc;
}

int ctgov_record(struct lsr_record *r, json_t *study)
{
	json_t *ps = json_object_get(study, "protocolSection");
	json_t *idm = json_object_get(ps, "identificationModule");
	json_t *stm = json_object_get(ps, "statusModule");
	json_t *dm = json_object_get(ps, "designModule");
	json_t *spm = json_object_get(ps, "sponsorCollaboratorsModule");
	json_t *v;
	const char *s, *brief, *official, *nct;
	size_t i;
	int rc = 0;

	record_reset(r);
	nct = jstr(idm, "nctId");
	if (nct && (buf_adds(&r->source_id, nct) < 0 || tagged_add_other_id(r, "nct", nct) < 0 ||
		    buf_printf(&r->url, "https://clinicaltrials.gov/study/%s", nct) < 0))
		return LSR_ENOMEM;
	if (buf_adds(&r->ref_type, "Trial registration") < 0)
		return LSR_ENOMEM;
	brief = jstr(idm, "briefTitle");
	official = jstr(idm, "officialTitle");
	if (brief || official)
		rc = buf_adds(&r->title, brief ? brief : official);
	/* the abstract: the official title when it differs, then the summary */
	if (rc == 0 && brief && official && strcmp(brief, official))
		rc = buf_printf(&r->abstract, "OFFICIAL TITLE: %s", official);
	if (rc == 0 && (s = jstr(jget(ps, "descriptionModule", NULL), "briefSummary")))
		rc = buf_printf(&r->abstract, "%s%s%s", r->abstract.len ? "\n" : "",
				r->abstract.len ? "SUMMARY: " : "", s);
	/* sponsors as collective authors */
	if (rc == 0 && (s = jstr(jget(spm, "leadSponsor", NULL), "name")))
		rc = strv_push_unique(&r->authors, s);
	json_array_foreach(json_object_get(spm, "collaborators"), i, v)
		if (rc == 0 && (s = jstr(v, "name")))
			rc = strv_push_unique(&r->authors, s);
	if (rc == 0 && (s = jstr(jget(stm, "startDateStruct", NULL), "date")))
		rc = tagged_set_date(r, s);
	/* study type, phases and allocation as publication types */
	if (rc == 0 && (s = jstr(dm, "studyType")))
		rc = push_enum(&r->publication_types, s);
	json_array_foreach(json_object_get(dm, "phases"), i, v)
		if (rc == 0 && json_is_string(v) && strcmp(json_string_value(v), "NA"))
			rc = push_enum(&r->publication_types, json_string_value(v));
	if (rc == 0 && (s = jstr(jget(dm, "designInfo", NULL), "allocation")) && strcmp(s, "NA"))
		rc = push_enum(&r->publication_types, s);
	/* conditions, keywords and interventions as keywords */
	json_array_foreach(jget(ps, "conditionsModule", "conditions"), i, v)
		if (rc == 0 && json_is_string(v))
			rc = strv_push_unique(&r->keywords, json_string_value(v));
	json_array_foreach(jget(ps, "conditionsModule", "keywords"), i, v)
		if (rc == 0 && json_is_string(v))
			rc = strv_push_unique(&r->keywords, json_string_value(v));
	json_array_foreach(jget(ps, "armsInterventionsModule", "interventions"), i, v)
		if (rc == 0 && (s = jstr(v, "name")))
			rc = strv_push_unique(&r->keywords, s);
	/* MeSH terms the registry derived */
	json_array_foreach(jget(jget(study, "derivedSection", "conditionBrowseModule"), "meshes", NULL), i, v)
		if (rc == 0 && (s = jstr(v, "term")))
			rc = strv_push_unique(&r->mesh, s);
	json_array_foreach(jget(jget(study, "derivedSection", "interventionBrowseModule"), "meshes", NULL), i, v)
		if (rc == 0 && (s = jstr(v, "term")))
			rc = strv_push_unique(&r->mesh, s);
	/* EudraCT numbers help to link registrations */
	json_array_foreach(jget(idm, "secondaryIdInfos", NULL), i, v)
		if (rc == 0 && (s = jstr(v, "type")) && !strcmp(s, "EUDRACT_NUMBER") && jstr(v, "id"))
			rc = tagged_add_other_id(r, "eudract", jstr(v, "id"));
	/* publications of results */
	json_array_foreach(jget(ps, "referencesModule", "references"), i, v) {
		struct buf rel = BUF_INIT;

		if (rc == 0 && (s = jstr(v, "type")) && !strcmp(s, "RESULT") && jstr(v, "pmid")) {
			rc = buf_printf(&rel, "ResultsIn %s", jstr(v, "pmid"));
			if (rc == 0)
				rc = strv_push_unique(&r->relations, rel.s);
		}
		buf_release(&rel);
	}
	return rc < 0 ? LSR_ENOMEM : 0;
}

static int version(struct search_ctx *sc)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	json_t *doc = NULL;
	int rc;

	if ((rc = search_request(sc, "/version", NULL, 0, search_check_json, NULL, &r)) < 0)
		goto out;
	doc = json_loadb(r.body.s, r.body.len, 0, NULL);
	rc = search_set_service(sc, jstr(doc, "apiVersion"), jstr(doc, "dataTimestamp"));
out:
	json_decref(doc);
	http_response_release(&r);
	return rc;
}

static int build_filter(struct search_ctx *sc, struct buf *f)
{
	if (!sc->since[0] && !sc->until[0])
		return 0;
	return buf_printf(f, "AREA[LastUpdatePostDate]RANGE[%s,%s]",
			  sc->since[0] ? sc->since : "MIN", sc->until[0] ? sc->until : "MAX");
}

static int page(struct search_ctx *sc, void *arg, int *more)
{
	const char *filter = arg;
	static const char *const path[] = { "studies", NULL };
	struct http_form f = HTTP_FORM_INIT;
	struct http_response r = HTTP_RESPONSE_INIT;
	char what[48];
	size_t nitems = 0;
	json_t *doc = NULL, *total;
	const char *next;
	int rc;

	*more = 0;
	if (http_form_add(&f, "format", "json") < 0 || http_form_add(&f, "query.term", sc->query) < 0 ||
	    (filter[0] && http_form_add(&f, "filter.advanced", filter) < 0) ||
	    http_form_add(&f, "countTotal", "true") < 0 ||
	    http_form_addf(&f, "pageSize", "%u", sc->batch_size) < 0 ||
	    (sc->cursor && http_form_add(&f, "pageToken", sc->cursor) < 0)) {
		rc = LSR_ENOMEM;
		goto out;
	}
	if ((rc = search_request(sc, "/studies", &f, 0, search_check_json, NULL, &r)) < 0)
		goto out;
	if (!(doc = json_loadb(r.body.s, r.body.len, 0, NULL))) {
		rc = lsr_error_set(LSR_EPARSE, "ClinicalTrials.gov: reply is not JSON");
		goto out;
	}
	total = json_object_get(doc, "totalCount");
	if (json_is_integer(total) && (rc = search_set_reported(sc, json_integer_value(total))) < 0)
		goto out;
	if (!sc->cursor && !json_is_integer(total) &&
	    (rc = search_note(sc, "ClinicalTrials.gov sent no totalCount")) < 0)
		goto out;
	next = jstr(doc, "nextPageToken");
	snprintf(what, sizeof(what), "page %llu", (unsigned long long)sc->pages + 1);
	if ((rc = search_batch_json(sc, &r.body, path, ctgov_record, what, &nitems)) < 0)
		goto out;
	rc = search_page_commit(sc, sc->cursor, next, nitems, more);
out:
	json_decref(doc);
	http_response_release(&r);
	http_form_release(&f);
	return rc;
}

int ctgov_run(struct search_ctx *sc)
{
	struct buf filter = BUF_INIT, sent = BUF_INIT;
	int rc;

	if (build_filter(sc, &filter) < 0 ||
	    buf_printf(&sent, "query.term=%s%s%s", sc->query, filter.len ? " filter.advanced=" : "",
		       filter.s) < 0) {
		rc = LSR_ENOMEM;
		goto out;
	}
	if ((!sc->have_version && (rc = version(sc)) < 0) ||
	    (rc = search_set_query(sc, sent.s, NULL)) < 0)
		goto out;
	rc = search_page_loop(sc, page, filter.s);
out:
	buf_release(&filter);
	buf_release(&sent);
	return rc;
}
