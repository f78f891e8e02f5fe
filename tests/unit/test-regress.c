/* test-regress: lib/regress against R (glm binomial, lm) on tiny data sets;
 * reference numbers from R 4.2 printed with %.17g.  Tolerance 1e-9 relative. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "cxerr.h"
#include "regress.h"

static int
close_to(double got, double want)
{
	return fabs(got - want) <= 1e-9 * fabs(want);
}

static void
test_logit(void)
{
	/* glm(y ~ x, family = binomial) */
	double X[16], y[8] = { 0, 0, 1, 0, 1, 1, 0, 1 };
	struct cx_regress_fit f;
	int i;

	for (i = 0; i < 8; i++) {
		X[2 * i] = 1;
		X[2 * i + 1] = i + 1;
	}
	CHECK(cx_regress_logit(X, y, NULL, 8, 2, 25, 1e-8, &f) == 0);
	CHECK(f.converged && !f.boundary);
	CHECK(close_to(f.beta[0], -1.9494066449692604));
	CHECK(close_to(f.beta[1], 0.43320147665983572));
	CHECK(close_to(f.se[0], 1.8610861608624889));
	CHECK(close_to(f.se[1], 0.37486556485585437));
	CHECK(close_to(f.deviance, 9.4692387155598947));
	CHECK(close_to(f.null_deviance, 11.090354888959125));
	CHECK(close_to(f.aic, 13.469238715559895));
	CHECK(f.iterations == 4);
	cx_regress_fit_fini(&f);
}

static void
test_separation(void)
{
	double X[12] = { 1, 1, 1, 2, 1, 3, 1, 4, 1, 5, 1, 6 }, y[6] = { 0, 0, 0, 1, 1, 1 };
	struct cx_regress_fit f;
	int rc = cx_regress_logit(X, y, NULL, 6, 2, 25, 1e-8, &f);

	CHECK(rc == 0);
	CHECK(f.boundary || !f.converged);
	cx_regress_fit_fini(&f);
}

static void
test_collinear(void)
{
	double X[12] = { 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2 }, y[6] = { 0, 1, 0, 1, 1, 0 };
	struct cx_regress_fit f;

	CHECK(cx_regress_logit(X, y, NULL, 6, 2, 25, 1e-8, &f) == CX_EDATA);
	cx_regress_fit_fini(&f);
	CHECK(cx_regress_ols(X, y, NULL, 6, 2, &f) == CX_EDATA);
	cx_regress_fit_fini(&f);
	CHECK(cx_regress_ols(X, y, NULL, 2, 2, &f) == CX_EDATA);	/* n <= p */
	cx_regress_fit_fini(&f);
}

static void
test_ols(void)
{
	/* lm(c(1.1, 1.9, 3.2, 3.9, 5.1) ~ c(1, 2, 3, 4, 5)) */
	double X[10], y[5] = { 1.1, 1.9, 3.2, 3.9, 5.1 };
	struct cx_regress_fit f;
	int i;

	for (i = 0; i < 5; i++) {
		X[2 * i] = 1;
		X[2 * i + 1] = i + 1;
	}
	CHECK(cx_regress_ols(X, y, NULL, 5, 2, &f) == 0);
	CHECK(fabs(f.beta[0] - 0.04) < 1e-12);
	CHECK(close_to(f.beta[1], 0.99999999999999956));
	CHECK(close_to(f.se[0], 0.16248076809271964));
	CHECK(close_to(f.se[1], 0.048989794855663703));
	cx_regress_fit_fini(&f);
	cx_regress_fit_fini(NULL);
}

int
main(void)
{
	RUN(test_logit);
	RUN(test_separation);
	RUN(test_collinear);
	RUN(test_ols);
	return check_done();
}
