/*
 * hyp2f1: the Gauss hypergeometric function 2F1(a, b; c; z) for real a, b, c
 * and real z < 1, beyond the domain where GSL's gsl_sf_hyperg_2F1 is reliable.
 * Owned by cx-clv (Pareto/NBD and BG/NBD expectations); reusable by any tool.
 *
 * Regions: z in [0, 1): GSL when it reports success with a small error
 * estimate, otherwise the Gauss series summed in long double (all terms have
 * one sign when a, b, c > 0, so there is no cancellation); z < 0: Pfaff's
 * transformation 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1)) into [0, 1).
 * The log form returns log|2F1| and its sign, so results beyond the range of a
 * double (large a, b near z = 1) stay usable.
 * Nothing here prints or allocates.
 */
#ifndef CX_HYP2F1_H
#define CX_HYP2F1_H

/* 2F1(a, b; c; z); NaN when z >= 1, c is a non-positive integer, or the value
 * cannot be computed (then cx_hyp2f1_log may still give its logarithm). */
double	cx_hyp2f1(double a, double b, double c, double z);

/* log|2F1(a, b; c; z)| into *logv and its sign (+1, -1, 0) into *sign.
 * Returns 0, or -1 with *logv NaN where the function is undefined here. */
int	cx_hyp2f1_log(double a, double b, double c, double z, double *logv, int *sign);

/* The Gauss series alone, summed in long double for at most maxterms terms;
 * returns -1 when it did not converge.  Exposed for tests. */
int	cx_hyp2f1_series(double a, double b, double c, double z, long maxterms,
	    long double *sum);

#endif /* CX_HYP2F1_H */
