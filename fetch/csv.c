/*
 * csv.c - CSV, TSV and semicolon-separated tables (libcsv), as reference
 * managers (Zotero), databases (Embase, PubMed, Scopus), screening tools
 * and R or Python scripts write them.
 *
 * The first row is the header.  Its delimiter (comma, tab or semicolon) is
 * the one it uses most, outside quotes.  Columns map to record fields by
 * their common names, case-insensitive ("Title", "TI", "Article Title",
 * "Author Names", "Publication Year", ...); the exports of Scopus, Lens,
 * OpenAlex, SpringerLink, IEEE Xplore, Dimensions, Europe PMC, Covidence
 * and Rayyan are recognised by their headers and read with a table of
 * their own (vendors[] below: columns and how authors are written);
 * --map FIELD=COLUMN overrides all that and --id-column COLUMN names the
 * records' source identifiers.  Lines of text before the header
 * (Dimensions' "About the data: ...") are skipped; a header without a
 * title column is an error that lists it.
 * Quoted cells may hold line breaks: a record's line is the first line of
 * its row.  A cell "NA" (R's missing value) counts as empty; a row whose
 * cells are all empty is skipped.  A row with more cells than the header
 * rejects the file.
 */
#include "fetch_int.h"
#include "../util/err.h"

#include <csv.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The fields a column can fill, in the order --map lists them. */
enum csv_field {
	F_TITLE, F_ABSTRACT, F_AUTHORS, F_YEAR, F_DATE, F_JOURNAL, F_JOURNAL_ABBREV,
	F_VOLUME, F_ISSUE, F_PAGES, F_START_PAGE, F_END_PAGE, F_ARTICLE_NO, F_DOI, F_PMID, F_PMCID,
	F_ISSN, F_LANGUAGE, F_KEYWORDS, F_PUBLICATION_TYPES, F_REF_TYPE, F_URL,
	F_SOURCE_ID, F_CITATION, F_EXTRA, F_ISBN, F_COUNT
};

#define MAX_COLS_PER_FIELD 6

/*
 * Field names (for --map) and the header names that fill them, best
 * first.  A row takes the first non-empty cell among a field's columns.
 */
static const struct {
	const char *field;
	const char *headers[16];
} fields[F_COUNT] = {
	[F_TITLE] = { "title", { "title", "article title", "primary title", "document title",
				 "ti", "t1", NULL } },
	[F_ABSTRACT] = { "abstract", { "abstract", "abstract note", "ab", "n2", NULL } },
	[F_AUTHORS] = { "authors", { "authors", "author", "author names", "author full names",
				     "au", "af", "a1", NULL } },
	[F_YEAR] = { "year", { "year", "publication year", "py", "pubyear", "year published",
			       "published year", NULL } },
	[F_DATE] = { "date", { "date", "publication date", "pub date", "da", "pd", NULL } },
	[F_JOURNAL] = { "journal", { "journal", "journal title", "source title", "publication title",
				     "secondary title", "journal/book", "journal name", "so", "jo",
				     "jf", "t2", "booktitle", NULL } },
	[F_JOURNAL_ABBREV] = { "journal_abbrev", { "journal abbreviation", "abbreviated source title",
						   "journal abbrev", "ji", "j9", "j2", "ja", "ta", NULL } },
	[F_VOLUME] = { "volume", { "volume", "vl", "vol", NULL } },
	[F_ISSUE] = { "issue", { "issue", "number", "is", "ip", NULL } },
	[F_PAGES] = { "pages", { "pages", "page", "page range", "pg", NULL } },
	[F_START_PAGE] = { "start_page", { "start page", "page start", "first page", "sp", "bp", NULL } },
	[F_END_PAGE] = { "end_page", { "end page", "page end", "last page", "ep", NULL } },
	[F_ARTICLE_NO] = { "article_number", { "article number", "art. no.", "ar", NULL } },
	[F_DOI] = { "doi", { "doi", "di", "do", NULL } },
	[F_PMID] = { "pmid", { "pmid", "pubmed id", "pubmed", "pubmed_id", "pm", NULL } },
	[F_PMCID] = { "pmcid", { "pmcid", "pmc id", "pmc", "pmc_id", NULL } },
	[F_ISSN] = { "issn", { "issn", "issns", "sn", "eissn", NULL } },
	[F_LANGUAGE] = { "language", { "language", "language of original document", "la", "lang", NULL } },
	[F_KEYWORDS] = { "keywords", { "keywords", "author keywords", "kw", "de", "manual tags",
				       "automatic tags", "index keywords", NULL } },
	[F_PUBLICATION_TYPES] = { "publication_types", { "publication type", "publication types",
							 "document type", "dt", "pt", NULL } },
	[F_REF_TYPE] = { "ref_type", { "type", "item type", "entrytype", "reference type", "ty", NULL } },
	[F_URL] = { "url", { "url", "link", "ur", "open url link", NULL } },
	[F_SOURCE_ID] = { "source_id", { "id", "record_id", "record id", "recordid", "key",
					 "accession number", "an", "ut", "ut (unique wos id)", "unique wos id",
					 "eid", NULL } },
	/* a citation string: Embase's "Source", PubMed's "Citation" */
	[F_CITATION] = { "citation", { "citation", "source", NULL } },
	/* Zotero's "Extra": "PMID: 23122173 PMCID: PMC123" */
	[F_EXTRA] = { "extra", { "extra", NULL } },
	[F_ISBN] = { "isbn", { "isbn", "isbns", NULL } },
};

