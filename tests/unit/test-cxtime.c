/*
 * test-cxtime: lib/cxtime.h.  glibc's timegm() is the independent oracle for
 * valid calendar fields; the traps of DESIGN.md (strptime rolling 2026-02-30
 * into March, ignoring trailing text) each have a case.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "cxtime.h"

/* Milliseconds of a UTC civil time, by glibc. */
static int64_t
utc_ms(int y, int mo, int d, int h, int mi, int s, int ms)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm) * 1000 + ms;
}

static void
time_is(const struct cx_timefmt *tf, const char *s, int64_t want)
{
	int64_t ms = -1;
	char got[CX_TIME_BUFSZ], exp[CX_TIME_BUFSZ];

	CHECK_OK(cx_timefmt_time(tf, s, &ms), s);
	cx_format_time(ms, got);
	cx_format_time(want, exp);
	CHECK_REPORT(ms == want, "time \"%s\" = %s, want %s", s, got, exp);
}

static void
time_bad(const struct cx_timefmt *tf, const char *s)
{
	int64_t ms = 12345;

	CHECK_ERR(cx_timefmt_time(tf, s, &ms), s);
	CHECK_REPORT(ms == 12345, "time \"%s\": value written on failure", s);
}

static void
date_is(const struct cx_timefmt *tf, const char *s, int y, int m, int d)
{
	int32_t days = -1;
	int64_t want = utc_ms(y, m, d, 0, 0, 0, 0) / CX_MS_PER_DAY;

	CHECK_OK(cx_timefmt_date(tf, s, &days), s);
	CHECK_REPORT(days == want, "date \"%s\" = %ld days, want %ld", s, (long)days, (long)want);
}

static void
date_bad(const struct cx_timefmt *tf, const char *s)
{
	int32_t days = 12345;

	CHECK_ERR(cx_timefmt_date(tf, s, &days), s);
	CHECK_REPORT(days == 12345, "date \"%s\": value written on failure", s);
}

static const struct cx_timefmt ISO = { NULL, 0 };

static void
test_iso_times(void)
{
	int64_t ms;

	time_is(&ISO, "2026-10-01T09:15:02Z", utc_ms(2026, 10, 1, 9, 15, 2, 0));
	time_is(&ISO, "2026-10-01T09:15:02", utc_ms(2026, 10, 1, 9, 15, 2, 0));
	time_is(&ISO, "2026-10-01 09:15:02", utc_ms(2026, 10, 1, 9, 15, 2, 0));
	time_is(&ISO, "2026-10-01T09:15", utc_ms(2026, 10, 1, 9, 15, 0, 0));
	time_is(&ISO, "2026-10-01T09:15Z", utc_ms(2026, 10, 1, 9, 15, 0, 0));
	time_is(&ISO, "2026-10-01", utc_ms(2026, 10, 1, 0, 0, 0, 0));
	time_is(&ISO, "2026-10-01T09:15:02.123Z", utc_ms(2026, 10, 1, 9, 15, 2, 123));
	time_is(&ISO, "2026-10-01T09:15:02.5", utc_ms(2026, 10, 1, 9, 15, 2, 500));
	time_is(&ISO, "2026-10-01T09:15:02,25Z", utc_ms(2026, 10, 1, 9, 15, 2, 250));
	time_is(&ISO, "2026-10-01T00:00:00Z", utc_ms(2026, 10, 1, 0, 0, 0, 0));
	time_is(&ISO, "2026-10-01T23:59:59.999Z", utc_ms(2026, 10, 1, 23, 59, 59, 999));
	time_is(&ISO, "1970-01-01T00:00:00Z", 0);
	time_is(&ISO, "1969-12-31T23:59:59Z", -1000);
	time_is(&ISO, "1969-12-31T23:59:59.5Z", -500);
	time_is(&ISO, "1900-01-01T00:00:00Z", utc_ms(1900, 1, 1, 0, 0, 0, 0));
	time_is(&ISO, "9999-12-31T23:59:59Z", utc_ms(9999, 12, 31, 23, 59, 59, 0));
	/* offsets: east of UTC is earlier in UTC */
	time_is(&ISO, "2026-10-01T09:15:02+02:00", utc_ms(2026, 10, 1, 7, 15, 2, 0));
	time_is(&ISO, "2026-10-01T09:15:02+0200", utc_ms(2026, 10, 1, 7, 15, 2, 0));
	time_is(&ISO, "2026-10-01T09:15:02+02", utc_ms(2026, 10, 1, 7, 15, 2, 0));
	time_is(&ISO, "2026-10-01T09:15:02-05:30", utc_ms(2026, 10, 1, 14, 45, 2, 0));
	time_is(&ISO, "2026-10-01T09:15:02+00:00", utc_ms(2026, 10, 1, 9, 15, 2, 0));
	time_is(&ISO, "2026-10-01T09:15:02-00:00", utc_ms(2026, 10, 1, 9, 15, 2, 0));
	time_is(&ISO, "2026-10-01T00:30:00+01:00", utc_ms(2026, 9, 30, 23, 30, 0, 0));
	time_is(&ISO, "2026-12-31T23:30:00-01:00", utc_ms(2027, 1, 1, 0, 30, 0, 0));
	time_is(&ISO, "2026-10-01T09:15:02.250+14:00", utc_ms(2026, 9, 30, 19, 15, 2, 250));
	/* the ISO shorthand is the same reader */
	CHECK_OK(cx_parse_time("2026-10-01T09:15:02Z", &ms), "cx_parse_time");
	CHECK(ms == utc_ms(2026, 10, 1, 9, 15, 2, 0));
}

