/*
 * cox: proportional hazards by Newton-Raphson, following R's coxfit6.c step
 * for step (start at 0, same step halving, convergence when
 * |1 - loglik_old/loglik_new| <= 1e-9, at most --maxiter 20), so that the
 * estimates agree with coxph() to rounding.  Efron or Breslow ties.
 * Also: Harrell's concordance with the infinitesimal-jackknife standard error of
 * survival::concordancefit, the baseline hazard of survfit.coxph at the means,
 * and the `score` mode that reads the saved model back.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "csvin.h"
#include "cxerr.h"
#include "parse.h"
#include "churn.h"

struct coxdata {
	size_t	 n, p;
	const struct design *d;	/* rows sorted by time ascending */
	const uint32_t *time;	/* time ranks */
	const unsigned char *event;
	double	*xbuf;		/* p scratch values for one row */
	int	 efron;
};
#define CW(cd, i)	DW((cd)->d, i)

/* Log partial likelihood, score u and information imat (p x p) at beta. */
static double
cox_eval(const struct coxdata *cd, const double *beta, double *u, double *imat,
    double *a, double *a2, double *c, double *c2)
{
	size_t n = cd->n, p = cd->p, i, j, k;
	double loglik = 0, denom = 0;
	long person;

	memset(u, 0, p * sizeof(double));
	memset(imat, 0, p * p * sizeof(double));
	memset(a, 0, p * sizeof(double));
	memset(c, 0, p * p * sizeof(double));
	(void)i;
	for (person = (long)n - 1; person >= 0; ) {
		uint32_t dtime = cd->time[person];
		double deadwt = 0, denom2 = 0;
		int ndead = 0;
		memset(a2, 0, p * sizeof(double));
		memset(c2, 0, p * p * sizeof(double));
		while (person >= 0 && cd->time[person] == dtime) {
			const double *xi = cd->xbuf;
			double zb = 0, wp = CW(cd, person), risk;
			design_row(cd->d, (size_t)person, cd->xbuf, 1);
			for (j = 0; j < p; j++)
				zb += xi[j] * beta[j];
			risk = exp(zb) * wp;
			if (cd->event[person] == 0) {
				denom += risk;
				for (j = 0; j < p; j++) {
					a[j] += risk * xi[j];
					for (k = 0; k <= j; k++)
						c[j * p + k] += risk * xi[j] * xi[k];
				}
			} else {
				ndead++;
				deadwt += wp;
				denom2 += risk;
				loglik += wp * zb;
				for (j = 0; j < p; j++) {
					u[j] += wp * xi[j];
					a2[j] += risk * xi[j];
					for (k = 0; k <= j; k++)
						c2[j * p + k] += risk * xi[j] * xi[k];
				}
			}
			person--;
		}
		if (ndead == 0)
			continue;
		if (!cd->efron || ndead == 1) {
			denom += denom2;
			loglik -= deadwt * log(denom);
			for (j = 0; j < p; j++) {
				a[j] += a2[j];
				for (k = 0; k <= j; k++)
					c[j * p + k] += c2[j * p + k];
			}
			for (j = 0; j < p; j++) {
				double tj = a[j] / denom;
				u[j] -= deadwt * tj;
				for (k = 0; k <= j; k++)
					imat[j * p + k] += deadwt * (c[j * p + k] - tj * a[k]) / denom;
			}
		} else {
			double wtave = deadwt / ndead;
			int m;
			denom += denom2;
			for (j = 0; j < p; j++) {
				a[j] += a2[j];
				for (k = 0; k <= j; k++)
					c[j * p + k] += c2[j * p + k];
			}
			for (m = 0; m < ndead; m++) {
				double t = (double)m / ndead, d2 = denom - t * denom2;
				loglik -= wtave * log(d2);
				for (j = 0; j < p; j++) {
					double tj = (a[j] - t * a2[j]) / d2;
					u[j] -= wtave * tj;
					for (k = 0; k <= j; k++)
						imat[j * p + k] += wtave * ((c[j * p + k] - t * c2[j * p + k]) -
						    tj * (a[k] - t * a2[k])) / d2;
				}
			}
		}
	}
	for (j = 0; j < p; j++)
		for (k = 0; k < j; k++)
			imat[k * p + j] = imat[j * p + k];
	return loglik;
}

