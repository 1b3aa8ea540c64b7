/*
 * cmd_records.c - lsr records: list records with their provenance, write
 * them out for a reference manager, show one, or remove some before
 * screening for a stated reason.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../db/runs.h"
#include "../fetch/fetch.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/outfile.h"
#include "../util/num.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const list_usage[] = {
	"lsr records [--source S] [--run N] [--all] [--json | --tsv | --format ris|csv|bibtex] [-o FILE]",
	"lsr records (--citations | --included) [--format ris|csv|bibtex] [-o FILE]",
	NULL };
static const char *const show_usage[] = { "lsr records show ID [--raw]", NULL };
static const char *const remove_usage[] = { "lsr records remove ID... --reason TEXT", NULL };

static json_t *jstrv(const struct strv *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static json_t *jbuf(const struct buf *b)
{
	return b->len ? json_string(b->s) : json_null();
}

static json_t *record_json(const struct record_row *row)
{
	const struct lsr_record *r = row->rec;
	json_t *o = json_object(), *ids = json_object();
	struct buf lang = BUF_INIT;

	for (size_t i = 0; i < r->other_ids.n; i++) {
		const char *c = strchr(r->other_ids.v[i], ':');
		char kind[32];
		json_t *arr;

		if (!c)
			continue;
		snprintf(kind, sizeof(kind), "%.*s", (int)(c - r->other_ids.v[i]), r->other_ids.v[i]);
		arr = json_object_get(ids, kind);
		if (!arr) {
			arr = json_array();
			json_object_set_new(ids, kind, arr);
		}
		json_array_append_new(arr, json_string(c + 1));
	}
	for (size_t i = 0; i < r->languages.n; i++) {
		if (i)
			buf_addc(&lang, ';');
		buf_adds(&lang, r->languages.v[i]);
	}
	json_object_set_new(o, "id", json_integer(row->id));
	json_object_set_new(o, "source", json_string(row->source));
	json_object_set_new(o, "source_id", jbuf(&r->source_id));
	json_object_set_new(o, "run", json_integer(row->run_id));
	json_object_set_new(o, "position", json_integer(row->position));
	json_object_set_new(o, "line", r->line ? json_integer((json_int_t)r->line) : json_null());
	json_object_set_new(o, "byte_offset", json_integer((json_int_t)r->offset));
	json_object_set_new(o, "status", json_string(row->status));
	json_object_set_new(o, "type", jbuf(&r->ref_type));
	json_object_set_new(o, "title", jbuf(&r->title));
	json_object_set_new(o, "authors", jstrv(&r->authors));
	json_object_set_new(o, "year", r->year ? json_integer(r->year) : json_null());
	json_object_set_new(o, "pub_date", jbuf(&r->pub_date));
	json_object_set_new(o, "journal", jbuf(&r->journal));
	json_object_set_new(o, "journal_abbrev", jbuf(&r->journal_abbrev));
	json_object_set_new(o, "volume", jbuf(&r->volume));
	json_object_set_new(o, "issue", jbuf(&r->issue));
	json_object_set_new(o, "pages", jbuf(&r->pages));
	json_object_set_new(o, "doi", jbuf(&r->doi));
	json_object_set_new(o, "pmid", jbuf(&r->pmid));
	json_object_set_new(o, "pmcid", jbuf(&r->pmcid));
	json_object_set_new(o, "other_ids", ids);
	json_object_set_new(o, "issn", jbuf(&r->issn));
	json_object_set_new(o, "language", lang.len ? json_string(lang.s) : json_null());
	json_object_set_new(o, "publication_types", jstrv(&r->publication_types));
	json_object_set_new(o, "mesh", jstrv(&r->mesh));
	json_object_set_new(o, "keywords", jstrv(&r->keywords));
	json_object_set_new(o, "relations", jstrv(&r->relations));
	json_object_set_new(o, "url", jbuf(&r->url));
	json_object_set_new(o, "abstract", jbuf(&r->abstract));
	if (row->removed_reason)
		json_object_set_new(o, "removed_reason", json_string(row->removed_reason));
	buf_release(&lang);
	return o;
}

static int records_remove(int n, const char **args, const char *reason, struct lsr_ctx *ctx)
{
	int64_t *ids;
	int rc = 0;

	if (n == 0)
		return lsr_error_set(LSR_EUSAGE, "records remove needs at least one record id");
	if (!reason || !*reason)
		return lsr_error_set(LSR_EUSAGE, "records remove needs --reason TEXT (PRISMA reports it)");
	if (!(ids = calloc((size_t)n, sizeof(*ids))))
		return lsr_error_oom();
	for (int i = 0; i < n && rc == 0; i++)
		rc = num_parse_id(&ids[i], args[i], "record");
	if (rc == 0)
		rc = db_records_remove(ctx->db, ids, (size_t)n, reason);
	free(ids);
	if (rc < 0)
		return rc;
	printf("removed %d record%s before screening: %s\n", n, n == 1 ? "" : "s", reason);
	return 0;
}

static int show_record(const struct record_row *row, void *payload)
{
	(void)payload;
	return out_json_doc(record_json(row));
}

static int records_show(int n, const char **args, int raw, struct lsr_ctx *ctx)
{
	struct record_filter f = { 0 };
	unsigned char *bytes;
	size_t len;
	int rc;

	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "records show needs one record id");
	if ((rc = num_parse_id(&f.id, args[0], "record")) < 0)
		return rc;
	if (!raw)
		return db_records_foreach(ctx->db, &f, show_record, NULL);
	if ((rc = db_record_raw(ctx->db, f.id, &bytes, &len)) < 0)
		return rc;
	fwrite(bytes, 1, len, stdout);
	free(bytes);
	return 0;
}

enum list_mode { LIST_PEOPLE, LIST_JSON, LIST_TSV, LIST_EXPORT };

struct list_out {
	FILE *f;
	enum list_mode mode;
	enum fetch_format fmt;
};

static int list_record(const struct record_row *row, void *payload)
{
	const struct list_out *lo = payload;
	const struct lsr_record *rec = row->rec;
	char num[32];

	switch (lo->mode) {
	case LIST_EXPORT:
		return fetch_export_record(lo->f, lo->fmt, row->id, row->source, rec);
	case LIST_JSON: {
		json_t *j = record_json(row);
		int e = json_dumpf(j, lo->f, JSON_COMPACT | JSON_PRESERVE_ORDER);

		json_decref(j);
		fputc('\n', lo->f);
		return e ? lsr_error_set(LSR_ERROR, "writing output failed") : 0;
	}
	case LIST_TSV:
		/* every row has the header's 13 fields, empty ones included */
		snprintf(num, sizeof(num), "%lld", (long long)row->id);
		out_tsv(lo->f, num, '\t');
		out_tsv(lo->f, row->source, '\t');
		out_tsv(lo->f, rec->source_id.len ? rec->source_id.s : "", '\t');
		snprintf(num, sizeof(num), "%lld", (long long)row->run_id);
		out_tsv(lo->f, num, '\t');
		snprintf(num, sizeof(num), "%lld", (long long)row->position);
		out_tsv(lo->f, num, '\t');
		snprintf(num, sizeof(num), "%llu", (unsigned long long)rec->line);
		out_tsv(lo->f, rec->line ? num : "", '\t');
		out_tsv(lo->f, row->status, '\t');
		snprintf(num, sizeof(num), "%d", rec->year);
		out_tsv(lo->f, rec->year ? num : "", '\t');
		out_tsv(lo->f, rec->doi.len ? rec->doi.s : "", '\t');
		out_tsv(lo->f, rec->pmid.len ? rec->pmid.s : "", '\t');
		out_tsv(lo->f, rec->authors.n ? rec->authors.v[0] : "", '\t');
		out_tsv(lo->f, rec->journal.len ? rec->journal.s : "", '\t');
		out_tsv(lo->f, rec->title.len ? rec->title.s : "", '\n');
		return 0;
	case LIST_PEOPLE:
		break;
	}
	num[0] = '\0';
	if (rec->year)
		snprintf(num, sizeof(num), "%d", rec->year);
	fprintf(lo->f, "%6lld  %-16.16s %-14.14s %4s  %-24.24s  %s\n", (long long)row->id, row->source,
		rec->source_id.len ? rec->source_id.s : "-", num,
		rec->authors.n ? rec->authors.v[0] : "-", rec->title.len ? rec->title.s : "");
	return 0;
}

