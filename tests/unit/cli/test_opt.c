/*
 * test_opt.c - cli/opt.c: opt_subcommand's dispatch (named, default,
 * unknown, missing, an option first), 'CMD -h' collecting every
 * subcommand's options, and opt_parse refusing an option not in its table.
 *
 * cli/ is not a library (its files are linked into lsr alone), so the file
 * under test is compiled in here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/opt.c"

/* what the subcommand functions saw */
static char seen[256];

static int record(const char *who, int argc, const char **argv)
{
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s(", who);
	for (int i = 0; i < argc; i++)
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s", i ? " " : "",
			 argv[i]);
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), ")");
	return 0;
}

static const char *const run_usage[] = { "lsr t [--threads N]", NULL };
static const char *const show_usage[] = { "lsr t show ID [--json]", NULL };
static const char *const drop_usage[] = { "lsr t drop ID --by NAME", "lsr t drop --all", NULL };

static int t_run(int argc, const char **argv, struct lsr_ctx *ctx)
{
	long long threads = 0;
	struct opt opts[] = { OPT_INT(0, "threads", &threads, "N", "threads"), OPT_END() };
	const char **args;
	int n = opt_parse(argc, argv, opts, run_usage, &args);

	(void)ctx;
	if (n < 0 || n == OPT_HELP)
		return n;
	return record("run", argc, argv);
}

static int t_show(int argc, const char **argv, struct lsr_ctx *ctx)
{
	int json = 0;
	struct opt opts[] = { OPT_BOOL(0, "json", &json, "JSON"), OPT_END() };
	const char **args;
	int n = opt_parse(argc, argv, opts, show_usage, &args);

	(void)ctx;
	if (n < 0 || n == OPT_HELP)
		return n;
	return record(json ? "show-json" : "show", n, args);
}

static int t_drop(int argc, const char **argv, struct lsr_ctx *ctx)
{
	struct opt opts[] = { OPT_END() };
	const char **args;
	int n = opt_parse(argc, argv, opts, drop_usage, &args);

	(void)ctx;
	if (n < 0 || n == OPT_HELP)
		return n;
	return record("drop", n, args);
}

static const struct opt_subcommand plain[] = {
	OPT_SUBCOMMAND("show", t_show, show_usage),
	OPT_SUBCOMMAND("drop", t_drop, drop_usage),
	OPT_SUBCOMMAND_END(),
};

static const struct opt_subcommand with_default[] = {
	OPT_SUBCOMMAND_DEFAULT(t_run, run_usage),
	OPT_SUBCOMMAND("show", t_show, show_usage),
	OPT_SUBCOMMAND("drop", t_drop, drop_usage),
	OPT_SUBCOMMAND_END(),
};

/* run opt_subcommand with stdout and stderr in files; their text in out/err */
static int capture(const struct opt_subcommand *subs, int argc, const char **argv,
		   char *out, char *err, size_t size)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	int so = dup(1), se = dup(2), rc;
	size_t n;

	assert_non_null(fo);
	assert_non_null(fe);
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	seen[0] = '\0';
	rc = opt_subcommand(argc, argv, subs, NULL);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	rewind(fo);
	rewind(fe);
	n = fread(out, 1, size - 1, fo);
	out[n] = '\0';
	n = fread(err, 1, size - 1, fe);
	err[n] = '\0';
	fclose(fo);
	fclose(fe);
	opt_release_all();
	return rc;
}

static char out[4096], err[4096];

static void test_cli_opt__named(void **state)
{
	const char *argv[] = { "t", "show", "7", "--json", NULL };
	const char *argv2[] = { "t", "drop", "--", "-3", NULL };

	(void)state;
	assert_int_equal(capture(plain, 4, argv, out, err, sizeof(out)), 0);
	assert_string_equal(seen, "show-json(7)");
	assert_string_equal(out, "");
	assert_int_equal(capture(plain, 4, argv2, out, err, sizeof(out)), 0);
	assert_string_equal(seen, "drop(-3)");
}

static void test_cli_opt__foreign_option(void **state)
{
	const char *argv[] = { "t", "drop", "7", "--json", NULL };

	(void)state;
	assert_int_equal(capture(plain, 4, argv, out, err, sizeof(out)), LSR_EUSAGE);
	assert_string_equal(seen, "");
	assert_string_equal(lsr_error_last(), "unknown option '--json'");
	assert_string_equal(err, "usage: lsr t drop ID --by NAME\n"
				 "   or: lsr t drop --all\n\n"
				 "    -h, --help                   show this help\n");
}

static void test_cli_opt__missing_unknown(void **state)
{
	const char *none[] = { "t", NULL };
	const char *unknown[] = { "t", "frob", NULL };
	const char *optfirst[] = { "t", "--json", "show", NULL };

	(void)state;
	assert_int_equal(capture(plain, 1, none, out, err, sizeof(out)), LSR_EUSAGE);
	assert_string_equal(lsr_error_last(), "t needs a subcommand (show or drop)");
	assert_string_equal(err, "usage: lsr t show ID [--json]\n"
				 "   or: lsr t drop ID --by NAME\n"
				 "   or: lsr t drop --all\n");
	assert_int_equal(capture(plain, 2, unknown, out, err, sizeof(out)), LSR_EUSAGE);
	assert_string_equal(lsr_error_last(), "unknown t subcommand 'frob' (expected show or drop)");
	assert_int_equal(capture(plain, 3, optfirst, out, err, sizeof(out)), LSR_EUSAGE);
	assert_string_equal(lsr_error_last(), "the subcommand (show or drop) comes before '--json'");
	assert_string_equal(seen, "");
}

static void test_cli_opt__default(void **state)
{
	const char *none[] = { "t", NULL };
	const char *opt[] = { "t", "--threads", "3", NULL };
	const char *named[] = { "t", "show", "1", NULL };
	const char *unknown[] = { "t", "frob", NULL };

	(void)state;
	assert_int_equal(capture(with_default, 1, none, out, err, sizeof(out)), 0);
	assert_string_equal(seen, "run(t)");
	assert_int_equal(capture(with_default, 3, opt, out, err, sizeof(out)), 0);
	assert_string_equal(seen, "run(t --threads 3)");
	assert_int_equal(capture(with_default, 3, named, out, err, sizeof(out)), 0);
	assert_string_equal(seen, "show(1)");
	/* a word is a subcommand, never the default's argument */
	assert_int_equal(capture(with_default, 2, unknown, out, err, sizeof(out)), LSR_EUSAGE);
	assert_string_equal(lsr_error_last(), "unknown t subcommand 'frob' (expected show or drop)");
}

static void test_cli_opt__help(void **state)
{
	const char *argv[] = { "t", "-h", NULL };

	(void)state;
	assert_int_equal(capture(with_default, 2, argv, out, err, sizeof(out)), OPT_HELP);
	assert_string_equal(seen, "");
	assert_string_equal(out,
		"usage: lsr t [--threads N]\n"
		"   or: lsr t show ID [--json]\n"
		"   or: lsr t drop ID --by NAME\n"
		"   or: lsr t drop --all\n"
		"\n"
		"lsr t\n"
		"        --threads N              threads\n"
		"\n"
		"lsr t show\n"
		"        --json                   JSON\n"
		"\n"
		"    -h, --help                   show this help ('lsr t SUBCOMMAND -h': one subcommand's)\n");
	assert_string_equal(err, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_opt__named),
		cmocka_unit_test(test_cli_opt__foreign_option),
		cmocka_unit_test(test_cli_opt__missing_unknown),
		cmocka_unit_test(test_cli_opt__default),
		cmocka_unit_test(test_cli_opt__help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
