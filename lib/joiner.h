/*
 * joiner: threads that must not outlive the process's exit.  Tools exit(3) on
 * bad data from wherever they are; a registered thread is then told to stop
 * and joined by an exit handler, so that nothing runs while the process ends
 * (and memory checkers see no thread lost).  Only the thread that registered
 * a joiner joins it at exit; an exit from another thread leaves it to the end
 * of the process.
 */
#ifndef CX_JOINER_H
#define CX_JOINER_H

#include <pthread.h>

struct cx_joiner {
	pthread_t	  thread;	/* set before cx_joiner_add's caller starts it */
	void		(*stop)(void *arg);	/* make the thread end soon */
	void		 *arg;
	/* private */
	pthread_t	  owner;
	struct cx_joiner *next;
};

/* Register j (its thread about to run, or running), owned by this thread. */
void	cx_joiner_add(struct cx_joiner *j);
/* Unregister j before the caller joins its thread itself. */
void	cx_joiner_remove(struct cx_joiner *j);

#endif /* CX_JOINER_H */
