/*
 * km: Kaplan-Meier curves with Greenwood errors and R's confidence bands
 * (survival:::survfit_confint), the at-risk table at fixed ticks, quantiles by
 * quantile.survfit's rule, restricted mean by survmean, and the life table.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "cxerr.h"
#include "churn.h"

struct curve {
	size_t	 n;
	double	*time, *nrisk, *nevent, *ncensor, *surv, *seh, *lower, *upper, *cumhaz;
	double	 nrows;
};

static double
zval(double conf)
{
	return gsl_cdf_ugaussian_Pinv(1 - (1 - conf) / 2);
}

/* R's survfit_confint for one point: p survival, se the standard error of the cumulative hazard. */
static void
confint(int type, double z, double p, double se, double *lo, double *hi)
{
	if (isnan(se) || isinf(se)) {
		*lo = *hi = NAN;
		if (type == CI_PLAIN && p == 0 && isinf(se))
			*lo = *hi = NAN;
		return;
	}
	switch (type) {
	case CI_PLAIN: {
		double s2 = se * p * z;
		*lo = fmax(p - s2, 0);
		*hi = fmin(p + s2, 1);
		break;
	}
	case CI_LOG:
		if (p == 0) {
			*lo = *hi = NAN;
			break;
		}
		*lo = exp(log(p) - z * se);
		*hi = fmin(exp(log(p) + z * se), 1);
		break;
	default:
		if (p == 0 || p == 1) {
			*lo = *hi = NAN;
			break;
		}
		{
			double s2 = z * se / log(p);
			*lo = exp(-exp(log(-log(p)) - s2));
			*hi = exp(-exp(log(-log(p)) + s2));
		}
	}
}

static void
curve_build(struct curve *c, const struct ttab *t, const struct churn_opts *o)
{
	double atrisk = 0, s = 1, v = 0, h = 0, z = zval(o->conf);
	size_t i;

	memset(c, 0, sizeof(*c));
	c->n = t->n;
#define A(f) c->f = cx_xmalloc((t->n + 1) * sizeof(double))
	A(time); A(nrisk); A(nevent); A(ncensor); A(surv); A(seh); A(lower); A(upper); A(cumhaz);
#undef A
	for (i = 0; i < t->n; i++) {
		atrisk += t->nevent[i] + t->ncensor[i];
		c->nrows += (double)t->rows[i];
	}
	for (i = 0; i < t->n; i++) {
		double d = t->nevent[i], n = atrisk;
		c->time[i] = t->time[i];
		c->nrisk[i] = n;
		c->nevent[i] = d;
		c->ncensor[i] = t->ncensor[i];
		if (d > 0) {
			s *= (n - d) / n;
			h += d / n;
			v = (n > d) ? v + d / (n * (n - d)) : INFINITY;
		}
		c->surv[i] = s;
		c->cumhaz[i] = h;
		c->seh[i] = sqrt(v);
		confint(o->ci, z, s, c->seh[i], &c->lower[i], &c->upper[i]);
		atrisk -= t->nevent[i] + t->ncensor[i];
	}
}

static void
curve_free(struct curve *c)
{
	free(c->time); free(c->nrisk); free(c->nevent); free(c->ncensor); free(c->surv);
	free(c->seh); free(c->lower); free(c->upper); free(c->cumhaz);
}

/* The header of a per-group table: the --by columns, then cols. */
static void
by_header(struct cx_csvout *out, const struct churn_opts *o, const char *const *cols,
    size_t ncols)
{
	size_t i;

	for (i = 0; i < o->nby; i++)
		cx_csvout_str(out, o->by[i]);
	for (i = 0; i < ncols; i++)
		cx_csvout_str(out, cols[i]);
	cx_csvout_endrow(out);
}

static void
km_header(struct cx_csvout *out, const struct churn_opts *o)
{
	static const char *const cols[] = { "time", "n_risk", "n_event", "n_censor", "survival",
	    "std_err", "conf_low", "conf_high", "cumhaz", "conf_type", "conf_level" };

	by_header(out, o, cols, sizeof(cols) / sizeof(cols[0]));
}

static const char *const ci_names[] = { "log", "log-log", "plain" };
static const struct churn_opts *row_opts;	/* for the conf_type and conf_level columns */

