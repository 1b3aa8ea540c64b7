/*
 * xmlrec.c - a safe, streaming libxml2 SAX2 parser over a fetch_input, with
 * the exact bytes of each top-level record (see xmlrec.h).
 *
 * libxml2's own byte counters are not exact (it reads ahead and converts),
 * so the record boundaries are found here, in the bytes pushed to libxml2
 * (scanned before they are pushed): a small scanner looks for the start and end tags of
 * the record elements, skipping comments, CDATA sections and processing
 * instructions, and queues each complete record as (offset, end, line).
 * Records never nest in the formats read here, but a nested element of
 * the same name is counted so that the scanner and the parser agree.  The
 * scanner only waits for more bytes at a '<' whose construct is still
 * incomplete, so by the time libxml2 has parsed a record's end tag the
 * scanner has queued the record: xmlrec_take() never waits.
 *
 * Safety: XML_PARSE_NONET, and none of XML_PARSE_NOENT, DTDLOAD, DTDATTR,
 * DTDVALID or XINCLUDE, so libxml2 neither fetches the DTD nor expands
 * an external entity; an entity loader that refuses everything is
 * installed while a file is read, as a second lock.  A DOCTYPE that
 * declares entities rejects the file (lsr never reads custom entities).
 */
#include "xmlrec.h"
#include "../util/array.h"
#include "../util/err.h"
#include "../util/text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/entities.h>
#include <libxml/globals.h>
#include <libxml/hash.h>
#include <libxml/SAX2.h>
#include <libxml/encoding.h>
#include <libxml/parserInternals.h>
#include <utf8proc.h>

#define XMLREC_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | \
			XML_PARSE_BIG_LINES)

enum { S_TEXT, S_COMMENT, S_CDATA, S_PI };

static void lines_to(struct xmlrec *x, uint64_t off);

/* Memory for record trees: blocks of this size (see tree_alloc). */
#define XMLREC_BLOCK ((size_t)16 * 1024)

struct xmlrec_block {
	struct xmlrec_block *next;
	size_t used, size;
	max_align_t data[];
};

/* ------------------------------------------------------------------ */
/* errors                                                              */

static void copy_str(char *dst, size_t n, const char *s)
{
	size_t len;

	if (!s)
		s = "";
	snprintf(dst, n, "%s", s);
	len = strlen(dst);
	while (len && (dst[len - 1] == '\n' || dst[len - 1] == ' '))
		dst[--len] = '\0';
}

/* libxml2's structured error callback: keep the first real error. */
static void on_error(void *ctx, xmlErrorPtr e)
{
	struct xmlrec *x = ctx;

	if (!x || !e || e->level < XML_ERR_ERROR || x->err_set)
		return;
	if (e->domain == XML_FROM_NAMESPACE)
		return; /* an undeclared prefix: the text is still read */
	x->err_set = 1;
	x->err_ev = x->evlen; /* the events before it are told first */
	x->err_code = e->code;
	x->err_domain = e->domain;
	x->err_line = e->line;
	x->err_int1 = e->int1;
	if (e->domain == XML_FROM_PARSER && e->ctxt) {
		xmlParserCtxtPtr ctxt = e->ctxt;
		const xmlChar *cur = ctxt->input ? ctxt->input->cur : NULL;
		const xmlChar *end = ctxt->input ? ctxt->input->end : NULL;

		while (cur && cur < end && (*cur == ' ' || *cur == '\t' || *cur == '\r' || *cur == '\n'))
			cur++;
		x->err_at_end = x->eof && cur == end;
		x->err_open = ctxt->nameNr;
		x->err_epilog = ctxt->instate == XML_PARSER_EPILOG;
		copy_str(x->err_inner, sizeof(x->err_inner), (const char *)ctxt->name);
	}
	copy_str(x->err_msg, sizeof(x->err_msg), e->message);
	copy_str(x->err_str1, sizeof(x->err_str1), e->str1);
	copy_str(x->err_str2, sizeof(x->err_str2), e->str2);
}

int xmlrec_fail(struct xmlrec *x, uint64_t line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return lsr_error_set(LSR_EPARSE, "%s:%llu: %s", x->in->name,
			     (unsigned long long)(line ? line : 1), msg);
}

