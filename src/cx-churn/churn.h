/*
 * cx-churn internals: options, the input reader shared by all modes, and one
 * entry point per mode.  Only this tool includes it.
 */
#ifndef CHURN_H
#define CHURN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csvout.h"
#include "hashmap.h"

enum { UNIT_DAY, UNIT_WEEK, UNIT_MONTH };
enum { CI_LOG, CI_LOGLOG, CI_PLAIN };
enum { TIES_EFRON, TIES_BRESLOW };
enum { ADJ_HOLM, ADJ_BONFERRONI, ADJ_NONE };

struct churn_opts {
	const char	*mode;
	const char	*time_col, *event_col, *event_value;
	const char	*start_col, *end_col, *weight_col, *id_col;
	int32_t		 asof;
	int		 has_asof;
	int		 unit;
	char		**by;		size_t nby;
	char		**cov;		size_t ncov;
	char		**ref;		size_t nref;	/* "COL=LEVEL" */
	int		 ci;
	double		 conf;
	double		*at;		size_t nat;
	double		*probs;		size_t nprobs;
	double		 tau;
	int		 has_tau;
	double		 width;		/* lifetable period width */
	double		 rho;
	int		 adjust;
	const char	*groups_file, *pairwise_file, *summary_file, *model_file;
	const char	*zph_file, *calib_file, *plot_file;
	int		 ties;
	int		 maxiter;
	double		*horizon;	size_t nhorizon;
	const char	*score_col;
	int		 bins;
	int		 period_week;	/* cohort: weeks instead of months */
	int		 delim;
	const char	*rejects;
	int		 quiet;
	int		 partial;	/* --partial: write sufficient statistics */
	int		 merging;	/* merge: inputs are partial files */
	int		 x_sorted;	/* --x-sorted (tests): cox without per-time buckets */
#define NOPTS 40
	const char	*raw[NOPTS];	/* option text as given, by enum index */
};

/* ---- input.c: reading rows ---- */

/* One parsed row as the modes see it. */
struct churn_row {
	double		 time;		/* duration (>= 0) */
	int		 event;		/* 1 churned, 0 censored */
	double		 weight;
	int32_t		 start, end;	/* dates, when --start is used */
	int		 has_end;
	const char	*key;		/* --by values joined by 0x1f */
	size_t		 keylen;
	double		*cov;		/* numeric covariates (NaN = missing) */
	const char	**covtext;	/* raw covariate fields */
	const char	*score;		/* eval: raw score field */
	double		 scoreval;	/* eval: parsed score, when has_score */
	int		 has_score;
	const char	*id;		/* score: --id field */
	const char	*path;		/* for messages */
	unsigned long	 line;
};

/* Called once per good row; returns 0 to go on. */
typedef int (*churn_row_fn)(void *ctx, const struct churn_row *);

struct churn_input {
	const struct churn_opts *o;
	int		 need_time;	/* time/event (or start/end) required */
	int		 need_event;
	int		 need_score;
	int		 cohort;	/* start/end dates needed, time not derived */
	unsigned long	 nread, nrejected;
};

/* Read every input file and call fn for each good row; exits on errors
 * (bad data exit 1 unless --rejects, I/O exit 3). */
void	churn_read(struct churn_input *, char **paths, size_t npaths,
	    churn_row_fn fn, void *ctx);
/* Split a group key back into its --by values (borrowed pointers into buf). */
size_t	churn_key_split(const char *key, size_t len, char *buf, const char **vals, size_t nvals);

/* ---- output helpers (main.c) ---- */
struct cx_csvout *churn_out(void);		/* the main stdout/-o table */
void	churn_header(struct cx_csvout *, const char *const *names, size_t n);
void	churn_key_fields(struct cx_csvout *, const char *key, size_t len, size_t nby);
/* Open a secondary table file; commit with churn_side_close. */
struct cx_csvout *churn_side_open(const char *path, void **handle);
void	churn_side_close(struct cx_csvout *, void *handle, const char *path);
void	*churn_xgrow(void *p, size_t *cap, size_t need, size_t size);

