/*
 * report.c - the review's HTML report (see report.h).
 *
 * Sections: the question and PICOS; findings about included reports
 * (retractions, errata) at the top when there are any; the PRISMA 2020
 * flow; characteristics of the included studies; the reports excluded at
 * full text with their reasons; risk of bias; one section
 * per stored analysis (forest plot and numbers); adverse events; for an
 * update, what changed since the previous one.  Values whose extraction
 * source says ILLUSTRATIVE (the example review's) are marked with a
 * dagger wherever they appear.
 *
 * Everything is read through the stages' public functions (screen.h,
 * extract.h, update.h, review.h): no SQL here.
 */
#include "report.h"
#include "prisma.h"
#include "../db/protocol.h"
#include "../db/runs.h"
#include "../db/update.h"
#include "../extract/extract.h"
#include "../pool/review.h"
#include "../screen/screen.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/outfile.h"
#include "../util/strv.h"
#include "../util/svg.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct rep {
	struct lsr_db *db;
	const struct protocol *p;
	const char *dir;
	int update, nupdates;
	struct buf h;         /* the HTML */
	struct strv illustrative; /* "study\toutcome" (outcome "" for characteristics) */
	int rc;
};

/* ---- small helpers ------------------------------------------------------------ */

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

/* An SVG document inline (without its XML declaration) and as a file. */
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
	".note{font-size:.9em;color:#555}pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:.85em}"
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
		esc(r, r->p->characteristics[i].name);
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

/*
 * The reports excluded at full text, each with its reason (PRISMA 2020
 * item 16b asks for them; Cochrane's "Characteristics of excluded
 * studies"), the reason's label from the protocol when it has one.  From
 * every update: the report shows the review as it stands.
 */
static void excluded_fulltext(struct rep *r)
{
	json_t *reports = NULL, *o;
	size_t i;
	int n = 0;

	if (r->rc)
		return;
	if ((r->rc = screen_reports_json(r->db, &reports)) < 0)
		return;
	out(r, "<h2>Excluded full-text reports</h2>\n");
	json_array_foreach(reports, i, o) {
		const char *status = json_string_value(json_object_get(o, "status"));
		const char *code = json_string_value(json_object_get(o, "reason"));
		const char *title = json_string_value(json_object_get(o, "title"));
		const struct protocol_reason *why = code ? protocol_reason_find(r->p, code) : NULL;
		char num[32];

		if (!status || strcmp(status, "excluded"))
			continue;
		if (!n++)
			out(r, "<table>\n<tr><th>Report</th><th>Year</th><th>Reason for exclusion</th></tr>\n");
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(json_object_get(o, "id")));
		out(r, "<tr><td>");
		esc(r, title ? title : "(no title)");
		out(r, " <span class=\"note\">(citation ");
		esc(r, num);
		out(r, ")</span></td><td>");
		if (json_is_integer(json_object_get(o, "year"))) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(json_object_get(o, "year")));
			esc(r, num);
		}
		out(r, "</td><td>");
		esc(r, why && why->label ? why->label : code && *code ? code : "(no reason given)");
		out(r, "</td></tr>\n");
	}
	if (n)
		out(r, "</table>\n");
	else
		out(r, "<p>No report was excluded at full text.</p>\n");
	json_decref(reports);
}

