/*
 * replay.c - a loopback HTTP/1.1 server that replays recorded responses and
 * misbehaves on demand, for the tests of lsr search.  No test touches the
 * internet: lsr is pointed at this server through LSR_PUBMED_URL,
 * LSR_EUROPEPMC_URL and LSR_CTGOV_URL.
 *
 *     replay --case FILE [--case FILE...] --port-file FILE --log FILE
 *
 * It listens on 127.0.0.1 on an ephemeral port, writes the port number to
 * the port file once it accepts connections, and serves until killed.  One
 * thread, poll() over the connections: a stalled connection does not stop
 * the others, and keep-alive connections are served request after request.
 *
 * A case file (tests/replay/cases/ *.case, in the spirit of curl's test
 * files) is a list of rules, tried in order for each request:
 *
 *     # comment
 *     rule METHOD PATH          METHOD or *, PATH exact or ending in *
 *       param NAME=VALUE        the request must carry NAME=VALUE
 *       param NAME              ... must carry NAME
 *       noparam NAME            ... must not carry NAME
 *       contains NAME=TEXT      ... NAME's value must contain TEXT
 *       skip N                  the first N matching requests go on to later rules
 *       times N                 serve at most N requests, then go on to later rules
 *       status CODE             (200)
 *       header NAME: VALUE
 *       retry-after SECONDS
 *       body-file PATH          $VAR in PATH is taken from the environment
 *       body <<END              the lines up to END, each ending in \n
 *       gzip                    Content-Encoding: gzip when the client accepts it
 *       truncate N              announce the whole body but send N bytes, then close
 *       stall                   never answer (until the client gives up)
 *       stall-after N           send the headers and N body bytes, then stall
 *       close                   close the connection without an answer
 *       pubmed-synthetic N [omit=ID,ID...] [count-offset=K]
 *                               a PubMed of PMIDs 1..N (EInfo, ESearch with
 *                               [UID] ranges, crdt windows, the 9,999 cap;
 *                               EFetch of POSTed ids), see synth_*() below
 *       ctgov-page TOTAL TOKEN FILE...
 *                               an API v2 /studies page made of single-study
 *                               files, with totalCount TOTAL and nextPageToken
 *                               TOKEN ("-" for none)
 *       epmc-page FILE START COUNT HITCOUNT NEXT
 *                               a Europe PMC page of results START.. of the
 *                               search reply FILE, its bytes kept as they are
 *       pubmed-efetch FILE...   an EFetch reply holding, in the order asked,
 *                               the PubmedArticle elements of the POSTed ids
 *                               found in the real efetch files FILE...
 *
 * A request no rule matches gets 404.  The log gets one line per request:
 *
 *     MS <tab> CONN <tab> RULE <tab> STATUS <tab> METHOD <tab> PATH <tab> NAME=VALUE ...
 *
 * with MS the milliseconds since start, CONN the connection number, RULE the
 * rule's line in its case file (0: none), the parameters of the query string
 * and of a form body percent-decoded in the order received (tab, newline
 * and backslash escaped), then H:user-agent=... and H:accept-encoding=....
 */
#define _POSIX_C_SOURCE 200809L
#include "fetch/search_int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/strv.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* ------------------------------------------------------------------ */
/* rules */

enum action { A_REPLY, A_TRUNCATE, A_STALL, A_STALL_AFTER, A_CLOSE };
enum gen { G_NONE, G_PUBMED, G_CTGOV, G_EPMC, G_EFETCH };

struct rule {
	char *file;              /* case file and line, for the log */
	int line;
	char method[16];
	char *path;
	struct strv want;        /* "=NAME=VALUE", "+NAME", "-NAME", "~NAME=TEXT" */
	long skip, times;        /* times < 0: unlimited */
	long seen, used;
	int status;
	struct strv headers;
	struct buf body;
	int gzip;
	enum action action;
	long action_n;
	enum gen gen;
	long synth_n;            /* pubmed-synthetic N */
	long count_offset;
	struct strv omit;        /* ids efetch leaves out */
	struct strv args;        /* ctgov-page / epmc-page arguments */
};

static struct rule *rules;
static size_t nrules;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "replay: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(out, chunk, n) < 0)
			die("out of memory");
	fclose(f);
	return 0;
}

