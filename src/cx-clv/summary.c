/*
 * cx-clv summary and merge: orders (customer_id, date, amount) to one row per
 * customer.  Same-day purchases are one transaction (amounts summed); the first
 * purchase is not a repeat.  State per customer: its distinct purchase days and
 * their amounts (sorted on insertion, so input order does not matter).
 * --partial writes those customer-days; merge reads any number of partials into
 * the same accumulator and writes the summary a single run gives.  A large
 * plain file is read in parts on several threads (--threads, lib/csvpar.h),
 * joined in file order into exactly the state of one pass (part_merge).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clv.h"
#include "csvpar.h"
#include "cxerr.h"
#include "cxtime.h"
#include "hashmap.h"
#include "parse.h"
#include "partial.h"

#define PARTIAL_VERSION	1
#define CLV_MIN_PART	(8u << 20)	/* bytes per part, at least */

/* The first of c's days that is not before d (c->n if none). */
static uint32_t
day_index(const struct clv_cust *c, int32_t d)
{
	uint32_t lo = 0, hi = c->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (c->day[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Add amount (NaN = none) on day d to customer c, keeping days sorted.
 * Returns 1 when amount was added to an amount already held for day d (the
 * day's sum before it in *prev), 0 otherwise. */
static int
cust_add(struct clv_cust *c, int32_t d, double amount, double *prev)
{
	uint32_t lo;

	if (c->n > 0 && d == c->day[c->n - 1]) {
		lo = c->n - 1;
		goto merge;
	}
	if (c->n == 0 || d > c->day[c->n - 1]) {
		lo = c->n;
	} else {
		lo = day_index(c, d);
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
	return 0;
merge:
	if (amount != amount)
		return 0;
	if (c->amt[lo] != c->amt[lo]) {
		c->amt[lo] = amount;
		return 0;
	}
	*prev = c->amt[lo];
	c->amt[lo] += amount;
	return 1;
}

/* Add one order; a worker's part (extra) also notes each amount added to a
 * day's amount. */
static void
summary_add(struct clv_summary *s, const char *id, size_t len, int32_t d, double amount,
    int extra)
{
	int isnew;
	struct clv_cust *c = cx_hashmap_put(s->map, id, len, &isnew);
	double prev;

	if (c == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if (isnew)
		c->idx = (uint32_t)(cx_hashmap_count(s->map) - 1);
	if (cust_add(c, d, amount, &prev) && extra) {
		if (s->nextra == s->extracap) {
			s->extracap = s->extracap ? 2 * s->extracap : 64;
			s->extra = cx_xrealloc(s->extra, s->extracap * sizeof *s->extra);
		}
		s->extra[s->nextra++] = (struct clv_sum_extra){ c->idx, d, prev, amount };
	}
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
	free(s->extra);
	s->extra = NULL;
}

/* The orders of one reading: where they go, where bad rows go. */
struct order_reader {
	struct clv_summary	*s;
	struct clv_rowerr	*re;
	const struct cx_timefmt	*tf;
	int			 cid, cdate, camt;
	int			 rc;		/* the first input error, or 0 */
};

/* The caller's read (lib/csvpar.h): every row, bad ones reported. */
/* The day and amount of an order: 0, or -1 for a bad row, which re reports
 * (or, for a worker's part, notes nothing: re->speculative). */
static int
order_row(const struct order_reader *r, struct clv_rowerr *re, const struct cx_record *rec,
    int32_t *d, double *amount)
{
	size_t ncols = cx_csvin_ncols(re->in);
	const char *why;

	*amount = NAN;
	if (rec->nfield != ncols)
		return clv_rowerr(re, rec, "%zu fields, expected %zu", rec->nfield, ncols), -1;
	if (rec->len[r->cid] == 0)
		return clv_rowerr(re, rec, "customer_id: empty field"), -1;
	if (rec->len[r->cdate] == 0)
		return clv_rowerr(re, rec, "date: empty field"), -1;
	if ((why = cx_timefmt_date(r->tf, rec->field[r->cdate], d)) != NULL)
		return clv_rowerr(re, rec, "date: \"%s\" %s", rec->field[r->cdate], why), -1;
	if (r->camt >= 0 && clv_row_double(re, rec, r->camt, amount, 1) < 0)
		return -1;
	return 0;
}

/* The caller's read (lib/csvpar.h): every row, bad ones reported. */
static void
read_stretch(void *ctx, struct cx_csvin *in)
{
	struct order_reader *r = ctx;
	struct clv_summary *s = r->s;
	struct cx_record rec;
	int rc;

	if (r->rc < 0)
		return;
	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		int32_t d;
		double amount;

		s->nread++;
		if (order_row(r, r->re, &rec, &d, &amount) == 0)
			summary_add(s, rec.field[r->cid], rec.len[r->cid], d, amount, 0);
	}
	r->rc = rc;
}

/* A worker's part: a summary of its own, in a thread of its own. */
static void *
part_new(void *ctx)
{
	struct clv_summary *p = calloc(1, sizeof *p);

	(void)ctx;
	if (p != NULL && (p->map = cx_hashmap_new(sizeof(struct clv_cust))) == NULL) {
		free(p);
		p = NULL;
	}
	return p;
}

/* Every row of the part, or -1 at the first one read_stretch would reject. */
static int
part_read(void *ctx, void *st, struct cx_csvin *in)
{
	struct order_reader *r = ctx;
	struct clv_summary *p = st;
	struct clv_rowerr quiet = { .in = in, .speculative = 1 };
	struct cx_record rec;
	int rc;

	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		int32_t d;
		double amount;

		p->nread++;
		if (order_row(r, &quiet, &rec, &d, &amount) != 0)
			return -1;
		summary_add(p, rec.field[r->cid], rec.len[r->cid], d, amount, 1);
	}
	return rc < 0 ? -1 : 0;
}

/* Index of day d in c, or -1. */
static long
cust_find(const struct clv_cust *c, int32_t d)
{
	uint32_t i = day_index(c, d);

	return i < c->n && c->day[i] == d ? (long)i : -1;
}

/* Add the days of p (from later in the file) to those of m. */
static void
cust_join(struct clv_cust *m, const struct clv_cust *p)
{
	uint32_t n = m->n + p->n, i = 0, j = 0, k = 0;
	int32_t *day;
	double *amt;

	if (m->n == 0 || p->day[0] > m->day[m->n - 1]) {
		if (n > m->cap) {
			m->cap = n;
			m->day = cx_xrealloc(m->day, n * sizeof *m->day);
			m->amt = cx_xrealloc(m->amt, n * sizeof *m->amt);
		}
		memcpy(m->day + m->n, p->day, p->n * sizeof *p->day);
		memcpy(m->amt + m->n, p->amt, p->n * sizeof *p->amt);
		m->n = n;
		return;
	}
	day = cx_xcalloc(n, sizeof *day);
	amt = cx_xcalloc(n, sizeof *amt);
	while (i < m->n || j < p->n) {
		if (j == p->n || (i < m->n && m->day[i] < p->day[j])) {
			day[k] = m->day[i];
			amt[k++] = m->amt[i++];
		} else if (i == m->n || p->day[j] < m->day[i]) {
			day[k] = p->day[j];
			amt[k++] = p->amt[j++];
		} else {
			/* the same day: see part_merge for why this is exact */
			day[k] = m->day[i];
			amt[k++] = m->amt[i] != m->amt[i] ? p->amt[j] :
			    p->amt[j] != p->amt[j] ? m->amt[i] : m->amt[i] + p->amt[j];
			i++;
			j++;
		}
	}
	free(m->day);
	free(m->amt);
	m->day = day;
	m->amt = amt;
	m->n = m->cap = k;
}

/*
 * Add a worker's part p to the summary read so far, as if its rows had been
 * read after it.  Customers new to the summary come in the part's order, so
 * the map's order (the output's) is that of one pass.  The amounts are the
 * same doubles as one pass adds, in the same order: one pass sums a day's
 * amounts one by one, in file order, from the first present one.  A day the
 * summary lacks, or holds no amount for, takes the part's sum, which began
 * the same way.  A day for which the part holds one amount b gets M + b, as in
 * one pass.  A day with an amount M that receives several amounts b1, b2...
 * from the part is the one case where M + (b1 + b2) would differ from
 * (M + b1) + b2: for these the part kept each amount added (p->extra, in file
 * order), and they are added here one by one instead; the part's sum for the
 * day is then set aside (NaN).
 */
static int
part_merge(void *ctx, void *st)
{
	struct order_reader *r = ctx;
	struct clv_summary *s = r->s, *p = st;
	size_t i, n;

	/* a day's sum is NaN only before its first amount; a part whose sum
	 * turned NaN (infinities of both signs) is read by the caller */
	for (i = 0; i < p->nextra; i++) {
		const struct clv_cust *pc = cx_hashmap_value(p->map, p->extra[i].cust);
		long j = cust_find(pc, p->extra[i].day);

		if (j < 0 || pc->amt[j] != pc->amt[j])
			return -1;
	}
	for (i = 0; i < p->nextra; i++) {
		const struct clv_sum_extra *e = &p->extra[i];
		struct clv_cust *pc = cx_hashmap_value(p->map, e->cust), *mc;
		size_t len;
		const char *id = cx_hashmap_key(p->map, e->cust, &len);
		long mj, pj = cust_find(pc, e->day);

		if ((mc = cx_hashmap_get(s->map, id, len)) == NULL ||
		    (mj = cust_find(mc, e->day)) < 0)
			continue;
		if (pc->amt[pj] != pc->amt[pj]) {
			mc->amt[mj] += e->amt;		/* the day's later amounts */
		} else if (mc->amt[mj] == mc->amt[mj]) {
			/* the day's first two amounts of the part */
			mc->amt[mj] = (mc->amt[mj] + e->prev) + e->amt;
			pc->amt[pj] = NAN;
		}
	}
	n = cx_hashmap_count(p->map);
	for (i = 0; i < n; i++) {
		size_t len;
		const char *id = cx_hashmap_key(p->map, i, &len);
		struct clv_cust *pc = cx_hashmap_value(p->map, i), *mc;
		int isnew;

		if ((mc = cx_hashmap_put(s->map, id, len, &isnew)) == NULL)
			cx_errx(CX_EXIT_SYSTEM, "out of memory");
		if (isnew) {
			*mc = *pc;
			mc->idx = (uint32_t)(cx_hashmap_count(s->map) - 1);
			pc->day = NULL;
			pc->amt = NULL;
			pc->n = pc->cap = 0;
		} else {
			cust_join(mc, pc);
		}
	}
	if (p->rows > 0) {
		if (s->rows == 0 || p->min_day < s->min_day)
			s->min_day = p->min_day;
		if (s->rows == 0 || p->max_day > s->max_day)
			s->max_day = p->max_day;
	}
	s->rows += p->rows;
	s->nread += p->nread;
	return 0;
}

static void
part_free(void *ctx, void *st)
{
	struct clv_summary *p = st;

	(void)ctx;
	clv_summary_free(p);
	free(p);
}

/* Read every order into s: a large plain file in parts at once (--threads,
 * lib/csvpar.h), which gives the summary, rejects and messages of one pass. */
int
clv_summary_read(const struct clv_opts *o, char **paths, size_t npaths, struct clv_summary *s)
{
	struct cx_csvin *in = clv_open_input(o, paths, npaths);
	struct cx_timefmt tf;
	struct clv_rowerr re;
	struct order_reader r = { .s = s, .re = &re, .tf = &tf };
	struct cx_csvpar par = { read_stretch, part_new, part_read, part_merge, part_free, &r };
	const char *why;
	int rc;

	if ((why = cx_timefmt_init(&tf, o->time_format, NULL)) != NULL)
		cx_errx(CX_EXIT_USAGE, "--time-format: \"%s\" %s", o->time_format, why);
	r.cid = clv_need_column(in, "customer_id", 1);
	r.cdate = clv_need_column(in, "date", 1);
	r.camt = clv_need_column(in, "amount", 0);
	summary_init(s);
	clv_rowerr_open(&re, o->rejects, in);
	if ((rc = cx_csvpar_run(in, o->threads ? o->threads : cx_csvpar_default_threads(),
	    CLV_MIN_PART, &par)) != 0)
		clv_input_fail(in, rc);
	s->rejected = clv_rowerr_close(&re);
	if (r.rc < 0)
		clv_input_fail(in, r.rc);
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
		summary_add(&s, rec.field[cid], rec.len[cid], d, amount, 0);
	}
	if (rc < 0)
		clv_input_fail(in, rc);
	cx_partial_fini(&p);
	cx_csvin_free(in);
	write_summary(o, &s);
	clv_summary_free(&s);
	return CX_EXIT_OK;
}
