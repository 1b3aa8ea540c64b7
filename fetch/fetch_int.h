/*
 * fetch_int.h - what the parsers share: the input stream and the parser
 * entry points.  Private to fetch/.
 */
#ifndef LSR_FETCH_INT_H
#define LSR_FETCH_INT_H

#include <zlib.h>

#include "fetch.h"
#include "../util/buf.h"
#include "../util/sha256.h"

#define FETCH_PEEK_MAX ((size_t)64 * 1024) /* bytes format detection looks at */

/*
 * Input limits (docs/cmd/lsr-import.md, "Input limits").  They bound the
 * memory and time an import takes whatever the file holds: each is
 * checked while the bytes are read, so a 2 GiB line is refused after its
 * first 16 MiB, in linear time.  Every reader checks them through
 * input_limit() (and input.c itself for lines and .gz input); a refusal
 * is LSR_EPARSE naming the file, the line and the limit, and it stops the
 * import even with --skip-malformed (in->over_limit tells the parsers not
 * to skip it).
 */
#define FETCH_LINE_MAX   ((size_t)16 << 20) /* a line of a line format */
#define FETCH_FIELD_MAX  ((size_t)1 << 20)  /* a field's value; an XML text node */
#define FETCH_RECORD_MAX ((size_t)32 << 20) /* the bytes of one record */
#define FETCH_CELLS_MAX  4096               /* cells in a CSV or TSV row */
/* .gz input: at most FETCH_GZ_RATIO bytes out per compressed byte read,
 * after the first FETCH_GZ_FLOOR bytes out (small files may compress
 * better: a run of blanks) */
#define FETCH_GZ_RATIO   200
#define FETCH_GZ_FLOOR   ((uint64_t)16 << 20)

enum fetch_limit {
	FETCH_LIMIT_LINE,    /* a line (line formats) */
	FETCH_LIMIT_FIELD,   /* a field: a tag's value, a BibTeX value, a CSV cell */
	FETCH_LIMIT_TEXT,    /* XML: a text node, comment, CDATA section or tag */
	FETCH_LIMIT_RECORD,  /* a record, from its first line or '<' */
	FETCH_LIMIT_CELLS,   /* the cells of a CSV or TSV row (a count) */
};

/*
 * Is len within limit what?  0 when it is; otherwise the error "FILE:LINE:
 * ... longer than ..., the limit for ..." is set, in->over_limit too, and
 * LSR_EPARSE returned.  line is where the thing starts (a record's first
 * line) or where the limit was passed.
 */
int input_limit(struct fetch_input *in, enum fetch_limit what, uint64_t line, uint64_t len);

enum { INPUT_UTF16LE = 1, INPUT_UTF16BE = 2 };

struct fetch_input {
	char *name;            /* for messages: the path as given */
	gzFile gz;             /* file input (gzip or plain), or NULL */
	const char *mem;       /* memory input */
	size_t memlen, mempos;
	struct sha256 *hash;   /* of the decompressed bytes, NULL for memory */
	unsigned char *buf;    /* read buffer */
	size_t len;            /* bytes in buf */
	size_t pos;            /* next unread byte in buf */
	size_t cap;
	int eof;               /* the source has no more bytes */
	uint64_t base;         /* stream offset of buf[0] */
	int started;           /* encoding check done */
	int utf16;             /* INPUT_UTF16LE/BE: the source is decoded to UTF-8 */
	unsigned char *u16;    /* UTF-16 bytes read and not yet decoded */
	size_t u16len;
	int src_eof;           /* UTF-16: the source has no more bytes */

	/* line reader state */
	struct buf line;       /* current line, UTF-8, no line end */
	struct buf raw;        /* current line as received, with its line end */
	uint64_t lineno;       /* 1-based number of the current line */
	uint64_t line_offset;  /* stream offset of the current line */
	unsigned fixes;        /* enum text_fix flags seen so far */
	int pushed_back;       /* input_getline returns the same line again */
	struct buf notes;      /* what a parser repaired ("; "-separated), for the run */
	uint64_t out_total;    /* bytes decompressed so far (the .gz ratio limit) */
	int over_limit;        /* an input limit refused the file: no skipping on */
};

