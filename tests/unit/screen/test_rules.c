/*
 * test_rules.c - the PICOS rule engine: compile errors name the rule and
 * the position, structured tests, unless, field order, match limits, the
 * characters that fold to ASCII, and the literal prefilter finding exactly
 * what running every pattern on every text finds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/protocol.h"
#include "screen/screen.h"
#include "util/buf.h"
#include "util/err.h"

static char path[64];

static const char head[] =
	"lsr_protocol: 1\n"
	"title: rules\n"
	"sources:\n"
	"  - name: PubMed\n"
	"screening:\n"
	"  reasons:\n"
	"    - {code: animal}\n"
	"    - {code: review}\n"
	"    - {code: language}\n"
	"    - {code: old}\n"
	"    - {code: abstract-only, stage: full-text}\n"
	"  rules:\n";

static struct protocol *load(const char *rules)
{
	struct protocol *p = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/lsr-rules-%d.yaml", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(head, f);
	fputs(rules, f);
	fclose(f);
	if (protocol_load(&p, path) < 0)
		fail_msg("protocol: %s", lsr_error_last());
	unlink(path);
	return p;
}

static void expect_compile_error(const char *rules, const char *msg)
{
	struct protocol *p = load(rules);
	struct screen_rules *rs = NULL;
	char want[512];

	assert_int_equal(screen_rules_compile(&rs, p), LSR_EPARSE);
	assert_null(rs);
	snprintf(want, sizeof(want), "%s:%s", path, msg);
	assert_string_equal(lsr_error_last(), want);
	protocol_free(p);
}

static void test_screen_rules__compile_errors(void **state)
{
	(void)state;
	expect_compile_error("    - name: animal\n"
			     "      reason: animal\n"
			     "      match: '\\b(rats?|mice\\b'\n",
			     "15: screening.rules[1].match: rule 'animal': missing closing parenthesis at offset 15");
	expect_compile_error("    - name: ok\n"
			     "      reason: review\n"
			     "      match: review\n"
			     "    - name: bad-unless\n"
			     "      reason: animal\n"
			     "      match: rats\n"
			     "      unless: 'a{2,1}'\n",
			     "19: screening.rules[2].unless: rule 'bad-unless': numbers out of order in {} quantifier at offset 5");
	expect_compile_error("    - name: where\n"
			     "      reason: animal\n"
			     "      fields: [title, summary]\n"
			     "      match: rats\n",
			     "13: screening.rules[1].fields[2]: rule 'where': unknown field 'summary' (expected title, abstract, keywords, mesh, publication_type, language, journal or year)");
	expect_compile_error("    - name: auto-ft\n"
			     "      reason: abstract-only\n"
			     "      mode: exclude\n"
			     "      match: abstract\n",
			     "13: screening.rules[1].mode: rule 'auto-ft': an exclude rule needs a title-abstract reason ('abstract-only' is a full-text reason)");
}

static void set(struct screen_doc *d, int f, const char *s)
{
	d->text[f] = s;
	d->len[f] = s ? strlen(s) : 0;
}

static const char rules_main[] =
	"    - name: animal-models\n"
	"      reason: animal\n"
	"      fields: [abstract, title, mesh]\n"
	"      match: '\\b(rats?|mice|mouse)\\b'\n"
	"      unless: '\\b(patients?|humans?)\\b'\n"
	"    - name: reviews\n"
	"      reason: review\n"
	"      publication_type: [Review, Systematic Review]\n"
	"    - name: non-english\n"
	"      reason: language\n"
	"      mode: exclude\n"
	"      language_not: [eng]\n"
	"    - name: old\n"
	"      reason: old\n"
	"      year_before: 1990\n"
	"    - name: case-sensitive\n"
	"      reason: review\n"
	"      fields: [keywords]\n"
	"      match: '(?-i)\\bMSC\\b'\n";

static size_t count_rule(const struct screen_hits *h, size_t doc, uint32_t rule)
{
	size_t n = 0;

	for (size_t i = 0; i < h->n; i++)
		n += h->v[i].doc == doc && h->v[i].rule == rule;
	return n;
}

static const struct screen_hit *find_hit(const struct screen_hits *h, size_t doc, uint32_t rule)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].doc == doc && h->v[i].rule == rule)
			return &h->v[i];
	return NULL;
}

static void test_screen_rules__tests_and_fields(void **state)
{
	struct protocol *p = load(rules_main);
	struct screen_rules *rs = NULL;
	struct screen_doc d[7];
	struct screen_hits h = { 0 };
	const struct screen_hit *x;

	(void)state;
	assert_int_equal(screen_rules_compile(&rs, p), 0);
	assert_int_equal(screen_rules_count(rs), 5);
	assert_true(screen_rule_prefiltered(rs, 0));
	assert_true(screen_rule_excludes(rs, 2));
	assert_false(screen_rule_excludes(rs, 0));
	memset(d, 0, sizeof(d));
	/* 0: "Mice" in the title and "rats" in the abstract: the abstract is
	 * first in the rule's fields */
	set(&d[0], SCREEN_F_TITLE, "Stem cells in Mice");
	set(&d[0], SCREEN_F_ABSTRACT, "Twelve rats were treated.");
	set(&d[0], SCREEN_F_LANGUAGE, "eng");
	/* 1: animals, but patients too: unless suppresses */
	set(&d[1], SCREEN_F_TITLE, "From mice to patients");
	set(&d[1], SCREEN_F_LANGUAGE, "English");
	/* 2: a review in German (named as sources write it), of 1985 */
	set(&d[2], SCREEN_F_TITLE, "Stammzellen");
	set(&d[2], SCREEN_F_PUBTYPE, "Journal Article\nsystematic review");
	set(&d[2], SCREEN_F_LANGUAGE, "German");
	set(&d[2], SCREEN_F_YEAR, "1985");
	d[2].year = 1985;
	/* 3: English and German: not excluded for language; no year */
	set(&d[3], SCREEN_F_TITLE, "Bilingual");
	set(&d[3], SCREEN_F_LANGUAGE, "ger\neng");
	/* 4: no language known: not excluded for it; "rats" only in MeSH */
	set(&d[4], SCREEN_F_TITLE, "Ratsherr and separate rates");
	set(&d[4], SCREEN_F_MESH, "Animals\nRats");
	/* 5: the case-sensitive rule */
	set(&d[5], SCREEN_F_KEYWORDS, "msc\nstem cells");
	set(&d[6], SCREEN_F_KEYWORDS, "MSC");
	assert_int_equal(screen_rules_eval(rs, d, 7, 2, 0, &h), 0);

	x = find_hit(&h, 0, 0);
	assert_non_null(x);
	assert_int_equal(x->field, SCREEN_F_ABSTRACT);
	assert_int_equal(x->start, 7);
	assert_int_equal(x->end, 11);
	assert_int_equal(count_rule(&h, 0, 2), 0);
	assert_int_equal(count_rule(&h, 1, 0), 0);
	assert_int_equal(count_rule(&h, 1, 2), 0);

	x = find_hit(&h, 2, 1);
	assert_non_null(x);
	assert_int_equal(x->field, SCREEN_F_PUBTYPE);
	assert_int_equal(x->start, 16);
	assert_int_equal(x->end, 33);
	x = find_hit(&h, 2, 2);
	assert_non_null(x);
	assert_int_equal(x->field, SCREEN_F_LANGUAGE);
	x = find_hit(&h, 2, 3);
	assert_non_null(x);
	assert_int_equal(x->field, SCREEN_F_YEAR);
	assert_int_equal(x->end, 4);

	assert_int_equal(count_rule(&h, 3, 2), 0);
	assert_int_equal(count_rule(&h, 3, 3), 0);
	assert_int_equal(count_rule(&h, 4, 2), 0);
	x = find_hit(&h, 4, 0);
	assert_non_null(x);
	assert_int_equal(x->field, SCREEN_F_MESH);
	assert_int_equal(x->start, 8);
	assert_int_equal(count_rule(&h, 5, 4), 0);
	assert_int_equal(count_rule(&h, 6, 4), 1);
	assert_int_equal(h.n, 6);
	/* hits come ordered by document, then rule */
	for (size_t i = 1; i < h.n; i++)
		assert_true(h.v[i - 1].doc < h.v[i].doc ||
			    (h.v[i - 1].doc == h.v[i].doc && h.v[i - 1].rule < h.v[i].rule));
	screen_hits_release(&h);
	screen_rules_free(rs);
	protocol_free(p);
}

