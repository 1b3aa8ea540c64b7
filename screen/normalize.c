/*
 * normalize.c - text as deduplication compares it: titles, DOIs, pages,
 * journal names, author surnames, and the kind of a publication (see
 * screen.h).
 *
 * Unicode work is utf8proc's: case folding (UTF8PROC_CASEFOLD), accent
 * stripping by compatibility decomposition (UTF8PROC_COMPAT |
 * UTF8PROC_STRIPMARK).  Plain ASCII, the common case, takes a fast path that
 * gives the same result.
 */
#include "screen_int.h"
#include "../util/err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* Greek small letters (after case folding) spelt out: "α-tocopherol" and
 * "alpha-tocopherol" agree. */
static const char *const greek[] = {
	"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
	"iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho",
	"sigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
};

/* Letters that decomposition leaves alone but readers treat as Latin. */
static const char *latin_extra(int32_t cp)
{
	switch (cp) {
	case 0xE6: return "ae";  /* æ */
	case 0xF8: return "o";   /* ø */
	case 0x153: return "oe"; /* œ */
	case 0x142: return "l";  /* ł */
	case 0x111:              /* đ */
	case 0xF0: return "d";   /* ð */
	case 0xFE: return "th";  /* þ */
	case 0x131: return "i";  /* dotless i */
	case 0xDF: return "ss";  /* ß (case folding already does this) */
	case 0xB5: return "mu";  /* micro sign */
	default: return NULL;
	}
}

static int add_space(struct buf *out)
{
	if (out->len && out->s[out->len - 1] != ' ')
		return buf_addc(out, ' ');
	return 0;
}

/* Length of an HTML/XML tag at s ("<i>", "</sup>", "<span class=x>"), 0 if
 * s does not start one. */
static size_t tag_len(const char *s, size_t n)
{
	size_t i = 1, name = 0;

	if (n < 3 || s[0] != '<')
		return 0;
	if (s[i] == '/')
		i++;
	while (i < n && isalpha((unsigned char)s[i]) && name < 10)
		i++, name++;
	if (!name)
		return 0;
	while (i < n && i < 80 && s[i] != '>' && s[i] != '<')
		i++;
	return i < n && s[i] == '>' ? i + 1 : 0;
}

/* An HTML entity at s: its length, and the character it stands for in *c
 * (0 for one that is dropped). */
static size_t entity_len(const char *s, size_t n, char *c)
{
	static const struct { const char *name; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", 0 }, { "&gt;", 0 }, { "&quot;", 0 },
		{ "&apos;", 0 }, { "&nbsp;", ' ' }, { "&#39;", 0 }, { "&#x27;", 0 },
	};

	for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		size_t l = strlen(ents[i].name);

		if (l <= n && !strncasecmp(s, ents[i].name, l)) {
			*c = ents[i].c;
			return l;
		}
	}
	return 0;
}

/* One code point of folded, decomposed text into out. */
static int add_cp(struct buf *out, int32_t cp)
{
	const char *rep;

	if (cp < 0x80) {
		if (isalnum(cp))
			return buf_addc(out, (char)tolower(cp));
		if (cp == '&')
			return (add_space(out) < 0 || buf_adds(out, "and ") < 0) ? LSR_ENOMEM : 0;
		return add_space(out);
	}
	if (cp >= 0x3B1 && cp <= 0x3C9)
		return buf_adds(out, greek[cp - 0x3B1]);
	if ((rep = latin_extra(cp)))
		return buf_adds(out, rep);
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: {
		utf8proc_uint8_t tmp[4];
		utf8proc_ssize_t l = utf8proc_encode_char(cp, tmp);

		return buf_add(out, tmp, (size_t)l);
	}
	default:
		return add_space(out);
	}
}

/* Plain ASCII, the common case: the same result as add_cp() byte by byte,
 * written straight into out (which has room for it). */
