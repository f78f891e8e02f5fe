/*
 * logrank: the G-rho family of k-sample tests (Harrington & Fleming 1982) as
 * R's survdiff computes it (survdiff2.c): weights S(t-)^rho from the pooled
 * Kaplan-Meier, hypergeometric variance, chi-square on the first k-1 groups
 * with expected > 0.  Pairwise tests rerun the same code on two groups.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_errno.h>

#include "cxerr.h"
#include "churn.h"

struct lrres {
	double	*obs, *exp, *n;
	double	 chisq;
	int	 df;
};

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* log10 of the upper chi-square tail, accurate where the tail underflows. */
static double
log10_chisq_q(double x, int df)
{
	double q = gsl_cdf_chisq_Q(x, df), a = df / 2.0, y = x / 2, s = 1, term = 1;
	int k;

	if (q > 1e-280)
		return log10(q);
	/* Gamma(a, y) ~ y^(a-1) e^-y (1 + (a-1)/y + (a-1)(a-2)/y^2 + ...) */
	for (k = 1; k < 30; k++) {
		term *= (a - k) / y;
		s += term;
		if (fabs(term) < 1e-17 * fabs(s))
			break;
	}
	return ((a - 1) * log(y) - y - gsl_sf_lngamma(a) + log(s)) / M_LN10;
}

static void
lr_test(const struct groups *g, const size_t *sel, size_t k, double rho, struct lrres *r)
{
	size_t ntot = 0, i, j, *pos = cx_xcalloc(k, sizeof(size_t)), nt = 0;
	double *times, *risk = cx_xcalloc(k, sizeof(double)), *var = cx_xcalloc(k * k, sizeof(double));
	double km = 1;

	r->obs = cx_xcalloc(k, sizeof(double));
	r->exp = cx_xcalloc(k, sizeof(double));
	r->n = cx_xcalloc(k, sizeof(double));
	for (j = 0; j < k; j++)
		ntot += g->tab[sel[j]].n;
	times = cx_xmalloc((ntot + 1) * sizeof(double));
	for (j = 0; j < k; j++) {
		const struct ttab *t = &g->tab[sel[j]];
		for (i = 0; i < t->n; i++) {
			times[nt++] = t->time[i];
			risk[j] += t->nevent[i] + t->ncensor[i];
			r->n[j] += (double)t->rows[i];
		}
	}
	qsort(times, nt, sizeof(double), cmp_dbl);
	for (i = 0; i < nt; i++) {
		double tm = times[i], deaths = 0, nrisk = 0, wt;
		double *dj;
		if (i > 0 && times[i - 1] == tm)
			continue;
		dj = cx_xcalloc(k, sizeof(double));
		for (j = 0; j < k; j++) {
			const struct ttab *t = &g->tab[sel[j]];
			nrisk += risk[j];
			if (pos[j] < t->n && t->time[pos[j]] == tm) {
				dj[j] = t->nevent[pos[j]];
				deaths += dj[j];
			}
		}
		wt = rho == 0 ? 1 : pow(km, rho);
		for (j = 0; j < k; j++)
			r->obs[j] += wt * dj[j];
		if (deaths > 0) {
			for (j = 0; j < k; j++)
				r->exp[j] += wt * deaths * risk[j] / nrisk;
			if (nrisk > 1) {
				double kt = wt * wt * deaths * (nrisk - deaths) / (nrisk * (nrisk - 1));
				size_t a, b;
				for (a = 0; a < k; a++) {
					double tmp = kt * risk[a];
					var[a * k + a] += tmp;
					for (b = 0; b < k; b++)
						var[a * k + b] -= tmp * risk[b] / nrisk;
				}
			}
			km *= (nrisk - deaths) / nrisk;
		}
		for (j = 0; j < k; j++) {
			const struct ttab *t = &g->tab[sel[j]];
			if (pos[j] < t->n && t->time[pos[j]] == tm) {
				risk[j] -= t->nevent[pos[j]] + t->ncensor[pos[j]];
				pos[j]++;
			}
		}
		free(dj);
	}
	/* chi-square over groups with expected > 0, dropping the first of them */
	{
		size_t *use = cx_xmalloc(k * sizeof(size_t)), nu = 0, a, b;
		for (j = 0; j < k; j++)
			if (r->exp[j] > 0)
				use[nu++] = j;
		r->chisq = 0;
		r->df = nu >= 1 ? (int)nu - 1 : 0;
		if (nu >= 2) {
			size_t m = nu - 1;
			gsl_matrix *V = gsl_matrix_alloc(m, m);
			gsl_vector *u = gsl_vector_alloc(m), *x = gsl_vector_alloc(m);
			gsl_permutation *perm = gsl_permutation_alloc(m);
			gsl_error_handler_t *old = gsl_set_error_handler_off();
			int sg;
			for (a = 0; a < m; a++) {
				gsl_vector_set(u, a, r->obs[use[a + 1]] - r->exp[use[a + 1]]);
				for (b = 0; b < m; b++)
					gsl_matrix_set(V, a, b, var[use[a + 1] * k + use[b + 1]]);
			}
			if (gsl_linalg_LU_decomp(V, perm, &sg) == 0 &&
			    gsl_linalg_LU_solve(V, perm, u, x) == 0) {
				for (a = 0; a < m; a++)
					r->chisq += gsl_vector_get(x, a) * gsl_vector_get(u, a);
			} else {
				r->chisq = NAN;
			}
			gsl_set_error_handler(old);
			gsl_matrix_free(V);
			gsl_vector_free(u);
			gsl_vector_free(x);
			gsl_permutation_free(perm);
		}
		free(use);
	}
	free(pos);
	free(times);
	free(risk);
	free(var);
}

