/*
 * optim: maximum likelihood with GSL's BFGS2 on unconstrained parameters.
 * Positive parameters are optimised as u = log(theta), so the search never
 * leaves the domain; standard errors come from the Hessian of -LL in u and go
 * back to theta by the delta method (se_theta = |dtheta/du| se_u).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

#include "cxerr.h"
#include "optim.h"

#define U_LIMIT	60.0	/* |u| beyond this is treated as infeasible (exp overflow) */

struct ctx {
	const struct cx_optim_problem *p;
	double	*theta;		/* scratch, natural scale */
	double	*g;		/* scratch gradient, natural scale */
	double	 scale;		/* |LL| at start, for the gradient test */
	long	 nevals;
	/* With an analytic gradient every evaluation computes both, and the
	 * last one is kept: GSL's line search asks for f and then for the
	 * gradient at the same point, which would otherwise cost two passes
	 * over the data. */
	double	*cu;		/* point of the cached evaluation (optimiser scale) */
	double	*cg;		/* its gradient in u */
	double	 cf;		/* its -LL */
	int	 cached;
	/* Preconditioning (cx_optim_mle_pre): BFGS sees v = L^T (u - u0) where
	 * L L^T is the Hessian guess, so that a good guess makes the problem
	 * look like a unit quadratic.  L == NULL: BFGS sees u itself. */
	double	*L;		/* n x n lower triangle, row-major */
	double	*u0;
	double	*ub, *gb;	/* scratch on the u scale */
	int	(*hess)(const double *, double *, void *);	/* analytic Hessian or NULL */
};

double
cx_optim_to_natural(int scale, double u)
{
	switch (scale) {
	case CX_OPTIM_POSITIVE:	return exp(u);
	case CX_OPTIM_UNIT:	return 1.0 / (1.0 + exp(-u));
	default:		return u;
	}
}

double
cx_optim_from_natural(int scale, double theta)
{
	switch (scale) {
	case CX_OPTIM_POSITIVE:	return log(theta);
	case CX_OPTIM_UNIT:	return log(theta / (1.0 - theta));
	default:		return theta;
	}
}

/* dtheta/du */
static double
jacobian(int scale, double u)
{
	double t;

	switch (scale) {
	case CX_OPTIM_POSITIVE:	return exp(u);
	case CX_OPTIM_UNIT:	t = 1.0 / (1.0 + exp(-u)); return t * (1.0 - t);
	default:		return 1.0;
	}
}

static int
scale_of(const struct cx_optim_problem *p, size_t i)
{
	return p->scale ? p->scale[i] : CX_OPTIM_REAL;
}

static double	negll_grad_u(struct ctx *, const double *, double *);

/* -LL at optimiser-scale point u; +inf where infeasible.  With an analytic
 * gradient (and a cache) the gradient comes along, see struct ctx. */
static double
negll_u(struct ctx *c, const double *u)
{
	const struct cx_optim_problem *p = c->p;
	double ll;
	size_t i;

	if (p->loglik_grad != NULL && c->cu != NULL)
		return negll_grad_u(c, u, NULL);
	for (i = 0; i < p->npar; i++) {
		if (scale_of(p, i) != CX_OPTIM_REAL && fabs(u[i]) > U_LIMIT)
			return HUGE_VAL;
		c->theta[i] = cx_optim_to_natural(scale_of(p, i), u[i]);
	}
	c->nevals++;
	ll = p->loglik(c->theta, p->ctx);
	return isfinite(ll) ? -ll : HUGE_VAL;
}

/* -LL and its gradient in u (analytic through the chain rule, or central
 * differences with a step relative to the parameter).  gu may be NULL only
 * with an analytic gradient and a cache (the value alone is wanted). */
