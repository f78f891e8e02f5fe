/*
 * regress: logistic IRLS and weighted least squares over gsl_multifit.
 * The IRLS loop follows R's glm.fit step by step (same start, same working
 * weights, same stopping rule) so estimates agree with R to rounding.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_vector.h>

#include "cxerr.h"
#include "regress.h"

void
cx_regress_fit_init(struct cx_regress_fit *f)
{
	memset(f, 0, sizeof(*f));
}

void
cx_regress_fit_fini(struct cx_regress_fit *f)
{
	if (f == NULL)
		return;
	free(f->beta);
	free(f->cov);
	free(f->se);
	memset(f, 0, sizeof(*f));
}

static int
fit_alloc(struct cx_regress_fit *f, size_t p)
{
	f->p = p;
	f->beta = calloc(p, sizeof(double));
	f->cov = calloc(p * p, sizeof(double));
	f->se = calloc(p, sizeof(double));
	return (f->beta && f->cov && f->se) ? 0 : CX_ENOMEM;
}

/* Binomial unit deviance 2 w (y log(y/mu) + (1-y) log((1-y)/(1-mu))), as R's binomial()$dev.resids. */
static double
ylogy(double y, double mu)
{
	return y != 0 ? y * log(y / mu) : 0;
}

static double
binom_dev(double y, double mu, double w)
{
	return 2 * w * (ylogy(y, mu) + ylogy(1 - y, 1 - mu));
}

/* R's plogis with its clamping in binomial()$linkinv. */
static double
linkinv(double eta)
{
	const double thresh = 30, mthresh = -30, eps = 2.220446049250313e-16;
	double tmp = eta < mthresh ? eps : eta > thresh ? 1 / eps : exp(eta);

	return tmp / (1 + tmp);
}

static double
mu_eta(double eta)
{
	const double thresh = 30, eps = 2.220446049250313e-16;
	double opexp = 1 + exp(eta);

	return (eta > thresh || eta < -thresh) ? eps : exp(eta) / (opexp * opexp);
}

/* Working fit: solve min sum ww (z - X b)^2 over rows with ww > 0. */
static int
wls(gsl_multifit_linear_workspace *ws, gsl_matrix *Xm, gsl_vector *ww,
    gsl_vector *z, gsl_vector *b, gsl_matrix *cov, double *chisq, size_t *rank)
{
	gsl_error_handler_t *old = gsl_set_error_handler_off();
	int rc = gsl_multifit_wlinear_tsvd(Xm, ww, z, 1e-11, b, cov, chisq, rank, ws);

	gsl_set_error_handler(old);
	return rc;
}

int
cx_regress_logit(const double *X, const double *y, const double *w,
    size_t n, size_t p, int maxit, double epsilon, struct cx_regress_fit *f)
{
	gsl_matrix *Xm = NULL, *cov = NULL;
	gsl_vector *z = NULL, *ww = NULL, *b = NULL;
	gsl_multifit_linear_workspace *ws = NULL;
	double *eta = NULL, *mu = NULL, dev = 0, devold, chisq, sw = 0, swy = 0;
	size_t i, j, rank, nuse = 0;
	int rc = CX_ENOMEM, it;

	cx_regress_fit_init(f);
	if (fit_alloc(f, p) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;
		if (wi > 0)
			nuse++;
		sw += wi;
		swy += wi * y[i];
	}
	if (nuse <= p || p == 0) {
		rc = CX_EDATA;
		goto out;
	}
	Xm = gsl_matrix_alloc(n, p);
	cov = gsl_matrix_alloc(p, p);
	z = gsl_vector_alloc(n);
	ww = gsl_vector_alloc(n);
	b = gsl_vector_alloc(p);
	ws = gsl_multifit_linear_alloc(n, p);
	eta = malloc(n * sizeof(double));
	mu = malloc(n * sizeof(double));
	if (!Xm || !cov || !z || !ww || !b || !ws || !eta || !mu)
		goto out;
	memcpy(Xm->data, X, n * p * sizeof(double));	/* tda == p for a fresh matrix */
	for (i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;
		mu[i] = (wi * y[i] + 0.5) / (wi + 1);
		eta[i] = log(mu[i] / (1 - mu[i]));
		dev += binom_dev(y[i], mu[i], wi);
	}
	f->converged = 0;
	for (it = 1; it <= maxit; it++) {
		for (i = 0; i < n; i++) {
			double wi = w ? w[i] : 1, me = mu_eta(eta[i]);
			double var = mu[i] * (1 - mu[i]);
			gsl_vector_set(z, i, eta[i] + (y[i] - mu[i]) / me);
			gsl_vector_set(ww, i, wi > 0 ? wi * me * me / var : 0);
		}
		if (wls(ws, Xm, ww, z, b, cov, &chisq, &rank) != 0 || rank < p) {
			rc = CX_EDATA;
			goto out;
		}
		devold = dev;
		dev = 0;
		for (i = 0; i < n; i++) {
			double e = 0, wi = w ? w[i] : 1;
			for (j = 0; j < p; j++)
				e += X[i * p + j] * gsl_vector_get(b, j);
			eta[i] = e;
			mu[i] = linkinv(e);
			dev += binom_dev(y[i], mu[i], wi);
		}
		f->iterations = it;
		if (fabs(dev - devold) / (fabs(dev) + 0.1) < epsilon) {
			f->converged = 1;
			break;
		}
	}
	for (i = 0; i < n; i++) {
		const double eps = 10 * 2.220446049250313e-16;
		if ((w ? w[i] : 1) > 0 && (mu[i] > 1 - eps || mu[i] < eps))
			f->boundary = 1;
	}
	for (j = 0; j < p; j++) {
		f->beta[j] = gsl_vector_get(b, j);
		for (i = 0; i < p; i++)
			f->cov[j * p + i] = gsl_matrix_get(cov, j, i);
		f->se[j] = sqrt(f->cov[j * p + j]);
	}
	f->n = nuse;
	f->deviance = dev;
	{
		double mbar = swy / sw;
		f->null_deviance = 0;
		for (i = 0; i < n; i++)
			f->null_deviance += binom_dev(y[i], mbar, w ? w[i] : 1);
	}
	/* binomial()$aic for 0/1 responses with case weights: -2 sum w log dbinom */
	f->loglik = 0;
	for (i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;
		if (wi > 0)
			f->loglik += wi * (y[i] * log(mu[i]) + (1 - y[i]) * log(1 - mu[i]));
	}
	f->aic = -2 * f->loglik + 2 * (double)p;
	f->sigma2 = 1;
	f->df_resid = (double)nuse - (double)p;
	rc = 0;
out:
	gsl_matrix_free(Xm);
	gsl_matrix_free(cov);
	gsl_vector_free(z);
	gsl_vector_free(ww);
	gsl_vector_free(b);
	if (ws)
		gsl_multifit_linear_free(ws);
	free(eta);
	free(mu);
	return rc;
}

