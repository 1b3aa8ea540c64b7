/*
 * lsr.c - main: global options, the command table, finding the review,
 * exit codes, and the final check that stdout was written.
 *
 *     lsr [-C DIR] [-q | -v] <command> [<args>]
 */
#include "lsr.h"
#include "out.h"
#include "opt.h"
#include "progress.h"
#include "../screen/screen.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CMD_ENTRY(name, flags, summary) { #name, cmd_##name, flags, summary },
static const struct lsr_cmd commands[] = { LSR_COMMANDS(CMD_ENTRY) };
#undef CMD_ENTRY
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* exit codes: docs/exit-codes.md (only ever added to) */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_PARSE = 3,
	EXIT_REMOTE = 4,
	EXIT_DB = 5,
	EXIT_SKIPPED = 6,
	EXIT_INTR = 130,
};

static int exit_code(int rc)
{
	switch (rc) {
	case 0: return EXIT_OK;
	case CMD_SKIPPED: return EXIT_SKIPPED;
	case LSR_EUSAGE: return EXIT_USAGE;
	case LSR_EPARSE: return EXIT_PARSE;
	case LSR_EHTTP: case LSR_ERATELIMIT: return EXIT_REMOTE;
	case LSR_ESCHEMA: return EXIT_DB;
	case LSR_EINTR: return EXIT_INTR;
	default: return EXIT_FAIL;
	}
}

/* A command as typed: the table's C name with '_' as '-' ("check_stats" is
 * lsr check-stats), in buf. */
static const char *cmd_display_name(char *buf, size_t size, const char *name)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < size; i++)
		buf[i] = (char)(name[i] == '_' ? '-' : name[i]);
	buf[i] = '\0';
	return buf;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: lsr [-C DIR] [-q | -v] <command> [<args>]\n\n"
		   "lsr keeps a systematic review alive: search, import, deduplicate,\n"
		   "screen, extract, pool, and report PRISMA 2020 numbers.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strncmp(commands[i].name, "test_", 5)) { /* test-* commands are hidden */
			char name[32];

			fprintf(f, "   %-11s %s\n", cmd_display_name(name, sizeof(name), commands[i].name),
				commands[i].summary);
		}
	fprintf(f, "\nglobal options:\n"
		   "   -C DIR      run in the review at DIR (default: found from the current\n"
		   "               directory upwards, as git does)\n"
		   "   -q          no progress or information messages\n"
		   "   -v, -vv     more detail on stderr\n"
		   "   --version   print the version\n\n"
		   "'lsr <command> -h' shows a command's options; docs/cmd/lsr-<command>.md\n"
		   "describes it, docs/protocol.md the protocol.yaml it reads, and\n"
		   "docs/design.md how the review is kept and PRISMA is counted.\n");
}

char *ctx_review_path(const struct lsr_ctx *ctx, const char *name)
{
	struct buf b = BUF_INIT;

	if (!ctx->review_dir || !strcmp(ctx->review_dir, "."))
		buf_adds(&b, name);
	else
		buf_printf(&b, "%s/%s", ctx->review_dir, name);
	return buf_detach(&b);
}

static int file_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Find the review directory: -C DIR, else the current directory or the
 * nearest parent holding review.db. */
