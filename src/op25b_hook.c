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
#include <net/tcp.h>

#include "op25b_net.h"

/*
 * Per-CPU counters want the CPU to stay put: hooks usually run in softirq,
 * but a packet reinjected from NFQUEUE runs them with BH enabled (and
 * PREEMPT_RT is preemptible), so BH is disabled around the update, as
 * nft_counter does.  @mask: BIT() of each counter to bump.
 */
static void op25b_count(struct op25b_net *on, int fam, u32 mask)
{
	struct op25b_pcpu_stats *s;

	local_bh_disable();
	s = this_cpu_ptr(on->stats);
	u64_stats_update_begin(&s->syncp);
	for (; mask; mask &= mask - 1)
		u64_stats_inc(&s->cnt[fam][__ffs(mask)]);
	u64_stats_update_end(&s->syncp);
	local_bh_enable();
}

/*
 * What the kernel's reject helpers would silently decline: a RST (no RST
 * for a RST), a fragment or a cut TCP header (the checksum cannot be
 * checked), a bad checksum.  Counted apart, before the rate limiter, so a
 * flood of such packets spends no answer.
 */
static bool op25b_answerable(struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     const struct op25b_l4 *l4, u8 action, int fam)
{
	const struct tcphdr *th;
	struct tcphdr _th;

	if (l4->fragment)
		return false;
	th = skb_header_pointer(skb, l4->thoff, sizeof(_th), &_th);
	if (!th || (action == OP25B_ACTION_REJECT_TCP && th->rst))
		return false;
	if (skb_csum_unnecessary(skb))
		return true;
	return fam == 0 ?
		!nf_ip_checksum(skb, state->hook, l4->thoff, IPPROTO_TCP) :
		!nf_ip6_checksum(skb, state->hook, l4->thoff, IPPROTO_TCP);
}

/*
 * A bot can send SYNs much faster than we should answer them: past the
 * reject rate the packet is only dropped, so the gateway never becomes an
 * amplifier.
 */
static u32 op25b_reject(struct op25b_net *on, const struct op25b_settings *set,
			struct sk_buff *skb, const struct nf_hook_state *state,
			const struct op25b_l4 *l4, int fam)
{
	if (!op25b_answerable(skb, state, l4, set->action, fam))
		return BIT(OP25B_CNT_REJECT_UNANSWERABLE);
	if (!op25b_limit_pass(&on->reject_limit, set->reject_rate,
			      set->reject_burst))
		return BIT(OP25B_CNT_REJECT_LIMITED);
	if (!op25b_reject_send(set->action, skb, state, fam))
		return 0;
	return BIT(OP25B_CNT_REJECT_SENT);
}

/*
 * A connection attempt is a SYN without ACK.  A first fragment too short
 * to show the flags counts as one: it is what an evasion looks like.
 */