/* The parser failed: say where and what was expected. */
static int parse_error(struct xmlrec *x)
{
	uint64_t line;

	if (x->io_rc)
		return x->io_rc;
	/* libxml2 ran out of memory: not the file's fault */
	if (x->err_set && (x->err_code == XML_ERR_NO_MEMORY || x->err_domain == XML_FROM_MEMORY))
		return lsr_error_oom();
	if (!x->err_set)
		return xmlrec_fail(x, x->ctxt && x->ctxt->input && x->ctxt->input->line > 0 ?
				   (uint64_t)x->ctxt->input->line : 0, "malformed XML");
	if (x->line_at < x->scan)
		lines_to(x, x->scan);
	line = x->err_line > 0 ? (uint64_t)x->err_line : x->line;
	/* libxml2 says "Extra content at the end of the document" when the
	 * input ends with elements open */
	if (x->eof && x->err_code == XML_ERR_DOCUMENT_END && !x->err_epilog)
		x->err_at_end = 1;
	if (x->err_at_end && x->err_open == 0 && !x->err_epilog)
		return xmlrec_fail(x, line, "unexpected end of file: expected the root element");
	if (x->err_at_end && x->err_open > 0) {
		/* the file ends inside an element: it is truncated */
		if (x->open)
			return xmlrec_fail(x, line,
					   "unexpected end of file: expected </%s> (the <%s> of line %llu is not complete)",
					   x->err_inner, x->names[x->open - 1],
					   (unsigned long long)x->cur.line);
		return xmlrec_fail(x, line, "unexpected end of file: expected </%s>", x->err_inner);
	}
	switch (x->err_code) {
	case XML_ERR_TAG_NOT_FINISHED:
		return xmlrec_fail(x, line,
				   "unexpected end of file: expected </%s> to close the <%s> of line %d",
				   x->err_str1, x->err_str1, x->err_int1);
	case XML_ERR_TAG_NAME_MISMATCH:
		return xmlrec_fail(x, line, "expected </%s> to close the <%s> of line %d, found </%s>",
				   x->err_str1, x->err_str1, x->err_int1, x->err_str2);
	case XML_ERR_DOCUMENT_EMPTY:
		return xmlrec_fail(x, line, "expected an XML document, found no element");
	case XML_ERR_DOCUMENT_END:
		return xmlrec_fail(x, line,
				   "expected the end of the file after the root element, found more content");
	default:
		return xmlrec_fail(x, line, "malformed XML: %s", x->err_msg);
	}
}

/* Refuse every external entity, DTD or XInclude: nothing leaves the file. */
static xmlParserInputPtr no_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* the record scanner                                                  */

/* Bring x->line up to stream offset off (in the window): lines are
 * counted only where a record starts, not at every tag. */
static void lines_to(struct xmlrec *x, uint64_t off)
{
	const unsigned char *p = x->win + (x->line_at - x->winbase);
	const unsigned char *q = x->win + (off - x->winbase);
	uint64_t n = 0;

	/* a plain count (vectorised), not memchr per line: pretty-printed
	 * records have a line per element */
	for (; p < q; p++)
		n += *p == '\n';
	x->line += n;
	x->line_at = off;
}
/* Does p[0..avail) start with lit?  1 yes, 0 no, -1 cannot tell yet. */
static int match(const unsigned char *p, size_t avail, const char *lit, size_t n)
{
	if (avail >= n)
		return memcmp(p, lit, n) == 0;
	return memcmp(p, lit, avail) == 0 ? -1 : 0;
}

static int name_delim(unsigned char c)
{
	return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Is the element name at p name?  1, 0, or -1 (cannot tell yet). */
static int match_name(const unsigned char *p, size_t avail, const char *name)
{
	size_t n = strlen(name);
	int m = match(p, avail, name, n);

	if (m != 1)
		return m;
	if (avail == n)
		return -1;
	return name_delim(p[n]);
}

/* The '>' ending the tag that starts at p, quotes respected; NULL if not
 * there yet. */
static const unsigned char *tag_end(const unsigned char *p, const unsigned char *end)
{
	unsigned char quote = 0;

	for (; p < end; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '>') {
			return p;
		}
	}
	return NULL;
}

static int queue_push(struct xmlrec *x, const struct xmlrec_slice *s)
{
	if (x->qhead == x->qlen) {
		x->qhead = 0;
		x->qlen = 0;
	}
	if (x->qlen == x->qcap) {
		if (x->qhead > 0) {
			memmove(x->q, x->q + x->qhead, (x->qlen - x->qhead) * sizeof(*x->q));
			x->qlen -= x->qhead;
			x->qhead = 0;
		} else if (ARRAY_GROW(x->q, x->qlen, x->qcap, 16) < 0) {
			return LSR_ENOMEM;
		}
	}
	x->q[x->qlen++] = *s;
	return 0;
}

/*
 * Look at the tag starting at p ('<'), avail bytes on.  Returns 1 with
 * *adv the bytes to skip, 0 when more bytes are needed to tell, negative
 * on error.
 */