/*
 * The same log-likelihood, score and information by per-time sums: each
 * thread adds its rows into per-time buckets (risk, risk x, risk x x' for the
 * censored and for the deaths, death weight and count, sum w x and sum w x'b
 * over deaths); the buckets are added and swept from the last time down with
 * the Breslow/Efron formulas above.  Used when the buckets fit in memory
 * (few distinct times, the usual integer days); needs no row order.
 */
struct bjob {
	const struct coxdata *cd;
	const double	*beta;
	double		*b;		/* ntimes x stride */
	size_t		 lo, hi, stride;
};

static void *
bucket_rows(void *arg)
{
	struct bjob *jb = arg;
	const struct coxdata *cd = jb->cd;
	size_t p = cd->p, T = p * (p + 1) / 2, i, j, k, m;
	double *x = cx_xmalloc((p + 1) * sizeof(double));

	for (i = jb->lo; i < jb->hi; i++) {
		double z = 0, w = CW(cd, i), risk, *b = jb->b + (size_t)cd->time[i] * jb->stride;
		design_row(cd->d, i, x, 1);
		for (j = 0; j < p; j++)
			z += x[j] * jb->beta[j];
		risk = exp(z) * w;
		if (cd->event[i]) {
			double *db = b + 1 + p + T;
			double *tail = db + 1 + p + T;	/* deadwt, ndead, u[p], lz */
			tail[0] += w;
			tail[1] += 1;
			for (j = 0; j < p; j++)
				tail[2 + j] += w * x[j];
			tail[2 + p] += w * z;
			b = db;
		}
		b[0] += risk;
		for (j = 0, m = 1 + p; j < p; j++) {
			double rx = risk * x[j];
			b[1 + j] += rx;
			for (k = 0; k <= j; k++)
				b[m++] += rx * x[k];
		}
	}
	free(x);
	return NULL;
}

static int
nthreads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static double
cox_eval_buckets(const struct coxdata *cd, size_t ntimes, const double *beta, double *u,
    double *imat, double *a, double *a2, double *c, double *c2)
{
	size_t p = cd->p, T = p * (p + 1) / 2, stride = 2 * (1 + p + T) + 3 + p, t, j, k, m;
	int nt = cd->n < 100000 ? 1 : nthreads(), th;
	struct bjob *jobs = cx_xcalloc((size_t)nt, sizeof(*jobs));
	pthread_t *tid = cx_xcalloc((size_t)nt, sizeof(pthread_t));
	double loglik = 0, denom = 0, *b0;

	for (th = 0; th < nt; th++) {
		jobs[th] = (struct bjob){ cd, beta, cx_xcalloc(ntimes * stride, sizeof(double)),
		    cd->n * (size_t)th / (size_t)nt, cd->n * (size_t)(th + 1) / (size_t)nt, stride };
		if (th > 0 && pthread_create(&tid[th], NULL, bucket_rows, &jobs[th]) != 0)
			cx_errx(CX_EXIT_SYSTEM, "cannot start a thread");
	}
	bucket_rows(&jobs[0]);
	b0 = jobs[0].b;
	for (th = 1; th < nt; th++) {
		size_t q;
		pthread_join(tid[th], NULL);
		for (q = 0; q < ntimes * stride; q++)
			b0[q] += jobs[th].b[q];
		free(jobs[th].b);
	}
	memset(u, 0, p * sizeof(double));
	memset(imat, 0, p * p * sizeof(double));
	memset(a, 0, p * sizeof(double));
	memset(c, 0, p * p * sizeof(double));
	for (t = ntimes; t-- > 0; ) {
		const double *cb = b0 + t * stride, *db = cb + 1 + p + T, *tail = db + 1 + p + T;
		double deadwt = tail[0], denom2 = db[0];
		int ndead = (int)tail[1];
		denom += cb[0] + db[0];
		for (j = 0, m = 1 + p; j < p; j++) {
			a[j] += cb[1 + j] + db[1 + j];
			a2[j] = db[1 + j];
			for (k = 0; k <= j; k++, m++) {
				c[j * p + k] += cb[m] + db[m];
				c2[j * p + k] = db[m];
			}
		}
		if (ndead == 0)
			continue;
		loglik += tail[2 + p];
		for (j = 0; j < p; j++)
			u[j] += tail[2 + j];
		if (!cd->efron || ndead == 1) {
			loglik -= deadwt * log(denom);
			for (j = 0; j < p; j++) {
				double tj = a[j] / denom;
				u[j] -= deadwt * tj;
				for (k = 0; k <= j; k++)
					imat[j * p + k] += deadwt * (c[j * p + k] - tj * a[k]) / denom;
			}
		} else {
			double wtave = deadwt / ndead;
			int r;
			for (r = 0; r < ndead; r++) {
				double f = (double)r / ndead, d2 = denom - f * denom2;
				loglik -= wtave * log(d2);
				for (j = 0; j < p; j++) {
					double tj = (a[j] - f * a2[j]) / d2;
					u[j] -= wtave * tj;
					for (k = 0; k <= j; k++)
						imat[j * p + k] += wtave * ((c[j * p + k] - f * c2[j * p + k]) -
						    tj * (a[k] - f * a2[k])) / d2;
				}
			}
		}
	}
	for (j = 0; j < p; j++)
		for (k = 0; k < j; k++)
			imat[k * p + j] = imat[j * p + k];
	free(b0);
	free(jobs);
	free(tid);
	return loglik;
}

