/*
 * gen_corpus.c - the example review's search results, generated.
 *
 * The example replays Lu et al. 2023 (Stem Cell Res Ther 14:301): four
 * databases returned 2,599 records (PubMed 436, Embase 747, Web of Science
 * 1,354, Cochrane Library 62) of 1,747 distinct citations; title and
 * abstract screening excluded 1,495 (off-topic 1,172, animal studies 29,
 * reviews and meta-analyses 204, not RCTs 32, not in English 58); of the 252
 * full texts, 216 conference abstracts and 25 trial registrations were
 * excluded, leaving the 11 included trials.
 *
 * The 11 trials are real (data/trials.tsv, written for this example from
 * what is publicly known of them).  Everything else is SIMULATED: citations
 * made up from word lists, deterministic for a given --seed, in the shapes
 * the four databases export (PubMed XML, Embase RIS, Web of Science tagged
 * text, Cochrane CENTRAL RIS), each citation appearing in one to four of
 * them with the small differences real exports show (author and journal
 * forms, page ranges, a missing DOI, a trailing full stop).  The seed
 * documents' own works (a single-arm cohort, a narrative review, and Lu 2023
 * itself) are among them.
 *
 * truth.tsv gives, for every record, the citation it belongs to and what a
 * careful reviewer would decide at each stage: the simulated reviewers of
 * run.sh read it.  --update 1 writes the next month's search results (a few
 * new records, one of them a new trial) instead.
 *
 *     example_corpus --trials data/trials.tsv --out DIR [--seed N] [--update 1]
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------ */
/* deterministic randomness: splitmix64 */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int rng_int(int n) /* 0..n-1 */
{
	return (int)(rng_next() % (uint64_t)n);
}

static int rng_range(int lo, int hi) /* lo..hi */
{
	return lo + rng_int(hi - lo + 1);
}

static int rng_chance(int percent)
{
	return rng_int(100) < percent;
}

#define PICK(arr) (arr[rng_int((int)(sizeof(arr) / sizeof(arr[0])))])
#define COUNT(arr) ((int)(sizeof(arr) / sizeof(arr[0])))

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "example_corpus: error: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *p = NULL;

	va_start(ap, f);
	if (vasprintf(&p, f, ap) < 0)
		die("out of memory");
	va_end(ap);
	return p;
}

/* ------------------------------------------------------------------ */
/* word lists */

struct journal {
	const char *full, *abbrev, *issn, *lang;
};

static const struct journal journals[] = {
	{ "Hepatology", "Hepatology", "0270-9139", "eng" },
	{ "Journal of Hepatology", "J Hepatol", "0168-8278", "eng" },
	{ "Liver International", "Liver Int", "1478-3223", "eng" },
	{ "World Journal of Gastroenterology", "World J Gastroenterol", "1007-9327", "eng" },
	{ "Stem Cell Research & Therapy", "Stem Cell Res Ther", "1757-6512", "eng" },
	{ "Stem Cells Translational Medicine", "Stem Cells Transl Med", "2157-6564", "eng" },
	{ "Cytotherapy", "Cytotherapy", "1465-3249", "eng" },
	{ "Journal of Gastroenterology and Hepatology", "J Gastroenterol Hepatol", "0815-9319", "eng" },
	{ "Hepatology International", "Hepatol Int", "1936-0533", "eng" },
	{ "Clinical Gastroenterology and Hepatology", "Clin Gastroenterol Hepatol", "1542-3565", "eng" },
	{ "Alimentary Pharmacology & Therapeutics", "Aliment Pharmacol Ther", "0269-2813", "eng" },
	{ "Gut", "Gut", "0017-5749", "eng" },
	{ "Gastroenterology", "Gastroenterology", "0016-5085", "eng" },
	{ "American Journal of Gastroenterology", "Am J Gastroenterol", "0002-9270", "eng" },
	{ "Digestive Diseases and Sciences", "Dig Dis Sci", "0163-2116", "eng" },
	{ "Stem Cells International", "Stem Cells Int", "1687-966X", "eng" },
	{ "Cell Transplantation", "Cell Transplant", "0963-6897", "eng" },
	{ "Frontiers in Immunology", "Front Immunol", "1664-3224", "eng" },
	{ "BMC Gastroenterology", "BMC Gastroenterol", "1471-230X", "eng" },
	{ "Hepatology Research", "Hepatol Res", "1386-6346", "eng" },
	{ "Journal of Clinical and Translational Hepatology", "J Clin Transl Hepatol", "2225-0719", "eng" },
	{ "Annals of Hepatology", "Ann Hepatol", "1665-2681", "eng" },
	{ "Liver Transplantation", "Liver Transpl", "1527-6465", "eng" },
	{ "Transplantation Proceedings", "Transplant Proc", "0041-1345", "eng" },
	{ "World Journal of Stem Cells", "World J Stem Cells", "1948-0210", "eng" },
	{ "Stem Cell Reviews and Reports", "Stem Cell Rev Rep", "2629-3269", "eng" },
	{ "Scientific Reports", "Sci Rep", "2045-2322", "eng" },
	{ "Journal of Translational Medicine", "J Transl Med", "1479-5876", "eng" },
	{ "European Journal of Gastroenterology & Hepatology", "Eur J Gastroenterol Hepatol", "0954-691X", "eng" },
	{ "Experimental and Therapeutic Medicine", "Exp Ther Med", "1792-0981", "eng" },
	{ "International Journal of Molecular Sciences", "Int J Mol Sci", "1422-0067", "eng" },
	{ "Biomedicine & Pharmacotherapy", "Biomed Pharmacother", "0753-3322", "eng" },
	{ "Journal of Cellular and Molecular Medicine", "J Cell Mol Med", "1582-1838", "eng" },
	{ "Hepatobiliary & Pancreatic Diseases International", "Hepatobiliary Pancreat Dis Int", "1499-3872", "eng" },
	{ "Digestive and Liver Disease", "Dig Liver Dis", "1590-8658", "eng" },
	{ "Journal of Viral Hepatitis", "J Viral Hepat", "1352-0504", "eng" },
	{ "Clinical and Molecular Hepatology", "Clin Mol Hepatol", "2287-2728", "eng" },
	{ "Therapeutic Advances in Gastroenterology", "Therap Adv Gastroenterol", "1756-283X", "eng" },
};

static const struct journal foreign_journals[] = {
	{ "Zhonghua Gan Zang Bing Za Zhi", "Zhonghua Gan Zang Bing Za Zhi", "1007-3418", "chi" },
	{ "Zhonghua Yi Xue Za Zhi", "Zhonghua Yi Xue Za Zhi", "0376-2491", "chi" },
	{ "Zhonghua Nei Ke Za Zhi", "Zhonghua Nei Ke Za Zhi", "0578-1426", "chi" },
	{ "Zeitschrift fur Gastroenterologie", "Z Gastroenterol", "0044-2771", "ger" },
	{ "Terapevticheskii Arkhiv", "Ter Arkh", "0040-3660", "rus" },
	{ "Gastroenterologia y Hepatologia", "Gastroenterol Hepatol", "0210-5705", "spa" },
	{ "Nihon Shokakibyo Gakkai Zasshi", "Nihon Shokakibyo Gakkai Zasshi", "0446-6586", "jpn" },
	{ "Presse Medicale", "Presse Med", "0755-4982", "fre" },
	{ "Revista Espanola de Enfermedades Digestivas", "Rev Esp Enferm Dig", "1130-0108", "spa" },
	{ "Taehan Kan Hakhoe Chi", "Taehan Kan Hakhoe Chi", "1738-222X", "kor" },
};