static void norm_ascii(struct buf *out, const char *s, size_t n)
{
	char *o = out->s + out->len;
	int space = out->len == 0 || o[-1] == ' ';

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			*o++ = (char)c;
			space = 0;
		} else if (c >= 'A' && c <= 'Z') {
			*o++ = (char)(c + 32);
			space = 0;
		} else if (c == '&') {
			if (!space)
				*o++ = ' ';
			memcpy(o, "and ", 4);
			o += 4;
			space = 1;
		} else if (!space) {
			*o++ = ' ';
			space = 1;
		}
	}
	*o = '\0';
	out->len = (size_t)(o - out->s); /* buf_grow made the room */
}

int screen_norm_text(struct buf *out, const char *s, size_t n)
{
	struct buf pre = BUF_INIT;
	const char *src = s;
	size_t i, len = n;
	int ascii = 1, rc = 0;

	buf_reset(out);
	if (!s || !n)
		return 0;
	/* pass 1, when there are any: tags and entities out */
	if (memchr(s, '<', n) || memchr(s, '&', n)) {
		for (i = 0; i < n && rc == 0;) {
			size_t l;
			char c;

			if (s[i] == '<' && (l = tag_len(s + i, n - i))) {
				rc = buf_addc(&pre, ' ');
				i += l;
			} else if (s[i] == '&' && (l = entity_len(s + i, n - i, &c))) {
				rc = buf_addc(&pre, (char)(c ? c : ' '));
				i += l;
			} else {
				rc = buf_addc(&pre, s[i]);
				i++;
			}
		}
		if (rc < 0)
			goto out;
		src = pre.s;
		len = pre.len;
	}
	for (i = 0; i < len && ascii; i++)
		ascii = !((unsigned char)src[i] & 0x80);
	if (ascii) {
		/* at most 4 bytes out per byte in ("&" -> " and ") */
		if ((rc = buf_grow(out, len * 4 + 1)) < 0)
			goto out;
		norm_ascii(out, src, len);
	} else {
		utf8proc_uint8_t *m = NULL;
		utf8proc_ssize_t ml = utf8proc_map((const utf8proc_uint8_t *)src,
						   (utf8proc_ssize_t)len, &m,
						   UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
							   UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
							   UTF8PROC_IGNORE | UTF8PROC_STRIPCC);
		utf8proc_ssize_t p = 0;

		if (ml < 0) {
			rc = lsr_error_set(LSR_ERROR, "cannot normalise text: %s",
					   utf8proc_errmsg(ml));
			goto out;
		}
		while (p < ml && rc == 0) {
			int32_t cp;
			utf8proc_ssize_t l = utf8proc_iterate(m + p, ml - p, &cp);

			if (l <= 0)
				break;
			p += l;
			rc = add_cp(out, cp);
		}
		free(m);
	}
	if (rc == 0 && out->len && out->s[out->len - 1] == ' ')
		buf_setlen(out, out->len - 1);
out:
	buf_release(&pre);
	return rc < 0 ? LSR_ENOMEM : 0;
}

/* Does the bracketed note at the end of a title look like a database's
 * annotation rather than part of the title? */
static int is_title_note(const char *s, size_t n)
{
	static const char *const notes[] = {
		"review", "see comment", "see comments", "published erratum", "erratum",
		"comment", "letter", "editorial", "author's transl", "authors' transl",
		"author transl", "retracted", "news", "corrected", "abstract",
		"original title",
	};

	while (n && (*s == ' '))
		s++, n--;
	/* Ovid's "[33 refs]" */
	{
		size_t d = 0;

		while (d < n && isdigit((unsigned char)s[d]))
			d++;
		if (d && n - d == 5 && !strncasecmp(s + d, " refs", 5))
			return 1;
	}
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		size_t l = strlen(notes[i]);

		if (n >= l && !strncasecmp(s, notes[i], l))
			return 1;
	}
	return 0;
}

