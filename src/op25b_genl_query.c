// SPDX-License-Identifier: GPL-2.0
/*
 * Read commands of the "op25b" family: status, statistics, check (the
 * hook's own decision for a packet) and the offenders.
 */
#include <linux/if.h>
#include <linux/in.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "op25b_genl.h"

static int op25b_nl_put_tables(struct sk_buff *msg,
			       const struct op25b_ruleset *rs)
{
	struct nlattr *tables, *ti;
	int i;

	tables = nla_nest_start(msg, OP25B_A_TABLES);
	if (!tables)
		return -EMSGSIZE;
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		const struct op25b_table *t = rs->pol.tables[i];

		ti = nla_nest_start(msg, OP25B_TABLES_A_TABLE);
		if (!ti || nla_put_u8(msg, OP25B_TINFO_A_ID, i) ||
		    nla_put_u32(msg, OP25B_TINFO_A_IPV4, t->keys4.n) ||
		    nla_put_u32(msg, OP25B_TINFO_A_IPV6, t->keys6.n) ||
		    nla_put_u32(msg, OP25B_TINFO_A_IIF, t->niif) ||
		    nla_put_u32(msg, OP25B_TINFO_A_LIMIT,
				READ_ONCE(op25b_table_max)) ||
		    nla_put_u32(msg, OP25B_TINFO_A_TIMED, t->ntimed) ||
		    (t->ntimed &&
		     nla_put_u32(msg, OP25B_TINFO_A_NEXT_EXPIRY,
				 op25b_expire_left(t->next_expiry))))
			return -EMSGSIZE;
		nla_nest_end(msg, ti);
	}
	nla_nest_end(msg, tables);
	return 0;
}

int op25b_nl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	const struct op25b_ruleset *rs;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = op25b_nl_reply(info, &msg, &hdr);
	if (err)
		return err;
	/*
	 * One published ruleset gives mode and tables; never the writers'
	 * lock, which a 10^6-entry commit holds for a while.
	 */
	rcu_read_lock();
	rs = rcu_dereference(on->rs);
	if (op25b_nl_put_settings(msg, &rs->pol.set) ||
	    nla_put_u32(msg, OP25B_A_GENERATION, rs->generation) ||
	    op25b_nl_put_tables(msg, rs) ||
	    nla_put_u32(msg, OP25B_A_TOP_SLOTS, op25b_top_slots(on)) ||
	    (READ_ONCE(on->txn_portid) &&
	     nla_put_flag(msg, OP25B_A_TXN_OPEN)))
		err = -EMSGSIZE;
	rcu_read_unlock();
	if (!err)
		err = op25b_nl_put_stats(msg, on);
	return op25b_nl_send(info, msg, hdr, err);
}

int op25b_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = op25b_nl_reply(info, &msg, &hdr);
	if (err)
		return err;
	err = op25b_nl_put_stats(msg, op25b_pernet(genl_info_net(info)));
	return op25b_nl_send(info, msg, hdr, err);
}

int op25b_nl_reset_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));

	op25b_stats_reset(on);
	op25b_event_reset(skb, info, OP25B_EVENT_RESET_STATS);
	return 0;
}

static int op25b_nl_check_addr(struct genl_info *info, int type,
			       struct op25b_entry *e)
{
	const struct nlattr *a;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, type))
		return -EINVAL;
	a = info->attrs[type];
	err = op25b_nl_parse_entry(a, e, op25b_expire_now(), info->extack);
	if (err)
		return err;
	if (e->kind == OP25B_KIND_IIF ||
	    e->plen != (e->kind == OP25B_KIND_IPV4 ? 32 : 128)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "check needs host addresses");
		return -EINVAL;
	}
	return 0;
}

struct op25b_check_result {
	enum op25b_reason reason;
	u8 mode;
	u8 scope;
	bool matched[__OP25B_TABLE_MAX];
	struct op25b_entry match[__OP25B_TABLE_MAX];
};

static bool op25b_find_addr(const struct op25b_table *t,
			    const struct op25b_entry *addr,
			    struct op25b_entry *e)
{
	return addr->kind == OP25B_KIND_IPV4 ?
		op25b_table_find4(t, addr->v4, e) :
		op25b_table_find6(t, addr->v6, e);
}

static void op25b_nl_decide(struct op25b_net *on,
			    const struct op25b_packet *pkt,
			    const struct op25b_entry *src,
			    const struct op25b_entry *dst,
			    struct op25b_check_result *res)
{
	const struct op25b_ruleset *rs;
	const struct op25b_table *sub;
	int i;

