/*
 * record.c - the record model and its storage (see record.h).
 */
#include "record.h"
#include "db.h"
#include "rawcodec.h"
#include "../util/err.h"
#include "../util/text.h"

#include <jansson.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FOR_EACH_BUF(r, X) \
	X(source_id) X(ref_type) X(title) X(abstract) X(pub_date) X(journal) \
	X(journal_abbrev) X(volume) X(issue) X(pages) X(doi) X(pmid) X(pmcid) \
	X(issn) X(url)
#define FOR_EACH_STRV(r, X) \
	X(authors) X(other_ids) X(languages) X(publication_types) X(mesh) \
	X(keywords) X(relations)

void record_init(struct lsr_record *r)
{
	memset(r, 0, sizeof(*r));
#define INIT_BUF(f) buf_init(&r->f, 0);
	FOR_EACH_BUF(r, INIT_BUF)
#undef INIT_BUF
}

void record_reset(struct lsr_record *r)
{
#define RESET_BUF(f) buf_reset(&r->f);
#define RESET_STRV(f) strv_clear(&r->f);
	FOR_EACH_BUF(r, RESET_BUF)
	FOR_EACH_STRV(r, RESET_STRV)
#undef RESET_BUF
#undef RESET_STRV
	r->year = 0;
	r->line = 0;
	r->offset = 0;
	r->raw = NULL;
	r->raw_len = 0;
	r->deleted = 0;
}

void record_release(struct lsr_record *r)
{
#define REL_BUF(f) buf_release(&r->f);
#define REL_STRV(f) strv_release(&r->f);
	FOR_EACH_BUF(r, REL_BUF)
	FOR_EACH_STRV(r, REL_STRV)
#undef REL_BUF
#undef REL_STRV
}

int record_copy(struct lsr_record *dst, const struct lsr_record *src)
{
	record_reset(dst);
#define COPY_BUF(f) \
	if (src->f.len && buf_add(&dst->f, src->f.s, src->f.len) < 0) \
		return LSR_ENOMEM;
#define COPY_STRV(f) \
	for (size_t i = 0; i < src->f.n; i++) \
		if (strv_push(&dst->f, src->f.v[i]) < 0) \
			return LSR_ENOMEM;
	FOR_EACH_BUF(r, COPY_BUF)
	FOR_EACH_STRV(r, COPY_STRV)
#undef COPY_BUF
#undef COPY_STRV
	dst->year = src->year;
	dst->line = src->line;
	dst->offset = src->offset;
	dst->raw = src->raw;
	dst->raw_len = src->raw_len;
	dst->deleted = src->deleted;
	return 0;
}

static int starts_with_ci(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

void record_doi_clean(struct buf *b)
{
	static const char *const prefixes[] = {
		"https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
		"http://dx.doi.org/", "doi.org/", "dx.doi.org/", "doi:", "doi ",
	};
	size_t start = 0, end;
	int again = 1;

	buf_trim(b);
	while (again) {
		again = 0;
		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
			if (starts_with_ci(b->s + start, prefixes[i])) {
				start += strlen(prefixes[i]);
				while (b->s[start] == ' ')
					start++;
				again = 1;
			}
		}
	}
	end = b->len;
	while (end > start && strchr(" .,;:", b->s[end - 1]))
		end--;
	/* a DOI never holds white space: keep the first token */
	for (size_t i = start; i < end; i++)
		if (isspace((unsigned char)b->s[i])) {
			end = i;
			break;
		}
	if (end > start && strncmp(b->s + start, "10.", 3)) {
		/* not a DOI at all (a URL of another kind, free text) */
		buf_reset(b);
		return;
	}
	memmove(b->s, b->s + start, end - start);
	buf_setlen(b, end - start);
}

/* Clean every item in place (each is a malloc'd string: it becomes the
 * buf's memory) and drop the empty ones. */
