/*
 * cx-clv: buy-till-you-die models (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB) and the
 * Gamma-Gamma spend model.  Declarations shared by the files of the tool.
 */
#ifndef CLV_H
#define CLV_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csvin.h"
#include "csvout.h"
#include "outfile.h"
#include "rejects.h"

#define CLV_MAXPAR	4
#define CLV_MAXRENAME	32

/* Customers compressed to unique patterns with weights. */
struct clv_data {
	size_t	 n, cap;
	double	*x, *tx, *T, *w;	/* for BG/BB: T holds n (opportunities) */
	double	*z;			/* mean spend (Gamma-Gamma), NaN when unused */
	double	*lz;			/* log z, computed once by clv_data_finish */
	double	 nobs;			/* sum of weights */
	size_t	 nx;			/* distinct x values and their weights */
	double	*xv, *xw;
	size_t	*xi;			/* pattern -> index into xv */
	double	*scratch;		/* nx * 8 doubles for per-x terms */
};

struct clv_model {
	const char	*name;		/* "bgnbd" */
	const char	*title;		/* "BG/NBD (Fader, Hardie and Lee 2005)" */
	int		 discrete;	/* BG/BB: x, t_x, n */
	int		 spend;		/* Gamma-Gamma: x, mean_spend */
	size_t		 npar;
	const char	*term[CLV_MAXPAR];
	double		 start[CLV_MAXPAR];
	double		(*loglik)(const double *par, const struct clv_data *);
	double		(*loglik_grad)(const double *par, const struct clv_data *, double *g);
	/* per customer, natural parameters; t = horizon in model units */
	double		(*palive)(const double *par, double x, double tx, double T);
	double		(*condexp)(const double *par, double x, double tx, double T, double t);
	double		(*ppurchase)(const double *par, double x, double tx, double T, double t);
	/* optional: the Hessian of loglik in the natural parameters into h
	 * (npar x npar, row-major); 0 or -1 (then finite differences) */
	int		(*loglik_hess)(const double *par, const struct clv_data *, double *h);
};

extern const struct clv_model clv_bgnbd, clv_mbgnbd, clv_pnbd, clv_bgbb, clv_ggamma;
const struct clv_model *clv_model_find(const char *name);	/* NULL if unknown */
double	clv_gg_expected(const double *par, double x, double zbar);	/* E[Z | x, zbar] */

/* A fitted model file read back. */
struct clv_fitted {
	const struct clv_model	*tx;		/* transaction model */
	double			 txpar[CLV_MAXPAR];
	int			 has_spend;
	double			 gg[3];
};

/* Options shared by the modes. */
struct clv_opts {
	const char	*out;
	int		 delim;
	int		 quiet;
	struct cx_rename rename[CLV_MAXRENAME];
	size_t		 nrename;
	const char	*rejects;
	int		 read_thread;	/* parse input in a second thread (score) */
	size_t		 threads;	/* --threads (summary, validate); 0 = default */
	/* summary / validate */
	double		 unit;		/* days per time unit */
	const char	*unit_name;
	int		 has_cal_end, has_hold_end;
	int32_t		 cal_end, hold_end;
	const char	*time_format;
	int		 partial;
	/* fit */
	const struct clv_model *model;
	int		 spend;
	const char	*glance;
	int		 max_iter;
	const char	*x_gradient;	/* --x-gradient PARAMS: test-only gradient check */
	double		 level;
	/* score / validate */
	const char	*model_file;
	double		 horizon;
	double		 discount;
	double		 margin;
	const char	*tracking;
	const char	*plot;
	int		 max_x;
	/* simulate */
	long		 ncust;
	unsigned long	 seed;
	const char	*params;
	const char	*spend_params;
	double		 T, cohort, holdout;
};

/* Neumaier-compensated sum: likelihoods over a million patterns stay exact
 * enough for the line search (a plain sum loses ~1e-7 at LL ~ 1e6). */
struct clv_ksum {
	double	s, c;
};
static inline void
clv_ksum_add(struct clv_ksum *k, double v)
{
	double t = k->s + v;

	if (fabs(k->s) >= fabs(v))
		k->c += (k->s - t) + v;
	else
		k->c += (v - t) + k->s;
	k->s = t;
}
/* Add another compensated sum (its sum, then its correction: a fixed order). */
static inline void
clv_ksum_merge(struct clv_ksum *k, const struct clv_ksum *from)
{
	clv_ksum_add(k, from->s);
	clv_ksum_add(k, from->c);
}
static inline double
clv_ksum_value(const struct clv_ksum *k)
{
	return k->s + k->c;
}

