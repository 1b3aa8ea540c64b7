/*
 * opt.h - table-driven option parsing over getopt_long, after git's
 * parse-options: one table per command drives parsing and -h.
 *
 *     static const char *const usage[] = {
 *         "lsr import FILE... --source NAME [--force]", NULL };
 *     const char *source = NULL; int force = 0;
 *     struct opt opts[] = {
 *         OPT_STRING(0, "source", &source, "NAME", "source the records come from"),
 *         OPT_BOOL(0, "force", &force, "import a file already imported"),
 *         OPT_END(),
 *     };
 *     const char **args;
 *     int n = opt_parse(argc, argv, opts, usage, &args);
 *
 *     if (n < 0 || n == OPT_HELP)
 *         return n;   // lsr.c turns OPT_HELP into exit 0
 *
 * opt_parse returns the number of positional arguments (in *args, which
 * points into argv), OPT_HELP when -h/--help was printed (exit 0), or
 * LSR_EUSAGE with the message set (an unknown option also prints the
 * usage and the option table on stderr, as git does).
 *
 * A command made of subcommands (lsr screen rules, lsr screen batch, ...)
 * gives each subcommand its own function, usage array and option table, so
 * an option of one is refused by the others, and dispatches with
 * opt_subcommand() (git's OPT_SUBCOMMAND; builtin/bundle.c):
 *
 *     static const char *const rules_usage[] = {
 *         "lsr screen rules [--dry-run] [--json]", NULL };
 *
 *     static int screen_rules(int argc, const char **argv, struct lsr_ctx *ctx)
 *     {
 *         int dry_run = 0, json = 0;
 *         struct opt opts[] = {
 *             OPT_BOOL(0, "dry-run", &dry_run, "evaluate and count, store nothing"),
 *             OPT_BOOL(0, "json", &json, "one JSON object"),
 *             OPT_END(),
 *         };
 *         const char **args;
 *         int n = opt_parse(argc, argv, opts, rules_usage, &args);
 *
 *         if (n < 0 || n == OPT_HELP)
 *             return n;
 *         ...
 *     }
 *
 *     static const struct opt_subcommand screen_subcommands[] = {
 *         OPT_SUBCOMMAND("rules", screen_rules, rules_usage),
 *         ...
 *         OPT_SUBCOMMAND_END(),
 *     };
 *
 *     int cmd_screen(int argc, const char **argv, struct lsr_ctx *ctx)
 *     {
 *         return opt_subcommand(argc, argv, screen_subcommands, ctx);
 *     }
 *
 * A subcommand function must call opt_parse before anything else: that is
 * how 'lsr screen -h' collects its options (see opt_subcommand).
 */
#ifndef LSR_OPT_H
#define LSR_OPT_H

#include <stdio.h>

#include "../util/strv.h"

enum opt_type {
	OPT_T_END,
	OPT_T_BOOL,    /* int, set to 1 (--no-NAME sets 0 when negatable) */
	OPT_T_STRING,  /* const char *, last one wins */
	OPT_T_INT,     /* long long */
	OPT_T_DOUBLE,  /* double */
	OPT_T_LIST,    /* struct strv, every occurrence appended */
	OPT_T_SET,     /* int, set to a constant (for --json/--tsv style choices) */
};

struct opt {
	enum opt_type type;
	int short_name;        /* 0 for none */
	const char *long_name; /* NULL for none */
	void *value;
	const char *argh;      /* argument name for help */
	const char *help;
	long long set_value;   /* OPT_T_SET */
	int negatable;         /* OPT_T_BOOL: accept --no-NAME */
};

#define OPT_BOOL(s, l, v, h) { OPT_T_BOOL, s, l, v, NULL, h, 0, 0 }
#define OPT_NEGBOOL(s, l, v, h) { OPT_T_BOOL, s, l, v, NULL, h, 0, 1 }
#define OPT_STRING(s, l, v, a, h) { OPT_T_STRING, s, l, v, a, h, 0, 0 }
#define OPT_INT(s, l, v, a, h) { OPT_T_INT, s, l, v, a, h, 0, 0 }
#define OPT_DOUBLE(s, l, v, a, h) { OPT_T_DOUBLE, s, l, v, a, h, 0, 0 }
#define OPT_LIST(s, l, v, a, h) { OPT_T_LIST, s, l, v, a, h, 0, 0 }
#define OPT_SET(s, l, v, val, h) { OPT_T_SET, s, l, v, NULL, h, val, 0 }
#define OPT_END() { OPT_T_END, 0, NULL, NULL, NULL, NULL, 0, 0 }

#define OPT_HELP 1000

/*
 * Parse argv[1..argc) (argv[0] is the command name).  Options and
 * positional arguments may be mixed; "--" ends options.  *args receives the
 * positional arguments (a NULL-terminated array: valid until
 * opt_release_all()).
 */
int opt_parse(int argc, const char **argv, const struct opt *opts,
	      const char *const *usage, const char ***args);

/* Free the argument copies opt_parse made (at exit). */
void opt_release_all(void);

/* Print usage and the option table to f. */
void opt_usage(FILE *f, const struct opt *opts, const char *const *usage);

struct lsr_ctx;

/* One subcommand: its name (argv[1] of the command), its function (called
 * with the argv from the subcommand's name on, so its argv[0] is "rules")
 * and the usage array its opt_parse prints. */
struct opt_subcommand {
	const char *name;
	int (*fn)(int argc, const char **argv, struct lsr_ctx *ctx);
	const char *const *usage;
};

#define OPT_SUBCOMMAND(name, fn, usage) { name, fn, usage }
/* What the command does without a subcommand ('lsr dedup [--threads N]'):
 * fn gets the command's own argv (argv[0] "dedup"); its usage lines are
 * listed where the entry stands in the table. */
#define OPT_SUBCOMMAND_DEFAULT(fn, usage) { "", fn, usage }
#define OPT_SUBCOMMAND_END() { NULL, NULL, NULL }

/*
 * Run the subcommand argv[1] names (argv[0] is the command's name) and
 * return what it returns.  The subcommand comes first; its options follow
 * it, and options of another subcommand are unknown to it.  With an
 * OPT_SUBCOMMAND_DEFAULT entry, no subcommand (nothing, or an option
 * first) runs the default.
 *
 * "-h"/"--help" instead of a subcommand prints every subcommand's usage
 * lines, then each subcommand's options under "lsr CMD SUB" (collected by
 * calling each function with "-h", so a subcommand function must call
 * opt_parse first), and returns OPT_HELP.  No subcommand, an unknown one,
 * or an option before it: LSR_EUSAGE, with the usage lines on stderr.
 */
int opt_subcommand(int argc, const char **argv, const struct opt_subcommand *subs,
		   struct lsr_ctx *ctx);

#endif
