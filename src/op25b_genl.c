// SPDX-License-Identifier: GPL-2.0
/*
 * The "op25b" generic netlink family: its policies, its commands and the
 * helpers they share; include/uapi/linux/op25b.h holds the protocol.
 * Every request acts on the sender's network namespace.
 */
#include <linux/if.h>
#include <linux/in.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "op25b_genl.h"

/* not const: 6.1's policy points at a mutable one */
static struct netlink_range_validation op25b_timeout_range __ro_after_init = {
	.min = 1,
	.max = OP25B_TIMEOUT_MAX,
};

static const struct nla_policy op25b_entry_policy[OP25B_ENTRY_A_MAX + 1] = {
	[OP25B_ENTRY_A_ADDR4]	  = NLA_POLICY_EXACT_LEN(4),
	[OP25B_ENTRY_A_ADDR6]	  = NLA_POLICY_EXACT_LEN(16),
	[OP25B_ENTRY_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[OP25B_ENTRY_A_IIFNAME]	  = { .type = NLA_NUL_STRING,
				      .len = IFNAMSIZ - 1 },
	[OP25B_ENTRY_A_COMMENT]	  = { .type = NLA_NUL_STRING,
				      .len = OP25B_COMMENT_MAX },
	[OP25B_ENTRY_A_TIMEOUT]	  = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &op25b_timeout_range),
	[OP25B_ENTRY_A_EXPIRES]	  = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &op25b_timeout_range),
};

static const struct nla_policy op25b_list_policy[OP25B_LIST_A_MAX + 1] = {
	[OP25B_LIST_A_ENTRY] = NLA_POLICY_NESTED(op25b_entry_policy),
};

/*
 * Each command has a policy of its own that lists what it reads: the
 * core refuses any other attribute (strict validation: "Unsupported
 * attribute", or "Unknown attribute type" past the policy's end), with
 * the attribute's offset in the extended ACK.
 */
#define OP25B_TXN_ONLY_ADD \
	"a transaction takes only additions and settings"

/* SET: built from op25b_settings_map at module init */
static struct netlink_range_validation op25b_setting_range[__OP25B_SET_MAX]
	__ro_after_init;
