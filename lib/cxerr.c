/* cxerr: the one place that formats messages and maps errors to exit codes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"

static const char *progname = "cx";

void
cx_setprogname(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	progname = slash ? slash + 1 : argv0;
}

const char *
cx_progname(void)
{
	return progname;
}

int
cx_exit_status(int cx_error)
{
	switch (cx_error) {
	case 0:		return CX_EXIT_OK;
	case CX_EDATA:	return CX_EXIT_DATA;
	default:	return CX_EXIT_SYSTEM;
	}
}

static void
vmessage(int with_errno, int saved, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
}

void
cx_err(int status, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vmessage(1, saved, fmt, ap);
	va_end(ap);
	exit(status);
}

void
cx_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(0, 0, fmt, ap);
	va_end(ap);
	exit(status);
}

void
cx_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vmessage(1, saved, fmt, ap);
	va_end(ap);
}

void
cx_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(0, 0, fmt, ap);
	va_end(ap);
}

void
cx_version(void)
{
#ifndef CX_VERSION
#define CX_VERSION "unknown"
#endif
	printf("%s (cxkit) %s\n", progname, CX_VERSION);
}

void *
cx_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	return p;
}

void *
cx_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	return p;
}

void *
cx_xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	return p;
}

char *
cx_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(cx_xmalloc(n), s, n);
}