/* --citations / --included: one row per citation, for people or written
 * out in lo->fmt. */
static int list_citation(const struct citation_row *row, void *payload)
{
	const struct list_out *lo = payload;
	const struct lsr_record *rec = row->rec;
	char year[16] = "";

	if (lo->mode == LIST_EXPORT)
		return fetch_export_citation(lo->f, lo->fmt, row->id, row->sources, row->records,
					     row->study, rec);
	if (rec->year)
		snprintf(year, sizeof(year), "%d", rec->year);
	return out_fprint(lo->f, "%6lld  %-16.16s %4s  %-24.24s  %s\n", (long long)row->id,
			  row->study ? row->study : "-", year, rec->authors.n ? rec->authors.v[0] : "-",
			  rec->title.len ? rec->title.s : "");
}

static int sub_show(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int raw = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "raw", &raw, "print the record exactly as received"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, show_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	return records_show(n, args, raw, ctx);
}

static int sub_remove(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *reason = NULL;
	struct opt opts[] = {
		OPT_STRING(0, "reason", &reason, "TEXT", "why the records are removed (PRISMA reports it)"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, remove_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	return records_remove(n, args, reason, ctx);
}

static int sub_list(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *source = NULL, *format = NULL, *outfile = NULL;
	long long run = 0;
	int json = 0, tsv = 0, all = 0, citations = 0, included = 0;
	struct opt opts[] = {
		OPT_STRING(0, "source", &source, "NAME", "only records of this source"),
		OPT_INT(0, "run", &run, "N", "only records of this run"),
		OPT_BOOL(0, "all", &all, "include records removed or withdrawn (with their status)"),
		OPT_BOOL(0, "json", &json, "JSON Lines, one object per record"),
		OPT_BOOL(0, "tsv", &tsv, "tab-separated, with a header row"),
		OPT_STRING(0, "format", &format, "FMT", "write records as ris, csv or bibtex"),
		OPT_STRING('o', "output", &outfile, "FILE", "write to FILE instead of stdout"),
		OPT_BOOL(0, "citations", &citations, "one row per deduplicated citation, with merged metadata"),
		OPT_BOOL(0, "included", &included, "the reports included at full text, by study"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, list_usage, &args), rc = 0;
	struct record_filter f = { 0 };
	struct list_out lo = { stdout, LIST_PEOPLE, FETCH_FMT_AUTO };
	struct outfile *of = NULL;

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "unknown records subcommand '%s' (expected show or remove)",
				     args[0]);
	if (json + tsv + (format != NULL) > 1)
		return lsr_error_set(LSR_EUSAGE, "choose one of --json, --tsv and --format");
	if (citations && included)
		return lsr_error_set(LSR_EUSAGE, "choose one of --citations and --included");
	if ((citations || included) && (source || run || all || json || tsv))
		return lsr_error_set(LSR_EUSAGE, "--%s lists citations: --source, --run, --all, --json and --tsv are for records",
				     citations ? "citations" : "included");
	if (format && (rc = fetch_format_parse(&lo.fmt, format)) < 0)
		return rc;
	lo.mode = format ? LIST_EXPORT : json ? LIST_JSON : tsv ? LIST_TSV : LIST_PEOPLE;
	f.source = source;
	f.run = run;
	f.all = all;
	if (outfile) {
		if ((rc = outfile_open(&of, outfile)) < 0)
			return rc;
		lo.f = outfile_fp(of);
	}
	if (citations || included) {
		if (format)
			fetch_export_citations_begin(lo.f, lo.fmt);
		rc = db_citations_foreach(ctx->db, included, list_citation, &lo);
		return of ? outfile_finish(of, rc) : rc;
	}
	if (format)
		fetch_export_begin(lo.f, lo.fmt);
	else if (tsv)
		fputs("id\tsource\tsource_id\trun\tposition\tline\tstatus\tyear\tdoi\tpmid\tfirst_author\tjournal\ttitle\n",
		      lo.f);
	rc = db_records_foreach(ctx->db, &f, list_record, &lo);
	return of ? outfile_finish(of, rc) : rc;
}

static const struct opt_subcommand records_subcommands[] = {
	OPT_SUBCOMMAND_DEFAULT(sub_list, list_usage),
	OPT_SUBCOMMAND("show", sub_show, show_usage),
	OPT_SUBCOMMAND("remove", sub_remove, remove_usage),
	OPT_SUBCOMMAND_END(),
};

int cmd_records(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return opt_subcommand(argc, argv, records_subcommands, ctx);
}
