/*
 * grade.c - GRADE ratings and absolute effects of the summary-of-findings
 * rows (see grade.h for the rules and formulas, docs/cmd/lsr-grade.md for
 * the reasons behind them).
 *
 * The rules are small pure functions (tested in tests/unit/pool/test_grade.c);
 * grade_outcome_compute() feeds them from the stored analysis
 * (pool_review_load), the risk-of-bias judgement of each pooled result
 * (extract_rob_result_levels: RoB 2 per result where so assessed, else
 * the study's) and the team's ratings (grade_ratings).
 */
#include "grade.h"
#include "review.h"
#include "pool_int.h"
#include "../db/db.h"
#include "../db/protocol.h"
#include "../db/update.h"
#include "../extract/extract.h"
#include "../util/clock.h"
#include "../util/err.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const domain_names[GRADE_NDOMAINS] = {
	"risk-of-bias", "inconsistency", "indirectness", "imprecision", "publication-bias",
	"large-effect", "dose-response", "plausible-confounding",
};
static const char *const domain_titles[GRADE_NDOMAINS] = {
	"Risk of bias", "Inconsistency", "Indirectness", "Imprecision", "Publication bias",
	"Large effect", "Dose-response", "Plausible confounding",
};

const char *grade_domain_name(enum grade_domain d)
{
	return d < GRADE_NDOMAINS ? domain_names[d] : "";
}

const char *grade_domain_title(enum grade_domain d)
{
	return d < GRADE_NDOMAINS ? domain_titles[d] : "";
}

int grade_domain_parse(enum grade_domain *out, const char *s)
{
	for (int d = 0; d < GRADE_NDOMAINS; d++)
		if (!strcmp(s, domain_names[d])) {
			*out = (enum grade_domain)d;
			return 0;
		}
	return lsr_error_set(LSR_EUSAGE,
			     "unknown domain '%s' (expected risk-of-bias, inconsistency, indirectness, imprecision, publication-bias, large-effect, dose-response or plausible-confounding)",
			     s);
}

int grade_domain_suggested(enum grade_domain d)
{
	return d == GRADE_RISK_OF_BIAS || d == GRADE_INCONSISTENCY || d == GRADE_IMPRECISION ||
	       d == GRADE_LARGE_EFFECT;
}

int grade_domain_up(enum grade_domain d)
{
	return d >= GRADE_LARGE_EFFECT && d < GRADE_NDOMAINS;
}

void grade_rating_range(enum grade_domain d, int *lo, int *hi)
{
	*lo = grade_domain_up(d) ? 0 : -2;
	*hi = d == GRADE_LARGE_EFFECT ? 2 : grade_domain_up(d) ? 1 : 0;
}

const char *grade_rating_choices(enum grade_domain d)
{
	return d == GRADE_LARGE_EFFECT ? "0, 1 or 2 (levels rated up)"
	       : grade_domain_up(d)    ? "0 or 1 (levels rated up)"
				       : "0, -1 or -2 (levels rated down)";
}

static int clamp_certainty(int c)
{
	return c < 1 ? 1 : c > 4 ? 4 : c;
}

const char *grade_certainty_word(int c)
{
	static const char *const w[] = { "Very low", "Low", "Moderate", "High" };

	return w[clamp_certainty(c) - 1];
}

const char *grade_certainty_symbols(int c)
{
	static const char *const s[] = {
		"\u2295\u229d\u229d\u229d", "\u2295\u2295\u229d\u229d",
		"\u2295\u2295\u2295\u229d", "\u2295\u2295\u2295\u2295",
	};

	return s[clamp_certainty(c) - 1];
}

/* ---- the rules ------------------------------------------------------------ */

