// SPDX-License-Identifier: GPL-2.0
/*
 * Offender alerts: a source that makes alert_attempts blocked (or, in
 * monitor mode, would-be blocked) connection attempts within
 * alert_seconds raises one alert for that window, which the "alerts"
 * multicast group carries to whoever listens (an abuse desk's script).
 *
 * The sources are followed in a set-associative table of fixed size
 * (OP25B_ALERT_SOURCES, 4 ways a set), allocated when a namespace first
 * turns alerts on, charged to the writer's memory cgroup and kept until
 * the namespace goes, like the offenders store; a source that finds its
 * set full takes the way seen longest ago.  The packet path holds one
 * set's lock for a few instructions.  Alerts leave a namespace at most
 * OP25B_ALERT_RATE a second; they are queued for a work item that sends
 * them from process context, so that a listener never slows the packet
 * path.  The queue is bounded too: an alert that finds no room counts as
 * suppressed.
 */
#include <linux/hash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "op25b_net.h"

#define OP25B_ALERT_WAYS	4
#define OP25B_ALERT_SETS	(OP25B_ALERT_SOURCES / OP25B_ALERT_WAYS)
#define OP25B_ALERT_QUEUE	32

struct op25b_alert_way {
	struct op25b_topk_key key;
	u32 start;		/* the window's first attempt, seconds */
	u32 seen;		/* the last attempt */
	u32 count;		/* attempts in the window */
	bool alerted;		/* the window's alert is raised */
	bool used;
};

struct op25b_alert_set {
	spinlock_t lock;
	struct op25b_alert_way way[OP25B_ALERT_WAYS];
};

struct op25b_alert {
	struct op25b_net *on;
	struct work_struct work;
	struct op25b_limiter limit;
	spinlock_t qlock;	/* queue */
	u32 qn;
	struct op25b_alert_msg queue[OP25B_ALERT_QUEUE];
	struct op25b_alert_set set[OP25B_ALERT_SETS];
};

static void op25b_alert_work(struct work_struct *work)
{
	struct op25b_alert *al = container_of(work, struct op25b_alert, work);
	struct op25b_alert_msg msg;

	for (;;) {
		spin_lock_bh(&al->qlock);
		if (!al->qn) {
			spin_unlock_bh(&al->qlock);
			return;
		}
		msg = al->queue[0];
		memmove(&al->queue[0], &al->queue[1],
			--al->qn * sizeof(al->queue[0]));
		spin_unlock_bh(&al->qlock);
		op25b_event_alert(read_pnet(&al->on->net), &msg);
	}
}

/* Under on->lock, when a setting turns alerts on. */
int op25b_alert_ensure(struct op25b_net *on)
{
	struct op25b_alert *al =
		rcu_dereference_protected(on->alert, lockdep_is_held(&on->lock));
	int i;

	if (al)
		return 0;
	al = kvzalloc(sizeof(*al), GFP_KERNEL_ACCOUNT);
	if (!al)
		return -ENOMEM;
	al->on = on;
	INIT_WORK(&al->work, op25b_alert_work);
	spin_lock_init(&al->qlock);
	for (i = 0; i < OP25B_ALERT_SETS; i++)
		spin_lock_init(&al->set[i].lock);
	rcu_assign_pointer(on->alert, al);
	return 0;
}

/* At namespace exit, after the hooks are gone and a grace period. */
void op25b_alert_free(struct op25b_net *on)
{
	struct op25b_alert *al = rcu_dereference_protected(on->alert, 1);

	if (!al)
		return;
	cancel_work_sync(&al->work);
	kvfree(al);
	RCU_INIT_POINTER(on->alert, NULL);
}

