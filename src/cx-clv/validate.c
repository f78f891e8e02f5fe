/*
 * cx-clv validate: a fitted model against the holdout period of the same
 * orders.  Main table: the conditional expectation of holdout transactions by
 * calibration frequency 0..max-x+ (Fader, Hardie and Lee 2005, Figure 4);
 * --tracking: cumulative repeat transactions per period, actual vs expected
 * (their Figure 3); --glance: mean absolute errors; --plot: both via gnuplot.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clv.h"
#include "cxerr.h"
#include "cxtime.h"
#include "hashmap.h"

struct bin {
	double	n, actual, expected;
};

struct track {
	int32_t	end;		/* last day of the period */
	double	actual, expected;	/* in the period */
};

static void
plot(const struct clv_opts *o, const struct bin *bins, int nb, const struct track *tr,
    long nt, const char *model)
{
	char dir[32], f1[64], f2[64], cmd[1024];
	FILE *fp, *gp;
	double ca = 0, ce = 0;
	int i, st;

	/* "/tmp/cx-clv-plot." and mkdtemp's six template letters */
	snprintf(dir, sizeof dir, "/tmp/cx-clv-plot.");
	memset(dir + 17, 'X', 6);
	dir[23] = '\0';
	if (mkdtemp(dir) == NULL)
		cx_err(CX_EXIT_SYSTEM, "mkdtemp");
	snprintf(f1, sizeof f1, "%s/track.dat", dir);
	snprintf(f2, sizeof f2, "%s/freq.dat", dir);
	if ((fp = fopen(f1, "w")) == NULL)
		cx_err(CX_EXIT_SYSTEM, "%s", f1);
	for (i = 0; i < nt; i++) {
		ca += tr[i].actual;
		ce += tr[i].expected;
		fprintf(fp, "%d %.10g %.10g\n", i + 1, ca, ce);
	}
	fclose(fp);
	if ((fp = fopen(f2, "w")) == NULL)
		cx_err(CX_EXIT_SYSTEM, "%s", f2);
	for (i = 0; i < nb; i++)
		if (bins[i].n > 0)
			fprintf(fp, "%d %.10g %.10g\n", i, bins[i].actual / bins[i].n,
			    bins[i].expected / bins[i].n);
	fclose(fp);
	snprintf(cmd, sizeof cmd, "gnuplot > /dev/null");
	if ((gp = popen(cmd, "w")) == NULL)
		cx_err(CX_EXIT_SYSTEM, "gnuplot");
	fprintf(gp, "set terminal png size 1000,450\nset output '%s'\n"
	    "set multiplot layout 1,2 title 'cx-clv validate: %s'\n"
	    "set key top left\nset xlabel 'period'\nset ylabel 'cumulative repeat transactions'\n"
	    "plot '%s' using 1:2 with lines lw 2 title 'actual', '' using 1:3 with lines dt 2 lw 2 title 'expected'\n"
	    "set xlabel 'calibration transactions (%d = %d+)'\nset ylabel 'mean holdout transactions'\n"
	    "plot '%s' using 1:2 with linespoints title 'actual', '' using 1:3 with linespoints dt 2 title 'expected'\n"
	    "unset multiplot\n", o->plot, model, f1, nb - 1, nb - 1, f2);
	st = pclose(gp);
	unlink(f1);
	unlink(f2);
	rmdir(dir);
	if (st != 0)
		cx_errx(CX_EXIT_SYSTEM, "gnuplot failed (status %d) writing %s", st, o->plot);
}