static struct nla_policy op25b_set_policy[OP25B_A_MAX + 1] __ro_after_init;
static const struct nla_policy op25b_add_policy[OP25B_A_TXN + 1] = {
	[OP25B_A_TABLE]	  = NLA_POLICY_MAX(NLA_U8, OP25B_TABLE_MAX),
	[OP25B_A_ENTRIES] = NLA_POLICY_NESTED(op25b_list_policy),
	[OP25B_A_TXN]	  = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy op25b_del_policy[OP25B_A_TXN + 1] = {
	[OP25B_A_TABLE]	  = NLA_POLICY_MAX(NLA_U8, OP25B_TABLE_MAX),
	[OP25B_A_ENTRIES] = NLA_POLICY_NESTED(op25b_list_policy),
	[OP25B_A_TXN]	  = { .type = NLA_REJECT,
			      .reject_message = OP25B_TXN_ONLY_ADD },
};

const struct nla_policy op25b_table_policy[OP25B_A_TXN + 1] = {
	[OP25B_A_TABLE]	  = NLA_POLICY_MAX(NLA_U8, OP25B_TABLE_MAX),
	[OP25B_A_TXN]	  = { .type = NLA_REJECT,
			      .reject_message = OP25B_TXN_ONLY_ADD },
};

static const struct nla_policy op25b_check_policy[OP25B_A_IIFNAME + 1] = {
	[OP25B_A_SRC]	  = NLA_POLICY_NESTED(op25b_entry_policy),
	[OP25B_A_DST]	  = NLA_POLICY_NESTED(op25b_entry_policy),
	[OP25B_A_DPORT]	  = { .type = NLA_U16 },
	[OP25B_A_PROTO]	  = { .type = NLA_U8 },
	[OP25B_A_IIFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

const struct nla_policy op25b_top_policy[OP25B_A_TOP_LIMIT + 1] = {
	[OP25B_A_TOP_LIMIT] = { .type = NLA_U32 },
};

static const struct nla_policy op25b_txn_policy[OP25B_A_TXN + 1] = {
	[OP25B_A_TXN]	  = NLA_POLICY_MIN(NLA_U32, 1),
};

/*
 * Commands without attributes: the core would parse nothing for a
 * maxattr of 0, so this one has room for every attribute, each of no
 * type: any is refused.
 */
static const struct nla_policy op25b_none_policy[OP25B_A_MAX + 1];
static u8 op25b_nla_type(const struct op25b_setting *d)
{
	switch (d->width) {
	case sizeof(u8):
		return NLA_U8;
	case sizeof(u16):
		return NLA_U16;
	default:
		return NLA_U32;
	}
}

static void __init op25b_nl_set_policy_init(void)
{
	int i;

	for (i = 0; i < __OP25B_SET_MAX; i++) {
		const struct op25b_setting *d = &op25b_settings_map[i];

		op25b_setting_range[i].min = d->min;
		op25b_setting_range[i].max = d->max;
		/* by member: the policy's union has const members */
		if (d->string) {
			/* the content: op25b_nl_parse_settings() */
			op25b_set_policy[d->attr].type = NLA_NUL_STRING;
			op25b_set_policy[d->attr].len = d->max;
			continue;
		}
		op25b_set_policy[d->attr].type = op25b_nla_type(d);
		op25b_set_policy[d->attr].validation_type =
			NLA_VALIDATE_RANGE_PTR;
		op25b_set_policy[d->attr].range = &op25b_setting_range[i];
	}
	op25b_set_policy[OP25B_A_TXN].type = NLA_U32;
	op25b_set_policy[OP25B_A_TXN].validation_type = NLA_VALIDATE_MIN;
	op25b_set_policy[OP25B_A_TXN].min = 1;
}

/*
 * NL_SET_ERR_MSG_ATTR() for the messages that are not literals (a table
 * error's text): 6.1 has no formatted extack messages, so a static text
 * plus the offending attribute lets op25bctl name the entry itself.  The
 * netlink_extack tracepoint sees them as it sees the literals.
 */
void op25b_nl_error(struct netlink_ext_ack *extack,
			   const struct nlattr *attr, const char *msg)
{
	do_trace_netlink_extack(msg);
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}

/*
 * @now: the request's one reading of op25b_expire_now(), so that the entries
 * of one request given one timeout expire in the same second, with one
 * change, however long the parsing takes.
 */
int op25b_nl_parse_entry(const struct nlattr *nest, struct op25b_entry *e,
			 u64 now, struct netlink_ext_ack *extack)
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
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "entry needs one address or interface name");
		return -EINVAL;
	}
	if (tb[OP25B_ENTRY_A_IIFNAME]) {
		if (tb[OP25B_ENTRY_A_PREFIXLEN]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
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
	if (tb[OP25B_ENTRY_A_EXPIRES] && !tb[OP25B_ENTRY_A_TIMEOUT]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[OP25B_ENTRY_A_EXPIRES],
				    "expires without a timeout");
		return -EINVAL;
	}
	if (tb[OP25B_ENTRY_A_TIMEOUT]) {
		e->timeout = nla_get_u32(tb[OP25B_ENTRY_A_TIMEOUT]);
		if (tb[OP25B_ENTRY_A_EXPIRES])
			e->left = nla_get_u32(tb[OP25B_ENTRY_A_EXPIRES]);
		e->expires = now + (e->left ?: e->timeout);
	}
	err = op25b_entry_validate(e);
	if (err) {
		op25b_nl_error(extack, nest, op25b_table_strerror(err));
		return op25b_table_errno(err);
	}
	return 0;
}

int op25b_nl_put_setting(struct sk_buff *msg, const struct op25b_settings *set,
			 int id)
{
	const struct op25b_setting *d = &op25b_settings_map[id];
	u32 v;
	int err;

	if (d->string)
		return nla_put_string(msg, d->attr, op25b_setting_str(set, id)) ?
		       -EMSGSIZE : 0;
	v = op25b_setting_get(set, id);
	switch (d->width) {
	case sizeof(u8):
		err = nla_put_u8(msg, d->attr, v);
		break;
	case sizeof(u16):
		err = nla_put_u16(msg, d->attr, v);
		break;
	default:
		err = nla_put_u32(msg, d->attr, v);
		break;
	}
	return err ? -EMSGSIZE : 0;
}

int op25b_nl_put_settings(struct sk_buff *msg,
				 const struct op25b_settings *set)
{
	int i, err;

	for (i = 0; i < __OP25B_SET_MAX; i++) {
		err = op25b_nl_put_setting(msg, set, i);
		if (err)
			return err;
	}
	return 0;
}

int op25b_nl_put_stats(struct sk_buff *msg, struct op25b_net *on)
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

int op25b_nl_reply(struct genl_info *info, struct sk_buff **msgp,
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

int op25b_nl_send(struct genl_info *info, struct sk_buff *msg,
			 void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int op25b_nl_put_entry(struct sk_buff *msg, int type,
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
	if (!err && e->timeout)
		err = nla_put_u32(msg, OP25B_ENTRY_A_TIMEOUT, e->timeout) ||
		      nla_put_u32(msg, OP25B_ENTRY_A_EXPIRES,
				  op25b_expire_left(e->expires));
	if (err) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

#define OP25B_POLICY(pol) .policy = pol, .maxattr = ARRAY_SIZE(pol) - 1

static const struct genl_ops op25b_ops[] = {
	{
		.cmd = OP25B_CMD_GET_STATUS,
		.doit = op25b_nl_get_status,
		OP25B_POLICY(op25b_none_policy),
	},
	{
		.cmd = OP25B_CMD_SET,
		.doit = op25b_nl_set,
		OP25B_POLICY(op25b_set_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_ADD_ENTRIES,
		.doit = op25b_nl_add,
		OP25B_POLICY(op25b_add_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_DEL_ENTRIES,
		.doit = op25b_nl_del,
		OP25B_POLICY(op25b_del_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_GET_ENTRIES,
		.start = op25b_nl_dump_start,
		.dumpit = op25b_nl_dump_entries,
		OP25B_POLICY(op25b_table_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_FLUSH,
		.doit = op25b_nl_flush,
		OP25B_POLICY(op25b_table_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_GET_STATS,
		.doit = op25b_nl_get_stats,
		OP25B_POLICY(op25b_none_policy),
	},
	{
		.cmd = OP25B_CMD_RESET_STATS,
		.doit = op25b_nl_reset_stats,
		OP25B_POLICY(op25b_none_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_CHECK,
		.doit = op25b_nl_check,
		OP25B_POLICY(op25b_check_policy),
		/* its verdict tells table membership: customers, like list */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_GET_TOP,
		.start = op25b_nl_top_start,
		.dumpit = op25b_nl_top_dump,
		.done = op25b_nl_top_done,
		OP25B_POLICY(op25b_top_policy),
		/* offenders are customers' addresses */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_RESET_TOP,
		.doit = op25b_nl_reset_top,
		OP25B_POLICY(op25b_none_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_TXN_BEGIN,
		.doit = op25b_nl_txn_begin,
		OP25B_POLICY(op25b_none_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_TXN_COMMIT,
		.doit = op25b_nl_txn_commit,
		OP25B_POLICY(op25b_txn_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OP25B_CMD_TXN_ABORT,
		.doit = op25b_nl_txn_abort,
		OP25B_POLICY(op25b_txn_policy),
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family op25b_family __ro_after_init = {
	.name = OP25B_GENL_NAME,
	.version = OP25B_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,	/* writers serialise on the per-netns lock */
	.module = THIS_MODULE,
	.ops = op25b_ops,
	.n_ops = ARRAY_SIZE(op25b_ops),
	.mcgrps = op25b_mcgrps,
	.n_mcgrps = ARRAY_SIZE(op25b_mcgrps),
	/* every command is new: reserved header fields must be zero */
	.resv_start_op = OP25B_CMD_UNSPEC,
};

int __init op25b_genl_init(void)
{
	op25b_nl_set_policy_init();
	return genl_register_family(&op25b_family);
}

void op25b_genl_exit(void)
{
	genl_unregister_family(&op25b_family);
}