/* Ovid's notes on an article ("[Erratum appears in ...]", "[Comment in
 * ...]") and an original-language title appended after "<ORIGINAL>": the
 * title's length without them, even when they are truncated. */
static size_t cut_notes(const char *s, size_t n)
{
	static const char *const marks[] = {
		"[Erratum appears in", "[Comment in", "[Comment on", "[Retraction in",
		"[Corrected and republished", "[Published erratum", "[Update in", "[Update of",
	};

	const char *orig = strcasestr(s, "<ORIGINAL>");

	/* Embase's "English title <ORIGINAL> TITRE ORIGINAL": the first part */
	if (orig && orig - s >= 20 && (size_t)(orig - s) < n)
		n = (size_t)(orig - s);
	if (!memchr(s, '[', n))
		return n;
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *m = strcasestr(s, marks[i]);

		if (m && m - s >= 20 && (size_t)(m - s) < n)
			n = (size_t)(m - s);
	}
	return n;
}

/* "vol 142, pg 310, 2003" (Web of Science's mark of a correction) or
 * "The Journal of Pediatrics (2003) 142 (310-316)" (Embase's): the
 * citation of the article a correction corrects. */
static int is_citation_note(const char *s, size_t n)
{
	size_t digits = 0;

	if (n >= 4 && !strncasecmp(s, "vol ", 4)) {
		for (size_t i = 0; i < n; i++)
			if (!strncasecmp(s + i, "pg ", 3))
				return 1;
	}
	/* "... (YYYY) N (...)": a year in parentheses followed by numbers */
	for (size_t i = 0; i + 6 <= n; i++) {
		if (s[i] == '(' && isdigit((unsigned char)s[i + 1]) && isdigit((unsigned char)s[i + 2]) &&
		    isdigit((unsigned char)s[i + 3]) && isdigit((unsigned char)s[i + 4]) && s[i + 5] == ')') {
			for (size_t k = i + 6; k < n; k++)
				digits += isdigit((unsigned char)s[k]) != 0;
			return digits > 0;
		}
	}
	return 0;
}

