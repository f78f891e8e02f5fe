/*
 * ttab: per-group, per-distinct-time weighted counts of events and censorings.
 * This is all km, quantiles, lifetable and logrank keep: memory grows with the
 * number of distinct (group, time) pairs, not with the rows.
 */
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"
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
