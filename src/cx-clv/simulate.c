/*
 * cx-clv simulate: a synthetic customer summary drawn from a model's own story
 * (gsl_rng mt19937, --seed), for tests and capacity planning.  Customers join
 * uniformly over the first --cohort periods and are watched to --T; with
 * --holdout LEN their purchases in the next LEN periods are counted too.
 *   BG/NBD: lambda ~ Gamma(r, alpha), p ~ Beta(a, b), purchases Poisson(lambda),
 *           dropout with probability p after each repeat purchase (MBG/NBD:
 *           also right after the first purchase);
 *   Pareto/NBD: lambda ~ Gamma(r, alpha), mu ~ Gamma(s, beta), lifetime Exp(mu);
 *   BG/BB: p ~ Beta(alpha, beta), theta ~ Beta(gamma, delta), --T opportunities.
 * Spend (--spend p=,q=,gamma=): nu ~ Gamma(q, gamma), each purchase Gamma(p, nu).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "clv.h"
#include "cxerr.h"

int
clv_simulate(const struct clv_opts *o, char **paths, size_t npaths)
{
	static const char *const head[] = { "customer_id", "x", "t_x", "T", "mean_spend",
		"x_holdout", "T_holdout" };
	static const char *const dhead[] = { "customer_id", "x", "t_x", "n", "x_holdout",
		"n_holdout" };
	const struct clv_model *m = clv_model_find(o->model_file);
	double par[CLV_MAXPAR], gg[3] = { 0 };
	struct cx_outfile of;
	struct cx_csvout *w;
	gsl_rng *rng;
	long i;

	(void)paths;
	(void)npaths;
	if (m == NULL) {
		struct clv_fitted f;

		clv_read_model(o->model_file, &f);
		m = f.tx;
		memcpy(par, f.txpar, sizeof par);
		if (f.has_spend && !o->spend)
			memcpy(gg, f.gg, sizeof gg);
	} else if (m->spend) {
		cx_errx(CX_EXIT_USAGE, "--model: simulate a transaction model (bgnbd, mbgnbd, pnbd, bgbb); spend goes in --spend");
	} else if (clv_parse_params(o->params, m, par) != 0) {
		size_t k;
		char want[128] = "";

		for (k = 0; k < m->npar; k++)
			snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s=V",
			    k ? "," : "", m->term[k]);
		cx_errx(CX_EXIT_USAGE, "--params: \"%s\" is not %s with positive values", o->params, want);
	}
	if (o->spend && clv_parse_params(o->spend_params, &clv_ggamma, gg) != 0)
		cx_errx(CX_EXIT_USAGE, "--spend: \"%s\" is not p=V,q=V,gamma=V with positive values",
		    o->spend_params);
	if (m->discrete && (o->T != floor(o->T) || o->holdout != floor(o->holdout) || o->T > 4000))
		cx_errx(CX_EXIT_USAGE, "--T, --holdout: whole numbers of opportunities (at most 4000) for bgbb");
	if (o->cohort >= o->T)
		cx_errx(CX_EXIT_USAGE, "--cohort must be shorter than --T");
	if ((rng = gsl_rng_alloc(gsl_rng_mt19937)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	gsl_rng_set(rng, o->seed);
	w = clv_output_open(&of, o->out);
	if (m->discrete)
		cx_csvout_row(w, dhead, o->holdout > 0 ? 6 : 4);
	else
		cx_csvout_row(w, head, o->holdout > 0 ? 7 : 5);
	for (i = 1; i <= o->ncust; i++) {
		double x = 0, tx = 0, T, h = 0, spend = 0, nu = 0;

		if (gg[0] > 0)
			nu = gsl_ran_gamma(rng, gg[1], 1 / gg[2]);
		if (m->discrete) {
			double p = gsl_ran_beta(rng, par[0], par[1]);
			double th = gsl_ran_beta(rng, par[2], par[3]);
			long t, n = (long)o->T, nh = (long)o->holdout;

			T = o->T;
			for (t = 1; t <= n + nh; t++) {
				if (gsl_rng_uniform(rng) < th)
					break;
				if (gsl_rng_uniform(rng) < p) {
					if (t <= n) {
						x++;
						tx = t;
					} else {
						h++;
					}
				}
			}
		} else {
			double lam = gsl_ran_gamma(rng, par[0], 1 / par[1]), t = 0, end;
			double death = HUGE_VAL, p = 0;
			int mbg = m == &clv_mbgnbd, dead = 0;

			T = o->T - (o->cohort > 0 ? gsl_rng_uniform(rng) * o->cohort : 0);
			end = T + o->holdout;
			if (m == &clv_pnbd)
				death = gsl_ran_exponential(rng, 1 / gsl_ran_gamma(rng, par[2], 1 / par[3]));
			else
				p = gsl_ran_beta(rng, par[2], par[3]);
			if (mbg && gsl_rng_uniform(rng) < p)
				dead = 1;
			while (!dead) {
				t += gsl_ran_exponential(rng, 1 / lam);
				if (t > end || t > death)
					break;
				if (t <= T) {
					x++;
					tx = t;
					if (nu > 0)
						spend += gsl_ran_gamma(rng, gg[0], 1 / nu);
				} else {
					h++;
				}
				if (p > 0 && gsl_rng_uniform(rng) < p)
					dead = 1;
			}
		}
		cx_csvout_llong(w, i);
		cx_csvout_double(w, x);
		cx_csvout_double(w, tx);
		cx_csvout_double(w, T);
		if (!m->discrete) {
			if (x > 0 && nu > 0)
				cx_csvout_double(w, spend / x);
			else
				cx_csvout_empty(w);
		}
		if (o->holdout > 0) {
			cx_csvout_double(w, h);
			cx_csvout_double(w, o->holdout);
		}
		cx_csvout_endrow(w);
	}
	gsl_rng_free(rng);
	clv_output_close(&of, w, o->out);
	return CX_EXIT_OK;
}
