/*
 * http.c - the HTTP side of 'lsr serve' on libmicrohttpd: listening, the
 * embedded page, login and sessions, CSRF and size checks, security
 * headers, and the hand-over of API requests to api.c.
 *
 * One internal polling thread answers every request in turn on the one
 * database connection, so no two requests touch the database at once;
 * other processes (lsr screen import) share the file through WAL and the
 * busy timeout.  Secrets (login tokens, session ids) are never logged:
 * the server logs nothing.
 */
#include "serve_int.h"
#include "../screen/serve_query.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define COOKIE_NAME "lsr_session"
#define LOGIN_WINDOW 60    /* seconds over which failed logins are counted */
#define LOGIN_MAX_FAILS 10 /* failed logins per client address per window */
#define LIMITER_SLOTS 256

/* Failed logins per client address (IPv6, an IPv4 one mapped to
 * ::ffff:a.b.c.d), a fixed table: the oldest slot is reused when full. */
struct limiter {
	struct {
		unsigned char addr[16];
		time_t start;
		int fails;
	} slot[LIMITER_SLOTS];
};

struct server {
	struct serve_state state;
	struct limiter lim;
};

/* One request while its body arrives. */
struct conn {
	struct buf body;
	int too_large;
};

/* ---- answers ------------------------------------------------------------ */

static void security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'self'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result send_bytes(struct MHD_Connection *c, int status, const char *type,
				  const char *data, size_t len, int copy)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		len, (void *)data, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO;
	security_headers(resp);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * JSON text with <, > and & written as \u escapes: they can only occur
 * inside strings, and so the answer stays inert even if something read it
 * as HTML.
 */
static enum MHD_Result send_json(struct MHD_Connection *c, int status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	struct buf out = BUF_INIT;
	enum MHD_Result ret;

	json_decref(v);
	if (!text)
		return send_bytes(c, 500, "application/json", "{\"error\":\"out of memory\"}",
				  25, 0);
	for (const char *s = text; *s; s++) {
		if (*s == '<')
			buf_adds(&out, "\\u003c");
		else if (*s == '>')
			buf_adds(&out, "\\u003e");
		else if (*s == '&')
			buf_adds(&out, "\\u0026");
		else
			buf_add(&out, s, 1);
	}
	free(text);
	ret = send_bytes(c, status, "application/json", out.s ? out.s : "", out.len, 1);
	buf_release(&out);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg)
{
	return send_json(c, status, json_pack("{s:s}", "error", msg));
}

/* ---- login rate limit ---------------------------------------------------- */

/* The client's address as 16 bytes (IPv4 mapped to ::ffff:a.b.c.d; all
 * zero when unknown). */
static void client_addr(struct MHD_Connection *c, unsigned char addr[16])
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	memset(addr, 0, 16);
	if (sa && sa->sa_family == AF_INET) {
		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6) {
		memcpy(addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	}
}

static int *limiter_slot(struct limiter *l, const unsigned char addr[16], time_t now)
{
	size_t oldest = 0;

	for (size_t i = 0; i < LIMITER_SLOTS; i++) {
		if (l->slot[i].start && !memcmp(l->slot[i].addr, addr, 16)) {
			if (now - l->slot[i].start >= LOGIN_WINDOW) {
				l->slot[i].start = now;
				l->slot[i].fails = 0;
			}
			return &l->slot[i].fails;
		}
		if (l->slot[i].start < l->slot[oldest].start)
			oldest = i;
	}
	memcpy(l->slot[oldest].addr, addr, 16);
	l->slot[oldest].start = now;
	l->slot[oldest].fails = 0;
	return &l->slot[oldest].fails;
}

/* ---- login and sessions -------------------------------------------------- */

static enum MHD_Result do_login(struct server *srv, struct MHD_Connection *c)
{
	const char *token = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
	char session[SERVE_TOKEN_HEX + 1], cookie[160];
	unsigned char from[16];
	int *fails;
	struct serve_account acct;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	int rc;

