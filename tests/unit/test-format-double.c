/*
 * test-format-double: cx_format_double's printf-free fast path against the
 * contract written with snprintf and strtod, on edge cases and on random
 * doubles.  An optional argument N runs N random values of each kind (2.125 N
 * in all) instead of the default: `build/tests/test-format-double 470588236`
 * checks 1e9 doubles (about 30 CPU minutes; run once, no difference).
 */
#define _GNU_SOURCE 1	/* nextafter, DBL_TRUE_MIN */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csvout.h"

static unsigned long nfast, nfallback, nbad;
static double nrand = 300000;	/* random values of each kind */

/* The contract, spelled with printf: NaN empty, whole numbers below 1e15 as
 * integers, else the first of %.15g, %.16g, %.17g that reads back. */
static int
reference(double v, char *buf)
{
	int p;

	if (isnan(v)) {
		buf[0] = '\0';
		return 0;
	}
	if (fabs(v) < 1e15 && v == trunc(v) && !(v == 0 && signbit(v)))
		return snprintf(buf, 32, "%lld", (long long)v);
	for (p = 15; p < 17; p++) {
		int n = snprintf(buf, 32, "%.*g", p, v);

		if (strtod(buf, NULL) == v)
			return n;
	}
	return snprintf(buf, 32, "%.17g", v);
}

/* cx_format_double and its fast path (where it applies) give the reference's
 * bytes and length for v; the fast path covers (1e-6, 1e15).  The random
 * values come with random signs, the others are checked as v and -v. */
static void
same_one(double v)
{
	char want[32], got[32], fast[32];

	{
		int nw = reference(v, want), ng = cx_format_double(v, got);
		int nf = cx_format_double_fast(v, fast);
		int ok = ng == nw && strcmp(got, want) == 0;

		if (nf >= 0) {
			nfast++;
			ok = ok && nf == nw && strcmp(fast, want) == 0;
		} else {
			nfallback++;
			ok = ok && !(isnormal(v) && fabs(v) > 1e-6 && fabs(v) < 1e15 &&
			    v != trunc(v));
		}
		if (!ok && nbad++ < 10)
			printf("FAIL %a (%.17g): want \"%s\", got \"%s\", fast %d \"%s\"\n",
			    v, v, want, got, nf, nf >= 0 ? fast : "");
	}
}

static void
same(double v)
{
	same_one(v);
	same_one(-v);
}

