/*
 * hashmap: entries live in insertion order in three growing arrays (key offsets,
 * hashes, values); a power-of-two index of entry numbers is probed linearly.
 * Keys are copied into one arena, so per-key cost is the key plus ~24 bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

struct cx_hashmap {
	size_t		 vsize;
	size_t		 count, cap;	/* entries */
	uint64_t	*hash;
	size_t		*koff, *klen;
	unsigned char	*values;
	char		*arena;
	size_t		 alen, acap;
	uint32_t	*index;		/* entry + 1, 0 = empty */
	size_t		 mask;
};

/*
 * Eight bytes per step: a byte-at-a-time hash (FNV) cost a quarter of a
 * group-by tool's time on short keys.  Each word is mixed in with one multiply
 * and a shift; the finaliser (splitmix64's) spreads every input bit over the
 * low bits that pick the slot.
 */
static uint64_t
load_tail(const unsigned char *s, size_t n)
{
	uint64_t w = 0;

	memcpy(&w, s, n);
	return w;
}

uint64_t
cx_hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x243f6a8885a308d3ULL ^ (n * 0x9e3779b97f4a7c15ULL), w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;
	}
	if (n > 0) {
		h = (h ^ load_tail(s, n)) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

struct cx_hashmap *
cx_hashmap_new(size_t vsize)
{
	struct cx_hashmap *m = calloc(1, sizeof *m);

	if (m == NULL)
		return NULL;
	m->vsize = vsize;
	m->mask = 63;
	if ((m->index = calloc(m->mask + 1, sizeof *m->index)) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

static size_t
find(const struct cx_hashmap *m, const char *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & m->mask;

	for (;; i = (i + 1) & m->mask) {
		uint32_t e = m->index[i];

		if (e == 0)
			return i;
		e--;
		if (m->hash[e] == h && m->klen[e] == len &&
		    memcmp(m->arena + m->koff[e], key, len) == 0)
			return i;
	}
}

void *
cx_hashmap_get(const struct cx_hashmap *m, const char *key, size_t len)
{
	size_t slot = find(m, key, len, cx_hash_bytes(key, len));

	return m->index[slot] ? m->values + (m->index[slot] - 1) * m->vsize : NULL;
}

static int
grow_index(struct cx_hashmap *m)
{
	size_t n = (m->mask + 1) * 2, i;
	uint32_t *idx = calloc(n, sizeof *idx);

	if (idx == NULL)
		return -1;
	free(m->index);
	m->index = idx;
	m->mask = n - 1;
	for (i = 0; i < m->count; i++) {
		size_t s = (size_t)m->hash[i] & m->mask;

		while (idx[s])
			s = (s + 1) & m->mask;
		idx[s] = (uint32_t)(i + 1);
	}
	return 0;
}

static int
grow_entries(struct cx_hashmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	void *p;

	if ((p = realloc(m->hash, cap * sizeof *m->hash)) == NULL)
		return -1;
	m->hash = p;
	if ((p = realloc(m->koff, cap * sizeof *m->koff)) == NULL)
		return -1;
	m->koff = p;
	if ((p = realloc(m->klen, cap * sizeof *m->klen)) == NULL)
		return -1;
	m->klen = p;
	if ((p = realloc(m->values, cap * (m->vsize ? m->vsize : 1))) == NULL)
		return -1;
	m->values = p;
	m->cap = cap;
	return 0;
}

void *
cx_hashmap_put(struct cx_hashmap *m, const char *key, size_t len, int *isnew)
{
	uint64_t h = cx_hash_bytes(key, len);
	size_t slot = find(m, key, len, h), e;
	unsigned char *v;

	if (m->index[slot]) {
		if (isnew)
			*isnew = 0;
		return m->values + (m->index[slot] - 1) * m->vsize;
	}
	if (m->count >= UINT32_MAX - 1)
		return NULL;
	if (m->count == m->cap && grow_entries(m) != 0)
		return NULL;
	if (m->alen + len + 1 > m->acap) {
		size_t cap = m->acap ? m->acap : 4096;
		char *a;

		while (cap < m->alen + len + 1)
			cap *= 2;
		if ((a = realloc(m->arena, cap)) == NULL)
			return NULL;
		m->arena = a;
		m->acap = cap;
	}
	e = m->count++;
	memcpy(m->arena + m->alen, key, len);
	m->arena[m->alen + len] = '\0';
	m->koff[e] = m->alen;
	m->klen[e] = len;
	m->alen += len + 1;
	m->hash[e] = h;
	v = m->values + e * m->vsize;
	memset(v, 0, m->vsize);
	m->index[slot] = (uint32_t)(e + 1);
	/* keep the load factor under 1/2 */
	if (m->count * 2 > m->mask + 1 && grow_index(m) != 0) {
		m->count--;	/* undo: the entry is not reachable */
		m->index[slot] = 0;
		return NULL;
	}
	if (isnew)
		*isnew = 1;
	return v;
}

size_t
cx_hashmap_count(const struct cx_hashmap *m)
{
	return m->count;
}

const char *
cx_hashmap_key(const struct cx_hashmap *m, size_t i, size_t *len)
{
	if (len)
		*len = m->klen[i];
	return m->arena + m->koff[i];
}

void *
cx_hashmap_value(const struct cx_hashmap *m, size_t i)
{
	return m->values + i * m->vsize;
}

void
cx_hashmap_free(struct cx_hashmap *m)
{
	if (m == NULL)
		return;
	free(m->hash);
	free(m->koff);
	free(m->klen);
	free(m->values);
	free(m->arena);
	free(m->index);
	free(m);
}