	client_addr(c, from);
	fails = limiter_slot(&srv->lim, from, time(NULL));
	if (*fails >= LOGIN_MAX_FAILS)
		return send_error(c, 429, "too many failed logins: wait a minute");
	if (!token || strlen(token) != SERVE_TOKEN_HEX) {
		++*fails;
		return send_error(c, 403, "this login link is not valid");
	}
	rc = serve_login(srv->state.db, token, session, &acct);
	if (rc == LSR_ENOTFOUND) {
		++*fails;
		return send_error(c, 403, "this login link is not valid (used already, or revoked)");
	}
	if (rc < 0)
		return send_error(c, 500, lsr_error_last());
	snprintf(cookie, sizeof(cookie), COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict",
		 session);
	resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	security_headers(resp);
	MHD_add_response_header(resp, "Set-Cookie", cookie);
	MHD_add_response_header(resp, "Location", "/");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, 303, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The session cookie's account, or LSR_ENOTFOUND. */
static int authenticate(struct server *srv, struct MHD_Connection *c,
			struct serve_account *acct, const char **session)
{
	*session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME);
	if (!*session || strlen(*session) != SERVE_TOKEN_HEX)
		return LSR_ENOTFOUND;
	return serve_session_account(srv->state.db, *session, acct);
}

/* The CSRF token of a session: a hash of the session id, never stored. */
static int csrf_of(const char *session, char out[SERVE_TOKEN_HEX + 1])
{
	char in[SERVE_TOKEN_HEX + 8];

	snprintf(in, sizeof(in), "csrf:%s", session);
	return serve_hash(in, out);
}

/* ---- full texts ---------------------------------------------------------- */

/* The Content-Type of a full-text file, by its extension. */
static const char *file_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && !strcasecmp(dot, ".pdf"))
		return "application/pdf";
	if (dot && (!strcasecmp(dot, ".txt") || !strcasecmp(dot, ".md")))
		return "text/plain; charset=utf-8";
	return "application/octet-stream";
}

/*
 * A citation's registered full-text file (api.c checks who may have it):
 * the path comes from the database, never from the request; a relative
 * one is taken from the review's directory, as 'lsr screen fulltext'
 * registers it there.  HTML is never served as HTML (nosniff, a sandbox
 * CSP): a full text cannot run script in the page's origin.
 */
static enum MHD_Result send_fulltext(struct server *srv, struct MHD_Connection *c,
				     const struct serve_request *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	struct buf full = BUF_INIT;
	const char *type;
	char *path = NULL;
	json_t *body = NULL;
	struct stat sb;
	int status = 500, fd;

	if (serve_fulltext(&srv->state, r, &path, &status, &body) < 0 || !path)
		return send_json(c, status, body);
	if (path[0] != '/') {
		db_dir(srv->state.db, &full);
		buf_addc(&full, '/');
	}
	buf_adds(&full, path);
	free(path);
	fd = full.s ? open(full.s, O_RDONLY | O_CLOEXEC) : -1;
	type = file_type(full.s ? full.s : "");
	buf_release(&full);
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return send_error(c, 404, "the registered full-text file cannot be read");
	}
	resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	security_headers(resp);
	MHD_del_response_header(resp, "Content-Security-Policy", "default-src 'self'");
	MHD_add_response_header(resp, "Content-Security-Policy", "sandbox; default-src 'none'");
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- dispatch ------------------------------------------------------------ */

static const struct serve_asset *asset_of(const char *url)
{
	if (!strcmp(url, "/"))
		url = "/index.html";
	for (int i = 0; i < serve_assets_count; i++)
		if (!strcmp(serve_assets[i].path, url))
			return &serve_assets[i];
	return NULL;
}

