/*
 * outfile: an output that appears whole or not at all.  A regular file is
 * written to a temporary file in the same folder and renamed on commit; stdout
 * ("-" or NULL), devices and pipes are written directly.
 */
#ifndef CX_OUTFILE_H
#define CX_OUTFILE_H

#include <stdio.h>

struct cx_outfile {
	FILE	*fp;
	char	*path;		/* final name, NULL for stdout */
	char	*tmp;		/* temporary name, NULL when writing directly */
};

/* 0, or -1 with errno set. */
int	cx_outfile_open(struct cx_outfile *, const char *path);
/* Flush, check for write errors, close, rename.  0, or -1 with errno set
 * (the temporary file is removed). */
int	cx_outfile_commit(struct cx_outfile *);
/* Close and remove the temporary file; safe on an unopened or committed file. */
void	cx_outfile_abort(struct cx_outfile *);

#endif /* CX_OUTFILE_H */
