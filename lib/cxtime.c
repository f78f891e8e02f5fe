/*
 * cxtime: ISO 8601 and strptime-style times, validated field by field.
 * glibc strptime accepts 2026-02-30 and timegm then rolls it into March, and
 * neither looks past the pattern: we check the remainder and the calendar
 * ourselves (DESIGN.md, "Traps in the libraries").  Civil-date conversion uses
 * the days-from-civil algorithm (H. Hinnant, "chrono-compatible low-level date
 * algorithms"), exact over the whole int32 day range.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cxtime.h"

static const char BAD_TIME[] = "is not a valid time";
static const char BAD_DATE[] = "is not a valid date";
#define MIN_MS	(-62167219200000LL)		/* 0000-01-01T00:00:00Z */
#define MAX_MS	(253402300799999LL)		/* 9999-12-31T23:59:59.999Z */

int32_t
cx_days_from_civil(int y, int m, int d)
{
	long yy = (long)y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t)(era * 146097 + doe - 719468);
}

void
cx_civil_from_days(int32_t days, int *y, int *m, int *d)
{
	long z = (long)days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
cx_days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2)
		return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28;
	return mdays[m - 1];
}

/* n digits at s as a number, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

struct civil {
	int	y, mo, d, h, mi, s, ms;
	int	has_offset;
	long	offset_s;	/* east of UTC */
};

static int
civil_valid(const struct civil *c)
{
	return c->mo >= 1 && c->mo <= 12 && c->d >= 1 &&
	    c->d <= cx_days_in_month(c->y, c->mo) && c->h >= 0 && c->h < 24 &&
	    c->mi >= 0 && c->mi < 60 && c->s >= 0 && c->s < 60;
}

/* ISO 8601 extended format; 1 on success. */
static int
iso_parse(const char *s, struct civil *c)
{
	memset(c, 0, sizeof *c);
	if ((c->y = digits(s, 4)) < 0 || s[4] != '-' || (c->mo = digits(s + 5, 2)) < 0 ||
	    s[7] != '-' || (c->d = digits(s + 8, 2)) < 0)
		return 0;
	s += 10;
	if (*s == 'T' || *s == ' ') {
		if ((c->h = digits(s + 1, 2)) < 0 || s[3] != ':' ||
		    (c->mi = digits(s + 4, 2)) < 0)
			return 0;
		s += 6;
		if (*s == ':') {
			if ((c->s = digits(s + 1, 2)) < 0)
				return 0;
			s += 3;
			if (*s == '.' || *s == ',') {
				int scale = 100, any = 0;

				for (s++; *s >= '0' && *s <= '9'; s++, any = 1) {
					c->ms += (*s - '0') * scale;
					scale /= 10;
				}
				if (!any)
					return 0;
			}
		}
		if (*s == 'Z') {
			c->has_offset = 1;
			s++;
		} else if (*s == '+' || *s == '-') {
			int sign = *s == '-' ? -1 : 1, oh, om = 0;

			if ((oh = digits(s + 1, 2)) < 0 || oh > 14)
				return 0;
			s += 3;
			if (*s == ':' && s[1] != '\0')
				s++;
			if (*s != '\0') {
				if ((om = digits(s, 2)) < 0 || om > 59)
					return 0;
				s += 2;
			}
			c->has_offset = 1;
			c->offset_s = sign * (oh * 3600L + om * 60L);
		}
	}
	return *s == '\0' && civil_valid(c);
}

/* strptime with the remainder and the calendar checked; 1 on success. */
static int
format_parse(const char *fmt, const char *s, struct civil *c)
{
	struct tm tm;
	const char *rest;

	memset(&tm, 0, sizeof tm);
	tm.tm_mday = 1;
	tm.tm_year = 70;
	rest = strptime(s, fmt, &tm);
	if (rest == NULL || *rest != '\0')
		return 0;
	memset(c, 0, sizeof *c);
	c->y = tm.tm_year + 1900;
	c->mo = tm.tm_mon + 1;
	c->d = tm.tm_mday;
	c->h = tm.tm_hour;
	c->mi = tm.tm_min;
	c->s = tm.tm_sec;
	if (strstr(fmt, "%z") != NULL) {
		c->has_offset = 1;
		c->offset_s = tm.tm_gmtoff;
	}
	return civil_valid(c);
}

