/*
 * cmd_init.c - lsr init [DIR]: create review.db and, if absent, a commented
 * protocol.yaml template; then check the protocol.
 */
#include "lsr.h"
#include "opt.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const init_usage[] = { "lsr init [DIR]", NULL };

/* mkdir -p */
static int make_dirs(const char *path)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	if (buf_adds(&b, path) < 0)
		return LSR_ENOMEM;
	for (size_t i = 1; i <= b.len; i++) {
		if (b.s[i] != '/' && b.s[i] != '\0')
			continue;
		b.s[i] = '\0';
		if (mkdir(b.s, 0777) < 0 && errno != EEXIST) {
			rc = lsr_error_set(LSR_ERROR, "cannot create directory '%s': %s", b.s,
					   strerror(errno));
			break;
		}
		if (i < b.len)
			b.s[i] = '/';
	}
	buf_release(&b);
	return rc;
}

int cmd_init(int argc, const char **argv, struct lsr_ctx *ctx)
{
	struct opt opts[] = { OPT_END() };
	const char **args;
	const char *dir;
	char *dbpath = NULL, *ppath = NULL;
	struct stat sb;
	int n = opt_parse(argc, argv, opts, init_usage, &args), rc, existed;
	FILE *f;

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n > 1)
		return lsr_error_set(LSR_EUSAGE, "init takes at most one directory");
	dir = n == 1 ? args[0] : (ctx->dir_opt ? ctx->dir_opt : ".");
	if ((rc = make_dirs(dir)) < 0)
		return rc;
	ctx->review_dir = xstrdup(dir);
	dbpath = ctx_review_path(ctx, LSR_DB_FILE);
	ppath = ctx_review_path(ctx, LSR_PROTOCOL_FILE);
	if (!ctx->review_dir || !dbpath || !ppath) {
		rc = LSR_ENOMEM;
		goto out;
	}
	existed = stat(dbpath, &sb) == 0;
	if ((rc = db_open(&ctx->db, dbpath, DB_OPEN_CREATE)) < 0)
		goto out;
	db_set_command(ctx->db, "init");
	if (stat(ppath, &sb) < 0) {
		f = fopen(ppath, "w");
		if (!f || fputs(protocol_template(), f) < 0 || fclose(f) != 0) {
			rc = lsr_error_set(LSR_ERROR, "cannot write '%s': %s", ppath, strerror(errno));
			goto out;
		}
		printf("wrote %s (a template: edit it to describe your review)\n", ppath);
	}
	if ((rc = protocol_load(&ctx->protocol, ppath)) < 0)
		goto out;
	if (!existed) {
		if ((rc = db_audit(ctx->db, "init", dir, NULL)) < 0)
			goto out;
		printf("initialised an empty review in %s\n", dbpath);
	} else {
		printf("%s already holds a review (schema %d); nothing changed\n", dbpath,
		       db_schema_version(ctx->db));
	}
out:
	free(dbpath);
	free(ppath);
	return rc;
}
