/* progress: a status line redrawn at most twice a second, on a terminal only. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cxerr.h"
#include "progress.h"

#define CHECK_EVERY	65536	/* rows between clock reads */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void
cx_progress_init(struct cx_progress *p, int quiet)
{
	p->enabled = !quiet && isatty(2);
	p->shown = 0;
	p->next_check = CHECK_EVERY;
	p->start = p->last = p->enabled ? now() : 0.0;
}

void
cx_progress_slow(struct cx_progress *p, uint64_t rows, uint64_t bytes)
{
	double t = now(), secs = t - p->start;

	p->next_check = rows + CHECK_EVERY;
	if (t - p->last < 0.5 || secs < 1.0)
		return;
	p->last = t;
	p->shown = 1;
	fprintf(stderr, "\r%s: %llu rows, %.1f MB/s ", cx_progname(),
	    (unsigned long long)rows, (double)bytes / 1e6 / secs);
}

void
cx_progress_done(struct cx_progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = 0;
}