static int clean_strv(struct strv *sv)
{
	size_t o = 0, n = sv->n;

	for (size_t i = 0; i < n; i++) {
		struct buf b;
		int rc;

		b.s = sv->v[i];
		b.len = strlen(b.s);
		b.cap = b.len + 1;
		b.max = 0;
		rc = text_clean(&b);
		sv->v[i] = NULL;
		if (rc < 0) {
			/* keep the items as they are, in order */
			sv->v[o++] = b.s;
			memmove(sv->v + o, sv->v + i + 1, (n - i - 1) * sizeof(*sv->v));
			sv->n = o + (n - i - 1);
			return rc;
		}
		if (!b.len) {
			free(b.s);
			continue;
		}
		sv->v[o++] = b.s;
	}
	sv->n = o;
	return 0;
}

int record_finish(struct lsr_record *r)
{
	int rc = 0;

#define CLEAN_BUF(f) \
	if (!rc && r->f.len) \
		rc = (&r->f == &r->abstract) ? text_clean_lines(&r->f) : text_clean(&r->f);
	FOR_EACH_BUF(r, CLEAN_BUF)
#undef CLEAN_BUF
#define CLEAN_STRV(f) if (!rc) rc = clean_strv(&r->f);
	FOR_EACH_STRV(r, CLEAN_STRV)
#undef CLEAN_STRV
	if (rc)
		return rc;
	record_doi_clean(&r->doi);
	if (!r->year && r->pub_date.len >= 4 && isdigit((unsigned char)r->pub_date.s[0]))
		r->year = atoi(r->pub_date.s);
	if (r->year && !r->pub_date.len)
		rc = buf_printf(&r->pub_date, "%04d", r->year);
	return rc;
}

int record_json_str(struct buf *out, const char *s, size_t n)
{
	size_t run = 0;

	if (buf_addc(out, '"') < 0)
		return LSR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char hex[8];
		const char *esc = hex;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (buf_add(out, s + run, i - run) < 0)
			return LSR_ENOMEM;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\t': esc = "\\t"; break;
		case '\r': esc = "\\r"; break;
		default: snprintf(hex, sizeof(hex), "\\u%04x", c); break;
		}
		if (buf_adds(out, esc) < 0)
			return LSR_ENOMEM;
		run = i + 1;
	}
	if (buf_add(out, s + run, n - run) < 0 || buf_addc(out, '"') < 0)
		return LSR_ENOMEM;
	return 0;
}

int record_json_strv(struct buf *out, const struct strv *sv)
{
	if (buf_addc(out, '[') < 0)
		return LSR_ENOMEM;
	for (size_t i = 0; i < sv->n; i++) {
		if (i && buf_addc(out, ',') < 0)
			return LSR_ENOMEM;
		if (record_json_str(out, sv->v[i], strlen(sv->v[i])) < 0)
			return LSR_ENOMEM;
	}
	return buf_addc(out, ']');
}

/* other_ids "kind:value" entries as {"kind": ["value", ...], ...}, kinds in
 * order of first appearance. */
static int json_other_ids(struct buf *out, const struct strv *sv)
{
	int first_kind = 1;

	if (buf_addc(out, '{') < 0)
		return LSR_ENOMEM;
	for (size_t i = 0; i < sv->n; i++) {
		const char *colon = strchr(sv->v[i], ':');
		size_t klen = colon ? (size_t)(colon - sv->v[i]) : 0;
		int seen = 0, first_val = 1;

		for (size_t j = 0; j < i && !seen; j++)
			seen = !strncmp(sv->v[j], sv->v[i], klen + 1);
		if (seen)
			continue;
		if (!first_kind && buf_addc(out, ',') < 0)
			return LSR_ENOMEM;
		first_kind = 0;
		if (record_json_str(out, colon ? sv->v[i] : "other",
				    colon ? klen : 5) < 0 ||
		    buf_adds(out, ":[") < 0)
			return LSR_ENOMEM;
		for (size_t j = i; j < sv->n; j++) {
			const char *v;

			if (colon ? strncmp(sv->v[j], sv->v[i], klen + 1)
				  : strchr(sv->v[j], ':') != NULL)
				continue;
			v = colon ? sv->v[j] + klen + 1 : sv->v[j];
			if (!first_val && buf_addc(out, ',') < 0)
				return LSR_ENOMEM;
			first_val = 0;
			if (record_json_str(out, v, strlen(v)) < 0)
				return LSR_ENOMEM;
		}
		if (buf_addc(out, ']') < 0)
			return LSR_ENOMEM;
	}
	return buf_addc(out, '}');
}

