/*
 * cmd_records.c - lsr records: list records with their provenance, write
 * them out for a reference manager, show one, or remove some before
 * screening for a stated reason.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../db/record.h"
#include "../fetch/fetch.h"
#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const records_usage[] = {
	"lsr records [--source S] [--run N] [--all] [--json | --tsv | --format ris|csv|bibtex] [-o FILE]",
	"lsr records show ID [--raw]",
	"lsr records remove ID... --reason TEXT",
	NULL
};

#define LIST_SQL \
	"SELECT r.id, s.name, r.run_id, r.position," \
	" CASE WHEN w.run_id IS NOT NULL THEN 'run-withdrawn'" \
	"      WHEN rw.record_id IS NOT NULL THEN 'withdrawn-by-source'" \
	"      WHEN m.record_id IS NOT NULL THEN 'removed' ELSE 'identified' END," \
	" m.reason, " DB_RECORD_COLUMNS \
	" FROM records r JOIN runs u ON u.id = r.run_id JOIN sources s ON s.id = u.source_id" \
	" LEFT JOIN run_withdrawals w ON w.run_id = r.run_id" \
	" LEFT JOIN record_withdrawals rw ON rw.record_id = r.id" \
	" LEFT JOIN record_removals m ON m.record_id = r.id"
#define LIST_FIXED 6 /* columns before DB_RECORD_COLUMNS */

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

static json_t *record_json(sqlite3_stmt *st, const struct lsr_record *r)
{
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
	json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(o, "source", json_string((const char *)sqlite3_column_text(st, 1)));
	json_object_set_new(o, "source_id", jbuf(&r->source_id));
	json_object_set_new(o, "run", json_integer(sqlite3_column_int64(st, 2)));
	json_object_set_new(o, "position", json_integer(sqlite3_column_int64(st, 3)));
	json_object_set_new(o, "line", r->line ? json_integer((json_int_t)r->line) : json_null());
	json_object_set_new(o, "byte_offset", json_integer((json_int_t)r->offset));
	json_object_set_new(o, "status", json_string((const char *)sqlite3_column_text(st, 4)));
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
	if (sqlite3_column_type(st, 5) != SQLITE_NULL)
		json_object_set_new(o, "removed_reason", json_string((const char *)sqlite3_column_text(st, 5)));
	buf_release(&lang);
	return o;
}

static int records_remove(int n, const char **args, const char *reason, struct lsr_ctx *ctx)
{
	sqlite3_stmt *st;
	char now[CLOCK_ISO_LEN];
	int rc;

	if (n == 0)
		return lsr_error_set(LSR_EUSAGE, "records remove needs at least one record id");
	if (!reason || !*reason)
		return lsr_error_set(LSR_EUSAGE, "records remove needs --reason TEXT (PRISMA reports it)");
	clock_now_iso(now);
	if ((rc = db_txn_begin(ctx->db)) < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		char *end;
		long long id = strtoll(args[i], &end, 10);
		char obj[48];

		if (!*args[i] || *end || id <= 0) {
			rc = lsr_error_set(LSR_EUSAGE, "'%s' is not a record id", args[i]);
			goto fail;
		}
		st = db_prepare(ctx->db, "SELECT (SELECT count(*) FROM records WHERE id = ?1),"
					 " (SELECT count(*) FROM record_removals WHERE record_id = ?1),"
					 " (SELECT count(*) FROM live_records WHERE id = ?1)");
		if (!st) {
			rc = lsr_error_last_code();
			goto fail;
		}
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) != SQLITE_ROW) {
			rc = db_error(ctx->db, "SELECT record");
			goto fail;
		}
		if (!sqlite3_column_int(st, 0)) {
			sqlite3_reset(st);
			rc = lsr_error_set(LSR_ENOTFOUND, "no record %lld", id);
			goto fail;
		}
		if (sqlite3_column_int(st, 1)) {
			sqlite3_reset(st);
			rc = lsr_error_set(LSR_ERROR, "record %lld was already removed", id);
			goto fail;
		}
		if (!sqlite3_column_int(st, 2)) {
			sqlite3_reset(st);
			rc = lsr_error_set(LSR_ERROR, "record %lld is not counted (its run or the source withdrew it)",
					   id);
			goto fail;
		}
		sqlite3_reset(st);
		st = db_prepare(ctx->db, "INSERT INTO record_removals(record_id, reason, actor, at)"
					 " VALUES(?1, ?2, ?3, ?4)");
		if (!st) {
			rc = lsr_error_last_code();
			goto fail;
		}
		sqlite3_bind_int64(st, 1, id);
		db_bind_text(st, 2, reason);
		db_bind_text(st, 3, db_actor());
		db_bind_text(st, 4, now);
		if ((rc = db_step_done(ctx->db, st)) < 0)
			goto fail;
		snprintf(obj, sizeof(obj), "record %lld", id);
		{
			json_t *d = json_pack("{s:s}", "reason", reason);
			char *txt = json_dumps(d, JSON_COMPACT);

			rc = db_audit(ctx->db, "remove", obj, txt);
			free(txt);
			json_decref(d);
		}
		if (rc < 0)
			goto fail;
	}
	if ((rc = db_txn_commit(ctx->db)) < 0)
		return rc;
	printf("removed %d record%s before screening: %s\n", n, n == 1 ? "" : "s", reason);
	return 0;