/* ---- the per-time counts behind km, logrank and lifetable (ttab.c) ---- */
struct ttab {
	double	*time, *nevent, *ncensor;	/* weighted counts */
	unsigned long *rows;			/* unweighted rows at this time */
	size_t	 n, cap;
	size_t	*slot;				/* open addressing, index + 1 */
	size_t	 nslot;
};
void	ttab_add(struct ttab *, double time, double w, int event);
void	ttab_sort(struct ttab *);		/* by time; drops the hash */
void	ttab_free(struct ttab *);

/* Groups of per-time tables keyed by --by. */
struct groups {
	struct cx_hashmap *map;			/* key -> size_t index */
	struct ttab	*tab;
	size_t		 n, cap;
};
struct ttab *groups_get(struct groups *, const char *key, size_t len);
void	groups_read(struct groups *, const struct churn_opts *, char **paths, size_t npaths);
/* Indices of the groups in key order (strcmp of the joined key). */
size_t	*groups_order(const struct groups *);
void	groups_free(struct groups *);

/* ---- partial files (main.c, ttab.c, cohort.c) ---- */
struct cx_partial_meta;
void	churn_partial_meta(const struct churn_opts *, struct cx_partial_meta *,
	    const char **names, const char **vals);
/* Write the groups as a partial to the main output. */
void	groups_write_partial(const struct groups *, const struct churn_opts *);
struct cx_csvin;
struct cx_partial_in;
struct cx_csvin *churn_partial_open(const struct churn_opts *, char **, size_t, struct cx_partial_in *);
int	churn_partial_col(struct cx_csvin *, const char *name);

/* ---- --plot through gnuplot (plot.c) ---- */
struct plot;
struct plot *plot_open(const char *path, const char *xlabel, const char *ylabel);
void	plot_begin(struct plot *, size_t nseries, const char *const *title, const size_t *tlen, int band);
void	plot_point(struct plot *, double x, double y);
void	plot_end_series(struct plot *);
void	plot_close(struct plot *);

/* ---- modes ---- */
int	mode_km(const struct churn_opts *, char **, size_t);
int	mode_quantiles(const struct churn_opts *, char **, size_t);
int	mode_lifetable(const struct churn_opts *, char **, size_t);
int	mode_logrank(const struct churn_opts *, char **, size_t);
int	mode_cox(const struct churn_opts *, char **, size_t);
int	mode_score(const struct churn_opts *, char **, size_t);
int	mode_logit(const struct churn_opts *, char **, size_t);
int	mode_eval(const struct churn_opts *, char **, size_t);
int	mode_cohort(const struct churn_opts *, char **, size_t);

/* ---- covariates for cox and logit (design.c) ---- */
struct design {
	size_t	 n, p, ncov;	/* rows kept, model columns, covariates */
	uint32_t *trank;	/* per row: index into times */
	double	*times;		/* distinct times, ascending */
	size_t	 ntimes;
	unsigned char *event;
	double	*w;		/* NULL: all weights 1 */
	int	*kind;		/* per covariate: 1 numeric, 2 text */
	double	**num;		/* numeric covariate values (NULL for text) */
	uint16_t **lev;		/* text covariate level codes (NULL for numeric) */
	uint32_t **levcol;	/* level code -> column + 1 (0: the reference) */
	size_t	*cbase;		/* ncov + 1: first column of each covariate */
	char	**term;		/* p names: (Intercept), COL or COL=LEVEL */
	int	*isdummy;	/* p flags */
	double	*mean;		/* p weighted means (centring) */
	size_t	 ndropped;	/* rows with a missing covariate */
	int	 intercept;
};
#define DW(d, i)	((d)->w ? (d)->w[i] : 1.0)
void	design_read(struct design *, const struct churn_opts *, char **, size_t, int intercept);
/* x[0..p-1] of row i (raw, or minus the means when centre). */
void	design_row(const struct design *, size_t i, double *x, int centre);
void	design_sort(struct design *);		/* rows by time, stable */
void	design_free_covariates(struct design *);
void	design_free(struct design *);

#endif /* CHURN_H */
