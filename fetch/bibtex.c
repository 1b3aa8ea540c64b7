/*
 * bibtex.c - BibTeX (and biblatex) files as Zotero, Scopus, Google Scholar,
 * JabRef and Mendeley write them:
 *
 *     @article{larsen_microangiography_1999,
 *         title = {Microangiography in {Cocker} {Spaniel} dogs},
 *         author = {Larsen, LJ and Roush, JK and {CAMARADES Group}},
 *         month = aug,
 *         pages = {134--137},
 *     }
 *
 * Entries are found by brace matching: text outside entries is comment,
 * @comment and @preamble are skipped, @string defines macros.  A value is a
 * {braced} or "quoted" string, a number or a macro, joined by '#'.  LaTeX in
 * values becomes Unicode text ({\"o} -> ö, \'{e} -> é, {\ss} -> ß, -- ->
 * en dash, pages 134--137 -> 134-137); protection braces go.  An entry
 * whose braces do not balance (one left open at the next entry or at the
 * end of the file) rejects the file with the line where it started.
 */
#include "fetch_int.h"
#include "../util/err.h"
#include "../util/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* LaTeX to Unicode                                                     */

/* Combining mark of an accent command (\"o, \'e, \c{c}, ...), 0 if none. */
static unsigned long accent_mark(const char *cmd, size_t n)
{
	static const struct { const char *cmd; unsigned long mark; } accents[] = {
		{ "\"", 0x308 }, { "'", 0x301 }, { "`", 0x300 }, { "^", 0x302 },
		{ "~", 0x303 }, { "=", 0x304 }, { ".", 0x307 }, { "u", 0x306 },
		{ "v", 0x30C }, { "H", 0x30B }, { "c", 0x327 }, { "k", 0x328 },
		{ "r", 0x30A }, { "d", 0x323 }, { "b", 0x331 }, { "t", 0x361 },
	};
	for (size_t i = 0; i < sizeof(accents) / sizeof(accents[0]); i++)
		if (strlen(accents[i].cmd) == n && !strncmp(accents[i].cmd, cmd, n))
			return accents[i].mark;
	return 0;
}

/* Text of a command without arguments (\ss, \textless, \alpha), or NULL. */
static const char *symbol(const char *cmd, size_t n)
{
	static const char *const map[][2] = {
		{ "ss", "ß" }, { "ae", "æ" }, { "AE", "Æ" }, { "oe", "œ" }, { "OE", "Œ" },
		{ "aa", "å" }, { "AA", "Å" }, { "o", "ø" }, { "O", "Ø" }, { "l", "ł" },
		{ "L", "Ł" }, { "i", "ı" }, { "j", "ȷ" }, { "dh", "ð" }, { "DH", "Ð" },
		{ "th", "þ" }, { "TH", "Þ" }, { "ng", "ŋ" }, { "NG", "Ŋ" },
		{ "textless", "<" }, { "textgreater", ">" }, { "textasciitilde", "~" },
		{ "textbar", "|" }, { "textbackslash", "\\" }, { "textendash", "–" },
		{ "textemdash", "—" }, { "textquoteright", "’" }, { "textquoteleft", "‘" },
		{ "textquotedblleft", "“" }, { "textquotedblright", "”" },
		{ "textdegree", "°" }, { "degree", "°" }, { "textmu", "µ" },
		{ "textregistered", "®" }, { "texttrademark", "™" }, { "copyright", "©" },
		{ "textcopyright", "©" }, { "S", "§" }, { "P", "¶" }, { "dag", "†" },
		{ "ddag", "‡" }, { "ldots", "…" }, { "dots", "…" }, { "textellipsis", "…" },
		{ "pounds", "£" }, { "textsterling", "£" }, { "euro", "€" }, { "texteuro", "€" },
		{ "textperiodcentered", "·" }, { "textbullet", "•" }, { "textasciicircum", "^" },
		{ "textunderscore", "_" }, { "textdollar", "$" }, { "textpercent", "%" },
		{ "times", "×" }, { "pm", "±" }, { "mp", "∓" }, { "leq", "≤" }, { "le", "≤" },
		{ "geq", "≥" }, { "ge", "≥" }, { "neq", "≠" }, { "ne", "≠" }, { "approx", "≈" },
		{ "sim", "∼" }, { "infty", "∞" }, { "cdot", "·" }, { "circ", "°" },
		{ "rightarrow", "→" }, { "to", "→" }, { "leftarrow", "←" }, { "prime", "′" },
		{ "alpha", "α" }, { "beta", "β" }, { "gamma", "γ" }, { "delta", "δ" },
		{ "epsilon", "ε" }, { "varepsilon", "ε" }, { "zeta", "ζ" }, { "eta", "η" },
		{ "theta", "θ" }, { "iota", "ι" }, { "kappa", "κ" }, { "lambda", "λ" },
		{ "mu", "μ" }, { "nu", "ν" }, { "xi", "ξ" }, { "pi", "π" }, { "rho", "ρ" },
		{ "sigma", "σ" }, { "tau", "τ" }, { "upsilon", "υ" }, { "phi", "φ" },
		{ "varphi", "φ" }, { "chi", "χ" }, { "psi", "ψ" }, { "omega", "ω" },
		{ "Gamma", "Γ" }, { "Delta", "Δ" }, { "Theta", "Θ" }, { "Lambda", "Λ" },
		{ "Xi", "Ξ" }, { "Pi", "Π" }, { "Sigma", "Σ" }, { "Upsilon", "Υ" },
		{ "Phi", "Φ" }, { "Psi", "Ψ" }, { "Omega", "Ω" },
		{ "quad", " " }, { "qquad", " " }, { "newline", " " }, { "par", "\n" },
		{ "relax", "" }, { "ignorespaces", "" }, { "noopsort", "" }, { "/", "" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i][0]) == n && !strncmp(map[i][0], cmd, n))
			return map[i][1];
	return NULL;
}

