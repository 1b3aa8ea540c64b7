/*
 * pubmed_xml.c - PubMed XML: a PubmedArticleSet as efetch returns it and as
 * NLM's annual baseline and daily update files hold it (plain or gzip).
 *
 * Each PubmedArticle and PubmedBookArticle is a record; the raw text is its
 * bytes from '<PubmedArticle>' to '</PubmedArticle>' exactly as received.
 * A DeleteCitation is not a record: each PMID it lists is passed to the
 * sink as a deletion notice (rec->deleted, rec->source_id = the PMID).
 *
 * Fields (DTD pubmed_250101):
 *   source_id, pmid   MedlineCitation/PMID (BookDocument/PMID), never the
 *                     PMIDs of CommentsCorrections or references
 *   ref_type          the element: PubmedArticle or PubmedBookArticle
 *   title             ArticleTitle, inline markup flattened; a book's
 *                     BookTitle when it has no ArticleTitle; VernacularTitle
 *                     when there is no English title.  PubMed's [bracketed]
 *                     translated titles are kept as they are.
 *   abstract          AbstractText, one "LABEL: text" line per section
 *                     (Label, else NlmCategory); CopyrightInformation and
 *                     OtherAbstract are left out
 *   authors           "LastName, ForeName" (Initials when no ForeName,
 *                     Suffix after), or CollectiveName; ValidYN="N" skipped
 *   year, pub_date    JournalIssue/PubDate (Year Month Day, Season,
 *                     MedlineDate); ArticleDate when PubDate has no year or
 *                     gives less of the same year
 *   journal, _abbrev  Journal/Title; ISOAbbreviation, else MedlineTA
 *   pages             MedlinePgn, else StartPage-EndPage, else a non-DOI
 *                     ELocationID (article number)
 *   doi               ArticleId IdType=doi, else ELocationID EIdType=doi
 *   pmcid             ArticleId IdType=pmc
 *   other_ids         other ArticleIds ("pii:...", "mid:..."), trial
 *                     registry numbers from DataBankList ("nct:NCT...")
 *   issn              Journal/ISSN, else ISSNLinking
 *   languages, publication_types, mesh (DescriptorName), keywords
 *   relations         CommentsCorrections other than Cites: "RefType PMID"
 */
#include "xmlrec.h"
#include "../util/err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PM_NAMES(X) \
	X(PubmedArticleSet) X(PubmedBookArticleSet) X(PubmedArticle) \
	X(PubmedBookArticle) X(DeleteCitation) X(MedlineCitation) X(BookDocument) \
	X(PubmedData) X(PubmedBookData) X(PMID) X(Article) X(Journal) X(ISSN) \
	X(JournalIssue) X(Volume) X(Issue) X(PubDate) X(Year) X(Month) X(Day) \
	X(Season) X(MedlineDate) X(Title) X(ISOAbbreviation) X(ArticleTitle) \
	X(VernacularTitle) X(Pagination) X(StartPage) X(EndPage) X(MedlinePgn) \
	X(ELocationID) X(Abstract) X(AbstractText) X(AuthorList) X(Author) \
	X(LastName) X(ForeName) X(Initials) X(Suffix) X(CollectiveName) \
	X(Language) X(DataBankList) X(DataBank) X(DataBankName) \
	X(AccessionNumberList) X(AccessionNumber) X(PublicationTypeList) \
	X(PublicationType) X(ArticleDate) X(MedlineJournalInfo) X(MedlineTA) \
	X(ISSNLinking) X(MeshHeadingList) X(MeshHeading) X(DescriptorName) \
	X(KeywordList) X(Keyword) X(CommentsCorrectionsList) \
	X(CommentsCorrections) X(ArticleIdList) X(ArticleId) X(Book) \
	X(BookTitle) X(Isbn)

enum pm_name {
#define E(n) N_##n,
	PM_NAMES(E)
#undef E
	N_COUNT
};

static const char *const pm_name_str[N_COUNT] = {
#define S(n) #n,
	PM_NAMES(S)
#undef S
};

struct pm {
	struct xmlrec x;
	const xmlChar *nm[N_COUNT];  /* interned names: compare pointers */
	struct lsr_record rec;
	struct buf t, year, month, day, season, medline; /* scratch */
	struct buf eloc_pages;       /* first non-DOI ELocationID */
	struct buf eloc_doi;         /* first DOI ELocationID */
	struct buf start_page, end_page, vernacular, book_title;
	struct buf issn_linking, medline_ta, article_date;
	struct xmlrec_node *book_authors;     /* Book/AuthorList, used when the chapter has none */
	int have_pgn;                /* MedlinePgn given */
};

