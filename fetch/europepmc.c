/*
 * europepmc.c - Europe PMC's REST search (resultType=core, JSON).
 *
 * Pages follow cursorMark: "*" first, then each reply's nextCursorMark.
 * The results are finished when a reply has no nextCursorMark, repeats the
 * cursor it was asked for, or brings no results.  Each page is one batch;
 * the cursor of the next page is committed with it, so a resumed run asks
 * for exactly the page after the last one stored.  Records are keyed
 * "SOURCE:ID" (MED:39709209, PMC:PMC123, PPR:PPR456), unique per run.
 * --since/--until filter on FIRST_IDATE, the date Europe PMC first indexed
 * a record, which is what "new since the last run" means.
 */
#include "search_int.h"
#include "fetch_int.h"
#include "../util/err.h"

#include <jansson.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define QUERY_POST_LEN 1000 /* longer queries go to searchPOST */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A string or a number as text (Europe PMC is not consistent). */
static int jtext(struct buf *b, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_string(v))
		return buf_adds(b, json_string_value(v));
	if (json_is_integer(v))
		return buf_printf(b, "%lld", (long long)json_integer_value(v));
	return 0;
}

static json_t *jpath(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	return b ? json_object_get(v, b) : v;
}

/*
 * Europe PMC abstracts carry HTML: "<h4>Background</h4>text<h4>Methods</h4>
 * ..." becomes "BACKGROUND: text" lines (the record model's form); other
 * tags are dropped, and the few entities are decoded.
 */
static int abstract_from_html(struct buf *out, const char *s)
{
	int in_heading = 0;

	while (*s) {
		/* a tag: "<" then a letter or "/" and a letter; "p < .001" is text */
		if (*s == '<' && (isalpha((unsigned char)s[1]) ||
				  (s[1] == '/' && isalpha((unsigned char)s[2]))) &&
		    strchr(s, '>') && strcspn(s + 1, "<>") == (size_t)(strchr(s, '>') - s - 1)) {
			const char *end = strchr(s, '>');
			int closing;
			const char *name;

			closing = s[1] == '/';
			name = s + 1 + closing;
			if ((name[0] == 'h' || name[0] == 'H') && isdigit((unsigned char)name[1])) {
				if (!closing) {
					if (out->len && buf_addc(out, '\n') < 0)
						return LSR_ENOMEM;
					in_heading = 1;
				} else {
					if (buf_adds(out, ": ") < 0)
						return LSR_ENOMEM;
					in_heading = 0;
				}
			} else if (!strncasecmp(name, "p", 1) && (name[1] == '>' || name[1] == ' ') &&
				   !closing && out->len && buf_addc(out, ' ') < 0) {
				return LSR_ENOMEM;
			}
			s = end + 1;
			continue;
		}
		if (*s == '&') {
			static const struct { const char *e; char c; } ents[] = {
				{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' },
				{ "&#39;", '\'' }, { "&apos;", '\'' },
			};
			size_t k;

			for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++)
				if (!strncmp(s, ents[k].e, strlen(ents[k].e)))
					break;
			if (k < sizeof(ents) / sizeof(ents[0])) {
				if (buf_addc(out, ents[k].c) < 0)
					return LSR_ENOMEM;
				s += strlen(ents[k].e);
				continue;
			}
		}
		if (buf_addc(out, (char)(in_heading ? toupper((unsigned char)*s) : *s)) < 0)
			return LSR_ENOMEM;
		s++;
	}
	return 0;
}

/* "Erratum for" -> "ErratumFor" (the relation vocabulary of PubMed XML) */
static int relation_name(struct buf *out, const char *type)
{
	int up = 1;

	for (; *type; type++) {
		if (*type == ' ') {
			up = 1;
			continue;
		}
		if (buf_addc(out, (char)(up ? toupper((unsigned char)*type) : *type)) < 0)
			return LSR_ENOMEM;
		up = 0;
	}
	return 0;
}

