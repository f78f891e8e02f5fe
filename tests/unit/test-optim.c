/* test-optim: lib/optim.h on likelihoods with closed-form maxima and standard errors. */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "cxerr.h"
#include "optim.h"

static void
near(double got, double want, double tol, const char *what)
{
	double d = fabs(got - want), m = fmax(fabs(got), fabs(want));

	CHECK_REPORT(d <= tol * m || d == 0, "%s: got %.17g, want %.17g", what, got, want);
}

/* Normal sample: mean real, sd positive.  MLE: mean = xbar, sd = sqrt(S/n);
 * se(mean) = sd/sqrt(n), se(sd) = sd/sqrt(2n). */
static const double xs[] = { 4.1, 5.3, 2.2, 6.8, 5.0, 3.9, 4.4, 7.1, 5.5, 4.7 };
#define NX (sizeof xs / sizeof xs[0])

static double
normal_ll(const double *p, void *ctx)
{
	double ll = 0;
	size_t i;

	(void)ctx;
	for (i = 0; i < NX; i++) {
		double z = (xs[i] - p[0]) / p[1];

		ll += -0.5 * z * z - log(p[1]) - 0.5 * log(2 * M_PI);
	}
	return ll;
}

static double
normal_llg(const double *p, double *g, void *ctx)
{
	size_t i;

	g[0] = g[1] = 0;
	for (i = 0; i < NX; i++) {
		double d = xs[i] - p[0];

		g[0] += d / (p[1] * p[1]);
		g[1] += d * d / (p[1] * p[1] * p[1]) - 1 / p[1];
	}
	return normal_ll(p, ctx);
}

static void
normal(int analytic)
{
	static const int scale[2] = { CX_OPTIM_REAL, CX_OPTIM_POSITIVE };
	struct cx_optim_problem pb = { 2, scale, normal_ll, analytic ? normal_llg : NULL, NULL };
	struct cx_optim_result r;
	double start[2] = { 1, 1 }, m = 0, s = 0;
	size_t i;

	for (i = 0; i < NX; i++)
		m += xs[i] / NX;
	for (i = 0; i < NX; i++)
		s += (xs[i] - m) * (xs[i] - m) / NX;
	s = sqrt(s);
	CHECK_INT(cx_optim_mle(&pb, start, NULL, &r), 0);
	CHECK_INT(r.converged, 1);
	CHECK_INT(r.hessian_ok, 1);
	near(r.par[0], m, 1e-9, "mean");
	near(r.par[1], s, 1e-9, "sd");
	near(r.se[0], s / sqrt(NX), 1e-5, "se(mean)");
	near(r.se[1], s / sqrt(2.0 * NX), 1e-5, "se(sd)");
	/* the interval for sd is exp(log sd -+ 1.96 se_log), se_log = 1/sqrt(2n) */
	near(r.conf_low[1], s * exp(-1.959963984540054 / sqrt(2.0 * NX)), 1e-5, "conf_low(sd)");
	near(r.conf_high[0], m + 1.959963984540054 * s / sqrt(NX), 1e-5, "conf_high(mean)");
	near(r.cov[1], 0, 1, "cov(mean, sd) ~ 0");
	CHECK(fabs(r.cov[1]) < 1e-6);
	cx_optim_result_fini(&r);
}

static void test_normal_numeric(void) { normal(0); }
static void test_normal_analytic(void) { normal(1); }

/* Binomial with a (0,1) parameter: p = k/n, se = sqrt(p(1-p)/n). */
static double
binom_ll(const double *p, void *ctx)
{
	(void)ctx;
	return 37 * log(p[0]) + 63 * log1p(-p[0]);
}

static void
test_unit_scale(void)
{
	static const int scale[1] = { CX_OPTIM_UNIT };
	struct cx_optim_problem pb = { 1, scale, binom_ll, NULL, NULL };
	struct cx_optim_result r;
	double start = 0.5;

	CHECK_INT(cx_optim_mle(&pb, &start, NULL, &r), 0);
	CHECK_INT(r.converged, 1);
	near(r.par[0], 0.37, 1e-9, "p");
	near(r.se[0], sqrt(0.37 * 0.63 / 100), 1e-5, "se(p)");
	CHECK(r.conf_low[0] > 0 && r.conf_high[0] < 1);
	cx_optim_result_fini(&r);
}

/* No maximum (LL increases forever): not converged or no Hessian, never a silent answer. */
static double
unbounded_ll(const double *p, void *ctx)
{
	(void)ctx;
	return log(p[0]);
}

static void
test_unbounded(void)
{
	static const int scale[1] = { CX_OPTIM_POSITIVE };
	struct cx_optim_problem pb = { 1, scale, unbounded_ll, NULL, NULL };
	struct cx_optim_opts o = { 50, 0, 0, 0 };
	struct cx_optim_result r;
	double start = 1;

	CHECK_INT(cx_optim_mle(&pb, &start, &o, &r), 0);
	CHECK(!r.converged || !r.hessian_ok);
	CHECK(r.msg[0] != '\0');
	cx_optim_result_fini(&r);
}

static double
nan_ll(const double *p, void *ctx)
{
	(void)ctx;
	(void)p;
	return NAN;
}

static void
test_infeasible_start(void)
{
	struct cx_optim_problem pb = { 1, NULL, nan_ll, NULL, NULL };
	struct cx_optim_result r;
	double start = 1;

	CHECK_INT(cx_optim_mle(&pb, &start, NULL, &r), CX_EDATA);
	CHECK(r.msg[0] != '\0');
	cx_optim_result_fini(&r);
}

/* Rosenbrock as a "likelihood": a curved valley, maximum at (1, 1). */
static double
rosen_ll(const double *p, void *ctx)
{
	(void)ctx;
	return -(100 * pow(p[1] - p[0] * p[0], 2) + pow(1 - p[0], 2));
}

static void
test_rosenbrock(void)
{
	struct cx_optim_problem pb = { 2, NULL, rosen_ll, NULL, NULL };
	struct cx_optim_opts o = { 2000, 5, 1e-6, 0 };
	struct cx_optim_result r;
	double start[2] = { -1.2, 1 };

	CHECK_INT(cx_optim_mle(&pb, start, &o, &r), 0);
	CHECK_REPORT(r.converged, "%s", r.msg);
	near(r.par[0], 1, 1e-5, "x");
	near(r.par[1], 1, 1e-5, "y");
	cx_optim_result_fini(&r);
}

int
main(void)
{
	RUN(test_normal_numeric);
	RUN(test_normal_analytic);
	RUN(test_unit_scale);
	RUN(test_unbounded);
	RUN(test_infeasible_start);
	RUN(test_rosenbrock);
	return check_done();
}