/* "[Spanish]", "[Article in German]" style one-word notes */
static int one_word(const char *s, size_t n)
{
	if (n < 3 || n > 30 || !isupper((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			return 0;
	return 1;
}

int screen_norm_title(struct buf *out, const char *s)
{
	size_t n, start = 0;

	buf_reset(out);
	if (!s)
		return 0;
	n = strlen(s);
	n = cut_notes(s, n);
	/* trailing "." and database notes: "[Review]", "(author's transl)" */
	for (;;) {
		while (n && (s[n - 1] == ' ' || s[n - 1] == '.'))
			n--;
		if (n > 2 && (s[n - 1] == ']' || s[n - 1] == ')')) {
			char open = s[n - 1] == ']' ? '[' : '(', close = s[n - 1];
			size_t o = n - 1;
			int depth = 0;

			/* the matching opening bracket */
			for (;;) {
				if (s[o] == close)
					depth++;
				else if (s[o] == open && --depth == 0)
					break;
				if (!o)
					break;
				o--;
			}
			if (depth == 0 && o >= 20 && n - o < 200 &&
			    (is_title_note(s + o + 1, n - o - 2) || is_citation_note(s + o + 1, n - o - 2) ||
			     (close == ']' && one_word(s + o + 1, n - o - 2)))) {
				n = o;
				continue;
			}
		}
		break;
	}
	/* "Retracted: Title" and "RETRACTED ARTICLE: Title" are the article */
	if (!strncasecmp(s, "retracted article:", 18))
		start = 18;
	else if (!strncasecmp(s, "retracted:", 10))
		start = 10;
	return screen_norm_text(out, s + start, n > start ? n - start : 0);
}

int screen_title_fingerprint(struct buf *out, const char *s)
{
	size_t o = 0;
	int rc = screen_norm_title(out, s);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < out->len; i++)
		if (out->s[i] != ' ')
			out->s[o++] = out->s[i];
	buf_setlen(out, o);
	return 0;
}

int screen_norm_doi(struct buf *out, const char *s)
{
	static const char *const prefixes[] = {
		"https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
		"http://dx.doi.org/", "doi.org/", "dx.doi.org/", "doi:", "doi ",
	};
	const char *p, *e;
	int again = 1;

	buf_reset(out);
	if (!s)
		return 0;
	p = s;
	while (*p == ' ')
		p++;
	while (again) {
		again = 0;
		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
			size_t l = strlen(prefixes[i]);

			if (!strncasecmp(p, prefixes[i], l)) {
				p += l;
				while (*p == ' ')
					p++;
				again = 1;
			}
		}
	}
	if (strncmp(p, "10.", 3))
		return 0;
	e = p;
	while (*e && !isspace((unsigned char)*e))
		e++;
	while (e > p && strchr(".,;:)]}'\"", e[-1]))
		e--;
	for (; p < e; p++) {
		int c = (unsigned char)*p;

		/* URL-encoded ("%28" for "(") as some databases write it */
		if (c == '%' && e - p >= 3 && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hex[3] = { p[1], p[2], 0 };

			c = (int)strtol(hex, NULL, 16);
			p += 2;
		}
		if (buf_addc(out, (char)tolower(c)) < 0)
			return LSR_ENOMEM;
	}
	return 0;
}

/* One page token at *p: letters (prefix), digits, letters (suffix). */
struct page_tok {
	char pre[8];
	char num[16];
	int has;
};

static const char *page_token(const char *p, struct page_tok *t)
{
	size_t np = 0, nn = 0;

	memset(t, 0, sizeof(*t));
	while (*p == ' ')
		p++;
	while (isalpha((unsigned char)*p) && np < sizeof(t->pre) - 1)
		t->pre[np++] = (char)tolower((unsigned char)*p++);
	while (*p == ' ' && np)
		p++;
	while (*p == '0' && isdigit((unsigned char)p[1]))
		p++;
	while (isdigit((unsigned char)*p) && nn < sizeof(t->num) - 1)
		t->num[nn++] = *p++;
	while (isdigit((unsigned char)*p))
		p++;
	t->has = nn > 0;
	/* a letter suffix (123a) is kept with the number */
	if (t->has && isalpha((unsigned char)*p) && !isalpha((unsigned char)p[1]) && nn < sizeof(t->num) - 1)
		t->num[nn++] = (char)tolower((unsigned char)*p++);
	return p;
}

/* After a number: "p", "pp", "pages" or "leaves" and nothing more ("215 p.",
 * "xii+215 pp"): the number counts the pages of a book or thesis. */
static int page_count(const char *p)
{
	static const char *const units[] = { "pp", "p", "pages", "leaves" };

	while (*p == ' ')
		p++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t l = strlen(units[i]);

		if (!strncasecmp(p, units[i], l) && !isalpha((unsigned char)p[l])) {
			p += l;
			while (*p == '.' || *p == ' ')
				p++;
			return !*p;
		}
	}
	return 0;
}