/* $NAME and ${NAME} from the environment */
static void expand(struct buf *out, const char *s)
{
	while (*s) {
		if (*s == '$') {
			char name[128];
			size_t n = 0;
			int brace = s[1] == '{';
			const char *p = s + 1 + brace, *v;

			while ((isalnum((unsigned char)*p) || *p == '_') && n < sizeof(name) - 1)
				name[n++] = *p++;
			name[n] = '\0';
			if (brace && *p == '}')
				p++;
			v = getenv(name);
			if (!v)
				die("environment variable %s is not set", name);
			buf_adds(out, v);
			s = p;
			continue;
		}
		buf_addc(out, *s++);
	}
}

static void load_case(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	int lineno = 0;
	struct rule *r = NULL;
	char *dir, *slash;

	if (!f)
		die("cannot open %s: %s", path, strerror(errno));
	dir = strdup(path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *arg;
		size_t len = strlen(line);

		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		arg = s;
		while (*arg && *arg != ' ' && *arg != '\t')
			arg++;
		if (*arg)
			*arg++ = '\0';
		while (*arg == ' ' || *arg == '\t')
			arg++;
		if (!strcmp(s, "rule")) {
			char m[16], p[4096];

			rules = realloc(rules, (nrules + 1) * sizeof(*rules));
			r = &rules[nrules++];
			memset(r, 0, sizeof(*r));
			r->file = strdup(path);
			r->line = lineno;
			r->times = -1;
			r->status = 200;
			buf_init(&r->body, 0);
			if (sscanf(arg, "%15s %4095s", m, p) != 2)
				die("%s:%d: rule METHOD PATH", path, lineno);
			snprintf(r->method, sizeof(r->method), "%s", m);
			r->path = strdup(p);
			continue;
		}
		if (!r)
			die("%s:%d: '%s' before any rule", path, lineno, s);
		if (!strcmp(s, "param")) {
			struct buf b = BUF_INIT;

			buf_printf(&b, "%c%s", strchr(arg, '=') ? '=' : '+', arg);
			strv_push_owned(&r->want, buf_detach(&b));
		} else if (!strcmp(s, "noparam") || !strcmp(s, "contains")) {
			struct buf b = BUF_INIT;

			buf_printf(&b, "%c%s", s[0] == 'n' ? '-' : '~', arg);
			strv_push_owned(&r->want, buf_detach(&b));
		} else if (!strcmp(s, "skip")) {
			r->skip = atol(arg);
		} else if (!strcmp(s, "times")) {
			r->times = atol(arg);
		} else if (!strcmp(s, "status")) {
			r->status = atoi(arg);
		} else if (!strcmp(s, "header")) {
			strv_push(&r->headers, arg);
		} else if (!strcmp(s, "retry-after")) {
			struct buf b = BUF_INIT;

			buf_printf(&b, "Retry-After: %s", arg);
			strv_push_owned(&r->headers, buf_detach(&b));
		} else if (!strcmp(s, "body-file")) {
			struct buf p = BUF_INIT;

			expand(&p, arg);
			if (p.s[0] != '/') {
				struct buf q = BUF_INIT;

				buf_printf(&q, "%s/%s", dir, p.s);
				buf_release(&p);
				p = q;
			}
			if (read_file(p.s, &r->body) < 0)
				die("%s:%d: cannot read %s: %s", path, lineno, p.s, strerror(errno));
			buf_release(&p);
		} else if (!strcmp(s, "body")) {
			char tag[64];

			if (sscanf(arg, "<<%63s", tag) != 1)
				die("%s:%d: body <<TAG", path, lineno);
			while (fgets(line, sizeof(line), f)) {
				lineno++;
				len = strlen(line);
				while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
					line[--len] = '\0';
				if (!strcmp(line, tag))
					break;
				buf_adds(&r->body, line);
				buf_addc(&r->body, '\n');
			}
		} else if (!strcmp(s, "gzip")) {
			r->gzip = 1;
		} else if (!strcmp(s, "truncate")) {
			r->action = A_TRUNCATE;
			r->action_n = atol(arg);
		} else if (!strcmp(s, "stall")) {
			r->action = A_STALL;
		} else if (!strcmp(s, "stall-after")) {
			r->action = A_STALL_AFTER;
			r->action_n = atol(arg);
		} else if (!strcmp(s, "close")) {
			r->action = A_CLOSE;
		} else if (!strcmp(s, "pubmed-synthetic")) {
			struct strv w = STRV_INIT;

			r->gen = G_PUBMED;
			strv_split(&w, arg, " ");
			if (!w.n)
				die("%s:%d: pubmed-synthetic N", path, lineno);
			r->synth_n = atol(w.v[0]);
			for (size_t i = 1; i < w.n; i++) {
				if (!strncmp(w.v[i], "omit=", 5))
					strv_split(&r->omit, w.v[i] + 5, ",");
				else if (!strncmp(w.v[i], "count-offset=", 13))
					r->count_offset = atol(w.v[i] + 13);
				else
					die("%s:%d: unknown pubmed-synthetic option %s", path, lineno, w.v[i]);
			}
			strv_release(&w);
		} else if (!strcmp(s, "ctgov-page") || !strcmp(s, "epmc-page") ||
			   !strcmp(s, "pubmed-efetch")) {
			struct strv w = STRV_INIT;

			r->gen = s[0] == 'c' ? G_CTGOV : s[0] == 'e' ? G_EPMC : G_EFETCH;
			strv_split(&w, arg, " ");
			for (size_t i = 0; i < w.n; i++) {
				struct buf p = BUF_INIT;

				expand(&p, w.v[i]);
				strv_push_owned(&r->args, buf_detach(&p));
			}
			strv_release(&w);
			if ((r->gen == G_CTGOV && r->args.n < 2) || (r->gen == G_EPMC && r->args.n != 5))
				die("%s:%d: wrong arguments for %s", path, lineno, s);
		} else {
			die("%s:%d: unknown directive '%s'", path, lineno, s);
		}
	}
	fclose(f);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* requests */

struct request {
	char method[16];
	char path[8192];
	struct strv params;      /* name, value, ... decoded */
	char ua[256];
	char accept_enc[128];
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *url_decode(const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			buf_addc(&b, ' ');
		} else if (s[i] == '%' && i + 2 < n + 0 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			buf_addc(&b, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
			i += 2;
		} else {
			buf_addc(&b, s[i]);
		}
	}
	return buf_detach(&b);
}

static void parse_params(struct strv *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i, eq;

		while (j < n && s[j] != '&')
			j++;
		eq = i;
		while (eq < j && s[eq] != '=')
			eq++;
		if (j > i) {
			strv_push_owned(out, url_decode(s + i, eq - i));
			strv_push_owned(out, eq < j ? url_decode(s + eq + 1, j - eq - 1) : strdup(""));
		}
		i = j + 1;
	}
}