static enum MHD_Result dispatch(struct server *srv, struct MHD_Connection *c, const char *url,
				const char *method, struct conn *cn)
{
	const struct serve_asset *a;
	struct serve_account acct;
	struct serve_request r = { 0 };
	char csrf[SERVE_TOKEN_HEX + 1];
	const char *session, *sent;
	int is_get = !strcmp(method, "GET") || !strcmp(method, "HEAD"), status = 500, rc;
	json_t *body = NULL;

	if (cn->too_large)
		return send_error(c, 413, "request body too large");
	if (is_get && (a = asset_of(url)))
		return send_bytes(c, 200, a->type, a->data, a->len, 0);
	if (!strcmp(url, "/login"))
		return is_get ? do_login(srv, c) : send_error(c, 405, "method not allowed");
	if (strncmp(url, "/api/", 5) && strcmp(url, "/logout"))
		return send_error(c, 404, "not found");
	rc = authenticate(srv, c, &acct, &session);
	if (rc == LSR_ENOTFOUND)
		return send_error(c, 401, "not logged in: open your login link");
	if (rc < 0)
		return send_error(c, 500, lsr_error_last());
	if (csrf_of(session, csrf) < 0)
		return send_error(c, 500, lsr_error_last());
	if (!is_get) {
		sent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!sent || !serve_secret_equal(sent, csrf))
			return send_error(c, 403, "missing or wrong X-CSRF-Token");
	}
	if (!strcmp(url, "/logout")) {
		if (is_get)
			return send_error(c, 405, "method not allowed");
		if (serve_logout(srv->state.db, session) < 0)
			return send_error(c, 500, lsr_error_last());
		return send_json(c, 200, json_pack("{s:b}", "ok", 1));
	}
	if (buf_add(&cn->body, "", 0) < 0) /* a NUL-terminated body, even when empty */
		return send_error(c, 500, "out of memory");
	r.method = !strcmp(method, "HEAD") ? "GET" : method;
	r.path = url;
	r.stage = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "stage");
	r.citation = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "citation");
	r.before = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "before");
	r.after = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
	r.body = cn->body.s ? cn->body.s : "";
	r.body_len = cn->body.len;
	r.acct = &acct;
	r.csrf = csrf;
	if (is_get && !strcmp(url, "/api/fulltext"))
		return send_fulltext(srv, c, &r);
	serve_api(&srv->state, &r, &status, &body);
	return send_json(c, status, body);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct conn *cn = *con_cls;

	(void)version;
	if (!cn) {
		const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							      MHD_HTTP_HEADER_CONTENT_LENGTH);

		cn = calloc(1, sizeof(*cn));
		if (!cn)
			return MHD_NO;
		*con_cls = cn;
		if (len && strtoull(len, NULL, 10) > SERVE_BODY_MAX) {
			cn->too_large = 1;
			return send_error(c, 413, "request body too large");
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cn->too_large && cn->body.len + *upload_size > SERVE_BODY_MAX)
			cn->too_large = 1;
		if (!cn->too_large && buf_add(&cn->body, upload_data, *upload_size) < 0)
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	return dispatch(srv, c, url, method, cn);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *con_cls;

	(void)cls, (void)c, (void)toe;
	if (cn) {
		buf_release(&cn->body);
		free(cn);
	}
	*con_cls = NULL;
}

/* ---- listening ------------------------------------------------------------ */

int serve_addr_is_loopback(uint32_t addr)
{
	return (ntohl(addr) >> 24) == 127;
}

int serve_listen_is_loopback(const struct serve_opts *o)
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	struct in6_addr a;

	if (!o->ipv6)
		return serve_addr_is_loopback(o->addr);
	memcpy(&a, o->addr6, sizeof(a));
	return IN6_IS_ADDR_LOOPBACK(&a) || (!memcmp(o->addr6, mapped, 12) && o->addr6[12] == 127);
}

/* "ADDR:PORT" (IPv4) or "[ADDR]:PORT" (IPv6) */
int serve_parse_listen(const char *s, struct serve_opts *o)
{
	const char *colon = strrchr(s, ':'), *host_at = s;
	char host[64];
	size_t hlen;
	int v6 = s[0] == '[';
	struct in_addr in;
	struct in6_addr in6;
	char *end;
	long port;

	if (v6) {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return lsr_error_set(LSR_EUSAGE, "--listen: expected [ADDR]:PORT (an IPv6 address in brackets), not '%s'", s);
		host_at = s + 1;
		colon = close + 1;
		hlen = (size_t)(close - host_at);
	} else {
		hlen = colon ? (size_t)(colon - s) : 0;
	}
	if (!colon || !hlen || hlen >= sizeof(host))
		return lsr_error_set(LSR_EUSAGE, "--listen: expected ADDR:PORT (IPv4) or [ADDR]:PORT (IPv6), not '%s'", s);
	memcpy(host, host_at, hlen);
	host[hlen] = '\0';
	if (v6 ? inet_pton(AF_INET6, host, &in6) != 1 : inet_pton(AF_INET, host, &in) != 1)
		return lsr_error_set(LSR_EUSAGE, "--listen: '%s' is not an %s address%s", host,
				     v6 ? "IPv6" : "IPv4",
				     !v6 && strchr(host, ':') ? " (an IPv6 one goes in brackets: [::1]:PORT)" : "");
	port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || port < 0 || port > 65535)
		return lsr_error_set(LSR_EUSAGE, "--listen: '%s' is not a port (0 to 65535)", colon + 1);
	o->ipv6 = v6;
	if (v6)
		memcpy(o->addr6, &in6, sizeof(o->addr6));
	else
		o->addr = in.s_addr;
	o->port = (int)port;
	return 0;
}

