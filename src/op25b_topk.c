// SPDX-License-Identifier: GPL-2.0
/*
 * Space-Saving summaries of the top offenders; see op25b_topk.h.
 * Plain C shared by the module and the host-side tests.
 *
 * The slots are kept as a binary min-heap on count, the slots themselves
 * in heap order, the counts in an array of their own so that walking the
 * heap reads few cache lines.  An open-addressing hash table (linear
 * probing, deletion by backward shift, so no tombstones) maps a key to
 * its heap position; each slot remembers its bucket, so that moving a
 * slot in the heap fixes its bucket in O(1), and its home bucket, so
 * that a deletion need not hash the keys it shifts.
 *
 * A count only grows by one, and the heap needs repair only when a
 * child had the same count.  Rather than sifting the slot down level by
 * level, op25b_topk_tie_end() finds the last slot of that count on a
 * path down, the two slots trade places (equal counts: the heap stays
 * valid) and the count grows there: at most one exchange per attempt.
 * An eviction likewise takes any slot of the minimal count without a
 * child of that count, not necessarily the root, and moves nothing.
 */
#include "op25b_topk.h"

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/random.h>
#define op25b_topk_weight(x)	hweight64(x)
#define op25b_topk_seed()	get_random_u32()
#else
#include <assert.h>
#define op25b_topk_weight(x)	__builtin_popcountll(x)
#define op25b_topk_seed()	0U
#endif

/* A slot's times are seconds since the summary's epoch, in 32 bits. */
#define OP25B_TOPK_OFF_MAX	0xffffffffULL
#define OP25B_TOPK_NONE		0xffffffffU
/* Scratch merge: chain links are u32 with this bit marking a head. */
#define OP25B_TOPK_HEAD		0x80000000U
#define OP25B_TOPK_MERGE_MAX	(1U << 30)

struct op25b_topk_slot {
	u64 lo, hi;		/* the key's address; split, not padded to 16 */
	u64 error;
	u64 dst_bits;
	u32 first, last;	/* seconds since op25b_topk.epoch */
	u32 bucket;		/* the hash table entry pointing here */
	u32 tag;		/* family << 24 | low 24 bits of the hash */
};

static_assert(sizeof(struct op25b_topk_slot) == 48, "slot grew");
/* the tag holds a home bucket */
static_assert(OP25B_TOPK_SLOTS_MAX * 2 <= 1U << 24, "tag too small");

struct op25b_topk {
	struct op25b_topk_slot *heap;	/* [slots], [0, used) in use */
	u64 *count;			/* [slots], the heap's order */
	u32 *tab;			/* [mask + 1]: heap position + 1 or 0 */
	u32 slots;
	u32 used;
	u32 mask;
	u32 seed;
	u32 victim;			/* where the next eviction may look */
	u64 total;
	u64 epoch;			/* Unix seconds of a slot's time 0 */
};

/* ---- hashing ---- */