/* U+017F (long s) and U+212A (Kelvin sign) match s and k caselessly: the
 * prefilter, which reads bytes, must not lose such a match.  Also checks
 * that they are the only characters outside ASCII that fold to an ASCII
 * letter in this PCRE2, which the prefilter relies on. */
static void test_screen_rules__ascii_folds(void **state)
{
	struct protocol *p = load("    - name: animal-models\n"
				  "      reason: animal\n"
				  "      match: '\\b(rats|monkeys)\\b'\n");
	struct screen_rules *rs = NULL;
	struct screen_doc d[3];
	struct screen_hits h = { 0 };
	pcre2_code *re;
	pcre2_match_data *md;
	int err, found = 0;
	PCRE2_SIZE off;

	(void)state;
	assert_int_equal(screen_rules_compile(&rs, p), 0);
	memset(d, 0, sizeof(d));
	set(&d[0], SCREEN_F_TITLE, "Twelve rat\xc5\xbf were");          /* ratſ */
	set(&d[1], SCREEN_F_TITLE, "two mon\xe2\x84\xaa" "eys and");    /* monKeys */
	set(&d[2], SCREEN_F_TITLE, "ra ts");
	assert_int_equal(screen_rules_eval(rs, d, 3, 1, 0, &h), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.v[0].doc, 0);
	assert_int_equal(h.v[1].doc, 1);
	screen_hits_release(&h);
	screen_rules_free(rs);
	protocol_free(p);

	re = pcre2_compile((PCRE2_SPTR) "^[a-z]$", PCRE2_ZERO_TERMINATED,
			   PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &err, &off, NULL);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	for (uint32_t cp = 0x80; cp < 0x110000; cp++) {
		unsigned char b[4];
		size_t n;

		if (cp >= 0xD800 && cp < 0xE000)
			continue;
		if (cp < 0x800) {
			b[0] = (unsigned char)(0xC0 | (cp >> 6));
			b[1] = (unsigned char)(0x80 | (cp & 63));
			n = 2;
		} else if (cp < 0x10000) {
			b[0] = (unsigned char)(0xE0 | (cp >> 12));
			b[1] = (unsigned char)(0x80 | ((cp >> 6) & 63));
			b[2] = (unsigned char)(0x80 | (cp & 63));
			n = 3;
		} else {
			b[0] = (unsigned char)(0xF0 | (cp >> 18));
			b[1] = (unsigned char)(0x80 | ((cp >> 12) & 63));
			b[2] = (unsigned char)(0x80 | ((cp >> 6) & 63));
			b[3] = (unsigned char)(0x80 | (cp & 63));
			n = 4;
		}
		if (pcre2_match(re, b, n, 0, 0, md, NULL) > 0) {
			assert_true(cp == 0x17F || cp == 0x212A);
			found++;
		}
	}
	assert_int_equal(found, 2);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
}

