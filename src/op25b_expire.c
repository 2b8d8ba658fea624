// SPDX-License-Identifier: GPL-2.0
/*
 * Entry timeouts: a delayed work per namespace, armed for the earliest
 * expiry of its tables whenever a ruleset is published, removes every
 * entry then due with one change of each table concerned, through the
 * same build-and-publish path as a DEL.  Nothing of it is on the packet
 * path: a lookup never reads an expiry.
 */
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>

#include "op25b_genl.h"

/* A failed rebuild (no memory) is tried again this much later. */
#define OP25B_EXPIRE_RETRY	HZ

/*
 * Not ktime_get_boottime_seconds(): that reads the coarse clock, which
 * lags the one the work is armed by (by a tick, by much more when ticks
 * come late under load), and a work woken on time would find nothing due
 * and re-arm itself for the next jiffy until it caught up.
 */
u64 op25b_expire_now(void)
{
	return div_u64(ktime_get_boottime_ns(), NSEC_PER_SEC);
}

u32 op25b_expire_left(u64 when)
{
	u64 now = op25b_expire_now();

	return when > now ? when - now : 0;
}

/*
 * The tables built here are charged to the memory cgroup of the writer
 * that last armed the work, as the tables they replace were: a container
 * that adds timed entries pays for their expiry too.
 */
static void op25b_expire_remember_memcg(struct op25b_net *on)
{
	struct mem_cgroup *memcg;

	if (!current->mm)	/* the work itself */
		return;
	memcg = get_mem_cgroup_from_mm(current->mm);
	mem_cgroup_put(on->expire_memcg);
	on->expire_memcg = memcg;
}

void op25b_expire_arm(struct op25b_net *on)
{
	const struct op25b_ruleset *rs = op25b_net_rs_locked(on);
	u64 next = U64_MAX, now, due;
	int i;

	lockdep_assert_held(&on->lock);
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		if (rs->pol.tables[i]->ntimed)
			next = min(next, rs->pol.tables[i]->next_expiry);
	if (next == U64_MAX) {
		/* if it runs anyway, it finds nothing due */
		cancel_delayed_work(&on->expire_work);
		return;
	}
	op25b_expire_remember_memcg(on);
	now = ktime_get_boottime_ns();
	due = next * NSEC_PER_SEC;
	/* msecs_to_jiffies() rounds up: the work never runs early */
	mod_delayed_work(op25b_wq, &on->expire_work,
			 due > now ? msecs_to_jiffies(div_u64(due - now,
							      NSEC_PER_MSEC) + 1) : 0);
}

static void op25b_count_expired(struct op25b_net *on, const u32 n[2])
{
	struct op25b_pcpu_stats *s;
	int f;

	local_bh_disable();
	s = this_cpu_ptr(on->stats);
	u64_stats_update_begin(&s->syncp);
	for (f = 0; f < OP25B_NFAMILIES; f++)
		u64_stats_add(&s->cnt[f][OP25B_CNT_EXPIRED], n[f]);
	u64_stats_update_end(&s->syncp);
	local_bh_enable();
}

/* Removes what is due at @now from every table; false if something failed. */
static bool op25b_expire_due(struct op25b_net *on, u64 now)
{
	struct op25b_table *tables[__OP25B_TABLE_MAX];
	u32 n[__OP25B_TABLE_MAX][2], mask = 0, i;
	const struct op25b_ruleset *rs = op25b_net_rs_locked(on);
	const struct op25b_table *t;

	lockdep_assert_held(&on->lock);
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		t = rs->pol.tables[i];
		if (!t->ntimed || t->next_expiry > now)
			continue;
		if (op25b_table_expire(t, now, &tables[i], n[i]))
			goto fail;
		mask |= BIT(i);
	}
	if (!mask)
		return true;
	/* all tables at once: one publish for everything due this second */
	if (op25b_net_set_tables(on, mask, tables))
		return false;
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		if (!(mask & BIT(i)))
			continue;
		op25b_count_expired(on, n[i]);
		op25b_event_expire(read_pnet(&on->net), on->generation, i,
				   n[i][0] + n[i][1]);
	}
	return true;
fail:
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		if (mask & BIT(i))
			op25b_table_free(tables[i]);
	return false;
}

static void op25b_expire_work(struct work_struct *work)
{
	struct op25b_net *on = container_of(to_delayed_work(work),
					    struct op25b_net, expire_work);
	struct mem_cgroup *old_memcg;
	bool done;

	mutex_lock(&on->lock);
	old_memcg = set_active_memcg(on->expire_memcg);
	done = op25b_expire_due(on, op25b_expire_now());
	set_active_memcg(old_memcg);
	if (done)
		op25b_expire_arm(on);	/* early (clock drift), or the next */
	else
		mod_delayed_work(op25b_wq, &on->expire_work,
				 OP25B_EXPIRE_RETRY);
	mutex_unlock(&on->lock);
}

void op25b_expire_init(struct op25b_net *on)
{
	INIT_DELAYED_WORK(&on->expire_work, op25b_expire_work);
	on->expire_memcg = NULL;
}

/* Before the hooks go: a late run would publish into a dying namespace. */
void op25b_expire_stop(struct op25b_net *on)
{
	cancel_delayed_work_sync(&on->expire_work);
	mem_cgroup_put(on->expire_memcg);
	on->expire_memcg = NULL;
}
