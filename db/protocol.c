/*
 * protocol.c - reading and validating protocol.yaml (see protocol.h).
 *
 * The schema is data: each mapping of the file is a table of fields
 * (key, type, required?, where the value goes in the struct).  One walker
 * checks a document against the tables and decodes it, so a key added to the
 * schema is one row here and one member in protocol.h.
 */
#include "protocol.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <errno.h>
#include <libfyaml.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

enum ptype {
	P_STR,     /* a scalar, kept as text */
	P_INT,     /* an integer scalar */
	P_BOOL,    /* true/false/yes/no */
	P_ENUM,    /* a scalar from values[] */
	P_STRV,    /* a sequence of scalars (a single scalar is one item) */
	P_MAP,     /* a nested mapping decoded by sub (into the same base + off) */
	P_SEQ_MAP, /* a sequence of mappings decoded by sub into an array */
};

enum { REQ = 1 };

struct pschema;

struct pfield {
	const char *key;
	enum ptype type;
	unsigned flags;
	size_t off;                 /* where the value goes */
	const char *const *values;  /* P_ENUM: NULL-terminated */
	const struct pschema *sub;  /* P_MAP, P_SEQ_MAP */
	size_t count_off;           /* P_SEQ_MAP: the size_t count */
	long line_off;              /* P_STR: int member for the value's line, or -1 */
};

struct pschema {
	const struct pfield *fields;
	size_t nfields;
	size_t elem_size; /* P_SEQ_MAP element size */
	long line_off;    /* int member for the entry's line, or -1 */
	void (*init)(void *elem); /* P_SEQ_MAP: defaults before decoding, or NULL */
};

#define NOLINE (-1L)
#define F(k, t, fl, st, m) { k, t, fl, offsetof(st, m), NULL, NULL, 0, NOLINE }
#define FL(k, st, m, lm) { k, P_STR, 0, offsetof(st, m), NULL, NULL, 0, (long)offsetof(st, lm) }
#define FE(k, fl, st, m, vals) { k, P_ENUM, fl, offsetof(st, m), vals, NULL, 0, NOLINE }
#define FM(k, st, m, sub) { k, P_MAP, 0, offsetof(st, m), NULL, &(sub), 0, NOLINE }
#define FS(k, fl, st, m, cnt, sub) { k, P_SEQ_MAP, fl, offsetof(st, m), NULL, &(sub), offsetof(st, cnt), NOLINE }
#define SCHEMA_INIT(name, arr, st, lm, init) \
	static const struct pschema name = { arr, sizeof(arr) / sizeof((arr)[0]), sizeof(st), lm, init }
#define SCHEMA(name, arr, st, lm) SCHEMA_INIT(name, arr, st, lm, NULL)

static const char *const kinds[] = { "database", "register", "other", NULL };
static const char *const apis[] = { "pubmed", "europepmc", "ctgov", NULL };
static const char *const formats[] = { "auto", "pubmed-xml", "medline", "ris", "wos",
				       "endnote-xml", "endnote", "bibtex", "csv", NULL };
static const char *const stages[] = { "title-abstract", "full-text", NULL };
static const char *const rstatuses[] = { "excluded", "ongoing", "awaiting-classification", NULL };
static const char *const modes[] = { "suggest", "exclude", NULL };
static const char *const orders[] = { "random", "priority", NULL };
static const char *const ctypes[] = { "text", "number", "integer", "choice", NULL };
static const char *const otypes[] = { "continuous", "dichotomous", "time-to-event", NULL };
static const char *const betters[] = { "higher", "lower", NULL };
static const char *const okinds[] = { "efficacy", "adverse_event", NULL };
static const char *const robs[] = { "rob1", "rob2", NULL };
static const char *const rob2_effects[] = { "assignment", "adherence", NULL };
static const char *const sensitivities[] = { "exclude_high_risk", "exclude_some_concerns", NULL };
static const char *const measures[] = { "MD", "SMD", "OR", "RR", "RD", "GIV", NULL };
static const char *const methods[] = { "IV", "MH", "Peto", NULL };
static const char *const models[] = { "fixed", "random", "auto", NULL };
static const char *const tau2s[] = { "DL", "REML", "PM", "ML", "HS", "HE", "SJ", "EB", NULL };
static const char *const conventions[] = { "revman5", "metafor", NULL };
static const char *const cis[] = { "z", "t", "hk", "hk-adhoc", NULL };
static const char *const tf_sides[] = { "left", "right", NULL };
static const char *const tf_estimators[] = { "L0", "R0", NULL };

static const struct pfield picos_fields[] = {
	F("population", P_STR, 0, struct protocol_picos, population),
	F("intervention", P_STR, 0, struct protocol_picos, intervention),
	F("comparison", P_STR, 0, struct protocol_picos, comparison),
	F("outcomes", P_STR, 0, struct protocol_picos, outcomes),
	F("study_design", P_STR, 0, struct protocol_picos, study_design),
};
SCHEMA(picos_schema, picos_fields, struct protocol_picos, NOLINE);

static const struct pfield source_fields[] = {
	F("name", P_STR, REQ, struct protocol_source, name),
	FE("kind", 0, struct protocol_source, kind, kinds),
	FE("api", 0, struct protocol_source, api, apis),
	F("query", P_STR, 0, struct protocol_source, query),
	F("files", P_STRV, 0, struct protocol_source, files),
	FE("format", 0, struct protocol_source, format, formats),
	F("strategy", P_STR, 0, struct protocol_source, strategy),
	F("allow_outside", P_BOOL, 0, struct protocol_source, allow_outside),
};
SCHEMA(source_schema, source_fields, struct protocol_source,
       (long)offsetof(struct protocol_source, line));

static const struct pfield reason_fields[] = {
	F("code", P_STR, REQ, struct protocol_reason, code),
	F("label", P_STR, 0, struct protocol_reason, label),
	FE("stage", 0, struct protocol_reason, stage, stages),
	FE("status", 0, struct protocol_reason, status, rstatuses),
};
SCHEMA(reason_schema, reason_fields, struct protocol_reason,
       (long)offsetof(struct protocol_reason, line));

