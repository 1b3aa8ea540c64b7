/*
 * opt.c - option tables over getopt_long (see opt.h).
 */
#include "opt.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTS 96

/* set by opt_subcommand while it collects the subcommands' options for
 * 'lsr CMD -h': opt_parse then prints only the option lines, under this
 * heading (when the table has any) */
static const char *help_heading;

/* "usage: " before the first line, "   or: " before the others; a line
 * continued after a newline is indented as much, so what the usage string
 * aligns (as the manual prints it) stays aligned */
static void print_usage_lines(FILE *f, const char *const *usage, int first)
{
	for (int i = 0; usage && usage[i]; i++, first = 0) {
		fputs(first ? "usage: " : "   or: ", f);
		for (const char *p = usage[i]; *p; p++) {
			fputc(*p, f);
			if (*p == '\n')
				fputs("       ", f);
		}
		fputc('\n', f);
	}
}

static void print_opt(FILE *f, const char *lhs, const char *help)
{
	fprintf(f, "    %-28s %s\n", lhs, help ? help : "");
}

static void print_options(FILE *f, const struct opt *opts)
{
	for (const struct opt *o = opts; o->type != OPT_T_END; o++) {
		char lhs[128];
		int n = 0;

		if (o->short_name && o->long_name)
			n = snprintf(lhs, sizeof(lhs), "-%c, --%s%s", o->short_name,
				     o->type == OPT_T_BOOL && o->negatable ? "[no-]" : "",
				     o->long_name);
		else if (o->short_name)
			n = snprintf(lhs, sizeof(lhs), "-%c", o->short_name);
		else
			n = snprintf(lhs, sizeof(lhs), "    --%s%s",
				     o->type == OPT_T_BOOL && o->negatable ? "[no-]" : "",
				     o->long_name);
		if (o->argh && n > 0 && (size_t)n < sizeof(lhs))
			snprintf(lhs + n, sizeof(lhs) - (size_t)n, " %s", o->argh);
		print_opt(f, lhs, o->help);
	}
}

void opt_usage(FILE *f, const struct opt *opts, const char *const *usage)
{
	print_usage_lines(f, usage, 1);
	fputc('\n', f);
	print_options(f, opts);
	print_opt(f, "-h, --help", "show this help");
}

/* "a, b or c" of the subcommands' names (not the default's) */
static void subcommand_list(struct buf *b, const struct opt_subcommand *subs)
{
	int n = 0, k = 0;

	for (int i = 0; subs[i].name; i++)
		n += *subs[i].name != '\0';
	for (int i = 0; subs[i].name; i++) {
		if (!*subs[i].name)
			continue;
		buf_printf(b, "%s%s", k == 0 ? "" : k + 1 < n ? ", " : " or ", subs[i].name);
		k++;
	}
}

static void subcommand_usage(FILE *f, const struct opt_subcommand *subs)
{
	for (int i = 0; subs[i].name; i++)
		print_usage_lines(f, subs[i].usage, i == 0);
}

int opt_subcommand(int argc, const char **argv, const struct opt_subcommand *subs,
		   struct lsr_ctx *ctx)
{
	struct buf names = BUF_INIT;
	const struct opt_subcommand *dflt = NULL;
	const char *cmd = argv[0];
	int rc;

	for (int i = 0; subs[i].name; i++)
		if (!*subs[i].name)
			dflt = &subs[i];

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		char help[128];

		subcommand_usage(stdout, subs);
		for (int i = 0; subs[i].name; i++) {
			const char *help_argv[] = { subs[i].name, "-h", NULL };
			char heading[128];

			snprintf(heading, sizeof(heading), "lsr %s%s%s", cmd, *subs[i].name ? " " : "",
				 subs[i].name);
			help_argv[0] = *subs[i].name ? subs[i].name : cmd;
			help_heading = heading;
			rc = subs[i].fn(2, help_argv, ctx);
			help_heading = NULL;
			if (rc != OPT_HELP)
				BUG("subcommand '%s %s' did not parse its options first", cmd,
				    subs[i].name);
		}
		snprintf(help, sizeof(help), "show this help ('lsr %s SUBCOMMAND -h': one subcommand's)",
			 cmd);
		putchar('\n');
		print_opt(stdout, "-h, --help", help);
		return OPT_HELP;
	}
	for (int i = 0; argc > 1 && subs[i].name; i++)
		if (*subs[i].name && !strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1, ctx);
	if (dflt && (argc < 2 || argv[1][0] == '-'))
		return dflt->fn(argc, argv, ctx);
	subcommand_list(&names, subs);
	if (argc < 2)
		rc = lsr_error_set(LSR_EUSAGE, "%s needs a subcommand (%s)", cmd, names.s);
	else if (argv[1][0] == '-')
		rc = lsr_error_set(LSR_EUSAGE, "the subcommand (%s) comes before '%s'", names.s,
				   argv[1]);
	else
		rc = lsr_error_set(LSR_EUSAGE, "unknown %s subcommand '%s' (expected %s)", cmd,
				   argv[1], names.s);
	buf_release(&names);
	subcommand_usage(stderr, subs);
	return rc;
}

