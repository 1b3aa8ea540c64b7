/*
 * test_protocol.c - protocol.yaml: the template is valid, the seed's
 * protocol from PROTOCOL.md decodes, and every error names file, line and
 * key path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/protocol.h"
#include "util/err.h"

static char path[64];

static void write_file(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/lsr-proto-%d.yaml", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void expect_error(const char *yaml, const char *msg)
{
	struct protocol *p = NULL;
	char want[512];

	write_file(yaml);
	assert_int_equal(protocol_load(&p, path), LSR_EPARSE);
	assert_null(p);
	snprintf(want, sizeof(want), "%s:%s", path, msg);
	assert_string_equal(lsr_error_last(), want);
	unlink(path);
}

static void test_db_protocol__template_is_valid(void **state)
{
	struct protocol *p = NULL;

	(void)state;
	write_file(protocol_template());
	assert_int_equal(protocol_load(&p, path), 0);
	assert_string_equal(p->title, "Title of the review");
	assert_int_equal(p->nsources, 1);
	assert_string_equal(p->sources[0].kind, "database");
	assert_int_equal(p->reviewers, 2);
	assert_int_equal(p->nreasons, 3);
	assert_string_equal(p->analysis_defaults.tau2, "REML");
	assert_int_equal(p->analysis_defaults.hk, -1); /* lsr pool's default CI */
	assert_null(p->analysis_defaults.ci);
	protocol_free(p);
	unlink(path);
}

static const char seed[] =
	"lsr_protocol: 1\n"
	"title: Mesenchymal stem cell therapy for liver cirrhosis\n"
	"sources:\n"
	"  - name: PubMed\n"
	"    api: pubmed\n"
	"    query: '(\"Liver Cirrhosis\"[Mesh])'\n"
	"  - name: ClinicalTrials.gov\n"
	"    api: ctgov\n"
	"    query: mesenchymal AND cirrhosis\n"
	"  - name: Embase\n"
	"    files: [exports/embase-*.ris]\n"
	"screening:\n"
	"  reasons:\n"
	"    - {code: animal, label: Animal study, stage: title-abstract}\n"
	"    - {code: abstract-only, stage: full-text}\n"
	"  rules:\n"
	"    - name: animal-models\n"
	"      reason: animal\n"
	"      fields: [title, abstract, mesh]\n"
	"      match: '\\b(rats?|mice)\\b'\n"
	"      unless: '\\bpatients?\\b'\n"
	"    - name: old\n"
	"      reason: animal\n"
	"      mode: exclude\n"
	"      year_before: 1990\n"
	"extraction:\n"
	"  characteristics:\n"
	"    - {name: route, type: choice, values: [intravenous, portal vein]}\n"
	"  outcomes:\n"
	"    - {name: MELD, type: continuous, better: lower, timepoints: [1 month, 6 months]}\n"
	"analyses:\n"
	"  defaults: {model: random, tau2: REML, hk: true}\n"
	"  list:\n"
	"    - {name: meld-6m, outcome: MELD, timepoint: 6 months, measure: MD}\n"
	"    - {name: meld-route, outcome: MELD, measure: SMD, subgroup: route, tau2: DL, hk: false}\n";

static void test_db_protocol__seed_decodes(void **state)
{
	struct protocol *p = NULL;

	(void)state;
	write_file(seed);
	assert_int_equal(protocol_load(&p, path), 0);
	assert_int_equal(p->nsources, 3);
	assert_string_equal(p->sources[1].kind, "register"); /* ctgov defaults to register */
	assert_string_equal(p->sources[2].files.v[0], "exports/embase-*.ris");
	assert_int_equal(p->nrules, 2);
	assert_string_equal(p->rules[0].mode, "suggest");
	assert_string_equal(p->rules[0].match, "\\b(rats?|mice)\\b");
	assert_int_equal(p->rules[0].match_line, 20);
	assert_int_equal(p->rules[1].year_before, 1990);
	assert_string_equal(p->reasons[1].label, "abstract-only");
	assert_string_equal(p->reasons[1].stage, "full-text");
	assert_int_equal(p->analyses[0].opts.hk, -1);
	assert_int_equal(p->analyses[1].opts.hk, 0);
	assert_string_equal(p->analyses[1].opts.tau2, "DL");
	assert_int_equal(p->analyses[1].line, 35);
	protocol_free(p);
	unlink(path);
}

static void test_db_protocol__errors(void **state)
{
	(void)state;
	expect_error("lsr_protocol: 1\ntitle: t\nsources:\n  - name: A\n    kind: journal\n",
		     "5: sources[1].kind: expected database, register or other, not 'journal'");
	expect_error("lsr_protocol: 1\ntitle: t\n",
		     "1: sources: required key is missing");
	expect_error("lsr_protocol: 1\ntitle: t\nsources: [{name: A}]\ncolour: red\n",
		     "4: colour: unknown key (known here: lsr_protocol, title, registration, question, contact_email, picos, sources, screening, extraction, analyses, summary_of_findings)");
	expect_error("lsr_protocol: 1\ntitle: t\nsources: [{name: A}]\nscreening:\n  reasons: [{code: a}]\n"
		     "  rules:\n    - name: r\n      reason: b\n      match: x\n",
		     "7: screening.rules[1]: reason 'b' is not declared in screening.reasons");
	expect_error("lsr_protocol: 1\ntitle: t\nsources: [{name: A}]\nscreening:\n  reasons: [{code: a}]\n"
		     "  rules:\n    - name: r\n      reason: a\n      mode: sometimes\n      match: x\n",
		     "9: screening.rules[1].mode: expected suggest or exclude, not 'sometimes'");
	expect_error("lsr_protocol: 1\ntitle: t\nsources: [{name: A}]\nscreening:\n  reviewers: two\n  reasons: []\n",
		     "5: screening.reviewers: expected a whole number, not 'two'");
	expect_error("lsr_protocol: 2\ntitle: t\nsources: [{name: A}]\n",
		     "1: lsr_protocol: this lsr reads protocol version 1, not 2");
}

static void test_db_protocol__bad_yaml(void **state)
{
	struct protocol *p = NULL;

	(void)state;
	write_file("lsr_protocol: 1\ntitle: [unclosed\nsources: []\n");
	assert_int_equal(protocol_load(&p, path), LSR_EPARSE);
	assert_non_null(strstr(lsr_error_last(), "not valid YAML"));
	assert_non_null(strstr(lsr_error_last(), path));
	unlink(path);
	assert_int_equal(protocol_load(&p, "/nonexistent/protocol.yaml"), LSR_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_protocol__template_is_valid),
		cmocka_unit_test(test_db_protocol__seed_decodes),
		cmocka_unit_test(test_db_protocol__errors),
		cmocka_unit_test(test_db_protocol__bad_yaml),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