#define IS(node, n) ((node)->name == p->nm[N_##n])
#define FOR_CHILDREN(c, node) \
	for (struct xmlrec_node *c = xmlrec_child(node); c; c = xmlrec_sibling(c)) /* NOLINT(bugprone-macro-parentheses): c is the variable the loop declares */

/* Plain text of node into b (reset first). */
static int text(struct pm *p, struct xmlrec_node *node, struct buf *b)
{
	buf_reset(b);
	return xmlrec_text(&p->x, node, b, 0);
}

/* Text of node with inline markup flattened, appended to b. */
static int text_markup(struct pm *p, struct xmlrec_node *node, struct buf *b)
{
	return xmlrec_text(&p->x, node, b, XMLREC_TEXT_MARKUP);
}

static int push_text(struct pm *p, struct xmlrec_node *node, struct strv *sv, unsigned flags)
{
	int rc;

	buf_reset(&p->t);
	if ((rc = xmlrec_text(&p->x, node, &p->t, flags)) < 0)
		return rc;
	return p->t.len ? strv_push(sv, p->t.s) : 0;
}

/* Trim ASCII white space in place; is anything left? */
static int trimmed(struct buf *b)
{
	buf_trim(b);
	return b->len > 0;
}

/* Year, Month, Day, Season, MedlineDate of a date element into the
 * scratch bufs. */