static bool op25b_is_attempt(const struct sk_buff *skb,
			     const struct op25b_l4 *l4)
{
	const u8 *flags;
	u8 _flags;

	flags = skb_header_pointer(skb, l4->thoff + 13, 1, &_flags);
	return !flags || (*flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN;
}

/* Mail from a subscriber to a policed destination. */
static unsigned int op25b_block(struct op25b_net *on,
				const struct op25b_settings *set,
				struct op25b_packet *pkt, struct sk_buff *skb,
				const struct nf_hook_state *state,
				const struct op25b_l4 *l4, int fam)
{
	bool enforce = op25b_verdict_of(set->mode, OP25B_REASON_BLOCKED) ==
		       OP25B_VERDICT_BLOCK;
	u32 mask = BIT(OP25B_CNT_INSPECTED);

	mask |= enforce ? BIT(OP25B_CNT_BLOCKED) : BIT(OP25B_CNT_MONITORED);
	/* offenders, logs and alerts are about attempts, not segments */
	if (op25b_is_attempt(skb, l4)) {
		mask |= enforce ? BIT(OP25B_CNT_ATTEMPTS_BLOCKED) :
				  BIT(OP25B_CNT_ATTEMPTS_MONITORED);
		op25b_top_hit(on, pkt);
		if (set->log || set->nflog)
			mask |= op25b_log(on, set, pkt, skb, state, l4, fam);
		if (set->alert_attempts)
			mask |= op25b_alert_hit(on, set, pkt, state);
	}
	if (enforce && set->action != OP25B_ACTION_DROP)
		mask |= op25b_reject(on, set, skb, state, l4, fam);
	op25b_count(on, fam, mask);
	return enforce ? NF_DROP : NF_ACCEPT;
}

/* TCP to port 25: the policy decides.  Called under RCU by the hook core. */
static unsigned int op25b_judge(struct op25b_net *on,
				struct op25b_packet *pkt, struct sk_buff *skb,
				const struct nf_hook_state *state,
				const struct op25b_l4 *l4)
{
	const struct op25b_ruleset *rs = rcu_dereference(on->rs);
	int fam = pkt->family == 4 ? 0 : 1;
	u32 passed;

	pkt->proto = IPPROTO_TCP;
	pkt->dport = OP25B_SMTP_PORT;
	pkt->iifname = state->in ? state->in->name : NULL;
	switch (op25b_decide(&rs->pol, pkt)) {
	case OP25B_REASON_NOT_SMTP:
	case OP25B_REASON_MODE_OFF:
		return NF_ACCEPT;
	case OP25B_REASON_NOT_SUBSCRIBER:
		op25b_count(on, fam, BIT(OP25B_CNT_NOT_SUBSCRIBER));
		return NF_ACCEPT;
	case OP25B_REASON_EXEMPT:
		passed = BIT(OP25B_CNT_ALLOWED_EXEMPT);
		break;
	case OP25B_REASON_ALLOWED_MTA:
		passed = BIT(OP25B_CNT_ALLOWED_MTA);
		break;
	case OP25B_REASON_NOT_TARGET:
		passed = BIT(OP25B_CNT_NOT_TARGET);
		break;
	case OP25B_REASON_BLOCKED:
	default:
		return op25b_block(on, &rs->pol.set, pkt, skb, state, l4, fam);
	}
	op25b_count(on, fam, BIT(OP25B_CNT_INSPECTED) | passed);
	return NF_ACCEPT;
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
	struct op25b_l4 l4;
	__be16 _dport;
	const __be16 *dport;

	/* a non-first fragment has no TCP header to read */
	if (iph->protocol != IPPROTO_TCP || (iph->frag_off & htons(IP_OFFSET)))
		return NF_ACCEPT;
	l4.thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	l4.fragment = iph->frag_off & htons(IP_MF);
	dport = skb_header_pointer(skb, l4.thoff +
				   offsetof(struct tcphdr, dest),
				   sizeof(_dport), &_dport);
	if (dport ? *dport != htons(OP25B_SMTP_PORT) : !l4.fragment)
		return NF_ACCEPT;

	pkt.family = 4;
	pkt.src4 = ntohl(iph->saddr);
	pkt.dst4 = ntohl(iph->daddr);
	return op25b_judge(priv, &pkt, skb, state, &l4);
}

/*
 * IPv6 extension headers that op25b walks: those ipv6_skip_exthdr() knows
 * but ESP (opaque) and "no next header", and those RFC 7045 and RFC 8200
 * added since, which share the options format: mobility, HIP, shim6 and
 * the two experimental numbers.
 */
static bool op25b_ipv6_exthdr(u8 nexthdr)
{
	switch (nexthdr) {
	case NEXTHDR_HOP:
	case NEXTHDR_ROUTING:
	case NEXTHDR_FRAGMENT:
	case NEXTHDR_AUTH:
	case NEXTHDR_DEST:
	case 135:	/* mobility */
	case 139:	/* HIP */
	case 140:	/* shim6 */
	case 253:	/* experimental */
	case 254:
		return true;
	}
	return false;
}

/*
 * Protocols that surely are not TCP, where a first fragment's header chain
 * may end.  Anything else there might be an extension header a receiver
 * knows and op25b does not, with TCP behind it.
 */
static bool op25b_ipv6_not_tcp(u8 nexthdr)
{
	switch (nexthdr) {
	case NEXTHDR_UDP:
	case NEXTHDR_ICMP:
	case NEXTHDR_NONE:
	case NEXTHDR_ESP:
	case NEXTHDR_GRE:
	case NEXTHDR_IPV4:
	case NEXTHDR_IPV6:
	case IPPROTO_SCTP:
	case IPPROTO_UDPLITE:
	case IPPROTO_DCCP:
		return true;
	}
	return false;
}

enum op25b_walk {
	OP25B_WALK_TCP,		/* l4->thoff is the TCP header */
	OP25B_WALK_PASS,	/* not TCP, or a non-first fragment */
	OP25B_WALK_CUT,		/* a first fragment whose chain ends early */
};

/*
 * Follows the extension headers from @nexthdr at @l4->thoff.  A first
 * fragment (offset 0, more fragments) whose chain does not reach a TCP
 * header, because it is cut short or ends on a header op25b does not
 * know, could hide TCP to port 25 in the next fragment: the caller judges
 * it as such (RFC 8200 requires the whole chain in the first fragment;
 * a lax reassembler does not).
 */
static enum op25b_walk op25b_ipv6_walk(const struct sk_buff *skb, u8 nexthdr,
				       struct op25b_l4 *l4)
{
	const struct ipv6_opt_hdr *h;
	struct ipv6_opt_hdr _h;
	int off = l4->thoff;

	while (op25b_ipv6_exthdr(nexthdr)) {
		h = skb_header_pointer(skb, off, sizeof(_h), &_h);
		if (!h)
			goto cut;
		if (nexthdr == NEXTHDR_FRAGMENT) {
			const struct frag_hdr *fh;
			struct frag_hdr _fh;

			fh = skb_header_pointer(skb, off, sizeof(_fh), &_fh);
			if (!fh)
				return OP25B_WALK_PASS;
			if (fh->frag_off & htons(IP6_OFFSET))
				return OP25B_WALK_PASS;
			if (fh->frag_off & htons(IP6_MF))
				l4->fragment = true;
			off += sizeof(*fh);
		} else if (nexthdr == NEXTHDR_AUTH) {
			off += ipv6_authlen(h);
		} else {
			off += ipv6_optlen(h);
		}
		nexthdr = h->nexthdr;
	}
	if (nexthdr == IPPROTO_TCP) {
		l4->thoff = off;
		return OP25B_WALK_TCP;
	}
	if (op25b_ipv6_not_tcp(nexthdr))
		return OP25B_WALK_PASS;
cut:
	if (!l4->fragment)
		return OP25B_WALK_PASS;
	/* no TCP header to read: flags and checksum read as unknown */
	l4->thoff = skb->len;
	return OP25B_WALK_CUT;
}

static unsigned int op25b_hook_ipv6(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	u8 nexthdr = ip6h->nexthdr;
	struct op25b_packet pkt;
	struct op25b_l4 l4;
	__be16 _dport;
	const __be16 *dport;

	l4.thoff = skb_network_offset(skb) + sizeof(*ip6h);
	l4.fragment = false;
	if (nexthdr != IPPROTO_TCP) {
		if (!op25b_ipv6_exthdr(nexthdr))
			return NF_ACCEPT;
		switch (op25b_ipv6_walk(skb, nexthdr, &l4)) {
		case OP25B_WALK_PASS:
			return NF_ACCEPT;
		case OP25B_WALK_CUT:
			goto judge;
		case OP25B_WALK_TCP:
			break;
		}
	}
	dport = skb_header_pointer(skb, l4.thoff + offsetof(struct tcphdr, dest),
				   sizeof(_dport), &_dport);
	if (dport ? *dport != htons(OP25B_SMTP_PORT) : !l4.fragment)
		return NF_ACCEPT;
judge:
	pkt.family = 6;
	pkt.src6 = op25b_in6_to_u128(&ip6h->saddr);
	pkt.dst6 = op25b_in6_to_u128(&ip6h->daddr);
	return op25b_judge(priv, &pkt, skb, state, &l4);
}

/*
 * After the filter table, so that an operator's own rules have the first
 * word; before security/SELinux marking, which has no say on a drop.
 */
#define OP25B_HOOK_PRIORITY	(NF_IP_PRI_FILTER + 10)
#define OP25B_HOOK6_PRIORITY	(NF_IP6_PRI_FILTER + 10)

void op25b_hook_init(struct op25b_net *on)
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
}

