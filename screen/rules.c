/*
 * rules.c - PICOS rule sets: compiling the protocol's rules with PCRE2 JIT
 * and evaluating them fast on many citations (see screen.h).
 *
 * A rule set of a real review has some twenty rules of about ten
 * alternatives each ("\b(rats?|mice|murine|...)\b").  Every pattern is
 * compiled twice with PCRE2 (caseless, UTF, Unicode properties) and
 * JIT-compiled when the machine supports it: once as written, once
 * anchored.  Running every pattern over every abstract would cost rules x
 * text, so most rules are prefiltered by literals instead:
 *
 *  - extract_literals() reads the pattern and derives the set of literal
 *    strings (lower case, cut at LIT_MAX bytes) one of which every match
 *    must begin with.  The set is sound by construction: when the reader
 *    meets anything it cannot prove (a class, a backreference, a verb,
 *    (?x), more than LIT_SET_MAX strings, a literal shorter than three
 *    bytes ...), the rule is not prefiltered and its pattern runs on the
 *    whole text.
 *  - Per field, the literals of all prefiltered rules form one filter
 *    (struct qfilter): each literal is keyed by its rarest 3-gram (by
 *    English letter frequencies), which sets one bit of a 64 Kibit map,
 *    with a small open-addressing table from 3-gram to literals.
 *    scan_field() rolls a 3-byte window over the field's text once
 *    (ASCII lower-cased); a clear bit skips the position, a set bit looks
 *    the 3-gram up and compares its literals in full, and each literal
 *    found records a candidate start for its rule.
 *  - match_field() then runs the rule's anchored pattern only at those
 *    starts.  A rule without candidates in a field does not match there.
 *
 * Only two non-ASCII characters fold to ASCII letters in PCRE2's caseless
 * UTF matching (U+017F long s and U+212A Kelvin sign, as
 * tests/unit/screen/test_rules.c checks): a field holding one of them is
 * searched without the prefilter.  `unless` patterns, which run only on
 * citations a rule hit, and the structured tests (publication type,
 * language, year) are not prefiltered.  SCREEN_EVAL_NAIVE turns the
 * prefilter off, so tests and bench/ can compare both paths.
 *
 * screen_rules_eval() splits the documents into contiguous ranges, one per
 * thread (at most one thread per 64 documents), each thread with its own
 * match data, match context (match, depth and heap limits) and JIT stack;
 * the compiled rule set is shared read-only, and the hits of the threads
 * are concatenated in document order.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "screen.h"
#include "../db/protocol.h"
#include "../util/array.h"
#include "../util/par.h"
#include "../util/err.h"
#include "../util/sha256.h"
#include "../util/text.h"

#include <ctype.h>
#include <jansson.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIT_MAX 24          /* literals are cut (and closed) at this length */
#define LIT_SET_MAX 96      /* larger literal sets: the rule is not prefiltered */
#define PARSE_DEPTH_MAX 40

#define MATCH_LIMIT 2000000u
#define DEPTH_LIMIT 10000u
#define HEAP_LIMIT (64u * 1024u) /* KiB */
#define JIT_STACK_MAX ((size_t)1024 * 1024)

static const char *const field_names[SCREEN_F_COUNT] = {
	"title", "abstract", "keywords", "mesh", "publication_type", "language",
	"journal", "year",
};

const char *screen_field_name(int field)
{
	return field >= 0 && field < SCREEN_F_COUNT ? field_names[field] : "?";
}

/* ---- languages ---------------------------------------------------------- */

/* Each group names one language: its first entry (ISO 639-2/B as PubMed
 * writes it) is the canonical code; the others are what sources write. */
static const char *const languages[][5] = {
	{ "eng", "en", "english", NULL }, { "fre", "fra", "fr", "french", NULL },
	{ "ger", "deu", "de", "german", NULL }, { "chi", "zho", "zh", "chinese", NULL },
	{ "spa", "es", "spanish", NULL }, { "jpn", "ja", "japanese", NULL },
	{ "rus", "ru", "russian", NULL }, { "ita", "it", "italian", NULL },
	{ "por", "pt", "portuguese", NULL }, { "kor", "ko", "korean", NULL },
	{ "dut", "nld", "nl", "dutch", NULL }, { "pol", "pl", "polish", NULL },
	{ "tur", "tr", "turkish", NULL }, { "per", "fas", "fa", "persian", NULL },
	{ "ara", "ar", "arabic", NULL }, { "cze", "ces", "cs", "czech", NULL },
	{ "gre", "ell", "el", "greek", NULL }, { "hun", "hu", "hungarian", NULL },
	{ "swe", "sv", "swedish", NULL }, { "nor", "no", "norwegian", NULL },
	{ "dan", "da", "danish", NULL }, { "fin", "fi", "finnish", NULL },
	{ "heb", "he", "hebrew", NULL }, { "ukr", "uk", "ukrainian", NULL },
	{ "rum", "ron", "ro", "romanian", NULL }, { "slo", "slk", "sk", "slovak", NULL },
	{ "hrv", "scr", "hr", "croatian", NULL }, { "srp", "sr", "serbian", NULL },
	{ "bul", "bg", "bulgarian", NULL }, { "lit", "lt", "lithuanian", NULL },
	{ "tha", "th", "thai", NULL }, { "vie", "vi", "vietnamese", NULL },
	{ "ind", "id", "indonesian", NULL }, { "may", "msa", "ms", "malay", NULL },
	{ "cat", "ca", "catalan", NULL }, { "ice", "isl", "is", "icelandic", NULL },
	{ "est", "et", "estonian", NULL }, { "lav", "lv", "latvian", NULL },
	{ "slv", "sl", "slovenian", NULL }, { "afr", "af", "afrikaans", NULL },
};

/* The canonical code of a language as a source wrote it (trimmed,
 * caseless); the name itself, lower-cased, when unknown.  Writes into out. */
