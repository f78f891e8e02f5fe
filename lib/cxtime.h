/*
 * cxtime: calendar arithmetic, strict time and date parsing, canonical formatting.
 * Times are int64 milliseconds since 1970-01-01T00:00:00Z; dates are int32 days
 * since 1970-01-01.  Parsers return NULL on success or a static reason.
 * Calendar fields are validated after parsing: 2026-02-30 and 25:00 are errors.
 */
#ifndef CX_CXTIME_H
#define CX_CXTIME_H

#include <stdint.h>

#define CX_MS_PER_DAY	86400000LL

/* Proleptic Gregorian conversions (days since 1970-01-01). */
int32_t		 cx_days_from_civil(int y, int m, int d);
void		 cx_civil_from_days(int32_t days, int *y, int *m, int *d);
int		 cx_days_in_month(int y, int m);

/*
 * How a tool reads times: ISO 8601 by default, or a strptime-style format; times
 * without an offset are UTC unless a zone is given (then local to that zone).
 */
struct cx_timefmt {
	const char	*format;	/* NULL: ISO 8601 */
	int		 local;		/* 1: naive times are in the process TZ */
};

/* Set up a reader; tz (an IANA name such as "Europe/Paris") may be NULL.
 * Sets TZ for the whole process.  Returns NULL or a reason (unknown zone). */
const char	*cx_timefmt_init(struct cx_timefmt *, const char *format, const char *tz);

/* A time: ISO "YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|+HH:MM|+HHMM]" or the format. */
const char	*cx_timefmt_time(const struct cx_timefmt *, const char *s, int64_t *ms);
/* A date: the calendar date as written (no zone conversion); a time part, if the
 * text or format has one, must be valid and is dropped. */
const char	*cx_timefmt_date(const struct cx_timefmt *, const char *s, int32_t *days);

/* ISO shorthands (no format, UTC). */
const char	*cx_parse_time(const char *s, int64_t *ms);
const char	*cx_parse_date(const char *s, int32_t *days);

/* Canonical text: "2026-10-01T09:15:02Z" (".123" before Z when ms != 0) and
 * "2026-10-01".  buf must hold CX_TIME_BUFSZ bytes; returns the length. */
#define CX_TIME_BUFSZ	40
int		 cx_format_time(int64_t ms, char *buf);
int		 cx_format_date(int32_t days, char *buf);

#endif /* CX_CXTIME_H */