static void
test_calendar_rejects(void)
{
	static const char *const bad[] = {
		"2026-02-30", "2026-02-29", "2023-02-29", "1900-02-29", "2100-02-29",
		"2026-04-31", "2026-13-01", "2026-00-10", "2026-10-00", "2026-10-32",
		"2026-10-01T25:00", "2026-10-01T24:00", "2026-10-01T24:00:00Z",
		"2026-10-01T23:60", "2026-10-01T23:59:60Z", "2026-10-01T99:00",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		time_bad(&ISO, bad[i]);
		date_bad(&ISO, bad[i]);
	}
	time_is(&ISO, "2024-02-29", utc_ms(2024, 2, 29, 0, 0, 0, 0));
	time_is(&ISO, "2000-02-29T12:00:00Z", utc_ms(2000, 2, 29, 12, 0, 0, 0));
	date_is(&ISO, "2024-02-29", 2024, 2, 29);
	date_is(&ISO, "2000-02-29", 2000, 2, 29);
	date_is(&ISO, "2026-04-30", 2026, 4, 30);
	time_is(&ISO, "2026-10-01T23:59:59Z", utc_ms(2026, 10, 1, 23, 59, 59, 0));
}

static void
test_syntax_rejects(void)
{
	static const char *const bad[] = {
		"", " 2026-10-01", "2026-10-01 ", "2026-10-01x", "2026-10-01T09:15:02 junk",
		"2026-10-01T09:15:02Zjunk", "2026-10-01T09:15:02+02:00x", "2026-10-01T09:15:02ZZ",
		"2026-10-01T", "2026-10-01T09", "2026-10-01T09:", "2026-10-01T9:15",
		"2026-10-01T09:1", "2026-10-01T09:15:2", "2026-10-01T09:15:02.",
		"2026-10-01T09:15:02+15:00", "2026-10-01T09:15:02+02:60",
		"2026-10-01T09:15:02+2", "2026-10-01T09:15:02+02:0", "2026-10-01T09:15:02 +02:00",
		"26-10-01", "2026-1-01", "2026-10-1", "2026/10/01", "20261001", "2026-10",
		"2026", "2026-10-01t09:15", "2026-10-01T09:15:02z", "x2026-10-01",
		"2026-10-01T09:15:02.12a", "+2026-10-01", "-001-10-01", "2026-10-01\n",
		"2026-10-01T09:15:02\xc2\xa0",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		time_bad(&ISO, bad[i]);
	/* a dangling ':' after an hour offset is trailing junk */
	time_bad(&ISO, "2026-10-01T09:15:02+02:");
}

static void
test_dates(void)
{
	/* a time part is validated and dropped, the date stays as written */
	date_is(&ISO, "2026-10-01", 2026, 10, 1);
	date_is(&ISO, "2026-10-01T09:15:02Z", 2026, 10, 1);
	date_is(&ISO, "2026-10-01T00:30:00+01:00", 2026, 10, 1);
	date_is(&ISO, "2026-10-01 23:59", 2026, 10, 1);
	date_is(&ISO, "1969-12-31", 1969, 12, 31);
	date_is(&ISO, "0001-01-01", 1, 1, 1);
	date_bad(&ISO, "2026-10-01T25:00");
	date_bad(&ISO, "2026-10-01x");
	date_bad(&ISO, "");
	{
		int32_t d;

		CHECK_OK(cx_parse_date("1970-01-02", &d), "cx_parse_date");
		CHECK_INT(d, 1);
	}
}

static void
test_formats(void)
{
	struct cx_timefmt ymd, dmy;

	CHECK_OK(cx_timefmt_init(&ymd, "%Y%m%d", NULL), "%Y%m%d");
	CHECK_OK(cx_timefmt_init(&dmy, "%d/%m/%Y %H:%M", NULL), "%d/%m/%Y %H:%M");
	date_is(&ymd, "20261001", 2026, 10, 1);
	date_is(&ymd, "20240229", 2024, 2, 29);
	time_is(&ymd, "20261001", utc_ms(2026, 10, 1, 0, 0, 0, 0));
	date_bad(&ymd, "20260230");		/* strptime alone gives March 2 */
	date_bad(&ymd, "20230229");
	date_bad(&ymd, "20261301");
	date_bad(&ymd, "20261001x");		/* strptime alone ignores the rest */
	date_bad(&ymd, "2026-10-01");
	date_bad(&ymd, "");
	time_is(&dmy, "01/10/2026 09:15", utc_ms(2026, 10, 1, 9, 15, 0, 0));
	time_is(&dmy, "31/12/1999 23:59", utc_ms(1999, 12, 31, 23, 59, 0, 0));
	time_is(&dmy, "29/02/2024 00:00", utc_ms(2024, 2, 29, 0, 0, 0, 0));
	date_is(&dmy, "01/10/2026 09:15", 2026, 10, 1);
	time_bad(&dmy, "31/04/2026 10:00");
	time_bad(&dmy, "30/02/2026 10:00");
	time_bad(&dmy, "01/10/2026 25:00");
	time_bad(&dmy, "01/10/2026 24:00");
	time_bad(&dmy, "01/10/2026 09:60");
	time_bad(&dmy, "01/10/2026 09:15:00");	/* more than the format */
	time_bad(&dmy, "01/10/2026 09:15 +02:00");
	time_bad(&dmy, "01/10/2026");		/* less than the format */
	time_bad(&dmy, "10/01/2026 09:15x");
	time_bad(&dmy, "2026-10-01T09:15:00Z");
	date_bad(&dmy, "32/01/2026 10:00");
	date_bad(&dmy, "01/10/2026 25:00");	/* an invalid time part fails a date */
}

static void
test_tz(void)
{
	struct cx_timefmt tf, fmt;

	/* unknown zones are refused, before anything is set */
	CHECK_ERR(cx_timefmt_init(&tf, NULL, "Mars/Olympus_Mons"), "Mars/Olympus_Mons");
	CHECK_ERR(cx_timefmt_init(&tf, NULL, "Europe/Pariss"), "Europe/Pariss");
	CHECK_ERR(cx_timefmt_init(&tf, NULL, ""), "(empty)");
	CHECK_ERR(cx_timefmt_init(&tf, NULL, "../../etc/passwd"), "../../etc/passwd");
	CHECK_ERR(cx_timefmt_init(&tf, NULL, "/etc/passwd"), "/etc/passwd");
	/* a folder of zoneinfo is not a zone: glibc would silently fall back to UTC */
	CHECK_ERR(cx_timefmt_init(&tf, NULL, "Europe"), "Europe");
	CHECK_OK(cx_timefmt_init(&tf, NULL, "UTC"), "UTC");
	time_is(&tf, "2026-07-01T12:00:00", utc_ms(2026, 7, 1, 12, 0, 0, 0));

	CHECK_OK(cx_timefmt_init(&tf, NULL, "Europe/Paris"), "Europe/Paris");
	/* winter CET = UTC+1, summer CEST = UTC+2 */
	time_is(&tf, "2026-01-15T12:00:00", utc_ms(2026, 1, 15, 11, 0, 0, 0));
	time_is(&tf, "2026-07-01T12:00:00", utc_ms(2026, 7, 1, 10, 0, 0, 0));
	time_is(&tf, "2026-07-01 12:00:00.250", utc_ms(2026, 7, 1, 10, 0, 0, 250));
	time_is(&tf, "2026-07-01", utc_ms(2026, 6, 30, 22, 0, 0, 0));
	/* DST starts 2026-03-29 02:00 CET -> 03:00 CEST (01:00 UTC) */
	time_is(&tf, "2026-03-29T01:59:59", utc_ms(2026, 3, 29, 0, 59, 59, 0));
	time_is(&tf, "2026-03-29T03:00:00", utc_ms(2026, 3, 29, 1, 0, 0, 0));
	time_is(&tf, "2026-03-28T12:00:00", utc_ms(2026, 3, 28, 11, 0, 0, 0));
	time_is(&tf, "2026-03-30T12:00:00", utc_ms(2026, 3, 30, 10, 0, 0, 0));
	/* DST ends 2026-10-25 03:00 CEST -> 02:00 CET (01:00 UTC) */
	time_is(&tf, "2026-10-25T01:59:00", utc_ms(2026, 10, 24, 23, 59, 0, 0));
	time_is(&tf, "2026-10-25T03:00:00", utc_ms(2026, 10, 25, 2, 0, 0, 0));
	time_is(&tf, "2026-10-26T00:00:00", utc_ms(2026, 10, 25, 23, 0, 0, 0));
	{
		/* 02:30 happens twice that night: either reading is acceptable */
		int64_t ms;

		CHECK_OK(cx_timefmt_time(&tf, "2026-10-25T02:30:00", &ms), "ambiguous");
		CHECK(ms == utc_ms(2026, 10, 25, 0, 30, 0, 0) ||
		    ms == utc_ms(2026, 10, 25, 1, 30, 0, 0));
	}
	/* the 2024 switches, and a leap day */
	time_is(&tf, "2024-03-31T03:30:00", utc_ms(2024, 3, 31, 1, 30, 0, 0));
	time_is(&tf, "2024-10-27T04:00:00", utc_ms(2024, 10, 27, 3, 0, 0, 0));
	time_is(&tf, "2024-02-29T00:30:00", utc_ms(2024, 2, 28, 23, 30, 0, 0));
	/* an explicit offset wins over the zone */
	time_is(&tf, "2026-07-01T12:00:00Z", utc_ms(2026, 7, 1, 12, 0, 0, 0));
	time_is(&tf, "2026-07-01T12:00:00+05:00", utc_ms(2026, 7, 1, 7, 0, 0, 0));
	/* dates are not converted */
	date_is(&tf, "2026-07-01T00:30:00", 2026, 7, 1);
	/* impossible dates stay impossible in a zone */
	time_bad(&tf, "2026-02-30T12:00:00");
	time_bad(&tf, "2026-10-01T25:00");

	CHECK_OK(cx_timefmt_init(&fmt, "%d/%m/%Y %H:%M", "Europe/Paris"), "format+tz");
	time_is(&fmt, "01/07/2026 12:00", utc_ms(2026, 7, 1, 10, 0, 0, 0));
	time_is(&fmt, "15/01/2026 12:00", utc_ms(2026, 1, 15, 11, 0, 0, 0));
	time_is(&fmt, "25/10/2026 03:00", utc_ms(2026, 10, 25, 2, 0, 0, 0));
	time_bad(&fmt, "30/02/2026 12:00");

	/* back to UTC for the tests that follow */
	setenv("TZ", "UTC", 1);
	tzset();
}

static void
test_civil(void)
{
	int32_t d;
	int y, m, dd, bad = 0;

	/* days_from_civil against timegm, every day from 1800 to 2200 */
	for (y = 1800; y <= 2200; y++)
		for (m = 1; m <= 12; m++)
			for (dd = 1; dd <= cx_days_in_month(y, m); dd++) {
				int64_t want = utc_ms(y, m, dd, 0, 0, 0, 0) / CX_MS_PER_DAY;
				int yy, mm, d2;

				d = cx_days_from_civil(y, m, dd);
				cx_civil_from_days(d, &yy, &mm, &d2);
				if (d != want || yy != y || mm != m || d2 != dd) {
					if (bad++ < 3)
						printf("FAIL %s: %04d-%02d-%02d -> %ld\n",
						    __func__, y, m, dd, (long)d);
				}
			}
	CHECK_INT(bad, 0);
	CHECK_INT(cx_days_in_month(2024, 2), 29);
	CHECK_INT(cx_days_in_month(2023, 2), 28);
	CHECK_INT(cx_days_in_month(1900, 2), 28);
	CHECK_INT(cx_days_in_month(2000, 2), 29);
	CHECK_INT(cx_days_in_month(2026, 4), 30);
	CHECK_INT(cx_days_in_month(2026, 12), 31);
	CHECK_INT(cx_days_from_civil(1970, 1, 1), 0);
	CHECK_INT(cx_days_from_civil(1969, 12, 31), -1);
	CHECK_INT(cx_days_from_civil(0, 3, 1), -719468);
}

static void
test_format_roundtrip(void)
{
	char buf[CX_TIME_BUFSZ];
	int32_t d, back, lo, hi;
	int64_t ms, tback;
	int n, bad = 0;
	unsigned long long x = 88172645463325252ULL;

	CHECK_INT(cx_format_date(0, buf), 10);
	CHECK_STR(buf, "1970-01-01");
	cx_format_date(-1, buf);
	CHECK_STR(buf, "1969-12-31");
	cx_format_date(20727, buf);
	CHECK_STR(buf, "2026-10-01");
	cx_format_date(-719528, buf);
	CHECK_STR(buf, "0000-01-01");
	CHECK_INT(cx_format_time(0, buf), 20);
	CHECK_STR(buf, "1970-01-01T00:00:00Z");
	cx_format_time(-1, buf);
	CHECK_STR(buf, "1969-12-31T23:59:59.999Z");
	cx_format_time(-CX_MS_PER_DAY, buf);
	CHECK_STR(buf, "1969-12-31T00:00:00Z");
	cx_format_time(1500, buf);
	CHECK_STR(buf, "1970-01-01T00:00:01.500Z");
	cx_format_time(utc_ms(2026, 10, 1, 9, 15, 2, 7), buf);
	CHECK_STR(buf, "2026-10-01T09:15:02.007Z");

	/* every day of years 0000 to 9999 formats and reads back */
	lo = cx_days_from_civil(0, 1, 1);
	hi = cx_days_from_civil(9999, 12, 31);
	for (d = lo; d <= hi; d++) {
		n = cx_format_date(d, buf);
		if (n != 10 || cx_parse_date(buf, &back) != NULL || back != d) {
			if (bad++ < 3)
				printf("FAIL %s: day %ld -> \"%s\"\n", __func__, (long)d, buf);
		}
	}
	CHECK_INT(bad, 0);
	/* times: pseudo-random milliseconds over the same range, both signs */
	for (n = 0; n < 200000; n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ms = (int64_t)(x % (unsigned long long)((int64_t)(hi - lo) * CX_MS_PER_DAY)) +
		    (int64_t)lo * CX_MS_PER_DAY;
		if (n % 3 == 0)
			ms -= ms % 1000;	/* whole seconds print without ".000" */
		cx_format_time(ms, buf);
		if (cx_parse_time(buf, &tback) != NULL || tback != ms) {
			if (bad++ < 3)
				printf("FAIL %s: ms %lld -> \"%s\"\n", __func__, (long long)ms, buf);
		}
	}
	CHECK_INT(bad, 0);
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	RUN(test_iso_times);
	RUN(test_calendar_rejects);
	RUN(test_syntax_rejects);
	RUN(test_dates);
	RUN(test_formats);
	RUN(test_tz);
	RUN(test_civil);
	RUN(test_format_roundtrip);
	return check_done();
}
