/*
 * csvout: our own output buffer (not stdio's) so that a row is assembled with
 * plain stores; a field is quoted only when it holds the delimiter, a quote,
 * CR or LF, as RFC 4180 asks.  Numbers use the shortest %.Ng that reads back.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "cxerr.h"
#include "cxtime.h"

#define OUTBUF	(256 * 1024)

struct cx_csvout {
	FILE	*fp;
	char	*buf;
	size_t	 len;
	int	 delim;
	int	 infield;	/* a field was written on this row */
	int	 rowbytes;	/* the row has at least one byte so far */
	int	 err;		/* errno of the first write failure, or 0 */
	unsigned char special[256];	/* bytes that force quoting */
};

struct cx_csvout *
cx_csvout_new(FILE *fp, int delim)
{
	struct cx_csvout *w = calloc(1, sizeof *w);

	if (w == NULL || (w->buf = malloc(OUTBUF)) == NULL) {
		free(w);
		return NULL;
	}
	w->fp = fp;
	w->delim = delim ? delim : ',';
	w->special['"'] = w->special['\n'] = w->special['\r'] = 1;
	w->special[(unsigned char)w->delim] = 1;
	return w;
}

static void
drain(struct cx_csvout *w)
{
	if (w->err == 0 && w->len > 0 && fwrite(w->buf, 1, w->len, w->fp) != w->len)
		w->err = errno ? errno : EIO;
	w->len = 0;
}

static void
put_slow(struct cx_csvout *w, const char *s, size_t n)
{
	while (n > 0) {
		size_t room = OUTBUF - w->len, k = n < room ? n : room;

		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
		if (w->len == OUTBUF)
			drain(w);
	}
}

static inline void
put(struct cx_csvout *w, const char *s, size_t n)
{
	w->rowbytes |= n > 0;
	if (n < OUTBUF - w->len) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
	} else {
		put_slow(w, s, n);
	}
}

static inline void
sep(struct cx_csvout *w)
{
	if (w->infield) {
		if (w->len == OUTBUF)
			drain(w);
		w->buf[w->len++] = (char)w->delim;
		w->rowbytes = 1;
	}
	w->infield = 1;
}

void
cx_csvout_raw(struct cx_csvout *w, const char *s, size_t len)
{
	sep(w);
	put(w, s, len);
}

void
cx_csvout_raw_fields(struct cx_csvout *w, const char *const *f, const size_t *len, size_t n)
{
	size_t i, total = n;
	char *p;

	for (i = 0; i < n; i++)
		total += len[i];
	if (n == 0 || total >= OUTBUF - w->len) {
		for (i = 0; i < n; i++)
			cx_csvout_raw(w, f[i], len[i]);
		return;
	}
	p = w->buf + w->len;
	for (i = 0; i < n; i++) {
		if (w->infield)
			*p++ = (char)w->delim;
		w->infield = 1;
		memcpy(p, f[i], len[i]);
		p += len[i];
	}
	w->rowbytes |= p != w->buf + w->len;
	w->len = (size_t)(p - w->buf);
}

/* Bytes that force quoting; the delimiter is added per writer. */
static int
needs_quotes(const struct cx_csvout *w, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + len;
	unsigned char any = 0;

	/* no early exit: a branch-free OR over short fields is fastest */
	for (; p < e; p++)
		any |= w->special[*p];
	/* At the start of a file a byte-order mark would be dropped on reading
	 * and the gzip magic would make it look compressed: quote both. */
	return any || (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) ||
	    (len >= 2 && s[0] == '\x1f' && s[1] == '\x8b');
}

void
cx_csvout_field(struct cx_csvout *w, const char *s, size_t len)
{
	size_t i;

	sep(w);
	if (!needs_quotes(w, s, len)) {
		put(w, s, len);
		return;
	}
	put(w, "\"", 1);
	for (i = 0; i < len; i++) {
		const char *q = memchr(s + i, '"', len - i);
		size_t n = q ? (size_t)(q - (s + i)) + 1 : len - i;

		put(w, s + i, n);
		if (q)
			put(w, "\"", 1);
		i += n - 1;
	}
	put(w, "\"", 1);
}