static void
lr_free(struct lrres *r)
{
	free(r->obs);
	free(r->exp);
	free(r->n);
}

/* Group label: the --by values joined by "/". */
static void
label_field(struct cx_csvout *out, const struct groups *g, size_t i)
{
	size_t len, k;
	const char *key = cx_hashmap_key(g->map, i, &len);
	char *buf = cx_xmalloc(len + 1);

	for (k = 0; k < len; k++)
		buf[k] = key[k] == '\x1f' ? '/' : key[k];
	cx_csvout_field(out, buf, len);
	free(buf);
}

struct pair {
	size_t	 a, b;
	double	 chisq, p, padj;
	int	 df;
};

int
mode_logrank(const struct churn_opts *o, char **paths, size_t npaths)
{
	static const char *cols[] = { "rho", "chisq", "df", "p_value", "log10_p" };
	struct groups g = { 0 };
	struct cx_csvout *out;
	struct lrres r;
	size_t *ord, j;
	double p;

	if (o->nby == 0)
		cx_errx(CX_EXIT_USAGE, "logrank needs --by COL");
	groups_read(&g, o, paths, npaths);
	if (o->partial) {
		groups_write_partial(&g, o);
		groups_free(&g);
		return CX_EXIT_OK;
	}
	if (g.n < 2)
		cx_errx(CX_EXIT_DATA, "logrank needs at least two groups; the data has %zu", g.n);
	ord = groups_order(&g);
	lr_test(&g, ord, g.n, o->rho, &r);
	out = churn_out();
	churn_header(out, cols, 5);
	p = r.df > 0 ? gsl_cdf_chisq_Q(r.chisq, r.df) : NAN;
	cx_csvout_double(out, o->rho);
	cx_csvout_double(out, r.chisq);
	cx_csvout_llong(out, r.df);
	cx_csvout_double(out, p);
	cx_csvout_double(out, r.df > 0 ? log10_chisq_q(r.chisq, r.df) : NAN);
	cx_csvout_endrow(out);
	if (o->groups_file) {
		static const char *gc[] = { "group", "n", "observed", "expected" };
		void *h;
		struct cx_csvout *c = churn_side_open(o->groups_file, &h);
		churn_header(c, gc, 4);
		for (j = 0; j < g.n; j++) {
			label_field(c, &g, ord[j]);
			cx_csvout_double(c, r.n[j]);
			cx_csvout_double(c, r.obs[j]);
			cx_csvout_double(c, r.exp[j]);
			cx_csvout_endrow(c);
		}
		churn_side_close(c, h, o->groups_file);
	}
	if (o->pairwise_file) {
		static const char *pc[] = { "group1", "group2", "chisq", "df", "p_value", "p_adjusted", "adjust" };
		static const char *an[] = { "holm", "bonferroni", "none" };
		size_t np = g.n * (g.n - 1) / 2, a, b, k = 0, *rk;
		struct pair *pr = cx_xcalloc(np, sizeof(*pr));
		void *h;
		struct cx_csvout *c;
		for (a = 0; a < g.n; a++)
			for (b = a + 1; b < g.n; b++) {
				size_t sel[2] = { ord[a], ord[b] };
				struct lrres q;
				lr_test(&g, sel, 2, o->rho, &q);
				pr[k].a = ord[a];
				pr[k].b = ord[b];
				pr[k].chisq = q.chisq;
				pr[k].df = q.df;
				pr[k].p = q.df > 0 ? gsl_cdf_chisq_Q(q.chisq, q.df) : NAN;
				lr_free(&q);
				k++;
			}
		/* Holm: sort p ascending, p_(i) * (m - i + 1), running max, cap 1 (R p.adjust) */
		rk = cx_xmalloc(np * sizeof(size_t));
		for (k = 0; k < np; k++)
			rk[k] = k;
		for (a = 1; a < np; a++)	/* insertion sort, stable */
			for (b = a; b > 0 && pr[rk[b - 1]].p > pr[rk[b]].p; b--) {
				size_t t = rk[b]; rk[b] = rk[b - 1]; rk[b - 1] = t;
			}
		{
			double run = 0;
			for (k = 0; k < np; k++) {
				struct pair *x = &pr[rk[k]];
				if (o->adjust == ADJ_HOLM) {
					double v = fmin(1, (double)(np - k) * x->p);
					run = fmax(run, v);
					x->padj = run;
				} else if (o->adjust == ADJ_BONFERRONI) {
					x->padj = fmin(1, (double)np * x->p);
				} else {
					x->padj = x->p;
				}
			}
		}
		c = churn_side_open(o->pairwise_file, &h);
		churn_header(c, pc, 7);
		for (k = 0; k < np; k++) {
			label_field(c, &g, pr[k].a);
			label_field(c, &g, pr[k].b);
			cx_csvout_double(c, pr[k].chisq);
			cx_csvout_llong(c, pr[k].df);
			cx_csvout_double(c, pr[k].p);
			cx_csvout_double(c, pr[k].padj);
			cx_csvout_str(c, an[o->adjust]);
			cx_csvout_endrow(c);
		}
		churn_side_close(c, h, o->pairwise_file);
		free(rk);
		free(pr);
	}
	lr_free(&r);
	free(ord);
	groups_free(&g);
	return CX_EXIT_OK;
}