static void lang_canonical(char *out, size_t cap, const char *s, size_t n)
{
	size_t i, k = 0;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (i = 0; i < n && k + 1 < cap; i++)
		out[k++] = (char)tolower((unsigned char)s[i]);
	out[k] = '\0';
	for (i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
		for (int j = 0; languages[i][j]; j++)
			if (!strcmp(languages[i][j], out)) {
				snprintf(out, cap, "%s", languages[i][0]);
				return;
			}
}

/* ---- literal extraction ------------------------------------------------- */

struct lit {
	char s[LIT_MAX + 1];
	uint8_t len;
	uint8_t closed; /* nothing may be appended */
};

struct litset {
	struct lit v[LIT_SET_MAX];
	size_t n;
};

struct lx {
	const char *p, *end;
	int bad;   /* cannot prove anything: no prefilter */
	int depth;
};

enum atom { ATOM_ZERO, ATOM_CHAR, ATOM_OTHER, ATOM_GROUP };

static void set_close(struct litset *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->v[i].closed = 1;
}

static void set_add_char(struct litset *s, char c, int close_after)
{
	for (size_t i = 0; i < s->n; i++) {
		struct lit *l = &s->v[i];

		if (l->closed)
			continue;
		if (l->len >= LIT_MAX) {
			l->closed = 1;
			continue;
		}
		l->s[l->len++] = c;
		l->s[l->len] = '\0';
		if (close_after || l->len >= LIT_MAX)
			l->closed = 1;
	}
}

static void set_push(struct litset *s, const struct lit *l, int *overflow)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].len == l->len && s->v[i].closed == l->closed &&
		    !memcmp(s->v[i].s, l->s, l->len))
			return;
	if (s->n == LIT_SET_MAX) {
		*overflow = 1;
		return;
	}
	s->v[s->n++] = *l;
}

/* s := s followed by one of g; when the product grows too large, s is
 * closed instead (still sound: its literals stay prefixes). */
static void set_product(struct litset *s, const struct litset *g, int close_after)
{
	static _Thread_local struct litset out;
	int overflow = 0;

	out.n = 0;
	for (size_t i = 0; i < s->n && !overflow; i++) {
		const struct lit *a = &s->v[i];

		if (a->closed) {
			set_push(&out, a, &overflow);
			continue;
		}
		for (size_t j = 0; j < g->n && !overflow; j++) {
			const struct lit *b = &g->v[j];
			struct lit c = *a;
			size_t take = b->len;
			int cut = 0;

			if (c.len + take > LIT_MAX) {
				take = LIT_MAX - c.len;
				cut = 1;
			}
			memcpy(c.s + c.len, b->s, take);
			c.len = (uint8_t)(c.len + take);
			c.s[c.len] = '\0';
			c.closed = (uint8_t)(b->closed || close_after || cut || c.len >= LIT_MAX);
			set_push(&out, &c, &overflow);
		}
	}
	if (overflow) {
		set_close(s);
		return;
	}
	*s = out;
}

static void parse_alt(struct lx *x, struct litset *out);

/* Skip a UTF-8 sequence starting at x->p (x->p at its lead byte). */
static void skip_utf8(struct lx *x)
{
	x->p++;
	while (x->p < x->end && ((unsigned char)*x->p & 0xC0) == 0x80)
		x->p++;
}

static void skip_braces(struct lx *x)
{
	if (x->p < x->end && *x->p == '{') {
		while (x->p < x->end && *x->p != '}')
			x->p++;
		if (x->p < x->end)
			x->p++;
		else
			x->bad = 1;
	}
}

/* x->p at '['. */
static void skip_class(struct lx *x)
{
	x->p++;
	if (x->p < x->end && *x->p == '^')
		x->p++;
	if (x->p < x->end && *x->p == ']')
		x->p++;
	while (x->p < x->end && *x->p != ']') {
		if (*x->p == '\\' && x->p + 1 < x->end) {
			x->p += 2;
		} else if (*x->p == '[' && x->p + 1 < x->end && x->p[1] == ':') {
			const char *e = strstr(x->p + 2, ":]");

			x->p = e && e < x->end ? e + 2 : x->p + 1;
		} else {
			x->p++;
		}
	}
	if (x->p < x->end)
		x->p++;
	else
		x->bad = 1;
}

/* x->p at '\\'. */
static enum atom parse_escape(struct lx *x, char *ch)
{
	unsigned char c;

	if (x->p + 1 >= x->end) {
		x->bad = 1;
		return ATOM_OTHER;
	}
	c = (unsigned char)x->p[1];
	x->p += 2;
	if (c >= 0x80) {
		x->p--;
		skip_utf8(x);
		return ATOM_OTHER;
	}
	if (!isalnum(c)) {
		*ch = (char)c;
		return ATOM_CHAR;
	}
	switch (c) {
	case 'b': case 'B': case 'A': case 'z': case 'Z':
		return ATOM_ZERO;
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h':
	case 'H': case 'v': case 'V': case 'R': case 'X': case 'C':
	case 'a': case 'e': case 'f': case 'n': case 'r': case 't':
		return ATOM_OTHER;
	case 'N': case 'p': case 'P': case 'o':
		if (x->p < x->end && *x->p == '{')
			skip_braces(x);
		else if ((c == 'p' || c == 'P') && x->p < x->end)
			x->p++;
		return ATOM_OTHER;
	case 'x':
		if (x->p < x->end && *x->p == '{') {
			skip_braces(x);
		} else {
			for (int i = 0; i < 2 && x->p < x->end && isxdigit((unsigned char)*x->p); i++)
				x->p++;
		}
		return ATOM_OTHER;
	case 'c':
		if (x->p < x->end)
			x->p++;
		return ATOM_OTHER;
	case 'g': case 'k':
		if (x->p < x->end && (*x->p == '{' || *x->p == '<' || *x->p == '\'')) {
			char close = (char)(*x->p == '{' ? '}' : *x->p == '<' ? '>' : '\'');

			while (x->p < x->end && *x->p != close)
				x->p++;
			if (x->p < x->end)
				x->p++;
		} else {
			if (x->p < x->end && (*x->p == '-' || *x->p == '+'))
				x->p++;
			while (x->p < x->end && isdigit((unsigned char)*x->p))
				x->p++;
		}
		return ATOM_OTHER;
	default:
		if (isdigit(c)) {
			while (x->p < x->end && isdigit((unsigned char)*x->p))
				x->p++;
			return ATOM_OTHER;
		}
		x->bad = 1; /* \G \K \Q \E and the rest */
		return ATOM_OTHER;
	}
}

