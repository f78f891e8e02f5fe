/*
 * hist: dense counts for small values, a sorted sparse list above CX_HIST_DENSE.
 * Percentiles walk the counts once (O(max value)), which is cheap next to
 * reading the rows that filled the histogram.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"
#include "hist.h"

void
cx_hist_init(struct cx_hist *h)
{
	memset(h, 0, sizeof *h);
}

void
cx_hist_fini(struct cx_hist *h)
{
	free(h->dense);
	free(h->sparse);
	memset(h, 0, sizeof *h);
}

static int
grow_dense(struct cx_hist *h, size_t need)
{
	size_t cap = h->capdense ? h->capdense : 64;
	uint64_t *p;

	while (cap < need)
		cap *= 2;
	if (cap > CX_HIST_DENSE)
		cap = CX_HIST_DENSE;
	p = realloc(h->dense, cap * sizeof *p);
	if (p == NULL)
		return CX_ENOMEM;
	memset(p + h->capdense, 0, (cap - h->capdense) * sizeof *p);
	h->dense = p;
	h->capdense = cap;
	return 0;
}

static int
add_sparse(struct cx_hist *h, uint64_t v, uint64_t k)
{
	size_t lo = 0, hi = h->nsparse;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->sparse[mid].value < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->nsparse && h->sparse[lo].value == v) {
		h->sparse[lo].count += k;
		return 0;
	}
	if (h->nsparse == h->capsparse) {
		size_t cap = h->capsparse ? 2 * h->capsparse : 8;
		struct cx_hist_pair *p = realloc(h->sparse, cap * sizeof *p);
		if (p == NULL)
			return CX_ENOMEM;
		h->sparse = p;
		h->capsparse = cap;
	}
	memmove(h->sparse + lo + 1, h->sparse + lo,
	    (h->nsparse - lo) * sizeof *h->sparse);
	h->sparse[lo].value = v;
	h->sparse[lo].count = k;
	h->nsparse++;
	return 0;
}

/* Small histograms stay sparse (a 15-minute group holds a few dozen calls);
 * past CX_HIST_SPARSE_MAX distinct values the small ones move to the dense array. */
#define CX_HIST_SPARSE_MAX	128

static int
densify(struct cx_hist *h)
{
	size_t keep = 0, top = 0;

	for (size_t i = 0; i < h->nsparse; i++)
		if (h->sparse[i].value < CX_HIST_DENSE)
			top = (size_t)h->sparse[i].value + 1;
	if (grow_dense(h, top > 64 ? top : 64) != 0)
		return CX_ENOMEM;
	for (size_t i = 0; i < h->nsparse; i++) {
		uint64_t v = h->sparse[i].value;
		if (v < CX_HIST_DENSE) {
			h->dense[v] += h->sparse[i].count;
			if (v >= h->ndense)
				h->ndense = (size_t)v + 1;
		} else
			h->sparse[keep++] = h->sparse[i];
	}
	h->nsparse = keep;
	return 0;
}

int
cx_hist_add(struct cx_hist *h, uint64_t v, uint64_t k)
{
	if (k == 0)
		return 0;
	if (h->dense != NULL && v < CX_HIST_DENSE) {
		if (v >= h->capdense && grow_dense(h, (size_t)v + 1) != 0)
			return CX_ENOMEM;
		h->dense[v] += k;
		if (v >= h->ndense)
			h->ndense = (size_t)v + 1;
	} else {
		if (add_sparse(h, v, k) != 0)
			return CX_ENOMEM;
		if (h->dense == NULL && h->nsparse > CX_HIST_SPARSE_MAX && densify(h) != 0)
			return CX_ENOMEM;
	}
	h->n += k;
	return 0;
}

int
cx_hist_merge(struct cx_hist *dst, const struct cx_hist *src)
{
	for (size_t v = 0; v < src->ndense; v++)
		if (src->dense[v] && cx_hist_add(dst, v, src->dense[v]) != 0)
			return CX_ENOMEM;
	for (size_t i = 0; i < src->nsparse; i++)
		if (cx_hist_add(dst, src->sparse[i].value, src->sparse[i].count) != 0)
			return CX_ENOMEM;
	return 0;
}

int
cx_hist_percentile(const struct cx_hist *h, double p, uint64_t *x)
{
	uint64_t rank, seen = 0;
	double r;

	if (h->n == 0)
		return -1;
	/* rank = ceil(p/100 * n), at least 1; computed so that 90% of 10 is 9 exactly. */
	r = p / 100.0 * (double)h->n;
	rank = (uint64_t)r;
	if ((double)rank < r && r - (double)rank > 1e-9 * (double)h->n)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > h->n)
		rank = h->n;
	for (size_t v = 0; v < h->ndense; v++) {
		seen += h->dense[v];
		if (seen >= rank) {
			*x = v;
			return 0;
		}
	}
	for (size_t i = 0; i < h->nsparse; i++) {
		seen += h->sparse[i].count;
		if (seen >= rank) {
			*x = h->sparse[i].value;
			return 0;
		}
	}
	return -1;	/* not reached: counts add up to n */
}

uint64_t
cx_hist_count_le(const struct cx_hist *h, uint64_t v)
{
	uint64_t c = 0;

	for (size_t i = 0; i < h->ndense && i <= v; i++)
		c += h->dense[i];
	for (size_t i = 0; i < h->nsparse && h->sparse[i].value <= v; i++)
		c += h->sparse[i].count;
	return c;
}

int
cx_hist_max(const struct cx_hist *h, uint64_t *x)
{
	if (h->nsparse) {
		*x = h->sparse[h->nsparse - 1].value;
		return 0;
	}
	for (size_t v = h->ndense; v-- > 0;)
		if (h->dense[v]) {
			*x = v;
			return 0;
		}
	return -1;
}

char *
cx_hist_format(const struct cx_hist *h)
{
	size_t cap = 64, len = 0;
	char *s = malloc(cap), *p;

	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < h->ndense + h->nsparse; i++) {
		uint64_t v, c;
		if (i < h->ndense) {
			v = i;
			c = h->dense[i];
			if (c == 0)
				continue;
		} else {
			v = h->sparse[i - h->ndense].value;
			c = h->sparse[i - h->ndense].count;
		}
		if (cap - len < 48) {
			cap *= 2;
			if ((p = realloc(s, cap)) == NULL) {
				free(s);
				return NULL;
			}
			s = p;
		}
		len += (size_t)snprintf(s + len, cap - len, "%s%" PRIu64 ":%" PRIu64,
		    len ? " " : "", v, c);
	}
	return s;
}

const char *
cx_hist_parse(struct cx_hist *h, const char *s)
{
	while (*s) {
		uint64_t v, c;
		char *end;

		if (*s < '0' || *s > '9')
			return "is not a histogram (value:count ...)";
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || *end != ':' || end[1] < '0' || end[1] > '9')
			return "is not a histogram (value:count ...)";
		c = strtoull(end + 1, &end, 10);
		if (errno || (*end != ' ' && *end != '\0'))
			return "is not a histogram (value:count ...)";
		if (cx_hist_add(h, v, c) != 0)
			return "is too large a histogram (out of memory)";
		s = *end ? end + 1 : end;
	}
	return NULL;
}
