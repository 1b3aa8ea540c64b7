/*
 * detect.c - format names and detection by content (never by file name).
 */
#include "fetch_int.h"
#include "../util/err.h"
#include "../util/text.h"

#include <ctype.h>
#include <string.h>

static const char *const names[FETCH_FMT_COUNT] = {
	[FETCH_FMT_AUTO] = "auto",
	[FETCH_FMT_PUBMED_XML] = "pubmed-xml",
	[FETCH_FMT_MEDLINE] = "medline",
	[FETCH_FMT_RIS] = "ris",
	[FETCH_FMT_WOS] = "wos",
	[FETCH_FMT_ENDNOTE_XML] = "endnote-xml",
	[FETCH_FMT_ENDNOTE] = "endnote",
	[FETCH_FMT_BIBTEX] = "bibtex",
	[FETCH_FMT_CSV] = "csv",
	[FETCH_FMT_WOS_TSV] = "wos-tsv",
};

const char *fetch_format_name(enum fetch_format f)
{
	return f < FETCH_FMT_COUNT ? names[f] : "?";
}

int fetch_format_parse(enum fetch_format *out, const char *name)
{
	for (int i = 0; i < FETCH_FMT_COUNT; i++)
		if (!strcmp(names[i], name)) {
			*out = (enum fetch_format)i;
			return 0;
		}
	return lsr_error_set(LSR_EUSAGE,
			     "unknown format '%s' (expected auto, pubmed-xml, medline, ris, wos, endnote-xml, endnote, bibtex, csv or wos-tsv)",
			     name);
}

/* The length of the first span of p[0..n) without a byte of reject. */
static size_t strcspn_n(const char *p, size_t n, const char *reject)
{
	for (size_t i = 0; i < n; i++)
		if (strchr(reject, p[i]))
			return i;
	return n;
}

/*
 * The end of the line at p (its first '\n' or '\r', or end) into *eol,
 * and the start of the next line, or NULL after the last: LF, CRLF and a
 * lone CR (classic Mac OS exports) all end a line, as the readers take them.
 */
static const char *next_line(const char *p, const char *end, const char **eol)
{
	const char *q = p;

	while (q < end && *q != '\n' && *q != '\r')
		q++;
	*eol = q;
	if (q >= end)
		return NULL;
	if (*q == '\r' && q + 1 < end && q[1] == '\n')
		q++;
	return q + 1;
}

/* Does a line in data[0..len) start with prefix?  Looks at every line. */
static int has_line_prefix(const char *data, size_t len, const char *prefix,
			   size_t max_lines)
{
	size_t plen = strlen(prefix), lines = 0;
	const char *p = data, *end = data + len;

	while (p && p < end && lines++ < max_lines) {
		const char *eol, *next = next_line(p, end, &eol);

		if ((size_t)(eol - p) >= plen && !memcmp(p, prefix, plen))
			return 1;
		p = next;
	}
	return 0;
}

/* A RIS tag line: two capitals/digits, two spaces (or one), a dash
 * ("TY  - ", "TY - "). */
static int has_ris_tag(const char *data, size_t len, const char *tag)
{
	char prefix[8];

	memcpy(prefix, tag, 2);
	memcpy(prefix + 2, "  -", 4);
	if (has_line_prefix(data, len, prefix, 4000))
		return 1;
	memcpy(prefix + 2, " - ", 4);
	return has_line_prefix(data, len, prefix, 4000);
}

/* EndNote tagged without a %0 type line: the first lines are "%T ...",
 * "%A ..." (a '%', a tag character, a space); "%% ..." is a TeX comment
 * (BibDesk opens its BibTeX files with them). */
static int endnote_tags(const char *p, const char *end)
{
	int tags = 0;

	for (int lines = 0; p && p < end && lines < 3; lines++) {
		const char *eol, *next = next_line(p, end, &eol);

		if (end - p < 3 || p[0] != '%' || p[1] == ' ' || p[1] == '%' || p[2] != ' ')
			break;
		tags++;
		p = next;
	}
	return tags >= 2;
}

/* A line that starts a BibTeX entry, "@article{" or "@book (", among the
 * first 200 lines (text before the first entry is comment). */
static int bibtex_entry(const char *p, const char *end)
{
	for (int lines = 0; p && p < end && lines < 200; lines++) {
		const char *eol, *next = next_line(p, end, &eol), *q = p;

		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q == '@' && q + 1 < eol && isalpha((unsigned char)q[1])) {
			q++;
			while (q < eol && (isalnum((unsigned char)*q) || *q == '_' || *q == '-'))
				q++;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			if (q < eol && (*q == '{' || *q == '('))
				return 1;
		}
		p = next;
	}
	return 0;
}

/*
 * "cannot tell the format": the formats detection considered and the first
 * line it saw (up to 80 bytes, control bytes and what is not UTF-8 as \xNN),
 * so that a file of another kind, or text in an encoding lsr did not
 * recognise, shows itself.
 */
