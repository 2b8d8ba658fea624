// SPDX-License-Identifier: GPL-2.0
/*
 * The sorted key arrays; see op25b_keys.h.  One code for both families:
 * a key is read through op25b_key_at() and widened to 128 bits in
 * registers only, so IPv4 keys keep their 32 bits in memory.
 */
#include "op25b_keys.h"

/*
 * The arrays of a family are immutable, so a new table takes the old
 * one's when a batch leaves that family alone (an IPv4 add does not
 * rebuild 10^6 IPv6 prefixes); the last table holding them frees them.
 */
#ifdef __KERNEL__
#include <linux/refcount.h>

struct op25b_share {
	refcount_t refs;
};

static void op25b_share_init(struct op25b_share *sh)
{
	refcount_set(&sh->refs, 1);
}

static void op25b_share_get(struct op25b_share *sh)
{
	refcount_inc(&sh->refs);
}

/* Drops a reference; true if it was the last. */
static bool op25b_share_put(struct op25b_share *sh)
{
	return refcount_dec_and_test(&sh->refs);
}
#else
/* the host build (unit tests, op25bctl, benchmarks) */
struct op25b_share {
	unsigned int refs;
};

static void op25b_share_init(struct op25b_share *sh)
{
	__atomic_store_n(&sh->refs, 1, __ATOMIC_RELAXED);
}

static void op25b_share_get(struct op25b_share *sh)
{
	__atomic_add_fetch(&sh->refs, 1, __ATOMIC_RELAXED);
}

static bool op25b_share_put(struct op25b_share *sh)
{
	return !__atomic_sub_fetch(&sh->refs, 1, __ATOMIC_ACQ_REL);
}
#endif

void op25b_keys_put(struct op25b_keys *k)
{
	if (k->share && !op25b_share_put(k->share))
		return;
	op25b_free(k->share);
	op25b_free(k->addr);
	op25b_free(k->plen);
	op25b_free(k->slot_mem);
	op25b_free(k->ext_mem);
}

static int op25b_keys_alloc(struct op25b_keys *k, u32 n)
{
	/* size 1 at least, so that an empty set is not a failed allocation */
	u32 cap = n ? n : 1;

	k->n = n;
	k->addr = op25b_alloc_array(cap, k->width);
	k->plen = op25b_alloc_array(cap, sizeof(*k->plen));
	k->share = op25b_zalloc(sizeof(*k->share));
	/* owned from now on, even if a sibling allocation failed: the
	 * caller's error path frees the set through the reference
	 */
	if (k->share)
		op25b_share_init(k->share);
	if (!k->addr || !k->plen || !k->share)
		return -ENOMEM;
	return 0;
}

/* The host bits of a prefix of @plen, in a key of @width bytes. */
static __always_inline __uint128_t op25b_host(unsigned int plen, u32 width)
{
	if (width == sizeof(u32))
		return ~op25b_mask4(plen);
	return ~op25b_mask6(plen);
}

static __uint128_t op25b_entry_key(const struct op25b_keys *k,
				   const struct op25b_entry *e)
{
	return k->width == sizeof(u32) ? e->v4 : e->v6;
}

/* Compares entry @i with (@a, @plen), as op25b_entry_cmp() would. */
static int op25b_keys_cmp(const struct op25b_keys *k, u32 i, __uint128_t a,
			  u8 plen)
{
	__uint128_t x = op25b_key_at(k, i);

	if (x != a)
		return x < a ? -1 : 1;
	if (k->plen[i] != plen)
		return k->plen[i] < plen ? -1 : 1;
	return 0;
}

/* The first index >= @i whose entry is not below @e (galloping search). */
static inline u32 op25b_keys_seek(const struct op25b_keys *k, u32 i,
				  const struct op25b_entry *e)
{
	__uint128_t a;
	u64 lo = i, hi, step = 1;

	/* at the end already: every entry of a load into an empty table */
	if (lo >= k->n)
		return i;
	a = op25b_entry_key(k, e);
	if (op25b_keys_cmp(k, lo, a, e->plen) >= 0)
		return i;
	/* entry lo is below e: find hi not below it, then bisect */
	for (;;) {
		hi = lo + step;
		if (hi >= k->n || op25b_keys_cmp(k, hi, a, e->plen) >= 0)
			break;
		lo = hi;
		step *= 2;
	}
	if (hi > k->n)
		hi = k->n;
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (op25b_keys_cmp(k, mid, a, e->plen) < 0)
			lo = mid;
		else
			hi = mid;
	}
	return (u32)hi;
}

/* Whether each entry of @b can be added (is not in @k) or deleted (is). */
static enum op25b_table_err op25b_keys_check(const struct op25b_keys *k,
					     enum op25b_table_op op,
					     const struct op25b_entry *b,
					     u32 nb, u32 *bad_pos)
{
	u32 i = 0, j, p;
	bool found;

	for (j = 0; j < nb; j++) {
		p = op25b_keys_seek(k, i, &b[j]);
		found = p < k->n &&
			!op25b_keys_cmp(k, p, op25b_entry_key(k, &b[j]),
					b[j].plen);
		/* an add may refresh an entry (op25b_table_apply()) */
		if (found == (op == OP25B_OP_ADD) && !b[j].refresh) {
			*bad_pos = b[j].pos;
			return found ? OP25B_TERR_EXISTS : OP25B_TERR_MISSING;
		}
		i = p + found;
	}
	return OP25B_TERR_NONE;
}