/*
 * The exports of databases and tools whose headers lsr knows.  A vendor is
 * recognised when every one of its sign columns is in the header; its
 * columns then fill their fields (best first) and nothing else, and the
 * common names above fill only the fields it leaves unmapped.  Written
 * from the vendors' documentation of their exports.
 */
struct vendor_col {
	enum csv_field field;
	const char *header;
};

struct vendor {
	const char *name;                /* for the run's notes */
	const char *sign[3];             /* columns its export always has */
	enum tagged_authors authors;     /* how its author lists are written */
	struct vendor_col cols[28];      /* field <- column, best first */
	/* PMID only when column when_col holds when_val (Europe PMC's
	 * EXTERNAL_ID is a PMID when SOURCE is MED) */
	const char *pmid_when_col, *pmid_when_val, *pmid_from;
};

static const struct vendor vendors[] = {
	{ .name = "Scopus", .sign = { "EID", "Source title", NULL },
	  .authors = TAGGED_AUTHOR_PAIRS, .cols = {
		{ F_TITLE, "Title" }, { F_AUTHORS, "Author full names" }, { F_AUTHORS, "Authors" },
		{ F_YEAR, "Year" }, { F_JOURNAL, "Source title" },
		{ F_JOURNAL_ABBREV, "Abbreviated Source Title" }, { F_VOLUME, "Volume" },
		{ F_ISSUE, "Issue" }, { F_START_PAGE, "Page start" }, { F_END_PAGE, "Page end" },
		{ F_ARTICLE_NO, "Art. No." }, { F_DOI, "DOI" }, { F_PMID, "PubMed ID" },
		{ F_ABSTRACT, "Abstract" }, { F_KEYWORDS, "Author Keywords" },
		{ F_KEYWORDS, "Index Keywords" }, { F_ISSN, "ISSN" }, { F_ISBN, "ISBN" },
		{ F_LANGUAGE, "Language of Original Document" },
		{ F_PUBLICATION_TYPES, "Document Type" }, { F_URL, "Link" }, { F_SOURCE_ID, "EID" },
	} },
	{ .name = "Lens", .sign = { "Lens ID", NULL },
	  .authors = TAGGED_AUTHOR_GIVEN_FIRST, .cols = {
		{ F_TITLE, "Title" }, { F_AUTHORS, "Author/s" }, { F_YEAR, "Publication Year" },
		{ F_DATE, "Date Published" }, { F_JOURNAL, "Source Title" }, { F_VOLUME, "Volume" },
		{ F_ISSUE, "Issue Number" }, { F_START_PAGE, "Start Page" },
		{ F_END_PAGE, "End Page" }, { F_DOI, "DOI" }, { F_PMID, "PMID" },
		{ F_PMCID, "PMCID" }, { F_ABSTRACT, "Abstract" }, { F_KEYWORDS, "Keywords" },
		{ F_ISSN, "ISSNs" }, { F_PUBLICATION_TYPES, "Publication Type" },
		{ F_URL, "External URL" }, { F_SOURCE_ID, "Lens ID" },
	} },
	{ .name = "OpenAlex", .sign = { "authorships.author.display_name", NULL },
	  .authors = TAGGED_AUTHOR_GIVEN_FIRST, .cols = {
		{ F_TITLE, "title" }, { F_TITLE, "display_name" },
		{ F_AUTHORS, "authorships.author.display_name" },
		{ F_YEAR, "publication_year" }, { F_DATE, "publication_date" },
		{ F_JOURNAL, "primary_location.source.display_name" },
		{ F_JOURNAL, "host_venue.display_name" }, { F_VOLUME, "biblio.volume" },
		{ F_ISSUE, "biblio.issue" }, { F_START_PAGE, "biblio.first_page" },
		{ F_END_PAGE, "biblio.last_page" }, { F_DOI, "doi" }, { F_DOI, "ids.doi" },
		{ F_PMID, "ids.pmid" }, { F_PMCID, "ids.pmcid" }, { F_ABSTRACT, "abstract" },
		{ F_KEYWORDS, "keywords.display_name" }, { F_KEYWORDS, "concepts.display_name" },
		{ F_ISSN, "primary_location.source.issn" }, { F_ISSN, "host_venue.issn" },
		{ F_LANGUAGE, "language" }, { F_REF_TYPE, "type" }, { F_SOURCE_ID, "id" },
	} },
	{ .name = "SpringerLink", .sign = { "Item Title", "Item DOI", NULL },
	  .authors = TAGGED_AUTHOR_RUN_TOGETHER, .cols = {
		{ F_TITLE, "Item Title" }, { F_AUTHORS, "Authors" },
		{ F_YEAR, "Publication Year" }, { F_JOURNAL, "Publication Title" },
		{ F_VOLUME, "Journal Volume" }, { F_ISSUE, "Journal Issue" }, { F_DOI, "Item DOI" },
		{ F_URL, "URL" }, { F_REF_TYPE, "Content Type" },
	} },
	{ .name = "IEEE Xplore", .sign = { "Document Title", "Publication Title", NULL },
	  .authors = TAGGED_AUTHOR_GIVEN_FIRST, .cols = {
		{ F_TITLE, "Document Title" }, { F_AUTHORS, "Authors" },
		{ F_YEAR, "Publication Year" }, { F_JOURNAL, "Publication Title" },
		{ F_VOLUME, "Volume" }, { F_ISSUE, "Issue" }, { F_START_PAGE, "Start Page" },
		{ F_END_PAGE, "End Page" }, { F_ABSTRACT, "Abstract" }, { F_ISSN, "ISSN" },
		{ F_ISBN, "ISBNs" }, { F_DOI, "DOI" }, { F_KEYWORDS, "Author Keywords" },
		{ F_KEYWORDS, "IEEE Terms" }, { F_URL, "PDF Link" },
		{ F_REF_TYPE, "Document Identifier" },
	} },
	{ .name = "Dimensions", .sign = { "Publication ID", "PubYear", NULL },
	  .authors = TAGGED_AUTHOR_LIST, .cols = {
		{ F_TITLE, "Title" }, { F_AUTHORS, "Authors" }, { F_YEAR, "PubYear" },
		{ F_DATE, "Publication Date" }, { F_JOURNAL, "Source title" },
		{ F_VOLUME, "Volume" }, { F_ISSUE, "Issue" }, { F_PAGES, "Pagination" },
		{ F_DOI, "DOI" }, { F_PMID, "PMID" }, { F_PMCID, "PMCID" },
		{ F_ABSTRACT, "Abstract" }, { F_PUBLICATION_TYPES, "Publication Type" },
		{ F_URL, "Dimensions URL" }, { F_SOURCE_ID, "Publication ID" },
	} },
	{ .name = "Europe PMC", .sign = { "EXTERNAL_ID", "AUTHOR_STRING", NULL },
	  .authors = TAGGED_AUTHOR_LIST, .cols = {
		{ F_TITLE, "TITLE" }, { F_AUTHORS, "AUTHOR_STRING" }, { F_YEAR, "PUB_YEAR" },
		{ F_DATE, "FIRST_PUBLICATION_DATE" }, { F_JOURNAL, "JOURNAL_TITLE" },
		{ F_VOLUME, "JOURNAL_VOLUME" }, { F_ISSUE, "ISSUE" }, { F_PAGES, "PAGE_INFO" },
		{ F_DOI, "DOI" }, { F_PMID, "PMID" },
		{ F_PMCID, "PMCID" }, { F_ABSTRACT, "ABSTRACT_TEXT" },
		{ F_ISSN, "JOURNAL_ISSN" }, { F_PUBLICATION_TYPES, "PUB_TYPE" },
		{ F_SOURCE_ID, "EXTERNAL_ID" },
	}, .pmid_when_col = "SOURCE", .pmid_when_val = "MED", .pmid_from = "EXTERNAL_ID" },
	{ .name = "Covidence", .sign = { "Covidence #", NULL },
	  .authors = TAGGED_AUTHOR_LIST, .cols = {
		{ F_TITLE, "Title" }, { F_AUTHORS, "Authors" }, { F_YEAR, "Published Year" },
		{ F_JOURNAL, "Journal" }, { F_VOLUME, "Volume" }, { F_ISSUE, "Issue" },
		{ F_PAGES, "Pages" }, { F_DOI, "DOI" }, { F_ABSTRACT, "Abstract" },
		{ F_KEYWORDS, "Keywords" }, { F_SOURCE_ID, "Covidence #" },
	} },
	{ .name = "Rayyan", .sign = { "key", "authors", "notes" },
	  .authors = TAGGED_AUTHOR_LIST, .cols = {
		{ F_TITLE, "title" }, { F_AUTHORS, "authors" }, { F_YEAR, "year" },
		{ F_JOURNAL, "journal" }, { F_VOLUME, "volume" }, { F_ISSUE, "issue" },
		{ F_PAGES, "pages" }, { F_DOI, "doi" }, { F_PMID, "pubmed_id" },
		{ F_PMCID, "pmc_id" }, { F_ABSTRACT, "abstract" }, { F_KEYWORDS, "keywords" },
		{ F_ISSN, "issn" }, { F_URL, "url" }, { F_PUBLICATION_TYPES, "publication_types" },
		{ F_SOURCE_ID, "key" },
	} },
};

