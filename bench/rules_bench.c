/*
 * rules_bench.c - throughput of the PICOS rule engine (screen/rules.c).
 *
 *     bench_rules_bench [--n N] [--naive-n M] [--threads T] [--seed S]
 *
 * Generates N titles and abstracts (default 1,000,000; abstracts of about
 * 1,500 characters from a vocabulary of words found in clinical abstracts,
 * with the rules' terms sprinkled in), and a rule set of 20 rules of about
 * ten alternatives each, as a PICOS rule set has.  Then it times:
 *   - the naive evaluation (every pattern on every text, one thread) on the
 *     first M documents (default 50,000), scaled to N;
 *   - the engine (literal prefilter + anchored confirmation) on one thread
 *     and on T threads (default 2) over all N;
 * and checks that the engine finds exactly the naive hits on the first M.
 * Everything is deterministic for a given seed.
 */
#include "db/protocol.h"
#include "screen/screen.h"
#include "util/clock.h"
#include "util/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng;

/* CPU seconds used by the process (all threads): the machine is shared, so
 * wall-clock time alone says little. */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static const char *const vocab[] = {
	"the", "of", "and", "in", "to", "with", "a", "for", "was", "were", "patients",
	"treatment", "study", "results", "group", "significantly", "compared", "after",
	"liver", "cirrhosis", "cells", "stem", "mesenchymal", "therapy", "function",
	"albumin", "bilirubin", "score", "model", "end-stage", "disease", "months",
	"follow-up", "baseline", "improved", "levels", "serum", "transplantation",
	"infusion", "hepatic", "artery", "portal", "vein", "peripheral", "safety",
	"efficacy", "adverse", "events", "observed", "during", "period", "control",
	"standard", "medical", "care", "received", "autologous", "bone", "marrow",
	"derived", "umbilical", "cord", "decompensated", "compensated", "hepatitis",
	"virus", "alcoholic", "etiology", "survival", "rate", "ratio", "separate",
	"operated", "moderate", "generated", "accurate", "mortality", "outcome",
	"primary", "secondary", "endpoint", "analysis", "data", "collected", "from",
	"hospital", "between", "january", "december", "total", "enrolled", "mean",
	"age", "years", "male", "female", "difference", "statistically", "significant",
	"no", "not", "found", "however", "these", "findings", "suggest", "that", "may",
	"be", "effective", "option", "for", "improving", "prothrombin", "time",
	"international", "normalized", "alanine", "aminotransferase", "aspartate",
	"increased", "decreased", "week", "weeks", "day", "days", "dose", "kg",
	"injection", "intravenous", "route", "administration", "clinical", "trial",
	"registered", "number", "background", "methods", "conclusion", "objective",
	"design", "setting", "participants", "interventions", "measurements", "main",
	"this", "we", "our", "has", "have", "been", "is", "are", "on", "by", "at",
	"as", "an", "or", "its", "their", "which", "while", "also", "both", "all",
	"further", "studies", "needed", "confirm", "long-term", "benefits", "risks",
	"hepatocellular", "carcinoma", "incidence", "ascites", "encephalopathy",
	"variceal", "bleeding", "fibrosis", "regeneration", "immunomodulatory",
	"cytokines", "inflammation", "expression", "growth", "factor", "paracrine",
	"mechanism", "pathway", "fever", "transient", "mild", "severe", "complications",
	"recipients", "donors", "culture", "expanded", "viability", "flow", "cytometry",
	"markers", "positive", "negative", "platelet", "count", "creatinine", "sodium",
	"child-pugh", "class", "meld", "na", "index", "interval", "confidence", "ci",
	"p", "hazard", "odds", "relative", "risk", "weighted", "heterogeneity",
};
#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))

/* 20 rules of about ten alternatives each: the kinds of exclusions a PICOS
 * screen makes (population, design, publication type, setting). */
