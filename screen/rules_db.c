/*
 * rules_db.c - running the protocol's rules on the review's citations and
 * storing the hits per rule-set hash (see screen.h, 0004_screen.sql).
 *
 * What a rule sees of a citation: the title, abstract, journal and year
 * of its merged metadata (view citation_metadata: the representative
 * record's fields, the longest abstract of any member), and the union of
 * the keywords, MeSH terms, publication types and languages of all its
 * counted members.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "screen.h"
#include "screening_int.h"
#include "../db/db.h"
#include "../db/protocol.h"
#include "../util/clock.h"
#include "../util/array.h"
#include "../util/err.h"
#include "../util/strv.h"
#include "../util/text.h"

#include <assert.h>
#include <jansson.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

enum { L_KEYWORDS, L_MESH, L_PUBTYPE, L_LANGUAGE, L_COUNT };

struct cdoc {
	int64_t id;
	struct buf text[SCREEN_F_COUNT];
	struct strv list[L_COUNT];
	char year[16];
};

static void cdocs_free(struct cdoc *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (int f = 0; f < SCREEN_F_COUNT; f++)
			buf_release(&v[i].text[f]);
		for (int l = 0; l < L_COUNT; l++)
			strv_release(&v[i].list[l]);
	}
	free(v);
}

static struct cdoc *cdoc_find(struct cdoc *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid].id < id)
			lo = mid + 1;
		else if (v[mid].id > id)
			hi = mid;
		else
			return &v[mid];
	}
	return NULL;
}

static int add_json_list(struct strv *sv, const char *text)
{
	json_t *a;
	size_t i;
	json_t *it;

	if (!text)
		return 0;
	a = json_loads(text, 0, NULL);
	if (!a)
		return 0;
	json_array_foreach(a, i, it) {
		if (json_is_string(it) && json_string_length(it) &&
		    strv_push_unique(sv, json_string_value(it)) < 0) {
			json_decref(a);
			return LSR_ENOMEM;
		}
	}
	json_decref(a);
	return 0;
}

/* Load the citations to evaluate into *out (sorted by id). */
static int load_docs(struct lsr_db *db, const char *hash, int only_new, struct cdoc **out,
		     size_t *out_n)
{
	static const char sql_docs[] =
		"SELECT m.id, m.title, m.abstract, m.journal, m.year"
		" FROM live_citations l JOIN citation_metadata m ON m.id = l.id"
		" WHERE NOT EXISTS (SELECT 1 FROM screen_decisions d"
		"   WHERE d.citation_id = l.id AND d.stage = 'title-abstract')"
		" AND (?2 = 0 OR NOT EXISTS (SELECT 1 FROM screen_rule_evals e"
		"   WHERE e.ruleset = ?1 AND e.citation_id = l.id))"
		" ORDER BY l.id";
	static const char sql_lists[] =
		"SELECT m.citation_id, r.keywords, r.mesh, r.publication_types, r.language"
		" FROM citation_members m JOIN dedup_records r ON r.id = m.record_id"
		" ORDER BY m.citation_id, r.id";
	struct cdoc *v = NULL;
	size_t n = 0, alloc = 0;
	sqlite3_stmt *st;
	int step, rc = 0;

	*out = NULL;
	*out_n = 0;
	st = db_prepare(db, sql_docs);
	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, hash);
	sqlite3_bind_int(st, 2, only_new);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		static const int cols[] = { SCREEN_F_TITLE, SCREEN_F_ABSTRACT, SCREEN_F_JOURNAL };
		struct cdoc *d;

		if ((rc = ARRAY_GROW(v, n, alloc, 256)) < 0)
			goto fail;
		d = &v[n++];
		memset(d, 0, sizeof(*d));
		for (int f = 0; f < SCREEN_F_COUNT; f++)
			buf_init(&d->text[f], 0);
		d->id = sqlite3_column_int64(st, 0);
		for (int k = 0; k < 3; k++) {
			const char *t = (const char *)sqlite3_column_text(st, k + 1);

			if (t && buf_adds(&d->text[cols[k]], t) < 0) {
				rc = LSR_ENOMEM;
				goto fail;
			}
		}
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			snprintf(d->year, sizeof(d->year), "%d", sqlite3_column_int(st, 4));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		rc = db_error(db, sql_docs);
		goto fail;
	}
	if (n == 0)   /* nothing to evaluate: no need to read every record's lists */
		return 0;
	st = db_prepare(db, sql_lists);
	if (!st) {
		rc = lsr_error_last_code();
		goto fail;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cdoc *d = cdoc_find(v, n, sqlite3_column_int64(st, 0));
		const char *lang;

		if (!d)
			continue;
		if ((rc = add_json_list(&d->list[L_KEYWORDS], (const char *)sqlite3_column_text(st, 1))) < 0 ||
		    (rc = add_json_list(&d->list[L_MESH], (const char *)sqlite3_column_text(st, 2))) < 0 ||
		    (rc = add_json_list(&d->list[L_PUBTYPE], (const char *)sqlite3_column_text(st, 3))) < 0)
			break;
		lang = (const char *)sqlite3_column_text(st, 4);
		if (lang) {
			struct strv parts = STRV_INIT;

			rc = strv_split(&parts, lang, ";");
			for (size_t k = 0; rc == 0 && k < parts.n; k++)
				rc = strv_push_unique(&d->list[L_LANGUAGE], parts.v[k]);
			strv_release(&parts);
			if (rc < 0)
				break;
		}
	}
	sqlite3_reset(st);
	if (rc < 0)
		goto fail;
	if (step != SQLITE_DONE) {
		rc = db_error(db, sql_lists);
		goto fail;
	}
	/* list fields: items joined by newlines */
	for (size_t i = 0; i < n; i++) {
		static const int fields[L_COUNT] = { SCREEN_F_KEYWORDS, SCREEN_F_MESH,
						     SCREEN_F_PUBTYPE, SCREEN_F_LANGUAGE };

		for (int l = 0; l < L_COUNT; l++)
			for (size_t k = 0; k < v[i].list[l].n; k++)
				if ((k && buf_addc(&v[i].text[fields[l]], '\n') < 0) ||
				    buf_adds(&v[i].text[fields[l]], v[i].list[l].v[k]) < 0) {
					rc = LSR_ENOMEM;
					goto fail;
				}
		if (v[i].year[0] && buf_adds(&v[i].text[SCREEN_F_YEAR], v[i].year) < 0) {
			rc = LSR_ENOMEM;
			goto fail;
		}
	}
	*out = v;
	*out_n = n;
	return 0;
