/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lookup tables: sets of IPv4 and IPv6 prefixes and interface patterns.
 *
 * A table is immutable once built.  Writers build a new table from the
 * old one plus a batch of changes and publish it with RCU, so a lookup
 * never takes a lock and never sees a half-applied batch.
 *
 * Each family keeps two views of the same prefixes:
 *  - the entries, sorted by (address, prefix length): what the operator
 *    added, for listing, exact add/delete and "which entry matched";
 *  - the coverage: the union of all prefixes as sorted, disjoint,
 *    non-adjacent closed intervals, which is all a membership test needs.
 *    Overlapping prefixes collapse here, and deleting one restores
 *    exactly what the remaining entries cover, because the coverage is
 *    recomputed from the entries.
 * A lookup reads the coverage through a tree of slot arrays: a top-level
 * array of buckets (IPv4 tables of 64 to 2^15 intervals: a fixed one of
 * 2^16, indexed by the address's upper half; else laid evenly over the
 * covered span), and below a bucket holding many intervals (clustered
 * prefixes) a child array over that bucket alone, and so on.  A slot
 * answers by itself when its bucket holds at most one interval (one
 * compare); otherwise it points at a leaf (a few intervals in one or two
 * cache lines, binary search without branches) or at a child array.  See
 * op25b_lookup.c.
 *
 * This file is plain C shared by the module and the host-side tests.
 */
#ifndef OP25B_TABLE_H
#define OP25B_TABLE_H

#include "op25b_entry.h"

/*
 * A slot of the lookup tree, for a bucket of 2^sh addresses starting at
 * bs, a multiple of 2^sh (sh: the shift of the array holding the slot).
 * By its y:
 *  - y < LEAF: direct.  IPv4: a is covered iff a - x < y: the interval
 *    of x and the y addresses after it (none when y = 0).  IPv6: a is
 *    covered iff key - x <= y, where key is the low 64 bits of a when
 *    sh < 64, the high 64 bits when sh >= 64 (the bucket then holds
 *    whole /64s); none when x = key(bs) - 1 and y = 0.  That is one
 *    interval of the bucket.
 *  - LEAF <= y < NODE: a leaf of 2^(y & 31) sorted intervals at ext[x]
 *    (IPv4: 2 to OP25B_LEAF4, one cache line at most), one per slot, as
 *    in a direct slot: the one for a is the last with x <= key.  On IPv6
 *    with WIDE set, one per two slots instead, v = start then v = end,
 *    for intervals a direct slot cannot hold.
 *  - y >= NODE: a child array with shift csh = y & 127.  IPv4: over the
 *    bucket, the child slot of a is ext[(u32)(x + (a >> csh))].  IPv6:
 *    over a window of 2^c child buckets in the bucket, c = (y >> 8) & 31,
 *    holding all it covers: j = (u32)(a >> csh) - (x >> 32), and a is
 *    covered iff j < 2^c and ext[(u32)x + j] covers it.
 */
#define OP25B_SLOT4_LEAF	0x80000000U
#define OP25B_SLOT4_NODE	0xc0000000U
#define OP25B_SLOT6_LEAF	0x8000000000000000ULL
#define OP25B_SLOT6_NODE	0xc000000000000000ULL
#define OP25B_SLOT6_WIDE	0x40U
/* slots of an IPv4 leaf, at most */
#define OP25B_LEAF4		8
/*
 * The fixed IPv4 top level (OP25B_TOP4_DIRECT and OP25B_TOP4_NODES):
 * 2^16 buckets of 2^16 addresses, the slot of a at a >> 16.
 */
#define OP25B_TOP4_SHIFT	16
#define OP25B_TOP4_SLOTS	(1U << (32 - OP25B_TOP4_SHIFT))

