/*
 * endnote_xml.c - EndNote XML (<xml><records><record>...), as EndNote
 * X-series, Zotero and Mendeley write it.
 *
 * Each <record> is a record; the raw text is its bytes from '<record>' to
 * '</record>' exactly as received.  Values are often wrapped in <style>
 * elements (one per formatting run): a field's value is the text of all
 * of them.
 *
 * Fields:
 *   ref_type          ref-type's name attribute ("Journal Article")
 *   source_id         accession-num, else rec-number
 *   title             titles/title, else titles/translated-title
 *   journal           periodical/full-title, else titles/secondary-title
 *                     (also a book section's book), else alt-periodical
 *   journal_abbrev    periodical/abbr-1, else alt-periodical/abbr-1, else
 *                     titles/alt-title (dropped when equal to the journal)
 *   authors           contributors/authors/author
 *   year, pub_date    dates/year, dates/pub-dates/date
 *   volume, pages     volume, pages
 *   issue             number (EndNote's issue), else issue
 *   doi               electronic-resource-num, else a doi.org URL
 *   pmid              accession-num when the remote database is PubMed,
 *                     MEDLINE or NLM, else a PubMed URL
 *   pmcid             a PMC number in custom1..custom7
 *   other_ids         "wos:..." and "embase:..." accession numbers, ISBNs
 *   issn              the first ISSN in isbn (EndNote keeps a journal's
 *                     ISSN there)
 *   languages, keywords  language, keywords/keyword (a value holding
 *                     several lines is several entries)
 *   publication_types work-type
 *   abstract, url     abstract; the first http(s) URL of urls
 * Notes, captions, labels, research notes and the other custom fields are
 * kept in the raw text only.
 */
#include "xmlrec.h"
#include "../util/err.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define EN_NAMES(X) \
	X(xml, "xml") X(records, "records") X(record, "record") \
	X(ref_type, "ref-type") X(contributors, "contributors") \
	X(authors, "authors") X(author, "author") X(titles, "titles") \
	X(title, "title") X(secondary_title, "secondary-title") \
	X(alt_title, "alt-title") X(translated_title, "translated-title") \
	X(periodical, "periodical") X(alt_periodical, "alt-periodical") \
	X(full_title, "full-title") X(abbr_1, "abbr-1") X(pages, "pages") \
	X(volume, "volume") X(number, "number") X(issue, "issue") \
	X(keywords, "keywords") X(keyword, "keyword") X(dates, "dates") \
	X(year, "year") X(pub_dates, "pub-dates") X(date, "date") \
	X(isbn, "isbn") X(accession_num, "accession-num") \
	X(rec_number, "rec-number") \
	X(electronic_resource_num, "electronic-resource-num") \
	X(abstract, "abstract") X(language, "language") X(urls, "urls") \
	X(url, "url") X(work_type, "work-type") \
	X(remote_database_name, "remote-database-name") \
	X(remote_database_provider, "remote-database-provider") \
	X(custom1, "custom1") X(custom2, "custom2") X(custom3, "custom3") \
	X(custom4, "custom4") X(custom5, "custom5") X(custom6, "custom6") \
	X(custom7, "custom7")

enum en_name {
#define E(id, s) N_##id,
	EN_NAMES(E)
#undef E
	N_COUNT
};

static const char *const en_name_str[N_COUNT] = {
#define S(id, s) s,
	EN_NAMES(S)
#undef S
};

/* Values gathered from one record before they become fields. */
#define EN_SCRATCH(X) X(t) X(title) X(trans_title) X(sec_title) X(alt_title) \
	X(full_title) X(abbr) X(alt_full) X(alt_abbr) X(number) X(issue) \
	X(year) X(date) X(isbn) X(accession) X(rec_number) X(erdoi) X(dbname) \
	X(url_doi) X(url_pmid)

struct en {
	struct xmlrec x;
	const xmlChar *nm[N_COUNT];  /* interned names: compare pointers */
	struct lsr_record rec;
#define DECL(f) struct buf f;
	EN_SCRATCH(DECL)
#undef DECL
};

