/*
 * medline.c - PubMed's MEDLINE format (.nbib, "Save > PubMed format"):
 *
 *     PMID- 12230038
 *     TI  - The Bio* toolkits--a brief overview.
 *     AB  - Bioinformatics research is often difficult to do with commercial
 *           software. The Open Source BioPerl, ...
 *     FAU - Mangalam, Harry
 *
 * Tags are up to four characters padded with spaces, then "- "; a line that
 * starts with spaces continues the field above it; a record starts at
 * "PMID- " and ends at a blank line.  ERIC's export in this format has no
 * PMID: its records start at "OWN - ERIC", OID holds the ERIC id (EJ...,
 * ED...), the source id; MH holds ERIC descriptors (keywords, not MeSH).  A line that is neither (text at the
 * start of a line, a tag before the first PMID) rejects the file: it is not
 * MEDLINE, or it was damaged.
 */
#include "fetch_int.h"
#include "../util/err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Is line a MEDLINE tag line ("TI  - x", "PMC - x", "PMID- x", "AB  -")? */
static int tag_line(const char *line, size_t len, char tag[TAGGED_TAG_MAX], const char **value)
{
	size_t n = 0;

	if (len < 5 || !isupper((unsigned char)line[0]) || line[4] != '-' ||
	    (len > 5 && line[5] != ' '))
		return 0;
	while (n < 4 && (isupper((unsigned char)line[n]) || isdigit((unsigned char)line[n])))
		n++;
	for (size_t i = n; i < 4; i++)
		if (line[i] != ' ')
			return 0;
	memcpy(tag, line, n);
	tag[n] = '\0';
	*value = len > 5 ? line + 6 : line + 5;
	return 1;
}

/* MEDLINE comment/correction tags and the names PubMed XML gives them. */
static const char *relation_name(const char *tag)
{
	static const char *const map[][2] = {
		{ "CIN", "CommentIn" }, { "CON", "CommentOn" },
		{ "EIN", "ErratumIn" }, { "EFR", "ErratumFor" },
		{ "RIN", "RetractionIn" }, { "ROF", "RetractionOf" },
		{ "UIN", "UpdateIn" }, { "UOF", "UpdateOf" },
		{ "RPI", "RepublishedIn" }, { "RPF", "RepublishedFrom" },
		{ "CRI", "CorrectedandRepublishedIn" }, { "CRF", "CorrectedandRepublishedFrom" },
		{ "ECI", "ExpressionOfConcernIn" }, { "ECF", "ExpressionOfConcernFor" },
		{ "SPIN", "SummaryForPatientsIn" }, { "ORI", "OriginalReportIn" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], tag))
			return map[i][1];
	return NULL;
}

struct medline_rec {
	struct lsr_record *r;
	int eric;             /* ERIC's MEDLINE-format export */
	struct buf value;     /* the field being stored, lines joined */
	struct strv names;    /* "F<full name>", "A<short name>", "C<collective>" */
	struct buf dp, dep, ta, jt, ab, ti, bti, tt;
};

#define MEDLINE_BUFS(X) X(value) X(dp) X(dep) X(ta) X(jt) X(ab) X(ti) X(bti) X(tt)

static void mr_reset(void *payload)
{
	struct medline_rec *x = payload;

#define RESET(f) buf_reset(&x->f);
	MEDLINE_BUFS(RESET)
#undef RESET
	strv_clear(&x->names);
}

static void mr_release(struct medline_rec *x)
{
#define REL(f) buf_release(&x->f);
	MEDLINE_BUFS(REL)
#undef REL
	strv_release(&x->names);
}

/* "10.1091/mbc.E22-12-0560 [doi]" -> kind "doi"; *len the id's length. */
static const char *id_kind(const char *v, size_t *len)
{
	const char *open = strrchr(v, '[');
	size_t n;

	if (!open || !strchr(open, ']'))
		return NULL;
	n = (size_t)(open - v);
	while (n && v[n - 1] == ' ')
		n--;
	*len = n;
	return open + 1;
}