	rcu_read_lock();
	rs = rcu_dereference(on->rs);
	sub = rs->pol.tables[OP25B_TABLE_SUBSCRIBER];
	res->mode = rs->pol.set.mode;
	res->scope = rs->pol.set.scope;
	res->reason = op25b_decide(&rs->pol, pkt);
	res->matched[OP25B_TABLE_SUBSCRIBER] =
		op25b_find_addr(sub, src, &res->match[OP25B_TABLE_SUBSCRIBER]) ||
		(pkt->iifname && op25b_table_find_iif(sub, pkt->iifname,
				&res->match[OP25B_TABLE_SUBSCRIBER]));
	res->matched[OP25B_TABLE_EXEMPT] =
		op25b_find_addr(rs->pol.tables[OP25B_TABLE_EXEMPT], src,
				&res->match[OP25B_TABLE_EXEMPT]);
	res->matched[OP25B_TABLE_ALLOW] =
		op25b_find_addr(rs->pol.tables[OP25B_TABLE_ALLOW], dst,
				&res->match[OP25B_TABLE_ALLOW]);
	res->matched[OP25B_TABLE_TARGET] =
		op25b_find_addr(rs->pol.tables[OP25B_TABLE_TARGET], dst,
				&res->match[OP25B_TABLE_TARGET]);
	/* comments point into tables that may go once RCU is unlocked */
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		res->match[i].comment = NULL;
	rcu_read_unlock();
}

static const int op25b_match_attr[__OP25B_TABLE_MAX] = {
	[OP25B_TABLE_SUBSCRIBER] = OP25B_A_MATCH_SUBSCRIBER,
	[OP25B_TABLE_ALLOW]	 = OP25B_A_MATCH_ALLOW,
	[OP25B_TABLE_EXEMPT]	 = OP25B_A_MATCH_EXEMPT,
	[OP25B_TABLE_TARGET]	 = OP25B_A_MATCH_TARGET,
};

int op25b_nl_check(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	struct op25b_entry src, dst;
	struct op25b_check_result res = {};
	struct op25b_packet pkt = {};
	char ifname[IFNAMSIZ];
	struct sk_buff *msg;
	void *hdr;
	int err, i;

	err = op25b_nl_check_addr(info, OP25B_A_SRC, &src);
	if (!err)
		err = op25b_nl_check_addr(info, OP25B_A_DST, &dst);
	if (err)
		return err;
	if (src.kind != dst.kind) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[OP25B_A_DST],
				    "source and destination differ in family");
		return -EINVAL;
	}
	pkt.family = src.kind == OP25B_KIND_IPV4 ? 4 : 6;
	pkt.src4 = src.v4;
	pkt.dst4 = dst.v4;
	pkt.src6 = src.v6;
	pkt.dst6 = dst.v6;
	pkt.proto = info->attrs[OP25B_A_PROTO] ?
		    nla_get_u8(info->attrs[OP25B_A_PROTO]) : IPPROTO_TCP;
	pkt.dport = info->attrs[OP25B_A_DPORT] ?
		    nla_get_u16(info->attrs[OP25B_A_DPORT]) : OP25B_SMTP_PORT;
	if (info->attrs[OP25B_A_IIFNAME]) {
		nla_strscpy(ifname, info->attrs[OP25B_A_IIFNAME], IFNAMSIZ);
		pkt.iifname = ifname;
	}
	op25b_nl_decide(on, &pkt, &src, &dst, &res);

	err = op25b_nl_reply(info, &msg, &hdr);
	if (err)
		return err;
	if (nla_put_u8(msg, OP25B_A_VERDICT,
		       op25b_verdict_of(res.mode, res.reason)) ||
	    nla_put_u8(msg, OP25B_A_REASON, res.reason) ||
	    nla_put_u8(msg, OP25B_A_MODE, res.mode) ||
	    nla_put_u8(msg, OP25B_A_SCOPE, res.scope))
		err = -EMSGSIZE;
	for (i = 0; !err && i < __OP25B_TABLE_MAX; i++)
		if (res.matched[i])
			err = op25b_nl_put_entry(msg, op25b_match_attr[i],
						 &res.match[i]);
	return op25b_nl_send(info, msg, hdr, err);
}

/* Offenders: the merged snapshot is taken once, at the start of a dump. */
struct op25b_top_dump {
	struct op25b_net *on;
	struct op25b_offender *off;
	u32 n, next, slots;
	u64 total;
};

