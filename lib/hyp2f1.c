/*
 * hyp2f1: 2F1(a,b;c;z) for real arguments and z < 1 (see hyp2f1.h for the
 * regions; z <= 1/2 is summed directly first, as GSL would but cheaper).  References: DLMF 15.2.1 (series), 15.8.1 (Pfaff).
 */
#include <float.h>
#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_hyperg.h>

#include "hyp2f1.h"

#define MAXTERMS	2000000L

static int
neg_int(double c)
{
	return c <= 0 && c == floor(c);
}

int
cx_hyp2f1_series(double a, double b, double c, double z, long maxterms, long double *sum)
{
	long double s = 1.0L, t = 1.0L;
	long n;

	if (neg_int(c) || !(fabs(z) < 1))
		return -1;
	for (n = 0; n < maxterms; n++) {
		t *= (long double)(a + n) * (b + n) / ((long double)(c + n) * (n + 1)) * z;
		s += t;
		if (t == 0)
			break;
		/* Stop when the term is negligible and the tail (bounded by a
		 * geometric series once the ratio is below one) cannot matter. */
		if (fabsl(t) <= LDBL_EPSILON * fabsl(s) * 1e-1L) {
			long double ratio = fabsl((long double)(a + n + 1) * (b + n + 1) /
			    ((long double)(c + n + 1) * (n + 2)) * z);
			if (ratio < 1 && fabsl(t) * ratio / (1 - ratio) <= LDBL_EPSILON * fabsl(s))
				break;
		}
		if (isinf(s))
			return -1;
	}
	if (n == maxterms)
		return -1;
	*sum = s;
	return 0;
}

/* The series for 0 <= z <= 1/2 with a, b, c > 0: every term is positive, so
 * double precision keeps ~1e-16 relative.  For m >= n the term ratio is at
 * most R = z max(1, (b+n)/(n+1)) max(1, (a+n)/(c+n)), so once R < 1 the tail
 * is at most t R / (1 - R).  -1 when that does not happen in 5000 terms. */
static int
small_series(double a, double b, double c, double z, double *sum)
{
	double s = 1, t = 1;
	long n;

	if (!(a > 0 && b > 0 && c > 0))
		return -1;
	for (n = 0; n < 5000; n++) {
		double R;

		t *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
		s += t;
		R = z * (b > 1 ? (b + n + 1) / (n + 2) : 1) * (a > c ? (a + n + 1) / (c + n + 1) : 1);
		if (t == 0 || (R < 1 && t * R / (1 - R) <= 1e-17 * s))
			break;
	}
	if (n == 5000 || !isfinite(s))
		return -1;
	*sum = s;
	return 0;
}

/* log 2F1 for z in [0, 1). */
static int
log_unit(double a, double b, double c, double z, double *logv, int *sign)
{
	gsl_sf_result r;
	gsl_error_handler_t *old;
	long double s;
	double d;
	int st;

	if (z == 0) {
		*logv = 0;
		*sign = 1;
		return 0;
	}
	if (z <= 0.5 && small_series(a, b, c, z, &d) == 0) {
		/* geometric convergence, positive terms: faster than GSL, as exact */
		*logv = log(d);
		*sign = 1;
		return 0;
	}
	old = gsl_set_error_handler_off();
	st = gsl_sf_hyperg_2F1_e(a, b, c, z, &r);
	gsl_set_error_handler(old);
	if (st == GSL_SUCCESS && isfinite(r.val) && r.val != 0 &&
	    r.err <= 1e-12 * fabs(r.val)) {
		*logv = log(fabs(r.val));
		*sign = r.val > 0 ? 1 : -1;
		return 0;
	}
	if (cx_hyp2f1_series(a, b, c, z, MAXTERMS, &s) != 0 || isnan((double)logl(fabsl(s)))) {
		/* Near z = 1 the series is hopeless while GSL's reflection is fine
		 * but reports a meaningless error bound: take its value then. */
		if (st == GSL_SUCCESS && isfinite(r.val) && r.val != 0) {
			*logv = log(fabs(r.val));
			*sign = r.val > 0 ? 1 : -1;
			return 0;
		}
		return -1;
	}
	if (s == 0) {
		*logv = -HUGE_VAL;
		*sign = 0;
		return 0;
	}
	*logv = (double)logl(fabsl(s));
	*sign = s > 0 ? 1 : -1;
	return 0;
}

int
cx_hyp2f1_log(double a, double b, double c, double z, double *logv, int *sign)
{
	*logv = NAN;
	*sign = 0;
	if (!isfinite(a) || !isfinite(b) || !isfinite(c) || !isfinite(z) ||
	    !(z < 1) || neg_int(c))
		return -1;
	if (a == 0 || b == 0) {
		*logv = 0;
		*sign = 1;
		return 0;
	}
	if (z < 0) {
		/* Pfaff: (1-z)^-a 2F1(a, c-b; c; z/(z-1)); the new argument is in
		 * (0, 1).  Take the variant whose series has the smaller numerators. */
		double w = z / (z - 1), l;
		int sg;

		if (fabs(a) * fabs(c - b) <= fabs(b) * fabs(c - a)) {
			if (log_unit(a, c - b, c, w, &l, &sg) != 0)
				return -1;
			*logv = l - a * log1p(-z);
		} else {
			if (log_unit(b, c - a, c, w, &l, &sg) != 0)
				return -1;
			*logv = l - b * log1p(-z);
		}
		*sign = sg;
		return 0;
	}
	return log_unit(a, b, c, z, logv, sign);
}

double
cx_hyp2f1(double a, double b, double c, double z)
{
	double l;
	int sg;

	if (cx_hyp2f1_log(a, b, c, z, &l, &sg) != 0)
		return NAN;
	return sg * exp(l);
}
