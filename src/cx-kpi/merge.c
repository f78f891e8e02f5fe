/*
 * cx-kpi --partial and merge: struct kpi_stats of every group written as a
 * partial file (lib/partial.h) and added up again.  The output of merge goes
 * through the very write_summary() of a single run, so the two cannot drift.
 * With --repeat-window a partial also holds one row per customer: the run of
 * its contacts in that input (struct kpi_seg), which merge joins in time order
 * through the cust_join() of a single run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"
#include "cxtime.h"
#include "hashmap.h"
#include "parse.h"
#include "partial.h"
#include "kpi.h"

/*
 * Partial files: the meta columns (lib/partial.h), "by:NAME" key columns,
 * period_start (ms) with --period, then every field of struct kpi_stats, the
 * answered_in_T/abandoned_in_T pairs, and with --repeat-window rep_cols and the
 * group of the last contact (last_by:NAME, last_period_start).  Two kinds of
 * rows: a group row has an empty customer_id; a customer row has the group of
 * its first contact in the key columns, its run in the customer columns and
 * every statistic empty.
 */
enum { PV_PERIOD, PV_ATTRIBUTE, PV_SHORT, PV_SL, PV_FORMULA, PV_REPEAT, PV_N };
static const char *const partial_opts[PV_N] = {
	"period", "attribute", "short_abandon", "sl", "sl_formula", "repeat_window",
};

static const char *const stat_cols[] = {
	"offered", "answered", "abandoned", "short_abandoned", "other", "no_customer",
	"wait_n", "wait_ans_n", "wait_ab_n", "wait_sum_us", "wait_ans_sum_us",
	"wait_ab_sum_us", "wait_max", "wait_hist", "talk_n", "hold_n", "wrap_n",
	"talk_sum_us", "hold_sum_us", "wrap_sum_us", "handle_sum_us", "transfer_n",
	"transferred", "resolved_n", "resolved", "have_wait", "have_handle",
};
#define NSTAT	(sizeof stat_cols / sizeof stat_cols[0])

enum { RC_FIRST_CONTACTS, RC_REPEATED, RC_START_MAX, RC_CUSTOMER, RC_FIRST_START,
	RC_FIRST_FOLLOWED, RC_LAST_START, RC_LAST_PENDING, RC_CONTACTS, NREP };
static const char *const rep_cols[NREP] = {
	"first_contacts", "repeated", "start_max", "customer_id", "first_start",
	"first_followed", "last_start", "last_pending", "contacts",
};

static void
partial_optvals(const struct kpi_opts *o, char vals[PV_N][256])
{
	char num[32];
	size_t len = 0;

	snprintf(vals[PV_PERIOD], 256, "%s", o->period ? cx_period_name(o->period) : "");
	snprintf(vals[PV_ATTRIBUTE], 256, "%s", o->attribute_event ? "event" : "arrival");
	cx_format_double(o->short_abandon, num);
	snprintf(vals[PV_SHORT], 256, "%s", num);
	vals[PV_SL][0] = '\0';
	for (size_t k = 0; k < o->nsl; k++) {
		cx_format_double(o->sl[k], num);
		len += (size_t)snprintf(vals[PV_SL] + len, 256 - len, "%s%s", k ? " " : "", num);
	}
	snprintf(vals[PV_FORMULA], 256, "%s", sl_formula_names[o->formula]);
	vals[PV_REPEAT][0] = '\0';
	if (o->repeat_window > 0) {
		cx_format_double(o->repeat_window, num);
		snprintf(vals[PV_REPEAT], 256, "%s", num);
	}
}

/* The by values and period start (ms) of group i, as partial fields. */
static void
write_raw_key(struct cx_csvout *w, const struct groups *g, size_t i)
{
	size_t klen, flen;
	const char *key = cx_hashmap_key(g->map, i, &klen);

	for (size_t k = 0; k < g->o->nby; k++) {
		const char *v = key_field(key, k, &flen);
		cx_csvout_field(w, v, flen);
	}
	if (g->o->period)
		cx_csvout_llong(w, (long long)key_period(key, klen));
}

static void
write_empty(struct cx_csvout *w, size_t n)
{
	while (n-- > 0)
		cx_csvout_empty(w);
}