static double
negll_grad_u(struct ctx *c, const double *u, double *gu)
{
	const struct cx_optim_problem *p = c->p;
	size_t i, n = p->npar;
	double f, ll;

	if (p->loglik_grad != NULL) {
		if (c->cu != NULL && c->cached && memcmp(c->cu, u, n * sizeof *u) == 0) {
			if (gu != NULL)
				memcpy(gu, c->cg, n * sizeof *gu);
			return c->cf;
		}
		if (gu == NULL)
			gu = c->cg;
		for (i = 0; i < n; i++) {
			if (scale_of(p, i) != CX_OPTIM_REAL && fabs(u[i]) > U_LIMIT)
				goto bad;
			c->theta[i] = cx_optim_to_natural(scale_of(p, i), u[i]);
		}
		c->nevals++;
		ll = p->loglik_grad(c->theta, c->g, p->ctx);
		if (!isfinite(ll))
			goto bad;
		for (i = 0; i < n; i++) {
			gu[i] = -c->g[i] * jacobian(scale_of(p, i), u[i]);
			if (!isfinite(gu[i]))
				goto bad;
		}
		if (c->cu != NULL) {
			memcpy(c->cu, u, n * sizeof *u);
			if (gu != c->cg)
				memcpy(c->cg, gu, n * sizeof *gu);
			c->cf = -ll;
			c->cached = 1;
		}
		return -ll;
	}
	f = negll_u(c, u);
	if (!isfinite(f))
		goto bad;
	{
		double w[64], *uu = n <= 64 ? w : malloc(n * sizeof *uu);

		if (uu == NULL)
			goto bad;
		memcpy(uu, u, n * sizeof *uu);
		for (i = 0; i < n; i++) {
			double h = 1e-5 * fmax(1.0, fabs(u[i])), fp, fm;

			uu[i] = u[i] + h;
			fp = negll_u(c, uu);
			uu[i] = u[i] - h;
			fm = negll_u(c, uu);
			uu[i] = u[i];
			gu[i] = (fp - fm) / (2 * h);
			if (!isfinite(gu[i])) {
				if (uu != w)
					free(uu);
				goto bad;
			}
		}
		if (uu != w)
			free(uu);
	}
	return f;
bad:
	if (gu == NULL)
		gu = c->cg;
	for (i = 0; i < n; i++)
		gu[i] = 0;
	if (c->cu != NULL) {
		memcpy(c->cu, u, n * sizeof *u);
		if (gu != c->cg)
			memcpy(c->cg, gu, n * sizeof *gu);
		c->cf = HUGE_VAL;
		c->cached = 1;
	}
	return HUGE_VAL;
}

/* u = u0 + L^-T v (back substitution) */
static void
pre_to_u(const struct ctx *c, const double *v, double *u)
{
	size_t n = c->p->npar, i, j;

	for (i = n; i-- > 0;) {
		double t = v[i];

		for (j = i + 1; j < n; j++)
			t -= c->L[j * n + i] * u[j];
		u[i] = t / c->L[i * n + i];
	}
	for (i = 0; i < n; i++)
		u[i] += c->u0[i];
}

/* g_v = L^-1 g_u (forward substitution), in place */
static void
pre_grad_v(const struct ctx *c, double *g)
{
	size_t n = c->p->npar, i, j;

	for (i = 0; i < n; i++) {
		double t = g[i];

		for (j = 0; j < i; j++)
			t -= c->L[i * n + j] * g[j];
		g[i] = t / c->L[i * n + i];
	}
}

static double
gsl_f(const gsl_vector *v, void *arg)
{
	struct ctx *c = arg;

	if (c->L == NULL)
		return negll_u(c, v->data);
	pre_to_u(c, v->data, c->ub);
	return negll_u(c, c->ub);
}

static void
gsl_df(const gsl_vector *v, void *arg, gsl_vector *g)
{
	struct ctx *c = arg;

	if (c->L == NULL) {
		negll_grad_u(c, v->data, g->data);
		return;
	}
	pre_to_u(c, v->data, c->ub);
	negll_grad_u(c, c->ub, g->data);
	pre_grad_v(c, g->data);
}

static void
gsl_fdf(const gsl_vector *v, void *arg, double *f, gsl_vector *g)
{
	struct ctx *c = arg;

	if (c->L == NULL) {
		*f = negll_grad_u(c, v->data, g->data);
		return;
	}
	pre_to_u(c, v->data, c->ub);
	*f = negll_grad_u(c, c->ub, g->data);
	pre_grad_v(c, g->data);
}

static double
gmax(const gsl_vector *g)
{
	double m = 0;
	size_t i;

	for (i = 0; i < g->size; i++)
		m = fmax(m, fabs(gsl_vector_get(g, i)));
	return m;
}

