/*
 * test_search.c - the parts of lsr search that need no network: the JSON
 * span scanner (records keep their bytes as received), the Europe PMC and
 * ClinicalTrials.gov record mappings on the real responses in
 * ../shared/fixtures/apis, and the --since/--until dates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/search_int.h"
#include "db/record.h"
#include "util/buf.h"
#include "util/err.h"

static const char *shared;

static void load(struct buf *b, const char *rel)
{
	char path[1024];
	char chunk[65536];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/fixtures/%s", shared, rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(buf_add(b, chunk, n), 0);
	fclose(f);
}

static void test_fetch_search__jspan_items(void **state)
{
	static const char *const path[] = { "a", "b", NULL };
	static const char *const none[] = { "zz", NULL };
	const char *s = "{\"x\":[1,{\"b\":2}],\"a\":{\"q\":\"}\\\"]\",\"b\":[ {\"k\":\"[,]\"} ,"
			"\"s\\\\\" , 12.5e3,[[]],null ]}}";
	struct jspan *v;
	size_t n;

	(void)state;
	assert_int_equal(jspan_array_items(s, strlen(s), path, &v, &n), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(s + v[0].off, "{\"k\":\"[,]\"}", v[0].len);
	assert_int_equal(v[0].len, 11);
	assert_memory_equal(s + v[1].off, "\"s\\\\\"", v[1].len);
	assert_memory_equal(s + v[2].off, "12.5e3", v[2].len);
	assert_memory_equal(s + v[3].off, "[[]]", v[3].len);
	assert_memory_equal(s + v[4].off, "null", v[4].len);
	free(v);
	assert_int_equal(jspan_array_items(s, strlen(s), none, &v, &n), LSR_ENOTFOUND);
	assert_int_equal(jspan_array_items("{\"a\":{\"b\":[]}}", 14, path, &v, &n), 0);
	assert_int_equal(n, 0);
	/* truncated documents are refused, not half-read */
	assert_int_equal(jspan_array_items("{\"a\":{\"b\":[{\"k\":1}", 18, path, &v, &n),
			 LSR_EPARSE);
	assert_null(v);
	assert_int_equal(jspan_array_items("{\"a\":{\"b\":[\"abc", 15, path, &v, &n), LSR_EPARSE);
}