/*
 * Read the next line into in->line (converted) and in->raw (as received).
 * Returns 1 for a line, 0 at end of input, negative on error.  CRLF, CR CR
 * LF and a lone CR all end a line; a UTF-8 BOM is removed; bytes that are
 * not UTF-8 are read as Windows-1252.  All noted in in->fixes.
 *
 * UTF-16 input (LE or BE, with a byte-order mark or recognised by the NUL
 * in every other byte of ASCII text) is decoded to UTF-8 as it is read:
 * every reader, input_read and input_peek included, sees UTF-8, and
 * offsets and raw lines are those of the UTF-8 text (the file hash stays
 * that of the bytes on disk).
 */
int input_getline(struct fetch_input *in);
/* Make the next input_getline return the current line again. */
void input_unget_line(struct fetch_input *in);
/* Up to n raw bytes (after a removed BOM); 0 at end, negative on error. */
long input_read(struct fetch_input *in, void *dst, size_t n);
/* Make sure up to FETCH_PEEK_MAX bytes are buffered; data and len show them. */
int input_peek(struct fetch_input *in, const char **data, size_t *len);
/* Stream offset of the next unread byte. */
uint64_t input_offset(const struct fetch_input *in);
/* Note in the run what the parser repaired or assumed ("3 missing ','
 * between BibTeX fields assumed, the first at line 12"). */