void
kpi_write_partial(const struct groups *g, const char *out)
{
	const struct kpi_opts *o = g->o;
	char vals[PV_N][256], name[300];
	const char *vp[PV_N], **cols;
	size_t ncols = 0, n = cx_hashmap_count(g->map), *ix = sorted_groups(g), nnames;
	struct cx_partial_meta m = { "cx-kpi", "summary", KPI_PARTIAL_VERSION, PV_N,
	    partial_opts, vp };
	struct kpi_out ko;
	int rep = g->cust != NULL;
	size_t ncust = rep ? 6 + o->nby + (o->period != 0) : 0;	/* customer columns */
	char **names;

	partial_optvals(o, vals);
	for (size_t i = 0; i < PV_N; i++)
		vp[i] = vals[i];
	nnames = 2 * o->nby + 2 * o->nsl;
	cols = cx_xcalloc(o->nby + 1 + NSTAT + 2 * o->nsl + NREP + o->nby + 1, sizeof *cols);
	names = cx_xcalloc(nnames + 1, sizeof *names);
	for (size_t i = 0; i < o->nby; i++) {
		snprintf(name, sizeof name, "by:%s", o->by[i]);
		cols[ncols++] = names[i] = cx_xstrdup(name);
	}
	if (o->period)
		cols[ncols++] = "period_start";
	for (size_t i = 0; i < NSTAT; i++)
		cols[ncols++] = stat_cols[i];
	for (size_t k = 0; k < o->nsl; k++) {
		char num[32];
		cx_format_double(o->sl[k], num);
		snprintf(name, sizeof name, "answered_in_%s", num);
		cols[ncols++] = names[o->nby + 2 * k] = cx_xstrdup(name);
		snprintf(name, sizeof name, "abandoned_in_%s", num);
		cols[ncols++] = names[o->nby + 2 * k + 1] = cx_xstrdup(name);
	}
	if (rep) {
		for (size_t i = 0; i < NREP; i++)
			cols[ncols++] = rep_cols[i];
		for (size_t i = 0; i < o->nby; i++) {
			snprintf(name, sizeof name, "last_by:%s", o->by[i]);
			cols[ncols++] = names[o->nby + 2 * o->nsl + i] = cx_xstrdup(name);
		}
		if (o->period)
			cols[ncols++] = "last_period_start";
	}
	kpi_out_open(&ko, out);
	cx_partial_write_header(ko.csv, &m, cols, ncols);
	for (size_t j = 0; j < n; j++) {
		const struct kpi_stats *s = cx_hashmap_value(g->map, ix[j]);
		struct cx_csvout *w = ko.csv;
		char *h;

		cx_partial_write_meta(w, &m);
		write_raw_key(w, g, ix[j]);
		cx_csvout_llong(w, (long long)s->offered);
		cx_csvout_llong(w, (long long)s->answered);
		cx_csvout_llong(w, (long long)s->abandoned);
		cx_csvout_llong(w, (long long)s->short_abandoned);
		cx_csvout_llong(w, (long long)s->other);
		cx_csvout_llong(w, (long long)s->no_customer);
		cx_csvout_llong(w, (long long)s->wait_n);
		cx_csvout_llong(w, (long long)s->wait_ans_n);
		cx_csvout_llong(w, (long long)s->wait_ab_n);
		cx_csvout_llong(w, (long long)s->wait_sum.units);
		cx_csvout_llong(w, (long long)s->wait_ans_sum.units);
		cx_csvout_llong(w, (long long)s->wait_ab_sum.units);
		if (s->wait_n)
			cx_csvout_double(w, s->wait_max);
		else
			cx_csvout_empty(w);
		if ((h = cx_hist_format(&s->wait_hist)) == NULL)
			cx_errx(CX_EXIT_SYSTEM, "out of memory");
		cx_csvout_str(w, h);
		free(h);
		cx_csvout_llong(w, (long long)s->talk_n);
		cx_csvout_llong(w, (long long)s->hold_n);
		cx_csvout_llong(w, (long long)s->wrap_n);
		cx_csvout_llong(w, (long long)s->talk_sum.units);
		cx_csvout_llong(w, (long long)s->hold_sum.units);
		cx_csvout_llong(w, (long long)s->wrap_sum.units);
		cx_csvout_llong(w, (long long)s->handle_sum.units);
		cx_csvout_llong(w, (long long)s->transfer_n);
		cx_csvout_llong(w, (long long)s->transferred);
		cx_csvout_llong(w, (long long)s->resolved_n);
		cx_csvout_llong(w, (long long)s->resolved);
		cx_csvout_llong(w, g->have_wait);
		cx_csvout_llong(w, g->have_handle);
		for (size_t k = 0; k < o->nsl; k++) {
			cx_csvout_llong(w, (long long)s->ans_in[k]);
			cx_csvout_llong(w, (long long)s->ab_in[k]);
		}
		if (rep) {
			cx_csvout_llong(w, (long long)s->first_contacts);
			cx_csvout_llong(w, (long long)s->repeated);
			cx_csvout_llong(w, (long long)s->start_max);
			write_empty(w, ncust);
		}
		cx_csvout_endrow(w);
	}
	/* One row per customer, in the order of first appearance. */
	for (size_t j = 0; rep && j < cx_hashmap_count(g->cust); j++) {
		const struct cust_run *cr = cx_hashmap_value(g->cust, j);
		struct cx_csvout *w = ko.csv;
		size_t idlen;
		const char *id = cx_hashmap_key(g->cust, j, &idlen);
		int multi = cr->contacts > 1;

		cx_partial_write_meta(w, &m);
		write_raw_key(w, g, cr->fgroup);
		write_empty(w, NSTAT + 2 * o->nsl + 3);
		cx_csvout_field(w, id, idlen);
		cx_csvout_llong(w, (long long)cr->first);
		cx_csvout_llong(w, multi && cr->c.ffollowed);
		cx_csvout_llong(w, (long long)cr->c.last);
		cx_csvout_llong(w, multi && cr->c.pending);
		cx_csvout_llong(w, (long long)cr->contacts);
		write_raw_key(w, g, cr->c.lgroup);
		cx_csvout_endrow(w);
	}
	kpi_out_close(&ko);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(cols);
	free(ix);
}

