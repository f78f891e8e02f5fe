/*
 * plot: --plot FILE.png for km (survival steps with the confidence band, one
 * colour per group) and cohort (one retention line per cohort), drawn by
 * piping a script with inline data to gnuplot.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"
#include "churn.h"

struct plot {
	FILE	*fp;
	const char *path;
};

static void
gquote(FILE *fp, const char *s, size_t len)
{
	size_t i;

	fputc('"', fp);
	for (i = 0; i < len; i++) {
		char ch = s[i] == '\x1f' ? '/' : s[i];
		if (ch == '"' || ch == '\\')
			fputc('\\', fp);
		if (ch == '\n' || ch == '\r')
			ch = ' ';
		fputc(ch, fp);
	}
	fputc('"', fp);
}

struct plot *
plot_open(const char *path, const char *xlabel, const char *ylabel)
{
	struct plot *p = cx_xcalloc(1, sizeof(*p));

	p->path = path;
	if ((p->fp = popen("gnuplot", "w")) == NULL)
		cx_err(CX_EXIT_SYSTEM, "--plot: cannot run gnuplot");
	fprintf(p->fp, "set terminal pngcairo size 960,600 noenhanced\nset output ");
	gquote(p->fp, path, strlen(path));
	fprintf(p->fp, "\nset xlabel \"%s\"\nset ylabel \"%s\"\nset yrange [0:1.02]\n"
	    "set key outside right\nset grid\n", xlabel, ylabel);
	return p;
}

/* One "plot" command with n series; the caller then writes each series' data ending in "e". */
void
plot_begin(struct plot *p, size_t nseries, const char *const *title, const size_t *tlen, int band)
{
	size_t i;

	fprintf(p->fp, "plot ");
	for (i = 0; i < nseries; i++) {
		fprintf(p->fp, "%s'-' using 1:2 with steps lw 2 lc %zu title ", i ? ", " : "", i + 1);
		gquote(p->fp, title[i], tlen[i]);
		if (band)
			fprintf(p->fp, ", '-' using 1:2 with steps dt 2 lc %zu notitle, "
			    "'-' using 1:2 with steps dt 2 lc %zu notitle", i + 1, i + 1);
	}
	fputc('\n', p->fp);
}

void
plot_point(struct plot *p, double x, double y)
{
	if (isnan(y))
		fprintf(p->fp, "%.17g NaN\n", x);
	else
		fprintf(p->fp, "%.17g %.17g\n", x, y);
}

void
plot_end_series(struct plot *p)
{
	fputs("e\n", p->fp);
}

void
plot_close(struct plot *p)
{
	int rc;

	fputs("set output\n", p->fp);
	rc = pclose(p->fp);
	if (rc != 0)
		cx_errx(CX_EXIT_SYSTEM, "--plot: gnuplot failed writing %s (status %d)", p->path, rc);
	free(p);
}
