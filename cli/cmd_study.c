/*
 * cmd_study.c - lsr study: link reports (citations included at full text)
 * to studies, and list the studies.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../screen/screen.h"
#include "../util/err.h"
#include "../util/num.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const link_usage[] = {
	"lsr study link ID... --study LABEL", NULL
};
static const char *const unlink_usage[] = {
	"lsr study unlink ID...", NULL
};
static const char *const list_usage[] = {
	"lsr study list [--json]", NULL
};

static int parse_ids(int n, const char **args, int64_t **out)
{
	int64_t *ids = calloc(n ? (size_t)n : 1, sizeof(*ids));

	if (!ids)
		return lsr_error_oom();
	for (int i = 0; i < n; i++) {
		int rc = num_parse_id(&ids[i], args[i], "citation");

		if (rc < 0) {
			free(ids);
			return rc;
		}
	}
	*out = ids;
	return 0;
}

static int study_list(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int json = 0;
	struct opt opts[] = {
		OPT_BOOL(0, "json", &json, "JSON Lines, one object per study"),
		OPT_END(),
	};
	json_t *arr, *s, *r;
	const char **args;
	size_t i, k;
	int rc = opt_parse(argc, argv, opts, list_usage, &args);

	if (rc < 0 || rc == OPT_HELP)
		return rc;
	if (rc > 0)
		return lsr_error_set(LSR_EUSAGE, "list takes options only");
	if ((rc = screen_studies_json(ctx->db, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, s) {
		if (json) {
			if ((rc = out_json_line(json_incref(s))) < 0)
				break;
			continue;
		}
		printf("%s\n", json_string_value(json_object_get(s, "label")));
		json_array_foreach(json_object_get(s, "reports"), k, r)
			printf("  %6lld  %s\n", (long long)json_integer_value(json_object_get(r, "id")),
			       json_string_value(json_object_get(r, "title"))
				       ? json_string_value(json_object_get(r, "title")) : "");
	}
	json_decref(arr);
	return rc;
}

static int study_link(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *label = NULL;
	struct opt opts[] = {
		OPT_STRING(0, "study", &label, "LABEL", "the study's label (e.g. 'Fang 2018'), created when new"),
		OPT_END(),
	};
	const char **args;
	int64_t *ids = NULL;
	int n = opt_parse(argc, argv, opts, link_usage, &args), rc;

	if (n < 0 || n == OPT_HELP)
		return n;
	if ((rc = parse_ids(n, args, &ids)) < 0)
		return rc;
	rc = screen_study_link(ctx->db, ids, (size_t)n, label);
	free(ids);
	if (rc < 0)
		return rc;
	out_done(ctx, "linked %d report%s to study '%s'", n, n == 1 ? "" : "s", label);
	return 0;
}

static int study_unlink(int argc, const char **argv, struct lsr_ctx *ctx)
{
	struct opt opts[] = { OPT_END() };
	const char **args;
	int64_t *ids = NULL;
	int n = opt_parse(argc, argv, opts, unlink_usage, &args), rc;

	if (n < 0 || n == OPT_HELP)
		return n;
	if ((rc = parse_ids(n, args, &ids)) < 0)
		return rc;
	rc = screen_study_unlink(ctx->db, ids, (size_t)n);
	free(ids);
	if (rc < 0)
		return rc;
	out_done(ctx, "unlinked %d report%s", n, n == 1 ? "" : "s");
	return 0;
}

static const struct opt_subcommand study_subcommands[] = {
	OPT_SUBCOMMAND("link", study_link, link_usage),
	OPT_SUBCOMMAND("unlink", study_unlink, unlink_usage),
	OPT_SUBCOMMAND("list", study_list, list_usage),
	OPT_SUBCOMMAND_END(),
};

int cmd_study(int argc, const char **argv, struct lsr_ctx *ctx)
{
	return opt_subcommand(argc, argv, study_subcommands, ctx);
}