int screen_norm_pages(struct buf *out, const char *s)
{
	struct page_tok a, b;
	const char *p;

	buf_reset(out);
	if (!s)
		return 0;
	p = s;
	while (*p == ' ')
		p++;
	/* "pp. 12-14", "p. 12" */
	if (!strncasecmp(p, "pp", 2) && (p[2] == '.' || p[2] == ' '))
		p += 3;
	else if ((*p == 'p' || *p == 'P') && (p[1] == '.' || p[1] == ' '))
		p += 2;
	p = page_token(p, &a);
	if (!a.has)
		return 0;
	while (*p == ' ')
		p++;
	memset(&b, 0, sizeof(b));
	if (page_count(p))
		return 0;
	if (*p == '-' || !strncmp(p, "\xe2\x80\x93", 3) || !strncmp(p, "\xe2\x80\x94", 3) ||
	    !strncasecmp(p, "to ", 3)) {
		p += (*p == '-') ? 1 : 3; /* a dash in UTF-8, or "to ", is 3 bytes */
		while (*p == '-')
			p++;
		page_token(p, &b);
	}
	if (buf_printf(out, "%s%s", a.pre, a.num) < 0)
		return LSR_ENOMEM;
	if (b.has) {
		char end[32];
		size_t la = strlen(a.num), lb = strlen(b.num);

		/* "112-20" -> "112-120": the end borrows the start's leading digits */
		if (lb < la && isdigit((unsigned char)b.num[0]))
			snprintf(end, sizeof(end), "%.*s%s", (int)(la - lb), a.num, b.num);
		else
			snprintf(end, sizeof(end), "%s", b.num);
		if (strcmp(end, a.num) &&
		    buf_printf(out, "-%s%s", b.pre[0] ? b.pre : a.pre, end) < 0)
			return LSR_ENOMEM;
	}
	return 0;
}

size_t screen_pages_first(const char *norm, size_t len)
{
	const char *d = memchr(norm, '-', len);

	return d ? (size_t)(d - norm) : len;
}

static int all_upper_initials(const char *w, size_t n)
{
	size_t letters = 0;

	for (size_t i = 0; i < n; i++) {
		if (w[i] == '.' || w[i] == '-')
			continue;
		if (!isupper((unsigned char)w[i]))
			return 0;
		letters++;
	}
	return letters > 0 && letters <= 3;
}

/* The words of a name from s to e (at most 32): starts and lengths. */
static size_t name_words(const char *s, const char *e, const char **w, size_t *wl)
{
	size_t nw = 0;

	while (s < e && nw < 32) {
		while (s < e && *s == ' ')
			s++;
		if (s >= e)
			break;
		w[nw] = s;
		while (s < e && *s != ' ')
			s++;
		wl[nw] = (size_t)(s - w[nw]);
		nw++;
	}
	return nw;
}

int screen_norm_surname(struct buf *out, const char *author)
{
	const char *comma, *s = author, *e;
	struct buf tmp = BUF_INIT;
	size_t o = 0;
	int rc;

	buf_reset(out);
	if (!author)
		return 0;
	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && e[-1] == ' ')
		e--;
	comma = memchr(s, ',', (size_t)(e - s));
	if (comma) {
		e = comma;
	} else {
		/* split into words */
		const char *w[32];
		size_t wl[32], nw = name_words(s, e, w, wl);

		if (nw >= 2 && all_upper_initials(w[nw - 1], wl[nw - 1])) {
			/* "Surname GI", "van der Berg J" */
			e = w[nw - 1];
		} else if (nw >= 2) {
			/* "Given Surname", "J. Smith", "J Smith": the last word,
			 * with particles before it ("Ludwig van Beethoven") */
			size_t k = nw - 1;

			while (k > 1 && (wl[k - 1] <= 3) && islower((unsigned char)*w[k - 1]))
				k--;
			s = w[k];
		}
	}
	if ((rc = screen_norm_text(&tmp, s, (size_t)(e - s))) < 0) {
		buf_release(&tmp);
		return rc;
	}
	for (size_t i = 0; i < tmp.len; i++)
		if (tmp.s[i] != ' ')
			tmp.s[o++] = tmp.s[i];
	buf_setlen(&tmp, o);
	rc = buf_add(out, tmp.s, tmp.len);
	buf_release(&tmp);
	return rc < 0 ? LSR_ENOMEM : 0;
}

