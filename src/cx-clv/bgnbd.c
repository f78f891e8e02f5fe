/*
 * BG/NBD (Fader, Hardie and Lee 2005, "Counting your customers the easy way",
 * Marketing Science 24(2), eq. 6, 10, 11) and MBG/NBD (Batislam, Denizel and
 * Filiztekin 2007, IJRM 24(3)): one code path, m = 0 or 1 shifts the dropout
 * opportunities by one (MBG/NBD lets a customer drop out right after the first
 * purchase).  The likelihood has an analytic gradient; terms that depend on x
 * only are computed once per distinct x.
 */
#include <math.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "clv.h"
#include "hyp2f1.h"

/* log of the second likelihood term relative to the first:
 * BG/NBD: log(a/(b+x-1)) + (r+x) log((alpha+T)/(alpha+t_x)), only when x > 0;
 * MBG/NBD: log(a/(b+x)) + ..., always. */
static double
lnE(const double *p, int m, double x, double tx, double T)
{
	double r = p[0], al = p[1], a = p[2], b = p[3];

	return log(a) - log(b + x - 1 + m) + (r + x) * (log(al + T) - log(al + tx));
}

/* The per-pattern part of the likelihood over patterns [lo, hi): Neumaier
 * sums of LL and of the four gradient terms into k[0..4]. */
struct pat_job {
	const double		*p;
	const struct clv_data	*d;
	int			 m, g;
	size_t			 lo, hi;
	struct clv_ksum		 k[5];
};

static void *
pat_range(void *arg)
{
	struct pat_job *j = arg;
	const struct clv_data *d = j->d;
	double r = j->p[0], al = j->p[1], a = j->p[2];
	const double *lq = d->scratch, *iq = d->scratch + d->nx;
	int m = j->m, g = j->g;
	size_t i;

	/* per pattern: three logs and one exp */
	for (i = j->lo; i < j->hi; i++) {
		double x = d->x[i], w = d->w[i], aT = al + d->T[i], laT = log(aT);

		double tl = -(r + x) * laT, tr = -laT, tal = -(r + x) / aT, ta = 0, tb = 0;

		if (x > 0 || m) {
			double atx = al + d->tx[i], latx = log(atx);
			double le = lq[d->xi[i]] + (r + x) * (laT - latx), e = exp(le);

			tl += le > 0 ? le + log(1 + 1 / e) : log(1 + e);	/* absolute error ~1e-16 is all a sum needs */
			if (g) {
				double s = le > 0 ? 1 / (1 + 1 / e) : e / (1 + e);

				tr += s * (laT - latx);
				tal += s * (r + x) * (1 / aT - 1 / atx);
				ta = s / a;
				tb = -s * iq[d->xi[i]];
			}
		}
		clv_ksum_add(&j->k[0], w * tl);
		if (g) {
			clv_ksum_add(&j->k[1], w * tr);
			clv_ksum_add(&j->k[2], w * tal);
			clv_ksum_add(&j->k[3], w * ta);
			clv_ksum_add(&j->k[4], w * tb);
		}
	}
	return NULL;
}

