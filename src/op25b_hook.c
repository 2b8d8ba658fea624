// SPDX-License-Identifier: GPL-2.0
/*
 * The packet hook at NF_INET_FORWARD.  Everything that is not TCP to port
 * 25 leaves after a protocol test and one 16-bit load; only mail from
 * subscribers costs table lookups.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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

/*
 * With privacy on, a logged address is cut to the subscriber's /24 or /48:
 * in Japan who mailed whom is a secret of communications, and a network
 * is enough to find an infected customer's line.
 */
static void op25b_log(struct op25b_net *on, const struct op25b_settings *set,
		      const struct op25b_packet *pkt,
		      const struct nf_hook_state *state, int fam)
{
	const char *what = set->mode == OP25B_MODE_ENFORCE ? "blocked" :
							     "monitored";
	const char *in = state->in ? state->in->name : "?";
	struct in6_addr s6, d6;
	__be32 s4, d4;

	if (!op25b_limit_pass(&on->log_limit, set->log_rate, set->log_burst)) {
		op25b_count(on, fam, OP25B_CNT_LOG_SUPPRESSED,
			    OP25B_CNT_LOG_SUPPRESSED);
		return;
	}
	op25b_count(on, fam, OP25B_CNT_LOGGED, OP25B_CNT_LOGGED);
	if (pkt->family == 4) {
		u32 m = set->log_privacy ? op25b_mask4(OP25B_LOG_PRIVACY_PLEN4) :
					   ~0U;

		s4 = htonl(pkt->src4 & m);
		d4 = htonl(pkt->dst4 & m);
		if (set->log_privacy)
			pr_info("%s TCP %pI4/%u -> %pI4/%u:25 in=%s\n", what,
				&s4, OP25B_LOG_PRIVACY_PLEN4, &d4,
				OP25B_LOG_PRIVACY_PLEN4, in);
		else
			pr_info("%s TCP %pI4 -> %pI4:25 in=%s\n", what, &s4,
				&d4, in);
		return;
	}
	if (set->log_privacy) {
		__uint128_t m = op25b_mask6(OP25B_LOG_PRIVACY_PLEN6);

		op25b_u128_to_in6(pkt->src6 & m, &s6);
		op25b_u128_to_in6(pkt->dst6 & m, &d6);
		pr_info("%s TCP %pI6c/%u -> %pI6c/%u:25 in=%s\n", what, &s6,
			OP25B_LOG_PRIVACY_PLEN6, &d6, OP25B_LOG_PRIVACY_PLEN6,
			in);
		return;
	}
	op25b_u128_to_in6(pkt->src6, &s6);
	op25b_u128_to_in6(pkt->dst6, &d6);
	pr_info("%s TCP %pI6c -> [%pI6c]:25 in=%s\n", what, &s6, &d6, in);
}

/*
 * A bot can send SYNs much faster than we should answer them: past the
 * reject rate the packet is only dropped, so the gateway never becomes an
 * amplifier.
 */
static void op25b_reject(struct op25b_net *on, const struct op25b_settings *set,
			 struct sk_buff *skb, const struct nf_hook_state *state,
			 int fam)
{
	if (!op25b_limit_pass(&on->reject_limit, set->reject_rate,
			      set->reject_burst)) {
		op25b_count(on, fam, OP25B_CNT_REJECT_LIMITED,
			    OP25B_CNT_REJECT_LIMITED);
		return;
	}
	if (!op25b_reject_send(set->action, skb, state, fam))
		return;
	op25b_count(on, fam, OP25B_CNT_REJECTED, OP25B_CNT_REJECTED);
}

/* Mail from a subscriber to a policed destination. */
static unsigned int op25b_block(struct op25b_net *on,
				const struct op25b_settings *set,
				struct op25b_packet *pkt, struct sk_buff *skb,
				const struct nf_hook_state *state, int fam)
{
	op25b_top_hit(on, pkt);
	if (set->log)
		op25b_log(on, set, pkt, state, fam);
	if (op25b_verdict_of(set->mode, OP25B_REASON_BLOCKED) ==
	    OP25B_VERDICT_MONITOR) {
		op25b_count(on, fam, OP25B_CNT_INSPECTED, OP25B_CNT_MONITORED);
		return NF_ACCEPT;
	}
	op25b_count(on, fam, OP25B_CNT_INSPECTED, OP25B_CNT_BLOCKED);
	if (set->action != OP25B_ACTION_DROP)
		op25b_reject(on, set, skb, state, fam);
	return NF_DROP;
}

/* TCP to port 25: the policy decides.  Called under RCU by the hook core. */
static unsigned int op25b_judge(struct op25b_net *on,
				struct op25b_packet *pkt, struct sk_buff *skb,
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
	case OP25B_REASON_NOT_TARGET:
		op25b_count(on, fam, OP25B_CNT_INSPECTED, OP25B_CNT_NOT_TARGET);
		return NF_ACCEPT;
	case OP25B_REASON_BLOCKED:
	default:
		return op25b_block(on, &rs->pol.set, pkt, skb, state, fam);
	}
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
	return op25b_judge(priv, &pkt, skb, state);
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
	return op25b_judge(priv, &pkt, skb, state);
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
