/*
 * cmd_import.c - lsr import FILE... --source NAME: one run per file.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../fetch/fetch.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const import_usage[] = {
	"lsr import FILE... --source NAME [--kind database|register|other]\n"
	"          [--format auto|pubmed-xml|medline|ris|wos|endnote-xml|endnote|bibtex|csv|wos-tsv]\n"
	"          [--id-column COL] [--map FIELD=COL,...] [--force] [--allow-empty]\n"
	"          [--skip-malformed] [--searched YYYY-MM-DD] [--database-version TEXT]\n"
	"          [--strategy FILE|TEXT] [--json]",
	NULL
};

/* The entries a run skipped, one line each, the first 10. */
struct skips_shown {
	int64_t n;
};

static int print_skip(void *payload, uint64_t line, const char *reason)
{
	struct skips_shown *sh = payload;

	(void)line;
	if (sh->n++ < 10)
		printf("  skipped: %s\n", reason);
	return 0;
}

static int print_skips(struct lsr_ctx *ctx, int64_t run)
{
	struct skips_shown sh = { 0 };
	int rc = fetch_import_skips_foreach(ctx->db, run, print_skip, &sh);

	if (rc == 0 && sh.n > 10)
		printf("  skipped: ... %lld more (all in the review's table import_skips)\n",
		       (long long)(sh.n - 10));
	return rc;
}

/* --strategy FILE|TEXT: the content of a readable regular file, else NULL
 * in *out (the argument is the text itself). */