struct csv_state {
	struct fetch_input *in;
	const struct fetch_parse_opts *opts;
	record_sink_fn sink;
	void *payload;
	int rc;                          /* first error; callbacks stop once set */

	struct buf *cells;               /* the row being read */
	size_t ncells, cap_cells;
	size_t ncols;                    /* header width (0 until it is read) */
	struct strv header;
	int cols[F_COUNT][MAX_COLS_PER_FIELD]; /* column indexes, -1 terminated */

	const struct vendor *vendor;     /* whose export the header is, or NULL */
	int pmid_when, pmid_from;        /* its conditional PMID columns, -1 if none */
	int preamble;                    /* rows skipped before the header */

	int in_row;                      /* a row has begun and not ended */
	uint64_t row_line, row_offset;   /* its first line */
	struct buf raw;                  /* its lines as received */
	struct lsr_record rec;
	uint64_t nrec;
};

/* ---- the header --------------------------------------------------- */

/* The delimiter the header line uses most, outside quotes. */
static char detect_delimiter(const char *s)
{
	size_t comma = 0, tab = 0, semi = 0;
	int quoted = 0;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (!quoted && *s == ',')
			comma++;
		else if (!quoted && *s == '\t')
			tab++;
		else if (!quoted && *s == ';')
			semi++;
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma && semi > tab)
		return ';';
	return ',';
}

