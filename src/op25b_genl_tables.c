// SPDX-License-Identifier: GPL-2.0
/*
 * Table commands of the "op25b" family: add, delete, flush and list
 * entries, and the staging of additions into a transaction.
 */
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "op25b_genl.h"

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
	u64 now = op25b_expire_now();
	u32 n = 0;
	int rem, err;

	if (GENL_REQ_ATTR_CHECK(info, OP25B_A_ENTRIES))
		return -EINVAL;
	list = info->attrs[OP25B_A_ENTRIES];
	nla_for_each_nested(a, list, rem)
		n++;
	batch = kvmalloc_array(n ? n : 1, sizeof(*batch), GFP_KERNEL_ACCOUNT);
	if (!batch)
		return -ENOMEM;
	n = 0;
	nla_for_each_nested(a, list, rem) {
		err = op25b_nl_parse_entry(a, &batch[n], now, info->extack);
		if (!err && batch[n].kind == OP25B_KIND_IIF &&
		    table != OP25B_TABLE_SUBSCRIBER) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
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

static int op25b_nl_stage(struct op25b_net *on, struct genl_info *info,
			  u8 id, struct op25b_entry *batch, u32 n)
{
	struct op25b_txn *txn = op25b_nl_txn(on, info);
	int err;

	lockdep_assert_held(&on->lock);
	if (!txn)
		return -ENOENT;
	err = op25b_txn_stage(txn, id, batch, n, READ_ONCE(op25b_table_max));
	if (err == -ENOSPC)
		op25b_nl_error(info->extack, NULL,
			       op25b_table_strerror(OP25B_TERR_FULL));
	return err;
}

static int op25b_nl_change(struct sk_buff *skb, struct genl_info *info,
			   enum op25b_table_op op)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	struct op25b_table *table;
	struct op25b_entry *batch;
	enum op25b_table_err terr;
	u32 n, bad;
	u8 id;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, OP25B_A_TABLE))
		return -EINVAL;
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
		if (!err)
			op25b_event_change(skb, info, on->generation,
					   op == OP25B_OP_ADD ? OP25B_EVENT_ADD :
					   OP25B_EVENT_DEL, id, n);
	}
out:
	mutex_unlock(&on->lock);
	kvfree(batch);
	return err;
}

int op25b_nl_add(struct sk_buff *skb, struct genl_info *info)
{
	return op25b_nl_change(skb, info, OP25B_OP_ADD);
}

int op25b_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	return op25b_nl_change(skb, info, OP25B_OP_DEL);
}

int op25b_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));
	struct op25b_table *table;
	u32 n;
	u8 id;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, OP25B_A_TABLE))
		return -EINVAL;
	id = nla_get_u8(info->attrs[OP25B_A_TABLE]);
	table = op25b_table_new();
	if (!table)
		return -ENOMEM;
	mutex_lock(&on->lock);
	if (op25b_nl_txn_busy(on, info)) {
		op25b_table_free(table);
		err = -EBUSY;
		goto out;
	}
	n = op25b_table_size(op25b_net_rs_locked(on)->pol.tables[id]);
	err = op25b_net_set_table(on, id, table);
	if (!err)
		op25b_event_change(skb, info, on->generation, OP25B_EVENT_FLUSH,
				   id, n);
out:
	mutex_unlock(&on->lock);
	return err;
}

/*
 * Parsed here rather than taken from genl_dumpit_info(), whose layout
 * differs between the kernels op25b supports; the core validated it.
 */
int op25b_nl_dump_start(struct netlink_callback *cb)
{
	struct nlattr *attrs[ARRAY_SIZE(op25b_table_policy)];
	int err;

	err = genlmsg_parse(cb->nlh, &op25b_family, attrs,
			    ARRAY_SIZE(op25b_table_policy) - 1,
			    op25b_table_policy, cb->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(cb->extack, NULL, attrs, OP25B_A_TABLE))
		return -EINVAL;
	cb->args[0] = nla_get_u8(attrs[OP25B_A_TABLE]);
	cb->args[1] = 0;	/* next entry */
	return 0;
}

/*
 * Each call lists from the ruleset published at that moment; if it is not
 * the one earlier parts came from, the dump is flagged NLM_F_DUMP_INTR and
 * op25bctl starts over.
 */
int op25b_nl_dump_entries(struct sk_buff *skb,
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