int screen_norm_given(struct buf *out, const char *author)
{
	const char *s = author, *e, *comma, *g = NULL, *ge;
	const char *w[32];
	size_t wl[32], nw = 0;
	int initial;

	buf_reset(out);
	if (!author)
		return 0;
	e = s + strlen(s);
	comma = strchr(s, ',');
	if (comma) {
		/* "Surname, Given Middle" */
		g = comma + 1;
		while (*g == ' ')
			g++;
	} else {
		nw = name_words(s, e, w, wl);
		if (nw < 2)
			return 0;
		/* "Surname GI", else "Given Surname" */
		g = all_upper_initials(w[nw - 1], wl[nw - 1]) ? w[nw - 1] : w[0];
	}
	ge = g;
	while (*ge && *ge != ' ')
		ge++;
	if (ge == g)
		return 0;
	/* "J.", "J.R.", "JR", "J": initials */
	initial = memchr(g, '.', (size_t)(ge - g)) || all_upper_initials(g, (size_t)(ge - g)) ||
		  ge - g == 1;
	if (screen_norm_text(out, g, (size_t)(ge - g)) < 0)
		return LSR_ENOMEM;
	if (initial && out->len > 1)
		buf_setlen(out, 1);
	else {
		size_t o = 0;

		for (size_t i = 0; i < out->len; i++)
			if (out->s[i] != ' ')
				out->s[o++] = out->s[i];
		buf_setlen(out, o);
	}
	return 0;
}

/* Words a journal abbreviation leaves out (ISO 4 drops articles,
 * prepositions and conjunctions). */
static int stop_word(const char *w, size_t n)
{
	static const char *const stops[] = {
		"the", "of", "and", "for", "in", "on", "a", "an", "de", "la", "le",
		"des", "du", "der", "die", "und", "fur", "et", "y", "del", "di",
		"e", "d", "l",
	};

	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		if (strlen(stops[i]) == n && !strncmp(stops[i], w, n))
			return 1;
	return 0;
}

/* Is abbreviated word a (length na) an abbreviation of word w (length nw):
 * same first letter and its letters in order within w ("natl" of
 * "national", "assoc" of "association")? */
static int abbrev_word(const char *a, size_t na, const char *w, size_t nw)
{
	size_t j = 0;

	if (!na || !nw || a[0] != w[0] || na > nw)
		return 0;
	for (size_t i = 0; i < na; i++) {
		while (j < nw && w[j] != a[i])
			j++;
		if (j == nw)
			return 0;
		j++;
	}
	return 1;
}

struct words {
	const char *w[48];
	size_t n[48];
	size_t count;
};

static void split_words(const char *s, struct words *ws)
{
	ws->count = 0;
	while (*s && ws->count < 48) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		ws->w[ws->count] = s;
		while (*s && *s != ' ')
			s++;
		ws->n[ws->count] = (size_t)(s - ws->w[ws->count]);
		ws->count++;
	}
}

/* Is a (fewer or shorter words) an abbreviation of b? */
static int abbrev_of(const struct words *a, const struct words *b)
{
	size_t i = 0, j = 0;

	/* initials: "bmj" for "british medical journal" */
	if (a->count == 1 && a->n[0] >= 2 && a->n[0] <= 6 && b->count >= 2) {
		size_t k = 0, ok = 1;

		for (j = 0; j < b->count && ok; j++) {
			if (stop_word(b->w[j], b->n[j]))
				continue;
			if (k >= a->n[0] || b->w[j][0] != a->w[0][k])
				ok = 0;
			k++;
		}
		if (ok && k == a->n[0])
			return 1;
		j = 0;
	}
	while (i < a->count && j < b->count) {
		if (abbrev_word(a->w[i], a->n[i], b->w[j], b->n[j])) {
			i++, j++;
		} else if (stop_word(b->w[j], b->n[j])) {
			j++;
		} else if (stop_word(a->w[i], a->n[i])) {
			i++;
		} else {
			return 0;
		}
	}
	while (j < b->count && stop_word(b->w[j], b->n[j]))
		j++;
	return i == a->count && j == b->count;
}