/* The MeSH descriptor of an MH value, without the major-topic asterisk and
 * the qualifiers: "*Software" -> "Software", "Dog Diseases/genetics" -> "Dog
 * Diseases". */
static int add_mesh(struct lsr_record *r, const char *v)
{
	size_t n;
	char *d;
	int rc;

	while (*v == '*' || *v == ' ')
		v++;
	n = strcspn(v, "/");
	while (n && (v[n - 1] == ' ' || v[n - 1] == '*'))
		n--;
	if (!n)
		return 0;
	d = xstrndup(v, n);
	if (!d)
		return LSR_ENOMEM;
	rc = strv_push_unique(&r->mesh, d);
	free(d);
	return rc;
}

/* "Erratum in: J Foo. 2020;1:2. PMID: 12345" -> "ErratumIn 12345"; a
 * relation without a PMID keeps its name alone. */
static int add_relation(struct lsr_record *r, const char *name, const char *v)
{
	const char *p = strstr(v, "PMID:");
	struct buf b = BUF_INIT;

	if (buf_adds(&b, name) < 0)
		return LSR_ENOMEM;
	if (p) {
		p += 5;
		while (*p == ' ')
			p++;
		if (isdigit((unsigned char)*p) &&
		    (buf_addc(&b, ' ') < 0 || buf_add(&b, p, strspn(p, "0123456789")) < 0)) {
			buf_release(&b);
			return LSR_ENOMEM;
		}
	}
	return strv_push_owned(&r->relations, buf_detach(&b));
}

/* SI "ClinicalTrials.gov/NCT01234567" -> other id nct:NCT01234567. */
static int add_secondary_id(struct lsr_record *r, const char *v)
{
	const char *p = strstr(v, "NCT");
	char id[16];
	size_t n;

	if (strncasecmp(v, "ClinicalTrials.gov", 18) || !p)
		return 0;
	n = strspn(p + 3, "0123456789");
	if (n != 8)
		return 0;
	memcpy(id, p, 11);
	id[11] = '\0';
	return tagged_add_other_id(r, "nct", id);
}