/*
 * A namespace pays for netfilter's hook dispatch only while its policy
 * can block: it has subscribers and its mode is not off.  Without such a
 * policy every packet passes uncounted (the one counter it would feed,
 * not_subscriber, is documented as counting only then), so the hooks are
 * registered by the writer that publishes the first policy that needs
 * them and unregistered by the one that publishes the first that does
 * not: containers and VRFs without op25b policy forward at full speed.
 */
static bool op25b_hooks_needed(const struct op25b_policy *pol)
{
	return pol->set.mode != OP25B_MODE_OFF &&
	       op25b_table_size(pol->tables[OP25B_TABLE_SUBSCRIBER]);
}

/*
 * Before @pol is published: hooks first, so that no packet passes
 * unjudged once it is; until then they judge by the old policy, which
 * needed none and so passes everything.
 */
int op25b_hooks_before(struct op25b_net *on, const struct op25b_policy *pol)
{
	int err;

	lockdep_assert_held(&on->lock);
	if (on->hooked || !op25b_hooks_needed(pol))
		return 0;
	err = nf_register_net_hooks(read_pnet(&on->net), on->hook_ops,
				    ARRAY_SIZE(on->hook_ops));
	if (!err)
		WRITE_ONCE(on->hooked, true);
	return err;
}

/* After @pol is published: the hooks go when it does not need them. */
void op25b_hooks_after(struct op25b_net *on, const struct op25b_policy *pol)
{
	lockdep_assert_held(&on->lock);
	if (on->hooked && !op25b_hooks_needed(pol))
		op25b_hooks_remove(on);
}

/*
 * A packet may still be in a hook after this: the namespace's state
 * outlives it (rulesets are freed after a grace period, the rest at
 * namespace exit, which the core runs a grace period after pre_exit).
 */
void op25b_hooks_remove(struct op25b_net *on)
{
	lockdep_assert_held(&on->lock);
	if (!on->hooked)
		return;
	nf_unregister_net_hooks(read_pnet(&on->net), on->hook_ops,
				ARRAY_SIZE(on->hook_ops));
	WRITE_ONCE(on->hooked, false);
}
