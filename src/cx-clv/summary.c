/*
 * cx-clv summary and merge: orders (customer_id, date, amount) to one row per
 * customer.  Same-day purchases are one transaction (amounts summed); the first
 * purchase is not a repeat.  State per customer: its distinct purchase days and
 * their amounts (sorted on insertion, so input order does not matter).
 * --partial writes those customer-days; merge reads any number of partials into
 * the same accumulator and writes the summary a single run gives.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clv.h"
#include "cxerr.h"
#include "cxtime.h"
#include "hashmap.h"
#include "parse.h"
#include "partial.h"

#define PARTIAL_VERSION	1

/* Add amount (NaN = none) on day d to customer c, keeping days sorted. */
static void
cust_add(struct clv_cust *c, int32_t d, double amount)
{
	uint32_t lo, hi;

	if (c->n > 0 && d == c->day[c->n - 1]) {
		lo = c->n - 1;
		goto merge;
	}
	if (c->n == 0 || d > c->day[c->n - 1]) {
		lo = c->n;
	} else {
		lo = 0;
		hi = c->n;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (c->day[mid] < d)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->n && c->day[lo] == d)
			goto merge;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 2;
		c->day = cx_xrealloc(c->day, c->cap * sizeof *c->day);
		c->amt = cx_xrealloc(c->amt, c->cap * sizeof *c->amt);
	}
	memmove(c->day + lo + 1, c->day + lo, (c->n - lo) * sizeof *c->day);
	memmove(c->amt + lo + 1, c->amt + lo, (c->n - lo) * sizeof *c->amt);
	c->day[lo] = d;
	c->amt[lo] = amount;
	c->n++;
	return;
merge:
	if (amount == amount)
		c->amt[lo] = c->amt[lo] == c->amt[lo] ? c->amt[lo] + amount : amount;
}

