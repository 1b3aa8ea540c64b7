/*
 * test_engine.c - the pool engine through its API, without the CLI: the SMD
 * correction factors, the option parsers, pool_run's refusals, edge cases of
 * pool_iv_fit (one study, two studies, a given tau2, tau2 at the boundary),
 * and the CSV reader's errors and aliases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "pool/pool.h"
#include "pool/pool_int.h"
#include "util/err.h"

static void test_pool_effect__j_factors(void **state)
{
	(void)state;
	/* J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)): J(2) = 1/sqrt(pi) */
	assert_true(fabs(pool_smd_j_exact(2) - 1.0 / sqrt(M_PI)) < 1e-15);
	for (double m = 3; m < 60; m += 7.5)
		assert_true(fabs(pool_smd_j_exact(m) -
				 tgamma(m / 2) / (sqrt(m / 2) * tgamma((m - 1) / 2))) < 1e-13);
	/* large N: no overflow (R package meta's issues #42, #44), and close to
	 * the approximation 1 - 3/(4m - 1) */
	assert_true(isfinite(pool_smd_j_exact(20000)));
	assert_true(fabs(pool_smd_j_exact(20000) - (1 - 3.0 / (4 * 20000 - 1))) < 1e-8);
	assert_true(fabs(pool_smd_j_revman5(10) - (1 - 3.0 / 31)) < 1e-16);
	assert_true(isnan(pool_smd_j_exact(1)));
}

static void test_pool_effect__parsers(void **state)
{
	enum pool_measure m;
	enum pool_tau2 t;
	enum pool_conv c;
	enum pool_method me;

	(void)state;
	assert_int_equal(pool_measure_parse(&m, "smd"), 0);
	assert_int_equal(m, POOL_SMD);
	assert_int_equal(pool_method_parse(&me, "peto"), 0);
	assert_int_equal(me, POOL_METHOD_PETO);
	assert_int_equal(pool_tau2_parse(&t, "DL(Q from MH)"), 0);
	assert_int_equal(t, POOL_TAU2_DL);
	assert_int_equal(pool_tau2_parse(&t, "REML"), 0);
	assert_int_equal(t, POOL_TAU2_REML);
	assert_int_equal(pool_tau2_parse(&t, "DL (separately per subgroup)"), 0);
	assert_int_equal(t, POOL_TAU2_DL);
	assert_int_equal(pool_tau2_parse(&t, "DLX"), LSR_EUSAGE);
	assert_string_equal(lsr_error_last(), "unknown tau2 estimator 'DLX' (expected REML, DL, PM, ML, HS, HE, SJ or EB)");
	assert_int_equal(pool_conv_parse(&c, "both"), 0);
	assert_int_equal(c, POOL_CONV_REVMAN5);
	assert_int_equal(pool_conv_parse(&c, "metafor"), 0);
	assert_int_equal(c, POOL_CONV_METAFOR);
	assert_int_equal(pool_measure_parse(&m, "HR"), LSR_EUSAGE);
	assert_string_equal(lsr_error_last(), "unknown measure 'HR' (expected MD, SMD, OR, RR, RD or GIV)");
	assert_string_equal(pool_measure_name(POOL_GIV), "GIV");
	assert_int_equal(pool_measure_data_type(POOL_RD), POOL_DATA_BIN);
}

static struct pool_study bin[3] = {
	{ "A", "x", NAN, NAN, 123, NAN, NAN, 139, 4, 11, NAN, NAN, NAN },
	{ "B", "y", NAN, NAN, 306, NAN, NAN, 303, 6, 29, NAN, NAN, NAN },
	{ "C", "y", NAN, NAN, 231, NAN, NAN, 220, 3, 11, NAN, NAN, NAN },
};

static void expect_run_error(const struct pool_input *in, const struct pool_opts *o, int code,
			     const char *msg)
{
	struct pool_result *r = (struct pool_result *)1;

	assert_int_equal(pool_run(&r, in, o), code);
	assert_null(r);
	assert_string_equal(lsr_error_last(), msg);
}

static void test_pool_analysis__refusals(void **state)
{
	struct pool_input in = { POOL_DATA_BIN, bin, 3, 1, 0, NULL, NULL };
	struct pool_opts o = POOL_OPTS_INIT;
	const char *ex[] = { "Z" };

	(void)state;
	o.measure = POOL_MD;
	expect_run_error(&in, &o, LSR_EUSAGE,
			 "--measure MD needs continuous data (mean1, sd1, n1, mean2, sd2, n2)");
	o.measure = POOL_RR;
	o.method = POOL_METHOD_PETO;
	o.model = POOL_MODEL_FIXED;
	expect_run_error(&in, &o, LSR_EUSAGE, "the Peto method estimates odds ratios only (--measure OR)");
	o.method = POOL_METHOD_MH;
	o.extras = POOL_MODERATOR;
	expect_run_error(&in, &o, LSR_EUSAGE,
			 "meta-regression (--moderator) uses inverse-variance weights: use --method IV");
	o.extras = 0;
	o.exclude = ex;
	o.nexclude = 1;
	expect_run_error(&in, &o, LSR_EUSAGE, "--exclude: no study is labelled 'Z'");
	in.k = 0;
	o.nexclude = 0;
	expect_run_error(&in, &o, LSR_EPARSE, "no studies to pool");
}