/* Index of column name in the header (exact, then any case), else -1. */
static int column_index(const struct csv_state *s, const char *name)
{
	for (size_t i = 0; i < s->header.n; i++)
		if (!strcmp(s->header.v[i], name))
			return (int)i;
	for (size_t i = 0; i < s->header.n; i++)
		if (!strcasecmp(s->header.v[i], name))
			return (int)i;
	return -1;
}

static int header_list(struct csv_state *s, struct buf *list);

/* "no column 'X' in the header (columns: a, b, ...)" */
static int no_column(struct csv_state *s, const char *what, const char *col)
{
	struct buf list = BUF_INIT;
	int rc = header_list(s, &list);

	if (rc == 0)
		rc = lsr_error_set(LSR_EUSAGE, "%s:%llu: %sno column '%s' in the header (columns: %s)",
				   s->in->name, (unsigned long long)s->row_line, what, col, list.s);
	buf_release(&list);
	return rc;
}

static void set_columns(struct csv_state *s, int field, int col)
{
	s->cols[field][0] = col;
	s->cols[field][1] = -1;
}

/* The columns of the fields marked in owned fill only those fields. */
static void claim(struct csv_state *s, const int owned[F_COUNT])
{
	for (int f = 0; f < F_COUNT; f++) {
		if (!owned[f])
			continue;
		for (int g = 0; g < F_COUNT; g++) {
			int o = 0;

			if (owned[g])
				continue;
			for (int j = 0; s->cols[g][j] >= 0; j++) {
				int mine = 0;

				for (int k = 0; s->cols[f][k] >= 0; k++)
					mine |= s->cols[f][k] == s->cols[g][j];
				if (!mine)
					s->cols[g][o++] = s->cols[g][j];
			}
			s->cols[g][o] = -1;
		}
	}
}

/* The vendor whose export has this header, or NULL. */
static const struct vendor *find_vendor(const struct csv_state *s)
{
	for (size_t v = 0; v < sizeof(vendors) / sizeof(vendors[0]); v++) {
		int all = 1;

		for (int k = 0; all && k < 3 && vendors[v].sign[k]; k++)
			all = column_index(s, vendors[v].sign[k]) >= 0;
		if (all)
			return &vendors[v];
	}
	return NULL;
}

/* A recognised vendor's columns fill the fields it maps, best first. */
static void map_vendor(struct csv_state *s, const struct vendor *v)
{
	int owned[F_COUNT] = { 0 }, n[F_COUNT] = { 0 };

	for (int i = 0; v->cols[i].header; i++) {
		enum csv_field f = v->cols[i].field;
		int col = column_index(s, v->cols[i].header);

		if (col < 0 || n[f] + 1 >= MAX_COLS_PER_FIELD)
			continue;
		if (!owned[f])
			s->cols[f][0] = -1;
		owned[f] = 1;
		s->cols[f][n[f]++] = col;
		s->cols[f][n[f]] = -1;
	}
	claim(s, owned);
	s->pmid_when = v->pmid_when_col ? column_index(s, v->pmid_when_col) : -1;
	s->pmid_from = v->pmid_from ? column_index(s, v->pmid_from) : -1;
}

/* "%s:%llu: no title column in the header (columns: a, b, ...)" */
static int header_list(struct csv_state *s, struct buf *list)
{
	for (size_t i = 0; i < s->header.n; i++) {
		if (list->len > 300)
			return buf_adds(list, ", ...");
		if (buf_printf(list, "%s%s", i ? ", " : "", s->header.v[i]) < 0)
			return LSR_ENOMEM;
	}
	return 0;
}