int input_note(struct fetch_input *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parsers: each reads in to the end, calling sink for every record. */
typedef int (*fetch_parser_fn)(struct fetch_input *in,
			       const struct fetch_parse_opts *opts,
			       record_sink_fn sink, void *payload);

int fetch_parse_pubmed_xml(struct fetch_input *in, const struct fetch_parse_opts *o,
			   record_sink_fn sink, void *payload);
int fetch_parse_medline(struct fetch_input *in, const struct fetch_parse_opts *o,
			record_sink_fn sink, void *payload);
int fetch_parse_ris(struct fetch_input *in, const struct fetch_parse_opts *o,
		    record_sink_fn sink, void *payload);
int fetch_parse_wos(struct fetch_input *in, const struct fetch_parse_opts *o,
		    record_sink_fn sink, void *payload);
int fetch_parse_endnote_xml(struct fetch_input *in, const struct fetch_parse_opts *o,
			    record_sink_fn sink, void *payload);
int fetch_parse_endnote(struct fetch_input *in, const struct fetch_parse_opts *o,
			record_sink_fn sink, void *payload);
int fetch_parse_bibtex(struct fetch_input *in, const struct fetch_parse_opts *o,
		       record_sink_fn sink, void *payload);
int fetch_parse_csv(struct fetch_input *in, const struct fetch_parse_opts *o,
		    record_sink_fn sink, void *payload);
int fetch_parse_wos_tsv(struct fetch_input *in, const struct fetch_parse_opts *o,
			record_sink_fn sink, void *payload);

/*
 * A malformed record: rc is the error just set (lsr_error_set) and line
 * the record's first line.  With opts->skip, the record is reported there
 * and 0 returned (the parser drops it and goes on); otherwise, or for an
 * error that is not LSR_EPARSE, rc is returned.
 */
int fetch_skip(const struct fetch_parse_opts *opts, uint64_t line, int rc);

/* Shared helpers for tagged formats (tagged.c). */

/* Split "Surname, Given" / "Surname Given" author strings consistently. */
int tagged_add_author(struct lsr_record *r, const char *s);
/*
 * Add the authors in s: a list separated by ';' (or by " and " in a
 * column of authors), or a comma-separated list of "Surname Initials"
 * names ("Li W, Zhang Y", as Ovid's CENTRAL, PubMed's and Embase's CSV
 * write them); anything else is one author ("Smith, John").
 */
enum tagged_authors {
	TAGGED_AUTHOR_TAG,   /* a tag meant for one author (RIS AU) */
	TAGGED_AUTHOR_LIST,  /* a field holding all authors (a CSV column) */
	/* "Pan, Y., Yu, C.": "Surname, Initials" pairs separated by ", " (Scopus
	 * before 2023); with ';' a list of names, "Pan, Yan (57190000000)"
	 * losing the id in parentheses */
	TAGGED_AUTHOR_PAIRS,
	/* "Wei Li; Zhiguo Dou" or "Wei Li|Zhiguo Dou": given names first,
	 * turned round to "Li, Wei" (Lens, IEEE, OpenAlex) */
	TAGGED_AUTHOR_GIVEN_FIRST,
	/* "Wei LiZhiguo Dou": given-first names run together (SpringerLink) */
	TAGGED_AUTHOR_RUN_TOGETHER,
};
int tagged_add_authors(struct lsr_record *r, const char *s, enum tagged_authors how);
/* Year and ISO date from free-form dates ("2017/03/01/", "2017 Mar 5",
 * "Spring 2001", "2019-11", "20230517", "DEC 16 2020", "September 1, 2021"). */
int tagged_set_date(struct lsr_record *r, const char *s);
/* Pages from start and end parts ("112", "20" -> "112-20"). */
int tagged_set_pages(struct lsr_record *r, const char *start, const char *end);
/* Pages from a range as written ("134--137", "6 -- 15", "77 – 85",
 * "405-405" -> "405"); other forms are kept. */
int tagged_set_page_range(struct lsr_record *r, const char *s);
/* Add every DOI-looking token of s (first one wins as the record's DOI). */
int tagged_set_doi(struct lsr_record *r, const char *s);
/* The first ISSN-looking token of s ("0957-9672 (Print)", a list with
 * ISBNs, "1466822X") as the record's ISSN, unless it has one. */
int tagged_set_issn(struct lsr_record *r, const char *s);
/* Add every ISBN-10 or ISBN-13 token of s ("978-3-16-148410-0") to
 * other_ids as "isbn:9783161484100". */
int tagged_add_isbns(struct lsr_record *r, const char *s);
/* Add "kind:value" to other_ids (embase, wos, scopus, nct, ...). */
int tagged_add_other_id(struct lsr_record *r, const char *kind, const char *value);
/* Append text to a field buffer with one space between parts. */
int tagged_append(struct buf *b, const char *s);

/*
 * The shared reader of tagged formats (RIS, MEDLINE, Web of Science,
 * EndNote tagged): lines are tag lines, continuation lines or blank; a
 * record opens at a tag and closes at a closing tag or a blank line.
 * tagged_read() keeps each record's raw lines, first line and offset, and
 * rejects what does not fit with the format's own words.
 */
#define TAGGED_TAG_MAX 8

struct tagged_syntax {
	const char *format;      /* "MEDLINE", for messages */
	/* Is line a tag line?  Sets tag (NUL-terminated) and *value. */
	int (*tag_line)(const char *line, size_t len, char tag[TAGGED_TAG_MAX],
			const char **value);
	const char *open;        /* the tag that opens a record; NULL: any tag */
	const char *open_hint;   /* "'PMID- '", for messages */
	const char *close;       /* the tag that closes it ("ER"); NULL: a blank line */
	const char *close_hint;  /* "'ER'" */
	const char *restart;     /* blank-line formats: a second one opens the next record */
	const char *frame;       /* tags allowed between records ("FN VR EF") */
	int lax_between;         /* ignore anything between records (Ovid's numbering) */
	int indented;            /* continuation lines start with white space */
	const char *tag_hint;    /* "a MEDLINE tag ('XXXX- ')" */
};

struct tagged_parser {
	void *x;                 /* the format's record state */
	struct lsr_record *r;
	void (*begin)(void *x);  /* a record opens: empty the state */
	/* One field: value holds the tag line's text, then each continuation
	 * line (leading white space removed) after a '\n'. */
	int (*field)(void *x, const char *tag, const char *value);
	int (*finish)(void *x);  /* the record is complete */
	const struct fetch_parse_opts *opts; /* allow_empty, skip */
};

/* A field's text into out, trimmed; with join, its lines joined by spaces. */
int tagged_value(struct buf *out, const char *text, int join);

int tagged_read(struct fetch_input *in, const struct tagged_syntax *syn,
		const struct tagged_parser *p, record_sink_fn sink, void *payload);

#endif