static const struct pfield rule_fields[] = {
	F("name", P_STR, REQ, struct protocol_rule, name),
	F("reason", P_STR, REQ, struct protocol_rule, reason),
	FE("mode", 0, struct protocol_rule, mode, modes),
	F("fields", P_STRV, 0, struct protocol_rule, fields),
	FL("match", struct protocol_rule, match, match_line),
	FL("unless", struct protocol_rule, unless, unless_line),
	F("publication_type", P_STRV, 0, struct protocol_rule, publication_type),
	F("language_not", P_STRV, 0, struct protocol_rule, language_not),
	F("year_before", P_INT, 0, struct protocol_rule, year_before),
	F("year_after", P_INT, 0, struct protocol_rule, year_after),
};
SCHEMA(rule_schema, rule_fields, struct protocol_rule,
       (long)offsetof(struct protocol_rule, line));

static const struct pfield priority_fields[] = {
	F("retrain_every", P_INT, 0, struct protocol_priority, retrain_every),
};
SCHEMA(priority_schema, priority_fields, struct protocol_priority, NOLINE);

static const struct pfield screening_fields[] = {
	F("reviewers", P_INT, 0, struct protocol, reviewers),
	FS("reasons", REQ, struct protocol, reasons, nreasons, reason_schema),
	FS("rules", 0, struct protocol, rules, nrules, rule_schema),
	FE("order", 0, struct protocol, screening_order, orders),
	FM("priority", struct protocol, priority, priority_schema),
	F("reasons_required_at", P_STRV, 0, struct protocol, reasons_required_at),
	F("reason_conflicts", P_BOOL, 0, struct protocol, reason_conflicts),
};
SCHEMA(screening_schema, screening_fields, struct protocol, NOLINE);

static const struct pfield characteristic_fields[] = {
	F("name", P_STR, REQ, struct protocol_characteristic, name),
	FE("type", 0, struct protocol_characteristic, type, ctypes),
	F("values", P_STRV, 0, struct protocol_characteristic, values),
	F("unit", P_STR, 0, struct protocol_characteristic, unit),
	F("label", P_STR, 0, struct protocol_characteristic, label),
};
SCHEMA(characteristic_schema, characteristic_fields, struct protocol_characteristic,
       (long)offsetof(struct protocol_characteristic, line));

static const struct pfield outcome_fields[] = {
	F("name", P_STR, REQ, struct protocol_outcome, name),
	FE("type", 0, struct protocol_outcome, type, otypes),
	F("unit", P_STR, 0, struct protocol_outcome, unit),
	FE("better", 0, struct protocol_outcome, better, betters),
	FE("kind", 0, struct protocol_outcome, kind, okinds),
	F("timepoints", P_STRV, 0, struct protocol_outcome, timepoints),
	F("label", P_STR, 0, struct protocol_outcome, label),
};
SCHEMA(outcome_schema, outcome_fields, struct protocol_outcome,
       (long)offsetof(struct protocol_outcome, line));

static const struct pfield extraction_fields[] = {
	F("extractors", P_INT, 0, struct protocol, extractors),
	F("allow_single_extractor", P_BOOL, 0, struct protocol, allow_single_extractor),
	FS("characteristics", 0, struct protocol, characteristics, ncharacteristics,
	   characteristic_schema),
	FS("outcomes", 0, struct protocol, outcomes, noutcomes, outcome_schema),
	FE("risk_of_bias", 0, struct protocol, risk_of_bias, robs),
	FE("rob2_effect", 0, struct protocol, rob2_effect, rob2_effects),
	F("rob2_per_timepoint", P_BOOL, 0, struct protocol, rob2_per_timepoint),
	F("rob1_per_outcome", P_STRV, 0, struct protocol, rob1_per_outcome),
};
SCHEMA(extraction_schema, extraction_fields, struct protocol, NOLINE);

/* analysis options, flat in each analysis and in analyses.defaults */
struct opts_wrap {
	struct protocol_analysis_opts o;
};
/* m names a member of st, which offsetof cannot take in parentheses */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define ANALYSIS_OPTS(st, m) \
	FE("measure", 0, st, m.measure, measures), \
	FE("method", 0, st, m.method, methods), \
	FE("model", 0, st, m.model, models), \
	FE("tau2", 0, st, m.tau2, tau2s), \
	F("hk", P_BOOL, 0, st, m.hk), \
	FE("ci", 0, st, m.ci, cis), \
	F("allow_repeated_studies", P_BOOL, 0, st, m.allow_repeated), \
	F("level", P_INT, 0, st, m.level), \
	FE("convention", 0, st, m.convention, conventions)
/* NOLINTEND(bugprone-macro-parentheses) */

static const struct pfield defaults_fields[] = {
	ANALYSIS_OPTS(struct opts_wrap, o),
};
SCHEMA(defaults_schema, defaults_fields, struct opts_wrap, NOLINE);

static const struct pfield published_fields[] = {
	FE("measure", 0, struct protocol_published, measure, measures),
	F("estimate", P_STR, 0, struct protocol_published, estimate),
	F("ci_lb", P_STR, 0, struct protocol_published, ci_lb),
	F("ci_ub", P_STR, 0, struct protocol_published, ci_ub),
	F("p", P_STR, 0, struct protocol_published, p),
	F("i2", P_STR, 0, struct protocol_published, i2),
	F("k", P_STR, 0, struct protocol_published, k),
	F("source", P_STR, REQ, struct protocol_published, source),
};
SCHEMA(published_schema, published_fields, struct protocol_published, NOLINE);