static void test_pool_analysis__mh_and_exclusion(void **state)
{
	struct pool_input in = { POOL_DATA_BIN, bin, 3, 1, 0, NULL, NULL };
	struct pool_opts o = POOL_OPTS_INIT;
	struct pool_result *r;
	const char *ex[] = { "C" };
	json_t *j;

	(void)state;
	o.measure = POOL_OR;
	o.method = POOL_METHOD_MH;
	o.model = POOL_MODEL_FIXED;
	assert_int_equal(pool_run(&r, &in, &o), 0);
	assert_int_equal(r->main.k, 3);
	/* OR_MH = sum(ad/N) / sum(bc/N) */
	{
		double R = 0, S = 0;

		for (int i = 0; i < 3; i++) {
			double a = bin[i].events1, b = bin[i].n1 - a, c = bin[i].events2,
			       d = bin[i].n2 - c, N = bin[i].n1 + bin[i].n2;

			R += a * d / N;
			S += b * c / N;
		}
		assert_true(fabs(r->main.estimate - log(R / S)) < 1e-14);
	}
	assert_false(r->has_mh_tests); /* metafor convention only */
	pool_result_free(r);
	o.exclude = ex;
	o.nexclude = 1;
	o.conv = POOL_CONV_METAFOR;
	assert_int_equal(pool_run(&r, &in, &o), 0);
	assert_int_equal(r->main.k, 2);
	assert_int_equal(r->est[2].status, POOL_EST_EXCLUDED);
	assert_true(isnan(r->est[2].weight));
	assert_true(r->has_mh_tests);
	j = pool_result_json(r);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "studies"), 2),
							      "excluded")),
			    "left out by --exclude");
	json_decref(j);
	pool_result_free(r);
}

static void test_pool_random__edge_cases(void **state)
{
	double y[3] = { 0.5, -0.1, 0.2 }, v[3] = { 0.04, 0.09, 0.05 };
	struct pool_fitspec spec = { 1, POOL_TAU2_REML, NAN, POOL_CI_HK, 1, 0.95 };
	struct pool_summary s;

	(void)state;
	/* one study: its own estimate, Wald test, no heterogeneity */
	assert_int_equal(pool_iv_fit(&s, y, v, 1, &spec), 0);
	assert_int_equal(s.k, 1);
	assert_true(fabs(s.estimate - 0.5) < 1e-15 && fabs(s.se - 0.2) < 1e-15);
	assert_int_equal(s.ci, POOL_CI_Z);
	assert_true(isnan(s.I2) && isnan(s.p_Q) && s.tau2 == 0 && s.df == 0);
	/* two studies: HK with 1 df, no Q-profile (k < 3), no t(k-2) PI */
	assert_int_equal(pool_iv_fit(&s, y, v, 2, &spec), 0);
	assert_true(s.ci == POOL_CI_HK && s.df_t == 1);
	assert_true(isnan(s.tau2_ci[0]) && isnan(s.pi_t_lb) && isfinite(s.pi_lb));
	/* a given tau2 is used as it is */
	spec.tau2_fixed = 0.25;
	spec.ci = POOL_CI_Z;
	assert_int_equal(pool_iv_fit(&s, y, v, 3, &spec), 0);
	assert_true(s.tau2 == 0.25);
	{
		double sw = 0, swy = 0;

		for (int i = 0; i < 3; i++) {
			sw += 1 / (v[i] + 0.25);
			swy += y[i] / (v[i] + 0.25);
		}
		assert_true(fabs(s.estimate - swy / sw) < 1e-15);
		assert_true(fabs(s.se - 1 / sqrt(sw)) < 1e-15);
	}
	/* homogeneous studies: REML and PM stop at exactly 0, Q-profile [0, 0]
	 * when Q is below the lower quantile too */
	{
		double yh[4] = { 0.10, 0.11, 0.09, 0.105 }, vh[4] = { 0.04, 0.09, 0.0625, 0.0484 };

		spec.tau2_fixed = NAN;
		assert_int_equal(pool_iv_fit(&s, yh, vh, 4, &spec), 0);
		assert_true(s.tau2 == 0);
		assert_true(s.tau2_ci[0] == 0 && s.tau2_ci[1] == 0);
		spec.tau2 = POOL_TAU2_PM;
		assert_int_equal(pool_iv_fit(&s, yh, vh, 4, &spec), 0);
		assert_true(s.tau2 == 0 && s.I2 == 0 && s.H2 == 1);
	}
}