/*
 * The zstd dictionary of the run being stored: trained on the run's first
 * RAW_SAMPLE_BYTES of records (those are packed without one), stored in
 * raw_dicts under ID RAW_DICT_BASE + run id, used for the rest.  A run of
 * fewer than RAW_SAMPLE_MIN records gets none.  Reset at each run's first
 * record; a run continued by another process (a resumed search) loads its
 * dictionary back.
 */
#define RAW_SAMPLE_BYTES (1u << 20)
#define RAW_SAMPLE_MIN 64
#define RAW_DICT_BASE 32768u /* below: IDs zstd reserves */

static struct packer {
	const struct lsr_db *db;
	int64_t run_id;
	struct raw_dict *dict;
	struct buf samples;
	size_t *sizes;
	unsigned n, cap;
	int done; /* a dictionary, or none to be had */
} packer;

static void packer_reset(const struct lsr_db *db, int64_t run_id)
{
	raw_dict_free(packer.dict);
	buf_release(&packer.samples);
	free(packer.sizes);
	memset(&packer, 0, sizeof(packer));
	packer.db = db;
	packer.run_id = run_id;
}

/* the run's dictionary as stored, if it has one (a run continued) */
static int packer_load(struct lsr_db *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT dict FROM raw_dicts WHERE run_id = ?1");
	int rc = 0;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, packer.run_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rc = raw_dict_load(&packer.dict, sqlite3_column_blob(st, 0),
				   (size_t)sqlite3_column_bytes(st, 0));
		packer.done = 1;
	}
	sqlite3_reset(st);
	return rc;
}

/* Is the dictionary still stored?  A transaction rolled back takes it
 * away with the records packed with it; the next ones must not use it. */
static int packer_dict_stored(struct lsr_db *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM raw_dicts WHERE id = ?1");
	int found;

	if (!st)
		return lsr_error_last_code();
	sqlite3_bind_int64(st, 1, raw_dict_id(packer.dict));
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

static int packer_train(struct lsr_db *db)
{
	sqlite3_stmt *st;
	const void *bytes;
	size_t n;
	unsigned id = RAW_DICT_BASE + (unsigned)packer.run_id;

	packer.done = 1;
	if (packer.n < RAW_SAMPLE_MIN ||
	    raw_dict_train(&packer.dict, id, packer.samples.s, packer.sizes, packer.n) < 0) {
		lsr_error_clear();
		return 0; /* no dictionary: records are packed without */
	}
	buf_release(&packer.samples);
	st = db_prepare(db, "INSERT INTO raw_dicts(id, run_id, dict) VALUES(?1, ?2, ?3)");
	if (!st)
		return lsr_error_last_code();
	bytes = raw_dict_bytes(packer.dict, &n);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, packer.run_id);
	sqlite3_bind_blob64(st, 3, bytes, n, SQLITE_STATIC);
	return db_step_done(db, st);
}

/* Pack raw for run_id's record at position: the codec, the frame in out. */
static int pack_raw(struct lsr_db *db, int64_t run_id, uint64_t position,
		    const struct lsr_record *r, struct buf *out)
{
	int rc;

	if (packer.db != db || packer.run_id != run_id || position == 1) {
		packer_reset(db, run_id);
		if (position != 1 && (rc = packer_load(db)) < 0)
			return rc;
	}
	if (packer.dict && (rc = packer_dict_stored(db)) <= 0) {
		if (rc < 0)
			return rc;
		packer_reset(db, run_id);
		packer.done = 1;
	}
	if (!packer.done && r->raw_len) {
		if (packer.n == packer.cap) {
			unsigned cap = packer.cap ? 2 * packer.cap : 256;
			size_t *p = realloc(packer.sizes, cap * sizeof(*p));

			if (!p)
				return lsr_error_oom();
			packer.sizes = p;
			packer.cap = cap;
		}
		if (buf_add(&packer.samples, r->raw, r->raw_len) < 0)
			return lsr_error_oom();
		packer.sizes[packer.n++] = r->raw_len;
		if (packer.samples.len >= RAW_SAMPLE_BYTES && (rc = packer_train(db)) < 0)
			return rc;
	}
	return raw_pack(out, r->raw, r->raw_len, packer.dict);
}

