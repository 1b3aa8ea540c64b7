/*
 * gen_records.c - a deterministic generator of large, realistic
 * bibliographic files for the import (and later the deduplication)
 * benchmarks.
 *
 *     bench_gen_records --format pubmed-xml|ris|medline --records N [--seed S]
 *                       [--gzip] -o FILE
 *
 * Record i is built from (seed, i) alone by gen_record_make(), so any
 * record can be rebuilt later without generating the ones before it: a
 * duplicate generator (re-cased titles, missing DOIs, abbreviated
 * journals, other page formats, typos) takes gen_record_make(seed, i),
 * alters the struct gen_record, and hands it to the same writers.  The
 * writers (one per format) only format a struct gen_record; they make no
 * random choice of their own, except what each format needs for its
 * layout.
 *
 * Lengths follow real PubMed records: titles of 100-150 characters,
 * structured abstracts of 1,500-2,000 characters in four sections, 5-10
 * authors with affiliations (some names with non-ASCII letters), MeSH
 * headings, keywords, publication types, a DOI, dates, and for PubMed XML
 * a PubmedData block with history dates, article ids and a short
 * reference list.  Some titles carry <i> markup and some abstracts a
 * "p < 0.05" that must be escaped.
 */
#include "util/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ------------------------------------------------------------------ */
/* random numbers: splitmix64, seeded per record                        */

struct gen_rng {
	uint64_t s;
};

