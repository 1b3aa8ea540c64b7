/*
 * jspan.c - where the elements of a JSON array lie in the text.
 *
 * Europe PMC and ClinicalTrials.gov send a page of records as one JSON
 * document.  Provenance keeps each record's own bytes as received, so the
 * page is scanned (without building values) for the array at a key path
 * and the byte span of each element is returned; each span is then parsed
 * on its own with jansson.  The scanner checks structure only as far as it
 * needs to find the ends of values: strings with escapes, nested objects
 * and arrays, and scalars.
 */
#include "search_int.h"
#include "../util/array.h"
#include "../util/err.h"

#include <stdlib.h>
#include <string.h>

struct scan {
	const char *s;
	size_t n, i;
};

static void skip_ws(struct scan *sc)
{
	while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
				 sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
		sc->i++;
}

static int bad(const struct scan *sc, const char *what)
{
	return lsr_error_set(LSR_EPARSE, "JSON: %s at byte %zu", what, sc->i);
}

/* At a '"': move past the closing quote. */
static int skip_string(struct scan *sc)
{
	sc->i++;
	while (sc->i < sc->n) {
		char c = sc->s[sc->i++];

		if (c == '\\') {
			if (sc->i >= sc->n)
				break;
			sc->i++;
		} else if (c == '"') {
			return 0;
		}
	}
	return bad(sc, "unterminated string");
}

/* Move past one value; depth guards against absurd nesting. */
static int skip_value(struct scan *sc, int depth)
{
	char open, close;

	if (depth > 512)
		return bad(sc, "nested too deeply");
	skip_ws(sc);
	if (sc->i >= sc->n)
		return bad(sc, "value expected");
	open = sc->s[sc->i];
	if (open == '"')
		return skip_string(sc);
	if (open != '{' && open != '[') {
		size_t start = sc->i;

		while (sc->i < sc->n && !strchr(",]} \t\r\n", sc->s[sc->i]))
			sc->i++;
		return sc->i > start ? 0 : bad(sc, "value expected");
	}
	close = open == '{' ? '}' : ']';
	sc->i++;
	skip_ws(sc);
	if (sc->i < sc->n && sc->s[sc->i] == close) {
		sc->i++;
		return 0;
	}
	for (;;) {
		int rc;

		if (open == '{') {
			skip_ws(sc);
			if (sc->i >= sc->n || sc->s[sc->i] != '"')
				return bad(sc, "key expected");
			if ((rc = skip_string(sc)) < 0)
				return rc;
			skip_ws(sc);
			if (sc->i >= sc->n || sc->s[sc->i] != ':')
				return bad(sc, "':' expected");
			sc->i++;
		}
		if ((rc = skip_value(sc, depth + 1)) < 0)
			return rc;
		skip_ws(sc);
		if (sc->i >= sc->n)
			return bad(sc, "unexpected end");
		if (sc->s[sc->i] == ',') {
			sc->i++;
			continue;
		}
		if (sc->s[sc->i] == close) {
			sc->i++;
			return 0;
		}
		return bad(sc, "',' or end of collection expected");
	}
}

/* At an object: find key and leave sc->i at its value.  ENOTFOUND if absent. */
static int find_key(struct scan *sc, const char *key)
{
	size_t klen = strlen(key);
	int rc;

	skip_ws(sc);
	if (sc->i >= sc->n || sc->s[sc->i] != '{')
		return LSR_ENOTFOUND;
	sc->i++;
	for (;;) {
		size_t kstart;
		int match;

		skip_ws(sc);
		if (sc->i < sc->n && sc->s[sc->i] == '}')
			return LSR_ENOTFOUND;
		if (sc->i >= sc->n || sc->s[sc->i] != '"')
			return bad(sc, "key expected");
		kstart = sc->i + 1;
		if ((rc = skip_string(sc)) < 0)
			return rc;
		match = sc->i - 1 - kstart == klen && !memcmp(sc->s + kstart, key, klen);
		skip_ws(sc);
		if (sc->i >= sc->n || sc->s[sc->i] != ':')
			return bad(sc, "':' expected");
		sc->i++;
		skip_ws(sc);
		if (match)
			return 0;
		if ((rc = skip_value(sc, 1)) < 0)
			return rc;
		skip_ws(sc);
		if (sc->i < sc->n && sc->s[sc->i] == ',') {
			sc->i++;
			continue;
		}
		if (sc->i < sc->n && sc->s[sc->i] == '}')
			return LSR_ENOTFOUND;
		return bad(sc, "',' or '}' expected");
	}
}

int jspan_array_items(const char *s, size_t n, const char *const *path,
		      struct jspan **out, size_t *count)
{
	struct scan sc = { s, n, 0 };
	struct jspan *v = NULL;
	size_t nv = 0, alloc = 0;
	int rc;

	*out = NULL;
	*count = 0;
	for (int d = 0; path[d]; d++)
		if ((rc = find_key(&sc, path[d])) < 0)
			return rc;
	skip_ws(&sc);
	if (sc.i >= sc.n || sc.s[sc.i] != '[')
		return LSR_ENOTFOUND;
	sc.i++;
	skip_ws(&sc);
	if (sc.i < sc.n && sc.s[sc.i] == ']')
		return 0;
	for (;;) {
		size_t start;

		skip_ws(&sc);
		start = sc.i;
		if ((rc = skip_value(&sc, 1)) < 0)
			goto fail;
		if ((rc = ARRAY_GROW(v, nv, alloc, 64)) < 0)
			goto fail;
		v[nv].off = start;
		v[nv].len = sc.i - start;
		nv++;
		skip_ws(&sc);
		if (sc.i < sc.n && sc.s[sc.i] == ',') {
			sc.i++;
			continue;
		}
		if (sc.i < sc.n && sc.s[sc.i] == ']')
			break;
		rc = bad(&sc, "',' or ']' expected");
		goto fail;
	}
	*out = v;
	*count = nv;
	return 0;
fail:
	free(v);
	return rc;
}