static int find_review(struct lsr_ctx *ctx)
{
	struct buf dir = BUF_INIT, probe = BUF_INIT;
	char cwd[PATH_MAX];
	int depth = 0;

	if (ctx->dir_opt) {
		ctx->review_dir = xstrdup(ctx->dir_opt);
		return ctx->review_dir ? 0 : LSR_ENOMEM;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return lsr_error_set(LSR_ERROR, "cannot read the current directory: %s",
				     strerror(errno));
	buf_adds(&dir, ".");
	for (;;) {
		buf_reset(&probe);
		buf_printf(&probe, "%s/%s", dir.s, LSR_DB_FILE);
		if (file_exists(probe.s)) {
			buf_release(&probe);
			ctx->review_dir = buf_detach(&dir);
			return 0;
		}
		if (depth++ > 64)
			break;
		/* stop at the file-system root */
		{
			char real[PATH_MAX];

			if (!realpath(dir.s, real) || !strcmp(real, "/"))
				break;
		}
		if (!strcmp(dir.s, "."))
			buf_reset(&dir), buf_adds(&dir, "..");
		else
			buf_adds(&dir, "/..");
	}
	buf_release(&dir);
	buf_release(&probe);
	return lsr_error_set(LSR_ENOTFOUND,
			     "not in an lsr review (no %s here or in any parent directory); run 'lsr init' or give -C DIR",
			     LSR_DB_FILE);
}

int ctx_open_review(struct lsr_ctx *ctx, unsigned flags)
{
	int rc;

	if (!ctx->review_dir && (rc = find_review(ctx)) < 0)
		return rc;
	if ((flags & NEED_DB) && !ctx->db) {
		char *path = ctx_review_path(ctx, LSR_DB_FILE);

		if (!path)
			return LSR_ENOMEM;
		if (!file_exists(path)) {
			rc = lsr_error_set(LSR_ENOTFOUND,
					   "no review database at '%s'; run 'lsr init %s' first",
					   path, ctx->review_dir);
			free(path);
			return rc;
		}
		rc = db_open(&ctx->db, path, ctx->reads_only ? DB_OPEN_READ : 0);
		free(path);
		if (rc < 0)
			return rc;
		db_set_command(ctx->db, ctx->cmd);
	}
	if ((flags & (NEED_PROTOCOL | WANT_PROTOCOL)) && !ctx->protocol) {
		char *path = ctx_review_path(ctx, LSR_PROTOCOL_FILE);

		if (!path)
			return LSR_ENOMEM;
		if (!file_exists(path) && !(flags & NEED_PROTOCOL)) {
			free(path);
			return 0;
		}
		rc = protocol_load(&ctx->protocol, path);
		free(path);
		if (rc < 0)
			return rc;
	}
	/* the status views read screening.reason_conflicts from the database;
	 * a read-only review keeps what was stored (a warning says so) */
	if (ctx->db && ctx->protocol && db_read_only(ctx->db)) {
		if ((rc = screen_settings_stale(ctx->db, ctx->protocol)) > 0)
			fprintf(stderr, "lsr: warning: the review is read-only: its counts follow the"
				" screening.reason_conflicts stored in it, not protocol.yaml's\n");
		else if (rc < 0)
			return rc;
	} else if (ctx->db && ctx->protocol && (rc = screen_settings_sync(ctx->db, ctx->protocol)) < 0) {
		return rc;
	}
	return 0;
}

/*
 * The commands that only read the review, and so work on one that cannot
 * be written (a read-only mount, a folder of someone else's, an archived
 * copy): the command, its subcommand ("" none, NULL any) and an option
 * that must be given (NULL none; "" no argument other than options).
 * Every other command may write: on a read-only review it is refused when
 * the review is opened, before it does anything (db_open).  A reader left
 * off this list is refused the same way, never half run.
 */
static const struct {
	const char *cmd, *sub, *opt;
} readers[] = {
	{ "status", NULL, NULL },
	{ "prisma", NULL, NULL },
	{ "report", NULL, NULL },
	{ "grade", "", NULL },
	{ "records", "", NULL },
	{ "records", "show", NULL },
	{ "run", "", NULL },
	{ "run", "list", NULL },
	{ "dedup", "explain", NULL },
	{ "dedup", "queue", NULL },
	{ "screen", "explain", NULL },
	{ "screen", "status", NULL },
	{ "screen", "conflicts", NULL },
	{ "screen", "rules", "--dry-run" },
	{ "screen", "batch", "--reprint" },
	{ "screen", "fulltext", "" },
	{ "study", "list", NULL },
	{ "extract", "sheet", NULL },
	{ "extract", "compare", NULL },
	{ "extract", "export", NULL },
	{ "extract", "convert", NULL },
	{ "rob", "sheet", NULL },
	{ "rob", "compare", NULL },
	{ "rob", "plot", NULL },
	{ "pool", NULL, "--update" },
	{ "pool", NULL, "--csv" },
	{ "update", NULL, "--status" },
};

static int has_option(int argc, const char **argv, const char *opt)
{
	size_t n = strlen(opt);

	for (int k = 1; k < argc; k++)
		if (!strncmp(argv[k], opt, n) && (argv[k][n] == '\0' || argv[k][n] == '='))
			return 1;
	return 0;
}

/* argv[0] is the command: does this run of it only read the review? */
static int reads_only(const char *cmd, int argc, const char **argv)
{
	const char *sub = argc > 1 && argv[1][0] != '-' ? argv[1] : "";

	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		if (strcmp(readers[i].cmd, cmd) || (readers[i].sub && strcmp(readers[i].sub, sub)))
			continue;
		if (!readers[i].opt)
			return 1;
		if (readers[i].opt[0])
			return has_option(argc, argv, readers[i].opt);
		/* options only: "screen fulltext --json" lists, "screen fulltext 3 ..." writes */
		for (int k = 2; k < argc; k++)
			if (argv[k][0] != '-')
				return 0;
		return 1;
	}
	return 0;
}

