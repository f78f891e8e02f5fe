/* test-period: lib/period.h: bucket starts, ISO weeks across years, labels, durations. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "cxtime.h"
#include "period.h"

static int64_t
T(const char *s)
{
	int64_t ms = 0;

	cx_parse_time(s, &ms);
	return ms;
}

static const char *
label(enum cx_period p, const char *s)
{
	static char buf[CX_PERIOD_BUFSZ];

	cx_period_label(p, cx_period_start(p, T(s)), buf);
	return buf;
}

static void
test_parse(void)
{
	enum cx_period p;

	CHECK_OK(cx_period_parse("15min", &p), "15min");
	CHECK_INT(p, CX_PERIOD_15MIN);
	CHECK_OK(cx_period_parse("quarter", &p), "quarter");
	CHECK_INT(p, CX_PERIOD_QUARTER);
	CHECK_ERR(cx_period_parse("fortnight", &p), "fortnight");
	CHECK_ERR(cx_period_parse("", &p), "");
	CHECK_STR(cx_period_name(CX_PERIOD_WEEK), "week");
}

static void
test_labels(void)
{
	CHECK_STR(label(CX_PERIOD_15MIN, "2026-10-01T09:14:59Z"), "2026-10-01T09:00:00Z");
	CHECK_STR(label(CX_PERIOD_15MIN, "2026-10-01T09:15:00Z"), "2026-10-01T09:15:00Z");
	CHECK_STR(label(CX_PERIOD_30MIN, "2026-10-01T09:59:59.999Z"), "2026-10-01T09:30:00Z");
	CHECK_STR(label(CX_PERIOD_HOUR, "2026-10-01T23:59:59Z"), "2026-10-01T23:00:00Z");
	CHECK_STR(label(CX_PERIOD_DAY, "2026-10-01T23:59:59Z"), "2026-10-01");
	CHECK_STR(label(CX_PERIOD_MONTH, "2026-02-28T12:00:00Z"), "2026-02");
	CHECK_STR(label(CX_PERIOD_QUARTER, "2026-12-31T23:59:59Z"), "2026-Q4");
	CHECK_STR(label(CX_PERIOD_QUARTER, "2026-04-01T00:00:00Z"), "2026-Q2");
	CHECK_STR(label(CX_PERIOD_YEAR, "2026-07-04T00:00:00Z"), "2026");
	/* ISO weeks: Monday starts; the week-year is the Thursday's year */
	CHECK_STR(label(CX_PERIOD_WEEK, "2026-10-05T00:00:00Z"), "2026-W41");	/* Monday */
	CHECK_STR(label(CX_PERIOD_WEEK, "2026-10-04T23:59:59Z"), "2026-W40");	/* Sunday */
	CHECK_STR(label(CX_PERIOD_WEEK, "2027-01-01T00:10:00Z"), "2026-W53");
	CHECK_STR(label(CX_PERIOD_WEEK, "2027-01-04T00:00:00Z"), "2027-W01");
	CHECK_STR(label(CX_PERIOD_WEEK, "2024-12-30T00:00:00Z"), "2025-W01");
	CHECK_STR(label(CX_PERIOD_WEEK, "2021-01-03T00:00:00Z"), "2020-W53");
	CHECK_STR(label(CX_PERIOD_WEEK, "1970-01-01T00:00:00Z"), "1970-W01");
	CHECK_STR(label(CX_PERIOD_DAY, "1969-12-31T23:00:00Z"), "1969-12-31");
	CHECK_STR(label(CX_PERIOD_15MIN, "1969-12-31T23:59:00Z"), "1969-12-31T23:45:00Z");
}

static void
test_next(void)
{
	int64_t s = cx_period_start(CX_PERIOD_MONTH, T("2026-12-15T00:00:00Z"));

	CHECK(cx_period_next(CX_PERIOD_MONTH, s) == T("2027-01-01T00:00:00Z"));
	CHECK(cx_period_seconds(CX_PERIOD_MONTH, T("2026-02-01T00:00:00Z")) == 28 * 86400.0);
	CHECK(cx_period_seconds(CX_PERIOD_QUARTER, T("2026-01-01T00:00:00Z")) == 90 * 86400.0);
	CHECK(cx_period_seconds(CX_PERIOD_YEAR, T("2028-01-01T00:00:00Z")) == 366 * 86400.0);
	CHECK(cx_period_seconds(CX_PERIOD_WEEK, 0) == 7 * 86400.0);
	CHECK(cx_period_next(CX_PERIOD_15MIN, T("2026-10-01T09:45:00Z")) == T("2026-10-01T10:00:00Z"));
}

static void
test_duration(void)
{
	double s = 0;

	CHECK_OK(cx_period_parse_duration("30min", &s), "30min");
	CHECK(s == 1800);
	CHECK_OK(cx_period_parse_duration("900s", &s), "900s");
	CHECK(s == 900);
	CHECK_OK(cx_period_parse_duration("900", &s), "900");
	CHECK(s == 900);
	CHECK_OK(cx_period_parse_duration("1.5h", &s), "1.5h");
	CHECK(s == 5400);
	CHECK_OK(cx_period_parse_duration("7d", &s), "7d");
	CHECK(s == 7 * 86400);
	CHECK_OK(cx_period_parse_duration("hour", &s), "hour");
	CHECK(s == 3600);
	CHECK_ERR(cx_period_parse_duration("0min", &s), "0min");
	CHECK_ERR(cx_period_parse_duration("-5s", &s), "-5s");
	CHECK_ERR(cx_period_parse_duration("min", &s), "min");
	CHECK_ERR(cx_period_parse_duration("5 min", &s), "5 min");
	CHECK_ERR(cx_period_parse_duration("month", &s), "month");
}

int
main(void)
{
	RUN(test_parse);
	RUN(test_labels);
	RUN(test_next);
	RUN(test_duration);
	return check_done();
}