/* Commands whose argument is kept as plain text (\emph{x} -> x). */
static int text_command(const char *cmd, size_t n)
{
	static const char *const cmds[] = {
		"textit", "textbf", "textsc", "textrm", "texttt", "textsf", "textsl",
		"textmd", "textup", "textnormal", "emph", "mathrm", "mathit", "mathbf",
		"mathsf", "mathtt", "mathcal", "mathbb", "mathnormal", "text", "mbox",
		"textsuperscript", "textsubscript", "uppercase", "lowercase", "MakeUppercase",
		"MakeLowercase", "url", "nolinkurl", "bf", "it", "em", "sc", "rm", "tt", "sf",
		"small", "large", "footnotesize", "scriptsize", "tiny", "normalsize",
		"ensuremath", "protect", "hbox", "textnormal", NULL,
	};
	for (int i = 0; cmds[i]; i++)
		if (strlen(cmds[i]) == n && !strncmp(cmds[i], cmd, n))
			return 1;
	return 0;
}

/*
 * Where the text of the argument of a command ending at s[k] starts: after
 * its '{', past an optional [...] argument ("\foo[opt]{arg}"); k when the
 * command has no braced argument.  (Its closing brace goes with the other
 * braces.)
 */
static size_t command_argument(const char *s, size_t k, size_t n)
{
	size_t a = k;

	if (!isalpha((unsigned char)s[k - 1]))
		return k; /* \& and the like */
	if (a < n && s[a] == '[') {
		while (a < n && s[a] != ']')
			a++;
		a++;
	}
	return a < n && s[a] == '{' ? a + 1 : k;
}

/*
 * Append the text of LaTeX s[0..n) to out.  Braces and '$' go; commands
 * become characters; "--"/"---" become dashes (pages: a hyphen), "~" a
 * space, ``quotes'' curly.  An unknown command with a braced argument
 * gives the argument's text (\mkbibquote{Intention} -> Intention); one
 * without is kept as written.  A line break is a space and a blank line a
 * paragraph break, as in LaTeX.
 */