/*
 * Map header columns to fields: common names, then a recognised vendor's
 * columns, then --map and --id-column.  Without a title column (and without
 * --map, which says the user chose) the file cannot be a bibliographic
 * export lsr reads: an error listing the header.
 */
static int map_header(struct csv_state *s)
{
	const struct strv *map = s->opts->map;
	int explicit[F_COUNT] = { 0 };

	for (int f = 0; f < F_COUNT; f++) {
		size_t k = 0;

		for (int h = 0; fields[f].headers[h] && k + 1 < MAX_COLS_PER_FIELD; h++) {
			int col = column_index(s, fields[f].headers[h]);
			int dup = 0;

			for (size_t j = 0; j < k; j++)
				dup |= s->cols[f][j] == col;
			if (col >= 0 && !dup)
				s->cols[f][k++] = col;
		}
		s->cols[f][k] = -1;
	}
	s->pmid_when = s->pmid_from = -1;
	s->vendor = find_vendor(s);
	if (s->vendor) {
		map_vendor(s, s->vendor);
		if (input_note(s->in, "CSV columns read as the export of %s", s->vendor->name) < 0)
			return LSR_ENOMEM;
	}
	for (size_t i = 0; map && i < map->n; i++) {
		const char *eq = strchr(map->v[i], '=');
		size_t flen = eq ? (size_t)(eq - map->v[i]) : strlen(map->v[i]);
		int f, col;

		for (f = 0; f < F_COUNT; f++)
			if (strlen(fields[f].field) == flen && !strncmp(fields[f].field, map->v[i], flen))
				break;
		if (f == F_COUNT || !eq)
			return lsr_error_set(LSR_EUSAGE,
					     "--map %s: unknown field '%.*s' (fields: title, abstract, authors, year, date, journal, journal_abbrev, volume, issue, pages, start_page, end_page, article_number, doi, pmid, pmcid, issn, language, keywords, publication_types, ref_type, url, source_id, citation, extra, isbn)",
					     map->v[i], (int)flen, map->v[i]);
		col = column_index(s, eq + 1);
		if (col < 0) {
			char what[128];

			snprintf(what, sizeof(what), "--map %.*s=%s: ", (int)flen, map->v[i], eq + 1);
			return no_column(s, what, eq + 1);
		}
		set_columns(s, f, col);
		explicit[f] = 1;
	}
	if (s->opts->id_column) {
		int col = column_index(s, s->opts->id_column);

		if (col < 0)
			return no_column(s, "", s->opts->id_column);
		set_columns(s, F_SOURCE_ID, col);
		explicit[F_SOURCE_ID] = 1;
	}
	/* a column mapped explicitly fills only its field */
	claim(s, explicit);
	if (s->cols[F_TITLE][0] < 0 && !(map && map->n)) {
		struct buf list = BUF_INIT;
		int rc = header_list(s, &list);

		if (rc == 0)
			rc = lsr_error_set(LSR_EPARSE,
					   "%s:%llu: no title column in the header (columns: %s); name it with --map title=COLUMN",
					   s->in->name, (unsigned long long)s->row_line, list.s);
		buf_release(&list);
		return rc;
	}
	return 0;
}

/* ---- one row ------------------------------------------------------ */

/* The first non-empty cell of field f in this row ("" when none). */
static const char *cell(const struct csv_state *s, int f)
{
	for (int j = 0; s->cols[f][j] >= 0; j++) {
		size_t c = (size_t)s->cols[f][j];

		if (c < s->ncells && s->cells[c].len)
			return s->cells[c].s;
	}
	return "";
}

/* Keywords "a; b", "a|b" or "a, b (c, d), e": split on ';', else '|', else
 * on top-level ','. */
static int add_keywords(struct lsr_record *r, const char *v)
{
	int depth = 0;
	const char *start = v;

	if (strchr(v, ';'))
		return strv_split(&r->keywords, v, ";");
	if (strchr(v, '|'))
		return strv_split(&r->keywords, v, "|"); /* OpenAlex */
	for (const char *p = v;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		if (*p == '\0' || (*p == ',' && depth == 0)) {
			while (start < p && *start == ' ')
				start++;
			if (p > start && strv_pushn(&r->keywords, start, (size_t)(p - start)) < 0)
				return LSR_ENOMEM;
			if (!*p)
				return 0;
			start = p + 1;
		}
	}
}

/*
 * Fill what is still empty from a citation string: Embase's "Endoscopic
 * Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014" or PubMed's
 * "Behav Ther. 2022 Mar;53(2):334-347. doi: ...".
 */
