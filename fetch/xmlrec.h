/*
 * xmlrec.h - what the XML parsers (PubMed XML, EndNote XML) share: a
 * libxml2 xmlTextReader over a fetch_input, read safely (no network, no
 * DTD, no external or custom entities), the exact bytes of every top-level
 * record cut out of the byte stream, and libxml2's errors turned into
 * "FILE:LINE: ..." messages.  Private to fetch/.
 *
 *     struct xmlrec x;
 *     static const char *const names[] = { "record", NULL };
 *     if ((rc = xmlrec_open(&x, in, names)) < 0) return rc;
 *     rc = xmlrec_read(&x);            // 1 node, 0 end, < 0 error
 *     ... at a record element: xmlrec_record(&x, name, &rec, &node) gives
 *     its tree and its bytes; then xmlrec_read(&x) goes on ...
 *     xmlrec_close(&x);
 *
 * A record's tree is a struct xmlrec_node tree that xmlrec_expand builds
 * from the reader's nodes as they pass, in memory reused from record to
 * record.  (xmlTextReaderExpand would keep libxml2's own nodes alive for
 * the whole record: they then no longer recycle, and malloc became a
 * fifth of the parse.)  Memory stays flat however large the file: the
 * reader frees what it has passed, the tree holds one record, and the
 * byte window keeps only the records the reader has not finished (plus
 * libxml2's small read-ahead).
 */
#ifndef LSR_XMLREC_H
#define LSR_XMLREC_H

#include <stdint.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "fetch_int.h"

/* An attribute of an element in a record's tree. */
struct xmlrec_attr {
	const char *name;
	const char *value;
	struct xmlrec_attr *next;
};

/* A node of a record's tree: an element, text (CDATA included), or an
 * entity reference the parser did not expand.  Valid until the next
 * xmlrec_expand. */
struct xmlrec_node {
	int type;                  /* XML_ELEMENT_NODE, XML_TEXT_NODE, XML_ENTITY_REF_NODE */
	const xmlChar *name;       /* element: its local name, interned; entity: its name */
	const char *content;       /* text */
	struct xmlrec_node *parent, *children, *last, *next;
	struct xmlrec_attr *attrs;
	uint64_t line;             /* element: its line, 0 unknown */
};

/* Memory for record trees: blocks reused from record to record. */
struct xmlrec_block;

/* One top-level record as it appears in the byte stream. */
struct xmlrec_slice {
	uint64_t start;    /* stream offset of its '<' */
	uint64_t end;      /* stream offset just after its closing '>' */
	uint64_t line;     /* line of its '<' (1-based) */
};

struct xmlrec {
	struct fetch_input *in;
	xmlTextReaderPtr reader;
	const char *const *names;  /* record element names, NULL-terminated */

	/* the bytes passed to libxml2 that may still be needed */
	unsigned char *win;
	size_t winlen, wincap;
	uint64_t winbase;          /* stream offset of win[0] */
	int started;               /* winbase is known */
	int eof;                   /* the input has no more bytes */

	/* the record scanner */
	uint64_t scan;             /* stream offset of the next byte to scan */
	uint64_t line;             /* line number at stream offset line_at */
	uint64_t line_at;
	int state;                 /* text, comment, CDATA section, PI */
	int open;                  /* 1 + index in names of the open record, 0 none */
	int open_depth;            /* nesting of that name */
	struct xmlrec_slice cur;   /* the open record */
	uint64_t doctype_line;     /* line of <!DOCTYPE, 0 when none */
	uint64_t mark;             /* stream offset of the last '<' or closer seen:
				    * the text since is one text node (or tag,
				    * comment, CDATA section), FETCH_LIMIT_TEXT */
	struct xmlrec_slice *q;    /* records scanned, not yet taken */
	size_t qhead, qlen, qcap;

	uint64_t rec_line;         /* line of the record last taken */
	int root_seen;             /* the DOCTYPE has been checked */
	struct xmlrec_block *blocks; /* the tree's memory */
	struct xmlrec_block *block;  /* the block being filled */

	/* errors */
	int io_rc;                 /* an input error (message already set) */
	int err_set;               /* libxml2 reported an error */
	int err_code, err_line, err_int1;
	int err_domain;             /* its xmlErrorDomain (XML_FROM_MEMORY: out of memory) */
	int err_at_end;            /* libxml2 had no more bytes when it failed */
	int err_open;              /* elements open then */
	int err_epilog;            /* the root element was closed then */
	char err_msg[300], err_str1[120], err_str2[120];
	char err_inner[120];       /* the innermost open element then */

	/* global libxml2 state, restored by xmlrec_close */
	xmlExternalEntityLoader old_loader;
	xmlStructuredErrorFunc old_serror;
	void *old_sctx;
};

/* Start reading in; names are the top-level record elements whose bytes
 * xmlrec_take() gives. */
int xmlrec_open(struct xmlrec *x, struct fetch_input *in, const char *const *names);
void xmlrec_close(struct xmlrec *x);

/* xmlTextReaderRead: 1 at a node, 0 at the end, negative on error
 * (message set). */
int xmlrec_read(struct xmlrec *x);

/*
 * Read the current element to its end tag and give its tree (valid until
 * the next xmlrec_expand).  The reader is left on the end tag (or on the
 * element itself when it is empty): xmlrec_read goes on after it.
 */
int xmlrec_expand(struct xmlrec *x, struct xmlrec_node **out);

/*
 * The bytes of the record element just expanded: *raw points into the
 * window (valid until the next xmlrec_read), *s gives its
 * offset and line.  Checks that they are the bytes of element name.
 */
int xmlrec_take(struct xmlrec *x, const char *name, const char **raw,
		struct xmlrec_slice *s);

/* Record "FILE:LINE: message" as LSR_EPARSE and return it. */
int xmlrec_fail(struct xmlrec *x, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The reader's interned copies of names[0..n) into out[0..n): element
 * names then compare by pointer. */
int xmlrec_intern(struct xmlrec *x, const char *const *names, const xmlChar **out, int n);

/*
 * At a record element: reset nothing, expand it into *node and set rec's
 * provenance (line, offset, raw bytes) from its slice of the input.
 */
int xmlrec_record(struct xmlrec *x, const char *name, struct lsr_record *rec,
		  struct xmlrec_node **node);

/* Line of the node the reader is on. */
uint64_t xmlrec_here(struct xmlrec *x);

/* Line of node, else the record's line. */
uint64_t xmlrec_line(struct xmlrec *x, const struct xmlrec_node *node);

/* The value of attribute name of node, NULL when absent (borrowed). */
const char *xmlrec_attr(const struct xmlrec_node *node, const char *name);

enum xmlrec_text_flags {
	/* inline markup (<i>, <b>, <sup>, MathML...) flattened to words:
	 * no words glued together at tag boundaries, MathML layout white
	 * space dropped */
	XMLREC_TEXT_MARKUP = 1 << 0,
};

/*
 * Append the text content of node to out, without the white space around
 * it.  An entity reference the parser left unexpanded rejects the file
 * (LSR_EPARSE).
 */
int xmlrec_text(struct xmlrec *x, const struct xmlrec_node *node, struct buf *out,
		unsigned flags);

/* The first element child of node (or its next element sibling). */
struct xmlrec_node *xmlrec_child(const struct xmlrec_node *node);
struct xmlrec_node *xmlrec_sibling(const struct xmlrec_node *node);

#endif
