/*
 * design: the covariates of cox and logit, held compactly.  A covariate is
 * numeric when its first non-empty value is a number (8 bytes a row) and text
 * otherwise (a 2-byte level code a row); text covariates enter as dummies
 * COL=LEVEL against --reference (default the most frequent level, ties to the
 * first in byte order), levels in byte order as R's factor() sorts them in the
 * C locale.  Times are kept as 4-byte ranks into the sorted distinct times.
 * Rows with a missing covariate are dropped and counted (like na.omit).
 * Per row: 4 (time) + 1 (event) [+ 8 weight] + 8 per numeric + 2 per text covariate.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"
#include "hashmap.h"
#include "parse.h"
#include "churn.h"

#define LEVEL_MAX 65535u

struct dread {
	struct design	*d;
	const struct churn_opts *o;
	size_t		 cap;
	struct cx_hashmap **levels;	/* per text covariate */
	double		*tmpv;
	uint16_t	*tmpl;
	/* distinct times: open addressing, id + 1 */
	uint32_t	*slot;
	size_t		 nslot, tcap;
	int		 need_time;
};

static size_t
thash(double t, size_t mask)
{
	uint64_t u;

	if (t == 0)
		t = 0;
	memcpy(&u, &t, sizeof(u));
	u ^= u >> 33;
	u *= 0xff51afd7ed558ccdULL;
	u ^= u >> 33;
	return (size_t)u & mask;
}

static uint32_t
time_id(struct dread *r, double t)
{
	struct design *d = r->d;
	size_t h, i;

	if (r->nslot == 0 || 2 * (d->ntimes + 1) > r->nslot) {
		size_t ns = r->nslot ? 2 * r->nslot : 1024;
		free(r->slot);
		r->slot = cx_xcalloc(ns, sizeof(uint32_t));
		r->nslot = ns;
		for (i = 0; i < d->ntimes; i++) {
			h = thash(d->times[i], ns - 1);
			while (r->slot[h])
				h = (h + 1) & (ns - 1);
			r->slot[h] = (uint32_t)(i + 1);
		}
	}
	h = thash(t, r->nslot - 1);
	while (r->slot[h] && d->times[r->slot[h] - 1] != t)
		h = (h + 1) & (r->nslot - 1);
	if (r->slot[h] == 0) {
		d->times = churn_xgrow(d->times, &r->tcap, d->ntimes + 1, sizeof(double));
		d->times[d->ntimes] = t;
		r->slot[h] = (uint32_t)++d->ntimes;
	}
	return r->slot[h] - 1;
}

static int
dread_row(void *ctx, const struct churn_row *row)
{
	struct dread *r = ctx;
	struct design *d = r->d;
	const struct churn_opts *o = r->o;
	size_t i, n = d->n;

	for (i = 0; i < o->ncov; i++) {
		const char *s = row->covtext[i];
		if (*s == '\0') {
			d->ndropped++;
			return 0;
		}
		if (d->kind[i] == 0)	/* first value decides */
			d->kind[i] = cx_parse_double(s, &r->tmpv[i]) == NULL ? 1 : 2;
		if (d->kind[i] == 1) {
			const char *why = cx_parse_double(s, &r->tmpv[i]);
			if (why) {
				cx_warnx("%s:%lu: %s: \"%s\" %s (the column's first value made it numeric)",
				    row->path, row->line, o->cov[i], s, why);
				return 1;
			}
		} else {
			int isnew;
			uint16_t *lv;
			if (r->levels[i] == NULL && (r->levels[i] = cx_hashmap_new(sizeof(uint16_t))) == NULL)
				cx_errx(CX_EXIT_SYSTEM, "out of memory");
			if ((lv = cx_hashmap_put(r->levels[i], s, strlen(s), &isnew)) == NULL)
				cx_errx(CX_EXIT_SYSTEM, "out of memory");
			if (isnew) {
				if (cx_hashmap_count(r->levels[i]) > LEVEL_MAX)
					cx_errx(CX_EXIT_DATA, "%s: more than %u levels", o->cov[i], LEVEL_MAX);
				*lv = (uint16_t)(cx_hashmap_count(r->levels[i]) - 1);
			}
			r->tmpl[i] = *lv;
		}
	}
	if (n == r->cap) {
		size_t c = r->cap ? 2 * r->cap : 1024;
		d->trank = cx_xrealloc(d->trank, c * sizeof(uint32_t));
		d->event = cx_xrealloc(d->event, c);
		if (o->weight_col)
			d->w = cx_xrealloc(d->w, c * sizeof(double));
		for (i = 0; i < o->ncov; i++) {
			d->num[i] = cx_xrealloc(d->num[i], c * sizeof(double));
			d->lev[i] = cx_xrealloc(d->lev[i], c * sizeof(uint16_t));
		}
		r->cap = c;
	}
	d->trank[n] = r->need_time ? time_id(r, row->time) : 0;
	d->event[n] = (unsigned char)row->event;
	if (d->w)
		d->w[n] = row->weight;
	for (i = 0; i < o->ncov; i++) {
		if (d->kind[i] == 1)
			d->num[i][n] = r->tmpv[i];
		else
			d->lev[i][n] = r->tmpl[i];
	}
	d->n++;
	return 0;
}