void
cx_csvout_str(struct cx_csvout *w, const char *s)
{
	cx_csvout_field(w, s, strlen(s));
}

void
cx_csvout_empty(struct cx_csvout *w)
{
	sep(w);
}

/*
 * Numbers.  The contract is printf's: whole numbers below 1e15 as integers,
 * else the first of %.15g, %.16g, %.17g whose text strtod reads back to v.
 * fast_format() gives the same bytes without printf or strtod for normal
 * doubles with about 1e-6 <= |v| < 1e15, in exact integer arithmetic;
 * anything else goes to slow_format(), the printf/strtod code it must agree
 * with (tests/unit/test-format-double.c compares the two).
 *
 * Write v = m / 2^s (m the 53-bit significand) and E = floor(log10 v).  With
 * k = 15 - E in [1, 22], N = m * 10^k < 2^53 * 2^74 fits in 128 bits, and
 * v * 10^k = N / 2^s = q + r / 2^s: q holds the first 16 significant digits
 * and the remainder r decides their rounding exactly (half to even, as
 * glibc's printf rounds).  The 15-digit decimal is q / 10 with remainder
 * (q % 10) * 2^s + r in units of 10 * 2^s; the 17-digit one 10 q plus the
 * carry of 10 r.  A decimal differs from v by delta / (unit * 10^k) (delta:
 * the remainder, or unit minus it when rounded up); it reads back iff that
 * is below half the gap to v's neighbour on its side, 2^-s / 2 -- a quarter
 * below a power of two (m == 2^52) -- equality allowed when m is even
 * (strtod's ties go to even): 2 delta < (unit / 2^s) 10^k.
 */
__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
	1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
	1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
	1000000000000000000ULL, 10000000000000000000ULL
};

/* 10^k for 0 <= k <= 38; we use k <= 23 (10^23 < 2^77) */
static inline u128
pow10_wide(int k)
{
	return k < 20 ? (u128)pow10_u64[k] : (u128)pow10_u64[19] * pow10_u64[k - 19];
}

/* q + r / unit (0 <= r < unit) rounded half to even; *ok tells whether that
 * decimal reads back to v = m / 2^s, lim being (unit / 2^s) 10^k. */
