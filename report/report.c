/*
 * report.c - the review's HTML report (see report.h).
 *
 * Sections: the question and PICOS; findings about included reports
 * (retractions, errata) at the top when there are any; the PRISMA 2020
 * flow; characteristics of the included studies; the reports excluded at
 * full text with their reasons; risk of bias; one section per stored
 * analysis (its figures, numbers, heterogeneity and a table per add-on:
 * pool_review_figures() gives the figures); adverse events; for an
 * update, what changed since the previous one.  Values whose extraction
 * source says ILLUSTRATIVE (the example review's) are marked with a
 * dagger wherever they appear.
 *
 * Everything is read through the stages' public functions (screen.h,
 * extract.h, update.h, review.h): no SQL here.
 */
#include "report.h"
#include "prisma.h"
#include "../db/db.h"
#include "../db/protocol.h"
#include "../db/runs.h"
#include "../db/update.h"
#include "../extract/extract.h"
#include "../pool/grade.h"
#include "../util/checkstats.h"
#include "../pool/review.h"
#include "../screen/screen.h"
#include "../screen/rank.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/outfile.h"
#include "../util/strv.h"
#include "../util/svg.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct rep {
	struct lsr_db *db;
	const struct protocol *p;
	const char *dir;
	int update, nupdates;
	struct buf h;         /* the HTML */
	struct strv illustrative; /* "study\toutcome" (outcome "" for characteristics) */
	int png;              /* REPORT_PNG_*: NEVER once rsvg-convert proved absent in AUTO */
	char *review_root;    /* the review directory, resolved (NULL if unknown) */
	int rc;
};

/* ---- small helpers ------------------------------------------------------------ */

/* an imported file's name as the report shows it: relative to the review
 * directory when inside it (no machine's absolute path in a published
 * report), else as stored */
static const char *file_shown(const struct rep *r, const char *path)
{
	size_t n = r->review_root ? strlen(r->review_root) : 0;

	if (n && !strncmp(path, r->review_root, n) && path[n] == '/' && path[n + 1])
		return path + n + 1;
	return path;
}

/* the resolved directory of the review database, or NULL */
static char *review_root(struct lsr_db *db)
{
	struct buf dir = BUF_INIT;
	char *real = db_dir(db, &dir) == 0 ? realpath(dir.s, NULL) : NULL;

	buf_release(&dir);
	return real;
}

static void esc(struct rep *r, const char *s)
{
	if (r->rc == 0 && s)
		r->rc = svg_escape(&r->h, s);
}

