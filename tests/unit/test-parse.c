/* test-parse: lib/parse.h, strict field parsing (DESIGN.md, "Traps": strtod). */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "parse.h"

static void
double_ok(const char *s, double want)
{
	double v = -12345.0;

	CHECK_OK(cx_parse_double(s, &v), s);
	CHECK_REPORT(v == want && signbit(v) == signbit(want),
	    "cx_parse_double(\"%s\") = %.17g, want %.17g", s, v, want);
}

static void
double_bad(const char *s)
{
	double v = -12345.0;

	CHECK_ERR(cx_parse_double(s, &v), s);
	/* a rejected field never yields a value, in particular not a silent 0 */
	CHECK_REPORT(v == -12345.0, "cx_parse_double(\"%s\") wrote %g on failure", s, v);
}

static void
test_double_rejects(void)
{
	static const char *const bad[] = {
		"1,5", "12abc", "nan", "NaN", "-nan", "inf", "-inf", "Infinity",
		"0x10", "0X1p3", " 5", "5 ", "\t5", "1e309", "-1e309", "", "-", "+",
		".", "e5", "1e", "1e+", "--5", "+-5", "1-2", "1.5.5", "12,5O",
		"1_000", "\xd9\xa1", "5\n", "1e5e5", "0x", "1.2.3",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		double_bad(bad[i]);
}

static void
test_double_accepts(void)
{
	double_ok("0", 0.0);
	double_ok("-0", -0.0);
	double_ok("-0.0", -0.0);
	double_ok("1e-5", 1e-5);
	double_ok("1E-5", 1e-5);
	double_ok("1e+3", 1000.0);
	double_ok("+5", 5.0);
	double_ok("95.5", 95.5);
	double_ok("0.1", 0.1);
	double_ok("-12.75", -12.75);
	double_ok("007", 7.0);
	double_ok("1e308", 1e308);
	double_ok("1.7976931348623157e308", DBL_MAX);
	double_ok("123456789012345678", 123456789012345678.0);
	double_ok("0.30000000000000004", 0.30000000000000004);
	double_ok("3.141592653589793238462643", 3.141592653589793);
	double_ok("4.9406564584124654e-324", 4.9406564584124654e-324);
	/* the grammar takes strtod's bare points: "5." and ".5" */
	double_ok("5.", 5.0);
	double_ok(".5", 0.5);
	double_ok("-.5", -0.5);
	double_ok("5.e3", 5000.0);
	/* every short decimal reads as strtod reads it (fast path vs strtod) */
	{
		char buf[64];
		int i, bad = 0;

		for (i = -20000; i <= 20000; i += 7) {
			double v, want;

			snprintf(buf, sizeof buf, "%d.%03d", i / 1000, (i < 0 ? -i : i) % 1000);
			if (i < 0 && i > -1000)
				snprintf(buf, sizeof buf, "-0.%03d", -i);
			want = strtod(buf, NULL);
			if (cx_parse_double(buf, &v) != NULL || v != want) {
				if (bad++ < 3)
					printf("FAIL %s: \"%s\" -> %.17g, want %.17g\n",
					    __func__, buf, v, want);
			}
		}
		CHECK_INT(bad, 0);
	}
}

static void
test_decimal_plain(void)
{
	double v;
	int plain = -1;

	CHECK_OK(cx_parse_decimal("12.50", &v, &plain), "12.50");
	CHECK_INT(plain, 1);
	CHECK_OK(cx_parse_decimal("-3", &v, &plain), "-3");
	CHECK_INT(plain, 1);
	CHECK_OK(cx_parse_decimal("0", &v, &plain), "0");
	CHECK_INT(plain, 1);
	CHECK_OK(cx_parse_decimal("0.5", &v, &plain), "0.5");
	CHECK_INT(plain, 1);
	CHECK_OK(cx_parse_decimal("1e3", &v, &plain), "1e3");
	CHECK_INT(plain, 0);
	CHECK(v == 1000.0);
	CHECK_OK(cx_parse_decimal("+5", &v, &plain), "+5");
	CHECK_INT(plain, 0);
	/* "007" is a number but not canonical text */
	CHECK_OK(cx_parse_decimal("007", &v, &plain), "007");
	CHECK_INT(plain, 0);
	/* long plain decimals take the strtod path; plain may be 0 there, but
	 * the value must be right */
	CHECK_OK(cx_parse_decimal("1234567890.1234567", &v, &plain), "1234567890.1234567");
	CHECK(v == 1234567890.1234567);
	CHECK_ERR(cx_parse_decimal("12abc", &v, &plain), "12abc");
	CHECK_ERR(cx_parse_decimal("", &v, &plain), "");
}

static void
test_llong(void)
{
	long long v = 77;

	CHECK_OK(cx_parse_llong("0", &v), "0");
	CHECK_INT(v, 0);
	CHECK_OK(cx_parse_llong("-42", &v), "-42");
	CHECK_INT(v, -42);
	CHECK_OK(cx_parse_llong("9223372036854775807", &v), "max");
	CHECK(v == 9223372036854775807LL);
	CHECK_OK(cx_parse_llong("-9223372036854775808", &v), "min");
	CHECK(v == -9223372036854775807LL - 1);
	v = 77;
	CHECK_ERR(cx_parse_llong("9223372036854775808", &v), "max+1");
	CHECK_ERR(cx_parse_llong("-9223372036854775809", &v), "min-1");
	CHECK_ERR(cx_parse_llong("", &v), "");
	CHECK_ERR(cx_parse_llong("-", &v), "-");
	CHECK_ERR(cx_parse_llong("1.0", &v), "1.0");
	CHECK_ERR(cx_parse_llong("1e3", &v), "1e3");
	CHECK_ERR(cx_parse_llong(" 5", &v), " 5");
	CHECK_ERR(cx_parse_llong("5 ", &v), "5 ");
	CHECK_ERR(cx_parse_llong("0x10", &v), "0x10");
	CHECK_ERR(cx_parse_llong("12abc", &v), "12abc");
	CHECK_ERR(cx_parse_llong("1,5", &v), "1,5");
	CHECK_INT(v, 77);
}

static void
test_flag(void)
{
	static const char *const yes[] = { "yes", "YES", "Yes", "true", "TRUE", "y", "Y" };
	static const char *const no[] = { "no", "NO", "false", "False", "n", "N" };
	static const char *const never[] = { "", "2", "-1", "01", " 1", "1 ", "on", "off", "t", "f", "1.0", "yess" };
	size_t i;
	int v;

	CHECK_OK(cx_parse_flag("0", 0, &v), "0");
	CHECK_INT(v, 0);
	CHECK_OK(cx_parse_flag("1", 0, &v), "1");
	CHECK_INT(v, 1);
	CHECK_OK(cx_parse_flag("1", 1, &v), "1");
	CHECK_INT(v, 1);
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		CHECK_ERR(cx_parse_flag(yes[i], 0, &v), yes[i]);	/* strict */
		v = -1;
		CHECK_OK(cx_parse_flag(yes[i], 1, &v), yes[i]);	/* lenient */
		CHECK_INT(v, 1);
	}
	for (i = 0; i < sizeof no / sizeof no[0]; i++) {
		CHECK_ERR(cx_parse_flag(no[i], 0, &v), no[i]);
		v = -1;
		CHECK_OK(cx_parse_flag(no[i], 1, &v), no[i]);
		CHECK_INT(v, 0);
	}
	for (i = 0; i < sizeof never / sizeof never[0]; i++) {
		CHECK_ERR(cx_parse_flag(never[i], 0, &v), never[i]);
		CHECK_ERR(cx_parse_flag(never[i], 1, &v), never[i]);
	}
}

