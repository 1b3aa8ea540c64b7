/*
 * endnote.c - EndNote's tagged export (.enw, .txt; the "refer" layout):
 *
 *     %0 Journal Article
 *     %T How Trust Leads to Commitment on Microsourcing Platforms
 *     %A Guo, Wenbo
 *     %D 2021
 *     %X IS research has extensively examined ...
 *
 * A tag is '%' and one character, then a space.  A line without a tag
 * continues the field above it (a keyword per line in %K, a paragraph in
 * %X).  Records are separated by blank lines; a second %0 also starts a new
 * record.  Text before the first tag rejects the file.
 */
#include "fetch_int.h"
#include "../util/err.h"

#include <ctype.h>
#include <string.h>

/* "%T title", "%X": '%', a tag character, then a space or the end. */
static int tag_line(const char *line, size_t len, char tag[TAGGED_TAG_MAX], const char **value)
{
	if (len < 2 || line[0] != '%' || line[1] == ' ' || line[1] == '\t' ||
	    (len > 2 && line[2] != ' '))
		return 0;
	tag[0] = line[1];
	tag[1] = '\0';
	*value = len > 2 ? line + 3 : line + 2;
	return 1;
}

struct endnote_rec {
	struct lsr_record *r;
	struct buf value;      /* the field being stored */
	struct buf title, short_title, journal, secondary, year, date, accession, label;
};

#define ENDNOTE_BUFS(X) X(value) X(title) X(short_title) X(journal) X(secondary) X(year) \
	X(date) X(accession) X(label)

static void er_reset(void *payload)
{
	struct endnote_rec *x = payload;

#define RESET(f) buf_reset(&x->f);
	ENDNOTE_BUFS(RESET)
#undef RESET
}

static void er_release(struct endnote_rec *x)
{
#define REL(f) buf_release(&x->f);
	ENDNOTE_BUFS(REL)
#undef REL
}

/* Store one field; continuation lines follow a '\n' (a keyword per line
 * in %K, paragraphs in %X). */
static int field(void *payload, const char *tag, const char *text)
{
	struct endnote_rec *x = payload;
	struct lsr_record *r = x->r;
	const char *v;
	struct buf *keep = NULL;

	if (tagged_value(&x->value, text, 0) < 0)
		return LSR_ENOMEM;
	v = x->value.s;
	if (!*v)
		return 0;
	switch (tag[0]) {
	case '0': return r->ref_type.len ? 0 : buf_adds(&r->ref_type, v);
	case 'A': return tagged_add_author(r, v);
	case 'T': keep = &x->title; break;
	case '!': keep = &x->short_title; break;
	case 'J': keep = &x->journal; break;
	case 'B': keep = &x->secondary; break;
	case 'D': keep = &x->year; break;
	case '8': keep = &x->date; break;
	case 'M': keep = &x->accession; break;
	case 'F': keep = &x->label; break;
	case 'V': keep = &r->volume; break;
	case 'N': keep = &r->issue; break;
	case 'P': return r->pages.len ? 0 : tagged_set_page_range(r, v);
	case 'X': return tagged_append(&r->abstract, v);
	case 'R': return tagged_set_doi(r, v);
	case 'U':
		if (!r->doi.len && strstr(v, "doi.org/10."))
			tagged_set_doi(r, v);
		keep = &r->url;
		break;
	case 'K': return strv_split(&r->keywords, v, "\n;");
	case 'G': return strv_push(&r->languages, v);
	case '9': return strv_push_unique(&r->publication_types, v);
	case '@': return tagged_set_issn(r, v);
	default: return 0; /* other tags are kept in the raw text only */
	}
	return keep->len ? 0 : buf_adds(keep, v);
}

static int finish(void *payload)
{
	struct endnote_rec *x = payload;
	struct lsr_record *r = x->r;
	struct buf *title = x->title.len ? &x->title : &x->short_title;
	struct buf *journal = x->journal.len ? &x->journal : &x->secondary;
	struct buf *id = x->accession.len ? &x->accession : &x->label;
	struct buf date = BUF_INIT;
	int rc = 0;

	if (title->len)
		rc = buf_add(&r->title, title->s, title->len);
	if (!rc && journal->len)
		rc = buf_add(&r->journal, journal->s, journal->len);
	if (!rc && id->len)
		rc = buf_add(&r->source_id, id->s, id->len);
	/* %8 "September  1, 2021" refines %D 2021 (a %8 without a year takes it) */
	if (!rc && (x->date.len || x->year.len)) {
		if (buf_printf(&date, "%s %s", x->date.s, x->year.s) < 0)
			rc = LSR_ENOMEM;
		else
			rc = tagged_set_date(r, date.s);
	}
	buf_release(&date);
	return rc;
}

int fetch_parse_endnote(struct fetch_input *in, const struct fetch_parse_opts *o,
			record_sink_fn sink, void *payload)
{
	static const struct tagged_syntax syntax = {
		.format = "EndNote",
		.tag_line = tag_line,
		.open_hint = "an EndNote tag ('%0 ', '%T ', '%A ', ...)",
		.restart = "0",
		.tag_hint = "an EndNote tag",
	};
	struct lsr_record rec;
	struct endnote_rec x;
	struct tagged_parser p = { &x, &rec, er_reset, field, finish, o };
	int rc;

	memset(&x, 0, sizeof(x));
#define INIT(f) buf_init(&x.f, 0);
	ENDNOTE_BUFS(INIT)
#undef INIT
	x.r = &rec;
	rc = tagged_read(in, &syntax, &p, sink, payload);
	er_release(&x);
	return rc;
}
