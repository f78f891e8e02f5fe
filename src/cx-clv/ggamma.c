/*
 * Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV: using
 * iso-value curves for customer base analysis", JMR 42(4); Fader and Hardie
 * 2013, "The Gamma-Gamma model of monetary value", eq. 1 and 5).  Fitted on the
 * customers with x > 0 and their mean repeat spend zbar; analytic gradient.
 */
#include <math.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "clv.h"

static double
gg_llg(const double *par, const struct clv_data *d, double *g)
{
	double p = par[0], q = par[1], ga = par[2];
	double ll = 0, gp = 0, gq = 0, gg = 0;
	double lgq = gsl_sf_lngamma(q), lga = log(ga), psq = g ? gsl_sf_psi(q) : 0;
	double *lx = d->scratch, *psx = d->scratch + d->nx, *lgx = d->scratch + 2 * d->nx;
	double *ppq = d->scratch + 3 * d->nx;
	size_t i;

	/* terms that depend on x only */
	for (i = 0; i < d->nx; i++) {
		double x = d->xv[i], px = p * x;

		lx[i] = log(x);
		lgx[i] = gsl_sf_lngamma(px + q) - gsl_sf_lngamma(px) - lgq + q * lga + px * lx[i];
		if (g) {
			ppq[i] = gsl_sf_psi(px + q);
			psx[i] = ppq[i] - gsl_sf_psi(px);
		}
	}
	for (i = 0; i < d->n; i++) {
		size_t k = d->xi[i];
		double x = d->x[i], z = d->z[i], w = d->w[i], px = p * x;
		double lz = d->lz[i], lden = log(ga + x * z);

		ll += w * (lgx[k] + (px - 1) * lz - (px + q) * lden);
		if (g) {
			gp += w * x * (psx[k] + lz + lx[k] - lden);
			gq += w * (ppq[k] - psq + lga - lden);
			gg += w * (q / ga - (px + q) / (ga + x * z));
		}
	}
	if (g) {
		g[0] = gp;
		g[1] = gq;
		g[2] = gg;
	}
	return ll;
}

static double
gg_ll(const double *par, const struct clv_data *d)
{
	return gg_llg(par, d, NULL);
}

/* E[Z | x, zbar] = p (gamma + x zbar) / (p x + q - 1); the population mean
 * p gamma / (q - 1) when x = 0.  NaN when q <= 1 (no finite mean). */
double
clv_gg_expected(const double *par, double x, double zbar)
{
	double p = par[0], q = par[1], ga = par[2];

	if (x > 0 && !(zbar == zbar))
		x = 0;
	if (x == 0)
		return q > 1 ? p * ga / (q - 1) : NAN;
	return p * (ga + x * zbar) / (p * x + q - 1);
}

const struct clv_model clv_ggamma = {
	"gamma-gamma", "Gamma-Gamma spend (Fader, Hardie and Lee 2005)", 0, 1, 3,
	{ "p", "q", "gamma" }, { 1, 1, 1 },
	gg_ll, gg_llg, NULL, NULL, NULL, NULL
};
