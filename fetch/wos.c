/*
 * wos.c - Web of Science "plain text" (tagged) exports, .txt or .ciw, as
 * the Core Collection, Zoological Record and the other WoS databases write
 * them:
 *
 *     FN Clarivate Analytics Web of Science
 *     VR 1.0
 *     PT J
 *     AU Li, W
 *        Dou, ZG
 *     TI Soil fauna diversity at different stages of reed restoration in a
 *        lakeshore wetland at Lake Taihu, China
 *     ...
 *     ER
 *
 *     EF
 *
 * Tags are two characters and a space; a line indented by three spaces
 * continues the field above (one author, address or cited reference per
 * line in list fields, running text elsewhere).  A record runs from "PT" to
 * "ER"; FN, VR and EF frame the file.  A record left open at the next PT or
 * at the end of the file, or a line that is neither a tag nor a
 * continuation, rejects the file.
 *
 * The tab-delimited export ("Tab-delimited (Win/Mac), UTF-8" or UTF-16;
 * format wos-tsv) holds the same fields: a header row of the same tags,
 * "PT AU BA BE GP AF ...", then one row per record, cells without quotes,
 * lists ("Li, W; Dou, ZG") separated by "; ".  Older versions end every
 * row with a tab.  Its rows go through the same field() and finish() as
 * tagged records, so both give the same record: year from PY (DA is the
 * export's date), pages from BP-EP (PG is the page count), source id UT.
 */
#include "fetch_int.h"
#include "../util/err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "AU Li, W", "ER", "EF": two capitals or digits, then a space or the end. */
static int tag_line(const char *line, size_t len, char tag[TAGGED_TAG_MAX], const char **value)
{
	if (len < 2 || !isupper((unsigned char)line[0]) ||
	    !(isupper((unsigned char)line[1]) || isdigit((unsigned char)line[1])))
		return 0;
	if (len > 2 && line[2] != ' ')
		return 0;
	tag[0] = line[0];
	tag[1] = line[1];
	tag[2] = '\0';
	*value = len > 2 ? line + 3 : line + 2;
	return 1;
}

struct wos_rec {
	struct lsr_record *r;
	struct buf value;        /* the field being stored, lines joined */
	struct strv au, af, ca;  /* authors, full names, group authors */
	struct buf py, pd, ea, bp, ep, ar, ps, ut, an, sn, ei, ji, j9, pm, ti, so, se;
};

#define WOS_BUFS(X) X(value) X(py) X(pd) X(ea) X(bp) X(ep) X(ar) X(ps) X(ut) X(an) X(sn) \
	X(ei) X(ji) X(j9) X(pm) X(ti) X(so) X(se)

static void wr_reset(void *payload)
{
	struct wos_rec *x = payload;

#define RESET(f) buf_reset(&x->f);
	WOS_BUFS(RESET)
#undef RESET
	strv_clear(&x->au);
	strv_clear(&x->af);
	strv_clear(&x->ca);
}

static void wr_release(struct wos_rec *x)
{
#define REL(f) buf_release(&x->f);
	WOS_BUFS(REL)
#undef REL
	strv_release(&x->au);
	strv_release(&x->af);
	strv_release(&x->ca);
}

/* A list field, one value per line: authors ("Stillman, Andrew N.
 * (andrew.stillman@uconn.edu)" in Zoological Record loses the address). */
static int add_list(struct strv *sv, const char *v)
{
	while (*v) {
		size_t n = strcspn(v, "\n"), len = n;
		const char *paren = memchr(v, '(', n), *at = memchr(v, '@', n);

		if (paren && at > paren)
			len = (size_t)(paren - v);
		while (len && v[len - 1] == ' ')
			len--;
		if (len && strv_pushn(sv, v, len) < 0)
			return LSR_ENOMEM;
		v += n;
		if (*v)
			v++;
	}
	return 0;
}

/* "A; B; C" into sv. */
static int add_split(struct strv *sv, const char *v)
{
	return strv_split(sv, v, ";");
}

