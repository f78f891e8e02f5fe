/*
 * logit: logistic regression of the churn flag on covariates (lib/regress,
 * the IRLS of R's glm.fit), and eval: how well any score column ranks and
 * calibrates churn (AUC with ties as 1/2, Brier, Hosmer-Lemeshow as
 * ResourceSelection::hoslem.test groups it, gains and lift by bins).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "cxerr.h"
#include "parse.h"
#include "regress.h"
#include "churn.h"

int
mode_logit(const struct churn_opts *o, char **paths, size_t npaths)
{
	static const char *cols[] = { "term", "estimate", "odds_ratio", "std_error", "statistic",
	    "p_value", "conf_low", "conf_high" };
	struct design ds;
	struct cx_regress_fit f;
	struct cx_csvout *out;
	double *y, *x, z = gsl_cdf_ugaussian_Pinv(1 - (1 - o->conf) / 2);
	size_t i;
	int rc;

	design_read(&ds, o, paths, npaths, 1);
	y = cx_xmalloc(ds.n * sizeof(double));
	x = cx_xmalloc(ds.n * ds.p * sizeof(double));
	for (i = 0; i < ds.n; i++) {
		y[i] = ds.event[i];
		design_row(&ds, i, x + i * ds.p, 0);
	}
	design_free_covariates(&ds);
	rc = cx_regress_logit(x, y, ds.w, ds.n, ds.p, o->maxiter, 1e-8, &f);
	free(x);
	if (rc == CX_ENOMEM)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if (rc != 0)
		cx_errx(CX_EXIT_DATA, "logit: the covariates are collinear or there are too few rows "
		    "(%zu rows, %zu terms)", ds.n, ds.p);
	if (!f.converged)
		cx_errx(CX_EXIT_NOCONV, "logit: did not converge in %d iterations (deviance %.10g)",
		    o->maxiter, f.deviance);
	if (f.boundary)
		cx_errx(CX_EXIT_NOCONV, "logit: fitted probabilities numerically 0 or 1: the covariates "
		    "separate churners from stayers, so the estimates are not finite");
	out = churn_out();
	churn_header(out, cols, 8);
	for (i = 0; i < ds.p; i++) {
		double st = f.beta[i] / f.se[i];
		cx_csvout_str(out, ds.term[i]);
		cx_csvout_double(out, f.beta[i]);
		cx_csvout_double(out, exp(f.beta[i]));
		cx_csvout_double(out, f.se[i]);
		cx_csvout_double(out, st);
		cx_csvout_double(out, 2 * gsl_cdf_ugaussian_Q(fabs(st)));
		cx_csvout_double(out, f.beta[i] - z * f.se[i]);
		cx_csvout_double(out, f.beta[i] + z * f.se[i]);
		cx_csvout_endrow(out);
	}
	if (o->summary_file) {
		static const char *sc[] = { "n", "deviance", "null_deviance", "df_resid", "log_lik",
		    "aic", "converged", "iterations", "dropped" };
		void *h;
		struct cx_csvout *s = churn_side_open(o->summary_file, &h);
		churn_header(s, sc, 9);
		cx_csvout_llong(s, (long long)f.n);
		cx_csvout_double(s, f.deviance);
		cx_csvout_double(s, f.null_deviance);
		cx_csvout_double(s, f.df_resid);
		cx_csvout_double(s, f.loglik);
		cx_csvout_double(s, f.aic);
		cx_csvout_str(s, "yes");
		cx_csvout_llong(s, f.iterations);
		cx_csvout_llong(s, (long long)ds.ndropped);
		cx_csvout_endrow(s);
		churn_side_close(s, h, o->summary_file);
	}
	cx_regress_fit_fini(&f);
	free(y);
	design_free(&ds);
	return CX_EXIT_OK;
}

/* ---- eval ---- */

struct sc {
	double	s, y, w;
};

struct eread {
	const struct churn_opts *o;
	struct sc *v;
	size_t	 n, cap;
	size_t	 nmissing;
};

static int
eread_row(void *ctx, const struct churn_row *r)
{
	struct eread *e = ctx;
	double s = r->scoreval;

	if (!r->has_score) {
		e->nmissing++;
		return 0;
	}
	e->v = churn_xgrow(e->v, &e->cap, e->n + 1, sizeof(struct sc));
	e->v[e->n].s = s;
	e->v[e->n].y = r->event;
	e->v[e->n].w = r->weight;
	e->n++;
	return 0;
}

static int
cmp_score(const void *a, const void *b)
{
	double x = ((const struct sc *)a)->s, y = ((const struct sc *)b)->s;

	return (x > y) - (x < y);
}

/* R's quantile(type = 7) of sorted scores. */
static double
quant7(const struct sc *v, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return v[n - 1].s;
	return v[lo].s + (h - (double)lo) * (v[lo + 1].s - v[lo].s);
}

