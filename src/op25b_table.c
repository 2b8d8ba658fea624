// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup tables; see op25b_table.h for the design.
 * Plain C shared by the module and the host-side tests.
 */
#include "op25b_table.h"

static const char *const op25b_terr_text[] = {
	[OP25B_TERR_NONE]	= "success",
	[OP25B_TERR_PLEN]	= "prefix length out of range",
	[OP25B_TERR_HOSTBITS]	= "prefix has host bits set",
	[OP25B_TERR_IFNAME]	= "invalid interface name",
	[OP25B_TERR_DUPLICATE]	= "entry given twice in one request",
	[OP25B_TERR_EXISTS]	= "entry already in table",
	[OP25B_TERR_MISSING]	= "entry not in table",
	[OP25B_TERR_FULL]	= "table full (see module parameter table_max)",
	[OP25B_TERR_IIF_FULL]	= "too many interface entries",
	[OP25B_TERR_NOMEM]	= "out of memory",
	[OP25B_TERR_COMMENT]	= "comment longer than 64 bytes, not UTF-8 or with control characters",
};

static const int op25b_terr_errno[] = {
	[OP25B_TERR_NONE]	= 0,
	[OP25B_TERR_PLEN]	= -EINVAL,
	[OP25B_TERR_HOSTBITS]	= -EINVAL,
	[OP25B_TERR_IFNAME]	= -EINVAL,
	[OP25B_TERR_DUPLICATE]	= -EINVAL,
	[OP25B_TERR_EXISTS]	= -EEXIST,
	[OP25B_TERR_MISSING]	= -ENOENT,
	[OP25B_TERR_FULL]	= -ENOSPC,
	[OP25B_TERR_IIF_FULL]	= -ENOSPC,
	[OP25B_TERR_NOMEM]	= -ENOMEM,
	[OP25B_TERR_COMMENT]	= -EINVAL,
};

const char *op25b_table_strerror(enum op25b_table_err err)
{
	if ((unsigned int)err >= ARRAY_SIZE(op25b_terr_text))
		return "unknown error";
	return op25b_terr_text[err];
}

int op25b_table_errno(enum op25b_table_err err)
{
	if ((unsigned int)err >= ARRAY_SIZE(op25b_terr_errno))
		return -EINVAL;
	return op25b_terr_errno[err];
}

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
 * What the kernel accepts as a device name (dev_valid_name(), whose
 * isspace() includes 0xa0), with '+'
 * allowed only last, as the wildcard iptables has.
 */
static bool op25b_ifname_valid(const char *name)
{
	size_t len = strnlen(name, IFNAMSIZ), i;

	if (!len || len == IFNAMSIZ || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c == '/' || c == ':' || c == ' ' || (c >= '\t' && c <= '\r') ||
		    (unsigned char)c == 0xa0)
			return false;
		if (c == '+' && i != len - 1)
			return false;
	}
	return true;
}

/* Length of the UTF-8 sequence led by @c, 0 if @c cannot lead one. */
static unsigned int op25b_utf8_seqlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/*
 * A comment ends up on one line of a configuration file and of a
 * terminal: well-formed UTF-8 (no overlongs, surrogates or code points
 * past U+10FFFF), no control characters.
 */
static bool op25b_comment_valid(const char *s)
{
	size_t len = strnlen(s, OP25B_COMMENT_MAX + 1), i, k;

	if (len > OP25B_COMMENT_MAX)
		return false;
	for (i = 0; i < len; i += k) {
		unsigned char c = s[i], c1 = s[i + 1];
		unsigned int j;

		k = op25b_utf8_seqlen(c);
		if (!k || c < 0x20 || c == 0x7f || i + k > len)
			return false;
		for (j = 1; j < k; j++)
			if (((unsigned char)s[i + j] & 0xc0) != 0x80)
				return false;
		if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) ||
		    (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f))
			return false;
	}
	return true;
}

static enum op25b_table_err op25b_entry_validate_key(const struct op25b_entry *e)
{
	switch (e->kind) {
	case OP25B_KIND_IPV4:
		if (e->plen > 32)
			return OP25B_TERR_PLEN;
		if (e->v4 & ~op25b_mask4(e->plen))
			return OP25B_TERR_HOSTBITS;
		return OP25B_TERR_NONE;
	case OP25B_KIND_IPV6:
		if (e->plen > 128)
			return OP25B_TERR_PLEN;
		if (e->v6 & ~op25b_mask6(e->plen))
			return OP25B_TERR_HOSTBITS;
		return OP25B_TERR_NONE;
	case OP25B_KIND_IIF:
		return op25b_ifname_valid(e->ifname) ? OP25B_TERR_NONE :
						       OP25B_TERR_IFNAME;
	}
	return OP25B_TERR_IFNAME;
}

enum op25b_table_err op25b_entry_validate(const struct op25b_entry *e)
{
	enum op25b_table_err err = op25b_entry_validate_key(e);

	if (!err && e->comment && !op25b_comment_valid(e->comment))
		err = OP25B_TERR_COMMENT;
	return err;
}

int op25b_entry_cmp(const void *pa, const void *pb)
{
	const struct op25b_entry *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case OP25B_KIND_IPV4:
		if (a->v4 != b->v4)
			return a->v4 < b->v4 ? -1 : 1;
		break;
	case OP25B_KIND_IPV6:
		if (a->v6 != b->v6)
			return a->v6 < b->v6 ? -1 : 1;
		break;
	default:
		return strncmp(a->ifname, b->ifname, IFNAMSIZ);
	}
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return 0;
}

