/*
 * csvpar: the walk over the parts (see csvpar.h).  Part i runs from off[i] to
 * off[i + 1].  After the caller's reader has read up to off[i], it is paused
 * there; part i's worker result is kept when that pause fell between records
 * and the worker ended paused between records at off[i + 1] (or at the end
 * of the file for the last part).
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "csvpar.h"
#include "cxerr.h"
#include "joiner.h"

#define MAX_PARTS	64

struct worker {
	const struct cx_csvpar *ops;
	struct cx_csvin	*in;		/* the part's own reader, or NULL */
	int		 last;		/* the part runs to the end of the file */
	void		*st;
	struct cx_joiner joiner;	/* the thread, joined at exit too */
	int		 started;
	int		 ok;		/* keep the result */
	unsigned long	 lines;		/* physical lines the part holds */
};

/* A tool exits at the first bad row of its own part while workers still
 * read theirs: at exit they are cancelled and joined (lib/joiner.h). */
static void
cancel(void *arg)
{
	cx_csvin_cancel(arg);
}

size_t
cx_csvpar_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (size_t)n;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	const struct cx_csvpar *ops = w->ops;
	int paused;

	if ((w->st = ops->part_new(ops->ctx)) == NULL)
		return NULL;
	if (ops->part_read(ops->ctx, w->st, w->in) != 0)
		return NULL;
	paused = cx_csvin_paused(w->in);
	w->ok = w->last ? paused == 0 : paused == 1;
	w->lines = cx_csvin_line(w->in) - 1;
	return NULL;
}

int
cx_csvpar_run(struct cx_csvin *in, size_t threads, uint64_t min_part,
    const struct cx_csvpar *ops)
{
	uint64_t off[MAX_PARTS + 1];
	struct worker w[MAX_PARTS];
	const char *env = getenv("CXKIT_PART_BYTES");
	size_t k, i;
	int rc = 0;

	/* tests cut their small files into many parts */
	if (env != NULL && *env != '\0')
		min_part = strtoull(env, NULL, 10);
	if (threads > MAX_PARTS)
		threads = MAX_PARTS;
	if ((k = cx_csvin_split(in, threads, min_part, off)) < 2 ||
	    cx_csvin_limit(in, off[1]) != 0) {
		ops->read(ops->ctx, in);
		return 0;
	}
	for (i = 1; i < k; i++) {
		w[i] = (struct worker){ .ops = ops, .last = i + 1 == k };
		/* made here, not in the worker: they read in's names */
		w[i].in = cx_csvin_part(in, off[i], w[i].last ? 0 : off[i + 1]);
		if (w[i].in != NULL &&
		    pthread_create(&w[i].joiner.thread, NULL, work, &w[i]) == 0) {
			w[i].started = 1;
			w[i].joiner.stop = cancel;
			w[i].joiner.arg = w[i].in;
			cx_joiner_add(&w[i].joiner);
		}
	}
	ops->read(ops->ctx, in);
	for (i = 1; i < k; i++) {
		if (w[i].started) {
			cx_joiner_remove(&w[i].joiner);
			pthread_join(w[i].joiner.thread, NULL);
		}
		if (rc == 0 && w[i].ok && cx_csvin_paused(in) == 1 &&
		    ops->part_merge(ops->ctx, w[i].st) == 0) {
			unsigned long line = cx_csvin_line(in) + w[i].lines;

			if (!w[i].last)
				rc = cx_csvin_seek(in, off[i + 1], line, i + 2 < k ? off[i + 2] : 0);
		} else if (rc == 0 && (rc = cx_csvin_limit(in, w[i].last ? 0 : off[i + 1])) == 0)
			ops->read(ops->ctx, in);
		if (w[i].st != NULL)
			ops->part_free(ops->ctx, w[i].st);
		cx_csvin_free(w[i].in);
	}
	return rc;
}