static const char *const conferences[][2] = {
	{ "Hepatology", "AASLD The Liver Meeting" },
	{ "Journal of Hepatology", "EASL International Liver Congress" },
	{ "Hepatology International", "APASL Annual Meeting" },
	{ "Gastroenterology", "Digestive Disease Week" },
	{ "Cytotherapy", "ISCT Annual Meeting" },
	{ "Journal of Gastroenterology and Hepatology", "Asian Pacific Digestive Week" },
	{ "United European Gastroenterology Journal", "UEG Week" },
};

static const char *const surnames[] = {
	"Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
	"Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Zheng",
	"Liang", "Xie", "Tang", "Han", "Cao", "Deng", "Feng", "Peng", "Jiang",
	"Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim",
	"Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura",
	"Hassan", "Mohamed", "Ibrahim", "Mahmoud", "Abdelaziz", "Salem", "Farouk",
	"Ahmadi", "Hosseini", "Rezaei", "Moradi", "Karimi", "Sharma", "Gupta",
	"Singh", "Kumar", "Patel", "Reddy", "Rossi", "Bianchi", "Romano", "Ferrari",
	"Garcia", "Martinez", "Lopez", "Fernandez", "Gonzalez", "Muller", "Schmidt",
	"Schneider", "Fischer", "Weber", "Dubois", "Martin", "Bernard", "Smith",
	"Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Novak", "Kowalski",
	"Ivanov", "Petrov", "Silva", "Santos", "Oliveira", "Yilmaz", "Kaya", "Demir",
	"Nguyen", "Tran", "Le", "Pham", "Andersen", "Nielsen", "Jensen", "Hansen",
	"Sato", "Kobayashi", "Abe", "El-Sayed", "Shaker", "Fathy", "Nasser", "Omar",
	"MacDonald", "O'Brien", "van der Berg", "de Vries", "Janssen", "Bakker",
};

static const char *const forenames[] = {
	"Wei", "Jing", "Hui", "Yan", "Ming", "Xiaoli", "Jun", "Lei", "Hong", "Tao",
	"Min-Ji", "Seung", "Ji-Hoon", "Hyun", "Yuki", "Hiroshi", "Kenji", "Akira",
	"Ahmed", "Mohamed", "Mona", "Heba", "Omar", "Reza", "Maryam", "Ali", "Priya",
	"Rahul", "Anil", "Marco", "Giulia", "Luca", "Carmen", "Javier", "Lucia",
	"Anna", "Thomas", "Katrin", "Pierre", "Claire", "John", "Sarah", "David",
	"Emma", "Peter", "Olga", "Sergei", "Ana", "Joao", "Mehmet", "Ayse", "Linh",
	"Lars", "Mette", "Sofia", "Elena", "Hana", "Daniel", "Laura", "Michael",
};

static const char *const msc_types[] = {
	"bone marrow-derived mesenchymal stem cells", "umbilical cord mesenchymal stem cells",
	"adipose-derived mesenchymal stem cells", "mesenchymal stromal cells",
	"autologous mesenchymal stem cells", "allogeneic mesenchymal stem cells",
	"umbilical cord blood-derived mesenchymal stem cells", "mesenchymal stem cells",
};

static const char *const msc_short[] = {
	"MSC", "UC-MSC", "BM-MSC", "AD-MSC", "mesenchymal stem cell", "stem cell",
};

static const char *const liver_conditions[] = {
	"decompensated cirrhosis", "liver cirrhosis", "hepatitis B-related cirrhosis",
	"alcoholic cirrhosis", "primary biliary cholangitis", "acute-on-chronic liver failure",
	"chronic hepatitis B", "chronic hepatitis C", "nonalcoholic steatohepatitis",
	"hepatocellular carcinoma", "portal hypertension", "hepatic encephalopathy",
	"autoimmune hepatitis", "liver fibrosis", "end-stage liver disease",
	"metabolic dysfunction-associated fatty liver disease", "cirrhotic ascites",
	"variceal bleeding", "hepatorenal syndrome", "acute liver failure",
};

static const char *const drugs[] = {
	"entecavir", "tenofovir alafenamide", "terlipressin", "rifaximin", "lactulose",
	"carvedilol", "propranolol", "albumin infusion", "obeticholic acid",
	"ursodeoxycholic acid", "granulocyte colony-stimulating factor", "sofosbuvir",
	"norfloxacin", "simvastatin", "midodrine", "L-ornithine L-aspartate",
	"branched-chain amino acids", "vitamin E", "pioglitazone", "semaglutide",
	"prednisolone", "N-acetylcysteine", "zinc supplementation", "probiotics",
	"faecal microbiota transplantation", "plasma exchange", "sorafenib", "lenvatinib",
};

static const char *const other_diseases[] = {
	"knee osteoarthritis", "Crohn's disease", "acute respiratory distress syndrome",
	"graft-versus-host disease", "multiple sclerosis", "ischemic stroke",
	"type 1 diabetes", "heart failure", "spinal cord injury", "systemic lupus erythematosus",
	"COVID-19 pneumonia", "diabetic foot ulcers", "amyotrophic lateral sclerosis",
	"critical limb ischemia", "bronchopulmonary dysplasia", "rheumatoid arthritis",
	"premature ovarian insufficiency", "osteonecrosis of the femoral head",
};

static const char *const outcomes_words[] = {
	"mortality", "hospital readmission", "acute kidney injury", "infection",
	"variceal rebleeding", "hepatic decompensation", "liver-related death",
	"sarcopenia", "frailty", "quality of life", "transplant-free survival",
	"hepatocellular carcinoma recurrence", "post-hepatectomy liver failure",
};

static const char *const biomarkers[] = {
	"Serum ferritin", "Neutrophil-to-lymphocyte ratio", "Procalcitonin",
	"Copeptin", "Cystatin C", "Serum sodium", "Alpha-fetoprotein", "Galectin-3",
	"Interleukin-6", "Presepsin", "Fibroblast growth factor 21", "Liver stiffness",
	"Platelet count", "Von Willebrand factor", "Soluble CD163", "Bile acid profile",
};

static const char *const populations[] = {
	"patients with cirrhosis", "liver transplant recipients", "elderly patients",
	"patients with chronic hepatitis B", "critically ill patients",
	"patients undergoing hepatectomy", "children with biliary atresia",
	"patients with alcohol use disorder", "people living with HIV",
	"patients on the transplant waiting list",
};

static const char *const designs[] = {
	"a randomized controlled trial", "a prospective cohort study",
	"a retrospective cohort study", "a multicentre study", "a cross-sectional study",
	"a nationwide population-based study", "a case-control study",
	"a post hoc analysis of a randomized trial", "a prospective observational study",
};

static const char *const animals[] = { "rats", "mice", "rabbits", "pigs", "dogs", "a rat model", "a mouse model" };
static const char *const injury_models[] = {
	"carbon tetrachloride", "thioacetamide", "bile duct ligation", "diethylnitrosamine",
	"concanavalin A", "high-fat diet", "D-galactosamine",
};

static const char *const review_phrases[] = {
	"a systematic review and meta-analysis", "a narrative review", "current status and future perspectives",
	"an updated review", "a meta-analysis of randomized controlled trials", "mechanisms and clinical applications",
	"a review of clinical trials", "where do we stand?", "challenges and opportunities",
	"a systematic review", "an overview of systematic reviews", "a network meta-analysis",
	"recent advances", "a bibliometric analysis", "a critical appraisal",
};

