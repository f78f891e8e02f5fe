/*
 * hist: exact histograms of whole non-negative integers (seconds of wait, of
 * talk), with exact percentiles and an exact, order-independent merge.
 * A histogram starts as a sorted list of (value, count) pairs, so that many
 * small groups stay small; past 128 distinct values, values below
 * CX_HIST_DENSE move to a dense array that grows to the largest one seen, and
 * larger values stay in the sorted list, so that one absurd value cannot
 * allocate gigabytes.
 * Ownership: a struct cx_hist is caller-owned (_init/_fini); the text from
 * cx_hist_format is written into the caller's buffer.  Nothing here prints or
 * exits; allocation failure returns CX_ENOMEM.
 */
#ifndef CX_HIST_H
#define CX_HIST_H

#include <stddef.h>
#include <stdint.h>

#define CX_HIST_DENSE	65536

struct cx_hist_pair {
	uint64_t	value;
	uint64_t	count;
};

struct cx_hist {
	uint64_t		*dense;		/* dense[v] for v < ndense */
	size_t			 ndense, capdense;
	struct cx_hist_pair	*sparse;	/* sorted by value; once dense != NULL,
						   only values >= CX_HIST_DENSE */
	size_t			 nsparse, capsparse;
	uint64_t		 n;		/* total count */
};

void		 cx_hist_init(struct cx_hist *);
void		 cx_hist_fini(struct cx_hist *);
/* Count value v, k times.  0 or CX_ENOMEM. */
int		 cx_hist_add(struct cx_hist *, uint64_t v, uint64_t k);
/* Add every count of src into dst.  0 or CX_ENOMEM. */
int		 cx_hist_merge(struct cx_hist *dst, const struct cx_hist *src);

/*
 * Nearest-rank percentile: the smallest value x such that at least p percent
 * of the counted values are <= x (p in (0, 100]; p <= 0 gives the minimum).
 * Returns 0 and sets *x, or -1 when the histogram is empty.
 */
int		 cx_hist_percentile(const struct cx_hist *, double p, uint64_t *x);
/* Number of counted values <= v. */
uint64_t	 cx_hist_count_le(const struct cx_hist *, uint64_t v);
/* Largest value counted; -1 when empty. */
int		 cx_hist_max(const struct cx_hist *, uint64_t *x);

/*
 * Text form for partial files: "value:count" pairs in increasing value order,
 * separated by spaces ("" for an empty histogram).  cx_hist_format returns a
 * malloc'd string (NULL on ENOMEM) that the caller frees; cx_hist_parse adds
 * the pairs of s to h and returns NULL or a static reason.
 */
char		*cx_hist_format(const struct cx_hist *);
const char	*cx_hist_parse(struct cx_hist *, const char *s);

#endif /* CX_HIST_H */
