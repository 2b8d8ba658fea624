// SPDX-License-Identifier: GPL-2.0
/*
 * The offenders store: which subscribers make the most blocked (or, in
 * monitor mode, would-be blocked) attempts.  Each CPU feeds its own
 * Space-Saving summary (op25b_topk.c), so the packet path never shares a
 * cache line or a lock with another CPU; a reader copies every CPU's
 * summary under that CPU's lock and merges the copies.  The merged counts
 * overestimate by at most total / slots (docs/design.md).
 */
#include <linux/hash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

#include "op25b_net.h"

static void op25b_top_destroy(struct op25b_top *top)
{
	int cpu;

	/* a half-built store has NULL summaries left */
	for_each_possible_cpu(cpu)
		op25b_topk_free(per_cpu_ptr(top->cpu, cpu)->sum);
	free_percpu(top->cpu);
	kfree(top);
}

static u32 op25b_top_param(void)
{
	return clamp(READ_ONCE(op25b_offenders_max), 1U,
		     OP25B_OFFENDERS_LIMIT);
}

/* The slots of the store, or of the one the namespace would get. */
u32 op25b_top_slots(struct op25b_net *on)
{
	struct op25b_top *top;
	u32 slots;

	rcu_read_lock();
	top = rcu_dereference(on->top);
	slots = top ? top->slots : op25b_top_param();
	rcu_read_unlock();
	return slots;
}

/*
 * on->top is published once, under on->lock, and freed only when the
 * namespace goes, after its hooks and every request: a request in
 * process context may follow it without RCU.
 */
static struct op25b_top *op25b_top_of(struct op25b_net *on)
{
	return rcu_dereference_protected(on->top, 1);
}

int op25b_top_ensure(struct op25b_net *on)
{
	int cpu;
	struct op25b_top *top =
		rcu_dereference_protected(on->top, lockdep_is_held(&on->lock));

	if (top)
		return 0;
	top = kzalloc(sizeof(*top), GFP_KERNEL_ACCOUNT);
	if (!top)
		return -ENOMEM;
	top->slots = op25b_top_param();
	top->cpu = alloc_percpu_gfp(struct op25b_top_cpu,
				    GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!top->cpu) {
		kfree(top);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct op25b_top_cpu *c = per_cpu_ptr(top->cpu, cpu);

		spin_lock_init(&c->lock);
		c->sum = op25b_topk_new(top->slots);
		if (!c->sum) {
			op25b_top_destroy(top);
			return -ENOMEM;
		}
	}
	rcu_assign_pointer(on->top, top);
	return 0;
}

/* At namespace exit, after the hooks are gone and a grace period passed. */
void op25b_top_free(struct op25b_net *on)
{
	struct op25b_top *top = op25b_top_of(on);

	if (top)
		op25b_top_destroy(top);
	RCU_INIT_POINTER(on->top, NULL);
}

static u32 op25b_dst_hash(const struct op25b_packet *pkt)
{
	if (pkt->family == 4)
		return hash_32(pkt->dst4, 32);
	return hash_64((u64)(pkt->dst6 >> 64) ^ (u64)pkt->dst6, 32);
}

/* Packet path, under RCU; BH off keeps us on this CPU's summary. */
void op25b_top_hit(struct op25b_net *on, const struct op25b_packet *pkt)
{
	struct op25b_top *top = rcu_dereference(on->top);
	struct op25b_topk_key key = {};
	struct op25b_top_cpu *c;

	if (!top)
		return;
	if (pkt->family == 4) {
		key.family = 4;
		key.addr = pkt->src4;
	} else {
		key.family = 6;
		key.addr = pkt->src6 & op25b_mask6(OP25B_OFFENDER_PLEN6);
	}
	local_bh_disable();
	c = this_cpu_ptr(top->cpu);
	spin_lock(&c->lock);
	op25b_topk_hit(c->sum, &key, op25b_dst_hash(pkt),
		       ktime_get_real_seconds());
	spin_unlock(&c->lock);
	local_bh_enable();
}

/*
 * The merged offenders, at most @limit (0: all), most attempts first, in a
 * kvmalloc'ed array the caller frees.  An empty store (no subscribers yet)
 * gives none.  A limit matters: merging 64 CPUs' summaries takes some
 * 15 ms for the top 20, 100 ms and 20 MB for all of them.
 *
 * Everything is charged to the reader's memory cgroup, and sized by what
 * the summaries hold, not by their slots: a CPU whose summary is empty
 * gets no copy, and the result has room for the keys there are.
 */
int op25b_top_read(struct op25b_net *on, u32 limit,
		   struct op25b_offender **out, u32 *n, u64 *total,
		   u32 *slots)
{
	struct op25b_topk **copy;
	struct op25b_top *top;
	u32 ncpu = 0, i;
	u64 keys = 0;
	int cpu, err = 0;

	*out = NULL;
	*n = 0;
	*total = 0;
	*slots = op25b_top_slots(on);
	top = op25b_top_of(on);
	if (!top)
		return 0;
	copy = kcalloc(nr_cpu_ids, sizeof(*copy), GFP_KERNEL_ACCOUNT);
	if (!copy)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct op25b_top_cpu *c = per_cpu_ptr(top->cpu, cpu);

		/* a hint: a summary that fills meanwhile is left for later */
		if (!data_race(op25b_topk_used(c->sum)))
			continue;
		copy[ncpu] = op25b_topk_new(top->slots);
		if (!copy[ncpu]) {
			err = -ENOMEM;
			goto out;
		}
		spin_lock_bh(&c->lock);
		err = op25b_topk_copy(copy[ncpu], c->sum);
		spin_unlock_bh(&c->lock);
		ncpu++;
		if (err)
			goto out;
		*total += op25b_topk_total(copy[ncpu - 1]);
		keys += op25b_topk_used(copy[ncpu - 1]);
		cond_resched();
	}
	if (limit)
		keys = min_t(u64, keys, limit);
	if (!keys)
		goto out;
	*out = kvmalloc_array(keys, sizeof(**out),
			      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!*out) {
		err = -ENOMEM;
		goto out;
	}
	*n = op25b_topk_merge(copy, ncpu, *out, keys);
out:
	for (i = 0; i < ncpu; i++)
		op25b_topk_free(copy[i]);
	kfree(copy);
	return err;
}

void op25b_top_reset(struct op25b_net *on)
{
	struct op25b_top *top = op25b_top_of(on);
	int cpu;

	if (!top)
		return;
	for_each_possible_cpu(cpu) {
		struct op25b_top_cpu *c = per_cpu_ptr(top->cpu, cpu);

		spin_lock_bh(&c->lock);
		op25b_topk_reset(c->sum);
		spin_unlock_bh(&c->lock);
		cond_resched();
	}
}