/*
 * The kinds of IPv4 top level (struct op25b_set4's kind):
 *  - SPAN: top is ntop slots (struct op25b_slot4) of 2^shift addresses
 *    from base; ntop 0 (a zeroed set) covers nothing;
 *  - DIRECT: top is the fixed level as two arrays, the x of slot j at
 *    top[j], its y at top[OP25B_TOP4_SLOTS + j];
 *  - NODES: every bucket of the fixed level has a child array of
 *    2^(16 - shift) slots, of which top[j] holds only the x: the child
 *    slot of a is ext[(u32)(top[a >> 16] + (a >> shift))].  For clustered
 *    prefixes, where most buckets would need one anyway: the path of
 *    every lookup is then the same, and its branches always go one way.
 */
enum op25b_top4_kind {
	OP25B_TOP4_SPAN,
	OP25B_TOP4_DIRECT,
	OP25B_TOP4_NODES,
};

struct op25b_slot4 {
	u32 x, y;
};

union op25b_slot6 {
	struct {
		u64 x, y;
	};
	__uint128_t v;		/* in a leaf: an interval's start or end */
};

struct op25b_share;

/*
 * What the control path keeps of one family, the same for both: the
 * entries sorted by (address, prefix length), each key in its family's
 * width (an IPv4 prefix costs 4 bytes of key, not 16), and the size and
 * memory of the lookup tree built from them.  See op25b_keys.h.
 */
struct op25b_keys {
	u32 n;			/* entries */
	u32 width;		/* bytes of a key: 4 (IPv4) or 16 (IPv6) */
	void *addr;		/* the keys, host order */
	u8 *plen;
	u32 niv;		/* coverage intervals */
	u32 next;		/* slots in ext */
	void *slot_mem;		/* the top level */
	void *ext_mem;		/* child arrays and leaves */
	struct op25b_share *share;	/* the owners of all these arrays */
};

/* Key @i of @addr, keys of @width bytes. */
static __always_inline __uint128_t op25b_key(const void *addr, u32 i,
					     u32 width)
{
	if (width == sizeof(u32))
		return ((const u32 *)addr)[i];
	return ((const __uint128_t *)addr)[i];
}

/* The key of entry @i. */
static inline __uint128_t op25b_key_at(const struct op25b_keys *k, u32 i)
{
	return op25b_key(k->addr, i, k->width);
}

/* What op25b_set4_has() reads; the arrays belong to the family's keys. */
struct op25b_set4 {
	const void *top;	/* the top level, as kind says */
	const struct op25b_slot4 *ext;	/* child arrays and leaves */
	u32 kind;		/* enum op25b_top4_kind */
	u32 shift;		/* SPAN: of the top level; NODES: of its children */
	u32 base;		/* SPAN: first address of top-level bucket 0 */
	u32 ntop;		/* SPAN: top-level buckets; 0: nothing is covered */
};

struct op25b_set6 {
	__uint128_t base;
	u32 shift;
	u32 ntop;
	union op25b_slot6 *slot;
	union op25b_slot6 *ext;
};

struct op25b_iif {
	char name[IFNAMSIZ];	/* zero padded */
	u8 len;			/* bytes to compare */
	u8 wildcard;		/* name ended in '+' */
};

/* An entry's timeout and expiry (see struct op25b_entry). */
struct op25b_ttl {
	u64 expires;
	u32 timeout;		/* 0: the entry is permanent */
};

/*
 * Comments and timeouts are for operators and the expiry work, never for
 * packets: they live beside the entries, so a lookup never touches them
 * and a table without them pays nothing.  note[i] is the offset in notes
 * of entry i's comment (listing order), 0 for none (notes[0] is "");
 * ttl[i] is entry i's timeout.
 */
struct op25b_table {
	/* what lookups read, in the first cache line (but v6.ext) */
	struct op25b_set4 v4;
	struct op25b_set6 v6;
	struct op25b_keys keys4;
	struct op25b_keys keys6;
	u32 niif;
	struct op25b_iif *iif;
	u32 *note;		/* NULL when no entry has a comment */
	char *notes;
	u32 notes_len;
	struct op25b_ttl *ttl;	/* NULL when no entry has a timeout */
	u32 ntimed;		/* entries with a timeout */
	u64 next_expiry;	/* the earliest of their expiries */
};

