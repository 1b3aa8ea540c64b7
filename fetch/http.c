/*
 * http.c - the HTTP client: one reused libcurl handle, a per-service pacer,
 * classification of replies and retries with backoff (see http.h).
 *
 * The retry policy follows `curl --retry` (timeouts, connection failures,
 * 408/429/500/502/503/504, waits doubling from one second, Retry-After
 * honoured) plus the caller's judgement of the body, because E-utilities
 * put errors inside 200 replies.  CURLOPT_FAILONERROR stays off: error
 * bodies are read and classified, never thrown away.
 */
#define _POSIX_C_SOURCE 200809L
#include "http.h"
#include "../db/record.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <curl/curl.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct http_client {
	CURL *h;                          /* reused: keeps the connection alive */
	struct http_config cfg;
	char errbuf[CURL_ERROR_SIZE];
	uint64_t rng;                     /* jitter */
};

/* ------------------------------------------------------------------ */
/* configuration */

static long env_long(const char *name, long def, long min, long max)
{
	const char *e = getenv(name);
	char *end;
	long v;

	if (!e || !*e)
		return def;
	errno = 0;
	v = strtol(e, &end, 10);
	if (*end || errno || v < min || v > max)
		return def;
	return v;
}

void http_config_init(struct http_config *cfg)
{
	const char *v = getenv("LSR_HTTP_VERSION");

	memset(cfg, 0, sizeof(*cfg));
	cfg->user_agent = "lsr/" LSR_VERSION;
	cfg->connect_timeout_ms = 15000;
	cfg->timeout_ms = env_long("LSR_HTTP_TIMEOUT", 300, 1, 86400) * 1000;
	cfg->low_speed_limit = 100;
	cfg->low_speed_time = env_long("LSR_HTTP_LOW_SPEED_TIME", 60, 1, 3600);
	cfg->max_attempts = (int)env_long("LSR_HTTP_ATTEMPTS", 5, 1, 100);
	cfg->backoff_ms = env_long("LSR_HTTP_BACKOFF_MS", 1000, 0, 3600000);
	cfg->backoff_max_ms = 60000;
	if (cfg->backoff_max_ms < cfg->backoff_ms)
		cfg->backoff_max_ms = cfg->backoff_ms;
	cfg->retry_after_max_s = 600;
	cfg->max_body = (size_t)256 << 20;
	cfg->http1_only = v && !strcmp(v, "1.1");
}

/* ------------------------------------------------------------------ */
/* forms */

int http_form_add(struct http_form *f, const char *name, const char *value)
{
	if (strv_push(&f->kv, name) < 0 || strv_push(&f->kv, value ? value : "") < 0)
		return LSR_ENOMEM;
	return 0;
}

int http_form_addf(struct http_form *f, const char *name, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc == 0)
		rc = http_form_add(f, name, b.s);
	buf_release(&b);
	return rc;
}

const char *http_form_get(const struct http_form *f, const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; i + 1 < f->kv.n; i += 2)
		if (!strcmp(f->kv.v[i], name))
			v = f->kv.v[i + 1];
	return v;
}

void http_form_release(struct http_form *f)
{
	strv_release(&f->kv);
}

int http_param_is_secret(const char *name)
{
	return !strcmp(name, "api_key");
}

int http_form_json(struct buf *out, const struct http_form *f)
{
	if (buf_addc(out, '{') < 0)
		return LSR_ENOMEM;
	for (size_t i = 0; i + 1 < f->kv.n; i += 2) {
		const char *v = http_param_is_secret(f->kv.v[i]) ? "***" : f->kv.v[i + 1];

		if ((i && buf_addc(out, ',') < 0) ||
		    record_json_str(out, f->kv.v[i], strlen(f->kv.v[i])) < 0 ||
		    buf_addc(out, ':') < 0 || record_json_str(out, v, strlen(v)) < 0)
			return LSR_ENOMEM;
	}
	return buf_addc(out, '}');
}

