/*
 * cx-kpi summary, merge and plan: per (group, period) call statistics.
 * One struct kpi_stats per group is filled by the rows (summary, plan), written
 * by --partial and added up by merge; the output is computed from it alone, so
 * a merge of partials prints the bytes of a single run.  Sums of durations are
 * exact (integer microseconds, lib/accum.h), percentiles come from exact
 * whole-second histograms (lib/hist.h).  Repeat contacts (--repeat-window)
 * keep one struct cust per customer and follow the sliding rule of kpi.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvpar.h"
#include "cxerr.h"
#include "cxtime.h"
#include "hashmap.h"
#include "parse.h"
#include "partial.h"
#include "progress.h"
#include "kpi.h"

static void
init(struct groups *g, const struct kpi_opts *o, int runs)
{
	memset(g, 0, sizeof *g);
	g->o = o;
	g->data_end = INT64_MIN;
	g->runs = runs;
	if ((g->map = cx_hashmap_new(sizeof(struct kpi_stats))) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	g->win = (int64_t)llround(o->repeat_window * 1000);
	if (o->repeat_window > 0 && (g->cust = cx_hashmap_new(runs ?
	    sizeof(struct cust_run) : sizeof(struct cust))) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
}

void
groups_init(struct groups *g, const struct kpi_opts *o)
{
	init(g, o, o->partial);
}

void
groups_init_runs(struct groups *g, const struct kpi_opts *o)
{
	init(g, o, 1);
}

void
groups_fini(struct groups *g)
{
	for (size_t i = 0; g->map && i < cx_hashmap_count(g->map); i++)
		cx_hist_fini(&((struct kpi_stats *)cx_hashmap_value(g->map, i))->wait_hist);
	cx_hashmap_free(g->map);
	cx_hashmap_free(g->cust);
	free(g->key);
}

static void
key_put(struct groups *g, size_t *len, const void *p, size_t n)
{
	if (*len + n > g->keycap) {
		g->keycap = (*len + n) * 2 + 64;
		g->key = cx_xrealloc(g->key, g->keycap);
	}
	memcpy(g->key + *len, p, n);
	*len += n;
}

/* The stats of (by values, period start), created when new; its index in *idx. */
struct kpi_stats *
group_get(struct groups *g, const char *const *val, const size_t *vlen, int64_t pstart)
{
	size_t len = 0;
	struct kpi_stats *s;
	int isnew;

	for (size_t i = 0; i < g->o->nby; i++) {
		uint32_t n = (uint32_t)vlen[i];
		key_put(g, &len, &n, sizeof n);
		key_put(g, &len, val[i], vlen[i]);
	}
	key_put(g, &len, &pstart, sizeof pstart);
	if ((s = cx_hashmap_put(g->map, g->key, len, &isnew)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if (isnew) {
		cx_hist_init(&s->wait_hist);
		/* insertion order: a new key is the last one */
		s->gidx = cx_hashmap_count(g->map) - 1;
	}
	return s;
}

/* Decode the i-th value of a group key. */
const char *
key_field(const char *key, size_t i, size_t *len)
{
	uint32_t n;

	for (;;) {
		memcpy(&n, key, sizeof n);
		key += sizeof n;
		if (i-- == 0)
			break;
		key += n;
	}
	*len = n;
	return key;
}

int64_t
key_period(const char *key, size_t keylen)
{
	int64_t p;

	memcpy(&p, key + keylen - sizeof p, sizeof p);
	return p;
}

void
stats_merge(struct kpi_stats *d, const struct kpi_stats *s)
{
	if (s->offered && (d->offered == 0 || s->start_max > d->start_max))
		d->start_max = s->start_max;
	d->offered += s->offered;
	d->answered += s->answered;
	d->abandoned += s->abandoned;
	d->short_abandoned += s->short_abandoned;
	d->other += s->other;
	d->no_customer += s->no_customer;
	if (s->wait_n && (d->wait_n == 0 || s->wait_max > d->wait_max))
		d->wait_max = s->wait_max;
	d->wait_n += s->wait_n;
	d->wait_ans_n += s->wait_ans_n;
	d->wait_ab_n += s->wait_ab_n;
	if (cx_xsum_merge(&d->wait_sum, &s->wait_sum) || cx_xsum_merge(&d->wait_ans_sum,
	    &s->wait_ans_sum) || cx_xsum_merge(&d->wait_ab_sum, &s->wait_ab_sum) ||
	    cx_xsum_merge(&d->talk_sum, &s->talk_sum) || cx_xsum_merge(&d->hold_sum,
	    &s->hold_sum) || cx_xsum_merge(&d->wrap_sum, &s->wrap_sum) ||
	    cx_xsum_merge(&d->handle_sum, &s->handle_sum))
		cx_errx(CX_EXIT_DATA, "sums of durations overflow (over 9e12 seconds)");
	if (cx_hist_merge(&d->wait_hist, &s->wait_hist) != 0)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	d->talk_n += s->talk_n;
	d->hold_n += s->hold_n;
	d->wrap_n += s->wrap_n;
	d->transfer_n += s->transfer_n;
	d->transferred += s->transferred;
	d->resolved_n += s->resolved_n;
	d->resolved += s->resolved;
	d->first_contacts += s->first_contacts;
	d->repeated += s->repeated;
	d->repeat_unknown += s->repeat_unknown;
	for (size_t k = 0; k < KPI_MAX_SL; k++) {
		d->ans_in[k] += s->ans_in[k];
		d->ab_in[k] += s->ab_in[k];
	}
}

void
groups_merge(struct groups *dst, const struct groups *src, uint32_t *map)
{
	for (size_t i = 0; i < cx_hashmap_count(src->map); i++) {
		size_t len;
		const char *key = cx_hashmap_key(src->map, i, &len);
		struct kpi_stats *d;
		int isnew;

		if ((d = cx_hashmap_put(dst->map, key, len, &isnew)) == NULL)
			cx_errx(CX_EXIT_SYSTEM, "out of memory");
		if (isnew) {
			cx_hist_init(&d->wait_hist);
			d->gidx = cx_hashmap_count(dst->map) - 1;
		}
		stats_merge(d, cx_hashmap_value(src->map, i));
		if (map != NULL)
			map[i] = (uint32_t)d->gidx;
	}
}

double
ratio(double num, double den)
{
	return den > 0 ? num / den : NAN;
}

double
kpi_service_level(const struct kpi_stats *s, enum sl_formula f, size_t k)
{
	double o = (double)s->offered, a = (double)s->answered;
	double at = (double)s->ans_in[k], bt = (double)s->ab_in[k];
	double sh = (double)s->short_abandoned;

	switch (f) {
	case SL_WITH_ABANDONED:		return ratio(at + bt, o);
	case SL_ANSWERED_ONLY:		return ratio(at, a);
	case SL_OFFERED:		return ratio(at, o);
	case SL_IGNORE_ABANDONED:	return ratio(at, o - bt);
	case SL_WITH_SHORT:		return ratio(at + sh, o);
	default:			return ratio(at, o - sh);
	}
}

/* Column indexes of the calls schema in the input. */
struct callcols {
	int	start, customer, wait, talk, hold, wrap, transfers, abandoned, resolved;
	int	*by;
};

/* Parse a duration field: 1 present, 0 empty, -1 bad (already reported).
 * *iv is the value when it is a whole number of seconds written as plain
 * digits (the common case, parsed here without strtod), else -1. */
static int
get_duration(struct kpi_in *ki, const struct cx_record *r, int col, double *v, int64_t *iv)
{
	const char *why, *f;
	size_t n;

	*iv = -1;
	if (col < 0 || (size_t)col >= r->nfield || (n = r->len[col]) == 0)
		return 0;
	f = r->field[col];
	if (n <= 9) {
		int64_t x = 0;
		size_t i;
		for (i = 0; i < n && f[i] >= '0' && f[i] <= '9'; i++)
			x = x * 10 + (f[i] - '0');
		if (i == n) {
			*iv = x;
			*v = (double)x;
			return 1;
		}
	}
	if ((why = cx_parse_duration(f, v)) != NULL)
		return kpi_in_bad(ki, r, col, why), -1;
	if (*v < 0)
		return kpi_in_bad(ki, r, col, "is negative"), -1;
	if (*v >= 1e9)
		return kpi_in_bad(ki, r, col, "is too long (over 1e9 seconds)"), -1;
	return 1;
}

/* A start time: canonical "YYYY-MM-DDTHH:MM:SSZ" on the day of the previous
 * row is computed here; anything else goes through cx_parse_time. */
static const char *
get_time(struct groups *g, const char *f, size_t n, int64_t *t)
{
	const char *why;

	if (n == 20 && g->day_ok && memcmp(f, g->day, 11) == 0 && f[13] == ':' &&
	    f[16] == ':' && f[19] == 'Z') {
		int d[6] = { f[11], f[12], f[14], f[15], f[17], f[18] }, ok = 1;
		for (int i = 0; i < 6; i++) {
			d[i] -= '0';
			ok &= d[i] >= 0 && d[i] <= 9;
		}
		if (ok) {
			int hh = d[0] * 10 + d[1], mm = d[2] * 10 + d[3], ss = d[4] * 10 + d[5];
			if (hh < 24 && mm < 60 && ss < 60) {
				*t = g->day_ms + ((int64_t)hh * 3600 + mm * 60 + ss) * 1000;
				return NULL;
			}
		}
	}
	if ((why = cx_parse_time(f, t)) != NULL)
		return why;
	if (n == 20 && f[10] == 'T' && f[19] == 'Z') {
		/* remember the day: the next rows are likely on it */
		int64_t ms = *t % CX_MS_PER_DAY;
		if (ms < 0)
			ms += CX_MS_PER_DAY;
		memcpy(g->day, f, 11);
		g->day_ms = *t - ms;
		g->day_ok = 1;
	}
	return NULL;
}

static void
xadd_int(struct cx_xsum *s, int64_t iv, double v)
{
	if ((iv >= 0 ? cx_xsum_add_int(s, iv) : cx_xsum_add(s, v)) != 0)
		cx_errx(CX_EXIT_DATA, "sums of durations overflow (over 9e12 seconds)");
}

static int
get_flag(struct kpi_in *ki, const struct cx_record *r, int col, int *v)
{
	const char *why;

	if (col < 0 || (size_t)col >= r->nfield || r->len[col] == 0)
		return 0;
	if ((why = cx_parse_flag(r->field[col], 0, v)) != NULL)
		return kpi_in_bad(ki, r, col, why), -1;
	return 1;
}

static void
xadd(struct cx_xsum *s, double v)
{
	if (cx_xsum_add(s, v) != 0)
		cx_errx(CX_EXIT_DATA, "sums of durations overflow (over 9e12 seconds)");
}

static struct kpi_stats *
stats_at(const struct groups *g, uint32_t i)
{
	return cx_hashmap_value(g->map, i);
}

/* The repeat rule of kpi.h, for a run after the customer's known history. */
static inline void
join(struct groups *g, struct cust *cu, int have, const struct kpi_seg *s)
{
	int first = !have || s->first - cu->last > g->win;

	if (!first && cu->pending)
		stats_at(g, cu->lgroup)->repeated++;
	if (first) {
		struct kpi_stats *fs = stats_at(g, s->fgroup);
		fs->first_contacts++;
		if (s->multi && s->ffollowed)
			fs->repeated++;
	}
	cu->pending = (uint8_t)(s->multi ? s->lpending : first);
	cu->last = s->last;
	cu->lgroup = s->lgroup;
}

void
cust_join(struct groups *g, struct cust *cu, int have, const struct kpi_seg *s)
{
	join(g, cu, have, s);
}

void
cust_finish(struct groups *g, const struct cust *cu)
{
	if (cu->pending && cu->last + g->win > g->data_end)
		stats_at(g, cu->lgroup)->repeat_unknown++;
}

/*
 * --partial: extend the customer's run in this input by the contact (t, group).
 * The first contact of the run is not counted here (whether it is a first
 * contact depends on the partial before); every later one is resolved as in
 * join(), except that a repeat of the still open first contact is only noted.
 */
static void
run_add(struct cust_run *cr, struct groups *g, int isnew, int64_t t, uint32_t group)
{
	struct cust *cu = &cr->c;

	if (isnew) {
		cr->first = t;
		cr->fgroup = group;
		cu->open = 1;
		cu->pending = 1;
	} else {
		if (t - cu->last <= g->win) {
			if (cu->pending && cu->open)
				cu->ffollowed = 1;
			else if (cu->pending)
				stats_at(g, cu->lgroup)->repeated++;
			cu->pending = 0;
		} else {
			stats_at(g, group)->first_contacts++;
			cu->pending = 1;
		}
		cu->open = 0;
	}
	cr->contacts++;
	cu->last = t;
	cu->lgroup = group;
}

/* One call record into its group.  0 used, -1 rejected. */
static int
add_call(struct groups *g, struct kpi_in *ki, const struct callcols *c, const struct cx_record *r)
{
	const struct kpi_opts *o = g->o;
	const char *vals[64], *why;
	size_t vlens[64];
	double wait = 0, talk = 0, hold = 0, wrap = 0;
	int64_t iw, it, ih, ir;
	int has_wait, has_talk, has_hold, has_wrap, has_ab, has_res, ab = 0, res = 0;
	int64_t t, tev;
	long long xfer = 0;
	int has_xfer = 0;
	struct kpi_stats *s;

	if ((size_t)c->start >= r->nfield || r->len[c->start] == 0)
		return kpi_in_bad(ki, r, c->start, "is empty (every call needs a start time)"), -1;
	if ((why = get_time(g, r->field[c->start], r->len[c->start], &t)) != NULL)
		return kpi_in_bad(ki, r, c->start, why), -1;
	if ((has_wait = get_duration(ki, r, c->wait, &wait, &iw)) < 0 ||
	    (has_talk = get_duration(ki, r, c->talk, &talk, &it)) < 0 ||
	    (has_hold = get_duration(ki, r, c->hold, &hold, &ih)) < 0 ||
	    (has_wrap = get_duration(ki, r, c->wrap, &wrap, &ir)) < 0 ||
	    (has_ab = get_flag(ki, r, c->abandoned, &ab)) < 0 ||
	    (has_res = get_flag(ki, r, c->resolved, &res)) < 0)
		return -1;
	if (c->transfers >= 0 && (size_t)c->transfers < r->nfield && r->len[c->transfers]) {
		const char *f = r->field[c->transfers];
		if (r->len[c->transfers] == 1 && f[0] >= '0' && f[0] <= '9')
			xfer = f[0] - '0';	/* the common case, without strtoll */
		else if ((why = cx_parse_llong(f, &xfer)) != NULL)
			return kpi_in_bad(ki, r, c->transfers, why), -1;
		if (xfer < 0)
			return kpi_in_bad(ki, r, c->transfers, "is negative"), -1;
		has_xfer = 1;
	}
	for (size_t i = 0; i < o->nby; i++) {
		int col = c->by[i];
		vals[i] = (size_t)col < r->nfield ? r->field[col] : "";
		vlens[i] = (size_t)col < r->nfield ? r->len[col] : 0;
	}
	tev = t;
	if (o->attribute_event && has_wait)
		tev = t + (int64_t)llround(wait * 1000);
	s = group_get(g, vals, vlens, o->period ? cx_period_start(o->period, tev) : 0);
	if (s->offered++ == 0 || t > s->start_max)
		s->start_max = t;

	if (has_wait) {
		if (s->wait_n == 0 || wait > s->wait_max)
			s->wait_max = wait;
		s->wait_n++;
		xadd_int(&s->wait_sum, iw, wait);
		if (cx_hist_add(&s->wait_hist, iw >= 0 ? (uint64_t)iw : (uint64_t)llround(wait), 1) != 0)
			cx_errx(CX_EXIT_SYSTEM, "out of memory");
	}
	if (has_ab && ab) {
		s->abandoned++;
		if (has_wait) {
			s->wait_ab_n++;
			xadd_int(&s->wait_ab_sum, iw, wait);
			if (wait <= o->short_abandon)
				s->short_abandoned++;
			for (size_t k = 0; k < o->nsl; k++)
				if (wait <= o->sl[k])
					s->ab_in[k]++;
		}
	} else if (has_ab) {
		s->answered++;
		if (has_wait) {
			s->wait_ans_n++;
			xadd_int(&s->wait_ans_sum, iw, wait);
			for (size_t k = 0; k < o->nsl; k++)
				if (wait <= o->sl[k])
					s->ans_in[k]++;
		}
		if (has_talk) {
			s->talk_n++;
			xadd_int(&s->talk_sum, it, talk);
		}
		if (has_hold) {
			s->hold_n++;
			xadd_int(&s->hold_sum, ih, hold);
		}
		if (has_wrap) {
			s->wrap_n++;
			xadd_int(&s->wrap_sum, ir, wrap);
		}
		if (it >= 0 && ih >= 0 && ir >= 0)
			xadd_int(&s->handle_sum, it + ih + ir, 0);
		else
			xadd(&s->handle_sum, talk + hold + wrap);
		if (has_xfer) {
			s->transfer_n++;
			s->transferred += xfer > 0;
		}
		if (has_res) {
			s->resolved_n++;
			s->resolved += res;
		}
	} else
		s->other++;

	if (c->customer >= 0) {
		const char *id = (size_t)c->customer < r->nfield ? r->field[c->customer] : "";
		size_t idlen = (size_t)c->customer < r->nfield ? r->len[c->customer] : 0;
		if (idlen == 0)
			s->no_customer++;
		else if (g->cust) {
			struct cust *cu;
			int isnew;

			if ((cu = cx_hashmap_put(g->cust, id, idlen, &isnew)) == NULL)
				cx_errx(CX_EXIT_SYSTEM, "out of memory");
			if (!isnew && t < cu->last) {
				if (ki->speculative)
					return -1;
				cx_errx(CX_EXIT_DATA, "%s:%lu: start: \"%s\" is earlier than customer "
				    "\"%.60s\"'s previous contact: --repeat-window needs the calls in "
				    "time order (sort by start first)", cx_csvin_path(ki->in),
				    r->line, r->field[c->start], id);
			}
			if (g->runs)
				run_add((struct cust_run *)cu, g, isnew, t, (uint32_t)s->gidx);
			else {
				struct kpi_seg one = { t, t, (uint32_t)s->gidx, (uint32_t)s->gidx,
				    0, 0, 0 };
				join(g, cu, !isnew, &one);
			}
		}
	}
	return 0;
}

/* The calls of one reading: the groups they go into, where bad rows go. */
struct call_reader {
	struct groups	*g;
	struct kpi_in	*ki;
	struct callcols	*c;
	struct cx_progress prog;
};

/* A worker's part (lib/csvpar.h): groups of its own, and no rejects. */
struct call_part {
	struct groups	 g;
	struct kpi_in	 ki;
};

static void
read_stretch(void *ctx, struct cx_csvin *in)
{
	struct call_reader *cr = ctx;
	struct cx_record r;

	while (kpi_in_next(cr->ki, &r) > 0) {
		(void)add_call(cr->g, cr->ki, cr->c, &r);
		cx_progress_tick(&cr->prog, cr->ki->nread, cx_csvin_bytes(in));
	}
}

static void *
part_new(void *ctx)
{
	struct call_reader *cr = ctx;
	struct call_part *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	groups_init_runs(&p->g, cr->g->o);
	p->g.have_wait = cr->g->have_wait;
	p->g.have_handle = cr->g->have_handle;
	p->ki.speculative = 1;
	return p;
}

static int
part_read(void *ctx, void *st, struct cx_csvin *in)
{
	struct call_reader *cr = ctx;
	struct call_part *p = st;
	struct cx_record r;
	int rc;

	p->ki.in = in;
	while ((rc = cx_csvin_next(in, &r)) > 0) {
		p->ki.nread++;
		if (add_call(&p->g, &p->ki, cr->c, &r) != 0)
			return -1;
	}
	return rc < 0 ? -1 : 0;
}

/* Every customer of part p starts no earlier than its last contact before:
 * otherwise one pass stops with a message (--repeat-window needs time order),
 * and the main reader must read the part to give it. */
static int
customers_in_order(const struct groups *g, const struct groups *p)
{
	for (size_t i = 0; i < cx_hashmap_count(p->cust); i++) {
		size_t len;
		const char *id = cx_hashmap_key(p->cust, i, &len);
		const struct cust_run *run = cx_hashmap_value(p->cust, i);
		const struct cust *cu = cx_hashmap_get(g->cust, id, len);

		if (cu != NULL && run->first < cu->last)
			return 0;
	}
	return 1;
}

/* Join each customer's run in part p to its contacts before (kpi.h). */
static void
customers_join(struct groups *g, const struct groups *p, const uint32_t *map)
{
	for (size_t i = 0; i < cx_hashmap_count(p->cust); i++) {
		size_t len;
		const char *id = cx_hashmap_key(p->cust, i, &len);
		const struct cust_run *run = cx_hashmap_value(p->cust, i);
		int multi = run->contacts > 1, isnew;
		struct kpi_seg seg = { run->first, run->c.last, map[run->fgroup],
		    map[run->c.lgroup], multi, multi && run->c.ffollowed,
		    multi && run->c.pending };
		struct cust *cu;

		if ((cu = cx_hashmap_put(g->cust, id, len, &isnew)) == NULL)
			cx_errx(CX_EXIT_SYSTEM, "out of memory");
		join(g, cu, !isnew, &seg);
	}
}

static int
part_merge(void *ctx, void *st)
{
	struct call_reader *cr = ctx;
	struct call_part *p = st;
	uint32_t *map = NULL;

	if (cr->g->cust != NULL) {
		if (!customers_in_order(cr->g, &p->g))
			return -1;
		map = cx_xcalloc(cx_hashmap_count(p->g.map) + 1, sizeof *map);
	}
	groups_merge(cr->g, &p->g, map);
	if (cr->g->cust != NULL)
		customers_join(cr->g, &p->g, map);
	free(map);
	cr->ki->nread += p->ki.nread;
	return 0;
}

static void
part_free(void *ctx, void *st)
{
	struct call_part *p = st;

	(void)ctx;
	groups_fini(&p->g);
	free(p);
}

/* Read every call record into g: a large plain file in parts at once
 * (--threads, lib/csvpar.h), which gives the groups and customers of a
 * single pass. */
void
read_calls(struct groups *g, char **files, size_t nfiles)
{
	const struct kpi_opts *o = g->o;
	struct kpi_in ki;
	struct callcols c;
	struct call_reader cr = { .g = g, .ki = &ki, .c = &c };
	struct cx_csvpar par = { read_stretch, part_new, part_read, part_merge, part_free, &cr };
	size_t threads = o->threads;

	kpi_in_open(&ki, o, files, nfiles);
	c.start = kpi_in_column(&ki, "start", 1, "the calls schema needs it");
	c.abandoned = kpi_in_column(&ki, "abandoned", 1, "needed to tell answered from abandoned");
	c.customer = kpi_in_column(&ki, "customer_id", o->repeat_window > 0,
	    "needed by --repeat-window");
	c.wait = kpi_in_column(&ki, "wait_s", 0, NULL);
	c.talk = kpi_in_column(&ki, "talk_s", 0, NULL);
	c.hold = kpi_in_column(&ki, "hold_s", 0, NULL);
	c.wrap = kpi_in_column(&ki, "wrap_s", 0, NULL);
	c.transfers = kpi_in_column(&ki, "transfers", 0, NULL);
	c.resolved = kpi_in_column(&ki, "resolved", 0, NULL);
	c.by = cx_xcalloc(o->nby ? o->nby : 1, sizeof *c.by);
	for (size_t i = 0; i < o->nby; i++)
		c.by[i] = kpi_in_column(&ki, o->by[i], 1, "named by --by");
	g->have_wait = c.wait >= 0;
	g->have_handle = c.talk >= 0 || c.hold >= 0 || c.wrap >= 0;
	/* --partial --repeat-window keeps runs itself: joining runs to runs is
	 * merge's work, not done here */
	if (g->cust != NULL && g->runs)
		threads = 1;
	cx_progress_init(&cr.prog, o->quiet);
	if (cx_csvpar_run(ki.in, threads, KPI_MIN_PART, &par) != 0)
		cx_errx(CX_EXIT_SYSTEM, "%s", cx_csvin_error(ki.in));
	cx_progress_done(&cr.prog);
	kpi_in_close(&ki);
	free(c.by);

	/* The latest start, and first contacts whose window runs past it. */
	g->data_end = INT64_MIN;
	for (size_t i = 0; i < cx_hashmap_count(g->map); i++) {
		const struct kpi_stats *s = cx_hashmap_value(g->map, i);
		if (s->offered && s->start_max > g->data_end)
			g->data_end = s->start_max;
	}
	if (g->cust && !g->runs)
		for (size_t i = 0; i < cx_hashmap_count(g->cust); i++)
			cust_finish(g, cx_hashmap_value(g->cust, i));
}

/* Output order: the --by values byte by byte, then the period. */
static const struct cx_hashmap *sort_map;
static size_t sort_nby;

static int
cmp_groups(const void *a, const void *b)
{
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b, la, lb, fa, fb;
	const char *ka = cx_hashmap_key(sort_map, ia, &la);
	const char *kb = cx_hashmap_key(sort_map, ib, &lb);
	int64_t pa, pb;

	for (size_t i = 0; i < sort_nby; i++) {
		const char *va = key_field(ka, i, &fa), *vb = key_field(kb, i, &fb);
		int c = memcmp(va, vb, fa < fb ? fa : fb);
		if (c != 0)
			return c;
		if (fa != fb)
			return fa < fb ? -1 : 1;
	}
	pa = key_period(ka, la);
	pb = key_period(kb, lb);
	return pa < pb ? -1 : pa > pb;
}

size_t *
sorted_groups(const struct groups *g)
{
	size_t n = cx_hashmap_count(g->map), *ix = cx_xcalloc(n ? n : 1, sizeof *ix);

	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	sort_map = g->map;
	sort_nby = g->o->nby;
	qsort(ix, n, sizeof *ix, cmp_groups);
	return ix;
}

void
write_keys(struct cx_csvout *csv, const struct groups *g, size_t i)
{
	size_t klen, flen;
	const char *key = cx_hashmap_key(g->map, i, &klen);
	char buf[CX_PERIOD_BUFSZ];

	for (size_t k = 0; k < g->o->nby; k++) {
		const char *v = key_field(key, k, &flen);
		cx_csvout_field(csv, v, flen);
	}
	if (g->o->period) {
		int n = cx_period_label(g->o->period, key_period(key, klen), buf);
		cx_csvout_field(csv, buf, (size_t)n);
	}
}

static void
sl_name(char *buf, size_t n, double t)
{
	char num[32];

	cx_format_double(t, num);
	snprintf(buf, n, "sl_%s", num);
}

void
write_key_header(struct cx_csvout *csv, const struct kpi_opts *o)
{
	for (size_t i = 0; i < o->nby; i++)
		cx_csvout_str(csv, o->by[i]);
	if (o->period)
		cx_csvout_str(csv, "period");
}

static const char *const summary_cols[] = {
	"offered", "answered", "abandoned", "short_abandoned", "abandon_rate", "asa",
	"mean_wait", "wait_p50", "wait_p90", "wait_p95", "max_wait", "aht", "talk_mean",
	"hold_mean", "wrap_mean", "transfer_rate", "fcr", "repeat_rate", "repeat_unknown",
	"workload_hours", "abandon_rate_ex_short", "abandon_time_mean", "other",
	"no_customer", "sl_formula",
};

static void
write_pct(struct cx_csvout *csv, const struct cx_hist *h, double p)
{
	uint64_t x;

	if (cx_hist_percentile(h, p, &x) == 0)
		cx_csvout_llong(csv, (long long)x);
	else
		cx_csvout_empty(csv);
}

void
write_summary(const struct groups *g, const char *out)
{
	const struct kpi_opts *o = g->o;
	struct kpi_out ko;
	size_t *ix = sorted_groups(g), n = cx_hashmap_count(g->map);
	char name[64];
	int rep = o->repeat_window > 0;

	kpi_out_open(&ko, out);
	write_key_header(ko.csv, o);
	for (size_t i = 0; i < sizeof summary_cols / sizeof summary_cols[0]; i++)
		cx_csvout_str(ko.csv, summary_cols[i]);
	for (size_t k = 0; k < o->nsl; k++) {
		sl_name(name, sizeof name, o->sl[k]);
		cx_csvout_str(ko.csv, name);
	}
	cx_csvout_endrow(ko.csv);
	for (size_t j = 0; j < n; j++) {
		const struct kpi_stats *s = cx_hashmap_value(g->map, ix[j]);
		struct cx_csvout *w = ko.csv;
		double hs = g->have_handle ? cx_xsum_value(&s->handle_sum) : NAN;

		write_keys(w, g, ix[j]);
		cx_csvout_llong(w, (long long)s->offered);
		cx_csvout_llong(w, (long long)s->answered);
		cx_csvout_llong(w, (long long)s->abandoned);
		cx_csvout_llong(w, (long long)s->short_abandoned);
		cx_csvout_double(w, ratio((double)s->abandoned, (double)s->offered));
		cx_csvout_double(w, cx_xsum_mean(&s->wait_ans_sum, s->wait_ans_n));
		cx_csvout_double(w, cx_xsum_mean(&s->wait_sum, s->wait_n));
		write_pct(w, &s->wait_hist, 50);
		write_pct(w, &s->wait_hist, 90);
		write_pct(w, &s->wait_hist, 95);
		cx_csvout_double(w, s->wait_n ? s->wait_max : NAN);
		cx_csvout_double(w, g->have_handle ? cx_xsum_mean(&s->handle_sum, s->answered) : NAN);
		cx_csvout_double(w, cx_xsum_mean(&s->talk_sum, s->talk_n));
		cx_csvout_double(w, cx_xsum_mean(&s->hold_sum, s->hold_n));
		cx_csvout_double(w, cx_xsum_mean(&s->wrap_sum, s->wrap_n));
		cx_csvout_double(w, ratio((double)s->transferred, (double)s->transfer_n));
		cx_csvout_double(w, ratio((double)s->resolved, (double)s->resolved_n));
		if (rep) {
			cx_csvout_double(w, ratio((double)s->repeated,
			    (double)(s->first_contacts - s->repeat_unknown)));
			cx_csvout_llong(w, (long long)s->repeat_unknown);
		} else {
			cx_csvout_empty(w);
			cx_csvout_empty(w);
		}
		cx_csvout_double(w, hs / 3600);
		cx_csvout_double(w, ratio((double)(s->abandoned - s->short_abandoned),
		    (double)(s->offered - s->short_abandoned)));
		cx_csvout_double(w, cx_xsum_mean(&s->wait_ab_sum, s->wait_ab_n));
		cx_csvout_llong(w, (long long)s->other);
		cx_csvout_llong(w, (long long)s->no_customer);
		cx_csvout_str(w, sl_formula_names[o->formula]);
		for (size_t k = 0; k < o->nsl; k++)
			cx_csvout_double(w, kpi_service_level(s, o->formula, k));
		cx_csvout_endrow(w);
	}
	free(ix);
	kpi_out_close(&ko);
}

int
kpi_summary(const struct kpi_opts *o, char **files, size_t nfiles, const char *out)
{
	struct groups g;

	groups_init(&g, o);
	read_calls(&g, files, nfiles);
	if (o->partial)
		kpi_write_partial(&g, out);
	else
		write_summary(&g, out);
	groups_fini(&g);
	return CX_EXIT_OK;
}