static int latex_text(struct buf *out, const char *s, size_t n, int pages)
{
	int math = 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		int rc = 0;

		if (c == '{' || c == '}') {
			i++;
			continue;
		}
		if (c == '$') {
			math = !math;
			i++;
			continue;
		}
		if (math && (c == '^' || c == '_')) {
			i++;
			continue;
		}
		if (c == '~') {
			rc = buf_addc(out, ' ');
			i++;
		} else if (c == '\n') {
			size_t j = i + 1;
			int par = 0;

			while (j < n && isspace((unsigned char)s[j])) {
				par |= s[j] == '\n';
				j++;
			}
			rc = buf_addc(out, par ? '\n' : ' ');
			i = j;
		} else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
			int three = i + 2 < n && s[i + 2] == '-';

			rc = buf_adds(out, pages ? "-" : three ? "—" : "–");
			i += three ? 3 : 2;
		} else if (c == '`' && i + 1 < n && s[i + 1] == '`') {
			rc = buf_adds(out, "“");
			i += 2;
		} else if (c == '\'' && i + 1 < n && s[i + 1] == '\'') {
			rc = buf_adds(out, "”");
			i += 2;
		} else if (c == '\\' && i + 1 < n) {
			size_t j = i + 1, k, a;
			unsigned long mark;
			const char *sym;

			if (isalpha((unsigned char)s[j])) {
				while (j < n && isalpha((unsigned char)s[j]))
					j++;
			} else {
				j++;
			}
			k = j; /* after the command name */
			mark = accent_mark(s + i + 1, k - i - 1);
			if (mark) {
				/* the accented letter: "o", "{o}", " o" or "{\i}" */
				size_t a = k;
				const char *base = NULL;
				size_t blen = 0;

				if (isalpha((unsigned char)s[i + 1]))
					while (a < n && s[a] == ' ')
						a++;
				if (a < n && s[a] == '{') {
					size_t e = a + 1;

					while (e < n && s[e] != '}')
						e++;
					base = s + a + 1;
					blen = e - a - 1;
					a = e < n ? e + 1 : e;
				} else if (a + 1 < n && s[a] == '\\' && (s[a + 1] == 'i' || s[a + 1] == 'j') &&
					   (a + 2 == n || !isalpha((unsigned char)s[a + 2]))) {
					base = s + a; /* \'\i: the dotless i takes the accent */
					blen = 2;
					a += 2;
					if (a < n && s[a] == ' ')
						a++; /* "\'\i a": the space ends the name */
				} else if (a < n && s[a] != '\\') {
					size_t l = 1;

					while (a + l < n && ((unsigned char)s[a + l] & 0xC0) == 0x80)
						l++;
					base = s + a;
					blen = l;
					a += l;
				}
				if (base && blen >= 2 && base[0] == '\\' && (base[1] == 'i' || base[1] == 'j'))
					rc = buf_addc(out, base[1]);
				else if (base)
					rc = latex_text(out, base, blen, pages);
				if (!rc)
					rc = text_append_cp(out, mark);
				i = a;
			} else if (k == i + 2 && !isalpha((unsigned char)s[i + 1])) {
				/* \& \% \$ \# \_ \{ \} \\ "\ " \- \, */
				char e = s[i + 1];

				if (e == '\\' || e == ' ' || e == ',' || e == ';')
					rc = buf_addc(out, ' ');
				else if (e != '-' && e != '/')
					rc = buf_addc(out, e);
				i = k;
			} else if ((sym = symbol(s + i + 1, k - i - 1)) != NULL) {
				rc = buf_adds(out, sym);
				/* a space after a command name only ends the name */
				i = k < n && s[k] == ' ' ? k + 1 : k;
				if (k + 1 < n && s[k] == '{' && s[k + 1] == '}')
					i = k + 2;
			} else if (text_command(s + i + 1, k - i - 1)) {
				i = k < n && s[k] == ' ' ? k + 1 : k;
			} else if ((a = command_argument(s, k, n)) > k) {
				/* \mkbibquote{Intention} -> Intention: the braces go below */
				i = a;
			} else {
				rc = buf_add(out, s + i, k - i);
				i = k;
			}
		} else {
			rc = buf_addc(out, (char)c);
			i++;
		}
		if (rc < 0)
			return LSR_ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Names                                                                */

/* Find the next top-level (brace depth 0) occurrence of word w (" and ")
 * in s[from..n), case-insensitive; n if none. */
static size_t find_top(const char *s, size_t from, size_t n, const char *w)
{
	size_t wl = strlen(w);
	int depth = 0;

	for (size_t i = from; i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}')
			depth--;
		else if (depth == 0 && i + wl <= n && !strncasecmp(s + i, w, wl))
			return i;
	}
	return n;
}

/* Is s[0..n) one brace group, "{World Health Organization}"? */
static int one_group(const char *s, size_t n)
{
	int depth = 0;

	if (!n || s[0] != '{')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\') {
			i++;
		} else if (s[i] == '{') {
			depth++;
		} else if (s[i] == '}' && --depth == 0) {
			return i == n - 1;
		}
	}
	return 0;
}

/* Convert s[0..n) to text, trimmed, into out. */
static int name_part(struct buf *out, const char *s, size_t n)
{
	buf_reset(out);
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (latex_text(out, s, n, 0) < 0)
		return LSR_ENOMEM;
	buf_trim(out);
	return 0;
}

/*
 * One BibTeX name as "Surname, Given": "Larsen, LJ" stays, "Eliza M.
 * Grames" and "Ludwig van Beethoven" turn round, "{World Health
 * Organization}" is a collective name and stays whole.
 */
