/*
 * cmd_search.c - lsr search: run the protocol's saved searches (PubMed,
 * Europe PMC, ClinicalTrials.gov), an ad-hoc query, or continue searches
 * that stopped.
 *
 *     lsr search [SOURCE...] [--since DATE] [--until DATE]
 *     lsr search API --query QUERY [--source NAME]
 *     lsr search --resume [SOURCE...]
 */
#include "lsr.h"
#include "opt.h"
#include "out.h"
#include "progress.h"
#include "../fetch/fetch.h"
#include "../util/err.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const search_usage[] = {
	"lsr search [SOURCE...] [--since DATE] [--until DATE] [--batch-size N] [--json]",
	"lsr search pubmed|europepmc|ctgov --query QUERY [--source NAME] [--since DATE] [--until DATE]",
	"lsr search --resume [SOURCE...] [--json]",
	NULL
};

/* Does protocol source s answer to the command-line name arg? */
static int source_matches(const struct protocol_source *s, const char *arg)
{
	return !strcasecmp(s->name, arg) || (s->api && !strcasecmp(s->api, arg));
}

static json_t *result_json(const struct fetch_search_result *r, const char *api,
			   const char *query, const struct fetch_search_opts *o)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:b}",
			 "run", (json_int_t)r->run_id, "source", r->source, "api", api ? api : "",
			 "query", query ? query : "",
			 "since", out_jstr(o->since), "until", out_jstr(o->until),
			 "status", r->status, "reason", out_jstr(r->reason[0] ? r->reason : NULL),
			 "reported", r->reported >= 0 ? json_integer(r->reported) : json_null(),
			 "records", (json_int_t)r->stored, "stored_now", (json_int_t)r->stored_now,
			 "duplicates", (json_int_t)r->duplicates, "missing", (json_int_t)r->missing,
			 "resumed", r->resumed);
}

/* One line per run; a warning for a run that finished incomplete (a run
 * that stopped is reported by the error message). */
static void result_print(struct lsr_ctx *ctx, const struct fetch_search_result *r, int rc)
{
	progress_cli_done(); /* the progress line goes before the result */
	if (!r->run_id)
		return;
	if (r->reported >= 0)
		printf("%s: run %lld %s: %llu of %lld records", r->source, (long long)r->run_id,
		       r->status, (unsigned long long)r->stored, (long long)r->reported);
	else
		printf("%s: run %lld %s: %llu records", r->source, (long long)r->run_id, r->status,
		       (unsigned long long)r->stored);
	printf(" (%llu new in this call", (unsigned long long)r->stored_now);
	if (r->duplicates)
		printf(", %llu served twice and stored once", (unsigned long long)r->duplicates);
	printf(")%s\n", r->resumed ? ", resumed" : "");
	if (rc == 0 && !strcmp(r->status, "incomplete"))
		ctx_warn(ctx, "run %lld (%s) is incomplete: %s", (long long)r->run_id, r->source,
			 r->reason);
}

/* Remember the first failure; keep going for others unless it is fatal. */
struct outcome {
	int rc;                       /* first failure */
	char msg[LSR_ERRMSG_MAX];
	int incomplete;               /* a run ended incomplete */
};

static int note_failure(struct outcome *oc, int rc)
{
	if (!oc->rc) {
		oc->rc = rc;
		snprintf(oc->msg, sizeof(oc->msg), "%s", lsr_error_last());
	}
	/* a failing service does not stop the others; anything else does */
	return rc == LSR_EHTTP || rc == LSR_ERATELIMIT || rc == LSR_EPARSE;
}

/* What the runs of one call share. */
struct search_state {
	struct fetch_search_opts so;
	json_t *runs;                 /* --json: the runs' objects; NULL: lines */
	struct outcome oc;
	int ran;                      /* runs started or continued */
};

/* Report one run (a JSON object, or a line) and remember how it ended:
 * 1 when the failure stops the other runs too. */
static int run_done(struct lsr_ctx *ctx, struct search_state *st,
		    const struct fetch_search_result *res, const char *api, const char *query,
		    int rc)
{
	if (st->runs && res->run_id)
		json_array_append_new(st->runs, result_json(res, api, query, &st->so));
	else if (!st->runs)
		result_print(ctx, res, rc);
	if (rc < 0)
		return !note_failure(&st->oc, rc);
	st->oc.incomplete |= strcmp(res->status, "complete") != 0;
	return 0;
}

