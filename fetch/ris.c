/*
 * ris.c - RIS, as Embase, Web of Science, Scopus, Ovid, EBSCOhost, Cochrane,
 * ProQuest, Lens, Dimensions, EndNote, Zotero and Mendeley write it.
 *
 * A record runs from "TY  - " to "ER  - " ("TY - " with one space is read
 * too).  A field whose whole value is "NA" (R's missing value, in files
 * that R scripts wrote back) is empty.  Lines without a tag continue the
 * previous field (Rayyan writes one keyword per untagged line).  Anything
 * between records (Ovid's "1." numbering and "Link to the Ovid Full
 * Text..." lines) is ignored; a record left open at the next TY or at the
 * end of the file rejects the file.
 */
#include "fetch_int.h"
#include "../util/err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Is line a tag line?  Sets tag (2 chars, or PsycINFO's "PMID") and *value. */
static int tag_line(const char *line, size_t len, char tag[TAGGED_TAG_MAX], const char **value)
{
	size_t k = len >= 4 && !memcmp(line, "PMID", 4) ? 4 : 2, i = k;

	if (len < k + 3 || !isupper((unsigned char)line[0]) ||
	    !(isupper((unsigned char)line[1]) || isdigit((unsigned char)line[1])))
		return 0;
	/* "TY  - x", "TY  -", "TY - x", "PMID  - x" */
	while (i < len && i < k + 2 && line[i] == ' ')
		i++;
	if (i < k + 1 || i >= len || line[i] != '-')
		return 0;
	i++;
	if (i < len && line[i] != ' ')
		return 0;
	while (i < len && line[i] == ' ')
		i++;
	memcpy(tag, line, k);
	tag[k] = '\0';
	*value = line + i;
	return 1;
}

struct ris_rec {
	struct lsr_record *r;
	struct buf ab, n2, ti, t1, t2, jf, jo, ja, j2, sp, ep, py, da, y1, an, id, db, m3;
	struct buf st, bt, u2, link;  /* short and book titles, Embase's U2, a database link */
};

#define RIS_BUFS(X) X(ab) X(n2) X(ti) X(t1) X(t2) X(jf) X(jo) X(ja) X(j2) X(sp) X(ep) \
	X(py) X(da) X(y1) X(an) X(id) X(db) X(m3) X(st) X(bt) X(u2) X(link)

static void rr_reset(void *payload)
{
	struct ris_rec *x = payload;

#define RESET(f) buf_reset(&x->f);
	RIS_BUFS(RESET)
#undef RESET
}

static void rr_release(struct ris_rec *x)
{
#define REL(f) buf_release(&x->f);
	RIS_BUFS(REL)
#undef REL
}

static struct buf *text_field(struct ris_rec *x, const char *tag)
{
	static const struct { const char *tag; size_t off; } map[] = {
#define M(t, f) { t, offsetof(struct ris_rec, f) }
		M("AB", ab), M("N2", n2), M("TI", ti), M("T1", t1), M("CT", t1),
		M("T2", t2), M("JF", jf), M("JO", jo), M("JA", ja), M("J2", j2),
		M("J1", j2), M("SP", sp), M("EP", ep), M("PY", py), M("DA", da),
		M("Y1", y1), M("AN", an), M("ID", id), M("DB", db), M("DP", db),
		M("M3", m3), M("ST", st), M("BT", bt), M("U2", u2),
#undef M
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].tag, tag))
			return (struct buf *)((char *)x + map[i].off);
	return NULL;
}

/* SN: an ISSN ("1999-7777(Electronic),0222-6666(Print)", Scopus's
 * "20964129"), ISBNs ("978-3-16-148410-0": other id isbn:), or what the
 * source wrote when it is neither. */
static int add_issn(struct lsr_record *r, const char *v)
{
	size_t before = r->other_ids.n;
	int rc = tagged_add_isbns(r, v);

	if (rc < 0)
		return rc;
	if (r->issn.len || tagged_set_issn(r, v) < 0)
		return r->issn.len ? 0 : LSR_ENOMEM;
	if (r->issn.len || r->other_ids.n > before)
		return 0;
	return buf_add(&r->issn, v, strcspn(v, " ,;"));
}