/* x->p at '('.  A group's literal set goes into g. */
static enum atom parse_group(struct lx *x, struct litset *g)
{
	int zero = 0;

	if (++x->depth > PARSE_DEPTH_MAX) {
		x->bad = 1;
		return ATOM_OTHER;
	}
	x->p++;
	if (x->p < x->end && *x->p == '*') {
		x->bad = 1; /* verbs and (*UTF)-style options */
		return ATOM_OTHER;
	}
	if (x->p < x->end && *x->p == '?') {
		char c;

		x->p++;
		if (x->p >= x->end) {
			x->bad = 1;
			return ATOM_OTHER;
		}
		c = *x->p;
		if (c == '#') {
			while (x->p < x->end && *x->p != ')')
				x->p++;
			if (x->p < x->end)
				x->p++;
			x->depth--;
			return ATOM_ZERO;
		}
		if (c == ':' || c == '|' || c == '>') {
			x->p++;
		} else if (c == '=' || c == '!') {
			x->p++;
			zero = 1;
		} else if (c == '<' && x->p + 1 < x->end && (x->p[1] == '=' || x->p[1] == '!')) {
			x->p += 2;
			zero = 1;
		} else if (c == '<' || c == '\'' || (c == 'P' && x->p + 1 < x->end && x->p[1] == '<')) {
			char close = c == '\'' ? '\'' : '>';

			while (x->p < x->end && *x->p != close)
				x->p++;
			if (x->p >= x->end) {
				x->bad = 1;
				return ATOM_OTHER;
			}
			x->p++;
		} else if (isalpha((unsigned char)c) || c == '-' || c == '^') {
			/* option letters: (?i) (?-i) (?i:...) */
			const char *s = x->p;

			while (x->p < x->end && (isalpha((unsigned char)*x->p) || *x->p == '-' ||
						 *x->p == '^'))
				x->p++;
			if (memchr(s, 'x', (size_t)(x->p - s)) || x->p >= x->end ||
			    (*x->p != ')' && *x->p != ':')) {
				x->bad = 1; /* (?x) changes how the pattern reads; (?R), (?P=...) */
				return ATOM_OTHER;
			}
			if (*x->p == ')') {
				x->p++;
				x->depth--;
				return ATOM_ZERO;
			}
			x->p++;
		} else {
			x->bad = 1; /* recursion, conditionals, callouts */
			return ATOM_OTHER;
		}
	}
	parse_alt(x, g);
	if (x->p >= x->end || *x->p != ')') {
		x->bad = 1;
		return ATOM_OTHER;
	}
	x->p++;
	x->depth--;
	return zero ? ATOM_ZERO : ATOM_GROUP;
}

/* A quantifier after an atom: *min and *max (-1: unbounded); 1,1 when
 * there is none. */
static void parse_quant(struct lx *x, int *min, int *max)
{
	*min = *max = 1;
	if (x->p >= x->end)
		return;
	switch (*x->p) {
	case '?': *min = 0; *max = 1; x->p++; break;
	case '*': *min = 0; *max = -1; x->p++; break;
	case '+': *min = 1; *max = -1; x->p++; break;
	case '{': {
		const char *q = x->p + 1;
		int a = 0, b, digits = 0;

		while (q < x->end && isdigit((unsigned char)*q))
			a = a * 10 + (*q++ - '0'), digits++;
		if (!digits)
			return; /* a literal '{' */
		b = a;
		if (q < x->end && *q == ',') {
			q++;
			b = -1;
			if (q < x->end && isdigit((unsigned char)*q)) {
				b = 0;
				while (q < x->end && isdigit((unsigned char)*q))
					b = b * 10 + (*q++ - '0');
			}
		}
		if (q >= x->end || *q != '}')
			return;
		x->p = q + 1;
		*min = a > 1 ? 1 : a;
		*max = b == 1 ? 1 : -1;
		break;
	}
	default:
		return;
	}
	if (x->p < x->end && (*x->p == '?' || *x->p == '+'))
		x->p++;
}

static void parse_seq(struct lx *x, struct litset *s)
{
	s->n = 1;
	s->v[0].len = 0;
	s->v[0].s[0] = '\0';
	s->v[0].closed = 0;
	while (x->p < x->end && !x->bad) {
		struct litset *g = NULL;
		enum atom kind;
		char ch = 0;
		int min, max;

		switch (*x->p) {
		case '|':
		case ')':
			return;
		case '^':
		case '$':
			x->p++;
			kind = ATOM_ZERO;
			break;
		case '.':
			x->p++;
			kind = ATOM_OTHER;
			break;
		case '[':
			skip_class(x);
			kind = ATOM_OTHER;
			break;
		case '\\':
			kind = parse_escape(x, &ch);
			break;
		case '(':
			g = malloc(sizeof(*g));
			if (!g) {
				x->bad = 1;
				return;
			}
			kind = parse_group(x, g);
			break;
		case '*':
		case '+':
		case '?':
			x->bad = 1;
			return;
		default:
			if ((unsigned char)*x->p >= 0x80) {
				skip_utf8(x);
				kind = ATOM_OTHER;
			} else {
				ch = *x->p++;
				kind = ATOM_CHAR;
			}
			break;
		}
		parse_quant(x, &min, &max);
		if (x->bad) {
			free(g);
			return;
		}
		switch (kind) {
		case ATOM_ZERO:
			break;
		case ATOM_OTHER:
			set_close(s);
			break;
		case ATOM_CHAR:
			if (min == 0)
				set_close(s);
			else
				set_add_char(s, (char)tolower((unsigned char)ch), max != 1);
			break;
		case ATOM_GROUP:
			if (min == 0)
				set_close(s);
			else
				set_product(s, g, max != 1);
			break;
		}
		free(g);
	}
}