static const char *const rule_terms[20][11] = {
	{ "rats?", "mice", "mouse", "murine", "rabbits?", "porcine", "canine", "dogs?", "pigs?", "sheep", "primates?" },
	{ "review", "meta-analysis", "systematic review", "overview", "narrative review", "scoping review", "umbrella review", "literature review", "meta-analyses", "pooled analysis", NULL },
	{ "case reports?", "case series", "a case of", "we report", "we describe", "single patient", "index case", "vignette", "case presentation", "anecdotal", NULL },
	{ "in vitro", "cell lines?", "cultured cells", "organoids?", "ex vivo", "bench", "petri", "co-culture", "transwell", "spheroids?", NULL },
	{ "protocol", "study design", "rationale and design", "planned trial", "will be randomi[sz]ed", "will be enrolled", "recruitment is ongoing", "trial registration only", "statistical analysis plan", "design paper", NULL },
	{ "editorial", "commentary", "letter to the editor", "correspondence", "erratum", "corrigendum", "retraction", "reply", "author response", "viewpoint", NULL },
	{ "children", "paediatric", "pediatric", "infants?", "neonates?", "adolescents?", "juvenile", "newborns?", "schoolchildren", "toddlers?", NULL },
	{ "retrospective", "cohort study", "case-control", "cross-sectional", "registry analysis", "chart review", "observational", "database study", "ecological", "audit", NULL },
	{ "diabetes", "myocardial infarction", "stroke", "heart failure", "osteoarthritis", "crohn", "colitis", "lupus", "psoriasis", "multiple sclerosis", NULL },
	{ "cost-effectiveness", "economic evaluation", "cost analysis", "budget impact", "markov model", "willingness to pay", "qaly", "icer", "health economic", "cost-utility", NULL },
	{ "qualitative", "interviews?", "focus groups?", "thematic analysis", "grounded theory", "ethnograph", "phenomenolog", "lived experience", "semi-structured", "narratives", NULL },
	{ "questionnaire", "survey", "self-reported", "online poll", "delphi", "consensus statement", "expert opinion", "guideline", "recommendations", "position paper", NULL },
	{ "pharmacokinetics?", "bioavailability", "healthy volunteers", "phase i", "first-in-human", "dose-escalation", "maximum tolerated", "half-life", "clearance", "plasma concentration", NULL },
	{ "tumou?r", "oncolog", "chemotherapy", "radiotherapy", "metastas[ie]s", "neoplasm", "lymphoma", "leukaemia", "leukemia", "sarcoma", NULL },
	{ "dental", "periodont", "orthodont", "tooth", "teeth", "oral mucosa", "gingiva", "endodont", "caries", "implantology", NULL },
	{ "imaging", "elastography", "ultrasound", "magnetic resonance", "computed tomography", "pet-ct", "radiomics", "fibroscan", "contrast-enhanced", "doppler", NULL },
	{ "nursing", "caregivers?", "education program", "training course", "curriculum", "students", "teaching", "simulation training", "workforce", "staffing", NULL },
	{ "covid", "sars-cov-2", "coronavirus", "pandemic", "influenza", "vaccine", "vaccination", "hiv", "tuberculosis", "malaria", NULL },
	{ "zebrafish", "drosophila", "yeast", "bacteria", "nematode", "c\\. elegans", "xenograft", "transgenic", "knockout", "in silico", NULL },
	{ "conference abstract", "proceedings", "poster", "oral presentation", "annual meeting", "congress", "symposium", "abstract only", "supplement", "meeting report", NULL },
};

static void word(char **p, const char *w)
{
	size_t n = strlen(w);

	memcpy(*p, w, n);
	*p += n;
}

/* A plain-text form of a rule term (drop regex syntax: "rats?" -> "rats"). */
static void plain_term(char *out, const char *term)
{
	for (; *term; term++) {
		if (*term == '?' || *term == '\\')
			continue;
		if (*term == '[') { /* [sz] -> s */
			*out++ = term[1];
			while (*term && *term != ']')
				term++;
			continue;
		}
		*out++ = *term;
	}
	*out = '\0';
}

static char *gen_text(size_t target, int inject)
{
	char *buf = malloc(target + 256), *p = buf;

	while ((size_t)(p - buf) < target) {
		if (inject && next() % 90 == 0) {
			size_t r = next() % 20, k = 0;
			char term[64];

			while (k < 11 && rule_terms[r][k])
				k++;
			if (k == 0) /* a rule without a term: nothing to inject */
				continue;
			plain_term(term, rule_terms[r][next() % k]);
			word(&p, term);
		} else {
			word(&p, vocab[next() % NVOCAB]);
		}
		*p++ = (next() % 12 == 0) ? '.' : ' ';
		if (p[-1] == '.')
			*p++ = ' ';
	}
	*p = '\0';
	return buf;
}

static const char *write_protocol(void)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/lsr-rules-bench-%d.yaml", (int)getpid());
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "lsr_protocol: 1\ntitle: bench\nsources:\n  - name: PubMed\nscreening:\n"
		   "  reasons:\n    - {code: off-topic}\n  rules:\n");
	for (int r = 0; r < 20; r++) {
		fprintf(f, "    - name: rule-%02d\n      reason: off-topic\n      match: '\\b(", r);
		for (int k = 0; k < 11 && rule_terms[r][k]; k++)
			fprintf(f, "%s%s", k ? "|" : "", rule_terms[r][k]);
		fprintf(f, ")\\b'\n");
		if (r == 0)
			fprintf(f, "      unless: '\\b(patients?|participants|humans?)\\b'\n");
	}
	fclose(f);
	return path;
}