static int add_field(struct ris_rec *x, const char *tag, const char *v, int continuation)
{
	struct lsr_record *r = x->r;
	struct buf *b;

	if (!*v || !strcmp(v, "NA")) /* R's missing value, as re-exports write it */
		return 0;
	if (!strcmp(tag, "AU") || !strcmp(tag, "A1"))
		return tagged_add_authors(r, v, TAGGED_AUTHOR_TAG); /* Ovid's CENTRAL: "Li W, Zhang Y" */
	if (!strcmp(tag, "KW"))
		return strv_push(&r->keywords, v);
	if (!strcmp(tag, "LA"))
		return strv_push(&r->languages, v);
	if (!strcmp(tag, "VL") || !strcmp(tag, "VO"))
		return tagged_append(&r->volume, v);
	if (!strcmp(tag, "PMID"))
		return r->pmid.len ? 0 : buf_add(&r->pmid, v, strspn(v, "0123456789"));
	if (!strcmp(tag, "IS"))
		return tagged_append(&r->issue, v);
	if (!strcmp(tag, "SN"))
		return add_issn(r, v);
	if (!strcmp(tag, "DO"))
		return tagged_set_doi(r, v);
	if (!strcmp(tag, "L3") && !strncmp(v, "10.", 3)) /* EBSCOhost puts the DOI there */
		return tagged_set_doi(r, v);
	if (!strcmp(tag, "UR") || !strcmp(tag, "L1") || !strcmp(tag, "L2")) {
		if (!r->doi.len && strstr(v, "doi.org/10."))
			tagged_set_doi(r, v);
		if (!x->link.len && strstr(v, "AN=") && buf_adds(&x->link, v) < 0)
			return LSR_ENOMEM;
		return r->url.len ? 0 : buf_adds(&r->url, v);
	}
	if (!strcmp(tag, "TY"))
		return buf_adds(&r->ref_type, v);
	b = text_field(x, tag);
	if (b) {
		/* a repeated single-value tag (two T1 lines) keeps the first,
		 * a continuation line extends it */
		if (b->len && !continuation && b != &x->ab && b != &x->n2)
			return 0;
		return tagged_append(b, v);
	}
	return 0; /* other tags are kept in the raw text only */
}

static int is_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* One field: the tag line's value, then its continuation lines. */
static int field(void *payload, const char *tag, const char *text)
{
	struct ris_rec *x = payload;
	int continuation = 0;

	while (*text) {
		size_t n = strcspn(text, "\n");
		char *part = xstrndup(text, n);
		int rc;

		if (!part)
			return LSR_ENOMEM;
		rc = add_field(x, tag, part, continuation);
		free(part);
		if (rc < 0)
			return rc;
		continuation = 1;
		text += n;
		if (*text)
			text++;
	}
	return 0;
}

/* The value of query parameter name in url ("...&AN=123&..."), n its length. */
static const char *query_param(const char *url, const char *name, size_t *n)
{
	size_t nl = strlen(name);

	for (const char *p = strchr(url, '?'); p && *p; p = strchr(p + 1, '&')) {
		if (!strncmp(p + 1, name, nl) && p[1 + nl] == '=') {
			*n = strcspn(p + 2 + nl, "&#");
			return p + 2 + nl;
		}
	}
	return NULL;
}

/*
 * Identifiers in a database link: Ovid's "...&D=medp&AN=30439442" is a PMID
 * (Ovid MEDLINE segments are med*, mes*, prem), "D=emed..." an Embase
 * accession number; EBSCOhost's "db=aph&AN=117372971" its accession number.
 * The AN is the record's source id when the record has none.
 */
static int link_ids(struct lsr_record *r, const char *url)
{
	size_t an_len = 0, d_len = 0;
	const char *an = query_param(url, "AN", &an_len);
	const char *d = query_param(url, "D", &d_len);
	char *id;
	int rc = 0;

	if (!an || !an_len)
		return 0;
	id = xstrndup(an, an_len);
	if (!id)
		return LSR_ENOMEM;
	if (!r->source_id.len)
		rc = buf_adds(&r->source_id, id);
	if (!rc && d && d_len >= 3 && is_digits(id) && !r->pmid.len &&
	    (!strncmp(d, "med", 3) || !strncmp(d, "mes", 3) || !strncmp(d, "prem", 4)))
		rc = buf_adds(&r->pmid, id);
	else if (!rc && d && d_len >= 3 && !strncmp(d, "em", 2))
		rc = tagged_add_other_id(r, "embase", id);
	free(id);
	return rc;
}

