/*
 * http.h - the one HTTP client of lsr (libcurl), polite and robust.
 *
 * Nothing else in lsr talks to the network.  A client holds one libcurl
 * easy handle, so that consecutive requests reuse one connection
 * (keep-alive).  Every request goes through:
 *
 *  - a per-service pacer, process-wide, that spaces request STARTS by the
 *    service's minimum interval (PubMed: 3 requests/s, 10 with an API key);
 *  - a classification of the outcome from the libcurl code, the HTTP status
 *    and, through the caller's check function, the body (E-utilities report
 *    errors inside a 200 reply);
 *  - retries of what is transient (timeouts, resets, 408, 429, 5xx, errors in
 *    the body) with exponential backoff and jitter, honouring Retry-After;
 *  - a log callback per attempt, with the parameters sent minus secrets.
 *
 * A request that still fails after its attempts returns LSR_EHTTP (or
 * LSR_ERATELIMIT when the last answer was 429) with the URL (secrets
 * replaced by ***), the HTTP status and libcurl's error text.  Bodies are
 * capped (struct buf's max): a larger reply fails instead of eating memory.
 *
 * Tuning for tests and mirrors comes from the environment, read by
 * http_config_init():
 *
 *   LSR_HTTP_ATTEMPTS        attempts per request (default 5)
 *   LSR_HTTP_BACKOFF_MS      first backoff wait (default 1000; doubles, capped)
 *   LSR_HTTP_TIMEOUT         whole-transfer timeout in seconds (default 300)
 *   LSR_HTTP_LOW_SPEED_TIME  seconds below 100 B/s before a stalled transfer
 *                            is abandoned (default 60)
 *   LSR_HTTP_VERSION         "1.1" to refuse HTTP/2
 */
#ifndef LSR_FETCH_HTTP_H
#define LSR_FETCH_HTTP_H

#include <stddef.h>

#include "../util/buf.h"
#include "../util/strv.h"

struct http_client; /* opaque */

struct http_config {
	const char *user_agent;    /* "lsr/0.1.0 (+mailto:...)" (borrowed) */
	long connect_timeout_ms;   /* default 15000 */
	long timeout_ms;           /* whole transfer, default 300000 */
	long low_speed_limit;      /* bytes/s, default 100 */
	long low_speed_time;       /* seconds, default 60 */
	int max_attempts;          /* default 5 */
	long backoff_ms;           /* first wait, default 1000 */
	long backoff_max_ms;       /* cap, default 60000 */
	long retry_after_max_s;    /* longer Retry-After: give up, default 600 */
	size_t max_body;           /* bytes, default 256 MiB */
	int http1_only;            /* LSR_HTTP_VERSION=1.1 */
};

/* Defaults, then the LSR_HTTP_* environment (see above). */
void http_config_init(struct http_config *cfg);

int http_client_new(struct http_client **out, const struct http_config *cfg);
void http_client_free(struct http_client *c);

/*
 * Request parameters, in the order added: sent as the query string (GET) or
 * as an application/x-www-form-urlencoded body (POST), each name and value
 * percent-encoded.  Parameters named in http_secret_params are sent but
 * never logged nor put in error messages.
 */
struct http_form {
	struct strv kv; /* name, value, name, value, ... */
};
#define HTTP_FORM_INIT { STRV_INIT }
int http_form_add(struct http_form *f, const char *name, const char *value);
int http_form_addf(struct http_form *f, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The value of name (the last one given), or NULL (borrowed). */
const char *http_form_get(const struct http_form *f, const char *name);
void http_form_release(struct http_form *f);
/* 1 if parameters called name are secret (api_key). */
int http_param_is_secret(const char *name);
/* The parameters as a JSON object, secrets replaced by "***". */
int http_form_json(struct buf *out, const struct http_form *f);

enum http_verdict {
	HTTP_OK,    /* use the reply */
	HTTP_RETRY, /* transient: try again after a wait */
	HTTP_FAIL,  /* permanent: give up now */
};

/* What a status alone means: 2xx OK; 408, 429, 500, 502, 503, 504 RETRY;
 * anything else FAIL. */
enum http_verdict http_status_verdict(long status);

/* One attempt, as the log callback sees it (all strings borrowed). */
struct http_attempt {
	const char *service;  /* "PubMed" */
	const char *method;   /* GET | POST */
	const char *url;      /* without secrets; GET: with the query string */
	const char *params;   /* JSON object of the parameters, secrets *** */
	int attempt;          /* 1-based */
	long status;          /* 0 when no reply came */
	size_t bytes;         /* body bytes received */
	double seconds;       /* transfer time */
	const char *error;    /* why it is retried or failed, NULL when OK */
};

struct http_request {
	const char *service;      /* pacer key and label in messages */
	double min_interval;      /* seconds between request starts to service */
	const char *url;          /* endpoint, without query string */
	const struct http_form *form;
	int post;                 /* send form as a POST body */
	/*
	 * Optional: judge a complete reply (any status).  Return HTTP_OK,
	 * HTTP_RETRY or HTTP_FAIL, and for the last two say why in *why.  When
	 * NULL, http_status_verdict() decides.
	 */
	enum http_verdict (*check)(long status, const struct buf *body, void *payload,
				   struct buf *why);
	void *check_payload;
	/* Optional: called after every attempt. */
	void (*log)(void *payload, const struct http_attempt *a);
	void *log_payload;
};

struct http_response {
	long status;
	struct buf body;  /* decoded (gzip undone), NUL-terminated */
	int attempts;     /* attempts made */
};
#define HTTP_RESPONSE_INIT { 0, BUF_INIT, 0 }
void http_response_release(struct http_response *r);

/*
 * Run rq until it succeeds, fails permanently or runs out of attempts.
 * Returns 0 with out filled, or LSR_EHTTP / LSR_ERATELIMIT / LSR_EINTR
 * (Ctrl-C while waiting or transferring) with the message set.
 */
int http_request_run(struct http_client *c, const struct http_request *rq,
		     struct http_response *out);

/*
 * The wait before attempt number attempt + 1 (attempt >= 1), in seconds:
 * retry_after when the server gave one (> 0), else backoff_ms doubled per
 * attempt, capped at backoff_max_ms, with "equal jitter": half of it fixed,
 * half drawn from u in [0, 1).
 */
double http_backoff_wait(const struct http_config *cfg, int attempt, double retry_after,
			 double u);

/*
 * The pacer: how long to wait (seconds) before a request to service may
 * start at time now (monotonic seconds), given the last start; records the
 * start as now + the wait.  Process-wide, one slot per service name.
 */
double http_pacer_reserve(const char *service, double min_interval, double now);
/* Forget every pacer slot (tests). */
void http_pacer_reset(void);

#endif