static const char *const nonrct_phrases[] = {
	"a single-arm pilot study", "a case series", "a retrospective cohort study",
	"a phase I open-label study", "a prospective single-centre study",
	"report of three cases", "a non-randomized controlled study", "a long-term observational study",
};

static const char *const ca_phrases[] = {
	"preliminary results of a randomized trial", "interim analysis of a randomized controlled trial",
	"a randomized controlled study", "results of a phase II randomized trial",
	"one-year outcomes of a randomized trial", "a randomised placebo-controlled trial",
	"early results from a multicentre randomized trial", "a randomized open-label trial",
};

static const char *const mesh_terms[] = {
	"Liver Cirrhosis", "Mesenchymal Stem Cell Transplantation", "Mesenchymal Stem Cells",
	"Humans", "Treatment Outcome", "Liver Function Tests", "Serum Albumin",
	"Hepatitis B, Chronic", "End Stage Liver Disease", "Cells, Cultured",
	"Randomized Controlled Trials as Topic", "Animals", "Rats", "Mice",
	"Male", "Female", "Middle Aged", "Adult", "Prognosis", "Liver Regeneration",
};

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* ------------------------------------------------------------------ */
/* citations */

enum category {
	CAT_INCLUDED,
	CAT_CONFERENCE,   /* passes TA; full text: abstract-only */
	CAT_REGISTRATION, /* passes TA; full text: registry-no-results */
	CAT_OFFTOPIC,
	CAT_ANIMAL,
	CAT_REVIEW,
	CAT_NOTRCT,
	CAT_LANGUAGE,
	CAT_COUNT
};

static const char *const ta_reason[CAT_COUNT] = {
	"", "", "", "off-topic", "animal", "review", "not-rct", "language",
};
static const char *const ft_reason[CAT_COUNT] = {
	"", "abstract-only", "registry-no-results", "", "", "", "", "",
};

enum { SRC_PUBMED = 1, SRC_EMBASE = 2, SRC_WOS = 4, SRC_COCHRANE = 8 };

struct author {
	char *surname;
	char *forename;
	char initials[8];
};

struct citation {
	char key[16];
	enum category cat;
	char *title;
	struct author authors[12];
	int nauthors;
	char *collective;      /* a collective author, or NULL */
	int year, month;
	const struct journal *journal;
	const char *conference; /* conference name for abstracts */
	char *volume, *issue, *pages_start, *pages_end;
	char *doi;
	char *pmid;
	char *pmcid;
	char *nct;
	char *lang;             /* ISO 639-2 as PubMed writes it */
	const char *pubtype;    /* Journal Article, Review, ... */
	char *abstract;
	const char *keywords[4];
	int nkeywords;
	const char *mesh[6];
	int nmesh;
	unsigned sources;
	char *label;            /* included: the study label */
	char *relation;         /* PubMed CommentsCorrections "RefType PMID", or NULL */
	int embase_no, wos_no, cochrane_no;
	int drop_doi_embase, drop_doi_wos;
};

#define MAX_CIT 2100
static struct citation cits[MAX_CIT];
static int ncits;
static char key_prefix = 'C'; /* 'U' for the update's citations */
static int id_base;           /* accession numbers of the update follow the main corpus's */

/* titles must be distinct: a set of normalised titles */
static char *seen_titles[MAX_CIT * 2];
static int nseen;

static void norm_title(char *out, size_t n, const char *t)
{
	size_t o = 0;

	for (; *t && o + 1 < n; t++)
		if (isalnum((unsigned char)*t))
			out[o++] = (char)tolower((unsigned char)*t);
	out[o] = '\0';
}

static int title_taken(const char *t)
{
	char n[512];

	norm_title(n, sizeof(n), t);
	for (int i = 0; i < nseen; i++)
		if (!strcmp(seen_titles[i], n))
			return 1;
	seen_titles[nseen++] = xstrdup(n);
	return 0;
}

static char *cap_first(char *s)
{
	s[0] = (char)toupper((unsigned char)s[0]);
	return s;
}

static void make_authors(struct citation *c, int lo, int hi)
{
	c->nauthors = rng_range(lo, hi);
	for (int i = 0; i < c->nauthors; i++) {
		struct author *a = &c->authors[i];
		const char *f = PICK(forenames);
		int k = 0;

		a->surname = xstrdup(PICK(surnames));
		a->forename = xstrdup(f);
		/* initials: first letter of each part of the forename */
		for (const char *p = f; *p && k < 6; p++)
			if (p == f || p[-1] == '-' || p[-1] == ' ')
				a->initials[k++] = (char)toupper((unsigned char)*p);
		a->initials[k] = '\0';
	}
}

static char *make_title(enum category cat)
{
	for (int attempt = 0; attempt < 1000; attempt++) {
		char *t = NULL;

		switch (cat) {
		case CAT_OFFTOPIC:
			switch (rng_int(6)) {
			case 0:
				t = fmt("%s versus %s for %s: %s", PICK(drugs), PICK(drugs),
					PICK(liver_conditions), PICK(designs));
				break;
			case 1:
				t = fmt("%s for %s: %s", PICK(msc_types), PICK(other_diseases), PICK(designs));
				break;
			case 2:
				t = fmt("%s as a predictor of %s in %s", PICK(biomarkers),
					PICK(outcomes_words), PICK(populations));
				break;
			case 3:
				t = fmt("Risk factors for %s in %s with %s", PICK(outcomes_words),
					PICK(populations), PICK(liver_conditions));
				break;
			case 4:
				t = fmt("Effect of %s on %s in %s: %s", PICK(drugs), PICK(outcomes_words),
					PICK(liver_conditions), PICK(designs));
				break;
			default:
				t = fmt("%s %s therapy in %s: %s", PICK(msc_short), "secretome",
					PICK(other_diseases), PICK(designs));
				break;
			}
			break;
		case CAT_ANIMAL:
			t = fmt("%s attenuate %s-induced liver fibrosis in %s", PICK(msc_types),
				PICK(injury_models), PICK(animals));
			break;
		case CAT_REVIEW:
			t = fmt("%s therapy for %s: %s", PICK(msc_types), PICK(liver_conditions),
				PICK(review_phrases));
			break;
		case CAT_NOTRCT:
			t = fmt("%s transplantation in patients with %s: %s", PICK(msc_types),
				PICK(liver_conditions), PICK(nonrct_phrases));
			break;
		case CAT_LANGUAGE:
			t = fmt("[%s transplantation for %s: %s]", PICK(msc_types),
				PICK(liver_conditions), PICK(ca_phrases));
			break;
		case CAT_CONFERENCE:
			t = fmt("%s infusion in %s: %s", PICK(msc_types), PICK(liver_conditions),
				PICK(ca_phrases));
			break;
		case CAT_REGISTRATION:
			t = fmt("%s in %s", PICK(msc_types), PICK(liver_conditions));
			break;
		default:
			die("no title template for category %d", cat);
		}
		if (t[0] == '[')
			t[1] = (char)toupper((unsigned char)t[1]);
		else
			cap_first(t);
		if (!title_taken(t))
			return t;
		free(t);
	}
	die("cannot make a new title for category %d", cat);
	return NULL;
}