static const struct pfield analysis_fields[] = {
	F("name", P_STR, REQ, struct protocol_analysis, name),
	F("outcome", P_STR, REQ, struct protocol_analysis, outcome),
	F("timepoint", P_STR, 0, struct protocol_analysis, timepoint),
	F("subgroup", P_STR, 0, struct protocol_analysis, subgroup),
	F("exclude", P_STRV, 0, struct protocol_analysis, exclude),
	FE("sensitivity", 0, struct protocol_analysis, sensitivity, sensitivities),
	F("addons", P_STRV, 0, struct protocol_analysis, addons),
	F("moderators", P_STRV, 0, struct protocol_analysis, moderators),
	F("cumulative_by", P_STR, 0, struct protocol_analysis, cumulative_by),
	FE("trimfill_side", 0, struct protocol_analysis, trimfill_side, tf_sides),
	FE("trimfill_estimator", 0, struct protocol_analysis, trimfill_estimator, tf_estimators),
	ANALYSIS_OPTS(struct protocol_analysis, opts),
	F("label", P_STR, 0, struct protocol_analysis, label),
	FM("published", struct protocol_analysis, published, published_schema),
};
static void analysis_init(void *elem)
{
	((struct protocol_analysis *)elem)->opts.hk = -1;
	((struct protocol_analysis *)elem)->opts.allow_repeated = -1;
}
SCHEMA_INIT(analysis_schema, analysis_fields, struct protocol_analysis,
	    (long)offsetof(struct protocol_analysis, line), analysis_init);

static const struct pfield analyses_fields[] = {
	FM("defaults", struct protocol, analysis_defaults, defaults_schema),
	FS("list", 0, struct protocol, analyses, nanalyses, analysis_schema),
};
SCHEMA(analyses_schema, analyses_fields, struct protocol, NOLINE);

static const struct pfield sof_fields[] = {
	F("outcome", P_STR, REQ, struct protocol_sof, outcome),
	F("analysis", P_STR, 0, struct protocol_sof, analysis),
	F("label", P_STR, 0, struct protocol_sof, label),
	F("mid", P_STR, 0, struct protocol_sof, mid_text),
	F("assumed_risk", P_STR, 0, struct protocol_sof, assumed_risk_text),
};
SCHEMA(sof_schema, sof_fields, struct protocol_sof, (long)offsetof(struct protocol_sof, line));

static const struct pfield top_fields[] = {
	F("lsr_protocol", P_INT, REQ, struct protocol, version),
	F("title", P_STR, REQ, struct protocol, title),
	F("registration", P_STR, 0, struct protocol, registration),
	F("question", P_STR, 0, struct protocol, question),
	F("contact_email", P_STR, 0, struct protocol, contact_email),
	FM("picos", struct protocol, picos, picos_schema),
	FS("sources", REQ, struct protocol, sources, nsources, source_schema),
	{ "screening", P_MAP, 0, 0, NULL, &screening_schema, 0, NOLINE },
	{ "extraction", P_MAP, 0, 0, NULL, &extraction_schema, 0, NOLINE },
	{ "analyses", P_MAP, 0, 0, NULL, &analyses_schema, 0, NOLINE },
	FS("summary_of_findings", 0, struct protocol, sof, nsof, sof_schema),
};
SCHEMA(top_schema, top_fields, struct protocol, NOLINE);

/* ------------------------------------------------------------------ */
/* the walker */

struct walk {
	const char *file; /* for messages */
};

/* 1-based line of a node: its own token for scalars, else the first key or
 * item inside it; fallback for empty collections. */
static int node_line(struct fy_node *n, int fallback)
{
	void *it = NULL;

	if (!n)
		return fallback;
	if (fy_node_is_scalar(n)) {
		struct fy_token *t = fy_node_get_scalar_token(n);
		const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;

		return m ? m->line + 1 : fallback;
	}
	if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);

		return p ? node_line(fy_node_pair_key(p), fallback) : fallback;
	}
	if (fy_node_is_sequence(n))
		return node_line(fy_node_sequence_iterate(n, &it), fallback);
	return fallback;
}