/*
 * Wait for SIGINT or SIGTERM, checkpointing the WAL once a second on a
 * connection of this thread's own: the request thread's connection has
 * automatic checkpoints off, so that no request waits for the fsync of a
 * checkpoint (PASSIVE: it never blocks the request thread's writes).
 */
static void checkpoints(struct lsr_db *db, const sigset_t *sigs)
{
	const struct timespec tick = { 1, 0 };
	sqlite3 *ck = NULL;
	int sig;

	if (sqlite3_open_v2(db_path(db), &ck, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(ck);
		ck = NULL;
	}
	for (;;) {
		sig = sigtimedwait(sigs, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		if (ck)
			sqlite3_exec(ck, "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL, NULL);
	}
	sqlite3_close(ck);
}

int serve_run(struct lsr_db *db, const struct protocol *p, const struct serve_opts *o)
{
	struct server *srv = calloc(1, sizeof(*srv));
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *info;
	union {
		struct sockaddr any;
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} sa;
	sigset_t sigs, old;
	char url[80], host[INET6_ADDRSTRLEN];
	int tries = o->try_next ? 20 : 1, port = o->port, rc;

	if (!srv)
		return lsr_error_oom();
	srv->state.db = db;
	srv->state.p = p;
	srv->state.handout = screen_handout_new(o->seed);
	if (!srv->state.handout) {
		free(srv);
		return lsr_error_oom();
	}
	/* checkpoints (an fsync) run beside the requests, not inside one */
	if ((rc = screen_handout_warm(db, p, srv->state.handout)) < 0 ||
	    (rc = db_exec(db, "PRAGMA wal_autocheckpoint = 0")) < 0) {
		screen_handout_free(srv->state.handout);
		free(srv);
		return rc;
	}
	/* the server's thread inherits the mask: signals come to sigwait below */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);
	for (int i = 0; i < tries && !d; i++) {
		uint16_t at = htons((uint16_t)(port + (port ? i : 0)));

		memset(&sa, 0, sizeof(sa));
		if (o->ipv6) {
			sa.v6.sin6_family = AF_INET6;
			memcpy(&sa.v6.sin6_addr, o->addr6, sizeof(o->addr6));
			sa.v6.sin6_port = at;
		} else {
			sa.v4.sin_family = AF_INET;
			sa.v4.sin_addr.s_addr = o->addr;
			sa.v4.sin_port = at;
		}
		/* [::]: IPv4 clients too (dual stack), as the system allows */
		d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | (o->ipv6 ? MHD_USE_DUAL_STACK : 0),
				     0, NULL, NULL, on_request, srv,
				     MHD_OPTION_SOCK_ADDR, &sa.any,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
				     MHD_OPTION_END);
	}
	if (!d) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		screen_handout_free(srv->state.handout);
		free(srv);
		return lsr_error_set(LSR_ERROR, "cannot listen on port %d%s (in use, or not allowed)",
				     port, tries > 1 ? " or the 19 after it" : "");
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (o->ipv6)
		inet_ntop(AF_INET6, o->addr6, host, sizeof(host));
	else
		inet_ntop(AF_INET, &o->addr, host, sizeof(host));
	snprintf(url, sizeof(url), o->ipv6 ? "http://[%s]:%u" : "http://%s:%u", host,
		 info ? (unsigned)info->port : 0u);
	if (o->ready)
		o->ready(url, o->payload);
	checkpoints(db, &sigs);
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	screen_handout_free(srv->state.handout);
	free(srv);
	return 0;
}
