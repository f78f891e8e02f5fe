/* test-csvout: lib/csvout.h quoting and round-trip numbers, written to memory. */
#define _GNU_SOURCE 1	/* open_memstream, fmemopen are POSIX 2008; nextafter */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csvout.h"
#include "cxerr.h"

static char *mem;
static size_t memlen;
static FILE *memfp;

static struct cx_csvout *
open_mem(int delim)
{
	struct cx_csvout *w;

	memfp = open_memstream(&mem, &memlen);
	w = cx_csvout_new(memfp, delim);
	CHECK(w != NULL);
	return w;
}

/* Flush, close and return what was written (valid until the next open_mem). */
static const char *
close_mem(struct cx_csvout *w)
{
	CHECK_INT(cx_csvout_flush(w), 0);
	cx_csvout_free(w);
	fclose(memfp);
	return mem;
}

static void
field_is(const char *in, size_t len, const char *want)
{
	struct cx_csvout *w = open_mem(0);

	cx_csvout_field(w, in, len);
	cx_csvout_endrow(w);
	CHECK_STR(close_mem(w), want);
	free(mem);
}

static void
test_quoting(void)
{
	field_is("plain", 5, "plain\n");
	field_is("a,b", 3, "\"a,b\"\n");
	field_is("say \"hi\"", 8, "\"say \"\"hi\"\"\"\n");
	field_is("\"", 1, "\"\"\"\"\n");
	field_is("two\nlines", 9, "\"two\nlines\"\n");
	field_is("cr\rhere", 7, "\"cr\rhere\"\n");
	field_is("crlf\r\n", 6, "\"crlf\r\n\"\n");
	field_is("=1+2", 4, "=1+2\n");			/* data, not a formula */
	field_is("-5", 2, "-5\n");
	field_is("caf\xc3\xa9", 5, "caf\xc3\xa9\n");
	field_is("a;b", 3, "a;b\n");			/* not the delimiter */
	field_is("a\0b", 3, "a\0b\n");			/* length, not strlen */
	/* a lone empty field must not become a blank line, which readers skip */
	field_is("", 0, "\"\"\n");
	/* blanks at either end survive a strict reader only if kept as-is */
	field_is(" padded ", 8, " padded \n");
}

static void
test_rows(void)
{
	static const char *const hdr[] = { "a", "b,c", "" };
	struct cx_csvout *w;

	w = open_mem(0);
	cx_csvout_row(w, hdr, 3);
	cx_csvout_str(w, "x");
	cx_csvout_empty(w);
	cx_csvout_llong(w, -9223372036854775807LL - 1);
	cx_csvout_endrow(w);
	cx_csvout_empty(w);
	cx_csvout_empty(w);
	cx_csvout_endrow(w);
	cx_csvout_raw(w, "r\"aw", 4);
	cx_csvout_endrow(w);
	CHECK_STR(close_mem(w), "a,\"b,c\",\nx,,-9223372036854775808\n,\nr\"aw\n");
	free(mem);

	/* another delimiter: it, not the comma, forces quotes */
	w = open_mem(';');
	cx_csvout_str(w, "a;b");
	cx_csvout_str(w, "c,d");
	cx_csvout_double(w, 1.5);
	cx_csvout_endrow(w);
	CHECK_STR(close_mem(w), "\"a;b\";c,d;1.5\n");
	free(mem);

	w = open_mem('\t');
	cx_csvout_str(w, "a\tb");
	cx_csvout_str(w, "c d");
	cx_csvout_endrow(w);
	CHECK_STR(close_mem(w), "\"a\tb\"\tc d\n");
	free(mem);

	/* times and dates in canonical form */
	w = open_mem(0);
	cx_csvout_time(w, 1790846102000LL);
	cx_csvout_time(w, -1);
	cx_csvout_date(w, 20727);
	cx_csvout_endrow(w);
	CHECK_STR(close_mem(w), "2026-10-01T09:15:02Z,1969-12-31T23:59:59.999Z,2026-10-01\n");
	free(mem);
}