enum op25b_table_op {
	OP25B_OP_ADD,
	OP25B_OP_DEL,
};

struct op25b_table *op25b_table_new(void);
void op25b_table_free(struct op25b_table *t);

/*
 * Builds in *out the table @old with @batch added or deleted.  The batch
 * is sorted in place.  On error returns the reason, sets *bad_pos to the
 * failing entry's pos (when one entry is to blame) and leaves @old as is.
 * @max bounds the entries of the new table.
 */
enum op25b_table_err op25b_table_apply(const struct op25b_table *old,
				       enum op25b_table_op op,
				       struct op25b_entry *batch, u32 n,
				       u32 max, struct op25b_table **out,
				       u32 *bad_pos);

/*
 * Builds in *out @old without the entries due at @now (expires <= now),
 * as a delete of them would, and counts them per family in @expired
 * (IPv4, IPv6).  On error nothing is built.
 */
enum op25b_table_err op25b_table_expire(const struct op25b_table *old,
					u64 now, struct op25b_table **out,
					u32 expired[2]);

static inline u32 op25b_table_size(const struct op25b_table *t)
{
	return t->keys4.n + t->keys6.n + t->niif;
}

/* Entry @idx in listing order: IPv4, then IPv6, then interfaces. */
void op25b_table_get(const struct op25b_table *t, u32 idx,
		     struct op25b_entry *e);

/* The most specific entry covering an address, for explaining a verdict. */
bool op25b_table_find4(const struct op25b_table *t, u32 a,
		       struct op25b_entry *e);
bool op25b_table_find6(const struct op25b_table *t, __uint128_t a,
		       struct op25b_entry *e);
bool op25b_table_find_iif(const struct op25b_table *t, const char *name,
			  struct op25b_entry *e);

/*
 * Membership tests, the packet path's only use of a table.  Usually one
 * slot read and one compare; a leaf adds a cache line (IPv6: two) and a
 * few conditional moves, each level of child arrays one slot read.
 *
 * An IPv4 table of 64 to 2^15 intervals has a top level of fixed size, so
 * its slot is one load away, with no bounds to check and no variable
 * shift: its index is the address's upper half, loaded as such.  A lookup
 * that it answers then costs fewer instructions than one of a DIR-24-8
 * table (DPDK's rte_lpm), in 512 KiB instead of 64 MiB.  The kind of top
 * level is the same for every lookup of a table, so its test is always
 * predicted.
 */
static __always_inline u32 op25b_top4_index(const u32 *a)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	u16 hi;

	__builtin_memcpy(&hi, (const u8 *)a + sizeof(hi), sizeof(hi));
	return hi;
#else
	return *a >> OP25B_TOP4_SHIFT;
#endif
}

/*
 * Below a slot @e that does not answer alone (e.y >= LEAF): the child
 * arrays, then the leaf, down to the direct slot for @a.
 */
static __always_inline struct op25b_slot4
op25b_set4_deep(const struct op25b_slot4 *t, u32 a, struct op25b_slot4 e)
{
	u32 h, i;

	while (e.y >= OP25B_SLOT4_NODE)
		e = t[e.x + (a >> (e.y & 31))];
	if (e.y >= OP25B_SLOT4_LEAF) {
		/*
		 * 2, 4 or 8 slots: three steps whatever the size (a step of 0
		 * changes nothing), so no branch on it
		 */
		h = (1U << (e.y & 3)) >> 1;
		t += e.x;
		i = t[h].x <= a ? h : 0;
		h >>= 1;
		i += t[i + h].x <= a ? h : 0;
		h >>= 1;
		i += t[i + h].x <= a ? h : 0;
		e = t[i];
	}
	return e;
}

/*
 * Whether *ap (host order) is covered.  Each kind of top level ends in
 * its own compare, so that its usual path is one run of instructions,
 * with no jump taken into another's.
 */
