// SPDX-License-Identifier: GPL-2.0
/*
 * The reject actions answer through the kernel's own nf_reject_ipv4 and
 * nf_reject_ipv6 helpers.  op25b does not link against them: "insmod
 * op25b.ko" must work on a kernel that has not loaded them (insmod loads
 * no dependencies), and "action drop", the default, never needs them.
 * They are requested from process context when a namespace first asks for
 * a reject action, as xt_REJECT and nft_reject would have them loaded, and
 * kept until op25b unloads: a reference dropped while a packet may still
 * call through it would need a grace period per change, for a few pages of
 * kernel text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>

#include "op25b_net.h"

struct op25b_reject_helpers {
	typeof(&nf_send_reset) reset4;
	typeof(&nf_send_unreach) unreach4;
	typeof(&nf_send_reset6) reset6;
	typeof(&nf_send_unreach6) unreach6;
};

/* Written once under op25b_reject_lock, then only read. */
static struct op25b_reject_helpers op25b_rej;
static bool op25b_rej_ready;
static DEFINE_MUTEX(op25b_reject_lock);

static void op25b_reject_put(struct op25b_reject_helpers *h)
{
	if (h->reset4)
		symbol_put(nf_send_reset);
	if (h->unreach4)
		symbol_put(nf_send_unreach);
	if (h->reset6)
		symbol_put(nf_send_reset6);
	if (h->unreach6)
		symbol_put(nf_send_unreach6);
	memset(h, 0, sizeof(*h));
}

/*
 * symbol_request() runs "modprobe symbol:NAME" when the symbol is not
 * there yet, which depmod's modules.symbols maps to the helper module.
 */
static int op25b_reject_request(struct op25b_reject_helpers *h,
				struct netlink_ext_ack *extack)
{
	h->reset4 = symbol_request(nf_send_reset);
	h->unreach4 = symbol_request(nf_send_unreach);
	if (!h->reset4 || !h->unreach4) {
		NL_SET_ERR_MSG(extack, "reject actions need the kernel module nf_reject_ipv4, which could not be loaded");
		return -ENOENT;
	}
	h->reset6 = symbol_request(nf_send_reset6);
	h->unreach6 = symbol_request(nf_send_unreach6);
	if (!h->reset6 || !h->unreach6) {
		NL_SET_ERR_MSG(extack, "reject actions need the kernel module nf_reject_ipv6, which could not be loaded");
		return -ENOENT;
	}
	return 0;
}

int op25b_reject_prepare(u8 action, struct netlink_ext_ack *extack)
{
	struct op25b_reject_helpers h = {};
	int err = 0;

	/* pairs with the release below: ready means the pointers are set */
	if (action == OP25B_ACTION_DROP || smp_load_acquire(&op25b_rej_ready))
		return 0;
	mutex_lock(&op25b_reject_lock);
	if (op25b_rej_ready)
		goto out;
	err = op25b_reject_request(&h, extack);
	if (err) {
		op25b_reject_put(&h);
		goto out;
	}
	WRITE_ONCE(op25b_rej.reset4, h.reset4);
	WRITE_ONCE(op25b_rej.unreach4, h.unreach4);
	WRITE_ONCE(op25b_rej.reset6, h.reset6);
	WRITE_ONCE(op25b_rej.unreach6, h.unreach6);
	/* the pointers before the flag that lets callers skip the lock */
	smp_store_release(&op25b_rej_ready, true);
out:
	mutex_unlock(&op25b_reject_lock);
	return err;
}

/*
 * Packet path.  A namespace can only have published a reject action after
 * op25b_reject_prepare() succeeded, but nothing orders this load after the
 * ruleset's: a helper not seen yet means one packet goes unanswered.
 */
bool op25b_reject_send(u8 action, struct sk_buff *skb,
		       const struct nf_hook_state *state, int fam)
{
	if (action == OP25B_ACTION_REJECT_TCP) {
		typeof(&nf_send_reset) r4 = READ_ONCE(op25b_rej.reset4);
		typeof(&nf_send_reset6) r6 = READ_ONCE(op25b_rej.reset6);

		if (fam == 0 && r4)
			r4(state->net, state->sk, skb, state->hook);
		else if (fam == 1 && r6)
			r6(state->net, state->sk, skb, state->hook);
		else
			return false;
	} else {
		typeof(&nf_send_unreach) u4 = READ_ONCE(op25b_rej.unreach4);
		typeof(&nf_send_unreach6) u6 = READ_ONCE(op25b_rej.unreach6);

		if (fam == 0 && u4)
			u4(skb, ICMP_PKT_FILTERED, state->hook);
		else if (fam == 1 && u6)
			u6(state->net, skb, ICMPV6_ADM_PROHIBITED, state->hook);
		else
			return false;
	}
	return true;
}

/* At unload, after every namespace's hooks are gone. */
void op25b_reject_exit(void)
{
	op25b_reject_put(&op25b_rej);
	op25b_rej_ready = false;
}