int
mode_eval(const struct churn_opts *o, char **paths, size_t npaths)
{
	static const char *mc[] = { "n", "events", "auc", "brier", "hl_chisq", "hl_df", "hl_p_value",
	    "bins" };
	struct churn_input ci = { .o = o, .need_event = 1, .need_score = 1 };
	struct eread e = { .o = o };
	struct cx_csvout *out;
	double sw = 0, sy = 0, auc, brier = 0, hl = 0, below = 0;
	size_t i, j;
	int prob = 1, hldf = 0, g = o->bins;

	churn_read(&ci, paths, npaths, eread_row, &e);
	if (e.nmissing && !o->quiet)
		cx_warnx("skipped %zu rows with an empty %s", e.nmissing, o->score_col);
	if (e.n == 0)
		cx_errx(CX_EXIT_DATA, "eval: no rows with a score");
	qsort(e.v, e.n, sizeof(struct sc), cmp_score);
	for (i = 0; i < e.n; i++) {
		sw += e.v[i].w;
		sy += e.v[i].w * e.v[i].y;
		if (e.v[i].s < 0 || e.v[i].s > 1)
			prob = 0;
	}
	if (sy == 0 || sy == sw)
		cx_errx(CX_EXIT_DATA, "eval: the event column has only one class; AUC is undefined");
	/* AUC: pairs (churner, stayer) with the churner scored higher; ties count 1/2 */
	{
		double num = 0, neg_below = 0;
		for (i = 0; i < e.n; ) {
			double pos = 0, neg = 0;
			for (j = i; j < e.n && e.v[j].s == e.v[i].s; j++) {
				pos += e.v[j].w * e.v[j].y;
				neg += e.v[j].w * (1 - e.v[j].y);
			}
			num += pos * (neg_below + neg / 2);
			neg_below += neg;
			i = j;
		}
		auc = num / (sy * (sw - sy));
		(void)below;
	}
	if (prob) {
		for (i = 0; i < e.n; i++)
			brier += e.v[i].w * (e.v[i].s - e.v[i].y) * (e.v[i].s - e.v[i].y);
		brier /= sw;
		/* Hosmer-Lemeshow: cut at type-7 quantile breaks, (a, b] with the lowest included */
		{
			double *br = cx_xmalloc((size_t)(g + 1) * sizeof(double));
			int nb = 0, b;
			for (b = 0; b <= g; b++) {
				double q = quant7(e.v, e.n, (double)b / g);
				if (nb == 0 || q != br[nb - 1])
					br[nb++] = q;
			}
			{
				void *h = NULL;
				struct cx_csvout *cal = NULL;
				static const char *cc[] = { "bin", "low", "high", "n", "observed", "expected",
				    "mean_score", "observed_rate" };
				if (o->calib_file) {
					cal = churn_side_open(o->calib_file, &h);
					churn_header(cal, cc, 8);
				}
				for (b = 0, i = 0; b + 1 < nb; b++) {
					double ob = 0, ex = 0, nn = 0;
					while (i < e.n && (e.v[i].s <= br[b + 1])) {
						ob += e.v[i].w * e.v[i].y;
						ex += e.v[i].w * e.v[i].s;
						nn += e.v[i].w;
						i++;
					}
					if (nn > 0) {
						/* hoslem.test: sum (obs - exp)^2 / exp over both classes */
						hl += (ob - ex) * (ob - ex) / ex + (ob - ex) * (ob - ex) / (nn - ex);
						hldf++;
					}
					if (cal) {
						cx_csvout_llong(cal, b + 1);
						cx_csvout_double(cal, br[b]);
						cx_csvout_double(cal, br[b + 1]);
						cx_csvout_double(cal, nn);
						cx_csvout_double(cal, ob);
						cx_csvout_double(cal, ex);
						cx_csvout_double(cal, nn > 0 ? ex / nn : NAN);
						cx_csvout_double(cal, nn > 0 ? ob / nn : NAN);
						cx_csvout_endrow(cal);
					}
				}
				if (cal)
					churn_side_close(cal, h, o->calib_file);
			}
			hldf -= 2;
			free(br);
		}
	} else if (!o->quiet) {
		cx_warnx("%s has values outside [0, 1]: Brier and Hosmer-Lemeshow are left empty",
		    o->score_col);
	}
	out = churn_out();
	churn_header(out, mc, 8);
	cx_csvout_double(out, sw);
	cx_csvout_double(out, sy);
	cx_csvout_double(out, auc);
	cx_csvout_double(out, prob ? brier : NAN);
	cx_csvout_double(out, prob ? hl : NAN);
	if (prob && hldf > 0)
		cx_csvout_llong(out, hldf);
	else
		cx_csvout_empty(out);
	cx_csvout_double(out, prob && hldf > 0 ? gsl_cdf_chisq_Q(hl, hldf) : NAN);
	cx_csvout_llong(out, g);
	cx_csvout_endrow(out);
	if (o->groups_file) {
		/* gains: bins of equal size from the highest score down */
		static const char *gc[] = { "bin", "n", "events", "event_rate", "capture_rate",
		    "cum_capture_rate", "lift", "cum_lift", "min_score", "max_score" };
		void *h;
		struct cx_csvout *gs = churn_side_open(o->groups_file, &h);
		double rate = sy / sw, cum_n = 0, cum_e = 0;
		int b;
		churn_header(gs, gc, 10);
		for (b = 0; b < g; b++) {
			size_t lo = (size_t)((double)e.n * b / g), hi = (size_t)((double)e.n * (b + 1) / g);
			double nn = 0, ev = 0, mn = INFINITY, mx = -INFINITY;
			for (i = lo; i < hi; i++) {
				const struct sc *x = &e.v[e.n - 1 - i];
				nn += x->w;
				ev += x->w * x->y;
				mn = fmin(mn, x->s);
				mx = fmax(mx, x->s);
			}
			if (hi == lo)
				continue;
			cum_n += nn;
			cum_e += ev;
			cx_csvout_llong(gs, b + 1);
			cx_csvout_double(gs, nn);
			cx_csvout_double(gs, ev);
			cx_csvout_double(gs, ev / nn);
			cx_csvout_double(gs, ev / sy);
			cx_csvout_double(gs, cum_e / sy);
			cx_csvout_double(gs, (ev / nn) / rate);
			cx_csvout_double(gs, (cum_e / cum_n) / rate);
			cx_csvout_double(gs, mn);
			cx_csvout_double(gs, mx);
			cx_csvout_endrow(gs);
		}
		churn_side_close(gs, h, o->groups_file);
	}
	free(e.v);
	return CX_EXIT_OK;
}
