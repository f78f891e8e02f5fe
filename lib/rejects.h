/*
 * rejects: the --rejects file: each bad input row unchanged, plus "line" and
 * "reason" columns, written through outfile (whole or not at all).
 */
#ifndef CX_REJECTS_H
#define CX_REJECTS_H

#include <stddef.h>

#include "csvin.h"
#include "csvout.h"
#include "outfile.h"

struct cx_rejects {
	struct cx_outfile	 out;
	struct cx_csvout	*csv;
	size_t			 ncols;		/* input columns */
	unsigned long		 count;
};

/* Open path and write the header (input names + line,reason).  0 or -1/errno. */
int	cx_rejects_open(struct cx_rejects *, const char *path, const struct cx_csvin *);
/* Write one record as read, then its line and reason. */
void	cx_rejects_write(struct cx_rejects *, const struct cx_record *, const char *reason);
/* 0, or -1 with errno (write error). */
int	cx_rejects_commit(struct cx_rejects *);
void	cx_rejects_abort(struct cx_rejects *);

#endif /* CX_REJECTS_H */
