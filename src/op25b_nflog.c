// SPDX-License-Identifier: GPL-2.0
/*
 * NFLOG: logged attempts handed to nfnetlink_log, the kernel's own packet
 * logging path, so that whatever reads NFLOG (ulogd2, tcpdump -i nflog:N,
 * Suricata) reads op25b's too.  As xt_NFLOG and nft's "log group" do, the
 * logger is found, or loaded, from process context when a namespace first
 * turns NFLOG on, and kept until op25b unloads (see op25b_reject.c for
 * why not earlier).
 *
 * Log privacy means no full subscriber address leaves op25b: the packet
 * logged is then a copy whose source and destination are cut to the same
 * /24 or /48 as in kernel log lines, its checksums mended.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kmod.h>
#include <linux/mutex.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/netfilter/nf_log.h>

#include "op25b_net.h"

static bool op25b_nflog_ready;
static DEFINE_MUTEX(op25b_nflog_lock);

static int op25b_nflog_get(void)
{
	int err = nf_logger_find_get(NFPROTO_INET, NF_LOG_TYPE_ULOG);

	if (err != -ENOENT)
		return err;
	request_module("%s", "nfnetlink_log");
	return nf_logger_find_get(NFPROTO_INET, NF_LOG_TYPE_ULOG);
}

int op25b_nflog_prepare(struct netlink_ext_ack *extack)
{
	int err = 0;

	/* pairs with the store_release below: ready means the logger is held */
	if (smp_load_acquire(&op25b_nflog_ready))
		return 0;
	mutex_lock(&op25b_nflog_lock);
	if (op25b_nflog_ready)
		goto out;
	err = op25b_nflog_get();
	if (err) {
		NL_SET_ERR_MSG(extack, "NFLOG needs the kernel module nfnetlink_log, which could not be loaded");
		goto out;
	}
	/* the reference before the flag that lets callers skip the lock */
	smp_store_release(&op25b_nflog_ready, true);
out:
	mutex_unlock(&op25b_nflog_lock);
	return err;
}

/* At unload, after every namespace's hooks are gone. */
void op25b_nflog_exit(void)
{
	if (op25b_nflog_ready)
		nf_logger_put(NFPROTO_INET, NF_LOG_TYPE_ULOG);
	op25b_nflog_ready = false;
}

static void op25b_nflog_cut4(struct sk_buff *skb, const struct op25b_l4 *l4)
{
	__be32 m = htonl(op25b_mask4(OP25B_LOG_PRIVACY_PLEN4));
	struct iphdr *iph = ip_hdr(skb);
	__be32 s = iph->saddr & m, d = iph->daddr & m;
	struct tcphdr *th = NULL;

	if (!l4->fragment && skb->len >= l4->thoff + sizeof(*th))
		th = (struct tcphdr *)(skb->data + l4->thoff);
	if (th) {
		inet_proto_csum_replace4(&th->check, skb, iph->saddr, s, true);
		inet_proto_csum_replace4(&th->check, skb, iph->daddr, d, true);
	}
	csum_replace4(&iph->check, iph->saddr, s);
	csum_replace4(&iph->check, iph->daddr, d);
	iph->saddr = s;
	iph->daddr = d;
}

static void op25b_nflog_cut6(struct sk_buff *skb, const struct op25b_l4 *l4)
{
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct tcphdr *th = NULL;
	struct in6_addr s, d;

	op25b_u128_to_in6(op25b_in6_to_u128(&ip6h->saddr) &
			  op25b_mask6(OP25B_LOG_PRIVACY_PLEN6), &s);
	op25b_u128_to_in6(op25b_in6_to_u128(&ip6h->daddr) &
			  op25b_mask6(OP25B_LOG_PRIVACY_PLEN6), &d);
	if (!l4->fragment && skb->len >= l4->thoff + sizeof(*th))
		th = (struct tcphdr *)(skb->data + l4->thoff);
	if (th) {
		inet_proto_csum_replace16(&th->check, skb,
					  ip6h->saddr.s6_addr32, s.s6_addr32,
					  true);
		inet_proto_csum_replace16(&th->check, skb,
					  ip6h->daddr.s6_addr32, d.s6_addr32,
					  true);
	}
	ip6h->saddr = s;
	ip6h->daddr = d;
}

/*
 * The copy privacy asks for: linear and private, at most @snaplen bytes
 * past the network header that nfnetlink_log would copy anyway.
 */
static struct sk_buff *op25b_nflog_cut(const struct sk_buff *skb, int fam,
				       const struct op25b_l4 *l4)
{
	struct sk_buff *copy = skb_copy(skb, GFP_ATOMIC);

	if (!copy)
		return NULL;
	if (fam == 0)
		op25b_nflog_cut4(copy, l4);
	else
		op25b_nflog_cut6(copy, l4);
	return copy;
}

/* Packet path, after the log limiter.  True when handed to the logger. */
bool op25b_nflog(const struct op25b_settings *set, struct sk_buff *skb,
		 const struct nf_hook_state *state, const struct op25b_l4 *l4,
		 int fam)
{
	struct nf_loginfo li = {
		.type = NF_LOG_TYPE_ULOG,
		.u.ulog.group = set->nflog_group,
		.u.ulog.copy_len = set->nflog_snaplen,
		/* one message a packet: an abuse desk wants it now */
		.u.ulog.qthreshold = 1,
		.u.ulog.flags = set->nflog_snaplen ? NF_LOG_F_COPY_LEN : 0,
	};
	struct sk_buff *copy = NULL;

	/* pairs with op25b_nflog_prepare(): a namespace turned NFLOG on after it */
	if (!smp_load_acquire(&op25b_nflog_ready))
		return false;
	if (set->log_privacy) {
		copy = op25b_nflog_cut(skb, fam, l4);
		if (!copy)
			return false;
	}
	nf_log_packet(state->net, state->pf, state->hook, copy ? copy : skb,
		      state->in, state->out, &li, "%s %s", set->nflog_prefix,
		      set->mode == OP25B_MODE_ENFORCE ? "blocked" : "monitored");
	consume_skb(copy);
	return true;
}