/* v and its two neighbours */
static void
around(double v)
{
	same(v);
	same(nextafter(v, -INFINITY));
	same(nextafter(v, INFINITY));
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t
next64(void)	/* splitmix64 */
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void
test_specials(void)
{
	char buf[32];
	int i;

	nbad = 0;
	same(0.0);
	same(NAN);
	same(INFINITY);
	same(DBL_MAX);
	same(DBL_MIN);
	same(DBL_TRUE_MIN);
	same(DBL_MIN - DBL_TRUE_MIN);			/* largest subnormal */
	same(DBL_EPSILON);
	for (i = 1; i < 1000; i++)
		same(ldexp((double)i * 997, -1074));	/* subnormals */
	/* pinned bytes, including the cases that once went wrong */
	CHECK_INT(cx_format_double(-0.0, buf), 2);
	CHECK_STR(buf, "-0");
	cx_format_double(0.1, buf);
	CHECK_STR(buf, "0.1");
	cx_format_double(1.0 / 3, buf);
	CHECK_STR(buf, "0.3333333333333333");
	cx_format_double(0.30000000000000004, buf);
	CHECK_STR(buf, "0.30000000000000004");
	cx_format_double(1.5e-6, buf);
	CHECK_STR(buf, "1.5e-06");
	cx_format_double(-2.5e-5, buf);
	CHECK_STR(buf, "-2.5e-05");
	cx_format_double(0.0001, buf);
	CHECK_STR(buf, "0.0001");
	cx_format_double(999999999999999.9, buf);
	CHECK_STR(buf, "999999999999999.9");
	cx_format_double(1e15, buf);
	CHECK_STR(buf, "1e+15");
	cx_format_double(123456789012345.0, buf);
	CHECK_STR(buf, "123456789012345");
	cx_format_double(-7.0, buf);
	CHECK_STR(buf, "-7");
	/* 2^149: 15 digits read back where 16 do not (the gap below a power
	 * of two is half the gap above); the contract takes 15 */
	cx_format_double(ldexp(1, 149), buf);
	CHECK_STR(buf, "7.1362384635298e+44");
	CHECK_INT(cx_format_double_fast(9e-8, buf), -1);
	CHECK_INT(cx_format_double_fast(1e15, buf), -1);
	CHECK(cx_format_double_fast(1.0000001e-6, buf) > 0);
	CHECK_INT(nbad, 0);
}

static void
test_powers(void)
{
	char s[32];
	int i, j;

	nbad = 0;
	for (i = -1074; i <= 1023; i++)
		around(ldexp(1, i));
	for (i = -323; i <= 308; i++) {
		snprintf(s, sizeof s, "1e%d", i);
		around(strtod(s, NULL));
	}
	/* 0.1-style decimals k * 10^j, at every exponent 1e-7 .. 1e16 and a
	 * few beyond, and long decimals */
	for (j = -9; j <= 17; j++) {
		for (i = 1; i < 300; i++) {
			snprintf(s, sizeof s, "%de%d", i, j - 2);
			around(strtod(s, NULL));
		}
		snprintf(s, sizeof s, "1.2345678901234567e%d", j);
		around(strtod(s, NULL));
		snprintf(s, sizeof s, "9.9999999999999999e%d", j);
		around(strtod(s, NULL));
		snprintf(s, sizeof s, "9.999999999999995e%d", j);
		around(strtod(s, NULL));
		snprintf(s, sizeof s, "9.99999999999995e%d", j);
		around(strtod(s, NULL));
	}
	/* just below 1e15, and whole numbers from 1e15 up */
	around(1e15 - 0.5);
	around(1e15 - 0.125);
	around(999999999999999.0);
	for (i = 0; i < 1000; i++) {
		same(1e15 + i);
		same(ldexp(1, 53) + 2 * i);
		same(1e16 + 2 * i);
		same(1e17 * (i + 1));
	}
	CHECK_INT(nbad, 0);
}

/* Exact ties: v = J / 2^t with J odd has exactly t decimals, the last a 5;
 * with p + 1 significant digits in all, rounding to p digits is a tie. */
static void
test_ties(void)
{
	int p, t, i;

	nbad = 0;
	for (p = 14; p <= 17; p++) {
		for (t = 1; t <= 25; t++) {
			double lo = ldexp(pow(10, p - t), t), hi = lo * 10;

			if (hi > ldexp(1, 53))
				hi = ldexp(1, 53);
			for (i = 0; i < 400 && lo < hi; i++) {
				double j = floor(lo + (hi - lo) * ((double)(next64() >> 11) * 0x1p-53));

				if (fmod(j, 2) == 0)
					j += 1;
				if (j < hi)
					same(ldexp(j, -t));
			}
		}
	}
	CHECK_INT(nbad, 0);
}

static void
test_random(void)
{
	static const double scale[] = { 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100,
		1e3, 1e4, 1e5, 1e6, 1e8, 1e10, 1e12, 1e14 };
	double i;
	uint64_t x;

	nbad = 0;
	for (i = 0; i < nrand; i++) {
		double v;

		/* random bits, binary exponent 2^-20 .. 2^50 (about 1e-6 .. 1e15) */
		x = next64();
		x = (x & 0x800FFFFFFFFFFFFFULL) | (uint64_t)(1003 + (x >> 52 & 0x7ff) % 71) << 52;
		memcpy(&v, &x, sizeof v);
		same_one(v);
		/* ratios k / n as computed values come, scaled */
		x = next64();
		v = (double)(x % 1000000 + 1) / (double)((x >> 20) % 1000 + 1);
		v *= scale[(x >> 40) % (sizeof scale / sizeof scale[0])];
		same_one(x >> 63 ? -v : v);
		/* any bit pattern (mostly the printf fallback) */
		if ((long)i % 8 == 0) {
			x = next64();
			memcpy(&v, &x, sizeof v);
			same_one(v);
		}
	}
	CHECK_INT(nbad, 0);
	printf("%lu values by the fast path, %lu by printf\n", nfast, nfallback);
}

int
main(int argc, char *argv[])
{
	if (argc > 1)
		nrand = strtod(argv[1], NULL);
	RUN(test_specials);
	RUN(test_powers);
	RUN(test_ties);
	RUN(test_random);
	return check_done();
}
