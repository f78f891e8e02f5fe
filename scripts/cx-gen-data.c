/*
 * cx-gen-data: deterministic, realistic synthetic CSV (calls, orders, surveys, moments,
 * customers) for the tests, the demo and the benchmarks.  The same kind and options give
 * the same bytes on any IEEE-754 machine: our own PRNG (xoshiro256** seeded by splitmix64),
 * our own log/exp built from + - * / (no libm transcendentals, whose last bit varies between
 * libms), no FMA contraction, and every number formatted by hand from an integer.
 *
 * Generating models (true parameters, for tests that check a fit recovers them):
 *  calls      weekday arrivals 08:00-20:00, a non-homogeneous Poisson process whose half-hour
 *             profile is the mean of the bank data in shared/data/kpi (Hyndman's fpp2 `calls`),
 *             8000 calls on a mean weekday, Monday busiest; waits grow with the load, 4% long
 *             tail; callers abandon when an exponential patience runs out first; talk lognormal
 *             (sigma 0.6, median by queue), hold often 0, wrap 30-60 s, transfers mostly 0.
 *             Callers: 2% anonymous, about 15% repeat calls from recent unresolved callers,
 *             the rest from a pool of rows/4 customers (5% of them frequent callers).
 *  orders     BG/NBD purchase histories (r 0.9, alpha 60 days, a 0.8, b 2.5) of customers
 *             acquired uniformly over the first 12 months of an 18-month window, spend
 *             gamma-gamma (p 6, q 3.5, gamma 18.75); rows grouped by customer, in date order.
 *  surveys    satisfaction latent -> two attribute ratings (0-10) -> nps, csat, ces.
 *  moments    trajectories: level + trend + one bump or dip + noise, clamped to 0..10.
 *  customers  Weibull proportional hazards, shape 1.3, scale 300 days, log-hazard
 *             -0.3 standard, -0.6 premium (vs basic); +0.2 south, -0.1 east, +0.3 west (vs
 *             north); +0.15 per tenure_call; -0.01 per unit of monthly_spend; -0.02 per year
 *             of age.  Signups uniform over two years from --start; censored at the end.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF	/* gcc in ISO C mode does not contract; clang needs telling */
#endif

#ifndef CX_VERSION
#define CX_VERSION "0.1.0"
#endif

static const char *progname = "cx-gen-data";
static char *tmp_path;		/* -o's temporary file, removed on failure */

static _Noreturn void
die(int status, const char *fmt, const char *a, const char *b)
{
	if (tmp_path != NULL)
		unlink(tmp_path);
	fprintf(stderr, "%s: ", progname);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(status);
}

/* ---------------------------------------------------------------- random numbers */