static const char *param(const struct request *rq, const char *name)
{
	for (size_t i = 0; i + 1 < rq->params.n; i += 2)
		if (!strcmp(rq->params.v[i], name))
			return rq->params.v[i + 1];
	return NULL;
}

static int rule_matches(const struct rule *r, const struct request *rq)
{
	size_t plen = strlen(r->path);

	if (strcmp(r->method, "*") && strcmp(r->method, rq->method))
		return 0;
	if (plen && r->path[plen - 1] == '*') {
		if (strncmp(r->path, rq->path, plen - 1))
			return 0;
	} else if (strcmp(r->path, rq->path)) {
		return 0;
	}
	for (size_t i = 0; i < r->want.n; i++) {
		const char *w = r->want.v[i] + 1, *eq = strchr(w, '=');
		char name[256];
		const char *v;

		snprintf(name, sizeof(name), "%.*s", (int)(eq && r->want.v[i][0] != '+' && r->want.v[i][0] != '-'
							   ? (size_t)(eq - w) : strlen(w)), w);
		v = param(rq, name);
		switch (r->want.v[i][0]) {
		case '=': if (!v || strcmp(v, eq + 1)) return 0; break;
		case '+': if (!v) return 0; break;
		case '-': if (v) return 0; break;
		case '~': if (!v || !strstr(v, eq + 1)) return 0; break;
		}
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* generated replies */

/* days from 1970-01-01 (Howard Hinnant's days_from_civil) */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static long parse_day(const char *s)
{
	long y = 0;
	unsigned m = 1, d = 1;

	if (sscanf(s, "%ld/%u/%u", &y, &m, &d) < 1)
		return 0;
	return days_from_civil(y, m, d);
}

/* the synthetic PMID i was created on 2020-01-01 + (i - 1) / 10 days */
static long synth_day(long i)
{
	return days_from_civil(2020, 1, 1) + (i - 1) / 10;
}

static void synth_einfo(const struct rule *r, struct buf *out)
{
	buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
			"<!DOCTYPE eInfoResult PUBLIC \"-//NLM//DTD einfo 20190110//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20190110/einfo.dtd\">\n"
			"<eInfoResult>\n\t<DbInfo>\n\t\t<DbName>pubmed</DbName>\n"
			"\t\t<DbBuild>Build-synthetic</DbBuild>\n\t\t<Count>%ld</Count>\n"
			"\t\t<LastUpdate>2025/01/01 00:00</LastUpdate>\n\t</DbInfo>\n</eInfoResult>\n",
		   r->synth_n);
}

static void synth_esearch(const struct rule *r, const struct request *rq, struct buf *out)
{
	const char *term = param(rq, "term"), *p;
	const char *mind = param(rq, "mindate"), *maxd = param(rq, "maxdate");
	const char *rs = param(rq, "retstart"), *rm = param(rq, "retmax");
	long lo = 1, hi = r->synth_n, dlo = -1000000, dhi = 1000000;
	long start = rs ? atol(rs) : 0, max = rm ? atol(rm) : 20, count = 0, ranged = 0;
	long *ids = NULL, n = 0;

	/* every "A:B[UID]" narrows the range */
	for (p = term ? strstr(term, "[UID]") : NULL; p; p = strstr(p + 1, "[UID]")) {
		const char *q = p;
		long a, b;

		while (q > term && (isdigit((unsigned char)q[-1]) || q[-1] == ':' || q[-1] == ' '))
			q--;
		if (sscanf(q, " %ld:%ld", &a, &b) == 2) {
			if (a > lo)
				lo = a;
			if (b < hi)
				hi = b;
			ranged = 1;
		}
	}
	if (mind && maxd) {
		dlo = parse_day(mind);
		dhi = parse_day(maxd);
	}
	ids = malloc(sizeof(*ids) * (size_t)(r->synth_n + 1));
	/* newest first, as PubMed lists them */
	for (long i = hi; i >= lo && i >= 1; i--) {
		long d = synth_day(i);

		if (d < dlo || d > dhi)
			continue;
		ids[n++] = i;
	}
	count = n + (ranged ? 0 : r->count_offset);
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
		      "<!DOCTYPE eSearchResult PUBLIC \"-//NLM//DTD esearch 20060628//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd\">\n");
	if (start > 9998) {
		buf_printf(out, "<eSearchResult><ERROR>Search Backend failed: Exception:\n'retstart' cannot be larger than 9998. For PubMed, ESearch can only retrieve the first 9,999 records matching the query.</ERROR></eSearchResult>\n");
		free(ids);
		return;
	}
	if (max > 9999 - start)
		max = 9999 - start;
	if (max > n - start)
		max = n - start > 0 ? n - start : 0;
	buf_printf(out, "<eSearchResult><Count>%ld</Count><RetMax>%ld</RetMax><RetStart>%ld</RetStart>",
		   count, max, start);
	if (param(rq, "usehistory"))
		buf_adds(out, "<QueryKey>1</QueryKey><WebEnv>MCID_synthetic</WebEnv>");
	buf_adds(out, "<IdList>\n");
	for (long i = start; i < start + max; i++)
		buf_printf(out, "<Id>%ld</Id>\n", ids[i]);
	buf_printf(out, "</IdList><TranslationSet/><QueryTranslation>synthetic[All Fields]</QueryTranslation>");
	if (rm && atol(rm) + start > 9999)
		buf_printf(out, "<WarningList><OutputMessage>Restrictions achieved. start and count adjusted to %ld, %ld</OutputMessage></WarningList>",
			   start, max);
	buf_adds(out, "</eSearchResult>\n");
	free(ids);
}

