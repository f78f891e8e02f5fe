/*
 * cx-clv fit: maximum likelihood for one transaction model (and, with --spend,
 * the Gamma-Gamma model) from a customer summary.  Customers are compressed to
 * unique (x, t_x, T) patterns with counts before the optimiser sees them.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "clv.h"
#include "cxerr.h"
#include "optim.h"

struct fitctx {
	const struct clv_model	*m;
	const struct clv_data	*d;
};

static double
f_ll(const double *par, void *arg)
{
	struct fitctx *c = arg;

	return c->m->loglik(par, c->d);
}

static double
f_llg(const double *par, double *g, void *arg)
{
	struct fitctx *c = arg;

	return c->m->loglik_grad(par, c->d, g);
}

static int
f_hess(const double *par, double *h, void *arg)
{
	struct fitctx *c = arg;

	return c->m->loglik_hess(par, c->d, h);
}

/* A bad summary row: the message is formatted before the reader it names is
 * freed, so that the exit leaves nothing allocated behind. */
static _Noreturn void __attribute__((format(printf, 2, 3)))
summary_error(struct cx_csvin *in, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cx_csvin_free(in);
	cx_errx(CX_EXIT_DATA, "%s", msg);
}

/* Read the summary: x, t_x, T (or n), optional weight and mean_spend. */
static void
read_summary(const struct clv_opts *o, char **paths, size_t npaths,
    const struct clv_model *m, struct clv_data *tx, struct clv_data *sp)
{
	struct cx_csvin *in = clv_open_input(o, paths, npaths);
	struct cx_record rec;
	const char *tname = m->discrete ? "n" : "T";
	int cx = clv_need_column(in, "x", 1), ctx = clv_need_column(in, "t_x", 1);
	int cT = clv_need_column(in, tname, 1), cw = clv_need_column(in, "weight", 0);
	int cz = sp ? clv_need_column(in, "mean_spend", 1) : -1;
	unsigned long skipped = 0;
	int rc;

	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		double x, t, T, w = 1, z = NAN;

		if (rec.nfield != cx_csvin_ncols(in))
			summary_error(in, "%s:%lu: %zu fields, expected %zu",
			    cx_csvin_path(in), rec.line, rec.nfield, cx_csvin_ncols(in));
		clv_field_double(in, &rec, cx, &x, 0);
		clv_field_double(in, &rec, ctx, &t, 0);
		clv_field_double(in, &rec, cT, &T, 0);
		if (cw >= 0)
			clv_field_double(in, &rec, cw, &w, 0);
		if (x < 0 || x != floor(x) || x > 1e7)
			summary_error(in, "%s:%lu: x: \"%s\" is not a count",
			    cx_csvin_path(in), rec.line, rec.field[cx]);
		if (!(T > 0) || (m->discrete && T != floor(T)))
			summary_error(in, "%s:%lu: %s: \"%s\" is not a positive %s",
			    cx_csvin_path(in), rec.line, tname, rec.field[cT],
			    m->discrete ? "whole number" : "number");
		if (t < 0 || t > T || (x == 0 && t != 0) || (m->discrete && (t != floor(t) || t < x)))
			summary_error(in, "%s:%lu: t_x: \"%s\" is not a recency for x = %s, %s = %s",
			    cx_csvin_path(in), rec.line, rec.field[ctx], rec.field[cx], tname, rec.field[cT]);
		if (m->discrete && T > 4000)
			summary_error(in, "%s:%lu: n: \"%s\" opportunities is more than 4000",
			    cx_csvin_path(in), rec.line, rec.field[cT]);
		if (!(w >= 0))
			summary_error(in, "%s:%lu: weight: \"%s\" is negative",
			    cx_csvin_path(in), rec.line, rec.field[cw]);
		if (w == 0)
			continue;
		clv_data_add(tx, x, t, T, NAN, w);
		if (sp && x > 0) {
			if (clv_field_double(in, &rec, cz, &z, 1) && z > 0)
				clv_data_add(sp, x, 0, 0, z, w);
			else
				skipped++;
		}
	}
	if (rc < 0)
		clv_input_fail(in, rc);
	if (skipped && !o->quiet)
		cx_warnx("gamma-gamma: %lu customers with x > 0 and no positive mean_spend left out",
		    skipped);
	cx_csvin_free(in);
	clv_data_finish(tx);
	if (sp)
		clv_data_finish(sp);
}

struct fitted {
	const struct clv_model	*m;
	struct cx_optim_result	 r;
	double			 nobs;
	size_t			 npat;
};

static const int pos[CLV_MAXPAR] = { CX_OPTIM_POSITIVE, CX_OPTIM_POSITIVE,
	CX_OPTIM_POSITIVE, CX_OPTIM_POSITIVE };

