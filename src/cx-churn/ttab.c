/*
 * ttab: per-group, per-distinct-time weighted counts of events and censorings.
 * This is all km, quantiles, lifetable and logrank keep: memory grows with the
 * number of distinct (group, time) pairs, not with the rows.
 */
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "cxerr.h"
#include "partial.h"
#include "churn.h"

static size_t
thash(double t, size_t mask)
{
	uint64_t u;

	if (t == 0)
		t = 0;		/* -0 and 0 are one time */
	memcpy(&u, &t, sizeof(u));
	u ^= u >> 33;
	u *= 0xff51afd7ed558ccdULL;
	u ^= u >> 33;
	return (size_t)u & mask;
}

static void groups_merge(struct groups *, const struct churn_opts *, char **, size_t);

static void
rehash(struct ttab *t, size_t nslot)
{
	size_t i;

	free(t->slot);
	t->slot = cx_xcalloc(nslot, sizeof(size_t));
	t->nslot = nslot;
	for (i = 0; i < t->n; i++) {
		size_t h = thash(t->time[i], nslot - 1);
		while (t->slot[h])
			h = (h + 1) & (nslot - 1);
		t->slot[h] = i + 1;
	}
}

void
ttab_add(struct ttab *t, double time, double w, int event)
{
	size_t h, i;

	if (t->nslot == 0 || 2 * (t->n + 1) > t->nslot)
		rehash(t, t->nslot ? 2 * t->nslot : 64);
	h = thash(time, t->nslot - 1);
	while (t->slot[h] && t->time[t->slot[h] - 1] != time)
		h = (h + 1) & (t->nslot - 1);
	if (t->slot[h] == 0) {
		if (t->n == t->cap) {
			size_t c = t->cap ? 2 * t->cap : 64;
			t->time = cx_xrealloc(t->time, c * sizeof(double));
			t->nevent = cx_xrealloc(t->nevent, c * sizeof(double));
			t->ncensor = cx_xrealloc(t->ncensor, c * sizeof(double));
			t->rows = cx_xrealloc(t->rows, c * sizeof(unsigned long));
			t->cap = c;
		}
		i = t->n++;
		t->time[i] = time;
		t->nevent[i] = t->ncensor[i] = 0;
		t->rows[i] = 0;
		t->slot[h] = i + 1;
	}
	i = t->slot[h] - 1;
	if (event)
		t->nevent[i] += w;
	else
		t->ncensor[i] += w;
	t->rows[i]++;
}

static int
cmp_idx(const void *a, const void *b, void *ctx)
{
	const double *tm = ctx;
	double x = tm[*(const size_t *)a], y = tm[*(const size_t *)b];

	return (x > y) - (x < y);
}

/* qsort_r is glibc; keep it local and simple with a static context instead. */
static const double *sort_times;
static int
cmp_idx_static(const void *a, const void *b)
{
	return cmp_idx(a, b, (void *)sort_times);
}

void
ttab_sort(struct ttab *t)
{
	size_t i, *idx;
	double *tm, *ne, *nc;
	unsigned long *nr;

	free(t->slot);
	t->slot = NULL;
	t->nslot = 0;
	if (t->n == 0)
		return;
	idx = cx_xmalloc(t->n * sizeof(size_t));
	for (i = 0; i < t->n; i++)
		idx[i] = i;
	sort_times = t->time;
	qsort(idx, t->n, sizeof(size_t), cmp_idx_static);
	tm = cx_xmalloc(t->n * sizeof(double));
	ne = cx_xmalloc(t->n * sizeof(double));
	nc = cx_xmalloc(t->n * sizeof(double));
	nr = cx_xmalloc(t->n * sizeof(unsigned long));
	for (i = 0; i < t->n; i++) {
		tm[i] = t->time[idx[i]];
		ne[i] = t->nevent[idx[i]];
		nc[i] = t->ncensor[idx[i]];
		nr[i] = t->rows[idx[i]];
	}
	free(t->time); free(t->nevent); free(t->ncensor); free(t->rows); free(idx);
	t->time = tm; t->nevent = ne; t->ncensor = nc; t->rows = nr;
	t->cap = t->n;
}