int europepmc_record(struct lsr_record *r, json_t *it)
{
	json_t *ji = json_object_get(it, "journalInfo"), *j, *v;
	const char *s;
	size_t i;
	int rc = 0;

	record_reset(r);
	if ((s = jstr(it, "source")) && jstr(it, "id") &&
	    buf_printf(&r->source_id, "%s:%s", s, jstr(it, "id")) < 0)
		return LSR_ENOMEM;
	j = jpath(it, "pubTypeList", "pubType");
	if (json_is_array(j) && json_is_string(json_array_get(j, 0)))
		rc = buf_adds(&r->ref_type, json_string_value(json_array_get(j, 0)));
	if (rc == 0 && (s = jstr(it, "title")))
		rc = buf_adds(&r->title, s);
	if (rc == 0 && (s = jstr(it, "abstractText")))
		rc = abstract_from_html(&r->abstract, s);
	json_array_foreach(jpath(it, "authorList", "author"), i, v) {
		const char *last = jstr(v, "lastName"), *first = jstr(v, "firstName");
		struct buf a = BUF_INIT;

		if (rc < 0)
			break;
		if ((s = jstr(v, "collectiveName")))
			rc = buf_adds(&a, s);
		else if (last && first)
			rc = buf_printf(&a, "%s, %s", last, first);
		else if (last && jstr(v, "initials"))
			rc = buf_printf(&a, "%s, %s", last, jstr(v, "initials"));
		else if (last || (s = jstr(v, "fullName")))
			rc = buf_adds(&a, last ? last : s);
		if (rc == 0 && a.len)
			rc = strv_push(&r->authors, a.s);
		buf_release(&a);
	}
	if (rc < 0)
		return LSR_ENOMEM;
	/* the issue's date ("2025 Dec"), else the year */
	if ((s = jstr(ji, "dateOfPublication")))
		rc = tagged_set_date(r, s);
	if (rc == 0 && !r->year && (s = jstr(it, "pubYear")))
		rc = tagged_set_date(r, s);
	if (rc == 0 && (j = jpath(ji, "journal", NULL))) {
		if ((s = jstr(j, "title")))
			rc = buf_adds(&r->journal, s);
		if (rc == 0 && ((s = jstr(j, "isoabbreviation")) || (s = jstr(j, "medlineAbbreviation"))))
			rc = buf_adds(&r->journal_abbrev, s);
		if (rc == 0 && ((s = jstr(j, "issn")) || (s = jstr(j, "essn"))))
			rc = buf_adds(&r->issn, s);
	}
	if (rc == 0)
		rc = jtext(&r->volume, ji, "volume");
	if (rc == 0)
		rc = jtext(&r->issue, ji, "issue");
	if (rc == 0 && (s = jstr(it, "pageInfo")))
		rc = buf_adds(&r->pages, s);
	if (rc == 0 && (s = jstr(it, "doi")))
		rc = buf_adds(&r->doi, s);
	if (rc == 0)
		rc = jtext(&r->pmid, it, "pmid");
	if (rc == 0 && (s = jstr(it, "pmcid")))
		rc = buf_adds(&r->pmcid, s);
	if (rc == 0 && (s = jstr(it, "language")))
		rc = strv_push(&r->languages, s);
	json_array_foreach(jpath(it, "pubTypeList", "pubType"), i, v)
		if (rc == 0 && json_is_string(v))
			rc = strv_push_unique(&r->publication_types, json_string_value(v));
	json_array_foreach(jpath(it, "meshHeadingList", "meshHeading"), i, v)
		if (rc == 0 && (s = jstr(v, "descriptorName")))
			rc = strv_push(&r->mesh, s);
	json_array_foreach(jpath(it, "keywordList", "keyword"), i, v)
		if (rc == 0 && json_is_string(v))
			rc = strv_push(&r->keywords, json_string_value(v));
	json_array_foreach(jpath(it, "commentCorrectionList", "commentCorrection"), i, v) {
		struct buf rel = BUF_INIT;

		if (rc == 0 && (s = jstr(v, "type")) && jstr(v, "id")) {
			rc = relation_name(&rel, s);
			if (rc == 0)
				rc = buf_printf(&rel, " %s", jstr(v, "id"));
			if (rc == 0)
				rc = strv_push(&r->relations, rel.s);
		}
		buf_release(&rel);
	}
	if (rc == 0 && jstr(it, "source") && jstr(it, "id"))
		rc = buf_printf(&r->url, "https://europepmc.org/article/%s/%s", jstr(it, "source"),
				jstr(it, "id"));
	return rc < 0 ? LSR_ENOMEM : 0;
}