#define IS(node, n) ((node)->name == e->nm[N_##n])
#define FOR_CHILDREN(c, node) \
	for (struct xmlrec_node *c = xmlrec_child(node); c; c = xmlrec_sibling(c)) /* NOLINT(bugprone-macro-parentheses): c is the variable the loop declares */

/* The value of a field (its <style> runs joined), trimmed, into b. */
static int value(struct en *e, struct xmlrec_node *node, struct buf *b)
{
	int rc;

	buf_reset(b);
	if ((rc = xmlrec_text(&e->x, node, b, 0)) < 0)
		return rc;
	buf_trim(b);
	return 0;
}

/* The first value wins: a repeated element does not replace it. */
static int first_value(struct en *e, struct xmlrec_node *node, struct buf *b)
{
	return b->len ? 0 : value(e, node, b);
}

/* Push every line of node's value (EndNote separates list entries with
 * line ends inside one element). */
static int push_lines(struct en *e, struct xmlrec_node *node, struct strv *sv)
{
	const char *s;
	int rc;

	if ((rc = value(e, node, &e->t)) < 0)
		return rc;
	s = e->t.s;
	while (*s) {
		size_t n = strcspn(s, "\r\n");

		if (n && (rc = strv_pushn(sv, s, n)) < 0)
			return rc;
		s += n;
		s += strspn(s, "\r\n");
	}
	return 0;
}