/* Bind text that stays valid until the statement has run (no copy). */
static void bind_static(sqlite3_stmt *st, int idx, const char *s, size_t n)
{
	if (!n)
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_text(st, idx, s, (int)n, SQLITE_STATIC);
}

/* JSON and zstd scratch of db_record_insert, reused across calls, one set
 * per thread (an import stores from a thread of its own) */
static _Thread_local struct buf ins_js[6], ins_packed;

void db_record_insert_release(void)
{
	for (int i = 0; i < 6; i++)
		buf_release(&ins_js[i]);
	buf_release(&ins_packed);
}

int db_record_insert(struct lsr_db *db, int64_t run_id, uint64_t position,
		     const struct lsr_record *r, int64_t *out_id)
{
	static const char sql[] =
		"INSERT INTO records(run_id, position, line, byte_offset,"
		" source_record_id, ref_type, title, abstract, authors, year,"
		" pub_date, journal, journal_abbrev, volume, issue, pages, doi,"
		" pmid, pmcid, other_ids, issn, language, publication_types, mesh,"
		" keywords, relations, url, raw, raw_codec)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
		"?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29)";
	sqlite3_stmt *st = db_prepare(db, sql);
	struct buf *js = ins_js, *packed = &ins_packed;
	struct buf lang = BUF_INIT;
	int rc, codec;

	if (!st)
		return lsr_error_last_code();
	for (int i = 0; i < 6; i++)
		buf_reset(&js[i]);
	for (size_t i = 0; i < r->languages.n; i++)
		if ((i && buf_addc(&lang, ';') < 0) || buf_adds(&lang, r->languages.v[i]) < 0)
			goto oom;
	if (record_json_strv(&js[0], &r->authors) < 0 ||
	    json_other_ids(&js[1], &r->other_ids) < 0 ||
	    record_json_strv(&js[2], &r->publication_types) < 0 ||
	    record_json_strv(&js[3], &r->mesh) < 0 ||
	    record_json_strv(&js[4], &r->keywords) < 0 ||
	    record_json_strv(&js[5], &r->relations) < 0)
		goto oom;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)position);
	if (r->line)
		sqlite3_bind_int64(st, 3, (sqlite3_int64)r->line);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)r->offset);
	bind_static(st, 5, r->source_id.s, r->source_id.len);
	bind_static(st, 6, r->ref_type.s, r->ref_type.len);
	bind_static(st, 7, r->title.s, r->title.len);
	bind_static(st, 8, r->abstract.s, r->abstract.len);
	bind_static(st, 9, js[0].s, js[0].len);
	if (r->year)
		sqlite3_bind_int(st, 10, r->year);
	bind_static(st, 11, r->pub_date.s, r->pub_date.len);
	bind_static(st, 12, r->journal.s, r->journal.len);
	bind_static(st, 13, r->journal_abbrev.s, r->journal_abbrev.len);
	bind_static(st, 14, r->volume.s, r->volume.len);
	bind_static(st, 15, r->issue.s, r->issue.len);
	bind_static(st, 16, r->pages.s, r->pages.len);
	bind_static(st, 17, r->doi.s, r->doi.len);
	bind_static(st, 18, r->pmid.s, r->pmid.len);
	bind_static(st, 19, r->pmcid.s, r->pmcid.len);
	bind_static(st, 20, js[1].s, js[1].len);
	bind_static(st, 21, r->issn.s, r->issn.len);
	bind_static(st, 22, lang.s, lang.len);
	bind_static(st, 23, js[2].s, js[2].len);
	bind_static(st, 24, js[3].s, js[3].len);
	bind_static(st, 25, js[4].s, js[4].len);
	bind_static(st, 26, js[5].s, js[5].len);
	bind_static(st, 27, r->url.s, r->url.len);
	codec = pack_raw(db, run_id, position, r, packed);
	if (codec < 0) {
		sqlite3_clear_bindings(st);
		buf_release(&lang);
		return codec;
	}
	if (codec == RAW_CODEC_ZSTD) {
		sqlite3_bind_blob64(st, 28, packed->s, packed->len, SQLITE_STATIC);
		sqlite3_bind_int(st, 29, codec);
	} else {
		sqlite3_bind_blob64(st, 28, r->raw ? r->raw : "", r->raw_len, SQLITE_STATIC);
	}
	rc = db_step_done(db, st);
	sqlite3_clear_bindings(st); /* the bound text is about to go */
	buf_release(&lang);
	if (rc == 0 && out_id)
		*out_id = db_last_id(db);
	return rc;