static int read_strategy(const char *arg, char **out)
{
	struct stat sb;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	*out = NULL;
	if (stat(arg, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0;
	if (!(f = fopen(arg, "rb")))
		return lsr_error_set(LSR_ERROR, "cannot read --strategy '%s': %s", arg, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n) < 0) {
			fclose(f);
			buf_release(&b);
			return lsr_error_oom();
		}
	if (ferror(f)) {
		fclose(f);
		buf_release(&b);
		return lsr_error_set(LSR_ERROR, "cannot read --strategy '%s': %s", arg, strerror(errno));
	}
	fclose(f);
	if (!text_is_utf8(b.s ? b.s : "", b.len)) {
		buf_release(&b);
		return lsr_error_set(LSR_EPARSE, "--strategy '%s' is not UTF-8 text", arg);
	}
	*out = buf_detach(&b);
	if (!*out && !(*out = strdup("")))
		return lsr_error_oom();
	return 0;
}

int cmd_import(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *source = NULL, *kind = NULL, *format = "auto", *id_column = NULL;
	const char *searched = NULL, *dbversion = NULL, *strategy = NULL;
	char searched_day[11];
	char *strategy_text = NULL;
	struct strv maps = STRV_INIT, map = STRV_INIT;
	int force = 0, json = 0, allow_empty = 0, skip_malformed = 0;
	uint64_t skipped = 0;
	struct opt opts[] = {
		OPT_STRING(0, "source", &source, "NAME", "the source the records come from (as PRISMA shows it)"),
		OPT_STRING(0, "kind", &kind, "KIND", "database, register or other (default: the protocol's, else database)"),
		OPT_STRING(0, "format", &format, "FMT", "the file format (default: detected from the content)"),
		OPT_STRING(0, "id-column", &id_column, "COL", "CSV: keep this column's values as the records' source ids"),
		OPT_LIST(0, "map", &maps, "FIELD=COL,...", "CSV: read FIELD from column COL"),
		OPT_BOOL(0, "force", &force, "import a file whose content was imported before"),
		OPT_BOOL(0, "allow-empty", &allow_empty, "store a file without records as a run of 0 (a search that found nothing)"),
		OPT_BOOL(0, "skip-malformed", &skip_malformed, "store the good records of a file and record the malformed ones (exit 6)"),
		OPT_STRING(0, "searched", &searched, "DATE", "the day the search was run in the database (PRISMA-S)"),
		OPT_STRING(0, "database-version", &dbversion, "TEXT", "the database's version or coverage as the search ran"),
		OPT_STRING(0, "strategy", &strategy, "FILE|TEXT", "the search strategy as run (a file's text, or the text)"),
		OPT_BOOL(0, "json", &json, "print one JSON object per file"),
		OPT_END(),
	};
	struct fetch_import_opts io;
	const char **files;
	int n = opt_parse(argc, argv, opts, import_usage, &files), rc = 0;

	if (n < 0 || n == OPT_HELP)
		goto out;
	if (n == 0) {
		rc = lsr_error_set(LSR_EUSAGE, "no file to import");
		goto out;
	}
	if (!source) {
		rc = lsr_error_set(LSR_EUSAGE, "--source NAME is required (e.g. --source Embase)");
		goto out;
	}
	for (size_t i = 0; i < maps.n; i++)
		if ((rc = strv_split(&map, maps.v[i], ",")) < 0)
			goto out;
	for (size_t i = 0; i < map.n; i++)
		if (!strchr(map.v[i], '=')) {
			rc = lsr_error_set(LSR_EUSAGE, "--map expects FIELD=COLUMN, not '%s'", map.v[i]);
			goto out;
		}
	if (searched) {
		if ((rc = fetch_search_date_parse(searched_day, searched, "--searched")) < 0)
			goto out;
		searched = searched_day;
	}
	/* the strategy: a file's text, the text given, else the protocol's */
	if (strategy && (rc = read_strategy(strategy, &strategy_text)) < 0)
		goto out;
	if (!strategy_text && ctx->protocol)
		for (size_t i = 0; i < ctx->protocol->nsources; i++)
			if (!strcmp(ctx->protocol->sources[i].name, source) && ctx->protocol->sources[i].strategy)
				strategy = ctx->protocol->sources[i].strategy;
	memset(&io, 0, sizeof(io));
	io.searched = searched;
	io.database_version = dbversion;
	io.strategy = strategy_text ? strategy_text : strategy;
	io.source = source;
	io.kind = kind;
	io.force = force;
	io.allow_empty = allow_empty;
	io.skip_malformed = skip_malformed;
	io.protocol = ctx->protocol;
	io.progress = &ctx->progress;
	io.parse.id_column = id_column;
	io.parse.map = &map;
	if ((rc = fetch_format_parse(&io.format, format)) < 0)
		goto out;
	for (int i = 0; i < n; i++) {
		struct fetch_import_result res;

		rc = fetch_import(ctx->db, files[i], &io, &res);
		if (rc < 0)
			goto out;
		skipped += res.nskipped;
		if (json) {
			json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:s}",
					      "file", files[i], "run", (json_int_t)res.run_id,
					      "source", source, "format", fetch_format_name(res.format),
					      "records", (json_int_t)res.nrecords,
					      "deleted", (json_int_t)res.ndeleted,
					      "withdrawn", (json_int_t)res.nwithdrawn,
					      "skipped", (json_int_t)res.nskipped,
					      "notes", res.notes);
			if ((rc = out_json_line(j)) < 0)
				goto out;
		} else {
			printf("%s: %llu record%s from %s (%s) as run %lld\n", files[i],
			       (unsigned long long)res.nrecords, res.nrecords == 1 ? "" : "s", source,
			       res.format == FETCH_FMT_AUTO ? "an empty file" : fetch_format_name(res.format),
			       (long long)res.run_id);
			if (res.ndeleted)
				printf("  %llu deletion notices; %llu stored records withdrawn by the source\n",
				       (unsigned long long)res.ndeleted,
				       (unsigned long long)res.nwithdrawn);
			if (res.encoding[0])
				printf("  encoding: %s\n", res.encoding);
			if (res.parse_notes[0])
				printf("  note: %s\n", res.parse_notes);
			if (res.nskipped && (rc = print_skips(ctx, res.run_id)) < 0)
				goto out;
		}
	}
	if (skipped)
		rc = CMD_SKIPPED; /* every file imported, some entries skipped */
out:
	free(strategy_text);
	strv_release(&maps);
	strv_release(&map);
	return n == OPT_HELP ? OPT_HELP : (n < 0 ? n : rc);
}