/* A word that says nothing of which venue: ordinals, numbers, "annual". */
static int filler_word(const char *w, size_t n)
{
	static const char *const fill[] = {
		"annual", "proceedings", "proc", "first", "second", "third", "fourth",
		"fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "vols",
	};

	if (stop_word(w, n))
		return 1;
	if (n && w[0] >= '0' && w[0] <= '9')
		return 1; /* 2015, 25th, 50th */
	for (size_t i = 0; i < sizeof(fill) / sizeof(fill[0]); i++)
		if (strlen(fill[i]) == n && !strncmp(fill[i], w, n))
			return 1;
	return 0;
}

/* Is the first word of a (3 to 6 letters) the initials of b's content
 * words (at least three)? */
static int acronym_of(const struct words *a, const struct words *b)
{
	size_t k = 0, n;

	if (!a->count || a->n[0] < 3 || a->n[0] > 6)
		return 0;
	n = a->n[0];
	for (size_t j = 0; j < b->count; j++) {
		if (filler_word(b->w[j], b->n[j]))
			continue;
		if (k >= n || b->w[j][0] != a->w[0][k])
			return 0;
		k++;
	}
	return k == n;
}

/* Are the content words of a (at least two) all words of b? */
static int content_subset(const struct words *a, const struct words *b)
{
	size_t content = 0;

	for (size_t i = 0; i < a->count; i++) {
		size_t j;

		if (filler_word(a->w[i], a->n[i]))
			continue;
		content++;
		for (j = 0; j < b->count; j++)
			if (a->n[i] == b->n[j] && !memcmp(a->w[i], b->w[j], a->n[i]))
				break;
		if (j == b->count)
			return 0;
	}
	return content >= 2;
}

int screen_journal_match(const char *a, const char *b)
{
	struct words wa, wb;

	if (!a || !b || !*a || !*b)
		return 0;
	if (!strcmp(a, b))
		return 2;
	split_words(a, &wa);
	split_words(b, &wb);
	if (abbrev_of(&wa, &wb) || abbrev_of(&wb, &wa))
		return 1;
	/* an acronym first ("ICIS: Transforming Society with Digital
	 * Innovation") for the other's initials ("International Conference on
	 * Information Systems") */
	if (acronym_of(&wa, &wb) || acronym_of(&wb, &wa))
		return 1;
	/* conference names: the content words of one all in the other
	 * ("Americas Conference on Information Systems" and "25th Americas
	 * Conference on Information Systems AMCIS") */
	if (content_subset(&wa, &wb) || content_subset(&wb, &wa))
		return 1;
	/* one name is the start of the other ("nephron" and "nephron
	 * clinical practice"), or written without spaces ("jthoraccardiovascsurg") */
	{
		const struct words *sh = wa.count <= wb.count ? &wa : &wb;
		const struct words *lo = sh == &wa ? &wb : &wa;
		size_t i;

		for (i = 0; i < sh->count; i++)
			if (sh->n[i] != lo->n[i] || memcmp(sh->w[i], lo->w[i], sh->n[i]))
				break;
		if (i == sh->count)
			return 1;
		if (sh->count == 1 && sh->n[0] >= 6) {
			char ca[256], cb[256];
			size_t la = 0, lb = 0;

			for (const char *p = a; *p && la < sizeof(ca) - 1; p++)
				if (*p != ' ')
					ca[la++] = *p;
			for (const char *p = b; *p && lb < sizeof(cb) - 1; p++)
				if (*p != ' ')
					cb[lb++] = *p;
			if (la < lb ? abbrev_word(ca, la, cb, lb) : abbrev_word(cb, lb, ca, la))
				return 1;
		}
	}
	return 0;
}

const char *screen_kind_name(enum screen_kind k)
{
	switch (k) {
	case SCREEN_KIND_ARTICLE: return "article";
	case SCREEN_KIND_ERRATUM: return "erratum";
	case SCREEN_KIND_RETRACTION: return "retraction";
	case SCREEN_KIND_COMMENT: return "comment";
	case SCREEN_KIND_ABSTRACT: return "conference-abstract";
	}
	return "article";
}