static int fail(const struct walk *w, int line, const struct buf *path,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(const struct walk *w, int line, const struct buf *path,
		const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
	va_end(ap);
	return lsr_error_set(LSR_EPARSE, "%s:%d: %s: %s", w->file, line,
			     path->len ? path->s : "(top)", what);
}

static int is_null(struct fy_node *n)
{
	size_t len;
	const char *s;

	if (!n)
		return 1;
	if (!fy_node_is_scalar(n))
		return 0;
	s = fy_node_get_scalar(n, &len);
	return fy_node_get_style(n) == FYNS_PLAIN &&
	       (len == 0 || (len == 1 && s[0] == '~') ||
		(len == 4 && !strncasecmp(s, "null", 4)));
}

static int scalar_dup(char **out, struct fy_node *n)
{
	size_t len;
	const char *s = fy_node_get_scalar(n, &len);

	*out = xstrndup(s ? s : "", s ? len : 0);
	return *out ? 0 : LSR_ENOMEM;
}

static int decode_map(const struct walk *w, struct fy_node *map,
		      const struct pschema *sc, char *base, struct buf *path,
		      int line_hint);

static int decode_value(const struct walk *w, struct fy_node *v,
			const struct pfield *f, char *base, struct buf *path, int kline)
{
	int line = node_line(v, kline);
	void *target = base + f->off;

	if (is_null(v))
		return 0; /* absent: keep the default */
	switch (f->type) {
	case P_STR:
	case P_ENUM: {
		char **dst = target;

		if (!fy_node_is_scalar(v))
			return fail(w, line, path, "expected a single value");
		free(*dst);
		*dst = NULL;
		if (scalar_dup(dst, v) < 0)
			return LSR_ENOMEM;
		if (f->type == P_ENUM) {
			struct buf opts = BUF_INIT;
			int ok = 0, i;

			for (i = 0; f->values[i]; i++)
				if (!strcmp(f->values[i], *dst))
					ok = 1;
			if (ok)
				return 0;
			for (i = 0; f->values[i]; i++)
				buf_printf(&opts, "%s%s", i == 0 ? "" : f->values[i + 1] ? ", " : " or ",
					   f->values[i]);
			ok = fail(w, line, path, "expected %s, not '%s'", opts.s, *dst);
			buf_release(&opts);
			return ok;
		}
		if (f->line_off != NOLINE)
			*(int *)(base + f->line_off) = line;
		return 0;
	}
	case P_INT: {
		const char *s;
		size_t len;
		char tmp[32], *end;
		long val;

		if (!fy_node_is_scalar(v))
			return fail(w, line, path, "expected a whole number");
		s = fy_node_get_scalar(v, &len);
		if (len == 0 || len >= sizeof(tmp))
			return fail(w, line, path, "expected a whole number");
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		errno = 0;
		val = strtol(tmp, &end, 10);
		if (*end || errno || val < INT_MIN || val > INT_MAX)
			return fail(w, line, path, "expected a whole number, not '%s'", tmp);
		*(int *)target = (int)val;
		return 0;
	}
	case P_BOOL: {
		static const char *const yes[] = { "true", "yes", "on", NULL };
		static const char *const no[] = { "false", "no", "off", NULL };
		const char *s;
		size_t len;

		if (!fy_node_is_scalar(v))
			return fail(w, line, path, "expected true or false");
		s = fy_node_get_scalar(v, &len);
		for (int i = 0; yes[i]; i++)
			if (len == strlen(yes[i]) && !strncasecmp(s, yes[i], len))
				return *(int *)target = 1, 0;
		for (int i = 0; no[i]; i++)
			if (len == strlen(no[i]) && !strncasecmp(s, no[i], len))
				return *(int *)target = 0, 0;
		return fail(w, line, path, "expected true or false, not '%.*s'", (int)len, s);
	}
	case P_STRV: {
		struct strv *sv = target;
		void *it = NULL;
		struct fy_node *item;
		size_t n = 0;

		strv_clear(sv);
		if (fy_node_is_scalar(v)) {
			char *s;

			if (scalar_dup(&s, v) < 0)
				return LSR_ENOMEM;
			return strv_push_owned(sv, s);
		}
		if (!fy_node_is_sequence(v))
			return fail(w, line, path, "expected a list of values");
		while ((item = fy_node_sequence_iterate(v, &it))) {
			char *s;

			if (!fy_node_is_scalar(item) || is_null(item)) {
				size_t keep = path->len;
				int rc;

				buf_printf(path, "[%zu]", n + 1);
				rc = fail(w, node_line(item, line), path, "expected a single value");
				buf_setlen(path, keep);
				return rc;
			}
			if (scalar_dup(&s, item) < 0 || strv_push_owned(sv, s) < 0)
				return LSR_ENOMEM;
			n++;
		}
		return 0;
	}
	case P_MAP:
		if (!fy_node_is_mapping(v))
			return fail(w, line, path, "expected a mapping of keys");
		return decode_map(w, v, f->sub, target, path, line);
	case P_SEQ_MAP: {
		const struct pschema *sc = f->sub;
		size_t n = (size_t)fy_node_sequence_item_count(v), i = 0;
		void *it = NULL;
		struct fy_node *item;
		char *arr;

		if (!fy_node_is_sequence(v))
			return fail(w, line, path, "expected a list");
		arr = calloc(n ? n : 1, sc->elem_size);
		if (!arr)
			return lsr_error_oom();
		*(char **)target = arr;
		*(size_t *)(base + f->count_off) = n;
		while ((item = fy_node_sequence_iterate(v, &it))) {
			size_t keep = path->len;
			int rc;

			buf_printf(path, "[%zu]", i + 1);
			if (sc->init)
				sc->init(arr + i * sc->elem_size);
			if (!fy_node_is_mapping(item))
				rc = fail(w, node_line(item, line), path, "expected a mapping of keys");
			else
				rc = decode_map(w, item, sc, arr + i * sc->elem_size, path,
						node_line(item, line));
			if (rc < 0)
				return rc;
			buf_setlen(path, keep);
			i++;
		}
		return 0;
	}
	}
	return 0;
}

static int decode_map(const struct walk *w, struct fy_node *map,
		      const struct pschema *sc, char *base, struct buf *path,
		      int line_hint)
{
	unsigned char seen[64] = { 0 };
	struct fy_node_pair *pair;
	void *it = NULL;
	int rc;

	if (sc->nfields > sizeof(seen))
		BUG("schema too large");
	if (sc->line_off != NOLINE)
		*(int *)(base + sc->line_off) = line_hint;
	while ((pair = fy_node_mapping_iterate(map, &it))) {
		struct fy_node *k = fy_node_pair_key(pair);
		struct fy_node *v = fy_node_pair_value(pair);
		int kline = node_line(k, line_hint);
		const char *key;
		size_t klen, keep = path->len, i;

		if (!fy_node_is_scalar(k))
			return fail(w, kline, path, "expected a plain key");
		key = fy_node_get_scalar(k, &klen);
		for (i = 0; i < sc->nfields; i++)
			if (strlen(sc->fields[i].key) == klen &&
			    !memcmp(sc->fields[i].key, key, klen))
				break;
		if (keep)
			buf_addc(path, '.');
		buf_add(path, key, klen);
		if (i == sc->nfields) {
			struct buf known = BUF_INIT;

			for (size_t j = 0; j < sc->nfields; j++)
				buf_printf(&known, "%s%s", j ? ", " : "", sc->fields[j].key);
			rc = fail(w, kline, path, "unknown key (known here: %s)", known.s);
			buf_release(&known);
			return rc;
		}
		seen[i] = !is_null(v);
		rc = decode_value(w, v, &sc->fields[i], base, path, kline);
		if (rc < 0)
			return rc;
		buf_setlen(path, keep);
	}
	for (size_t i = 0; i < sc->nfields; i++) {
		if ((sc->fields[i].flags & REQ) && !seen[i]) {
			size_t keep = path->len;

			if (keep)
				buf_addc(path, '.');
			buf_adds(path, sc->fields[i].key);
			rc = fail(w, line_hint, path, "required key is missing");
			buf_setlen(path, keep);
			return rc;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* checks across entries */

/*
 * The names of a list of entries sorted (by name, then position), so that
 * a name used twice and a reference to a name are found in O(n log n) for
 * the whole list rather than by comparing each name with every other one
 * (40,000 sources took 3.3 s, 200,000 over 8 minutes).
 */
struct name_ix {
	const char *name; /* borrowed from the entry */
	size_t i;         /* the entry's position */
};

struct names {
	struct name_ix *ix;  /* n entries, sorted */
	unsigned char *dup;  /* dup[i]: an earlier entry has entry i's name */
	size_t n;
};

static int name_ix_cmp(const void *a, const void *b)
{
	const struct name_ix *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Index the n names stored as char * at byte offset off of each entry of
 * size bytes from base; 0 or LSR_ENOMEM (nothing left allocated). */
static int names_index(struct names *out, const void *base, size_t n, size_t size, size_t off)
{
	out->n = n;
	out->ix = calloc(n ? n : 1, sizeof(*out->ix));
	out->dup = calloc(n ? n : 1, 1);
	if (!out->ix || !out->dup) {
		free(out->ix);
		free(out->dup);
		out->ix = NULL;
		out->dup = NULL;
		return lsr_error_oom();
	}
	for (size_t i = 0; i < n; i++) {
		out->ix[i].name = *(char *const *)((const char *)base + i * size + off);
		out->ix[i].i = i;
	}
	qsort(out->ix, n, sizeof(*out->ix), name_ix_cmp);
	for (size_t k = 1; k < n; k++)
		if (!strcmp(out->ix[k - 1].name, out->ix[k].name))
			out->dup[out->ix[k].i] = 1;
	return 0;
}

/* The first entry (in file order) named name, or NULL */
static const struct name_ix *names_find(const struct names *x, const char *name)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) { /* the first index whose name is not below name */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->ix[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->n && !strcmp(x->ix[lo].name, name) ? &x->ix[lo] : NULL;
}

static void names_release(struct names *x)
{
	free(x->ix);
	free(x->dup);
}

/* s as a finite number, all of it */
static int parse_num(double *out, const char *s)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(*out))
		return -1;
	return 0;
}

static int check_refs(const struct walk *w, struct protocol *p)
{
	struct buf path = BUF_INIT;
	struct names sources = { 0 }, reasons = { 0 }, rules = { 0 }, characteristics = { 0 },
		     outcomes = { 0 }, analyses = { 0 };
	int rc = 0;

#define INDEX(x, arr, n, st, m) \
	if (names_index(&(x), p->arr, p->n, sizeof(st), offsetof(st, m)) < 0) /* NOLINT(bugprone-macro-parentheses): arr and n are member names */ \
		goto oom
	INDEX(sources, sources, nsources, struct protocol_source, name);
	INDEX(reasons, reasons, nreasons, struct protocol_reason, code);
	INDEX(rules, rules, nrules, struct protocol_rule, name);
	INDEX(characteristics, characteristics, ncharacteristics,
	      struct protocol_characteristic, name);
	INDEX(outcomes, outcomes, noutcomes, struct protocol_outcome, name);
	INDEX(analyses, analyses, nanalyses, struct protocol_analysis, name);
#undef INDEX

#define FAIL_AT(line, ...) do { rc = fail(w, line, &path, __VA_ARGS__); goto out; } while (0)
	if (p->version != PROTOCOL_VERSION) {
		buf_adds(&path, "lsr_protocol");
		FAIL_AT(1, "this lsr reads protocol version %d, not %d", PROTOCOL_VERSION,
			p->version);
	}
	for (size_t i = 0; i < p->nsources; i++) {
		struct protocol_source *s = &p->sources[i];

		buf_reset(&path);
		buf_printf(&path, "sources[%zu]", i + 1);
		if (sources.dup[i])
			FAIL_AT(s->line, "source '%s' is listed twice", s->name);
		if (s->api && !s->query)
			FAIL_AT(s->line, "api '%s' needs a query", s->api);
		if (!s->kind && !(s->kind = xstrdup(s->api && !strcmp(s->api, "ctgov")
							   ? "register" : "database")))
			goto oom;
	}
	if (p->reviewers < 1) {
		buf_reset(&path);
		buf_adds(&path, "screening.reviewers");
		FAIL_AT(1, "expected at least 1");
	}
	if (p->priority.retrain_every < 1) {
		buf_reset(&path);
		buf_adds(&path, "screening.priority.retrain_every");
		FAIL_AT(1, "expected at least 1");
	}
	for (size_t i = 0; i < p->reasons_required_at.n; i++) {
		const char *st = p->reasons_required_at.v[i];

		buf_reset(&path);
		buf_printf(&path, "screening.reasons_required_at[%zu]", i + 1);
		if (strcmp(st, "title-abstract") && strcmp(st, "full-text"))
			FAIL_AT(1, "expected title-abstract or full-text, not '%s'", st);
	}
	/* RoB 1 domains that Cochrane Handbook 5.1 Table 8.5.a assesses for
	 * each main outcome (extract_rob1_domains' codes) */
	for (size_t i = 0; i < p->rob1_per_outcome.n; i++) {
		const char *d = p->rob1_per_outcome.v[i];

		buf_reset(&path);
		buf_printf(&path, "extraction.rob1_per_outcome[%zu]", i + 1);
		if (strcmp(p->risk_of_bias, "rob1"))
			FAIL_AT(1, "only RoB 1 has per-outcome domains (RoB 2 is judged per result)");
		if (strcmp(d, "blinding-participants") && strcmp(d, "blinding-outcome") &&
		    strcmp(d, "incomplete-data"))
			FAIL_AT(1, "expected blinding-participants, blinding-outcome or incomplete-data, not '%s'",
				d);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(p->rob1_per_outcome.v[j], d))
				FAIL_AT(1, "domain '%s' is listed twice", d);
	}
	for (size_t i = 0; i < p->nreasons; i++) {
		struct protocol_reason *r = &p->reasons[i];

		buf_reset(&path);
		buf_printf(&path, "screening.reasons[%zu]", i + 1);
		if (reasons.dup[i])
			FAIL_AT(r->line, "reason code '%s' is declared twice", r->code);
		if (!r->stage && !(r->stage = xstrdup("title-abstract")))
			goto oom;
		if (!r->label && !(r->label = xstrdup(r->code)))
			goto oom;
		if (r->status && strcmp(r->status, "excluded") && strcmp(r->stage, "full-text"))
			FAIL_AT(r->line, "status '%s' goes with a full-text reason (stage: full-text), not a %s one",
				r->status, r->stage);
	}
	for (size_t i = 0; i < p->nrules; i++) {
		struct protocol_rule *r = &p->rules[i];

		buf_reset(&path);
		buf_printf(&path, "screening.rules[%zu]", i + 1);
		if (rules.dup[i])
			FAIL_AT(r->line, "rule name '%s' is used twice", r->name);
		if (!names_find(&reasons, r->reason))
			FAIL_AT(r->line, "reason '%s' is not declared in screening.reasons",
				r->reason);
		if (!r->match && !r->publication_type.n && !r->language_not.n &&
		    !r->year_before && !r->year_after)
			FAIL_AT(r->line, "rule '%s' tests nothing (give match, publication_type, language_not, year_before or year_after)",
				r->name);
		if (r->unless && !r->match)
			FAIL_AT(r->unless_line, "unless needs a match");
		if (!r->mode && !(r->mode = xstrdup("suggest")))
			goto oom;
	}
	for (size_t i = 0; i < p->ncharacteristics; i++) {
		struct protocol_characteristic *c = &p->characteristics[i];

		buf_reset(&path);
		buf_printf(&path, "extraction.characteristics[%zu]", i + 1);
		if (characteristics.dup[i])
			FAIL_AT(c->line, "characteristic '%s' is declared twice", c->name);
		if (!c->type && !(c->type = xstrdup("text")))
			goto oom;
		if (!strcmp(c->type, "choice") && !c->values.n)
			FAIL_AT(c->line, "a choice needs values");
	}
	for (size_t i = 0; i < p->noutcomes; i++) {
		struct protocol_outcome *o = &p->outcomes[i];

		buf_reset(&path);
		buf_printf(&path, "extraction.outcomes[%zu]", i + 1);
		if (outcomes.dup[i])
			FAIL_AT(o->line, "outcome '%s' is declared twice", o->name);
		if (!o->type && !(o->type = xstrdup("continuous")))
			goto oom;
	}
	for (size_t i = 0; i < p->nanalyses; i++) {
		struct protocol_analysis *a = &p->analyses[i];
		const struct protocol_outcome *o;
		const struct name_ix *ox;

		buf_reset(&path);
		buf_printf(&path, "analyses.list[%zu]", i + 1);
		if (analyses.dup[i])
			FAIL_AT(a->line, "analysis name '%s' is used twice", a->name);
		ox = names_find(&outcomes, a->outcome);
		o = ox ? &p->outcomes[ox->i] : NULL;
		if (!o)
			FAIL_AT(a->line, "outcome '%s' is not declared in extraction.outcomes",
				a->outcome);
		if (a->timepoint && o->timepoints.n && !strv_contains(&o->timepoints, a->timepoint))
			FAIL_AT(a->line, "time point '%s' is not one of outcome '%s''s timepoints",
				a->timepoint, o->name);
		if (a->subgroup && strcmp(a->subgroup, "timepoint") &&
		    !names_find(&characteristics, a->subgroup))
			FAIL_AT(a->line, "subgroup '%s' is neither timepoint nor a declared characteristic",
				a->subgroup);
	}
	for (size_t i = 0; i < p->nsof; i++) {
		struct protocol_sof *f = &p->sof[i];
		const struct protocol_analysis *a = NULL;

		buf_reset(&path);
		buf_printf(&path, "summary_of_findings[%zu]", i + 1);
		if (!names_find(&outcomes, f->outcome))
			FAIL_AT(f->line, "outcome '%s' is not declared in extraction.outcomes", f->outcome);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(p->sof[j].outcome, f->outcome))
				FAIL_AT(f->line, "outcome '%s' is listed twice", f->outcome);
		for (size_t j = 0; j < p->nanalyses && !a; j++)
			if (f->analysis ? !strcmp(p->analyses[j].name, f->analysis)
					: !strcmp(p->analyses[j].outcome, f->outcome))
				a = &p->analyses[j];
		if (!a && f->analysis)
			FAIL_AT(f->line, "analysis '%s' is not declared in analyses.list", f->analysis);
		if (!a)
			FAIL_AT(f->line, "outcome '%s' has no analysis in analyses.list to grade", f->outcome);
		if (strcmp(a->outcome, f->outcome))
			FAIL_AT(f->line, "analysis '%s' is of outcome '%s', not '%s'", a->name, a->outcome,
				f->outcome);
		if (!f->analysis && !(f->analysis = xstrdup(a->name)))
			goto oom;
		f->mid = NAN;
		if (f->mid_text && (parse_num(&f->mid, f->mid_text) < 0 || f->mid <= 0))
			FAIL_AT(f->line, "mid: expected a number above 0, not '%s'", f->mid_text);
		f->assumed_risk = NAN;
		if (f->assumed_risk_text && strcmp(f->assumed_risk_text, "median") &&
		    (parse_num(&f->assumed_risk, f->assumed_risk_text) < 0 || f->assumed_risk <= 0 ||
		     f->assumed_risk >= 1000))
			FAIL_AT(f->line, "assumed_risk: expected median or a risk per 1,000 between 0 and 1000, not '%s'",
				f->assumed_risk_text);
	}
#undef FAIL_AT
	goto out;
oom:
	rc = lsr_error_oom();
out:
	names_release(&sources);
	names_release(&reasons);
	names_release(&rules);
	names_release(&characteristics);
	names_release(&outcomes);
	names_release(&analyses);
	buf_release(&path);
	return rc;
}

/* libfyaml diagnostics: keep the first error as our message */
struct diag_capture {
	struct buf msg;
};

static void diag_output(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	struct diag_capture *c = user;

	(void)diag;
	if (c->msg.len == 0) {
		buf_add(&c->msg, buf, len);
		buf_trim(&c->msg);
	}
}

/*
 * The whole file, read before libfyaml sees it, so that it can be checked
 * first.  PROTOCOL_MAX_BYTES bounds it (a protocol of 200,000 sources is
 * about 10 MiB).  On success *out is a NUL-terminated copy of *len bytes,
 * the caller's to free.
 */
#define PROTOCOL_MAX_BYTES (64UL << 20)

static int read_whole(char **out, size_t *len, const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t got;
	FILE *f = fopen(path, "rb");
	int rc = 0;

	*out = NULL;
	*len = 0;
	if (!f)
		return lsr_error_set(LSR_ENOTFOUND, "cannot open '%s': %s", path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + got > PROTOCOL_MAX_BYTES) {
			rc = lsr_error_set(LSR_EPARSE, "%s: longer than the %lu MiB a protocol may have",
					   path, PROTOCOL_MAX_BYTES >> 20);
			goto out;
		}
		if (buf_add(&b, chunk, got) < 0) {
			rc = lsr_error_oom();
			goto out;
		}
	}
	if (ferror(f)) {
		rc = lsr_error_set(LSR_ERROR, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (buf_addc(&b, '\0') < 0) {
		rc = lsr_error_oom();
		goto out;
	}
	*len = b.len - 1;
	*out = buf_detach(&b);
out:
	fclose(f);
	buf_release(&b);
	return rc;
}

/* 1 if YAML 1.2 allows code point cp in a stream (c-printable, production
 * [1]): tab, line feed, carriage return, printable ASCII, NEL and the
 * non-control, non-surrogate planes without U+FFFE and U+FFFF. */
static int yaml_printable(utf8proc_int32_t cp)
{
	return cp == 0x09 || cp == 0x0A || cp == 0x0D || (cp >= 0x20 && cp <= 0x7E) ||
	       cp == 0x85 || (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

/*
 * Refuse s[0..n) unless it is UTF-8 (no overlong forms, no surrogates)
 * made of characters YAML allows, naming the line and the byte offset of
 * the first that is not.  This runs before libfyaml: 0.7.12 loops for ever
 * on '%' followed by a byte that is not UTF-8 (libfyaml issue 101) and
 * has further loops and over-reads on invalid UTF-8 and control
 * characters (issues 175, 189, 370), so no such byte may reach it.
 */
static int check_text(const char *path, const char *s, size_t n)
{
	unsigned long line = 1;
	size_t i = 0;

	while (i < n) {
		utf8proc_int32_t cp = (unsigned char)s[i];
		utf8proc_ssize_t l = 1;

		if (cp & 0x80) {
			l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
					     (utf8proc_ssize_t)(n - i), &cp);
			if (l <= 0)
				return lsr_error_set(LSR_EPARSE,
						     "%s:%lu: not valid UTF-8 at byte offset %zu",
						     path, line, i);
		}
		if (!yaml_printable(cp))
			return lsr_error_set(LSR_EPARSE,
					     "%s:%lu: control character U+%04X at byte offset %zu is not allowed in YAML",
					     path, line, (unsigned)cp, i);
		if (cp == '\n')
			line++;
		i += (size_t)l;
	}
	return 0;
}

int protocol_load(struct protocol **out, const char *path)
{
	struct fy_diag_cfg dcfg;
	struct fy_parse_cfg pcfg;
	struct diag_capture cap = { BUF_INIT };
	struct fy_diag *diag = NULL;
	struct fy_document *doc = NULL;
	struct protocol *p = NULL;
	struct buf kpath = BUF_INIT;
	struct walk w = { path };
	struct fy_node *root;
	struct fy_parser *fyp = NULL;
	char *text = NULL;
	FILE *mem = NULL;
	size_t len;
	int rc;

	*out = NULL;
	rc = read_whole(&text, &len, path);
	if (rc < 0)
		return rc;
	rc = check_text(path, text, len);
	if (rc < 0) {
		free(text);
		return rc;
	}

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = diag_output;
	dcfg.user = &cap;
	dcfg.colorize = false;
	dcfg.show_source = false;
	dcfg.show_position = false;
	dcfg.show_type = false;
	dcfg.show_module = false;
	diag = fy_diag_create(&dcfg);
	if (!diag) {
		free(text);
		return lsr_error_oom();
	}
	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.flags = FYPCF_QUIET | FYPCF_DISABLE_RECYCLING;
	pcfg.diag = diag;
	/* the checked bytes, not the file again, under the file's name for
	 * libfyaml's messages; the document may point into text, which is
	 * freed after it */
	mem = fmemopen(text, len, "r");
	fyp = mem ? fy_parser_create(&pcfg) : NULL;
	if (!fyp || fy_parser_set_input_fp(fyp, path, mem) != 0) {
		rc = lsr_error_oom();
		goto out;
	}
	doc = fy_parse_load_document(fyp);
	if (!doc) {
		struct fy_diag_error *e;
		void *it = NULL;
		int line = 0;
		const char *msg = cap.msg.len ? cap.msg.s : "not valid YAML";

		while ((e = fy_diag_errors_iterate(diag, &it)))
			if (e->type >= FYET_ERROR) {
				line = e->line + 1;
				if (e->msg)
					msg = e->msg;
				break;
			}
		if (line)
			rc = lsr_error_set(LSR_EPARSE, "%s:%d: not valid YAML: %s", path, line, msg);
		else if (!cap.msg.len) /* no document in the stream, and no error */
			rc = lsr_error_set(LSR_EPARSE, "%s:1: expected a mapping with lsr_protocol, title and sources",
					   path);
		else
			rc = lsr_error_set(LSR_EPARSE, "%s: not valid YAML: %s", path, msg);
		goto out;
	}
	p = calloc(1, sizeof(*p));
	if (!p || !(p->path = xstrdup(path))) {
		rc = lsr_error_oom();
		goto out;
	}
	p->reviewers = 2;
	p->priority.retrain_every = 10;
	p->extractors = 2;
	p->analysis_defaults.hk = -1;
	p->analysis_defaults.allow_repeated = -1;
	root = fy_document_root(doc);
	if (!root || !fy_node_is_mapping(root)) {
		rc = lsr_error_set(LSR_EPARSE, "%s:1: expected a mapping with lsr_protocol, title and sources",
				   path);
		goto out;
	}
	rc = decode_map(&w, root, &top_schema, (char *)p, &kpath, 1);
	if (rc < 0)
		goto out;
	if ((!p->screening_order && !(p->screening_order = xstrdup("random"))) ||
	    (!p->risk_of_bias && !(p->risk_of_bias = xstrdup("rob1"))) ||
	    (!p->rob2_effect && !(p->rob2_effect = xstrdup("assignment")))) {
		rc = lsr_error_oom();
		goto out;
	}
	rc = check_refs(&w, p);
out:
	buf_release(&kpath);
	buf_release(&cap.msg);
	if (doc)
		fy_parse_document_destroy(fyp, doc);
	fy_parser_destroy(fyp);
	if (mem)
		fclose(mem);
	fy_diag_destroy(diag);
	free(text);
	if (rc < 0) {
		protocol_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void free_opts(struct protocol_analysis_opts *o)
{
	free(o->measure);
	free(o->method);
	free(o->model);
	free(o->tau2);
	free(o->ci);
	free(o->convention);
}

void protocol_free(struct protocol *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->title);
	free(p->registration);
	free(p->question);
	free(p->contact_email);
	free(p->picos.population);
	free(p->picos.intervention);
	free(p->picos.comparison);
	free(p->picos.outcomes);
	free(p->picos.study_design);
	for (size_t i = 0; i < p->nsources; i++) {
		struct protocol_source *s = &p->sources[i];

		free(s->name);
		free(s->kind);
		free(s->api);
		free(s->query);
		free(s->format);
		free(s->strategy);
		strv_release(&s->files);
	}
	free(p->sources);
	for (size_t i = 0; i < p->nreasons; i++) {
		free(p->reasons[i].code);
		free(p->reasons[i].label);
		free(p->reasons[i].stage);
		free(p->reasons[i].status);
	}
	free(p->reasons);
	for (size_t i = 0; i < p->nrules; i++) {
		struct protocol_rule *r = &p->rules[i];

		free(r->name);
		free(r->reason);
		free(r->mode);
		free(r->match);
		free(r->unless);
		strv_release(&r->fields);
		strv_release(&r->publication_type);
		strv_release(&r->language_not);
	}
	free(p->rules);
	for (size_t i = 0; i < p->ncharacteristics; i++) {
		free(p->characteristics[i].name);
		free(p->characteristics[i].type);
		free(p->characteristics[i].unit);
		free(p->characteristics[i].label);
		strv_release(&p->characteristics[i].values);
	}
	free(p->characteristics);
	for (size_t i = 0; i < p->noutcomes; i++) {
		free(p->outcomes[i].name);
		free(p->outcomes[i].type);
		free(p->outcomes[i].unit);
		free(p->outcomes[i].better);
		free(p->outcomes[i].kind);
		free(p->outcomes[i].label);
		strv_release(&p->outcomes[i].timepoints);
	}
	free(p->outcomes);
	free(p->screening_order);
	strv_release(&p->reasons_required_at);
	free(p->risk_of_bias);
	free(p->rob2_effect);
	strv_release(&p->rob1_per_outcome);
	free_opts(&p->analysis_defaults);
	for (size_t i = 0; i < p->nanalyses; i++) {
		struct protocol_analysis *a = &p->analyses[i];

		free(a->name);
		free(a->outcome);
		free(a->timepoint);
		free(a->subgroup);
		strv_release(&a->exclude);
		free(a->sensitivity);
		strv_release(&a->addons);
		strv_release(&a->moderators);
		free(a->cumulative_by);
		free(a->trimfill_side);
		free(a->trimfill_estimator);
		free_opts(&a->opts);
		free(a->label);
		free(a->published.measure);
		free(a->published.estimate);
		free(a->published.ci_lb);
		free(a->published.ci_ub);
		free(a->published.p);
		free(a->published.i2);
		free(a->published.k);
		free(a->published.source);
	}
	free(p->analyses);
	for (size_t i = 0; i < p->nsof; i++) {
		free(p->sof[i].outcome);
		free(p->sof[i].analysis);
		free(p->sof[i].label);
		free(p->sof[i].mid_text);
		free(p->sof[i].assumed_risk_text);
	}
	free(p->sof);
	free(p);
}

const struct protocol_source *protocol_source_find(const struct protocol *p,
						   const char *name)
{
	for (size_t i = 0; i < p->nsources; i++)
		if (!strcmp(p->sources[i].name, name))
			return &p->sources[i];
	return NULL;
}

const struct protocol_reason *protocol_reason_find(const struct protocol *p,
						   const char *code)
{
	for (size_t i = 0; i < p->nreasons; i++)
		if (!strcmp(p->reasons[i].code, code))
			return &p->reasons[i];
	return NULL;
}

const struct protocol_outcome *protocol_outcome_find(const struct protocol *p,
						     const char *name)
{
	for (size_t i = 0; i < p->noutcomes; i++)
		if (!strcmp(p->outcomes[i].name, name))
			return &p->outcomes[i];
	return NULL;
}

const struct protocol_characteristic *
protocol_characteristic_find(const struct protocol *p, const char *name)
{
	for (size_t i = 0; i < p->ncharacteristics; i++)
		if (!strcmp(p->characteristics[i].name, name))
			return &p->characteristics[i];
	return NULL;
}

extern const char protocol_template_text[];

const char *protocol_template(void)
{
	return protocol_template_text;
}

const char *protocol_characteristic_label(const struct protocol_characteristic *c)
{
	return c->label ? c->label : c->name;
}

const char *protocol_outcome_label(const struct protocol_outcome *o)
{
	return o->label ? o->label : o->name;
}

const char *protocol_analysis_label(const struct protocol_analysis *a)
{
	return a->label ? a->label : a->name;
}

const struct protocol_analysis *protocol_analysis_find(const struct protocol *p,
						       const char *name)
{
	for (size_t i = 0; i < p->nanalyses; i++)
		if (!strcmp(p->analyses[i].name, name))
			return &p->analyses[i];
	return NULL;
}