static void synth_efetch(const struct rule *r, const struct request *rq, struct buf *out)
{
	const char *idp = param(rq, "id");
	struct strv ids = STRV_INIT;

	if (idp)
		strv_split(&ids, idp, ",");
	buf_adds(out, "<?xml version=\"1.0\" ?>\n"
		      "<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n"
		      "<PubmedArticleSet>\n");
	for (size_t k = 0; k < ids.n; k++) {
		long i = atol(ids.v[k]);
		long day = synth_day(i), y, m, d;
		/* civil_from_days, enough for the dates written here */
		long z = day + 719468, era = z / 146097, doe = z - era * 146097;
		long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

		if (i < 1 || i > r->synth_n || strv_contains(&r->omit, ids.v[k]))
			continue;
		d = doy - (153 * mp + 2) / 5 + 1;
		m = mp < 10 ? mp + 3 : mp - 9;
		y = yoe + era * 400 + (m <= 2);
		buf_printf(out,
			   "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">%ld</PMID>"
			   "<Article PubModel=\"Print\"><Journal><JournalIssue CitedMedium=\"Print\"><Volume>%ld</Volume>"
			   "<PubDate><Year>%ld</Year></PubDate></JournalIssue><Title>Journal of Synthetic Records</Title></Journal>"
			   "<ArticleTitle>Synthetic record %ld.</ArticleTitle><Pagination><MedlinePgn>%ld-%ld</MedlinePgn></Pagination>"
			   "<AuthorList CompleteYN=\"Y\"><Author ValidYN=\"Y\"><LastName>Replay</LastName><ForeName>Test</ForeName><Initials>T</Initials></Author></AuthorList>"
			   "<Language>eng</Language><PublicationTypeList><PublicationType UI=\"D016428\">Journal Article</PublicationType></PublicationTypeList>"
			   "</Article></MedlineCitation><PubmedData><History><PubMedPubDate PubStatus=\"entrez\"><Year>%ld</Year><Month>%ld</Month><Day>%ld</Day></PubMedPubDate></History>"
			   "<PublicationStatus>ppublish</PublicationStatus><ArticleIdList><ArticleId IdType=\"pubmed\">%ld</ArticleId>"
			   "<ArticleId IdType=\"doi\">10.5555/synthetic.%ld</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n",
			   i, i % 50 + 1, y, i, i, i + 7, y, m, d, i, i);
	}
	buf_adds(out, "</PubmedArticleSet>\n");
	strv_release(&ids);
}

