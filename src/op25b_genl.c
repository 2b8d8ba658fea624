// SPDX-License-Identifier: GPL-2.0
/*
 * The "op25b" generic netlink family; include/uapi/linux/op25b.h holds
 * the protocol.  Every request acts on the sender's network namespace.
 */
#include <linux/if.h>
#include <linux/in.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "op25b_net.h"

static const struct nla_policy op25b_entry_policy[OP25B_ENTRY_A_MAX + 1] = {
	[OP25B_ENTRY_A_ADDR4]	  = NLA_POLICY_EXACT_LEN(4),
	[OP25B_ENTRY_A_ADDR6]	  = NLA_POLICY_EXACT_LEN(16),
	[OP25B_ENTRY_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[OP25B_ENTRY_A_IIFNAME]	  = { .type = NLA_NUL_STRING,
				      .len = IFNAMSIZ - 1 },
	[OP25B_ENTRY_A_COMMENT]	  = { .type = NLA_NUL_STRING,
				      .len = OP25B_COMMENT_MAX },
};

static const struct nla_policy op25b_list_policy[OP25B_LIST_A_MAX + 1] = {
	[OP25B_LIST_A_ENTRY] = NLA_POLICY_NESTED(op25b_entry_policy),
};

/* not const: 6.1's nla_policy points at it without const */
static struct netlink_range_validation op25b_rate_range = {
	.min = 1,
	.max = OP25B_RATE_MAX,
};

static const struct nla_policy op25b_policy[OP25B_A_MAX + 1] = {
	[OP25B_A_MODE]	  = NLA_POLICY_MAX(NLA_U8, OP25B_MODE_MAX),
	[OP25B_A_TABLE]	  = NLA_POLICY_MAX(NLA_U8, OP25B_TABLE_MAX),
	[OP25B_A_ENTRIES] = NLA_POLICY_NESTED(op25b_list_policy),
	[OP25B_A_SRC]	  = NLA_POLICY_NESTED(op25b_entry_policy),
	[OP25B_A_DST]	  = NLA_POLICY_NESTED(op25b_entry_policy),
	[OP25B_A_DPORT]	  = { .type = NLA_U16 },
	[OP25B_A_PROTO]	  = { .type = NLA_U8 },
	[OP25B_A_IIFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[OP25B_A_ACTION]  = NLA_POLICY_MAX(NLA_U8, OP25B_ACTION_MAX),
	[OP25B_A_SCOPE]	  = NLA_POLICY_MAX(NLA_U8, OP25B_SCOPE_MAX),
	[OP25B_A_REJECT_RATE]  = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &op25b_rate_range),
	[OP25B_A_REJECT_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &op25b_rate_range),
	[OP25B_A_LOG]	  = NLA_POLICY_MAX(NLA_U8, 1),
	[OP25B_A_LOG_RATE]  = NLA_POLICY_FULL_RANGE(NLA_U32, &op25b_rate_range),
	[OP25B_A_LOG_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32, &op25b_rate_range),
	[OP25B_A_LOG_PRIVACY] = NLA_POLICY_MAX(NLA_U8, 1),
	[OP25B_A_TXN]	  = NLA_POLICY_MIN(NLA_U32, 1),
	[OP25B_A_TOP_LIMIT] = { .type = NLA_U32 },
};

static struct genl_family op25b_family;

/*
 * 6.1 has no formatted extack messages; a static text plus the offending
 * attribute lets op25bctl name the entry itself.
 */
static void op25b_nl_error(struct netlink_ext_ack *extack,
			   const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}

static struct nlattr *op25b_nl_need(struct genl_info *info, int type,
				    const char *msg)
{
	if (!info->attrs[type])
		op25b_nl_error(info->extack, NULL, msg);
	return info->attrs[type];
}

static int op25b_nl_parse_entry(const struct nlattr *nest,
				struct op25b_entry *e,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[OP25B_ENTRY_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, OP25B_ENTRY_A_MAX, nest,
			       op25b_entry_policy, extack);
	if (err)
		return err;
	memset(e, 0, sizeof(*e));
	if (!!tb[OP25B_ENTRY_A_ADDR4] + !!tb[OP25B_ENTRY_A_ADDR6] +
	    !!tb[OP25B_ENTRY_A_IIFNAME] != 1) {
		op25b_nl_error(extack, nest,
			       "entry needs one address or interface name");
		return -EINVAL;
	}
	if (tb[OP25B_ENTRY_A_IIFNAME]) {
		if (tb[OP25B_ENTRY_A_PREFIXLEN]) {
			op25b_nl_error(extack, nest,
				       "interface entry with a prefix length");
			return -EINVAL;
		}
		e->kind = OP25B_KIND_IIF;
		nla_strscpy(e->ifname, tb[OP25B_ENTRY_A_IIFNAME], IFNAMSIZ);
	} else if (tb[OP25B_ENTRY_A_ADDR4]) {
		e->kind = OP25B_KIND_IPV4;
		e->v4 = ntohl(nla_get_in_addr(tb[OP25B_ENTRY_A_ADDR4]));
		e->plen = 32;
	} else {
		struct in6_addr a = nla_get_in6_addr(tb[OP25B_ENTRY_A_ADDR6]);

		e->kind = OP25B_KIND_IPV6;
		e->v6 = op25b_in6_to_u128(&a);
		e->plen = 128;
	}
	if (tb[OP25B_ENTRY_A_PREFIXLEN])
		e->plen = nla_get_u8(tb[OP25B_ENTRY_A_PREFIXLEN]);
	/* the policy made it a NUL-terminated string inside the request */
	if (tb[OP25B_ENTRY_A_COMMENT])
		e->comment = nla_data(tb[OP25B_ENTRY_A_COMMENT]);
	err = op25b_entry_validate(e);
	if (err) {
		op25b_nl_error(extack, nest, op25b_table_strerror(err));
		return op25b_table_errno(err);
	}
	return 0;
}

static const struct nlattr *op25b_nl_nth(const struct nlattr *list, u32 n)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_nested(a, list, rem)
		if (!n--)
			return a;
	return list;
}