static char *make_abstract(const struct citation *c)
{
	int n = rng_range(20, 220);

	switch (c->cat) {
	case CAT_OFFTOPIC:
		return fmt("BACKGROUND: The question addressed here is of clinical importance.\n"
			   "METHODS: We studied %d participants over %d months.\n"
			   "RESULTS: The primary outcome occurred in %d%% of participants (p = 0.%02d).\n"
			   "CONCLUSIONS: Further studies are warranted.",
			   n, rng_range(3, 36), rng_range(5, 60), rng_range(1, 99));
	case CAT_ANIMAL:
		return fmt("Liver fibrosis was induced in %s. Animals received %s or vehicle "
			   "(n = %d per group). Collagen deposition and hydroxyproline content decreased "
			   "after treatment, and serum albumin improved.",
			   PICK(animals), PICK(msc_types), rng_range(6, 15));
	case CAT_REVIEW:
		return fmt("This review summarises the evidence on %s in %s, including %d clinical "
			   "studies, and discusses mechanisms, safety and open questions.",
			   PICK(msc_types), PICK(liver_conditions), rng_range(5, 40));
	case CAT_NOTRCT:
		return fmt("METHODS: %d patients received %s without a control group and were followed "
			   "for %d months.\nRESULTS: MELD score and serum albumin improved from baseline.\n"
			   "CONCLUSIONS: Randomised trials are needed.",
			   rng_range(5, 60), PICK(msc_types), rng_range(3, 24));
	case CAT_LANGUAGE:
		return fmt("OBJECTIVE: To evaluate %s in %s. METHODS: %d patients were randomised. "
			   "RESULTS: Liver function improved. (Article not in English; abstract translated.)",
			   PICK(msc_types), PICK(liver_conditions), n);
	case CAT_CONFERENCE:
		return fmt("Background: %s may improve liver function. Methods: %d patients with %s were "
			   "randomised to cell infusion or standard care. Results: albumin and MELD improved "
			   "at %d months. Conclusion: promising; full results to follow.",
			   PICK(msc_types), n, PICK(liver_conditions), rng_range(1, 12));
	case CAT_REGISTRATION:
		return fmt("Randomised, open-label trial of %s versus standard medical treatment in "
			   "adults with %s. Target enrolment %d. Primary outcome: change in MELD score at "
			   "%d months. Status: completed; no results posted.",
			   PICK(msc_types), PICK(liver_conditions), n, rng_range(3, 12));
	default:
		return xstrdup("");
	}
}

static struct citation *new_citation(enum category cat)
{
	struct citation *c;

	if (ncits >= MAX_CIT)
		die("too many citations");
	c = &cits[ncits++];
	memset(c, 0, sizeof(*c));
	snprintf(c->key, sizeof(c->key), "%c%04d", key_prefix, ncits);
	c->cat = cat;
	c->lang = xstrdup("eng");
	c->pubtype = "Journal Article";
	return c;
}

static void fill_generic(struct citation *c)
{
	int i;

	c->title = make_title(c->cat);
	make_authors(c, 2, 9);
	c->year = rng_range(2004, 2023);
	c->month = rng_range(1, 12);
	if (c->cat == CAT_LANGUAGE) {
		c->journal = &foreign_journals[rng_int(COUNT(foreign_journals))];
		free(c->lang);
		c->lang = xstrdup(c->journal->lang);
	} else {
		c->journal = &journals[rng_int(COUNT(journals))];
	}
	c->volume = fmt("%d", rng_range(1, 80));
	c->issue = fmt("%d", rng_range(1, 12));
	i = rng_range(10, 2400);
	c->pages_start = fmt("%d", i);
	c->pages_end = fmt("%d", i + rng_range(4, 14));
	if (c->cat != CAT_LANGUAGE || rng_chance(40))
		c->doi = fmt("10.%d/%c%c%d.%d.%05d", rng_range(1000, 9999), 'a' + rng_int(26),
			     'a' + rng_int(26), rng_range(10, 99), c->year, rng_range(0, 99999));
	if (c->cat == CAT_REVIEW)
		c->pubtype = strstr(c->title, "meta-analysis") ? "Meta-Analysis"
			     : strstr(c->title, "systematic") ? "Systematic Review" : "Review";
	c->abstract = make_abstract(c);
	c->nmesh = 0;
	c->mesh[c->nmesh++] = "Humans";
	if (c->cat == CAT_ANIMAL) {
		c->mesh[0] = "Animals";
		c->mesh[c->nmesh++] = strstr(c->title, "mice") || strstr(c->title, "mouse") ? "Mice" : "Rats";
	}
	c->mesh[c->nmesh++] = PICK(mesh_terms);
	c->nkeywords = 0;
	c->keywords[c->nkeywords++] = "mesenchymal stem cells";
	c->keywords[c->nkeywords++] = "liver";
}

/* ------------------------------------------------------------------ */
/* the 11 real trials (data/trials.tsv) */

static char *field(char **p)
{
	char *s = *p, *tab = strchr(s, '\t');

	if (tab) {
		*tab = '\0';
		*p = tab + 1;
	} else {
		char *nl = strchr(s, '\n');

		if (nl)
			*nl = '\0';
		*p = s + strlen(s);
	}
	return xstrdup(s);
}

static const struct journal *journal_from(const char *full, const char *abbrev)
{
	struct journal *j;

	for (int i = 0; i < COUNT(journals); i++)
		if (!strcmp(journals[i].full, full))
			return &journals[i];
	j = calloc(1, sizeof(*j));
	if (!j)
		die("out of memory");
	j->full = xstrdup(full);
	j->abbrev = xstrdup(abbrev);
	j->issn = "";
	j->lang = "eng";
	return j;
}

static void read_trials(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	int n = 0;

	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	if (!fgets(line, sizeof(line), f))
		die("%s: empty", path);
	while (fgets(line, sizeof(line), f)) {
		struct citation *c;
		char *p = line, *authors, *s;
		char *label, *ref, *pmid, *doi, *pmcid, *title, *jabbrev, *jfull, *year, *vol,
			*iss, *pages;

		if (line[0] == '\n' || !line[0])
			continue;
		label = field(&p);
		ref = field(&p);
		pmid = field(&p);
		doi = field(&p);
		pmcid = field(&p);
		title = field(&p);
		jabbrev = field(&p);
		jfull = field(&p);
		year = field(&p);
		vol = field(&p);
		iss = field(&p);
		pages = field(&p);
		free(field(&p)); /* language */
		authors = field(&p);
		c = new_citation(CAT_INCLUDED);
		c->label = label;
		c->title = title;
		title_taken(title);
		c->pmid = *pmid ? pmid : (free(pmid), NULL);
		c->doi = *doi ? doi : (free(doi), NULL);
		c->pmcid = *pmcid ? pmcid : (free(pmcid), NULL);
		c->journal = journal_from(jfull, jabbrev);
		c->year = atoi(year);
		c->month = rng_range(1, 12);
		c->volume = vol;
		c->issue = iss;
		s = strchr(pages, '-');
		if (s) {
			*s = '\0';
			c->pages_start = xstrdup(pages);
			c->pages_end = xstrdup(s + 1);
		} else {
			c->pages_start = xstrdup(pages);
		}
		for (s = strtok(authors, ";"); s && c->nauthors < 12; s = strtok(NULL, ";")) {
			struct author *a = &c->authors[c->nauthors++];
			char *sp;

			while (*s == ' ')
				s++;
			sp = strrchr(s, ' ');
			if (!sp)
				die("%s: author '%s' is not 'Surname Initials'", path, s);
			*sp = '\0';
			a->surname = xstrdup(s);
			snprintf(a->initials, sizeof(a->initials), "%s", sp + 1);
			a->forename = xstrdup(a->initials);
		}
		c->abstract = fmt("Randomised or controlled clinical trial of cell therapy in liver "
				  "cirrhosis included in Lu et al. 2023 (reference %s). [Example review: "
				  "see data/trials.tsv for what is known of this trial.]", ref);
		c->pubtype = "Journal Article";
		c->mesh[c->nmesh++] = "Humans";
		c->mesh[c->nmesh++] = "Liver Cirrhosis";
		c->mesh[c->nmesh++] = "Mesenchymal Stem Cell Transplantation";
		c->keywords[c->nkeywords++] = "mesenchymal stem cells";
		c->keywords[c->nkeywords++] = "liver cirrhosis";
		free(ref);
		free(jabbrev);
		free(jfull);
		free(year);
		free(pages);
		free(authors);
		n++;
	}
	fclose(f);
	if (n != 11)
		die("%s: expected the 11 included trials, found %d", path, n);
}