static void gen_ctgov(const struct rule *r, struct buf *out)
{
	int first = 1;

	buf_addc(out, '{');
	if (strcmp(r->args.v[0], "-")) {
		buf_printf(out, "\"totalCount\":%s", r->args.v[0]);
		first = 0;
	}
	buf_printf(out, "%s\"studies\":[", first ? "" : ",");
	for (size_t i = 2; i < r->args.n; i++) {
		struct buf f = BUF_INIT;

		if (read_file(r->args.v[i], &f) < 0)
			die("cannot read %s: %s", r->args.v[i], strerror(errno));
		if (i > 2)
			buf_addc(out, ',');
		buf_add(out, f.s, f.len);
		buf_release(&f);
	}
	buf_addc(out, ']');
	if (strcmp(r->args.v[1], "-"))
		buf_printf(out, ",\"nextPageToken\":\"%s\"", r->args.v[1]);
	buf_adds(out, "}\n");
}

static void gen_epmc(const struct rule *r, struct buf *out)
{
	static const char *const path[] = { "resultList", "result", NULL };
	struct buf f = BUF_INIT;
	struct jspan *items = NULL;
	size_t n = 0, start = (size_t)atol(r->args.v[1]), count = (size_t)atol(r->args.v[2]);

	if (read_file(r->args.v[0], &f) < 0)
		die("cannot read %s: %s", r->args.v[0], strerror(errno));
	if (jspan_array_items(f.s, f.len, path, &items, &n) < 0)
		die("%s: no resultList.result array", r->args.v[0]);
	buf_printf(out, "{\"version\":\"6.9\",\"hitCount\":%s,", r->args.v[3]);
	if (strcmp(r->args.v[4], "-"))
		buf_printf(out, "\"nextCursorMark\":\"%s\",", r->args.v[4]);
	buf_adds(out, "\"request\":{\"resultType\":\"core\"},\"resultList\":{\"result\":[");
	for (size_t i = start; i < start + count && i < n; i++) {
		if (i > start)
			buf_addc(out, ',');
		buf_add(out, f.s + items[i].off, items[i].len);
	}
	buf_adds(out, "]}}\n");
	free(items);
	buf_release(&f);
}