/* The finaliser of MurmurHash3: every input bit flips half the output. */
static u64 op25b_topk_mix(u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static u64 op25b_topk_hash(u32 seed, u64 lo, u64 hi, u8 family)
{
	u64 x = op25b_topk_mix(hi ^ ((u64)seed << 8 | family));

	return op25b_topk_mix(lo ^ x);
}

static u32 op25b_topk_tag(u64 h, u8 family)
{
	return (u32)family << 24 | ((u32)h & 0xffffff);
}

static u8 op25b_topk_family(const struct op25b_topk_slot *e)
{
	return e->tag >> 24;
}

/*
 * The bucket holding key k (lo, hi and the tag for this summary's hash
 * h), or the empty bucket where it would go.  The table is at most half
 * full, so the probe ends.
 */
static u32 op25b_topk_probe(const struct op25b_topk *s, u64 h,
			    const struct op25b_topk_slot *k)
{
	u32 b = h & s->mask;

	for (; s->tab[b]; b = (b + 1) & s->mask) {
		const struct op25b_topk_slot *e = &s->heap[s->tab[b] - 1];

		/* equal tags: equal families, and mostly equal keys */
		if (e->tag == k->tag && e->lo == k->lo && e->hi == k->hi)
			break;
	}
	return b;
}

/*
 * The heap position of another summary's key in s, or OP25B_TOPK_NONE
 * (also when s is NULL, as merges allow).
 */
static u32 op25b_topk_lookup(const struct op25b_topk *s,
			     const struct op25b_topk_slot *key)
{
	u8 family = op25b_topk_family(key);
	struct op25b_topk_slot k = { .lo = key->lo, .hi = key->hi };
	u64 h;
	u32 b;

	if (!s || !s->used)
		return OP25B_TOPK_NONE;
	h = op25b_topk_hash(s->seed, key->lo, key->hi, family);
	k.tag = op25b_topk_tag(h, family);
	b = op25b_topk_probe(s, h, &k);
	return s->tab[b] ? s->tab[b] - 1 : OP25B_TOPK_NONE;
}

/*
 * Empties bucket hole and pulls later entries of its cluster back into
 * it wherever their probe path allows, so that no tombstone is needed.
 */
static void op25b_topk_unlink(struct op25b_topk *s, u32 hole)
{
	u32 j = hole;

	for (;;) {
		struct op25b_topk_slot *e;

		j = (j + 1) & s->mask;
		if (!s->tab[j])
			break;
		e = &s->heap[s->tab[j] - 1];
		/* stays when its home lies cyclically in (hole, j] */
		if (((j - e->tag) & s->mask) <
		    ((j - hole) & s->mask))
			continue;
		s->tab[hole] = s->tab[j];
		e->bucket = hole;
		hole = j;
	}
	s->tab[hole] = 0;
}

/* ---- the heap ---- */

static void op25b_topk_move(struct op25b_topk *s, u32 to, u32 from)
{
	s->heap[to] = s->heap[from];
	s->count[to] = s->count[from];
	s->tab[s->heap[to].bucket] = to + 1;
}

static void op25b_topk_swap(struct op25b_topk *s, u32 p, u32 q)
{
	struct op25b_topk_slot e = s->heap[p];
	u64 count = s->count[p];

	op25b_topk_move(s, p, q);
	s->heap[q] = e;
	s->count[q] = count;
	s->tab[e.bucket] = q + 1;
}

/*
 * From p down through children of p's count c to a slot without one:
 * there c may become c + 1 and the heap stays valid.
 */
static u32 op25b_topk_tie_end(const struct op25b_topk *s, u32 p)
{
	u64 c = s->count[p];
	u32 l;

	/*
	 * The left child if it ties, else the right: which one is a coin
	 * toss, so arithmetic rather than a branch chooses.
	 */
	while ((l = 2 * p + 1) < s->used) {
		l += s->count[l] != c;
		if (l >= s->used || s->count[l] != c)
			break;
		p = l;
	}
	return p;
}

/* A new slot at p, counted 1, rises above the larger counts. */
static void op25b_topk_sift_up(struct op25b_topk *s, u32 p)
{
	struct op25b_topk_slot e = s->heap[p];
	u64 count = s->count[p];

	while (p && s->count[(p - 1) / 2] > count) {
		op25b_topk_move(s, p, (p - 1) / 2);
		p = (p - 1) / 2;
	}
	s->heap[p] = e;
	s->count[p] = count;
	s->tab[e.bucket] = p + 1;
}

/* ---- a summary ---- */

struct op25b_topk *op25b_topk_new(u32 slots)
{
	struct op25b_topk *s;
	u32 buckets = 2;

	if (!slots || slots > OP25B_TOPK_SLOTS_MAX)
		return NULL;
	while (buckets < 2 * slots)
		buckets <<= 1;
	s = op25b_zalloc(sizeof(*s));
	if (!s)
		return NULL;
	s->heap = op25b_alloc_array(slots, sizeof(*s->heap));
	s->count = op25b_alloc_array(slots, sizeof(*s->count));
	s->tab = op25b_alloc_array(buckets, sizeof(*s->tab));
	if (!s->heap || !s->count || !s->tab) {
		op25b_topk_free(s);
		return NULL;
	}
	s->slots = slots;
	s->mask = buckets - 1;
	s->seed = op25b_topk_seed();
	op25b_topk_reset(s);
	return s;
}

void op25b_topk_free(struct op25b_topk *s)
{
	if (!s)
		return;
	op25b_free(s->heap);
	op25b_free(s->count);
	op25b_free(s->tab);
	op25b_free(s);
}

void op25b_topk_reset(struct op25b_topk *s)
{
	s->used = 0;
	s->victim = 0;
	s->total = 0;
	s->epoch = 0;
	memset(s->tab, 0, (size_t)(s->mask + 1) * sizeof(*s->tab));
}

u32 op25b_topk_slots(const struct op25b_topk *s)
{
	return s->slots;
}

u64 op25b_topk_total(const struct op25b_topk *s)
{
	return s->total;
}

u32 op25b_topk_used(const struct op25b_topk *s)
{
	return s->used;
}

int op25b_topk_copy(struct op25b_topk *dst, const struct op25b_topk *src)
{
	if (dst->slots != src->slots)
		return -EINVAL;
	memcpy(dst->heap, src->heap, (size_t)src->used * sizeof(*src->heap));
	memcpy(dst->count, src->count, (size_t)src->used * sizeof(*src->count));
	memcpy(dst->tab, src->tab, (size_t)(src->mask + 1) * sizeof(*src->tab));
	/* the buckets were chosen with src's seed */
	dst->seed = src->seed;
	dst->used = src->used;
	dst->victim = src->victim;
	dst->total = src->total;
	dst->epoch = src->epoch;
	return 0;
}

/*
 * 32-bit times around the first attempt after a reset: the epoch lies
 * 2^31 seconds before it, so the clock may step back as well as forward.
 */
static u32 op25b_topk_time(struct op25b_topk *s, u64 now)
{
	if (!s->total)
		s->epoch = now > (1ULL << 31) ? now - (1ULL << 31) : 0;
	if (now < s->epoch)
		return 0;
	if (now - s->epoch > OP25B_TOPK_OFF_MAX)
		return OP25B_TOPK_OFF_MAX;
	return now - s->epoch;
}

/*
 * One of 64 bits per destination.  The caller's hash may be weak (an
 * address as it is, or a multiplicative hash, which spreads neighbours
 * too evenly and would bias linear counting): the finaliser of
 * MurmurHash3 makes the bit look random.
 */
static u64 op25b_topk_dst_bit(u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bU;
	h ^= h >> 13;
	h *= 0xc2b2ae35U;
	h ^= h >> 16;
	return 1ULL << (h >> 26);
}

/*
 * Puts a new key of hash h into the empty bucket b: into a free slot, or
 * in place of a key of the smallest count m, starting at m + 1 with
 * error m.
 */
static void op25b_topk_insert(struct op25b_topk *s, u64 h, u32 b,
			      const struct op25b_topk_slot *key)
{
	struct op25b_topk_slot *e;
	u64 min = 0;
	u32 p;

	if (s->used < s->slots) {
		p = s->used++;
	} else {
		/*
		 * Any slot of the minimal count leads to a victim: the parent
		 * of the last one often has that count and saves the walk
		 * from the root.
		 */
		p = s->count[s->victim] == s->count[0] ? s->victim : 0;
		p = op25b_topk_tie_end(s, p);
		s->victim = p ? (p - 1) / 2 : 0;
		min = s->count[p];
		op25b_topk_unlink(s, s->heap[p].bucket);
		/* the unlink may have opened a bucket earlier on the path */
		b = op25b_topk_probe(s, h, key);
	}
	e = &s->heap[p];
	*e = *key;
	e->error = min;
	e->bucket = b;
	s->count[p] = min + 1;
	s->tab[b] = p + 1;
	if (!min)
		op25b_topk_sift_up(s, p);
}

void op25b_topk_hit(struct op25b_topk *s, const struct op25b_topk_key *key,
		    u32 dst_hash, u64 now)
{
	struct op25b_topk_slot k = {
		.lo = (u64)key->addr,
		.hi = (u64)(key->addr >> 64),
		.dst_bits = op25b_topk_dst_bit(dst_hash),
		.first = op25b_topk_time(s, now),
	};
	u64 h = op25b_topk_hash(s->seed, k.lo, k.hi, key->family);
	struct op25b_topk_slot *e;
	u32 b, p, q;

	k.tag = op25b_topk_tag(h, key->family);
	k.last = k.first;
	b = op25b_topk_probe(s, h, &k);
	s->total++;
	if (!s->tab[b]) {
		op25b_topk_insert(s, h, b, &k);
		return;
	}
	p = s->tab[b] - 1;
	q = op25b_topk_tie_end(s, p);
	if (q != p)
		op25b_topk_swap(s, p, q);
	s->count[q]++;
	e = &s->heap[q];
	e->dst_bits |= k.dst_bits;
	if (k.last > e->last)
		e->last = k.last;
	if (k.first < e->first)
		e->first = k.first;
}

/* ---- merging ---- */

/* What a full summary adds for a key it does not keep: its minimum. */
static u64 op25b_topk_floor(const struct op25b_topk *s)
{
	return s->used == s->slots ? s->count[0] : 0;
}

static int op25b_topk_key_cmp(const struct op25b_topk_key *a,
			      const struct op25b_topk_key *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return 0;
}

/* The report's order: most attempts, then least error, then key. */
static bool op25b_topk_better(const struct op25b_offender *a,
			      const struct op25b_offender *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	if (a->error != b->error)
		return a->error < b->error;
	return op25b_topk_key_cmp(&a->key, &b->key) < 0;
}

/*
 * Adds one summary's slot to a merged offender.  The sums are taken
 * relative to the floors (floor_sum, the sum of all floors, was the
 * start): wrapping u64 arithmetic, whose end result is exact.
 */
static void op25b_topk_add(struct op25b_offender *o,
			   const struct op25b_topk *s, u32 p)
{
	const struct op25b_topk_slot *e = &s->heap[p];
	u64 floor = op25b_topk_floor(s);
	u64 first = s->epoch + e->first, last = s->epoch + e->last;

	o->count += s->count[p] - floor;
	o->error += e->error - floor;
	o->dst_bits |= e->dst_bits;
	if (first < o->first)
		o->first = first;
	if (last > o->last)
		o->last = last;
}

static void op25b_topk_start(struct op25b_offender *o,
			     const struct op25b_topk *s, u32 p, u64 floor_sum)
{
	const struct op25b_topk_slot *e = &s->heap[p];

	memset(o, 0, sizeof(*o));
	o->key.addr = (__uint128_t)e->hi << 64 | e->lo;
	o->key.family = op25b_topk_family(e);
	o->count = floor_sum;
	o->error = floor_sum;
	o->first = ~0ULL;
	op25b_topk_add(o, s, p);
}

/*
 * The best max offenders are selected in out[] itself, kept as a heap
 * with the worst of them at the root, then sorted by heapsort.
 */
struct op25b_topk_sel {
	struct op25b_offender *out;
	u32 n, max;
};

/*
 * Places o at p or below, moving the worse children up.  Holes rather
 * than swaps: one copy of an offender per level.
 */
static void op25b_topk_sel_down(struct op25b_offender *out, u32 p, u32 n,
				const struct op25b_offender *o)
{
	for (;;) {
		u32 c = 2 * p + 1;

		if (c >= n)
			break;
		if (c + 1 < n && op25b_topk_better(&out[c], &out[c + 1]))
			c++;
		if (!op25b_topk_better(o, &out[c]))
			break;
		out[p] = out[c];
		p = c;
	}
	out[p] = *o;
}

static void op25b_topk_sel_up(struct op25b_offender *out, u32 p,
			      const struct op25b_offender *o)
{
	while (p && op25b_topk_better(&out[(p - 1) / 2], o)) {
		out[p] = out[(p - 1) / 2];
		p = (p - 1) / 2;
	}
	out[p] = *o;
}

static void op25b_topk_offer(struct op25b_topk_sel *sel,
			     const struct op25b_offender *o)
{
	if (sel->n < sel->max)
		op25b_topk_sel_up(sel->out, sel->n++, o);
	else if (op25b_topk_better(o, &sel->out[0]))
		op25b_topk_sel_down(sel->out, 0, sel->n, o);
}

static u32 op25b_topk_sel_finish(struct op25b_topk_sel *sel)
{
	struct op25b_offender last;
	u32 end;

	for (end = sel->n; end > 1; end--) {
		last = sel->out[end - 1];
		sel->out[end - 1] = sel->out[0];
		op25b_topk_sel_down(sel->out, 0, end - 1, &last);
	}
	return sel->n;
}

/*
 * Without scratch memory: a key is merged from the first summary that
 * keeps it, found in the others through their own hash tables.  Cheap
 * for two summaries, n * (ns - 1) lookups in general.
 */
static bool op25b_topk_kept_before(struct op25b_topk *const *s, u32 i,
				   const struct op25b_topk_slot *e)
{
	u32 j;

	for (j = 0; j < i; j++)
		if (op25b_topk_lookup(s[j], e) != OP25B_TOPK_NONE)
			return true;
	return false;
}

static void op25b_topk_merge_lookup(struct op25b_topk *const *s, u32 ns,
				    u64 floor_sum, struct op25b_topk_sel *sel)
{
	struct op25b_offender o;
	u32 i, j, p, q;

	for (i = 0; i < ns; i++) {
		for (p = 0; s[i] && p < s[i]->used; p++) {
			const struct op25b_topk_slot *e = &s[i]->heap[p];

			if (op25b_topk_kept_before(s, i, e))
				continue;
			op25b_topk_start(&o, s[i], p, floor_sum);
			for (j = i + 1; j < ns; j++) {
				q = op25b_topk_lookup(s[j], e);
				if (q != OP25B_TOPK_NONE)
					op25b_topk_add(&o, s[j], q);
			}
			op25b_topk_offer(sel, &o);
		}
		op25b_cond_resched();
	}
}

/*
 * With scratch memory, candidates are numbered across the summaries
 * (summary i's slots from base[i] on) and grouped by key in a hash table
 * of candidate numbers; the candidates of one key are chained from the
 * first one, the head.
 */
struct op25b_topk_grp {
	struct op25b_topk *const *s;
	u32 ns;
	u32 *tab;	/* [mask + 1]: head + 1, or 0 */
	u32 *next;	/* [n]: next candidate + 1 or 0, | OP25B_TOPK_HEAD */
	u32 *base;	/* [ns + 1] */
	u32 mask;
	u32 seed;
};

/* The summary holding candidate c: base[i] <= c < base[i + 1]. */
static u32 op25b_topk_locate(const struct op25b_topk_grp *g, u32 c)
{
	u32 lo = 0, hi = g->ns;

	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (g->base[mid] <= c)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static const struct op25b_topk_slot *
op25b_topk_cand(const struct op25b_topk_grp *g, u32 c)
{
	u32 i = op25b_topk_locate(g, c);

	return &g->s[i]->heap[c - g->base[i]];
}

static void op25b_topk_group(struct op25b_topk_grp *g, u32 c,
			     const struct op25b_topk_slot *e)
{
	u8 family = op25b_topk_family(e);
	u32 b = op25b_topk_hash(g->seed, e->lo, e->hi, family) & g->mask;

	for (; g->tab[b]; b = (b + 1) & g->mask) {
		u32 head = g->tab[b] - 1;
		const struct op25b_topk_slot *h = op25b_topk_cand(g, head);

		/* tags differ between summaries, hashed with their seeds */
		if (h->lo == e->lo && h->hi == e->hi &&
		    op25b_topk_family(h) == family) {
			g->next[c] = g->next[head] & ~OP25B_TOPK_HEAD;
			g->next[head] = OP25B_TOPK_HEAD | (c + 1);
			return;
		}
	}
	g->tab[b] = c + 1;
	g->next[c] = OP25B_TOPK_HEAD;
}

static void op25b_topk_emit(const struct op25b_topk_grp *g, u32 c,
			    u64 floor_sum, struct op25b_topk_sel *sel)
{
	struct op25b_offender o;
	u32 i = op25b_topk_locate(g, c), d;

	op25b_topk_start(&o, g->s[i], c - g->base[i], floor_sum);
	for (d = g->next[c] & ~OP25B_TOPK_HEAD; d; d = g->next[d - 1]) {
		i = op25b_topk_locate(g, d - 1);
		op25b_topk_add(&o, g->s[i], d - 1 - g->base[i]);
	}
	op25b_topk_offer(sel, &o);
}

static bool op25b_topk_merge_scratch(struct op25b_topk *const *s, u32 ns,
				     u64 n, u64 floor_sum,
				     struct op25b_topk_sel *sel)
{
	struct op25b_topk_grp g = { .s = s, .ns = ns };
	u32 buckets = 2, i, p, c;

	if (n > OP25B_TOPK_MERGE_MAX)
		return false;
	while (buckets < 2 * n)
		buckets <<= 1;
	g.tab = op25b_alloc_array(buckets + n + ns + 1, sizeof(u32));
	if (!g.tab)
		return false;
	memset(g.tab, 0, (size_t)buckets * sizeof(u32));
	g.next = g.tab + buckets;
	g.base = g.next + n;
	g.mask = buckets - 1;
	for (i = 0, c = 0; i < ns; i++) {
		g.base[i] = c;
		if (s[i]) {
			c += s[i]->used;
			g.seed = s[i]->seed;
		}
	}
	g.base[ns] = c;

	for (i = 0, c = 0; i < ns; i++) {
		for (p = 0; s[i] && p < s[i]->used; p++, c++)
			op25b_topk_group(&g, c, &s[i]->heap[p]);
		op25b_cond_resched();
	}
	for (i = 0, c = 0; i < ns; i++) {
		for (p = 0; s[i] && p < s[i]->used; p++, c++)
			if (g.next[c] & OP25B_TOPK_HEAD)
				op25b_topk_emit(&g, c, floor_sum, sel);
		op25b_cond_resched();
	}
	op25b_free(g.tab);
	return true;
}

u32 op25b_topk_merge(struct op25b_topk *const *s, u32 ns,
		     struct op25b_offender *out, u32 max)
{
	struct op25b_topk_sel sel = { .out = out, .max = max };
	u64 floor_sum = 0, n = 0;
	u32 i, kept = 0;

	if (!max)
		return 0;
	for (i = 0; i < ns; i++) {
		if (!s[i] || !s[i]->used)
			continue;
		floor_sum += op25b_topk_floor(s[i]);
		n += s[i]->used;
		kept++;
	}
	/* two summaries take as few lookups as scratch inserts */
	if (kept <= 2 || !op25b_topk_merge_scratch(s, ns, n, floor_sum, &sel))
		op25b_topk_merge_lookup(s, ns, floor_sum, &sel);
	return op25b_topk_sel_finish(&sel);
}

/*
 * round(-64 ln((64 - i) / 64)) for i bits set; a full bitmap reads as
 * 64 H(64) = 304, the destinations that fill one on average.
 */
static const u16 op25b_topk_lc[65] = {
	0, 1, 2, 3, 4, 5, 6, 7,
	9, 10, 11, 12, 13, 15, 16, 17,
	18, 20, 21, 23, 24, 25, 27, 28,
	30, 32, 33, 35, 37, 39, 40, 42,
	44, 46, 48, 51, 53, 55, 58, 60,
	63, 65, 68, 71, 74, 78, 81, 85,
	89, 93, 97, 102, 107, 113, 119, 126,
	133, 142, 151, 163, 177, 196, 222, 266,
	304,
};

u32 op25b_topk_dests(u64 dst_bits)
{
	return op25b_topk_lc[op25b_topk_weight(dst_bits)];
}