static void
test_big_output(void)
{
	/* more than the writer's buffer, with quoting across its edge */
	struct cx_csvout *w = open_mem(0);
	char *field = malloc(700001);
	size_t i, want = 0;
	int r;

	for (i = 0; i < 700000; i++)
		field[i] = i % 1000 == 999 ? '"' : 'x';
	field[700000] = '\0';
	for (r = 0; r < 5; r++) {
		cx_csvout_field(w, field, 700000);
		cx_csvout_double(w, 0.1 * r);
		cx_csvout_endrow(w);
		want += 1 + 700000 + 700 + 1 + 1 + strlen(r == 0 ? "0" :
		    r == 1 ? "0.1" : r == 2 ? "0.2" : r == 3 ? "0.30000000000000004" : "0.4") + 1;
	}
	close_mem(w);
	CHECK_INT(memlen, want);
	CHECK(memcmp(mem, "\"xxx", 4) == 0);
	CHECK(memcmp(mem + 1 + 999, "\"\"", 2) == 0);
	free(mem);
	free(field);
}

/* The header's contract: the shortest of %.15g, %.16g, %.17g that reads back
 * exactly; NaN is empty.  want, when given, pins the text. */
static void
double_is(double v, const char *want)
{
	char buf[32], exp[40];
	int n = cx_format_double(v, buf), prec;

	CHECK_INT(n, strlen(buf));
	if (want != NULL)
		CHECK_STR(buf, want);
	if (isnan(v))
		return;
	for (prec = 15; prec < 17; prec++) {
		snprintf(exp, sizeof exp, "%.*g", prec, v);
		if (strtod(exp, NULL) == v)
			break;
	}
	snprintf(exp, sizeof exp, "%.*g", prec, v);
	CHECK_STR(buf, exp);
	CHECK_REPORT(strtod(buf, NULL) == v && signbit(strtod(buf, NULL)) == signbit(v),
	    "%s reads back as %.17g, not %.17g", buf, strtod(buf, NULL), v);
}

static void
test_doubles(void)
{
	struct cx_csvout *w;
	unsigned long long x = 0x9E3779B97F4A7C15ULL;
	int i, bad = 0;

	double_is(0.1, "0.1");
	double_is(1.0 / 3.0, "0.3333333333333333");
	double_is(2.0 / 3.0, "0.6666666666666666");
	double_is(1e-300, "1e-300");
	double_is(123456789012345678.0, "1.2345678901234568e+17");
	double_is(-0.0, "-0");
	double_is(0.0, "0");
	double_is(100.0, "100");
	double_is(0.30000000000000004, "0.30000000000000004");
	double_is(DBL_MAX, "1.7976931348623157e+308");
	double_is(DBL_MIN, "2.2250738585072014e-308");
	double_is(4.9406564584124654e-324, "4.94065645841247e-324");
	double_is(nextafter(1.0, 2.0), "1.0000000000000002");
	double_is(NAN, "");
	/* random bit patterns: every finite one reads back */
	for (i = 0; i < 100000; i++) {
		double v;
		char buf[32];

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&v, &x, sizeof v);
		if (!isfinite(v))
			continue;
		cx_format_double(v, buf);
		if (strtod(buf, NULL) != v && bad++ < 3)
			printf("FAIL %s: %a -> %s\n", __func__, v, buf);
	}
	CHECK_INT(bad, 0);

	/* NaN is written as an empty field */
	w = open_mem(0);
	cx_csvout_double(w, 2.5);
	cx_csvout_double(w, NAN);
	cx_csvout_double(w, -0.0);
	cx_csvout_endrow(w);
	CHECK_STR(close_mem(w), "2.5,,-0\n");
	free(mem);
}

static void
test_write_error(void)
{
	/* /dev/full: the error is sticky and reported by flush with errno */
	FILE *fp = fopen("/dev/full", "w");
	struct cx_csvout *w;
	int i;

	if (fp == NULL)
		return;
	w = cx_csvout_new(fp, 0);
	for (i = 0; i < 100000; i++) {
		cx_csvout_str(w, "some text that fills buffers");
		cx_csvout_endrow(w);
	}
	errno = 0;
	CHECK_INT(cx_csvout_flush(w), CX_ESYS);
	CHECK_INT(errno, ENOSPC);
	cx_csvout_free(w);
	fclose(fp);
	cx_csvout_free(NULL);
}

int
main(void)
{
	RUN(test_quoting);
	RUN(test_rows);
	RUN(test_big_output);
	RUN(test_doubles);
	RUN(test_write_error);
	return check_done();
}