static void
km_row(struct cx_csvout *out, const char *key, size_t klen, size_t nby,
    double t, double n, double d, double c, double s, double seh, double lo, double hi, double h)
{
	churn_key_fields(out, key, klen, nby);
	cx_csvout_double(out, t);
	cx_csvout_double(out, n);
	cx_csvout_double(out, d);
	cx_csvout_double(out, c);
	cx_csvout_double(out, s);
	cx_csvout_double(out, s * seh);
	cx_csvout_double(out, lo);
	cx_csvout_double(out, hi);
	cx_csvout_double(out, h);
	cx_csvout_str(out, ci_names[row_opts->ci]);
	cx_csvout_double(out, row_opts->conf);
	cx_csvout_endrow(out);
}

/* summary.survfit(times =, extend = TRUE): state at each tick. */
static void
km_at(struct cx_csvout *out, const struct curve *c, const struct ttab *t,
    const struct churn_opts *o, const char *key, size_t klen)
{
	size_t k, i = 0;
	double prev = -INFINITY;

	for (k = 0; k < o->nat; k++) {
		double tick = o->at[k], d = 0, cen = 0, n = 0, s = 1, seh = 0, h = 0, lo, hi;
		size_t j;
		/* events and censorings in (prev, tick] */
		for (j = 0; j < c->n; j++) {
			if (c->time[j] > prev && c->time[j] <= tick) {
				d += c->nevent[j];
				cen += c->ncensor[j];
			}
			if (c->time[j] <= tick) {
				s = c->surv[j];
				seh = c->seh[j];
				h = c->cumhaz[j];
			}
			if (c->time[j] >= tick)
				n += t->nevent[j] + t->ncensor[j];
		}
		(void)i;
		if (seh == 0)
			lo = hi = s;
		else
			confint(o->ci, zval(o->conf), s, seh, &lo, &hi);
		if (seh == 0 && o->ci == CI_LOGLOG && s == 1)
			lo = hi = NAN;
		km_row(out, key, klen, o->nby, tick, n, d, cen, s, seh, lo, hi, h);
		prev = tick;
	}
}

/* Survival steps from time 0 with the band, one series triple per group. */
static void
km_plot(const struct groups *g, const size_t *ord, const struct churn_opts *o)
{
	struct plot *pl = plot_open(o->plot_file, "time", "survival");
	const char **title = cx_xcalloc(g->n + 1, sizeof(char *));
	size_t *tlen = cx_xcalloc(g->n + 1, sizeof(size_t)), gi, i, s;

	for (gi = 0; gi < g->n; gi++) {
		title[gi] = cx_hashmap_key(g->map, ord[gi], &tlen[gi]);
		if (o->nby == 0) {
			title[gi] = "all";
			tlen[gi] = 3;
		}
	}
	plot_begin(pl, g->n, title, tlen, 1);
	for (gi = 0; gi < g->n; gi++) {
		struct curve c;
		curve_build(&c, &g->tab[ord[gi]], o);
		for (s = 0; s < 3; s++) {
			const double *v = s == 0 ? c.surv : s == 1 ? c.lower : c.upper;
			plot_point(pl, 0, 1);
			for (i = 0; i < c.n; i++)
				plot_point(pl, c.time[i], v[i]);
			plot_end_series(pl);
		}
		curve_free(&c);
	}
	plot_close(pl);
	free(title);
	free(tlen);
}

int
mode_km(const struct churn_opts *o, char **paths, size_t npaths)
{
	struct groups g = { 0 };
	struct cx_csvout *out;
	size_t gi, i, *ord;

	groups_read(&g, o, paths, npaths);
	if (o->partial) {
		groups_write_partial(&g, o);
		groups_free(&g);
		return CX_EXIT_OK;
	}
	out = churn_out();
	row_opts = o;
	km_header(out, o);
	ord = groups_order(&g);
	if (o->plot_file)
		km_plot(&g, ord, o);
	for (gi = 0; gi < g.n; gi++) {
		struct ttab *t = &g.tab[ord[gi]];
		struct curve c;
		size_t klen;
		const char *key = cx_hashmap_key(g.map, ord[gi], &klen);
		curve_build(&c, t, o);
		if (o->nat)
			km_at(out, &c, t, o, key, klen);
		else
			for (i = 0; i < c.n; i++)
				km_row(out, key, klen, o->nby, c.time[i], c.nrisk[i], c.nevent[i],
				    c.ncensor[i], c.surv[i], c.seh[i], c.lower[i], c.upper[i], c.cumhaz[i]);
		curve_free(&c);
	}
	free(ord);
	groups_free(&g);
	return CX_EXIT_OK;
}