/* Parses OP25B_A_ENTRIES into a freshly allocated batch. */
static int op25b_nl_parse_batch(struct genl_info *info, u8 table,
				struct op25b_entry **batchp, u32 *np)
{
	const struct nlattr *list, *a;
	struct op25b_entry *batch;
	u32 n = 0;
	int rem, err;

	list = op25b_nl_need(info, OP25B_A_ENTRIES, "missing entries");
	if (!list)
		return -EINVAL;
	nla_for_each_nested(a, list, rem)
		n++;
	batch = kvmalloc_array(n ? n : 1, sizeof(*batch), GFP_KERNEL_ACCOUNT);
	if (!batch)
		return -ENOMEM;
	n = 0;
	nla_for_each_nested(a, list, rem) {
		err = op25b_nl_parse_entry(a, &batch[n], info->extack);
		if (!err && batch[n].kind == OP25B_KIND_IIF &&
		    table != OP25B_TABLE_SUBSCRIBER) {
			op25b_nl_error(info->extack, a,
				       "interface entries belong in the subscriber table");
			err = -EINVAL;
		}
		if (err) {
			kvfree(batch);
			return err;
		}
		batch[n].pos = n;
		n++;
	}
	*batchp = batch;
	*np = n;
	return 0;
}

/* Errors that one entry of the request is to blame for. */
static bool op25b_terr_of_entry(enum op25b_table_err terr)
{
	switch (terr) {
	case OP25B_TERR_PLEN:
	case OP25B_TERR_HOSTBITS:
	case OP25B_TERR_IFNAME:
	case OP25B_TERR_DUPLICATE:
	case OP25B_TERR_EXISTS:
	case OP25B_TERR_MISSING:
		return true;
	default:
		return false;
	}
}

/* The open transaction a request names; NULL (extack set) if none. */
static struct op25b_txn *op25b_nl_txn(struct op25b_net *on,
				      struct genl_info *info)
{
	struct op25b_txn *txn;

	txn = op25b_txn_find(on, nla_get_u32(info->attrs[OP25B_A_TXN]),
			     info->snd_portid);
	if (!txn)
		op25b_nl_error(info->extack, info->attrs[OP25B_A_TXN],
			       "no such transaction open on this socket");
	return txn;
}