/* Solve imat x = u in place (Cholesky); 0 or -1 when not positive definite. */
static int
chol_solve(const double *imat, double *u, size_t p)
{
	gsl_matrix *m = gsl_matrix_alloc(p, p);
	gsl_vector_view v = gsl_vector_view_array(u, p);
	gsl_error_handler_t *old = gsl_set_error_handler_off();
	int rc;

	memcpy(m->data, imat, p * p * sizeof(double));
	rc = gsl_linalg_cholesky_decomp1(m);
	if (rc == 0)
		rc = gsl_linalg_cholesky_svx(m, &v.vector);
	gsl_set_error_handler(old);
	gsl_matrix_free(m);
	return rc == 0 ? 0 : -1;
}

static int
chol_invert(const double *imat, double *var, size_t p)
{
	gsl_matrix *m = gsl_matrix_alloc(p, p);
	gsl_error_handler_t *old = gsl_set_error_handler_off();
	int rc;

	memcpy(m->data, imat, p * p * sizeof(double));
	rc = gsl_linalg_cholesky_decomp1(m);
	if (rc == 0)
		rc = gsl_linalg_cholesky_invert(m);
	gsl_set_error_handler(old);
	if (rc == 0)
		memcpy(var, m->data, p * p * sizeof(double));
	gsl_matrix_free(m);
	return rc == 0 ? 0 : -1;
}

/* ---- concordance (survival::concordancefit, timewt "n", reverse = TRUE) ---- */

struct fen {
	double	*t;
	size_t	 n;
};

static void
fen_add(struct fen *f, size_t i, double v)
{
	for (i++; i <= f->n; i += i & (~i + 1))
		f->t[i] += v;
}

static double
fen_sum(const struct fen *f, size_t i)	/* sum of [0, i) */
{
	double s = 0;

	for (; i > 0; i -= i & (~i + 1))
		s += f->t[i];
	return s;
}

struct lpidx {
	double		lp;
	uint32_t	i;
};

static int
cmp_lpidx(const void *a, const void *b)
{
	double x = ((const struct lpidx *)a)->lp, y = ((const struct lpidx *)b)->lp;

	return (x > y) - (x < y);
}

/*
 * Pairs (i event, j with time_j > time_i, or time_j == time_i and j censored):
 * concordant when lp_i > lp_j.  Counts weighted by w_i w_j.  The influence of
 * each row, d count / d w_i, is kept as two sums, concordant - discordant and
 * concordant + discordant + tied.x, which is all the infinitesimal-jackknife
 * variance of concordancefit needs: var = sum dfbeta^2 / 4.
 */