/*
 * survival:::findq: x = (0, times), y = (0, 1 - curve); first occurrence of
 * each y value kept; NaN y values are dropped for the interpolation.
 */
static double
findq(const double *time, const double *curve, size_t n, double p, double tol)
{
	double *x = cx_xmalloc((n + 1) * sizeof(double)), *y = cx_xmalloc((n + 1) * sizeof(double));
	double *xa = cx_xmalloc((n + 1) * sizeof(double)), *ya = cx_xmalloc((n + 1) * sizeof(double));
	double xmax = n ? time[n - 1] : 0, ymax = -INFINITY, q = NAN;
	size_t i, m = 0, na = 0, i1 = 0, i2 = 0;
	int f1 = 0, f2 = 0;

	for (i = 0; i <= n; i++) {
		double xi = i ? time[i - 1] : 0, yi = i ? 1 - curve[i - 1] : 0;
		size_t j;
		int dup = 0;
		if (!isnan(yi) && yi > ymax)
			ymax = yi;
		for (j = m; j-- > 0; ) {	/* duplicated(): y is monotone, so look back briefly */
			if ((isnan(y[j]) && isnan(yi)) || y[j] == yi) {
				dup = 1;
				break;
			}
			if (!isnan(y[j]) && !isnan(yi))
				break;
		}
		if (dup)
			continue;
		x[m] = xi;
		y[m] = yi;
		m++;
	}
	if (ymax < p)
		goto out;
	for (i = 0; i < m; i++)
		if (!isnan(y[i])) {
			xa[na] = x[i];
			ya[na] = y[i];
			na++;
		}
	/* approx(y +/- tol, 1:n, p, "constant", f = 1): first index with y + tol >= p */
	for (i = 0; i < na; i++)
		if (!f1 && ya[i] + tol >= p && ya[0] + tol <= p) { i1 = i; f1 = 1; }
	for (i = 0; i < na; i++)
		if (!f2 && ya[i] - tol >= p && ya[0] - tol <= p) { i2 = i; f2 = 1; }
	if (p == 0) {
		q = x[0];
		goto out;
	}
	if (f1 && f2)
		q = (xa[i1] + xa[i2]) / 2;
	if (m > 0 && !isnan(y[m - 1]) && fabs(p - y[m - 1]) < tol)
		q = f1 ? (xa[i1] + xmax) / 2 : NAN;
out:
	free(x); free(y); free(xa); free(ya);
	return q;
}