struct rng {
	uint64_t s[4];
	double	 spare;			/* second normal of the polar pair */
	int	 has_spare;
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->has_spare = 0;
	r->spare = 0;
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman & Vigna 2018). */
static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform on [0, 1), 53 bits. */
static inline double
rng_u01(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n >= 1. */
static inline uint64_t
rng_below(struct rng *r, uint64_t n)
{
	uint64_t k = (uint64_t)(rng_u01(r) * (double)n);

	return k < n ? k : n - 1;
}

#define LN2_HI	6.93147180369123816490e-01	/* fdlibm's split of ln 2 */
#define LN2_LO	1.90821492927058770002e-10
#define LN2	0.69314718055994530942

/* Natural log of a finite x > 0: ln m + e ln 2 with m in [sqrt(1/2), sqrt(2)),
 * ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172, series to s^19. */
static double
xlog(double x)
{
	int e;
	double m = frexp(x, &e), s, s2, p;

	if (m < 0.70710678118654752440) {
		m *= 2;
		e--;
	}
	s = (m - 1) / (m + 1);
	s2 = s * s;
	p = 1.0 / 19;
	p = p * s2 + 1.0 / 17;
	p = p * s2 + 1.0 / 15;
	p = p * s2 + 1.0 / 13;
	p = p * s2 + 1.0 / 11;
	p = p * s2 + 1.0 / 9;
	p = p * s2 + 1.0 / 7;
	p = p * s2 + 1.0 / 5;
	p = p * s2 + 1.0 / 3;
	p = p * s2 + 1.0;
	return 2 * s * p + (double)e * LN2;
}

/* e^x: 2^k e^r with |r| <= ln2 / 2, Taylor series to r^14. */
static double
xexp(double x)
{
	static const double c[15] = {
		1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
		1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800,
		1.0 / 479001600, 1.0 / 6227020800.0, 1.0 / 87178291200.0
	};
	double kf, r, p;

	if (x < -700)
		return 0;
	if (x > 700)
		x = 700;
	kf = floor(x / LN2 + 0.5);
	r = (x - kf * LN2_HI) - kf * LN2_LO;
	p = c[14];
	for (int i = 13; i >= 0; i--)
		p = p * r + c[i];
	return ldexp(p, (int)kf);
}

/* Exponential with mean 1. */
static inline double
rng_exp1(struct rng *r)
{
	return -xlog(1.0 - rng_u01(r));
}

/* Standard normal, Marsaglia's polar method. */
static double
rng_normal(struct rng *r)
{
	double u, v, s, f;

	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	do {
		u = 2 * rng_u01(r) - 1;
		v = 2 * rng_u01(r) - 1;
		s = u * u + v * v;
	} while (s >= 1 || s == 0);
	f = sqrt(-2 * xlog(s) / s);
	r->spare = v * f;
	r->has_spare = 1;
	return u * f;
}

/* Gamma(shape a, scale 1), Marsaglia & Tsang (2000); a < 1 by the u^(1/a) boost. */
static double
rng_gamma(struct rng *r, double a)
{
	double d, c, x, v, u;

	if (a < 1) {
		u = 1.0 - rng_u01(r);
		return rng_gamma(r, a + 1) * xexp(xlog(u) / a);
	}
	d = a - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;) {
		do {
			x = rng_normal(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = 1.0 - rng_u01(r);
		if (u < 1 - 0.0331 * (x * x) * (x * x))
			return d * v;
		if (xlog(u) < 0.5 * x * x + d * (1 - v + xlog(v)))
			return d * v;
	}
}

static double
rng_beta(struct rng *r, double a, double b)
{
	double x = rng_gamma(r, a), y = rng_gamma(r, b);

	return x / (x + y);
}

/* Poisson with a small mean (Knuth's product of uniforms). */
static int
rng_poisson(struct rng *r, double mean)
{
	double lim = xexp(-mean), p = 1;
	int k = -1;

	do {
		k++;
		p *= rng_u01(r);
	} while (p > lim);
	return k;
}

/* Index into cumulative weights w[0..n-1] (the last is 1). */
static int
rng_pick(struct rng *r, const double *cum, int n)
{
	double u = rng_u01(r);

	for (int i = 0; i < n - 1; i++)
		if (u < cum[i])
			return i;
	return n - 1;
}

static long
iround(double x)
{
	return (long)floor(x + 0.5);
}

static long
clampl(long v, long lo, long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ---------------------------------------------------------------- calendar */

static int32_t
days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Monday ... 6 = Sunday; 1970-01-01 was a Thursday. */
static int
weekday(int32_t days)
{
	int w = (int)((days + 3) % 7);

	return w < 0 ? w + 7 : w;
}

/* ---------------------------------------------------------------- output */

#define OUT_CAP	(1 << 20)
#define ROW_MAX	1024		/* no row is longer */

struct out {
	FILE	*fp;
	const char *name;	/* for messages */
	char	*buf;
	size_t	 len;
	size_t	 row;		/* where the current row starts in buf */
	char	 prev[ROW_MAX];	/* previous row, kept for duplicate-row defects */
	size_t	 prevlen;
	int32_t	 dday;		/* date cache */
	char	 dtxt[10];
};

static void
out_flush(struct out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->fp) != o->len)
		die(3, "%s: %s", o->name, strerror(errno));
	o->len = 0;
}

/* Start a row: make room for it and remember where it begins. */
static inline void
row_begin(struct out *o)
{
	if (OUT_CAP - o->len < ROW_MAX)
		out_flush(o);
	o->row = o->len;
}

/* End a row; dup != 0 replaces it by the previous row; keep != 0 remembers it. */
static inline void
row_end(struct out *o, int dup, int keep)
{
	if (dup && o->prevlen) {
		o->len = o->row;
		memcpy(o->buf + o->len, o->prev, o->prevlen);
		o->len += o->prevlen;
	} else if (keep) {
		o->prevlen = o->len - o->row;
		memcpy(o->prev, o->buf + o->row, o->prevlen);
	}
}

static inline void
put_c(struct out *o, char c)
{
	o->buf[o->len++] = c;
}

static inline void
put_s(struct out *o, const char *s)
{
	size_t n = strlen(s);

	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static inline void
put_u(struct out *o, uint64_t v)
{
	char t[20];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		o->buf[o->len++] = t[--n];
}

/* Zero-padded to at least width digits. */
static inline void
put_u0(struct out *o, uint64_t v, int width)
{
	char t[20];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		t[n++] = '0';
	while (n)
		o->buf[o->len++] = t[--n];
}

static inline void
put_2(struct out *o, int v)
{
	o->buf[o->len++] = (char)('0' + v / 10);
	o->buf[o->len++] = (char)('0' + v % 10);
}

/* A signed count of hundredths as "12.34" (two decimals). */
static void
put_cents(struct out *o, long c)
{
	if (c < 0) {
		put_c(o, '-');
		c = -c;
	}
	put_u(o, (uint64_t)c / 100);
	put_c(o, '.');
	put_2(o, (int)(c % 100));
}

static void
put_date(struct out *o, int32_t days)
{
	if (days != o->dday) {
		int y, m, d;
		char *p = o->dtxt;

		civil_from_days(days, &y, &m, &d);
		p[0] = (char)('0' + y / 1000 % 10);
		p[1] = (char)('0' + y / 100 % 10);
		p[2] = (char)('0' + y / 10 % 10);
		p[3] = (char)('0' + y % 10);
		p[4] = '-';
		p[5] = (char)('0' + m / 10);
		p[6] = (char)('0' + m % 10);
		p[7] = '-';
		p[8] = (char)('0' + d / 10);
		p[9] = (char)('0' + d % 10);
		o->dday = days;
	}
	memcpy(o->buf + o->len, o->dtxt, 10);
	o->len += 10;
}

/* The impossible date YYYY-02-30 in the year of days. */
static void
put_baddate(struct out *o, int32_t days)
{
	put_date(o, days);
	memcpy(o->buf + o->len - 5, "02-30", 5);
}

/* ISO 8601 UTC: 2026-01-05T08:00:12Z (sec within the day). */
static void
put_time(struct out *o, int32_t days, long sec, int bad)
{
	if (bad)
		put_baddate(o, days);
	else
		put_date(o, days);
	put_c(o, 'T');
	put_2(o, (int)(sec / 3600));
	put_c(o, ':');
	put_2(o, (int)(sec / 60 % 60));
	put_c(o, ':');
	put_2(o, (int)(sec % 60));
	put_c(o, 'Z');
}

/* A text field, quoted when it holds a comma, quote or line break. */
static void
put_text(struct out *o, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		put_s(o, s);
		return;
	}
	put_c(o, '"');
	for (; *s; s++) {
		if (*s == '"')
			put_c(o, '"');
		put_c(o, *s);
	}
	put_c(o, '"');
}

/* A number written with a decimal comma, as a European export does: "12,5". */
static void
put_comma_number(struct out *o, long v, struct rng *dirt)
{
	put_c(o, '"');
	put_u(o, (uint64_t)(v < 0 ? -v : v));
	put_c(o, ',');
	put_u(o, 1 + rng_below(dirt, 9));
	put_c(o, '"');
}

/* ---------------------------------------------------------------- generators */

struct gen {
	struct rng r;		/* the data */
	struct rng dirt;	/* the defects: clean rows are the same with or without --dirty */
	struct out *o;
	uint64_t rows;
	double	 dirty;
	int32_t	 start;		/* days since 1970-01-01 */
};

/* -1 for a clean row, else which of n defects this row gets. */
static inline int
pick_defect(struct gen *g, int n)
{
	if (g->dirty <= 0 || rng_u01(&g->dirt) >= g->dirty)
		return -1;
	return (int)rng_below(&g->dirt, (uint64_t)n);
}

static void
put_id(struct out *o, const char *prefix, uint64_t n, int width)
{
	put_s(o, prefix);
	put_u0(o, n, width);
}

/* calls ------------------------------------------------------------------------- */

#define CALLS_PER_DAY	8000.0
#define NSLOT		24		/* half hours, 08:00-20:00 */
#define DAY_OPEN	(8 * 3600)
#define RING		2048		/* recent unresolved callers */

/* Mean calls per half hour, 08:00-19:30, of the bank in shared/data/kpi (fpp2 `calls`). */
static const double call_profile[NSLOT] = {
	828, 1095, 1533, 1686, 1700, 1694, 1664, 1617, 1568, 1541, 1499, 1485,
	1453, 1449, 1406, 1375, 1291, 1160, 983, 860, 754, 674, 593, 542
};
static const double dow_factor[5] = { 1.18, 1.04, 1.0, 0.97, 0.88 };

static const struct queue {
	const char *name;
	double	 share;		/* cumulative */
	int	 agents;	/* even, so shifts split them in two */
	double	 talk_median;	/* seconds */
	double	 hold_p;
	double	 resolve_p;
} queues[] = {
	{ "general",		0.35, 70, 180, 0.20, 0.84 },
	{ "billing",		0.60, 50, 220, 0.25, 0.80 },
	{ "tech_support",	0.80, 40, 330, 0.45, 0.68 },
	{ "sales",		0.92, 24, 250, 0.15, 0.82 },
	{ "retention",		1.00, 16, 300, 0.30, 0.72 },
};
#define NQUEUE	(int)(sizeof queues / sizeof queues[0])

enum { CH_PHONE, CH_CHAT, CH_CALLBACK };
static const char *const channels[] = { "phone", "chat", "callback" };
static const double channel_cum[] = { 0.72, 0.92, 1.0 };

enum { CD_EMPTY, CD_NEGATIVE, CD_COMMA, CD_BADDATE, CD_FLAG, CD_QUOTED, CD_DUPID, CD_N };

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static void
gen_calls(struct gen *g)
{
	struct out *o = g->o;
	struct rng *r = &g->r;
	double rate[5][NSLOT], load[5][NSLOT], profsum = 0, talk_mu[NQUEUE], queue_cum[NQUEUE];
	uint64_t pool = g->rows / 4 > 0 ? g->rows / 4 : 1, freq = pool / 20 > 0 ? pool / 20 : 1;
	uint64_t mult = 1000003, ring[RING];
	int agent_lo[NQUEUE], nring = 0, ringpos = 0, slot = 0;
	int32_t day = g->start;
	double t = DAY_OPEN;

	for (int s = 0; s < NSLOT; s++)
		profsum += call_profile[s];
	for (int d = 0; d < 5; d++)
		for (int s = 0; s < NSLOT; s++) {
			rate[d][s] = CALLS_PER_DAY * dow_factor[d] * call_profile[s] / profsum / 1800;
			load[d][s] = call_profile[s] / (profsum / NSLOT) * dow_factor[d];
		}
	for (int q = 0, lo = 0; q < NQUEUE; q++) {
		talk_mu[q] = xlog(queues[q].talk_median);
		queue_cum[q] = queues[q].share;
		agent_lo[q] = lo;
		lo += queues[q].agents;
	}
	/* customer index -> id is a bijection of the pool, so frequent callers are spread out */
	while (gcd(mult, pool) != 1)
		mult += 2;
	while (weekday(day) >= 5)
		day++;

	put_s(o, "call_id,customer_id,start,channel,queue,agent_id,wait_s,talk_s,hold_s,"
	    "wrap_s,transfers,abandoned,resolved\n");
	for (uint64_t i = 0; i < g->rows; i++) {
		int dow = weekday(day), q, ch, agent = 0, abandoned, resolved = 0, transfers = 0;
		int repeat = 0, defect, sub;
		uint64_t cust = 0;
		long sec, wait, talk = 0, hold = 0, wrap = 0;
		double w, m, u;

		/* next arrival: memoryless, so restart at each slot boundary at the new rate */
		for (;;) {
			double end = DAY_OPEN + 1800.0 * (slot + 1);
			double dt = rng_exp1(r) / rate[dow][slot];

			if (t + dt < end) {
				t += dt;
				break;
			}
			t = end;
			if (++slot == NSLOT) {
				do
					day++;
				while (weekday(day) >= 5);
				dow = weekday(day);
				slot = 0;
				t = DAY_OPEN;
			}
		}
		sec = (long)t;

		/* who calls */
		u = rng_u01(r);
		if (u < 0.02) {
			cust = 0;
		} else if (u < 0.17 && nring > 0) {
			cust = ring[rng_below(r, (uint64_t)nring)];
			repeat = 1;
		} else {
			uint64_t idx = rng_u01(r) < 0.3 ? rng_below(r, freq) : rng_below(r, pool);
			cust = 1 + idx * mult % pool;
		}
		ch = rng_pick(r, channel_cum, 3);
		q = rng_pick(r, queue_cum, NQUEUE);

		/* wait: exponential with a mean growing with the load, plus a tail */
		m = 18 * load[dow][slot] * load[dow][slot] * load[dow][slot];
		if (ch == CH_CHAT)
			m *= 0.6;
		w = rng_exp1(r) * m;
		if (rng_u01(r) < 0.04)
			w += rng_exp1(r) * 240;
		if (ch == CH_CALLBACK)
			w = 30 + rng_exp1(r) * 300;
		/* abandoned when patience runs out first (callbacks do not abandon) */
		u = rng_exp1(r) * 450;
		abandoned = ch != CH_CALLBACK && u < w;
		if (abandoned)
			w = u;
		wait = iround(w);
		if (wait < 1 && abandoned)
			wait = 1;
		if (!abandoned) {
			int a = (int)rng_below(r, (uint64_t)queues[q].agents);
			double tk;

			/* early shift (even agents) 08-16, late shift (odd) 12-20 */
			if (sec < 12 * 3600)
				a &= ~1;
			else if (sec >= 16 * 3600)
				a |= 1;
			agent = agent_lo[q] + a + 1;
			u = rng_u01(r);
			transfers = u < 0.88 ? 0 : u < 0.98 ? 1 : 2;
			tk = xexp(talk_mu[q] + 0.6 * rng_normal(r));
			if (ch == CH_CHAT)
				tk *= 1.3;
			for (int k = 0; k < transfers; k++)
				tk += xexp(4.5 + 0.5 * rng_normal(r));
			talk = iround(tk) < 5 ? 5 : iround(tk);
			if (rng_u01(r) < (ch == CH_CHAT ? 0.05 : queues[q].hold_p))
				hold = 1 + iround(xexp(3.7 + 0.9 * rng_normal(r)));
			wrap = 30 + (long)rng_below(r, 31);
			if (rng_u01(r) < 0.1)
				wrap += iround(rng_exp1(r) * 60);
			resolved = rng_u01(r) < queues[q].resolve_p - 0.2 * transfers - 0.05 * repeat;
		}
		if (cust && !resolved) {
			ring[ringpos] = cust;
			ringpos = (ringpos + 1) % RING;
			if (nring < RING)
				nring++;
		}

		defect = pick_defect(g, CD_N);
		if (defect == CD_DUPID && i == 0)
			defect = CD_EMPTY;
		sub = defect >= 0 ? (int)rng_below(&g->dirt, 2) : 0;

		row_begin(o);
		if (defect != CD_EMPTY || sub != 0)
			put_id(o, "CA", defect == CD_DUPID ? i : i + 1, 10);
		put_c(o, ',');
		if (cust)
			put_id(o, "CU", cust, 8);
		put_c(o, ',');
		if (defect != CD_EMPTY || sub != 1)
			put_time(o, day, sec, defect == CD_BADDATE);
		put_c(o, ',');
		put_s(o, channels[ch]);
		put_c(o, ',');
		if (defect == CD_QUOTED) {
			/* valid CSV that a naive reader breaks on: comma, quotes, newline */
			put_c(o, '"');
			put_s(o, queues[q].name);
			put_s(o, sub ? ", \"\"priority\"\"\nsee notes\"" : ",\nvip\"");
		} else {
			put_s(o, queues[q].name);
		}
		put_c(o, ',');
		if (agent)
			put_id(o, "AG", (uint64_t)agent, 3);
		put_c(o, ',');
		if (defect == CD_COMMA)
			put_comma_number(o, wait, &g->dirt);
		else {
			if (defect == CD_NEGATIVE && abandoned)
				put_c(o, '-');
			put_u(o, (uint64_t)(defect == CD_NEGATIVE && abandoned && wait == 0 ? 1 : wait));
		}
		put_c(o, ',');
		if (!abandoned) {
			if (defect == CD_NEGATIVE)
				put_c(o, '-');
			put_u(o, (uint64_t)talk);
			put_c(o, ',');
			put_u(o, (uint64_t)hold);
			put_c(o, ',');
			put_u(o, (uint64_t)wrap);
		} else {
			put_s(o, ",,");
		}
		put_c(o, ',');
		put_u(o, (uint64_t)transfers);
		put_c(o, ',');
		put_c(o, defect == CD_FLAG && sub == 0 ? '2' : (char)('0' + abandoned));
		put_c(o, ',');
		put_c(o, defect == CD_FLAG && sub == 1 ? '2' : (char)('0' + resolved));
		put_c(o, '\n');
	}
}

/* orders ------------------------------------------------------------------------ */

#define ORDER_WINDOW	548.0		/* days: 18 months */
#define ORDER_ACQUIRE	365.0		/* customers are acquired over the first 12 months */

enum { OD_EMPTY, OD_COMMA, OD_BADDATE, OD_DUPROW, OD_N };

static void
gen_orders(struct gen *g)
{
	struct out *o = g->o;
	struct rng *r = &g->r;
	uint64_t n = 0, cust = 0;

	put_s(o, "customer_id,date,amount,order_id\n");
	while (n < g->rows) {
		/* BG/NBD: purchase rate lambda ~ Gamma(r, alpha), dropout p ~ Beta(a, b);
		 * spend gamma-gamma: each amount ~ Gamma(p, nu), nu ~ Gamma(q, gamma) */
		double t = rng_u01(r) * ORDER_ACQUIRE;
		double lambda = rng_gamma(r, 0.9) / 60.0;
		double p = rng_beta(r, 0.8, 2.5);
		double nu = rng_gamma(r, 3.5) / 18.75;

		cust++;
		for (;;) {
			long cents = iround(rng_gamma(r, 6.0) / nu * 100);
			int defect = pick_defect(g, OD_N), sub;

			if (cents < 1)
				cents = 1;
			if (defect == OD_DUPROW && n == 0)
				defect = OD_EMPTY;
			sub = defect >= 0 ? (int)rng_below(&g->dirt, 3) : 0;
			row_begin(o);
			if (defect != OD_EMPTY || sub != 0)
				put_id(o, "CU", cust, 8);
			put_c(o, ',');
			if (defect == OD_BADDATE)
				put_baddate(o, g->start + (int32_t)t);
			else if (defect != OD_EMPTY || sub != 1)
				put_date(o, g->start + (int32_t)t);
			put_c(o, ',');
			if (defect == OD_COMMA)
				put_comma_number(o, cents / 100, &g->dirt);
			else if (defect != OD_EMPTY || sub != 2)
				put_cents(o, cents);
			put_c(o, ',');
			put_id(o, "OR", n + 1, 10);
			put_c(o, '\n');
			row_end(o, defect == OD_DUPROW, g->dirty > 0);
			if (++n == g->rows || rng_u01(r) < p)
				break;
			t += rng_exp1(r) / lambda;
			if (t >= ORDER_WINDOW)
				break;
		}
	}
}

/* surveys ----------------------------------------------------------------------- */

static const char *const comments[] = {
	"Quick and friendly",
	"Agent was great, problem solved",
	"Had to call twice",
	"Too long on hold",
	"Transferred three times, still not fixed",
	"Very helpful",
	"The \"premium\" plan is not worth it",
	"Easy",
	"Nobody called me back",
	"Fixed on the first call, thanks!",
	"Polite but could not help",
	"App kept crashing; support was patient",
};
#define NCOMMENT	(sizeof comments / sizeof comments[0])

enum { SD_EMPTY, SD_NPS11, SD_RANGE, SD_COMMA, SD_BADDATE, SD_QUOTED, SD_DUPROW, SD_N };

/* Advance a Poisson process of rate[weekday] events a day; *frac is the time of day. */
static void
next_day_event(struct rng *r, const double *rate, int32_t *day, double *frac)
{
	for (;;) {
		double dt = rng_exp1(r) / rate[weekday(*day)];

		if (*frac + dt < 1) {
			*frac += dt;
			return;
		}
		(*day)++;
		*frac = 0;
	}
}

static void
put_rating(struct out *o, long v, int missing)
{
	if (!missing)
		put_u(o, (uint64_t)v);
}

static void
gen_surveys(struct gen *g)
{
	static const double rate[7] = { 420, 400, 390, 380, 350, 170, 120 };
	struct out *o = g->o;
	struct rng *r = &g->r;
	uint64_t pool = g->rows * 4 / 5 > 0 ? g->rows * 4 / 5 : 1;
	int32_t day = g->start;
	double frac = 0;

	put_s(o, "customer_id,date,call_id,nps,csat,ces,agent_rating,speed_rating,comment\n");
	for (uint64_t i = 0; i < g->rows; i++) {
		double s, e3, lat;
		long agent, speed, nps, csat, ces;
		int has_call, defect, sub, com, miss[5];
		uint64_t cust, call;

		next_day_event(r, rate, &day, &frac);
		cust = 1 + rng_below(r, pool);
		has_call = rng_u01(r) < 0.85;
		/* a satisfaction latent drives both attribute ratings, which drive nps */
		s = rng_normal(r);
		agent = clampl(iround(7.4 + 1.9 * (0.7 * s + 0.714 * rng_normal(r))), 0, 10);
		speed = clampl(iround(6.6 + 2.3 * (0.55 * s + 0.835 * rng_normal(r))), 0, 10);
		e3 = rng_normal(r);
		lat = 2.4 + 0.45 * (double)agent + 0.38 * (double)speed + 1.4 * e3;
		nps = clampl(iround(lat), 0, 10);
		csat = clampl(iround(1 + 0.42 * lat + 0.5 * rng_normal(r)), 1, 5);
		ces = clampl(iround(1.5 + 0.5 * (double)speed + 0.8 * rng_normal(r)), 1, 7);
		com = rng_u01(r) < 0.15 ? (int)rng_below(r, NCOMMENT) : -1;
		call = has_call ? i * 15 + 1 + rng_below(r, 15) : 0;
		/* partial responses: nps, csat, ces, agent_rating, speed_rating left empty */
		miss[0] = rng_u01(r) < 0.03;
		miss[1] = rng_u01(r) < 0.06;
		miss[2] = rng_u01(r) < 0.10;
		miss[3] = rng_u01(r) < 0.04;
		miss[4] = rng_u01(r) < 0.04;

		defect = pick_defect(g, SD_N);
		if (defect == SD_DUPROW && i == 0)
			defect = SD_EMPTY;
		sub = defect >= 0 ? (int)rng_below(&g->dirt, 2) : 0;
		row_begin(o);
		if (defect != SD_EMPTY || sub != 0)
			put_id(o, "CU", cust, 8);
		put_c(o, ',');
		if (defect == SD_BADDATE)
			put_baddate(o, day);
		else if (defect != SD_EMPTY || sub != 1)
			put_date(o, day);
		put_c(o, ',');
		/* survey i follows a call made shortly before; about 15 calls per survey */
		if (call)
			put_id(o, "CA", call, 10);
		put_c(o, ',');
		if (defect == SD_NPS11)
			put_s(o, "11");
		else if (defect == SD_COMMA)
			put_comma_number(o, nps < 10 ? nps : 9, &g->dirt);
		else
			put_rating(o, nps, miss[0]);
		put_c(o, ',');
		if (defect == SD_RANGE && sub == 0)
			put_s(o, "6");
		else
			put_rating(o, csat, miss[1]);
		put_c(o, ',');
		if (defect == SD_RANGE && sub == 1)
			put_s(o, "0");
		else
			put_rating(o, ces, miss[2]);
		put_c(o, ',');
		put_rating(o, agent, miss[3]);
		put_c(o, ',');
		put_rating(o, speed, miss[4]);
		put_c(o, ',');
		if (defect == SD_QUOTED)
			put_text(o, "Waited 40 min, then cut off.\nWill \"never\" call again");
		else if (com >= 0)
			put_text(o, comments[com]);
		put_c(o, '\n');
		row_end(o, defect == SD_DUPROW, g->dirty > 0);
	}
}

/* moments ----------------------------------------------------------------------- */

enum { MD_EMPTY, MD_NEGATIVE, MD_COMMA, MD_DUPROW, MD_N };

static void
gen_moments(struct gen *g)
{
	struct out *o = g->o;
	struct rng *r = &g->r;
	uint64_t n = 0, id = 0;

	put_s(o, "interaction_id,t,score\n");
	while (n < g->rows) {
		/* level + linear trend + one Gaussian bump or dip, plus noise */
		int k = 3 + (int)clampl((long)(rng_exp1(r) * 4), 0, 21);
		double level = 3 + 5 * rng_u01(r), trend = 2.5 * rng_normal(r);
		double bump = rng_u01(r) < 0.7 ? 3 * rng_normal(r) : 0;
		double at = rng_u01(r), width = 0.08 + 0.2 * rng_u01(r);
		long t = 0;

		id++;
		for (int j = 0; j < k && n < g->rows; j++, n++) {
			double x = (double)j / (k - 1), dx = (x - at) / width;
			double sc = level + trend * (x - 0.5) + bump * xexp(-0.5 * dx * dx)
			    + 0.6 * rng_normal(r);
			long tenths = clampl(iround(sc * 10), 0, 100);
			int defect = pick_defect(g, MD_N), sub;

			if (j > 0)
				t += 5 + iround(rng_exp1(r) * 45);
			if (defect == MD_DUPROW && n == 0)
				defect = MD_EMPTY;
			sub = defect >= 0 ? (int)rng_below(&g->dirt, 3) : 0;
			row_begin(o);
			if (defect != MD_EMPTY || sub != 0)
				put_id(o, "IN", id, 9);
			put_c(o, ',');
			if (defect == MD_NEGATIVE)
				put_c(o, '-');
			if (defect != MD_EMPTY || sub != 1)
				put_u(o, (uint64_t)(defect == MD_NEGATIVE && t == 0 ? 5 : t));
			put_c(o, ',');
			if (defect == MD_COMMA)
				put_comma_number(o, tenths / 10, &g->dirt);
			else if (defect != MD_EMPTY || sub != 2) {
				put_u(o, (uint64_t)tenths / 10);
				put_c(o, '.');
				put_c(o, (char)('0' + tenths % 10));
			}
			put_c(o, '\n');
			row_end(o, defect == MD_DUPROW, g->dirty > 0);
		}
	}
}

/* customers --------------------------------------------------------------------- */

#define STUDY_DAYS	730

static const char *const plans[] = { "basic", "standard", "premium" };
static const double plan_cum[] = { 0.50, 0.85, 1.0 };
static const double plan_spend[] = { 25, 45, 80 };
static const double plan_beta[] = { 0, -0.3, -0.6 };
static const char *const regions[] = { "north", "south", "east", "west" };
static const double region_cum[] = { 0.30, 0.55, 0.80, 1.0 };
static const double region_beta[] = { 0, 0.2, -0.1, 0.3 };
#define BETA_CALLS	0.15
#define BETA_SPEND	(-0.01)
#define BETA_AGE	(-0.02)
#define WEIBULL_SHAPE	1.3
#define WEIBULL_SCALE	300.0

enum { KD_EMPTY, KD_NEGATIVE, KD_FLAG, KD_BADDATE, KD_COMMA, KD_QUOTED, KD_DUPID, KD_N };

static void
gen_customers(struct gen *g)
{
	struct out *o = g->o;
	struct rng *r = &g->r;
	double step = (double)STUDY_DAYS / (double)(g->rows ? g->rows : 1);

	put_s(o, "customer_id,signup,duration_days,churned,plan,region,tenure_calls,"
	    "monthly_spend,age\n");
	for (uint64_t i = 0; i < g->rows; i++) {
		int plan, region, calls, churned, defect, sub;
		long age, cents, cens, dur;
		double eta, life;
		int32_t sd;

		/* signups uniform over the study, sorted: row i falls in the i-th of rows strata */
		sd = (int32_t)(((double)i + rng_u01(r)) * step);
		if (sd >= STUDY_DAYS)
			sd = STUDY_DAYS - 1;
		plan = rng_pick(r, plan_cum, 3);
		region = rng_pick(r, region_cum, 4);
		age = clampl(iround(42 + 13 * rng_normal(r)), 18, 90);
		cents = iround(plan_spend[plan] * xexp(0.25 * rng_normal(r)) * 100);
		calls = rng_poisson(r, plan == 0 ? 1.8 : 1.2);
		/* Weibull PH: S(t | x) = exp(-(t / scale)^shape exp(eta)), by inversion */
		eta = plan_beta[plan] + region_beta[region] + BETA_CALLS * calls
		    + BETA_SPEND * ((double)cents / 100) + BETA_AGE * (double)age;
		life = WEIBULL_SCALE * xexp((xlog(rng_exp1(r)) - eta) / WEIBULL_SHAPE);
		cens = STUDY_DAYS - sd;
		churned = life < (double)cens;
		dur = churned ? (long)ceil(life) : cens;
		if (dur < 1)
			dur = 1;

		defect = pick_defect(g, KD_N);
		if (defect == KD_DUPID && i == 0)
			defect = KD_EMPTY;
		sub = defect >= 0 ? (int)rng_below(&g->dirt, 2) : 0;
		row_begin(o);
		if (defect != KD_EMPTY || sub != 0)
			put_id(o, "CU", defect == KD_DUPID ? i : i + 1, 8);
		put_c(o, ',');
		if (defect == KD_BADDATE)
			put_baddate(o, g->start + sd);
		else if (defect != KD_EMPTY || sub != 1)
			put_date(o, g->start + sd);
		put_c(o, ',');
		if (defect == KD_NEGATIVE)
			put_c(o, '-');
		put_u(o, (uint64_t)dur);
		put_c(o, ',');
		put_c(o, defect == KD_FLAG ? '2' : (char)('0' + churned));
		put_c(o, ',');
		put_s(o, plans[plan]);
		put_c(o, ',');
		if (defect == KD_QUOTED)
			put_text(o, sub ? "north, \"coastal\"" : "west\n(islands)");
		else
			put_s(o, regions[region]);
		put_c(o, ',');
		put_u(o, (uint64_t)calls);
		put_c(o, ',');
		if (defect == KD_COMMA)
			put_comma_number(o, cents / 100, &g->dirt);
		else
			put_cents(o, cents);
		put_c(o, ',');
		put_u(o, (uint64_t)age);
		put_c(o, '\n');
	}
}

/* ---------------------------------------------------------------- main */

static const struct kind {
	const char *name;
	void	  (*gen)(struct gen *);
	const char *help;
} kinds[] = {
	{ "calls",	gen_calls,	"one row per contact, weekdays 08:00-20:00, time-sorted" },
	{ "orders",	gen_orders,	"purchase histories over 18 months, grouped by customer" },
	{ "surveys",	gen_surveys,	"nps, csat, ces, two attribute ratings and a comment" },
	{ "moments",	gen_moments,	"score trajectories (0-10) of interactions over time t" },
	{ "customers",	gen_customers,	"one row per customer for churn models (Weibull PH)" },
};
#define NKIND	(int)(sizeof kinds / sizeof kinds[0])

enum { OPT_DIRTY = CHAR_MAX + 1, OPT_ROWS, OPT_SEED, OPT_START, OPT_VERSION };
static const struct option longopts[] = {
	{ "dirty",	required_argument,	NULL, OPT_DIRTY },
	{ "help",	no_argument,		NULL, 'h' },
	{ "output",	required_argument,	NULL, 'o' },
	{ "rows",	required_argument,	NULL, OPT_ROWS },
	{ "seed",	required_argument,	NULL, OPT_SEED },
	{ "start",	required_argument,	NULL, OPT_START },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ NULL,		0,			NULL, 0 }
};

