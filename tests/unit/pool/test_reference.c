/*
 * test_reference.c - every reference case of ../shared/reference/meta (or of
 * the directory in LSR_META_REF) run through the built `lsr pool --json` and
 * compared field by field with the expected numbers, one cmocka test per
 * case x analysis, plus the top-level extras (leave_one_out, egger,
 * trimfill, begg, cumulative, influence, metareg, smd_J_comparison,
 * revman5_native).
 *
 * Options are derived from each analysis's fields as the issue says:
 * measure, method, model, tau2_method, ci_method and convention become
 * --measure, --method, --model, --tau2, --ci and --convention
 * (passed as written: "DL(Q from MH)", "mixed", "both", "knha"; a null
 * ci_method passes --ci z, what the reference files' subgroup and moderator
 * analyses use, so that no case depends on lsr's default; a level field
 * passes --level); subgroups_* add --subgroup,
 * moderator_* --moderator.
 *
 * Tolerances are the README's: relative 1e-6 for closed-form quantities,
 * 1e-5 for REML/PM and Q-profile results, with an absolute floor of 1e-12
 * (1e-15 for p-values); against RevMan's own output 1e-5 relative for p,
 * and 1e-7 absolute for the mental-health export rounded to 8 decimals.
 * Every numeric and boolean field of the expected object must be present
 * with the same value (null where null); strings are compared for the
 * labels (study, subgroup, omitted, side) only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXARGS 40
#define MAXERR 25

enum job_kind { JOB_ANALYSIS, JOB_EXTRA, JOB_SMD_J, JOB_NATIVE };

struct job {
	char name[320];
	enum job_kind kind;
	const char *argv[MAXARGS];
	int argc;
	json_t *expected;      /* what to compare (a reference) */
	char got_key[2][64];   /* where in the output ("" = the object itself) */
	double tol;            /* relative tolerance */
};

static struct job *jobs;
static size_t njobs, ajobs;
static struct strbag {
	char **v;
	size_t n, a;
} bag;

static const char *keep(const char *s)
{
	if (bag.n == bag.a) {
		bag.a = bag.a ? 2 * bag.a : 256;
		bag.v = realloc(bag.v, bag.a * sizeof(char *));
	}
	bag.v[bag.n] = strdup(s);
	return bag.v[bag.n++];
}

static struct job *new_job(const char *csv)
{
	struct job *j;

	if (njobs == ajobs) {
		ajobs = ajobs ? 2 * ajobs : 64;
		jobs = realloc(jobs, ajobs * sizeof(*jobs));
	}
	j = &jobs[njobs++];
	memset(j, 0, sizeof(*j));
	j->argv[j->argc++] = "pool";
	j->argv[j->argc++] = "--csv";
	j->argv[j->argc++] = keep(csv); /* jobs[] moves as it grows */
	j->argv[j->argc++] = "--json";
	j->tol = 1e-6;
	return j;
}

static void add_arg(struct job *j, const char *a)
{
	if (j->argc < MAXARGS - 1)
		j->argv[j->argc++] = keep(a);
}

static void add_opt(struct job *j, const char *opt, const char *val)
{
	add_arg(j, opt);
	add_arg(j, val);
}

/* --- running lsr --------------------------------------------------------- */

static char *slurp_fd(int fd)
{
	size_t n = 0, a = 65536;
	char *s = malloc(a);
	ssize_t r;

	while ((r = read(fd, s + n, a - n - 1)) > 0) {
		n += (size_t)r;
		if (a - n < 4096)
			s = realloc(s, a *= 2);
	}
	s[n] = '\0';
	return s;
}

