// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration commands of the "op25b" family: settings, and the
 * transactions that replace the whole configuration at once.
 */
#include <net/genetlink.h>
#include <net/netlink.h>

#include "op25b_genl.h"

/* The open transaction a request names; NULL (extack set) if none. */
struct op25b_txn *op25b_nl_txn(struct op25b_net *on,
				      struct genl_info *info)
{
	struct op25b_txn *txn;

	txn = op25b_txn_find(on, nla_get_u32(info->attrs[OP25B_A_TXN]),
			     info->snd_portid);
	if (!txn)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[OP25B_A_TXN],
				    "no such transaction open on this socket");
	return txn;
}

/*
 * A transaction replaces the whole configuration at its commit: a plain
 * write meanwhile would be lost without a word, so it is refused, as
 * nftables serialises its writers.
 */
bool op25b_nl_txn_busy(struct op25b_net *on, struct genl_info *info)
{
	lockdep_assert_held(&on->lock);
	if (!on->txn)
		return false;
	NL_SET_ERR_MSG(info->extack,
		       "a transaction (op25bctl load) is open in this namespace; try again when it ends");
	return true;
}

static u32 op25b_nla_get_uint(const struct nlattr *a)
{
	switch (nla_len(a)) {
	case sizeof(u8):
		return nla_get_u8(a);
	case sizeof(u16):
		return nla_get_u16(a);
	default:
		return nla_get_u32(a);
	}
}

/*
 * Settings given in the request override those in @set; *@any: there were
 * some.  The policy checked numbers and the length of strings; their
 * content is checked here.
 */
static int op25b_nl_parse_settings(struct genl_info *info,
				   struct op25b_settings *set, bool *any)
{
	int i;

	*any = false;
	for (i = 0; i < __OP25B_SET_MAX; i++) {
		const struct op25b_setting *d = &op25b_settings_map[i];
		const struct nlattr *a = info->attrs[d->attr];

		if (!a)
			continue;
		*any = true;
		if (!d->string) {
			op25b_setting_put(set, i, op25b_nla_get_uint(a));
			continue;
		}
		if (!op25b_setting_str_valid(i, nla_data(a))) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "a text setting takes 1 or more printable ASCII characters");
			return -EINVAL;
		}
		op25b_setting_put_str(set, i, nla_data(a));
	}
	return 0;
}

/*
 * What settings need before they are published.  Refused whatever the
 * caller's privileges in its namespace: kernel log lines from a namespace
 * the host does not let log (@log_asked: the request turns logging on; a
 * setting already on is not refused again), a reject action or NFLOG
 * whose kernel modules cannot be loaded.  Alerts need their table.
 */
static int op25b_nl_settings_prepare(struct genl_info *info,
				     struct op25b_net *on,
				     const struct op25b_settings *set,
				     bool log_asked)
{
	int err;

	lockdep_assert_held(&on->lock);
	if (log_asked && set->log &&
	    !op25b_log_netns_allowed(genl_info_net(info))) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[OP25B_A_LOG],
				    "logging from a network namespace other than the initial one needs net.netfilter.nf_log_all_netns=1 in the initial namespace");
		return -EPERM;
	}
	err = op25b_reject_prepare(set->action, info->extack);
	if (!err && set->nflog)
		err = op25b_nflog_prepare(info->extack);
	if (!err && set->alert_attempts)
		err = op25b_alert_ensure(on);
	return err;
}

/* Before the lock: loading a helper module may take a while. */
static int op25b_nl_set_modules(struct genl_info *info)
{
	const struct nlattr *a;
	int err = 0;

	a = info->attrs[OP25B_A_ACTION];
	if (a)
		err = op25b_reject_prepare(nla_get_u8(a), info->extack);
	a = info->attrs[OP25B_A_NFLOG];
	if (!err && a && nla_get_u8(a))
		err = op25b_nflog_prepare(info->extack);
	return err;
}

/* The settings a request changes: the transaction's, or NULL for live. */
static int op25b_nl_set_target(struct op25b_net *on, struct genl_info *info,
			       struct op25b_settings **target)
{
	struct op25b_txn *txn;

	*target = NULL;
	if (info->attrs[OP25B_A_TXN]) {
		txn = op25b_nl_txn(on, info);
		if (!txn)
			return -ENOENT;
		*target = op25b_txn_settings(txn);
	} else if (op25b_nl_txn_busy(on, info)) {
		return -EBUSY;
	}
	return 0;
}

int op25b_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	struct op25b_settings set, old, *target;
	bool any;
	int err;

	err = op25b_nl_set_modules(info);
	if (err)
		return err;
	mutex_lock(&on->lock);
	err = op25b_nl_set_target(on, info, &target);
	if (err)
		goto out;
	old = target ? *target : op25b_net_rs_locked(on)->pol.set;
	set = old;
	err = op25b_nl_parse_settings(info, &set, &any);
	if (err || (!any && target))
		goto out;
	if (!any) {
		NL_SET_ERR_MSG(info->extack, "nothing to set");
		err = -EINVAL;
		goto out;
	}
	err = op25b_nl_settings_prepare(info, on, &set,
					!!info->attrs[OP25B_A_LOG]);
	if (err)
		goto out;
	if (target) {
		*target = set;
		goto out;
	}
	err = op25b_net_set_settings(on, &set);
	if (!err && memcmp(&old, &set, sizeof(set)))
		op25b_event_set(skb, info, on->generation, &old, &set);
out:
	mutex_unlock(&on->lock);
	return err;
}

int op25b_nl_txn_begin(struct sk_buff *skb, struct genl_info *info)
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
		NL_SET_ERR_MSG(info->extack,
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

/* A load's event: its entries and the tables they filled. */
static void op25b_nl_load_event(struct sk_buff *skb, struct genl_info *info,
				struct op25b_net *on)
{
	const struct op25b_ruleset *rs = op25b_net_rs_locked(on);
	u32 entries = 0, tables = 0, n;
	int i;

	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		n = op25b_table_size(rs->pol.tables[i]);
		entries += n;
		tables += !!n;
	}
	op25b_event_change(skb, info, rs->generation, OP25B_EVENT_LOAD, tables,
			   entries);
}

static int op25b_nl_txn_end(struct sk_buff *skb, struct genl_info *info,
			    bool commit)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	enum op25b_table_err terr = OP25B_TERR_NONE;
	struct op25b_txn *txn;
	u8 table;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, OP25B_A_TXN))
		return -EINVAL;
	mutex_lock(&on->lock);
	txn = op25b_nl_txn(on, info);
	if (!txn) {
		err = -ENOENT;
	} else if (!commit) {
		op25b_txn_abort(on);
	} else {
		/* staging checked it, unless the host changed its mind since */
		err = op25b_nl_settings_prepare(info, on,
						op25b_txn_settings(txn), true);
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
		if (!err)
			op25b_nl_load_event(skb, info, on);
	}
out:
	mutex_unlock(&on->lock);
	return err;
}

int op25b_nl_txn_commit(struct sk_buff *skb, struct genl_info *info)
{
	return op25b_nl_txn_end(skb, info, true);
}

int op25b_nl_txn_abort(struct sk_buff *skb, struct genl_info *info)
{
	return op25b_nl_txn_end(skb, info, false);
}