/* A pathological pattern reaches the match limit: reported as an error
 * hit for that document and rule, and the other rules still run. */
static void test_screen_rules__match_limit(void **state)
{
	struct protocol *p = load("    - name: catastrophic\n"
				  "      reason: animal\n"
				  "      match: '(a+)+$'\n"
				  "    - name: reviews\n"
				  "      reason: review\n"
				  "      match: review\n");
	struct screen_rules *rs = NULL;
	struct screen_doc d;
	struct screen_hits h = { 0 };
	char text[80];

	(void)state;
	memset(text, 'a', 60);
	strcpy(text + 60, "b review");
	assert_int_equal(screen_rules_compile(&rs, p), 0);
	memset(&d, 0, sizeof(d));
	set(&d, SCREEN_F_ABSTRACT, text);
	assert_int_equal(screen_rules_eval(rs, &d, 1, 1, 0, &h), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.v[0].rule, 0);
	assert_true(h.v[0].error == PCRE2_ERROR_MATCHLIMIT ||
		    h.v[0].error == PCRE2_ERROR_DEPTHLIMIT ||
		    h.v[0].error == PCRE2_ERROR_JIT_STACKLIMIT);
	assert_int_equal(h.v[1].rule, 1);
	assert_int_equal(h.v[1].error, 0);
	screen_hits_release(&h);
	screen_rules_free(rs);
	protocol_free(p);
}