static uint64_t rng_next(struct gen_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int rng_range(struct gen_rng *r, int lo, int hi)
{
	return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

#define PICK(r, arr) ((arr)[rng_next(r) % (sizeof(arr) / sizeof((arr)[0]))])

/* ------------------------------------------------------------------ */
/* vocabulary                                                           */

static const char *const words[] = {
	"patients", "treatment", "randomized", "controlled", "trial", "cohort",
	"outcomes", "mortality", "hepatic", "cirrhosis", "mesenchymal", "stem",
	"cell", "therapy", "infusion", "albumin", "bilirubin", "survival",
	"clinical", "efficacy", "safety", "adverse", "events", "follow-up",
	"baseline", "significant", "reduction", "improvement", "compared",
	"placebo", "standard", "care", "multicentre", "prospective",
	"retrospective", "analysis", "meta-analysis", "systematic", "review",
	"chronic", "acute", "liver", "failure", "fibrosis", "inflammation",
	"expression", "receptor", "signalling", "pathway", "mice", "model",
	"human", "adults", "children", "elderly", "women", "men", "risk",
	"factors", "association", "incidence", "prevalence", "population",
	"based", "study", "evidence", "quality", "life", "score", "index",
	"serum", "levels", "plasma", "concentration", "dose", "weeks", "months",
	"years", "hospital", "admission", "intensive", "unit", "surgery",
	"transplantation", "donor", "recipient", "graft", "rejection", "immune",
	"response", "antibody", "vaccine", "infection", "viral", "bacterial",
	"resistance", "antibiotic", "prophylaxis", "diabetes", "obesity",
	"insulin", "glucose", "cardiovascular", "heart", "stroke", "blood",
	"pressure", "kidney", "renal", "function", "injury", "biomarker",
	"diagnostic", "accuracy", "sensitivity", "specificity", "imaging",
	"ultrasound", "tomography", "resonance", "genetic", "variants",
	"polymorphism", "telomere", "length", "cancer", "tumour", "metastasis",
	"chemotherapy", "radiotherapy", "progression", "recurrence", "remission",
	"quality-adjusted", "cost-effectiveness", "intervention", "primary",
	"secondary", "endpoint", "observed", "measured", "assessed", "evaluated",
	"increased", "decreased", "associated", "independent", "predictors",
	"regression", "hazard", "ratio", "confidence", "interval", "median",
	"mean", "deviation", "heterogeneity", "subgroup", "sensitivity",
	"allocation", "blinding", "bias", "protocol", "registered", "cross-sectional",
};

static const char *const last_names[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
	"Davis", "Rodriguez", "Martinez", "Wang", "Li", "Zhang", "Liu", "Chen",
	"Yang", "Huang", "Zhao", "Wu", "Zhou", "Müller", "Schmidt", "Schneider",
	"Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
	"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
	"Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Bonnet", "Nguyen",
	"Tanaka", "Suzuki", "Takahashi", "Watanabe", "Kim", "Lee", "Park",
	"Choi", "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamińska",
	"Hansen", "Johansen", "Olsen", "Larsen", "Sørensen", "Jørgensen",
	"Andersson", "Karlsson", "Nilsson", "Eriksson", "Åberg", "Öberg",
	"González", "Fernández", "López", "Martín", "Sánchez", "Pérez", "Núñez",
	"Silva", "Santos", "Oliveira", "Souza", "Gonçalves", "Conceição",
	"O'Brien", "O'Connor", "McDonald", "De Vries", "van der Berg", "Janssen",
	"Yılmaz", "Kaya", "Demir", "Çelik", "Şahin", "Patel", "Sharma", "Singh",
	"Kumar", "Gupta", "Ivanov", "Petrov", "Smirnov", "Novák", "Dvořák",
};

static const char *const fore_names[] = {
	"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael",
	"Linda", "Wei", "Jing", "Yan", "Hui", "Xiaoming", "Anna", "Maria",
	"Thomas", "Stefan", "Sabine", "Giulia", "Marco", "Francesca", "Luca",
	"Camille", "Léa", "Hélène", "François", "Hiroshi", "Yuki", "Min-Jun",
	"Ji-Woo", "Katarzyna", "Piotr", "Agnieszka", "Lars", "Ingrid", "Søren",
	"Björn", "Åsa", "José", "Carmen", "Joaquín", "João", "Ana Paula",
	"Seán", "Aoife", "Pieter", "Emre", "Ayşe", "Priya", "Rahul", "Olga",
	"Dmitri", "Jiří", "Zdeněk", "Elizabeth", "David", "Sarah", "Daniel",
	"Emily", "Christopher", "Laura", "Andrew", "Rebecca", "Paul", "Helen",
};

static const char *const cities[] = {
	"Boston, MA, USA", "London, UK", "Beijing, China", "Shanghai, China",
	"Berlin, Germany", "Munich, Germany", "Milan, Italy", "Paris, France",
	"Tokyo, Japan", "Seoul, South Korea", "Warsaw, Poland", "Copenhagen, Denmark",
	"Stockholm, Sweden", "Madrid, Spain", "São Paulo, Brazil", "Dublin, Ireland",
	"Amsterdam, The Netherlands", "Istanbul, Türkiye", "New Delhi, India",
	"Moscow, Russia", "Prague, Czech Republic", "Toronto, ON, Canada",
	"Sydney, NSW, Australia", "Zürich, Switzerland", "Bergen, Norway",
};

static const char *const departments[] = {
	"Department of Hepatology", "Department of Medicine",
	"Division of Gastroenterology", "Department of Epidemiology",
	"Institute of Clinical Research", "Department of Surgery",
	"Centre for Evidence-Based Medicine", "Department of Immunology",
	"School of Public Health", "Department of Cardiology",
};

static const char *const institutions[] = {
	"University Hospital", "Medical University", "General Hospital",
	"Faculty of Medicine, National University", "Research Institute",
	"Children's Hospital", "Cancer Centre", "University Medical Center",
};

struct journal {
	const char *title, *abbrev, *issn;
};

static const struct journal journals[] = {
	{ "The New England journal of medicine", "N Engl J Med", "1533-4406" },
	{ "Lancet (London, England)", "Lancet", "1474-547X" },
	{ "Hepatology (Baltimore, Md.)", "Hepatology", "1527-3350" },
	{ "Journal of hepatology", "J Hepatol", "1600-0641" },
	{ "Gut", "Gut", "1468-3288" },
	{ "Stem cell research & therapy", "Stem Cell Res Ther", "1757-6512" },
	{ "BMJ (Clinical research ed.)", "BMJ", "1756-1833" },
	{ "PloS one", "PLoS One", "1932-6203" },
	{ "Scientific reports", "Sci Rep", "2045-2322" },
	{ "World journal of gastroenterology", "World J Gastroenterol", "2219-2840" },
	{ "The Cochrane database of systematic reviews", "Cochrane Database Syst Rev", "1469-493X" },
	{ "Frontiers in immunology", "Front Immunol", "1664-3224" },
	{ "Liver international : official journal of the International Association for the Study of the Liver",
	  "Liver Int", "1478-3231" },
	{ "Medicine", "Medicine (Baltimore)", "1536-5964" },
	{ "Zhonghua gan zang bing za zhi = Zhonghua ganzangbing zazhi = Chinese journal of hepatology",
	  "Zhonghua Gan Zang Bing Za Zhi", "1007-3418" },
	{ "Tidsskrift for den Norske laegeforening", "Tidsskr Nor Laegeforen", "0807-7096" },
};

struct mesh_term {
	const char *ui, *name;
};

static const struct mesh_term mesh_terms[] = {
	{ "D006801", "Humans" }, { "D008297", "Male" }, { "D005260", "Female" },
	{ "D008875", "Middle Aged" }, { "D000368", "Aged" }, { "D000328", "Adult" },
	{ "D008103", "Liver Cirrhosis" }, { "D059630", "Mesenchymal Stem Cells" },
	{ "D045164", "Mesenchymal Stem Cell Transplantation" },
	{ "D016896", "Treatment Outcome" }, { "D011446", "Prospective Studies" },
	{ "D012189", "Retrospective Studies" }, { "D012307", "Risk Factors" },
	{ "D015996", "Survival Rate" }, { "D000418", "Albumins" },
	{ "D001663", "Bilirubin" }, { "D017093", "Liver Failure" },
	{ "D006528", "Carcinoma, Hepatocellular" }, { "D008113", "Liver Neoplasms" },
	{ "D016032", "Randomized Controlled Trials as Topic" },
	{ "D004311", "Double-Blind Method" }, { "D005500", "Follow-Up Studies" },
	{ "D051381", "Rats" }, { "D051379", "Mice" }, { "D004195", "Disease Models, Animal" },
	{ "D003924", "Diabetes Mellitus, Type 2" }, { "D006973", "Hypertension" },
	{ "D009765", "Obesity" }, { "D011379", "Prognosis" }, { "D015415", "Biomarkers" },
};

static const char *const keyword_list[] = {
	"cirrhosis", "mesenchymal stromal cells", "cell therapy", "MELD score",
	"liver function", "meta-analysis", "randomized controlled trial",
	"systematic review", "hepatocellular carcinoma", "survival", "biomarker",
	"inflammation", "fibrosis", "quality of life", "cost-effectiveness",
	"umbilical cord", "bone marrow", "transplantation", "safety", "efficacy",
};

static const char *const pub_types[][2] = {
	{ "D016428", "Journal Article" },
	{ "D016449", "Randomized Controlled Trial" },
	{ "D016454", "Review" },
	{ "D017418", "Meta-Analysis" },
	{ "D064888", "Systematic Review" },
	{ "D016448", "Multicenter Study" },
	{ "D013485", "Research Support, Non-U.S. Gov't" },
	{ "D023362", "Evaluation Study" },
	{ "D064887", "Observational Study" },
};

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* ------------------------------------------------------------------ */
/* the record                                                           */

#define GEN_MAX_AUTHORS 10
#define GEN_SECTIONS 4
#define GEN_MAX_MESH 14
#define GEN_MAX_KEYWORDS 8
#define GEN_MAX_PUBTYPES 3
#define GEN_MAX_REFS 8

struct gen_author {
	const char *last, *fore;
	char initials[8];
	char affiliation[200];
};

struct gen_record {
	uint64_t index;            /* position in the file, 0-based */
	uint64_t pmid;
	char title[400];           /* may hold <i>...</i> markup (XML) */
	char title_plain[400];     /* the same without markup */
	const char *section_label[GEN_SECTIONS];
	char section[GEN_SECTIONS][700];
	struct gen_author authors[GEN_MAX_AUTHORS];
	int nauthors;
	int year, month, day;      /* month 1..12 */
	const struct journal *journal;
	int volume, issue, spage, epage;
	char doi[80];
	char pii[40];
	char pmcid[16];            /* "" when none */
	char nct[16];              /* "" when none */
	const struct mesh_term *mesh[GEN_MAX_MESH];
	int nmesh;
	const char *keywords[GEN_MAX_KEYWORDS];
	int nkeywords;
	int pubtypes[GEN_MAX_PUBTYPES]; /* indexes into pub_types */
	int npubtypes;
	const char *language;
	int nrefs;                 /* references in PubmedData */
	uint64_t refs[GEN_MAX_REFS];
};

/* Append words to dst until its length reaches about target: sentences
 * with a capital letter and a full stop. */
static void words_to(struct gen_rng *r, char *dst, size_t cap, size_t target)
{
	size_t len = strlen(dst);
	int capital = len == 0 || dst[len - 1] == '.';

	while (len < target && len + 40 < cap) {
		const char *w = PICK(r, words);
		size_t wl = strlen(w);

		if (len)
			dst[len++] = ' ';
		memcpy(dst + len, w, wl);
		if (capital && dst[len] >= 'a' && dst[len] <= 'z')
			dst[len] = (char)(dst[len] - 'a' + 'A');
		len += wl;
		capital = rng_range(r, 0, 11) == 0;
		if (capital)
			dst[len++] = '.';
		dst[len] = '\0';
	}
	if (len && dst[len - 1] != '.' && len + 1 < cap) {
		dst[len++] = '.';
		dst[len] = '\0';
	}
}

/* Record index of a file generated with seed: everything in it depends
 * on (seed, index) only. */
static void gen_record_make(struct gen_record *g, uint64_t seed, uint64_t index)
{
	static const char *const labels[GEN_SECTIONS] = { "BACKGROUND", "METHODS", "RESULTS",
							  "CONCLUSIONS" };
	struct gen_rng r = { seed * 0x100000001B3ULL ^ (index + 1) * 0x9E3779B97F4A7C15ULL };
	int total, italic;

	memset(g, 0, sizeof(*g));
	rng_next(&r);
	g->index = index;
	g->pmid = 10000000 + index * 3 + (uint64_t)rng_range(&r, 0, 2);
	/* title: 100-150 characters, one in twenty with an italic word */
	words_to(&r, g->title_plain, sizeof(g->title_plain), (size_t)rng_range(&r, 100, 150));
	italic = rng_range(&r, 0, 19) == 0;
	if (italic) {
		const char *sp = strchr(g->title_plain, ' ');
		const char *sp2 = sp ? strchr(sp + 1, ' ') : NULL;

		if (sp && sp2)
			snprintf(g->title, sizeof(g->title), "%.*s<i>%.*s</i>%s",
				 (int)(sp + 1 - g->title_plain), g->title_plain,
				 (int)(sp2 - sp - 1), sp + 1, sp2);
		else
			italic = 0;
	}
	if (!italic)
		memcpy(g->title, g->title_plain, sizeof(g->title));
	/* abstract: four sections, 1,500-2,000 characters in all */
	total = rng_range(&r, 1500, 2000);
	for (int s = 0; s < GEN_SECTIONS; s++) {
		int share = s == 2 ? total * 35 / 100 : total * 65 / 300;

		g->section_label[s] = labels[s];
		if (s == 2)
			snprintf(g->section[s], sizeof(g->section[s]), "%d patients were included (p < 0.0%d).",
				 rng_range(&r, 20, 900), rng_range(&r, 1, 5));
		words_to(&r, g->section[s], sizeof(g->section[s]), (size_t)share);
	}
	g->nauthors = rng_range(&r, 5, 10);
	for (int a = 0; a < g->nauthors; a++) {
		struct gen_author *au = &g->authors[a];
		const char *f;
		size_t k = 0;

		au->last = PICK(&r, last_names);
		au->fore = PICK(&r, fore_names);
		/* initials: the first letter (UTF-8 bytes and all) of each
		 * part of the given name */
		for (f = au->fore; *f && k + 5 < sizeof(au->initials); f++) {
			if (f != au->fore && f[-1] != ' ' && f[-1] != '-')
				continue;
			do
				au->initials[k++] = *f++;
			while ((*f & 0xC0) == 0x80);
			f--;
		}
		snprintf(au->affiliation, sizeof(au->affiliation), "%s, %s, %s.",
			 PICK(&r, departments), PICK(&r, institutions), PICK(&r, cities));
	}
	g->year = rng_range(&r, 1995, 2025);
	g->month = rng_range(&r, 1, 12);
	g->day = rng_range(&r, 1, 28);
	g->journal = &PICK(&r, journals);
	g->volume = rng_range(&r, 1, 400);
	g->issue = rng_range(&r, 1, 24);
	g->spage = rng_range(&r, 1, 3000);
	g->epage = g->spage + rng_range(&r, 3, 14);
	snprintf(g->doi, sizeof(g->doi), "10.%d/j.bench.%d.%06llu", rng_range(&r, 1000, 9999),
		 g->year, (unsigned long long)index);
	snprintf(g->pii, sizeof(g->pii), "S%04d-%04d(%02d)%05d-%d", rng_range(&r, 1000, 9999),
		 rng_range(&r, 1000, 9999), g->year % 100, rng_range(&r, 0, 99999), rng_range(&r, 0, 9));
	if (rng_range(&r, 0, 2) == 0)
		snprintf(g->pmcid, sizeof(g->pmcid), "PMC%d", rng_range(&r, 1000000, 9999999));
	if (rng_range(&r, 0, 9) == 0)
		snprintf(g->nct, sizeof(g->nct), "NCT%08d", rng_range(&r, 0, 99999999));
	g->nmesh = rng_range(&r, 4, GEN_MAX_MESH - 2);
	for (int m = 0; m < g->nmesh; m++)
		g->mesh[m] = &PICK(&r, mesh_terms);
	g->nkeywords = rng_range(&r, 3, GEN_MAX_KEYWORDS);
	for (int k = 0; k < g->nkeywords; k++)
		g->keywords[k] = PICK(&r, keyword_list);
	g->pubtypes[g->npubtypes++] = 0;
	for (int p = rng_range(&r, 0, 2); p > 0; p--)
		g->pubtypes[g->npubtypes++] = rng_range(&r, 1, (int)(sizeof(pub_types) / sizeof(pub_types[0])) - 1);
	g->language = rng_range(&r, 0, 19) ? "eng" : rng_range(&r, 0, 1) ? "chi" : "ger";
	g->nrefs = rng_range(&r, 0, GEN_MAX_REFS);
	for (int k = 0; k < g->nrefs; k++)
		g->refs[k] = 10000000 + (uint64_t)rng_range(&r, 0, 30000000);
}

/* ------------------------------------------------------------------ */
/* output                                                               */

struct gen_out {
	FILE *f;
	gzFile gz;
	struct buf b;   /* one record, written at once */
};

static void out_flush(struct gen_out *o)
{
	if (!o->b.len)
		return;
	if (o->gz) {
		if (gzwrite(o->gz, o->b.s, (unsigned)o->b.len) != (int)o->b.len) {
			fprintf(stderr, "bench_gen_records: write failed\n");
			exit(1);
		}
	} else if (fwrite(o->b.s, 1, o->b.len, o->f) != o->b.len) {
		fprintf(stderr, "bench_gen_records: write failed: %s\n", strerror(errno));
		exit(1);
	}
	buf_reset(&o->b);
}

static void outf(struct gen_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(struct gen_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (buf_vprintf(&o->b, fmt, ap) < 0) {
		fprintf(stderr, "bench_gen_records: out of memory\n");
		exit(1);
	}
	va_end(ap);
}

/* s with &, < and > escaped for XML text. */
static void out_xml_text(struct gen_out *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			buf_adds(&o->b, "&amp;");
		else if (*s == '<')
			buf_adds(&o->b, "&lt;");
		else if (*s == '>')
			buf_adds(&o->b, "&gt;");
		else
			buf_addc(&o->b, *s);
	}
}

static void xml_elem(struct gen_out *o, int indent, const char *name, const char *text)
{
	outf(o, "%*s<%s>", indent, "", name);
	out_xml_text(o, text);
	outf(o, "</%s>\n", name);
}

/* --- PubMed XML, laid out as NLM's baseline files are ---------------- */

static void pubmed_begin(struct gen_out *o)
{
	outf(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" "
		"\"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n"
		"<PubmedArticleSet>\n");
}

static void pubmed_date(struct gen_out *o, int indent, const char *tag, const char *attrs,
			int y, int m, int d)
{
	outf(o, "%*s<%s%s>\n%*s<Year>%d</Year>\n%*s<Month>%02d</Month>\n%*s<Day>%02d</Day>\n%*s</%s>\n",
	     indent, "", tag, attrs, indent + 2, "", y, indent + 2, "", m, indent + 2, "", d,
	     indent, "", tag);
}

static void pubmed_record(struct gen_out *o, const struct gen_record *g)
{
	outf(o, "  <PubmedArticle>\n    <MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\" IndexingMethod=\"Automated\">\n");
	outf(o, "      <PMID Version=\"1\">%llu</PMID>\n", (unsigned long long)g->pmid);
	pubmed_date(o, 6, "DateCompleted", "", g->year, g->month, g->day);
	pubmed_date(o, 6, "DateRevised", "", g->year + (g->year < 2025), g->month, g->day);
	outf(o, "      <Article PubModel=\"Print-Electronic\">\n        <Journal>\n");
	outf(o, "          <ISSN IssnType=\"Electronic\">%s</ISSN>\n", g->journal->issn);
	outf(o, "          <JournalIssue CitedMedium=\"Internet\">\n"
		"            <Volume>%d</Volume>\n            <Issue>%d</Issue>\n"
		"            <PubDate>\n              <Year>%d</Year>\n              <Month>%s</Month>\n"
		"            </PubDate>\n          </JournalIssue>\n",
	     g->volume, g->issue, g->year, months[g->month - 1]);
	xml_elem(o, 10, "Title", g->journal->title);
	xml_elem(o, 10, "ISOAbbreviation", g->journal->abbrev);
	outf(o, "        </Journal>\n        <ArticleTitle>%s</ArticleTitle>\n", g->title);
	outf(o, "        <Pagination>\n          <StartPage>%d</StartPage>\n          <EndPage>%d</EndPage>\n"
		"          <MedlinePgn>%d-%d</MedlinePgn>\n        </Pagination>\n",
	     g->spage, g->epage, g->spage, g->epage);
	outf(o, "        <ELocationID EIdType=\"doi\" ValidYN=\"Y\">%s</ELocationID>\n", g->doi);
	outf(o, "        <Abstract>\n");
	for (int s = 0; s < GEN_SECTIONS; s++) {
		outf(o, "          <AbstractText Label=\"%s\" NlmCategory=\"%s\">", g->section_label[s],
		     g->section_label[s]);
		out_xml_text(o, g->section[s]);
		outf(o, "</AbstractText>\n");
	}
	outf(o, "          <CopyrightInformation>Copyright © %d. Published by Bench.</CopyrightInformation>\n"
		"        </Abstract>\n        <AuthorList CompleteYN=\"Y\">\n", g->year);
	for (int a = 0; a < g->nauthors; a++) {
		const struct gen_author *au = &g->authors[a];

		outf(o, "          <Author ValidYN=\"Y\">\n");
		xml_elem(o, 12, "LastName", au->last);
		xml_elem(o, 12, "ForeName", au->fore);
		xml_elem(o, 12, "Initials", au->initials);
		outf(o, "            <AffiliationInfo>\n");
		xml_elem(o, 14, "Affiliation", au->affiliation);
		outf(o, "            </AffiliationInfo>\n          </Author>\n");
	}
	outf(o, "        </AuthorList>\n        <Language>%s</Language>\n", g->language);
	if (g->nct[0])
		outf(o, "        <DataBankList CompleteYN=\"Y\">\n          <DataBank>\n"
			"            <DataBankName>ClinicalTrials.gov</DataBankName>\n"
			"            <AccessionNumberList>\n              <AccessionNumber>%s</AccessionNumber>\n"
			"            </AccessionNumberList>\n          </DataBank>\n        </DataBankList>\n",
		     g->nct);
	outf(o, "        <PublicationTypeList>\n");
	for (int p = 0; p < g->npubtypes; p++)
		outf(o, "          <PublicationType UI=\"%s\">%s</PublicationType>\n",
		     pub_types[g->pubtypes[p]][0], pub_types[g->pubtypes[p]][1]);
	outf(o, "        </PublicationTypeList>\n");
	pubmed_date(o, 8, "ArticleDate", " DateType=\"Electronic\"", g->year, g->month, g->day);
	outf(o, "      </Article>\n      <MedlineJournalInfo>\n        <Country>England</Country>\n");
	xml_elem(o, 8, "MedlineTA", g->journal->abbrev);
	outf(o, "        <NlmUniqueID>%llu</NlmUniqueID>\n        <ISSNLinking>%s</ISSNLinking>\n"
		"      </MedlineJournalInfo>\n      <CitationSubset>IM</CitationSubset>\n"
		"      <MeshHeadingList>\n",
	     (unsigned long long)(100000000 + g->pmid % 7919), g->journal->issn);
	for (int m = 0; m < g->nmesh; m++)
		outf(o, "        <MeshHeading>\n          <DescriptorName UI=\"%s\" MajorTopicYN=\"%c\">%s</DescriptorName>\n"
			"        </MeshHeading>\n",
		     g->mesh[m]->ui, m % 4 == 1 ? 'Y' : 'N', g->mesh[m]->name);
	outf(o, "      </MeshHeadingList>\n      <KeywordList Owner=\"NOTNLM\">\n");
	for (int k = 0; k < g->nkeywords; k++)
		outf(o, "        <Keyword MajorTopicYN=\"N\">%s</Keyword>\n", g->keywords[k]);
	outf(o, "      </KeywordList>\n    </MedlineCitation>\n    <PubmedData>\n      <History>\n");
	pubmed_date(o, 8, "PubMedPubDate", " PubStatus=\"received\"", g->year - 1, g->month, g->day);
	pubmed_date(o, 8, "PubMedPubDate", " PubStatus=\"accepted\"", g->year, g->month, g->day);
	pubmed_date(o, 8, "PubMedPubDate", " PubStatus=\"pubmed\"", g->year, g->month, g->day);
	outf(o, "      </History>\n      <PublicationStatus>ppublish</PublicationStatus>\n"
		"      <ArticleIdList>\n        <ArticleId IdType=\"pubmed\">%llu</ArticleId>\n"
		"        <ArticleId IdType=\"doi\">%s</ArticleId>\n        <ArticleId IdType=\"pii\">%s</ArticleId>\n",
	     (unsigned long long)g->pmid, g->doi, g->pii);
	if (g->pmcid[0])
		outf(o, "        <ArticleId IdType=\"pmc\">%s</ArticleId>\n", g->pmcid);
	outf(o, "      </ArticleIdList>\n");
	if (g->nrefs) {
		outf(o, "      <ReferenceList>\n");
		for (int k = 0; k < g->nrefs; k++)
			outf(o, "        <Reference>\n          <Citation>%s et al. %s. %s. %d;%d:%d-%d.</Citation>\n"
				"          <ArticleIdList>\n            <ArticleId IdType=\"pubmed\">%llu</ArticleId>\n"
				"          </ArticleIdList>\n        </Reference>\n",
			     g->authors[k % g->nauthors].last, words[k % (sizeof(words) / sizeof(words[0]))],
			     g->journal->abbrev, g->year - 1 - k % 9, g->volume, g->spage + k, g->epage + k,
			     (unsigned long long)g->refs[k]);
		outf(o, "      </ReferenceList>\n");
	}
	outf(o, "    </PubmedData>\n  </PubmedArticle>\n");
}

static void pubmed_end(struct gen_out *o)
{
	outf(o, "</PubmedArticleSet>\n");
}

/* --- RIS, as PubMed's citation manager export writes it ------------- */

static void ris_begin(struct gen_out *o)
{
	(void)o;
}

static void ris_record(struct gen_out *o, const struct gen_record *g)
{
	outf(o, "TY  - JOUR\nTI  - %s\n", g->title_plain);
	for (int a = 0; a < g->nauthors; a++)
		outf(o, "AU  - %s, %s\n", g->authors[a].last, g->authors[a].fore);
	outf(o, "PY  - %d\nDA  - %d/%02d/%02d\nT2  - %s\nJ2  - %s\nVL  - %d\nIS  - %d\nSP  - %d\nEP  - %d\n"
		"SN  - %s\nDO  - %s\nAN  - %llu\nDB  - PubMed\nAB  - ",
	     g->year, g->year, g->month, g->day, g->journal->title, g->journal->abbrev, g->volume,
	     g->issue, g->spage, g->epage, g->journal->issn, g->doi, (unsigned long long)g->pmid);
	for (int s = 0; s < GEN_SECTIONS; s++)
		outf(o, "%s%s: %s", s ? " " : "", g->section_label[s], g->section[s]);
	outf(o, "\n");
	for (int m = 0; m < g->nmesh; m++)
		outf(o, "KW  - %s\n", g->mesh[m]->name);
	for (int k = 0; k < g->nkeywords; k++)
		outf(o, "KW  - %s\n", g->keywords[k]);
	outf(o, "LA  - %s\n", g->language);
	if (g->nct[0])
		outf(o, "C5  - %s\n", g->nct);
	outf(o, "ER  - \n\n");
}

static void ris_end(struct gen_out *o)
{
	(void)o;
}

/* --- MEDLINE (PubMed's "PubMed" format): tags padded to four columns,
 * values wrapped at 88 characters with six-space continuation lines ---- */

static void medline_begin(struct gen_out *o)
{
	(void)o;
}

/* one tagged field, wrapped at a space as PubMed wraps it */
static void medline_field(struct gen_out *o, const char *tag, const char *v)
{
	size_t n = strlen(v), width = 82;

	outf(o, "%-4s- ", tag);
	while (n > width) {
		size_t cut = width;

		while (cut > 0 && v[cut] != ' ')
			cut--;
		if (!cut)
			cut = width;
		outf(o, "%.*s\n      ", (int)cut, v);
		v += cut;
		n -= cut;
		while (*v == ' ') {
			v++;
			n--;
		}
	}
	outf(o, "%s\n", v);
}

static void medline_record(struct gen_out *o, const struct gen_record *g)
{
	char abs[GEN_SECTIONS * 720], tmp[256];
	size_t len = 0;

	outf(o, "PMID- %llu\nOWN - NLM\nSTAT- MEDLINE\nDCOM- %d%02d%02d\n",
	     (unsigned long long)g->pmid, g->year, g->month, g->day);
	snprintf(tmp, sizeof(tmp), "%s (Electronic)", g->journal->issn);
	medline_field(o, "IS", tmp);
	outf(o, "VI  - %d\nIP  - %d\nDP  - %d %s\n", g->volume, g->issue, g->year,
	     months[g->month - 1]);
	medline_field(o, "TI", g->title_plain);
	outf(o, "PG  - %d-%d\nLID - %s [doi]\n", g->spage, g->epage, g->doi);
	abs[0] = '\0';
	for (int s = 0; s < GEN_SECTIONS; s++)
		len += (size_t)snprintf(abs + len, sizeof(abs) - len, "%s%s: %s", s ? " " : "",
					g->section_label[s], g->section[s]);
	medline_field(o, "AB", abs);
	for (int a = 0; a < g->nauthors; a++) {
		snprintf(tmp, sizeof(tmp), "%s %s", g->authors[a].last, g->authors[a].initials);
		medline_field(o, "AU", tmp);
		snprintf(tmp, sizeof(tmp), "%s, %s", g->authors[a].last, g->authors[a].fore);
		medline_field(o, "FAU", tmp);
		medline_field(o, "AD", g->authors[a].affiliation);
	}
	outf(o, "LA  - %s\n", g->language);
	for (int p = 0; p < g->npubtypes; p++)
		medline_field(o, "PT", pub_types[g->pubtypes[p]][1]);
	if (g->nct[0])
		outf(o, "SI  - ClinicalTrials.gov/%s\n", g->nct);
	medline_field(o, "TA", g->journal->abbrev);
	medline_field(o, "JT", g->journal->title);
	for (int m = 0; m < g->nmesh; m++)
		medline_field(o, "MH", g->mesh[m]->name);
	for (int k = 0; k < g->nkeywords; k++)
		medline_field(o, "OT", g->keywords[k]);
	if (g->pmcid[0])
		outf(o, "PMC - %s\n", g->pmcid);
	outf(o, "AID - %s [doi]\nSO  - %s. %d %s;%d(%d):%d-%d. doi: %s.\n\n", g->doi,
	     g->journal->abbrev, g->year, months[g->month - 1], g->volume, g->issue, g->spage,
	     g->epage, g->doi);
}

static void medline_end(struct gen_out *o)
{
	(void)o;
}

struct gen_writer {
	const char *name;
	void (*begin)(struct gen_out *);
	void (*record)(struct gen_out *, const struct gen_record *);
	void (*end)(struct gen_out *);
};

static const struct gen_writer writers[] = {
	{ "pubmed-xml", pubmed_begin, pubmed_record, pubmed_end },
	{ "ris", ris_begin, ris_record, ris_end },
	{ "medline", medline_begin, medline_record, medline_end },
};

static void usage(void)
{
	fprintf(stderr, "usage: bench_gen_records --format pubmed-xml|ris|medline --records N [--seed S] [--gzip] -o FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const struct gen_writer *w = NULL;
	const char *path = NULL;
	unsigned long long n = 0, seed = 1;
	struct gen_out o;
	struct gen_record g;
	int gz = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			for (size_t k = 0; k < sizeof(writers) / sizeof(writers[0]); k++)
				if (!strcmp(argv[i + 1], writers[k].name))
					w = &writers[k];
			if (!w)
				usage();
			i++;
		} else if (!strcmp(argv[i], "--records") && i + 1 < argc) {
			n = strtoull(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--gzip")) {
			gz = 1;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			path = argv[++i];
		} else {
			usage();
		}
	}
	if (!w || !path || !n)
		usage();
	memset(&o, 0, sizeof(o));
	buf_init(&o.b, 0);
	if (gz)
		o.gz = gzopen(path, "wb6");
	else
		o.f = fopen(path, "wb");
	if (!o.gz && !o.f) {
		fprintf(stderr, "bench_gen_records: cannot create '%s': %s\n", path, strerror(errno));
		return 1;
	}
	w->begin(&o);
	for (unsigned long long i = 0; i < n; i++) {
		gen_record_make(&g, seed, i);
		w->record(&o, &g);
		out_flush(&o);
	}
	w->end(&o);
	out_flush(&o);
	if (o.gz ? gzclose(o.gz) != Z_OK : fclose(o.f) != 0) {
		fprintf(stderr, "bench_gen_records: cannot write '%s'\n", path);
		return 1;
	}
	buf_release(&o.b);
	return 0;
}
