/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state: the published policy, counters and the
 * lock that serialises writers.
 */
#ifndef OP25B_NET_H
#define OP25B_NET_H

#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/in6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "op25b_policy.h"

#define OP25B_NFAMILIES	2	/* counters are kept per IPv4 / IPv6 */

/*
 * A published policy.  Readers reach it under RCU; it never changes once
 * published.  Tables are shared between consecutive rulesets; the one
 * that is replaced frees, after a grace period, exactly the tables that
 * its successor no longer uses (retire_mask).
 */
struct op25b_ruleset {
	struct op25b_policy pol;
	u32 generation;
	u32 retire_mask;
	struct rcu_work rwork;
};

struct op25b_pcpu_stats {
	u64_stats_t cnt[OP25B_NFAMILIES][__OP25B_CNT_MAX];
	struct u64_stats_sync syncp;
};

struct op25b_net {
	struct op25b_ruleset __rcu *rs;
	struct op25b_pcpu_stats __percpu *stats;
	struct mutex lock;		/* serialises all writers */
	u32 generation;			/* under lock */
	/* "stats reset" subtracts these, as per-CPU counters cannot be zeroed
	 * under running writers.  Their own lock: reading counters must not
	 * wait for a writer rebuilding a large table.
	 */
	struct mutex stats_lock;
	u64 stats_base[OP25B_NFAMILIES][__OP25B_CNT_MAX];
	struct nf_hook_ops hook_ops[2];
	struct proc_dir_entry *proc_dir;
};

static inline __uint128_t op25b_in6_to_u128(const struct in6_addr *a)
{
	return (__uint128_t)ntohl(a->s6_addr32[0]) << 96 |
	       (__uint128_t)ntohl(a->s6_addr32[1]) << 64 |
	       (__uint128_t)ntohl(a->s6_addr32[2]) << 32 |
	       ntohl(a->s6_addr32[3]);
}

static inline void op25b_u128_to_in6(__uint128_t v, struct in6_addr *a)
{
	int i;

	for (i = 3; i >= 0; i--, v >>= 32)
		a->s6_addr32[i] = htonl((u32)v);
}

extern unsigned int op25b_net_id;
extern unsigned int op25b_table_max;
extern struct workqueue_struct *op25b_wq;

static inline struct op25b_net *op25b_pernet(const struct net *net)
{
	return net_generic(net, op25b_net_id);
}

extern struct pernet_operations op25b_net_ops;

/* Configuration applied to init_net when it is set up at module load. */
void op25b_net_set_boot_config(u8 mode, struct op25b_table **tables);
void op25b_net_drop_boot_config(void);

/* Writers, called with on->lock held.  On failure nothing changed. */
int op25b_net_set_table(struct op25b_net *on, enum op25b_table_id id,
			struct op25b_table *table);
int op25b_net_set_mode(struct op25b_net *on, u8 mode);

static inline struct op25b_ruleset *op25b_net_rs_locked(struct op25b_net *on)
{
	return rcu_dereference_protected(on->rs, lockdep_is_held(&on->lock));
}

void op25b_stats_read(struct op25b_net *on,
		      u64 out[OP25B_NFAMILIES][__OP25B_CNT_MAX]);
void op25b_stats_reset(struct op25b_net *on);

/* Hooks (op25b_hook.c), netlink (op25b_genl.c) and procfs (op25b_proc.c). */
int op25b_hook_register(struct net *net, struct op25b_net *on);
void op25b_hook_unregister(struct net *net, struct op25b_net *on);
int op25b_genl_init(void);
void op25b_genl_exit(void);
int op25b_proc_init(struct net *net, struct op25b_net *on);
void op25b_proc_exit(struct net *net, struct op25b_net *on);

#endif /* OP25B_NET_H */