/* Store one field. */
static int field(void *payload, const char *t, const char *text)
{
	struct wos_rec *x = payload;
	struct lsr_record *r = x->r;
	const char *v;
	static const struct { const char *tag; size_t off; } simple[] = {
#define M(t, f) { t, offsetof(struct wos_rec, f) }
		M("PY", py), M("PD", pd), M("EA", ea), M("BP", bp), M("EP", ep), M("AR", ar), M("PS", ps),
		M("UT", ut), M("AN", an), M("SN", sn), M("EI", ei), M("JI", ji),
		M("J9", j9), M("PM", pm), M("TI", ti), M("SO", so), M("SE", se),
#undef M
	};

	if (!strcmp(t, "AU"))
		return add_list(&x->au, text);
	if (!strcmp(t, "AF"))
		return add_list(&x->af, text);
	if (!strcmp(t, "CA"))
		return add_list(&x->ca, text);
	/* running text: a wrapped line continues after a space */
	if (tagged_value(&x->value, text, 1) < 0)
		return LSR_ENOMEM;
	v = x->value.s;
	if (!*v)
		return 0;
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (!strcmp(simple[i].tag, t)) {
			struct buf *b = (struct buf *)((char *)x + simple[i].off);

			return b->len ? 0 : buf_adds(b, v);
		}
	if (!strcmp(t, "PT"))
		return buf_adds(&r->ref_type, v);
	if (!strcmp(t, "AB"))
		return tagged_append(&r->abstract, v);
	if (!strcmp(t, "VL"))
		return r->volume.len ? 0 : buf_adds(&r->volume, v);
	if (!strcmp(t, "IS"))
		return r->issue.len ? 0 : buf_adds(&r->issue, v);
	if (!strcmp(t, "DI") || !strcmp(t, "D2"))
		return tagged_set_doi(r, v);
	if (!strcmp(t, "LA"))
		return add_split(&r->languages, v);
	if (!strcmp(t, "DT"))
		return add_split(&r->publication_types, v);
	if (!strcmp(t, "DE") || !strcmp(t, "ID"))
		return add_split(&r->keywords, v);
	return 0; /* other tags are kept in the raw text only */
}

static int finish(void *payload)
{
	struct wos_rec *x = payload;
	struct lsr_record *r = x->r;
	struct strv *names = x->af.n ? &x->af : &x->au;
	struct buf date = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; !rc && i < names->n; i++)
		rc = tagged_add_author(r, names->v[i]);
	for (size_t i = 0; !rc && i < x->ca.n; i++)
		rc = tagged_add_author(r, x->ca.v[i]);
	if (!rc && x->ti.len)
		rc = buf_add(&r->title, x->ti.s, x->ti.len);
	if (!rc && (x->so.len || x->se.len))
		rc = buf_adds(&r->journal, x->so.len ? x->so.s : x->se.s);
	if (!rc && (x->ji.len || x->j9.len))
		rc = buf_adds(&r->journal_abbrev, x->ji.len ? x->ji.s : x->j9.s);
	/* PY 2020 + PD "DEC 16" (or "DEC 16 2020", "SPR", "2019") */
	if (!rc && (x->py.len || x->pd.len)) {
		if (buf_printf(&date, "%s %s", x->py.s, x->pd.s) < 0)
			rc = LSR_ENOMEM;
		else
			rc = tagged_set_date(r, date.s);
	}
	/* an early-access article has no PY yet: EA "NOV 2023" */
	if (!rc && !x->py.len && x->ea.len)
		rc = tagged_set_date(r, x->ea.s);
	if (!rc && (x->bp.len || x->ep.len))
		rc = tagged_set_pages(r, x->bp.s, x->ep.s);
	else if (!rc && x->ar.len) /* an article number; "UNSP" marks an unspecified one */
		rc = buf_adds(&r->pages, strncmp(x->ar.s, "UNSP ", 5) ? x->ar.s : x->ar.s + 5);
	else if (!rc && x->ps.len) /* Zoological Record's page span */
		rc = buf_adds(&r->pages, x->ps.s);
	if (!rc && (x->sn.len || x->ei.len))
		rc = buf_adds(&r->issn, x->sn.len ? x->sn.s : x->ei.s);
	if (!rc && x->pm.len)
		rc = buf_adds(&r->pmid, x->pm.s);
	/* UT "WOS:000451003100006", "MEDLINE:31851837", "ZOOREC:ZOOR15512090342" */
	if (!rc && (x->ut.len || x->an.len)) {
		const char *id = x->ut.len ? x->ut.s : x->an.s, *colon = strchr(id, ':');

		rc = buf_adds(&r->source_id, id);
		if (!rc && colon && !strncasecmp(id, "WOS:", 4))
			rc = tagged_add_other_id(r, "wos", colon + 1);
		else if (!rc && colon && !strncasecmp(id, "MEDLINE:", 8) && !r->pmid.len)
			rc = buf_adds(&r->pmid, colon + 1);
		else if (!rc && colon && !strncasecmp(id, "ZOOREC:", 7))
			rc = tagged_add_other_id(r, "zoorec", colon + 1);
	}
	buf_release(&date);
	return rc;
}