static int build_query(struct search_ctx *sc, struct buf *q)
{
	if (!sc->since[0] && !sc->until[0])
		return buf_adds(q, sc->query);
	return buf_printf(q, "(%s) AND FIRST_IDATE:[%s TO %s]", sc->query,
			  sc->since[0] ? sc->since : "1800-01-01",
			  sc->until[0] ? sc->until : "3000-12-31");
}

/* One page: request, store, and tell whether another follows. */
static int page(struct search_ctx *sc, void *arg, int *more)
{
	const char *query = arg;
	static const char *const path[] = { "resultList", "result", NULL };
	const char *cursor = sc->cursor ? sc->cursor : "*";
	struct http_form f = HTTP_FORM_INIT;
	struct http_response r = HTTP_RESPONSE_INIT;
	char what[96];
	size_t nitems = 0;
	json_t *doc = NULL;
	const char *next;
	int rc, post = strlen(query) > QUERY_POST_LEN;

	*more = 0;
	if (http_form_add(&f, "query", query) < 0 || http_form_add(&f, "resultType", "core") < 0 ||
	    http_form_add(&f, "format", "json") < 0 ||
	    http_form_addf(&f, "pageSize", "%u", sc->batch_size) < 0 ||
	    http_form_add(&f, "cursorMark", cursor) < 0 ||
	    (sc->email && http_form_add(&f, "email", sc->email) < 0)) {
		rc = LSR_ENOMEM;
		goto out;
	}
	if ((rc = search_request(sc, post ? "/searchPOST" : "/search", &f, post, search_check_json,
				 NULL, &r)) < 0)
		goto out;
	if (!(doc = json_loadb(r.body.s, r.body.len, 0, NULL))) {
		rc = lsr_error_set(LSR_EPARSE, "Europe PMC: reply is not JSON");
		goto out;
	}
	if (!sc->have_version && jstr(doc, "version") &&
	    (rc = search_set_service(sc, jstr(doc, "version"), NULL)) < 0)
		goto out;
	if (!json_is_integer(json_object_get(doc, "hitCount"))) {
		rc = lsr_error_set(LSR_EPARSE, "Europe PMC: reply without hitCount (cursor %s)", cursor);
		goto out;
	}
	if ((rc = search_set_reported(sc, json_integer_value(json_object_get(doc, "hitCount")))) < 0)
		goto out;
	next = jstr(doc, "nextCursorMark");
	snprintf(what, sizeof(what), "page at cursor %.60s", cursor);
	if ((rc = search_batch_json(sc, &r.body, path, europepmc_record, what, &nitems)) < 0)
		goto out;
	rc = search_page_commit(sc, cursor, next, nitems, more);
out:
	json_decref(doc);
	http_response_release(&r);
	http_form_release(&f);
	return rc;
}

int europepmc_run(struct search_ctx *sc)
{
	struct buf q = BUF_INIT;
	int rc;

	if (build_query(sc, &q) < 0)
		return LSR_ENOMEM;
	if ((rc = search_set_query(sc, q.s, NULL)) == 0)
		rc = search_page_loop(sc, page, q.s);
	buf_release(&q);
	return rc;
}