static void
concordance(const struct coxdata *cd, const double *lp, double *cidx, double *se)
{
	size_t n = cd->n, i, j, nr = 0;
	uint32_t *rank = cx_xmalloc((n + 1) * sizeof(uint32_t));
	double *inf, conc = 0, disc = 0, tx = 0;
	struct fen f;
	long s, e;
	double *cnt, tot = 0;	/* weight per rank in the tree, and in all: 1 query per lookup */

	{
		struct lpidx *v = cx_xmalloc((n + 1) * sizeof(*v));
		for (i = 0; i < n; i++) {
			v[i].lp = lp[i];
			v[i].i = (uint32_t)i;
		}
		qsort(v, n, sizeof(*v), cmp_lpidx);
		for (i = 0; i < n; i++) {
			if (i > 0 && v[i].lp != v[i - 1].lp)
				nr++;
			rank[v[i].i] = (uint32_t)nr;
		}
		free(v);
	}
	inf = cx_xcalloc(2 * n + 2, sizeof(double));
	f.n = nr + 1;
	f.t = cx_xcalloc(f.n + 2, sizeof(double));
	cnt = cx_xcalloc(f.n + 2, sizeof(double));
#define ADD(i) do { fen_add(&f, rank[i], CW(cd, i)); cnt[rank[i]] += CW(cd, i); tot += CW(cd, i); } while (0)
#define LOOKUP(i) double lo = fen_sum(&f, rank[i]), eq = cnt[rank[i]], hi = tot - lo - eq
#define INF(i, lo, hi, eq) do { inf[2 * (i)] += (lo) - (hi); inf[2 * (i) + 1] += (lo) + (hi) + (eq); } while (0)
	/* pass 1, descending time: event i against the tree of its comparable set */
	for (e = (long)n - 1; e >= 0; ) {
		s = e;
		while (s > 0 && cd->time[s - 1] == cd->time[e])
			s--;
		for (i = (size_t)s; i <= (size_t)e; i++)
			if (!cd->event[i])
				ADD(i);
		for (i = (size_t)s; i <= (size_t)e; i++)
			if (cd->event[i]) {
				LOOKUP(i);
				INF(i, lo, hi, eq);
				conc += CW(cd, i) * lo;
				disc += CW(cd, i) * hi;
				tx += CW(cd, i) * eq;
			}
		for (i = (size_t)s; i <= (size_t)e; i++)
			if (cd->event[i])
				ADD(i);
		e = s - 1;
	}
	/* pass 2, ascending time: j as the later member against earlier events */
	memset(f.t, 0, (f.n + 2) * sizeof(double));
	memset(cnt, 0, (f.n + 2) * sizeof(double));
	tot = 0;
	for (s = 0; s < (long)n; ) {
		e = s;
		while (e + 1 < (long)n && cd->time[e + 1] == cd->time[s])
			e++;
		for (i = (size_t)s; i <= (size_t)e; i++)
			if (cd->event[i]) {
				LOOKUP(i);
				INF(i, hi, lo, eq);	/* an earlier event with higher lp: concordant */
			}
		for (i = (size_t)s; i <= (size_t)e; i++)
			if (cd->event[i])
				ADD(i);
		for (i = (size_t)s; i <= (size_t)e; i++)
			if (!cd->event[i]) {
				LOOKUP(i);
				INF(i, hi, lo, eq);
			}
		s = e + 1;
	}
#undef INF
#undef ADD
#undef LOOKUP
	free(cnt);
	{
		double npair = conc + disc + tx, somer = (conc - disc) / npair, v = 0;
		for (j = 0; j < n; j++) {
			double d = CW(cd, j) * (inf[2 * j] / npair - (somer / npair) * inf[2 * j + 1]);
			v += d * d;
		}
		*cidx = (somer + 1) / 2;
		*se = sqrt(v / 4);
	}
	free(rank);
	free(inf);
	free(f.t);
}

/*
 * cox.zph (survival 3.x): score test of beta(t) = beta + theta g(t) at
 * (beta-hat, 0), g the Kaplan-Meier transform 1 - S(t-) centred on its mean
 * over events.  Per death time the Efron/Breslow contributions dU, dI of the
 * fitted model scale to (dU, g dU) and [[dI, g dI], [g dI, g^2 dI]]; the first
 * block of the score is taken as exactly 0, as R does.
 */
