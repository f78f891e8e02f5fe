/*
 * period: calendar buckets over cxtime's proleptic Gregorian day numbers.
 * Floor division everywhere so that times before 1970 bucket correctly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxtime.h"
#include "parse.h"
#include "period.h"

static const struct {
	const char	*name;
	enum cx_period	 p;
} names[] = {
	{ "15min", CX_PERIOD_15MIN }, { "30min", CX_PERIOD_30MIN },
	{ "hour", CX_PERIOD_HOUR }, { "day", CX_PERIOD_DAY },
	{ "week", CX_PERIOD_WEEK }, { "month", CX_PERIOD_MONTH },
	{ "quarter", CX_PERIOD_QUARTER }, { "year", CX_PERIOD_YEAR },
};

const char *
cx_period_parse(const char *s, enum cx_period *out)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].p;
			return NULL;
		}
	return "is not a period (" CX_PERIOD_NAMES ")";
}

const char *
cx_period_name(enum cx_period p)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].p == p)
			return names[i].name;
	return "none";
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
cx_period_start(enum cx_period p, int64_t t)
{
	int64_t day = floordiv(t, CX_MS_PER_DAY);
	int y, m, d;

	switch (p) {
	case CX_PERIOD_NONE:	return INT64_MIN;
	case CX_PERIOD_15MIN:	return floordiv(t, 900000) * 900000;
	case CX_PERIOD_30MIN:	return floordiv(t, 1800000) * 1800000;
	case CX_PERIOD_HOUR:	return floordiv(t, 3600000) * 3600000;
	case CX_PERIOD_DAY:	return day * CX_MS_PER_DAY;
	case CX_PERIOD_WEEK:
		/* 1970-01-01 was a Thursday: Monday-based weeks are offset by 3 days. */
		return (floordiv(day + 3, 7) * 7 - 3) * CX_MS_PER_DAY;
	default:
		break;
	}
	cx_civil_from_days((int32_t)day, &y, &m, &d);
	if (p == CX_PERIOD_QUARTER)
		m = (m - 1) / 3 * 3 + 1;
	else if (p == CX_PERIOD_YEAR)
		m = 1;
	return (int64_t)cx_days_from_civil(y, m, 1) * CX_MS_PER_DAY;
}

int64_t
cx_period_next(enum cx_period p, int64_t start)
{
	int y, m, d, step;

	switch (p) {
	case CX_PERIOD_NONE:	return INT64_MAX;
	case CX_PERIOD_15MIN:	return start + 900000;
	case CX_PERIOD_30MIN:	return start + 1800000;
	case CX_PERIOD_HOUR:	return start + 3600000;
	case CX_PERIOD_DAY:	return start + CX_MS_PER_DAY;
	case CX_PERIOD_WEEK:	return start + 7 * CX_MS_PER_DAY;
	case CX_PERIOD_MONTH:	step = 1; break;
	case CX_PERIOD_QUARTER:	step = 3; break;
	default:		step = 12; break;
	}
	cx_civil_from_days((int32_t)floordiv(start, CX_MS_PER_DAY), &y, &m, &d);
	m += step;
	while (m > 12) {
		m -= 12;
		y++;
	}
	return (int64_t)cx_days_from_civil(y, m, 1) * CX_MS_PER_DAY;
}

double
cx_period_seconds(enum cx_period p, int64_t start)
{
	if (p == CX_PERIOD_NONE)
		return 0;
	return (double)(cx_period_next(p, start) - start) / 1000.0;
}

int
cx_period_label(enum cx_period p, int64_t start, char *buf)
{
	int32_t day = (int32_t)floordiv(start, CX_MS_PER_DAY);
	int y, m, d;

	switch (p) {
	case CX_PERIOD_NONE:
		buf[0] = '\0';
		return 0;
	case CX_PERIOD_15MIN:
	case CX_PERIOD_30MIN:
	case CX_PERIOD_HOUR:
		return cx_format_time(start, buf);
	case CX_PERIOD_DAY:
		return cx_format_date(day, buf);
	case CX_PERIOD_WEEK: {
		/* The ISO week-year is the year of the week's Thursday. */
		int32_t thu = day + 3, jan1;
		cx_civil_from_days(thu, &y, &m, &d);
		jan1 = cx_days_from_civil(y, 1, 1);
		return snprintf(buf, CX_PERIOD_BUFSZ, "%04d-W%02d", y,
		    (int)((thu - jan1) / 7 + 1));
	}
	default:
		break;
	}
	cx_civil_from_days(day, &y, &m, &d);
	if (p == CX_PERIOD_MONTH)
		return snprintf(buf, CX_PERIOD_BUFSZ, "%04d-%02d", y, m);
	if (p == CX_PERIOD_QUARTER)
		return snprintf(buf, CX_PERIOD_BUFSZ, "%04d-Q%d", y, (m - 1) / 3 + 1);
	return snprintf(buf, CX_PERIOD_BUFSZ, "%04d", y);
}

const char *
cx_period_parse_duration(const char *s, double *seconds)
{
	static const struct {
		const char	*suffix;
		double		 mult;
	} units[] = {
		{ "min", 60 }, { "s", 1 }, { "h", 3600 }, { "d", 86400 },
	};
	char num[64];
	size_t n = strlen(s), k;
	double v, mult = 1;
	enum cx_period p;

	if (cx_period_parse(s, &p) == NULL && p <= CX_PERIOD_WEEK) {
		*seconds = cx_period_seconds(p, 0);
		return NULL;
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		k = strlen(units[i].suffix);
		if (n > k && strcmp(s + n - k, units[i].suffix) == 0) {
			n -= k;
			mult = units[i].mult;
			break;
		}
	}
	if (n == 0 || n >= sizeof num)
		return "is not a duration (e.g. 30min, 1h, 900s)";
	memcpy(num, s, n);
	num[n] = '\0';
	if (cx_parse_double(num, &v) != NULL || !(v > 0))
		return "is not a duration (e.g. 30min, 1h, 900s)";
	*seconds = v * mult;
	return NULL;
}