static void parse_alt(struct lx *x, struct litset *out)
{
	struct litset *alt = malloc(sizeof(*alt));
	int overflow = 0;

	if (!alt) {
		x->bad = 1;
		return;
	}
	parse_seq(x, out);
	while (!x->bad && x->p < x->end && *x->p == '|') {
		x->p++;
		parse_seq(x, alt);
		for (size_t i = 0; i < alt->n; i++)
			set_push(out, &alt->v[i], &overflow);
		if (overflow)
			x->bad = 1;
	}
	free(alt);
}

/*
 * The literals (lower case) one of which every match of pattern starts
 * with.  Returns 1 and fills *out when such a set exists, 0 otherwise.
 */
static int extract_literals(const char *pattern, struct litset *out)
{
	struct lx x = { pattern, pattern + strlen(pattern), 0, 0 };

	parse_alt(&x, out);
	if (x.bad || x.p != x.end || out->n == 0)
		return 0;
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].len == 0)
			return 0;
	return 1;
}

/* ---- the literal prefilter ---------------------------------------------- */

/*
 * Every literal is at least QGRAM bytes long; its rarest 3-gram (by the
 * letter frequencies of English text: "lys" rather than "ana" in
 * "analysis") sets one bit of a 64 Kibit map that stays in L1 cache.  The
 * scan rolls a 3-byte window over the text (ASCII letters lower-cased): a
 * clear bit means no literal has its 3-gram here, which is nearly every
 * position; a set bit is looked up in a small hash table of the 3-grams,
 * and the literals holding that 3-gram are compared in full at the offset
 * the 3-gram has in them.
 */
#define QGRAM 3
#define QBITS 16

struct qlit {
	uint32_t rule;
	uint32_t len;
	uint32_t off;  /* where the filtering 3-gram starts in s */
	char s[LIT_MAX + 1];
};

struct qfilter {
	uint64_t bits[(1u << QBITS) / 64];
	uint32_t *key;          /* open addressing: 3-gram + 1 (0: empty) */
	uint32_t *first, *count; /* range of lits with that 3-gram */
	uint32_t mask;          /* table size - 1 */
	struct qlit *lits;      /* grouped by 3-gram */
	uint32_t nlits;
	size_t alloc;
};

static uint8_t lower_table[256];

static void lower_table_init(void)
{
	for (int c = 0; c < 256; c++)
		lower_table[c] = (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

static inline uint32_t qhash(uint32_t gram)
{
	return (gram * 2654435761u) >> (32 - QBITS);
}

static inline uint32_t qgram(const char *s)
{
	return (uint32_t)(uint8_t)s[0] << 16 | (uint32_t)(uint8_t)s[1] << 8 | (uint8_t)s[2];
}

static void qfilter_release(struct qfilter *q)
{
	free(q->key);
	free(q->first);
	free(q->count);
	free(q->lits);
	memset(q, 0, sizeof(*q));
}

/* How common a byte is in English text, per mille (letters lower case). */
static unsigned byte_freq(unsigned char c)
{
	static const unsigned short letters[26] = {
		82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24, 67, 75, 19, 1, 60, 63, 91,
		28, 10, 24, 2, 20, 1,
	};

	if (c >= 'a' && c <= 'z')
		return letters[c - 'a'];
	if (c == ' ')
		return 180;
	if (c >= '0' && c <= '9')
		return 5;
	return 10;
}

/* The offset of the rarest 3-gram of s (the earliest of equals). */
static uint32_t rarest_gram(const char *s, size_t len)
{
	uint32_t best = 0;
	unsigned long best_score = ~0UL;

	for (size_t i = 0; i + QGRAM <= len; i++) {
		unsigned long sc = (unsigned long)byte_freq((unsigned char)s[i]) *
				   byte_freq((unsigned char)s[i + 1]) * byte_freq((unsigned char)s[i + 2]);

		if (sc < best_score) {
			best_score = sc;
			best = (uint32_t)i;
		}
	}
	return best;
}

static int qfilter_add(struct qfilter *q, const char *s, size_t len, uint32_t rule)
{
	if (ARRAY_GROW(q->lits, q->nlits, q->alloc, 64) < 0)
		return LSR_ENOMEM;
	q->lits[q->nlits].rule = rule;
	q->lits[q->nlits].len = (uint32_t)len;
	q->lits[q->nlits].off = rarest_gram(s, len);
	memcpy(q->lits[q->nlits].s, s, len);
	q->lits[q->nlits].s[len] = '\0';
	q->nlits++;
	return 0;
}

static uint32_t qlit_gram(const struct qlit *l)
{
	return qgram(l->s + l->off);
}

static int cmp_qlit(const void *a, const void *b)
{
	uint32_t x = qlit_gram(a), y = qlit_gram(b);

	return x < y ? -1 : x > y;
}

static int qfilter_finish(struct qfilter *q)
{
	uint32_t size = 16;

	while (size < q->nlits * 2)
		size *= 2;
	q->mask = size - 1;
	q->key = calloc(size, sizeof(*q->key));
	q->first = calloc(size, sizeof(*q->first));
	q->count = calloc(size, sizeof(*q->count));
	if (!q->key || !q->first || !q->count)
		return lsr_error_oom();
	qsort(q->lits, q->nlits, sizeof(*q->lits), cmp_qlit);
	for (uint32_t i = 0; i < q->nlits; i++) {
		uint32_t g = qlit_gram(&q->lits[i]), j = (g * 2654435761u) & q->mask;

		q->bits[qhash(g) >> 6] |= (uint64_t)1 << (qhash(g) & 63);
		while (q->key[j] && q->key[j] != g + 1)
			j = (j + 1) & q->mask;
		if (!q->key[j]) {
			q->key[j] = g + 1;
			q->first[j] = i;
		}
		q->count[j]++;
	}
	return 0;
}

/* ---- the compiled rule set ---------------------------------------------- */

struct crule {
	const struct protocol_rule *pr;
	int fields[SCREEN_F_COUNT];   /* in the rule's order */
	size_t nfields;
	pcre2_code *match;            /* unanchored */
	pcre2_code *anch;             /* the same, anchored (prefilter confirmation) */
	pcre2_code *unless;
	int prefilter;                /* literals found: see extract_literals */
	int exclude;
	char (*lang)[16];             /* canonical language_not codes */
	size_t nlang;
};

struct screen_rules {
	const struct protocol *p;
	struct crule *r;
	size_t n;
	struct qfilter qf[SCREEN_F_COUNT]; /* per field, for the prefiltered rules using it */
	unsigned fields_used;         /* fields any pattern reads */
	char hash[SHA256_HEX_LEN + 1];
	char *json;
};

static void crule_release(struct crule *c)
{
	pcre2_code_free(c->match);
	pcre2_code_free(c->anch);
	pcre2_code_free(c->unless);
	free(c->lang);
}

void screen_rules_free(struct screen_rules *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		crule_release(&rs->r[i]);
	for (int f = 0; f < SCREEN_F_COUNT; f++)
		qfilter_release(&rs->qf[f]);
	free(rs->r);
	free(rs->json);
	free(rs);
}

static int compile_one(pcre2_code **out, const struct protocol *p, size_t i,
		       const char *key, const char *pattern, int line, uint32_t extra)
{
	const struct protocol_rule *r = &p->rules[i];
	PCRE2_SIZE off;
	int err;

	*out = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | extra, &err, &off, NULL);
	if (!*out) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		return lsr_error_set(LSR_EPARSE,
				     "%s:%d: screening.rules[%zu].%s: rule '%s': %s at offset %zu",
				     p->path, line ? line : r->line, i + 1, key, r->name,
				     (const char *)msg, (size_t)off);
	}
	/* without JIT (an unsupported machine) the interpreter is used */
	(void)pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
	return 0;
}