static const struct cx_hashmap *sort_map;
static int
cmp_level(const void *a, const void *b)
{
	size_t la, lb;
	const char *ka = cx_hashmap_key(sort_map, *(const uint32_t *)a, &la);
	const char *kb = cx_hashmap_key(sort_map, *(const uint32_t *)b, &lb);
	int c = memcmp(ka, kb, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

static const double *sort_t;
static int
cmp_tid(const void *a, const void *b)
{
	double x = sort_t[*(const uint32_t *)a], y = sort_t[*(const uint32_t *)b];

	return (x > y) - (x < y);
}

static char *
xstrcat3(const char *a, const char *b, size_t blen)
{
	char *t = cx_xmalloc(strlen(a) + blen + 2);

	sprintf(t, "%s=%.*s", a, (int)blen, b);
	return t;
}

void
design_read(struct design *d, const struct churn_opts *o, char **paths, size_t npaths, int intercept)
{
	struct churn_input ci = { .o = o, .need_time = !intercept, .need_event = 1 };
	struct dread r = { .d = d, .o = o, .need_time = !intercept };
	size_t i, j, p = intercept ? 1 : 0, tcap = 0, ncol = o->ncov;

	memset(d, 0, sizeof(*d));
	d->ncov = ncol;
	d->intercept = intercept;
	d->kind = cx_xcalloc(ncol + 1, sizeof(int));
	d->num = cx_xcalloc(ncol + 1, sizeof(double *));
	d->lev = cx_xcalloc(ncol + 1, sizeof(uint16_t *));
	d->levcol = cx_xcalloc(ncol + 1, sizeof(uint32_t *));
	d->cbase = cx_xcalloc(ncol + 1, sizeof(size_t));
	if (o->weight_col)
		d->w = cx_xmalloc(sizeof(double));
	r.levels = cx_xcalloc(ncol + 1, sizeof(*r.levels));
	r.tmpv = cx_xcalloc(ncol + 1, sizeof(double));
	r.tmpl = cx_xcalloc(ncol + 1, sizeof(uint16_t));
	churn_read(&ci, paths, npaths, dread_row, &r);
	free(r.slot);
	free(r.tmpv);
	free(r.tmpl);
	if (d->ndropped && !o->quiet)
		cx_warnx("dropped %zu rows with a missing covariate", d->ndropped);
	if (d->n == 0)
		cx_errx(CX_EXIT_DATA, "no rows without missing covariates");
	/* time ids to ranks of the sorted distinct times */
	if (!intercept) {
		uint32_t *ord = cx_xmalloc(d->ntimes * sizeof(uint32_t)), *rank;
		double *st = cx_xmalloc(d->ntimes * sizeof(double));
		for (i = 0; i < d->ntimes; i++)
			ord[i] = (uint32_t)i;
		sort_t = d->times;
		qsort(ord, d->ntimes, sizeof(uint32_t), cmp_tid);
		rank = cx_xmalloc(d->ntimes * sizeof(uint32_t));
		for (i = 0; i < d->ntimes; i++) {
			rank[ord[i]] = (uint32_t)i;
			st[i] = d->times[ord[i]];
		}
		for (i = 0; i < d->n; i++)
			d->trank[i] = rank[d->trank[i]];
		free(d->times);
		d->times = st;
		free(ord);
		free(rank);
	}
	/* terms */
	if (intercept) {
		d->term = churn_xgrow(d->term, &tcap, 1, sizeof(char *));
		d->term[0] = cx_xstrdup("(Intercept)");
	}
	for (i = 0; i < ncol; i++) {
		d->cbase[i] = p;
		if (d->kind[i] != 2) {
			free(d->lev[i]);
			d->lev[i] = NULL;
			d->term = churn_xgrow(d->term, &tcap, p + 1, sizeof(char *));
			d->term[p++] = cx_xstrdup(o->cov[i]);
			continue;
		}
		free(d->num[i]);
		d->num[i] = NULL;
		{
			size_t nl = cx_hashmap_count(r.levels[i]), best = 0, bl, k;
			double *cnt = cx_xcalloc(nl, sizeof(double));
			uint32_t *ord = cx_xmalloc(nl * sizeof(uint32_t)), refl;
			const char *refname = NULL;
			for (j = 0; j < o->nref; j++) {
				size_t cl = strlen(o->cov[i]);
				if (strncmp(o->ref[j], o->cov[i], cl) == 0 && o->ref[j][cl] == '=')
					refname = o->ref[j] + cl + 1;
			}
			if (nl < 2)
				cx_errx(CX_EXIT_DATA, "%s: a text covariate with a single level "
				    "cannot be estimated", o->cov[i]);
			for (k = 0; k < d->n; k++)
				cnt[d->lev[i][k]] += 1;
			for (j = 0; j < nl; j++)
				ord[j] = (uint32_t)j;
			sort_map = r.levels[i];
			qsort(ord, nl, sizeof(uint32_t), cmp_level);
			if (refname) {
				uint16_t *pl = cx_hashmap_get(r.levels[i], refname, strlen(refname));
				if (pl == NULL)
					cx_errx(CX_EXIT_USAGE, "--reference: %s has no level \"%s\"", o->cov[i], refname);
				refl = *pl;
			} else {
				for (j = 0; j < nl; j++)
					if (j == 0 || cnt[ord[j]] > cnt[ord[best]])
						best = j;
				refl = ord[best];
			}
			d->levcol[i] = cx_xcalloc(nl, sizeof(uint32_t));
			for (j = 0; j < nl; j++) {
				const char *ln;
				if (ord[j] == refl)
					continue;
				ln = cx_hashmap_key(r.levels[i], ord[j], &bl);
				d->term = churn_xgrow(d->term, &tcap, p + 1, sizeof(char *));
				d->levcol[i][ord[j]] = (uint32_t)(p + 1);
				d->term[p++] = xstrcat3(o->cov[i], ln, bl);
			}
			free(cnt);
			free(ord);
		}
		cx_hashmap_free(r.levels[i]);
	}
	free(r.levels);
	d->cbase[ncol] = p;
	d->p = p;
	d->isdummy = cx_xcalloc(p + 1, sizeof(int));
	for (i = 0; i < ncol; i++)
		if (d->kind[i] == 2)
			for (j = d->cbase[i]; j < d->cbase[i + 1]; j++)
				d->isdummy[j] = 1;
	/* weighted means, for centring */
	d->mean = cx_xcalloc(p + 1, sizeof(double));
	{
		double *x = cx_xmalloc((p + 1) * sizeof(double)), sw = 0;
		for (i = 0; i < d->n; i++) {
			double wi = d->w ? d->w[i] : 1;
			design_row(d, i, x, 0);
			for (j = 0; j < p; j++)
				d->mean[j] += wi * x[j];
			sw += wi;
		}
		for (j = 0; j < p; j++)
			d->mean[j] /= sw;
		free(x);
	}
}

void
design_row(const struct design *d, size_t i, double *x, int centre)
{
	size_t k, j;

	if (d->intercept)
		x[0] = 1;
	for (k = 0; k < d->ncov; k++) {
		size_t b = d->cbase[k];
		if (d->num[k]) {
			x[b] = d->num[k][i];
		} else {
			uint32_t c;
			for (j = b; j < d->cbase[k + 1]; j++)
				x[j] = 0;
			if ((c = d->levcol[k][d->lev[k][i]]) != 0)
				x[c - 1] = 1;
		}
	}
	if (centre)
		for (j = 0; j < d->p; j++)
			x[j] -= d->mean[j];
}

/* Stable counting sort of the rows by time rank. */
void
design_sort(struct design *d)
{
	size_t n = d->n, i, k;
	uint32_t *pos = cx_xcalloc(d->ntimes + 1, sizeof(uint32_t)), *idx = cx_xmalloc(n * sizeof(uint32_t));

	for (i = 0; i < n; i++)
		pos[d->trank[i] + 1]++;
	for (i = 0; i < d->ntimes; i++)
		pos[i + 1] += pos[i];
	for (i = 0; i < n; i++)
		idx[pos[d->trank[i]]++] = (uint32_t)i;
	free(pos);
#define PERMUTE(arr, type) do { \
		type *nw = cx_xmalloc(n * sizeof(type)); \
		for (i = 0; i < n; i++) \
			nw[i] = (arr)[idx[i]]; \
		free(arr); \
		(arr) = nw; \
	} while (0)
	PERMUTE(d->trank, uint32_t);
	PERMUTE(d->event, unsigned char);
	if (d->w)
		PERMUTE(d->w, double);
	for (k = 0; k < d->ncov; k++) {
		if (d->num[k])
			PERMUTE(d->num[k], double);
		if (d->lev[k])
			PERMUTE(d->lev[k], uint16_t);
	}
#undef PERMUTE
	free(idx);
}

void
design_free_covariates(struct design *d)
{
	size_t k;

	for (k = 0; k < d->ncov; k++) {
		free(d->num[k]);
		free(d->lev[k]);
		d->num[k] = NULL;
		d->lev[k] = NULL;
	}
}

void
design_free(struct design *d)
{
	size_t i;

	design_free_covariates(d);
	for (i = 0; i < d->p; i++)
		free(d->term[i]);
	for (i = 0; i < d->ncov; i++)
		free(d->levcol[i]);
	free(d->term); free(d->trank); free(d->times); free(d->event); free(d->w);
	free(d->kind); free(d->num); free(d->lev); free(d->levcol); free(d->cbase);
	free(d->mean); free(d->isdummy);
	memset(d, 0, sizeof(*d));
}