/* --resume: continue the unfinished runs (of the n sources or APIs named). */
static int search_resume(struct lsr_ctx *ctx, struct search_state *st, int n, const char **args)
{
	struct fetch_search_info *pending = NULL;
	size_t npending = 0;
	int rc;

	if ((rc = fetch_search_list_unfinished(ctx->db, &pending, &npending)) < 0)
		return rc;
	for (size_t i = 0; i < npending; i++) {
		struct fetch_search_result res;
		int match = n == 0;

		if (!pending[i].resumable)
			continue;
		for (int k = 0; k < n && !match; k++)
			match = !strcasecmp(pending[i].source, args[k]) ||
				!strcasecmp(pending[i].api, args[k]);
		if (!match)
			continue;
		if (pending[i].active) {
			ctx_warn(ctx, "run %lld (%s) is running in another process; not resumed",
				 (long long)pending[i].run_id, pending[i].source);
			continue;
		}
		st->ran++;
		rc = fetch_search_resume(ctx->db, pending[i].run_id, &st->so, &res);
		if (run_done(ctx, st, &res, pending[i].api, pending[i].query, rc))
			break;
	}
	if (!st->ran && !st->oc.rc)
		ctx_info(ctx, "no unfinished search to resume");
	fetch_search_info_free(pending, npending);
	return 0;
}

/* --query: one ad-hoc query against the API named (or the API of the
 * protocol's source named), counted under --source NAME. */
static int search_adhoc(struct lsr_ctx *ctx, struct search_state *st, const char *api,
			const char *query, const char *source)
{
	struct protocol_source adhoc;
	const struct protocol_source *ps = NULL;
	struct fetch_search_result res;
	int rc;

	memset(&adhoc, 0, sizeof(adhoc));
	for (size_t i = 0; ctx->protocol && i < ctx->protocol->nsources && !ps; i++)
		if (source_matches(&ctx->protocol->sources[i], api) && ctx->protocol->sources[i].api)
			ps = &ctx->protocol->sources[i];
	adhoc.api = ps ? ps->api : (char *)api;
	if (!fetch_search_api_name(adhoc.api))
		return lsr_error_set(LSR_EUSAGE, "'%s' is not an API lsr can search (pubmed, europepmc or ctgov)",
				     api);
	adhoc.name = (char *)(source ? source : ps ? ps->name : fetch_search_api_name(adhoc.api));
	if (!source && ps)
		adhoc.kind = ps->kind;
	else if (!ctx->protocol || !protocol_source_find(ctx->protocol, adhoc.name))
		adhoc.kind = (char *)(!strcmp(adhoc.api, "ctgov") ? "register" : "database");
	adhoc.query = (char *)query;
	st->ran++;
	rc = fetch_search_run(ctx->db, &adhoc, &st->so, &res);
	run_done(ctx, st, &res, adhoc.api, query, rc);
	return 0;
}

/* The protocol's saved searches: every source with an api (or the n
 * sources named, by name or api). */
static int search_protocol(struct lsr_ctx *ctx, struct search_state *st, int n, const char **args)
{
	const struct protocol *p = ctx->protocol;
	int rc;

	if (!p)
		return lsr_error_set(LSR_EUSAGE, "no protocol.yaml: name an API and give --query, or write the sources' queries in protocol.yaml");
	for (int k = 0; k < n; k++) {
		int found = 0;

		for (size_t i = 0; i < p->nsources; i++)
			found |= source_matches(&p->sources[i], args[k]);
		if (!found)
			return lsr_error_set(LSR_EUSAGE, "'%s' is not a source in protocol.yaml", args[k]);
	}
	for (size_t i = 0; i < p->nsources; i++) {
		const struct protocol_source *ps = &p->sources[i];
		struct fetch_search_result res;
		int match = n == 0;

		for (int k = 0; k < n && !match; k++)
			match = source_matches(ps, args[k]);
		if (!match)
			continue;
		if (!ps->api) {
			if (n > 0)
				return lsr_error_set(LSR_EUSAGE, "source '%s' has no api in protocol.yaml; import its exports with 'lsr import'",
						     ps->name);
			continue;
		}
		st->ran++;
		rc = fetch_search_run(ctx->db, ps, &st->so, &res);
		if (run_done(ctx, st, &res, ps->api, ps->query, rc))
			break;
	}
	if (!st->ran)
		return lsr_error_set(LSR_EUSAGE, "protocol.yaml has no source with an api and a query to search");
	return 0;
}