static int starts_word(const char *s, const char *w)
{
	size_t l = strlen(w);

	return !strncmp(s, w, l) && (s[l] == ' ' || s[l] == '\0');
}

enum screen_kind screen_record_kind(const char *title, const char *ref_type,
				    const char *pubtypes)
{
	static const char *const erratum[] = {
		"erratum", "errata", "corrigendum", "corrigenda", "correction",
		"author correction", "publisher correction", "correction notice",
		"notice of correction", "editorial correction",
	};
	static const char *const retraction[] = {
		"retraction", "retraction note", "retraction notice", "notice of retraction",
		"withdrawal notice", "expression of concern", "notice of concern",
	};
	static const char *const comment[] = {
		"comment on", "comments on", "commentary on", "re", "reply", "in reply",
		"reply to", "authors reply", "author reply", "the authors reply",
		"author s reply", "authors response", "response to comment",
		"response to letter", "response to the letter", "response to the comment",
		"response to comments",
	};
	struct buf t = BUF_INIT;
	enum screen_kind k = SCREEN_KIND_ARTICLE;

	if (pubtypes && strlen(pubtypes) > 2) {
		if (strcasestr(pubtypes, "\"Published Erratum\"") || strcasestr(pubtypes, "\"Erratum\""))
			return SCREEN_KIND_ERRATUM;
		if (strcasestr(pubtypes, "Retraction of Publication") ||
		    strcasestr(pubtypes, "Retraction Notice"))
			return SCREEN_KIND_RETRACTION;
		if (strcasestr(pubtypes, "Conference") || strcasestr(pubtypes, "Meeting Abstract") ||
		    strcasestr(pubtypes, "Congress") || strcasestr(pubtypes, "Proceedings"))
			k = SCREEN_KIND_ABSTRACT;
	}
	if (ref_type && (!strcasecmp(ref_type, "CONF") || !strcasecmp(ref_type, "CPAPER") ||
			 !strcasecmp(ref_type, "ABST") || !strcasecmp(ref_type, "inproceedings") ||
			 !strcasecmp(ref_type, "proceedings") || strcasestr(ref_type, "conference")))
		k = SCREEN_KIND_ABSTRACT;
	if (title && screen_norm_text(&t, title, cut_notes(title, strlen(title))) == 0 && t.len) {
		for (size_t i = 0; i < sizeof(erratum) / sizeof(erratum[0]); i++)
			if (starts_word(t.s, erratum[i]))
				k = SCREEN_KIND_ERRATUM;
		for (size_t i = 0; i < sizeof(retraction) / sizeof(retraction[0]); i++)
			if (starts_word(t.s, retraction[i]))
				k = SCREEN_KIND_RETRACTION;
		if (k == SCREEN_KIND_ARTICLE || k == SCREEN_KIND_ABSTRACT)
			for (size_t i = 0; i < sizeof(comment) / sizeof(comment[0]); i++)
				if (starts_word(t.s, comment[i]))
					k = SCREEN_KIND_COMMENT;
		/* "Title (vol 142, pg 310, 2003)": a correction */
		if (title) {
			size_t n = strlen(title), o;

			while (n && (title[n - 1] == ' ' || title[n - 1] == '.'))
				n--;
			if (n > 2 && title[n - 1] == ')') {
				int depth = 0;

				for (o = n - 1;; o--) {
					if (title[o] == ')')
						depth++;
					else if (title[o] == '(' && --depth == 0)
						break;
					if (!o)
						break;
				}
				if (depth == 0 && o > 0 && is_citation_note(title + o + 1, n - o - 2))
					k = SCREEN_KIND_ERRATUM;
			}
		}
		/* "Title. Erratum", "Title (Erratum)" */
		if (t.len > 8 && !strcmp(t.s + t.len - 8, " erratum"))
			k = SCREEN_KIND_ERRATUM;
	}
	buf_release(&t);
	return k;
}
