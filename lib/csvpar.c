/*
 * csvpar: the walk over the parts (see csvpar.h).  Part i runs from off[i] to
 * off[i + 1].  There are several parts per thread, claimed from both ends:
 * the caller's reader reads parts 0, 1, 2... in order, the workers take parts
 * from the last one down, so a faster processor (or a less busy one: on
 * shared machines they differ) simply reads more parts.  When the two meet,
 * the caller's reader is paused at the start of the first worker part, and
 * takes the workers' results in file order: part i is kept when the pause
 * fell between records, the worker read part i to its end without giving up
 * and ended between records (or at the end of the file), and the caller's
 * merge accepts it; the reader then jumps to the next part.  Otherwise it
 * reads part i itself.
 */
#define _GNU_SOURCE		/* sched_getaffinity: the processors we may use */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvpar.h"
#include "cxerr.h"
#include "joiner.h"

#define MAX_PARTS	256	/* parts in all */
#define PER_THREAD	8	/* parts per thread, for the balance */

struct part {
	void		*st;		/* the worker's state, or NULL */
	int		 done;		/* the worker is finished with it */
	int		 ok;		/* keep the result */
	unsigned long	 lines;		/* physical lines the part holds */
};

struct run {
	const struct cx_csvpar *ops;
	struct cx_csvin	*whole;
	const uint64_t	*off;
	size_t		 k;		/* parts */
	struct part	 part[MAX_PARTS];
	/* under mu */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;		/* a part is done */
	size_t		 front;		/* the next part for the caller's reader */
	size_t		 back;		/* the workers' next part, + 1 (0: none) */
	int		 stop;		/* exit: claim no more */
};

struct worker {
	struct run	*run;
	struct cx_csvin	*in;		/* the part being read (under run->mu) */
	struct cx_joiner joiner;	/* the thread, joined at exit too */
};

size_t
cx_csvpar_default_threads(void)
{
	cpu_set_t set;
	long n;

	/* the processors this process may run on (taskset, cpusets), as nproc
	 * counts them; else those online */
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (size_t)n;
}

/* A tool exits at the first bad row it reads while workers still read theirs:
 * at exit they are cancelled and joined (lib/joiner.h). */
static void
cancel(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->run->mu);
	w->run->stop = 1;
	if (w->in != NULL)
		cx_csvin_cancel(w->in);
	pthread_mutex_unlock(&w->run->mu);
}

/* Read part i into a new state; the result goes to run->part[i]. */
static void
read_part(struct worker *w, size_t i)
{
	struct run *run = w->run;
	const struct cx_csvpar *ops = run->ops;
	struct part *p = &run->part[i];
	int last = i + 1 == run->k, ok = 0, paused;
	struct cx_csvin *in = cx_csvin_part(run->whole, run->off[i], last ? 0 : run->off[i + 1]);

	pthread_mutex_lock(&run->mu);
	w->in = run->stop ? NULL : in;
	pthread_mutex_unlock(&run->mu);
	if (w->in != NULL && (p->st = ops->part_new(ops->ctx)) != NULL &&
	    ops->part_read(ops->ctx, p->st, in) == 0) {
		paused = cx_csvin_paused(in);
		ok = last ? paused == 0 : paused == 1;
		p->lines = cx_csvin_line(in) - 1;
	}
	pthread_mutex_lock(&run->mu);
	w->in = NULL;
	p->ok = ok;
	p->done = 1;
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	cx_csvin_free(in);
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&run->mu);
		if (run->stop || run->back <= run->front) {
			pthread_mutex_unlock(&run->mu);
			return NULL;
		}
		i = --run->back;
		pthread_mutex_unlock(&run->mu);
		read_part(w, i);
	}
}

/* The caller's reader: part 0, then 1, 2... while no worker has them.
 * 0, or CX_E* (the file changed under us). */
static int
read_front(struct run *run, struct cx_csvin *in)
{
	int rc;

	run->ops->read(run->ops->ctx, in);
	for (;;) {
		size_t i;

		pthread_mutex_lock(&run->mu);
		if (run->front >= run->back) {
			pthread_mutex_unlock(&run->mu);
			return 0;
		}
		i = run->front++;
		pthread_mutex_unlock(&run->mu);
		/* in is paused at off[i]: go on to the end of part i */
		if ((rc = cx_csvin_limit(in, i + 1 < run->k ? run->off[i + 1] : 0)) != 0)
			return rc;
		run->ops->read(run->ops->ctx, in);
	}
}

/* Take the workers' parts, from run->front on, in file order. */
static int
take_parts(struct run *run, struct cx_csvin *in)
{
	const struct cx_csvpar *ops = run->ops;
	int rc = 0;

	for (size_t i = run->front; i < run->k; i++) {
		struct part *p = &run->part[i];
		int last = i + 1 == run->k;

		pthread_mutex_lock(&run->mu);
		while (!p->done)
			pthread_cond_wait(&run->cv, &run->mu);
		pthread_mutex_unlock(&run->mu);
		if (rc == 0 && p->ok && cx_csvin_paused(in) == 1 &&
		    ops->part_merge(ops->ctx, p->st) == 0) {
			if (!last)
				rc = cx_csvin_seek(in, run->off[i + 1], cx_csvin_line(in) + p->lines);
		} else if (rc == 0 && (rc = cx_csvin_limit(in, last ? 0 : run->off[i + 1])) == 0)
			ops->read(ops->ctx, in);
		if (p->st != NULL)
			ops->part_free(ops->ctx, p->st);
		p->st = NULL;
	}
	return rc;
}

int
cx_csvpar_run(struct cx_csvin *in, size_t threads, uint64_t min_part,
    const struct cx_csvpar *ops)
{
	uint64_t off[MAX_PARTS + 1];
	struct worker w[MAX_PARTS / PER_THREAD];
	struct run run;
	const char *env = getenv("CXKIT_PART_BYTES");
	size_t k, i, nw = 0;
	int rc;

	/* tests cut their small files into many parts */
	if (env != NULL && *env != '\0')
		min_part = strtoull(env, NULL, 10);
	if (threads > MAX_PARTS / PER_THREAD)
		threads = MAX_PARTS / PER_THREAD;
	if (threads < 2 || (k = cx_csvin_split(in, threads * PER_THREAD, min_part, off)) < 2 ||
	    cx_csvin_limit(in, off[1]) != 0) {
		ops->read(ops->ctx, in);
		return 0;
	}
	memset(&run, 0, sizeof run);
	run.ops = ops;
	run.whole = in;
	run.off = off;
	run.k = k;
	run.front = 1;		/* part 0 is the caller's */
	run.back = k;
	pthread_mutex_init(&run.mu, NULL);
	pthread_cond_init(&run.cv, NULL);
	for (i = 0; i + 1 < threads; i++) {
		w[nw] = (struct worker){ .run = &run };
		if (pthread_create(&w[nw].joiner.thread, NULL, work, &w[nw]) != 0)
			break;
		w[nw].joiner.stop = cancel;
		w[nw].joiner.arg = &w[nw];
		cx_joiner_add(&w[nw].joiner);
		nw++;
	}
	if ((rc = read_front(&run, in)) == 0)
		rc = take_parts(&run, in);
	for (i = 0; i < nw; i++) {
		cx_joiner_remove(&w[i].joiner);
		pthread_join(w[i].joiner.thread, NULL);
	}
	for (i = 0; i < k; i++)		/* not taken after a failure */
		if (run.part[i].st != NULL)
			ops->part_free(ops->ctx, run.part[i].st);
	pthread_mutex_destroy(&run.mu);
	pthread_cond_destroy(&run.cv);
	return rc;
}
