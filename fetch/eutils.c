/*
 * eutils.c - PubMed through NCBI's E-utilities.
 *
 *   1. EInfo: the database build and its last update (search documentation).
 *   2. ESearch with the history server (usehistory=y): the count, PubMed's
 *      QueryTranslation, and up to 9,999 PMIDs.  PubMed serves no more than
 *      the first 9,999 identifiers of a result set, whatever the paging, so
 *      a larger set is split by PMID ranges, as EDirect does: the parts are
 *      "#1 AND lo:hi[UID]" searches on the same history (this run only),
 *      bisected until each counts at most 9,999; the parts are merged,
 *      sorted, deduplicated and reconciled with the count.
 *   3. The whole PMID list is stored (search_ids) before any record is
 *      fetched; EFetch then POSTs id lists in batches and each batch is
 *      committed with its records, so a resumed run fetches exactly the ids
 *      still pending.  A WebEnv is never kept across runs.
 *
 * Incremental runs use the record creation date: datetype=crdt with
 * mindate/maxdate (--since/--until).  tool=lsr, email and NCBI_API_KEY go
 * with every request (the key is never stored or logged).  Errors reported
 * inside a reply (<ERROR> in a 200 or 400) are retried like 5xx.
 */
#include "search_int.h"
#include "../util/array.h"
#include "../util/err.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EUTILS_CAP 9999            /* identifiers PubMed serves per search */
#define PMID_MAX 999999999ULL       /* upper end of the first UID range */
#define TERM_POST_LEN 300           /* longer terms are POSTed */

/* ------------------------------------------------------------------ */
/* replies */

struct expect {
	const char *close;     /* the document's closing tag */
	const char *empty;     /* or its empty form, NULL if none */
};

static enum http_verdict eutils_check(long status, const struct buf *body, void *payload,
				      struct buf *why)
{
	const struct expect *ex = payload;
	enum http_verdict v = http_status_verdict(status);
	const char *e = strstr(body->s, "<ERROR>");

	if (e) {
		const char *end = strstr(e, "</ERROR>");

		e += 7;
		if (end && end > e) {
			buf_printf(why, "HTTP %ld: PubMed reported an error: %.*s", status,
				   (int)(end - e) > 200 ? 200 : (int)(end - e), e);
			return HTTP_RETRY;
		}
	}
	if (v != HTTP_OK) {
		buf_printf(why, "HTTP %ld", status);
		if (body->len && body->len < 300 && strstr(body->s, "\"error\""))
			buf_printf(why, ": %s", body->s);
		return v;
	}
	if (body->s[0] == '{' && strstr(body->s, "\"error\"")) {
		buf_printf(why, "PubMed reported an error: %.200s", body->s);
		return HTTP_RETRY;
	}
	if (!strstr(body->s, ex->close) && !(ex->empty && strstr(body->s, ex->empty))) {
		buf_printf(why, "reply is truncated (no %s in %zu bytes)", ex->close, body->len);
		return HTTP_RETRY;
	}
	return HTTP_OK;
}

static int add_identity(struct search_ctx *sc, struct http_form *f)
{
	if (http_form_add(f, "tool", "lsr") < 0 ||
	    (sc->email && http_form_add(f, "email", sc->email) < 0) ||
	    (sc->api_key && http_form_add(f, "api_key", sc->api_key) < 0))
		return LSR_ENOMEM;
	return 0;
}