/* The PubmedArticle elements of the real files, their bytes as they are,
 * for the ids asked; ids not found are left out (as PubMed does). */
static void gen_efetch(const struct rule *r, const struct request *rq, struct buf *out)
{
	const char *idp = param(rq, "id");
	struct strv ids = STRV_INIT;
	struct buf all = BUF_INIT;

	for (size_t i = 0; i < r->args.n; i++)
		if (read_file(r->args.v[i], &all) < 0)
			die("cannot read %s: %s", r->args.v[i], strerror(errno));
	if (idp)
		strv_split(&ids, idp, ",");
	buf_adds(out, "<?xml version=\"1.0\" ?>\n"
		      "<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n"
		      "<PubmedArticleSet>\n");
	for (size_t k = 0; k < ids.n; k++) {
		const char *p = all.s;

		while ((p = strstr(p, "<PubmedArticle>"))) {
			const char *end = strstr(p, "</PubmedArticle>");
			const char *pm = strstr(p, "<PMID");
			char want[64];

			if (!end)
				break;
			end += strlen("</PubmedArticle>");
			snprintf(want, sizeof(want), ">%s</PMID>", ids.v[k]);
			if (pm && pm < end && !strncmp(strchr(pm, '>'), want, strlen(want))) {
				buf_add(out, p, (size_t)(end - p));
				buf_addc(out, '\n');
				break;
			}
			p = end;
		}
	}
	buf_adds(out, "</PubmedArticleSet>\n");
	strv_release(&ids);
	buf_release(&all);
}

/* ------------------------------------------------------------------ */
/* connections */

struct conn {
	int fd;
	int id;
	int stalled;
	struct buf in;
};

static FILE *logf;
static double t0;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void log_field(const char *s)
{
	for (; *s; s++) {
		if (*s == '\t')
			fputs("\\t", logf);
		else if (*s == '\n')
			fputs("\\n", logf);
		else if (*s == '\\')
			fputs("\\\\", logf);
		else
			fputc(*s, logf);
	}
}

static void log_request(const struct conn *c, const struct rule *r, int status,
			const struct request *rq)
{
	fprintf(logf, "%.0f\t%d\t%d\t%d\t%s\t", now_ms() - t0, c->id, r ? r->line : 0, status,
		rq->method);
	log_field(rq->path);
	for (size_t i = 0; i + 1 < rq->params.n; i += 2) {
		fputc('\t', logf);
		log_field(rq->params.v[i]);
		fputc('=', logf);
		log_field(rq->params.v[i + 1]);
	}
	fputs("\tH:user-agent=", logf);
	log_field(rq->ua);
	fputs("\tH:accept-encoding=", logf);
	log_field(rq->accept_enc);
	fputc('\n', logf);
	fflush(logf);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 408: return "Request Timeout";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Status";
	}
}

static void gzip_buf(const struct buf *in, struct buf *out)
{
	z_stream z;
	unsigned char chunk[65536];
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		die("deflateInit2 failed");
	z.next_in = (unsigned char *)in->s;
	z.avail_in = (uInt)in->len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		buf_add(out, chunk, sizeof(chunk) - z.avail_out);
	} while (rc == Z_OK);
	deflateEnd(&z);
}

static int has_header(const struct rule *r, const char *prefix)
{
	for (size_t i = 0; r && i < r->headers.n; i++)
		if (!strncasecmp(r->headers.v[i], prefix, strlen(prefix)))
			return 1;
	return 0;
}