/* Store one field. */
static int field(void *payload, const char *t, const char *text)
{
	struct medline_rec *x = payload;
	struct lsr_record *r = x->r;
	const char *v, *rel, *kind;
	size_t n;

	/* affiliations (one per author) are kept in the raw text only:
	 * not copied to be dropped after the tags below */
	if (t[0] == 'A' && t[1] == 'D' && !t[2])
		return 0;
	/* running text: a wrapped line continues after a space */
	if (tagged_value(&x->value, text, 1) < 0)
		return LSR_ENOMEM;
	v = x->value.s;
	if (!*v)
		return 0;
	if (!strcmp(t, "PMID")) {
		n = strspn(v, "0123456789");
		if (buf_adds(&r->source_id, v) < 0 || buf_add(&r->pmid, v, n) < 0)
			return LSR_ENOMEM;
		return 0;
	}
	if (!strcmp(t, "FAU") || !strcmp(t, "AU") || !strcmp(t, "CN")) {
		struct buf b = BUF_INIT;

		if (buf_addc(&b, t[0]) < 0 ||
		    buf_adds(&b, v) < 0) {
			buf_release(&b);
			return LSR_ENOMEM;
		}
		return strv_push_owned(&x->names, buf_detach(&b));
	}
	if (!strcmp(t, "TI"))
		return tagged_append(&x->ti, v);
	if (!strcmp(t, "BTI"))
		return tagged_append(&x->bti, v);
	if (!strcmp(t, "TT"))
		return tagged_append(&x->tt, v);
	if (!strcmp(t, "AB"))
		return tagged_append(&x->ab, v);
	if (!strcmp(t, "DP"))
		return x->dp.len ? 0 : buf_adds(&x->dp, v);
	if (!strcmp(t, "DEP"))
		return x->dep.len ? 0 : buf_adds(&x->dep, v);
	if (!strcmp(t, "TA"))
		return x->ta.len ? 0 : buf_adds(&x->ta, v);
	if (!strcmp(t, "JT"))
		return x->jt.len ? 0 : buf_adds(&x->jt, v);
	if (!strcmp(t, "VI"))
		return r->volume.len ? 0 : buf_adds(&r->volume, v);
	if (!strcmp(t, "IP"))
		return r->issue.len ? 0 : buf_adds(&r->issue, v);
	if (!strcmp(t, "PG"))
		return r->pages.len ? 0 : buf_adds(&r->pages, v);
	if (!strcmp(t, "LID") || !strcmp(t, "AID")) {
		kind = id_kind(v, &n);
		if (kind && !strncmp(kind, "doi]", 4) && !r->doi.len)
			return buf_add(&r->doi, v, n);
		/* ERIC: "AID - https://doi.org/10.1080/..." */
		if (!kind && x->eric && strstr(v, "doi.org/10."))
			return tagged_set_doi(r, v);
		return 0;
	}
	if (!strcmp(t, "PMC"))
		return r->pmcid.len ? 0 : buf_add(&r->pmcid, v, strcspn(v, " "));
	if (!strcmp(t, "LA"))
		return strv_push(&r->languages, v);
	if (!strcmp(t, "PT"))
		return strv_push_unique(&r->publication_types, v);
	if (!strcmp(t, "MH"))
		return x->eric ? strv_push(&r->keywords, v) : add_mesh(r, v); /* ERIC descriptors */
	if (!strcmp(t, "OID") && x->eric) {
		/* ERIC's accession number: EJ1234567 (journal article), ED (other);
		 * PubMed's OID ("NLM: PMC123") is another thing */
		if (r->source_id.len)
			return 0;
		if (buf_add(&r->source_id, v, strcspn(v, " ")) < 0)
			return LSR_ENOMEM;
		return tagged_add_other_id(r, "eric", r->source_id.s);
	}
	if (!strcmp(t, "OT"))
		return strv_push(&r->keywords, v);
	if (!strcmp(t, "IS")) {
		/* "1467-5463 (Print)": the first ISSN given; ERIC writes
		 * "ISSN-1467-5463", "EISSN-...", "ISBN-978-..." */
		if (!strncmp(v, "ISBN-", 5))
			return tagged_add_isbns(r, v + 5);
		if (!strncmp(v, "ISSN-", 5))
			v += 5;
		else if (!strncmp(v, "EISSN-", 6))
			v += 6;
		return r->issn.len ? 0 : buf_add(&r->issn, v, strcspn(v, " "));
	}
	if (!strcmp(t, "SI"))
		return add_secondary_id(r, v);
	rel = relation_name(t);
	if (rel)
		return add_relation(r, rel, v);
	return 0; /* other tags are kept in the raw text only */
}

/*
 * Is there a section label ("BACKGROUND:", "MATERIALS AND METHODS:") at
 * s?  Returns its length up to and including the colon, else 0.
 */
static size_t section_label(const char *s)
{
	size_t i = 0, upper = 0;

	if (!isupper((unsigned char)s[0]))
		return 0;
	while (s[i] && s[i] != ':' && i < 60) {
		unsigned char c = (unsigned char)s[i];

		if (isupper(c))
			upper++;
		else if (!(c == ' ' || c == '&' || c == '/' || c == '-' || c == ',' ||
			   c == '(' || c == ')' || isdigit(c)))
			return 0;
		i++;
	}
	if (s[i] != ':' || upper < 3 || s[i - 1] == ' ' || (s[i + 1] && s[i + 1] != ' '))
		return 0;
	return i + 1;
}

/*
 * MEDLINE writes a structured abstract as one paragraph, "BACKGROUND: ...
 * METHODS: ...".  Put each labelled section on a line of its own.
 */