static void test_fetch_search__europepmc_core(void **state)
{
	static const char *const path[] = { "resultList", "result", NULL };
	struct buf page = BUF_INIT;
	struct lsr_record r;
	struct jspan *v;
	size_t n;
	json_t *it;

	(void)state;
	load(&page, "apis/europepmc/pyeuropepmc_search_cancer_core.json");
	assert_int_equal(jspan_array_items(page.s, page.len, path, &v, &n), 0);
	assert_int_equal(n, 25);
	record_init(&r);

	/* the first record: a letter without abstract */
	it = json_loadb(page.s + v[0].off, v[0].len, 0, NULL);
	assert_non_null(it);
	assert_int_equal(europepmc_record(&r, it), 0);
	assert_int_equal(record_finish(&r), 0);
	assert_string_equal(r.source_id.s, "MED:39709209");
	assert_string_equal(r.pmid.s, "39709209");
	assert_string_equal(r.doi.s, "10.1016/s0140-6736(24)02600-x");
	assert_string_equal(r.title.s, "Abscopal response in a patient with fibrolamellar hepatocellular carcinoma following radiotherapy.");
	assert_int_equal(r.authors.n, 3);
	assert_string_equal(r.authors.v[0], "Schoenfeld, Jonathan D");
	assert_string_equal(r.authors.v[2], "O'Neill, Allison F");
	assert_int_equal(r.year, 2025);
	assert_string_equal(r.pub_date.s, "2025-12");
	assert_string_equal(r.journal.s, "Lancet (London, England)");
	assert_string_equal(r.journal_abbrev.s, "Lancet");
	assert_string_equal(r.volume.s, "404");
	assert_string_equal(r.issue.s, "10471");
	assert_string_equal(r.pages.s, "2603-2604");
	assert_string_equal(r.issn.s, "0140-6736");
	assert_string_equal(r.languages.v[0], "eng");
	assert_string_equal(r.url.s, "https://europepmc.org/article/MED/39709209");
	assert_int_equal(r.abstract.len, 0);
	json_decref(it);

	/* an erratum: PMCID, relation */
	it = json_loadb(page.s + v[1].off, v[1].len, 0, NULL);
	assert_int_equal(europepmc_record(&r, it), 0);
	assert_int_equal(record_finish(&r), 0);
	assert_string_equal(r.pmcid.s, "PMC12124214");
	assert_int_equal(r.publication_types.n, 2);
	assert_string_equal(r.publication_types.v[0], "Published Erratum");
	assert_string_equal(r.ref_type.s, "Published Erratum");
	assert_int_equal(r.relations.n, 1);
	assert_string_equal(r.relations.v[0], "ErratumFor 39293462");
	json_decref(it);

	/* a structured abstract: <h4> headings become labelled lines; MeSH, keywords */
	it = json_loadb(page.s + v[2].off, v[2].len, 0, NULL);
	assert_int_equal(europepmc_record(&r, it), 0);
	assert_int_equal(record_finish(&r), 0);
	assert_string_equal(r.source_id.s, "MED:40468710");
	assert_memory_equal(r.abstract.s, "OBJECTIVE: This study investigated whether psychological flexibility", 68);
	assert_non_null(strstr(r.abstract.s, "\nDESIGN: This was an online, prospective"));
	assert_non_null(strstr(r.abstract.s, "\nRESULTS: Cross-sectional hierarchical regression analyses showed Time-point 1 psychological flexibility significantly (at p < .001)"));
	assert_null(strstr(r.abstract.s, "<h4>"));
	assert_string_equal(r.mesh.v[0], "Humans");
	assert_string_equal(r.mesh.v[1], "Neoplasms");
	assert_string_equal(r.keywords.v[1], "Acceptance And Commitment Therapy");
	json_decref(it);

	/* every record maps, with an id, and its span is one object */
	for (size_t i = 0; i < n; i++) {
		it = json_loadb(page.s + v[i].off, v[i].len, 0, NULL);
		assert_non_null(it);
		assert_int_equal(europepmc_record(&r, it), 0);
		assert_true(r.source_id.len > 4);
		assert_int_equal(page.s[v[i].off], '{');
		assert_int_equal(page.s[v[i].off + v[i].len - 1], '}');
		json_decref(it);
	}
	record_release(&r);
	free(v);
	buf_release(&page);
}