int op25b_nl_top_start(struct netlink_callback *cb)
{
	struct op25b_net *on = op25b_pernet(sock_net(cb->skb->sk));
	struct nlattr *attrs[ARRAY_SIZE(op25b_top_policy)];
	struct op25b_top_dump *d;
	int err;

	err = genlmsg_parse(cb->nlh, &op25b_family, attrs,
			    ARRAY_SIZE(op25b_top_policy) - 1, op25b_top_policy,
			    cb->extack);
	if (err)
		return err;
	/*
	 * A snapshot lives until the dump is read to its end: bound them.
	 * The refusal is the first dumpit's, as 6.1 gives .start no extack.
	 */
	if (atomic_inc_return(&on->top_dumps) > OP25B_TOP_DUMPS_MAX) {
		atomic_dec(&on->top_dumps);
		cb->args[2] = 1;
		return 0;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d) {
		err = -ENOMEM;
		goto err;
	}
	err = op25b_top_read(on, attrs[OP25B_A_TOP_LIMIT] ?
			     nla_get_u32(attrs[OP25B_A_TOP_LIMIT]) : 0,
			     &d->off, &d->n, &d->total, &d->slots);
	if (err)
		goto err;
	d->on = on;
	cb->args[0] = (long)d;
	return 0;
err:
	kfree(d);
	atomic_dec(&on->top_dumps);
	return err;
}

int op25b_nl_top_done(struct netlink_callback *cb)
{
	struct op25b_top_dump *d = (struct op25b_top_dump *)cb->args[0];

	if (d) {
		atomic_dec(&d->on->top_dumps);
		kvfree(d->off);
		kfree(d);
	}
	return 0;
}

static int op25b_nl_put_offender(struct sk_buff *msg,
				 const struct op25b_offender *o)
{
	struct nlattr *nest = nla_nest_start(msg, OP25B_OFFENDERS_A_OFFENDER);
	struct in6_addr a6;
	int err;

	if (!nest)
		return -EMSGSIZE;
	if (o->key.family == 4) {
		err = nla_put_in_addr(msg, OP25B_OFFENDER_A_ADDR4,
				      htonl((u32)o->key.addr)) ||
		      nla_put_u8(msg, OP25B_OFFENDER_A_PREFIXLEN, 32);
	} else {
		op25b_u128_to_in6(o->key.addr, &a6);
		err = nla_put_in6_addr(msg, OP25B_OFFENDER_A_ADDR6, &a6) ||
		      nla_put_u8(msg, OP25B_OFFENDER_A_PREFIXLEN,
				 OP25B_OFFENDER_PLEN6);
	}
	if (err ||
	    nla_put_u64_64bit(msg, OP25B_OFFENDER_A_COUNT, o->count,
			      OP25B_OFFENDER_A_PAD) ||
	    nla_put_u64_64bit(msg, OP25B_OFFENDER_A_ERROR, o->error,
			      OP25B_OFFENDER_A_PAD) ||
	    nla_put_u64_64bit(msg, OP25B_OFFENDER_A_FIRST, o->first,
			      OP25B_OFFENDER_A_PAD) ||
	    nla_put_u64_64bit(msg, OP25B_OFFENDER_A_LAST, o->last,
			      OP25B_OFFENDER_A_PAD) ||
	    nla_put_u32(msg, OP25B_OFFENDER_A_DESTS,
			op25b_topk_dests(o->dst_bits))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* Every message repeats the totals, so even an empty store answers. */
int op25b_nl_top_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct op25b_top_dump *d = (struct op25b_top_dump *)cb->args[0];
	struct nlattr *list;
	void *hdr;
	u32 start;

	if (cb->args[2]) {
		NL_SET_ERR_MSG(cb->extack,
			       "too many unfinished top dumps in this namespace");
		return -EBUSY;
	}
	if (cb->args[1])
		return 0;
	start = d->next;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &op25b_family, NLM_F_MULTI, OP25B_CMD_GET_TOP);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, OP25B_A_TOP_TOTAL, d->total, OP25B_A_PAD) ||
	    nla_put_u32(skb, OP25B_A_TOP_SLOTS, d->slots))
		goto cancel;
	list = nla_nest_start(skb, OP25B_A_OFFENDERS);
	if (!list)
		goto cancel;
	for (; d->next < d->n; d->next++)
		if (op25b_nl_put_offender(skb, &d->off[d->next]))
			break;
	if (d->next == start && d->n) {
		nla_nest_cancel(skb, list);
		goto cancel;
	}
	nla_nest_end(skb, list);
	genlmsg_end(skb, hdr);
	cb->args[1] = d->next == d->n;
	return skb->len;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int op25b_nl_reset_top(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));

	op25b_top_reset(on);
	op25b_event_reset(skb, info, OP25B_EVENT_RESET_TOP);
	return 0;
}