static void
duration_ok(const char *s, double want)
{
	double v = -12345.0;

	CHECK_OK(cx_parse_duration(s, &v), s);
	CHECK_REPORT(v == want, "cx_parse_duration(\"%s\") = %.17g, want %.17g", s, v, want);
}

static void
test_duration(void)
{
	static const char *const bad[] = {
		"1:75", "1:60", "01:60:00", "1:5", "1:", ":30", "::", "1::30",
		"1:30:", "1:2:3:4", "-1:30", "1:-30", "1:3a", "a:30",
		"", " 95", "95s", "1,5", "nan", "inf", "1e309", "1:30:00:00",
		"1:30e1", "1:59.99999999999999999",
	};
	double v;
	size_t i;

	duration_ok("95", 95.0);
	duration_ok("95.5", 95.5);
	duration_ok("0", 0.0);
	duration_ok("1:35", 95.0);
	duration_ok("01:35", 95.0);
	duration_ok("0:00", 0.0);
	duration_ok("90:00", 5400.0);		/* minutes lead: not bounded */
	duration_ok("01:01:35", 3695.0);
	duration_ok("1:01:35", 3695.0);
	duration_ok("100:00:00", 360000.0);
	duration_ok("1:35.25", 95.25);
	duration_ok("1:59", 119.0);
	duration_ok("-3", -3.0);		/* negative plain numbers parse */
	duration_ok("-3.5", -3.5);
	duration_ok("1e2", 100.0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = -12345.0;
		CHECK_ERR(cx_parse_duration(bad[i], &v), bad[i]);
		CHECK(v == -12345.0);
	}
	/* seconds "30." end in a bare point: not a clock reading */
	v = -12345.0;
	CHECK_ERR(cx_parse_duration("1:30.", &v), "1:30.");
}