static int abstract_sections(struct buf *out, const char *s)
{
	size_t run = 0; /* s[run..i) is still to be copied */
	size_t i;

	for (i = 0; s[i]; i++) {
		if (i >= 2 && s[i - 1] == ' ' && section_label(s + i)) {
			size_t j = i - 1;

			while (j > 0 && s[j] == ' ')
				j--;
			if (strchr(".?!)\"", s[j])) {
				size_t n;

				if (buf_add(out, s + run, i - run) < 0)
					return LSR_ENOMEM;
				run = i;
				n = out->len;
				while (n && out->s[n - 1] == ' ')
					n--;
				buf_setlen(out, n);
				if (buf_addc(out, '\n') < 0)
					return LSR_ENOMEM;
			}
		}
	}
	return buf_add(out, s + run, i - run) < 0 ? LSR_ENOMEM : 0;
}

static int finish(void *payload)
{
	struct medline_rec *x = payload;
	struct lsr_record *r = x->r;
	struct buf *title = x->ti.len ? &x->ti : x->bti.len ? &x->bti : &x->tt;
	int full = 0, rc = 0;

	for (size_t i = 0; i < x->names.n; i++)
		if (x->names.v[i][0] == 'F')
			full = 1;
	/* FAU ("Surname, Forename") where given, AU otherwise; CN in place */
	for (size_t i = 0; !rc && i < x->names.n; i++) {
		char k = x->names.v[i][0];

		if (k == 'C' || k == (full ? 'F' : 'A'))
			rc = tagged_add_author(r, x->names.v[i] + 1);
	}
	if (!rc && title->len)
		rc = buf_add(&r->title, title->s, title->len);
	if (!rc && x->ab.len)
		rc = abstract_sections(&r->abstract, x->ab.s);
	if (!rc && (x->dp.len || x->dep.len))
		rc = tagged_set_date(r, x->dp.len ? x->dp.s : x->dep.s);
	if (!rc && !r->year && x->dep.len)
		rc = tagged_set_date(r, x->dep.s);
	if (!rc && (x->jt.len || x->ta.len))
		rc = buf_adds(&r->journal, x->jt.len ? x->jt.s : x->ta.s);
	if (!rc && x->ta.len && x->jt.len)
		rc = buf_adds(&r->journal_abbrev, x->ta.s);
	return rc;
}

/* Does the file begin (after blank lines) with ERIC's "OWN - ERIC"? */
static int eric_file(struct fetch_input *in)
{
	const char *data, *end;
	size_t len;

	if (input_peek(in, &data, &len) < 0)
		return 0;
	end = data + len;
	while (data < end && strchr(" \t\r\n", *data))
		data++;
	return end - data >= 10 && !memcmp(data, "OWN - ERIC", 10);
}

int fetch_parse_medline(struct fetch_input *in, const struct fetch_parse_opts *o,
			record_sink_fn sink, void *payload)
{
	static const struct tagged_syntax pubmed = {
		.format = "MEDLINE",
		.tag_line = tag_line,
		.open = "PMID",
		.open_hint = "'PMID- '",
		.restart = "PMID",
		.indented = 1,
		.tag_hint = "a MEDLINE tag ('XXXX- ')",
	};
	/* ERIC's records have no PMID: they open at OWN */
	static const struct tagged_syntax eric = {
		.format = "MEDLINE (ERIC)",
		.tag_line = tag_line,
		.open = "OWN",
		.open_hint = "'OWN - '",
		.restart = "OWN",
		.indented = 1,
		.tag_hint = "a MEDLINE tag ('XXXX- ')",
	};
	struct lsr_record rec;
	struct medline_rec x;
	struct tagged_parser p = { &x, &rec, mr_reset, field, finish, o };
	int rc;

	memset(&x, 0, sizeof(x));
#define INIT(f) buf_init(&x.f, 0);
	MEDLINE_BUFS(INIT)
#undef INIT
	x.r = &rec;
	x.eric = eric_file(in);
	rc = tagged_read(in, x.eric ? &eric : &pubmed, &p, sink, payload);
	mr_release(&x);
	return rc;
}