/*
 * Start values and a Hessian guess for a fit on d (more than min patterns):
 * a fit on every tenth pattern, itself started the same way while it has more
 * than WARM_NESTED patterns (1e6 -> 1e5 -> 1e4 -> 1e3), and its Hessian
 * scaled to the weight of d.  The guess preconditions the BFGS on d, which
 * then needs a few iterations instead of fifteen; only the smallest fit starts
 * from the model's default.  The subsamples are deterministic, and only the
 * start depends on them.  Returns 1 when info was filled.
 */
#define WARM_DIV	10
#define WARM_NESTED	9000
static int
warm(const struct clv_model *m, const struct clv_data *d, const struct cx_optim_opts *oo,
    size_t min, double *start, double *info)
{
	struct clv_data s = { 0 };
	struct fitctx cs = { m, &s };
	struct cx_optim_problem ps = { m->npar, pos, f_ll, m->loglik_grad ? f_llg : NULL, &cs };
	struct cx_optim_result rs;
	struct cx_optim_more more;
	double sstart[CLV_MAXPAR], sinfo[CLV_MAXPAR * CLV_MAXPAR];
	size_t i, np = m->npar;
	int have = 0, shave;

	memcpy(start, m->start, sizeof m->start);
	if (d->n <= min)
		return 0;
	for (i = 0; i < d->n; i += WARM_DIV)
		clv_data_add(&s, d->x[i], d->tx[i], d->T[i], d->z[i], d->w[i]);
	clv_data_finish(&s);
	shave = warm(m, &s, oo, WARM_NESTED, sstart, sinfo);
	more.info = shave ? sinfo : NULL;
	more.loglik_hess = m->loglik_hess ? f_hess : NULL;
	if (cx_optim_mle_pre(&ps, sstart, oo, &more, &rs) == 0 && rs.converged) {
		memcpy(start, rs.par, np * sizeof *start);
		have = rs.hessian_ok;
		for (i = 0; i < np * np; i++)
			info[i] = -rs.hess[i] * (d->nobs / s.nobs);
	}
	cx_optim_result_fini(&rs);
	clv_data_free(&s);
	return have;
}

static void
run(const struct clv_opts *o, const struct clv_model *m, const struct clv_data *d,
    struct fitted *f)
{
	struct fitctx c = { m, d };
	struct cx_optim_problem pb = { m->npar, pos, f_ll, m->loglik_grad ? f_llg : NULL, &c };
	struct cx_optim_opts oo = { o->max_iter, 0, 0, o->level };
	double start[CLV_MAXPAR], info[CLV_MAXPAR * CLV_MAXPAR];
	struct cx_optim_more more;
	int rc, have_info;

	if (d->nobs == 0)
		cx_errx(CX_EXIT_DATA, "%s: no customers to fit", m->name);
	f->m = m;
	f->nobs = d->nobs;
	f->npat = d->n;
	/* below 40,000 patterns the fits are as they always were */
	have_info = warm(m, d, &oo, 40000, start, info);
	more.info = have_info ? info : NULL;
	more.loglik_hess = m->loglik_hess ? f_hess : NULL;
	rc = cx_optim_mle_pre(&pb, start, &oo, &more, &f->r);
	if (rc == CX_ENOMEM)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if (rc != 0)
		cx_errx(CX_EXIT_NOCONV, "%s: %s", m->name, f->r.msg);
	if (!f->r.converged)
		cx_errx(CX_EXIT_NOCONV, "%s: did not converge: %s", m->name, f->r.msg);
	if (!f->r.hessian_ok)
		cx_errx(CX_EXIT_NOCONV, "%s: no interior maximum (the data do not identify the model): %s",
		    m->name, f->r.msg);
}

static void
write_terms(struct cx_csvout *w, const struct fitted *f)
{
	size_t i;

	for (i = 0; i < f->m->npar; i++) {
		cx_csvout_str(w, f->m->term[i]);
		cx_csvout_double(w, f->r.par[i]);
		cx_csvout_double(w, f->r.se[i]);
		cx_csvout_double(w, f->r.conf_low[i]);
		cx_csvout_double(w, f->r.conf_high[i]);
		cx_csvout_str(w, f->m->name);
		cx_csvout_endrow(w);
	}
}

static void
write_glance(struct cx_csvout *w, const struct fitted *f)
{
	double k = (double)f->m->npar;

	cx_csvout_str(w, f->m->name);
	cx_csvout_double(w, f->nobs);
	cx_csvout_llong(w, (long long)f->npat);
	cx_csvout_double(w, f->r.loglik);
	cx_csvout_double(w, 2 * k - 2 * f->r.loglik);
	cx_csvout_double(w, k * log(f->nobs) - 2 * f->r.loglik);
	cx_csvout_llong(w, f->r.iterations);
	cx_csvout_llong(w, f->r.converged);
	cx_csvout_endrow(w);
}