static void
cox_zph(const struct churn_opts *o, const struct coxdata *cd, const double *beta,
    const struct design *ds)
{
	static const char *zc[] = { "term", "chisq", "df", "p_value" };
	size_t n = cd->n, p = cd->p, q = 2 * p, i, j, k, nevr = 0;
	double *U = cx_xcalloc(q, sizeof(double)), *I = cx_xcalloc(q * q, sizeof(double));
	double *a = cx_xcalloc(p, sizeof(double)), *a2 = cx_xmalloc(p * sizeof(double));
	double *c = cx_xcalloc(p * p, sizeof(double)), *c2 = cx_xmalloc(p * p * sizeof(double));
	double *du = cx_xmalloc(p * sizeof(double)), *dI = cx_xmalloc(p * p * sizeof(double));
	double *sminus = cx_xmalloc((ds->ntimes + 1) * sizeof(double));
	double denom = 0, gmean = 0, s = 1;
	long person, st, e;
	struct cx_csvout *out;
	void *h;

	/* unweighted KM: S just before each time */
	for (st = 0; st < (long)n; ) {
		double nrisk = (double)(n - (size_t)st), d = 0;
		e = st;
		while (e + 1 < (long)n && cd->time[e + 1] == cd->time[st])
			e++;
		sminus[cd->time[st]] = s;
		for (i = (size_t)st; i <= (size_t)e; i++)
			d += cd->event[i];
		s *= (nrisk - d) / nrisk;
		st = e + 1;
	}
	for (i = 0; i < n; i++)
		if (cd->event[i]) {
			gmean += 1 - sminus[cd->time[i]];
			nevr++;
		}
	gmean /= (double)nevr;
	for (person = (long)n - 1; person >= 0; ) {
		uint32_t dtime = cd->time[person];
		double deadwt = 0, denom2 = 0, g = 0;
		int ndead = 0, m;
		memset(a2, 0, p * sizeof(double));
		memset(c2, 0, p * p * sizeof(double));
		memset(du, 0, p * sizeof(double));
		memset(dI, 0, p * p * sizeof(double));
		while (person >= 0 && cd->time[person] == dtime) {
			const double *xi = cd->xbuf;
			double risk, z = 0, wp = CW(cd, person);
			design_row(ds, (size_t)person, cd->xbuf, 1);
			for (j = 0; j < p; j++)
				z += xi[j] * beta[j];
			risk = exp(z) * wp;
			if (cd->event[person] == 0) {
				denom += risk;
				for (j = 0; j < p; j++) {
					a[j] += risk * xi[j];
					for (k = 0; k < p; k++)
						c[j * p + k] += risk * xi[j] * xi[k];
				}
			} else {
				ndead++;
				deadwt += wp;
				denom2 += risk;
				g = 1 - sminus[cd->time[person]] - gmean;
				for (j = 0; j < p; j++) {
					du[j] += wp * xi[j];
					a2[j] += risk * xi[j];
					for (k = 0; k < p; k++)
						c2[j * p + k] += risk * xi[j] * xi[k];
				}
			}
			person--;
		}
		if (ndead == 0)
			continue;
		denom += denom2;
		for (j = 0; j < p; j++) {
			a[j] += a2[j];
			for (k = 0; k < p; k++)
				c[j * p + k] += c2[j * p + k];
		}
		if (!cd->efron || ndead == 1) {
			for (j = 0; j < p; j++) {
				double tj = a[j] / denom;
				du[j] -= deadwt * tj;
				for (k = 0; k < p; k++)
					dI[j * p + k] += deadwt * (c[j * p + k] - tj * a[k]) / denom;
			}
		} else {
			double wtave = deadwt / ndead;
			for (m = 0; m < ndead; m++) {
				double t = (double)m / ndead, d2 = denom - t * denom2;
				for (j = 0; j < p; j++) {
					double tj = (a[j] - t * a2[j]) / d2;
					du[j] -= wtave * tj;
					for (k = 0; k < p; k++)
						dI[j * p + k] += wtave * ((c[j * p + k] - t * c2[j * p + k]) -
						    tj * (a[k] - t * a2[k])) / d2;
				}
			}
		}
		for (j = 0; j < p; j++) {
			U[p + j] += g * du[j];
			for (k = 0; k < p; k++) {
				I[j * q + k] += dI[j * p + k];
				I[j * q + p + k] += g * dI[j * p + k];
				I[(p + j) * q + k] += g * dI[j * p + k];
				I[(p + j) * q + p + k] += g * g * dI[j * p + k];
			}
		}
	}
	out = churn_side_open(o->zph_file, &h);
	churn_header(out, zc, 4);
	for (k = 0; k <= ds->ncov; k++) {
		/* term k (k == ncov: GLOBAL): columns 0..p-1 plus p + its own columns */
		size_t lo = k < ds->ncov ? ds->cbase[k] : 0, hi = k < ds->ncov ? ds->cbase[k + 1] : p;
		size_t m = p + (hi - lo), r, t2;
		double *M = cx_xmalloc(m * m * sizeof(double)), *v = cx_xcalloc(m, sizeof(double));
		double *v0 = cx_xcalloc(m, sizeof(double)), chisq = 0;
		size_t *map = cx_xmalloc(m * sizeof(size_t));
		for (r = 0; r < p; r++)
			map[r] = r;
		for (r = lo; r < hi; r++)
			map[p + r - lo] = p + r;
		for (r = 0; r < m; r++) {
			v[r] = v0[r] = U[map[r]];
			for (t2 = 0; t2 < m; t2++)
				M[r * m + t2] = I[map[r] * q + map[t2]];
		}
		if (chol_solve(M, v, m) == 0)
			for (r = 0; r < m; r++)
				chisq += v[r] * v0[r];
		else
			chisq = NAN;
		cx_csvout_str(out, k < ds->ncov ? o->cov[k] : "GLOBAL");
		cx_csvout_double(out, chisq);
		cx_csvout_llong(out, (long long)(hi - lo));
		cx_csvout_double(out, gsl_cdf_chisq_Q(chisq, (double)(hi - lo)));
		cx_csvout_endrow(out);
		free(M); free(v); free(v0); free(map);
	}
	churn_side_close(out, h, o->zph_file);
	free(U); free(I); free(a); free(a2); free(c); free(c2); free(du); free(dI);
	free(sminus);
}