static void test_fetch_search__ctgov_study(void **state)
{
	struct buf f = BUF_INIT;
	struct lsr_record r;
	json_t *j;

	(void)state;
	record_init(&r);
	load(&f, "apis/clinicaltrials/aact_NCT00973089.json");
	j = json_loadb(f.s, f.len, 0, NULL);
	assert_non_null(j);
	assert_int_equal(ctgov_record(&r, j), 0);
	assert_int_equal(record_finish(&r), 0);
	assert_string_equal(r.source_id.s, "NCT00973089");
	assert_int_equal(r.other_ids.n, 1);
	assert_string_equal(r.other_ids.v[0], "nct:NCT00973089");
	assert_string_equal(r.title.s, "Alternative Treatment of Deep Carious Lesions Based on Biological Evidences");
	/* brief and official titles are the same: the abstract is the summary */
	assert_memory_equal(r.abstract.s, "The purpose of this study is to evaluate", 40);
	assert_int_equal(r.year, 2010);
	assert_string_equal(r.pub_date.s, "2010-05");
	assert_int_equal(r.authors.n, 1);
	assert_string_equal(r.authors.v[0], "Hadassah Medical Organization");
	assert_int_equal(r.publication_types.n, 2);
	assert_string_equal(r.publication_types.v[0], "Interventional");
	assert_string_equal(r.publication_types.v[1], "Randomized");
	assert_int_equal(r.keywords.n, 4);
	assert_string_equal(r.keywords.v[0], "Caries, Dental");
	assert_string_equal(r.keywords.v[3], "Incomplete caries removal in primary teeth");
	assert_string_equal(r.mesh.v[0], "Dental Caries");
	assert_string_equal(r.url.s, "https://clinicaltrials.gov/study/NCT00973089");
	json_decref(j);
	buf_reset(&f);

	/* phase 2, sponsor and collaborator, official title differs */
	load(&f, "apis/clinicaltrials/aact_NCT02210780.json");
	j = json_loadb(f.s, f.len, 0, NULL);
	assert_int_equal(ctgov_record(&r, j), 0);
	assert_int_equal(record_finish(&r), 0);
	assert_string_equal(r.publication_types.v[1], "Phase 2");
	assert_string_equal(r.authors.v[0], "Regeneron Pharmaceuticals");
	assert_string_equal(r.authors.v[1], "Sanofi");
	assert_memory_equal(r.abstract.s, "OFFICIAL TITLE: ", 16);
	assert_non_null(strstr(r.abstract.s, "\nSUMMARY: "));
	assert_string_equal(r.pub_date.s, "2014-08-05");
	json_decref(j);
	buf_reset(&f);

	/* observational, no phases */
	load(&f, "apis/clinicaltrials/aact_NCT05594173.json");
	j = json_loadb(f.s, f.len, 0, NULL);
	assert_int_equal(ctgov_record(&r, j), 0);
	assert_string_equal(r.publication_types.v[0], "Observational");
	assert_int_equal(r.publication_types.n, 1);
	json_decref(j);
	record_release(&r);
	buf_release(&f);
}

static void test_fetch_search__dates(void **state)
{
	char d[11];

	(void)state;
	assert_int_equal(fetch_search_date_parse(d, "2025-06-01", "--since"), 0);
	assert_string_equal(d, "2025-06-01");
	assert_int_equal(fetch_search_date_parse(d, "2024/02/29", "--since"), 0);
	assert_string_equal(d, "2024-02-29");
	assert_int_equal(fetch_search_date_parse(d, "2023/02/29", "--until"), LSR_EUSAGE);
	assert_string_equal(lsr_error_last(),
			    "--until: expected a date YYYY-MM-DD (or YYYY/MM/DD), not '2023/02/29'");
	assert_int_equal(fetch_search_date_parse(d, "2025-6-1", "--since"), LSR_EUSAGE);
	assert_int_equal(fetch_search_date_parse(d, "2025-06/01", "--since"), LSR_EUSAGE);
	assert_int_equal(fetch_search_date_parse(d, "2025-13-01", "--since"), LSR_EUSAGE);
	assert_int_equal(fetch_search_date_parse(d, "yesterday!", "--since"), LSR_EUSAGE);
	assert_string_equal(fetch_search_api_name("ctgov"), "ClinicalTrials.gov");
	assert_null(fetch_search_api_name("scopus"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_search__jspan_items),
		cmocka_unit_test(test_fetch_search__europepmc_core),
		cmocka_unit_test(test_fetch_search__ctgov_study),
		cmocka_unit_test(test_fetch_search__dates),
	};

	shared = getenv("LSR_SHARED");
	if (!shared || !*shared) {
		fprintf(stderr, "skip: test_search is a real-data test and ../shared is absent (LSR_SHARED not set)\n");
		return 77;
	}
	{
		char probe[1024];
		FILE *f;

		snprintf(probe, sizeof(probe), "%s/fixtures/apis/clinicaltrials/aact_NCT00973089.json", shared);
		f = fopen(probe, "rb");
		if (!f) {
			fprintf(stderr, "skip: test_search is a real-data test and ../shared is absent (no %s)\n",
				probe);
			return 77;
		}
		fclose(f);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