static int add_name(struct lsr_record *r, const char *s, size_t n)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t starts[64], ntok = 0, von = 0;
	int depth = 0, space = 1, rc = 0;

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n || (n == 6 && !strncmp(s, "others", 6)))
		return 0;
	if (find_top(s, 0, n, ",") < n || one_group(s, n)) {
		/* "Surname, Given", or a braced collective name: as written */
		if ((rc = name_part(&a, s, n)) == 0)
			rc = tagged_add_author(r, a.s);
		goto out;
	}
	/* "Given [von] Surname": split into words at top level */
	for (size_t i = 0; i < n; i++) {
		if (depth == 0 && isspace((unsigned char)s[i])) {
			space = 1;
			continue;
		}
		if (space && ntok < sizeof(starts) / sizeof(starts[0]))
			starts[ntok++] = i;
		space = 0;
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}')
			depth--;
	}
	if (ntok < 2) {
		if ((rc = name_part(&a, s, n)) == 0)
			rc = tagged_add_author(r, a.s);
		goto out;
	}
	von = ntok - 1;
	for (size_t t = 1; t + 1 < ntok; t++)
		if (islower((unsigned char)s[starts[t]])) {
			von = t;
			break;
		}
	if ((rc = name_part(&a, s + starts[von], n - starts[von])) < 0 ||
	    (rc = name_part(&b, s, starts[von])) < 0)
		goto out;
	if (buf_adds(&a, ", ") < 0 || buf_add(&a, b.s, b.len) < 0) {
		rc = LSR_ENOMEM;
		goto out;
	}
	rc = tagged_add_author(r, a.s);
out:
	buf_release(&a);
	buf_release(&b);
	return rc;
}