void
ttab_free(struct ttab *t)
{
	free(t->time); free(t->nevent); free(t->ncensor); free(t->rows); free(t->slot);
	memset(t, 0, sizeof(*t));
}

struct ttab *
groups_get(struct groups *g, const char *key, size_t len)
{
	int isnew;
	size_t *v;

	if (g->map == NULL && (g->map = cx_hashmap_new(sizeof(size_t))) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if ((v = cx_hashmap_put(g->map, key, len, &isnew)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if (isnew) {
		g->tab = churn_xgrow(g->tab, &g->cap, g->n + 1, sizeof(struct ttab));
		memset(&g->tab[g->n], 0, sizeof(struct ttab));
		*v = g->n++;
	}
	return &g->tab[*v];
}

/* Cache the last group: rows often arrive sorted by segment. */
struct gread {
	struct groups	*g;
	struct ttab	*last;
	char		*lastkey;
	size_t		 lastlen, lastcap;
};

static int
gread_row(void *ctx, const struct churn_row *r)
{
	struct gread *gr = ctx;

	if (gr->last == NULL || r->keylen != gr->lastlen ||
	    memcmp(r->key, gr->lastkey, r->keylen) != 0) {
		gr->last = groups_get(gr->g, r->key, r->keylen);
		gr->lastkey = churn_xgrow(gr->lastkey, &gr->lastcap, r->keylen + 1, 1);
		memcpy(gr->lastkey, r->key, r->keylen);
		gr->lastlen = r->keylen;
	}
	ttab_add(gr->last, r->time, r->weight, r->event);
	return 0;
}

void
groups_read(struct groups *g, const struct churn_opts *o, char **paths, size_t npaths)
{
	struct churn_input ci = { .o = o, .need_time = 1, .need_event = 1 };
	struct gread gr = { .g = g };
	size_t i;

	if (o->merging) {
		groups_merge(g, o, paths, npaths);
		return;
	}
	churn_read(&ci, paths, npaths, gread_row, &gr);
	free(gr.lastkey);
	for (i = 0; i < g->n; i++)
		ttab_sort(&g->tab[i]);
}

static const struct groups *order_g;
static int
cmp_key(const void *a, const void *b)
{
	size_t la, lb, i = *(const size_t *)a, j = *(const size_t *)b;
	const char *ka = cx_hashmap_key(order_g->map, i, &la);
	const char *kb = cx_hashmap_key(order_g->map, j, &lb);
	int c = memcmp(ka, kb, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

size_t *
groups_order(const struct groups *g)
{
	size_t i, *idx = cx_xmalloc((g->n + 1) * sizeof(size_t));

	for (i = 0; i < g->n; i++)
		idx[i] = i;
	order_g = g;
	qsort(idx, g->n, sizeof(size_t), cmp_key);
	return idx;
}

void
groups_free(struct groups *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		ttab_free(&g->tab[i]);
	free(g->tab);
	cx_hashmap_free(g->map);
	memset(g, 0, sizeof(*g));
}

/* ---- partial files: one row per (group, time) with the weighted counts ---- */

void
groups_write_partial(const struct groups *g, const struct churn_opts *o)
{
	struct cx_partial_meta pm;
	const char *names[NOPTS], *vals[NOPTS];
	struct cx_csvout *out = churn_out();
	const char **cols = cx_xcalloc(o->nby + 4, sizeof(char *));
	char **byn = cx_xcalloc(o->nby + 1, sizeof(char *));
	size_t i, j, k, *ord = groups_order(g);

	churn_partial_meta(o, &pm, names, vals);
	for (i = 0; i < o->nby; i++) {
		byn[i] = cx_xmalloc(strlen(o->by[i]) + 4);
		sprintf(byn[i], "by:%s", o->by[i]);
		cols[i] = byn[i];
	}
	cols[i++] = "time";
	cols[i++] = "n_event";
	cols[i++] = "n_censor";
	cols[i++] = "rows";
	cx_partial_write_header(out, &pm, cols, i);
	for (k = 0; k < g->n; k++) {
		const struct ttab *t = &g->tab[ord[k]];
		size_t klen;
		const char *key = cx_hashmap_key(g->map, ord[k], &klen);
		for (j = 0; j < t->n; j++) {
			cx_partial_write_meta(out, &pm);
			churn_key_fields(out, key, klen, o->nby);
			cx_csvout_double(out, t->time[j]);
			cx_csvout_double(out, t->nevent[j]);
			cx_csvout_double(out, t->ncensor[j]);
			cx_csvout_llong(out, (long long)t->rows[j]);
			cx_csvout_endrow(out);
		}
	}
	for (i = 0; i < o->nby; i++)
		free(byn[i]);
	free(byn);
	free(cols);
	free(ord);
}

static void
ttab_add_counts(struct ttab *t, double time, double ne, double nc, unsigned long rows)
{
	size_t h, i;

	ttab_add(t, time, 0, 0);	/* find or insert, counting one row */
	if (t->nslot == 0)
		return;
	h = thash(time, t->nslot - 1);
	while (t->time[t->slot[h] - 1] != time)
		h = (h + 1) & (t->nslot - 1);
	i = t->slot[h] - 1;
	t->nevent[i] += ne;
	t->ncensor[i] += nc;
	t->rows[i] += rows - 1;
}

/* Open partial files of this mode; returns the reader, the checker filled. */
struct cx_csvin *
churn_partial_open(const struct churn_opts *o, char **paths, size_t npaths, struct cx_partial_in *pi)
{
	struct cx_csvin_opts co = { 0 };
	struct cx_csvin *in = cx_csvin_new(&co);
	int rc;

	if (in == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if ((rc = cx_csvin_open(in, paths, npaths)) < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	cx_partial_init(pi);
	if ((rc = cx_partial_open(pi, in, "cx-churn", o->mode)) < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_partial_error(pi));
	return in;
}

int
churn_partial_col(struct cx_csvin *in, const char *name)
{
	int c = cx_csvin_column(in, name);

	if (c < 0)
		cx_errx(CX_EXIT_DATA, "%s: a partial without column \"%s\"", cx_csvin_path(in), name);
	return c;
}

static void
groups_merge(struct groups *g, const struct churn_opts *o, char **paths, size_t npaths)
{
	struct cx_partial_in pi;
	struct cx_csvin *in = churn_partial_open(o, paths, npaths, &pi);
	struct cx_record r;
	int *byc = cx_xcalloc(o->nby + 1, sizeof(int)), ct, ce, cc, cr, rc;
	char *key = NULL, nb[512];
	size_t keycap = 0, i;

	for (i = 0; i < o->nby; i++) {
		snprintf(nb, sizeof(nb), "by:%s", o->by[i]);
		byc[i] = churn_partial_col(in, nb);
	}
	ct = churn_partial_col(in, "time");
	ce = churn_partial_col(in, "n_event");
	cc = churn_partial_col(in, "n_censor");
	cr = churn_partial_col(in, "rows");
	while ((rc = cx_csvin_next(in, &r)) == 1) {
		double t, ne, nc;
		uint64_t rows;
		size_t klen = 0;
		if ((size_t)cr >= r.nfield)
			cx_errx(CX_EXIT_DATA, "%s:%lu: a short row", cx_csvin_path(in), r.line);
		if (cx_partial_row(&pi, &r, 1) < 0 ||
		    cx_partial_double(&pi, &r, ct, &t) < 0 || cx_partial_double(&pi, &r, ce, &ne) < 0 ||
		    cx_partial_double(&pi, &r, cc, &nc) < 0 || cx_partial_u64(&pi, &r, cr, &rows) < 0)
			cx_errx(CX_EXIT_DATA, "%s", cx_partial_error(&pi));
		for (i = 0; i < o->nby; i++) {
			size_t l = strlen(r.field[byc[i]]);
			key = churn_xgrow(key, &keycap, klen + l + 2, 1);
			if (i > 0)
				key[klen++] = '\x1f';
			memcpy(key + klen, r.field[byc[i]], l);
			klen += l;
		}
		ttab_add_counts(groups_get(g, key ? key : "", klen), t, ne, nc, (unsigned long)rows);
	}
	if (rc < 0) {
		free(byc);	/* nothing left allocated at the exit */
		free(key);
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	}
	cx_partial_fini(&pi);
	cx_csvin_free(in);
	free(byc);
	free(key);
	for (i = 0; i < g->n; i++)
		ttab_sort(&g->tab[i]);
}