/* Run $LSR with argv; stdout in *out, stderr in *err; returns the status. */
static int run_lsr(const char *const *argv, int argc, char **out, char **err)
{
	const char *lsr = getenv("LSR");
	char errpath[] = "/tmp/lsr-ref-err.XXXXXX";
	const char *args[MAXARGS + 1];
	int pipefd[2], efd, status = -1;
	pid_t pid;

	efd = mkstemp(errpath);
	unlink(errpath);
	if (pipe(pipefd) < 0 || efd < 0)
		return -1;
	args[0] = lsr;
	for (int i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	args[argc + 1] = NULL;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(efd, 2);
		close(pipefd[0]);
		execv(lsr, (char *const *)args);
		_exit(127);
	}
	close(pipefd[1]);
	*out = slurp_fd(pipefd[0]);
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	lseek(efd, 0, SEEK_SET);
	*err = slurp_fd(efd);
	close(efd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* --- comparison ---------------------------------------------------------- */

struct cmp {
	char msgs[MAXERR][512];
	int n;
	double tol;
	double p_rel;   /* relative tolerance for p-values (0: tol) */
	double abs_tol; /* absolute tolerance (0: the floors) */
	int abs_z;      /* compare |z| (RevMan stores |z|) */
};

static void err_add(struct cmp *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	char m[400];

	if (c->n >= MAXERR) {
		c->n++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	snprintf(c->msgs[c->n++], sizeof(c->msgs[0]), "%s: %s", path, m);
}

static int is_label_key(const char *k)
{
	return !strcmp(k, "study") || !strcmp(k, "subgroup") || !strcmp(k, "omitted") ||
	       !strcmp(k, "side") || !strcmp(k, "added") || !strcmp(k, "name");
}

static int is_p_key(const char *k)
{
	size_t n = strlen(k);

	return !strcmp(k, "p") || !strcmp(k, "p_Q") || (n > 2 && !strcmp(k + n - 2, "_p"));
}

static void compare(struct cmp *c, const json_t *e, const json_t *g, const char *path,
		    const char *key)
{
	char sub[512];

	if (json_is_string(e)) {
		if (!key || !is_label_key(key))
			return;
		if (!json_is_string(g) || strcmp(json_string_value(e), json_string_value(g)))
			err_add(c, path, "expected \"%s\", got %s", json_string_value(e),
				json_is_string(g) ? json_string_value(g) : "a non-string");
		return;
	}
	if (!g) {
		err_add(c, path, "missing in the output");
		return;
	}
	if (json_is_null(e)) {
		if (!json_is_null(g))
			err_add(c, path, "expected null, got a value");
		return;
	}
	if (json_is_boolean(e)) {
		if (!json_is_boolean(g) || json_is_true(e) != json_is_true(g))
			err_add(c, path, "expected %s", json_is_true(e) ? "true" : "false");
		return;
	}
	if (json_is_number(e)) {
		double x = json_number_value(e), y, lim;
		int p = key && is_p_key(key);

		if (!json_is_number(g)) {
			err_add(c, path, "expected %.17g, got %s", x, json_is_null(g) ? "null" : "a non-number");
			return;
		}
		y = json_number_value(g);
		if (c->abs_z && key && !strcmp(key, "z"))
			y = fabs(y);
		if (c->abs_tol > 0)
			lim = c->abs_tol;
		else if (p)
			lim = (c->p_rel > 0 ? c->p_rel : c->tol) * fabs(x) + 1e-15;
		else
			lim = c->tol * fabs(x) + 1e-12;
		if (!(fabs(y - x) <= lim))
			err_add(c, path, "expected %.17g, got %.17g (|diff| %.3g > %.3g)", x, y,
				fabs(y - x), lim);
		return;
	}
	if (json_is_array(e)) {
		size_t i;
		const json_t *v;

		if (!json_is_array(g) || json_array_size(g) != json_array_size(e)) {
			err_add(c, path, "expected an array of %zu", json_array_size(e));
			return;
		}
		json_array_foreach(e, i, v) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			compare(c, v, json_array_get(g, i), sub, key);
		}
		return;
	}
	if (json_is_object(e)) {
		const char *k;
		const json_t *v;

		if (!json_is_object(g)) {
			err_add(c, path, "expected an object");
			return;
		}
		json_object_foreach((json_t *)e, k, v) {
			snprintf(sub, sizeof(sub), "%s.%s", path, k);
			compare(c, v, json_object_get(g, k), sub, k);
		}
	}
}

static void report(struct cmp *c, const char *name)
{
	if (c->n == 0)
		return;
	for (int i = 0; i < c->n && i < MAXERR; i++)
		print_error("%s: %s\n", name, c->msgs[i]);
	if (c->n > MAXERR)
		print_error("%s: ... %d more\n", name, c->n - MAXERR);
	fail_msg("%s: %d mismatch(es)", name, c->n);
}

static json_t *run_json(const struct job *j)
{
	char *out = NULL, *err = NULL;
	json_t *got;
	json_error_t je;
	int st = run_lsr(j->argv, j->argc, &out, &err);

	if (st != 0) {
		print_error("%s: lsr exited %d\nstderr: %s\n", j->name, st, err);
		free(out);
		free(err);
		fail_msg("%s: lsr failed", j->name);
	}
	got = json_loads(out, 0, &je);
	if (!got)
		print_error("%s: output is not JSON: %s\n", j->name, je.text);
	free(out);
	free(err);
	assert_non_null(got);
	assert_int_equal(json_integer_value(json_object_get(got, "schema_version")), 1);
	return got;
}

static void test_job(void **state)
{
	struct job *j = *state;
	struct cmp c;
	json_t *got = run_json(j), *at = got;

	memset(&c, 0, sizeof(c));
	c.tol = j->tol;
	for (int i = 0; i < 2 && j->got_key[i][0]; i++)
		at = json_object_get(at, j->got_key[i]);
	if (!at) {
		json_decref(got);
		fail_msg("%s: no '%s' in the output", j->name, j->got_key[0]);
	}
	compare(&c, j->expected, at, j->got_key[0][0] ? j->got_key[0] : "analysis", NULL);
	json_decref(got);
	report(&c, j->name);
}

/* smd_J_comparison: one SMD run per convention */
static void test_smd_j(void **state)
{
	struct job *j = *state, jm = *j;
	struct cmp c;
	json_t *rv, *mf, *row;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.tol = 1e-6;
	add_opt(j, "--convention", "revman5");
	rv = run_json(j);
	add_opt(&jm, "--convention", "metafor");
	mf = run_json(&jm);
	json_array_foreach(j->expected, i, row) {
		json_t *sr = json_array_get(json_object_get(rv, "studies"), i);
		json_t *sm = json_array_get(json_object_get(mf, "studies"), i);
		json_t *g = json_object();
		char path[64];

		json_object_set(g, "study", json_object_get(sr, "study"));
		json_object_set(g, "J_exact", json_object_get(sm, "J"));
		json_object_set(g, "J_approx", json_object_get(sr, "J"));
		json_object_set_new(g, "J_rel_diff",
				    json_real(json_number_value(json_object_get(sr, "J")) /
						      json_number_value(json_object_get(sm, "J")) - 1));
		json_object_set(g, "g_metafor", json_object_get(sm, "yi"));
		json_object_set(g, "g_revman5", json_object_get(sr, "yi"));
		json_object_set(g, "v_metafor", json_object_get(sm, "vi"));
		json_object_set(g, "v_revman5", json_object_get(sr, "vi"));
		/* N is input, not output */
		json_object_set(g, "N", json_object_get(row, "N"));
		snprintf(path, sizeof(path), "smd_J_comparison[%zu]", i);
		compare(&c, row, g, path, NULL);
		json_decref(g);
	}
	json_decref(rv);
	json_decref(mf);
	report(&c, j->name);
}

/* revman5_native: RevMan's own numbers against our RevMan-convention run */
static void test_native(void **state)
{
	struct job *j = *state;
	const json_t *e = j->expected, *row;
	json_t *got = run_json(j), *g = json_object(), *gs = json_array();
	json_t *pooled = json_object_get(got, "pooled"), *het = json_object_get(got, "heterogeneity");
	const char *eff = json_object_get(e, "OR") ? "OR" : "MD";
	int ratio = !strcmp(eff, "OR");
	struct cmp c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.tol = 1e-6;
	c.p_rel = 1e-5;
	c.abs_z = 1;
	if (!ratio)
		c.abs_tol = 1e-7; /* the export is rounded to 8 decimals */
	json_object_set(g, eff, json_object_get(pooled, ratio ? "exp_estimate" : "estimate"));
	json_object_set(g, "ci_lb", json_object_get(pooled, ratio ? "exp_ci_lb" : "ci_lb"));
	json_object_set(g, "ci_ub", json_object_get(pooled, ratio ? "exp_ci_ub" : "ci_ub"));
	json_object_set(g, "Q", json_object_get(het, "Q"));
	json_object_set(g, "df", json_object_get(het, "df"));
	json_object_set(g, "p_Q", json_object_get(het, "p_Q"));
	json_object_set(g, "I2", json_object_get(het, "I2_from_Q"));
	json_object_set(g, "z", json_object_get(pooled, "z"));
	json_object_set(g, "p", json_object_get(pooled, "p"));
	json_array_foreach(json_object_get(e, "studies"), i, row) {
		json_t *s = json_array_get(json_object_get(got, "studies"), i), *o = json_object();

		(void)row;
		json_object_set(o, "study", json_object_get(s, "study"));
		json_object_set(o, eff, json_object_get(s, ratio ? "exp_yi" : "yi"));
		json_object_set(o, ratio ? "se_logOR" : "se", json_object_get(s, "sei"));
		if (ratio)
			json_object_set(o, "var_logOR", json_object_get(s, "vi"));
		json_object_set(o, "ci_lb", json_object_get(s, ratio ? "exp_ci_lb" : "ci_lb"));
		json_object_set(o, "ci_ub", json_object_get(s, ratio ? "exp_ci_ub" : "ci_ub"));
		json_object_set(o, "weight_pct", json_object_get(s, "weight_pct"));
		json_array_append_new(gs, o);
	}
	json_object_set_new(g, "studies", gs);
	/* the oracle's own diagnostics are not ours to reproduce */
	{
		json_t *ec = json_deep_copy(e);

		json_object_del(ec, "max_rel_diff_oracle_vs_revman");
		json_object_del(ec, "p_rel_diff_oracle_vs_revman");
		json_object_del(ec, "p_Q_rel_diff_oracle_vs_revman");
		json_object_del(ec, "max_abs_diff_oracle_vs_revman");
		compare(&c, ec, g, "revman5_native", NULL);
		json_decref(ec);
	}
	json_decref(g);
	json_decref(got);
	report(&c, j->name);
}

/* --- building the jobs --------------------------------------------------- */

static int iterative(const char *tau2)
{
	return tau2 && (!strncmp(tau2, "REML", 4) || !strncmp(tau2, "PM", 2));
}

static void analysis_job(const char *case_id, const char *csv, json_t *a)
{
	const char *id = json_string_value(json_object_get(a, "id"));
	const char *fields[][2] = {
		{ "measure", "--measure" }, { "method", "--method" }, { "model", "--model" },
		{ "tau2_method", "--tau2" }, { "convention", "--convention" },
	};
	const char *ci = json_string_value(json_object_get(a, "ci_method"));
	struct job *j = new_job(csv);

	snprintf(j->name, sizeof(j->name), "test_pool_reference__%s__%s", case_id, id);
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		const char *v = json_string_value(json_object_get(a, fields[f][0]));

		if (v)
			add_opt(j, fields[f][1], v);
	}
	add_opt(j, "--ci", ci ? ci : "z");
	if (json_is_number(json_object_get(a, "level"))) {
		char lv[32];

		snprintf(lv, sizeof(lv), "%.17g", json_number_value(json_object_get(a, "level")));
		add_opt(j, "--level", lv);
	}
	if (!strncmp(id, "subgroups_", 10))
		add_arg(j, "--subgroup");
	if (!strncmp(id, "moderator_", 10))
		add_arg(j, "--moderator");
	j->kind = JOB_ANALYSIS;
	j->expected = a;
	j->tol = iterative(json_string_value(json_object_get(a, "tau2_method"))) ? 1e-5 : 1e-6;
}

/* model key of an extra: FE, DL, REML, PM */
static void model_opts(struct job *j, const char *model)
{
	if (!strcmp(model, "FE")) {
		add_opt(j, "--model", "fixed");
	} else {
		add_opt(j, "--model", "random");
		add_opt(j, "--tau2", model);
	}
	add_opt(j, "--ci", "z");
	add_opt(j, "--method", "IV");
	if (iterative(model))
		j->tol = 1e-5;
}

static const char *default_measure(const char *data_type)
{
	if (!strcmp(data_type, "continuous"))
		return "MD";
	if (!strcmp(data_type, "generic"))
		return "GIV";
	return NULL;
}

/* an effect key of leave_one_out: logRR, MD, SMD_metafor, ... */
static void effect_opts(struct job *j, const char *effect)
{
	char m[32];
	const char *us;

	if (!strncmp(effect, "log", 3))
		effect += 3;
	us = strchr(effect, '_');
	snprintf(m, sizeof(m), "%.*s", us ? (int)(us - effect) : (int)strlen(effect), effect);
	add_opt(j, "--measure", m);
	add_opt(j, "--convention", us ? us + 1 : "metafor");
}

static void loo_job(const char *case_id, const char *csv, const char *data_type,
		    const char *effect, const char *model, json_t *exp)
{
	struct job *j = new_job(csv);

	snprintf(j->name, sizeof(j->name), "test_pool_reference__%s__leave_one_out_%s%s%s", case_id,
		 effect ? effect : "", effect ? "_" : "", model);
	if (effect)
		effect_opts(j, effect);
	else
		add_opt(j, "--measure", default_measure(data_type));
	model_opts(j, model);
	add_arg(j, "--leave-one-out");
	j->kind = JOB_EXTRA;
	j->expected = exp;
	snprintf(j->got_key[0], sizeof(j->got_key[0]), "leave_one_out");
	snprintf(j->got_key[1], sizeof(j->got_key[1]), "%s", model);
}

/* An extra of one model (trimfill, influence, cumulative), run with
 * --<extra> and compared at <extra>.<model>; label names the test. */
static struct job *model_extra_job(const char *case_id, const char *csv, const char *data_type,
				   const char *extra, const char *label, const char *model,
				   json_t *exp)
{
	struct job *j = new_job(csv);
	char flag[32];

	snprintf(j->name, sizeof(j->name), "test_pool_reference__%s__%s_%s", case_id, extra, label);
	snprintf(flag, sizeof(flag), "--%s", extra);
	add_opt(j, "--measure", default_measure(data_type));
	model_opts(j, model);
	add_arg(j, flag);
	j->kind = JOB_EXTRA;
	j->expected = exp;
	snprintf(j->got_key[0], sizeof(j->got_key[0]), "%s", extra);
	snprintf(j->got_key[1], sizeof(j->got_key[1]), "%s", model);
	return j;
}

static void extras_jobs(const char *case_id, const char *csv, json_t *root)
{
	const char *dt = json_string_value(json_object_get(root, "data_type"));
	json_t *loo = json_object_get(root, "leave_one_out");
	json_t *egger = json_object_get(root, "egger"), *tf = json_object_get(root, "trimfill");
	json_t *smdj = json_object_get(root, "smd_J_comparison");
	json_t *native = json_object_get(root, "revman5_native");
	json_t *begg = json_object_get(root, "begg"), *cum = json_object_get(root, "cumulative");
	const char *k, *k2;
	json_t *v, *v2;

	json_object_foreach(loo, k, v) {
		if (json_object_get(v, "rows")) {
			loo_job(case_id, csv, dt, NULL, k, v);
			continue;
		}
		json_object_foreach(v, k2, v2)
			loo_job(case_id, csv, dt, k, k2, v2);
	}
	json_object_foreach(egger, k, v) {
		struct job *j;
		json_t *exp;

		if (strncmp(k, "rma_", 4))
			continue;
		j = new_job(csv);
		snprintf(j->name, sizeof(j->name), "test_pool_reference__%s__egger_%s", case_id, k);
		add_opt(j, "--measure", default_measure(dt));
		model_opts(j, k + 4);
		add_arg(j, "--egger");
		exp = json_object();
		json_object_set(exp, "classic_lm", json_object_get(egger, "classic_lm"));
		json_object_set(exp, k, v);
		j->kind = JOB_EXTRA;
		j->expected = exp;
		snprintf(j->got_key[0], sizeof(j->got_key[0]), "egger");
	}
	/* keys FE, DL, or <model>_<L0|R0>[_<left|right>] */
	json_object_foreach(tf, k, v) {
		char model[16], est[8] = "", side[8] = "";
		struct job *j;

		sscanf(k, "%15[^_]_%7[^_]_%7s", model, est, side);
		j = model_extra_job(case_id, csv, dt, "trimfill", k, model, v);
		if (est[0])
			add_opt(j, "--trimfill-estimator", est);
		if (side[0])
			add_opt(j, "--trimfill-side", side);
	}
	/* metareg.<model>[_<ci>] {ci, columns[], ...}: --moderators COLUMNS */
	json_object_foreach(json_object_get(root, "metareg"), k, v) {
		char model[16], cols[256] = "";
		struct job *j;
		size_t i;
		json_t *mv;

		sscanf(k, "%15[^_]", model);
		json_array_foreach(json_object_get(v, "columns"), i, mv)
			snprintf(cols + strlen(cols), sizeof(cols) - strlen(cols), "%s%s", i ? "," : "",
				 json_string_value(mv));
		j = model_extra_job(case_id, csv, dt, "metareg", k, model, v);
		/* not --metareg: the moderators, and the case's CI method (the
		 * last --ci given wins) */
		j->argc--;
		add_opt(j, "--moderators", cols);
		json_object_del(v, "columns"); /* input, not output */
		add_opt(j, "--ci", json_string_value(json_object_get(v, "ci")));
		j->got_key[1][0] = '\0';
	}
	/* influence.<model>[_<ci>] {rows[]}: the CI method's scaling (the
	 * last --ci given wins) */
	json_object_foreach(json_object_get(root, "influence"), k, v) {
		char model[16], ci[16] = "";
		struct job *j;

		sscanf(k, "%15[^_]_%15s", model, ci);
		j = model_extra_job(case_id, csv, dt, "influence", k, model, v);
		if (ci[0])
			add_opt(j, "--ci", ci);
	}
	/* cumulative.<model> {order_by, rows[]} */
	json_object_foreach(cum, k, v) {
		struct job *j = model_extra_job(case_id, csv, dt, "cumulative", k, k, v);
		const char *by = json_string_value(json_object_get(v, "order_by"));

		if (by)
			add_opt(j, "--cumulative-by", by);
	}
	if (begg) {
		struct job *j = new_job(csv);

		snprintf(j->name, sizeof(j->name), "test_pool_reference__%s__begg", case_id);
		add_opt(j, "--measure", default_measure(dt));
		add_arg(j, "--begg");
		j->kind = JOB_EXTRA;
		j->expected = begg;
		snprintf(j->got_key[0], sizeof(j->got_key[0]), "begg");
	}
	if (smdj) {
		struct job *j = new_job(csv);

		snprintf(j->name, sizeof(j->name), "test_pool_reference__%s__smd_J_comparison", case_id);
		add_opt(j, "--measure", "SMD");
		add_opt(j, "--model", "fixed");
		j->kind = JOB_SMD_J;
		j->expected = smdj;
	}
	if (native) {
		const char *an = json_string_value(json_object_get(native, "analysis"));
		struct job *j = new_job(csv);
		char m[16];

		snprintf(j->name, sizeof(j->name), "test_pool_reference__%s__revman5_native", case_id);
		snprintf(m, sizeof(m), "%.*s", (int)strcspn(an, ","), an);
		add_opt(j, "--measure", m);
		add_opt(j, "--method", strstr(an, "Mantel-Haenszel") ? "MH" : "IV");
		add_opt(j, "--model", "fixed");
		add_opt(j, "--preset", "revman5");
		j->kind = JOB_NATIVE;
		j->expected = native;
	}
}

static json_t **cases;
static size_t ncases;

static int load_case(const char *dir, const char *file)
{
	char *path = NULL, *csv = NULL;
	json_error_t je;
	json_t *root, *a;
	const char *id;
	size_t i;

	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return -1;
	root = json_load_file(path, 0, &je);
	if (!root) {
		fprintf(stderr, "%s: %s\n", path, je.text);
		free(path);
		return -1;
	}
	free(path);
	cases = realloc(cases, (ncases + 1) * sizeof(*cases));
	cases[ncases++] = root;
	id = json_string_value(json_object_get(root, "case_id"));
	if (asprintf(&csv, "%s/%s", dir, json_string_value(json_object_get(root, "input_csv"))) < 0)
		return -1;
	json_array_foreach(json_object_get(root, "analyses"), i, a)
		analysis_job(id, csv, a);
	extras_jobs(id, csv, root);
	free(csv);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *dir = getenv("LSR_META_REF"), *shared = getenv("LSR_SHARED");
	char def[4096];
	struct CMUnitTest *tests;
	struct dirent *de;
	char **names = NULL;
	size_t nn = 0;
	DIR *d;
	int rc;

	if (!dir) {
		snprintf(def, sizeof(def), "%s/reference/meta", shared ? shared : "../shared");
		dir = def;
	}
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "skip: test_reference is a real-data test and ../shared is absent (no %s)\n",
			dir);
		return 77;
	}
	if (!getenv("LSR")) {
		fprintf(stderr, "LSR must point at the lsr binary\n");
		closedir(d);
		return 1;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 5 && !strcmp(de->d_name + n - 5, ".json")) {
			names = realloc(names, (nn + 1) * sizeof(char *));
			names[nn++] = strdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, nn, sizeof(char *), by_name);
	for (size_t i = 0; i < nn; i++) {
		if (load_case(dir, names[i]) < 0)
			return 1;
		free(names[i]);
	}
	free(names);
	if (njobs == 0) {
		fprintf(stderr, "skip: no reference cases in %s\n", dir);
		return 77;
	}
	tests = calloc(njobs, sizeof(*tests));
	for (size_t i = 0; i < njobs; i++) {
		tests[i].name = jobs[i].name;
		tests[i].initial_state = &jobs[i];
		switch (jobs[i].kind) {
		case JOB_SMD_J:
			tests[i].test_func = test_smd_j;
			break;
		case JOB_NATIVE:
			tests[i].test_func = test_native;
			break;
		default:
			tests[i].test_func = test_job;
		}
	}
	rc = _cmocka_run_group_tests("pool_reference", tests, njobs, NULL, NULL);
	for (size_t i = 0; i < njobs; i++)
		if (jobs[i].kind == JOB_EXTRA && !strncmp(jobs[i].got_key[0], "egger", 5))
			json_decref(jobs[i].expected);
	for (size_t i = 0; i < ncases; i++)
		json_decref(cases[i]);
	for (size_t i = 0; i < bag.n; i++)
		free(bag.v[i]);
	free(bag.v);
	free(cases);
	free(jobs);
	free(tests);
	return rc;
}
