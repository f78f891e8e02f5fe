/*
 * design: the model matrix for cox and logit.  Numeric covariates enter as
 * they are; a covariate with any non-numeric value becomes dummies COL=LEVEL
 * against --reference (default the most frequent level, ties to the first in
 * byte order), levels in byte order, as R's factor() would sort them in the C
 * locale.  Rows with a missing covariate are dropped (counted, like na.omit).
 * Holds 8 bytes per covariate per row plus a 4-byte level index.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"
#include "hashmap.h"
#include "parse.h"
#include "churn.h"

#define LEVEL_MAX 4096u
#define NOLEVEL 0xffffffffu

struct covcol {
	double		 *val;		/* NaN when not a number */
	uint32_t	 *lev;		/* level index, NOLEVEL when not tracked */
	struct cx_hashmap *levels;	/* text -> uint32 index */
	int		  text;		/* saw a non-number */
	int		  overflow;	/* more than LEVEL_MAX distinct values */
	const char	 *firstbad;	/* for the message */
	unsigned long	  firstline;
};

struct dread {
	const struct churn_opts *o;
	struct covcol	*col;
	size_t		 n, cap;
	double		*time, *w;
	int		*event;
	int		 need_time;
};

static int
dread_row(void *ctx, const struct churn_row *r)
{
	struct dread *d = ctx;
	size_t i, c0 = d->cap;

	if (d->n == d->cap) {
		d->time = churn_xgrow(d->time, &d->cap, d->n + 1, sizeof(double));
		d->w = cx_xrealloc(d->w, d->cap * sizeof(double));
		d->event = cx_xrealloc(d->event, d->cap * sizeof(int));
		for (i = 0; i < d->o->ncov; i++) {
			d->col[i].val = cx_xrealloc(d->col[i].val, d->cap * sizeof(double));
			d->col[i].lev = cx_xrealloc(d->col[i].lev, d->cap * sizeof(uint32_t));
		}
	}
	(void)c0;
	d->time[d->n] = d->need_time ? r->time : 0;
	d->w[d->n] = r->weight;
	d->event[d->n] = r->event;
	for (i = 0; i < d->o->ncov; i++) {
		struct covcol *c = &d->col[i];
		const char *s = r->covtext[i];
		double v = NAN;
		uint32_t lv = NOLEVEL;
		if (*s != '\0') {
			if (cx_parse_double(s, &v) != NULL) {
				v = NAN;
				if (!c->text && c->overflow)
					cx_errx(CX_EXIT_DATA, "%s: \"%s\" is not a number, and the column has "
					    "too many distinct values to be a factor", d->o->cov[i], s);
				c->text = 1;
			}
			if (!c->overflow) {
				int isnew;
				uint32_t *p;
				if (c->levels == NULL && (c->levels = cx_hashmap_new(sizeof(uint32_t))) == NULL)
					cx_errx(CX_EXIT_SYSTEM, "out of memory");
				if (cx_hashmap_count(c->levels) >= LEVEL_MAX &&
				    cx_hashmap_get(c->levels, s, strlen(s)) == NULL) {
					if (c->text)
						cx_errx(CX_EXIT_DATA, "%s: more than %u levels", d->o->cov[i], LEVEL_MAX);
					c->overflow = 1;
				} else {
					if ((p = cx_hashmap_put(c->levels, s, strlen(s), &isnew)) == NULL)
						cx_errx(CX_EXIT_SYSTEM, "out of memory");
					if (isnew)
						*p = (uint32_t)(cx_hashmap_count(c->levels) - 1);
					lv = *p;
				}
			}
		}
		c->val[d->n] = v;
		c->lev[d->n] = (*s == '\0') ? NOLEVEL - 1 : lv;	/* NOLEVEL-1 marks missing */
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

void
design_read(struct design *ds, const struct churn_opts *o, char **paths, size_t npaths, int intercept)
{
	struct churn_input ci = { .o = o, .need_time = !intercept, .need_event = 1 };
	struct dread d = { .o = o, .need_time = !intercept };
	size_t i, j, r, p = intercept ? 1 : 0, ntermcap = 0, k;
	uint32_t **dummy = cx_xcalloc(o->ncov, sizeof(*dummy));	/* level -> column+1 */
	size_t *base = cx_xcalloc(o->ncov + 1, sizeof(size_t));

	memset(ds, 0, sizeof(*ds));
	d.col = cx_xcalloc(o->ncov, sizeof(struct covcol));
	churn_read(&ci, paths, npaths, dread_row, &d);
	ds->intercept = intercept;
	ds->term = NULL;
	if (intercept) {
		ds->term = churn_xgrow(ds->term, &ntermcap, 1, sizeof(char *));
		ds->term[0] = cx_xstrdup("(Intercept)");
	}
	for (i = 0; i < o->ncov; i++) {
		struct covcol *c = &d.col[i];
		base[i] = p;
		if (!c->text) {
			ds->term = churn_xgrow(ds->term, &ntermcap, p + 1, sizeof(char *));
			ds->term[p++] = cx_xstrdup(o->cov[i]);
			continue;
		}
		{
			size_t nl = cx_hashmap_count(c->levels), best = 0, bl;
			double *cnt = cx_xcalloc(nl, sizeof(double));
			uint32_t *ord = cx_xmalloc(nl * sizeof(uint32_t)), refl = NOLEVEL;
			const char *refname = NULL;
			for (j = 0; j < o->nref; j++) {
				size_t cl = strlen(o->cov[i]);
				if (strncmp(o->ref[j], o->cov[i], cl) == 0 && o->ref[j][cl] == '=')
					refname = o->ref[j] + cl + 1;
			}
			for (r = 0; r < d.n; r++)
				if (c->lev[r] < nl)
					cnt[c->lev[r]] += 1;
			for (j = 0; j < nl; j++)
				ord[j] = (uint32_t)j;
			sort_map = c->levels;
			qsort(ord, nl, sizeof(uint32_t), cmp_level);
			if (refname) {
				uint32_t *pl = cx_hashmap_get(c->levels, refname, strlen(refname));
				if (pl == NULL)
					cx_errx(CX_EXIT_USAGE, "--reference: %s has no level \"%s\"", o->cov[i], refname);
				refl = *pl;
			} else {
				for (j = 0; j < nl; j++)
					if (j == 0 || cnt[ord[j]] > cnt[ord[best]])
						best = j;
				refl = ord[best];
			}
			if (nl < 2)
				cx_errx(CX_EXIT_DATA, "%s: a text covariate with a single level "
				    "cannot be estimated", o->cov[i]);
			dummy[i] = cx_xcalloc(nl, sizeof(uint32_t));
			for (j = 0; j < nl; j++) {
				const char *ln;
				char *t;
				if (ord[j] == refl)
					continue;
				ln = cx_hashmap_key(c->levels, ord[j], &bl);
				t = cx_xmalloc(strlen(o->cov[i]) + bl + 2);
				sprintf(t, "%s=%.*s", o->cov[i], (int)bl, ln);
				ds->term = churn_xgrow(ds->term, &ntermcap, p + 1, sizeof(char *));
				dummy[i][ord[j]] = (uint32_t)(p + 1);
				ds->term[p++] = t;
			}
			free(cnt);
			free(ord);
		}
	}
	ds->p = p;
	base[o->ncov] = p;
	ds->cbase = base;
	ds->ncov = o->ncov;
	/* build X over complete rows, compacting time/event/weight in place */
	ds->x = cx_xmalloc((d.n ? d.n : 1) * (p ? p : 1) * sizeof(double));
	for (r = 0, k = 0; r < d.n; r++) {
		double *row = ds->x + k * p;
		int miss = 0;
		for (i = 0; i < o->ncov && !miss; i++)
			if (d.col[i].lev[r] == NOLEVEL - 1)
				miss = 1;
		if (miss) {
			ds->ndropped++;
			continue;
		}
		if (intercept)
			row[0] = 1;
		for (i = 0; i < o->ncov; i++) {
			struct covcol *c = &d.col[i];
			if (!c->text) {
				row[base[i]] = c->val[r];
			} else {
				size_t q;
				for (q = base[i]; q < (i + 1 < o->ncov ? base[i + 1] : p); q++)
					row[q] = 0;
				if (dummy[i][c->lev[r]])
					row[dummy[i][c->lev[r]] - 1] = 1;
			}
		}
		d.time[k] = d.time[r];
		d.w[k] = d.w[r];
		d.event[k] = d.event[r];
		k++;
	}
	ds->n = k;
	ds->time = d.time;
	ds->w = d.w;
	ds->event = d.event;
	for (i = 0; i < o->ncov; i++) {
		free(d.col[i].val);
		free(d.col[i].lev);
		cx_hashmap_free(d.col[i].levels);
		free(dummy[i]);
	}
	free(d.col);
	free(dummy);
	if (ds->ndropped && !o->quiet)
		cx_warnx("dropped %zu rows with a missing covariate", ds->ndropped);
	if (ds->n == 0)
		cx_errx(CX_EXIT_DATA, "no rows without missing covariates");
}

void
design_free(struct design *ds)
{
	size_t i;

	for (i = 0; i < ds->p; i++)
		free(ds->term[i]);
	free(ds->term);
	free(ds->x);
	free(ds->time);
	free(ds->w);
	free(ds->event);
	free(ds->cbase);
	memset(ds, 0, sizeof(*ds));
}