fail:
	db_txn_rollback(ctx->db);
	return rc;
}

static int records_show(int n, const char **args, int raw, struct lsr_ctx *ctx)
{
	struct buf sql = BUF_INIT;
	struct lsr_record rec;
	sqlite3_stmt *st;
	char *end;
	long long id;
	int rc;

	if (n != 1)
		return lsr_error_set(LSR_EUSAGE, "records show needs one record id");
	id = strtoll(args[0], &end, 10);
	if (!*args[0] || *end)
		return lsr_error_set(LSR_EUSAGE, "'%s' is not a record id", args[0]);
	buf_printf(&sql, "%s WHERE r.id = ?1", LIST_SQL);
	st = db_prepare(ctx->db, sql.s);
	buf_release(&sql);
	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return lsr_error_set(LSR_ENOTFOUND, "no record %lld", id);
	}
	if (raw) {
		sqlite3_stmt *rs = db_prepare(ctx->db, "SELECT raw FROM records WHERE id = ?1");

		sqlite3_reset(st);
		if (!rs)
			return lsr_error_last_code();
		sqlite3_bind_int64(rs, 1, id);
		if (sqlite3_step(rs) == SQLITE_ROW)
			fwrite(sqlite3_column_blob(rs, 0), 1, (size_t)sqlite3_column_bytes(rs, 0), stdout);
		sqlite3_reset(rs);
		return 0;
	}
	record_init(&rec);
	rc = db_record_from_row(st, LIST_FIXED, &rec);
	if (rc == 0)
		rc = out_json_doc(record_json(st, &rec));
	sqlite3_reset(st);
	record_release(&rec);
	return rc;
}

