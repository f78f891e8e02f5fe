/*
 * Pareto/NBD (Schmittlein, Morrison and Colombo 1987), likelihood and P(alive)
 * as in Fader and Hardie (2005), "A note on deriving the Pareto/NBD model and
 * related expressions", eq. 19-22 (the A0 term with 2F1, branch on alpha >= beta),
 * conditional expectation eq. 20.  Everything is kept in logs: (alpha+t_x)^(r+s+x)
 * overflows a double for large x.  The fit uses an analytic gradient (pnbd_llg,
 * checked against central differences by the --x-gradient tests).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

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

/*
 * The analytic gradient.  With I = int_{t_x}^T (alpha+t)^-(r+x) (beta+t)^-(s+1) dt
 * (the A0 term is (r+s+x) I), a customer's likelihood is
 * alpha^r beta^s Gamma(r+x)/Gamma(r) [e^l0 + s I].  For alpha >= beta,
 *   I = G(z_tx) (alpha+t_x)^-k - G(z_T) (alpha+T)^-k,  k = r+s+x,
 *   z_t = (alpha-beta)/(alpha+t),  G(z) = 2F1(k, s+1; k+1; z)/k
 *       = sum_n (s+1)_n z^n / (n! (k+n))
 * (Fader and Hardie 2005, eq. 22, with (k)_n/(k+1)_n = k/(k+n)); for alpha < beta
 * swap alpha and beta and use b = r+x for s+1.  The series has positive terms
 * and gives G, dG/dk, dG/db and dG/dz together, so one pass per end point
 * yields the value and all four derivatives.  Where it would be slow (z > 0.9)
 * or fails, the customer's term is differentiated numerically instead.
 */
struct gser {
	double	lg;		/* log G */
	double	gk, gb, gz;	/* dG/dk, dG/db, dG/dz, each divided by G */
};

static int
g_series(double k, double b, double z, struct gser *o)
{
	double c = 1, H = 0, G = 0, Gk = 0, Gb = 0, Gn = 0, lsc = 0;
	long n;

	if (!(z >= 0 && z <= 0.9 && k > 0 && b > 0))
		return -1;
	/* c_n = (b)_n z^n / n!, H_n = sum_{j<n} 1/(b+j); Gn = sum n c_n/(k+n) = z G_z */
	for (n = 0; n < 20000; n++) {
		double inv = 1 / (k + n), tG = c * inv, tB = tG * H, tN = n * tG;

		G += tG;
		Gk -= tG * inv;
		Gb += tB;
		Gn += tN;
		if (z == 0 || (n > 0 && (b + n) * z < n + 1 &&
		    tG <= 1e-17 * (1 - z) * G && tB <= 1e-17 * (1 - z) * Gb &&
		    tN <= 1e-17 * (1 - z) * Gn))
			break;
		H += 1 / (b + n);
		c *= (b + n) * z / (n + 1);
		if (c > 1e200) {	/* large b near the peak: rescale */
			c *= 1e-200; G *= 1e-200; Gk *= 1e-200; Gb *= 1e-200; Gn *= 1e-200;
			lsc += 200 * M_LN10;
		}
	}
	if (n == 20000 || !(G > 0) || !isfinite(Gb) || !isfinite(Gn))
		return -1;
	o->lg = log(G) + lsc;
	o->gk = Gk / G;
	o->gb = Gb / G;
	o->gz = z > 0 ? Gn / z / G : b / (k + 1) / G;
	return 0;
}

/* log(G(z_t) (big+t)^-k) and its derivatives d[0..3] in r, alpha, s, beta. */
static int
end_point(const double *p, double x, double t, double *lv, double *d)
{
	double r = p[0], al = p[1], s = p[2], be = p[3], k = r + s + x;
	struct gser g;

	if (al >= be) {
		double at = al + t;

		if (g_series(k, s + 1, (al - be) / at, &g) != 0)
			return -1;
		*lv = g.lg - k * log(at);
		d[0] = g.gk - log(at);
		d[1] = g.gz * (be + t) / (at * at) - k / at;
		d[2] = g.gk + g.gb - log(at);
		d[3] = -g.gz / at;
	} else {
		double bt = be + t;

		if (g_series(k, r + x, (be - al) / bt, &g) != 0)
			return -1;
		*lv = g.lg - k * log(bt);
		d[0] = g.gk + g.gb - log(bt);
		d[1] = -g.gz / bt;
		d[2] = g.gk - log(bt);
		d[3] = g.gz * (al + t) / (bt * bt) - k / bt;
	}
	return 0;
}

/* One customer's term l0 + log(1 + e^lrat) (the part that is not per x). */
static double
term(const double *p, double x, double tx, double T)
{
	double lrat, l0 = parts(p, x, tx, T, &lrat);

	return l0 + clv_log1pexp(lrat);
}

/* The term and its gradient by central differences (the fallback). */
static double
term_numeric(const double *p, double x, double tx, double T, double *g)
{
	double q[4], v = term(p, x, tx, T);
	int j;

	for (j = 0; j < 4; j++) {
		double h = 1e-6 * p[j], fp, fm;

		memcpy(q, p, sizeof q);
		q[j] = p[j] + h;
		fp = term(q, x, tx, T);
		q[j] = p[j] - h;
		fm = term(q, x, tx, T);
		g[j] = (fp - fm) / (2 * h);
	}
	return v;
}

