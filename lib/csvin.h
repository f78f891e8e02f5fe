/*
 * csvin: CSV records from files, "-" or stdin, plain or gzip (detected by magic
 * bytes), over libcsv (strict mode) and zlib.  Several files are read in order as
 * one stream; their headers must agree.
 * Ownership: the reader owns every string it returns; a record and the header
 * names stay valid until the next cx_csvin_next() or cx_csvin_free().
 * Nothing here prints or exits: failures return CX_E* (< 0) and leave a message
 * that names the file and line, read with cx_csvin_error().
 */
#ifndef CX_CSVIN_H
#define CX_CSVIN_H

#include <stddef.h>
#include <stdint.h>

struct cx_csvin;				/* opaque */

struct cx_record {
	char		**field;		/* NUL-terminated; writable, borrowed */
	size_t		 *len;			/* byte length of each field */
	size_t		  nfield;
	unsigned long	  line;			/* physical line the record starts on */
	int		  clean;		/* 1: no field holds a comma, quote, CR or LF,
						 * so all can be written unquoted as CSV */
};

/* "canonical=actual" column renames (--col), kept by the caller. */
struct cx_rename {
	const char	*canonical;
	const char	*actual;
};

struct cx_csvin_opts {
	int		 delim;			/* 0 means ',' */
	int		 ws;			/* 1: runs of blanks/tabs separate fields */
	int		 no_header;		/* 1: no header row; names from columns */
	const char	*columns;		/* "a,b,c" names when no_header */
	const struct cx_rename *renames;	/* applied to the header, may be NULL */
	size_t		 nrenames;
	/* 1: read and parse in a second thread while the caller works on the
	 * records before.  It pays only when the caller's work per record is
	 * heavier than parsing it (cx-clv score: 0.65 -> 0.53 s per million
	 * customers): the records cross between the cores' caches, and lighter
	 * callers measured slower with it (cx-ingest 0.38 -> 0.48 s, cx-kpi
	 * 0.35 -> 0.47 s per million calls).  CXKIT_READER_THREAD=0 or =1 in
	 * the environment turns it off or on for every reader. */
	int		 thread;
	/* Called for recoverable oddities (bytes after a gzip stream); may be NULL. */
	void		(*warn)(void *ctx, const char *msg);
	void		*warn_ctx;
};

/* Allocate a reader (options are copied; the strings they point to must live as
 * long as the reader).  NULL only on allocation failure. */
struct cx_csvin	*cx_csvin_new(const struct cx_csvin_opts *);

/* Open the inputs (NULL or "-" is stdin; npaths 0 means stdin) and read the
 * first header.  0 or CX_E*. */
int		 cx_csvin_open(struct cx_csvin *, char *const paths[], size_t npaths);

/* 1 = record filled, 0 = end of all input, CX_E* on error (CX_EDATA for a
 * missing or unreadable file, bad quoting,
 * truncated gzip, I/O, headers that disagree between files). */
int		 cx_csvin_next(struct cx_csvin *, struct cx_record *);

size_t		 cx_csvin_ncols(const struct cx_csvin *);
const char	*cx_csvin_colname(const struct cx_csvin *, size_t i);	/* after renames */
/* Index of the column called name (after renames); -1 if absent. */
int		 cx_csvin_column(const struct cx_csvin *, const char *name);

const char	*cx_csvin_path(const struct cx_csvin *);	/* current file, "stdin" for - */
const char	*cx_csvin_error(const struct cx_csvin *);	/* last message, borrowed */
uint64_t	 cx_csvin_bytes(const struct cx_csvin *);	/* input bytes consumed so far */
void		 cx_csvin_free(struct cx_csvin *);		/* NULL is a no-op */

/*
 * Parts: one large file read by several threads, each part by a reader of its
 * own, the results joined in file order (lib/csvpar.h drives this).  Only an
 * inline reader (no opts.thread) of one plain regular file can be split.
 *
 * cx_csvin_split: right after cx_csvin_open, choose up to want parts of at
 * least min_part bytes: off[0..k] with off[0] = 0, off[k] = the file size, and
 * every other off[i] just past a newline (which may still lie inside a quoted
 * field: see cx_csvin_paused).  Returns k; 1 when the input cannot be split.
 */
size_t		 cx_csvin_split(struct cx_csvin *, size_t want, uint64_t min_part, uint64_t *off);
/* Stop before byte off of the file (0: read to the end): cx_csvin_next then
 * returns 0 as at the end of input.  Called again when paused, it resumes. */
int		 cx_csvin_limit(struct cx_csvin *, uint64_t off);
/* From another thread: make the reader fail soon (at its next chunk). */
void		 cx_csvin_cancel(struct cx_csvin *);
/* 0 not paused, 1 paused between two records, 2 paused inside a record. */
int		 cx_csvin_paused(const struct cx_csvin *);
/* The line the next record starts on. */
unsigned long	 cx_csvin_line(const struct cx_csvin *);
/* From a pause between records, jump to byte off of the file (just after a
 * newline), counting lines from line there; the reader stays paused between
 * records until cx_csvin_limit. */
int		 cx_csvin_seek(struct cx_csvin *, uint64_t off, unsigned long line);
/* A new reader of bytes [begin, end) of whole's file (end 0: to its end), with
 * whole's columns; whole was split (cx_csvin_split gave 2 or more parts) and
 * begin follows a newline; lines count from 1 at begin.  Any thread may call
 * it while whole reads.  NULL when it cannot be had. */
struct cx_csvin	*cx_csvin_part(const struct cx_csvin *whole, uint64_t begin, uint64_t end);

/* Parse "canonical=actual" into r (pointers into arg, which is modified).
 * Returns NULL or a reason. */
const char	*cx_rename_parse(char *arg, struct cx_rename *r);

#endif /* CX_CSVIN_H */