/* REML with variances seven orders of magnitude apart (issue 14): Fisher
 * scoring stops, and its fallback (Brent on the REML equation) finds the
 * same root; for two studies it is ((y1 - y2)^2 - v1 - v2) / 2. */
static void test_pool_random__reml_converges(void **state)
{
	double y[2] = { 0, 0.59 }, v[2] = { 1e-7, 0.34 }, want = (0.59 * 0.59 - 0.34 - 1e-7) / 2;
	double yh[5] = { -0.41, 0.1, -0.73, 0.27, -0.05 }, vh[5] = { 0.031, 0.054, 0.029, 0.08, 0.02 };
	struct pool_fitspec spec = { 1, POOL_TAU2_REML, NAN, POOL_CI_Z, 0, 0.95 };
	struct pool_summary s, s2;
	struct pool_mr m;
	double root;

	(void)state;
	assert_int_equal(pool_iv_fit(&s, y, v, 2, &spec), 0);
	assert_true(fabs(s.tau2 - want) <= 1e-9 * want);
	assert_int_equal(pool_mr_init(&m, y, v, NULL, 2, 1), 0);
	assert_int_equal(pool_mr_lik_root(&m, 0, &root), 0);
	assert_true(fabs(root - want) <= 1e-9 * want);
	pool_mr_release(&m);
	/* the fallback agrees with scoring on ordinary data */
	assert_int_equal(pool_iv_fit(&s, yh, vh, 5, &spec), 0);
	assert_int_equal(pool_mr_init(&m, yh, vh, NULL, 5, 1), 0);
	assert_int_equal(pool_mr_lik_root(&m, 0, &root), 0);
	assert_true(s.tau2 > 0 && fabs(root - s.tau2) <= 1e-10 * s.tau2);
	pool_mr_release(&m);
	/* Paule-Mandel on the same two studies: Q(tau2) = 1 */
	spec.tau2 = POOL_TAU2_PM;
	assert_int_equal(pool_iv_fit(&s, y, v, 2, &spec), 0);
	assert_true(fabs(s.tau2 - want) <= 1e-9 * want);
	/* the ad hoc correction: never narrower than Wald; identical estimates
	 * make plain Hartung-Knapp degenerate, not the ad hoc one */
	spec.tau2 = POOL_TAU2_REML;
	assert_int_equal(pool_iv_fit(&s, yh, vh, 5, &spec), 0);
	spec.ci = POOL_CI_HK_ADHOC;
	assert_int_equal(pool_iv_fit(&s2, yh, vh, 5, &spec), 0);
	assert_true(s2.ci_ub - s2.ci_lb >= s.ci_ub - s.ci_lb);
	assert_true(s2.se >= s.se && s2.ci == POOL_CI_HK_ADHOC && s2.df_t == 4);
	{
		double yc[3] = { 0.3, 0.3, 0.3 }, vc[3] = { 0.1, 0.2, 0.05 };

		assert_int_equal(pool_iv_fit(&s2, yc, vc, 3, &spec), 0);
		assert_false(s2.degenerate);
		assert_true(s2.se > 0 && isfinite(s2.ci_lb));
		spec.ci = POOL_CI_HK;
		assert_int_equal(pool_iv_fit(&s2, yc, vc, 3, &spec), 0);
		assert_true(s2.degenerate && s2.se == 0 && isnan(s2.ci_lb) && isnan(s2.p));
	}
}

/* GSL's chi-square inverse fails beyond about 50,000 df; the Q-profile CIs
 * of large meta-analyses need it.  Expected values: R 4.2.2 qchisq(). */
