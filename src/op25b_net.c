// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state and the publish/retire cycle of policies.
 */
#include <linux/slab.h>

#include "op25b_net.h"

unsigned int op25b_net_id __read_mostly;
/* Namespaces whose op25b state is set up and not yet torn down. */
static atomic_t op25b_net_count = ATOMIC_INIT(0);

unsigned int op25b_net_live(void)
{
	return atomic_read(&op25b_net_count);
}

static u8 op25b_boot_mode = OP25B_MODE_ENFORCE;
static struct op25b_table *op25b_boot_tables[__OP25B_TABLE_MAX];

void op25b_net_set_boot_config(u8 mode, struct op25b_table **tables)
{
	op25b_boot_mode = mode;
	memcpy(op25b_boot_tables, tables, sizeof(op25b_boot_tables));
}

void op25b_net_drop_boot_config(void)
{
	int i;

	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		op25b_table_free(op25b_boot_tables[i]);
		op25b_boot_tables[i] = NULL;
	}
}

static void op25b_ruleset_free(struct op25b_ruleset *rs)
{
	int i;

	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		if (rs->retire_mask & BIT(i))
			op25b_table_free(rs->pol.tables[i]);
	kfree(rs);
}

static void op25b_ruleset_free_work(struct work_struct *work)
{
	op25b_ruleset_free(container_of(to_rcu_work(work),
					struct op25b_ruleset, rwork));
}

/*
 * Replaces the published ruleset, and registers or unregisters the hooks
 * with it.  Readers that still hold the old one keep it, and the tables
 * in @changed, until a grace period has passed; freeing happens in
 * process context, as large tables are vmalloc memory.  On error (the
 * hooks could not be registered) nothing changed.
 */
static int op25b_net_publish(struct op25b_net *on, struct op25b_ruleset *old,
			     struct op25b_ruleset *new, u32 changed)
{
	int i, err;

	lockdep_assert_held(&on->lock);
	err = op25b_hooks_before(on, &new->pol);
	if (err)
		return err;
	/* 0 reads as "first dump message" to netlink: skip it on wrap */
	if (!++on->generation)
		on->generation = 1;
	new->generation = on->generation;
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		if (changed & BIT(i))
			new->table_gen[i] = on->generation;
	new->retire_mask = 0;
	old->retire_mask = changed;
	rcu_assign_pointer(on->rs, new);
	INIT_RCU_WORK(&old->rwork, op25b_ruleset_free_work);
	queue_rcu_work(op25b_wq, &old->rwork);
	op25b_hooks_after(on, &new->pol);
	op25b_expire_arm(on);
	return 0;
}

int op25b_net_set_tables(struct op25b_net *on, u32 mask,
			 struct op25b_table **tables)
{
	struct op25b_ruleset *old = op25b_net_rs_locked(on);
	struct op25b_ruleset *new;
	int i, err = -ENOMEM;

	lockdep_assert_held(&on->lock);
	new = kmemdup(old, sizeof(*old), GFP_KERNEL_ACCOUNT);
	if (!new)
		goto err;
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		if (mask & BIT(i))
			new->pol.tables[i] = tables[i];
	err = op25b_net_publish(on, old, new, mask);
	if (!err)
		return 0;
	kfree(new);
err:
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		if (mask & BIT(i))
			op25b_table_free(tables[i]);
	return err;
}

int op25b_net_set_table(struct op25b_net *on, enum op25b_table_id id,
			struct op25b_table *table)
{
	struct op25b_table *tables[__OP25B_TABLE_MAX] = { NULL };

	tables[id] = table;
	return op25b_net_set_tables(on, BIT(id), tables);
}

