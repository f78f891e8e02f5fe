/*
 * accum: streaming accumulators that merge (for --partial / merge).
 *   cx_welford: count, mean and M2 (Welford 1962; merge by Chan, Golub and
 *               LeVeque 1979), never raw sums of squares.
 *   cx_ksum:    Neumaier's compensated sum (improved Kahan-Babuska).
 *   cx_xsum:    an exact fixed-point sum in integer micro-units, for values
 *               given to at most 6 decimals (durations, money): the result does
 *               not depend on the order of the additions, so a merge of
 *               partials gives the very bits a single run gives.
 * All structs are caller-owned plain values; zero-initialised is empty.
 */
#ifndef CX_ACCUM_H
#define CX_ACCUM_H

#include <stdint.h>

struct cx_welford {
	uint64_t	n;
	double		mean;
	double		m2;
};

void	cx_welford_add(struct cx_welford *, double x);
void	cx_welford_merge(struct cx_welford *dst, const struct cx_welford *src);
double	cx_welford_var(const struct cx_welford *);	/* sample variance (n-1); NaN if n < 2 */

struct cx_ksum {
	double	sum;
	double	c;		/* running compensation */
};

void	cx_ksum_add(struct cx_ksum *, double x);
void	cx_ksum_merge(struct cx_ksum *dst, const struct cx_ksum *src);
double	cx_ksum_value(const struct cx_ksum *);

#define CX_XSUM_SCALE	1000000		/* micro-units */

struct cx_xsum {
	int64_t	units;		/* sum of round(x * CX_XSUM_SCALE) */
};

/* Add x; returns -1 (and adds nothing) if |x| is too large for exact counting
 * (above 9e12 / 1e6 per value, or a sum overflow), else 0. */
int	cx_xsum_add(struct cx_xsum *, double x);
/* Add a whole number v exactly (the fast path for integer seconds). */
static inline int
cx_xsum_add_int(struct cx_xsum *s, int64_t v)
{
	if (v > 9000000000000LL || v < -9000000000000LL)
		return -1;
	v *= CX_XSUM_SCALE;
	if ((v > 0 && s->units > INT64_MAX - v) || (v < 0 && s->units < INT64_MIN - v))
		return -1;
	s->units += v;
	return 0;
}
int	cx_xsum_merge(struct cx_xsum *dst, const struct cx_xsum *src);	/* -1 on overflow */
double	cx_xsum_value(const struct cx_xsum *);
/* The sum divided by n, rounded once from the exact quotient as far as a
 * double allows; NaN when n == 0. */
double	cx_xsum_mean(const struct cx_xsum *, uint64_t n);

#endif /* CX_ACCUM_H */
