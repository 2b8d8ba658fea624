// SPDX-License-Identifier: GPL-2.0
/*
 * The packet hook at NF_INET_FORWARD.  Everything that is not TCP to port
 * 25 leaves after a protocol test and one 16-bit load; only mail from
 * subscribers costs table lookups.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ipv6.h>

#include "op25b_net.h"

/*
 * Per-CPU counters want the CPU to stay put: hooks usually run in softirq,
 * but a packet reinjected from NFQUEUE runs them with BH enabled (and
 * PREEMPT_RT is preemptible), so BH is disabled around the update, as
 * nft_counter does.
 */
static void op25b_count(struct op25b_net *on, int fam, enum op25b_counter c1,
			enum op25b_counter c2)
{
	struct op25b_pcpu_stats *s;

	local_bh_disable();
	s = this_cpu_ptr(on->stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[fam][c1]);
	if (c2 != c1)
		u64_stats_inc(&s->cnt[fam][c2]);
	u64_stats_update_end(&s->syncp);
	local_bh_enable();
}

/* TCP to port 25: the policy decides.  Called under RCU by the hook core. */
static unsigned int op25b_judge(struct op25b_net *on,
				struct op25b_packet *pkt,
				const struct nf_hook_state *state)
{
	const struct op25b_ruleset *rs = rcu_dereference(on->rs);
	int fam = pkt->family == 4 ? 0 : 1;

	pkt->proto = IPPROTO_TCP;
	pkt->dport = OP25B_SMTP_PORT;
	pkt->iifname = state->in ? state->in->name : NULL;
	switch (op25b_decide(&rs->pol, pkt)) {
	case OP25B_REASON_NOT_SMTP:
	case OP25B_REASON_MODE_OFF:
		return NF_ACCEPT;
	case OP25B_REASON_NOT_SUBSCRIBER:
		op25b_count(on, fam, OP25B_CNT_NOT_SUBSCRIBER,
			    OP25B_CNT_NOT_SUBSCRIBER);
		return NF_ACCEPT;
	case OP25B_REASON_EXEMPT:
		op25b_count(on, fam, OP25B_CNT_INSPECTED,
			    OP25B_CNT_ALLOWED_EXEMPT);
		return NF_ACCEPT;
	case OP25B_REASON_ALLOWED_MTA:
		op25b_count(on, fam, OP25B_CNT_INSPECTED, OP25B_CNT_ALLOWED_MTA);
		return NF_ACCEPT;
	case OP25B_REASON_BLOCKED:
	default:
		break;
	}
	if (op25b_verdict_of(rs->pol.mode, OP25B_REASON_BLOCKED) ==
	    OP25B_VERDICT_MONITOR) {
		op25b_count(on, fam, OP25B_CNT_INSPECTED, OP25B_CNT_MONITORED);
		return NF_ACCEPT;
	}
	op25b_count(on, fam, OP25B_CNT_INSPECTED, OP25B_CNT_BLOCKED);
	return NF_DROP;
}

/*
 * A first fragment too short to show the ports could carry mail whose TCP
 * header follows in the next fragment (RFC 7112 forbids it, attackers do
 * not care): it is judged as TCP to port 25.  Non-first fragments carry no
 * header to read and pass.
 */
static unsigned int op25b_hook_ipv4(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct op25b_packet pkt;
	__be16 _dport;
	const __be16 *dport;

	/* a non-first fragment has no TCP header to read */
	if (iph->protocol != IPPROTO_TCP || (iph->frag_off & htons(IP_OFFSET)))
		return NF_ACCEPT;
	dport = skb_header_pointer(skb, skb_network_offset(skb) +
				   ip_hdrlen(skb) +
				   offsetof(struct tcphdr, dest),
				   sizeof(_dport), &_dport);
	if (dport ? *dport != htons(OP25B_SMTP_PORT) :
		    !(iph->frag_off & htons(IP_MF)))
		return NF_ACCEPT;

	pkt.family = 4;
	pkt.src4 = ntohl(iph->saddr);
	pkt.dst4 = ntohl(iph->daddr);
	return op25b_judge(priv, &pkt, state);
}

static unsigned int op25b_hook_ipv6(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	int thoff = skb_network_offset(skb) + sizeof(*ip6h);
	u8 nexthdr = ip6h->nexthdr;
	struct op25b_packet pkt;
	__be16 frag_off = 0;
	__be16 _dport;
	const __be16 *dport;

	if (nexthdr != IPPROTO_TCP) {
		if (!ipv6_ext_hdr(nexthdr))
			return NF_ACCEPT;
		thoff = ipv6_skip_exthdr(skb, thoff, &nexthdr, &frag_off);
		if (thoff < 0 || nexthdr != IPPROTO_TCP ||
		    (ntohs(frag_off) & ~0x7))
			return NF_ACCEPT;
	}
	dport = skb_header_pointer(skb, thoff + offsetof(struct tcphdr, dest),
				   sizeof(_dport), &_dport);
	if (dport ? *dport != htons(OP25B_SMTP_PORT) :
		    !(frag_off & htons(IP6_MF)))
		return NF_ACCEPT;

	pkt.family = 6;
	pkt.src6 = op25b_in6_to_u128(&ip6h->saddr);
	pkt.dst6 = op25b_in6_to_u128(&ip6h->daddr);
	return op25b_judge(priv, &pkt, state);
}

/*
 * After the filter table, so that an operator's own rules have the first
 * word; before security/SELinux marking, which has no say on a drop.
 */
#define OP25B_HOOK_PRIORITY	(NF_IP_PRI_FILTER + 10)
#define OP25B_HOOK6_PRIORITY	(NF_IP6_PRI_FILTER + 10)

int op25b_hook_register(struct net *net, struct op25b_net *on)
{
	on->hook_ops[0] = (struct nf_hook_ops) {
		.hook = op25b_hook_ipv4,
		.priv = on,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = OP25B_HOOK_PRIORITY,
	};
	on->hook_ops[1] = (struct nf_hook_ops) {
		.hook = op25b_hook_ipv6,
		.priv = on,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_FORWARD,
		.priority = OP25B_HOOK6_PRIORITY,
	};
	return nf_register_net_hooks(net, on->hook_ops,
				     ARRAY_SIZE(on->hook_ops));
}

void op25b_hook_unregister(struct net *net, struct op25b_net *on)
{
	nf_unregister_net_hooks(net, on->hook_ops, ARRAY_SIZE(on->hook_ops));
}
