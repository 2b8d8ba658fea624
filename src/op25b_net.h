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
#include "op25b_limit.h"
#include "op25b_topk.h"

#define OP25B_NFAMILIES	2	/* counters are kept per IPv4 / IPv6 */

/* Where the TCP header is, for what follows the decision. */
struct op25b_l4 {
	int thoff;
	bool fragment;		/* a first fragment: the rest is elsewhere */
};

/* An offender alert, queued by the packet path for the events' group. */
struct op25b_alert_msg {
	__uint128_t addr;	/* the source, cut to plen */
	u8 family, plen, verdict;
	u32 count, seconds;
	char iifname[IFNAMSIZ];
};

struct op25b_alert;

/*
 * A published policy.  Readers reach it under RCU; it never changes once
 * published.  Tables are shared between consecutive rulesets; the one
 * that is replaced frees, after a grace period, exactly the tables that
 * its successor no longer uses (retire_mask).
 */
struct op25b_ruleset {
	struct op25b_policy pol;
	u32 generation;
	/*
	 * The generation that last changed each table, so that a dump of one
	 * table restarts only when that table changed, not on every setting
	 * or another table's change.
	 */
	u32 table_gen[__OP25B_TABLE_MAX];
	u32 retire_mask;
	struct rcu_work rwork;
};

struct op25b_pcpu_stats {
	u64_stats_t cnt[OP25B_NFAMILIES][__OP25B_CNT_MAX];
	struct u64_stats_sync syncp;
};

/*
 * The offenders store: one Space-Saving summary per CPU, updated by the
 * packet path on its own CPU (the lock is contended only by a reader
 * copying it), merged when read.  Allocated when the namespace first gets
 * subscribers, as most namespaces never block anything.
 */
struct op25b_top_cpu {
	spinlock_t lock;
	struct op25b_topk *sum;
};


struct op25b_top {
	u32 slots;
	struct op25b_top_cpu __percpu *cpu;
};

struct op25b_txn;
struct mem_cgroup;

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
	possible_net_t net;		/* the namespace this belongs to */
	struct nf_hook_ops hook_ops[2];
	bool hooked;			/* hook_ops registered: written under
					 * lock, read by /proc without it
					 */
	struct proc_dir_entry *proc_dir;
	struct op25b_limiter reject_limit;
	struct op25b_limiter log_limit;
	struct op25b_top __rcu *top;	/* set once, under lock */
	struct op25b_alert __rcu *alert; /* set once, under lock */
	struct op25b_txn *txn;		/* under lock: the open transaction */
	u32 txn_portid;			/* its owner's port, 0: none; written
					 * under lock, read without it
					 */
	u32 txn_seq;			/* under lock */
	atomic_t top_dumps;		/* GET_TOP dumps holding a snapshot */
	struct delayed_work expire_work; /* removes entries when due */
	struct mem_cgroup *expire_memcg; /* under lock: charged for it */
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
extern unsigned int op25b_offenders_max;
extern struct workqueue_struct *op25b_wq;

static inline struct op25b_net *op25b_pernet(const struct net *net)
{
	return net_generic(net, op25b_net_id);
}

extern struct pernet_operations op25b_net_ops;
/* Namespaces with op25b state now; shown to the initial namespace only. */
unsigned int op25b_net_live(void);

/* Configuration applied to init_net when it is set up at module load. */
void op25b_net_set_boot_config(u8 mode, struct op25b_table **tables);
void op25b_net_drop_boot_config(void);

/* Writers, called with on->lock held.  On failure nothing changed. */
int op25b_net_set_table(struct op25b_net *on, enum op25b_table_id id,
			struct op25b_table *table);
/* Replaces the tables of the ids in @mask by tables[id]; takes them over. */
int op25b_net_set_tables(struct op25b_net *on, u32 mask,
			 struct op25b_table **tables);
int op25b_net_set_settings(struct op25b_net *on,
			   const struct op25b_settings *set);
/* Replaces settings and every table at once; takes over @tables. */
int op25b_net_replace(struct op25b_net *on, const struct op25b_settings *set,
		      struct op25b_table **tables);

static inline struct op25b_ruleset *op25b_net_rs_locked(struct op25b_net *on)
{
	return rcu_dereference_protected(on->rs, lockdep_is_held(&on->lock));
}

/*
 * Entry timeouts (op25b_expire.c): the clock of entries' expiries;
 * arming, under on->lock, after every publish; stopping at teardown.
 */