static bool op25b_batch_sorted(const struct op25b_entry *b, u32 n)
{
	u32 i;

	for (i = 1; i < n; i++)
		if (op25b_entry_cmp(&b[i - 1], &b[i]) > 0)
			return false;
	return true;
}

/*
 * ---- The lookup tree ----
 *
 * compile() turns the sorted entries into the coverage (sorted, disjoint,
 * non-adjacent intervals, in a scratch array) and the coverage into the
 * slots that op25b_set4_has()/op25b_set6_has() read (slot encoding in
 * op25b_table.h).  Bucket arrays are aligned: a bucket of 2^sh addresses
 * starts at a multiple of 2^sh, so a child array's index of an address is
 * a bit field of it, and on IPv6 a bucket of 2^64 addresses or more holds
 * whole /64s.
 *
 * A bucket's candidates are the intervals that meet it, clipped to it.
 * By their count k:
 *  - 0 or 1: a direct slot (on IPv6 with sh >= 64, only when the interval
 *    consists of whole /64s; else a leaf of one);
 *  - 2 to OP25B_LEAF4_MAX / OP25B_LEAF6_MAX: a leaf, the k intervals
 *    padded to a power of two with copies of the last, in one cache line
 *    (IPv4) or two (IPv6);
 *  - more: a child array of 2^c buckets, 2k < 2^c <= 4k, if that splits
 *    them (no child bucket keeps more than k / 2) and the depth allows,
 *    else a leaf of all k.  On IPv6, where a bucket can be 2^100
 *    addresses and the candidates a carrier's /32 in it, a child array
 *    that does not split them covers instead only the aligned block
 *    around them (a window: the rest of the bucket is not covered).
 * Only a bucket holding an interval endpoint can have two candidates or
 * an unaligned one, and each endpoint lies in one bucket per level, so a
 * level of child arrays and leaves takes at most 8 slots per interval
 * (plus alignment); there are at most OP25B_DEPTH_MAX levels.
 *
 * The top-level array is allocated first (its size follows from the
 * coverage); child arrays and leaves go to a second array, grown by
 * doubling and trimmed at the end.  One pass over the buckets, skipping
 * from one interval endpoint to the next: O(buckets + intervals).
 */

/* top-level buckets: at most 2^22 (32 MiB of IPv4 slots, 64 MiB IPv6) */
#define OP25B_TOP_BITS_MAX	22
/* intervals of a leaf: one 64-byte line (IPv4), two (IPv6) */
#define OP25B_LEAF4_MAX		8
#define OP25B_LEAF6_MAX		4
/* levels of slot arrays, the top level included */
#define OP25B_DEPTH_MAX		8
/* slot arrays start on a cache line, and so do leaves (up to its size) */
#define OP25B_SLOT_ALIGN	64
/* keeps every index, child arithmetic included, in a u32 */
#define OP25B_SLOTS_MAX		0x40000000U

/*
 * Top-level buckets: about one per interval (2^fls(niv)) for big tables,
 * where a lookup waits for memory and a bigger array waits longer; up to
 * sixteen times that for small ones, where branch mispredictions (a leaf
 * instead of a direct slot) cost more than the memory, itself small
 * (IPv4: at most 32 slots, 256 bytes, per interval).
 */