#define SYNOPSIS "Usage: cx-gen-data calls|orders|surveys|moments|customers [--rows N] [--seed S]\n" \
	"         [--dirty RATE] [--start YYYY-MM-DD] [-o FILE]\n"

static _Noreturn void
usage(int status)
{
	if (status != 0) {
		fputs(SYNOPSIS, stderr);
		fputs("Try 'cx-gen-data --help'\n", stderr);
		exit(2);
	}
	fputs(SYNOPSIS, stdout);
	fputs("Write realistic synthetic CSV of one kind; the same options give the same bytes\n"
	    "on any machine.\n\n", stdout);
	for (int k = 0; k < NKIND; k++)
		printf("  %-10s %s\n", kinds[k].name, kinds[k].help);
	fputs("\n"
	    "  --rows N         data rows to write (default 1000)\n"
	    "  --seed S         random seed, 0 to 2^64-1 (default 1)\n"
	    "  --dirty RATE     share of rows (0-1) given one realistic defect: empty required\n"
	    "                   field, negative duration, \"12,5\", 2026-02-30, flag 2, nps 11,\n"
	    "                   quoted comma/newline, duplicate id or row (default 0)\n"
	    "  --start DATE     first day (default 2026-01-05)\n"
	    "  -o, --output FILE  write FILE, whole or not at all (default stdout)\n"
	    "  -h, --help       this help;  --version  the version\n\n"
	    "Example:\n"
	    "  cx-gen-data calls --rows 100000 --seed 7 --dirty 0.01 \\\n"
	    "    | cx-ingest --schema calls --rejects bad.csv > calls.csv\n", stdout);
	exit(0);
}

