/*
 * csvpar: read one large CSV file on several threads and join the results in
 * file order, for tools whose state merges exactly (per-group sums, counts,
 * histograms: what --partial/merge already relies on).
 *
 * The file is cut into parts just after newlines (cx_csvin_split), up to 8
 * per thread.  The caller's reader reads parts 0, 1, 2... in order while
 * workers take parts from the last one down, each into a state of its own,
 * so a faster processor reads more of the file.  The workers read
 * speculatively: a part is kept only if its worker read it to the end
 * without giving up, the cuts on both sides of it fall between records (a
 * newline inside a quoted field does not), and the caller's merge accepts
 * it.  Otherwise the caller's reader reads that part itself, in order, so bad
 * rows, messages and line numbers are exactly those of a single pass; so is
 * the merged state, when merging is exact.  The caller's reader jumps over
 * each part it keeps.
 */
#ifndef CX_CSVPAR_H
#define CX_CSVPAR_H

#include <stddef.h>
#include <stdint.h>

#include "csvin.h"

struct cx_csvpar {
	/* The caller's read: records from in into its own state until
	 * cx_csvin_next returns 0 (the end, or the next cut); called once per
	 * stretch the caller reads.  It reports bad rows as it always does. */
	void	 (*read)(void *ctx, struct cx_csvin *in);
	/* A worker's state, made in the worker's thread; NULL gives up. */
	void	*(*part_new)(void *ctx);
	/* Read every record of in into st: 0, or -1 to give the part up (a bad
	 * row, an error: anything the caller's read would report or count). */
	int	 (*part_read)(void *ctx, void *st, struct cx_csvin *in);
	/* Add a kept part's state into the caller's, in file order: 0, or -1
	 * (nothing added) when it cannot be joined to what came before; the
	 * caller's reader then reads the part itself. */
	int	 (*part_merge)(void *ctx, void *st);
	void	 (*part_free)(void *ctx, void *st);
	void	 *ctx;
};

/* The threads to use by default: the processors this process may run on
 * (as nproc(1) counts them), at most 8. */
size_t	cx_csvpar_default_threads(void);

/*
 * Read everything in has left (opened, no record taken yet) in up to threads
 * parts of at least min_part bytes; an input that cannot be split (stdin, a
 * pipe, gzip, several files) is read by ops->read alone.  CXKIT_PART_BYTES in
 * the environment overrides min_part, for tests.  Returns 0, or CX_E*
 * with the message in cx_csvin_error(in) (a failed seek of in).
 */
int	cx_csvpar_run(struct cx_csvin *in, size_t threads, uint64_t min_part,
	    const struct cx_csvpar *ops);

#endif /* CX_CSVPAR_H */