fail:
	cdocs_free(v, n);
	return rc;
}

static void make_doc(struct screen_doc *d, const struct cdoc *c)
{
	memset(d, 0, sizeof(*d));
	for (int f = 0; f < SCREEN_F_COUNT; f++) {
		const struct buf *b = &c->text[f];

		/* stored text is valid UTF-8; a field that is not is left out */
		if (b->len && text_is_utf8(b->s, b->len)) {
			d->text[f] = b->s;
			d->len[f] = b->len;
		}
	}
	d->year = c->year[0] ? atoi(c->year) : 0;
}

static int store(struct lsr_db *db, const struct screen_rules *rs, const struct cdoc *cd,
		 const struct screen_doc *docs, size_t n, const struct screen_hits *hits,
		 int64_t run)
{
	static const char sql_del[] =
		"DELETE FROM screen_hits WHERE ruleset = ?1 AND citation_id = ?2";
	static const char sql_eval[] =
		"INSERT OR REPLACE INTO screen_rule_evals(ruleset, citation_id, run_id)"
		" VALUES(?1, ?2, ?3)";
	static const char sql_hit[] =
		"INSERT INTO screen_hits(ruleset, citation_id, rule, rule_index, reason, mode,"
		" field, span_start, span_end, matched, error, run_id)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	const char *hash = screen_rules_hash(rs);
	sqlite3_stmt *st;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (!(st = db_prepare(db, sql_del)))
			return lsr_error_last_code();
		db_bind_text(st, 1, hash);
		sqlite3_bind_int64(st, 2, cd[i].id);
		if ((rc = db_step_done(db, st)) < 0)
			return rc;
		if (!(st = db_prepare(db, sql_eval)))
			return lsr_error_last_code();
		db_bind_text(st, 1, hash);
		sqlite3_bind_int64(st, 2, cd[i].id);
		sqlite3_bind_int64(st, 3, run);
		if ((rc = db_step_done(db, st)) < 0)
			return rc;
	}
	for (size_t k = 0; k < hits->n; k++) {
		const struct screen_hit *h = &hits->v[k];
		const struct screen_doc *d = &docs[h->doc];

		assert(h->doc < n); /* a hit is on one of the n documents */
		if (!(st = db_prepare(db, sql_hit)))
			return lsr_error_last_code();
		db_bind_text(st, 1, hash);
		sqlite3_bind_int64(st, 2, cd[h->doc].id);
		db_bind_text(st, 3, screen_rule_name(rs, h->rule));
		sqlite3_bind_int(st, 4, (int)h->rule);
		db_bind_text(st, 5, screen_rule_reason(rs, h->rule));
		db_bind_text(st, 6, screen_rule_excludes(rs, h->rule) ? "exclude" : "suggest");
		db_bind_text(st, 7, h->field >= 0 ? screen_field_name(h->field) : NULL);
		if (h->error) {
			PCRE2_UCHAR msg[160];

			pcre2_get_error_message(h->error, msg, sizeof(msg));
			db_bind_text(st, 11, (const char *)msg);
		} else if (h->field >= 0) {
			sqlite3_bind_int64(st, 8, (sqlite3_int64)h->start);
			sqlite3_bind_int64(st, 9, (sqlite3_int64)h->end);
			db_bind_textn(st, 10, d->text[h->field] + h->start, h->end - h->start);
		}
		sqlite3_bind_int64(st, 12, run);
		if ((rc = db_step_done(db, st)) < 0)
			return rc;
	}
	return 0;
}

