/*
 * Pareto/NBD (Schmittlein, Morrison and Colombo 1987), likelihood and P(alive)
 * as in Fader and Hardie (2005), "A note on deriving the Pareto/NBD model and
 * related expressions", eq. 19-22 (the A0 term with 2F1, branch on alpha >= beta),
 * conditional expectation eq. 20.  Everything is kept in logs: (alpha+t_x)^(r+s+x)
 * overflows a double for large x.
 */
#include <math.h>

#include <gsl/gsl_sf_gamma.h>

#include "clv.h"
#include "hyp2f1.h"

/* log A0 (the integral term), -inf when t_x = T; NaN if 2F1 failed. */
static double
log_a0(const double *p, double x, double tx, double T)
{
	double r = p[0], al = p[1], s = p[2], be = p[3], k = r + s + x;
	double l1, l2, big, b2;
	int s1, s2;

	if (tx >= T)
		return -HUGE_VAL;
	if (al >= be) {
		big = al;
		b2 = s + 1;
	} else {
		big = be;
		b2 = r + x;
	}
	if (cx_hyp2f1_log(k, b2, k + 1, fabs(al - be) / (big + tx), &l1, &s1) != 0 ||
	    cx_hyp2f1_log(k, b2, k + 1, fabs(al - be) / (big + T), &l2, &s2) != 0)
		return NAN;
	l1 -= k * log(big + tx);
	l2 -= k * log(big + T);
	if (!(l2 < l1))
		return -HUGE_VAL;	/* equal to rounding: t_x ~ T */
	return l1 + log(-expm1(l2 - l1));
}

/* log of the bracket's first term and the log-ratio of the second to it. */
static double
parts(const double *p, double x, double tx, double T, double *lrat)
{
	double r = p[0], al = p[1], s = p[2], be = p[3];
	double l0 = -(r + x) * log(al + T) - s * log(be + T);
	double la = log_a0(p, x, tx, T);

	*lrat = log(s / (r + s + x)) + la - l0;
	return l0;
}

static double
pnbd_ll(const double *p, const struct clv_data *d)
{
	double r = p[0], al = p[1], s = p[2], be = p[3];
	double ll = 0, lgr = gsl_sf_lngamma(r), c = r * log(al) + s * log(be);
	size_t i;

	for (i = 0; i < d->nx; i++)
		ll += d->xw[i] * (gsl_sf_lngamma(r + d->xv[i]) - lgr + c);
	for (i = 0; i < d->n; i++) {
		double lrat, l0 = parts(p, d->x[i], d->tx[i], d->T[i], &lrat);

		if (isnan(lrat))
			return NAN;
		ll += d->w[i] * (l0 + clv_log1pexp(lrat));
	}
	return ll;
}

static double
pnbd_palive(const double *p, double x, double tx, double T)
{
	double lrat;

	parts(p, x, tx, T, &lrat);
	if (isnan(lrat))
		return NAN;
	return 1 / (1 + exp(lrat));
}

static double
pnbd_condexp(const double *p, double x, double tx, double T, double t)
{
	double r = p[0], al = p[1], s = p[2], be = p[3];
	double L = log(be + T) - log(be + T + t);

	if (t <= 0)
		return 0;
	return (r + x) * (be + T) / (al + T) * clv_expm1_ratio(s - 1, L) *
	    pnbd_palive(p, x, tx, T);
}

/*
 * P(at least one purchase in (T, T+t]).  Given alive at T the posterior is
 * lambda ~ Gamma(r+x, alpha+T), mu ~ Gamma(s, beta+T), independent, and no
 * purchase happens with probability mu/(lambda+mu) + lambda/(lambda+mu)
 * e^-(lambda+mu)t.  Writing mu/(lambda+mu) (1 - e^-(lambda+mu)t) as
 * mu int_0^t e^-(lambda+mu)u du and taking expectations:
 *   P(none | alive) = ((alpha+T)/(alpha+T+t))^(r+x) ((beta+T)/(beta+T+t))^s
 *     + s (alpha+T)^(r+x) (beta+T)^s int_T^{T+t} (alpha+v)^-(r+x) (beta+v)^-(s+1) dv,
 * and the integral is the likelihood's A0 term over (T, T+t).
 */
static double
pnbd_ppurchase(const double *p, double x, double tx, double T, double t)
{
	double r = p[0], al = p[1], s = p[2], be = p[3], k = r + s + x;
	double la, lb, none;

	if (t <= 0)
		return 0;
	la = (r + x) * (log(al + T) - log(al + T + t)) + s * (log(be + T) - log(be + T + t));
	lb = log(s / k) + s * log(be + T) + (r + x) * log(al + T) + log_a0(p, x, T, T + t);
	none = exp(la) + exp(lb);
	if (isnan(none))
		return NAN;
	return pnbd_palive(p, x, tx, T) * fmax(0, 1 - none);
}

const struct clv_model clv_pnbd = {
	"pnbd", "Pareto/NBD (Schmittlein, Morrison and Colombo 1987)", 0, 0, 4,
	{ "r", "alpha", "s", "beta" }, { 1, 1, 1, 1 },
	pnbd_ll, NULL, pnbd_palive, pnbd_condexp, pnbd_ppurchase
};
