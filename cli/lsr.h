/*
 * lsr.h - what every command file in cli/ shares: the context a command
 * runs in, and the command table.
 *
 * A command is int cmd_<name>(int argc, const char **argv, struct lsr_ctx *ctx);
 * argv[0] is the command name.  It returns 0 or a negative LSR_E* code with
 * the message set; main() prints "lsr <cmd>: error: <message>" and maps the
 * code to the exit status (docs/exit-codes.md).  Only cli/ prints or exits.
 */
#ifndef LSR_CLI_H
#define LSR_CLI_H

#include "../db/db.h"
#include "../db/protocol.h"
#include "../util/progress.h"

/* A command's return that is no error and exits 6: the work was done but
 * some input was skipped and recorded (lsr import --skip-malformed). */
#define CMD_SKIPPED 6

enum cmd_flags {
	NEED_DB = 1 << 0,       /* open the review database (found like git) */
	NEED_PROTOCOL = 1 << 1, /* protocol.yaml must exist and be valid */
	WANT_PROTOCOL = 1 << 2, /* load protocol.yaml when present */
};

struct lsr_ctx {
	const char *cmd;           /* the command name */
	const char *dir_opt;       /* -C DIR, or NULL */
	char *review_dir;          /* the review directory found */
	struct lsr_db *db;         /* with NEED_DB */
	struct protocol *protocol; /* with NEED_/WANT_PROTOCOL (may be NULL for WANT) */
	int verbosity;             /* -q: -1, default 0, -v: 1, -vv: 2 */
	int reads_only;            /* the command only reads the review: it may be read-only */
	struct lsr_progress progress; /* draws on a tty stderr */
};

struct lsr_cmd {
	const char *name;
	int (*fn)(int argc, const char **argv, struct lsr_ctx *ctx);
	unsigned flags;
	const char *summary;
};

/* Open the review (db and protocol per flags) if not yet open. */
int ctx_open_review(struct lsr_ctx *ctx, unsigned flags);

/* A path inside the review directory (caller frees). */
char *ctx_review_path(const struct lsr_ctx *ctx, const char *name);

/* Messages on stderr, in git's style: "lsr <cmd>: warning: ..." */
void ctx_warn(const struct lsr_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ctx_info(const struct lsr_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define LSR_COMMANDS(X) \
	X(init, 0, "create a review: review.db and a protocol.yaml template") \
	X(import, NEED_DB | WANT_PROTOCOL, "import database exports (PubMed XML, MEDLINE, RIS, WoS, EndNote, BibTeX, CSV)") \
	X(search, NEED_DB | WANT_PROTOCOL, "run the saved searches: PubMed, Europe PMC, ClinicalTrials.gov") \
	X(status, NEED_DB | WANT_PROTOCOL, "records identified per source and run") \
	X(records, NEED_DB, "list, export or remove records") \
	X(run, NEED_DB, "list runs; withdraw a run imported by mistake") \
	X(dedup, NEED_DB, "group records into citations; explain, queue, decide, split, export") \
	X(screen, NEED_DB | WANT_PROTOCOL, "screen citations: PICOS rules, batches, decisions, conflicts, agreement, full text") \
	X(serve, NEED_DB | WANT_PROTOCOL, "the screening web app: reviewers screen in the browser, blind; --add-reviewer, --revoke") \
	X(study, NEED_DB, "link reports to studies; list the studies") \
	X(pool, 0, "meta-analysis of the protocol's analyses or of a CSV file: RevMan 5 and metafor conventions, forest and funnel plots") \
	X(extract, 0, "extraction sheets, dual extraction, conversions to mean/SD, export") \
	X(rob, 0, "risk of bias (RoB 1, RoB 2): sheets, dual assessment, figures") \
	X(prisma, NEED_DB | WANT_PROTOCOL, "PRISMA 2020 flow numbers and diagram, from the record") \
	X(check_stats, 0, "check reported p-values against their estimates and 95% CIs, as statcheck does") \
	X(grade, 0, "GRADE certainty and the summary-of-findings table; the team's ratings (lsr grade set)") \
	X(report, NEED_DB | NEED_PROTOCOL, "the review's self-contained HTML report") \
	X(update, NEED_DB | NEED_PROTOCOL, "the monthly living update: new searches and files, dedup, rules, flags; --status, --close") \
	X(test_normalize, 0, "(hidden) show how dedup normalises text: lsr test-normalize")

#define DECLARE_CMD(name, flags, summary) \
	int cmd_##name(int argc, const char **argv, struct lsr_ctx *ctx);
LSR_COMMANDS(DECLARE_CMD)
#undef DECLARE_CMD

#endif
