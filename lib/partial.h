/*
 * partial: the mergeable partial-result files of DESIGN.md ("Mergeable partial
 * results"), shared by every tool with --partial and a merge mode.
 *
 * A partial is an ordinary CSV.  Its first columns say what made it:
 *   partial_tool,partial_mode,partial_version,opt_NAME...
 * one opt_ column per option that changes the answer, repeated on every row so
 * that partials can be concatenated, split and shuffled by line.  The remaining
 * columns are the tool's own: group keys and typed statistics (integers,
 * round-trip doubles, exact sums as integers, histograms as text).
 *
 * Ownership: struct cx_partial_meta only points at the caller's strings.  A
 * struct cx_partial_in (caller-owned, _init/_fini) borrows the csvin reader and
 * copies the option values of the first row.  Nothing here prints or exits;
 * failures return CX_EDATA (or CX_ENOMEM) with a message naming file, line and
 * column, read with cx_partial_error().
 */
#ifndef CX_PARTIAL_H
#define CX_PARTIAL_H

#include <stddef.h>
#include <stdint.h>

#include "csvin.h"
#include "csvout.h"

#define CX_PARTIAL_OPT_PREFIX	"opt_"

struct cx_partial_meta {
	const char		*tool;		/* "cx-kpi" */
	const char		*mode;		/* "summary" */
	int			 version;	/* bump when the columns change meaning */
	size_t			 nopts;
	const char *const	*optname;	/* without the opt_ prefix */
	const char *const	*optval;	/* canonical text of each value */
};

/* Writer: the header (meta columns, then cols), and the meta fields that start
 * every row (the caller then writes its own fields and ends the row). */
void	cx_partial_write_header(struct cx_csvout *, const struct cx_partial_meta *,
	    const char *const *cols, size_t ncols);
void	cx_partial_write_meta(struct cx_csvout *, const struct cx_partial_meta *);

struct cx_partial_in {
	const struct cx_csvin	*in;
	const char		*tool, *mode;	/* expected, borrowed */
	size_t			 nmeta;		/* 3 + number of opt_ columns */
	size_t			 nopts;
	char			**optname;	/* from the header, without prefix */
	char			**optval;	/* from the first row; NULL before it */
	char			 msg[512];
};

void	cx_partial_init(struct cx_partial_in *);
void	cx_partial_fini(struct cx_partial_in *);

/* Check the header of an opened reader: the meta columns are there and the
 * file is a partial of tool/mode.  0 or CX_EDATA/CX_ENOMEM. */
int	cx_partial_open(struct cx_partial_in *, const struct cx_csvin *,
	    const char *tool, const char *mode);
/* Whether rec repeats the header (partials joined with cat, as GNU parallel or
 * Hadoop Streaming leave them): a merge skips such rows. */
int	cx_partial_is_header(const struct cx_partial_in *, const struct cx_record *);
/* Check one row: same tool, mode and version as expected, and the same option
 * values as the first row read (a partial made with other options is refused,
 * naming the option).  0 or CX_EDATA/CX_ENOMEM. */
int	cx_partial_row(struct cx_partial_in *, const struct cx_record *, int version);
/* The value of option name from the rows read so far; NULL if absent/no row. */
const char *cx_partial_opt(const struct cx_partial_in *, const char *name);
/* Whether the header has opt_name. */
int	cx_partial_has_opt(const struct cx_partial_in *, const char *name);

/* Typed fields of a row: column index col; 0 or CX_EDATA with the message
 * "FILE:LINE: COLUMN: "value" reason". */
int	cx_partial_u64(struct cx_partial_in *, const struct cx_record *, int col, uint64_t *);
int	cx_partial_i64(struct cx_partial_in *, const struct cx_record *, int col, int64_t *);
int	cx_partial_double(struct cx_partial_in *, const struct cx_record *, int col, double *);
/* Record a message about column col of rec with the given reason; returns CX_EDATA. */
int	cx_partial_bad(struct cx_partial_in *, const struct cx_record *, int col, const char *reason);

const char *cx_partial_error(const struct cx_partial_in *);

#endif /* CX_PARTIAL_H */