static int op25b_nl_stage(struct op25b_net *on, struct genl_info *info,
			  u8 id, struct op25b_entry *batch, u32 n)
{
	struct op25b_txn *txn = op25b_nl_txn(on, info);
	int err;

	if (!txn)
		return -ENOENT;
	err = op25b_txn_stage(txn, id, batch, n, READ_ONCE(op25b_table_max));
	if (err == -ENOSPC)
		op25b_nl_error(info->extack, NULL,
			       op25b_table_strerror(OP25B_TERR_FULL));
	return err;
}

/*
 * A transaction replaces the whole configuration at its commit: a plain
 * write meanwhile would be lost without a word, so it is refused, as
 * nftables serialises its writers.
 */
static bool op25b_nl_txn_busy(struct op25b_net *on, struct genl_info *info)
{
	lockdep_assert_held(&on->lock);
	if (!on->txn)
		return false;
	NL_SET_ERR_MSG(info->extack,
		       "a transaction (op25bctl load) is open in this namespace; try again when it ends");
	return true;
}

static int op25b_nl_change(struct genl_info *info, enum op25b_table_op op)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	struct op25b_table *table;
	struct op25b_entry *batch;
	enum op25b_table_err terr;
	u32 n, bad;
	u8 id;
	int err;

	if (!op25b_nl_need(info, OP25B_A_TABLE, "missing table"))
		return -EINVAL;
	if (op == OP25B_OP_DEL && info->attrs[OP25B_A_TXN]) {
		op25b_nl_error(info->extack, info->attrs[OP25B_A_TXN],
			       "a transaction takes only additions and settings");
		return -EINVAL;
	}
	id = nla_get_u8(info->attrs[OP25B_A_TABLE]);
	err = op25b_nl_parse_batch(info, id, &batch, &n);
	if (err)
		return err;

	mutex_lock(&on->lock);
	if (info->attrs[OP25B_A_TXN]) {
		err = op25b_nl_stage(on, info, id, batch, n);
		goto out;
	}
	if (op25b_nl_txn_busy(on, info)) {
		err = -EBUSY;
		goto out;
	}
	if (id == OP25B_TABLE_SUBSCRIBER && op == OP25B_OP_ADD) {
		/* the first subscribers bring the offenders store */
		err = op25b_top_ensure(on);
		if (err)
			goto out;
	}
	terr = op25b_table_apply(op25b_net_rs_locked(on)->pol.tables[id], op,
				 batch, n, READ_ONCE(op25b_table_max), &table,
				 &bad);
	if (terr) {
		op25b_nl_error(info->extack, op25b_terr_of_entry(terr) ?
			       op25b_nl_nth(info->attrs[OP25B_A_ENTRIES], bad) :
			       NULL, op25b_table_strerror(terr));
		err = op25b_table_errno(terr);
	} else {
		err = op25b_net_set_table(on, id, table);
	}
out:
	mutex_unlock(&on->lock);
	kvfree(batch);
	return err;
}

static int op25b_nl_add(struct sk_buff *skb, struct genl_info *info)
{
	return op25b_nl_change(info, OP25B_OP_ADD);
}

static int op25b_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	return op25b_nl_change(info, OP25B_OP_DEL);
}

static int op25b_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	struct op25b_table *table;
	int err;

	if (!op25b_nl_need(info, OP25B_A_TABLE, "missing table"))
		return -EINVAL;
	if (info->attrs[OP25B_A_TXN]) {
		op25b_nl_error(info->extack, info->attrs[OP25B_A_TXN],
			       "a transaction takes only additions and settings");
		return -EINVAL;
	}
	table = op25b_table_new();
	if (!table)
		return -ENOMEM;
	mutex_lock(&on->lock);
	if (op25b_nl_txn_busy(on, info)) {
		op25b_table_free(table);
		err = -EBUSY;
	} else {
		err = op25b_net_set_table(on,
					  nla_get_u8(info->attrs[OP25B_A_TABLE]),
					  table);
	}
	mutex_unlock(&on->lock);
	return err;
}

static void op25b_nl_get_u8(struct genl_info *info, int type, u8 *v)
{
	if (info->attrs[type])
		*v = nla_get_u8(info->attrs[type]);
}