/* Read the stats fields of one partial row (columns from index first on). */
static int
read_partial_stats(struct cx_partial_in *p, const struct cx_record *r, int first, size_t nsl,
    struct kpi_stats *s, int *have_wait, int *have_handle)
{
	uint64_t *u[] = {
		&s->offered, &s->answered, &s->abandoned, &s->short_abandoned, &s->other,
		&s->no_customer, &s->wait_n, &s->wait_ans_n, &s->wait_ab_n,
	};
	int64_t *x1[] = { &s->wait_sum.units, &s->wait_ans_sum.units, &s->wait_ab_sum.units };
	uint64_t *u2[] = { &s->talk_n, &s->hold_n, &s->wrap_n };
	int64_t *x2[] = { &s->talk_sum.units, &s->hold_sum.units, &s->wrap_sum.units,
	    &s->handle_sum.units };
	uint64_t *u3[] = { &s->transfer_n, &s->transferred, &s->resolved_n, &s->resolved };
	uint64_t hw, hh;
	const char *why;
	int c = first;

	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
		if (cx_partial_u64(p, r, c++, u[i]))
			return CX_EDATA;
	for (size_t i = 0; i < sizeof x1 / sizeof x1[0]; i++)
		if (cx_partial_i64(p, r, c++, x1[i]))
			return CX_EDATA;
	if (r->len[c] && cx_partial_double(p, r, c, &s->wait_max))
		return CX_EDATA;
	c++;
	if ((why = cx_hist_parse(&s->wait_hist, r->field[c])) != NULL)
		return cx_partial_bad(p, r, c, why);
	if (s->wait_hist.n != s->wait_n)
		return cx_partial_bad(p, r, c, "does not hold wait_n values");
	c++;
	for (size_t i = 0; i < sizeof u2 / sizeof u2[0]; i++)
		if (cx_partial_u64(p, r, c++, u2[i]))
			return CX_EDATA;
	for (size_t i = 0; i < sizeof x2 / sizeof x2[0]; i++)
		if (cx_partial_i64(p, r, c++, x2[i]))
			return CX_EDATA;
	for (size_t i = 0; i < sizeof u3 / sizeof u3[0]; i++)
		if (cx_partial_u64(p, r, c++, u3[i]))
			return CX_EDATA;
	if (cx_partial_u64(p, r, c++, &hw) || cx_partial_u64(p, r, c++, &hh))
		return CX_EDATA;
	*have_wait |= hw != 0;
	*have_handle |= hh != 0;
	for (size_t k = 0; k < nsl; k++)
		if (cx_partial_u64(p, r, c++, &s->ans_in[k]) || cx_partial_u64(p, r, c++, &s->ab_in[k]))
			return CX_EDATA;
	if (s->answered + s->abandoned + s->other != s->offered)
		return cx_partial_bad(p, r, first, "is not answered + abandoned + other");
	return 0;
}