/* max |dLL/du| from the gradient BFGS sees (g_u = L g_v when preconditioned) */
static double
gmax_u(const struct ctx *c, const gsl_vector *g)
{
	size_t n = g->size, i, j;
	double m = 0;

	if (c->L == NULL)
		return gmax(g);
	for (i = 0; i < n; i++) {
		double t = 0;

		for (j = 0; j <= i; j++)
			t += c->L[i * n + j] * g->data[j];
		m = fmax(m, fabs(t));
	}
	return m;
}

int
cx_optim_hessian(const struct cx_optim_problem *p, const double *par, double *h)
{
	struct ctx c = { .p = p };
	size_t n = p->npar, i, j;
	double *u, *uu, *gp, *gm, *hs;

	u = calloc(n, sizeof *u);
	uu = calloc(n, sizeof *uu);
	gp = calloc(n, sizeof *gp);
	gm = calloc(n, sizeof *gm);
	hs = calloc(n, sizeof *hs);
	c.theta = calloc(n, sizeof *c.theta);
	c.g = calloc(n, sizeof *c.g);
	if (!u || !uu || !gp || !gm || !hs || !c.theta || !c.g) {
		free(u); free(uu); free(gp); free(gm); free(hs); free(c.theta); free(c.g);
		return CX_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		u[i] = cx_optim_from_natural(scale_of(p, i), par[i]);
		hs[i] = 1e-4 * fmax(1.0, fabs(u[i]));
	}
	memcpy(uu, u, n * sizeof *uu);
	if (p->loglik_grad != NULL) {
		/* central differences of the analytic gradient, then symmetrised */
		for (j = 0; j < n; j++) {
			uu[j] = u[j] + hs[j];
			negll_grad_u(&c, uu, gp);
			uu[j] = u[j] - hs[j];
			negll_grad_u(&c, uu, gm);
			uu[j] = u[j];
			for (i = 0; i < n; i++)
				h[i * n + j] = -(gp[i] - gm[i]) / (2 * hs[j]);
		}
		for (i = 0; i < n; i++)
			for (j = 0; j < i; j++)
				h[i * n + j] = h[j * n + i] = (h[i * n + j] + h[j * n + i]) / 2;
	} else {
		double f0 = negll_u(&c, u);

		for (i = 0; i < n; i++) {
			double fp, fm;

			uu[i] = u[i] + hs[i];
			fp = negll_u(&c, uu);
			uu[i] = u[i] - hs[i];
			fm = negll_u(&c, uu);
			uu[i] = u[i];
			h[i * n + i] = -(fp - 2 * f0 + fm) / (hs[i] * hs[i]);
			for (j = 0; j < i; j++) {
				double fpp, fpm, fmp, fmm;

				uu[i] = u[i] + hs[i]; uu[j] = u[j] + hs[j]; fpp = negll_u(&c, uu);
				uu[j] = u[j] - hs[j]; fpm = negll_u(&c, uu);
				uu[i] = u[i] - hs[i]; fmm = negll_u(&c, uu);
				uu[j] = u[j] + hs[j]; fmp = negll_u(&c, uu);
				uu[i] = u[i]; uu[j] = u[j];
				h[i * n + j] = h[j * n + i] =
				    -(fpp - fpm - fmp + fmm) / (4 * hs[i] * hs[j]);
			}
		}
	}
	free(u); free(uu); free(gp); free(gm); free(hs); free(c.theta); free(c.g);
	return 0;
}