int cmd_records(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *source = NULL, *format = NULL, *outfile = NULL, *reason = NULL;
	long long run = 0;
	int json = 0, tsv = 0, all = 0, raw = 0;
	struct opt opts[] = {
		OPT_STRING(0, "source", &source, "NAME", "only records of this source"),
		OPT_INT(0, "run", &run, "N", "only records of this run"),
		OPT_BOOL(0, "all", &all, "include records removed or withdrawn (with their status)"),
		OPT_BOOL(0, "json", &json, "JSON Lines, one object per record"),
		OPT_BOOL(0, "tsv", &tsv, "tab-separated, with a header row"),
		OPT_STRING(0, "format", &format, "FMT", "write records as ris, csv or bibtex"),
		OPT_STRING('o', "output", &outfile, "FILE", "write to FILE instead of stdout"),
		OPT_STRING(0, "reason", &reason, "TEXT", "remove: why the records are removed"),
		OPT_BOOL(0, "raw", &raw, "show: print the record exactly as received"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, records_usage, &args), rc = 0;
	struct buf sql = BUF_INIT;
	enum fetch_format fmt = FETCH_FMT_AUTO;
	struct lsr_record rec;
	sqlite3_stmt *st;
	FILE *out = stdout;
	int step;

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0 && !strcmp(args[0], "remove"))
		return records_remove(n - 1, args + 1, reason, ctx);
	if (n > 0 && !strcmp(args[0], "show"))
		return records_show(n - 1, args + 1, raw, ctx);
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "unknown records subcommand '%s' (expected show or remove)",
				     args[0]);
	if (json + tsv + (format != NULL) > 1)
		return lsr_error_set(LSR_EUSAGE, "choose one of --json, --tsv and --format");
	if (format && (rc = fetch_format_parse(&fmt, format)) < 0)
		return rc;
	buf_adds(&sql, LIST_SQL " WHERE 1");
	if (!all)
		buf_adds(&sql, " AND w.run_id IS NULL AND rw.record_id IS NULL AND m.record_id IS NULL");
	if (source)
		buf_adds(&sql, " AND s.name = ?1");
	if (run)
		buf_adds(&sql, " AND r.run_id = ?2");
	buf_adds(&sql, " ORDER BY r.id");
	st = db_prepare(ctx->db, sql.s);
	buf_release(&sql);
	if (!st)
		return lsr_error_last_code();
	if (source)
		db_bind_text(st, 1, source);
	if (run)
		sqlite3_bind_int64(st, 2, run);
	if (outfile) {
		out = fopen(outfile, "w");
		if (!out)
			return lsr_error_set(LSR_ERROR, "cannot write '%s': %s", outfile, strerror(errno));
	}
	record_init(&rec);
	if (format)
		fetch_export_begin(out, fmt);
	else if (tsv)
		fputs("id\tsource\tsource_id\trun\tposition\tline\tstatus\tyear\tdoi\tpmid\tfirst_author\tjournal\ttitle\n", out);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = db_record_from_row(st, LIST_FIXED, &rec)) < 0)
			break;
		if (format) {
			rc = fetch_export_record(out, fmt, sqlite3_column_int64(st, 0),
						 (const char *)sqlite3_column_text(st, 1), &rec);
		} else if (json) {
			json_t *j = record_json(st, &rec);
			int e = json_dumpf(j, out, JSON_COMPACT | JSON_PRESERVE_ORDER);

			json_decref(j);
			fputc('\n', out);
			rc = e ? lsr_error_set(LSR_ERROR, "writing output failed") : 0;
		} else if (tsv) {
			char num[32];

			for (int c = 0; c < 4; c++)
				out_tsv(out, (const char *)sqlite3_column_text(st, c), '\t');
			snprintf(num, sizeof(num), "%llu", (unsigned long long)rec.line);
			out_tsv(out, rec.line ? num : "", '\t');
			out_tsv(out, (const char *)sqlite3_column_text(st, 4), '\t');
			snprintf(num, sizeof(num), "%d", rec.year);
			out_tsv(out, rec.year ? num : "", '\t');
			out_tsv(out, rec.doi.s, '\t');
			out_tsv(out, rec.pmid.s, '\t');
			out_tsv(out, rec.authors.n ? rec.authors.v[0] : "", '\t');
			out_tsv(out, rec.journal.s, '\t');
			out_tsv(out, rec.title.s, '\n');
		} else {
			char year[16] = "";

			if (rec.year)
				snprintf(year, sizeof(year), "%d", rec.year);
			fprintf(out, "%6lld  %-16.16s %-14.14s %4s  %-24.24s  %s\n",
				(long long)sqlite3_column_int64(st, 0),
				(const char *)sqlite3_column_text(st, 1),
				rec.source_id.len ? rec.source_id.s : "-", year,
				rec.authors.n ? rec.authors.v[0] : "-", rec.title.s);
		}
		if (rc < 0)
			break;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE && rc == 0)
		rc = db_error(ctx->db, "SELECT records");
	record_release(&rec);
	if (out != stdout && fclose(out) != 0 && rc == 0)
		rc = lsr_error_set(LSR_ERROR, "cannot write '%s': %s", outfile, strerror(errno));
	return rc;
}