/* the seed documents' own works (seeds/000, 001, 002) */
static void add_seed_works(void)
{
	static const char *const a000[] = { "Jahan|SMS|Sarder Mohammad Shahriar", "Kabir|S|Shayla",
					    "Haque|MM|Mohammad Mominul", "Haque|MR|Mohammad Rabiul",
					    "Habib|I|Imtiaz", "Khan|S|Sara", "Chowdhury|M|Mansura",
					    "Nowshin|S|Sazia" };
	static const char *const a001[] = { "Begum|R|Rokshana", "Alam|SMNE|Sheikh Mohammad Noor E",
					    "Moben|AL|Ahmed Lutful", "Rahim|MA|Md Abdur",
					    "Mahtab|M|Musarrat", "Akbar|SMF|Sheikh Mohammad Fazle",
					    "Al Mahtab|M|Mamun" };
	static const char *const a002[] = { "Lu|W|Wenming", "Qu|J|Jiayang", "Yan|L|Longxiang",
					    "Tang|X|Xingkun", "Wang|X|Xuesong", "Ye|A|Anqi",
					    "Zou|Z|Zhengwei", "Li|L|Lincai", "Ye|J|Junsong", "Zhou|L|Lin" };
	const char *const *lists[3] = { a000, a001, a002 };
	int counts[3] = { COUNT(a000), COUNT(a001), COUNT(a002) };
	static const char *const titles[3] = {
		"Mesenchymal Stem Cell (MSC) Therapy in Liver Cirrhosis: A New Horizon in Regenerative Medicine",
		"Stem Cell Therapy for Liver Cirrhosis - Prospects and challenges",
		"Efficacy and safety of mesenchymal stem cell therapy in liver cirrhosis: a systematic review and meta-analysis",
	};
	static const char *const abstracts[3] = {
		"METHODS: This single-arm, prospective cohort study included 65 adults with liver cirrhosis "
		"who received MSC therapy and were followed for 12 months.\nRESULTS: MELD score fell and "
		"albumin rose from baseline.\nCONCLUSIONS: Randomised trials are warranted. [Summary written "
		"for the lsr example.]",
		"This narrative review discusses stem cell therapy for liver cirrhosis, its prospects and "
		"challenges, drawing on the authors' experience. [Summary written for the lsr example.]",
		"A systematic review and meta-analysis of 11 clinical trials of mesenchymal stem cell therapy "
		"in liver cirrhosis (PubMed, Web of Science, Embase, Cochrane Library to May 2023), pooled "
		"with RevMan 5.4. [Summary written for the lsr example.]",
	};
	static const enum category cats[3] = { CAT_NOTRCT, CAT_REVIEW, CAT_REVIEW };

	for (int k = 0; k < 3; k++) {
		struct citation *c = new_citation(cats[k]);

		c->title = xstrdup(titles[k]);
		title_taken(c->title);
		for (int i = 0; i < counts[k]; i++) {
			char *s = xstrdup(lists[k][i]), *bar1 = strchr(s, '|'), *bar2;

			*bar1 = '\0';
			bar2 = strchr(bar1 + 1, '|');
			*bar2 = '\0';
			c->authors[i].surname = xstrdup(s);
			snprintf(c->authors[i].initials, sizeof(c->authors[i].initials), "%s", bar1 + 1);
			c->authors[i].forename = xstrdup(bar2 + 1);
			free(s);
		}
		c->nauthors = counts[k];
		c->abstract = xstrdup(abstracts[k]);
		c->pubtype = k == 0 ? "Journal Article" : k == 1 ? "Review" : "Systematic Review";
		c->mesh[c->nmesh++] = "Liver Cirrhosis";
		c->mesh[c->nmesh++] = "Mesenchymal Stem Cell Transplantation";
		c->keywords[c->nkeywords++] = "liver cirrhosis";
		if (k == 2) {
			c->journal = journal_from("Stem Cell Research & Therapy", "Stem Cell Res Ther");
			c->year = 2023;
			c->month = 10;
			c->volume = xstrdup("14");
			c->issue = xstrdup("1");
			c->pages_start = xstrdup("301");
			c->doi = xstrdup("10.1186/s13287-023-03518-x");
			c->pmid = xstrdup("37864199");
			c->pmcid = xstrdup("PMC10590028");
		} else {
			/* the seeds give no journal: leave it out rather than invent one */
			c->year = 2025;
			c->month = k == 0 ? 6 : 7;
		}
	}
}

/* ------------------------------------------------------------------ */
/* which databases hold which citation: exact marginals */