static int read_date(struct pm *p, struct xmlrec_node *date)
{
	int rc = 0;

	buf_reset(&p->year);
	buf_reset(&p->month);
	buf_reset(&p->day);
	buf_reset(&p->season);
	buf_reset(&p->medline);
	FOR_CHILDREN(c, date) {
		if (IS(c, Year))
			rc = text(p, c, &p->year);
		else if (IS(c, Month))
			rc = text(p, c, &p->month);
		else if (IS(c, Day))
			rc = text(p, c, &p->day);
		else if (IS(c, Season))
			rc = text(p, c, &p->season);
		else if (IS(c, MedlineDate))
			rc = text(p, c, &p->medline);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The date in the scratch bufs as one string for tagged_set_date(). */
static int date_string(struct pm *p, struct buf *out)
{
	buf_reset(out);
	if (p->medline.len)
		return buf_add(out, p->medline.s, p->medline.len);
	if (!trimmed(&p->year))
		return 0;
	if (buf_printf(out, "%s", p->year.s) < 0)
		return LSR_ENOMEM;
	if (trimmed(&p->month) && buf_printf(out, " %s", p->month.s) < 0)
		return LSR_ENOMEM;
	if (p->month.len && trimmed(&p->day) && buf_printf(out, " %s", p->day.s) < 0)
		return LSR_ENOMEM;
	return 0;
}

static int pub_date(struct pm *p, struct xmlrec_node *date)
{
	int rc;

	if ((rc = read_date(p, date)) < 0 || (rc = date_string(p, &p->t)) < 0)
		return rc;
	return p->t.len ? tagged_set_date(&p->rec, p->t.s) : 0;
}

static int journal(struct pm *p, struct xmlrec_node *j)
{
	struct lsr_record *r = &p->rec;
	int rc = 0;

	FOR_CHILDREN(c, j) {
		if (IS(c, ISSN)) {
			if (!r->issn.len)
				rc = text(p, c, &r->issn);
		} else if (IS(c, Title)) {
			rc = text(p, c, &r->journal);
		} else if (IS(c, ISOAbbreviation)) {
			rc = text(p, c, &r->journal_abbrev);
		} else if (IS(c, JournalIssue)) {
			FOR_CHILDREN(d, c) {
				if (IS(d, Volume))
					rc = text(p, d, &r->volume);
				else if (IS(d, Issue))
					rc = text(p, d, &r->issue);
				else if (IS(d, PubDate))
					rc = pub_date(p, d);
				if (rc < 0)
					return rc;
			}
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int pagination(struct pm *p, struct xmlrec_node *pg)
{
	int rc = 0;

	FOR_CHILDREN(c, pg) {
		if (IS(c, MedlinePgn)) {
			rc = text(p, c, &p->rec.pages);
			p->have_pgn = p->rec.pages.len > 0;
		} else if (IS(c, StartPage)) {
			rc = text(p, c, &p->start_page);
		} else if (IS(c, EndPage)) {
			rc = text(p, c, &p->end_page);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int elocation(struct pm *p, struct xmlrec_node *e)
{
	const char *type = xmlrec_attr(e, "EIdType");
	const char *valid = xmlrec_attr(e, "ValidYN");
	struct buf *dst;
	int rc;

	if (valid && !strcmp(valid, "N"))
		return 0;
	dst = type && !strcmp(type, "doi") ? &p->eloc_doi : &p->eloc_pages;
	if (dst->len)
		return 0;
	if ((rc = text(p, e, dst)) < 0)
		return rc;
	buf_trim(dst);
	return 0;
}

static int abstract(struct pm *p, struct xmlrec_node *a)
{
	struct buf *ab = &p->rec.abstract;
	int rc;

	FOR_CHILDREN(c, a) {
		const char *label;

		if (!IS(c, AbstractText))
			continue;
		label = xmlrec_attr(c, "Label");
		if (!label || !*label) {
			label = xmlrec_attr(c, "NlmCategory");
			if (label && !strcmp(label, "UNASSIGNED"))
				label = NULL;
		}
		buf_reset(&p->t);
		if ((rc = text_markup(p, c, &p->t)) < 0)
			return rc;
		/* a line per section: line ends inside a section are spaces */
		for (size_t i = 0; i < p->t.len; i++)
			if (p->t.s[i] == '\n' || p->t.s[i] == '\r')
				p->t.s[i] = ' ';
		if (ab->len && buf_addc(ab, '\n') < 0)
			return LSR_ENOMEM;
		if (label && *label && buf_printf(ab, "%s: ", label) < 0)
			return LSR_ENOMEM;
		if (buf_add(ab, p->t.s, p->t.len) < 0)
			return LSR_ENOMEM;
	}
	return 0;
}

static int author_list(struct pm *p, struct xmlrec_node *list)
{
	struct buf *t = &p->t;
	int rc = 0;

	FOR_CHILDREN(a, list) {
		const char *valid = xmlrec_attr(a, "ValidYN");
		struct xmlrec_node *last = NULL, *fore = NULL, *init = NULL, *suffix = NULL, *coll = NULL;

		if (!IS(a, Author) || (valid && !strcmp(valid, "N")))
			continue;
		FOR_CHILDREN(c, a) {
			if (IS(c, LastName))
				last = c;
			else if (IS(c, ForeName))
				fore = c;
			else if (IS(c, Initials))
				init = c;
			else if (IS(c, Suffix))
				suffix = c;
			else if (IS(c, CollectiveName))
				coll = c;
		}
		buf_reset(t);
		if (last) {
			if ((rc = xmlrec_text(&p->x, last, t, 0)) < 0)
				return rc;
			if ((fore || init) && buf_adds(t, ", ") < 0)
				return LSR_ENOMEM;
			if ((fore || init) &&
			    (rc = xmlrec_text(&p->x, fore ? fore : init, t, 0)) < 0)
				return rc;
			if (suffix && (buf_addc(t, ' ') < 0 ||
				       (rc = xmlrec_text(&p->x, suffix, t, 0)) < 0))
				return rc < 0 ? rc : LSR_ENOMEM;
		} else if (coll) {
			if ((rc = xmlrec_text(&p->x, coll, t, XMLREC_TEXT_MARKUP)) < 0)
				return rc;
		}
		if (t->len && (rc = strv_push(&p->rec.authors, t->s)) < 0)
			return rc;
	}
	return 0;
}

/* Trial registries whose numbers DataBankList carries (others, such as
 * GenBank or figshare, are data, not trial registrations). */
static const char *registry_kind(const char *name)
{
	static const struct { const char *name, *kind; } reg[] = {
		{ "ClinicalTrials.gov", "nct" }, { "ISRCTN", "isrctn" },
		{ "ANZCTR", "anzctr" }, { "ChiCTR", "chictr" }, { "CTRI", "ctri" },
		{ "DRKS", "drks" }, { "EudraCT", "eudract" }, { "JPRN", "jprn" },
		{ "NTR", "ntr" }, { "PACTR", "pactr" }, { "ReBec", "rebec" },
		{ "RPCEC", "rpcec" }, { "SLCTR", "slctr" }, { "TCTR", "tctr" },
		{ "IRCT", "irct" }, { "CRiS", "cris" }, { "UMIN-CTR", "umin" },
		{ "CTIS", "ctis" }, { "ITMCTR", "itmctr" }, { "LBCTR", "lbctr" },
	};

	for (size_t i = 0; i < sizeof(reg) / sizeof(reg[0]); i++)
		if (!strcasecmp(name, reg[i].name))
			return reg[i].kind;
	return NULL;
}

static int data_banks(struct pm *p, struct xmlrec_node *list)
{
	int rc;

	FOR_CHILDREN(db, list) {
		const char *kind = NULL;

		if (!IS(db, DataBank))
			continue;
		FOR_CHILDREN(c, db) {
			if (IS(c, DataBankName)) {
				if ((rc = text(p, c, &p->t)) < 0)
					return rc;
				buf_trim(&p->t);
				kind = registry_kind(p->t.s);
			} else if (IS(c, AccessionNumberList) && kind) {
				FOR_CHILDREN(n, c) {
					if (!IS(n, AccessionNumber))
						continue;
					if ((rc = text(p, n, &p->t)) < 0 ||
					    (rc = tagged_add_other_id(&p->rec, kind, p->t.s)) < 0)
						return rc;
				}
			}
		}
	}
	return 0;
}

/* A month as 1..12 from "05", "5" or "May"; 0 when it is neither. */
static int month_num(const char *s)
{
	static const char *const names[] = { "jan", "feb", "mar", "apr", "may", "jun",
					     "jul", "aug", "sep", "oct", "nov", "dec" };
	int v;

	if (isdigit((unsigned char)*s)) {
		v = atoi(s);
		return v >= 1 && v <= 12 ? v : 0;
	}
	for (int i = 0; i < 12; i++)
		if (!strncasecmp(s, names[i], 3))
			return i + 1;
	return 0;
}

/* ArticleDate (the electronic publication date) as ISO 8601. */
static int article_date(struct pm *p, struct xmlrec_node *d)
{
	int rc, y, m, day;

	if (p->article_date.len)
		return 0;
	if ((rc = read_date(p, d)) < 0)
		return rc;
	buf_trim(&p->year);
	y = atoi(p->year.s);
	if (p->year.len != 4 || y < 1000)
		return 0;
	m = month_num(p->month.s);
	day = m ? atoi(p->day.s) : 0;
	if (day >= 1 && day <= 31)
		return buf_printf(&p->article_date, "%04d-%02d-%02d", y, m, day);
	if (m)
		return buf_printf(&p->article_date, "%04d-%02d", y, m);
	return buf_printf(&p->article_date, "%04d", y);
}

/* "kind:value" into other_ids unless it is there already. */
static int other_id(struct pm *p, const char *kind, struct xmlrec_node *node)
{
	struct buf *t = &p->t;
	int rc;

	buf_reset(t);
	if (buf_printf(t, "%s:", kind) < 0)
		return LSR_ENOMEM;
	if ((rc = xmlrec_text(&p->x, node, t, 0)) < 0)
		return rc;
	buf_trim(t);
	if (t->len == strlen(kind) + 1)
		return 0;
	return strv_push_unique(&p->rec.other_ids, t->s);
}

static int article_ids(struct pm *p, struct xmlrec_node *list)
{
	struct lsr_record *r = &p->rec;
	int rc = 0;

	FOR_CHILDREN(c, list) {
		const char *type;

		if (!IS(c, ArticleId))
			continue;
		type = xmlrec_attr(c, "IdType");
		if (!type || !*type || !strcmp(type, "pubmed"))
			continue;
		if (!strcmp(type, "doi")) {
			if (!r->doi.len)
				rc = text(p, c, &r->doi);
		} else if (!strcmp(type, "pmc")) {
			if (!r->pmcid.len)
				rc = text(p, c, &r->pmcid);
		} else if (strcmp(type, "pmcid")) {
			/* "pmcid" is PMC's own "pmc-id: ...;" note: pmc says it */
			rc = other_id(p, type, c);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int keywords(struct pm *p, struct xmlrec_node *list);

/* A book's own part: its title, date, ISBN, volume, authors. */
static int book(struct pm *p, struct xmlrec_node *b)
{
	int rc = 0;

	FOR_CHILDREN(c, b) {
		if (IS(c, BookTitle))
			rc = text_markup(p, c, &p->book_title);
		else if (IS(c, PubDate))
			rc = pub_date(p, c);
		else if (IS(c, Isbn))
			rc = other_id(p, "isbn", c);
		else if (IS(c, Volume))
			rc = text(p, c, &p->rec.volume);
		else if (IS(c, ELocationID))
			rc = elocation(p, c);
		else if (IS(c, AuthorList)) {
			const char *type = xmlrec_attr(c, "Type");

			/* the book's authors count when the chapter has none */
			if ((!type || !strcmp(type, "authors")) && !p->book_authors)
				p->book_authors = c;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Article (journal articles) or BookDocument (books): the parts they
 * share have the same names. */
static int article(struct pm *p, struct xmlrec_node *art)
{
	struct lsr_record *r = &p->rec;
	int rc = 0;

	FOR_CHILDREN(c, art) {
		if (IS(c, Journal)) {
			rc = journal(p, c);
		} else if (IS(c, ArticleTitle)) {
			rc = text_markup(p, c, &r->title);
		} else if (IS(c, VernacularTitle)) {
			rc = text_markup(p, c, &p->vernacular);
		} else if (IS(c, Pagination)) {
			rc = pagination(p, c);
		} else if (IS(c, ELocationID)) {
			rc = elocation(p, c);
		} else if (IS(c, Abstract)) {
			rc = abstract(p, c);
		} else if (IS(c, AuthorList)) {
			const char *type = xmlrec_attr(c, "Type");

			if (!type || !strcmp(type, "authors"))
				rc = author_list(p, c);
		} else if (IS(c, Language)) {
			rc = push_text(p, c, &r->languages, 0);
		} else if (IS(c, DataBankList)) {
			rc = data_banks(p, c);
		} else if (IS(c, PublicationTypeList)) {
			FOR_CHILDREN(t, c)
				if (IS(t, PublicationType) &&
				    (rc = push_text(p, t, &r->publication_types, 0)) < 0)
					return rc;
		} else if (IS(c, PublicationType)) {
			rc = push_text(p, c, &r->publication_types, 0);
		} else if (IS(c, ArticleDate)) {
			rc = article_date(p, c);
		} else if (IS(c, KeywordList)) {
			rc = keywords(p, c);
		} else if (IS(c, ArticleIdList)) {
			rc = article_ids(p, c);
		} else if (IS(c, Book)) {
			rc = book(p, c);
		} else if (IS(c, PMID)) {
			if (!r->pmid.len)
				rc = text(p, c, &r->pmid);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int keywords(struct pm *p, struct xmlrec_node *list)
{
	int rc;

	FOR_CHILDREN(k, list)
		if (IS(k, Keyword) &&
		    (rc = push_text(p, k, &p->rec.keywords, XMLREC_TEXT_MARKUP)) < 0)
			return rc;
	return 0;
}

static int comments_corrections(struct pm *p, struct xmlrec_node *list)
{
	int rc;

	FOR_CHILDREN(c, list) {
		const char *type = xmlrec_attr(c, "RefType");

		if (!IS(c, CommentsCorrections) || !type || !*type || !strcmp(type, "Cites"))
			continue;
		FOR_CHILDREN(id, c) {
			if (!IS(id, PMID))
				continue;
			buf_reset(&p->t);
			if (buf_printf(&p->t, "%s ", type) < 0)
				return LSR_ENOMEM;
			if ((rc = xmlrec_text(&p->x, id, &p->t, 0)) < 0)
				return rc;
			buf_trim(&p->t);
			if ((rc = strv_push_unique(&p->rec.relations, p->t.s)) < 0)
				return rc;
		}
	}
	return 0;
}

static int medline_citation(struct pm *p, struct xmlrec_node *mc)
{
	struct lsr_record *r = &p->rec;
	int rc = 0;

	FOR_CHILDREN(c, mc) {
		if (IS(c, PMID)) {
			if (!r->pmid.len)
				rc = text(p, c, &r->pmid);
		} else if (IS(c, Article)) {
			rc = article(p, c);
		} else if (IS(c, MedlineJournalInfo)) {
			FOR_CHILDREN(d, c) {
				if (IS(d, MedlineTA))
					rc = text(p, d, &p->medline_ta);
				else if (IS(d, ISSNLinking))
					rc = text(p, d, &p->issn_linking);
				if (rc < 0)
					return rc;
			}
		} else if (IS(c, MeshHeadingList)) {
			FOR_CHILDREN(h, c) {
				if (!IS(h, MeshHeading))
					continue;
				FOR_CHILDREN(d, h)
					if (IS(d, DescriptorName) &&
					    (rc = push_text(p, d, &r->mesh, 0)) < 0)
						return rc;
			}
		} else if (IS(c, KeywordList)) {
			rc = keywords(p, c);
		} else if (IS(c, CommentsCorrectionsList)) {
			rc = comments_corrections(p, c);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int not_available(const struct buf *t)
{
	return !strncasecmp(t->s, "[Not Available]", 15) &&
	       (t->len == 15 || (t->len == 16 && t->s[15] == '.'));
}

/* Fill p->rec from a PubmedArticle or PubmedBookArticle. */
static int parse_record(struct pm *p, struct xmlrec_node *node, int is_book)
{
	struct lsr_record *r = &p->rec;
	int rc = 0;

	FOR_CHILDREN(c, node) {
		if (IS(c, MedlineCitation))
			rc = medline_citation(p, c);
		else if (IS(c, BookDocument))
			rc = article(p, c);
		else if (IS(c, PubmedData) || IS(c, PubmedBookData))
			FOR_CHILDREN(d, c)
				if (IS(d, ArticleIdList) && (rc = article_ids(p, d)) < 0)
					return rc;
		if (rc < 0)
			return rc;
	}
	buf_trim(&r->pmid);
	if (!r->pmid.len)
		return xmlrec_fail(&p->x, r->line, "expected a <PMID> in <%s> of this <%s>",
				   is_book ? "BookDocument" : "MedlineCitation",
				   is_book ? "PubmedBookArticle" : "PubmedArticle");
	if ((rc = buf_add(&r->source_id, r->pmid.s, r->pmid.len)) < 0 ||
	    (rc = buf_adds(&r->ref_type, is_book ? "PubmedBookArticle" : "PubmedArticle")) < 0)
		return rc;
	/* the title: English, else the book's, else the vernacular one */
	buf_trim(&r->title);
	if (not_available(&r->title))
		buf_reset(&r->title);
	if (is_book && p->book_title.len) {
		if (r->title.len)
			rc = buf_add(&r->journal, p->book_title.s, p->book_title.len);
		else
			rc = buf_add(&r->title, p->book_title.s, p->book_title.len);
		if (rc < 0)
			return rc;
	}
	if (!r->title.len && p->vernacular.len &&
	    (rc = buf_add(&r->title, p->vernacular.s, p->vernacular.len)) < 0)
		return rc;
	if (!r->authors.n && p->book_authors && (rc = author_list(p, p->book_authors)) < 0)
		return rc;
	if (!r->journal_abbrev.len && p->medline_ta.len &&
	    (rc = buf_add(&r->journal_abbrev, p->medline_ta.s, p->medline_ta.len)) < 0)
		return rc;
	if (!r->issn.len && p->issn_linking.len &&
	    (rc = buf_add(&r->issn, p->issn_linking.s, p->issn_linking.len)) < 0)
		return rc;
	if (!p->have_pgn) {
		if (trimmed(&p->start_page) || trimmed(&p->end_page))
			rc = tagged_set_pages(r, p->start_page.s, p->end_page.s);
		else if (p->eloc_pages.len)
			rc = buf_add(&r->pages, p->eloc_pages.s, p->eloc_pages.len);
		if (rc < 0)
			return rc;
	}
	if (!r->doi.len && p->eloc_doi.len &&
	    (rc = buf_add(&r->doi, p->eloc_doi.s, p->eloc_doi.len)) < 0)
		return rc;
	/* the electronic date when the issue date has no year, or less of
	 * the same date */
	if (p->article_date.len) {
		if (!r->year)
			return tagged_set_date(r, p->article_date.s);
		if (p->article_date.len > r->pub_date.len &&
		    !strncmp(p->article_date.s, r->pub_date.s, r->pub_date.len)) {
			buf_reset(&r->pub_date);
			return buf_add(&r->pub_date, p->article_date.s, p->article_date.len);
		}
	}
	return 0;
}

#define PM_SCRATCH(X) X(t) X(year) X(month) X(day) X(season) X(medline) \
	X(eloc_pages) X(eloc_doi) X(start_page) X(end_page) X(vernacular) \
	X(book_title) X(issn_linking) X(medline_ta) X(article_date)

static void pm_reset(struct pm *p)
{
#define RESET(f) buf_reset(&p->f);
	PM_SCRATCH(RESET)
#undef RESET
	record_reset(&p->rec);
	p->have_pgn = 0;
	p->book_authors = NULL;
}

static void pm_release(struct pm *p)
{
#define REL(f) buf_release(&p->f);
	PM_SCRATCH(REL)
#undef REL
	record_release(&p->rec);
}

static int one_record(struct pm *p, const struct xmlrec_ev *ev, record_sink_fn sink,
		      void *payload)
{
	int rc;

	pm_reset(p);
	if ((rc = xmlrec_record(&p->x, ev, &p->rec)) < 0 ||
	    (rc = parse_record(p, ev->node, ev->name == p->nm[N_PubmedBookArticle])) < 0)
		return rc;
	return sink(&p->rec, payload);
}

/* A DeleteCitation: one deletion notice per PMID. */
static int deletions(struct pm *p, struct xmlrec_node *node, record_sink_fn sink, void *payload)
{
	int rc;

	FOR_CHILDREN(c, node) {
		if (!IS(c, PMID))
			continue;
		pm_reset(p);
		if ((rc = text(p, c, &p->rec.source_id)) < 0)
			return rc;
		buf_trim(&p->rec.source_id);
		if (!p->rec.source_id.len)
			continue;
		p->rec.deleted = 1;
		p->rec.line = xmlrec_line(&p->x, c);
		if ((rc = sink(&p->rec, payload)) < 0)
			return rc;
	}
	return 0;
}

/* One event of the document (see xmlrec.h): the root, a record. */
static int pm_event(struct pm *p, const struct xmlrec_ev *ev, record_sink_fn sink, void *payload)
{
	const xmlChar *name = ev->name;

	switch (ev->type) {
	case XMLREC_START:
		if (ev->depth == 0 && name != p->nm[N_PubmedArticleSet] &&
		    name != p->nm[N_PubmedBookArticleSet])
			return xmlrec_fail(&p->x, ev->line,
					   "expected <PubmedArticleSet> as the root element, found <%s>",
					   (const char *)name);
		if (ev->depth == 1 && name != p->nm[N_PubmedArticle] &&
		    name != p->nm[N_PubmedBookArticle] && name != p->nm[N_DeleteCitation])
			return xmlrec_fail(&p->x, ev->line,
					   "expected <PubmedArticle>, <PubmedBookArticle> or <DeleteCitation>, found <%s>",
					   (const char *)name);
		return 0;
	case XMLREC_ELEMENT:
		if (name == p->nm[N_DeleteCitation])
			return deletions(p, ev->node, sink, payload);
		return one_record(p, ev, sink, payload);
	case XMLREC_TEXT:
		return xmlrec_fail(&p->x, ev->line,
				   "expected <PubmedArticle>, <PubmedBookArticle> or <DeleteCitation>, found text");
	default:
		return xmlrec_fail(&p->x, ev->line,
				   "expected <PubmedArticle>, found the entity reference '&%s;'",
				   (const char *)name);
	}
}

int fetch_parse_pubmed_xml(struct fetch_input *in, const struct fetch_parse_opts *o,
			   record_sink_fn sink, void *payload)
{
	static const char *const records[] = { "PubmedArticle", "PubmedBookArticle", NULL };
	struct xmlrec_ev ev;
	struct pm p;
	int rc;

	(void)o;
	memset(&p, 0, sizeof(p));
	record_init(&p.rec);
#define INIT(f) buf_init(&p.f, 0);
	PM_SCRATCH(INIT)
#undef INIT
	if ((rc = xmlrec_open(&p.x, in, records, 1)) < 0)
		goto out;
	if ((rc = xmlrec_intern(&p.x, pm_name_str, p.nm, N_COUNT)) < 0)
		goto out;
	while ((rc = xmlrec_next(&p.x, &ev)) == 1)
		if ((rc = pm_event(&p, &ev, sink, payload)) < 0)
			break;
out:
	xmlrec_close(&p.x);
	pm_release(&p);
	return rc < 0 ? rc : 0;
}