static int scan_tag(struct xmlrec *x, const unsigned char *p, const unsigned char *end,
		    size_t *adv)
{
	size_t avail = (size_t)(end - p);
	uint64_t at = x->winbase + (uint64_t)(p - x->win);
	const unsigned char *q;
	int m, found = 0;

	*adv = 1;
	if (avail < 2)
		return 0;
	if (p[1] == '!') {
		if ((m = match(p, avail, "<!--", 4)) != 0) {
			if (m < 0)
				return 0;
			x->state = S_COMMENT;
			*adv = 4;
			return 1;
		}
		if ((m = match(p, avail, "<![CDATA[", 9)) != 0) {
			if (m < 0)
				return 0;
			x->state = S_CDATA;
			*adv = 9;
			return 1;
		}
		if ((m = match(p, avail, "<!DOCTYPE", 9)) != 0) {
			if (m < 0)
				return 0;
			if (!x->doctype_line) {
				lines_to(x, at);
				x->doctype_line = x->line;
			}
			*adv = 9;
			return 1;
		}
		*adv = 2;
		return 1;
	}
	if (p[1] == '?') {
		x->state = S_PI;
		*adv = 2;
		return 1;
	}
	if (p[1] == '/') {
		const char *name;

		*adv = 2;
		if (!x->open)
			return 1;
		name = x->names[x->open - 1];
		m = match_name(p + 2, avail - 2, name);
		if (m < 0)
			return 0;
		if (m == 0)
			return 1;
		q = memchr(p + 2, '>', avail - 2);
		if (!q)
			return 0;
		*adv = (size_t)(q + 1 - p);
		if (--x->open_depth == 0) {
			x->cur.end = at + *adv;
			x->open = 0;
			return queue_push(x, &x->cur) < 0 ? LSR_ENOMEM : 1;
		}
		return 1;
	}
	for (int i = 0; x->names[i]; i++) {
		if (p[1] != (unsigned char)x->names[i][0])
			continue; /* most tags: not a record's */
		m = match_name(p + 1, avail - 1, x->names[i]);
		if (m < 0)
			return 0;
		if (m == 1) {
			found = i + 1;
			break;
		}
	}
	if (!found || (x->open && x->open != found))
		return 1; /* another element, or another record name inside a record */
	q = tag_end(p, end);
	if (!q)
		return 0;
	*adv = (size_t)(q + 1 - p);
	if (x->open) {
		if (q[-1] != '/')
			x->open_depth++;
		return 1;
	}
	x->cur.start = at;
	lines_to(x, at);
	x->cur.line = x->line;
	if (q[-1] == '/') { /* <record/> */
		x->cur.end = at + *adv;
		return queue_push(x, &x->cur) < 0 ? LSR_ENOMEM : 1;
	}
	x->open = found;
	x->open_depth = 1;
	return 1;
}

/* The text from x->mark to stream offset at (in the window) is one text
 * node, tag, comment or CDATA section: refuse it past FETCH_LIMIT_TEXT. */
static int text_limit(struct xmlrec *x, uint64_t at)
{
	if (at - x->mark <= FETCH_FIELD_MAX)
		return 0;
	lines_to(x, at);
	return input_limit(x->in, FETCH_LIMIT_TEXT, x->line, at - x->mark);
}

/* Scan the window from x->scan as far as its bytes allow. */
static int scan(struct xmlrec *x)
{
	static const char *const closer[] = { NULL, "-->", "]]>", "?>" };
	const unsigned char *p, *end;
	int rc = 0;

	if (!x->win)
		return 0; /* nothing read (an empty input): no window yet */
	p = x->win + (x->scan - x->winbase);
	end = x->win + x->winlen;

	while (p < end) {
		const unsigned char *q;
		size_t adv;

		if (x->state != S_TEXT) {
			const char *c = closer[x->state];
			size_t cl = strlen(c);

			q = memmem(p, (size_t)(end - p), c, cl);
			if (!q) {
				/* keep a possible partial closer for the next bytes */
				p = (size_t)(end - p) > cl - 1 ? end - (cl - 1) : p;
				rc = text_limit(x, x->winbase + (uint64_t)(p - x->win));
				break;
			}
			p = q + cl;
			if ((rc = text_limit(x, x->winbase + (uint64_t)(p - x->win))) < 0)
				break;
			x->mark = x->winbase + (uint64_t)(p - x->win);
			x->state = S_TEXT;
			continue;
		}
		q = memchr(p, '<', (size_t)(end - p));
		if (!q) {
			p = end;
			rc = text_limit(x, x->winbase + (uint64_t)(p - x->win));
			break;
		}
		p = q;
		if ((rc = text_limit(x, x->winbase + (uint64_t)(p - x->win))) < 0)
			break;
		x->mark = x->winbase + (uint64_t)(p - x->win);
		rc = scan_tag(x, p, end, &adv);
		if (rc < 0)
			break;
		if (rc == 0) {
			if (!x->eof)
				break;
			adv = 1; /* the file ends inside a tag: libxml2 will say so */
		}
		rc = 0;
		p += adv;
	}
	x->scan = x->winbase + (uint64_t)(p - x->win);
	return rc;
}