/* name=value&... percent-encoded; secrets as *** when redact. */
static int form_encode(CURL *h, struct buf *out, const struct http_form *f, int redact)
{
	for (size_t i = 0; i + 1 < f->kv.n; i += 2) {
		int hide = redact && http_param_is_secret(f->kv.v[i]);
		char *k = curl_easy_escape(h, f->kv.v[i], 0);
		char *v = hide ? NULL : curl_easy_escape(h, f->kv.v[i + 1], 0);
		int rc = 0;

		if (!k || (!hide && !v))
			rc = lsr_error_oom();
		else if (buf_printf(out, "%s%s=%s", i ? "&" : "", k, hide ? "***" : v) < 0)
			rc = LSR_ENOMEM;
		curl_free(k);
		curl_free(v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* pacing and backoff */

#define PACER_SLOTS 16

static struct pacer_slot {
	char service[32];
	double last_start; /* monotonic seconds; 0: never */
} pacer[PACER_SLOTS];

void http_pacer_reset(void)
{
	memset(pacer, 0, sizeof(pacer));
}

double http_pacer_reserve(const char *service, double min_interval, double now)
{
	struct pacer_slot *s = NULL;
	double start;

	if (!service || !service[0])
		BUG("the pacer needs a service name");
	for (int i = 0; i < PACER_SLOTS && !s; i++)
		if (!strncmp(pacer[i].service, service, sizeof(pacer[i].service) - 1))
			s = &pacer[i];
	if (!s) {
		for (int i = 0; i < PACER_SLOTS && !s; i++)
			if (!pacer[i].service[0])
				s = &pacer[i];
		if (!s)
			BUG("more than %d services", PACER_SLOTS);
		/* the first request to a service: nothing to wait for */
		snprintf(s->service, sizeof(s->service), "%s", service);
		s->last_start = now;
		return 0;
	}
	start = s->last_start + min_interval;
	if (start < now)
		start = now;
	s->last_start = start;
	return start - now;
}

double http_backoff_wait(const struct http_config *cfg, int attempt, double retry_after,
			 double u)
{
	double base = (double)cfg->backoff_ms / 1000.0;
	double cap = (double)cfg->backoff_max_ms / 1000.0;

	if (retry_after > 0)
		return retry_after;
	for (int i = 1; i < attempt && base < cap; i++)
		base *= 2;
	if (base > cap)
		base = cap;
	return base / 2 + u * base / 2;
}

/* xorshift64*: jitter only, not security */
static double next_unit(struct http_client *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (double)((c->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Sleep seconds in slices, stopping at Ctrl-C. */
static int wait_for(double seconds, const char *service)
{
	double end = clock_mono() + seconds;

	for (;;) {
		double left = end - clock_mono();
		struct timespec ts;

		if (lsr_interrupted)
			return lsr_error_set(LSR_EINTR, "interrupted while waiting for %s", service);
		if (left <= 0)
			return 0;
		if (left > 0.1)
			left = 0.1;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* ------------------------------------------------------------------ */
/* the client */

struct sink {
	struct buf *body;
	int too_big;
};

static size_t on_data(char *data, size_t size, size_t n, void *payload)
{
	struct sink *s = payload;

	if (buf_add(s->body, data, size * n) < 0) {
		s->too_big = 1;
		return 0;
	}
	return size * n;
}

static int on_progress(void *payload, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	(void)payload; (void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
	return lsr_interrupted ? 1 : 0;
}

int http_client_new(struct http_client **out, const struct http_config *cfg)
{
	static int global_done;
	struct http_client *c;

	*out = NULL;
	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return lsr_error_set(LSR_EHTTP, "cannot initialise libcurl");
		global_done = 1;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return lsr_error_oom();
	c->cfg = *cfg;
	c->rng = (uint64_t)time(NULL) * 6364136223846793005ULL ^ (uint64_t)getpid() ^
		 (uint64_t)(clock_mono() * 1e9);
	if (!c->rng)
		c->rng = 88172645463325252ULL;
	c->h = curl_easy_init();
	if (!c->h) {
		free(c);
		return lsr_error_set(LSR_EHTTP, "cannot create a libcurl handle");
	}
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(c->h, CURLOPT_USERAGENT, cfg->user_agent);
	curl_easy_setopt(c->h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
	curl_easy_setopt(c->h, CURLOPT_LOW_SPEED_LIMIT, cfg->low_speed_limit);
	curl_easy_setopt(c->h, CURLOPT_LOW_SPEED_TIME, cfg->low_speed_time);
	curl_easy_setopt(c->h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c->h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c->h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c->h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_data);
	if (cfg->http1_only)
		curl_easy_setopt(c->h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	*out = c;
	return 0;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->h);
	free(c);
}

void http_response_release(struct http_response *r)
{
	buf_release(&r->body);
	r->status = 0;
	r->attempts = 0;
}

enum http_verdict http_status_verdict(long status)
{
	if (status >= 200 && status < 300)
		return HTTP_OK;
	switch (status) {
	case 408: case 429: case 500: case 502: case 503: case 504:
		return HTTP_RETRY;
	default:
		return HTTP_FAIL;
	}
}

static int curl_code_transient(CURLcode cc)
{
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_WEIRD_SERVER_REPLY:
		return 1;
	default:
		return 0;
	}
}

/* Keep why short and on one line: messages are one line. */
static void why_tidy(struct buf *why)
{
	for (size_t i = 0; i < why->len; i++)
		if (why->s[i] == '\n' || why->s[i] == '\r' || why->s[i] == '\t')
			why->s[i] = ' ';
	buf_trim(why);
	if (why->len > 300) {
		buf_setlen(why, 297);
		buf_adds(why, "...");
	}
}

int http_request_run(struct http_client *c, const struct http_request *rq,
		     struct http_response *out)
{
	struct buf url = BUF_INIT, shown = BUF_INIT, fields = BUF_INIT, params = BUF_INIT;
	struct buf why = BUF_INIT;
	const struct http_form *form = rq->form;
	struct http_form none = HTTP_FORM_INIT;
	long last_status = 0;
	int rc = 0;

	if (!form)
		form = &none;
	out->body.max = c->cfg.max_body;
	buf_reset(&out->body);
	out->status = 0;
	out->attempts = 0;
	if (buf_adds(&url, rq->url) < 0 || buf_adds(&shown, rq->url) < 0 ||
	    http_form_json(&params, form) < 0)
		goto oom;
	if (form->kv.n) {
		if (rq->post) {
			if ((rc = form_encode(c->h, &fields, form, 0)) < 0)
				goto out;
		} else if (buf_addc(&url, '?') < 0 || form_encode(c->h, &url, form, 0) < 0 ||
			   buf_addc(&shown, '?') < 0 || form_encode(c->h, &shown, form, 1) < 0) {
			goto oom;
		}
	}
	curl_easy_setopt(c->h, CURLOPT_URL, url.s);
	curl_easy_setopt(c->h, CURLOPT_REDIR_PROTOCOLS_STR,
			 strncmp(rq->url, "https:", 6) ? "http,https" : "https");
	if (rq->post) {
		curl_easy_setopt(c->h, CURLOPT_POST, 1L);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)fields.len);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, fields.s);
	} else {
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	}

	for (int attempt = 1;; attempt++) {
		struct sink sink = { &out->body, 0 };
		enum http_verdict verdict;
		curl_off_t retry_after = 0;
		double t0, wait, secs = 0;
		CURLcode cc;

		wait = http_pacer_reserve(rq->service, rq->min_interval, clock_mono());
		if (wait > 0 && (rc = wait_for(wait, rq->service)) < 0)
			goto out;
		buf_reset(&out->body);
		buf_reset(&why);
		c->errbuf[0] = '\0';
		curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &sink);
		t0 = clock_mono();
		cc = curl_easy_perform(c->h);
		secs = clock_mono() - t0;
		out->attempts = attempt;
		out->status = 0;
		if (cc == CURLE_OK) {
			curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &out->status);
			curl_easy_getinfo(c->h, CURLINFO_RETRY_AFTER, &retry_after);
			last_status = out->status;
			if (rq->check) {
				verdict = rq->check(out->status, &out->body, rq->check_payload, &why);
			} else {
				verdict = http_status_verdict(out->status);
				if (verdict != HTTP_OK)
					buf_printf(&why, "HTTP %ld", out->status);
			}
			if (verdict != HTTP_OK && !why.len)
				buf_printf(&why, "HTTP %ld", out->status);
		} else if (cc == CURLE_ABORTED_BY_CALLBACK && lsr_interrupted) {
			rc = lsr_error_set(LSR_EINTR, "interrupted during a request to %s", rq->service);
			goto out;
		} else {
			long st = 0;

			curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &st);
			out->status = st;
			if (sink.too_big)
				buf_printf(&why, "reply larger than %zu bytes", c->cfg.max_body);
			else
				buf_printf(&why, "%s (curl error %d)",
					   c->errbuf[0] ? c->errbuf : curl_easy_strerror(cc), (int)cc);
			if (st)
				buf_printf(&why, ", HTTP %ld", st);
			verdict = !sink.too_big && curl_code_transient(cc) ? HTTP_RETRY : HTTP_FAIL;
		}
		why_tidy(&why);
		if (rq->log) {
			struct http_attempt a = {
				rq->service, rq->post ? "POST" : "GET", shown.s, params.s, attempt,
				out->status, out->body.len, secs, verdict == HTTP_OK ? NULL : why.s,
			};
			rq->log(rq->log_payload, &a);
		}
		if (verdict == HTTP_OK) {
			rc = 0;
			goto out;
		}
		if (verdict == HTTP_FAIL || attempt >= c->cfg.max_attempts) {
			rc = lsr_error_set(last_status == 429 ? LSR_ERATELIMIT : LSR_EHTTP,
					   "%s: %s %s: %s (%s after %d attempt%s)", rq->service,
					   rq->post ? "POST" : "GET", shown.s, why.s,
					   verdict == HTTP_FAIL ? "not retried" : "gave up",
					   attempt, attempt == 1 ? "" : "s");
			goto out;
		}
		if (retry_after > c->cfg.retry_after_max_s) {
			rc = lsr_error_set(LSR_ERATELIMIT,
					   "%s: %s %s: asked to wait %lld s before trying again (more than %ld s)",
					   rq->service, rq->post ? "POST" : "GET", shown.s,
					   (long long)retry_after, c->cfg.retry_after_max_s);
			goto out;
		}
		wait = http_backoff_wait(&c->cfg, attempt, (double)retry_after, next_unit(c));
		if ((rc = wait_for(wait, rq->service)) < 0)
			goto out;
	}
oom:
	rc = lsr_error_oom();
out:
	/* the handle keeps pointers to these: clear them before freeing */
	curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, NULL);
	buf_release(&url);
	buf_release(&shown);
	buf_release(&fields);
	buf_release(&params);
	buf_release(&why);
	return rc;
}
