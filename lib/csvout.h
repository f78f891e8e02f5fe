/*
 * csvout: buffered CSV writing with minimal, correct quoting and numbers that
 * round-trip (first of %.15g/%.16g/%.17g that reads back exactly).
 * Write errors are sticky: every call after one is a no-op and cx_csvout_flush()
 * returns CX_ESYS with errno kept.  The FILE is borrowed, never closed here.
 */
#ifndef CX_CSVOUT_H
#define CX_CSVOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cx_csvout;

struct cx_csvout *cx_csvout_new(FILE *fp, int delim);	/* delim 0 means ',' */
void		 cx_csvout_field(struct cx_csvout *, const char *s, size_t len);
void		 cx_csvout_str(struct cx_csvout *, const char *s);
void		 cx_csvout_raw(struct cx_csvout *, const char *s, size_t len); /* no quoting check */
/* n fields that need no quoting, in one call (the hot path of cx-ingest). */
void		 cx_csvout_raw_fields(struct cx_csvout *, const char *const *f,
		    const size_t *len, size_t n);
void		 cx_csvout_empty(struct cx_csvout *);
void		 cx_csvout_double(struct cx_csvout *, double v);	/* NaN writes empty */
void		 cx_csvout_llong(struct cx_csvout *, long long v);
void		 cx_csvout_time(struct cx_csvout *, int64_t ms);
void		 cx_csvout_date(struct cx_csvout *, int32_t days);
/* A whole header or row from an array of strings. */
void		 cx_csvout_row(struct cx_csvout *, const char *const *f, size_t n);
void		 cx_csvout_endrow(struct cx_csvout *);
int		 cx_csvout_flush(struct cx_csvout *);	/* 0 or CX_ESYS */
void		 cx_csvout_free(struct cx_csvout *);	/* does not flush; NULL no-op */

/* The text of v: NaN empty, whole numbers below 1e15 as integers ("%lld"),
 * else the first of "%.15g", "%.16g", "%.17g" that strtod reads back to v;
 * buf >= 32 bytes; returns the length.  No printf for 1e-6 <= |v| < 1e15. */
int		 cx_format_double(double v, char *buf);
/* Its exact printf-free path alone, for tests: the same text, or -1 where
 * it does not apply (zero, subnormals, |v| below about 1e-6 or >= 1e15). */
int		 cx_format_double_fast(double v, char *buf);

#endif /* CX_CSVOUT_H */