static int titles(struct en *e, struct xmlrec_node *node)
{
	int rc = 0;

	FOR_CHILDREN(c, node) {
		if (IS(c, title))
			rc = first_value(e, c, &e->title);
		else if (IS(c, secondary_title))
			rc = first_value(e, c, &e->sec_title);
		else if (IS(c, alt_title))
			rc = first_value(e, c, &e->alt_title);
		else if (IS(c, translated_title))
			rc = first_value(e, c, &e->trans_title);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int periodical(struct en *e, struct xmlrec_node *node, struct buf *full, struct buf *abbr)
{
	int rc = 0;

	FOR_CHILDREN(c, node) {
		if (IS(c, full_title))
			rc = first_value(e, c, full);
		else if (IS(c, abbr_1))
			rc = first_value(e, c, abbr);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int contributors(struct en *e, struct xmlrec_node *node)
{
	int rc;

	FOR_CHILDREN(c, node) {
		if (!IS(c, authors))
			continue;
		FOR_CHILDREN(a, c) {
			if (!IS(a, author))
				continue;
			if ((rc = value(e, a, &e->t)) < 0 ||
			    (rc = tagged_add_author(&e->rec, e->t.s)) < 0)
				return rc;
		}
	}
	return 0;
}

static int dates(struct en *e, struct xmlrec_node *node)
{
	int rc = 0;

	FOR_CHILDREN(c, node) {
		if (IS(c, year)) {
			rc = first_value(e, c, &e->year);
		} else if (IS(c, pub_dates)) {
			FOR_CHILDREN(d, c)
				if (IS(d, date) && (rc = first_value(e, d, &e->date)) < 0)
					return rc;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The PMID of a PubMed URL ("pubmed.ncbi.nlm.nih.gov/123",
 * ".../pubmed/123"), else NULL; *len gets its length. */
static const char *pubmed_url_pmid(const char *u, size_t *len)
{
	static const char *const marks[] = { "pubmed.ncbi.nlm.nih.gov/", "ncbi.nlm.nih.gov/pubmed/" };

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *p = strstr(u, marks[i]);
		size_t n;

		if (!p)
			continue;
		p += strlen(marks[i]);
		n = strspn(p, "0123456789");
		if (n && (p[n] == '\0' || p[n] == '/' || p[n] == '?' || isspace((unsigned char)p[n]))) {
			*len = n;
			return p;
		}
	}
	return NULL;
}

/* Every <url> under urls: the first web URL is the record's; a DOI or a
 * PubMed link also gives an identifier. */
static int urls(struct en *e, struct xmlrec_node *node)
{
	int rc;

	for (struct xmlrec_node *c = xmlrec_child(node); c; c = xmlrec_sibling(c)) {
		const char *u, *pmid;
		size_t n;

		if (!IS(c, url)) {
			if ((rc = urls(e, c)) < 0)
				return rc;
			continue;
		}
		if ((rc = value(e, c, &e->t)) < 0)
			return rc;
		u = e->t.s;
		if (strncasecmp(u, "http://", 7) && strncasecmp(u, "https://", 8))
			continue; /* internal-pdf://, file paths */
		if (!e->rec.url.len && (rc = buf_adds(&e->rec.url, u)) < 0)
			return rc;
		if (!e->url_doi.len && strstr(u, "doi.org/10.") && (rc = buf_adds(&e->url_doi, u)) < 0)
			return rc;
		if (!e->url_pmid.len && (pmid = pubmed_url_pmid(u, &n)) != NULL &&
		    (rc = buf_add(&e->url_pmid, pmid, n)) < 0)
			return rc;
	}
	return 0;
}

/* A PMC number ("PMC1234567") anywhere in s into pmcid. */
static int find_pmcid(struct en *e, const char *s)
{
	for (const char *p = strstr(s, "PMC"); p; p = strstr(p + 3, "PMC")) {
		size_t n = strspn(p + 3, "0123456789");

		if (n >= 4 && (p == s || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[3 + n]))
			return buf_add(&e->rec.pmcid, p, 3 + n);
	}
	return 0;
}

static int record_fields(struct en *e, struct xmlrec_node *node)
{
	struct lsr_record *r = &e->rec;
	int rc = 0;

	FOR_CHILDREN(c, node) {
		if (IS(c, ref_type)) {
			const char *name = xmlrec_attr(c, "name");

			rc = name && *name ? buf_adds(&r->ref_type, name) : value(e, c, &r->ref_type);
		} else if (IS(c, contributors)) {
			rc = contributors(e, c);
		} else if (IS(c, titles)) {
			rc = titles(e, c);
		} else if (IS(c, periodical)) {
			rc = periodical(e, c, &e->full_title, &e->abbr);
		} else if (IS(c, alt_periodical)) {
			rc = periodical(e, c, &e->alt_full, &e->alt_abbr);
		} else if (IS(c, pages)) {
			rc = first_value(e, c, &r->pages);
		} else if (IS(c, volume)) {
			rc = first_value(e, c, &r->volume);
		} else if (IS(c, number)) {
			rc = first_value(e, c, &e->number);
		} else if (IS(c, issue)) {
			rc = first_value(e, c, &e->issue);
		} else if (IS(c, keywords)) {
			FOR_CHILDREN(k, c)
				if (IS(k, keyword) && (rc = push_lines(e, k, &r->keywords)) < 0)
					return rc;
		} else if (IS(c, dates)) {
			rc = dates(e, c);
		} else if (IS(c, isbn)) {
			rc = first_value(e, c, &e->isbn);
		} else if (IS(c, accession_num)) {
			rc = first_value(e, c, &e->accession);
		} else if (IS(c, rec_number)) {
			rc = first_value(e, c, &e->rec_number);
		} else if (IS(c, electronic_resource_num)) {
			rc = first_value(e, c, &e->erdoi);
		} else if (IS(c, abstract)) {
			rc = r->abstract.len ? 0 : xmlrec_text(&e->x, c, &r->abstract, 0);
		} else if (IS(c, language)) {
			rc = push_lines(e, c, &r->languages);
		} else if (IS(c, urls)) {
			rc = urls(e, c);
		} else if (IS(c, work_type)) {
			rc = push_lines(e, c, &r->publication_types);
		} else if (IS(c, remote_database_name) || IS(c, remote_database_provider)) {
			if ((rc = value(e, c, &e->t)) == 0 && e->t.len)
				rc = (e->dbname.len && buf_addc(&e->dbname, ' ') < 0) ||
				     buf_adds(&e->dbname, e->t.s) < 0 ? LSR_ENOMEM : 0;
		} else if (IS(c, custom1) || IS(c, custom2) || IS(c, custom3) || IS(c, custom4) ||
			   IS(c, custom5) || IS(c, custom6) || IS(c, custom7)) {
			if (!r->pmcid.len && (rc = value(e, c, &e->t)) == 0)
				rc = find_pmcid(e, e->t.s);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Is s[0..9) an ISSN (NNNN-NNNC)? */
static int issn_at(const char *s)
{
	for (int i = 0; i < 9; i++) {
		if (i == 4 ? s[i] != '-' : !isdigit((unsigned char)s[i]) && !(i == 8 && (s[i] == 'X' || s[i] == 'x')))
			return 0;
	}
	return !isalnum((unsigned char)s[9]);
}

/* EndNote's isbn field: a journal's ISSNs, or a book's ISBN. */
static int isbn_field(struct en *e)
{
	const char *s = e->isbn.s;
	size_t n;

	for (const char *p = s; *p; p++)
		if ((p == s || !isalnum((unsigned char)p[-1])) && strlen(p) >= 9 && issn_at(p))
			return buf_add(&e->rec.issn, p, 9);
	/* an ISBN: the first token with digits */
	while (*s) {
		n = strcspn(s, " \t\r\n;,");
		if (n && strpbrk(s, "0123456789") && (size_t)(strpbrk(s, "0123456789") - s) < n) {
			buf_reset(&e->t);
			if (buf_add(&e->t, s, n) < 0)
				return LSR_ENOMEM;
			return tagged_add_other_id(&e->rec, "isbn", e->t.s);
		}
		s += n;
		s += strspn(s, " \t\r\n;,");
	}
	return 0;
}

static int all_digits(const struct buf *b)
{
	if (!b->len)
		return 0;
	for (size_t i = 0; i < b->len; i++)
		if (!isdigit((unsigned char)b->s[i]))
			return 0;
	return 1;
}

/* Turn the gathered values into fields. */
static int record_finish_fields(struct en *e)
{
	struct lsr_record *r = &e->rec;
	struct buf *title = e->title.len ? &e->title : &e->trans_title;
	struct buf *journal = e->full_title.len ? &e->full_title
			      : e->sec_title.len ? &e->sec_title : &e->alt_full;
	struct buf *abbrev = e->abbr.len ? &e->abbr
			     : e->alt_abbr.len ? &e->alt_abbr : &e->alt_title;
	struct buf *issue = e->number.len ? &e->number : &e->issue;
	int rc = 0;

	if (title->len && (rc = buf_add(&r->title, title->s, title->len)) < 0)
		return rc;
	if (journal->len && (rc = buf_add(&r->journal, journal->s, journal->len)) < 0)
		return rc;
	if (abbrev->len && strcmp(abbrev->s, journal->s) &&
	    (rc = buf_add(&r->journal_abbrev, abbrev->s, abbrev->len)) < 0)
		return rc;
	if (issue->len && (rc = buf_add(&r->issue, issue->s, issue->len)) < 0)
		return rc;
	/* a date without a year ("May 12") takes the year field's */
	buf_reset(&e->t);
	if (e->year.len && (!e->date.len || !strstr(e->date.s, e->year.s)))
		rc = buf_printf(&e->t, "%s %s", e->year.s, e->date.s);
	else
		rc = buf_add(&e->t, e->date.s, e->date.len);
	if (rc < 0 || (e->t.len && (rc = tagged_set_date(r, e->t.s)) < 0))
		return rc < 0 ? rc : LSR_ENOMEM;
	if (e->erdoi.len && (rc = tagged_set_doi(r, e->erdoi.s)) < 0)
		return rc;
	if (!r->doi.len && e->url_doi.len && (rc = tagged_set_doi(r, e->url_doi.s)) < 0)
		return rc;
	if (e->isbn.len && (rc = isbn_field(e)) < 0)
		return rc;
	/* the source's identifier: accession number, else record number */
	if (e->accession.len) {
		const char *db = e->dbname.s, *an = e->accession.s;

		rc = buf_add(&r->source_id, an, e->accession.len);
		if (!rc && !strncmp(an, "WOS:", 4))
			rc = tagged_add_other_id(r, "wos", an + 4);
		else if (!rc && strcasestr(db, "embase"))
			rc = tagged_add_other_id(r, "embase", an);
		else if (!rc && all_digits(&e->accession) &&
			 (strcasestr(db, "pubmed") || strcasestr(db, "medline") || strcasestr(db, "NLM")))
			rc = buf_add(&r->pmid, an, e->accession.len);
	} else if (e->rec_number.len) {
		rc = buf_add(&r->source_id, e->rec_number.s, e->rec_number.len);
	}
	if (!rc && !r->pmid.len && e->url_pmid.len)
		rc = buf_add(&r->pmid, e->url_pmid.s, e->url_pmid.len);
	return rc;
}

static void en_reset(struct en *e)
{
#define RESET(f) buf_reset(&e->f);
	EN_SCRATCH(RESET)
#undef RESET
	record_reset(&e->rec);
}

static int one_record(struct en *e, const struct xmlrec_ev *ev, record_sink_fn sink,
		      void *payload)
{
	int rc;

	en_reset(e);
	if ((rc = xmlrec_record(&e->x, ev, &e->rec)) < 0 ||
	    (rc = record_fields(e, ev->node)) < 0 || (rc = record_finish_fields(e)) < 0)
		return rc;
	return sink(&e->rec, payload);
}

/* One event of the document (see xmlrec.h): <xml>, <records>, a record. */
static int en_event(struct en *e, const struct xmlrec_ev *ev, record_sink_fn sink,
		    void *payload)
{
	static const char *const expect[] = { "<xml> as the root element", "<records> in <xml>",
					      "<record> in <records>" };
	int depth = ev->depth > 2 ? 2 : ev->depth;

	switch (ev->type) {
	case XMLREC_START:
		if (ev->name != e->nm[depth == 0 ? N_xml : depth == 1 ? N_records : N_record])
			return xmlrec_fail(&e->x, ev->line, "expected %s, found <%s>",
					   expect[depth], (const char *)ev->name);
		return 0;
	case XMLREC_ELEMENT:
		return one_record(e, ev, sink, payload);
	case XMLREC_TEXT:
		return xmlrec_fail(&e->x, ev->line, "expected %s, found text", expect[depth]);
	default:
		return xmlrec_fail(&e->x, ev->line,
				   "expected %s, found the entity reference '&%s;'",
				   expect[depth], (const char *)ev->name);
	}
}

int fetch_parse_endnote_xml(struct fetch_input *in, const struct fetch_parse_opts *o,
			    record_sink_fn sink, void *payload)
{
	static const char *const records[] = { "record", NULL };
	struct xmlrec_ev ev;
	struct en e;
	int rc;

	(void)o;
	memset(&e, 0, sizeof(e));
	record_init(&e.rec);
#define INIT(f) buf_init(&e.f, 0);
	EN_SCRATCH(INIT)
#undef INIT
	if ((rc = xmlrec_open(&e.x, in, records, 2)) < 0)
		goto out;
	if ((rc = xmlrec_intern(&e.x, en_name_str, e.nm, N_COUNT)) < 0)
		goto out;
	while ((rc = xmlrec_next(&e.x, &ev)) == 1)
		if ((rc = en_event(&e, &ev, sink, payload)) < 0)
			break;
out:
	xmlrec_close(&e.x);
#define REL(f) buf_release(&e.f);
	EN_SCRATCH(REL)
#undef REL
	record_release(&e.rec);
	return rc < 0 ? rc : 0;
}