static int unknown_format(struct fetch_input *in, const char *p, const char *end)
{
	struct buf line = BUF_INIT, list = BUF_INIT;
	size_t n = (size_t)(end - p), cut;
	int utf8, rc;

	n = strcspn_n(p, n, "\r\n");
	cut = n > 80 ? 80 : n;
	while (cut < n && cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80)
		cut--; /* not inside a UTF-8 sequence */
	utf8 = text_is_utf8(p, cut);
	for (size_t i = 0; i < cut; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x20 || c == 0x7F || (c >= 0x80 && !utf8))
			buf_printf(&line, "\\x%02X", c);
		else
			buf_addc(&line, (char)c);
	}
	if (cut < n)
		buf_adds(&line, "...");
	for (int f = FETCH_FMT_AUTO + 1; f < FETCH_FMT_COUNT; f++)
		buf_printf(&list, "%s%s", f > FETCH_FMT_AUTO + 1 ? ", " : "", names[f]);
	rc = lsr_error_set(LSR_EPARSE,
			   "%s:1: cannot tell the format from the content (formats considered: %s); the first line is '%s'; give --format",
			   in->name, list.s ? list.s : "", line.s ? line.s : "");
	buf_release(&line);
	buf_release(&list);
	return rc;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

int fetch_detect_format(struct fetch_input *in, enum fetch_format *out)
{
	const char *data, *p, *end;
	size_t len;
	int rc = input_peek(in, &data, &len);

	if (rc < 0)
		return rc;
	end = data + len;
	p = skip_space(data, end);
	if (p == end)
		return lsr_error_set(LSR_EPARSE, "%s: the file is empty", in->name);
	if (*p == '<') {
		if (memmem(p, (size_t)(end - p), "<PubmedArticleSet", 17) ||
		    memmem(p, (size_t)(end - p), "<PubmedArticle>", 15) ||
		    memmem(p, (size_t)(end - p), "<PubmedBookArticle", 18) ||
		    memmem(p, (size_t)(end - p), "<!DOCTYPE PubmedArticleSet", 26)) {
			*out = FETCH_FMT_PUBMED_XML;
			return 0;
		}
		if (memmem(p, (size_t)(end - p), "<records>", 9) ||
		    memmem(p, (size_t)(end - p), "<record>", 8)) {
			*out = FETCH_FMT_ENDNOTE_XML;
			return 0;
		}
		return lsr_error_set(LSR_EPARSE,
				     "%s: XML, but neither PubMed XML (PubmedArticleSet) nor EndNote XML (records); give --format",
				     in->name);
	}
	/* Web of Science tab-delimited: a header of field tags, "PT AU BA ..." */
	if (end - p > 6 && !memcmp(p, "PT\tAU\t", 6)) {
		*out = FETCH_FMT_WOS_TSV;
		return 0;
	}
	if (has_line_prefix(p, (size_t)(end - p), "PMID- ", 4000) ||
	    has_line_prefix(p, (size_t)(end - p), "PMID-", 4000) ||
	    has_line_prefix(p, (size_t)(end - p), "OWN - ERIC", 4000)) {
		*out = FETCH_FMT_MEDLINE;
		return 0;
	}
	if (has_ris_tag(p, (size_t)(end - p), "TY")) {
		*out = FETCH_FMT_RIS;
		return 0;
	}
	if ((has_line_prefix(p, (size_t)(end - p), "FN ", 50) ||
	     has_line_prefix(p, (size_t)(end - p), "PT ", 4000)) &&
	    has_line_prefix(p, (size_t)(end - p), "ER", 100000)) {
		*out = FETCH_FMT_WOS;
		return 0;
	}
	if (has_line_prefix(p, (size_t)(end - p), "%0 ", 4000) || endnote_tags(p, end)) {
		*out = FETCH_FMT_ENDNOTE;
		return 0;
	}
	if (bibtex_entry(p, end)) {
		*out = FETCH_FMT_BIBTEX;
		return 0;
	}
	{
		/* CSV/TSV: a header line with several separated columns; after
		 * a first line that is one quoted cell (Dimensions' "About the
		 * data: ..."), the next line */
		const char *q = p;

		for (int k = 0; q && k < 2 && q < end; k++) {
			const char *eol, *next = next_line(q, end, &eol);
			size_t n = (size_t)(eol - q);
			int seps = 0;

			for (size_t i = 0; i < n; i++)
				if (q[i] == ',' || q[i] == '\t' || q[i] == ';')
					seps++;
			if (seps >= 1) {
				*out = FETCH_FMT_CSV;
				return 0;
			}
			if (!next || n < 2 || q[0] != '"' || q[n - 1] != '"')
				break;
			q = next;
		}
	}
	return unknown_format(in, p, end);
}
