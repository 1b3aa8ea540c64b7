/*
 * export.c - writing records, or deduplicated citations with their merged
 * metadata, as RIS, CSV (libcsv quoting) or BibTeX, for a reference
 * manager or another tool.
 */
#include "fetch_int.h"
#include "../util/csvtab.h"
#include "../util/err.h"

#include <csv.h>
#include <ctype.h>
#include <string.h>

static int ris_tag(FILE *f, const char *tag, const char *v)
{
	if (!v || !*v)
		return 0;
	/* a value never spans lines in RIS */
	fprintf(f, "%s  - ", tag);
	for (; *v; v++)
		fputc(*v == '\n' ? ' ' : *v, f);
	fputc('\n', f);
	return 0;
}

static const char *ris_type(const struct lsr_record *r)
{
	const char *t = r->ref_type.s;

	/* RIS types pass through; others become JOUR */
	if (r->ref_type.len >= 2 && r->ref_type.len <= 5) {
		for (size_t i = 0; i < r->ref_type.len; i++)
			if (!isupper((unsigned char)t[i]))
				return "JOUR";
		return t;
	}
	return "JOUR";
}

static void split_pages(const struct lsr_record *r, struct buf *sp, struct buf *ep)
{
	const char *dash = strchr(r->pages.s, '-');

	if (dash) {
		buf_add(sp, r->pages.s, (size_t)(dash - r->pages.s));
		buf_adds(ep, dash + 1);
	} else {
		buf_adds(sp, r->pages.s);
	}
}

/* One RIS entry: idtext its ID, source its DB, study (NULL: none) a note
 * naming the review's study. */
static int write_ris(FILE *f, const char *idtext, const char *source, const char *study,
		     const struct lsr_record *r)
{
	struct buf sp = BUF_INIT, ep = BUF_INIT, idb = BUF_INIT;
	char year[16];

	snprintf(year, sizeof(year), "%d", r->year);
	split_pages(r, &sp, &ep);
	ris_tag(f, "TY", ris_type(r));
	ris_tag(f, "ID", idtext);
	ris_tag(f, "TI", r->title.s);
	for (size_t i = 0; i < r->authors.n; i++)
		ris_tag(f, "AU", r->authors.v[i]);
	ris_tag(f, "PY", r->year ? year : NULL);
	ris_tag(f, "DA", r->pub_date.s);
	ris_tag(f, "T2", r->journal.s);
	ris_tag(f, "J2", r->journal_abbrev.s);
	ris_tag(f, "VL", r->volume.s);
	ris_tag(f, "IS", r->issue.s);
	ris_tag(f, "SP", sp.s);
	ris_tag(f, "EP", ep.s);
	ris_tag(f, "SN", r->issn.s);
	ris_tag(f, "DO", r->doi.s);
	ris_tag(f, "AN", r->source_id.s);
	ris_tag(f, "DB", source);
	for (size_t i = 0; i < r->languages.n; i++)
		ris_tag(f, "LA", r->languages.v[i]);
	for (size_t i = 0; i < r->keywords.n; i++)
		ris_tag(f, "KW", r->keywords.v[i]);
	for (size_t i = 0; i < r->mesh.n; i++)
		ris_tag(f, "KW", r->mesh.v[i]);
	ris_tag(f, "AB", r->abstract.s);
	ris_tag(f, "UR", r->url.s);
	if (r->pmid.len) {
		buf_printf(&idb, "PMID: %s", r->pmid.s);
		ris_tag(f, "N1", idb.s);
	}
	if (study) {
		buf_reset(&idb);
		buf_printf(&idb, "Study: %s", study);
		ris_tag(f, "N1", idb.s);
	}
	fputs("ER  - \n\n", f);
	buf_release(&sp);
	buf_release(&ep);
	buf_release(&idb);
	return 0;
}

/* a cell for a spreadsheet: guarded as csvtab_put guards it (util/csvtab.h) */
static void csv_field(FILE *f, const char *s, int last)
{
	struct buf g = BUF_INIT;

	if (csvtab_needs_guard(s) && buf_printf(&g, "'%s", s) == 0)
		s = g.s;
	csv_fwrite(f, s ? s : "", s ? strlen(s) : 0);
	fputc(last ? '\n' : ',', f);
	buf_release(&g);
}

static void join(struct buf *b, const struct strv *sv, const char *sep)
{
	buf_reset(b);
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			buf_adds(b, sep);
		buf_adds(b, sv->v[i]);
	}
}

/* The bibliographic columns, title to abstract, ending the row. */
static int write_csv_fields(FILE *f, const struct lsr_record *r)
{
	struct buf b = BUF_INIT;
	char num[32];

	csv_field(f, r->title.s, 0);
	join(&b, &r->authors, "; ");
	csv_field(f, b.s, 0);
	snprintf(num, sizeof(num), "%d", r->year);
	csv_field(f, r->year ? num : "", 0);
	csv_field(f, r->journal.s, 0);
	csv_field(f, r->volume.s, 0);
	csv_field(f, r->issue.s, 0);
	csv_field(f, r->pages.s, 0);
	csv_field(f, r->doi.s, 0);
	csv_field(f, r->pmid.s, 0);
	csv_field(f, r->pmcid.s, 0);
	join(&b, &r->languages, "; ");
	csv_field(f, b.s, 0);
	join(&b, &r->publication_types, "; ");
	csv_field(f, b.s, 0);
	join(&b, &r->keywords, "; ");
	csv_field(f, b.s, 0);
	csv_field(f, r->abstract.s, 1);
	buf_release(&b);
	return 0;
}