static int rules_json(struct screen_rules *rs)
{
	json_t *arr = json_array();
	struct sha256 *h;
	int rc = 0;

	if (!arr)
		return lsr_error_oom();
	for (size_t i = 0; i < rs->n; i++) {
		const struct protocol_rule *r = rs->r[i].pr;
		json_t *o = json_object(), *a;

		json_object_set_new(o, "name", json_string(r->name));
		json_object_set_new(o, "reason", json_string(r->reason));
		json_object_set_new(o, "mode", json_string(r->mode ? r->mode : "suggest"));
		if (r->fields.n) {
			a = json_array();
			for (size_t k = 0; k < r->fields.n; k++)
				json_array_append_new(a, json_string(r->fields.v[k]));
			json_object_set_new(o, "fields", a);
		}
		if (r->match)
			json_object_set_new(o, "match", json_string(r->match));
		if (r->unless)
			json_object_set_new(o, "unless", json_string(r->unless));
		if (r->publication_type.n) {
			a = json_array();
			for (size_t k = 0; k < r->publication_type.n; k++)
				json_array_append_new(a, json_string(r->publication_type.v[k]));
			json_object_set_new(o, "publication_type", a);
		}
		if (r->language_not.n) {
			a = json_array();
			for (size_t k = 0; k < r->language_not.n; k++)
				json_array_append_new(a, json_string(r->language_not.v[k]));
			json_object_set_new(o, "language_not", a);
		}
		if (r->year_before)
			json_object_set_new(o, "year_before", json_integer(r->year_before));
		if (r->year_after)
			json_object_set_new(o, "year_after", json_integer(r->year_after));
		json_array_append_new(arr, o);
	}
	rs->json = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(arr);
	if (!rs->json)
		return lsr_error_oom();
	h = sha256_new();
	if (!h)
		return lsr_error_oom();
	if ((rc = sha256_update(h, rs->json, strlen(rs->json))) < 0) {
		sha256_free(h);
		return rc;
	}
	return sha256_final(h, rs->hash);
}

static int field_index(const char *name)
{
	for (int f = 0; f < SCREEN_F_COUNT; f++)
		if (!strcmp(field_names[f], name))
			return f;
	return -1;
}