static int same_hits(const struct screen_hits *a, const struct screen_hits *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].doc != b->v[i].doc || a->v[i].rule != b->v[i].rule ||
		    a->v[i].field != b->v[i].field || a->v[i].start != b->v[i].start ||
		    a->v[i].end != b->v[i].end || a->v[i].error != b->v[i].error)
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	size_t n = 1000000, naive_n = 50000;
	int threads = 2;
	struct protocol *p = NULL;
	struct screen_rules *rs = NULL;
	struct screen_doc *docs;
	struct screen_hits naive = { 0 }, fast1 = { 0 }, fast = { 0 }, fast_sample = { 0 };
	const char *path;
	double t0, c0, t_gen, t_naive, t_one, t_fast, c_naive, c_one, c_fast;
	size_t bytes = 0, pre = 0;

	rng = 20231114;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--n"))
			n = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--naive-n"))
			naive_n = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--threads"))
			threads = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seed"))
			rng = strtoull(argv[i + 1], NULL, 10);
	}
	if (naive_n > n)
		naive_n = n;
	path = write_protocol();
	if (!path || protocol_load(&p, path) < 0 || screen_rules_compile(&rs, p) < 0) {
		fprintf(stderr, "bench: %s\n", lsr_error_last());
		return 1;
	}
	unlink(path);
	for (size_t i = 0; i < screen_rules_count(rs); i++)
		pre += (size_t)screen_rule_prefiltered(rs, i);

	t0 = clock_mono();
	docs = calloc(n, sizeof(*docs));
	for (size_t i = 0; i < n; i++) {
		char *title = gen_text(80 + next() % 60, 1);
		char *abs = gen_text(1350 + next() % 300, 1);

		docs[i].text[SCREEN_F_TITLE] = title;
		docs[i].len[SCREEN_F_TITLE] = strlen(title);
		docs[i].text[SCREEN_F_ABSTRACT] = abs;
		docs[i].len[SCREEN_F_ABSTRACT] = strlen(abs);
		bytes += docs[i].len[SCREEN_F_TITLE] + docs[i].len[SCREEN_F_ABSTRACT];
	}
	t_gen = clock_mono() - t0;
	printf("documents: %zu titles and abstracts, %.1f MB, mean abstract %zu characters (generated in %.1f s)\n",
	       n, bytes / 1e6, bytes / n, t_gen);
	printf("rules: 20 (10-11 alternatives each), %zu found through their literals\n", pre);

	t0 = clock_mono();
	c0 = cpu_now();
	if (screen_rules_eval(rs, docs, naive_n, 1, SCREEN_EVAL_NAIVE, &naive) < 0)
		return 1;
	t_naive = clock_mono() - t0;
	c_naive = cpu_now() - c0;
	if (screen_rules_eval(rs, docs, naive_n, 1, 0, &fast_sample) < 0)
		return 1;
	printf("check: engine and naive agree on the first %zu documents (%zu hits): %s\n",
	       naive_n, naive.n, same_hits(&naive, &fast_sample) ? "yes" : "NO");

	t0 = clock_mono();
	c0 = cpu_now();
	if (screen_rules_eval(rs, docs, n, 1, 0, &fast1) < 0)
		return 1;
	t_one = clock_mono() - t0;
	c_one = cpu_now() - c0;
	t0 = clock_mono();
	c0 = cpu_now();
	if (screen_rules_eval(rs, docs, n, threads, 0, &fast) < 0)
		return 1;
	t_fast = clock_mono() - t0;
	c_fast = cpu_now() - c0;

	printf("                       wall s      cpu s   (documents)\n");
	printf("naive, 1 thread:     %8.2f   %8.2f   (%zu; scaled to %zu: wall %.1f s, cpu %.1f s)\n",
	       t_naive, c_naive, naive_n, n, t_naive * (double)n / (double)naive_n,
	       c_naive * (double)n / (double)naive_n);
	printf("engine, 1 thread:    %8.2f   %8.2f   (%zu)\n", t_one, c_one, n);
	printf("engine, %d threads:   %8.2f   %8.2f   (%zu), %zu hits\n", threads, t_fast, c_fast,
	       n, fast.n);
	printf("threads agree: %s\n", same_hits(&fast1, &fast) ? "yes" : "NO");

	for (size_t i = 0; i < n; i++) {
		free((char *)docs[i].text[SCREEN_F_TITLE]);
		free((char *)docs[i].text[SCREEN_F_ABSTRACT]);
	}
	free(docs);
	screen_hits_release(&naive);
	screen_hits_release(&fast_sample);
	screen_hits_release(&fast1);
	screen_hits_release(&fast);
	screen_rules_free(rs);
	protocol_free(p);
	return same_hits(&naive, &fast_sample) && same_hits(&fast1, &fast) ? 0 : 1;
}