static uint64_t
opt_u64(const char *arg, const char *option, uint64_t max)
{
	char *end;
	unsigned long long v;

	if (arg[0] < '0' || arg[0] > '9')
		die(2, "%s: \"%s\" is not a non-negative integer", option, arg);
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end != '\0')
		die(2, "%s: \"%s\" is not a non-negative integer", option, arg);
	if (errno == ERANGE || v > max)
		die(2, "%s: \"%s\" is too large", option, arg);
	return v;
}

static double
opt_rate(const char *arg, const char *option)
{
	char *end;
	double v;

	/* digits and a point only: no spaces, signs, hex, inf or nan */
	if (arg[0] == '\0' || strspn(arg, "0123456789.-") != strlen(arg))
		die(2, "%s: \"%s\" is not a number", option, arg);
	errno = 0;
	v = strtod(arg, &end);
	if (*end != '\0' || errno == ERANGE)
		die(2, "%s: \"%s\" is not a number", option, arg);
	if (v < 0 || v > 1)
		die(2, "%s: \"%s\" is not between 0 and 1", option, arg);
	return v;
}

static int32_t
opt_date(const char *arg, const char *option)
{
	int y, m, d, n = 0;

	if (strlen(arg) != 10 || strspn(arg, "0123456789-") != 10 || arg[4] != '-' || arg[7] != '-'
	    || sscanf(arg, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		die(2, "%s: \"%s\" is not a date (YYYY-MM-DD)", option, arg);
	if (y < 1970 || y > 2999 || m < 1 || m > 12 || d < 1
	    || d > (m == 2 ? 28 + (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		: 30 + ((m + (m > 7)) & 1)))
		die(2, "%s: \"%s\" is not a valid date from 1970 to 2999", option, arg);
	return days_from_civil(y, m, d);
}

int
main(int argc, char *argv[])
{
	struct gen g = { .rows = 1000, .dirty = 0 };
	struct out o = { .dday = INT32_MIN };
	const char *path = NULL, *kind;
	uint64_t seed = 1;
	int ch, k;
	struct stat st;

	g.start = days_from_civil(2026, 1, 5);
	argv[0] = (char *)progname;	/* getopt's own messages name the program, not the path */
	while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':		usage(0);
		case 'o':		path = optarg; break;
		case OPT_DIRTY:		g.dirty = opt_rate(optarg, "--dirty"); break;
		case OPT_ROWS:		g.rows = opt_u64(optarg, "--rows", 1000000000000ULL); break;
		case OPT_SEED:		seed = opt_u64(optarg, "--seed", UINT64_MAX); break;
		case OPT_START:		g.start = opt_date(optarg, "--start"); break;
		case OPT_VERSION:	printf("cx-gen-data (cxkit) %s\n", CX_VERSION); return 0;
		default:		usage(2);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: missing KIND\n", progname);
		usage(2);
	}
	kind = argv[optind];
	for (k = 0; k < NKIND && strcmp(kinds[k].name, kind) != 0; k++)
		continue;
	if (k == NKIND)
		die(2, "unknown kind \"%s\"%s (calls, orders, surveys, moments, customers)", kind, "");
	if (optind + 1 < argc)
		die(2, "unexpected argument \"%s\"%s", argv[optind + 1], "");

	o.buf = malloc(OUT_CAP);
	if (o.buf == NULL)
		die(3, "%s%s", strerror(errno), "");
	o.fp = stdout;
	o.name = "stdout";
	if (path != NULL && strcmp(path, "-") != 0) {
		o.name = path;
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			o.fp = fopen(path, "w");	/* a device or a pipe: write directly */
		} else {
			/* a temporary file beside the target, renamed when complete */
			int fd;
			char *tmp;
			mode_t mask = umask(0);

			umask(mask);
			tmp = malloc(strlen(path) + 8);
			if (tmp == NULL)
				die(3, "%s%s", strerror(errno), "");
			strcpy(tmp, path);
			strcat(tmp, ".XXXXXX");
			fd = mkstemp(tmp);
			if (fd == -1)
				die(3, "%s: %s", path, strerror(errno));
			tmp_path = tmp;
			if (fchmod(fd, 0666 & ~mask) == -1)
				die(3, "%s: %s", path, strerror(errno));
			o.fp = fdopen(fd, "w");
		}
		if (o.fp == NULL)
			die(3, "%s: %s", path, strerror(errno));
	}
	g.o = &o;
	rng_seed(&g.r, seed, 1);
	rng_seed(&g.dirt, seed, 2);

	kinds[k].gen(&g);

	out_flush(&o);
	errno = 0;
	if (fflush(o.fp) != 0 || ferror(o.fp) || (o.fp != stdout && fclose(o.fp) != 0))
		die(3, "%s: %s", o.name, strerror(errno ? errno : EIO));
	if (tmp_path != NULL && rename(tmp_path, path) != 0)
		die(3, "%s: %s", path, strerror(errno));
	free(tmp_path);
	free(o.buf);
	return 0;
}