/* Copies entries [i, p) of @old to position @n of @k. */
static void op25b_keys_copy(struct op25b_keys *k, u32 n,
			    const struct op25b_keys *old, u32 i, u32 p)
{
	size_t w = k->width;

	memcpy((u8 *)k->addr + n * w, (const u8 *)old->addr + i * w,
	       (p - i) * w);
	memcpy(k->plen + n, old->plen + i, (p - i) * sizeof(*k->plen));
}

static void op25b_keys_set(struct op25b_keys *k, u32 n,
			   const struct op25b_entry *e)
{
	if (k->width == sizeof(u32))
		((u32 *)k->addr)[n] = e->v4;
	else
		((__uint128_t *)k->addr)[n] = e->v6;
	k->plen[n] = e->plen;
}

/*
 * The new entries: runs of old entries copied whole between the batch's
 * positions, so that a small batch on a big set costs two memcpy()s.
 * A first walk only checks, so that an error leaves before allocating.
 */
enum op25b_table_err op25b_keys_merge(const struct op25b_keys *old,
				      enum op25b_table_op op,
				      const struct op25b_entry *b, u32 nb,
				      struct op25b_keys *k, u32 *bad_pos)
{
	enum op25b_table_err err;
	u32 i, j, n = 0, p, nref = 0;

	if (!nb) {
		/* unchanged: the same arrays, one more reference */
		*k = *old;
		if (k->share)
			op25b_share_get(k->share);
		return OP25B_TERR_NONE;
	}
	err = op25b_keys_check(old, op, b, nb, bad_pos);
	if (err)
		return err;
	for (j = 0; j < nb; j++)
		nref += b[j].refresh;
	if (op25b_keys_alloc(k, op == OP25B_OP_ADD ? old->n + nb - nref :
						     old->n - nb))
		return OP25B_TERR_NOMEM;
	for (i = 0, j = 0; j <= nb; j++) {
		p = j < nb ? op25b_keys_seek(old, i, &b[j]) : old->n;
		if (p > i) {
			op25b_keys_copy(k, n, old, i, p);
			n += p - i;
			i = p;
		}
		if (j == nb)
			break;
		/* a merge of 10^6 entries must not hog the CPU */
		if (!(j & 0xffff))
			op25b_cond_resched();
		/* a refreshed entry: the batch's copy replaces the old */
		if (op == OP25B_OP_DEL || b[j].refresh)
			i++;
		if (op == OP25B_OP_ADD)
			op25b_keys_set(k, n++, &b[j]);
	}
	return OP25B_TERR_NONE;
}

static __always_inline void op25b_iv_set(void *iv, u32 i, __uint128_t s,
					 __uint128_t e, u32 width)
{
	struct op25b_iv4 *v4 = iv;
	struct op25b_iv6 *v6 = iv;

	if (width == sizeof(u32)) {
		v4[i].s = (u32)s;
		v4[i].e = (u32)e;
	} else {
		v6[i].s = s;
		v6[i].e = e;
	}
}

/* Inlined with @width a constant: a copy for each family, without tests. */
static __always_inline u32 op25b_cover(const struct op25b_keys *k, void *iv,
				       u32 width)
{
	__uint128_t s = 0, e = 0, lo, hi;
	u32 i, n = 0;

	for (i = 0; i < k->n; i++) {
		lo = op25b_key(k->addr, i, width);
		hi = lo | op25b_host(k->plen[i], width);
		/* entries are sorted by start: merge overlap and adjacency */
		if (n && (!op25b_below(e, lo, width) ||
			  !op25b_below(e, lo - 1, width))) {
			if (op25b_below(e, hi, width))
				e = hi;
			continue;
		}
		if (n)
			op25b_iv_set(iv, n - 1, s, e, width);
		s = lo;
		e = hi;
		n++;
	}
	if (n)
		op25b_iv_set(iv, n - 1, s, e, width);
	return n;
}

u32 op25b_keys_cover(const struct op25b_keys *k, void *iv)
{
	if (k->width == sizeof(u32))
		return op25b_cover(k, iv, sizeof(u32));
	return op25b_cover(k, iv, sizeof(__uint128_t));
}

/* Index of the first entry >= (a, plen), by binary search. */
static u32 op25b_keys_lower(const struct op25b_keys *k, __uint128_t a,
			    u8 plen)
{
	u32 lo = 0, hi = k->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (op25b_keys_cmp(k, mid, a, plen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

u32 op25b_keys_index(const struct op25b_keys *k, __uint128_t a, u8 plen)
{
	u32 i = op25b_keys_lower(k, a, plen);

	return i < k->n && !op25b_keys_cmp(k, i, a, plen) ? i : k->n;
}

u32 op25b_keys_find(const struct op25b_keys *k, __uint128_t a)
{
	int plen;

	for (plen = 8 * k->width; plen >= 0; plen--) {
		__uint128_t key = a & ~op25b_host(plen, k->width);
		u32 i = op25b_keys_lower(k, key, plen);

		if (i < k->n && !op25b_keys_cmp(k, i, key, plen))
			return i;
	}
	return k->n;
}