static void vmsg(const struct lsr_ctx *ctx, const char *kind, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "lsr %s: %s", ctx->cmd ? ctx->cmd : "", kind);
	out_vfprint(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ctx_warn(const struct lsr_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctx, "warning: ", fmt, ap);
	va_end(ap);
}

void ctx_info(const struct lsr_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg(ctx, "", fmt, ap);
	va_end(ap);
}

static void on_signal(int sig)
{
	(void)sig;
	if (lsr_interrupted) /* a second ^C: give up at once */
		_exit(EXIT_INTR);
	lsr_interrupted = 1;
}

static int finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "lsr: error: writing output failed: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, const char **argv)
{
	struct lsr_ctx ctx;
	const struct lsr_cmd *cmd = NULL;
	char cmd_name[32]; /* the command as typed: ctx.cmd */
	struct sigaction sa;
	int i, rc, code;

	memset(&ctx, 0, sizeof(ctx));
	gsl_set_error_handler_off();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-C")) {
			if (++i >= argc) {
				fprintf(stderr, "lsr: error: -C needs a directory\n");
				return EXIT_USAGE;
			}
			ctx.dir_opt = argv[i];
		} else if (!strncmp(a, "-C", 2)) {
			ctx.dir_opt = a + 2;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			ctx.verbosity = -1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			ctx.verbosity++;
		} else if (!strcmp(a, "-vv")) {
			ctx.verbosity += 2;
		} else if (!strcmp(a, "--version")) {
			printf("lsr %s\n", LSR_VERSION);
			return finish_stdout();
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return finish_stdout();
		} else {
			fprintf(stderr, "lsr: error: unknown option '%s'\n", a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		if (i + 1 < argc) {
			/* lsr help CMD == lsr CMD -h */
			argv[i] = argv[i + 1];
			argv[i + 1] = "-h";
		} else {
			usage(stdout);
			return finish_stdout();
		}
	}
	/* commands are typed with '-' where the table's C names have '_'
	 * (check-stats, and the hidden test-* commands) */
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (!strcmp(cmd_display_name(cmd_name, sizeof(cmd_name), commands[k].name), argv[i]))
			cmd = &commands[k];
	if (!cmd) {
		fprintf(stderr, "lsr: error: '%s' is not an lsr command; see 'lsr --help'\n", argv[i]);
		return EXIT_USAGE;
	}
	ctx.cmd = cmd_display_name(cmd_name, sizeof(cmd_name), cmd->name);
	ctx.reads_only = reads_only(cmd->name, argc - i, argv + i);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	progress_cli_init(&ctx.progress, ctx.verbosity);

	rc = 0;
	if (cmd->flags & (NEED_DB | NEED_PROTOCOL | WANT_PROTOCOL)) {
		/* -h must work outside a review */
		int want_help = 0;

		for (int k = i + 1; k < argc; k++)
			if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help"))
				want_help = 1;
		if (!want_help)
			rc = ctx_open_review(&ctx, cmd->flags);
	}
	if (rc == 0)
		rc = cmd->fn(argc - i, argv + i, &ctx);
	progress_cli_done();
	/* a damaged database never ends in success, whatever read it */
	if (db_corruption_seen() && (rc == 0 || rc == OPT_HELP || lsr_error_last_code() != LSR_ESCHEMA))
		rc = db_corruption_error(ctx.db);
	if (rc == OPT_HELP)
		rc = 0;
	code = exit_code(rc);
	if (rc < 0) {
		fflush(stdout);
		out_fprint(stderr, "lsr %s: error: %s\n", ctx.cmd, lsr_error_last());
		if (rc == LSR_EUSAGE)
			fprintf(stderr, "see 'lsr %s -h'\n", ctx.cmd);
	}
	db_close(ctx.db);
	protocol_free(ctx.protocol);
	free(ctx.review_dir);
	opt_release_all();
	if (finish_stdout() && (code == 0 || code == EXIT_SKIPPED))
		code = EXIT_FAIL;
	return code;
}