static void op25b_nl_get_u32(struct genl_info *info, int type, u32 *v)
{
	if (info->attrs[type])
		*v = nla_get_u32(info->attrs[type]);
}

/* Settings given in the request override those in @set. */
static bool op25b_nl_parse_settings(struct genl_info *info,
				    struct op25b_settings *set)
{
	static const int types[] = {
		OP25B_A_MODE, OP25B_A_ACTION, OP25B_A_SCOPE,
		OP25B_A_REJECT_RATE, OP25B_A_REJECT_BURST, OP25B_A_LOG,
		OP25B_A_LOG_RATE, OP25B_A_LOG_BURST, OP25B_A_LOG_PRIVACY,
	};
	bool any = false;
	int i;

	for (i = 0; i < ARRAY_SIZE(types); i++)
		any |= !!info->attrs[types[i]];
	op25b_nl_get_u8(info, OP25B_A_MODE, &set->mode);
	op25b_nl_get_u8(info, OP25B_A_ACTION, &set->action);
	op25b_nl_get_u8(info, OP25B_A_SCOPE, &set->scope);
	op25b_nl_get_u32(info, OP25B_A_REJECT_RATE, &set->reject_rate);
	op25b_nl_get_u32(info, OP25B_A_REJECT_BURST, &set->reject_burst);
	op25b_nl_get_u8(info, OP25B_A_LOG, &set->log);
	op25b_nl_get_u32(info, OP25B_A_LOG_RATE, &set->log_rate);
	op25b_nl_get_u32(info, OP25B_A_LOG_BURST, &set->log_burst);
	op25b_nl_get_u8(info, OP25B_A_LOG_PRIVACY, &set->log_privacy);
	return any;
}

/*
 * What a namespace may not have, whatever its privileges there: kernel
 * log lines from a namespace the host does not let log, and a reject
 * action whose helpers cannot be loaded.  @log_asked: the request turns
 * logging on (a setting already on is not refused again).
 */
static int op25b_nl_settings_allowed(struct genl_info *info,
				     const struct op25b_settings *set,
				     bool log_asked)
{
	if (log_asked && set->log &&
	    !op25b_log_netns_allowed(genl_info_net(info))) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[OP25B_A_LOG],
				    "logging from a network namespace other than the initial one needs net.netfilter.nf_log_all_netns=1 in the initial namespace");
		return -EPERM;
	}
	return op25b_reject_prepare(set->action, info->extack);
}

static int op25b_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	struct op25b_settings set, *target;
	struct op25b_txn *txn;
	int err = 0;

	/* before the lock: loading a helper module may take a while */
	if (info->attrs[OP25B_A_ACTION]) {
		err = op25b_reject_prepare(nla_get_u8(info->attrs[OP25B_A_ACTION]),
					   info->extack);
		if (err)
			return err;
	}
	mutex_lock(&on->lock);
	if (info->attrs[OP25B_A_TXN]) {
		txn = op25b_nl_txn(on, info);
		if (!txn) {
			err = -ENOENT;
			goto out;
		}
		target = op25b_txn_settings(txn);
	} else if (op25b_nl_txn_busy(on, info)) {
		err = -EBUSY;
		goto out;
	} else {
		target = NULL;
	}
	set = target ? *target : op25b_net_rs_locked(on)->pol.set;
	if (!op25b_nl_parse_settings(info, &set)) {
		if (target)
			goto out;
		op25b_nl_error(info->extack, NULL, "nothing to set");
		err = -EINVAL;
		goto out;
	}
	err = op25b_nl_settings_allowed(info, &set, !!info->attrs[OP25B_A_LOG]);
	if (err)
		goto out;
	if (target)
		*target = set;
	else
		err = op25b_net_set_settings(on, &set);
out:
	mutex_unlock(&on->lock);
	return err;
}