static inline uint64_t
round_digits(uint64_t q, u128 r, u128 unit, u128 lim, uint64_t m, int *ok)
{
	u128 half = unit >> 1, delta;
	int up = r > half || (r == half && (q & 1));

	delta = up ? unit - r : r;
	delta *= !up && m == (1ULL << 52) ? 4 : 2;
	*ok = delta < lim || (delta == lim && (m & 1) == 0);
	return q + (uint64_t)up;
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Exactly 8 decimal digits of u < 10^8 at t, in two independent halves. */
static inline void
put8(uint32_t u, char *t)
{
	uint32_t hi = u / 10000, lo = u % 10000;

	memcpy(t, digit_pairs + 2 * (hi / 100), 2);
	memcpy(t + 2, digit_pairs + 2 * (hi % 100), 2);
	memcpy(t + 4, digit_pairs + 2 * (lo / 100), 2);
	memcpy(t + 6, digit_pairs + 2 * (lo % 100), 2);
}

/* The last n decimal digits of u into buf[0..n), most significant first, no
 * NUL; returns the digits left over, u / 10^n. */
static inline uint64_t
put_digits(uint64_t u, int n, char *buf)
{
	char *t = buf + n;

	for (; n >= 8; n -= 8) {
		t -= 8;
		put8((uint32_t)(u % 100000000), t);
		u /= 100000000;
	}
	for (; n >= 2; n -= 2) {
		t -= 2;
		memcpy(t, digit_pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (n == 1) {
		t[-1] = (char)('0' + u % 10);
		u /= 10;
	}
	return u;
}

/* What "%.{p}g" prints for (neg ? -1 : 1) * dig * 10^(x - p + 1), where
 * 10^(p-1) <= dig <= 10^p (10^p: rounded up to the next power of ten):
 * fixed notation when -4 <= x < p, else d.ddde+XX; trailing zeros and a
 * trailing point dropped.  The digits are written in place, the point
 * between them; at most 25 bytes with the NUL. */
static int
layout_g(int neg, uint64_t dig, int p, int x, char *buf)
{
	char *o = buf, *end;

	if (dig == pow10_u64[p]) {
		dig = pow10_u64[p - 1];
		x++;
	}
	*o = '-';
	o += neg;
	if (x >= 0 && x < p) {			/* ddd.ddd */
		uint64_t ip = put_digits(dig, p - 1 - x, o + x + 2);

		put_digits(ip, x + 1, o);
		o[x + 1] = '.';
		end = o + p + 1;
		while (end[-1] == '0')
			end--;
		end -= end[-1] == '.';
	} else if (x >= -4) {			/* 0.000ddd */
		o[0] = '0';
		o[1] = '.';
		memcpy(o + 2, "000", 3);	/* -x - 1 of them stay */
		o += 1 - x;
		put_digits(dig, p, o);
		end = o + p;
		while (end[-1] == '0')		/* stops at dig's first digit */
			end--;
	} else {				/* d.ddde-XX, d.ddde+XX */
		uint64_t first = put_digits(dig, p - 1, o + 2);

		o[0] = (char)('0' + first);
		o[1] = '.';
		end = o + p + 1;
		while (end[-1] == '0')
			end--;
		end -= end[-1] == '.';
		*end++ = 'e';
		*end++ = x < 0 ? '-' : '+';
		if (x < 0)
			x = -x;
		if (x >= 100)
			*end++ = (char)('0' + x / 100);
		memcpy(end, digit_pairs + 2 * (x % 100), 2);
		end += 2;
	}
	*end = '\0';
	return (int)(end - buf);
}

/* cx_format_double for 1e-7 <= |v| < 1e15, but for |v| < 1e-6 needing 17
 * digits; -1 where it does not apply. */
static int
fast_format(double v, char *buf)
{
	/* 10^j as doubles, j = -7 .. 15; exact from 10^0 up */
	static const double p10[] = { 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0,
		1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
		1e14, 1e15 };
	uint64_t bits, m, q, dig;
	u128 n, r, lim, unit;
	int be, s, e, t, k, ok, neg;

	if (!(fabs(v) >= 1e-7 && fabs(v) < 1e15))	/* also 0, inf, NaN */
		return -1;
	memcpy(&bits, &v, sizeof bits);
	neg = (int)(bits >> 63);
	be = (int)(bits >> 52 & 0x7ff);
	m = (bits & ((1ULL << 52) - 1)) | 1ULL << 52;
	s = 1075 - be;				/* v = m / 2^s, 3 <= s <= 76 */
	/* E is floor(log10 2^(be - 1023)) or one more (78913 / 2^18 is log10 2
	 * rounded down; floor division), and comparing with 10^(e+1) decides,
	 * but for the double nearest a negative power of ten, where the loop
	 * below steps to the right exponent */
	t = (be - 1023) * 78913;
	e = t >= 0 ? t >> 18 : -((-t + (1 << 18) - 1) >> 18);
	e += fabs(v) >= p10[e + 8];
	for (;;) {
		k = 15 - e;
		if (k < 1 || k > 22)
			return -1;
		n = (u128)m * pow10_wide(k);
		q = (uint64_t)(n >> s);
		if (q >= pow10_u64[16])
			e++;
		else if (q < pow10_u64[15])
			e--;
		else
			break;
	}
	unit = (u128)1 << s;
	r = n & (unit - 1);
	lim = pow10_wide(k);
	/* 16 digits first: when they do not read back neither do 15, except
	 * possibly at a power of two, whose gap below is half the gap above */
	dig = round_digits(q, r, unit, lim, m, &ok);
	if (ok || m == 1ULL << 52) {
		int ok16 = ok;
		uint64_t dig15 = round_digits(q / 10, ((u128)(q % 10) << s) + r, unit * 10,
		    lim, m, &ok);

		if (ok)
			return layout_g(neg, dig15, 15, e, buf);
		if (ok16)
			return layout_g(neg, dig, 16, e, buf);
	}
	if (k == 22)		/* 10^23 m might not fit */
		return -1;
	r *= 10;
	dig = round_digits(q * 10 + (uint64_t)(r >> s), r & (unit - 1), unit, lim * 10, m, &ok);
	return layout_g(neg, dig, 17, e, buf);	/* 17 digits always read back */
}

/* The reference: printf and strtod, in the same order as fast_format. */
static int
slow_format(double v, char *buf)
{
	char shorter[32];
	int n, m;

	n = snprintf(buf, 32, "%.16g", v);
	if (strtod(buf, NULL) == v) {
		m = snprintf(shorter, sizeof shorter, "%.15g", v);
		if (strtod(shorter, NULL) == v) {
			memcpy(buf, shorter, (size_t)m + 1);
			return m;
		}
		return n;
	}
	/* 15 digits can read back where 16 do not only at a power of two */
	if (frexp(v, &m) == 0.5 || frexp(v, &m) == -0.5) {
		m = snprintf(shorter, sizeof shorter, "%.15g", v);
		if (strtod(shorter, NULL) == v) {
			memcpy(buf, shorter, (size_t)m + 1);
			return m;
		}
	}
	return snprintf(buf, 32, "%.17g", v);
}

int
cx_format_double_fast(double v, char *buf)
{
	return fast_format(v, buf);
}

int
cx_format_double(double v, char *buf)
{
	int n;

	if (isnan(v)) {
		buf[0] = '\0';
		return 0;
	}
	/* whole numbers (counts, days) are common: print them as integers */
	if (fabs(v) < 1e15 && v == (double)(long long)v && !(v == 0 && signbit(v))) {
		uint64_t u = (uint64_t)fabs(v);
		int len = 1;

		while (len < 15 && u >= pow10_u64[len])
			len++;
		n = v < 0;
		buf[0] = '-';
		(void)put_digits(u, len, buf + n);
		n += len;
		buf[n] = '\0';
		return n;
	}
	if ((n = fast_format(v, buf)) >= 0)
		return n;
	return slow_format(v, buf);
}

void
cx_csvout_double(struct cx_csvout *w, double v)
{
	char buf[32];
	int n;

	sep(w);
	if (OUTBUF - w->len > 32) {	/* straight into the buffer */
		n = cx_format_double(v, w->buf + w->len);
		w->len += (size_t)n;
		w->rowbytes |= n > 0;
		return;
	}
	put(w, buf, (size_t)cx_format_double(v, buf));
}

void
cx_csvout_llong(struct cx_csvout *w, long long v)
{
	char buf[24];

	cx_csvout_raw(w, buf, (size_t)snprintf(buf, sizeof buf, "%lld", v));
}

void
cx_csvout_time(struct cx_csvout *w, int64_t ms)
{
	char buf[CX_TIME_BUFSZ];

	cx_csvout_raw(w, buf, (size_t)cx_format_time(ms, buf));
}

void
cx_csvout_date(struct cx_csvout *w, int32_t days)
{
	char buf[CX_TIME_BUFSZ];

	cx_csvout_raw(w, buf, (size_t)cx_format_date(days, buf));
}

void
cx_csvout_row(struct cx_csvout *w, const char *const *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cx_csvout_str(w, f[i]);
	cx_csvout_endrow(w);
}

void
cx_csvout_endrow(struct cx_csvout *w)
{
	/* A lone empty field would be a blank line, which readers skip. */
	if (w->infield && !w->rowbytes)
		put(w, "\"\"", 2);
	if (w->len == OUTBUF)
		drain(w);
	w->buf[w->len++] = '\n';
	w->infield = 0;
	w->rowbytes = 0;
}

int
cx_csvout_flush(struct cx_csvout *w)
{
	drain(w);
	if (w->err == 0 && fflush(w->fp) != 0)
		w->err = errno ? errno : EIO;
	if (w->err != 0) {
		errno = w->err;
		return CX_ESYS;
	}
	return 0;
}

void
cx_csvout_free(struct cx_csvout *w)
{
	if (w == NULL)
		return;
	free(w->buf);
	free(w);
}