/* The per-customer part over patterns [lo, hi): Neumaier sums of LL and the
 * four gradient terms; bad is set when a term is NaN. */
struct pat_job {
	const double		*p;
	const struct clv_data	*d;
	size_t			 lo, hi;
	struct clv_ksum		 k[5];
	int			 bad;
};

static void *
pat_range(void *arg)
{
	struct pat_job *jb = arg;
	const struct clv_data *d = jb->d;
	const double *p = jb->p;
	double r = p[0], al = p[1], s = p[2], be = p[3];
	const double *z0 = d->scratch, *l0v = d->scratch + d->nx, *d0 = d->scratch + 2 * d->nx;
	size_t i;
	int j;

	for (i = jb->lo; i < jb->hi; i++) {
		double x = d->x[i], tx = d->tx[i], T = d->T[i], w = d->w[i];
		double l0 = -(r + x) * log(al + T) - s * log(be + T), v, tg[4];
		double dl0[4] = { -log(al + T), -(r + x) / (al + T), -log(be + T), -s / (be + T) };

		if (tx >= T) {
			v = l0;
			memcpy(tg, dl0, sizeof tg);
		} else {
			double l1, l2, d1[4], d2[4];
			const double *pd1 = d1;
			size_t xi = d->xi[i];
			int ok;

			if (tx == 0) {
				ok = z0[xi] > 0;
				l1 = l0v[xi];
				pd1 = &d0[4 * xi];
			} else {
				ok = end_point(p, x, tx, &l1, d1) == 0;
			}
			if (ok)
				ok = end_point(p, x, T, &l2, d2) == 0;
			if (ok && l2 < l1) {
				/* log(s I) - l0, and d log I = (d1 - rho d2)/(1 - rho) */
				double rho = exp(l2 - l1), om = -expm1(l2 - l1);
				double lrat = log(s) + l1 + log(om) - l0;
				double q = lrat > 0 ? 1 / (1 + exp(-lrat)) : exp(lrat) / (1 + exp(lrat));

				v = l0 + clv_log1pexp(lrat);
				for (j = 0; j < 4; j++) {
					double dI = (pd1[j] - rho * d2[j]) / om + (j == 2 ? 1 / s : 0);

					tg[j] = (1 - q) * dl0[j] + q * dI;
				}
			} else if (ok) {
				v = l0;		/* t_x ~ T to rounding: no second term */
				memcpy(tg, dl0, sizeof tg);
			} else {
				v = term_numeric(p, x, tx, T, tg);
			}
		}
		if (isnan(v)) {
			jb->bad = 1;
			return NULL;
		}
		clv_ksum_add(&jb->k[0], w * v);
		for (j = 0; j < 4; j++)
			clv_ksum_add(&jb->k[j + 1], w * tg[j]);
	}
	return NULL;
}

static double
pnbd_llg(const double *p, const struct clv_data *d, double *g)
{
	double r = p[0], al = p[1], s = p[2], be = p[3];
	double ll = 0, lgr = gsl_sf_lngamma(r), c = r * log(al) + s * log(be);
	double gx[4] = { 0, 0, 0, 0 }, psr = gsl_sf_psi(r);
	/* per x: the t = 0 end point (shared by every customer with t_x = 0) */
	double *z0 = d->scratch, *l0v = d->scratch + d->nx, *d0 = d->scratch + 2 * d->nx;
	struct pat_job job[2] = { { 0 } };
	struct clv_ksum *k = job[0].k;
	size_t i, h;
	int j;

	for (i = 0; i < d->nx; i++) {
		double w = d->xw[i];

		ll += w * (gsl_sf_lngamma(r + d->xv[i]) - lgr + c);
		gx[0] += w * (gsl_sf_psi(r + d->xv[i]) - psr + log(al));
		gx[1] += w * r / al;
		gx[2] += w * log(be);
		gx[3] += w * s / be;
		z0[i] = end_point(p, d->xv[i], 0, &l0v[i], &d0[4 * i]) == 0 ? 1 : -1;
	}
	/* as in bgnbd.c: two fixed halves on large data, one pass otherwise */
	h = d->n >= CLV_PAR_MIN ? d->n / 2 : d->n;
	job[0].p = job[1].p = p;
	job[0].d = job[1].d = d;
	job[0].hi = job[1].lo = h;
	job[1].hi = d->n;
	if (h < d->n) {
		clv_par2(pat_range, &job[0], &job[1]);
		for (j = 0; j < 5; j++)
			clv_ksum_merge(&k[j], &job[1].k[j]);
	} else {
		pat_range(&job[0]);
	}
	if (job[0].bad || job[1].bad)
		return NAN;
	if (g)
		for (j = 0; j < 4; j++)
			g[j] = gx[j] + clv_ksum_value(&k[j + 1]);
	return ll + clv_ksum_value(&k[0]);
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
	pnbd_ll, pnbd_llg, pnbd_palive, pnbd_condexp, pnbd_ppurchase, NULL
};