static json_t *summary(const struct screen_rules *rs, const struct protocol *p,
		       const struct cdoc *cd, size_t n, const struct screen_hits *hits,
		       int dry_run, int64_t run)
{
	size_t nr = screen_rules_count(rs), nerr = 0, nhits = 0, auto_ex = 0;
	size_t *per_rule = calloc(nr ? nr : 1, sizeof(size_t));
	size_t *per_rule_err = calloc(nr ? nr : 1, sizeof(size_t));
	json_t *o = json_object(), *rules = json_array(), *reasons = json_array();
	json_t *errors = json_array();

	if (!per_rule || !per_rule_err || !o) {
		free(per_rule);
		free(per_rule_err);
		json_decref(o);
		json_decref(rules);
		json_decref(reasons);
		json_decref(errors);
		return NULL;
	}
	for (size_t k = 0; k < hits->n; k++) {
		const struct screen_hit *h = &hits->v[k];

		assert(h->doc < n); /* a hit is on one of the n documents */
		if (h->error) {
			PCRE2_UCHAR msg[160];

			per_rule_err[h->rule]++;
			nerr++;
			pcre2_get_error_message(h->error, msg, sizeof(msg));
			json_array_append_new(errors, json_pack("{s:I,s:s,s:s,s:s}", "citation",
				(json_int_t)cd[h->doc].id, "rule", screen_rule_name(rs, h->rule),
				"field", screen_field_name(h->field), "error", (const char *)msg));
		} else {
			per_rule[h->rule]++;
			nhits++;
		}
	}
	/* citations excluded automatically: with at least one exclude hit */
	for (size_t k = 0; k < hits->n; k++) {
		const struct screen_hit *h = &hits->v[k];
		int first = 1;

		if (h->error || !screen_rule_excludes(rs, h->rule))
			continue;
		for (size_t j = k; j-- > 0 && hits->v[j].doc == h->doc;)
			if (!hits->v[j].error && screen_rule_excludes(rs, hits->v[j].rule))
				first = 0;
		auto_ex += (size_t)first;
	}
	for (size_t i = 0; i < nr; i++)
		json_array_append_new(rules, json_pack("{s:s,s:s,s:s,s:b,s:I,s:I}",
			"name", screen_rule_name(rs, i), "reason", screen_rule_reason(rs, i),
			"mode", screen_rule_excludes(rs, i) ? "exclude" : "suggest",
			"prefiltered", screen_rule_prefiltered(rs, i),
			"citations", (json_int_t)per_rule[i], "errors", (json_int_t)per_rule_err[i]));
	for (size_t r = 0; r < p->nreasons; r++) {
		const char *code = p->reasons[r].code;
		size_t sug = 0, exc = 0;

		for (size_t k = 0; k < hits->n; k++) {
			const struct screen_hit *h = &hits->v[k];
			int is_ex, seen = 0;

			if (h->error || strcmp(screen_rule_reason(rs, h->rule), code))
				continue;
			is_ex = screen_rule_excludes(rs, h->rule);
			/* count each citation once per reason and mode */
			for (size_t j = k; j-- > 0 && hits->v[j].doc == h->doc;)
				if (!hits->v[j].error &&
				    !strcmp(screen_rule_reason(rs, hits->v[j].rule), code) &&
				    screen_rule_excludes(rs, hits->v[j].rule) == is_ex)
					seen = 1;
			if (!seen)
				*(is_ex ? &exc : &sug) += 1;
		}
		json_array_append_new(reasons, json_pack("{s:s,s:I,s:I}", "code", code,
			"suggested", (json_int_t)sug, "excluded", (json_int_t)exc));
	}
	json_object_set_new(o, "schema_version", json_integer(1));
	json_object_set_new(o, "ruleset", json_string(screen_rules_hash(rs)));
	json_object_set_new(o, "dry_run", json_boolean(dry_run));
	json_object_set_new(o, "run", run ? json_integer(run) : json_null());
	json_object_set_new(o, "citations", json_integer((json_int_t)n));
	json_object_set_new(o, "hits", json_integer((json_int_t)nhits));
	json_object_set_new(o, "excluded_automatically", json_integer((json_int_t)auto_ex));
	json_object_set_new(o, "rules", rules);
	json_object_set_new(o, "reasons", reasons);
	json_object_set_new(o, "errors", errors);
	free(per_rule);
	free(per_rule_err);
	return o;
}

