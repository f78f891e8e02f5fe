/*
 * cohort: the retention triangle.  A customer belongs to the cohort of the
 * month (or ISO week) of --start; they count as active in period k of their
 * cohort when they had not churned before that period began (empty --end, or
 * an end after --asof, means still active).  Cells that begin after the
 * --asof period are empty.  Holds, per (group, cohort), a histogram of churn
 * offsets: memory grows with groups x cohorts x periods, not with rows.
 */
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "cxerr.h"
#include "cxtime.h"
#include "partial.h"
#include "churn.h"

struct cell {
	long	 cohort;		/* period index */
	double	 size;
	double	*churned;		/* churned[k]: churned in period cohort + k */
	size_t	 ncap;
	char	*key;			/* --by values */
	size_t	 keylen;
};

struct cread {
	const struct churn_opts *o;
	struct cx_hashmap *map;		/* key + cohort -> index */
	struct cell	*c;
	size_t		 n, cap;
	long		 asof_period;
	char		*buf;
	size_t		 bufcap;
};

static long
period_of(int32_t days, int week)
{
	int y, m, d;

	if (week)	/* ISO weeks start on Monday; 1970-01-01 was a Thursday */
		return (long)((days + 3) >= 0 ? (days + 3) / 7 : -((-(days + 3) + 6) / 7));
	cx_civil_from_days(days, &y, &m, &d);
	return (long)y * 12 + (m - 1);
}

static int32_t
period_start(long k, int week)
{
	return week ? (int32_t)(k * 7 - 3) : cx_days_from_civil((int)(k / 12), (int)(k % 12) + 1, 1);
}

