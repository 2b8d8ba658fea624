// SPDX-License-Identifier: GPL-2.0
/*
 * The lookup tree and its builders.  One walk over the buckets serves
 * both families, reading the coverage in the keys' width; what goes into
 * a bucket's slot is each family's own: IPv6 has slots of 128 bits, a
 * direct slot comparing one half of the address, windows and wide leaves.
 */
#include "op25b_keys.h"
#include "op25b_lookup.h"

static unsigned int op25b_fls32(u32 x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static unsigned int op25b_fls128(__uint128_t x)
{
	u64 hi = (u64)(x >> 64);

	if (hi)
		return 128 - __builtin_clzll(hi);
	return (u64)x ? 64 - __builtin_clzll((u64)x) : 0;
}

/*
 * ---- The lookup tree ----
 *
 * op25b_build_tree() turns the sorted entries into the coverage (sorted,
 * disjoint, non-adjacent intervals, in a scratch array) and the coverage
 * into the slots that op25b_set4_has()/op25b_set6_has() read (slot
 * encoding in op25b_table.h).  Bucket arrays are aligned: a bucket of 2^sh
 * addresses starts at a multiple of 2^sh, so a child array's index of an address is
 * a bit field of it, and on IPv6 a bucket of 2^64 addresses or more holds
 * whole /64s.
 *
 * A bucket's candidates are the intervals that meet it, clipped to it.
 * By their count k:
 *  - 0 or 1: a direct slot (on IPv6 with sh >= 64, only when the interval
 *    consists of whole /64s; else a leaf of one);
 *  - 2 to OP25B_LEAF4 / OP25B_LEAF6_MAX: a leaf, the k intervals
 *    padded to a power of two with copies of the last, in one cache line
 *    (IPv4) or two (IPv6);
 *  - more: a child array.  IPv4: of 2^c buckets, 2k < 2^c <= 4k, which
 *    always splits them (op25b_place4()).  IPv6: the same if that splits
 *    them (no child bucket keeps more than k / 2) and the depth allows,
 *    else a leaf of all k; and where a bucket can be 2^100 addresses and
 *    the candidates a carrier's /32 in it, a child array that does not
 *    split them covers instead only the aligned block around them (a
 *    window: the rest of the bucket is not covered).
 * Only a bucket holding an interval endpoint can have two candidates or
 * an unaligned one, and each endpoint lies in one bucket per level, so a
 * level of child arrays and leaves takes at most 8 slots per interval
 * (plus alignment); there are at most OP25B_DEPTH_MAX levels.
 *
 * The top level is laid over the covered span, except for IPv4 tables
 * of OP25B_TOP4_MIN to OP25B_TOP4_MAX - 1 intervals, which get a fixed
 * one of 2^16 buckets (op25b_top4_kind(); the kinds in op25b_table.h):
 * in cache, where those tables are read, a lookup's cost is its
 * instructions, and the fixed level saves the range check and the
 * variable shift.  Clustered prefixes (NODES) give every bucket of it a
 * child array of one size, so that every lookup takes the same path.
 *
 * The top-level array is allocated first (its size follows from the
 * coverage); child arrays and leaves go to a second array, grown by
 * doubling and trimmed at the end.  One pass over the buckets, skipping
 * from one interval endpoint to the next: O(buckets + intervals).
 */

/* top-level buckets laid over the span: at most 2^22 (32 or 64 MiB) */
#define OP25B_TOP_BITS_MAX	22
/* intervals of an IPv6 leaf: two 64-byte lines (IPv4: OP25B_LEAF4, one) */
#define OP25B_LEAF6_MAX		4
/*
 * IPv4 tables of OP25B_TOP4_MIN to OP25B_TOP4_MAX - 1 intervals have the
 * fixed top level (512 KiB): smaller ones would not repay it, bigger ones
 * are read from memory rather than cache, where a top level laid over the
 * span with more buckets than the fixed one's answers more lookups alone.
 */
#ifndef OP25B_TOP4_MIN		/* the fuzzer lowers it, to reach them all */
#define OP25B_TOP4_MIN		64
#endif
#define OP25B_TOP4_MAX		(1U << 14)
/*
 * The child arrays of a NODES top level have 2^(fls(m) + 1 +
 * OP25B_NODES4_DENSITY) buckets, m the mean of intervals in the top's
 * buckets that cover anything: 8 to 16 per interval, which the carrier
 * benchmark found best (fewer: more leaves, mispredicted; more: a bigger
 * working set), but all of them together at most OP25B_NODES4_SLOTS slots
 * per interval.
 */
#define OP25B_NODES4_DENSITY	2
#define OP25B_NODES4_SLOTS	32
/* levels of slot arrays, the top level included */
#define OP25B_DEPTH_MAX		8
/* slot arrays start on a cache line, and so do leaves (up to its size) */
#define OP25B_SLOT_ALIGN	64
/* keeps every index, child arithmetic included, in a u32 */
#define OP25B_SLOTS_MAX		0x40000000U

/*
 * IPv4 arrays: 2^x times more buckets than candidates, x by the table's
 * size: small tables are read from cache, where a mispredicted branch (a
 * leaf or a deeper level instead of a direct slot) costs more than the
 * memory, itself small; big ones wait for memory, and a bigger array
 * waits longer.
 */
static unsigned int op25b_density4(u32 niv)
{
	return niv < (1U << 10) ? 4 : niv < (1U << 12) ? 3 :
	       niv < (1U << 15) ? 2 : niv < (1U << 20) ? 1 : 0;
}

/*
 * Top-level buckets laid over the span: about one per interval
 * (2^fls(niv)) for big tables, where a lookup waits for memory and a
 * bigger array waits longer; more for smaller ones, where branch
 * mispredictions (a leaf instead of a direct slot) cost more than the
 * memory, itself small: IPv6 twice, IPv4 2^op25b_density4() times.
 */
static unsigned int op25b_top_bits(u32 niv, bool v6)
{
	unsigned int bits = op25b_fls32(niv);

	bits += v6 ? (niv < (1U << 15) ? 1 : 0) : op25b_density4(niv);
	if (bits < 2)
		bits = 2;
	return bits > OP25B_TOP_BITS_MAX ? OP25B_TOP_BITS_MAX : bits;
}

/* Child buckets for k candidates: 2k < 2^c <= 4k (at most 2^24). */
static unsigned int op25b_child_bits(u32 k)
{
	unsigned int c = op25b_fls32(k) + 1;

	return c > 24 ? 24 : c;
}

/* The first OP25B_SLOT_ALIGN boundary in an allocation padded for it. */
static void *op25b_align(void *p)
{
	uintptr_t a = (uintptr_t)p;

	return (void *)((a + OP25B_SLOT_ALIGN - 1) &
			~(uintptr_t)(OP25B_SLOT_ALIGN - 1));
}

/* An aligned array of slots, grown by doubling: child arrays and leaves. */
struct op25b_pool {
	void *mem;		/* the allocation */
	void *base;		/* its first aligned byte */
	u32 used, cap;		/* slots */
	u32 hint;		/* slots to allocate first */
	u32 size;		/* bytes per slot */
	bool nomem;
};

/*
 * Reserves @n slots at a multiple of @align slots and returns the index of
 * the first.  On failure sets nomem; the build then writes nothing more.
 */
static u32 op25b_pool_take(struct op25b_pool *p, u32 n, u32 align)
{
	u64 at = ((u64)p->used + align - 1) & ~(u64)(align - 1), cap;
	void *mem;

	if (p->nomem)
		return 0;
	if (at + n > p->cap) {
		cap = p->cap ? 2 * (u64)p->cap : p->hint;
		if (cap < at + n)
			cap = at + n;
		if (cap < 64)
			cap = 64;
		if (cap > OP25B_SLOTS_MAX) {
			p->nomem = true;
			return 0;
		}
		mem = op25b_alloc_array(cap + OP25B_SLOT_ALIGN / p->size,
					p->size);
		if (!mem) {
			p->nomem = true;
			return 0;
		}
		if (p->used)
			memcpy(op25b_align(mem), p->base,
			       (size_t)p->used * p->size);
		op25b_free(p->mem);
		p->mem = mem;
		p->base = op25b_align(mem);
		p->cap = cap;
	}
	p->used = at + n;
	return at;
}

/* Gives back the unused tail of @p when it is more than a quarter. */
static void op25b_pool_trim(struct op25b_pool *p)
{
	void *mem;

	if (p->nomem || p->cap - p->used <= p->used / 4)
		return;
	mem = op25b_alloc_array((size_t)p->used + OP25B_SLOT_ALIGN / p->size,
				p->size);
	if (!mem)
		return;		/* keeps the bigger one */
	if (p->used)
		memcpy(op25b_align(mem), p->base, (size_t)p->used * p->size);
	op25b_free(p->mem);
	p->mem = mem;
	p->base = op25b_align(mem);
	p->cap = p->used;
}

/* A tree being built: the coverage, and where its slots go. */
struct op25b_build {
	u32 width;		/* of the keys: 4 (IPv4) or 16 (IPv6) */
	void *iv;		/* the coverage: struct op25b_iv4 or iv6 */
	u32 niv;
	u32 kind4;		/* IPv4: enum op25b_top4_kind */
	unsigned int csh4;	/* IPv4, NODES: the top's children's shift */
	u32 none4;		/* IPv4, NODES: the empty child array, or ~0 */
	__uint128_t base;	/* first address of top-level bucket 0 */
	u32 shift;
	u32 ntop;
	void *top;		/* the top-level slots */
	struct op25b_pool ext;	/* the other slots */
};

/* The first slot of the top level (!ext) or of ext; ext moves as it grows. */
static void *op25b_slots(const struct op25b_build *b, bool ext)
{
	return ext ? b->ext.base : b->top;
}

/* Takes a leaf of @m slots, aligned on a cache line up to its size. */
static void *op25b_pool_leaf(struct op25b_pool *p, u32 m, u32 *at)
{
	u32 line = OP25B_SLOT_ALIGN / p->size;

	*at = op25b_pool_take(p, m, m < line ? m : line);
	return p->nomem ? NULL : (u8 *)p->base + (size_t)*at * p->size;
}

/*
 * The candidates of consecutive buckets of an array: intervals lo to
 * hi - 1 meet the current bucket.  Both only grow along the array.
 */
struct op25b_cands {
	const void *iv;
	u32 width;
	u32 k;			/* intervals */
	u32 lo, hi;
};

/* The start (or @end) of interval @i. */
static __always_inline __uint128_t op25b_cand(const struct op25b_cands *c,
					      u32 i, bool end)
{
	const struct op25b_iv4 *v4 = c->iv;
	const struct op25b_iv6 *v6 = c->iv;

	if (c->width == sizeof(u32))
		return end ? v4[i].e : v4[i].s;
	return end ? v6[i].e : v6[i].s;
}

/* Moves the candidates on to the bucket [bs, be]. */
static __always_inline void op25b_cands_move(struct op25b_cands *c,
					     __uint128_t bs, __uint128_t be)
{
	while (c->lo < c->k && op25b_below(op25b_cand(c, c->lo, true), bs,
					    c->width))
		c->lo++;
	if (c->hi < c->lo)
		c->hi = c->lo;
	while (c->hi < c->k && !op25b_below(be, op25b_cand(c, c->hi, false),
					     c->width))
		c->hi++;
}

/*
 * The next bucket holding an interval endpoint, of the nb buckets of 2^sh
 * from b0, after the current one (ending at be); the buckets in between
 * are all inside an interval (*full) or all outside.
 */
static __always_inline u32 op25b_cands_next(const struct op25b_cands *c,
					    __uint128_t b0, unsigned int sh,
					    __uint128_t be, u32 nb, bool *full)
{
	__uint128_t a, nx;

	*full = c->hi > c->lo &&
		op25b_below(be, op25b_cand(c, c->hi - 1, true), c->width);
	if (!*full && c->hi == c->k)
		return nb;
	a = *full ? op25b_cand(c, c->hi - 1, true) :
		    op25b_cand(c, c->hi, false);
	/* before b0, as after the array, wraps past nb */
	if (c->width == sizeof(u32))
		nx = (u32)((u32)a - (u32)b0) >> sh;
	else
		nx = (a - b0) >> sh;
	return nx > nb ? nb : (u32)nx;
}

/*
 * Bucket @j of 2^sh from b0: its first address, its last in *be.  IPv4's
 * in 32 bits, which its buckets never leave.
 */
static __always_inline __uint128_t op25b_bucket(__uint128_t b0, u32 j,
						unsigned int sh, u32 width,
						__uint128_t *be)
{
	__uint128_t bs;
	u32 bs4;

	if (width == sizeof(u32)) {
		bs4 = (u32)b0 + (j << sh);
		*be = bs4 + ((1U << sh) - 1);
		return bs4;
	}
	bs = b0 + ((__uint128_t)j << sh);
	*be = bs + (((__uint128_t)1 << sh) - 1);
	return bs;
}

/*
 * Largest number of candidates of one bucket, buckets of 2^sh from b0.
 * Inlined, as the walks below, where @width is a constant: each family
 * gets its own copy, reading its intervals without a test.
 */
static __always_inline u32 op25b_crowd(const void *iv, u32 width, u32 k,
				       __uint128_t b0, u32 nb, unsigned int sh)
{
	struct op25b_cands c = { iv, width, k, 0, 0 };
	__uint128_t bs, be;
	u32 j, max = 0;

	for (j = 0; j < nb; j++) {
		bs = op25b_bucket(b0, j, sh, width, &be);
		op25b_cands_move(&c, bs, be);
		if (c.hi - c.lo > max)
			max = c.hi - c.lo;
	}
	return max;
}

static void op25b_fill(struct op25b_build *b, bool ext, u32 at,
		       __uint128_t b0, u32 nb, unsigned int sh, const void *iv,
		       u32 k, unsigned int depth);

/* ---- IPv4 ---- */

/* Writes slot @idx of ext, or of the top level (as its kind lays it). */
static void op25b_put4(struct op25b_build *b, bool ext, u32 idx,
		       struct op25b_slot4 r)
{
	u32 *top = b->top;

	if (b->ext.nomem)
		return;
	if (ext || b->kind4 == OP25B_TOP4_SPAN) {
		((struct op25b_slot4 *)op25b_slots(b, ext))[idx] = r;
		return;
	}
	top[idx] = r.x;
	if (b->kind4 == OP25B_TOP4_DIRECT)
		top[OP25B_TOP4_SLOTS + idx] = r.y;
}

/*
 * A child array of 2^c buckets for the bucket [bs, bs + 2^sh - 1] with
 * candidates iv[0 .. k).  Under a NODES top level the empty buckets
 * share one.
 */
static struct op25b_slot4 op25b_node4(struct op25b_build *b, u32 bs,
				      unsigned int sh,
				      const struct op25b_iv4 *iv, u32 k,
				      unsigned int c, unsigned int depth)
{
	struct op25b_slot4 r;
	u32 at = b->none4;

	if (k || at == ~0U) {
		at = op25b_pool_take(&b->ext, 1U << c, 1);
		if (!k)
			b->none4 = at;
		op25b_fill(b, true, at, bs, 1U << c, sh - c, iv, k, depth + 1);
	}
	r.x = at - (bs >> (sh - c));
	r.y = OP25B_SLOT4_NODE | (sh - c);
	return r;
}

/*
 * The slot of the bucket [bs, bs + 2^sh - 1] with candidates iv[0 .. k):
 * direct for at most one, a leaf for up to OP25B_LEAF4 (padded to a power
 * of two with the last), else a child array of 2^(fls(k) + 1) buckets,
 * which always splits them: each level divides the bucket by 2^5 at
 * least, so that below 2^4 addresses (never more than 8 intervals) a leaf
 * holds them, within OP25B_DEPTH_MAX levels.  Under a NODES top level, a
 * child array of the same size for every bucket.
 */
static struct op25b_slot4 op25b_place4(struct op25b_build *b, u32 bs,
				       unsigned int sh,
				       const struct op25b_iv4 *iv, u32 k,
				       unsigned int depth)
{
	u32 be = bs + ((1U << sh) - 1), j, at;
	struct op25b_slot4 r = { 0, 0 }, *d;
	unsigned int c, lg;

	if (depth == 1 && b->kind4 == OP25B_TOP4_NODES)
		return op25b_node4(b, bs, sh, iv, k, sh - b->csh4, depth);
	if (k == 1) {
		r.x = iv[0].s > bs ? iv[0].s : bs;
		r.y = (iv[0].e < be ? iv[0].e : be) - r.x + 1;
	}
	if (k <= 1 || b->ext.nomem)
		return r;
	if (k > OP25B_LEAF4) {
		c = op25b_child_bits(k);
		if (c > sh || depth + 1 >= OP25B_DEPTH_MAX)
			c = sh;
		return op25b_node4(b, bs, sh, iv, k, c, depth);
	}
	lg = op25b_fls32(k - 1);
	d = op25b_pool_leaf(&b->ext, 1U << lg, &at);
	for (j = 0; d && j < 1U << lg; j++) {
		const struct op25b_iv4 *v = &iv[j < k ? j : k - 1];

		d[j].x = v->s > bs ? v->s : bs;
		d[j].y = (v->e < be ? v->e : be) - d[j].x + 1;
	}
	r.x = at;
	r.y = OP25B_SLOT4_LEAF | lg;
	return r;
}

/*
 * Slots @at + @from .. @at + @to - 1, after the bucket at bs: all covered
 * or none.
 */
static void op25b_run4(struct op25b_build *b, bool ext, u32 at, u32 from,
		       u32 to, u32 bs, unsigned int sh, bool full)
{
	struct op25b_slot4 r = { 0, 0 };
	struct op25b_iv4 v;
	u32 j;

	for (j = from; j < to; j++) {
		bs += 1U << sh;
		if (full) {
			r.x = bs;
			r.y = 1U << sh;
		}
		if (!ext && b->kind4 == OP25B_TOP4_NODES) {
			v.s = bs;
			v.e = bs + ((1U << sh) - 1);
			r = op25b_node4(b, bs, sh, &v, full, sh - b->csh4, 1);
		}
		op25b_put4(b, ext, at + j, r);
	}
}

/* ---- IPv6 ---- */

/* What a direct slot compares: the high half in buckets of 2^64 or more. */
static u64 op25b_key6(__uint128_t a, unsigned int sh)
{
	return sh >= 64 ? (u64)(a >> 64) : (u64)a;
}

/*
 * Shifts of IPv6 bucket arrays: 0 .. 62 (a direct slot's length, below
 * 2^62, fits beside the tags) or 64 .. 126 (compared on the high half);
 * never 63.
 */
static unsigned int op25b_shift6(unsigned int sh)
{
	return sh == 63 ? 62 : sh;
}

/*
 * A child array for a bucket of 2^sh at bs with candidates iv[0 .. k):
 * over the whole bucket if that splits them, else over the aligned block
 * around them (a window: the rest of the bucket is not covered).
 */
static union op25b_slot6 op25b_node6(struct op25b_build *b, __uint128_t bs,
				     unsigned int sh,
				     const struct op25b_iv6 *iv, u32 k,
				     unsigned int depth)
{
	__uint128_t be = bs + (((__uint128_t)1 << sh) - 1), cs, ce, wb = bs;
	unsigned int cb = op25b_child_bits(k), csh, w = sh, c;
	union op25b_slot6 r;
	u32 at;

	csh = op25b_shift6(sh > cb ? sh - cb : 0);
	if (op25b_crowd(iv, sizeof(__uint128_t), k, bs, 1U << (sh - csh),
			csh) > k / 2) {
		/*
		 * The block of 2^w around them, which they split in its
		 * halves: clustered prefixes (a carrier's /32 in a bucket of
		 * 2^100).  A window at most 2^31 child buckets below the
		 * bucket keeps the index arithmetic in a u32; deeper, another
		 * window follows.
		 */
		cs = iv[0].s > bs ? iv[0].s : bs;
		ce = iv[k - 1].e < be ? iv[k - 1].e : be;
		w = op25b_fls128(cs ^ ce);
		csh = w > cb ? w - cb : 0;
		if (csh + 31 < sh)
			csh = sh - 31;
		if (csh == 63)
			csh = sh - 62 <= 31 ? 62 : 64;
		if (w < csh + 1)
			w = csh + 1;
		wb = cs & ~(((__uint128_t)1 << w) - 1);
	}
	c = w - csh;
	at = op25b_pool_take(&b->ext, 1U << c, 1);
	r.x = at | (u64)(u32)(wb >> csh) << 32;
	r.y = OP25B_SLOT6_NODE | c << 8 | csh;
	op25b_fill(b, true, at, wb, 1U << c, csh, iv, k, depth + 1);
	return r;
}

/*
 * A leaf: the k intervals, clipped, as direct slots if they all can be
 * (always below 2^64, else if they consist of whole /64s); else wide,
 * interval j in slots 2j (start) and 2j + 1 (end).
 */
static union op25b_slot6 op25b_leaf6(struct op25b_build *b, __uint128_t bs,
				     unsigned int sh,
				     const struct op25b_iv6 *iv, u32 k)
{
	__uint128_t be = bs + (((__uint128_t)1 << sh) - 1), cs, ce;
	unsigned int lg = op25b_fls32(k - 1);
	union op25b_slot6 r, *d;
	bool wide = false;
	u32 j, at;

	for (j = 0; sh >= 64 && j < k; j++)
		wide |= (iv[j].s > bs && (u64)iv[j].s) ||
			(iv[j].e < be && (u64)~iv[j].e);
	d = op25b_pool_leaf(&b->ext, (1U << lg) << wide, &at);
	for (j = 0; d && j < 1U << lg; j++) {
		const struct op25b_iv6 *v = &iv[j < k ? j : k - 1];

		cs = v->s > bs ? v->s : bs;
		ce = v->e < be ? v->e : be;
		if (wide) {
			d[2 * j].v = cs;
			d[2 * j + 1].v = ce;
		} else {
			d[j].x = op25b_key6(cs, sh);
			d[j].y = op25b_key6(ce, sh) - d[j].x;
		}
	}
	r.x = at;
	r.y = OP25B_SLOT6_LEAF | (wide ? OP25B_SLOT6_WIDE : 0) | lg;
	return r;
}

static union op25b_slot6 op25b_place6(struct op25b_build *b, __uint128_t bs,
				      unsigned int sh,
				      const struct op25b_iv6 *iv, u32 k,
				      unsigned int depth)
{
	__uint128_t be = bs + (((__uint128_t)1 << sh) - 1), cs, ce;
	union op25b_slot6 r;

	r.x = op25b_key6(bs, sh) - 1;
	r.y = 0;
	if (!k || b->ext.nomem)
		return r;
	if (k == 1) {
		cs = iv[0].s > bs ? iv[0].s : bs;
		ce = iv[0].e < be ? iv[0].e : be;
		if (sh < 64 || (!(u64)cs && !(u64)~ce)) {
			r.x = op25b_key6(cs, sh);
			r.y = op25b_key6(ce, sh) - r.x;
			return r;
		}
	}
	if (k > OP25B_LEAF6_MAX && depth < OP25B_DEPTH_MAX)
		return op25b_node6(b, bs, sh, iv, k, depth);
	return op25b_leaf6(b, bs, sh, iv, k);
}

static void op25b_run6(union op25b_slot6 *d, u32 from, u32 to,
		       __uint128_t bs, unsigned int sh, bool full)
{
	u64 step = op25b_key6(((__uint128_t)1 << sh) - 1, sh) + 1;
	u64 x = op25b_key6(bs, sh);
	u32 j;

	/* keys of consecutive buckets differ by step (mod 2^64) */
	for (j = from; j < to; j++) {
		x += step;
		d[j].x = full ? x : x - 1;
		d[j].y = full ? step - 1 : 0;
	}
}

/* ---- both ---- */

/* Places the slot @idx (of ext, or of the top level) of the bucket at bs. */
static __always_inline void op25b_place(struct op25b_build *b, bool ext,
					u32 idx, __uint128_t bs,
					unsigned int sh,
					const struct op25b_cands *c,
					unsigned int depth)
{
	const struct op25b_iv4 *iv4 = c->iv;
	const struct op25b_iv6 *iv6 = c->iv;
	struct op25b_slot4 r4;
	union op25b_slot6 r6;

	if (c->width == sizeof(u32)) {
		r4 = op25b_place4(b, (u32)bs, sh, iv4 + c->lo, c->hi - c->lo,
				  depth);
		if (!b->ext.nomem)
			op25b_put4(b, ext, idx, r4);
		return;
	}
	r6 = op25b_place6(b, bs, sh, iv6 + c->lo, c->hi - c->lo, depth);
	if (!b->ext.nomem)
		((union op25b_slot6 *)op25b_slots(b, ext))[idx] = r6;
}

/*
 * Fills the nb slots at @at (of the top-level array, or of ext): buckets
 * of 2^sh from b0, candidates iv[0 .. k) of @width.  Only a bucket
 * holding an interval endpoint needs its own decision: from one to the
 * next, the buckets are all inside an interval or all outside, filled by
 * a plain loop.
 */
static __always_inline void op25b_fill_walk(struct op25b_build *b, bool ext,
					    u32 at, __uint128_t b0, u32 nb,
					    unsigned int sh, const void *iv,
					    u32 width, u32 k,
					    unsigned int depth)
{
	struct op25b_cands c = { iv, width, k, 0, 0 };
	__uint128_t bs, be;
	u32 j = 0, next;
	bool full;

	while (j < nb) {
		bs = op25b_bucket(b0, j, sh, width, &be);
		op25b_cands_move(&c, bs, be);
		op25b_place(b, ext, at + j, bs, sh, &c, depth);
		if (b->ext.nomem)
			return;
		next = op25b_cands_next(&c, b0, sh, be, nb, &full);
		if (!(j & 0xffff))
			op25b_cond_resched();
		if (width == sizeof(u32))
			op25b_run4(b, ext, at, j + 1, next, (u32)bs, sh, full);
		else
			op25b_run6((union op25b_slot6 *)op25b_slots(b, ext) + at,
				   j + 1, next, bs, sh, full);
		j = next > j + 1 ? next : j + 1;
	}
}

/* The walk, compiled once for each width. */
static void op25b_fill(struct op25b_build *b, bool ext, u32 at,
		       __uint128_t b0, u32 nb, unsigned int sh, const void *iv,
		       u32 k, unsigned int depth)
{
	if (b->width == sizeof(u32))
		op25b_fill_walk(b, ext, at, b0, nb, sh, iv, sizeof(u32), k,
				depth);
	else
		op25b_fill_walk(b, ext, at, b0, nb, sh, iv,
				sizeof(__uint128_t), k, depth);
}

/*
 * Which top level an IPv4 set gets (b->kind4; NODES: the shift of its
 * children, b->csh4).  The fixed one for OP25B_TOP4_MIN to
 * OP25B_TOP4_MAX - 1 intervals, NODES when its buckets that cover
 * anything hold two intervals or more on average (clustered prefixes):
 * most lookups there would go past a direct slot anyway, and whether one
 * does would be a branch mispredicted as often.
 */
static void op25b_top4_kind(struct op25b_build *b)
{
	struct op25b_cands c = { b->iv, sizeof(u32), b->niv, 0, 0 };
	u32 j, some = 0, sum = 0;
	unsigned int bits;
	__uint128_t bs, be;

	b->kind4 = OP25B_TOP4_SPAN;
	if (b->niv < OP25B_TOP4_MIN || b->niv >= OP25B_TOP4_MAX)
		return;
	for (j = 0; j < OP25B_TOP4_SLOTS; j++) {
		bs = op25b_bucket(0, j, OP25B_TOP4_SHIFT, sizeof(u32), &be);
		op25b_cands_move(&c, bs, be);
		some += c.hi > c.lo;
		sum += c.hi - c.lo;
	}
	b->kind4 = OP25B_TOP4_DIRECT;
	if (sum < 2 * some)
		return;
	b->kind4 = OP25B_TOP4_NODES;
	bits = op25b_fls32((sum + some - 1) / some) + 1 + OP25B_NODES4_DENSITY;
	if (bits > OP25B_TOP4_SHIFT)
		bits = OP25B_TOP4_SHIFT;
	while (bits > 1 &&
	       ((u64)some << bits) > (u64)OP25B_NODES4_SLOTS * b->niv)
		bits--;
	b->csh4 = OP25B_TOP4_SHIFT - bits;
}

/*
 * Where the top level goes: IPv4's fixed one (the x and y arrays, or x
 * only for NODES), or buckets laid over the covered span, shift <= 126
 * (IPv6, never 63) or 27 (IPv4) as top_bits() >= 2 (IPv4: 5), so that a
 * direct slot's y stays below LEAF.
 */
static int op25b_build_top(struct op25b_build *b, struct op25b_keys *k,
			   bool v6, size_t slot_size)
{
	struct op25b_cands c = { b->iv, k->width, 0, 0, 0 };
	__uint128_t first, last;
	unsigned int bits, fls;
	size_t n;

	if (!v6 && b->kind4 != OP25B_TOP4_SPAN) {
		b->shift = OP25B_TOP4_SHIFT;
		b->ntop = OP25B_TOP4_SLOTS;
		slot_size = sizeof(u32);
		n = b->kind4 == OP25B_TOP4_DIRECT ? 2 * b->ntop : b->ntop;
	} else {
		first = op25b_cand(&c, 0, false);
		last = op25b_cand(&c, b->niv - 1, true);
		bits = op25b_top_bits(b->niv, v6);
		fls = op25b_fls128(last - first);
		b->shift = fls > bits ? fls - bits : 0;
		if (v6)
			b->shift = op25b_shift6(b->shift);
		b->base = first & ~(((__uint128_t)1 << b->shift) - 1);
		b->ntop = (u32)((last - b->base) >> b->shift) + 1;
		n = b->ntop;
	}
	k->slot_mem = op25b_alloc_array(n + OP25B_SLOT_ALIGN / slot_size,
					slot_size);
	if (!k->slot_mem)
		return -ENOMEM;
	b->top = op25b_align(k->slot_mem);
	return 0;
}

/* Fills the top level (and through it everything below). */
static void op25b_fill_top(struct op25b_build *b)
{
	b->none4 = ~0U;
	op25b_fill(b, false, 0, b->base, b->ntop, b->shift, b->iv, b->niv, 1);
}

/*
 * The coverage of @k, the top level and the slots, the arrays going to
 * @k.  No interval: no arrays (b->niv 0).
 */
static int op25b_build_tree(struct op25b_build *b, struct op25b_keys *k,
			    size_t slot_size)
{
	bool v6 = k->width != sizeof(u32);
	int err = -ENOMEM;

	memset(b, 0, sizeof(*b));
	b->width = k->width;
	b->iv = op25b_alloc_array(k->n ? k->n : 1,
				  v6 ? sizeof(struct op25b_iv6) :
				       sizeof(struct op25b_iv4));
	if (!b->iv)
		return -ENOMEM;
	b->niv = op25b_keys_cover(k, b->iv);
	if (!b->niv) {
		err = 0;
		goto out;
	}
	if (!v6)
		op25b_top4_kind(b);
	b->ext.size = slot_size;
	b->ext.hint = b->niv;	/* about what RIB-like tables need */
	err = op25b_build_top(b, k, v6, slot_size);
	if (err)
		goto trim;
	op25b_fill_top(b);
	err = b->ext.nomem ? -ENOMEM : 0;
trim:
	op25b_pool_trim(&b->ext);
	k->ext_mem = b->ext.mem;
	if (!err) {
		k->niv = b->niv;
		k->next = b->ext.used;
	}
out:
	op25b_free(b->iv);
	return err;
}

int op25b_set4_build(struct op25b_set4 *s, struct op25b_keys *k)
{
	struct op25b_build b;
	int err = op25b_build_tree(&b, k, sizeof(*s->ext));

	if (err)
		return err;
	memset(s, 0, sizeof(*s));
	if (!b.niv)
		return 0;	/* SPAN, ntop 0: nothing is covered */
	s->kind = b.kind4;
	s->top = b.top;
	s->ext = b.ext.base;
	s->shift = b.kind4 == OP25B_TOP4_NODES ? b.csh4 : b.shift;
	s->base = (u32)b.base;
	s->ntop = b.ntop;
	return 0;
}

int op25b_set6_build(struct op25b_set6 *s, struct op25b_keys *k)
{
	struct op25b_build b;
	int err = op25b_build_tree(&b, k, sizeof(*s->slot));

	if (err)
		return err;
	s->base = b.base;
	s->shift = b.shift;
	s->ntop = b.ntop;
	s->slot = b.top;
	s->ext = b.ext.base;
	return 0;
}