int screen_rules_compile(struct screen_rules **out, const struct protocol *p)
{
	struct screen_rules *rs;
	struct litset *lits = NULL;
	int rc = 0;

	*out = NULL;
	if (!lower_table['A'])
		lower_table_init();
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return lsr_error_oom();
	rs->p = p;
	rs->r = calloc(p->nrules ? p->nrules : 1, sizeof(*rs->r));
	lits = malloc(sizeof(*lits));
	if (!rs->r || !lits) {
		rc = lsr_error_oom();
		goto fail;
	}
	rs->n = p->nrules;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct protocol_rule *r = &p->rules[i];
		struct crule *c = &rs->r[i];
		const struct protocol_reason *reason = protocol_reason_find(p, r->reason);

		c->pr = r;
		c->exclude = r->mode && !strcmp(r->mode, "exclude");
		if (c->exclude && reason && reason->stage && !strcmp(reason->stage, SCREEN_STAGE_FT)) {
			rc = lsr_error_set(LSR_EPARSE,
					   "%s:%d: screening.rules[%zu].mode: rule '%s': an exclude rule needs a title-abstract reason ('%s' is a full-text reason)",
					   p->path, r->line, i + 1, r->name, r->reason);
			goto fail;
		}
		for (size_t k = 0; k < r->fields.n; k++) {
			int f = field_index(r->fields.v[k]);
			int dup = 0;

			if (f < 0) {
				rc = lsr_error_set(LSR_EPARSE,
						   "%s:%d: screening.rules[%zu].fields[%zu]: rule '%s': unknown field '%s' (expected title, abstract, keywords, mesh, publication_type, language, journal or year)",
						   p->path, r->line, i + 1, k + 1, r->name, r->fields.v[k]);
				goto fail;
			}
			for (size_t j = 0; j < c->nfields; j++)
				dup |= c->fields[j] == f;
			if (!dup)
				c->fields[c->nfields++] = f;
		}
		if (r->fields.n && !r->match) {
			rc = lsr_error_set(LSR_EPARSE,
					   "%s:%d: screening.rules[%zu].fields: rule '%s': fields need a match pattern",
					   p->path, r->line, i + 1, r->name);
			goto fail;
		}
		if (r->match && !c->nfields) {
			c->fields[c->nfields++] = SCREEN_F_TITLE;
			c->fields[c->nfields++] = SCREEN_F_ABSTRACT;
		}
		if (r->match) {
			if ((rc = compile_one(&c->match, p, i, "match", r->match, r->match_line, 0)) < 0 ||
			    (rc = compile_one(&c->anch, p, i, "match", r->match, r->match_line,
					      PCRE2_ANCHORED)) < 0)
				goto fail;
			for (size_t k = 0; k < c->nfields; k++)
				rs->fields_used |= 1u << c->fields[k];
			if (extract_literals(r->match, lits)) {
				c->prefilter = 1;
				for (size_t j = 0; j < lits->n; j++)
					if (lits->v[j].len < QGRAM)
						c->prefilter = 0; /* too short to filter on */
				for (size_t k = 0; k < c->nfields && c->prefilter; k++)
					for (size_t j = 0; j < lits->n; j++)
						if ((rc = qfilter_add(&rs->qf[c->fields[k]], lits->v[j].s,
								      lits->v[j].len, (uint32_t)i)) < 0)
							goto fail;
			}
		}
		if (r->unless && (rc = compile_one(&c->unless, p, i, "unless", r->unless,
						   r->unless_line, 0)) < 0)
			goto fail;
		if (r->language_not.n) {
			c->lang = calloc(r->language_not.n, sizeof(*c->lang));
			if (!c->lang) {
				rc = lsr_error_oom();
				goto fail;
			}
			for (size_t k = 0; k < r->language_not.n; k++)
				lang_canonical(c->lang[k], sizeof(c->lang[k]), r->language_not.v[k],
					       strlen(r->language_not.v[k]));
			c->nlang = r->language_not.n;
		}
	}
	for (int f = 0; f < SCREEN_F_COUNT; f++)
		if (rs->qf[f].nlits && (rc = qfilter_finish(&rs->qf[f])) < 0)
			goto fail;
	if ((rc = rules_json(rs)) < 0)
		goto fail;
	free(lits);
	*out = rs;
	return 0;
fail:
	free(lits);
	screen_rules_free(rs);
	return rc;
}

const char *screen_rules_hash(const struct screen_rules *rs)
{
	return rs->hash;
}

const char *screen_rules_json(const struct screen_rules *rs)
{
	return rs->json;
}

size_t screen_rules_count(const struct screen_rules *rs)
{
	return rs->n;
}

const char *screen_rule_name(const struct screen_rules *rs, size_t i)
{
	return rs->r[i].pr->name;
}

const char *screen_rule_reason(const struct screen_rules *rs, size_t i)
{
	return rs->r[i].pr->reason;
}

int screen_rule_excludes(const struct screen_rules *rs, size_t i)
{
	return rs->r[i].exclude;
}

int screen_rule_prefiltered(const struct screen_rules *rs, size_t i)
{
	return rs->r[i].prefilter;
}

/* ---- evaluation ---------------------------------------------------------- */

struct cand {
	uint32_t *pos;
	uint32_t n;
	size_t alloc;
};

/* What one thread needs: PCRE2 match state, candidate lists per (rule,
 * field), its hits. */
struct worker {
	const struct screen_rules *rs;
	const struct screen_doc *docs;
	unsigned flags;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jstack;
	struct cand *slots;        /* rs->n * SCREEN_F_COUNT */
	uint32_t *touched;
	size_t ntouched;
	int fold[SCREEN_F_COUNT];  /* the text holds a char folding to ASCII */
	struct screen_hits hits;
	int rc;
	char msg[LSR_ERRMSG_MAX];  /* the thread's error message (its slot is its own) */
};

void screen_hits_release(struct screen_hits *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->alloc = 0;
}

static int hits_push(struct screen_hits *h, const struct screen_hit *x)
{
	if (ARRAY_GROW(h->v, h->n, h->alloc, 256) < 0)
		return LSR_ENOMEM;
	h->v[h->n++] = *x;
	return 0;
}

