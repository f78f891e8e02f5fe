/* test-hashmap: lib/hashmap.h: many keys, insertion order, binary keys. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hashmap.h"

#define NKEYS 100000

struct val {
	long	id;
	double	sum;
};

static int
keyname(char *buf, size_t n, long i)
{
	return snprintf(buf, n, "customer-%ld", i * 7919 % 1000003);
}

static void
test_many_keys(void)
{
	struct cx_hashmap *m = cx_hashmap_new(sizeof(struct val));
	char key[64];
	long i;
	int isnew, bad = 0, len;

	CHECK(m != NULL);
	CHECK_INT(cx_hashmap_count(m), 0);
	CHECK(cx_hashmap_get(m, "x", 1) == NULL);
	for (i = 0; i < NKEYS; i++) {
		struct val *v;

		len = keyname(key, sizeof key, i);
		isnew = -1;
		v = cx_hashmap_put(m, key, (size_t)len, &isnew);
		if (v == NULL || isnew != 1 || v->id != 0 || v->sum != 0.0) {
			bad++;
			continue;
		}
		v->id = i;
		v->sum = (double)i / 2;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(cx_hashmap_count(m), NKEYS);
	/* second put finds the same value, not a new zeroed one */
	for (i = 0; i < NKEYS; i += 3) {
		struct val *v;

		len = keyname(key, sizeof key, i);
		v = cx_hashmap_put(m, key, (size_t)len, &isnew);
		if (v == NULL || isnew != 0 || v->id != i)
			bad++;
		else
			v->sum += 1;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(cx_hashmap_count(m), NKEYS);
	for (i = 0; i < NKEYS; i++) {
		struct val *v;

		len = keyname(key, sizeof key, i);
		v = cx_hashmap_get(m, key, (size_t)len);
		if (v == NULL || v->id != i || v->sum != (double)i / 2 + (i % 3 == 0))
			bad++;
	}
	CHECK_INT(bad, 0);
	/* absent keys, including prefixes and extensions of present ones */
	CHECK(cx_hashmap_get(m, "customer-", 9) == NULL);
	CHECK(cx_hashmap_get(m, "customer-00", 11) == NULL);
	len = keyname(key, sizeof key, 5);
	CHECK(cx_hashmap_get(m, key, (size_t)len - 1) == NULL);
	key[len] = 'x';
	CHECK(cx_hashmap_get(m, key, (size_t)len + 1) == NULL);
	for (i = NKEYS; i < NKEYS + 1000; i++) {
		len = keyname(key, sizeof key, i);
		if (cx_hashmap_get(m, key, (size_t)len) != NULL)
			bad++;
	}
	CHECK_INT(bad, 0);
	cx_hashmap_free(m);
	cx_hashmap_free(NULL);
}

static void
test_order(void)
{
	struct cx_hashmap *m = cx_hashmap_new(sizeof(long));
	char key[64];
	size_t i, klen;
	int len, bad = 0, isnew;

	for (i = 0; i < 5000; i++) {
		long *v;

		len = keyname(key, sizeof key, (long)(4999 - i));
		v = cx_hashmap_put(m, key, (size_t)len, &isnew);
		*v = (long)i;
		/* re-putting an earlier key must not move it */
		if (i > 0) {
			len = keyname(key, sizeof key, 4999);
			cx_hashmap_put(m, key, (size_t)len, &isnew);
		}
	}
	CHECK_INT(cx_hashmap_count(m), 5000);
	for (i = 0; i < cx_hashmap_count(m); i++) {
		const char *k = cx_hashmap_key(m, i, &klen);

		len = keyname(key, sizeof key, (long)(4999 - i));
		if (klen != (size_t)len || memcmp(k, key, klen) != 0 || k[klen] != '\0' ||
		    *(long *)cx_hashmap_value(m, i) != (long)i)
			bad++;
	}
	CHECK_INT(bad, 0);
	/* the value pointer from iteration is the one get returns */
	len = keyname(key, sizeof key, 4000);
	CHECK(cx_hashmap_get(m, key, (size_t)len) == cx_hashmap_value(m, 999));
	cx_hashmap_free(m);
}

static void
test_binary_keys(void)
{
	struct cx_hashmap *m = cx_hashmap_new(sizeof(int));
	static const char k1[] = "a\0b", k2[] = "a\0c", k3[] = "a";
	unsigned char bytes[256];
	size_t klen, i;
	int *v, isnew;

	*(int *)cx_hashmap_put(m, k1, 3, &isnew) = 1;
	*(int *)cx_hashmap_put(m, k2, 3, &isnew) = 2;
	*(int *)cx_hashmap_put(m, k3, 1, &isnew) = 3;
	*(int *)cx_hashmap_put(m, "", 0, &isnew) = 4;
	CHECK_INT(isnew, 1);
	CHECK_INT(cx_hashmap_count(m), 4);
	v = cx_hashmap_get(m, k1, 3);
	CHECK(v != NULL && *v == 1);
	v = cx_hashmap_get(m, k2, 3);
	CHECK(v != NULL && *v == 2);
	v = cx_hashmap_get(m, "a", 1);
	CHECK(v != NULL && *v == 3);
	v = cx_hashmap_get(m, "", 0);
	CHECK(v != NULL && *v == 4);
	CHECK(cx_hashmap_get(m, "a\0", 2) == NULL);
	CHECK(memcmp(cx_hashmap_key(m, 1, &klen), k2, 3) == 0 && klen == 3);
	/* every byte value, and high bytes, in keys */
	for (i = 0; i < 256; i++)
		bytes[i] = (unsigned char)(255 - i);
	for (i = 1; i <= 256; i++) {
		v = cx_hashmap_put(m, (const char *)bytes, i, &isnew);
		CHECK(v != NULL && isnew == 1);
		*v = (int)i;
	}
	for (i = 1; i <= 256; i++) {
		v = cx_hashmap_get(m, (const char *)bytes, i);
		CHECK(v != NULL && *v == (int)i);
	}
	CHECK_INT(cx_hashmap_count(m), 4 + 256);
	cx_hashmap_free(m);
}

static void
test_zero_vsize(void)
{
	/* a set: no value bytes, but put/get still tell present from absent */
	struct cx_hashmap *m = cx_hashmap_new(0);
	int isnew;

	CHECK(cx_hashmap_put(m, "k", 1, &isnew) != NULL && isnew == 1);
	CHECK(cx_hashmap_put(m, "k", 1, &isnew) != NULL && isnew == 0);
	CHECK(cx_hashmap_get(m, "k", 1) != NULL);
	CHECK(cx_hashmap_get(m, "j", 1) == NULL);
	CHECK(cx_hashmap_put(m, "j", 1, NULL) != NULL);
	CHECK_INT(cx_hashmap_count(m), 2);
	cx_hashmap_free(m);
}

static void
test_hash(void)
{
	/* only determinism is promised (outputs that iterate in hash order would
	 * otherwise differ between runs) */
	uint64_t a = cx_hash_bytes("customer-1", 10), b = cx_hash_bytes("customer-2", 10);

	CHECK(a != b);
	CHECK(cx_hash_bytes("customer-1", 10) == a);
	CHECK(cx_hash_bytes("", 0) == cx_hash_bytes("x", 0));
}

int
main(void)
{
	RUN(test_many_keys);
	RUN(test_order);
	RUN(test_binary_keys);
	RUN(test_zero_vsize);
	RUN(test_hash);
	return check_done();
}