static void out(struct rep *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(struct rep *r, const char *fmt, ...)
{
	va_list ap;

	if (r->rc)
		return;
	va_start(ap, fmt);
	r->rc = buf_vprintf(&r->h, fmt, ap);
	va_end(ap);
}

static int write_file(const char *dir, const char *name, const char *data, size_t len)
{
	struct buf path = BUF_INIT;
	int rc;

	if (buf_printf(&path, "%s/%s", dir, name) < 0)
		return lsr_error_oom();
	rc = outfile_write_all(path.s, data, len);
	buf_release(&path);
	return rc;
}

/*
 * dir/NAME.png from dir/NAME.svg by rsvg-convert (found on PATH), at twice
 * the SVG's size on white, read from its standard output and written as
 * every file is (complete or not there).  Its absence is an error only
 * with REPORT_PNG_ALWAYS; in REPORT_PNG_AUTO the first failure to start
 * it turns PNGs off.
 */
static int write_png(struct rep *r, const char *svgname)
{
	char *argv[] = { "rsvg-convert", "--zoom", "2", "--background-color", "white", "--format", "png",
			 NULL, NULL };
	struct buf svg = BUF_INIT, png = BUF_INIT, name = BUF_INIT;
	posix_spawn_file_actions_t fa;
	int fd[2] = { -1, -1 }, rc = 0, err, status;
	char chunk[65536];
	ssize_t got;
	pid_t pid;

	if (buf_printf(&svg, "%s/%s", r->dir, svgname) < 0 ||
	    buf_printf(&name, "%.*s.png", (int)(strlen(svgname) - 4), svgname) < 0)
		return lsr_error_oom();
	argv[7] = svg.s;
	if (pipe(fd) < 0) {
		rc = lsr_error_set(LSR_ERROR, "cannot run rsvg-convert: %s", strerror(errno));
		goto out;
	}
	if ((err = posix_spawn_file_actions_init(&fa)) == 0) {
		err = posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
		if (err == 0)
			err = posix_spawn_file_actions_addclose(&fa, fd[0]);
		if (err == 0)
			err = posix_spawn_file_actions_addclose(&fa, fd[1]);
		if (err == 0)
			err = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
		if (err == 0)
			err = posix_spawnp(&pid, "rsvg-convert", &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
	}
	close(fd[1]);
	if (err == ENOENT && r->png == REPORT_PNG_AUTO) {
		r->png = REPORT_PNG_NEVER; /* not installed: no PNGs, as documented */
		goto out;
	}
	if (err) {
		rc = lsr_error_set(LSR_ERROR, "cannot run rsvg-convert for '%s': %s%s", svg.s, strerror(err),
				   err == ENOENT ? " (install librsvg2-bin, or give --no-png)" : "");
		goto out;
	}
	while ((got = read(fd[0], chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = lsr_error_set(LSR_ERROR, "reading rsvg-convert's output: %s", strerror(errno));
			break;
		}
		if (rc == 0 && buf_add(&png, chunk, (size_t)got) < 0)
			rc = lsr_error_oom(); /* read on to the end: the child must not block */
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			if (rc == 0)
				rc = lsr_error_set(LSR_ERROR, "rsvg-convert: %s", strerror(errno));
			goto out;
		}
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) || !png.len))
		rc = lsr_error_set(LSR_ERROR, "rsvg-convert could not convert '%s' (%s %d)", svg.s,
				   WIFEXITED(status) ? "exit status" : "signal",
				   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	if (rc == 0)
		rc = write_file(r->dir, name.s, png.s, png.len);
out:
	if (fd[0] >= 0)
		close(fd[0]);
	buf_release(&svg);
	buf_release(&png);
	buf_release(&name);
	return rc;
}

/* An SVG document inline (without its XML declaration) and as a file
 * (and a PNG beside it: write_png). */
static void figure(struct rep *r, const struct buf *svg, const char *file, const char *caption)
{
	const char *s = svg->s;

	if (r->rc)
		return;
	if (!strncmp(s, "<?xml", 5) && strchr(s, '\n'))
		s = strchr(s, '\n') + 1;
	out(r, "<figure>\n%s", s);
	if (caption) {
		out(r, "<figcaption>");
		esc(r, caption);
		out(r, " (<a href=\"");
		esc(r, file);
		out(r, "\">");
		esc(r, file);
		out(r, "</a>)</figcaption>\n");
	}
	out(r, "</figure>\n");
	if (r->rc == 0)
		r->rc = write_file(r->dir, file, svg->s, svg->len);
	if (r->rc == 0 && r->png != REPORT_PNG_NEVER)
		r->rc = write_png(r, file);
}

static int is_illustrative(const struct rep *r, const char *study, const char *outcome)
{
	char key[512];

	snprintf(key, sizeof(key), "%s\t%s", study, outcome ? outcome : "");
	return strv_contains(&r->illustrative, key);
}

static int add_illustrative(const struct extract_illustrative *it, void *payload)
{
	struct rep *r = payload;
	struct buf k = BUF_INIT;
	int rc;

	rc = buf_printf(&k, "%s\t%s", it->study, it->outcome);
	if (rc == 0)
		rc = strv_push(&r->illustrative, k.s);
	buf_release(&k);
	return rc;
}

/* ---- sections -------------------------------------------------------------------- */

static const char style[] =
	"body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}"
	"h1{font-size:1.6em}h2{border-bottom:2px solid #a9cce3;padding-bottom:.2em;margin-top:2em}"
	"table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
	"th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}"
	"th{background:#eef5fb}td.n{text-align:right}"
	"figure{margin:1em 0;overflow-x:auto}figure svg{max-width:100%;height:auto}"
	"figcaption{font-size:.85em;color:#555}"
	".alert{border:2px solid #c0392b;background:#fdecea;padding:.5em 1em;margin:1em 0}"
	".note{font-size:.9em;color:#555}td.note{overflow-wrap:anywhere}pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:.85em}"
	"dt{font-weight:bold}dd{margin:0 0 .5em 1em}";

static void header(struct rep *r, const char *date)
{
	const struct protocol *p = r->p;
	const struct protocol_picos *c = &p->picos;
	const char *rows[][2] = { { "Population", c->population }, { "Intervention", c->intervention },
				  { "Comparison", c->comparison }, { "Outcomes", c->outcomes },
				  { "Study design", c->study_design } };

	out(r, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	esc(r, p->title);
	out(r, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
	esc(r, p->title);
	out(r, "</h1>\n<p>");
	if (p->registration) {
		out(r, "Registration: ");
		esc(r, p->registration);
		out(r, ". ");
	}
	if (r->update == 0)
		out(r, "The review as first done (update 0)");
	else
		out(r, "Living update %d", r->update);
	out(r, "%s", date[0] ? ", searches up to " : "");
	esc(r, date);
	out(r, ".</p>\n");
	if (p->question) {
		out(r, "<p><strong>Question.</strong> ");
		esc(r, p->question);
		out(r, "</p>\n");
	}
	out(r, "<dl>\n");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i][1]) {
			out(r, "<dt>%s</dt><dd>", rows[i][0]);
			esc(r, rows[i][1]);
			out(r, "</dd>\n");
		}
	out(r, "</dl>\n");
	if (r->illustrative.n)
		out(r, "<p class=\"note\">&#8224; marks data whose extraction source says they are "
		       "<strong>illustrative</strong>: not from the trial reports.</p>\n");
}

/* flags: one list item per finding, the list opened at the first */
struct flag_list {
	struct rep *r;
	int n;
};

static int flag_item(const struct update_flag *f, void *payload)
{
	struct flag_list *l = payload;
	struct rep *r = l->r;

	if (l->n++ == 0)
		out(r, "<div class=\"alert\"><strong>Reports of included studies flagged:</strong><ul>\n");
	out(r, "<li>update %d: <strong>", f->update_no);
	esc(r, f->kind);
	out(r, "</strong>: ");
	esc(r, f->study);
	out(r, " &mdash; ");
	esc(r, f->title);
	out(r, " (");
	esc(r, f->detail);
	out(r, ")</li>\n");
	return r->rc;
}

static void flags(struct rep *r)
{
	struct flag_list l = { r, 0 };
	int rc;

	if (r->rc)
		return;
	if ((rc = update_flags_list(r->db, r->update, flag_item, &l)) < 0) {
		r->rc = rc;
		return;
	}
	if (l.n)
		out(r, "</ul></div>\n");
}

static void prisma_section(struct rep *r)
{
	struct prisma x;
	struct buf svg = BUF_INIT;
	char file[64];
	int rc;

	if (r->rc)
		return;
	if ((rc = prisma_compute(&x, r->db, r->p, r->update)) < 0) {
		r->rc = rc;
		return;
	}
	out(r, "<h2>PRISMA 2020 flow</h2>\n");
	if (r->update >= 1)
		out(r, "<p>Updated-review template: the identification and screening of update %d, the "
		       "studies of the previous version, and the total.</p>\n", r->update);
	snprintf(file, sizeof(file), r->update >= 1 ? "prisma-update-%d.svg" : "prisma.svg", r->update);
	if ((rc = prisma_svg(&svg, &x, NULL)) < 0)
		r->rc = rc;
	figure(r, &svg, file, "PRISMA 2020 flow diagram");
	if (r->rc == 0) {
		struct buf t = BUF_INIT;

		r->rc = prisma_text(&t, &x);
		out(r, "<details><summary>The numbers</summary><pre>");
		esc(r, t.s);
		out(r, "</pre></details>\n");
		buf_release(&t);
	}
	buf_release(&svg);
	prisma_release(&x);
}

/* characteristics: agreed values collected from extract_compare() */
struct chars {
	struct strv keys;   /* "study\tfield" */
	struct strv values;
};

/* ---- the searches: when and how each source was searched ------------------ */

static int search_row(const struct run_row *u, void *payload)
{
	struct rep *r = payload;
	char n[32];

	if (u->update_no != r->update || u->withdrawn_reason)
		return 0;
	out(r, "<tr><td>");
	esc(r, u->source);
	out(r, "</td><td>");
	esc(r, u->searched_on ? u->searched_on : "not recorded");
	out(r, "</td><td>");
	esc(r, u->database_version ? u->database_version : "");
	out(r, "</td><td>");
	esc(r, !strcmp(u->kind, "search") ? "lsr search" : "export file");
	out(r, " (run ");
	snprintf(n, sizeof(n), "%lld", (long long)u->id);
	esc(r, n);
	out(r, ")</td><td class=\"num\">");
	snprintf(n, sizeof(n), "%lld", (long long)u->records_live);
	esc(r, n);
	out(r, "</td><td>");
	if (u->strategy) {
		out(r, "<pre>");
		esc(r, u->strategy);
		out(r, "</pre>");
	}
	out(r, "</td></tr>\n");
	return 0;
}

static void searches(struct rep *r)
{
	int rc;

	if (r->rc)
		return;
	out(r, "<h2>Searches</h2>\n<table>\n<tr><th>Source</th><th>Date of search</th>"
	       "<th>Database version</th><th>How</th><th>Records</th><th>Strategy</th></tr>\n");
	if ((rc = db_runs_foreach(r->db, search_row, r)) < 0)
		r->rc = rc;
	out(r, "</table>\n");
}

static int collect_char(const struct extract_item *it, void *payload)
{
	struct chars *c = payload;
	struct buf k = BUF_INIT;
	int rc;

	if (it->outcome || !(it->state == EXTRACT_AGREED || it->state == EXTRACT_RESOLVED) || !it->agreed)
		return 0;
	rc = buf_printf(&k, "%s\t%s", it->study, it->field);
	if (rc == 0 && (rc = strv_push(&c->keys, k.s)) == 0)
		rc = strv_push(&c->values, it->agreed);
	buf_release(&k);
	return rc;
}

static const char *char_value(const struct chars *c, const char *study, const char *field)
{
	char key[512];

	snprintf(key, sizeof(key), "%s\t%s", study, field);
	for (size_t i = 0; i < c->keys.n; i++)
		if (!strcmp(c->keys.v[i], key))
			return c->values.v[i];
	return NULL;
}

/* one row of the characteristics table */
struct char_table {
	struct rep *r;
	const struct chars *c;
};

static int char_row(const struct screen_study_reports *s, void *payload)
{
	struct char_table *t = payload;
	struct rep *r = t->r;

	out(r, "<tr><td>");
	esc(r, s->study);
	if (is_illustrative(r, s->study, NULL))
		out(r, " &#8224;");
	out(r, "</td>");
	for (size_t i = 0; i < r->p->ncharacteristics; i++) {
		const char *v = char_value(t->c, s->study, r->p->characteristics[i].name);

		out(r, "<td>");
		esc(r, v ? v : "");
		out(r, "</td>");
	}
	out(r, "<td class=\"note\">");
	esc(r, s->reports);
	out(r, "</td></tr>\n");
	return r->rc;
}

static void characteristics(struct rep *r)
{
	struct extract_compare_counts cc;
	struct chars c = { STRV_INIT, STRV_INIT };
	struct char_table t = { r, &c };
	int rc;

	if (r->rc)
		return;
	if ((r->rc = extract_compare(&cc, r->db, r->p, 1, collect_char, &c)) < 0)
		goto done;
	out(r, "<h2>Characteristics of included studies</h2>\n<table>\n<tr><th>Study</th>");
	for (size_t i = 0; i < r->p->ncharacteristics; i++) {
		out(r, "<th>");
		esc(r, protocol_characteristic_label(&r->p->characteristics[i]));
		out(r, "</th>");
	}
	out(r, "<th>Reports</th></tr>\n");
	if (r->rc == 0 && (rc = screen_study_reports_list(r->db, r->update, char_row, &t)) < 0)
		r->rc = rc;
	out(r, "</table>\n<p class=\"note\">Agreed (or resolved) values of the extractors; an empty "
	       "cell was not reported or is not agreed yet.</p>\n");
done:
	strv_release(&c.keys);
	strv_release(&c.values);
}

/* ---- eligibility: extracted designs against the protocol's ------------------- */

/* lower-case copy of s contains any of words */
static int mentions(const char *s, const char *const *words)
{
	char low[512];
	size_t i;

	for (i = 0; s[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
	low[i] = '\0';
	for (i = 0; words[i]; i++)
		if (strstr(low, words[i]))
			return 1;
	return 0;
}

static const char *const not_randomised[] = {
	"not randomi", "non-randomi", "nonrandomi", "non randomi", "quasi", "cohort", "case-control",
	"case control", "retrospective", "observational", "single-arm", "single arm", "case series",
	"before-after", "uncontrolled", NULL,
};

struct elig {
	struct rep *r;
	const struct chars *c;
	const char *field; /* the design characteristic */
	int n;
};

static int elig_study(const struct screen_study_reports *s, void *payload)
{
	struct elig *e = payload;
	struct rep *r = e->r;
	const char *v = char_value(e->c, s->study, e->field);

	if (!v || !mentions(v, not_randomised))
		return 0;
	if (!e->n++)
		out(r, "<div class=\"alert\"><strong>Included studies whose extracted design contradicts "
		       "the protocol</strong> (study design: ");
	if (e->n == 1) {
		esc(r, r->p->picos.study_design);
		out(r, "):<ul>\n");
	}
	out(r, "<li><strong>eligibility</strong>: ");
	esc(r, s->study);
	out(r, " &mdash; ");
	esc(r, protocol_characteristic_label(protocol_characteristic_find(r->p, e->field)));
	out(r, ": &ldquo;");
	esc(r, v);
	out(r, "&rdquo;</li>\n");
	return r->rc;
}

/*
 * When the protocol admits randomised trials only (picos.study_design says
 * "randomised" and not "non-randomised"), every included study whose
 * design characteristic (the first whose name contains "design") reads as
 * a non-randomised design is flagged in the red box.
 */
static void eligibility(struct rep *r)
{
	static const char *const rct[] = { "randomi", "rct", NULL };
	static const char *const non[] = { "non-randomi", "nonrandomi", "not randomi", "non randomi", NULL };
	const char *sd = r->p->picos.study_design;
	struct extract_compare_counts cc;
	struct chars c = { STRV_INIT, STRV_INIT };
	struct elig e = { r, &c, NULL, 0 };
	int rc;

	if (r->rc || !sd || !mentions(sd, rct) || mentions(sd, non))
		return;
	for (size_t i = 0; i < r->p->ncharacteristics && !e.field; i++)
		if (strstr(r->p->characteristics[i].name, "design"))
			e.field = r->p->characteristics[i].name;
	if (!e.field)
		return;
	rc = extract_compare(&cc, r->db, r->p, 1, collect_char, &c);
	if (rc >= 0)
		rc = screen_study_reports_list(r->db, r->update, elig_study, &e);
	if (rc < 0)
		r->rc = rc;
	if (e.n)
		out(r, "</ul></div>\n");
	strv_release(&c.keys);
	strv_release(&c.values);
}

/* ---- study-level effects: their p against their interval --------------------- */

struct stat_flags {
	struct rep *r;
	int n;
};

static int stat_flag(const struct extract_reported_effect *e, void *payload)
{
	struct stat_flags *f = payload;
	struct rep *r = f->r;
	struct check_stats_in in = { e->measure, e->estimate, e->ci_lb, e->ci_ub, e->p };
	struct check_stats_out cs;
	int bad = check_stats_row(&cs, &in) < 0;

	if (!bad && cs.flag == CHECK_STATS_OK)
		return 0;
	if (!f->n++)
		out(r, "<div class=\"alert\"><strong>Study-level effects whose p-value does not fit "
		       "their estimate and 95%% CI</strong> (checked as <code>lsr check-stats</code> "
		       "does):<ul>\n");
	out(r, "<li><strong>");
	esc(r, e->study);
	out(r, "</strong>, ");
	esc(r, e->outcome);
	if (e->timepoint && *e->timepoint) {
		out(r, " at ");
		esc(r, e->timepoint);
	}
	out(r, ": %s ", e->measure);
	esc(r, e->estimate);
	out(r, " [");
	esc(r, e->ci_lb ? e->ci_lb : "");
	out(r, ", ");
	esc(r, e->ci_ub ? e->ci_ub : "");
	out(r, "], p ");
	esc(r, e->p);
	out(r, ": ");
	if (bad) {
		out(r, "not checkable: ");
		esc(r, lsr_error_last());
		lsr_error_clear();
	} else {
		esc(r, check_stats_flag_text(cs.flag));
		out(r, " (the interval implies p = %.2g)", cs.p_implied);
	}
	out(r, "</li>\n");
	return r->rc;
}

/*
 * Every agreed study-level effect reported with a p-value (the outcome
 * sheet's p column) is checked against its estimate and interval as lsr
 * check-stats checks them; those that do not fit are listed in the red box.
 */
static void reported_stats(struct rep *r)
{
	struct stat_flags f = { r, 0 };
	int rc;

	if (r->rc)
		return;
	if ((rc = extract_reported_effects(r->db, r->p, stat_flag, &f)) < 0)
		r->rc = rc;
	if (f.n)
		out(r, "</ul></div>\n");
}

/*
 * The reports decided at full text that are not included, in three tables
 * by the status of their reason in the protocol (docs/protocol.md,
 * reasons' status): excluded, each with its reason (PRISMA 2020 item 16b;
 * Cochrane's "Characteristics of excluded studies"), the reason's label
 * from the protocol when it has one; ongoing studies; and studies awaiting
 * classification - the last two only where the protocol defines those
 * statuses.  Reports of updates 0 to the one shown: the review as it
 * stood then.
 */
struct ft_table {
	struct rep *r;
	const char *status; /* excluded, ongoing, awaiting-classification */
	const char *head;   /* the last column's heading */
	int n;
};

static const char *ft_status_of(const struct protocol *p, const char *code)
{
	const struct protocol_reason *why = *code ? protocol_reason_find(p, code) : NULL;

	return why && why->status ? why->status : "excluded";
}

static int ft_table_row(const struct screen_ft_report *f, void *payload)
{
	struct ft_table *t = payload;
	struct rep *r = t->r;
	const struct protocol_reason *why = *f->reason ? protocol_reason_find(r->p, f->reason) : NULL;
	char num[32];

	if (strcmp(f->status, "excluded") || strcmp(ft_status_of(r->p, f->reason), t->status))
		return 0;
	if (!t->n++)
		out(r, "<table>\n<tr><th>Report</th><th>Year</th><th>Update</th><th>%s</th></tr>\n", t->head);
	snprintf(num, sizeof(num), "%lld", (long long)f->citation);
	out(r, "<tr><td>");
	esc(r, *f->title ? f->title : "(no title)");
	out(r, " <span class=\"note\">(citation ");
	esc(r, num);
	out(r, ")</span></td><td>");
	if (f->year)
		out(r, "%d", f->year);
	out(r, "</td><td class=\"n\">%d</td><td>", f->update_no);
	esc(r, why && why->label ? why->label : *f->reason ? f->reason : "(no reason given)");
	out(r, "</td></tr>\n");
	return r->rc;
}

/* one table: its heading, the rows of the status, or a sentence when none */
static void ft_table(struct rep *r, const char *status, const char *title, const char *head,
		     const char *none)
{
	struct ft_table t = { r, status, head, 0 };
	int rc;

	if (r->rc)
		return;
	out(r, "<h2>%s</h2>\n", title);
	if ((rc = screen_ft_reports_list(r->db, r->update, ft_table_row, &t)) < 0 && r->rc == 0)
		r->rc = rc;
	if (t.n)
		out(r, "</table>\n");
	else
		out(r, "<p>%s</p>\n", none);
}

/* whether a full-text reason of the protocol carries status */
static int protocol_defines(const struct protocol *p, const char *status)
{
	for (size_t i = 0; i < p->nreasons; i++)
		if (p->reasons[i].status && !strcmp(p->reasons[i].status, status))
			return 1;
	return 0;
}

static void excluded_fulltext(struct rep *r)
{
	ft_table(r, "excluded", "Excluded full-text reports", "Reason for exclusion",
		 "No report was excluded at full text.");
	if (protocol_defines(r->p, "ongoing"))
		ft_table(r, "ongoing", "Ongoing studies", "Note", "No report of an ongoing study.");
	if (protocol_defines(r->p, "awaiting-classification"))
		ft_table(r, "awaiting-classification", "Studies awaiting classification", "Why",
			 "No study awaits classification.");
}

/* the risk-of-bias figures per result: the section, and the file names
 * given so far */
struct rob_figs {
	struct rep *r;
	struct strv files;
};

/*
 * The traffic light and the summary of one plot: the study level (result
 * NULL: rob-traffic-light.svg, rob-summary.svg) or one result under its
 * heading (the outcome's label, with the time point), its files named
 * after the outcome (and time point), made unique.
 */
static void rob_pair(struct rob_figs *f, const struct extract_robplot *plot, const char *outcome,
		     const char *timepoint)
{
	struct rep *r = f->r;
	struct buf svg = BUF_INIT, name = BUF_INIT, tl = BUF_INIT, sum = BUF_INIT;
	struct buf cap_tl = BUF_INIT, cap_sum = BUF_INIT;
	char safe[200];

	if (r->rc)
		return;
	if (!outcome) {
		r->rc = buf_adds(&tl, "rob-traffic-light.svg");
		if (r->rc == 0)
			r->rc = buf_adds(&sum, "rob-summary.svg");
		if (r->rc == 0)
			r->rc = buf_adds(&cap_tl, "Risk of bias of each study, by domain");
		if (r->rc == 0)
			r->rc = buf_adds(&cap_sum, "Risk of bias across studies, by domain");
	} else {
		r->rc = buf_printf(&name, "%s%s%s", outcome, *timepoint ? "-" : "", timepoint);
		outfile_safe_name(safe, sizeof(safe), r->rc == 0 ? name.s : "");
		/* outcome "a b" and "a_b" would share a name: number the second */
		for (int k = 1; r->rc == 0; k++) {
			buf_reset(&name);
			if (k == 1)
				r->rc = buf_adds(&name, safe);
			else
				r->rc = buf_printf(&name, "%s-%d", safe, k);
			if (r->rc == 0 && !strv_contains(&f->files, name.s))
				break;
		}
		if (r->rc == 0)
			r->rc = strv_push(&f->files, name.s);
		if (r->rc == 0)
			r->rc = buf_printf(&tl, "rob-traffic-light-%s.svg", name.s);
		if (r->rc == 0)
			r->rc = buf_printf(&sum, "rob-summary-%s.svg", name.s);
		if (r->rc == 0)
			r->rc = buf_printf(&cap_tl, "Risk of bias of each study for %s, by domain", plot->result);
		if (r->rc == 0)
			r->rc = buf_printf(&cap_sum, "Risk of bias across the studies of %s, by domain", plot->result);
		out(r, "<h3>");
		esc(r, plot->result);
		out(r, "</h3>\n");
	}
	if (r->rc == 0 && (r->rc = extract_robplot_traffic_light(&svg, plot)) == 0)
		figure(r, &svg, tl.s, cap_tl.s);
	buf_reset(&svg);
	if (r->rc == 0 && (r->rc = extract_robplot_summary(&svg, plot)) == 0)
		figure(r, &svg, sum.s, cap_sum.s);
	buf_release(&svg);
	buf_release(&name);
	buf_release(&tl);
	buf_release(&sum);
	buf_release(&cap_tl);
	buf_release(&cap_sum);
}

static int rob_result_pair(const struct extract_robplot *plot, const char *outcome,
			   const char *timepoint, void *payload)
{
	struct rob_figs *f = payload;

	if (!f->files.n)
		out(f->r, "<p>Risk of bias per outcome: each study's judgements for the outcome's results"
			  " where recorded, else its study-level ones; the studies with data or judgements"
			  " for the outcome.</p>\n");
	rob_pair(f, plot, outcome, timepoint);
	return f->r->rc;
}

/*
 * The risk-of-bias section: the figures per result (RoB 2 per result,
 * RoB 1 per-outcome domains) when any result has judgements of its own,
 * else the study-level figures.
 */
static void risk_of_bias(struct rep *r)
{
	struct extract_robplot plot;
	struct rob_figs f = { r, STRV_INIT };
	int64_t judged = 0;
	size_t nres = 0;

	if (r->rc)
		return;
	memset(&plot, 0, sizeof(plot));
	if ((r->rc = extract_rob_count(&judged, r->db)) < 0)
		return;
	if (!judged) {
		out(r, "<h2>Risk of bias</h2>\n<p>No risk-of-bias judgements recorded yet.</p>\n");
		return;
	}
	out(r, "<h2>Risk of bias (%s)</h2>\n",
	    r->p->risk_of_bias && !strcmp(r->p->risk_of_bias, "rob2") ? "RoB 2" : "RoB 1");
	if (r->rc == 0)
		r->rc = extract_rob_plot_results(&nres, r->db, r->p, rob_result_pair, &f);
	strv_release(&f.files);
	if (r->rc || nres)
		return;
	if ((r->rc = extract_rob_plot_data(&plot, r->db, r->p, NULL)) < 0)
		return;
	if (plot.nstudies == 0)
		out(r, "<p>No risk-of-bias judgements recorded yet.</p>\n");
	else
		rob_pair(&f, &plot, NULL, NULL);
	extract_rob_plot_free(&plot);
}

static const char *measure_of(const struct pool_review *a);

/* an analysis's title: its protocol label, else its name */
static const char *analysis_label(const struct rep *r, const char *name)
{
	const struct protocol_analysis *pa = protocol_analysis_find(r->p, name);

	return pa ? protocol_analysis_label(pa) : name;
}

/* ---- an analysis's add-ons: tables beside the figures ---------------------- */

/* a number: "%.*f", "n/a" when not finite */
static void num_cell(struct rep *r, double v, int prec)
{
	if (isfinite(v))
		out(r, "<td class=\"n\">%.*f</td>", prec, v);
	else
		out(r, "<td class=\"n\">n/a</td>");
}

static void p_cell(struct rep *r, double p)
{
	if (!isfinite(p))
		out(r, "<td class=\"n\">n/a</td>");
	else if (p < 0.0001)
		out(r, "<td class=\"n\">&lt; 0.0001</td>");
	else
		out(r, "<td class=\"n\">%.4f</td>", p);
}

/* an estimate and its CI on the display scale (ratios back-transformed) */
static void effect_cell(struct rep *r, const struct pool_result *x, double est, double lb, double ub)
{
	double e = x->log_scale ? exp(est) : est, l = x->log_scale ? exp(lb) : lb;
	double u = x->log_scale ? exp(ub) : ub;

	if (!isfinite(e))
		out(r, "<td class=\"n\">not estimable</td>");
	else if (!isfinite(l) || !isfinite(u))
		out(r, "<td class=\"n\">%.2f</td>", e);
	else
		out(r, "<td class=\"n\">%.2f [%.2f, %.2f]</td>", e, l, u);
}

static void label_cell(struct rep *r, const struct pool_result *x, size_t study)
{
	out(r, "<td>");
	esc(r, x->in->studies[study].label);
	out(r, "</td>");
}

/* leave-one-out or cumulative steps */
static void refit_table(struct rep *r, const struct pool_review *a, const char *title,
			const char *col, const struct pool_loo_row *rows, size_t n, const char *by)
{
	const struct pool_result *x = a->res;

	out(r, "<h4>%s</h4>\n<table>\n<tr><th>%s</th>", title, col);
	if (by) {
		out(r, "<th>");
		esc(r, by);
		out(r, "</th>");
	}
	out(r, "<th>k</th><th>");
	esc(r, measure_of(a));
	out(r, " [%g%% CI]</th><th>P</th><th>I&#178;</th><th>tau&#178;</th></tr>\n", 100 * x->opts.level);
	for (size_t j = 0; j < n; j++) {
		const struct pool_summary *s = &rows[j].s;

		out(r, "<tr>");
		label_cell(r, x, rows[j].omitted);
		if (by)
			num_cell(r, x->in->studies[rows[j].omitted].order, 0);
		out(r, "<td class=\"n\">%d</td>", s->k);
		effect_cell(r, x, s->estimate, s->ci_lb, s->ci_ub);
		p_cell(r, s->p);
		num_cell(r, s->I2, 0);
		num_cell(r, s->tau2, 4);
		out(r, "</tr>\n");
	}
	out(r, "</table>\n");
}

static void influence_table(struct rep *r, const struct pool_result *x)
{
	out(r, "<h4>Influence diagnostics</h4>\n<table>\n<tr><th>Study</th><th>rstudent</th>"
	       "<th>DFFITS</th><th>Cook's distance</th><th>cov.r</th><th>tau&#178; without</th>"
	       "<th>QE without</th><th>hat</th><th>weight %%</th><th>DFBETAS</th><th>influential</th></tr>\n");
	for (size_t j = 0; j < x->ninfl; j++) {
		const struct pool_influence *f = &x->infl[j];

		out(r, "<tr>");
		label_cell(r, x, f->study);
		num_cell(r, f->rstudent, 3);
		num_cell(r, f->dffits, 3);
		num_cell(r, f->cook_d, 3);
		num_cell(r, f->cov_r, 3);
		num_cell(r, f->tau2_del, 4);
		num_cell(r, f->QE_del, 2);
		num_cell(r, f->hat, 3);
		num_cell(r, f->weight, 1);
		num_cell(r, f->dfbs, 3);
		out(r, "<td>%s</td></tr>\n", f->influential ? "yes" : "");
	}
	out(r, "</table>\n<p class=\"note\">As metafor's influence(): a study is influential when "
	       "|DFFITS| &gt; 3&#8730;(1/(k&#8722;1)), Cook's distance exceeds the median of "
	       "&#967;&#178;(1), hat &gt; 3/k or |DFBETAS| &gt; 1.</p>\n");
}

static void metareg_table(struct rep *r, const struct pool_result *x)
{
	const struct pool_metareg *g = x->mreg;

	out(r, "<h4>Meta-regression</h4>\n<p>k = %d. Test of moderators: ", g->k);
	if (g->tdist)
		out(r, "F(%.0f, %.0f) = %.2f", g->QM_df, g->QM_df2, g->QM);
	else
		out(r, "QM(df = %.0f) = %.2f", g->QM_df, g->QM);
	out(r, ", P %s%.4g. Residual heterogeneity: QE(df = %.0f) = %.2f, P %s%.4g; tau&#178; = %.4g; "
	       "I&#178; = %.1f%%", g->QM_p < 0.0001 ? "&lt; " : "= ", g->QM_p < 0.0001 ? 0.0001 : g->QM_p,
	    g->QE_df, g->QE, g->QE_p < 0.0001 ? "&lt; " : "= ", g->QE_p < 0.0001 ? 0.0001 : g->QE_p,
	    g->tau2, g->I2);
	if (isfinite(g->R2))
		out(r, "; R&#178; = %.1f%%", g->R2);
	out(r, ".</p>\n<table>\n<tr><th>Coefficient</th><th>Estimate</th><th>SE</th><th>%s</th>"
	       "<th>P</th><th>%g%% CI</th></tr>\n", g->tdist ? "t" : "z", 100 * x->opts.level);
	for (size_t j = 0; j < g->ncoef; j++) {
		const struct pool_coef *c = &g->coef[j];

		out(r, "<tr><td>");
		esc(r, c->name);
		out(r, "</td>");
		num_cell(r, c->estimate, 4);
		num_cell(r, c->se, 4);
		num_cell(r, c->stat, 2);
		p_cell(r, c->p);
		out(r, "<td class=\"n\">[%.4f, %.4f]</td></tr>\n", c->ci_lb, c->ci_ub);
	}
	out(r, "</table>\n<p class=\"note\">Coefficients on the analysis scale%s.</p>\n",
	    x->log_scale ? " (log of the ratio)" : "");
}

static void small_study_tables(struct rep *r, const struct pool_review *a)
{
	const struct pool_result *x = a->res;

	if (x->egger || x->begg) {
		out(r, "<h4>Small-study effects</h4>\n<table>\n<tr><th>Test</th><th>Statistic</th>"
		       "<th>P</th><th>Note</th></tr>\n");
		if (x->egger) {
			const struct pool_egger *e = x->egger;

			out(r, "<tr><td>Egger's regression (classic)</td><td>bias %.3f (SE %.3f), t = %.2f, "
			       "df = %.0f</td>", e->bias, e->bias_se, e->t, e->df);
			p_cell(r, e->p);
			out(r, "<td>k = %d</td></tr>\n<tr><td>Egger's regression (model-based)</td>"
			       "<td>bias %.3f (SE %.3f), %s = %.2f</td>", e->k, e->m_bias, e->m_bias_se,
			    e->m_tdist ? "t" : "z", e->m_stat);
			p_cell(r, e->m_p);
			out(r, "<td>metafor's regtest()</td></tr>\n");
		}
		if (x->begg) {
			const struct pool_begg *b = x->begg;

			out(r, "<tr><td>Begg's rank correlation</td><td>Kendall's tau = %.3f</td>", b->tau);
			p_cell(r, b->p);
			out(r, "<td>k = %d, %s</td></tr>\n", b->k,
			    b->exact ? "exact P" : "normal approximation (ties)");
		}
		out(r, "</table>\n");
	}
	if (x->tf) {
		const struct pool_trimfill *t = x->tf;

		out(r, "<h4>Trim-and-fill</h4>\n<table>\n<tr><th>Estimator</th><th>Side</th>"
		       "<th>Studies filled (SE)</th><th>k</th><th>");
		esc(r, measure_of(a));
		out(r, " [%g%% CI]</th></tr>\n<tr><td>%s</td><td>%s</td><td class=\"n\">%d",
		    100 * x->opts.level, t->r0 ? "R0" : "L0", t->right ? "right" : "left", t->k0);
		if (isfinite(t->se_k0))
			out(r, " (%.2f)", t->se_k0);
		out(r, "</td><td class=\"n\">%d observed</td>", t->k);
		effect_cell(r, x, t->original.estimate, t->original.ci_lb, t->original.ci_ub);
		out(r, "</tr>\n<tr><td></td><td></td><td></td><td class=\"n\">%d with the filled</td>",
		    t->k + t->k0);
		effect_cell(r, x, t->filled.estimate, t->filled.ci_lb, t->filled.ci_ub);
		out(r, "</tr>\n</table>\n");
	}
}

/* "[lb, ub]" of an interval of tau2 or I2, "" when not computed */
static void interval(struct rep *r, const char *what, const double *ci, int prec, const char *unit)
{
	if (isfinite(ci[0]) && isfinite(ci[1]))
		out(r, " [%s %.*f%s, %.*f%s]", what, prec, ci[0], unit, prec, ci[1], unit);
}

/* The pooled estimate's heterogeneity and prediction interval, beyond the
 * summary line: Q, I2 and tau2 with their Q-profile (and, for REML and ML,
 * profile-likelihood) CIs. */
static void heterogeneity(struct rep *r, const struct pool_review *a)
{
	const struct pool_result *x = a->res;
	const struct pool_summary *m = &x->main;
	double lv = 100 * x->opts.level;

	if (x->no_total || m->k < 2 || !isfinite(m->Q))
		return;
	out(r, "<p class=\"note\">Heterogeneity: Q = %.2f, df = %.0f, P %s%.4g; I&#178; = %.1f%%", m->Q, m->df,
	    m->p_Q < 0.0001 ? "&lt; " : "= ", m->p_Q < 0.0001 ? 0.0001 : m->p_Q, m->I2);
	interval(r, "Q-profile", m->I2_ci, 1, "%");
	if (m->random && isfinite(m->I2_from_Q))
		out(r, " (%.1f%% from Q, as RevMan 5 shows it)", m->I2_from_Q);
	if (m->random) {
		out(r, "; tau&#178; = %.4g", m->tau2);
		interval(r, "Q-profile", m->tau2_ci, 4, "");
		interval(r, "profile likelihood", m->tau2_ci_pl, 4, "");
		if (isfinite(m->pi_lb))
			out(r, "; %g%% prediction interval %.2f to %.2f", lv,
			    x->log_scale ? exp(m->pi_lb) : m->pi_lb, x->log_scale ? exp(m->pi_ub) : m->pi_ub);
	}
	out(r, ".</p>\n");
}

static void addon_tables(struct rep *r, const struct pool_review *a)
{
	const struct pool_result *x = a->res;
	const char *by = json_string_value(json_object_get(a->spec, "cumulative_by"));

	heterogeneity(r, a);

	if (x->loo && x->nloo)
		refit_table(r, a, "Leave-one-out", "Study left out", x->loo, x->nloo, NULL);
	if (x->cum && x->ncum)
		refit_table(r, a, "Cumulative meta-analysis", "Study added", x->cum, x->ncum, by);
	if (x->infl && x->ninfl)
		influence_table(r, x);
	if (x->mreg)
		metareg_table(r, x);
	small_study_tables(r, a);
}

static int analysis_figure(const char *file, const char *caption, const struct buf *svg, void *payload)
{
	struct rep *r = payload;

	figure(r, svg, file, caption);
	return r->rc;
}

static void analyses(struct rep *r)
{
	struct strv names = STRV_INIT;

	if (r->rc)
		return;
	if ((r->rc = pool_review_stored_names(&names, r->db, r->p, r->update)) < 0)
		return;
	out(r, "<h2>Meta-analyses</h2>\n");
	if (!names.n)
		out(r, "<p>No analysis stored for this update: run <code>lsr pool</code>.</p>\n");
	for (size_t i = 0; i < names.n && r->rc == 0; i++) {
		struct pool_review a;
		struct buf t = BUF_INIT;
		size_t nill = 0;

		if ((r->rc = pool_review_load(&a, r->db, r->p, names.v[i], r->update)) < 0) {
			pool_review_release(&a);
			break;
		}
		out(r, "<h3 id=\"analysis-");
		esc(r, a.name);
		out(r, "\">");
		esc(r, analysis_label(r, a.name));
		out(r, "</h3>\n");
		if (a.res)
			r->rc = pool_review_figures(&a, analysis_figure, r);
		if (r->rc == 0 && (r->rc = pool_review_text(&t, &a)) == 0) {
			out(r, "<pre>");
			esc(r, t.s);
			out(r, "</pre>\n");
		}
		if (r->rc == 0 && a.res)
			addon_tables(r, &a);
		for (size_t s = 0; s < a.k; s++)
			if (is_illustrative(r, a.studies[s].label, a.outcome)) {
				out(r, "%s", nill++ ? ", " : "<p class=\"note\">&#8224; Illustrative data: ");
				esc(r, a.studies[s].label);
				if (a.studies[s].subgroup && a.subgroup && !strcmp(a.subgroup, "timepoint")) {
					out(r, " (");
					esc(r, a.studies[s].subgroup);
					out(r, ")");
				}
			}
		if (nill)
			out(r, ".</p>\n");
		buf_release(&t);
		pool_review_release(&a);
	}
	strv_release(&names);
}

static void adverse_events(struct rep *r)
{
	int any = 0;

	for (size_t i = 0; i < r->p->noutcomes && r->rc == 0; i++) {
		const struct protocol_outcome *o = &r->p->outcomes[i];
		struct extract_study_data *d = NULL;
		size_t n = 0;

		/* only the outcomes the protocol marks as harms (kind: adverse_event) */
		if (!o->kind || strcmp(o->kind, "adverse_event"))
			continue;
		if ((r->rc = extract_outcome_data(&d, &n, r->db, r->p, o->name, NULL)) < 0)
			break;
		if (!any++)
			out(r, "<h2>Adverse events</h2>\n<p class=\"note\">The outcomes the protocol marks as "
			       "adverse events: events / participants per arm (dichotomous), mean (SD) and "
			       "participants (continuous), log hazard ratio (SE).</p>\n<table>\n<tr><th>Event</th>"
			       "<th>Study</th><th>Time point</th><th>Intervention</th><th>Control</th></tr>\n");
		for (size_t j = 0; j < n; j++) {
			out(r, "<tr><td>");
			esc(r, protocol_outcome_label(o));
			out(r, "</td><td>");
			esc(r, d[j].study);
			if (is_illustrative(r, d[j].study, o->name))
				out(r, " &#8224;");
			out(r, "</td><td>");
			esc(r, d[j].timepoint);
			if (!o->type || !strcmp(o->type, "continuous"))
				out(r, "</td><td class=\"n\">%.4g (%.4g), n = %.0f</td>"
				       "<td class=\"n\">%.4g (%.4g), n = %.0f</td></tr>\n",
				    d[j].mean1, d[j].sd1, d[j].n1, d[j].mean2, d[j].sd2, d[j].n2);
			else if (!strcmp(o->type, "time-to-event"))
				out(r, "</td><td class=\"n\" colspan=\"2\">log HR %.4g (SE %.4g)</td></tr>\n",
				    d[j].log_hr, d[j].se_log_hr);
			else
				out(r, "</td><td class=\"n\">%.0f / %.0f</td><td class=\"n\">%.0f / %.0f</td></tr>\n",
				    d[j].events1, d[j].n1, d[j].events2, d[j].n2);
		}
		if (!n) {
			out(r, "<tr><td>");
			esc(r, protocol_outcome_label(o));
			out(r, "</td><td colspan=\"4\">no agreed data</td></tr>\n");
		}
		extract_study_data_free(d, n);
	}
	if (any)
		out(r, "</table>\n");
}

/* ---- methods: written from the record ---------------------------------------- */

/*
 * The Methods section: what was done, read from the database (runs,
 * deduplication and screening counts, agreement, the analyses as stored)
 * and from the protocol's settings, not typed.  References are collected
 * as the text names a method and listed at the end, once each.
 */
struct methods {
	struct rep *r;
	struct strv refs;
	int nruns;
};

static void cite(struct methods *m, const char *ref)
{
	size_t i;

	for (i = 0; i < m->refs.n; i++)
		if (!strcmp(m->refs.v[i], ref))
			break;
	if (i == m->refs.n && strv_push(&m->refs, ref) < 0 && m->r->rc == 0)
		m->r->rc = LSR_ENOMEM;
	out(m->r, " [%zu]", i + 1);
}

static int methods_run(const struct run_row *u, void *payload)
{
	struct methods *m = payload;
	struct rep *r = m->r;
	const struct protocol_source *ps = protocol_source_find(r->p, u->source);
	const char *strategy = u->strategy ? u->strategy : ps ? (ps->strategy ? ps->strategy : ps->query) : NULL;
	char n[32];

	if (u->update_no > r->update || u->withdrawn_reason || u->id == 0)
		return 0;
	if (!m->nruns++)
		out(r, "<ul>\n");
	out(r, "<li><strong>");
	esc(r, u->source);
	out(r, "</strong> (");
	esc(r, u->source_kind ? u->source_kind : "database");
	out(r, "). Date of search: ");
	esc(r, u->searched_on ? u->searched_on : "not recorded");
	if (u->database_version) {
		out(r, "; database version ");
		esc(r, u->database_version);
	}
	out(r, "; %s", !strcmp(u->kind, "search") ? "searched by lsr search" : "export file");
	if (u->file_or_query && strcmp(u->kind, "search")) {
		out(r, " <code>");
		esc(r, file_shown(r, u->file_or_query));
		out(r, "</code>");
	}
	snprintf(n, sizeof(n), "%lld", (long long)u->id);
	out(r, " imported as run ");
	esc(r, n);
	snprintf(n, sizeof(n), "%lld", (long long)u->records_live);
	out(r, " (update %d, ", u->update_no);
	esc(r, n);
	out(r, " records).");
	if (strategy) {
		out(r, " Strategy as run:<pre>");
		esc(r, strategy);
		out(r, "</pre>");
	} else {
		out(r, " Strategy: not recorded.");
	}
	out(r, "</li>\n");
	return r->rc;
}

static const char *ci_words(const char *ci)
{
	if (!ci)
		return "not recorded";
	if (!strcmp(ci, "z"))
		return "Wald-type (normal) confidence intervals";
	if (!strcmp(ci, "t"))
		return "confidence intervals from the t distribution";
	if (!strcmp(ci, "hk"))
		return "Hartung-Knapp confidence intervals";
	if (!strcmp(ci, "hk-adhoc"))
		return "Hartung-Knapp confidence intervals with the ad hoc correction "
		       "(never narrower than the Wald-type interval)";
	return ci;
}

static void cite_tau2(struct methods *m, const char *t)
{
	static const char *const refs[][2] = {
		{ "DL", "DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials 1986;7:177-188." },
		{ "REML", "Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the random-effects model. J Educ Behav Stat 2005;30:261-293." },
		{ "ML", "Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the random-effects model. J Educ Behav Stat 2005;30:261-293." },
		{ "PM", "Paule RC, Mandel J. Consensus values and weighting factors. J Res Natl Bur Stand 1982;87:377-385." },
		{ "HS", "Hunter JE, Schmidt FL. Methods of meta-analysis. 2nd ed. Sage; 2004." },
		{ "HE", "Hedges LV, Olkin I. Statistical methods for meta-analysis. Academic Press; 1985." },
		{ "SJ", "Sidik K, Jonkman JN. Simple heterogeneity variance estimation for meta-analysis. J R Stat Soc C 2005;54:367-384." },
		{ "EB", "Morris CN. Parametric empirical Bayes inference: theory and applications. J Am Stat Assoc 1983;78:47-55." },
	};

	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		if (t && !strcmp(t, refs[i][0]))
			cite(m, refs[i][1]);
}

/* one analysis as stored: its options as the engine ran them */
static void methods_analysis(struct methods *m, const struct pool_review *a)
{
	struct rep *r = m->r;
	const struct protocol_analysis *pa = protocol_analysis_find(r->p, a->name);
	const char *measure = json_string_value(json_object_get(a->spec, "measure"));
	const char *method = json_string_value(json_object_get(a->spec, "method"));
	const char *model = json_string_value(json_object_get(a->spec, "model"));
	const char *tau2 = json_string_value(json_object_get(a->spec, "tau2"));
	const char *ci = json_string_value(json_object_get(a->spec, "ci"));
	const char *conv = json_string_value(json_object_get(a->spec, "convention"));
	const char *sub = json_string_value(json_object_get(a->spec, "subgroup"));
	json_t *excl = json_object_get(a->spec, "exclude"), *v;
	json_int_t level = json_integer_value(json_object_get(a->spec, "level"));
	int random = model && strcmp(model, "fixed");
	size_t i;

	out(r, "<li><strong>");
	esc(r, pa ? protocol_analysis_label(pa) : a->name);
	out(r, "</strong> (<code>");
	esc(r, a->name);
	out(r, "</code>): ");
	esc(r, measure ? measure : "");
	if (measure && !strcmp(measure, "SMD")) {
		out(r, " (Hedges' g)");
		cite(m, "Hedges LV. Distribution theory for Glass's estimator of effect size and related estimators. J Educ Stat 1981;6:107-128.");
	}
	out(r, ", %s model", !model ? "random-effects" : !strcmp(model, "fixed") ? "common-effect (fixed)" :
	    !strcmp(model, "auto") ? "model chosen by lsr pool (auto)" : "random-effects");
	out(r, ", ");
	if (method && !strcmp(method, "MH")) {
		out(r, "Mantel-Haenszel weights");
		cite(m, "Mantel N, Haenszel W. Statistical aspects of the analysis of data from retrospective studies of disease. J Natl Cancer Inst 1959;22:719-748.");
	} else if (method && !strcmp(method, "Peto")) {
		out(r, "Peto's method");
		cite(m, "Yusuf S, Peto R, Lewis J, Collins R, Sleight P. Beta blockade during and after myocardial infarction: an overview of the randomized trials. Prog Cardiovasc Dis 1985;27:335-371.");
	} else {
		out(r, "inverse-variance weights");
	}
	if (random) {
		out(r, ", tau&#178; by ");
		esc(r, tau2 ? tau2 : "");
		cite_tau2(m, tau2);
	}
	out(r, ", ");
	esc(r, ci_words(ci));
	if (ci && !strncmp(ci, "hk", 2)) {
		cite(m, "Hartung J, Knapp G. A refined method for the meta-analysis of controlled clinical trials with binary outcome. Stat Med 2001;20:3875-3889.");
		if (!strcmp(ci, "hk-adhoc"))
			cite(m, "Knapp G, Hartung J. Improved tests for a random effects meta-regression with a single covariate. Stat Med 2003;22:2693-2710.");
	}
	out(r, " at the %lld%% level, numbers as ", (long long)level);
	esc(r, conv && !strcmp(conv, "metafor") ? "metafor" : "RevMan 5");
	out(r, " computes them (lsr pool <code>--convention ");
	esc(r, conv ? conv : "");
	out(r, "</code>)");
	if (sub) {
		const struct protocol_characteristic *c = protocol_characteristic_find(r->p, sub);

		out(r, "; subgroups by ");
		esc(r, c ? protocol_characteristic_label(c) : !strcmp(sub, "timepoint") ? "time point" : sub);
	}
	if (json_array_size(excl)) {
		out(r, "; sensitivity analysis without ");
		json_array_foreach(excl, i, v) {
			out(r, "%s", i ? ", " : "");
			esc(r, json_string_value(v));
		}
	}
	out(r, ".</li>\n");
}

/* The methods' sentence for each stop of priority screening (rank.h). */
static int stop_note(const struct screen_stop_row *s, void *payload)
{
	struct methods *m = payload;
	struct rep *r = m->r;

	out(r, "<p>Title-abstract screening in priority order (logistic regression, liblinear) "
	       "was stopped on %.10s by the statistical stopping rule of Callaghan &amp; "
	       "M&uuml;ller-Hansen (2020)%s: recall &ge; %g%% with %g%% confidence, p = %.3g "
	       "(%lld of %lld citations screened, %lld includes found); the %lld citations not "
	       "screened were excluded by automation. The rule's hypergeometric test as published",
	       s->at, strcmp(s->method, "sample") ? "" : " on a random sample of the rest",
	       s->recall * 100, s->confidence * 100, s->p, (long long)s->screened,
	       (long long)s->population, (long long)s->found, (long long)s->excluded);
	cite(m, "Callaghan MW, M\xc3\xbcller-Hansen F. Statistical stopping criteria for automated "
		"screening in systematic reviews. Syst Rev 2020;9:273.");
	out(r, ".</p>\n");
	return r->rc;
}

/*
 * Prioritisation, as recorded: how many of the citations people screened
 * at title-abstract were handed out in priority order (rank.h), and the
 * protocol's setting.
 */
static void methods_priority(struct methods *m)
{
	struct rep *r = m->r;
	json_t *st = NULL;
	json_int_t screened, ranked;
	int proto = r->p->screening_order && !strcmp(r->p->screening_order, "priority");

	if ((r->rc = screen_stopping_json(r->db, 0.95, 0.95, &st)) < 0)
		return;
	screened = json_integer_value(json_object_get(st, "screened"));
	ranked = json_integer_value(json_object_get(st, "screened_in_priority_order"));
	if (ranked || proto) {
		out(r, " Title-abstract screening was prioritised: ");
		if (proto)
			out(r, "the protocol sets <code>screening.order: priority</code> (a new ranking after "
			       "every %d decisions in <code>lsr serve</code>); ", r->p->priority.retrain_every);
		out(r, "of the %lld citations screened by people, %lld were handed out in the order of a "
		       "logistic-regression model (liblinear) trained on the decisions made before them, "
		       "the likeliest includes first.", (long long)screened, (long long)ranked);
		cite(m, "Fan RE, Chang KW, Hsieh CJ, Wang XR, Lin CJ. LIBLINEAR: a library for large "
			"linear classification. J Mach Learn Res 2008;9:1871-1874.");
	}
	json_decref(st);
}

static void methods_screening(struct methods *m)
{
	struct rep *r = m->r;
	json_t *st = NULL, *ag, *o;
	size_t i;
	int any = 0;

	out(r, "<h3>Selection of studies</h3>\n<p>Each record was screened by %d reviewer%s, first on "
	       "title and abstract and then on the full text, with disagreements resolved by an arbiter.",
	    r->p->reviewers, r->p->reviewers == 1 ? "" : "s independently");
	if (r->p->nrules)
		out(r, " %zu screening rule%s of the protocol suggested exclusions (regular expressions, "
		       "publication types, languages); a reviewer confirmed each.", r->p->nrules,
		    r->p->nrules == 1 ? "" : "s");
	if ((r->rc = screen_status_json(r->db, &st)) < 0)
		return;
	ag = json_object_get(st, "agreement");
	json_array_foreach(ag, i, o) {
		const char *stage = json_string_value(json_object_get(o, "stage"));
		json_t *k = json_object_get(o, "kappa");

		out(r, " Agreement at ");
		esc(r, stage ? stage : "");
		out(r, ": %.1f%% of %lld citations", json_number_value(json_object_get(o, "percent_agreement")),
		    (long long)json_number_value(json_object_get(o, "n")));
		if (json_is_number(k))
			out(r, ", Cohen's kappa %.2f (95%% CI %.2f to %.2f)", json_number_value(k),
			    json_number_value(json_object_get(o, "kappa_ci_lb")),
			    json_number_value(json_object_get(o, "kappa_ci_ub")));
		else
			out(r, ", Cohen's kappa not defined (one category only)");
		cite(m, "Cohen J. A coefficient of agreement for nominal scales. Educ Psychol Meas 1960;20:37-46.");
		out(r, ".");
		any = 1;
	}
	if (!any)
		out(r, " No citation has been screened by two reviewers yet: agreement not computed.");
	json_decref(st);
	if (r->rc == 0)
		methods_priority(m);
	out(r, "</p>\n");
	if (r->rc == 0 && (r->rc = screen_stops_each(r->db, stop_note, m)) > 0)
		r->rc = 0;
}

static void methods(struct rep *r)
{
	struct methods m = { r, STRV_INIT, 0 };
	struct prisma x;
	struct strv names = STRV_INIT;
	int rc;

	if (r->rc)
		return;
	out(r, "<h2>Methods</h2>\n<p class=\"note\">Written by lsr from the review's record: the runs, "
	       "deduplication, screening and analyses as they happened, and the protocol's settings.</p>\n"
	       "<h3>Sources and searches</h3>\n");
	if ((rc = db_sources_runs_foreach(r->db, methods_run, &m)) < 0) {
		r->rc = rc;
		goto done;
	}
	out(r, "%s", m.nruns ? "</ul>\n" : "<p>No source has been searched yet.</p>\n");

	if ((rc = prisma_compute(&x, r->db, r->p, r->update)) < 0) {
		r->rc = rc;
		goto done;
	}
	out(r, "<h3>Deduplication</h3>\n<p>Records were grouped into citations by lsr's matching "
	       "rules (%s: shared identifiers such as the DOI or PubMed id, then titles, authors, year "
	       "and journal compared after normalisation); pairs the rules could not decide were "
	       "decided by a reviewer. Of %lld records identified", SCREEN_DEDUP_RULES,
	    (long long)x.identified_total + (long long)x.identified_other_total);
	if (r->update >= 1)
		out(r, " in update %d", r->update);
	out(r, ", %lld %s removed as %s and %lld citation%s screened.</p>\n",
	    (long long)x.duplicates_removed, x.duplicates_removed == 1 ? "was" : "were",
	    x.duplicates_removed == 1 ? "a duplicate" : "duplicates", (long long)x.screened,
	    x.screened == 1 ? " was" : "s were");
	prisma_release(&x);

	methods_screening(&m);
	if (r->rc)
		goto done;

	out(r, "<h3>Data extraction and risk of bias</h3>\n<p>Data were extracted by %d extractor%s%s "
	       "into the protocol's sheets (%zu characteristic%s, %zu outcome%s) and compared; "
	       "disagreements were resolved before analysis. Risk of bias was assessed with ",
	    r->p->extractors, r->p->extractors == 1 ? "" : "s independently",
	    r->p->allow_single_extractor ? " (a single extractor allowed by the protocol)" : "",
	    r->p->ncharacteristics, r->p->ncharacteristics == 1 ? "" : "s", r->p->noutcomes,
	    r->p->noutcomes == 1 ? "" : "s");
	if (r->p->risk_of_bias && !strcmp(r->p->risk_of_bias, "rob2")) {
		out(r, "the Cochrane RoB 2 tool (effect of %s)",
		    r->p->rob2_effect && !strcmp(r->p->rob2_effect, "adherence") ?
		    "adhering to the intervention" : "assignment to the intervention");
		if (r->p->rob2_per_timepoint)
			out(r, ", judged for each result (outcome and time point)");
		cite(&m, "Sterne JAC, Savovi\xc4\x87 J, Page MJ, et al. RoB 2: a revised tool for assessing risk of bias in randomised trials. BMJ 2019;366:l4898.");
	} else {
		out(r, "the Cochrane risk-of-bias tool (RoB 1)");
		/* the domains the protocol has judged per outcome, by name */
		for (size_t i = 0; i < r->p->rob1_per_outcome.n; i++)
			for (size_t d = 0; d < ROB1_NDOMAINS; d++)
				if (!strcmp(r->p->rob1_per_outcome.v[i], extract_rob1_domains[d].code))
					out(r, "%s%s", i == 0 ? "; judged separately for each outcome: " :
					    i + 1 == r->p->rob1_per_outcome.n ? " and " : ", ",
					    extract_rob1_domains[d].name);
		cite(&m, "Higgins JPT, Altman DG, G\xc3\xb8tzsche PC, et al. The Cochrane Collaboration's tool for assessing risk of bias in randomised trials. BMJ 2011;343:d5928.");
	}
	out(r, ".</p>\n");

	out(r, "<h3>Analyses</h3>\n");
	if ((r->rc = pool_review_stored_names(&names, r->db, r->p, r->update)) < 0)
		goto done;
	if (!names.n)
		out(r, "<p>No analysis has been run yet.</p>\n");
	else
		out(r, "<p>Each analysis with lsr pool, with these options as stored with its result:</p>\n<ul>\n");
	for (size_t i = 0; i < names.n && r->rc == 0; i++) {
		struct pool_review a;

		if ((r->rc = pool_review_load(&a, r->db, r->p, names.v[i], r->update)) == 0)
			methods_analysis(&m, &a);
		pool_review_release(&a);
	}
	if (names.n)
		out(r, "</ul>\n");
	if (r->rc == 0 && m.refs.n) {
		out(r, "<h3>References</h3>\n<ol class=\"refs\">\n");
		for (size_t i = 0; i < m.refs.n; i++) {
			out(r, "<li>");
			esc(r, m.refs.v[i]);
			out(r, "</li>\n");
		}
		out(r, "</ol>\n");
	}
done:
	strv_release(&names);
	strv_release(&m.refs);
}

/* ---- published results beside this review's ---------------------------------- */

/* a printed number (a Unicode minus read as '-'); NAN when not one */
static double printed_num(const char *s)
{
	char buf[64], *end;
	size_t j = 0;
	double v;

	if (!s)
		return NAN;
	for (; *s && j + 1 < sizeof(buf); s++) {
		if (!strncmp(s, "\xe2\x88\x92", 3)) {
			buf[j++] = '-';
			s += 2;
		} else {
			buf[j++] = *s;
		}
	}
	buf[j] = '\0';
	v = strtod(buf, &end);
	return end == buf || *end ? NAN : v;
}

static void pub_text(struct rep *r, const char *s)
{
	out(r, "<td class=\"n\">");
	esc(r, s ? s : "");
	out(r, "</td>");
}

/* One row per stored analysis whose protocol entry has published:. */
static void published_row(struct rep *r, const struct pool_review *a, const struct protocol_analysis *pa)
{
	const struct protocol_published *pub = &pa->published;
	static const struct pool_summary none = { .estimate = NAN };
	const struct pool_summary *m = a->res ? &a->res->main : &none;
	const char *pm = pub->measure ? pub->measure : measure_of(a);
	struct check_stats_in in = { pm, pub->estimate, pub->ci_lb, pub->ci_ub, pub->p };
	int same = !strcmp(pm, measure_of(a));
	struct check_stats_out cs;
	int lg = a->res && a->res->log_scale, nflags = 0;
	double pnull = check_stats_measure_ratio(pm) == 1 ? 1 : 0, null = lg ? 1 : 0;
	double pe = printed_num(pub->estimate), pl = printed_num(pub->ci_lb), pu = printed_num(pub->ci_ub);
	double e = lg ? exp(m->estimate) : m->estimate, l = lg ? exp(m->ci_lb) : m->ci_lb;
	double u = lg ? exp(m->ci_ub) : m->ci_ub;
	int have = a->res && !a->res->no_total && isfinite(e);

	out(r, "<tr><td>");
	esc(r, protocol_analysis_label(pa));
	out(r, " <span class=\"note\">(");
	esc(r, measure_of(a));
	out(r, ")</span></td><td>");
	esc(r, pub->source);
	if (!same) {
		out(r, " <span class=\"note\">(as ");
		esc(r, pm);
		out(r, ")</span>");
	}
	out(r, "</td>");
	pub_text(r, pub->k);
	out(r, "<td class=\"n\">");
	esc(r, pub->estimate ? pub->estimate : "");
	if (pub->ci_lb && pub->ci_ub) {
		out(r, " [");
		esc(r, pub->ci_lb);
		out(r, ", ");
		esc(r, pub->ci_ub);
		out(r, "]");
	}
	out(r, "</td>");
	pub_text(r, pub->p);
	pub_text(r, pub->i2);
	if (have) {
		out(r, "<td class=\"n\">%d</td>", m->k);
		effect_cell(r, a->res, m->estimate, m->ci_lb, m->ci_ub);
		p_cell(r, m->p);
		num_cell(r, m->I2, 0);
	} else {
		out(r, "<td class=\"n\" colspan=\"4\">%s</td>",
		    !a->res ? "no data in this review" : "no total (subtotals only)");
	}
	out(r, "<td>");
	if (!same) {
		out(r, "measures differ: intervals not compared");
		nflags++;
	} else if (have && isfinite(pl) && isfinite(pu) && isfinite(l) && isfinite(u) && (pu < l || u < pl)) {
		out(r, "<strong class=\"flag\">intervals do not overlap</strong>");
		nflags++;
	}
	if (have && isfinite(pe) && pe != pnull && e != null && (pe > pnull) != (e > null)) {
		out(r, "%s<strong class=\"flag\">direction differs</strong>", nflags++ ? "; " : "");
	}
	if (pub->estimate && pub->ci_lb && pub->ci_ub && pub->p) {
		if (check_stats_row(&cs, &in) < 0) {
			out(r, "%spublished numbers not checkable: ", nflags++ ? "; " : "");
			esc(r, lsr_error_last());
		} else if (cs.flag != CHECK_STATS_OK) {
			out(r, "%s<strong class=\"flag\">published p inconsistent</strong> (", nflags++ ? "; " : "");
			esc(r, check_stats_flag_text(cs.flag));
			out(r, "; the interval implies p = %.2g)", cs.p_implied);
		}
	}
	if (!nflags)
		out(r, "no flag");
	out(r, "</td></tr>\n");
}

static void published(struct rep *r)
{
	struct strv names = STRV_INIT;
	int n = 0;

	if (r->rc)
		return;
	if ((r->rc = pool_review_stored_names(&names, r->db, r->p, r->update)) < 0)
		return;
	for (size_t i = 0; i < names.n && r->rc == 0; i++) {
		const struct protocol_analysis *pa = protocol_analysis_find(r->p, names.v[i]);
		struct pool_review a;

		if (!pa || !pa->published.source)
			continue;
		if ((r->rc = pool_review_load(&a, r->db, r->p, names.v[i], r->update)) == 0) {
			if (!n++)
				out(r, "<h2>Published results and this review</h2>\n<p class=\"note\">The pooled "
				       "results as published (the protocol's <code>published:</code>, with their "
				       "source) beside this review's, as printed there. A difference is flagged when "
				       "the intervals do not overlap or the estimates point in different directions; "
				       "the published estimate, interval and p are checked against each other as "
				       "<code>lsr check-stats</code> does.</p>\n<table>\n<tr><th rowspan=\"2\">Analysis"
				       "</th><th rowspan=\"2\">Published in</th><th colspan=\"4\">Published</th>"
				       "<th colspan=\"4\">This review</th><th rowspan=\"2\">Flags</th></tr>\n<tr>"
				       "<th>k</th><th>Estimate [CI]</th><th>P</th><th>I&#178; %%</th><th>k</th>"
				       "<th>Estimate [CI]</th><th>P</th><th>I&#178; %%</th></tr>\n");
			published_row(r, &a, pa);
		}
		pool_review_release(&a);
	}
	if (n)
		out(r, "</table>\n");
	strv_release(&names);
}

static const char *measure_of(const struct pool_review *a)
{
	const char *m = json_string_value(json_object_get(a->spec, "measure"));

	return m ? m : "";
}

/* "MD 2.30 [0.64, 3.96], k = 7" (ratios back-transformed); what stands in
 * for the total when there is none or it has no CI */
static void pooled_brief(char *out, size_t n, const struct pool_review *a)
{
	static const struct pool_summary none = { .estimate = NAN };
	const struct pool_summary *m = a->res ? &a->res->main : &none;
	int lg = a->res->log_scale;

	if (a->res->no_total)
		snprintf(out, n, "%s, subtotals only, %d rows", measure_of(a), m->k);
	else if (!isfinite(m->ci_lb) || !isfinite(m->ci_ub))
		snprintf(out, n, "%s %.2f (no CI), k = %d", measure_of(a), lg ? exp(m->estimate) : m->estimate,
			 m->k);
	else
		snprintf(out, n, "%s %.2f [%.2f, %.2f], k = %d", measure_of(a),
			 lg ? exp(m->estimate) : m->estimate, lg ? exp(m->ci_lb) : m->ci_lb,
			 lg ? exp(m->ci_ub) : m->ci_ub, m->k);
}

/*
 * The summary-of-findings table of the protocol's summary_of_findings
 * outcomes (pool/grade.h), laid out as GRADEpro and Cochrane do: outcome,
 * anticipated absolute effects (risk with control, risk with the
 * intervention), relative effect, participants (studies), certainty
 * (symbols and words) and comments, with a footnote for every rating
 * down and for every team rating that differs from lsr's suggestion.
 * Nothing when the protocol lists no outcomes.
 */
static void summary_of_findings(struct rep *r)
{
	struct buf notes = BUF_INIT;
	int nnote = 0, nrc = 0; /* nrc: negative once a note could not be added */

	if (r->rc || !r->p->nsof)
		return;
	out(r, "<h2>Summary of findings</h2>\n<table>\n<tr><th rowspan=\"2\">Outcomes</th>"
	       "<th colspan=\"2\">Anticipated absolute effects<sup>*</sup> (95%% CI)</th>"
	       "<th rowspan=\"2\">Relative effect (95%% CI)</th><th rowspan=\"2\">No. of participants (studies)</th>"
	       "<th rowspan=\"2\">Certainty of the evidence (GRADE)</th><th rowspan=\"2\">Comments</th></tr>\n"
	       "<tr><th>Risk with control</th><th>Risk with intervention</th></tr>\n");
	for (size_t i = 0; i < r->p->nsof && r->rc == 0; i++) {
		struct grade_outcome g;
		int lg;

		if ((r->rc = grade_outcome_compute(&g, r->db, r->p, &r->p->sof[i], r->update)) < 0) {
			grade_outcome_release(&g);
			break;
		}
		out(r, "<tr><td>");
		esc(r, g.label);
		out(r, "</td>");
		if (g.status != GRADE_OK) {
			out(r, "<td colspan=\"6\">not graded: %s</td></tr>\n",
			    g.status == GRADE_NOT_RUN ? "the analysis is not stored for this update"
			    : g.status == GRADE_NO_DATA ? "no study has data"
						       : "the analysis has subtotals only");
			grade_outcome_release(&g);
			continue;
		}
		lg = g.log_scale;
		if (g.dichotomous && isfinite(g.acr))
			out(r, "<td class=\"n\">%.0f per 1,000</td><td class=\"n\">%.0f per 1,000 (%.0f to %.0f)</td>",
			    1000 * g.acr, 1000 * g.cr, 1000 * g.cr_lb, 1000 * g.cr_ub);
		else if (lg)
			out(r, "<td>&#8212;</td><td>&#8212;</td>");
		else
			out(r, "<td>&#8212;</td><td>%s %.2f %s (%.2f %s to %.2f %s)</td>", g.measure,
			    fabs(g.est), g.est < 0 ? "lower" : "higher", fabs(g.ci_lb),
			    g.ci_lb < 0 ? "lower" : "higher", fabs(g.ci_ub), g.ci_ub < 0 ? "lower" : "higher");
		if (lg)
			out(r, "<td class=\"n\">%s %.2f (%.2f to %.2f)</td>", g.measure, g.est, g.ci_lb, g.ci_ub);
		else
			out(r, "<td>&#8212;</td>");
		out(r, "<td class=\"n\">%.0f (%d stud%s)</td><td>%s<br>%s", g.participants, g.studies,
		    g.studies == 1 ? "y" : "ies", grade_certainty_symbols(g.certainty),
		    grade_certainty_word(g.certainty));
		for (int pass = 0; pass < 2 && r->rc == 0; pass++) {
			int n = nnote;

			if (pass)
				out(r, "</td><td>");
			for (int d = 0; d < GRADE_NDOMAINS; d++) {
				const struct grade_rating *x = &g.d[d];
				char mark[16];

				if (!x->rating && !(x->rated && x->rating != x->suggested))
					continue;
				if (n < 26)
					snprintf(mark, sizeof(mark), "%c", 'a' + n);
				else
					snprintf(mark, sizeof(mark), "%d", n + 1);
				n++;
				if (!pass) {
					out(r, "<sup>%s</sup>", mark);
					continue;
				}
				out(r, "%s%s: %s%d<sup>%s</sup>", n - 1 > nnote ? "<br>" : "",
				    grade_domain_title((enum grade_domain)d),
				    x->rating < 0 ? "&#8722;" : x->rating > 0 ? "+" : "", abs(x->rating), mark);
				nrc |= buf_printf(&notes, "<p class=\"note\"><sup>%s</sup> ", mark);
				nrc |= svg_escape(&notes, g.label);
				nrc |= buf_printf(&notes, ", %s: ", grade_domain_title((enum grade_domain)d));
				if (x->rating)
					nrc |= buf_printf(&notes, "rated %s %d level%s",
							  x->rating < 0 ? "down" : "up", abs(x->rating),
							  abs(x->rating) == 1 ? "" : "s");
				else
					nrc |= buf_printf(&notes, "not rated %s",
							  grade_domain_up((enum grade_domain)d) ? "up" : "down");
				if (x->rated) {
					nrc |= buf_adds(&notes, " by the review team: ");
					nrc |= svg_escape(&notes, x->why ? x->why : "as lsr suggests");
					if (grade_domain_suggested((enum grade_domain)d)) {
						nrc |= buf_printf(&notes, " (lsr suggests %d: ", x->suggested);
						nrc |= svg_escape(&notes, x->reason);
						nrc |= buf_adds(&notes, ")");
					}
				} else {
					nrc |= buf_adds(&notes, " as lsr suggests: ");
					nrc |= svg_escape(&notes, x->reason);
				}
				nrc |= buf_adds(&notes, ".</p>\n");
			}
			if (pass)
				nnote = n;
		}
		out(r, "</td></tr>\n");
		grade_outcome_release(&g);
	}
	out(r, "</table>\n");
	if (r->rc == 0 && nrc < 0)
		r->rc = lsr_error_oom(); /* the buffers fail only for want of memory */
	if (r->rc == 0 && notes.len)
		r->rc = buf_add(&r->h, notes.s, notes.len);
	out(r, "<p class=\"note\"><sup>*</sup> The risk with the intervention (and its 95%% CI) comes from "
	       "the assumed risk with control and the relative effect (and its 95%% CI): risk &#215; RR, "
	       "or OR &#215; risk / (1 &#8722; risk + OR &#215; risk). The assumed risk is the median "
	       "control-group risk of the pooled studies unless the protocol gives one. Certainty starts "
	       "high for randomised trials (and non-randomised studies assessed with ROBINS-I), low "
	       "otherwise; here: ");
	{
		struct buf w = BUF_INIT;

		grade_start(r->p->picos.study_design, &w);
		esc(r, w.s);
		buf_release(&w);
	}
	out(r, "; it is rated down for risk of bias, inconsistency, indirectness, imprecision and "
	       "publication bias, and, for non-randomised evidence, up for a large effect, a "
	       "dose-response gradient or plausible confounding that would reduce the effect "
	       "(each rating with its reason in the comments)");
	out(r, ". GRADE certainty: &#8853;&#8853;&#8853;&#8853; high, &#8853;&#8853;&#8853;&#8861; "
	       "moderate, &#8853;&#8853;&#8861;&#8861; low, &#8853;&#8861;&#8861;&#8861; very low.</p>\n");
	buf_release(&notes);
}

/* the new studies of the shown update, comma-separated */
struct new_studies {
	struct rep *r;
	int n;
};

static int new_study(const struct screen_study_first *s, void *payload)
{
	struct new_studies *l = payload;

	if (s->update_no != l->r->update)
		return 0;
	out(l->r, "%s", l->n++ ? ", " : "");
	esc(l->r, s->label);
	return l->r->rc;
}

static void changes(struct rep *r)
{
	struct strv now = STRV_INIT, before = STRV_INIT;
	struct new_studies l = { r, 0 };
	int rc;

	if (r->rc || r->update < 1)
		return;
	out(r, "<h2>What changed since update %d</h2>\n<p>New studies: ", r->update - 1);
	if (r->rc == 0 && (rc = screen_study_first_updates(r->db, new_study, &l)) < 0)
		r->rc = rc;
	out(r, "%s.</p>\n", l.n ? "" : "none");
	if (r->rc == 0)
		r->rc = pool_review_stored_names(&now, r->db, r->p, r->update);
	if (r->rc == 0)
		r->rc = pool_review_stored_names(&before, r->db, r->p, r->update - 1);
	out(r, "<table>\n<tr><th>Analysis</th><th>Update %d</th><th>Update %d</th><th>Change</th></tr>\n",
	    r->update - 1, r->update);
	for (size_t i = 0; i < now.n && r->rc == 0; i++) {
		struct pool_review a, b;
		int have_b = strv_contains(&before, now.v[i]);
		char cur[160] = "no data", old[160] = "not run";

		memset(&b, 0, sizeof(b));
		if ((r->rc = pool_review_load(&a, r->db, r->p, now.v[i], r->update)) == 0 && have_b)
			r->rc = pool_review_load(&b, r->db, r->p, now.v[i], r->update - 1);
		if (r->rc == 0) {
			if (a.res)
				pooled_brief(cur, sizeof(cur), &a);
			if (have_b && b.res)
				pooled_brief(old, sizeof(old), &b);
			out(r, "<tr><td>");
			esc(r, analysis_label(r, a.name));
			out(r, "</td><td>");
			esc(r, old);
			out(r, "</td><td>");
			esc(r, cur);
			out(r, "</td><td>%s</td></tr>\n",
			    !have_b ? "new" : strcmp(a.hash, b.hash) ? "changed" : "unchanged");
		}
		pool_review_release(&a);
		pool_review_release(&b);
	}
	out(r, "</table>\n");
	strv_release(&now);
	strv_release(&before);
}

int report_write(struct lsr_db *db, const struct protocol *p, int update, const char *dir, int png)
{
	struct rep r;
	struct update_info u;
	char date[32] = "";
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = update_latest(db, &u)) < 0)
		return rc;
	if (update > u.no)
		return lsr_error_set(LSR_EUSAGE, "no update %d (the latest is %d)", update, u.no);
	r.db = db;
	r.p = p;
	r.dir = dir;
	r.update = update < 0 ? u.no : update;
	r.nupdates = u.no;
	r.h = (struct buf)BUF_INIT;
	r.png = png;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return lsr_error_set(LSR_ERROR, "cannot create '%s': %s", dir, strerror(errno));
	/* the date of the shown update: its window's end, else its last run */
	if ((rc = update_date(date, sizeof(date), db, r.update)) < 0)
		return rc;
	r.review_root = review_root(db);
	if ((rc = extract_illustrative_items(db, add_illustrative, &r)) < 0)
		goto out;
	header(&r, date);
	flags(&r);
	eligibility(&r);
	reported_stats(&r);
	summary_of_findings(&r);
	changes(&r);
	methods(&r);
	searches(&r);
	prisma_section(&r);
	characteristics(&r);
	excluded_fulltext(&r);
	risk_of_bias(&r);
	analyses(&r);
	published(&r);
	if (r.rc == 0)
		adverse_events(&r);
	out(&r, "<p class=\"note\">Written by lsr from the review database and protocol.yaml.</p>\n"
		"</body>\n</html>\n");
	rc = r.rc;
	if (rc == 0)
		rc = write_file(dir, "index.html", r.h.s, r.h.len);
out:
	buf_release(&r.h);
	strv_release(&r.illustrative);
	free(r.review_root);
	return rc;
}