int fetch_parse_wos(struct fetch_input *in, const struct fetch_parse_opts *o,
		    record_sink_fn sink, void *payload)
{
	static const struct tagged_syntax syntax = {
		.format = "Web of Science",
		.tag_line = tag_line,
		.open = "PT",
		.open_hint = "'PT '",
		.close = "ER",
		.close_hint = "'ER'",
		.frame = "FN VR EF",
		.indented = 1,
		.tag_hint = "a Web of Science tag ('XX ')",
	};
	struct lsr_record rec;
	struct wos_rec x;
	struct tagged_parser p = { &x, &rec, wr_reset, field, finish, o };
	int rc;

	memset(&x, 0, sizeof(x));
#define INIT(f) buf_init(&x.f, 0);
	WOS_BUFS(INIT)
#undef INIT
	x.r = &rec;
	rc = tagged_read(in, &syntax, &p, sink, payload);
	wr_release(&x);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The tab-delimited export                                            */

/* Split line at tabs into cells (line is changed). */
static int split_tabs(struct fetch_input *in, char *line, struct strv *cells)
{
	strv_clear(cells);
	for (;;) {
		char *tab = strchr(line, '\t');
		int rc;

		if (tab)
			*tab = '\0';
		if ((rc = input_limit(in, FETCH_LIMIT_CELLS, in->lineno, cells->n + 1)) < 0)
			return rc;
		if (strv_push(cells, line) < 0)
			return LSR_ENOMEM;
		if (!tab)
			return 0;
		line = tab + 1;
	}
}

/* The list tags: "A; B; C" in a cell, one per line in the tagged export. */
static int list_tag(const char *tag)
{
	return !strcmp(tag, "AU") || !strcmp(tag, "AF") || !strcmp(tag, "CA");
}

int fetch_parse_wos_tsv(struct fetch_input *in, const struct fetch_parse_opts *o,
			record_sink_fn sink, void *payload)
{
	struct lsr_record rec;
	struct wos_rec x;
	struct strv header = STRV_INIT, cells = STRV_INIT;
	struct buf text = BUF_INIT, line = BUF_INIT;
	size_t ncols = 0;
	int rc;

	memset(&x, 0, sizeof(x));
#define INIT(f) buf_init(&x.f, 0);
	WOS_BUFS(INIT)
#undef INIT
	x.r = &rec;
	record_init(&rec);
	while ((rc = input_getline(in)) > 0) {
		size_t n;

		if (in->line.s[strspn(in->line.s, " \t")] == '\0')
			continue;
		buf_reset(&line);
		if ((rc = buf_add(&line, in->line.s, in->line.len)) < 0 ||
		    (rc = split_tabs(in, line.s, &cells)) < 0)
			goto out;
		n = cells.n;
		while (n > 0 && !*cells.v[n - 1])
			n--; /* the trailing tab of older exports */
		if (!ncols) {
			for (size_t i = 0; i < n; i++) {
				char *t = cells.v[i];

				t[strcspn(t, " ")] = '\0';
				if ((rc = strv_push(&header, t)) < 0)
					goto out;
			}
			ncols = n;
			if (ncols < 2 || strcmp(header.v[0], "PT")) {
				rc = lsr_error_set(LSR_EPARSE,
						   "%s:%llu: expected a header of Web of Science field tags ('PT', 'AU', ...) separated by tabs",
						   in->name, (unsigned long long)in->lineno);
				goto out;
			}
			continue;
		}
		if (n > ncols) {
			rc = lsr_error_set(LSR_EPARSE,
					   "%s:%llu: expected at most %zu cells, as in the header, but the row has %zu",
					   in->name, (unsigned long long)in->lineno, ncols, n);
			if ((rc = fetch_skip(o, in->lineno, rc)) < 0)
				goto out;
			continue;
		}
		record_reset(&rec);
		wr_reset(&x);
		rec.line = in->lineno;
		rec.offset = in->line_offset;
		for (size_t i = 0; i < n; i++) {
			const char *v = cells.v[i];

			while (*v == ' ')
				v++;
			if (!*v || !*header.v[i])
				continue;
			if ((rc = input_limit(in, FETCH_LIMIT_FIELD, in->lineno, strlen(v))) < 0)
				goto out;
			buf_reset(&text);
			if (list_tag(header.v[i])) {
				/* "Li, W; Dou, ZG" -> one name a line */
				for (const char *p = v; *p; p++) {
					if (*p == ';') {
						rc = buf_addc(&text, '\n');
						while (p[1] == ' ')
							p++;
					} else {
						rc = buf_addc(&text, *p);
					}
					if (rc < 0)
						goto out;
				}
			} else if ((rc = buf_adds(&text, v)) < 0) {
				goto out;
			}
			if ((rc = field(&x, header.v[i], text.s)) < 0)
				goto out;
		}
		if ((rc = finish(&x)) < 0)
			goto out;
		rec.raw = in->raw.s;
		rec.raw_len = in->raw.len;
		if ((rc = sink(&rec, payload)) < 0)
			goto out;
	}
	if (rc < 0)
		goto out;
	if (!ncols) {
		rc = lsr_error_set(LSR_EPARSE, "%s:1: expected a header of Web of Science field tags ('PT', 'AU', ...) separated by tabs",
				   in->name);
		goto out;
	}
	rc = 0;
out:
	record_release(&rec);
	wr_release(&x);
	strv_release(&header);
	strv_release(&cells);
	buf_release(&text);
	buf_release(&line);
	return rc;
}