static int parse_citation(struct lsr_record *r, const char *v)
{
	const char *p, *year = NULL, *rest = NULL;
	struct buf date = BUF_INIT;
	size_t jlen = 0;
	int rc = 0;

	for (p = v; *p; p++) {
		if (p[0] == ' ' && p[1] == '(' && strspn(p + 2, "0123456789") == 4 && p[6] == ')') {
			jlen = (size_t)(p - v);           /* Embase */
			year = p + 2;
			rest = p + 7;
			break;
		}
		if (p[0] == '.' && p[1] == ' ' && strspn(p + 2, "0123456789") == 4 &&
		    (p[6] == ' ' || p[6] == ';')) {
			jlen = (size_t)(p - v);           /* PubMed */
			year = p + 2;
			rest = strchr(p + 2, ';');
			break;
		}
	}
	if (!year || !jlen)
		return 0;
	if (!r->journal.len && buf_add(&r->journal, v, jlen) < 0)
		return LSR_ENOMEM;
	if (!r->year || r->pub_date.len <= 4) {
		/* the date: "2014", or "2022 Mar" up to the ';' */
		size_t dlen = rest && *rest == ';' ? (size_t)(rest - year) : 4;
		int had = r->year;

		if (buf_add(&date, year, dlen) < 0) {
			rc = LSR_ENOMEM;
			goto out;
		}
		if (!had || atoi(date.s) == had)
			rc = tagged_set_date(r, date.s);
		if (rc < 0)
			goto out;
	}
	if (!rest)
		goto out;
	if (*rest == ';')
		rest++;
	while (*rest == ' ')
		rest++;
	/* volume, then ":issue" (Embase) or "(issue)" (PubMed), then pages */
	p = rest + strcspn(rest, ":( .");
	if (p > rest && !r->volume.len && (rc = buf_add(&r->volume, rest, (size_t)(p - rest))) < 0)
		goto out;
	if (*p == ':' && p[1] != ' ' && isalnum((unsigned char)p[1])) {
		const char *e = p + 1 + strcspn(p + 1, " .(");

		if (!r->issue.len && (rc = buf_add(&r->issue, p + 1, (size_t)(e - p - 1))) < 0)
			goto out;
		p = e;
		while (*p == ' ')
			p++;
		if (*p == '(') { /* Embase "(152-160)" */
			const char *e2 = strchr(p, ')');

			if (e2 && !r->pages.len && (rc = buf_add(&r->pages, p + 1, (size_t)(e2 - p - 1))) < 0)
				goto out;
		}
	} else if (*p == '(') {
		const char *e = strchr(p, ')');

		if (e && !r->issue.len && (rc = buf_add(&r->issue, p + 1, (size_t)(e - p - 1))) < 0)
			goto out;
		if (e && e[1] == ':') { /* PubMed "):334-347." */
			const char *pg = e + 2, *pe = pg + strcspn(pg, " ;");

			while (pe > pg && pe[-1] == '.')
				pe--;
			if (!r->pages.len && (rc = buf_add(&r->pages, pg, (size_t)(pe - pg))) < 0)
				goto out;
		}
	}
out:
	buf_release(&date);
	return rc;
}

/* Identifiers Zotero keeps in "Extra": "Place: US PMID: 23122173 PMCID: PMC1". */
static int parse_extra(struct lsr_record *r, const char *v)
{
	const char *p = strstr(v, "PMID:"), *q = strstr(v, "PMCID:");

	if (p && !r->pmid.len) {
		p += 5;
		while (*p == ' ')
			p++;
		if (buf_add(&r->pmid, p, strspn(p, "0123456789")) < 0)
			return LSR_ENOMEM;
	}
	if (q && !r->pmcid.len) {
		q += 6;
		while (*q == ' ')
			q++;
		if (!strncmp(q, "PMC", 3) && buf_add(&r->pmcid, q, 3 + strspn(q + 3, "0123456789")) < 0)
			return LSR_ENOMEM;
	}
	return 0;
}

/* What follows the last '/' of a URL (OpenAlex's ids.pmid is
 * "https://pubmed.ncbi.nlm.nih.gov/30999999"); v itself otherwise. */
static const char *last_segment(const char *v)
{
	const char *slash = strrchr(v, '/');

	if (strncmp(v, "http", 4) || !slash)
		return v;
	return slash[1] ? slash + 1 : v;
}