static int write_csv(FILE *f, int64_t id, const char *source, const struct lsr_record *r)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)id);
	csv_field(f, num, 0);
	csv_field(f, source, 0);
	csv_field(f, r->source_id.s, 0);
	return write_csv_fields(f, r);
}

/* BibTeX value: braces balanced, special characters protected */
static void bib_value(FILE *f, const char *key, const char *v)
{
	int depth = 0;

	if (!v || !*v)
		return;
	fprintf(f, ",\n  %s = {", key);
	for (const char *p = v; *p; p++) {
		if (*p == '{')
			depth++;
		if (*p == '}' && depth == 0) {
			fputs("\\}", f);
			continue;
		}
		if (*p == '}')
			depth--;
		if (*p == '%' || *p == '&' || *p == '#' || *p == '$' || *p == '_')
			fputc('\\', f);
		fputc(*p, f);
	}
	while (depth-- > 0)
		fputc('}', f);
	fputc('}', f);
}

/* One BibTeX entry under key; study (NULL: none) a note naming the
 * review's study. */
static int write_bibtex(FILE *f, const char *key, const char *study, const struct lsr_record *r)
{
	struct buf b = BUF_INIT;
	char num[32];

	fprintf(f, "@article{%s", key);
	bib_value(f, "title", r->title.s);
	join(&b, &r->authors, " and ");
	bib_value(f, "author", b.s);
	snprintf(num, sizeof(num), "%d", r->year);
	bib_value(f, "year", r->year ? num : NULL);
	bib_value(f, "journal", r->journal.s);
	bib_value(f, "volume", r->volume.s);
	bib_value(f, "number", r->issue.s);
	bib_value(f, "pages", r->pages.s);
	bib_value(f, "doi", r->doi.s);
	bib_value(f, "pmid", r->pmid.s);
	bib_value(f, "issn", r->issn.s);
	join(&b, &r->languages, ", ");
	bib_value(f, "language", b.s);
	join(&b, &r->keywords, ", ");
	bib_value(f, "keywords", b.s);
	bib_value(f, "abstract", r->abstract.s);
	bib_value(f, "url", r->url.s);
	if (study) {
		buf_reset(&b);
		buf_printf(&b, "Study: %s", study);
		bib_value(f, "note", b.s);
	}
	fputs("\n}\n\n", f);
	buf_release(&b);
	return 0;
}

int fetch_export_begin(FILE *f, enum fetch_format fmt)
{
	if (fmt == FETCH_FMT_CSV)
		fputs("id,source,source_id,title,authors,year,journal,volume,issue,pages,doi,pmid,pmcid,language,publication_types,keywords,abstract\n",
		      f);
	return 0;
}

int fetch_export_record(FILE *f, enum fetch_format fmt, int64_t id,
			const char *source, const struct lsr_record *r)
{
	char key[40];

	switch (fmt) {
	case FETCH_FMT_RIS:
		snprintf(key, sizeof(key), "lsr:%lld", (long long)id);
		return write_ris(f, key, source, NULL, r);
	case FETCH_FMT_CSV: return write_csv(f, id, source, r);
	case FETCH_FMT_BIBTEX:
		snprintf(key, sizeof(key), "lsr%lld", (long long)id);
		return write_bibtex(f, key, NULL, r);
	default:
		return lsr_error_set(LSR_EUSAGE, "records can be written as ris, csv or bibtex, not %s",
				     fetch_format_name(fmt));
	}
}

int fetch_export_citations_begin(FILE *f, enum fetch_format fmt)
{
	if (fmt == FETCH_FMT_CSV)
		fputs("citation,study,sources,records,title,authors,year,journal,volume,issue,pages,doi,pmid,pmcid,language,publication_types,keywords,abstract\n",
		      f);
	return 0;
}

int fetch_export_citation(FILE *f, enum fetch_format fmt, int64_t id, const char *sources,
			  const char *records, const char *study, const struct lsr_record *r)
{
	char key[40];

	switch (fmt) {
	case FETCH_FMT_RIS:
		snprintf(key, sizeof(key), "lsr-citation:%lld", (long long)id);
		return write_ris(f, key, sources, study, r);
	case FETCH_FMT_CSV:
		snprintf(key, sizeof(key), "%lld", (long long)id);
		csv_field(f, key, 0);
		csv_field(f, study, 0);
		csv_field(f, sources, 0);
		csv_field(f, records, 0);
		return write_csv_fields(f, r);
	case FETCH_FMT_BIBTEX:
		snprintf(key, sizeof(key), "lsrc%lld", (long long)id);
		return write_bibtex(f, key, study, r);
	default:
		return lsr_error_set(LSR_EUSAGE, "citations can be written as ris, csv or bibtex, not %s",
				     fetch_format_name(fmt));
	}
}