oom:
	buf_release(&lang);
	return lsr_error_oom();
}

static void col_buf(sqlite3_stmt *st, int col, struct buf *b)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	buf_reset(b);
	if (t)
		buf_add(b, t, (size_t)sqlite3_column_bytes(st, col));
}

/* a JSON array of strings (or an object of arrays: "kind:value") into sv */
static int col_strv(sqlite3_stmt *st, int col, struct strv *sv)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	json_t *j, *v;
	size_t i;
	const char *k;
	int rc = 0;

	strv_clear(sv);
	if (!t)
		return 0;
	j = json_loads(t, JSON_DECODE_ANY, NULL);
	if (!j)
		return lsr_error_set(LSR_EDB, "stored list is not valid JSON: %.80s", t);
	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (json_is_string(v) && (rc = strv_push(sv, json_string_value(v))) < 0)
				break;
	} else if (json_is_object(j)) {
		json_t *arr;

		json_object_foreach(j, k, arr) {
			json_array_foreach(arr, i, v) {
				struct buf b = BUF_INIT;

				if (!json_is_string(v))
					continue;
				if (buf_printf(&b, "%s:%s", k, json_string_value(v)) < 0 ||
				    (rc = strv_push_owned(sv, buf_detach(&b))) < 0) {
					buf_release(&b);
					rc = LSR_ENOMEM;
					break;
				}
			}
		}
	}
	json_decref(j);
	return rc;
}

int db_record_from_row(sqlite3_stmt *st, int c, struct lsr_record *r)
{
	const char *lang;
	int rc;

	record_reset(r);
	col_buf(st, c + 0, &r->source_id);
	col_buf(st, c + 1, &r->ref_type);
	col_buf(st, c + 2, &r->title);
	col_buf(st, c + 3, &r->abstract);
	if ((rc = col_strv(st, c + 4, &r->authors)) < 0)
		return rc;
	r->year = sqlite3_column_int(st, c + 5);
	col_buf(st, c + 6, &r->pub_date);
	col_buf(st, c + 7, &r->journal);
	col_buf(st, c + 8, &r->journal_abbrev);
	col_buf(st, c + 9, &r->volume);
	col_buf(st, c + 10, &r->issue);
	col_buf(st, c + 11, &r->pages);
	col_buf(st, c + 12, &r->doi);
	col_buf(st, c + 13, &r->pmid);
	col_buf(st, c + 14, &r->pmcid);
	if ((rc = col_strv(st, c + 15, &r->other_ids)) < 0)
		return rc;
	col_buf(st, c + 16, &r->issn);
	lang = (const char *)sqlite3_column_text(st, c + 17);
	if (lang && (rc = strv_split(&r->languages, lang, ";")) < 0)
		return rc;
	if ((rc = col_strv(st, c + 18, &r->publication_types)) < 0 ||
	    (rc = col_strv(st, c + 19, &r->mesh)) < 0 ||
	    (rc = col_strv(st, c + 20, &r->keywords)) < 0 ||
	    (rc = col_strv(st, c + 21, &r->relations)) < 0)
		return rc;
	col_buf(st, c + 22, &r->url);
	r->line = (uint64_t)sqlite3_column_int64(st, c + 23);
	r->offset = (uint64_t)sqlite3_column_int64(st, c + 24);
	return 0;
}