static unsigned int op25b_top_bits(u32 niv, bool v6)
{
	unsigned int bits = op25b_fls32(niv), x;

	if (v6)
		x = niv < (1U << 15) ? 1 : 0;
	else
		x = niv < (1U << 10) ? 4 : niv < (1U << 12) ? 3 :
		    niv < (1U << 15) ? 2 : niv < (1U << 20) ? 1 : 0;
	bits += x;
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

/*
 * The arrays of a set are immutable, so a new table takes the old one's
 * when a batch leaves that family alone (an IPv4 add does not rebuild
 * 10^6 IPv6 prefixes); the last table holding them frees them.
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

/* ---- IPv4 ---- */

struct op25b_iv4 {
	u32 s, e;
};

struct op25b_build4 {
	struct op25b_slot4 *top;
	struct op25b_pool ext;
};

static void op25b_set4_free(struct op25b_set4 *s)
{
	if (s->share && !op25b_share_put(s->share))
		return;
	op25b_free(s->share);
	op25b_free(s->addr);
	op25b_free(s->plen);
	op25b_free(s->slot_mem);
	op25b_free(s->ext_mem);
}

static int op25b_set4_alloc(struct op25b_set4 *s, u32 n)
{
	/* size 1 at least, so that an empty set is not a failed allocation */
	u32 cap = n ? n : 1;

	s->n = n;
	s->addr = op25b_alloc_array(cap, sizeof(*s->addr));
	s->plen = op25b_alloc_array(cap, sizeof(*s->plen));
	s->share = op25b_zalloc(sizeof(*s->share));
	/* owned from now on, even if a sibling allocation failed: the
	 * caller's error path frees the set through the reference
	 */
	if (s->share)
		op25b_share_init(s->share);
	if (!s->addr || !s->plen || !s->share)
		return -ENOMEM;
	return 0;
}

static void op25b_fill4(struct op25b_build4 *b, bool ext, u32 at, u32 b0,
			u32 nb, unsigned int sh, const struct op25b_iv4 *iv,
			u32 k, unsigned int depth);

/* Largest number of candidates of one bucket, buckets of 2^sh from b0. */
static u32 op25b_crowd4(u32 b0, u32 nb, unsigned int sh,
			const struct op25b_iv4 *iv, u32 k)
{
	u32 j, lo = 0, hi = 0, max = 0;

	for (j = 0; j < nb; j++) {
		u32 bs = b0 + (j << sh), be = bs + ((1U << sh) - 1);

		while (lo < k && iv[lo].e < bs)
			lo++;
		if (hi < lo)
			hi = lo;
		while (hi < k && iv[hi].s <= be)
			hi++;
		if (hi - lo > max)
			max = hi - lo;
	}
	return max;
}

/* The slot of the bucket [bs, bs + 2^sh - 1] with candidates iv[0 .. k). */
static struct op25b_slot4 op25b_place4(struct op25b_build4 *b, u32 bs,
				       unsigned int sh,
				       const struct op25b_iv4 *iv, u32 k,
				       unsigned int depth)
{
	u32 be = bs + ((1U << sh) - 1), j, m, at;
	struct op25b_slot4 r, *d;
	unsigned int c, lg;

	/* empty: a - (bs - 1) is 1 .. 2^sh, never 0 */
	r.x = bs - 1;
	r.y = 0;
	if (k == 1) {
		r.x = iv[0].s > bs ? iv[0].s : bs;
		r.y = (iv[0].e < be ? iv[0].e : be) - r.x;
	}
	if (k <= 1 || b->ext.nomem)
		return r;
	/* k >= 2 disjoint, non-adjacent intervals: sh >= 2 */
	c = op25b_child_bits(k);
	if (c > sh)
		c = sh;
	if (k > OP25B_LEAF4_MAX && depth < OP25B_DEPTH_MAX &&
	    op25b_crowd4(bs, 1U << c, sh - c, iv, k) <= k / 2) {
		at = op25b_pool_take(&b->ext, 1U << c, 1);
		r.x = at - (bs >> (sh - c));
		r.y = OP25B_SLOT4_NODE | (sh - c);
		op25b_fill4(b, true, at, bs, 1U << c, sh - c, iv, k, depth + 1);
		return r;
	}
	/* a leaf: the k intervals as direct slots, the last repeated */
	lg = op25b_fls32(k - 1);
	m = 1U << lg;
	at = op25b_pool_take(&b->ext, m,
			     m < OP25B_SLOT_ALIGN / sizeof(r) ? m :
			     OP25B_SLOT_ALIGN / sizeof(r));
	d = b->ext.nomem ? NULL : (struct op25b_slot4 *)b->ext.base + at;
	for (j = 0; d && j < m; j++) {
		const struct op25b_iv4 *v = &iv[j < k ? j : k - 1];

		d[j].x = v->s > bs ? v->s : bs;
		d[j].y = (v->e < be ? v->e : be) - d[j].x;
	}
	r.x = at;
	r.y = OP25B_SLOT4_LEAF | lg;
	return r;
}

/*
 * Fills the nb slots at @at (of the top-level array, or of ext): buckets
 * of 2^sh from b0, candidates iv[0 .. k).  Only a bucket holding an
 * interval endpoint needs its own decision: from one to the next, the
 * buckets are all inside an interval or all outside, filled by a plain
 * loop.
 */
static void op25b_fill4(struct op25b_build4 *b, bool ext, u32 at, u32 b0,
			u32 nb, unsigned int sh, const struct op25b_iv4 *iv,
			u32 k, unsigned int depth)
{
	u32 j = 0, lo = 0, hi = 0, mask = (1U << sh) - 1, next, bs, be;
	struct op25b_slot4 r, *d;
	bool full;

	while (j < nb) {
		bs = b0 + (j << sh);
		be = bs + mask;
		while (lo < k && iv[lo].e < bs)
			lo++;
		if (hi < lo)
			hi = lo;
		while (hi < k && iv[hi].s <= be)
			hi++;
		r = op25b_place4(b, bs, sh, iv + lo, hi - lo, depth);
		if (b->ext.nomem)
			return;
		/* ext may have moved */
		d = (ext ? (struct op25b_slot4 *)b->ext.base : b->top) + at;
		d[j] = r;
		/* the next bucket holding an endpoint */
		full = hi > lo && iv[hi - 1].e > be;
		if (full)
			next = (iv[hi - 1].e - b0) >> sh;
		else if (hi < k)
			next = (iv[hi].s - b0) >> sh;
		else
			next = nb;
		if (next > nb)
			next = nb;
		if (!(j & 0xffff))
			op25b_cond_resched();
		for (j++; j < next; j++) {
			bs += mask + 1;
			d[j].x = full ? bs : bs - 1;
			d[j].y = full ? mask : 0;
		}
	}
}

static int op25b_set4_compile(struct op25b_set4 *s)
{
	struct op25b_build4 b = { NULL, { NULL, NULL, 0, 0, 0, 0, false } };
	unsigned int bits, fls, sh;
	struct op25b_iv4 *iv;
	u32 i, k = 0, base, ntop;
	int err = -ENOMEM;

	iv = op25b_alloc_array(s->n ? s->n : 1, sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	for (i = 0; i < s->n; i++) {
		u32 lo = s->addr[i], hi = lo | ~op25b_mask4(s->plen[i]);

		/* entries are sorted by start: merge overlap and adjacency */
		if (k && (lo <= iv[k - 1].e || lo - 1 == iv[k - 1].e)) {
			if (hi > iv[k - 1].e)
				iv[k - 1].e = hi;
			continue;
		}
		iv[k].s = lo;
		iv[k].e = hi;
		k++;
	}
	if (!k) {
		err = 0;	/* ntop 0: nothing is covered */
		goto out;
	}
	/* buckets of 2^sh, sh <= 30 (bits >= 2), so that y < LEAF */
	bits = op25b_top_bits(k, false);
	fls = op25b_fls32(iv[k - 1].e - iv[0].s);
	sh = fls > bits ? fls - bits : 0;
	base = iv[0].s & ~((1U << sh) - 1);
	ntop = ((iv[k - 1].e - base) >> sh) + 1;
	s->slot_mem = op25b_alloc_array((size_t)ntop +
					OP25B_SLOT_ALIGN / sizeof(*b.top),
					sizeof(*b.top));
	if (!s->slot_mem)
		goto out;
	b.top = op25b_align(s->slot_mem);
	b.ext.size = sizeof(*b.top);
	b.ext.hint = k;		/* about what RIB-like tables need */
	op25b_fill4(&b, false, 0, base, ntop, sh, iv, k, 1);
	op25b_pool_trim(&b.ext);
	s->ext_mem = b.ext.mem;
	if (b.ext.nomem)
		goto out;
	s->slot = b.top;
	s->ext = b.ext.base;
	s->next = b.ext.used;
	s->niv = k;
	s->base = base;
	s->shift = sh;
	s->ntop = ntop;
	err = 0;
out:
	op25b_free(iv);
	return err;
}

static int op25b_cmp4(u32 a, u8 ap, const struct op25b_entry *e)
{
	if (a != e->v4)
		return a < e->v4 ? -1 : 1;
	if (ap != e->plen)
		return ap < e->plen ? -1 : 1;
	return 0;
}

/* The first index >= @i whose entry is not below @e (galloping search). */
static u32 op25b_seek4(const struct op25b_set4 *s, u32 i,
		       const struct op25b_entry *e)
{
	u64 lo = i, hi, step = 1;

	if (lo >= s->n || op25b_cmp4(s->addr[lo], s->plen[lo], e) >= 0)
		return i;
	/* entry lo is below e: find hi not below it, then bisect */
	for (;;) {
		hi = lo + step;
		if (hi >= s->n || op25b_cmp4(s->addr[hi], s->plen[hi], e) >= 0)
			break;
		lo = hi;
		step *= 2;
	}
	if (hi > s->n)
		hi = s->n;
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (op25b_cmp4(s->addr[mid], s->plen[mid], e) < 0)
			lo = mid;
		else
			hi = mid;
	}
	return (u32)hi;
}

/*
 * The new entries: runs of old entries copied whole between the batch's
 * positions, so that a small batch on a big set costs two memcpy()s.
 * A first walk only checks, so that an error leaves before allocating.
 */
static enum op25b_table_err op25b_set4_merge(const struct op25b_set4 *old,
					     enum op25b_table_op op,
					     const struct op25b_entry *b,
					     u32 nb, struct op25b_set4 *s,
					     u32 *bad_pos)
{
	u32 i = 0, j, k = 0, p;
	bool found;

	if (!nb) {
		/* unchanged: the same arrays, one more reference */
		*s = *old;
		if (s->share)
			op25b_share_get(s->share);
		return OP25B_TERR_NONE;
	}
	for (j = 0; j < nb; j++) {
		p = op25b_seek4(old, i, &b[j]);
		found = p < old->n &&
			!op25b_cmp4(old->addr[p], old->plen[p], &b[j]);
		if (found == (op == OP25B_OP_ADD)) {
			*bad_pos = b[j].pos;
			return found ? OP25B_TERR_EXISTS : OP25B_TERR_MISSING;
		}
		i = p + found;
	}
	if (op25b_set4_alloc(s, op == OP25B_OP_ADD ? old->n + nb : old->n - nb))
		return OP25B_TERR_NOMEM;
	for (i = 0, j = 0; j <= nb; j++) {
		p = j < nb ? op25b_seek4(old, i, &b[j]) : old->n;
		if (p > i) {
			memcpy(s->addr + k, old->addr + i,
			       (p - i) * sizeof(*s->addr));
			memcpy(s->plen + k, old->plen + i,
			       (p - i) * sizeof(*s->plen));
			k += p - i;
			i = p;
		}
		if (j == nb)
			break;
		/* a merge of 10^6 entries must not hog the CPU */
		if (!(j & 0xffff))
			op25b_cond_resched();
		if (op == OP25B_OP_DEL) {
			i++;
			continue;
		}
		s->addr[k] = b[j].v4;
		s->plen[k++] = b[j].plen;
	}
	if (op25b_set4_compile(s))
		return OP25B_TERR_NOMEM;
	return OP25B_TERR_NONE;
}

/* ---- IPv6: the same, on 128-bit keys ---- */

struct op25b_iv6 {
	__uint128_t s, e;
};

struct op25b_build6 {
	union op25b_slot6 *top;
	struct op25b_pool ext;
};

static void op25b_set6_free(struct op25b_set6 *s)
{
	if (s->share && !op25b_share_put(s->share))
		return;
	op25b_free(s->share);
	op25b_free(s->addr);
	op25b_free(s->plen);
	op25b_free(s->slot_mem);
	op25b_free(s->ext_mem);
}

static int op25b_set6_alloc(struct op25b_set6 *s, u32 n)
{
	u32 cap = n ? n : 1;

	s->n = n;
	s->addr = op25b_alloc_array(cap, sizeof(*s->addr));
	s->plen = op25b_alloc_array(cap, sizeof(*s->plen));
	s->share = op25b_zalloc(sizeof(*s->share));
	/* owned from now on, even if a sibling allocation failed: the
	 * caller's error path frees the set through the reference
	 */
	if (s->share)
		op25b_share_init(s->share);
	if (!s->addr || !s->plen || !s->share)
		return -ENOMEM;
	return 0;
}

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

static void op25b_fill6(struct op25b_build6 *b, bool ext, u32 at,
			__uint128_t b0, u32 nb, unsigned int sh,
			const struct op25b_iv6 *iv, u32 k, unsigned int depth);

static u32 op25b_crowd6(__uint128_t b0, u32 nb, unsigned int sh,
			const struct op25b_iv6 *iv, u32 k)
{
	__uint128_t mask = ((__uint128_t)1 << sh) - 1;
	u32 j, lo = 0, hi = 0, max = 0;

	for (j = 0; j < nb; j++) {
		__uint128_t bs = b0 + ((__uint128_t)j << sh), be = bs + mask;

		while (lo < k && iv[lo].e < bs)
			lo++;
		if (hi < lo)
			hi = lo;
		while (hi < k && iv[hi].s <= be)
			hi++;
		if (hi - lo > max)
			max = hi - lo;
	}
	return max;
}

static union op25b_slot6 op25b_place6(struct op25b_build6 *b, __uint128_t bs,
				      unsigned int sh,
				      const struct op25b_iv6 *iv, u32 k,
				      unsigned int depth)
{
	__uint128_t be = bs + (((__uint128_t)1 << sh) - 1), cs, ce, wb;
	unsigned int c, cb, csh, lg, w;
	union op25b_slot6 r, *d;
	u32 j, m, at;
	bool wide;

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
	if (k > OP25B_LEAF6_MAX && depth < OP25B_DEPTH_MAX) {
		/* over the whole bucket, if that splits the candidates */
		cb = op25b_child_bits(k);
		csh = op25b_shift6(sh > cb ? sh - cb : 0);
		wb = bs;
		w = sh;
		if (op25b_crowd6(bs, 1U << (sh - csh), csh, iv, k) > k / 2) {
			/*
			 * Else over the aligned block of 2^w around them, which
			 * they split in its halves: clustered prefixes (a
			 * carrier's /32 in a bucket of 2^100).  A window at most
			 * 2^31 child buckets below the bucket keeps the index
			 * arithmetic in a u32; deeper, another window follows.
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
		op25b_fill6(b, true, at, wb, 1U << c, csh, iv, k, depth + 1);
		return r;
	}
	/*
	 * A leaf: the k intervals, clipped, as direct slots if they all can
	 * be (always below 2^64, else if they consist of whole /64s);
	 * else wide, interval j in slots 2j (start) and 2j + 1 (end).
	 */
	for (j = 0, wide = false; sh >= 64 && j < k; j++)
		wide |= (iv[j].s > bs && (u64)iv[j].s) ||
			(iv[j].e < be && (u64)~iv[j].e);
	lg = op25b_fls32(k - 1);
	m = (1U << lg) << wide;
	at = op25b_pool_take(&b->ext, m,
			     m < OP25B_SLOT_ALIGN / sizeof(r) ? m :
			     OP25B_SLOT_ALIGN / sizeof(r));
	d = b->ext.nomem ? NULL : (union op25b_slot6 *)b->ext.base + at;
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

static void op25b_fill6(struct op25b_build6 *b, bool ext, u32 at,
			__uint128_t b0, u32 nb, unsigned int sh,
			const struct op25b_iv6 *iv, u32 k, unsigned int depth)
{
	__uint128_t mask = ((__uint128_t)1 << sh) - 1, bs, be, nx;
	u64 step = op25b_key6(mask, sh) + 1, x;
	u32 j = 0, lo = 0, hi = 0, next;
	union op25b_slot6 r, *d;
	bool full;

	while (j < nb) {
		bs = b0 + ((__uint128_t)j << sh);
		be = bs + mask;
		while (lo < k && iv[lo].e < bs)
			lo++;
		if (hi < lo)
			hi = lo;
		while (hi < k && iv[hi].s <= be)
			hi++;
		r = op25b_place6(b, bs, sh, iv + lo, hi - lo, depth);
		if (b->ext.nomem)
			return;
		d = (ext ? (union op25b_slot6 *)b->ext.base : b->top) + at;
		d[j] = r;
		full = hi > lo && iv[hi - 1].e > be;
		if (full)
			nx = (iv[hi - 1].e - b0) >> sh;
		else if (hi < k)
			nx = (iv[hi].s - b0) >> sh;
		else
			nx = nb;
		next = nx > nb ? nb : (u32)nx;
		if (!(j & 0xffff))
			op25b_cond_resched();
		/* keys of consecutive buckets differ by step (mod 2^64) */
		x = op25b_key6(bs, sh);
		for (j++; j < next; j++) {
			x += step;
			d[j].x = full ? x : x - 1;
			d[j].y = full ? step - 1 : 0;
		}
	}
}

static int op25b_set6_compile(struct op25b_set6 *s)
{
	struct op25b_build6 b = { NULL, { NULL, NULL, 0, 0, 0, 0, false } };
	unsigned int bits, fls, sh;
	struct op25b_iv6 *iv;
	__uint128_t base;
	u32 i, k = 0, ntop;
	int err = -ENOMEM;

	iv = op25b_alloc_array(s->n ? s->n : 1, sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	for (i = 0; i < s->n; i++) {
		__uint128_t lo = s->addr[i];
		__uint128_t hi = lo | ~op25b_mask6(s->plen[i]);

		if (k && (lo <= iv[k - 1].e || lo - 1 == iv[k - 1].e)) {
			if (hi > iv[k - 1].e)
				iv[k - 1].e = hi;
			continue;
		}
		iv[k].s = lo;
		iv[k].e = hi;
		k++;
	}
	if (!k) {
		err = 0;
		goto out;
	}
	/* sh <= 126 (bits >= 2), not 63 */
	bits = op25b_top_bits(k, true);
	fls = op25b_fls128(iv[k - 1].e - iv[0].s);
	sh = op25b_shift6(fls > bits ? fls - bits : 0);
	base = iv[0].s & ~(((__uint128_t)1 << sh) - 1);
	ntop = (u32)((iv[k - 1].e - base) >> sh) + 1;
	s->slot_mem = op25b_alloc_array((size_t)ntop +
					OP25B_SLOT_ALIGN / sizeof(*b.top),
					sizeof(*b.top));
	if (!s->slot_mem)
		goto out;
	b.top = op25b_align(s->slot_mem);
	b.ext.size = sizeof(*b.top);
	b.ext.hint = k;
	op25b_fill6(&b, false, 0, base, ntop, sh, iv, k, 1);
	op25b_pool_trim(&b.ext);
	s->ext_mem = b.ext.mem;
	if (b.ext.nomem)
		goto out;
	s->slot = b.top;
	s->ext = b.ext.base;
	s->next = b.ext.used;
	s->niv = k;
	s->base = base;
	s->shift = sh;
	s->ntop = ntop;
	err = 0;
out:
	op25b_free(iv);
	return err;
}

static int op25b_cmp6(__uint128_t a, u8 ap, const struct op25b_entry *e)
{
	if (a != e->v6)
		return a < e->v6 ? -1 : 1;
	if (ap != e->plen)
		return ap < e->plen ? -1 : 1;
	return 0;
}

static u32 op25b_seek6(const struct op25b_set6 *s, u32 i,
		       const struct op25b_entry *e)
{
	u64 lo = i, hi, step = 1;

	if (lo >= s->n || op25b_cmp6(s->addr[lo], s->plen[lo], e) >= 0)
		return i;
	for (;;) {
		hi = lo + step;
		if (hi >= s->n || op25b_cmp6(s->addr[hi], s->plen[hi], e) >= 0)
			break;
		lo = hi;
		step *= 2;
	}
	if (hi > s->n)
		hi = s->n;
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (op25b_cmp6(s->addr[mid], s->plen[mid], e) < 0)
			lo = mid;
		else
			hi = mid;
	}
	return (u32)hi;
}

static enum op25b_table_err op25b_set6_merge(const struct op25b_set6 *old,
					     enum op25b_table_op op,
					     const struct op25b_entry *b,
					     u32 nb, struct op25b_set6 *s,
					     u32 *bad_pos)
{
	u32 i = 0, j, k = 0, p;
	bool found;

	if (!nb) {
		/* unchanged: the same arrays, one more reference */
		*s = *old;
		if (s->share)
			op25b_share_get(s->share);
		return OP25B_TERR_NONE;
	}
	for (j = 0; j < nb; j++) {
		p = op25b_seek6(old, i, &b[j]);
		found = p < old->n &&
			!op25b_cmp6(old->addr[p], old->plen[p], &b[j]);
		if (found == (op == OP25B_OP_ADD)) {
			*bad_pos = b[j].pos;
			return found ? OP25B_TERR_EXISTS : OP25B_TERR_MISSING;
		}
		i = p + found;
	}
	if (op25b_set6_alloc(s, op == OP25B_OP_ADD ? old->n + nb : old->n - nb))
		return OP25B_TERR_NOMEM;
	for (i = 0, j = 0; j <= nb; j++) {
		p = j < nb ? op25b_seek6(old, i, &b[j]) : old->n;
		if (p > i) {
			memcpy(s->addr + k, old->addr + i,
			       (p - i) * sizeof(*s->addr));
			memcpy(s->plen + k, old->plen + i,
			       (p - i) * sizeof(*s->plen));
			k += p - i;
			i = p;
		}
		if (j == nb)
			break;
		if (!(j & 0xffff))
			op25b_cond_resched();
		if (op == OP25B_OP_DEL) {
			i++;
			continue;
		}
		s->addr[k] = b[j].v6;
		s->plen[k++] = b[j].plen;
	}
	if (op25b_set6_compile(s))
		return OP25B_TERR_NOMEM;
	return OP25B_TERR_NONE;
}

/* ---- interface patterns: few, kept sorted by name ---- */

static int op25b_iif_cmp(const struct op25b_iif *p, const struct op25b_entry *e)
{
	return strncmp(p->name, e->ifname, IFNAMSIZ);
}

static enum op25b_table_err op25b_iif_merge(const struct op25b_table *old,
					    enum op25b_table_op op,
					    const struct op25b_entry *b,
					    u32 nb, struct op25b_table *t,
					    u32 *bad_pos)
{
	u32 i = 0, j = 0, k = 0;
	u32 n = op == OP25B_OP_ADD ? old->niif + nb : old->niif;

	if (n > OP25B_IIF_MAX) {
		*bad_pos = b[0].pos;
		return OP25B_TERR_IIF_FULL;
	}
	t->iif = op25b_alloc_array(n ? n : 1, sizeof(*t->iif));
	if (!t->iif)
		return OP25B_TERR_NOMEM;
	while (i < old->niif || j < nb) {
		int c;

		if (i < old->niif && j < nb)
			c = op25b_iif_cmp(&old->iif[i], &b[j]);
		else
			c = i < old->niif ? -1 : 1;
		if (c < 0) {
			t->iif[k++] = old->iif[i++];
		} else if (c == 0) {
			if (op == OP25B_OP_ADD) {
				*bad_pos = b[j].pos;
				return OP25B_TERR_EXISTS;
			}
			i++;
			j++;
		} else {
			struct op25b_iif *p = &t->iif[k];

			if (op == OP25B_OP_DEL) {
				*bad_pos = b[j].pos;
				return OP25B_TERR_MISSING;
			}
			memset(p, 0, sizeof(*p));
			memcpy(p->name, b[j].ifname, IFNAMSIZ);
			p->len = strnlen(p->name, IFNAMSIZ);
			p->wildcard = p->name[p->len - 1] == '+';
			if (p->wildcard)
				p->len--;
			k++;
			j++;
		}
	}
	t->niif = k;
	return OP25B_TERR_NONE;
}

/* ---- tables ---- */

/* An empty table needs no arrays: every reader checks the counts first. */
struct op25b_table *op25b_table_new(void)
{
	return op25b_zalloc(sizeof(struct op25b_table));
}

void op25b_table_free(struct op25b_table *t)
{
	if (!t)
		return;
	op25b_set4_free(&t->v4);
	op25b_set6_free(&t->v6);
	op25b_free(t->iif);
	op25b_free(t->note);
	op25b_free(t->notes);
	op25b_free(t);
}

static const char *op25b_table_note(const struct op25b_table *t, u32 idx)
{
	return t->note && t->note[idx] ? t->notes + t->note[idx] : NULL;
}

static bool op25b_batch_has_comments(const struct op25b_entry *b, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (b[i].comment && b[i].comment[0])
			return true;
	return false;
}

static void op25b_note_put(struct op25b_table *t, u32 idx, const char *text)
{
	size_t len;

	if (!text || !text[0])
		return;
	len = strlen(text) + 1;
	memcpy(t->notes + t->notes_len, text, len);
	t->note[idx] = t->notes_len;
	t->notes_len += len;
}

/*
 * Gives the freshly merged @t the comments of its entries: each entry
 * came either from the batch (an add) or from @old, and all three lists
 * are in the same order, so one walk over them pairs every entry with
 * its origin.
 */
static enum op25b_table_err op25b_table_notes(const struct op25b_table *old,
					      enum op25b_table_op op,
					      const struct op25b_entry *b,
					      u32 nb, struct op25b_table *t)
{
	u32 n = op25b_table_size(t), cap = 1, i, j = 0, k;
	struct op25b_entry e, o;

	if (!old->note && (op == OP25B_OP_DEL || !op25b_batch_has_comments(b, nb)))
		return OP25B_TERR_NONE;
	cap += old->notes_len;
	for (i = 0; op == OP25B_OP_ADD && i < nb; i++)
		if (b[i].comment)
			cap += strlen(b[i].comment) + 1;
	t->note = op25b_alloc_array(n ? n : 1, sizeof(*t->note));
	t->notes = op25b_alloc_array(cap, 1);
	if (!t->note || !t->notes)
		return OP25B_TERR_NOMEM;
	t->notes[0] = '\0';
	t->notes_len = 1;
	for (k = 0, i = 0; k < n; k++) {
		t->note[k] = 0;
		op25b_table_get(t, k, &e);
		if (op == OP25B_OP_ADD && j < nb && !op25b_entry_cmp(&b[j], &e)) {
			op25b_note_put(t, k, b[j++].comment);
			continue;
		}
		/* from @old: skip the entries deleted in between */
		for (;;) {
			op25b_table_get(old, i, &o);
			if (!op25b_entry_cmp(&o, &e))
				break;
			i++;
		}
		op25b_note_put(t, k, op25b_table_note(old, i++));
	}
	if (t->notes_len == 1) {
		op25b_free(t->note);
		op25b_free(t->notes);
		t->note = NULL;
		t->notes = NULL;
		t->notes_len = 0;
	}
	return OP25B_TERR_NONE;
}

static enum op25b_table_err op25b_batch_check(struct op25b_entry *b, u32 n,
					      u32 *bad_pos)
{
	enum op25b_table_err err;
	u32 i;

	for (i = 0; i < n; i++) {
		err = op25b_entry_validate(&b[i]);
		if (err) {
			*bad_pos = b[i].pos;
			return err;
		}
	}
	/* op25bctl sends sorted batches; sorting 10^6 entries again is slow */
	if (!op25b_batch_sorted(b, n))
		op25b_sort(b, n, sizeof(*b), op25b_entry_cmp);
	for (i = 1; i < n; i++) {
		if (!op25b_entry_cmp(&b[i - 1], &b[i])) {
			*bad_pos = b[i].pos > b[i - 1].pos ? b[i].pos :
							     b[i - 1].pos;
			return OP25B_TERR_DUPLICATE;
		}
	}
	return OP25B_TERR_NONE;
}

enum op25b_table_err op25b_table_apply(const struct op25b_table *old,
				       enum op25b_table_op op,
				       struct op25b_entry *batch, u32 n,
				       u32 max, struct op25b_table **out,
				       u32 *bad_pos)
{
	enum op25b_table_err err;
	struct op25b_table *t;
	u32 n4 = 0, n6, i;

	*bad_pos = 0;
	err = op25b_batch_check(batch, n, bad_pos);
	if (err)
		return err;
	if (op == OP25B_OP_ADD && (u64)op25b_table_size(old) + n > max) {
		*bad_pos = n ? batch[0].pos : 0;
		return OP25B_TERR_FULL;
	}
	while (n4 < n && batch[n4].kind == OP25B_KIND_IPV4)
		n4++;
	for (i = n4; i < n && batch[i].kind == OP25B_KIND_IPV6; i++)
		;
	n6 = i - n4;

	t = op25b_zalloc(sizeof(*t));
	if (!t)
		return OP25B_TERR_NOMEM;
	err = op25b_set4_merge(&old->v4, op, batch, n4, &t->v4, bad_pos);
	if (!err)
		err = op25b_set6_merge(&old->v6, op, batch + n4, n6, &t->v6,
				       bad_pos);
	if (!err)
		err = op25b_iif_merge(old, op, batch + n4 + n6, n - n4 - n6,
				      t, bad_pos);
	if (!err)
		err = op25b_table_notes(old, op, batch, n, t);
	if (err) {
		op25b_table_free(t);
		return err;
	}
	*out = t;
	return OP25B_TERR_NONE;
}

void op25b_table_get(const struct op25b_table *t, u32 idx,
		     struct op25b_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->comment = op25b_table_note(t, idx);
	if (idx < t->v4.n) {
		e->kind = OP25B_KIND_IPV4;
		e->v4 = t->v4.addr[idx];
		e->plen = t->v4.plen[idx];
		return;
	}
	idx -= t->v4.n;
	if (idx < t->v6.n) {
		e->kind = OP25B_KIND_IPV6;
		e->v6 = t->v6.addr[idx];
		e->plen = t->v6.plen[idx];
		return;
	}
	idx -= t->v6.n;
	e->kind = OP25B_KIND_IIF;
	memcpy(e->ifname, t->iif[idx].name, IFNAMSIZ);
	if (t->iif[idx].wildcard)
		e->ifname[t->iif[idx].len] = '+';
}

/* Index of the first entry >= (a, plen), by binary search. */
static u32 op25b_lower4(const struct op25b_set4 *s, u32 a, u8 plen)
{
	u32 lo = 0, hi = s->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->addr[mid] < a ||
		    (s->addr[mid] == a && s->plen[mid] < plen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool op25b_table_find4(const struct op25b_table *t, u32 a,
		       struct op25b_entry *e)
{
	int plen;

	for (plen = 32; plen >= 0; plen--) {
		u32 key = a & op25b_mask4(plen);
		u32 i = op25b_lower4(&t->v4, key, plen);

		if (i < t->v4.n && t->v4.addr[i] == key &&
		    t->v4.plen[i] == plen) {
			op25b_table_get(t, i, e);
			return true;
		}
	}
	return false;
}

static u32 op25b_lower6(const struct op25b_set6 *s, __uint128_t a, u8 plen)
{
	u32 lo = 0, hi = s->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->addr[mid] < a ||
		    (s->addr[mid] == a && s->plen[mid] < plen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool op25b_table_find6(const struct op25b_table *t, __uint128_t a,
		       struct op25b_entry *e)
{
	int plen;

	for (plen = 128; plen >= 0; plen--) {
		__uint128_t key = a & op25b_mask6(plen);
		u32 i = op25b_lower6(&t->v6, key, plen);

		if (i < t->v6.n && t->v6.addr[i] == key &&
		    t->v6.plen[i] == plen) {
			op25b_table_get(t, t->v4.n + i, e);
			return true;
		}
	}
	return false;
}

bool op25b_table_find_iif(const struct op25b_table *t, const char *name,
			  struct op25b_entry *e)
{
	u32 i;

	/* an exact name is more specific than any wildcard */
	for (i = 0; i < t->niif; i++) {
		if (!t->iif[i].wildcard &&
		    !strncmp(name, t->iif[i].name, IFNAMSIZ)) {
			op25b_table_get(t, t->v4.n + t->v6.n + i, e);
			return true;
		}
	}
	for (i = 0; i < t->niif; i++) {
		if (t->iif[i].wildcard &&
		    !strncmp(name, t->iif[i].name, t->iif[i].len)) {
			op25b_table_get(t, t->v4.n + t->v6.n + i, e);
			return true;
		}
	}
	return false;
}