/* Covariance on the natural scale from the Hessian of LL in u. */
static void
standard_errors(const struct cx_optim_problem *p, struct cx_optim_result *r, double z,
    double *h, int have_h)
{
	size_t n = p->npar, i, j;
	gsl_matrix *m = gsl_matrix_alloc(n, n);
	gsl_error_handler_t *old;
	int st;

	for (i = 0; i < n; i++)
		r->se[i] = r->conf_low[i] = r->conf_high[i] = NAN;
	for (i = 0; i < n * n; i++)
		r->cov[i] = NAN;
	r->hessian_ok = 0;
	if (m == NULL || h == NULL || (!have_h && cx_optim_hessian(p, r->par, h) != 0)) {
		if (r->msg[0] == 0) snprintf(r->msg, sizeof r->msg, "out of memory for the Hessian");
		goto out;
	}
	for (i = 0; i < n * n; i++)
		if (!isfinite(h[i])) {
			if (r->msg[0] == 0) snprintf(r->msg, sizeof r->msg, "the Hessian is not finite");
			goto out;
		}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			gsl_matrix_set(m, i, j, -h[i * n + j]);	/* information matrix */
	old = gsl_set_error_handler_off();
	st = gsl_linalg_cholesky_decomp1(m);
	if (st == 0)
		st = gsl_linalg_cholesky_invert(m);
	gsl_set_error_handler(old);
	if (st != 0) {
		if (r->msg[0] == 0) snprintf(r->msg, sizeof r->msg,
		    "the Hessian is not negative definite: no standard errors");
		goto out;
	}
	r->hessian_ok = 1;
	for (i = 0; i < n; i++) {
		int s = scale_of(p, i);
		double u = cx_optim_from_natural(s, r->par[i]);
		double su = sqrt(gsl_matrix_get(m, i, i));

		for (j = 0; j < n; j++) {
			int t = scale_of(p, j);
			double uj = cx_optim_from_natural(t, r->par[j]);

			r->cov[i * n + j] = jacobian(s, u) * jacobian(t, uj) * gsl_matrix_get(m, i, j);
		}
		r->se[i] = fabs(jacobian(s, u)) * su;
		r->conf_low[i] = cx_optim_to_natural(s, u - z * su);
		r->conf_high[i] = cx_optim_to_natural(s, u + z * su);
	}
out:
	if (m)
		gsl_matrix_free(m);
}

void
cx_optim_result_fini(struct cx_optim_result *r)
{
	free(r->par);
	free(r->se);
	free(r->conf_low);
	free(r->conf_high);
	free(r->cov);
	free(r->hess);
	r->par = r->se = r->conf_low = r->conf_high = r->cov = r->hess = NULL;
}

/* Newton steps with the finite-difference Hessian from the BFGS end point
 * (only after convergence; otherwise just the Hessian at the end point):
 * BFGS stops once the gradient test passes, which leaves flat directions
 * (Pareto/NBD beta) a few units off in the fourth digit; two or three Newton
 * steps reach the optimum to rounding.  A step is kept only if it raises LL
 * (to rounding) and shrinks the gradient. */
static int	hessian_at(struct ctx *, const double *, double *);

static int
polish(const struct cx_optim_problem *p, struct ctx *c, gsl_vector *x, gsl_vector *g, double *f,
    double tol, int newton, double *h)
{
	size_t n = p->npar, i, j;
	gsl_matrix *m = gsl_matrix_alloc(n, n);
	gsl_vector *step = gsl_vector_alloc(n), *xn = gsl_vector_alloc(n), *gn = gsl_vector_alloc(n);
	gsl_permutation *perm = gsl_permutation_alloc(n);
	double *par = malloc(n * sizeof *par);
	gsl_error_handler_t *old = gsl_set_error_handler_off();
	int it, sg, ok = 0;

	if (!m || !step || !xn || !gn || !perm || !par)
		goto out;
	for (it = 0; it < 4; it++) {
		double fn;

		/* the Hessian at the current point: for the Newton step and, at
		 * the end, for the standard errors */
		for (i = 0; i < n; i++)
			par[i] = cx_optim_to_natural(scale_of(p, i), gsl_vector_get(x, i));
		if (hessian_at(c, par, h) != 0)
			goto out;
		ok = 1;
		if (!newton || it == 3 || gmax(g) <= 1e-4 * tol)
			break;	/* at the optimum to rounding */
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++)
				gsl_matrix_set(m, i, j, -h[i * n + j]);	/* Hessian of -LL */
		if (gsl_linalg_LU_decomp(m, perm, &sg) != 0 ||
		    gsl_linalg_LU_solve(m, perm, g, step) != 0)
			break;
		for (i = 0; i < n; i++)
			gsl_vector_set(xn, i, gsl_vector_get(x, i) - gsl_vector_get(step, i));
		fn = negll_grad_u(c, xn->data, gn->data);
		if (!isfinite(fn) || fn > *f + 1e-13 * fabs(*f) || gmax(gn) >= gmax(g))
			break;
		gsl_vector_memcpy(x, xn);
		gsl_vector_memcpy(g, gn);
		*f = fn;
		/* The step was tiny (the gradient test had passed): the Hessian one
		 * step back serves the standard errors to many digits. */
		if (gmax(g) <= 1e-2 * tol)
			break;
	}
