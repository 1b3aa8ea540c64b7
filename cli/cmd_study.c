/*
 * cmd_study.c - lsr study: link reports (citations included at full text)
 * to studies, and list the studies.
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "../screen/screen.h"
#include "../util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const study_usage[] = {
	"lsr study link ID... --study LABEL",
	"lsr study unlink ID...",
	"lsr study list [--json]",
	NULL
};

static int parse_ids(int n, const char **args, int64_t **out)
{
	int64_t *ids = calloc(n ? (size_t)n : 1, sizeof(*ids));

	if (!ids)
		return lsr_error_oom();
	for (int i = 0; i < n; i++) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(args[i], &end, 10);
		if (!*args[i] || *end || errno || v <= 0) {
			free(ids);
			return lsr_error_set(LSR_EUSAGE, "'%s' is not a citation id", args[i]);
		}
		ids[i] = v;
	}
	*out = ids;
	return 0;
}

int cmd_study(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *label = NULL;
	int json = 0;
	struct opt opts[] = {
		OPT_STRING(0, "study", &label, "LABEL", "link: the study's label (e.g. 'Fang 2018'), created when new"),
		OPT_BOOL(0, "json", &json, "list: JSON Lines, one object per study"),
		OPT_END(),
	};
	const char **args;
	int n = opt_parse(argc, argv, opts, study_usage, &args), rc;
	int64_t *ids = NULL;

	if (n < 0 || n == OPT_HELP)
		return n;
	if (n == 0)
		return lsr_error_set(LSR_EUSAGE, "study needs a subcommand (link, unlink or list)");
	if (!strcmp(args[0], "list")) {
		json_t *arr, *s, *r;
		size_t i, k;

		if (n != 1)
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
	if (!strcmp(args[0], "link") || !strcmp(args[0], "unlink")) {
		int link = !strcmp(args[0], "link");

		if ((rc = parse_ids(n - 1, args + 1, &ids)) < 0)
			return rc;
		rc = link ? screen_study_link(ctx->db, ids, (size_t)(n - 1), label)
			  : screen_study_unlink(ctx->db, ids, (size_t)(n - 1));
		free(ids);
		if (rc < 0)
			return rc;
		if (link)
			printf("linked %d report%s to study '%s'\n", n - 1, n == 2 ? "" : "s", label);
		else
			printf("unlinked %d report%s\n", n - 1, n == 2 ? "" : "s");
		return 0;
	}
	return lsr_error_set(LSR_EUSAGE, "unknown study subcommand '%s' (expected link, unlink or list)",
			     args[0]);
}
