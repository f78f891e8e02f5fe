/*
 * BG/BB for discrete transaction opportunities (Fader, Hardie and Shang 2010,
 * "Customer-base analysis in a discrete-time noncontractual setting", Marketing
 * Science 29(6)): likelihood eq. 5, P(alive) eq. 11, conditional expectation
 * eq. 13.  Data: x repeat transactions, t_x the opportunity of the last one,
 * n opportunities (held in clv_data.T).  Sums are done with log-sum-exp.
 */
#include <math.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "clv.h"

static double
lbeta(double a, double b)
{
	return gsl_sf_lnbeta(a, b);
}

/* log L(alpha, beta, gamma, delta | x, t_x, n) */
static double
bgbb_one(const double *p, double x, double tx, double n)
{
	double al = p[0], be = p[1], ga = p[2], de = p[3];
	double lab = lbeta(al, be), lgd = lbeta(ga, de);
	double m = lbeta(al + x, be + n - x) - lab + lbeta(ga, de + n) - lgd, s;
	double terms[4096];
	long i, k = (long)(n - tx);

	if (k > 4096)
		return NAN;
	terms[0] = m;
	for (i = 0; i < k; i++) {
		terms[i + 1] = lbeta(al + x, be + tx - x + i) - lab +
		    lbeta(ga + 1, de + tx + i) - lgd;
		if (terms[i + 1] > m)
			m = terms[i + 1];
	}
	s = 0;
	for (i = 0; i <= k; i++)
		s += exp(terms[i] - m);
	return m + log(s);
}

static double
bgbb_ll(const double *p, const struct clv_data *d)
{
	double ll = 0;
	size_t i;

	for (i = 0; i < d->n; i++)
		ll += d->w[i] * bgbb_one(p, d->x[i], d->tx[i], d->T[i]);
	return ll;
}

static double
bgbb_palive(const double *p, double x, double tx, double n)
{
	double al = p[0], be = p[1], ga = p[2], de = p[3];

	return exp(lbeta(al + x, be + n - x) - lbeta(al, be) +
	    lbeta(ga, de + n + 1) - lbeta(ga, de) - bgbb_one(p, x, tx, n));
}

/* Expected transactions in the next t opportunities. */
static double
bgbb_condexp(const double *p, double x, double tx, double n, double t)
{
	double al = p[0], be = p[1], ga = p[2], de = p[3];
	double d1, d2, la;

	if (t <= 0)
		return 0;
	la = lbeta(al + x + 1, be + n - x) - lbeta(al, be) + log(de) +
	    gsl_sf_lngamma(ga + de) - gsl_sf_lngamma(1 + de) - bgbb_one(p, x, tx, n);
	d1 = gsl_sf_lngamma(1 + de + n) - gsl_sf_lngamma(ga + de + n);
	d2 = gsl_sf_lngamma(1 + de + n + t) - gsl_sf_lngamma(ga + de + n + t);
	/* [exp(d1) - exp(d2)] / (gamma - 1), both factors change sign together */
	if (ga == 1)
		return exp(la + d1) * (gsl_sf_psi(1 + de + n + t) - gsl_sf_psi(1 + de + n));
	return exp(la + d1) * -expm1(d2 - d1) / (ga - 1);
}

/*
 * P(at least one transaction in the next t opportunities).  Given alive at
 * opportunity n+1 (the event of eq. 11), p ~ Beta(alpha+x, beta+n-x) and
 * theta ~ Beta(gamma, delta+n+1); with no transaction in an opportunity the
 * customer may die before the next one, so
 *   P(none | p, theta) = sum_{j=1}^{t-1} (1-p)^j (1-theta)^(j-1) theta
 *                        + (1-p)^t (1-theta)^(t-1),
 * and each term's expectation is a ratio of beta functions.
 */
static double
bgbb_ppurchase(const double *p, double x, double tx, double n, double t)
{
	double al = p[0], be = p[1], ga = p[2], de = p[3];
	double lbp = lbeta(al + x, be + n - x), lbt = lbeta(ga, de + n + 1), none = 0;
	long j, T = (long)t;

	if (T <= 0)
		return 0;
	for (j = 1; j < T; j++)
		none += exp(lbeta(al + x, be + n - x + j) - lbp +
		    lbeta(ga + 1, de + n + j) - lbt);
	none += exp(lbeta(al + x, be + n - x + T) - lbp + lbeta(ga, de + n + T) - lbt);
	return bgbb_palive(p, x, tx, n) * fmax(0, 1 - none);
}

const struct clv_model clv_bgbb = {
	"bgbb", "BG/BB (Fader, Hardie and Shang 2010)", 1, 0, 4,
	{ "alpha", "beta", "gamma", "delta" }, { 1, 1, 1, 1 },
	bgbb_ll, NULL, bgbb_palive, bgbb_condexp, bgbb_ppurchase, NULL
};