/* Answer one request; returns 0 to keep the connection, -1 to close it. */
static int respond(struct conn *c, struct request *rq)
{
	struct rule *r = NULL;
	struct buf body = BUF_INIT, head = BUF_INIT, gz = BUF_INIT;
	const struct buf *send_body = &body;
	int status = 404, keep = 0;

	for (size_t i = 0; i < nrules && !r; i++) {
		struct rule *x = &rules[i];

		if (!rule_matches(x, rq))
			continue;
		x->seen++;
		if (x->seen <= x->skip)
			continue;
		if (x->times >= 0 && x->used >= x->times)
			continue;
		x->used++;
		r = x;
	}
	if (!r) {
		buf_printf(&body, "replay: no rule for %s %s\n", rq->method, rq->path);
	} else {
		status = r->status;
		switch (r->gen) {
		case G_PUBMED: {
			const char *leaf = strrchr(rq->path, '/');

			leaf = leaf ? leaf + 1 : rq->path;
			if (!strcmp(leaf, "einfo.fcgi"))
				synth_einfo(r, &body);
			else if (!strcmp(leaf, "esearch.fcgi"))
				synth_esearch(r, rq, &body);
			else if (!strcmp(leaf, "efetch.fcgi"))
				synth_efetch(r, rq, &body);
			else
				status = 404;
			break;
		}
		case G_CTGOV:
			gen_ctgov(r, &body);
			break;
		case G_EPMC:
			gen_epmc(r, &body);
			break;
		case G_EFETCH:
			gen_efetch(r, rq, &body);
			break;
		case G_NONE:
			buf_add(&body, r->body.s, r->body.len);
			break;
		}
	}
	log_request(c, r, r && r->action == A_CLOSE ? 0 : status, rq);
	if (r && r->action == A_CLOSE) {
		buf_release(&body);
		return -1;
	}
	if (r && r->action == A_STALL) {
		c->stalled = 1;
		buf_release(&body);
		return 0;
	}
	if (r && r->gzip && strstr(rq->accept_enc, "gzip")) {
		gzip_buf(&body, &gz);
		send_body = &gz;
	}
	buf_printf(&head, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\nConnection: keep-alive\r\n",
		   status, reason_phrase(status), send_body->len);
	if (send_body == &gz)
		buf_adds(&head, "Content-Encoding: gzip\r\n");
	if (!has_header(r, "Content-Type:"))
		buf_printf(&head, "Content-Type: %s\r\n",
			   body.len && (body.s[0] == '{' || body.s[0] == '[') ? "application/json"
									     : body.len && body.s[0] == '<' ? "text/xml" : "text/plain");
	for (size_t i = 0; r && i < r->headers.n; i++)
		buf_printf(&head, "%s\r\n", r->headers.v[i]);
	buf_adds(&head, "\r\n");
	if (write_all(c->fd, head.s, head.len) < 0)
		goto close;
	if (r && r->action == A_TRUNCATE) {
		size_t n = (size_t)r->action_n < send_body->len ? (size_t)r->action_n : send_body->len;

		write_all(c->fd, send_body->s, n);
		goto close;
	}
	if (r && r->action == A_STALL_AFTER) {
		size_t n = (size_t)r->action_n < send_body->len ? (size_t)r->action_n : send_body->len;

		write_all(c->fd, send_body->s, n);
		c->stalled = 1;
		keep = 0;
		goto out;
	}
	if (write_all(c->fd, send_body->s, send_body->len) < 0)
		goto close;
	keep = 0;
	goto out;
close:
	keep = -1;
out:
	buf_release(&body);
	buf_release(&head);
	buf_release(&gz);
	return keep;
}