static struct op25b_alert_way *op25b_alert_find(struct op25b_alert_set *s,
						const struct op25b_topk_key *k)
{
	struct op25b_alert_way *w, *oldest = &s->way[0];

	for (w = s->way; w < s->way + OP25B_ALERT_WAYS; w++) {
		if (w->used && w->key.family == k->family &&
		    w->key.addr == k->addr)
			return w;
		if (!w->used || (oldest->used && w->seen < oldest->seen))
			oldest = w;
	}
	/* a new source: the way seen longest ago makes room */
	*oldest = (struct op25b_alert_way) { .key = *k, .used = true };
	return oldest;
}

/*
 * Counts an attempt of @pkt's source; true when it is the one that
 * crosses the threshold in its window, with the window's count in *@n.
 */
static bool op25b_alert_count(struct op25b_alert *al,
			      const struct op25b_settings *set,
			      const struct op25b_topk_key *k, u32 *n)
{
	u32 now = (u32)ktime_get_seconds();
	struct op25b_alert_set *s;
	struct op25b_alert_way *w;
	bool fire;

	s = &al->set[hash_64((u64)(k->addr >> 64) ^ (u64)k->addr ^ k->family,
			     ilog2(OP25B_ALERT_SETS))];
	/* BH may be on: a packet reinjected from NFQUEUE */
	spin_lock_bh(&s->lock);
	w = op25b_alert_find(s, k);
	if (!w->count || now - w->start >= set->alert_seconds) {
		w->start = now;
		w->count = 0;
		w->alerted = false;
	}
	w->seen = now;
	w->count++;
	fire = !w->alerted && w->count >= set->alert_attempts;
	w->alerted |= fire;
	*n = w->count;
	spin_unlock_bh(&s->lock);
	return fire;
}

static void op25b_alert_msg(struct op25b_alert_msg *m,
			    const struct op25b_settings *set,
			    const struct op25b_packet *pkt, u32 n,
			    const struct nf_hook_state *state)
{
	memset(m, 0, sizeof(*m));
	m->family = pkt->family;
	if (pkt->family == 4) {
		m->plen = set->log_privacy ? OP25B_LOG_PRIVACY_PLEN4 : 32;
		m->addr = pkt->src4 & op25b_mask4(m->plen);
	} else {
		m->plen = set->log_privacy ? OP25B_LOG_PRIVACY_PLEN6 :
					     OP25B_OFFENDER_PLEN6;
		m->addr = pkt->src6 & op25b_mask6(m->plen);
	}
	m->count = n;
	m->seconds = set->alert_seconds;
	m->verdict = set->mode == OP25B_MODE_ENFORCE ? OP25B_VERDICT_BLOCK :
						       OP25B_VERDICT_MONITOR;
	if (state->in)
		strscpy(m->iifname, state->in->name, sizeof(m->iifname));
}

/* Packet path, for an attempt: the counters it moves (alerts). */
u32 op25b_alert_hit(struct op25b_net *on, const struct op25b_settings *set,
		    const struct op25b_packet *pkt,
		    const struct nf_hook_state *state)
{
	struct op25b_alert *al = rcu_dereference(on->alert);
	struct op25b_topk_key k = { .family = pkt->family };
	bool queued = false;
	u32 n;

	if (!al)
		return 0;
	/* followed per address, and IPv6 per /64, as the offenders */
	k.addr = pkt->family == 4 ? pkt->src4 :
		 pkt->src6 & op25b_mask6(OP25B_OFFENDER_PLEN6);
	if (!op25b_alert_count(al, set, &k, &n))
		return 0;
	if (op25b_limit_pass(&al->limit, OP25B_ALERT_RATE, OP25B_ALERT_BURST)) {
		spin_lock_bh(&al->qlock);
		if (al->qn < OP25B_ALERT_QUEUE) {
			op25b_alert_msg(&al->queue[al->qn++], set, pkt, n, state);
			queued = true;
		}
		spin_unlock_bh(&al->qlock);
	}
	if (!queued)
		return BIT(OP25B_CNT_ALERTS_SUPPRESSED);
	queue_work(op25b_wq, &al->work);
	return BIT(OP25B_CNT_ALERTS);
}