static void test_pool_stats__chisq_quantiles(void **state)
{
	static const double cases[][3] = {
		{ 8, 17.534546139484647, 2.1797307472526497 },
		{ 9999, 10278.056320256948, 9723.7322370149905 },
		{ 50000, 50621.687157589819, 49382.101443275023 },
		{ 99999, 100877.4109230342, 99124.377683278668 },
		{ 1e6, 1002773.701467926, 997230.08714329009 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double hi = pool_chisq_lower_quantile(0.975, cases[i][0]);
		double lo = pool_chisq_lower_quantile(0.025, cases[i][0]);

		assert_true(fabs(hi - cases[i][1]) <= 1e-12 * cases[i][1]);
		assert_true(fabs(lo - cases[i][2]) <= 1e-12 * cases[i][2]);
	}
	assert_true(isnan(pool_chisq_lower_quantile(0.5, 0)));
}

static char path[64];

static void write_file(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/lsr-pool-%d.csv", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_pool_csv__read(void **state)
{
	struct pool_dataset *d = NULL;
	char want[256];

	(void)state;
	/* quoted labels, a BOM, CRLF, aliases, blank cells, extra columns */
	write_file("\xEF\xBB\xBFStudy ,\"m1i\",sd1i,n1i,m2i,sd2i,n2i,notes\r\n"
		   "\"Smith, J  2001\",5,4.7,13,6.5,3.8,13,x\r\n"
		   "Lee 2003,,1.71,30,6.1,2.3,50,\r\n");
	assert_int_equal(pool_csv_read(&d, path, POOL_DATA_CONT), 0);
	assert_int_equal(d->in.k, 2);
	assert_string_equal(d->studies[0].label, "Smith, J 2001");
	assert_true(d->studies[0].sd2 == 3.8);
	assert_true(isnan(d->studies[1].mean1));
	assert_false(d->in.has_subgroups);
	pool_dataset_free(d);
	/* a quoted field over two lines: the error names the row it starts on */
	write_file("study,yi,sei\n\"A\nB\",0.1,-2\n");
	assert_int_equal(pool_csv_read(&d, path, POOL_DATA_GENERIC), LSR_EPARSE);
	assert_null(d);
	snprintf(want, sizeof(want), "%s:2: column 'sei': expected a positive number, got '-2'", path);
	assert_string_equal(lsr_error_last(), want);
	write_file("study,subgroup,yi,vi\nA,x,0.1,0.2\nB,,0.3,0.1\n");
	assert_int_equal(pool_csv_read(&d, path, POOL_DATA_GENERIC), 0);
	assert_int_equal(d->missing_subgroup_row, 3);
	assert_false(d->in.has_subgroups);
	pool_dataset_free(d);
	/* strict input (issue 14): what strtod would take is not a number here,
	 * counts are whole, quotes close, rows are complete */
	{
		static const struct {
			enum pool_data_type type;
			const char *text, *msg;
		} bad[] = {
			{ POOL_DATA_GENERIC, "study,yi,sei\nA,0x10,0.2\n", "2: column 'yi': expected a number, got '0x10'" },
			{ POOL_DATA_GENERIC, "study,yi,sei\nA,0.1,0.2\nB,inf,0.2\n", "3: column 'yi': expected a number, got 'inf'" },
			{ POOL_DATA_BIN, "study,events1,n1,events2,n2\nA,2,10,3,10\nB,2.5,10,3,10\n",
			  "3: column 'events1': expected a whole number of at least 0, got '2.5'" },
			{ POOL_DATA_BIN, "study,events1,n1,events2,n2\nA,2,10.5,3,10\n",
			  "2: column 'n1': expected a whole number of at least 1, got '10.5'" },
			{ POOL_DATA_GENERIC, "study,yi,sei\nA,0.1,0.2\n\"B,0.3,0.2\nC,0.1,0.1\n",
			  "3: unterminated quote: the quoted field opened in the row starting on this line is never closed" },
			{ POOL_DATA_GENERIC, "study,yi,sei\nA,0.1,0.2\nB,0.3\n",
			  "3: column 'sei': missing (the row has 2 fields, the header 3)" },
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			write_file(bad[i].text);
			assert_int_equal(pool_csv_read(&d, path, bad[i].type), LSR_EPARSE);
			snprintf(want, sizeof(want), "%s:%s", path, bad[i].msg);
			assert_string_equal(lsr_error_last(), want);
		}
		write_file("study,yi,vi\nA, 1e-2 ,0.2\nB,-.5,1.\nC,+3,2E+1\n");
		assert_int_equal(pool_csv_read(&d, path, POOL_DATA_GENERIC), 0);
		assert_true(d->studies[0].yi == 0.01 && d->studies[1].yi == -0.5 && d->studies[2].vi == 20);
		pool_dataset_free(d);
	}
	assert_int_equal(pool_csv_read(&d, "/nonexistent/x.csv", POOL_DATA_GENERIC), LSR_ENOTFOUND);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_effect__j_factors),
		cmocka_unit_test(test_pool_effect__parsers),
		cmocka_unit_test(test_pool_analysis__refusals),
		cmocka_unit_test(test_pool_analysis__mh_and_exclusion),
		cmocka_unit_test(test_pool_random__edge_cases),
		cmocka_unit_test(test_pool_random__reml_converges),
		cmocka_unit_test(test_pool_stats__chisq_quantiles),
		cmocka_unit_test(test_pool_csv__read),
	};

	gsl_set_error_handler_off(); /* as cli/lsr.c: every status is checked */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