static double
ll_grad(const double *p, const struct clv_data *d, double *g, int m)
{
	double r = p[0], al = p[1], a = p[2], b = p[3];
	double ll = 0, gr = 0, gal = 0, ga = 0, gb = 0;
	double lal = log(al), la = log(a), lgr = gsl_sf_lngamma(r), lgab = gsl_sf_lngamma(a + b);
	double lgb = gsl_sf_lngamma(b), psr = 0, psab = 0, psb = 0;
	double *lq = d->scratch, *iq = d->scratch + d->nx;	/* per x: log(a/(b+x-1+m)), 1/(b+x-1+m) */
	struct pat_job job[2] = { { 0 } };
	struct clv_ksum *k = job[0].k;
	size_t i, h;

	if (g) {
		psr = gsl_sf_psi(r);
		psab = gsl_sf_psi(a + b);
		psb = gsl_sf_psi(b);
	}
	for (i = 0; i < d->nx; i++) {
		double x = d->xv[i], w = d->xw[i];

		/* log Gamma(r+x)/Gamma(r) alpha^r + log B(a, b+x+m)/B(a, b) */
		ll += w * (gsl_sf_lngamma(r + x) - lgr + r * lal +
		    gsl_sf_lngamma(b + x + m) - gsl_sf_lngamma(a + b + x + m) - lgb + lgab);
		if (g) {
			double pabx = gsl_sf_psi(a + b + x + m);

			gr += w * (gsl_sf_psi(r + x) - psr + lal);
			gal += w * r / al;
			ga += w * (psab - pabx);
			gb += w * (gsl_sf_psi(b + x + m) - pabx - psb + psab);
		}
		lq[i] = la - log(b + x - 1 + m);
		iq[i] = 1 / (b + x - 1 + m);
	}
	/* Large data: two fixed halves, the second on another thread; their
	 * sums are added in a fixed order, so the result does not depend on
	 * whether the thread could run.  Smaller data: one pass, as always. */
	h = d->n >= CLV_PAR_MIN ? d->n / 2 : d->n;
	for (i = 0; i < 2; i++) {
		job[i].p = p;
		job[i].d = d;
		job[i].m = m;
		job[i].g = g != NULL;
	}
	job[0].hi = job[1].lo = h;
	job[1].hi = d->n;
	if (h < d->n) {
		clv_par2(pat_range, &job[0], &job[1]);
		for (i = 0; i < 5; i++)
			clv_ksum_merge(&k[i], &job[1].k[i]);
	} else {
		pat_range(&job[0]);
	}
	if (g) {
		g[0] = gr + clv_ksum_value(&k[1]);
		g[1] = gal + clv_ksum_value(&k[2]);
		g[2] = ga + clv_ksum_value(&k[3]);
		g[3] = gb + clv_ksum_value(&k[4]);
	}
	return ll + clv_ksum_value(&k[0]);
}

/*
 * The Hessian in (r, alpha, a, b).  Per x: trigamma terms of the Gamma and
 * Beta functions.  Per pattern: tl = -(r+x) log(alpha+T) + softplus(le) with
 * le = log(a/(b+x-1+m)) + (r+x) (log(alpha+T) - log(alpha+t_x)), so
 * d2 tl = d2 base + s d2 le + s (1-s) dle dle', s = 1/(1+e^-le).  Summed in
 * plain doubles: it serves the last Newton step and the standard errors,
 * which need far fewer digits than the likelihood.
 */
static int
ll_hess(const double *p, const struct clv_data *d, double *H, int m)
{
	double r = p[0], al = p[1], a = p[2], b = p[3];
	double h[4][4] = { { 0 } }, ptr = gsl_sf_psi_1(r), ptab = gsl_sf_psi_1(a + b);
	double ptb = gsl_sf_psi_1(b), la = log(a);
	size_t i;
	int j, k;

	for (i = 0; i < d->nx; i++) {
		double x = d->xv[i], w = d->xw[i], pt = gsl_sf_psi_1(a + b + x + m);

		h[0][0] += w * (gsl_sf_psi_1(r + x) - ptr);
		h[0][1] += w / al;
		h[1][1] -= w * r / (al * al);
		h[2][2] += w * (ptab - pt);
		h[2][3] += w * (ptab - pt);
		h[3][3] += w * (gsl_sf_psi_1(b + x + m) - pt - ptb + ptab);
	}
	for (i = 0; i < d->n; i++) {
		double x = d->x[i], w = d->w[i], aT = al + d->T[i];

		h[0][1] -= w / aT;
		h[1][1] += w * (r + x) / (aT * aT);
		if (x > 0 || m) {
			double atx = al + d->tx[i], D = log(aT) - log(atx), E = 1 / aT - 1 / atx;
			double iq = 1 / (b + x - 1 + m), le = la + log(iq) + (r + x) * D;
			double s = le > 0 ? 1 / (1 + exp(-le)) : exp(le) / (1 + exp(le));
			double v = s * (1 - s), dl[4] = { D, (r + x) * E, 1 / a, -iq };

			for (j = 0; j < 4; j++)
				for (k = j; k < 4; k++)
					h[j][k] += w * v * dl[j] * dl[k];
			h[0][1] += w * s * E;
			h[1][1] += w * s * (r + x) * (1 / (atx * atx) - 1 / (aT * aT));
			h[2][2] -= w * s / (a * a);
			h[3][3] += w * s * iq * iq;
		}
	}
	for (j = 0; j < 4; j++)
		for (k = j; k < 4; k++)
			H[j * 4 + k] = H[k * 4 + j] = h[j][k];
	return 0;
}

static int bg_hess(const double *p, const struct clv_data *d, double *h) { return ll_hess(p, d, h, 0); }
static int mbg_hess(const double *p, const struct clv_data *d, double *h) { return ll_hess(p, d, h, 1); }