static int row_to_record(struct csv_state *s)
{
	struct lsr_record *r = &s->rec;
	const char *v;
	int rc = 0;

	record_reset(r);
	r->line = s->row_line;
	r->offset = s->row_offset;
#define TEXT(f, b) if (!rc && *(v = cell(s, f))) rc = buf_adds(&r->b, v);
	TEXT(F_TITLE, title)
	TEXT(F_ABSTRACT, abstract)
	TEXT(F_JOURNAL, journal)
	TEXT(F_JOURNAL_ABBREV, journal_abbrev)
	TEXT(F_VOLUME, volume)
	TEXT(F_ISSUE, issue)
	TEXT(F_REF_TYPE, ref_type)
	TEXT(F_URL, url)
	TEXT(F_SOURCE_ID, source_id)
#undef TEXT
	if (!rc && *(v = cell(s, F_AUTHORS)))
		rc = tagged_add_authors(r, v, s->vendor ? s->vendor->authors : TAGGED_AUTHOR_LIST);
	if (!rc && *(v = cell(s, F_DATE)))
		rc = tagged_set_date(r, v);
	if (!rc && !r->year && *(v = cell(s, F_YEAR)))
		rc = tagged_set_date(r, v);
	if (!rc && *(v = cell(s, F_PAGES)))
		rc = tagged_set_page_range(r, v);
	else if (!rc && (*cell(s, F_START_PAGE) || *cell(s, F_END_PAGE)))
		rc = tagged_set_pages(r, cell(s, F_START_PAGE), cell(s, F_END_PAGE));
	else if (!rc && *(v = cell(s, F_ARTICLE_NO)))
		rc = buf_adds(&r->pages, v);
	if (!rc && *(v = cell(s, F_DOI)))
		rc = tagged_set_doi(r, v);
	if (!rc && !r->doi.len && *(v = cell(s, F_URL)) && strstr(v, "doi"))
		rc = tagged_set_doi(r, v);
	if (!rc && *(v = cell(s, F_PMID)))
		rc = buf_add(&r->pmid, last_segment(v), strspn(last_segment(v), "0123456789"));
	if (!rc && !r->pmid.len && s->pmid_from >= 0 && s->pmid_when >= 0 &&
	    (size_t)s->pmid_from < s->ncells && (size_t)s->pmid_when < s->ncells &&
	    !strcmp(s->cells[s->pmid_when].s, s->vendor->pmid_when_val)) {
		v = s->cells[s->pmid_from].s;
		rc = buf_add(&r->pmid, v, strspn(v, "0123456789"));
	}
	if (!rc && *(v = cell(s, F_ISBN)))
		rc = tagged_add_isbns(r, v);
	if (!rc && *(v = cell(s, F_PMCID))) {
		/* "PMC123", or OpenAlex's ".../pmc/articles/123" */
		v = last_segment(v);
		rc = buf_printf(&r->pmcid, "%s%s", isdigit((unsigned char)*v) ? "PMC" : "", v);
	}
	if (!rc && *(v = cell(s, F_ISSN)))
		rc = tagged_set_issn(r, v);
	if (!rc && *(v = cell(s, F_LANGUAGE)))
		rc = strv_split(&r->languages, v, ";");
	if (!rc && *(v = cell(s, F_KEYWORDS)))
		rc = add_keywords(r, v);
	if (!rc && *(v = cell(s, F_PUBLICATION_TYPES)))
		rc = strv_split(&r->publication_types, v, ";");
	if (!rc && *(v = cell(s, F_CITATION)))
		rc = parse_citation(r, v);
	if (!rc && *(v = cell(s, F_EXTRA)))
		rc = parse_extra(r, v);
	/* without an id column, PubMed's CSV is identified by its PMIDs */
	if (!rc && !r->source_id.len && r->pmid.len)
		rc = buf_add(&r->source_id, r->pmid.s, r->pmid.len);
	if (rc < 0)
		return rc;
	r->raw = s->raw.s;
	r->raw_len = s->raw.len;
	return 0;
}

/* ---- libcsv callbacks --------------------------------------------- */

static void on_cell(void *data, size_t len, void *payload)
{
	struct csv_state *s = payload;
	struct buf *b;

	if (s->rc < 0)
		return;
	if ((s->rc = input_limit(s->in, FETCH_LIMIT_FIELD, s->row_line, len)) < 0 ||
	    (s->rc = input_limit(s->in, FETCH_LIMIT_CELLS, s->row_line, s->ncells + 1)) < 0)
		return;
	if (s->ncells == s->cap_cells) {
		size_t ncap = s->cap_cells ? s->cap_cells * 2 : 32;
		struct buf *p = realloc(s->cells, ncap * sizeof(*p));

		if (!p) {
			s->rc = lsr_error_oom();
			return;
		}
		for (size_t i = s->cap_cells; i < ncap; i++)
			buf_init(&p[i], 0);
		s->cells = p;
		s->cap_cells = ncap;
	}
	b = &s->cells[s->ncells++];
	buf_reset(b);
	if (data && buf_add(b, data, len) < 0) {
		s->rc = LSR_ENOMEM;
		return;
	}
	buf_trim(b);
	/* R's missing value; Scopus's missing abstract */
	if (s->ncols && (!strcmp(b->s, "NA") || !strcmp(b->s, "[No abstract available]")))
		buf_reset(b);
}

/*
 * Is the row before the header a line of text rather than the header?
 * Dimensions opens its CSV with "About the data: Exported on ...": one
 * cell that names no title column.  At most 5 such rows are skipped.
 */
