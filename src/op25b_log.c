// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel log lines for blocked and monitored connection attempts.
 *
 * The kernel log belongs to the host, and a container's root can turn
 * logging on in its own namespace.  So, as netfilter's own loggers do, a
 * namespace other than the initial one logs only while the host allows
 * netfilter logging from every namespace (net.netfilter.nf_log_all_netns
 * in the initial namespace, off by default); every line passes the
 * namespace's limiter and then one shared by all namespaces (module
 * parameter log_rate_max); and interface names, which whoever created the
 * interface chose, are printed with non-printable bytes escaped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/string.h>
#include <net/netfilter/nf_log.h>

#include "op25b_net.h"

unsigned int op25b_log_rate_max __read_mostly = OP25B_LOG_RATE_MAX_DEFAULT;
static struct op25b_limiter op25b_log_global;

bool op25b_log_netns_allowed(const struct net *net)
{
	return net_eq(net, &init_net) || READ_ONCE(sysctl_nf_log_all_netns);
}

/*
 * With privacy on, a logged address is cut to the subscriber's /24 or /48:
 * in Japan who mailed whom is a secret of communications, and a network
 * is enough to find an infected customer's line.
 */
static void op25b_log_line(const struct op25b_settings *set,
			   const struct op25b_packet *pkt, const char *what,
			   const char *in)
{
	int inlen = strnlen(in, IFNAMSIZ);
	struct in6_addr s6, d6;
	__be32 s4, d4;

	if (pkt->family == 4) {
		u32 m = set->log_privacy ? op25b_mask4(OP25B_LOG_PRIVACY_PLEN4) :
					   ~0U;

		s4 = htonl(pkt->src4 & m);
		d4 = htonl(pkt->dst4 & m);
		if (set->log_privacy)
			pr_info("%s TCP %pI4/%u -> %pI4/%u:25 in=%*pE\n", what,
				&s4, OP25B_LOG_PRIVACY_PLEN4, &d4,
				OP25B_LOG_PRIVACY_PLEN4, inlen, in);
		else
			pr_info("%s TCP %pI4 -> %pI4:25 in=%*pE\n", what, &s4,
				&d4, inlen, in);
		return;
	}
	if (set->log_privacy) {
		__uint128_t m = op25b_mask6(OP25B_LOG_PRIVACY_PLEN6);

		op25b_u128_to_in6(pkt->src6 & m, &s6);
		op25b_u128_to_in6(pkt->dst6 & m, &d6);
		pr_info("%s TCP %pI6c/%u -> %pI6c/%u:25 in=%*pE\n", what, &s6,
			OP25B_LOG_PRIVACY_PLEN6, &d6, OP25B_LOG_PRIVACY_PLEN6,
			inlen, in);
		return;
	}
	op25b_u128_to_in6(pkt->src6, &s6);
	op25b_u128_to_in6(pkt->dst6, &d6);
	pr_info("%s TCP %pI6c -> [%pI6c]:25 in=%*pE\n", what, &s6, &d6, inlen,
		in);
}

/* A kernel log line, where and while the host allows; true if written. */
static bool op25b_log_kernel(const struct op25b_settings *set,
			     const struct op25b_packet *pkt,
			     const struct nf_hook_state *state)
{
	u32 global = READ_ONCE(op25b_log_rate_max);

	if (!op25b_log_netns_allowed(state->net) ||
	    !op25b_limit_pass(&op25b_log_global, global, global))
		return false;
	op25b_log_line(set, pkt, set->mode == OP25B_MODE_ENFORCE ? "blocked" :
			"monitored", state->in ? state->in->name : "?");
	return true;
}

/*
 * Packet path, for an attempt, with log or NFLOG on: both are behind the
 * namespace's log rate; kernel log lines behind the host's rules too.
 */
u32 op25b_log(struct op25b_net *on, const struct op25b_settings *set,
	      const struct op25b_packet *pkt, struct sk_buff *skb,
	      const struct nf_hook_state *state, const struct op25b_l4 *l4,
	      int fam)
{
	u32 mask = 0;

	if (!op25b_limit_pass(&on->log_limit, set->log_rate, set->log_burst))
		return BIT(OP25B_CNT_LOG_SUPPRESSED);
	if (set->log)
		mask |= op25b_log_kernel(set, pkt, state) ?
			BIT(OP25B_CNT_LOGGED) : BIT(OP25B_CNT_LOG_SUPPRESSED);
	if (set->nflog && op25b_nflog(set, skb, state, l4, fam))
		mask |= BIT(OP25B_CNT_NFLOGGED);
	return mask;
}