static struct cell *
cell_get(struct cread *cr, const char *key, size_t keylen, long c)
{
	size_t need = keylen + sizeof(long), *v;
	int isnew;

	cr->buf = churn_xgrow(cr->buf, &cr->bufcap, need, 1);
	memcpy(cr->buf, key, keylen);
	memcpy(cr->buf + keylen, &c, sizeof(long));
	if ((v = cx_hashmap_put(cr->map, cr->buf, need, &isnew)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if (isnew) {
		cr->c = churn_xgrow(cr->c, &cr->cap, cr->n + 1, sizeof(struct cell));
		memset(&cr->c[cr->n], 0, sizeof(struct cell));
		cr->c[cr->n].cohort = c;
		cr->c[cr->n].key = cx_xmalloc(keylen + 1);
		memcpy(cr->c[cr->n].key, key, keylen);
		cr->c[cr->n].keylen = keylen;
		*v = cr->n++;
	}
	return &cr->c[*v];
}

static void
cell_churn(struct cell *cl, long k, double w)
{
	if ((size_t)k >= cl->ncap) {
		size_t old = cl->ncap;
		cl->churned = churn_xgrow(cl->churned, &cl->ncap, (size_t)k + 1, sizeof(double));
		memset(cl->churned + old, 0, (cl->ncap - old) * sizeof(double));
	}
	cl->churned[k] += w;
}

static int
cread_row(void *ctx, const struct churn_row *r)
{
	struct cread *cr = ctx;
	long c = period_of(r->start, cr->o->period_week), k;
	struct cell *cl = cell_get(cr, r->key, r->keylen, c);

	cl->size += r->weight;
	if (r->has_end) {
		k = period_of(r->end, cr->o->period_week) - c;
		cell_churn(cl, k, r->weight);
	}
	return 0;
}

static int
cmp_cell(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	size_t l = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c = memcmp(x->key, y->key, l);

	if (c)
		return c;
	if (x->keylen != y->keylen)
		return (x->keylen > y->keylen) - (x->keylen < y->keylen);
	return (x->cohort > y->cohort) - (x->cohort < y->cohort);
}

static void
cohort_partial(struct cread *cr, const struct churn_opts *o)
{
	struct cx_partial_meta pm;
	const char *names[NOPTS], *vals[NOPTS];
	struct cx_csvout *out = churn_out();
	const char **cols = cx_xcalloc(o->nby + 4, sizeof(char *));
	char **byn = cx_xcalloc(o->nby + 1, sizeof(char *));
	size_t i, k;

	churn_partial_meta(o, &pm, names, vals);
	for (i = 0; i < o->nby; i++) {
		byn[i] = cx_xmalloc(strlen(o->by[i]) + 4);
		sprintf(byn[i], "by:%s", o->by[i]);
		cols[i] = byn[i];
	}
	cols[i++] = "cohort";
	cols[i++] = "k";
	cols[i++] = "count";
	cx_partial_write_header(out, &pm, cols, i);
	for (i = 0; i < cr->n; i++) {
		struct cell *cl = &cr->c[i];
		cx_partial_write_meta(out, &pm);
		churn_key_fields(out, cl->key, cl->keylen, o->nby);
		cx_csvout_llong(out, cl->cohort);
		cx_csvout_empty(out);
		cx_csvout_double(out, cl->size);
		cx_csvout_endrow(out);
		for (k = 0; k < cl->ncap; k++)
			if (cl->churned[k] != 0) {
				cx_partial_write_meta(out, &pm);
				churn_key_fields(out, cl->key, cl->keylen, o->nby);
				cx_csvout_llong(out, cl->cohort);
				cx_csvout_llong(out, (long long)k);
				cx_csvout_double(out, cl->churned[k]);
				cx_csvout_endrow(out);
			}
	}
	for (i = 0; i < o->nby; i++)
		free(byn[i]);
	free(byn);
	free(cols);
}

static void
cohort_merge(struct cread *cr, const struct churn_opts *o, char **paths, size_t npaths)
{
	struct cx_partial_in pi;
	struct cx_csvin *in = churn_partial_open(o, paths, npaths, &pi);
	struct cx_record r;
	int *byc = cx_xcalloc(o->nby + 1, sizeof(int)), cc, ck, cn, rc;
	char *key = NULL, nb[512];
	size_t keycap = 0, i;

	for (i = 0; i < o->nby; i++) {
		snprintf(nb, sizeof(nb), "by:%s", o->by[i]);
		byc[i] = churn_partial_col(in, nb);
	}
	cc = churn_partial_col(in, "cohort");
	ck = churn_partial_col(in, "k");
	cn = churn_partial_col(in, "count");
	while ((rc = cx_csvin_next(in, &r)) == 1) {
		int64_t c, k = -1;
		double v;
		size_t klen = 0;
		struct cell *cl;
		if ((size_t)cn >= r.nfield)
			cx_errx(CX_EXIT_DATA, "%s:%lu: a short row", cx_csvin_path(in), r.line);
		if (cx_partial_row(&pi, &r, 1) < 0 || cx_partial_i64(&pi, &r, cc, &c) < 0 ||
		    (*r.field[ck] != '\0' && cx_partial_i64(&pi, &r, ck, &k) < 0) ||
		    cx_partial_double(&pi, &r, cn, &v) < 0)
			cx_errx(CX_EXIT_DATA, "%s", cx_partial_error(&pi));
		if (*r.field[ck] != '\0' && k < 0)
			cx_errx(CX_EXIT_DATA, "%s:%lu: k: \"%s\" is negative", cx_csvin_path(in), r.line,
			    r.field[ck]);
		for (i = 0; i < o->nby; i++) {
			size_t l = strlen(r.field[byc[i]]);
			key = churn_xgrow(key, &keycap, klen + l + 2, 1);
			if (i > 0)
				key[klen++] = '\x1f';
			memcpy(key + klen, r.field[byc[i]], l);
			klen += l;
		}
		cl = cell_get(cr, key ? key : "", klen, (long)c);
		if (k < 0)
			cl->size += v;
		else
			cell_churn(cl, (long)k, v);
	}
	if (rc < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	cx_partial_fini(&pi);
	cx_csvin_free(in);
	free(byc);
	free(key);
}

int
mode_cohort(const struct churn_opts *o, char **paths, size_t npaths)
{
	struct churn_input ci = { .o = o, .cohort = 1 };
	struct cread cr = { .o = o };
	struct cx_csvout *out;
	long kmax = 0, k;
	size_t i;
	char name[32], date[CX_TIME_BUFSZ];

	if ((cr.map = cx_hashmap_new(sizeof(size_t))) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	cr.asof_period = period_of(o->asof, o->period_week);
	if (o->merging)
		cohort_merge(&cr, o, paths, npaths);
	else
		churn_read(&ci, paths, npaths, cread_row, &cr);
	qsort(cr.c, cr.n, sizeof(struct cell), cmp_cell);
	if (o->partial) {
		cohort_partial(&cr, o);
		kmax = -1;	/* nothing more to print */
	}
	if (kmax < 0)
		goto done;
	for (i = 0; i < cr.n; i++)
		if (cr.asof_period - cr.c[i].cohort > kmax)
			kmax = cr.asof_period - cr.c[i].cohort;
	if (o->plot_file) {
		/* one retention line per cohort over periods since signup */
		struct plot *pl = plot_open(o->plot_file, o->period_week ? "weeks since signup" :
		    "months since signup", "share still active");
		const char **title = cx_xcalloc(cr.n + 1, sizeof(char *));
		size_t *tlen = cx_xcalloc(cr.n + 1, sizeof(size_t));
		char (*lab)[CX_TIME_BUFSZ + 256] = cx_xcalloc(cr.n + 1, sizeof(*lab));
		for (i = 0; i < cr.n; i++) {
			cx_format_date(period_start(cr.c[i].cohort, o->period_week), date);
			snprintf(lab[i], sizeof(lab[i]), "%.*s%s%s", (int)(cr.c[i].keylen > 200 ? 200 :
			    cr.c[i].keylen), cr.c[i].key, cr.c[i].keylen ? " " : "", date);
			title[i] = lab[i];
			tlen[i] = strlen(lab[i]);
		}
		plot_begin(pl, cr.n, title, tlen, 0);
		for (i = 0; i < cr.n; i++) {
			double gone = 0;
			for (k = 0; cr.c[i].cohort + k <= cr.asof_period; k++) {
				plot_point(pl, (double)k, (cr.c[i].size - gone) / cr.c[i].size);
				if ((size_t)k < cr.c[i].ncap)
					gone += cr.c[i].churned[k];
			}
			plot_end_series(pl);
		}
		plot_close(pl);
		free(title);
		free(tlen);
		free(lab);
	}
	out = churn_out();
	for (i = 0; i < o->nby; i++)
		cx_csvout_str(out, o->by[i]);
	cx_csvout_str(out, "cohort");
	cx_csvout_str(out, "size");
	for (k = 0; k <= kmax; k++) {
		snprintf(name, sizeof(name), "%c%02ld", o->period_week ? 'w' : 'm', k);
		cx_csvout_str(out, name);
	}
	cx_csvout_endrow(out);
	for (i = 0; i < cr.n; i++) {
		struct cell *cl = &cr.c[i];
		double gone = 0;
		churn_key_fields(out, cl->key, cl->keylen, o->nby);
		cx_format_date(period_start(cl->cohort, o->period_week), date);
		cx_csvout_str(out, date);
		cx_csvout_double(out, cl->size);
		for (k = 0; k <= kmax; k++) {
			if (cl->cohort + k > cr.asof_period) {
				cx_csvout_empty(out);
				continue;
			}
			cx_csvout_double(out, (cl->size - gone) / cl->size);
			if ((size_t)k < cl->ncap)
				gone += cl->churned[k];
		}
		cx_csvout_endrow(out);
	}
done:
	for (i = 0; i < cr.n; i++) {
		free(cr.c[i].churned);
		free(cr.c[i].key);
	}
	free(cr.c);
	free(cr.buf);
	cx_hashmap_free(cr.map);
	return CX_EXIT_OK;
}
