/* test-hist: lib/hist.h: exact nearest-rank percentiles, sparse values, merge, text form. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hist.h"

static uint64_t
pct(const struct cx_hist *h, double p)
{
	uint64_t x = 999999;

	cx_hist_percentile(h, p, &x);
	return x;
}

static void
test_percentiles(void)
{
	struct cx_hist h;
	uint64_t x;

	cx_hist_init(&h);
	CHECK(cx_hist_percentile(&h, 50, &x) == -1);
	CHECK(cx_hist_max(&h, &x) == -1);
	for (uint64_t v = 1; v <= 10; v++)
		cx_hist_add(&h, v, 1);
	CHECK_INT(pct(&h, 50), 5);	/* rank ceil(5) = 5 */
	CHECK_INT(pct(&h, 90), 9);	/* rank 9, not 10: 0.9 * 10 is 9 */
	CHECK_INT(pct(&h, 95), 10);
	CHECK_INT(pct(&h, 100), 10);
	CHECK_INT(pct(&h, 0), 1);
	CHECK_INT(pct(&h, 10), 1);
	CHECK_INT(pct(&h, 10.5), 2);
	CHECK_INT(cx_hist_count_le(&h, 4), 4);
	cx_hist_fini(&h);
}

static void
test_sparse_merge(void)
{
	struct cx_hist a, b;
	uint64_t x = 0;
	char *s;

	cx_hist_init(&a);
	cx_hist_init(&b);
	cx_hist_add(&a, 3, 2);
	cx_hist_add(&a, 1000000, 1);
	cx_hist_add(&b, 70000, 1);
	cx_hist_add(&b, 3, 1);
	cx_hist_add(&b, 1000000, 2);
	CHECK(cx_hist_merge(&a, &b) == 0);
	CHECK_INT(a.n, 7);
	CHECK(cx_hist_max(&a, &x) == 0 && x == 1000000);
	CHECK_INT(pct(&a, 50), 70000);	/* 3 3 3 70000 1e6 1e6 1e6: rank 4 */
	CHECK(a.capdense <= 64);	/* the large values did not grow the dense part */
	s = cx_hist_format(&a);
	CHECK_STR(s, "3:3 70000:1 1000000:3");
	free(s);
	cx_hist_fini(&b);
	cx_hist_init(&b);
	CHECK_OK(cx_hist_parse(&b, "3:3 70000:1 1000000:3"), "text");
	CHECK_INT(b.n, 7);
	s = cx_hist_format(&b);
	CHECK_STR(s, "3:3 70000:1 1000000:3");
	free(s);
	CHECK_ERR(cx_hist_parse(&b, "3:"), "3:");
	CHECK_ERR(cx_hist_parse(&b, "x:1"), "x:1");
	CHECK_ERR(cx_hist_parse(&b, "1:2,3:4"), "1:2,3:4");
	CHECK_ERR(cx_hist_parse(&b, "-1:2"), "-1:2");
	CHECK_OK(cx_hist_parse(&b, ""), "");
	cx_hist_fini(&a);
	cx_hist_fini(&b);
	s = cx_hist_format(&a);
	CHECK_STR(s, "");
	free(s);
}

static void
test_densify(void)
{
	struct cx_hist a, b;
	char *s1, *s2;

	/* the same values into a sparse-only and a densified histogram agree */
	cx_hist_init(&a);
	cx_hist_init(&b);
	for (uint64_t v = 0; v < 1000; v++) {
		cx_hist_add(&a, (v * 7919) % 1000, 1);
		if (v % 10 == 0)
			cx_hist_add(&b, v, 1);
	}
	cx_hist_add(&a, 200000, 2);
	CHECK(a.dense != NULL);
	CHECK(b.dense == NULL);
	CHECK_INT(a.n, 1002);
	CHECK_INT(pct(&a, 50), 500);
	CHECK_INT(pct(&a, 99.8), 999);	/* rank ceil(999.996) = 1000 */
	CHECK_INT(pct(&a, 100), 200000);
	CHECK_INT(pct(&b, 50), 490);
	CHECK_INT(cx_hist_count_le(&a, 99), 100);
	CHECK(cx_hist_merge(&b, &a) == 0);
	CHECK_INT(b.n, 1102);
	s1 = cx_hist_format(&a);
	cx_hist_fini(&b);
	cx_hist_init(&b);
	CHECK_OK(cx_hist_parse(&b, s1), "text");
	s2 = cx_hist_format(&b);
	CHECK(strcmp(s1, s2) == 0);
	free(s1);
	free(s2);
	cx_hist_fini(&a);
	cx_hist_fini(&b);
}

int
main(void)
{
	RUN(test_percentiles);
	RUN(test_sparse_merge);
	RUN(test_densify);
	return check_done();
}
