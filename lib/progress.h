/*
 * progress: "N rows, X MB/s" on stderr for long runs, only when stderr is a
 * terminal and the tool was not given -q.  Cheap to call for every row.
 */
#ifndef CX_PROGRESS_H
#define CX_PROGRESS_H

#include <stdint.h>

struct cx_progress {
	int		enabled;
	int		shown;		/* something was drawn; clear it at the end */
	uint64_t	next_check;	/* row count at which to look at the clock */
	double		start, last;
};

void	cx_progress_init(struct cx_progress *, int quiet);
void	cx_progress_slow(struct cx_progress *, uint64_t rows, uint64_t bytes);
static inline void
cx_progress_tick(struct cx_progress *p, uint64_t rows, uint64_t bytes)
{
	if (p->enabled && rows >= p->next_check)
		cx_progress_slow(p, rows, bytes);
}
void	cx_progress_done(struct cx_progress *);

#endif /* CX_PROGRESS_H */