/* Bytes read from the input at a time, scanned and pushed to libxml2. */
#define XMLREC_CHUNK ((size_t)64 * 1024)

/*
 * Read the next bytes of the input into the window, scan them and push
 * them to libxml2 (whose callbacks queue events).  At the end of the
 * input, tell libxml2 so.  Negative on an input error or a limit (also
 * kept in x->io_rc).
 */
static int feed(struct xmlrec *x)
{
	uint64_t off;
	long n;
	int rc;

	if (x->started) {
		/* drop what no record needs any more */
		uint64_t keep = x->scan;
		size_t drop;

		if (x->open && x->cur.start < keep)
			keep = x->cur.start;
		if (x->qhead < x->qlen && x->q[x->qhead].start < keep)
			keep = x->q[x->qhead].start;
		drop = (size_t)(keep - x->winbase);
		if (drop && (drop >= x->winlen / 2 || x->winlen + XMLREC_CHUNK > x->wincap)) {
			if (x->line_at < keep)
				lines_to(x, keep);
			memmove(x->win, x->win + drop, x->winlen - drop);
			x->winlen -= drop;
			x->winbase = keep;
		}
	}
	if (x->winlen + XMLREC_CHUNK > x->wincap) {
		size_t ncap = x->wincap ? x->wincap * 2 : 2 * XMLREC_CHUNK;
		unsigned char *nw;

		while (ncap < x->winlen + XMLREC_CHUNK)
			ncap *= 2;
		nw = realloc(x->win, ncap);
		if (!nw)
			return x->io_rc = lsr_error_oom();
		x->win = nw;
		x->wincap = ncap;
	}
	n = input_read(x->in, x->win + x->winlen, XMLREC_CHUNK);
	if (n < 0)
		return x->io_rc = (int)n;
	if (n == 0) {
		x->eof = 1;
		x->done = 1;
		if ((rc = scan(x)) < 0)
			return x->io_rc = rc;
		xmlParseChunk(x->ctxt, NULL, 0, 1);
		return 0;
	}
	off = input_offset(x->in) - (uint64_t)n;
	if (!x->started) {
		x->started = 1;
		x->winbase = off;
		x->scan = off;
		x->line_at = off;
		x->mark = off;
	}
	if (off != x->winbase + x->winlen)
		BUG("xmlrec: input offset %llu, window ends at %llu",
		    (unsigned long long)off, (unsigned long long)(x->winbase + x->winlen));
	x->winlen += (size_t)n;
	if ((rc = scan(x)) < 0)
		return x->io_rc = rc;
	/* the open record past the limit (a queued one is complete: the
	 * record before it in the queue was checked while it was open) */
	if (x->open && (rc = input_limit(x->in, FETCH_LIMIT_RECORD, x->cur.line,
					 x->winbase + x->winlen - x->cur.start)) < 0)
		return x->io_rc = rc;
	if (xmlParseChunk(x->ctxt, (const char *)x->win + x->winlen - (size_t)n, (int)n, 0) ==
	    XML_ERR_NO_MEMORY)
		return x->io_rc = lsr_error_oom();
	return 0;
}

/* ------------------------------------------------------------------ */
/* record trees                                                         */

/* Give a tree's blocks back for the next trees (one of odd size is freed). */
static void blocks_release(struct xmlrec *x, struct xmlrec_block *b)
{
	while (b) {
		struct xmlrec_block *next = b->next;

		if (b->size == XMLREC_BLOCK) {
			b->next = x->spare;
			x->spare = b;
		} else {
			free(b);
		}
		b = next;
	}
}

static void blocks_free(struct xmlrec_block *b)
{
	while (b) {
		struct xmlrec_block *next = b->next;

		free(b);
		b = next;
	}
}

/* n bytes for the open tree, which keep still until its blocks are
 * released; NULL out of memory. */
static void *tree_alloc(struct xmlrec *x, size_t n)
{
	struct xmlrec_block *b = x->blocks;
	void *p;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!b || b->used + n > b->size) {
		if (n <= XMLREC_BLOCK && x->spare) {
			b = x->spare; /* a block of an earlier record */
			x->spare = b->next;
		} else {
			size_t size = n > XMLREC_BLOCK ? n : XMLREC_BLOCK;

			b = malloc(sizeof(*b) + size);
			if (!b)
				return NULL;
			b->size = size;
		}
		b->used = 0;
		b->next = x->blocks;
		x->blocks = b;
	}
	p = (unsigned char *)b->data + b->used;
	b->used += n;
	return p;
}