static int op25b_nl_put_settings(struct sk_buff *msg,
				 const struct op25b_settings *set)
{
	if (nla_put_u8(msg, OP25B_A_MODE, set->mode) ||
	    nla_put_u8(msg, OP25B_A_ACTION, set->action) ||
	    nla_put_u8(msg, OP25B_A_SCOPE, set->scope) ||
	    nla_put_u32(msg, OP25B_A_REJECT_RATE, set->reject_rate) ||
	    nla_put_u32(msg, OP25B_A_REJECT_BURST, set->reject_burst) ||
	    nla_put_u8(msg, OP25B_A_LOG, set->log) ||
	    nla_put_u32(msg, OP25B_A_LOG_RATE, set->log_rate) ||
	    nla_put_u32(msg, OP25B_A_LOG_BURST, set->log_burst) ||
	    nla_put_u8(msg, OP25B_A_LOG_PRIVACY, set->log_privacy))
		return -EMSGSIZE;
	return 0;
}

static int op25b_nl_put_stats(struct sk_buff *msg, struct op25b_net *on)
{
	u64 cnt[OP25B_NFAMILIES][__OP25B_CNT_MAX];
	struct nlattr *stats, *fam;
	int f, c;

	op25b_stats_read(on, cnt);
	stats = nla_nest_start(msg, OP25B_A_STATS);
	if (!stats)
		return -EMSGSIZE;
	for (f = 0; f < OP25B_NFAMILIES; f++) {
		fam = nla_nest_start(msg, OP25B_STATS_A_IPV4 + f);
		if (!fam)
			return -EMSGSIZE;
		for (c = 0; c < __OP25B_CNT_MAX; c++)
			if (nla_put_u64_64bit(msg, c + 1, cnt[f][c],
					      OP25B_COUNTER_A_PAD))
				return -EMSGSIZE;
		nla_nest_end(msg, fam);
	}
	nla_nest_end(msg, stats);
	return 0;
}

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
				READ_ONCE(op25b_table_max)))
			return -EMSGSIZE;
		nla_nest_end(msg, ti);
	}
	nla_nest_end(msg, tables);
	return 0;
}

static int op25b_nl_reply(struct genl_info *info, struct sk_buff **msgp,
			  void **hdrp)
{
	*msgp = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!*msgp)
		return -ENOMEM;
	*hdrp = genlmsg_put_reply(*msgp, info, &op25b_family, 0,
				  info->genlhdr->cmd);
	if (!*hdrp) {
		nlmsg_free(*msgp);
		return -EMSGSIZE;
	}
	return 0;
}

static int op25b_nl_send(struct genl_info *info, struct sk_buff *msg,
			 void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int op25b_nl_get_status(struct sk_buff *skb, struct genl_info *info)
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

static int op25b_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
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

static int op25b_nl_reset_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));

	op25b_stats_reset(on);
	return 0;
}

static int op25b_nl_put_entry(struct sk_buff *msg, int type,
			      const struct op25b_entry *e)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	struct in6_addr a6;
	int err;

	if (!nest)
		return -EMSGSIZE;
	switch (e->kind) {
	case OP25B_KIND_IPV4:
		err = nla_put_in_addr(msg, OP25B_ENTRY_A_ADDR4, htonl(e->v4)) ||
		      nla_put_u8(msg, OP25B_ENTRY_A_PREFIXLEN, e->plen);
		break;
	case OP25B_KIND_IPV6:
		op25b_u128_to_in6(e->v6, &a6);
		err = nla_put_in6_addr(msg, OP25B_ENTRY_A_ADDR6, &a6) ||
		      nla_put_u8(msg, OP25B_ENTRY_A_PREFIXLEN, e->plen);
		break;
	default:
		err = nla_put_string(msg, OP25B_ENTRY_A_IIFNAME, e->ifname);
		break;
	}
	if (!err && e->comment && e->comment[0])
		err = nla_put_string(msg, OP25B_ENTRY_A_COMMENT, e->comment);
	if (err) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int op25b_nl_check_addr(struct genl_info *info, int type,
			       struct op25b_entry *e)
{
	const struct nlattr *a;
	int err;