static void test_screen_rules__hash(void **state)
{
	struct protocol *p1 = load(rules_main), *p2 = load(rules_main);
	struct protocol *p3 = load("    - name: animal-models\n"
				   "      reason: animal\n"
				   "      match: '\\b(rats?|mice)\\b'\n");
	struct screen_rules *a = NULL, *b = NULL, *c = NULL;

	(void)state;
	assert_int_equal(screen_rules_compile(&a, p1), 0);
	assert_int_equal(screen_rules_compile(&b, p2), 0);
	assert_int_equal(screen_rules_compile(&c, p3), 0);
	assert_int_equal(strlen(screen_rules_hash(a)), 64);
	assert_string_equal(screen_rules_hash(a), screen_rules_hash(b));
	assert_string_not_equal(screen_rules_hash(a), screen_rules_hash(c));
	assert_string_equal(screen_rules_json(c),
			    "[{\"name\":\"animal-models\",\"reason\":\"animal\",\"mode\":\"suggest\",\"match\":\"\\\\b(rats?|mice)\\\\b\"}]");
	screen_rules_free(a);
	screen_rules_free(b);
	screen_rules_free(c);
	protocol_free(p1);
	protocol_free(p2);
	protocol_free(p3);
}

/* ---- the prefilter is sound: same hits as the naive evaluation ---------- */

static uint64_t rng = 12345;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Patterns in the shapes rule writers use, and some the literal extractor
 * must refuse (classes first, backreferences, (?x), lookbehind...). */
static const char *const patterns[] = {
	"\\b(rats?|mice|mouse)\\b",
	"(?i)random(ised|ized)",
	"\\b(meta-?analys[ie]s|systematic\\s+review)\\b",
	"(?-i)\\bRCT\\b",
	"case (report|series)s?",
	"(?<=non-)randomi[sz]ed",
	"(?<!quasi-)random",
	"\\b(?:in vitro|ex vivo)\\b",
	"[Pp]ilot stud(y|ies)",
	"(\\w+)\\s+\\1",
	"(?x) rat s",
	"colo(u)?r",
	"(ab|cd){2}ef",
	"x{0,2}yz+w",
	"(?:pig|piglet|porcine)(?=s?\\b)",
	"tumou?rs?",
	"\\bphase\\s(i|ii|iii)\\b",
	"(?i:Mouse)Trap",
	"\\.\\.\\.end",
	"caf\xc3\xa9|ana\xc3\xafve",
	"(rats|)x",
	"^(review|overview)",
	"(?#comment)kelvin",
	"\\x41BC|\\Qa.b\\E",
	"sa{2,}ga",
};

