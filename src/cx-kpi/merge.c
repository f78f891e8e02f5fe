/*
 * cx-kpi --partial and merge: struct kpi_stats of every group written as a
 * partial file (lib/partial.h) and added up again.  The output of merge goes
 * through the very write_summary() of a single run, so the two cannot drift.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"
#include "hashmap.h"
#include "parse.h"
#include "partial.h"
#include "kpi.h"

/*
 * Partial files: the meta columns (lib/partial.h), "by:NAME" key columns,
 * period_start (ms) with --period, then every field of struct kpi_stats.
 */
enum { PV_PERIOD, PV_ATTRIBUTE, PV_SHORT, PV_SL, PV_FORMULA, PV_N };
static const char *const partial_opts[PV_N] = {
	"period", "attribute", "short_abandon", "sl", "sl_formula",
};

static const char *const stat_cols[] = {
	"offered", "answered", "abandoned", "short_abandoned", "other", "no_customer",
	"wait_n", "wait_ans_n", "wait_ab_n", "wait_sum_us", "wait_ans_sum_us",
	"wait_ab_sum_us", "wait_max", "wait_hist", "talk_n", "hold_n", "wrap_n",
	"talk_sum_us", "hold_sum_us", "wrap_sum_us", "handle_sum_us", "transfer_n",
	"transferred", "resolved_n", "resolved", "have_wait", "have_handle",
};
#define NSTAT	(sizeof stat_cols / sizeof stat_cols[0])

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
}

void
kpi_write_partial(const struct groups *g, const char *out)
{
	const struct kpi_opts *o = g->o;
	char vals[PV_N][256], name[300];
	const char *vp[PV_N], **cols;
	size_t ncols = 0, n = cx_hashmap_count(g->map), *ix = sorted_groups(g);
	struct cx_partial_meta m = { "cx-kpi", "summary", KPI_PARTIAL_VERSION, PV_N,
	    partial_opts, vp };
	struct kpi_out ko;
	char **names;

	partial_optvals(o, vals);
	for (size_t i = 0; i < PV_N; i++)
		vp[i] = vals[i];
	cols = cx_xcalloc(o->nby + 1 + NSTAT + 2 * o->nsl, sizeof *cols);
	names = cx_xcalloc(o->nby + 2 * o->nsl + 1, sizeof *names);
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
	kpi_out_open(&ko, out);
	cx_partial_write_header(ko.csv, &m, cols, ncols);
	for (size_t j = 0; j < n; j++) {
		const struct kpi_stats *s = cx_hashmap_value(g->map, ix[j]);
		struct cx_csvout *w = ko.csv;
		size_t klen, flen;
		const char *key = cx_hashmap_key(g->map, ix[j], &klen);
		char *h;

		cx_partial_write_meta(w, &m);
		for (size_t k = 0; k < o->nby; k++) {
			const char *v = key_field(key, k, &flen);
			cx_csvout_field(w, v, flen);
		}
		if (o->period)
			cx_csvout_llong(w, (long long)key_period(key, klen));
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
		cx_csvout_endrow(w);
	}
	kpi_out_close(&ko);
	for (size_t i = 0; i < o->nby + 2 * o->nsl; i++)
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

int
kpi_merge(const struct kpi_opts *cmd, char **files, size_t nfiles, const char *out)
{
	struct kpi_opts o = *cmd;
	struct cx_partial_in p;
	struct kpi_in ki;
	struct cx_record r;
	struct groups g;
	size_t ncols, c, first, rows = 0;
	char **byname = NULL;
	int pcol = -1, rc;
	const char *why;

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
	for (c = first + NSTAT; c + 1 < ncols + 1 && c < ncols; c += 2) {
		const char *nm = cx_csvin_colname(ki.in, c);
		if (strncmp(nm, "answered_in_", 12) != 0 || c + 1 >= ncols || o.nsl == KPI_MAX_SL ||
		    cx_parse_double(nm + 12, &o.sl[o.nsl]) != NULL)
			cx_errx(CX_EXIT_DATA, "%s: column %zu: \"%s\" is not a threshold column",
			    cx_csvin_path(ki.in), c + 1, nm);
		o.nsl++;
	}
	o.period = pcol >= 0 ? CX_PERIOD_HOUR : CX_PERIOD_NONE;
	o.repeat_window = 0;
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
		}
		for (size_t i = 0; i < o.nby && i < 64; i++) {
			vals[i] = r.field[p.nmeta + i];
			vlens[i] = r.len[p.nmeta + i];
		}
		if (pcol >= 0 && cx_partial_i64(&p, &r, pcol, &ps))
			cx_errx(CX_EXIT_DATA, "%s", cx_partial_error(&p));
		memset(&tmp, 0, sizeof tmp);
		cx_hist_init(&tmp.wait_hist);
		if (read_partial_stats(&p, &r, (int)first, o.nsl, &tmp, &g.have_wait,
		    &g.have_handle) != 0)
			cx_errx(CX_EXIT_DATA, "%s", cx_partial_error(&p));
		s = group_get(&g, vals, vlens, ps);
		stats_merge(s, &tmp);
		cx_hist_fini(&tmp.wait_hist);
	}
	(void)why;
	kpi_in_close(&ki);
	write_summary(&g, out);
	groups_fini(&g);
	cx_partial_fini(&p);
	for (size_t i = 0; i < o.nby; i++)
		free(byname[i]);
	free(byname);
	return CX_EXIT_OK;
}
