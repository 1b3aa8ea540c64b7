/*
 * cmd_serve.c - lsr serve: the screening web app (serve/serve.h), and its
 * accounts: --add-reviewer prints a one-time login link, --revoke ends an
 * account's links and sessions.
 */
#include "lsr.h"
#include "opt.h"
#include "../serve/serve.h"
#include "../util/err.h"

#include <arpa/inet.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>

extern char **environ;

static const char *const serve_usage[] = {
	"lsr serve [--listen ADDR:PORT] [--open] [--seed S]",
	"lsr serve --add-reviewer NAME [--role reviewer|arbiter]",
	"lsr serve --revoke NAME",
	NULL
};

struct ready_ctx {
	const struct lsr_ctx *ctx;
	int open;
};

/* Start the desktop's browser on url, when there is one (best effort). */
static void open_browser(const struct lsr_ctx *ctx, const char *url)
{
	char *argv[] = { "xdg-open", (char *)url, NULL };
	pid_t pid;

	if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ) != 0)
		ctx_warn(ctx, "--open: no xdg-open to start a browser; open %s yourself", url);
}

static void on_ready(const char *url, void *payload)
{
	struct ready_ctx *r = payload;

	printf("serving %s on %s/ (Ctrl-C stops)\n", r->ctx->review_dir, url);
	fflush(stdout);
	if (r->open)
		open_browser(r->ctx, url);
}

int cmd_serve(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *listen = NULL, *add = NULL, *role = NULL, *revoke = NULL;
	long long seed = 0;
	int open = 0;
	struct opt opts[] = {
		OPT_STRING(0, "listen", &listen, "ADDR:PORT", "address and port, [ADDR]:PORT for IPv6 (default 127.0.0.1:8357 or the next free port; port 0: any free one)"),
		OPT_BOOL(0, "open", &open, "start the desktop's browser on the page"),
		OPT_INT(0, "seed", &seed, "S", "seed of the order citations are handed out in (as lsr screen batch --seed; default 0)"),
		OPT_STRING(0, "add-reviewer", &add, "NAME", "create an account (or a new link for it) and print its one-time login link"),
		OPT_STRING(0, "role", &role, "ROLE", "with --add-reviewer: reviewer (default) or arbiter"),
		OPT_STRING(0, "revoke", &revoke, "NAME", "end an account: its links and sessions stop working"),
		OPT_END(),
	};
	struct serve_opts o = { 0 };
	struct ready_ctx r = { ctx, 0 };
	char token[SERVE_TOKEN_HEX + 1];
	const char **args;
	int n = opt_parse(argc, argv, opts, serve_usage, &args);

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 0)
		return lsr_error_set(LSR_EUSAGE, "serve takes no arguments ('%s')", args[0]);
	if (add && revoke)
		return lsr_error_set(LSR_EUSAGE, "--add-reviewer and --revoke go in separate commands");
	if (role && !add)
		return lsr_error_set(LSR_EUSAGE, "--role goes with --add-reviewer");
	if ((add || revoke) && (listen || open || seed))
		return lsr_error_set(LSR_EUSAGE, "--add-reviewer and --revoke do not start the server: no --listen, --open or --seed");
	if (seed < 0)
		return lsr_error_set(LSR_EUSAGE, "--seed must not be negative");
	if (add) {
		int rc = serve_account_add(ctx->db, add, role, token);

		if (rc < 0)
			return rc;
		ctx_info(ctx, "account '%s' ready; the link below logs in once, on any address the server listens on", add);
		printf("http://127.0.0.1:%d/login?token=%s\n", SERVE_DEFAULT_PORT, token);
		memset(token, 0, sizeof(token));
		return 0;
	}
	if (revoke)
		return serve_account_revoke(ctx->db, revoke);
	if (!ctx->protocol)
		return lsr_error_set(LSR_ENOTFOUND, "serving needs the review's protocol.yaml (its reasons and rules)");
	o.addr = htonl(INADDR_LOOPBACK);
	o.port = SERVE_DEFAULT_PORT;
	o.try_next = 1;
	if (listen) {
		int rc = serve_parse_listen(listen, &o);

		if (rc < 0)
			return rc;
		o.try_next = 0;
		if (!serve_listen_is_loopback(&o))
			ctx_warn(ctx, "listening on %s: anyone who can reach this port can try to log in, and the traffic is not encrypted",
				 listen);
	}
	o.seed = (uint64_t)seed;
	r.open = open;
	o.ready = on_ready;
	o.payload = &r;
	return serve_run(ctx->db, ctx->protocol, &o);
}