/* n bytes of s as a string in the tree's memory */
static char *tree_strndup(struct xmlrec *x, const void *s, size_t n)
{
	char *p = tree_alloc(x, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static struct xmlrec_node *tree_node(struct xmlrec *x, struct xmlrec_node *parent, int type)
{
	struct xmlrec_node *n = tree_alloc(x, sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->parent = parent;
	if (parent) {
		if (parent->last)
			parent->last->next = n;
		else
			parent->children = n;
		parent->last = n;
	}
	return n;
}

/*
 * An attribute's value as SAX2 gives it: with entities not replaced,
 * libxml2 writes a '&' that came from "&amp;" or "&#38;" as "&#38;" (for
 * a tree builder to parse again); anything else is decoded already.
 */
static const char *attr_value(struct xmlrec *x, const xmlChar *v, const xmlChar *end)
{
	size_t n = (size_t)(end - v);
	char *s = tree_strndup(x, v, n), *o;

	if (!s || !memchr(s, '&', n))
		return s;
	o = s;
	for (const char *p = s; *p;) {
		if (!strncmp(p, "&#38;", 5)) {
			*o++ = '&';
			p += 5;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return s;
}

/* An element with its attributes (SAX2's localname/prefix/URI/value/end
 * quintuples). */
static struct xmlrec_node *tree_element(struct xmlrec *x, struct xmlrec_node *parent,
					const xmlChar *name, uint64_t line, int nattrs,
					const xmlChar **attrs)
{
	struct xmlrec_node *n = tree_node(x, parent, XML_ELEMENT_NODE);
	struct xmlrec_attr **tail;

	if (!n)
		return NULL;
	/* names are interned by the parser's dictionary: they outlive the
	 * tree */
	n->name = name;
	n->line = line;
	tail = &n->attrs;
	for (int i = 0; i < nattrs; i++, attrs += 5) {
		struct xmlrec_attr *at = tree_alloc(x, sizeof(*at));

		if (!at || !(at->value = attr_value(x, attrs[3], attrs[4])))
			return NULL;
		at->name = (const char *)attrs[0];
		at->next = NULL;
		*tail = at;
		tail = &at->next;
	}
	return n;
}

/*
 * The text run gathered in x->text becomes a node of the open tree: white
 * space between elements is kept as one blank (it may separate words of
 * inline markup), without copying it.
 */
static int text_flush(struct xmlrec *x)
{
	struct xmlrec_node *n;

	if (!x->text_open)
		return 0;
	x->text_open = 0;
	if (!x->node)
		return 0;
	n = tree_node(x, x->node, XML_TEXT_NODE);
	if (!n)
		return LSR_ENOMEM;
	if (text_is_blank(x->text.s, x->text.len))
		n->content = memchr(x->text.s, '\n', x->text.len) ||
				     memchr(x->text.s, '\r', x->text.len) ? "\n" : " ";
	else
		n->content = tree_strndup(x, x->text.s, x->text.len);
	return n->content ? 0 : LSR_ENOMEM;
}

/* ------------------------------------------------------------------ */
/* libxml2's SAX2 callbacks: the events and the trees                   */

/* The DOCTYPE may not declare entities: lsr does not read them. */
static int check_doctype(struct xmlrec *x)
{
	xmlDtdPtr dtd = x->ctxt->myDoc ? x->ctxt->myDoc->intSubset : NULL;

	if (!dtd)
		return 0;
	if ((dtd->entities && xmlHashSize(dtd->entities) > 0) ||
	    (dtd->pentities && xmlHashSize(dtd->pentities) > 0))
		return xmlrec_fail(x, x->doctype_line,
				   "expected a DOCTYPE without entity declarations: lsr does not read custom or external entities");
	return 0;
}

/* The parser context's xmlrec (ctxt->_private). */
static struct xmlrec *sax_x(void *ctx)
{
	return ((xmlParserCtxtPtr)ctx)->_private;
}

static uint64_t sax_line(const struct xmlrec *x)
{
	return x->ctxt->input && x->ctxt->input->line > 0 ? (uint64_t)x->ctxt->input->line : 0;
}

/* A callback failed (rc, message set): libxml2 stops. */
static void sax_stop(struct xmlrec *x, int rc)
{
	if (!x->cb_rc)
		x->cb_rc = rc;
	xmlStopParser(x->ctxt);
}

static int ev_push(struct xmlrec *x, int type, int depth, const xmlChar *name, uint64_t line,
		   struct xmlrec_node *node)
{
	struct xmlrec_ev *e;

	if (x->evlen == x->evcap && ARRAY_GROW(x->ev, x->evlen, x->evcap, 16) < 0)
		return LSR_ENOMEM;
	e = &x->ev[x->evlen++];
	e->type = type;
	e->depth = depth;
	e->name = name;
	e->line = line;
	e->node = node;
	e->blocks = NULL;
	return 0;
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		      const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
		      int ndefaulted, const xmlChar **attrs)
{
	struct xmlrec *x = sax_x(ctx);
	int depth = x->depth++;
	uint64_t line = sax_line(x);
	struct xmlrec_node *n;

	(void)prefix;
	(void)uri;
	(void)nns;
	(void)ns;
	(void)ndefaulted;
	if (text_flush(x) < 0) {
		sax_stop(x, lsr_error_oom());
		return;
	}
	if (depth == 0 && !x->root_seen) {
		int rc;

		x->root_seen = 1;
		if ((rc = check_doctype(x)) < 0) {
			sax_stop(x, rc);
			return;
		}
	}
	if (depth <= x->rec_depth &&
	    ev_push(x, XMLREC_START, depth, localname, line, NULL) < 0) {
		sax_stop(x, lsr_error_oom());
		return;
	}
	if (depth < x->rec_depth)
		return;
	n = tree_element(x, depth == x->rec_depth ? NULL : x->node, localname, line, nattrs, attrs);
	if (!n) {
		sax_stop(x, lsr_error_oom());
		return;
	}
	x->node = n;
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		    const xmlChar *uri)
{
	struct xmlrec *x = sax_x(ctx);
	int depth = --x->depth;
	struct xmlrec_node *n = x->node;

	(void)localname;
	(void)prefix;
	(void)uri;
	if (text_flush(x) < 0) {
		sax_stop(x, lsr_error_oom());
		return;
	}
	if (depth < x->rec_depth || !n)
		return;
	if (depth > x->rec_depth) {
		x->node = n->parent;
		return;
	}
	x->node = NULL;
	if (ev_push(x, XMLREC_ELEMENT, depth, n->name, n->line, n) < 0) {
		sax_stop(x, lsr_error_oom());
		return;
	}
	/* the tree's blocks go with its event */
	x->ev[x->evlen - 1].blocks = x->blocks;
	x->blocks = NULL;
}

static void sax_text(void *ctx, const xmlChar *ch, int len)
{
	struct xmlrec *x = sax_x(ctx);

	if (x->node) {
		if (!x->text_open) {
			x->text_open = 1;
			buf_reset(&x->text);
		}
		if (buf_add(&x->text, ch, (size_t)len) < 0)
			sax_stop(x, lsr_error_oom());
		return;
	}
	if (x->depth == 0)
		return;
	/* text between the records: an event at its first word */
	if (!x->text_open) {
		x->text_open = 1;
		x->text_told = 0;
		x->text_line = sax_line(x);
	}
	if (!x->text_told && !text_is_blank((const char *)ch, (size_t)len)) {
		x->text_told = 1;
		if (ev_push(x, XMLREC_TEXT, x->depth, NULL, x->text_line, NULL) < 0)
			sax_stop(x, lsr_error_oom());
	}
}

/* An entity reference libxml2 did not expand. */
static void sax_reference(void *ctx, const xmlChar *name)
{
	struct xmlrec *x = sax_x(ctx);
	const xmlChar *nm;
	struct xmlrec_node *n;

	if (text_flush(x) < 0 || !(nm = xmlDictLookup(x->ctxt->dict, name, -1))) {
		sax_stop(x, lsr_error_oom());
		return;
	}
	if (!x->node) {
		if (x->depth > 0 && ev_push(x, XMLREC_ENTITY, x->depth, nm, sax_line(x), NULL) < 0)
			sax_stop(x, lsr_error_oom());
		return;
	}
	n = tree_node(x, x->node, XML_ENTITY_REF_NODE);
	if (!n) {
		sax_stop(x, lsr_error_oom());
		return;
	}
	n->name = nm;
}

/* A comment or processing instruction ends a text run. */
static void sax_comment(void *ctx, const xmlChar *value)
{
	struct xmlrec *x = sax_x(ctx);

	(void)value;
	if (text_flush(x) < 0)
		sax_stop(x, lsr_error_oom());
}

static void sax_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	sax_comment(ctx, data);
}

static void sax_error(void *ctx, xmlErrorPtr e)
{
	on_error(ctx ? sax_x(ctx) : NULL, e);
}

/* ------------------------------------------------------------------ */
/* the reader                                                          */

int xmlrec_open(struct xmlrec *x, struct fetch_input *in, const char *const *names,
		int rec_depth)
{
	xmlSAXHandler sax;

	memset(x, 0, sizeof(*x));
	x->in = in;
	x->names = names;
	x->rec_depth = rec_depth;
	x->line = 1;
	xmlInitParser();
	x->old_loader = xmlGetExternalEntityLoader();
	x->old_serror = xmlStructuredError;
	x->old_sctx = xmlStructuredErrorContext;
	xmlSetExternalEntityLoader(no_entities);
	xmlSetStructuredErrorFunc(x, on_error);
	/* UTF-16 reaches libxml2 as UTF-8 (input.c decodes it): the XML
	 * declaration's encoding="UTF-16" no longer applies */
	if (!in->started) {
		const char *data;
		size_t len;
		int rc = input_peek(in, &data, &len);

		if (rc < 0) {
			xmlrec_close(x);
			return rc;
		}
	}
	/*
	 * SAX2 with the default handlers for the document and its DTD (the
	 * internal subset is kept, so that check_doctype sees its entities)
	 * and ours for the content: no libxml2 nodes are made for it.  The
	 * callbacks get the parser context (userData NULL), which points
	 * back here (_private).
	 */
	memset(&sax, 0, sizeof(sax));
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax_text;
	sax.ignorableWhitespace = sax_text;
	sax.cdataBlock = sax_text;
	sax.reference = sax_reference;
	sax.comment = sax_comment;
	sax.processingInstruction = sax_pi;
	sax.serror = sax_error;
	sax.warning = NULL;
	sax.error = NULL;
	sax.fatalError = NULL;
	x->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, in->name);
	if (!x->ctxt) {
		xmlrec_close(x);
		return lsr_error_oom();
	}
	x->ctxt->_private = x;
	xmlCtxtUseOptions(x->ctxt, XMLREC_OPTIONS);
	if (in->utf16) {
		xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler("UTF-8");

		if (!h || xmlSwitchToEncoding(x->ctxt, h) < 0) {
			xmlrec_close(x);
			return lsr_error_oom();
		}
	}
	return 0;
}

void xmlrec_close(struct xmlrec *x)
{
	if (x->ctxt) {
		if (x->ctxt->myDoc)
			xmlFreeDoc(x->ctxt->myDoc);
		x->ctxt->myDoc = NULL;
		xmlFreeParserCtxt(x->ctxt);
	}
	x->ctxt = NULL;
	xmlSetExternalEntityLoader(x->old_loader);
	xmlSetStructuredErrorFunc(x->old_sctx, x->old_serror);
	free(x->win);
	free(x->q);
	buf_release(&x->text);
	x->win = NULL;
	x->q = NULL;
	blocks_free(x->blocks);
	blocks_free(x->given);
	blocks_free(x->spare);
	for (size_t i = x->evhead; i < x->evlen; i++)
		blocks_free(x->ev[i].blocks);
	x->blocks = x->given = x->spare = NULL;
	free(x->ev);
	x->ev = NULL;
}

int xmlrec_next(struct xmlrec *x, struct xmlrec_ev *ev)
{
	int rc;

	/* the event given last is done with */
	blocks_release(x, x->given);
	x->given = NULL;
	for (;;) {
		if (x->evhead < x->evlen && (!x->err_set || x->evhead < x->err_ev)) {
			*ev = x->ev[x->evhead++];
			x->given = ev->blocks;
			ev->blocks = NULL;
			return 1;
		}
		if (x->cb_rc)
			return x->cb_rc;
		if (x->io_rc || x->err_set)
			return parse_error(x);
		if (x->done)
			return x->ctxt->wellFormed ? 0 : parse_error(x);
		x->evhead = 0;
		x->evlen = 0;
		if ((rc = feed(x)) < 0)
			return rc;
	}
}

int xmlrec_take(struct xmlrec *x, const char *name, const char **raw,
		struct xmlrec_slice *s)
{
	size_t n = strlen(name);
	const char *p;

	if (x->qhead == x->qlen)
		return xmlrec_fail(x, sax_line(x),
				   "cannot find the bytes of this <%s> in the input (expected UTF-8 XML)",
				   name);
	*s = x->q[x->qhead++];
	p = (const char *)x->win + (s->start - x->winbase);
	if (s->start < x->winbase || s->end > x->winbase + x->winlen)
		BUG("xmlrec: record bytes %llu..%llu outside the window",
		    (unsigned long long)s->start, (unsigned long long)s->end);
	if (s->end - s->start < n + 2 || p[0] != '<' || memcmp(p + 1, name, n) ||
	    !name_delim((unsigned char)p[n + 1]))
		return xmlrec_fail(x, s->line, "cannot find the bytes of this <%s> in the input (expected UTF-8 XML)",
				   name);
	*raw = p;
	x->rec_line = s->line;
	return 0;
}

int xmlrec_intern(struct xmlrec *x, const char *const *names, const xmlChar **out, int n)
{
	for (int i = 0; i < n; i++)
		if (!(out[i] = xmlDictLookup(x->ctxt->dict, (const xmlChar *)names[i], -1)))
			return lsr_error_oom();
	return 0;
}

int xmlrec_record(struct xmlrec *x, const struct xmlrec_ev *ev, struct lsr_record *rec)
{
	struct xmlrec_slice s = { 0 };
	const char *raw = NULL;
	int rc;

	if ((rc = xmlrec_take(x, (const char *)ev->name, &raw, &s)) < 0)
		return rc;
	rec->line = s.line;
	rec->offset = s.start;
	rec->raw = raw;
	rec->raw_len = (size_t)(s.end - s.start);
	return 0;
}

uint64_t xmlrec_line(struct xmlrec *x, const struct xmlrec_node *node)
{
	return node && node->line ? node->line : x->rec_line;
}

const char *xmlrec_attr(const struct xmlrec_node *node, const char *name)
{
	for (const struct xmlrec_attr *a = node->attrs; a; a = a->next)
		if (!strcmp(a->name, name))
			return a->value;
	return NULL;
}

struct xmlrec_node *xmlrec_sibling(const struct xmlrec_node *node)
{
	struct xmlrec_node *n;

	for (n = node->next; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

struct xmlrec_node *xmlrec_child(const struct xmlrec_node *node)
{
	struct xmlrec_node *c = node->children;

	if (!c || c->type == XML_ELEMENT_NODE)
		return c;
	return xmlrec_sibling(c);
}

/* ------------------------------------------------------------------ */
/* text content                                                        */

/* A letter of the Latin script (where words are separated by spaces). */
static int latin_letter(utf8proc_int32_t cp)
{
	utf8proc_category_t cat;

	if (cp < 0x80)
		return isalpha(cp);
	if (cp >= 0x250)
		return 0;
	cat = utf8proc_category(cp);
	return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

static int letter_ends(const struct buf *b)
{
	size_t i;
	utf8proc_int32_t cp;

	if (!b->len)
		return 0;
	i = b->len - 1;
	while (i > 0 && ((unsigned char)b->s[i] & 0xC0) == 0x80)
		i--;
	if (utf8proc_iterate((const utf8proc_uint8_t *)b->s + i,
			     (utf8proc_ssize_t)(b->len - i), &cp) <= 0)
		return 0;
	return latin_letter(cp);
}

static int letter_starts(const char *s)
{
	utf8proc_int32_t cp;

	if (utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp) <= 0)
		return 0;
	return latin_letter(cp);
}

struct walk {
	struct xmlrec *x;
	struct buf *out;
	unsigned flags;
	int guard;  /* an inline tag boundary was just passed */
	int math;   /* inside MathML */
};

static int walk_text(struct walk *w, const char *s)
{
	if (w->math && text_is_blank(s, strlen(s)))
		return 0; /* MathML layout */
	if (w->guard && *s && letter_starts(s) && letter_ends(w->out) &&
	    buf_addc(w->out, ' ') < 0)
		return LSR_ENOMEM;
	if (*s)
		w->guard = 0;
	return buf_adds(w->out, s) < 0 ? LSR_ENOMEM : 0;
}

static int walk(struct walk *w, const struct xmlrec_node *node)
{
	int rc = 0;

	for (const struct xmlrec_node *c = node->children; c && rc == 0; c = c->next) {
		switch (c->type) {
		case XML_TEXT_NODE:
			rc = walk_text(w, c->content);
			break;
		case XML_ENTITY_REF_NODE:
			rc = xmlrec_fail(w->x, xmlrec_line(w->x, node),
					 "expected text in <%s>, found the entity reference '&%s;' (lsr reads only XML's own entities and character references)",
					 (const char *)node->name, (const char *)c->name);
			break;
		case XML_ELEMENT_NODE: {
			/* <sup>, <sub> attach to their neighbours (CO2, 10-3);
			 * <i>, <b>, <u>, MathML... are words of their own */
			const char *n = (const char *)c->name;
			int math = !strcmp(n, "math");
			int glue = (w->flags & XMLREC_TEXT_MARKUP) && !w->math &&
				   strcmp(n, "sup") && strcmp(n, "sub");

			if (glue)
				w->guard = 1;
			if (w->flags & XMLREC_TEXT_MARKUP)
				w->math += math;
			rc = walk(w, c);
			if (w->flags & XMLREC_TEXT_MARKUP)
				w->math -= math;
			if (glue)
				w->guard = 1;
			break;
		}
		default:
			break; /* comments, processing instructions */
		}
	}
	return rc;
}

int xmlrec_text(struct xmlrec *x, const struct xmlrec_node *node, struct buf *out,
		unsigned flags)
{
	struct walk w = { x, out, flags, 0, 0 };
	size_t start = out->len, lead = 0, end;
	int rc = walk(&w, node);

	if (rc < 0)
		return rc;
	/* white space around the text is layout ("<LastName> Fantini
	 * </LastName>", as other tools than PubMed write it) */
	end = out->len;
	while (start + lead < end && isspace((unsigned char)out->s[start + lead]))
		lead++;
	while (end > start + lead && isspace((unsigned char)out->s[end - 1]))
		end--;
	if (lead)
		memmove(out->s + start, out->s + start + lead, end - start - lead);
	buf_setlen(out, end - lead);
	return 0;
}