const char *
cx_timefmt_init(struct cx_timefmt *tf, const char *format, const char *tz)
{
	tf->format = format;
	tf->local = 0;
	if (tz != NULL && strcmp(tz, "UTC") != 0 && strcmp(tz, "Z") != 0) {
		char path[PATH_MAX];
		struct stat st;

		if (tz[0] == '\0' || tz[0] == '/' || strstr(tz, "..") != NULL)
			return "is not a time zone name";
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
		/* a folder such as "Europe" is readable too, and glibc would
		 * silently fall back to UTC for it */
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, R_OK) != 0)
			return "is not a known time zone (see /usr/share/zoneinfo)";
		if (setenv("TZ", tz, 1) != 0)
			return "could not be set";
		tzset();
		tf->local = 1;
	}
	return NULL;
}

static int64_t
civil_to_ms(const struct civil *c, int local)
{
	int64_t secs;

	if (!c->has_offset && local) {
		struct tm tm;

		memset(&tm, 0, sizeof tm);
		tm.tm_year = c->y - 1900;
		tm.tm_mon = c->mo - 1;
		tm.tm_mday = c->d;
		tm.tm_hour = c->h;
		tm.tm_min = c->mi;
		tm.tm_sec = c->s;
		tm.tm_isdst = -1;	/* let the zone rules decide */
		secs = (int64_t)mktime(&tm);
	} else {
		secs = (int64_t)cx_days_from_civil(c->y, c->mo, c->d) * 86400 +
		    c->h * 3600 + c->mi * 60 + c->s - c->offset_s;
	}
	return secs * 1000 + c->ms;
}

const char *
cx_timefmt_time(const struct cx_timefmt *tf, const char *s, int64_t *ms)
{
	struct civil c;

	if (!(tf->format ? format_parse(tf->format, s, &c) : iso_parse(s, &c)))
		return BAD_TIME;
	*ms = civil_to_ms(&c, tf->local);
	/* an offset can carry a time past year 0000 or 9999, which has no
	 * four-digit ISO form to write it back in */
	if (*ms < MIN_MS || *ms > MAX_MS)
		return "is out of range (years 0000 to 9999 in UTC)";
	return NULL;
}

const char *
cx_timefmt_date(const struct cx_timefmt *tf, const char *s, int32_t *days)
{
	struct civil c;

	if (!(tf->format ? format_parse(tf->format, s, &c) : iso_parse(s, &c)))
		return BAD_DATE;
	*days = cx_days_from_civil(c.y, c.mo, c.d);
	return NULL;
}

const char *
cx_parse_time(const char *s, int64_t *ms)
{
	static const struct cx_timefmt iso = { NULL, 0 };

	return cx_timefmt_time(&iso, s, ms);
}

const char *
cx_parse_date(const char *s, int32_t *days)
{
	static const struct cx_timefmt iso = { NULL, 0 };

	return cx_timefmt_date(&iso, s, days);
}

static char *
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

static char *
put_date(char *p, int32_t days)
{
	int y, m, d;

	cx_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		p += sprintf(p, "%d", y);
	} else {
		p = put2(p, y / 100);
		p = put2(p, y % 100);
	}
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	return put2(p, d);
}

int
cx_format_date(int32_t days, char *buf)
{
	char *p = put_date(buf, days);

	*p = '\0';
	return (int)(p - buf);
}

int
cx_format_time(int64_t ms, char *buf)
{
	int64_t day = ms >= 0 ? ms / CX_MS_PER_DAY : -((-ms + CX_MS_PER_DAY - 1) / CX_MS_PER_DAY);
	int64_t rem = ms - day * CX_MS_PER_DAY;	/* 0 .. ms per day - 1 */
	int secs = (int)(rem / 1000), frac = (int)(rem % 1000);
	char *p = put_date(buf, (int32_t)day);

	*p++ = 'T';
	p = put2(p, secs / 3600);
	*p++ = ':';
	p = put2(p, secs / 60 % 60);
	*p++ = ':';
	p = put2(p, secs % 60);
	if (frac != 0) {
		*p++ = '.';
		*p++ = (char)('0' + frac / 100);
		p = put2(p, frac % 100);
	}
	*p++ = 'Z';
	*p = '\0';
	return (int)(p - buf);
}
