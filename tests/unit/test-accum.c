/* test-accum: lib/accum.h: Welford and its merge, Neumaier sums, exact sums. */
#include <math.h>
#include <stdint.h>

#include "accum.h"
#include "check.h"

static void
test_welford(void)
{
	struct cx_welford all = { 0 }, a = { 0 }, b = { 0 };
	/* a large offset ruins sum-of-squares variance; Welford keeps it */
	double xs[] = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 };

	for (int i = 0; i < 4; i++) {
		cx_welford_add(&all, xs[i]);
		cx_welford_add(i < 1 ? &a : &b, xs[i]);
	}
	CHECK(all.mean == 1e9 + 10);
	CHECK(fabs(cx_welford_var(&all) - 30) < 1e-6);
	cx_welford_merge(&a, &b);
	CHECK(a.n == 4);
	CHECK(fabs(a.mean - (1e9 + 10)) < 1e-6);
	CHECK(fabs(cx_welford_var(&a) - 30) < 1e-6);
	b = (struct cx_welford){ 0 };
	cx_welford_merge(&b, &a);
	CHECK(b.n == 4 && b.mean == a.mean);
	CHECK(isnan(cx_welford_var(&(struct cx_welford){ 0 })));
}

static void
test_ksum(void)
{
	struct cx_ksum k = { 0 }, k2 = { 0 };

	cx_ksum_add(&k, 1.0);
	cx_ksum_add(&k, 1e100);
	cx_ksum_add(&k, 1.0);
	cx_ksum_add(&k, -1e100);
	CHECK(cx_ksum_value(&k) == 2.0);
	for (int i = 0; i < 10; i++)
		cx_ksum_add(&k2, 0.1);
	CHECK(cx_ksum_value(&k2) == 1.0);
	cx_ksum_merge(&k, &k2);
	CHECK(cx_ksum_value(&k) == 3.0);
}

static void
test_xsum(void)
{
	struct cx_xsum a = { 0 }, b = { 0 }, c = { 0 };

	/* the same values in two orders and split in two: identical bits */
	for (int i = 0; i < 1000; i++) {
		cx_xsum_add(&a, 0.1 * i + 22.5);
		cx_xsum_add(i % 2 ? &b : &c, 0.1 * (999 - i) + 22.5);
	}
	cx_xsum_merge(&b, &c);
	CHECK(a.units == b.units);
	CHECK(cx_xsum_value(&a) == 72450.0);
	CHECK(cx_xsum_mean(&a, 1000) == 72.45);
	CHECK(isnan(cx_xsum_mean(&a, 0)));
	CHECK(cx_xsum_add(&a, 1e13) == -1);
	CHECK(cx_xsum_add(&a, NAN) == -1);
	CHECK(cx_xsum_value(&a) == 72450.0);
}

int
main(void)
{
	RUN(test_welford);
	RUN(test_ksum);
	RUN(test_xsum);
	return check_done();
}