static int preamble_row(const struct csv_state *s)
{
	size_t full = 0, at = 0;

	for (size_t i = 0; i < s->ncells; i++)
		if (s->cells[i].len) {
			full++;
			at = i;
		}
	if (s->preamble >= 5 || full > 1)
		return 0;
	if (full == 0)
		return 1;
	for (int h = 0; fields[F_TITLE].headers[h]; h++)
		if (!strcasecmp(s->cells[at].s, fields[F_TITLE].headers[h]))
			return 0;
	return 1;
}

static void on_row(int term, void *payload)
{
	struct csv_state *s = payload;
	int empty = 1;

	(void)term;
	s->in_row = 0;
	if (s->rc < 0)
		return;
	if (!s->ncols && preamble_row(s)) {
		s->preamble++;
		s->ncells = 0;
		return;
	}
	if (!s->ncols) {
		for (size_t i = 0; i < s->ncells; i++)
			if (strv_push(&s->header, s->cells[i].s) < 0) {
				s->rc = LSR_ENOMEM;
				return;
			}
		s->ncols = s->ncells;
		s->ncells = 0;
		s->rc = map_header(s);
		return;
	}
	if (s->ncells > s->ncols) {
		s->rc = lsr_error_set(LSR_EPARSE,
				      "%s:%llu: expected at most %zu cells, as in the header, but the row has %zu",
				      s->in->name, (unsigned long long)s->row_line, s->ncols, s->ncells);
		s->rc = fetch_skip(s->opts, s->row_line, s->rc); /* 0: the row is dropped */
		s->ncells = 0;
		return;
	}
	for (size_t i = 0; i < s->ncells && empty; i++)
		empty = s->cells[i].len == 0;
	if (!empty) {
		s->nrec++;
		if ((s->rc = row_to_record(s)) == 0)
			s->rc = s->sink(&s->rec, s->payload);
	}
	s->ncells = 0;
}

static int is_space(unsigned char c)
{
	return c == ' ';
}

int fetch_parse_csv(struct fetch_input *in, const struct fetch_parse_opts *o,
		    record_sink_fn sink, void *payload)
{
	struct csv_state s;
	struct csv_parser p;
	int rc;

	memset(&s, 0, sizeof(s));
	s.in = in;
	s.opts = o;
	s.sink = sink;
	s.payload = payload;
	buf_init(&s.raw, 0);
	record_init(&s.rec);
	if (csv_init(&p, CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		record_release(&s.rec);
		return lsr_error_oom();
	}
	csv_set_space_func(&p, is_space);
	while ((rc = input_getline(in)) > 0) {
		const char *line = in->line.s;

		if (!s.ncols && !s.in_row) /* the header's own delimiter */
			csv_set_delim(&p, (unsigned char)detect_delimiter(line));
		if (!s.in_row) {
			if (line[strspn(line, " \t")] == '\0')
				continue; /* blank lines between rows */
			s.in_row = 1;
			s.row_line = in->lineno;
			s.row_offset = in->line_offset;
			buf_reset(&s.raw);
		}
		if ((rc = buf_add(&s.raw, in->raw.s, in->raw.len)) < 0 ||
		    (rc = input_limit(in, FETCH_LIMIT_RECORD, s.row_line, s.raw.len)) < 0)
			goto out;
		/* libcsv grows a cell's buffer by blk_size bytes at a time:
		 * make that the size so far plus the line, or a long cell
		 * costs quadratic time */
		csv_set_blk_size(&p, p.entry_size + in->line.len + 128);
		if (csv_parse(&p, line, in->line.len, on_cell, on_row, &s) != in->line.len ||
		    csv_parse(&p, "\n", 1, on_cell, on_row, &s) != 1) {
			rc = lsr_error_set(LSR_EPARSE, "%s:%llu: %s", in->name,
					   (unsigned long long)in->lineno, csv_strerror(csv_error(&p)));
			goto out;
		}
		if (s.rc < 0) {
			rc = s.rc;
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	/* a quoted cell still open at the end (csv.h's parser state 2 is
	 * "field begun"; libcsv reports this only in strict mode) */
	if ((p.pstate == 2 && p.quoted) || csv_fini(&p, on_cell, on_row, &s) != 0) {
		rc = lsr_error_set(LSR_EPARSE,
				   "%s:%llu: expected '\"' to close the quoted cell of the row that starts here",
				   in->name, (unsigned long long)s.row_line);
		/* skipped, the row runs to the end of the file */
		if ((rc = fetch_skip(o, s.row_line, rc)) < 0)
			goto out;
	}
	if (s.rc < 0) {
		rc = s.rc;
		goto out;
	}
	if (!s.ncols) {
		rc = lsr_error_set(LSR_EPARSE, "%s:1: expected a header row naming the columns",
				   in->name);
		goto out;
	}
	rc = 0;
out:
	csv_free(&p);
	for (size_t i = 0; i < s.cap_cells; i++)
		buf_release(&s.cells[i]);
	free(s.cells);
	strv_release(&s.header);
	buf_release(&s.raw);
	record_release(&s.rec);
	return rc;
}
