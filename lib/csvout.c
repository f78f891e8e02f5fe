/*
 * csvout: our own output buffer (not stdio's) so that a row is assembled with
 * plain stores; a field is quoted only when it holds the delimiter, a quote,
 * CR or LF, as RFC 4180 asks.  Numbers use the shortest %.Ng that reads back.
 */
#include <errno.h>
#include <math.h>
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

int
cx_format_double(double v, char *buf)
{
	int n;

	if (isnan(v)) {
		buf[0] = '\0';
		return 0;
	}
	/* whole numbers (counts, days) are common: print them as integers */
	if (v == (double)(long long)v && fabs(v) < 1e15 && !(v == 0 && signbit(v)))
		return snprintf(buf, 32, "%lld", (long long)v);
	/* Computed values mostly need 16 or 17 digits: try 16 first, then 15
	 * (shorter) when 16 reads back, else 17, which always does. */
	n = snprintf(buf, 32, "%.16g", v);
	if (strtod(buf, NULL) == v) {
		char shorter[32];
		int m = snprintf(shorter, sizeof shorter, "%.15g", v);

		if (strtod(shorter, NULL) == v) {
			memcpy(buf, shorter, (size_t)m + 1);
			return m;
		}
		return n;
	}
	return snprintf(buf, 32, "%.17g", v);
}

void
cx_csvout_double(struct cx_csvout *w, double v)
{
	char buf[32];

	cx_csvout_raw(w, buf, (size_t)cx_format_double(v, buf));
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
