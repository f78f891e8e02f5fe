/* accum: Welford, Neumaier and exact fixed-point accumulators with merges. */
#include <math.h>
#include <stdint.h>

#include "accum.h"

void
cx_welford_add(struct cx_welford *w, double x)
{
	double d = x - w->mean;

	w->n++;
	w->mean += d / (double)w->n;
	w->m2 += d * (x - w->mean);
}

void
cx_welford_merge(struct cx_welford *dst, const struct cx_welford *src)
{
	double n1 = (double)dst->n, n2 = (double)src->n, d;

	if (src->n == 0)
		return;
	if (dst->n == 0) {
		*dst = *src;
		return;
	}
	/* Chan, Golub & LeVeque (1979), eq. 2.1b. */
	d = src->mean - dst->mean;
	dst->mean += d * n2 / (n1 + n2);
	dst->m2 += src->m2 + d * d * n1 * n2 / (n1 + n2);
	dst->n += src->n;
}

double
cx_welford_var(const struct cx_welford *w)
{
	return w->n < 2 ? NAN : w->m2 / (double)(w->n - 1);
}

void
cx_ksum_add(struct cx_ksum *k, double x)
{
	double t = k->sum + x;

	/* Neumaier (1974): compensate whichever operand lost low-order bits. */
	if (fabs(k->sum) >= fabs(x))
		k->c += (k->sum - t) + x;
	else
		k->c += (x - t) + k->sum;
	k->sum = t;
}

void
cx_ksum_merge(struct cx_ksum *dst, const struct cx_ksum *src)
{
	cx_ksum_add(dst, src->sum);
	dst->c += src->c;
}

double
cx_ksum_value(const struct cx_ksum *k)
{
	return k->sum + k->c;
}

#define XSUM_MAX_VALUE	9e12	/* |x| * 1e6 stays far inside int64 */

int
cx_xsum_add(struct cx_xsum *s, double x)
{
	double u;
	int64_t v;

	if (!(fabs(x) <= XSUM_MAX_VALUE))
		return -1;
	u = x * CX_XSUM_SCALE;
	v = (int64_t)llround(u);
	if ((v > 0 && s->units > INT64_MAX - v) || (v < 0 && s->units < INT64_MIN - v))
		return -1;
	s->units += v;
	return 0;
}

int
cx_xsum_merge(struct cx_xsum *dst, const struct cx_xsum *src)
{
	int64_t v = src->units;

	if ((v > 0 && dst->units > INT64_MAX - v) || (v < 0 && dst->units < INT64_MIN - v))
		return -1;
	dst->units += v;
	return 0;
}

double
cx_xsum_value(const struct cx_xsum *s)
{
	/* Exact below 2^53 units (9e9 seconds of talk), then rounded once. */
	return (double)s->units / CX_XSUM_SCALE;
}

double
cx_xsum_mean(const struct cx_xsum *s, uint64_t n)
{
	if (n == 0)
		return NAN;
	/* Units up to 2^53 convert exactly; the quotient is then rounded once. */
	return (double)s->units / ((double)n * CX_XSUM_SCALE);
}
