/*
 * xmlrec.h - what the XML parsers (PubMed XML, EndNote XML) share: libxml2's
 * SAX2 parser over a fetch_input, read safely (no network, no DTD, no
 * external or custom entities), the exact bytes of every top-level record
 * cut out of the byte stream, and libxml2's errors turned into
 * "FILE:LINE: ..." messages.  Private to fetch/.
 *
 *     struct xmlrec x;
 *     struct xmlrec_ev ev;
 *     static const char *const names[] = { "record", NULL };
 *     if ((rc = xmlrec_open(&x, in, names, 1)) < 0) return rc;
 *     while ((rc = xmlrec_next(&x, &ev)) == 1)   // 0 end, < 0 error
 *             ... ev.type: XMLREC_START of an element above the records
 *             or of a record, XMLREC_ELEMENT a record's whole tree (then
 *             xmlrec_record(&x, &ev, &rec) gives its bytes), XMLREC_TEXT
 *             or XMLREC_ENTITY between the records ...
 *     xmlrec_close(&x);
 *
 * The elements at depth rec_depth (the root is at depth 0) are the
 * records: each comes as a struct xmlrec_node tree that the SAX callbacks
 * build as libxml2 parses, in memory reused from record to record.  No
 * libxml2 nodes are made at all (xmlTextReader would make one for every
 * element and text, and free it again: that was about a third of
 * libxml2's time in an import).  Memory stays flat however large the file:
 * the input is pushed to libxml2 64 KiB at a time, the trees hold the
 * records of one such chunk, and the byte window keeps only the records
 * not yet taken (plus one chunk).
 */
#ifndef LSR_XMLREC_H
#define LSR_XMLREC_H

#include <stdint.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "fetch_int.h"

/* An attribute of an element in a record's tree. */
struct xmlrec_attr {
	const char *name;
	const char *value;
	struct xmlrec_attr *next;
};

/* A node of a record's tree: an element, text (CDATA included), or an
 * entity reference the parser did not expand.  Valid until the next
 * xmlrec_next. */
struct xmlrec_node {
	int type;                  /* XML_ELEMENT_NODE, XML_TEXT_NODE, XML_ENTITY_REF_NODE */
	const xmlChar *name;       /* element: its local name, interned; entity: its name */
	const char *content;       /* text */
	struct xmlrec_node *parent, *children, *last, *next;
	struct xmlrec_attr *attrs;
	uint64_t line;             /* element: its line, 0 unknown */
};

/* Memory for record trees: blocks reused from record to record, each
 * tree in blocks of its own. */
struct xmlrec_block;

/* What xmlrec_next gives. */
enum xmlrec_ev_type {
	XMLREC_START = 1, /* an element at depth <= rec_depth starts: name, line */
	XMLREC_ELEMENT,   /* an element at rec_depth is complete: node its tree */
	XMLREC_TEXT,      /* text (not only white space) above the records */
	XMLREC_ENTITY,    /* an unexpanded entity reference above the records */
};

struct xmlrec_ev {
	int type;                  /* enum xmlrec_ev_type */
	int depth;                 /* of the element, or of the text's parent + 1 */
	const xmlChar *name;       /* element or entity name, interned */
	uint64_t line;
	struct xmlrec_node *node;  /* XMLREC_ELEMENT: valid until the next xmlrec_next */
	struct xmlrec_block *blocks; /* (private: the tree's memory) */
};


/* One top-level record as it appears in the byte stream. */
struct xmlrec_slice {
	uint64_t start;    /* stream offset of its '<' */
	uint64_t end;      /* stream offset just after its closing '>' */
	uint64_t line;     /* line of its '<' (1-based) */
};

struct xmlrec {
	struct fetch_input *in;
	xmlParserCtxtPtr ctxt;     /* libxml2's push parser */
	const char *const *names;  /* record element names, NULL-terminated */
	int rec_depth;             /* depth of the record elements */

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
	int done;                  /* libxml2 was told the input ended */

	/* the SAX callbacks' state */
	int depth;                 /* elements open */
	struct xmlrec_node *node;  /* the open element of a record's tree */
	struct buf text;           /* the text run being read in a tree */
	int text_open;             /* a text run is being read */
	int text_told;             /* its event was queued (above the records) */
	uint64_t text_line;        /* where it started (above the records) */
	int cb_rc;                 /* a callback failed (message set) */
	struct xmlrec_ev *ev;      /* events queued, not yet given */
	size_t evhead, evlen, evcap;
	struct xmlrec_block *blocks; /* the open tree's memory, newest first */
	struct xmlrec_block *given;  /* the memory of the tree given last */
	struct xmlrec_block *spare;  /* blocks of trees done with */

	/* errors */
	int io_rc;                 /* an input error (message already set) */
	int err_set;               /* libxml2 reported an error */
	size_t err_ev;             /* after the events queued then */
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
 * xmlrec_take() gives, at depth rec_depth (the root element: 0). */
int xmlrec_open(struct xmlrec *x, struct fetch_input *in, const char *const *names,
		int rec_depth);
void xmlrec_close(struct xmlrec *x);

/* The next event: 1, 0 at the end of the document, negative on error
 * (message set: a libxml2 error as "FILE:LINE: ...", an input error or
 * limit).  Events and libxml2's first error come in document order. */
int xmlrec_next(struct xmlrec *x, struct xmlrec_ev *ev);

/*
 * The bytes of the record element whose tree was just given: *raw points
 * into the window (valid until the next xmlrec_next), *s gives its offset
 * and line.  Checks that they are the bytes of element name.
 */
int xmlrec_take(struct xmlrec *x, const char *name, const char **raw,
		struct xmlrec_slice *s);

/* Record "FILE:LINE: message" as LSR_EPARSE and return it. */
int xmlrec_fail(struct xmlrec *x, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The parser's interned copies of names[0..n) into out[0..n): element
 * names then compare by pointer. */
int xmlrec_intern(struct xmlrec *x, const char *const *names, const xmlChar **out, int n);

/* At an XMLREC_ELEMENT event of a record: set rec's provenance (line,
 * offset, raw bytes) from its slice of the input. */
int xmlrec_record(struct xmlrec *x, const struct xmlrec_ev *ev, struct lsr_record *rec);

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