/* whether s contains word, ignoring case (ASCII) */
static int has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++) {
		size_t i = 0;

		while (i < n && s[i] && tolower((unsigned char)s[i]) == word[i])
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

enum design { DESIGN_UNSTATED, DESIGN_ROBINS, DESIGN_NRS, DESIGN_RCT, DESIGN_OTHER };

/* what the protocol's study design text says (see grade_start) */
static enum design design_of(const char *study_design)
{
	static const char *const nrs[] = {
		"non-random", "nonrandom", "not random", "quasi-random", "observational", "cohort",
		"case-control", "before-after", "case series",
	};

	if (!study_design)
		return DESIGN_UNSTATED;
	if (has_word(study_design, "robins"))
		return DESIGN_ROBINS;
	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		if (has_word(study_design, nrs[i]))
			return DESIGN_NRS;
	if (has_word(study_design, "random") || has_word(study_design, "rct"))
		return DESIGN_RCT;
	return DESIGN_OTHER;
}

int grade_start(const char *study_design, struct buf *why)
{
	switch (design_of(study_design)) {
	case DESIGN_UNSTATED:
		buf_adds(why, "the protocol does not state the study design (picos.study_design)");
		return 2;
	case DESIGN_ROBINS:
		buf_adds(why, "non-randomised studies assessed with ROBINS-I");
		return 4;
	case DESIGN_NRS:
		buf_adds(why, "non-randomised studies");
		return 2;
	case DESIGN_RCT:
		buf_adds(why, "randomised trials");
		return 4;
	case DESIGN_OTHER:
		break;
	}
	buf_adds(why, "studies other than randomised trials");
	return 2;
}

int grade_randomised(const char *study_design)
{
	return design_of(study_design) == DESIGN_RCT;
}

int grade_rate_risk_of_bias(double high_pct, size_t unassessed, struct buf *why)
{
	int r = isfinite(high_pct) && high_pct > 50 ? -1 : 0;

	if (isfinite(high_pct))
		buf_printf(why, "%.1f%% of the weight comes from studies at high risk of bias (%s 50%%)",
			   high_pct, r ? "more than" : "not more than");
	if (unassessed)
		buf_printf(why, "%s%zu pooled stud%s not assessed for risk of bias",
			   isfinite(high_pct) ? "; " : "", unassessed, unassessed == 1 ? "y" : "ies");
	return r;
}

static int crosses(double lb, double ub, double x)
{
	return lb < x && ub > x;
}

int grade_rate_inconsistency(double i2, double ci_lb, double ci_ub, double pi_lb, double pi_ub,
			     double mid, struct buf *why)
{
	/* the decision thresholds: no effect, and the MID either way */
	const double t[3] = { 0, mid, -mid };
	int r = 0;

	if (isfinite(i2)) {
		r = i2 > 50 ? -1 : 0;
		buf_printf(why, "I\u00b2 = %.0f%%%s", i2, r ? ", substantial heterogeneity (above 50%)" : "");
	}
	if (!isfinite(pi_lb) || !isfinite(pi_ub) || !isfinite(ci_lb) || !isfinite(ci_ub))
		return r;
	for (int j = 0; j < (isfinite(mid) && mid > 0 ? 3 : 1); j++) {
		if (!crosses(pi_lb, pi_ub, t[j]) || crosses(ci_lb, ci_ub, t[j]))
			continue;
		buf_printf(why, "%sthe prediction interval crosses %s while the confidence interval does not",
			   why->len ? "; " : "",
			   j ? "the minimal important difference (the decision threshold)" : "the line of no effect");
		r = -1;
		break;
	}
	return r;
}

int grade_rate_imprecision(double ci_lb, double ci_ub, double mid, double events, struct buf *why)
{
	int r = 0;

	if (!isfinite(ci_lb) || !isfinite(ci_ub)) {
		buf_adds(why, "no confidence interval");
		return -1;
	}
	if (isfinite(mid) && ci_lb < -mid && ci_ub > mid) {
		buf_adds(why, "the confidence interval includes both an appreciable benefit and an appreciable harm (beyond the MID either way)");
		r = -2;
	} else if (crosses(ci_lb, ci_ub, 0)) {
		buf_adds(why, "the confidence interval crosses the line of no effect");
		r = -1;
	} else if (isfinite(mid) && (crosses(ci_lb, ci_ub, mid) || crosses(ci_lb, ci_ub, -mid))) {
		buf_adds(why, "the confidence interval crosses the minimal important difference");
		r = -1;
	} else {
		buf_adds(why, isfinite(mid) ? "the confidence interval excludes the line of no effect and the MID"
					   : "the confidence interval excludes the line of no effect (no MID in the protocol)");
	}
	if (isfinite(events) && events < 300) {
		buf_printf(why, "; %.0f events, fewer than the 300 of the optimal information size rule of thumb",
			   events);
		r = r > -2 ? r - 1 : r;
	}
	return r;
}

int grade_rate_large_effect(int ratio, double est, int randomised, int rob_rating,
			    size_t unassessed, struct buf *why)
{
	double big;

	if (randomised) {
		buf_adds(why, "randomised trials: GRADE rates up non-randomised evidence only");
		return 0;
	}
	if (!ratio || !isfinite(est) || est <= 0) {
		buf_adds(why, "not a ratio (RR or OR): no large-effect rule");
		return 0;
	}
	if (rob_rating < 0) {
		buf_adds(why, "rated down for risk of bias: GRADE rates up only without serious risk of bias");
		return 0;
	}
	if (unassessed) {
		buf_printf(why, "%zu pooled stud%s not assessed for risk of bias: no rating up until they are",
			   unassessed, unassessed == 1 ? "y" : "ies");
		return 0;
	}
	big = est >= 1 ? est : 1 / est;
	if (big > 5) {
		buf_printf(why, "very large effect: %.2f is beyond %s, without serious risk of bias",
			   est, est > 1 ? "5" : "0.2");
		return 2;
	}
	if (big > 2) {
		buf_printf(why, "large effect: %.2f is beyond %s, without serious risk of bias", est,
			   est > 1 ? "2" : "0.5");
		return 1;
	}
	buf_printf(why, "%.2f is within 0.5 to 2: not a large effect", est);
	return 0;
}

double grade_corresponding_risk(enum pool_measure m, double acr, double effect)
{
	double cr;

	if (!isfinite(acr) || !isfinite(effect))
		return NAN;
	switch (m) {
	case POOL_RR:
		cr = acr * effect;
		return cr > 1 ? 1 : cr;
	case POOL_OR:
		return effect * acr / (1 - acr + effect * acr);
	case POOL_RD:
		cr = acr + effect;
		return cr < 0 ? 0 : cr > 1 ? 1 : cr;
	default:
		return NAN;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double grade_median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- one outcome ------------------------------------------------------------ */

const struct protocol_sof *grade_sof_find(const struct protocol *p, const char *outcome)
{
	for (size_t i = 0; i < p->nsof; i++)
		if (!strcmp(p->sof[i].outcome, outcome))
			return &p->sof[i];
	return NULL;
}

void grade_outcome_release(struct grade_outcome *g)
{
	free(g->label);
	free(g->start_why);
	for (int d = 0; d < GRADE_NDOMAINS; d++) {
		free(g->d[d].reason);
		free(g->d[d].why);
		free(g->d[d].by);
		free(g->d[d].at);
	}
	memset(g, 0, sizeof(*g));
}

/* the study's overall judgement: RoB 2's overall column, RoB 1's worst domain */
/* high_pct and unassessed from the judgement of each pooled result (RoB 2
 * per result where assessed so, else the study's: extract/), with the
 * protocol already loaded (extract_rob_result_judgement reads it again on
 * every call) */
static int rob_share(struct grade_outcome *g, struct lsr_db *db, const struct protocol *p,
		     const struct pool_review *r)
{
	enum rob_level levels[ROB1_NDOMAINS + 1];
	size_t nd = extract_rob_ndomains(p);
	double high = 0, total = 0;

	for (size_t i = 0; i < r->k; i++) {
		int rc;

		if (r->res->est[i].status != POOL_EST_INCLUDED)
			continue;
		rc = extract_rob_result_levels(levels, db, p, r->studies[i].label, r->outcome, r->timepoint);
		if (rc == LSR_ENOTFOUND)
			levels[nd] = ROB_NONE;
		else if (rc < 0)
			return rc;
		total += r->res->est[i].weight_pct;
		if (levels[nd] == ROB_HIGH)
			high += r->res->est[i].weight_pct;
		else if (levels[nd] == ROB_NONE)
			g->unassessed++;
	}
	g->high_pct = total > 0 ? 100 * high / total : NAN;
	return 0;
}

static double back(const struct grade_outcome *g, double x)
{
	return g->log_scale ? exp(x) : x;
}

/* counts, estimate, control risks and suggestions from a loaded analysis */
static int grade_review(struct grade_outcome *g, struct lsr_db *db, const struct protocol *p,
			const struct pool_review *r)
{
	const struct pool_summary *s = &r->res->main;
	struct pool_totals tot;
	struct buf why[GRADE_NDOMAINS];
	double *risks = NULL, mid = g->sof->mid;
	size_t nr = 0;
	int rc;

	g->log_scale = r->res->log_scale;
	g->dichotomous = r->in.type == POOL_DATA_BIN;
	/* participants and events as the forest plot, the table and the
	 * review's text count them (pool_totals: RevMan's rule, a study not
	 * estimable counts, one left out does not); the control risks of the
	 * same studies */
	pool_totals(&tot, r->res, NULL);
	g->participants = tot.n1 + tot.n2;
	g->events = g->dichotomous ? tot.events1 + tot.events2 : NAN;
	if (g->dichotomous && !(risks = calloc(r->k + 1, sizeof(*risks))))
		return lsr_error_oom();
	for (size_t i = 0; g->dichotomous && i < r->k; i++) {
		const struct pool_study *st = &r->studies[i];

		if (r->res->est[i].status != POOL_EST_EXCLUDED && st->n2 > 0 && isfinite(st->events2))
			risks[nr++] = st->events2 / st->n2;
	}
	g->k = s->k;
	g->studies = tot.studies;
	g->est = back(g, s->estimate);
	g->ci_lb = back(g, s->ci_lb);
	g->ci_ub = back(g, s->ci_ub);
	g->i2 = s->I2;
	g->pi_lb = back(g, s->pi_lb);
	g->pi_ub = back(g, s->pi_ub);
	if (g->dichotomous) {
		g->acr_from_protocol = isfinite(g->sof->assumed_risk);
		g->acr = g->acr_from_protocol ? g->sof->assumed_risk / 1000 : grade_median(risks, nr);
		g->cr = grade_corresponding_risk(g->m, g->acr, g->est);
		g->cr_lb = grade_corresponding_risk(g->m, g->acr, g->ci_lb);
		g->cr_ub = grade_corresponding_risk(g->m, g->acr, g->ci_ub);
	}
	free(risks);
	if ((rc = rob_share(g, db, p, r)) < 0)
		return rc;
	for (int d = 0; d < GRADE_NDOMAINS; d++)
		why[d] = (struct buf)BUF_INIT;
	if (isfinite(mid) && g->log_scale)
		mid = fabs(log(mid));
	g->d[GRADE_RISK_OF_BIAS].suggested = grade_rate_risk_of_bias(g->high_pct, g->unassessed,
								      &why[GRADE_RISK_OF_BIAS]);
	g->d[GRADE_INCONSISTENCY].suggested = grade_rate_inconsistency(s->I2, s->ci_lb, s->ci_ub,
									s->pi_lb, s->pi_ub, mid,
									&why[GRADE_INCONSISTENCY]);
	g->d[GRADE_IMPRECISION].suggested = grade_rate_imprecision(s->ci_lb, s->ci_ub, mid, g->events,
								    &why[GRADE_IMPRECISION]);
	for (int d = 0; d < GRADE_NDOMAINS; d++) {
		if (d == GRADE_LARGE_EFFECT) {
			buf_release(&why[d]); /* large_effect(), once the team's ratings are in */
			continue;
		}
		g->d[d].reason = buf_detach(&why[d]);
		if (!g->d[d].reason)
			rc = lsr_error_oom();
	}
	return rc;
}

/* The large-effect suggestion of a graded outcome, with the risk-of-bias
 * rating in force (the team's, else lsr's): GRADE rates up only without
 * serious risk of bias.  Studies not assessed block it unless the team
 * rated risk of bias itself. */
static int large_effect(struct grade_outcome *g, const struct protocol *p)
{
	const struct grade_rating *rob = &g->d[GRADE_RISK_OF_BIAS];
	struct grade_rating *x = &g->d[GRADE_LARGE_EFFECT];
	struct buf why = BUF_INIT;

	x->suggested = grade_rate_large_effect(g->log_scale, g->est,
					       grade_randomised(p->picos.study_design),
					       rob->rated ? rob->rating : rob->suggested,
					       rob->rated ? 0 : g->unassessed, &why);
	free(x->reason);
	if (!(x->reason = buf_detach(&why)))
		return lsr_error_oom();
	return 0;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? xstrdup(s) : NULL;
}

/* the team's ratings in force (the latest of each domain) */
static int load_ratings(struct grade_outcome *g, struct lsr_db *db)
{
	static const char sql[] =
		"SELECT domain, rating, why, actor, at FROM grade_ratings g WHERE outcome = ?1"
		" AND id = (SELECT max(id) FROM grade_ratings h WHERE h.outcome = g.outcome"
		" AND h.domain = g.domain)";
	sqlite3_stmt *st = db_prepare(db, sql);
	int step, rc = 0;

	if (!st)
		return lsr_error_last_code();
	db_bind_text(st, 1, g->sof->outcome);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		enum grade_domain d = 0; /* set by grade_domain_parse; gcc -O2 cannot tell */
		struct grade_rating *x;

		if (grade_domain_parse(&d, (const char *)sqlite3_column_text(st, 0)) < 0)
			continue; /* the table's CHECK keeps out other names */
		x = &g->d[d];
		x->rated = 1;
		x->rating = sqlite3_column_int(st, 1);
		x->why = dup_col(st, 2);
		x->by = dup_col(st, 3);
		x->at = dup_col(st, 4);
		if (!x->by || !x->at) {
			rc = lsr_error_oom();
			break;
		}
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(db, sql);
	sqlite3_reset(st);
	return rc;
}

static char *default_label(const struct protocol *p, const struct protocol_sof *sof)
{
	struct buf b = BUF_INIT;

	if (sof->label)
		return xstrdup(sof->label);
	buf_adds(&b, sof->outcome);
	for (size_t i = 0; i < p->nanalyses; i++)
		if (!strcmp(p->analyses[i].name, sof->analysis) && p->analyses[i].timepoint)
			buf_printf(&b, " (%s)", p->analyses[i].timepoint);
	return buf_detach(&b);
}

int grade_outcome_compute(struct grade_outcome *out, struct lsr_db *db, const struct protocol *p,
			  const struct protocol_sof *sof, int update)
{
	struct pool_review r;
	struct buf sw = BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	out->sof = sof;
	out->est = out->ci_lb = out->ci_ub = out->i2 = out->pi_lb = out->pi_ub = NAN;
	out->participants = out->events = out->high_pct = NAN;
	out->acr = out->cr = out->cr_lb = out->cr_ub = NAN;
	out->measure = "";
	if (!(out->label = default_label(p, sof)))
		return lsr_error_oom();
	out->start = grade_start(p->picos.study_design, &sw);
	if (!(out->start_why = buf_detach(&sw)))
		return lsr_error_oom();
	if (update < 0) {
		struct update_info u;

		if ((rc = update_latest(db, &u)) < 0)
			return rc;
		update = u.no;
	}
	rc = pool_review_load(&r, db, p, sof->analysis, update);
	if (rc == LSR_ENOTFOUND) {
		lsr_error_clear();
		out->status = GRADE_NOT_RUN;
		rc = 0;
	} else if (rc == 0) {
		out->m = r.opts.measure;
		out->measure = pool_measure_name(r.opts.measure);
		if (!r.res)
			out->status = GRADE_NO_DATA;
		else if (r.res->no_total)
			out->status = GRADE_NO_TOTAL;
		else
			rc = grade_review(out, db, p, &r);
	}
	pool_review_release(&r);
	if (rc == 0)
		rc = load_ratings(out, db);
	if (rc == 0 && out->status == GRADE_OK)
		rc = large_effect(out, p);
	for (int d = 0; d < GRADE_NDOMAINS && rc == 0; d++)
		if (!out->d[d].reason && !(out->d[d].reason = xstrdup("")))
			rc = lsr_error_oom();
	if (rc < 0)
		return rc;
	out->certainty = out->start;
	for (int d = 0; d < GRADE_NDOMAINS; d++) {
		struct grade_rating *x = &out->d[d];

		if (!x->rated)
			x->rating = x->suggested;
		out->certainty += x->rating;
	}
	out->certainty = out->status == GRADE_OK ? clamp_certainty(out->certainty) : 0;
	return 0;
}

/* ---- JSON --------------------------------------------------------------------- */

static json_t *num(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const char *status_name(enum grade_status s)
{
	static const char *const n[] = { "graded", "not-run", "no-data", "no-total" };

	return n[s];
}

json_t *grade_outcome_json(const struct grade_outcome *g)
{
	json_t *o = json_object(), *doms = json_object(), *abs = json_null();
	int bad = !o || !doms;

	for (int d = 0; d < GRADE_NDOMAINS && !bad; d++) {
		const struct grade_rating *x = &g->d[d];
		json_t *j = json_object();

		bad |= !j;
		bad |= json_object_set_new(j, "direction",
					   json_string(grade_domain_up((enum grade_domain)d) ? "up" : "down"));
		bad |= json_object_set_new(j, "suggested", grade_domain_suggested((enum grade_domain)d) &&
								   g->status == GRADE_OK
								  ? json_integer(x->suggested) : json_null());
		bad |= json_object_set_new(j, "rating", json_integer(x->rating));
		bad |= json_object_set_new(j, "rated", json_boolean(x->rated));
		bad |= json_object_set_new(j, "reason", json_string(x->reason ? x->reason : ""));
		bad |= json_object_set_new(j, "why", str_or_null(x->why));
		bad |= json_object_set_new(j, "by", str_or_null(x->by));
		bad |= json_object_set_new(j, "at", str_or_null(x->at));
		bad |= json_object_set_new(doms, domain_names[d], j);
	}
	if (g->dichotomous && isfinite(g->acr))
		abs = json_pack("{s:o, s:s, s:o, s:o, s:o}", "assumed_per_1000", num(1000 * g->acr),
				"source", g->acr_from_protocol ? "protocol" : "median control risk",
				"corresponding_per_1000", num(1000 * g->cr), "ci_lb", num(1000 * g->cr_lb),
				"ci_ub", num(1000 * g->cr_ub));
	bad |= !abs;
	if (!bad)
		bad |= json_object_set_new(o, "outcome", json_string(g->sof->outcome)) |
		       json_object_set_new(o, "label", json_string(g->label)) |
		       json_object_set_new(o, "analysis", json_string(g->sof->analysis)) |
		       json_object_set_new(o, "status", json_string(status_name(g->status))) |
		       json_object_set_new(o, "measure", json_string(g->measure)) |
		       json_object_set_new(o, "k", json_integer(g->k)) |
		       json_object_set_new(o, "studies", json_integer(g->studies)) |
		       json_object_set_new(o, "participants", num(g->participants)) |
		       json_object_set_new(o, "events", num(g->events)) |
		       json_object_set_new(o, "estimate", num(g->est)) |
		       json_object_set_new(o, "ci_lb", num(g->ci_lb)) |
		       json_object_set_new(o, "ci_ub", num(g->ci_ub)) |
		       json_object_set_new(o, "i2", num(g->i2)) |
		       json_object_set_new(o, "mid", num(g->sof->mid)) |
		       json_object_set_new(o, "high_risk_weight_pct", num(g->high_pct)) |
		       json_object_set_new(o, "start", json_integer(g->start)) |
		       json_object_set_new(o, "start_reason", json_string(g->start_why)) |
		       json_object_set_new(o, "certainty", g->certainty ? json_integer(g->certainty)
									: json_null()) |
		       json_object_set_new(o, "certainty_word", g->certainty
								? json_string(grade_certainty_word(g->certainty))
								: json_null()) |
		       json_object_set_new(o, "domains", doms) |
		       json_object_set_new(o, "absolute", abs);
	else {
		json_decref(doms);
		json_decref(abs);
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- the team's ratings ------------------------------------------------------- */

int grade_rating_set(int *suggested, struct lsr_db *db, const struct protocol *p,
		     const char *outcome, enum grade_domain domain, int rating, const char *why,
		     int update)
{
	static const char sql[] =
		"INSERT INTO grade_ratings (outcome, domain, rating, suggested, why, actor, at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	const struct protocol_sof *sof = grade_sof_find(p, outcome);
	struct grade_outcome g;
	char now[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	json_t *j;
	int rc, sug, graded, lo, hi;

	if (!sof)
		return lsr_error_set(LSR_ENOTFOUND, "no outcome '%s' in the protocol's summary_of_findings",
				     outcome);
	grade_rating_range(domain, &lo, &hi);
	if (rating < lo || rating > hi)
		return lsr_error_set(LSR_EUSAGE, "a rating of %s is %s, not %d",
				     grade_domain_name(domain), grade_rating_choices(domain), rating);
	if (why && !*why)
		why = NULL;
	rc = grade_outcome_compute(&g, db, p, sof, update);
	sug = g.d[domain].suggested;
	graded = g.status == GRADE_OK;
	grade_outcome_release(&g);
	if (rc < 0)
		return rc;
	if (suggested)
		*suggested = graded && grade_domain_suggested(domain) ? sug : GRADE_NO_SUGGESTION;
	if (!why && !grade_domain_suggested(domain))
		return lsr_error_set(LSR_EUSAGE, "lsr does not rate %s: the team's rating needs --why TEXT",
				     grade_domain_name(domain));
	if (!why && !graded)
		return lsr_error_set(LSR_EUSAGE,
				     "'%s' is not graded yet (see 'lsr grade'): with no suggestion, a rating needs --why TEXT",
				     outcome);
	if (!why && rating != sug)
		return lsr_error_set(LSR_EUSAGE,
				     "lsr suggests %d for %s of '%s': overriding it with %d needs --why TEXT",
				     sug, grade_domain_name(domain), outcome, rating);
	if ((rc = db_txn_begin(db)) < 0)
		return rc;
	if (!(st = db_prepare(db, sql))) {
		rc = lsr_error_last_code();
		goto fail;
	}
	clock_now_iso(now);
	db_bind_text(st, 1, outcome);
	db_bind_text(st, 2, grade_domain_name(domain));
	sqlite3_bind_int(st, 3, rating);
	if (grade_domain_suggested(domain) && graded)
		sqlite3_bind_int(st, 4, sug);
	db_bind_text(st, 5, why);
	db_bind_text(st, 6, db_actor());
	db_bind_text(st, 7, now);
	if ((rc = db_step_done(db, st)) < 0)
		goto fail;
	j = json_pack("{s:s, s:s, s:i, s:o, s:o}", "outcome", outcome, "domain",
		      grade_domain_name(domain), "rating", rating, "suggested",
		      grade_domain_suggested(domain) && graded ? json_integer(sug) : json_null(), "why",
		      str_or_null(why));
	if ((rc = db_audit_json(db, "grade-set", outcome, j)) < 0)
		goto fail;
	return db_txn_commit(db);
fail:
	db_txn_rollback(db);
	return rc;
}