out:
	gsl_set_error_handler(old);
	free(par);
	if (m) gsl_matrix_free(m);
	if (step) gsl_vector_free(step);
	if (xn) gsl_vector_free(xn);
	if (gn) gsl_vector_free(gn);
	if (perm) gsl_permutation_free(perm);
	return ok;
}

int
cx_optim_mle(const struct cx_optim_problem *p, const double *start,
    const struct cx_optim_opts *o, struct cx_optim_result *r)
{
	return cx_optim_mle_pre(p, start, o, NULL, r);
}

/* d2LL/du2 at natural parameters par into h: from the analytic Hessian when
 * there is one (chain rule: J_i J_j H_ij, plus dJ_i/du_i dLL/dtheta_i on the
 * diagonal), otherwise cx_optim_hessian. */
static int
hessian_at(struct ctx *c, const double *par, double *h)
{
	const struct cx_optim_problem *p = c->p;
	size_t n = p->npar, i, j;
	double u[64], gu[64], f;

	if (c->hess == NULL || n > 64)
		return cx_optim_hessian(p, par, h);
	for (i = 0; i < n; i++)
		u[i] = cx_optim_from_natural(scale_of(p, i), par[i]);
	f = negll_grad_u(c, u, gu);	/* usually cached: the point was just evaluated */
	if (!isfinite(f) || c->hess(par, h, p->ctx) != 0)
		return cx_optim_hessian(p, par, h);
	for (i = 0; i < n; i++) {
		double ji = jacobian(scale_of(p, i), u[i]), d2 = 0;

		for (j = 0; j < n; j++)
			h[i * n + j] *= ji * jacobian(scale_of(p, j), u[j]);
		/* gu = -dLL/dtheta J, so dLL/dtheta = -gu / J */
		switch (scale_of(p, i)) {
		case CX_OPTIM_POSITIVE:	d2 = ji; break;
		case CX_OPTIM_UNIT:	d2 = ji * (1 - 2 * cx_optim_to_natural(CX_OPTIM_UNIT, u[i])); break;
		default:		d2 = 0; break;
		}
		if (d2 != 0)
			h[i * n + i] += d2 * (-gu[i] / ji);
	}
	for (i = 0; i < n * n; i++)
		if (!isfinite(h[i]))
			return cx_optim_hessian(p, par, h);
	return 0;
}

/* Cholesky factor of info into c->L (lower, row-major); 0, or -1 when info is
 * not positive definite (then no preconditioning) or memory ran out. */
static int
pre_setup(struct ctx *c, const double *info, const double *u0)
{
	size_t n = c->p->npar, i, j;
	gsl_matrix *m = gsl_matrix_alloc(n, n);
	gsl_error_handler_t *old;
	int st;

	c->L = calloc(n * n, sizeof *c->L);
	c->u0 = calloc(n, sizeof *c->u0);
	c->ub = calloc(n, sizeof *c->ub);
	c->gb = calloc(n, sizeof *c->gb);
	if (m == NULL || !c->L || !c->u0 || !c->ub || !c->gb)
		goto fail;
	for (i = 0; i < n * n; i++)
		if (!isfinite(info[i]))
			goto fail;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			gsl_matrix_set(m, i, j, info[i * n + j]);
	old = gsl_set_error_handler_off();
	st = gsl_linalg_cholesky_decomp1(m);
	gsl_set_error_handler(old);
	if (st != 0)
		goto fail;
	for (i = 0; i < n; i++)
		for (j = 0; j <= i; j++)
			c->L[i * n + j] = gsl_matrix_get(m, i, j);
	memcpy(c->u0, u0, n * sizeof *u0);
	gsl_matrix_free(m);
	return 0;
fail:
	if (m)
		gsl_matrix_free(m);
	free(c->L);
	free(c->u0);
	free(c->ub);
	free(c->gb);
	c->L = c->u0 = c->ub = c->gb = NULL;
	return -1;
}

