/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prototype lookups for the benchmark's analysis (--proto): NOT op25b's
 * code.  They are built from an op25b table's coverage (start[]/end[])
 * and answer the same membership question, to measure what two changes
 * to src/op25b_table.[ch] would buy:
 *
 *  1. intervals as (start, end) pairs in one array, so the final check
 *     reads one cache line instead of one in start[] and one in end[];
 *  2. fewer unpredictable branches: one range check (a - base > span),
 *     bucket bounds clamped at build time, the common case of one or two
 *     candidates resolved with a conditional move, a branch-free binary
 *     search otherwise, and a non-short-circuit final test.
 *
 * xbits adds bucket bits over op25b's fls(niv): 0 keeps op25b's bucket
 * count, 2 gives about four buckets per interval.
 */
#ifndef BENCH_PROTO_H
#define BENCH_PROTO_H

#include "op25b_table.h"

struct proto_iv4 {
	u32 s, e;
};

struct proto4 {
	u32 base, span, shift, nbuckets, niv;
	u32 *bucket;
	struct proto_iv4 *iv;
};

struct proto_iv6 {
	__uint128_t s, e;
};

struct proto6 {
	__uint128_t base, span;
	u32 shift, nbuckets, niv;
	u32 *bucket;
	struct proto_iv6 *iv;
};