static xmlDocPtr parse_xml(struct search_ctx *sc, const struct buf *body, const char *what)
{
	xmlDocPtr doc = xmlReadMemory(body->s, (int)body->len, what, NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

	if (!doc)
		lsr_error_set(LSR_EPARSE, "%s: %s reply is not well-formed XML (%zu bytes)",
			      sc->service, what, body->len);
	return doc;
}

/* The text of a node's subtree (caller frees with xmlFree). */
static char *node_text(xmlNodePtr n)
{
	return (char *)xmlNodeGetContent(n);
}

static int is_el(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* ------------------------------------------------------------------ */
/* EInfo */

static int einfo(struct search_ctx *sc)
{
	static const struct expect ex = { "</eInfoResult>", NULL };
	struct http_form f = HTTP_FORM_INIT;
	struct http_response r = HTTP_RESPONSE_INIT;
	xmlDocPtr doc = NULL;
	char *build = NULL, *update = NULL;
	int rc;

	if ((rc = http_form_add(&f, "db", "pubmed")) < 0 || (rc = add_identity(sc, &f)) < 0)
		goto out;
	if ((rc = search_request(sc, "/einfo.fcgi", &f, 0, eutils_check, (void *)&ex, &r)) < 0)
		goto out;
	if (!(doc = parse_xml(sc, &r.body, "EInfo"))) {
		rc = lsr_error_last_code();
		goto out;
	}
	for (xmlNodePtr db = xmlDocGetRootElement(doc)->children; db; db = db->next) {
		if (!is_el(db, "DbInfo"))
			continue;
		for (xmlNodePtr n = db->children; n; n = n->next) {
			if (is_el(n, "DbBuild") && !build)
				build = node_text(n);
			else if (is_el(n, "LastUpdate") && !update)
				update = node_text(n);
		}
	}
	rc = search_set_service(sc, build, update);
out:
	xmlFree(build);
	xmlFree(update);
	xmlFreeDoc(doc);
	http_response_release(&r);
	http_form_release(&f);
	return rc;
}

/* ------------------------------------------------------------------ */
/* ESearch */

struct idset {
	uint64_t *v;
	size_t n, cap;
};

static int idset_add(struct idset *s, uint64_t id)
{
	if (ARRAY_GROW(s->v, s->n, s->cap, 1024) < 0)
		return LSR_ENOMEM;
	s->v[s->n++] = id;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct esearch {
	int64_t count;        /* -1 when absent */
	struct idset ids;
	char *translation;    /* xmlMalloc'd */
	char *webenv;
	char *query_key;
};

static void esearch_release(struct esearch *e)
{
	free(e->ids.v);
	xmlFree(e->translation);
	xmlFree(e->webenv);
	xmlFree(e->query_key);
	memset(e, 0, sizeof(*e));
}

/* Notes from ErrorList (phrases not found) and WarningList. */
static int note_lists(struct search_ctx *sc, xmlNodePtr list)
{
	for (xmlNodePtr n = list->children; n; n = n->next) {
		char *t;
		int rc = 0;

		if (n->type != XML_ELEMENT_NODE || is_el(n, "OutputMessage"))
			continue;
		t = node_text(n);
		if (t && *t && strncmp(t, "Restrictions achieved", 21))
			rc = search_note(sc, "PubMed %s: %s", (const char *)n->name, t);
		xmlFree(t);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int esearch_parse(struct search_ctx *sc, const struct buf *body, struct esearch *out)
{
	xmlDocPtr doc = parse_xml(sc, body, "ESearch");
	xmlNodePtr root;
	int rc = 0;

	out->count = -1;
	if (!doc)
		return lsr_error_last_code();
	root = xmlDocGetRootElement(doc);
	for (xmlNodePtr n = root ? root->children : NULL; n && rc == 0; n = n->next) {
		if (is_el(n, "Count")) {
			char *t = node_text(n), *end;

			out->count = t ? strtoll(t, &end, 10) : -1;
			if (!t || *end || out->count < 0)
				rc = lsr_error_set(LSR_EPARSE, "PubMed: ESearch Count is not a number");
			xmlFree(t);
		} else if (is_el(n, "IdList")) {
			for (xmlNodePtr id = n->children; id && rc == 0; id = id->next) {
				char *t, *end;
				unsigned long long v;

				if (!is_el(id, "Id"))
					continue;
				t = node_text(id);
				v = t ? strtoull(t, &end, 10) : 0;
				if (!t || *end || !v)
					rc = lsr_error_set(LSR_EPARSE, "PubMed: ESearch returned a bad PMID '%s'",
							   t ? t : "");
				else
					rc = idset_add(&out->ids, v);
				xmlFree(t);
			}
		} else if (is_el(n, "QueryTranslation") && !out->translation) {
			out->translation = node_text(n);
		} else if (is_el(n, "WebEnv") && !out->webenv) {
			out->webenv = node_text(n);
		} else if (is_el(n, "QueryKey") && !out->query_key) {
			out->query_key = node_text(n);
		} else if (is_el(n, "ErrorList") || is_el(n, "WarningList")) {
			rc = note_lists(sc, n);
		}
	}
	if (rc == 0 && out->count < 0)
		rc = lsr_error_set(LSR_EPARSE, "PubMed: ESearch reply without a Count");
	xmlFreeDoc(doc);
	return rc;
}

static int add_window(struct search_ctx *sc, struct http_form *f)
{
	char from[11], to[11];

	if (!sc->since[0] && !sc->until[0])
		return 0;
	/* mindate and maxdate go together; open ends as EDirect writes them */
	snprintf(from, sizeof(from), "%s", sc->since[0] ? sc->since : "1800-01-01");
	snprintf(to, sizeof(to), "%s", sc->until[0] ? sc->until : "3000-12-31");
	from[4] = from[7] = to[4] = to[7] = '/';
	if (http_form_add(f, "datetype", "crdt") < 0 || http_form_add(f, "mindate", from) < 0 ||
	    http_form_add(f, "maxdate", to) < 0)
		return LSR_ENOMEM;
	return 0;
}

/* One ESearch.  webenv: the run's history (NULL: start one). */
static int esearch(struct search_ctx *sc, const char *term, const char *webenv,
		   struct esearch *out)
{
	static const struct expect ex = { "</eSearchResult>", NULL };
	struct http_form f = HTTP_FORM_INIT;
	struct http_response r = HTTP_RESPONSE_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	if (http_form_add(&f, "db", "pubmed") < 0 || http_form_add(&f, "term", term) < 0 ||
	    http_form_addf(&f, "retmax", "%d", EUTILS_CAP) < 0 ||
	    (webenv ? http_form_add(&f, "WebEnv", webenv) : http_form_add(&f, "usehistory", "y")) < 0 ||
	    add_window(sc, &f) < 0 || add_identity(sc, &f) < 0) {
		rc = LSR_ENOMEM;
		goto out;
	}
	rc = search_request(sc, "/esearch.fcgi", &f, strlen(term) > TERM_POST_LEN, eutils_check,
			    (void *)&ex, &r);
	if (rc == 0)
		rc = esearch_parse(sc, &r.body, out);
out:
	http_response_release(&r);
	http_form_release(&f);
	return rc;
}

struct splitter {
	struct search_ctx *sc;
	const char *base;     /* "#1" on the history, else "(query)" */
	const char *webenv;
	struct idset *all;
	uint64_t searches;
	uint64_t parts_count; /* sum of the parts' counts */
};

/* Collect the PMIDs of base AND lo:hi[UID], bisecting while over the cap. */
static int split_range(struct splitter *sp, uint64_t lo, uint64_t hi, int depth)
{
	struct buf term = BUF_INIT;
	struct esearch e;
	int rc;

	if ((rc = lsr_check_interrupt()) < 0)
		return rc;
	if (buf_printf(&term, "%s AND %llu:%llu[UID]", sp->base, (unsigned long long)lo,
		       (unsigned long long)hi) < 0)
		return LSR_ENOMEM;
	rc = esearch(sp->sc, term.s, sp->webenv, &e);
	buf_release(&term);
	if (rc < 0)
		return rc;
	sp->searches++;
	progress_report(sp->sc->opts->progress, "listing PubMed's PMIDs", sp->all->n + (size_t)
			(e.count <= EUTILS_CAP ? e.ids.n : 0), (uint64_t)sp->sc->reported, "PMIDs");
	if (e.count <= EUTILS_CAP) {
		sp->parts_count += (uint64_t)e.count;
		if (e.ids.n != (size_t)e.count)
			rc = search_note(sp->sc, "PubMed gave %zu PMIDs for the %lld it counted in %llu:%llu[UID]",
					 e.ids.n, (long long)e.count, (unsigned long long)lo,
					 (unsigned long long)hi);
		for (size_t i = 0; i < e.ids.n && rc == 0; i++)
			rc = idset_add(sp->all, e.ids.v[i]);
		esearch_release(&e);
		return rc;
	}
	esearch_release(&e);
	if (lo >= hi || depth > 64)
		return lsr_error_set(LSR_EPARSE, "PubMed: %llu:%llu[UID] counts more than %d records; cannot split it",
				     (unsigned long long)lo, (unsigned long long)hi, EUTILS_CAP);
	if ((rc = split_range(sp, lo, lo + (hi - lo) / 2, depth + 1)) < 0)
		return rc;
	return split_range(sp, lo + (hi - lo) / 2 + 1, hi, depth + 1);
}

/* The full, sorted, distinct PMID list of the query; then phase records. */
static int collect_ids(struct search_ctx *sc)
{
	struct buf term = BUF_INIT, hist = BUF_INIT, sent = BUF_INIT;
	struct idset all = { NULL, 0, 0 };
	struct strv ids = STRV_INIT;
	struct esearch root;
	struct splitter sp;
	uint64_t searches = 1;
	size_t n = 0;
	int rc;

	memset(&root, 0, sizeof(root));
	if ((rc = esearch(sc, sc->query, NULL, &root)) < 0)
		goto out;
	if (buf_adds(&sent, sc->query) < 0 ||
	    ((sc->since[0] || sc->until[0]) &&
	     buf_printf(&sent, " AND %.4s/%.2s/%.2s:%.4s/%.2s/%.2s[crdt]",
			sc->since[0] ? sc->since : "1800", sc->since[0] ? sc->since + 5 : "01",
			sc->since[0] ? sc->since + 8 : "01", sc->until[0] ? sc->until : "3000",
			sc->until[0] ? sc->until + 5 : "12", sc->until[0] ? sc->until + 8 : "31") < 0)) {
		rc = LSR_ENOMEM;
		goto out;
	}
	if ((rc = search_set_query(sc, sent.s, root.translation)) < 0 ||
	    (rc = search_set_reported(sc, root.count)) < 0)
		goto out;
	if (root.count <= EUTILS_CAP) {
		all = root.ids;
		root.ids.v = NULL;
	} else {
		uint64_t top = 0;

		memset(&sp, 0, sizeof(sp));
		sp.sc = sc;
		sp.all = &all;
		if (root.webenv && root.query_key) {
			buf_printf(&hist, "#%s", root.query_key);
			sp.base = hist.s;
			sp.webenv = root.webenv;
		} else {
			buf_printf(&term, "(%s)", sc->query);
			sp.base = term.s;
		}
		/* first cut just above the largest PMID seen: the part above it
		 * is usually small, and the bisection starts near the data */
		for (size_t i = 0; i < root.ids.n; i++)
			if (root.ids.v[i] > top)
				top = root.ids.v[i];
		if (!top || top >= PMID_MAX)
			top = PMID_MAX / 2;
		if ((rc = split_range(&sp, 1, top, 0)) < 0 ||
		    (rc = split_range(&sp, top + 1, PMID_MAX, 0)) < 0)
			goto out;
		searches += sp.searches;
		if (sp.parts_count != (uint64_t)root.count &&
		    (rc = search_note(sc, "the split searches counted %llu records, the first search %lld",
				      (unsigned long long)sp.parts_count, (long long)root.count)) < 0)
			goto out;
	}
	if (all.n)
		qsort(all.v, all.n, sizeof(*all.v), cmp_u64);
	for (size_t i = 0; i < all.n; i++)
		if (i == 0 || all.v[i] != all.v[n - 1])
			all.v[n++] = all.v[i];
	all.n = n;
	if (n != (size_t)root.count &&
	    (rc = search_note(sc, "the searches returned %zu distinct PMIDs for the %lld PubMed counted",
			      n, (long long)root.count)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char num[24];

		snprintf(num, sizeof(num), "%llu", (unsigned long long)all.v[i]);
		if ((rc = strv_push(&ids, num)) < 0)
			goto out;
	}
	rc = search_ids_store(sc, &ids, searches);
out:
	esearch_release(&root);
	free(all.v);
	strv_release(&ids);
	buf_release(&term);
	buf_release(&hist);
	buf_release(&sent);
	return rc;
}

/* ------------------------------------------------------------------ */
/* EFetch */

struct fetch_batch {
	struct search_ctx *sc;
	const struct strv *ids;
	unsigned char *seen;
};

static int store_article(struct lsr_record *r, void *payload)
{
	struct fetch_batch *fb = payload;
	const char *pmid = r->pmid.len ? r->pmid.s : r->source_id.s;

	if (r->deleted)
		return 0;
	for (size_t i = 0; i < fb->ids->n; i++)
		if (!strcmp(fb->ids->v[i], pmid)) {
			if (fb->seen[i])
				return 0; /* twice in one reply: once is enough */
			fb->seen[i] = 1;
			break;
		}
	return search_batch_add(fb->sc, r, pmid);
}

static int efetch_batch(struct search_ctx *sc, const struct strv *ids)
{
	static const struct expect ex = { "</PubmedArticleSet>", "<PubmedArticleSet/>" };
	struct http_form f = HTTP_FORM_INIT;
	struct http_response r = HTTP_RESPONSE_INIT;
	struct buf list = BUF_INIT;
	struct fetch_input *in = NULL;
	struct fetch_batch fb = { sc, ids, NULL };
	int rc;

	for (size_t i = 0; i < ids->n; i++)
		if ((i && buf_addc(&list, ',') < 0) || buf_adds(&list, ids->v[i]) < 0)
			goto oom;
	if (http_form_add(&f, "db", "pubmed") < 0 || http_form_add(&f, "id", list.s) < 0 ||
	    http_form_add(&f, "retmode", "xml") < 0 || add_identity(sc, &f) < 0)
		goto oom;
	if ((rc = search_request(sc, "/efetch.fcgi", &f, 1, eutils_check, (void *)&ex, &r)) < 0)
		goto out;
	if (!(fb.seen = calloc(ids->n ? ids->n : 1, 1)))
		goto oom;
	if ((rc = fetch_input_open_mem(&in, "PubMed EFetch reply", r.body.s, r.body.len)) < 0 ||
	    (rc = search_batch_begin(sc)) < 0)
		goto out;
	rc = fetch_parse(in, FETCH_FMT_PUBMED_XML, NULL, store_article, &fb);
	for (size_t i = 0; i < ids->n && rc == 0; i++)
		if (!fb.seen[i])
			rc = search_batch_missing(sc, ids->v[i]);
	if (rc == 0)
		rc = search_batch_commit(sc, NULL);
	else
		search_batch_abort(sc);
	goto out;
oom:
	rc = lsr_error_oom();
out:
	fetch_input_free(in);
	free(fb.seen);
	buf_release(&list);
	http_response_release(&r);
	http_form_release(&f);
	return rc;
}

int eutils_run(struct search_ctx *sc)
{
	struct strv batch = STRV_INIT;
	int rc;

	if (!sc->have_version && (rc = einfo(sc)) < 0)
		return rc;
	if (!strcmp(sc->phase, "ids") && (rc = collect_ids(sc)) < 0)
		return rc;
	search_progress(sc);
	for (;;) {
		if ((rc = lsr_check_interrupt()) < 0)
			break;
		if ((rc = search_ids_pending(sc, sc->batch_size, &batch)) < 0 || batch.n == 0)
			break;
		if ((rc = efetch_batch(sc, &batch)) < 0)
			break;
	}
	strv_release(&batch);
	return rc;
}
