/* joiner: the exit handler that stops and joins registered threads. */
#include <stdlib.h>

#include "joiner.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct cx_joiner *live;

/* Tell every thread first, then join: they stop side by side. */
static void
join_all(void)
{
	struct cx_joiner *j, *mine = NULL, *next;

	pthread_mutex_lock(&mu);
	for (j = live; j != NULL; j = next) {
		next = j->next;
		if (pthread_equal(j->owner, pthread_self())) {
			j->stop(j->arg);
			j->next = mine;
			mine = j;
		}
	}
	live = NULL;
	pthread_mutex_unlock(&mu);
	for (j = mine; j != NULL; j = j->next)
		pthread_join(j->thread, NULL);
}

static void
register_handler(void)
{
	atexit(join_all);
}

void
cx_joiner_add(struct cx_joiner *j)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, register_handler);
	j->owner = pthread_self();
	pthread_mutex_lock(&mu);
	j->next = live;
	live = j;
	pthread_mutex_unlock(&mu);
}

void
cx_joiner_remove(struct cx_joiner *j)
{
	struct cx_joiner **pp;

	pthread_mutex_lock(&mu);
	for (pp = &live; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	pthread_mutex_unlock(&mu);
}