/*
 * --x-gradient PARAMS (test-only): the analytic gradient of the transaction
 * model's log-likelihood at PARAMS next to central differences of the
 * log-likelihood (step 1e-5 relative), one row per parameter, and, when the
 * model has an analytic Hessian, each entry next to central differences of the
 * analytic gradient (rows named h_TERM_TERM): term,analytic,numeric,rel_diff.
 */
static void
check_row(struct cx_csvout *w, const char *name, double an, double num)
{
	cx_csvout_str(w, name);
	cx_csvout_double(w, an);
	cx_csvout_double(w, num);
	cx_csvout_double(w, fabs(an - num) / fmax(1, fabs(num)));
	cx_csvout_endrow(w);
}

static int
gradient_check(const struct clv_opts *o, const struct clv_model *m, const struct clv_data *d)
{
	static const char *const head[] = { "term", "analytic", "numeric", "rel_diff" };
	double par[CLV_MAXPAR], q[CLV_MAXPAR], g[CLV_MAXPAR], gp[CLV_MAXPAR], gm[CLV_MAXPAR];
	double hs[CLV_MAXPAR * CLV_MAXPAR];
	struct cx_outfile of;
	struct cx_csvout *w;
	char name[64];
	size_t i, j, n = m->npar;

	if (m->loglik_grad == NULL)
		cx_errx(CX_EXIT_USAGE, "--x-gradient: %s has no analytic gradient", m->name);
	if (clv_parse_params(o->x_gradient, m, par) != 0)
		cx_errx(CX_EXIT_USAGE, "--x-gradient: \"%s\" does not give every parameter of %s",
		    o->x_gradient, m->name);
	for (j = 0; j < n; j++)
		g[j] = NAN;
	if (!isfinite(m->loglik_grad(par, d, g)))
		for (j = 0; j < n; j++)
			g[j] = NAN;
	w = clv_output_open(&of, o->out);
	cx_csvout_row(w, head, 4);
	for (j = 0; j < n; j++) {
		double h = 1e-5 * par[j], fp, fm;

		memcpy(q, par, sizeof q);
		q[j] = par[j] + h;
		fp = m->loglik(q, d);
		q[j] = par[j] - h;
		fm = m->loglik(q, d);
		check_row(w, m->term[j], g[j], (fp - fm) / (2 * h));
	}
	if (m->loglik_hess != NULL) {
		if (m->loglik_hess(par, d, hs) != 0)
			for (i = 0; i < n * n; i++)
				hs[i] = NAN;
		for (j = 0; j < n; j++) {
			double h = 1e-5 * par[j];

			memcpy(q, par, sizeof q);
			q[j] = par[j] + h;
			m->loglik_grad(q, d, gp);
			q[j] = par[j] - h;
			m->loglik_grad(q, d, gm);
			for (i = 0; i <= j; i++) {
				snprintf(name, sizeof name, "h_%s_%s", m->term[i], m->term[j]);
				check_row(w, name, hs[i * n + j], (gp[i] - gm[i]) / (2 * h));
			}
		}
	}
	clv_output_close(&of, w, o->out);
	return CX_EXIT_OK;
}

int
clv_fit(const struct clv_opts *o, char **paths, size_t npaths)
{
	static const char *const head[] = { "term", "estimate", "std_error",
		"conf_low", "conf_high", "model" };
	static const char *const ghead[] = { "model", "n", "patterns", "log_lik",
		"aic", "bic", "iterations", "converged" };
	struct clv_data tx = { 0 }, sp = { 0 };
	struct fitted ft = { 0 }, fs = { 0 };
	struct cx_outfile of, og;
	struct cx_csvout *w;

	read_summary(o, paths, npaths, o->model, &tx, o->spend ? &sp : NULL);
	if (o->x_gradient) {
		int rc = gradient_check(o, o->model, &tx);

		clv_data_free(&tx);
		clv_data_free(&sp);
		return rc;
	}
	run(o, o->model, &tx, &ft);
	if (o->spend)
		run(o, &clv_ggamma, &sp, &fs);
	if (o->glance) {
		struct cx_csvout *g = clv_output_open(&og, o->glance);

		cx_csvout_row(g, ghead, 8);
		write_glance(g, &ft);
		if (o->spend)
			write_glance(g, &fs);
		clv_output_close(&og, g, o->glance);
	}
	w = clv_output_open(&of, o->out);
	cx_csvout_row(w, head, 6);
	write_terms(w, &ft);
	if (o->spend)
		write_terms(w, &fs);
	clv_output_close(&of, w, o->out);
	if (!o->quiet)
		cx_warnx("%s: %.17g customers in %zu patterns, log-likelihood %.6f, %d iterations",
		    ft.m->name, ft.nobs, ft.npat, ft.r.loglik, ft.r.iterations);
	cx_optim_result_fini(&ft.r);
	cx_optim_result_fini(&fs.r);
	clv_data_free(&tx);
	clv_data_free(&sp);
	return CX_EXIT_OK;
}