u64 op25b_expire_now(void);
/* Seconds from now until the second @when; 0 once it has come. */
u32 op25b_expire_left(u64 when);
void op25b_expire_init(struct op25b_net *on);
void op25b_expire_arm(struct op25b_net *on);
void op25b_expire_stop(struct op25b_net *on);
void op25b_event_expire(struct net *net, u32 generation, int table,
			u32 count);

/* Offenders (op25b_offenders.c). */
int op25b_top_ensure(struct op25b_net *on);
u32 op25b_top_slots(struct op25b_net *on);
void op25b_top_hit(struct op25b_net *on, const struct op25b_packet *pkt);
int op25b_top_read(struct op25b_net *on, u32 limit,
		   struct op25b_offender **out, u32 *n, u64 *total,
		   u32 *slots);
void op25b_top_reset(struct op25b_net *on);
void op25b_top_free(struct op25b_net *on);

/* Transactions (op25b_txn.c); all but the notifier under on->lock. */
int op25b_txn_begin(struct op25b_net *on, u32 portid, u32 *id);
struct op25b_txn *op25b_txn_find(struct op25b_net *on, u32 id, u32 portid);
struct op25b_settings *op25b_txn_settings(struct op25b_txn *txn);
int op25b_txn_stage(struct op25b_txn *txn, u8 table,
		    const struct op25b_entry *batch, u32 n, u32 max);
/* On error *bad_table and *terr say what failed; the txn is gone either way. */
int op25b_txn_commit(struct op25b_net *on, u32 max, u8 *bad_table,
		     enum op25b_table_err *terr);
void op25b_txn_abort(struct op25b_net *on);
int op25b_txn_init(void);
void op25b_txn_exit(void);

void op25b_stats_read(struct op25b_net *on,
		      u64 out[OP25B_NFAMILIES][__OP25B_CNT_MAX]);
void op25b_stats_reset(struct op25b_net *on);

/*
 * Logs (op25b_log.c): an attempt's kernel log line and NFLOG message,
 * behind the namespace's log rate; the counters it moves.
 */
u32 op25b_log(struct op25b_net *on, const struct op25b_settings *set,
	      const struct op25b_packet *pkt, struct sk_buff *skb,
	      const struct nf_hook_state *state, const struct op25b_l4 *l4,
	      int fam);
bool op25b_log_netns_allowed(const struct net *net);
extern unsigned int op25b_log_rate_max;
/* NFLOG (op25b_nflog.c): the logger found or loaded in process context. */
struct netlink_ext_ack;
int op25b_nflog_prepare(struct netlink_ext_ack *extack);
bool op25b_nflog(const struct op25b_settings *set, struct sk_buff *skb,
		 const struct nf_hook_state *state, const struct op25b_l4 *l4,
		 int fam);
void op25b_nflog_exit(void);

/* Offender alerts (op25b_alert.c, op25b_event.c). */
int op25b_alert_ensure(struct op25b_net *on);
void op25b_alert_free(struct op25b_net *on);
u32 op25b_alert_hit(struct op25b_net *on, const struct op25b_settings *set,
		    const struct op25b_packet *pkt,
		    const struct nf_hook_state *state);
void op25b_event_alert(struct net *net, const struct op25b_alert_msg *m);

/*
 * Reject actions (op25b_reject.c): prepare in process context before a
 * reject action is published (loads nf_reject_ipv4/ipv6 on first use);
 * send on the packet path, false when nothing could be sent.
 */
int op25b_reject_prepare(u8 action, struct netlink_ext_ack *extack);
bool op25b_reject_send(u8 action, struct sk_buff *skb,
		       const struct nf_hook_state *state, int fam);
void op25b_reject_exit(void);

/*
 * Hooks (op25b_hook.c), registered only while the published policy can
 * block: op25b_hooks_before() and op25b_hooks_after() around publishing,
 * under on->lock.
 */
void op25b_hook_init(struct op25b_net *on);
int op25b_hooks_before(struct op25b_net *on, const struct op25b_policy *pol);
void op25b_hooks_after(struct op25b_net *on, const struct op25b_policy *pol);
void op25b_hooks_remove(struct op25b_net *on);
/* Netlink (op25b_genl.c) and procfs (op25b_proc.c). */
int op25b_genl_init(void);
void op25b_genl_exit(void);
int op25b_proc_init(struct net *net, struct op25b_net *on);
void op25b_proc_exit(struct net *net, struct op25b_net *on);

#endif /* OP25B_NET_H */