int
mode_quantiles(const struct churn_opts *o, char **paths, size_t npaths)
{
	static const char *cols[] = { "n", "events", "prob", "time", "conf_low", "conf_high",
	    "reached", "tau", "rmst", "rmst_se" };
	const double tol = 1.4901161193847656e-08;	/* sqrt(.Machine$double.eps) */
	struct groups g = { 0 };
	struct cx_csvout *out;
	size_t gi, i, k, *ord;

	groups_read(&g, o, paths, npaths);
	if (o->partial) {
		groups_write_partial(&g, o);
		groups_free(&g);
		return CX_EXIT_OK;
	}
	out = churn_out();
	by_header(out, o, cols, sizeof(cols) / sizeof(cols[0]));
	ord = groups_order(&g);
	for (gi = 0; gi < g.n; gi++) {
		struct ttab *t = &g.tab[ord[gi]];
		struct curve c;
		size_t klen;
		const char *key = cx_hashmap_key(g.map, ord[gi], &klen);
		double events = 0, rmst = NAN, rmst_se = NAN;
		curve_build(&c, t, o);
		for (i = 0; i < c.n; i++)
			events += c.nevent[i];
		if (o->has_tau) {
			/* survival:::survmean with rmean = tau, start time 0 */
			double tau = o->tau, prev = 0, sprev = 1, area = 0, var = 0;
			size_t nk = 0;
			double *rect = cx_xmalloc((c.n + 2) * sizeof(double));
			double *hh = cx_xmalloc((c.n + 2) * sizeof(double));
			for (i = 0; i < c.n && c.time[i] <= tau; i++) {
				rect[nk] = (c.time[i] - prev) * sprev;
				hh[nk] = (c.nrisk[i] - c.nevent[i]) == 0 ? 0 :
				    c.nevent[i] / (c.nrisk[i] * (c.nrisk[i] - c.nevent[i]));
				prev = c.time[i];
				sprev = c.surv[i];
				nk++;
			}
			rect[nk] = (tau - prev) * sprev;
			hh[nk] = 0;
			nk++;
			for (i = 0; i < nk; i++)
				area += rect[i];
			/* varmean = sum(cumsum(rev(rect[-1]))^2 * rev(hh)[-1]) */
			{
				double cs = 0;
				for (k = nk; k-- > 1; ) {
					cs += rect[k];
					var += cs * cs * hh[k - 1];
				}
			}
			rmst = area;
			rmst_se = sqrt(var);
			free(rect);
			free(hh);
		}
		for (k = 0; k < o->nprobs; k++) {
			double p = o->probs[k];
			double q = findq(c.time, c.surv, c.n, p, tol);
			double lo = findq(c.time, c.lower, c.n, p, tol);
			double hi = findq(c.time, c.upper, c.n, p, tol);
			churn_key_fields(out, key, klen, o->nby);
			cx_csvout_double(out, c.nrows);
			cx_csvout_double(out, events);
			cx_csvout_double(out, p);
			cx_csvout_double(out, q);
			cx_csvout_double(out, lo);
			cx_csvout_double(out, hi);
			cx_csvout_str(out, isnan(q) ? "no" : "yes");
			if (o->has_tau)
				cx_csvout_double(out, o->tau);
			else
				cx_csvout_empty(out);
			cx_csvout_double(out, rmst);
			cx_csvout_double(out, rmst_se);
			cx_csvout_endrow(out);
		}
		curve_free(&c);
	}
	free(ord);
	groups_free(&g);
	return CX_EXIT_OK;
}

/* Life table: periods [k w, (k+1) w); rates d/n and actuarial d/(n - c/2). */
int
mode_lifetable(const struct churn_opts *o, char **paths, size_t npaths)
{
	static const char *cols[] = { "period", "start", "end", "n_risk", "n_event", "n_censor",
	    "churn_rate", "churn_rate_actuarial", "survival" };
	struct groups g = { 0 };
	struct cx_csvout *out;
	size_t gi, i, *ord;

	groups_read(&g, o, paths, npaths);
	if (o->partial) {
		groups_write_partial(&g, o);
		groups_free(&g);
		return CX_EXIT_OK;
	}
	out = churn_out();
	by_header(out, o, cols, sizeof(cols) / sizeof(cols[0]));
	ord = groups_order(&g);
	for (gi = 0; gi < g.n; gi++) {
		struct ttab *t = &g.tab[ord[gi]];
		size_t klen, j = 0;
		const char *key = cx_hashmap_key(g.map, ord[gi], &klen);
		double atrisk = 0, s = 1;
		long long k, kmax;
		for (i = 0; i < t->n; i++)
			atrisk += t->nevent[i] + t->ncensor[i];
		if (t->n == 0)
			continue;
		kmax = (long long)floor(t->time[t->n - 1] / o->width);
		for (k = 0; k <= kmax && atrisk > 0; k++) {
			double d = 0, c = 0, lo = (double)k * o->width, hi = (double)(k + 1) * o->width;
			double q, qa;
			while (j < t->n && t->time[j] < hi) {
				d += t->nevent[j];
				c += t->ncensor[j];
				j++;
			}
			q = d / atrisk;
			qa = d / (atrisk - c / 2);
			s *= 1 - qa;
			churn_key_fields(out, key, klen, o->nby);
			cx_csvout_llong(out, k);
			cx_csvout_double(out, lo);
			cx_csvout_double(out, hi);
			cx_csvout_double(out, atrisk);
			cx_csvout_double(out, d);
			cx_csvout_double(out, c);
			cx_csvout_double(out, q);
			cx_csvout_double(out, qa);
			cx_csvout_double(out, s);
			cx_csvout_endrow(out);
			atrisk -= d + c;
		}
	}
	free(ord);
	groups_free(&g);
	return CX_EXIT_OK;
}