static inline bool op25b_set4_has(const struct op25b_set4 *s, const u32 *ap)
{
	const struct op25b_slot4 *t = s->ext;
	const u32 *top = s->top;
	struct op25b_slot4 e;
	u32 a = *ap, i;

	if (likely(s->kind == OP25B_TOP4_DIRECT)) {
		i = op25b_top4_index(ap);
		e.x = top[i];
		e.y = top[OP25B_TOP4_SLOTS + i];
		if (likely(e.y < OP25B_SLOT4_LEAF))
			return a - e.x < e.y;
	} else if (likely(s->kind == OP25B_TOP4_NODES)) {
		e = t[top[op25b_top4_index(ap)] + (a >> s->shift)];
		if (likely(e.y < OP25B_SLOT4_LEAF))
			return a - e.x < e.y;
	} else {
		i = (a - s->base) >> s->shift;
		if (i >= s->ntop)
			return false;
		e = ((const struct op25b_slot4 *)top)[i];
		if (likely(e.y < OP25B_SLOT4_LEAF))
			return a - e.x < e.y;
	}
	e = op25b_set4_deep(t, a, e);
	return a - e.x < e.y;
}

/*
 * The top level of @s as slots, whatever its kind, for walking the tree:
 * @j of *nb buckets of 2^*sh addresses from *b0.
 */
static inline struct op25b_slot4 op25b_set4_top(const struct op25b_set4 *s,
						u32 j, u32 *nb, u32 *sh,
						u32 *b0)
{
	const u32 *top = s->top;
	struct op25b_slot4 e;

	*nb = s->kind == OP25B_TOP4_SPAN ? s->ntop : OP25B_TOP4_SLOTS;
	*sh = s->kind == OP25B_TOP4_SPAN ? s->shift : OP25B_TOP4_SHIFT;
	*b0 = s->kind == OP25B_TOP4_SPAN ? s->base : 0;
	if (s->kind == OP25B_TOP4_SPAN)
		return ((const struct op25b_slot4 *)s->top)[j];
	e.x = top[j];
	e.y = s->kind == OP25B_TOP4_DIRECT ? top[OP25B_TOP4_SLOTS + j] :
					     OP25B_SLOT4_NODE | s->shift;
	return e;
}

static inline bool op25b_set6_has(const struct op25b_set6 *s, __uint128_t a)
{
	const union op25b_slot6 *t = s->slot;
	__uint128_t i = (a - s->base) >> s->shift;
	u32 sh = s->shift, h, j;
	union op25b_slot6 e;
	u64 key;

	if (i >= s->ntop)
		return false;
	e = t[(u32)i];
	t = s->ext;
	while (unlikely(e.y >= OP25B_SLOT6_LEAF)) {
		if (e.y >= OP25B_SLOT6_NODE) {
			sh = e.y & 127;
			j = (u32)(a >> sh) - (u32)(e.x >> 32);
			if (j >> ((e.y >> 8) & 31))
				return false;
			e = t[(u32)e.x + j];
			continue;
		}
		t += e.x;
		j = 0;
		if (unlikely(e.y & OP25B_SLOT6_WIDE)) {
			for (h = 1U << (e.y & 31); h >>= 1; )
				j = t[2 * (j + h)].v <= a ? j + h : j;
			return (t[2 * j].v <= a) & (a <= t[2 * j + 1].v);
		}
		key = sh >= 64 ? (u64)(a >> 64) : (u64)a;
		for (h = 1U << (e.y & 31); h >>= 1; )
			j = t[j + h].x <= key ? j + h : j;
		e = t[j];
		break;
	}
	key = sh >= 64 ? (u64)(a >> 64) : (u64)a;
	return key - e.x <= e.y;
}

static inline bool op25b_iif_has(const struct op25b_table *t,
				 const char *name)
{
	u32 i;

	for (i = 0; i < t->niif; i++) {
		const struct op25b_iif *p = &t->iif[i];

		if (p->wildcard ? !strncmp(name, p->name, p->len) :
				  !strncmp(name, p->name, IFNAMSIZ))
			return true;
	}
	return false;
}

#endif /* OP25B_TABLE_H */
