/*
 * rejects: the --rejects file: "line" and "reason" columns, then each bad input
 * row unchanged (a ragged row stays ragged), written through outfile (whole or
 * not at all).  If the input has a column called line or reason, ours gets a
 * leading underscore ("_line"), so that every column name stays unique.
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

/* Open path and write the header (line,reason + input names).  0 or -1/errno. */
int	cx_rejects_open(struct cx_rejects *, const char *path, const struct cx_csvin *);
/* Write the line and reason, then the record as read. */
void	cx_rejects_write(struct cx_rejects *, const struct cx_record *, const char *reason);
/* 0, or -1 with errno (write error). */
int	cx_rejects_commit(struct cx_rejects *);
void	cx_rejects_abort(struct cx_rejects *);

#endif /* CX_REJECTS_H */