static void risk_of_bias(struct rep *r)
{
	struct extract_robplot plot;
	struct buf svg = BUF_INIT;
	int64_t judged = 0;

	if (r->rc)
		return;
	memset(&plot, 0, sizeof(plot));
	if ((r->rc = extract_rob_count(&judged, r->db)) < 0)
		return;
	if (!judged) {
		out(r, "<h2>Risk of bias</h2>\n<p>No risk-of-bias judgements recorded yet.</p>\n");
		return;
	}
	if ((r->rc = extract_rob_plot_data(&plot, r->db, r->p, NULL)) < 0)
		return;
	out(r, "<h2>Risk of bias (%s)</h2>\n", plot.rob2 ? "RoB 2" : "RoB 1");
	if (plot.nstudies == 0) {
		out(r, "<p>No risk-of-bias judgements recorded yet.</p>\n");
	} else {
		if ((r->rc = extract_robplot_traffic_light(&svg, &plot)) == 0)
			figure(r, &svg, "rob-traffic-light.svg", "Risk of bias of each study, by domain");
		buf_reset(&svg);
		if (r->rc == 0 && (r->rc = extract_robplot_summary(&svg, &plot)) == 0)
			figure(r, &svg, "rob-summary.svg", "Risk of bias across studies, by domain");
	}
	buf_release(&svg);
	extract_rob_plot_free(&plot);
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
		struct buf t = BUF_INIT, svg = BUF_INIT;
		char file[256];
		size_t nill = 0;

		if ((r->rc = pool_review_load(&a, r->db, r->p, names.v[i], r->update)) < 0) {
			pool_review_release(&a);
			break;
		}
		out(r, "<h3 id=\"analysis-");
		esc(r, a.name);
		out(r, "\">");
		esc(r, a.name);
		out(r, "</h3>\n");
		if (a.res) {
			char name[200];

			outfile_safe_name(name, sizeof(name), a.name);
			snprintf(file, sizeof(file), "forest-%s.svg", name);
			if ((r->rc = pool_review_forest_svg(&svg, &a)) == 0)
				figure(r, &svg, file, "Forest plot");
		}
		if (r->rc == 0 && (r->rc = pool_review_text(&t, &a)) == 0) {
			out(r, "<pre>");
			esc(r, t.s);
			out(r, "</pre>\n");
		}
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
		buf_release(&svg);
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
			esc(r, o->name);
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
			esc(r, o->name);
			out(r, "</td><td colspan=\"4\">no agreed data</td></tr>\n");
		}
		extract_study_data_free(d, n);
	}
	if (any)
		out(r, "</table>\n");
}

static const char *measure_of(const struct pool_review *a)
{
	const char *m = json_string_value(json_object_get(a->spec, "measure"));

	return m ? m : "";
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
			double e = 0;

			if (a.res) {
				e = a.res->log_scale ? exp(a.res->main.estimate) : a.res->main.estimate;
				snprintf(cur, sizeof(cur), "%s %.2f [%.2f, %.2f], k = %d", measure_of(&a), e,
					 a.res->log_scale ? exp(a.res->main.ci_lb) : a.res->main.ci_lb,
					 a.res->log_scale ? exp(a.res->main.ci_ub) : a.res->main.ci_ub,
					 a.res->main.k);
			}
			if (have_b && b.res)
				snprintf(old, sizeof(old), "%s %.2f [%.2f, %.2f], k = %d", measure_of(&b),
					 b.res->log_scale ? exp(b.res->main.estimate) : b.res->main.estimate,
					 b.res->log_scale ? exp(b.res->main.ci_lb) : b.res->main.ci_lb,
					 b.res->log_scale ? exp(b.res->main.ci_ub) : b.res->main.ci_ub,
					 b.res->main.k);
			out(r, "<tr><td>");
			esc(r, a.name);
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

int report_write(struct lsr_db *db, const struct protocol *p, int update, const char *dir)
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
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return lsr_error_set(LSR_ERROR, "cannot create '%s': %s", dir, strerror(errno));
	/* the date of the shown update: its window's end, else its last run */
	if ((rc = update_date(date, sizeof(date), db, r.update)) < 0)
		return rc;
	if ((rc = extract_illustrative_items(db, add_illustrative, &r)) < 0)
		goto out;
	header(&r, date);
	flags(&r);
	changes(&r);
	searches(&r);
	prisma_section(&r);
	characteristics(&r);
	excluded_fulltext(&r);
	risk_of_bias(&r);
	analyses(&r);
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
	return rc;
}