	a = op25b_nl_need(info, type, type == OP25B_A_SRC ?
			  "missing source address" :
			  "missing destination address");
	if (!a)
		return -EINVAL;
	err = op25b_nl_parse_entry(a, e, info->extack);
	if (err)
		return err;
	if (e->kind == OP25B_KIND_IIF ||
	    e->plen != (e->kind == OP25B_KIND_IPV4 ? 32 : 128)) {
		op25b_nl_error(info->extack, a, "check needs host addresses");
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

static int op25b_nl_check(struct sk_buff *skb, struct genl_info *info)
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
		op25b_nl_error(info->extack, info->attrs[OP25B_A_DST],
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

/*
 * Parsed here rather than taken from genl_dumpit_info(), whose layout
 * differs between the kernels op25b supports; the core validated it.
 */
static int op25b_nl_dump_start(struct netlink_callback *cb)
{
	struct nlattr *attrs[OP25B_A_MAX + 1];
	int err;

	err = genlmsg_parse(cb->nlh, &op25b_family, attrs, OP25B_A_MAX,
			    op25b_policy, cb->extack);
	if (err)
		return err;
	if (!attrs[OP25B_A_TABLE]) {
		op25b_nl_error(cb->extack, NULL, "missing table");
		return -EINVAL;
	}
	cb->args[0] = nla_get_u8(attrs[OP25B_A_TABLE]);
	cb->args[1] = 0;	/* next entry */
	return 0;
}

/*
 * Each call lists from the ruleset published at that moment; if it is not
 * the one earlier parts came from, the dump is flagged NLM_F_DUMP_INTR and
 * op25bctl starts over.
 */
static int op25b_nl_dump_entries(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct op25b_net *on = op25b_pernet(sock_net(cb->skb->sk));
	const struct op25b_ruleset *rs;
	const struct op25b_table *t;
	struct op25b_entry e;
	struct nlattr *list;
	u32 pos = cb->args[1], start = pos;
	void *hdr;

	rcu_read_lock();
	rs = rcu_dereference(on->rs);
	t = rs->pol.tables[cb->args[0]];
	cb->seq = rs->table_gen[cb->args[0]];
	if (pos >= op25b_table_size(t))
		goto out;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &op25b_family, NLM_F_MULTI, OP25B_CMD_GET_ENTRIES);
	if (!hdr)
		goto out;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u8(skb, OP25B_A_TABLE, cb->args[0]))
		goto cancel;
	list = nla_nest_start(skb, OP25B_A_ENTRIES);
	if (!list)
		goto cancel;
	for (; pos < op25b_table_size(t); pos++) {
		op25b_table_get(t, pos, &e);
		if (op25b_nl_put_entry(skb, OP25B_LIST_A_ENTRY, &e))
			break;
	}
	if (pos == start) {
		/* not even one entry fits: never end the dump silently */
		genlmsg_cancel(skb, hdr);
		rcu_read_unlock();
		return -EMSGSIZE;
	}
	nla_nest_end(skb, list);
	genlmsg_end(skb, hdr);
	cb->args[1] = pos;
	goto out;
cancel:
	genlmsg_cancel(skb, hdr);
out:
	rcu_read_unlock();
	return pos == start ? 0 : skb->len;
}

/* Offenders: the merged snapshot is taken once, at the start of a dump. */
struct op25b_top_dump {
	struct op25b_net *on;
	struct op25b_offender *off;
	u32 n, next, slots;
	u64 total;
};

static int op25b_nl_top_start(struct netlink_callback *cb)
{
	struct op25b_net *on = op25b_pernet(sock_net(cb->skb->sk));
	struct nlattr *attrs[OP25B_A_MAX + 1];
	struct op25b_top_dump *d;
	int err;

	err = genlmsg_parse(cb->nlh, &op25b_family, attrs, OP25B_A_MAX,
			    op25b_policy, cb->extack);
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

static int op25b_nl_top_done(struct netlink_callback *cb)
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
static int op25b_nl_top_dump(struct sk_buff *skb, struct netlink_callback *cb)
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

static int op25b_nl_reset_top(struct sk_buff *skb, struct genl_info *info)
{
	op25b_top_reset(op25b_pernet(genl_info_net(info)));
	return 0;
}

static int op25b_nl_txn_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	u32 id;
	int err;

	err = op25b_nl_reply(info, &msg, &hdr);
	if (err)
		return err;
	mutex_lock(&on->lock);
	err = op25b_txn_begin(on, info->snd_portid, &id);
	if (err == -EBUSY)
		op25b_nl_error(info->extack, NULL,
			       "another transaction (load) is open in this namespace");
	if (!err && nla_put_u32(msg, OP25B_A_TXN, id)) {
		op25b_txn_abort(on);
		err = -EMSGSIZE;
	}
	mutex_unlock(&on->lock);
	return op25b_nl_send(info, msg, hdr, err);
}

static const char *const op25b_commit_msg[__OP25B_TABLE_MAX] = {
	[OP25B_TABLE_SUBSCRIBER] = "an entry is twice in the subscriber table",
	[OP25B_TABLE_ALLOW]	 = "an entry is twice in the allow table",
	[OP25B_TABLE_EXEMPT]	 = "an entry is twice in the exempt table",
	[OP25B_TABLE_TARGET]	 = "an entry is twice in the target table",
};

static int op25b_nl_txn_end(struct genl_info *info, bool commit)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	enum op25b_table_err terr = OP25B_TERR_NONE;
	struct op25b_txn *txn;
	u8 table;
	int err = 0;