static int cand_push(struct worker *w, uint32_t slot, uint32_t pos)
{
	struct cand *c = &w->slots[slot];

	if (c->n == 0)
		w->touched[w->ntouched++] = slot;
	if (ARRAY_GROW(c->pos, c->n, c->alloc, 8) < 0)
		return LSR_ENOMEM;
	c->pos[c->n++] = pos;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Does text hold U+017F (C5 BF) or U+212A (E2 84 AA)? */
static int has_fold(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while ((p = memchr(p, 0xC5, (size_t)(end - p))) && p + 1 < end) {
		if ((unsigned char)p[1] == 0xBF)
			return 1;
		p++;
	}
	p = text;
	while ((p = memchr(p, 0xE2, (size_t)(end - p))) && p + 2 < end) {
		if ((unsigned char)p[1] == 0x84 && (unsigned char)p[2] == 0xAA)
			return 1;
		p++;
	}
	return 0;
}

/* Scan text with field f's filter, recording candidate starts. */
static int scan_field(struct worker *w, int f, const char *text, size_t len)
{
	const struct qfilter *q = &w->rs->qf[f];
	const uint8_t *t = (const uint8_t *)text;
	uint32_t win;

	if (has_fold(text, len)) {
		w->fold[f] = 1; /* long s or Kelvin sign: caseless they are s and k */
		return 0;
	}
	if (len < QGRAM)
		return 0;
	win = (uint32_t)lower_table[t[0]] << 8 | lower_table[t[1]];
	for (size_t i = QGRAM - 1; i < len; i++) {
		uint32_t h;

		win = (win << 8 | lower_table[t[i]]) & 0xffffff;
		h = qhash(win);
		if (q->bits[h >> 6] >> (h & 63) & 1) {
			uint32_t j = (win * 2654435761u) & q->mask;
			size_t at = i + 1 - QGRAM;

			while (q->key[j] && q->key[j] != win + 1)
				j = (j + 1) & q->mask;
			if (!q->key[j])
				continue;
			for (uint32_t k = q->first[j]; k < q->first[j] + q->count[j]; k++) {
				const struct qlit *l = &q->lits[k];
				size_t start;
				uint32_t m = 0;
				int rc;

				if (at < l->off)
					continue;
				start = at - l->off;
				if (start + l->len > len)
					continue;
				while (m < l->len && lower_table[t[start + m]] == (uint8_t)l->s[m])
					m++;
				if (m < l->len)
					continue;
				rc = cand_push(w, l->rule * SCREEN_F_COUNT + (uint32_t)f, (uint32_t)start);
				if (rc < 0)
					return rc;
			}
		}
	}
	return 0;
}

static int run_re(struct worker *w, const pcre2_code *re, const char *text, size_t len,
		  size_t start, size_t *ms, size_t *me)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)text, len, start, PCRE2_NO_UTF_CHECK, w->md,
			     w->mctx);

	if (rc >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);

		*ms = ov[0];
		*me = ov[1];
		return 1;
	}
	return rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
}