static int finish(void *payload)
{
	struct ris_rec *x = payload;
	struct lsr_record *r = x->r;
	struct buf *title = x->ti.len ? &x->ti : x->t1.len ? &x->t1 : x->st.len ? &x->st : &x->bt;
	struct buf *journal = x->jf.len ? &x->jf : x->jo.len ? &x->jo : &x->t2;
	struct buf *abbrev = x->ja.len ? &x->ja : &x->j2;
	const char *date = x->da.len ? x->da.s : x->py.len ? x->py.s : x->y1.s;
	int rc = 0;

	if (title->len)
		rc = buf_add(&r->title, title->s, title->len);
	if (!rc && journal->len)
		rc = buf_add(&r->journal, journal->s, journal->len);
	if (!rc && abbrev->len && (!journal->len || strcmp(abbrev->s, journal->s)))
		rc = buf_add(&r->journal_abbrev, abbrev->s, abbrev->len);
	if (!rc && (x->ab.len || x->n2.len))
		rc = x->ab.len ? buf_add(&r->abstract, x->ab.s, x->ab.len)
			       : buf_add(&r->abstract, x->n2.s, x->n2.len);
	/* the year from PY/Y1 when DA lacks one */
	if (!rc && *date)
		rc = tagged_set_date(r, date);
	if (!rc && !r->year && x->py.len)
		rc = tagged_set_date(r, x->py.s);
	if (!rc && !r->year && x->y1.len)
		rc = tagged_set_date(r, x->y1.s);
	if (!rc && (x->sp.len || x->ep.len)) {
		/* "No"/"Specified" (Ovid's "No Pagination Specified") is no page */
		if (!strcasecmp(x->sp.s, "No") && !strcasecmp(x->ep.s, "Specified"))
			;
		else
			rc = tagged_set_pages(r, x->sp.s, x->ep.s);
	}
	/* M3, the type of work; not PsycINFO's DOI or classification code */
	if (!rc && x->m3.len && x->m3.len < 80 && !strstr(x->m3.s, "10.") &&
	    x->m3.s[x->m3.len - 1] != ']')
		rc = strv_push(&r->publication_types, x->m3.s);
	/* the source's identifier: accession number, else ID */
	if (!rc && (x->an.len || x->id.len)) {
		struct buf *id = x->an.len ? &x->an : &x->id;
		const char *db = x->db.s;

		rc = buf_add(&r->source_id, id->s, id->len);
		if (!rc && !strncmp(id->s, "WOS:", 4))
			rc = tagged_add_other_id(r, "wos", id->s + 4);
		else if (!rc && x->an.len && strcasestr(db, "embase"))
			rc = tagged_add_other_id(r, "embase", id->s);
		else if (!rc && x->an.len && is_digits(id->s) &&
			 (strcasestr(db, "NLM") || strcasestr(db, "pubmed") || strcasestr(db, "medline")))
			rc = buf_add(&r->pmid, id->s, id->len);
	} else if (!rc && x->u2.len && strcasestr(x->db.s, "embase")) {
		/* Embase's RIS keeps its accession number ("L373791783") in U2 */
		rc = buf_add(&r->source_id, x->u2.s, x->u2.len);
		if (!rc)
			rc = tagged_add_other_id(r, "embase", x->u2.s);
	}
	if (!rc && x->link.len)
		rc = link_ids(r, x->link.s);
	return rc;
}

int fetch_parse_ris(struct fetch_input *in, const struct fetch_parse_opts *o,
		    record_sink_fn sink, void *payload)
{
	static const struct tagged_syntax syntax = {
		.format = "RIS",
		.tag_line = tag_line,
		.open = "TY",
		.open_hint = "'TY  - '",
		.close = "ER",
		.close_hint = "'ER  - '",
		.lax_between = 1,
		.tag_hint = "a RIS tag ('XX  - ')",
	};
	struct lsr_record rec;
	struct ris_rec x;
	struct tagged_parser p = { &x, &rec, rr_reset, field, finish, o };
	int rc;

	memset(&x, 0, sizeof(x));
#define INIT(f) buf_init(&x.f, 0);
	RIS_BUFS(INIT)
#undef INIT
	x.r = &rec;
	rc = tagged_read(in, &syntax, &p, sink, payload);
	rr_release(&x);
	return rc;
}