	if (!op25b_nl_need(info, OP25B_A_TXN, "missing transaction"))
		return -EINVAL;
	mutex_lock(&on->lock);
	txn = op25b_nl_txn(on, info);
	if (!txn) {
		err = -ENOENT;
	} else if (!commit) {
		op25b_txn_abort(on);
	} else {
		/* staging checked it, unless the host changed its mind since */
		err = op25b_nl_settings_allowed(info, op25b_txn_settings(txn),
						true);
		if (err) {
			op25b_txn_abort(on);
			goto out;
		}
		err = op25b_txn_commit(on, READ_ONCE(op25b_table_max), &table,
				       &terr);
		/* the table's own error says what; which table, said here */
		if (terr)
			op25b_nl_error(info->extack, NULL,
				       terr == OP25B_TERR_DUPLICATE ?
				       op25b_commit_msg[table] :
				       op25b_table_strerror(terr));
	}
out:
	mutex_unlock(&on->lock);
	return err;
}

static int op25b_nl_txn_commit(struct sk_buff *skb, struct genl_info *info)
{
	return op25b_nl_txn_end(info, true);
}

static int op25b_nl_txn_abort(struct sk_buff *skb, struct genl_info *info)
{
	return op25b_nl_txn_end(info, false);
}

static const struct genl_ops op25b_ops[] = {
	{
		.cmd = OP25B_CMD_GET_STATUS,
		.doit = op25b_nl_get_status,
	},
	{
		.cmd = OP25B_CMD_SET,
		.doit = op25b_nl_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_ADD_ENTRIES,
		.doit = op25b_nl_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_DEL_ENTRIES,
		.doit = op25b_nl_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_GET_ENTRIES,
		.start = op25b_nl_dump_start,
		.dumpit = op25b_nl_dump_entries,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_FLUSH,
		.doit = op25b_nl_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_GET_STATS,
		.doit = op25b_nl_get_stats,
	},
	{
		.cmd = OP25B_CMD_RESET_STATS,
		.doit = op25b_nl_reset_stats,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_CHECK,
		.doit = op25b_nl_check,
		/* its verdict tells table membership: customers, like list */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_GET_TOP,
		.start = op25b_nl_top_start,
		.dumpit = op25b_nl_top_dump,
		.done = op25b_nl_top_done,
		/* offenders are customers' addresses */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_RESET_TOP,
		.doit = op25b_nl_reset_top,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_TXN_BEGIN,
		.doit = op25b_nl_txn_begin,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_TXN_COMMIT,
		.doit = op25b_nl_txn_commit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_TXN_ABORT,
		.doit = op25b_nl_txn_abort,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family op25b_family __ro_after_init = {
	.name = OP25B_GENL_NAME,
	.version = OP25B_GENL_VERSION,
	.maxattr = OP25B_A_MAX,
	.policy = op25b_policy,
	.netnsok = true,
	.parallel_ops = true,	/* writers serialise on the per-netns lock */
	.module = THIS_MODULE,
	.ops = op25b_ops,
	.n_ops = ARRAY_SIZE(op25b_ops),
	/* every command is new: reserved header fields must be zero */
	.resv_start_op = OP25B_CMD_UNSPEC,
};

int __init op25b_genl_init(void)
{
	return genl_register_family(&op25b_family);
}

void op25b_genl_exit(void)
{
	genl_unregister_family(&op25b_family);
}