int cmd_search(int argc, const char **argv, struct lsr_ctx *ctx)
{
	const char *query = NULL, *source = NULL, *since = NULL, *until = NULL, *email = NULL;
	const char *pubmed_url = NULL, *epmc_url = NULL, *ctgov_url = NULL;
	long long batch = 0;
	int resume = 0, json = 0;
	struct opt opts[] = {
		OPT_STRING(0, "query", &query, "QUERY", "run this query instead of the protocol's (one API)"),
		OPT_STRING(0, "source", &source, "NAME", "with --query: the source name the records count under"),
		OPT_STRING(0, "since", &since, "DATE", "only records added on or after DATE (YYYY-MM-DD)"),
		OPT_STRING(0, "until", &until, "DATE", "only records added on or before DATE"),
		OPT_BOOL(0, "resume", &resume, "continue the searches that stopped (failed, interrupted, killed)"),
		OPT_INT(0, "batch-size", &batch, "N", "records per request (PubMed 200, others 1000)"),
		OPT_STRING(0, "email", &email, "ADDR", "contact address sent to the services (default $LSR_EMAIL)"),
		OPT_STRING(0, "pubmed-url", &pubmed_url, "URL", "E-utilities base URL (default $LSR_PUBMED_URL)"),
		OPT_STRING(0, "europepmc-url", &epmc_url, "URL", "Europe PMC REST base URL ($LSR_EUROPEPMC_URL)"),
		OPT_STRING(0, "ctgov-url", &ctgov_url, "URL", "ClinicalTrials.gov API v2 base URL ($LSR_CTGOV_URL)"),
		OPT_BOOL(0, "json", &json, "print one JSON object"),
		OPT_END(),
	};
	struct search_state st;
	const char **args;
	json_t *root = NULL;
	int n = opt_parse(argc, argv, opts, search_usage, &args), rc;

	if (n < 0 || n == OPT_HELP)
		return n;
	memset(&st, 0, sizeof(st));
	if (batch < 0 || batch > 10000)
		return lsr_error_set(LSR_EUSAGE, "--batch-size must be between 1 and 10000");
	st.so.since = since;
	st.so.until = until;
	st.so.email = email;
	st.so.pubmed_url = pubmed_url;
	st.so.europepmc_url = epmc_url;
	st.so.ctgov_url = ctgov_url;
	st.so.batch_size = (unsigned)batch;
	st.so.protocol = ctx->protocol;
	st.so.progress = &ctx->progress;
	if (since) {
		char d[11];

		if ((rc = fetch_search_date_parse(d, since, "--since")) < 0)
			return rc;
	}
	if (until) {
		char d[11];

		if ((rc = fetch_search_date_parse(d, until, "--until")) < 0)
			return rc;
	}
	if (resume && (query || source || since || until))
		return lsr_error_set(LSR_EUSAGE, "--resume continues runs as they were started; it takes no --query, --source, --since or --until");
	if (source && !query)
		return lsr_error_set(LSR_EUSAGE, "--source names the source of an ad-hoc --query");
	if (query && n != 1)
		return lsr_error_set(LSR_EUSAGE, "--query needs exactly one API: pubmed, europepmc or ctgov");
	if (json) {
		root = json_object();
		st.runs = json_array();
		json_object_set_new(root, "schema_version", json_integer(1));
		json_object_set_new(root, "runs", st.runs);
	}

	if (resume)
		rc = search_resume(ctx, &st, n, args);
	else if (query)
		rc = search_adhoc(ctx, &st, args[0], query, source);
	else
		rc = search_protocol(ctx, &st, n, args);

	if (root) {
		if (rc == 0 || st.oc.rc)
			out_json_doc(root);
		else
			json_decref(root);
	}
	if (rc < 0)
		return rc;
	if (st.oc.rc)
		return lsr_error_set(st.oc.rc, "%s", st.oc.msg);
	if (st.oc.incomplete)
		return lsr_error_set(LSR_ERROR, "a search run is incomplete: see above and 'lsr status'");
	return 0;
}