/* author = {A and B and {C and D}}: split at top-level " and ". */
static int add_names(struct lsr_record *r, const char *s)
{
	size_t n = strlen(s), from = 0;

	while (from < n) {
		size_t at = from, end;
		int rc;

		/* " and " with any white space around it */
		for (;;) {
			at = find_top(s, at, n, "and");
			if (at >= n || (at > from && isspace((unsigned char)s[at - 1]) &&
					at + 3 < n && isspace((unsigned char)s[at + 3])))
				break;
			at++;
		}
		end = at;
		if ((rc = add_name(r, s + from, end - from)) < 0)
			return rc;
		from = at < n ? at + 3 : n;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Entries                                                              */

struct bib_state {
	struct fetch_input *in;
	struct strv macro_names, macro_values; /* @string, names lower-case */
	size_t *macro_slot;       /* hash of macro_names: index + 1, 0 free */
	size_t macro_cap;         /* slots, a power of two (0: none yet) */
	struct buf text;          /* the entry from '@' to its closing brace */
	struct buf raw;           /* its lines as received */
	struct buf value;         /* scratch: one field value */
	struct buf conv;          /* scratch: converted text */
	uint64_t start_line, start_offset;
	uint64_t nrec;
	uint64_t missing_commas;     /* fields read on without a comma */
	uint64_t missing_comma_line; /* the first of them */
};

/* A cursor over the entry text, with line numbers for messages. */
struct cur {
	const char *s;
	size_t i, n;
	uint64_t line;  /* line of s[i] */
	struct bib_state *st;
	uint64_t value_end; /* the line where the last value read ended */
};

static void skip_ws(struct cur *c)
{
	while (c->i < c->n && isspace((unsigned char)c->s[c->i])) {
		if (c->s[c->i] == '\n')
			c->line++;
		c->i++;
	}
}

static int parse_error(struct cur *c, const char *what, const char *key)
{
	return lsr_error_set(LSR_EPARSE, "%s:%llu: %s in the entry '%s' that starts at line %llu",
			     c->st->in->name, (unsigned long long)c->line, what, key,
			     (unsigned long long)c->st->start_line);
}

/* FNV-1a of name, case folded as macro names are. */
static size_t macro_hash(const char *name)
{
	size_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (unsigned char)tolower((unsigned char)*name)) * 16777619u;
	return h;
}

/* The slot of name, or of the free slot where it would go. */
static size_t *macro_at(struct bib_state *st, const char *name)
{
	size_t mask = st->macro_cap - 1, i = macro_hash(name) & mask;

	while (st->macro_slot[i] && strcasecmp(st->macro_names.v[st->macro_slot[i] - 1], name))
		i = (i + 1) & mask;
	return &st->macro_slot[i];
}

/* Define macro name (lower-case) as value; the first definition of a name
 * stays.  Names are hashed: a file of many @string lines and values
 * joining many macros is read in linear time. */
static int macro_define(struct bib_state *st, const char *name, const char *value)
{
	size_t *slot;

	if ((st->macro_names.n + 1) * 2 > st->macro_cap) {
		size_t ncap = st->macro_cap ? st->macro_cap * 2 : 64;
		size_t *nslot = calloc(ncap, sizeof(*nslot));

		if (!nslot)
			return lsr_error_oom();
		free(st->macro_slot);
		st->macro_slot = nslot;
		st->macro_cap = ncap;
		for (size_t i = 0; i < st->macro_names.n; i++)
			*macro_at(st, st->macro_names.v[i]) = i + 1;
	}
	slot = macro_at(st, name);
	if (*slot)
		return 0;
	if (strv_push(&st->macro_names, name) < 0 || strv_push(&st->macro_values, value) < 0)
		return LSR_ENOMEM;
	*slot = st->macro_names.n;
	return 0;
}

static const char *macro(struct bib_state *st, const char *name)
{
	static const char *const months[] = { "jan", "January", "feb", "February", "mar", "March",
		"apr", "April", "may", "May", "jun", "June", "jul", "July", "aug", "August",
		"sep", "September", "oct", "October", "nov", "November", "dec", "December", NULL };
	size_t *slot = st->macro_cap ? macro_at(st, name) : NULL;

	if (slot && *slot)
		return st->macro_values.v[*slot - 1];
	for (int i = 0; months[i]; i += 2)
		if (!strcasecmp(months[i], name))
			return months[i + 1];
	return NULL;
}

/*
 * Read a value at the cursor into out: pieces ({...}, "...", numbers,
 * macros) joined by '#', braces of {...} and quotes removed (inner braces
 * kept for the LaTeX conversion).
 */
static int read_value(struct cur *c, struct buf *out, const char *key)
{
	buf_reset(out);
	for (;;) {
		skip_ws(c);
		if (c->i >= c->n)
			return parse_error(c, "expected a value", key);
		if (c->s[c->i] == '{' || c->s[c->i] == '"') {
			char open = c->s[c->i];
			size_t start = ++c->i;
			int depth = 0;

			while (c->i < c->n) {
				char ch = c->s[c->i];

				if (ch == '\\' && c->i + 1 < c->n) {
					c->i += 2;
					continue;
				}
				if (ch == '\n')
					c->line++;
				if (ch == '{') {
					depth++;
				} else if (ch == '}') {
					if (depth == 0 && open == '{')
						break;
					depth--;
				} else if (ch == '"' && open == '"' && depth == 0) {
					break;
				}
				c->i++;
			}
			if (c->i >= c->n)
				return parse_error(c, open == '{' ? "expected '}' to close a value"
								  : "expected '\"' to close a value", key);
			if (buf_add(out, c->s + start, c->i - start) < 0)
				return LSR_ENOMEM;
			c->i++;
		} else if (isalnum((unsigned char)c->s[c->i])) {
			size_t start = c->i;
			char name[128];
			const char *v;

			while (c->i < c->n && (isalnum((unsigned char)c->s[c->i]) ||
					       strchr("_-:.+/'", c->s[c->i])))
				c->i++;
			snprintf(name, sizeof(name), "%.*s", (int)(c->i - start), c->s + start);
			v = isdigit((unsigned char)name[0]) ? NULL : macro(c->st, name);
			if (buf_adds(out, v ? v : name) < 0)
				return LSR_ENOMEM;
		} else {
			return parse_error(c, "expected a value ({...}, \"...\", a number or a macro)", key);
		}
		/* macros joined by '#' could double a value at each step */
		if (input_limit(c->st->in, FETCH_LIMIT_FIELD, c->line, out->len) < 0)
			return LSR_EPARSE;
		c->value_end = c->line;
		skip_ws(c);
		if (c->i < c->n && c->s[c->i] == '#') {
			c->i++;
			continue;
		}
		return 0;
	}
}

/*
 * After a value that ends a line, does the next line start another field,
 * "name = "?  (The cursor is at its first character; the value's last line
 * is before it.)
 */
static int field_follows(const struct cur *c)
{
	size_t i = c->i;

	if (c->line == c->value_end || !isalpha((unsigned char)c->s[i]))
		return 0;
	while (i < c->n && (isalnum((unsigned char)c->s[i]) || strchr("_-:.+/", c->s[i])))
		i++;
	while (i < c->n && (c->s[i] == ' ' || c->s[i] == '\t'))
		i++;
	return i < c->n && c->s[i] == '=';
}

/* Keyword lists: "a, b; c". */
static int add_keywords(struct lsr_record *r, const char *s)
{
	return strv_split(&r->keywords, s, strchr(s, ';') ? ";" : ",");
}

struct bib_fields {
	struct buf journal, booktitle, abbrev, year, month, date, article_no, eprint, eprinttype;
};

#define BIB_BUFS(X) X(journal) X(booktitle) X(abbrev) X(year) X(month) X(date) \
	X(article_no) X(eprint) X(eprinttype)

/* Store one field (name lower-case, value converted to text in st->conv). */
static int store_field(struct lsr_record *r, struct bib_fields *f, const char *name,
		       struct bib_state *st)
{
	static const struct { const char *name; size_t off; } rec_bufs[] = {
#define M(n, fld) { n, offsetof(struct lsr_record, fld) }
		M("title", title), M("volume", volume), M("number", issue), M("issue", issue),
		M("abstract", abstract), M("issn", issn), M("url", url),
		M("pmid", pmid), M("pmcid", pmcid),
#undef M
	};
	static const struct { const char *name; size_t off; } own_bufs[] = {
#define M(n, fld) { n, offsetof(struct bib_fields, fld) }
		M("journal", journal), M("journaltitle", journal), M("booktitle", booktitle),
		M("shortjournal", abbrev), M("journal-iso", abbrev), M("journalabbrev", abbrev),
		M("abbrev_source_title", abbrev), M("year", year), M("month", month),
		M("date", date), M("art_number", article_no), M("eid", article_no),
		M("articleno", article_no), M("eprint", eprint), M("eprinttype", eprinttype),
		M("archiveprefix", eprinttype),
#undef M
	};
	const char *v = st->conv.s;

	if (!*v)
		return 0;
	for (size_t i = 0; i < sizeof(rec_bufs) / sizeof(rec_bufs[0]); i++)
		if (!strcmp(name, rec_bufs[i].name)) {
			struct buf *b = (struct buf *)((char *)r + rec_bufs[i].off);

			return b->len ? 0 : buf_adds(b, v);
		}
	for (size_t i = 0; i < sizeof(own_bufs) / sizeof(own_bufs[0]); i++)
		if (!strcmp(name, own_bufs[i].name)) {
			struct buf *b = (struct buf *)((char *)f + own_bufs[i].off);

			return b->len ? 0 : buf_adds(b, v);
		}
	if (!strcmp(name, "pages"))
		return r->pages.len ? 0 : tagged_set_page_range(r, v);
	if (!strcmp(name, "doi"))
		return tagged_set_doi(r, v);
	if (!strcmp(name, "keywords") || !strcmp(name, "author_keywords") ||
	    !strcmp(name, "keyword"))
		return add_keywords(r, v);
	if (!strcmp(name, "language") || !strcmp(name, "langid"))
		return strv_push_unique(&r->languages, v);
	if (!strcmp(name, "document_type") || !strcmp(name, "type") ||
	    !strcmp(name, "pubtype"))
		return strv_push_unique(&r->publication_types, v);
	return 0; /* other fields are kept in the raw text only */
}

static int finish_entry(struct lsr_record *r, struct bib_fields *f)
{
	struct buf date = BUF_INIT;
	int rc = 0;

	if (f->journal.len || f->booktitle.len)
		rc = buf_adds(&r->journal, f->journal.len ? f->journal.s : f->booktitle.s);
	if (!rc && f->abbrev.len)
		rc = buf_adds(&r->journal_abbrev, f->abbrev.s);
	if (!rc && !r->pages.len && f->article_no.len)
		rc = buf_adds(&r->pages, f->article_no.s);
	if (!rc && f->eprint.len && !strcasecmp(f->eprinttype.s, "pubmed") && !r->pmid.len)
		rc = buf_adds(&r->pmid, f->eprint.s);
	/* date = {2019-03-01}, else year and month ("aug" -> "August") */
	if (!rc && f->date.len)
		rc = tagged_set_date(r, f->date.s);
	if (!rc && !r->year && f->year.len) {
		if (buf_printf(&date, "%s %s", f->year.s, f->month.s) < 0)
			rc = LSR_ENOMEM;
		else
			rc = tagged_set_date(r, date.s);
	}
	buf_release(&date);
	return rc;
}

/* Parse the complete entry in st->text into r; *ready is set when r is a
 * record to store (not @comment, @preamble or @string). */
static int parse_entry(struct bib_state *st, struct lsr_record *r, int *ready)
{
	struct cur c = { st->text.s, 1, st->text.len, st->start_line, st, 0 };
	struct bib_fields f;
	char type[64], close;
	size_t start;
	int rc = 0, is_string;

	start = c.i;
	while (c.i < c.n && (isalnum((unsigned char)c.s[c.i]) || c.s[c.i] == '_' || c.s[c.i] == '-'))
		c.i++;
	snprintf(type, sizeof(type), "%.*s", (int)(c.i - start), c.s + start);
	skip_ws(&c);
	close = c.s[c.i] == '(' ? ')' : '}';
	c.i++;
	if (!strcasecmp(type, "comment") || !strcasecmp(type, "preamble"))
		return 0;
	is_string = !strcasecmp(type, "string");
	memset(&f, 0, sizeof(f));
#define INIT(b) buf_init(&f.b, 0);
	BIB_BUFS(INIT)
#undef INIT
	record_reset(r);
	r->line = st->start_line;
	r->offset = st->start_offset;
	/* the key, up to the first comma: it may hold spaces (Scopus's
	 * "Conference paper2022775"), be empty ("@article{, title=...}") or
	 * be missing (the first field follows the brace) */
	if (!is_string) {
		size_t end;

		skip_ws(&c);
		end = c.i;
		while (end < c.n && c.s[end] != ',' && c.s[end] != close && c.s[end] != '=' &&
		       c.s[end] != '{' && c.s[end] != '"')
			end++;
		if (end < c.n && (c.s[end] == ',' || c.s[end] == close)) {
			size_t kn = end - c.i;

			while (kn && isspace((unsigned char)c.s[c.i + kn - 1]))
				kn--;
			if ((rc = buf_add(&r->source_id, c.s + c.i, kn)) < 0)
				goto out;
			for (; c.i < end; c.i++)
				if (c.s[c.i] == '\n')
					c.line++;
		}
	}
	for (;;) {
		char name[128];
		size_t nlen;
		uint64_t name_line;

		while (c.i < c.n && (c.s[c.i] == ',' || isspace((unsigned char)c.s[c.i]))) {
			if (c.s[c.i] == '\n')
				c.line++;
			c.i++;
		}
		if (c.i >= c.n - 1)
			break; /* at the closing brace */
		start = c.i;
		name_line = c.line;
		while (c.i < c.n - 1 && c.s[c.i] != '=' && c.s[c.i] != ',') {
			if (c.s[c.i] == '\n')
				c.line++;
			c.i++;
		}
		nlen = c.i - start;
		while (nlen && isspace((unsigned char)c.s[start + nlen - 1]))
			nlen--;
		snprintf(name, sizeof(name), "%.*s", (int)nlen, c.s + start);
		if (c.s[c.i] != '=' || !nlen || strchr(name, '\n')) {
			c.line = name_line;
			rc = parse_error(&c, "expected 'field = value'", r->source_id.s);
			goto out;
		}
		for (char *p = name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		c.i++;
		if ((rc = read_value(&c, &st->value, is_string ? name : r->source_id.s)) < 0)
			goto out;
		if (c.i < c.n - 1 && c.s[c.i] != ',') {
			/* Mendeley leaves out the comma between two fields on
			 * separate lines: read on, and note it in the run */
			if (!field_follows(&c)) {
				rc = parse_error(&c, "expected ',' or the closing brace after a value",
						 is_string ? name : r->source_id.s);
				goto out;
			}
			if (!st->missing_commas++)
				st->missing_comma_line = c.line;
		}
		if (is_string) {
			if ((rc = macro_define(st, name, st->value.s)) < 0)
				goto out;
			continue;
		}
		if (!strcmp(name, "author")) {
			if ((rc = add_names(r, st->value.s)) < 0)
				goto out;
			continue;
		}
		buf_reset(&st->conv);
		if ((rc = latex_text(&st->conv, st->value.s, st->value.len, !strcmp(name, "pages"))) < 0 ||
		    (rc = store_field(r, &f, name, st)) < 0)
			goto out;
	}
	if (is_string)
		goto out;
	if ((rc = finish_entry(r, &f)) < 0)
		goto out;
	if ((rc = buf_adds(&r->ref_type, type)) < 0)
		goto out;
	r->raw = st->raw.s;
	r->raw_len = st->raw.len;
	st->nrec++;
	*ready = 1;
out:
#define REL(b) buf_release(&f.b);
	BIB_BUFS(REL)
#undef REL
	return rc;
}

/* ------------------------------------------------------------------ */
/* Finding entries                                                      */

enum { OUTSIDE, TYPE, BODY };

/* Does line start (after white space) like an entry, "@article{"? */
static int entry_start(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s++ != '@' || !isalpha((unsigned char)*s))
		return 0;
	while (isalnum((unsigned char)*s) || *s == '_' || *s == '-')
		s++;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '{' || *s == '(';
}

static int unbalanced(struct bib_state *st, const char *where)
{
	const char *t = st->text.s;
	size_t n = strcspn(t, ",\n");

	return lsr_error_set(LSR_EPARSE,
			     "%s:%llu: unbalanced braces: the entry '%.*s' that starts here has no closing brace before %s",
			     st->in->name, (unsigned long long)st->start_line,
			     (int)(n > 60 ? 60 : n), t, where);
}

int fetch_parse_bibtex(struct fetch_input *in, const struct fetch_parse_opts *o,
		       record_sink_fn sink, void *payload)
{
	struct bib_state st;
	struct lsr_record rec;
	int state = OUTSIDE, depth = 0, quote = 0, type_done = 0, rc;
	size_t typelen = 0;
	char close = '}';

	memset(&st, 0, sizeof(st));
	st.in = in;
	buf_init(&st.text, 0);
	buf_init(&st.raw, 0);
	buf_init(&st.value, 0);
	buf_init(&st.conv, 0);
	record_init(&rec);
	while ((rc = input_getline(in)) > 0) {
		const char *s = in->line.s;
		size_t n = in->line.len;

		if (state == BODY && depth == 1 && !quote && entry_start(s)) {
			char where[64];

			snprintf(where, sizeof(where), "the next entry at line %llu",
				 (unsigned long long)in->lineno);
			rc = unbalanced(&st, where);
			if ((rc = fetch_skip(o, st.start_line, rc)) < 0)
				goto out;
			state = OUTSIDE; /* skipped: this line starts the next entry */
		}
		/* a line that starts with '%' outside an entry is a comment,
		 * "%@article{...}" an entry commented out */
		if (state == OUTSIDE && s[strspn(s, " \t")] == '%')
			continue;
		if (state != OUTSIDE && ((rc = buf_add(&st.raw, in->raw.s, in->raw.len)) < 0 ||
					 (rc = input_limit(in, FETCH_LIMIT_RECORD, st.start_line,
							   st.raw.len)) < 0))
			goto out;
		for (size_t i = 0; i <= n; i++) {
			char ch = (char)(i < n ? s[i] : '\n');

			if (state == OUTSIDE) {
				if (ch != '@')
					continue;
				state = TYPE;
				typelen = 0;
				type_done = 0;
				buf_reset(&st.text);
				buf_reset(&st.raw);
				if ((rc = buf_add(&st.raw, in->raw.s, in->raw.len)) < 0)
					goto out;
				st.start_line = in->lineno;
				st.start_offset = in->line_offset;
				if ((rc = buf_addc(&st.text, '@')) < 0)
					goto out;
				continue;
			}
			if (buf_addc(&st.text, ch) < 0) {
				rc = LSR_ENOMEM;
				goto out;
			}
			if (state == TYPE) {
				/* "@article {": a name, maybe white space, a brace */
				if ((ch == '{' || ch == '(') && typelen) {
					state = BODY;
					depth = 1;
					quote = 0;
					close = ch == '{' ? '}' : ')';
				} else if ((isalnum((unsigned char)ch) || ch == '_' || ch == '-') && !type_done) {
					typelen++;
				} else if (isspace((unsigned char)ch) && typelen) {
					type_done = 1;
				} else {
					state = OUTSIDE; /* an '@' in comment text */
				}
				continue;
			}
			/* BODY: match braces (an escaped one, \{, does not count);
			 * quotes matter at depth 1 only */
			if (ch == '\\' && i + 1 < n) {
				if (buf_addc(&st.text, s[++i]) < 0) {
					rc = LSR_ENOMEM;
					goto out;
				}
				continue;
			}
			if (ch == '{') {
				depth++;
			} else if (ch == '}') {
				if (--depth == 0 && close == ')') {
					rc = unbalanced(&st, "a '}' that closes nothing");
					if ((rc = fetch_skip(o, st.start_line, rc)) < 0)
						goto out;
					state = OUTSIDE;
					continue;
				}
			} else if (ch == '"' && depth == 1) {
				quote = !quote;
			} else if (ch == ')' && close == ')' && depth == 1 && !quote) {
				depth = 0;
			}
			if (depth == 0) {
				int ready = 0;

				state = OUTSIDE;
				rc = parse_entry(&st, &rec, &ready);
				if (rc < 0 && (in->over_limit || (rc = fetch_skip(o, st.start_line, rc)) < 0))
					goto out;
				if (ready && (rc = sink(&rec, payload)) < 0)
					goto out;
			}
		}
	}
	if (rc < 0)
		goto out;
	if (state == BODY) {
		rc = unbalanced(&st, "the end of the file");
		if ((rc = fetch_skip(o, st.start_line, rc)) < 0)
			goto out;
	}
	if (st.missing_commas &&
	    (rc = input_note(in, "%llu missing ',' between BibTeX fields assumed (the first at line %llu)",
			     (unsigned long long)st.missing_commas,
			     (unsigned long long)st.missing_comma_line)) < 0)
		goto out;
	if (st.nrec == 0 && !o->allow_empty && !o->skip) {
		rc = lsr_error_set(LSR_EPARSE, "%s:%llu: no BibTeX entry found (expected '@article{key, ...}')",
				   in->name, (unsigned long long)(in->lineno ? in->lineno : 1));
		goto out;
	}
	rc = 0;
out:
	record_release(&rec);
	strv_release(&st.macro_names);
	strv_release(&st.macro_values);
	free(st.macro_slot);
	buf_release(&st.text);
	buf_release(&st.raw);
	buf_release(&st.value);
	buf_release(&st.conv);
	return rc;
}
