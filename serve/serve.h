/*
 * serve.h - 'lsr serve': the screening web app, an HTTP server inside the
 * lsr binary (libmicrohttpd) serving the review of one database.  The one
 * public header of serve/.
 *
 * Accounts are reviewers (or arbiters) who log in with a one-time link;
 * the link's token and the browser's session id are random (getrandom(2))
 * and stored only as their SHA-256 (db/migrations/0009_serve.sql).  The
 * server answers one request at a time on one database connection; each
 * decision is one transaction, acknowledged after its commit.  Beside it,
 * with screening.order: priority, a worker thread with a connection of
 * its own makes the reviewers' rankings between requests (it only reads;
 * the request that takes a ranking stores it: screen/serve_query.h).  The
 * JSON API and the security model are described in docs/cmd/lsr-serve.md.
 */
#ifndef LSR_SERVE_H
#define LSR_SERVE_H

#include <stdint.h>

struct lsr_db;
struct protocol;

#define SERVE_DEFAULT_PORT 8357
#define SERVE_TOKEN_HEX 64           /* a token as hex digits */
#define SERVE_BODY_MAX ((size_t)64 * 1024)   /* larger request bodies get 413 */

/*
 * Create the account name with role "reviewer" or "arbiter" (an existing
 * account gets a new link and, when role is not NULL, that role; a
 * revoked one is restored) and a one-time login token into token (hex,
 * NUL-terminated).  Only the token's hash is stored.  role NULL: reviewer
 * for a new account.
 */
int serve_account_add(struct lsr_db *db, const char *name, const char *role,
		      char token[SERVE_TOKEN_HEX + 1]);

/* Revoke account name: its unused links and its sessions stop working at
 * once (LSR_ENOTFOUND: no such account). */
int serve_account_revoke(struct lsr_db *db, const char *name);

struct serve_opts {
	uint32_t addr;      /* IPv4 address, network byte order */
	int ipv6;           /* 1: listen on addr6 instead of addr */
	unsigned char addr6[16]; /* IPv6 address, network byte order */
	int port;           /* 0: an ephemeral port */
	int try_next;       /* port busy: try the next ones (up to 20) */
	uint64_t seed;      /* the assignment order's seed (as lsr screen batch --seed) */
	/* called once listening, with the base URL ("http://127.0.0.1:8357",
	 * "http://[::1]:8357") */
	void (*ready)(const char *url, void *payload);
	void *payload;
};

/*
 * Serve the review until SIGINT or SIGTERM.  p may not be NULL (reasons
 * and rules come from it).  Returns 0 after a signal, or a negative LSR_E*
 * code when the server could not start.
 */
int serve_run(struct lsr_db *db, const struct protocol *p, const struct serve_opts *o);

/* Parse "ADDR:PORT" (IPv4) into o->addr and o->port, or "[ADDR]:PORT"
 * (IPv6) into o->addr6 and o->port, setting o->ipv6. */
int serve_parse_listen(const char *s, struct serve_opts *o);

/* 1 when the address (network byte order) is in 127.0.0.0/8. */
int serve_addr_is_loopback(uint32_t addr);

/* 1 when o listens on a loopback address: 127.0.0.0/8, ::1, or
 * ::ffff:127.0.0.0/104 (IPv4-mapped). */
int serve_listen_is_loopback(const struct serve_opts *o);

#endif