int screen_rules_run(struct lsr_db *db, const struct protocol *p, unsigned flags,
		     int threads, struct json_t **out)
{
	static const char sql_run[] =
		"INSERT INTO screen_rule_runs(ruleset, rules, started_at, citations, hits, errors, actor)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	struct screen_rules *rs = NULL;
	struct cdoc *cd = NULL;
	struct screen_doc *docs = NULL;
	struct screen_hits hits = { 0 };
	size_t n = 0, nerr = 0;
	int64_t run = 0;
	int dry = (flags & SCREEN_RULES_DRY_RUN) != 0, rc, in_txn = 0;
	char now[CLOCK_ISO_LEN];
	json_t *sum;

	if (out)
		*out = NULL;
	if ((rc = screen_rules_compile(&rs, p)) < 0)
		return rc;
	if (!dry) {
		if ((rc = db_txn_begin(db)) < 0)
			goto out;
		in_txn = 1;
	}
	rc = load_docs(db, screen_rules_hash(rs), (flags & SCREEN_RULES_ONLY_NEW) != 0, &cd, &n);
	if (rc < 0)
		goto out;
	docs = calloc(n ? n : 1, sizeof(*docs));
	if (!docs) {
		rc = lsr_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		make_doc(&docs[i], &cd[i]);
	if ((rc = screen_rules_eval(rs, docs, n, threads, 0, &hits)) < 0)
		goto out;
	for (size_t k = 0; k < hits.n; k++)
		nerr += hits.v[k].error != 0;
	/* nothing new to evaluate under a rule set already current: no run */
	if (!dry && !(n == 0 && (flags & SCREEN_RULES_ONLY_NEW))) {
		sqlite3_stmt *st = db_prepare(db, sql_run);

		if (!st) {
			rc = lsr_error_last_code();
			goto out;
		}
		clock_now_iso(now);
		db_bind_text(st, 1, screen_rules_hash(rs));
		db_bind_text(st, 2, screen_rules_json(rs));
		db_bind_text(st, 3, now);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)(hits.n - nerr));
		sqlite3_bind_int64(st, 6, (sqlite3_int64)nerr);
		db_bind_text(st, 7, db_actor());
		if ((rc = db_step_done(db, st)) < 0)
			goto out;
		run = db_last_id(db);
		if ((rc = store(db, rs, cd, docs, n, &hits, run)) < 0)
			goto out;
	}
	sum = summary(rs, p, cd, n, &hits, dry, run);
	if (!sum) {
		rc = lsr_error_oom();
		goto out;
	}
	if (run && (rc = scr_audit(db, "screen-rules", "rules run", run, json_incref(sum))) < 0) {
		json_decref(sum);
		goto out;
	}
	if (in_txn) {
		in_txn = 0;
		if ((rc = db_txn_commit(db)) < 0) {
			json_decref(sum);
			goto out;
		}
	}
	if (out)
		*out = sum;
	else
		json_decref(sum);
out:
	if (in_txn)
		db_txn_rollback(db);
	screen_hits_release(&hits);
	free(docs);
	cdocs_free(cd, n);
	screen_rules_free(rs);
	return rc;
}