static inline unsigned int proto_fls32(u32 x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline unsigned int proto_fls128(__uint128_t x)
{
	u64 hi = (u64)(x >> 64);

	if (hi)
		return 128 - __builtin_clzll(hi);
	return (u64)x ? 64 - __builtin_clzll((u64)x) : 0;
}

static inline unsigned int proto_bits(u32 niv, unsigned int xbits)
{
	unsigned int b = proto_fls32(niv);

	return (b > 22 ? 22 : b) + xbits;
}

static inline int proto4_build(struct proto4 *p, const struct op25b_set4 *s,
			       unsigned int xbits)
{
	u32 i, b, k = s->niv;
	unsigned int bits;

	memset(p, 0, sizeof(*p));
	p->iv = malloc(sizeof(*p->iv) * (k ? k : 1));
	if (!p->iv)
		return -1;
	if (!k) {
		/* an interval that matches nothing, and one bucket */
		p->iv[0].s = 1;
		p->iv[0].e = 0;
		p->bucket = calloc(2, sizeof(*p->bucket));
		p->nbuckets = 1;
		p->base = 1;
		return p->bucket ? 0 : -1;
	}
	for (i = 0; i < k; i++) {
		p->iv[i].s = s->start[i];
		p->iv[i].e = s->end[i];
	}
	p->niv = k;
	p->base = s->start[0];
	p->span = s->end[k - 1] - s->start[0];
	bits = proto_bits(k, xbits);
	p->shift = proto_fls32(p->span) > bits ? proto_fls32(p->span) - bits : 0;
	p->nbuckets = (p->span >> p->shift) + 1;
	p->bucket = malloc(sizeof(*p->bucket) * ((size_t)p->nbuckets + 1));
	if (!p->bucket)
		return -1;
	for (i = 0, b = 0; b < p->nbuckets; b++) {
		u32 first = p->base + (b << p->shift);

		while (i < k && p->iv[i].e < first)
			i++;
		p->bucket[b] = i < k ? i : k - 1;
	}
	p->bucket[p->nbuckets] = k - 1;
	return 0;
}

static inline void proto4_free(struct proto4 *p)
{
	free(p->iv);
	free(p->bucket);
}

static inline bool proto4_has(const struct proto4 *p, u32 a)
{
	u32 off = a - p->base, lo, hi, n;

	if (off > p->span)
		return false;
	off >>= p->shift;
	lo = p->bucket[off];
	hi = p->bucket[off + 1];
	if (likely(hi - lo <= 1)) {
		lo = p->iv[hi].s <= a ? hi : lo;
	} else {
		for (n = hi - lo + 1; n > 1; n -= n / 2)
			lo = p->iv[lo + n / 2].s <= a ? lo + n / 2 : lo;
	}
	return (p->iv[lo].s <= a) & (a <= p->iv[lo].e);
}

static inline size_t proto4_hot_bytes(const struct proto4 *p)
{
	return (size_t)p->niv * sizeof(*p->iv) +
	       ((size_t)p->nbuckets + 1) * sizeof(*p->bucket);
}

static inline int proto6_build(struct proto6 *p, const struct op25b_set6 *s,
			       unsigned int xbits)
{
	u32 i, b, k = s->niv;
	unsigned int bits, fls;

	memset(p, 0, sizeof(*p));
	p->iv = malloc(sizeof(*p->iv) * (k ? k : 1));
	if (!p->iv)
		return -1;
	if (!k) {
		p->iv[0].s = 1;
		p->iv[0].e = 0;
		p->bucket = calloc(2, sizeof(*p->bucket));
		p->nbuckets = 1;
		p->base = 1;
		return p->bucket ? 0 : -1;
	}
	for (i = 0; i < k; i++) {
		p->iv[i].s = s->start[i];
		p->iv[i].e = s->end[i];
	}
	p->niv = k;
	p->base = s->start[0];
	p->span = s->end[k - 1] - s->start[0];
	bits = proto_bits(k, xbits);
	fls = proto_fls128(p->span);
	p->shift = fls > bits ? fls - bits : 0;
	p->nbuckets = (u32)(p->span >> p->shift) + 1;
	p->bucket = malloc(sizeof(*p->bucket) * ((size_t)p->nbuckets + 1));
	if (!p->bucket)
		return -1;
	for (i = 0, b = 0; b < p->nbuckets; b++) {
		__uint128_t first = p->base + ((__uint128_t)b << p->shift);

		while (i < k && p->iv[i].e < first)
			i++;
		p->bucket[b] = i < k ? i : k - 1;
	}
	p->bucket[p->nbuckets] = k - 1;
	return 0;
}

static inline void proto6_free(struct proto6 *p)
{
	free(p->iv);
	free(p->bucket);
}

static inline bool proto6_has(const struct proto6 *p, __uint128_t a)
{
	__uint128_t off = a - p->base;
	u32 lo, hi, n, b;

	if (off > p->span)
		return false;
	b = (u32)(off >> p->shift);
	lo = p->bucket[b];
	hi = p->bucket[b + 1];
	if (likely(hi - lo <= 1)) {
		lo = p->iv[hi].s <= a ? hi : lo;
	} else {
		for (n = hi - lo + 1; n > 1; n -= n / 2)
			lo = p->iv[lo + n / 2].s <= a ? lo + n / 2 : lo;
	}
	return (p->iv[lo].s <= a) & (a <= p->iv[lo].e);
}

static inline size_t proto6_hot_bytes(const struct proto6 *p)
{
	return (size_t)p->niv * sizeof(*p->iv) +
	       ((size_t)p->nbuckets + 1) * sizeof(*p->bucket);
}

/*
 * op25b's own layout and lookup with xbits more bucket bits: a copy of
 * @src sharing its start[]/end[], with a bucket array of its own filled
 * exactly as op25b_set4_compile() does.  Isolates the bucket sizing.
 */
static inline int proto_rebucket4(struct op25b_set4 *d,
				  const struct op25b_set4 *s,
				  unsigned int xbits)
{
	u32 i, b, k = s->niv, span;
	unsigned int bits;

	*d = *s;
	d->bucket = NULL;
	if (!k)
		return 0;
	span = s->end[k - 1] - s->start[0];
	bits = proto_bits(k, xbits);
	d->shift = proto_fls32(span) > bits ? proto_fls32(span) - bits : 0;
	d->nbuckets = (span >> d->shift) + 1;
	d->bucket = malloc(sizeof(*d->bucket) * ((size_t)d->nbuckets + 1));
	if (!d->bucket)
		return -1;
	for (i = 0, b = 0; b < d->nbuckets; b++) {
		u32 first = s->start[0] + (b << d->shift);

		while (i < k && s->end[i] < first)
			i++;
		d->bucket[b] = i;
	}
	d->bucket[d->nbuckets] = k;
	return 0;
}

static inline int proto_rebucket6(struct op25b_set6 *d,
				  const struct op25b_set6 *s,
				  unsigned int xbits)
{
	u32 i, b, k = s->niv;
	unsigned int bits, fls;
	__uint128_t span;

	*d = *s;
	d->bucket = NULL;
	if (!k)
		return 0;
	span = s->end[k - 1] - s->start[0];
	bits = proto_bits(k, xbits);
	fls = proto_fls128(span);
	d->shift = fls > bits ? fls - bits : 0;
	d->nbuckets = (u32)(span >> d->shift) + 1;
	d->bucket = malloc(sizeof(*d->bucket) * ((size_t)d->nbuckets + 1));
	if (!d->bucket)
		return -1;
	for (i = 0, b = 0; b < d->nbuckets; b++) {
		__uint128_t first = s->start[0] + ((__uint128_t)b << d->shift);

		while (i < k && s->end[i] < first)
			i++;
		d->bucket[b] = i;
	}
	d->bucket[d->nbuckets] = k;
	return 0;
}

/*
 * Prototype 3, a bucket tree (--proto, runner "ptree"): op25b's buckets
 * assume the intervals are spread evenly over [start[0], end[niv-1]]; with
 * clustered prefixes (a carrier's few blocks) most buckets are empty and a
 * few hold thousands of intervals.  Here a bucket holding more than
 * PTREE_LEAF candidates gets a child bucket array of its own, over its own
 * range, with about two buckets per candidate; recursively.  A bucket is
 * one 8-byte entry: (lo, hi) candidates, or (child shift, FLAG | index of
 * the child's first entry).
 */
#define PTREE_LEAF	4
#define PTREE_FLAG	0x80000000u

struct ptree_ent {
	u32 lo, hi;
};

struct ptree {
	struct ptree_ent *ent;
	u32 nent, cap;
	u32 shift;		/* top level */
	u32 depth_max;
};

static inline int ptree_reserve(struct ptree *t, u32 n, u32 *first)
{
	if (t->nent + (u64)n >= PTREE_FLAG)
		return -1;
	if (t->nent + n > t->cap) {
		u32 cap = t->cap ? t->cap : 1024;
		struct ptree_ent *e;

		while (cap < t->nent + n)
			cap *= 2;
		e = realloc(t->ent, sizeof(*e) * (size_t)cap);
		if (!e)
			return -1;
		t->ent = e;
		t->cap = cap;
	}
	*first = t->nent;
	t->nent += n;
	return 0;
}

/* first interval ending at or after x; last interval starting at or before y */
#define PTREE_BOUNDS(T, IV, K, X, Y, LO, HI)				\
	do {								\
		u32 l_ = 0, h_ = (K);					\
		while (l_ < h_) {					\
			u32 m_ = l_ + (h_ - l_) / 2;			\
			if ((IV)[m_].e < (X)) l_ = m_ + 1; else h_ = m_;	\
		}							\
		(LO) = l_ < (K) ? l_ : (K) - 1;				\
		l_ = 0; h_ = (K);					\
		while (l_ < h_) {					\
			u32 m_ = l_ + (h_ - l_) / 2;			\
			if ((IV)[m_].s <= (Y)) l_ = m_ + 1; else h_ = m_;	\
		}							\
		(HI) = l_ ? l_ - 1 : 0;					\
		if ((HI) < (LO)) (HI) = (LO);				\
	} while (0)

/* fills the nb entries at t->ent[at], buckets of 2^shift addresses from x0 */
static int ptree4_fill(struct ptree *t, const struct proto4 *p, u32 at,
		       u64 x0, u32 nb, u32 shift, u32 depth)
{
	u32 j;

	if (depth > t->depth_max)
		t->depth_max = depth;
	for (j = 0; j < nb; j++) {
		u64 x = x0 + ((u64)j << shift), y = x + ((u64)1 << shift) - 1;
		u32 lo, hi, cbits, first;

		if (y > 0xffffffffULL)
			y = 0xffffffffULL;
		if (x > 0xffffffffULL)
			x = 0xffffffffULL;
		PTREE_BOUNDS(t, p->iv, p->niv, (u32)x, (u32)y, lo, hi);
		if (hi - lo + 1 <= PTREE_LEAF || !shift) {
			t->ent[at + j].lo = lo;
			t->ent[at + j].hi = hi;
			continue;
		}
		cbits = proto_fls32(hi - lo + 1) + 1;
		if (cbits > shift)
			cbits = shift;
		if (ptree_reserve(t, 1u << cbits, &first))
			return -1;
		t->ent[at + j].lo = shift - cbits;
		t->ent[at + j].hi = PTREE_FLAG | first;
		if (ptree4_fill(t, p, first, x, 1u << cbits, shift - cbits,
				depth + 1))
			return -1;
	}
	return 0;
}

/* built over a proto4 (for its interval pairs, base and span) */
static inline int ptree4_build(struct ptree *t, const struct proto4 *p)
{
	u32 first, nb;
	unsigned int bits = proto_bits(p->niv, 0);

	memset(t, 0, sizeof(*t));
	t->shift = proto_fls32(p->span) > bits ? proto_fls32(p->span) - bits : 0;
	nb = (p->span >> t->shift) + 1;
	if (ptree_reserve(t, nb, &first))
		return -1;
	if (!p->niv) {
		t->ent[0].lo = t->ent[0].hi = 0;
		return 0;
	}
	return ptree4_fill(t, p, first, p->base, nb, t->shift, 1);
}

static inline bool ptree4_has(const struct ptree *t, const struct proto4 *p,
			      u32 a)
{
	u32 off = a - p->base, shift = t->shift, lo, hi, n;
	struct ptree_ent e;

	if (off > p->span)
		return false;
	e = t->ent[off >> shift];
	while (unlikely(e.hi & PTREE_FLAG)) {
		off &= (1u << shift) - 1;
		shift = e.lo;
		e = t->ent[(e.hi & ~PTREE_FLAG) + (off >> shift)];
	}
	/* at most PTREE_LEAF (4) candidates: two fixed branch-free steps */
	lo = e.lo;
	hi = e.hi;
	n = lo + 2 < hi ? lo + 2 : hi;
	lo = p->iv[n].s <= a ? n : lo;
	n = lo + 1 < hi ? lo + 1 : hi;
	lo = p->iv[n].s <= a ? n : lo;
	return (p->iv[lo].s <= a) & (a <= p->iv[lo].e);
}

static int ptree6_fill(struct ptree *t, const struct proto6 *p, u32 at,
		       __uint128_t x0, u32 nb, u32 shift, u32 depth)
{
	const __uint128_t max = ~(__uint128_t)0;
	u32 j;

	if (depth > t->depth_max)
		t->depth_max = depth;
	for (j = 0; j < nb; j++) {
		__uint128_t x = x0 + ((__uint128_t)j << shift), y;
		u32 lo, hi, cbits, first;

		/* x0 + nb << shift may pass 2^128 at the very top only */
		if (x < x0)
			x = max;
		y = x + (((__uint128_t)1 << shift) - 1);
		if (y < x)
			y = max;
		PTREE_BOUNDS(t, p->iv, p->niv, x, y, lo, hi);
		if (hi - lo + 1 <= PTREE_LEAF || !shift) {
			t->ent[at + j].lo = lo;
			t->ent[at + j].hi = hi;
			continue;
		}
		cbits = proto_fls32(hi - lo + 1) + 1;
		if (cbits > shift)
			cbits = shift;
		if (ptree_reserve(t, 1u << cbits, &first))
			return -1;
		t->ent[at + j].lo = shift - cbits;
		t->ent[at + j].hi = PTREE_FLAG | first;
		if (ptree6_fill(t, p, first, x, 1u << cbits, shift - cbits,
				depth + 1))
			return -1;
	}
	return 0;
}

static inline int ptree6_build(struct ptree *t, const struct proto6 *p)
{
	u32 first, nb;
	unsigned int bits = proto_bits(p->niv, 0), fls = proto_fls128(p->span);

	memset(t, 0, sizeof(*t));
	t->shift = fls > bits ? fls - bits : 0;
	nb = (u32)(p->span >> t->shift) + 1;
	if (ptree_reserve(t, nb, &first))
		return -1;
	if (!p->niv) {
		t->ent[0].lo = t->ent[0].hi = 0;
		return 0;
	}
	return ptree6_fill(t, p, first, p->base, nb, t->shift, 1);
}

static inline bool ptree6_has(const struct ptree *t, const struct proto6 *p,
			      __uint128_t a)
{
	__uint128_t off = a - p->base;
	u32 shift = t->shift, lo, hi, n;
	struct ptree_ent e;

	if (off > p->span)
		return false;
	e = t->ent[(u32)(off >> shift)];
	while (unlikely(e.hi & PTREE_FLAG)) {
		off &= ((__uint128_t)1 << shift) - 1;
		shift = e.lo;
		e = t->ent[(e.hi & ~PTREE_FLAG) + (u32)(off >> shift)];
	}
	/* at most PTREE_LEAF (4) candidates: two fixed branch-free steps */
	lo = e.lo;
	hi = e.hi;
	n = lo + 2 < hi ? lo + 2 : hi;
	lo = p->iv[n].s <= a ? n : lo;
	n = lo + 1 < hi ? lo + 1 : hi;
	lo = p->iv[n].s <= a ? n : lo;
	return (p->iv[lo].s <= a) & (a <= p->iv[lo].e);
}

static inline size_t ptree_hot_bytes(const struct ptree *t, u32 niv,
				     size_t ivsize)
{
	return (size_t)t->nent * sizeof(*t->ent) + (size_t)niv * ivsize;
}

#endif /* BENCH_PROTO_H */
