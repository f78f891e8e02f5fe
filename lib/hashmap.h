/*
 * hashmap: string keys to fixed-size values, open addressing, for per-group and
 * per-customer state.  Keys are copied into an arena owned by the map; value
 * pointers stay valid until the next insertion (which may grow the table).
 */
#ifndef CX_HASHMAP_H
#define CX_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

struct cx_hashmap;

/* vsize bytes of zeroed value per key.  NULL on allocation failure. */
struct cx_hashmap *cx_hashmap_new(size_t vsize);
/* The value for key, or NULL if absent. */
void		*cx_hashmap_get(const struct cx_hashmap *, const char *key, size_t len);
/* The value for key, inserted zeroed if absent (*isnew set).  NULL on ENOMEM. */
void		*cx_hashmap_put(struct cx_hashmap *, const char *key, size_t len, int *isnew);
size_t		 cx_hashmap_count(const struct cx_hashmap *);
/* Iterate in insertion order: i from 0 to count-1. */
const char	*cx_hashmap_key(const struct cx_hashmap *, size_t i, size_t *len);
void		*cx_hashmap_value(const struct cx_hashmap *, size_t i);
void		 cx_hashmap_free(struct cx_hashmap *);	/* NULL no-op */
uint64_t	 cx_hash_bytes(const void *, size_t);	/* 64-bit, word at a time */

#endif /* CX_HASHMAP_H */