static double bg_ll(const double *p, const struct clv_data *d) { return ll_grad(p, d, NULL, 0); }
static double bg_llg(const double *p, const struct clv_data *d, double *g) { return ll_grad(p, d, g, 0); }
static double mbg_ll(const double *p, const struct clv_data *d) { return ll_grad(p, d, NULL, 1); }
static double mbg_llg(const double *p, const struct clv_data *d, double *g) { return ll_grad(p, d, g, 1); }

static double
palive(const double *p, int m, double x, double tx, double T)
{
	if (x == 0 && !m)
		return 1;
	return 1 / (1 + exp(lnE(p, m, x, tx, T)));
}

static double bg_palive(const double *p, double x, double tx, double T) { return palive(p, 0, x, tx, T); }
static double mbg_palive(const double *p, double x, double tx, double T) { return palive(p, 1, x, tx, T); }

/*
 * E[Y(t) | alive at T, x, t_x, T] = c/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x)
 *     2F1(r+x, b+x+m; c; z)],  c = a+b+x-1+m, z = t/(alpha+T+t).
 * Euler's transformation turns the 2F1 into (1-z)^(a-1-r-x) F with
 * F = 2F1(a+b-1-r+m, a-1; c; z), whose numerator parameters do not grow with
 * x (no overflow for large x), and the bracket becomes
 * -expm1((a-1)L) - (1-z)^(a-1) (F-1), L = log(1-z).  (F-1)/(a-1) is summed
 * directly, so a = 1 is no special case.
 */
static double
alive_expectation(const double *p, int m, double x, double T, double t)
{
	double r = p[0], al = p[1], a = p[2], b = p[3];
	double c = a + b + x - 1 + m, q = a + b - 1 - r + m;
	double z = t / (al + T + t), L = log1p(-z), k = a - 1;
	double term, S = 0, br;
	long n;

	if (t <= 0)
		return 0;
	/* S = sum_{n>=1} (q)_n (a)_{n-1} z^n / ((c)_n n!) */
	term = q * z / c;
	for (n = 1; n < 1000000; n++) {
		S += term;
		if (fabs(term) <= 1e-17 * fabs(S) || term == 0)
			break;
		term *= (q + n) * (a + n - 1) * z / ((c + n) * (n + 1));
	}
	if (n == 1000000) {
		double F = cx_hyp2f1(q, a - 1, c, z);

		S = k != 0 ? (F - 1) / k : 0;
	}
	br = clv_expm1_ratio(k, L) - exp(k * L) * S;
	return c * br;
}

static double
condexp(const double *p, int m, double x, double tx, double T, double t)
{
	return alive_expectation(p, m, x, T, t) * palive(p, m, x, tx, T);
}

static double bg_condexp(const double *p, double x, double tx, double T, double t) { return condexp(p, 0, x, tx, T, t); }
static double mbg_condexp(const double *p, double x, double tx, double T, double t) { return condexp(p, 1, x, tx, T, t); }

/* P(Y(t) > 0): alive at T, then no purchase in t given lambda ~ Gamma(r+x, alpha+T)
 * (dropout happens only right after a purchase). */
static double
ppurchase(const double *p, int m, double x, double tx, double T, double t)
{
	double L = log(p[1] + T) - log(p[1] + T + t);

	return palive(p, m, x, tx, T) * -expm1((p[0] + x) * L);
}

static double bg_pp(const double *p, double x, double tx, double T, double t) { return ppurchase(p, 0, x, tx, T, t); }
static double mbg_pp(const double *p, double x, double tx, double T, double t) { return ppurchase(p, 1, x, tx, T, t); }

const struct clv_model clv_bgnbd = {
	"bgnbd", "BG/NBD (Fader, Hardie and Lee 2005)", 0, 0, 4,
	{ "r", "alpha", "a", "b" }, { 1, 1, 1, 1 },
	bg_ll, bg_llg, bg_palive, bg_condexp, bg_pp, bg_hess
};

const struct clv_model clv_mbgnbd = {
	"mbgnbd", "MBG/NBD (Batislam, Denizel and Filiztekin 2007)", 0, 0, 4,
	{ "r", "alpha", "a", "b" }, { 1, 1, 1, 1 },
	mbg_ll, mbg_llg, mbg_palive, mbg_condexp, mbg_pp, mbg_hess
};