static void
summary_add(struct clv_summary *s, const char *id, size_t len, int32_t d, double amount)
{
	int isnew;
	struct clv_cust *c = cx_hashmap_put(s->map, id, len, &isnew);

	if (c == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	cust_add(c, d, amount);
	if (s->rows == 0 || d < s->min_day)
		s->min_day = d;
	if (s->rows == 0 || d > s->max_day)
		s->max_day = d;
	s->rows++;
}

static void
summary_init(struct clv_summary *s)
{
	memset(s, 0, sizeof *s);
	if ((s->map = cx_hashmap_new(sizeof(struct clv_cust))) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
}

void
clv_summary_free(struct clv_summary *s)
{
	size_t i, n = s->map ? cx_hashmap_count(s->map) : 0;

	for (i = 0; i < n; i++) {
		struct clv_cust *c = cx_hashmap_value(s->map, i);

		free(c->day);
		free(c->amt);
	}
	cx_hashmap_free(s->map);
	s->map = NULL;
}

int
clv_summary_read(const struct clv_opts *o, char **paths, size_t npaths, struct clv_summary *s)
{
	struct cx_csvin *in = clv_open_input(o, paths, npaths);
	struct cx_timefmt tf;
	struct cx_record rec;
	struct clv_rowerr re;
	const char *why;
	int cid, cdate, camt, rc;

	if ((why = cx_timefmt_init(&tf, o->time_format, NULL)) != NULL)
		cx_errx(CX_EXIT_USAGE, "--time-format: \"%s\" %s", o->time_format, why);
	cid = clv_need_column(in, "customer_id", 1);
	cdate = clv_need_column(in, "date", 1);
	camt = clv_need_column(in, "amount", 0);
	summary_init(s);
	clv_rowerr_open(&re, o->rejects, in);
	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		int32_t d;
		double amount = NAN;

		s->nread++;
		if (rec.nfield != cx_csvin_ncols(in)) {
			clv_rowerr(&re, &rec, "%zu fields, expected %zu", rec.nfield, cx_csvin_ncols(in));
			continue;
		}
		if (rec.len[cid] == 0) {
			clv_rowerr(&re, &rec, "customer_id: empty field");
			continue;
		}
		if (rec.len[cdate] == 0) {
			clv_rowerr(&re, &rec, "date: empty field");
			continue;
		}
		if ((why = cx_timefmt_date(&tf, rec.field[cdate], &d)) != NULL) {
			clv_rowerr(&re, &rec, "date: \"%s\" %s", rec.field[cdate], why);
			continue;
		}
		if (camt >= 0 && clv_row_double(&re, &rec, camt, &amount, 1) < 0)
			continue;
		summary_add(s, rec.field[cid], rec.len[cid], d, amount);
	}
	s->rejected = clv_rowerr_close(&re);
	if (rc < 0)
		clv_input_fail(in, rc);
	cx_csvin_free(in);
	return 0;
}

void
clv_cust_stats(const struct clv_cust *c, int32_t cal_end, double unit,
    double *x, double *tx, double *T, double *mean_spend)
{
	uint32_t i, k = 0;
	double sum = 0;
	int32_t last = c->day[0];
	uint32_t namt = 0;

	for (i = 1; i < c->n && c->day[i] <= cal_end; i++) {
		k++;
		last = c->day[i];
		if (c->amt[i] == c->amt[i]) {
			sum += c->amt[i];
			namt++;
		}
	}
	*x = k;
	*tx = (last - c->day[0]) / unit;
	*T = (cal_end - c->day[0]) / unit;
	*mean_spend = namt ? sum / namt : NAN;
}

static void
write_summary(const struct clv_opts *o, struct clv_summary *s)
{
	static const char *const head[] = { "customer_id", "x", "t_x", "T", "mean_spend",
		"first", "x_holdout", "T_holdout" };
	struct cx_outfile of;
	struct cx_csvout *w;
	int32_t cal_end = o->has_cal_end ? o->cal_end : s->max_day;
	int32_t hold_end = o->has_hold_end ? o->hold_end : s->max_day;
	size_t i, n = cx_hashmap_count(s->map), written = 0, late = 0;

	if (s->rows == 0)
		cx_errx(CX_EXIT_DATA, "no usable orders in the input");
	if (o->has_cal_end && hold_end < cal_end)
		hold_end = cal_end;
	w = clv_output_open(&of, o->out);
	cx_csvout_row(w, head, o->has_cal_end ? 8 : 6);
	for (i = 0; i < n; i++) {
		size_t klen;
		const char *id = cx_hashmap_key(s->map, i, &klen);
		struct clv_cust *c = cx_hashmap_value(s->map, i);
		double x, tx, T, ms;

		if (c->day[0] > cal_end) {
			late++;
			continue;
		}
		clv_cust_stats(c, cal_end, o->unit, &x, &tx, &T, &ms);
		cx_csvout_field(w, id, klen);
		cx_csvout_double(w, x);
		cx_csvout_double(w, tx);
		cx_csvout_double(w, T);
		if (x > 0)
			cx_csvout_double(w, ms);
		else
			cx_csvout_empty(w);
		cx_csvout_date(w, c->day[0]);
		if (o->has_cal_end) {
			long long h = 0;
			uint32_t j;

			for (j = 0; j < c->n; j++)
				if (c->day[j] > cal_end && c->day[j] <= hold_end)
					h++;
			cx_csvout_llong(w, h);
			cx_csvout_double(w, (hold_end - cal_end) / o->unit);
		}
		cx_csvout_endrow(w);
		written++;
	}
	clv_output_close(&of, w, o->out);
	if (!o->quiet) {
		cx_warnx("read %lu rows, rejected %lu, wrote %zu customers", s->nread,
		    s->rejected, written);
		if (late)
			cx_warnx("%zu customers whose first purchase is after the calibration end left out",
			    late);
	}
}

static const struct cx_partial_meta pmeta = { "cx-clv", "summary", PARTIAL_VERSION, 0, NULL, NULL };

static void
write_partial(const struct clv_opts *o, struct clv_summary *s)
{
	static const char *const cols[] = { "customer_id", "date", "amount" };
	struct cx_outfile of;
	struct cx_csvout *w = clv_output_open(&of, o->out);
	size_t i, n = cx_hashmap_count(s->map);

	cx_partial_write_header(w, &pmeta, cols, 3);
	for (i = 0; i < n; i++) {
		size_t klen;
		const char *id = cx_hashmap_key(s->map, i, &klen);
		struct clv_cust *c = cx_hashmap_value(s->map, i);
		uint32_t j;

		for (j = 0; j < c->n; j++) {
			cx_partial_write_meta(w, &pmeta);
			cx_csvout_field(w, id, klen);
			cx_csvout_date(w, c->day[j]);
			cx_csvout_double(w, c->amt[j]);
			cx_csvout_endrow(w);
		}
	}
	clv_output_close(&of, w, o->out);
}

int
clv_summary(const struct clv_opts *o, char **paths, size_t npaths)
{
	struct clv_summary s;

	clv_summary_read(o, paths, npaths, &s);
	if (o->partial)
		write_partial(o, &s);
	else
		write_summary(o, &s);
	clv_summary_free(&s);
	return CX_EXIT_OK;
}

int
clv_merge(const struct clv_opts *o, char **paths, size_t npaths)
{
	struct cx_csvin *in = clv_open_input(o, paths, npaths);
	struct cx_partial_in p;
	struct cx_record rec;
	struct clv_summary s;
	int cid, cdate, camt, rc;

	cx_partial_init(&p);
	if ((rc = cx_partial_open(&p, in, "cx-clv", "summary")) != 0)
		cx_errx(cx_exit_status(rc), "%s", cx_partial_error(&p));
	cid = clv_need_column(in, "customer_id", 1);
	cdate = clv_need_column(in, "date", 1);
	camt = clv_need_column(in, "amount", 1);
	summary_init(&s);
	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		int32_t d;
		double amount = NAN;
		const char *why;

		s.nread++;
		if ((rc = cx_partial_row(&p, &rec, PARTIAL_VERSION)) != 0)
			cx_errx(cx_exit_status(rc), "%s", cx_partial_error(&p));
		if (rec.len[cid] == 0)
			cx_errx(CX_EXIT_DATA, "%s:%lu: customer_id: empty field",
			    cx_csvin_path(in), rec.line);
		if ((why = cx_parse_date(rec.field[cdate], &d)) != NULL)
			cx_errx(CX_EXIT_DATA, "%s:%lu: date: \"%s\" %s",
			    cx_csvin_path(in), rec.line, rec.field[cdate], why);
		if (rec.len[camt] > 0 && cx_partial_double(&p, &rec, camt, &amount) != 0)
			cx_errx(CX_EXIT_DATA, "%s", cx_partial_error(&p));
		summary_add(&s, rec.field[cid], rec.len[cid], d, amount);
	}
	if (rc < 0)
		clv_input_fail(in, rc);
	cx_partial_fini(&p);
	cx_csvin_free(in);
	write_summary(o, &s);
	clv_summary_free(&s);
	return CX_EXIT_OK;
}