/* Parse one complete request from c->in; 1 done (consumed), 0 need more. */
static int take_request(struct conn *c, struct request *rq)
{
	char *end = memmem(c->in.s, c->in.len, "\r\n\r\n", 4), *line, *next, *q;
	size_t head_len, clen = 0, total;

	if (!end)
		return 0;
	head_len = (size_t)(end - c->in.s) + 4;
	memset(rq, 0, sizeof(*rq));
	for (line = c->in.s; line < end; line = next) {
		char *eol = memmem(line, (size_t)(end - line), "\r\n", 2);

		if (!eol)
			eol = end;
		next = eol + 2;
		if (line == c->in.s) {
			char target[8192];

			if (sscanf(line, "%15s %8191s", rq->method, target) != 2)
				return -1;
			q = strchr(target, '?');
			if (q) {
				*q = '\0';
				parse_params(&rq->params, q + 1, strlen(q + 1));
			}
			snprintf(rq->path, sizeof(rq->path), "%s", target);
		} else if (!strncasecmp(line, "Content-Length:", 15)) {
			clen = (size_t)strtoul(line + 15, NULL, 10);
		} else if (!strncasecmp(line, "User-Agent:", 11)) {
			snprintf(rq->ua, sizeof(rq->ua), "%.*s", (int)(eol - line - 12), line + 12);
		} else if (!strncasecmp(line, "Accept-Encoding:", 16)) {
			snprintf(rq->accept_enc, sizeof(rq->accept_enc), "%.*s", (int)(eol - line - 17),
				 line + 17);
		}
	}
	total = head_len + clen;
	if (c->in.len < total)
		return 0;
	if (clen)
		parse_params(&rq->params, c->in.s + head_len, clen);
	memmove(c->in.s, c->in.s + total, c->in.len - total);
	buf_setlen(&c->in, c->in.len - total);
	return 1;
}

int main(int argc, char **argv)
{
	const char *port_file = NULL, *log_file = NULL;
	struct conn *conns = NULL;
	size_t nconns = 0;
	int lfd, next_id = 1, one = 1;
	struct sockaddr_in sa;
	socklen_t slen = sizeof(sa);

	signal(SIGPIPE, SIG_IGN);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--case") && i + 1 < argc)
			load_case(argv[++i]);
		else if (!strcmp(argv[i], "--port-file") && i + 1 < argc)
			port_file = argv[++i];
		else if (!strcmp(argv[i], "--log") && i + 1 < argc)
			log_file = argv[++i];
		else
			die("usage: replay --case FILE... --port-file FILE --log FILE");
	}
	if (!port_file || !log_file || !nrules)
		die("usage: replay --case FILE... --port-file FILE --log FILE");
	logf = fopen(log_file, "w");
	if (!logf)
		die("cannot write %s: %s", log_file, strerror(errno));
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 16) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &slen) < 0)
		die("cannot listen: %s", strerror(errno));
	{
		struct buf tmp = BUF_INIT;
		FILE *pf;

		buf_printf(&tmp, "%s.tmp", port_file);
		pf = fopen(tmp.s, "w");
		if (!pf)
			die("cannot write %s", tmp.s);
		fprintf(pf, "%d\n", ntohs(sa.sin_port));
		fclose(pf);
		if (rename(tmp.s, port_file) < 0)
			die("cannot rename %s", tmp.s);
		buf_release(&tmp);
	}
	t0 = now_ms();
	for (;;) {
		struct pollfd *pfd = calloc(nconns + 1, sizeof(*pfd));

		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		for (size_t i = 0; i < nconns; i++) {
			pfd[i + 1].fd = conns[i].fd;
			pfd[i + 1].events = POLLIN;
		}
		if (poll(pfd, nconns + 1, -1) < 0) {
			free(pfd);
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		for (size_t i = nconns; i > 0; i--) {
			struct conn *c = &conns[i - 1];
			char chunk[65536];
			ssize_t n;
			int drop = 0;

			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(c->fd, chunk, sizeof(chunk));
			if (n <= 0) {
				drop = 1;
			} else if (!c->stalled) {
				struct request rq;
				int got;

				buf_add(&c->in, chunk, (size_t)n);
				while (!drop && !c->stalled && (got = take_request(c, &rq)) != 0) {
					if (got < 0 || respond(c, &rq) < 0)
						drop = 1;
					strv_release(&rq.params);
				}
			}
			if (drop) {
				close(c->fd);
				buf_release(&c->in);
				memmove(c, c + 1, (nconns - i) * sizeof(*c));
				nconns--;
			}
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept(lfd, NULL, NULL);

			if (fd >= 0) {
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				conns = realloc(conns, (nconns + 1) * sizeof(*conns));
				memset(&conns[nconns], 0, sizeof(*conns));
				conns[nconns].fd = fd;
				conns[nconns].id = next_id++;
				buf_init(&conns[nconns].in, 0);
				nconns++;
			}
		}
		free(pfd);
	}
}