/* Does rule c's match hit field f?  1 with the span, 0, or a PCRE2 error. */
static int match_field(struct worker *w, size_t ri, int f, const char *text, size_t len,
		       size_t *ms, size_t *me)
{
	const struct crule *c = &w->rs->r[ri];
	struct cand *cd;

	if ((w->flags & SCREEN_EVAL_NAIVE) || !c->prefilter || w->fold[f])
		return run_re(w, c->match, text, len, 0, ms, me);
	cd = &w->slots[ri * SCREEN_F_COUNT + (size_t)f];
	if (cd->n > 1)
		qsort(cd->pos, cd->n, sizeof(*cd->pos), cmp_u32);
	for (uint32_t k = 0; k < cd->n; k++) {
		int rc;

		if (k && cd->pos[k] == cd->pos[k - 1])
			continue;
		rc = run_re(w, c->anch, text, len, cd->pos[k], ms, me);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Split list text into items, calling fn(ctx, item, len) until it returns
 * nonzero: then 1, with the item's span in *start and *end. */
static int each_item(const char *text, size_t len,
		     int (*fn)(const void *ctx, const char *s, size_t n), const void *ctx,
		     size_t *start, size_t *end)
{
	size_t i = 0;

	while (text && i < len) {
		size_t j = i;

		while (j < len && text[j] != '\n')
			j++;
		if (j > i && fn(ctx, text + i, j - i)) {
			*start = i;
			*end = j;
			return 1;
		}
		i = j + 1;
	}
	return 0;
}

static int pubtype_in(const void *ctx, const char *s, size_t n)
{
	const struct strv *list = ctx;

	for (size_t k = 0; k < list->n; k++)
		if (strlen(list->v[k]) == n && !strncasecmp(list->v[k], s, n))
			return 1;
	return 0;
}

static int language_listed(const void *ctx, const char *s, size_t n)
{
	const struct crule *c = ctx;
	char code[16];

	lang_canonical(code, sizeof(code), s, n);
	for (size_t k = 0; k < c->nlang; k++)
		if (!strcmp(c->lang[k], code))
			return 1;
	return 0;
}

/* The structured tests of rule c on d: 1 pass (the first test's field and
 * item span in *hit), 0 fail. */
static int structured(const struct crule *c, const struct screen_doc *d, struct screen_hit *hit)
{
	const struct protocol_rule *r = c->pr;
	int have = 0;
	size_t s0, s1;

	if (r->publication_type.n) {
		if (!each_item(d->text[SCREEN_F_PUBTYPE], d->len[SCREEN_F_PUBTYPE], pubtype_in,
			       &r->publication_type, &s0, &s1))
			return 0;
		hit->field = SCREEN_F_PUBTYPE;
		hit->start = s0;
		hit->end = s1;
		have = 1;
	}
	if (c->nlang) {
		const char *t = d->text[SCREEN_F_LANGUAGE];
		size_t n = d->len[SCREEN_F_LANGUAGE], end = 0;

		if (!t || !n)
			return 0; /* language unknown: not excluded for it */
		if (each_item(t, n, language_listed, c, &s0, &s1))
			return 0;
		if (!have) {
			while (end < n && t[end] != '\n')
				end++;
			hit->field = SCREEN_F_LANGUAGE;
			hit->start = 0;
			hit->end = end;
			have = 1;
		}
	}
	if (r->year_before || r->year_after) {
		if (!d->year)
			return 0;
		if (r->year_before && !(d->year < r->year_before))
			return 0;
		if (r->year_after && !(d->year > r->year_after))
			return 0;
		if (!have) {
			hit->field = SCREEN_F_YEAR;
			hit->start = 0;
			hit->end = d->text[SCREEN_F_YEAR] ? d->len[SCREEN_F_YEAR] : 0;
		}
	}
	return 1;
}

static int eval_doc(struct worker *w, size_t di)
{
	const struct screen_rules *rs = w->rs;
	const struct screen_doc *d = &w->docs[di];
	int rc = 0;

	memset(w->fold, 0, sizeof(w->fold));
	for (int f = 0; f < SCREEN_F_COUNT; f++) {
		const char *t = d->text[f];

		if (!t || !(rs->fields_used & (1u << f)))
			continue;
		if (!(w->flags & SCREEN_EVAL_NAIVE) && rs->qf[f].nlits &&
		    (rc = scan_field(w, f, t, d->len[f])) < 0)
			return rc;
	}
	for (size_t ri = 0; ri < rs->n; ri++) {
		const struct crule *c = &rs->r[ri];
		struct screen_hit hit = { di, (uint32_t)ri, -1, 0, 0, 0 };
		int found = 0;

		if (!structured(c, d, &hit))
			continue;
		if (c->match) {
			for (size_t k = 0; k < c->nfields && !found && !hit.error; k++) {
				int f = c->fields[k];
				size_t ms, me;
				int m;

				if (!d->text[f])
					continue;
				m = match_field(w, ri, f, d->text[f], d->len[f], &ms, &me);
				if (m < 0) {
					hit.field = f;
					hit.error = m;
				} else if (m) {
					hit.field = f;
					hit.start = ms;
					hit.end = me;
					found = 1;
				}
			}
			if (!found && !hit.error)
				continue;
		}
		if (!hit.error && c->unless) {
			int suppressed = 0;

			for (size_t k = 0; k < c->nfields && !suppressed; k++) {
				int f = c->fields[k];
				size_t ms, me;
				int m;

				if (!d->text[f])
					continue;
				m = run_re(w, c->unless, d->text[f], d->len[f], 0, &ms, &me);
				if (m < 0) {
					hit.error = m;
					break;
				}
				suppressed = m;
			}
			if (suppressed)
				continue;
		}
		if ((rc = hits_push(&w->hits, &hit)) < 0)
			return rc;
	}
	for (size_t k = 0; k < w->ntouched; k++)
		w->slots[w->touched[k]].n = 0;
	w->ntouched = 0;
	return 0;
}

static void worker_run(void *payload, size_t t, size_t from, size_t to)
{
	struct worker *w = (struct worker *)payload + t;

	for (size_t i = from; i < to; i++) {
		if ((w->rc = eval_doc(w, i)) < 0)
			break;
		if ((i & 1023) == 0 && lsr_interrupted) {
			w->rc = lsr_error_set(LSR_EINTR, "interrupted");
			break;
		}
	}
	if (w->rc < 0)
		snprintf(w->msg, sizeof(w->msg), "%s", lsr_error_last());
}

static int worker_init(struct worker *w, const struct screen_rules *rs)
{
	size_t nslots = rs->n * SCREEN_F_COUNT;

	w->rs = rs;
	w->md = pcre2_match_data_create(1, NULL);
	w->mctx = pcre2_match_context_create(NULL);
	w->jstack = pcre2_jit_stack_create((size_t)32 * 1024, JIT_STACK_MAX, NULL);
	w->slots = calloc(nslots ? nslots : 1, sizeof(*w->slots));
	w->touched = malloc(sizeof(*w->touched) * (nslots ? nslots : 1));
	if (!w->md || !w->mctx || !w->jstack || !w->slots || !w->touched)
		return lsr_error_oom();
	pcre2_set_match_limit(w->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(w->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(w->mctx, HEAP_LIMIT);
	pcre2_jit_stack_assign(w->mctx, NULL, w->jstack);
	return 0;
}

static void worker_release(struct worker *w)
{
	size_t nslots = w->rs ? w->rs->n * SCREEN_F_COUNT : 0;

	pcre2_match_data_free(w->md);
	pcre2_match_context_free(w->mctx);
	pcre2_jit_stack_free(w->jstack);
	for (size_t i = 0; w->slots && i < nslots; i++)
		free(w->slots[i].pos);
	free(w->slots);
	free(w->touched);
	screen_hits_release(&w->hits);
}

int screen_rules_eval(const struct screen_rules *rs, const struct screen_doc *docs,
		      size_t n, int threads, unsigned flags, struct screen_hits *out)
{
	struct worker *ws;
	size_t nt;
	int rc = 0;

	if (threads <= 0)
		threads = 2;
	nt = (size_t)threads;
	if (nt > n / 64 + 1)
		nt = n / 64 + 1;
	ws = calloc(nt, sizeof(*ws));
	if (!ws)
		return lsr_error_oom();
	for (size_t t = 0; t < nt; t++) {
		if ((rc = worker_init(&ws[t], rs)) < 0)
			goto out;
		ws[t].docs = docs;
		ws[t].flags = flags;
	}
	par_for(n, nt, worker_run, ws);
	for (size_t t = 0; t < nt && rc == 0; t++) {
		if (ws[t].rc < 0) {
			/* the error slot is per thread: carry the message over */
			rc = lsr_error_set(ws[t].rc, "%s", ws[t].msg);
			break;
		}
	}
	for (size_t t = 0; t < nt && rc == 0; t++)
		for (size_t k = 0; k < ws[t].hits.n && rc == 0; k++)
			rc = hits_push(out, &ws[t].hits.v[k]);
out:
	for (size_t t = 0; t < nt; t++)
		worker_release(&ws[t]);
	free(ws);
	return rc;
}
