/*
 * optim: maximum likelihood over GSL gsl_multimin (BFGS2) on transformed
 * parameters (log for positive, logit for (0,1)), numerical or analytic
 * gradients, restarts, Hessian standard errors mapped back to the natural scale
 * by the delta method.  Owned by cx-clv; written for any tool (cx-churn, cx-nps,
 * cx-peakend).
 * Ownership: the result owns its arrays; release them with cx_optim_result_fini().
 * Nothing here prints or exits.
 */
#ifndef CX_OPTIM_H
#define CX_OPTIM_H

#include <stddef.h>

/* How a parameter is mapped to the unconstrained scale the optimiser sees. */
enum {
	CX_OPTIM_REAL = 0,	/* identity */
	CX_OPTIM_POSITIVE,	/* theta = exp(u) */
	CX_OPTIM_UNIT		/* theta = 1 / (1 + exp(-u)), in (0, 1) */
};

struct cx_optim_problem {
	size_t		 npar;
	const int	*scale;		/* npar CX_OPTIM_* codes; NULL = all real */
	/* Log-likelihood at natural parameters; a non-finite value marks an
	 * infeasible point.  Required. */
	double		(*loglik)(const double *par, void *ctx);
	/* Optional: log-likelihood and its gradient with respect to the natural
	 * parameters (grad has npar slots).  When NULL, central differences. */
	double		(*loglik_grad)(const double *par, double *grad, void *ctx);
	void		*ctx;
};

struct cx_optim_opts {
	int	max_iter;	/* BFGS iterations over all restarts; 0 = 500 */
	int	restarts;	/* fresh BFGS starts from the current point; default 0 means 3 */
	double	gtol;		/* converged when max |dLL/du| <= gtol * max(1, |LL|); 0 = 1e-7 */
	double	level;		/* confidence level of conf_low/high; 0 = 0.95 */
};

struct cx_optim_result {
	size_t	 npar;
	double	*par;		/* estimates, natural scale */
	double	*se;		/* delta-method standard errors (NaN if the Hessian failed) */
	double	*conf_low;	/* Wald interval on the optimiser scale, mapped back */
	double	*conf_high;
	double	*cov;		/* npar x npar covariance, natural scale, row-major */
	double	*hess;		/* npar x npar d2LL/du2 at the end point, optimiser
				 * scale (what the standard errors invert); NaN when
				 * it could not be computed */
	double	 loglik;
	double	 grad_max;	/* max |dLL/du| at the end */
	int	 iterations;	/* BFGS iterations used */
	int	 restarts;	/* restarts used */
	int	 converged;	/* 1 when the gradient test passed */
	int	 hessian_ok;	/* 1 when -H was positive definite */
	char	 msg[160];	/* why it did not converge, or a Hessian note */
};

/* Maximise problem->loglik from start (natural scale, feasible).  Fills res
 * (res->converged says whether it worked; standard errors are computed at the
 * end point either way).  Returns 0, CX_EDATA when start is infeasible, or
 * CX_ENOMEM. */
int	cx_optim_mle(const struct cx_optim_problem *, const double *start,
	    const struct cx_optim_opts *, struct cx_optim_result *res);

/* Optional extras for cx_optim_mle_pre (a zeroed struct or NULL: none). */
struct cx_optim_more {
	/* A guess of -d2LL/du2 near the optimum (npar x npar, row-major,
	 * optimiser scale), e.g. a subsample fit's -hess scaled by the ratio of
	 * the numbers of observations: BFGS then searches in coordinates in
	 * which the guess is the identity, after Newton steps with it, and a
	 * good guess saves most of the iterations.  Ignored unless positive
	 * definite. */
	const double	*info;
	/* The Hessian of the log-likelihood in the natural parameters into
	 * hess (npar x npar, row-major); 0, or -1 when it cannot be computed
	 * (then central differences of the gradient, as without it).  Used for
	 * the final Newton steps and the standard errors; needs loglik_grad. */
	int		(*loglik_hess)(const double *par, double *hess, void *ctx);
};

/* cx_optim_mle with the extras above. */
int	cx_optim_mle_pre(const struct cx_optim_problem *, const double *start,
	    const struct cx_optim_opts *, const struct cx_optim_more *, struct cx_optim_result *res);

/* Numerical Hessian of the log-likelihood on the optimiser scale at natural
 * parameters par (npar x npar, row-major, into h).  0 or CX_ENOMEM. */
int	cx_optim_hessian(const struct cx_optim_problem *, const double *par, double *h);

void	cx_optim_result_fini(struct cx_optim_result *);	/* safe on a zeroed struct */

/* The transforms, exposed for callers that report on the optimiser scale. */
double	cx_optim_to_natural(int scale, double u);
double	cx_optim_from_natural(int scale, double theta);

#endif /* CX_OPTIM_H */
