/*
 * period: --period bucketing of times (int64 ms since the epoch, UTC).
 * Buckets start at UTC boundaries; weeks start on Monday (ISO 8601) and are
 * labelled with their ISO week ("2026-W40"), which may belong to the
 * neighbouring calendar year.  Owned by cx-kpi; shared with every tool that
 * takes --period.  Nothing here allocates, prints or exits.
 */
#ifndef CX_PERIOD_H
#define CX_PERIOD_H

#include <stdint.h>

enum cx_period {
	CX_PERIOD_NONE = 0,	/* the whole input is one bucket */
	CX_PERIOD_15MIN,
	CX_PERIOD_30MIN,
	CX_PERIOD_HOUR,
	CX_PERIOD_DAY,
	CX_PERIOD_WEEK,
	CX_PERIOD_MONTH,
	CX_PERIOD_QUARTER,
	CX_PERIOD_YEAR
};

#define CX_PERIOD_NAMES	"15min|30min|hour|day|week|month|quarter|year"
#define CX_PERIOD_BUFSZ	40

/* Parse a --period name; NULL on success or a static reason. */
const char	*cx_period_parse(const char *s, enum cx_period *out);
const char	*cx_period_name(enum cx_period);

/* Start (ms) of the bucket holding t; INT64_MIN for CX_PERIOD_NONE. */
int64_t		 cx_period_start(enum cx_period, int64_t t);
/* Start of the bucket after the one starting at start. */
int64_t		 cx_period_next(enum cx_period, int64_t start);
/* Length in seconds of the bucket starting at start (months vary). */
double		 cx_period_seconds(enum cx_period, int64_t start);

/*
 * Label of the bucket starting at start: "2026-10-01T09:15:00Z" for 15min,
 * 30min and hour; "2026-10-01" for day; "2026-W40" for week; "2026-10" for
 * month; "2026-Q4" for quarter; "2026" for year.  buf holds CX_PERIOD_BUFSZ
 * bytes; returns the length.  Labels sort in time order within one period kind.
 */
int		 cx_period_label(enum cx_period, int64_t start, char *buf);

/* Parse a duration option such as "30min", "15min", "1h", "900s", "900", "1d"
 * into seconds (> 0).  NULL or a static reason. */
const char	*cx_period_parse_duration(const char *s, double *seconds);

#endif /* CX_PERIOD_H */
