/*
 * regress: generalised linear models over GSL for cxkit tools (cx-churn logit,
 * reusable by cx-nps key drivers and cx-peakend regression tests).
 * Owner: the cx-churn engineer.
 * Ownership: a struct cx_regress_fit is caller-owned (init with
 * cx_regress_fit_init, release with cx_regress_fit_fini); the X, y and w arrays
 * passed in are borrowed and never kept.  Nothing here prints or exits.
 * Design matrices are row-major n x p doubles (include the intercept column
 * yourself).
 */
#ifndef CX_REGRESS_H
#define CX_REGRESS_H

#include <stddef.h>

struct cx_regress_fit {
	size_t	 n, p;		/* rows used (weight > 0), coefficients */
	double	*beta;		/* p estimates */
	double	*cov;		/* p x p covariance, row-major */
	double	*se;		/* p standard errors */
	double	 deviance;	/* residual deviance (OLS: residual sum of squares) */
	double	 null_deviance;	/* intercept-only deviance (OLS: total SS about the mean) */
	double	 loglik;	/* log-likelihood (OLS: Gaussian, sigma^2 = RSS/n) */
	double	 aic;
	double	 sigma2;	/* OLS: RSS/(n-p); logit: 1 */
	double	 df_resid;
	int	 iterations;
	int	 converged;	/* 1 when the convergence test passed */
	int	 boundary;	/* logit: fitted probabilities numerically 0 or 1 */
};

void	cx_regress_fit_init(struct cx_regress_fit *);
void	cx_regress_fit_fini(struct cx_regress_fit *);

/*
 * Logistic regression by iteratively reweighted least squares, as R's
 * glm.fit(family = binomial()): start mu = (w y + 0.5)/(w + 1), stop when
 * |dev - dev_old|/(|dev| + 0.1) < epsilon (R: 1e-8), at most maxit (R: 25)
 * iterations.  y in [0, 1]; w are prior (case) weights, NULL for all ones.
 * The covariance is (X' W X)^-1 with the working weights of the last
 * iteration's least-squares fit, as summary.glm reports it.
 * Returns 0 (check fit->converged and fit->boundary), CX_EDATA when X is rank
 * deficient or there are fewer usable rows than coefficients, CX_ENOMEM.
 */
int	cx_regress_logit(const double *X, const double *y, const double *w,
	    size_t n, size_t p, int maxit, double epsilon, struct cx_regress_fit *fit);

/*
 * Weighted ordinary least squares (w NULL for all ones), as R's lm():
 * cov = sigma^2 (X' W X)^-1 with sigma^2 = RSS/(n - p).
 * Returns 0, CX_EDATA (rank deficient or n <= p) or CX_ENOMEM.
 */
int	cx_regress_ols(const double *X, const double *y, const double *w,
	    size_t n, size_t p, struct cx_regress_fit *fit);

#endif /* CX_REGRESS_H */