int
clv_validate(const struct clv_opts *o, char **paths, size_t npaths)
{
	static const char *const head[] = { "x", "customers", "actual", "expected" };
	static const char *const thead[] = { "period", "end", "actual", "expected",
		"actual_cum", "expected_cum" };
	static const char *const ghead[] = { "model", "customers", "holdout_actual",
		"holdout_expected", "mae_customer", "mae_frequency", "mae_period" };
	struct clv_fitted f;
	struct clv_summary s;
	struct bin *bins;
	struct track *tr;
	struct cx_hashmap *firsts;
	struct cx_outfile of;
	struct cx_csvout *w;
	int32_t cal_end = o->cal_end, hold_end, start = 0;
	double Tstar, N = 0, hact = 0, hexp = 0, mae_c = 0, mae_f = 0, mae_t = 0;
	size_t i, n, nf;
	long k, nt;
	int nb = o->max_x + 1, b;

	clv_read_model(o->model_file, &f);
	if (f.tx->discrete)
		cx_errx(CX_EXIT_USAGE, "validate: %s is a discrete-time model; use bgnbd, mbgnbd or pnbd",
		    f.tx->name);
	clv_summary_read(o, paths, npaths, &s);
	if (s.rows == 0)
		cx_errx(CX_EXIT_DATA, "no orders in the input");
	hold_end = o->has_hold_end ? o->hold_end : s.max_day;
	if (hold_end <= cal_end)
		cx_errx(CX_EXIT_DATA, "no holdout period: the last order (or --holdout-end) is not after %s",
		    "--calibration-end");
	Tstar = (hold_end - cal_end) / o->unit;
	bins = cx_xcalloc((size_t)nb, sizeof *bins);
	/* customers by first purchase day, for the tracking expectation */
	if ((firsts = cx_hashmap_new(sizeof(double))) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	n = cx_hashmap_count(s.map);
	for (i = 0; i < n; i++) {
		struct clv_cust *c = cx_hashmap_value(s.map, i);
		double x, tx, T, ms, e, h = 0, *cnt;
		uint32_t j;
		int isnew;

		if (c->day[0] > cal_end)
			continue;
		if (N == 0 || c->day[0] < start)
			start = c->day[0];
		clv_cust_stats(c, cal_end, o->unit, &x, &tx, &T, &ms);
		for (j = 0; j < c->n; j++)
			if (c->day[j] > cal_end && c->day[j] <= hold_end)
				h++;
		e = f.tx->condexp(f.txpar, x, tx, T, Tstar);
		b = x < nb - 1 ? (int)x : nb - 1;
		bins[b].n++;
		bins[b].actual += h;
		bins[b].expected += e;
		N++;
		hact += h;
		hexp += e;
		mae_c += fabs(h - e);
		cnt = cx_hashmap_put(firsts, (const char *)&c->day[0], sizeof c->day[0], &isnew);
		if (cnt == NULL)
			cx_errx(CX_EXIT_SYSTEM, "out of memory");
		(*cnt)++;
	}
	if (N == 0)
		cx_errx(CX_EXIT_DATA, "no customer made a first purchase by the calibration end");
	/* tracking: period k covers days [start + (k-1) unit, start + k unit) */
	nt = (long)ceil((hold_end + 1 - start) / o->unit);
	tr = cx_xcalloc((size_t)nt, sizeof *tr);
	for (i = 0; i < n; i++) {
		struct clv_cust *c = cx_hashmap_value(s.map, i);
		uint32_t j;

		if (c->day[0] > cal_end)
			continue;
		for (j = 1; j < c->n && c->day[j] <= hold_end; j++) {
			k = (long)floor((c->day[j] - start) / o->unit);
			if (k < nt)
				tr[k].actual++;
		}
	}
	nf = cx_hashmap_count(firsts);
	for (k = 0; k < nt; k++) {
		double prev = 0, cur = 0;
		size_t j;

		for (j = 0; j < nf; j++) {
			size_t kl;
			int32_t d0;
			double cnt, t1, t0;

			memcpy(&d0, cx_hashmap_key(firsts, j, &kl), sizeof d0);
			memcpy(&cnt, cx_hashmap_value(firsts, j), sizeof cnt);
			t1 = (start + (k + 1) * o->unit - d0) / o->unit;
			t0 = t1 - 1;

			if (t1 > 0)
				cur += cnt * f.tx->condexp(f.txpar, 0, 0, 0, t1);
			if (t0 > 0)
				prev += cnt * f.tx->condexp(f.txpar, 0, 0, 0, t0);
		}
		tr[k].expected = cur - prev;
		tr[k].end = start + (int32_t)ceil((k + 1) * o->unit) - 1;
		if (tr[k].end > hold_end)
			tr[k].end = hold_end;
		mae_t += fabs(tr[k].actual - tr[k].expected);
	}
	mae_t /= (double)nt;
	for (b = 0; b < nb; b++)
		if (bins[b].n > 0)
			mae_f += fabs(bins[b].actual - bins[b].expected) / bins[b].n;
	{
		int used = 0;

		for (b = 0; b < nb; b++)
			used += bins[b].n > 0;
		mae_f /= used;
	}
	if (o->tracking) {
		struct cx_outfile ot;
		struct cx_csvout *t = clv_output_open(&ot, o->tracking);
		double ca = 0, ce = 0;

		cx_csvout_row(t, thead, 6);
		for (k = 0; k < nt; k++) {
			ca += tr[k].actual;
			ce += tr[k].expected;
			cx_csvout_llong(t, k + 1);
			cx_csvout_date(t, tr[k].end);
			cx_csvout_double(t, tr[k].actual);
			cx_csvout_double(t, tr[k].expected);
			cx_csvout_double(t, ca);
			cx_csvout_double(t, ce);
			cx_csvout_endrow(t);
		}
		clv_output_close(&ot, t, o->tracking);
	}
	if (o->glance) {
		struct cx_outfile og;
		struct cx_csvout *g = clv_output_open(&og, o->glance);

		cx_csvout_row(g, ghead, 7);
		cx_csvout_str(g, f.tx->name);
		cx_csvout_double(g, N);
		cx_csvout_double(g, hact);
		cx_csvout_double(g, hexp);
		cx_csvout_double(g, mae_c / N);
		cx_csvout_double(g, mae_f);
		cx_csvout_double(g, mae_t);
		cx_csvout_endrow(g);
		clv_output_close(&og, g, o->glance);
	}
	if (o->plot)
		plot(o, bins, nb, tr, nt, f.tx->name);
	w = clv_output_open(&of, o->out);
	cx_csvout_row(w, head, 4);
	for (b = 0; b < nb; b++) {
		char label[32];

		snprintf(label, sizeof label, b == nb - 1 ? "%d+" : "%d", b);
		cx_csvout_str(w, label);
		cx_csvout_double(w, bins[b].n);
		if (bins[b].n > 0) {
			cx_csvout_double(w, bins[b].actual / bins[b].n);
			cx_csvout_double(w, bins[b].expected / bins[b].n);
		} else {
			cx_csvout_empty(w);
			cx_csvout_empty(w);
		}
		cx_csvout_endrow(w);
	}
	clv_output_close(&of, w, o->out);
	if (!o->quiet)
		cx_warnx("%.17g customers: holdout transactions %.17g actual, %.6f expected",
		    N, hact, hexp);
	free(bins);
	free(tr);
	cx_hashmap_free(firsts);
	clv_summary_free(&s);
	return CX_EXIT_OK;
}