/*
 * Before BFGS on a preconditioned problem: steps v -= g_v, i.e. Newton steps
 * with the guessed Hessian (one evaluation each when the guess is good; the
 * error shrinks by the guess's relative error per step), halved up to three
 * times while -LL does not decrease.  BFGS takes over from wherever this stops
 * (at once when the gradient test already passes).  Returns the steps taken.
 */
static int
chord(struct ctx *c, gsl_vector *x, double gtol, int max_iter)
{
	size_t n = c->p->npar, i;
	gsl_vector *g = gsl_vector_alloc(n), *gt = gsl_vector_alloc(n), *xt = gsl_vector_alloc(n);
	double f, ft;
	int it = 0, ls;

	if (g == NULL || gt == NULL || xt == NULL)
		goto out;
	gsl_fdf(x, c, &f, g);
	while (it < 50 && it < max_iter && isfinite(f) && gmax_u(c, g) > gtol * fmax(1.0, fabs(f))) {
		double lam = 1;

		for (ls = 0; ls < 4; ls++, lam /= 2) {
			for (i = 0; i < n; i++)
				xt->data[i] = x->data[i] - lam * g->data[i];
			gsl_fdf(xt, c, &ft, gt);
			if (isfinite(ft) && ft < f)
				break;
		}
		if (ls == 4)
			break;
		gsl_vector_memcpy(x, xt);
		gsl_vector_memcpy(g, gt);
		f = ft;
		it++;
	}
out:
	if (g) gsl_vector_free(g);
	if (gt) gsl_vector_free(gt);
	if (xt) gsl_vector_free(xt);
	return it;
}

