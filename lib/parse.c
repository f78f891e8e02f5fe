/*
 * parse: strict field parsing.  The programs never call setlocale(), so strtod
 * runs in the C locale; we still refuse everything strtod would accept that is
 * not a plain decimal number (DESIGN.md, "Traps in the libraries").
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cxerr.h"
#include "parse.h"

static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static const char NOT_A_NUMBER[] = "is not a number";
static const char OUT_OF_RANGE[] = "is out of range";

/* Only decimal digits, signs, a point and an exponent may appear: this turns
 * away nan, inf, hex, blanks and "1,5" before strtod can be lenient. */
static int
decimal_charset(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		    *s == '+' || *s == 'e' || *s == 'E'))
			return 0;
	return 1;
}

/*
 * 16 to 19 significant digits (doubles printed round-trip have 16 or 17),
 * correctly rounded without strtod, whose path for them costs about a hundred
 * times more: the value is mant / 10^nfrac exactly, with mant < 10^19 < 2^64
 * and 10^nfrac < 2^64.  Shifted to [2^126, 2^127), the numerator divided by
 * 10^nfrac leaves a quotient of at least 63 bits and an exact remainder, which
 * is all that rounding half to even to 53 bits needs.
 */
__extension__ typedef unsigned __int128 u128;

static double
long_decimal(uint64_t mant, int nfrac)
{
	static const uint64_t pow10_u64[] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
		10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
		100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
		100000000000000000ULL, 1000000000000000000ULL,
		10000000000000000000ULL,
	};
	int shift = __builtin_clzll(mant) + 63;		/* numerator in [2^126, 2^127) */
	u128 n = (u128)mant << shift, q = n / pow10_u64[nfrac];
	int rem = n % pow10_u64[nfrac] != 0;
	int qbits = 128 - (q >> 64 ? __builtin_clzll((uint64_t)(q >> 64)) : 64 + __builtin_clzll((uint64_t)q));
	int drop = qbits - 53;
	uint64_t m = (uint64_t)(q >> drop);
	u128 rest = q & (((u128)1 << drop) - 1), half = (u128)1 << (drop - 1);

	if (rest > half || (rest == half && (rem || (m & 1))))
		m++;			/* 2^53 after a carry is still exact */
	return ldexp((double)m, drop - shift);
}

const char *
cx_parse_decimal(const char *s, double *out, int *plain)
{
	const char *p = s;
	uint64_t mant = 0;
	int ndig = 0, nfrac = 0, neg = 0;
	char *end;
	double v;

	*plain = 0;
	/* Fast path (Clinger): up to 15 digits are exact in a double, and so is
	 * 10^k for k <= 22, so one division gives the correctly rounded value. */
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p >= '0' && *p <= '9') {
		const char *int_start = p;

		while (*p >= '0' && *p <= '9' && ndig < 20) {
			mant = mant * 10 + (uint64_t)(*p++ - '0');
			ndig++;
		}
		if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
			p++;
			while (*p >= '0' && *p <= '9' && ndig < 20) {
				mant = mant * 10 + (uint64_t)(*p++ - '0');
				ndig++;
				nfrac++;
			}
		}
		if (*p == '\0' && ndig <= 15) {
			v = (double)mant / pow10_exact[nfrac];
			*out = neg ? -v : v;
			/* no leading zeros such as "007", so the text is canonical */
			*plain = !(int_start[0] == '0' && int_start[1] >= '0' &&
			    int_start[1] <= '9');
			return NULL;
		}
		if (*p == '\0' && ndig <= 19 && mant > 0) {
			v = mant < (1ULL << 53) ? (double)mant / pow10_exact[nfrac] :
			    long_decimal(mant, nfrac);
			*out = neg ? -v : v;
			return NULL;
		}
	}
	if (*s == '\0' || !decimal_charset(s))
		return NOT_A_NUMBER;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0')
		return NOT_A_NUMBER;
	if (errno == ERANGE && fabs(v) > 1.0)
		return OUT_OF_RANGE;
	if (!isfinite(v))
		return OUT_OF_RANGE;
	*out = v;
	return NULL;
}

const char *
cx_parse_double(const char *s, double *out)
{
	int plain;

	return cx_parse_decimal(s, out, &plain);
}

