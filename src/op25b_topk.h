/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The offenders store behind "op25bctl top": a Space-Saving summary
 * (Metwally, Agrawal, El Abbadi, "Efficient Computation of Frequent and
 * Top-k Elements in Data Streams", ICDT 2005) of the subscribers with the
 * most blocked SMTP attempts, in memory fixed when it is created.
 *
 * A summary keeps at most `slots` keys.  A key already kept has its count
 * incremented; a new key takes a free slot, or, when all are taken,
 * replaces the key with the smallest count m and starts at m + 1 with
 * error m.  For N attempts recorded, every key's true count lies in
 * [count - error, count], error <= N / slots, and every key with more
 * than N / slots attempts is kept.
 *
 * The kernel keeps one summary per CPU and merges them when read
 * (op25b_topk_merge(), the rule of Agarwal et al., "Mergeable
 * Summaries", PODS 2012), which keeps the same guarantees with N the sum
 * of the summaries' totals.
 *
 * Memory per slot: 48 bytes (key, error, times, destinations, link to
 * the hash table) and an 8-byte count, kept in heap order, plus a hash
 * table of 4-byte entries with at least two per slot: 64 bytes when slots
 * is a power of two (the default 4096: 256 KiB per summary), at most 72
 * otherwise.
 *
 * Nothing here locks: the caller serialises all calls on one summary.
 * This file is plain C shared by the module and the host-side tests.
 */
#ifndef OP25B_TOPK_H
#define OP25B_TOPK_H

#include "op25b_compat.h"

/* Slots of one summary: beyond, op25b_topk_new() fails. */
#define OP25B_TOPK_SLOTS_MAX	(1U << 23)

/*
 * family is 4 or 6; an IPv4 address is in the low 32 bits of addr (host
 * order), an IPv6 one is the /64 (the caller masks it).
 */
struct op25b_topk_key {
	__uint128_t addr;
	u8 family;
};

struct op25b_topk;

/* One merged offender, as op25b_topk_merge() reports it. */
struct op25b_offender {
	struct op25b_topk_key key;
	u64 count;	/* attempts, an upper bound */
	u64 error;	/* count - error is a lower bound */
	u64 first;	/* Unix seconds */
	u64 last;
	u64 dst_bits;	/* one bit per destination hash, op25b_topk_dests() */
};

/*
 * A summary of 1 <= slots <= OP25B_TOPK_SLOTS_MAX keys; NULL when out of
 * memory or slots is out of range.  Everything it needs is allocated
 * here.  The key hash takes a random seed in the kernel (so that
 * subscribers cannot choose addresses that collide) and a fixed one on
 * the host, where tests want to be repeatable.
 */
struct op25b_topk *op25b_topk_new(u32 slots);
void op25b_topk_free(struct op25b_topk *s);
/* Forgets every key and the total. */
void op25b_topk_reset(struct op25b_topk *s);
u32 op25b_topk_slots(const struct op25b_topk *s);

/*
 * Records one attempt by key at time now (Unix seconds) to a destination
 * of hash dst_hash (any 32-bit hash of its address).  No allocation;
 * O(log slots) for the heap and expected O(1) for the hash table.
 * Times are kept to the second within 68 years either side of the first
 * attempt since the last reset, and clamped beyond.
 */
void op25b_topk_hit(struct op25b_topk *s, const struct op25b_topk_key *key,
		    u32 dst_hash, u64 now);

/* Attempts recorded since the last reset. */
u64 op25b_topk_total(const struct op25b_topk *s);
/* Keys kept now, at most the slots. */
u32 op25b_topk_used(const struct op25b_topk *s);

/*
 * Makes dst a copy of src; both must have the same number of slots
 * (-EINVAL otherwise).  No allocation and no sleeping: the kernel takes a
 * snapshot of each per-CPU summary under its lock, then merges the
 * snapshots without holding any.
 */
int op25b_topk_copy(struct op25b_topk *dst, const struct op25b_topk *src);

/*
 * Merges the summaries s[0..ns-1] (NULL ones skipped) and writes the at
 * most max offenders with the highest counts to out[], ordered by count
 * descending, then error ascending, then key (family, then address):
 * returns how many it wrote.  For a key kept in some of the summaries,
 * count (error) is the sum of its counts (errors) there plus, for each
 * full summary that does not keep it, that summary's smallest count.
 * first is the earliest, last the latest, dst_bits the union.
 *
 * Process context only (it may sleep): with more than two non-empty
 * summaries it allocates its scratch memory itself, 12 to 20 bytes per
 * kept key, with op25b_alloc_array(), and frees it before returning.
 * Should that fail, and for two summaries anyway, it looks keys up in
 * the other summaries instead: the same result, slower for many
 * summaries (n keys cost n * (summaries - 1) lookups).  The summaries
 * must not change meanwhile: merge copies (op25b_topk_copy()).  The time
 * grows with max too (a heap of max offenders): ask for the offenders
 * wanted, not all.
 */
u32 op25b_topk_merge(struct op25b_topk *const *s, u32 ns,
		     struct op25b_offender *out, u32 max);

/*
 * Distinct destinations estimated from dst_bits by linear counting:
 * round(-64 ln(zeros / 64)), exact while few destinations share a bit.
 * A full bitmap gives 304, the number of destinations that fills one on
 * average.
 */
u32 op25b_topk_dests(u64 dst_bits);

#endif /* OP25B_TOPK_H */