/* A customer's run read from a partial, with where it came from. */
struct mseg {
	struct kpi_seg	 s;
	uint32_t	 cust;		/* index in the customer map */
	uint32_t	 file;		/* index in the file names */
	unsigned long	 line;
};

struct merge_rep {
	struct cx_hashmap	*cmap;		/* customer_id -> uint32_t index */
	struct mseg		*seg;
	size_t			 nseg, segcap;
	char			**file;
	size_t			 nfile;
	size_t			 col;		/* index of first_contacts */
};

static int
flag_field(struct cx_partial_in *p, const struct cx_record *r, int col, int *v)
{
	uint64_t u;

	if (cx_partial_u64(p, r, col, &u))
		return CX_EDATA;
	if (u > 1)
		return cx_partial_bad(p, r, col, "is not 0 or 1");
	*v = (int)u;
	return 0;
}

/* The group of a customer row whose key columns start at col (by values, then
 * the period start when pcol >= 0): its index in g. */
static int
row_group(struct groups *g, struct cx_partial_in *p, const struct cx_record *r, size_t col,
    int pcol, uint32_t *gidx)
{
	const char *vals[64];
	size_t vlens[64];
	int64_t ps = 0;

	for (size_t i = 0; i < g->o->nby; i++) {
		vals[i] = r->field[col + i];
		vlens[i] = r->len[col + i];
	}
	if (pcol >= 0 && cx_partial_i64(p, r, pcol, &ps))
		return CX_EDATA;
	*gidx = (uint32_t)group_get(g, vals, vlens, ps)->gidx;
	return 0;
}