int
cx_regress_ols(const double *X, const double *y, const double *w,
    size_t n, size_t p, struct cx_regress_fit *f)
{
	gsl_matrix *Xm = NULL, *cov = NULL;
	gsl_vector *yv = NULL, *ww = NULL, *b = NULL;
	gsl_multifit_linear_workspace *ws = NULL;
	double chisq, sw = 0, swy = 0, tss = 0;
	size_t i, j, rank, nuse = 0;
	int rc = CX_ENOMEM;

	cx_regress_fit_init(f);
	if (fit_alloc(f, p) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;
		if (wi > 0)
			nuse++;
		sw += wi;
		swy += wi * y[i];
	}
	if (nuse <= p || p == 0) {
		rc = CX_EDATA;
		goto out;
	}
	Xm = gsl_matrix_alloc(n, p);
	cov = gsl_matrix_alloc(p, p);
	yv = gsl_vector_alloc(n);
	ww = gsl_vector_alloc(n);
	b = gsl_vector_alloc(p);
	ws = gsl_multifit_linear_alloc(n, p);
	if (!Xm || !cov || !yv || !ww || !b || !ws)
		goto out;
	memcpy(Xm->data, X, n * p * sizeof(double));
	for (i = 0; i < n; i++) {
		gsl_vector_set(yv, i, y[i]);
		gsl_vector_set(ww, i, w ? w[i] : 1);
	}
	if (wls(ws, Xm, ww, yv, b, cov, &chisq, &rank) != 0 || rank < p) {
		rc = CX_EDATA;
		goto out;
	}
	f->n = nuse;
	f->df_resid = (double)nuse - (double)p;
	f->deviance = chisq;
	f->sigma2 = chisq / f->df_resid;
	for (i = 0; i < n; i++) {
		double d = y[i] - swy / sw;
		tss += (w ? w[i] : 1) * d * d;
	}
	f->null_deviance = tss;
	f->loglik = -0.5 * (double)nuse * (log(2 * M_PI * chisq / (double)nuse) + 1);
	f->aic = -2 * f->loglik + 2 * ((double)p + 1);
	for (j = 0; j < p; j++) {
		f->beta[j] = gsl_vector_get(b, j);
		for (i = 0; i < p; i++)
			f->cov[j * p + i] = f->sigma2 * gsl_matrix_get(cov, j, i);
		f->se[j] = sqrt(f->cov[j * p + j]);
	}
	f->iterations = 1;
	f->converged = 1;
	rc = 0;
out:
	gsl_matrix_free(Xm);
	gsl_matrix_free(cov);
	gsl_vector_free(yv);
	gsl_vector_free(ww);
	gsl_vector_free(b);
	if (ws)
		gsl_multifit_linear_free(ws);
	return rc;
}