static const char *const pieces[] = {
	"rat", "rats", "Rats", "RATS", "mice", "mouse", "Mouse", "random", "randomised",
	"Randomized", "non-randomized", "quasi-random", "meta-analysis", "metaanalyses",
	"systematic  review", "RCT", "rct", "case report", "case series", "in vitro", "ex vivo",
	"pilot study", "Pilot studies", "the the", "colour", "color", "abcdef", "abab ef",
	"xyzzzw", "yzw", "pigs", "piglet", "porcine", "tumour", "tumors", "phase ii",
	"phase iv", "MouseTrap", "mousetrap", "...end", "caf\xc3\xa9", "CAF\xc3\x89",
	"na\xc3\xafve", "rat\xc5\xbf", "\xe2\x84\xaa" "elvin", "kelvin", "ABC", "a.b", "saaga",
	"SAAAGA", "x", "review", "overview", " ", " ", " ", ".", "\n", "-", "separate",
	"operated", "rate", "ratio",
};

static void test_screen_rules__prefilter_is_sound(void **state)
{
	struct buf yaml = BUF_INIT;
	struct protocol *p;
	struct screen_rules *rs = NULL;
	size_t ndocs = 3000, npieces = sizeof(pieces) / sizeof(pieces[0]);
	struct screen_doc *d = calloc(ndocs, sizeof(*d));
	char **texts = calloc(ndocs * 2, sizeof(char *));
	struct screen_hits naive = { 0 }, fast = { 0 };
	size_t prefiltered = 0, hits_with_match = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		buf_printf(&yaml, "    - name: r%zu\n      reason: animal\n      fields: [title, abstract]\n      match: \"", i);
		for (const char *c = patterns[i]; *c; c++) {
			if (*c == '\\' || *c == '"')
				buf_addc(&yaml, '\\');
			buf_addc(&yaml, *c);
		}
		buf_adds(&yaml, "\"\n");
	}
	p = load(yaml.s);
	buf_release(&yaml);
	assert_int_equal(screen_rules_compile(&rs, p), 0);
	for (size_t i = 0; i < screen_rules_count(rs); i++)
		prefiltered += (size_t)screen_rule_prefiltered(rs, i);
	/* most shapes are prefiltered, the unprovable ones are not */
	assert_true(prefiltered >= 15);
	assert_false(screen_rule_prefiltered(rs, 9));  /* backreference first */
	assert_false(screen_rule_prefiltered(rs, 10)); /* (?x) */
	for (size_t i = 0; i < ndocs; i++) {
		for (int f = 0; f < 2; f++) {
			struct buf t = BUF_INIT;
			size_t k = 1 + next() % (f ? 40 : 8);

			while (k--)
				buf_adds(&t, pieces[next() % npieces]);
			texts[2 * i + (size_t)f] = buf_detach(&t);
			set(&d[i], f ? SCREEN_F_ABSTRACT : SCREEN_F_TITLE, texts[2 * i + (size_t)f]);
		}
	}
	assert_int_equal(screen_rules_eval(rs, d, ndocs, 1, SCREEN_EVAL_NAIVE, &naive), 0);
	assert_int_equal(screen_rules_eval(rs, d, ndocs, 2, 0, &fast), 0);
	assert_int_equal(naive.n, fast.n);
	for (size_t i = 0; i < naive.n; i++) {
		assert_int_equal(naive.v[i].doc, fast.v[i].doc);
		assert_int_equal(naive.v[i].rule, fast.v[i].rule);
		assert_int_equal(naive.v[i].field, fast.v[i].field);
		assert_int_equal(naive.v[i].start, fast.v[i].start);
		assert_int_equal(naive.v[i].end, fast.v[i].end);
		assert_int_equal(naive.v[i].error, 0);
		hits_with_match++;
	}
	/* the random texts do exercise the rules */
	assert_true(hits_with_match > ndocs);
	for (size_t i = 0; i < ndocs * 2; i++)
		free(texts[i]);
	free(texts);
	free(d);
	screen_hits_release(&naive);
	screen_hits_release(&fast);
	screen_rules_free(rs);
	protocol_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen_rules__compile_errors),
		cmocka_unit_test(test_screen_rules__tests_and_fields),
		cmocka_unit_test(test_screen_rules__ascii_folds),
		cmocka_unit_test(test_screen_rules__match_limit),
		cmocka_unit_test(test_screen_rules__hash),
		cmocka_unit_test(test_screen_rules__prefilter_is_sound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