int
cx_optim_mle_pre(const struct cx_optim_problem *p, const double *start,
    const struct cx_optim_opts *o, const struct cx_optim_more *more, struct cx_optim_result *r)
{
	const double *info = more ? more->info : NULL;
	const gsl_multimin_fdfminimizer_type *type = gsl_multimin_fdfminimizer_vector_bfgs2;
	size_t n = p->npar, i;
	int max_iter = o && o->max_iter > 0 ? o->max_iter : 500;
	int restarts = o && o->restarts > 0 ? o->restarts : 3;
	double gtol = o && o->gtol > 0 ? o->gtol : 1e-7;
	double level = o && o->level > 0 ? o->level : 0.95;
	gsl_multimin_function_fdf fn;
	gsl_multimin_fdfminimizer *s = NULL;
	gsl_vector *x = NULL;
	gsl_error_handler_t *old;
	struct ctx c = { .p = p };
	double f0, tol;
	int iter = 0, k, rc = 0;

	memset(r, 0, sizeof *r);
	r->npar = n;
	r->par = calloc(n, sizeof *r->par);
	r->se = calloc(n, sizeof *r->se);
	r->conf_low = calloc(n, sizeof *r->conf_low);
	r->conf_high = calloc(n, sizeof *r->conf_high);
	r->cov = calloc(n * n, sizeof *r->cov);
	r->hess = calloc(n * n, sizeof *r->hess);
	c.theta = calloc(n, sizeof *c.theta);
	c.g = calloc(n, sizeof *c.g);
	if (p->loglik_grad != NULL) {
		c.cu = calloc(n, sizeof *c.cu);
		c.cg = calloc(n, sizeof *c.cg);
	}
	x = gsl_vector_alloc(n);
	s = gsl_multimin_fdfminimizer_alloc(type, n);
	if (!r->par || !r->se || !r->conf_low || !r->conf_high || !r->cov || !r->hess ||
	    !c.theta || !c.g || !x || !s || (p->loglik_grad != NULL && (!c.cu || !c.cg))) {
		rc = CX_ENOMEM;
		goto out;
	}
	for (i = 0; i < n * n; i++)
		r->hess[i] = NAN;
	for (i = 0; i < n; i++)
		gsl_vector_set(x, i, cx_optim_from_natural(scale_of(p, i), start[i]));
	f0 = negll_u(&c, x->data);
	if (isfinite(f0) && info != NULL && pre_setup(&c, info, x->data) == 0)
		gsl_vector_set_zero(x);		/* v = 0 at u0 */
	if (!isfinite(f0)) {
		snprintf(r->msg, sizeof r->msg, "the log-likelihood is not finite at the start values");
		rc = CX_EDATA;
		goto out;
	}
	tol = gtol * fmax(1.0, fabs(f0));
	fn.n = n;
	fn.f = gsl_f;
	fn.df = gsl_df;
	fn.fdf = gsl_fdf;
	fn.params = &c;
	if (more != NULL && p->loglik_grad != NULL)
		c.hess = more->loglik_hess;
	old = gsl_set_error_handler_off();
	if (c.L != NULL)
		iter += chord(&c, x, gtol, max_iter);
	for (k = 0; k <= restarts && iter < max_iter; k++) {
		double step = 0.05;
		int st;

		r->restarts = k;
		if (c.L != NULL) {
			/* with a good guess the Newton step is -g_v: try its
			 * length first (the value is cached for the set below) */
			gsl_vector_view gv = gsl_vector_view_array(c.gb, n);
			double f;

			gsl_fdf(x, &c, &f, &gv.vector);
			step = gsl_blas_dnrm2(&gv.vector);
			if (!isfinite(f) || !(step > 0))
				step = 0.05;
		}
		if (gsl_multimin_fdfminimizer_set(s, &fn, x, step, 0.1) != GSL_SUCCESS)
			break;
		if (!isfinite(s->f))
			break;
		tol = gtol * fmax(1.0, fabs(s->f));
		if (gmax_u(&c, s->gradient) <= tol) {
			r->converged = 1;
			break;
		}
		do {
			iter++;
			st = gsl_multimin_fdfminimizer_iterate(s);
			gsl_vector_memcpy(x, s->x);
			if (st != GSL_SUCCESS)
				break;
			tol = gtol * fmax(1.0, fabs(s->f));
			if (gmax_u(&c, s->gradient) <= tol) {
				r->converged = 1;
				break;
			}
		} while (iter < max_iter);
		if (r->converged)
			break;
		/* A stalled line search (GSL_ENOPROG) restarts BFGS at the same
		 * point with a fresh Hessian approximation. */
	}
	gsl_set_error_handler(old);
	r->iterations = iter;
	if (c.L != NULL) {
		/* back to u for the polish and the standard errors */
		pre_to_u(&c, x->data, c.ub);
		memcpy(x->data, c.ub, n * sizeof *c.ub);
	}
	for (i = 0; i < n; i++)
		r->par[i] = cx_optim_to_natural(scale_of(p, i), gsl_vector_get(x, i));
	{
		gsl_vector *g = gsl_vector_alloc(n);
		double *h = malloc(n * n * sizeof *h), f;
		int have_h;

		if (g == NULL || h == NULL) {
			if (g)
				gsl_vector_free(g);
			free(h);
			rc = CX_ENOMEM;
			goto out;
		}
		f = negll_grad_u(&c, x->data, g->data);
		have_h = isfinite(f) && polish(p, &c, x, g, &f, tol, r->converged, h);
		for (i = 0; i < n; i++)
			r->par[i] = cx_optim_to_natural(scale_of(p, i), gsl_vector_get(x, i));
		r->loglik = -f;
		r->grad_max = gmax(g);
		gsl_vector_free(g);
		if (!r->converged)
			snprintf(r->msg, sizeof r->msg,
			    "no convergence after %d iterations and %d restarts (largest gradient %.3g)",
			    iter, r->restarts, r->grad_max);
		if (have_h)
			memcpy(r->hess, h, n * n * sizeof *h);
		standard_errors(p, r, gsl_cdf_ugaussian_Pinv(0.5 + level / 2), h, have_h);
		free(h);
	}
out:
	free(c.theta);
	free(c.g);
	free(c.cu);
	free(c.cg);
	free(c.L);
	free(c.u0);
	free(c.ub);
	free(c.gb);
	if (x)
		gsl_vector_free(x);
	if (s)
		gsl_multimin_fdfminimizer_free(s);
	if (rc == CX_ENOMEM)
		cx_optim_result_fini(r);
	return rc;
}