static void shuffle(int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rng_int(i + 1), t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

static void assign_sources(void)
{
	static int pool[MAX_CIT];
	int npool = 0, nreg = 0;
	int want_w = 1354, want_e = 747, want_p = 436, want_c = 62;
	int extra_e, i, k;

	for (i = 0; i < ncits; i++) {
		struct citation *c = &cits[i];

		switch (c->cat) {
		case CAT_INCLUDED:
			c->sources = SRC_PUBMED | SRC_EMBASE | SRC_WOS | SRC_COCHRANE;
			break;
		case CAT_REGISTRATION:
			c->sources = SRC_COCHRANE;
			nreg++;
			break;
		case CAT_CONFERENCE:
			c->sources = SRC_EMBASE;
			break;
		default:
			pool[npool++] = i;
			break;
		}
	}
	/* conference abstracts: all in Embase, 66 also in Web of Science */
	for (i = 0, k = 0; i < ncits; i++)
		if (cits[i].cat == CAT_CONFERENCE && k < 66) {
			cits[i].sources |= SRC_WOS;
			k++;
		}
	want_w -= 11 + 66;
	want_e -= 11 + 216;
	want_p -= 11;
	want_c -= 11 + nreg;
	/* the rest: the first want_w of a shuffled pool are in WoS; those not
	 * in WoS are all in Embase; Embase's remaining places go to WoS ones */
	shuffle(pool, npool);
	if (want_w > npool || npool - want_w > want_e)
		die("source marginals cannot be met");
	for (i = 0; i < npool; i++) {
		if (i < want_w)
			cits[pool[i]].sources |= SRC_WOS;
		else
			cits[pool[i]].sources |= SRC_EMBASE;
	}
	extra_e = want_e - (npool - want_w);
	for (i = 0; i < extra_e; i++)
		cits[pool[i]].sources |= SRC_EMBASE;
	/* PubMed: a different slice; foreign-language records are often there */
	shuffle(pool, npool);
	for (i = 0; i < want_p; i++)
		cits[pool[i]].sources |= SRC_PUBMED;
	/* Cochrane Library: reviews and trials-like records */
	for (i = 0, k = 0; i < npool && k < want_c; i++) {
		struct citation *c = &cits[pool[npool - 1 - i]];

		if (c->cat == CAT_REVIEW || c->cat == CAT_NOTRCT || c->cat == CAT_OFFTOPIC) {
			c->sources |= SRC_COCHRANE;
			k++;
		}
	}
	if (k != want_c)
		die("cannot place the Cochrane records");
}

/* ------------------------------------------------------------------ */
/* writers */

static void xml_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static FILE *open_out(const char *dir, const char *name)
{
	char *path = fmt("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	if (!f)
		die("cannot write '%s': %s", path, strerror(errno));
	free(path);
	return f;
}

static int pmid_counter = 31000000;

static const char *pmid_of(struct citation *c)
{
	if (!c->pmid)
		c->pmid = fmt("%d", pmid_counter += rng_range(7, 997));
	return c->pmid;
}

static void write_pubmed(FILE *f, struct citation *c)
{
	fprintf(f, "<PubmedArticle>\n<MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">\n"
		   "<PMID Version=\"1\">%s</PMID>\n<Article PubModel=\"Print\">\n<Journal>\n",
		pmid_of(c));
	if (c->journal && c->journal->issn && *c->journal->issn)
		fprintf(f, "<ISSN IssnType=\"Print\">%s</ISSN>\n", c->journal->issn);
	fprintf(f, "<JournalIssue CitedMedium=\"Print\">\n");
	if (c->volume)
		fprintf(f, "<Volume>%s</Volume>\n", c->volume);
	if (c->issue)
		fprintf(f, "<Issue>%s</Issue>\n", c->issue);
	fprintf(f, "<PubDate><Year>%d</Year><Month>%s</Month></PubDate>\n</JournalIssue>\n",
		c->year, months[c->month - 1]);
	if (c->journal) {
		fputs("<Title>", f);
		xml_text(f, c->journal->full);
		fputs("</Title>\n<ISOAbbreviation>", f);
		xml_text(f, c->journal->abbrev);
		fputs("</ISOAbbreviation>\n", f);
	}
	fputs("</Journal>\n<ArticleTitle>", f);
	xml_text(f, c->title);
	fputs("</ArticleTitle>\n", f);
	if (c->pages_start) {
		/* MEDLINE's abbreviated page ranges: 112-20 */
		const char *e = c->pages_end;

		if (e && strlen(e) == strlen(c->pages_start)) {
			size_t k = 0;

			while (e[k] && e[k] == c->pages_start[k] && k + 1 < strlen(e))
				k++;
			e += k;
		}
		fprintf(f, "<Pagination><MedlinePgn>%s%s%s</MedlinePgn></Pagination>\n",
			c->pages_start, e ? "-" : "", e ? e : "");
	}
	if (c->doi)
		fprintf(f, "<ELocationID EIdType=\"doi\" ValidYN=\"Y\">%s</ELocationID>\n", c->doi);
	if (c->abstract && *c->abstract) {
		char *copy = xstrdup(c->abstract), *line, *save = NULL;

		fputs("<Abstract>\n", f);
		for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *colon = strstr(line, ": ");

			if (colon && colon - line < 20 && isupper((unsigned char)line[1])) {
				*colon = '\0';
				fprintf(f, "<AbstractText Label=\"%s\">", line);
				xml_text(f, colon + 2);
			} else {
				fputs("<AbstractText>", f);
				xml_text(f, line);
			}
			fputs("</AbstractText>\n", f);
		}
		fputs("</Abstract>\n", f);
		free(copy);
	}
	fputs("<AuthorList CompleteYN=\"Y\">\n", f);
	for (int i = 0; i < c->nauthors; i++) {
		fputs("<Author ValidYN=\"Y\"><LastName>", f);
		xml_text(f, c->authors[i].surname);
		fputs("</LastName><ForeName>", f);
		xml_text(f, c->authors[i].forename);
		fprintf(f, "</ForeName><Initials>%s</Initials></Author>\n", c->authors[i].initials);
	}
	fputs("</AuthorList>\n", f);
	fprintf(f, "<Language>%s</Language>\n<PublicationTypeList>\n"
		   "<PublicationType UI=\"D016428\">Journal Article</PublicationType>\n",
		c->lang);
	if (strcmp(c->pubtype, "Journal Article"))
		fprintf(f, "<PublicationType>%s</PublicationType>\n", c->pubtype);
	fputs("</PublicationTypeList>\n</Article>\n", f);
	if (c->journal)
		fprintf(f, "<MedlineJournalInfo><MedlineTA>%s</MedlineTA></MedlineJournalInfo>\n",
			c->journal->abbrev);
	if (c->nmesh) {
		fputs("<MeshHeadingList>\n", f);
		for (int i = 0; i < c->nmesh; i++)
			fprintf(f, "<MeshHeading><DescriptorName MajorTopicYN=\"N\">%s</DescriptorName></MeshHeading>\n",
				c->mesh[i]);
		fputs("</MeshHeadingList>\n", f);
	}
	if (c->relation) {
		const char *sp = strchr(c->relation, ' ');

		fprintf(f, "<CommentsCorrectionsList>\n<CommentsCorrections RefType=\"%.*s\">"
			   "<RefSource>%s</RefSource><PMID Version=\"1\">%s</PMID>"
			   "</CommentsCorrections>\n</CommentsCorrectionsList>\n",
			(int)(sp - c->relation), c->relation, c->journal ? c->journal->abbrev : "",
			sp + 1);
	}
	fputs("</MedlineCitation>\n<PubmedData>\n<ArticleIdList>\n", f);
	fprintf(f, "<ArticleId IdType=\"pubmed\">%s</ArticleId>\n", c->pmid);
	if (c->doi)
		fprintf(f, "<ArticleId IdType=\"doi\">%s</ArticleId>\n", c->doi);
	if (c->pmcid)
		fprintf(f, "<ArticleId IdType=\"pmc\">%s</ArticleId>\n", c->pmcid);
	fputs("</ArticleIdList>\n</PubmedData>\n</PubmedArticle>\n", f);
}

static void ris_line(FILE *f, const char *tag, const char *v)
{
	if (v && *v)
		fprintf(f, "%s  - %s\n", tag, v);
}

/* an abstract on one RIS/WoS line */
static char *one_line(const char *s)
{
	char *p = xstrdup(s ? s : "");

	for (char *q = p; *q; q++)
		if (*q == '\n')
			*q = ' ';
	return p;
}

static void write_embase(FILE *f, struct citation *c, int no)
{
	char *ab = one_line(c->abstract), an[32], date[32];

	snprintf(an, sizeof(an), "L%d", 600000000 + no * 7);
	snprintf(date, sizeof(date), "%d/%02d/01", c->year, c->month);
	ris_line(f, "TY", c->cat == CAT_CONFERENCE ? "CONF" : "JOUR");
	ris_line(f, "ID", an);
	ris_line(f, "T1", c->title);
	if (c->cat == CAT_CONFERENCE)
		ris_line(f, "T2", c->conference);
	for (int i = 0; i < c->nauthors; i++) {
		char *a = fmt("%s %s.", c->authors[i].surname, c->authors[i].initials);

		ris_line(f, "A1", a);
		free(a);
	}
	ris_line(f, "Y1", date);
	if (c->journal) {
		ris_line(f, "JF", c->journal->full);
		ris_line(f, "JA", c->journal->abbrev);
	}
	ris_line(f, "VL", c->volume);
	ris_line(f, "IS", c->issue);
	ris_line(f, "SP", c->pages_start);
	ris_line(f, "EP", c->pages_end);
	ris_line(f, "M3", c->cat == CAT_CONFERENCE ? "Conference Abstract"
			  : !strcmp(c->pubtype, "Journal Article") ? "Article" : "Review");
	ris_line(f, "N2", ab);
	for (int i = 0; i < c->nkeywords; i++)
		ris_line(f, "KW", c->keywords[i]);
	if (c->journal)
		ris_line(f, "SN", c->journal->issn);
	if (c->doi && !c->drop_doi_embase)
		ris_line(f, "DO", c->doi);
	ris_line(f, "AN", an);
	ris_line(f, "DB", "Embase");
	ris_line(f, "LA", !strcmp(c->lang, "eng") ? "English"
			  : !strcmp(c->lang, "chi") ? "Chinese"
			  : !strcmp(c->lang, "ger") ? "German"
			  : !strcmp(c->lang, "rus") ? "Russian"
			  : !strcmp(c->lang, "spa") ? "Spanish"
			  : !strcmp(c->lang, "jpn") ? "Japanese"
			  : !strcmp(c->lang, "fre") ? "French" : "Korean");
	fputs("ER  - \n\n", f);
	free(ab);
}

static void upper(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

static void write_wos(FILE *f, struct citation *c, int no)
{
	char *ab = one_line(c->abstract), *so;

	fprintf(f, "PT %s\n", c->cat == CAT_CONFERENCE ? "C" : "J");
	for (int i = 0; i < c->nauthors; i++)
		fprintf(f, "%s %s, %s\n", i ? "  " : "AU", c->authors[i].surname, c->authors[i].initials);
	for (int i = 0; i < c->nauthors; i++)
		fprintf(f, "%s %s, %s\n", i ? "  " : "AF", c->authors[i].surname, c->authors[i].forename);
	/* Web of Science drops PubMed's translation brackets and keeps no final full stop */
	fprintf(f, "TI %s\n", c->title);
	if (c->journal) {
		so = xstrdup(c->journal->full);
		upper(so);
		fprintf(f, "SO %s\n", so);
		free(so);
	}
	if (c->cat == CAT_CONFERENCE)
		fprintf(f, "CT %s\n", c->conference);
	fprintf(f, "LA %s\n", !strcmp(c->lang, "eng") ? "English" : "Chinese");
	fprintf(f, "DT %s\n", c->cat == CAT_CONFERENCE ? "Meeting Abstract"
				: !strcmp(c->pubtype, "Journal Article") ? "Article" : "Review");
	if (*ab)
		fprintf(f, "AB %s\n", ab);
	if (c->journal && c->journal->issn && *c->journal->issn)
		fprintf(f, "SN %s\n", c->journal->issn);
	if (c->journal) {
		so = xstrdup(c->journal->abbrev);
		upper(so);
		fprintf(f, "J9 %s\n", so);
		free(so);
	}
	fprintf(f, "PD %s\nPY %d\n", months[c->month - 1], c->year);
	if (c->volume)
		fprintf(f, "VL %s\n", c->volume);
	if (c->issue)
		fprintf(f, "IS %s\n", c->issue);
	if (c->pages_start)
		fprintf(f, "BP %s\n", c->pages_start);
	if (c->pages_end)
		fprintf(f, "EP %s\n", c->pages_end);
	if (c->doi && !c->drop_doi_wos)
		fprintf(f, "DI %s\n", c->doi);
	if (c->pmid && (c->sources & SRC_PUBMED))
		fprintf(f, "PM %s\n", c->pmid);
	fprintf(f, "UT WOS:%015d\nER\n\n", 400000000 + no * 13);
	free(ab);
}

static void write_cochrane(FILE *f, struct citation *c, int no)
{
	char *ab = one_line(c->abstract), an[32];

	snprintf(an, sizeof(an), "CN-%08d", 2000000 + no * 11);
	ris_line(f, "TY", "JOUR");
	ris_line(f, "ID", an);
	ris_line(f, "TI", c->title);
	for (int i = 0; i < c->nauthors; i++) {
		char *a = fmt("%s, %s", c->authors[i].surname, c->authors[i].initials);

		ris_line(f, "AU", a);
		free(a);
	}
	if (c->collective)
		ris_line(f, "AU", c->collective);
	{
		char y[8];

		snprintf(y, sizeof(y), "%d", c->year);
		ris_line(f, "PY", y);
	}
	if (c->nct) {
		char *url = fmt("https://clinicaltrials.gov/show/%s", c->nct);

		ris_line(f, "JO", url);
		ris_line(f, "M3", "Trial registry record");
		ris_line(f, "UR", url);
		free(url);
	} else if (c->journal) {
		ris_line(f, "JO", c->journal->abbrev);
	}
	ris_line(f, "VL", c->volume);
	ris_line(f, "IS", c->issue);
	if (c->pages_start) {
		char *pg = c->pages_end ? fmt("%s-%s", c->pages_start, c->pages_end)
					: xstrdup(c->pages_start);

		ris_line(f, "SP", pg);
		free(pg);
	}
	ris_line(f, "AB", ab);
	ris_line(f, "DO", c->doi);
	ris_line(f, "AN", an);
	ris_line(f, "DB", "Cochrane Central Register of Controlled Trials");
	fputs("ER  - \n\n", f);
	free(ab);
}

/* ------------------------------------------------------------------ */

static void truth_row(FILE *t, const char *source, const char *sid, const struct citation *c)
{
	int ta_incl = c->cat == CAT_INCLUDED || c->cat == CAT_CONFERENCE ||
		      c->cat == CAT_REGISTRATION;

	fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", source, sid, c->key,
		ta_incl ? "include" : "exclude", ta_reason[c->cat],
		!ta_incl ? "" : c->cat == CAT_INCLUDED ? "include" : "exclude",
		ft_reason[c->cat], c->label ? c->label : "");
}

static void write_all(const char *dir, const char *tag)
{
	FILE *p = open_out(dir, "pubmed.xml"), *e = open_out(dir, "embase.ris");
	FILE *w = open_out(dir, "wos.txt"), *co = open_out(dir, "cochrane.ris");
	FILE *t = open_out(dir, "truth.tsv");
	int np = 0, ne = 0, nw = 0, nc = 0;
	static int order[MAX_CIT];

	fprintf(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<!-- SIMULATED records for the lsr example review (%s); the 11 included "
		   "trials carry their real bibliographic data. -->\n<PubmedArticleSet>\n", tag);
	fprintf(w, "FN Clarivate Analytics Web of Science\nVR 1.0\n");
	fprintf(t, "source\tsource_id\tcitation\tta\tta_reason\tft\tft_reason\tstudy\n");
	/* databases list records in their own order */
	for (int i = 0; i < ncits; i++)
		order[i] = i;
	shuffle(order, ncits);
	for (int k = 0; k < ncits; k++) {
		struct citation *c = &cits[order[k]];
		char sid[48];

		if (c->sources & SRC_PUBMED) {
			write_pubmed(p, c);
			truth_row(t, "PubMed", c->pmid, c);
			np++;
		}
		if (c->sources & SRC_EMBASE) {
			c->embase_no = ++ne;
			write_embase(e, c, id_base + ne);
			snprintf(sid, sizeof(sid), "L%d", 600000000 + (id_base + ne) * 7);
			truth_row(t, "Embase", sid, c);
		}
		if (c->sources & SRC_WOS) {
			c->wos_no = ++nw;
			write_wos(w, c, id_base + nw);
			snprintf(sid, sizeof(sid), "WOS:%015d", 400000000 + (id_base + nw) * 13);
			truth_row(t, "Web of Science", sid, c);
		}
		if (c->sources & SRC_COCHRANE) {
			c->cochrane_no = ++nc;
			write_cochrane(co, c, id_base + nc);
			snprintf(sid, sizeof(sid), "CN-%08d", 2000000 + (id_base + nc) * 11);
			truth_row(t, "Cochrane Library", sid, c);
		}
	}
	fputs("</PubmedArticleSet>\n", p);
	fputs("EF\n", w);
	fclose(p);
	fclose(e);
	fclose(w);
	fclose(co);
	fclose(t);
	fprintf(stderr, "example_corpus: %s: PubMed %d, Embase %d, Web of Science %d, Cochrane Library %d records (%d citations)\n",
		tag, np, ne, nw, nc, ncits);
}

static void make_main_corpus(void)
{
	static const int quota[CAT_COUNT] = {
		[CAT_CONFERENCE] = 216, [CAT_REGISTRATION] = 25, [CAT_OFFTOPIC] = 1172,
		[CAT_ANIMAL] = 29, [CAT_REVIEW] = 204 - 2, [CAT_NOTRCT] = 32 - 1,
		[CAT_LANGUAGE] = 58,
	};

	add_seed_works(); /* one not-RCT, two reviews */
	for (int cat = CAT_CONFERENCE; cat < CAT_COUNT; cat++) {
		for (int i = 0; i < quota[cat]; i++) {
			struct citation *c = new_citation((enum category)cat);

			fill_generic(c);
			if (cat == CAT_CONFERENCE) {
				int k = rng_int(COUNT(conferences));

				c->journal = journal_from(conferences[k][0], conferences[k][0]);
				c->conference = conferences[k][1];
				free(c->doi);
				c->doi = NULL;
				free(c->issue);
				c->issue = fmt("%d Suppl", rng_range(1, 6));
				free(c->pages_end);
				c->pages_end = NULL;
				free(c->pages_start);
				c->pages_start = fmt("S%d", rng_range(10, 999));
				c->pubtype = "Congress";
			}
			if (cat == CAT_REGISTRATION) {
				c->nct = fmt("NCT0%07d", rng_range(1000000, 5999999));
				free(c->title);
				{
					char *t = make_title(CAT_REGISTRATION);

					c->title = fmt("%s: %s", c->nct, t);
					free(t);
				}
				c->journal = NULL;
				free(c->volume);
				free(c->issue);
				free(c->pages_start);
				free(c->pages_end);
				free(c->doi);
				c->volume = c->issue = c->pages_start = c->pages_end = c->doi = NULL;
				c->nauthors = 0;
				c->collective = fmt("%s", "Sponsor: investigator-initiated");
				c->pubtype = "Trial registry record";
			}
		}
	}
	assign_sources();
	/* a record of a citation in Embase or WoS sometimes lacks its DOI */
	for (int i = 0; i < ncits; i++) {
		cits[i].drop_doi_embase = rng_chance(8);
		cits[i].drop_doi_wos = rng_chance(6);
	}
}

/* the included trial the update's erratum is for (kept from the main corpus) */
static struct {
	char *pmid, *title;
	const struct journal *journal;
} erratum_for;

/* next month: a handful of new records, one a new trial (simulated) */
static void make_update(void)
{
	struct citation *c = new_citation(CAT_INCLUDED);

	c->label = xstrdup("Example 2024");
	c->title = xstrdup("Umbilical cord mesenchymal stem cells versus standard medical therapy in "
			   "decompensated cirrhosis: a randomized controlled trial (SIMULATED record for "
			   "the lsr example update)");
	title_taken(c->title);
	make_authors(c, 5, 8);
	free(c->authors[0].surname);
	c->authors[0].surname = xstrdup("Example");
	c->year = 2024;
	c->month = 2;
	c->journal = &journals[1];
	c->volume = xstrdup("80");
	c->issue = xstrdup("2");
	c->pages_start = xstrdup("301");
	c->pages_end = xstrdup("312");
	c->doi = xstrdup("10.5555/lsr-example.2024.001");
	c->abstract = xstrdup("BACKGROUND: SIMULATED trial for the lsr example review's monthly update.\n"
			      "METHODS: 60 adults with decompensated cirrhosis were randomized to UC-MSC "
			      "infusion or standard care.\nRESULTS: MELD fell and albumin rose at 6 months.\n"
			      "CONCLUSIONS: Illustrative only.");
	c->mesh[c->nmesh++] = "Liver Cirrhosis";
	c->mesh[c->nmesh++] = "Mesenchymal Stem Cell Transplantation";
	c->sources = SRC_PUBMED | SRC_EMBASE;
	for (int i = 0; i < 4; i++) {
		struct citation *o = new_citation(CAT_OFFTOPIC);

		fill_generic(o);
		o->year = 2024;
		o->sources = i < 2 ? SRC_PUBMED : SRC_EMBASE | SRC_WOS;
	}
	{
		struct citation *r = new_citation(CAT_REVIEW);

		fill_generic(r);
		r->year = 2024;
		r->sources = SRC_PUBMED | SRC_WOS;
	}
	/* an erratum for an included trial (SIMULATED): the update's check
	 * of the included studies must flag it */
	if (erratum_for.pmid) {
		struct citation *e = new_citation(CAT_OFFTOPIC);
		char buf[512];

		fill_generic(e);
		snprintf(buf, sizeof(buf), "Erratum: %s (SIMULATED erratum for the lsr example update)",
			 erratum_for.title);
		e->title = xstrdup(buf);
		title_taken(e->title);
		e->abstract = NULL;
		e->pubtype = "Published Erratum";
		e->journal = erratum_for.journal;
		e->year = 2024;
		snprintf(buf, sizeof(buf), "ErratumFor %s", erratum_for.pmid);
		e->relation = xstrdup(buf);
		e->sources = SRC_PUBMED;
	}
}

int main(int argc, char **argv)
{
	const char *trials = NULL, *out = NULL;
	unsigned long long seed = 2023;
	int update = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trials") && i + 1 < argc)
			trials = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--update") && i + 1 < argc)
			update = atoi(argv[++i]);
		else
			die("usage: example_corpus --trials FILE --out DIR [--seed N] [--update 1]");
	}
	if (!trials || !out)
		die("usage: example_corpus --trials FILE --out DIR [--seed N] [--update 1]");
	if (mkdir(out, 0777) < 0 && errno != EEXIST)
		die("cannot create '%s': %s", out, strerror(errno));
	rng_state = seed;
	read_trials(trials);
	make_main_corpus();
	if (update == 0) {
		write_all(out, "search of May 2023");
		return 0;
	}
	/* the update: same seed, so the same earlier corpus, then new records */
	rng_state = seed * 7919 + (unsigned long long)update;
	for (int i = 0; i < ncits; i++)
		if (cits[i].label && !strcmp(cits[i].label, "Fang 2018") && cits[i].pmid) {
			erratum_for.pmid = cits[i].pmid;
			erratum_for.title = cits[i].title;
			erratum_for.journal = cits[i].journal;
		}
	ncits = 0;
	key_prefix = 'U';
	id_base = 10000;
	make_update();
	pmid_counter = 38000000;
	write_all(out, "monthly update 1");
	return 0;
}