int op25b_net_set_settings(struct op25b_net *on,
			   const struct op25b_settings *set)
{
	struct op25b_ruleset *old = op25b_net_rs_locked(on);
	struct op25b_ruleset *new;
	int err;

	lockdep_assert_held(&on->lock);
	if (!memcmp(&old->pol.set, set, sizeof(*set)))
		return 0;
	new = kmemdup(old, sizeof(*old), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	new->pol.set = *set;
	err = op25b_net_publish(on, old, new, 0);
	if (err)
		kfree(new);
	return err;
}

int op25b_net_replace(struct op25b_net *on, const struct op25b_settings *set,
		      struct op25b_table **tables)
{
	struct op25b_ruleset *old = op25b_net_rs_locked(on);
	struct op25b_ruleset *new;
	int i, err = -ENOMEM;

	lockdep_assert_held(&on->lock);
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		goto err;
	new->pol.set = *set;
	memcpy(new->pol.tables, tables, sizeof(new->pol.tables));
	err = op25b_net_publish(on, old, new, GENMASK(__OP25B_TABLE_MAX - 1, 0));
	if (!err)
		return 0;
	kfree(new);
err:
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		op25b_table_free(tables[i]);
	return err;
}

static void op25b_stats_sum(struct op25b_net *on,
			    u64 out[OP25B_NFAMILIES][__OP25B_CNT_MAX])
{
	int cpu, f, c;

	memset(out, 0, sizeof(u64) * OP25B_NFAMILIES * __OP25B_CNT_MAX);
	for_each_possible_cpu(cpu) {
		const struct op25b_pcpu_stats *s = per_cpu_ptr(on->stats, cpu);
		u64 v[OP25B_NFAMILIES][__OP25B_CNT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (f = 0; f < OP25B_NFAMILIES; f++)
				for (c = 0; c < __OP25B_CNT_MAX; c++)
					v[f][c] = u64_stats_read(&s->cnt[f][c]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (f = 0; f < OP25B_NFAMILIES; f++)
			for (c = 0; c < __OP25B_CNT_MAX; c++)
				out[f][c] += v[f][c];
	}
}

void op25b_stats_read(struct op25b_net *on,
		      u64 out[OP25B_NFAMILIES][__OP25B_CNT_MAX])
{
	int f, c;

	mutex_lock(&on->stats_lock);
	op25b_stats_sum(on, out);
	for (f = 0; f < OP25B_NFAMILIES; f++)
		for (c = 0; c < __OP25B_CNT_MAX; c++)
			out[f][c] -= on->stats_base[f][c];
	mutex_unlock(&on->stats_lock);
}

void op25b_stats_reset(struct op25b_net *on)
{
	mutex_lock(&on->stats_lock);
	op25b_stats_sum(on, on->stats_base);
	mutex_unlock(&on->stats_lock);
}

static int op25b_ruleset_init(struct op25b_net *on, struct net *net)
{
	struct op25b_ruleset *rs;
	int i, err;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return -ENOMEM;
	op25b_settings_default(&rs->pol.set);
	if (net_eq(net, &init_net)) {
		rs->pol.set.mode = op25b_boot_mode;
		memcpy(rs->pol.tables, op25b_boot_tables,
		       sizeof(rs->pol.tables));
		memset(op25b_boot_tables, 0, sizeof(op25b_boot_tables));
	}
	rs->retire_mask = GENMASK(__OP25B_TABLE_MAX - 1, 0);
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		if (!rs->pol.tables[i])
			rs->pol.tables[i] = op25b_table_new();
		if (!rs->pol.tables[i]) {
			op25b_ruleset_free(rs);
			return -ENOMEM;
		}
	}
	/*
	 * Boot parameters may have brought subscribers: count offenders.
	 * Nobody else sees the namespace yet; the lock is for the rule that
	 * on->top is set under it.
	 */
	if (op25b_table_size(rs->pol.tables[OP25B_TABLE_SUBSCRIBER])) {
		mutex_lock(&on->lock);
		err = op25b_top_ensure(on);
		mutex_unlock(&on->lock);
		if (err) {
			op25b_ruleset_free(rs);
			return err;
		}
	}
	/* generation 0 would read as "first dump message" to netlink */
	rs->generation = on->generation = 1;
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		rs->table_gen[i] = 1;
	rs->retire_mask = 0;
	RCU_INIT_POINTER(on->rs, rs);
	return 0;
}

/*
 * The namespace's last ruleset goes with all its tables: its hooks are
 * gone and a grace period has passed, or they never were.
 */
static void op25b_ruleset_destroy(struct op25b_net *on)
{
	struct op25b_ruleset *rs = rcu_dereference_protected(on->rs, 1);

	rs->retire_mask = GENMASK(__OP25B_TABLE_MAX - 1, 0);
	op25b_ruleset_free(rs);
}

static int __net_init op25b_net_init(struct net *net)
{
	struct op25b_net *on = op25b_pernet(net);
	int err, cpu;

	on->stats = alloc_percpu_gfp(struct op25b_pcpu_stats,
				     GFP_KERNEL_ACCOUNT);
	if (!on->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(on->stats, cpu)->syncp);
	mutex_init(&on->lock);
	mutex_init(&on->stats_lock);
	write_pnet(&on->net, net);
	op25b_hook_init(on);
	op25b_expire_init(on);
	err = op25b_ruleset_init(on, net);
	if (err)
		goto err_stats;
	err = op25b_proc_init(net, on);
	if (err)
		goto err_rs;
	/* boot parameters may have given init_net a policy that blocks */
	mutex_lock(&on->lock);
	err = op25b_hooks_before(on, &op25b_net_rs_locked(on)->pol);
	mutex_unlock(&on->lock);
	if (err)
		goto err_hook;
	atomic_inc(&op25b_net_count);
	return 0;

err_hook:
	/* the IPv4 hook may have been live for a moment: wait out its users */
	synchronize_net();
	op25b_proc_exit(net, on);
err_rs:
	op25b_top_free(on);
	op25b_ruleset_destroy(on);
err_stats:
	mutex_destroy(&on->stats_lock);
	mutex_destroy(&on->lock);
	free_percpu(on->stats);
	return err;
}

/* Unhooking first: the core waits a grace period before ->exit. */
static void __net_exit op25b_net_pre_exit(struct net *net)
{
	struct op25b_net *on = op25b_pernet(net);

	op25b_expire_stop(on);
	mutex_lock(&on->lock);
	op25b_hooks_remove(on);
	mutex_unlock(&on->lock);
}

static void __net_exit op25b_net_exit(struct net *net)
{
	struct op25b_net *on = op25b_pernet(net);

	op25b_proc_exit(net, on);
	mutex_lock(&on->lock);
	op25b_txn_abort(on);
	mutex_unlock(&on->lock);
	op25b_alert_free(on);
	op25b_top_free(on);
	op25b_ruleset_destroy(on);
	free_percpu(on->stats);
	mutex_destroy(&on->stats_lock);
	mutex_destroy(&on->lock);
	atomic_dec(&op25b_net_count);
}

struct pernet_operations op25b_net_ops = {
	.init = op25b_net_init,
	.pre_exit = op25b_net_pre_exit,
	.exit = op25b_net_exit,
	.id = &op25b_net_id,
	.size = sizeof(struct op25b_net),
};