static void
test_locale(void)
{
	double v;

	/* Under a decimal-comma locale strtod would read "1,5" as 1.5 and stop at
	 * "1.5"; the parsers must not care.  Only runs where such a locale exists. */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL &&
	    setlocale(LC_NUMERIC, "fr_FR.UTF-8") == NULL)
		return;
	CHECK_ERR(cx_parse_double("1,5", &v), "1,5 (de_DE)");
	CHECK_OK(cx_parse_double("1.5", &v), "1.5 (de_DE)");
	CHECK(v == 1.5);
	CHECK_OK(cx_parse_double("1234567.25e-2", &v), "1234567.25e-2 (de_DE)");
	CHECK(v == 12345.6725);
	setlocale(LC_NUMERIC, "C");
}

/* 16 to 19 significant digits take the exact 128-bit path: every one must read
 * as strtod reads it, bit for bit, ties included. */
static void
test_long_decimals(void)
{
	static const char *const ties[] = {
		"9007199254740993",		/* 2^53 + 1: half way, to even (2^53) */
		"9007199254740995",		/* 2^53 + 3: half way, to even (2^53 + 4) */
		"18014398509481986",		/* 2^54 + 2: half way */
		"18014398509481990",
		"9223372036854775807",		/* 2^63 - 1 */
		"9999999999999999999",		/* the largest 19 digits */
		"1000000000000000000",
		"0.1000000000000000055511151231257827",	/* 20+ digits: strtod */
		"0.10000000000000001",
		"37.46250662673265",
		"-2.2250738585072014",
		"0.0000000000000000001",	/* 19 fraction digits, mant 1 */
		"1.000000000000000000",
	};
	char buf[64];
	unsigned long long state = 88172645463325252ULL;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof ties / sizeof ties[0]; i++) {
		double v = 0, want = strtod(ties[i], NULL);

		CHECK(cx_parse_double(ties[i], &v) == NULL);
		CHECK_REPORT(memcmp(&v, &want, sizeof v) == 0, "\"%s\" -> %a, want %a", ties[i], v, want);
	}
	for (i = 0; i < 2000000; i++) {
		unsigned long long m;
		int ndig, point, k;
		double v = 0, want;

		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		ndig = 16 + (int)(state % 4);
		m = state >> 4;
		k = 0;
		if (state & 8)
			buf[k++] = '-';
		point = (int)((state >> 40) % (unsigned)(ndig + 1));
		for (int d = 0; d < ndig; d++) {
			if (d == point && d > 0)
				buf[k++] = '.';
			buf[k++] = (char)('0' + (d == 0 ? 1 + m % 9 : m % 10));
			m /= 10;
			if (m == 0)
				m = state * 2862933555777941757ULL + 3037000493ULL;
		}
		buf[k] = '\0';
		want = strtod(buf, NULL);
		if (cx_parse_double(buf, &v) != NULL || memcmp(&v, &want, sizeof v) != 0) {
			if (bad++ < 3)
				printf("FAIL %s: \"%s\" -> %a, want %a\n", __func__, buf, v, want);
		}
	}
	CHECK_REPORT(bad == 0, "%d of 2,000,000 long decimals differ from strtod", bad);
	/* below 1: "0." and leading zeros count among the 19 digits */
	for (i = 0, bad = 0; i < 500000; i++) {
		int zeros, k, n;
		double v = 0, want;

		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		zeros = (int)(state % 4);
		n = 14 + (int)((state >> 8) % (unsigned)(5 - zeros));
		k = snprintf(buf, sizeof buf, "0.%.*s%llu", zeros, "000", (state >> 12) % 9000000000000000000ULL + 1000000000000000000ULL);
		buf[2 + zeros + n] = '\0';	/* ndig = 1 + zeros + n <= 19 */
		(void)k;
		want = strtod(buf, NULL);
		if (cx_parse_double(buf, &v) != NULL || memcmp(&v, &want, sizeof v) != 0) {
			if (bad++ < 3)
				printf("FAIL %s: \"%s\" -> %a, want %a\n", __func__, buf, v, want);
		}
	}
	CHECK_REPORT(bad == 0, "%d of 500,000 long decimals below 1 differ from strtod", bad);
}

int
main(void)
{
	RUN(test_double_rejects);
	RUN(test_double_accepts);
	RUN(test_decimal_plain);
	RUN(test_long_decimals);
	RUN(test_llong);
	RUN(test_flag);
	RUN(test_duration);
	RUN(test_locale);
	return check_done();
}