/* A customer row: its run goes into mr->seg. */
static int
read_customer(struct merge_rep *mr, struct groups *g, struct cx_partial_in *p,
    const struct cx_record *r, size_t keycol, int pcol)
{
	size_t c = mr->col, lkey = c + NREP;
	struct mseg *m;
	uint64_t n;
	uint32_t *ix;
	int isnew;
	const char *path = cx_csvin_path(p->in);

	if (mr->nseg == mr->segcap) {
		mr->segcap = mr->segcap ? 2 * mr->segcap : 1024;
		mr->seg = cx_xrealloc(mr->seg, mr->segcap * sizeof *mr->seg);
	}
	m = &mr->seg[mr->nseg];
	memset(m, 0, sizeof *m);
	if (cx_partial_i64(p, r, (int)(c + RC_FIRST_START), &m->s.first) ||
	    flag_field(p, r, (int)(c + RC_FIRST_FOLLOWED), &m->s.ffollowed) ||
	    cx_partial_i64(p, r, (int)(c + RC_LAST_START), &m->s.last) ||
	    flag_field(p, r, (int)(c + RC_LAST_PENDING), &m->s.lpending) ||
	    cx_partial_u64(p, r, (int)(c + RC_CONTACTS), &n))
		return CX_EDATA;
	if (n == 0)
		return cx_partial_bad(p, r, (int)(c + RC_CONTACTS), "is not a positive count");
	if (m->s.last < m->s.first)
		return cx_partial_bad(p, r, (int)(c + RC_LAST_START), "is before first_start");
	m->s.multi = n > 1;
	if (row_group(g, p, r, keycol, pcol, &m->s.fgroup) ||
	    row_group(g, p, r, lkey, pcol >= 0 ? (int)(lkey + g->o->nby) : -1, &m->s.lgroup))
		return CX_EDATA;
	if ((ix = cx_hashmap_put(mr->cmap, r->field[c + RC_CUSTOMER], r->len[c + RC_CUSTOMER],
	    &isnew)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if (isnew)
		*ix = (uint32_t)(cx_hashmap_count(mr->cmap) - 1);
	m->cust = *ix;
	if (mr->nfile == 0 || strcmp(mr->file[mr->nfile - 1], path) != 0) {
		mr->file = cx_xrealloc(mr->file, (mr->nfile + 1) * sizeof *mr->file);
		mr->file[mr->nfile++] = cx_xstrdup(path);
	}
	m->file = (uint32_t)(mr->nfile - 1);
	m->line = r->line;
	mr->nseg++;
	return 0;
}

static int
cmp_seg(const void *a, const void *b)
{
	const struct mseg *x = a, *y = b;

	if (x->cust != y->cust)
		return x->cust < y->cust ? -1 : 1;
	if (x->s.first != y->s.first)
		return x->s.first < y->s.first ? -1 : 1;
	if (x->s.last != y->s.last)
		return x->s.last < y->s.last ? -1 : 1;
	return (x->s.fgroup > y->s.fgroup) - (x->s.fgroup < y->s.fgroup);
}

/*
 * Join every customer's runs in time order.  Runs of one customer must not
 * interleave; two runs that both lie at one instant are ordered by nothing,
 * which matters only when the first of them opens an episode in another group
 * than the second: refused.
 */
static void
resolve_customers(struct merge_rep *mr, struct groups *g)
{
	struct cust cu;
	int have = 0;

	g->data_end = INT64_MIN;
	for (size_t i = 0; i < cx_hashmap_count(g->map); i++) {
		const struct kpi_stats *s = cx_hashmap_value(g->map, i);
		if (s->offered && s->start_max > g->data_end)
			g->data_end = s->start_max;
	}
	qsort(mr->seg, mr->nseg, sizeof *mr->seg, cmp_seg);
	memset(&cu, 0, sizeof cu);
	for (size_t i = 0; i < mr->nseg; i++) {
		const struct mseg *m = &mr->seg[i];
		char t1[CX_TIME_BUFSZ], t2[CX_TIME_BUFSZ], t3[CX_TIME_BUFSZ], t4[CX_TIME_BUFSZ];
		size_t idlen;
		const char *id = cx_hashmap_key(mr->cmap, m->cust, &idlen);

		if (i > 0 && m[-1].cust != m->cust) {
			cust_finish(g, &cu);
			have = 0;
		}
		if (have && m->s.first < m[-1].s.last) {
			cx_format_time(m->s.first, t1);
			cx_format_time(m->s.last, t2);
			cx_format_time(m[-1].s.first, t3);
			cx_format_time(m[-1].s.last, t4);
			cx_errx(CX_EXIT_DATA, "%s:%lu: customer \"%.*s\": contacts from %s to %s "
			    "overlap those from %s to %s in %s:%lu (with --repeat-window each "
			    "partial must hold its own time range of a customer's contacts: split "
			    "a file sorted by start)", mr->file[m->file], m->line,
			    (int)(idlen > 60 ? 60 : idlen), id, t1, t2, t3, t4,
			    mr->file[m[-1].file], m[-1].line);
		}
		if (m->s.first == m->s.last && (!have || m->s.first - cu.last > g->win)) {
			/* runs at this one instant sort by group: compare the ends */
			const struct mseg *e = m;
			while (e + 1 < mr->seg + mr->nseg && e[1].cust == m->cust &&
			    e[1].s.first == m->s.first && e[1].s.last == m->s.first)
				e++;
			if (e->s.fgroup != m->s.fgroup) {
				cx_format_time(m->s.first, t1);
				cx_errx(CX_EXIT_DATA, "%s:%lu: customer \"%.*s\": a first contact at "
				    "%s in one group, and one at the same time in another group in "
				    "%s:%lu: which came first is unknown (keep a customer's contacts "
				    "at one instant in one partial)", mr->file[e->file], e->line,
				    (int)(idlen > 60 ? 60 : idlen), id, t1, mr->file[m->file],
				    m->line);
			}
		}
		cust_join(g, &cu, have, &m->s);
		have = 1;
	}
	if (have)
		cust_finish(g, &cu);
}

int
kpi_merge(const struct kpi_opts *cmd, char **files, size_t nfiles, const char *out)
{
	struct kpi_opts o = *cmd;
	struct cx_partial_in p;
	struct kpi_in ki;
	struct cx_record r;
	struct groups g;
	struct merge_rep mr;
	size_t ncols, c, first, rows = 0;
	char **byname = NULL, name[300];
	int pcol = -1, rc, rep = 0;

	memset(&mr, 0, sizeof mr);
	o.rejects = NULL;
	o.renames = NULL;
	o.nrenames = 0;
	o.delim = 0;
	kpi_in_open(&ki, &o, files, nfiles);
	cx_partial_init(&p);
	if ((rc = cx_partial_open(&p, ki.in, "cx-kpi", "summary")) != 0)
		cx_errx(cx_exit_status(rc), "%s", cx_partial_error(&p));
	ncols = cx_csvin_ncols(ki.in);
	/* The header names the groups, the period and the thresholds. */
	o.nby = 0;
	for (c = p.nmeta; c < ncols && strncmp(cx_csvin_colname(ki.in, c), "by:", 3) == 0; c++) {
		if (o.nby == 64)
			cx_errx(CX_EXIT_DATA, "%s: more than 64 by: columns", cx_csvin_path(ki.in));
		byname = cx_xrealloc(byname, (o.nby + 1) * sizeof *byname);
		byname[o.nby++] = cx_xstrdup(cx_csvin_colname(ki.in, c) + 3);
	}
	o.by = byname;
	if (c < ncols && strcmp(cx_csvin_colname(ki.in, c), "period_start") == 0)
		pcol = (int)c++;
	first = c;
	if (ncols < first + NSTAT)
		cx_errx(CX_EXIT_DATA, "%s: not a cx-kpi summary partial: too few columns",
		    cx_csvin_path(ki.in));
	for (size_t i = 0; i < NSTAT; i++)
		if (strcmp(cx_csvin_colname(ki.in, first + i), stat_cols[i]) != 0)
			cx_errx(CX_EXIT_DATA, "%s: column %zu is \"%s\", expected \"%s\"",
			    cx_csvin_path(ki.in), first + i + 1,
			    cx_csvin_colname(ki.in, first + i), stat_cols[i]);
	o.nsl = 0;
	for (c = first + NSTAT; c < ncols; c += 2) {
		const char *nm = cx_csvin_colname(ki.in, c);
		if (strcmp(nm, rep_cols[0]) == 0)
			break;
		if (strncmp(nm, "answered_in_", 12) != 0 || c + 1 >= ncols || o.nsl == KPI_MAX_SL ||
		    cx_parse_double(nm + 12, &o.sl[o.nsl]) != NULL)
			cx_errx(CX_EXIT_DATA, "%s: column %zu: \"%s\" is not a threshold column",
			    cx_csvin_path(ki.in), c + 1, nm);
		o.nsl++;
	}
	if (c < ncols) {
		/* --repeat-window: the customer columns, exactly */
		size_t want = NREP + o.nby + (pcol >= 0);
		rep = 1;
		mr.col = c;
		if (ncols != c + want)
			cx_errx(CX_EXIT_DATA, "%s: %zu columns after %s, expected %zu",
			    cx_csvin_path(ki.in), ncols - c, rep_cols[0], want);
		for (size_t i = 0; i < want; i++) {
			const char *nm = cx_csvin_colname(ki.in, c + i);
			if (i < NREP)
				snprintf(name, sizeof name, "%s", rep_cols[i]);
			else if (i < NREP + o.nby)
				snprintf(name, sizeof name, "last_by:%s", byname[i - NREP]);
			else
				snprintf(name, sizeof name, "last_period_start");
			if (strcmp(nm, name) != 0)
				cx_errx(CX_EXIT_DATA, "%s: column %zu is \"%s\", expected \"%s\"",
				    cx_csvin_path(ki.in), c + i + 1, nm, name);
		}
		if ((mr.cmap = cx_hashmap_new(sizeof(uint32_t))) == NULL)
			cx_errx(CX_EXIT_SYSTEM, "out of memory");
	}
	o.period = pcol >= 0 ? CX_PERIOD_HOUR : CX_PERIOD_NONE;
	o.repeat_window = 0;
	o.partial = 0;
	groups_init(&g, &o);
	while (kpi_in_next(&ki, &r) > 0) {
		struct kpi_stats tmp, *s;
		const char *vals[64];
		size_t vlens[64];
		int64_t ps = 0;

		if (r.nfield != ncols)
			cx_errx(CX_EXIT_DATA, "%s:%lu: %zu fields, the header has %zu",
			    cx_csvin_path(ki.in), r.line, r.nfield, ncols);
		if (cx_partial_is_header(&p, &r))
			continue;	/* a header repeated by cat */
		if ((rc = cx_partial_row(&p, &r, KPI_PARTIAL_VERSION)) != 0)
			cx_errx(cx_exit_status(rc), "%s", cx_partial_error(&p));
		if (rows++ == 0) {
			const char *v;
			if ((v = cx_partial_opt(&p, "period")) != NULL && *v &&
			    cx_period_parse(v, &o.period) != NULL)
				cx_errx(CX_EXIT_DATA, "%s:%lu: opt_period: \"%s\" is not a period",
				    cx_csvin_path(ki.in), r.line, v);
			if ((v = cx_partial_opt(&p, "sl_formula")) != NULL)
				for (size_t k = 0; k < SL_NFORMULAS; k++)
					if (strcmp(v, sl_formula_names[k]) == 0)
						o.formula = (enum sl_formula)k;
			v = cx_partial_opt(&p, "repeat_window");
			if (rep && (v == NULL || cx_parse_double(v, &o.repeat_window) != NULL ||
			    !(o.repeat_window > 0)))
				cx_errx(CX_EXIT_DATA, "%s:%lu: opt_repeat_window: \"%s\" is not a "
				    "window in seconds (the partial has customer columns)",
				    cx_csvin_path(ki.in), r.line, v ? v : "");
			if (!rep && v != NULL && *v)
				cx_errx(CX_EXIT_DATA, "%s:%lu: opt_repeat_window: \"%s\" but no "
				    "customer columns", cx_csvin_path(ki.in), r.line, v);
			g.win = (int64_t)llround(o.repeat_window * 1000);
		}
		if (rep && r.len[mr.col + RC_CUSTOMER] > 0) {
			if (read_customer(&mr, &g, &p, &r, p.nmeta, pcol) != 0)
				cx_errx(CX_EXIT_DATA, "%s", cx_partial_error(&p));
			continue;
		}
		for (size_t i = 0; i < o.nby; i++) {
			vals[i] = r.field[p.nmeta + i];
			vlens[i] = r.len[p.nmeta + i];
		}
		if (pcol >= 0 && cx_partial_i64(&p, &r, pcol, &ps))
			cx_errx(CX_EXIT_DATA, "%s", cx_partial_error(&p));
		memset(&tmp, 0, sizeof tmp);
		cx_hist_init(&tmp.wait_hist);
		if (read_partial_stats(&p, &r, (int)first, o.nsl, &tmp, &g.have_wait,
		    &g.have_handle) != 0 || (rep &&
		    (cx_partial_u64(&p, &r, (int)mr.col + RC_FIRST_CONTACTS, &tmp.first_contacts) ||
		    cx_partial_u64(&p, &r, (int)mr.col + RC_REPEATED, &tmp.repeated) ||
		    cx_partial_i64(&p, &r, (int)mr.col + RC_START_MAX, &tmp.start_max))))
			cx_errx(CX_EXIT_DATA, "%s", cx_partial_error(&p));
		s = group_get(&g, vals, vlens, ps);
		stats_merge(s, &tmp);
		cx_hist_fini(&tmp.wait_hist);
	}
	kpi_in_close(&ki);
	if (rep)
		resolve_customers(&mr, &g);
	write_summary(&g, out);
	groups_fini(&g);
	cx_partial_fini(&p);
	for (size_t i = 0; i < o.nby; i++)
		free(byname[i]);
	free(byname);
	for (size_t i = 0; i < mr.nfile; i++)
		free(mr.file[i]);
	free(mr.file);
	free(mr.seg);
	cx_hashmap_free(mr.cmap);
	return CX_EXIT_OK;
}