static int set_value(const struct opt *o, const char *arg, const char *name)
{
	char *end;

	switch (o->type) {
	case OPT_T_BOOL:
		*(int *)o->value = 1;
		return 0;
	case OPT_T_SET:
		*(int *)o->value = (int)o->set_value;
		return 0;
	case OPT_T_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_T_LIST:
		return strv_push((struct strv *)o->value, arg);
	case OPT_T_INT: {
		long long v;

		errno = 0;
		v = strtoll(arg, &end, 10);
		if (!*arg || *end || errno)
			return lsr_error_set(LSR_EUSAGE, "option '%s' expects a whole number, not '%s'",
					     name, arg);
		*(long long *)o->value = v;
		return 0;
	}
	case OPT_T_DOUBLE: {
		double v;

		errno = 0;
		v = strtod(arg, &end);
		if (!*arg || *end || errno)
			return lsr_error_set(LSR_EUSAGE, "option '%s' expects a number, not '%s'",
					     name, arg);
		*(double *)o->value = v;
		return 0;
	}
	case OPT_T_END:
		break;
	}
	return 0;
}

static const char **kept[64]; /* argv copies handed out */
static int nkept;

static const char **keep_copy(int argc, const char **argv)
{
	const char **copy;

	if (nkept == (int)(sizeof(kept) / sizeof(kept[0]))) {
		lsr_error_set(LSR_EUSAGE, "options parsed too many times");
		return NULL;
	}
	copy = malloc(sizeof(*copy) * ((size_t)argc + 1));
	if (!copy) {
		lsr_error_oom();
		return NULL;
	}
	for (int i = 0; i < argc; i++)
		copy[i] = argv[i];
	kept[nkept++] = copy;
	return copy;
}

void opt_release_all(void)
{
	while (nkept > 0)
		free(kept[--nkept]);
}

int opt_parse(int argc, const char **argv, const struct opt *opts,
	      const char *const *usage, const char ***args)
{
	struct option lo[MAX_OPTS * 2 + 2];
	char shorts[MAX_OPTS * 2 + 8];
	const char **copy;
	const struct opt *byidx[MAX_OPTS * 2 + 2];
	int nlo = 0, ns = 0, c, idx, npos = 0;
	const char **pos;

	shorts[ns++] = ':';
	for (const struct opt *o = opts; o->type != OPT_T_END; o++) {
		int has_arg = (o->type == OPT_T_BOOL || o->type == OPT_T_SET)
				      ? no_argument : required_argument;

		if (nlo >= MAX_OPTS * 2)
			BUG("option table too large");
		if (o->long_name) {
			lo[nlo] = (struct option){ o->long_name, has_arg, NULL, 256 + nlo };
			byidx[nlo++] = o;
			if (o->type == OPT_T_BOOL && o->negatable) {
				static _Thread_local char neg[MAX_OPTS][64];
				int k = (int)(o - opts);

				snprintf(neg[k], sizeof(neg[k]), "no-%s", o->long_name);
				lo[nlo] = (struct option){ neg[k], no_argument, NULL, 256 + nlo };
				byidx[nlo++] = NULL; /* marks negation of the previous */
			}
		}
		if (o->short_name) {
			shorts[ns++] = (char)o->short_name;
			if (has_arg == required_argument)
				shorts[ns++] = ':';
		}
	}
	shorts[ns++] = 'h';
	shorts[ns] = '\0';
	lo[nlo++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[nlo] = (struct option){ NULL, 0, NULL, 0 };

	/* getopt_long permutes its argv: work on a copy, kept until
	 * opt_release_all() (the strings stay argv's own) */
	copy = keep_copy(argc, argv);
	if (!copy)
		return LSR_ENOMEM;
	copy[argc] = NULL;
	optind = 0; /* full re-initialisation (glibc) */
	opterr = 0;
	while ((c = getopt_long(argc, (char *const *)copy, shorts, lo, &idx)) != -1) {
		const struct opt *o = NULL;
		char name[80];

		if (c == 'h') {
			if (help_heading && opts->type != OPT_T_END) {
				printf("\n%s\n", help_heading);
				print_options(stdout, opts);
			} else if (!help_heading) {
				opt_usage(stdout, opts, usage);
			}
			return OPT_HELP;
		}
		if (c == '?') {
			if (optopt >= 256) /* --NAME=VALUE of an option without a value */
				return lsr_error_set(LSR_EUSAGE, "option '--%s' takes no value",
						     lo[optopt - 256].name);
			/* the usage first: the error message is the last line */
			opt_usage(stderr, opts, usage);
			if (optopt)
				return lsr_error_set(LSR_EUSAGE, "unknown option '-%c'", optopt);
			return lsr_error_set(LSR_EUSAGE, "unknown option '%s'", copy[optind - 1]);
		}
		if (c == ':') {
			if (optopt && optopt < 256)
				return lsr_error_set(LSR_EUSAGE, "option '-%c' needs a value", optopt);
			return lsr_error_set(LSR_EUSAGE, "option '%s' needs a value",
					     copy[optind - 1]);
		}
		if (c >= 256) {
			int k = c - 256;

			if (!byidx[k]) { /* --no-NAME */
				*(int *)byidx[k - 1]->value = 0;
				continue;
			}
			o = byidx[k];
			snprintf(name, sizeof(name), "--%s", o->long_name);
		} else {
			for (const struct opt *p = opts; p->type != OPT_T_END; p++)
				if (p->short_name == c)
					o = p;
			snprintf(name, sizeof(name), "-%c", c);
		}
		if (!o)
			BUG("getopt returned unknown option %d", c);
		if (set_value(o, optarg, name) < 0)
			return lsr_error_last_code();
	}
	/* positional arguments: getopt moved them to the end */
	pos = copy + optind;
	npos = argc - optind;
	*args = pos;
	return npos;
}