const char *
cx_parse_llong(const char *s, long long *out)
{
	const char *p = s;
	long long v = 0;
	char *end;
	int neg = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (*p == '\0')
		return "is not an integer";
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return "is not an integer";
		if (p - s < 18)		/* 18 digits cannot overflow */
			v = v * 10 + (*p - '0');
	}
	if (p - s <= 18) {
		*out = neg ? -v : v;
		return NULL;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return OUT_OF_RANGE;
	*out = v;
	return NULL;
}

const char *
cx_parse_flag(const char *s, int lenient, int *out)
{
	static const char *const yes[] = { "yes", "true", "y" };
	static const char *const no[] = { "no", "false", "n" };
	size_t i;

	if ((s[0] == '0' || s[0] == '1') && s[1] == '\0') {
		*out = s[0] - '0';
		return NULL;
	}
	if (lenient) {
		for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
			if (strcasecmp(s, yes[i]) == 0) {
				*out = 1;
				return NULL;
			}
			if (strcasecmp(s, no[i]) == 0) {
				*out = 0;
				return NULL;
			}
		}
	}
	return "is not a 0/1 flag";
}

/* Digits only, value below limit (limit 0: no limit); -1 if not. */
static long
clock_part(const char *s, size_t n, long limit)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 9)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return limit && v >= limit ? -1 : v;
}

const char *
cx_parse_duration(const char *s, double *out)
{
	static const char BAD[] = "is not a duration (seconds, mm:ss or hh:mm:ss)";
	const char *c1 = strchr(s, ':'), *c2, *secs;
	long h = 0, m;
	double sec;
	int plain;

	if (c1 == NULL)
		return cx_parse_decimal(s, out, &plain) ? BAD : NULL;
	c2 = strchr(c1 + 1, ':');
	if (c2 != NULL) {
		if (strchr(c2 + 1, ':') != NULL ||
		    (h = clock_part(s, (size_t)(c1 - s), 0)) < 0 ||
		    (m = clock_part(c1 + 1, (size_t)(c2 - c1 - 1), 60)) < 0)
			return BAD;
		secs = c2 + 1;
	} else {
		if ((m = clock_part(s, (size_t)(c1 - s), 0)) < 0)
			return BAD;
		secs = c1 + 1;
	}
	/* seconds: two digits, optionally a fraction */
	if (!(secs[0] >= '0' && secs[0] <= '9' && secs[1] >= '0' && secs[1] <= '9') ||
	    (secs[2] != '\0' && !(secs[2] == '.' && secs[3] >= '0' && secs[3] <= '9')) ||
	    cx_parse_decimal(secs, &sec, &plain) != NULL || sec >= 60.0)
		return BAD;
	*out = (double)h * 3600.0 + (double)m * 60.0 + sec;
	return NULL;
}

double
cx_opt_double(const char *arg, const char *option, double lo, double hi)
{
	const char *why;
	double v;

	if ((why = cx_parse_double(arg, &v)) != NULL)
		cx_errx(CX_EXIT_USAGE, "%s: \"%s\" %s", option, arg, why);
	if (v < lo || v > hi)
		cx_errx(CX_EXIT_USAGE, "%s: \"%s\" is not between %g and %g",
		    option, arg, lo, hi);
	return v;
}

long long
cx_opt_llong(const char *arg, const char *option, long long lo, long long hi)
{
	const char *why;
	long long v;

	if ((why = cx_parse_llong(arg, &v)) != NULL)
		cx_errx(CX_EXIT_USAGE, "%s: \"%s\" %s", option, arg, why);
	if (v < lo || v > hi)
		cx_errx(CX_EXIT_USAGE, "%s: \"%s\" is not between %lld and %lld",
		    option, arg, lo, hi);
	return v;
}

int
cx_opt_delim(const char *arg, const char *option)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
		return '\t';
	if (arg[0] == '\0' || arg[1] != '\0' || arg[0] == '"' ||
	    arg[0] == '\n' || arg[0] == '\r')
		cx_errx(CX_EXIT_USAGE, "%s: \"%s\" is not a single delimiter character",
		    option, arg);
	return (unsigned char)arg[0];
}