/* Likelihoods over at least CLV_PAR_MIN patterns are summed in two fixed
 * halves; clv_par2 runs fn(a0) here and fn(a1) on a second thread (both here
 * when no thread can be started), and returns when both are done (io.c). */
#define CLV_PAR_MIN	50000
void	clv_par2(void *(*fn)(void *), void *a0, void *a1);

/* Bad rows: to --rejects (the row as read plus line and reason) when it was
 * given, otherwise a message and exit 1 (io.c). */
struct clv_rowerr {
	struct cx_csvin	*in;
	struct cx_rejects rj;
	int		 on;
	const char	*path;
	int		 speculative;	/* a worker's part (lib/csvpar.h): nothing
					 * reported; the caller gives the part up */
};
void	clv_rowerr_open(struct clv_rowerr *, const char *path, struct cx_csvin *);
/* Reject rec with a reason "COLUMN: ..." (printf format); returns 1 if the row
 * went to --rejects (the caller skips it), exits otherwise. */
int	clv_rowerr(struct clv_rowerr *, const struct cx_record *, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Strict number of column col: 1 value, 0 empty (when allowed), -1 rejected. */
int	clv_row_double(struct clv_rowerr *, const struct cx_record *, int col, double *v,
	    int allow_empty);
unsigned long clv_rowerr_close(struct clv_rowerr *);	/* commits; returns rows rejected */

/* Shared helpers (io.c). */
struct cx_csvin	*clv_open_input(const struct clv_opts *, char **paths, size_t npaths);
int		 clv_need_column(struct cx_csvin *, const char *name, int required);
int		 clv_field_double(struct cx_csvin *, const struct cx_record *, int col,
		    double *v, int allow_empty);
void		 clv_input_fail(struct cx_csvin *, int rc);
struct cx_csvout *clv_output_open(struct cx_outfile *, const char *path);
void		 clv_output_close(struct cx_outfile *, struct cx_csvout *, const char *path);
void		 clv_read_model(const char *path, struct clv_fitted *);
int		 clv_parse_params(const char *text, const struct clv_model *, double *par);
void		 clv_data_add(struct clv_data *, double x, double tx, double T, double z, double w);
void		 clv_data_finish(struct clv_data *);
void		 clv_data_free(struct clv_data *);
double		 clv_log1pexp(double);
double		 clv_expm1_ratio(double k, double L);	/* -expm1(k L) / k, -L at k = 0 */

/* Per-customer summary (summary.c), also used by validate. */
struct clv_cust {
	uint32_t	 idx;		/* its index in the map */
	uint32_t	 n, cap;	/* distinct days held */
	int32_t		*day;
	double		*amt;		/* summed amount per day (NaN when none present) */
};
struct clv_summary {
	struct cx_hashmap *map;		/* customer_id -> struct clv_cust */
	int32_t		 min_day, max_day;
	unsigned long	 rows;		/* rows accepted */
	unsigned long	 nread, rejected;
	/* a worker's part (--threads): each amount added to a day's amount,
	 * in file order, for an exact merge (summary.c) */
	struct clv_sum_extra {
		uint32_t	 cust;		/* idx */
		int32_t		 day;
		double		 prev, amt;	/* the day's sum before, the amount */
	}		*extra;
	size_t		 nextra, extracap;
};
int	clv_summary_read(const struct clv_opts *, char **paths, size_t npaths,
	    struct clv_summary *);
void	clv_summary_free(struct clv_summary *);
/* Calibration statistics of one customer (days sorted). */
void	clv_cust_stats(const struct clv_cust *, int32_t cal_end, double unit,
	    double *x, double *tx, double *T, double *mean_spend);

/* The modes, each returns an exit status. */
int	clv_summary(const struct clv_opts *, char **, size_t);
int	clv_merge(const struct clv_opts *, char **, size_t);
int	clv_fit(const struct clv_opts *, char **, size_t);
int	clv_score(const struct clv_opts *, char **, size_t);
int	clv_validate(const struct clv_opts *, char **, size_t);
int	clv_simulate(const struct clv_opts *, char **, size_t);

#endif /* CLV_H */