/* ---- the mode ---- */

static double
chisq_p(double x, double df)
{
	return gsl_cdf_chisq_Q(x, df);
}

int
mode_cox(const struct churn_opts *o, char **paths, size_t npaths)
{
	static const char *cols[] = { "term", "estimate", "hazard_ratio", "std_error", "statistic",
	    "p_value", "conf_low", "conf_high" };
	struct design ds;
	struct coxdata cd;
	size_t n, p, i, j;
	double *mean, nev = 0, *xb;
	double *beta, *newbeta, *u, *u0, *imat, *var, *a, *a2, *c, *c2, *lp;
	double loglik0, loglik, newlk = 0, sctest = 0, wald = 0, z;
	int iter, halving = 0, converged = 0, niter = 0, use_buckets;
	struct cx_csvout *out;

	design_read(&ds, o, paths, npaths, 0);
	design_sort(&ds);
	n = ds.n;
	p = ds.p;
	mean = ds.mean;		/* covariates are centred on their weighted means */
	for (i = 0; i < n; i++)
		nev += ds.event[i] ? DW(&ds, i) : 0;
	if (nev == 0)
		cx_errx(CX_EXIT_DATA, "cox: no events in the data");
	xb = cx_xmalloc((p + 1) * sizeof(double));
	cd = (struct coxdata){ n, p, &ds, ds.trank, ds.event, xb, o->ties == TIES_EFRON };
	/* per-time buckets when they take at most 64 MB a thread (--x-sorted: never) */
	use_buckets = !o->x_sorted &&
	    ds.ntimes * (2 * (1 + p + p * (p + 1) / 2) + 3 + p) * sizeof(double) <= ((size_t)64 << 20);
#define EVAL(b)	(use_buckets ? cox_eval_buckets(&cd, ds.ntimes, (b), u, imat, a, a2, c, c2) : \
		    cox_eval(&cd, (b), u, imat, a, a2, c, c2))
	beta = cx_xcalloc(p, sizeof(double));
	newbeta = cx_xcalloc(p, sizeof(double));
	u = cx_xmalloc(p * sizeof(double));
	u0 = cx_xmalloc(p * sizeof(double));
	imat = cx_xmalloc(p * p * sizeof(double));
	var = cx_xcalloc(p * p, sizeof(double));
	a = cx_xmalloc(p * sizeof(double));
	a2 = cx_xmalloc(p * sizeof(double));
	c = cx_xmalloc(p * p * sizeof(double));
	c2 = cx_xmalloc(p * p * sizeof(double));

	/* coxfit6: initial loglik, score test, first step */
	loglik0 = loglik = EVAL(beta);
	memcpy(u0, u, p * sizeof(double));
	if (chol_solve(imat, u, p) != 0)
		cx_errx(CX_EXIT_NOCONV, "cox: the information matrix is singular at 0 "
		    "(a covariate is constant or collinear)");
	for (j = 0; j < p; j++) {
		sctest += u0[j] * u[j];
		newbeta[j] = beta[j] + u[j];
	}
	for (iter = 1; iter <= o->maxiter; iter++) {
		int notfinite = 0;
		niter = iter;
		newlk = EVAL(newbeta);
		if (!isfinite(newlk))
			notfinite = 1;
		for (j = 0; j < p && !notfinite; j++)
			if (!isfinite(u[j]))
				notfinite = 1;
		if (!notfinite && fabs(1 - loglik / newlk) <= 1e-9 && !halving) {
			loglik = newlk;
			memcpy(beta, newbeta, p * sizeof(double));
			converged = 1;
			break;
		}
		if (iter == o->maxiter)
			break;
		if (notfinite || newlk < loglik) {
			halving = 1;
			for (j = 0; j < p; j++)
				newbeta[j] = (newbeta[j] + beta[j]) / 2;
		} else {
			halving = 0;
			loglik = newlk;
			if (chol_solve(imat, u, p) != 0)
				break;
			for (j = 0; j < p; j++) {
				beta[j] = newbeta[j];
				newbeta[j] = newbeta[j] + u[j];
			}
		}
	}
	if (!converged)
		cx_errx(CX_EXIT_NOCONV, "cox: did not converge in %d iterations (log-likelihood %.10g); "
		    "a coefficient may be infinite", o->maxiter, newlk);
	if (chol_invert(imat, var, p) != 0)
		cx_errx(CX_EXIT_NOCONV, "cox: the information matrix is singular at the estimate");
	/* coxph's "coefficient may be infinite" check */
	for (j = 0; j < p; j++) {
		double s = 0;
		for (i = 0; i < p; i++)
			s += u[i] * var[i * p + j];
		if (fabs(s) > 1e-9 && fabs(s) > sqrt(1e-9) * fabs(beta[j]))
			cx_errx(CX_EXIT_NOCONV, "cox: the log-likelihood converged before %s did: its "
			    "coefficient is infinite (the covariate separates the event times)", ds.term[j]);
	}
	for (j = 0; j < p; j++)
		for (i = 0; i < p; i++)
			wald += beta[j] * imat[j * p + i] * beta[i];
	/* wald uses solve(var, beta) = imat beta */

	z = gsl_cdf_ugaussian_Pinv(1 - (1 - o->conf) / 2);
	out = churn_out();
	churn_header(out, cols, 8);
	for (j = 0; j < p; j++) {
		double se = sqrt(var[j * p + j]), st = beta[j] / se;
		cx_csvout_str(out, ds.term[j]);
		cx_csvout_double(out, beta[j]);
		cx_csvout_double(out, exp(beta[j]));
		cx_csvout_double(out, se);
		cx_csvout_double(out, st);
		cx_csvout_double(out, 2 * gsl_cdf_ugaussian_Q(fabs(st)));
		cx_csvout_double(out, exp(beta[j] - z * se));
		cx_csvout_double(out, exp(beta[j] + z * se));
		cx_csvout_endrow(out);
	}
	if (o->zph_file)
		cox_zph(o, &cd, beta, &ds);
	/* the linear predictor is all that concordance and the baseline hazard need */
	lp = cx_xmalloc((n + 1) * sizeof(double));
	for (i = 0; i < n; i++) {
		double s = 0;
		design_row(&ds, i, xb, 1);
		for (j = 0; j < p; j++)
			s += xb[j] * beta[j];
		lp[i] = s;
	}
	design_free_covariates(&ds);
	if (o->summary_file) {
		static const char *sc[] = { "n", "events", "ties", "log_lik_null", "log_lik", "lr_chisq",
		    "lr_p_value", "wald_chisq", "wald_p_value", "score_chisq", "score_p_value", "df",
		    "concordance", "concordance_se", "converged", "iterations", "dropped" };
		double cidx, cse;
		void *h;
		struct cx_csvout *s = churn_side_open(o->summary_file, &h);
		concordance(&cd, lp, &cidx, &cse);
		churn_header(s, sc, sizeof(sc) / sizeof(sc[0]));
		cx_csvout_llong(s, (long long)n);
		cx_csvout_double(s, nev);
		cx_csvout_str(s, o->ties == TIES_EFRON ? "efron" : "breslow");
		cx_csvout_double(s, loglik0);
		cx_csvout_double(s, loglik);
		cx_csvout_double(s, 2 * (loglik - loglik0));
		cx_csvout_double(s, chisq_p(2 * (loglik - loglik0), (double)p));
		cx_csvout_double(s, wald);
		cx_csvout_double(s, chisq_p(wald, (double)p));
		cx_csvout_double(s, sctest);
		cx_csvout_double(s, chisq_p(sctest, (double)p));
		cx_csvout_llong(s, (long long)p);
		cx_csvout_double(s, cidx);
		cx_csvout_double(s, cse);
		cx_csvout_str(s, "yes");
		cx_csvout_llong(s, niter);
		cx_csvout_llong(s, (long long)ds.ndropped);
		cx_csvout_endrow(s);
		churn_side_close(s, h, o->summary_file);
	}
	if (o->model_file) {
		/* baseline cumulative hazard at the means (survfit.coxph, as basehaz(centered = TRUE)) */
		static const char *mc[] = { "kind", "name", "time", "value" };
		void *h;
		struct cx_csvout *s = churn_side_open(o->model_file, &h);
		double denom = 0, cum = 0, shift = 0;
		long e2, s2;
		/* survival 3.x centres factor dummies at 0 (the reference level), others at the mean */
		size_t kk;
		(void)kk;
		for (j = 0; j < p; j++)
			if (ds.isdummy[j]) {
				shift += mean[j] * beta[j];
				mean[j] = 0;
			}
		size_t nt = 0;
		double *ht = cx_xmalloc(n * sizeof(double)), *hv = cx_xmalloc(n * sizeof(double));
		for (e2 = (long)n - 1; e2 >= 0; ) {
			double dw = 0, d2 = 0, inc = 0;
			int nd = 0;
			s2 = e2;
			while (s2 > 0 && ds.trank[s2 - 1] == ds.trank[e2])
				s2--;
			for (i = (size_t)s2; i <= (size_t)e2; i++) {
				double r = DW(&ds, i) * exp(lp[i] + shift);
				denom += r;
				if (ds.event[i]) {
					nd++;
					dw += DW(&ds, i);
					d2 += r;
				}
			}
			if (nd > 0) {
				if (o->ties == TIES_EFRON) {
					int m;
					for (m = 0; m < nd; m++)
						inc += (dw / nd) / (denom - (double)m / nd * d2);
				} else {
					inc = dw / denom;
				}
			}
			ht[nt] = ds.times[ds.trank[e2]];
			hv[nt] = inc;
			nt++;
			e2 = s2 - 1;
		}
		churn_header(s, mc, 4);
		cx_csvout_str(s, "meta"); cx_csvout_str(s, "model"); cx_csvout_empty(s);
		cx_csvout_str(s, "cox"); cx_csvout_endrow(s);
		cx_csvout_str(s, "meta"); cx_csvout_str(s, "ties"); cx_csvout_empty(s);
		cx_csvout_str(s, o->ties == TIES_EFRON ? "efron" : "breslow"); cx_csvout_endrow(s);
		for (j = 0; j < p; j++) {
			cx_csvout_str(s, "coef"); cx_csvout_str(s, ds.term[j]); cx_csvout_empty(s);
			cx_csvout_double(s, beta[j]); cx_csvout_endrow(s);
		}
		for (j = 0; j < p; j++) {
			cx_csvout_str(s, "mean"); cx_csvout_str(s, ds.term[j]); cx_csvout_empty(s);
			cx_csvout_double(s, mean[j]); cx_csvout_endrow(s);
		}
		for (i = nt; i-- > 0; ) {
			cum += hv[i];
			cx_csvout_str(s, "basehaz"); cx_csvout_empty(s);
			cx_csvout_double(s, ht[i]); cx_csvout_double(s, cum); cx_csvout_endrow(s);
		}
		churn_side_close(s, h, o->model_file);
		free(ht);
		free(hv);
	}
	free(xb);
	free(beta); free(newbeta); free(u); free(u0); free(imat); free(var);
	free(a); free(a2); free(c); free(c2); free(lp);
	design_free(&ds);
	return CX_EXIT_OK;
}
